//! The reference submission service: the system under test of yarnsec's checklist.
//!
//! The Rust counterpart of the skein "Python service example": users authenticate with SPNEGO (or
//! Hadoop simple auth), upload a script, and the service runs it on YARN **as that user** through
//! proxy-user impersonation, with every delegation token the application needs. It knows nothing
//! of yarnsec's harness; it is configured like any production service.
//!
//! ```text
//! config.rs  TOML configuration (+ flags)        auth.rs    SPNEGO acceptor / simple auth
//! keytab.rs  the keytab permission rule          form.rs    field validation
//! submit.rs  stage, tokens, doAs submission      launch.rs  the DistributedShell context
//! web.rs     routes: /, /api/submit, /healthz    faults.rs  deliberate mistakes for testing
//! long_lived.rs  a YARN service that logs in from the user's keytab (services API, doAs)
//! ```

pub mod auth;
pub mod cli;
pub mod config;
pub mod error;
pub mod faults;
pub mod form;
pub mod keytab;
pub mod launch;
pub mod long_lived;
pub mod submit;
pub mod web;

pub use config::ServiceConfig;
pub use error::ServiceError;
