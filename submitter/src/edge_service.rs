//! A team's web service run on the cluster's edge node (`run_on = "edge"` in its service file),
//! as it would run on a gateway host: as the service user, with the service identity's keytab, the
//! client's kit and the cluster's names, its url's host being the edge node.
//!
//! ```no_run
//! # async fn f(cluster: &yarnsec_harness::SecureCluster) -> Result<(), Box<dyn std::error::Error>> {
//! use yarnsec_submitter::service_file::ServiceFile;
//! let file = ServiceFile::read(std::path::Path::new("team/service.toml"))?;
//! let running = yarnsec_submitter::edge_service::start(&file, cluster, None).await?;
//! let service = file.service(); // reached through running.http
//! # Ok(()) }
//! ```

use std::sync::Arc;
use std::time::{Duration, Instant};

use yarnsec_hadoop::http::Auth;
use yarnsec_hadoop::SpnegoClient;
use yarnsec_harness::cluster::edge::{Job, MOUNT_DIR};
use yarnsec_harness::cluster::Edge;
use yarnsec_harness::{HarnessError, SecureCluster};

use crate::service_file::ServiceFile;

/// How long a service on the edge node may take to answer.
const READY_LIMIT: Duration = Duration::from_secs(90);

/// Why a service on the edge node is not running.
#[derive(Debug, thiserror::Error)]
pub enum EdgeServiceError {
    /// The edge node or the command could not be started.
    #[error("cannot start the service on the edge node: {0}")]
    Start(#[from] HarnessError),
    /// The url is not one yarnsec can call.
    #[error("the service's url `{0}` names no host")]
    Url(String),
    /// The command ended before the service answered.
    #[error("the service command exited {code} on the edge node before {url} answered\n--- its output (last lines) ---\n{tail}")]
    Exited {
        /// The url polled.
        url: String,
        /// Its exit code.
        code: i64,
        /// The last lines of its output.
        tail: String,
    },
    /// The service did not answer in time.
    #[error("the service at {url} (on the edge node) did not answer below 500 within {}s; last: {last}\n--- its output (last lines) ---\n{tail}", READY_LIMIT.as_secs())]
    NotReady {
        /// The url polled.
        url: String,
        /// The last answer or error.
        last: String,
        /// The last lines of its output.
        tail: String,
    },
}

/// A service running on the edge node; it goes with the edge node.
#[derive(Debug)]
pub struct EdgeService {
    /// The edge node.
    pub edge: Arc<Edge>,
    /// The service's process.
    pub job: Job,
    /// A client that reaches the cluster and the service's host (the edge node).
    pub http: SpnegoClient,
}

impl EdgeService {
    /// The service's output so far.
    pub async fn log(&self) -> String {
        self.edge.job_state(&self.job).await.map(|s| s.output).unwrap_or_else(|e| format!("(the output cannot be read: {e})"))
    }
}

/// Starts the edge node (the file's directory at `/team`) and the file's `command` on it, and
/// waits until the url's `ready_path` answers below 500.
pub async fn start(file: &ServiceFile, cluster: &SecureCluster, site: Option<std::path::PathBuf>) -> Result<EdgeService, EdgeServiceError> {
    let url = url::Url::parse(&file.url).map_err(|_| EdgeServiceError::Url(file.url.clone()))?;
    let host = url.host_str().ok_or_else(|| EdgeServiceError::Url(file.url.clone()))?.to_string();
    let edge = Arc::new(cluster.start_edge(file.edge_options(site)).await?);
    let mut hosts = cluster.hosts();
    hosts.insert(host, edge.ip());
    let http = SpnegoClient::new(cluster.realm(), hosts).map_err(|e| HarnessError::Exec {
        container: "edge".into(),
        command: "a client for the service's host".into(),
        detail: e.to_string(),
    })?;
    let mut env = vec![("HADOOP_JAAS_DEBUG", "true".to_string()), ("KRB5_CONFIG", "/etc/krb5.conf".to_string())];
    if let Some(identity) = cluster.describe().service_identity {
        env.push(("YARNSEC_SERVICE_PRINCIPAL", identity.principal));
        env.push(("YARNSEC_SERVICE_KEYTAB", Edge::keytab("service")));
    }
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let job = edge.spawn(yarnsec_harness::layout::SERVICE_USER, MOUNT_DIR, &env, &file.command).await?;
    let running = EdgeService { edge, job, http };
    let ready = format!("{}{}", file.url.trim_end_matches('/'), file.ready_path.as_deref().unwrap_or("/"));
    let deadline = Instant::now() + READY_LIMIT;
    loop {
        let state = running.edge.job_state(&running.job).await?;
        let tail = || state.output.lines().rev().take(20).collect::<Vec<_>>().into_iter().rev().collect::<Vec<_>>().join("\n");
        if let Some(code) = state.code {
            return Err(EdgeServiceError::Exited { url: ready, code, tail: tail() });
        }
        let last = match running.http.get(&ready, Auth::Anonymous).await {
            Ok(r) if r.status.as_u16() < 500 => return Ok(running),
            Ok(r) => format!("{} {}", r.status, r.text().chars().take(200).collect::<String>()),
            Err(e) => e.to_string(),
        };
        if Instant::now() > deadline {
            running.edge.stop(&running.job).await;
            return Err(EdgeServiceError::NotReady { url: ready, last, tail: tail() });
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}
