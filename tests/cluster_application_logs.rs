//! The report keeps every judged application's container logs: `yarnsec run` copies the
//! NodeManager's log dirs into `logs/applications/<app>/<container>/`. And the NodeManager
//! aggregates them to HDFS as production's does: `yarn logs` shows an application's logs to its
//! user and to no one else.

mod common;

use yarnsec_scenarios::Context;

#[tokio::test]
async fn each_container_of_a_judged_application_has_its_logs_in_the_report() {
    let Some(cluster) = common::cluster().await else { return };
    let service = common::reference_service(&cluster);
    let ctx = Context::new(&cluster, &service);
    let run = ctx.run_as("alice").await.expect("alice's application runs");
    assert!(run.succeeded(), "{:?}", run.app);

    let report = tempfile::tempdir().unwrap();
    let dir = report.path().join("applications");
    let apps = cluster.evidence().save_container_logs(&dir).await.expect("the logs are copied");
    assert!(apps >= 1, "no application's logs were copied");
    for container in &run.containers {
        let kept = dir.join(&run.app.id).join(&container.id);
        for (name, text) in &container.logs {
            let copy = std::fs::read_to_string(kept.join(name)).unwrap_or_else(|e| panic!("{}/{name}: {e}", kept.display()));
            // The copy was made after the observation: the same text, or more of it.
            assert!(copy.starts_with(text.as_str()), "{}/{name} differs from what was observed", kept.display());
        }
    }
    let worker = run.probe_container().expect("the probe ran in a container");
    let copies: String = std::fs::read_dir(dir.join(&run.app.id).join(&worker.id))
        .expect("the probe's container was copied")
        .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
        .collect();
    assert!(copies.lines().any(|l| l == "USER=alice"), "the probe's output is not in the copy:\n{copies}");
}

/// `yarn logs -applicationId APP -appOwner alice` on the Hadoop node, as the OS user `user` with
/// a ticket from the user's keytab: its output, stdout and stderr together.
async fn yarn_logs(cluster: &yarnsec_harness::SecureCluster, user: &str, app: &str) -> String {
    use base64::Engine as _;
    let account = cluster.user(user).expect("a test user");
    let keytab = std::fs::read(account.keytab().expect("the user has a keytab")).expect("the keytab is readable");
    let principal = account.principal().expect("the user has a principal").to_string();
    let opens: Vec<String> = yarnsec_hadoop::java::java17_add_opens().collect();
    let script = format!(
        "set -e; d=$(mktemp -d); echo {keytab} | base64 -d > $d/keytab; chown -R {user} $d; \
         runuser -u {user} -- env KRB5CCNAME=$d/cc sh -c 'kinit -kt $0/keytab {principal} && \
         java {opens} {short} -cp \"{jars}:{conf}\" org.apache.hadoop.yarn.client.cli.LogsCLI \
         -applicationId {app} -appOwner alice' $d 2>&1 || true; rm -rf $d",
        keytab = base64::engine::general_purpose::STANDARD.encode(keytab),
        opens = opens.join(" "),
        // The image's class archive, as for `hadoop fs` in containers: it maps only when the
        // class path begins with the jars.
        short = yarnsec_hadoop::java::short_jvm_options(),
        jars = yarnsec_hadoop::java::HADOOP_JARS,
        conf = yarnsec_harness::layout::paths::HADOOP_CONF,
    );
    let out = cluster.hadoop().exec(&["sh", "-c", &script]).await.expect("the command runs");
    format!("{}{}", out.stdout_text(), out.stderr_text())
}

#[tokio::test]
async fn yarn_logs_shows_an_application_s_aggregated_logs_to_its_user_and_refuses_another() {
    let Some(cluster) = common::cluster().await else { return };
    let service = common::reference_service(&cluster);
    let ctx = Context::new(&cluster, &service);
    let run = ctx.run_as("alice").await.expect("alice's application runs");
    assert!(run.succeeded(), "{:?}", run.app);

    // The NodeManager uploads the logs once the application has ended: poll for them.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(180);
    let shown = loop {
        let out = yarn_logs(&cluster, "alice", &run.app.id).await;
        if run.containers.iter().all(|c| out.contains(&format!("Container: {} on", c.id))) && out.contains("LogAggregationType: AGGREGATED")
        {
            break out;
        }
        assert!(std::time::Instant::now() < deadline, "alice's aggregated logs of {} never showed:\n{out}", run.app.id);
        tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    };
    assert!(shown.lines().any(|l| l == "USER=alice"), "the probe's output is not in the aggregated logs:\n{shown}");

    let refused = yarn_logs(&cluster, "bob", &run.app.id).await;
    assert!(refused.contains("Permission denied: user=bob"), "bob read alice's logs:\n{refused}");
    assert!(!refused.contains("USER=alice"), "bob saw alice's container output:\n{refused}");
}
