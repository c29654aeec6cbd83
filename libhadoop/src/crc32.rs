//! `org.apache.hadoop.util.NativeCrc32`: chunked CRC32/CRC32C over direct buffers and byte
//! arrays, computed or verified. Every HDFS read and write of a JVM that loaded libhadoop comes
//! through here (`NativeCrc32.isAvailable()` is only "is libhadoop loaded"), so bounds are
//! checked before any memory is touched.

use jni::objects::{JByteArray, JByteBuffer, JClass, JString};
use jni::sys::{jboolean, jint, jlong};
use jni::JNIEnv;

use crate::checksum::{self, Kind};
use crate::files::text_or_empty;
use crate::throw::{guard, non_null, Failure, Outcome};

fn range(offset: jint, len: usize, capacity: usize, what: &str) -> Outcome<usize> {
    let start = usize::try_from(offset).map_err(|_| Failure::Argument(format!("{what} offset {offset} is negative")))?;
    match start.checked_add(len) {
        Some(end) if end <= capacity => Ok(start),
        _ => Err(Failure::Argument(format!("{what}: {len} bytes at {start} pass the end ({capacity})"))),
    }
}

fn data_len(data_length: jint) -> Outcome<usize> {
    usize::try_from(data_length).map_err(|_| Failure::Argument(format!("data length {data_length} is negative")))
}

struct Request {
    kind: Kind,
    per: usize,
    verify: bool,
    base_pos: i64,
}

impl Request {
    fn new(bytes_per_sum: jint, checksum_type: jint, data_len: usize, sums_room: usize, verify: bool, base_pos: jlong) -> Outcome<Request> {
        let kind = Kind::from_java(checksum_type).map_err(Failure::Argument)?;
        let per = checksum::check_layout(bytes_per_sum, data_len, sums_room).map_err(Failure::Argument)?;
        Ok(Request { kind, per, verify, base_pos })
    }

    /// Computes into `sums`, or verifies against them (then `file` names the data).
    fn run(&self, data: &[u8], sums: &mut [u8], file: impl FnOnce() -> String) -> Outcome<()> {
        let sums = &mut sums[..checksum::sums_len(self.per, data.len())];
        if self.verify {
            checksum::verify(self.kind, self.per, data, sums, self.base_pos)
                .map_err(|m| Failure::Checksum { message: m.message(&file()), pos: m.pos })
        } else {
            checksum::compute(self.kind, self.per, data, sums);
            Ok(())
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn direct<'l>(
    env: &mut JNIEnv<'l>,
    bytes_per_sum: jint,
    checksum_type: jint,
    sums: &JByteBuffer<'l>,
    sums_offset: jint,
    data: &JByteBuffer<'l>,
    data_offset: jint,
    data_length: jint,
    file_name: &JString<'l>,
    base_pos: jlong,
    verify: bool,
) -> Outcome<()> {
    non_null(sums, "the checksum buffer")?;
    non_null(data, "the data buffer")?;
    let data_len = data_len(data_length)?;
    let (sums_addr, sums_cap) = (env.get_direct_buffer_address(sums)?, env.get_direct_buffer_capacity(sums)?);
    let (data_addr, data_cap) = (env.get_direct_buffer_address(data)?, env.get_direct_buffer_capacity(data)?);
    let data_start = range(data_offset, data_len, data_cap, "data")?;
    let sums_start = range(sums_offset, 0, sums_cap, "checksums")?;
    let request = Request::new(bytes_per_sum, checksum_type, data_len, sums_cap - sums_start, verify, base_pos)?;
    // SAFETY: both ranges were checked against the buffers' capacities; the JVM keeps direct
    // buffers in place while this call holds references to them.
    let (data, sums) = unsafe {
        (
            std::slice::from_raw_parts(data_addr.add(data_start), data_len),
            std::slice::from_raw_parts_mut(sums_addr.add(sums_start), sums_cap - sums_start),
        )
    };
    request.run(data, sums, || text_or_empty(env, file_name))
}

/// `NativeCrc32.nativeComputeChunkedSums(...)`.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub extern "system" fn Java_org_apache_hadoop_util_NativeCrc32_nativeComputeChunkedSums<'l>(
    mut env: JNIEnv<'l>,
    _: JClass<'l>,
    bytes_per_sum: jint,
    checksum_type: jint,
    sums: JByteBuffer<'l>,
    sums_offset: jint,
    data: JByteBuffer<'l>,
    data_offset: jint,
    data_length: jint,
    file_name: JString<'l>,
    base_pos: jlong,
    verify: jboolean,
) {
    guard(&mut env, (), |env| {
        direct(env, bytes_per_sum, checksum_type, &sums, sums_offset, &data, data_offset, data_length, &file_name, base_pos, verify != 0)
    })
}

/// `NativeCrc32.nativeVerifyChunkedSums(...)` (kept by Hadoop for old callers): a verify.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub extern "system" fn Java_org_apache_hadoop_util_NativeCrc32_nativeVerifyChunkedSums<'l>(
    mut env: JNIEnv<'l>,
    _: JClass<'l>,
    bytes_per_sum: jint,
    checksum_type: jint,
    sums: JByteBuffer<'l>,
    sums_offset: jint,
    data: JByteBuffer<'l>,
    data_offset: jint,
    data_length: jint,
    file_name: JString<'l>,
    base_pos: jlong,
) {
    guard(&mut env, (), |env| {
        direct(env, bytes_per_sum, checksum_type, &sums, sums_offset, &data, data_offset, data_length, &file_name, base_pos, true)
    })
}

fn region(env: &mut JNIEnv<'_>, array: &JByteArray<'_>, offset: jint, len: Option<usize>, what: &str) -> Outcome<(usize, Vec<u8>)> {
    non_null(array, "the array")?;
    let total = env.get_array_length(array)? as usize;
    let start = range(offset, len.unwrap_or(0), total, what)?;
    let len = len.unwrap_or(total - start);
    let mut signed = vec![0i8; len];
    env.get_byte_array_region(array, start as i32, &mut signed)?;
    Ok((start, signed.into_iter().map(|b| b as u8).collect()))
}

/// `NativeCrc32.nativeComputeChunkedSumsByteArray(...)`.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub extern "system" fn Java_org_apache_hadoop_util_NativeCrc32_nativeComputeChunkedSumsByteArray<'l>(
    mut env: JNIEnv<'l>,
    _: JClass<'l>,
    bytes_per_sum: jint,
    checksum_type: jint,
    sums: JByteArray<'l>,
    sums_offset: jint,
    data: JByteArray<'l>,
    data_offset: jint,
    data_length: jint,
    file_name: JString<'l>,
    base_pos: jlong,
    verify: jboolean,
) {
    guard(&mut env, (), |env| {
        let len = data_len(data_length)?;
        let (_, data) = region(env, &data, data_offset, Some(len), "data")?;
        let (sums_start, mut sums_bytes) = region(env, &sums, sums_offset, None, "checksums")?;
        let request = Request::new(bytes_per_sum, checksum_type, len, sums_bytes.len(), verify != 0, base_pos)?;
        request.run(&data, &mut sums_bytes, || text_or_empty(env, &file_name))?;
        if verify == 0 {
            let used = checksum::sums_len(request.per, len);
            let signed: Vec<i8> = sums_bytes[..used].iter().map(|b| *b as i8).collect();
            env.set_byte_array_region(&sums, sums_start as i32, &signed)?;
        }
        Ok(())
    })
}
