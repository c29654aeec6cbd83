//! `yarnsec exec`: run a command on a cluster's edge node as one of its users, with that user's
//! Kerberos ticket: `yarnsec exec --user alice -- yarn application -list`.

use clap::Args;
use yarnsec_harness::cluster::Edge;
use yarnsec_harness::docker;
use yarnsec_harness::node::OutputStream;

#[derive(Debug, Args)]
pub struct ExecArgs {
    /// The cluster (its network name); needed only when several clusters have an edge node.
    #[arg(long, value_name = "ID")]
    cluster: Option<String>,
    /// The user to run as, with a ticket from the user's keytab (`root` runs without one).
    #[arg(long, default_value = "alice")]
    user: String,
    /// The command and its arguments.
    #[arg(trailing_var_arg = true, required = true, value_name = "COMMAND")]
    command: Vec<String>,
}

pub async fn run(args: ExecArgs) -> anyhow::Result<u8> {
    let engine = docker::connect().await?;
    let edge = Edge::find(&engine, args.cluster.as_deref()).await.map_err(|e| yarnsec::BadInput(e.to_string()))?;
    let argv: Vec<&str> = args.command.iter().map(String::as_str).collect();
    // The output as it comes: a long command (a job that runs for minutes) shows its progress.
    let show = |stream: OutputStream, bytes: &[u8]| {
        use std::io::Write as _;
        let _ = match stream {
            OutputStream::Stdout => std::io::stdout().write_all(bytes).and_then(|()| std::io::stdout().flush()),
            OutputStream::Stderr => std::io::stderr().write_all(bytes),
        };
    };
    let code = if args.user == "root" {
        edge.node().exec_streaming(None, &argv, show).await?
    } else {
        edge.stream_as(&args.user, &argv, show).await?
    };
    // The command's own exit code, as a shell would report it.
    Ok(u8::try_from(code).unwrap_or(1))
}
