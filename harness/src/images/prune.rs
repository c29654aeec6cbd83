//! Old images of one repository, removed when a new one is built: every new service binary or
//! package list makes a new image of 300–800 MB, and without this they pile up.
//!
//! The [`KEEP`] newest images of a repository stay (another checkout or a rerun with the previous
//! binary finds its image), and so does any image a container uses: the engine refuses to remove
//! it without force, and yarnsec never forces. Only images of the same variant replace each other
//! ([`VARIANT_LABEL`]): the images of two service files' package lists live side by side, so that
//! one run's build never removes the image a run beside it is about to start (it did: two
//! references run at once, one failed with "failed to pull the image").

use bollard::query_parameters::{ListImagesOptions, RemoveImageOptions};
use bollard::Docker;

/// How many images of one repository and variant stay, the one just built included.
pub const KEEP: usize = 3;

/// The label that holds an image's variant ([`super::sources::ImageSpec::variant`]); an image
/// without it (built before the label) counts as the repository's plain variant.
pub const VARIANT_LABEL: &str = "dev.yarnsec.variant";

/// One image of the repository: its tag, its creation time (seconds) and size (bytes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tagged {
    /// `repo:tag`.
    pub tag: String,
    /// Seconds since the epoch.
    pub created: i64,
    /// Bytes.
    pub size: i64,
    /// Its variant (empty: the plain one).
    pub variant: String,
}

/// Which tags to remove: of the images of `variant`, all but the `keep` newest, never `current`.
///
/// ```
/// use yarnsec_harness::images::prune::{to_remove, Tagged};
/// let t = |tag: &str, created, variant: &str| Tagged { tag: tag.into(), created, size: 1, variant: variant.into() };
/// let images = [t("r:a", 1, ""), t("r:b", 2, ""), t("r:p", 3, "packages: jq"), t("r:c", 4, "")];
/// assert_eq!(to_remove(&images, 2, "r:c", ""), vec!["r:a".to_string()]);
/// assert!(to_remove(&images, 1, "r:p", "packages: jq").is_empty());
/// ```
pub fn to_remove(images: &[Tagged], keep: usize, current: &str, variant: &str) -> Vec<String> {
    let mut newest_first: Vec<&Tagged> = images.iter().filter(|i| i.tag != current && i.variant == variant).collect();
    newest_first.sort_by(|a, b| b.created.cmp(&a.created).then_with(|| a.tag.cmp(&b.tag)));
    newest_first.into_iter().skip(keep.saturating_sub(1)).map(|i| i.tag.clone()).collect()
}

/// Removes the images of `current`'s repository that [`to_remove`] names, and returns the tags
/// removed and the bytes freed. An image the engine will not remove (a container uses it) stays;
/// a listing that fails removes nothing: pruning never fails a build.
pub async fn prune_older(docker: &Docker, current: &str, variant: &str) -> (Vec<String>, i64) {
    let Some((repo, _)) = current.rsplit_once(':') else { return (Vec::new(), 0) };
    let filters = std::collections::HashMap::from([("reference".to_string(), vec![repo.to_string()])]);
    let Ok(listed) = docker.list_images(Some(ListImagesOptions { filters: Some(filters), ..Default::default() })).await else {
        return (Vec::new(), 0);
    };
    let images: Vec<Tagged> = listed
        .iter()
        .flat_map(|s| {
            s.repo_tags.iter().filter(|t| t.rsplit_once(':').is_some_and(|(r, _)| r == repo)).map(|t| Tagged {
                tag: t.clone(),
                created: s.created,
                size: s.size,
                variant: s.labels.get(VARIANT_LABEL).cloned().unwrap_or_default(),
            })
        })
        .collect();
    let (mut removed, mut freed) = (Vec::new(), 0);
    for tag in to_remove(&images, KEEP, current, variant) {
        let options = RemoveImageOptions { force: false, noprune: false, ..Default::default() };
        if docker.remove_image(&tag, Some(options), None).await.is_ok() {
            freed += images.iter().find(|i| i.tag == tag).map_or(0, |i| i.size);
            removed.push(tag);
        }
    }
    (removed, freed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(tag: &str, created: i64) -> Tagged {
        Tagged { tag: tag.into(), created, size: 10, variant: String::new() }
    }

    #[test]
    fn keeps_the_newest_and_the_current_one() {
        let images = [t("r:1", 1), t("r:2", 2), t("r:3", 3), t("r:4", 4), t("r:5", 5)];
        assert_eq!(to_remove(&images, 3, "r:5", ""), vec!["r:2", "r:1"]);
        // The current one counts as kept even when an older build of it is rebuilt later.
        assert_eq!(to_remove(&images, 3, "r:1", ""), vec!["r:3", "r:2"]);
        assert_eq!(to_remove(&images[..2], 3, "r:2", ""), Vec::<String>::new());
        assert_eq!(to_remove(&images, 1, "r:5", ""), vec!["r:4", "r:3", "r:2", "r:1"]);
        assert_eq!(to_remove(&[], 3, "r:x", ""), Vec::<String>::new());
    }

    #[test]
    fn another_variant_is_never_removed() {
        let mut spark = t("r:spark", 1);
        spark.variant = "packages: python3".into();
        let images = [spark, t("r:2", 2), t("r:3", 3), t("r:4", 4)];
        // Building the plain variant removes its own oldest, not another service file's image.
        assert_eq!(to_remove(&images, 2, "r:4", ""), vec!["r:2"]);
        // Building a new variant removes nothing of the others.
        assert!(to_remove(&images, 1, "r:new", "packages: jq").is_empty());
    }
}
