//! Signal: as the user, send a signal to the process group a container leads (signal 0 asks
//! whether it is alive). Exit 9 says the container is gone; the NodeManager reads it so.

use nix::errno::Errno;
use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;

use crate::context::Context;
use crate::exit::Exit;
use crate::failure::Refused;
use crate::privilege::acting_as;

/// Sends `signal` to the group `pid` leads, or to `pid` alone when it leads none.
pub fn run(ctx: &Context, pid: i32, signal: i32) -> Result<(), Refused> {
    let sig = if signal == 0 {
        None
    } else {
        Some(Signal::try_from(signal).map_err(|e| Refused::because(Exit::UnableToSignal, format!("signal {signal}"), e))?)
    };
    let outcome = acting_as(ctx.run_as.uid, ctx.run_as.gid, || {
        let group = Pid::from_raw(-pid);
        let target = match kill(group, None) {
            Ok(()) => group,
            Err(_) => match kill(Pid::from_raw(pid), None) {
                Ok(()) => Pid::from_raw(pid),
                Err(e) => return Err(e),
            },
        };
        match sig {
            None => Ok(()),
            Some(s) => kill(target, s),
        }
    })
    .map_err(|e| Refused::because(Exit::SetuidFailed, "signal", e))?;
    match outcome {
        Ok(()) => Ok(()),
        Err(Errno::ESRCH) => Err(Refused::new(Exit::InvalidContainerPid, format!("no process {pid}: the container has ended"))),
        Err(e) => Err(Refused::because(Exit::UnableToSignal, format!("signal {signal} to {pid} as {}", ctx.run_as.name), e)),
    }
}
