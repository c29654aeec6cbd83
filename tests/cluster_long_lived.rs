//! The long-lived items (L1–L7) on the shared cluster: the reference service launches alice's
//! long-lived application (a YARN service that logs in from her keytab) and yarnsec watches it
//! past its first tokens' max lifetime. Beside it, the same service with each long-lived fault
//! on, started as a service container of its own: each fault moves exactly the items it names.
//!
//! A command-line submitter gets the same items: Hadoop's own services client (`yarn app -launch`,
//! `references/yarn-services-cli`) run on an edge node as alice, with her keytab.
//!
//! Every long-lived application waits out a token max lifetime (90 s on `fast`, the suite's
//! profile; 300 s on `strict`): the four run at once, so the test takes one such wait (273 s in
//! the suite on `fast`, about seven minutes on `strict`).

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;
use yarnsec_submitter::service::ServiceLog;

use yarnsec_harness::cluster::EdgeOptions;

use yarnsec_scenarios::{judge, Context, ServiceUnderTest, Status, Verdict};
use Status::{Fail, NotApplicable, Pass, Skipped};

const ITEMS: [&str; 7] = ["L1", "L2", "L3", "L4", "L5", "L6", "L7"];

/// Each long-lived fault and the verdicts it gives the items it moves (the others keep the
/// faultless service's).
const FAULTS: &[(&str, &[(&str, Status)])] = &[
    // The keytab is stored readable by everyone, and the launch goes ahead.
    ("world-readable-keytab-in-hdfs", &[("L3", Fail)]),
    // No keytab at all: nothing to localize and nothing to log in from. YARN services' AM then
    // stops at once ("AM is not holding on a keytab in a secure deployment", then the secure
    // registry refuses it): it never registers, and launches no container to judge.
    ("no-keytab", &[("L1", Fail), ("L2", Fail), ("L3", NotApplicable), ("L5", Fail), ("L6", Fail), ("L7", Skipped)]),
];

/// L1–L7 for one service, judged on one long-lived application.
async fn verdicts(
    cluster: &yarnsec_harness::SecureCluster,
    service: &ServiceUnderTest,
    http: yarnsec_hadoop::SpnegoClient,
) -> BTreeMap<&'static str, Verdict> {
    let ctx = Context::with_http(cluster, service, http);
    let all = futures::future::join_all(ITEMS.iter().map(|id| {
        let ctx = &ctx;
        async move { (*id, judge(id, ctx).await) }
    }))
    .await;
    all.into_iter().collect()
}

fn shown(who: &str, verdicts: &BTreeMap<&'static str, Verdict>) -> String {
    let mut out = String::new();
    for (id, v) in verdicts {
        out.push_str(&format!("{who} {id} {:?}: {}\n", v.status, v.reason));
        if v.status == Fail || v.status == Skipped {
            for e in &v.evidence {
                let body: String = e.body.chars().rev().take(2_000).collect::<Vec<_>>().into_iter().rev().collect();
                out.push_str(&format!("    [{}] {}:\n      {}\n", e.kind, e.title, body.replace('\n', "\n      ")));
            }
        }
    }
    out
}

#[tokio::test]
async fn the_reference_long_lived_service_is_judged_and_each_fault_moves_its_items() {
    let Some(cluster) = common::cluster().await else { return };
    if !cluster.profile().kerberos() {
        eprintln!("SKIPPED: long-lived applications log in from keytabs: a Kerberos profile");
        return;
    }
    let binary = env!("CARGO_BIN_EXE_yarnsec");
    let baseline_service = ServiceUnderTest::reference(&cluster.service_url().unwrap()).shared();
    assert!(baseline_service.features.long_lived, "the reference service launches long-lived applications by default");

    let baseline = verdicts(&cluster, &baseline_service, cluster.http().clone());
    let faulty = futures::future::join_all(FAULTS.iter().map(|(fault, _)| {
        let cluster = &cluster;
        async move {
            // A few seconds apart, so that the issuers' logs tell the launches apart.
            tokio::time::sleep(std::time::Duration::from_secs(5)).await;
            let extra = cluster.start_extra_service(binary, vec![fault.to_string()]).await.expect("the faulty service starts");
            let mut service = ServiceUnderTest::reference(&extra.url).with_log(ServiceLog::Unknown);
            service.name = format!("reference with {fault}");
            let verdicts = verdicts(cluster, &service, extra.http.clone()).await;
            (*fault, verdicts, extra)
        }
    }));
    let command_line = async {
        tokio::time::sleep(std::time::Duration::from_secs(10)).await;
        let file = common::reference_file("yarn-services-cli", cluster.hadoop_version());
        let edge = cluster.start_edge(EdgeOptions::default().with_mount(file.mount_dir())).await.expect("the edge node starts");
        let service = ServiceUnderTest::command(&file.name, file.features, file.command_submitter(Arc::new(edge)));
        verdicts(&cluster, &service, cluster.http().clone()).await
    };
    let (baseline, faulty, command_line) = futures::join!(baseline, faulty, command_line);
    eprintln!("{}", shown("baseline", &baseline));
    eprintln!("{}", shown("yarn app -launch", &command_line));

    // The faultless reference: its keytab in HDFS for the AM only, owner-only; the AM's token file
    // and keytab login. L1 and L7 are the framework's to decide (YARN services gives its
    // components the launch tokens only): judged, whichever way.
    let mut problems = Vec::new();
    for id in ["L2", "L3", "L4", "L5", "L6"] {
        if baseline[id].status != Pass {
            problems.push(format!("baseline {id}: expected Pass, got {:?}", baseline[id].status));
        }
    }
    for id in ["L1", "L7"] {
        if !matches!(baseline[id].status, Pass | Fail) {
            problems.push(format!("baseline {id}: not judged ({:?})", baseline[id].status));
        }
    }
    // L1 judges the whole strategy from the same writes L7 judges the containers by.
    if baseline["L1"].status == Pass && baseline["L7"].status == Fail {
        problems.push("baseline: L1 PASS with L7 FAIL".into());
    }
    for (fault, verdicts, _extra) in &faulty {
        eprintln!("{}", shown(fault, verdicts));
        let expected: BTreeMap<&str, Status> = FAULTS.iter().find(|(f, _)| f == fault).unwrap().1.iter().copied().collect();
        for id in ITEMS {
            let want = expected.get(id).copied().unwrap_or(baseline[id].status);
            if verdicts[id].status != want {
                problems.push(format!("{fault} {id}: expected {want:?}, got {:?}: {}", verdicts[id].status, verdicts[id].reason));
            }
        }
    }
    // The services client launches the same framework the same way (keytab owner-only in HDFS,
    // localized for the AM, which logs in from it): the same verdicts, reached through a command.
    for id in ITEMS {
        if command_line[id].status != baseline[id].status {
            problems.push(format!(
                "yarn app -launch {id}: expected {:?} as the reference's, got {:?}: {}",
                baseline[id].status, command_line[id].status, command_line[id].reason
            ));
        }
    }
    assert!(problems.is_empty(), "the long-lived verdicts changed:\n{}", problems.join("\n"));
}
