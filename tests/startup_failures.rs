//! A cluster that cannot start says which daemon failed and why, with its log, and leaves
//! nothing behind; a cluster finds a free subnet when others are taken. These tests start
//! containers of their own (nextest group `own-cluster`).

use std::collections::BTreeSet;

use yarnsec_harness::progress::Progress;
use yarnsec_harness::{docker, HarnessError, SecureCluster};

mod common;

async fn cluster_ids() -> Option<BTreeSet<String>> {
    let engine = common::engine().await?;
    Some(docker::labelled_clusters(&engine).await.unwrap().into_iter().map(|c| c.id).collect())
}

#[tokio::test]
async fn a_daemon_that_exits_at_start_is_named_with_its_log_and_everything_is_removed() {
    let Some(before) = cluster_ids().await else { return };
    // A metadata directory nobody can create: the NameNode exits at start.
    let err = SecureCluster::builder()
        .remote_hdfs(false)
        .hadoop_property("hdfs-site.xml", "dfs.namenode.name.dir", "/proc/yarnsec-cannot-write")
        .progress(Progress::hidden())
        .keep(false)
        .start()
        .await
        .expect_err("a NameNode without a metadata directory cannot start");
    match &err {
        HarnessError::DaemonExited { daemon, log_tail, .. } => {
            assert_eq!(daemon, "namenode", "{err}");
            assert!(log_tail.contains("/proc/yarnsec-cannot-write"), "the log must show the bad directory: {err}");
        }
        other => panic!("expected the NameNode to be named as exited, got: {other}"),
    }
    let message = err.to_string();
    assert!(message.contains("last lines of namenode's log"), "{message}");
    let after = cluster_ids().await.unwrap();
    let leaked: Vec<_> = after.difference(&before).collect();
    assert!(leaked.is_empty(), "the failed start left {leaked:?}");
}

#[tokio::test]
async fn a_kdc_that_never_answers_is_named_with_its_log_within_the_readiness_limit() {
    let Some(before) = cluster_ids().await else { return };
    // A KDC that runs but listens where nobody asks: every ticket request to port 88 is refused.
    let kdc_conf = "[kdcdefaults]\n  kdc_ports = 1088\n  kdc_tcp_ports = 1088\n\n[realms]\n  {realm} = {\n    database_name = /var/lib/krb5kdc/principal\n    key_stash_file = /etc/krb5kdc/stash\n  }\n\n[logging]\n  kdc = FILE:/var/log/kerberos/kdc.log\n";
    let limit = std::time::Duration::from_secs(10);
    let started = std::time::Instant::now();
    let err = SecureCluster::builder()
        .remote_hdfs(false)
        .kdc_file("/etc/krb5kdc/kdc.conf", kdc_conf)
        .ready_timeout(limit)
        .progress(Progress::hidden())
        .keep(false)
        .start()
        .await
        .expect_err("a KDC nobody can reach cannot serve a cluster");
    let took = started.elapsed();
    match &err {
        HarnessError::NotReady { daemon, condition, log_tail, .. } => {
            assert_eq!(daemon, "kdc", "{err}");
            assert!(condition.contains(":88"), "the error names where the KDC was asked: {err}");
            assert!(log_tail.contains("krb5kdc") && log_tail.contains("kdc.log"), "the KDC's own log lines come with the error: {err}");
            assert!(err.to_string().contains("Cannot contact any KDC"), "the last failure is GSSAPI's own words: {err}");
        }
        other => panic!("expected the KDC to be named as not ready, got: {other}"),
    }
    // The limit, plus the containers' start and removal.
    assert!(took < limit + std::time::Duration::from_secs(60), "the error came after {took:?}");
    let after = cluster_ids().await.unwrap();
    let leaked: Vec<_> = after.difference(&before).collect();
    assert!(leaked.is_empty(), "the failed start left {leaked:?}");
}

#[tokio::test]
async fn a_new_cluster_skips_subnets_other_networks_hold() {
    let Some(_) = cluster_ids().await else { return };
    let engine = docker::connect().await.unwrap();
    // Other networks (not yarnsec's) on the first two /24s the chooser will try.
    let start = 500 - (std::process::id() % 100) as u16;
    let taken: Vec<u16> = docker::subnet_candidates(start).take(2).collect();
    let mut foreign = Vec::new();
    for index in &taken {
        let name = format!("not-yarnsec-{index}-{}", std::process::id());
        let request = bollard::models::NetworkCreateRequest {
            name: name.clone(),
            ipam: Some(bollard::models::Ipam {
                config: Some(vec![bollard::models::IpamConfig {
                    subnet: Some(format!("{}/24", docker::subnet_of(*index))),
                    ..Default::default()
                }]),
                ..Default::default()
            }),
            ..Default::default()
        };
        match engine.create_network(request).await {
            Ok(_) => foreign.push(name),
            // Someone else holds it already: taken all the same.
            Err(e) if e.to_string().contains("overlap") => {}
            Err(e) => panic!("cannot create a network on {}: {e}", docker::subnet_of(*index)),
        }
    }
    let owner = yarnsec_harness::owner::Owner::current();
    let made = docker::create_network_from(&engine, &owner, start).await;
    for name in &foreign {
        let _ = engine.remove_network(name).await;
    }
    let net = made.expect("a free /24 further on is found");
    yarnsec_harness::cleanup::remove(&engine, &net.name).await.unwrap();
    assert!(!taken.contains(&net.index), "{} is taken, yet was chosen", net.index);
    assert!(docker::subnet_candidates(start).skip(2).any(|i| i == net.index), "a later candidate is chosen, not {}", net.index);
}
