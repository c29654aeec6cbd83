//! The server side of SPNEGO: accepting a client's `Negotiate` token with a service keytab.

use std::path::{Path, PathBuf};

use libgssapi::context::{SecurityContext, ServerCtx};
use libgssapi::credential::Cred;

use super::{ffi, KerberosError, Principal};

/// Accepts SPNEGO tokens for any service principal in a keytab (e.g. `HTTP/<host>`).
///
/// ```no_run
/// use yarnsec_hadoop::kerberos::Acceptor;
/// let acceptor = Acceptor::from_keytab("/etc/yarnsec/service.keytab")?;
/// # let token_from_client: Vec<u8> = vec![];
/// let accepted = acceptor.accept(&token_from_client)?;
/// println!("request from {}", accepted.client);
/// # Ok::<(), yarnsec_hadoop::KerberosError>(())
/// ```
#[derive(Clone)]
pub struct Acceptor {
    keytab: PathBuf,
    cred: Cred,
}

/// A client the acceptor authenticated.
#[derive(Clone, Debug)]
pub struct Accepted {
    /// The client's principal.
    pub client: Principal,
    /// A last token for the client (`WWW-Authenticate: Negotiate <token>`), if the mechanism made one.
    pub reply: Option<Vec<u8>>,
}

impl std::fmt::Debug for Acceptor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Acceptor").field("keytab", &self.keytab).finish()
    }
}

impl Acceptor {
    /// An acceptor for every principal in `keytab`.
    pub fn from_keytab(keytab: impl AsRef<Path>) -> Result<Self, KerberosError> {
        let keytab = keytab.as_ref().to_path_buf();
        let path = keytab.to_string_lossy().into_owned();
        let cred = ffi::acquire_from_as(None, &[("keytab", &path)], ffi::ACCEPT).map_err(|e| KerberosError::Acquire {
            principal: "HTTP/<this host>".into(),
            source_desc: format!("keytab {}", keytab.display()),
            gss: e.to_string(),
            hint: format!("the keytab must hold the service's HTTP/<host> key; list it with `klist -kt {}`", keytab.display()),
        })?;
        Ok(Self { keytab, cred })
    }

    /// Accepts one SPNEGO token (a single round trip, as HTTP Negotiate uses).
    pub fn accept(&self, token: &[u8]) -> Result<Accepted, KerberosError> {
        let reject = |gss: String| KerberosError::Accept { gss };
        let mut ctx = ServerCtx::new(Some(self.cred.clone()));
        let reply = ctx.step(token, None).map_err(|e| reject(e.to_string()))?;
        if !ctx.is_complete() {
            return Err(reject("the client's token needs another round trip, which HTTP Negotiate does not do".into()));
        }
        let name = ctx.source_name().map_err(|e| reject(e.to_string()))?;
        let client: Principal = name.to_string().parse()?;
        Ok(Accepted { client, reply: reply.map(|b| b.to_vec()) })
    }
}
