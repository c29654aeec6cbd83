//! The file operations of the commands: directories made with exact modes and owners, files
//! copied without following links, written whole through a temporary name, and trees removed.

use std::fs::{self, DirBuilder, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use nix::unistd::{Gid, Uid};

/// Makes `dir` with `mode` (exactly: umask and the setgid bit included) unless it is already a
/// directory (a symlink is not); `owner` then owns it.
pub fn make_dir(dir: &Path, mode: u32, owner: Option<(Uid, Gid)>) -> io::Result<()> {
    match fs::symlink_metadata(dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => return Err(io::Error::new(io::ErrorKind::AlreadyExists, format!("{} exists and is not a directory", dir.display()))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => DirBuilder::new().mode(mode & 0o777).create(dir)?,
        Err(e) => return Err(e),
    }
    if let Some((uid, gid)) = owner {
        nix::unistd::fchownat(nix::fcntl::AT_FDCWD, dir, Some(uid), Some(gid), nix::fcntl::AtFlags::AT_SYMLINK_NOFOLLOW)
            .map_err(io::Error::from)?;
    }
    fs::set_permissions(dir, fs::Permissions::from_mode(mode))
}

/// Reads a regular file whole, refusing a symlink.
pub fn read_plain(path: &Path) -> io::Result<Vec<u8>> {
    let mut f = OpenOptions::new().read(true).custom_flags(libc_o_nofollow()).open(path)?;
    if !f.metadata()?.is_file() {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, format!("{} is not a regular file", path.display())));
    }
    let mut out = Vec::new();
    io::Read::read_to_end(&mut f, &mut out)?;
    Ok(out)
}

/// Writes `content` to `path` with `mode`, replacing a regular file but never following a link.
pub fn write_plain(path: &Path, content: &[u8], mode: u32) -> io::Result<()> {
    if let Ok(m) = fs::symlink_metadata(path) {
        if !m.is_file() {
            return Err(io::Error::new(io::ErrorKind::AlreadyExists, format!("{} exists and is not a regular file", path.display())));
        }
        fs::remove_file(path)?;
    }
    let mut f = OpenOptions::new().write(true).create_new(true).mode(mode).custom_flags(libc_o_nofollow()).open(path)?;
    f.write_all(content)?;
    f.set_permissions(fs::Permissions::from_mode(mode))?;
    f.sync_all()
}

/// Writes `text` to `path` through `path.tmp` and a rename, so that a reader sees all or nothing.
pub fn write_atomically(path: &Path, text: &str) -> io::Result<()> {
    let mut tmp = PathBuf::from(path);
    tmp.as_mut_os_string().push(".tmp");
    write_plain(&tmp, text.as_bytes(), 0o644)?;
    fs::rename(&tmp, path)
}

/// Removes `path` and everything below it without following links; absent is fine.
pub fn remove_tree(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
        Ok(m) if m.is_dir() => fs::remove_dir_all(path),
        Ok(_) => fs::remove_file(path),
    }
}

/// Removes `path` when it is a file, a link or an empty directory; absent is fine.
pub fn remove_empty(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
        Ok(m) if m.is_dir() => fs::remove_dir(path),
        Ok(_) => fs::remove_file(path),
    }
}

/// Removes what is inside directory `path` (not `path` itself); absent is fine.
pub fn remove_contents(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => {
            for entry in fs::read_dir(path)? {
                remove_tree(&entry?.path())?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

fn libc_o_nofollow() -> i32 {
    nix::fcntl::OFlag::O_NOFOLLOW.bits()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_written_whole_with_their_mode_and_links_are_refused() {
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("tokens");
        write_plain(&f, b"abc", 0o600).unwrap();
        write_plain(&f, b"de", 0o600).unwrap();
        assert_eq!(read_plain(&f).unwrap(), b"de");
        assert_eq!(fs::metadata(&f).unwrap().permissions().mode() & 0o7777, 0o600);
        let link = d.path().join("link");
        std::os::unix::fs::symlink("/etc/passwd", &link).unwrap();
        assert!(read_plain(&link).is_err());
        assert!(write_plain(&link, b"x", 0o600).is_err());
        assert!(make_dir(&link, 0o750, None).is_err());
        let sub = d.path().join("sub");
        make_dir(&sub, 0o2750, None).unwrap();
        assert_eq!(fs::metadata(&sub).unwrap().permissions().mode() & 0o7777, 0o2750);
        write_atomically(&sub.join("pid"), "42\n").unwrap();
        assert_eq!(fs::read_to_string(sub.join("pid")).unwrap(), "42\n");
        assert!(!sub.join("pid.tmp").exists());
        remove_contents(&sub).unwrap();
        assert!(sub.exists() && fs::read_dir(&sub).unwrap().next().is_none());
        remove_tree(&sub).unwrap();
        remove_tree(&sub).unwrap();
        assert!(!sub.exists());
    }
}
