//! An external service under test (`yarnsec run --service FILE`): started once the cluster is up
//! when its file names a command, reached at its url, and stopped (its whole process group, by
//! [`GroupChild`]) when the run ends or this value is dropped. A command-line submitter, and a
//! service with `run_on = "edge"`, get an edge node instead, removed with the cluster.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use std::sync::Arc;
use tokio::process::Command;
use yarnsec_hadoop::http::Auth;
use yarnsec_hadoop::SpnegoClient;
use yarnsec_harness::process::GroupChild;
use yarnsec_harness::SecureCluster;
use yarnsec_submitter::edge_service::EdgeService;
use yarnsec_submitter::service::{ServiceLog, SubmitMode};
use yarnsec_submitter::service_file::{RunOn, ServiceFile};
use yarnsec_submitter::ServiceUnderTest;

/// A running (or merely reachable) external service.
pub struct ExternalService {
    /// The service as scenarios see it.
    pub service: ServiceUnderTest,
    /// A client that reaches the cluster and the service's host name.
    pub http: SpnegoClient,
    child: Option<GroupChild>,
    on_edge: Option<EdgeService>,
}

impl ExternalService {
    /// Starts the file's command (if any) with the cluster's description in `YARNSEC_CLUSTER`,
    /// its output going to `dir/logs/service.log`, then waits until the service answers.
    pub async fn start(file: &ServiceFile, cluster: &SecureCluster, dir: &Path) -> anyhow::Result<Self> {
        let mut hosts = cluster.hosts();
        if let Some((host, ip)) = file.host_mapping() {
            hosts.insert(host, ip);
        }
        let http = SpnegoClient::new(cluster.realm(), hosts)?;
        let site = python_site(file).await?;
        if file.submit == SubmitMode::Command {
            let dir = file.mount_dir();
            let edge = cluster
                .start_edge(file.edge_options(site))
                .await
                .with_context(|| format!("cannot start the edge node for the submit command (with {} at /team)", dir.display()))?;
            let submitter = file.command_submitter(Arc::new(edge));
            let service = ServiceUnderTest::command(&file.name, file.features, submitter).with_workload(file.workload);
            return Ok(Self { service, http, child: None, on_edge: None });
        }
        if file.run_on == RunOn::Edge {
            let running = yarnsec_submitter::edge_service::start(file, cluster, site).await?;
            let http = running.http.clone();
            let service = file.service().with_log(ServiceLog::Edge(running.edge.clone(), running.job.clone()));
            return Ok(Self { service, http, child: None, on_edge: Some(running) });
        }
        let description = dir.join("cluster.json");
        std::fs::write(&description, serde_json::to_string_pretty(&cluster.describe())?)
            .with_context(|| format!("cannot write {}", description.display()))?;
        let child = match file.command.split_first() {
            None => None,
            Some((program, args)) => {
                std::fs::create_dir_all(dir.join("logs"))?;
                let log = std::fs::File::create(dir.join("logs/service.log"))?;
                let mut command = Command::new(program);
                command
                    .args(args)
                    .env("YARNSEC_CLUSTER", &description)
                    // So that C6 can see whether the service passes it to its applications.
                    .env("HADOOP_JAAS_DEBUG", "true")
                    .stdin(Stdio::null())
                    .stdout(Stdio::from(log.try_clone()?))
                    .stderr(Stdio::from(log));
                // SIGTERM: the service may clean up; it also gets it if yarnsec dies.
                let child = GroupChild::spawn(command, cluster.id(), libc::SIGTERM).with_context(|| {
                    format!("cannot start the service command `{}` (from `command` in the service file)", file.command.join(" "))
                })?;
                Some(child)
            }
        };
        let log = if child.is_some() { ServiceLog::File(dir.join("logs/service.log")) } else { ServiceLog::Unknown };
        let mut external = Self { service: file.service().with_log(log), http, child, on_edge: None };
        external.wait_ready(file.ready_path.as_deref().unwrap_or("/")).await?;
        Ok(external)
    }

    /// The output of a service run on the edge node (a host command's goes to
    /// `logs/service.log` as it runs).
    pub async fn edge_log(&self) -> Option<String> {
        Some(self.on_edge.as_ref()?.log().await)
    }

    async fn wait_ready(&mut self, path: &str) -> anyhow::Result<()> {
        let url = format!("{}{path}", self.service.base_url);
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(child) = &mut self.child {
                if let Ok(Some(status)) = child.try_wait() {
                    anyhow::bail!(
                        "the service command exited with {status} before {url} answered (see logs/service.log in the report directory)"
                    );
                }
            }
            let last = match self.http.get(&url, Auth::Anonymous).await {
                Ok(r) if r.status.as_u16() < 500 => return Ok(()),
                Ok(r) => format!("{} {}", r.status, r.text().chars().take(200).collect::<String>()),
                Err(e) => e.to_string(),
            };
            if Instant::now() > deadline {
                anyhow::bail!("the service at {url} did not answer below 500 within 60 s; last: {last}");
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }
}

/// The service file's `pip` packages, fetched on this host and unpacked (none: `None`).
async fn python_site(file: &ServiceFile) -> anyhow::Result<Option<std::path::PathBuf>> {
    if file.pip.is_empty() {
        return Ok(None);
    }
    let progress = yarnsec_harness::progress::Progress::stderr();
    Ok(Some(yarnsec_harness::images::python_site(&file.pip, &progress).await?))
}
