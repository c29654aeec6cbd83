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
    /// The ResourceManager's YARN services API, `http://host:8088/app/v1/services`.
    #[serde(default)]
    pub services_api: String,
    /// ZooKeeper, the service registry's store: `host:2181` (`hadoop.registry.zk.quorum`).
    #[serde(default)]
    pub zookeeper: String,
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

/// The identity a team's own submission service uses on this cluster: its principal, the
/// `HTTP/` principal browsers get tickets for at the service's host (both in one keytab), and the
/// users it may act for (`hadoop.proxyuser.<short name>.users`; from any host).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceIdentity {
    /// `yarnsec/service.yarnsec.test@REALM`.
    pub principal: String,
    /// The principal's short name, which Hadoop's proxy-user rules name.
    pub short_name: String,
    /// `HTTP/service.yarnsec.test@REALM`, the SPNEGO acceptor of a service at that host.
    pub http_principal: String,
    /// The host name both principals are for.
    pub host: String,
    /// Absolute path of the keytab holding both keys.
    pub keytab: PathBuf,
    /// The users it may impersonate (`doAs`).
    pub proxy_user_for: Vec<String>,
}

/// A running cluster, described for scripts and for other processes.
///
/// Besides the realm, hosts and endpoints it carries a client's kit: a hosts file and the Java
/// options a JVM client needs to reach the cluster without editing `/etc/hosts`, and the
/// identity a team's own service can run as.
///
/// ```
/// let d = yarnsec_harness::ClusterDescription::from_json(r#"{"realm":"C001.YARNSEC.TEST",
///   "krb5_conf":"/tmp/k","kdc":"198.18.1.2:88","hosts":{},"endpoints":{"namenode_rpc":"",
///   "namenode_http":"","webhdfs":"","resourcemanager_http":"","resourcemanager_rpc":"",
///   "timeline_http":""},"users":[],"profile":{"name":"strict","ticket_lifetime_s":120,
///   "renew_lifetime_s":300,"token_renew_interval_s":60,"token_max_lifetime_s":300,
///   "rpc_protection":"privacy"}}"#).unwrap();
/// // A description written before the kit existed still reads; its kit is empty.
/// assert!(d.cluster_id.is_empty() && d.service_identity.is_none());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterDescription {
    /// The cluster's id (`yarnsec-095-4e36`): `yarnsec down --cluster ID` removes it.
    #[serde(default)]
    pub cluster_id: String,
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
    /// A hosts file (`address name` lines) naming every container: for `/etc/hosts` of a
    /// machine that is not this one, or Java's `-Djdk.net.hosts.file`.
    #[serde(default)]
    pub hosts_file: PathBuf,
    /// Options a JVM client of this cluster needs: the krb5.conf (Java ignores `KRB5_CONFIG`),
    /// a hosts file (the cluster's hosts and this machine's names), and the `--add-opens` Hadoop
    /// needs on Java 17.
    #[serde(default)]
    pub java_options: Vec<String>,
    /// A client-only Hadoop configuration directory (`HADOOP_CONF_DIR`): addresses,
    /// principals and protection levels, no daemon keytabs.
    #[serde(default)]
    pub hadoop_conf_dir: PathBuf,
    /// Hadoop's client jars on this host as a classpath entry (`…/jars/*`), when this host has
    /// gathered them (the image build does; `images::client_classpath` otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hadoop_classpath: Option<String>,
    /// The identity a team's own service can run as (Kerberos profiles only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_identity: Option<ServiceIdentity>,
}

/// The Java options of a client of the cluster whose `krb5.conf` and hosts file are these.
pub fn java_options(krb5_conf: &std::path::Path, hosts_file: &std::path::Path) -> Vec<String> {
    let mut options = vec![
        format!("-Djava.security.krb5.conf={}", krb5_conf.display()),
        format!("-Djdk.net.hosts.file={}", hosts_file.display()),
        "-Djava.net.preferIPv4Stack=true".to_string(),
        "-XX:+IgnoreUnrecognizedVMOptions".to_string(),
    ];
    options.extend(yarnsec_hadoop::java::java17_add_opens());
    options
}

/// A hosts file naming every host: `address name`, one per line, sorted by name.
pub fn hosts_file_text(hosts: &BTreeMap<String, IpAddr>) -> String {
    hosts.iter().map(|(name, ip)| format!("{ip} {name}\n")).collect()
}

/// The hosts file a JVM on this machine reads in place of name resolution
/// (`-Djdk.net.hosts.file` replaces it entirely): the cluster's hosts, and this machine's own
/// names on loopback, which clients ask for (`InetAddress.getLocalHost()`).
pub fn java_hosts_file_text(hosts: &BTreeMap<String, IpAddr>, local_hostname: &str) -> String {
    let local = local_hostname.trim();
    let mut text = if local.is_empty() || local == "localhost" {
        "127.0.0.1 localhost\n".to_string()
    } else {
        format!("127.0.0.1 localhost {local}\n")
    };
    text.push_str(&hosts_file_text(hosts));
    text
}

impl ClusterDescription {
    /// Reads a description written by `yarnsec up --json`.
    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hosts_file_names_every_host_once_by_its_address() {
        let hosts: BTreeMap<String, IpAddr> = [("kdc.yarnsec.test", "198.18.7.2"), ("hadoop.yarnsec.test", "198.18.7.3")]
            .map(|(n, a)| (n.to_string(), a.parse().unwrap()))
            .into();
        assert_eq!(hosts_file_text(&hosts), "198.18.7.3 hadoop.yarnsec.test\n198.18.7.2 kdc.yarnsec.test\n");
    }

    #[test]
    fn the_java_hosts_file_keeps_this_machines_names() {
        let hosts: BTreeMap<String, IpAddr> = [("hadoop.yarnsec.test".to_string(), "198.18.7.3".parse().unwrap())].into();
        assert_eq!(java_hosts_file_text(&hosts, "runner-7\n"), "127.0.0.1 localhost runner-7\n198.18.7.3 hadoop.yarnsec.test\n");
        assert_eq!(java_hosts_file_text(&hosts, ""), "127.0.0.1 localhost\n198.18.7.3 hadoop.yarnsec.test\n");
    }

    #[test]
    fn java_options_name_the_realm_file_the_hosts_file_and_the_opens() {
        let o = java_options(std::path::Path::new("/s/krb5.conf"), std::path::Path::new("/s/hosts"));
        assert_eq!(o[0], "-Djava.security.krb5.conf=/s/krb5.conf");
        assert_eq!(o[1], "-Djdk.net.hosts.file=/s/hosts");
        assert!(o.contains(&"--add-opens=java.base/sun.security.x509=ALL-UNNAMED".to_string()));
        assert_eq!(o.iter().filter(|x| x.starts_with("--add-opens")).count(), yarnsec_hadoop::java::JAVA17_OPEN_PACKAGES.len());
    }
}
