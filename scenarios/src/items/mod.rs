//! One module per checklist section; `judge` dispatches an item id to its scenario.

/// Evaluates to the `Ok` value, or ends the scenario with the `Err` verdict.
macro_rules! or_verdict {
    ($e:expr) => {
        match $e {
            Ok(value) => value,
            Err(verdict) => return verdict,
        }
    };
}

mod application_master;
mod client;
mod container;
mod long_lived;
mod testing;
mod web_browser;

use crate::context::Context;
use crate::verdict::Verdict;

/// Runs the scenario of one checklist item.
pub async fn judge(id: &str, ctx: &Context<'_>) -> Verdict {
    match id {
        "C1" => client::c1(ctx).await,
        "C2" => client::c2(ctx).await,
        "C3" => client::c3(ctx).await,
        "C4" => client::c4(ctx),
        "C5" => client::c5(ctx).await,
        "C6" => client::c6(ctx).await,
        "C7" => client::c7(ctx).await,
        "A1" => application_master::a1(ctx).await,
        "A2" => application_master::a2(ctx).await,
        "A3" => application_master::a3(ctx).await,
        "A4" => application_master::a4(ctx).await,
        "A5" => application_master::a5(ctx).await,
        "A6" => application_master::a6(ctx).await,
        "A7" => application_master::a7(ctx).await,
        "K1" | "K2" => container::k(ctx),
        "L1" | "L2" | "L3" | "L4" | "L5" | "L6" | "L7" => long_lived::l(ctx),
        "T1" => testing::t1(ctx).await,
        "T2" => testing::t2(ctx).await,
        "T3" => web_browser::t3(ctx).await,
        "T4" => testing::t4(ctx).await,
        "T5" => testing::t5(ctx).await,
        "T6" => testing::t6(ctx).await,
        "T7" => testing::t7(ctx).await,
        "T8" => Verdict::not_applicable("the cluster runs no HBase or Hive, and the reference service integrates with neither"),
        "T9" => testing::t9(ctx).await,
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
