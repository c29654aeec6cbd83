//! Errors of Kerberos operations; each names the principal, keytab or file to check.

use std::path::PathBuf;

/// What went wrong while getting or using Kerberos credentials.
#[derive(Debug, thiserror::Error)]
pub enum KerberosError {
    /// The text is not a Kerberos principal name.
    #[error("`{text}` is not a Kerberos principal: expected `primary[/instance]@REALM`, e.g. `alice@EXAMPLE.TEST`")]
    BadPrincipal {
        /// The rejected text.
        text: String,
    },
    /// The KDC or the GSSAPI library refused to give credentials for a principal.
    #[error("could not get Kerberos credentials for {principal} from {source_desc}: {gss}\nhint: {hint}")]
    Acquire {
        /// The principal whose credentials were asked for.
        principal: String,
        /// Where they were to come from (keytab path, password, ccache).
        source_desc: String,
        /// The GSSAPI error text (major and minor status).
        gss: String,
        /// What to check.
        hint: String,
    },
    /// A security context for a service could not be started (SPNEGO/GSSAPI client side).
    #[error("{principal} could not get a service ticket for {target}: {gss}\nhint: {hint}")]
    InitContext {
        /// The client principal.
        principal: String,
        /// The service principal.
        target: String,
        /// The GSSAPI error text.
        gss: String,
        /// What to check.
        hint: String,
    },
    /// A client's SPNEGO token was not accepted (forged, expired, for another service).
    #[error("the client's Kerberos token was refused: {gss}")]
    Accept {
        /// The GSSAPI error text.
        gss: String,
    },
    /// A `krb5.conf` file could not be read or written.
    #[error(
        "could not update the Kerberos configuration {path}: {source}\nhint: the file named by KRB5_CONFIG must be writable by yarnsec"
    )]
    Krb5Conf {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// No Kerberos configuration file is named for this process.
    #[error("KRB5_CONFIG is not set, so the system GSSAPI library cannot find the cluster's KDC\nhint: start the process with KRB5_CONFIG=<a file yarnsec may write> (the yarnsec binary and the project's tests set it for you)")]
    NoKrb5Config,
}

/// A hint for a GSSAPI error text, naming the usual cause.
pub(crate) fn hint_for(gss: &str, principal: &str) -> String {
    let lower = gss.to_ascii_lowercase();
    if lower.contains("not found in kerberos database") || lower.contains("client not found") {
        format!(
            "the KDC has no principal {principal}; create it with `kadmin.local -q \"addprinc {principal}\"` or use a user that has one"
        )
    } else if lower.contains("server not found") {
        format!("the KDC has no service principal for that host; check the host name used in the URL and that `HTTP/<host>` exists (the client was {principal})")
    } else if lower.contains("preauthentication failed") || lower.contains("password incorrect") {
        format!("the password or keytab key of {principal} is wrong; export the keytab again with `kadmin.local -q \"ktadd -norandkey -k FILE {principal}\"`")
    } else if lower.contains("expired") {
        format!("the ticket of {principal} has expired; get a new one (kinit, or a credential from a keytab, which renews itself)")
    } else if lower.contains("cannot contact any kdc") || lower.contains("cannot find kdc") || lower.contains("unable to reach") {
        "no KDC answered; check the `kdc =` line for this realm in the file named by KRB5_CONFIG and that the KDC container is running"
            .to_string()
    } else if lower.contains("key table") || lower.contains("keytab") {
        format!("the keytab does not hold a key for {principal}; list it with `klist -kt FILE`")
    } else {
        format!("check the realm of {principal} in the file named by KRB5_CONFIG and that the KDC runs")
    }
}
