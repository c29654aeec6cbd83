//! What the helper checks before anything else, as Hadoop's does: its configuration file and every
//! directory above it belong to root and only root may write them; the helper itself belongs to
//! root and the NodeManager's group, is setuid, and others may not run or change it.

use std::os::unix::fs::MetadataExt;
use std::path::Path;

use crate::exit::Exit;
use crate::failure::Refused;

/// The facts about one file the checks read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileFacts {
    /// Its path, for the message.
    pub path: String,
    /// Owner uid.
    pub uid: u32,
    /// Group gid.
    pub gid: u32,
    /// `st_mode`'s permission bits (with setuid, setgid, sticky).
    pub mode: u32,
}

impl FileFacts {
    /// The facts of `path` (a link is followed, as `stat` does).
    pub fn of(path: &Path) -> std::io::Result<FileFacts> {
        let m = std::fs::metadata(path)?;
        Ok(FileFacts { path: path.display().to_string(), uid: m.uid(), gid: m.gid(), mode: m.mode() & 0o7777 })
    }
}

/// The configuration file and its parents, `chain[0]` being the file: each root-owned and
/// writable by root only.
///
/// ```
/// use yarnsec_container_executor::ops::setup::{config_is_root_only, FileFacts};
/// let f = |p: &str, uid, mode| FileFacts { path: p.into(), uid, gid: 0, mode };
/// assert!(config_is_root_only(&[f("/etc/hadoop/c.cfg", 0, 0o644), f("/etc/hadoop", 0, 0o755), f("/etc", 0, 0o755)]).is_ok());
/// assert!(config_is_root_only(&[f("/etc/hadoop/c.cfg", 0, 0o664), f("/etc/hadoop", 0, 0o755)]).is_err());
/// ```
pub fn config_is_root_only(chain: &[FileFacts]) -> Result<(), Refused> {
    for f in chain {
        if f.uid != 0 {
            return Err(Refused::new(Exit::InvalidConfigFile, format!("{} must be owned by root (it is owned by uid {})", f.path, f.uid)));
        }
        if f.mode & 0o022 != 0 {
            return Err(Refused::new(
                Exit::InvalidConfigFile,
                format!("{} must not be group or world writable (mode {:o})", f.path, f.mode),
            ));
        }
    }
    Ok(())
}

/// The helper's own file: root-owned, group `nm_gid`, setuid, nothing for others.
///
/// ```
/// use yarnsec_container_executor::ops::setup::{binary_is_locked, FileFacts};
/// let ce = FileFacts { path: "/opt/hadoop/bin/container-executor".into(), uid: 0, gid: 1001, mode: 0o6050 };
/// assert!(binary_is_locked(&ce, 1001).is_ok());
/// assert!(binary_is_locked(&FileFacts { mode: 0o6051, ..ce.clone() }, 1001).is_err());
/// ```
pub fn binary_is_locked(f: &FileFacts, nm_gid: u32) -> Result<(), Refused> {
    let fail = |why: String| Err(Refused::new(Exit::InvalidExecPermissions, format!("{}: {why}", f.path)));
    if f.uid != 0 {
        return fail(format!("must be owned by root (uid {})", f.uid));
    }
    if f.gid != nm_gid {
        return fail(format!(
            "its group {} is not the NodeManager's group {nm_gid} (yarn.nodemanager.linux-container-executor.group)",
            f.gid
        ));
    }
    if f.mode & 0o4000 == 0 {
        return fail(format!("must be setuid (mode {:o}; want 6050)", f.mode));
    }
    if f.mode & 0o007 != 0 {
        return fail(format!("others may use it (mode {:o}; want 6050)", f.mode));
    }
    Ok(())
}

/// The facts of `path` and of every directory above it.
pub fn chain_of(path: &Path) -> Result<Vec<FileFacts>, Refused> {
    let mut out = Vec::new();
    let mut p = Some(path);
    while let Some(here) = p {
        if here.as_os_str().is_empty() {
            break;
        }
        out.push(FileFacts::of(here).map_err(|e| Refused::because(Exit::InvalidConfigFile, here.display(), e))?);
        p = here.parent();
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(path: &str, uid: u32, gid: u32, mode: u32) -> FileFacts {
        FileFacts { path: path.into(), uid, gid, mode }
    }

    #[test]
    fn a_table_of_configuration_chains() {
        let ok = [f("/etc/hadoop/container-executor.cfg", 0, 0, 0o400), f("/etc/hadoop", 0, 0, 0o755), f("/", 0, 0, 0o755)];
        assert!(config_is_root_only(&ok).is_ok());
        let cases: Vec<(Vec<FileFacts>, &str)> = vec![
            (vec![f("/etc/c.cfg", 1004, 0, 0o644)], "must be owned by root (it is owned by uid 1004)"),
            (vec![f("/etc/c.cfg", 0, 0, 0o646)], "must not be group or world writable (mode 646)"),
            (vec![f("/etc/c.cfg", 0, 0, 0o644), f("/etc", 0, 1001, 0o775)], "/etc must not be group or world writable"),
            (vec![f("/etc/c.cfg", 0, 0, 0o644), f("/etc", 1004, 0, 0o755)], "/etc must be owned by root"),
        ];
        for (chain, want) in cases {
            let err = config_is_root_only(&chain).unwrap_err();
            assert_eq!(err.exit, Exit::InvalidConfigFile);
            assert!(err.message.contains(want), "{}", err.message);
        }
    }

    #[test]
    fn a_table_of_helper_files() {
        let good = f("/ce", 0, 1001, 0o6050);
        assert!(binary_is_locked(&good, 1001).is_ok());
        assert!(binary_is_locked(&f("/ce", 0, 1001, 0o4750), 1001).is_ok());
        for (bad, want) in [
            (f("/ce", 1004, 1001, 0o6050), "owned by root"),
            (f("/ce", 0, 0, 0o6050), "not the NodeManager's group"),
            (f("/ce", 0, 1001, 0o0750), "must be setuid"),
            (f("/ce", 0, 1001, 0o6051), "others may use it"),
            (f("/ce", 0, 1001, 0o6052), "others may use it"),
        ] {
            let err = binary_is_locked(&bad, 1001).unwrap_err();
            assert_eq!(err.exit, Exit::InvalidExecPermissions);
            assert!(err.message.contains(want), "{}", err.message);
        }
    }
}
