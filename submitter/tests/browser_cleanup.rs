//! No browser outlives its session, even when its driver is killed: Chromium dies with
//! chromedriver (parent-death signal), its own children die with it, and dropping the session
//! removes whatever is left. Needs Debian's `chromium` and `chromium-driver`, no cluster.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use yarnsec_harness::process::labelled;
use yarnsec_submitter::browser::{Browser, Launch, Tools};

fn tools() -> Option<Tools> {
    match Tools::find() {
        Ok(t) => Some(t),
        Err(e) if std::env::var("CI").is_ok_and(|v| v == "true") => panic!("CI must run this test: {e}"),
        Err(e) => {
            eprintln!("SKIPPED: {e}");
            None
        }
    }
}

/// The labelled processes whose command line names the browser binary.
fn chromium_processes(label: &str) -> Vec<u32> {
    labelled(label)
        .into_iter()
        .filter(|pid| {
            let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            String::from_utf8_lossy(&cmdline).contains("chrom") && !String::from_utf8_lossy(&cmdline).contains("chromedriver")
        })
        .collect()
}

async fn gone_within(label: &str, limit: Duration) -> Result<Duration, Vec<u32>> {
    let started = Instant::now();
    loop {
        let left = labelled(label);
        if left.is_empty() {
            return Ok(started.elapsed());
        }
        if started.elapsed() > limit {
            return Err(left);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn chromium_and_its_children_die_when_the_driver_is_killed() {
    let Some(tools) = tools() else { return };
    let dir = tempfile::tempdir().unwrap();
    let label = format!("test-browser-killed-driver-{}", std::process::id());
    let hosts = BTreeMap::new();
    let launch =
        Launch { cluster_id: &label, hosts: &hosts, ccache: None, dir: dir.path(), log: &dir.path().join("driver.log"), net_log: None };
    let browser = Browser::launch(&tools, &launch).await.expect("a browser session starts");
    browser.goto("data:text/html,<p>yarnsec</p>").await.expect("a page loads");
    let chromium = chromium_processes(&label);
    assert!(chromium.len() >= 2, "Chromium runs a browser process and its children, labelled: {chromium:?}");

    let driver = browser.driver_pid().expect("the driver runs");
    // SAFETY: kill(2) on the driver this test started.
    unsafe { libc::kill(driver as libc::pid_t, libc::SIGKILL) };
    // The session is not dropped yet: only the kernel and Chromium itself act here.
    let outcome = gone_within(&label, Duration::from_secs(10)).await;
    let left: Vec<String> = match &outcome {
        Ok(_) => Vec::new(),
        Err(pids) => pids
            .iter()
            .map(|p| String::from_utf8_lossy(&std::fs::read(format!("/proc/{p}/cmdline")).unwrap_or_default()).replace('\0', " "))
            .collect(),
    };
    drop(browser);
    assert!(outcome.is_ok(), "10 s after chromedriver was killed, these browser processes still ran: {left:#?}");
}

#[tokio::test]
async fn dropping_a_session_leaves_no_browser_process() {
    let Some(tools) = tools() else { return };
    let dir = tempfile::tempdir().unwrap();
    let label = format!("test-browser-dropped-{}", std::process::id());
    let hosts = BTreeMap::new();
    let launch =
        Launch { cluster_id: &label, hosts: &hosts, ccache: None, dir: dir.path(), log: &dir.path().join("driver.log"), net_log: None };
    let browser = Browser::launch(&tools, &launch).await.expect("a browser session starts");
    browser.goto("data:text/html,<p>yarnsec</p>").await.expect("a page loads");
    assert!(!chromium_processes(&label).is_empty());
    drop(browser);
    if let Err(left) = gone_within(&label, Duration::from_secs(10)).await {
        panic!("10 s after the session was dropped, processes {left:?} still ran");
    }
}
