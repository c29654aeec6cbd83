//! Kerberos for clients and servers: principals, per-principal credentials, `krb5.conf` files.

mod acceptor;
mod credential;
mod error;
mod ffi;
mod kdc_log;
mod keytab;
mod krb5_conf;
mod principal;

pub use acceptor::{Accepted, Acceptor};
pub use credential::{Credential, CredentialSource};
pub use error::KerberosError;
pub use kdc_log::{as_issues, AsIssue, AS_REQ_MARKER};
pub use keytab::{keytab_principals, looks_like_keytab, KeytabError};
pub use krb5_conf::{Krb5Conf, RealmEntry};
pub use principal::Principal;
