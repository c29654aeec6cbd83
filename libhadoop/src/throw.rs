//! What a JNI method reports to Java instead of a value: each failure becomes the exception the
//! Hadoop method declares (`NativeIOException` with its `Errno`, `ChecksumException`, ...). A
//! failure of JNI itself leaves the JVM's own exception pending. Nothing here panics: a panic
//! would abort the NodeManager.

use jni::objects::{JObject, JThrowable, JValue};
use jni::JNIEnv;

use crate::errno;

/// Why a native method returns no value.
#[derive(Debug)]
pub enum Failure {
    /// A system call failed with this error number.
    Errno(i32),
    /// An I/O failure that is no system call's error: `IOException`.
    Io(String),
    /// A required argument was null: `NullPointerException` naming it.
    Null(&'static str),
    /// An argument out of range: `IllegalArgumentException`.
    Argument(String),
    /// What this library does not do: `UnsupportedOperationException`.
    Unsupported(String),
    /// A checksum differed: `ChecksumException(message, pos)`.
    Checksum { message: String, pos: i64 },
    /// JNI itself failed; when Java threw, its exception is already pending.
    Jni(jni::errors::Error),
}

impl From<jni::errors::Error> for Failure {
    fn from(e: jni::errors::Error) -> Self {
        Failure::Jni(e)
    }
}

impl Failure {
    /// The error of the last failed system call.
    pub fn last_os_error() -> Failure {
        Failure::Errno(std::io::Error::last_os_error().raw_os_error().unwrap_or(0))
    }
}

pub type Outcome<T> = Result<T, Failure>;

/// Runs `body`; on failure throws its exception and returns `fallback` (what Java ignores while an
/// exception is pending).
pub fn guard<'l, T>(env: &mut JNIEnv<'l>, fallback: T, body: impl FnOnce(&mut JNIEnv<'l>) -> Outcome<T>) -> T {
    match body(env) {
        Ok(value) => value,
        Err(failure) => {
            raise(env, failure);
            fallback
        }
    }
}

fn raise(env: &mut JNIEnv<'_>, failure: Failure) {
    if env.exception_check().unwrap_or(true) {
        return;
    }
    let _ = match failure {
        Failure::Errno(e) => native_io_exception(env, e),
        Failure::Io(m) => env.throw_new("java/io/IOException", m),
        Failure::Null(what) => env.throw_new("java/lang/NullPointerException", format!("{what} is null")),
        Failure::Argument(m) => env.throw_new("java/lang/IllegalArgumentException", m),
        Failure::Unsupported(m) => env.throw_new("java/lang/UnsupportedOperationException", m),
        Failure::Checksum { message, pos } => checksum_exception(env, &message, pos),
        Failure::Jni(e) => env.throw_new("java/lang/IllegalStateException", format!("yarnsec libhadoop: JNI failed: {e}")),
    };
}

fn native_io_exception(env: &mut JNIEnv<'_>, e: i32) -> jni::errors::Result<()> {
    let name = env.new_string(errno::name(e))?;
    let errno = env
        .call_static_method(
            "org/apache/hadoop/io/nativeio/Errno",
            "valueOf",
            "(Ljava/lang/String;)Lorg/apache/hadoop/io/nativeio/Errno;",
            &[JValue::Object(&name)],
        )?
        .l()?;
    let message = env.new_string(errno::describe(e))?;
    let ex = env.new_object(
        "org/apache/hadoop/io/nativeio/NativeIOException",
        "(Ljava/lang/String;Lorg/apache/hadoop/io/nativeio/Errno;)V",
        &[JValue::Object(&message), JValue::Object(&errno)],
    )?;
    env.throw(JThrowable::from(ex))
}

fn checksum_exception(env: &mut JNIEnv<'_>, message: &str, pos: i64) -> jni::errors::Result<()> {
    let text = env.new_string(message)?;
    let ex =
        env.new_object("org/apache/hadoop/fs/ChecksumException", "(Ljava/lang/String;J)V", &[JValue::Object(&text), JValue::Long(pos)])?;
    env.throw(JThrowable::from(ex))
}

/// `obj`, or `Failure::Null` naming it.
pub fn non_null<'a, 'l>(obj: &'a JObject<'l>, what: &'static str) -> Outcome<&'a JObject<'l>> {
    if obj.is_null() {
        Err(Failure::Null(what))
    } else {
        Ok(obj)
    }
}
