//! Pictures of time: what happened to an application, its user's tickets and its delegation
//! tokens along one time axis, drawn as SVG for the items that are about time (T5, A3, A4,
//! L1–L7).
//!
//! A [`Timeline`] is plain data built from facts the cluster showed ([`long_lived`],
//! [`expiry`], [`am`]); [`Timeline::to_svg`] draws it. A reader sees at a glance why L1 FAILed: the
//! writes stop at the tokens' max date while the application lives on.
//!
//! ```
//! use yarnsec_scenarios::timeline::{Lane, Mark, Point, PointKind, Span, SpanKind, Timeline};
//!
//! let t = Timeline {
//!     title: "application_1_0001".into(),
//!     from_ms: 0,
//!     to_ms: 400_000,
//!     lanes: vec![Lane {
//!         label: "HDFS token seq 7".into(),
//!         spans: vec![Span { from_ms: 10_000, to_ms: 310_000, kind: SpanKind::Token, label: "issue → max date".into() }],
//!         points: vec![Point { at_ms: 70_000, kind: PointKind::Renewed, label: "renewed".into() }],
//!     }],
//!     marks: vec![Mark { at_ms: 370_000, label: "checked".into() }],
//! };
//! let svg = t.to_svg();
//! assert!(svg.starts_with("<svg") && svg.contains("HDFS token seq 7"));
//! ```

pub mod am;
pub mod app_run;
pub mod expiry;
pub mod long_lived;
mod svg;

/// Everything drawn on one axis.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timeline {
    /// What it shows (the application's id and what was watched).
    pub title: String,
    /// The axis' start, ms since the epoch.
    pub from_ms: i64,
    /// The axis' end, ms since the epoch.
    pub to_ms: i64,
    /// One row each: the application, the user's tickets, each token, the probe's writes.
    pub lanes: Vec<Lane>,
    /// Moments across every row (the tokens' max date, the check time).
    pub marks: Vec<Mark>,
}

/// One labelled row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lane {
    /// What the row shows.
    pub label: String,
    /// Intervals.
    pub spans: Vec<Span>,
    /// Moments.
    pub points: Vec<Point>,
}

/// An interval on a row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    /// Start, ms since the epoch.
    pub from_ms: i64,
    /// End, ms since the epoch.
    pub to_ms: i64,
    /// What it is (its colour).
    pub kind: SpanKind,
    /// Its text (also its tooltip).
    pub label: String,
}

/// What an interval is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpanKind {
    /// The application, from its start to its end (or the end of the watch).
    Application,
    /// A Kerberos ticket, from its login to its end of life.
    Ticket,
    /// A delegation token, from its issue to its max date.
    Token,
}

/// A moment on a row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Point {
    /// When, ms since the epoch.
    pub at_ms: i64,
    /// What happened (its shape and colour).
    pub kind: PointKind,
    /// Its tooltip.
    pub label: String,
}

/// What happened at a moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PointKind {
    /// A token issuer renewed a token.
    Renewed,
    /// A token issuer cancelled a token.
    Cancelled,
    /// The KDC issued an initial ticket (a login).
    Login,
    /// The probe's write to HDFS worked.
    WriteOk,
    /// The probe's write to HDFS failed.
    WriteFailed,
}

/// A moment drawn across every row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mark {
    /// When, ms since the epoch.
    pub at_ms: i64,
    /// Its text.
    pub label: String,
}

impl Timeline {
    /// A timeline whose axis covers every point and mark, the applications and tickets, and the
    /// start of every token, with a margin of 2 % either side. A token's max date beyond that
    /// (days away on a profile with a long max lifetime) is drawn at the edge; its tooltip says
    /// the date.
    pub fn fitted(title: impl Into<String>, lanes: Vec<Lane>, marks: Vec<Mark>) -> Self {
        let times = lanes
            .iter()
            .flat_map(|l| {
                l.spans
                    .iter()
                    .flat_map(|s| [Some(s.from_ms), (s.kind != SpanKind::Token).then_some(s.to_ms)].into_iter().flatten())
                    .chain(l.points.iter().map(|p| p.at_ms))
            })
            .chain(marks.iter().map(|m| m.at_ms))
            .filter(|t| *t > 0);
        let (from, to) = times.fold((i64::MAX, i64::MIN), |(lo, hi), t| (lo.min(t), hi.max(t)));
        let (from, to) = if from > to { (0, 1) } else { (from, to.max(from + 1)) };
        let margin = (to - from) / 50;
        Self { title: title.into(), from_ms: from - margin, to_ms: to + margin, lanes, marks }
    }
}

/// `HH:MM:SS` (UTC) of a time in ms since the epoch.
pub fn clock(ms: i64) -> String {
    let s = ms.max(0) / 1000 % 86_400;
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}
