//! A bounds-checked cursor over bytes that reads Hadoop `WritableUtils`/`Text` primitives and protobuf fields, reporting errors with byte offsets.

use super::TokenError;

/// Result type of every decoder in this module.
pub type Result<T> = std::result::Result<T, TokenError>;

/// Protobuf wire type of varint fields.
pub const WIRE_VARINT: u8 = 0;
/// Protobuf wire type of fixed 64-bit fields.
pub const WIRE_FIXED64: u8 = 1;
/// Protobuf wire type of length-delimited fields (bytes, strings, messages).
pub const WIRE_LEN: u8 = 2;
/// Protobuf wire type of fixed 32-bit fields.
pub const WIRE_FIXED32: u8 = 5;

/// A cursor over a byte slice that never reads out of bounds.
///
/// Every read either succeeds or returns a [`TokenError`] whose offset is the
/// absolute position in the outermost input, also for nested protobuf
/// messages (see [`Reader::pb_message`]). Length prefixes are checked against
/// the remaining input before anything is sliced, so a huge declared length
/// never causes a huge allocation.
///
/// ```
/// use yarnsec_hadoop::token::Reader;
///
/// // vint 3, then the three bytes of the Hadoop Text "abc"
/// let mut r = Reader::new(&[0x03, b'a', b'b', b'c']);
/// assert_eq!(r.text("example")?, "abc");
/// assert!(r.is_at_end());
///
/// let err = Reader::new(&[0x05, b'a']).text("example").unwrap_err();
/// assert_eq!(err.offset(), 1);
/// # Ok::<(), yarnsec_hadoop::token::TokenError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    base: usize,
}

impl<'a> Reader<'a> {
    /// Starts reading at the beginning of `buf`.
    pub fn new(buf: &'a [u8]) -> Self {
        Self { buf, pos: 0, base: 0 }
    }

    /// Absolute offset of the next byte to be read.
    pub fn offset(&self) -> usize {
        self.base + self.pos
    }

    /// Number of bytes not yet read.
    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    /// Whether every byte has been read.
    pub fn is_at_end(&self) -> bool {
        self.remaining() == 0
    }

    /// Fails with [`TokenError::TrailingBytes`] unless every byte has been read.
    pub fn expect_end(&self, what: &'static str) -> Result<()> {
        match self.remaining() {
            0 => Ok(()),
            count => Err(TokenError::TrailingBytes { what, offset: self.offset(), count }),
        }
    }

    /// Reads exactly `n` bytes.
    pub fn bytes(&mut self, n: u64, what: &'static str) -> Result<&'a [u8]> {
        let available = self.remaining();
        match usize::try_from(n) {
            Ok(len) if len <= available => {
                let out = &self.buf[self.pos..self.pos + len];
                self.pos += len;
                Ok(out)
            }
            _ => Err(TokenError::Truncated { what, offset: self.offset(), needed: n, available }),
        }
    }

    /// Reads `N` bytes into an array.
    pub fn array<const N: usize>(&mut self, what: &'static str) -> Result<[u8; N]> {
        let mut out = [0; N];
        out.copy_from_slice(self.bytes(N as u64, what)?);
        Ok(out)
    }

    /// Reads one byte.
    pub fn u8(&mut self, what: &'static str) -> Result<u8> {
        Ok(self.array::<1>(what)?[0])
    }

    /// Reads a big-endian `i32` (Java `DataInput.readInt`).
    pub fn i32_be(&mut self, what: &'static str) -> Result<i32> {
        self.array(what).map(i32::from_be_bytes)
    }

    /// Reads a big-endian `i64` (Java `DataInput.readLong`).
    pub fn i64_be(&mut self, what: &'static str) -> Result<i64> {
        self.array(what).map(i64::from_be_bytes)
    }

    /// Reads a Hadoop zero-compressed long (`WritableUtils.readVLong`).
    ///
    /// A first byte in `-112..=127` is the value itself. Otherwise the first
    /// byte gives the sign and the number (1 to 8) of big-endian bytes that
    /// follow: `-113..=-120` positive, `-121..=-128` negative (stored as the
    /// one's complement).
    pub fn vlong(&mut self, what: &'static str) -> Result<i64> {
        let first = self.u8(what)? as i8;
        if first >= -112 {
            return Ok(i64::from(first));
        }
        let negative = first < -120;
        let len = if negative { -(i32::from(first) + 120) } else { -(i32::from(first) + 112) };
        let raw = self.bytes(len.unsigned_abs().into(), what)?.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
        let value = raw as i64;
        Ok(if negative { !value } else { value })
    }

    /// Reads a Hadoop zero-compressed int (`WritableUtils.readVInt`), which
    /// must fit in an `i32`.
    pub fn vint(&mut self, what: &'static str) -> Result<i32> {
        let offset = self.offset();
        let value = self.vlong(what)?;
        i32::try_from(value).map_err(|_| TokenError::IntOutOfRange { what, offset, value })
    }

    /// Reads a vint that is a length or count and so must not be negative.
    pub fn vint_len(&mut self, what: &'static str) -> Result<usize> {
        let offset = self.offset();
        let len = self.vint(what)?;
        usize::try_from(len).map_err(|_| TokenError::NegativeLength { what, offset, len: len.into() })
    }

    /// Reads a vint length followed by that many bytes, the way
    /// `Token.write` stores its identifier and password (and `Credentials`
    /// its secrets).
    pub fn vint_bytes(&mut self, what: &'static str) -> Result<&'a [u8]> {
        let len = self.vint_len(what)?;
        self.bytes(len as u64, what)
    }

    /// Reads a Hadoop `Text`: a vint byte length followed by UTF-8.
    pub fn text(&mut self, what: &'static str) -> Result<&'a str> {
        self.text_max(what, u64::MAX)
    }

    /// Reads a Hadoop `Text` of at most `max` bytes (like `Text.readFields(in, maxLength)`).
    pub fn text_max(&mut self, what: &'static str, max: u64) -> Result<&'a str> {
        let offset = self.offset();
        let len = self.vint_len(what)? as u64;
        if len > max {
            return Err(TokenError::LengthTooLarge { what, offset, len, max });
        }
        self.utf8(len, what)
    }

    fn utf8(&mut self, len: u64, what: &'static str) -> Result<&'a str> {
        let start = self.offset();
        let bytes = self.bytes(len, what)?;
        std::str::from_utf8(bytes).map_err(|e| TokenError::InvalidUtf8 { what, offset: start + e.valid_up_to() })
    }

    /// Reads a protobuf base-128 varint (at most 10 bytes).
    pub fn pb_varint(&mut self, what: &'static str) -> Result<u64> {
        let offset = self.offset();
        let mut value = 0u64;
        for shift in (0..70).step_by(7) {
            let byte = self.u8(what)?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(TokenError::MalformedVarint { what, offset })
    }

    /// Reads the next protobuf field key as `(field number, wire type)`, or
    /// `None` at the end of the message.
    ///
    /// Field number 0 and the group wire types (3, 4) or unknown ones (6, 7)
    /// are rejected with [`TokenError::BadProtobufKey`].
    pub fn pb_key(&mut self, what: &'static str) -> Result<Option<(u64, u8)>> {
        if self.is_at_end() {
            return Ok(None);
        }
        let offset = self.offset();
        let key = self.pb_varint(what)?;
        let (field, wire_type) = (key >> 3, (key & 7) as u8);
        let known_wire = matches!(wire_type, WIRE_VARINT | WIRE_FIXED64 | WIRE_LEN | WIRE_FIXED32);
        if field == 0 || !known_wire {
            return Err(TokenError::BadProtobufKey { what, offset, field, wire_type });
        }
        Ok(Some((field, wire_type)))
    }

    /// Reads the payload of a length-delimited protobuf field.
    pub fn pb_bytes(&mut self, what: &'static str) -> Result<&'a [u8]> {
        let offset = self.offset();
        let len = self.pb_varint(what)?;
        // protobuf-java limits sizes to a positive int32.
        let max = i32::MAX as u64;
        if len > max {
            return Err(TokenError::LengthTooLarge { what, offset, len, max });
        }
        self.bytes(len, what)
    }

    /// Reads a length-delimited protobuf string.
    pub fn pb_string(&mut self, what: &'static str) -> Result<&'a str> {
        let bytes = self.pb_bytes(what)?;
        let data_start = self.offset() - bytes.len();
        std::str::from_utf8(bytes).map_err(|e| TokenError::InvalidUtf8 { what, offset: data_start + e.valid_up_to() })
    }

    /// Reads a length-delimited field and returns a reader over just its
    /// payload; offsets it reports stay absolute.
    pub fn pb_message(&mut self, what: &'static str) -> Result<Reader<'a>> {
        let bytes = self.pb_bytes(what)?;
        Ok(Reader { buf: bytes, pos: 0, base: self.offset() - bytes.len() })
    }

    /// Skips the payload of a field with the given wire type (as returned by
    /// [`Reader::pb_key`]; anything else is treated as length-delimited).
    pub fn pb_skip(&mut self, wire_type: u8, what: &'static str) -> Result<()> {
        match wire_type {
            WIRE_VARINT => self.pb_varint(what).map(drop),
            WIRE_FIXED64 => self.bytes(8, what).map(drop),
            WIRE_FIXED32 => self.bytes(4, what).map(drop),
            _ => self.pb_bytes(what).map(drop),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_width_and_single_bytes() {
        let mut r = Reader::new(&[0xff, 0xff, 0xff, 0xfe, 0, 0, 0, 0, 0, 0, 1, 0, 7]);
        assert_eq!(r.i32_be("a").unwrap(), -2);
        assert_eq!(r.i64_be("b").unwrap(), 256);
        assert_eq!(r.u8("c").unwrap(), 7);
        assert_eq!(r.u8("d").unwrap_err(), TokenError::Truncated { what: "d", offset: 13, needed: 1, available: 0 });
    }

    #[test]
    fn vint_must_fit_in_an_int() {
        // 2^31: first byte -116 (4 positive bytes follow).
        let err = Reader::new(&[0x8c, 0x80, 0, 0, 0]).vint("n").unwrap_err();
        assert_eq!(err, TokenError::IntOutOfRange { what: "n", offset: 0, value: 1 << 31 });
        // -2^31 - 1: first byte -124 (4 negative bytes follow).
        let err = Reader::new(&[0x84, 0x80, 0, 0, 0]).vint("n").unwrap_err();
        assert!(matches!(err, TokenError::IntOutOfRange { value: -2_147_483_649, .. }));
    }

    #[test]
    fn protobuf_errors() {
        let eleven = [0xff; 11];
        assert_eq!(Reader::new(&eleven).pb_varint("v").unwrap_err(), TokenError::MalformedVarint { what: "v", offset: 0 });
        assert_eq!(
            Reader::new(&[0x02]).pb_key("m").unwrap_err(),
            TokenError::BadProtobufKey { what: "m", offset: 0, field: 0, wire_type: 2 }
        );
        // Declared length 2^35, far beyond both the input and protobuf's limit.
        let huge = [0x80, 0x80, 0x80, 0x80, 0x80, 0x01];
        assert!(matches!(Reader::new(&huge).pb_bytes("b").unwrap_err(), TokenError::LengthTooLarge { offset: 0, len: 0x8_0000_0000, .. }));
    }

    #[test]
    fn nested_messages_report_absolute_offsets() {
        // junk byte, then a 3-byte message holding a string field with invalid UTF-8.
        let mut r = Reader::new(&[0x00, 0x03, 0x0a, 0x01, 0xff]);
        r.u8("junk").unwrap();
        let mut inner = r.pb_message("outer").unwrap();
        assert_eq!(inner.offset(), 2);
        assert_eq!(inner.pb_key("inner").unwrap(), Some((1, WIRE_LEN)));
        assert_eq!(inner.pb_string("s").unwrap_err(), TokenError::InvalidUtf8 { what: "s", offset: 4 });
        assert!(r.is_at_end());
        assert_eq!(r.expect_end("all"), Ok(()));
    }
}
