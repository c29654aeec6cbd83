//! The shared cluster of the integration tests.
//!
//! Under `cargo nextest run`, the `yarnsec-cluster` setup script (see `.config/nextest.toml`)
//! starts one cluster for the whole run and passes its description in `YARNSEC_CLUSTER`; every
//! test attaches to it. Without it (plain `cargo test`), the first test of a process starts one
//! with `yarnsec up` for that process, removed when the process ends.
//!
//! A machine without a Docker engine cannot run these tests: they say so and pass, except under
//! CI (`CI=true`), where that is a failure. A cluster that fails to start while an engine answers
//! is a failure everywhere.

#![allow(dead_code)]

use std::sync::OnceLock;

use yarnsec_harness::{ClusterDescription, SecureCluster};

/// The description of the cluster this test process uses, or `None` (with a message) when no
/// Docker engine answers outside CI.
pub fn description() -> Option<ClusterDescription> {
    static DESCRIPTION: OnceLock<Result<ClusterDescription, String>> = OnceLock::new();
    let result = DESCRIPTION.get_or_init(|| {
        if let Ok(path) = std::env::var("YARNSEC_CLUSTER") {
            let text = std::fs::read_to_string(&path).map_err(|e| format!("YARNSEC_CLUSTER={path}: {e}"))?;
            return ClusterDescription::from_json(&text).map_err(|e| format!("YARNSEC_CLUSTER={path}: {e}"));
        }
        if !docker_answers() {
            return Err(String::from("no Docker engine answers (start one with `dockerd &`; `.ci/run` does)"));
        }
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_yarnsec"))
            .args(["up", "--json", "--down-when-gone", &std::process::id().to_string()])
            .stderr(std::process::Stdio::inherit())
            .output()
            .map_err(|e| format!("could not run yarnsec up: {e}"))?;
        if !out.status.success() {
            panic!("yarnsec up failed with {} while a Docker engine answers (its error is above)", out.status);
        }
        ClusterDescription::from_json(&String::from_utf8_lossy(&out.stdout)).map_err(|e| format!("yarnsec up printed no description: {e}"))
    });
    match result {
        Ok(d) => Some(d.clone()),
        Err(reason) if std::env::var("CI").is_ok_and(|v| v == "true") => panic!("this test needs a cluster and CI must run it: {reason}"),
        Err(reason) => {
            eprintln!("SKIPPED: this test needs a running cluster: {reason}");
            None
        }
    }
}

/// The Docker engine, or `None` (with a message) when none answers outside CI; under CI a test
/// that needs one fails.
pub async fn engine() -> Option<bollard::Docker> {
    match yarnsec_harness::docker::connect().await {
        Ok(e) => Some(e),
        Err(e) if std::env::var("CI").is_ok_and(|v| v == "true") => panic!("CI must run this test: {e}"),
        Err(e) => {
            eprintln!("SKIPPED: {e}");
            None
        }
    }
}

/// Attaches to the shared cluster (see [`description`]).
pub async fn cluster() -> Option<SecureCluster> {
    let description = description()?;
    Some(SecureCluster::attach(&description).await.expect("the shared cluster is reachable"))
}

/// The shared cluster's reference service as the tests judge it (its token files read through
/// its container, shared with other tests).
pub fn reference_service(cluster: &SecureCluster) -> yarnsec_scenarios::ServiceUnderTest {
    let url = cluster.service_url().expect("the shared cluster runs the reference service");
    let launcher = yarnsec_submitter::service::TokenFileLauncher::reference(cluster.service().expect("the service runs").id());
    yarnsec_scenarios::ServiceUnderTest::reference(&url).with_launcher(launcher).shared()
}

fn docker_answers() -> bool {
    std::process::Command::new("docker")
        .arg("info")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// A reference's service file (`references/<name>/service.toml`), with the cluster's Hadoop
/// version in its jar paths, and its directory as the one mounted at `/team`.
pub fn reference_file(name: &str, version: &str) -> yarnsec_submitter::service_file::ServiceFile {
    let path = format!("{}/references/{name}/service.toml", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap().replace("3.4.2", version);
    let mut file = yarnsec_submitter::service_file::ServiceFile::parse(&text, &path).expect("the reference file is valid");
    file.base_dir = std::path::Path::new(&path).parent().map(std::path::Path::to_path_buf);
    file
}

/// Why a PASS's evidence does not back it, or `None`: a PASS needs evidence that says something
/// was found (placeholders say nothing was; "(no alias): …" is a token line) and none that says
/// the token file was missing.
pub fn pass_without_evidence(v: &yarnsec_scenarios::Verdict) -> Option<&'static str> {
    if v.status != yarnsec_scenarios::Status::Pass {
        return None;
    }
    let nothing = |body: &str| {
        body.trim().is_empty()
            || ["(no token file", "(none)", "(no line mentions", "(the token file holds no token)"].iter().any(|p| body.starts_with(p))
    };
    if v.evidence.iter().all(|e| nothing(&e.body)) {
        return Some("a PASS with no evidence");
    }
    if v.evidence.iter().any(|e| e.body.starts_with("(no token file")) {
        return Some("a PASS on a missing token file");
    }
    None
}

/// Judges the items of `want` all at once from one context made by `context` (they share one
/// application of alice's), and returns that context and the verdicts, in `want`'s order,
/// asserting each (`what` names the service in a failure).
///
/// A loaded machine may fail that application once: on `fast` its client's tokens die 90 s
/// after their issue, and under the whole suite on two cores a DistributedShell application once
/// took 98 s from its client's token to its container's write (localizers and its
/// ApplicationMaster's JVM starved of CPU), so the write met an expired token. As in the fault
/// matrix, when a verdict is not the one wanted, every item is judged again from a new context (a
/// new application), and only the second judgment counts; the first is printed.
pub async fn judged<'a>(
    what: &str,
    context: impl Fn() -> yarnsec_scenarios::Context<'a>,
    want: &[(&str, yarnsec_scenarios::Status)],
) -> (yarnsec_scenarios::Context<'a>, Vec<yarnsec_scenarios::Verdict>) {
    async fn all(ctx: &yarnsec_scenarios::Context<'_>, want: &[(&str, yarnsec_scenarios::Status)]) -> Vec<yarnsec_scenarios::Verdict> {
        futures::future::join_all(want.iter().map(|(id, _)| yarnsec_scenarios::judge(id, ctx))).await
    }
    let mut ctx = context();
    let mut verdicts = all(&ctx, want).await;
    let off: Vec<String> = want
        .iter()
        .zip(&verdicts)
        .filter(|((_, w), v)| v.status != *w)
        .map(|((id, _), v)| format!("{id} {:?}: {}", v.status, v.reason))
        .collect();
    if !off.is_empty() {
        eprintln!("{what}: not the verdicts wanted, judged again from a new application:\n{}", off.join("\n"));
        ctx = context();
        verdicts = all(&ctx, want).await;
    }
    for ((id, w), v) in want.iter().zip(&verdicts) {
        assert_eq!(v.status, *w, "{id} for {what}: {}\n{:#?}", v.reason, v.evidence);
    }
    (ctx, verdicts)
}
