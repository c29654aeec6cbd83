//! A3: the ApplicationMaster starts a thread or executor that renews tokens on a regular basis.
//! Observed as a thread dump of the running AM taken after one token renew interval (and, as
//! evidence, the ResourceManager's renewals of the application's HDFS token); judged by whether
//! any thread's name or frames show token renewal.

use std::time::{Duration, Instant};
use yarnsec_hadoop::http::Auth;

use super::require_kerberos;
use crate::context::{app_evidence, Context};
use crate::facts::thread_dump::{renews_tokens, threads};
use crate::verdict::{Evidence, Verdict};

/// What A3 saw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenewalFacts {
    /// The AM's thread dump, taken `dump_after` after submission.
    pub dump: Result<String, String>,
    /// When the dump was taken, after submission.
    pub dump_after: Duration,
    /// The token renew interval and max lifetime of the cluster.
    pub renew: Duration,
    /// The token max lifetime.
    pub max_lifetime: Duration,
    /// The ResourceManager's log lines renewing the application's HDFS token.
    pub rm_renewals: Option<(i32, Vec<String>)>,
}

/// A3: a thread dump of the running AM after one renew interval.
pub async fn a3(ctx: &Context<'_>) -> Verdict {
    or_verdict!(require_kerberos(ctx));
    let renew = ctx.cluster.profile().token_renew_interval();
    let cred = or_verdict!(ctx.credential_or_fail("alice"));
    let alice = ctx.cluster.auth_for("alice", cred.as_ref());
    // The application outlives one renew interval, so that a renewer has had to act.
    let lifetime = renew + Duration::from_secs(25);
    let launched = or_verdict!(ctx
        .launch_script("alice", alice, &yarnsec_submitter::workload::Before::Sleep(lifetime))
        .await
        .map_err(|e| e.verdict()));
    let app_id = launched.submission.application_id.clone();
    let dump_after = renew + Duration::from_secs(5);
    let dump_at = launched.started + dump_after;
    ctx.waiting("A3", format!("the ApplicationMaster lives one {}s token renew interval before its thread dump", renew.as_secs()), dump_at);
    let dump = thread_dump_after(ctx, &app_id, alice, dump_at, dump_after).await;
    let run = or_verdict!(ctx.finish(launched, alice, lifetime + Duration::from_secs(180)).await.map_err(|e| e.verdict()));
    let facts = RenewalFacts {
        dump,
        dump_after,
        renew,
        max_lifetime: ctx.cluster.profile().token_max_lifetime(),
        rm_renewals: crate::context::rm_renewals(ctx.cluster, run.am_tokens()).await,
    };
    let picture = crate::timeline::am::renewal(&run, run.submitted_at_ms + dump_after.as_millis() as i64, facts.rm_renewals.as_ref());
    let mut verdict = super::application_master::am_decides(judge_a3(&facts));
    verdict.evidence.insert(0, app_evidence(&run.app));
    verdict.evidence.insert(0, Evidence::new("picture", picture.title.clone(), picture.to_svg()));
    verdict
}

/// Asks the application's AM JVM for a thread dump once it has run for one renew interval
/// (`renew_in`), and not before `at`: waits for the JVM to appear first (a busy NodeManager may
/// start it late), so the dump always shows an AM that lived one renew interval. An application
/// that ended without one (a launch the ResourceManager refused) ends the wait.
async fn thread_dump_after(ctx: &Context<'_>, app_id: &str, auth: Auth<'_>, at: Instant, renew_in: Duration) -> Result<String, String> {
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
    tokio::time::sleep_until((first_seen + renew_in).max(at).into()).await;
    match evidence.container_jvm(&container).await.map_err(|e| e.to_string())? {
        Some(pid) => evidence.thread_dump(app_id, &container, pid, Duration::from_secs(20)).await.map_err(|e| e.to_string()),
        None => Err(format!("the JVM of {container} had ended before it had lived one renew interval")),
    }
}

/// A3's judgment.
pub fn judge_a3(f: &RenewalFacts) -> Verdict {
    let mut evidence = Vec::new();
    if let Some((seq, lines)) = &f.rm_renewals {
        evidence.push(Evidence::new(
            "log",
            format!("ResourceManager renewals of the application's HDFS token (sequence number {seq})"),
            lines.join("\n"),
        ));
    }
    let dump = match &f.dump {
        Ok(d) => d,
        Err(e) => return Verdict::skipped(format!("no thread dump of the ApplicationMaster could be taken: {e}")),
    };
    let all = threads(dump);
    if all.is_empty() {
        return Verdict::skipped("the ApplicationMaster's thread dump holds no thread: it cannot be judged");
    }
    let renewers: Vec<&String> = all.iter().filter(|t| renews_tokens(t)).collect();
    let names: Vec<&str> = all.iter().filter_map(|t| t.lines().next()).map(|h| h.split('"').nth(1).unwrap_or(h)).collect();
    evidence.insert(
        0,
        Evidence::new(
            "thread_dump",
            format!("the ApplicationMaster's {} threads, after it ran at least {} s", all.len(), f.dump_after.as_secs()),
            names.join("\n"),
        ),
    );
    if renewers.is_empty() {
        return Verdict::fail(
            format!(
                "the ApplicationMaster runs no thread that renews tokens ({} threads after one {} s renew interval, none renewing); only the ResourceManager renews the application's tokens, and only until their max lifetime ({} s here, 7 days by default), so a longer-lived application would lose HDFS access",
                all.len(),
                f.renew.as_secs(),
                f.max_lifetime.as_secs()
            ),
            evidence,
        );
    }
    evidence.push(Evidence::new(
        "thread_dump",
        "threads that renew tokens",
        renewers.iter().map(|t| t.as_str()).collect::<Vec<_>>().join("\n\n"),
    ));
    Verdict::pass(
        format!("the ApplicationMaster runs {} token-renewing thread(s) (thread dump after one renew interval)", renewers.len()),
        evidence,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verdict::Status;

    const DUMP: &str = "Full thread dump OpenJDK\n\n\"main\" #1 prio=5\n   at java.lang.Thread.sleep(Native Method)\n\n\
                        \"TGT Renewer for alice@R\" #20 daemon\n   at java.lang.Thread.sleep(Native Method)\n\n\
                        \"AMRM Heartbeater thread\" #30\n   at org.apache.hadoop.yarn.client.api.async.impl.AMRMClientAsyncImpl$HeartbeatThread.run\n";

    fn facts(dump: Result<String, String>) -> RenewalFacts {
        RenewalFacts {
            dump,
            dump_after: Duration::from_secs(65),
            renew: Duration::from_secs(60),
            max_lifetime: Duration::from_secs(300),
            rm_renewals: None,
        }
    }

    #[test]
    fn renewer_threads_are_told_from_tgt_renewal_and_heartbeats() {
        let dump = format!(
            "{DUMP}\n\"Credential Renewal Thread\" #40 daemon\n   at java.util.concurrent.locks.LockSupport.parkNanos\n\n\"pool-3-thread-1\" #41\n   at org.example.TokenRefresher.renew(TokenRefresher.java:42)\n"
        );
        let all = threads(&dump);
        assert_eq!(all.len(), 5);
        let renewing: Vec<&str> = all.iter().filter(|t| renews_tokens(t)).map(|t| t.split('"').nth(1).unwrap()).collect();
        assert_eq!(renewing, ["Credential Renewal Thread", "pool-3-thread-1"]);
        assert_eq!(judge_a3(&facts(Ok(dump))).status, Status::Pass);
    }

    #[test]
    fn no_renewer_fails_and_no_dump_is_not_a_verdict() {
        let v = judge_a3(&facts(Ok(DUMP.to_string())));
        assert_eq!(v.status, Status::Fail);
        assert!(v.reason.contains("3 threads"), "{}", v.reason);
        assert_eq!(judge_a3(&facts(Err("no JVM".into()))).status, Status::Skipped);
        assert_eq!(judge_a3(&facts(Ok("Full thread dump\n".into()))).status, Status::Skipped);
    }
}
