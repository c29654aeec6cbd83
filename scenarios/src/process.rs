//! A helper program (a browser driver, a service under test) run as the leader of its own process
//! group, so that stopping it stops everything it started, and so that it stops when yarnsec does:
//! on drop, and through the kernel's parent-death signal if yarnsec dies without unwinding.

use std::io;
use std::process::ExitStatus;

use tokio::process::{Child, Command};

/// A running process group; its leader is `command`'s process.
#[derive(Debug)]
pub struct GroupChild {
    child: Child,
    signal: libc::c_int,
}

impl GroupChild {
    /// Spawns `command` in a process group of its own. The group gets `signal` (e.g.
    /// `libc::SIGKILL`, or `libc::SIGTERM` for a program that should clean up) when this value is
    /// dropped; the leader gets it when this process dies.
    pub fn spawn(mut command: Command, signal: libc::c_int) -> io::Result<Self> {
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
