//! Command-line arguments and dispatch.

mod bench;
mod bench_anchor;
mod bench_yardstick;
mod container_executor;
mod down;
mod exec;
mod external;
mod images;
mod interrupt;
mod run;
mod service;
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
    /// Run a command on a cluster's edge node (`up --edge`) as a user, with the user's ticket.
    Exec(exec::ExecArgs),
    /// Build the container images.
    Images {
        #[command(subcommand)]
        command: images::ImagesCommand,
    },
    /// Measure image builds, cluster start, memory and teardown; print a table.
    Bench(bench::BenchArgs),
    /// Run the whole checklist N times (fresh cluster each time); print each item's verdicts.
    Soak(soak::SoakArgs),
    /// Write a commented service file to start from (`--submit form|json|command`).
    Init(service::InitArgs),
    /// Check a service file without starting anything (exit 2 naming the key and the fix).
    Check(service::CheckArgs),
}

/// Runs one command; returns the exit code. A signal stops it (see [`interrupt`]).
pub async fn run(cli: Cli) -> anyhow::Result<u8> {
    let mut command = Box::pin(dispatch(cli));
    let signal = tokio::select! {
        code = &mut command => return code,
        signal = interrupt::signalled() => signal,
    };
    // A second signal quits at once, even while the command's own cleanup runs: everything it
    // owned (clusters, browser drivers, service commands) is dropped first, then whatever that
    // leaves is removed.
    interrupt::quit_on_second_signal(signal);
    drop(command);
    interrupt::clean_up().await
}

async fn dispatch(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        Command::Run(args) => run::run(args).await,
        Command::Up(args) => up::run(args).await,
        Command::Down(args) => down::run(args).await,
        Command::Exec(args) => exec::run(args).await,
        Command::Images { command } => images::run(command).await,
        Command::Bench(args) => bench::run(args).await,
        Command::Soak(args) => soak::run(args).await,
        Command::Init(args) => service::init(args),
        Command::Check(args) => service::check(args),
    }
}
