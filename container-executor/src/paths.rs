//! Which paths the helper may touch: absolute ones without `.`, `..` or empty components that lie
//! under one of the NodeManager's local or log dirs; and which names may become one path
//! component (application, container and localizer ids). Pure functions over strings.

use std::path::{Path, PathBuf};

/// Why a path or a name was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PathRefusal {
    /// Relative, or with `.`, `..` or empty components.
    #[error("`{0}` is not a plain absolute path (no ., .. or //)")]
    NotPlain(String),
    /// Outside every root.
    #[error("`{path}` is outside the NodeManager's dirs ({roots}) named in container-executor.cfg")]
    OutsideRoots { path: String, roots: String },
    /// Not usable as one path component.
    #[error("`{0}` is not an id: letters, digits, _ - . only, not . or ..")]
    NotAnId(String),
}

/// `path` as a plain absolute path (a trailing `/` is dropped).
pub fn plain(path: &str) -> Result<PathBuf, PathRefusal> {
    let trimmed = if path.len() > 1 { path.trim_end_matches('/') } else { path };
    let ok = trimmed.starts_with('/')
        && trimmed.len() > 1
        && trimmed[1..].split('/').all(|c| !c.is_empty() && c != "." && c != "..")
        && !trimmed.chars().any(char::is_control);
    if ok {
        Ok(PathBuf::from(trimmed))
    } else {
        Err(PathRefusal::NotPlain(path.to_string()))
    }
}

/// `path` when it is plain and lies strictly under one of `roots`.
///
/// ```
/// use std::path::PathBuf;
/// use yarnsec_container_executor::paths::under;
/// let roots = [PathBuf::from("/data/yarn/local")];
/// assert!(under("/data/yarn/local/usercache/alice", &roots).is_ok());
/// assert!(under("/data/yarn/local/../../etc", &roots).is_err());
/// assert!(under("/data/yarn/localx/a", &roots).is_err());
/// ```
pub fn under(path: &str, roots: &[PathBuf]) -> Result<PathBuf, PathRefusal> {
    let p = plain(path)?;
    if roots.iter().any(|r| p != *r && p.starts_with(r)) {
        Ok(p)
    } else {
        Err(PathRefusal::OutsideRoots {
            path: path.to_string(),
            roots: roots.iter().map(|r| r.display().to_string()).collect::<Vec<_>>().join(", "),
        })
    }
}

/// `name` when it can be one path component.
pub fn id(name: &str) -> Result<&str, PathRefusal> {
    let ok = !name.is_empty()
        && name != "."
        && name != ".."
        && name.len() <= 255
        && name.chars().all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c));
    if ok {
        Ok(name)
    } else {
        Err(PathRefusal::NotAnId(name.to_string()))
    }
}

/// The root of `roots` that `path` lies under.
pub fn root_of<'a>(path: &Path, roots: &'a [PathBuf]) -> Option<&'a PathBuf> {
    roots.iter().find(|r| path.starts_with(r))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_table_of_paths() {
        let roots = [PathBuf::from("/data/yarn/local"), PathBuf::from("/var/log/hadoop/userlogs")];
        let ok = [
            "/data/yarn/local/usercache/alice/appcache/application_1_0001",
            "/var/log/hadoop/userlogs/application_1/",
            "/data/yarn/local/x",
        ];
        for p in ok {
            assert!(under(p, &roots).is_ok(), "{p}");
        }
        let refused = [
            "/data/yarn/local",
            "/data/yarn/local/",
            "/data/yarn/locale/x",
            "data/yarn/local/x",
            "/data/yarn/local/../x",
            "/data/yarn/local/./x",
            "/data/yarn/local//x",
            "/etc/shadow",
            "/",
            "",
            "/data/yarn/local/a\nb",
        ];
        for p in refused {
            assert!(under(p, &roots).is_err(), "{p:?}");
        }
        assert!(id("container_1_0001_01_000001").is_ok());
        for bad in ["", ".", "..", "a/b", "a b", "$(id)", "a;b"] {
            assert!(id(bad).is_err(), "{bad:?}");
        }
    }

    proptest! {
        // Whatever the string, what passes lies under a root and has no component that climbs.
        #[test]
        fn what_passes_stays_under_a_root(tail in "[a-z./]{0,30}", pre in prop::sample::select(vec!["/r", "/r/", "/rx", "r", "/"])) {
            let roots = [PathBuf::from("/r")];
            let p = format!("{pre}{tail}");
            if let Ok(ok) = under(&p, &roots) {
                prop_assert!(ok.starts_with("/r") && ok != Path::new("/r"));
                prop_assert!(ok.components().all(|c| matches!(c, std::path::Component::RootDir | std::path::Component::Normal(_))));
                prop_assert!(!ok.to_string_lossy().split('/').skip(1).any(|c| c == ".." || c == "." || c.is_empty()));
            }
        }

        #[test]
        fn ids_are_single_components(name in "\\PC{0,20}") {
            if let Ok(ok) = id(&name) {
                prop_assert_eq!(Path::new(ok).components().count(), 1);
                prop_assert!(!ok.contains('/') && ok != ".." && ok != ".");
            }
        }
    }
}
