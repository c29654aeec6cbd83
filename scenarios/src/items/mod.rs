//! The items: each observes (I/O against the cluster, into plain facts) and then judges in a pure
//! function (`judge_*`, table-tested with facts that PASS and facts that FAIL); `judge`
//! dispatches an item id to its scenario.
//!
//! ```text
//! client.rs              C1–C3, C5–C7
//! token_file_launch.rs   C4 (the client launched Oozie-style, with a token file)
//! application_master.rs  A1, A2, A4–A7
//! am_renewal.rs          A3 (a thread dump of the running AM)
//! outliving_run.rs       alice's application that outlives her ticket (T5's and A3's observation)
//! container.rs           K1–K2
//! container_run.rs       the container code's JVM at work, watched (K1–K2's observation)
//! long_lived.rs          L1–L7
//! long_lived_run.rs      alice's long-lived application, launched and watched (L1–L7's observation)
//! testing.rs             T1, T2, T4
//! web_browser.rs         T3 (headless Chromium)
//! expiry.rs              T5
//! no_credentials.rs      T6
//! timeline.rs            T7
//! integration.rs         T8
//! remote_hdfs.rs         T9
//! ```

/// Evaluates to the `Ok` value, or ends the scenario with the `Err` verdict.
macro_rules! or_verdict {
    ($e:expr) => {
        match $e {
            Ok(value) => value,
            Err(verdict) => return verdict,
        }
    };
}

pub mod am_renewal;
pub mod application_master;
pub mod client;
pub mod container;
pub mod container_run;
pub mod expiry;
pub mod integration;
pub mod long_lived;
pub mod long_lived_run;
pub mod no_credentials;
pub mod outliving_run;
pub mod remote_hdfs;
pub mod testing;
pub mod timeline;
pub mod token_file_launch;
pub mod web_browser;

use crate::context::Context;
use crate::verdict::Verdict;

/// Runs the scenario of one checklist item; what its submissions wait for is shown as the item's
/// wait ([`Context::wait_of`]).
pub async fn judge(id: &str, ctx: &Context<'_>) -> Verdict {
    let Some(item) = crate::checklist::find(id) else { return Verdict::skipped(format!("no scenario has the id {id}")) };
    yarnsec_submitter::progress::scope(ctx.waits_of(item.id), judge_item(item.id, ctx)).await
}

/// The scenario of one item, by its id.
async fn judge_item(id: &str, ctx: &Context<'_>) -> Verdict {
    match id {
        "C1" => client::c1(ctx).await,
        "C2" => client::c2(ctx).await,
        "C3" => client::c3(ctx).await,
        "C4" => token_file_launch::c4(ctx).await,
        "C5" => client::c5(ctx).await,
        "C6" => client::c6(ctx).await,
        "C7" => client::c7(ctx).await,
        "A1" => application_master::a1(ctx).await,
        "A2" => application_master::a2(ctx).await,
        "A3" => am_renewal::a3(ctx).await,
        "A4" => application_master::a4(ctx).await,
        "A5" => application_master::a5(ctx).await,
        "A6" => application_master::a6(ctx).await,
        "A7" => application_master::a7(ctx).await,
        "K1" | "K2" => container::k(id, ctx).await,
        "L1" | "L2" | "L3" | "L4" | "L5" | "L6" | "L7" => long_lived::l(id, ctx).await,
        "T1" => testing::t1(ctx).await,
        "T2" => testing::t2(ctx).await,
        "T3" => web_browser::t3(ctx).await,
        "T4" => testing::t4(ctx).await,
        "T5" => expiry::t5(ctx).await,
        "T6" => no_credentials::t6(ctx).await,
        "T7" => timeline::t7(ctx).await,
        "T8" => integration::t8(ctx),
        "T9" => remote_hdfs::t9(ctx).await,
        other => Verdict::skipped(format!("no scenario has the id {other}")),
    }
}

/// NOT_APPLICABLE unless the profile uses Kerberos (for secure-cluster items).
fn require_kerberos(ctx: &Context<'_>) -> Result<(), Verdict> {
    if ctx.cluster.profile().kerberos() {
        Ok(())
    } else {
        Err(Verdict::not_applicable("a secure-cluster item, and this profile has no Kerberos"))
    }
}
