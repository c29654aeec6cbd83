//! Launch: make a container's directories, copy its script and tokens in as the user, and run
//! the script as the user in a session of its own; the helper waits for it, then writes the
//! exit-code file beside the pid file and exits with the same code. The NodeManager waits on
//! the helper for the container's whole life and reads the pid file to signal it.

use std::convert::Infallible;
use std::path::PathBuf;

use nix::sys::wait::waitpid;
use nix::unistd::{fork, setsid, ForkResult};

use crate::context::Context;
use crate::exit::Exit;
use crate::failure::Refused;
use crate::files;
use crate::privilege::{acting_as, become_user};
use crate::process;

/// The checked request.
#[derive(Debug)]
pub struct Plan {
    /// Application id.
    pub app: String,
    /// Container id.
    pub container: String,
    /// `<local dir>/usercache/<user>/appcache/<app>/<container>`.
    pub work_dir: PathBuf,
    /// The NodeManager's `launch_container.sh`.
    pub script: PathBuf,
    /// The NodeManager's copy of the container's tokens.
    pub tokens: PathBuf,
    /// Where the container's pid goes (`.exitcode` beside it).
    pub pid_file: PathBuf,
    /// Local dirs, each one of the configuration's.
    pub locals: Vec<PathBuf>,
    /// Log dirs, each one of the configuration's.
    pub logs: Vec<PathBuf>,
}

/// Checks the request: ids, dirs, and that the work dir is the user's container dir in a local dir.
#[allow(clippy::too_many_arguments)]
pub fn plan(
    ctx: &Context,
    app: &str,
    container: &str,
    work_dir: &std::path::Path,
    script: &std::path::Path,
    tokens: &std::path::Path,
    pid_file: &std::path::Path,
    local_dirs: &[String],
    log_dirs: &[String],
) -> Result<Plan, Refused> {
    let app = ctx.id("application id", app)?.to_string();
    let container = ctx.id("container id", container)?.to_string();
    let work_dir = ctx.local_path(&work_dir.to_string_lossy())?;
    let locals = ctx.roots(local_dirs, &ctx.cfg.local_dirs, "local")?;
    let logs = ctx.roots(log_dirs, &ctx.cfg.log_dirs, "log")?;
    if !locals.iter().any(|l| ctx.app_dir(l, &app).join(&container) == work_dir) {
        return Err(Refused::new(
            Exit::InvalidNmRootDirs,
            format!("work dir {} is not <local dir>/usercache/{}/appcache/{app}/{container}", work_dir.display(), ctx.user),
        ));
    }
    Ok(Plan {
        script: ctx.local_path(&script.to_string_lossy())?,
        tokens: ctx.local_path(&tokens.to_string_lossy())?,
        pid_file: ctx.local_path(&pid_file.to_string_lossy())?,
        app,
        container,
        work_dir,
        locals,
        logs,
    })
}

/// Runs the container and waits for it; the result is the container's exit status.
pub fn run(ctx: &Context, plan: &Plan) -> Result<i32, Refused> {
    let switch = |e| Refused::because(Exit::SetuidFailed, "launch", e);
    let (script, tokens) =
        acting_as(ctx.nm_uid, ctx.nm_gid, || Ok::<_, std::io::Error>((files::read_plain(&plan.script)?, files::read_plain(&plan.tokens)?)))
            .map_err(switch)?
            .map_err(|e| Refused::because(Exit::InvalidNmRootDirs, "read the NodeManager's script and tokens", e))?;
    // SAFETY: the helper runs one thread; the child only makes files and calls execv.
    match unsafe { fork() }.map_err(|e| Refused::because(Exit::UnableToExecuteScript, "fork", e))? {
        ForkResult::Child => {
            let Err(r) = child(ctx, plan, &script, &tokens);
            eprintln!("container-executor: {}", r.message);
            std::process::exit(r.exit.code());
        }
        ForkResult::Parent { child } => {
            let status = waitpid(child, None).map_err(|e| Refused::because(Exit::UnableToExecuteScript, "wait for the container", e))?;
            let code = process::exit_status(status).unwrap_or(Exit::UnableToExecuteScript.code());
            let mut exit_file = plan.pid_file.clone().into_os_string();
            exit_file.push(".exitcode");
            acting_as(ctx.nm_uid, ctx.nm_gid, || files::write_atomically(&PathBuf::from(exit_file), &format!("{code}\n")))
                .map_err(switch)?
                .map_err(|e| Refused::because(Exit::WritePidFileFailed, "write the exit-code file", e))?;
            Ok(code)
        }
    }
}

fn child(ctx: &Context, plan: &Plan, script: &[u8], tokens: &[u8]) -> Result<Infallible, Refused> {
    let switch = |e| Refused::because(Exit::SetuidFailed, "launch", e);
    let pid = setsid().map_err(|e| Refused::because(Exit::SetsidFailed, "setsid", e))?;
    acting_as(ctx.nm_uid, ctx.nm_gid, || files::write_atomically(&plan.pid_file, &format!("{pid}\n")))
        .map_err(switch)?
        .map_err(|e| Refused::because(Exit::WritePidFileFailed, plan.pid_file.display(), e))?;
    let owner = Some((ctx.run_as.uid, ctx.nm_gid));
    for local in &plan.locals {
        let dir = ctx.user_dir(local);
        files::make_dir(&dir, 0o2750, owner).map_err(|e| Refused::because(Exit::InitializeUserFailed, dir.display(), e))?;
    }
    for log in &plan.logs {
        let dir = log.join(&plan.app);
        files::make_dir(&dir, 0o2750, owner).map_err(|e| Refused::because(Exit::CouldNotCreateAppLogDirectories, dir.display(), e))?;
    }
    acting_as(ctx.run_as.uid, ctx.nm_gid, || -> Result<(), Refused> {
        for local in &plan.locals {
            let app_dir = ctx.app_dir(local, &plan.app);
            let work = app_dir.join(&plan.container);
            files::make_dir(&ctx.user_dir(local).join("appcache"), 0o2750, None)
                .and_then(|()| files::make_dir(&app_dir, 0o2750, None))
                .and_then(|()| files::make_dir(&work, 0o2710, None))
                .map_err(|e| Refused::because(Exit::CouldNotCreateWorkDirectories, work.display(), e))?;
        }
        for log in &plan.logs {
            let dir = log.join(&plan.app).join(&plan.container);
            files::make_dir(&dir, 0o2750, None).map_err(|e| Refused::because(Exit::CouldNotCreateAppLogDirectories, dir.display(), e))?;
        }
        let tmp = plan.work_dir.join("tmp");
        files::make_dir(&tmp, 0o2710, None).map_err(|e| Refused::because(Exit::CouldNotCreateTmpDirectories, tmp.display(), e))
    })
    .map_err(switch)??;
    become_user(&ctx.run_as).map_err(switch)?;
    let copy = plan.work_dir.join("launch_container.sh");
    files::write_plain(&copy, script, 0o700).map_err(|e| Refused::because(Exit::CouldNotCreateScriptCopy, copy.display(), e))?;
    let creds = plan.work_dir.join("container_tokens");
    files::write_plain(&creds, tokens, 0o600).map_err(|e| Refused::because(Exit::CouldNotCreateCredentialsFile, creds.display(), e))?;
    let argv = [copy.to_string_lossy().into_owned()];
    process::exec_in(&plan.work_dir, Some(0o027), &argv).map_err(|e| Refused::because(Exit::UnableToExecuteScript, copy.display(), e))
}
