//! What every operation needs: the configuration, the NodeManager's identity, the user, and the
//! checks that tie the paths of a request to the NodeManager's dirs.

use std::path::PathBuf;

use nix::unistd::{Gid, Uid};

use crate::config::Config;
use crate::exit::Exit;
use crate::failure::Refused;
use crate::paths;
use crate::privilege::Account;

/// One request's setting.
#[derive(Clone, Debug)]
pub struct Context {
    /// The helper's configuration.
    pub cfg: Config,
    /// The NodeManager's uid (the helper's real uid).
    pub nm_uid: Uid,
    /// The NodeManager's group (the configuration's).
    pub nm_gid: Gid,
    /// The account the operation runs as.
    pub run_as: Account,
    /// The application's user, whose name the paths carry.
    pub user: String,
}

impl Context {
    /// `path` when it lies under a local dir.
    pub fn local_path(&self, path: &str) -> Result<PathBuf, Refused> {
        paths::under(path, &self.cfg.local_dirs).map_err(|e| Refused::new(Exit::InvalidNmRootDirs, e.to_string()))
    }

    /// `path` when it lies under a local or a log dir.
    pub fn nm_path(&self, path: &str) -> Result<PathBuf, Refused> {
        let roots: Vec<PathBuf> = self.cfg.local_dirs.iter().chain(&self.cfg.log_dirs).cloned().collect();
        paths::under(path, &roots).map_err(|e| Refused::new(Exit::InvalidNmRootDirs, e.to_string()))
    }

    /// The dirs of `given` that the configuration names as `kind` dirs (`roots`); none is a refusal.
    pub fn roots(&self, given: &[String], roots: &[PathBuf], kind: &str) -> Result<Vec<PathBuf>, Refused> {
        let mut out = Vec::new();
        for g in given {
            let p = paths::plain(g).map_err(|e| Refused::new(Exit::InvalidNmRootDirs, e.to_string()))?;
            if !roots.contains(&p) {
                return Err(Refused::new(
                    Exit::InvalidNmRootDirs,
                    format!("{kind} dir {g} is not in container-executor.cfg's yarn.nodemanager.{kind}-dirs"),
                ));
            }
            out.push(p);
        }
        if out.is_empty() {
            return Err(Refused::new(Exit::InvalidNmRootDirs, format!("no {kind} dirs given")));
        }
        Ok(out)
    }

    /// An id that becomes one path component.
    pub fn id<'a>(&self, what: &str, value: &'a str) -> Result<&'a str, Refused> {
        paths::id(value).map_err(|e| Refused::new(Exit::InvalidArgumentNumber, format!("{what}: {e}")))
    }

    /// `<local dir>/usercache/<user>`.
    pub fn user_dir(&self, local: &std::path::Path) -> PathBuf {
        local.join("usercache").join(&self.user)
    }

    /// `<local dir>/usercache/<user>/appcache/<app>`.
    pub fn app_dir(&self, local: &std::path::Path, app: &str) -> PathBuf {
        self.user_dir(local).join("appcache").join(app)
    }
}
