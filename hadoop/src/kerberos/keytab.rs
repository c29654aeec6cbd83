//! What a keytab file holds: the principals of its entries, read from MIT's keytab format
//! (version 0x0502, big-endian), without the keys. Enough to tell a keytab from any other file
//! and to say whose it is.

use super::Principal;

/// Why bytes are not a keytab.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeytabError {
    /// The first two bytes are not a keytab's (0x05 0x02).
    #[error("not a keytab: it starts with {0:02x?}, a keytab starts with 05 02")]
    NotAKeytab(Vec<u8>),
    /// An entry runs past the end or holds text that is not UTF-8.
    #[error("a damaged keytab: entry {entry} at byte {offset}: {detail}")]
    Damaged {
        /// Index of the entry (0-based).
        entry: usize,
        /// Where it starts.
        offset: usize,
        /// What is wrong.
        detail: &'static str,
    },
}

/// Whether `bytes` start like a keytab (version 0x0502).
pub fn looks_like_keytab(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x05, 0x02])
}

/// The principals of a keytab's entries, each once, in their first order.
///
/// ```
/// use yarnsec_hadoop::kerberos::keytab_principals;
/// // A keytab with one entry for alice@EXAMPLE.TEST (version 1 of the key, no key bytes).
/// let mut entry = vec![0, 1, 0, 12];
/// entry.extend(b"EXAMPLE.TEST");
/// entry.extend([0, 5]);
/// entry.extend(b"alice");
/// entry.extend([0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 17, 0, 0]);
/// let mut keytab = vec![5, 2];
/// keytab.extend((entry.len() as i32).to_be_bytes());
/// keytab.extend(entry);
/// let principals = keytab_principals(&keytab).unwrap();
/// assert_eq!(principals[0].to_string(), "alice@EXAMPLE.TEST");
/// assert!(keytab_principals(b"#!/bin/sh").is_err());
/// ```
pub fn keytab_principals(bytes: &[u8]) -> Result<Vec<Principal>, KeytabError> {
    if !looks_like_keytab(bytes) {
        return Err(KeytabError::NotAKeytab(bytes.iter().take(2).copied().collect()));
    }
    let mut out: Vec<Principal> = Vec::new();
    let mut at = 2;
    let mut entry = 0;
    while at + 4 <= bytes.len() {
        let size = i32::from_be_bytes(bytes[at..at + 4].try_into().expect("four bytes"));
        let start = at + 4;
        let len = size.unsigned_abs() as usize;
        let damaged = |detail| KeytabError::Damaged { entry, offset: at, detail };
        let end = start.checked_add(len).filter(|e| *e <= bytes.len()).ok_or_else(|| damaged("its size runs past the end"))?;
        if size > 0 {
            let principal = entry_principal(&bytes[start..end]).map_err(damaged)?;
            if !out.contains(&principal) {
                out.push(principal);
            }
            entry += 1;
        }
        if size == 0 {
            break;
        }
        at = end;
    }
    Ok(out)
}

/// The principal at the start of one entry: component count, realm, components.
fn entry_principal(entry: &[u8]) -> Result<Principal, &'static str> {
    let mut reader = Reader { bytes: entry, at: 0 };
    let count = reader.u16().ok_or("no component count")?;
    let realm = reader.text().ok_or("the realm runs past the entry or is not UTF-8")?;
    let mut parts = Vec::new();
    for _ in 0..count {
        parts.push(reader.text().ok_or("a name component runs past the entry or is not UTF-8")?);
    }
    match parts.as_slice() {
        [primary] => Ok(Principal::user(primary, realm)),
        [primary, instance] => Ok(Principal::service(primary, instance, realm)),
        _ => Err("a principal with other than one or two components"),
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn u16(&mut self) -> Option<u16> {
        let v = self.bytes.get(self.at..self.at + 2)?;
        self.at += 2;
        Some(u16::from_be_bytes([v[0], v[1]]))
    }

    fn text(&mut self) -> Option<&'a str> {
        let len = self.u16()? as usize;
        let v = self.bytes.get(self.at..self.at + len)?;
        self.at += len;
        std::str::from_utf8(v).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(realm: &str, parts: &[&str]) -> Vec<u8> {
        let mut e = (parts.len() as u16).to_be_bytes().to_vec();
        for s in std::iter::once(realm).chain(parts.iter().copied()) {
            e.extend((s.len() as u16).to_be_bytes());
            e.extend(s.as_bytes());
        }
        e.extend([0, 0, 0, 1, 0, 0, 0, 0, 2, 0, 18, 0, 4, 1, 2, 3, 4]);
        let mut out = (e.len() as i32).to_be_bytes().to_vec();
        out.extend(e);
        out
    }

    #[test]
    fn reads_every_principal_once_and_skips_holes() {
        let mut k = vec![5, 2];
        k.extend(entry("R.TEST", &["alice"]));
        k.extend((-6i32).to_be_bytes());
        k.extend([0; 6]);
        k.extend(entry("R.TEST", &["alice", "hadoop.r.test"]));
        k.extend(entry("R.TEST", &["alice"]));
        let p: Vec<String> = keytab_principals(&k).unwrap().iter().map(|p| p.to_string()).collect();
        assert_eq!(p, ["alice@R.TEST", "alice/hadoop.r.test@R.TEST"]);
    }

    #[test]
    fn names_what_is_wrong() {
        assert!(matches!(keytab_principals(b"PK\x03\x04"), Err(KeytabError::NotAKeytab(_))));
        let mut k = vec![5, 2];
        k.extend(entry("R.TEST", &["alice"]));
        k.truncate(k.len() - 3);
        let e = keytab_principals(&k).unwrap_err();
        assert!(e.to_string().contains("runs past the end"), "{e}");
        assert_eq!(keytab_principals(&[5, 2]).unwrap(), vec![]);
    }

    proptest::proptest! {
        #[test]
        fn never_panics(tail in proptest::collection::vec(proptest::num::u8::ANY, 0..200)) {
            let mut k = vec![5, 2];
            k.extend(tail);
            let _ = keytab_principals(&k);
        }
    }
}
