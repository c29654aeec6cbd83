//! Container-code items (K1–K2): about Hadoop client code running inside the worker containers.
//! Judged only for services that declare it (`container_code = "jvm"`).

use crate::context::Context;
use crate::verdict::Verdict;
use yarnsec_submitter::service::ContainerCode;

/// K1, K2.
pub fn k(ctx: &Context<'_>) -> Verdict {
    match ctx.service.features.container_code {
        ContainerCode::None => Verdict::not_applicable(format!(
            "the service `{}` declares that its containers run no Hadoop client code of their own (`container_code`), so there is no security setup or renewer to look for inside them; their HDFS access through delegation tokens is judged by A5",
            ctx.service.name
        )),
        ContainerCode::Jvm => Verdict::skipped("not judged yet: yarnsec does not yet observe Hadoop client code inside worker containers (UGI security setup, renewer threads)"),
    }
}
