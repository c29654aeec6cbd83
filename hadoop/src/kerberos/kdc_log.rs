//! The MIT KDC's log (`krb5kdc`), read for the tickets it issued: each `AS_REQ … ISSUE` line says
//! when a principal logged in (its `authtime`), from which address, and for which server
//! (`krbtgt/REALM@REALM` for a login). A process that logs in from a keytab shows here whatever
//! it writes to its own logs.
//!
//! ```
//! use yarnsec_hadoop::kerberos::as_issues;
//! let line = "Dec 02 15:45:19 kdc krb5kdc[1](info): AS_REQ (2 etypes {aes256-cts-hmac-sha1-96(18)}) 198.18.237.3: ISSUE: authtime 1796226319, etypes {rep=aes256-cts-hmac-sha1-96(18)}, alice/hadoop.yarnsec.test@R for krbtgt/R@R";
//! let issued = as_issues(line);
//! assert_eq!(issued[0].principal, "alice/hadoop.yarnsec.test@R");
//! assert_eq!((issued[0].client.as_str(), issued[0].authtime), ("198.18.237.3", 1796226319));
//! ```

/// One initial ticket the KDC issued (an `AS_REQ` answered with `ISSUE`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AsIssue {
    /// When the principal authenticated, in seconds since the epoch.
    pub authtime: i64,
    /// The client's address, as the KDC saw it.
    pub client: String,
    /// The principal that logged in.
    pub principal: String,
    /// The server the ticket is for (`krbtgt/REALM@REALM` for a login).
    pub server: String,
    /// The log line.
    pub line: String,
}

impl AsIssue {
    /// The principal's first component (`alice` of `alice/host@R`).
    pub fn primary(&self) -> &str {
        self.principal.split(['/', '@']).next().unwrap_or_default()
    }
}

/// What every line [`as_issues`] reads contains (a `grep -F` for it keeps them all).
pub const AS_REQ_MARKER: &str = "AS_REQ (";

/// Every issued initial ticket in a KDC log, in log order; lines of other kinds, refusals
/// (`CLIENT_NOT_FOUND`, `PREAUTH_FAILED`, …) and torn lines are skipped.
pub fn as_issues(log: &str) -> Vec<AsIssue> {
    log.lines().filter_map(as_issue).collect()
}

fn as_issue(line: &str) -> Option<AsIssue> {
    let (_, request) = line.split_once(AS_REQ_MARKER)?;
    let (head, rest) = request.split_once(": ISSUE: authtime ")?;
    // `N etypes {…}) 198.18.0.3`: the address follows the closing parenthesis.
    let client = head.rsplit_once(") ")?.1.trim().to_string();
    let (authtime, rest) = rest.split_once(',')?;
    let authtime = authtime.trim().parse().ok()?;
    // `etypes {…}, principal for server`.
    let (_, names) = rest.split_once("}, ")?;
    let (principal, server) = names.trim().split_once(" for ")?;
    let valid = |s: &str| !s.is_empty() && !s.contains(char::is_whitespace);
    (valid(&client) && valid(principal) && valid(server.trim())).then(|| AsIssue {
        authtime,
        client,
        principal: principal.to_string(),
        server: server.trim().to_string(),
        line: line.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOG: &str = "Dec 02 15:45:18 kdc.yarnsec.test krb5kdc[1](info): closing down fd 12
Dec 02 15:45:19 kdc.yarnsec.test krb5kdc[1](info): AS_REQ (2 etypes {aes256-cts-hmac-sha1-96(18), aes128-cts-hmac-sha1-96(17)}) 198.18.237.3: ISSUE: authtime 1796226319, etypes {rep=aes256-cts-hmac-sha1-96(18), tkt=aes256-cts-hmac-sha1-96(18), ses=aes256-cts-hmac-sha1-96(18)}, alice/hadoop.yarnsec.test@C237.YARNSEC.TEST for krbtgt/C237.YARNSEC.TEST@C237.YARNSEC.TEST
Dec 02 15:45:20 kdc.yarnsec.test krb5kdc[1](info): AS_REQ (2 etypes {aes256-cts-hmac-sha1-96(18)}) 198.18.237.5: CLIENT_NOT_FOUND: mallory@C237.YARNSEC.TEST for krbtgt/C237.YARNSEC.TEST@C237.YARNSEC.TEST, Client not found in Kerberos database
Dec 02 15:45:21 kdc.yarnsec.test krb5kdc[1](info): TGS_REQ (2 etypes {aes256-cts-hmac-sha1-96(18)}) 198.18.237.3: ISSUE: authtime 1796226319, etypes {rep=aes256-cts-hmac-sha1-96(18)}, alice/hadoop.yarnsec.test@C237.YARNSEC.TEST for nn/hadoop.yarnsec.test@C237.YARNSEC.TEST";

    #[test]
    fn only_issued_initial_tickets_are_read() {
        let issued = as_issues(LOG);
        assert_eq!(issued.len(), 1, "{issued:#?}");
        let a = &issued[0];
        assert_eq!((a.authtime, a.client.as_str(), a.primary()), (1796226319, "198.18.237.3", "alice"));
        assert_eq!(a.server, "krbtgt/C237.YARNSEC.TEST@C237.YARNSEC.TEST");
    }

    #[test]
    fn a_torn_line_is_skipped() {
        let line = LOG.lines().nth(1).unwrap();
        for cut in [40, 120, 200, 260, line.len() - 60] {
            assert!(as_issues(&line[..cut]).is_empty(), "{}", &line[..cut]);
        }
    }

    proptest::proptest! {
        /// Whatever the log holds, reading it never panics, and what it finds has no blanks in
        /// its names.
        #[test]
        fn any_log_reads_without_panic(log in "(?s).{0,400}") {
            for a in as_issues(&log) {
                proptest::prop_assert!(!a.principal.contains(' ') && !a.client.is_empty());
            }
        }
    }
}
