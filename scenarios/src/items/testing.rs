//! Testing items T1, T2 and T4: the application on the secure cluster, as the cluster shows it.
//! (T3 is in `web_browser.rs`, T5 in `expiry.rs`, T6 in `no_credentials.rs`, T7 in
//! `timeline.rs`, T8 in `integration.rs`, T9 in `remote_hdfs.rs`.)

use yarnsec_hadoop::http::{Auth, HttpResponse};

use crate::context::Context;
use crate::error::ObserveError;
use crate::facts::app_run::AppRun;
use crate::facts::container::has_line;
use crate::verdict::{Evidence, Verdict};

/// An HTTP exchange as evidence.
pub fn exchange(what: &str, r: &HttpResponse) -> Evidence {
    let body: String = r.text().chars().take(300).collect();
    Evidence::new("http", what, format!("{} {}\n{}", r.status.as_u16(), r.url, body))
}

/// T1: the application launches and completes on the secure cluster.
pub async fn t1(ctx: &Context<'_>) -> Verdict {
    if !ctx.cluster.profile().kerberos() {
        return Verdict::not_applicable("this profile is not a secure cluster");
    }
    judge_t1_launch(ctx.alice_run().await, ctx.cluster.profile().name())
}

/// T1's judgment of alice's submission, launched or not: the launch is this item's to judge, so
/// a submission after which nothing launched fails it (the other items have nothing to judge);
/// what could not be observed leaves it SKIPPED.
pub fn judge_t1_launch(run: Result<&AppRun, &ObserveError>, profile: &str) -> Verdict {
    match run {
        Ok(run) => judge_t1(run, profile),
        Err(ObserveError::Submit(e)) if e.nothing_launched() => {
            Verdict::fail(format!("alice's application was not launched on the {profile} cluster: {e}"), Vec::new())
        }
        Err(e) => e.verdict_of("alice's application through the service"),
    }
}

/// T1's judgment.
pub fn judge_t1(run: &AppRun, profile: &str) -> Verdict {
    Verdict::check(
        run.succeeded(),
        format!("{} ran to FINISHED/SUCCEEDED in {:.0} s on a {profile} cluster", run.app.id, run.took.as_secs_f64()),
        format!("{} ended {}/{}: {}", run.app.id, run.app.state, run.app.final_status, run.app.diagnostics.as_deref().unwrap_or("").trim()),
        vec![run.app_evidence()],
    )
}

/// The user an audit-log line names (`ugi=alice (auth:TOKEN)`, `ugi=alice@REALM …`), short form.
pub fn audit_user(line: &str) -> Option<&str> {
    let rest = line.split("ugi=").nth(1)?;
    let name = rest.split(|c: char| c.is_whitespace()).next()?;
    Some(name.split(['@', '/']).next().unwrap_or(name))
}

/// The NameNode audit lines that made an application's staged files, whatever their path and
/// however they were written (RPC or WebHDFS): creations and renames into a path the NodeManager
/// localized for the application (`staged`), and creations under a path that names it.
///
/// ```
/// let audit = "allowed=true\tugi=alice (auth:KERBEROS)\tcmd=create\tsrc=/user/alice/.staging/job_1_0002/job.jar._COPYING_\tdst=null\n\
///              allowed=true\tugi=alice (auth:KERBEROS)\tcmd=rename\tsrc=/user/alice/.staging/job_1_0002/job.jar._COPYING_\tdst=/user/alice/.staging/job_1_0002/job.jar\n\
///              allowed=true\tugi=alice (auth:KERBEROS)\tcmd=open\tsrc=/user/alice/.staging/job_1_0002/job.jar\tdst=null";
/// let lines = yarnsec_scenarios::items::testing::staging_lines(audit, "application_1_0002", &["/user/alice/.staging/job_1_0002/job.jar".into()]);
/// assert_eq!(lines.len(), 1);
/// assert!(lines[0].contains("cmd=rename"));
/// ```
pub fn staging_lines(audit: &str, app_id: &str, staged: &[String]) -> Vec<String> {
    let field = |line: &str, name: &str| line.split('\t').find_map(|f| f.strip_prefix(name)).map(str::to_string);
    audit
        .lines()
        .filter(|l| {
            let cmd = field(l, "cmd=").unwrap_or_default();
            let into_staged = match cmd.as_str() {
                "create" => field(l, "src=").is_some_and(|p| staged.contains(&p)),
                "rename" => field(l, "dst=").is_some_and(|p| staged.contains(&p)),
                _ => false,
            };
            into_staged || (cmd == "create" && l.contains(app_id))
        })
        .map(str::to_string)
        .collect()
}

/// What T2 saw of one user's run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserRunFacts {
    /// The submitting user.
    pub user: String,
    /// Who the ResourceManager runs the application as.
    pub app_user: String,
    /// What the probe printed.
    pub output: String,
    /// The NameNode's audit lines creating the probe's output file.
    pub output_writes: Vec<String>,
    /// The NameNode's audit lines that made its staged files ([`staging_lines`]).
    pub staging: Vec<String>,
    /// How the application ended when it did not succeed (`FINISHED/FAILED: diagnostics`).
    pub failed: Option<String>,
    /// The application, as evidence.
    pub app: Evidence,
    /// The OS users its containers ran as (the owners of their log files), when the NodeManager
    /// runs containers as their users (`LinuxContainerExecutor`); `None` when it runs every
    /// container as itself (`DefaultContainerExecutor`), which shows nothing of the submitter.
    pub os_users: Option<Vec<String>>,
}

/// T2: the application runs as the submitting user, for alice and for bob.
pub async fn t2(ctx: &Context<'_>) -> Verdict {
    let alice = or_verdict!(ctx.alice().await);
    let bob = or_verdict!(ctx.run_as("bob").await.map_err(|e| e.verdict()));
    let mut facts = Vec::new();
    let audit = or_verdict!(ctx
        .cluster
        .evidence()
        .audit_log_lines(&["cmd=create", "cmd=rename"])
        .await
        .map_err(|e| crate::error::ObserveError::cluster("the NameNode's audit log")(e).verdict()));
    let executor = or_verdict!(ctx
        .cluster
        .evidence()
        .container_executor()
        .await
        .map_err(|e| crate::error::ObserveError::cluster("the NodeManager's yarn-site.xml")(e).verdict()));
    for run in [alice, &bob] {
        let os_users = match &executor {
            None => None,
            Some(_) => {
                let owners = or_verdict!(ctx
                    .cluster
                    .evidence()
                    .container_log_owners(&run.app.id)
                    .await
                    .map_err(|e| crate::error::ObserveError::cluster("the owners of the container logs")(e).verdict()));
                let mut users: Vec<String> = owners.into_iter().map(|(_, owner)| owner).collect();
                users.sort();
                users.dedup();
                Some(users)
            }
        };
        let writes = audit
            .lines()
            .filter(|l| l.contains(&format!("src={}", run.output_path)) && (l.contains("cmd=create") || l.contains("cmd=rename")))
            .map(str::to_string)
            .collect();
        let staging = staging_lines(&audit, &run.app.id, &run.staged_paths());
        facts.push(UserRunFacts {
            user: run.user.clone(),
            app_user: run.app.user.clone(),
            output: run.probe_output(),
            output_writes: writes,
            staging,
            failed: (!run.succeeded()).then(|| {
                let diagnostics: String = run.app.diagnostics.as_deref().unwrap_or("").trim().chars().take(300).collect();
                format!("{}/{}: {diagnostics}", run.app.state, run.app.final_status)
            }),
            app: run.app_evidence(),
            os_users,
        });
    }
    judge_t2(&facts)
}

/// T2's judgment: for each user, the RM runs the application as that user, the probe's
/// environment says `USER=<user>` (a whole line), and HDFS saw the user write its output (and
/// stage the files its containers were given: [`staging_lines`]).
pub fn judge_t2(runs: &[UserRunFacts]) -> Verdict {
    let mut problems = Vec::new();
    let mut evidence = Vec::new();
    for r in runs {
        let user = &r.user;
        evidence.push(r.app.clone());
        evidence.push(Evidence::new("log", format!("{user}'s probe output"), r.output.clone()));
        evidence.push(Evidence::new("audit_log", format!("NameNode audit: {user}'s output"), r.output_writes.join("\n")));
        if !r.staging.is_empty() {
            evidence.push(Evidence::new(
                "audit_log",
                format!("NameNode audit: the files staged for {user}'s application (localized by the NodeManager, or naming it)"),
                r.staging.iter().take(4).cloned().collect::<Vec<_>>().join("\n"),
            ));
        }
        if &r.app_user != user {
            problems.push(format!("the ResourceManager runs {user}'s application as `{}`", r.app_user));
        }
        if !has_line(&r.output, &format!("USER={user}")) {
            // A run that failed may never have reached the probe: say how it ended.
            let ended = r.failed.as_ref().map(|f| format!(" ({user}'s application ended {f})")).unwrap_or_default();
            problems.push(format!("{user}'s containers do not run with USER={user}{ended}"));
        }
        if !r.output_writes.iter().any(|l| audit_user(l) == Some(user.as_str())) {
            problems.push(format!("the NameNode audit log shows no write of {user}'s output by ugi={user}"));
        }
        let others: Vec<&str> = r.staging.iter().filter_map(|l| audit_user(l)).filter(|u| u != user).collect();
        if !others.is_empty() {
            problems.push(format!("files of {user}'s application were created in HDFS as {}", others.join(", ")));
        }
        if let Some(os) = &r.os_users {
            evidence.push(Evidence::new("container", format!("the OS owners of {user}'s container log files"), os.join("\n")));
            let strangers: Vec<&str> = os.iter().map(String::as_str).filter(|o| o != user).collect();
            if !strangers.is_empty() {
                problems.push(format!(
                    "{user}'s container processes ran as the OS user {} (the owner of their log files), not as {user}",
                    strangers.join(", ")
                ));
            } else if os.is_empty() && r.failed.is_none() {
                problems.push(format!("{user}'s containers left no log files to show which OS user they ran as"));
            }
        }
    }
    let os_level = if runs.iter().all(|r| r.os_users.is_some()) {
        " The container processes ran as each submitter's OS account too (the owners of their log files): the NodeManager runs them through the LinuxContainerExecutor."
    } else {
        " (The container processes themselves run as the NodeManager's OS user: this cluster uses the DefaultContainerExecutor, not the LinuxContainerExecutor, so OS-level separation is not shown.)"
    };
    Verdict::check(
        problems.is_empty(),
        format!("each user's application runs as that user: the ResourceManager's user, the containers' USER, and the HDFS identity (audit ugi=) all match the submitter.{os_level}"),
        problems.join("; "),
        evidence,
    )
}

/// One GET of T4 and what came back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Get {
    /// The URL.
    pub url: String,
    /// `alice` or `anonymous`.
    pub who: String,
    /// The status, or why there was none.
    pub status: Result<u16, String>,
}

/// T4: REST GETs as alice succeed, anonymous ones are refused.
pub async fn t4(ctx: &Context<'_>) -> Verdict {
    let run = or_verdict!(ctx.alice().await);
    let cred = or_verdict!(ctx.credential_or_fail("alice"));
    let alice = ctx.cluster.auth_for("alice", cred.as_ref());
    let layout = ctx.cluster.layout();
    let mut urls = vec![
        format!("{}/ws/v1/cluster/apps/{}", layout.hadoop_url(8088), run.app.id),
        format!("{}/ws/v1/timeline/", layout.hadoop_url(8188)),
    ];
    // A command-line submitter has no REST endpoint of its own.
    if !ctx.service.is_command() {
        urls.push(format!("{}/", ctx.service.base_url));
    }
    let mut gets = Vec::new();
    let mut evidence = Vec::new();
    for url in &urls {
        for (who, auth) in [("alice", alice), ("anonymous", Auth::Anonymous)] {
            let status = match ctx.http().get(url, auth).await {
                Ok(r) => {
                    evidence.push(exchange(&format!("GET as {who}"), &r));
                    Ok(r.status.as_u16())
                }
                Err(e) => Err(e.to_string()),
            };
            gets.push(Get { url: url.clone(), who: who.into(), status });
        }
    }
    let mut v = judge_t4(&gets, ctx.cluster.profile().kerberos());
    v.evidence.extend(evidence);
    v
}

/// T4's judgment: alice gets 2xx everywhere; anonymous callers never get 2xx, and on a
/// Kerberos cluster get 401.
pub fn judge_t4(gets: &[Get], kerberos: bool) -> Verdict {
    let mut problems = Vec::new();
    let mut unanswered = Vec::new();
    for g in gets {
        match (&g.status, g.who.as_str()) {
            // A transport error shows nothing about the endpoint's authentication.
            (Err(e), _) => unanswered.push(format!("GET {} as {}: no answer ({e})", g.url, g.who)),
            (Ok(s), "alice") if !(200..300).contains(s) => problems.push(format!("GET {} as alice answered {s}", g.url)),
            (Ok(s), "anonymous") if (200..300).contains(s) || (kerberos && *s != 401) => {
                problems.push(format!("GET {} anonymously answered {s}", g.url))
            }
            _ => {}
        }
    }
    if problems.is_empty() && !unanswered.is_empty() {
        return Verdict::skipped(format!("not every GET could be made: {}", unanswered.join("; ")));
    }
    Verdict::check(
        problems.is_empty(),
        if kerberos {
            "REST GETs on the application, the timeline server and the service answer alice (2xx) and refuse anonymous callers (401)"
        } else {
            "REST GETs on the application, the timeline server and the service answer alice and refuse callers who name no user"
        },
        problems.join("; "),
        Vec::new(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verdict::Status;

    fn user_run(user: &str, app_user: &str, output: &str, writer: &str) -> UserRunFacts {
        UserRunFacts {
            user: user.into(),
            app_user: app_user.into(),
            output: output.into(),
            output_writes: vec![format!("allowed=true\tugi={writer} (auth:TOKEN)\tip=/198.18.7.3\tcmd=create\tsrc=/user/{user}/out.txt")],
            staging: vec![format!("allowed=true\tugi={user} (auth:PROXY) via yarnsec\tip=/198.18.7.5\tcmd=create\tsrc=/user/{user}/yarnsec/application_1_0001/x")],
            failed: None,
            app: Evidence::new("app", "x", "y"),
            os_users: None,
        }
    }

    #[test]
    fn t1_table() {
        use crate::facts::app_run::fixtures::run;
        use crate::facts::token_file::TokenFile;
        let ok = run(TokenFile::Missing, TokenFile::Missing, "", "", "put=ok");
        let v = judge_t1_launch(Ok(&ok), "strict");
        assert_eq!(v.status, Status::Pass, "{}", v.reason);
        assert!(v.reason.contains("FINISHED/SUCCEEDED") && v.reason.contains("strict"), "{}", v.reason);
        let mut failed = ok.clone();
        (failed.app.final_status, failed.app.diagnostics) = ("FAILED".into(), Some("Application application_1_0001 failed 1 times".into()));
        let v = judge_t1_launch(Ok(&failed), "strict");
        assert_eq!(v.status, Status::Fail);
        assert!(v.reason.contains("FINISHED/FAILED") && v.reason.contains("failed 1 times"), "{}", v.reason);
        let mut killed = ok.clone();
        (killed.app.state, killed.app.final_status) = ("KILLED".into(), "KILLED".into());
        assert_eq!(judge_t1_launch(Ok(&killed), "strict").status, Status::Fail);
        // Nothing launched: T1 fails, quoting how the submitter ended.
        let nothing = ObserveError::Submit(yarnsec_submitter::SubmitError::NothingLaunched {
            user: "alice".into(),
            how: "the submit command `spark-submit …` exited 1 (Failed to find any Kerberos tgt)".into(),
            detail: String::new(),
            watched: "asked when the command ended".into(),
        });
        let v = judge_t1_launch(Err(&nothing), "strict");
        assert_eq!(v.status, Status::Fail);
        assert!(v.reason.contains("Failed to find any Kerberos tgt"), "{}", v.reason);
        // A submitter that did not submit in time, or the cluster unread: not judged.
        let late = ObserveError::Submit(yarnsec_submitter::SubmitError::TimedOut {
            user: "alice".into(),
            target: "spark-submit".into(),
            waited_s: 300,
            tail: "uploading".into(),
        });
        assert_eq!(judge_t1_launch(Err(&late), "strict").status, Status::Skipped);
        // Several candidates: not judged either; the other items say nothing launched (SKIPPED).
        let several = ObserveError::Submit(yarnsec_submitter::SubmitError::Ambiguous {
            user: "alice".into(),
            candidates: vec!["a".into(), "b".into()],
        });
        assert_eq!(judge_t1_launch(Err(&several), "strict").status, Status::Skipped);
        assert_eq!(nothing.verdict().status, Status::Skipped);
    }

    #[test]
    fn audit_users_are_read_in_short_form() {
        assert_eq!(audit_user("allowed=true\tugi=alice (auth:TOKEN)\tip=/1"), Some("alice"));
        assert_eq!(audit_user("allowed=true\tugi=alice@C1.YARNSEC.TEST (auth:KERBEROS)"), Some("alice"));
        assert_eq!(audit_user("allowed=true\tugi=yarnsec/service.yarnsec.test@R (auth:KERBEROS)"), Some("yarnsec"));
        assert_eq!(audit_user("no user here"), None);
    }

    #[test]
    fn t2_table() {
        let good = [user_run("alice", "alice", "id=yarn\nUSER=alice\n", "alice"), user_run("bob", "bob", "USER=bob\n", "bob")];
        let v = judge_t2(&good);
        assert_eq!(v.status, Status::Pass, "{}", v.reason);
        assert!(v.reason.contains("DefaultContainerExecutor"));
        // HADOOP_USER_NAME=alice is not USER=alice.
        let v = judge_t2(&[user_run("alice", "alice", "HADOOP_USER_NAME=alice\nUSER=yarnsec\n", "alice")]);
        assert_eq!(v.status, Status::Fail);
        assert!(v.reason.contains("USER=alice"), "{}", v.reason);
        assert_eq!(judge_t2(&[user_run("alice", "yarnsec", "USER=alice\n", "alice")]).status, Status::Fail);
        // A run that failed before the probe ran says how it ended.
        let mut failed = user_run("bob", "bob", "", "nobody");
        failed.failed = Some("FINISHED/FAILED: Task failed task_1_0002_m_000000".into());
        let v = judge_t2(&[failed]);
        assert_eq!(v.status, Status::Fail);
        assert!(v.reason.contains("bob's application ended FINISHED/FAILED: Task failed"), "{}", v.reason);
        assert_eq!(judge_t2(&[user_run("alice", "alice", "USER=alice\n", "yarnsec")]).status, Status::Fail);
        let mut staged_as_service = user_run("alice", "alice", "USER=alice\n", "alice");
        staged_as_service.staging = vec![
            "allowed=true\tugi=yarnsec/service.yarnsec.test@R (auth:KERBEROS)\tcmd=create\tsrc=/user/yarnsec/yarnsec/application_1_0001/x"
                .into(),
        ];
        assert_eq!(judge_t2(&[staged_as_service]).status, Status::Fail);
    }

    #[test]
    fn t2_judges_the_os_user_where_the_nodemanager_runs_containers_as_their_users() {
        let with_os = |user: &str, owners: &[&str]| {
            let mut r = user_run(user, user, &format!("USER={user}\n"), user);
            r.os_users = Some(owners.iter().map(|o| o.to_string()).collect());
            r
        };
        let v = judge_t2(&[with_os("alice", &["alice"]), with_os("bob", &["bob"])]);
        assert_eq!(v.status, Status::Pass, "{}", v.reason);
        assert!(v.reason.contains("LinuxContainerExecutor") && !v.reason.contains("not shown"), "{}", v.reason);
        // USER=alice in the environment, but the processes ran as yarn: FAIL.
        let v = judge_t2(&[with_os("alice", &["yarn"])]);
        assert_eq!(v.status, Status::Fail);
        assert!(v.reason.contains("ran as the OS user yarn"), "{}", v.reason);
        let v = judge_t2(&[with_os("alice", &["alice", "nobody"])]);
        assert_eq!(v.status, Status::Fail);
        assert!(v.reason.contains("OS user nobody"), "{}", v.reason);
        assert_eq!(judge_t2(&[with_os("alice", &[])]).status, Status::Fail);
        // The DefaultContainerExecutor shows nothing of the OS user, and says so.
        let v = judge_t2(&[user_run("alice", "alice", "USER=alice\n", "alice")]);
        assert!(v.reason.contains("OS-level separation is not shown"), "{}", v.reason);
    }

    #[test]
    fn staging_is_what_the_nodemanager_localized_or_names_the_application() {
        let audit = [
            "allowed=true\tugi=yarnsec (auth:KERBEROS)\tcmd=create\tsrc=/tmp/anywhere/job.jar\tdst=null",
            "allowed=true\tugi=alice (auth:PROXY) via yarnsec\tcmd=create\tsrc=/user/alice/yarnsec/application_1_0001/x\tdst=null",
            "allowed=true\tugi=alice (auth:TOKEN)\tcmd=open\tsrc=/tmp/anywhere/job.jar\tdst=null",
            "allowed=true\tugi=bob (auth:TOKEN)\tcmd=create\tsrc=/tmp/anywhere/job.jar.other\tdst=null",
        ]
        .join("\n");
        let lines = staging_lines(&audit, "application_1_0001", &["/tmp/anywhere/job.jar".into()]);
        assert_eq!(lines.len(), 2, "{lines:?}");
        // A file staged as the service, wherever it was, makes T2 FAIL.
        let mut run = user_run("alice", "alice", "USER=alice\n", "alice");
        run.staging = lines;
        let v = judge_t2(&[run]);
        assert_eq!(v.status, Status::Fail);
        assert!(v.reason.contains("created in HDFS as yarnsec"), "{}", v.reason);
        assert!(staging_lines(&audit, "application_9_0009", &[]).is_empty());
    }

    #[test]
    fn t4_table() {
        let get = |who: &str, status: Result<u16, String>| Get { url: "http://h:8088/ws".into(), who: who.into(), status };
        assert_eq!(judge_t4(&[get("alice", Ok(200)), get("anonymous", Ok(401))], true).status, Status::Pass);
        assert_eq!(judge_t4(&[get("alice", Ok(200)), get("anonymous", Ok(200))], true).status, Status::Fail);
        assert_eq!(judge_t4(&[get("alice", Ok(200)), get("anonymous", Ok(403))], true).status, Status::Fail);
        assert_eq!(judge_t4(&[get("alice", Ok(200)), get("anonymous", Ok(403))], false).status, Status::Pass);
        assert_eq!(judge_t4(&[get("alice", Ok(401)), get("anonymous", Ok(401))], true).status, Status::Fail);
        // No answer is no verdict; but a refusal seen elsewhere still fails.
        assert_eq!(judge_t4(&[get("alice", Err("timed out".into()))], true).status, Status::Skipped);
        assert_eq!(judge_t4(&[get("alice", Err("timed out".into())), get("anonymous", Ok(200))], true).status, Status::Fail);
    }
}
