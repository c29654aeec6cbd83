//! Delete as user: remove a directory tree under the NodeManager's dirs with the user's identity,
//! so that a user's files are removed by no more power than the user has. The top entry, whose
//! parent may belong to the NodeManager (`<log dir>/<app>`), is removed as the NodeManager when
//! the user may not.

use std::path::PathBuf;

use crate::context::Context;
use crate::exit::Exit;
use crate::failure::Refused;
use crate::files;
use crate::paths;
use crate::privilege::acting_as;

/// The paths a delete request names: `sub_dir` under each base dir, or `sub_dir` itself.
pub fn targets(ctx: &Context, sub_dir: &str, base_dirs: &[String]) -> Result<Vec<PathBuf>, Refused> {
    if base_dirs.is_empty() {
        return Ok(vec![ctx.nm_path(sub_dir)?]);
    }
    let mut out = Vec::new();
    for base in base_dirs {
        let joined = if sub_dir.is_empty() {
            base.clone()
        } else {
            // A relative sub dir: no climbing out of the base.
            paths::plain(&format!("/{sub_dir}")).map_err(|e| Refused::new(Exit::InvalidNmRootDirs, e.to_string()))?;
            format!("{}/{sub_dir}", base.trim_end_matches('/'))
        };
        out.push(ctx.nm_path(&joined)?);
    }
    Ok(out)
}

/// Removes each target.
pub fn run(ctx: &Context, sub_dir: &str, base_dirs: &[String]) -> Result<(), Refused> {
    for target in targets(ctx, sub_dir, base_dirs)? {
        let who = &ctx.run_as;
        let fail = |e: std::io::Error| Refused::because(Exit::DeleteFailed, format!("delete {} as {}", target.display(), who.name), e);
        let switch = |e| Refused::because(Exit::SetuidFailed, "delete", e);
        acting_as(who.uid, who.gid, || files::remove_contents(&target)).map_err(switch)?.map_err(fail)?;
        let top = acting_as(who.uid, who.gid, || files::remove_tree(&target)).map_err(switch)?;
        if top.is_err() {
            // Now empty: the NodeManager unlinks it from the parent it owns, and nothing more.
            acting_as(ctx.nm_uid, ctx.nm_gid, || files::remove_empty(&target)).map_err(switch)?.map_err(fail)?;
        }
    }
    Ok(())
}
