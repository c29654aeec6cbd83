//! `yarnsec images build`.

use clap::Subcommand;
use yarnsec_harness::images::{ensure_images, ImageOptions};
use yarnsec_harness::progress::Progress;

#[derive(Debug, Subcommand)]
pub enum ImagesCommand {
    /// Build the base, KDC and Hadoop images (skipped when their inputs did not change).
    Build {
        /// Rebuild even when an image with the same inputs exists.
        #[arg(long)]
        no_cache: bool,
        /// The Hadoop version to build.
        #[arg(long, env = "YARNSEC_HADOOP_VERSION", default_value = yarnsec_harness::images::DEFAULT_HADOOP_VERSION)]
        hadoop_version: String,
    },
}

pub async fn run(command: ImagesCommand) -> anyhow::Result<u8> {
    match command {
        ImagesCommand::Build { no_cache, hadoop_version } => {
            let docker = yarnsec_harness::docker::connect().await?;
            let set =
                ensure_images(&docker, &ImageOptions { hadoop_version, no_cache, ..ImageOptions::default() }, &Progress::stderr()).await?;
            println!("base   {}\nkdc    {}\nhadoop {}", set.base, set.kdc, set.hadoop);
            Ok(yarnsec::exit_codes::OK)
        }
    }
}
