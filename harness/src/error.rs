//! Errors of the harness. Each message names the cause and how to fix it.

use std::path::PathBuf;
use std::time::Duration;

use yarnsec_hadoop::{HttpError, KerberosError};

use crate::profile::ProfileError;

/// What went wrong while building images or starting, observing or stopping a cluster.
#[derive(Debug, thiserror::Error)]
pub enum HarnessError {
    /// No Docker engine answered.
    #[error("no Docker engine answers ({detail})\nhint: install one with `apt-get install -y docker.io`, start it with `dockerd &`, and check with `docker info`; `.ci/run` does both")]
    DockerUnavailable {
        /// The client's error.
        detail: String,
    },
    /// Creating or inspecting a network failed.
    #[error("docker network error: {detail}")]
    Network {
        /// The engine's error.
        detail: String,
    },
    /// Every subnet tried was taken.
    #[error("no free /24 subnet in 198.18.0.0/15 for a new cluster network ({detail})\nhint: remove leftovers with `yarnsec down --all` or `docker network prune`")]
    NoFreeSubnet {
        /// The last engine error.
        detail: String,
    },
    /// Cleanup did not remove everything.
    #[error("cleanup left something behind: {detail}\nhint: run `yarnsec down --all`")]
    Cleanup {
        /// What was not removed.
        detail: String,
    },
    /// Building an image failed.
    #[error("building image {image} failed: {detail}\n{log_tail}\nhint: rerun with `yarnsec images build --no-cache`; Debian packages come from {mirror} over plain HTTP")]
    ImageBuild {
        /// The image.
        image: String,
        /// The error.
        detail: String,
        /// The last lines of build output.
        log_tail: String,
        /// The Debian mirror used.
        mirror: String,
    },
    /// A tool the image build needs on the host failed or is missing.
    #[error("{tool} failed: {detail}\n{log_tail}\nhint: {hint}")]
    HostTool {
        /// `debootstrap`, `mvn`, `tar`.
        tool: String,
        /// The error.
        detail: String,
        /// The last lines of its output.
        log_tail: String,
        /// What to do.
        hint: String,
    },
    /// A container could not be started.
    #[error(
        "the {role} container could not start: {detail}\nhint: check `docker info` and that the image exists (`yarnsec images build`)"
    )]
    ContainerStart {
        /// kdc, hadoop, service.
        role: String,
        /// The error.
        detail: String,
    },
    /// A readiness condition was not met in time.
    #[error("{daemon} was not ready after {}s: waited for {condition}; last seen: {last_error}\n--- last lines of {daemon}'s log ---\n{log_tail}", waited.as_secs())]
    NotReady {
        /// The daemon.
        daemon: String,
        /// The condition waited for.
        condition: String,
        /// How long.
        waited: Duration,
        /// The last failure of the check.
        last_error: String,
        /// The last 30 lines of its log.
        log_tail: String,
    },
    /// A daemon exited during start.
    #[error("{daemon} exited during start (status {status})\n--- last lines of {daemon}'s log ---\n{log_tail}\nhint: the log above names the config key or principal at fault")]
    DaemonExited {
        /// The daemon.
        daemon: String,
        /// Its exit status.
        status: String,
        /// The last 30 lines of its log.
        log_tail: String,
    },
    /// A command run in a container failed.
    #[error("`{command}` in the {container} container failed: {detail}")]
    Exec {
        /// Container role.
        container: String,
        /// The command.
        command: String,
        /// Its output or the engine's error.
        detail: String,
    },
    /// A user is not one of the cluster's test users.
    #[error("`{name}` is not a user of this cluster; its users are {known}")]
    UnknownUser {
        /// The name asked for.
        name: String,
        /// The known users.
        known: String,
    },
    /// An id that is not a yarnsec cluster's was given to remove.
    #[error("`{id}` is not a yarnsec cluster id (they look like yarnsec-095-4e36)\nhint: `docker network ls --filter label=dev.yarnsec.project=yarnsec` lists the clusters")]
    NotACluster {
        /// The id given.
        id: String,
    },
    /// The process named to own a cluster does not run.
    #[error("no process {pid} runs on this machine to own the cluster\nhint: `--down-when-gone` takes the pid of a running process (a test runner's), e.g. `$$` in a shell")]
    NoSuchOwner {
        /// The pid given.
        pid: u32,
    },
    /// A file on the host could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        #[source]
        source: std::io::Error,
    },
    /// Kerberos failed.
    #[error(transparent)]
    Kerberos(#[from] KerberosError),
    /// An HTTP exchange failed.
    #[error(transparent)]
    Http(#[from] HttpError),
    /// The profile cannot be used.
    #[error(transparent)]
    Profile(#[from] ProfileError),
}

impl HarnessError {
    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| HarnessError::Io { path, source }
    }
}
