//! Removing a cluster completely, whoever asks: the cluster's own shutdown, a signal handler, a
//! `yarnsec down`, or the sweep before the next start.
//!
//! "Completely" means, in this order: the host processes working for it (labelled with its id,
//! see [`crate::process`]), its containers and its network (labelled, see [`crate::docker`]), its
//! realm in this host's `krb5.conf` registry and its host-side state directory (keytabs).
//!
//! Which clusters may go:
//!
//! ```text
//! owner alive (a run in progress)           never swept; `down --cluster ID` or `--all` only
//! owner gone, not kept                       a leftover: `down` and every start remove it
//! kept (`yarnsec up` finished its start)     stays until `down` from the same directory
//! owner in another PID namespace             this process cannot tell: `--cluster ID`/`--all`
//! ```
//!
//! A process is also *responsible* for the clusters it is creating or running: if a signal ends
//! it, [`remove_responsible`] removes them before it exits.
//!
//! ```no_run
//! # async fn demo() -> Result<(), yarnsec_harness::HarnessError> {
//! let docker = yarnsec_harness::docker::connect().await?;
//! for id in yarnsec_harness::cleanup::sweep_leftovers(&docker).await? {
//!     eprintln!("removed {id}, left by a process that is gone");
//! }
//! # Ok(()) }
//! ```

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Mutex;

use bollard::Docker;
use yarnsec_hadoop::kerberos::Krb5Conf;

use crate::cluster::state_root;
use crate::docker::{self, LabelledCluster};
use crate::error::HarnessError;
use crate::owner::Liveness;

/// The clusters this process created and has not yet removed or handed over (kept).
static RESPONSIBLE: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());

/// Records that this process must remove `cluster_id` if it is interrupted.
pub(crate) fn take_responsibility(cluster_id: &str) {
    RESPONSIBLE.lock().unwrap_or_else(|e| e.into_inner()).insert(cluster_id.to_string());
}

/// This process is no longer responsible for `cluster_id`: another process owns it now (e.g. a
/// test runner named by `yarnsec up --down-when-gone`).
pub fn hand_over(cluster_id: &str) {
    give_up_responsibility(cluster_id);
}

fn give_up_responsibility(cluster_id: &str) {
    RESPONSIBLE.lock().unwrap_or_else(|e| e.into_inner()).remove(cluster_id);
}

/// The clusters this process is responsible for now.
pub fn responsible() -> Vec<String> {
    RESPONSIBLE.lock().unwrap_or_else(|e| e.into_inner()).iter().cloned().collect()
}

/// The file whose presence marks a cluster as kept on purpose.
fn kept_marker(cluster_id: &str) -> PathBuf {
    state_root().join(cluster_id).join("kept")
}

/// Marks a cluster as kept on purpose (`yarnsec up`, `YARNSEC_KEEP`): it outlives its owner
/// until a `yarnsec down` run from the same working directory (another job's `down` leaves it),
/// and this process is no longer responsible for it.
pub fn mark_kept(cluster_id: &str) -> Result<(), HarnessError> {
    let marker = kept_marker(cluster_id);
    if let Some(dir) = marker.parent() {
        std::fs::create_dir_all(dir).map_err(HarnessError::io(dir))?;
    }
    let cwd = std::env::current_dir().map_err(HarnessError::io("."))?;
    std::fs::write(&marker, cwd.as_os_str().as_encoded_bytes()).map_err(HarnessError::io(&marker))?;
    give_up_responsibility(cluster_id);
    Ok(())
}

/// Whether a cluster was kept on purpose.
pub fn is_kept(cluster_id: &str) -> bool {
    kept_marker(cluster_id).exists()
}

/// The working directory of the command that kept a cluster (`None`: not kept).
pub fn kept_from(cluster_id: &str) -> Option<PathBuf> {
    let bytes = std::fs::read(kept_marker(cluster_id)).ok()?;
    Some(PathBuf::from(String::from_utf8_lossy(&bytes).into_owned()))
}

/// What `yarnsec down` and the sweep may do with a cluster.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// Its owner runs: leave it.
    InUse,
    /// Its owner is gone and nobody kept it.
    Leftover,
    /// Kept on purpose.
    Kept,
    /// Its owner lives in another PID namespace (or is not labelled): this process cannot tell.
    Foreign,
}

/// The standing of a labelled cluster, judged from its owner and the kept marker.
pub fn standing(cluster: &LabelledCluster) -> Standing {
    if is_kept(&cluster.id) {
        return Standing::Kept;
    }
    match cluster.owner.as_ref().map(|o| o.liveness()) {
        Some(Liveness::Alive) => Standing::InUse,
        Some(Liveness::Gone) => Standing::Leftover,
        Some(Liveness::Unknown) | None => Standing::Foreign,
    }
}

/// Removes one cluster completely (see the module's text). Goes as far as it can and reports
/// what it could not remove.
pub async fn remove(docker: &Docker, cluster_id: &str) -> Result<(), HarnessError> {
    crate::process::kill_labelled(cluster_id);
    let removed = docker::remove_cluster(docker, cluster_id).await;
    forget_host_state(cluster_id);
    removed
}

/// Removes the realm from this host's `krb5.conf` registry and deletes the state directory.
pub(crate) fn forget_host_state(cluster_id: &str) {
    if let (Some(index), Some(registry)) = (docker::index_of(cluster_id), std::env::var_os("KRB5_CONFIG")) {
        let _ = Krb5Conf::unregister_realm(std::path::Path::new(&registry), &crate::layout::realm_for(index));
    }
    let _ = std::fs::remove_dir_all(state_root().join(cluster_id));
    give_up_responsibility(cluster_id);
}

/// Removes the clusters whose owner is gone and that nobody kept: what killed processes left.
pub async fn sweep_leftovers(docker: &Docker) -> Result<Vec<String>, HarnessError> {
    let mut swept = Vec::new();
    for cluster in docker::labelled_clusters(docker).await? {
        if standing(&cluster) == Standing::Leftover {
            remove(docker, &cluster.id).await?;
            swept.push(cluster.id);
        }
    }
    Ok(swept)
}

/// Removes every cluster this process is responsible for (after a signal). Returns their ids.
pub async fn remove_responsible(docker: &Docker) -> Vec<String> {
    let ids = responsible();
    let removals = ids.iter().map(|id| async move {
        if let Err(e) = remove(docker, id).await {
            eprintln!("yarnsec: {e}");
        }
    });
    futures::future::join_all(removals).await;
    ids
}

/// Removes every cluster the project ever labelled, whoever owns it.
pub async fn remove_all(docker: &Docker) -> Result<Vec<String>, HarnessError> {
    let mut removed = Vec::new();
    for cluster in docker::labelled_clusters(docker).await? {
        remove(docker, &cluster.id).await?;
        removed.push(cluster.id);
    }
    Ok(removed)
}
