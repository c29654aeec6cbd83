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
    assert!(err.contains("unknown profile `strictest`") && err.contains("strict, kerberos, simple"), "{err}");
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
