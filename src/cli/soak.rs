//! `yarnsec soak`: runs the whole checklist again and again, each time on a fresh cluster, and
//! shows per item every verdict it got and per run its wall time. An item with more than one
//! verdict is flaky: a bug to fix, not to retry. With `--parallel 2`, runs go two at a time, as
//! two CI jobs on one runner would, and the table shows whether that changes any verdict.
//!
//! Each run is a `yarnsec run` child process with a report directory of its own
//! (`<dir>/run-<n>`); the table goes to stdout and to `<dir>/soak.md`. Exit 0 when every item got
//! one verdict in every run, 1 otherwise.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context as _;
use clap::Args;
use serde::Deserialize;

#[derive(Debug, Args)]
pub struct SoakArgs {
    /// How many runs.
    #[arg(long, default_value_t = 10)]
    runs: u32,
    /// How many runs at once (2: as two CI jobs on one runner).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=4))]
    parallel: u32,
    /// Where each run's report and the soak table go.
    #[arg(long, default_value = "target/yarnsec-soak")]
    report_dir: PathBuf,
    /// More arguments for every `yarnsec run` (e.g. `-- --profile kerberos --scenario T2`).
    #[arg(last = true)]
    run_args: Vec<String>,
}

/// What soak reads of a run's `report.json`.
#[derive(Debug, Deserialize)]
struct RunReport {
    items: Vec<RunItem>,
}

#[derive(Debug, Deserialize)]
struct RunItem {
    id: String,
    status: String,
}

/// One finished run.
#[derive(Debug)]
struct Outcome {
    name: String,
    wall_s: f64,
    exit: Option<i32>,
    verdicts: Vec<(String, String)>,
}

pub async fn run(args: SoakArgs) -> anyhow::Result<u8> {
    std::fs::create_dir_all(&args.report_dir).with_context(|| format!("cannot create {}", args.report_dir.display()))?;
    let dir = std::path::absolute(&args.report_dir)?;
    let exe = std::env::current_exe()?;
    let mut outcomes = Vec::new();
    let mut next = 1;
    while next <= args.runs {
        let batch: Vec<u32> = (next..=args.runs).take(args.parallel as usize).collect();
        next += batch.len() as u32;
        let runs = batch.iter().map(|n| one_run(&exe, &dir, *n, &args.run_args));
        for outcome in futures::future::join_all(runs).await {
            let outcome = outcome?;
            eprintln!(
                "soak: {} finished in {:.0} s (exit {})",
                outcome.name,
                outcome.wall_s,
                outcome.exit.map_or("by a signal".into(), |c| c.to_string())
            );
            outcomes.push(outcome);
        }
    }
    let table = render(&outcomes, args.parallel);
    println!("{table}");
    std::fs::write(dir.join("soak.md"), &table).with_context(|| format!("cannot write {}", dir.join("soak.md").display()))?;
    Ok(if stable(&outcomes) { yarnsec::exit_codes::OK } else { yarnsec::exit_codes::SCENARIO_FAILED })
}

/// Stops a child run when dropped (e.g. when a signal stops soak): SIGINT, which the run answers
/// by removing its cluster. Each run is the leader of its own process group, so this is the only
/// SIGINT it gets (a second one would make it quit before its cleanup ends).
struct InterruptOnDrop(Option<u32>);

impl Drop for InterruptOnDrop {
    fn drop(&mut self) {
        if let Some(pid) = self.0 {
            // SAFETY: kill(2) on our own child's pid; no memory is involved.
            unsafe {
                libc::kill(pid as libc::pid_t, libc::SIGINT);
            }
        }
    }
}

async fn one_run(exe: &Path, dir: &Path, n: u32, extra: &[String]) -> anyhow::Result<Outcome> {
    let name = format!("run-{n:02}");
    let report_dir = dir.join(&name);
    let log_path = dir.join(format!("{name}.log"));
    let log = std::fs::File::create(&log_path).with_context(|| format!("cannot create {}", log_path.display()))?;
    let started = Instant::now();
    let mut child = tokio::process::Command::new(exe)
        .arg("run")
        .arg("--report-dir")
        .arg(&report_dir)
        .args(extra)
        .stdin(std::process::Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log)
        .process_group(0)
        .spawn()
        .context("cannot start `yarnsec run`")?;
    let mut guard = InterruptOnDrop(child.id());
    let status = child.wait().await?;
    guard.0 = None;
    let wall_s = started.elapsed().as_secs_f64();
    // A run that wrote no report (or one that does not parse) is a finding of its own: the
    // table names it, and the soak is not stable.
    let verdicts = std::fs::read_to_string(report_dir.join("report.json"))
        .ok()
        .and_then(|text| serde_json::from_str::<RunReport>(&text).ok())
        .map(|r| r.items.into_iter().map(|i| (i.id, i.status)).collect())
        .unwrap_or_default();
    Ok(Outcome { name, wall_s, exit: status.code(), verdicts })
}

/// Whether every run wrote a report and every item got one verdict, the same, in all of them.
fn stable(outcomes: &[Outcome]) -> bool {
    let runs = outcomes.len() as u32;
    outcomes.iter().all(|o| !o.verdicts.is_empty())
        && verdicts_by_item(outcomes).values().all(|seen| seen.len() == 1 && seen.values().sum::<u32>() == runs)
}

/// Item → verdict → how many runs gave it (checklist order by id).
fn verdicts_by_item(outcomes: &[Outcome]) -> BTreeMap<String, BTreeMap<String, u32>> {
    let mut by_item: BTreeMap<String, BTreeMap<String, u32>> = BTreeMap::new();
    for outcome in outcomes {
        for (id, status) in &outcome.verdicts {
            *by_item.entry(id.clone()).or_default().entry(status.clone()).or_default() += 1;
        }
    }
    by_item
}

/// The Markdown table: per item the verdicts seen, per run the wall time, and min/median/max.
fn render(outcomes: &[Outcome], parallel: u32) -> String {
    let mut out = format!(
        "{} runs, {parallel} at a time\n\n| item | verdicts in {} runs | stable |\n|---|---|---|\n",
        outcomes.len(),
        outcomes.len()
    );
    let by_item = verdicts_by_item(outcomes);
    let mut ids: Vec<&String> = by_item.keys().collect();
    ids.sort_by_key(|id| checklist_position(id));
    for id in ids {
        let seen = &by_item[id];
        let text: Vec<String> = seen.iter().map(|(status, n)| format!("{status} ×{n}")).collect();
        out.push_str(&format!("| {id} | {} | {} |\n", text.join(", "), if seen.len() == 1 { "yes" } else { "**no**" }));
    }
    let missing: Vec<&str> = outcomes.iter().filter(|o| o.verdicts.is_empty()).map(|o| o.name.as_str()).collect();
    if !missing.is_empty() {
        out.push_str(&format!("\nNo report from: {} (see their logs).\n", missing.join(", ")));
    }
    out.push_str("\n| run | wall time | exit |\n|---|---|---|\n");
    for o in outcomes {
        out.push_str(&format!("| {} | {:.0} s | {} |\n", o.name, o.wall_s, o.exit.map_or("signal".into(), |c| c.to_string())));
    }
    let mut walls: Vec<f64> = outcomes.iter().map(|o| o.wall_s).collect();
    walls.sort_by(f64::total_cmp);
    if let (Some(min), Some(max)) = (walls.first(), walls.last()) {
        out.push_str(&format!("\nwall time: min {min:.0} s, median {:.0} s, max {max:.0} s\n", median(&walls)));
    }
    out
}

/// The median of sorted values (the mean of the middle two for an even count).
pub(super) fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

/// Position of an item in the checklist (unknown ids last).
fn checklist_position(id: &str) -> usize {
    yarnsec_scenarios::CHECKLIST.iter().position(|i| i.id == id).unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(name: &str, wall_s: f64, verdicts: &[(&str, &str)]) -> Outcome {
        Outcome {
            name: name.into(),
            wall_s,
            exit: Some(1),
            verdicts: verdicts.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect(),
        }
    }

    #[test]
    fn an_item_with_two_verdicts_is_unstable_and_the_table_says_so() {
        let runs = [
            outcome("run-01", 180.0, &[("C1", "PASS"), ("A2", "FAIL")]),
            outcome("run-02", 200.0, &[("C1", "PASS"), ("A2", "PASS")]),
            outcome("run-03", 190.0, &[("C1", "PASS"), ("A2", "FAIL")]),
        ];
        assert!(!stable(&runs));
        let table = render(&runs, 1);
        assert!(table.contains("| C1 | PASS ×3 | yes |"), "{table}");
        assert!(table.contains("| A2 | FAIL ×2, PASS ×1 | **no** |"), "{table}");
        assert!(table.contains("min 180 s, median 190 s, max 200 s"), "{table}");
        // Checklist order: C1 before A2.
        assert!(table.find("| C1 |") < table.find("| A2 |"));
    }

    #[test]
    fn the_same_verdicts_everywhere_are_stable_but_a_run_without_a_report_is_not() {
        let same = [outcome("run-01", 1.0, &[("T2", "PASS")]), outcome("run-02", 2.0, &[("T2", "PASS")])];
        assert!(stable(&same));
        let lost = [outcome("run-01", 1.0, &[("T2", "PASS")]), outcome("run-02", 2.0, &[])];
        assert!(!stable(&lost));
        // An item that one run's report lacks is not stable either.
        let partial = [outcome("run-01", 1.0, &[("T2", "PASS"), ("T3", "PASS")]), outcome("run-02", 2.0, &[("T2", "PASS")])];
        assert!(!stable(&partial));
        assert!(render(&lost, 2).contains("No report from: run-02"));
    }
}
