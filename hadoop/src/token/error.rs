//! The error type shared by every token, identifier and credentials decoder; each variant names the byte offset of the problem.

use thiserror::Error;

/// Why a Hadoop token, token identifier or credentials file could not be decoded.
///
/// Every variant carries the byte offset at which the problem was found
/// (see [`TokenError::offset`]). Offsets count from the start of the input
/// given to the decoder: the raw bytes for [`super::Token::from_writable`] and
/// [`super::Credentials::parse`], the identifier bytes for
/// [`super::Identifier::decode`]. [`super::Token::decode_url_string`]
/// reports [`TokenError::Base64`] offsets in the string it was given and
/// other offsets in the bytes the string decodes to.
///
/// `what` fields name the item that was being read, e.g. `"token kind"`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum TokenError {
    /// The input ended before `needed` bytes could be read.
    #[error(
        "truncated input: expected {needed} byte(s) of {what} at byte offset {offset}, \
         but only {available} remain; check that the token or file was copied completely"
    )]
    Truncated {
        /// What was being read.
        what: &'static str,
        /// Where the missing bytes should have started.
        offset: usize,
        /// How many bytes were required.
        needed: u64,
        /// How many bytes were left.
        available: usize,
    },
    /// A text field is not valid UTF-8.
    #[error(
        "invalid utf-8 in {what} at byte offset {offset}; hadoop text fields are utf-8, \
         so the data is corrupt or not in the expected format"
    )]
    InvalidUtf8 {
        /// What was being read.
        what: &'static str,
        /// Offset of the first byte that is not valid UTF-8.
        offset: usize,
    },
    /// A length prefix is negative.
    #[error(
        "negative length {len} for {what} at byte offset {offset}; \
         the data is corrupt or not a hadoop writable"
    )]
    NegativeLength {
        /// What was being read.
        what: &'static str,
        /// Offset of the length prefix.
        offset: usize,
        /// The decoded (negative) length.
        len: i64,
    },
    /// A length prefix is larger than the format allows.
    #[error(
        "length {len} for {what} at byte offset {offset} is over the limit of {max} bytes; \
         the data is corrupt or not in the expected format"
    )]
    LengthTooLarge {
        /// What was being read.
        what: &'static str,
        /// Offset of the length prefix.
        offset: usize,
        /// The decoded length.
        len: u64,
        /// The largest length accepted here.
        max: u64,
    },
    /// A Hadoop vint does not fit in 32 bits.
    #[error(
        "vint for {what} at byte offset {offset} decodes to {value}, which does not fit \
         in a 32-bit int; the data is corrupt or not a hadoop writable"
    )]
    IntOutOfRange {
        /// What was being read.
        what: &'static str,
        /// Offset of the vint.
        offset: usize,
        /// The decoded value.
        value: i64,
    },
    /// A protobuf varint runs over 10 bytes.
    #[error(
        "malformed protobuf varint for {what} at byte offset {offset} (longer than 10 bytes); \
         is this really protobuf data?"
    )]
    MalformedVarint {
        /// What was being read.
        what: &'static str,
        /// Offset of the varint.
        offset: usize,
    },
    /// A protobuf field key has field number 0 or a wire type this decoder does not handle.
    #[error(
        "unexpected protobuf field key (field {field}, wire type {wire_type}) at byte offset \
         {offset} in {what}; is this really a hadoop protobuf message?"
    )]
    BadProtobufKey {
        /// The message being read.
        what: &'static str,
        /// Offset of the key.
        offset: usize,
        /// Field number from the key.
        field: u64,
        /// Wire type from the key.
        wire_type: u8,
    },
    /// A required protobuf field is absent.
    #[error("missing required protobuf field {what} in the message starting at byte offset {offset}")]
    MissingField {
        /// The missing field, as `Message.field`.
        what: &'static str,
        /// Offset where the message starts.
        offset: usize,
    },
    /// The input does not start with the `HDTS` magic of a token storage file.
    #[error(
        "bad magic \"{}\" at byte offset 0: expected \"HDTS\"; is this a hadoop token storage \
         file (container_tokens, HADOOP_TOKEN_FILE_LOCATION)?",
        found.escape_ascii()
    )]
    BadMagic {
        /// The four bytes found instead.
        found: [u8; 4],
    },
    /// A version byte has a value this decoder does not understand.
    #[error("unsupported {what} version {version} at byte offset {offset}; expected {supported}")]
    UnsupportedVersion {
        /// What the version belongs to.
        what: &'static str,
        /// Offset of the version byte.
        offset: usize,
        /// The version found.
        version: u8,
        /// The versions understood.
        supported: &'static str,
    },
    /// Bytes are left over after a complete value.
    #[error(
        "{count} unexpected trailing byte(s) after {what} at byte offset {offset}; \
         was the input cut from a larger buffer or were two values concatenated?"
    )]
    TrailingBytes {
        /// The value that was complete.
        what: &'static str,
        /// Offset of the first trailing byte.
        offset: usize,
        /// How many bytes are left over.
        count: usize,
    },
    /// A token string is not valid base64.
    #[error(
        "invalid base64 at character offset {offset} ({detail}); is this a hadoop token \
         string from Token.encodeToUrlString?"
    )]
    Base64 {
        /// Character (byte) offset in the token string as given.
        offset: usize,
        /// What the base64 decoder reported.
        detail: String,
    },
}

impl TokenError {
    /// The byte (or, for [`TokenError::Base64`], character) offset the error refers to.
    pub fn offset(&self) -> usize {
        match self {
            Self::Truncated { offset, .. }
            | Self::InvalidUtf8 { offset, .. }
            | Self::NegativeLength { offset, .. }
            | Self::LengthTooLarge { offset, .. }
            | Self::IntOutOfRange { offset, .. }
            | Self::MalformedVarint { offset, .. }
            | Self::BadProtobufKey { offset, .. }
            | Self::MissingField { offset, .. }
            | Self::UnsupportedVersion { offset, .. }
            | Self::TrailingBytes { offset, .. }
            | Self::Base64 { offset, .. } => *offset,
            Self::BadMagic { .. } => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_lowercase_and_name_the_offset() {
        let e = TokenError::Truncated { what: "token kind", offset: 7, needed: 3, available: 1 };
        let msg = e.to_string();
        assert!(msg.starts_with("truncated input"), "{msg}");
        assert!(msg.contains("byte offset 7"), "{msg}");
        let e = TokenError::BadMagic { found: *b"PK\x03\x04" };
        assert!(e.to_string().contains("\"PK\\x03\\x04\""), "{e}");
        assert_eq!(e.offset(), 0);
    }
}
