//! The SPNEGO HTTP client: reqwest with a fixed host table and per-request Kerberos identity.

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use base64::Engine as _;
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, AUTHORIZATION};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;

use super::HttpError;
use crate::{Credential, Principal};

/// How a request authenticates.
#[derive(Clone, Copy, Debug)]
pub enum Auth<'a> {
    /// No credentials at all (what an anonymous browser sends).
    Anonymous,
    /// SPNEGO with this principal's Kerberos credentials.
    Kerberos(&'a Credential),
    /// Hadoop "simple" authentication: `?user.name=<user>`.
    Simple(&'a str),
    /// A delegation token in URL form, sent as `?delegation=<token>` (WebHDFS, timeline).
    Delegation(&'a str),
    /// A ResourceManager delegation token in URL form, sent in the `X-Hadoop-Delegation-Token`
    /// header (the RM web services' delegation-token authentication filter reads it).
    RmDelegation(&'a str),
}

/// A response read whole: status, headers and body.
#[derive(Clone, Debug)]
pub struct HttpResponse {
    /// The request URL (for messages).
    pub url: String,
    /// The status code.
    pub status: StatusCode,
    /// Response headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// The body as text (lossy).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body parsed as JSON.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, HttpError> {
        serde_json::from_slice(&self.body).map_err(|source| HttpError::Json { url: self.url.clone(), source, body: excerpt(&self.body) })
    }

    /// Fails with [`HttpError::Status`] unless the status is 2xx.
    pub fn success(self, method: &str) -> Result<Self, HttpError> {
        if self.status.is_success() {
            Ok(self)
        } else {
            Err(HttpError::Status { method: method.to_string(), url: self.url, status: self.status.as_u16(), body: excerpt(&self.body) })
        }
    }

    /// A header's value as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// The first 400 characters of a body, for error messages.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut s: String = text.chars().take(400).collect();
    if text.chars().count() > 400 {
        s.push('…');
    }
    s
}

/// An HTTP client for one cluster: it reaches each host at a known address (never asking DNS) and
/// authenticates each request as the caller says, with SPNEGO for `HTTP/<host>@<realm>`.
///
/// Redirects are not followed, so callers see (and can judge) every hop.
///
/// ```no_run
/// # async fn demo(alice: yarnsec_hadoop::Credential) -> Result<(), yarnsec_hadoop::HttpError> {
/// use yarnsec_hadoop::{http::Auth, SpnegoClient};
/// let client = SpnegoClient::new("EXAMPLE.TEST", [("hadoop.example.test".to_string(), "198.18.7.3".parse().unwrap())])?;
/// let r = client.get("http://hadoop.example.test:8088/ws/v1/cluster/info", Auth::Kerberos(&alice)).await?;
/// assert_eq!(r.status, 200);
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct SpnegoClient {
    http: reqwest::Client,
    realm: String,
    hosts: BTreeMap<String, IpAddr>,
}

impl SpnegoClient {
    /// A client for the hosts of one cluster in `realm`.
    pub fn new(realm: &str, hosts: impl IntoIterator<Item = (String, IpAddr)>) -> Result<Self, HttpError> {
        let hosts: BTreeMap<String, IpAddr> = hosts.into_iter().collect();
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(60))
            .no_proxy();
        for (name, ip) in &hosts {
            builder = builder.resolve(name, SocketAddr::new(*ip, 0));
        }
        let http = builder.build().map_err(|source| HttpError::Transport { method: "BUILD".into(), url: String::new(), source })?;
        Ok(Self { http, realm: realm.to_string(), hosts })
    }

    /// The realm of the cluster's service principals.
    pub fn realm(&self) -> &str {
        &self.realm
    }

    /// The hosts this client knows and their addresses.
    pub fn hosts(&self) -> &BTreeMap<String, IpAddr> {
        &self.hosts
    }

    /// `GET url`.
    pub async fn get(&self, url: &str, auth: Auth<'_>) -> Result<HttpResponse, HttpError> {
        self.send(Method::GET, url, auth, None, None).await
    }

    /// Sends one request and reads the whole response; any status is returned as is.
    pub async fn send(
        &self,
        method: Method,
        url: &str,
        auth: Auth<'_>,
        body: Option<(Vec<u8>, &str)>,
        extra_headers: Option<HeaderMap>,
    ) -> Result<HttpResponse, HttpError> {
        let mut parsed = url::Url::parse(url).map_err(|e| HttpError::BadUrl { url: url.to_string(), reason: e.to_string() })?;
        let host = parsed.host_str().ok_or_else(|| HttpError::BadUrl { url: url.to_string(), reason: "no host".into() })?.to_string();
        let service_host = self.check_host(&host)?;
        let mut headers = extra_headers.unwrap_or_default();
        headers.entry(ACCEPT).or_insert(HeaderValue::from_static("application/json"));
        match auth {
            Auth::Anonymous => {}
            Auth::Simple(user) => {
                parsed.query_pairs_mut().append_pair("user.name", user);
            }
            Auth::Delegation(token) => {
                parsed.query_pairs_mut().append_pair("delegation", token);
            }
            Auth::RmDelegation(token) => {
                let value = HeaderValue::from_str(token).map_err(|e| HttpError::BadUrl {
                    url: url.to_string(),
                    reason: format!("the RM delegation token is not a header value: {e}"),
                })?;
                headers.insert("X-Hadoop-Delegation-Token", value);
            }
            Auth::Kerberos(cred) => {
                let target = Principal::http(&service_host, &self.realm);
                let cred = cred.clone();
                let token = tokio::task::spawn_blocking(move || cred.initiate(&target)).await.expect("the GSSAPI call does not panic")?;
                let value = format!("Negotiate {}", base64::engine::general_purpose::STANDARD.encode(token));
                headers.insert(AUTHORIZATION, HeaderValue::from_str(&value).expect("base64 is a valid header value"));
            }
        }
        let mut request = self.http.request(method.clone(), parsed.as_str()).headers(headers);
        if let Some((bytes, content_type)) = body {
            request = request.header(reqwest::header::CONTENT_TYPE, content_type).body(bytes);
        }
        let transport = |source| HttpError::Transport { method: method.to_string(), url: url.to_string(), source };
        let response = request.send().await.map_err(transport)?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(transport)?.to_vec();
        Ok(HttpResponse { url: url.to_string(), status, headers, body })
    }

    /// The host name to use for the service principal; refuses hosts outside the cluster.
    fn check_host(&self, host: &str) -> Result<String, HttpError> {
        if self.hosts.contains_key(host) {
            return Ok(host.to_string());
        }
        if let Ok(ip) = host.trim_matches(['[', ']']).parse::<IpAddr>() {
            if let Some((name, _)) = self.hosts.iter().find(|(_, a)| **a == ip) {
                return Ok(name.clone());
            }
            if ip.is_loopback() {
                return Ok(host.to_string());
            }
        }
        Err(HttpError::UnknownHost { host: host.to_string(), known: self.hosts.keys().cloned().collect::<Vec<_>>().join(", ") })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn refuses_hosts_outside_the_cluster() {
        let c = SpnegoClient::new("R", [("hadoop.test".to_string(), "198.18.0.3".parse().unwrap())]).unwrap();
        let err = c.get("http://example.com/", Auth::Anonymous).await.unwrap_err();
        assert!(matches!(err, HttpError::UnknownHost { .. }), "{err}");
        let err = c.get("http://10.1.2.3/", Auth::Anonymous).await.unwrap_err();
        assert!(matches!(err, HttpError::UnknownHost { .. }), "{err}");
    }

    #[test]
    fn maps_a_known_address_back_to_its_host_name() {
        let c = SpnegoClient::new("R", [("hadoop.test".to_string(), "198.18.0.3".parse().unwrap())]).unwrap();
        assert_eq!(c.check_host("198.18.0.3").unwrap(), "hadoop.test");
    }
}
