//! A running cluster: its clients, users and evidence, and its removal.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use bollard::Docker;
use yarnsec_hadoop::http::Auth;
use yarnsec_hadoop::kerberos::Krb5Conf;
use yarnsec_hadoop::timeline::Timeline;
use yarnsec_hadoop::webhdfs::WebHdfs;
use yarnsec_hadoop::yarn::ResourceManager;
use yarnsec_hadoop::{Credential, Principal, SpnegoClient};

use super::description::{ClusterDescription, Endpoints, ServiceIdentity, UserEntry};
use super::{ClusterUser, SecureClusterBuilder, StartTimings};
use crate::docker;
use crate::error::HarnessError;
use crate::evidence::Evidence;
use crate::layout::{ports, Layout};
use crate::node::Node;
use crate::SecurityProfile;

/// A real kerberized single-node Hadoop (MIT KDC, HDFS, YARN, timeline server) in containers on
/// its own Docker network. Dropping it removes the containers and the network (unless kept).
///
/// ```no_run
/// # async fn demo() -> Result<(), yarnsec_harness::HarnessError> {
/// use std::time::Duration;
/// use yarnsec_harness::SecureCluster;
/// let cluster = SecureCluster::builder().ticket_lifetime(Duration::from_secs(90)).start().await?;
/// let alice = cluster.user("alice")?.credential()?;
/// let apps = cluster.resource_manager().apps(yarnsec_hadoop::http::Auth::Kerberos(&alice)).await?;
/// cluster.shutdown().await?;
/// # Ok(()) }
/// ```
pub struct SecureCluster {
    pub(crate) id: String,
    pub(crate) profile: SecurityProfile,
    pub(crate) layout: Layout,
    pub(crate) docker: Docker,
    pub(crate) kdc: Node,
    pub(crate) hadoop: Node,
    pub(crate) remote: Option<Node>,
    pub(crate) service: Option<Node>,
    pub(crate) http: SpnegoClient,
    pub(crate) state_dir: PathBuf,
    pub(crate) owned: bool,
    pub(crate) keep: bool,
    pub(crate) timings: StartTimings,
    pub(crate) hadoop_version: String,
    pub(crate) finished: bool,
}

impl std::fmt::Debug for SecureCluster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecureCluster")
            .field("id", &self.id)
            .field("realm", &self.layout.realm)
            .field("profile", &self.profile.name())
            .finish()
    }
}

/// The root of per-cluster state on this host (keytabs, `krb5.conf`): `$YARNSEC_STATE_DIR`, else
/// `<temp dir>/yarnsec`.
pub fn state_root() -> PathBuf {
    std::env::var_os("YARNSEC_STATE_DIR").map(PathBuf::from).unwrap_or_else(|| std::env::temp_dir().join("yarnsec"))
}

/// The `krb5.conf` the `yarnsec` binary names in `KRB5_CONFIG` when none is set.
pub fn state_root_krb5_conf() -> PathBuf {
    state_root().join("krb5.conf")
}

impl SecureCluster {
    /// Describes a cluster to start.
    pub fn builder() -> SecureClusterBuilder {
        SecureClusterBuilder::default()
    }

    /// The cluster id (also its Docker network's name).
    pub fn id(&self) -> &str {
        &self.id
    }
    /// The security profile.
    pub fn profile(&self) -> &SecurityProfile {
        &self.profile
    }
    /// Realm, host names, ports and users.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }
    /// The Kerberos realm.
    pub fn realm(&self) -> &str {
        &self.layout.realm
    }
    /// The Hadoop version running.
    pub fn hadoop_version(&self) -> &str {
        &self.hadoop_version
    }
    /// How long the start took, part by part.
    pub fn timings(&self) -> &StartTimings {
        &self.timings
    }
    /// The KDC container.
    pub fn kdc(&self) -> &Node {
        &self.kdc
    }
    /// The Hadoop container (NameNode, DataNode, ResourceManager, NodeManager, timeline server).
    pub fn hadoop(&self) -> &Node {
        &self.hadoop
    }

    /// ZooKeeper's command-line client on the Hadoop node, as the OS user `os_user` with the JAAS
    /// file `jaas` (`None`: no login), fed `commands` (one per line); what it printed.
    ///
    /// ```no_run
    /// # async fn f(cluster: &yarnsec_harness::SecureCluster) -> Result<(), yarnsec_harness::HarnessError> {
    /// let out = cluster.zookeeper_cli("zookeeper", Some("/opt/hadoop/conf/zookeeper-admin.jaas"), "ls /registry\n").await?;
    /// assert!(out.contains("users"));
    /// # Ok(()) }
    /// ```
    pub async fn zookeeper_cli(&self, os_user: &str, jaas: Option<&str>, commands: &str) -> Result<String, HarnessError> {
        super::kinds::hadoop_node::zookeeper_cli(self.hadoop(), &self.layout, os_user, jaas, commands).await
    }
    /// The remote HDFS container (a second NameNode and DataNode, own namespace, same realm),
    /// when one runs.
    pub fn remote(&self) -> Option<&Node> {
        self.remote.as_ref()
    }
    /// WebHDFS on the remote NameNode, when one runs.
    pub fn remote_webhdfs(&self) -> Option<WebHdfs> {
        self.remote.as_ref().map(|_| WebHdfs::new(self.http.clone(), &self.layout.remote_url(ports::NAMENODE_HTTP)))
    }
    /// The NameNode's token service (`ip:port`): the service of its delegation tokens, which tells
    /// them from other filesystems' (the remote HDFS).
    pub fn namenode_token_service(&self) -> String {
        format!("{}:{}", self.hadoop.ip(), ports::NAMENODE_RPC)
    }
    /// The remote NameNode's token service (`ip:port`), when one runs.
    pub fn remote_token_service(&self) -> Option<String> {
        self.remote.as_ref().map(|r| format!("{}:{}", r.ip(), ports::NAMENODE_RPC))
    }
    /// Evidence from the remote HDFS (its NameNode's audit log), when one runs.
    pub fn remote_evidence(&self) -> Option<Evidence<'_>> {
        self.remote.as_ref().map(Evidence::new)
    }
    /// The reference submission service's container, when one runs.
    pub fn service(&self) -> Option<&Node> {
        self.service.as_ref()
    }
    /// The reference submission service's URL, when one runs.
    pub fn service_url(&self) -> Option<String> {
        self.service.as_ref().map(|_| format!("http://{}:{}", self.layout.service_host(), ports::SERVICE_HTTP))
    }
    /// Host name → address of every container.
    pub fn hosts(&self) -> BTreeMap<String, IpAddr> {
        self.http.hosts().clone()
    }
    /// The HTTP client for this cluster (SPNEGO, container addresses by host name).
    pub fn http(&self) -> &SpnegoClient {
        &self.http
    }
    /// WebHDFS on the NameNode.
    pub fn webhdfs(&self) -> WebHdfs {
        WebHdfs::new(self.http.clone(), &self.layout.hadoop_url(ports::NAMENODE_HTTP))
    }
    /// The ResourceManager REST API.
    pub fn resource_manager(&self) -> ResourceManager {
        ResourceManager::new(self.http.clone(), &self.layout.hadoop_url(ports::RM_HTTP))
    }
    /// The timeline server REST API.
    pub fn timeline(&self) -> Timeline {
        Timeline::new(self.http.clone(), &self.layout.hadoop_url(ports::TIMELINE_HTTP))
    }
    /// Daemon logs, container files, token files: what scenarios attach as evidence.
    pub fn evidence(&self) -> Evidence<'_> {
        Evidence::new(&self.hadoop)
    }
    /// Runs a command in any container of this cluster (by container id), e.g. a service's own
    /// client in the service's container.
    pub async fn exec_in(&self, container_id: &str, cmd: &[&str]) -> Result<crate::node::ExecOutput, HarnessError> {
        let node = Node::attached("container", container_id, "", IpAddr::from([0, 0, 0, 0]), self.docker.clone());
        node.exec(cmd).await
    }

    /// The cluster network's gateway: the address the containers see for requests from this
    /// host (a service run on the host reaches the cluster from it).
    pub fn gateway(&self) -> Option<IpAddr> {
        let subnet = docker::subnet_of(docker::index_of(&self.id)?).octets();
        Some(IpAddr::from([subnet[0], subnet[1], subnet[2], 1]))
    }

    /// The directory holding this cluster's host-side files.
    pub fn state_dir(&self) -> &Path {
        &self.state_dir
    }
    /// A `krb5.conf` naming this cluster's realm as the default.
    pub fn krb5_conf(&self) -> PathBuf {
        self.state_dir.join("krb5.conf")
    }

    /// A test user (`alice`, `bob` or `carol`).
    pub fn user(&self, name: &str) -> Result<ClusterUser, HarnessError> {
        let user = self.layout.users.iter().find(|u| u.name == name).ok_or_else(|| HarnessError::UnknownUser {
            name: name.into(),
            known: self.layout.users.iter().map(|u| u.name.as_str()).collect::<Vec<_>>().join(", "),
        })?;
        let has_principal = user.password.is_some();
        Ok(ClusterUser {
            name: user.name.clone(),
            principal: has_principal.then(|| Principal::user(&user.name, &self.layout.realm)),
            password: user.password.clone(),
            keytab: has_principal.then(|| self.keytab_path(&user.name)),
        })
    }

    /// Host path of a keytab exported from the KDC (`hdfs`, `yarn`, `http`, `service`, `alice`, `bob`).
    pub fn keytab_path(&self, name: &str) -> PathBuf {
        self.state_dir.join("keytabs").join(format!("{name}.keytab"))
    }

    /// Credentials of a Hadoop service principal from its keytab, e.g. `nn` (HDFS superuser) or
    /// `rm` (the ResourceManager, renewer of application tokens).
    pub fn service_credential(&self, primary: &str) -> Result<Credential, HarnessError> {
        let keytab = match primary {
            "nn" | "dn" => "hdfs",
            "rm" | "nm" | "tl" => "yarn",
            "HTTP" => "http",
            other => other,
        };
        let principal: Principal = self.layout.hadoop_principal(primary).parse()?;
        Ok(Credential::from_keytab(principal, self.keytab_path(keytab))?)
    }

    /// How a request authenticates as `user` in this profile: SPNEGO with the user's keytab
    /// credential, or `user.name` without Kerberos.
    pub fn auth_for<'a>(&self, user: &'a str, credential: Option<&'a Credential>) -> Auth<'a> {
        match credential {
            Some(c) if self.profile.kerberos() => Auth::Kerberos(c),
            _ => Auth::Simple(user),
        }
    }

    /// The `yarnsec up --json` object.
    pub fn describe(&self) -> ClusterDescription {
        let service_http = self.service_url();
        let host = self.layout.hadoop_host();
        let hosts_file = self.hosts_file();
        ClusterDescription {
            cluster_id: self.id.clone(),
            realm: self.layout.realm.clone(),
            krb5_conf: self.krb5_conf(),
            kdc: format!("{}:{}", self.kdc.ip(), ports::KDC),
            hosts: self.hosts(),
            endpoints: Endpoints {
                namenode_rpc: format!("hdfs://{host}:{}", ports::NAMENODE_RPC),
                namenode_http: self.layout.hadoop_url(ports::NAMENODE_HTTP),
                webhdfs: format!("{}/webhdfs/v1", self.layout.hadoop_url(ports::NAMENODE_HTTP)),
                resourcemanager_http: self.layout.hadoop_url(ports::RM_HTTP),
                resourcemanager_rpc: format!("rpc://{host}:{}", ports::RM_RPC),
                timeline_http: self.layout.hadoop_url(ports::TIMELINE_HTTP),
                services_api: format!("{}/app/v1/services", self.layout.hadoop_url(ports::RM_HTTP)),
                zookeeper: format!("{host}:{}", ports::ZOOKEEPER),
                remote_namenode_http: self.remote.as_ref().map(|_| self.layout.remote_url(ports::NAMENODE_HTTP)),
                service_http,
            },
            users: self
                .layout
                .users
                .iter()
                .map(|u| UserEntry {
                    name: u.name.clone(),
                    principal: u.password.as_ref().map(|_| format!("{}@{}", u.name, self.layout.realm)),
                    password: u.password.clone(),
                    keytab: u.password.as_ref().map(|_| self.keytab_path(&u.name)),
                })
                .collect(),
            profile: self.profile.summary(),
            // A cluster started by an older yarnsec has no kit files: only what exists is named.
            java_options: if self.java_hosts_file().exists() {
                super::description::java_options(&self.krb5_conf(), &self.java_hosts_file())
            } else {
                Vec::new()
            },
            hosts_file: existing(hosts_file),
            hadoop_conf_dir: existing(self.hadoop_conf_dir()),
            hadoop_classpath: self.hadoop_classpath(),
            service_identity: self.profile.kerberos().then(|| ServiceIdentity {
                principal: self.layout.service_principal(),
                short_name: crate::layout::SERVICE_USER.to_string(),
                http_principal: format!("HTTP/{}@{}", self.layout.service_host(), self.layout.realm),
                host: self.layout.service_host(),
                keytab: self.keytab_path("service"),
                proxy_user_for: self.layout.users.iter().map(|u| u.name.clone()).collect(),
            }),
        }
    }

    /// The hosts file naming every container (written when the cluster started).
    pub fn hosts_file(&self) -> PathBuf {
        self.state_dir.join("hosts")
    }

    /// The hosts file the kit's Java options name: the cluster's hosts and this machine's names
    /// (written when the cluster started).
    pub fn java_hosts_file(&self) -> PathBuf {
        self.state_dir.join("java-hosts")
    }

    /// The client-only Hadoop configuration (written when the cluster started).
    pub fn hadoop_conf_dir(&self) -> PathBuf {
        self.state_dir.join("hadoop-conf")
    }

    /// Hadoop's client jars on this host, as a Java classpath entry, where the image build
    /// gathered them (`~/.cache/yarnsec/hadoop-<version>/jars`); `None` when this host did not
    /// ([`crate::images::client_classpath`] gathers them).
    pub fn hadoop_classpath(&self) -> Option<String> {
        let dir = crate::images::cache_dir().join(format!("hadoop-{}", self.hadoop_version));
        // Maven marks a complete gathering; a half-filled directory is no classpath.
        dir.join(".complete").exists().then(|| format!("{}/*", dir.join("jars").display()))
    }

    /// Stops and removes the containers and the network, and deletes the host-side files.
    /// With `keep`, leaves everything running and says how to remove it.
    pub async fn shutdown(mut self) -> Result<(), HarnessError> {
        self.finish().await
    }

    async fn finish(&mut self) -> Result<(), HarnessError> {
        if self.finished {
            return Ok(());
        }
        self.finished = true;
        if !self.owned {
            return Ok(());
        }
        if self.keep {
            for node in self.nodes_mut() {
                node.forget_handle();
            }
            return Ok(());
        }
        // A forced removal of every container at once is the quickest way down; the nodes'
        // handles only need forgetting.
        for node in self.nodes_mut() {
            node.forget_handle();
        }
        crate::cleanup::remove(&self.docker, &self.id).await
    }
}

impl SecureCluster {
    fn nodes_mut(&mut self) -> impl Iterator<Item = &mut Node> {
        self.service.iter_mut().chain([&mut self.hadoop]).chain(self.remote.iter_mut()).chain([&mut self.kdc])
    }
}

impl Drop for SecureCluster {
    fn drop(&mut self) {
        if self.finished || !self.owned {
            return;
        }
        // Dropped without `shutdown` (a failed test, a panic): clean up on a thread of our own,
        // because Drop cannot await and may run inside (or outside) a runtime.
        for node in self.nodes_mut() {
            node.forget_handle();
        }
        if self.keep {
            eprintln!("yarnsec: kept cluster {} (YARNSEC_KEEP); remove it with `yarnsec down` from this directory, or `yarnsec down --cluster {}`", self.id, self.id);
            return;
        }
        let id = self.id.clone();
        let cleanup = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build();
            // A client of its own: the cluster's client belongs to the runtime that made it.
            if let Ok(rt) = rt {
                let removed = rt.block_on(async { crate::cleanup::remove(&docker::connect().await?, &id).await });
                if let Err(e) = removed {
                    eprintln!("yarnsec: {e}");
                }
            }
        });
        let _ = cleanup.join();
    }
}

impl SecureCluster {
    /// Attaches to a cluster another process started (e.g. `yarnsec up --json` in a nextest setup
    /// script), found by its realm. The cluster stays up when this value is dropped.
    pub async fn attach(description: &ClusterDescription) -> Result<SecureCluster, HarnessError> {
        use std::time::Duration;
        let docker = docker::connect().await?;
        let containers = docker::running_with_labels(&docker, &[format!("{}={}", docker::REALM_LABEL, description.realm)]).await?;
        let mut found = BTreeMap::new();
        let mut cluster_id = String::new();
        for c in containers {
            let labels = c.labels.unwrap_or_default();
            if let (Some(role), Some(id)) = (labels.get(docker::ROLE_LABEL), c.id) {
                cluster_id = labels.get(docker::CLUSTER_LABEL).cloned().unwrap_or_default();
                found.insert(role.clone(), id);
            }
        }
        let base: SecurityProfile = description.profile.name.parse()?;
        let profile = base
            .with_ticket_lifetime(Duration::from_secs(description.profile.ticket_lifetime_s))
            .with_renew_lifetime(Duration::from_secs(description.profile.renew_lifetime_s))
            .with_token_renew_interval(Duration::from_secs(description.profile.token_renew_interval_s))
            .with_token_max_lifetime(Duration::from_secs(description.profile.token_max_lifetime_s));
        let mut layout = Layout::new(description.realm.clone(), "", "");
        for user in &mut layout.users {
            user.password = description.users.iter().find(|u| u.name == user.name).and_then(|u| u.password.clone());
        }
        let node = |role: &str, host: String| -> Result<Node, HarnessError> {
            let id = found.get(role).ok_or_else(|| HarnessError::ContainerStart {
                role: role.into(),
                detail: format!(
                    "no running container of realm {} has this role; is the cluster still up (`docker ps`)?",
                    description.realm
                ),
            })?;
            let ip = *description
                .hosts
                .get(&host)
                .ok_or_else(|| HarnessError::UnknownUser { name: host.clone(), known: "the description's hosts".into() })?;
            Ok(Node::attached(role, id, &host, ip, docker.clone()))
        };
        let kdc = node("kdc", layout.kdc_host())?;
        let hadoop = node("hadoop", layout.hadoop_host())?;
        let service = if description.endpoints.service_http.is_some() { Some(node("service", layout.service_host())?) } else { None };
        let remote = if description.endpoints.remote_namenode_http.is_some() {
            Some(node(super::kinds::remote_hdfs::REMOTE_ROLE, layout.remote_host())?)
        } else {
            None
        };
        let http = SpnegoClient::new(&layout.realm, description.hosts.clone())?;
        let registry = PathBuf::from(std::env::var_os("KRB5_CONFIG").ok_or(yarnsec_hadoop::KerberosError::NoKrb5Config)?);
        Krb5Conf::register_realm(
            &registry,
            yarnsec_hadoop::kerberos::RealmEntry { name: layout.realm.clone(), kdc: description.kdc.clone() },
        )?;
        let state_dir = description.krb5_conf.parent().map(Path::to_path_buf).unwrap_or_else(state_root);
        let version = hadoop.sh("echo $HADOOP_VERSION").await.map(|s| s.trim().to_string()).unwrap_or_default();
        Ok(SecureCluster {
            id: cluster_id,
            profile,
            layout,
            docker,
            kdc,
            hadoop,
            remote,
            service,
            http,
            state_dir,
            owned: false,
            keep: true,
            timings: StartTimings::default(),
            hadoop_version: version,
            finished: false,
        })
    }
}

/// A second reference-service container on a running cluster (e.g. one with fault switches on),
/// removed when dropped.
#[derive(Debug)]
pub struct ExtraService {
    /// The container.
    pub node: Node,
    /// A client whose service host name reaches this container.
    pub http: SpnegoClient,
    /// The service's URL.
    pub url: String,
}

impl SecureCluster {
    /// The labels of a container this process adds to the running cluster (an edge node, another
    /// service): the cluster's, this process as its owner, the realm.
    pub(crate) fn labels_for_new_containers(&self) -> std::collections::HashMap<String, String> {
        let mut labels = docker::cluster_labels(&self.id, &crate::owner::Owner::current());
        labels.insert(docker::REALM_LABEL.into(), self.layout.realm.clone());
        labels
    }

    /// Starts another reference service on this cluster, e.g. with fault switches on, without
    /// restarting anything else. It answers at the same host name through [`ExtraService::http`].
    pub async fn start_extra_service(&self, binary: impl Into<PathBuf>, faults: Vec<String>) -> Result<ExtraService, HarnessError> {
        let images =
            crate::images::ensure_images(&self.docker, &crate::images::ImageOptions::default(), &crate::progress::Progress::hidden())
                .await?;
        let labels = self.labels_for_new_containers();
        let options = super::ServiceOptions { binary: binary.into(), faults };
        let network = super::kinds::container::Network { docker: &self.docker, name: &self.id, labels: &labels };
        let (node, http) =
            super::kinds::service::ServiceNode::new(&images.base, &self.profile, &self.layout, self.kdc.ip(), self.hadoop.ip())
                .with_role("service-extra")
                .with_remote(self.remote.as_ref().map(Node::ip))
                .start(&network, &self.state_dir, &options, &crate::progress::Progress::hidden())
                .await?;
        Ok(ExtraService { node, http, url: format!("http://{}:{}", self.layout.service_host(), ports::SERVICE_HTTP) })
    }
}

/// `path` if it exists, else the empty path (a description names no file that is not there).
fn existing(path: PathBuf) -> PathBuf {
    if path.exists() {
        path
    } else {
        PathBuf::new()
    }
}
