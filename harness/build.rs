//! Builds what the harness installs in the Hadoop node, both native code of yarnsec's own
//! (release), into this crate's OUT_DIR, where `native.rs` embeds them: `libhadoop.so` (the
//! `libhadoop/` crate) and the setuid `container-executor` (the `container-executor/` crate).
//! Every cluster gets what this harness was built with, whoever builds it (`cargo build`,
//! `cargo nextest run`, a team's own crate).
//!
//! A nested `cargo build` with its own target directory (no lock shared with the outer build)
//! and `--offline`: both crates' dependencies are the build-dependency's (`libhadoop`: jni, nix,
//! crc, libc) or the workspace's, so the outer cargo has fetched them.
use std::path::PathBuf;
use std::process::Command;

fn main() {
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let crate_dir = manifest_dir.join("../libhadoop");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    for dir in ["../libhadoop", "../container-executor"] {
        println!("cargo:rerun-if-changed={}", manifest_dir.join(dir).join("src").display());
        println!("cargo:rerun-if-changed={}", manifest_dir.join(dir).join("Cargo.toml").display());
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let target_dir = out.join("libhadoop-target");
    let mut build = Command::new(cargo);
    build
        .args(["build", "--release", "--offline", "--quiet", "-p", "yarnsec-libhadoop", "-p", "yarnsec-container-executor"])
        .args(["--lib", "--bin", "container-executor", "--manifest-path"])
        .arg(crate_dir.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&target_dir)
        // The outer build's wrappers (clippy, coverage) and target are not this library's.
        .env_remove("RUSTC_WORKSPACE_WRAPPER")
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_BUILD_TARGET");
    let status = build.status().expect("cannot run cargo to build libhadoop/ and container-executor/");
    assert!(status.success(), "building libhadoop/ and container-executor/ (yarnsec's native code) failed: {status}");
    for file in ["libhadoop.so", "container-executor"] {
        let built = target_dir.join("release").join(file);
        std::fs::copy(&built, out.join(file)).unwrap_or_else(|e| panic!("{} was not built: {e}", built.display()));
    }
}
