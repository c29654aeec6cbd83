//! A JVM's thread dump, read: its threads (header line and frames), and which of them renew
//! delegation tokens. The ApplicationMaster's renewer (A3) and the container code's (K2) are
//! judged from these.

/// Thread names and stack frames that show a delegation-token renewer at work: Hadoop's own
/// `DelegationTokenRenewer`, Spark's "Credential Renewal Thread", and any thread whose name or
/// frames renew or refresh tokens or credentials. Kerberos TGT renewal is not token renewal.
/// (Limitation: an executor thread with a generic name that renews between runs is recognized
/// only if its stack shows renewal when the dump is taken.)
pub fn renews_tokens(thread: &str) -> bool {
    let lower = thread.to_lowercase();
    let header = lower.lines().next().unwrap_or_default();
    if header.contains("tgt renewer") {
        return false;
    }
    let renew = lower.contains("renew") || lower.contains("refresh");
    let tokens = lower.contains("token") || lower.contains("credential");
    (renew && tokens) || lower.contains("delegationtokenrenewer")
}

/// Splits a JVM thread dump into threads (header line and frames).
pub fn threads(dump: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in dump.lines() {
        if line.starts_with('"') {
            out.push(line.to_string());
        } else if let Some(last) = out.last_mut() {
            if line.trim_start().starts_with("at ") {
                last.push('\n');
                last.push_str(line.trim());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_are_split_and_renewers_told_from_tgt_renewal() {
        let dump = "Full thread dump\n\n\"main\" #1\n   at java.lang.Thread.sleep(Native Method)\n\n\"TGT Renewer for alice@R\" #20 daemon\n   at x.renew\n\n\"Credential Renewal Thread\" #40 daemon\n   at java.util.concurrent.locks.LockSupport.parkNanos\n";
        let all = threads(dump);
        assert_eq!(all.len(), 3);
        let renewing: Vec<&str> = all.iter().filter(|t| renews_tokens(t)).map(|t| t.split('"').nth(1).unwrap()).collect();
        assert_eq!(renewing, ["Credential Renewal Thread"]);
    }
}
