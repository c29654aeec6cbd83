//! `org.apache.hadoop.util.NativeCodeLoader`: what this build supports (none of ISA-L, zstd,
//! OpenSSL: the classes that need them see "no" and use their Java paths or refuse) and where it
//! was loaded from.

use jni::objects::JClass;
use jni::sys::{jboolean, jstring, JNI_FALSE};
use jni::JNIEnv;

#[no_mangle]
pub extern "system" fn Java_org_apache_hadoop_util_NativeCodeLoader_buildSupportsIsal<'l>(_: JNIEnv<'l>, _: JClass<'l>) -> jboolean {
    JNI_FALSE
}

#[no_mangle]
pub extern "system" fn Java_org_apache_hadoop_util_NativeCodeLoader_buildSupportsZstd<'l>(_: JNIEnv<'l>, _: JClass<'l>) -> jboolean {
    JNI_FALSE
}

#[no_mangle]
pub extern "system" fn Java_org_apache_hadoop_util_NativeCodeLoader_buildSupportsOpenssl<'l>(_: JNIEnv<'l>, _: JClass<'l>) -> jboolean {
    JNI_FALSE
}

/// The file this library was loaded from (what `hadoop checknative` prints).
#[no_mangle]
pub extern "system" fn Java_org_apache_hadoop_util_NativeCodeLoader_getLibraryName<'l>(env: JNIEnv<'l>, _: JClass<'l>) -> jstring {
    let name = library_path().unwrap_or_else(|| "libhadoop.so (yarnsec)".to_string());
    env.new_string(name).map(|s| s.into_raw()).unwrap_or(std::ptr::null_mut())
}

fn library_path() -> Option<String> {
    let mut info = libc::Dl_info {
        dli_fname: std::ptr::null(),
        dli_fbase: std::ptr::null_mut(),
        dli_sname: std::ptr::null(),
        dli_saddr: std::ptr::null_mut(),
    };
    let here = library_path as *const libc::c_void;
    // SAFETY: dladdr only reads the loader's tables and fills `info`.
    if unsafe { libc::dladdr(here, &mut info) } == 0 || info.dli_fname.is_null() {
        return None;
    }
    // SAFETY: dli_fname is a NUL-terminated string owned by the loader.
    Some(unsafe { std::ffi::CStr::from_ptr(info.dli_fname) }.to_string_lossy().into_owned())
}
