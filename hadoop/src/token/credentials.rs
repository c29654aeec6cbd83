//! Hadoop `Credentials` token storage files (`container_tokens`, `HADOOP_TOKEN_FILE_LOCATION`) in the Writable (version 0) and protobuf (version 1) formats.

use std::fmt;

use super::reader::{Reader, Result, WIRE_LEN};
use super::writer::{write_pb_bytes_field, write_pb_varint, write_text, write_vint_bytes, write_vlong};
use super::{Token, TokenError};

/// The four bytes every token storage file starts with.
pub const MAGIC: [u8; 4] = *b"HDTS";

/// The tokens and secret keys of a Hadoop token storage file.
///
/// The file is `HDTS`, a format byte, then either (0, `SerializedFormat.WRITABLE`,
/// what Hadoop 3.4 writes by default) a vint token count, each token as `Text`
/// alias plus `Token` Writable, and a vint secret count, each secret as `Text`
/// alias plus vint-length bytes; or (1, `SerializedFormat.PROTOBUF`) a
/// varint-length-delimited `CredentialsProto`.
///
/// Entries keep their file order; duplicate aliases are kept (Hadoop's maps
/// would keep the last). Secrets are never shown by [`fmt::Debug`] or [`fmt::Display`].
///
/// ```
/// use yarnsec_hadoop::token::{Credentials, Token};
///
/// let creds = Credentials {
///     tokens: vec![("hdfs".into(), Token { kind: "HDFS_DELEGATION_TOKEN".into(), ..Token::default() })],
///     secrets: vec![("db-password".into(), b"hunter2".to_vec())],
/// };
/// for bytes in [creds.to_bytes_v0(), creds.to_bytes_v1()] {
///     assert_eq!(&bytes[..4], b"HDTS");
///     assert_eq!(Credentials::parse(&bytes)?, creds);
/// }
/// assert!(!format!("{creds:?}{creds}").contains("hunter2"));
/// # Ok::<(), yarnsec_hadoop::token::TokenError>(())
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Credentials {
    /// Tokens by alias (often the service, e.g. `ha-hdfs:nameservice1`).
    pub tokens: Vec<(String, Token)>,
    /// Secret keys by alias.
    pub secrets: Vec<(String, Vec<u8>)>,
}

impl Credentials {
    /// Parses a token storage file in either format; trailing bytes are an error.
    pub fn parse(bytes: &[u8]) -> Result<Self> {
        let mut r = Reader::new(bytes);
        let found = r.array("token storage magic")?;
        if found != MAGIC {
            return Err(TokenError::BadMagic { found });
        }
        let offset = r.offset();
        let creds = match r.u8("token storage format version")? {
            0 => Self::read_writable(&mut r)?,
            1 => Self::read_protobuf(&mut r)?,
            version => {
                return Err(TokenError::UnsupportedVersion {
                    what: "token storage format",
                    offset,
                    version,
                    supported: "0 (writable) or 1 (protobuf)",
                })
            }
        };
        r.expect_end("credentials")?;
        Ok(creds)
    }

    fn read_writable(r: &mut Reader<'_>) -> Result<Self> {
        let mut creds = Self::default();
        // Each entry consumes at least one byte, so the counts cannot make
        // this loop outlast the input.
        for _ in 0..r.vint_len("token count")? {
            let alias = r.text("token alias")?.to_owned();
            creds.tokens.push((alias, Token::read_writable(r)?));
        }
        for _ in 0..r.vint_len("secret count")? {
            let alias = r.text("secret alias")?.to_owned();
            creds.secrets.push((alias, r.vint_bytes("secret value")?.to_vec()));
        }
        Ok(creds)
    }

    fn read_protobuf(r: &mut Reader<'_>) -> Result<Self> {
        const MSG: &str = "CredentialsProto";
        let mut creds = Self::default();
        let mut body = r.pb_message(MSG)?;
        while let Some((field, wire)) = body.pb_key(MSG)? {
            match (field, wire) {
                (1, WIRE_LEN) => {
                    let kv = Entry::read(body.pb_message("CredentialsProto.tokens")?)?;
                    let token = kv.token.ok_or(TokenError::MissingField { what: "CredentialsKVProto.token", offset: kv.offset })?;
                    creds.tokens.push((kv.alias, token));
                }
                (2, WIRE_LEN) => {
                    let kv = Entry::read(body.pb_message("CredentialsProto.secrets")?)?;
                    creds.secrets.push((kv.alias, kv.secret.unwrap_or_default()));
                }
                _ => body.pb_skip(wire, MSG)?,
            }
        }
        Ok(creds)
    }

    /// Encodes version 0 (`SerializedFormat.WRITABLE`), the format Hadoop 3.4's
    /// `writeTokenStorageToStream` uses by default.
    pub fn to_bytes_v0(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        out.push(0);
        write_vlong(&mut out, self.tokens.len() as i64);
        for (alias, token) in &self.tokens {
            write_text(&mut out, alias);
            token.write_writable(&mut out);
        }
        write_vlong(&mut out, self.secrets.len() as i64);
        for (alias, secret) in &self.secrets {
            write_text(&mut out, alias);
            write_vint_bytes(&mut out, secret);
        }
        out
    }

    /// Encodes version 1 (`SerializedFormat.PROTOBUF`): a delimited `CredentialsProto`.
    pub fn to_bytes_v1(&self) -> Vec<u8> {
        let mut body = Vec::new();
        let mut kv = Vec::new();
        for (alias, token) in &self.tokens {
            kv.clear();
            write_pb_bytes_field(&mut kv, 1, alias.as_bytes());
            write_pb_bytes_field(&mut kv, 2, &token.to_proto());
            write_pb_bytes_field(&mut body, 1, &kv);
        }
        for (alias, secret) in &self.secrets {
            kv.clear();
            write_pb_bytes_field(&mut kv, 1, alias.as_bytes());
            write_pb_bytes_field(&mut kv, 3, secret);
            write_pb_bytes_field(&mut body, 2, &kv);
        }
        let mut out = MAGIC.to_vec();
        out.push(1);
        write_pb_varint(&mut out, body.len() as u64);
        out.extend_from_slice(&body);
        out
    }

    /// The first token stored under `alias`.
    pub fn token(&self, alias: &str) -> Option<&Token> {
        self.tokens.iter().find(|(a, _)| a == alias).map(|(_, t)| t)
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secrets: Vec<_> = self.secrets.iter().map(|(alias, value)| (alias, format!("<{} bytes redacted>", value.len()))).collect();
        f.debug_struct("Credentials").field("tokens", &self.tokens).field("secrets", &secrets).finish()
    }
}

/// One line per token (its [`Token`] summary) and per secret (alias and length only).
impl fmt::Display for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (alias, token) in &self.tokens {
            writeln!(f, "token {alias:?}: {token}")?;
        }
        for (alias, value) in &self.secrets {
            writeln!(f, "secret {alias:?}: {} bytes", value.len())?;
        }
        Ok(())
    }
}

/// A decoded `CredentialsKVProto { required string alias = 1; optional
/// TokenProto token = 2; optional bytes secret = 3; }`.
struct Entry {
    offset: usize,
    alias: String,
    token: Option<Token>,
    secret: Option<Vec<u8>>,
}

impl Entry {
    fn read(mut r: Reader<'_>) -> Result<Self> {
        const MSG: &str = "CredentialsKVProto";
        let offset = r.offset();
        let (mut alias, mut token, mut secret) = (None, None, None);
        while let Some((field, wire)) = r.pb_key(MSG)? {
            match (field, wire) {
                (1, WIRE_LEN) => alias = Some(r.pb_string("CredentialsKVProto.alias")?.to_owned()),
                (2, WIRE_LEN) => token = Some(Token::read_proto(r.pb_message("CredentialsKVProto.token")?)?),
                (3, WIRE_LEN) => secret = Some(r.pb_bytes("CredentialsKVProto.secret")?.to_vec()),
                _ => r.pb_skip(wire, MSG)?,
            }
        }
        Ok(Self { offset, alias: alias.ok_or(TokenError::MissingField { what: "CredentialsKVProto.alias", offset })?, token, secret })
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::fixtures::{hex, CREDENTIALS_V0_HEX, CREDENTIALS_V1_HEX};
    use super::*;

    fn small() -> Credentials {
        Credentials {
            tokens: vec![("nn".into(), Token { identifier: vec![0xaa], password: vec![0xbb], kind: "K".into(), service: "S".into() })],
            secrets: vec![("pw".into(), vec![1, 2])],
        }
    }

    #[test]
    fn hand_written_v0_fixture() {
        let bytes = hex(CREDENTIALS_V0_HEX);
        assert_eq!(Credentials::parse(&bytes).unwrap(), small());
        assert_eq!(small().to_bytes_v0(), bytes);
    }

    #[test]
    fn hand_written_v1_fixture() {
        let bytes = hex(CREDENTIALS_V1_HEX);
        assert_eq!(Credentials::parse(&bytes).unwrap(), small());
        assert_eq!(small().to_bytes_v1(), bytes);
    }

    #[test]
    fn empty_credentials_round_trip() {
        let empty = Credentials::default();
        assert_eq!(empty.to_bytes_v0(), b"HDTS\x00\x00\x00");
        assert_eq!(empty.to_bytes_v1(), b"HDTS\x01\x00");
        for bytes in [empty.to_bytes_v0(), empty.to_bytes_v1()] {
            assert_eq!(Credentials::parse(&bytes).unwrap(), empty);
        }
    }

    #[test]
    fn header_errors() {
        assert_eq!(Credentials::parse(b"PK\x03\x04\x00").unwrap_err(), TokenError::BadMagic { found: *b"PK\x03\x04" });
        assert!(matches!(Credentials::parse(b"HD").unwrap_err(), TokenError::Truncated { offset: 0, needed: 4, available: 2, .. }));
        let err = Credentials::parse(b"HDTS\x02").unwrap_err();
        assert!(matches!(err, TokenError::UnsupportedVersion { offset: 4, version: 2, .. }));
        assert!(err.to_string().contains("expected 0 (writable) or 1 (protobuf)"), "{err}");
    }

    #[test]
    fn body_errors_name_offsets() {
        let v0 = hex(CREDENTIALS_V0_HEX);
        // Negative token count.
        let mut bad = v0.clone();
        bad[5] = 0xff;
        assert!(matches!(Credentials::parse(&bad).unwrap_err(), TokenError::NegativeLength { what: "token count", offset: 5, len: -1 }));
        // Secret cut short: 2 bytes declared at offset 22, 1 present.
        assert!(matches!(
            Credentials::parse(&v0[..v0.len() - 1]).unwrap_err(),
            TokenError::Truncated { what: "secret value", offset: 22, needed: 2, available: 1 }
        ));
        // Bytes after the delimited protobuf message.
        let mut v1 = hex(CREDENTIALS_V1_HEX);
        v1.push(0);
        assert_eq!(Credentials::parse(&v1).unwrap_err(), TokenError::TrailingBytes { what: "credentials", offset: 36, count: 1 });
        // A tokens entry without a token: HDTS 01 | 06 | 0a 04 (0a 02 'n' 'n').
        assert_eq!(
            Credentials::parse(&hex("48445453 01 06 0a04 0a026e6e")).unwrap_err(),
            TokenError::MissingField { what: "CredentialsKVProto.token", offset: 8 }
        );
        // A TokenProto missing its service reports the TokenProto's absolute offset.
        let no_service = hex("48445453 01 0e 0a0c 0a026e6e 1206 0a00 1200 1a00");
        assert_eq!(Credentials::parse(&no_service).unwrap_err(), TokenError::MissingField { what: "TokenProto.service", offset: 14 });
    }

    #[test]
    fn display_and_debug_hide_secrets() {
        let creds = small();
        let shown = format!("{creds}{creds:?}");
        assert!(shown.contains("token \"nn\": kind=K service=S identifier_bytes=1"), "{shown}");
        assert!(shown.contains("secret \"pw\": 2 bytes"), "{shown}");
        assert!(!shown.contains("[1, 2]") && !shown.contains("187"), "{shown}");
        assert_eq!(creds.token("nn").unwrap().kind, "K");
        assert!(creds.token("missing").is_none());
    }
}
