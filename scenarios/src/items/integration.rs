//! T8: integration with other applications such as HBase or Hive.

use crate::context::Context;
use crate::verdict::Verdict;

/// T8: judged for services that declare HBase or Hive integration (`hbase_hive`); this cluster
/// runs neither, so a declared integration cannot be exercised here.
pub fn t8(ctx: &Context<'_>) -> Verdict {
    if ctx.service.features.hbase_hive {
        return Verdict::skipped(
            "the service declares HBase/Hive integration, but this cluster runs no HBase/Hive, so the interaction cannot be verified here",
        );
    }
    Verdict::not_applicable(format!(
        "the service `{}` declares no integration with HBase, Hive or other applications (`hbase_hive`)",
        ctx.service.name
    ))
}
