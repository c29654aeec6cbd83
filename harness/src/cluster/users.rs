//! The cluster's test users and their credentials.

use std::path::PathBuf;

use yarnsec_hadoop::{Credential, Principal};

use crate::error::HarnessError;

/// A test user: alice and bob have principals and keytabs, carol has neither.
#[derive(Clone, Debug)]
pub struct ClusterUser {
    pub(crate) name: String,
    pub(crate) principal: Option<Principal>,
    pub(crate) password: Option<String>,
    pub(crate) keytab: Option<PathBuf>,
}

impl ClusterUser {
    /// The short name (OS, HDFS and YARN user).
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The Kerberos principal, if the user has one.
    pub fn principal(&self) -> Option<&Principal> {
        self.principal.as_ref()
    }
    /// The Kerberos password, if the user has a principal.
    pub fn password(&self) -> Option<&str> {
        self.password.as_deref()
    }
    /// The user's keytab on this host, if the user has a principal.
    pub fn keytab(&self) -> Option<&PathBuf> {
        self.keytab.as_ref()
    }

    /// Credentials from the user's keytab: a new ticket whenever the old one expires.
    pub fn credential(&self) -> Result<Credential, HarnessError> {
        let (principal, keytab) = self.principal.clone().zip(self.keytab.clone()).ok_or_else(|| self.no_principal())?;
        Ok(Credential::from_keytab(principal, keytab)?)
    }

    /// Credentials from the user's password: one ticket that expires after the profile's ticket
    /// lifetime and is never renewed, like a user who ran `kinit` once.
    pub fn login_once(&self) -> Result<Credential, HarnessError> {
        let (principal, password) = self.principal.clone().zip(self.password.clone()).ok_or_else(|| self.no_principal())?;
        Ok(Credential::from_password(principal, &password)?)
    }

    fn no_principal(&self) -> HarnessError {
        HarnessError::Kerberos(yarnsec_hadoop::KerberosError::Acquire {
            principal: self.name.clone(),
            source_desc: "the cluster's test users".into(),
            gss: "this user has no Kerberos principal".into(),
            hint: format!(
                "{} exists only as an OS and HDFS user (the missing-credential case); use alice or bob for a user with a ticket",
                self.name
            ),
        })
    }
}
