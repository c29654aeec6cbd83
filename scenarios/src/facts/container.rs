//! What the NodeManager gave one container and what it left: its token file, its launch script
//! and its log files. Found for every container of an application, the ApplicationMaster's
//! included, wherever the framework puts user code.

use std::collections::BTreeMap;

use super::token_file::TokenFile;

/// One container of an application.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContainerFacts {
    /// `container_…` id.
    pub id: String,
    /// Its token file (what `HADOOP_TOKEN_FILE_LOCATION` named inside it).
    pub tokens: TokenFile,
    /// Its `launch_container.sh` (empty when none was found).
    pub launch: String,
    /// Its log files by name (`stdout`, `stderr`, `AppMaster.stdout`, …).
    pub logs: BTreeMap<String, String>,
    /// The files the NodeManager downloaded for it (`hdfs://…` URLs): what its client staged.
    pub localized: Vec<String>,
}

impl ContainerFacts {
    /// Whether this is the first container of an attempt: the ApplicationMaster's.
    pub fn is_application_master(&self) -> bool {
        self.id.ends_with("_000001")
    }

    /// The value the launch script exports for `name` (`export NAME="value"`), if it does. Only
    /// a line that starts with `export NAME=` counts: `HADOOP_USER_NAME` is not `USER`.
    pub fn exported(&self, name: &str) -> Option<String> {
        exported_in(&self.launch, name)
    }

    /// A log file's text (empty when there is none).
    pub fn log(&self, name: &str) -> &str {
        self.logs.get(name).map(String::as_str).unwrap_or("")
    }

    /// Every log's text, one after the other (user code may print to any of them).
    pub fn all_logs(&self) -> String {
        self.logs.iter().map(|(name, text)| format!("==> {name} <==\n{text}")).collect::<Vec<_>>().join("\n")
    }
}

/// The value a launch script exports for `name`.
pub fn exported_in(script: &str, name: &str) -> Option<String> {
    let prefix = format!("export {name}=");
    script.lines().map(str::trim_start).find_map(|l| l.strip_prefix(&prefix)).map(|v| v.trim().trim_matches('"').to_string())
}

/// Whether `text` has a line that is exactly `line` (a probe's `USER=alice`, not `HADOOP_USER_NAME=alice`).
pub fn has_line(text: &str, line: &str) -> bool {
    text.lines().any(|l| l.trim_end() == line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exports_are_matched_by_their_whole_name() {
        let script =
            "export HADOOP_USER_NAME=\"alice\"\nexport USER=\"yarn\"\n  export HADOOP_TOKEN_FILE_LOCATION=\"/x/container_tokens\"\n";
        assert_eq!(exported_in(script, "USER").as_deref(), Some("yarn"));
        assert_eq!(exported_in(script, "HADOOP_USER_NAME").as_deref(), Some("alice"));
        assert_eq!(exported_in(script, "HADOOP_TOKEN_FILE_LOCATION").as_deref(), Some("/x/container_tokens"));
        assert_eq!(exported_in(script, "NAME"), None);
        assert!(has_line("id=alice\nUSER=alice\n", "USER=alice"));
        assert!(!has_line("HADOOP_USER_NAME=alice\n", "USER=alice"));
    }
}
