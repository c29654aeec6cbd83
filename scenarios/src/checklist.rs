//! The 32 items of the checklist at the end of "YARN Application Security", in the document's
//! order, with their exact text. Ids: C client, A application master, K container code, L
//! long-lived applications, T testing.

use serde::Serialize;

/// One checklist item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ChecklistItem {
    /// `C1` … `T9`.
    pub id: &'static str,
    /// The section of the checklist.
    pub section: &'static str,
    /// The item's text, as the document has it.
    pub text: &'static str,
}

const CLIENT: &str = "Client";
const AM: &str = "Application Master";
const CONTAINER: &str = "Container code";
const LONG_LIVED: &str = "Long-lived applications";
const TESTING: &str = "Testing";

const fn item(id: &'static str, section: &'static str, text: &'static str) -> ChecklistItem {
    ChecklistItem { id, section, text }
}

/// Every item, in order.
pub const CHECKLIST: [ChecklistItem; 32] = [
    item("C1", CLIENT, "Client checks for security being enabled via UserGroupInformation.isSecurityEnabled()"),
    item("C2", CLIENT, "If HADOOP_TOKEN_FILE_LOCATION is unset, client acquires delegation tokens for the local filesystems, with the RM principal set as the renewer."),
    item("C3", CLIENT, "If HADOOP_TOKEN_FILE_LOCATION is unset, client acquires delegation tokens for all other services to be used in the YARN application."),
    item("C4", CLIENT, "If HADOOP_TOKEN_FILE_LOCATION is set, client uses the current user’s credentials as the source of all tokens to be added to the container launch context."),
    item("C5", CLIENT, "Client sets all tokens on AM ContainerLaunchContext.setTokens()."),
    item("C6", CLIENT, "Recommended: if it is set in the client’s environment, client sets the environment variable HADOOP_JAAS_DEBUG=true in the Container launch context of the AM."),
    item("C7", CLIENT, "Propagate local username to YARN AM, hence HDFS identity via the HADOOP_USER_NAME environment variable."),
    item("A1", AM, "In a secure cluster, AM retrieves security tokens from HADOOP_TOKEN_FILE_LOCATION environment variable (automatically done by UGI)."),
    item("A2", AM, "A copy the token set is filtered to remove the AM/RM token and any timeline token."),
    item("A3", AM, "A thread or executor is started to renew threads on a regular basis."),
    item("A4", AM, "Recommended: AM cancels tokens when application completes."),
    item("A5", AM, "Tokens to be passed to containers are passed via ContainerLaunchContext.setTokens()."),
    item("A6", AM, "In an insecure cluster, propagate the HADOOP_USER_NAME environment variable."),
    item("A7", AM, "Recommended: AM sets the environment variable HADOOP_JAAS_DEBUG=true in the Container launch context if it is set in the AM’s environment."),
    item("K1", CONTAINER, "Call UserGroupInformation.isSecurityEnabled() to trigger security setup."),
    item("K2", CONTAINER, "A thread or executor is started to renew threads on a regular basis."),
    item("L1", LONG_LIVED, "Application developers have chosen and implemented a token renewal strategy: shared keytab, AM keytab or client-side token refresh."),
    item("L2", LONG_LIVED, "In a secure cluster, the keytab is either already in HDFS (and checked for), or it is in the local FS of the client, in which case it must be uploaded and added to the list of resources to localize."),
    item("L3", LONG_LIVED, "If stored in HDFS, keytab permissions should be checked. If the keytab is readable by principals other than the current user, warn, and consider actually failing the launch (similar to the normal ssh application.)"),
    item("L4", LONG_LIVED, "Client acquires HDFS delegation token and attaches to the AM Container Launch Context,"),
    item("L5", LONG_LIVED, "AM logs in as principal in keytab via loginUserFromKeytab()."),
    item("L6", LONG_LIVED, "(AM extracts AM/RM token from the HADOOP_TOKEN_FILE_LOCATION environment variable)."),
    item("L7", LONG_LIVED, "For launched containers, either the keytab is propagated, or the AM acquires/attaches all required delegation tokens to the Container Launch context alongside the HDFS delegation token needed by the NMs."),
    item("T1", TESTING, "Application launched in secure cluster."),
    item("T2", TESTING, "Launched application runs as user submitting job (tip: log user.name system property in AM)."),
    item("T3", TESTING, "Web browser interaction verified in secure cluster."),
    item("T4", TESTING, "REST client interation (GET operations) tested."),
    item("T5", TESTING, "Application continues to run after Kerberos Token expiry."),
    item("T6", TESTING, "Application does not launch if user lacks Kerberos credentials."),
    item("T7", TESTING, "If the application supports the timeline server, verify that it publishes events in a secure cluster."),
    item("T8", TESTING, "If the application integrates with other applications, such as HBase or Hive, verify that the interaction works in a secure cluster."),
    item("T9", TESTING, "If the application communicates with remote HDFS clusters, verify that it can do so in a secure cluster (i.e. that the client extracted any delegation tokens for this at launch time)"),
];

/// Items that mostly wait for lifetimes to pass (a token max lifetime, a ticket, a renew
/// interval): started first, the longest wait first (web submissions take turns, so L1's
/// application is submitted before any other).
pub const LONG_ITEMS: [&str; 4] = ["L1", "T5", "A3", "T6"];

/// When an item starts among others: the long waits first, in [`LONG_ITEMS`]' order, then the
/// rest, then the items that judge the long-lived application L1 watches, so that their wait
/// for it holds no slot another item could use.
///
/// ```
/// use yarnsec_scenarios::checklist::run_rank;
/// assert!(run_rank("L1") < run_rank("A3") && run_rank("A3") < run_rank("C1"));
/// assert!(run_rank("C1") < run_rank("L3"));
/// ```
pub fn run_rank(id: &str) -> usize {
    match LONG_ITEMS.iter().position(|l| *l == id) {
        Some(at) => at,
        None if matches!(id, "L2" | "L3" | "L4" | "L5" | "L6" | "L7") => LONG_ITEMS.len() + 1,
        None => LONG_ITEMS.len(),
    }
}

/// The item with this id.
pub fn find(id: &str) -> Option<&'static ChecklistItem> {
    CHECKLIST.iter().find(|i| i.id.eq_ignore_ascii_case(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_text_is_in_the_reference_document_in_order() {
        // The document sits in the project's shared folder beside the repository.
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/reference/yarn-application-security.txt");
        let Ok(doc) = std::fs::read_to_string(path) else {
            eprintln!("SKIPPED: the reference document is not at {path}");
            return;
        };
        let mut from = 0;
        for item in CHECKLIST {
            let needle = format!("[ ] {}", item.text);
            let at = doc[from..].find(&needle).unwrap_or_else(|| panic!("{} not found after offset {from}: {}", item.id, item.text));
            from += at + needle.len();
        }
        let ids: std::collections::HashSet<_> = CHECKLIST.iter().map(|i| i.id).collect();
        assert_eq!(ids.len(), 32);
    }
}
