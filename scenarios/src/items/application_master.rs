//! ApplicationMaster items (A1–A7): judged from the AM's and the worker's token files and
//! launch scripts, and from the tokens' fate after the application ends.

use std::time::{Duration, Instant};

use yarnsec_hadoop::http::Auth;

use super::require_kerberos;
use crate::context::{app_evidence, script_lines, tokens_evidence, Context};
use crate::verdict::{Evidence, Verdict};

/// A1: the AM finds its tokens through HADOOP_TOKEN_FILE_LOCATION.
pub async fn a1(ctx: &Context<'_>) -> Verdict {
    or_verdict!(require_kerberos(ctx));
    let run = or_verdict!(ctx.alice().await);
    let exported = run.am_launch.contains("HADOOP_TOKEN_FILE_LOCATION=");
    let used = run.app.final_status == "SUCCEEDED" && run.worker_stdout.contains("put=ok");
    Verdict::check(
        exported && run.am_tokens.is_some() && used,
        "the NodeManager points HADOOP_TOKEN_FILE_LOCATION at the AM's token file, and the AM used those tokens (it launched its container and HDFS accepted its work)",
        "the AM did not get or use its tokens through HADOOP_TOKEN_FILE_LOCATION",
        vec![script_lines("ApplicationMaster launch_container.sh", &run.am_launch, "HADOOP_TOKEN_FILE_LOCATION"), tokens_evidence("ApplicationMaster container_tokens", run.am_tokens.as_ref())],
    )
}

/// A2: what the AM passes on has neither the AM/RM token nor a timeline token.
pub async fn a2(ctx: &Context<'_>) -> Verdict {
    let run = or_verdict!(ctx.alice().await);
    let Some(worker) = run.worker_tokens.as_ref() else {
        return Verdict::fail(
            "no worker container token file was found: the AM launched no container",
            vec![tokens_evidence("worker container_tokens", None)],
        );
    };
    let leaked: Vec<String> =
        worker.tokens.iter().map(|(_, t)| t.kind.clone()).filter(|k| k == "YARN_AM_RM_TOKEN" || k == "TIMELINE_DELEGATION_TOKEN").collect();
    Verdict::check(
        leaked.is_empty(),
        "the worker container received neither the AM/RM token nor a timeline token",
        format!("the AM passed {} to its worker container: anything running there can act as the ApplicationMaster", leaked.join(" and ")),
        vec![
            tokens_evidence("worker container_tokens", Some(worker)),
            tokens_evidence("ApplicationMaster container_tokens", run.am_tokens.as_ref()),
        ],
    )
}

/// A4 (recommended): the application's tokens stop working once it completes.
pub async fn a4(ctx: &Context<'_>) -> Verdict {
    or_verdict!(require_kerberos(ctx));
    let run = or_verdict!(ctx.alice().await);
    let Some(token) = crate::context::namenode_tokens(ctx.cluster, run.am_tokens.as_ref()).into_iter().next() else {
        return Verdict::fail(
            "the application had no HDFS delegation token to cancel",
            vec![tokens_evidence("ApplicationMaster container_tokens", run.am_tokens.as_ref())],
        );
    };
    let encoded = token.encode_url_string();
    let fs = ctx.cluster.webhdfs();
    let home = format!("/user/{}", run.submitted.user);
    // Cancellation happens shortly after the application ends; watch for it with a deadline.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match fs.status(&home, Auth::Delegation(&encoded), None).await {
            Err(e) => {
                return Verdict::pass(
                    "the application's HDFS delegation token is refused after the application completed (cancelled)",
                    vec![Evidence::new("http", format!("GETFILESTATUS {home} with the application's token"), e.to_string())],
                )
            }
            Ok(_) if Instant::now() < deadline => tokio::time::sleep(Duration::from_secs(2)).await,
            Ok(_) => {
                return Verdict::fail(
                    "the application's HDFS delegation token still works 30 s after the application completed: it was not cancelled",
                    vec![Evidence::new("http", format!("GETFILESTATUS {home} with the application's token"), "200 OK")],
                )
            }
        }
    }
}

/// A5: the worker container gets the tokens it needs through its launch context.
pub async fn a5(ctx: &Context<'_>) -> Verdict {
    or_verdict!(require_kerberos(ctx));
    let run = or_verdict!(ctx.alice().await);
    let has_hdfs = !crate::context::namenode_tokens(ctx.cluster, run.worker_tokens.as_ref()).is_empty();
    Verdict::check(
        has_hdfs && run.worker_stdout.contains("put=ok"),
        "the worker container received the HDFS delegation token and used it to write to the user's home",
        "the worker container lacks a working HDFS delegation token",
        vec![
            tokens_evidence("worker container_tokens", run.worker_tokens.as_ref()),
            Evidence::new("log", "worker stdout", run.worker_stdout.clone()),
        ],
    )
}

/// A6: insecure clusters only: HADOOP_USER_NAME reaches the worker.
pub async fn a6(ctx: &Context<'_>) -> Verdict {
    if ctx.cluster.profile().kerberos() {
        return Verdict::not_applicable("an insecure-cluster item; run with `--profile simple` to judge it");
    }
    let run = or_verdict!(ctx.alice().await);
    Verdict::check(
        run.worker_launch.contains("HADOOP_USER_NAME=\"alice\""),
        "HADOOP_USER_NAME=alice reaches the worker container",
        "the worker container has no HADOOP_USER_NAME: without Kerberos it acts as the NodeManager's user",
        vec![
            script_lines("worker launch_container.sh", &run.worker_launch, "HADOOP_USER_NAME"),
            Evidence::new("log", "worker stdout", run.worker_stdout.clone()),
        ],
    )
}

/// A7 (recommended): HADOOP_JAAS_DEBUG from the AM's environment reaches the worker.
pub async fn a7(ctx: &Context<'_>) -> Verdict {
    let run = or_verdict!(ctx.alice().await);
    if !run.am_launch.contains("HADOOP_JAAS_DEBUG") {
        return Verdict::not_applicable(
            "HADOOP_JAAS_DEBUG is not set in the ApplicationMaster's environment, so there is nothing to propagate",
        );
    }
    Verdict::check(
        run.worker_launch.contains("HADOOP_JAAS_DEBUG"),
        "HADOOP_JAAS_DEBUG reaches the worker container",
        "the AM has HADOOP_JAAS_DEBUG but does not pass it to its container",
        vec![script_lines("worker launch_container.sh", &run.worker_launch, "HADOOP_JAAS_DEBUG")],
    )
}

/// Thread names and stack frames that show a delegation-token renewer at work: Hadoop's own
/// `DelegationTokenRenewer`, Spark's "Credential Renewal Thread", and any thread whose name or
/// frames renew or refresh tokens or credentials. Kerberos TGT renewal is not token renewal.
fn renews_tokens(thread: &str) -> bool {
    let lower = thread.to_lowercase();
    let header = lower.lines().next().unwrap_or_default();
    if header.contains("tgt renewer") {
        return false;
    }
    let renew = lower.contains("renew") || lower.contains("refresh");
    let tokens = lower.contains("token") || lower.contains("credential");
    (renew && tokens) || lower.contains("delegationtokenrenewer")
}

/// Splits a JVM thread dump into threads (header line and frames).
fn threads(dump: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in dump.lines() {
        if line.starts_with('"') {
            out.push(line.to_string());
        } else if let Some(last) = out.last_mut() {
            if line.trim_start().starts_with("at ") {
                last.push('\n');
                last.push_str(line.trim());
            }
        }
    }
    out
}

/// A3: the AM starts a thread or executor that renews its tokens on a regular basis. Judged from a
/// thread dump of the running AM taken after one token renew interval, and from who renewed the
/// application's HDFS token (the ResourceManager's log).
pub async fn a3(ctx: &Context<'_>) -> Verdict {
    or_verdict!(require_kerberos(ctx));
    let renew = ctx.cluster.profile().token_renew_interval();
    let cred = or_verdict!(ctx.credential_or_fail("alice"));
    let alice = ctx.cluster.auth_for("alice", cred.as_ref());
    // The application outlives one renew interval, so that a renewer has had to act.
    let lifetime = renew + Duration::from_secs(25);
    let launched = match ctx.launch_script("alice", alice, &format!("sleep {}\n", lifetime.as_secs())).await {
        Ok(l) => l,
        Err(e) => return Verdict::fail(format!("alice's application could not be launched: {e}"), vec![]),
    };
    let app_id = launched.submitted.application_id.clone();
    let dump_at = launched.started + renew + Duration::from_secs(5);
    ctx.waiting("A3", format!("the ApplicationMaster lives one {}s token renew interval before its thread dump", renew.as_secs()), dump_at);
    let dump = thread_dump_after(ctx, &app_id, launched.started + renew + Duration::from_secs(5)).await;
    let run = match ctx.finish(launched, alice, lifetime + Duration::from_secs(180)).await {
        Ok(r) => r,
        Err(e) => return Verdict::fail(format!("alice's application did not run to its end: {e}"), vec![]),
    };
    let dump = match dump {
        Ok(d) => d,
        Err(e) => return Verdict::fail(format!("no thread dump of the ApplicationMaster: {e}"), vec![app_evidence(&run.app)]),
    };
    let all = threads(&dump);
    let renewers: Vec<&String> = all.iter().filter(|t| renews_tokens(t)).collect();
    let names: Vec<&str> = all.iter().filter_map(|t| t.lines().next()).map(|h| h.split('"').nth(1).unwrap_or(h)).collect();
    let mut evidence = vec![
        app_evidence(&run.app),
        Evidence::new(
            "thread_dump",
            format!("the ApplicationMaster's {} threads, {} s after submission", all.len(), (renew + Duration::from_secs(5)).as_secs()),
            names.join("\n"),
        ),
    ];
    if let Some((seq, lines)) = crate::context::rm_renewals(ctx.cluster, run.am_tokens.as_ref()).await {
        evidence.push(Evidence::new(
            "log",
            format!("ResourceManager renewals of the application's HDFS token (sequence number {seq})"),
            lines.join("\n"),
        ));
    }
    if renewers.is_empty() {
        return Verdict::fail(
            format!(
                "the ApplicationMaster runs no thread that renews tokens ({} threads after one {} s renew interval, none renewing); only the ResourceManager renews the application's tokens, and only until their max lifetime ({} s here, 7 days by default), so a longer-lived application would lose HDFS access",
                all.len(),
                renew.as_secs(),
                ctx.cluster.profile().token_max_lifetime().as_secs()
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

/// Asks the application's AM JVM for a thread dump (SIGQUIT) once `at` has come and the AM runs,
/// and reads it from the AM's stdout.
async fn thread_dump_after(ctx: &Context<'_>, app_id: &str, at: std::time::Instant) -> Result<String, String> {
    let container = crate::context::am_container_id(app_id);
    let deadline = at + Duration::from_secs(60);
    // Wait for the time to come, then for the AM's JVM to exist.
    tokio::time::sleep_until(at.into()).await;
    let pid = loop {
        let table = ctx.cluster.hadoop().sh("ps -eo pid=,ppid=,args=").await.map_err(|e| e.to_string())?;
        if let Some(pid) = container_jvm(&table, &container) {
            break pid;
        }
        if std::time::Instant::now() > deadline {
            return Err(format!("no JVM of {container} was running"));
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    };
    ctx.cluster.hadoop().sh(&format!("kill -QUIT {pid}")).await.map_err(|e| e.to_string())?;
    let stdout_glob = format!("{app_id}/{container}/");
    let until = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let logs = ctx.cluster.evidence().container_logs(app_id).await.map_err(|e| e.to_string())?;
        let text: String = logs
            .iter()
            .filter(|f| f.path.contains(&stdout_glob) && f.path.ends_with("stdout"))
            .map(|f| String::from_utf8_lossy(&f.content).into_owned())
            .collect();
        if let Some(at) = text.find("Full thread dump") {
            return Ok(text[at..].to_string());
        }
        if std::time::Instant::now() > until {
            return Err(format!("the JVM {pid} of {container} printed no thread dump on its stdout within 20 s"));
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// The pid of the JVM a container runs, from a `ps -eo pid=,ppid=,args=` table: a descendant of
/// the NodeManager's launch script for that container whose program is `java`. (The process
/// table, not `/proc/<pid>/environ`, because reading another user's environment takes ptrace
/// rights a container exec does not have.)
fn container_jvm(table: &str, container: &str) -> Option<u32> {
    let rows: Vec<(u32, u32, &str)> = table
        .lines()
        .filter_map(|l| {
            let (pid, rest) = l.trim_start().split_once(char::is_whitespace)?;
            let rest = rest.trim_start();
            let (ppid, args) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
            Some((pid.parse().ok()?, ppid.parse().ok()?, args.trim_start()))
        })
        .collect();
    let launcher = format!("{container}/");
    let mut family: Vec<u32> =
        rows.iter().filter(|(_, _, args)| args.contains(&launcher) && args.contains("container_executor.sh")).map(|r| r.0).collect();
    let mut i = 0;
    while i < family.len() {
        let parent = family[i];
        family.extend(rows.iter().filter(|r| r.1 == parent).map(|r| r.0));
        i += 1;
    }
    rows.iter()
        .filter(|r| family.contains(&r.0))
        .find(|r| r.2.split_whitespace().next().is_some_and(|p| p == "java" || p.ends_with("/java")))
        .map(|r| r.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_container_jvm_is_found_among_the_launch_scripts_descendants() {
        let table = "  747     1 bash /data/yarn/local/usercache/alice/appcache/app_1/container_1_0001_01_000001/default_container_executor.sh
                       749   747 /bin/bash -c /usr/lib/jvm/java-17/bin/java -Xmx256m Main 1>x 2>y
                       756   749 /usr/lib/jvm/java-17/bin/java -Xmx256m Main
                       868     1 bash /data/yarn/local/usercache/alice/appcache/app_1/container_1_0001_01_000002/default_container_executor.sh
                       900   868 /usr/lib/jvm/java-17/bin/java Other
";
        assert_eq!(container_jvm(table, "container_1_0001_01_000001"), Some(756));
        assert_eq!(container_jvm(table, "container_1_0001_01_000002"), Some(900));
        assert_eq!(container_jvm(table, "container_1_0001_01_000003"), None);
    }

    #[test]
    fn renewer_threads_are_told_from_tgt_renewal_and_heartbeats() {
        let dump = "Full thread dump OpenJDK\n\n\"main\" #1 prio=5\n   at java.lang.Thread.sleep(Native Method)\n\n\
                    \"TGT Renewer for alice@R\" #20 daemon\n   at java.lang.Thread.sleep(Native Method)\n\n\
                    \"AMRM Heartbeater thread\" #30\n   at org.apache.hadoop.yarn.client.api.async.impl.AMRMClientAsyncImpl$HeartbeatThread.run\n\n\
                    \"Credential Renewal Thread\" #40 daemon\n   at java.util.concurrent.locks.LockSupport.parkNanos\n\n\
                    \"pool-3-thread-1\" #41\n   at org.example.TokenRefresher.renew(TokenRefresher.java:42)\n";
        let all = threads(dump);
        assert_eq!(all.len(), 5);
        let renewing: Vec<&str> = all.iter().filter(|t| renews_tokens(t)).map(|t| t.split('"').nth(1).unwrap()).collect();
        assert_eq!(renewing, ["Credential Renewal Thread", "pool-3-thread-1"]);
    }
}
