//! Testing items (T1–T9): the application on the secure cluster, as the cluster shows it.

use std::path::Path;
use std::time::Duration;

use yarnsec_hadoop::http::{Auth, HttpResponse};

use super::require_kerberos;
use crate::context::{app_evidence, Context};
use crate::verdict::{Evidence, Verdict};

fn exchange(what: &str, r: &HttpResponse) -> Evidence {
    let body: String = r.text().chars().take(300).collect();
    Evidence::new("http", what, format!("{} {}\n{}", r.status.as_u16(), r.url, body))
}

/// T1: the application launches and completes on the secure cluster.
pub async fn t1(ctx: &Context<'_>) -> Verdict {
    if !ctx.cluster.profile().kerberos() {
        return Verdict::not_applicable("this profile is not a secure cluster");
    }
    let run = or_verdict!(ctx.alice().await);
    Verdict::check(
        run.app.state == "FINISHED" && run.app.final_status == "SUCCEEDED",
        format!(
            "{} ran to FINISHED/SUCCEEDED in {:.0} s on a {} cluster",
            run.app.id,
            run.took.as_secs_f64(),
            ctx.cluster.profile().name()
        ),
        format!("{} ended {}/{}", run.app.id, run.app.state, run.app.final_status),
        vec![app_evidence(&run.app)],
    )
}

/// T2: the application runs as the submitting user, for alice and for bob.
pub async fn t2(ctx: &Context<'_>) -> Verdict {
    let alice = or_verdict!(ctx.alice().await);
    let bob = match ctx.run_as("bob").await {
        Ok(r) => r,
        Err(e) => return Verdict::fail(format!("bob's application could not be run: {e}"), vec![]),
    };
    let mut problems = Vec::new();
    let mut evidence = Vec::new();
    for (user, run) in [("alice", alice), ("bob", &bob)] {
        evidence.push(app_evidence(&run.app));
        evidence.push(Evidence::new("log", format!("{user}'s container stdout"), run.worker_stdout.clone()));
        if run.app.user != user {
            problems.push(format!("the ResourceManager runs {}'s application as `{}`", user, run.app.user));
        }
        if !run.worker_stdout.contains(&format!("USER={user}")) {
            problems.push(format!("{user}'s container does not run with USER={user}"));
        }
        let audit = ctx.cluster.evidence().audit_lines(&run.output_path).await.unwrap_or_default();
        let created = audit.iter().filter(|l| l.contains("cmd=create") || l.contains("cmd=rename")).cloned().collect::<Vec<_>>();
        if !created.iter().any(|l| l.contains(&format!("ugi={user}"))) {
            problems.push(format!("the NameNode audit log shows no write of {} by ugi={user}", run.output_path));
        }
        evidence.push(Evidence::new("audit_log", format!("NameNode audit: {}", run.output_path), created.join("\n")));
        if ctx.cluster.profile().kerberos() {
            let staged = ctx.cluster.evidence().audit_lines(&format!("/user/{user}/yarnsec/{}", run.app.id)).await.unwrap_or_default();
            evidence.push(Evidence::new(
                "audit_log",
                format!("NameNode audit: {user}'s staged script"),
                staged.iter().take(4).cloned().collect::<Vec<_>>().join("\n"),
            ));
            if !staged.iter().any(|l| l.contains(&format!("ugi={user} ")) && l.contains("proto=webhdfs")) {
                problems.push(format!("the service did not stage the script as {user}"));
            }
        }
    }
    Verdict::check(
        problems.is_empty(),
        "alice's and bob's applications run as themselves: ResourceManager user, the container's USER, and HDFS identity (audit ugi=) all match the submitter",
        problems.join("; "),
        evidence,
    )
}

/// T4: REST GETs as alice succeed, anonymous ones are refused.
pub async fn t4(ctx: &Context<'_>) -> Verdict {
    let run = or_verdict!(ctx.alice().await);
    let cred = or_verdict!(ctx.credential_or_fail("alice"));
    let alice = ctx.cluster.auth_for("alice", cred.as_ref());
    let layout = ctx.cluster.layout();
    let urls = [
        format!("{}/ws/v1/cluster/apps/{}", layout.hadoop_url(8088), run.app.id),
        format!("{}/ws/v1/timeline/", layout.hadoop_url(8188)),
        format!("{}/", ctx.service.base_url),
    ];
    let mut evidence = Vec::new();
    let mut problems = Vec::new();
    for url in &urls {
        for (who, auth, want_ok) in [("alice", alice, true), ("anonymous", Auth::Anonymous, false)] {
            match ctx.http().get(url, auth).await {
                Ok(r) => {
                    let ok = r.status.is_success();
                    if ok != want_ok || (!want_ok && r.status.as_u16() != 401 && ctx.cluster.profile().kerberos()) {
                        problems.push(format!("GET {url} as {who} answered {}", r.status));
                    }
                    evidence.push(exchange(&format!("GET as {who}"), &r));
                }
                Err(e) => problems.push(format!("GET {url} as {who}: {e}")),
            }
        }
    }
    Verdict::check(
        problems.is_empty(),
        "REST GETs on the application, the timeline server and the service answer alice (200) and refuse anonymous callers (401)",
        problems.join("; "),
        evidence,
    )
}

/// T5: the application keeps running after the submitter's Kerberos ticket expired and past at
/// least two delegation-token renew intervals, and at its end still writes to her HDFS home.
pub async fn t5(ctx: &Context<'_>) -> Verdict {
    or_verdict!(require_kerberos(ctx));
    let profile = ctx.cluster.profile();
    let (ticket, renew, max) = (profile.ticket_lifetime(), profile.token_renew_interval(), profile.token_max_lifetime());
    // Outlive the ticket and two renew intervals, and still end well inside the max lifetime.
    let delay = ticket.max(renew * 2) + Duration::from_secs(15);
    if delay + Duration::from_secs(30) >= max {
        return Verdict::not_applicable(format!(
            "this profile's token max lifetime ({}s) leaves no room to outlive both the ticket ({}s) and two renew intervals ({}s)",
            max.as_secs(),
            ticket.as_secs(),
            renew.as_secs()
        ));
    }
    // alice logs in once, with her password: nothing renews this ticket.
    let alice = or_verdict!(ctx.cluster.user("alice").map_err(|e| Verdict::fail(e.to_string(), vec![])));
    let once = or_verdict!(alice.login_once().map_err(|e| Verdict::fail(e.to_string(), vec![])));
    let ticket_left = once.remaining_lifetime().unwrap_or_default();
    let watcher = or_verdict!(ctx.credential_or_fail("alice"));
    let watch = ctx.cluster.auth_for("alice", watcher.as_ref());
    ctx.waiting(
        "T5",
        format!("alice's application outlives her {}s ticket and two {}s token renew intervals", ticket.as_secs(), renew.as_secs()),
        std::time::Instant::now() + delay,
    );
    let run = match ctx.run_with("alice", Auth::Kerberos(&once), watch, delay).await {
        Ok(r) => r,
        Err(e) => return Verdict::fail(format!("the long application could not be run: {e}"), vec![]),
    };
    let expired = once.remaining_lifetime().map(|d| d.is_zero()).unwrap_or(true);
    let mut evidence = vec![
        app_evidence(&run.app),
        Evidence::new("log", "alice's container stdout (the write comes after the sleep)", run.worker_stdout.clone()),
        Evidence::new(
            "timing",
            "lifetimes outlived",
            format!(
                "ticket left at submission {}s (lifetime {}s); token renew interval {}s, max lifetime {}s; the script slept {}s; submission to end {:.0}s; alice's ticket expired by the end: {expired}",
                ticket_left.as_secs(),
                ticket.as_secs(),
                renew.as_secs(),
                max.as_secs(),
                delay.as_secs(),
                run.took.as_secs_f64()
            ),
        ),
    ];
    // The RM's renewals of this application's HDFS token, as its log shows them.
    if let Some((seq, renewals)) = crate::context::rm_renewals(ctx.cluster, run.am_tokens.as_ref()).await {
        evidence.push(Evidence::new(
            "log",
            format!("ResourceManager renewals of the HDFS token (sequence number {seq})"),
            renewals.join("\n"),
        ));
    }
    Verdict::check(
        run.app.final_status == "SUCCEEDED" && run.worker_stdout.contains("put=ok") && expired && run.took > ticket.max(renew * 2),
        format!(
            "the application ran {:.0}s, past alice's {}s ticket (expired, never renewed) and {} renew intervals of its {}s delegation token, and its last act, a write to /user/alice, succeeded",
            run.took.as_secs_f64(),
            ticket.as_secs(),
            run.took.as_secs() / renew.as_secs().max(1),
            renew.as_secs()
        ),
        "the application did not survive the ticket's expiry and the token renewals (see the app and its output)",
        evidence,
    )
}

/// alice's ticket, obtained with a 3-second lifetime and used after it ran out.
async fn expired_ticket(ctx: &Context<'_>, name: &str, script: &str, problems: &mut Vec<String>, evidence: &mut Vec<Evidence>) {
    let dir = ctx.artifacts().join("T6");
    let _ = std::fs::create_dir_all(&dir);
    let ccache = dir.join(format!("alice-expired-{}.ccache", std::process::id()));
    let principal = format!("alice@{}", ctx.cluster.realm());
    let keytab = ctx.cluster.keytab_path("alice");
    let lifetime = Some(Duration::from_secs(3));
    if let Err(e) = crate::kinit::kinit(Path::new("kinit"), &principal, &keytab, &ccache, lifetime).await {
        problems.push(format!("kinit -l 3s for {principal} failed (kinit is in krb5-user): {e}"));
        return;
    }
    // Wait for the ticket's end, as a user whose ticket ran out during a coffee break.
    tokio::time::sleep(Duration::from_secs(5)).await;
    let cache = format!("FILE:{}", ccache.display());
    let alice = yarnsec_hadoop::Principal::user("alice", ctx.cluster.realm());
    let cred = tokio::task::spawn_blocking(move || yarnsec_hadoop::Credential::from_ccache(alice, &cache)).await;
    let outcome = match cred {
        Ok(Ok(cred)) => match ctx.service.submit_raw(ctx.http(), Auth::Kerberos(&cred), script, name).await {
            Ok(r) if r.status.is_success() => {
                problems.push("a submission with an expired ticket was accepted".into());
                format!("{} {}", r.status, r.text())
            }
            Ok(r) => format!("{} {}", r.status, r.text()),
            Err(e) => format!("refused before reaching the service: {e}"),
        },
        Ok(Err(e)) => format!("the expired ticket cannot be used: {e}"),
        Err(e) => format!("{e}"),
    };
    let _ = std::fs::remove_file(&ccache);
    evidence.push(Evidence::new("kerberos", "alice submits with a ticket that expired (kinit -l 3s, used 5 s later)", outcome));
}

/// A forged and an expired HDFS delegation token, both refused by the NameNode; the genuine token
/// works before it expires (so the refusals are about forgery and expiry, nothing else).
async fn delegation_tokens(ctx: &Context<'_>, problems: &mut Vec<String>, evidence: &mut Vec<Evidence>) {
    let cred = match ctx.credential("alice") {
        Ok(Some(c)) => c,
        Ok(None) => return,
        Err(e) => {
            problems.push(e);
            return;
        }
    };
    let fs = ctx.cluster.webhdfs();
    let request = yarnsec_hadoop::webhdfs::TokenRequest { renewer: Some(ctx.cluster.layout().rm_renewer()), kind: None, service: None };
    let genuine = match fs.delegation_token(&request, Auth::Kerberos(&cred), None).await {
        Ok(t) => t,
        Err(e) => {
            problems.push(format!("alice could not get an HDFS delegation token: {e}"));
            return;
        }
    };
    let got = std::time::Instant::now();
    let home = "/user/alice";
    let try_token = |what: &str, token: &str, want_ok: bool| {
        let (fs, what, token) = (fs.clone(), what.to_string(), token.to_string());
        async move {
            let r = fs.status(home, Auth::Delegation(&token), None).await;
            let ok = r.is_ok();
            let body = match r {
                Ok(_) => "200 OK".to_string(),
                Err(e) => e.to_string(),
            };
            (what, ok == want_ok, body)
        }
    };
    let mut results = vec![try_token("the genuine token, fresh", &genuine, true).await];
    // Forged: the genuine identifier with a password of our own.
    match yarnsec_hadoop::token::Token::decode_url_string(&genuine) {
        Ok(mut t) => {
            t.password.iter_mut().for_each(|b| *b = b.wrapping_add(1));
            results.push(try_token("a forged token (genuine identifier, made-up password)", &t.encode_url_string(), false).await);
        }
        Err(e) => problems.push(format!("the NameNode's token does not decode: {e}")),
    }
    // Expired: unused for longer than the renew interval.
    let renew = ctx.cluster.profile().token_renew_interval();
    let until = got + renew + Duration::from_secs(3);
    ctx.waiting("T6", format!("alice's HDFS delegation token expires unrenewed ({}s renew interval)", renew.as_secs()), until);
    tokio::time::sleep_until(until.into()).await;
    results.push(try_token("the genuine token after its renew interval passed unrenewed (expired)", &genuine, false).await);
    for (what, as_expected, body) in results {
        if !as_expected {
            problems.push(format!("{what}: GETFILESTATUS {home} answered {body}"));
        }
        evidence.push(Evidence::new("http", format!("WebHDFS GETFILESTATUS {home} with {what}"), body));
    }
}

/// bob tries to read what alice's application wrote in her home.
async fn bob_reads_alice(ctx: &Context<'_>, problems: &mut Vec<String>, evidence: &mut Vec<Evidence>) {
    let run = match ctx.alice_run().await {
        Ok(r) => r,
        Err(e) => {
            problems.push(format!("alice's application could not be run: {e}"));
            return;
        }
    };
    let bob = match ctx.credential("bob") {
        Ok(c) => c,
        Err(e) => {
            problems.push(e);
            return;
        }
    };
    let auth = ctx.cluster.auth_for("bob", bob.as_ref());
    match ctx.cluster.webhdfs().open(&run.output_path, auth, None).await {
        Ok(_) => problems.push(format!("bob read alice's {}", run.output_path)),
        Err(e) => evidence.push(Evidence::new("http", format!("bob opens alice's {}", run.output_path), e.to_string())),
    }
}

/// T6: without Kerberos credentials, nothing launches.
pub async fn t6(ctx: &Context<'_>) -> Verdict {
    if !ctx.cluster.profile().kerberos() {
        return Verdict::not_applicable("this profile has no Kerberos credentials to lack");
    }
    let admin = match ctx.cluster.service_credential("rm") {
        Ok(c) => c,
        Err(e) => return Verdict::fail(e.to_string(), vec![]),
    };
    // Every attempt carries an application name of its own, so that applications other tests
    // run at the same time can neither be mistaken for one of ours nor hide one.
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or_default();
    let name = format!("yarnsec-t6-{nanos}");
    let mut evidence = Vec::new();
    let mut problems = Vec::new();
    let script = "echo should-not-run";
    let url = format!("{}/api/submit", ctx.service.base_url);
    // No ticket at all (carol's case too: she has no principal, so she can only come without one).
    match ctx.service.submit_raw(ctx.http(), Auth::Anonymous, script, &name).await {
        Ok(r) => {
            if r.status.is_success() {
                problems.push("an anonymous submission was accepted".to_string());
            }
            evidence.push(exchange("POST /api/submit without credentials", &r));
        }
        Err(e) => problems.push(format!("anonymous POST {url}: {e}")),
    }
    // A forged SPNEGO token: well-formed base64 with the SPNEGO header, and made-up contents.
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::AUTHORIZATION,
        reqwest::header::HeaderValue::from_static(
            "Negotiate YIIBAAYGKwYBBQUCeWFybnNlYy1mb3JnZWQtAQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYn",
        ),
    );
    let body = serde_json::to_vec(&serde_json::json!({"script": script, "name": name})).expect("JSON serializes");
    match ctx.http().send(reqwest::Method::POST, &url, Auth::Anonymous, Some((body, "application/json")), Some(headers)).await {
        Ok(r) => {
            if r.status.is_success() || r.status.is_server_error() {
                problems.push(format!("a forged Kerberos token got {}", r.status));
            }
            evidence.push(exchange("POST /api/submit with a forged Negotiate token", &r));
        }
        Err(e) => problems.push(format!("forged POST {url}: {e}")),
    }
    // carol asks the KDC for a ticket.
    let carol = yarnsec_hadoop::Principal::user("carol", ctx.cluster.realm());
    match tokio::task::spawn_blocking(move || yarnsec_hadoop::Credential::from_password(carol, "guess")).await {
        Ok(Err(e)) => evidence.push(Evidence::new("kerberos", "carol asks the KDC for a ticket", e.to_string())),
        _ => problems.push("carol, who has no principal, got a ticket".into()),
    }
    expired_ticket(ctx, &name, script, &mut problems, &mut evidence).await;
    delegation_tokens(ctx, &mut problems, &mut evidence).await;
    bob_reads_alice(ctx, &mut problems, &mut evidence).await;
    match ctx.cluster.resource_manager().apps(Auth::Kerberos(&admin)).await {
        Ok(apps) => {
            let ours: Vec<_> = apps.iter().filter(|a| a.name == name).collect();
            evidence.push(Evidence::new("app", format!("applications named {name} at the ResourceManager"), ours.len().to_string()));
            for app in ours {
                problems.push(format!("{} was submitted (user {})", app.id, app.user));
            }
        }
        Err(e) => problems.push(format!("cannot list applications: {e}")),
    }
    Verdict::check(
        problems.is_empty(),
        "no credentials, a forged Kerberos token, an expired ticket and a user without a principal: each refused, and no application was submitted; a forged and an expired HDFS delegation token are refused by the NameNode (the genuine token worked before it expired); bob cannot read alice's files",
        problems.join("; "),
        evidence,
    )
}

/// T7: the application publishes timeline events, readable by alice and not anonymously.
pub async fn t7(ctx: &Context<'_>) -> Verdict {
    if !ctx.service.features.timeline {
        return Verdict::not_applicable("the service declares no timeline support");
    }
    let run = or_verdict!(ctx.alice().await);
    let cred = or_verdict!(ctx.credential_or_fail("alice"));
    let alice = ctx.cluster.auth_for("alice", cred.as_ref());
    let url = format!("{}/ws/v1/timeline/DS_APP_ATTEMPT", ctx.cluster.layout().hadoop_url(8188));
    let attempt = run.app.id.replacen("application_", "appattempt_", 1);
    let mine = match ctx.http().get(&url, alice).await {
        Ok(r) => r,
        Err(e) => return Verdict::fail(format!("GET {url}: {e}"), vec![]),
    };
    let anonymous = ctx.http().get(&url, Auth::Anonymous).await;
    let published = mine.status.is_success() && mine.text().contains(&attempt);
    let refused = anonymous.as_ref().is_ok_and(|r| r.status == 401) || !ctx.cluster.profile().kerberos();
    let mut evidence = vec![exchange("timeline DS_APP_ATTEMPT entities as alice", &mine)];
    if let Ok(r) = &anonymous {
        evidence.push(exchange("the same, anonymously", r));
    }
    Verdict::check(
        published && refused,
        format!("the ApplicationMaster published {attempt} to the secure timeline server; alice reads it, anonymous callers are refused"),
        if published {
            "the timeline server serves the events anonymously".to_string()
        } else {
            format!("no timeline entity for {attempt}: the application did not publish (a missing timeline token is the usual cause)")
        },
        evidence,
    )
}

/// T9: the application reads the remote HDFS (a second NameNode, own namespace, same realm) with
/// a delegation token the client got for it at launch.
pub async fn t9(ctx: &Context<'_>) -> Verdict {
    or_verdict!(require_kerberos(ctx));
    if !ctx.service.features.remote_filesystems {
        return Verdict::not_applicable("the service declares that its applications use no other HDFS cluster");
    }
    let (Some(remote_service), Some(remote)) = (ctx.cluster.remote_token_service(), ctx.cluster.remote_evidence()) else {
        return Verdict::skipped(
            "this cluster was started without its remote HDFS (`remote_hdfs(false)`), so there is no remote cluster to read",
        );
    };
    let layout = ctx.cluster.layout();
    let url = format!("hdfs://{}:{}{}", layout.remote_host(), yarnsec_harness::layout::ports::NAMENODE_RPC, yarnsec_harness::REMOTE_FILE);
    let prelude = format!("{} -cat {url} && echo remote=ok\n", crate::context::FS_SHELL);
    let cred = or_verdict!(ctx.credential_or_fail("alice"));
    let alice = ctx.cluster.auth_for("alice", cred.as_ref());
    let run = match ctx.run_script("alice", alice, alice, &prelude, Duration::from_secs(240)).await {
        Ok(r) => r,
        Err(e) => return Verdict::fail(format!("alice's application reading the remote HDFS could not be run: {e}"), vec![]),
    };
    let has_remote_token = !crate::context::hdfs_tokens(run.am_tokens.as_ref(), &remote_service).is_empty();
    let read = run.worker_stdout.contains(yarnsec_harness::REMOTE_FILE_TEXT) && run.worker_stdout.contains("remote=ok");
    let audit = remote.audit_lines(yarnsec_harness::REMOTE_FILE).await.unwrap_or_default();
    let opened: Vec<String> = audit.into_iter().filter(|l| l.contains("cmd=open")).collect();
    let by_alice = opened.iter().any(|l| l.contains("ugi=alice"));
    let evidence = vec![
        app_evidence(&run.app),
        crate::context::tokens_evidence("ApplicationMaster container_tokens (the launch context)", run.am_tokens.as_ref()),
        Evidence::new("log", "alice's container stdout", run.worker_stdout.clone()),
        Evidence::new("log", "alice's container stderr (last lines)", last_lines(&run.worker_stderr, 15)),
        Evidence::new("audit_log", format!("remote NameNode audit: {}", yarnsec_harness::REMOTE_FILE), opened.join("\n")),
    ];
    let mut problems = Vec::new();
    if !has_remote_token {
        problems.push(format!("the launch context holds no HDFS delegation token for the remote NameNode ({remote_service}): the client did not get one at launch"));
    }
    if !read {
        problems.push(format!("the application could not read {url}"));
    }
    if read && !by_alice {
        problems.push("the remote NameNode's audit log shows no read by ugi=alice".to_string());
    }
    Verdict::check(
        problems.is_empty(),
        format!("alice's application read {url} as alice, with the remote HDFS delegation token the client put in the launch context ({remote_service})"),
        problems.join("; "),
        evidence,
    )
}

fn last_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}
