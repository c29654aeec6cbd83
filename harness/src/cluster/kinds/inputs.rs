//! A container's input files in one archive, unpacked by the container itself before its command
//! runs.
//!
//! The engine unpacks each file copied into a created container in a process of its own: about
//! 40 ms a file here, 0.7 s for the Hadoop node's 17 files, on the start's critical path. One
//! archive is one copy; the command, wrapped, unpacks it with the image's `tar` and then `exec`s
//! the image's own command, so that the command still runs as the container's first process.

/// Where the archive is copied in the container (removed once unpacked).
pub const ARCHIVE: &str = "/.yarnsec-inputs.tar";

/// What the container prints once its files are unpacked, before its command runs: the sign
/// that it started, for a container that has none of its own.
pub const UNPACKED: &str = "yarnsec: inputs unpacked";

/// One tar of `files` (absolute path, content, mode): file entries only, owned by root, so that
/// unpacking it creates missing parent directories and leaves existing ones as they are (the
/// engine's own copy gives each file the same owner and mode).
pub fn archive(files: &[(String, Vec<u8>, u32)]) -> std::io::Result<Vec<u8>> {
    let mut tar = tar::Builder::new(Vec::new());
    for (path, content, mode) in files {
        let mut header = tar::Header::new_gnu();
        header.set_size(content.len() as u64);
        header.set_mode(*mode);
        header.set_uid(0);
        header.set_gid(0);
        header.set_entry_type(tar::EntryType::Regular);
        tar.append_data(&mut header, path.trim_start_matches('/'), content.as_slice())?;
    }
    tar.into_inner()
}

/// `command` preceded by the unpacking of [`ARCHIVE`] and [`UNPACKED`]: a failed unpacking ends
/// the container with `tar`'s message on its output, before the command runs; a restarted
/// container (its archive gone) runs the command again.
pub fn unpacking(command: Vec<String>) -> Vec<String> {
    let script =
        format!("if [ -e {ARCHIVE} ]; then tar -xpf {ARCHIVE} -C / && rm -f {ARCHIVE} || exit 1; fi; echo '{UNPACKED}'; exec \"$@\"");
    ["/bin/sh".to_string(), "-c".into(), script, "yarnsec-inputs".into()].into_iter().chain(command).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_archive_holds_each_file_with_its_mode_and_no_directory() {
        let files = vec![
            ("/etc/krb5.conf".to_string(), b"a".to_vec(), 0o644),
            ("/etc/security/keytabs/hdfs.keytab".to_string(), b"k".to_vec(), 0o600),
        ];
        let bytes = archive(&files).unwrap();
        let mut tar = tar::Archive::new(bytes.as_slice());
        let entries: Vec<(String, u32, u64, tar::EntryType)> = tar
            .entries()
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                let h = e.header();
                (e.path().unwrap().display().to_string(), h.mode().unwrap(), h.uid().unwrap(), h.entry_type())
            })
            .collect();
        assert_eq!(
            entries,
            vec![
                ("etc/krb5.conf".to_string(), 0o644, 0, tar::EntryType::Regular),
                ("etc/security/keytabs/hdfs.keytab".to_string(), 0o600, 0, tar::EntryType::Regular),
            ]
        );
    }

    #[test]
    fn the_command_runs_after_the_unpacking_with_its_own_arguments() {
        let cmd = unpacking(vec!["/usr/local/bin/yarnsec-service".into(), "--config".into(), "/etc/yarnsec/service.toml".into()]);
        assert_eq!(&cmd[..2], ["/bin/sh", "-c"]);
        assert!(cmd[2].starts_with("if [ -e /.yarnsec-inputs.tar ]; then tar -xpf /.yarnsec-inputs.tar -C /"), "{}", cmd[2]);
        assert!(cmd[2].ends_with("echo 'yarnsec: inputs unpacked'; exec \"$@\""), "{}", cmd[2]);
        // "$0", then the command's words as "$@".
        assert_eq!(&cmd[3..], ["yarnsec-inputs", "/usr/local/bin/yarnsec-service", "--config", "/etc/yarnsec/service.toml"]);
    }
}

#[cfg(test)]
mod shell {
    use super::*;

    /// The wrapper, run by a real shell with stand-ins: the archive unpacked into a root, the
    /// command run with its arguments, and a second start (no archive) runs the command again.
    #[test]
    fn a_shell_unpacks_then_runs_the_command_and_runs_it_again_without_the_archive() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let tar = archive(&[("/etc/x.conf".to_string(), b"hello".to_vec(), 0o640)]).unwrap();
        let archive_path = root.join("inputs.tar");
        std::fs::write(&archive_path, tar).unwrap();
        let script = unpacking(vec!["echo".into(), "ran".into(), "it".into()])[2]
            .replace(ARCHIVE, archive_path.to_str().unwrap())
            .replace("-C /", &format!("-C {}", root.display()));
        let run = || std::process::Command::new("/bin/sh").args(["-c", &script, "yarnsec-inputs", "echo", "ran", "it"]).output().unwrap();
        let out = run();
        assert!(out.status.success(), "{out:?}");
        assert_eq!(String::from_utf8_lossy(&out.stdout), format!("{UNPACKED}\nran it\n"));
        assert_eq!(std::fs::read(root.join("etc/x.conf")).unwrap(), b"hello");
        assert!(!archive_path.exists());
        let again = run();
        assert_eq!(String::from_utf8_lossy(&again.stdout), format!("{UNPACKED}\nran it\n"));
    }
}
