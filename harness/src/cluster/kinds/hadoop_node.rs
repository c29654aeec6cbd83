//! The Hadoop node: NameNode, DataNode, ResourceManager (with the YARN services API),
//! NodeManager, timeline server and ZooKeeper (the service registry's store) in one container,
//! with its configuration, `krb5.conf` and keytabs copied in before it starts. Ready when each
//! daemon meets its own condition and HDFS (homes, `/tmp`, history) and the registry (its paths
//! and ACLs) are laid out, each as soon as its daemon is ready.

use std::path::Path;
use std::time::Duration;

use testcontainers::core::WaitFor;
use yarnsec_hadoop::http::Auth;
use yarnsec_hadoop::SpnegoClient;

use super::container::{ContainerSpec, Network};
use super::{keytab, keytab_login, password};
use crate::cluster::readiness::{wait_for_hadoop, OnceReady};
use crate::cluster::StartTimings;
use crate::config::{container_krb5_conf, hadoop_files, PropertyOverride};
use crate::error::HarnessError;
use crate::layout::{paths, ports, Layout};
use crate::node::Node;
use crate::SecurityProfile;

/// The Hadoop node to start.
pub(crate) struct HadoopNode<'a> {
    image: &'a str,
    profile: &'a SecurityProfile,
    layout: &'a Layout,
    kdc: &'a Node,
    overrides: &'a [PropertyOverride],
    ready_timeout: Duration,
}

impl<'a> HadoopNode<'a> {
    /// The node of the cluster whose KDC is `kdc`, from `image`.
    pub fn new(image: &'a str, profile: &'a SecurityProfile, layout: &'a Layout, kdc: &'a Node) -> Self {
        Self { image, profile, layout, kdc, overrides: &[], ready_timeout: Duration::from_secs(180) }
    }

    /// Configuration values in place of the generated ones.
    pub fn with_overrides(mut self, overrides: &'a [PropertyOverride]) -> Self {
        self.overrides = overrides;
        self
    }

    /// How long its daemons may take to be ready.
    pub fn with_ready_timeout(mut self, limit: Duration) -> Self {
        self.ready_timeout = limit;
        self
    }

    /// Starts it and waits for every daemon, asking as `user` (alice: what she sees is what a
    /// user gets).
    pub async fn start(
        self,
        net: &Network<'_>,
        state_dir: &Path,
        user: Auth<'_>,
        timings: &mut StartTimings,
    ) -> Result<Node, HarnessError> {
        let layout = self.layout;
        let kdc_addr = format!("{}:{}", self.kdc.ip(), ports::KDC);
        let mut files = hadoop_files(self.profile, layout, self.overrides);
        files.insert("/etc/krb5.conf", container_krb5_conf(self.profile, layout, &kdc_addr));
        files.insert(paths::HTTP_SECRET, password());
        let mut keytabs = Vec::new();
        for name in ["hdfs", "yarn", "http", "zookeeper"] {
            keytabs.push((format!("{}/{name}.keytab", paths::KEYTABS), keytab(state_dir, name)?));
        }
        let hadoop = ContainerSpec::new("hadoop", self.image, &layout.hadoop_host())
            .with_files(files)
            .with_keytabs(keytabs)
            .with_file(crate::native::path(), crate::native::LIBHADOOP.to_vec(), 0o755)
            // Every daemon's JVM (hadoop-start): ZooKeeper's server and the ResourceManager log
            // in to ZooKeeper through its own Kerberos login, which needs it on short tickets.
            .with_env("YARNSEC_JAVA_OPTS", crate::config::RELOGIN_JAVA_OPTION)
            .ready_when(WaitFor::message_on_stdout("yarnsec: started"))
            .start(net)
            .await?;
        let http = SpnegoClient::new(&layout.realm, vec![(layout.kdc_host(), self.kdc.ip()), (layout.hadoop_host(), hadoop.ip())])?;
        let then = OnceReady {
            hdfs: lay_out_hdfs(self.profile, layout, &http, state_dir),
            zookeeper: lay_out_registry(&hadoop, self.profile, layout),
        };
        wait_for_hadoop(&hadoop, &http, layout, user, self.ready_timeout, timings, then).await?;
        Ok(hadoop)
    }
}

/// The service registry's paths in ZooKeeper, made by ZooKeeper's own principal (its
/// superuser) through its command-line client: see [`crate::config::registry_commands`].
async fn lay_out_registry(hadoop: &Node, profile: &SecurityProfile, layout: &Layout) -> Result<(), HarnessError> {
    let commands = crate::config::registry_commands(profile, layout);
    let admin_jaas = format!("{}/{}", paths::HADOOP_CONF, crate::config::ADMIN_JAAS);
    let text = zookeeper_cli(hadoop, layout, "zookeeper", profile.kerberos().then_some(admin_jaas.as_str()), &commands).await?;
    // The client says `Created <path>` for each; anything else is the reason it could not.
    let missing: Vec<&str> =
        commands.lines().filter_map(|c| c.split_whitespace().nth(1)).filter(|p| !text.contains(&format!("Created {p}\n"))).collect();
    if !missing.is_empty() {
        let tail: Vec<&str> = text.lines().filter(|l| !l.contains(" INFO ")).collect();
        return Err(HarnessError::Exec {
            container: "hadoop".into(),
            command: "ZooKeeperMain (laying out the service registry as zookeeper)".into(),
            detail: format!("{} not created; its output: {}", missing.join(", "), tail[tail.len().saturating_sub(15)..].join("\n")),
        });
    }
    Ok(())
}

/// ZooKeeper's command-line client on the Hadoop node, run as the OS user `os_user` with the
/// JAAS file `jaas` (`None`: no login at all), fed `commands` (one per line); its output, stdout
/// and stderr together.
pub(crate) async fn zookeeper_cli(
    hadoop: &Node,
    layout: &Layout,
    os_user: &str,
    jaas: Option<&str>,
    commands: &str,
) -> Result<String, HarnessError> {
    use base64::Engine as _;
    let jaas = jaas.map(|j| format!("-Djava.security.auth.login.config={j} ")).unwrap_or_default();
    // A short JVM on the start's critical path (the registry's layout): its class path begins
    // with the jars, for the image's shared classes. ZooKeeper's login would otherwise refuse to
    // log in again for 60 s and spin on a ticket shorter than that (`fast`'s).
    let script = format!(
        "echo {} | base64 -d | \"$JAVA_HOME/bin/java\" -Xmx64m {} {} {jaas}-cp '{}:{}' org.apache.zookeeper.ZooKeeperMain -server {}:{} 2>&1",
        base64::engine::general_purpose::STANDARD.encode(commands),
        yarnsec_hadoop::java::short_jvm_options(),
        crate::config::RELOGIN_JAVA_OPTION,
        yarnsec_hadoop::java::HADOOP_JARS,
        paths::HADOOP_CONF,
        layout.hadoop_host(),
        ports::ZOOKEEPER
    );
    Ok(hadoop.exec_as(Some(os_user), &["sh", "-c", &script]).await?.stdout_text())
}

/// HDFS as the cluster's users find it: `/tmp`, MapReduce's history and YARN services' shared
/// resources world-writable and sticky, and each user's home (the service user's too) owned by that user and closed to others.
async fn lay_out_hdfs(profile: &SecurityProfile, layout: &Layout, http: &SpnegoClient, state_dir: &Path) -> Result<(), HarnessError> {
    let superuser = keytab_login(profile, &layout.hadoop_principal("nn"), &state_dir.join("keytabs/hdfs.keytab"))?;
    let admin = superuser.as_ref().map_or(Auth::Simple("hdfs"), Auth::Kerberos);
    let fs = yarnsec_hadoop::webhdfs::WebHdfs::new(http.clone(), &layout.hadoop_url(ports::NAMENODE_HTTP));
    let shared = [
        ("/tmp", "1777"),
        // MapReduce's job history, written by each job's ApplicationMaster as its user.
        ("/mr-history", "755"),
        (crate::config::MR_HISTORY_INTERMEDIATE, "1777"),
        // YARN services keeps its components' public resources in
        // `${hadoop.tmp.dir}/.yarn/services` (`/tmp/hadoop-${user.name}/…`), created by the
        // ApplicationMaster as its user. With `--default-container-executor` containers run as
        // the NodeManager's OS user, `yarn`, so every user's AM names the same
        // `/tmp/hadoop-yarn`, and the first would shut the others out, as no cluster with
        // LinuxContainerExecutor (`/tmp/hadoop-<user>`, the default here) would. Each user may
        // create a service's directory there, and only the user may remove it.
        ("/tmp/hadoop-yarn", "1777"),
        ("/tmp/hadoop-yarn/.yarn", "1777"),
        ("/tmp/hadoop-yarn/.yarn/services", "1777"),
        ("/user", "755"),
        // Aggregated container logs: each application's NodeManager writes them under
        // `<dir>/<user>/`, which it creates as the user's (HDFS's sticky bit keeps users apart).
        (crate::config::REMOTE_APP_LOG_DIR, "1777"),
    ];
    // The test users' homes, and the submission service's own (where a service that forgets
    // `doAs` stages its files: the mistake must show as the wrong owner, not as a missing home).
    let users: Vec<&str> = layout.users.iter().map(|u| u.name.as_str()).chain([crate::layout::SERVICE_USER]).collect();
    let homes: Vec<String> = users.iter().map(|user| format!("/user/{user}")).collect();
    // Each directory's requests in order, the directories all at once (they are on the start's
    // critical path: one after the other they took 1.7 s). WebHDFS makes a directory with the
    // mode asked for, sticky bit included and no umask; a parent made first by its child's
    // request gets the child's mode, so a parent's `set_permission` sets its own.
    let parent =
        |dir: &str| shared.iter().map(|(d, _)| *d).chain(homes.iter().map(String::as_str)).any(|d| d.starts_with(&format!("{dir}/")));
    let shared = shared.iter().map(|(dir, mode)| {
        let set_own_mode = parent(dir);
        let fs = &fs;
        async move {
            fs.mkdirs(dir, Some(mode), admin, None).await?;
            if set_own_mode {
                fs.set_permission(dir, mode, admin, None).await?;
            }
            Ok(())
        }
    });
    let homes = users.iter().zip(&homes).map(|(user, home)| {
        let fs = &fs;
        async move {
            fs.mkdirs(home, Some("700"), admin, None).await?;
            fs.set_owner(home, user, user, admin).await
        }
    });
    futures::future::try_join(futures::future::try_join_all(shared), futures::future::try_join_all(homes)).await?;
    Ok(())
}
