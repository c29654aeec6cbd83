//! The Docker engine: connecting (with a clear error when none answers), project labels,
//! per-cluster networks with their own subnet, and sweeping what earlier runs left behind.

use std::collections::HashMap;
use std::net::Ipv4Addr;

use bollard::models::{Ipam, IpamConfig, NetworkCreateRequest};
use bollard::query_parameters::{ListContainersOptions, ListNetworksOptions, RemoveContainerOptions};
use bollard::Docker;
use rand::Rng;

use crate::error::HarnessError;

/// Label on every container and network yarnsec creates.
pub const PROJECT_LABEL: &str = "dev.yarnsec.project";
/// Label naming the cluster a container or network belongs to.
pub const CLUSTER_LABEL: &str = "dev.yarnsec.cluster";
/// Label naming the process that owns a cluster (`0`: kept on purpose, e.g. by `yarnsec up`).
pub const OWNER_LABEL: &str = "dev.yarnsec.owner-pid";
/// Label naming a container's role (`kdc`, `hadoop`, `service`).
pub const ROLE_LABEL: &str = "dev.yarnsec.role";

/// Connects to the local engine and checks that it answers, negotiating the API version (the
/// engine here speaks API 1.41).
pub async fn connect() -> Result<Docker, HarnessError> {
    let docker = Docker::connect_with_local_defaults().map_err(|e| HarnessError::DockerUnavailable { detail: e.to_string() })?;
    let docker = docker.negotiate_version().await.map_err(|e| HarnessError::DockerUnavailable { detail: e.to_string() })?;
    docker.ping().await.map_err(|e| HarnessError::DockerUnavailable { detail: e.to_string() })?;
    Ok(docker)
}

/// The labels of a cluster's containers and network.
pub fn cluster_labels(cluster_id: &str, owner_pid: u32) -> HashMap<String, String> {
    HashMap::from([
        (PROJECT_LABEL.to_string(), "yarnsec".to_string()),
        (CLUSTER_LABEL.to_string(), cluster_id.to_string()),
        (OWNER_LABEL.to_string(), owner_pid.to_string()),
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

/// Creates a network for a new cluster on a free /24 of 198.18.0.0/15, trying other subnets when
/// one is taken (by another cluster, or by anything else on this host).
pub async fn create_network(docker: &Docker, owner_pid: u32) -> Result<ClusterNetwork, HarnessError> {
    let mut last = String::new();
    let start: u16 = rand::rng().random_range(0..512);
    for attempt in 0..24u16 {
        // Spread attempts so that two clusters starting at once rarely pick the same subnet twice.
        let index = (start + attempt * 37) % 512;
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
            labels: Some(cluster_labels(&name, owner_pid)),
            ..Default::default()
        };
        match docker.create_network(request).await {
            Ok(_) => return Ok(ClusterNetwork { name, index, subnet }),
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

/// Removes every container, then the network, of one cluster. Errors are collected, not raised
/// one by one, so that cleanup goes as far as it can.
pub async fn remove_cluster(docker: &Docker, cluster_id: &str) -> Result<(), HarnessError> {
    let mut failures = Vec::new();
    for id in labelled_containers(docker, &[format!("{CLUSTER_LABEL}={cluster_id}")]).await? {
        if let Err(e) = docker.remove_container(&id, Some(RemoveContainerOptions { force: true, v: true, ..Default::default() })).await {
            if !e.to_string().contains("No such container") {
                failures.push(format!("container {id}: {e}"));
            }
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

async fn labelled_containers(docker: &Docker, label_filters: &[String]) -> Result<Vec<String>, HarnessError> {
    let filters = HashMap::from([("label".to_string(), label_filters.to_vec())]);
    let list = docker
        .list_containers(Some(ListContainersOptions { all: true, filters: Some(filters), ..Default::default() }))
        .await
        .map_err(|e| HarnessError::Network { detail: e.to_string() })?;
    Ok(list.into_iter().filter_map(|c| c.id).collect())
}

/// The clusters (network names) that carry the project label, with their owner pid.
pub async fn labelled_clusters(docker: &Docker) -> Result<Vec<(String, u32)>, HarnessError> {
    let filters = HashMap::from([("label".to_string(), vec![format!("{PROJECT_LABEL}=yarnsec")])]);
    let nets = docker
        .list_networks(Some(ListNetworksOptions { filters: Some(filters) }))
        .await
        .map_err(|e| HarnessError::Network { detail: e.to_string() })?;
    let mut clusters: Vec<(String, u32)> = nets
        .into_iter()
        .filter_map(|n| {
            let labels = n.labels.unwrap_or_default();
            let owner = labels.get(OWNER_LABEL).and_then(|p| p.parse().ok()).unwrap_or(0);
            Some((n.name?, owner))
        })
        .collect();
    // Containers whose network is already gone are clusters too.
    let filters = HashMap::from([("label".to_string(), vec![format!("{PROJECT_LABEL}=yarnsec")])]);
    let containers = docker
        .list_containers(Some(ListContainersOptions { all: true, filters: Some(filters), ..Default::default() }))
        .await
        .map_err(|e| HarnessError::Network { detail: e.to_string() })?;
    for c in containers {
        let labels = c.labels.unwrap_or_default();
        if let Some(id) = labels.get(CLUSTER_LABEL) {
            if !clusters.iter().any(|(n, _)| n == id) {
                clusters.push((id.clone(), labels.get(OWNER_LABEL).and_then(|p| p.parse().ok()).unwrap_or(0)));
            }
        }
    }
    Ok(clusters)
}

/// Removes clusters whose owning process is gone (a run that was killed before it could clean up).
/// Clusters kept on purpose (owner 0, e.g. from `yarnsec up`) and clusters of live processes stay.
pub async fn sweep_orphans(docker: &Docker) -> Result<Vec<String>, HarnessError> {
    let mut swept = Vec::new();
    for (id, owner) in labelled_clusters(docker).await? {
        if owner != 0 && !process_alive(owner) {
            remove_cluster(docker, &id).await?;
            swept.push(id);
        }
    }
    Ok(swept)
}

/// Removes every cluster the project ever labelled.
pub async fn remove_all(docker: &Docker) -> Result<Vec<String>, HarnessError> {
    let mut removed = Vec::new();
    for (id, _) in labelled_clusters(docker).await? {
        remove_cluster(docker, &id).await?;
        removed.push(id);
    }
    Ok(removed)
}

fn process_alive(pid: u32) -> bool {
    std::path::Path::new(&format!("/proc/{pid}")).exists()
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
}
