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
//! owner in another PID namespace             judged by its pid there when this process (root,
//!                                            in the host's namespace) sees the host's processes:
//!                                            gone with its namespace; else `--cluster ID`/`--all`
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

/// Label naming the working directory of the command that kept a cluster (on its marker volume).
pub const KEPT_FROM_LABEL: &str = "dev.yarnsec.kept-from";

/// The name of the empty volume whose existence marks a cluster as kept on purpose. The engine
/// holds it, so every process sees it, whatever its temporary directory or environment.
fn kept_marker(cluster_id: &str) -> String {
    format!("{cluster_id}-kept")
}

/// Marks a cluster as kept on purpose (`yarnsec up`, `YARNSEC_KEEP`): it outlives its owner
/// until a `yarnsec down` run from the same working directory (another job's `down` leaves it),
/// and this process is no longer responsible for it.
pub async fn mark_kept(docker: &Docker, cluster_id: &str) -> Result<(), HarnessError> {
    let cwd = std::env::current_dir().map_err(HarnessError::io("."))?;
    let mut labels = docker::cluster_labels(cluster_id, &crate::owner::Owner::current());
    labels.insert(KEPT_FROM_LABEL.to_string(), cwd.display().to_string());
    let request = bollard::models::VolumeCreateRequest { name: Some(kept_marker(cluster_id)), labels: Some(labels), ..Default::default() };
    docker.create_volume(request).await.map_err(|e| HarnessError::Network { detail: format!("cannot mark {cluster_id} as kept: {e}") })?;
    give_up_responsibility(cluster_id);
    Ok(())
}

/// The working directory of the command that kept a cluster (`None`: not kept).
pub async fn kept_from(docker: &Docker, cluster_id: &str) -> Option<PathBuf> {
    let volume = docker.inspect_volume(&kept_marker(cluster_id)).await.ok()?;
    Some(PathBuf::from(volume.labels.get(KEPT_FROM_LABEL).cloned().unwrap_or_default()))
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
    /// Its owner lives in another PID namespace that this process cannot see into (or it is not
    /// labelled): this process cannot tell.
    Foreign,
}

/// The standing of a labelled cluster, judged from its owner and the kept marker.
pub async fn standing(docker: &Docker, cluster: &LabelledCluster) -> Standing {
    if kept_from(docker, &cluster.id).await.is_some() {
        return Standing::Kept;
    }
    match cluster.owner.as_ref().map(|o| o.liveness()) {
        Some(Liveness::Alive) => Standing::InUse,
        Some(Liveness::Gone) => Standing::Leftover,
        Some(Liveness::Unknown) | None => Standing::Foreign,
    }
}

/// Whether `id` is a cluster id yarnsec makes (`yarnsec-<index>-<hex>`): anything else is never
/// used as a network name or a directory name by the removal.
pub fn is_cluster_id(id: &str) -> bool {
    let mut parts = id.split('-');
    matches!(
        (parts.next(), parts.next(), parts.next(), parts.next()),
        (Some("yarnsec"), Some(index), Some(tail), None)
            if index.len() == 3 && index.bytes().all(|b| b.is_ascii_digit()) && !tail.is_empty() && tail.bytes().all(|b| b.is_ascii_hexdigit())
    ) && docker::index_of(id).is_some()
}

/// Removes one cluster completely (see the module's text). Goes as far as it can and reports
/// what it could not remove.
pub async fn remove(docker: &Docker, cluster_id: &str) -> Result<(), HarnessError> {
    if !is_cluster_id(cluster_id) {
        return Err(HarnessError::NotACluster { id: cluster_id.to_string() });
    }
    crate::process::kill_labelled(cluster_id);
    let removed = docker::remove_cluster(docker, cluster_id).await;
    let _ = docker.remove_volume(&kept_marker(cluster_id), None::<bollard::query_parameters::RemoveVolumeOptions>).await;
    forget_host_state(cluster_id);
    removed
}

/// Removes the realm from this process's `krb5.conf` registry (`KRB5_CONFIG`; a process with
/// another registry leaves a stale realm in it, which the next cluster on the same /24 replaces)
/// and deletes the state directory under this process's state root.
pub(crate) fn forget_host_state(cluster_id: &str) {
    if let (Some(index), Some(registry)) = (docker::index_of(cluster_id), std::env::var_os("KRB5_CONFIG")) {
        let _ = Krb5Conf::unregister_realm(std::path::Path::new(&registry), &crate::layout::realm_for(index));
    }
    let _ = std::fs::remove_dir_all(state_root().join(cluster_id));
    give_up_responsibility(cluster_id);
}

/// Removes the clusters whose owner is gone and that nobody kept: what killed processes left.
/// One that cannot be removed does not stop the others; the error names them all.
pub async fn sweep_leftovers(docker: &Docker) -> Result<Vec<String>, HarnessError> {
    let mut swept = Vec::new();
    let mut failures = Vec::new();
    for cluster in docker::labelled_clusters(docker).await? {
        if standing(docker, &cluster).await == Standing::Leftover {
            match remove(docker, &cluster.id).await {
                Ok(()) => swept.push(cluster.id),
                Err(e) => failures.push(e.to_string()),
            }
        }
    }
    if failures.is_empty() {
        Ok(swept)
    } else {
        Err(HarnessError::Cleanup { detail: failures.join("; ") })
    }
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

/// Removes every cluster the project ever labelled, whoever owns it, as far as it can.
pub async fn remove_all(docker: &Docker) -> Result<Vec<String>, HarnessError> {
    let mut removed = Vec::new();
    let mut failures = Vec::new();
    for cluster in docker::labelled_clusters(docker).await? {
        match remove(docker, &cluster.id).await {
            Ok(()) => removed.push(cluster.id),
            Err(e) => failures.push(e.to_string()),
        }
    }
    if failures.is_empty() {
        Ok(removed)
    } else {
        Err(HarnessError::Cleanup { detail: failures.join("; ") })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_yarnsec_cluster_ids_are_removed() {
        assert!(is_cluster_id("yarnsec-095-4e36"));
        for bad in
            ["/home/me", "..", "yarnsec-095-4e36/../x", "yarnsec-600-4e36", "yarnsec-95-4e36", "bridge", "yarnsec-095-", "yarnsec-095-zz"]
        {
            assert!(!is_cluster_id(bad), "{bad}");
        }
    }
}
