//! List as user: the names in one directory, one per line on stdout (the NodeManager reads each
//! line as a name, so nothing else is printed there).

use crate::context::Context;
use crate::exit::Exit;
use crate::failure::Refused;
use crate::privilege::acting_as;

/// The names in `dir`, sorted, read as the user.
pub fn run(ctx: &Context, dir: &str) -> Result<Vec<String>, Refused> {
    let path = ctx.nm_path(dir)?;
    let read = acting_as(ctx.run_as.uid, ctx.run_as.gid, || -> std::io::Result<Vec<String>> {
        let mut names = Vec::new();
        for entry in std::fs::read_dir(&path)? {
            names.push(entry?.file_name().to_string_lossy().into_owned());
        }
        names.sort();
        Ok(names)
    })
    .map_err(|e| Refused::because(Exit::SetuidFailed, "list", e))?;
    read.map_err(|e| Refused::because(Exit::ListFailed, format!("list {dir} as {}", ctx.run_as.name), e))
}
