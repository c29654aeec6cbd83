//! The Docker engine: connecting (with a clear error when none answers), project labels,
//! per-cluster networks with their own subnet, and sweeping what earlier runs left behind.

use std::collections::HashMap;
use std::net::Ipv4Addr;

use bollard::models::{ContainerSummary, Ipam, IpamConfig, NetworkCreateRequest};
use bollard::query_parameters::{ListContainersOptions, ListNetworksOptions, RemoveContainerOptions};
use bollard::Docker;
use rand::Rng;

use crate::error::HarnessError;
use crate::owner::Owner;

/// Label on every container and network yarnsec creates.
pub const PROJECT_LABEL: &str = "dev.yarnsec.project";
/// Label naming the cluster a container or network belongs to.
pub const CLUSTER_LABEL: &str = "dev.yarnsec.cluster";
/// Label naming the process that owns a cluster (see [`Owner`]): when it is gone, the cluster is
/// a leftover, unless it was kept on purpose (see [`crate::cleanup::mark_kept`]).
pub const OWNER_LABEL: &str = "dev.yarnsec.owner";
/// Label naming a container's role (`kdc`, `hadoop`, `service`).
pub const ROLE_LABEL: &str = "dev.yarnsec.role";
/// Label carrying the realm, by which another process finds a cluster's containers.
pub const REALM_LABEL: &str = "dev.yarnsec.realm";

/// Connects to the local engine and checks that it answers, negotiating the API version (the
/// engine here speaks API 1.41).
pub async fn connect() -> Result<Docker, HarnessError> {
    let docker = Docker::connect_with_local_defaults().map_err(|e| HarnessError::DockerUnavailable { detail: e.to_string() })?;
    let docker = docker.negotiate_version().await.map_err(|e| HarnessError::DockerUnavailable { detail: e.to_string() })?;
    docker.ping().await.map_err(|e| HarnessError::DockerUnavailable { detail: e.to_string() })?;
    Ok(docker)
}

/// The labels of a cluster's containers and network.
pub fn cluster_labels(cluster_id: &str, owner: &Owner) -> HashMap<String, String> {
    HashMap::from([
        (PROJECT_LABEL.to_string(), "yarnsec".to_string()),
        (CLUSTER_LABEL.to_string(), cluster_id.to_string()),
        (OWNER_LABEL.to_string(), owner.label()),
    ])
}

/// A cluster's Docker network and its /24.
#[derive(Clone, Debug)]
pub struct ClusterNetwork {
    /// Network name (also the cluster id).
    pub name: String,
    /// Index of the /24 inside 198.18.0.0/15 (0..512).
    pub index: u16,
    /// The /24's first address.
    pub subnet: Ipv4Addr,
}

/// The /24 number `index` of 198.18.0.0/15 (the benchmarking range, never routed on the internet).
pub fn subnet_of(index: u16) -> Ipv4Addr {
    Ipv4Addr::new(198, 18 + (index / 256) as u8, (index % 256) as u8, 0)
}

/// How many /24s a new cluster tries before it gives up.
pub const SUBNET_ATTEMPTS: u16 = 24;

/// The /24s a new cluster tries, in order, from a starting index: spread out, so that two
/// clusters starting at once rarely pick the same subnet twice.
pub fn subnet_candidates(start: u16) -> impl Iterator<Item = u16> {
    (0..SUBNET_ATTEMPTS).map(move |attempt| (start + attempt * 37) % 512)
}

/// Creates a network for a new cluster on a free /24 of 198.18.0.0/15, trying other subnets when
/// one is taken (by another cluster, or by anything else on this host). This process becomes
/// responsible for the cluster: [`crate::cleanup::remove_responsible`] removes it if a signal
/// ends the process.
pub async fn create_network(docker: &Docker, owner: &Owner) -> Result<ClusterNetwork, HarnessError> {
    create_network_from(docker, owner, rand::rng().random_range(0..512)).await
}

/// [`create_network`] with the first /24 to try given (tests choose it to meet taken subnets).
pub async fn create_network_from(docker: &Docker, owner: &Owner, start: u16) -> Result<ClusterNetwork, HarnessError> {
    let mut last = String::new();
    for index in subnet_candidates(start) {
        let subnet = subnet_of(index);
        let name = format!("yarnsec-{index:03}-{:04x}", rand::rng().random::<u16>());
        let gateway = Ipv4Addr::new(subnet.octets()[0], subnet.octets()[1], subnet.octets()[2], 1);
        let request = NetworkCreateRequest {
            name: name.clone(),
            driver: Some("bridge".into()),
            ipam: Some(Ipam {
                config: Some(vec![IpamConfig {
                    subnet: Some(format!("{subnet}/24")),
                    gateway: Some(gateway.to_string()),
                    ..Default::default()
                }]),
                ..Default::default()
            }),
            labels: Some(cluster_labels(&name, owner)),
            ..Default::default()
        };
        match docker.create_network(request).await {
            Ok(_) => {
                crate::cleanup::take_responsibility(&name);
                return Ok(ClusterNetwork { name, index, subnet });
            }
            Err(e) => {
                let text = e.to_string();
                if text.contains("overlap") || text.contains("already") || text.contains("in use") {
                    last = text;
                    continue;
                }
                return Err(HarnessError::Network { detail: text });
            }
        }
    }
    Err(HarnessError::NoFreeSubnet { detail: last })
}

/// Removes every container (all at once: a forced removal kills without a grace period), then
/// the network, of one cluster. Errors are collected, not raised one by one, so that cleanup goes
/// as far as it can. Host-side state and processes are [`crate::cleanup::remove`]'s business.
pub async fn remove_cluster(docker: &Docker, cluster_id: &str) -> Result<(), HarnessError> {
    let containers = containers_of(docker, cluster_id).await?;
    let removals = containers.iter().map(|id| async move {
        let options = RemoveContainerOptions { force: true, v: true, ..Default::default() };
        match docker.remove_container(id, Some(options)).await {
            Err(e) if !e.to_string().contains("No such container") && !e.to_string().contains("already in progress") => {
                Some(format!("container {id}: {e}"))
            }
            _ => None,
        }
    });
    let mut failures: Vec<String> = futures::future::join_all(removals).await.into_iter().flatten().collect();
    if failures.is_empty() {
        // A removal "already in progress" (a container's handle dropped beside this one, as a
        // failed start drops its KDC's) is not done: while its container is attached, the network
        // refuses to go ("has active endpoints"). Under the whole suite's load a failed start left
        // its cluster behind (2026-12-07), most likely so. Its end is awaited, 30 s at most.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while std::time::Instant::now() < deadline && !containers_of(docker, cluster_id).await.unwrap_or_default().is_empty() {
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        }
    }
    if let Err(e) = docker.remove_network(cluster_id).await {
        let text = e.to_string();
        if !text.contains("not found") && !text.contains("No such network") {
            failures.push(format!("network {cluster_id}: {text}"));
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(HarnessError::Cleanup { detail: failures.join("; ") })
    }
}

/// The ids of a cluster's containers, running or not.
pub async fn containers_of(docker: &Docker, cluster_id: &str) -> Result<Vec<String>, HarnessError> {
    labelled_containers(docker, &[format!("{CLUSTER_LABEL}={cluster_id}")]).await
}

/// Whether a cluster's network still exists.
pub async fn network_exists(docker: &Docker, cluster_id: &str) -> Result<bool, HarnessError> {
    let filters = HashMap::from([("label".to_string(), vec![format!("{CLUSTER_LABEL}={cluster_id}")])]);
    let nets = docker
        .list_networks(Some(ListNetworksOptions { filters: Some(filters) }))
        .await
        .map_err(|e| HarnessError::Network { detail: e.to_string() })?;
    Ok(!nets.is_empty())
}

async fn labelled_containers(docker: &Docker, label_filters: &[String]) -> Result<Vec<String>, HarnessError> {
    Ok(list_labelled(docker, label_filters, true).await?.into_iter().filter_map(|c| c.id).collect())
}

/// The running containers that carry every one of these labels (`key=value`), with their
/// labels and networks.
pub async fn running_with_labels(docker: &Docker, label_filters: &[String]) -> Result<Vec<ContainerSummary>, HarnessError> {
    list_labelled(docker, label_filters, false).await
}

async fn list_labelled(docker: &Docker, label_filters: &[String], all: bool) -> Result<Vec<ContainerSummary>, HarnessError> {
    let filters = HashMap::from([("label".to_string(), label_filters.to_vec())]);
    docker
        .list_containers(Some(ListContainersOptions { all, filters: Some(filters), ..Default::default() }))
        .await
        .map_err(|e| HarnessError::Network { detail: e.to_string() })
}

/// A cluster found by its labels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelledCluster {
    /// The cluster id (its network's name).
    pub id: String,
    /// The process that owns it (`None`: the label is missing or unreadable).
    pub owner: Option<Owner>,
}

/// The clusters that carry the project label (their networks, and containers whose network is
/// already gone), with their owners.
pub async fn labelled_clusters(docker: &Docker) -> Result<Vec<LabelledCluster>, HarnessError> {
    let owner_of = |labels: &HashMap<String, String>| labels.get(OWNER_LABEL).and_then(|o| Owner::parse(o));
    let filters = HashMap::from([("label".to_string(), vec![format!("{PROJECT_LABEL}=yarnsec")])]);
    let nets = docker
        .list_networks(Some(ListNetworksOptions { filters: Some(filters) }))
        .await
        .map_err(|e| HarnessError::Network { detail: e.to_string() })?;
    let mut clusters: Vec<LabelledCluster> = nets
        .into_iter()
        .filter_map(|n| {
            let labels = n.labels.unwrap_or_default();
            Some(LabelledCluster { owner: owner_of(&labels), id: n.name? })
        })
        .collect();
    for c in list_labelled(docker, &[format!("{PROJECT_LABEL}=yarnsec")], true).await? {
        let labels = c.labels.unwrap_or_default();
        if let Some(id) = labels.get(CLUSTER_LABEL) {
            if !clusters.iter().any(|k| &k.id == id) {
                clusters.push(LabelledCluster { id: id.clone(), owner: owner_of(&labels) });
            }
        }
    }
    Ok(clusters)
}

/// The index of a cluster network's /24, read from its name (`yarnsec-<index>-<random>`).
pub fn index_of(network: &str) -> Option<u16> {
    network.strip_prefix("yarnsec-")?.split('-').next()?.parse().ok().filter(|i| *i < 512)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subnets_stay_inside_the_benchmarking_range() {
        assert_eq!(subnet_of(0), Ipv4Addr::new(198, 18, 0, 0));
        assert_eq!(subnet_of(255), Ipv4Addr::new(198, 18, 255, 0));
        assert_eq!(subnet_of(256), Ipv4Addr::new(198, 19, 0, 0));
        assert_eq!(subnet_of(511), Ipv4Addr::new(198, 19, 255, 0));
    }

    #[test]
    fn candidates_are_distinct_and_in_range_and_the_index_is_read_back_from_the_name() {
        for start in [0, 1, 300, 511] {
            let mut seen: Vec<u16> = subnet_candidates(start).collect();
            assert_eq!(seen[0], start);
            assert!(seen.iter().all(|i| *i < 512));
            seen.sort();
            seen.dedup();
            assert_eq!(seen.len(), SUBNET_ATTEMPTS as usize);
        }
        assert_eq!(index_of("yarnsec-095-4e36"), Some(95));
        assert_eq!(index_of("yarnsec-600-4e36"), None);
        assert_eq!(index_of("bridge"), None);
    }
}
