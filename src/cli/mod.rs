//! Command-line arguments and dispatch.

mod bench;
mod down;
mod external;
mod images;
mod interrupt;
mod run;
mod soak;
mod up;

use clap::{Parser, Subcommand};

/// Tells whether a YARN application works on a secure Hadoop cluster.
#[derive(Debug, Parser)]
#[command(name = "yarnsec", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the checklist against the reference service on a fresh secure cluster; write reports.
    Run(run::RunArgs),
    /// Start a secure cluster (and the reference service) and leave it running.
    Up(up::UpArgs),
    /// Stop clusters that `up` started.
    Down(down::DownArgs),
    /// Build the container images.
    Images {
        #[command(subcommand)]
        command: images::ImagesCommand,
    },
    /// Measure image builds, cluster start, memory and teardown; print a table.
    Bench(bench::BenchArgs),
    /// Run the whole checklist N times (fresh cluster each time); print each item's verdicts.
    Soak(soak::SoakArgs),
}

/// Runs one command; returns the exit code. A signal stops it (see [`interrupt`]).
pub async fn run(cli: Cli) -> anyhow::Result<u8> {
    // The command's future is dropped before the cleanup runs: everything it owned (clusters,
    // browser drivers, service commands) is dropped first, and whatever that leaves is removed.
    tokio::select! {
        code = dispatch(cli) => code,
        signal = interrupt::signalled() => interrupt::clean_up(signal).await,
    }
}

async fn dispatch(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        Command::Run(args) => run::run(args).await,
        Command::Up(args) => up::run(args).await,
        Command::Down(args) => down::run(args).await,
        Command::Images { command } => images::run(command).await,
        Command::Bench(args) => bench::run(args).await,
        Command::Soak(args) => soak::run(args).await,
    }
}
