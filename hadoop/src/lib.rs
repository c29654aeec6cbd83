//! Speaking to a secure Apache Hadoop cluster from Rust, with no Docker and no JVM.
//!
//! This crate is shared by the yarnsec harness (which observes a cluster) and the reference
//! submission service (which is the system under test). It knows nothing of containers.
//!
//! ```text
//! kerberos/   principals, per-principal GSSAPI credentials held in-process, krb5.conf files
//! http/       the SPNEGO HTTP client (reqwest) that reaches container addresses by host name
//! webhdfs.rs  WebHDFS: status, mkdir, put, get, delegation tokens
//! yarn.rs     ResourceManager REST: cluster, nodes, applications, submission, doAs
//! timeline.rs timeline server (ATS v1) REST
//! jmx.rs      the `/jmx` servlet every daemon serves
//! token/      Hadoop tokens and Credentials (HDTS) files, decoded without ever printing secrets
//! config/     Hadoop `*-site.xml` writing
//! ```
//!
//! Credentials are never taken from process-wide environment variables set at run time: each
//! [`kerberos::Credential`] holds one principal's tickets in its own in-memory cache, so one
//! process can act as alice, bob and a service at once.

pub mod config;
pub mod http;
pub mod java;
pub mod jmx;
pub mod kerberos;
pub mod timeline;
pub mod token;
pub mod webhdfs;
pub mod yarn;

pub use http::{HttpError, SpnegoClient};
pub use kerberos::{Credential, KerberosError, Principal};
