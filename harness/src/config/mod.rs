//! Every file a cluster's containers are given, generated from a [`SecurityProfile`] and a
//! [`Layout`]. Snapshot-tested: a change to a generated file shows up as a snapshot diff.
//!
//! [`SecurityProfile`]: crate::SecurityProfile
//! [`Layout`]: crate::Layout

mod client;
pub mod container_executor;
mod hadoop;
mod kerberos;
mod service;
mod zookeeper;

use std::collections::BTreeMap;

pub use client::client_files;
pub use hadoop::{hadoop_files, remote_hdfs_files, PropertyOverride, MR_HISTORY_INTERMEDIATE, REMOTE_APP_LOG_DIR};
pub use kerberos::{container_krb5_conf, kdc_files};
pub use service::service_toml;
pub use zookeeper::{
    registry_commands, zookeeper_files, ADMIN_JAAS, REGISTRY_ROOT, RELOGIN_JAVA_OPTION, RM_JAAS, SERVER_JAAS, SYSTEM_ACCOUNTS,
};

/// Files by their absolute path inside a container.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConfigFiles {
    files: BTreeMap<String, String>,
}

impl ConfigFiles {
    /// Adds (or replaces) a file.
    pub fn insert(&mut self, path: impl Into<String>, content: impl Into<String>) {
        self.files.insert(path.into(), content.into());
    }

    /// The content at `path`.
    pub fn get(&self, path: &str) -> Option<&str> {
        self.files.get(path).map(String::as_str)
    }

    /// All files, sorted by path.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}
