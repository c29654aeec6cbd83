//! The command line the NodeManager (3.4's `LinuxContainerExecutor` and
//! `PrivilegedOperationExecutor`) passes, parsed into one value per operation. Only parsing
//! and the checks that need no system call happen here; lists of dirs are `%`-separated.
//!
//! ```text
//! container-executor --checksetup
//! container-executor RUNAS USER 0 APP LOCID TOKENS LOCALDIRS% LOGDIRS% JAVA ARGS...   initialize
//! container-executor RUNAS USER 1 APP CID WORKDIR SCRIPT TOKENS (--http | --https KS TS)
//!                    PIDFILE LOCALDIRS% LOGDIRS% RESOURCES                         launch (and relaunch)
//! container-executor RUNAS USER 2 PID SIGNAL                                          signal
//! container-executor RUNAS USER 3 SUBDIR [BASEDIR...]                                 delete as user
//! container-executor RUNAS USER 5 DIR                                                 list as user
//! ```

use std::path::PathBuf;

use crate::exit::Exit;
use crate::failure::Refused;

/// One request of the NodeManager (one per process: its size does not matter).
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// `--checksetup`: the configuration and the helper's own permissions are right.
    CheckSetup,
    /// Run an operation as `run_as` for the application user `user`.
    AsUser { run_as: String, user: String, op: UserOp },
}

/// The operations run as a user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UserOp {
    /// Make the user's and application's directories, copy the tokens, run the localizer.
    Initialize { app: String, localizer: String, tokens: PathBuf, local_dirs: Vec<String>, log_dirs: Vec<String>, program: Vec<String> },
    /// Make the container's directories, copy its script and tokens, run it, wait.
    Launch {
        app: String,
        container: String,
        work_dir: PathBuf,
        script: PathBuf,
        tokens: PathBuf,
        pid_file: PathBuf,
        local_dirs: Vec<String>,
        log_dirs: Vec<String>,
    },
    /// Send `signal` to the process group `pid` leads (0: is it alive?).
    Signal { pid: i32, signal: i32 },
    /// Delete `sub_dir` under each base dir (or the absolute `sub_dir` when none is given).
    Delete { sub_dir: String, base_dirs: Vec<String> },
    /// Print the names in `dir`, one per line.
    List { dir: String },
}

fn refuse(exit: Exit, message: impl Into<String>) -> Refused {
    Refused::new(exit, message)
}

fn dirs(list: &str) -> Vec<String> {
    list.split('%').filter(|s| !s.is_empty()).map(String::from).collect()
}

/// Parses the arguments after the program's name.
///
/// ```
/// use yarnsec_container_executor::command::{parse, Command, UserOp};
/// let args: Vec<String> = ["alice", "alice", "2", "4711", "15"].map(String::from).to_vec();
/// assert_eq!(
///     parse(&args).unwrap(),
///     Command::AsUser { run_as: "alice".into(), user: "alice".into(), op: UserOp::Signal { pid: 4711, signal: 15 } }
/// );
/// ```
pub fn parse(args: &[String]) -> Result<Command, Refused> {
    let Some(first) = args.first() else {
        return Err(refuse(Exit::InvalidArgumentNumber, "no command: see the usage in yarnsec's container-executor docs"));
    };
    if let Some(flag) = first.strip_prefix("--") {
        return match flag {
            "checksetup" if args.len() == 1 => Ok(Command::CheckSetup),
            "checksetup" => Err(refuse(Exit::InvalidArgumentNumber, "--checksetup takes no arguments")),
            "mount-cgroups"
            | "tc-modify-state"
            | "tc-read-state"
            | "tc-read-stats"
            | "run-docker"
            | "inspect-docker-container"
            | "remove-docker-container"
            | "exec-container"
            | "run-runc-container"
            | "reap-runc-layer-mounts" => Err(refuse(
                Exit::FeatureDisabled,
                format!("--{flag} needs a feature this helper does not have (no cgroups, traffic control, Docker or runC)"),
            )),
            _ => Err(refuse(Exit::InvalidCommand, format!("unknown option --{flag}"))),
        };
    }
    if args.len() < 3 {
        return Err(refuse(Exit::InvalidArgumentNumber, format!("{} arguments: a user command needs RUNAS USER CODE ...", args.len())));
    }
    let (run_as, user, code, rest) = (args[0].clone(), args[1].clone(), args[2].as_str(), &args[3..]);
    let count =
        |want: &str| refuse(Exit::InvalidArgumentNumber, format!("command {code} takes {want} arguments after it, got {}", rest.len()));
    let op = match code {
        "0" => {
            if rest.len() < 6 {
                return Err(count("APP LOCID TOKENS LOCALDIRS LOGDIRS PROGRAM..."));
            }
            UserOp::Initialize {
                app: rest[0].clone(),
                localizer: rest[1].clone(),
                tokens: PathBuf::from(&rest[2]),
                local_dirs: dirs(&rest[3]),
                log_dirs: dirs(&rest[4]),
                program: rest[5..].to_vec(),
            }
        }
        "1" | "7" => {
            // 7 is RELAUNCH_CONTAINER in some versions: the same arguments.
            let after = match rest.get(5).map(String::as_str) {
                Some("--http") => 6,
                Some("--https") => 8,
                _ => return Err(refuse(Exit::InvalidArgumentNumber, "launch: the 6th argument after the code must be --http or --https")),
            };
            // PIDFILE LOCALDIRS LOGDIRS RESOURCES, and an optional traffic-control file.
            if rest.len() != after + 4 {
                if rest.len() == after + 5 {
                    return Err(refuse(
                        Exit::FeatureDisabled,
                        "launch with a traffic-control command file: this helper has no traffic control",
                    ));
                }
                return Err(count("APP CID WORKDIR SCRIPT TOKENS --http PIDFILE LOCALDIRS LOGDIRS RESOURCES"));
            }
            if rest[5] == "--https" {
                return Err(refuse(Exit::FeatureDisabled, "launch --https (a keystore for the container): this helper copies no keystores (run the NodeManager without container TLS)"));
            }
            let resources = &rest[after + 3];
            if resources != "cgroups=none" {
                return Err(refuse(
                    Exit::FeatureDisabled,
                    format!("launch with resources `{resources}`: this helper has no cgroups (expected cgroups=none)"),
                ));
            }
            UserOp::Launch {
                app: rest[0].clone(),
                container: rest[1].clone(),
                work_dir: PathBuf::from(&rest[2]),
                script: PathBuf::from(&rest[3]),
                tokens: PathBuf::from(&rest[4]),
                pid_file: PathBuf::from(&rest[after]),
                local_dirs: dirs(&rest[after + 1]),
                log_dirs: dirs(&rest[after + 2]),
            }
        }
        "2" => {
            if rest.len() != 2 {
                return Err(count("PID SIGNAL"));
            }
            let pid = rest[0].parse::<i32>().ok().filter(|p| *p > 1);
            let signal = rest[1].parse::<i32>().ok().filter(|s| (0..=64).contains(s));
            match (pid, signal) {
                (Some(pid), Some(signal)) => UserOp::Signal { pid, signal },
                _ => {
                    return Err(refuse(
                        Exit::InvalidContainerPid,
                        format!("signal: `{}` `{}` is not a pid above 1 and a signal 0-64", rest[0], rest[1]),
                    ))
                }
            }
        }
        "3" => {
            if rest.is_empty() {
                return Err(count("SUBDIR [BASEDIR...]"));
            }
            UserOp::Delete { sub_dir: rest[0].clone(), base_dirs: rest[1..].to_vec() }
        }
        "5" => {
            if rest.len() != 1 {
                return Err(count("DIR"));
            }
            UserOp::List { dir: rest[0].clone() }
        }
        "4" | "6" => {
            return Err(refuse(
                Exit::FeatureDisabled,
                format!("command {code} (Docker launch, yarn sysfs) needs a feature this helper does not have"),
            ))
        }
        other => return Err(refuse(Exit::InvalidCommand, format!("unknown command `{other}`"))),
    };
    Ok(Command::AsUser { run_as, user, op })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn v(s: &str) -> Vec<String> {
        s.split(' ').map(String::from).collect()
    }

    #[test]
    fn the_nodemanagers_command_lines() {
        let launch = v("alice alice 1 application_1_0001 container_1_0001_01_000001 /l/usercache/alice/appcache/application_1_0001/container_1_0001_01_000001 /l/nmPrivate/a/c/launch_container.sh /l/nmPrivate/a/c/c.tokens --http /l/nmPrivate/a/c/c.pid /l% /g% cgroups=none");
        match parse(&launch).unwrap() {
            Command::AsUser { op: UserOp::Launch { pid_file, local_dirs, log_dirs, .. }, .. } => {
                assert_eq!(pid_file, PathBuf::from("/l/nmPrivate/a/c/c.pid"));
                assert_eq!((local_dirs, log_dirs), (vec!["/l".to_string()], vec!["/g".to_string()]));
            }
            other => panic!("{other:?}"),
        }
        let init = v(
            "alice alice 0 application_1_0001 container_1_0001_01_000001 /l/nmPrivate/c.tokens /l%/m /g /usr/bin/java -Xmx256m Main alice",
        );
        match parse(&init).unwrap() {
            Command::AsUser { op: UserOp::Initialize { local_dirs, program, .. }, .. } => {
                assert_eq!(local_dirs, ["/l", "/m"]);
                assert_eq!(program, ["/usr/bin/java", "-Xmx256m", "Main", "alice"]);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(parse(&v("--checksetup")).unwrap(), Command::CheckSetup);
        assert!(matches!(
            parse(&v("alice alice 3 /l/usercache/alice/appcache/x")).unwrap(),
            Command::AsUser { op: UserOp::Delete { .. }, .. }
        ));
        assert!(matches!(parse(&v("alice alice 5 /l/x")).unwrap(), Command::AsUser { op: UserOp::List { .. }, .. }));
    }

    #[test]
    fn refusals_name_the_reason_with_distinct_codes() {
        let cases: &[(&str, Exit, &str)] = &[
            ("--mount-cgroups a b", Exit::FeatureDisabled, "no cgroups"),
            ("--bogus", Exit::InvalidCommand, "unknown option"),
            ("alice alice 9 x", Exit::InvalidCommand, "unknown command `9`"),
            ("alice alice 4 x", Exit::FeatureDisabled, "Docker"),
            ("alice alice 2 1 15", Exit::InvalidContainerPid, "pid above 1"),
            ("alice alice 2 -5 15", Exit::InvalidContainerPid, "pid above 1"),
            ("alice alice 2 42 99", Exit::InvalidContainerPid, "signal 0-64"),
            ("alice alice 2 42", Exit::InvalidArgumentNumber, "PID SIGNAL"),
            ("alice alice 1 a c w s t --http p l g cgroups=/sys/fs/cgroup/x", Exit::FeatureDisabled, "no cgroups"),
            ("alice alice 1 a c w s t --https k t p l g cgroups=none", Exit::FeatureDisabled, "keystore"),
            ("alice alice 1 a c w s t --http p l g cgroups=none tc", Exit::FeatureDisabled, "traffic control"),
            ("alice alice 1 a c w s t p l g", Exit::InvalidArgumentNumber, "--http"),
            ("alice", Exit::InvalidArgumentNumber, "RUNAS USER CODE"),
        ];
        for (line, exit, words) in cases {
            let r = parse(&v(line)).unwrap_err();
            assert_eq!(r.exit, *exit, "{line}: {}", r.message);
            assert!(r.message.contains(words), "{line}: {}", r.message);
        }
    }

    proptest! {
        // No argument list makes the parser panic.
        #[test]
        fn any_arguments_parse_or_are_refused(args in prop::collection::vec("\\PC{0,12}", 0..18)) {
            let _ = parse(&args);
        }
    }
}
