//! One running container of a cluster, reached through the engine: commands, files and logs.
//!
//! A node works the same whether this process started the container (it then also owns the
//! testcontainers handle that removes it) or attached to a cluster another process started.

use std::net::IpAddr;

use bollard::exec::StartExecResults;
use bollard::models::ExecConfig;
use bollard::Docker;
use futures::StreamExt;
use testcontainers::{ContainerAsync, GenericImage};

use crate::error::HarnessError;

/// Which of a command's output streams a piece of output came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputStream {
    /// Standard output.
    Stdout,
    /// Standard error.
    Stderr,
}

/// What a command printed and how it ended.
#[derive(Clone, Debug, Default)]
pub struct ExecOutput {
    /// Exit code (`-1` if the engine did not say).
    pub code: i64,
    /// Standard output.
    pub stdout: Vec<u8>,
    /// Standard error.
    pub stderr: Vec<u8>,
}

impl ExecOutput {
    /// Standard output as text.
    pub fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
    /// Standard error as text.
    pub fn stderr_text(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }
}

/// A container of the cluster.
pub struct Node {
    role: String,
    id: String,
    hostname: String,
    ip: IpAddr,
    docker: Docker,
    handle: Option<ContainerAsync<GenericImage>>,
}

impl std::fmt::Debug for Node {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Node")
            .field("role", &self.role)
            .field("id", &self.id)
            .field("hostname", &self.hostname)
            .field("ip", &self.ip)
            .finish()
    }
}

impl Node {
    /// A node for a container this process started.
    pub(crate) fn owned(role: &str, hostname: &str, ip: IpAddr, docker: Docker, handle: ContainerAsync<GenericImage>) -> Self {
        Self { role: role.into(), id: handle.id().to_string(), hostname: hostname.into(), ip, docker, handle: Some(handle) }
    }

    /// A node for a container another process started.
    pub(crate) fn attached(role: &str, id: &str, hostname: &str, ip: IpAddr, docker: Docker) -> Self {
        Self { role: role.into(), id: id.into(), hostname: hostname.into(), ip, docker, handle: None }
    }

    /// `kdc`, `hadoop`, `service`.
    pub fn role(&self) -> &str {
        &self.role
    }
    /// The container id.
    pub fn id(&self) -> &str {
        &self.id
    }
    /// The container's host name.
    pub fn hostname(&self) -> &str {
        &self.hostname
    }
    /// The container's address on the cluster network.
    pub fn ip(&self) -> IpAddr {
        self.ip
    }

    /// Gives up ownership of the container without removing it (kept for debugging).
    pub(crate) fn forget_handle(&mut self) {
        if let Some(h) = self.handle.take() {
            std::mem::forget(h);
        }
    }

    /// Runs a command (as root unless `user` is given) and collects its output.
    pub async fn exec_as(&self, user: Option<&str>, cmd: &[&str]) -> Result<ExecOutput, HarnessError> {
        let mut out = ExecOutput::default();
        out.code = self
            .exec_streaming(user, cmd, |stream, bytes| match stream {
                OutputStream::Stdout => out.stdout.extend_from_slice(bytes),
                OutputStream::Stderr => out.stderr.extend_from_slice(bytes),
            })
            .await?;
        Ok(out)
    }

    /// Runs a command (as root unless `user` is given), handing each piece of its output to
    /// `each` as it comes, and returns its exit code (-1 when the engine does not say).
    pub async fn exec_streaming(
        &self,
        user: Option<&str>,
        cmd: &[&str],
        mut each: impl FnMut(OutputStream, &[u8]),
    ) -> Result<i64, HarnessError> {
        let err = |detail: String| HarnessError::Exec { container: self.role.clone(), command: cmd.join(" "), detail };
        let config = ExecConfig {
            cmd: Some(cmd.iter().map(|s| s.to_string()).collect()),
            attach_stdout: Some(true),
            attach_stderr: Some(true),
            user: user.map(str::to_string),
            ..Default::default()
        };
        let created = self.docker.create_exec(&self.id, config).await.map_err(|e| err(e.to_string()))?;
        if let StartExecResults::Attached { mut output, .. } =
            self.docker.start_exec(&created.id, None).await.map_err(|e| err(e.to_string()))?
        {
            while let Some(item) = output.next().await {
                match item.map_err(|e| err(e.to_string()))? {
                    bollard::container::LogOutput::StdOut { message } => each(OutputStream::Stdout, &message),
                    bollard::container::LogOutput::StdErr { message } => each(OutputStream::Stderr, &message),
                    _ => {}
                }
            }
        }
        let inspect = self.docker.inspect_exec(&created.id).await.map_err(|e| err(e.to_string()))?;
        Ok(inspect.exit_code.unwrap_or(-1))
    }

    /// Runs a command as root.
    pub async fn exec(&self, cmd: &[&str]) -> Result<ExecOutput, HarnessError> {
        self.exec_as(None, cmd).await
    }

    /// Runs a shell command line as root and fails unless it exits 0.
    pub async fn sh(&self, script: &str) -> Result<String, HarnessError> {
        let out = self.exec(&["sh", "-c", script]).await?;
        if out.code != 0 {
            return Err(HarnessError::Exec {
                container: self.role.clone(),
                command: script.to_string(),
                detail: format!("exit code {}: {}{}", out.code, out.stderr_text(), out.stdout_text()),
            });
        }
        Ok(out.stdout_text())
    }

    /// The content of a file.
    pub async fn read_file(&self, path: &str) -> Result<Vec<u8>, HarnessError> {
        let out = self.exec(&["cat", "--", path]).await?;
        if out.code != 0 {
            return Err(HarnessError::Exec { container: self.role.clone(), command: format!("cat {path}"), detail: out.stderr_text() });
        }
        Ok(out.stdout)
    }

    /// The lines of a file that contain any of `needles` (fixed strings), in the file's order:
    /// `grep` picks them in the container, so a log of megabytes costs only its matching lines
    /// on the way out (the engine streams every byte an exec prints). Empty when none matches
    /// (or no needle is given); an error when the file cannot be read.
    pub async fn grep(&self, path: &str, needles: &[&str]) -> Result<String, HarnessError> {
        if needles.is_empty() {
            return Ok(String::new());
        }
        let mut cmd = vec!["grep", "-a", "-F"];
        for needle in needles {
            cmd.extend(["-e", needle]);
        }
        cmd.extend(["--", path]);
        let out = self.exec(&cmd).await?;
        // grep exits 1 when no line matched, 2 on an error (a missing file, no needle).
        match out.code {
            0 | 1 => Ok(out.stdout_text()),
            _ => Err(HarnessError::Exec {
                container: self.role.clone(),
                command: format!("grep -F {needles:?} {path}"),
                detail: format!("exit code {}: {}", out.code, out.stderr_text()),
            }),
        }
    }

    /// A directory's content as one tar archive (one exec, whatever the number of files). The
    /// directory may be live, as the NodeManager's log dirs are: a file or directory that goes
    /// while `tar` reads (log aggregation removes an application's logs once they are in HDFS)
    /// is left out, and a file that grows comes with the bytes it had when `tar` began it.
    pub async fn read_dir_archive(&self, dir: &str) -> Result<Vec<u8>, HarnessError> {
        let mut cmd = vec!["tar"];
        cmd.extend(LIVE_TAR);
        cmd.extend(["-C", dir, "-cf", "-", "."]);
        let out = self.exec(&cmd).await?;
        live_tar_archive(out).map_err(|detail| HarnessError::Exec {
            container: self.role.clone(),
            command: format!("tar -C {dir} -cf - ."),
            detail,
        })
    }

    /// The last `lines` lines of a file (empty if it cannot be read: this feeds error messages).
    pub async fn tail(&self, path: &str, lines: usize) -> String {
        match self.exec(&["tail", "-n", &lines.to_string(), "--", path]).await {
            Ok(out) if out.code == 0 => out.stdout_text(),
            Ok(out) => format!("(could not read {path}: {})", out.stderr_text().trim()),
            Err(e) => format!("(could not read {path}: {e})"),
        }
    }

    /// The last `lines` lines the container's main process printed (stdout and stderr).
    pub async fn log_tail(&self, lines: usize) -> String {
        use bollard::query_parameters::LogsOptions;
        let options = LogsOptions { stdout: true, stderr: true, tail: lines.to_string(), ..Default::default() };
        let mut stream = self.docker.logs(&self.id, Some(options));
        let mut text = String::new();
        while let Some(Ok(chunk)) = stream.next().await {
            text.push_str(&chunk.to_string());
        }
        text
    }

    /// Every regular file matching any of `patterns` (shell globs, expanded in the container),
    /// with its content, in the globs' order: one exec (`tar`) whatever the number of files,
    /// where [`Node::glob`] and [`Node::read_file`] take one each (an exec costs the engine, its
    /// shim and `runc` about 40 CPU-ms). A file that goes between the glob and its read is left
    /// out; one that grows meanwhile comes with the bytes it had when `tar` began it.
    pub async fn read_glob(&self, patterns: &[&str]) -> Result<Vec<(String, Vec<u8>)>, HarnessError> {
        let script = format!(
            "set --; for f in {}; do [ -f \"$f\" ] && set -- \"$@\" \"$f\"; done; [ $# -eq 0 ] && exit 0; \
             exec tar -cPf - {} -- \"$@\"",
            patterns.join(" "),
            LIVE_TAR.join(" ")
        );
        let out = self.exec(&["sh", "-c", &script]).await?;
        let failed =
            |detail: String| HarnessError::Exec { container: self.role.clone(), command: format!("tar of {}", patterns.join(" ")), detail };
        let archive = live_tar_archive(out).map_err(failed)?;
        read_archive(&archive).map_err(|e| failed(format!("its archive could not be read: {e}")))
    }

    /// Files matching a shell glob (e.g. `/data/yarn/local/usercache/*/appcache/*/*/launch_container.sh`).
    pub async fn glob(&self, pattern: &str) -> Result<Vec<String>, HarnessError> {
        let out = self.exec(&["sh", "-c", &format!("for f in {pattern}; do [ -e \"$f\" ] && echo \"$f\"; done; true")]).await?;
        Ok(out.stdout_text().lines().map(str::to_string).collect())
    }
}

/// GNU tar's options for files that change while it reads them (a log being written, an
/// application's logs that log aggregation removes): what goes is left out, what grows comes with
/// the bytes it had when `tar` began it, and no warning is printed for either.
const LIVE_TAR: [&str; 3] = ["--ignore-failed-read", "--warning=no-file-changed", "--warning=no-file-removed"];

/// The archive a [`LIVE_TAR`] `tar` wrote, or what went wrong: GNU tar exits 1 when a file
/// changed while it read it, and the archive then holds what it read; 2 and above is a failure.
fn live_tar_archive(out: ExecOutput) -> Result<Vec<u8>, String> {
    if out.code > 1 {
        return Err(format!("exit code {}: {}", out.code, out.stderr_text()));
    }
    Ok(out.stdout)
}

/// The files of a tar archive, by their names in it, in its order.
fn read_archive(bytes: &[u8]) -> std::io::Result<Vec<(String, Vec<u8>)>> {
    use std::io::Read as _;
    let mut files = Vec::new();
    for entry in tar::Archive::new(bytes).entries()? {
        let mut entry = entry?;
        if entry.header().entry_type() != tar::EntryType::Regular {
            continue;
        }
        let path = entry.path()?.to_string_lossy().into_owned();
        let mut content = Vec::new();
        entry.read_to_end(&mut content)?;
        files.push((path, content));
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::{live_tar_archive, read_archive, ExecOutput};

    #[test]
    fn a_live_tar_that_saw_files_change_keeps_its_archive_and_one_that_failed_says_why() {
        let out = |code| ExecOutput { code, stdout: b"archive".to_vec(), stderr: b"tar: ./a: File removed before we read it".to_vec() };
        assert_eq!(live_tar_archive(out(0)).unwrap(), b"archive");
        assert_eq!(live_tar_archive(out(1)).unwrap(), b"archive");
        let failed = live_tar_archive(out(2)).unwrap_err();
        assert!(failed.starts_with("exit code 2: tar: ./a"), "{failed}");
    }

    fn archive(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut builder = tar::Builder::new(Vec::new());
        for (path, content) in files {
            let mut header = tar::Header::new_gnu();
            header.set_size(content.len() as u64);
            header.set_mode(0o644);
            header.set_entry_type(tar::EntryType::Regular);
            builder.append_data(&mut header, path, *content).unwrap();
        }
        builder.into_inner().unwrap()
    }

    #[test]
    fn an_archive_gives_its_files_in_order_with_long_names() {
        let long = format!("data/{}/launch_container.sh", "container_1796645026052_0001_01_000002/".repeat(4));
        let bytes = archive(&[("b.txt", b"two"), (&long, b"#!/bin/bash\n"), ("a.txt", b"")]);
        let files = read_archive(&bytes).unwrap();
        let names: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(names, ["b.txt", long.as_str(), "a.txt"]);
        assert_eq!(files[1].1, b"#!/bin/bash\n");
        assert!(files[2].1.is_empty());
    }

    #[test]
    fn nothing_is_no_file_and_a_torn_archive_is_an_error() {
        assert!(read_archive(&[]).unwrap().is_empty());
        let bytes = archive(&[("a.txt", &[7u8; 2000])]);
        assert!(read_archive(&bytes[..1024]).is_err());
    }
}
