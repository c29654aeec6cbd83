//! ApplicationMaster items (A1, A2, A4–A7; A3 is in `am_renewal.rs`): judged from the token files
//! and launch scripts of the application's containers, wherever its user code runs, and from
//! what the NameNode logged about the application's token after it ended.

use std::time::Duration;

use yarnsec_hadoop::http::Auth;
use yarnsec_hadoop::token::logged::TokenAction;

use super::client::script_lines;
use super::require_kerberos;
use crate::context::{namenode_tokens, Context};
use crate::facts::app_run::AppRun;
use crate::facts::container::ContainerFacts;
use crate::verdict::{Evidence, Status, Verdict};

/// Said by the items the ApplicationMaster decides, whatever their verdict: a mistake of the
/// submitting client can only leave them with nothing to judge (the fault matrix shows it).
pub const AM_DECIDES: &str =
    "The ApplicationMaster decides this item; a mistake of the submitting client can only leave it with nothing to judge.";

/// The verdict with [`AM_DECIDES`] added to its reason.
pub fn am_decides(mut v: Verdict) -> Verdict {
    if matches!(v.status, Status::Pass | Status::Fail) {
        v.reason = format!("{}. {AM_DECIDES}", v.reason.trim_end_matches('.'));
    }
    v
}

/// A1: the AM finds its tokens through HADOOP_TOKEN_FILE_LOCATION.
pub async fn a1(ctx: &Context<'_>) -> Verdict {
    or_verdict!(require_kerberos(ctx));
    am_decides(judge_a1(or_verdict!(ctx.alice().await)))
}

/// A1's judgment: the launch script points `HADOOP_TOKEN_FILE_LOCATION` at a token file that
/// holds the AM/RM token, and the AM used it: it got containers from the RM, or it registered and
/// unregistered (the application ended FINISHED, whatever its final status, which only the AM
/// sets).
pub fn judge_a1(run: &AppRun) -> Verdict {
    let Some(am) = run.am() else {
        return Verdict {
            status: Status::Skipped,
            reason: format!("no ApplicationMaster of {} ran, so there is nothing to judge", run.app.id),
            evidence: vec![run.app_evidence()],
        };
    };
    let location = am.exported("HADOOP_TOKEN_FILE_LOCATION");
    let amrm = am.tokens.tokens().iter().any(|t| t.kind == "YARN_AM_RM_TOKEN");
    let used = run.workers().next().is_some() || run.app.state == "FINISHED";
    let evidence = vec![
        script_lines("ApplicationMaster launch_container.sh", &am.launch, "HADOOP_TOKEN_FILE_LOCATION"),
        am.tokens.evidence("ApplicationMaster token file"),
        run.app_evidence(),
    ];
    let problem = match (&location, amrm, used) {
        (None, _, _) => "the ApplicationMaster's launch script does not export HADOOP_TOKEN_FILE_LOCATION",
        (Some(_), false, _) => "the ApplicationMaster's token file holds no AM/RM token",
        (Some(_), true, false) => "the ApplicationMaster neither got a container nor registered with the ResourceManager (the application did not end FINISHED) with the tokens of its token file",
        _ => "",
    };
    Verdict::check(
        problem.is_empty(),
        "the NodeManager points HADOOP_TOKEN_FILE_LOCATION at the AM's token file (with its AM/RM token), and the AM used those tokens: it registered with the ResourceManager",
        problem,
        evidence,
    )
}

/// The containers where the application's user code runs: the one whose logs show the probe,
/// and every container the AM launched.
fn user_code_containers(run: &AppRun) -> Vec<&ContainerFacts> {
    let mut out: Vec<&ContainerFacts> = run.workers().collect();
    if let Some(probe) = run.probe_container() {
        if !out.iter().any(|c| c.id == probe.id) {
            out.push(probe);
        }
    }
    out
}

/// A2: what the AM passes on has neither the AM/RM token nor a timeline token.
pub async fn a2(ctx: &Context<'_>) -> Verdict {
    am_decides(judge_a2(or_verdict!(ctx.alice().await)))
}

/// A2's judgment: no container running user code holds `YARN_AM_RM_TOKEN` or a timeline token.
/// User code in the AM's own container counts: that container holds the AM/RM token.
pub fn judge_a2(run: &AppRun) -> Verdict {
    let containers = user_code_containers(run);
    if containers.is_empty() {
        return Verdict {
            status: Status::Skipped,
            reason: "no container of the application ran user code (the probe's output is in no container's logs, and the AM launched none), so what reaches user code cannot be shown".into(),
            evidence: vec![run.app_evidence()],
        };
    }
    let mut leaks = Vec::new();
    let mut unjudged = Vec::new();
    let mut evidence = Vec::new();
    for c in &containers {
        let role = if c.is_application_master() {
            "the ApplicationMaster's own container, where user code runs"
        } else {
            "a container the AM launched"
        };
        evidence.push(c.tokens.evidence(format!("{} ({role})", c.id)));
        if !c.tokens.is_read() {
            unjudged.push(format!("{} ({})", c.id, c.tokens.evidence("").body));
            continue;
        }
        let leaked: Vec<&str> =
            c.tokens.kinds().into_iter().filter(|k| *k == "YARN_AM_RM_TOKEN" || *k == "TIMELINE_DELEGATION_TOKEN").collect();
        if !leaked.is_empty() {
            leaks.push(format!("{} in {} ({role})", leaked.join(" and "), c.id));
        }
    }
    if leaks.is_empty() && !unjudged.is_empty() {
        return Verdict {
            status: Status::Skipped,
            reason: format!("the token files of containers running user code could not be read: {}", unjudged.join("; ")),
            evidence,
        };
    }
    Verdict::check(
        leaks.is_empty(),
        "no container running user code received the AM/RM token or a timeline token",
        format!("user code can act as the ApplicationMaster: {}", leaks.join("; ")),
        evidence,
    )
}

/// What A4 saw of the application's HDFS token after the application ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CancellationFacts {
    /// The token's sequence number (`None`: the launch context held no token for the NameNode).
    pub sequence: Option<i32>,
    /// Until when the token could be renewed (epoch ms).
    pub max_date_ms: i64,
    /// When the application finished (epoch ms).
    pub finished_ms: i64,
    /// The NameNode's `Token cancellation requested` line for it, and its time (epoch ms; `None`
    /// when the line's time stamp does not read).
    pub cancelled: Option<(Option<i64>, String)>,
    /// How long yarnsec watched the NameNode's log for it after the application finished.
    pub watched: Duration,
    /// What WebHDFS answered the token after that (`Ok`: it was accepted).
    pub answer: Result<(), String>,
}

/// A4 (recommended): the application's tokens are cancelled when it completes.
pub async fn a4(ctx: &Context<'_>) -> Verdict {
    or_verdict!(require_kerberos(ctx));
    let run = or_verdict!(ctx.alice().await);
    let facts = or_verdict!(observe_cancellation(ctx, run).await.map_err(|e| e.verdict()));
    let mut verdict = judge_a4(&facts);
    if facts.sequence.is_some() {
        let cancelled_at = facts.cancelled.as_ref().and_then(|(at, _)| *at);
        let picture = crate::timeline::am::cancellation(run, facts.sequence, cancelled_at);
        verdict.evidence.insert(0, Evidence::new("picture", picture.title.clone(), picture.to_svg()));
    }
    verdict
}

/// Watches the NameNode's log for the cancellation of the application's HDFS token, then tries
/// the token.
async fn observe_cancellation(ctx: &Context<'_>, run: &AppRun) -> Result<CancellationFacts, crate::error::ObserveError> {
    // 30 s for the cancellation itself, after however long the ResourceManager holds an ended
    // application's tokens by its configuration (while log aggregation may still need them).
    let hold = ctx
        .cluster
        .evidence()
        .token_hold_after_end()
        .await
        .map_err(crate::error::ObserveError::cluster("the ResourceManager's yarn-site.xml"))?;
    let watched = Duration::from_secs(30) + hold;
    let token = namenode_tokens(ctx.cluster, run.am_tokens()).into_iter().find(|t| t.delegation().is_some());
    let mut facts = CancellationFacts {
        sequence: token.and_then(|t| t.sequence()),
        max_date_ms: token.and_then(|t| t.delegation()).map_or(0, |d| d.max_date),
        finished_ms: run.app.finished_time,
        cancelled: None,
        watched,
        answer: Err("not tried".into()),
    };
    let (Some(seq), Some(token)) = (facts.sequence, token) else { return Ok(facts) };
    // The application's end, then the NameNode's word on its token.
    let deadline = std::time::Instant::now() + watched;
    loop {
        // The NameNode's own word: its log line for this token's cancellation.
        let log = ctx
            .cluster
            .evidence()
            .daemon_log_lines("namenode", &[yarnsec_hadoop::token::logged::CANCELLATION_MARKER])
            .await
            .map_err(crate::error::ObserveError::cluster("the NameNode's log"))?;
        let cancelled = yarnsec_hadoop::token::logged::events(&log)
            .into_iter()
            .find(|e| e.action == TokenAction::Cancelled && e.id.sequence_number == seq && e.id.kind == "HDFS_DELEGATION_TOKEN");
        if let Some(e) = cancelled {
            let line = format!("{} Token cancellation requested: {} sequenceNumber={}", e.time, e.id.kind, seq);
            facts.cancelled = Some((yarnsec_hadoop::token::logged::log_time_ms(&e.time), line));
            break;
        }
        if std::time::Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
    // The token itself, as a client holding it would try it.
    let home = format!("/user/{}", run.user);
    facts.answer = match ctx.cluster.webhdfs().status(&home, Auth::Delegation(&token.secret.0), None).await {
        Ok(_) => Ok(()),
        Err(e) => Err(e.to_string()),
    };
    Ok(facts)
}

/// A4's judgment: the NameNode logged the cancellation of the application's token after the
/// application finished and before the token could have died by itself, and the token is refused.
pub fn judge_a4(f: &CancellationFacts) -> Verdict {
    let Some(seq) = f.sequence else {
        return Verdict::skipped("the application held no HDFS delegation token for the cluster's NameNode, so there was none to cancel (C2 judges the client that did not get one)");
    };
    let answer = match &f.answer {
        Ok(()) => "200 OK: the token is accepted".to_string(),
        Err(e) => e.clone(),
    };
    let mut evidence =
        vec![Evidence::new("http", format!("WebHDFS GETFILESTATUS with the application's token (sequenceNumber {seq})"), answer.clone())];
    let Some((at, line)) = &f.cancelled else {
        return Verdict::fail(
            format!(
                "the NameNode's log shows no cancellation of the application's HDFS token (sequenceNumber {seq}) within {} s after the application finished: its tokens were not cancelled (WebHDFS now answers: {})",
                f.watched.as_secs(),
                answer.lines().next().unwrap_or_default()
            ),
            evidence,
        );
    };
    evidence.push(Evidence::new("log", "the NameNode's log", line.clone()));
    let mut problems = Vec::new();
    if let Some(at) = at {
        if *at + 2_000 < f.finished_ms {
            problems.push(format!("the token was cancelled {} ms before the application finished", f.finished_ms - at));
        }
        if *at > f.max_date_ms {
            problems.push("the token was cancelled only after its max lifetime, when it had died by itself".to_string());
        }
    }
    if f.answer.is_ok() {
        problems.push("the NameNode logged the cancellation, yet still accepts the token".to_string());
    }
    Verdict::check(
        problems.is_empty(),
        match at {
            Some(at) => format!(
                "the NameNode cancelled the application's HDFS token (sequenceNumber {seq}) {:.1} s after the application finished, long before it could expire, and refuses it since",
                (*at - f.finished_ms) as f64 / 1000.0
            ),
            None => format!("the NameNode cancelled the application's HDFS token (sequenceNumber {seq}) after the application finished, and refuses it since"),
        },
        problems.join("; "),
        evidence,
    )
}

/// A5: the containers the AM launches get the tokens it passes on through their launch context.
pub async fn a5(ctx: &Context<'_>) -> Verdict {
    or_verdict!(require_kerberos(ctx));
    let run = or_verdict!(ctx.alice().await);
    am_decides(judge_a5(run, &ctx.cluster.namenode_token_service()))
}

/// A5's judgment: every container the AM launched got an HDFS delegation token for the cluster's
/// NameNode at `namenode` through its launch context: the AM's own, or a fresh one it obtained
/// (an AM that logs in from a keytab and gets new tokens, as Spark's with `--keytab`, does the
/// right thing too). No container launched: NOT APPLICABLE; token files not found: SKIPPED.
pub fn judge_a5(run: &AppRun, namenode: &str) -> Verdict {
    let Some(am) = run.am() else { return Verdict::skipped(format!("no ApplicationMaster container of {} was found", run.app.id)) };
    let launched: Vec<&ContainerFacts> = run.workers().collect();
    if launched.is_empty() {
        return Verdict::not_applicable(format!(
            "the ApplicationMaster of {} launched no container, so it had no launch context to pass tokens through",
            run.app.id
        ));
    }
    let workers: Vec<&ContainerFacts> = launched.iter().copied().filter(|c| c.tokens.is_read()).collect();
    if workers.is_empty() {
        return Verdict::skipped(format!(
            "the token files of the {} container(s) the ApplicationMaster launched were not found, so what it passed on cannot be shown",
            launched.len()
        ));
    }
    let am_seqs: Vec<i32> = am.tokens.find("HDFS_DELEGATION_TOKEN", namenode).filter_map(|t| t.sequence()).collect();
    let mut evidence = vec![am.tokens.evidence("ApplicationMaster token file")];
    evidence.extend(workers.iter().map(|c| c.tokens.evidence(format!("{} token file", c.id))));
    if let Some(probe) = run.probe_container() {
        evidence.push(Evidence::new("log", format!("{} output (the write with the token)", probe.id), probe.all_logs()));
    }
    let mut without = Vec::new();
    let (mut passed_on, mut fresh) = (Vec::new(), Vec::new());
    // A fresh token counts when it is the user's own (in any form the NameNode writes it).
    let users =
        |t: &&&crate::facts::token_file::FileToken| t.delegation().is_some_and(|d| crate::facts::issued::same_user(&d.owner, &run.user));
    for c in &workers {
        let all: Vec<_> = c.tokens.find("HDFS_DELEGATION_TOKEN", namenode).collect();
        let seqs: Vec<i32> = all.iter().filter_map(|t| t.sequence()).collect();
        let fresh_own: Vec<i32> = all.iter().filter(users).filter_map(|t| t.sequence()).filter(|s| !am_seqs.contains(s)).collect();
        if seqs.iter().any(|s| am_seqs.contains(s)) {
            passed_on.push(c.id.as_str());
        } else if let Some(s) = fresh_own.first() {
            fresh.push(format!("{} (sequenceNumber {s})", c.id));
        } else {
            without.push(c.id.as_str());
        }
    }
    if am_seqs.is_empty() && passed_on.is_empty() && fresh.is_empty() {
        // The client's mistake, not the AM's: it had nothing to pass on and got nothing itself.
        return Verdict::skipped_with(
            "the ApplicationMaster held no HDFS delegation token for the cluster's NameNode and obtained none for its containers, so passing one on cannot be shown (C2 judges the client that did not get one)",
            evidence,
        );
    }
    let unseen = launched.len() - workers.len();
    let mut how = Vec::new();
    if !passed_on.is_empty() {
        how.push(format!(
            "the ApplicationMaster's own (sequenceNumber {}) to {}",
            am_seqs.iter().map(i32::to_string).collect::<Vec<_>>().join(", "),
            passed_on.join(", ")
        ));
    }
    if !fresh.is_empty() {
        how.push(format!("a fresh one it obtained to {}", fresh.join(", ")));
    }
    Verdict::check(
        without.is_empty(),
        format!(
            "every container the ApplicationMaster launched got an HDFS delegation token for the cluster's NameNode through its launch context: {}{}{}",
            how.join("; "),
            if run.probe_wrote() { "; the user's code wrote to HDFS with it" } else { "" },
            if unseen > 0 { format!(" ({unseen} container(s) whose token file was not found are not counted)") } else { String::new() }
        ),
        format!(
            "the ApplicationMaster launched {} without an HDFS delegation token of the user's for the cluster's NameNode ({namenode}) in the launch context: its work there cannot reach HDFS as the user",
            without.join(", ")
        ),
        evidence,
    )
}

/// A6: insecure clusters only: HADOOP_USER_NAME reaches the containers running user code.
pub async fn a6(ctx: &Context<'_>) -> Verdict {
    if ctx.cluster.profile().kerberos() {
        return Verdict::not_applicable("an insecure-cluster item; run with `--profile simple` to judge it");
    }
    judge_a6(or_verdict!(ctx.alice().await))
}

/// A6's judgment: the probe's container exports `HADOOP_USER_NAME=<the submitter>`.
pub fn judge_a6(run: &AppRun) -> Verdict {
    let user = &run.user;
    let Some(probe) = run.probe_container() else {
        return Verdict::fail("no container ran the user's code", vec![run.app_evidence()]);
    };
    let value = probe.exported("HADOOP_USER_NAME");
    Verdict::check(
        value.as_deref() == Some(user.as_str()),
        format!("HADOOP_USER_NAME={user} reaches {}, where the user's code runs", probe.id),
        format!(
            "{}, where the user's code runs, {}: without Kerberos it acts as whatever OS user runs the container (the NodeManager's own unless a container-executor runs it as the user)",
            probe.id,
            value.map_or("has no HADOOP_USER_NAME".to_string(), |v| format!("has HADOOP_USER_NAME={v}"))
        ),
        vec![script_lines(&format!("{} launch_container.sh", probe.id), &probe.launch, "HADOOP_USER_NAME")],
    )
}

/// A7 (recommended): HADOOP_JAAS_DEBUG from the AM's environment reaches its containers.
pub async fn a7(ctx: &Context<'_>) -> Verdict {
    am_decides(judge_a7(or_verdict!(ctx.alice().await)))
}

/// A7's judgment: if the AM runs with `HADOOP_JAAS_DEBUG=true`, every container it launched
/// does too; NOT APPLICABLE when the AM does not have it.
pub fn judge_a7(run: &AppRun) -> Verdict {
    let Some(am) = run.am() else {
        return Verdict::skipped(format!("no ApplicationMaster of {} ran, so there is nothing to judge", run.app.id));
    };
    if am.exported("HADOOP_JAAS_DEBUG").as_deref() != Some("true") {
        return Verdict::not_applicable(
            "HADOOP_JAAS_DEBUG=true is not in the ApplicationMaster's environment, so there is nothing to propagate",
        );
    }
    let workers: Vec<&ContainerFacts> = run.workers().collect();
    if workers.is_empty() {
        return Verdict::not_applicable("the ApplicationMaster launched no container to propagate HADOOP_JAAS_DEBUG to");
    }
    let without: Vec<&str> =
        workers.iter().filter(|c| c.exported("HADOOP_JAAS_DEBUG").as_deref() != Some("true")).map(|c| c.id.as_str()).collect();
    let mut evidence = vec![script_lines("ApplicationMaster launch_container.sh", &am.launch, "HADOOP_JAAS_DEBUG")];
    evidence.extend(workers.iter().map(|c| script_lines(&format!("{} launch_container.sh", c.id), &c.launch, "HADOOP_JAAS_DEBUG")));
    Verdict::check(
        without.is_empty(),
        "the ApplicationMaster runs with HADOOP_JAAS_DEBUG=true and sets it in its containers' launch contexts",
        format!("the ApplicationMaster runs with HADOOP_JAAS_DEBUG=true but does not set it for {}", without.join(", ")),
        evidence,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::app_run::fixtures::{container, run};
    use crate::facts::token_file::fixtures::{delegation, file, opaque};
    use crate::facts::token_file::TokenFile;
    const NN: &str = "198.18.7.3:8020";
    const TL: &str = "198.18.7.3:8188";
    const EXPORT_TOKENS: &str = "export HADOOP_TOKEN_FILE_LOCATION=\"/d/container_tokens\"\n";

    fn am_file() -> TokenFile {
        file(vec![opaque("YARN_AM_RM_TOKEN"), delegation("HDFS_DELEGATION_TOKEN", NN, "alice", "yarn", 4)])
    }

    #[test]
    fn a1_table() {
        assert_eq!(judge_a1(&run(am_file(), TokenFile::Missing, EXPORT_TOKENS, "", "put=ok")).status, Status::Pass);
        assert_eq!(judge_a1(&run(am_file(), TokenFile::Missing, "export CLASSPATH=x\n", "", "")).status, Status::Fail);
        let no_amrm =
            run(file(vec![delegation("HDFS_DELEGATION_TOKEN", NN, "alice", "yarn", 4)]), TokenFile::Missing, EXPORT_TOKENS, "", "");
        assert_eq!(judge_a1(&no_amrm).status, Status::Fail);
        let mut unused = run(am_file(), TokenFile::Missing, EXPORT_TOKENS, "", "");
        unused.containers.truncate(1);
        unused.app.state = "FAILED".into();
        assert_eq!(judge_a1(&unused).status, Status::Fail);
        // The AM registered and unregistered (FINISHED), though its work failed: it used its tokens.
        unused.app.state = "FINISHED".into();
        unused.app.final_status = "FAILED".into();
        assert_eq!(judge_a1(&unused).status, Status::Pass);
    }

    #[test]
    fn a2_sees_leaks_wherever_user_code_runs() {
        let clean = file(vec![delegation("HDFS_DELEGATION_TOKEN", NN, "alice", "yarn", 4)]);
        assert_eq!(judge_a2(&run(am_file(), clean.clone(), "", "", "id=alice\nput=ok")).status, Status::Pass);
        let leaky = file(vec![opaque("YARN_AM_RM_TOKEN"), delegation("TIMELINE_DELEGATION_TOKEN", TL, "alice", "yarn", 1)]);
        let v = judge_a2(&run(am_file(), leaky, "", "", "id=alice"));
        assert_eq!(v.status, Status::Fail);
        assert!(v.reason.contains("YARN_AM_RM_TOKEN and TIMELINE_DELEGATION_TOKEN"), "{}", v.reason);
        // User code inside the AM's container, next to the AM/RM token.
        let mut in_am = run(am_file(), TokenFile::Missing, "", "", "");
        in_am.containers = vec![container("container_1_0001_01_000001", am_file(), "", &[("stdout", "id=alice\nUSER=alice\nput=ok")])];
        let v = judge_a2(&in_am);
        assert_eq!(v.status, Status::Fail);
        assert!(v.reason.contains("the ApplicationMaster's own container"), "{}", v.reason);
        // No user code anywhere: nothing shows the filtering.
        let mut nothing = run(am_file(), TokenFile::Missing, "", "", "");
        nothing.containers.truncate(1);
        assert_eq!(judge_a2(&nothing).status, Status::Skipped);
    }

    #[test]
    fn a4_judges_the_cancellation_itself() {
        let base = CancellationFacts {
            sequence: Some(4),
            max_date_ms: 1_700_000_300_000,
            finished_ms: 1_700_000_010_000,
            cancelled: Some((Some(1_700_000_010_400), "… Token cancellation requested …".into())),
            watched: Duration::from_secs(30),
            answer: Err("403 InvalidToken: token can't be found in cache".into()),
        };
        assert_eq!(judge_a4(&base).status, Status::Pass);
        // Refused, but no cancellation: an expired token or a network error is not a cancellation.
        let v = judge_a4(&CancellationFacts { cancelled: None, ..base.clone() });
        assert_eq!(v.status, Status::Fail);
        assert!(v.reason.contains("no cancellation"), "{}", v.reason);
        assert_eq!(judge_a4(&CancellationFacts { answer: Ok(()), ..base.clone() }).status, Status::Fail);
        assert_eq!(
            judge_a4(&CancellationFacts { cancelled: Some((Some(1_700_000_400_000), String::new())), ..base.clone() }).status,
            Status::Fail
        );
        // A time stamp that does not read judges nothing by time.
        assert_eq!(judge_a4(&CancellationFacts { cancelled: Some((None, String::new())), ..base.clone() }).status, Status::Pass);
        assert_eq!(judge_a4(&CancellationFacts { sequence: None, ..base }).status, Status::Skipped);
    }

    #[test]
    fn a5_a6_a7_table() {
        let worker = file(vec![delegation("HDFS_DELEGATION_TOKEN", NN, "alice", "yarn", 4)]);
        assert_eq!(judge_a5(&run(am_file(), worker.clone(), "", "", "id=alice\nput=ok"), NN).status, Status::Pass);
        let v = judge_a5(&run(am_file(), file(vec![]), "", "", "id=alice\nput=ok"), NN);
        assert_eq!(v.status, Status::Fail);
        assert!(v.reason.contains("container_1_0001_01_000002 without"), "{}", v.reason);
        // A fresh token the AM obtained (logged in from a keytab) is passed on as well as its own.
        let fresh = file(vec![delegation("HDFS_DELEGATION_TOKEN", NN, "alice", "yarn", 9)]);
        let v = judge_a5(&run(am_file(), fresh, "", "", ""), NN);
        assert_eq!(v.status, Status::Pass, "{}", v.reason);
        assert!(v.reason.contains("a fresh one it obtained") && v.reason.contains("sequenceNumber 9"), "{}", v.reason);
        // An AM that held none itself and gave its containers fresh ones.
        let am_without = file(vec![opaque("YARN_AM_RM_TOKEN")]);
        assert_eq!(judge_a5(&run(am_without.clone(), worker.clone(), "", "", ""), NN).status, Status::Pass);
        // Nothing to pass on and nothing obtained: the client's mistake (C2), not shown here.
        assert_eq!(judge_a5(&run(am_without, file(vec![]), "", "", ""), NN).status, Status::Skipped);
        // Someone else's token (the service's own) is not the user's.
        let theirs = file(vec![delegation("HDFS_DELEGATION_TOKEN", NN, "yarnsec", "yarn", 9)]);
        assert_eq!(judge_a5(&run(am_file(), theirs, "", "", ""), NN).status, Status::Fail);
        let over_rpc = file(vec![delegation("HDFS_DELEGATION_TOKEN", NN, "alice@R.TEST", "yarn", 9)]);
        assert_eq!(judge_a5(&run(am_file(), over_rpc, "", "", ""), NN).status, Status::Pass);
        // A token for another filesystem is not the cluster's.
        let remote = file(vec![delegation("HDFS_DELEGATION_TOKEN", "198.18.7.4:8020", "alice", "yarn", 4)]);
        assert_eq!(judge_a5(&run(am_file(), remote, "", "", ""), NN).status, Status::Fail);
        // No container launched: nothing to pass through (NOT APPLICABLE); token files not found: SKIPPED.
        let mut alone = run(am_file(), TokenFile::Missing, "", "", "");
        alone.containers.truncate(1);
        assert_eq!(judge_a5(&alone, NN).status, Status::NotApplicable);
        assert_eq!(judge_a5(&run(am_file(), TokenFile::Missing, "", "", ""), NN).status, Status::Skipped);

        let user = "export HADOOP_USER_NAME=\"alice\"\n";
        assert_eq!(judge_a6(&run(am_file(), worker.clone(), user, user, "id=yarn")).status, Status::Pass);
        assert_eq!(judge_a6(&run(am_file(), worker.clone(), user, "", "id=yarn")).status, Status::Fail);

        let jaas = "export HADOOP_JAAS_DEBUG=\"true\"\n";
        assert_eq!(judge_a7(&run(am_file(), worker.clone(), jaas, jaas, "")).status, Status::Pass);
        assert_eq!(judge_a7(&run(am_file(), worker.clone(), jaas, "", "")).status, Status::Fail);
        assert_eq!(judge_a7(&run(am_file(), worker, "", "", "")).status, Status::NotApplicable);
    }
}
