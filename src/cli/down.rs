//! `yarnsec down`: remove clusters, now or once a process is gone.

use std::time::Duration;

use clap::Args;
use yarnsec_harness::cleanup::{self, Standing};
use yarnsec_harness::docker;

#[derive(Debug, Args)]
pub struct DownArgs {
    /// Remove every container and network the project ever labelled, including clusters of
    /// processes still running.
    #[arg(long)]
    all: bool,
    /// Remove only this cluster (its network name), whoever owns it.
    #[arg(long, value_name = "ID")]
    cluster: Option<String>,
    /// Only what owners that are gone left (never a cluster `up` kept or a running process
    /// uses): wait up to SECONDS for their reapers to remove it, then remove what is still
    /// there. `./yarnsec run` and `./yarnsec test` end with it, so that a CI job's container
    /// never exits with its clusters running.
    #[arg(long, value_name = "SECONDS", conflicts_with_all = ["all", "cluster"])]
    settle: Option<u64>,
    /// Wait until this process is gone, then remove the cluster (used by `up --down-when-gone`).
    #[arg(long, value_name = "PID", requires = "cluster", hide = true)]
    when_gone: Option<u32>,
}

pub async fn run(args: DownArgs) -> anyhow::Result<u8> {
    if let Some(seconds) = args.settle {
        return settle(Duration::from_secs(seconds)).await;
    }
    if let Some(pid) = args.when_gone {
        let owner = yarnsec_harness::owner::Owner::of(pid);
        while owner.as_ref().is_some_and(|o| o.liveness() == yarnsec_harness::owner::Liveness::Alive) {
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }
    let engine = docker::connect().await?;
    let mut failures = Vec::new();
    let removed = match (&args.cluster, args.all) {
        (Some(id), _) => {
            cleanup::remove(&engine, id).await?;
            vec![id.clone()]
        }
        (None, true) => cleanup::remove_all(&engine).await?,
        (None, false) => {
            // What dead processes left, and what `up` kept from this directory; runs in progress
            // and other directories' clusters (another CI job's) stay.
            let here = std::env::current_dir()?;
            let mut removed = Vec::new();
            for cluster in docker::labelled_clusters(&engine).await? {
                let owner = cluster.owner.as_ref().map_or("an unknown process".to_string(), |o| o.to_string());
                let kept_from = cleanup::kept_from(&engine, &cluster.id).await;
                match cleanup::standing(&engine, &cluster).await {
                    Standing::Kept if kept_from.as_deref() != Some(here.as_path()) => eprintln!(
                        "left {}: kept by `yarnsec up` in {} (remove it from there, or with `yarnsec down --cluster {}`)",
                        cluster.id,
                        kept_from.unwrap_or_default().display(),
                        cluster.id
                    ),
                    Standing::Kept | Standing::Leftover => match cleanup::remove(&engine, &cluster.id).await {
                        Ok(()) => removed.push(cluster.id),
                        Err(e) => failures.push(e.to_string()),
                    },
                    Standing::InUse => {
                        eprintln!("left {}: {owner} still uses it (remove it anyway with `yarnsec down --cluster {}`)", cluster.id, cluster.id)
                    }
                    Standing::Foreign => eprintln!(
                        "left {}: its owner runs in another PID namespace (a container?), so this process cannot tell whether it is gone (remove it with `yarnsec down --cluster {}`)",
                        cluster.id, cluster.id
                    ),
                }
            }
            removed
        }
    };
    if args.when_gone.is_none() {
        if removed.is_empty() {
            eprintln!("no yarnsec cluster to remove");
        } else {
            eprintln!("removed {}", removed.join(", "));
        }
    }
    if !failures.is_empty() {
        return Err(yarnsec_harness::HarnessError::Cleanup { detail: failures.join("; ") }.into());
    }
    Ok(yarnsec::exit_codes::OK)
}

/// Waits up to `wait` while clusters whose owners are gone are still there (their reapers remove
/// them within seconds), saying once what it waits for; then removes what is left.
async fn settle(wait: Duration) -> anyhow::Result<u8> {
    let engine = docker::connect().await?;
    // A wait too long to add is a wait for a year, near enough for ever.
    let deadline =
        std::time::Instant::now().checked_add(wait).unwrap_or_else(|| std::time::Instant::now() + Duration::from_secs(86_400 * 365));
    let mut said = false;
    loop {
        let mut leftovers = Vec::new();
        for cluster in docker::labelled_clusters(&engine).await? {
            if cleanup::standing(&engine, &cluster).await == Standing::Leftover {
                leftovers.push(cluster.id);
            }
        }
        if leftovers.is_empty() {
            return Ok(yarnsec::exit_codes::OK);
        }
        if std::time::Instant::now() >= deadline {
            let mut failures = Vec::new();
            let mut removed = Vec::new();
            for id in leftovers {
                match cleanup::remove(&engine, &id).await {
                    Ok(()) => removed.push(id),
                    Err(e) => failures.push(e.to_string()),
                }
            }
            if !removed.is_empty() {
                eprintln!(
                    "yarnsec: removed {} (its owner is gone, and nothing had removed it within {} s)",
                    removed.join(", "),
                    wait.as_secs()
                );
            }
            if !failures.is_empty() {
                return Err(yarnsec_harness::HarnessError::Cleanup { detail: failures.join("; ") }.into());
            }
            return Ok(yarnsec::exit_codes::OK);
        }
        if !said {
            eprintln!(
                "yarnsec: waiting up to {} s until {} is removed (the process that started it is gone; its reaper removes it)",
                wait.as_secs(),
                leftovers.join(", ")
            );
            said = true;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// Starts a detached `yarnsec down --cluster ID --when-gone PID` that outlives this process.
pub fn spawn_reaper(cluster: &str, pid: u32) -> anyhow::Result<()> {
    use std::os::unix::process::CommandExt;
    let exe = std::env::current_exe()?;
    // Its output goes to a log of its own: a removal that fails is said somewhere.
    let root = yarnsec_harness::cluster::state_root();
    std::fs::create_dir_all(&root)?;
    let log = std::fs::OpenOptions::new().create(true).append(true).open(root.join("reaper.log"))?;
    std::process::Command::new(exe)
        .args(["down", "--cluster", cluster, "--when-gone", &pid.to_string()])
        .stdin(std::process::Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log)
        .process_group(0)
        .spawn()?;
    Ok(())
}
