//! The start sequence: network, KDC, keytabs, Hadoop, HDFS homes. If any step fails, everything
//! started so far is removed before the error is returned (unless the cluster is kept).

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use bollard::Docker;
use rand::distr::{Alphanumeric, SampleString};
use testcontainers::core::WaitFor;
use testcontainers::runners::AsyncRunner;
use testcontainers::CopyTargetOptions;
use testcontainers::{GenericImage, ImageExt};
use yarnsec_hadoop::http::Auth;
use yarnsec_hadoop::kerberos::{Krb5Conf, RealmEntry};
use yarnsec_hadoop::{Credential, KerberosError, Principal, SpnegoClient};

use super::readiness::{poll, wait_for_hadoop, wait_for_remote_hdfs};
use super::secure::state_root;
use super::{SecureCluster, SecureClusterBuilder, StartTimings};
use crate::config::{container_krb5_conf, hadoop_files, kdc_files, remote_hdfs_files, service_toml, ConfigFiles};
use crate::docker::{self, cluster_labels, ClusterNetwork, ROLE_LABEL};
use crate::error::HarnessError;
use crate::images::{ensure_images, ImageSet};
use crate::layout::{paths, ports, Layout};
use crate::node::Node;
use crate::owner::Owner;

/// Label carrying the realm, by which another process finds a cluster's containers.
pub const REALM_LABEL: &str = "dev.yarnsec.realm";

/// The keytabs the KDC exports, by file stem.
const KEYTABS: [&str; 8] = ["hdfs", "yarn", "http", "remote-hdfs", "remote-http", "service", "alice", "bob"];

/// How long the KDC may take to answer a first ticket request (it usually takes a second or two).
const KDC_READY_LIMIT: Duration = Duration::from_secs(30);

/// The role label of the remote HDFS container.
pub const REMOTE_ROLE: &str = "remote-hdfs";

/// A container's settings beyond its image's.
#[derive(Default)]
pub(crate) struct Extras {
    /// Environment variables.
    pub env: Vec<(&'static str, String)>,
    /// The command, in place of the image's.
    pub cmd: Option<Vec<String>>,
    /// Host directories mounted in the container.
    pub mounts: Vec<testcontainers::core::Mount>,
    /// Files copied in with their mode (programs: 0755).
    pub files_with_mode: Vec<(String, Vec<u8>, u32)>,
}

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
            } else {
                let _ = crate::cleanup::remove(&docker, &net.name).await;
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

    // The KDC: realm, principals and keytabs are made by its start script from generated files.
    let step = b.progress.step("kdc");
    let kdc_started = Instant::now();
    let mut files = kdc_files(&b.profile, layout);
    for (path, content) in &b.kdc_files {
        files.insert(path.clone(), content.replace("{realm}", &layout.realm));
    }
    let kdc = start_container(
        docker,
        "kdc",
        &images.kdc,
        &layout.kdc_host(),
        &net.name,
        &labels,
        &files,
        &[],
        Extras::default(),
        WaitFor::message_on_stdout("yarnsec: kdc starting"),
    )
    .await?;
    let kdc_addr = format!("{}:{}", kdc.ip(), ports::KDC);
    Krb5Conf::register_realm(registry, RealmEntry { name: layout.realm.clone(), kdc: kdc_addr.clone() })?;
    std::fs::create_dir_all(state_dir.join("keytabs")).map_err(HarnessError::io(state_dir))?;
    let host_conf =
        Krb5Conf::new(vec![RealmEntry { name: layout.realm.clone(), kdc: kdc_addr.clone() }]).with_default_realm(layout.realm.clone());
    write_private(&state_dir.join("krb5.conf"), host_conf.render().as_bytes(), 0o644)?;
    for name in KEYTABS {
        let bytes = kdc.read_file(&format!("/keytabs/{name}.keytab")).await?;
        write_private(&state_dir.join("keytabs").join(format!("{name}.keytab")), &bytes, 0o600)?;
    }
    // Ready when a user gets a ticket from it (a real AS exchange, from this host).
    let alice = layout.users.iter().find(|u| u.name == "alice").and_then(|u| u.password.clone()).unwrap_or_default();
    let principal = Principal::user("alice", &layout.realm);
    let limit = b.ready_timeout.min(KDC_READY_LIMIT);
    let answered = poll(Instant::now() + limit, || {
        let (principal, alice) = (principal.clone(), alice.clone());
        async move {
            tokio::task::spawn_blocking(move || Credential::from_password(principal, &alice))
                .await
                .expect("the GSSAPI call does not panic")
                .map(drop)
                .map_err(|e: KerberosError| e.to_string())
        }
    })
    .await;
    if let Err(last_error) = answered {
        step.fail();
        let log_tail =
            format!("{}--- /var/log/kerberos/kdc.log ---\n{}", kdc.log_tail(30).await, kdc.tail("/var/log/kerberos/kdc.log", 30).await);
        return Err(HarnessError::NotReady {
            daemon: "kdc".into(),
            condition: format!("a ticket for alice@{} from the KDC at {kdc_addr} (TCP)", layout.realm),
            waited: limit,
            last_error,
            log_tail,
        });
    }
    timings.kdc = kdc_started.elapsed();
    step.done(&format!("realm {} at {kdc_addr}", layout.realm));

    // The Hadoop node: configuration, krb5.conf and keytabs are copied in before it starts.
    let keytab = |name: &str| std::fs::read(state_dir.join("keytabs").join(format!("{name}.keytab"))).map_err(HarnessError::io(state_dir));
    let step = b.progress.step("hadoop daemons");
    let mut files = hadoop_files(&b.profile, layout, &b.overrides);
    files.insert("/etc/krb5.conf", container_krb5_conf(&b.profile, layout, &kdc_addr));
    files.insert(paths::HTTP_SECRET, password());
    let mut binary = Vec::new();
    for name in ["hdfs", "yarn", "http"] {
        binary.push((format!("{}/{name}.keytab", paths::KEYTABS), keytab(name)?));
    }
    let hadoop = start_container(
        docker,
        "hadoop",
        &images.hadoop,
        &layout.hadoop_host(),
        &net.name,
        &labels,
        &files,
        &binary,
        Extras::default(),
        WaitFor::message_on_stdout("yarnsec: started"),
    )
    .await?;
    let mut hosts = vec![(layout.kdc_host(), kdc.ip()), (layout.hadoop_host(), hadoop.ip())];
    let http = SpnegoClient::new(&layout.realm, hosts.clone())?;
    step.message("waiting for NameNode, DataNode, ResourceManager, NodeManager, timeline server");
    let alice_cred = if b.profile.kerberos() {
        Some(Credential::from_keytab(Principal::user("alice", &layout.realm), state_dir.join("keytabs/alice.keytab"))?)
    } else {
        None
    };
    let auth = match &alice_cred {
        Some(c) => Auth::Kerberos(c),
        None => Auth::Simple("alice"),
    };
    if let Err(e) = wait_for_hadoop(&hadoop, &http, layout, auth, b.ready_timeout, timings).await {
        step.fail();
        return Err(e);
    }

    // HDFS homes, owned by their users and closed to others.
    let setup_started = Instant::now();
    let hdfs_admin = |principal: String, keytab: &str| -> Result<Option<Credential>, HarnessError> {
        if b.profile.kerberos() {
            Ok(Some(Credential::from_keytab(principal.parse()?, state_dir.join("keytabs").join(keytab))?))
        } else {
            Ok(None)
        }
    };
    let superuser = hdfs_admin(layout.hadoop_principal("nn"), "hdfs.keytab")?;
    let admin = superuser.as_ref().map_or(Auth::Simple("hdfs"), Auth::Kerberos);
    let fs = yarnsec_hadoop::webhdfs::WebHdfs::new(http.clone(), &layout.hadoop_url(ports::NAMENODE_HTTP));
    fs.mkdirs("/tmp", Some("1777"), admin, None).await?;
    fs.set_permission("/tmp", "1777", admin, None).await?;
    // MapReduce's job history, written by each job's ApplicationMaster as its user.
    for (dir, mode) in [("/mr-history", "755"), (crate::config::MR_HISTORY_INTERMEDIATE, "1777")] {
        fs.mkdirs(dir, Some(mode), admin, None).await?;
        fs.set_permission(dir, mode, admin, None).await?;
    }
    fs.mkdirs("/user", Some("755"), admin, None).await?;
    fs.set_permission("/user", "755", admin, None).await?;
    // The test users' homes, and the submission service's own (where a service that forgets
    // `doAs` stages its files: the mistake must show as the wrong owner, not as a missing home).
    let homes = layout.users.iter().map(|u| u.name.as_str()).chain([crate::layout::SERVICE_USER]);
    for user in homes {
        let home = format!("/user/{user}");
        fs.mkdirs(&home, Some("700"), admin, None).await?;
        fs.set_permission(&home, "700", admin, None).await?;
        fs.set_owner(&home, user, user, admin).await?;
    }
    timings.hdfs_setup = setup_started.elapsed();
    step.done(&format!(
        "ready (NameNode {:.1}s, ResourceManager {:.1}s, NodeManager {:.1}s, timeline {:.1}s)",
        timings.namenode.as_secs_f64(),
        timings.resourcemanager.as_secs_f64(),
        timings.nodemanager.as_secs_f64(),
        timings.timeline.as_secs_f64()
    ));

    // The remote HDFS starts once the main node is ready (on two cores, starting both at once
    // slows both), and comes up while the service does. The Hadoop node's /etc/hosts learns its
    // name: the ResourceManager renews its tokens and containers read from it.
    let remote = if b.remote_hdfs {
        let mut files = remote_hdfs_files(&b.profile, layout);
        files.insert("/etc/krb5.conf", container_krb5_conf(&b.profile, layout, &kdc_addr));
        files.insert(paths::HTTP_SECRET, password());
        let binary = vec![
            (format!("{}/hdfs.keytab", paths::KEYTABS), keytab("remote-hdfs")?),
            (format!("{}/http.keytab", paths::KEYTABS), keytab("remote-http")?),
        ];
        let extras = Extras { env: vec![("YARNSEC_DAEMONS", "namenode datanode".into())], ..Extras::default() };
        let node = start_container(
            docker,
            REMOTE_ROLE,
            &images.hadoop,
            &layout.remote_host(),
            &net.name,
            &labels,
            &files,
            &binary,
            extras,
            WaitFor::message_on_stdout("yarnsec: started"),
        )
        .await?;
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
        let result = async {
            let took = wait_for_remote_hdfs(node, &http, layout, auth, b.ready_timeout).await?;
            let superuser = hdfs_admin(layout.remote_principal("nn"), "remote-hdfs.keytab")?;
            let admin = superuser.as_ref().map_or(Auth::Simple("hdfs"), Auth::Kerberos);
            let remote_fs = yarnsec_hadoop::webhdfs::WebHdfs::new(http.clone(), &layout.remote_url(ports::NAMENODE_HTTP));
            seed_remote_hdfs(&remote_fs, admin).await.map(|()| Some(took))
        }
        .await;
        match &result {
            Ok(_) => {
                step.done(&format!("{} ready with {REMOTE_FILE}", layout.remote_host()));
            }
            Err(_) => step.fail(),
        }
        result
    };

    let service_up = async {
        let Some(options) = &b.service else { return Ok(None) };
        let step = b.progress.step("submission service");
        let service_started = Instant::now();
        let parts = ServiceParts {
            role: "service",
            docker,
            base_image: &images.base,
            network: &net.name,
            labels: &labels,
            profile: &b.profile,
            layout,
            state_dir,
            kdc_ip: kdc.ip(),
            hadoop_ip: hadoop.ip(),
            remote_ip: remote.as_ref().map(Node::ip),
            progress: &b.progress,
        };
        match start_service(&parts, options).await {
            Ok(started) => {
                step.done(&format!("{} ready", layout.service_host()));
                Ok(Some((started, service_started.elapsed())))
            }
            Err(e) => {
                step.fail();
                Err(e)
            }
        }
    };
    let (remote_took, service) = tokio::try_join!(remote_up, service_up)?;
    timings.remote_hdfs = remote_took.unwrap_or_default();
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

/// The file alice's applications read from the remote HDFS (T9), and what it holds.
pub const REMOTE_FILE: &str = "/shared/for-alice.txt";
/// The first line of [`REMOTE_FILE`].
pub const REMOTE_FILE_TEXT: &str = "yarnsec remote data: read by alice through a token from launch";

/// `/shared/for-alice.txt` on the remote HDFS, owned by alice and readable by her only: reading it
/// takes alice's identity at the remote NameNode.
async fn seed_remote_hdfs(fs: &yarnsec_hadoop::webhdfs::WebHdfs, admin: Auth<'_>) -> Result<(), HarnessError> {
    fs.mkdirs("/shared", Some("755"), admin, None).await?;
    fs.set_permission("/shared", "755", admin, None).await?;
    fs.create(REMOTE_FILE, format!("{REMOTE_FILE_TEXT}\n").into_bytes(), true, admin, None).await?;
    fs.set_owner(REMOTE_FILE, "alice", "alice", admin).await?;
    fs.set_permission(REMOTE_FILE, "600", admin, None).await?;
    Ok(())
}

/// What starting a service container needs to know about its cluster.
pub(crate) struct ServiceParts<'a> {
    /// `service`, or `service-extra` for more services on the same cluster (attaching finds the
    /// cluster's main one by its role).
    pub role: &'a str,
    pub docker: &'a Docker,
    pub base_image: &'a str,
    pub network: &'a str,
    pub labels: &'a std::collections::HashMap<String, String>,
    pub profile: &'a crate::SecurityProfile,
    pub layout: &'a Layout,
    pub state_dir: &'a Path,
    pub kdc_ip: IpAddr,
    pub hadoop_ip: IpAddr,
    pub remote_ip: Option<IpAddr>,
    pub progress: &'a crate::progress::Progress,
}

/// Starts a reference-service container and waits until `/healthz` answers 200. Returns the
/// node and an HTTP client that reaches the service's host name at this container.
pub(crate) async fn start_service(p: &ServiceParts<'_>, options: &super::ServiceOptions) -> Result<(Node, SpnegoClient), HarnessError> {
    let started = Instant::now();
    let layout = p.layout;
    let image = crate::images::ensure_service_image(p.docker, p.base_image, &options.binary, p.progress).await?;
    let kdc_addr = format!("{}:{}", p.kdc_ip, ports::KDC);
    let mut files = ConfigFiles::default();
    files.insert("/etc/yarnsec/service.toml", service_toml(p.profile, layout, p.hadoop_ip, p.remote_ip, &options.faults));
    files.insert("/etc/krb5.conf", container_krb5_conf(p.profile, layout, &kdc_addr));
    let keytab = std::fs::read(p.state_dir.join("keytabs/service.keytab")).map_err(HarnessError::io(p.state_dir))?;
    let keytabs = [("/etc/yarnsec/service.keytab".to_string(), keytab)];
    let service = start_container(
        p.docker,
        p.role,
        &image,
        &layout.service_host(),
        p.network,
        p.labels,
        &files,
        &keytabs,
        // As a team debugging Kerberos would run it: the checklist then sees whether the service
        // passes it to its applications (C6, A7).
        Extras { env: vec![("HADOOP_JAAS_DEBUG", "true".into())], ..Extras::default() },
        WaitFor::Nothing,
    )
    .await?;
    let mut hosts = vec![(layout.kdc_host(), p.kdc_ip), (layout.hadoop_host(), p.hadoop_ip), (layout.service_host(), service.ip())];
    hosts.extend(p.remote_ip.map(|ip| (layout.remote_host(), ip)));
    let http = SpnegoClient::new(&layout.realm, hosts)?;
    let health = format!("http://{}:{}/healthz", layout.service_host(), ports::SERVICE_HTTP);
    let deadline = Instant::now() + Duration::from_secs(30);
    let ready = poll(deadline, || async {
        let r = http.get(&health, Auth::Anonymous).await.map_err(|e| e.to_string())?;
        if r.status.is_success() {
            Ok(())
        } else {
            Err(format!("{} {}", r.status, r.text()))
        }
    })
    .await;
    if let Err(last_error) = ready {
        return Err(HarnessError::NotReady {
            daemon: "service".into(),
            condition: format!("{health} to answer 200"),
            waited: started.elapsed(),
            last_error,
            log_tail: service.log_tail(30).await,
        });
    }
    Ok((service, http))
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn start_container(
    docker: &Docker,
    role: &str,
    image: &str,
    hostname: &str,
    network: &str,
    labels: &std::collections::HashMap<String, String>,
    files: &ConfigFiles,
    binary_files: &[(String, Vec<u8>)],
    extras: Extras,
    ready: WaitFor,
) -> Result<Node, HarnessError> {
    let fail = |detail: String| HarnessError::ContainerStart { role: role.into(), detail };
    let (name, tag) = image.rsplit_once(':').unwrap_or((image, "latest"));
    let mut request = GenericImage::new(name, tag)
        .with_wait_for(ready)
        .with_network(network)
        .with_hostname(hostname)
        .with_labels(labels.clone())
        .with_label(ROLE_LABEL, role)
        .with_startup_timeout(Duration::from_secs(90));
    for (name, value) in extras.env {
        request = request.with_env_var(name, value);
    }
    if let Some(cmd) = extras.cmd {
        request = request.with_cmd(cmd);
    }
    for mount in extras.mounts {
        request = request.with_mount(mount);
    }
    for (path, content, mode) in extras.files_with_mode {
        request = request.with_copy_to(CopyTargetOptions::new(path).with_mode(mode), content);
    }
    for (path, content) in files.iter() {
        request = request.with_copy_to(path.to_string(), content.as_bytes().to_vec());
    }
    // Binary files are keytabs: readable by their owner only.
    for (path, content) in binary_files {
        request = request.with_copy_to(CopyTargetOptions::new(path.clone()).with_mode(0o600), content.clone());
    }
    let container = request.start().await.map_err(|e| fail(e.to_string()))?;
    let ip: IpAddr = container.get_bridge_ip_address().await.map_err(|e| fail(e.to_string()))?;
    Ok(Node::owned(role, hostname, ip, docker.clone(), container))
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

pub(crate) fn write_private(path: &Path, bytes: &[u8], mode: u32) -> Result<(), HarnessError> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, bytes).map_err(HarnessError::io(path))?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).map_err(HarnessError::io(path))
}

fn password() -> String {
    Alphanumeric.sample_string(&mut rand::rng(), 20)
}
