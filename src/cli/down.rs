//! `yarnsec down`: remove clusters, now or once a process is gone.

use std::time::Duration;

use clap::Args;
use yarnsec_harness::docker;

#[derive(Debug, Args)]
pub struct DownArgs {
    /// Remove every container and network the project ever labelled, including clusters of
    /// processes still running.
    #[arg(long)]
    all: bool,
    /// Remove only this cluster (its network name).
    #[arg(long, value_name = "ID")]
    cluster: Option<String>,
    /// Wait until this process is gone, then remove the cluster (used by `up --down-when-gone`).
    #[arg(long, value_name = "PID", requires = "cluster", hide = true)]
    when_gone: Option<u32>,
}

pub async fn run(args: DownArgs) -> anyhow::Result<u8> {
    if let Some(pid) = args.when_gone {
        while std::path::Path::new(&format!("/proc/{pid}")).exists() {
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }
    let engine = docker::connect().await?;
    let removed = match (&args.cluster, args.all) {
        (Some(id), _) => {
            docker::remove_cluster(&engine, id).await?;
            vec![id.clone()]
        }
        (None, true) => docker::remove_all(&engine).await?,
        (None, false) => {
            // What `up` started (kept, owner 0) and what dead processes left.
            let mut removed = Vec::new();
            for (id, owner) in docker::labelled_clusters(&engine).await? {
                if owner == 0 || !std::path::Path::new(&format!("/proc/{owner}")).exists() {
                    docker::remove_cluster(&engine, &id).await?;
                    removed.push(id);
                }
            }
            removed
        }
    };
    for id in &removed {
        let _ = std::fs::remove_dir_all(yarnsec_harness::cluster::state_root().join(id));
    }
    if args.when_gone.is_none() {
        if removed.is_empty() {
            eprintln!("no yarnsec cluster to remove");
        } else {
            eprintln!("removed {}", removed.join(", "));
        }
    }
    Ok(yarnsec::exit_codes::OK)
}

/// Starts a detached `yarnsec down --cluster ID --when-gone PID` that outlives this process.
pub fn spawn_reaper(cluster: &str, pid: u32) -> anyhow::Result<()> {
    use std::os::unix::process::CommandExt;
    let exe = std::env::current_exe()?;
    std::process::Command::new(exe)
        .args(["down", "--cluster", cluster, "--when-gone", &pid.to_string()])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .process_group(0)
        .spawn()?;
    Ok(())
}
