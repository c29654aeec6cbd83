//! The `yarnsec` command: start a secure cluster, stop it, build images, measure.

use std::process::ExitCode;

use clap::Parser;

mod cli;

fn main() -> ExitCode {
    // One executable, two programs: copied into the service image as `yarnsec-service`, it is the
    // reference submission service.
    let program = std::env::args_os().next().map(std::path::PathBuf::from);
    if program.as_deref().and_then(|p| p.file_name()).is_some_and(|n| n == "yarnsec-service") {
        return yarnsec_service::cli::main(std::env::args_os());
    }
    // The system GSSAPI library finds KDCs through the file named by KRB5_CONFIG. Point it at a
    // file yarnsec maintains (each cluster adds its realm there) before any thread exists, so the
    // environment is never changed while other threads could read it.
    if std::env::var_os("KRB5_CONFIG").is_none() {
        let path = yarnsec_harness::cluster::state_root_krb5_conf();
        // SAFETY: no other thread exists yet (the runtime is built below).
        unsafe { std::env::set_var("KRB5_CONFIG", path) };
    }
    let args = cli::Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("YARNSEC_LOG").unwrap_or_else(|_| "warn".into()))
        .with_writer(std::io::stderr)
        .init();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a tokio runtime starts");
    match runtime.block_on(cli::run(args)) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(yarnsec::exit_codes::for_error(&e))
        }
    }
}
