//! The long-lived run L1–L7 judge: alice's long-lived application launched through the
//! submitter's own contract with her keytab, and watched past the max lifetime of the tokens it
//! was launched with ([`crate::facts::long_lived`] holds what is seen).

use std::time::{Duration, Instant};

use yarnsec_hadoop::http::Auth;
use yarnsec_hadoop::yarn::App;

use crate::context::Context;
use crate::error::ObserveError;
use crate::facts::app_run::observe_containers;
use crate::facts::long_lived::{
    localized_files, node_logins, write_every, LongLivedRun, Output, SeenWrites, FIRST_WRITE_WAIT, WRITE_TAKES,
};
use crate::facts::token_file::namenode_tokens;
use crate::verdict::Verdict;
use yarnsec_submitter::clock::{epoch_ms, unique_nanos};
use yarnsec_submitter::command::{CommandRun, Script, Ticket};
use yarnsec_submitter::service::Request;
use yarnsec_submitter::workload::Run;
use yarnsec_submitter::Submission;

/// alice's long-lived application, launched once through the service with her keytab and watched
/// past its first tokens' max lifetime; shared by L1–L7. The verdict when it could not be observed.
pub async fn shared<'c>(ctx: &'c Context<'_>) -> Result<&'c LongLivedRun, Verdict> {
    let run = ctx.long_lived_cell().get_or_init(|| observe(ctx)).await;
    run.as_ref().map_err(|e| e.verdict_of("alice's long-lived application through the service"))
}

/// Launches the probe's long-lived workload through the service as alice, with her keytab, and
/// watches it until its first tokens have passed their max lifetime by one renew interval.
pub async fn observe(ctx: &Context<'_>) -> Result<LongLivedRun, ObserveError> {
    let cluster = ctx.cluster;
    let user = "alice";
    let cred = ctx.credential(user)?;
    let auth = cluster.auth_for(user, cred.as_ref());
    let marker = format!("yarnsec-long-lived-{user}-{}", unique_nanos());
    let script = ctx.workload_file(&Run::Loop { marker: &marker, every: write_every(cluster.profile()) }).await?;
    let name = format!("yarnsec-long-lived-{}", unique_nanos() % 1_000_000_000);
    let (submitted, command_run) = launch(ctx, user, auth, &script, &name).await?;
    let app_id = submitted.application_id.clone();
    let output = Output { dir: format!("/user/{user}"), prefix: format!("{marker}-") };
    let watched = watch(ctx, user, auth, submitted, &output).await;
    // Done watching, whatever was seen: the application would otherwise run for ever.
    let rm = cluster.resource_manager();
    if !matches!(&watched, Ok(run) if run.app_last.is_final()) {
        if let Err(e) = rm.kill(&app_id, auth, None).await {
            tracing::warn!(app = %app_id, error = %e, "could not stop the long-lived application");
        }
    }
    if let (Some(command), Some(run)) = (&ctx.service.command, &command_run) {
        command.stop(run).await;
    }
    for written in output.read(&cluster.webhdfs(), auth).await {
        let _ = cluster.webhdfs().delete(&written.path, auth, None).await;
    }
    watched
}

/// Launches `script` as a long-lived application named `name` for `user`, with the user's
/// keytab: through the service's form or JSON API (the keytab uploaded), or by its long-lived
/// command on the edge node (`{keytab}` names the user's keytab there). Returns the submission,
/// and the command's run, which may still be going.
async fn launch(
    ctx: &Context<'_>,
    user: &str,
    auth: Auth<'_>,
    script: &[u8],
    name: &str,
) -> Result<(Submission, Option<CommandRun>), ObserveError> {
    let Some(command) = &ctx.service.command else {
        let keytab_path = ctx.cluster.keytab_path(user);
        let keytab = std::fs::read(&keytab_path)
            .map_err(|e| ObserveError::OwnRequest { what: format!("{user}'s keytab {}", keytab_path.display()), source: Box::new(e) })?;
        let request = Request::new(user, auth, script, name).long_lived(&keytab);
        let submission = ctx.service.submit(ctx.cluster, ctx.http(), &request).await.map_err(|e| ctx.submit_error(e))?;
        ctx.saw(&submission);
        return Ok((submission, None));
    };
    let file_name = ctx.service.workload.file_name();
    let run = command
        .submit(ctx.cluster, user, Ticket::Valid, Script { content: script, file_name }, name, true)
        .await
        .map_err(|e| ctx.submit_error(e))?;
    let submission = command.submission(&run, user, name).await.map_err(|e| ctx.submit_error(e))?;
    ctx.saw(&submission);
    Ok((submission, Some(run)))
}

/// Follows a launched long-lived application until its first tokens have passed their max
/// lifetime by one renew interval, and gathers the facts.
async fn watch(
    ctx: &Context<'_>,
    user: &str,
    auth: Auth<'_>,
    submitted: Submission,
    output: &Output,
) -> Result<LongLivedRun, ObserveError> {
    let cluster = ctx.cluster;
    let app_id = submitted.application_id.clone();
    let rm = cluster.resource_manager();
    let fs = cluster.webhdfs();
    // Only the ResourceManager's own refusal speaks of the application (its ACLs); a transport
    // error says nothing about it (SKIPPED).
    let report = |app: Result<App, yarnsec_hadoop::HttpError>| {
        app.map_err(|source| match source {
            source @ yarnsec_hadoop::HttpError::Status { status: 401 | 403, .. } => {
                ObserveError::AppReport { app: app_id.clone(), source: Box::new(source) }
            }
            source => ObserveError::Unreachable { app: app_id.clone(), source: Box::new(source) },
        })
    };

    // Its work begins: the application runs and its output is in HDFS (or it ended, or time ran out).
    let until = Instant::now() + FIRST_WRITE_WAIT;
    ctx.waiting("L1", "alice's long-lived application to start writing", until);
    let mut seen = SeenWrites::default();
    let app_first = loop {
        let app = report(rm.app(&app_id, auth).await)?;
        let look = output.read(&fs, auth).await;
        seen.note(&look);
        let wrote = !look.is_empty();
        if app.is_final() || (app.state == "RUNNING" && wrote) || Instant::now() > until {
            break app;
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    };
    let first = observe_containers(cluster, &app_id).await?;

    let profile = cluster.profile();
    let (max_lifetime, renew_interval) = (profile.token_max_lifetime(), profile.token_renew_interval());
    let first_max_ms = first
        .iter()
        .flat_map(|c| namenode_tokens(&cluster.namenode_token_service(), &c.tokens))
        .filter_map(|t| t.delegation().map(|d| d.max_date))
        .max()
        .unwrap_or(app_first.started_time + max_lifetime.as_millis() as i64);
    let check_ms = first_max_ms + renew_interval.as_millis() as i64;
    if !app_first.is_final() {
        let every = write_every(profile);
        let most = Instant::now() + Duration::from_millis((check_ms - epoch_ms()).max(0) as u64) + every + WRITE_TAKES;
        ctx.waiting(
            "L1",
            format!(
                "alice's long-lived application to outlive its first tokens' max lifetime ({} s) and one renew interval",
                max_lifetime.as_secs()
            ),
            most,
        );
        // Until the check time, learning how often each container writes.
        while epoch_ms() < check_ms {
            seen.note(&output.read(&fs, auth).await);
            tokio::time::sleep(Duration::from_millis((check_ms - epoch_ms()).clamp(0, 2_000) as u64)).await;
        }
        // Past the check time, until a write lands in HDFS, or the longest gap seen between two
        // writes (and some slack) has passed without one.
        let until = Instant::now() + seen.quiet_window(every);
        // Until every container that wrote has written again after the check time.
        while Instant::now() < until {
            let written = output.read(&fs, auth).await;
            if !written.is_empty() && written.iter().all(|w| w.mtime_ms > check_ms) {
                break;
            }
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
    }
    let app_last = report(rm.app(&app_id, auth).await)?;
    let outputs = output.read(&fs, auth).await;
    let last = observe_containers(cluster, &app_id).await?;
    let localized = localized_files(cluster, &last).await?;
    let node_logins = node_logins(cluster, user, auth, &app_id, app_first.started_time).await;
    let token_moments = match crate::facts::issued::IssuedTokens::observe(cluster).await {
        Ok(issued) => {
            let mut held: Vec<(String, i32)> = first
                .iter()
                .chain(&last)
                .flat_map(|c| c.tokens.tokens())
                .filter(|t| t.kind == "HDFS_DELEGATION_TOKEN")
                .filter_map(|t| Some((t.service.clone(), t.sequence()?)))
                .collect();
            held.sort();
            held.dedup();
            held.iter().flat_map(|(service, seq)| issued.moments(service, *seq)).collect()
        }
        Err(e) => {
            tracing::warn!(error = %e, "the token issuers' logs could not be read for the timeline");
            Vec::new()
        }
    };
    Ok(LongLivedRun {
        user: user.to_string(),
        submitted,
        app_first,
        app_last,
        first,
        last,
        localized,
        first_max_ms,
        check_ms,
        output_path: format!("{}/{}<container>.txt", output.dir, output.prefix),
        outputs,
        node_logins,
        max_lifetime,
        renew_interval,
        ticket_lifetime: profile.ticket_lifetime(),
        watch_end_ms: epoch_ms(),
        token_moments,
    })
}
