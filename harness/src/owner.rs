//! Who owns a cluster: the process whose end makes the cluster a leftover.
//!
//! Every container and network of a cluster carries its owner as a label. A later yarnsec (a
//! `yarnsec down`, the next start's sweep) reads it to tell a cluster whose owner still runs from
//! one a killed process left behind. A process id alone cannot say that: ids are reused, and a
//! process in another PID namespace (a CI job in a container sharing the host's engine) has ids
//! that mean nothing here. So the owner is the pid, the process's start time (clock ticks since
//! boot, from `/proc/<pid>/stat`) and the PID namespace it lives in.
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
    /// It lives in another PID namespace: this process cannot tell.
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

    /// Whether this owner still runs.
    pub fn liveness(&self) -> Liveness {
        if self.namespace != own_namespace() {
            return Liveness::Unknown;
        }
        match start_time(self.pid) {
            None => Liveness::Gone,
            Some(start) if self.start != 0 && start != self.start => Liveness::Gone,
            Some(_) => Liveness::Alive,
        }
    }
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

/// Field 22 of `/proc/<pid>/stat`: the start time in clock ticks since boot.
fn start_time(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
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
    fn this_process_is_alive_and_a_reused_pid_or_another_namespace_is_not_taken_for_it() {
        let me = Owner::current();
        assert_eq!(me.liveness(), Liveness::Alive);
        let reused = Owner { start: me.start + 1, ..me.clone() };
        assert_eq!(reused.liveness(), Liveness::Gone);
        let elsewhere = Owner { namespace: "pid:[1]".into(), ..me };
        assert_eq!(elsewhere.liveness(), Liveness::Unknown);
        assert_eq!(Owner { pid: u32::MAX - 1, start: 1, namespace: own_namespace() }.liveness(), Liveness::Gone);
    }
}
