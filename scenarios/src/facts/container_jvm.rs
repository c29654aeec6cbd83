//! The JVM where a user's container code runs, seen while it works: the container-code items
//! (K1–K2) judge it. yarnsec submits its JVM probe in the long-lived mode (it writes the user's
//! HDFS home every few seconds and never returns), finds the container whose log shows the probe
//! (a container the ApplicationMaster launched, else the AM's own), and after one token renew
//! interval of that JVM's life takes the classes it has loaded (`jcmd VM.class_hierarchy`) and a
//! thread dump; then the application is killed. Only a probe that ran inside the framework's own
//! JVM (`YarnsecProbe.run()`, `probe=in-process`) shows the team's container code: a probe run as
//! a program of its own is yarnsec's code alone, and that is said.

use std::time::{Duration, Instant};

use crate::context::Context;
use crate::error::ObserveError;
use crate::facts::app_run::observe_containers;
use crate::facts::container::ContainerFacts;
use yarnsec_submitter::clock::unique_nanos;
use yarnsec_submitter::workload::Run;

/// The JVM of one container, as yarnsec saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContainerJvm {
    /// The application.
    pub app_id: String,
    /// The container.
    pub container: String,
    /// Whether it is the ApplicationMaster's own container.
    pub application_master: bool,
    /// Whether the probe ran inside this JVM (`YarnsecProbe.run()`), not as a JVM of its own.
    pub in_process: bool,
    /// The classes it had loaded (`jcmd VM.class_hierarchy`), or why they could not be had.
    pub classes: Result<String, String>,
    /// Its thread dump, or why none could be taken.
    pub dump: Result<String, String>,
    /// How long the JVM had lived when both were taken.
    pub lived: Duration,
    /// Whether the probe's write to HDFS had worked in it by then (`put=ok`).
    pub wrote: bool,
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

/// The container whose logs show the probe: one the AM launched first, else the AM's own.
pub fn probe_container(containers: &[ContainerFacts]) -> Option<&ContainerFacts> {
    let shows = |c: &&ContainerFacts| c.logs.values().any(|t| t.lines().any(|l| l.trim().starts_with("probe=")));
    containers.iter().filter(|c| !c.is_application_master()).find(shows).or_else(|| containers.iter().find(shows))
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
            let settled = !c.is_application_master() || am_since.get_or_insert_with(Instant::now).elapsed() > WORKER_GRACE;
            if settled {
                if let Some(pid) = evidence.container_jvm(&c.id).await.map_err(ObserveError::cluster("the container's processes"))? {
                    break (c.clone(), pid, Instant::now());
                }
            }
        }
        if Instant::now() > appear_by {
            return Err(ObserveError::Service {
                what: format!("no container of {app_id} ran the probe in a JVM within 300 s (no container's log shows `probe=`)"),
            });
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
