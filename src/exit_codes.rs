//! The `yarnsec` binary's exit codes: a stable contract for scripts and CI.

use yarnsec_harness::HarnessError;

/// Success: the command did what it was asked (for `run`: no scenario failed).
pub const OK: u8 = 0;
/// `run`: at least one scenario failed.
pub const SCENARIO_FAILED: u8 = 1;
/// Bad input: unknown profile, bad flag value, a file that cannot be read.
pub const BAD_INPUT: u8 = 2;
/// No Docker engine answers.
pub const NO_DOCKER: u8 = 3;
/// An image could not be built (or a host tool it needs failed).
pub const IMAGE_BUILD_FAILED: u8 = 4;
/// The cluster could not start or did not become ready.
pub const CLUSTER_START_FAILED: u8 = 5;
/// Cleanup left something behind.
pub const CLEANUP_FAILED: u8 = 6;
/// Kerberos or HTTP failed outside a cluster start.
pub const CLIENT_FAILED: u8 = 7;
/// `run`: no item failed, but the run could not judge everything (the submitter under test did
/// not submit within its `submit_wait`); the report states why at its top.
pub const RUN_INCOMPLETE: u8 = 8;
/// A signal (SIGINT from Ctrl-C, SIGTERM, SIGHUP) stopped the command; what it had started was
/// removed first (128 + SIGINT, as shells report an interrupted command).
pub const INTERRUPTED: u8 = 130;

/// The exit code for an error of the harness. Every variant is mapped here, so a new variant
/// cannot be added without choosing its code.
pub fn for_harness_error(e: &HarnessError) -> u8 {
    match e {
        HarnessError::DockerUnavailable { .. } => NO_DOCKER,
        HarnessError::ImageBuild { .. } | HarnessError::HostTool { .. } => IMAGE_BUILD_FAILED,
        HarnessError::Network { .. }
        | HarnessError::NoFreeSubnet { .. }
        | HarnessError::ContainerStart { .. }
        | HarnessError::NotReady { .. }
        | HarnessError::DaemonExited { .. }
        | HarnessError::Exec { .. } => CLUSTER_START_FAILED,
        HarnessError::Cleanup { .. } => CLEANUP_FAILED,
        HarnessError::Profile(_)
        | HarnessError::UnknownUser { .. }
        | HarnessError::NoSuchOwner { .. }
        | HarnessError::NotACluster { .. }
        | HarnessError::Io { .. } => BAD_INPUT,
        HarnessError::Kerberos(_) | HarnessError::Http(_) => CLIENT_FAILED,
    }
}

/// The exit code for any error the binary reports.
pub fn for_error(e: &anyhow::Error) -> u8 {
    if let Some(h) = e.downcast_ref::<HarnessError>() {
        return for_harness_error(h);
    }
    if e.downcast_ref::<yarnsec_harness::ProfileError>().is_some() || e.downcast_ref::<crate::BadInput>().is_some() {
        return BAD_INPUT;
    }
    CLIENT_FAILED
}
