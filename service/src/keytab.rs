//! The keytab rule of the checklist: a keytab readable by anyone but its owner is refused.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use crate::error::ServiceError;

/// Fails unless `path` exists and only its owner may read it.
pub fn check_keytab(path: &Path) -> Result<(), ServiceError> {
    let meta =
        std::fs::metadata(path).map_err(|e| ServiceError::KeytabUnreadable { path: path.display().to_string(), detail: e.to_string() })?;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(ServiceError::KeytabExposed { path: path.display().to_string(), mode });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_group_or_world_readable_keytabs_and_names_the_fix() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("svc.keytab");
        std::fs::write(&path, b"x").unwrap();
        for (mode, ok) in [(0o600, true), (0o400, true), (0o640, false), (0o644, false), (0o604, false)] {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
            let result = check_keytab(&path);
            assert_eq!(result.is_ok(), ok, "mode {mode:o}");
            if let Err(e) = result {
                assert!(e.to_string().contains("chmod 600"), "{e}");
            }
        }
        assert!(check_keytab(&dir.path().join("missing")).is_err());
    }
}
