//! YARN services, Hadoop's framework for long-running applications, on the secure cluster: a
//! user launches a service through the ResourceManager's services API with SPNEGO, its
//! ApplicationMaster logs in from the user's keytab in HDFS, records its component in the
//! service registry (ZooKeeper, which refuses a client that does not authenticate), and the
//! component writes the user's HDFS home with the tokens it was given.

mod common;

use std::time::{Duration, Instant};

use reqwest::Method;
use yarnsec_hadoop::http::Auth;
use yarnsec_harness::SecureCluster;

/// The shared cluster, when it runs Kerberos (what is shown is the keytab login and SASL).
async fn kerberos_cluster() -> Option<SecureCluster> {
    let cluster = common::cluster().await?;
    if !cluster.profile().kerberos() {
        eprintln!("SKIPPED: YARN services' keytab login and the registry's SASL are shown on a Kerberos profile");
        return None;
    }
    Some(cluster)
}

#[tokio::test]
async fn a_service_launched_through_the_services_api_runs_from_the_users_keytab_and_registers() {
    let Some(cluster) = kerberos_cluster().await else { return };
    let alice = cluster.user("alice").unwrap().credential().unwrap();
    let auth = Auth::Kerberos(&alice);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    let name = format!("yarnsec-svc-{}", nanos % 1_000_000_000);

    // Her keytab in her HDFS home, readable by her only, as a long-lived service needs it.
    let keytab_path = format!("/user/alice/{name}.keytab");
    let keytab = std::fs::read(cluster.keytab_path("alice")).unwrap();
    let fs = cluster.webhdfs();
    fs.create(&keytab_path, keytab, true, auth, None).await.unwrap();
    fs.set_permission(&keytab_path, "400", auth, None).await.unwrap();

    // A component that writes her home with its container's tokens, then stays up.
    let marker = format!("/user/alice/{name}.txt");
    let write = format!("{} -put -f /etc/hostname {marker} && echo put=ok; sleep 600", yarnsec_submitter::workload::FS_SHELL);
    let spec = serde_json::json!({
        "name": name,
        "version": "1.0",
        "components": [{ "name": "writer", "number_of_containers": 1, "launch_command": write,
                         "resource": { "cpus": 1, "memory": "256" } }],
        "kerberos_principal": { "principal_name": format!("alice/_HOST@{}", cluster.realm()),
                                "keytab": format!("hdfs://{keytab_path}") },
    });
    let api = cluster.describe().endpoints.services_api;
    let body = (serde_json::to_vec(&spec).unwrap(), "application/json");
    let created = cluster.http().send(Method::POST, &api, auth, Some(body), None).await.unwrap();
    assert_eq!(created.status.as_u16(), 202, "the services API accepts alice's service: {}", created.text());

    // The service's application, found by its name at the ResourceManager.
    let rm = cluster.resource_manager();
    let deadline = Instant::now() + Duration::from_secs(120);
    let app = loop {
        let apps = rm.apps(auth).await.unwrap();
        if let Some(app) = apps.into_iter().find(|a| a.name == name) {
            break app;
        }
        assert!(Instant::now() < deadline, "no application named {name}");
        tokio::time::sleep(Duration::from_secs(1)).await;
    };
    assert_eq!(app.user, "alice");

    // The component wrote her home, as her. In the full suite, beside the fault matrix's
    // checklists and four other long-lived applications, the NodeManager took two minutes to
    // launch the component and its JVM longer to write: 150 s was once too short.
    let deadline = Instant::now() + Duration::from_secs(360);
    while fs.status(&marker, auth, None).await.is_err() {
        assert!(Instant::now() < deadline, "the component never wrote {marker}");
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
    assert_eq!(fs.status(&marker, auth, None).await.unwrap().owner, "alice");

    // The ApplicationMaster logged in from the keytab it was given, as alice on its host.
    let logs = cluster.evidence().container_logs(&app.id).await.unwrap();
    let am_log: String =
        logs.iter().filter(|f| f.path.contains("_01_000001/")).map(|f| String::from_utf8_lossy(&f.content).into_owned()).collect();
    let login = format!("Login successful for user alice/{}@{} using keytab file", cluster.layout().hadoop_host(), cluster.realm());
    assert!(am_log.contains(&login), "the AM's log does not show the keytab login:\n{}", &am_log[am_log.len().saturating_sub(3000)..]);

    // Its component is in the registry, under alice's home, which only she (and the system
    // accounts) may write; a client that does not authenticate is not let in at all. The AM
    // records a component once the NodeManager has told it the container's address, which may
    // come after the component's first write.
    let component = format!("/registry/users/alice/services/yarn-service/{name}/components/");
    let deadline = Instant::now() + Duration::from_secs(60);
    let listing = loop {
        let listing = cluster
            .zookeeper_cli(
                "zookeeper",
                Some("/opt/hadoop/conf/zookeeper-admin.jaas"),
                &format!("ls -R /registry/users/alice/services/yarn-service/{name}\ngetAcl /registry/users/alice\n"),
            )
            .await
            .unwrap();
        if listing.contains(&component) || Instant::now() > deadline {
            break listing;
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    };
    assert!(listing.contains(&component), "no {component} within 60 s of the component's write:\n{listing}");
    assert!(listing.contains("'sasl,'alice") && !listing.contains("'sasl,'bob"), "{listing}");
    let anonymous = cluster.zookeeper_cli("yarn", None, "ls /registry/users/alice\n").await.unwrap();
    assert!(
        !anonymous.contains("[services]") && anonymous.contains("authenticat"),
        "an unauthenticated client read the registry:\n{anonymous}"
    );

    // Destroyed through the same API.
    let gone = cluster.http().send(Method::DELETE, &format!("{api}/{name}"), auth, None, None).await.unwrap();
    assert!(gone.status.is_success(), "{}: {}", gone.status, gone.text());
    let _ = fs.delete(&keytab_path, auth, None).await;
    let _ = fs.delete(&marker, auth, None).await;
}
