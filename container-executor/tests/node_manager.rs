//! The helper in a real NodeManager: a cluster of its own whose NodeManager runs
//! `LinuxContainerExecutor` with this crate's `container-executor`. alice's DistributedShell
//! container runs as alice (not as yarn); bob cannot read alice's container files; the helper
//! is the image's only setuid file, its configuration is not writable by yarn, and it refuses
//! banned users, other callers, paths outside the NodeManager's dirs and unknown commands.

use yarnsec_harness::cluster::EdgeOptions;
use yarnsec_harness::progress::Progress;
use yarnsec_harness::SecureCluster;

const HELPER: &str = "/opt/hadoop/bin/container-executor";

#[tokio::test]
async fn containers_run_as_their_user_through_the_helper() {
    if yarnsec_harness::docker::connect().await.is_err() {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "CI must run this test: no Docker engine answers");
        eprintln!("SKIPPED: no Docker engine answers");
        return;
    }
    let cluster = SecureCluster::builder()
        .remote_hdfs(false)
        .container_executor(env!("CARGO_BIN_EXE_container-executor"))
        .progress(Progress::hidden())
        .start()
        .await
        .expect("a cluster with the helper starts");
    let node = cluster.hadoop();

    // What the image holds.
    let setuid = node.sh("find / -xdev -type f -perm /6000 2>/dev/null").await.unwrap();
    assert_eq!(setuid.trim(), HELPER, "the helper must be the only setuid or setgid file");
    let mode = node.sh(&format!("stat -c '%U:%G %a' {HELPER} /etc/hadoop/container-executor.cfg")).await.unwrap();
    assert_eq!(mode.lines().collect::<Vec<_>>(), ["root:hadoop 6050", "root:root 644"], "{mode}");
    let writable = node.exec_as(Some("yarn"), &["test", "-w", "/etc/hadoop/container-executor.cfg"]).await.unwrap();
    assert_ne!(writable.code, 0, "yarn can write the helper's configuration");

    // What it refuses, as the NodeManager's user calls it.
    let refusals: &[(&[&str], i64, &str)] = &[
        (&["hdfs", "hdfs", "5", "/data/yarn/local"], 2, "banned.users"),
        (&["root", "root", "5", "/data/yarn/local"], 2, "root"),
        (&["nosuchuser", "nosuchuser", "5", "/data/yarn/local"], 2, "no account"),
        (&["alice", "alice", "5", "/etc"], 5, "outside the NodeManager's dirs"),
        (&["alice", "alice", "5", "/data/yarn/local/../../etc"], 5, "not a plain absolute path"),
        (&["alice", "alice", "3", "/etc/passwd"], 5, "outside the NodeManager's dirs"),
        (&["alice", "alice", "9"], 3, "unknown command"),
        (&["--mount-cgroups", "x"], 32, "no cgroups"),
    ];
    for (args, code, words) in refusals {
        let mut argv = vec![HELPER];
        argv.extend_from_slice(args);
        let out = node.exec_as(Some("yarn"), &argv).await.unwrap();
        assert_eq!(out.code, *code, "{args:?}: {}", out.stderr_text());
        assert!(out.stderr_text().contains(words), "{args:?}: {}", out.stderr_text());
    }
    let checked = node.exec_as(Some("yarn"), &[HELPER, "--checksetup"]).await.unwrap();
    assert_eq!(checked.code, 0, "{}", checked.stderr_text());
    // (Through a shell: the engine reports no exit code for an exec it could not start.)
    let stranger = node.exec_as(Some("alice"), &["sh", "-c", &format!("{HELPER} --checksetup")]).await.unwrap();
    assert_eq!(stranger.code, 126, "a user outside the NodeManager's group ran the helper: {}", stranger.stderr_text());

    // alice's application: its container runs as alice.
    let edge = cluster.start_edge(EdgeOptions::default()).await.expect("the edge node starts");
    let jar = format!("/opt/hadoop/jars/hadoop-yarn-applications-distributedshell-{}.jar", cluster.hadoop_version());
    let run = edge
        .run_as(
            "alice",
            &[
                "yarn",
                "jar",
                &jar,
                "-jar",
                &jar,
                "-shell_command",
                "echo uid=$(id -u) user=$(id -un)",
                "-num_containers",
                "1",
                "-container_memory",
                "256",
                "-master_memory",
                "512",
                "-timeout",
                "200000",
            ],
        )
        .await
        .unwrap();
    let client = format!("{}{}", run.stdout_text(), run.stderr_text());
    assert_eq!(run.code, 0, "alice's application failed:\n{client}");
    let alice_uid = node.sh("id -u alice").await.unwrap().trim().to_string();
    let outputs = node.sh("cat /var/log/hadoop/userlogs/application_*/container_*/stdout").await.unwrap();
    assert!(outputs.contains(&format!("uid={alice_uid} user=alice")), "the container did not run as alice:\n{outputs}\n{client}");
    let owners = node.sh("stat -c '%U' /var/log/hadoop/userlogs/application_*/container_*/stdout | sort -u").await.unwrap();
    assert_eq!(owners.trim(), "alice", "container logs are written by: {owners}");
    // The localizer ran as alice too: it made her application's file cache.
    let cache = node.sh("stat -c '%U %a' /data/yarn/local/usercache/alice/appcache/application_*/filecache | sort -u").await.unwrap();
    assert_eq!(cache.trim(), "alice 710", "alice's file cache: {cache}");
    let work = node.sh("ls -d /data/yarn/local/usercache/alice/appcache/application_*/container_* | head -n 1").await.unwrap();
    let peek = node.exec_as(Some("bob"), &["ls", work.trim()]).await.unwrap();
    assert_ne!(peek.code, 0, "bob can list alice's container dir {}", work.trim());

    drop(edge);
    cluster.shutdown().await.unwrap();
}
