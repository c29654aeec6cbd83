//! Encoders for the Hadoop `WritableUtils`/`Text` primitives and protobuf fields that [`super::Reader`] decodes.
//!
//! Lengths are written as Java `int`s, as Hadoop does; values longer than
//! `i32::MAX` bytes cannot be represented and are not supported.

use super::reader::{WIRE_LEN, WIRE_VARINT};

/// Appends a Hadoop zero-compressed long (`WritableUtils.writeVLong`).
///
/// ```
/// use yarnsec_hadoop::token::writer::write_vlong;
///
/// let mut out = Vec::new();
/// write_vlong(&mut out, 300);
/// assert_eq!(out, [0x8e, 0x01, 0x2c]);
/// ```
pub fn write_vlong(out: &mut Vec<u8>, value: i64) {
    if (-112..=127).contains(&value) {
        out.push(value as u8);
        return;
    }
    let (magnitude, base) = if value < 0 { (!value, -120i32) } else { (value, -112i32) };
    let len = 8 - (magnitude.leading_zeros() / 8) as usize;
    out.push((base - len as i32) as u8);
    out.extend_from_slice(&magnitude.to_be_bytes()[8 - len..]);
}

/// Appends a Hadoop zero-compressed int (`WritableUtils.writeVInt`).
pub fn write_vint(out: &mut Vec<u8>, value: i32) {
    write_vlong(out, value.into());
}

/// Appends a vint length followed by the bytes themselves.
pub fn write_vint_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    write_vlong(out, bytes.len() as i64);
    out.extend_from_slice(bytes);
}

/// Appends a Hadoop `Text` (vint byte length, then UTF-8).
pub fn write_text(out: &mut Vec<u8>, text: &str) {
    write_vint_bytes(out, text.as_bytes());
}

/// Appends a protobuf base-128 varint.
pub fn write_pb_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Appends a protobuf varint field (`int32` and `int64` values are sign-extended to 64 bits, as protobuf does).
pub fn write_pb_varint_field(out: &mut Vec<u8>, field: u32, value: u64) {
    write_pb_varint(out, u64::from(field) << 3 | u64::from(WIRE_VARINT));
    write_pb_varint(out, value);
}

/// Appends a length-delimited protobuf field (bytes, string or embedded message).
pub fn write_pb_bytes_field(out: &mut Vec<u8>, field: u32, bytes: &[u8]) {
    write_pb_varint(out, u64::from(field) << 3 | u64::from(WIRE_LEN));
    write_pb_varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

#[cfg(test)]
mod tests {
    use super::super::Reader;
    use super::*;

    fn vlong(value: i64) -> Vec<u8> {
        let mut out = Vec::new();
        write_vlong(&mut out, value);
        out
    }

    /// Expected bytes worked out by hand from `WritableUtils.writeVLong`.
    #[test]
    fn vlong_matches_hadoop_encoding() {
        assert_eq!(vlong(0), [0x00]);
        assert_eq!(vlong(127), [0x7f]);
        assert_eq!(vlong(-112), [0x90]);
        assert_eq!(vlong(128), [0x8f, 0x80]);
        assert_eq!(vlong(-113), [0x87, 0x70]);
        assert_eq!(vlong(-1000), [0x86, 0x03, 0xe7]);
        assert_eq!(vlong(1_700_000_000_000), [0x8a, 0x01, 0x8b, 0xcf, 0xe5, 0x68, 0x00]);
        assert_eq!(vlong(i64::MAX)[0], 0x88);
        assert_eq!(vlong(i64::MIN), [0x80, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    }

    #[test]
    fn vlong_round_trips_at_boundaries() {
        let samples = [0, 1, -1, 127, 128, -112, -113, 255, 256, -256, -257, i64::from(i32::MAX), i64::from(i32::MIN), i64::MAX, i64::MIN];
        for value in samples {
            let bytes = vlong(value);
            let mut r = Reader::new(&bytes);
            assert_eq!(r.vlong("test").unwrap(), value, "{bytes:02x?}");
            assert!(r.is_at_end());
        }
    }

    #[test]
    fn pb_varint_matches_protobuf_encoding() {
        let mut out = Vec::new();
        write_pb_varint(&mut out, 300);
        assert_eq!(out, [0xac, 0x02]);
        out.clear();
        // int32 -5 is sign-extended to ten bytes.
        write_pb_varint(&mut out, -5i64 as u64);
        assert_eq!(out, [0xfb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
        assert_eq!(Reader::new(&out).pb_varint("t").unwrap() as i64, -5);
    }
}
