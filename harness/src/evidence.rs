//! Evidence from inside the Hadoop container: daemon logs, the NameNode audit log, and what the
//! NodeManager gave each container (`launch_container.sh`, the container's token file).

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

    /// The last `lines` lines of a daemon's log.
    pub async fn daemon_log_tail(&self, daemon: &str, lines: usize) -> String {
        self.hadoop.tail(&format!("{}/{daemon}.log", paths::HADOOP_LOGS), lines).await
    }

    /// The NameNode audit log (`allowed=… ugi=… ip=… cmd=… src=…` per line).
    pub async fn audit_log(&self) -> Result<String, HarnessError> {
        let bytes = self.hadoop.read_file(&format!("{}/hdfs-audit.log", paths::HADOOP_LOGS)).await?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// Audit-log lines that mention `needle` (a path, a user).
    pub async fn audit_lines(&self, needle: &str) -> Result<Vec<String>, HarnessError> {
        Ok(self.audit_log().await?.lines().filter(|l| l.contains(needle)).map(str::to_string).collect())
    }

    /// Files named `file_name` in the NodeManager's directories of an application's containers:
    /// `launch_container.sh` and `container_tokens` in the work dirs, `<container>.tokens` in
    /// the NodeManager's private dir.
    pub async fn container_files(&self, app_id: &str, file_name: &str) -> Result<Vec<ContainerFile>, HarnessError> {
        let patterns = [
            format!("{}/usercache/*/appcache/{app_id}/container_*/{file_name}", paths::NM_LOCAL),
            format!("{}/nmPrivate/{app_id}/container_*/{file_name}", paths::NM_LOCAL),
        ];
        let mut files = Vec::new();
        for pattern in patterns {
            for path in self.hadoop.glob(&pattern).await? {
                // The NodeManager removes a container's work dir when the container ends, so a
                // file listed a moment ago may be gone: skip it (its nmPrivate copy remains).
                if let Ok(content) = self.hadoop.read_file(&path).await {
                    files.push(ContainerFile { path, content });
                }
            }
        }
        Ok(files)
    }

    /// The token files the NodeManager wrote for an application's containers
    /// (`nmPrivate/<app>/<container>/<container>.tokens`: the same bytes each container read
    /// through `HADOOP_TOKEN_FILE_LOCATION`, kept after the container's own copy is gone).
    pub async fn container_token_files(&self, app_id: &str) -> Result<Vec<ContainerFile>, HarnessError> {
        let mut files = Vec::new();
        for path in self.hadoop.glob(&format!("{}/nmPrivate/{app_id}/container_*/container_*.tokens", paths::NM_LOCAL)).await? {
            let content = self.hadoop.read_file(&path).await?;
            files.push(ContainerFile { path, content });
        }
        Ok(files)
    }

    /// The stdout/stderr files of an application's containers.
    pub async fn container_logs(&self, app_id: &str) -> Result<Vec<ContainerFile>, HarnessError> {
        let mut files = Vec::new();
        for path in self.hadoop.glob(&format!("{}/{app_id}/container_*/*", paths::NM_LOGS)).await? {
            let content = self.hadoop.read_file(&path).await?;
            files.push(ContainerFile { path, content });
        }
        Ok(files)
    }
}
