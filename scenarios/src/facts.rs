//! Plain facts observed on the cluster, which items judge in pure functions.
//!
//! ```text
//! token_file.rs  a container's token file: each token's kind, service, decoded identifier
//! container.rs   one container: token file, launch script, logs
//! app_run.rs     one application to its end, with all its containers
//! issued.rs      what token issuers and the ResourceManager logged about tokens
//! ```

pub mod app_run;
pub mod container;
pub mod issued;
pub mod token_file;
