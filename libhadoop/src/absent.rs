//! What this library does not have, said by name. Each class below asks libhadoop once, in its
//! static initializer, whether it may use native code, and falls back (or stays off) when the
//! answer throws: the message it logs is this one, never an `UnsatisfiedLinkError` that reads
//! like a broken installation.

use jni::objects::{JClass, JString};
use jni::JNIEnv;

use crate::throw::{guard, Failure};

fn refuse(env: &mut JNIEnv<'_>, what: &str) {
    guard(env, (), |_| Err(Failure::Unsupported(format!("yarnsec's libhadoop has no {what}"))))
}

/// Short-circuit reads and their shared memory stay off (they are off by default).
#[no_mangle]
pub extern "system" fn Java_org_apache_hadoop_net_unix_DomainSocket_anchorNative<'l>(mut env: JNIEnv<'l>, _: JClass<'l>) {
    refuse(&mut env, "UNIX domain sockets (HDFS short-circuit reads stay off)")
}

#[no_mangle]
pub extern "system" fn Java_org_apache_hadoop_net_unix_DomainSocketWatcher_anchorNative<'l>(mut env: JNIEnv<'l>, _: JClass<'l>) {
    refuse(&mut env, "UNIX domain sockets (HDFS short-circuit reads stay off)")
}

/// Hadoop's zlib codecs use java.util.zip instead.
#[no_mangle]
pub extern "system" fn Java_org_apache_hadoop_io_compress_zlib_ZlibCompressor_initIDs<'l>(mut env: JNIEnv<'l>, _: JClass<'l>) {
    refuse(&mut env, "zlib (Hadoop uses java.util.zip)")
}

#[no_mangle]
pub extern "system" fn Java_org_apache_hadoop_io_compress_zlib_ZlibDecompressor_initIDs<'l>(mut env: JNIEnv<'l>, _: JClass<'l>) {
    refuse(&mut env, "zlib (Hadoop uses java.util.zip)")
}

/// bzip2 falls back to Hadoop's Java implementation.
#[no_mangle]
pub extern "system" fn Java_org_apache_hadoop_io_compress_bzip2_Bzip2Compressor_initIDs<'l>(
    mut env: JNIEnv<'l>,
    _: JClass<'l>,
    _lib: JString<'l>,
) {
    refuse(&mut env, "bzip2 (Hadoop uses its Java implementation)")
}

#[no_mangle]
pub extern "system" fn Java_org_apache_hadoop_io_compress_bzip2_Bzip2Decompressor_initIDs<'l>(
    mut env: JNIEnv<'l>,
    _: JClass<'l>,
    _lib: JString<'l>,
) {
    refuse(&mut env, "bzip2 (Hadoop uses its Java implementation)")
}
