//! Building one image from its spec with the engine's classic builder (BuildKit would try to
//! pull a frontend image), streaming each build step to the progress display.

use std::collections::HashMap;
use std::future::Future;
use std::path::PathBuf;

use bollard::query_parameters::BuildImageOptions;
use bollard::Docker;
use futures::StreamExt;

use super::mirror::debian_mirror;
use super::sources::ImageSpec;
use crate::docker::PROJECT_LABEL;
use crate::error::HarnessError;
use crate::progress::Progress;

/// Whether the engine has an image with this tag.
pub async fn image_exists(docker: &Docker, tag: &str) -> bool {
    docker.inspect_image(tag).await.is_ok()
}

/// Returns the spec's tag, building the image first unless it exists (or `no_cache`).
/// `large_inputs` runs only when a build is needed and returns directories to add to the context
/// (e.g. the Hadoop jars, gathered by Maven).
pub async fn ensure_built<F, Fut>(
    docker: &Docker,
    spec: &ImageSpec,
    no_cache: bool,
    progress: &Progress,
    large_inputs: F,
) -> Result<String, HarnessError>
where
    F: FnOnce(Progress) -> Fut,
    Fut: Future<Output = Result<Vec<(String, PathBuf)>, HarnessError>>,
{
    let tag = spec.tag();
    if !no_cache && image_exists(docker, &tag).await {
        progress.step(format!("image {}", spec.role)).done(&format!("{tag} (cached)"));
        return Ok(tag);
    }
    let dirs = large_inputs(progress.clone()).await?;
    let step = progress.step(format!("image {}", spec.role));
    step.message("packing the build context");
    let context = {
        let spec = spec.clone();
        tokio::task::spawn_blocking(move || pack_context(&spec, &dirs)).await.expect("packing does not panic")?
    };
    let options = BuildImageOptions {
        dockerfile: "Dockerfile".into(),
        t: Some(tag.clone()),
        rm: true,
        forcerm: true,
        nocache: no_cache,
        buildargs: Some(spec.build_args.clone().into_iter().collect::<HashMap<_, _>>()),
        labels: Some(HashMap::from([
            (PROJECT_LABEL.to_string(), "yarnsec".to_string()),
            (super::prune::VARIANT_LABEL.to_string(), spec.variant.clone()),
        ])),
        ..Default::default()
    };
    let mut stream = docker.build_image(options, None, Some(bollard::body_full(context.into())));
    let mut tail: Vec<String> = Vec::new();
    let fail = |detail: String, tail: &[String]| HarnessError::ImageBuild {
        image: tag.clone(),
        detail,
        log_tail: tail.join("\n"),
        mirror: debian_mirror(),
    };
    while let Some(item) = stream.next().await {
        let info = match item {
            Ok(info) => info,
            Err(e) => {
                step.fail();
                return Err(fail(e.to_string(), &tail));
            }
        };
        if let Some(text) = info.stream {
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                if line.starts_with("Step ") {
                    step.message(line.to_string());
                }
                tail.push(line.to_string());
                if tail.len() > 30 {
                    tail.remove(0);
                }
            }
        }
        if let Some(detail) = info.error_detail.and_then(|d| d.message) {
            step.fail();
            return Err(fail(detail, &tail));
        }
    }
    if !image_exists(docker, &tag).await {
        step.fail();
        return Err(fail("the build ended without producing the image".into(), &tail));
    }
    let (removed, freed) = super::prune::prune_older(docker, &tag, &spec.variant).await;
    if removed.is_empty() {
        step.done(&format!("{tag} (built)"));
    } else {
        step.done(&format!("{tag} (built; removed {} older {} image(s), {} MB)", removed.len(), spec.repo, freed / 1_000_000));
    }
    Ok(tag)
}

/// A tar of the Dockerfile, the spec's files and the given directories.
fn pack_context(spec: &ImageSpec, dirs: &[(String, PathBuf)]) -> Result<Vec<u8>, HarnessError> {
    let mut tar = tar::Builder::new(Vec::new());
    let mut add = |path: &str, data: &[u8], mode: u32| -> std::io::Result<()> {
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(mode);
        header.set_cksum();
        tar.append_data(&mut header, path, data)
    };
    add("Dockerfile", spec.dockerfile.as_bytes(), 0o644).map_err(HarnessError::io("Dockerfile"))?;
    for (path, content, mode) in &spec.files {
        add(path, content, *mode).map_err(HarnessError::io(path))?;
    }
    for (name, dir) in dirs {
        tar.append_dir_all(name, dir).map_err(HarnessError::io(dir))?;
    }
    tar.into_inner().map_err(HarnessError::io("build context"))
}
