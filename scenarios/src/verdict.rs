//! Verdicts and evidence: the small, stable set of types every report writer reads.

use serde::Serialize;

/// How an item ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Status {
    /// The cluster shows the item holds.
    Pass,
    /// The cluster shows the item does not hold (the reason says how).
    Fail,
    /// The item does not apply (insecure-cluster item on a secure profile, or a feature the
    /// service declares it lacks).
    NotApplicable,
    /// The environment could not run it (the reason says why). Never a pass.
    Skipped,
}

/// One piece of evidence: a decoded token, lines of a launch script, an HTTP exchange...
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// `token`, `launch_script`, `http`, `audit_log`, `log`, `app`, `file`.
    pub kind: String,
    /// What it is.
    pub title: String,
    /// The evidence itself (secrets never appear here).
    pub body: String,
}

impl Evidence {
    /// A piece of evidence.
    pub fn new(kind: &str, title: impl Into<String>, body: impl Into<String>) -> Self {
        Self { kind: kind.into(), title: title.into(), body: body.into() }
    }
}

/// A scenario's outcome.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// The status.
    pub status: Status,
    /// Why, in one sentence or two.
    pub reason: String,
    /// What shows it.
    pub evidence: Vec<Evidence>,
}

impl Verdict {
    /// PASS.
    pub fn pass(reason: impl Into<String>, evidence: Vec<Evidence>) -> Self {
        Self { status: Status::Pass, reason: reason.into(), evidence }
    }
    /// FAIL.
    pub fn fail(reason: impl Into<String>, evidence: Vec<Evidence>) -> Self {
        Self { status: Status::Fail, reason: reason.into(), evidence }
    }
    /// NOT_APPLICABLE.
    pub fn not_applicable(reason: impl Into<String>) -> Self {
        Self { status: Status::NotApplicable, reason: reason.into(), evidence: Vec::new() }
    }
    /// SKIPPED.
    pub fn skipped(reason: impl Into<String>) -> Self {
        Self { status: Status::Skipped, reason: reason.into(), evidence: Vec::new() }
    }
    /// SKIPPED, with the evidence that was gathered before it turned out nothing could be judged.
    pub fn skipped_with(reason: impl Into<String>, evidence: Vec<Evidence>) -> Self {
        Self { status: Status::Skipped, reason: reason.into(), evidence }
    }
    /// PASS when `ok`, else FAIL, with the matching reason.
    pub fn check(ok: bool, pass: impl Into<String>, fail: impl Into<String>, evidence: Vec<Evidence>) -> Self {
        if ok {
            Self::pass(pass, evidence)
        } else {
            Self::fail(fail, evidence)
        }
    }
}

/// An item's result in a report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ItemResult {
    /// `C1` … `T9`.
    pub id: String,
    /// Checklist section.
    pub section: String,
    /// The item's text.
    pub text: String,
    /// Status.
    pub status: Status,
    /// Why.
    pub reason: String,
    /// What shows it.
    pub evidence: Vec<Evidence>,
    /// How long the scenario took, seconds.
    pub duration_s: f64,
    /// For a FAIL: what the submitter's code should do instead ([`crate::fixes`]).
    pub fix: Option<String>,
}
