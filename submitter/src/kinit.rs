//! MIT `kinit` into a file ticket cache: what a user does before opening a browser, and how a
//! scenario gets a ticket that expires on purpose.

use std::path::{Path, PathBuf};
use std::time::Duration;

/// Why `kinit` gave no ticket.
#[derive(Debug, thiserror::Error)]
pub enum KinitError {
    /// The program could not be run.
    #[error("cannot run {program}: {source}\nhint: kinit comes with Debian's krb5-user (`./yarnsec setup` installs it)")]
    NotRun {
        /// The program.
        program: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// It ran and refused.
    #[error("kinit -k -t {keytab} {principal} failed: {output}\nhint: check that the keytab holds the principal (`klist -k {keytab}`) and that the KDC of the realm answers")]
    Refused {
        /// The principal.
        principal: String,
        /// The keytab.
        keytab: PathBuf,
        /// What kinit printed.
        output: String,
    },
}

/// Logs `principal` in from `keytab` into the file cache `ccache` with the `kinit` at `program`,
/// asking for `lifetime` when given (`-l`).
pub async fn kinit(program: &Path, principal: &str, keytab: &Path, ccache: &Path, lifetime: Option<Duration>) -> Result<(), KinitError> {
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
        .map_err(|source| KinitError::NotRun { program: program.to_path_buf(), source })?;
    if out.status.success() {
        Ok(())
    } else {
        Err(KinitError::Refused {
            principal: principal.to_string(),
            keytab: keytab.to_path_buf(),
            output: format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)).trim().to_string(),
        })
    }
}
