//! A3: the ApplicationMaster starts a thread or executor that renews tokens on a regular basis.
//! Observed as a thread dump of the running AM taken after one token renew interval (and, as
//! evidence, the ResourceManager's renewals of the application's HDFS token), of the application
//! T5 watches outlive alice's ticket ([`super::outliving_run`]); judged by whether any thread's
//! name or frames show token renewal.

use std::time::{Duration, Instant};

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

/// A3: a thread dump of the running AM after one renew interval, from the application T5 watches
/// outlive alice's ticket ([`super::outliving_run`]: one application for both).
pub async fn a3(ctx: &Context<'_>) -> Verdict {
    or_verdict!(require_kerberos(ctx));
    let profile = ctx.cluster.profile();
    let dump_after = super::outliving_run::dump_after(profile);
    ctx.waiting(
        "A3",
        format!(
            "the ApplicationMaster lives one {}s token renew interval before its thread dump",
            profile.token_renew_interval().as_secs()
        ),
        Instant::now() + dump_after,
    );
    let shared = or_verdict!(super::outliving_run::shared(ctx).await);
    let run = &shared.run;
    let facts = RenewalFacts {
        dump: shared.dump.clone(),
        dump_after: shared.dump_after,
        renew: profile.token_renew_interval(),
        max_lifetime: profile.token_max_lifetime(),
        rm_renewals: shared.rm_renewals.clone(),
    };
    let picture = crate::timeline::am::renewal(run, run.submitted_at_ms + shared.dump_after.as_millis() as i64, facts.rm_renewals.as_ref());
    let mut verdict = super::application_master::am_decides(judge_a3(&facts));
    verdict.evidence.insert(0, app_evidence(&run.app));
    verdict.evidence.insert(0, Evidence::new("picture", picture.title.clone(), picture.to_svg()));
    verdict
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
