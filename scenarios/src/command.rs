//! A command-line submitter (`submit = "command"` in a service file): an argv template run on the
//! cluster's edge node as the submitting user, with that user's ticket, the way a team runs
//! `yarn jar …`, `spark-submit` or its own client from a gateway host.
//!
//! In the template, `{user}`, `{principal}`, `{host_principal}` (the user's principal with the
//! cluster node's host, `alice/hadoop.yarnsec.test@REALM`, which frameworks that log in on a
//! node ask for), `{keytab}` (the user's keytab on the edge node, holding both principals, for
//! submitters that log in themselves), `{workload}` (the probe script's path) and `{name}` (the
//! application name yarnsec gives this submission) are replaced. A second template, for a
//! long-lived launch with the user's keytab, takes the same placeholders. The command may wait for its
//! application to end (DistributedShell's client does): yarnsec reads its output while it runs
//! and takes the application id from a line that says `Submitted application …` (YARN's client
//! logs it); once the command has ended, from any line that names one; else from the
//! ResourceManager: the user's application of that name. An id from the output counts only if
//! the ResourceManager says the application is the user's.
//!
//! ```
//! use yarnsec_scenarios::command::render;
//! let argv = vec!["yarn".into(), "jar".into(), "app.jar".into(), "-appname".into(), "{name}".into(), "{workload}".into()];
//! let v = render(&argv, &[("name", "probe-1"), ("workload", "/tmp/w.sh")]);
//! assert_eq!(v, ["yarn", "jar", "app.jar", "-appname", "probe-1", "/tmp/w.sh"]);
//! ```

use std::sync::Arc;
use std::time::{Duration, Instant};

use yarnsec_harness::cluster::edge::{shell_quote, Job, JobState};
use yarnsec_harness::cluster::Edge;
use yarnsec_harness::SecureCluster;

use crate::error::ObserveError;

/// The exit code of a job whose preparation by yarnsec failed (its line starts with
/// [`SETUP_PREFIX`]).
pub const SETUP_FAILED: i64 = 77;
/// How yarnsec's own preparation failures start (`yarnsec edge: no ticket for …`).
pub const SETUP_PREFIX: &str = "yarnsec edge:";

/// The placeholders a submit command may use.
pub const PLACEHOLDERS: [&str; 6] = ["user", "principal", "host_principal", "keytab", "workload", "name"];

/// A command-line submitter and the edge node it runs on.
#[derive(Clone, Debug)]
pub struct CommandSubmitter {
    /// The argv template.
    pub argv: Vec<String>,
    /// The argv template of a long-lived launch with the user's keytab (empty: the submitter
    /// has none).
    pub long_lived_argv: Vec<String>,
    /// The edge node.
    pub edge: Arc<Edge>,
}

/// What the user brings to a submission.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ticket {
    /// A ticket from the user's keytab (on a cluster without Kerberos: `HADOOP_USER_NAME`).
    Valid,
    /// No ticket at all.
    None,
    /// A ticket that expired before the command ran, renewable no longer than it lived
    /// (`kinit -l 3s -r 3s`, run 5 s later): a renewable one would still be a credential.
    Expired,
}

/// How a submit command went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommandRun {
    /// The command as run.
    pub command: String,
    /// Its exit code, if it ended within the wait.
    pub code: Option<i64>,
    /// Its standard output and error, interleaved.
    pub output: String,
    /// The application it submitted, from its output or the ResourceManager.
    pub application_id: Option<String>,
    /// How long yarnsec waited for it.
    pub waited: Duration,
    /// Its directory on the edge node (workload, output, exit code, process group).
    pub dir: String,
}

impl CommandRun {
    /// The line in which yarnsec's own preparation on the edge node failed (a `kinit` from the
    /// user's keytab), if it did: nothing was asked of the submitter then.
    pub fn setup_failure(&self) -> Option<&str> {
        if self.code != Some(SETUP_FAILED) {
            return None;
        }
        self.output.lines().find(|l| l.starts_with(SETUP_PREFIX))
    }

    /// The application it submitted for `user`, or the error that says it did not (SKIPPED
    /// when yarnsec's own preparation failed).
    pub fn submitted(&self, user: &str) -> Result<String, ObserveError> {
        if let Some(line) = self.setup_failure() {
            return Err(ObserveError::command_failed("edge", format!("{user}'s ticket on the edge node"), "kinit", line.to_string()));
        }
        self.application_id.clone().ok_or_else(|| ObserveError::CommandSubmission {
            user: user.to_string(),
            command: self.command.clone(),
            ended: match self.code {
                Some(code) => format!("it exited {code} and the ResourceManager has no application of that name"),
                None => format!("it was still running after {} s without naming an application", self.waited.as_secs()),
            },
            tail: self.tail(20),
        })
    }

    /// The last `n` lines of the output, for reports.
    pub fn tail(&self, n: usize) -> String {
        let lines: Vec<&str> = self.output.lines().collect();
        lines[lines.len().saturating_sub(n)..].join("\n")
    }
}

/// `argv` with each `{key}` of `values` replaced.
pub fn render(argv: &[String], values: &[(&str, &str)]) -> Vec<String> {
    argv.iter().map(|a| values.iter().fold(a.clone(), |a, (k, v)| a.replace(&format!("{{{k}}}"), v))).collect()
}

/// The application id on a "Submitted application" line of a submitter's output (YARN's client
/// logs one when it submits).
pub fn submitted_id_in_output(output: &str) -> Option<String> {
    output.lines().filter(|l| l.contains("Submitted application")).find_map(application_id_in_output)
}

/// The application id a submitter's output names: the one on a "Submitted application" line,
/// else the first one anywhere.
pub fn application_id_in_output(output: &str) -> Option<String> {
    let ids = |line: &str| -> Option<String> {
        line.match_indices("application_").find_map(|(start, _)| {
            let rest = &line[start..];
            let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len());
            let id = &rest[..end];
            let parts: Vec<&str> = id.split('_').collect();
            (parts.len() == 3 && parts[1..].iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))).then(|| id.to_string())
        })
    };
    output.lines().filter(|l| l.contains("Submitted application")).find_map(ids).or_else(|| output.lines().find_map(ids))
}

/// A command's first three words (`yarn jar /opt/…/client.jar …`), for reports. A word that is a
/// script (`sh -c '…'`) is shown by its line that runs a Hadoop client (`yarn jar …`, `exec …`),
/// else its first line that does something; every word is cut at 60 characters.
pub fn short_command(argv: &[String]) -> String {
    let mut cut = argv.len() > 3;
    let words: Vec<String> = argv
        .iter()
        .take(3)
        .map(|a| {
            let lines: Vec<&str> = a.lines().map(str::trim).collect();
            let runs_client = |l: &str| {
                l.starts_with("exec ") || ["yarn ", "hadoop ", "mapred ", "java "].iter().any(|c| l.starts_with(c)) || l.contains(" jar ")
            };
            let does_something = |l: &str| !l.is_empty() && !l.starts_with('#') && !l.starts_with("set ");
            let line =
                lines.iter().find(|l| runs_client(l)).or_else(|| lines.iter().find(|l| does_something(l))).copied().unwrap_or_default();
            let word: String = line.chars().take(60).collect();
            cut |= word != a.trim();
            shell_quote(&word)
        })
        .collect();
    format!("{}{}", words.join(" "), if cut { " …" } else { "" })
}

impl CommandSubmitter {
    /// A submitter that runs `argv` on `edge`, with no long-lived launch.
    pub fn new(argv: Vec<String>, edge: Arc<Edge>) -> Self {
        Self { argv, long_lived_argv: Vec::new(), edge }
    }

    /// The same submitter, launching long-lived applications with `argv`.
    pub fn with_long_lived(mut self, argv: Vec<String>) -> Self {
        self.long_lived_argv = argv;
        self
    }

    /// The command, shortened for reports ([`short_command`]).
    pub fn short(&self) -> String {
        short_command(&self.argv)
    }

    /// Runs the command as `user` on the edge node with the workload `script` (`{workload}` is
    /// its path) and application name `name`; returns once the output or the ResourceManager names the application, or the
    /// command ended, or `wait` passed. The command goes on running in the background.
    pub async fn submit(
        &self,
        cluster: &SecureCluster,
        user: &str,
        ticket: Ticket,
        script: Script<'_>,
        name: &str,
        wait: Duration,
    ) -> Result<CommandRun, ObserveError> {
        self.run(&self.argv, cluster, user, ticket, script, name, wait).await
    }

    /// Runs the long-lived template as `user`, with the user's ticket and keytab, as
    /// [`CommandSubmitter::submit`] runs the other; an error if the submitter has none.
    pub async fn submit_long_lived(
        &self,
        cluster: &SecureCluster,
        user: &str,
        script: Script<'_>,
        name: &str,
        wait: Duration,
    ) -> Result<CommandRun, ObserveError> {
        if self.long_lived_argv.is_empty() {
            return Err(ObserveError::Service {
                what: "the command-line submitter has no long-lived launch (`long_lived_command` in its service file)".into(),
            });
        }
        self.run(&self.long_lived_argv, cluster, user, Ticket::Valid, script, name, wait).await
    }

    /// Runs `template` as `user` (see [`CommandSubmitter::submit`]).
    #[allow(clippy::too_many_arguments)]
    async fn run(
        &self,
        template: &[String],
        cluster: &SecureCluster,
        user: &str,
        ticket: Ticket,
        script: Script<'_>,
        name: &str,
        wait: Duration,
    ) -> Result<CommandRun, ObserveError> {
        use base64::Engine as _;
        let node = self.edge.node();
        let failed = |what: &str| ObserveError::cluster(format!("the edge node ({what})"));
        // The workload, in a directory of this submission's own, owned by the user.
        let b64 = base64::engine::general_purpose::STANDARD.encode(script.content);
        let file = shell_quote(script.file_name);
        let prepare = format!(
            "set -e; d=$(mktemp -d /tmp/yarnsec-submit-XXXXXX); chmod 755 \"$d\"; echo {b64} | base64 -d > \"$d\"/{file}; chmod 755 \"$d\"/{file}; echo \"$d\""
        );
        let out = node.exec_as(Some(user), &["sh", "-c", &prepare]).await.map_err(failed("writing the workload"))?;
        if out.code != 0 {
            return Err(ObserveError::command_failed(
                "edge",
                format!("the edge node (writing the workload as {user})"),
                "mktemp …",
                out.stderr_text(),
            ));
        }
        let dir = out.stdout_text().trim().to_string();
        let principal = format!("{user}@{}", cluster.realm());
        let host_principal = cluster.layout().hadoop_principal(user);
        // A user without credentials has no keytab either.
        let keytab = match ticket {
            Ticket::Valid => Edge::keytab(user),
            Ticket::None | Ticket::Expired => format!("{dir}/no-keytab"),
        };
        let workload = format!("{dir}/{}", script.file_name);
        let values = [
            ("user", user),
            ("principal", principal.as_str()),
            ("host_principal", host_principal.as_str()),
            ("keytab", keytab.as_str()),
            ("workload", workload.as_str()),
            ("name", name),
        ];
        let argv = render(template, &values);
        let command = argv.iter().map(|a| shell_quote(a)).collect::<Vec<_>>().join(" ");
        // As a team debugging Kerberos would run it (C6 sees whether it passes this on).
        let command_line = format!("cd {dir} && HADOOP_JAAS_DEBUG=true {command}");
        let job = match ticket {
            Ticket::Valid => self.edge.with_ticket(user, &command_line),
            Ticket::None => format!("export KRB5CCNAME=FILE:{dir}/no-ticket; {command_line}"),
            Ticket::Expired => format!(
                "export KRB5CCNAME=FILE:{dir}/expired; kinit -l 3s -r 3s -kt {own} {principal} || {{ echo '{SETUP_PREFIX} no short ticket for {principal}'; exit {SETUP_FAILED}; }}; sleep 5; {command_line}",
                own = Edge::keytab(user)
            ),
        };
        let job = self.edge.start_job(user, &dir, &job).await.map_err(failed("starting the submit command"))?;
        let deadline = Instant::now() + wait;
        let mut polls = 0u32;
        loop {
            let JobState { output, code } = self.edge.job_state(&job).await.map_err(failed("reading the command's output"))?;
            let ended = code.is_some() || Instant::now() >= deadline;
            // While it runs, only YARN's own "Submitted application" line names the application
            // (a client may list others first); once it ended, any line that names one.
            let said = if code.is_some() { application_id_in_output(&output) } else { submitted_id_in_output(&output) };
            let mut application_id = match said {
                Some(id) => Some(confirmed(cluster, user, &id).await?),
                None => None,
            };
            // Every few seconds, and at the end: the ResourceManager's own word.
            if application_id.is_none() && (ended || polls % 5 == 4) {
                match application_named(cluster, user, name).await {
                    Ok(found) => application_id = found,
                    Err(e) if ended => return Err(e),
                    Err(_) => {}
                }
            }
            if application_id.is_some() || ended {
                return Ok(CommandRun { command, code, output, application_id, waited: wait, dir: job.dir });
            }
            polls += 1;
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }
}

/// A workload to submit: its bytes, and the file name it is written as (its extension says its
/// language: `workload.sh`, `workload.py`, `workload.jar`).
#[derive(Clone, Copy, Debug)]
pub struct Script<'a> {
    /// The script's text, or the jar.
    pub content: &'a [u8],
    /// The file name, without a directory.
    pub file_name: &'a str,
}

impl<'a> Script<'a> {
    /// A shell script (`workload.sh`).
    pub fn sh(text: &'a str) -> Self {
        Script { content: text.as_bytes(), file_name: "workload.sh" }
    }
}

impl CommandSubmitter {
    /// Stops a command that is still running (its whole process group), e.g. a client that
    /// retries without credentials.
    pub async fn stop(&self, run: &CommandRun) {
        self.edge.stop(&Job { dir: run.dir.clone() }).await;
    }

    /// The application `run` submitted for `user`, as a service's answer would name it; if it
    /// submitted none, the command is stopped first (a client still running may submit later,
    /// beside other items' runs) and the error says why ([`CommandRun::submitted`]).
    pub async fn answer(&self, run: &CommandRun, user: &str) -> Result<crate::service::Submitted, ObserveError> {
        match run.submitted(user) {
            Ok(application_id) => Ok(crate::service::Submitted { application_id, tracking_url: String::new(), user: user.to_string() }),
            Err(e) => {
                self.stop(run).await;
                Err(e)
            }
        }
    }
}

/// The ResourceManager's administrator (who sees every application); none on a cluster without
/// Kerberos.
fn rm_admin(cluster: &SecureCluster) -> Result<Option<yarnsec_hadoop::Credential>, ObserveError> {
    if !cluster.profile().kerberos() {
        return Ok(None);
    }
    cluster.service_credential("rm").map(Some).map_err(ObserveError::cluster("the ResourceManager administrator's credential"))
}

/// The application of `user` named `name` at the ResourceManager, if there is exactly one.
async fn application_named(cluster: &SecureCluster, user: &str, name: &str) -> Result<Option<String>, ObserveError> {
    let admin = rm_admin(cluster)?;
    let auth = admin.as_ref().map_or(yarnsec_hadoop::http::Auth::Simple("yarn"), yarnsec_hadoop::http::Auth::Kerberos);
    let apps = cluster.resource_manager().apps(auth).await.map_err(|e| {
        ObserveError::command_failed("hadoop", "the ResourceManager's applications", "GET /ws/v1/cluster/apps", e.to_string())
    })?;
    let mut named = apps.into_iter().filter(|a| a.name == name && a.user == user);
    Ok(match (named.next(), named.next()) {
        (Some(app), None) => Some(app.id),
        _ => None,
    })
}

/// `id`, once the ResourceManager says it is `user`'s application: an id in a command's output is
/// the command's word, the owner is the cluster's.
async fn confirmed(cluster: &SecureCluster, user: &str, id: &str) -> Result<String, ObserveError> {
    let admin = rm_admin(cluster)?;
    let auth = admin.as_ref().map_or(yarnsec_hadoop::http::Auth::Simple("yarn"), yarnsec_hadoop::http::Auth::Kerberos);
    match cluster.resource_manager().app(id, auth).await {
        Ok(app) if app.user == user => Ok(app.id),
        Ok(app) => Err(ObserveError::Service {
            what: format!("the submit command named {id}, which the ResourceManager says is {}'s, not {user}'s", app.user),
        }),
        Err(e @ yarnsec_hadoop::HttpError::Status { status: 404, .. }) => {
            Err(ObserveError::Service { what: format!("the submit command named {id}, which the ResourceManager does not know: {e}") })
        }
        Err(e) => Err(ObserveError::command_failed(
            "hadoop",
            format!("the ResourceManager's report of {id}"),
            &format!("GET /ws/v1/cluster/apps/{id}"),
            e.to_string(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_submitted_application_is_taken_from_the_line_that_says_so() {
        let out = "INFO Client: previous application_1_0001 was done\n\
                   2026-12-01 21:40:27,141 INFO impl.YarnClientImpl: Submitted application application_1796161212778_0002\n\
                   INFO Client: tracking http://h:8088/proxy/application_1796161212778_0002/";
        assert_eq!(application_id_in_output(out).as_deref(), Some("application_1796161212778_0002"));
        assert_eq!(application_id_in_output("see http://h/proxy/application_17_0003/ now").as_deref(), Some("application_17_0003"));
        assert_eq!(application_id_in_output("application_ is not an id; application_x_1 neither"), None);
        assert_eq!(application_id_in_output("application_ is not one, application_5_0001 is").as_deref(), Some("application_5_0001"));
        assert_eq!(application_id_in_output(""), None);
    }

    proptest::proptest! {
        /// Whatever a command prints, reading it never panics, and an id found is in the output
        /// and has the shape `application_<digits>_<digits>`.
        #[test]
        fn any_output_yields_a_well_formed_id_or_none(output in "(?s).{0,300}", id in "application_[0-9]{1,13}_[0-9]{1,6}") {
            if let Some(found) = application_id_in_output(&output) {
                proptest::prop_assert!(output.contains(&found));
                let parts: Vec<&str> = found.split('_').collect();
                proptest::prop_assert!(parts.len() == 3 && parts[1].parse::<u64>().is_ok() && parts[2].parse::<u64>().is_ok());
            }
            let said = format!("{output}\nINFO impl.YarnClientImpl: Submitted application {id}\n");
            proptest::prop_assert_eq!(application_id_in_output(&said), Some(id));
        }
    }

    #[test]
    fn a_script_is_shown_by_the_line_that_runs_the_client() {
        let argv = ["sh", "-c", "\nset -e\necho {workload}"].map(String::from);
        assert_eq!(short_command(&argv), "sh -c 'echo {workload}' …");
        let argv = ["sh", "-c", "set -e\nd=$(dirname {workload})\nyarn jar s.jar \\\n  -files {workload}\nexit $rc"].map(String::from);
        assert_eq!(short_command(&argv), "sh -c 'yarn jar s.jar \\' …");
        let argv = ["yarn", "jar", "x.jar"].map(String::from);
        assert_eq!(short_command(&argv), "yarn jar x.jar");
    }

    #[test]
    fn every_placeholder_is_replaced() {
        let argv: Vec<String> = PLACEHOLDERS.iter().map(|p| format!("--{p}={{{p}}}")).collect();
        let values = [
            ("user", "alice"),
            ("principal", "alice@R"),
            ("host_principal", "alice/h@R"),
            ("keytab", "/k"),
            ("workload", "/w"),
            ("name", "n"),
        ];
        let v = render(&argv, &values);
        assert_eq!(v, ["--user=alice", "--principal=alice@R", "--host_principal=alice/h@R", "--keytab=/k", "--workload=/w", "--name=n"]);
    }
}
