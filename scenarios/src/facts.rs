//! Plain facts observed on the cluster, which items judge in pure functions.
//!
//! ```text
//! token_file.rs  a container's token file: each token's kind, service, decoded identifier
//! container.rs   one container: token file, launch script, logs
//! app_run.rs     one application to its end, with all its containers
//! issued.rs      what token issuers and the ResourceManager logged about tokens
//! long_lived.rs  one long-lived application watched past its first tokens' max lifetime
//! ```

pub mod app_run;
pub mod container;
pub mod issued;
pub mod long_lived;
pub mod token_file;
