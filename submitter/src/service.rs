//! The submitter under test as the checklist sees it: what it declares, how to submit a workload
//! to it as a user, and what each submission led to: the application found at the
//! ResourceManager ([`Submission`]), whatever the submitter answered.
//!
//! ```no_run
//! # async fn demo(cluster: &yarnsec_harness::SecureCluster, alice: &yarnsec_hadoop::Credential) -> Result<(), yarnsec_submitter::SubmitError> {
//! use yarnsec_hadoop::http::Auth;
//! use yarnsec_submitter::service::{Request, ServiceUnderTest};
//! let service = ServiceUnderTest::reference(&cluster.service_url().unwrap());
//! let request = Request::new("alice", Auth::Kerberos(alice), b"echo hello\n", "hello-1");
//! let submission = service.submit(cluster, cluster.http(), &request).await?;
//! println!("{} ({})", submission.application_id, submission.found_by.describe());
//! # Ok(()) }
//! ```

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::Method;
use serde::Deserialize;
use yarnsec_hadoop::http::{Auth, HttpError, HttpResponse};
use yarnsec_hadoop::SpnegoClient;
use yarnsec_harness::cluster::edge::Job;
use yarnsec_harness::cluster::Edge;
use yarnsec_harness::SecureCluster;

pub use crate::declared::{ContainerCode, Features};
use crate::error::SubmitError;
use crate::found::{self, Clues, Search};
pub use crate::submission::{application_id_in, Answer, Submission};
pub use crate::web::FormContract;

/// How a service takes submissions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SubmitMode {
    /// `POST /api/submit` with `{"script", "name", "memory_gib", "vcores"}` (the reference
    /// service's API); its answer may name the application.
    #[default]
    Json,
    /// The browser form: a multipart `POST` with the fields and the script file that
    /// [`FormContract`] names (the reference form's by default).
    Form,
    /// A command-line submitter run on the edge node as the user ([`crate::command`]).
    Command,
}

/// How yarnsec launches a service's client the way Oozie does (C4): a command run in a container
/// of the cluster with the user's tokens in `HADOOP_TOKEN_FILE_LOCATION`. In `argv`, `{user}`,
/// `{script}` and `{name}` become the user, the script's path and the application name; the
/// command prints the service's JSON answer (`application_id`, …) on its standard output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenFileLauncher {
    /// The container (id) the command runs in.
    pub container: String,
    /// The command.
    pub argv: Vec<String>,
}

impl TokenFileLauncher {
    /// The reference service's one-shot client, in the service's container.
    pub fn reference(container: &str) -> Self {
        let argv = [
            "/usr/local/bin/yarnsec-service",
            "--config",
            "/etc/yarnsec/service.toml",
            "submit",
            "--user",
            "{user}",
            "--script",
            "{script}",
            "--name",
            "{name}",
        ];
        Self { container: container.to_string(), argv: argv.iter().map(|a| a.to_string()).collect() }
    }

    /// The command for one launch.
    pub fn command(&self, user: &str, script: &str, name: &str) -> Vec<String> {
        self.argv.iter().map(|a| a.replace("{user}", user).replace("{script}", script).replace("{name}", name)).collect()
    }
}

/// Where the service's own log can be read, to quote it when a submission launched nothing.
#[derive(Clone, Debug, Default)]
pub enum ServiceLog {
    /// Not known to yarnsec.
    #[default]
    Unknown,
    /// The cluster's own reference service (its container's output).
    ClusterService,
    /// A file on this host (a service yarnsec started here).
    File(PathBuf),
    /// A process on the edge node.
    Edge(Arc<Edge>, Job),
}

impl ServiceLog {
    /// The log's last `lines` lines, or why they cannot be read.
    pub async fn tail(&self, cluster: &SecureCluster, lines: usize) -> Option<String> {
        let text = match self {
            ServiceLog::Unknown => return None,
            ServiceLog::ClusterService => cluster.service()?.log_tail(lines).await,
            ServiceLog::File(path) => std::fs::read_to_string(path).unwrap_or_else(|e| format!("({} cannot be read: {e})", path.display())),
            ServiceLog::Edge(edge, job) => {
                edge.job_state(job).await.map(|s| s.output).unwrap_or_else(|e| format!("(the output cannot be read: {e})"))
            }
        };
        let all: Vec<&str> = text.lines().collect();
        Some(all[all.len().saturating_sub(lines)..].join("\n"))
    }
}

/// A submission service reachable over HTTP, through its JSON API or its form, or a command-line
/// submitter on the edge node.
#[derive(Clone, Debug)]
pub struct ServiceUnderTest {
    /// Name in reports.
    pub name: String,
    /// `http://host:port`.
    pub base_url: String,
    /// What it declares.
    pub features: Features,
    /// How it takes submissions.
    pub submit: SubmitMode,
    /// Whether yarnsec started it with `HADOOP_JAAS_DEBUG=true` in its environment (C6).
    pub jaas_debug: bool,
    /// How to launch its client Oozie-style, when yarnsec knows how (C4).
    pub launcher: Option<TokenFileLauncher>,
    /// The submit command, for [`SubmitMode::Command`].
    pub command: Option<crate::command::CommandSubmitter>,
    /// The form's fields, for [`SubmitMode::Form`].
    pub form: FormContract,
    /// The language its applications run scripts in (the probe is written in it).
    pub workload: crate::workload::Workload,
    /// How long after a web service's answer its application may take to show at the
    /// ResourceManager (a service that submits in the background).
    pub answer_wait: Duration,
    /// Where its log is, to quote when a submission launched nothing.
    pub log: ServiceLog,
    /// Whether other processes submit through it too (the shared cluster's reference service in
    /// the test suite): what happens at its address then cannot be told to be this run's.
    pub shared: bool,
}

/// The default [`ServiceUnderTest::answer_wait`].
pub const ANSWER_WAIT: Duration = Duration::from_secs(30);

/// One submission to make: for whom, authenticated how, which workload, under which name.
#[derive(Clone, Copy, Debug)]
pub struct Request<'a> {
    /// The user.
    pub user: &'a str,
    /// How a web request authenticates (`Anonymous` for a command means: no ticket).
    pub auth: Auth<'a>,
    /// The workload file (script or jar).
    pub workload: &'a [u8],
    /// The application name yarnsec asks for.
    pub name: &'a str,
    /// For a long-lived submission: the user's keytab.
    pub keytab: Option<&'a [u8]>,
}

impl<'a> Request<'a> {
    /// A one-off submission of `workload` as `user`, named `name`.
    pub fn new(user: &'a str, auth: Auth<'a>, workload: &'a [u8], name: &'a str) -> Self {
        Self { user, auth, workload, name, keytab: None }
    }

    /// The same, long-lived, with the user's keytab.
    pub fn long_lived(self, keytab: &'a [u8]) -> Self {
        Self { keytab: Some(keytab), ..self }
    }
}

impl ServiceUnderTest {
    /// The reference service at `base_url`.
    pub fn reference(base_url: &str) -> Self {
        Self {
            name: "reference".into(),
            base_url: base_url.trim_end_matches('/').to_string(),
            features: Features { timeline: true, remote_filesystems: true, token_file: true, long_lived: true, ..Features::default() },
            submit: SubmitMode::Json,
            jaas_debug: true,
            launcher: None,
            command: None,
            form: FormContract::default(),
            workload: crate::workload::Workload::Sh,
            answer_wait: ANSWER_WAIT,
            log: ServiceLog::ClusterService,
            shared: false,
        }
    }

    /// A command-line submitter: `base_url` is empty, the command runs on the edge node.
    pub fn command(name: &str, features: Features, command: crate::command::CommandSubmitter) -> Self {
        Self {
            name: name.to_string(),
            base_url: String::new(),
            features,
            submit: SubmitMode::Command,
            // yarnsec runs the command with HADOOP_JAAS_DEBUG=true (C6).
            jaas_debug: true,
            launcher: None,
            command: Some(command),
            form: FormContract::default(),
            workload: crate::workload::Workload::Sh,
            answer_wait: ANSWER_WAIT,
            log: ServiceLog::Unknown,
            shared: false,
        }
    }

    /// The same service, whose applications run scripts in `workload`'s language.
    pub fn with_workload(mut self, workload: crate::workload::Workload) -> Self {
        self.workload = workload;
        self
    }

    /// The same service, whose log is at `log`.
    pub fn with_log(mut self, log: ServiceLog) -> Self {
        self.log = log;
        self
    }

    /// The same service, used by other processes too (see [`ServiceUnderTest::shared`]).
    pub fn shared(mut self) -> Self {
        self.shared = true;
        self
    }

    /// Whether it is a command-line submitter (no web pages, no HTTP API).
    pub fn is_command(&self) -> bool {
        self.submit == SubmitMode::Command
    }

    /// The service with its Oozie-style launcher.
    pub fn with_launcher(mut self, launcher: TokenFileLauncher) -> Self {
        self.launcher = Some(launcher);
        self
    }

    /// Sends one web submission through the service's own contract, as whoever `auth` names, with
    /// extra headers if any (e.g. a forged `Authorization`); any status is returned. The
    /// application is not looked for: see [`ServiceUnderTest::submit`].
    pub async fn send(
        &self,
        http: &SpnegoClient,
        request: &Request<'_>,
        headers: Option<reqwest::header::HeaderMap>,
    ) -> Result<HttpResponse, HttpError> {
        let (url, body, content_type) = match self.submit {
            SubmitMode::Json => {
                let body = crate::web::json_body(request.workload, request.name, request.keytab);
                (format!("{}/api/submit", self.base_url), body, "application/json".to_string())
            }
            SubmitMode::Form => {
                let (body, content_type) = self.form.body(self.workload, request.workload, request.name, request.keytab);
                (self.form_url(), body, content_type)
            }
            SubmitMode::Command => {
                return Err(HttpError::BadUrl {
                    url: self.submit_target(),
                    reason: "a command-line submitter takes no HTTP requests (yarnsec runs its command on the edge node)".into(),
                })
            }
        };
        http.send(Method::POST, &url, request.auth, Some((body, &content_type)), headers).await
    }

    /// Submits `request` and finds the application it led to at the ResourceManager: the one the
    /// answer names (when the ResourceManager knows it), else the one with the requested name,
    /// else the only new application of the user from the request until [`answer_wait`] after
    /// the answer ([`crate::found`]). Web submissions of this process take turns
    /// ([`crate::turn`]): a service's own one at a time, and, until one of its submissions was
    /// found by its answer or its name, alone, so that "the only new one" means this one.
    ///
    /// [`answer_wait`]: ServiceUnderTest::answer_wait
    pub async fn submit(&self, cluster: &SecureCluster, http: &SpnegoClient, request: &Request<'_>) -> Result<Submission, SubmitError> {
        if let Some(command) = &self.command {
            let ticket = if matches!(request.auth, Auth::Anonymous) { crate::command::Ticket::None } else { crate::command::Ticket::Valid };
            let run = command.submit(cluster, request.user, ticket, self.script(request), request.name, request.keytab.is_some()).await?;
            return command.submission(&run, request.user, request.name).await;
        }
        let ledger = found::ledger(cluster.id());
        crate::progress::waiting("its turn among the run's web submissions", Instant::now() + self.answer_wait);
        let turns = ledger.turns();
        let turn = turns.turn(&self.base_url, !turns.names(&self.base_url)).await;
        let since_ms = crate::clock::epoch_ms();
        crate::progress::waiting(
            &format!("{} to answer {}'s submission", self.submit_target(), request.user),
            Instant::now() + self.answer_wait,
        );
        let answer = crate::web::answer_of_http(&self.send(http, request, None).await);
        // Other processes submit through a shared service, and beside a turn not alone other
        // services of this one: "the only new one" would be a guess.
        let clues = Clues { user: request.user, name: request.name, named: None, since_ms, only_new: !self.shared && turn.alone() };
        let deadline = Instant::now() + self.answer_wait;
        crate::progress::waiting(&format!("{}'s application to show at the ResourceManager", request.user), deadline);
        let search = found::find(cluster, &ledger, clues, answer.named.as_deref(), deadline).await;
        crate::progress::done();
        match search? {
            Search::Found(app, found_by) => {
                turns.note_naming(&self.base_url, found_by != found::FoundBy::OnlyNew);
                Ok(Submission {
                    user: request.user.to_string(),
                    name: request.name.to_string(),
                    application_id: app.id,
                    app_name: app.name,
                    found_by,
                    answer,
                })
            }
            Search::Several(apps) => Err(SubmitError::Ambiguous { user: request.user.to_string(), candidates: found::listing(&apps) }),
            Search::None(notes) => {
                let mut detail = format!("the service answered: {}", answer.describe());
                for note in notes {
                    detail.push_str(&format!("\n{note}"));
                }
                if !turn.alone() {
                    // Its earlier submissions were found by their answer or name; this one beside
                    // other services' cannot be found by time. Its next ones go alone.
                    turns.note_naming(&self.base_url, false);
                    detail.push_str("\nits earlier submissions were found by what their answer named or by the name asked for, so this one went beside other services' submissions, and a new application of the user cannot be told to be this one");
                }
                if let Some(log) = self.log.tail(cluster, 20).await {
                    detail.push_str(&format!("\n--- the service's log (last lines) ---\n{log}"));
                }
                Err(SubmitError::NothingLaunched {
                    user: request.user.to_string(),
                    how: format!("{} answered {}", self.submit_target(), answer.said),
                    detail,
                    watched: format!("watched {} s after the answer", self.answer_wait.as_secs()),
                })
            }
        }
    }

    /// The workload of `request`, as a command-line submitter takes it.
    fn script<'a>(&self, request: &Request<'a>) -> crate::command::Script<'a> {
        crate::command::Script { content: request.workload, file_name: self.workload.file_name() }
    }

    /// Where submissions go, for reports (`POST http://…/api/submit`).
    pub fn submit_target(&self) -> String {
        match self.submit {
            SubmitMode::Json => format!("POST {}/api/submit", self.base_url),
            SubmitMode::Form => format!("POST {} (the form)", self.form_url()),
            SubmitMode::Command => match &self.command {
                Some(c) => format!("the submit command `{}` on the edge node", c.short()),
                None => "the submit command".into(),
            },
        }
    }

    /// Where the form posts.
    pub fn form_url(&self) -> String {
        format!("{}{}", self.base_url, self.form.path)
    }
}
