//! The one GSSAPI call the `libgssapi` crate does not wrap: `gss_acquire_cred_from`.
//!
//! It lets a credential name its own ticket cache and client keytab ("cred store"), which is how
//! one process holds alice's, bob's and a service's tickets at once without touching
//! `KRB5CCNAME` or `KRB5_CLIENT_KTNAME`.

use std::ffi::CString;
use std::ptr;

use libgssapi::credential::Cred;
use libgssapi::error::{Error, MajorFlags};
use libgssapi_sys::{
    gss_OID_desc, gss_acquire_cred_from, gss_buffer_desc, gss_cred_id_t, gss_import_name, gss_key_value_element_desc,
    gss_key_value_set_desc, gss_name_t, gss_release_name, OM_uint32, GSS_S_COMPLETE,
};

/// The Kerberos principal name type, 1.2.840.113554.1.2.2.1 (`GSS_KRB5_NT_PRINCIPAL_NAME`).
const KRB5_NT_PRINCIPAL: &[u8] = b"\x2a\x86\x48\x86\xf7\x12\x01\x02\x02\x01";
/// `GSS_C_INITIATE`: the credential starts contexts (it is a client's).
pub(crate) const INITIATE: i32 = 1;
/// `GSS_C_ACCEPT`: the credential accepts contexts (it is a server's).
pub(crate) const ACCEPT: i32 = 2;

/// Acquires initiator credentials for `principal` from the given cred-store entries
/// (`ccache`, `client_keytab`, ...).
pub(crate) fn acquire_from(principal: &str, store: &[(&str, &str)]) -> Result<Cred, Error> {
    acquire_from_as(Some(principal), store, INITIATE)
}

/// Acquires credentials for `principal` (any principal of the store when `None`) and `usage`.
pub(crate) fn acquire_from_as(principal: Option<&str>, store: &[(&str, &str)], usage: i32) -> Result<Cred, Error> {
    let invalid = Error { major: MajorFlags::GSS_S_BAD_NAME, minor: 0 };
    let entries: Vec<(CString, CString)> = store
        .iter()
        .map(|(k, v)| Ok((CString::new(*k)?, CString::new(*v)?)))
        .collect::<Result<_, std::ffi::NulError>>()
        .map_err(|_| invalid)?;
    let mut elements: Vec<gss_key_value_element_desc> =
        entries.iter().map(|(k, v)| gss_key_value_element_desc { key: k.as_ptr(), value: v.as_ptr() }).collect();
    let set = gss_key_value_set_desc { count: elements.len() as OM_uint32, elements: elements.as_mut_ptr() };
    let mut oid = gss_OID_desc { length: KRB5_NT_PRINCIPAL.len() as OM_uint32, elements: KRB5_NT_PRINCIPAL.as_ptr() as *mut _ };
    let mut minor: OM_uint32 = 0;
    let mut gss_name: gss_name_t = ptr::null_mut();
    // SAFETY: every pointer passed lives until the calls return; the imported name is released
    // below and the credential handle is handed to `Cred`, which releases it on drop.
    unsafe {
        if let Some(principal) = principal {
            let name = CString::new(principal).map_err(|_| invalid)?;
            let mut buffer = gss_buffer_desc { length: name.as_bytes().len(), value: name.as_ptr() as *mut _ };
            let major = gss_import_name(&mut minor, &mut buffer, &mut oid, &mut gss_name);
            if major != GSS_S_COMPLETE {
                return Err(Error { major: MajorFlags::from_bits_retain(major), minor });
            }
        }
        let mut cred: gss_cred_id_t = ptr::null_mut();
        let major = gss_acquire_cred_from(
            &mut minor,
            gss_name,
            0xffff_ffff, // GSS_C_INDEFINITE: as long as the KDC allows
            ptr::null_mut(),
            usage,
            &set,
            &mut cred,
            ptr::null_mut(),
            ptr::null_mut(),
        );
        if !gss_name.is_null() {
            let mut release_minor = 0;
            gss_release_name(&mut release_minor, &mut gss_name);
        }
        if major != GSS_S_COMPLETE {
            return Err(Error { major: MajorFlags::from_bits_retain(major), minor });
        }
        Ok(Cred::from_c(cred))
    }
}
