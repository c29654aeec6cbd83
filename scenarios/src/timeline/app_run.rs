//! Rows every picture of one application run shares: the application itself and the HDFS
//! delegation tokens its ApplicationMaster was launched with.

use super::{Lane, Point, PointKind, Span, SpanKind};
use crate::facts::app_run::AppRun;

/// The application from its start to its end (or its submission and the run's length, where the
/// ResourceManager gave no times).
pub fn application(run: &AppRun) -> Lane {
    let end = if run.app.finished_time > 0 { run.app.finished_time } else { run.submitted_at_ms + run.took.as_millis() as i64 };
    let start = if run.app.started_time > 0 { run.app.started_time } else { run.submitted_at_ms };
    Lane {
        label: format!("{} ({})", run.app.id, run.user),
        spans: vec![Span {
            from_ms: start,
            to_ms: end,
            kind: SpanKind::Application,
            label: format!("{} {}", run.app.state, run.app.final_status),
        }],
        points: Vec::new(),
    }
}

/// What happened to one of the AM's tokens, by sequence number.
#[derive(Clone, Debug, Default)]
pub struct TokenMoments {
    /// The token these moments are about.
    pub sequence: Option<i32>,
    /// When it was renewed, and by whom (the tooltip).
    pub renewed: Vec<(i64, String)>,
    /// When it was cancelled.
    pub cancelled: Option<i64>,
}

/// One row per HDFS delegation token in the AM's token file, from its issue to its max date,
/// with the moments known for the token `moments` names; a row saying so when there is none.
pub fn am_tokens(run: &AppRun, moments: &TokenMoments) -> Vec<Lane> {
    let mut lanes = Vec::new();
    for t in run.am_tokens().tokens().iter().filter(|t| t.kind == "HDFS_DELEGATION_TOKEN") {
        let Some(d) = t.delegation() else { continue };
        let mut points = Vec::new();
        if moments.sequence == Some(d.sequence_number) {
            points.extend(moments.renewed.iter().map(|(at, who)| Point { at_ms: *at, kind: PointKind::Renewed, label: who.clone() }));
            points.extend(moments.cancelled.map(|at| Point { at_ms: at, kind: PointKind::Cancelled, label: "cancelled".into() }));
        }
        lanes.push(Lane {
            label: format!("the AM's HDFS token {} ({})", d.sequence_number, t.service),
            spans: vec![Span {
                from_ms: d.issue_date,
                to_ms: d.max_date,
                kind: SpanKind::Token,
                label: format!("seq {}, renewer {}", d.sequence_number, d.renewer),
            }],
            points,
        });
    }
    if lanes.is_empty() {
        lanes.push(Lane { label: "the AM held no HDFS delegation token".into(), spans: Vec::new(), points: Vec::new() });
    }
    lanes
}
