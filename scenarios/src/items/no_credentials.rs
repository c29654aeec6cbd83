//! T6: without Kerberos credentials, the application does not launch. yarnsec attempts
//! submissions through the submitter's own contract without valid credentials (a web service: no
//! credentials, a forged SPNEGO token, alice's ticket after it expired; a command: alice with no
//! ticket, and with one that expired), all under one application name of their own, then asks
//! the cluster whether anything launched for them:
//!
//! - an application at the ResourceManager carrying that name, of any user (or, for a web service
//!   that names its applications itself, a new application that appeared during an attempt and
//!   that no other submission of this run claimed);
//! - for a web service this run alone uses: a delegation token any issuer created at the
//!   service's request during an attempt, and a file the NameNode's audit log shows the service
//!   creating then (a staging write).
//!
//! How the submitter said no (a 401, a 500 for a forged token, a client that exits before it
//! contacts the cluster, a `GSSError`) is evidence, quoted in the reason, never the verdict.
//! Around the submitter, the cluster's own refusals are shown as evidence: carol (no principal)
//! gets no ticket, the NameNode refuses a forged and an expired delegation token, bob cannot read
//! alice's files.

use std::path::Path;
use std::time::Duration;

use yarnsec_hadoop::http::{Auth, HttpError, HttpResponse};

use crate::context::Context;
use crate::facts::issued::{IssuedTokens, Requester};
use crate::verdict::{Evidence, Verdict};
use yarnsec_submitter::clock::epoch_ms;
use yarnsec_submitter::command::{CommandRun, Script, Ticket};
use yarnsec_submitter::service::Request;

/// How the submitter answered one attempt: evidence of how it said no.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Said {
    /// A refusal of credentials: 401 or 403, or a client that exited naming the cluster's
    /// refusal (or still retrying after it).
    Refused(String),
    /// Any other answer (a 2xx or 3xx, a 500, an exit code without a word of credentials).
    Other(String),
    /// The attempt could not be made (the reason).
    NotMade(String),
}

/// One attempt without valid credentials.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attempt {
    /// What was tried.
    pub what: String,
    /// How the submitter answered.
    pub said: Said,
    /// When it was under way (ms since the epoch), while no other web submission of this run was.
    pub window: Option<(i64, i64)>,
    /// The application the attempt itself led to, if the submitter named one the ResourceManager
    /// knows (a command's output).
    pub launched: Option<String>,
}

/// What the cluster shows launched for the attempts. `None`: not looked for (see the reason's
/// note); `Err`: could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Launches {
    /// Applications at the ResourceManager carrying the attempts' name, or new and unclaimed
    /// during an attempt (`id (name, user)`).
    pub apps: Result<Vec<String>, String>,
    /// Delegation tokens issued at the submitter's request during an attempt.
    pub tokens: Option<Result<Vec<String>, String>>,
    /// Files the submitter created in HDFS during an attempt (audit lines).
    pub staging: Option<Result<Vec<String>, String>>,
    /// Why tokens and staging writes were not looked for, when they were not.
    pub not_looked: Option<String>,
    /// Whether new applications during an attempt were looked for (a web service that does not
    /// name its applications as asked), beside those of the attempts' name.
    pub by_window: bool,
}

/// One of the cluster's own refusals around the submitter (evidence only).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Control {
    /// What was tried.
    pub what: String,
    /// How it ended.
    pub outcome: Outcome,
}

/// How a control ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Refused (status for HTTP, the error otherwise).
    Refused(String),
    /// Let through.
    Accepted(String),
    /// Neither yes nor a refusal of credentials.
    Unclear(String),
    /// Could not be made.
    NotTried(String),
    /// The genuine token worked, as it should.
    ControlWorked(String),
}

/// How a web service answered an attempt: 401/403 refuse; anything else is another answer.
pub fn said_http(r: &Result<HttpResponse, HttpError>) -> Said {
    match r {
        Ok(r) => {
            let location = r.header("location").map(|l| format!(", Location: {l}")).unwrap_or_default();
            let summary = format!("{}{location} {}", r.status.as_u16(), r.text().chars().take(200).collect::<String>());
            match r.status.as_u16() {
                401 | 403 => Said::Refused(summary),
                _ => Said::Other(summary),
            }
        }
        Err(e) => Said::NotMade(format!("the request did not reach the service: {e}")),
    }
}

/// How long a submit command without valid credentials may take to give up (a JVM client
/// retries its SASL handshake a few times).
const COMMAND_REFUSAL_WAIT: Duration = Duration::from_secs(120);

/// What Hadoop's clients log when the cluster refuses their credentials (SASL at the RPC
/// server, the KDC, the JVM's GSSAPI, Python's gssapi).
const REFUSALS: [&str; 6] = [
    "Client cannot authenticate via",
    "AccessControlException",
    "GSSException",
    "Failed to find any Kerberos tgt",
    "GSSError",
    "No Kerberos credentials",
];

/// How a submit command without valid credentials answered: it exited naming the cluster's
/// refusal, or is still retrying after it (refused); anything else is another answer; yarnsec's
/// own preparation failed (not made). Whether it launched is the cluster's to say.
pub fn said_command(run: &CommandRun) -> Said {
    if let Some(line) = run.setup_failure() {
        return Said::NotMade(format!("yarnsec's own preparation failed: {line}"));
    }
    let refusal =
        run.output.lines().find(|l| REFUSALS.iter().any(|r| l.contains(r))).map(|l| l.trim().chars().take(300).collect::<String>());
    let last: String = run.telling_line().chars().take(300).collect();
    match (run.code, refusal) {
        (Some(code), Some(line)) => Said::Refused(format!("exited {code} after the cluster refused it: {line}")),
        (None, Some(line)) => Said::Refused(format!(
            "still retrying after {} s (stopped by yarnsec) after the cluster refused it: {line}",
            run.waited.as_secs()
        )),
        (Some(code), None) => Said::Other(format!("exited {code}: {last}")),
        (None, None) => Said::Other(format!("still running after {} s: {last}", run.waited.as_secs())),
    }
}

/// T6: the attempts, what the cluster shows of them, then the judgment.
pub async fn t6(ctx: &Context<'_>) -> Verdict {
    if !ctx.cluster.profile().kerberos() {
        return Verdict::not_applicable("this profile has no Kerberos credentials to lack");
    }
    // Every attempt carries an application name of its own, so that applications other tests
    // run at the same time can neither be mistaken for one of ours nor hide one.
    let began_ms = epoch_ms();
    let name = format!("yarnsec-t6-{}", yarnsec_submitter::clock::unique_nanos());
    let workload = ctx.service.workload;
    let script = match ctx.workload_file(&yarnsec_submitter::workload::Run::Harmless).await {
        Ok(file) => file,
        Err(e) => return e.verdict(),
    };
    let script = script.as_slice();
    let target = ctx.service.submit_target();
    let (name, target) = (name.as_str(), target.as_str());
    let attempts = async {
        match &ctx.service.command {
            Some(command) => {
                let attempt = |ticket: Ticket, how: &'static str| async move {
                    let script = Script { content: script, file_name: workload.file_name() };
                    match command.attempt(ctx.cluster, "alice", ticket, script, name, COMMAND_REFUSAL_WAIT).await {
                        Ok(run) => {
                            command.stop(&run).await;
                            let launched = run.application_id().map(str::to_string);
                            Attempt { what: format!("{target} as alice {how}"), said: said_command(&run), window: None, launched }
                        }
                        Err(e) => Attempt {
                            what: format!("{target} as alice {how}"),
                            said: Said::NotMade(e.to_string()),
                            window: None,
                            launched: None,
                        },
                    }
                };
                let (none, expired) = tokio::join!(
                    attempt(Ticket::None, "with no ticket"),
                    attempt(Ticket::Expired, "with a ticket that expired (kinit -l 3s -r 3s, run 5 s later)")
                );
                vec![none, expired]
            }
            None => web_attempts(ctx, name, script, target).await,
        }
    };
    // The cluster's own refusals go beside the attempts: they ask the KDC and the NameNode from
    // this host, not through the service, so nothing they cause is tied to an attempt.
    let (attempts, controls) = tokio::join!(attempts, controls(ctx));
    let launches = launches(ctx, name, began_ms, &attempts).await;
    judge_t6(&attempts, &launches, &controls, name)
}

/// The web service's three attempts, each under the turn of the run's web submissions.
async fn web_attempts(ctx: &Context<'_>, name: &str, script: &[u8], target: &str) -> Vec<Attempt> {
    let ledger = yarnsec_submitter::found::ledger(ctx.cluster.id());
    let send = |auth: Auth<'static>, headers: Option<reqwest::header::HeaderMap>| {
        let ledger = ledger.clone();
        async move {
            let _turn = ledger.turns().turn(&ctx.service.base_url, by_window(ctx)).await;
            let since = epoch_ms();
            let r = ctx.service.send(ctx.http(), &Request::new("alice", auth, script, name), headers).await;
            // The turn is held a while after the answer: a service that submits in the background
            // would launch then, and what launches in the window is this attempt's.
            tokio::time::sleep(settle(ctx)).await;
            (said_http(&r), Some((since, epoch_ms())))
        }
    };
    let mut attempts = Vec::new();
    // No ticket at all (carol's case too: she has no principal, so she can only come without one).
    let (said, window) = send(Auth::Anonymous, None).await;
    attempts.push(Attempt { what: format!("{target} without credentials"), said, window, launched: None });
    // A forged SPNEGO token: well-formed base64 with the SPNEGO header, and made-up contents.
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::AUTHORIZATION,
        reqwest::header::HeaderValue::from_static(
            "Negotiate YIIBAAYGKwYBBQUCeWFybnNlYy1mb3JnZWQtAQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYn",
        ),
    );
    let (said, window) = send(Auth::Anonymous, Some(headers)).await;
    attempts.push(Attempt { what: format!("{target} with a forged Negotiate token"), said, window, launched: None });
    attempts.push(expired_ticket(ctx, name, script, target).await);
    attempts
}

/// Whether what an attempt launched is looked for by when it appeared: for a web service that
/// does not name its applications as asked, of which no other process submits through it. Such
/// an attempt goes alone among the process's web submissions; the others wait only for the
/// service's own (tokens and staged files are tied to an attempt by the service's address).
fn by_window(ctx: &Context<'_>) -> bool {
    !ctx.service.is_command() && !ctx.service.shared && ctx.names_honored() != Some(true)
}

/// How long an attempt keeps the turn after the service answered (its `submit_wait`, at most 10 s).
fn settle(ctx: &Context<'_>) -> Duration {
    ctx.service.answer_wait.min(Duration::from_secs(10))
}

/// alice's ticket, obtained with a 3-second lifetime and used after it ran out. GSSAPI refuses an
/// expired ticket on the client side, as curl or a browser would; the request then goes out
/// without credentials, as theirs would.
async fn expired_ticket(ctx: &Context<'_>, name: &str, script: &[u8], target: &str) -> Attempt {
    let what = format!("{target} by alice whose ticket expired (kinit -l 3s, used 5 s later)");
    let not_made = |why: String| Attempt { what: what.clone(), said: Said::NotMade(why), window: None, launched: None };
    let dir = ctx.cluster.state_dir().join("t6");
    let _ = std::fs::create_dir_all(&dir);
    // A cache of this attempt's own: several checklists may run T6 at once in one process.
    let nanos = yarnsec_submitter::clock::unique_nanos();
    let ccache = dir.join(format!("alice-expired-{}-{nanos}.ccache", std::process::id()));
    let principal = format!("alice@{}", ctx.cluster.realm());
    let keytab = ctx.cluster.keytab_path("alice");
    if let Err(e) = yarnsec_submitter::kinit::kinit(Path::new("kinit"), &principal, &keytab, &ccache, Some(Duration::from_secs(3))).await {
        return not_made(format!("kinit -l 3s for {principal} failed (kinit is in krb5-user): {e}"));
    }
    tokio::time::sleep(Duration::from_secs(5)).await;
    let cache = format!("FILE:{}", ccache.display());
    let alice = yarnsec_hadoop::Principal::user("alice", ctx.cluster.realm());
    let cred = tokio::task::spawn_blocking(move || yarnsec_hadoop::Credential::from_ccache(alice, &cache)).await;
    let ledger = yarnsec_submitter::found::ledger(ctx.cluster.id());
    let _turn = ledger.turns().turn(&ctx.service.base_url, by_window(ctx)).await;
    let since = epoch_ms();
    let request = |auth| Request::new("alice", auth, script, name);
    let (said, note) = match &cred {
        Ok(Ok(cred)) => match ctx.service.send(ctx.http(), &request(Auth::Kerberos(cred)), None).await {
            // The ticket was still usable, so it went to the service.
            Ok(r) => (said_http(&Ok(r)), None),
            Err(local) => (said_http(&ctx.service.send(ctx.http(), &request(Auth::Anonymous), None).await), Some(local.to_string())),
        },
        Ok(Err(local)) => (said_http(&ctx.service.send(ctx.http(), &request(Auth::Anonymous), None).await), Some(local.to_string())),
        Err(e) => (Said::NotMade(e.to_string()), None),
    };
    tokio::time::sleep(settle(ctx)).await;
    let window = Some((since, epoch_ms()));
    let _ = std::fs::remove_file(&ccache);
    let said = match (said, note) {
        (said, None) => said,
        (Said::Refused(s), Some(n)) => {
            Said::Refused(format!("GSSAPI would not use the expired ticket ({n}); sent without credentials: {s}"))
        }
        (Said::Other(s), Some(n)) => Said::Other(format!("GSSAPI would not use the expired ticket ({n}); sent without credentials: {s}")),
        (not_made, Some(_)) => not_made,
    };
    Attempt { what, said, window, launched: None }
}

/// What the cluster shows launched for the attempts (see the module's documentation).
async fn launches(ctx: &Context<'_>, name: &str, began_ms: i64, attempts: &[Attempt]) -> Launches {
    // The windows are exact: the cluster dates what a request caused while the request is under
    // way, by the same clock, and the next submission of this run may begin a moment after.
    let windows: Vec<(i64, i64)> = attempts.iter().filter_map(|a| a.window).collect();
    let within = |ms: i64| windows.iter().any(|(from, to)| (*from..=*to).contains(&ms));
    // A web service that does not name its applications as asked can only be caught by what
    // appeared during an attempt that no other submission of this run claimed.
    let by_window = by_window(ctx);
    let claimed = yarnsec_submitter::found::ledger(ctx.cluster.id()).claimed();
    let apps = match yarnsec_submitter::found::started_since(ctx.cluster, began_ms).await {
        Ok(apps) => {
            let mut found: Vec<String> = attempts.iter().filter_map(|a| a.launched.clone()).collect();
            for app in apps {
                let ours = app.name == name || (by_window && within(app.started_time) && !claimed.contains(&app.id));
                if ours {
                    // The described form replaces a bare id a command's own run gave.
                    found.retain(|f| f != &app.id && !f.starts_with(&format!("{} (", app.id)));
                    found.push(format!("{} ({}, user {})", app.id, app.name, app.user));
                }
            }
            Ok(found)
        }
        Err(e) => Err(e.to_string()),
    };
    if ctx.service.is_command() || ctx.service.shared {
        let why = if ctx.service.is_command() {
            "a command-line submitter's other submissions run from the same edge node beside these attempts"
        } else {
            "other processes submit through the same service"
        };
        return Launches {
            apps,
            tokens: None,
            staging: None,
            not_looked: Some(format!("tokens and staging writes are not tied to the attempts: {why}")),
            by_window,
        };
    }
    let Some(address) = ctx.submitter_address() else {
        return Launches { apps, tokens: None, staging: None, not_looked: Some("the service's address is not known".into()), by_window };
    };
    let tokens = match IssuedTokens::observe(ctx.cluster).await {
        Ok(issued) => Ok(windows
            .iter()
            .flat_map(|(from, to)| issued.created_between(*from, *to))
            .filter(|t| matches!(issued.requester(&t.issuer.service, t.id.sequence_number), Some(Requester::Address(ip)) if *ip == address))
            .map(|t| format!("{}'s {} sequenceNumber={} for {}", t.issuer.name, t.id.kind, t.id.sequence_number, t.id.owner))
            .collect()),
        Err(e) => Err(e.to_string()),
    };
    let staging = match ctx.cluster.evidence().audit_log_lines(&["\tcmd=create\t"]).await {
        Ok(audit) => Ok(audit
            .lines()
            .filter(|l| l.contains("allowed=true") && l.contains("\tcmd=create\t") && l.contains(&format!("\tip=/{address}\t")))
            .filter(|l| yarnsec_hadoop::token::logged::log_time_ms(l).is_some_and(within))
            .map(str::to_string)
            .collect()),
        Err(e) => Err(e.to_string()),
    };
    Launches { apps, tokens: Some(tokens), staging: Some(staging), not_looked: None, by_window }
}

/// The cluster's own refusals around the submitter, as evidence.
async fn controls(ctx: &Context<'_>) -> Vec<Control> {
    // carol asks the KDC for a ticket.
    let carol = yarnsec_hadoop::Principal::user("carol", ctx.cluster.realm());
    let outcome = match tokio::task::spawn_blocking(move || yarnsec_hadoop::Credential::from_password(carol, "guess")).await {
        // Only the KDC's own "no such principal" is a refusal; an unreachable KDC refused nothing.
        Ok(Err(e)) if e.to_string().contains("not found in Kerberos database") => Outcome::Refused(e.to_string()),
        Ok(Err(e)) => Outcome::NotTried(format!("the KDC did not answer the question: {e}")),
        Ok(Ok(_)) => Outcome::Accepted("the KDC issued carol a ticket".into()),
        Err(e) => Outcome::NotTried(e.to_string()),
    };
    let mut controls = vec![Control { what: "carol (no principal) asks the KDC for a ticket".into(), outcome }];
    controls.extend(delegation_tokens(ctx).await);
    controls.push(bob_reads_alice(ctx).await);
    controls
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
async fn delegation_tokens(ctx: &Context<'_>) -> Vec<Control> {
    let genuine_what = "the genuine HDFS delegation token, fresh (control)".to_string();
    let cred = match ctx.credential("alice") {
        Ok(Some(c)) => c,
        Ok(None) => return vec![],
        Err(e) => return vec![Control { what: genuine_what, outcome: Outcome::NotTried(e.to_string()) }],
    };
    let fs = ctx.cluster.webhdfs();
    // Renewable by alice herself, not the ResourceManager: a token for direct use, which no
    // launch context is meant to hold (C5 counts the RM-renewable tokens of a submission).
    let request = yarnsec_hadoop::webhdfs::TokenRequest { renewer: Some("alice"), kind: None, service: None };
    let genuine = match fs.delegation_token(&request, Auth::Kerberos(&cred), None).await {
        Ok(t) => t,
        Err(e) => {
            return vec![Control {
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
    let mut attempts = vec![Control { what: genuine_what, outcome: namenode_outcome(try_token(genuine.clone()).await, true) }];
    // Forged: the genuine identifier with a password of our own.
    let forged_what = "WebHDFS GETFILESTATUS with a forged HDFS delegation token (genuine identifier, made-up password)".to_string();
    match yarnsec_hadoop::token::Token::decode_url_string(&genuine) {
        Ok(mut t) => {
            t.password.iter_mut().for_each(|b| *b = b.wrapping_add(1));
            attempts.push(Control { what: forged_what, outcome: namenode_outcome(try_token(t.encode_url_string()).await, false) });
        }
        Err(e) => {
            attempts.push(Control { what: forged_what, outcome: Outcome::NotTried(format!("the NameNode's token does not decode: {e}")) })
        }
    }
    // Expired: unused for longer than the renew interval.
    let renew = ctx.cluster.profile().token_renew_interval();
    let until = got + renew + Duration::from_secs(3);
    ctx.waiting("T6", format!("alice's HDFS delegation token expires unrenewed ({}s renew interval)", renew.as_secs()), until);
    tokio::time::sleep_until(until.into()).await;
    attempts.push(Control {
        what: "WebHDFS GETFILESTATUS with the genuine token after its renew interval passed unrenewed (expired)".into(),
        outcome: namenode_outcome(try_token(genuine).await, false),
    });
    attempts
}

/// bob tries to read what alice's application wrote in her home.
async fn bob_reads_alice(ctx: &Context<'_>) -> Control {
    let run = match ctx.alice_run().await {
        Ok(r) => r,
        Err(e) => {
            return Control {
                what: "bob reads alice's output".into(),
                outcome: Outcome::NotTried(format!("alice's application could not be run: {e}")),
            }
        }
    };
    let what = format!("bob opens alice's {}", run.output_path);
    let bob = match ctx.credential("bob") {
        Ok(c) => c,
        Err(e) => return Control { what, outcome: Outcome::NotTried(e.to_string()) },
    };
    let auth = ctx.cluster.auth_for("bob", bob.as_ref());
    let outcome = match ctx.cluster.webhdfs().open(&run.output_path, auth, None).await {
        Ok(_) => Outcome::Accepted("bob read it".into()),
        Err(HttpError::Status { status: 401 | 403, body, .. }) => Outcome::Refused(body.chars().take(200).collect()),
        Err(e @ HttpError::Status { .. }) => Outcome::Unclear(e.to_string()),
        Err(e) => Outcome::NotTried(e.to_string()),
    };
    Control { what, outcome }
}

/// T6's judgment: anything launched for an attempt (an application, a token issued at the
/// submitter's request, a staging write) is a FAIL; otherwise PASS when at least one attempt was
/// made and the cluster could be read, with how the submitter said no quoted (a 5xx or a 2xx is
/// no clean refusal, and the reason says so); SKIPPED when no attempt could be made or the
/// cluster could not say whether anything launched. The cluster's own refusals are evidence.
pub fn judge_t6(attempts: &[Attempt], launches: &Launches, controls: &[Control], name: &str) -> Verdict {
    let mut evidence: Vec<Evidence> = attempts
        .iter()
        .map(|a| {
            let (label, text) = match &a.said {
                Said::Refused(t) => ("refused", t),
                Said::Other(t) => ("answered", t),
                Said::NotMade(t) => ("not made", t),
            };
            Evidence::new("attempt", a.what.clone(), format!("{label}: {text}"))
        })
        .collect();
    let listed = |r: &Result<Vec<String>, String>| match r {
        Ok(v) if v.is_empty() => "(none)".to_string(),
        Ok(v) => v.join("\n"),
        Err(e) => format!("(could not be read: {e})"),
    };
    evidence.push(Evidence::new(
        "app",
        format!("applications at the ResourceManager from the attempts (named {name})"),
        listed(&launches.apps),
    ));
    if let Some(tokens) = &launches.tokens {
        evidence.push(Evidence::new("token", "delegation tokens issued at the service's request during the attempts", listed(tokens)));
    }
    if let Some(staging) = &launches.staging {
        evidence.push(Evidence::new("audit_log", "files the service created in HDFS during the attempts", listed(staging)));
    }
    for c in controls {
        let (label, text) = match &c.outcome {
            Outcome::Refused(t) => ("refused", t),
            Outcome::Accepted(t) => ("ACCEPTED", t),
            Outcome::Unclear(t) => ("not a refusal", t),
            Outcome::NotTried(t) => ("not tried", t),
            Outcome::ControlWorked(t) => ("worked, as a control should", t),
        };
        evidence.push(Evidence::new("control", format!("the cluster: {}", c.what), format!("{label}: {text}")));
    }
    let mut launched = Vec::new();
    if let Ok(apps) = &launches.apps {
        launched.extend(apps.iter().map(|a| format!("the application {a}")));
    }
    if let Some(Ok(tokens)) = &launches.tokens {
        launched.extend(tokens.iter().map(|t| format!("the token {t}")));
    }
    if let Some(Ok(staging)) = &launches.staging {
        if !staging.is_empty() {
            launched.push(format!(
                "{} file(s) the service created in HDFS ({})",
                staging.len(),
                staging[0].split('\t').find(|f| f.starts_with("src=")).unwrap_or("")
            ));
        }
    }
    if !launched.is_empty() {
        return Verdict::fail(format!("something launched for a submission without valid credentials: {}", launched.join("; ")), evidence);
    }
    let made: Vec<&Attempt> = attempts.iter().filter(|a| !matches!(a.said, Said::NotMade(_))).collect();
    if made.is_empty() {
        let why: Vec<String> = attempts
            .iter()
            .map(|a| {
                format!(
                    "{} ({})",
                    a.what,
                    match &a.said {
                        Said::NotMade(t) => t.as_str(),
                        _ => "",
                    }
                )
            })
            .collect();
        return Verdict::skipped_with(format!("no attempt without credentials could be made: {}", why.join("; ")), evidence);
    }
    let unread: Vec<String> = [
        Some(("the ResourceManager's applications", &launches.apps)),
        launches.tokens.as_ref().map(|t| ("the issuers' logs", t)),
        launches.staging.as_ref().map(|s| ("the NameNode's audit log", s)),
    ]
    .into_iter()
    .flatten()
    .filter_map(|(what, r)| r.as_ref().err().map(|e| format!("{what} ({e})")))
    .collect();
    if !unread.is_empty() {
        return Verdict::skipped_with(
            format!("whether anything launched cannot be shown: {} could not be read", unread.join(", ")),
            evidence,
        );
    }
    let how: Vec<String> = made
        .iter()
        .map(|a| match &a.said {
            Said::Refused(t) => format!("{}: refused ({})", a.what, t.chars().take(120).collect::<String>().trim()),
            Said::Other(t) => format!("{}: answered {}", a.what, t.chars().take(120).collect::<String>().trim()),
            Said::NotMade(_) => String::new(),
        })
        .collect();
    let unclean: Vec<&str> = made.iter().filter(|a| matches!(a.said, Said::Other(_))).map(|a| a.what.as_str()).collect();
    let mut reason = format!(
        "nothing launched for {} attempt(s) without valid credentials: no application named {name}{} at the ResourceManager{}. How the submitter said no: {}",
        made.len(),
        if launches.by_window { " (nor any new one during an attempt)" } else { "" },
        if launches.tokens.is_some() { ", no delegation token issued and no file created in HDFS at the service's request during them" } else { "" },
        how.join("; ")
    );
    if !unclean.is_empty() {
        reason.push_str(&format!(
            ". Not a clean refusal (a 401 tells a user which credential is missing; a 5xx or a success page does not): {}",
            unclean.join("; ")
        ));
    }
    let not_made: Vec<&str> = attempts.iter().filter(|a| matches!(a.said, Said::NotMade(_))).map(|a| a.what.as_str()).collect();
    if !not_made.is_empty() {
        reason.push_str(&format!(". Not made: {}", not_made.join("; ")));
    }
    if let Some(why) = &launches.not_looked {
        reason.push_str(&format!(" ({why})"));
    }
    Verdict::pass(reason, evidence)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verdict::Status;
    use yarnsec_hadoop::yarn::App;
    use yarnsec_submitter::found::FoundBy;

    fn command_run(output: &str, code: Option<i64>, found: Option<&str>) -> CommandRun {
        CommandRun {
            command: "yarn jar c.jar".into(),
            code,
            output: output.into(),
            found: found.map(|id| {
                let app = App {
                    id: id.into(),
                    user: "alice".into(),
                    name: "n".into(),
                    queue: "default".into(),
                    state: "FAILED".into(),
                    final_status: "FAILED".into(),
                    tracking_url: None,
                    diagnostics: None,
                    started_time: 1,
                    finished_time: 2,
                };
                (app, FoundBy::Name)
            }),
            notes: Vec::new(),
            waited: Duration::from_secs(120),
            dir: "/tmp/x".into(),
        }
    }

    #[test]
    fn how_a_command_said_no_is_read_from_its_output() {
        let refused = "INFO retry.RetryInvocationHandler: java.io.IOException: Failed on local exception: org.apache.hadoop.security.AccessControlException: Client cannot authenticate via:[TOKEN, KERBEROS]";
        assert!(matches!(said_command(&command_run(refused, Some(1), None)), Said::Refused(_)));
        assert!(matches!(said_command(&command_run(refused, None, None)), Said::Refused(s) if s.contains("still retrying")));
        // A Python client's own wording is a refusal too.
        let python =
            "gssapi.raw.misc.GSSError: Major (851968): Unspecified GSS failure. Minor (2529639053): No Kerberos credentials available";
        assert!(matches!(said_command(&command_run(python, Some(1), None)), Said::Refused(_)));
        // A client that checks for a ticket itself and exits before contacting the cluster.
        let klist = "klist: No credentials cache found (filename: /tmp/x/no-ticket)";
        assert!(
            matches!(said_command(&command_run(klist, Some(1), None)), Said::Other(s) if s.contains("exited 1") && s.contains("No credentials cache"))
        );
        let setup = "yarnsec edge: no short ticket for alice@R";
        assert!(matches!(said_command(&command_run(setup, Some(77), None)), Said::NotMade(_)));
    }

    fn attempt(said: Said) -> Attempt {
        Attempt { what: "POST /api/submit without credentials".into(), said, window: Some((1_000, 2_000)), launched: None }
    }

    fn nothing() -> Launches {
        Launches { apps: Ok(vec![]), tokens: Some(Ok(vec![])), staging: Some(Ok(vec![])), not_looked: None, by_window: true }
    }

    #[test]
    fn t6_passes_when_nothing_launched_however_the_submitter_said_no() {
        let v = judge_t6(&[attempt(Said::Refused("401".into()))], &nothing(), &[], "n");
        assert_eq!(v.status, Status::Pass, "{}", v.reason);
        // A 500 for a forged token, a client's exit: nothing launched, so PASS, with a line on it.
        let v = judge_t6(
            &[attempt(Said::Refused("401".into())), attempt(Said::Other("500 GSSException: Defective token".into()))],
            &nothing(),
            &[],
            "n",
        );
        assert_eq!(v.status, Status::Pass, "{}", v.reason);
        assert!(v.reason.contains("500 GSSException") && v.reason.contains("Not a clean refusal"), "{}", v.reason);
        // A success page that launched nothing (a login form) is no launch either.
        assert_eq!(judge_t6(&[attempt(Said::Other("302, Location: /login".into()))], &nothing(), &[], "n").status, Status::Pass);
        // An attempt that could not be made is said, and the others stand.
        let v = judge_t6(&[attempt(Said::Refused("401".into())), attempt(Said::NotMade("kinit failed".into()))], &nothing(), &[], "n");
        assert_eq!(v.status, Status::Pass);
        assert!(v.reason.contains("Not made"), "{}", v.reason);
    }

    #[test]
    fn t6_fails_on_anything_launched_and_skips_on_nothing_seen() {
        let refused = [attempt(Said::Refused("401".into()))];
        let app = Launches { apps: Ok(vec!["application_1_0009 (n, user alice)".into()]), ..nothing() };
        let v = judge_t6(&refused, &app, &[], "n");
        assert_eq!(v.status, Status::Fail);
        assert!(v.reason.contains("application_1_0009"), "{}", v.reason);
        // A token issued at the service's request, even when the submission then failed.
        let token = Launches { tokens: Some(Ok(vec!["NameNode's HDFS_DELEGATION_TOKEN sequenceNumber=4 for alice".into()])), ..nothing() };
        assert_eq!(judge_t6(&refused, &token, &[], "n").status, Status::Fail);
        let staged = Launches {
            staging: Some(Ok(vec!["allowed=true\tugi=alice\tip=/1.2.3.4\tcmd=create\tsrc=/user/alice/.staging/x".into()])),
            ..nothing()
        };
        assert_eq!(judge_t6(&refused, &staged, &[], "n").status, Status::Fail);
        // Nothing could be tried, or the cluster could not be read: not shown.
        assert_eq!(judge_t6(&[attempt(Said::NotMade("connection refused".into()))], &nothing(), &[], "n").status, Status::Skipped);
        let unread = Launches { apps: Err("503".into()), ..nothing() };
        assert_eq!(judge_t6(&refused, &unread, &[], "n").status, Status::Skipped);
        // The cluster's own controls are evidence, not the verdict.
        let carol = Control { what: "carol asks the KDC".into(), outcome: Outcome::NotTried("KDC down".into()) };
        assert_eq!(judge_t6(&refused, &nothing(), &[carol], "n").status, Status::Pass);
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
