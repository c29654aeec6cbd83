//! MIT `kinit` into a file ticket cache: what a user does before opening a browser, and how a
//! scenario gets a ticket that expires on purpose.

use std::path::Path;
use std::time::Duration;

/// Logs `principal` in from `keytab` into the file cache `ccache` with the `kinit` at `program`,
/// asking for `lifetime` when given (`-l`). The error is kinit's own output, or why it did not run.
pub async fn kinit(program: &Path, principal: &str, keytab: &Path, ccache: &Path, lifetime: Option<Duration>) -> Result<(), String> {
    let mut command = tokio::process::Command::new(program);
    if let Some(l) = lifetime {
        command.arg("-l").arg(format!("{}s", l.as_secs()));
    }
    let out = command
        .arg("-k")
        .arg("-t")
        .arg(keytab)
        .arg("-c")
        .arg(format!("FILE:{}", ccache.display()))
        .arg(principal)
        .output()
        .await
        .map_err(|e| format!("cannot run {}: {e}", program.display()))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)).trim().to_string())
    }
}
