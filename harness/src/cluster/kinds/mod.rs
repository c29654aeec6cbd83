//! The kinds of container a cluster is made of, one type each, described with `with_*` setters
//! and started with `start(&network)`:
//!
//! ```text
//! container.rs    ContainerSpec: image, host name, files, keytabs, env, mounts (what every kind is)
//! kdc.rs          KdcNode: the MIT KDC, its keytabs exported to the host
//! inputs.rs       a container's input files as one archive, unpacked before its command
//! hadoop_node.rs  HadoopNode: the Hadoop daemons and ZooKeeper, ready each by its own condition; HDFS and the registry laid out
//! remote_hdfs.rs  RemoteHdfsNode: a second HDFS in the same realm (T9)
//! service.rs      ServiceNode: the reference submission service
//! ```
//! (The fifth kind, the edge node, is `cluster::edge`: it is also a client's entry point.)

pub(crate) mod container;
pub(crate) mod hadoop_node;
pub(crate) mod inputs;
pub(crate) mod kdc;
pub(crate) mod remote_hdfs;
pub(crate) mod service;

use std::path::Path;

use rand::distr::{Alphanumeric, SampleString};
use yarnsec_hadoop::Credential;

use crate::error::HarnessError;
use crate::SecurityProfile;

/// A keytab the KDC exported to `state_dir`, by file stem.
pub(crate) fn keytab(state_dir: &Path, name: &str) -> Result<Vec<u8>, HarnessError> {
    let path = state_dir.join("keytabs").join(format!("{name}.keytab"));
    std::fs::read(&path).map_err(HarnessError::io(path))
}

/// A login from a keytab the KDC exported (the HDFS superuser's, alice's), or none without
/// Kerberos (simple auth names the user).
pub(crate) fn keytab_login(profile: &SecurityProfile, principal: &str, keytab: &Path) -> Result<Option<Credential>, HarnessError> {
    if profile.kerberos() {
        Ok(Some(Credential::from_keytab(principal.parse()?, keytab)?))
    } else {
        Ok(None)
    }
}

/// Writes a file of the cluster's state directory with `mode` (keytabs: 0600).
pub(crate) fn write_private(path: &Path, bytes: &[u8], mode: u32) -> Result<(), HarnessError> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, bytes).map_err(HarnessError::io(path))?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).map_err(HarnessError::io(path))
}

/// A random secret (passwords, the HTTP signature secret).
pub(crate) fn password() -> String {
    Alphanumeric.sample_string(&mut rand::rng(), 20)
}
