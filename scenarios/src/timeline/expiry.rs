//! T5's picture: the user's one ticket, the application outliving it, and the ResourceManager
//! renewing the application's HDFS delegation token meanwhile.

use std::time::Duration;

use yarnsec_hadoop::token::logged::log_time_ms;

use super::app_run::{am_tokens, application, TokenMoments};
use super::{Lane, Mark, Point, PointKind, Span, SpanKind, Timeline};
use crate::facts::app_run::AppRun;

/// The picture of T5's run: `ticket` is the ticket lifetime, `ticket_left` what was left of
/// alice's ticket at submission, `rm_renewals` the ResourceManager's renewal log lines of the
/// application's HDFS token (its sequence number and the lines).
pub fn expiry(run: &AppRun, ticket: Duration, ticket_left: Duration, rm_renewals: Option<&(i32, Vec<String>)>) -> Timeline {
    let login_ms = run.submitted_at_ms - (ticket.saturating_sub(ticket_left)).as_millis() as i64;
    let expires_ms = login_ms + ticket.as_millis() as i64;
    let mut lanes = vec![
        application(run),
        Lane {
            label: format!("{}'s one ticket (password login, never renewed)", run.user),
            spans: vec![Span { from_ms: login_ms, to_ms: expires_ms, kind: SpanKind::Ticket, label: "ticket".into() }],
            points: vec![Point { at_ms: login_ms, kind: PointKind::Login, label: format!("{} logged in", run.user) }],
        },
    ];
    let moments = TokenMoments {
        sequence: rm_renewals.map(|(seq, _)| *seq),
        renewed: rm_renewals
            .map(|(_, lines)| lines.iter().filter_map(|l| Some((log_time_ms(l)?, "renewed by the ResourceManager".to_string()))).collect())
            .unwrap_or_default(),
        cancelled: None,
    };
    lanes.extend(am_tokens(run, &moments));
    Timeline::fitted(
        format!("{}: {}'s application outliving her ticket ({} s)", run.app.id, run.user, ticket.as_secs()),
        lanes,
        vec![Mark { at_ms: run.submitted_at_ms, label: "submitted".into() }, Mark { at_ms: expires_ms, label: "ticket expired".into() }],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::app_run::fixtures::run;
    use crate::facts::token_file::fixtures::{delegation, file};
    use crate::facts::token_file::TokenFile;

    /// The ticket ends before the application does, and the RM's renewals sit on the AM's token.
    #[test]
    fn the_ticket_ends_inside_the_application_and_renewals_sit_on_the_token() {
        let mut r = run(
            file(vec![delegation("HDFS_DELEGATION_TOKEN", "198.18.0.3:8020", "alice", "yarn", 7)]),
            TokenFile::Missing,
            "",
            "",
            "put=ok",
        );
        r.submitted_at_ms = 1_764_900_000_000;
        r.app.started_time = r.submitted_at_ms + 3_000;
        r.app.finished_time = r.submitted_at_ms + 170_000;
        let lines = vec!["2025-12-05 02:01:02,000 INFO security.DelegationTokenRenewer: Renewed delegation-token= [...]".to_string()];
        let t = expiry(&r, Duration::from_secs(120), Duration::from_secs(119), Some(&(7, lines)));
        let ticket = &t.lanes[1].spans[0];
        assert_eq!(ticket.to_ms, r.submitted_at_ms + 119_000);
        assert!(ticket.to_ms < r.app.finished_time);
        let token = t.lanes.iter().find(|l| l.label.starts_with("the AM's HDFS token 7")).expect("the AM's token");
        assert_eq!(token.points.len(), 1);
        assert_eq!(token.points[0].at_ms, 1_764_900_062_000);
        // Without an AM token the picture says so rather than leave the row out.
        let bare = run(TokenFile::Missing, TokenFile::Missing, "", "", "");
        let t = expiry(&bare, Duration::from_secs(120), Duration::from_secs(119), None);
        assert!(t.lanes.iter().any(|l| l.label == "the AM held no HDFS delegation token"));
    }
}
