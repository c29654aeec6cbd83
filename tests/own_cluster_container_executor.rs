//! T2 on clusters whose NodeManager runs containers through yarnsec's container-executor (the
//! default): the
//! OS user of each container is judged too (the owner of its log files). On a Kerberos cluster
//! the reference service's containers run as alice and bob (PASS, and the reason says the OS
//! accounts were shown); on a `simple` cluster left with Hadoop's default
//! `nonsecure-mode.limit-users=true`, every container runs as `nobody`, and T2 FAILs by name.

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
    let mut service = ServiceUnderTest::reference(&cluster.service_url().unwrap());
    if let Some(node) = cluster.service() {
        service = service.with_launcher(yarnsec_submitter::service::TokenFileLauncher::reference(node.id()));
    }
    let verdict = judge("T2", &Context::new(&cluster, &service)).await;
    cluster.shutdown().await.unwrap();
    verdict
}

#[tokio::test]
async fn t2_shows_the_os_user_and_fails_when_containers_run_as_another() {
    if yarnsec_harness::docker::connect().await.is_err() {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "CI must run this test: no Docker engine answers");
        eprintln!("SKIPPED: no Docker engine answers");
        return;
    }
    let v = t2_on(SecurityProfile::strict(), &[]).await;
    assert_eq!(v.status, Status::Pass, "{}", v.reason);
    assert!(v.reason.contains("OS account") && v.reason.contains("LinuxContainerExecutor"), "{}", v.reason);

    let limited = [("yarn.nodemanager.linux-container-executor.nonsecure-mode.limit-users", "true")];
    let v = t2_on(SecurityProfile::simple(), &limited).await;
    assert_eq!(v.status, Status::Fail, "{}", v.reason);
    assert!(v.reason.contains("ran as the OS user nobody"), "{}", v.reason);
}
