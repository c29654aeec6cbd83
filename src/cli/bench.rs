//! `yarnsec bench`: measures what the README promises (placeholder until measured).

use clap::Args;

#[derive(Debug, Args)]
pub struct BenchArgs {}

pub async fn run(_args: BenchArgs) -> anyhow::Result<u8> {
    anyhow::bail!("not written yet")
}
