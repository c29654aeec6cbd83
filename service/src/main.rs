//! `yarnsec-service`: the reference submission service.

fn main() -> std::process::ExitCode {
    yarnsec_service::cli::main(std::env::args_os())
}
