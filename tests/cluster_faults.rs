//! The fault switch no checklist item sees: `no-relogin`, the service's own login, shown by its
//! health check. (Every other fault is in the fault matrix, `cluster_fault_matrix.rs`, and
//! `drop-user-name` in the simple-profile test.)

mod common;

use std::time::{Duration, Instant};

use yarnsec_hadoop::http::Auth;

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
