//! The images a cluster runs, built locally and never pulled.
//!
//! ```text
//! base    debian:bookworm-slim if the engine has it, else a debootstrap root imported as an image
//! kdc     base + MIT krb5-kdc
//! hadoop  base + openjdk-17-jre-headless + the Apache Hadoop jars Maven gathered on the host
//! ```
//! Pure-Python packages a submitter needs on the edge node are fetched on the host too, by pip
//! ([`python_site`]), and mounted there.
//! Each tag is a hash of the image's build inputs, so an image whose inputs did not change is
//! found and skipped (a cached rebuild costs a few engine queries). A new build removes the
//! older images of its repository but the newest few ([`prune`]).

mod base;
mod build;
mod maven;
mod mirror;
mod pip;
pub mod prune;
mod sources;

use bollard::Docker;

pub use maven::cache_dir;
pub use mirror::debian_mirror;
pub use pip::{check_pip, python_site};
pub use sources::check_packages;

use crate::error::HarnessError;
use crate::progress::Progress;

/// Hadoop's jars for `version` on this host, as a Java classpath entry (`…/jars/*`): what a JVM
/// client of the cluster needs. Gathered with Maven into the cache when this host has not
/// gathered them yet (e.g. the images came from another host's build).
pub async fn client_classpath(version: &str, progress: &Progress) -> Result<String, HarnessError> {
    let entries = maven::collect_jars(version, progress).await?;
    let jars = entries.into_iter().find(|(name, _)| name == "jars").map(|(_, path)| path).unwrap_or_default();
    Ok(format!("{}/*", jars.display()))
}

/// The Hadoop version built when none is asked for.
pub const DEFAULT_HADOOP_VERSION: &str = "3.4.2";

/// What to build.
#[derive(Clone, Debug)]
pub struct ImageOptions {
    /// Hadoop version (Maven artifact version), e.g. `3.4.2` or `3.3.6`.
    pub hadoop_version: String,
    /// Rebuild even when an image with the same inputs exists.
    pub no_cache: bool,
    /// Debian packages to add to the Hadoop image (a derived image, built once per list).
    pub packages: Vec<String>,
    /// How the NodeManager runs containers: the image for [`ContainerExecutor::Linux`] has
    /// yarnsec's setuid `container-executor` installed.
    pub container_executor: ContainerExecutor,
}

/// How the NodeManager runs containers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ContainerExecutor {
    /// `LinuxContainerExecutor` with yarnsec's setuid helper built with this harness
    /// ([`crate::native::CONTAINER_EXECUTOR`]): each container runs as its user, as on every
    /// production secure cluster, and the NodeManager can aggregate their logs. The default.
    #[default]
    Linux,
    /// `LinuxContainerExecutor` with a helper binary built elsewhere (its path).
    LinuxWith(std::path::PathBuf),
    /// `DefaultContainerExecutor`: every container as the NodeManager's OS user `yarn`; on a
    /// Kerberos cluster its logs cannot be aggregated (`SecureIOUtils` refuses them).
    Default,
}

impl Default for ImageOptions {
    fn default() -> Self {
        Self {
            hadoop_version: std::env::var("YARNSEC_HADOOP_VERSION").unwrap_or_else(|_| DEFAULT_HADOOP_VERSION.to_string()),
            no_cache: false,
            packages: Vec::new(),
            container_executor: ContainerExecutor::Linux,
        }
    }
}

/// The tags of a built image set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageSet {
    /// The base image.
    pub base: String,
    /// The KDC image.
    pub kdc: String,
    /// The Hadoop image.
    pub hadoop: String,
    /// The Hadoop version inside.
    pub hadoop_version: String,
}

/// Builds (or finds) the service image around `binary` (a `yarnsec-service` executable built on
/// this host).
pub async fn ensure_service_image(
    docker: &Docker,
    base: &str,
    binary: &std::path::Path,
    progress: &Progress,
) -> Result<String, HarnessError> {
    let bytes = std::fs::read(binary).map_err(HarnessError::io(binary))?;
    let spec = sources::service(base, &debian_mirror(), bytes);
    build::ensure_built(docker, &spec, false, progress, |_| async { Ok(Vec::new()) }).await
}

/// Builds (or finds) every image.
pub async fn ensure_images(docker: &Docker, options: &ImageOptions, progress: &Progress) -> Result<ImageSet, HarnessError> {
    let mirror = debian_mirror();
    let base = base::ensure_base(docker, &mirror, options.no_cache, progress).await?;
    let kdc = build::ensure_built(docker, &sources::kdc(&base, &mirror), options.no_cache, progress, |_| async { Ok(Vec::new()) }).await?;
    let hadoop_spec = sources::hadoop(&base, &mirror, &options.hadoop_version);
    let version = options.hadoop_version.clone();
    let hadoop = build::ensure_built(docker, &hadoop_spec, options.no_cache, progress, |progress| async move {
        maven::collect_jars(&version, &progress).await
    })
    .await?;
    let (hadoop, variant) = if options.packages.is_empty() {
        (hadoop, String::new())
    } else {
        check_packages(&options.packages).map_err(|detail| HarnessError::ImageBuild {
            image: "yarnsec/hadoop-packages".into(),
            detail,
            log_tail: String::new(),
            mirror: mirror.clone(),
        })?;
        let spec = sources::with_packages(&hadoop, &mirror, &options.packages);
        (build::ensure_built(docker, &spec, options.no_cache, progress, |_| async { Ok(Vec::new()) }).await?, spec.variant)
    };
    let helper = match &options.container_executor {
        ContainerExecutor::Default => None,
        ContainerExecutor::Linux => Some(crate::native::CONTAINER_EXECUTOR.to_vec()),
        ContainerExecutor::LinuxWith(binary) => Some(std::fs::read(binary).map_err(HarnessError::io(binary))?),
    };
    let hadoop = match helper {
        None => hadoop,
        Some(bytes) => {
            let spec = sources::with_container_executor(&hadoop, &variant, bytes, &crate::config::container_executor::helper_cfg());
            build::ensure_built(docker, &spec, options.no_cache, progress, |_| async { Ok(Vec::new()) }).await?
        }
    };
    Ok(ImageSet { base, kdc, hadoop, hadoop_version: options.hadoop_version.clone() })
}
