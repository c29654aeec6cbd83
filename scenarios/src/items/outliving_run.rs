//! The observation T5 and A3 judge: one application of alice's, submitted with a ticket nothing
//! renews, whose probe sleeps past her ticket's lifetime and two token renew intervals before it
//! writes (T5), and whose ApplicationMaster is thread-dumped once it has lived one renew interval
//! (A3). One application where there were two: each costs the cluster an ApplicationMaster, a
//! localizer and a `hadoop fs` (about 15 CPU-s on the project's two cores at half speed), and the
//! test suite's fault matrix judges twelve checklists.
//!
//! ```
//! use std::time::Duration;
//! use yarnsec_harness::SecurityProfile;
//! use yarnsec_scenarios::items::outliving_run::{dump_after, sleep};
//! // `strict`: tickets 120 s, tokens renewed every 60 s and dead after 300 s.
//! let strict = SecurityProfile::strict();
//! assert_eq!(sleep(&strict), Duration::from_secs(135));
//! assert_eq!(dump_after(&strict), Duration::from_secs(65));
//! ```

use std::time::{Duration, Instant};

use yarnsec_hadoop::http::Auth;
use yarnsec_harness::SecurityProfile;
use yarnsec_submitter::workload::Before;

use crate::context::Context;
use crate::error::ObserveError;
use crate::facts::app_run::AppRun;
use crate::verdict::Verdict;

/// alice's application that outlived her ticket, and its ApplicationMaster's thread dump.
#[derive(Debug)]
pub struct OutlivingRun {
    /// The run, to its end.
    pub run: AppRun,
    /// How long after the submission the probe slept before it wrote ([`sleep`]).
    pub slept: Duration,
    /// How much of alice's ticket was left at the submission.
    pub ticket_left_at_submission: Duration,
    /// Whether that ticket had expired by the end (`None`: GSSAPI could not say).
    pub expired: Option<bool>,
    /// The ApplicationMaster's thread dump, or why none could be taken.
    pub dump: Result<String, String>,
    /// How long the ApplicationMaster had run when it was dumped, at least ([`dump_after`]).
    pub dump_after: Duration,
    /// The ResourceManager's log lines renewing the application's HDFS token, with its sequence
    /// number.
    pub rm_renewals: Option<(i32, Vec<String>)>,
}

/// How long T5's probe sleeps from the submission: past the ticket's lifetime and two renew
/// intervals, with 15 s to spare (`None` when the profile's token max lifetime leaves no room for
/// that and 30 s more: T5 cannot be judged there).
pub fn t5_sleep(profile: &SecurityProfile) -> Option<Duration> {
    let (ticket, renew, max) = (profile.ticket_lifetime(), profile.token_renew_interval(), profile.token_max_lifetime());
    let sleep = ticket.max(renew * 2) + Duration::from_secs(15);
    (sleep + Duration::from_secs(30) < max).then_some(sleep)
}

/// How long the shared application's probe sleeps: T5's sleep, or where T5 has no room, one renew
/// interval and 25 s (what A3 alone needs).
pub fn sleep(profile: &SecurityProfile) -> Duration {
    t5_sleep(profile).unwrap_or(profile.token_renew_interval() + Duration::from_secs(25))
}

/// How long the ApplicationMaster runs before A3's thread dump: one renew interval and 5 s, so
/// that a renewer has had to act.
pub fn dump_after(profile: &SecurityProfile) -> Duration {
    profile.token_renew_interval() + Duration::from_secs(5)
}

/// The application, observed once for T5 and A3; the verdict when it could not be.
pub async fn shared<'c>(ctx: &'c Context<'_>) -> Result<&'c OutlivingRun, Verdict> {
    ctx.outliving_cell().get_or_init(|| observe(ctx)).await.as_ref().map_err(ObserveError::verdict)
}

/// Submits the probe as alice, logged in once with her password, takes the ApplicationMaster's
/// thread dump while it runs, and follows the application to its end.
async fn observe(ctx: &Context<'_>) -> Result<OutlivingRun, ObserveError> {
    let profile = ctx.cluster.profile();
    let slept = sleep(profile);
    let dump_after = dump_after(profile);
    let credential = |e: yarnsec_harness::HarnessError| ObserveError::Credential { user: "alice".into(), source: Box::new(e) };
    // alice logs in once, with her password: nothing renews this ticket.
    let once = ctx.cluster.user("alice").and_then(|alice| alice.login_once()).map_err(credential)?;
    let ticket_left_at_submission = once.remaining_lifetime().unwrap_or_default();
    let watcher = ctx.credential("alice")?;
    let watch = ctx.cluster.auth_for("alice", watcher.as_ref());
    // A sleep measured from the submission, however late the container starts on a busy node.
    let until = yarnsec_submitter::clock::epoch_ms() / 1000 + slept.as_secs() as i64;
    let launched = ctx.launch_script("alice", Auth::Kerberos(&once), &Before::SleepUntil(until)).await?;
    let app_id = launched.submission.application_id.clone();
    let dump = thread_dump_after(ctx, &app_id, watch, launched.started + dump_after, dump_after).await;
    let run = ctx.finish(launched, watch, Duration::from_secs(240) + slept).await?;
    let expired = once.remaining_lifetime().ok().map(|left| left.is_zero());
    let rm_renewals = crate::context::rm_renewals(ctx.cluster, run.am_tokens()).await;
    Ok(OutlivingRun { run, slept, ticket_left_at_submission, expired, dump, dump_after, rm_renewals })
}

/// Asks the application's AM JVM for a thread dump once it has run for `run_for`, and not before
/// `at`: waits for the JVM to appear first (a busy NodeManager may start it late), so the dump
/// always shows an AM that lived that long. An application that ended without one (a launch the
/// ResourceManager refused) ends the wait.
async fn thread_dump_after(ctx: &Context<'_>, app_id: &str, auth: Auth<'_>, at: Instant, run_for: Duration) -> Result<String, String> {
    let container = crate::context::am_container_id(app_id);
    let evidence = ctx.cluster.evidence();
    let rm = ctx.cluster.resource_manager();
    let appear_by = Instant::now() + Duration::from_secs(240);
    let first_seen = loop {
        if evidence.container_jvm(&container).await.map_err(|e| e.to_string())?.is_some() {
            break Instant::now();
        }
        if Instant::now() > appear_by {
            return Err(format!("no JVM of {container} ran within 240 s of the submission"));
        }
        if let Ok(app) = rm.app(app_id, auth).await {
            if app.is_final() {
                return Err(format!("{app_id} ended ({} {}) before a JVM of {container} was seen", app.state, app.final_status));
            }
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    };
    tokio::time::sleep_until((first_seen + run_for).max(at).into()).await;
    match evidence.container_jvm(&container).await.map_err(|e| e.to_string())? {
        Some(pid) => evidence.thread_dump(app_id, &container, pid, Duration::from_secs(20)).await.map_err(|e| e.to_string()),
        None => Err(format!("the JVM of {container} had ended before it had lived {} s", run_for.as_secs())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t5_sleeps_past_the_ticket_and_two_renew_intervals_inside_the_max_lifetime() {
        let strict = SecurityProfile::strict();
        assert_eq!(t5_sleep(&strict), Some(Duration::from_secs(135)));
        let fast = SecurityProfile::fast();
        assert_eq!(t5_sleep(&fast), Some(Duration::from_secs(55)));
        // 135 s of sleep and 30 s to spare do not fit in 160 s: T5 cannot be judged, A3 still can.
        let tight = strict.clone().with_token_max_lifetime(Duration::from_secs(160));
        assert_eq!(t5_sleep(&tight), None);
        assert_eq!(sleep(&tight), Duration::from_secs(85));
    }

    /// A3's dump comes while the application still runs: its ApplicationMaster starts a few
    /// seconds after the submission (up to 30 s on a loaded machine) and lives until the probe's
    /// write, `sleep` after the submission.
    #[test]
    fn the_dump_comes_well_before_the_probe_writes_on_every_kerberos_profile() {
        for profile in [SecurityProfile::strict(), SecurityProfile::fast(), SecurityProfile::kerberos_only()] {
            assert!(
                dump_after(&profile) + Duration::from_secs(30) <= sleep(&profile),
                "{}: dump after {:?}, the probe writes {:?} after the submission",
                profile.name(),
                dump_after(&profile),
                sleep(&profile)
            );
        }
    }
}
