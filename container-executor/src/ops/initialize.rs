//! Initialize: before an application's first container, make the user's and the application's
//! directories in every local dir and its log dir in every log dir, copy the application's
//! tokens into its directory as the user, and run the NodeManager's localizer there as the user.

use std::convert::Infallible;
use std::path::PathBuf;

use crate::context::Context;
use crate::exit::Exit;
use crate::failure::Refused;
use crate::files;
use crate::privilege::{acting_as, become_user};
use crate::{paths, process};

/// The checked request.
#[derive(Debug)]
pub struct Plan {
    /// Application id.
    pub app: String,
    /// The localizer's id (a container id).
    pub localizer: String,
    /// The NodeManager's copy of the tokens (under a local dir).
    pub tokens: PathBuf,
    /// Local dirs, each one of the configuration's.
    pub locals: Vec<PathBuf>,
    /// Log dirs, each one of the configuration's.
    pub logs: Vec<PathBuf>,
    /// The localizer's command line; its program an absolute path.
    pub program: Vec<String>,
}

/// Checks the request's names and paths.
pub fn plan(
    ctx: &Context,
    app: &str,
    localizer: &str,
    tokens: &std::path::Path,
    local_dirs: &[String],
    log_dirs: &[String],
    program: &[String],
) -> Result<Plan, Refused> {
    let app = ctx.id("application id", app)?.to_string();
    let localizer = ctx.id("localizer id", localizer)?.to_string();
    if !localizer.starts_with("container_") {
        return Err(Refused::new(Exit::InvalidArgumentNumber, format!("localizer id `{localizer}` is not a container id")));
    }
    let tokens = ctx.local_path(&tokens.to_string_lossy())?;
    let locals = ctx.roots(local_dirs, &ctx.cfg.local_dirs, "local")?;
    let logs = ctx.roots(log_dirs, &ctx.cfg.log_dirs, "log")?;
    match program.first() {
        Some(p) if paths::plain(p).is_ok() => {}
        other => {
            return Err(Refused::new(Exit::InvalidArgumentNumber, format!("the localizer's program {other:?} is not an absolute path")))
        }
    }
    Ok(Plan { app, localizer, tokens, locals, logs, program: program.to_vec() })
}

/// Makes the directories, copies the tokens and runs the localizer as the user; returns only on failure.
pub fn run(ctx: &Context, plan: &Plan) -> Result<Infallible, Refused> {
    let owner = Some((ctx.run_as.uid, ctx.nm_gid));
    let user_failed = |what: String| move |e: std::io::Error| Refused::because(Exit::InitializeUserFailed, what, e);
    for local in &plan.locals {
        let dir = ctx.user_dir(local);
        files::make_dir(&dir, 0o2750, owner).map_err(user_failed(format!("make {}", dir.display())))?;
    }
    for log in &plan.logs {
        for dir in [log.join(&plan.app), log.join(&plan.app).join(&plan.localizer)] {
            files::make_dir(&dir, 0o2750, owner).map_err(|e| Refused::because(Exit::CouldNotCreateAppLogDirectories, dir.display(), e))?;
        }
    }
    let switch = |e| Refused::because(Exit::SetuidFailed, "initialize", e);
    let tokens = acting_as(ctx.nm_uid, ctx.nm_gid, || files::read_plain(&plan.tokens))
        .map_err(switch)?
        .map_err(|e| Refused::because(Exit::CouldNotCreateCredentialsFile, format!("read {}", plan.tokens.display()), e))?;
    let mut app_dirs = Vec::new();
    for local in &plan.locals {
        let app_dir = ctx.app_dir(local, &plan.app);
        acting_as(ctx.run_as.uid, ctx.nm_gid, || {
            files::make_dir(&ctx.user_dir(local).join("appcache"), 0o2750, None)?;
            files::make_dir(&app_dir, 0o2750, None)
        })
        .map_err(switch)?
        .map_err(user_failed(format!("make {}", app_dir.display())))?;
        app_dirs.push(app_dir);
    }
    let first = &app_dirs[0];
    become_user(&ctx.run_as).map_err(switch)?;
    let name = plan.tokens.file_name().expect("a plain path has a last component");
    files::write_plain(&first.join(name), &tokens, 0o600)
        .map_err(|e| Refused::because(Exit::CouldNotCreateCredentialsFile, first.join(name).display(), e))?;
    process::exec_in(first, None, &plan.program).map_err(|e| Refused::because(Exit::UnableToExecuteScript, &plan.program[0], e))
}
