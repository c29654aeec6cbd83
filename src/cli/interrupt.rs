//! What a signal does to a command: Ctrl-C (SIGINT), SIGTERM or SIGHUP stops it, removes every
//! cluster it was starting or running (containers, network, host state, and the host processes
//! working for them: browser driver, browser, service command), and exits with
//! [`INTERRUPTED`](yarnsec::exit_codes::INTERRUPTED). A second signal during that cleanup quits
//! at once.

use tokio::signal::unix::{signal, SignalKind};

/// Waits for the first of SIGINT, SIGTERM, SIGHUP; returns its name. (If a handler cannot be
/// installed, that signal keeps its default action.)
pub async fn signalled() -> &'static str {
    async fn one(kind: SignalKind) {
        match signal(kind) {
            Ok(mut stream) => {
                stream.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    }
    tokio::select! {
        _ = one(SignalKind::interrupt()) => "SIGINT",
        _ = one(SignalKind::terminate()) => "SIGTERM",
        _ = one(SignalKind::hangup()) => "SIGHUP",
    }
}

/// Says that `signal` stops the command, and makes the next signal end the process at once.
pub fn quit_on_second_signal(signal: &str) {
    eprintln!("\nyarnsec: {signal}: removing what this command started (again to quit at once)");
    tokio::spawn(async {
        signalled().await;
        std::process::exit(yarnsec::exit_codes::INTERRUPTED.into());
    });
}

/// Removes what this process was still responsible for once its command was dropped.
pub async fn clean_up() -> anyhow::Result<u8> {
    match yarnsec_harness::docker::connect().await {
        Ok(engine) => {
            let removed = yarnsec_harness::cleanup::remove_responsible(&engine).await;
            if !removed.is_empty() {
                eprintln!("yarnsec: removed {}", removed.join(", "));
            }
        }
        Err(e) => eprintln!("yarnsec: cannot remove containers: {e}"),
    }
    Ok(yarnsec::exit_codes::INTERRUPTED)
}
