//! The report keeps every judged application's container logs: `yarnsec run` copies the
//! NodeManager's log dirs into `logs/applications/<app>/<container>/`. (There is no log
//! aggregation to read them from later: see `yarn_site`.)

mod common;

use yarnsec_scenarios::{Context, ServiceUnderTest};

#[tokio::test]
async fn each_container_of_a_judged_application_has_its_logs_in_the_report() {
    let Some(cluster) = common::cluster().await else { return };
    let url = cluster.service_url().expect("the shared cluster runs the reference service");
    let launcher = yarnsec_submitter::service::TokenFileLauncher::reference(cluster.service().expect("the service runs").id());
    let service = ServiceUnderTest::reference(&url).with_launcher(launcher).shared();
    let ctx = Context::new(&cluster, &service);
    let run = ctx.run_as("alice").await.expect("alice's application runs");
    assert!(run.succeeded(), "{:?}", run.app);

    let report = tempfile::tempdir().unwrap();
    let dir = report.path().join("applications");
    let apps = cluster.evidence().save_container_logs(&dir).await.expect("the logs are copied");
    assert!(apps >= 1, "no application's logs were copied");
    for container in &run.containers {
        let kept = dir.join(&run.app.id).join(&container.id);
        for (name, text) in &container.logs {
            let copy = std::fs::read_to_string(kept.join(name)).unwrap_or_else(|e| panic!("{}/{name}: {e}", kept.display()));
            // The copy was made after the observation: the same text, or more of it.
            assert!(copy.starts_with(text.as_str()), "{}/{name} differs from what was observed", kept.display());
        }
    }
    let worker = run.probe_container().expect("the probe ran in a container");
    let copies: String = std::fs::read_dir(dir.join(&run.app.id).join(&worker.id))
        .expect("the probe's container was copied")
        .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
        .collect();
    assert!(copies.lines().any(|l| l == "USER=alice"), "the probe's output is not in the copy:\n{copies}");
}
