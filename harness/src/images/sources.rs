//! The build inputs of each image, embedded in the binary so that the harness works from any
//! directory, and the hash that names them.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

/// The Maven project listing the Hadoop artifacts.
pub const HADOOP_POM: &str = include_str!("../../../docker/hadoop/pom.xml");

/// Everything that goes into one image build.
#[derive(Clone, Debug)]
pub struct ImageSpec {
    /// Short role name: `kdc`, `hadoop`.
    pub role: &'static str,
    /// Repository part of the tag, e.g. `yarnsec/kdc`.
    pub repo: &'static str,
    /// The Dockerfile.
    pub dockerfile: &'static str,
    /// Small context files: (path in the context, content, mode).
    pub files: Vec<(String, Vec<u8>, u32)>,
    /// Build arguments.
    pub build_args: BTreeMap<String, String>,
    /// Inputs that decide the image but are not in the context as such (e.g. the Maven project
    /// that produces the jars).
    pub extra_inputs: Vec<u8>,
    /// What sets this image apart from the other images of its repository that live beside it
    /// rather than replace it: the package list of a service file's packages image, and of the
    /// image the container-executor is added to. Empty for images that replace each other (a new
    /// service binary, a new Hadoop image). Pruning removes old images of the same variant only,
    /// so that building one service file's image never removes another's, which a run beside it
    /// may be about to start.
    pub variant: String,
}

impl ImageSpec {
    /// `repo:<first 16 hex digits of the inputs' hash>` (prefixed by the Hadoop version if any).
    pub fn tag(&self) -> String {
        let mut h = Sha256::new();
        h.update(self.dockerfile.as_bytes());
        for (path, content, mode) in &self.files {
            h.update(path.as_bytes());
            h.update(content);
            h.update(mode.to_le_bytes());
        }
        for (k, v) in &self.build_args {
            h.update(k.as_bytes());
            h.update(b"=");
            h.update(v.as_bytes());
        }
        h.update(&self.extra_inputs);
        let digest = hex::encode(h.finalize());
        match self.build_args.get("HADOOP_VERSION") {
            Some(v) => format!("{}:{v}-{}", self.repo, &digest[..16]),
            None => format!("{}:{}", self.repo, &digest[..16]),
        }
    }
}

fn args(base: &str, mirror: &str) -> BTreeMap<String, String> {
    BTreeMap::from([("BASE_IMAGE".to_string(), base.to_string()), ("DEBIAN_MIRROR".to_string(), mirror.to_string())])
}

/// The KDC image.
pub fn kdc(base: &str, mirror: &str) -> ImageSpec {
    ImageSpec {
        role: "kdc",
        repo: "yarnsec/kdc",
        dockerfile: include_str!("../../../docker/kdc/Dockerfile"),
        files: vec![("kdc-start".into(), include_bytes!("../../../docker/kdc/kdc-start").to_vec(), 0o755)],
        build_args: args(base, mirror),
        extra_inputs: Vec::new(),
        variant: String::new(),
    }
}

/// The Hadoop image for `version`.
pub fn hadoop(base: &str, mirror: &str, version: &str) -> ImageSpec {
    let mut build_args = args(base, mirror);
    build_args.insert("HADOOP_VERSION".into(), version.into());
    ImageSpec {
        role: "hadoop",
        repo: "yarnsec/hadoop",
        dockerfile: include_str!("../../../docker/hadoop/Dockerfile"),
        files: vec![
            ("bin/hadoop-start".into(), include_bytes!("../../../docker/hadoop/bin/hadoop-start").to_vec(), 0o755),
            ("classes.lst".into(), include_bytes!("../../../docker/hadoop/classes.lst").to_vec(), 0o644),
        ],
        build_args,
        extra_inputs: HADOOP_POM.as_bytes().to_vec(),
        variant: String::new(),
    }
}

/// The service image, around a service binary built on the host.
pub fn service(base: &str, mirror: &str, binary: Vec<u8>) -> ImageSpec {
    ImageSpec {
        role: "service",
        repo: "yarnsec/service",
        dockerfile: include_str!("../../../docker/service/Dockerfile"),
        files: vec![("yarnsec-service".into(), binary, 0o755)],
        build_args: args(base, mirror),
        extra_inputs: Vec::new(),
        variant: String::new(),
    }
}

/// The Hadoop image `from` with Debian `packages` installed (checked with [`check_packages`]).
pub fn with_packages(from: &str, mirror: &str, packages: &[String]) -> ImageSpec {
    let mut sorted = packages.to_vec();
    sorted.sort();
    sorted.dedup();
    let list = sorted.join(" ");
    let build_args = BTreeMap::from([
        ("FROM_IMAGE".to_string(), from.to_string()),
        ("DEBIAN_MIRROR".to_string(), mirror.to_string()),
        ("PACKAGES".to_string(), list.clone()),
    ]);
    ImageSpec {
        role: "hadoop+packages",
        repo: "yarnsec/hadoop-packages",
        dockerfile: include_str!("../../../docker/packages/Dockerfile"),
        files: Vec::new(),
        build_args,
        extra_inputs: Vec::new(),
        variant: format!("packages: {list}"),
    }
}

/// The Hadoop image `from` with yarnsec's container-executor `binary` installed setuid root with
/// its configuration `cfg`; `variant` is `from`'s own ([`ImageSpec::variant`]).
pub fn with_container_executor(from: &str, variant: &str, binary: Vec<u8>, cfg: &str) -> ImageSpec {
    ImageSpec {
        role: "hadoop+container-executor",
        repo: "yarnsec/hadoop-lce",
        dockerfile: include_str!("../../../docker/lce/Dockerfile"),
        files: vec![("container-executor".into(), binary, 0o755), ("container-executor.cfg".into(), cfg.as_bytes().to_vec(), 0o644)],
        build_args: BTreeMap::from([("FROM_IMAGE".to_string(), from.to_string())]),
        extra_inputs: Vec::new(),
        variant: variant.to_string(),
    }
}

/// Each name is a Debian package name (lower-case letters, digits, `+`, `-`, `.`; two
/// characters or more, starting with a letter or digit), and nothing else reaches `apt-get`.
pub fn check_packages(packages: &[String]) -> Result<(), String> {
    for p in packages {
        let ok = p.len() >= 2
            && p.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
            && p.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "+-.".contains(c));
        if !ok {
            return Err(format!("`{p}` is not a Debian package name (lower-case letters, digits, +, -, .)"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_change_with_their_inputs_only() {
        let a = hadoop("base:1", "http://m/debian", "3.4.2");
        assert_eq!(a.tag(), hadoop("base:1", "http://m/debian", "3.4.2").tag());
        assert!(a.tag().starts_with("yarnsec/hadoop:3.4.2-"));
        assert_ne!(a.tag(), hadoop("base:2", "http://m/debian", "3.4.2").tag());
        assert_ne!(a.tag(), hadoop("base:1", "http://m/debian", "3.3.6").tag());
        assert_ne!(kdc("base:1", "http://m/debian").tag(), kdc("base:1", "http://n/debian").tag());
    }

    #[test]
    fn a_package_list_names_its_image_in_any_order() {
        let list = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let a = with_packages("yarnsec/hadoop:1", "http://m", &list(&["python3", "jq"]));
        assert_eq!(a.tag(), with_packages("yarnsec/hadoop:1", "http://m", &list(&["jq", "python3", "jq"])).tag());
        assert_ne!(a.tag(), with_packages("yarnsec/hadoop:2", "http://m", &list(&["jq", "python3"])).tag());
        assert_eq!(a.build_args["PACKAGES"], "jq python3");
        assert!(check_packages(&list(&["python3", "libkrb5-dev", "g++", "python3.11"])).is_ok());
        for bad in ["python3; rm -rf /", "Python3", "-y", "a", "$(id)", ""] {
            assert!(check_packages(&list(&[bad])).unwrap_err().contains("not a Debian package name"), "{bad}");
        }
    }
}
