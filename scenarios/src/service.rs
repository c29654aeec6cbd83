//! The submission service under test, as scenarios see it: where it listens, what it declares,
//! how to submit a script to it.

use reqwest::Method;
use serde::Deserialize;
use yarnsec_hadoop::http::{Auth, HttpError, HttpResponse};
use yarnsec_hadoop::SpnegoClient;

/// What a service says it supports; items about a missing feature are NOT_APPLICABLE.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Features {
    /// Its applications publish to the timeline server.
    pub timeline: bool,
    /// Its applications read other HDFS clusters.
    pub remote_filesystems: bool,
    /// It runs long-lived applications with keytabs.
    pub long_lived: bool,
    /// It can take its tokens from `HADOOP_TOKEN_FILE_LOCATION` (Oozie-style launch).
    pub token_file: bool,
}

/// A submission service reachable over HTTP with the reference service's JSON API
/// (`POST /api/submit`).
#[derive(Clone, Debug)]
pub struct ServiceUnderTest {
    /// Name in reports.
    pub name: String,
    /// `http://host:port`.
    pub base_url: String,
    /// What it declares.
    pub features: Features,
}

/// The service's answer to a submission.
#[derive(Clone, Debug, Deserialize)]
pub struct Submitted {
    /// The application id.
    pub application_id: String,
    /// The tracking URL.
    pub tracking_url: String,
    /// The user it was submitted for.
    pub user: String,
}

impl ServiceUnderTest {
    /// The reference service at `base_url`.
    pub fn reference(base_url: &str) -> Self {
        Self {
            name: "reference".into(),
            base_url: base_url.trim_end_matches('/').to_string(),
            features: Features { timeline: true, remote_filesystems: true, long_lived: false, token_file: false },
        }
    }

    /// Submits `script` (its whole text) under the application name `name`, as whoever `auth`
    /// names; any status is returned.
    pub async fn submit_raw(&self, http: &SpnegoClient, auth: Auth<'_>, script: &str, name: &str) -> Result<HttpResponse, HttpError> {
        let body = serde_json::to_vec(&serde_json::json!({"script": script, "memory_gib": 0.5, "vcores": 1, "name": name}))
            .expect("JSON serializes");
        http.send(Method::POST, &format!("{}/api/submit", self.base_url), auth, Some((body, "application/json")), None).await
    }

    /// Submits and expects success.
    pub async fn submit(&self, http: &SpnegoClient, auth: Auth<'_>, script: &str) -> Result<Submitted, HttpError> {
        self.submit_raw(http, auth, script, "yarnsec-probe").await?.success("POST")?.json()
    }
}
