//! A service file's `packages`: the cluster's Hadoop image with Debian packages added (built once
//! per list), run by the NodeManager's node and the edge node; a Python workload run there; and
//! the Python web-service reference (`references/python-web-service`) on the edge node, judged.
//! Starts a cluster of its own (nextest group `own-cluster`).

use std::sync::Arc;

use yarnsec_harness::cluster::EdgeOptions;
use yarnsec_harness::progress::Progress;
use yarnsec_harness::SecureCluster;
use yarnsec_scenarios::{judge, Context, ServiceUnderTest, Status};
use yarnsec_submitter::service_file::ServiceFile;
use yarnsec_submitter::workload::Workload;

mod common;

/// The Python web-service reference's packages (its service file's list, sorted).
const PYTHON_SERVICE_PACKAGES: [&str; 3] = ["python3", "python3-gssapi", "python3-requests-kerberos"];

#[tokio::test]
async fn the_nodemanagers_node_and_the_edge_node_have_the_packages_a_service_asks_for() {
    if common::engine().await.is_none() {
        return;
    }
    let cluster = SecureCluster::builder()
        .remote_hdfs(false)
        .packages(PYTHON_SERVICE_PACKAGES.iter().map(|p| p.to_string()).collect())
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

    // A Python workload: yarnsec's probe, in Python, run by MapReduce streaming as alice's
    // mapper, is judged like the shell one.
    let path = format!("{}/references/mapreduce-streaming/service.toml", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap().replace("3.4.2", cluster.hadoop_version());
    let file = ServiceFile::parse(&format!("workload = \"python\"\n{text}"), &path).expect("the reference with a Python workload");
    assert!(file.all_packages().contains(&"python3".to_string()));
    let submitter = file.command_submitter(Arc::new(edge));
    let service = ServiceUnderTest::command(&file.name, file.features, submitter).with_workload(Workload::Python);
    let ctx = Context::new(&cluster, &service);
    let run = ctx.run_as("alice").await.expect("the Python probe runs");
    assert!(run.probe_wrote(), "the Python probe wrote alice's home:\n{}", run.probe_output());
    assert!(run.probe_output().contains("id="), "{}", run.probe_output());
    let t2 = judge("T2", &ctx).await;
    assert_eq!(t2.status, Status::Pass, "{}", t2.reason);
    drop(ctx);
    drop(service);

    // The Python web service: SPNEGO in (python3-gssapi), WebHDFS and the ResourceManager's REST
    // API out as the signed-in user (python3-requests-kerberos), on the edge node, with its own
    // form and Python jobs. T3 drives its form in Chromium.
    let path = format!("{}/references/python-web-service/service.toml", env!("CARGO_MANIFEST_DIR"));
    let file = ServiceFile::read(std::path::Path::new(&path)).expect("the Python service's file");
    assert_eq!(file.all_packages(), PYTHON_SERVICE_PACKAGES, "the cluster above runs the file's packages");
    let running = yarnsec_submitter::edge_service::start(&file, &cluster, None).await.expect("the Python service answers on the edge node");
    let service = file.service();
    let want = [("T2", Status::Pass), ("C2", Status::Pass), ("C3", Status::Pass), ("T3", Status::Pass)];
    let (ctx, _) = common::judged("the Python service", || Context::with_http(&cluster, &service, running.http.clone()), &want).await;
    drop(ctx);
    drop(running);
    cluster.shutdown().await.expect("the cluster stops");

    // A bad name never reaches apt-get.
    let err =
        SecureCluster::builder().packages(vec!["python3; id".into()]).progress(Progress::hidden()).keep(false).start().await.unwrap_err();
    assert!(err.to_string().contains("not a Debian package name"), "{err}");
}
