//! `yarnsec init` and `yarnsec check`: a service file to start from, and one checked without
//! starting anything.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::{Args, ValueEnum};
use yarnsec_submitter::service::SubmitMode;
use yarnsec_submitter::service_file::{template, ServiceFile};

/// How the submitter takes submissions.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Kind {
    /// A web service with its own form.
    Form,
    /// A web service with yarnsec's JSON API.
    Json,
    /// A command-line client.
    Command,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// How the submitter takes submissions.
    #[arg(long, value_enum, default_value = "command")]
    submit: Kind,
    /// Where to write the file (never over an existing one).
    #[arg(default_value = "service.toml")]
    file: PathBuf,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The service file.
    file: PathBuf,
}

pub fn init(args: InitArgs) -> anyhow::Result<u8> {
    let kind = match args.submit {
        Kind::Form => SubmitMode::Form,
        Kind::Json => SubmitMode::Json,
        Kind::Command => SubmitMode::Command,
    };
    if args.file.exists() {
        anyhow::bail!(yarnsec::BadInput(format!("{} exists already; give another file name", args.file.display())));
    }
    std::fs::write(&args.file, template(kind)).with_context(|| format!("cannot write {}", args.file.display()))?;
    eprintln!(
        "yarnsec: wrote {}; edit it, check it with `yarnsec check {}`, then run `./yarnsec run --service {}`",
        args.file.display(),
        args.file.display(),
        args.file.display()
    );
    Ok(yarnsec::exit_codes::OK)
}

pub fn check(args: CheckArgs) -> anyhow::Result<u8> {
    let file = ServiceFile::read(&args.file).map_err(|e| yarnsec::BadInput(e.to_string()))?;
    let mut problems = file.host_problems();
    problems.extend(unknown_packages(&file.all_packages()));
    if !problems.is_empty() {
        anyhow::bail!(yarnsec::BadInput(format!("{}:\n  {}", args.file.display(), problems.join("\n  "))));
    }
    let submit = format!("{:?}", file.submit).to_lowercase();
    println!("{}: valid ({}, {} packages, submit = \"{submit}\")", args.file.display(), file.name, file.all_packages().len());
    Ok(yarnsec::exit_codes::OK)
}

/// The packages Debian does not know, as this host's apt sees them (none when apt cannot say).
fn unknown_packages(packages: &[String]) -> Vec<String> {
    if packages.is_empty() || !Path::new("/usr/bin/apt-cache").exists() {
        return Vec::new();
    }
    packages
        .iter()
        .filter(|p| {
            std::process::Command::new("apt-cache")
                .args(["show", "-q", p])
                .output()
                .is_ok_and(|o| !o.status.success() || o.stdout.is_empty())
        })
        .map(|p| {
            format!("`packages`: Debian does not know `{p}` (as `apt-cache show {p}` here says; run `apt-get update` if its lists are old)")
        })
        .collect()
}
