//! The long-lived application's picture (L1–L7): the application, the user's logins from its
//! node, each HDFS delegation token its containers held (issue to max date, renewals,
//! cancellation), each container's writes, the first tokens' max date and the check time.

use yarnsec_hadoop::token::logged::TokenAction;

use super::{Lane, Mark, Point, PointKind, Span, SpanKind, Timeline};
use crate::facts::long_lived::{writes_of, LongLivedRun};

/// At most this many token rows (a framework that fetches a token per task would fill a page).
const MAX_TOKENS: usize = 8;

/// The picture of a long-lived run.
pub fn long_lived(run: &LongLivedRun) -> Timeline {
    let app = &run.submitted.application_id;
    let mut lanes = vec![application(run)];
    lanes.push(logins(run));
    lanes.extend(tokens(run));
    for c in &run.last {
        let writes = writes_of(c);
        if writes.is_empty() {
            continue;
        }
        let role = if c.is_application_master() { "ApplicationMaster" } else { "worker" };
        lanes.push(Lane {
            label: format!("writes of {} ({role})", short_container(&c.id)),
            spans: Vec::new(),
            points: writes
                .iter()
                .map(|(s, ok)| Point {
                    at_ms: s.saturating_mul(1000),
                    kind: if *ok { PointKind::WriteOk } else { PointKind::WriteFailed },
                    label: if *ok { "put=ok".into() } else { "put=failed".into() },
                })
                .collect(),
        });
    }
    if !lanes.iter().any(|l| l.label.starts_with("writes of")) {
        lanes.push(Lane { label: "writes: none reported by any container".into(), spans: Vec::new(), points: Vec::new() });
    }
    let marks = vec![
        Mark { at_ms: run.first_max_ms, label: "first tokens' max date".into() },
        Mark { at_ms: run.check_ms, label: format!("checked (+ renew interval {} s)", run.renew_interval.as_secs()) },
    ];
    Timeline::fitted(
        format!("{app}: {}'s long-lived application past its first tokens' max lifetime ({} s)", run.user, run.max_lifetime.as_secs()),
        lanes,
        marks,
    )
}

/// `container_…_01_000002` as `…01_000002` (attempt and number: what tells containers apart).
fn short_container(id: &str) -> String {
    let parts: Vec<&str> = id.rsplitn(3, '_').collect();
    match parts.as_slice() {
        [number, attempt, _] => format!("…{attempt}_{number}"),
        _ => id.to_string(),
    }
}

fn application(run: &LongLivedRun) -> Lane {
    let start =
        if run.app_first.started_time > 0 { run.app_first.started_time } else { run.first_max_ms - run.max_lifetime.as_millis() as i64 };
    let (end, label) = if run.app_last.finished_time > 0 {
        (run.app_last.finished_time, format!("{} {}", run.app_last.state, run.app_last.final_status))
    } else {
        (run.watch_end_ms, format!("{} at the end of the watch", run.app_last.state))
    };
    Lane {
        label: format!("{} ({})", run.submitted.application_id, run.user),
        spans: vec![Span { from_ms: start, to_ms: end, kind: SpanKind::Application, label }],
        points: Vec::new(),
    }
}

fn logins(run: &LongLivedRun) -> Lane {
    let ticket_ms = run.ticket_lifetime.as_millis() as i64;
    match &run.node_logins {
        Err(why) => Lane { label: format!("{}'s logins: not read ({why})", run.user), spans: Vec::new(), points: Vec::new() },
        Ok(n) if n.logins.is_empty() => {
            Lane { label: format!("{}'s logins from the node (KDC): none", run.user), spans: Vec::new(), points: Vec::new() }
        }
        Ok(n) => Lane {
            label: format!("{}'s logins from the node (KDC)", run.user),
            spans: n
                .logins
                .iter()
                .map(|l| Span {
                    from_ms: l.authtime.saturating_mul(1000),
                    to_ms: l.authtime.saturating_mul(1000).saturating_add(ticket_ms),
                    kind: SpanKind::Ticket,
                    label: format!("ticket of {}", l.principal),
                })
                .collect(),
            points: n
                .logins
                .iter()
                .map(|l| Point {
                    at_ms: l.authtime.saturating_mul(1000),
                    kind: PointKind::Login,
                    label: format!("{} logged in", l.principal),
                })
                .collect(),
        },
    }
}

fn tokens(run: &LongLivedRun) -> Vec<Lane> {
    let mut seen: Vec<(String, i32)> = Vec::new();
    let mut lanes = Vec::new();
    let at_start: Vec<(String, i32)> =
        run.first.iter().flat_map(|c| c.tokens.tokens()).filter_map(|t| Some((t.service.clone(), t.sequence()?))).collect();
    for c in run.first.iter().chain(&run.last) {
        for t in c.tokens.tokens().iter().filter(|t| t.kind == "HDFS_DELEGATION_TOKEN") {
            let Some(d) = t.delegation() else { continue };
            let key = (t.service.clone(), d.sequence_number);
            if seen.contains(&key) {
                continue;
            }
            let holders: Vec<String> = run
                .first
                .iter()
                .chain(&run.last)
                .filter(|h| h.tokens.tokens().iter().any(|o| o.service == key.0 && o.sequence() == Some(key.1)))
                .map(|h| short_container(&h.id))
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            let when = if at_start.contains(&key) { "" } else { " (new)" };
            let points = run
                .token_moments
                .iter()
                .filter(|m| m.service == key.0 && m.sequence == key.1)
                .filter_map(|m| match m.action {
                    TokenAction::Renewed => Some(Point { at_ms: m.at_ms, kind: PointKind::Renewed, label: "renewed".into() }),
                    TokenAction::Cancelled => Some(Point { at_ms: m.at_ms, kind: PointKind::Cancelled, label: "cancelled".into() }),
                    TokenAction::Created => None,
                })
                .collect();
            lanes.push(Lane {
                label: format!("HDFS token {}{when} in {}", d.sequence_number, holders.join(", ")),
                spans: vec![Span {
                    from_ms: d.issue_date,
                    to_ms: d.max_date,
                    kind: SpanKind::Token,
                    label: format!("seq {} of {}, owner {}", d.sequence_number, t.service, d.owner),
                }],
                points,
            });
            seen.push(key);
        }
    }
    if lanes.len() > MAX_TOKENS {
        let more = lanes.len() - MAX_TOKENS;
        lanes.truncate(MAX_TOKENS);
        lanes.push(Lane {
            label: format!("… and {more} more HDFS tokens (see the token evidence)"),
            spans: Vec::new(),
            points: Vec::new(),
        });
    }
    lanes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::issued::TokenMoment;
    use crate::facts::long_lived::fixtures::run;

    /// The L1 FAIL a reader must see: the worker's writes stop at the token's max date while the
    /// application lives on; renewals and the check time are on the same axis.
    #[test]
    fn the_picture_of_a_run_whose_writes_stop_at_the_max_date() {
        // The fixture's tokens live from 1_700_000_000 s to 1_700_000_300 s.
        let t0 = 1_700_000_000;
        let writes = [(t0 + 20, true), (t0 + 280, true), (t0 + 320, false), (t0 + 380, false)];
        let mut r = run("", &writes, vec![], true, Some((t0 + 280) * 1000));
        r.app_first.started_time = (t0 - 5) * 1000;
        r.app_last.finished_time = 0;
        r.first_max_ms = (t0 + 300) * 1000;
        r.check_ms = (t0 + 360) * 1000;
        r.watch_end_ms = (t0 + 400) * 1000;
        r.token_moments =
            vec![TokenMoment { service: "198.18.0.3:8020".into(), sequence: 7, action: TokenAction::Renewed, at_ms: (t0 + 60) * 1000 }];
        let t = long_lived(&r);
        let labels: Vec<&str> = t.lanes.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(labels[0], "application_1_0001 (alice)");
        assert!(labels.contains(&"HDFS token 7 in …01_000002"), "{labels:?}");
        let writes = t.lanes.iter().find(|l| l.label.starts_with("writes of …01_000002 (worker)")).expect("the worker's writes");
        assert_eq!(writes.points.iter().filter(|p| p.kind == PointKind::WriteFailed).count(), 2);
        let token = t.lanes.iter().find(|l| l.label.starts_with("HDFS token 7")).unwrap();
        assert_eq!(token.points, vec![Point { at_ms: (t0 + 60) * 1000, kind: PointKind::Renewed, label: "renewed".into() }]);
        assert!(t.marks.iter().any(|m| m.at_ms == r.check_ms));
        assert!(t.lanes[0].spans[0].label.contains("at the end of the watch"), "{:?}", t.lanes[0]);
        insta::assert_snapshot!(t.to_svg());
    }

    #[test]
    fn containers_are_named_by_attempt_and_number() {
        assert_eq!(short_container("container_1764_0001_01_000002"), "…01_000002");
        assert_eq!(short_container("odd"), "odd");
    }
}
