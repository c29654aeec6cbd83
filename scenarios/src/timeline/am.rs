//! A3's and A4's pictures: the application beside its HDFS token, with the ResourceManager's
//! renewals and the moment of the thread dump (A3), or the token's cancellation and the
//! application's end (A4).

use yarnsec_hadoop::token::logged::log_time_ms;

use super::app_run::{am_tokens, application, TokenMoments};
use super::{Mark, Timeline};
use crate::facts::app_run::AppRun;

/// A3: the ResourceManager's renewals (its log lines for the token `rm_renewals` names) and when
/// the AM's thread dump was taken.
pub fn renewal(run: &AppRun, dump_at_ms: i64, rm_renewals: Option<&(i32, Vec<String>)>) -> Timeline {
    let moments = TokenMoments {
        sequence: rm_renewals.map(|(seq, _)| *seq),
        renewed: rm_renewals
            .map(|(_, lines)| lines.iter().filter_map(|l| Some((log_time_ms(l)?, "renewed by the ResourceManager".to_string()))).collect())
            .unwrap_or_default(),
        cancelled: None,
    };
    let mut lanes = vec![application(run)];
    lanes.extend(am_tokens(run, &moments));
    Timeline::fitted(
        format!("{}: who renews the application's tokens while its ApplicationMaster runs", run.app.id),
        lanes,
        vec![
            Mark { at_ms: run.submitted_at_ms, label: "submitted".into() },
            Mark { at_ms: dump_at_ms, label: "the AM's thread dump".into() },
        ],
    )
}

/// A4: the NameNode's cancellation of the token `sequence` (when its log says so) beside the
/// application's end.
pub fn cancellation(run: &AppRun, sequence: Option<i32>, cancelled_at_ms: Option<i64>) -> Timeline {
    let moments = TokenMoments { sequence, renewed: Vec::new(), cancelled: cancelled_at_ms };
    let mut lanes = vec![application(run)];
    lanes.extend(am_tokens(run, &moments));
    let marks = if run.app.finished_time > 0 { vec![Mark { at_ms: run.app.finished_time, label: "finished".into() }] } else { Vec::new() };
    Timeline::fitted(format!("{}: the application's end and its HDFS token's cancellation", run.app.id), lanes, marks)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::app_run::fixtures::run;
    use crate::facts::token_file::fixtures::{delegation, file};
    use crate::facts::token_file::TokenFile;
    use crate::timeline::PointKind;

    fn alice() -> AppRun {
        // The fixture's token lives from 1_700_000_000 s to 1_700_000_300 s.
        let mut r = run(
            file(vec![delegation("HDFS_DELEGATION_TOKEN", "198.18.0.3:8020", "alice", "yarn", 7)]),
            TokenFile::Missing,
            "",
            "",
            "put=ok",
        );
        r.submitted_at_ms = 1_700_000_001_000;
        r.app.started_time = 1_700_000_002_000;
        r.app.finished_time = 1_700_000_090_000;
        r
    }

    /// A4's FAIL reads at a glance: no cancellation mark on the token after the application's end.
    #[test]
    fn a_cancelled_token_shows_its_cancellation_and_a_kept_one_none() {
        let t = cancellation(&alice(), Some(7), Some(1_700_000_090_200));
        let token = t.lanes.iter().find(|l| l.label.starts_with("the AM's HDFS token 7")).expect("the token's row");
        assert_eq!(token.points.len(), 1);
        assert_eq!((token.points[0].kind, token.points[0].at_ms), (PointKind::Cancelled, 1_700_000_090_200));
        assert!(t.marks.iter().any(|m| m.label == "finished"));
        let kept = cancellation(&alice(), Some(7), None);
        assert!(kept.lanes.iter().all(|l| l.points.is_empty()));
    }

    #[test]
    fn the_resource_managers_renewals_sit_on_the_token_it_renewed() {
        let lines = vec!["2023-11-14 22:14:20,000 INFO security.DelegationTokenRenewer: Renewed delegation-token= [...]".to_string()];
        let t = renewal(&alice(), 1_700_000_066_000, Some(&(7, lines)));
        let token = t.lanes.iter().find(|l| l.label.starts_with("the AM's HDFS token 7")).unwrap();
        assert_eq!(token.points.iter().map(|p| p.kind).collect::<Vec<_>>(), vec![PointKind::Renewed]);
        assert!(t.marks.iter().any(|m| m.label == "the AM's thread dump" && m.at_ms == 1_700_000_066_000));
        // Renewals of another token are not drawn on this one.
        let other = renewal(&alice(), 1_700_000_066_000, Some(&(8, vec!["2023-11-14 22:14:20,000 x".into()])));
        assert!(other.lanes.iter().all(|l| l.points.is_empty()));
    }
}
