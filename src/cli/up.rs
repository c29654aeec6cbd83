//! `yarnsec up`: start a cluster and leave it running.

use clap::Args;
use yarnsec_harness::{SecureCluster, SecurityProfile};

#[derive(Debug, Args)]
pub struct UpArgs {
    /// Security profile: strict, kerberos or simple.
    #[arg(long, env = "YARNSEC_PROFILE", default_value = "strict")]
    profile: String,
    /// Start the cluster without the reference submission service.
    #[arg(long)]
    no_service: bool,
    /// Print exactly one JSON object describing the cluster on stdout (progress stays on stderr).
    #[arg(long)]
    json: bool,
    /// The Hadoop version.
    #[arg(long, env = "YARNSEC_HADOOP_VERSION", default_value = yarnsec_harness::images::DEFAULT_HADOOP_VERSION)]
    hadoop_version: String,
    /// Remove the cluster once this process is gone (for test runners: pass the runner's pid).
    #[arg(long, value_name = "PID")]
    down_when_gone: Option<u32>,
}

pub async fn run(args: UpArgs) -> anyhow::Result<u8> {
    let profile: SecurityProfile = args.profile.parse()?;
    if !args.no_service {
        eprintln!("error: the reference submission service is not built yet, so `yarnsec up` cannot start it\nhint: start the cluster alone with `yarnsec up --no-service`");
        return Ok(yarnsec::exit_codes::BAD_INPUT);
    }
    let mut builder = SecureCluster::builder().profile(profile).hadoop_version(args.hadoop_version).keep(true);
    if let Some(pid) = args.down_when_gone {
        builder = builder.owner_pid(pid);
    }
    let cluster = builder.start().await?;
    let description = cluster.describe(None);
    if let Some(pid) = args.down_when_gone {
        super::down::spawn_reaper(cluster.id(), pid)?;
    }
    if args.json {
        println!("{}", serde_json::to_string(&description)?);
    } else {
        eprintln!(
            "cluster {} is up: realm {}, ResourceManager {}, NameNode {}\nuse it with: export KRB5_CONFIG={}\nstop it with: yarnsec down",
            cluster.id(),
            description.realm,
            description.endpoints.resourcemanager_http,
            description.endpoints.namenode_http,
            description.krb5_conf.display()
        );
    }
    // Leaves the containers running: the cluster was started with `keep`.
    cluster.shutdown().await?;
    Ok(yarnsec::exit_codes::OK)
}
