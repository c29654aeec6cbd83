//! An external submission service, described by a TOML file: where it answers, how to start it,
//! how to submit to it, and what it declares. `yarnsec run --service FILE` reads one.
//!
//! ```toml
//! name = "team-service"
//! url = "http://service.yarnsec.test:18080"   # what the checklist calls
//! address = "127.0.0.1"                       # where the url's host name points (default: the url's host, if an address)
//! auth = "kerberos"                           # or "simple" (user.name=<user>)
//! submit = "json"                             # POST <url>/api/submit {"script", "name", ...}; or "form" (multipart POST <url>/)
//! command = ["./team-service", "--port", "18080"]  # optional: started once the cluster is up, stopped at the end
//! ready_path = "/healthz"                     # optional: polled until it answers below 500
//!
//! [features]
//! timeline = true
//! remote_filesystems = false
//! long_lived = false
//! token_file = false
//! ```
//!
//! A started command gets `YARNSEC_CLUSTER` (the cluster's `up --json` description, a file path)
//! and `KRB5_CONFIG` in its environment.

use std::net::IpAddr;
use std::path::Path;

use serde::Deserialize;

use crate::service::{Features, ServiceUnderTest, SubmitMode};

/// What is wrong with a service file.
#[derive(Debug, thiserror::Error)]
pub enum ServiceFileError {
    /// The file cannot be read.
    #[error("cannot read the service file {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid.
    #[error("the service file {path} is not valid: {detail}")]
    Invalid {
        /// The file.
        path: String,
        /// What is wrong, with the key.
        detail: String,
    },
}

/// How the service authenticates its callers.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ServiceAuth {
    /// SPNEGO.
    #[default]
    Kerberos,
    /// `user.name=<user>`.
    Simple,
}

/// An external service's description.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ServiceFile {
    /// Name in reports.
    pub name: String,
    /// `http://host:port` the checklist calls.
    pub url: String,
    /// Where the url's host name points, when it is a name.
    #[serde(default)]
    pub address: Option<IpAddr>,
    /// How it authenticates callers.
    #[serde(default)]
    pub auth: ServiceAuth,
    /// How to submit to it.
    #[serde(default)]
    pub submit: SubmitMode,
    /// A command that starts it (program and arguments), run once the cluster is up.
    #[serde(default)]
    pub command: Vec<String>,
    /// A path polled until it answers below 500, before the checklist starts.
    #[serde(default)]
    pub ready_path: Option<String>,
    /// What it declares.
    #[serde(default)]
    pub features: Features,
}

impl ServiceFile {
    /// Parses and checks a description; `path` names it in errors.
    pub fn parse(text: &str, path: &str) -> Result<Self, ServiceFileError> {
        let invalid = |detail: String| ServiceFileError::Invalid { path: path.into(), detail };
        let file: ServiceFile = toml::from_str(text).map_err(|e| invalid(e.to_string().trim().to_string()))?;
        let url = url::Url::parse(&file.url).map_err(|e| invalid(format!("`url = \"{}\"`: {e}", file.url)))?;
        if url.scheme() != "http" {
            return Err(invalid(format!("`url = \"{}\"`: only http:// services are supported", file.url)));
        }
        let host = url.host_str().unwrap_or_default();
        if file.address.is_none() && host.trim_matches(['[', ']']).parse::<IpAddr>().is_err() {
            return Err(invalid(format!(
                "`url` names the host `{host}`, which yarnsec does not resolve (it asks no DNS): add `address = \"<ip>\"`"
            )));
        }
        if file.name.trim().is_empty() {
            return Err(invalid("`name` is empty".into()));
        }
        if let Some(p) = &file.ready_path {
            if !p.starts_with('/') {
                return Err(invalid(format!("`ready_path = \"{p}\"` must start with /")));
            }
        }
        Ok(file)
    }

    /// Reads and checks a description file.
    pub fn read(path: &Path) -> Result<Self, ServiceFileError> {
        let text = std::fs::read_to_string(path).map_err(|source| ServiceFileError::Read { path: path.display().to_string(), source })?;
        Self::parse(&text, &path.display().to_string())
    }

    /// The url's host and the address it maps to.
    pub fn host_mapping(&self) -> Option<(String, IpAddr)> {
        let url = url::Url::parse(&self.url).ok()?;
        let host = url.host_str()?.trim_matches(['[', ']']).to_string();
        let ip = self.address.or_else(|| host.parse().ok())?;
        Some((host, ip))
    }

    /// The service as scenarios see it.
    pub fn service(&self) -> ServiceUnderTest {
        ServiceUnderTest {
            name: self.name.clone(),
            base_url: self.url.trim_end_matches('/').to_string(),
            features: self.features,
            submit: self.submit,
            // yarnsec sets HADOOP_JAAS_DEBUG=true for a command it starts (C6).
            jaas_debug: !self.command.is_empty(),
            launcher: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
name = "team"
url = "http://service.yarnsec.test:18080"
address = "127.0.0.1"
submit = "form"
command = ["./svc", "--port", "18080"]
ready_path = "/healthz"
[features]
timeline = true
"#;

    #[test]
    fn a_complete_file_parses() {
        let f = ServiceFile::parse(GOOD, "svc.toml").unwrap();
        assert_eq!(f.submit, SubmitMode::Form);
        assert_eq!(f.auth, ServiceAuth::Kerberos);
        assert_eq!(f.host_mapping(), Some(("service.yarnsec.test".into(), "127.0.0.1".parse().unwrap())));
        let s = f.service();
        assert!(s.features.timeline && !s.features.remote_filesystems);
        assert_eq!(s.base_url, "http://service.yarnsec.test:18080");
    }

    #[test]
    fn mistakes_are_named() {
        let cases = [
            ("name = \"x\"\nurl = \"http://svc.example:1\"", "add `address"),
            ("name = \"x\"\nurl = \"https://10.0.0.1:1\"", "only http://"),
            ("name = \"x\"\nurl = \"not a url\"", "`url = \"not a url\"`"),
            ("name = \"x\"\nurl = \"http://10.0.0.1:1\"\nsubmit = \"carrier-pigeon\"", "submit"),
            ("name = \"x\"\nurl = \"http://10.0.0.1:1\"\n[features]\nhbase = true", "hbase"),
            ("url = \"http://10.0.0.1:1\"", "name"),
            ("name = \"x\"\nurl = \"http://10.0.0.1:1\"\nready_path = \"healthz\"", "must start with /"),
        ];
        for (text, needle) in cases {
            let e = ServiceFile::parse(text, "svc.toml").unwrap_err().to_string();
            assert!(e.contains("svc.toml") && e.contains(needle), "{text:?}: {e}");
        }
    }
}
