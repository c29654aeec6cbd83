//! T2 on a cluster whose NodeManager runs containers through yarnsec's container-executor (the
//! default) with Hadoop's default `nonsecure-mode.limit-users=true` on a `simple` cluster: every
//! container runs as `nobody`, and T2 FAILs by name. (That T2 PASSes on a Kerberos cluster and
//! names the containers' OS accounts, alice's and bob's, the fault matrix asserts on the shared
//! cluster: `cluster_fault_matrix`.)

use yarnsec_harness::progress::Progress;
use yarnsec_harness::{SecureCluster, SecurityProfile};
use yarnsec_scenarios::{judge, Context, ServiceUnderTest, Status};

async fn t2_on(profile: SecurityProfile, properties: &[(&str, &str)]) -> yarnsec_scenarios::Verdict {
    let mut builder = SecureCluster::builder()
        .remote_hdfs(false)
        .profile(profile)
        .service(env!("CARGO_BIN_EXE_yarnsec"), Vec::new())
        .progress(Progress::hidden());
    for (name, value) in properties {
        builder = builder.hadoop_property("yarn-site.xml", name, value);
    }
    let cluster = builder.start().await.expect("a cluster with the helper starts");
    let service = ServiceUnderTest::reference(&cluster.service_url().unwrap());
    let verdict = judge("T2", &Context::new(&cluster, &service)).await;
    cluster.shutdown().await.unwrap();
    verdict
}

#[tokio::test]
async fn t2_fails_by_name_when_containers_run_as_another_os_user() {
    if yarnsec_harness::docker::connect().await.is_err() {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "CI must run this test: no Docker engine answers");
        eprintln!("SKIPPED: no Docker engine answers");
        return;
    }
    let limited = [("yarn.nodemanager.linux-container-executor.nonsecure-mode.limit-users", "true")];
    let v = t2_on(SecurityProfile::simple(), &limited).await;
    assert_eq!(v.status, Status::Fail, "{}", v.reason);
    assert!(v.reason.contains("ran as the OS user nobody"), "{}", v.reason);
}
