//! A secure single-node Hadoop cluster in containers.
//!
//! ```text
//! builder.rs      SecureCluster::builder(): profile, Hadoop version, keep, progress
//! start.rs        the start sequence: network, then each kind of node in turn
//! kinds/          the kinds of node: KDC, Hadoop node, remote HDFS, service (and their ContainerSpec)
//! readiness.rs    observed readiness (never a sleep), with deadlines and log tails on failure
//! secure.rs       SecureCluster: clients, users, evidence, shutdown and Drop
//! description.rs  the `yarnsec up --json` object, and attaching to a running cluster
//! edge.rs         the edge node: a gateway host where a team's submitter runs
//! users.rs        the test users and their Kerberos credentials
//! ```

mod builder;
mod description;
pub mod edge;
mod kinds;
mod readiness;
mod secure;
mod start;
mod users;

pub use builder::{SecureClusterBuilder, ServiceOptions};
pub use description::{ClusterDescription, Endpoints, ServiceIdentity, UserEntry};
pub use edge::{Edge, EdgeOptions};
pub use kinds::remote_hdfs::{REMOTE_FILE, REMOTE_FILE_TEXT, REMOTE_ROLE};
pub use readiness::StartTimings;
pub use secure::{state_root, state_root_krb5_conf, ExtraService, SecureCluster};
pub use users::ClusterUser;
