//! Who may run a container: root never, banned users never, users below `min.user.id` only when
//! listed in `allowed.system.users`. A pure function of the configuration and the account.

use crate::config::Config;

/// Why a user may not run containers.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum UserRefusal {
    /// No such account on this node.
    #[error("user `{0}` has no account on this node: create it (useradd) on every NodeManager's host")]
    Unknown(String),
    /// root.
    #[error("user `{0}` is root: containers never run as root")]
    Root(String),
    /// In `banned.users`.
    #[error("user `{0}` is in banned.users of container-executor.cfg")]
    Banned(String),
    /// Below `min.user.id`.
    #[error("user `{name}` has uid {uid}, below min.user.id {min}: raise the account's uid or add it to allowed.system.users")]
    SystemUser { name: String, uid: u32, min: u32 },
    /// A name that no account can have (empty, a path, control characters).
    #[error("`{0}` is not a user name")]
    NotAName(String),
}

/// Whether `name` may be handed to [`judge`] at all: letters, digits, `.`, `_`, `-` (and `$` at
/// the end, as Samba's machine accounts), not starting with `-` or `.`, at most 32 bytes.
pub fn well_formed(name: &str) -> bool {
    let body = name.strip_suffix('$').unwrap_or(name);
    !body.is_empty()
        && name.len() <= 32
        && !body.starts_with(['-', '.'])
        && body.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
}

/// Judges the account `name` with uid `uid`.
///
/// ```
/// use yarnsec_container_executor::{config::Config, policy::judge};
/// let cfg = Config::parse("yarn.nodemanager.linux-container-executor.group=hadoop\nbanned.users=yarn\n\
///     yarn.nodemanager.local-dirs=/l\nyarn.nodemanager.log-dirs=/g\n").unwrap();
/// assert!(judge(&cfg, "alice", 1000).is_ok());
/// assert!(judge(&cfg, "yarn", 1005).is_err());
/// assert!(judge(&cfg, "daemon", 1).is_err());
/// ```
pub fn judge(cfg: &Config, name: &str, uid: u32) -> Result<(), UserRefusal> {
    if !well_formed(name) {
        return Err(UserRefusal::NotAName(name.to_string()));
    }
    if uid == 0 {
        return Err(UserRefusal::Root(name.to_string()));
    }
    if cfg.banned_users.iter().any(|b| b == name) {
        return Err(UserRefusal::Banned(name.to_string()));
    }
    if uid < cfg.min_user_id && !cfg.allowed_system_users.iter().any(|a| a == name) {
        return Err(UserRefusal::SystemUser { name: name.to_string(), uid, min: cfg.min_user_id });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn cfg() -> Config {
        Config::parse(
            "yarn.nodemanager.linux-container-executor.group=hadoop\nbanned.users=hdfs,yarn\nmin.user.id=1000\n\
             allowed.system.users=nobody\nyarn.nodemanager.local-dirs=/l\nyarn.nodemanager.log-dirs=/g\n",
        )
        .unwrap()
    }

    #[test]
    fn a_table_of_accounts() {
        let c = cfg();
        let cases: &[(&str, u32, Option<&str>)] = &[
            ("alice", 1000, None),
            ("bob", 1001, None),
            ("nobody", 65534, None),
            ("nobody", 99, None),
            ("root", 0, Some("is root")),
            ("toor", 0, Some("is root")),
            ("yarn", 1004, Some("banned.users")),
            ("hdfs", 1003, Some("banned.users")),
            ("daemon", 1, Some("below min.user.id 1000")),
            ("", 1000, Some("not a user name")),
            ("../etc", 1000, Some("not a user name")),
            ("-rf", 1000, Some("not a user name")),
        ];
        for (name, uid, want) in cases {
            let got = judge(&c, name, *uid);
            match want {
                None => assert!(got.is_ok(), "{name} {uid}: {got:?}"),
                Some(w) => assert!(got.unwrap_err().to_string().contains(w), "{name} {uid}"),
            }
        }
    }

    proptest! {
        // Whatever the name, uid 0 and names with a slash or a control character never pass.
        #[test]
        fn hostile_names_never_pass(name in "\\PC{0,40}", uid in 0u32..70000) {
            let c = cfg();
            let ok = judge(&c, &name, uid).is_ok();
            if uid == 0 || name.contains('/') || name.chars().any(|ch| ch.is_control() || ch == ' ') || name.is_empty() {
                prop_assert!(!ok);
            }
            if ok {
                prop_assert!(well_formed(&name) && (uid >= 1000 || name == "nobody"));
            }
        }
    }
}
