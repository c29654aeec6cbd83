//! Who owns a cluster: the process whose end makes the cluster a leftover.
//!
//! Every container and network of a cluster carries its owner as a label. A later yarnsec (a
//! `yarnsec down`, the next start's sweep) reads it to tell a cluster whose owner still runs from
//! one a killed process left behind. A process id alone cannot say that: ids are reused, and a
//! process in another PID namespace (a CI job in a container sharing the host's engine) has ids
//! of that namespace. So the owner is the pid, the process's start time (clock ticks since
//! boot, from `/proc/<pid>/stat`) and the PID namespace it lives in; an owner of another
//! namespace is looked for by its pid there (`NSpid`), where this process can see it.
//!
//! ```
//! use yarnsec_harness::owner::{Liveness, Owner};
//! let me = Owner::current();
//! assert_eq!(me.liveness(), Liveness::Alive);
//! assert_eq!(Owner::parse(&me.label()), Some(me));
//! ```

use std::fmt;

/// A process identified well enough to tell, later, whether it still runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Owner {
    /// The process id (in `namespace`).
    pub pid: u32,
    /// Its start time in clock ticks since boot (`0`: unknown).
    pub start: u64,
    /// Its PID namespace, as `/proc/<pid>/ns/pid` names it (e.g. `pid:[4026531836]`).
    pub namespace: String,
}

/// Whether an owner still runs, as far as this process can see.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Liveness {
    /// It runs.
    Alive,
    /// It is gone (or its pid now belongs to another process).
    Gone,
    /// It lives in another PID namespace this process cannot see into: this process cannot tell.
    Unknown,
}

impl Owner {
    /// This process.
    pub fn current() -> Self {
        Self::of(std::process::id()).unwrap_or_else(|| Self { pid: std::process::id(), start: 0, namespace: own_namespace() })
    }

    /// A running process of this PID namespace (`None` if there is none with this id).
    pub fn of(pid: u32) -> Option<Self> {
        Some(Self { pid, start: start_time(pid)?, namespace: own_namespace() })
    }

    /// The label value: `<pid>/<start>/<namespace>`.
    pub fn label(&self) -> String {
        format!("{}/{}/{}", self.pid, self.start, self.namespace)
    }

    /// Reads a label value written by [`Owner::label`]. A bare pid (labels of older yarnsec
    /// versions) is read as an owner of this namespace with an unknown start time.
    pub fn parse(text: &str) -> Option<Self> {
        let mut parts = text.splitn(3, '/');
        let pid = parts.next()?.parse().ok()?;
        match (parts.next(), parts.next()) {
            (Some(start), Some(namespace)) => Some(Self { pid, start: start.parse().ok()?, namespace: namespace.to_string() }),
            (None, None) => Some(Self { pid, start: 0, namespace: own_namespace() }),
            _ => None,
        }
    }

    /// Whether this owner still runs. An owner of another PID namespace (a CI job's container
    /// sharing this host's engine) is looked for among the processes this one sees: by its pid
    /// in its own namespace (`NSpid` of `/proc/<pid>/status`) and its start time. Its namespace
    /// gone altogether (the job's container exited) makes it gone, when this process sees every
    /// process of the host (it runs in the initial PID namespace).
    pub fn liveness(&self) -> Liveness {
        if self.namespace != own_namespace() {
            return self.liveness_elsewhere(&processes());
        }
        match start_time(self.pid) {
            None => Liveness::Gone,
            Some(start) if self.start != 0 && start != self.start => Liveness::Gone,
            Some(_) => Liveness::Alive,
        }
    }

    /// [`Owner::liveness`] for an owner of another namespace, among `seen` processes.
    fn liveness_elsewhere(&self, seen: &Processes) -> Liveness {
        let mut namespace_exists = false;
        for p in seen.list.iter().filter(|p| p.namespace == self.namespace) {
            namespace_exists = true;
            if p.pid_in_namespace == self.pid {
                return if self.start == 0 || p.start == self.start { Liveness::Alive } else { Liveness::Gone };
            }
        }
        if !seen.complete {
            // A process this one may not look at could be the owner.
            Liveness::Unknown
        } else if namespace_exists {
            // Every process of a namespace this process sees is visible here: the owner is not one.
            Liveness::Gone
        } else if seen.initial_namespace {
            Liveness::Gone
        } else {
            Liveness::Unknown
        }
    }
}

/// The inode of the initial PID namespace (the kernel's `PROC_PID_INIT_INO`): a process in it
/// sees every process of the host.
const INITIAL_PID_NAMESPACE: &str = "pid:[4026531836]";

/// A process as this process sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct SeenProcess {
    /// Its PID namespace.
    namespace: String,
    /// Its pid in that namespace (the last of `NSpid`).
    pid_in_namespace: u32,
    /// Its start time, clock ticks since boot (the same in every namespace).
    start: u64,
}

/// Every process this process sees.
#[derive(Clone, Debug, Default)]
struct Processes {
    list: Vec<SeenProcess>,
    /// Whether every process is seen and its namespace read (only for root, and when no link
    /// was refused).
    complete: bool,
    /// Whether this process runs in the initial PID namespace.
    initial_namespace: bool,
}

fn processes() -> Processes {
    // Only root sees every process for sure (`/proc` mounted with `hidepid` hides other users').
    // SAFETY: geteuid(2) has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    let mut out = Processes { list: Vec::new(), complete: root, initial_namespace: own_namespace() == INITIAL_PID_NAMESPACE };
    let Ok(entries) = std::fs::read_dir("/proc") else {
        out.complete = false;
        return out;
    };
    for entry in entries.flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else { continue };
        let namespace = match std::fs::read_link(format!("/proc/{pid}/ns/pid")) {
            Ok(ns) => ns.display().to_string(),
            // Pid 1 here is the init of this process's own namespace (its link may be shut to
            // everyone, as in some sandboxes).
            Err(_) if pid == 1 => own_namespace(),
            // Gone meanwhile: nothing to count. Not allowed to look: the picture is incomplete.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(_) => {
                out.complete = false;
                continue;
            }
        };
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        let (Some(pid_in_namespace), Some(start)) = (ns_pid(&status), start_time(pid)) else { continue };
        out.list.push(SeenProcess { namespace, pid_in_namespace, start });
    }
    out
}

/// The innermost pid of a `/proc/<pid>/status` text's `NSpid:` line (its pid in its own namespace).
fn ns_pid(status: &str) -> Option<u32> {
    status.lines().find_map(|l| l.strip_prefix("NSpid:"))?.split_whitespace().last()?.parse().ok()
}

impl fmt::Display for Owner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "process {}", self.pid)
    }
}

/// The PID namespace of this process (empty where `/proc` does not say).
fn own_namespace() -> String {
    std::fs::read_link("/proc/self/ns/pid").map(|p| p.display().to_string()).unwrap_or_default()
}

/// Field 22 of `/proc/<pid>/stat`: the start time in clock ticks since boot; `None` when the
/// process is gone, or dead and not yet reaped (a zombie, state `Z` or `X`: a killed owner whose
/// parent died with it may stay one for a while).
fn start_time(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let state = stat[stat.rfind(')')? + 1..].split_whitespace().next()?;
    if state == "Z" || state == "X" {
        return None;
    }
    parse_start_time(&stat)
}

/// The start time in a `/proc/<pid>/stat` line. The command name (field 2) may hold spaces and
/// parentheses, so fields are counted from the last `)`.
fn parse_start_time(stat: &str) -> Option<u64> {
    let after_name = &stat[stat.rfind(')')? + 1..];
    // Field 3 (state) is the first after the name; the start time is field 22.
    after_name.split_whitespace().nth(22 - 3)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_start_time_is_read_after_a_command_name_with_spaces_and_parentheses() {
        let stat = "4242 (a (weird) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 10";
        assert_eq!(parse_start_time(stat), Some(987654));
        assert_eq!(parse_start_time("garbage"), None);
    }

    #[test]
    fn labels_round_trip_and_old_bare_pids_still_read() {
        let owner = Owner { pid: 12, start: 34, namespace: "pid:[4026531836]".into() };
        assert_eq!(Owner::parse(&owner.label()), Some(owner));
        let old = Owner::parse("77").unwrap();
        assert_eq!((old.pid, old.start), (77, 0));
        assert_eq!(Owner::parse("x/1/ns"), None);
        assert_eq!(Owner::parse("1/2"), None);
    }

    #[test]
    fn this_process_is_alive_and_a_reused_pid_is_not_taken_for_it() {
        let me = Owner::current();
        assert_eq!(me.liveness(), Liveness::Alive);
        let reused = Owner { start: me.start + 1, ..me.clone() };
        assert_eq!(reused.liveness(), Liveness::Gone);
        assert_eq!(Owner { pid: u32::MAX - 1, start: 1, namespace: own_namespace() }.liveness(), Liveness::Gone);
    }

    /// An owner in a CI job's container: alive while a process of its namespace has its pid and
    /// start time; gone when its pid is not in its namespace, or the namespace is gone and this
    /// process sees the whole host; unknown when this process cannot see enough to tell.
    #[test]
    fn an_owner_of_another_namespace_is_judged_from_the_processes_seen() {
        let job = "pid:[4026532999]";
        let seen = |list: Vec<SeenProcess>, complete, initial_namespace| Processes { list, complete, initial_namespace };
        let shell = SeenProcess { namespace: job.into(), pid_in_namespace: 1, start: 500 };
        let nextest = SeenProcess { namespace: job.into(), pid_in_namespace: 40, start: 900 };
        let owner = Owner { pid: 40, start: 900, namespace: job.into() };
        assert_eq!(owner.liveness_elsewhere(&seen(vec![shell.clone(), nextest.clone()], true, true)), Liveness::Alive);
        // Its pid reused in that namespace by a later process.
        let later = SeenProcess { start: 950, ..nextest };
        assert_eq!(owner.liveness_elsewhere(&seen(vec![shell.clone(), later], true, true)), Liveness::Gone);
        // The job's container still runs, without it.
        assert_eq!(owner.liveness_elsewhere(&seen(vec![shell], true, false)), Liveness::Gone);
        // The container exited: its namespace is nowhere on the host.
        assert_eq!(owner.liveness_elsewhere(&seen(vec![], true, true)), Liveness::Gone);
        // Seen from inside another container, or without the rights to read every process (not
        // root, or a process whose namespace could not be read): the owner may be the one unseen.
        assert_eq!(owner.liveness_elsewhere(&seen(vec![], true, false)), Liveness::Unknown);
        assert_eq!(owner.liveness_elsewhere(&seen(vec![], false, true)), Liveness::Unknown);
        let shell = SeenProcess { namespace: job.into(), pid_in_namespace: 1, start: 500 };
        assert_eq!(owner.liveness_elsewhere(&seen(vec![shell], false, true)), Liveness::Unknown);
    }

    #[test]
    fn the_pid_in_its_own_namespace_is_the_last_of_nspid() {
        assert_eq!(ns_pid("Name:\tcargo\nNSpid:\t81234\t40\nNSpgid:\t1\n"), Some(40));
        assert_eq!(ns_pid("NSpid:\t7\n"), Some(7));
        assert_eq!(ns_pid("Name:\tx\n"), None);
    }

    /// A real process in a PID namespace of its own (`unshare`, as root): alive while it runs,
    /// gone once it and its namespace have ended.
    #[test]
    fn a_process_in_a_new_pid_namespace_is_alive_then_gone() {
        use std::time::{Duration, Instant};
        // `--kill-child`: the namespace's init dies with `unshare`.
        let Ok(mut unshare) = std::process::Command::new("unshare").args(["--pid", "--fork", "--kill-child", "sleep", "30"]).spawn() else {
            eprintln!("SKIPPED: no `unshare` here");
            return;
        };
        let children = format!("/proc/{0}/task/{0}/children", unshare.id());
        let deadline = Instant::now() + Duration::from_secs(10);
        // The forked `sleep`: pid 1 of the new namespace, the child of `unshare`.
        let inner = loop {
            let host_pid = std::fs::read_to_string(&children).ok().and_then(|c| c.split_whitespace().next()?.parse::<u32>().ok());
            let found = host_pid.and_then(|pid| {
                let namespace = std::fs::read_link(format!("/proc/{pid}/ns/pid")).ok()?.display().to_string();
                let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
                Some(Owner { pid: ns_pid(&status)?, start: start_time(pid)?, namespace })
            });
            if found.is_some() || Instant::now() > deadline || unshare.try_wait().ok().flatten().is_some() {
                break found;
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        let Some(owner) = inner.filter(|o| o.namespace != own_namespace()) else {
            let _ = unshare.kill();
            let _ = unshare.wait();
            eprintln!("SKIPPED: `unshare --pid` is not allowed here (not root)");
            return;
        };
        assert_eq!(owner.pid, 1);
        assert_eq!(owner.liveness(), Liveness::Alive);
        let _ = unshare.kill();
        let _ = unshare.wait();
        let deadline = Instant::now() + Duration::from_secs(10);
        while owner.liveness() == Liveness::Alive && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        let expected = if own_namespace() == INITIAL_PID_NAMESPACE { Liveness::Gone } else { Liveness::Unknown };
        assert_eq!(owner.liveness(), expected);
    }
}
