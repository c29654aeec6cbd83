//! `yarnsec run`: the main job. Starts the cluster and the service, runs the checklist, writes
//! the reports, stops everything; exits 0 only if no item failed.

use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

use anyhow::Context as _;
use clap::Args;
use yarnsec::report::{pictures, to_html, to_json, to_junit, to_markdown, Report};
use yarnsec_harness::{SecureCluster, SecurityProfile};

use super::external::ExternalService;
use yarnsec_scenarios::{judge, ChecklistItem, Context, ItemResult, ServiceUnderTest, Status, CHECKLIST};
use yarnsec_submitter::service::SubmitMode;
use yarnsec_submitter::service_file::{ServiceAuth, ServiceFile};

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The service under test: `reference`, or a TOML file describing an external service (where
    /// it answers, how to start it and submit to it, what it declares; see `service_file.rs`).
    #[arg(long, default_value = "reference")]
    service: String,
    /// A fault switch of the reference service (repeatable), e.g. `no-doas`: the run should then
    /// FAIL the item naming that mistake.
    #[arg(long = "fault", value_name = "NAME")]
    faults: Vec<yarnsec_service::faults::Fault>,
    /// Only these items (repeatable), e.g. `--scenario T2 --scenario C2`.
    #[arg(long = "scenario", value_name = "ID")]
    scenarios: Vec<String>,
    /// Security profile: strict, fast, kerberos or simple.
    #[arg(long, env = "YARNSEC_PROFILE", default_value = "strict")]
    profile: String,
    /// The Hadoop version.
    #[arg(long, env = "YARNSEC_HADOOP_VERSION", default_value = yarnsec_harness::images::DEFAULT_HADOOP_VERSION)]
    hadoop_version: String,
    /// Where report.md, report.html, report.json, junit.xml, pictures/ and the daemons' logs go.
    #[arg(long, default_value = "target/yarnsec-report")]
    report_dir: PathBuf,
    /// The setuid container-executor through which the NodeManager (LinuxContainerExecutor) runs
    /// each container as its user: by default the one built into yarnsec; PATH for another.
    #[arg(long, value_name = "PATH")]
    container_executor: Option<std::path::PathBuf>,
    /// Run every container as the NodeManager's OS user `yarn` (DefaultContainerExecutor), as a
    /// cluster without the setuid helper does; log aggregation is then off on Kerberos clusters.
    #[arg(long, conflicts_with = "container_executor")]
    default_container_executor: bool,
}

fn selected(ids: &[String]) -> anyhow::Result<Vec<&'static ChecklistItem>> {
    if ids.is_empty() {
        return Ok(CHECKLIST.iter().collect());
    }
    ids.iter()
        .map(|id| {
            yarnsec_scenarios::checklist::find(id).ok_or_else(|| {
                anyhow::anyhow!(yarnsec::BadInput(format!("unknown scenario `{id}`; the items are C1–C7, A1–A7, K1–K2, L1–L7, T1–T9")))
            })
        })
        .collect()
}

pub async fn run(args: RunArgs) -> anyhow::Result<u8> {
    let profile: SecurityProfile = args.profile.parse()?;
    let external = if args.service == "reference" {
        None
    } else {
        let file = ServiceFile::read(Path::new(&args.service)).map_err(|e| yarnsec::BadInput(e.to_string()))?;
        if !args.faults.is_empty() {
            anyhow::bail!(yarnsec::BadInput("--fault switches belong to the reference service, not to an external one".into()));
        }
        if file.submit != SubmitMode::Command && profile.kerberos() != (file.auth == ServiceAuth::Kerberos) {
            anyhow::bail!(yarnsec::BadInput(format!(
                "{}: `auth` does not match the `{}` profile (Kerberos profiles need auth = \"kerberos\", `simple` needs auth = \"simple\")",
                args.service,
                profile.name()
            )));
        }
        Some(file)
    };
    let items = selected(&args.scenarios)?;
    std::fs::create_dir_all(&args.report_dir)
        .with_context(|| format!("cannot create the report directory {}", args.report_dir.display()))?;
    let started = Instant::now();
    let started_at = humantime::format_rfc3339_seconds(SystemTime::now()).to_string();
    let faults: Vec<String> = args.faults.iter().map(|f| f.to_string()).collect();
    // The remote HDFS serves only a submitter whose applications use another HDFS (the
    // reference's do; a service file declares `remote_filesystems`), and only the items that read
    // it (T9, and C3 and C4 for its token), all secure-cluster items: 7 s of start saved otherwise.
    let remote_hdfs = remote_hdfs_needed(profile.kerberos(), external.as_ref().is_none_or(|f| f.features.remote_filesystems), &items);
    let mut builder = SecureCluster::builder().profile(profile).hadoop_version(args.hadoop_version).remote_hdfs(remote_hdfs);
    if let Some(helper) = &args.container_executor {
        builder = builder.container_executor(super::container_executor::resolve(helper)?);
    }
    if args.default_container_executor {
        builder = builder.default_container_executor();
    }
    match &external {
        None => builder = builder.service(std::env::current_exe()?, faults.clone()),
        Some(file) => builder = builder.packages(file.all_packages()),
    }
    let cluster = builder.start().await?;
    let running = match &external {
        Some(file) => Some(ExternalService::start(file, &cluster, &args.report_dir).await?),
        None => None,
    };
    let (service, http) = match &running {
        Some(ext) => (ext.service.clone(), ext.http.clone()),
        None => {
            let mut service = ServiceUnderTest::reference(&cluster.service_url().expect("the cluster runs the service"));
            if let Some(node) = cluster.service() {
                service = service.with_launcher(yarnsec_submitter::service::TokenFileLauncher::reference(node.id()));
            }
            if !faults.is_empty() {
                service.name = format!("reference (faults: {})", faults.join(", "));
            }
            (service, cluster.http().clone())
        }
    };
    let ctx = Context::with_http(&cluster, &service, http).with_artifacts(&args.report_dir);
    let progress = yarnsec_harness::progress::Progress::stderr();
    // Independent items run side by side, the long waits (L1, T5, A3, T6) first so that the rest
    // runs during them; a few at a time, because the cluster has two cores. L2–L7 judge L1's
    // application: last, so that their wait for it holds no slot another item could use.
    let slots = tokio::sync::Semaphore::new(CONCURRENT_ITEMS);
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| yarnsec_scenarios::checklist::run_rank(items[i].id));
    let runs = order.into_iter().map(|i| {
        let (item, ctx, progress, slots) = (items[i], &ctx, &progress, &slots);
        async move {
            let _slot = slots.acquire().await.expect("the semaphore is never closed");
            (i, run_item(item, ctx, progress).await)
        }
    });
    let mut done = futures::future::join_all(runs).await;
    done.sort_by_key(|(i, _)| *i);
    let results: Vec<ItemResult> = done.into_iter().map(|(_, r)| r).collect();
    collect_logs(&cluster, &args.report_dir.join("logs")).await;
    if let Some(command) = &service.command {
        collect_command_logs(command, &args.report_dir.join("logs/submit-commands.log")).await;
    }
    if let Some(log) = match &running {
        Some(ext) => ext.edge_log().await,
        None => None,
    } {
        let _ = std::fs::write(args.report_dir.join("logs/service.log"), log);
    }
    let report = Report::new(service.name.clone(), cluster.profile().summary(), started_at, started.elapsed().as_secs_f64(), results)
        .with_run_errors(ctx.run_errors());
    for (path, svg) in pictures(&report) {
        let file = args.report_dir.join(path);
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        }
        write(&file, svg)?;
    }
    write(&args.report_dir.join("report.md"), &to_markdown(&report))?;
    write(&args.report_dir.join("report.html"), &to_html(&report, |path| std::fs::read(args.report_dir.join(path)).ok()))?;
    write(&args.report_dir.join("report.json"), &to_json(&report))?;
    write(&args.report_dir.join("junit.xml"), &to_junit(&report))?;
    // The service (and a command submitter's edge node) goes before the cluster.
    drop(ctx);
    drop(service);
    drop(running);
    cluster.shutdown().await?;
    let s = &report.summary;
    eprintln!(
        "yarnsec: {} PASS, {} FAIL, {} NOT APPLICABLE, {} SKIPPED in {:.0} s\nyarnsec: report: {}",
        s.pass,
        s.fail,
        s.not_applicable,
        s.skipped,
        report.duration_s,
        args.report_dir.join("report.md").display()
    );
    for e in &report.run_errors {
        eprintln!("yarnsec: the run could not judge everything: {}", e.lines().next().unwrap_or_default());
    }
    Ok(if report.items.iter().any(|i| i.status == Status::Fail) {
        yarnsec::exit_codes::SCENARIO_FAILED
    } else if !report.run_errors.is_empty() {
        yarnsec::exit_codes::RUN_INCOMPLETE
    } else {
        yarnsec::exit_codes::OK
    })
}

/// How many items run at once.
const CONCURRENT_ITEMS: usize = 5;

/// Judges one item with a progress line that shows what it waits for (a countdown).
async fn run_item(item: &ChecklistItem, ctx: &Context<'_>, progress: &yarnsec_harness::progress::Progress) -> ItemResult {
    let mut step = progress.step(format!("{} {}", item.id, item.text.chars().take(50).collect::<String>()));
    let judging = judge(item.id, ctx);
    tokio::pin!(judging);
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
    let mut waited = false;
    let verdict = loop {
        tokio::select! {
            v = &mut judging => break v,
            _ = tick.tick() => {
                match ctx.wait_of(item.id) {
                    Some(wait) => {
                        let left = wait.until.saturating_duration_since(Instant::now()).as_secs();
                        step.waiting(&format!("waits: {} ({left} s left)", wait.what), std::time::Duration::from_secs(30));
                        waited = true;
                    }
                    // A wait that ended is not shown any longer.
                    None if waited => {
                        step.message("");
                        waited = false;
                    }
                    None => {}
                }
            }
        }
    };
    let mark = match verdict.status {
        Status::Pass => '✔',
        Status::Fail => '✘',
        Status::NotApplicable => '-',
        Status::Skipped => '?',
    };
    let label = match verdict.status {
        Status::Pass => "PASS",
        Status::Fail => "FAIL",
        Status::NotApplicable => "NOT APPLICABLE",
        Status::Skipped => "SKIPPED",
    };
    let took = step.finish(mark, label).as_secs_f64();
    ItemResult {
        id: item.id.into(),
        section: item.section.into(),
        text: item.text.into(),
        status: verdict.status,
        reason: verdict.reason,
        evidence: verdict.evidence,
        duration_s: took,
        fix: (verdict.status == Status::Fail).then(|| yarnsec_scenarios::fixes::fix(item.id)).flatten().map(str::to_string),
    }
}

/// Whether a run needs the remote HDFS: on a Kerberos profile, for a submitter that declares
/// another filesystem, when an item that reads it runs.
fn remote_hdfs_needed(kerberos: bool, declared: bool, items: &[&ChecklistItem]) -> bool {
    kerberos && declared && items.iter().any(|i| ["T9", "C3", "C4"].contains(&i.id))
}

fn write(path: &Path, text: &str) -> anyhow::Result<()> {
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

/// Every submit command's output on the edge node, each after its directory and exit code.
async fn collect_command_logs(command: &yarnsec_submitter::command::CommandSubmitter, path: &Path) {
    let script = "for d in /tmp/yarnsec-submit-*; do [ -f \"$d/out\" ] || continue; echo \"=== $d (exit code: $(cat $d/rc 2>/dev/null || echo 'none, stopped or still running'))\"; cat \"$d/out\"; done";
    if let Ok(out) = command.edge.node().exec(&["sh", "-c", script]).await {
        let _ = std::fs::write(path, out.stdout);
    }
}

/// Every daemon's log, the NameNode audit log and the service's output, kept with the report.
async fn collect_logs(cluster: &SecureCluster, dir: &Path) {
    let _ = std::fs::create_dir_all(dir);
    let evidence = cluster.evidence();
    for daemon in yarnsec_harness::evidence::DAEMONS {
        if let Ok(text) = evidence.daemon_log(daemon).await {
            let _ = std::fs::write(dir.join(format!("{daemon}.log")), text);
        }
    }
    if let Ok(text) = evidence.audit_log().await {
        let _ = std::fs::write(dir.join("hdfs-audit.log"), text);
    }
    if let Some(service) = cluster.service() {
        let _ = std::fs::write(dir.join("service.log"), service.log_tail(100_000).await);
    }
    let _ = std::fs::write(dir.join("kdc.log"), cluster.kdc().tail(yarnsec_harness::layout::paths::KDC_LOG, 100_000).await);
    // Every judged application's container logs, as the NodeManager wrote them (`yarn logs` on
    // the edge node shows the aggregated copy while the cluster runs).
    if let Err(e) = evidence.save_container_logs(&dir.join("applications")).await {
        eprintln!("yarnsec: the applications' logs were not kept: {e}");
    }
}

#[cfg(test)]
mod remote_hdfs_tests {
    use super::*;

    /// The remote HDFS starts only for a Kerberos run of a submitter that declares another
    /// filesystem, with an item that reads it.
    #[test]
    fn the_remote_hdfs_starts_only_when_an_item_reads_it_for_a_submitter_that_uses_one() {
        let all = selected(&[]).unwrap();
        assert!(remote_hdfs_needed(true, true, &all));
        assert!(!remote_hdfs_needed(true, false, &all), "a submitter that declares no remote filesystem");
        assert!(!remote_hdfs_needed(false, true, &all), "simple: no secure-cluster item reads it");
        assert!(!remote_hdfs_needed(true, true, &selected(&["T2".into(), "L1".into()]).unwrap()));
        for id in ["T9", "C3", "C4"] {
            assert!(remote_hdfs_needed(true, true, &selected(&[id.into()]).unwrap()), "{id}");
        }
    }
}
