//! An external submission service, described by a TOML file: where it answers, how to start it,
//! how to submit to it, and what it declares. `yarnsec run --service FILE` reads one.
//!
//! ```toml
//! name = "team-service"
//! url = "http://service.yarnsec.test:18080"   # what the checklist calls
//! address = "127.0.0.1"                       # where the url's host name points (default: the url's host, if an address)
//! auth = "kerberos"                           # or "simple" (user.name=<user>)
//! submit = "json"                             # POST <url>/api/submit {"script", "name", ...}; or "form" (multipart POST <url>/)
//! command = ["./team-service", "--port", "18080"]  # optional: started once the cluster is up, stopped at the end
//! run_on = "host"                             # or "edge": the command runs on the cluster's edge node
//! ready_path = "/healthz"                     # optional: polled until it answers below 500
//! packages = ["python3"]                      # optional: Debian packages its applications need
//! pip = ["skein==0.8.2"]                      # optional, on the edge node: pinned pure-Python packages from PyPI
//! workload = "sh"                             # or "python", or "jvm" (a jar): the language its applications run users' code in
//! submit_wait = "30s"                         # optional: how long after its answer an application may take to show (default 30 s)
//!
//! [form]                                    # optional, for submit = "form": the form's own fields
//! path = "/"                                  # where it posts
//! script_field = "script"                     # the file field; the script is in `workload`'s language
//! script_file_name = "{name}.sh"              # default script.sh (script.py for python); `{name}` becomes the application name
//! name_field = "name"                         # "" if the form takes no name
//! fields = { memory_gib = "0.5", vcores = "1" }  # sent as they are
//!
//! [features]
//! timeline = true
//! remote_filesystems = false
//! long_lived = false
//! token_file = false
//! ```
//!
//! A command started on this host gets `YARNSEC_CLUSTER` (the cluster's `up --json` description,
//! a file path) and `KRB5_CONFIG` in its environment. With `run_on = "edge"` it runs on the
//! cluster's edge node instead, as the service user `yarnsec`, in `/team` (the file's directory,
//! or `mount`), with `YARNSEC_SERVICE_PRINCIPAL`, `YARNSEC_SERVICE_KEYTAB`, `HADOOP_CONF_DIR` and
//! `/etc/krb5.conf`; the url names the service host (`http://service.yarnsec.test:PORT`), which
//! is the edge node.
//!
//! A command-line submitter has no url; yarnsec runs its command on the cluster's edge node as
//! each user, with that user's ticket, and the file's directory mounted at `/team`:
//!
//! ```toml
//! name = "distributedshell-cli"
//! submit = "command"
//! submit_command = ["yarn", "jar", "/team/client.jar", "--name", "{name}", "--script", "{workload}"]
//! # mount = "."        # the directory mounted at /team (default: this file's directory)
//! # submit_wait = "5m"  # how long the command may take to submit (default 5 minutes: a JVM client
//! #                     # that uploads its framework takes minutes on a busy node)
//! # parallel_submissions = 2   # at most this many submit commands at once (default: no limit)
//! ```
//!
//! The placeholders are `{user}`, `{principal}` (`alice@REALM`), `{host_principal}`
//! (`alice/hadoop.yarnsec.test@REALM`), `{keytab}` (the user's keytab on the edge node, holding
//! both), `{workload}` (the probe's path: `workload.sh`, `workload.py` with `workload = "python"`,
//! or `workload.jar` with `workload = "jvm"`) and `{name}` (the application name to use).
//!
//! With `[features] long_lived = true`, a command-line submitter also says how it launches a
//! long-lived application with the user's keytab (the same placeholders; L1–L7 judge it):
//!
//! ```toml
//! long_lived_command = ["/team/launch-service", "--principal", "{host_principal}", "--keytab", "{keytab}", "{name}", "{workload}"]
//! ```
//!
//! The JVM probe is a jar whose main class is `YarnsecProbe`; it needs Hadoop's jars and
//! configuration on its class path, as any Hadoop client in a container does (see
//! `references/distributedshell-cli-jvm/service.toml`).

use std::net::IpAddr;
use std::path::Path;

use serde::Deserialize;

use crate::service::{Features, FormContract, ServiceLog, ServiceUnderTest, SubmitMode};
use crate::workload::Workload;

/// What is wrong with a service file.
#[derive(Debug, thiserror::Error)]
pub enum ServiceFileError {
    /// The file cannot be read.
    #[error("cannot read the service file {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid.
    #[error("the service file {path} is not valid: {detail}")]
    Invalid {
        /// The file.
        path: String,
        /// What is wrong, with the key.
        detail: String,
    },
}

/// How the service authenticates its callers.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ServiceAuth {
    /// SPNEGO.
    #[default]
    Kerberos,
    /// `user.name=<user>`.
    Simple,
}

/// Where a web service's `command` runs.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum RunOn {
    /// On this machine: the service reaches the containers' addresses (a host process can), and
    /// yarnsec reaches it at `address`.
    #[default]
    Host,
    /// On the cluster's edge node, as on a gateway host: cluster DNS, the kit, the service
    /// identity's keytab; its url's host name is the edge node's.
    Edge,
}

/// An external service's description.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ServiceFile {
    /// Name in reports.
    pub name: String,
    /// `http://host:port` the checklist calls (none for a command-line submitter).
    #[serde(default)]
    pub url: String,
    /// Where the url's host name points, when it is a name.
    #[serde(default)]
    pub address: Option<IpAddr>,
    /// How it authenticates callers.
    #[serde(default)]
    pub auth: ServiceAuth,
    /// How to submit to it.
    #[serde(default)]
    pub submit: SubmitMode,
    /// A command that starts it (program and arguments), run once the cluster is up.
    #[serde(default)]
    pub command: Vec<String>,
    /// Where `command` runs (`host` by default, or `edge`).
    #[serde(default)]
    pub run_on: RunOn,
    /// A path polled until it answers below 500, before the checklist starts.
    #[serde(default)]
    pub ready_path: Option<String>,
    /// For `submit = "form"`: the form's path and fields (`[form]`; the reference form's by
    /// default).
    #[serde(default)]
    pub form: Option<FormContract>,
    /// For `submit = "command"`: the submitter's argv template, run on the edge node.
    #[serde(default)]
    pub submit_command: Vec<String>,
    /// For `submit = "command"` with `[features] long_lived`: the argv template of a long-lived
    /// launch with the user's keytab.
    #[serde(default)]
    pub long_lived_command: Vec<String>,
    /// For a command on the edge node (`submit = "command"` or `run_on = "edge"`): the host
    /// directory mounted read-only at `/team` there, relative to the file's directory (default:
    /// the file's directory).
    #[serde(default)]
    pub mount: Option<std::path::PathBuf>,
    /// Debian packages its applications (and an edge-node submitter) need beyond Hadoop's,
    /// e.g. `["python3"]`: the NodeManager and the edge node run from an image with them.
    #[serde(default)]
    pub packages: Vec<String>,
    /// Pure-Python packages from PyPI the submitter needs on the edge node, pinned
    /// (`["skein==0.8.2"]`): fetched on this host by pip, mounted on the edge node, on its
    /// Python's path (which adds `python3` to `packages`). Compiled ones come from Debian
    /// (`packages`).
    #[serde(default)]
    pub pip: Vec<String>,
    /// The language its applications run scripts in: `sh` (default) or `python` (which adds
    /// `python3` to `packages`); yarnsec's probe is written in it.
    #[serde(default)]
    pub workload: crate::workload::Workload,
    /// How long a submission may take to show its application at the ResourceManager: for a
    /// web service, after its answer (default 30 s); for a command, from its start (default 5
    /// minutes). A duration: `"90s"`, `"5m"`.
    #[serde(default, with = "humantime_option")]
    pub submit_wait: Option<std::time::Duration>,
    /// For `submit = "command"`: at most this many submit commands at once (a JVM client that
    /// uploads its framework loads the node); no limit by default.
    #[serde(default)]
    pub parallel_submissions: Option<usize>,
    /// The directory of the file this was read from (relative paths start there).
    #[serde(skip)]
    pub base_dir: Option<std::path::PathBuf>,
    /// What it declares.
    #[serde(default)]
    pub features: Features,
}

impl ServiceFile {
    /// Parses and checks a description; `path` names it in errors.
    pub fn parse(text: &str, path: &str) -> Result<Self, ServiceFileError> {
        let invalid = |detail: String| ServiceFileError::Invalid { path: path.into(), detail };
        let file: ServiceFile = toml::from_str(text).map_err(|e| invalid(e.to_string().trim().to_string()))?;
        if file.name.trim().is_empty() {
            return Err(invalid("`name` is empty".into()));
        }
        yarnsec_harness::images::check_packages(&file.packages).map_err(|e| invalid(format!("`packages`: {e}")))?;
        yarnsec_harness::images::check_pip(&file.pip).map_err(|e| invalid(format!("`pip`: {e}")))?;
        if !file.pip.is_empty() && file.submit != SubmitMode::Command && file.run_on != RunOn::Edge {
            return Err(invalid(
                "`pip` packages go to the edge node: they serve a command-line submitter or a service with `run_on = \"edge\"`".into(),
            ));
        }
        if file.submit_wait.is_some_and(|w| w.is_zero()) {
            return Err(invalid("`submit_wait` must be longer than zero (e.g. \"90s\", \"5m\")".into()));
        }
        if file.parallel_submissions == Some(0) {
            return Err(invalid(
                "`parallel_submissions = 0` would let no submission run: leave it out (no limit) or give 1 or more".into(),
            ));
        }
        if file.submit == SubmitMode::Command {
            return file.check_command().map_err(invalid).map(|()| file);
        }
        if file.parallel_submissions.is_some() {
            return Err(invalid(
                "`parallel_submissions` belongs to `submit = \"command\"` (a web service's submissions take turns already)".into(),
            ));
        }
        if file.submit == SubmitMode::Json && file.workload == Workload::Jvm {
            return Err(invalid(
                "`workload = \"jvm\"` submits a jar, and `submit = \"json\"` carries a script's text: use `submit = \"form\"` (the jar is uploaded) or `submit = \"command\"`".into(),
            ));
        }
        if let Some(form) = &file.form {
            if file.submit != SubmitMode::Form {
                return Err(invalid("a `[form]` table belongs to `submit = \"form\"`".into()));
            }
            if !form.path.starts_with('/') {
                return Err(invalid(format!("`[form] path = \"{}\"` must start with /", form.path)));
            }
            if form.script_field.trim().is_empty() || form.script_file_name.as_deref().is_some_and(|n| n.trim().is_empty()) {
                return Err(invalid(
                    "`[form]` needs a `script_field`, and a `script_file_name` that is not empty (the file the script is uploaded as)"
                        .into(),
                ));
            }
            // A Python script uploaded as `.sh` (or the reverse) would be run by the wrong
            // interpreter: a failure of the service file, not of the service.
            if let Some(n) = &form.script_file_name {
                let other = Workload::ALL.into_iter().find(|w| *w != file.workload && n.ends_with(&format!(".{}", w.extension())));
                if let Some(other) = other {
                    return Err(invalid(format!(
                        "`[form] script_file_name = \"{n}\"` names a {} file, but `workload = \"{}\"`: use a .{} name, or set `workload = \"{}\"`",
                        other.name(),
                        file.workload.name(),
                        file.workload.extension(),
                        other.name()
                    )));
                }
            }
        }
        if !file.submit_command.is_empty() || !file.long_lived_command.is_empty() {
            return Err(invalid("`submit_command` and `long_lived_command` belong to `submit = \"command\"`".into()));
        }
        if file.mount.is_some() && file.run_on != RunOn::Edge {
            return Err(invalid("`mount` belongs to a command on the edge node (`submit = \"command\"` or `run_on = \"edge\"`)".into()));
        }
        if file.run_on == RunOn::Edge {
            if file.command.is_empty() {
                return Err(invalid("`run_on = \"edge\"` needs the `command` that starts the service there".into()));
            }
            if file.address.is_some() {
                return Err(invalid("`address` and `run_on = \"edge\"` do not go together: the url's host is the edge node".into()));
            }
            let service_host = format!("service.{}", yarnsec_harness::layout::DOMAIN);
            let host = url::Url::parse(&file.url).ok().and_then(|u| u.host_str().map(str::to_string)).unwrap_or_default();
            if host != service_host {
                return Err(invalid(format!(
                    "with `run_on = \"edge\"` the url names the edge node's host, {service_host} (e.g. http://{service_host}:8080), not `{host}`"
                )));
            }
        }
        if file.url.is_empty() {
            return Err(invalid(
                "`url` is missing: where the service answers (or `submit = \"command\"` for a command-line submitter)".into(),
            ));
        }
        let url = url::Url::parse(&file.url).map_err(|e| invalid(format!("`url = \"{}\"`: {e}", file.url)))?;
        if url.scheme() != "http" {
            return Err(invalid(format!("`url = \"{}\"`: only http:// services are supported", file.url)));
        }
        let host = url.host_str().unwrap_or_default();
        if file.run_on == RunOn::Host && file.address.is_none() && host.trim_matches(['[', ']']).parse::<IpAddr>().is_err() {
            return Err(invalid(format!(
                "`url` names the host `{host}`, which yarnsec does not resolve (it asks no DNS): add `address = \"<ip>\"`"
            )));
        }
        if let Some(p) = &file.ready_path {
            if !p.starts_with('/') {
                return Err(invalid(format!("`ready_path = \"{p}\"` must start with /")));
            }
        }
        Ok(file)
    }

    /// What a command-line submitter's file must hold.
    fn check_command(&self) -> Result<(), String> {
        if self.submit_command.is_empty() {
            return Err("`submit = \"command\"` needs `submit_command = [\"program\", \"arg\", …]`".into());
        }
        if !self.command.is_empty() || self.ready_path.is_some() || !self.url.is_empty() || self.address.is_some() {
            return Err(
                "a command-line submitter has no `url`, `address`, `command` or `ready_path` (those describe a web service); its command is `submit_command`"
                    .into(),
            );
        }
        if self.run_on == RunOn::Edge || self.form.is_some() {
            return Err("a command-line submitter always runs on the edge node and has no `[form]`; leave out `run_on` and `[form]`".into());
        }
        check_template("submit_command", &self.submit_command)?;
        match (self.features.long_lived, self.long_lived_command.is_empty()) {
            (true, true) => Err(
                "`[features] long_lived = true` on a command-line submitter needs `long_lived_command = [\"program\", \"arg\", …]`: how it launches a long-lived application with the user's keytab (`{keytab}`, `{host_principal}`)"
                    .into(),
            ),
            (false, false) => Err("`long_lived_command` is used only with `[features] long_lived = true`; declare it, or leave the command out".into()),
            (true, false) => check_template("long_lived_command", &self.long_lived_command),
            (false, true) => Ok(()),
        }
    }

    /// The command-line submitter this file describes, on `edge`.
    pub fn command_submitter(&self, edge: std::sync::Arc<yarnsec_harness::cluster::Edge>) -> crate::command::CommandSubmitter {
        crate::command::CommandSubmitter::new(self.submit_command.clone(), edge)
            .with_long_lived(self.long_lived_command.clone())
            .with_wait(self.submit_wait.unwrap_or(crate::command::SUBMIT_WAIT))
            .with_parallel(self.parallel_submissions)
    }

    /// Reads and checks a description file.
    pub fn read(path: &Path) -> Result<Self, ServiceFileError> {
        let text = std::fs::read_to_string(path).map_err(|source| ServiceFileError::Read { path: path.display().to_string(), source })?;
        let mut file = Self::parse(&text, &path.display().to_string())?;
        file.base_dir = Some(std::path::absolute(path).ok().and_then(|p| p.parent().map(Path::to_path_buf)).unwrap_or_else(|| ".".into()));
        Ok(file)
    }

    /// The directory to mount at `/team` on the edge node: `mount`, taken from the file's
    /// directory, or the file's directory.
    pub fn mount_dir(&self) -> std::path::PathBuf {
        let base = self.base_dir.clone().unwrap_or_else(|| ".".into());
        match &self.mount {
            Some(m) => base.join(m),
            None => base,
        }
    }

    /// The url's host and the address it maps to.
    pub fn host_mapping(&self) -> Option<(String, IpAddr)> {
        let url = url::Url::parse(&self.url).ok()?;
        let host = url.host_str()?.trim_matches(['[', ']']).to_string();
        let ip = self.address.or_else(|| host.parse().ok())?;
        Some((host, ip))
    }

    /// The Debian packages the nodes get: `packages`, and what the workload and `pip` need.
    pub fn all_packages(&self) -> Vec<String> {
        let mut all = self.packages.clone();
        let needed = self.workload.package().into_iter().chain((!self.pip.is_empty()).then_some("python3"));
        for p in needed {
            if !all.iter().any(|have| have == p) {
                all.push(p.to_string());
            }
        }
        all
    }

    /// The edge node's options: the mounted directory, and the `pip` packages' directory once
    /// fetched (`site`).
    pub fn edge_options(&self, site: Option<std::path::PathBuf>) -> yarnsec_harness::cluster::EdgeOptions {
        let options = yarnsec_harness::cluster::EdgeOptions::default().with_mount(self.mount_dir());
        match site {
            Some(site) => options.with_python(site),
            None => options,
        }
    }

    /// The service as scenarios see it.
    pub fn service(&self) -> ServiceUnderTest {
        ServiceUnderTest {
            name: self.name.clone(),
            base_url: self.url.trim_end_matches('/').to_string(),
            features: self.features,
            submit: self.submit,
            // yarnsec sets HADOOP_JAAS_DEBUG=true for a command it starts (C6).
            jaas_debug: !self.command.is_empty(),
            launcher: None,
            command: None,
            form: self.form.clone().unwrap_or_default(),
            workload: self.workload,
            answer_wait: self.submit_wait.unwrap_or(crate::service::ANSWER_WAIT),
            log: ServiceLog::Unknown,
            shared: false,
        }
    }
}

/// `Option<Duration>` read from a humantime string (`"90s"`, `"5m"`).
mod humantime_option {
    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<std::time::Duration>, D::Error> {
        let text = Option::<String>::deserialize(d)?;
        text.map(|t| {
            humantime::parse_duration(&t)
                .map_err(|e| serde::de::Error::custom(format!("`{t}` is not a duration ({e}); write e.g. \"90s\" or \"5m\"")))
        })
        .transpose()
    }
}

/// What an argv template (`key`) must hold: only known placeholders, `{workload}` and `{name}`.
fn check_template(key: &str, argv: &[String]) -> Result<(), String> {
    for arg in argv {
        let mut rest = arg.as_str();
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else { break };
            let placeholder = &rest[open + 1..open + close];
            if !crate::command::PLACEHOLDERS.contains(&placeholder) {
                return Err(format!(
                    "`{key}` uses `{{{placeholder}}}`, which is not a placeholder; they are {}",
                    crate::command::PLACEHOLDERS.map(|p| format!("{{{p}}}")).join(", ")
                ));
            }
            rest = &rest[open + close + 1..];
        }
    }
    if !argv.iter().any(|a| a.contains("{workload}")) {
        return Err(format!("`{key}` must pass `{{workload}}` (the probe script each scenario runs) to the application"));
    }
    // The ResourceManager finds each attempt's application by its name: without it, an
    // attempt without credentials that submitted and said nothing would go unseen.
    if !argv.iter().any(|a| a.contains("{name}")) {
        return Err(format!(
            "`{key}` must pass `{{name}}` as the application's name (yarnsec finds each submission at the ResourceManager by it)"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
name = "team"
url = "http://service.yarnsec.test:18080"
address = "127.0.0.1"
submit = "form"
command = ["./svc", "--port", "18080"]
ready_path = "/healthz"
[features]
timeline = true
"#;

    #[test]
    fn a_complete_file_parses() {
        let f = ServiceFile::parse(GOOD, "svc.toml").unwrap();
        assert_eq!(f.submit, SubmitMode::Form);
        assert_eq!(f.auth, ServiceAuth::Kerberos);
        assert_eq!(f.host_mapping(), Some(("service.yarnsec.test".into(), "127.0.0.1".parse().unwrap())));
        let s = f.service();
        assert!(s.features.timeline && !s.features.remote_filesystems);
        assert_eq!(s.base_url, "http://service.yarnsec.test:18080");
    }

    #[test]
    fn a_service_on_the_edge_node_needs_no_address() {
        let text = "name = \"py\"\nurl = \"http://service.yarnsec.test:8080\"\nrun_on = \"edge\"\ncommand = [\"python3\", \"app.py\"]\npackages = [\"python3\"]";
        let f = ServiceFile::parse(text, "py.toml").unwrap();
        assert_eq!((f.run_on, f.host_mapping()), (RunOn::Edge, None));
        assert_eq!(f.packages, ["python3"]);
    }

    #[test]
    fn a_python_workload_brings_python3_and_names_the_upload_py() {
        let text = "name = \"py\"\nurl = \"http://127.0.0.1:9\"\nsubmit = \"form\"\nworkload = \"python\"\npackages = [\"curl\"]";
        let f = ServiceFile::parse(text, "t.toml").unwrap();
        assert_eq!(f.all_packages(), ["curl", "python3"]);
        let service = f.service();
        assert_eq!(service.workload, crate::workload::Workload::Python);
        assert_eq!(service.form.file_name(service.workload, "app-1"), "script.py");
        let named = format!("{text}\n[form]\nscript_file_name = \"{{name}}.py\"");
        let f = ServiceFile::parse(&named, "t.toml").unwrap();
        assert_eq!(f.service().form.file_name(Workload::Python, "app-1"), "app-1.py");
        let wrong = ServiceFile::parse(&named.replace("{name}.py", "run.sh"), "t.toml").unwrap_err().to_string();
        assert!(wrong.contains("names a sh file") && wrong.contains("workload = \"python\""), "{wrong}");
        let bad = ServiceFile::parse(&text.replace("\"python\"", "\"cobol\""), "t.toml").unwrap_err().to_string();
        assert!(bad.contains("workload") && bad.contains("cobol"), "{bad}");
    }

    #[test]
    fn a_jvm_workload_is_a_jar_uploaded_by_a_form_or_passed_to_a_command() {
        let form = "name = \"j\"\nurl = \"http://127.0.0.1:9\"\nsubmit = \"form\"\nworkload = \"jvm\"";
        let f = ServiceFile::parse(form, "t.toml").unwrap();
        assert_eq!(f.all_packages(), Vec::<String>::new());
        assert_eq!(f.service().form.file_name(Workload::Jvm, "app-1"), "script.jar");
        let json = ServiceFile::parse(&form.replace("\"form\"", "\"json\""), "t.toml").unwrap_err().to_string();
        assert!(json.contains("submit = \"json\"") && json.contains("jar"), "{json}");
        let py_name = ServiceFile::parse(&format!("{form}\n[form]\nscript_file_name = \"x.py\""), "t.toml").unwrap_err().to_string();
        assert!(py_name.contains("names a python file") && py_name.contains("use a .jar name"), "{py_name}");
        let command = "name = \"c\"\nsubmit = \"command\"\nworkload = \"jvm\"\nsubmit_command = [\"run\", \"{workload}\", \"{name}\"]";
        assert_eq!(ServiceFile::parse(command, "t.toml").unwrap().workload, Workload::Jvm);
    }

    #[test]
    fn a_command_submitter_needs_no_url() {
        let text = "name = \"cli\"\nsubmit = \"command\"\nsubmit_command = [\"yarn\", \"jar\", \"/team/c.jar\", \"--user={user}\", \"--name={name}\", \"{workload}\"]\nmount = \"sub\"";
        let mut f = ServiceFile::parse(text, "cli.toml").unwrap();
        assert_eq!(f.submit, SubmitMode::Command);
        f.base_dir = Some("/home/team".into());
        assert_eq!(f.mount_dir(), std::path::PathBuf::from("/home/team/sub"));
        assert_eq!((f.submit_wait, f.parallel_submissions), (None, None));
    }

    #[test]
    fn pip_packages_bring_python3() {
        let text = "name = \"s\"\nsubmit = \"command\"\npip = [\"pyspark==3.5.3\"]\nsubmit_command = [\"{workload}\", \"{name}\"]";
        let f = ServiceFile::parse(text, "s.toml").unwrap();
        assert_eq!(f.all_packages(), ["python3"]);
    }

    #[test]
    fn a_slow_submitter_gets_its_wait_and_a_limit() {
        let text = "name = \"spark\"\nsubmit = \"command\"\nsubmit_wait = \"8m\"\nparallel_submissions = 2\nsubmit_command = [\"spark-submit\", \"--name\", \"{name}\", \"{workload}\"]";
        let f = ServiceFile::parse(text, "spark.toml").unwrap();
        assert_eq!((f.submit_wait, f.parallel_submissions), (Some(std::time::Duration::from_secs(480)), Some(2)));
        let web = ServiceFile::parse("name = \"w\"\nurl = \"http://10.0.0.1:1\"\nsubmit_wait = \"90s\"", "w.toml").unwrap();
        assert_eq!(web.service().answer_wait, std::time::Duration::from_secs(90));
        let plain = ServiceFile::parse("name = \"w\"\nurl = \"http://10.0.0.1:1\"", "w.toml").unwrap();
        assert_eq!(plain.service().answer_wait, crate::service::ANSWER_WAIT);
    }

    #[test]
    fn mistakes_are_named() {
        let cases = [
            ("name = \"x\"\nurl = \"http://svc.example:1\"", "add `address"),
            ("name = \"x\"\nurl = \"https://10.0.0.1:1\"", "only http://"),
            ("name = \"x\"\nurl = \"not a url\"", "`url = \"not a url\"`"),
            ("name = \"x\"\nurl = \"http://10.0.0.1:1\"\nsubmit = \"carrier-pigeon\"", "submit"),
            ("name = \"x\"\nurl = \"http://10.0.0.1:1\"\n[features]\nhbase = true", "hbase"),
            ("url = \"http://10.0.0.1:1\"", "name"),
            ("name = \"x\"\nurl = \"http://10.0.0.1:1\"\nready_path = \"healthz\"", "must start with /"),
            ("name = \"x\"", "`url` is missing"),
            ("name = \"x\"\nsubmit = \"command\"", "needs `submit_command"),
            ("name = \"x\"\nsubmit = \"command\"\nsubmit_command = [\"yarn\", \"{script}\"]", "`{script}`, which is not a placeholder"),
            ("name = \"x\"\nsubmit = \"command\"\nsubmit_command = [\"yarn\", \"{name}\"]", "must pass `{workload}`"),
            ("name = \"x\"\nsubmit = \"command\"\nurl = \"http://10.0.0.1:1\"\nsubmit_command = [\"{workload}\"]", "no `url`"),
            ("name = \"x\"\nsubmit = \"command\"\nsubmit_command = [\"{workload}\"]", "must pass `{name}`"),
            ("name = \"x\"\nsubmit = \"command\"\nrun_on = \"edge\"\nsubmit_command = [\"{workload}\", \"{name}\"]", "leave out `run_on`"),
            ("name = \"x\"\nurl = \"http://10.0.0.1:8080\"\nrun_on = \"edge\"\ncommand = [\"s\"]", "names the edge node's host"),
            ("name = \"x\"\nurl = \"http://10.0.0.1:1\"\nsubmit_command = [\"{workload}\"]", "belong to `submit = \"command\"`"),
            ("name = \"x\"\nurl = \"http://10.0.0.1:1\"\nlong_lived_command = [\"{workload}\"]", "belong to `submit = \"command\"`"),
            (
                "name = \"x\"\nsubmit = \"command\"\nsubmit_command = [\"{workload}\", \"{name}\"]\n[features]\nlong_lived = true",
                "needs `long_lived_command",
            ),
            (
                "name = \"x\"\nsubmit = \"command\"\nsubmit_command = [\"{workload}\", \"{name}\"]\nlong_lived_command = [\"{workload}\", \"{name}\"]",
                "only with `[features] long_lived = true`",
            ),
            (
                "name = \"x\"\nsubmit = \"command\"\nsubmit_command = [\"{workload}\", \"{name}\"]\nlong_lived_command = [\"{workload}\", \"--ktab={ktab}\"]\n[features]\nlong_lived = true",
                "`long_lived_command` uses `{ktab}`",
            ),
            (
                "name = \"x\"\nsubmit = \"command\"\nsubmit_command = [\"{workload}\", \"{name}\"]\nlong_lived_command = [\"{workload}\", \"{keytab}\"]\n[features]\nlong_lived = true",
                "`long_lived_command` must pass `{name}`",
            ),
            ("name = \"x\"\nurl = \"http://10.0.0.1:1\"\nmount = \"d\"", "`mount` belongs to a command on the edge node"),
            ("name = \"x\"\nurl = \"http://svc.example:1\"\nrun_on = \"edge\"", "needs the `command`"),
            (
                "name = \"x\"\nurl = \"http://svc.example:1\"\nrun_on = \"edge\"\naddress = \"10.0.0.1\"\ncommand = [\"s\"]",
                "do not go together",
            ),
            ("name = \"x\"\nurl = \"http://10.0.0.1:1\"\n[form]\npath = \"/\"", "belongs to `submit = \"form\"`"),
            ("name = \"x\"\nurl = \"http://10.0.0.1:1\"\nsubmit = \"form\"\n[form]\npath = \"jobs\"", "must start with /"),
            ("name = \"x\"\nurl = \"http://10.0.0.1:1\"\nsubmit = \"form\"\n[form]\nscript_field = \"\"", "needs a `script_field`"),
            ("name = \"x\"\nurl = \"http://10.0.0.1:1\"\nsubmit = \"form\"\n[form]\nmemory = \"1\"", "memory"),
            ("name = \"x\"\nurl = \"http://10.0.0.1:1\"\nsubmit_wait = \"soon\"", "`soon` is not a duration"),
            ("name = \"x\"\nurl = \"http://10.0.0.1:1\"\npip = [\"skein==0.8.2\"]", "`pip` packages go to the edge node"),
            ("name = \"x\"\nsubmit = \"command\"\npip = [\"skein\"]\nsubmit_command = [\"{workload}\", \"{name}\"]", "`pip`: `skein` is not pinned"),
            ("name = \"x\"\nurl = \"http://10.0.0.1:1\"\nsubmit_wait = \"0s\"", "longer than zero"),
            ("name = \"x\"\nurl = \"http://10.0.0.1:1\"\nparallel_submissions = 2", "belongs to `submit = \"command\"`"),
            ("name = \"x\"\nsubmit = \"command\"\nparallel_submissions = 0\nsubmit_command = [\"{workload}\", \"{name}\"]", "would let no submission run"),
            (
                "name = \"x\"\nurl = \"http://10.0.0.1:1\"\npackages = [\"python3 && curl x\"]",
                "`packages`: `python3 && curl x` is not a Debian package name",
            ),
        ];
        for (text, needle) in cases {
            let e = ServiceFile::parse(text, "svc.toml").unwrap_err().to_string();
            assert!(e.contains("svc.toml") && e.contains(needle), "{text:?}: {e}");
        }
    }
}

#[cfg(test)]
mod docs {
    //! `docs/service-file.md` names exactly the keys the parser reads: the fields serde asks for
    //! when it deserializes each table.

    use serde::de::{self, Deserialize, Deserializer, Visitor};

    /// A deserializer that only records the field names of the struct asked for.
    struct Fields(std::cell::RefCell<&'static [&'static str]>);

    #[derive(Debug)]
    struct Done;
    impl std::fmt::Display for Done {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("fields recorded")
        }
    }
    impl std::error::Error for Done {}
    impl de::Error for Done {
        fn custom<T: std::fmt::Display>(_: T) -> Self {
            Done
        }
    }

    impl<'de> Deserializer<'de> for &Fields {
        type Error = Done;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Done> {
            Err(Done)
        }
        fn deserialize_struct<V: Visitor<'de>>(self, _: &'static str, fields: &'static [&'static str], _: V) -> Result<V::Value, Done> {
            *self.0.borrow_mut() = fields;
            Err(Done)
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit unit_struct
            newtype_struct seq tuple tuple_struct map enum identifier ignored_any
        }
    }

    fn fields<'de, T: Deserialize<'de>>() -> Vec<&'static str> {
        let recorder = Fields(std::cell::RefCell::new(&[]));
        let _ = T::deserialize(&recorder);
        let mut v = recorder.0.borrow().to_vec();
        v.sort();
        v
    }

    /// The keys in the first column of the table under `heading` in the document.
    fn documented(doc: &str, heading: &str) -> Vec<String> {
        let at = doc.find(heading).unwrap_or_else(|| panic!("docs/service-file.md has no `{heading}`"));
        let mut keys: Vec<String> = doc[at..]
            .lines()
            .skip_while(|l| !l.starts_with("| key"))
            .skip(2)
            .take_while(|l| l.starts_with('|'))
            .filter_map(|l| l.split('|').nth(1))
            .map(|k| k.trim().trim_matches('`').to_string())
            .collect();
        keys.sort();
        keys
    }

    #[test]
    fn docs_list_every_key_of_the_parser() {
        let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/service-file.md")).unwrap();
        // The recorder sees the parser's fields (the file skipped by serde, `base_dir`, is none).
        assert!(fields::<super::ServiceFile>().contains(&"submit_wait") && !fields::<super::ServiceFile>().contains(&"base_dir"));
        assert_eq!(documented(&doc, "## Keys"), fields::<super::ServiceFile>());
        assert_eq!(documented(&doc, "### `[form]`"), fields::<crate::web::FormContract>());
        assert_eq!(documented(&doc, "### `[features]`"), fields::<crate::declared::Features>());
    }
}

/// A commented service file to start from, for a submitter taking submissions as `kind` does
/// (`yarnsec init`). Each parses as it is.
///
/// ```
/// use yarnsec_submitter::service::SubmitMode;
/// use yarnsec_submitter::service_file::{template, ServiceFile};
/// for kind in [SubmitMode::Json, SubmitMode::Form, SubmitMode::Command] {
///     assert!(ServiceFile::parse(template(kind), "service.toml").is_ok());
/// }
/// ```
pub fn template(kind: SubmitMode) -> &'static str {
    match kind {
        SubmitMode::Json => TEMPLATE_JSON,
        SubmitMode::Form => TEMPLATE_FORM,
        SubmitMode::Command => TEMPLATE_COMMAND,
    }
}

const TEMPLATE_COMMAND: &str = r#"# A command-line submitter, judged by yarnsec (docs/service-file.md has every key).
# yarnsec runs `submit_command` on the cluster's edge node as each test user (alice, bob), with
# that user's Kerberos ticket, in a directory of its own; this file's directory is at /team there.
name = "my-submitter"
submit = "command"
# {workload} is the probe yarnsec submits (a script, or a jar with workload = "jvm"); {name} is the
# application name to give it (yarnsec finds the application at the ResourceManager by it).
# Also: {user}, {principal}, {host_principal}, {keytab}.
submit_command = ["/team/submit.sh", "--name", "{name}", "{workload}"]
# workload = "sh"            # or "python", or "jvm"
# packages = ["python3"]     # Debian packages your applications (and your client) need
# pip = ["skein==0.8.2"]     # pinned PyPI packages for the edge node
# submit_wait = "5m"         # how long your client may take to submit
# parallel_submissions = 2   # at most this many submissions at once

[features]
# timeline = true            # its applications publish to the timeline server
# remote_filesystems = true  # they read another HDFS
# long_lived = true          # it launches long-lived applications with the user's keytab:
#                            # then give long_lived_command = [...] (same placeholders)
# container_code = "jvm"     # its containers run Hadoop client code on the JVM
"#;

const TEMPLATE_JSON: &str = r#"# A web service with yarnsec's JSON API, judged by yarnsec (docs/service-file.md has every key).
# POST /api/submit with {"script", "name", "memory_gib", "vcores"}, as the signed-in user.
name = "my-service"
# On the cluster's edge node, as a gateway host would run it: as the service user, in /team (this
# file's directory), with YARNSEC_SERVICE_PRINCIPAL and YARNSEC_SERVICE_KEYTAB in its environment.
url = "http://service.yarnsec.test:8080"
run_on = "edge"
command = ["/team/my-service", "--port", "8080"]
ready_path = "/"
auth = "kerberos"
submit = "json"
# packages = ["python3-gssapi"]   # Debian packages your service and its applications need
# submit_wait = "30s"             # how long an application may take to show after your answer

[features]
# timeline = true
# long_lived = true               # then the JSON API also takes "long_lived" and "keytab" (base64)
"#;

const TEMPLATE_FORM: &str = r#"# A web service with a form of its own, judged by yarnsec (docs/service-file.md has every key).
name = "my-service"
url = "http://service.yarnsec.test:8080"
run_on = "edge"
command = ["python3", "/team/app.py"]
ready_path = "/"
auth = "kerberos"
submit = "form"
workload = "python"

[form]
path = "/"                      # where the form posts
script_field = "script"         # the file field that carries the script
name_field = "name"             # the application-name field ("" if the form has none)
fields = { queue = "default" }  # fixed fields sent with every submission

[features]
# timeline = true
"#;

impl ServiceFile {
    /// What on this host keeps the file from working, beyond its own text: the directory mounted
    /// at `/team` (it must exist and be readable by the users commands run as). Empty: nothing.
    pub fn host_problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.submit == SubmitMode::Command || self.run_on == RunOn::Edge {
            let dir = self.mount_dir();
            match std::fs::metadata(&dir) {
                Err(e) => problems.push(format!("`mount`: {} cannot be read ({e})", dir.display())),
                Ok(m) if !m.is_dir() => problems.push(format!("`mount`: {} is not a directory", dir.display())),
                Ok(m) => {
                    use std::os::unix::fs::PermissionsExt as _;
                    if m.permissions().mode() & 0o005 != 0o005 {
                        problems.push(format!(
                            "`mount`: {} has mode {:o}; commands on the edge node run as alice, bob or the service user, who cannot read it: `chmod o+rx {}`",
                            dir.display(),
                            m.permissions().mode() & 0o777,
                            dir.display()
                        ));
                    }
                }
            }
        }
        problems
    }
}
