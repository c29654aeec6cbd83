//! One container of a cluster, described before it starts: image, host name, files, keytabs,
//! environment, mounts, and what says it started. Every kind of node is one of these.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::Duration;

use bollard::Docker;
use testcontainers::core::{Mount, WaitFor};
use testcontainers::runners::AsyncRunner;
use testcontainers::{CopyTargetOptions, GenericImage, ImageExt};

use super::inputs;
use crate::config::ConfigFiles;
use crate::docker::ROLE_LABEL;
use crate::error::HarnessError;
use crate::node::Node;

/// The cluster network a container joins, and the labels every container of the cluster carries.
pub(crate) struct Network<'a> {
    pub docker: &'a Docker,
    /// The network's name (the cluster's id).
    pub name: &'a str,
    /// The cluster's labels (project, cluster, owner, realm).
    pub labels: &'a HashMap<String, String>,
}

/// A container to start: [`ContainerSpec::new`], `with_*`, then [`ContainerSpec::start`].
pub(crate) struct ContainerSpec {
    role: String,
    image: String,
    hostname: String,
    files: ConfigFiles,
    keytabs: Vec<(String, Vec<u8>)>,
    files_with_mode: Vec<(String, Vec<u8>, u32)>,
    env: Vec<(String, String)>,
    cmd: Option<Vec<String>>,
    mounts: Vec<Mount>,
    ready: WaitFor,
}

impl ContainerSpec {
    /// A container of `role` running `image`, named `hostname` on the network; started when the
    /// engine says it runs (see [`ContainerSpec::ready_when`]).
    pub fn new(role: &str, image: &str, hostname: &str) -> Self {
        Self {
            role: role.into(),
            image: image.into(),
            hostname: hostname.into(),
            files: ConfigFiles::default(),
            keytabs: Vec::new(),
            files_with_mode: Vec::new(),
            env: Vec::new(),
            cmd: None,
            mounts: Vec::new(),
            ready: WaitFor::Nothing,
        }
    }

    /// Text files copied in before it starts (configuration).
    pub fn with_files(mut self, files: ConfigFiles) -> Self {
        self.files = files;
        self
    }

    /// Keytabs copied in, readable by their owner only.
    pub fn with_keytabs(mut self, keytabs: Vec<(String, Vec<u8>)>) -> Self {
        self.keytabs = keytabs;
        self
    }

    /// A file copied in with its mode (programs: 0755).
    pub fn with_file(mut self, path: impl Into<String>, content: Vec<u8>, mode: u32) -> Self {
        self.files_with_mode.push((path.into(), content, mode));
        self
    }

    /// An environment variable.
    pub fn with_env(mut self, name: &str, value: impl Into<String>) -> Self {
        self.env.push((name.into(), value.into()));
        self
    }

    /// The command, in place of the image's.
    pub fn with_cmd(mut self, cmd: Vec<String>) -> Self {
        self.cmd = Some(cmd);
        self
    }

    /// A host directory mounted in the container.
    pub fn with_mount(mut self, mount: Mount) -> Self {
        self.mounts.push(mount);
        self
    }

    /// What says it started (a line on its output); readiness beyond that is each kind's own.
    pub fn ready_when(mut self, ready: WaitFor) -> Self {
        self.ready = ready;
        self
    }

    /// Starts it on `net`.
    pub async fn start(self, net: &Network<'_>) -> Result<Node, HarnessError> {
        let role = self.role.clone();
        let fail = |detail: String| HarnessError::ContainerStart { role: role.clone(), detail };
        let mut files = self.files_with_mode;
        files.extend(self.files.iter().map(|(path, content)| (path.to_string(), content.as_bytes().to_vec(), 0o644)));
        files.extend(self.keytabs.into_iter().map(|(path, content)| (path, content, 0o600)));
        // More than one file: one archive, unpacked by the container before its command (see
        // `inputs`), where the image lets the command run first, as root.
        let unpack_then = match files.len() {
            0 | 1 => None,
            _ => command_after_unpacking(net.docker, &self.image, self.cmd.clone()).await,
        };
        // A container with no sign of its own is started once its files are there.
        let ready = match (&unpack_then, self.ready) {
            (Some(_), WaitFor::Nothing) => WaitFor::message_on_stdout(inputs::UNPACKED),
            (_, ready) => ready,
        };
        let (name, tag) = self.image.rsplit_once(':').unwrap_or((&self.image, "latest"));
        let mut request = GenericImage::new(name, tag)
            .with_wait_for(ready)
            .with_network(net.name)
            .with_hostname(&self.hostname)
            .with_labels(net.labels.clone())
            .with_label(ROLE_LABEL, &self.role)
            .with_startup_timeout(Duration::from_secs(90));
        for (name, value) in self.env {
            request = request.with_env_var(name, value);
        }
        for mount in self.mounts {
            request = request.with_mount(mount);
        }
        match unpack_then {
            Some(command) => {
                let archive = inputs::archive(&files).map_err(|e| fail(format!("archiving its input files: {e}")))?;
                request = request
                    .with_copy_to(CopyTargetOptions::new(inputs::ARCHIVE).with_mode(0o600), archive)
                    .with_cmd(inputs::unpacking(command));
            }
            None => {
                if let Some(cmd) = self.cmd {
                    request = request.with_cmd(cmd);
                }
                for (path, content, mode) in files {
                    request = request.with_copy_to(CopyTargetOptions::new(path).with_mode(mode), content);
                }
            }
        }
        let container = request.start().await.map_err(|e| fail(e.to_string()))?;
        let ip: IpAddr = container.get_bridge_ip_address().await.map_err(|e| fail(e.to_string()))?;
        Ok(Node::owned(&self.role, &self.hostname, ip, net.docker.clone(), container))
    }
}

/// The command a container of `image` runs after unpacking its input files: `cmd`, or the
/// image's own. `None` (the files are then copied one by one, as the engine unpacks them) when
/// the image has an entrypoint, which would run before the unpacking, or runs as a user other
/// than root, who could not unpack them, or cannot be inspected.
async fn command_after_unpacking(docker: &Docker, image: &str, cmd: Option<Vec<String>>) -> Option<Vec<String>> {
    let config = docker.inspect_image(image).await.ok()?.config?;
    if config.entrypoint.as_ref().is_some_and(|e| !e.is_empty()) {
        return None;
    }
    let user = config.user.as_deref().unwrap_or_default();
    if !matches!(user.split(':').next(), Some("" | "root" | "0")) {
        return None;
    }
    cmd.or(config.cmd).filter(|c| !c.is_empty())
}
