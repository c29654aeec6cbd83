//! The base image: `debian:bookworm-slim` when the engine already has it, else a minimal Debian
//! root made with `debootstrap` on the host and imported (no registry is reachable here).

use std::process::Stdio;

use bollard::query_parameters::CreateImageOptions;
use bollard::Docker;
use futures::StreamExt;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

use super::build::image_exists;
use super::maven::cache_dir;
use crate::error::HarnessError;
use crate::progress::Progress;

/// An image the engine may already hold that serves as the base.
pub const DEBIAN_SLIM: &str = "debian:bookworm-slim";

/// Returns the base image's tag, making it if needed.
pub async fn ensure_base(docker: &Docker, mirror: &str, no_cache: bool, progress: &Progress) -> Result<String, HarnessError> {
    if image_exists(docker, DEBIAN_SLIM).await {
        progress.step("image base").done(&format!("{DEBIAN_SLIM} (present)"));
        return Ok(DEBIAN_SLIM.to_string());
    }
    let digest = hex::encode(Sha256::digest(format!("debootstrap --variant=minbase bookworm {mirror}")));
    let tag = format!("yarnsec/base:bookworm-{}", &digest[..12]);
    if !no_cache && image_exists(docker, &tag).await {
        progress.step("image base").done(&format!("{tag} (cached)"));
        return Ok(tag);
    }
    let step = progress.step("image base: debootstrap bookworm");
    let root = cache_dir().join("rootfs");
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.parent().expect("the root has a parent")).map_err(HarnessError::io(&root))?;
    let tool_error = |detail: String, log_tail: String| HarnessError::HostTool {
        tool: "debootstrap".into(),
        detail,
        log_tail,
        hint: format!(
            "it must run as root with the `debootstrap` package installed (`apt-get install -y debootstrap`), and reach {mirror} over HTTP"
        ),
    };
    let mut child = Command::new("debootstrap")
        .args(["--variant=minbase", "bookworm"])
        .arg(&root)
        .arg(mirror)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| tool_error(e.to_string(), String::new()))?;
    let mut lines = BufReader::new(child.stdout.take().expect("stdout is piped")).lines();
    let mut tail = Vec::new();
    while let Ok(Some(line)) = lines.next_line().await {
        step.message(line.clone());
        tail.push(line);
    }
    let out = child.wait_with_output().await.map_err(HarnessError::io("debootstrap"))?;
    if !out.status.success() {
        step.fail();
        let start = tail.len().saturating_sub(20);
        return Err(tool_error(
            format!("exit status {}", out.status),
            format!("{}\n{}", tail[start..].join("\n"), String::from_utf8_lossy(&out.stderr)),
        ));
    }
    step.message("importing the root into the engine");
    let tar = Command::new("tar").arg("-C").arg(&root).args(["-c", "."]).output().await.map_err(HarnessError::io("tar"))?;
    if !tar.status.success() {
        step.fail();
        return Err(tool_error(format!("tar of {} failed", root.display()), String::from_utf8_lossy(&tar.stderr).into_owned()));
    }
    let (repo, version) = tag.split_once(':').expect("the tag has a version");
    let options =
        CreateImageOptions { from_src: Some("-".into()), repo: Some(repo.into()), tag: Some(version.into()), ..Default::default() };
    let mut stream = docker.create_image(Some(options), Some(bollard::body_full(tar.stdout.into())), None);
    while let Some(item) = stream.next().await {
        if let Err(e) = item {
            step.fail();
            return Err(HarnessError::ImageBuild { image: tag, detail: e.to_string(), log_tail: String::new(), mirror: mirror.into() });
        }
    }
    let _ = std::fs::remove_dir_all(&root);
    step.done(&format!("{tag} (imported)"));
    Ok(tag)
}
