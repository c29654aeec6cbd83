//! The ResourceManager REST API: cluster state, nodes, applications, submission and kill,
//! authenticated with SPNEGO and optionally acting for another user (`doAs`).

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::http::{Auth, HttpError, HttpResponse, SpnegoClient};

/// The REST API of one ResourceManager.
///
/// ```no_run
/// # async fn demo(client: yarnsec_hadoop::SpnegoClient, alice: yarnsec_hadoop::Credential) -> Result<(), yarnsec_hadoop::HttpError> {
/// use yarnsec_hadoop::{http::Auth, yarn::ResourceManager};
/// let rm = ResourceManager::new(client, "http://hadoop.example.test:8088");
/// let metrics = rm.metrics(Auth::Kerberos(&alice)).await?;
/// assert!(metrics.active_nodes >= 1);
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct ResourceManager {
    client: SpnegoClient,
    base: String,
}

/// `clusterMetrics`, the fields yarnsec reads.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterMetrics {
    /// NodeManagers in state RUNNING.
    pub active_nodes: u32,
    /// Applications submitted since start.
    #[serde(default)]
    pub apps_submitted: u32,
}

/// One application as the RM reports it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct App {
    /// `application_…` id.
    pub id: String,
    /// The user the RM runs it as.
    pub user: String,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Queue.
    #[serde(default)]
    pub queue: String,
    /// NEW, SUBMITTED, ACCEPTED, RUNNING, FINISHED, FAILED, KILLED.
    pub state: String,
    /// UNDEFINED, SUCCEEDED, FAILED, KILLED.
    pub final_status: String,
    /// The tracking URL (through the RM proxy).
    #[serde(default)]
    pub tracking_url: Option<String>,
    /// Diagnostics.
    #[serde(default)]
    pub diagnostics: Option<String>,
    /// Start time, ms since the epoch.
    #[serde(default)]
    pub started_time: i64,
    /// Finish time, ms since the epoch (0 while running).
    #[serde(default)]
    pub finished_time: i64,
}

impl App {
    /// Whether the application has reached a final state.
    pub fn is_final(&self) -> bool {
        matches!(self.state.as_str(), "FINISHED" | "FAILED" | "KILLED")
    }
}

impl ResourceManager {
    /// The RM REST API at `base` (`http://host:8088`).
    pub fn new(client: SpnegoClient, base: &str) -> Self {
        Self { client, base: base.trim_end_matches('/').to_string() }
    }

    /// The web base URL.
    pub fn base(&self) -> &str {
        &self.base
    }

    fn url(&self, path: &str, do_as: Option<&str>) -> String {
        match do_as {
            Some(user) => {
                format!("{}{}?doAs={}", self.base, path, url::form_urlencoded::byte_serialize(user.as_bytes()).collect::<String>())
            }
            None => format!("{}{}", self.base, path),
        }
    }

    async fn get_json(&self, path: &str, auth: Auth<'_>, do_as: Option<&str>) -> Result<HttpResponse, HttpError> {
        self.client.get(&self.url(path, do_as), auth).await?.success("GET")
    }

    /// `GET /ws/v1/cluster/info` (`clusterInfo`).
    pub async fn cluster_info(&self, auth: Auth<'_>) -> Result<Value, HttpError> {
        Ok(self.get_json("/ws/v1/cluster/info", auth, None).await?.json::<Value>()?["clusterInfo"].clone())
    }

    /// `GET /ws/v1/cluster/metrics`.
    pub async fn metrics(&self, auth: Auth<'_>) -> Result<ClusterMetrics, HttpError> {
        #[derive(Deserialize)]
        struct Envelope {
            #[serde(rename = "clusterMetrics")]
            m: ClusterMetrics,
        }
        Ok(self.get_json("/ws/v1/cluster/metrics", auth, None).await?.json::<Envelope>()?.m)
    }

    /// `GET /ws/v1/cluster/nodes`: each node's JSON object.
    pub async fn nodes(&self, auth: Auth<'_>) -> Result<Vec<Value>, HttpError> {
        let v = self.get_json("/ws/v1/cluster/nodes", auth, None).await?.json::<Value>()?;
        Ok(v["nodes"]["node"].as_array().cloned().unwrap_or_default())
    }

    /// `GET /ws/v1/cluster/apps`: the applications the caller may see.
    pub async fn apps(&self, auth: Auth<'_>) -> Result<Vec<App>, HttpError> {
        self.apps_at("/ws/v1/cluster/apps", auth).await
    }

    /// The applications the caller may see that the ResourceManager started (accepted) at
    /// `since_ms` (ms since the epoch) or later (`startedTimeBegin`).
    pub async fn apps_since(&self, since_ms: i64, auth: Auth<'_>) -> Result<Vec<App>, HttpError> {
        self.apps_at(&format!("/ws/v1/cluster/apps?startedTimeBegin={}", since_ms.max(0)), auth).await
    }

    async fn apps_at(&self, path: &str, auth: Auth<'_>) -> Result<Vec<App>, HttpError> {
        let v = self.get_json(path, auth, None).await?.json::<Value>()?;
        let apps = v["apps"]["app"].clone();
        if apps.is_null() {
            return Ok(Vec::new());
        }
        serde_json::from_value(apps).map_err(|source| HttpError::Json { url: self.url(path, None), source, body: String::new() })
    }

    /// `GET /ws/v1/cluster/apps/{id}`.
    pub async fn app(&self, id: &str, auth: Auth<'_>) -> Result<App, HttpError> {
        #[derive(Deserialize)]
        struct Envelope {
            app: App,
        }
        Ok(self.get_json(&format!("/ws/v1/cluster/apps/{id}"), auth, None).await?.json::<Envelope>()?.app)
    }

    /// `POST /ws/v1/cluster/delegation-token`: a ResourceManager delegation token for the caller,
    /// renewable by `renewer`, in URL-string form (what `Auth::RmDelegation` sends).
    pub async fn delegation_token(&self, renewer: &str, auth: Auth<'_>) -> Result<String, HttpError> {
        let body = serde_json::to_vec(&serde_json::json!({ "renewer": renewer })).expect("JSON serializes");
        let r = self
            .client
            .send(Method::POST, &self.url("/ws/v1/cluster/delegation-token", None), auth, Some((body, "application/json")), None)
            .await?
            .success("POST")?;
        let v = r.json::<Value>()?;
        v["token"].as_str().map(str::to_string).ok_or_else(|| HttpError::Status {
            method: "POST".into(),
            url: r.url.clone(),
            status: r.status.as_u16(),
            body: "no token in the answer".into(),
        })
    }

    /// `POST /ws/v1/cluster/apps/new-application`: a fresh application id.
    pub async fn new_application(&self, auth: Auth<'_>, do_as: Option<&str>) -> Result<String, HttpError> {
        let r = self
            .client
            .send(Method::POST, &self.url("/ws/v1/cluster/apps/new-application", do_as), auth, None, None)
            .await?
            .success("POST")?;
        let v = r.json::<Value>()?;
        v["application-id"].as_str().map(str::to_string).ok_or_else(|| HttpError::Status {
            method: "POST".into(),
            url: r.url.clone(),
            status: r.status.as_u16(),
            body: "no application-id in the answer".into(),
        })
    }

    /// `POST /ws/v1/cluster/apps`: submits an application submission context (JSON as the RM
    /// REST API defines it). The RM answers 202 Accepted.
    pub async fn submit(&self, context: &Value, auth: Auth<'_>, do_as: Option<&str>) -> Result<HttpResponse, HttpError> {
        let body = serde_json::to_vec(context).expect("a JSON value serializes");
        self.client
            .send(Method::POST, &self.url("/ws/v1/cluster/apps", do_as), auth, Some((body, "application/json")), None)
            .await?
            .success("POST")
    }

    /// `PUT /ws/v1/cluster/apps/{id}/state` with `KILLED`.
    pub async fn kill(&self, id: &str, auth: Auth<'_>, do_as: Option<&str>) -> Result<(), HttpError> {
        let body = br#"{"state":"KILLED"}"#.to_vec();
        self.client
            .send(Method::PUT, &self.url(&format!("/ws/v1/cluster/apps/{id}/state"), do_as), auth, Some((body, "application/json")), None)
            .await?
            .success("PUT")
            .map(drop)
    }
}
