//! `org.apache.hadoop.io.nativeio.NativeIO` and its `POSIX` class on Linux: the calls
//! `SecureIOUtils` (log aggregation, the shuffle), `RawLocalFileSystem` (permissions) and the
//! shuffle's read-ahead reach. The Windows methods, PMDK's and `copyFileUnbuffered0` (Windows
//! only) are not here: Hadoop never calls them on Linux, or only after a check this library
//! answers with "no" (`getPmdkLibPath` is null, so PMDK stays unsupported).

use jni::objects::{JByteBuffer, JClass, JObject, JString, JValue};
use jni::sys::{jboolean, jint, jlong, jobject, jstring, JNI_TRUE};
use jni::JNIEnv;

use crate::files::{c_path, fd_object, fd_of, fstat, retry, stat, stat_object};
use crate::names;
use crate::throw::{guard, non_null, Failure, Outcome};

const POSIX: &str = "org/apache/hadoop/io/nativeio/NativeIO$POSIX";
const STAT: &str = "org/apache/hadoop/io/nativeio/NativeIO$POSIX$Stat";

/// The constants the Java side leaves at -1 for the library to set.
fn constants() -> [(&'static str, &'static str, i32); 30] {
    use libc::*;
    [
        (POSIX, "O_RDONLY", O_RDONLY),
        (POSIX, "O_WRONLY", O_WRONLY),
        (POSIX, "O_RDWR", O_RDWR),
        (POSIX, "O_CREAT", O_CREAT),
        (POSIX, "O_EXCL", O_EXCL),
        (POSIX, "O_NOCTTY", O_NOCTTY),
        (POSIX, "O_TRUNC", O_TRUNC),
        (POSIX, "O_APPEND", O_APPEND),
        (POSIX, "O_NONBLOCK", O_NONBLOCK),
        (POSIX, "O_SYNC", O_SYNC),
        (POSIX, "POSIX_FADV_NORMAL", POSIX_FADV_NORMAL),
        (POSIX, "POSIX_FADV_RANDOM", POSIX_FADV_RANDOM),
        (POSIX, "POSIX_FADV_SEQUENTIAL", POSIX_FADV_SEQUENTIAL),
        (POSIX, "POSIX_FADV_WILLNEED", POSIX_FADV_WILLNEED),
        (POSIX, "POSIX_FADV_DONTNEED", POSIX_FADV_DONTNEED),
        (POSIX, "POSIX_FADV_NOREUSE", POSIX_FADV_NOREUSE),
        (STAT, "S_IFMT", S_IFMT as i32),
        (STAT, "S_IFIFO", S_IFIFO as i32),
        (STAT, "S_IFCHR", S_IFCHR as i32),
        (STAT, "S_IFDIR", S_IFDIR as i32),
        (STAT, "S_IFBLK", S_IFBLK as i32),
        (STAT, "S_IFREG", S_IFREG as i32),
        (STAT, "S_IFLNK", S_IFLNK as i32),
        (STAT, "S_IFSOCK", S_IFSOCK as i32),
        (STAT, "S_ISUID", S_ISUID as i32),
        (STAT, "S_ISGID", S_ISGID as i32),
        (STAT, "S_ISVTX", S_ISVTX as i32),
        (STAT, "S_IRUSR", S_IRUSR as i32),
        (STAT, "S_IWUSR", S_IWUSR as i32),
        (STAT, "S_IXUSR", S_IXUSR as i32),
    ]
}

/// `NativeIO.initNative()`: sets the flag and mode constants, and says `posix_fadvise` works.
#[no_mangle]
pub extern "system" fn Java_org_apache_hadoop_io_nativeio_NativeIO_initNative<'l>(mut env: JNIEnv<'l>, _: JClass<'l>) {
    guard(&mut env, (), |env| {
        for (class, name, value) in constants() {
            env.set_static_field(class, (class, name, "I"), JValue::Int(value))?;
        }
        env.set_static_field(POSIX, (POSIX, "fadvisePossible", "Z"), JValue::Bool(JNI_TRUE))?;
        Ok(())
    })
}

/// `NativeIO.getMemlockLimit0()`: `RLIMIT_MEMLOCK`, `Long.MAX_VALUE` when unlimited.
#[no_mangle]
pub extern "system" fn Java_org_apache_hadoop_io_nativeio_NativeIO_getMemlockLimit0<'l>(mut env: JNIEnv<'l>, _: JClass<'l>) -> jlong {
    guard(&mut env, 0, |_| {
        let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        // SAFETY: getrlimit fills `lim`.
        if unsafe { libc::getrlimit(libc::RLIMIT_MEMLOCK, &mut lim) } != 0 {
            return Err(Failure::last_os_error());
        }
        Ok(if lim.rlim_cur == libc::RLIM_INFINITY { i64::MAX } else { lim.rlim_cur.min(i64::MAX as u64) as i64 })
    })
}

/// A system call on two paths (`rename`, `link`), retried when interrupted.
fn two_paths(
    env: &mut JNIEnv<'_>,
    src: &JString<'_>,
    dst: &JString<'_>,
    dst_is: &'static str,
    call: unsafe extern "C" fn(*const libc::c_char, *const libc::c_char) -> libc::c_int,
) {
    guard(env, (), |env| {
        let (s, d) = (c_path(env, src, "the source")?, c_path(env, dst, dst_is)?);
        // SAFETY: both paths are NUL-terminated and live across the call.
        retry(|| unsafe { call(s.as_ptr(), d.as_ptr()) }).map(drop)
    })
}

/// `NativeIO.renameTo0(src, dst)`: `rename(2)`.
#[no_mangle]
pub extern "system" fn Java_org_apache_hadoop_io_nativeio_NativeIO_renameTo0<'l>(
    mut env: JNIEnv<'l>,
    _: JClass<'l>,
    src: JString<'l>,
    dst: JString<'l>,
) {
    two_paths(&mut env, &src, &dst, "the destination", libc::rename)
}

/// `NativeIO.link0(src, dst)`: `link(2)`.
#[no_mangle]
pub extern "system" fn Java_org_apache_hadoop_io_nativeio_NativeIO_link0<'l>(
    mut env: JNIEnv<'l>,
    _: JClass<'l>,
    src: JString<'l>,
    dst: JString<'l>,
) {
    two_paths(&mut env, &src, &dst, "the link", libc::link)
}

/// `POSIX.open(path, flags, mode)`: `open(2)` (close-on-exec, so that no descriptor leaks into
/// the processes the NodeManager starts).
#[no_mangle]
pub extern "system" fn Java_org_apache_hadoop_io_nativeio_NativeIO_00024POSIX_open<'l>(
    mut env: JNIEnv<'l>,
    _: JClass<'l>,
    path: JString<'l>,
    flags: jint,
    mode: jint,
) -> jobject {
    guard(&mut env, std::ptr::null_mut(), |env| {
        let p = c_path(env, &path, "the path")?;
        // SAFETY: NUL-terminated path; the mode is passed as open(2)'s third argument.
        let fd = retry(|| unsafe { libc::open(p.as_ptr(), flags | libc::O_CLOEXEC, mode as libc::c_uint) })?;
        match fd_object(env, fd) {
            Ok(obj) => Ok(obj.into_raw()),
            Err(e) => {
                // SAFETY: the descriptor was just opened and is owned here.
                unsafe { libc::close(fd) };
                Err(e)
            }
        }
    })
}

/// `POSIX.fstat(fd)`: owner and group ids and the mode (the Java side names them).
#[no_mangle]
pub extern "system" fn Java_org_apache_hadoop_io_nativeio_NativeIO_00024POSIX_fstat<'l>(
    mut env: JNIEnv<'l>,
    _: JClass<'l>,
    fd: JObject<'l>,
) -> jobject {
    guard(&mut env, std::ptr::null_mut(), |env| {
        let st = fstat(fd_of(env, &fd)?)?;
        Ok(stat_object(env, &st)?.into_raw())
    })
}

/// `POSIX.stat(path)`.
#[no_mangle]
pub extern "system" fn Java_org_apache_hadoop_io_nativeio_NativeIO_00024POSIX_stat<'l>(
    mut env: JNIEnv<'l>,
    _: JClass<'l>,
    path: JString<'l>,
) -> jobject {
    guard(&mut env, std::ptr::null_mut(), |env| {
        let st = stat(&c_path(env, &path, "the path")?)?;
        Ok(stat_object(env, &st)?.into_raw())
    })
}

/// `POSIX.chmodImpl(path, mode)`: `chmod(2)`.
#[no_mangle]
pub extern "system" fn Java_org_apache_hadoop_io_nativeio_NativeIO_00024POSIX_chmodImpl<'l>(
    mut env: JNIEnv<'l>,
    _: JClass<'l>,
    path: JString<'l>,
    mode: jint,
) {
    guard(&mut env, (), |env| {
        let p = c_path(env, &path, "the path")?;
        // SAFETY: NUL-terminated path.
        retry(|| unsafe { libc::chmod(p.as_ptr(), mode as libc::mode_t) }).map(drop)
    })
}

/// `POSIX.posix_fadvise(fd, offset, len, flags)`.
#[no_mangle]
pub extern "system" fn Java_org_apache_hadoop_io_nativeio_NativeIO_00024POSIX_posix_1fadvise<'l>(
    mut env: JNIEnv<'l>,
    _: JClass<'l>,
    fd: JObject<'l>,
    offset: jlong,
    len: jlong,
    flags: jint,
) {
    guard(&mut env, (), |env| {
        let n = fd_of(env, &fd)?;
        // SAFETY: plain integers; posix_fadvise returns the error instead of setting errno.
        match unsafe { libc::posix_fadvise(n, offset, len, flags) } {
            0 => Ok(()),
            e => Err(Failure::Errno(e)),
        }
    })
}

/// `POSIX.sync_file_range(fd, offset, nbytes, flags)`; a kernel without it is
/// `UnsupportedOperationException`, which the Java side remembers.
#[no_mangle]
pub extern "system" fn Java_org_apache_hadoop_io_nativeio_NativeIO_00024POSIX_sync_1file_1range<'l>(
    mut env: JNIEnv<'l>,
    _: JClass<'l>,
    fd: JObject<'l>,
    offset: jlong,
    nbytes: jlong,
    flags: jint,
) {
    guard(&mut env, (), |env| {
        let n = fd_of(env, &fd)?;
        // SAFETY: plain integers.
        match retry(|| unsafe { libc::sync_file_range(n, offset, nbytes, flags as libc::c_uint) }) {
            Err(Failure::Errno(libc::ENOSYS)) => Err(Failure::Unsupported("sync_file_range kernel support not available".into())),
            other => other.map(drop),
        }
    })
}

fn direct_address(env: &mut JNIEnv<'_>, buffer: &JByteBuffer<'_>) -> Outcome<(*mut u8, usize)> {
    non_null(buffer, "the buffer")?;
    let address = env.get_direct_buffer_address(buffer)?;
    let capacity = env.get_direct_buffer_capacity(buffer)?;
    Ok((address, capacity))
}

/// `POSIX.mlock_native(buffer, len)`.
#[no_mangle]
pub extern "system" fn Java_org_apache_hadoop_io_nativeio_NativeIO_00024POSIX_mlock_1native<'l>(
    mut env: JNIEnv<'l>,
    _: JClass<'l>,
    buffer: JByteBuffer<'l>,
    len: jlong,
) {
    guard(&mut env, (), |env| {
        let (address, capacity) = direct_address(env, &buffer)?;
        if len < 0 || len as u64 > capacity as u64 {
            return Err(Failure::Argument(format!("cannot mlock {len} bytes of a {capacity}-byte buffer")));
        }
        // SAFETY: the range lies inside the direct buffer.
        retry(|| unsafe { libc::mlock(address.cast(), len as usize) }).map(drop)
    })
}

/// `POSIX.mmap(fd, prot, shared, length)`: the address.
#[no_mangle]
pub extern "system" fn Java_org_apache_hadoop_io_nativeio_NativeIO_00024POSIX_mmap<'l>(
    mut env: JNIEnv<'l>,
    _: JClass<'l>,
    fd: JObject<'l>,
    prot: jint,
    shared: jboolean,
    length: jlong,
) -> jlong {
    guard(&mut env, 0, |env| {
        let n = fd_of(env, &fd)?;
        if length <= 0 {
            return Err(Failure::Argument(format!("cannot mmap {length} bytes")));
        }
        let flags = if shared != 0 { libc::MAP_SHARED } else { libc::MAP_PRIVATE };
        // SAFETY: a new mapping chosen by the kernel; nothing existing is touched.
        let addr = unsafe { libc::mmap(std::ptr::null_mut(), length as usize, prot, flags, n, 0) };
        if addr == libc::MAP_FAILED {
            return Err(Failure::last_os_error());
        }
        Ok(addr as jlong)
    })
}

/// `POSIX.munmap(addr, length)`.
#[no_mangle]
pub extern "system" fn Java_org_apache_hadoop_io_nativeio_NativeIO_00024POSIX_munmap<'l>(
    mut env: JNIEnv<'l>,
    _: JClass<'l>,
    addr: jlong,
    length: jlong,
) {
    guard(&mut env, (), |_| {
        if addr == 0 || length <= 0 {
            return Err(Failure::Argument(format!("cannot munmap {length} bytes at {addr:#x}")));
        }
        // SAFETY: the caller passes back what `mmap` returned (Hadoop's contract).
        retry(|| unsafe { libc::munmap(addr as *mut libc::c_void, length as usize) }).map(drop)
    })
}

/// `POSIX.getUIDforFDOwnerforOwner(fd)`: the uid that owns the open file.
#[no_mangle]
pub extern "system" fn Java_org_apache_hadoop_io_nativeio_NativeIO_00024POSIX_getUIDforFDOwnerforOwner<'l>(
    mut env: JNIEnv<'l>,
    _: JClass<'l>,
    fd: JObject<'l>,
) -> jlong {
    guard(&mut env, 0, |env| Ok(fstat(fd_of(env, &fd)?)?.st_uid as jlong))
}

fn name_string(env: &mut JNIEnv<'_>, name: Result<String, String>) -> Outcome<jstring> {
    let name = name.map_err(Failure::Io)?;
    Ok(env.new_string(name)?.into_raw())
}

/// `POSIX.getUserName(long uid)` (overloaded: the long form of the JNI name).
#[no_mangle]
pub extern "system" fn Java_org_apache_hadoop_io_nativeio_NativeIO_00024POSIX_getUserName__J<'l>(
    mut env: JNIEnv<'l>,
    _: JClass<'l>,
    uid: jlong,
) -> jstring {
    guard(&mut env, std::ptr::null_mut(), |env| {
        let uid = u32::try_from(uid).map_err(|_| Failure::Argument(format!("uid {uid} is out of range")))?;
        name_string(env, names::user_name(uid))
    })
}

/// `POSIX.getUserName(int uid)`.
#[no_mangle]
pub extern "system" fn Java_org_apache_hadoop_io_nativeio_NativeIO_00024POSIX_getUserName__I<'l>(
    mut env: JNIEnv<'l>,
    _: JClass<'l>,
    uid: jint,
) -> jstring {
    guard(&mut env, std::ptr::null_mut(), |env| name_string(env, names::user_name(uid as u32)))
}

/// `POSIX.getGroupName(int gid)`.
#[no_mangle]
pub extern "system" fn Java_org_apache_hadoop_io_nativeio_NativeIO_00024POSIX_getGroupName<'l>(
    mut env: JNIEnv<'l>,
    _: JClass<'l>,
    gid: jint,
) -> jstring {
    guard(&mut env, std::ptr::null_mut(), |env| name_string(env, names::group_name(gid as u32)))
}

/// `POSIX.getPmdkLibPath()`: null, no PMDK (persistent memory caching stays off).
#[no_mangle]
pub extern "system" fn Java_org_apache_hadoop_io_nativeio_NativeIO_00024POSIX_getPmdkLibPath<'l>(
    _env: JNIEnv<'l>,
    _: JClass<'l>,
) -> jstring {
    std::ptr::null_mut()
}
