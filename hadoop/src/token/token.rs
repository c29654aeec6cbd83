//! Hadoop `org.apache.hadoop.security.token.Token`: its Writable form, the base64 URL string of `Token.encodeToUrlString`, its `TokenProto` form, and a summary that never shows the password.

use std::fmt;

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::{DecodeError, Engine};

use super::identifier::{describe_kind, display_field};
use super::reader::{Reader, Result, WIRE_LEN};
use super::writer::{write_pb_bytes_field, write_text, write_vint_bytes};
use super::{Identifier, TokenError};

/// URL-safe base64 without padding, as `new Base64(0, null, true)` in
/// commons-codec writes it. Padding is stripped before decoding, so padded
/// input is accepted too.
const URL_SAFE: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone)
        .with_decode_allow_trailing_bits(true),
);

/// A Hadoop security token: opaque identifier and password bytes plus the
/// token kind and the service it is for.
///
/// The `password` is a secret: [`fmt::Debug`] and [`fmt::Display`] never show it.
///
/// ```
/// use yarnsec_hadoop::token::Token;
///
/// let token = Token {
///     identifier: vec![1, 2, 3],
///     password: b"secret".to_vec(),
///     kind: "HDFS_DELEGATION_TOKEN".into(),
///     service: "198.18.3.2:8020".into(),
/// };
/// let text = token.encode_url_string();
/// assert_eq!(text, "AwECAwZzZWNyZXQVSERGU19ERUxFR0FUSU9OX1RPS0VODzE5OC4xOC4zLjI6ODAyMA");
/// assert_eq!(Token::decode_url_string(&text)?, token);
/// assert!(!format!("{token:?} {token}").contains("secret"));
/// # Ok::<(), yarnsec_hadoop::token::TokenError>(())
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Token {
    /// Serialized token identifier (decode it with [`Token::identifier`]).
    pub identifier: Vec<u8>,
    /// Token password (secret).
    pub password: Vec<u8>,
    /// Token kind, e.g. `HDFS_DELEGATION_TOKEN`.
    pub kind: String,
    /// Service the token is for, e.g. `198.18.3.2:8020`.
    pub service: String,
}

impl Token {
    /// Decodes the string of Hadoop's `Token.encodeToUrlString`.
    ///
    /// Leading and trailing whitespace and `=` padding are ignored, and the
    /// standard base64 alphabet (`+`, `/`) is accepted as well as the URL-safe
    /// one. Trailing bytes after the token are an error.
    pub fn decode_url_string(text: &str) -> Result<Self> {
        let lead = text.len() - text.trim_start().len();
        let trimmed = text.trim().trim_end_matches('=');
        let normalized: Vec<u8> = trimmed
            .bytes()
            .map(|b| match b {
                b'+' => b'-',
                b'/' => b'_',
                other => other,
            })
            .collect();
        let raw = URL_SAFE.decode(&normalized).map_err(|e| base64_error(&e, lead, normalized.len()))?;
        Self::from_writable(&raw)
    }

    /// Encodes the token the way Hadoop's `Token.encodeToUrlString` does.
    pub fn encode_url_string(&self) -> String {
        URL_SAFE.encode(self.to_writable())
    }

    /// Decodes the Writable form written by `Token.write`; trailing bytes are an error.
    pub fn from_writable(bytes: &[u8]) -> Result<Self> {
        let mut reader = Reader::new(bytes);
        let token = Self::read_writable(&mut reader)?;
        reader.expect_end("token")?;
        Ok(token)
    }

    /// Reads the Writable form from a cursor: vint-length identifier, vint-length
    /// password, `Text` kind, `Text` service.
    pub fn read_writable(reader: &mut Reader<'_>) -> Result<Self> {
        Ok(Self {
            identifier: reader.vint_bytes("token identifier")?.to_vec(),
            password: reader.vint_bytes("token password")?.to_vec(),
            kind: reader.text("token kind")?.to_owned(),
            service: reader.text("token service")?.to_owned(),
        })
    }

    /// The Writable form, as `Token.write` produces it.
    pub fn to_writable(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write_writable(&mut out);
        out
    }

    /// Appends the Writable form to `out`.
    pub fn write_writable(&self, out: &mut Vec<u8>) {
        write_vint_bytes(out, &self.identifier);
        write_vint_bytes(out, &self.password);
        write_text(out, &self.kind);
        write_text(out, &self.service);
    }

    /// Decodes a serialized `hadoop.common.TokenProto` message.
    pub fn from_proto(bytes: &[u8]) -> Result<Self> {
        Self::read_proto(Reader::new(bytes))
    }

    /// Reads a `TokenProto` message that fills all of `reader`; every field is required.
    pub fn read_proto(mut reader: Reader<'_>) -> Result<Self> {
        let start = reader.offset();
        let (mut identifier, mut password, mut kind, mut service) = (None, None, None, None);
        while let Some((field, wire)) = reader.pb_key("TokenProto")? {
            match (field, wire) {
                (1, WIRE_LEN) => identifier = Some(reader.pb_bytes("TokenProto.identifier")?),
                (2, WIRE_LEN) => password = Some(reader.pb_bytes("TokenProto.password")?),
                (3, WIRE_LEN) => kind = Some(reader.pb_string("TokenProto.kind")?),
                (4, WIRE_LEN) => service = Some(reader.pb_string("TokenProto.service")?),
                _ => reader.pb_skip(wire, "TokenProto unknown field")?,
            }
        }
        let missing = |what| TokenError::MissingField { what, offset: start };
        Ok(Self {
            identifier: identifier.ok_or(missing("TokenProto.identifier"))?.to_vec(),
            password: password.ok_or(missing("TokenProto.password"))?.to_vec(),
            kind: kind.ok_or(missing("TokenProto.kind"))?.to_owned(),
            service: service.ok_or(missing("TokenProto.service"))?.to_owned(),
        })
    }

    /// The serialized `TokenProto` message (fields 1 to 4, all present).
    pub fn to_proto(&self) -> Vec<u8> {
        let mut out = Vec::new();
        write_pb_bytes_field(&mut out, 1, &self.identifier);
        write_pb_bytes_field(&mut out, 2, &self.password);
        write_pb_bytes_field(&mut out, 3, self.kind.as_bytes());
        write_pb_bytes_field(&mut out, 4, self.service.as_bytes());
        out
    }

    /// Decodes the identifier according to the token kind; offsets in errors
    /// count from the start of the identifier bytes.
    pub fn identifier(&self) -> Result<Identifier> {
        Identifier::decode(&self.kind, &self.identifier)
    }

    /// A one-line description without the password, e.g.
    /// `kind=HDFS_DELEGATION_TOKEN service=198.18.3.2:8020 owner=alice renewer=rm
    /// real_user=- issued=2023-11-14T22:13:20Z max=2023-11-21T22:13:20Z seq=3 master_key=7`.
    /// Same as the [`fmt::Display`] output.
    pub fn summary(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "kind={} service={} ", display_field(&self.kind), display_field(&self.service))?;
        match self.identifier() {
            Ok(Identifier::Delegation(id)) => write!(f, "{id}"),
            Ok(Identifier::Other { bytes_len, .. }) => match describe_kind(&self.kind) {
                Some(what) => write!(f, "identifier_bytes={bytes_len} ({what}, not decoded)"),
                None => write!(f, "identifier_bytes={bytes_len} (unknown kind, not decoded)"),
            },
            Err(e) => write!(f, "identifier=undecodable ({e})"),
        }
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Token")
            .field("identifier", &self.identifier)
            .field("password", &format_args!("<{} bytes redacted>", self.password.len()))
            .field("kind", &self.kind)
            .field("service", &self.service)
            .finish()
    }
}

fn base64_error(error: &DecodeError, lead: usize, len: usize) -> TokenError {
    let (offset, detail) = match *error {
        DecodeError::InvalidByte(at, byte) => (at, format!("unexpected character {:?}", char::from(byte))),
        DecodeError::InvalidLastSymbol(at, byte) => (at, format!("unexpected final character {:?}", char::from(byte))),
        DecodeError::InvalidLength(_) => (len, format!("{len} characters cannot be base64 (a single character is left over)")),
        DecodeError::InvalidPadding => (len, "bad padding".to_owned()),
    };
    TokenError::Base64 { offset: lead + offset, detail }
}

#[cfg(test)]
mod tests {
    use super::super::tests::fixtures::{hex, HDFS_IDENTIFIER_HEX, HDFS_TOKEN_HEX, HDFS_TOKEN_URL};
    use super::*;

    fn hdfs_token() -> Token {
        Token {
            identifier: hex(HDFS_IDENTIFIER_HEX),
            password: vec![1, 2, 3, 4],
            kind: "HDFS_DELEGATION_TOKEN".into(),
            service: "198.18.3.2:8020".into(),
        }
    }

    #[test]
    fn decodes_hand_written_writable_fixture() {
        let bytes = hex(HDFS_TOKEN_HEX);
        let token = Token::from_writable(&bytes).unwrap();
        assert_eq!(token, hdfs_token());
        assert_eq!(token.identifier.len(), 39);
        assert_eq!(token.to_writable(), bytes);
    }

    #[test]
    fn decodes_url_string_fixture() {
        let token = Token::decode_url_string(HDFS_TOKEN_URL).unwrap();
        assert_eq!(token, hdfs_token());
        assert_eq!(token.encode_url_string(), HDFS_TOKEN_URL);
    }

    #[test]
    fn accepts_padding_standard_alphabet_and_whitespace() {
        let token = hdfs_token();
        let std_padded = base64::engine::general_purpose::STANDARD.encode(token.to_writable());
        assert!(std_padded.contains('+') || std_padded.contains('/') || std_padded.ends_with('='));
        assert_eq!(Token::decode_url_string(&std_padded).unwrap(), token);
        let url_padded = format!("  {HDFS_TOKEN_URL}==\n");
        assert_eq!(Token::decode_url_string(&url_padded).unwrap(), token);
    }

    #[test]
    fn summary_shows_identifier_fields_but_not_password() {
        let token = hdfs_token();
        assert_eq!(
            token.summary(),
            "kind=HDFS_DELEGATION_TOKEN service=198.18.3.2:8020 owner=alice@EXAMPLE.COM \
             renewer=rm real_user=- issued=2023-11-14T22:13:20Z max=2023-11-21T22:13:20Z \
             seq=3 master_key=7"
        );
        let debug = format!("{token:?}");
        assert!(debug.contains("<4 bytes redacted>"), "{debug}");
        assert!(!debug.contains("[1, 2, 3, 4]"), "{debug}");
    }

    #[test]
    fn summary_of_undecoded_and_broken_tokens() {
        let am = Token { identifier: vec![0x0a; 12], password: vec![9; 32], kind: "YARN_AM_RM_TOKEN".into(), service: String::new() };
        assert_eq!(
            am.summary(),
            "kind=YARN_AM_RM_TOKEN service=- identifier_bytes=12 \
             (yarn application master to resourcemanager token, not decoded)"
        );
        let broken = Token { identifier: vec![0, 5, b'a'], kind: "HDFS_DELEGATION_TOKEN".into(), ..Token::default() };
        assert!(broken.summary().contains("identifier=undecodable (truncated input"));
    }

    #[test]
    fn token_proto_round_trip_and_hand_written_fixture() {
        let token = Token { identifier: vec![0xaa], password: vec![], kind: "k".into(), service: "s:1".into() };
        // TokenProto: 0a 01 aa | 12 00 | 1a 01 'k' | 22 03 's:1'
        let expected = hex("0a01aa 1200 1a016b 2203733a31");
        assert_eq!(token.to_proto(), expected);
        assert_eq!(Token::from_proto(&expected).unwrap(), token);
        let err = Token::from_proto(&hex("0a01aa 1a016b 2203733a31")).unwrap_err();
        assert_eq!(err, TokenError::MissingField { what: "TokenProto.password", offset: 0 });
    }

    #[test]
    fn errors_name_offsets() {
        let bytes = hex(HDFS_TOKEN_HEX);
        // Cut inside the service text: 15 service bytes expected at its start.
        let cut = &bytes[..bytes.len() - 3];
        match Token::from_writable(cut).unwrap_err() {
            TokenError::Truncated { what, offset, needed, available } => {
                assert_eq!(what, "token service");
                assert_eq!(offset, bytes.len() - 15);
                assert_eq!((needed, available), (15, 12));
            }
            other => panic!("unexpected {other:?}"),
        }
        let mut extra = bytes.clone();
        extra.push(0);
        assert_eq!(Token::from_writable(&extra).unwrap_err(), TokenError::TrailingBytes { what: "token", offset: bytes.len(), count: 1 });
        let err = Token::decode_url_string(" abc!def").unwrap_err();
        assert_eq!(err.offset(), 4);
        assert!(err.to_string().contains("encodeToUrlString"), "{err}");
        assert!(matches!(Token::decode_url_string("A").unwrap_err(), TokenError::Base64 { offset: 1, .. }));
    }

    #[test]
    fn huge_declared_lengths_fail_without_allocating() {
        // vint 0x7fffffff (first byte -116: 4 positive bytes follow), then 2 bytes.
        let bytes = hex("8c 7fffffff 0102");
        assert_eq!(
            Token::from_writable(&bytes).unwrap_err(),
            TokenError::Truncated { what: "token identifier", offset: 5, needed: 0x7fff_ffff, available: 2 }
        );
        // A length of 2^32 does not fit a Java int.
        assert!(matches!(
            Token::from_writable(&hex("8b 0100000000")).unwrap_err(),
            TokenError::IntOutOfRange { offset: 0, value: 0x1_0000_0000, .. }
        ));
        assert!(matches!(Token::from_writable(&hex("87 00")).unwrap_err(), TokenError::NegativeLength { offset: 0, len: -1, .. }));
    }
}
