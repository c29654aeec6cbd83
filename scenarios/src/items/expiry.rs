//! T5: the application keeps running after the submitter's Kerberos ticket expired and past at
//! least two delegation-token renew intervals, and at its end still writes to her HDFS home.

use std::time::Duration;

use super::require_kerberos;
use crate::context::Context;
use crate::facts::app_run::AppRun;
use crate::verdict::{Evidence, Verdict};

/// What T5 saw.
#[derive(Clone, Debug)]
pub struct ExpiryFacts {
    /// The run whose script slept first.
    pub run: AppRun,
    /// The ticket's lifetime and the token renew interval and max lifetime of the cluster.
    pub ticket: Duration,
    /// Token renew interval.
    pub renew: Duration,
    /// Token max lifetime.
    pub max_lifetime: Duration,
    /// How long the script slept before writing.
    pub slept: Duration,
    /// How much of alice's ticket was left at submission.
    pub ticket_left_at_submission: Duration,
    /// Whether her ticket had expired by the end (`None`: GSSAPI could not say).
    pub expired: Option<bool>,
    /// The ResourceManager's renewals of the application's HDFS token.
    pub rm_renewals: Option<(i32, Vec<String>)>,
}

/// T5: alice logs in once, with her password, and her application outlives that ticket (the
/// application whose ApplicationMaster A3 dumps: [`super::outliving_run`]).
pub async fn t5(ctx: &Context<'_>) -> Verdict {
    or_verdict!(require_kerberos(ctx));
    let profile = ctx.cluster.profile();
    let (ticket, renew, max) = (profile.ticket_lifetime(), profile.token_renew_interval(), profile.token_max_lifetime());
    // Outlive the ticket and two renew intervals, and still end well inside the max lifetime.
    let Some(delay) = super::outliving_run::t5_sleep(profile) else {
        return Verdict::not_applicable(format!(
            "this profile's token max lifetime ({}s) leaves no room to outlive both the ticket ({}s) and two renew intervals ({}s)",
            max.as_secs(),
            ticket.as_secs(),
            renew.as_secs()
        ));
    };
    ctx.waiting(
        "T5",
        format!("alice's application outlives her {}s ticket and two {}s token renew intervals", ticket.as_secs(), renew.as_secs()),
        std::time::Instant::now() + delay,
    );
    // alice logged in once, with her password: nothing renewed that ticket.
    let shared = or_verdict!(super::outliving_run::shared(ctx).await);
    let run = shared.run.clone();
    let rm_renewals = shared.rm_renewals.clone();
    let (ticket_left, expired) = (shared.ticket_left_at_submission, shared.expired);
    let command = ctx.service.is_command();
    let picture = crate::timeline::expiry::expiry(&run, ticket, ticket_left, rm_renewals.as_ref());
    let mut v = judge_t5(&ExpiryFacts {
        run,
        ticket,
        renew,
        max_lifetime: max,
        slept: shared.slept,
        ticket_left_at_submission: ticket_left,
        expired,
        rm_renewals,
    });
    v.evidence.insert(0, Evidence::new("picture", picture.title.clone(), picture.to_svg()));
    if command {
        // The command did not use that ticket: it got its own from alice's keytab on the edge
        // node at submission, with the same lifetime, and nothing renewed it either.
        v.reason.push_str(&format!(
            " (the submit command used a ticket of its own, from alice's keytab on the edge node at submission, with the same {}s lifetime)",
            ticket.as_secs()
        ));
    }
    v
}

/// T5's judgment: the application succeeded, its last act (a write to the user's home) worked,
/// it lasted longer than the ticket and two renew intervals, and the ticket is known to have
/// expired. A ticket whose state GSSAPI cannot tell shows nothing: SKIPPED, never PASS.
pub fn judge_t5(f: &ExpiryFacts) -> Verdict {
    let run = &f.run;
    let mut evidence = vec![
        run.app_evidence(),
        Evidence::new("log", "alice's probe output (the write comes after the sleep)", run.probe_output()),
        Evidence::new(
            "timing",
            "lifetimes outlived",
            format!(
                "ticket left at submission {}s (lifetime {}s); token renew interval {}s, max lifetime {}s; the script slept until {}s after the submission; submission to end {:.0}s; alice's ticket expired by the end: {}",
                f.ticket_left_at_submission.as_secs(),
                f.ticket.as_secs(),
                f.renew.as_secs(),
                f.max_lifetime.as_secs(),
                f.slept.as_secs(),
                run.took.as_secs_f64(),
                f.expired.map_or("unknown".to_string(), |e| e.to_string())
            ),
        ),
    ];
    if let Some((seq, renewals)) = &f.rm_renewals {
        evidence.push(Evidence::new(
            "log",
            format!("ResourceManager renewals of the HDFS token (sequence number {seq})"),
            renewals.join("\n"),
        ));
    }
    let outlived = run.took > f.ticket.max(f.renew * 2);
    // Its write worked and it failed afterwards, at least a token max lifetime after it was
    // submitted: its first tokens were dead by then whatever its ticket did (MapReduce's reducer
    // on `fast`, 90 s), so the failure says nothing about the ticket's expiry.
    if !run.succeeded() && run.probe_wrote() && run.took >= f.max_lifetime {
        return Verdict {
            status: crate::verdict::Status::Skipped,
            reason: format!(
                "the application's write to /user/{} worked, and it then ended {}/{} {:.0}s after its submission, past its first tokens' {}s max lifetime: what ended it cannot be told from the ticket's expiry on this profile (a longer max lifetime, as strict's, shows it)",
                run.user,
                run.app.state,
                run.app.final_status,
                run.took.as_secs_f64(),
                f.max_lifetime.as_secs()
            ),
            evidence,
        };
    }
    if !run.succeeded() || !run.probe_wrote() {
        return Verdict::fail(
            format!(
                "the application did not survive the ticket's expiry and the token renewals: it ended {}/{} after {:.0}s, and its write to /user/{} {}",
                run.app.state,
                run.app.final_status,
                run.took.as_secs_f64(),
                run.user,
                if run.probe_wrote() { "worked" } else { "did not work" }
            ),
            evidence,
        );
    }
    match f.expired {
        None => Verdict { status: crate::verdict::Status::Skipped, reason: "the application succeeded, but GSSAPI could not say whether alice's ticket had expired by its end, so surviving the expiry is not shown".into(), evidence },
        // yarnsec's timing, not the service's doing: nothing was shown.
        Some(false) => Verdict {
            status: crate::verdict::Status::Skipped,
            reason: "alice's ticket was still valid at the end: the run did not outlast it (too short for this profile), so surviving the expiry is not shown".into(),
            evidence,
        },
        Some(true) if !outlived => Verdict::fail(format!("the application ended after {:.0}s, before the ticket ({}s) and two renew intervals ({}s) had passed", run.took.as_secs_f64(), f.ticket.as_secs(), f.renew.as_secs()), evidence),
        Some(true) => Verdict::pass(
            format!(
                "the application ran {:.0}s, past alice's {}s ticket (expired, never renewed) and {} renew intervals of its {}s delegation token, and its last act, a write to /user/alice, succeeded",
                run.took.as_secs_f64(),
                f.ticket.as_secs(),
                run.took.as_secs() / f.renew.as_secs().max(1),
                f.renew.as_secs()
            ),
            evidence,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::app_run::fixtures::run;
    use crate::facts::token_file::TokenFile;
    use crate::verdict::Status;

    fn facts(expired: Option<bool>, took: u64, wrote: bool, state: &str) -> ExpiryFacts {
        let mut r =
            run(TokenFile::Missing, TokenFile::Missing, "", "", if wrote { "id=alice\nput=ok" } else { "id=alice\nput: token expired" });
        r.took = Duration::from_secs(took);
        r.app.final_status = state.into();
        ExpiryFacts {
            run: r,
            ticket: Duration::from_secs(120),
            renew: Duration::from_secs(60),
            max_lifetime: Duration::from_secs(300),
            slept: Duration::from_secs(135),
            ticket_left_at_submission: Duration::from_secs(119),
            expired,
            rm_renewals: None,
        }
    }

    #[test]
    fn t5_table() {
        assert_eq!(judge_t5(&facts(Some(true), 150, true, "SUCCEEDED")).status, Status::Pass);
        // Not known to have expired: not shown, whatever else held.
        assert_eq!(judge_t5(&facts(None, 150, true, "SUCCEEDED")).status, Status::Skipped);
        assert_eq!(judge_t5(&facts(Some(false), 150, true, "SUCCEEDED")).status, Status::Skipped);
        assert_eq!(judge_t5(&facts(Some(true), 100, true, "SUCCEEDED")).status, Status::Fail);
        assert_eq!(judge_t5(&facts(Some(true), 150, false, "SUCCEEDED")).status, Status::Fail);
        assert_eq!(judge_t5(&facts(Some(true), 150, true, "FAILED")).status, Status::Fail);
        assert_eq!(judge_t5(&facts(None, 150, false, "FAILED")).status, Status::Fail);
        // Failed after its write, past the tokens' max lifetime (300 s here): not shown either
        // way; before the max lifetime, or without the write, a FAIL.
        let past_max = judge_t5(&facts(Some(true), 310, true, "FAILED"));
        assert_eq!(past_max.status, Status::Skipped, "{}", past_max.reason);
        assert!(past_max.reason.contains("300s max lifetime"), "{}", past_max.reason);
        assert_eq!(judge_t5(&facts(Some(true), 310, false, "FAILED")).status, Status::Fail);
        assert_eq!(judge_t5(&facts(Some(true), 299, true, "FAILED")).status, Status::Fail);
    }
}
