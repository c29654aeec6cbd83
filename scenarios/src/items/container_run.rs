//! The observation K1–K2 judge: alice's container code at work, its JVM seen after one token
//! renew interval ([`crate::facts::container_jvm`] holds what is seen).

use std::time::{Duration, Instant};

use crate::context::Context;
use crate::error::ObserveError;
use crate::facts::app_run::observe_containers;
use crate::facts::container::ContainerFacts;
use crate::facts::container_jvm::{probe_container, ContainerJvm};
use crate::verdict::Verdict;
use yarnsec_submitter::clock::unique_nanos;
use yarnsec_submitter::workload::Run;

/// The JVM where alice's container code runs, observed once while it works; shared by K1–K2.
/// The verdict when it could not be observed.
pub async fn shared<'c>(ctx: &'c Context<'_>) -> Result<&'c ContainerJvm, Verdict> {
    let jvm = ctx.container_jvm_cell().get_or_init(|| observe(ctx)).await;
    jvm.as_ref().map_err(|e| e.verdict_of("alice's container code through the service"))
}

/// How long the probe in the AM's own container waits for one in a container the AM launched.
const WORKER_GRACE: Duration = Duration::from_secs(120);

/// How often the probe writes while it is watched.
const EVERY: Duration = Duration::from_secs(10);

/// Submits the probe as alice, watches its JVM, then kills the application.
pub async fn observe(ctx: &Context<'_>) -> Result<ContainerJvm, ObserveError> {
    let cluster = ctx.cluster;
    let cred = ctx.credential("alice")?;
    let auth = cluster.auth_for("alice", cred.as_ref());
    let marker = format!("yarnsec-jvm-alice-{}", unique_nanos());
    let launched = ctx.launch("alice", auth, &Run::Loop { marker: &marker, every: EVERY }, &format!("/user/alice/{marker}")).await?;
    let app_id = launched.submission.application_id.clone();
    let watched = watch(ctx, &app_id).await;
    // The probe writes for ever: the application goes, whatever was seen.
    if let Err(e) = cluster.resource_manager().kill(&app_id, auth, None).await {
        tracing::warn!(app = %app_id, error = %e, "could not stop the container-code probe's application");
    }
    if let Ok(entries) = cluster.webhdfs().list("/user/alice", auth, None).await {
        for e in entries.iter().filter(|e| e.path_suffix.starts_with(&marker)) {
            let _ = cluster.webhdfs().delete(&format!("/user/alice/{}", e.path_suffix), auth, None).await;
        }
    }
    watched
}

async fn watch(ctx: &Context<'_>, app_id: &str) -> Result<ContainerJvm, ObserveError> {
    let cluster = ctx.cluster;
    let evidence = cluster.evidence();
    let renew = cluster.profile().token_renew_interval();
    // The probe's JVM appears, says which it is, and writes once.
    let appear_by = Instant::now() + Duration::from_secs(300);
    yarnsec_submitter::progress::waiting("the JVM running alice's container code to start", appear_by);
    // Container code runs in the containers the AM launches; a framework that runs user code in
    // the AM's own container too (a driver in cluster mode) may start its executors later: the
    // AM's JVM is taken only when no other shows the probe a while after it did.
    let mut am_since: Option<Instant> = None;
    let (container, pid, first_seen) = loop {
        let containers = observe_containers(cluster, app_id).await?;
        if let Some(c) = probe_container(&containers) {
            // At the end of the wait, the AM's own JVM is taken however long it waited for another.
            let settled = !c.is_application_master()
                || am_since.get_or_insert_with(Instant::now).elapsed() > WORKER_GRACE
                || Instant::now() > appear_by;
            if settled {
                if let Some(pid) = evidence.container_jvm(&c.id).await.map_err(ObserveError::cluster("the container's processes"))? {
                    break (c.clone(), pid, Instant::now());
                }
            }
        }
        if Instant::now() > appear_by + Duration::from_secs(10) {
            let seen = if am_since.is_some() {
                "the probe's container shows it, but no JVM of it ran"
            } else {
                "no container's log shows `probe=`"
            };
            return Err(ObserveError::Service { what: format!("no container of {app_id} ran the probe in a JVM within 300 s ({seen})") });
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    };
    // One renew interval of its life, so that a renewer has had to act.
    let at = first_seen + renew + Duration::from_secs(5);
    yarnsec_submitter::progress::waiting(&format!("the container's JVM lives one {} s token renew interval", renew.as_secs()), at);
    tokio::time::sleep_until(at.into()).await;
    let classes = evidence.loaded_classes(pid).await.map_err(|e| e.to_string());
    let dump = evidence.thread_dump(app_id, &container.id, pid, Duration::from_secs(20)).await.map_err(|e| e.to_string());
    let now = observe_containers(cluster, app_id).await?;
    let logs = now.iter().find(|c| c.id == container.id).map(ContainerFacts::all_logs).unwrap_or_default();
    Ok(ContainerJvm {
        app_id: app_id.to_string(),
        container: container.id.clone(),
        application_master: container.is_application_master(),
        in_process: logs.lines().any(|l| l.trim() == "probe=in-process"),
        classes,
        dump,
        lived: first_seen.elapsed(),
        wrote: logs.lines().any(|l| l.trim().starts_with("put=ok")),
    })
}
