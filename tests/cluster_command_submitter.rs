//! A command-line submitter judged like a web service: the edge node it runs on (a gateway host
//! with the kit, Hadoop's commands and the users' keytabs), and two of Hadoop's own clients run
//! with `yarn jar` from a service file as a team would write it: DistributedShell's, and
//! MapReduce's (streaming, the team's script as the mapper).

mod common;

use std::sync::Arc;

use yarnsec_harness::cluster::{Edge, EdgeOptions};
use yarnsec_scenarios::{judge, Context, ServiceUnderTest, Status};
use yarnsec_submitter::command::{CommandSubmitter, Script, Ticket};
use yarnsec_submitter::service_file::ServiceFile;

/// The shared cluster, when it runs Kerberos (the edge's tickets are what is shown).
async fn kerberos_cluster() -> Option<yarnsec_harness::SecureCluster> {
    let cluster = common::cluster().await?;
    if !cluster.profile().kerberos() {
        eprintln!("SKIPPED: the edge node's tickets are shown on a Kerberos profile");
        return None;
    }
    Some(cluster)
}

#[tokio::test]
async fn the_edge_node_runs_hadoops_commands_as_each_user_with_that_users_ticket() {
    let Some(cluster) = kerberos_cluster().await else { return };
    let team = tempfile::tempdir().unwrap();
    std::fs::write(team.path().join("submit.sh"), "echo team file\n").unwrap();
    // A directory only root can read is refused, with the way out.
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(team.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    let closed = cluster.start_edge(EdgeOptions::default().with_mount(team.path())).await.unwrap_err().to_string();
    assert!(closed.contains("has mode 700") && closed.contains("chmod o+rx"), "{closed}");
    std::fs::set_permissions(team.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let edge = cluster.start_edge(EdgeOptions::default().with_mount(team.path())).await.expect("the edge node starts");

    let out = edge.run_as("alice", &["sh", "-c", "id -un; klist | grep 'Default principal'; cat /team/submit.sh"]).await.unwrap();
    let text = out.stdout_text();
    assert!(text.contains("alice\n") && text.contains(&format!("alice@{}", cluster.realm())), "{text}{}", out.stderr_text());
    assert!(text.contains("team file"), "the team's directory is mounted at /team: {text}");

    let marker = format!("/user/alice/edge-{}.txt", std::process::id());
    let put = edge
        .run_as("alice", &["sh", "-c", &format!("echo from-edge | hdfs dfs -put -f - {marker} && hdfs dfs -cat {marker}")])
        .await
        .unwrap();
    assert!(put.code == 0 && put.stdout_text().contains("from-edge"), "alice writes her home from the edge:\n{}", put.stderr_text());
    // bob's ticket is bob's: alice's home is closed to him.
    let bob = edge.run_as("bob", &["hdfs", "dfs", "-cat", &marker]).await.unwrap();
    assert!(bob.code != 0 && bob.stderr_text().contains("Permission denied"), "bob read alice's file:\n{}", bob.stderr_text());
    let _ = edge.run_as("alice", &["hdfs", "dfs", "-rm", "-skipTrash", &marker]).await;

    let apps = edge.run_as("alice", &["yarn", "application", "-list", "-appStates", "ALL"]).await.unwrap();
    assert!(apps.code == 0 && apps.stdout_text().contains("Total number of applications"), "{}", apps.stderr_text());
    let jobs = edge.run_as("alice", &["mapred", "job", "-list"]).await.unwrap();
    assert!(jobs.code == 0 && jobs.stdout_text().contains("Total jobs"), "{}{}", jobs.stdout_text(), jobs.stderr_text());
    // What the edge does not have says so.
    let unknown = edge.run_as("alice", &["yarn", "frobnicate"]).await.unwrap();
    assert!(unknown.code == 64 && unknown.stderr_text().contains("not provided"), "{}", unknown.stderr_text());

    // `yarnsec exec` finds this edge node by its labels.
    let engine = yarnsec_harness::docker::connect().await.unwrap();
    let found = Edge::find(&engine, Some(cluster.id())).await.expect("an edge node is found by its cluster");
    let who = found.run_as("bob", &["id", "-un"]).await.unwrap();
    assert_eq!(who.stdout_text().trim(), "bob", "{}", who.stderr_text());
    // And so does `yarnsec exec`, which passes the command's output and exit code on.
    let exec = std::process::Command::new(env!("CARGO_BIN_EXE_yarnsec"))
        .args(["exec", "--cluster", cluster.id(), "--user", "alice", "--", "sh", "-c", "klist | grep 'Default principal'; exit 5"])
        .output()
        .unwrap();
    assert_eq!(exec.status.code(), Some(5), "{}", String::from_utf8_lossy(&exec.stderr));
    assert!(String::from_utf8_lossy(&exec.stdout).contains(&format!("alice@{}", cluster.realm())));
    let none = Edge::find(&engine, Some("yarnsec-999-none")).await.unwrap_err().to_string();
    assert!(none.contains("no running edge node") && none.contains("yarnsec up --edge"), "{none}");
}

/// A client that works longer than a ticket can be renewed (a JVM uploading its framework) keeps
/// working on the edge node, which refreshes the command's ticket cache as a gateway host does;
/// the same client with one ticket loses it mid-way. (Hadoop's own renewal thread runs
/// `kinit -R` on a ticket cache, so one ticket carries a JVM to its renewable lifetime, not
/// further.) The client: `hdfs dfs -put` of a stream whose data comes the renewable lifetime and
/// 15 s after the file was created, so that the NameNode's connection must be authenticated again.
#[tokio::test]
async fn a_client_slower_than_a_ticket_keeps_working_on_the_edge_node() {
    let Some(cluster) = kerberos_cluster().await else { return };
    let edge = cluster.start_edge(EdgeOptions::default()).await.expect("the edge node starts");
    let wait = cluster.profile().renew_lifetime().as_secs() + 15;
    let slow_put = |file: &str| {
        format!("(sleep {wait}; echo slow-data) | hdfs dfs -put - {file} && hdfs dfs -cat {file}; rc=$?; hdfs dfs -rm -skipTrash {file} >/dev/null 2>&1; exit $rc")
    };
    let nonce = std::process::id();
    let refreshed = edge.with_ticket("alice", &slow_put(&format!("/user/alice/slow-refreshed-{nonce}")));
    let single = edge.with_single_ticket("alice", &slow_put(&format!("/user/alice/slow-single-{nonce}")));
    let (refreshed, single) = (["sh", "-c", refreshed.as_str()], ["sh", "-c", single.as_str()]);
    let (refreshed, single) = tokio::join!(edge.node().exec_as(Some("alice"), &refreshed), edge.node().exec_as(Some("alice"), &single));
    let (refreshed, single) = (refreshed.unwrap(), single.unwrap());
    assert!(
        refreshed.code == 0 && refreshed.stdout_text().contains("slow-data"),
        "with its ticket refreshed, a client {wait} s long writes its file:\n{}{}",
        refreshed.stdout_text(),
        refreshed.stderr_text()
    );
    assert!(
        single.code != 0 && !single.stdout_text().contains("slow-data"),
        "with one ticket of {} s, renewable for {} s, the client should have lost it mid-way:\n{}{}",
        cluster.profile().ticket_lifetime().as_secs(),
        cluster.profile().renew_lifetime().as_secs(),
        single.stdout_text(),
        single.stderr_text()
    );
}

/// The DistributedShell client's service file.
fn distributedshell_cli(version: &str) -> ServiceFile {
    common::reference_file("distributedshell-cli", version)
}

#[tokio::test]
async fn distributedshell_cli_is_judged_as_a_command_submitter() {
    let Some(cluster) = kerberos_cluster().await else { return };
    let file = distributedshell_cli(cluster.hadoop_version());
    let edge = cluster.start_edge(EdgeOptions::default()).await.expect("the edge node starts");
    let submitter = file.command_submitter(Arc::new(edge));
    let service = ServiceUnderTest::command(&file.name, file.features, submitter);

    // alice's application through `yarn jar`, as alice, writing her home from its container.
    let want = [("T2", Status::Pass), ("C1", Status::Pass), ("C5", Status::Pass), ("A2", Status::Fail)];
    let (ctx, _) = common::judged(&file.name, || Context::new(&cluster, &service), &want).await;
    // No browser pages to judge: not applicable, never PASS.
    assert_eq!(judge("T3", &ctx).await.status, Status::NotApplicable);
}

/// A JVM workload: yarnsec compiles its probe in the cluster, DistributedShell ships the jar to
/// the container, and the probe writes alice's home through Hadoop's Java API with her token.
#[tokio::test]
async fn a_jvm_workload_runs_in_distributedshell_and_is_judged() {
    let Some(cluster) = kerberos_cluster().await else { return };
    let file = common::reference_file("distributedshell-cli-jvm", cluster.hadoop_version());
    assert_eq!(file.workload, yarnsec_submitter::workload::Workload::Jvm);
    let edge = cluster.start_edge(EdgeOptions::default()).await.expect("the edge node starts");
    let submitter = file.command_submitter(Arc::new(edge));
    let service = ServiceUnderTest::command(&file.name, file.features, submitter).with_workload(file.workload);

    let want = [("T2", Status::Pass), ("C1", Status::Pass), ("C2", Status::Pass), ("C5", Status::Pass)];
    let (ctx, _) = common::judged(&file.name, || Context::new(&cluster, &service), &want).await;
    // The probe's own lines, from the jar's class, in the worker's output.
    let run = ctx.alice_run().await.expect("alice's run was observed");
    let out: String = run.containers.iter().flat_map(|c| c.logs.values().map(String::as_str)).collect();
    assert!(out.contains("USER=alice") && out.contains("put=ok") && out.contains("HADOOP_TOKEN_FILE_LOCATION=/"), "{out}");
    // The jar went to the container as a localized file, staged by alice.
    assert!(run.staged_paths().iter().any(|p| p.ends_with("/workload.jar")), "{:?}", run.staged_paths());
}

#[tokio::test]
async fn mapreduce_streaming_is_judged_as_a_command_submitter() {
    let Some(cluster) = kerberos_cluster().await else { return };
    let file = common::reference_file("mapreduce-streaming", cluster.hadoop_version());
    let edge = cluster.start_edge(EdgeOptions::default()).await.expect("the edge node starts");
    let submitter = file.command_submitter(Arc::new(edge));
    let service = ServiceUnderTest::command(&file.name, file.features, submitter);

    // MapReduce's own ApplicationMaster runs alice's script as a map task, as alice, with her
    // tokens; it publishes the job to the timeline server, and hands its timeline token to the
    // map task too (the checklist's A2 asks for it to be filtered out).
    let want = [("T2", Status::Pass), ("C2", Status::Pass), ("T7", Status::Pass), ("A2", Status::Fail)];
    let (_, verdicts) = common::judged(&file.name, || Context::new(&cluster, &service), &want).await;
    // MapReduce stages in /user/alice/.staging/job_…, a path without the application's id: T2
    // finds it through what the NodeManager localized, and sees alice create it.
    let t2 = &verdicts[0];
    let staged = t2.evidence.iter().find(|e| e.title.contains("files staged for alice's")).map(|e| e.body.as_str()).unwrap_or("");
    assert!(staged.contains("/user/alice/.staging/job_") && staged.contains("ugi=alice"), "{:#?}", t2.evidence);
    let a2 = &verdicts[3];
    assert!(a2.reason.contains("TIMELINE_DELEGATION_TOKEN"), "{}", a2.reason);
}

#[tokio::test]
async fn a_command_that_submits_nothing_fails_the_launch_with_its_output_and_one_without_a_ticket_is_refused() {
    let Some(cluster) = kerberos_cluster().await else { return };
    let edge = Arc::new(cluster.start_edge(EdgeOptions::default()).await.expect("the edge node starts"));
    // A submitter that gives up: the launch item FAILs and quotes the command's own words; the
    // items that judge the application have nothing to judge.
    let broken = CommandSubmitter::new(
        ["sh", "-c", "echo 'no queue for {user}: cannot submit {workload}' >&2; exit 3"].map(String::from).to_vec(),
        edge.clone(),
    );
    let service = ServiceUnderTest::command("broken", Default::default(), broken);
    let ctx = Context::new(&cluster, &service);
    let v = judge("T1", &ctx).await;
    assert_eq!(v.status, Status::Fail, "{}", v.reason);
    assert!(v.reason.contains("exited 3") && v.reason.contains("no queue for alice"), "{}", v.reason);
    let v = judge("T2", &ctx).await;
    assert_eq!(v.status, Status::Skipped, "{}", v.reason);
    assert!(v.reason.contains("nothing to judge") && v.reason.contains("no queue for alice"), "{}", v.reason);

    // A real client without a ticket launches nothing.
    let file = distributedshell_cli(cluster.hadoop_version());
    let dshell = file.command_submitter(edge);
    let run = dshell
        .attempt(
            &cluster,
            "alice",
            Ticket::None,
            Script::sh("echo should-not-run"),
            "yarnsec-no-ticket",
            std::time::Duration::from_secs(60),
        )
        .await
        .unwrap();
    dshell.stop(&run).await;
    assert_eq!(run.application_id(), None, "{}", run.output);
    assert!(run.output.contains("Client cannot authenticate") || run.output.contains("GSS"), "{}", run.tail(20));
}
