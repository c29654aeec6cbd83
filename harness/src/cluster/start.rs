//! The start sequence: network, then each kind of node in turn (`kinds`): KDC, Hadoop node, and
//! the remote HDFS beside the service. If any step fails, everything started so far is removed
//! before the error is returned (unless the cluster is kept).

use std::path::{Path, PathBuf};
use std::time::Instant;

use bollard::Docker;
use yarnsec_hadoop::http::Auth;
use yarnsec_hadoop::kerberos::KerberosError;
use yarnsec_hadoop::SpnegoClient;

use super::kinds::container::Network;
use super::kinds::hadoop_node::HadoopNode;
use super::kinds::kdc::KdcNode;
use super::kinds::remote_hdfs::{wait_and_seed, RemoteHdfsNode, REMOTE_FILE};
use super::kinds::service::ServiceNode;
use super::kinds::{keytab_login, password, write_private};
use super::secure::state_root;
use super::{SecureCluster, SecureClusterBuilder, StartTimings};
use crate::docker::{self, cluster_labels, ClusterNetwork, REALM_LABEL};
use crate::error::HarnessError;
use crate::images::{ensure_images, ImageSet};
use crate::layout::{ports, Layout};
use crate::node::Node;
use crate::owner::Owner;

pub(crate) async fn start(b: SecureClusterBuilder) -> Result<SecureCluster, HarnessError> {
    let started = Instant::now();
    b.profile.validate()?;
    let docker = docker::connect().await?;
    let registry = registry_path()?;
    // Leftovers of killed runs go first; one that cannot be removed must not stop this start.
    match crate::cleanup::sweep_leftovers(&docker).await {
        Ok(swept) if !swept.is_empty() => tracing::info!(?swept, "removed clusters left by processes that are gone"),
        Ok(_) => {}
        Err(e) => eprintln!("yarnsec: warning: {e}"),
    }
    let mut timings = StartTimings::default();
    let images = ensure_images(&docker, &b.images, &b.progress).await?;
    ensure_client_jars(&b.images.hadoop_version, &b.progress).await;
    timings.images = started.elapsed();

    let owner = match b.owner_pid {
        Some(pid) => Owner::of(pid).ok_or(HarnessError::NoSuchOwner { pid })?,
        None => Owner::current(),
    };
    let net = docker::create_network(&docker, &owner).await?;
    let realm = crate::layout::realm_for(net.index);
    let layout = Layout::new(realm, password(), password());
    let state_dir = state_root().join(&net.name);
    match start_in(&b, &docker, &images, &net, &owner, &layout, &state_dir, &registry, &mut timings).await {
        Ok(Started { kdc, hadoop, remote, service, http }) => {
            timings.total = started.elapsed();
            let cluster = SecureCluster {
                id: net.name.clone(),
                profile: b.profile.clone(),
                layout,
                docker,
                kdc,
                hadoop,
                remote,
                service,
                http,
                state_dir,
                owned: true,
                keep: b.keep,
                timings,
                hadoop_version: images.hadoop_version.clone(),
                finished: false,
            };
            let hosts = super::description::hosts_file_text(&cluster.hosts());
            write_private(&cluster.hosts_file(), hosts.as_bytes(), 0o644)?;
            let local = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
            let java_hosts = super::description::java_hosts_file_text(&cluster.hosts(), &local);
            write_private(&cluster.java_hosts_file(), java_hosts.as_bytes(), 0o644)?;
            let conf_dir = cluster.hadoop_conf_dir();
            std::fs::create_dir_all(&conf_dir).map_err(HarnessError::io(&conf_dir))?;
            for (name, content) in crate::config::client_files(&cluster.profile, &cluster.layout).iter() {
                write_private(&conf_dir.join(name), content.as_bytes(), 0o644)?;
            }
            let description = serde_json::to_string_pretty(&cluster.describe()).expect("the description serializes");
            let path = cluster.state_dir.join("cluster.json");
            std::fs::write(&path, description).map_err(HarnessError::io(path))?;
            // Kept on purpose outlives its owner; kept for a named owner (a test runner) goes when
            // that owner does.
            match (b.keep, b.owner_pid) {
                (true, None) => crate::cleanup::mark_kept(&cluster.docker, &cluster.id).await?,
                (true, Some(_)) => crate::cleanup::hand_over(&cluster.id),
                (false, _) => {}
            }
            Ok(cluster)
        }
        Err(e) => {
            if b.keep_on_failure {
                let _ = crate::cleanup::mark_kept(&docker, &net.name).await;
                eprintln!("yarnsec: start failed; kept cluster {} for debugging (YARNSEC_KEEP)", net.name);
            } else if let Err(cleanup) = crate::cleanup::remove(&docker, &net.name).await {
                // The start's own error stays the error; what it could not remove is said, not lost.
                eprintln!("yarnsec: the failed start's cluster {} was not wholly removed ({cleanup}); `yarnsec down` removes it", net.name);
            }
            Err(e)
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn start_in(
    b: &SecureClusterBuilder,
    docker: &Docker,
    images: &ImageSet,
    net: &ClusterNetwork,
    owner: &Owner,
    layout: &Layout,
    state_dir: &Path,
    registry: &Path,
    timings: &mut StartTimings,
) -> Result<Started, HarnessError> {
    let mut labels = cluster_labels(&net.name, owner);
    labels.insert(REALM_LABEL.into(), layout.realm.clone());
    let network = Network { docker, name: &net.name, labels: &labels };

    let step = b.progress.step("kdc");
    let started = Instant::now();
    let kdc = KdcNode::new(&images.kdc, &b.profile, layout)
        .with_files(&b.kdc_files)
        .with_ready_timeout(b.ready_timeout)
        .start(&network, state_dir, registry)
        .await;
    let kdc = step.end(kdc, |kdc| format!("realm {} at {}:{}", layout.realm, kdc.ip(), ports::KDC))?;
    timings.kdc = started.elapsed();

    // Readiness is asked as alice, one login for every node.
    let alice = keytab_login(&b.profile, &format!("alice@{}", layout.realm), &state_dir.join("keytabs/alice.keytab"))?;
    let alice = alice.as_ref().map_or(Auth::Simple("alice"), Auth::Kerberos);
    let step = b.progress.step("hadoop daemons");
    step.message("waiting for NameNode, DataNode, ResourceManager, NodeManager, timeline server");
    let overrides = b.node_overrides();
    let hadoop = HadoopNode::new(&images.hadoop, &b.profile, layout, &kdc)
        .with_overrides(&overrides)
        .with_ready_timeout(b.ready_timeout)
        .start(&network, state_dir, alice, timings)
        .await;
    let hadoop = step.end(hadoop, |_| {
        format!(
            "ready (NameNode {:.1}s, ResourceManager {:.1}s, NodeManager {:.1}s, timeline {:.1}s, ZooKeeper {:.1}s, registry {:.1}s)",
            timings.namenode.as_secs_f64(),
            timings.resourcemanager.as_secs_f64(),
            timings.nodemanager.as_secs_f64(),
            timings.timeline.as_secs_f64(),
            timings.zookeeper.as_secs_f64(),
            timings.registry_setup.as_secs_f64()
        )
    })?;

    // The remote HDFS starts once the main node is ready (on two cores, starting both at once
    // slows both), and comes up while the service does. The Hadoop node's /etc/hosts learns its
    // name: the ResourceManager renews its tokens and containers read from it.
    let mut hosts = vec![(layout.kdc_host(), kdc.ip()), (layout.hadoop_host(), hadoop.ip())];
    let remote_started = Instant::now();
    let remote = if b.remote_hdfs {
        let node = RemoteHdfsNode::new(&images.hadoop, &b.profile, layout, &kdc).start(&network, state_dir).await?;
        hadoop.exec(&["sh", "-c", &format!("echo '{} {}' >> /etc/hosts", node.ip(), layout.remote_host())]).await?;
        hosts.push((layout.remote_host(), node.ip()));
        Some(node)
    } else {
        None
    };
    let http = SpnegoClient::new(&layout.realm, hosts)?;
    let remote_up = async {
        let Some(node) = &remote else { return Ok(None) };
        let step = b.progress.step("remote hdfs");
        let took = wait_and_seed(node, &http, alice, &b.profile, layout, state_dir, b.ready_timeout).await;
        step.end(took, |_| format!("{} ready with {REMOTE_FILE}", layout.remote_host())).map(|took| Some((took, remote_started.elapsed())))
    };
    let service_up = async {
        let Some(options) = &b.service else { return Ok(None) };
        let step = b.progress.step("submission service");
        let started = Instant::now();
        let service = ServiceNode::new(&images.base, &b.profile, layout, kdc.ip(), hadoop.ip()).with_remote(remote.as_ref().map(Node::ip));
        let running = service.start(&network, state_dir, options, &b.progress).await;
        step.end(running, |_| format!("{} ready", layout.service_host())).map(|running| Some((running, started.elapsed())))
    };
    let (remote_took, service) = tokio::try_join!(remote_up, service_up)?;
    (timings.remote_hdfs, timings.remote_hdfs_total) = remote_took.unwrap_or_default();
    match service {
        Some(((service, http), took)) => {
            timings.service = took;
            Ok(Started { kdc, hadoop, remote, service: Some(service), http })
        }
        None => Ok(Started { kdc, hadoop, remote, service: None, http }),
    }
}

/// The containers of a started cluster, and a client that reaches them by host name.
struct Started {
    kdc: Node,
    hadoop: Node,
    remote: Option<Node>,
    service: Option<Node>,
    http: SpnegoClient,
}

/// The `krb5.conf` this process's GSSAPI library reads (`KRB5_CONFIG`), which must be one yarnsec
/// may write: absent, or written by yarnsec.
fn registry_path() -> Result<PathBuf, HarnessError> {
    let path = PathBuf::from(std::env::var_os("KRB5_CONFIG").ok_or(KerberosError::NoKrb5Config)?);
    if let Ok(text) = std::fs::read_to_string(&path) {
        if !text.is_empty() && !text.starts_with("# Generated by yarnsec") {
            return Err(HarnessError::Kerberos(KerberosError::Krb5Conf {
                path,
                source: std::io::Error::other("KRB5_CONFIG names a file yarnsec did not write; point it at a file of yarnsec's own (it adds each cluster's realm there)"),
            }));
        }
    }
    Ok(path)
}

/// The client's kit holds Hadoop's jars for this host's clients (`hadoop_classpath` in `up
/// --json`). The image build gathers them, but images may come from elsewhere (another job's
/// container built them in a shared engine): then Maven gathers them here (its cache makes it
/// cheap). A failure leaves the kit without a classpath and says which command gathers it; the
/// cluster itself does not need them.
async fn ensure_client_jars(version: &str, progress: &crate::progress::Progress) {
    if crate::images::cache_dir().join(format!("hadoop-{version}")).join(".complete").exists() {
        return;
    }
    if let Err(e) = crate::images::client_classpath(version, progress).await {
        eprintln!(
            "yarnsec: warning: the client's kit has no hadoop_classpath: Hadoop {version}'s jars could not be gathered on this host ({e}); `yarnsec images build` gathers them"
        );
    }
}
