//! Evidence from inside the Hadoop container: daemon logs, the NameNode audit log, what the
//! NodeManager gave each container (`launch_container.sh`, the container's token file), and the
//! thread dump of a running container's JVM.

use crate::error::HarnessError;
use crate::layout::paths;
use crate::node::Node;

/// A file found in a container directory, with its content.
#[derive(Clone, Debug)]
pub struct ContainerFile {
    /// Absolute path inside the Hadoop container.
    pub path: String,
    /// Content.
    pub content: Vec<u8>,
}

/// Reads evidence from the Hadoop container.
#[derive(Clone, Copy, Debug)]
pub struct Evidence<'a> {
    hadoop: &'a Node,
}

/// The Hadoop daemons whose logs can be read.
pub const DAEMONS: [&str; 5] = ["namenode", "datanode", "resourcemanager", "nodemanager", "timelineserver"];

impl<'a> Evidence<'a> {
    pub(crate) fn new(hadoop: &'a Node) -> Self {
        Self { hadoop }
    }

    /// A daemon's whole log (`namenode`, `datanode`, `resourcemanager`, `nodemanager`, `timelineserver`).
    pub async fn daemon_log(&self, daemon: &str) -> Result<String, HarnessError> {
        let bytes = self.hadoop.read_file(&format!("{}/{daemon}.log", paths::HADOOP_LOGS)).await?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// The lines of a daemon's log that contain any of `needles` (fixed strings), in order:
    /// picked in the container, where a whole log of megabytes would cross the engine.
    pub async fn daemon_log_lines(&self, daemon: &str, needles: &[&str]) -> Result<String, HarnessError> {
        self.hadoop.grep(&format!("{}/{daemon}.log", paths::HADOOP_LOGS), needles).await
    }

    /// The last `lines` lines of a daemon's log.
    pub async fn daemon_log_tail(&self, daemon: &str, lines: usize) -> String {
        self.hadoop.tail(&format!("{}/{daemon}.log", paths::HADOOP_LOGS), lines).await
    }

    /// The NameNode audit log (`allowed=… ugi=… ip=… cmd=… src=…` per line).
    pub async fn audit_log(&self) -> Result<String, HarnessError> {
        let bytes = self.hadoop.read_file(&format!("{}/hdfs-audit.log", paths::HADOOP_LOGS)).await?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// The audit-log lines that contain any of `needles` (fixed strings: `cmd=open`, a path),
    /// in order, picked in the container.
    pub async fn audit_log_lines(&self, needles: &[&str]) -> Result<String, HarnessError> {
        self.hadoop.grep(&format!("{}/hdfs-audit.log", paths::HADOOP_LOGS), needles).await
    }

    /// Audit-log lines that mention `needle` (a path, a user).
    pub async fn audit_lines(&self, needle: &str) -> Result<Vec<String>, HarnessError> {
        Ok(self.audit_log_lines(&[needle]).await?.lines().map(str::to_string).collect())
    }

    /// Files named `file_name` in the NodeManager's directories of an application's containers:
    /// `launch_container.sh` and `container_tokens` in the work dirs, `<container>.tokens` in
    /// the NodeManager's private dir.
    pub async fn container_files(&self, app_id: &str, file_name: &str) -> Result<Vec<ContainerFile>, HarnessError> {
        let patterns = [
            format!("{}/usercache/*/appcache/{app_id}/container_*/{file_name}", paths::NM_LOCAL),
            format!("{}/nmPrivate/{app_id}/container_*/{file_name}", paths::NM_LOCAL),
        ];
        // The NodeManager removes a container's work dir when the container ends, so a file
        // globbed a moment ago may be gone: read_glob leaves it out (its nmPrivate copy remains).
        self.read_glob(&[&patterns[0], &patterns[1]]).await
    }

    /// Every file matching `patterns` on the Hadoop node, read in one exec.
    async fn read_glob(&self, patterns: &[&str]) -> Result<Vec<ContainerFile>, HarnessError> {
        Ok(self.hadoop.read_glob(patterns).await?.into_iter().map(|(path, content)| ContainerFile { path, content }).collect())
    }

    /// The token files the NodeManager wrote for an application's containers
    /// (`nmPrivate/<app>/<container>/<container>.tokens`: the same bytes each container read
    /// through `HADOOP_TOKEN_FILE_LOCATION`, kept after the container's own copy is gone).
    pub async fn container_token_files(&self, app_id: &str) -> Result<Vec<ContainerFile>, HarnessError> {
        self.read_glob(&[&format!("{}/nmPrivate/{app_id}/container_*/container_*.tokens", paths::NM_LOCAL)]).await
    }

    /// Copies the NodeManager's container logs of every application (`<app>/<container>/<file>`)
    /// into `dir` (a report's), and returns how many applications had logs. Entries that would land
    /// outside `dir` are skipped by the unpacking.
    pub async fn save_container_logs(&self, dir: &std::path::Path) -> Result<usize, HarnessError> {
        let archive = self.hadoop.read_dir_archive(paths::NM_LOGS).await?;
        std::fs::create_dir_all(dir).map_err(HarnessError::io(dir))?;
        tar::Archive::new(archive.as_slice()).unpack(dir).map_err(HarnessError::io(dir))?;
        let apps = std::fs::read_dir(dir).map_err(HarnessError::io(dir))?;
        Ok(apps.filter_map(Result::ok).filter(|e| e.file_name().to_string_lossy().starts_with("application_")).count())
    }

    /// What the NodeManager downloaded for each of an application's containers, as its log
    /// says (`Container <id> is localizing: [<url>, …]`): the files its client staged, wherever
    /// and however it put them. Resources cached from an earlier application are not listed.
    pub async fn localized_resources(&self, app_id: &str) -> Result<Vec<(String, Vec<String>)>, HarnessError> {
        let suffix = app_id.trim_start_matches("application_");
        let log = format!("{}/nodemanager.log", paths::HADOOP_LOGS);
        let out = self.hadoop.exec(&["grep", "-F", &format!("Container container_{suffix}_"), &log]).await?;
        // grep exits 1 when nothing matched: no container of this application localized a file.
        Ok(parse_localizing(&out.stdout_text()))
    }

    /// Who runs containers on the NodeManager, from its `yarn-site.xml`: `Some(helper)` when it
    /// runs them as their users through `LinuxContainerExecutor`, `None` when it runs them as
    /// itself (`DefaultContainerExecutor`).
    pub async fn container_executor(&self) -> Result<Option<String>, HarnessError> {
        Ok(linux_container_executor(&self.yarn_site().await?))
    }

    /// The Hadoop node's `yarn-site.xml`, which its ResourceManager and NodeManager both read.
    async fn yarn_site(&self) -> Result<String, HarnessError> {
        let site = self.hadoop.read_file(&format!("{}/yarn-site.xml", paths::HADOOP_CONF)).await?;
        Ok(String::from_utf8_lossy(&site).into_owned())
    }

    /// How long the ResourceManager keeps an ended application's tokens before it cancels them,
    /// from its `yarn-site.xml`: see [`token_hold_after_end`].
    pub async fn token_hold_after_end(&self) -> Result<std::time::Duration, HarnessError> {
        Ok(token_hold_after_end(&self.yarn_site().await?))
    }

    /// The OS owners of each of an application's container log files, `(container, owner)` once
    /// per pair: the launch script creates them with its own identity, so their owner is the OS
    /// user the container's processes ran as.
    pub async fn container_log_owners(&self, app_id: &str) -> Result<Vec<(String, String)>, HarnessError> {
        let pattern = format!("{}/{app_id}/container_*/*", paths::NM_LOGS);
        let files = self.hadoop.glob(&pattern).await?;
        if files.is_empty() {
            return Ok(Vec::new());
        }
        let mut cmd = vec!["stat", "-c", "%U %n"];
        cmd.extend(files.iter().map(String::as_str));
        let out = self.hadoop.exec(&cmd).await?;
        let mut pairs: Vec<(String, String)> = out
            .stdout_text()
            .lines()
            .filter_map(|l| {
                let (owner, path) = l.split_once(' ')?;
                let container = path.rsplit('/').nth(1)?;
                Some((container.to_string(), owner.to_string()))
            })
            .collect();
        pairs.sort();
        pairs.dedup();
        Ok(pairs)
    }

    /// The stdout/stderr files of an application's containers.
    pub async fn container_logs(&self, app_id: &str) -> Result<Vec<ContainerFile>, HarnessError> {
        self.read_glob(&[&format!("{}/{app_id}/container_*/*", paths::NM_LOGS)]).await
    }

    /// Every entity the timeline server's store holds (read from a copy of its LevelDB).
    pub async fn timeline_entities(&self) -> Result<Vec<crate::timeline_store::StoredEntity>, HarnessError> {
        let fail = |detail: String| HarnessError::Exec {
            container: "hadoop".into(),
            command: format!("tar -C {} -c .", paths::TIMELINE_STORE),
            detail,
        };
        // The server writes while the copy is made: GNU tar then exits 1 ("file changed as we
        // read it"), and the copy's last log record may be torn, which LevelDB's recovery skips.
        // A copy that cannot be opened is made again.
        let mut last = String::new();
        for _ in 0..3 {
            let out = self.hadoop.exec(&["tar", "--warning=no-file-changed", "-C", paths::TIMELINE_STORE, "-cf", "-", "."]).await?;
            if out.code > 1 {
                last = out.stderr_text();
                continue;
            }
            let dir = tempfile::tempdir().map_err(HarnessError::io(std::env::temp_dir()))?;
            if let Err(e) = tar::Archive::new(&out.stdout[..]).unpack(dir.path()) {
                last = format!("the copy does not unpack: {e}");
                continue;
            }
            match crate::timeline_store::entities_in(dir.path()) {
                Ok(found) => return Ok(found),
                Err(e) => last = e,
            }
        }
        Err(fail(last))
    }

    /// The pid (inside the Hadoop container) of the JVM a YARN container runs, if it runs.
    pub async fn container_jvm(&self, container: &str) -> Result<Option<u32>, HarnessError> {
        let table = self.hadoop.sh("ps -eo pid=,ppid=,args=").await?;
        Ok(container_jvm(&table, container))
    }

    /// A thread dump of the JVM of a running YARN container: `SIGQUIT`, then the dump as the JVM
    /// printed it on its standard output (whichever log file the container sends it to), read
    /// within `wait`.
    pub async fn thread_dump(&self, app_id: &str, container: &str, pid: u32, wait: std::time::Duration) -> Result<String, HarnessError> {
        self.hadoop.sh(&format!("kill -QUIT {pid}")).await?;
        let dir = format!("{app_id}/{container}/");
        let until = std::time::Instant::now() + wait;
        loop {
            let logs = self.container_logs(app_id).await?;
            let text: String =
                logs.iter().filter(|f| f.path.contains(&dir)).map(|f| String::from_utf8_lossy(&f.content).into_owned()).collect();
            if let Some(at) = text.find("Full thread dump") {
                return Ok(text[at..].to_string());
            }
            if std::time::Instant::now() > until {
                return Err(HarnessError::Exec {
                    container: "hadoop".into(),
                    command: format!("kill -QUIT {pid}"),
                    detail: format!("the JVM {pid} of {container} printed no thread dump in its logs within {} s", wait.as_secs()),
                });
            }
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        }
    }
}

impl Evidence<'_> {
    /// The classes the JVM `pid` of a YARN container has loaded (`jcmd <pid> VM.class_hierarchy`,
    /// through the JRE's own `jdk.jcmd` module), asked as the OS user the JVM runs as (the
    /// container's user with the container-executor, `yarn` without: the JVM's attach mechanism
    /// answers only its own user).
    pub async fn loaded_classes(&self, pid: u32) -> Result<String, HarnessError> {
        let pid = pid.to_string();
        let owner = self.hadoop.sh(&format!("stat -c %U /proc/{pid}")).await?.trim().to_string();
        let cmd = ["sh", "-c", "exec \"$JAVA_HOME/bin/java\" -m jdk.jcmd/sun.tools.jcmd.JCmd \"$0\" VM.class_hierarchy", &pid];
        let out = self.hadoop.exec_as(Some(&owner), &cmd).await?;
        if out.code != 0 {
            return Err(HarnessError::Exec {
                container: "hadoop".into(),
                command: format!("jcmd {pid} VM.class_hierarchy"),
                detail: format!("exit code {}: {}{}", out.code, out.stderr_text(), out.stdout_text()),
            });
        }
        Ok(out.stdout_text())
    }
}

/// The pid of the JVM a container runs, from a `ps -eo pid=,ppid=,args=` table: a descendant of
/// the NodeManager's launch script for that container (`default_container_executor.sh` with
/// the DefaultContainerExecutor, `launch_container.sh` as the helper runs it with the
/// LinuxContainerExecutor) whose program is `java`. (The process
/// table, not `/proc/<pid>/environ`, because reading another user's environment takes ptrace
/// rights a container exec does not have.)
pub fn container_jvm(table: &str, container: &str) -> Option<u32> {
    let rows: Vec<(u32, u32, &str)> = table
        .lines()
        .filter_map(|l| {
            let (pid, rest) = l.trim_start().split_once(char::is_whitespace)?;
            let rest = rest.trim_start();
            let (ppid, args) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
            Some((pid.parse().ok()?, ppid.parse().ok()?, args.trim_start()))
        })
        .collect();
    let launcher = format!("{container}/");
    let mut family: Vec<u32> = rows
        .iter()
        .filter(|(_, _, args)| args.contains(&launcher) && (args.contains("container_executor.sh") || args.contains("launch_container.sh")))
        .map(|r| r.0)
        .collect();
    let mut i = 0;
    while i < family.len() {
        let parent = family[i];
        family.extend(rows.iter().filter(|r| r.1 == parent).map(|r| r.0));
        i += 1;
    }
    rows.iter()
        .filter(|r| family.contains(&r.0))
        .find(|r| r.2.split_whitespace().next().is_some_and(|p| p == "java" || p.ends_with("/java")))
        .map(|r| r.0)
}

/// The helper a `yarn-site.xml` names when its NodeManager uses `LinuxContainerExecutor`.
///
/// ```
/// let site = "<configuration><property><name>yarn.nodemanager.container-executor.class</name><value>org.apache.hadoop.yarn.server.nodemanager.LinuxContainerExecutor</value></property>\n\
///             <property><name>yarn.nodemanager.linux-container-executor.path</name><value>/opt/hadoop/bin/container-executor</value></property></configuration>";
/// assert_eq!(yarnsec_harness::evidence::linux_container_executor(site).as_deref(), Some("/opt/hadoop/bin/container-executor"));
/// assert_eq!(yarnsec_harness::evidence::linux_container_executor("<configuration/>"), None);
/// ```
pub fn linux_container_executor(yarn_site: &str) -> Option<String> {
    let site = yarnsec_hadoop::config::SiteXml::parse(yarn_site)?;
    let class = site.get("yarn.nodemanager.container-executor.class")?;
    class
        .ends_with(".LinuxContainerExecutor")
        .then(|| site.get("yarn.nodemanager.linux-container-executor.path").unwrap_or_default().to_string())
}

/// How long a ResourceManager with this `yarn-site.xml` keeps an ended application's tokens
/// before it cancels them. With log aggregation on, its `DelegationTokenRenewer` holds them so
/// that the NodeManagers can still write the logs as the user: until
/// `yarn.nm.liveness-monitor.expiry-interval-ms` has passed since the application ended or since
/// the last NodeManager said it was still there (a NodeManager still uploading says so once at
/// 0.7 to 0.9 of that interval), noticed by a thread that wakes every
/// `yarn.resourcemanager.delayed.delegation-token.removal-interval-ms` (Hadoop's defaults: 600 s
/// and 30 s). So: 1.9 intervals and one wake-up, allowing one such word. Without it, at once.
///
/// ```
/// use std::time::Duration;
/// let on = "<configuration><property><name>yarn.log-aggregation-enable</name><value>true</value></property>\n\
///           <property><name>yarn.nm.liveness-monitor.expiry-interval-ms</name><value>60000</value></property>\n\
///           <property><name>yarn.resourcemanager.delayed.delegation-token.removal-interval-ms</name><value>5000</value></property></configuration>";
/// assert_eq!(yarnsec_harness::evidence::token_hold_after_end(on), Duration::from_secs(119));
/// let defaults = "<configuration><property><name>yarn.log-aggregation-enable</name><value>true</value></property></configuration>";
/// assert_eq!(yarnsec_harness::evidence::token_hold_after_end(defaults), Duration::from_secs(1170));
/// assert_eq!(yarnsec_harness::evidence::token_hold_after_end("<configuration/>"), Duration::ZERO);
/// ```
pub fn token_hold_after_end(yarn_site: &str) -> std::time::Duration {
    let Some(site) = yarnsec_hadoop::config::SiteXml::parse(yarn_site) else { return std::time::Duration::ZERO };
    if site.get("yarn.log-aggregation-enable").map(str::trim) != Some("true") {
        return std::time::Duration::ZERO;
    }
    let ms = |key: &str, default: u64| site.get(key).and_then(|v| v.trim().parse::<u64>().ok()).unwrap_or(default);
    let expiry = ms("yarn.nm.liveness-monitor.expiry-interval-ms", 600_000);
    std::time::Duration::from_millis(expiry * 19 / 10 + ms("yarn.resourcemanager.delayed.delegation-token.removal-interval-ms", 30_000))
}

/// The `(container, [url, …])` pairs of NodeManager log lines `Container <id> is localizing: [<url>, …]`.
///
/// ```
/// let log = "2026-12-02 INFO container.ContainerImpl: Container container_1_0007_01_000002 is localizing: [hdfs://h:8020/a, hdfs://h:8020/b c]";
/// assert_eq!(
///     yarnsec_harness::evidence::parse_localizing(log),
///     vec![("container_1_0007_01_000002".to_string(), vec!["hdfs://h:8020/a".to_string(), "hdfs://h:8020/b c".to_string()])]
/// );
/// ```
pub fn parse_localizing(log: &str) -> Vec<(String, Vec<String>)> {
    log.lines()
        .filter_map(|line| {
            let rest = &line[line.find("Container container_")? + "Container ".len()..];
            let (container, list) = rest.split_once(" is localizing: [")?;
            let list = list.trim_end().strip_suffix(']')?;
            let urls = list.split(", ").map(str::to_string).filter(|u| !u.is_empty()).collect();
            Some((container.to_string(), urls))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_container_jvm_is_found_among_the_launch_scripts_descendants() {
        let table = "  747     1 bash /data/yarn/local/usercache/alice/appcache/app_1/container_1_0001_01_000001/default_container_executor.sh
                       749   747 /bin/bash -c /usr/lib/jvm/java-17/bin/java -Xmx256m Main 1>x 2>y
                       756   749 /usr/lib/jvm/java-17/bin/java -Xmx256m Main
                       868     1 bash /data/yarn/local/usercache/alice/appcache/app_1/container_1_0001_01_000002/default_container_executor.sh
                       900   868 /usr/lib/jvm/java-17/bin/java Other
";
        assert_eq!(container_jvm(table, "container_1_0001_01_000001"), Some(756));
        assert_eq!(container_jvm(table, "container_1_0001_01_000002"), Some(900));
        assert_eq!(container_jvm(table, "container_1_0001_01_000003"), None);
        // With the LinuxContainerExecutor the helper runs the container's launch_container.sh.
        let lce = "  500     1 /opt/hadoop/bin/container-executor alice alice 1 app_1 container_1_0001_01_000004 /data/yarn/local/usercache/alice/appcache/app_1/container_1_0001_01_000004 ...
                       501   500 /bin/bash /data/yarn/local/usercache/alice/appcache/app_1/container_1_0001_01_000004/launch_container.sh
                       502   501 /usr/lib/jvm/java-17/bin/java -Xmx256m Am
";
        assert_eq!(container_jvm(lce, "container_1_0001_01_000004"), Some(502));
    }

    #[test]
    fn localizing_lines_name_the_container_and_its_files() {
        let log = "2026-12-02 03:46:05,195 INFO container.ContainerImpl: Container container_1796_0007_01_000002 is localizing: [hdfs://h:8020/user/alice/.staging/job_1796_0007/job.jar, hdfs://h:8020/user/alice/.staging/job_1796_0007/job.xml]\n\
                   2026-12-02 03:46:05,195 INFO localizer.ResourceLocalizationService: Created localizer for container_1796_0007_01_000002\n\
                   2026-12-02 INFO container.ContainerImpl: Container container_1796_0007_01_000003 is localizing: []\n\
                   Container container_x is localizing: [unterminated";
        assert_eq!(
            parse_localizing(log),
            vec![
                (
                    "container_1796_0007_01_000002".to_string(),
                    vec![
                        "hdfs://h:8020/user/alice/.staging/job_1796_0007/job.jar".to_string(),
                        "hdfs://h:8020/user/alice/.staging/job_1796_0007/job.xml".to_string()
                    ]
                ),
                ("container_1796_0007_01_000003".to_string(), vec![]),
            ]
        );
    }

    proptest::proptest! {
        #[test]
        fn any_log_text_parses_without_panicking(log in "(Container container_[0-9_]{0,8}( is localizing: \\[)?[a-z:/, ]{0,20}\\]?\n?){0,4}") {
            for (container, urls) in parse_localizing(&log) {
                proptest::prop_assert!(container.starts_with("container_"));
                proptest::prop_assert!(urls.iter().all(|u| !u.is_empty()));
            }
        }
    }
}
