//! Long-lived application items (L1–L7).

use crate::context::Context;
use crate::verdict::Verdict;

/// L1–L7: only for services that run long-lived applications with keytabs.
pub fn l(ctx: &Context<'_>) -> Verdict {
    if ctx.service.features.long_lived {
        return Verdict::skipped("not judged: this version of yarnsec does not implement the long-lived (keytab) scenarios yet");
    }
    Verdict::not_applicable(format!(
        "the service `{}` declares no long-lived (keytab) mode; its applications live on delegation tokens the ResourceManager renews",
        ctx.service.name
    ))
}
