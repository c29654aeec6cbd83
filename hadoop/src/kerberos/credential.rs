//! One principal's Kerberos credentials, held in this process only.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use libgssapi::context::{ClientCtx, CtxFlags};
use libgssapi::credential::{Cred, CredUsage};
use libgssapi::name::Name;
use libgssapi::oid::{OidSet, GSS_MECH_KRB5, GSS_MECH_SPNEGO, GSS_NT_KRB5_PRINCIPAL};

use super::error::hint_for;
use super::{ffi, KerberosError, Principal};

/// Where a credential's tickets come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CredentialSource {
    /// A client keytab: the library gets a new ticket whenever the old one expires, like a
    /// long-running service that logs in from its keytab.
    Keytab(PathBuf),
    /// A password, used once: the ticket is not renewed, like a user who ran `kinit` once.
    Password,
    /// An existing ticket cache, e.g. `FILE:/tmp/krb5cc_alice` written by `kinit`.
    Ccache(String),
}

/// The Kerberos credentials of one principal, held in this process (an in-memory ticket cache or
/// a named one), never in process-wide environment variables.
///
/// Every method blocks on the KDC; call them from `spawn_blocking` in async code (the
/// [`SpnegoClient`](crate::SpnegoClient) does).
///
/// ```no_run
/// use yarnsec_hadoop::{Credential, Principal};
/// let alice = Credential::from_keytab(Principal::user("alice", "EXAMPLE.TEST"), "/keytabs/alice.keytab")?;
/// let token = alice.initiate(&Principal::http("hadoop.example.test", "EXAMPLE.TEST"))?;
/// assert!(!token.is_empty());
/// # Ok::<(), yarnsec_hadoop::KerberosError>(())
/// ```
#[derive(Clone)]
pub struct Credential {
    principal: Principal,
    source: CredentialSource,
    /// Shared by clones, so that a re-login from the keytab serves every holder.
    cred: Arc<Mutex<Cred>>,
}

static NEXT_CACHE: AtomicU64 = AtomicU64::new(0);

/// A keytab credential logs in again when its ticket has less than this left, so that no request
/// ever starts with a ticket about to expire.
const RELOGIN_MARGIN: Duration = Duration::from_secs(15);

impl Credential {
    /// Credentials from a client keytab, renewed from it as needed, cached in memory.
    pub fn from_keytab(principal: Principal, keytab: impl AsRef<Path>) -> Result<Self, KerberosError> {
        let keytab = keytab.as_ref().to_path_buf();
        let (_, cred) = login_from_keytab(&principal, &keytab)?;
        Ok(Self::new(principal, CredentialSource::Keytab(keytab), cred))
    }

    /// Credentials from a password: one initial ticket, never renewed (like a single `kinit`).
    pub fn from_password(principal: Principal, password: &str) -> Result<Self, KerberosError> {
        let name = principal_name(&principal)?;
        let krb5 = OidSet::singleton(GSS_MECH_KRB5).map_err(|e| acquire_error(&principal, "a password", e))?;
        let initial = Cred::acquire_with_password(Some(&name), password, None, CredUsage::Initiate, Some(&krb5))
            .map_err(|e| acquire_error(&principal, "a password", e))?;
        // Like `kinit`: put the ticket in a cache of its own and use it from there (SPNEGO cannot
        // negotiate over the password credential itself). No keytab, so nothing renews it.
        let ccache = new_memory_ccache();
        initial
            .store_into(&ccache, true, false, CredUsage::Initiate, Some(GSS_MECH_KRB5))
            .map_err(|e| acquire_error(&principal, "a password", e))?;
        let cred = ffi::acquire_from(&principal.to_string(), &[("ccache", &ccache)])
            .map_err(|e| acquire_error(&principal, &format!("ticket cache {ccache}"), e))?;
        Ok(Self::new(principal, CredentialSource::Password, cred))
    }

    /// Credentials that log in from `keytab` once and never again: the ticket expires after its
    /// lifetime, like a service that forgot to re-login.
    pub fn from_keytab_once(principal: Principal, keytab: impl AsRef<Path>) -> Result<Self, KerberosError> {
        let keytab = keytab.as_ref();
        let (ccache, with_keytab) = login_from_keytab(&principal, keytab)?;
        // One service ticket for our own realm's ticket-granting service fills the cache...
        let tgs = Principal::service("krbtgt", principal.realm(), principal.realm());
        let name = principal_name(&tgs)?;
        let mut ctx = ClientCtx::new(Some(with_keytab), name, CtxFlags::empty(), Some(GSS_MECH_KRB5));
        ctx.step(None, None).map_err(|e| acquire_error(&principal, &format!("keytab {}", keytab.display()), e))?;
        // ...and from then on only the cache is used.
        Self::from_ccache(principal, &ccache)
    }

    /// Credentials from an existing ticket cache such as `FILE:/tmp/cc` written by `kinit`.
    pub fn from_ccache(principal: Principal, ccache: &str) -> Result<Self, KerberosError> {
        let cred = ffi::acquire_from(&principal.to_string(), &[("ccache", ccache)])
            .map_err(|e| acquire_error(&principal, &format!("ticket cache {ccache}"), e))?;
        Ok(Self::new(principal, CredentialSource::Ccache(ccache.to_string()), cred))
    }

    fn new(principal: Principal, source: CredentialSource, cred: Cred) -> Self {
        Self { principal, source, cred: Arc::new(Mutex::new(cred)) }
    }

    /// The principal these credentials are for.
    pub fn principal(&self) -> &Principal {
        &self.principal
    }

    /// Where the tickets come from.
    pub fn source(&self) -> &CredentialSource {
        &self.source
    }

    /// How long the current ticket remains valid (zero once expired).
    pub fn remaining_lifetime(&self) -> Result<Duration, KerberosError> {
        match self.current()?.lifetime() {
            Ok(left) => Ok(left),
            Err(e) if e.major.contains(libgssapi::error::MajorFlags::GSS_S_CREDENTIALS_EXPIRED) => Ok(Duration::ZERO),
            Err(e) => Err(acquire_error(&self.principal, "its ticket cache", e)),
        }
    }

    /// The GSSAPI credential to use now. A keytab credential whose ticket is (nearly) expired
    /// logs in again into a fresh in-memory cache, as Hadoop's `UserGroupInformation` does.
    fn current(&self) -> Result<Cred, KerberosError> {
        let mut cred = self.cred.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let CredentialSource::Keytab(keytab) = &self.source {
            let fresh = cred.lifetime().is_ok_and(|left| left > RELOGIN_MARGIN);
            if !fresh {
                *cred = login_from_keytab(&self.principal, keytab)?.1;
            }
        }
        Ok(cred.clone())
    }

    /// Starts a SPNEGO security context with `target` and returns the token to send in an
    /// `Authorization: Negotiate` header.
    pub fn initiate(&self, target: &Principal) -> Result<Vec<u8>, KerberosError> {
        let init_error = |e: libgssapi::error::Error| {
            let gss = e.to_string();
            KerberosError::InitContext {
                principal: self.principal.to_string(),
                target: target.to_string(),
                hint: hint_for(&gss, &self.principal.to_string()),
                gss,
            }
        };
        let name = principal_name(target)?;
        let mut ctx = ClientCtx::new(Some(self.current()?), name, CtxFlags::empty(), Some(GSS_MECH_SPNEGO));
        let token = ctx.step(None, None).map_err(init_error)?;
        Ok(token.map(|t| t.to_vec()).unwrap_or_default())
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credential").field("principal", &self.principal.to_string()).field("source", &self.source).finish()
    }
}

/// A new credential in a new in-memory cache (returned by name) that gets its tickets from
/// `keytab`.
fn login_from_keytab(principal: &Principal, keytab: &Path) -> Result<(String, Cred), KerberosError> {
    let ccache = new_memory_ccache();
    let keytab_str = keytab.to_string_lossy().into_owned();
    let cred = ffi::acquire_from(&principal.to_string(), &[("ccache", &ccache), ("client_keytab", &keytab_str)])
        .map_err(|e| acquire_error(principal, &format!("keytab {}", keytab.display()), e))?;
    Ok((ccache, cred))
}

/// A ticket cache name no other credential of this process uses.
fn new_memory_ccache() -> String {
    format!("MEMORY:yarnsec-{}-{}", std::process::id(), NEXT_CACHE.fetch_add(1, Ordering::Relaxed))
}

fn principal_name(principal: &Principal) -> Result<Name, KerberosError> {
    Name::new(principal.to_string().as_bytes(), Some(GSS_NT_KRB5_PRINCIPAL))
        .map_err(|_| KerberosError::BadPrincipal { text: principal.to_string() })
}

fn acquire_error(principal: &Principal, source: &str, e: libgssapi::error::Error) -> KerberosError {
    let gss = e.to_string();
    KerberosError::Acquire {
        principal: principal.to_string(),
        source_desc: source.to_string(),
        hint: hint_for(&gss, &principal.to_string()),
        gss,
    }
}
