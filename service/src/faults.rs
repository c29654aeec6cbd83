//! Fault switches: each reproduces one classic mistake of YARN submission services, so that the
//! checklist can prove it catches that mistake. All are off by default.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// One deliberate mistake.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fault {
    /// Submits as the service principal instead of the user (no proxy-user `doAs`).
    NoDoas,
    /// Serves and submits without authenticating the user (as the service itself).
    AllowAnonymous,
    /// Asks for the HDFS delegation token with a renewer that is not the ResourceManager.
    WrongRenewer,
    /// Puts no HDFS delegation token in the submission.
    NoHdfsToken,
    /// Puts no timeline delegation token in the submission.
    NoTimelineToken,
    /// Puts no delegation token for the other filesystems its applications use (remote HDFS).
    NoRemoteToken,
    /// Never renews its own Kerberos login (it dies when the first ticket expires).
    NoRelogin,
    /// Starts even when its keytab is readable by group or others.
    WorldReadableKeytabOk,
    /// In simple mode, does not pass `HADOOP_USER_NAME` to the application.
    DropUserName,
    /// Asks the ResourceManager to keep the application's tokens when it completes
    /// (`cancel-tokens-when-complete` false).
    KeepTokens,
    /// Ignores `HADOOP_JAAS_DEBUG=true` in its own environment: the ApplicationMaster never gets it.
    NoJaasDebug,
    /// Gets the timeline delegation token but does not set it on the ApplicationMaster's launch
    /// context.
    TimelineTokenNotSet,
    /// Behaves as if the cluster were insecure: gets no delegation token at all.
    AssumeInsecure,
    /// Launched with `HADOOP_TOKEN_FILE_LOCATION` (Oozie-style), ignores the file: logs in from
    /// its keytab and gets fresh tokens instead of using the user's.
    IgnoreTokenFile,
    /// Long-lived mode: stores the user's keytab in HDFS readable by everyone (mode 644, in a
    /// shared directory under `/tmp` that others may enter, mode 755) and launches anyway.
    WorldReadableKeytabInHdfs,
    /// Long-lived mode: launches without the user's keytab, so the application lives on its
    /// delegation tokens alone and dies when they reach their max lifetime.
    NoKeytab,
}

/// Every fault, for `--help` and validation.
pub const ALL_FAULTS: [Fault; 16] = [
    Fault::NoDoas,
    Fault::AllowAnonymous,
    Fault::WrongRenewer,
    Fault::NoHdfsToken,
    Fault::NoTimelineToken,
    Fault::NoRemoteToken,
    Fault::NoRelogin,
    Fault::WorldReadableKeytabOk,
    Fault::DropUserName,
    Fault::KeepTokens,
    Fault::NoJaasDebug,
    Fault::TimelineTokenNotSet,
    Fault::AssumeInsecure,
    Fault::IgnoreTokenFile,
    Fault::WorldReadableKeytabInHdfs,
    Fault::NoKeytab,
];

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = serde_json::to_value(self).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
        f.write_str(&text)
    }
}

impl FromStr for Fault {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ALL_FAULTS.into_iter().find(|f| f.to_string() == s).ok_or_else(|| {
            format!("unknown fault `{s}`; the faults are: {}", ALL_FAULTS.iter().map(|f| f.to_string()).collect::<Vec<_>>().join(", "))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for f in ALL_FAULTS {
            assert_eq!(f.to_string().parse::<Fault>().unwrap(), f);
        }
        assert_eq!(Fault::NoDoas.to_string(), "no-doas");
        assert!("no-such".parse::<Fault>().unwrap_err().contains("no-doas"));
    }
}
