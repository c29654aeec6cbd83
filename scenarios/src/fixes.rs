//! What to change when an item FAILs: one line per item, naming the Hadoop API or setting the
//! submitter's code should use instead. The report prints it under every FAIL.
//!
//! ```
//! let fix = yarnsec_scenarios::fixes::fix("C6").unwrap();
//! assert!(fix.contains("HADOOP_JAAS_DEBUG"));
//! ```

/// The fix for a FAIL of item `id`.
pub fn fix(id: &str) -> Option<&'static str> {
    FIXES.iter().find(|(item, _)| item.eq_ignore_ascii_case(id)).map(|(_, fix)| *fix)
}

const FIXES: [(&str, &str); 32] = [
    ("C1", "call UserGroupInformation.isSecurityEnabled() with the cluster's configuration and, when it is true, collect delegation tokens for the launch context"),
    ("C2", "get the HDFS token with FileSystem.addDelegationTokens(renewer, credentials), the renewer the ResourceManager's principal (yarn.resourcemanager.principal, mapped by Master.getMasterPrincipal), for every local filesystem"),
    ("C3", "get a token for every other service the application uses (TimelineClient.getDelegationToken for the timeline server, FileSystem.addDelegationTokens on each remote filesystem), the RM as renewer"),
    ("C4", "when HADOOP_TOKEN_FILE_LOCATION is set, take the launch context's tokens from UserGroupInformation.getCurrentUser().getCredentials() instead of asking the issuers"),
    ("C5", "put every token obtained in the Credentials written with Credentials.writeTokenStorageToStream into ContainerLaunchContext.setTokens() of the AM"),
    ("C6", "copy HADOOP_JAAS_DEBUG from the client's environment into the AM's ContainerLaunchContext environment when it is set"),
    ("C7", "set HADOOP_USER_NAME to the submitting user in the AM's launch context on an insecure cluster"),
    ("A1", "let UserGroupInformation read HADOOP_TOKEN_FILE_LOCATION (getCurrentUser()) before the AM registers with AMRMClient"),
    ("A2", "copy the AM's credentials for containers and remove the AM/RM token (AMRMTokenIdentifier.KIND_NAME) and timeline tokens before ContainerLaunchContext.setTokens()"),
    ("A3", "start a thread or ScheduledExecutorService in the AM that renews its tokens (Token.renew) before they expire, or re-obtains them from a keytab login"),
    ("A4", "cancel the application's tokens when it completes: keep mapreduce.job.complete.cancel.delegation.tokens (ApplicationSubmissionContext.setCancelTokensWhenComplete(true))"),
    ("A5", "pass each container its tokens through ContainerLaunchContext.setTokens() (the AM's filtered credentials, or fresh ones)"),
    ("A6", "propagate HADOOP_USER_NAME into every container's launch context on an insecure cluster"),
    ("A7", "copy HADOOP_JAAS_DEBUG from the AM's environment into each container's launch context when it is set"),
    ("K1", "call UserGroupInformation.isSecurityEnabled() (with the cluster's configuration on the class path) before the container code touches Hadoop"),
    ("K2", "start a thread or ScheduledExecutorService in long-running container code that renews its tokens (Token.renew) or re-obtains them before they expire"),
    ("L1", "choose a token renewal strategy: a keytab the AM logs in from (UserGroupInformation.loginUserFromKeytab) and new tokens for the containers, or a client that refreshes tokens"),
    ("L2", "upload the user's keytab to HDFS (or check it is there) and add it to the AM's local resources (LocalResource of the keytab's path)"),
    ("L3", "check the keytab's permissions before launching (owner-only, in a directory only the user can enter: `hdfs dfs -chmod 400`) and refuse or warn when others can read it"),
    ("L4", "acquire an HDFS delegation token in the client and attach it to the AM's ContainerLaunchContext, so the NodeManager can localize its resources"),
    ("L5", "log the AM in from the localized keytab with UserGroupInformation.loginUserFromKeytab(principal, keytab)"),
    ("L6", "let the AM take its AM/RM token from HADOOP_TOKEN_FILE_LOCATION (UserGroupInformation.getCurrentUser().getCredentials()) and register with it"),
    ("L7", "propagate the keytab to the containers, or have the AM obtain fresh delegation tokens and pass them to the containers through their launch contexts"),
    ("T1", "make the application launch and succeed on a Kerberos cluster: the diagnostics and the submitter's log say what it lacked"),
    ("T2", "submit as the user (UserGroupInformation.createProxyUser and doAs, or the REST API's doAs), not as the service's own principal"),
    ("T3", "serve the web UI behind SPNEGO and send the user to a page that exists (the application's page at the ResourceManager's proxy, /proxy/<application>/, not a tracking URL reported as N/A)"),
    ("T4", "protect every REST endpoint with SPNEGO (hadoop.http.authentication.type=kerberos, or an AuthenticationFilter) and answer anonymous callers 401"),
    ("T5", "let the ResourceManager renew the application's tokens (the RM as renewer) so that it outlives the user's ticket"),
    ("T6", "refuse a submission without valid Kerberos credentials before asking the cluster for anything (401 with WWW-Authenticate: Negotiate)"),
    ("T7", "get a timeline delegation token in the client and publish with TimelineClient from the AM"),
    ("T8", "get the HBase or Hive tokens the application needs (TokenUtil.obtainToken, HiveMetaStoreClient.getDelegationToken) at launch"),
    ("T9", "get a delegation token for every remote HDFS the application reads (mapreduce.job.hdfs-servers, FileSystem.addDelegationTokens on each) at launch"),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Every item has a fix, and each names something to change in code or configuration.
    #[test]
    fn every_item_has_a_fix_that_names_an_api_or_setting() {
        for item in crate::CHECKLIST {
            let fix = fix(item.id).unwrap_or_else(|| panic!("{} has no fix", item.id));
            let names_something = fix.chars().any(|c| c.is_ascii_uppercase()) || fix.contains(['.', '_', '`']);
            assert!(names_something && fix.len() > 40, "{}: {fix}", item.id);
        }
        assert_eq!(fix("A2").map(|f| f.contains("AMRMTokenIdentifier.KIND_NAME")), Some(true));
        assert_eq!(fix("Z9"), None);
    }
}
