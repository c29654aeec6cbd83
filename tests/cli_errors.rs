//! Bad input to the `yarnsec` binary: a clear one-paragraph error naming the fix, a documented
//! exit code, and nothing started.

use std::process::{Command, Output};

fn yarnsec(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_yarnsec"));
    cmd.args(args);
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.output().expect("the binary runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn an_unknown_profile_names_the_profiles() {
    let out = yarnsec(&["up", "--no-service", "--profile", "strictest"], &[]);
    assert_eq!(out.status.code(), Some(yarnsec::exit_codes::BAD_INPUT as i32), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("unknown profile `strictest`") && err.contains("strict, fast, kerberos, simple"), "{err}");
    assert!(out.stdout.is_empty(), "nothing on stdout for --json consumers");
}

#[test]
fn no_docker_engine_says_how_to_start_one() {
    let out = yarnsec(&["up", "--no-service", "--json"], &[("DOCKER_HOST", "unix:///nonexistent/docker.sock")]);
    assert_eq!(out.status.code(), Some(yarnsec::exit_codes::NO_DOCKER as i32), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("no Docker engine answers") && err.contains("dockerd"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn help_lists_the_commands() {
    let out = yarnsec(&["--help"], &[]);
    let text = String::from_utf8_lossy(&out.stdout);
    for command in ["up", "down", "images", "bench"] {
        assert!(text.contains(command), "{text}");
    }
}

#[test]
fn a_missing_service_file_is_bad_input_before_anything_starts() {
    let out = yarnsec(&["run", "--service", "/nonexistent/team-service.toml"], &[("DOCKER_HOST", "unix:///nonexistent/docker.sock")]);
    assert_eq!(out.status.code(), Some(yarnsec::exit_codes::BAD_INPUT as i32), "{}", stderr(&out));
    assert!(stderr(&out).contains("cannot read the service file /nonexistent/team-service.toml"), "{}", stderr(&out));
}

#[test]
fn a_service_file_with_a_mistake_names_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("svc.toml");
    std::fs::write(&path, "name = \"team\"\nurl = \"http://team.example:8080\"\n").unwrap();
    let out = yarnsec(&["run", "--service", path.to_str().unwrap()], &[("DOCKER_HOST", "unix:///nonexistent/docker.sock")]);
    assert_eq!(out.status.code(), Some(yarnsec::exit_codes::BAD_INPUT as i32), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("svc.toml") && err.contains("address = "), "{err}");
}

#[test]
fn faults_are_refused_for_an_external_service() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("svc.toml");
    std::fs::write(&path, "name = \"team\"\nurl = \"http://10.9.9.9:8080\"\n").unwrap();
    let out = yarnsec(&["run", "--service", path.to_str().unwrap(), "--fault", "no-doas"], &[]);
    assert_eq!(out.status.code(), Some(yarnsec::exit_codes::BAD_INPUT as i32), "{}", stderr(&out));
    assert!(stderr(&out).contains("belong to the reference service"), "{}", stderr(&out));
}

/// `init` writes a service file that `check` accepts; `check` names a bad key and exits 2, and
/// `init` never writes over a file.
#[test]
fn init_writes_a_file_check_accepts_and_check_names_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    for kind in ["form", "json", "command"] {
        let file = dir.path().join(format!("{kind}.toml"));
        let out = yarnsec(&["init", "--submit", kind, file.to_str().unwrap()], &[]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let out = yarnsec(&["check", file.to_str().unwrap()], &[]);
        assert_eq!(out.status.code(), Some(0), "{kind}: {}", stderr(&out));
        let again = yarnsec(&["init", "--submit", kind, file.to_str().unwrap()], &[]);
        assert_eq!(again.status.code(), Some(yarnsec::exit_codes::BAD_INPUT as i32));
        assert!(stderr(&again).contains("exists already"), "{}", stderr(&again));
    }
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "name = \"x\"\nsubmit = \"command\"\nsubmit_command = [\"{workload}\", \"{name}\"]\nsubmit_wiat = \"5m\"\n")
        .unwrap();
    let out = yarnsec(&["check", bad.to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(yarnsec::exit_codes::BAD_INPUT as i32));
    assert!(stderr(&out).contains("submit_wiat"), "{}", stderr(&out));
}
