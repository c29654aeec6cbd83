//! Submitters built on real frameworks, judged as teams' own (`references/skein-web-service`,
//! `references/spark`): yarnsec finds their applications at the ResourceManager whatever they
//! answer, and judges what their frameworks do. Starts a cluster of its own with both files'
//! packages (nextest group `own-cluster`); their `pip` packages (skein, pyspark) are fetched on
//! this host by pip, once.

use std::sync::Arc;

use yarnsec_harness::progress::Progress;
use yarnsec_harness::SecureCluster;
use yarnsec_scenarios::{Context, ServiceUnderTest, Status};
use yarnsec_submitter::service_file::ServiceFile;

mod common;

fn reference(name: &str) -> ServiceFile {
    let path = format!("{}/references/{name}/service.toml", env!("CARGO_MANIFEST_DIR"));
    ServiceFile::read(std::path::Path::new(&path)).expect("the reference file is valid")
}

async fn site(file: &ServiceFile) -> Option<std::path::PathBuf> {
    Some(yarnsec_harness::images::python_site(&file.pip, &Progress::hidden()).await.expect("pip fetches the file's packages on this host"))
}

#[tokio::test]
async fn a_skein_service_and_spark_are_judged_by_what_the_cluster_shows() {
    if common::engine().await.is_none() {
        return;
    }
    let (skein, spark) = (reference("skein-web-service"), reference("spark"));
    let mut packages = skein.all_packages();
    packages.extend(spark.all_packages());
    packages.sort();
    packages.dedup();
    let cluster = SecureCluster::builder()
        .remote_hdfs(false)
        .packages(packages)
        .progress(Progress::hidden())
        .keep(false)
        .start()
        .await
        .expect("a cluster with the references' packages starts");

    // Skein: the service names its applications itself and redirects to the tracking URL the
    // ResourceManager reports to it, `N/A`. Its applications are found all the same; only T3
    // judges where the user lands.
    let running = yarnsec_submitter::edge_service::start(&skein, &cluster, site(&skein).await).await.expect("the Skein service answers");
    let service = skein.service();
    let want = [("T1", Status::Pass), ("T2", Status::Pass), ("A2", Status::Fail), ("T3", Status::Fail)];
    let (ctx, verdicts) = common::judged("the Skein service", || Context::with_http(&cluster, &service, running.http.clone()), &want).await;
    let log = running.log().await;
    assert!(verdicts[3].reason.contains("/N/A, which answered 404"), "{}\n{log}", verdicts[3].reason);
    assert!(verdicts[2].reason.contains("the ApplicationMaster's own container"), "{}\n{log}", verdicts[2].reason);
    let alice = ctx.alice_run().await.expect("alice's application was found");
    assert_eq!(alice.submission.found_by, yarnsec_submitter::found::FoundBy::OnlyNew, "{:?}", alice.submission);
    assert!(alice.submission.app_name.starts_with("pyservice-alice-"), "{:?}", alice.submission);
    drop(ctx);
    drop(running);

    // Spark: spark-submit in cluster mode on the edge node; the probe runs inside the driver (the
    // AM's container) and an executor. Its executor gets the AM's HDFS token (A5), and the JVM
    // running the probe in-process is judged for K1.
    let edge = cluster.start_edge(spark.edge_options(site(&spark).await)).await.expect("the edge node starts");
    let service =
        ServiceUnderTest::command(&spark.name, spark.features, spark.command_submitter(Arc::new(edge))).with_workload(spark.workload);
    let want = [("T1", Status::Pass), ("T2", Status::Pass), ("A5", Status::Pass), ("K1", Status::Pass)];
    let (ctx, _) = common::judged("Spark", || Context::new(&cluster, &service), &want).await;
    let alice = ctx.alice_run().await.expect("alice's Spark application was found");
    assert!(alice.probe_output().contains("probe=in-process"), "{}", alice.probe_output());
    drop(ctx);
    drop(service);
    cluster.shutdown().await.expect("the cluster stops");
}
