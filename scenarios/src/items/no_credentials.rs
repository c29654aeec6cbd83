//! T6: without Kerberos credentials, nothing launches. Every attempt goes through the service's
//! own submission contract and must reach it and be refused (401 or 403); an attempt that could
//! not be made is reported as not tried, never as refused. Around the service: carol (no
//! principal) gets no ticket, the NameNode refuses a forged and an expired delegation token, bob
//! cannot read alice's files, and no attempt left an application at the ResourceManager.

use std::path::Path;
use std::time::Duration;

use yarnsec_hadoop::http::{Auth, HttpError, HttpResponse};

use crate::command::{CommandRun, Script, Ticket};
use crate::context::Context;
use crate::verdict::{Evidence, Verdict};

/// How one attempt ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// It reached its target and was refused (status for HTTP, the error otherwise).
    Refused(String),
    /// It was let through.
    Accepted(String),
    /// It reached its target, which answered neither yes nor a refusal of credentials (a 404 or
    /// a 500 is not a refusal).
    Unclear(String),
    /// It could not be made (the reason).
    NotTried(String),
    /// A control (the genuine token) worked, as it should.
    ControlWorked(String),
}

/// One attempt without (valid) credentials.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attempt {
    /// What was tried.
    pub what: String,
    /// How it ended.
    pub outcome: Outcome,
}

/// An answer of the service to a submission: 401/403 refuse, 2xx/3xx accept.
pub fn classify(r: &Result<HttpResponse, HttpError>) -> Outcome {
    match r {
        Ok(r) => {
            let summary = format!("{} {}", r.status.as_u16(), r.text().chars().take(200).collect::<String>());
            match r.status.as_u16() {
                401 | 403 => Outcome::Refused(summary),
                200..=399 => Outcome::Accepted(summary),
                _ => Outcome::Unclear(summary),
            }
        }
        Err(e) => Outcome::NotTried(format!("the request did not reach the service: {e}")),
    }
}

/// How long a submit command without valid credentials may take to give up (a JVM client
/// retries its SASL handshake a few times).
const COMMAND_REFUSAL_WAIT: Duration = Duration::from_secs(120);

/// How a submit command without valid credentials ended: without an application, with the
/// cluster's refusal of its credentials in its output, exited non-zero or still retrying
/// (refused); it submitted one (accepted); or anything else (unclear); yarnsec's own preparation
/// failed (not tried).
pub fn classify_command(run: &CommandRun) -> Outcome {
    let last = run.output.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("(no output)");
    let last: String = last.chars().take(300).collect();
    let refusal = run.output.lines().find(|l| REFUSALS.iter().any(|r| l.contains(r)));
    if let Some(line) = run.setup_failure() {
        return Outcome::NotTried(format!("yarnsec's own preparation failed: {line}"));
    }
    match (&run.application_id, run.code, refusal) {
        (Some(app), _, _) => Outcome::Accepted(format!("it submitted {app}")),
        (None, Some(0), _) => Outcome::Unclear(format!("it exited 0 without an application: {last}")),
        (None, Some(code), Some(line)) => {
            Outcome::Refused(format!("exited {code} after the cluster refused it: {}", line.chars().take(300).collect::<String>()))
        }
        // A missing jar or a typo exits non-zero too: that refused nothing.
        (None, Some(code), None) => {
            Outcome::Unclear(format!("it exited {code} without an application, but its output shows no refusal of credentials: {last}"))
        }
        (None, None, Some(line)) => Outcome::Refused(format!(
            "no application after {} s; the client was still retrying (stopped by yarnsec) after the cluster refused it: {}",
            run.waited.as_secs(),
            line.chars().take(300).collect::<String>()
        )),
        (None, None, None) => {
            Outcome::Unclear(format!("it was still running after {} s without an application: {last}", run.waited.as_secs()))
        }
    }
}

/// What Hadoop's clients log when the cluster refuses their credentials (SASL at the RPC
/// server, the KDC, the JVM's GSSAPI).
const REFUSALS: [&str; 4] = ["Client cannot authenticate via", "AccessControlException", "GSSException", "Failed to find any Kerberos tgt"];

/// T6: the attempts, then the judgment.
pub async fn t6(ctx: &Context<'_>) -> Verdict {
    if !ctx.cluster.profile().kerberos() {
        return Verdict::not_applicable("this profile has no Kerberos credentials to lack");
    }
    // Every attempt carries an application name of its own, so that applications other tests
    // run at the same time can neither be mistaken for one of ours nor hide one.
    let nanos = crate::clock::unique_nanos();
    let name = format!("yarnsec-t6-{nanos}");
    let workload = ctx.service.workload;
    let script = match ctx.workload_file(&crate::workload::Run::Harmless).await {
        Ok(file) => file,
        Err(e) => return e.verdict(),
    };
    let script = script.as_slice();
    let target = ctx.service.submit_target();
    let (name, target) = (name.as_str(), target.as_str());
    // A command-line submitter's attempts run beside the rest: a client that retries without
    // credentials takes its time to give up.
    let command_attempts = async {
        let Some(command) = &ctx.service.command else { return Vec::new() };
        let attempt = |ticket: Ticket, how: &'static str| async move {
            let outcome = match command
                .submit(
                    ctx.cluster,
                    "alice",
                    ticket,
                    Script { content: script, file_name: workload.file_name() },
                    name,
                    COMMAND_REFUSAL_WAIT,
                )
                .await
            {
                Ok(run) => {
                    command.stop(&run).await;
                    classify_command(&run)
                }
                Err(e) => Outcome::NotTried(e.to_string()),
            };
            Attempt { what: format!("{target} as alice {how}"), outcome }
        };
        let (none, expired) = tokio::join!(
            attempt(Ticket::None, "with no ticket"),
            attempt(Ticket::Expired, "with a ticket that expired (kinit -l 3s -r 3s, run 5 s later)")
        );
        vec![none, expired]
    };
    let others = async {
        let mut attempts = Vec::new();
        if !ctx.service.is_command() {
            // No ticket at all (carol's case too: she has no principal, so she can only come without one).
            let r = ctx.service.submit_raw(ctx.http(), Auth::Anonymous, script, name).await;
            attempts.push(Attempt { what: format!("{target} without credentials"), outcome: classify(&r) });

            // A forged SPNEGO token: well-formed base64 with the SPNEGO header, and made-up contents.
            let mut headers = reqwest::header::HeaderMap::new();
            headers.insert(
                reqwest::header::AUTHORIZATION,
                reqwest::header::HeaderValue::from_static(
                    "Negotiate YIIBAAYGKwYBBQUCeWFybnNlYy1mb3JnZWQtAQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYn",
                ),
            );
            let r = ctx.service.submit_with_headers(ctx.http(), Auth::Anonymous, script, name, Some(headers)).await;
            attempts.push(Attempt { what: format!("{target} with a forged Negotiate token"), outcome: classify(&r) });
        }
        // carol asks the KDC for a ticket.
        let carol = yarnsec_hadoop::Principal::user("carol", ctx.cluster.realm());
        let outcome = match tokio::task::spawn_blocking(move || yarnsec_hadoop::Credential::from_password(carol, "guess")).await {
            // Only the KDC's own "no such principal" is a refusal; an unreachable KDC refused nothing.
            Ok(Err(e)) if e.to_string().contains("not found in Kerberos database") => Outcome::Refused(e.to_string()),
            Ok(Err(e)) => Outcome::NotTried(format!("the KDC did not answer the question: {e}")),
            Ok(Ok(_)) => Outcome::Accepted("the KDC issued carol a ticket".into()),
            Err(e) => Outcome::NotTried(e.to_string()),
        };
        attempts.push(Attempt { what: "carol (no principal) asks the KDC for a ticket".into(), outcome });

        if !ctx.service.is_command() {
            attempts.push(expired_ticket(ctx, name, script, target).await);
        }
        attempts.extend(delegation_tokens(ctx).await);
        attempts.push(bob_reads_alice(ctx).await);
        attempts
    };
    let (mut attempts, others) = tokio::join!(command_attempts, others);
    attempts.extend(others);

    // The ResourceManager's word: no application carries the attempts' name.
    let rm_apps = match ctx.cluster.service_credential("rm") {
        Ok(admin) => match ctx.cluster.resource_manager().apps(Auth::Kerberos(&admin)).await {
            Ok(apps) => Ok(apps.into_iter().filter(|a| a.name == name).map(|a| format!("{} (user {})", a.id, a.user)).collect()),
            Err(e) => Err(e.to_string()),
        },
        Err(e) => Err(e.to_string()),
    };
    judge_t6(&attempts, name, &rm_apps)
}

/// alice's ticket, obtained with a 3-second lifetime and used after it ran out. GSSAPI refuses an
/// expired ticket on the client side, as curl or a browser would; the request then goes out
/// without credentials, as theirs would, and the service must refuse it.
async fn expired_ticket(ctx: &Context<'_>, name: &str, script: &[u8], target: &str) -> Attempt {
    let what = format!("{target} by alice whose ticket expired (kinit -l 3s, used 5 s later)");
    let dir = ctx.cluster.state_dir().join("t6");
    let _ = std::fs::create_dir_all(&dir);
    // A cache of this attempt's own: several checklists may run T6 at once in one process.
    let nanos = crate::clock::unique_nanos();
    let ccache = dir.join(format!("alice-expired-{}-{nanos}.ccache", std::process::id()));
    let principal = format!("alice@{}", ctx.cluster.realm());
    let keytab = ctx.cluster.keytab_path("alice");
    if let Err(e) = crate::kinit::kinit(Path::new("kinit"), &principal, &keytab, &ccache, Some(Duration::from_secs(3))).await {
        return Attempt { what, outcome: Outcome::NotTried(format!("kinit -l 3s for {principal} failed (kinit is in krb5-user): {e}")) };
    }
    tokio::time::sleep(Duration::from_secs(5)).await;
    let cache = format!("FILE:{}", ccache.display());
    let alice = yarnsec_hadoop::Principal::user("alice", ctx.cluster.realm());
    let cred = tokio::task::spawn_blocking(move || yarnsec_hadoop::Credential::from_ccache(alice, &cache)).await;
    let outcome = match cred {
        Ok(Ok(cred)) => match ctx.service.submit_raw(ctx.http(), Auth::Kerberos(&cred), script, name).await {
            // The ticket was still usable, so it went to the service.
            r @ Ok(_) => classify(&r),
            Err(local) => {
                let r = ctx.service.submit_raw(ctx.http(), Auth::Anonymous, script, name).await;
                with_note(classify(&r), &format!("GSSAPI would not use the expired ticket ({local}); sent without credentials"))
            }
        },
        Ok(Err(local)) => {
            let r = ctx.service.submit_raw(ctx.http(), Auth::Anonymous, script, name).await;
            with_note(classify(&r), &format!("GSSAPI would not use the expired ticket ({local}); sent without credentials"))
        }
        Err(e) => Outcome::NotTried(e.to_string()),
    };
    let _ = std::fs::remove_file(&ccache);
    Attempt { what, outcome }
}

fn with_note(outcome: Outcome, note: &str) -> Outcome {
    match outcome {
        Outcome::Refused(s) => Outcome::Refused(format!("{note}: {s}")),
        Outcome::Accepted(s) => Outcome::Accepted(format!("{note}: {s}")),
        Outcome::Unclear(s) => Outcome::Unclear(format!("{note}: {s}")),
        Outcome::NotTried(s) => Outcome::NotTried(format!("{note}: {s}")),
        Outcome::ControlWorked(s) => Outcome::ControlWorked(format!("{note}: {s}")),
    }
}

/// The NameNode's answer to a delegation token: refused means an `InvalidToken`-style 401/403.
fn namenode_outcome(r: Result<(), HttpError>, want_accepted: bool) -> Outcome {
    match r {
        Ok(()) if want_accepted => Outcome::ControlWorked("200 OK".into()),
        Ok(()) => Outcome::Accepted("200 OK".into()),
        Err(HttpError::Status { status: 401 | 403, body, .. }) if !want_accepted => Outcome::Refused(body.chars().take(200).collect()),
        Err(e @ HttpError::Status { .. }) if want_accepted => Outcome::Unclear(format!("the genuine token was not accepted: {e}")),
        Err(e @ HttpError::Status { .. }) => Outcome::Unclear(e.to_string()),
        Err(e) => Outcome::NotTried(e.to_string()),
    }
}

/// A forged and an expired HDFS delegation token, both refused by the NameNode; the genuine token
/// works before it expires (so the refusals are about forgery and expiry, nothing else).
async fn delegation_tokens(ctx: &Context<'_>) -> Vec<Attempt> {
    let genuine_what = "the genuine HDFS delegation token, fresh (control)".to_string();
    let cred = match ctx.credential("alice") {
        Ok(Some(c)) => c,
        Ok(None) => return vec![],
        Err(e) => return vec![Attempt { what: genuine_what, outcome: Outcome::NotTried(e.to_string()) }],
    };
    let fs = ctx.cluster.webhdfs();
    // Renewable by alice herself, not the ResourceManager: a token for direct use, which no
    // launch context is meant to hold (C5 counts the RM-renewable tokens of a submission).
    let request = yarnsec_hadoop::webhdfs::TokenRequest { renewer: Some("alice"), kind: None, service: None };
    let genuine = match fs.delegation_token(&request, Auth::Kerberos(&cred), None).await {
        Ok(t) => t,
        Err(e) => {
            return vec![Attempt {
                what: genuine_what,
                outcome: Outcome::NotTried(format!("alice could not get an HDFS delegation token: {e}")),
            }]
        }
    };
    let got = std::time::Instant::now();
    let home = "/user/alice";
    let try_token = |token: String| {
        let fs = fs.clone();
        async move { fs.status(home, Auth::Delegation(&token), None).await.map(drop) }
    };
    let mut attempts = vec![Attempt { what: genuine_what, outcome: namenode_outcome(try_token(genuine.clone()).await, true) }];
    // Forged: the genuine identifier with a password of our own.
    let forged_what = "WebHDFS GETFILESTATUS with a forged HDFS delegation token (genuine identifier, made-up password)".to_string();
    match yarnsec_hadoop::token::Token::decode_url_string(&genuine) {
        Ok(mut t) => {
            t.password.iter_mut().for_each(|b| *b = b.wrapping_add(1));
            attempts.push(Attempt { what: forged_what, outcome: namenode_outcome(try_token(t.encode_url_string()).await, false) });
        }
        Err(e) => {
            attempts.push(Attempt { what: forged_what, outcome: Outcome::NotTried(format!("the NameNode's token does not decode: {e}")) })
        }
    }
    // Expired: unused for longer than the renew interval.
    let renew = ctx.cluster.profile().token_renew_interval();
    let until = got + renew + Duration::from_secs(3);
    ctx.waiting("T6", format!("alice's HDFS delegation token expires unrenewed ({}s renew interval)", renew.as_secs()), until);
    tokio::time::sleep_until(until.into()).await;
    attempts.push(Attempt {
        what: "WebHDFS GETFILESTATUS with the genuine token after its renew interval passed unrenewed (expired)".into(),
        outcome: namenode_outcome(try_token(genuine).await, false),
    });
    attempts
}

/// bob tries to read what alice's application wrote in her home.
async fn bob_reads_alice(ctx: &Context<'_>) -> Attempt {
    let run = match ctx.alice_run().await {
        Ok(r) => r,
        Err(e) => {
            return Attempt {
                what: "bob reads alice's output".into(),
                outcome: Outcome::NotTried(format!("alice's application could not be run: {e}")),
            }
        }
    };
    let what = format!("bob opens alice's {}", run.output_path);
    let bob = match ctx.credential("bob") {
        Ok(c) => c,
        Err(e) => return Attempt { what, outcome: Outcome::NotTried(e.to_string()) },
    };
    let auth = ctx.cluster.auth_for("bob", bob.as_ref());
    let outcome = match ctx.cluster.webhdfs().open(&run.output_path, auth, None).await {
        Ok(_) => Outcome::Accepted("bob read it".into()),
        Err(HttpError::Status { status: 401 | 403, body, .. }) => Outcome::Refused(body.chars().take(200).collect()),
        Err(e @ HttpError::Status { .. }) => Outcome::Unclear(e.to_string()),
        Err(e) => Outcome::NotTried(e.to_string()),
    };
    Attempt { what, outcome }
}

/// T6's judgment: an accepted attempt or an application at the RM is a FAIL; an answer that is
/// not a refusal is a FAIL; otherwise an attempt that could not be made leaves the item
/// SKIPPED (it shows nothing); PASS only when every attempt was made and refused.
pub fn judge_t6(attempts: &[Attempt], name: &str, rm_apps: &Result<Vec<String>, String>) -> Verdict {
    let mut evidence: Vec<Evidence> = attempts
        .iter()
        .map(|a| {
            let (label, text) = match &a.outcome {
                Outcome::Refused(t) => ("refused", t),
                Outcome::Accepted(t) => ("ACCEPTED", t),
                Outcome::Unclear(t) => ("not a refusal", t),
                Outcome::NotTried(t) => ("not tried", t),
                Outcome::ControlWorked(t) => ("worked, as a control should", t),
            };
            Evidence::new("attempt", a.what.clone(), format!("{label}: {text}"))
        })
        .collect();
    let mut failures: Vec<String> = Vec::new();
    let mut untried: Vec<String> = Vec::new();
    for a in attempts {
        match &a.outcome {
            Outcome::Accepted(t) => failures.push(format!("{} was let through ({t})", a.what)),
            Outcome::Unclear(t) => failures.push(format!("{} answered {t}, which is not a refusal of credentials", a.what)),
            Outcome::NotTried(t) => untried.push(format!("{} ({t})", a.what)),
            Outcome::Refused(_) | Outcome::ControlWorked(_) => {}
        }
    }
    match rm_apps {
        Ok(apps) => {
            evidence.push(Evidence::new("app", format!("applications named {name} at the ResourceManager"), apps.len().to_string()));
            failures.extend(apps.iter().map(|a| format!("{a} was submitted")));
        }
        Err(e) => untried.push(format!("the ResourceManager's list of applications ({e})")),
    }
    if !failures.is_empty() {
        return Verdict::fail(failures.join("; "), evidence);
    }
    if !untried.is_empty() {
        return Verdict {
            status: crate::verdict::Status::Skipped,
            reason: format!("every attempt made was refused, but not tried: {}", untried.join("; ")),
            evidence,
        };
    }
    let refused: Vec<&str> = attempts.iter().filter(|a| matches!(a.outcome, Outcome::Refused(_))).map(|a| a.what.as_str()).collect();
    let controls: Vec<&str> = attempts.iter().filter(|a| matches!(a.outcome, Outcome::ControlWorked(_))).map(|a| a.what.as_str()).collect();
    let controls = if controls.is_empty() { String::new() } else { format!(" (the controls worked: {})", controls.join("; ")) };
    Verdict::pass(
        format!(
            "every attempt without valid credentials reached its target and was refused: {}{controls}; the ResourceManager holds no application named {name}",
            refused.join("; ")
        ),
        evidence,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verdict::Status;

    fn command_run(output: &str, code: Option<i64>, application_id: Option<&str>) -> CommandRun {
        CommandRun {
            command: "yarn jar c.jar".into(),
            code,
            output: output.into(),
            application_id: application_id.map(str::to_string),
            waited: Duration::from_secs(120),
            dir: "/tmp/x".into(),
        }
    }

    #[test]
    fn a_command_without_credentials_is_refused_only_if_it_launched_nothing() {
        let refused = "INFO retry.RetryInvocationHandler: java.io.IOException: Failed on local exception: org.apache.hadoop.security.AccessControlException: Client cannot authenticate via:[TOKEN, KERBEROS]";
        assert!(matches!(classify_command(&command_run(refused, Some(1), None)), Outcome::Refused(_)));
        assert!(matches!(classify_command(&command_run(refused, None, None)), Outcome::Refused(s) if s.contains("still retrying")));
        assert!(matches!(
            classify_command(&command_run("Submitted application application_1_0001", Some(0), Some("application_1_0001"))),
            Outcome::Accepted(_)
        ));
        // Submitted and then failed: still launched.
        assert!(matches!(classify_command(&command_run(refused, Some(1), Some("application_1_0002"))), Outcome::Accepted(_)));
        assert!(matches!(classify_command(&command_run("done", Some(0), None)), Outcome::Unclear(_)));
        // A client that cannot start refused nothing.
        let missing = "Error: Unable to access jarfile /team/client.jar";
        assert!(matches!(classify_command(&command_run(missing, Some(1), None)), Outcome::Unclear(s) if s.contains("no refusal")));
        // yarnsec's own kinit failing is not the submitter's doing.
        let setup = "yarnsec edge: no short ticket for alice@R";
        assert!(matches!(classify_command(&command_run(setup, Some(77), None)), Outcome::NotTried(_)));
        assert!(matches!(classify_command(&command_run("sleeping", None, None)), Outcome::Unclear(_)));
    }

    fn attempt(outcome: Outcome) -> Attempt {
        Attempt { what: "POST /api/submit without credentials".into(), outcome }
    }

    #[test]
    fn t6_table() {
        let refused = attempt(Outcome::Refused("401".into()));
        assert_eq!(judge_t6(std::slice::from_ref(&refused), "n", &Ok(vec![])).status, Status::Pass);
        assert_eq!(judge_t6(&[refused.clone(), attempt(Outcome::Accepted("303".into()))], "n", &Ok(vec![])).status, Status::Fail);
        // A 404 (the wrong endpoint) or a 500 is not a refusal.
        assert_eq!(judge_t6(&[attempt(Outcome::Unclear("404".into()))], "n", &Ok(vec![])).status, Status::Fail);
        // A network error is no refusal either: not tried.
        let v = judge_t6(&[refused.clone(), attempt(Outcome::NotTried("connection refused".into()))], "n", &Ok(vec![]));
        assert_eq!(v.status, Status::Skipped);
        assert!(v.reason.contains("not tried") && v.reason.contains("connection refused"), "{}", v.reason);
        assert_eq!(judge_t6(std::slice::from_ref(&refused), "n", &Ok(vec!["application_1_0009 (user alice)".into()])).status, Status::Fail);
        assert_eq!(judge_t6(&[refused], "n", &Err("403".into())).status, Status::Skipped);
    }

    #[test]
    fn statuses_are_classified() {
        assert!(matches!(namenode_outcome(Ok(()), false), Outcome::Accepted(_)));
        assert!(matches!(namenode_outcome(Ok(()), true), Outcome::ControlWorked(_)));
        let status = |s: u16| HttpError::Status { method: "GET".into(), url: "u".into(), status: s, body: "InvalidToken".into() };
        assert!(matches!(namenode_outcome(Err(status(403)), false), Outcome::Refused(_)));
        assert!(matches!(namenode_outcome(Err(status(500)), false), Outcome::Unclear(_)));
        assert!(matches!(namenode_outcome(Err(status(403)), true), Outcome::Unclear(_)));
    }
}
