//! Client items (C1–C7): judged from the launch context the ResourceManager handed the
//! ApplicationMaster (its token file and launch script) and from what the token issuers logged.
//! Each item observes, then judges in a pure function with table tests.

use yarnsec_hadoop::token::logged::LoggedIdentifier;

use super::require_kerberos;
use crate::context::Context;
use crate::facts::app_run::AppRun;
use crate::facts::issued::IssuedTokens;
use crate::facts::token_file::TokenFile;
use crate::verdict::{Evidence, Verdict};

const AM_TOKENS: &str = "ApplicationMaster token file (its launch context's tokens)";

/// The verdict of a client item whose launch context cannot be seen: FAIL when the
/// ResourceManager never launched an ApplicationMaster (the client's submission did not lead to
/// one), SKIPPED when an AM ran but its token file was not found.
fn no_am(run: &AppRun) -> Option<Verdict> {
    match (run.am(), run.am_tokens()) {
        (None, _) => Some(Verdict::fail(
            format!(
                "the ResourceManager never launched an ApplicationMaster for {} ({}): {}",
                run.app.id,
                run.app.final_status,
                run.app.diagnostics.as_deref().unwrap_or("no diagnostics").trim()
            ),
            vec![run.app_evidence()],
        )),
        (Some(am), TokenFile::Missing) => Some(Verdict {
            status: crate::verdict::Status::Skipped,
            reason: format!(
                "the token file of {}'s ApplicationMaster ({}) was not found, so its launch context cannot be seen",
                run.app.id, am.id
            ),
            evidence: vec![run.app_evidence()],
        }),
        _ => None,
    }
}

/// C1: security is detected. Observable as its consequence: on a secure cluster the client put
/// delegation tokens in the launch context, which it only does once it has seen security on.
pub async fn c1(ctx: &Context<'_>) -> Verdict {
    or_verdict!(require_kerberos(ctx));
    judge_c1(or_verdict!(ctx.alice().await))
}

/// C1's judgment.
pub fn judge_c1(run: &AppRun) -> Verdict {
    if let Some(v) = no_am(run) {
        return v;
    }
    let delegation: Vec<&str> = run.am_tokens().kinds().into_iter().filter(|k| k.ends_with("DELEGATION_TOKEN")).collect();
    Verdict::check(
        !delegation.is_empty(),
        format!("the launch context carried delegation tokens ({}), so the client saw that security is on", delegation.join(", ")),
        "the launch context carried no delegation token: the client behaves as if security were off",
        vec![run.am_tokens().evidence(AM_TOKENS)],
    )
}

/// C2: an HDFS delegation token for the cluster's filesystem, renewable by the RM.
pub async fn c2(ctx: &Context<'_>) -> Verdict {
    or_verdict!(require_kerberos(ctx));
    let run = or_verdict!(ctx.alice().await);
    judge_c2(run, &ctx.cluster.namenode_token_service(), ctx.cluster.layout().rm_renewer())
}

/// C2's judgment: the AM's token file holds a token for the NameNode at `namenode`, every such
/// token decodes, and each names `renewer` (the ResourceManager).
pub fn judge_c2(run: &AppRun, namenode: &str, renewer: &str) -> Verdict {
    if let Some(v) = no_am(run) {
        return v;
    }
    let file = run.am_tokens();
    let evidence = vec![file.evidence(AM_TOKENS), run.app_evidence()];
    if let TokenFile::Unreadable(u) = file {
        return Verdict::fail(format!("the ApplicationMaster's token file does not decode at byte {}: {}", u.offset, u.detail), evidence);
    }
    let tokens: Vec<_> = file.find("HDFS_DELEGATION_TOKEN", namenode).collect();
    if tokens.is_empty() {
        return Verdict::fail(
            format!("the launch context holds no HDFS_DELEGATION_TOKEN for the cluster's NameNode ({namenode}): the client did not get one for the cluster's filesystem"),
            evidence,
        );
    }
    let mut problems = Vec::new();
    for t in &tokens {
        match &t.identifier {
            Err(u) => {
                problems.push(format!("the HDFS token `{}` does not decode at byte {} of its identifier: {}", t.alias, u.offset, u.detail))
            }
            Ok(_) => match t.delegation() {
                Some(d) if d.renewer == renewer => {}
                Some(d) => problems.push(format!(
                    "the HDFS token's renewer is `{}`, not the ResourceManager (`{renewer}`): the RM cannot renew it",
                    d.renewer
                )),
                None => problems.push(format!("the HDFS token `{}` is not a delegation token", t.alias)),
            },
        }
    }
    Verdict::check(
        problems.is_empty(),
        format!("the launch context holds an HDFS delegation token for the cluster's NameNode ({namenode}) with renewer `{renewer}`, the ResourceManager"),
        problems.join("; "),
        evidence,
    )
}

/// Another service an application declares it uses, and the token the launch context must hold
/// for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OtherService {
    /// What it is (`the timeline server`).
    pub what: String,
    /// Token kind.
    pub kind: String,
    /// Token service (`ip:port`).
    pub service: String,
}

/// The other services the service under test declares, with their token services on this
/// cluster; and those declared that this cluster does not run.
pub fn other_services(ctx: &Context<'_>) -> (Vec<OtherService>, Vec<String>) {
    let mut expected = Vec::new();
    let mut absent = Vec::new();
    if ctx.service.features.timeline {
        expected.push(OtherService {
            what: "the timeline server".into(),
            kind: "TIMELINE_DELEGATION_TOKEN".into(),
            service: format!("{}:{}", ctx.cluster.hadoop().ip(), yarnsec_harness::layout::ports::TIMELINE_HTTP),
        });
    }
    if ctx.service.features.remote_filesystems {
        match ctx.cluster.remote_token_service() {
            Some(service) => expected.push(OtherService { what: "the remote HDFS".into(), kind: "HDFS_DELEGATION_TOKEN".into(), service }),
            None => absent.push("a remote HDFS (this cluster was started without one)".to_string()),
        }
    }
    (expected, absent)
}

/// C3: a token for every other service the application declares.
pub async fn c3(ctx: &Context<'_>) -> Verdict {
    or_verdict!(require_kerberos(ctx));
    let (expected, absent) = other_services(ctx);
    if expected.is_empty() && absent.is_empty() {
        return Verdict::not_applicable("the service declares no other service (timeline, remote filesystems) its applications use");
    }
    if expected.is_empty() {
        return Verdict::skipped(format!("the service declares {}, which cannot be checked here", absent.join(" and ")));
    }
    let v = judge_c3(or_verdict!(ctx.alice().await), &expected);
    // A PASS over part of what the service declares would claim too much.
    if v.status == crate::verdict::Status::Pass && !absent.is_empty() {
        return Verdict {
            status: crate::verdict::Status::Skipped,
            reason: format!("{}; but not checked: {}", v.reason, absent.join(" and ")),
            evidence: v.evidence,
        };
    }
    v
}

/// C3's judgment: the launch context holds a token of the right kind for each expected service.
pub fn judge_c3(run: &AppRun, expected: &[OtherService]) -> Verdict {
    if let Some(v) = no_am(run) {
        return v;
    }
    let file = run.am_tokens();
    let missing: Vec<String> = expected
        .iter()
        .filter(|s| file.find(&s.kind, &s.service).next().is_none())
        .map(|s| format!("{} ({} for {})", s.what, s.kind, s.service))
        .collect();
    let all: Vec<&str> = expected.iter().map(|s| s.what.as_str()).collect();
    Verdict::check(
        missing.is_empty(),
        format!("the launch context holds a token for every other service the application uses: {}", all.join(", ")),
        format!("the launch context holds no token for {}: the client did not acquire one", missing.join(", ")),
        vec![file.evidence(AM_TOKENS)],
    )
}

/// Who asked for a token, as far as the issuers' logs tell, relative to the service under test.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AskedBy {
    /// The service (its address).
    Service,
    /// Another client (this address): another service or run, not the one judged.
    Other(String),
    /// The logs cannot tie it to one client.
    Unknown(String),
}

/// What C5 compares: the tokens issuers created for the application's user, renewable by the
/// RM, while the submission was under way, with who asked for each, against the launch contexts
/// that hold them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObtainedToken {
    /// The issuer (`NameNode`, …).
    pub issuer: String,
    /// Its token service.
    pub service: String,
    /// The identifier it logged.
    pub id: LoggedIdentifier,
    /// The applications whose launch contexts the ResourceManager holds it for.
    pub held_by: Vec<String>,
    /// Who asked for it.
    pub asked_by: AskedBy,
}

/// C5: every token the client obtained is set on the AM's launch context.
pub async fn c5(ctx: &Context<'_>) -> Verdict {
    or_verdict!(require_kerberos(ctx));
    let run = or_verdict!(ctx.alice().await);
    let renewer = ctx.cluster.layout().rm_renewer();
    let Some(client) = ctx.submitter_address() else {
        return Verdict::skipped(format!(
            "the address of the service at {} is not known, so the tokens it asked for cannot be told from others",
            ctx.service.base_url
        ));
    };
    let mut obtained = Vec::new();
    // Another submission of the same user may still be on its way to the ResourceManager when
    // the logs are read (its token on no launch context yet, its request not yet in the
    // timeline server's request log): a token left out or unaccounted is looked for again.
    for attempt in 0..3 {
        if attempt > 0 {
            tokio::time::sleep(std::time::Duration::from_secs(5)).await;
        }
        let issued = or_verdict!(IssuedTokens::observe(ctx.cluster).await.map_err(|e| e.verdict()));
        obtained = obtained_tokens(&issued, run, renewer, &client);
        if left_out(run, &obtained).is_empty() && unaccounted(run, &obtained).is_empty() {
            break;
        }
    }
    judge_c5(run, &obtained)
}

/// The tokens created for the application's user with the RM as renewer from the start of the
/// submission until the RM accepted the application (two seconds' slack each side), each with
/// who asked for it relative to `client`, the service's address.
pub fn obtained_tokens(issued: &IssuedTokens, run: &AppRun, renewer: &str, client: &str) -> Vec<ObtainedToken> {
    use crate::facts::issued::Requester;
    let (from, to) = (run.submitted_at_ms - 2_000, run.app.started_time.max(run.submitted_at_ms) + 2_000);
    issued
        .created_for(&run.app.user, renewer, from, to)
        .into_iter()
        .map(|t| ObtainedToken {
            issuer: t.issuer.name.clone(),
            service: t.issuer.service.clone(),
            id: t.id.clone(),
            held_by: issued.held_by(&t.issuer.service, t.id.sequence_number).into_iter().map(str::to_string).collect(),
            asked_by: match issued.requester(&t.issuer.service, t.id.sequence_number) {
                Some(Requester::Address(ip)) if ip == client => AskedBy::Service,
                Some(Requester::Address(ip)) => AskedBy::Other(ip.clone()),
                Some(Requester::Ambiguous(ips)) => AskedBy::Unknown(format!("requests from {} at that moment", ips.join(", "))),
                None => AskedBy::Unknown("no request for it in the issuer's logs".into()),
            },
        })
        .collect()
}

/// Whether the AM's token file holds this obtained token (same issuer service and sequence number).
fn in_am_file(run: &AppRun, o: &ObtainedToken) -> bool {
    run.am_tokens().tokens().iter().any(|t| t.service == o.service && t.sequence() == Some(o.id.sequence_number))
}

/// The tokens the service obtained that neither this AM nor any other application holds.
fn left_out<'a>(run: &AppRun, obtained: &'a [ObtainedToken]) -> Vec<&'a ObtainedToken> {
    obtained.iter().filter(|o| o.asked_by == AskedBy::Service && !in_am_file(run, o) && o.held_by.is_empty()).collect()
}

/// The tokens nobody can be said to have asked for that no launch context holds.
fn unaccounted<'a>(run: &AppRun, obtained: &'a [ObtainedToken]) -> Vec<&'a ObtainedToken> {
    obtained.iter().filter(|o| matches!(o.asked_by, AskedBy::Unknown(_)) && !in_am_file(run, o) && o.held_by.is_empty()).collect()
}

/// C5's judgment: each token obtained during the submission is in this AM's token file, or (when
/// other submissions of the same user overlapped) in another application's launch context.
pub fn judge_c5(run: &AppRun, obtained: &[ObtainedToken]) -> Verdict {
    if let Some(v) = no_am(run) {
        return v;
    }
    let file = run.am_tokens();
    let mut evidence = vec![file.evidence(AM_TOKENS)];
    let listing: Vec<String> = obtained
        .iter()
        .map(|o| {
            format!(
                "{}: {} sequenceNumber={} asked for by {} (held for {})",
                o.issuer,
                o.id.kind,
                o.id.sequence_number,
                match &o.asked_by {
                    AskedBy::Service => "the service".to_string(),
                    AskedBy::Other(ip) => format!("another client, {ip}"),
                    AskedBy::Unknown(why) => format!("unknown: {why}"),
                },
                if o.held_by.is_empty() { "no application".to_string() } else { o.held_by.join(", ") }
            )
        })
        .collect();
    evidence.push(Evidence::new(
        "log",
        "tokens the issuers created for the user, renewable by the ResourceManager, during the submission",
        if listing.is_empty() { "(none)".to_string() } else { listing.join("\n") },
    ));
    let describe = |o: &&ObtainedToken| format!("{}'s {} (sequenceNumber {})", o.issuer, o.id.kind, o.id.sequence_number);
    let left_out: Vec<String> = left_out(run, obtained).iter().map(describe).collect();
    if !left_out.is_empty() {
        return Verdict::fail(format!("the client obtained {} but set it on no launch context", left_out.join(" and ")), evidence);
    }
    let unaccounted: Vec<String> = unaccounted(run, obtained)
        .iter()
        .map(|o| match &o.asked_by {
            AskedBy::Unknown(why) => format!("{} ({why})", describe(o)),
            _ => describe(o),
        })
        .collect();
    if !unaccounted.is_empty() {
        return Verdict {
            status: crate::verdict::Status::Skipped,
            reason: format!(
                "{} is on no launch context, and the issuers' logs cannot tell whether the service asked for it, so whether the client set every token it obtained is not shown",
                unaccounted.join(" and ")
            ),
            evidence,
        };
    }
    let by_service = obtained.iter().filter(|o| o.asked_by == AskedBy::Service).count();
    if by_service == 0 {
        return Verdict::fail(
            "no issuer created a token for the user with the ResourceManager as renewer at the service's request during the submission: the client obtained no token to set on the launch context",
            evidence,
        );
    }
    let mine = obtained.iter().filter(|o| in_am_file(run, o)).count();
    Verdict::check(
        mine > 0,
        format!("every token the client obtained during the submission ({by_service}) is set on a launch context; {mine} of them on this application's"),
        "none of the tokens the client obtained is on this application's launch context",
        evidence,
    )
}

/// C6: HADOOP_JAAS_DEBUG propagation (judged when the service runs with it set).
pub async fn c6(ctx: &Context<'_>) -> Verdict {
    if !ctx.service.jaas_debug {
        return Verdict::not_applicable(
            "the service was not started with HADOOP_JAAS_DEBUG=true in its environment (yarnsec sets it for services it starts), so there is nothing to propagate",
        );
    }
    judge_c6(or_verdict!(ctx.alice().await))
}

/// C6's judgment, for a service whose environment has `HADOOP_JAAS_DEBUG=true`.
pub fn judge_c6(run: &AppRun) -> Verdict {
    if let Some(v) = no_am(run) {
        return v;
    }
    let value = run.am().and_then(|am| am.exported("HADOOP_JAAS_DEBUG"));
    Verdict::check(
        value.as_deref() == Some("true"),
        "the service runs with HADOOP_JAAS_DEBUG=true and sets it in the ApplicationMaster's launch context",
        format!(
            "the service runs with HADOOP_JAAS_DEBUG=true but the ApplicationMaster's launch context {}",
            value.map_or("does not set it".to_string(), |v| format!("sets it to `{v}`"))
        ),
        vec![script_lines("ApplicationMaster launch_container.sh", run.am_launch(), "HADOOP_JAAS_DEBUG")],
    )
}

/// C7: insecure clusters only: the user's name reaches the ApplicationMaster.
pub async fn c7(ctx: &Context<'_>) -> Verdict {
    if ctx.cluster.profile().kerberos() {
        return Verdict::not_applicable("an insecure-cluster item; run with `--profile simple` to judge it");
    }
    judge_c7(or_verdict!(ctx.alice().await))
}

/// C7's judgment: the AM's launch context exports `HADOOP_USER_NAME=<the submitter>`.
pub fn judge_c7(run: &AppRun) -> Verdict {
    if let Some(v) = no_am(run) {
        return v;
    }
    let user = &run.user;
    let value = run.am().and_then(|am| am.exported("HADOOP_USER_NAME"));
    Verdict::check(
        value.as_deref() == Some(user.as_str()),
        format!("HADOOP_USER_NAME={user} is set for the ApplicationMaster"),
        format!(
            "the ApplicationMaster's launch context {} instead of HADOOP_USER_NAME={user}: without Kerberos it would act as whatever OS user runs the container (the NodeManager's own unless a container-executor runs it as the user)",
            value.map_or("has no HADOOP_USER_NAME".to_string(), |v| format!("has HADOOP_USER_NAME={v}"))
        ),
        vec![script_lines("ApplicationMaster launch_container.sh", run.am_launch(), "HADOOP_USER_NAME")],
    )
}

/// Lines of a launch script that mention `needle`.
pub fn script_lines(title: &str, script: &str, needle: &str) -> Evidence {
    let lines: Vec<&str> = script.lines().filter(|l| l.contains(needle)).collect();
    Evidence::new("launch_script", title, if lines.is_empty() { format!("(no line mentions {needle})") } else { lines.join("\n") })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::app_run::fixtures::run;
    use crate::facts::token_file::fixtures::{delegation, file, garbage, opaque};
    use crate::verdict::Status;

    const NN: &str = "198.18.7.3:8020";
    const TL: &str = "198.18.7.3:8188";
    const REMOTE: &str = "198.18.7.4:8020";

    fn hdfs(renewer: &str) -> yarnsec_hadoop::token::logged::LoggedIdentifier {
        LoggedIdentifier {
            kind: "HDFS_DELEGATION_TOKEN".into(),
            owner: "alice".into(),
            renewer: renewer.into(),
            real_user: String::new(),
            issue_date: 1_700_000_000_500,
            max_date: 1_700_000_300_000,
            sequence_number: 4,
            master_key_id: 2,
        }
    }

    fn am_with(tokens: Vec<crate::facts::token_file::FileToken>) -> AppRun {
        run(file(tokens), TokenFile::Missing, "", "", "")
    }

    #[test]
    fn c1_needs_a_delegation_token_in_the_launch_context() {
        let good = am_with(vec![opaque("YARN_AM_RM_TOKEN"), delegation("HDFS_DELEGATION_TOKEN", NN, "alice", "yarn", 4)]);
        assert_eq!(judge_c1(&good).status, Status::Pass);
        assert_eq!(judge_c1(&am_with(vec![opaque("YARN_AM_RM_TOKEN")])).status, Status::Fail);
        // An AM whose token file was not found: its launch context is not seen.
        assert_eq!(judge_c1(&run(TokenFile::Missing, TokenFile::Missing, "", "", "")).status, Status::Skipped);
        // No AM at all: the submission never led to one.
        let mut refused = run(TokenFile::Missing, TokenFile::Missing, "", "", "");
        refused.containers.clear();
        assert_eq!(judge_c1(&refused).status, Status::Fail);
    }

    #[test]
    fn c2_table() {
        let cases = [
            (vec![delegation("HDFS_DELEGATION_TOKEN", NN, "alice", "yarn", 4)], Status::Pass, "renewer `yarn`"),
            (vec![delegation("HDFS_DELEGATION_TOKEN", NN, "alice", "alice", 4)], Status::Fail, "not the ResourceManager"),
            // A token for another filesystem does not stand in for the cluster's own.
            (vec![delegation("HDFS_DELEGATION_TOKEN", REMOTE, "alice", "yarn", 4)], Status::Fail, "no HDFS_DELEGATION_TOKEN"),
            (vec![], Status::Fail, "no HDFS_DELEGATION_TOKEN"),
            // An identifier that does not decode is a finding with its offset, never skipped.
            (vec![garbage("HDFS_DELEGATION_TOKEN", NN)], Status::Fail, "does not decode at byte"),
            (
                vec![delegation("HDFS_DELEGATION_TOKEN", NN, "alice", "yarn", 4), garbage("HDFS_DELEGATION_TOKEN", NN)],
                Status::Fail,
                "does not decode at byte",
            ),
        ];
        for (tokens, status, words) in cases {
            let v = judge_c2(&am_with(tokens), NN, "yarn");
            assert_eq!(v.status, status, "{}", v.reason);
            assert!(v.reason.contains(words), "{}", v.reason);
        }
        let unreadable = run(
            TokenFile::Unreadable(crate::facts::token_file::Undecodable { detail: "x".into(), offset: 9 }),
            TokenFile::Missing,
            "",
            "",
            "",
        );
        assert!(judge_c2(&unreadable, NN, "yarn").reason.contains("byte 9"));
    }

    #[test]
    fn c3_checks_every_declared_service() {
        let timeline = OtherService { what: "the timeline server".into(), kind: "TIMELINE_DELEGATION_TOKEN".into(), service: TL.into() };
        let remote = OtherService { what: "the remote HDFS".into(), kind: "HDFS_DELEGATION_TOKEN".into(), service: REMOTE.into() };
        let both = am_with(vec![
            delegation("TIMELINE_DELEGATION_TOKEN", TL, "alice", "yarn", 1),
            delegation("HDFS_DELEGATION_TOKEN", REMOTE, "alice", "yarn", 2),
        ]);
        assert_eq!(judge_c3(&both, &[timeline.clone(), remote.clone()]).status, Status::Pass);
        let no_remote = am_with(vec![
            delegation("TIMELINE_DELEGATION_TOKEN", TL, "alice", "yarn", 1),
            delegation("HDFS_DELEGATION_TOKEN", NN, "alice", "yarn", 2),
        ]);
        let v = judge_c3(&no_remote, &[timeline.clone(), remote.clone()]);
        assert_eq!(v.status, Status::Fail);
        assert!(v.reason.contains("the remote HDFS") && !v.reason.contains("timeline"), "{}", v.reason);
        // Only remote filesystems declared: still checked.
        assert_eq!(judge_c3(&no_remote, std::slice::from_ref(&remote)).status, Status::Fail);
        assert_eq!(judge_c3(&am_with(vec![]), &[timeline]).status, Status::Fail);
    }

    #[test]
    fn c5_every_obtained_token_must_be_on_a_launch_context() {
        let tl = |seq: i32, held: &[&str]| ObtainedToken {
            issuer: "timeline server".into(),
            service: TL.into(),
            id: LoggedIdentifier { kind: "TIMELINE_DELEGATION_TOKEN".into(), sequence_number: seq, ..hdfs("yarn") },
            held_by: held.iter().map(|s| s.to_string()).collect(),
            asked_by: AskedBy::Service,
        };
        let nn = ObtainedToken {
            issuer: "NameNode".into(),
            service: NN.into(),
            id: hdfs("yarn"),
            held_by: vec!["application_1_0001".into()],
            asked_by: AskedBy::Service,
        };
        let ours = am_with(vec![
            delegation("HDFS_DELEGATION_TOKEN", NN, "alice", "yarn", 4),
            delegation("TIMELINE_DELEGATION_TOKEN", TL, "alice", "yarn", 1),
        ]);
        assert_eq!(judge_c5(&ours, &[nn.clone(), tl(1, &["application_1_0001"])]).status, Status::Pass);
        // Another submission's token, on its own launch context: not ours to hold.
        assert_eq!(judge_c5(&ours, &[nn.clone(), tl(1, &[]), tl(7, &["application_1_0002"])]).status, Status::Pass);
        // Obtained, and on no launch context at all.
        let left_out = am_with(vec![delegation("HDFS_DELEGATION_TOKEN", NN, "alice", "yarn", 4)]);
        let v = judge_c5(&left_out, &[nn.clone(), tl(3, &[])]);
        assert_eq!(v.status, Status::Fail);
        assert!(v.reason.contains("timeline server's TIMELINE_DELEGATION_TOKEN (sequenceNumber 3)"), "{}", v.reason);
        // Nothing obtained: nothing was set.
        assert_eq!(judge_c5(&ours, &[]).status, Status::Fail);
        // Another client's token, on no launch context: not the service's to set.
        let theirs = ObtainedToken { asked_by: AskedBy::Other("198.18.7.9".into()), ..tl(3, &[]) };
        assert_eq!(judge_c5(&ours, &[nn.clone(), tl(1, &["application_1_0001"]), theirs]).status, Status::Pass);
        // A token nobody can be said to have asked for, on no launch context: not shown either way.
        let unknown = ObtainedToken { asked_by: AskedBy::Unknown("requests from two addresses".into()), ..tl(3, &[]) };
        assert_eq!(judge_c5(&ours, &[nn.clone(), tl(1, &["application_1_0001"]), unknown]).status, Status::Skipped);
    }

    #[test]
    fn c6_and_c7_read_whole_exports() {
        let with = |launch: &str| run(file(vec![]), TokenFile::Missing, launch, "", "");
        assert_eq!(judge_c6(&with("export HADOOP_JAAS_DEBUG=\"true\"\n")).status, Status::Pass);
        assert_eq!(judge_c6(&with("export CLASSPATH=\"x\"\n")).status, Status::Fail);
        assert_eq!(judge_c6(&with("export HADOOP_JAAS_DEBUG=\"false\"\n")).status, Status::Fail);
        assert_eq!(judge_c7(&with("export HADOOP_USER_NAME=\"alice\"\n")).status, Status::Pass);
        assert_eq!(judge_c7(&with("export HADOOP_USER_NAME=\"yarnsec\"\n")).status, Status::Fail);
        assert_eq!(judge_c7(&with("export NOT_HADOOP_USER_NAME=\"alice\"\n")).status, Status::Fail);
    }
}
