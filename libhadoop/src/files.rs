//! The file system calls behind `NativeIO`: `java.io.FileDescriptor` in and out, `stat`/`fstat`
//! into `NativeIO.POSIX.Stat`, and Java strings as C paths.

use std::ffi::CString;
use std::mem::MaybeUninit;

use jni::objects::{JObject, JString, JValue};
use jni::JNIEnv;

use crate::throw::{non_null, Failure, Outcome};

const FILE_DESCRIPTOR: &str = "java/io/FileDescriptor";
const STAT: &str = "org/apache/hadoop/io/nativeio/NativeIO$POSIX$Stat";

/// The descriptor number inside a `java.io.FileDescriptor`.
pub fn fd_of(env: &mut JNIEnv<'_>, fd: &JObject<'_>) -> Outcome<i32> {
    let fd = non_null(fd, "the file descriptor")?;
    let n = env.get_field(fd, "fd", "I")?.i()?;
    if n < 0 {
        return Err(Failure::Errno(libc::EBADF));
    }
    Ok(n)
}

/// A new `java.io.FileDescriptor` holding `n`.
pub fn fd_object<'l>(env: &mut JNIEnv<'l>, n: i32) -> Outcome<JObject<'l>> {
    let obj = env.new_object(FILE_DESCRIPTOR, "()V", &[])?;
    env.set_field(&obj, "fd", "I", JValue::Int(n))?;
    Ok(obj)
}

/// A Java string as a C path (a NUL inside it is refused).
pub fn c_path(env: &mut JNIEnv<'_>, s: &JString<'_>, what: &'static str) -> Outcome<CString> {
    non_null(s, what)?;
    let text: String = env.get_string(s)?.into();
    CString::new(text).map_err(|_| Failure::Argument(format!("{what} contains a NUL byte")))
}

/// A Java string as Rust text; null is the empty string.
pub fn text_or_empty(env: &mut JNIEnv<'_>, s: &JString<'_>) -> String {
    if s.is_null() {
        return String::new();
    }
    env.get_string(s).map(Into::into).unwrap_or_default()
}

/// `fstat(2)`.
pub fn fstat(fd: i32) -> Outcome<libc::stat> {
    let mut st = MaybeUninit::<libc::stat>::uninit();
    // SAFETY: fstat writes a whole `stat` on success, which is the only case read.
    if unsafe { libc::fstat(fd, st.as_mut_ptr()) } != 0 {
        return Err(Failure::last_os_error());
    }
    Ok(unsafe { st.assume_init() })
}

/// `stat(2)`.
pub fn stat(path: &CString) -> Outcome<libc::stat> {
    let mut st = MaybeUninit::<libc::stat>::uninit();
    // SAFETY: as in `fstat`; `path` is NUL-terminated.
    if unsafe { libc::stat(path.as_ptr(), st.as_mut_ptr()) } != 0 {
        return Err(Failure::last_os_error());
    }
    Ok(unsafe { st.assume_init() })
}

/// `new NativeIO.POSIX.Stat(uid, gid, mode)`: the names are filled in by the Java side.
pub fn stat_object<'l>(env: &mut JNIEnv<'l>, st: &libc::stat) -> Outcome<JObject<'l>> {
    Ok(env.new_object(STAT, "(III)V", &[JValue::Int(st.st_uid as i32), JValue::Int(st.st_gid as i32), JValue::Int(st.st_mode as i32)])?)
}

/// Retries a system call interrupted by a signal; -1 becomes the call's error.
pub fn retry(mut call: impl FnMut() -> libc::c_int) -> Outcome<libc::c_int> {
    loop {
        let r = call();
        if r >= 0 {
            return Ok(r);
        }
        let e = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
        if e != libc::EINTR {
            return Err(Failure::Errno(e));
        }
    }
}
