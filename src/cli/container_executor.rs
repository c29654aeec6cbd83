//! `--container-executor [PATH]` of `up` and `run`: which helper binary the NodeManager runs
//! containers through. Without a path (`auto`), the one built beside this `yarnsec` executable.

use std::path::{Path, PathBuf};

/// The helper binary `arg` names (`auto`, what a bare `--container-executor` gives:
/// `container-executor` beside `exe`), or why there is none.
pub fn resolve(arg: &Path, exe: &Path) -> Result<PathBuf, yarnsec::BadInput> {
    let path = if arg.as_os_str() == "auto" {
        exe.parent().map(|d| d.join("container-executor")).unwrap_or_else(|| PathBuf::from("container-executor"))
    } else {
        arg.to_path_buf()
    };
    if path.is_file() {
        Ok(path)
    } else {
        Err(yarnsec::BadInput(format!(
            "--container-executor: no helper at {}: build it with `cargo build --release -p yarnsec-container-executor` \
             (`./yarnsec run --container-executor` does), or pass --container-executor PATH",
            path.display()
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_helper_beside_the_executable_or_the_path_given() {
        let dir = tempfile::tempdir().unwrap();
        let exe = dir.path().join("yarnsec");
        let missing = resolve(Path::new("auto"), &exe).unwrap_err().to_string();
        assert!(missing.contains("cargo build --release -p yarnsec-container-executor"), "{missing}");
        std::fs::write(dir.path().join("container-executor"), b"").unwrap();
        assert_eq!(resolve(Path::new("auto"), &exe).unwrap(), dir.path().join("container-executor"));
        assert!(resolve(Path::new("/nonexistent/ce"), &exe).unwrap_err().to_string().contains("/nonexistent/ce"));
    }
}
