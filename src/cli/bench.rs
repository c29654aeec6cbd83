//! `yarnsec bench`: measures what the README promises, and prints a Markdown table.
//!
//! Rows: cold image build (optional, it throws away the image caches), cached rebuild, the image
//! with a service's Debian packages (optional, cold and cached), cluster start to all-ready with
//! each daemon's ready time and without the remote HDFS, memory of the running containers
//! (resident, each page once), the machine's yardstick ([`super::bench_yardstick`]), an edge
//! node's start, `down` time, two clusters started side by side, and the anchor: Hadoop's secure
//! mini cluster in one JVM ([`super::bench_anchor`]), with yarnsec's time to ready and memory
//! (both without the remote HDFS, which the anchor has no counterpart of) as multiples of its.

use std::time::{Duration, Instant};

use clap::Args;
use yarnsec_harness::images::{ensure_images, ImageOptions};
use yarnsec_harness::node::Node;
use yarnsec_harness::progress::Progress;
use yarnsec_harness::{SecureCluster, SecurityProfile};

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Also measure a cold image build: removes yarnsec's images and its jar cache first (Maven's
    /// own `~/.m2` cache stays; the Debian root is made again).
    #[arg(long)]
    cold: bool,
    /// Skip starting two clusters side by side.
    #[arg(long)]
    no_pair: bool,
    /// Also measure the reference service: this many submissions in a row by alice, each timed
    /// from POST to RUNNING and to FINISHED, and the service's memory afterwards.
    #[arg(long, value_name = "N")]
    service_submissions: Option<u32>,
    /// Also measure the Hadoop image with these Debian packages (repeatable), built cold (the
    /// derived image removed first) and cached, e.g. `--package python3`.
    #[arg(long = "package", value_name = "NAME")]
    packages: Vec<String>,
    /// Skip the anchor: Hadoop's secure mini cluster in one JVM, measured beside yarnsec's
    /// cluster (needs Maven and a JDK 17 on the host).
    #[arg(long)]
    no_anchor: bool,
    /// Security profile.
    #[arg(long, env = "YARNSEC_PROFILE", default_value = "strict")]
    profile: String,
}

struct Table(Vec<(String, String)>);

impl Table {
    fn row(&mut self, what: impl Into<String>, value: impl Into<String>) {
        let (what, value) = (what.into(), value.into());
        eprintln!("bench: {what}: {value}");
        self.0.push((what, value));
    }
}

fn secs(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

pub async fn run(args: BenchArgs) -> anyhow::Result<u8> {
    let profile: SecurityProfile = args.profile.parse()?;
    if !args.no_anchor {
        // Before anything starts: a missing tool should cost nothing.
        super::bench_anchor::check_tools()?;
    }
    let docker = yarnsec_harness::docker::connect().await?;
    let options = ImageOptions::default();
    let quiet = Progress::hidden();
    let mut table = Table(Vec::new());

    if args.cold {
        remove_project_images(&docker).await?;
        let _ = std::fs::remove_dir_all(yarnsec_harness::images::cache_dir());
        let t = Instant::now();
        ensure_images(&docker, &options, &Progress::stderr()).await?;
        table.row("cold image build (base, kdc, hadoop; Maven cache warm)", secs(t.elapsed()));
    } else {
        ensure_images(&docker, &options, &quiet).await?;
    }
    let t = Instant::now();
    ensure_images(&docker, &options, &quiet).await?;
    table.row("cached rebuild (nothing changed)", secs(t.elapsed()));

    if !args.packages.is_empty() {
        yarnsec_harness::images::check_packages(&args.packages).map_err(|e| yarnsec::BadInput(format!("--package: {e}")))?;
        remove_images(&docker, "yarnsec/hadoop-packages:").await?;
        let with = ImageOptions { packages: args.packages.clone(), ..options.clone() };
        let t = Instant::now();
        ensure_images(&docker, &with, &quiet).await?;
        table.row(format!("image with packages {} (cold, Hadoop image cached)", args.packages.join(" ")), secs(t.elapsed()));
        let t = Instant::now();
        ensure_images(&docker, &with, &quiet).await?;
        table.row("image with packages (cached)", secs(t.elapsed()));
    }

    let cluster = SecureCluster::builder().profile(profile.clone()).progress(quiet.clone()).start().await?;
    let t = cluster.timings().clone();
    let warm_start = t.total - t.images;
    table.row("cluster start to all-ready (warm images)", secs(warm_start));
    // What the anchor has (a KDC, HDFS, YARN) and more (timeline server, ZooKeeper and the
    // registry), without the remote HDFS, which `yarnsec run` starts only for a submitter that
    // declares remote filesystems: the start the anchor is measured against.
    let main_start = warm_start.saturating_sub(t.remote_hdfs_total);
    table.row("  without the remote HDFS (ready to run an application)", secs(main_start));
    table.row("  KDC answers a kinit", secs(t.kdc));
    table.row("  NameNode out of safe mode", secs(t.namenode));
    table.row("  DataNode live", secs(t.datanode));
    table.row("  ResourceManager answers", secs(t.resourcemanager));
    table.row("  NodeManager RUNNING", secs(t.nodemanager));
    table.row("  timeline server answers", secs(t.timeline));
    table.row("  ZooKeeper answers (the service registry's store)", secs(t.zookeeper));
    table.row("  HDFS homes created", secs(t.hdfs_setup));
    table.row("  service registry laid out (beside the HDFS homes)", secs(t.registry_setup));
    table.row("  remote HDFS ready (after the main node, beside the service)", secs(t.remote_hdfs));
    let main_mib = resident_mib(cluster.kdc()).await + resident_mib(cluster.hadoop()).await;
    let mut mib = main_mib;
    if let Some(remote) = cluster.remote() {
        mib += resident_mib(remote).await;
    }
    table.row("memory of all containers at rest (resident, each page once: the JVMs share their class archive)", format!("{mib} MiB"));
    table.row("  without the remote HDFS", format!("{main_mib} MiB"));
    // The machine's speed beside its numbers: the same commit has cost twice the CPU on another day.
    table.row(
        format!("yardstick: a Hadoop client JVM's start (CPU, median of {})", super::bench_yardstick::RUNS),
        super::bench_yardstick::measure(cluster.hadoop()).await,
    );
    let t = Instant::now();
    let edge = cluster.start_edge(yarnsec_harness::cluster::EdgeOptions::default()).await?;
    table.row("edge node ready (on the running cluster)", secs(t.elapsed()));
    drop(edge);
    let t = Instant::now();
    cluster.shutdown().await?;
    table.row("down (remove containers and network)", secs(t.elapsed()));
    // The anchor on a quiet machine, as yarnsec's cluster was measured.
    if !args.no_anchor {
        anchor_rows(&mut table, main_start, main_mib).await?;
    }

    if let Some(n) = args.service_submissions {
        service_bench(&profile, n, &quiet, &mut table).await?;
    }

    if !args.no_pair {
        let t = Instant::now();
        let start = || SecureCluster::builder().profile(profile.clone()).progress(quiet.clone()).start();
        let (a, b) = tokio::join!(start(), start());
        let (a, b) = (a?, b?);
        table.row("two clusters side by side, both ready", format!("{} ({} and {})", secs(t.elapsed()), a.realm(), b.realm()));
        a.shutdown().await?;
        b.shutdown().await?;
    }

    println!("| measure | value |\n|---|---|");
    for (what, value) in &table.0 {
        println!("| {what} | {value} |");
    }
    Ok(yarnsec::exit_codes::OK)
}

/// The anchor's rows, and yarnsec's warm start and memory as multiples of its.
async fn anchor_rows(table: &mut Table, warm_start: Duration, yarnsec_mib: u64) -> anyhow::Result<()> {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| std::path::PathBuf::from("target"), Into::into);
    let anchor = super::bench_anchor::measure(&target).await?;
    let r = &anchor.report;
    table.row(
        "anchor: Hadoop's secure mini cluster in one JVM (MiniKdc, MiniDFSCluster, MiniYARNCluster 3.4.2), `java` to ready",
        secs(anchor.wall),
    );
    table.row("  MiniKdc up, principals and keytab written", format!("{:.1} s", r.kdc_s));
    table.row("  MiniDFSCluster active (DataNode live)", format!("{:.1} s", r.hdfs_s));
    table.row("  MiniYARNCluster started, NodeManager registered", format!("{:.1} s", r.yarn_s));
    table.row("anchor: memory (RSS of its JVM, ready)", format!("{} MiB", r.rss_mib));
    table.row(
        "yarnsec / anchor: time to ready (warm; yarnsec without its remote HDFS)",
        format!("{:.2}×", warm_start.as_secs_f64() / anchor.wall.as_secs_f64()),
    );
    table.row(
        "yarnsec / anchor: memory at rest (yarnsec's without its remote HDFS; the anchor's one JVM)",
        format!("{:.2}×", yarnsec_mib as f64 / r.rss_mib.max(1) as f64),
    );
    table.row(
        "anchor: as strict, except",
        format!(
            "Kerberos, SPNEGO, RPC privacy, block tokens, SASL data transfer privacy and strict's lifetimes set; {}",
            super::bench_anchor::NOT_CONFIGURABLE
        ),
    );
    Ok(())
}

/// Submits `n` scripts in a row through the reference service and times each.
async fn service_bench(profile: &SecurityProfile, n: u32, quiet: &Progress, table: &mut Table) -> anyhow::Result<()> {
    use yarnsec_hadoop::http::Auth;
    let cluster = SecureCluster::builder()
        .remote_hdfs(false)
        .profile(profile.clone())
        .progress(quiet.clone())
        .service(std::env::current_exe()?, Vec::new())
        .start()
        .await?;
    let service = yarnsec_submitter::ServiceUnderTest::reference(&cluster.service_url().expect("the service runs"));
    let alice = cluster.user("alice")?.credential()?;
    let auth = cluster.auth_for("alice", Some(&alice));
    let rm = cluster.resource_manager();
    let mib_before = resident_mib(cluster.service().expect("the service runs")).await;
    let (mut to_running, mut to_finished) = (Vec::new(), Vec::new());
    for i in 0..n {
        let t = Instant::now();
        let script = format!("echo submission {i}");
        let name = format!("yarnsec-bench-{i}-{}", yarnsec_submitter::clock::unique_nanos());
        let request = yarnsec_submitter::Request::new("alice", auth, script.as_bytes(), &name);
        let submitted = service.submit(&cluster, cluster.http(), &request).await?;
        let mut running = None;
        loop {
            let app = rm.app(&submitted.application_id, Auth::Kerberos(&alice)).await?;
            if running.is_none() && (app.state == "RUNNING" || app.is_final()) {
                running = Some(t.elapsed());
            }
            if app.is_final() {
                anyhow::ensure!(app.final_status == "SUCCEEDED", "{} ended {}: {:?}", app.id, app.final_status, app.diagnostics);
                break;
            }
            anyhow::ensure!(t.elapsed() < Duration::from_secs(180), "{} did not finish in 180 s", app.id);
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        to_running.push(running.unwrap_or_default());
        to_finished.push(t.elapsed());
        eprintln!(
            "bench: submission {}/{n}: RUNNING after {}, FINISHED after {}",
            i + 1,
            secs(to_running[i as usize]),
            secs(to_finished[i as usize])
        );
    }
    let mib_after = resident_mib(cluster.service().expect("the service runs")).await;
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    table.row(format!("service: POST to RUNNING (median of {n})"), secs(median(&mut to_running)));
    table.row(format!("service: POST to FINISHED (median of {n})"), secs(median(&mut to_finished)));
    table.row(format!("service: resident memory before / after {n} submissions"), format!("{mib_before} MiB / {mib_after} MiB"));
    cluster.shutdown().await?;
    Ok(())
}

/// The resident memory of every process in a container, in MiB.
/// The resident memory of a container, each page once: its memory cgroup's anonymous pages and
/// mapped file pages (cgroup v1: `total_rss`, `total_mapped_file`; v2: `anon`, `file_mapped`).
/// The daemons' JVMs map one class archive, which a sum of their RSS would count once per JVM.
async fn resident_mib(node: &Node) -> u64 {
    let script = "cat /sys/fs/cgroup/memory/memory.stat /sys/fs/cgroup/memory.stat 2>/dev/null \
                  | awk '/^(total_rss|total_mapped_file|anon|file_mapped) / {s += $2} END {print s}'";
    node.sh(script).await.ok().and_then(|s| s.trim().parse::<u64>().ok()).unwrap_or(0) / (1024 * 1024)
}

async fn remove_project_images(docker: &bollard::Docker) -> anyhow::Result<()> {
    remove_images(docker, "yarnsec/").await
}

/// Removes every image tagged with a name that starts with `prefix`.
async fn remove_images(docker: &bollard::Docker, prefix: &str) -> anyhow::Result<()> {
    use bollard::query_parameters::{ListImagesOptions, RemoveImageOptions};
    let images = docker.list_images(Some(ListImagesOptions { all: false, ..Default::default() })).await?;
    for image in images {
        for tag in image.repo_tags.iter().filter(|t| t.starts_with(prefix)) {
            docker.remove_image(tag, Some(RemoveImageOptions { force: true, ..Default::default() }), None).await?;
        }
    }
    Ok(())
}
