//! Errors of HTTP calls to Hadoop daemons.

use crate::KerberosError;

/// What went wrong in an HTTP exchange with a Hadoop daemon.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    /// The URL could not be used.
    #[error("bad URL `{url}`: {reason}")]
    BadUrl {
        /// The URL.
        url: String,
        /// Why.
        reason: String,
    },
    /// The host is not one this client was told about (it never asks DNS).
    #[error("refusing to contact `{host}`: it is not a host of this cluster (known: {known})\nhint: yarnsec only talks to the containers it started; use one of the known host names")]
    UnknownHost {
        /// The host in the URL.
        host: String,
        /// The hosts this client knows.
        known: String,
    },
    /// Connecting or reading failed.
    #[error("{method} {url} failed: {source}\nhint: check that the container is running and its address is reachable from this host (`docker ps`, `ip route`)")]
    Transport {
        /// HTTP method.
        method: String,
        /// The URL.
        url: String,
        /// The transport error.
        #[source]
        source: reqwest::Error,
    },
    /// The server answered with an unexpected status.
    #[error("{method} {url} answered {status}: {body}")]
    Status {
        /// HTTP method.
        method: String,
        /// The URL.
        url: String,
        /// The status code.
        status: u16,
        /// The start of the body (Hadoop puts its exception here).
        body: String,
    },
    /// The body was not the JSON expected.
    #[error("{url} answered JSON that does not fit: {source}; body starts with: {body}")]
    Json {
        /// The URL.
        url: String,
        /// The parse error.
        #[source]
        source: serde_json::Error,
        /// The start of the body.
        body: String,
    },
    /// Kerberos could not produce a SPNEGO token.
    #[error(transparent)]
    Kerberos(#[from] KerberosError),
}
