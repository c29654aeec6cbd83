//! The reference service's browser path on the shared cluster: the page, the form post and its
//! redirect to the application's tracking page, the fault banner.

mod common;

use reqwest::Method;
use yarnsec_hadoop::http::Auth;

fn form(boundary: &str, script: &str) -> Vec<u8> {
    let mut body = String::new();
    for (name, value) in [("queue", "default"), ("memory_gib", "0.5"), ("vcores", "1")] {
        body.push_str(&format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"));
    }
    body.push_str(&format!("--{boundary}\r\nContent-Disposition: form-data; name=\"script\"; filename=\"probe.sh\"\r\nContent-Type: application/x-sh\r\n\r\n{script}\r\n--{boundary}--\r\n"));
    body.into_bytes()
}

#[tokio::test]
async fn the_form_post_runs_the_script_as_alice_and_redirects_to_the_tracking_page() {
    let Some(cluster) = common::cluster().await else { return };
    let url = cluster.service_url().expect("the shared cluster runs the service");
    let alice = cluster.user("alice").unwrap().credential().unwrap();
    let auth = cluster.auth_for("alice", Some(&alice));
    let page = cluster.http().get(&format!("{url}/"), auth).await.unwrap();
    assert_eq!(page.status, 200);
    assert!(page.text().contains("<b id=\"user\">alice</b>") && page.text().contains("<form"), "{}", page.text());
    assert!(!page.text().contains("Fault switches on"));
    let response = cluster
        .http()
        .send(
            Method::POST,
            &format!("{url}/"),
            auth,
            Some((form("b0undary", "echo hello from the form"), "multipart/form-data; boundary=b0undary")),
            None,
        )
        .await
        .unwrap();
    assert_eq!(response.status, 303, "{}", response.text());
    let location = response.header("location").expect("a Location header").to_string();
    let rm = cluster.layout().hadoop_url(8088);
    assert!(location.starts_with(&format!("{rm}/proxy/application_")), "{location}");
    let app_id = location.trim_end_matches('/').rsplit('/').next().unwrap();
    let app = cluster.resource_manager().app(app_id, Auth::Kerberos(&alice)).await.unwrap();
    assert_eq!(app.user, "alice");
}

#[tokio::test]
async fn a_service_with_a_fault_switch_shows_a_red_banner() {
    let Some(cluster) = common::cluster().await else { return };
    if !cluster.profile().kerberos() {
        return;
    }
    let extra = cluster.start_extra_service(env!("CARGO_BIN_EXE_yarnsec"), vec!["wrong-renewer".into()]).await.unwrap();
    let alice = cluster.user("alice").unwrap().credential().unwrap();
    let page = extra.http.get(&format!("{}/", extra.url), Auth::Kerberos(&alice)).await.unwrap();
    assert!(page.text().contains("Fault switches on: wrong-renewer"), "{}", page.text());
    let health: serde_json::Value = extra.http.get(&format!("{}/healthz", extra.url), Auth::Anonymous).await.unwrap().json().unwrap();
    assert_eq!(health["faults"][0], "wrong-renewer");
}
