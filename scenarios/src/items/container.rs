//! Container-code items (K1–K2).

use crate::context::Context;
use crate::verdict::Verdict;

/// K1, K2: about Hadoop code running inside containers.
pub fn k(_ctx: &Context<'_>) -> Verdict {
    Verdict::not_applicable("the reference service's containers run the user's shell script, which holds no Hadoop security code of its own; its HDFS access through delegation tokens is judged by A5")
}
