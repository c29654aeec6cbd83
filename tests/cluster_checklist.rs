//! Each checklist item against the reference service on the shared cluster: the verdict the
//! reference service earns, with its reason and evidence.

mod common;

use yarnsec_scenarios::{judge, Context, Status, Verdict};

async fn verdict(id: &str) -> Option<(Verdict, bool)> {
    let cluster = common::cluster().await?;
    let service = common::reference_service(&cluster);
    let ctx = Context::new(&cluster, &service);
    let v = judge(id, &ctx).await;
    eprintln!("{id}: {:?}: {}", v.status, v.reason);
    for e in &v.evidence {
        eprintln!("  [{}] {}\n{}", e.kind, e.title, e.body);
    }
    Some((v, cluster.profile().kerberos()))
}

/// Asserts the status on a Kerberos profile and, on `simple`, the status given for it. As in the
/// fault matrix, a loaded machine may fail one application once (on `fast`, the ResourceManager
/// renews a token 2 s before its 20 s renew date; with the whole suite on two cores it once came
/// late, and A4 saw the token die instead of its cancellation): an item whose verdict is not the
/// expected one is judged again, and only the second verdict counts. The first is printed.
macro_rules! item {
    ($name:ident, $id:literal, $secure:expr, $simple:expr) => {
        #[tokio::test]
        async fn $name() {
            let Some((mut v, kerberos)) = verdict($id).await else { return };
            let want = if kerberos { $secure } else { $simple };
            if v.status != want {
                eprintln!("{}: {:?}, not {want:?}: judged again (a transient failure, if the second verdict is {want:?})", $id, v.status);
                v = verdict($id).await.expect("the shared cluster").0;
            }
            assert_eq!(v.status, want, "{}: {}", $id, v.reason);
            if matches!(v.status, Status::Pass | Status::Fail) {
                // Evidence that says nothing was found is no evidence for a PASS.
                // (Placeholders say that nothing was found; "(no alias): …" is a token line.)
                let nothing = |body: &str| {
                    body.trim().is_empty()
                        || ["(no token file", "(none)", "(no line mentions", "(the token file holds no token)"]
                            .iter()
                            .any(|p| body.starts_with(p))
                };
                let real = v.evidence.iter().filter(|e| !nothing(&e.body)).count();
                assert!(real > 0 || v.status == Status::Fail, "{} has no evidence: {:?}", $id, v.evidence);
                if v.status == Status::Pass {
                    for e in &v.evidence {
                        assert!(!e.body.starts_with("(no token file"), "{} passes on a missing token file: {e:?}", $id);
                    }
                }
            }
        }
    };
}

use Status::{Fail, NotApplicable as NA, Pass};

item!(c1_client_sees_security, "C1", Pass, NA);
item!(c2_hdfs_token_renewable_by_the_rm, "C2", Pass, NA);
item!(c3_tokens_for_other_services, "C3", Pass, NA);
item!(c4_oozie_style_launch_takes_the_users_tokens_from_the_file, "C4", Pass, NA);
item!(c5_tokens_reach_the_am, "C5", Pass, NA);
item!(c6_jaas_debug_reaches_the_am, "C6", Pass, Pass);
item!(c7_user_name_in_insecure_clusters, "C7", NA, Pass);
item!(a1_am_reads_its_token_file, "A1", Pass, NA);
item!(a4_tokens_cancelled_at_the_end, "A4", Pass, NA);
item!(a5_worker_gets_its_tokens, "A5", Pass, NA);
item!(a6_user_name_to_workers_in_insecure_clusters, "A6", NA, Pass);
// DistributedShell's AM does not pass HADOOP_JAAS_DEBUG on to its containers: a finding.
item!(a7_distributedshell_keeps_jaas_debug_to_itself, "A7", Fail, Fail);
item!(k1_container_code, "K1", NA, NA);
// L1–L7: tests/cluster_long_lived.rs (each waits out a token max lifetime).
item!(t1_launched_in_a_secure_cluster, "T1", Pass, NA);
item!(t2_runs_as_the_submitter, "T2", Pass, Pass);
item!(t3_chromium_with_a_ticket_submits_and_without_is_refused, "T3", Pass, NA);
item!(t4_rest_gets, "T4", Pass, Pass);
item!(t5_survives_ticket_expiry_and_token_renewals, "T5", Pass, NA);
item!(t6_no_credentials_no_launch, "T6", Pass, NA);
item!(t7_timeline_events, "T7", Pass, Pass);
item!(t8_no_hbase_or_hive, "T8", NA, NA);
item!(t9_reads_the_remote_hdfs_with_a_launch_token, "T9", Pass, NA);

/// DistributedShell's ApplicationMaster serializes its credentials for the worker containers
/// before it removes the AM/RM token, and keeps the timeline token: the checklist catches it.
#[tokio::test]
async fn a2_catches_distributedshell_passing_the_am_rm_token_to_containers() {
    let Some((v, _)) = verdict("A2").await else { return };
    assert_eq!(v.status, Fail, "{}", v.reason);
    assert!(v.reason.contains("YARN_AM_RM_TOKEN"), "{}", v.reason);
}

/// DistributedShell's ApplicationMaster starts no token renewer: it relies on the ResourceManager,
/// which renews only until the tokens' max lifetime. The thread dump shows it.
#[tokio::test]
async fn a3_catches_distributedshell_running_no_token_renewer() {
    let Some((v, kerberos)) = verdict("A3").await else { return };
    if !kerberos {
        assert_eq!(v.status, NA, "{}", v.reason);
        return;
    }
    assert_eq!(v.status, Fail, "{}", v.reason);
    assert!(v.reason.contains("no thread that renews tokens"), "{}", v.reason);
    assert!(v.evidence.iter().any(|e| e.kind == "thread_dump" && e.body.contains("AMRM Heartbeater")), "{:?}", v.evidence);
}
