//! `container-executor.cfg`: `key=value` lines as Hadoop's helper reads them, with the
//! NodeManager's group, the users it refuses and, unlike the real file, the NodeManager's local
//! and log dirs (every path the helper touches must lie under one of them).

use std::collections::BTreeMap;
use std::path::PathBuf;

/// Where the helper reads its configuration: root-owned, as is every directory above it.
pub const CONFIG_PATH: &str = "/etc/hadoop/container-executor.cfg";

/// The helper's configuration.
///
/// ```
/// use yarnsec_container_executor::config::Config;
/// let cfg = Config::parse(
///     "yarn.nodemanager.linux-container-executor.group=hadoop\n\
///      banned.users=hdfs,yarn\nmin.user.id=1000\n\
///      yarn.nodemanager.local-dirs=/data/yarn/local\nyarn.nodemanager.log-dirs=/var/log/hadoop/userlogs\n",
/// )
/// .unwrap();
/// assert_eq!(cfg.nm_group, "hadoop");
/// assert!(cfg.banned_users.contains(&"yarn".to_string()));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// `yarn.nodemanager.linux-container-executor.group`: the group that owns the helper and may run it.
    pub nm_group: String,
    /// `banned.users` (default `yarn,mapred,hdfs,bin`); root is always refused.
    pub banned_users: Vec<String>,
    /// `min.user.id` (default 1000).
    pub min_user_id: u32,
    /// `allowed.system.users`: users below `min.user.id` that may still run containers.
    pub allowed_system_users: Vec<String>,
    /// `yarn.nodemanager.local-dirs`.
    pub local_dirs: Vec<PathBuf>,
    /// `yarn.nodemanager.log-dirs`.
    pub log_dirs: Vec<PathBuf>,
}

/// What is wrong with the configuration file.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    /// A line that is neither a comment nor `key=value`.
    #[error("line {line}: `{text}` is not key=value")]
    Malformed { line: usize, text: String },
    /// A required key is absent or empty.
    #[error("{key} is not set: it names {what}")]
    Missing { key: &'static str, what: &'static str },
    /// A value that does not parse.
    #[error("{key}={value}: {why}")]
    Invalid { key: String, value: String, why: &'static str },
    /// A feature of the real helper that this one does not have is turned on.
    #[error("{key}=1 turns on a feature this helper does not have (no Docker, cgroups, traffic control or terminal); set it to 0")]
    Unsupported { key: String },
}

impl Config {
    /// Parses the file's text. Unknown keys are ignored, as Hadoop's helper ignores them.
    pub fn parse(text: &str) -> Result<Config, ConfigError> {
        let mut kv = BTreeMap::new();
        for (n, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            // Sections (`[docker]`, ...) belong to features this helper refuses anyway.
            if line.starts_with('[') && line.ends_with(']') {
                continue;
            }
            let Some((k, v)) = line.split_once('=') else {
                return Err(ConfigError::Malformed { line: n + 1, text: raw.to_string() });
            };
            kv.insert(k.trim().to_string(), v.trim().to_string());
        }
        for (k, v) in &kv {
            if k.starts_with("feature.") && k.ends_with(".enabled") && v != "0" && v != "false" {
                return Err(ConfigError::Unsupported { key: k.clone() });
            }
        }
        let list = |k: &str| -> Vec<String> {
            kv.get(k).map(|v| v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()).unwrap_or_default()
        };
        let dirs = |k: &'static str, what: &'static str| -> Result<Vec<PathBuf>, ConfigError> {
            let found = list(k);
            if found.is_empty() {
                return Err(ConfigError::Missing { key: k, what });
            }
            for d in &found {
                if !d.starts_with('/') || d.split('/').any(|c| c == "." || c == "..") {
                    return Err(ConfigError::Invalid {
                        key: k.into(),
                        value: d.clone(),
                        why: "each dir must be an absolute path without . or ..",
                    });
                }
            }
            Ok(found.into_iter().map(|d| PathBuf::from(d.trim_end_matches('/'))).collect())
        };
        let nm_group = kv.get("yarn.nodemanager.linux-container-executor.group").cloned().unwrap_or_default();
        if nm_group.is_empty() {
            return Err(ConfigError::Missing {
                key: "yarn.nodemanager.linux-container-executor.group",
                what: "the NodeManager's group, which owns the helper",
            });
        }
        let min_user_id = match kv.get("min.user.id") {
            None => 1000,
            Some(v) => v.parse().map_err(|_| ConfigError::Invalid {
                key: "min.user.id".into(),
                value: v.clone(),
                why: "not a non-negative number",
            })?,
        };
        let banned_users = if kv.contains_key("banned.users") {
            list("banned.users")
        } else {
            ["yarn", "mapred", "hdfs", "bin"].map(String::from).to_vec()
        };
        Ok(Config {
            nm_group,
            banned_users,
            min_user_id,
            allowed_system_users: list("allowed.system.users"),
            local_dirs: dirs("yarn.nodemanager.local-dirs", "the NodeManager's local dirs")?,
            log_dirs: dirs("yarn.nodemanager.log-dirs", "the NodeManager's log dirs")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIRS: &str = "yarn.nodemanager.local-dirs=/l1,/l2/\nyarn.nodemanager.log-dirs=/logs\n";

    #[test]
    fn a_table_of_files() {
        let ok = Config::parse(&format!("# c\n\nyarn.nodemanager.linux-container-executor.group = hadoop\n{DIRS}")).unwrap();
        assert_eq!(ok.banned_users, ["yarn", "mapred", "hdfs", "bin"]);
        assert_eq!(ok.min_user_id, 1000);
        assert_eq!(ok.local_dirs, [PathBuf::from("/l1"), PathBuf::from("/l2")]);
        let cases: &[(&str, &str)] = &[
            ("banned.users=a\n", "linux-container-executor.group is not set"),
            ("yarn.nodemanager.linux-container-executor.group=g\nnonsense\n", "line 2: `nonsense` is not key=value"),
            ("yarn.nodemanager.linux-container-executor.group=g\nmin.user.id=-1\n", "min.user.id=-1: not a non-negative number"),
            ("yarn.nodemanager.linux-container-executor.group=g\nfeature.docker.enabled=1\n", "feature.docker.enabled=1 turns on"),
        ];
        for (text, want) in cases {
            let err = Config::parse(&format!("{text}{DIRS}")).unwrap_err().to_string();
            assert!(err.contains(want), "{text:?}: {err}");
        }
        let relative = Config::parse(
            "yarn.nodemanager.linux-container-executor.group=g\nyarn.nodemanager.local-dirs=data\nyarn.nodemanager.log-dirs=/l\n",
        );
        assert!(relative.unwrap_err().to_string().contains("absolute path"));
        let no_logs = Config::parse("yarn.nodemanager.linux-container-executor.group=g\nyarn.nodemanager.local-dirs=/d\n");
        assert!(no_logs.unwrap_err().to_string().contains("yarn.nodemanager.log-dirs is not set"));
        let sys = Config::parse(&format!(
            "yarn.nodemanager.linux-container-executor.group=g\nbanned.users=\nallowed.system.users=nobody, daemon\n{DIRS}"
        ))
        .unwrap();
        assert!(sys.banned_users.is_empty());
        assert_eq!(sys.allowed_system_users, ["nobody", "daemon"]);
    }
}
