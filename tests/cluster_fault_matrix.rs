//! The fault matrix: every fault switch of the reference service moves exactly the items it
//! names away from the faultless service's verdicts, no more and no fewer. Each faulty service
//! runs as a service container of its own on the shared cluster, and the whole checklist is
//! judged against it, beside the faultless one, all at once.
//!
//! The table below is the README's fault matrix. Items no fault of the service can move are the
//! ApplicationMaster's (A1, A2, A3, A5, A7), Hadoop's (T1 aside from what breaks the launch) or
//! not applicable to the reference service; their reasons say who decides them.

mod common;

use std::collections::BTreeMap;

use futures::StreamExt;
use yarnsec_scenarios::{judge, Context, ServiceUnderTest, Status, CHECKLIST};
use Status::{Fail, Skipped};

/// Each fault, and the items (besides the ApplicationMaster's, see [`AM_DECIDED`]) whose verdict
/// it changes, with the verdict each gets.
const MATRIX: &[(&str, &[(&str, Status)])] = &[
    // Its Oozie-style client, too, submits as the service, which cannot stage in the service's
    // home with the user's tokens: C4's launch fails.
    ("no-doas", &[("C4", Fail), ("T2", Fail), ("T3", Fail), ("T9", Fail)]),
    ("allow-anonymous", &[("T3", Fail), ("T4", Fail), ("T6", Fail)]),
    (
        "wrong-renewer",
        &[
            ("C1", Fail),
            ("C2", Fail),
            ("C3", Fail),
            ("C5", Fail),
            ("C6", Fail),
            ("A4", Skipped),
            ("T1", Fail),
            ("T2", Fail),
            ("T5", Fail),
            ("T7", Fail),
            ("T9", Fail),
        ],
    ),
    ("no-hdfs-token", &[("C2", Fail), ("A4", Skipped), ("T1", Fail), ("T2", Fail), ("T5", Fail), ("T9", Fail)]),
    ("no-timeline-token", &[("C3", Fail), ("T7", Fail)]),
    ("no-remote-token", &[("C3", Fail), ("T9", Fail)]),
    ("keep-tokens", &[("A4", Fail)]),
    ("no-jaas-debug", &[("C6", Fail)]),
    ("timeline-token-not-set", &[("C3", Fail), ("C5", Fail), ("T7", Fail)]),
    (
        "assume-insecure",
        &[
            ("C1", Fail),
            ("C2", Fail),
            ("C3", Fail),
            ("C5", Fail),
            ("A4", Skipped),
            ("T1", Fail),
            ("T2", Fail),
            ("T5", Fail),
            ("T7", Fail),
            ("T9", Fail),
        ],
    ),
    ("ignore-token-file", &[("C4", Fail)]),
];

/// The items the ApplicationMaster decides: a mistake of the submitting client may leave them
/// with nothing to judge (SKIPPED, NOT APPLICABLE), never move them to another PASS or FAIL.
const AM_DECIDED: [&str; 5] = ["A1", "A2", "A3", "A5", "A7"];

/// The faults whose submissions leave tokens on no launch context.
const LEAVE_TOKENS_UNSET: [&str; 2] = ["wrong-renewer", "timeline-token-not-set"];

/// How many items of one checklist run at once, and how many checklists.
const ITEMS_AT_ONCE: usize = 6;
const SERVICES_AT_ONCE: usize = 4;

/// Every item's verdict and reason for one service, by item id.
type Verdicts = BTreeMap<&'static str, (Status, String)>;

/// Every item's verdict for one service.
async fn checklist(cluster: &yarnsec_harness::SecureCluster, service: &ServiceUnderTest, http: yarnsec_hadoop::SpnegoClient) -> Verdicts {
    let ctx = Context::with_http(cluster, service, http);
    // The long waits first, as `yarnsec run` does.
    let mut ids: Vec<&'static str> = CHECKLIST.iter().map(|i| i.id).collect();
    ids.sort_by_key(|id| !["T5", "A3", "T6"].contains(id));
    futures::stream::iter(ids.into_iter().map(|id| {
        let ctx = &ctx;
        async move {
            let v = judge(id, ctx).await;
            (id, (v.status, v.reason))
        }
    }))
    .buffer_unordered(ITEMS_AT_ONCE)
    .collect()
    .await
}

#[tokio::test]
async fn each_fault_moves_exactly_the_items_it_names() {
    let Some(cluster) = common::cluster().await else { return };
    if !cluster.profile().kerberos() {
        eprintln!("SKIPPED: the fault matrix is judged on a Kerberos profile");
        return;
    }
    let binary = env!("CARGO_BIN_EXE_yarnsec");
    let launcher = |node: &yarnsec_harness::node::Node| yarnsec_scenarios::service::TokenFileLauncher::reference(node.id());
    let baseline_service = ServiceUnderTest::reference(&cluster.service_url().unwrap()).with_launcher(launcher(cluster.service().unwrap()));
    // Two rounds: the faults that leave tokens on no launch context (the RM refuses the launch,
    // or the client drops a token it got) run on their own after the others, so that their
    // orphan tokens do not cloud the other checklists' C5.
    let first: Vec<Option<&str>> =
        std::iter::once(None).chain(MATRIX.iter().map(|(f, _)| *f).filter(|f| !LEAVE_TOKENS_UNSET.contains(f)).map(Some)).collect();
    let second: Vec<Option<&str>> = LEAVE_TOKENS_UNSET.iter().map(|f| Some(*f)).collect();
    let mut results: Vec<(Option<&str>, Verdicts)> = Vec::new();
    for round in [first, second] {
        let runs = round.into_iter().enumerate().map(|(i, fault)| {
            let (cluster, baseline_service) = (&cluster, &baseline_service);
            async move {
                // Checklists that start together ask for their tokens at the same moment; a few
                // seconds apart, the issuers' logs tell their requests apart (C5).
                tokio::time::sleep(std::time::Duration::from_secs(5 * (i % SERVICES_AT_ONCE) as u64)).await;
                match fault {
                    None => (None, checklist(cluster, baseline_service, cluster.http().clone()).await),
                    Some(fault) => {
                        let extra = cluster.start_extra_service(binary, vec![fault.to_string()]).await.expect("the faulty service starts");
                        let mut service = ServiceUnderTest::reference(&extra.url).with_launcher(launcher(&extra.node));
                        service.name = format!("reference with {fault}");
                        let verdicts = checklist(cluster, &service, extra.http.clone()).await;
                        (Some(fault), verdicts)
                    }
                }
            }
        });
        results.extend(futures::stream::iter(runs).buffer_unordered(SERVICES_AT_ONCE).collect::<Vec<_>>().await);
    }
    let baseline = results.iter().find(|(f, _)| f.is_none()).map(|(_, v)| v.clone()).expect("the baseline ran");
    let mut mismatches = Vec::new();
    let mut details = Vec::new();
    for (fault, verdicts) in results.iter().filter_map(|(f, v)| f.map(|f| (f, v))) {
        let all_moved: BTreeMap<&str, Status> =
            verdicts.iter().filter(|(id, (s, _))| baseline[*id].0 != *s).map(|(id, (s, _))| (*id, *s)).collect();
        let moved: BTreeMap<&str, Status> = all_moved.iter().filter(|(id, _)| !AM_DECIDED.contains(id)).map(|(id, s)| (*id, *s)).collect();
        let expected: BTreeMap<&str, Status> = MATRIX.iter().find(|(f, _)| *f == fault).unwrap().1.iter().copied().collect();
        details.push(format!("{fault}: moves {all_moved:?}"));
        for (id, (s, reason)) in verdicts {
            if baseline[id].0 != *s {
                details.push(format!("  {id}: {:?} → {s:?}: {reason}", baseline[id].0));
            }
        }
        if moved != expected {
            mismatches.push(format!("{fault}: expected {expected:?}, got {moved:?}"));
        }
        for id in AM_DECIDED {
            if let Some(s @ (Status::Pass | Status::Fail)) = all_moved.get(id) {
                mismatches.push(format!("{fault} moved {id}, which the ApplicationMaster decides, to {s:?}"));
            }
        }
    }
    // What changed first: CI shows the head of a failing test's output.
    if !mismatches.is_empty() {
        eprintln!("the fault matrix changed:\n{}\n", mismatches.join("\n"));
    }
    eprintln!(
        "baseline: {:?}",
        baseline
            .iter()
            .map(|(id, (s, r))| format!(
                "{id} {s:?}{}",
                if matches!(s, Status::Pass | Status::NotApplicable) { String::new() } else { format!(" ({r})") }
            ))
            .collect::<Vec<_>>()
    );
    eprintln!("{}", details.join("\n"));
    assert!(mismatches.is_empty(), "the fault matrix changed:\n{}", mismatches.join("\n"));
}
