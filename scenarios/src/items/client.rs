//! Client items (C1–C7): judged from what the ResourceManager handed the ApplicationMaster.

use super::require_kerberos;
use crate::context::{app_evidence, script_lines, tokens_evidence, Context};
use crate::verdict::Verdict;

/// C1: security is detected. Observable as its consequence: on a secure cluster the client put
/// delegation tokens in the submission, which it only does once it has seen security on.
pub async fn c1(ctx: &Context<'_>) -> Verdict {
    or_verdict!(require_kerberos(ctx));
    let run = or_verdict!(ctx.alice().await);
    let kinds = token_kinds(run.am_tokens.as_ref());
    let delegation = kinds.iter().any(|k| k.ends_with("DELEGATION_TOKEN"));
    Verdict::check(
        delegation,
        "the submission carried delegation tokens, so the client saw that security is on",
        "the submission carried no delegation token: the client behaves as if security were off",
        vec![tokens_evidence("ApplicationMaster container_tokens", run.am_tokens.as_ref())],
    )
}

fn token_kinds(creds: Option<&yarnsec_hadoop::token::Credentials>) -> Vec<String> {
    creds.map(|c| c.tokens.iter().map(|(_, t)| t.kind.clone()).collect()).unwrap_or_default()
}

/// C2: an HDFS delegation token for the cluster's filesystem, renewable by the RM.
pub async fn c2(ctx: &Context<'_>) -> Verdict {
    or_verdict!(require_kerberos(ctx));
    let run = or_verdict!(ctx.alice().await);
    let renewer = ctx.cluster.layout().rm_renewer();
    let evidence = vec![tokens_evidence("ApplicationMaster container_tokens", run.am_tokens.as_ref()), app_evidence(&run.app)];
    if run.am_tokens.is_none() {
        let diagnostics = run.app.diagnostics.clone().unwrap_or_default();
        return Verdict::fail(format!("the ResourceManager never launched an ApplicationMaster: {}", diagnostics.trim()), evidence);
    }
    // The cluster's own filesystem: a token for another one (the remote HDFS) does not count.
    let hdfs = crate::context::namenode_tokens(ctx.cluster, run.am_tokens.as_ref());
    if hdfs.is_empty() {
        return Verdict::fail(
            format!(
                "the ApplicationMaster received no HDFS_DELEGATION_TOKEN for the cluster's NameNode ({}): the client did not get one for the cluster's filesystem",
                ctx.cluster.namenode_token_service()
            ),
            evidence,
        );
    }
    let renewers: Vec<String> =
        hdfs.iter().filter_map(|t| t.identifier().ok()).filter_map(|i| i.as_delegation().map(|d| d.renewer.clone())).collect();
    Verdict::check(
        renewers.iter().all(|r| r == renewer),
        format!("HDFS delegation token present with renewer `{renewer}`, the ResourceManager"),
        format!("the HDFS delegation token's renewer is {renewers:?}, not the ResourceManager (`{renewer}`): the RM cannot renew it"),
        evidence,
    )
}

/// C3: tokens for every other service: the timeline server for the reference service.
pub async fn c3(ctx: &Context<'_>) -> Verdict {
    or_verdict!(require_kerberos(ctx));
    if !ctx.service.features.timeline && !ctx.service.features.remote_filesystems {
        return Verdict::not_applicable("the service declares no other service (timeline, remote filesystems) its applications use");
    }
    let run = or_verdict!(ctx.alice().await);
    let kinds = token_kinds(run.am_tokens.as_ref());
    let missing: Vec<&str> = [(ctx.service.features.timeline, "TIMELINE_DELEGATION_TOKEN")]
        .iter()
        .filter(|(needed, kind)| *needed && !kinds.iter().any(|k| k == kind))
        .map(|(_, k)| *k)
        .collect();
    Verdict::check(
        missing.is_empty(),
        "a token for every other service the application uses is present (timeline)",
        format!("missing: {}", missing.join(", ")),
        vec![tokens_evidence("ApplicationMaster container_tokens", run.am_tokens.as_ref())],
    )
}

/// C4: the Oozie-style launch from a token file.
pub fn c4(ctx: &Context<'_>) -> Verdict {
    if ctx.service.features.token_file {
        return Verdict::skipped("not judged: this version of yarnsec does not implement the HADOOP_TOKEN_FILE_LOCATION launch yet");
    }
    Verdict::not_applicable("the service declares no launch from HADOOP_TOKEN_FILE_LOCATION (Oozie-style)")
}

/// C5: the tokens reach the ApplicationMaster's launch context.
pub async fn c5(ctx: &Context<'_>) -> Verdict {
    or_verdict!(require_kerberos(ctx));
    let run = or_verdict!(ctx.alice().await);
    Verdict::check(
        !crate::context::namenode_tokens(ctx.cluster, run.am_tokens.as_ref()).is_empty(),
        "the ApplicationMaster's token file holds the delegation tokens the client obtained",
        "the ApplicationMaster's token file holds no delegation token from the client",
        vec![
            tokens_evidence("ApplicationMaster container_tokens", run.am_tokens.as_ref()),
            script_lines("ApplicationMaster launch_container.sh", &run.am_launch, "HADOOP_TOKEN_FILE_LOCATION"),
        ],
    )
}

/// C6: HADOOP_JAAS_DEBUG propagation (only when the client has it set).
pub async fn c6(ctx: &Context<'_>) -> Verdict {
    let run = or_verdict!(ctx.alice().await);
    if run.am_launch.contains("HADOOP_JAAS_DEBUG") {
        return Verdict::pass(
            "HADOOP_JAAS_DEBUG reaches the ApplicationMaster",
            vec![script_lines("ApplicationMaster launch_container.sh", &run.am_launch, "HADOOP_JAAS_DEBUG")],
        );
    }
    Verdict::not_applicable("HADOOP_JAAS_DEBUG is not set in the service's environment, so there is nothing to propagate")
}

/// C7: insecure clusters only: the user's name reaches the ApplicationMaster.
pub async fn c7(ctx: &Context<'_>) -> Verdict {
    if ctx.cluster.profile().kerberos() {
        return Verdict::not_applicable("an insecure-cluster item; run with `--profile simple` to judge it");
    }
    let run = or_verdict!(ctx.alice().await);
    Verdict::check(
        run.am_launch.contains("HADOOP_USER_NAME=\"alice\""),
        "HADOOP_USER_NAME=alice is set for the ApplicationMaster",
        "HADOOP_USER_NAME is not set to the submitting user for the ApplicationMaster: without Kerberos it would act as the NodeManager's user",
        vec![script_lines("ApplicationMaster launch_container.sh", &run.am_launch, "HADOOP_USER_NAME")],
    )
}
