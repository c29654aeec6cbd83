//! Each fault switch of the reference service makes the item that names its mistake FAIL. The
//! faulty service runs as a second service container on the shared cluster.

mod common;

use std::time::{Duration, Instant};

use yarnsec_hadoop::http::Auth;
use yarnsec_scenarios::{judge, Context, ServiceUnderTest, Status};

async fn verdict_with_fault(fault: &str, id: &str) -> Option<yarnsec_scenarios::Verdict> {
    let cluster = common::cluster().await?;
    if !cluster.profile().kerberos() {
        eprintln!("SKIPPED: fault {fault} is judged on a Kerberos profile");
        return None;
    }
    let extra =
        cluster.start_extra_service(env!("CARGO_BIN_EXE_yarnsec"), vec![fault.to_string()]).await.expect("the faulty service starts");
    let mut service = ServiceUnderTest::reference(&extra.url);
    service.name = format!("reference with {fault}");
    let ctx = Context::with_http(&cluster, &service, extra.http.clone());
    let v = judge(id, &ctx).await;
    eprintln!("{fault} → {id}: {:?}: {}", v.status, v.reason);
    Some(v)
}

macro_rules! fault {
    ($name:ident, $fault:literal, $id:literal, $needle:literal) => {
        #[tokio::test]
        async fn $name() {
            let Some(v) = verdict_with_fault($fault, $id).await else { return };
            assert_eq!(v.status, Status::Fail, "{} must fail {}: {}", $fault, $id, v.reason);
            assert!(v.reason.contains($needle), "{}", v.reason);
        }
    };
}

fault!(no_doas_fails_t2, "no-doas", "T2", "yarnsec");
fault!(allow_anonymous_fails_t6, "allow-anonymous", "T6", "anonymous submission was accepted");
fault!(wrong_renewer_fails_c2, "wrong-renewer", "C2", "renewer");
fault!(no_hdfs_token_fails_c2, "no-hdfs-token", "C2", "no HDFS_DELEGATION_TOKEN");
fault!(no_timeline_token_fails_c3, "no-timeline-token", "C3", "TIMELINE_DELEGATION_TOKEN");
fault!(no_remote_token_fails_t9, "no-remote-token", "T9", "no HDFS delegation token for the remote NameNode");

/// `no-relogin`: the service's own login dies with its first ticket, and its health check says so.
#[tokio::test]
async fn no_relogin_shows_an_expired_login_after_the_ticket_lifetime() {
    let Some(cluster) = common::cluster().await else { return };
    if !cluster.profile().kerberos() {
        return;
    }
    let extra = cluster.start_extra_service(env!("CARGO_BIN_EXE_yarnsec"), vec!["no-relogin".into()]).await.unwrap();
    let health = format!("{}/healthz", extra.url);
    let first = extra.http.get(&health, Auth::Anonymous).await.unwrap();
    assert_eq!(first.status, 200, "{}", first.text());
    let deadline = Instant::now() + cluster.profile().ticket_lifetime() + Duration::from_secs(30);
    loop {
        let r = extra.http.get(&health, Auth::Anonymous).await.unwrap();
        if r.status == 503 {
            assert!(r.text().contains("expired"), "{}", r.text());
            break;
        }
        assert!(Instant::now() < deadline, "the login never expired: {}", r.text());
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
    // The faultless service logs in again and stays healthy.
    let main = format!("{}/healthz", cluster.service_url().unwrap());
    assert_eq!(cluster.http().get(&main, Auth::Anonymous).await.unwrap().status, 200);
}
