//! The anchor of `yarnsec bench`: Hadoop's own secure mini cluster in one JVM (MiniKdc,
//! MiniDFSCluster, MiniYARNCluster 3.4.2), which is what Hadoop projects use for secure tests
//! today, measured in the same run as yarnsec's cluster.
//!
//! `bench/minicluster/` holds the launcher (one Java file and a pom that only names its
//! dependencies). Here: Maven resolves the classpath on the host, javac compiles the launcher into
//! `target/bench-anchor/`, and the JVM runs it with the Java 17 `--add-opens` Hadoop needs; it
//! prints one JSON line when the DataNode is live and the NodeManager registered, then stops.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use serde::Deserialize;
use tokio::io::{AsyncBufReadExt, BufReader};

/// How long the mini cluster may take to be ready (it takes seconds; Maven's first download of
/// its jars is done before this starts counting).
const READY_WITHIN: Duration = Duration::from_secs(300);

/// What the launcher prints when the mini cluster is ready.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct AnchorReport {
    /// MiniKdc started, principals and keytab written, from the JVM's `main`.
    pub kdc_s: f64,
    /// MiniDFSCluster built and active (NameNode out of safe mode, DataNode live).
    pub hdfs_s: f64,
    /// MiniYARNCluster started and its NodeManager registered.
    pub yarn_s: f64,
    /// All of it, from the JVM's `main`.
    pub ready_s: f64,
    /// The JVM's resident memory when ready, MiB.
    pub rss_mib: u64,
}

/// The anchor's numbers: its own report and the wall time from starting the JVM to ready.
#[derive(Clone, Debug)]
pub struct Anchor {
    /// From spawning `java` to the ready line (JVM start and class loading included).
    pub wall: Duration,
    /// What the launcher measured.
    pub report: AnchorReport,
}

/// What the mini cluster cannot be configured to do that yarnsec's cluster does, for the table.
pub const NOT_CONFIGURABLE: &str = "every daemon in one JVM with one login (one service principal for all; \
     MiniYARNCluster skips the ResourceManager's and NodeManager's own logins), Kerby in place of MIT Kerberos, \
     MiniKdc ignores the renewable lifetime (48 h), the ResourceManager's and NodeManager's web UIs cannot both \
     serve (YARN-7747), NodeManager heartbeats are calls inside the JVM rather than Kerberos RPC, no timeline \
     server, ZooKeeper registry or YARN services, no edge node";

/// Reads the launcher's ready line.
pub fn parse_ready(line: &str) -> Option<AnchorReport> {
    serde_json::from_str(line.trim()).ok()
}

/// Checks that the host has what the anchor needs (Maven, and javac from a JDK), naming the fix.
pub fn check_tools() -> anyhow::Result<()> {
    for (tool, package) in [("mvn", "maven"), ("javac", "openjdk-17-jdk-headless"), ("java", "openjdk-17-jdk-headless")] {
        let found = std::env::var_os("PATH").is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(tool).is_file()));
        if !found {
            anyhow::bail!(yarnsec::BadInput(format!(
                "the anchor (Hadoop's mini cluster, built on this host) needs `{tool}`: `apt-get install -y {package}`, or pass --no-anchor"
            )));
        }
    }
    Ok(())
}

fn launcher_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/minicluster")
}

/// Resolves the classpath (Maven on the host) and compiles the launcher; returns the classpath to
/// run it with.
async fn build(work: &Path) -> anyhow::Result<String> {
    std::fs::create_dir_all(work.join("classes"))?;
    let cp_file = work.join("classpath.txt");
    let pom = launcher_dir().join("pom.xml");
    let out = tokio::process::Command::new("mvn")
        .args(["-q", "-B", "-f"])
        .arg(&pom)
        .arg("dependency:build-classpath")
        .arg(format!("-Dmdep.outputFile={}", cp_file.display()))
        .output()
        .await
        .context("cannot run `mvn` (Debian package maven) to resolve the mini cluster's jars")?;
    if !out.status.success() {
        anyhow::bail!(
            "`mvn -f {} dependency:build-classpath` failed: {}",
            pom.display(),
            String::from_utf8_lossy(&out.stdout).lines().chain(String::from_utf8_lossy(&out.stderr).lines()).last().unwrap_or("")
        );
    }
    let deps = std::fs::read_to_string(&cp_file).with_context(|| format!("Maven wrote no {}", cp_file.display()))?;
    let out = tokio::process::Command::new("javac")
        .arg("-d")
        .arg(work.join("classes"))
        .arg("-cp")
        .arg(deps.trim())
        .arg(launcher_dir().join("SecureMiniCluster.java"))
        .output()
        .await
        .context("cannot run `javac` (a JDK 17)")?;
    if !out.status.success() {
        anyhow::bail!("javac SecureMiniCluster.java failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(format!("{}:{}", work.join("classes").display(), deps.trim()))
}

/// Builds and runs the anchor once; its log goes to `target/bench-anchor/minicluster.log`.
pub async fn measure(target: &Path) -> anyhow::Result<Anchor> {
    let work = std::path::absolute(target.join("bench-anchor"))?;
    let classpath = build(&work).await?;
    let data = work.join("run");
    let _ = std::fs::remove_dir_all(&data);
    let log_path = work.join("minicluster.log");
    let log = std::fs::File::create(&log_path)?;
    let started = Instant::now();
    let mut child = tokio::process::Command::new("java")
        .args(yarnsec_hadoop::java::java17_add_opens())
        .arg("-cp")
        .arg(&classpath)
        .arg("SecureMiniCluster")
        .arg(&data)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(log)
        .kill_on_drop(true)
        .spawn()
        .context("cannot run `java`")?;
    let stdout = child.stdout.take().expect("piped");
    let mut lines = BufReader::new(stdout).lines();
    let ready = tokio::time::timeout(READY_WITHIN, async {
        while let Some(line) = lines.next_line().await? {
            if let Some(report) = parse_ready(&line) {
                return Ok::<_, std::io::Error>(Some(report));
            }
        }
        Ok(None)
    })
    .await;
    let wall = started.elapsed();
    let report = match ready {
        Ok(Ok(Some(report))) => report,
        Ok(Ok(None)) | Ok(Err(_)) => anyhow::bail!("the mini cluster ended before it was ready; its log: {}", log_path.display()),
        Err(_) => anyhow::bail!("the mini cluster was not ready within {} s; its log: {}", READY_WITHIN.as_secs(), log_path.display()),
    };
    // It stops itself; its output is read to the end meanwhile (a full pipe would hold it), and a
    // JVM that does not stop is killed.
    let drain = async {
        while let Ok(Some(_)) = lines.next_line().await {}
        child.wait().await
    };
    if tokio::time::timeout(Duration::from_secs(60), drain).await.is_err() {
        let _ = child.kill().await;
    }
    let _ = std::fs::remove_dir_all(&data);
    Ok(Anchor { wall, report })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ready_line_is_read_and_other_lines_are_not() {
        let line = r#"{"kdc_s":0.21,"hdfs_s":2.94,"yarn_s":3.27,"ready_s":6.80,"rss_mib":713,"realm":"EXAMPLE.COM","rpc_protection":"privacy","data_transfer_protection":"privacy"}"#;
        let r = parse_ready(line).expect("the ready line");
        assert_eq!((r.rss_mib, r.ready_s), (713, 6.80));
        assert_eq!(parse_ready("2026-12-05 07:58:38,760 INFO MiniKdc - MiniKdc started."), None);
        assert_eq!(parse_ready(r#"{"kdc_s":1}"#), None);
    }
}
