//! A cluster that cannot start says which daemon failed and why, with its log, and leaves
//! nothing behind.

use std::collections::BTreeSet;

use yarnsec_harness::progress::Progress;
use yarnsec_harness::{docker, HarnessError, SecureCluster};

async fn cluster_ids() -> Option<BTreeSet<String>> {
    let engine = match docker::connect().await {
        Ok(e) => e,
        Err(e) if std::env::var("CI").is_ok_and(|v| v == "true") => panic!("CI must run this test: {e}"),
        Err(e) => {
            eprintln!("SKIPPED: {e}");
            return None;
        }
    };
    Some(docker::labelled_clusters(&engine).await.unwrap().into_iter().map(|(id, _)| id).collect())
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
