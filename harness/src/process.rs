//! Host processes that work for a cluster (a browser driver and its browser, a service under
//! test): each runs as the leader of its own process group and carries the cluster's id in its
//! environment, which its children inherit. Stopping it stops everything it started; it stops
//! when yarnsec does (on drop, and through the kernel's parent-death signal if yarnsec dies
//! without unwinding); and whatever escapes both (a browser whose driver was killed) is found by
//! that id and killed when the cluster is removed, by this process or by a later `yarnsec down`.
//!
//! ```no_run
//! # fn demo() -> std::io::Result<()> {
//! use yarnsec_harness::process::{kill_labelled, GroupChild};
//! let mut command = tokio::process::Command::new("sleep");
//! command.arg("600");
//! let child = GroupChild::spawn(command, "yarnsec-042-beef", libc::SIGTERM)?;
//! drop(child); // the group gets SIGTERM
//! kill_labelled("yarnsec-042-beef"); // and anything of that cluster's that escaped it
//! # Ok(()) }
//! ```

use std::io;
use std::process::ExitStatus;

use tokio::process::{Child, Command};

/// The environment variable naming the cluster a helper process works for.
pub const CLUSTER_ENV: &str = "YARNSEC_CLUSTER_ID";

/// A running process group; its leader is `command`'s process.
#[derive(Debug)]
pub struct GroupChild {
    child: Child,
    signal: libc::c_int,
}

impl GroupChild {
    /// Spawns `command` in a process group of its own, labelled with `cluster_id`. The group gets
    /// `signal` (e.g. `libc::SIGKILL`, or `libc::SIGTERM` for a program that should clean up)
    /// when this value is dropped; the leader gets it when this process dies.
    pub fn spawn(mut command: Command, cluster_id: &str, signal: libc::c_int) -> io::Result<Self> {
        command.env(CLUSTER_ENV, cluster_id);
        // SAFETY: prctl(2) is async-signal-safe and touches no memory of the parent.
        unsafe {
            command.pre_exec(move || {
                libc::prctl(libc::PR_SET_PDEATHSIG, signal);
                Ok(())
            });
        }
        let child = command.process_group(0).kill_on_drop(true).spawn()?;
        Ok(Self { child, signal })
    }

    /// The leader's process id (`None` once it was reaped).
    pub fn id(&self) -> Option<u32> {
        self.child.id()
    }

    /// The leader's exit status, if it has exited.
    pub fn try_wait(&mut self) -> io::Result<Option<ExitStatus>> {
        self.child.try_wait()
    }

    /// Signals the whole group and the leader.
    pub fn stop(&mut self) {
        if let Some(pid) = self.child.id() {
            // SAFETY: kill(2) on the process group this value started; no memory is involved.
            unsafe {
                libc::kill(-(pid as libc::pid_t), self.signal);
            }
        }
        let _ = self.child.start_kill();
    }
}

impl Drop for GroupChild {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Kills (SIGKILL) every process of this PID namespace whose environment names `cluster_id` in
/// [`CLUSTER_ENV`], except this process; returns their ids. Processes whose environment cannot be
/// read (another user's, without privileges) are left alone.
pub fn kill_labelled(cluster_id: &str) -> Vec<u32> {
    labelled(cluster_id)
        .into_iter()
        // SAFETY: kill(2) with a pid read from /proc; no memory is involved.
        .filter(|pid| unsafe { libc::kill(*pid as libc::pid_t, libc::SIGKILL) } == 0)
        .collect()
}

/// The processes of this PID namespace labelled with `cluster_id` (see [`kill_labelled`]).
pub fn labelled(cluster_id: &str) -> Vec<u32> {
    let wanted = format!("{CLUSTER_ENV}={cluster_id}");
    let Ok(entries) = std::fs::read_dir("/proc") else { return Vec::new() };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.parse::<u32>().ok()))
        .filter(|pid| *pid != std::process::id())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/environ")).is_ok_and(|env| env.split(|b| *b == 0).any(|var| var == wanted.as_bytes()))
        })
        .collect()
}
