//! The names and numbers of a cluster: realm, host names, ports, principals, users, paths.
//!
//! Every generated file and every client takes its names from here, so that a host name or a
//! port is written in exactly one place.

use serde::Serialize;

/// DNS domain of every container host.
pub const DOMAIN: &str = "yarnsec.test";

/// Fixed ports of the Hadoop daemons (inside the cluster network; nothing is published).
pub mod ports {
    /// KDC (TCP).
    pub const KDC: u16 = 88;
    /// NameNode RPC.
    pub const NAMENODE_RPC: u16 = 8020;
    /// NameNode web UI, WebHDFS and JMX.
    pub const NAMENODE_HTTP: u16 = 9870;
    /// DataNode data transfer.
    pub const DATANODE_DATA: u16 = 9866;
    /// DataNode web.
    pub const DATANODE_HTTP: u16 = 9864;
    /// DataNode IPC.
    pub const DATANODE_IPC: u16 = 9867;
    /// ResourceManager client RPC.
    pub const RM_RPC: u16 = 8032;
    /// ResourceManager web UI, REST API and web proxy.
    pub const RM_HTTP: u16 = 8088;
    /// NodeManager container-management RPC.
    pub const NM_RPC: u16 = 45454;
    /// NodeManager web UI.
    pub const NM_HTTP: u16 = 8042;
    /// Timeline server web and REST.
    pub const TIMELINE_HTTP: u16 = 8188;
    /// Timeline server RPC.
    pub const TIMELINE_RPC: u16 = 10200;
    /// The submission service.
    pub const SERVICE_HTTP: u16 = 8080;
    /// ZooKeeper's client port (the service registry's store).
    pub const ZOOKEEPER: u16 = 2181;
}

/// Where things live inside the Hadoop container.
pub mod paths {
    /// Hadoop configuration directory.
    pub const HADOOP_CONF: &str = "/opt/hadoop/conf";
    /// Keytab directory.
    pub const KEYTABS: &str = "/etc/security/keytabs";
    /// Daemon logs.
    pub const HADOOP_LOGS: &str = "/var/log/hadoop";
    /// NodeManager local dirs (container work dirs with `launch_container.sh`, token files).
    pub const NM_LOCAL: &str = "/data/yarn/local";
    /// NodeManager container log dirs.
    pub const NM_LOGS: &str = "/var/log/hadoop/userlogs";
    /// The web SPNEGO signature secret.
    pub const HTTP_SECRET: &str = "/etc/security/http-secret";
    /// The timeline server's LevelDB store.
    pub const TIMELINE_STORE: &str = "/data/yarn/timeline";
    /// The KDC's log (in the KDC container): every ticket it issued or refused.
    pub const KDC_LOG: &str = "/var/log/kerberos/kdc.log";
}

/// A test user of the cluster.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TestUser {
    /// OS, HDFS and Kerberos short name.
    pub name: String,
    /// The Kerberos password, `None` for a user without a principal (carol).
    pub password: Option<String>,
}

/// The naming facts of one cluster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    /// Kerberos realm (unique per running cluster, so one `krb5.conf` can name several).
    pub realm: String,
    /// Test users: `alice` and `bob` with principals, `carol` without.
    pub users: Vec<TestUser>,
}

/// The realm of the cluster on the /24 number `index` (unique per running cluster).
pub fn realm_for(index: u16) -> String {
    format!("C{index:03}.YARNSEC.TEST")
}

/// Short name of the submission service's principal (`yarnsec/<service host>`), which may act
/// for the test users (proxy user).
pub const SERVICE_USER: &str = "yarnsec";

impl Layout {
    /// A layout for `realm` with the given passwords for alice and bob.
    pub fn new(realm: impl Into<String>, alice_password: impl Into<String>, bob_password: impl Into<String>) -> Self {
        Self {
            realm: realm.into(),
            users: vec![
                TestUser { name: "alice".into(), password: Some(alice_password.into()) },
                TestUser { name: "bob".into(), password: Some(bob_password.into()) },
                TestUser { name: "carol".into(), password: None },
            ],
        }
    }

    /// The host name of the KDC container.
    pub fn kdc_host(&self) -> String {
        format!("kdc.{DOMAIN}")
    }
    /// The host name of the Hadoop container.
    pub fn hadoop_host(&self) -> String {
        format!("hadoop.{DOMAIN}")
    }
    /// The host name of the remote HDFS container: a second NameNode and DataNode, with their own
    /// namespace in the same realm (the remote-cluster scenario).
    pub fn remote_host(&self) -> String {
        format!("remote.{DOMAIN}")
    }
    /// The host name of the submission service container.
    pub fn service_host(&self) -> String {
        format!("service.{DOMAIN}")
    }
    /// `primary/_HOST@REALM`, for Hadoop config keys.
    pub fn host_principal(&self, primary: &str) -> String {
        format!("{primary}/_HOST@{}", self.realm)
    }
    /// `primary/<hadoop host>@REALM`.
    pub fn hadoop_principal(&self, primary: &str) -> String {
        format!("{primary}/{}@{}", self.hadoop_host(), self.realm)
    }
    /// `primary/<remote host>@REALM`.
    pub fn remote_principal(&self, primary: &str) -> String {
        format!("{primary}/{}@{}", self.remote_host(), self.realm)
    }
    /// `http://<remote host>:<port>`.
    pub fn remote_url(&self, port: u16) -> String {
        format!("http://{}:{port}", self.remote_host())
    }
    /// The submission service's own principal.
    pub fn service_principal(&self) -> String {
        format!("{SERVICE_USER}/{}@{}", self.service_host(), self.realm)
    }
    /// The short name the ResourceManager's principal maps to: the renewer of tokens given to
    /// YARN applications.
    pub fn rm_renewer(&self) -> &'static str {
        "yarn"
    }
    /// The users that have Kerberos principals.
    pub fn kerberos_users(&self) -> impl Iterator<Item = &TestUser> {
        self.users.iter().filter(|u| u.password.is_some())
    }
    /// `http://<hadoop host>:<port>`.
    pub fn hadoop_url(&self, port: u16) -> String {
        format!("http://{}:{port}", self.hadoop_host())
    }
}
