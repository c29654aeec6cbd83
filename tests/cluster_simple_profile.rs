//! The insecure-cluster items on a `simple` cluster of their own: the reference service passes
//! the user's name down (C7, A6, T2), and its `drop-user-name` fault makes C7 FAIL.

use yarnsec_harness::progress::Progress;
use yarnsec_harness::{SecureCluster, SecurityProfile};
use yarnsec_scenarios::{judge, Context, ServiceUnderTest, Status};

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
        .service(env!("CARGO_BIN_EXE_yarnsec"), Vec::new())
        .progress(Progress::hidden())
        .start()
        .await
        .expect("a simple cluster starts");
    let service = ServiceUnderTest::reference(&cluster.service_url().unwrap());
    let ctx = Context::new(&cluster, &service);
    for (id, want) in
        [("C7", Status::Pass), ("A6", Status::Pass), ("T2", Status::Pass), ("C2", Status::NotApplicable), ("T6", Status::NotApplicable)]
    {
        let v = judge(id, &ctx).await;
        assert_eq!(v.status, want, "{id}: {}", v.reason);
    }

    let extra = cluster.start_extra_service(env!("CARGO_BIN_EXE_yarnsec"), vec!["drop-user-name".into()]).await.unwrap();
    let mut faulty = ServiceUnderTest::reference(&extra.url);
    faulty.name = "reference with drop-user-name".into();
    let ctx = Context::with_http(&cluster, &faulty, extra.http.clone());
    let v = judge("C7", &ctx).await;
    assert_eq!(v.status, Status::Fail, "drop-user-name must fail C7: {}", v.reason);
    assert!(v.reason.contains("HADOOP_USER_NAME"), "{}", v.reason);
    drop(extra);
    cluster.shutdown().await.unwrap();
}
