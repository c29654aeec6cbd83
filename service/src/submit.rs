//! The submission itself, as the user: stage the script in the user's HDFS home, get every
//! delegation token the application needs with the ResourceManager as renewer, and submit
//! DistributedShell through the ResourceManager REST API with `doAs=<user>`.

use serde::Serialize;
use yarnsec_hadoop::http::Auth;
use yarnsec_hadoop::timeline::Timeline;
use yarnsec_hadoop::token::Token;
use yarnsec_hadoop::webhdfs::{TokenRequest, WebHdfs};
use yarnsec_hadoop::yarn::ResourceManager;
use yarnsec_hadoop::{Credential, SpnegoClient};

use crate::auth::Caller;
use crate::config::{AuthMode, ServiceConfig};
use crate::error::ServiceError;
use crate::faults::Fault;
use crate::form::Submission;
use crate::launch::{submission_context, LaunchPlan};

/// How often a submission asks the ResourceManager for an application id when no answer comes.
const NEW_APPLICATION_ATTEMPTS: u32 = 3;

/// What a successful submission returns.
#[derive(Clone, Debug, Serialize)]
pub struct Submitted {
    /// The application id.
    pub application_id: String,
    /// The tracking URL, through the ResourceManager's web proxy.
    pub tracking_url: String,
    /// The user the application was submitted for.
    pub user: String,
    /// The kinds of the tokens put in the submission (never the tokens themselves).
    pub token_kinds: Vec<String>,
}

/// The user's own tokens, from a token file (an Oozie-style launch): the source of every token
/// the application gets, and of the submitter's own access to HDFS and the ResourceManager.
#[derive(Clone)]
pub struct FileTokens {
    /// The HDFS delegation token for the cluster's NameNode (URL string), for staging.
    hdfs: String,
    /// The ResourceManager delegation token (URL string), for the RM REST API.
    rm: String,
    /// Every token for the launch context (alias, URL string): the file's, but the RM's own.
    context: Vec<(String, String)>,
}

impl std::fmt::Debug for FileTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileTokens").field("context", &self.context.len()).finish_non_exhaustive()
    }
}

impl FileTokens {
    /// Reads a token file (`HADOOP_TOKEN_FILE_LOCATION`) for a cluster whose NameNode's token
    /// service is `namenode`.
    pub fn read(path: &std::path::Path, namenode: &str) -> Result<Self, ServiceError> {
        let fail = |detail: String| ServiceError::TokenFile { path: path.display().to_string(), detail };
        let bytes = std::fs::read(path).map_err(|e| fail(e.to_string()))?;
        let creds = yarnsec_hadoop::token::Credentials::parse(&bytes).map_err(|e| fail(e.to_string()))?;
        let find = |kind: &str, service: Option<&str>| {
            creds
                .tokens
                .iter()
                .map(|(_, t)| t)
                .find(|t| t.kind == kind && service.is_none_or(|s| t.service == s))
                .map(Token::encode_url_string)
        };
        let hdfs = find("HDFS_DELEGATION_TOKEN", Some(namenode)).ok_or_else(|| fail(format!("no HDFS_DELEGATION_TOKEN for {namenode}")))?;
        let rm = find("RM_DELEGATION_TOKEN", None).ok_or_else(|| fail("no RM_DELEGATION_TOKEN".into()))?;
        let context = creds
            .tokens
            .iter()
            .filter(|(_, t)| t.kind != "RM_DELEGATION_TOKEN")
            .map(|(alias, t)| (if alias.is_empty() { t.service.clone() } else { alias.clone() }, t.encode_url_string()))
            .collect();
        Ok(Self { hdfs, rm, context })
    }
}

/// Submits applications for users.
#[derive(Clone, Debug)]
pub struct Submitter {
    config: ServiceConfig,
    http: SpnegoClient,
    login: Option<Credential>,
    file: Option<FileTokens>,
}

impl Submitter {
    /// A submitter using the service's own login (`None` in simple mode).
    pub fn new(config: ServiceConfig, http: SpnegoClient, login: Option<Credential>) -> Self {
        Self { config, http, login, file: None }
    }

    /// A submitter with no login of its own, acting with the user's tokens from a token file
    /// (an Oozie-style launch, `HADOOP_TOKEN_FILE_LOCATION`): it gets no token, it passes on the
    /// file's.
    pub fn from_tokens(config: ServiceConfig, http: SpnegoClient, file: FileTokens) -> Self {
        Self { config, http, login: None, file: Some(file) }
    }

    /// The configuration it submits with.
    pub(crate) fn config(&self) -> &ServiceConfig {
        &self.config
    }

    /// Its HTTP client.
    pub(crate) fn http(&self) -> &SpnegoClient {
        &self.http
    }

    /// Whether it acts with a user's token file instead of a login of its own.
    pub(crate) fn has_token_file(&self) -> bool {
        self.file.is_some()
    }

    /// Who an application of `caller` runs as: the user, unless a fault says otherwise. With
    /// Kerberos the service authenticates as itself and acts for the user (doAs, proxy user);
    /// with simple auth Hadoop takes the caller's word, so the service names the user directly,
    /// as Hadoop's own simple-auth clients do.
    pub(crate) fn user_for(&self, caller: &Caller) -> String {
        match caller {
            Caller::User(u) if !self.config.fault(Fault::NoDoas) => u.clone(),
            _ => self.service_user().to_string(),
        }
    }

    /// The service's own short name (its principal's primary).
    pub(crate) fn service_user(&self) -> &str {
        self.config.principal.split(['/', '@']).next().unwrap_or("yarnsec")
    }

    pub(crate) fn auth(&self) -> Auth<'_> {
        match (&self.login, self.config.auth) {
            (Some(c), AuthMode::Kerberos) => Auth::Kerberos(c),
            _ => Auth::Simple(self.service_user()),
        }
    }

    /// Submits `submission` for `caller`.
    pub async fn submit(&self, caller: &Caller, submission: Submission) -> Result<Submitted, ServiceError> {
        let cfg = &self.config;
        let user = self.user_for(caller);
        // Who the service is to Hadoop: itself acting for the user (doAs), the user in simple
        // mode, or the user through the user's own tokens (token file).
        let (rm_auth, fs_auth, do_as) = match (&self.file, cfg.auth) {
            (Some(file), _) => (Auth::RmDelegation(&file.rm), Auth::Delegation(&file.hdfs), None),
            (None, AuthMode::Kerberos) => (self.auth(), self.auth(), (user != self.service_user()).then_some(user.as_str())),
            (None, AuthMode::Simple) => (Auth::Simple(&user), Auth::Simple(&user), None),
        };
        let auth = fs_auth;
        let rm = ResourceManager::new(self.http.clone(), &cfg.resourcemanager_http);
        let fs = WebHdfs::new(self.http.clone(), &cfg.namenode_http);

        // `new-application` only hands out an id, so a transport failure (a ResourceManager too
        // busy to answer in time) is safe to try again; an answer, even a refusal, is final.
        let mut attempt = 1;
        let app_id = loop {
            match rm.new_application(rm_auth, do_as).await {
                Err(e @ yarnsec_hadoop::HttpError::Transport { .. }) if attempt < NEW_APPLICATION_ATTEMPTS => {
                    tracing::warn!(attempt, error = %e, "new-application did not get an answer; trying again");
                    attempt += 1;
                    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
                }
                result => break result?,
            }
        };
        let home = format!("/user/{user}");
        let dir = format!("{home}/yarnsec/{app_id}");
        let script_path = format!("{dir}/ExecScript.sh");
        fs.mkdirs(&dir, Some("700"), auth, do_as).await?;
        fs.create(&script_path, submission.script.clone(), true, auth, do_as).await?;
        let status = fs.status(&script_path, auth, do_as).await?;

        let mut tokens: Vec<(String, String)> = self.file.as_ref().map(|f| f.context.clone()).unwrap_or_default();
        if self.file.is_none() && cfg.auth == AuthMode::Kerberos && !cfg.fault(Fault::AssumeInsecure) {
            if !cfg.fault(Fault::NoHdfsToken) {
                let renewer = if cfg.fault(Fault::WrongRenewer) { user.as_str() } else { cfg.rm_renewer.as_str() };
                let request =
                    TokenRequest { renewer: Some(renewer), kind: Some("HDFS_DELEGATION_TOKEN"), service: Some(&cfg.token_service) };
                tokens.push((cfg.token_service.clone(), fs.delegation_token(&request, auth, do_as).await?));
            }
            let extra_filesystems = if cfg.fault(Fault::NoRemoteToken) { &[][..] } else { &cfg.extra_filesystems[..] };
            for extra in extra_filesystems {
                let other = WebHdfs::new(self.http.clone(), &extra.namenode_http);
                let request = TokenRequest {
                    renewer: Some(&cfg.rm_renewer),
                    kind: Some("HDFS_DELEGATION_TOKEN"),
                    service: Some(&extra.token_service),
                };
                tokens.push((extra.token_service.clone(), other.delegation_token(&request, auth, do_as).await?));
            }
            if let (Some(timeline), false) = (&cfg.timeline_http, cfg.fault(Fault::NoTimelineToken)) {
                let token = Timeline::new(self.http.clone(), timeline).delegation_token(&cfg.rm_renewer, auth, do_as).await?;
                let (alias, token) = timeline_token_for(timeline, &token, &cfg.hosts)?;
                if !cfg.fault(Fault::TimelineTokenNotSet) {
                    tokens.push((alias, token));
                }
            }
        }
        // Without Kerberos, Hadoop takes the user's name from HADOOP_USER_NAME: the AM gets it,
        // and so does its worker (DistributedShell does not pass it on by itself).
        let mut env = Vec::new();
        let mut worker_env = Vec::new();
        if cfg.auth == AuthMode::Simple && !cfg.fault(Fault::DropUserName) {
            env.push(("HADOOP_USER_NAME".to_string(), user.clone()));
            worker_env.push(("HADOOP_USER_NAME".to_string(), user.clone()));
        }
        if std::env::var("HADOOP_JAAS_DEBUG").is_ok_and(|v| v == "true") && !cfg.fault(Fault::NoJaasDebug) {
            env.push(("HADOOP_JAAS_DEBUG".to_string(), "true".to_string()));
        }
        let token_kinds = tokens.iter().map(|(_, t)| Token::decode_url_string(t).map(|t| t.kind).unwrap_or_else(|_| "?".into())).collect();
        let plan = LaunchPlan {
            app_id: app_id.clone(),
            name: submission.name.clone(),
            queue: submission.queue.clone(),
            memory_mb: submission.memory_mb,
            vcores: submission.vcores,
            script_url: format!("hdfs://{}{script_path}", cfg.namenode_rpc),
            script_len: status.length,
            script_timestamp: status.modification_time,
            tokens,
            env,
            user: user.clone(),
            home,
            worker_env,
            cancel_tokens: !cfg.fault(Fault::KeepTokens),
        };
        rm.submit(&submission_context(&plan), rm_auth, do_as).await?;
        let tracking_url = format!("{}/proxy/{app_id}/", cfg.resourcemanager_http.trim_end_matches('/'));
        let submitted = Submitted { application_id: app_id, tracking_url, user, token_kinds };
        tracing::info!(user = %submitted.user, application = %submitted.application_id, tokens = ?submitted.token_kinds, "submitted");
        Ok(submitted)
    }
}

/// The timeline server answers with a token whose service is empty; the application finds it by
/// the server's `ip:port`, so the service is set to that before submission.
fn timeline_token_for(
    base: &str,
    token: &str,
    hosts: &std::collections::BTreeMap<String, std::net::IpAddr>,
) -> Result<(String, String), ServiceError> {
    let url = url::Url::parse(base).map_err(|e| ServiceError::Config { detail: format!("timeline_http `{base}`: {e}") })?;
    let host = url.host_str().unwrap_or_default();
    let ip = hosts.get(host).map(|ip| ip.to_string()).unwrap_or_else(|| host.to_string());
    let service = format!("{ip}:{}", url.port_or_known_default().unwrap_or(8188));
    let mut decoded = Token::decode_url_string(token)
        .map_err(|e| ServiceError::Config { detail: format!("the timeline server sent a token that does not decode: {e}") })?;
    decoded.service = service.clone();
    Ok((service, decoded.encode_url_string()))
}
