//! What scenarios share: the cluster, the service under test, and one application run by alice
//! whose evidence (token files, launch scripts, output) several items judge.

use std::time::{Duration, Instant};

use tokio::sync::OnceCell;
use yarnsec_hadoop::http::Auth;
use yarnsec_hadoop::yarn::App;
use yarnsec_hadoop::{Credential, SpnegoClient};
use yarnsec_harness::SecureCluster;

use crate::error::ObserveError;
pub use crate::facts::app_run::AppRun;
use crate::facts::long_lived::LongLivedRun;
use crate::facts::token_file::{FileToken, TokenFile};
use crate::verdict::Verdict;
use yarnsec_submitter::clock::{epoch_ms, unique_nanos};
use yarnsec_submitter::jvm_probe::JvmProbe;
use yarnsec_submitter::service::Request;
use yarnsec_submitter::service::ServiceUnderTest;
use yarnsec_submitter::workload::{Before, Run, Workload};
use yarnsec_submitter::{Submission, SubmitError};

/// The shell probe (see [`yarnsec_submitter::workload`]): it reports who it runs as and writes to the user's
/// HDFS home with the delegation token YARN gave its container.
pub fn probe_script(marker: &str) -> String {
    sh_text(&Run::Probe { marker, before: &Before::Nothing })
}

/// A shell script's text (the shell always has one).
fn sh_text(run: &Run<'_>) -> String {
    Workload::Sh.text(run).unwrap_or_default()
}

/// An application submitted and not yet followed to its end.
#[derive(Debug)]
pub struct Launched {
    /// The user yarnsec submitted as.
    pub user: String,
    /// The submission: the application found at the ResourceManager, and the answer.
    pub submission: Submission,
    /// The HDFS file the probe will write.
    pub output_path: String,
    /// When it was submitted.
    pub started: Instant,
    /// The same, in milliseconds since the epoch (to compare with the cluster's logs).
    pub submitted_at_ms: i64,
}

/// The ApplicationMaster's container id of an application's first attempt.
pub fn am_container_id(app_id: &str) -> String {
    format!("{}_01_000001", app_id.replacen("application_", "container_", 1))
}

/// The HDFS delegation tokens for the cluster's own NameNode in a token file (a token for
/// another filesystem, the remote HDFS, does not count).
pub fn namenode_tokens<'c>(cluster: &SecureCluster, file: &'c TokenFile) -> Vec<&'c FileToken> {
    crate::facts::token_file::namenode_tokens(&cluster.namenode_token_service(), file)
}

/// The ResourceManager's log lines about renewing the application's HDFS delegation token (its
/// token for the cluster's own NameNode), with that token's sequence number.
pub async fn rm_renewals(cluster: &SecureCluster, am_tokens: &TokenFile) -> Option<(i32, Vec<String>)> {
    let namenode = cluster.namenode_token_service();
    let seq = namenode_tokens(cluster, am_tokens).into_iter().find_map(FileToken::sequence)?;
    let (seq_needle, service_needle) = (format!("sequenceNumber={seq},"), format!("Service: {namenode},"));
    let log = cluster.evidence().daemon_log_lines("resourcemanager", &[&seq_needle]).await.ok()?;
    let lines = log.lines().filter(|l| l.contains("Renew") && l.contains(&seq_needle) && l.contains(&service_needle));
    Some((seq, lines.map(str::to_string).collect()))
}

/// Everything a scenario may use.
pub struct Context<'a> {
    /// The cluster.
    pub cluster: &'a SecureCluster,
    /// The service under test.
    pub service: &'a ServiceUnderTest,
    http: SpnegoClient,
    alice: OnceCell<Result<AppRun, ObserveError>>,
    long_lived: OnceCell<Result<LongLivedRun, ObserveError>>,
    container_jvm: OnceCell<Result<crate::facts::container_jvm::ContainerJvm, ObserveError>>,
    outliving: OnceCell<Result<crate::items::outliving_run::OutlivingRun, ObserveError>>,
    jvm_probe: OnceCell<JvmProbe>,
    artifacts: std::path::PathBuf,
    waits: Waits,
    run_errors: std::sync::Mutex<Vec<String>>,
    names: std::sync::Mutex<NamesSeen>,
}

/// How many submissions' applications carried the name yarnsec asked for, and how many did not.
#[derive(Clone, Copy, Debug, Default)]
struct NamesSeen {
    honored: u32,
    ignored: u32,
}

/// What each running item waits for.
type Waits = std::sync::Arc<std::sync::Mutex<std::collections::HashMap<&'static str, Wait>>>;

/// What a running scenario waits for, and until when: for live progress (an expiry countdown).
#[derive(Clone, Debug)]
pub struct Wait {
    /// What it waits for, e.g. "alice's ticket to expire".
    pub what: String,
    /// When the wait ends.
    pub until: Instant,
}

impl<'a> Context<'a> {
    /// A context for one checklist run.
    pub fn new(cluster: &'a SecureCluster, service: &'a ServiceUnderTest) -> Self {
        Self::with_http(cluster, service, cluster.http().clone())
    }

    /// A context whose HTTP client reaches the service's host at another container (a second
    /// service started on the same cluster, e.g. with a fault switch on).
    pub fn with_http(cluster: &'a SecureCluster, service: &'a ServiceUnderTest, http: SpnegoClient) -> Self {
        let artifacts = std::env::temp_dir().join("yarnsec-artifacts").join(cluster.id());
        Self {
            cluster,
            service,
            http,
            alice: OnceCell::new(),
            long_lived: OnceCell::new(),
            container_jvm: OnceCell::new(),
            outliving: OnceCell::new(),
            jvm_probe: OnceCell::new(),
            artifacts,
            waits: Default::default(),
            run_errors: Default::default(),
            names: Default::default(),
        }
    }

    /// The run's own errors so far (a submitter that never submitted in time), each once: the
    /// report states them above the items, which say SKIPPED.
    pub fn run_errors(&self) -> Vec<String> {
        self.run_errors.lock().map(|e| e.clone()).unwrap_or_default()
    }

    /// Whether the submitter gives its applications the name yarnsec asks for (`None`: no
    /// submission found yet to tell); a submitter that names them itself can only be followed
    /// by "the only new application" of a user.
    pub fn names_honored(&self) -> Option<bool> {
        let seen = self.names.lock().map(|n| *n).unwrap_or_default();
        match (seen.honored, seen.ignored) {
            (0, 0) => None,
            (honored, _) => Some(honored > 0),
        }
    }

    /// Notes what a submission showed about the submitter (whether it names as asked).
    pub fn saw(&self, submission: &Submission) {
        if let Ok(mut n) = self.names.lock() {
            if submission.named_as_asked() {
                n.honored += 1;
            } else {
                n.ignored += 1;
            }
        }
    }

    /// A submission error as an observation error; one that is the run's (the submitter did not
    /// submit in time) is recorded once, with its output, for the report.
    pub fn submit_error(&self, e: SubmitError) -> ObserveError {
        if let SubmitError::TimedOut { .. } = &e {
            if let Ok(mut errors) = self.run_errors.lock() {
                if errors.is_empty() {
                    errors.push(e.to_string());
                }
            }
        }
        ObserveError::Submit(e)
    }

    /// Says that item `id` now waits for `what` until `until` (shown as a countdown).
    pub fn waiting(&self, id: &'static str, what: impl Into<String>, until: Instant) {
        if let Ok(mut waits) = self.waits.lock() {
            waits.insert(id, Wait { what: what.into(), until });
        }
    }

    /// Where the submitter tells what item `id`'s submissions wait for (see
    /// [`yarnsec_submitter::progress`]).
    pub fn waits_of(&self, id: &'static str) -> yarnsec_submitter::progress::Tell {
        let waits = self.waits.clone();
        std::sync::Arc::new(move |what: &str, until: Instant| {
            if let Ok(mut waits) = waits.lock() {
                waits.insert(id, Wait { what: what.to_string(), until });
            }
        })
    }

    /// What item `id` waits for now, if its wait has not ended.
    pub fn wait_of(&self, id: &str) -> Option<Wait> {
        self.waits.lock().ok()?.get(id).filter(|w| w.until > Instant::now()).cloned()
    }

    /// Where scenarios save files they cite as evidence (screenshots); a report links them by
    /// their path under this directory.
    /// A relative `dir` is taken from the current directory and made absolute: a browser asked
    /// to upload a file needs its absolute path.
    pub fn with_artifacts(mut self, dir: impl Into<std::path::PathBuf>) -> Self {
        let dir = dir.into();
        self.artifacts = std::path::absolute(&dir).unwrap_or(dir);
        self
    }

    /// The directory of evidence files.
    pub fn artifacts(&self) -> &std::path::Path {
        &self.artifacts
    }

    /// The HTTP client for the cluster and the service.
    pub fn http(&self) -> &SpnegoClient {
        &self.http
    }

    /// The address the submitter's requests reach the cluster from: a command's edge node, a web
    /// service's host's address in the HTTP client's table, or, for a service on this host
    /// (loopback), the cluster network's gateway.
    pub fn submitter_address(&self) -> Option<String> {
        if let Some(command) = &self.service.command {
            return Some(command.edge.ip().to_string());
        }
        let host = url::Url::parse(&self.service.base_url).ok()?.host_str()?.to_string();
        let ip = match host.parse::<std::net::IpAddr>() {
            Ok(ip) => ip,
            Err(_) => *self.http().hosts().get(&host)?,
        };
        if ip.is_loopback() {
            return self.cluster.gateway().map(|g| g.to_string());
        }
        Some(ip.to_string())
    }

    /// A user's keytab credential, if the profile uses Kerberos.
    pub fn credential(&self, user: &str) -> Result<Option<Credential>, ObserveError> {
        if !self.cluster.profile().kerberos() {
            return Ok(None);
        }
        self.cluster
            .user(user)
            .and_then(|u| u.credential())
            .map(Some)
            .map_err(|source| ObserveError::Credential { user: user.to_string(), source: Box::new(source) })
    }

    /// The file the service's workload submits for `run`: its script, or for the JVM a jar
    /// (the probe's class is compiled in the cluster at the first call, once per context).
    pub async fn workload_file(&self, run: &Run<'_>) -> Result<Vec<u8>, ObserveError> {
        match self.service.workload {
            Workload::Jvm => Ok(self.jvm_probe.get_or_try_init(|| JvmProbe::compile(self.cluster)).await?.jar(run)),
            // Every script language has a text for every run.
            workload => Ok(workload.text(run).unwrap_or_default().into_bytes()),
        }
    }

    /// alice's application, submitted once through the service and run to its end; shared by
    /// every item that judges one run. Where the service's applications read another HDFS
    /// ([`Context::remote_read_url`]), its probe reads alice's file there first (T9 judges that
    /// read: one application less for the cluster to run).
    pub async fn alice_run(&self) -> Result<&AppRun, &ObserveError> {
        let run = || async {
            let before = self.remote_read_url().map_or(Before::Nothing, Before::ReadRemote);
            self.run_doing("alice", &before).await
        };
        self.alice.get_or_init(run).await.as_ref()
    }

    /// The file on the remote HDFS that alice's shared run reads (an `hdfs://` URL): only she
    /// may read it. `None` unless the service declares that its applications read another HDFS
    /// and the cluster runs Kerberos and its remote HDFS.
    pub fn remote_read_url(&self) -> Option<String> {
        let remote =
            self.cluster.profile().kerberos() && self.service.features.remote_filesystems && self.cluster.remote_token_service().is_some();
        remote.then(|| {
            let host = self.cluster.layout().remote_host();
            format!("hdfs://{host}:{}{}", yarnsec_harness::layout::ports::NAMENODE_RPC, yarnsec_harness::REMOTE_FILE)
        })
    }

    /// alice's run, or the verdict an item gets when that run could not be observed.
    pub async fn alice(&self) -> Result<&AppRun, Verdict> {
        self.alice_run().await.map_err(|e| e.verdict_of("alice's application through the service"))
    }

    /// Where alice's long-lived run is kept once observed: shared by L1–L7
    /// ([`crate::items::long_lived_run::shared`] observes it, once).
    pub fn long_lived_cell(&self) -> &OnceCell<Result<LongLivedRun, ObserveError>> {
        &self.long_lived
    }

    /// Where the JVM running alice's container code is kept once observed: shared by K1–K2
    /// ([`crate::items::container_run::shared`] observes it, once).
    pub fn container_jvm_cell(&self) -> &OnceCell<Result<crate::facts::container_jvm::ContainerJvm, ObserveError>> {
        &self.container_jvm
    }

    /// Where alice's application that outlives her ticket is kept once observed: shared by T5 and
    /// A3 ([`crate::items::outliving_run::shared`] observes it, once).
    pub fn outliving_cell(&self) -> &OnceCell<Result<crate::items::outliving_run::OutlivingRun, ObserveError>> {
        &self.outliving
    }

    /// A user's credential (`None` without Kerberos), or the verdict if it cannot be had.
    pub fn credential_or_fail(&self, user: &str) -> Result<Option<Credential>, Verdict> {
        self.credential(user).map_err(|e| e.verdict())
    }

    /// Submits the probe script as `user` and waits for the application to end.
    pub async fn run_as(&self, user: &str) -> Result<AppRun, ObserveError> {
        self.run_doing(user, &Before::Nothing).await
    }

    /// Submits the probe script, doing `before` first, as `user` with the user's credential, and
    /// waits for the application to end.
    async fn run_doing(&self, user: &str, before: &Before) -> Result<AppRun, ObserveError> {
        let cred = self.credential(user)?;
        let auth = self.cluster.auth_for(user, cred.as_ref());
        self.run_script(user, auth, auth, before, Duration::from_secs(240)).await
    }

    /// Submits the probe, in the service's language, doing `before` first, as `user`,
    /// authenticated by `submit_auth`; follows the application with `watch_auth` until it ends or
    /// `timeout` passes.
    pub async fn run_script(
        &self,
        user: &str,
        submit_auth: Auth<'_>,
        watch_auth: Auth<'_>,
        before: &Before,
        timeout: Duration,
    ) -> Result<AppRun, ObserveError> {
        let launched = self.launch_script(user, submit_auth, before).await?;
        self.finish(launched, watch_auth, timeout).await
    }

    /// Submits the probe (doing `before` first) as `user` and returns once the application it
    /// led to is found at the ResourceManager, so that a scenario can watch the application while
    /// it runs; [`Context::finish`] follows it to its end.
    pub async fn launch_script(&self, user: &str, submit_auth: Auth<'_>, before: &Before) -> Result<Launched, ObserveError> {
        let marker = format!("yarnsec-probe-{user}-{}", unique_nanos());
        self.launch(user, submit_auth, &Run::Probe { marker: &marker, before }, &format!("/user/{user}/{marker}.txt")).await
    }

    /// Submits the workload `run` as `user` (its output at `output_path`) and returns once the
    /// application it led to is found at the ResourceManager.
    pub async fn launch(&self, user: &str, submit_auth: Auth<'_>, run: &Run<'_>, output_path: &str) -> Result<Launched, ObserveError> {
        let started = Instant::now();
        let submitted_at_ms = epoch_ms();
        let script = self.workload_file(run).await?;
        let name = format!("yarnsec-probe-{}", unique_nanos());
        let request = Request::new(user, submit_auth, &script, &name);
        let submission = self.service.submit(self.cluster, &self.http, &request).await.map_err(|e| self.submit_error(e))?;
        self.saw(&submission);
        Ok(Launched { user: user.to_string(), submission, output_path: output_path.to_string(), started, submitted_at_ms })
    }

    /// Waits for a launched application's end and gathers what its containers were given.
    pub async fn finish(&self, launched: Launched, watch_auth: Auth<'_>, timeout: Duration) -> Result<AppRun, ObserveError> {
        let Launched { user: launched_user, submission, output_path, started, submitted_at_ms } = launched;
        let app = self.wait_for_end(&submission.application_id, watch_auth, timeout).await?;
        let took = started.elapsed();
        let containers = crate::facts::app_run::observe_containers(self.cluster, &app.id).await?;
        Ok(AppRun { user: launched_user, submission, app, containers, output_path, submitted_at_ms, took })
    }

    /// Polls the ResourceManager (as the user) until the application reaches a final state.
    pub async fn wait_for_end(&self, app_id: &str, auth: Auth<'_>, timeout: Duration) -> Result<App, ObserveError> {
        let rm = self.cluster.resource_manager();
        let deadline = Instant::now() + timeout;
        loop {
            match rm.app(app_id, auth).await {
                Ok(app) if app.is_final() => return Ok(app),
                Ok(_) | Err(_) if Instant::now() < deadline => tokio::time::sleep(Duration::from_secs(1)).await,
                Ok(app) => return Err(ObserveError::NotEnded { app: app_id.to_string(), state: app.state, waited_s: timeout.as_secs() }),
                // Only the RM's own refusal speaks of the application's ACLs.
                Err(source @ yarnsec_hadoop::HttpError::Status { status: 401 | 403, .. }) => {
                    return Err(ObserveError::AppReport { app: app_id.to_string(), source: Box::new(source) })
                }
                Err(source) => return Err(ObserveError::Unreachable { app: app_id.to_string(), source: Box::new(source) }),
            }
        }
    }
}

pub use crate::facts::app_run::app_evidence;

pub use crate::items::client::script_lines;
