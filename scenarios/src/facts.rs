//! Plain facts observed on the cluster, which items judge in pure functions.
//!
//! ```text
//! token_file.rs  a container's token file: each token's kind, service, decoded identifier
//! container.rs   one container: token file, launch script, logs
//! container_jvm.rs the JVM where the user's container code runs: loaded classes, thread dump
//! app_run.rs     one application to its end, with all its containers
//! issued.rs      what token issuers and the ResourceManager logged about tokens
//! long_lived.rs  one long-lived application watched past its first tokens' max lifetime
//! thread_dump.rs a JVM's thread dump read: its threads, and which renew delegation tokens
//! ```

pub mod app_run;
pub mod container;
pub mod container_jvm;
pub mod issued;
pub mod long_lived;
pub mod thread_dump;
pub mod token_file;
