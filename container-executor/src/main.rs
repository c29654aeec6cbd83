//! The `container-executor` program: every run checks the configuration file, the helper's own
//! permissions and the user before it does one operation; refusals go to stderr with the exit
//! code the NodeManager knows.

use std::path::Path;

use yarnsec_container_executor::command::{self, Command, UserOp};
use yarnsec_container_executor::config::{Config, CONFIG_PATH};
use yarnsec_container_executor::context::Context;
use yarnsec_container_executor::exit::Exit;
use yarnsec_container_executor::failure::Refused;
use yarnsec_container_executor::ops::{delete, initialize, launch, list, setup, signal};
use yarnsec_container_executor::privilege::{group_id, Account};
use yarnsec_container_executor::{policy, privilege};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => std::process::exit(code),
        Err(r) => {
            eprintln!("container-executor: {}", r.message);
            std::process::exit(r.exit.code());
        }
    }
}

fn run(args: &[String]) -> Result<i32, Refused> {
    let cfg = load_config()?;
    let nm_gid = group_id(&cfg.nm_group).ok_or_else(|| {
        Refused::new(
            Exit::InvalidConfigFile,
            format!("group `{}` of yarn.nodemanager.linux-container-executor.group does not exist", cfg.nm_group),
        )
    })?;
    let exe = std::fs::read_link("/proc/self/exe").map_err(|e| Refused::because(Exit::InvalidExecPermissions, "/proc/self/exe", e))?;
    let facts = setup::FileFacts::of(&exe).map_err(|e| Refused::because(Exit::InvalidExecPermissions, exe.display(), e))?;
    setup::binary_is_locked(&facts, nm_gid.as_raw())?;
    let (run_as, user, op) = match command::parse(args)? {
        Command::CheckSetup => return Ok(0),
        Command::AsUser { run_as, user, op } => (run_as, user, op),
    };
    if !policy::well_formed(&user) {
        return Err(Refused::new(Exit::InvalidUser, format!("`{user}` is not a user name")));
    }
    let account = Account::by_name(&run_as).map_err(|e| Refused::new(Exit::InvalidUser, e.to_string()))?;
    policy::judge(&cfg, &account.name, account.uid.as_raw()).map_err(|e| Refused::new(Exit::InvalidUser, e.to_string()))?;
    let (nm_uid, nm_gid) = privilege::node_manager(nm_gid);
    let ctx = Context { cfg, nm_uid, nm_gid, run_as: account, user };
    match op {
        UserOp::Initialize { app, localizer, tokens, local_dirs, log_dirs, program } => {
            let plan = initialize::plan(&ctx, &app, &localizer, &tokens, &local_dirs, &log_dirs, &program)?;
            match initialize::run(&ctx, &plan)? {}
        }
        UserOp::Launch { app, container, work_dir, script, tokens, pid_file, local_dirs, log_dirs } => {
            let plan = launch::plan(&ctx, &app, &container, &work_dir, &script, &tokens, &pid_file, &local_dirs, &log_dirs)?;
            launch::run(&ctx, &plan)
        }
        UserOp::Signal { pid, signal: sig } => signal::run(&ctx, pid, sig).map(|()| 0),
        UserOp::Delete { sub_dir, base_dirs } => delete::run(&ctx, &sub_dir, &base_dirs).map(|()| 0),
        UserOp::List { dir } => {
            for name in list::run(&ctx, &dir)? {
                println!("{name}");
            }
            Ok(0)
        }
    }
}

/// The configuration, after checking that only root can have written it.
fn load_config() -> Result<Config, Refused> {
    let path = Path::new(CONFIG_PATH);
    setup::config_is_root_only(&setup::chain_of(path)?)?;
    let text = std::fs::read_to_string(path).map_err(|e| Refused::because(Exit::InvalidConfigFile, CONFIG_PATH, e))?;
    Config::parse(&text).map_err(|e| Refused::because(Exit::InvalidConfigFile, CONFIG_PATH, e))
}
