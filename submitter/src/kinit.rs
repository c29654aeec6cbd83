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

/// A ticket cache kept fresh while it lives, as a desktop's `k5start` (or SSSD) keeps a user's:
/// every `every`, a new ticket from the keytab replaces the cache (written beside it, then
/// renamed over it, so that a reader never sees it half-written). Stops when dropped. A browser
/// session longer than a ticket (a `fast` cluster's tickets live 30 s) then keeps working, as a
/// real user's does; a refresh that fails leaves the old ticket in place.
///
/// ```no_run
/// # async fn f() {
/// use std::{path::Path, time::Duration};
/// use yarnsec_submitter::kinit::{kinit, FreshTicket};
/// let (program, keytab, ccache) = (Path::new("/usr/bin/kinit"), Path::new("alice.keytab"), Path::new("krb5cc_alice"));
/// kinit(program, "alice@EXAMPLE.TEST", keytab, ccache, None).await.unwrap();
/// let _fresh = FreshTicket::keep(program, "alice@EXAMPLE.TEST", keytab, ccache, Duration::from_secs(10));
/// // … a browser works with `ccache` as long as `_fresh` lives.
/// # }
/// ```
#[derive(Debug)]
pub struct FreshTicket(tokio::task::JoinHandle<()>);

impl FreshTicket {
    /// Starts refreshing `ccache` (which holds a ticket already) from `keytab`.
    pub fn keep(program: &Path, principal: &str, keytab: &Path, ccache: &Path, every: Duration) -> Self {
        let (program, principal, keytab, ccache) =
            (program.to_path_buf(), principal.to_string(), keytab.to_path_buf(), ccache.to_path_buf());
        let next = ccache.with_extension("new");
        Self(tokio::spawn(async move {
            loop {
                tokio::time::sleep(every).await;
                if kinit(&program, &principal, &keytab, &next, None).await.is_ok() {
                    let _ = std::fs::rename(&next, &ccache);
                }
            }
        }))
    }
}

impl Drop for FreshTicket {
    fn drop(&mut self) {
        self.0.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    /// A stand-in `kinit` that writes a new "ticket" (a counter) into the cache it is given.
    fn fake_kinit(dir: &Path) -> PathBuf {
        let program = dir.join("kinit");
        let count = dir.join("count");
        std::fs::write(
            &program,
            format!(
                "#!/bin/sh\nn=$(($(cat {c} 2>/dev/null || echo 0) + 1)); echo $n > {c}\nfor a; do case $a in FILE:*) echo \"ticket $n\" > \"${{a#FILE:}}\";; esac; done\n",
                c = count.display()
            ),
        )
        .unwrap();
        std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).unwrap();
        program
    }

    /// The cache is replaced while the guard lives (never left half-written: the new ticket is
    /// renamed over it), and no more once it is dropped.
    #[tokio::test]
    async fn a_fresh_ticket_replaces_the_cache_until_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let program = fake_kinit(dir.path());
        let ccache = dir.path().join("krb5cc");
        kinit(&program, "alice@R", Path::new("/k"), &ccache, None).await.unwrap();
        assert_eq!(std::fs::read_to_string(&ccache).unwrap(), "ticket 1\n");
        let fresh = FreshTicket::keep(&program, "alice@R", Path::new("/k"), &ccache, Duration::from_millis(50));
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while std::fs::read_to_string(&ccache).unwrap() == "ticket 1\n" {
            assert!(std::time::Instant::now() < deadline, "the cache was never refreshed");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        drop(fresh);
        tokio::time::sleep(Duration::from_millis(100)).await;
        let after = std::fs::read_to_string(&ccache).unwrap();
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(std::fs::read_to_string(&ccache).unwrap(), after, "refreshed after the guard was dropped");
        assert!(!dir.path().join("krb5cc.new").exists());
    }
}
