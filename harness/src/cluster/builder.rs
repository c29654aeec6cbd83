//! Describing the cluster to start.

use std::time::Duration;

use super::{start, SecureCluster};
use crate::error::HarnessError;
use crate::images::ImageOptions;
use crate::progress::Progress;
use crate::SecurityProfile;

/// Describes a cluster to start; see [`SecureCluster::builder`].
#[derive(Clone, Debug)]
pub struct SecureClusterBuilder {
    pub(crate) profile: SecurityProfile,
    pub(crate) images: ImageOptions,
    pub(crate) keep: bool,
    pub(crate) keep_on_failure: bool,
    pub(crate) owner_pid: Option<u32>,
    pub(crate) ready_timeout: Duration,
    pub(crate) progress: Progress,
    pub(crate) overrides: Vec<crate::config::PropertyOverride>,
    pub(crate) service: Option<ServiceOptions>,
    pub(crate) remote_hdfs: bool,
    pub(crate) kdc_files: Vec<(String, String)>,
}

/// The reference submission service to run beside the cluster.
#[derive(Clone, Debug)]
pub struct ServiceOptions {
    /// A `yarnsec-service` executable built on this host (Debian bookworm, like the images).
    pub binary: std::path::PathBuf,
    /// Fault switches to turn on (`no-doas`, ...).
    pub faults: Vec<String>,
}

impl Default for SecureClusterBuilder {
    fn default() -> Self {
        Self {
            profile: SecurityProfile::strict(),
            images: ImageOptions::default(),
            keep: keep_from_env(),
            keep_on_failure: keep_from_env(),
            owner_pid: None,
            ready_timeout: Duration::from_secs(240),
            progress: Progress::stderr(),
            overrides: Vec::new(),
            service: None,
            remote_hdfs: true,
            kdc_files: Vec::new(),
        }
    }
}

impl SecureClusterBuilder {
    /// The security profile (default `strict`).
    pub fn profile(mut self, profile: SecurityProfile) -> Self {
        self.profile = profile;
        self
    }
    /// Shortcut: the profile's ticket lifetime.
    pub fn ticket_lifetime(mut self, d: Duration) -> Self {
        self.profile = self.profile.with_ticket_lifetime(d);
        self
    }
    /// Shortcut: the profile's token renew interval.
    pub fn token_renew_interval(mut self, d: Duration) -> Self {
        self.profile = self.profile.with_token_renew_interval(d);
        self
    }
    /// Run containers as their users through a `container-executor` binary built elsewhere
    /// (`binary`, built on this host) instead of the one built with this harness (the default:
    /// the NodeManager always uses `LinuxContainerExecutor` unless
    /// [`Self::default_container_executor`]), installed setuid root in a derived Hadoop image.
    ///
    /// ```no_run
    /// # use yarnsec_harness::SecureCluster;
    /// let b = SecureCluster::builder().container_executor("target/debug/container-executor");
    /// ```
    pub fn container_executor(mut self, binary: impl Into<std::path::PathBuf>) -> Self {
        self.images.container_executor = crate::images::ContainerExecutor::LinuxWith(binary.into());
        self
    }

    /// Run every container as the NodeManager's OS user `yarn` (`DefaultContainerExecutor`)
    /// instead of as its user through yarnsec's setuid helper (the default): what a cluster
    /// without the helper does. On a Kerberos cluster the NodeManager then cannot aggregate
    /// container logs (their owner is not the application's user), so aggregation is off.
    ///
    /// ```no_run
    /// # use yarnsec_harness::SecureCluster;
    /// let b = SecureCluster::builder().default_container_executor();
    /// ```
    pub fn default_container_executor(mut self) -> Self {
        self.images.container_executor = crate::images::ContainerExecutor::Default;
        self
    }

    /// The properties the Hadoop node's site files get beyond the generated ones: the
    /// container-executor's (unless `default_container_executor`), then [`Self::hadoop_property`]'s, which win.
    pub(crate) fn node_overrides(&self) -> Vec<crate::config::PropertyOverride> {
        let mut out = Vec::new();
        if self.images.container_executor != crate::images::ContainerExecutor::Default {
            out.extend(crate::config::container_executor::yarn_site_overrides(&self.profile));
        }
        out.extend(self.overrides.iter().cloned());
        out
    }

    /// The Hadoop version (default `$YARNSEC_HADOOP_VERSION`, else 3.4.2).
    pub fn hadoop_version(mut self, version: impl Into<String>) -> Self {
        self.images.hadoop_version = version.into();
        self
    }
    /// Leave the containers running after this value is dropped or shut down (default:
    /// `$YARNSEC_KEEP` set). A cluster that fails to start is removed unless `$YARNSEC_KEEP` is set.
    pub fn keep(mut self, keep: bool) -> Self {
        self.keep = keep;
        self
    }
    /// The process whose end makes the cluster a leftover that `yarnsec down` and the next start
    /// remove (default: this process; with `keep` and no owner named, the cluster is kept on
    /// purpose once started, and outlives this process).
    pub fn owner_pid(mut self, pid: u32) -> Self {
        self.owner_pid = Some(pid);
        self
    }
    /// How long to wait for every daemon to become ready (default 240 s).
    pub fn ready_timeout(mut self, d: Duration) -> Self {
        self.ready_timeout = d;
        self
    }
    /// Sets a Hadoop property over the generated configuration, e.g.
    /// `("yarn-site.xml", "yarn.resourcemanager.am.max-attempts", "2")`: to try a setting, or to
    /// reproduce a broken cluster.
    pub fn hadoop_property(mut self, file: &str, name: &str, value: &str) -> Self {
        self.overrides.push((file.into(), name.into(), value.into()));
        self
    }

    /// Replaces a file the KDC container gets, e.g. `/etc/krb5kdc/kdc.conf`; `{realm}` in
    /// `content` becomes the cluster's realm. To reproduce a broken KDC.
    pub fn kdc_file(mut self, path: &str, content: &str) -> Self {
        self.kdc_files.push((path.into(), content.into()));
        self
    }

    /// Also runs the reference submission service, from `binary`, with these fault switches.
    pub fn service(mut self, binary: impl Into<std::path::PathBuf>, faults: Vec<String>) -> Self {
        self.service = Some(ServiceOptions { binary: binary.into(), faults });
        self
    }

    /// Also runs a remote HDFS: a second NameNode and DataNode in their own container, with their
    /// own namespace in the same realm, holding `/shared/for-alice.txt` (default: on). The
    /// remote-cluster scenario (T9) needs it; turning it off saves a container and a few seconds.
    pub fn remote_hdfs(mut self, on: bool) -> Self {
        self.remote_hdfs = on;
        self
    }

    /// Debian packages the cluster's containers need beyond Hadoop's (e.g. `python3` for
    /// applications that run Python): the NodeManager and the edge node run from the Hadoop
    /// image with them added, built once per list ([`crate::images::check_packages`] names a
    /// bad one).
    pub fn packages(mut self, packages: Vec<String>) -> Self {
        self.images.packages = packages;
        self
    }

    /// Where progress goes (default: stderr).
    pub fn progress(mut self, progress: Progress) -> Self {
        self.progress = progress;
        self
    }

    /// Builds the images if needed, starts the containers and waits until every daemon is ready.
    pub async fn start(self) -> Result<SecureCluster, HarnessError> {
        start::start(self).await
    }
}

/// `YARNSEC_KEEP=1` keeps containers for debugging, after success and after failure.
fn keep_from_env() -> bool {
    std::env::var("YARNSEC_KEEP").is_ok_and(|v| !v.is_empty() && v != "0")
}
