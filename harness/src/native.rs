//! yarnsec's native code for the NodeManager, built with this harness (`build.rs`, release):
//! - `libhadoop.so` (the `libhadoop/` crate), copied into each Hadoop node, where only the
//!   NodeManager loads it (`-Djava.library.path` on its JVM alone): with it, the NodeManager's
//!   `SecureIOUtils` works on a Kerberos cluster, so log aggregation and MapReduce's shuffle do;
//! - the setuid `container-executor` (the `container-executor/` crate), installed in the
//!   NodeManager's image (`images::ContainerExecutor::Linux`, the default).

/// The library's bytes.
pub const LIBHADOOP: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/libhadoop.so"));

/// The `container-executor` binary.
pub const CONTAINER_EXECUTOR: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/container-executor"));

/// Where the library lives on the Hadoop node; the NodeManager's `java.library.path`.
pub const DIR: &str = "/opt/yarnsec/native";

/// The file the NodeManager loads.
pub fn path() -> String {
    format!("{DIR}/libhadoop.so")
}

#[cfg(test)]
mod tests {
    #[test]
    fn it_is_a_shared_object() {
        assert_eq!(&super::LIBHADOOP[..4], b"\x7fELF");
        assert!(super::LIBHADOOP.len() > 10_000);
        assert_eq!(&super::CONTAINER_EXECUTOR[..4], b"\x7fELF");
    }
}
