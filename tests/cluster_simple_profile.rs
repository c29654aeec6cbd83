//! The insecure-cluster items on a `simple` cluster of their own: the reference service passes
//! the user's name down (C7, A6, T2), and its `drop-user-name` fault moves exactly the items
//! that name that mistake (the simple profile's row of the fault matrix). The cluster runs every
//! container as `yarn` (`DefaultContainerExecutor`), where the mistake shows in T2 too: with the
//! container-executor (the default) a container runs as its user's OS account, and a JVM
//! without `HADOOP_USER_NAME` then acts as that user, so T2 stays PASS there.

use yarnsec_harness::progress::Progress;
use yarnsec_harness::{SecureCluster, SecurityProfile};
use yarnsec_scenarios::{judge, Context, ServiceUnderTest, Status, CHECKLIST};
use yarnsec_submitter::service::ServiceLog;

#[tokio::test]
async fn a_simple_cluster_judges_user_name_propagation_and_catches_drop_user_name() {
    if yarnsec_harness::docker::connect().await.is_err() {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "CI must run this test: no Docker engine answers");
        eprintln!("SKIPPED: no Docker engine answers");
        return;
    }
    let cluster = SecureCluster::builder()
        .remote_hdfs(false)
        .profile(SecurityProfile::simple())
        .default_container_executor()
        .service(env!("CARGO_BIN_EXE_yarnsec"), Vec::new())
        .progress(Progress::hidden())
        .start()
        .await
        .expect("a simple cluster starts");
    let service = ServiceUnderTest::reference(&cluster.service_url().unwrap());
    let ctx = Context::new(&cluster, &service);
    let mut baseline = std::collections::BTreeMap::new();
    for item in CHECKLIST {
        baseline.insert(item.id, judge(item.id, &ctx).await);
    }
    let summary: Vec<String> = baseline.iter().map(|(id, v)| format!("{id} {:?}", v.status)).collect();
    eprintln!("simple baseline: {}", summary.join(", "));
    for (id, want) in
        [("C7", Status::Pass), ("A6", Status::Pass), ("T2", Status::Pass), ("C2", Status::NotApplicable), ("T6", Status::NotApplicable)]
    {
        assert_eq!(baseline[id].status, want, "{id}: {}", baseline[id].reason);
    }

    let extra = cluster.start_extra_service(env!("CARGO_BIN_EXE_yarnsec"), vec!["drop-user-name".into()]).await.unwrap();
    let mut faulty = ServiceUnderTest::reference(&extra.url).with_log(ServiceLog::Unknown);
    faulty.name = "reference with drop-user-name".into();
    let ctx = Context::with_http(&cluster, &faulty, extra.http.clone());
    let mut moved = std::collections::BTreeMap::new();
    for item in CHECKLIST {
        let v = judge(item.id, &ctx).await;
        if v.status != baseline[item.id].status {
            eprintln!("drop-user-name moves {}: {:?} → {:?}: {}", item.id, baseline[item.id].status, v.status, v.reason);
            moved.insert(item.id, v.status);
        }
    }
    let expected = std::collections::BTreeMap::from([("C7", Status::Fail), ("A6", Status::Fail), ("T2", Status::Fail)]);
    assert_eq!(moved, expected, "drop-user-name must move exactly C7, A6 and T2");
    drop(extra);
    cluster.shutdown().await.unwrap();
}
