//! Nothing is left behind, whatever stops a run: Ctrl-C while items wait, SIGKILL of `yarnsec run`
//! (then `yarnsec down`), SIGKILL of `yarnsec up` (then the next start). Each test starts a
//! cluster of its own through the binary, as a user would; they run one at a time (nextest group
//! `own-cluster`).

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use bollard::Docker;

mod common;
use common::engine;
use yarnsec_harness::docker;
use yarnsec_harness::process::labelled;

fn yarnsec(args: &[&str], cwd: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_yarnsec"));
    command.args(args).current_dir(cwd).stdin(Stdio::null());
    command
}

fn signal(child: &Child, signal: libc::c_int) {
    // SAFETY: kill(2) on a child this test started.
    unsafe { libc::kill(child.id() as libc::pid_t, signal) };
}

/// Polls `check` every 100 ms until it gives a value or `limit` passes.
async fn wait_for<T>(what: &str, limit: Duration, mut check: impl AsyncFnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(Instant::now() < deadline, "waited {} s for {what}", limit.as_secs());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The cluster whose owner is process `pid`.
async fn cluster_of(engine: &Docker, pid: u32) -> Option<String> {
    docker::labelled_clusters(engine).await.ok()?.into_iter().find(|c| c.owner.as_ref().is_some_and(|o| o.pid == pid)).map(|c| c.id)
}

/// What is left of a cluster: containers, its network, host processes labelled with it.
async fn remains(engine: &Docker, id: &str) -> Vec<String> {
    let mut left: Vec<String> = docker::containers_of(engine, id).await.unwrap().into_iter().map(|c| format!("container {c}")).collect();
    if docker::network_exists(engine, id).await.unwrap() {
        left.push(format!("network {id}"));
    }
    left.extend(labelled(id).into_iter().map(|pid| format!("process {pid}")));
    left
}

/// A labelled browser process of the cluster runs (T3 is under way).
fn browser_runs(id: &str) -> bool {
    labelled(id)
        .into_iter()
        .any(|pid| String::from_utf8_lossy(&std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default()).contains("chromium"))
}

fn browser_installed() -> bool {
    yarnsec_submitter::browser::Tools::find().is_ok()
}

/// Whether the run's progress (its stderr, in `log`) shows that items started.
fn items_started(log: &Path) -> bool {
    std::fs::read_to_string(log).is_ok_and(|text| text.lines().any(|l| l.starts_with("yarnsec: T5 ")))
}

#[tokio::test]
async fn ctrl_c_while_items_wait_leaves_nothing_within_15_s() {
    let Some(engine) = engine().await else { return };
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("run.log");
    // T5 waits for minutes; T3 runs a browser meanwhile (where one is installed).
    let mut child = yarnsec(&["run", "--scenario", "T5", "--scenario", "T3", "--report-dir", "report"], dir.path())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let id = wait_for("the run's cluster", Duration::from_secs(300), async || cluster_of(&engine, child.id()).await).await;
    wait_for("the items to start (and the browser, where one is installed)", Duration::from_secs(300), async || {
        (items_started(&log) && (!browser_installed() || browser_runs(&id))).then_some(())
    })
    .await;
    let had_browser = browser_runs(&id);
    signal(&child, libc::SIGINT);
    let interrupted = Instant::now();
    let status = wait_for("the run to exit", Duration::from_secs(15), async || child.try_wait().unwrap()).await;
    let mut left = Vec::new();
    while interrupted.elapsed() < Duration::from_secs(15) {
        left = remains(&engine, &id).await;
        if left.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    eprintln!("browser running when interrupted: {had_browser}; checked {:.1} s after SIGINT", interrupted.elapsed().as_secs_f64());
    assert!(left.is_empty(), "15 s after SIGINT these remain: {left:?}\n{}", std::fs::read_to_string(&log).unwrap_or_default());
    assert_eq!(status.code(), Some(i32::from(yarnsec::exit_codes::INTERRUPTED)), "the exit code says interrupted");
}

#[tokio::test]
async fn a_killed_run_is_removed_by_down() {
    let Some(engine) = engine().await else { return };
    let dir = tempfile::tempdir().unwrap();
    let mut child = yarnsec(&["run", "--scenario", "T3", "--scenario", "T2", "--report-dir", "report"], dir.path()).spawn().unwrap();
    let id = wait_for("the run's cluster", Duration::from_secs(300), async || cluster_of(&engine, child.id()).await).await;
    wait_for("the service", Duration::from_secs(300), async || {
        let n = docker::containers_of(&engine, &id).await.ok()?.len();
        (n >= 3 && (!browser_installed() || browser_runs(&id))).then_some(())
    })
    .await;
    signal(&child, libc::SIGKILL);
    child.wait().unwrap();
    assert!(!remains(&engine, &id).await.is_empty(), "SIGKILL leaves the cluster for `down` to find");
    let down = yarnsec(&["down"], dir.path()).output().unwrap();
    assert!(down.status.success(), "{}", String::from_utf8_lossy(&down.stderr));
    let left = remains(&engine, &id).await;
    assert!(left.is_empty(), "`yarnsec down` left {left:?}; it said: {}", String::from_utf8_lossy(&down.stderr));
}

#[tokio::test]
async fn a_killed_up_is_removed_by_the_next_start() {
    let Some(engine) = engine().await else { return };
    let dir = tempfile::tempdir().unwrap();
    let mut child = yarnsec(&["up", "--no-service", "--no-remote-hdfs"], dir.path()).stderr(Stdio::null()).spawn().unwrap();
    let id = wait_for("the start's cluster", Duration::from_secs(300), async || cluster_of(&engine, child.id()).await).await;
    // Killed in the middle of its start: the KDC runs, Hadoop may not yet.
    wait_for("the KDC container", Duration::from_secs(120), async || {
        (!docker::containers_of(&engine, &id).await.ok()?.is_empty()).then_some(())
    })
    .await;
    signal(&child, libc::SIGKILL);
    child.wait().unwrap();
    assert!(!remains(&engine, &id).await.is_empty());

    let next = yarnsec(&["up", "--no-service", "--no-remote-hdfs", "--json"], dir.path()).stderr(Stdio::inherit()).output().unwrap();
    assert!(next.status.success());
    let left = remains(&engine, &id).await;
    assert!(left.is_empty(), "the next start left the killed start's {left:?}");

    // The new cluster was kept by `up`: `down` from the directory that started it removes it.
    let started = yarnsec_harness::ClusterDescription::from_json(&String::from_utf8_lossy(&next.stdout)).unwrap();
    let new_id = started.krb5_conf.parent().and_then(Path::file_name).unwrap().to_string_lossy().into_owned();
    assert!(!remains(&engine, &new_id).await.is_empty());
    let down = yarnsec(&["down"], dir.path()).output().unwrap();
    let left = remains(&engine, &new_id).await;
    assert!(left.is_empty(), "`down` left {left:?}: {}", String::from_utf8_lossy(&down.stderr));
}

/// A CI job's container sharing this host's engine, stood in for by a PID namespace of its own
/// (`unshare`): its run is killed with everything in the namespace, and a `yarnsec down
/// --settle` on the host, which finds the owner's namespace gone, removes what it left.
#[tokio::test]
async fn a_run_of_a_pid_namespace_that_is_gone_is_removed_from_the_host() {
    let Some(engine) = engine().await else { return };
    let probe = Command::new("unshare").args(["--pid", "--fork", "--mount-proc", "true"]).status();
    if !probe.is_ok_and(|s| s.success()) {
        eprintln!("SKIPPED: `unshare --pid --mount-proc` is not allowed here (not root)");
        return;
    }
    let ours = std::fs::read_link("/proc/self/ns/pid").unwrap().display().to_string();
    // Only a process of the host's own PID namespace sees every process (a test inside a
    // container would rightly leave the job's cluster alone).
    if ours != "pid:[4026531836]" {
        eprintln!("SKIPPED: this test runs in a PID namespace of its own ({ours}), so it cannot see the host's processes");
        return;
    }
    let before: Vec<String> = docker::labelled_clusters(&engine).await.unwrap().into_iter().map(|c| c.id).collect();
    let dir = tempfile::tempdir().unwrap();
    let log = std::fs::File::create(dir.path().join("run.log")).unwrap();
    let mut job = Command::new("unshare")
        .args(["--pid", "--fork", "--mount-proc", "--kill-child", env!("CARGO_BIN_EXE_yarnsec")])
        .args(["run", "--scenario", "T2", "--report-dir", "report"])
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap();
    // The job's namespace: that of `unshare`'s child (another job's, a fresh-machine check's,
    // may run beside this test).
    let children = format!("/proc/{0}/task/{0}/children", job.id());
    let namespace = wait_for("the job's namespace", Duration::from_secs(10), async || {
        let pid = std::fs::read_to_string(&children).ok()?.split_whitespace().next()?.to_string();
        let ns = std::fs::read_link(format!("/proc/{pid}/ns/pid")).ok()?.display().to_string();
        (ns != ours).then_some(ns)
    })
    .await;
    let id = wait_for("the job's cluster", Duration::from_secs(300), async || {
        docker::labelled_clusters(&engine)
            .await
            .ok()?
            .into_iter()
            .find(|c| !before.contains(&c.id) && c.owner.as_ref().is_some_and(|o| o.namespace == namespace))
            .map(|c| c.id)
    })
    .await;
    wait_for("the job's nodes", Duration::from_secs(300), async || {
        (docker::containers_of(&engine, &id).await.ok()?.len() >= 2).then_some(())
    })
    .await;
    // While the job runs, the host leaves its cluster alone: its owner is alive in its namespace.
    let down = yarnsec(&["down"], dir.path()).output().unwrap();
    assert!(!remains(&engine, &id).await.is_empty(), "down removed a running job's cluster: {}", String::from_utf8_lossy(&down.stderr));
    // The job's container exits: everything in the namespace dies at once, its own cleanup too.
    signal(&job, libc::SIGKILL);
    job.wait().unwrap();
    assert!(!remains(&engine, &id).await.is_empty(), "SIGKILL of the namespace leaves the cluster for the host");
    // The namespace's processes die a moment after `unshare`: until then its owner still runs.
    wait_for("the job's namespace to end", Duration::from_secs(30), async || {
        let cluster = docker::labelled_clusters(&engine).await.ok()?.into_iter().find(|c| c.id == id)?;
        (cluster.owner?.liveness() != yarnsec_harness::owner::Liveness::Alive).then_some(())
    })
    .await;
    let started = Instant::now();
    let settle = yarnsec(&["down", "--settle", "2"], dir.path()).output().unwrap();
    let said = String::from_utf8_lossy(&settle.stderr);
    assert!(settle.status.success(), "{said}");
    let left = remains(&engine, &id).await;
    assert!(left.is_empty(), "`yarnsec down --settle 2` left {left:?}; it said: {said}");
    assert!(said.contains(&format!("removed {id}")), "{said}");
    assert!(started.elapsed() >= Duration::from_secs(2), "it waited for a reaper first: {said}");
}
