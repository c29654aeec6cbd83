//! Starts and observes a real kerberized single-node Hadoop in Docker containers.
//!
//! ```text
//! profile.rs   SecurityProfile: how secure, how short-lived (drives every generated file)
//! layout.rs    realm, host names, ports, principals, users, paths: each written once
//! config/      generated files: Hadoop *-site.xml, log4j, kdc.conf, krb5.conf, principals
//! images/      local image builds (debootstrap base, KDC, Hadoop jars from Maven), never pulled
//! docker.rs    engine connection, labels, per-cluster networks
//! owner.rs     who owns a cluster (pid, start time, PID namespace), and whether it still runs
//! cleanup.rs   removing a cluster completely; which clusters are leftovers; kept clusters
//! process.rs   host processes working for a cluster (browser driver, service command)
//! node.rs      one container: exec, files, logs
//! native.rs    yarnsec's libhadoop.so, embedded: the NodeManager's SecureIOUtils (log aggregation, shuffle)
//! cluster/     SecureCluster: start, readiness, users, description, shutdown
//! evidence.rs  daemon logs, audit log, container launch scripts and token files, thread dumps
//! timeline_store.rs  the timeline server's LevelDB store: every entity, whatever its type
//! progress.rs  progress on stderr
//! ```
//!
//! ```no_run
//! # async fn demo() -> Result<(), yarnsec_harness::HarnessError> {
//! use yarnsec_harness::SecureCluster;
//! let cluster = SecureCluster::builder().start().await?;
//! let alice = cluster.user("alice")?;
//! println!("alice's keytab: {}", alice.keytab().unwrap().display());
//! cluster.shutdown().await?;
//! # Ok(()) }
//! ```

pub mod cleanup;
pub mod cluster;
pub mod config;
pub mod docker;
mod error;
pub mod evidence;
pub mod images;
pub mod layout;
pub mod native;
pub mod node;
pub mod owner;
pub mod process;
mod profile;
pub mod progress;
pub mod timeline_store;

pub use cluster::{ClusterDescription, ClusterUser, SecureCluster, ServiceIdentity, StartTimings, REMOTE_FILE, REMOTE_FILE_TEXT};
pub use error::HarnessError;
pub use layout::Layout;
pub use profile::{ProfileError, ProfileSummary, Protection, SecurityProfile, PROFILE_NAMES};
