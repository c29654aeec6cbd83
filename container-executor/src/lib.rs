//! yarnsec's `container-executor`: the setuid helper through which a NodeManager configured with
//! `LinuxContainerExecutor` runs each container as the user who submitted it.
//!
//! Hadoop's own helper is C in Hadoop's source tree and on no registry; this one speaks the same
//! command line for what a NodeManager without Docker, cgroups or traffic control asks (see
//! [`command`]), with the same configuration file keys and exit codes, and refuses the rest by
//! name. It was written from the NodeManager's Java side and Hadoop's documentation.
//!
//! ```text
//! main.rs      checks (config, own permissions, the user) then runs one operation
//! command.rs   argv -> Command                   (pure)
//! config.rs    container-executor.cfg -> Config  (pure)
//! policy.rs    may this account run containers?  (pure)
//! paths.rs     may this path or id be touched?   (pure)
//! ops/         setup checks, initialize, launch, signal, delete, list
//! privilege.rs acting as the user or the NodeManager, becoming the user
//! files.rs     dirs with exact modes, copies that follow no link
//! process.rs   exec and exit statuses
//! ```

pub mod command;
pub mod config;
pub mod context;
pub mod exit;
pub mod failure;
pub mod files;
pub mod ops;
pub mod paths;
pub mod policy;
pub mod privilege;
pub mod process;
