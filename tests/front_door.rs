//! The front door (`./yarnsec`, both README commands go through it): what it installs is decided
//! by dpkg's own answer for each package of `setup/prerequisites`, and without root it installs
//! nothing, prints the one command to run and exits 2; a cargo-nextest older than the config
//! requires is replaced. The machine's `id`, `dpkg-query` (and `docker` and `cargo`, where a test
//! says so) are replaced by stand-ins on `PATH`, so these tests change nothing on the machine.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

/// Runs `./yarnsec setup` with stand-ins for `id` (uid `uid`) and `dpkg-query` (reports installed
/// every package except those in `missing`), and the further stand-ins `more` (name, script).
fn setup_with(uid: u32, missing: &[&str], more: &[(&str, String)]) -> Output {
    let bin = tempfile::tempdir().unwrap();
    let write = |name: &str, text: String| {
        let path = bin.path().join(name);
        std::fs::write(&path, text).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    };
    write("id", format!("#!/bin/sh\n[ \"$1\" = -u ] && echo {uid} || echo uid={uid}\n"));
    // Like dpkg-query -W -f='${Package} ${db:Status-Status}\n': a line per known package, exit 1
    // when one is unknown.
    let missing = missing.join(" ");
    write(
        "dpkg-query",
        format!(
            "#!/bin/sh\nshift 2\nstatus=0\nfor p in \"$@\"; do case \" {missing} \" in *\" $p \"*) status=1 ;; *) echo \"$p installed\" ;; esac; done\nexit $status\n"
        ),
    );
    for (name, text) in more {
        write(name, text.clone());
    }
    let path = format!("{}:{}", bin.path().display(), std::env::var("PATH").unwrap_or_default());
    Command::new("bash").arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("yarnsec")).arg("setup").env("PATH", path).output().unwrap()
}

#[test]
fn without_root_a_missing_package_stops_the_setup_with_the_one_command_to_run() {
    // libclang-cpp14 (which some machine images ship) says nothing about libclang-dev.
    let out = setup_with(1000, &["libclang-dev", "krb5-user"], &[]);
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let line = stdout.lines().find(|l| l.contains("apt-get install")).unwrap_or_else(|| panic!("no install line: {stdout}"));
    assert!(line.ends_with("--no-install-recommends libclang-dev krb5-user\""), "exactly the missing packages: {line}");
    assert!(stderr.contains("run this as root"), "{stderr}");
}

#[test]
fn every_package_of_the_list_is_asked_of_dpkg() {
    let list = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("setup/prerequisites")).unwrap();
    let always: Vec<&str> = list
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let mut fields = l.split_whitespace();
            let (pkg, when) = (fields.next()?, fields.next()?);
            (when == "always").then_some(pkg)
        })
        .collect();
    assert!(always.contains(&"libclang-dev") && always.contains(&"libkrb5-dev"), "{always:?}");
    // dpkg lacks every package; the browser stand-ins on PATH (the test's own, so the machine's
    // do not matter) keep chromium and chromium-driver out of the install line.
    let chrome = ("google-chrome", "#!/bin/sh\nexit 0\n".to_string());
    let driver = ("chromedriver", "#!/bin/sh\nexit 0\n".to_string());
    let out = setup_with(1000, &always, &[chrome, driver]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2));
    let line = stdout.lines().find(|l| l.contains("apt-get install")).unwrap();
    let without_browser: Vec<&str> = always.iter().copied().filter(|p| !p.starts_with("chromium")).collect();
    assert!(line.ends_with(&format!("--no-install-recommends {}\"", without_browser.join(" "))), "{line}");
}

#[test]
fn chromium_is_installed_only_when_no_browser_of_its_kind_is_on_path() {
    // dpkg lacks chromium and krb5-user; a Google Chrome on PATH (a snap-only Ubuntu runner's)
    // does for chromium, while nothing stands in for krb5-user.
    let chrome = ("google-chrome", "#!/bin/sh\nexit 0\n".to_string());
    let out = setup_with(1000, &["chromium", "krb5-user"], &[chrome]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2));
    let line = stdout.lines().find(|l| l.contains("apt-get install")).unwrap();
    assert!(line.ends_with("--no-install-recommends krb5-user\""), "{line}");
}

/// `./yarnsec setup` on a machine with every package and an engine, whose cargo-nextest says it is
/// `version` (none: not installed); returns the output and the cargo commands the set-up ran.
fn nextest_setup(version: Option<&str>) -> (Output, String) {
    let log = tempfile::NamedTempFile::new().unwrap();
    let answer = match version {
        Some(v) => format!("echo 'cargo-nextest {v} (6b3f99457 2026-11-02)'"),
        None => "echo 'error: no such command: `nextest`' >&2; exit 101".to_string(),
    };
    let cargo = format!(
        "#!/bin/sh\necho \"$*\" >> '{}'\nif [ \"$1 $2\" = 'nextest --version' ]; then {answer}; fi\nexit 0\n",
        log.path().display()
    );
    let out = setup_with(1000, &[], &[("docker", "#!/bin/sh\nexit 0\n".to_string()), ("cargo", cargo)]);
    (out, std::fs::read_to_string(log.path()).unwrap())
}

#[test]
fn a_cargo_nextest_older_than_the_config_requires_is_replaced_and_a_newer_one_kept() {
    let required = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(".config/nextest.toml")).unwrap();
    assert!(required.contains("nextest-version = { required = \"0.9.91\" }"), "the test's versions assume 0.9.91");
    for (version, installs) in
        [(Some("0.9.90"), true), (Some("0.9.9"), true), (None, true), (Some("0.9.91"), false), (Some("0.9.151"), false)]
    {
        let (out, ran) = nextest_setup(version);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{version:?}: {stderr}");
        assert_eq!(ran.contains("install cargo-nextest --locked"), installs, "{version:?}: ran {ran:?}; {stderr}");
        if let (Some(v), true) = (version, installs) {
            assert!(stderr.contains(&format!("cargo-nextest {v} is older than 0.9.91")), "{stderr}");
        }
    }
}
