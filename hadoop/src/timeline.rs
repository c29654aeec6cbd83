//! The timeline server (ATS v1) REST API: entities and delegation tokens.

use serde_json::Value;

use crate::http::{Auth, HttpError, SpnegoClient};

/// The REST API of one timeline server.
///
/// ```no_run
/// # async fn demo(client: yarnsec_hadoop::SpnegoClient, alice: yarnsec_hadoop::Credential) -> Result<(), yarnsec_hadoop::HttpError> {
/// use yarnsec_hadoop::{http::Auth, timeline::Timeline};
/// let ats = Timeline::new(client, "http://hadoop.example.test:8188");
/// let token = ats.delegation_token("yarn", Auth::Kerberos(&alice), None).await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Timeline {
    client: SpnegoClient,
    base: String,
}

impl Timeline {
    /// The timeline server at `base` (`http://host:8188`).
    pub fn new(client: SpnegoClient, base: &str) -> Self {
        Self { client, base: base.trim_end_matches('/').to_string() }
    }

    /// `GET /ws/v1/timeline/`: the server's "about" object.
    pub async fn about(&self, auth: Auth<'_>) -> Result<Value, HttpError> {
        self.client.get(&format!("{}/ws/v1/timeline/", self.base), auth).await?.success("GET")?.json()
    }

    /// `GET /ws/v1/timeline/{entity_type}`: entities of one type the caller may read.
    pub async fn entities(&self, entity_type: &str, auth: Auth<'_>) -> Result<Vec<Value>, HttpError> {
        let v: Value = self.client.get(&format!("{}/ws/v1/timeline/{entity_type}", self.base), auth).await?.success("GET")?.json()?;
        Ok(v["entities"].as_array().cloned().unwrap_or_default())
    }

    /// `GET /ws/v1/timeline/?op=GETDELEGATIONTOKEN&renewer=…`: a timeline delegation token in
    /// URL-safe string form.
    pub async fn delegation_token(&self, renewer: &str, auth: Auth<'_>, do_as: Option<&str>) -> Result<String, HttpError> {
        let mut url = format!("{}/ws/v1/timeline/?op=GETDELEGATIONTOKEN&renewer={renewer}", self.base);
        if let Some(user) = do_as {
            url.push_str(&format!("&doAs={user}"));
        }
        let v: Value = self.client.get(&url, auth).await?.success("GET")?.json()?;
        v["Token"]["urlString"].as_str().map(str::to_string).ok_or_else(|| HttpError::Status {
            method: "GET".into(),
            url,
            status: 200,
            body: "no Token.urlString in the answer".into(),
        })
    }
}
