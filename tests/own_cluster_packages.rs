//! A service file's `packages`: the cluster's Hadoop image with Debian packages added (built once
//! per list), run by the NodeManager's node and the edge node. Starts a cluster of its own
//! (nextest group `own-cluster`).

use yarnsec_harness::cluster::EdgeOptions;
use yarnsec_harness::progress::Progress;
use yarnsec_harness::SecureCluster;

mod common;

#[tokio::test]
async fn the_nodemanagers_node_and_the_edge_node_have_the_packages_a_service_asks_for() {
    if common::engine().await.is_none() {
        return;
    }
    let cluster = SecureCluster::builder()
        .remote_hdfs(false)
        .packages(vec!["python3".into()])
        .progress(Progress::hidden())
        .keep(false)
        .start()
        .await
        .expect("a cluster with python3 starts");
    let edge = cluster.start_edge(EdgeOptions::default()).await.expect("the edge node starts");
    // Where YARN containers run (the NodeManager's node), and where the submitter runs.
    let on_hadoop =
        cluster.hadoop().exec_as(Some("alice"), &["python3", "-c", "import getpass; print('py', getpass.getuser())"]).await.unwrap();
    assert_eq!(on_hadoop.stdout_text().trim(), "py alice", "{}", on_hadoop.stderr_text());
    let on_edge = edge.run_as("bob", &["python3", "-c", "import os; print(os.environ['KRB5CCNAME'].startswith('FILE:'))"]).await.unwrap();
    assert_eq!(on_edge.stdout_text().trim(), "True", "{}", on_edge.stderr_text());
    drop(edge);
    cluster.shutdown().await.expect("the cluster stops");

    // A bad name never reaches apt-get.
    let err =
        SecureCluster::builder().packages(vec!["python3; id".into()]).progress(Progress::hidden()).keep(false).start().await.unwrap_err();
    assert!(err.to_string().contains("not a Debian package name"), "{err}");
}
