//! Command line and start-up: configuration, keytab check, login, serving.

use std::ffi::OsString;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use yarnsec_hadoop::kerberos::Acceptor;
use yarnsec_hadoop::{Credential, Principal, SpnegoClient};

use crate::auth::Authenticator;
use crate::config::{AuthMode, ServiceConfig};
use crate::error::ServiceError;
use crate::faults::Fault;
use crate::keytab::check_keytab;
use crate::submit::Submitter;
use crate::web::{router, AppState};

/// The reference YARN submission service: users upload a script, it runs on YARN as them.
///
/// Configuration comes from a TOML file (every key is documented in `ServiceConfig`); the flags
/// below override it.
#[derive(Debug, Parser)]
#[command(name = "yarnsec-service", version)]
pub struct Args {
    /// The TOML configuration file.
    #[arg(long)]
    pub config: PathBuf,
    /// Listen address, over `listen`.
    #[arg(long)]
    pub listen: Option<SocketAddr>,
    /// The service keytab, over `keytab` (it must be readable by its owner only).
    #[arg(long)]
    pub keytab: Option<PathBuf>,
    /// A deliberate mistake to reproduce (repeatable): no-doas, allow-anonymous, wrong-renewer,
    /// no-hdfs-token, no-timeline-token, no-remote-token, no-relogin, world-readable-keytab-ok, drop-user-name,
    /// keep-tokens, no-jaas-debug, timeline-token-not-set, assume-insecure.
    #[arg(long = "fault", global = true)]
    pub faults: Vec<Fault>,
    /// What to do (default: serve).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// What the program does besides serving.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Submits one script for one user and exits, printing the submission as JSON. Launched the
    /// way Oozie launches a client, with the user's tokens in `HADOOP_TOKEN_FILE_LOCATION`, it
    /// uses them and gets none of its own; without that variable it logs in from its keytab and
    /// acts for the user.
    Submit {
        /// The user the application runs as.
        #[arg(long)]
        user: String,
        /// The script to run.
        #[arg(long)]
        script: PathBuf,
        /// Application name.
        #[arg(long, default_value = "yarnsec-probe")]
        name: String,
    },
}

/// Runs the service; returns when it stops.
pub fn main(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let args = match Args::try_parse_from(args) {
        Ok(a) => a,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(2);
        }
    };
    // Logs on stderr: `submit` prints its one JSON answer on stdout.
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("YARNSEC_LOG").unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .init();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a tokio runtime starts");
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("yarnsec-service: {e}");
            ExitCode::from(1)
        }
    }
}

/// Loads the configuration, checks the keytab, logs in and serves.
pub async fn run(args: Args) -> Result<(), ServiceError> {
    let mut config = ServiceConfig::from_file(&args.config)?;
    if let Some(listen) = args.listen {
        config.listen = listen;
    }
    if let Some(keytab) = args.keytab {
        config.keytab = keytab;
    }
    for fault in args.faults {
        if !config.faults.contains(&fault) {
            config.faults.push(fault);
        }
    }
    if let Some(Command::Submit { user, script, name }) = args.command {
        return submit_once(config, &user, &script, &name).await;
    }
    let state = build_state(config)?;
    let listener = tokio::net::TcpListener::bind(state.config.listen)
        .await
        .map_err(|e| ServiceError::Config { detail: format!("cannot listen on {}: {e}", state.config.listen) })?;
    tracing::info!(listen = %state.config.listen, auth = ?state.config.auth, faults = ?state.config.faults, "serving");
    axum::serve(listener, router(Arc::new(state))).await.map_err(|e| ServiceError::Config { detail: e.to_string() })
}

/// One submission for `user`, from this process (see [`Command::Submit`]).
async fn submit_once(config: ServiceConfig, user: &str, script: &std::path::Path, name: &str) -> Result<(), ServiceError> {
    if !crate::auth::valid_user_name(user) {
        return Err(ServiceError::BadField { field: "user".into(), message: format!("`{user}` is not a user name") });
    }
    let script =
        std::fs::read(script).map_err(|e| ServiceError::Config { detail: format!("cannot read the script {}: {e}", script.display()) })?;
    let http = SpnegoClient::new(&config.realm, config.hosts.clone())?;
    let token_file = std::env::var_os("HADOOP_TOKEN_FILE_LOCATION").map(PathBuf::from);
    let submitter = match token_file {
        Some(path) if !config.fault(Fault::IgnoreTokenFile) => {
            let tokens = crate::submit::FileTokens::read(&path, &config.token_service)?;
            Submitter::from_tokens(config.clone(), http, tokens)
        }
        _ => {
            let login = match config.auth {
                AuthMode::Simple => None,
                AuthMode::Kerberos => Some(Credential::from_keytab(config.principal.parse()?, &config.keytab)?),
            };
            Submitter::new(config.clone(), http, login)
        }
    };
    let submission = crate::form::Submission {
        queue: "default".into(),
        memory_mb: 512,
        vcores: 1,
        script,
        name: name.to_string(),
        long_lived_keytab: None,
    };
    let submitted = submitter.submit(&crate::auth::Caller::User(user.to_string()), submission).await?;
    println!("{}", serde_json::to_string(&submitted).expect("a submission serializes"));
    Ok(())
}

/// Everything the handlers need, from a configuration: the keytab is checked and the service
/// logs in before it serves anyone.
pub fn build_state(config: ServiceConfig) -> Result<AppState, ServiceError> {
    let http = SpnegoClient::new(&config.realm, config.hosts.clone())?;
    let (login, acceptor) = match config.auth {
        AuthMode::Simple => (None, None),
        AuthMode::Kerberos => {
            if !config.fault(Fault::WorldReadableKeytabOk) {
                check_keytab(&config.keytab)?;
            }
            let principal: Principal = config.principal.parse()?;
            let login = if config.fault(Fault::NoRelogin) {
                Credential::from_keytab_once(principal, &config.keytab)?
            } else {
                Credential::from_keytab(principal, &config.keytab)?
            };
            (Some(login), Some(Acceptor::from_keytab(&config.keytab)?))
        }
    };
    let auth = Authenticator::new(config.auth, &config.realm, acceptor, config.fault(Fault::AllowAnonymous));
    let submitter = Submitter::new(config.clone(), http, login.clone());
    Ok(AppState { config, auth, submitter, login })
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn config(keytab: &std::path::Path, faults: Vec<Fault>) -> ServiceConfig {
        let text = format!(
            "listen = \"127.0.0.1:0\"\nauth = \"kerberos\"\nrealm = \"R.TEST\"\nprincipal = \"yarnsec/s.test@R.TEST\"\nkeytab = \"{}\"\nnamenode_http = \"http://h:9870\"\nnamenode_rpc = \"h:8020\"\ntoken_service = \"127.0.0.1:8020\"\nresourcemanager_http = \"http://h:8088\"\nrm_renewer = \"yarn\"\n",
            keytab.display()
        );
        let mut c = ServiceConfig::from_toml(&text).unwrap();
        c.faults = faults;
        c
    }

    #[test]
    fn a_world_readable_keytab_stops_the_start_unless_the_fault_is_on() {
        let dir = tempfile::tempdir().unwrap();
        let keytab = dir.path().join("svc.keytab");
        std::fs::write(&keytab, b"not a keytab").unwrap();
        std::fs::set_permissions(&keytab, std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = build_state(config(&keytab, vec![])).unwrap_err();
        assert!(matches!(err, ServiceError::KeytabExposed { .. }), "{err}");
        assert!(err.to_string().contains("chmod 600"), "{err}");
        // With the fault on, the permission check is skipped: whatever fails next is not it.
        let other = build_state(config(&keytab, vec![Fault::WorldReadableKeytabOk]));
        assert!(!matches!(other, Err(ServiceError::KeytabExposed { .. })));
    }

    #[test]
    fn unknown_configuration_keys_are_refused_by_name() {
        let err = ServiceConfig::from_toml("listen = \"127.0.0.1:0\"\nbogus = 1\n").unwrap_err().to_string();
        assert!(err.contains("bogus") || err.contains("unknown field"), "{err}");
    }
}
