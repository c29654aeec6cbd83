//! Chunked checksums as HDFS lays them out: one big-endian CRC per `bytes_per_sum` bytes of data
//! (the last chunk may be shorter), the kinds numbered as `DataChecksum`'s constants.

use crc::{Crc, CRC_32_ISCSI, CRC_32_ISO_HDLC};

const CRC32: Crc<u32> = Crc::<u32>::new(&CRC_32_ISO_HDLC);
const CRC32C: Crc<u32> = Crc::<u32>::new(&CRC_32_ISCSI);

/// A checksum kind by `DataChecksum`'s number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `CHECKSUM_CRC32` (1): zlib's CRC-32.
    Crc32,
    /// `CHECKSUM_CRC32C` (2): Castagnoli.
    Crc32c,
}

impl Kind {
    /// The kind `DataChecksum` numbers `code`, or why there is none (`NULL` has no sums to compute).
    pub fn from_java(code: i32) -> Result<Kind, String> {
        match code {
            1 => Ok(Kind::Crc32),
            2 => Ok(Kind::Crc32c),
            other => Err(format!("checksum type {other} is not CRC32 (1) or CRC32C (2)")),
        }
    }

    fn of(self, chunk: &[u8]) -> u32 {
        match self {
            Kind::Crc32 => CRC32.checksum(chunk),
            Kind::Crc32c => CRC32C.checksum(chunk),
        }
    }
}

/// A chunk whose stored sum is not the data's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// Where the chunk starts in the file: `base_pos` plus its offset in the data.
    pub pos: i64,
    pub expected: u32,
    pub got: u32,
}

impl Mismatch {
    /// The `ChecksumException` message, naming the file.
    pub fn message(&self, file: &str) -> String {
        format!("Checksum error: {file} at {} exp: {} got: {}", self.pos, self.expected as i32, self.got as i32)
    }
}

/// How many sum bytes `data_len` bytes of data need.
pub fn sums_len(bytes_per_sum: usize, data_len: usize) -> usize {
    data_len.div_ceil(bytes_per_sum) * 4
}

/// Checks the arguments the Java side passed: a positive chunk size and enough room for the sums.
pub fn check_layout(bytes_per_sum: i32, data_len: usize, sums_room: usize) -> Result<usize, String> {
    if bytes_per_sum <= 0 {
        return Err(format!("bytesPerSum must be positive, was {bytes_per_sum}"));
    }
    let per = bytes_per_sum as usize;
    let need = sums_len(per, data_len);
    if need > sums_room {
        return Err(format!("{data_len} bytes of data need {need} bytes of checksums, only {sums_room} given"));
    }
    Ok(per)
}

/// Writes each chunk's sum into `sums` (which `check_layout` sized).
pub fn compute(kind: Kind, bytes_per_sum: usize, data: &[u8], sums: &mut [u8]) {
    for (chunk, out) in data.chunks(bytes_per_sum).zip(sums.chunks_exact_mut(4)) {
        out.copy_from_slice(&kind.of(chunk).to_be_bytes());
    }
}

/// The first chunk whose stored sum differs from its data's.
pub fn verify(kind: Kind, bytes_per_sum: usize, data: &[u8], sums: &[u8], base_pos: i64) -> Result<(), Mismatch> {
    for (i, (chunk, stored)) in data.chunks(bytes_per_sum).zip(sums.chunks_exact(4)).enumerate() {
        let expected = u32::from_be_bytes([stored[0], stored[1], stored[2], stored[3]]);
        let got = kind.of(chunk);
        if expected != got {
            return Err(Mismatch { pos: base_pos + (i * bytes_per_sum) as i64, expected, got });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_values() {
        // The check values of both polynomials over "123456789".
        assert_eq!(Kind::Crc32.of(b"123456789"), 0xCBF4_3926);
        assert_eq!(Kind::Crc32c.of(b"123456789"), 0xE306_9283);
    }

    #[test]
    fn kinds_by_number() {
        assert_eq!(Kind::from_java(1), Ok(Kind::Crc32));
        assert_eq!(Kind::from_java(2), Ok(Kind::Crc32c));
        assert!(Kind::from_java(0).unwrap_err().contains("type 0"));
        assert!(Kind::from_java(4).is_err());
    }

    #[test]
    fn layout_is_checked() {
        assert!(check_layout(0, 10, 100).unwrap_err().contains("positive"));
        assert!(check_layout(-512, 10, 100).is_err());
        assert!(check_layout(512, 1025, 8).unwrap_err().contains("need 12"));
        assert_eq!(check_layout(512, 1025, 12), Ok(512));
        assert_eq!(check_layout(512, 0, 0), Ok(512));
    }

    #[test]
    fn a_flipped_byte_names_its_chunk() {
        let data = vec![7u8; 1300];
        let mut sums = vec![0; sums_len(512, data.len())];
        compute(Kind::Crc32c, 512, &data, &mut sums);
        let mut bad = data.clone();
        bad[1100] ^= 1;
        let m = verify(Kind::Crc32c, 512, &bad, &sums, 4096).unwrap_err();
        assert_eq!(m.pos, 4096 + 1024);
        assert!(m.message("/x").starts_with("Checksum error: /x at 5120 exp: "));
    }

    proptest! {
        #[test]
        fn what_is_computed_verifies(data in proptest::collection::vec(any::<u8>(), 0..3000), per in 1usize..700, c in any::<bool>()) {
            let kind = if c { Kind::Crc32 } else { Kind::Crc32c };
            let mut sums = vec![0; sums_len(per, data.len())];
            compute(kind, per, &data, &mut sums);
            prop_assert!(verify(kind, per, &data, &sums, 0).is_ok());
            if !data.is_empty() {
                let mut bad = data.clone();
                let at = data.len() / 2;
                bad[at] ^= 0x80;
                let m = verify(kind, per, &bad, &sums, 10).unwrap_err();
                prop_assert_eq!(m.pos, 10 + ((at / per) * per) as i64);
            }
        }
    }
}
