//! Running the user's program: from a directory, with a umask, stdin closed, by `execv`; and the
//! exit status the NodeManager expects of a launch (the code, or 128 + the signal).

use std::convert::Infallible;
use std::ffi::CString;
use std::path::Path;

use nix::sys::stat::{umask, Mode};
use nix::sys::wait::WaitStatus;

/// Replaces this process with `argv[0]` run with `argv`, from `dir`; returns only on failure.
pub fn exec_in(dir: &Path, mask: Option<u32>, argv: &[String]) -> std::io::Result<Infallible> {
    std::env::set_current_dir(dir)?;
    if let Some(m) = mask {
        umask(Mode::from_bits_truncate(m));
    }
    // The user's program reads nothing from the NodeManager's stdin.
    let null = std::fs::File::open("/dev/null")?;
    nix::unistd::dup2_stdin(null).map_err(std::io::Error::from)?;
    let args: Vec<CString> = argv
        .iter()
        .map(|a| {
            CString::new(a.as_bytes()).map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidInput, "an argument holds a NUL byte"))
        })
        .collect::<Result<_, _>>()?;
    Err(std::io::Error::from(nix::unistd::execv(&args[0], &args).unwrap_err()))
}

/// The exit status of a launch for `status`: the program's code, or 128 + the signal that ended it.
///
/// ```
/// use nix::sys::{signal::Signal, wait::WaitStatus};
/// use nix::unistd::Pid;
/// use yarnsec_container_executor::process::exit_status;
/// assert_eq!(exit_status(WaitStatus::Exited(Pid::from_raw(7), 3)), Some(3));
/// assert_eq!(exit_status(WaitStatus::Signaled(Pid::from_raw(7), Signal::SIGKILL, false)), Some(137));
/// ```
pub fn exit_status(status: WaitStatus) -> Option<i32> {
    match status {
        WaitStatus::Exited(_, code) => Some(code),
        WaitStatus::Signaled(_, sig, _) => Some(128 + sig as i32),
        _ => None,
    }
}
