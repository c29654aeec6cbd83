//! Pure-Python packages from PyPI for the edge node (`pip = ["skein==0.8.2"]` in a service file):
//! what a team's submitter needs that Debian does not package. Like Hadoop's jars, they are
//! fetched on this host (HTTPS works only with the host's trust store), by `pip download`, pinned
//! and without their dependencies (those come from Debian's `python3-…` packages, or are listed
//! too), then unpacked into the cache and mounted read-only on the edge node, where Python finds
//! them. A pure wheel (`*-none-any.whl`) is unpacked where Python imports it; a package PyPI has
//! only as a source archive (pyspark, which carries Spark's `bin/` and `jars/`) is unpacked as it
//! is, under its own directory (`pyspark-3.5.3/`), for its files. A compiled wheel is refused:
//! it would have to match the edge node's Python and C libraries, which Debian's packages do.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use sha2::{Digest, Sha256};
use tokio::process::Command;

use crate::error::HarnessError;
use crate::progress::Progress;

/// Checks a list of pip requirements: each pinned as `name==version`.
///
/// ```
/// use yarnsec_harness::images::check_pip;
/// assert!(check_pip(&["skein==0.8.2".into(), "pyspark==3.5.3".into()]).is_ok());
/// assert!(check_pip(&["skein".into()]).unwrap_err().contains("skein==<version>"));
/// assert!(check_pip(&["x==1; rm -rf /".into()]).is_err());
/// ```
pub fn check_pip(requirements: &[String]) -> Result<(), String> {
    for r in requirements {
        let Some((name, version)) = r.split_once("==") else {
            return Err(format!(
                "`{r}` is not pinned: write `{r}==<version>` (the cache keeps what was fetched, so the version must be fixed)"
            ));
        };
        let name_ok = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
        let version_ok = !version.is_empty() && version.chars().all(|c| c.is_ascii_alphanumeric() || "._+!-".contains(c));
        if !name_ok || !version_ok {
            return Err(format!("`{r}` is not a pinned PyPI requirement (`name==version`, letters, digits, `-_.`)"));
        }
    }
    Ok(())
}

/// The directory (in the cache) where `requirements` are unpacked, fetching them first when this
/// host has not: a directory to put on Python's path.
pub async fn python_site(requirements: &[String], progress: &Progress) -> Result<PathBuf, HarnessError> {
    check_pip(requirements).map_err(|detail| HarnessError::HostTool {
        tool: "pip".into(),
        detail,
        log_tail: String::new(),
        hint: "fix `pip` in the service file".into(),
    })?;
    let mut sorted = requirements.to_vec();
    sorted.sort();
    let key = hex::encode(&Sha256::digest(sorted.join("\n").as_bytes())[..8]);
    let root = super::cache_dir().join("pip").join(&key);
    let site = root.join("site");
    let done = root.join(".complete");
    if done.exists() && site.is_dir() {
        return Ok(site);
    }
    let step = progress.step(format!("pip: {}", sorted.join(" ")));
    let _ = std::fs::remove_dir_all(&root);
    let wheels = root.join("wheels");
    std::fs::create_dir_all(&wheels).map_err(HarnessError::io(&wheels))?;
    let out = Command::new("python3")
        .args(["-m", "pip", "download", "--no-deps", "--prefer-binary", "--disable-pip-version-check", "--dest"])
        .arg(&wheels)
        .args(&sorted)
        .stdin(Stdio::null())
        .output()
        .await
        .map_err(|e| pip_error(e.to_string(), String::new()))?;
    if !out.status.success() {
        step.fail();
        let log = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        return Err(pip_error(format!("pip download exited {}", out.status), log));
    }
    for entry in std::fs::read_dir(&wheels).map_err(HarnessError::io(&wheels))? {
        let path = entry.map_err(HarnessError::io(&wheels))?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        if name.ends_with(".tar.gz") {
            if let Err(e) = untar(&path, &site).await {
                step.fail();
                return Err(e);
            }
            continue;
        }
        if !name.ends_with("-none-any.whl") {
            step.fail();
            return Err(pip_error(
                format!("{name} is neither a pure-Python wheel (`*-none-any.whl`) nor a `.tar.gz` source archive (a compiled wheel holds code for one Python and one platform)"),
                String::new(),
            ));
        }
        if let Err(e) = unpack(&path, &site) {
            step.fail();
            return Err(e);
        }
    }
    std::fs::write(&done, sorted.join("\n")).map_err(HarnessError::io(&done))?;
    step.done("unpacked");
    Ok(site)
}

fn pip_error(detail: String, log_tail: String) -> HarnessError {
    HarnessError::HostTool {
        tool: "pip".into(),
        detail,
        log_tail,
        hint: "pip runs on this host (`apt-get install python3-pip`; `./yarnsec setup` installs it) and must reach PyPI; list compiled packages as Debian ones in `packages` (python3-grpcio, …)".into(),
    }
}

/// Unpacks a source archive into `site` as it is (GNU tar refuses members that would land
/// outside it, and keeps the archive's modes).
async fn untar(archive: &Path, site: &Path) -> Result<(), HarnessError> {
    std::fs::create_dir_all(site).map_err(HarnessError::io(site))?;
    let out = Command::new("tar")
        .arg("-xzf")
        .arg(archive)
        .arg("-C")
        .arg(site)
        .arg("--no-same-owner")
        .output()
        .await
        .map_err(|e| pip_error(format!("tar: {e}"), String::new()))?;
    if !out.status.success() {
        return Err(pip_error(format!("unpacking {} failed", archive.display()), String::from_utf8_lossy(&out.stderr).into_owned()));
    }
    Ok(())
}

/// Unpacks a wheel (a zip) into `site`, refusing entries that would land outside it.
fn unpack(wheel: &Path, site: &Path) -> Result<(), HarnessError> {
    let file = std::fs::File::open(wheel).map_err(HarnessError::io(wheel))?;
    let mut zip = zip::ZipArchive::new(file).map_err(|e| pip_error(format!("{} is not a wheel: {e}", wheel.display()), String::new()))?;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|e| pip_error(format!("{}: {e}", wheel.display()), String::new()))?;
        let Some(relative) = entry.enclosed_name() else {
            return Err(pip_error(format!("{} holds an entry outside itself: {}", wheel.display(), entry.name()), String::new()));
        };
        let target = site.join(relative);
        if entry.is_dir() {
            std::fs::create_dir_all(&target).map_err(HarnessError::io(&target))?;
            continue;
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(HarnessError::io(parent))?;
        }
        let mut out = std::fs::File::create(&target).map_err(HarnessError::io(&target))?;
        std::io::copy(&mut entry, &mut out).map_err(HarnessError::io(&target))?;
        // Scripts in a wheel (a launcher's bin/) keep their execute bit.
        if let Some(mode) = entry.unix_mode() {
            use std::os::unix::fs::PermissionsExt as _;
            let _ = std::fs::set_permissions(&target, std::fs::Permissions::from_mode(mode & 0o755 | 0o644));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn a_wheel_is_unpacked_inside_its_directory_only() {
        let dir = tempfile::tempdir().unwrap();
        let wheel = dir.path().join("x-1-py3-none-any.whl");
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&wheel).unwrap());
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored).unix_permissions(0o755);
        zip.start_file("x/bin/run", options).unwrap();
        zip.write_all(b"#!/bin/sh\n").unwrap();
        zip.finish().unwrap();
        let site = dir.path().join("site");
        unpack(&wheel, &site).unwrap();
        use std::os::unix::fs::PermissionsExt as _;
        assert_eq!(std::fs::metadata(site.join("x/bin/run")).unwrap().permissions().mode() & 0o777, 0o755);

        let evil = dir.path().join("evil-1-py3-none-any.whl");
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&evil).unwrap());
        zip.start_file("../outside", zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(b"x").unwrap();
        zip.finish().unwrap();
        assert!(unpack(&evil, &site).unwrap_err().to_string().contains("outside itself"));
        assert!(!dir.path().join("outside").exists());
    }
}
