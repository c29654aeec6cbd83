//! Errors of the service, each mapped to an HTTP status that tells the client what to do.

use yarnsec_hadoop::{HttpError, KerberosError};

/// What went wrong.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The configuration cannot be used.
    #[error("bad configuration: {detail}\nhint: see `yarnsec-service --help` for every key")]
    Config {
        /// What is wrong.
        detail: String,
    },
    /// The keytab is readable by others.
    #[error("refusing to start: the keytab {path} is readable by group or others (mode {mode:o})\nhint: run `chmod 600 {path}`; anyone who can read it can act as the service and every user it serves")]
    KeytabExposed {
        /// The keytab.
        path: String,
        /// Its mode.
        mode: u32,
    },
    /// The keytab cannot be read.
    #[error("cannot read the keytab {path}: {detail}")]
    KeytabUnreadable {
        /// The keytab.
        path: String,
        /// Why.
        detail: String,
    },
    /// A form field is missing or out of range (400).
    #[error("{field}: {message}")]
    BadField {
        /// The field.
        field: String,
        /// What is allowed.
        message: String,
    },
    /// The token file named by `HADOOP_TOKEN_FILE_LOCATION` cannot be used.
    #[error("the token file {path} (HADOOP_TOKEN_FILE_LOCATION) cannot be used: {detail}\nhint: an Oozie-style launcher must put the user's HDFS delegation token for the cluster's NameNode and an RM_DELEGATION_TOKEN there")]
    TokenFile {
        /// The file.
        path: String,
        /// What is wrong.
        detail: String,
    },
    /// Kerberos failed on the service's side.
    #[error(transparent)]
    Kerberos(#[from] KerberosError),
    /// Hadoop refused or failed (the message carries Hadoop's exception).
    #[error("hadoop: {0}")]
    Hadoop(#[from] HttpError),
}
