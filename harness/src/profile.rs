//! Security profiles: one typed description of how secure a cluster is, from which every config
//! file, the KDC's lifetimes and the principals' limits are generated.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use serde::Serialize;

/// Quality of protection on Hadoop RPC and DataNode data transfer (`hadoop.rpc.protection`,
/// `dfs.data.transfer.protection`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Protection {
    /// Kerberos authentication only.
    Authentication,
    /// Authentication and integrity checks.
    Integrity,
    /// Authentication, integrity and encryption ("wire encryption").
    Privacy,
}

impl fmt::Display for Protection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Protection::Authentication => "authentication",
            Protection::Integrity => "integrity",
            Protection::Privacy => "privacy",
        })
    }
}

/// How secure a cluster is and how long its credentials live.
///
/// ```
/// use std::time::Duration;
/// use yarnsec_harness::SecurityProfile;
/// let p: SecurityProfile = "strict".parse().unwrap();
/// assert!(p.kerberos());
/// assert!(p.ticket_lifetime() <= Duration::from_secs(300));
/// let shorter = p.with_ticket_lifetime(Duration::from_secs(90));
/// assert_eq!(shorter.ticket_lifetime(), Duration::from_secs(90));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecurityProfile {
    name: String,
    kerberos: bool,
    ticket_lifetime: Duration,
    renew_lifetime: Duration,
    token_renew_interval: Duration,
    token_max_lifetime: Duration,
    rpc_protection: Protection,
    data_transfer_protection: Option<Protection>,
    https: bool,
}

/// The names of the built-in profiles.
pub const PROFILE_NAMES: [&str; 4] = ["strict", "fast", "kerberos", "simple"];

impl SecurityProfile {
    /// The default: Kerberos everywhere, wire encryption on RPC and data transfer, SPNEGO on every
    /// web UI and REST endpoint, tickets of 2 minutes and delegation tokens renewed every minute
    /// that die after 5, as the checklist recommends ("turn security up to its strictest").
    pub fn strict() -> Self {
        Self {
            name: "strict".into(),
            kerberos: true,
            ticket_lifetime: Duration::from_secs(120),
            renew_lifetime: Duration::from_secs(300),
            token_renew_interval: Duration::from_secs(60),
            token_max_lifetime: Duration::from_secs(300),
            rpc_protection: Protection::Privacy,
            data_transfer_protection: Some(Protection::Privacy),
            https: false,
        }
    }

    /// `strict` with the shortest lifetimes [`SecurityProfile::validate`] allows: tickets of 30 s
    /// (renewable for 90 s), delegation tokens renewed every 20 s that die after 90 s. Every
    /// check of `strict`, in about a third of the time the long-lived items wait. Slow clients
    /// (a JVM uploading its framework) need a ticket that outlives their submission:
    /// `docs/cluster.md` says what the floor means for them.
    pub fn fast() -> Self {
        Self {
            name: "fast".into(),
            ticket_lifetime: Duration::from_secs(30),
            renew_lifetime: Duration::from_secs(90),
            token_renew_interval: Duration::from_secs(20),
            token_max_lifetime: Duration::from_secs(90),
            ..Self::strict()
        }
    }

    /// Kerberos with authentication only (no integrity or encryption on the wire), same lifetimes.
    pub fn kerberos_only() -> Self {
        Self {
            name: "kerberos".into(),
            rpc_protection: Protection::Authentication,
            data_transfer_protection: Some(Protection::Authentication),
            ..Self::strict()
        }
    }

    /// No Kerberos: Hadoop "simple" authentication, to check `HADOOP_USER_NAME` propagation.
    pub fn simple() -> Self {
        Self {
            name: "simple".into(),
            kerberos: false,
            rpc_protection: Protection::Authentication,
            data_transfer_protection: None,
            ..Self::strict()
        }
    }

    /// Sets the Kerberos ticket lifetime.
    pub fn with_ticket_lifetime(mut self, d: Duration) -> Self {
        self.ticket_lifetime = d;
        self
    }

    /// Sets the Kerberos renewable lifetime.
    pub fn with_renew_lifetime(mut self, d: Duration) -> Self {
        self.renew_lifetime = d;
        self
    }

    /// Sets the delegation-token renew interval (HDFS, YARN, timeline).
    pub fn with_token_renew_interval(mut self, d: Duration) -> Self {
        self.token_renew_interval = d;
        self
    }

    /// Sets the delegation-token max lifetime (HDFS, YARN, timeline).
    pub fn with_token_max_lifetime(mut self, d: Duration) -> Self {
        self.token_max_lifetime = d;
        self
    }

    /// Sets the RPC protection.
    pub fn with_rpc_protection(mut self, p: Protection) -> Self {
        self.rpc_protection = p;
        self
    }

    /// Asks for HTTPS on web endpoints. Not supported yet: [`SecurityProfile::validate`] says so.
    pub fn with_https(mut self, on: bool) -> Self {
        self.https = on;
        self
    }

    /// The profile's name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// Whether Kerberos (and SPNEGO on the web) is on.
    pub fn kerberos(&self) -> bool {
        self.kerberos
    }
    /// Kerberos ticket lifetime.
    pub fn ticket_lifetime(&self) -> Duration {
        self.ticket_lifetime
    }
    /// Kerberos renewable lifetime.
    pub fn renew_lifetime(&self) -> Duration {
        self.renew_lifetime
    }
    /// Delegation-token renew interval.
    pub fn token_renew_interval(&self) -> Duration {
        self.token_renew_interval
    }
    /// Delegation-token max lifetime.
    pub fn token_max_lifetime(&self) -> Duration {
        self.token_max_lifetime
    }
    /// RPC protection.
    pub fn rpc_protection(&self) -> Protection {
        self.rpc_protection
    }
    /// DataNode data-transfer protection (`None` without Kerberos).
    pub fn data_transfer_protection(&self) -> Option<Protection> {
        self.data_transfer_protection
    }
    /// Whether HTTPS was asked for.
    pub fn https(&self) -> bool {
        self.https
    }

    /// Checks that the values make a cluster that can stay healthy.
    pub fn validate(&self) -> Result<(), ProfileError> {
        let bad = |reason: String| Err(ProfileError::Invalid { profile: self.name.clone(), reason });
        if self.https {
            return bad("HTTPS on web endpoints is not supported yet; use a profile without it".into());
        }
        if self.ticket_lifetime < Duration::from_secs(30) {
            return bad(format!(
                "ticket lifetime {}s is below 30s; daemons re-login no faster than every 10s and need room",
                self.ticket_lifetime.as_secs()
            ));
        }
        if self.renew_lifetime < self.ticket_lifetime {
            return bad("the renewable lifetime must be at least the ticket lifetime".into());
        }
        if self.token_renew_interval < Duration::from_secs(20) {
            return bad(format!(
                "token renew interval {}s is below 20s; the ResourceManager renews at 90% of it and needs room",
                self.token_renew_interval.as_secs()
            ));
        }
        if self.token_max_lifetime < self.token_renew_interval {
            return bad("the token max lifetime must be at least the renew interval".into());
        }
        Ok(())
    }

    /// The profile as `yarnsec up --json` reports it.
    pub fn summary(&self) -> ProfileSummary {
        ProfileSummary {
            name: self.name.clone(),
            ticket_lifetime_s: self.ticket_lifetime.as_secs(),
            renew_lifetime_s: self.renew_lifetime.as_secs(),
            token_renew_interval_s: self.token_renew_interval.as_secs(),
            token_max_lifetime_s: self.token_max_lifetime.as_secs(),
            rpc_protection: if self.kerberos { self.rpc_protection.to_string() } else { "none".into() },
        }
    }
}

impl Default for SecurityProfile {
    fn default() -> Self {
        Self::strict()
    }
}

/// The profile fields of `yarnsec up --json` and `report.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ProfileSummary {
    /// Profile name.
    pub name: String,
    /// Ticket lifetime in seconds.
    pub ticket_lifetime_s: u64,
    /// Renewable lifetime in seconds.
    pub renew_lifetime_s: u64,
    /// Token renew interval in seconds.
    pub token_renew_interval_s: u64,
    /// Token max lifetime in seconds.
    pub token_max_lifetime_s: u64,
    /// `authentication`, `integrity`, `privacy` or `none`.
    pub rpc_protection: String,
}

/// A profile could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    /// No built-in profile has this name.
    #[error("unknown profile `{name}`; the profiles are: {}", PROFILE_NAMES.join(", "))]
    Unknown {
        /// The name asked for.
        name: String,
    },
    /// The values cannot make a healthy cluster.
    #[error("profile `{profile}` cannot be used: {reason}")]
    Invalid {
        /// The profile.
        profile: String,
        /// Why.
        reason: String,
    },
}

impl FromStr for SecurityProfile {
    type Err = ProfileError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "strict" => Ok(Self::strict()),
            "fast" => Ok(Self::fast()),
            "kerberos" => Ok(Self::kerberos_only()),
            "simple" => Ok(Self::simple()),
            other => Err(ProfileError::Unknown { name: other.to_string() }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_meets_the_checklist_limits() {
        let p = SecurityProfile::strict();
        p.validate().unwrap();
        assert!(p.ticket_lifetime() <= Duration::from_secs(300));
        assert!(p.token_renew_interval() <= Duration::from_secs(120));
        assert!(p.token_max_lifetime() <= Duration::from_secs(300));
        assert_eq!(p.rpc_protection(), Protection::Privacy);
        // T5 needs the application to outlive the ticket and two renewals inside the max lifetime.
        assert!(p.token_renew_interval() * 2 < p.token_max_lifetime());
        assert!(p.ticket_lifetime() < p.token_max_lifetime());
    }

    #[test]
    fn every_named_profile_parses_and_validates() {
        for name in PROFILE_NAMES {
            let p: SecurityProfile = name.parse().unwrap();
            assert_eq!(p.name(), name);
            p.validate().unwrap();
        }
    }

    #[test]
    fn unknown_profile_names_the_choices() {
        let err = "strictest".parse::<SecurityProfile>().unwrap_err().to_string();
        assert!(err.contains("strict, fast, kerberos, simple"), "{err}");
    }

    #[test]
    fn rejects_values_that_break_the_daemons() {
        assert!(SecurityProfile::strict().with_ticket_lifetime(Duration::from_secs(5)).validate().is_err());
        assert!(SecurityProfile::strict().with_token_max_lifetime(Duration::from_secs(30)).validate().is_err());
        assert!(SecurityProfile::strict().with_https(true).validate().is_err());
    }
}
