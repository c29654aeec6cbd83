//! Who is asking: SPNEGO (Kerberos) or Hadoop "simple" authentication, as configured.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use base64::Engine as _;
use yarnsec_hadoop::kerberos::Acceptor;

use crate::config::AuthMode;

/// An authenticated caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Caller {
    /// A user, by short name.
    User(String),
    /// Nobody authenticated (only with the `allow-anonymous` fault).
    Anonymous,
}

/// Why a request was not authenticated: the status and the headers to send.
#[derive(Debug)]
pub struct Refusal {
    /// 401 (ask for credentials) or 403 (credentials refused).
    pub status: StatusCode,
    /// Why, for the body.
    pub reason: String,
    /// `WWW-Authenticate: Negotiate` on 401 in Kerberos mode.
    pub negotiate: bool,
}

/// Authenticates requests.
#[derive(Clone, Debug)]
pub struct Authenticator {
    mode: AuthMode,
    realm: String,
    acceptor: Option<Acceptor>,
    allow_anonymous: bool,
}

/// Whether `name` is a plausible user name (Hadoop's and POSIX's rules, simplified).
pub fn valid_user_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-' || c == '.')
        && name.len() <= 32
}

impl Authenticator {
    /// An authenticator for `mode`; Kerberos needs an acceptor built from the service keytab.
    pub fn new(mode: AuthMode, realm: &str, acceptor: Option<Acceptor>, allow_anonymous: bool) -> Self {
        Self { mode, realm: realm.to_string(), acceptor, allow_anonymous }
    }

    /// Authenticates one request from its headers and its `user.name` query parameter.
    pub async fn authenticate(&self, headers: &HeaderMap, user_param: Option<&str>) -> Result<Caller, Refusal> {
        let result = match self.mode {
            AuthMode::Simple => self.simple(user_param),
            AuthMode::Kerberos => self.kerberos(headers).await,
        };
        match result {
            Err(refusal) if self.allow_anonymous && refusal.status == StatusCode::UNAUTHORIZED => Ok(Caller::Anonymous),
            other => other,
        }
    }

    fn simple(&self, user: Option<&str>) -> Result<Caller, Refusal> {
        match user {
            Some(u) if valid_user_name(u) => Ok(Caller::User(u.to_string())),
            Some(u) => Err(Refusal { status: StatusCode::FORBIDDEN, reason: format!("`{u}` is not a valid user name"), negotiate: false }),
            None => Err(Refusal {
                status: StatusCode::UNAUTHORIZED,
                reason: "authentication required: add ?user.name=<you>".into(),
                negotiate: false,
            }),
        }
    }

    async fn kerberos(&self, headers: &HeaderMap) -> Result<Caller, Refusal> {
        let ask = |reason: &str| Refusal { status: StatusCode::UNAUTHORIZED, reason: reason.to_string(), negotiate: true };
        let Some(value) = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) else {
            return Err(ask("authentication required: this service accepts Kerberos (SPNEGO) only; get a ticket with kinit"));
        };
        let Some(encoded) = value.strip_prefix("Negotiate ") else {
            return Err(ask("only `Authorization: Negotiate` is accepted"));
        };
        let token = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).map_err(|_| Refusal {
            status: StatusCode::FORBIDDEN,
            reason: "the Negotiate token is not base64".into(),
            negotiate: false,
        })?;
        let acceptor = self.acceptor.clone().expect("Kerberos mode has an acceptor");
        let accepted = tokio::task::spawn_blocking(move || acceptor.accept(&token))
            .await
            .map_err(|_| Refusal { status: StatusCode::FORBIDDEN, reason: "the token could not be checked".into(), negotiate: false })?
            .map_err(|e| Refusal { status: StatusCode::FORBIDDEN, reason: e.to_string(), negotiate: false })?;
        let client = accepted.client;
        if client.realm() != self.realm || client.instance().is_some() || !valid_user_name(client.primary()) {
            return Err(Refusal {
                status: StatusCode::FORBIDDEN,
                reason: format!("{client} is not a user of realm {}", self.realm),
                negotiate: false,
            });
        }
        Ok(Caller::User(client.primary().to_string()))
    }
}

impl Refusal {
    /// The `WWW-Authenticate` header value, if any.
    pub fn challenge(&self) -> Option<HeaderValue> {
        self.negotiate.then(|| HeaderValue::from_static("Negotiate"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn simple_mode_takes_user_name_and_refuses_nonsense() {
        let auth = Authenticator::new(AuthMode::Simple, "R", None, false);
        assert_eq!(auth.authenticate(&HeaderMap::new(), Some("alice")).await.unwrap(), Caller::User("alice".into()));
        assert_eq!(auth.authenticate(&HeaderMap::new(), None).await.unwrap_err().status, StatusCode::UNAUTHORIZED);
        assert_eq!(auth.authenticate(&HeaderMap::new(), Some("../etc")).await.unwrap_err().status, StatusCode::FORBIDDEN);
    }

    #[tokio::test]
    async fn kerberos_mode_asks_for_negotiate_and_refuses_garbage_without_a_5xx() {
        let auth = Authenticator::new(AuthMode::Kerberos, "R", None, false);
        let refusal = auth.authenticate(&HeaderMap::new(), None).await.unwrap_err();
        assert_eq!(refusal.status, StatusCode::UNAUTHORIZED);
        assert_eq!(refusal.challenge().unwrap(), "Negotiate");
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Negotiate !!!not-base64"));
        assert_eq!(auth.authenticate(&headers, None).await.unwrap_err().status, StatusCode::FORBIDDEN);
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic YWxpY2U6cHc="));
        assert_eq!(auth.authenticate(&headers, None).await.unwrap_err().status, StatusCode::UNAUTHORIZED);
    }

    #[tokio::test]
    async fn the_anonymous_fault_lets_anyone_in() {
        let auth = Authenticator::new(AuthMode::Kerberos, "R", None, true);
        assert_eq!(auth.authenticate(&HeaderMap::new(), None).await.unwrap(), Caller::Anonymous);
    }

    #[test]
    fn user_names() {
        for ok in ["alice", "bob_2", "svc-x"] {
            assert!(valid_user_name(ok));
        }
        for bad in ["", "Alice", "1x", "a/b", "a@b", "../x", &"a".repeat(40)] {
            assert!(!valid_user_name(bad), "{bad}");
        }
    }
}
