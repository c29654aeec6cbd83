//! yarnsec tells a YARN application team, in one command, whether their application really works
//! on a secure Hadoop cluster.
//!
//! This crate is the facade over the workspace and holds the `yarnsec` runner:
//!
//! ```text
//! yarnsec_hadoop     speaking to a secure Hadoop: Kerberos, SPNEGO, WebHDFS, YARN, tokens
//! yarnsec_harness    starting and observing a kerberized single-node Hadoop in containers
//! yarnsec_scenarios  the checklist items as scenarios
//! ```
//!
//! ```no_run
//! # async fn demo() -> Result<(), yarnsec::harness::HarnessError> {
//! use yarnsec::harness::SecureCluster;
//! let cluster = SecureCluster::builder().start().await?;
//! let alice = cluster.user("alice")?.credential()?;
//! cluster.shutdown().await?;
//! # Ok(()) }
//! ```

pub mod exit_codes;
pub mod report;

/// A bad flag or value given to the binary (exit code 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BadInput(pub String);

pub use yarnsec_hadoop as hadoop;
pub use yarnsec_harness as harness;
pub use yarnsec_scenarios as scenarios;
