//! Kerberos principal names (`primary[/instance]@REALM`).

use std::fmt;
use std::str::FromStr;

use super::KerberosError;

/// A fully qualified Kerberos principal.
///
/// ```
/// use yarnsec_hadoop::Principal;
/// let p: Principal = "HTTP/hadoop.yarnsec.test@EXAMPLE.TEST".parse().unwrap();
/// assert_eq!(p.primary(), "HTTP");
/// assert_eq!(p.instance(), Some("hadoop.yarnsec.test"));
/// assert_eq!(p.realm(), "EXAMPLE.TEST");
/// assert_eq!(Principal::user("alice", "EXAMPLE.TEST").to_string(), "alice@EXAMPLE.TEST");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Principal {
    primary: String,
    instance: Option<String>,
    realm: String,
}

impl Principal {
    /// A user principal `name@realm`.
    pub fn user(name: &str, realm: &str) -> Self {
        Self { primary: name.to_string(), instance: None, realm: realm.to_string() }
    }

    /// A service principal `service/host@realm`.
    pub fn service(service: &str, host: &str, realm: &str) -> Self {
        Self { primary: service.to_string(), instance: Some(host.to_string()), realm: realm.to_string() }
    }

    /// The HTTP (SPNEGO) principal of a host.
    pub fn http(host: &str, realm: &str) -> Self {
        Self::service("HTTP", host, realm)
    }

    /// The part before `/` or `@`.
    pub fn primary(&self) -> &str {
        &self.primary
    }

    /// The part between `/` and `@`, usually a host name.
    pub fn instance(&self) -> Option<&str> {
        self.instance.as_deref()
    }

    /// The realm.
    pub fn realm(&self) -> &str {
        &self.realm
    }
}

impl fmt::Display for Principal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.instance {
            Some(i) => write!(f, "{}/{}@{}", self.primary, i, self.realm),
            None => write!(f, "{}@{}", self.primary, self.realm),
        }
    }
}

impl FromStr for Principal {
    type Err = KerberosError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || KerberosError::BadPrincipal { text: s.to_string() };
        let (name, realm) = s.rsplit_once('@').ok_or_else(bad)?;
        let valid = |part: &str| !part.is_empty() && !part.contains(['@', '/', ' ', '\n', '\0']);
        if !valid(realm) {
            return Err(bad());
        }
        let (primary, instance) = match name.split_once('/') {
            Some((p, i)) => (p, Some(i)),
            None => (name, None),
        };
        if !valid(primary) || instance.is_some_and(|i| !valid(i)) {
            return Err(bad());
        }
        Ok(Self { primary: primary.into(), instance: instance.map(Into::into), realm: realm.into() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_round_trip() {
        for s in ["alice@R.TEST", "nn/h.example@R.TEST", "HTTP/h@R"] {
            assert_eq!(s.parse::<Principal>().unwrap().to_string(), s);
        }
    }

    #[test]
    fn rejects_malformed_names() {
        for s in ["alice", "@R", "alice@", "a/b/c@R", "a b@R", "a/@R", "/h@R"] {
            assert!(s.parse::<Principal>().is_err(), "{s} was accepted");
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in ".*") {
            let _ = s.parse::<Principal>();
        }
    }
}
