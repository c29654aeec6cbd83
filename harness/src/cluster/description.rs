//! The machine-readable description of a running cluster: exactly what `yarnsec up --json`
//! prints, and what a test process needs to attach to a cluster another process started.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::profile::ProfileSummary;

/// Where each service answers, as URLs with host names (not addresses).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Endpoints {
    /// `hdfs://host:8020`.
    pub namenode_rpc: String,
    /// `http://host:9870`.
    pub namenode_http: String,
    /// `http://host:9870/webhdfs/v1`.
    pub webhdfs: String,
    /// `http://host:8088`.
    pub resourcemanager_http: String,
    /// `rpc://host:8032`.
    pub resourcemanager_rpc: String,
    /// `http://host:8188`.
    pub timeline_http: String,
    /// The remote HDFS NameNode's web URL, when the cluster runs one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub remote_namenode_http: Option<String>,
    /// The submission service, when one runs.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub service_http: Option<String>,
}

/// A test user as `up --json` reports it (`null` fields for carol, who has no principal).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserEntry {
    /// Short name.
    pub name: String,
    /// Kerberos principal.
    pub principal: Option<String>,
    /// Kerberos password.
    pub password: Option<String>,
    /// Absolute path of the keytab on this host.
    pub keytab: Option<PathBuf>,
}

/// A running cluster, described for scripts and for other processes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterDescription {
    /// Kerberos realm.
    pub realm: String,
    /// Absolute path of a `krb5.conf` naming this realm (use it as `KRB5_CONFIG`).
    pub krb5_conf: PathBuf,
    /// `ip:port` of the KDC.
    pub kdc: String,
    /// Host name → address of every container.
    pub hosts: BTreeMap<String, IpAddr>,
    /// Service URLs.
    pub endpoints: Endpoints,
    /// Test users.
    pub users: Vec<UserEntry>,
    /// The security profile.
    pub profile: ProfileSummary,
}

impl ClusterDescription {
    /// Reads a description written by `yarnsec up --json`.
    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }
}
