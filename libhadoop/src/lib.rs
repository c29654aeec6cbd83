//! yarnsec's own `libhadoop.so`, loaded by the NodeManager only (`-Djava.library.path`), so that
//! a Kerberos NodeManager can read container logs and map outputs through `SecureIOUtils`: log
//! aggregation and MapReduce's shuffle. Hadoop's library is native code from its source tree,
//! on no registry reachable here; this one is written from the Java side's declarations.
//!
//! What it provides, class by class (the JNI names are the exported symbols):
//! - `NativeIO`: `initNative` (the flag and mode constants), `getMemlockLimit0`, `renameTo0`,
//!   `link0`; `NativeIO.POSIX`: `open`, `fstat`, `stat`, `chmodImpl`, `posix_fadvise`,
//!   `sync_file_range`, `mlock_native`, `mmap`, `munmap`, `getUIDforFDOwnerforOwner`,
//!   `getUserName` (both), `getGroupName`; `POSIX.getPmdkLibPath` (null: no PMDK).
//! - `NativeCrc32`: chunked CRC32/CRC32C, computed or verified, direct buffers and arrays.
//! - `NativeCodeLoader`: ISA-L, zstd and OpenSSL not built in; the library's path.
//! - `JniBasedUnixGroupsMapping`: a user's groups.
//! - Refused by name (the classes fall back to Java or stay off): UNIX domain sockets, zlib,
//!   bzip2 (`absent`).
//!
//! Not provided, and unreachable on Linux: the `NativeIO.Windows` methods and
//! `copyFileUnbuffered0` (Windows only), PMDK's methods (only after `isPmdkAvailable()`, which
//! stays false), OpenSSL, ISA-L and zstd (only after `buildSupports*` says yes),
//! `SharedFileDescriptorFactory` (DataNode short-circuit shared memory). `tests/reachable.rs`
//! checks each of them against the class that guards it.
//!
//! ```no_run
//! // In the NodeManager's JVM: java -Djava.library.path=/opt/yarnsec/native ...
//! // NativeCodeLoader.isNativeCodeLoaded() and NativeIO.isAvailable() are then true, and
//! // SecureIOUtils.openForRead(file, owner, group) checks the open file's owner with fstat.
//! ```

mod absent;
pub mod checksum;
mod crc32;
pub mod errno;
mod files;
mod groups;
mod loader;
pub mod names;
mod nativeio;
mod throw;
