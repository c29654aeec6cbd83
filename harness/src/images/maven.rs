//! Gathering the Apache Hadoop jars with Maven on the host, whose trust store knows the HTTPS
//! proxy in front of Maven Central (images never download over HTTPS themselves).

use std::path::PathBuf;
use std::process::Stdio;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

use super::sources::HADOOP_POM;
use crate::error::HarnessError;
use crate::progress::Progress;

/// The cache directory for downloaded inputs (`$YARNSEC_CACHE_DIR`, else `~/.cache/yarnsec`).
pub fn cache_dir() -> PathBuf {
    if let Ok(dir) = std::env::var("YARNSEC_CACHE_DIR") {
        return PathBuf::from(dir);
    }
    let home = std::env::var("HOME").unwrap_or_else(|_| "/tmp".into());
    PathBuf::from(home).join(".cache/yarnsec")
}

/// Runs `mvn dependency:copy-dependencies` (the jars) and `dependency:unpack@hdfs-webapps` (the
/// HDFS web UIs) for `version` and returns the context entries `jars` and `hdfs-web`. Maven's own
/// cache (`~/.m2`) makes repeats fast.
pub async fn collect_jars(version: &str, progress: &Progress) -> Result<Vec<(String, PathBuf)>, HarnessError> {
    let dir = cache_dir().join(format!("hadoop-{version}"));
    let jars = dir.join("jars");
    let web = dir.join("hdfs-web");
    let entries = vec![("jars".to_string(), jars.clone()), ("hdfs-web".to_string(), web.clone())];
    let pom = dir.join("pom.xml");
    let done_marker = dir.join(".complete");
    if done_marker.exists() && web.join("webapps/hdfs").is_dir() && std::fs::read_to_string(&pom).ok().as_deref() == Some(HADOOP_POM) {
        return Ok(entries);
    }
    let step = progress.step(format!("maven: Hadoop {version} jars"));
    // Start from nothing: the unpack goal skips artifacts its markers (under `target/`) say it
    // unpacked before, even when their output is gone.
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&jars).map_err(HarnessError::io(&jars))?;
    std::fs::write(&pom, HADOOP_POM).map_err(HarnessError::io(&pom))?;
    let mut child = Command::new("mvn")
        .args(["-B", "-ntp", "-f"])
        .arg(&pom)
        .args(["dependency:copy-dependencies", "dependency:unpack@hdfs-webapps"])
        .arg(format!("-Dwebapps.dir={}", web.display()))
        .arg(format!("-DoutputDirectory={}", jars.display()))
        .arg(format!("-Dhadoop.version={version}"))
        .arg("-DincludeScope=runtime")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| HarnessError::HostTool {
            tool: "mvn".into(),
            detail: e.to_string(),
            log_tail: String::new(),
            hint: "install Maven and a JDK (`apt-get install -y maven openjdk-17-jdk-headless`)".into(),
        })?;
    let mut lines = BufReader::new(child.stdout.take().expect("stdout is piped")).lines();
    let mut tail: Vec<String> = Vec::new();
    while let Ok(Some(line)) = lines.next_line().await {
        step.message(line.clone());
        tail.push(line);
        if tail.len() > 30 {
            tail.remove(0);
        }
    }
    let output = child.wait_with_output().await.map_err(HarnessError::io("mvn"))?;
    if !output.status.success() {
        step.fail();
        tail.push(String::from_utf8_lossy(&output.stderr).into_owned());
        return Err(HarnessError::HostTool {
            tool: "mvn".into(),
            detail: format!("exit status {}", output.status),
            log_tail: tail.join("\n"),
            hint: format!("check that Maven Central is reachable and that Hadoop {version} exists there (`mvn dependency:get -Dartifact=org.apache.hadoop:hadoop-common:{version}`)"),
        });
    }
    if !web.join("webapps/hdfs").is_dir() {
        step.fail();
        return Err(HarnessError::HostTool {
            tool: "mvn".into(),
            detail: format!("the HDFS web applications were not unpacked into {}", web.display()),
            log_tail: tail.join("\n"),
            hint: "check the `hdfs-webapps` execution in docker/hadoop/pom.xml".into(),
        });
    }
    std::fs::write(&done_marker, version).map_err(HarnessError::io(&done_marker))?;
    step.done("collected");
    Ok(entries)
}
