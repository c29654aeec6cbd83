//! The checklist report: one model, four writers (Markdown and HTML for people, JSON for
//! scripts, JUnit for CI), all reading the same [`Report`]; pictures of time are SVG files
//! beside them ([`pictures`]).

mod html;
mod json;
mod junit;
mod markdown;
mod pictures;

use serde::Serialize;
use yarnsec_harness::ProfileSummary;
use yarnsec_scenarios::{ItemResult, Status};

pub use html::to_html;
pub use json::to_json;
pub use junit::to_junit;
pub use markdown::to_markdown;
pub use pictures::{picture_path, pictures};

/// Counts by status.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// PASS.
    pub pass: usize,
    /// FAIL.
    pub fail: usize,
    /// NOT_APPLICABLE.
    pub not_applicable: usize,
    /// SKIPPED.
    pub skipped: usize,
}

/// A whole checklist run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// The service under test.
    pub service: String,
    /// The cluster's profile (same object as `up --json`).
    pub profile: ProfileSummary,
    /// When the run started (RFC 3339, UTC).
    pub started_at: String,
    /// Wall time, seconds.
    pub duration_s: f64,
    /// Every item judged, in checklist order.
    pub items: Vec<ItemResult>,
    /// Counts by status.
    pub summary: Summary,
    /// What kept the run from judging items (a submitter that never submitted in time), each
    /// once; the items it touched say SKIPPED.
    pub run_errors: Vec<String>,
}

impl Report {
    /// A report over `items`, with the summary counted from them.
    pub fn new(service: String, profile: ProfileSummary, started_at: String, duration_s: f64, items: Vec<ItemResult>) -> Self {
        let mut summary = Summary::default();
        for item in &items {
            match item.status {
                Status::Pass => summary.pass += 1,
                Status::Fail => summary.fail += 1,
                Status::NotApplicable => summary.not_applicable += 1,
                Status::Skipped => summary.skipped += 1,
            }
        }
        Self { service, profile, started_at, duration_s, items, summary, run_errors: Vec::new() }
    }

    /// The same report, with the run's own errors.
    pub fn with_run_errors(mut self, errors: Vec<String>) -> Self {
        self.run_errors = errors;
        self
    }
}

impl Report {
    /// The items FAILs first, then SKIPPED, PASS and NOT APPLICABLE (checklist order within each):
    /// the order of the summary tables.
    pub fn by_urgency(&self) -> Vec<&ItemResult> {
        let rank = |s: Status| match s {
            Status::Fail => 0,
            Status::Skipped => 1,
            Status::Pass => 2,
            Status::NotApplicable => 3,
        };
        let mut items: Vec<&ItemResult> = self.items.iter().collect();
        items.sort_by_key(|i| rank(i.status));
        items
    }
}

/// A status as the reports spell it.
pub(crate) fn label(status: Status) -> &'static str {
    match status {
        Status::Pass => "PASS",
        Status::Fail => "FAIL",
        Status::NotApplicable => "NOT APPLICABLE",
        Status::Skipped => "SKIPPED",
    }
}

/// A reason up to its first full stop (at most 200 characters), on one line.
pub(crate) fn first_sentence(reason: &str) -> String {
    let line = reason.lines().next().unwrap_or_default();
    let cut = line.find(". ").map_or(line, |at| &line[..at + 1]);
    if cut.chars().count() > 200 {
        format!("{}…", cut.chars().take(200).collect::<String>())
    } else {
        cut.to_string()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use yarnsec_scenarios::Evidence;

    use super::*;

    /// A report with one item of each status, for the writers' snapshot tests.
    pub fn sample() -> Report {
        let item = |id: &str, status: Status, reason: &str, evidence: Vec<Evidence>| ItemResult {
            id: id.into(),
            section: "Client".into(),
            text: format!("text of {id} <with> & \"markup\""),
            status,
            reason: reason.into(),
            fix: (status == Status::Fail).then(|| format!("the fix for {id}")),
            evidence,
            duration_s: 1.25,
        };
        Report::new(
            "reference".into(),
            ProfileSummary {
                name: "strict".into(),
                ticket_lifetime_s: 120,
                renew_lifetime_s: 300,
                token_renew_interval_s: 60,
                token_max_lifetime_s: 300,
                rpc_protection: "privacy".into(),
            },
            "2026-01-01T00:00:00Z".into(),
            42.5,
            vec![
                item(
                    "C1",
                    Status::Pass,
                    "it holds",
                    vec![Evidence::new("token", "AM tokens", "alias: kind=HDFS_DELEGATION_TOKEN owner=alice")],
                ),
                item("C2", Status::Fail, "renewer is bob", vec![Evidence::new("http", "GET as anonymous", "401 http://h/")]),
                item("C4", Status::NotApplicable, "no token-file mode", vec![]),
                item(
                    "T3",
                    Status::Pass,
                    "the browser got through",
                    vec![Evidence::new("screenshot", "the form", "T3/1-form-as-alice.png")],
                ),
                item("T9", Status::Skipped, "no remote HDFS", vec![]),
            ],
        )
    }
}
