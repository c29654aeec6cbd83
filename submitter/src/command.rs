//! A command-line submitter (`submit = "command"` in a service file): an argv template run on the
//! cluster's edge node as the submitting user, with that user's ticket, the way a team runs
//! `yarn jar …`, `spark-submit` or its own client from a gateway host.
//!
//! In the template, `{user}`, `{principal}`, `{host_principal}` (the user's principal with the
//! cluster node's host, `alice/hadoop.yarnsec.test@REALM`, which frameworks that log in on a
//! node ask for), `{keytab}` (the user's keytab on the edge node, holding both principals, for
//! submitters that log in themselves), `{workload}` (the probe script's path) and `{name}` (the
//! application name yarnsec gives this submission) are replaced. A second template, for a
//! long-lived launch with the user's keytab, takes the same placeholders.
//!
//! The command may wait for its application to end (DistributedShell's client does), and may
//! take minutes to submit (a JVM client that uploads its framework): yarnsec gives it
//! `submit_wait` and reads its output while it runs. The application is the one the
//! ResourceManager knows by the id on a `Submitted application …` line (YARN's client logs it;
//! once the command has ended, any line that names one), if that application is the user's or
//! carries the name; else the application carrying the name. An id the ResourceManager does not
//! know is no submission (Spark's client names the id it was allocated before it uploads, and
//! may still fail to submit). A command that ended without an application launched nothing; one
//! still running when its wait is over did not submit in time.
//!
//! ```
//! use yarnsec_submitter::command::render;
//! let argv = vec!["yarn".into(), "jar".into(), "app.jar".into(), "-appname".into(), "{name}".into(), "{workload}".into()];
//! let v = render(&argv, &[("name", "probe-1"), ("workload", "/tmp/w.sh")]);
//! assert_eq!(v, ["yarn", "jar", "app.jar", "-appname", "probe-1", "/tmp/w.sh"]);
//! ```

use std::sync::Arc;
use std::time::{Duration, Instant};

use yarnsec_hadoop::yarn::App;
use yarnsec_harness::cluster::edge::{shell_quote, Job, JobState};
use yarnsec_harness::cluster::Edge;
use yarnsec_harness::SecureCluster;

use crate::error::SubmitError;
use crate::found::{self, FoundBy};
use crate::submission::{application_id_in_output, submitted_id_in_output, Answer, Submission};

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
    /// How long a submission may take to show its application (`submit_wait`).
    pub wait: Duration,
    /// How many submissions may run at once (`parallel_submissions`; `None`: no limit).
    pub slots: Option<Arc<tokio::sync::Semaphore>>,
}

/// The default [`CommandSubmitter::wait`]: a JVM client that uploads its framework (Spark's
/// jars, about 300 MB) took 110–125 s alone on two cores, and longer beside other submissions.
pub const SUBMIT_WAIT: Duration = Duration::from_secs(300);

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
    /// The application it submitted, as the ResourceManager reports it, and how it was found.
    pub found: Option<(App, FoundBy)>,
    /// What was noted on the way (an id the output named that the ResourceManager does not know).
    pub notes: Vec<String>,
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

    /// The application it submitted, if any.
    pub fn application_id(&self) -> Option<&str> {
        self.found.as_ref().map(|(app, _)| app.id.as_str())
    }

    /// The line of its output that says best why it failed: the last that reports an error or an
    /// exception, else its last line.
    pub fn telling_line(&self) -> &str {
        let lines: Vec<&str> = self.output.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        let telling = |l: &&&str| {
            ["Exception", "Error", "error:", "ERROR", "Failed", "failed", "denied", "refused", "No such file"].iter().any(|w| l.contains(w))
        };
        lines.iter().rev().find(telling).or(lines.last()).copied().unwrap_or("(no output)")
    }

    /// The submission this run made for `user` under `name`, or the error that says it made none:
    /// nothing launched (it ended), it did not submit in time (still running), or yarnsec's own
    /// preparation failed.
    pub fn submission(&self, user: &str, name: &str) -> Result<Submission, SubmitError> {
        if let Some(line) = self.setup_failure() {
            return Err(SubmitError::command_failed("edge", format!("{user}'s ticket on the edge node"), "kinit", line.to_string()));
        }
        let answer = Answer {
            said: match self.code {
                Some(code) => format!("the command exited {code}"),
                None => "the command was still running".into(),
            },
            body: self.tail(20),
            named: submitted_id_in_output(&self.output).or_else(|| application_id_in_output(&self.output)),
        };
        match (&self.found, self.code) {
            (Some((app, found_by)), _) => Ok(Submission {
                user: user.to_string(),
                name: name.to_string(),
                application_id: app.id.clone(),
                app_name: app.name.clone(),
                found_by: *found_by,
                answer,
            }),
            (None, Some(code)) => {
                let mut detail = format!("--- its output (last lines) ---\n{}", self.tail(20));
                for note in &self.notes {
                    detail = format!("{note}\n{detail}");
                }
                Err(SubmitError::NothingLaunched {
                    user: user.to_string(),
                    how: format!("the submit command `{}` exited {code} ({})", short_words(&self.command), self.telling_line()),
                    detail,
                    watched: "asked when the command ended".into(),
                })
            }
            (None, None) => Err(SubmitError::TimedOut {
                user: user.to_string(),
                target: format!("the submit command `{}`", short_words(&self.command)),
                waited_s: self.waited.as_secs(),
                tail: self.tail(20),
            }),
        }
    }

    /// The last `n` lines of the output, for reports.
    pub fn tail(&self, n: usize) -> String {
        let lines: Vec<&str> = self.output.lines().collect();
        lines[lines.len().saturating_sub(n)..].join("\n")
    }
}

/// A command line cut to its first 120 characters, for one-line reports.
fn short_words(command: &str) -> String {
    let one_line: String = command.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 120 {
        format!("{}…", one_line.chars().take(120).collect::<String>())
    } else {
        one_line
    }
}

/// `argv` with each `{key}` of `values` replaced.
pub fn render(argv: &[String], values: &[(&str, &str)]) -> Vec<String> {
    argv.iter().map(|a| values.iter().fold(a.clone(), |a, (k, v)| a.replace(&format!("{{{k}}}"), v))).collect()
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
    /// A submitter that runs `argv` on `edge`, with no long-lived launch, [`SUBMIT_WAIT`] and no
    /// limit on submissions at once.
    pub fn new(argv: Vec<String>, edge: Arc<Edge>) -> Self {
        Self { argv, long_lived_argv: Vec::new(), edge, wait: SUBMIT_WAIT, slots: None }
    }

    /// The same submitter, launching long-lived applications with `argv`.
    pub fn with_long_lived(mut self, argv: Vec<String>) -> Self {
        self.long_lived_argv = argv;
        self
    }

    /// The same submitter, given `wait` to submit.
    pub fn with_wait(mut self, wait: Duration) -> Self {
        self.wait = wait;
        self
    }

    /// The same submitter, running at most `n` submissions at once.
    pub fn with_parallel(mut self, n: Option<usize>) -> Self {
        self.slots = n.map(|n| Arc::new(tokio::sync::Semaphore::new(n.max(1))));
        self
    }

    /// The command, shortened for reports ([`short_command`]).
    pub fn short(&self) -> String {
        short_command(&self.argv)
    }

    /// Runs the command (the long-lived template when `long_lived`) as `user` on the edge node
    /// with the workload `script` (`{workload}` is its path) and application name `name`;
    /// returns once the application is found, or the command ended, or its wait passed. The
    /// command goes on running in the background.
    pub async fn submit(
        &self,
        cluster: &SecureCluster,
        user: &str,
        ticket: Ticket,
        script: Script<'_>,
        name: &str,
        long_lived: bool,
    ) -> Result<CommandRun, SubmitError> {
        let template = if long_lived {
            if self.long_lived_argv.is_empty() {
                return Err(SubmitError::Unsupported {
                    what: "the command-line submitter has no long-lived launch (`long_lived_command` in its service file)".into(),
                });
            }
            &self.long_lived_argv
        } else {
            &self.argv
        };
        self.run(template, cluster, user, ticket, script, name, self.wait).await
    }

    /// Runs the one-off template as `user` with `ticket`, for at most `wait` (an attempt that
    /// should be refused: a client that retries without credentials takes its time to give up).
    pub async fn attempt(
        &self,
        cluster: &SecureCluster,
        user: &str,
        ticket: Ticket,
        script: Script<'_>,
        name: &str,
        wait: Duration,
    ) -> Result<CommandRun, SubmitError> {
        self.run(&self.argv, cluster, user, ticket, script, name, wait).await
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
    ) -> Result<CommandRun, SubmitError> {
        use base64::Engine as _;
        // Submissions that load the node wait their turn (`parallel_submissions`).
        let _slot = match &self.slots {
            Some(slots) => {
                crate::progress::waiting("a free submission slot (`parallel_submissions`)", Instant::now() + wait);
                Some(slots.acquire().await.expect("the semaphore is never closed"))
            }
            None => None,
        };
        let node = self.edge.node();
        let failed = |what: &str| SubmitError::cluster(format!("the edge node ({what})"));
        // The workload, in a directory of this submission's own, owned by the user.
        let b64 = base64::engine::general_purpose::STANDARD.encode(script.content);
        let file = shell_quote(script.file_name);
        let prepare = format!(
            "set -e; d=$(mktemp -d /tmp/yarnsec-submit-XXXXXX); chmod 755 \"$d\"; echo {b64} | base64 -d > \"$d\"/{file}; chmod 755 \"$d\"/{file}; echo \"$d\""
        );
        let out = node.exec_as(Some(user), &["sh", "-c", &prepare]).await.map_err(failed("writing the workload"))?;
        if out.code != 0 {
            return Err(SubmitError::command_failed(
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
        let since_ms = crate::clock::epoch_ms();
        let job = self.edge.start_job(user, &dir, &job).await.map_err(failed("starting the submit command"))?;
        let deadline = Instant::now() + wait;
        crate::progress::waiting(&format!("the submit command to submit {user}'s application {name}"), deadline);
        let ledger = found::ledger(cluster.id());
        let clues = found::Clues { user, name, named: None, since_ms, only_new: false };
        let mut notes: Vec<String> = Vec::new();
        let mut unknown: Vec<String> = Vec::new();
        let mut polls = 0u32;
        loop {
            let JobState { output, code } = self.edge.job_state(&job).await.map_err(failed("reading the command's output"))?;
            let ended = code.is_some() || Instant::now() >= deadline;
            // While it runs, only YARN's own "Submitted application" line names the application
            // (a client may list others first); once it ended, any line that names one. The
            // ResourceManager says whether it is real, and whose.
            let said = if code.is_some() { application_id_in_output(&output) } else { submitted_id_in_output(&output) };
            let mut found = None;
            if let Some(id) = said.filter(|id| !unknown.contains(id)) {
                match found::known(cluster, &id).await {
                    Ok(Some(app)) if (app.user == user || app.name == name) && found::may_be_named(&app, since_ms, &ledger.claimed()) => {
                        found = Some((app, FoundBy::Answer))
                    }
                    Ok(Some(app)) => {
                        let note = format!(
                            "the command named {id}, {}'s application {}, which is not this submission (another's, or older)",
                            app.user, app.name
                        );
                        if !notes.contains(&note) {
                            notes.push(note);
                        }
                    }
                    Ok(None) => {
                        notes.push(format!("the command named {id}, which the ResourceManager does not know: no submission"));
                        unknown.push(id);
                    }
                    Err(e) if ended => return Err(e),
                    Err(_) => {}
                }
            }
            // Every few seconds, and at the end: the ResourceManager's own word.
            if found.is_none() && (ended || polls % 5 == 4) {
                match found::started_since(cluster, since_ms).await {
                    Ok(apps) => match found::decide(&clues, &apps, &ledger.claimed()) {
                        found::Decision::Found(app, by) => found = Some((app, by)),
                        found::Decision::Several(apps) => {
                            return Err(SubmitError::Ambiguous { user: user.to_string(), candidates: found::listing(&apps) })
                        }
                        found::Decision::NotYet => {}
                    },
                    Err(e) if ended => return Err(e),
                    Err(_) => {}
                }
            }
            if let Some((app, _)) = &found {
                ledger.claim(&app.id);
            }
            if found.is_some() || ended {
                crate::progress::done();
                return Ok(CommandRun { command, code, output, found, notes, waited: wait, dir: job.dir });
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

    /// The submission `run` made for `user` under `name` ([`CommandRun::submission`]); if it made
    /// none, the command is stopped first (a client still running may submit later, beside other
    /// items' runs).
    pub async fn submission(&self, run: &CommandRun, user: &str, name: &str) -> Result<Submission, SubmitError> {
        let submission = run.submission(user, name);
        if submission.is_err() {
            self.stop(run).await;
        }
        submission
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
