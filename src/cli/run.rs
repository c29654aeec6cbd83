//! `yarnsec run`: the main job. Starts the cluster and the service, runs the checklist, writes
//! the reports, stops everything; exits 0 only if no item failed.

use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

use anyhow::Context as _;
use clap::Args;
use yarnsec::report::{to_json, to_junit, to_markdown, Report};
use yarnsec_harness::{SecureCluster, SecurityProfile};
use yarnsec_scenarios::{judge, ChecklistItem, Context, ItemResult, ServiceUnderTest, Status, CHECKLIST};

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The service under test: `reference` (external services described by a TOML file are not
    /// supported yet).
    #[arg(long, default_value = "reference")]
    service: String,
    /// A fault switch of the reference service (repeatable), e.g. `no-doas`: the run should then
    /// FAIL the item naming that mistake.
    #[arg(long = "fault", value_name = "NAME")]
    faults: Vec<yarnsec_service::faults::Fault>,
    /// Only these items (repeatable), e.g. `--scenario T2 --scenario C2`.
    #[arg(long = "scenario", value_name = "ID")]
    scenarios: Vec<String>,
    /// Security profile: strict, kerberos or simple.
    #[arg(long, env = "YARNSEC_PROFILE", default_value = "strict")]
    profile: String,
    /// The Hadoop version.
    #[arg(long, env = "YARNSEC_HADOOP_VERSION", default_value = yarnsec_harness::images::DEFAULT_HADOOP_VERSION)]
    hadoop_version: String,
    /// Where report.md, report.json, junit.xml and the daemons' logs go.
    #[arg(long, default_value = "target/yarnsec-report")]
    report_dir: PathBuf,
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
    if args.service != "reference" {
        anyhow::bail!(yarnsec::BadInput(format!("--service {}: only the reference service is supported in this version", args.service)));
    }
    let items = selected(&args.scenarios)?;
    std::fs::create_dir_all(&args.report_dir)
        .with_context(|| format!("cannot create the report directory {}", args.report_dir.display()))?;
    let started = Instant::now();
    let started_at = humantime::format_rfc3339_seconds(SystemTime::now()).to_string();
    let faults: Vec<String> = args.faults.iter().map(|f| f.to_string()).collect();
    let cluster = SecureCluster::builder()
        .profile(profile)
        .hadoop_version(args.hadoop_version)
        .service(std::env::current_exe()?, faults.clone())
        .start()
        .await?;
    let service_url = cluster.service_url().expect("the cluster runs the service");
    let mut service = ServiceUnderTest::reference(&service_url);
    if !faults.is_empty() {
        service.name = format!("reference (faults: {})", faults.join(", "));
    }
    let ctx = Context::new(&cluster, &service).with_artifacts(&args.report_dir);
    let mut results = Vec::new();
    for item in items {
        eprint!("yarnsec: {} {} ... ", item.id, item.text.chars().take(60).collect::<String>());
        let t = Instant::now();
        let verdict = judge(item.id, &ctx).await;
        let took = t.elapsed().as_secs_f64();
        eprintln!("{:?} ({took:.1}s)", verdict.status);
        results.push(ItemResult {
            id: item.id.into(),
            section: item.section.into(),
            text: item.text.into(),
            status: verdict.status,
            reason: verdict.reason,
            evidence: verdict.evidence,
            duration_s: took,
        });
    }
    collect_logs(&cluster, &args.report_dir.join("logs")).await;
    let report = Report::new(service.name.clone(), cluster.profile().summary(), started_at, started.elapsed().as_secs_f64(), results);
    write(&args.report_dir.join("report.md"), &to_markdown(&report))?;
    write(&args.report_dir.join("report.json"), &to_json(&report))?;
    write(&args.report_dir.join("junit.xml"), &to_junit(&report))?;
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
    Ok(if report.items.iter().any(|i| i.status == Status::Fail) { yarnsec::exit_codes::SCENARIO_FAILED } else { yarnsec::exit_codes::OK })
}

fn write(path: &Path, text: &str) -> anyhow::Result<()> {
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
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
    let _ = std::fs::write(dir.join("kdc.log"), cluster.kdc().tail("/var/log/kerberos/kdc.log", 100_000).await);
}
