//! The helper's exit codes: the numbers the NodeManager's `LinuxContainerExecutor` knows (it marks
//! the node unhealthy on 22 and 24 only), each mapped from one kind of refusal or failure.

/// Why the helper stopped; its number is the process's exit status.
///
/// ```
/// use yarnsec_container_executor::exit::Exit;
/// assert_eq!(Exit::InvalidUser.code(), 2);
/// assert_eq!(Exit::InvalidConfigFile.code(), 24);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// Too few or too many arguments for the command.
    InvalidArgumentNumber,
    /// The user is unknown, root, banned, or below `min.user.id` and not an allowed system user.
    InvalidUser,
    /// A command this protocol does not have.
    InvalidCommand,
    /// A path outside the NodeManager's local and log dirs, or one with `.`/`..` components.
    InvalidNmRootDirs,
    /// Switching to the user (or back) failed.
    SetuidFailed,
    /// The container's script could not be run.
    UnableToExecuteScript,
    /// The signal could not be delivered.
    UnableToSignal,
    /// No process has that pid (a container that has ended).
    InvalidContainerPid,
    /// The user's or the application's directories could not be made.
    InitializeUserFailed,
    /// Deleting failed.
    DeleteFailed,
    /// The helper itself is not root-owned, setuid, in the NodeManager's group and closed to others.
    InvalidExecPermissions,
    /// The configuration file is missing, unreadable, malformed or writable by someone but root.
    InvalidConfigFile,
    /// `setsid` failed.
    SetsidFailed,
    /// The pid file or the exit-code file could not be written.
    WritePidFileFailed,
    /// A feature of the real helper this one does not have (Docker, cgroups, traffic control, ...).
    FeatureDisabled,
    /// The script could not be copied into the container's directory.
    CouldNotCreateScriptCopy,
    /// The credentials could not be copied.
    CouldNotCreateCredentialsFile,
    /// The container's work directories could not be made.
    CouldNotCreateWorkDirectories,
    /// The container's log directories could not be made.
    CouldNotCreateAppLogDirectories,
    /// The container's tmp directory could not be made.
    CouldNotCreateTmpDirectories,
    /// Listing a directory failed.
    ListFailed,
}

impl Exit {
    /// The exit status.
    pub fn code(self) -> i32 {
        match self {
            Exit::InvalidArgumentNumber => 1,
            Exit::InvalidUser => 2,
            Exit::InvalidCommand => 3,
            Exit::InvalidNmRootDirs => 5,
            Exit::SetuidFailed => 6,
            Exit::UnableToExecuteScript => 7,
            Exit::UnableToSignal => 8,
            Exit::InvalidContainerPid => 9,
            Exit::InitializeUserFailed => 20,
            Exit::DeleteFailed => 40,
            Exit::InvalidExecPermissions => 22,
            Exit::InvalidConfigFile => 24,
            Exit::SetsidFailed => 25,
            Exit::WritePidFileFailed => 26,
            Exit::FeatureDisabled => 32,
            Exit::CouldNotCreateScriptCopy => 33,
            Exit::CouldNotCreateCredentialsFile => 34,
            Exit::CouldNotCreateWorkDirectories => 35,
            Exit::CouldNotCreateAppLogDirectories => 36,
            Exit::CouldNotCreateTmpDirectories => 37,
            Exit::ListFailed => 41,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_and_only_two_mark_the_node_unhealthy() {
        let all = [
            Exit::InvalidArgumentNumber,
            Exit::InvalidUser,
            Exit::InvalidCommand,
            Exit::InvalidNmRootDirs,
            Exit::SetuidFailed,
            Exit::UnableToExecuteScript,
            Exit::UnableToSignal,
            Exit::InvalidContainerPid,
            Exit::InitializeUserFailed,
            Exit::DeleteFailed,
            Exit::InvalidExecPermissions,
            Exit::InvalidConfigFile,
            Exit::SetsidFailed,
            Exit::WritePidFileFailed,
            Exit::FeatureDisabled,
            Exit::CouldNotCreateScriptCopy,
            Exit::CouldNotCreateCredentialsFile,
            Exit::CouldNotCreateWorkDirectories,
            Exit::CouldNotCreateAppLogDirectories,
            Exit::CouldNotCreateTmpDirectories,
            Exit::ListFailed,
        ];
        let mut codes: Vec<i32> = all.iter().map(|e| e.code()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
        assert_eq!(all.iter().filter(|e| matches!(e.code(), 22 | 24)).count(), 2);
    }
}
