//! One application followed to its end, with every one of its containers as the NodeManager
//! kept them: the facts most items judge.

use std::collections::BTreeMap;
use std::time::Duration;

use yarnsec_hadoop::yarn::App;
use yarnsec_harness::SecureCluster;

use super::container::{has_line, ContainerFacts};
use super::token_file::TokenFile;
use crate::error::ObserveError;
use crate::verdict::Evidence;
use yarnsec_submitter::Submission;

/// One application run to its end.
#[derive(Clone, Debug)]
pub struct AppRun {
    /// The user yarnsec submitted as.
    pub user: String,
    /// The submission: how its application was found, and what the submitter answered.
    pub submission: Submission,
    /// The application in its final state, as the ResourceManager reports it.
    pub app: App,
    /// Every container the NodeManager ran for it, by id (the ApplicationMaster's first).
    pub containers: Vec<ContainerFacts>,
    /// The HDFS file the probe writes in the user's home.
    pub output_path: String,
    /// When the submission started, milliseconds since the epoch.
    pub submitted_at_ms: i64,
    /// Submission to final state.
    pub took: Duration,
}

impl AppRun {
    /// The ApplicationMaster's container (the first of the first attempt).
    pub fn am(&self) -> Option<&ContainerFacts> {
        self.containers.iter().find(|c| c.is_application_master())
    }

    /// The AM's token file ([`TokenFile::Missing`] when no AM container was found).
    pub fn am_tokens(&self) -> &TokenFile {
        static NONE: TokenFile = TokenFile::Missing;
        self.am().map_or(&NONE, |c| &c.tokens)
    }

    /// The AM's launch script (empty when none was found).
    pub fn am_launch(&self) -> &str {
        self.am().map_or("", |c| c.launch.as_str())
    }

    /// The containers the AM launched.
    pub fn workers(&self) -> impl Iterator<Item = &ContainerFacts> {
        self.containers.iter().filter(|c| !c.is_application_master())
    }

    /// The first container the AM launched.
    pub fn worker(&self) -> Option<&ContainerFacts> {
        self.workers().next()
    }

    /// The container where the probe ran: the one whose logs show its `id=` line, else the
    /// first worker. (Some frameworks run user code in the AM's own container.)
    pub fn probe_container(&self) -> Option<&ContainerFacts> {
        self.containers.iter().find(|c| c.logs.values().any(|text| text.lines().any(|l| l.starts_with("id=")))).or_else(|| self.worker())
    }

    /// What the probe printed (every log of the container it ran in).
    pub fn probe_output(&self) -> String {
        self.probe_container().map(ContainerFacts::all_logs).unwrap_or_default()
    }

    /// Whether the probe's write to the user's HDFS home succeeded (`put=ok`).
    pub fn probe_wrote(&self) -> bool {
        self.probe_container().is_some_and(|c| c.logs.values().any(|t| has_line(t, "put=ok")))
    }

    /// Whether the application ended FINISHED/SUCCEEDED.
    pub fn succeeded(&self) -> bool {
        self.app.state == "FINISHED" && self.app.final_status == "SUCCEEDED"
    }

    /// The HDFS paths of the files the NodeManager localized for any of its containers.
    pub fn staged_paths(&self) -> Vec<String> {
        let mut paths: Vec<String> = self.containers.iter().flat_map(|c| &c.localized).filter_map(|u| url_path(u)).collect();
        paths.sort();
        paths.dedup();
        paths
    }

    /// The application as evidence.
    pub fn app_evidence(&self) -> Evidence {
        app_evidence(&self.app)
    }
}

/// The path of an `hdfs://host:port/path` URL (`None` for other schemes: a file the client
/// staged elsewhere leaves no NameNode audit line).
pub fn url_path(url: &str) -> Option<String> {
    let rest = url.strip_prefix("hdfs://")?;
    Some(rest.find('/').map_or("/".to_string(), |i| rest[i..].to_string()))
}

/// Evidence describing an application.
pub fn app_evidence(app: &App) -> Evidence {
    Evidence::new(
        "app",
        format!("ResourceManager: {}", app.id),
        format!(
            "user={} state={} finalStatus={} queue={} diagnostics={}",
            app.user,
            app.state,
            app.final_status,
            app.queue,
            app.diagnostics.as_deref().unwrap_or("").trim()
        ),
    )
}

/// Every container of an application as the NodeManager kept it: token files (its private
/// copy, kept after the container's own is gone), launch scripts and log files.
pub async fn observe_containers(cluster: &SecureCluster, app_id: &str) -> Result<Vec<ContainerFacts>, ObserveError> {
    let evidence = cluster.evidence();
    let mut by_id: BTreeMap<String, ContainerFacts> = BTreeMap::new();
    let container_of = |path: &str| path.split('/').find(|p| p.starts_with("container_")).map(str::to_string);
    fn entry(by_id: &mut BTreeMap<String, ContainerFacts>, id: String) -> &mut ContainerFacts {
        by_id.entry(id.clone()).or_insert_with(|| ContainerFacts { id, ..Default::default() })
    }
    let files = evidence.container_token_files(app_id).await.map_err(ObserveError::cluster(format!("the token files of {app_id}")))?;
    for file in files {
        if let Some(id) = container_of(&file.path) {
            entry(&mut by_id, id).tokens = TokenFile::from_bytes(Some(&file.content));
        }
    }
    let scripts = evidence
        .container_files(app_id, "launch_container.sh")
        .await
        .map_err(ObserveError::cluster(format!("the launch scripts of {app_id}")))?;
    for file in scripts {
        if let Some(id) = container_of(&file.path) {
            entry(&mut by_id, id).launch = String::from_utf8_lossy(&file.content).into_owned();
        }
    }
    let logs = evidence.container_logs(app_id).await.map_err(ObserveError::cluster(format!("the container logs of {app_id}")))?;
    for file in logs {
        if let Some(id) = container_of(&file.path) {
            let name = file.path.rsplit('/').next().unwrap_or_default().to_string();
            entry(&mut by_id, id).logs.insert(name, String::from_utf8_lossy(&file.content).into_owned());
        }
    }
    let localized =
        evidence.localized_resources(app_id).await.map_err(ObserveError::cluster(format!("the NodeManager's localization of {app_id}")))?;
    for (id, urls) in localized {
        entry(&mut by_id, id).localized.extend(urls);
    }
    Ok(by_id.into_values().collect())
}

/// Test fixtures: application runs made of chosen facts.
#[cfg(test)]
pub(crate) mod fixtures {
    use super::*;

    /// alice's submission that led to `id`, found by the answer that named it.
    pub fn submission(id: &str) -> Submission {
        Submission {
            user: "alice".into(),
            name: "yarnsec-probe-1".into(),
            application_id: id.into(),
            app_name: "yarnsec-probe-1".into(),
            found_by: yarnsec_submitter::found::FoundBy::Answer,
            answer: yarnsec_submitter::submission::Answer {
                said: "200".into(),
                body: format!("{{\"application_id\": \"{id}\"}}"),
                named: Some(id.into()),
            },
        }
    }

    /// An application of `user` in `state`/`final_status`.
    pub fn app(user: &str, state: &str, final_status: &str) -> App {
        App {
            id: "application_1_0001".into(),
            user: user.into(),
            name: "yarnsec-probe".into(),
            queue: "default".into(),
            state: state.into(),
            final_status: final_status.into(),
            tracking_url: None,
            diagnostics: None,
            started_time: 1_700_000_001_000,
            finished_time: 1_700_000_010_000,
        }
    }

    /// A container with a token file, a launch script and logs.
    pub fn container(id: &str, tokens: TokenFile, launch: &str, logs: &[(&str, &str)]) -> ContainerFacts {
        ContainerFacts {
            id: id.into(),
            tokens,
            launch: launch.into(),
            logs: logs.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect(),
            localized: Vec::new(),
        }
    }

    /// alice's successful run: an AM and one worker with these token files, launch scripts and
    /// worker stdout.
    pub fn run(am_tokens: TokenFile, worker_tokens: TokenFile, am_launch: &str, worker_launch: &str, stdout: &str) -> AppRun {
        AppRun {
            user: "alice".into(),
            submission: submission("application_1_0001"),
            app: app("alice", "FINISHED", "SUCCEEDED"),
            containers: vec![
                container("container_1_0001_01_000001", am_tokens, am_launch, &[("AppMaster.stdout", "")]),
                container("container_1_0001_01_000002", worker_tokens, worker_launch, &[("stdout", stdout)]),
            ],
            output_path: "/user/alice/yarnsec-probe-alice-1.txt".into(),
            submitted_at_ms: 1_700_000_000_000,
            took: Duration::from_secs(8),
        }
    }
}
