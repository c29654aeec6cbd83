//! `yarnsec up`: start a cluster and leave it running.

use clap::Args;
use yarnsec_harness::{SecureCluster, SecurityProfile};

#[derive(Debug, Args)]
pub struct UpArgs {
    /// Security profile: strict, fast, kerberos or simple.
    #[arg(long, env = "YARNSEC_PROFILE", default_value = "strict")]
    profile: String,
    /// Start the cluster without the reference submission service.
    #[arg(long)]
    no_service: bool,
    /// Do not start the remote HDFS (second NameNode and DataNode for the remote-cluster item,
    /// T9): one container and a few seconds less.
    #[arg(long)]
    no_remote_hdfs: bool,
    /// Print exactly one JSON object describing the cluster on stdout (progress stays on stderr).
    #[arg(long)]
    json: bool,
    /// The Hadoop version.
    #[arg(long, env = "YARNSEC_HADOOP_VERSION", default_value = yarnsec_harness::images::DEFAULT_HADOOP_VERSION)]
    hadoop_version: String,
    /// A fault switch of the reference service (repeatable), e.g. `no-doas`.
    #[arg(long = "fault", value_name = "NAME")]
    faults: Vec<yarnsec_service::faults::Fault>,
    /// Also start an edge node: a gateway host with the client's kit, Hadoop's commands and the
    /// users' keytabs, for `yarnsec exec` and command-line submitters.
    #[arg(long)]
    edge: bool,
    /// A directory to mount read-only at /team on the edge node.
    #[arg(long, value_name = "DIR", requires = "edge")]
    mount: Option<std::path::PathBuf>,
    /// A Debian package the cluster's containers need beyond Hadoop's (repeatable), e.g.
    /// `--package python3`: the NodeManager and the edge node run from an image with them.
    #[arg(long = "package", value_name = "NAME")]
    packages: Vec<String>,
    /// The setuid container-executor through which the NodeManager (LinuxContainerExecutor) runs
    /// each container as its user: by default the one built into yarnsec; PATH for another.
    #[arg(long, value_name = "PATH")]
    container_executor: Option<std::path::PathBuf>,
    /// Run every container as the NodeManager's OS user `yarn` (DefaultContainerExecutor), as a
    /// cluster without the setuid helper does; log aggregation is then off on Kerberos clusters.
    #[arg(long, conflicts_with = "container_executor")]
    default_container_executor: bool,
    /// Remove the cluster once this process is gone (for test runners: pass the runner's pid).
    #[arg(long, value_name = "PID")]
    down_when_gone: Option<u32>,
}

pub async fn run(args: UpArgs) -> anyhow::Result<u8> {
    let profile: SecurityProfile = args.profile.parse()?;
    yarnsec_harness::images::check_packages(&args.packages).map_err(|e| yarnsec::BadInput(format!("--package: {e}")))?;
    let mut builder = SecureCluster::builder()
        .profile(profile)
        .hadoop_version(args.hadoop_version)
        .keep(true)
        .remote_hdfs(!args.no_remote_hdfs)
        .packages(args.packages);
    if !args.no_service {
        builder = builder.service(std::env::current_exe()?, args.faults.iter().map(|f| f.to_string()).collect());
    }
    if let Some(helper) = &args.container_executor {
        builder = builder.container_executor(super::container_executor::resolve(helper)?);
    }
    if args.default_container_executor {
        builder = builder.default_container_executor();
    }
    if let Some(pid) = args.down_when_gone {
        builder = builder.owner_pid(pid);
    }
    if let Some(dir) = &args.mount {
        if !dir.is_dir() {
            anyhow::bail!(yarnsec::BadInput(format!("--mount {}: no such directory", dir.display())));
        }
    }
    let cluster = builder.start().await?;
    if args.edge {
        let mut options = yarnsec_harness::cluster::EdgeOptions::default();
        if let Some(dir) = &args.mount {
            options = options.with_mount(dir);
        }
        match cluster.start_edge(options).await {
            Ok(edge) => edge.keep(),
            Err(e) => {
                // The cluster was started to be kept; without its edge node it goes.
                let engine = yarnsec_harness::docker::connect().await?;
                let _ = yarnsec_harness::cleanup::remove(&engine, cluster.id()).await;
                return Err(e.into());
            }
        }
    }
    let description = cluster.describe();
    if let Some(pid) = args.down_when_gone {
        super::down::spawn_reaper(cluster.id(), pid)?;
    }
    if args.json {
        println!("{}", serde_json::to_string(&description)?);
    } else {
        eprintln!(
            "cluster {} is up: realm {}, ResourceManager {}, NameNode {}, service {}\nuse it with: export KRB5_CONFIG={}{}\nstop it with: yarnsec down",
            cluster.id(),
            description.realm,
            description.endpoints.resourcemanager_http,
            description.endpoints.namenode_http,
            description.endpoints.service_http.as_deref().unwrap_or("(none)"),
            description.krb5_conf.display(),
            if args.edge { "\nrun commands on its edge node with: yarnsec exec --user alice -- yarn application -list" } else { "" }
        );
    }
    // Leaves the containers running: the cluster was started with `keep`.
    cluster.shutdown().await?;
    Ok(yarnsec::exit_codes::OK)
}
