//! `--container-executor PATH` of `up` and `run`: a helper binary other than the one built
//! into yarnsec (which every cluster's NodeManager uses by default).

use std::path::{Path, PathBuf};

/// The helper binary `arg` names, or why there is none.
pub fn resolve(arg: &Path) -> Result<PathBuf, yarnsec::BadInput> {
    if arg.is_file() {
        Ok(arg.to_path_buf())
    } else {
        Err(yarnsec::BadInput(format!(
            "--container-executor: no helper at {}: pass the path of a built `container-executor` \
             (`cargo build --release -p yarnsec-container-executor` builds one), or leave the option out \
             to use the one built into yarnsec",
            arg.display()
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_that_is_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let missing = resolve(&dir.path().join("container-executor")).unwrap_err().to_string();
        assert!(missing.contains("leave the option out"), "{missing}");
        std::fs::write(dir.path().join("container-executor"), b"").unwrap();
        assert_eq!(resolve(&dir.path().join("container-executor")).unwrap(), dir.path().join("container-executor"));
    }
}
