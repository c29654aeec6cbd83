//! ApplicationMaster items (A1–A7): judged from the AM's and the worker's token files and
//! launch scripts, and from the tokens' fate after the application ends.

use std::time::{Duration, Instant};

use yarnsec_hadoop::http::Auth;

use super::require_kerberos;
use crate::context::{script_lines, tokens_evidence, Context};
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
    let Some((_, token)) = run.am_tokens.iter().flat_map(|c| c.tokens.iter()).find(|(_, t)| t.kind == "HDFS_DELEGATION_TOKEN") else {
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
    let has_hdfs = run.worker_tokens.iter().flat_map(|c| c.tokens.iter()).any(|(_, t)| t.kind == "HDFS_DELEGATION_TOKEN");
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
