//! The service's configuration: a TOML file, with command-line flags over it.

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::ServiceError;
use crate::faults::Fault;

/// How users authenticate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AuthMode {
    /// SPNEGO (Kerberos) on every request; the service logs in from its keytab.
    Kerberos,
    /// Hadoop "simple" auth: the user named by `?user.name=`.
    Simple,
}

/// Another HDFS the applications use (e.g. a remote cluster's NameNode): the service gets a
/// delegation token for it at submission.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtraFilesystem {
    /// Its WebHDFS base, `http://host:port`.
    pub namenode_http: String,
    /// Its token service, `ip:port` of its RPC endpoint.
    pub token_service: String,
}

/// Everything the service needs, like any production service: where it listens, who it is,
/// where Hadoop is.
///
/// ```
/// let text = r#"
/// listen = "0.0.0.0:8080"
/// auth = "kerberos"
/// realm = "EXAMPLE.TEST"
/// principal = "yarnsec/service.example.test@EXAMPLE.TEST"
/// keytab = "/etc/yarnsec/service.keytab"
/// namenode_http = "http://hadoop.example.test:9870"
/// namenode_rpc = "hadoop.example.test:8020"
/// token_service = "198.18.0.3:8020"
/// resourcemanager_http = "http://hadoop.example.test:8088"
/// rm_renewer = "yarn"
/// [hosts]
/// "hadoop.example.test" = "198.18.0.3"
/// "#;
/// let config = yarnsec_service::config::ServiceConfig::from_toml(text).unwrap();
/// assert_eq!(config.rm_renewer, "yarn");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceConfig {
    /// Address to listen on.
    pub listen: SocketAddr,
    /// `kerberos` or `simple`.
    pub auth: AuthMode,
    /// The Kerberos realm of users and services.
    pub realm: String,
    /// The service's own principal (a proxy user in Hadoop's `core-site.xml`).
    pub principal: String,
    /// Its keytab: the service principal and `HTTP/<this host>`; must be readable by the owner only.
    pub keytab: PathBuf,
    /// Host name → address of every Hadoop host (the service asks no DNS).
    #[serde(default)]
    pub hosts: BTreeMap<String, IpAddr>,
    /// NameNode WebHDFS base, `http://host:port`.
    pub namenode_http: String,
    /// NameNode RPC `host:port` (for `hdfs://` resource URLs).
    pub namenode_rpc: String,
    /// The NameNode's token service, `ip:port`, by which the ResourceManager renews tokens.
    pub token_service: String,
    /// ResourceManager web base, `http://host:port`.
    pub resourcemanager_http: String,
    /// The ResourceManager principal's short name: renewer of the application's tokens.
    pub rm_renewer: String,
    /// Timeline server web base; when set, applications get a timeline token.
    #[serde(default)]
    pub timeline_http: Option<String>,
    /// Other filesystems applications use.
    #[serde(default)]
    pub extra_filesystems: Vec<ExtraFilesystem>,
    /// Queues users may choose.
    #[serde(default = "default_queues")]
    pub queues: Vec<String>,
    /// Largest script accepted, in bytes.
    #[serde(default = "default_max_script")]
    pub max_script_bytes: usize,
    /// Whether users may launch long-lived applications (YARN services that log in from the
    /// user's keytab); on by default.
    #[serde(default = "default_true")]
    pub long_lived: bool,
    /// The ResourceManager's YARN services API; by default `<resourcemanager_http>/app/v1/services`.
    #[serde(default)]
    pub services_api: Option<String>,
    /// Deliberate mistakes (for testing the checklist); none by default.
    #[serde(default)]
    pub faults: Vec<Fault>,
}

fn default_true() -> bool {
    true
}

fn default_queues() -> Vec<String> {
    vec!["default".into()]
}

fn default_max_script() -> usize {
    64 * 1024
}

impl ServiceConfig {
    /// Parses a TOML configuration.
    pub fn from_toml(text: &str) -> Result<Self, ServiceError> {
        toml::from_str(text).map_err(|e| ServiceError::Config { detail: e.to_string() })
    }

    /// Reads a TOML configuration file.
    pub fn from_file(path: &Path) -> Result<Self, ServiceError> {
        let text = std::fs::read_to_string(path).map_err(|e| ServiceError::Config { detail: format!("{}: {e}", path.display()) })?;
        Self::from_toml(&text).map_err(|e| match e {
            ServiceError::Config { detail } => ServiceError::Config { detail: format!("{}: {detail}", path.display()) },
            other => other,
        })
    }

    /// Where long-lived applications are launched: the services API.
    pub fn services_api(&self) -> String {
        self.services_api.clone().unwrap_or_else(|| format!("{}/app/v1/services", self.resourcemanager_http.trim_end_matches('/')))
    }

    /// Whether a fault switch is on.
    pub fn fault(&self, fault: Fault) -> bool {
        self.faults.contains(&fault)
    }
}
