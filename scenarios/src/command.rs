//! A command-line submitter (`submit = "command"` in a service file): an argv template run on the
//! cluster's edge node as the submitting user, with that user's ticket, the way a team runs
//! `yarn jar …`, `spark-submit` or its own client from a gateway host.
//!
//! In the template, `{user}`, `{principal}`, `{keytab}` (the user's keytab on the edge node, for
//! submitters that log in themselves), `{workload}` (the probe script's path) and `{name}` (the
//! application name yarnsec gives this submission) are replaced. The command may wait for its
//! application to end (DistributedShell's client does): yarnsec reads its output while it runs
//! and takes the application id from the first line that names one, or, when the output names
//! none, from the ResourceManager: the application of that name.
//!
//! ```
//! use yarnsec_scenarios::command::render;
//! let argv = vec!["yarn".into(), "jar".into(), "app.jar".into(), "-appname".into(), "{name}".into(), "{workload}".into()];
//! let v = render(&argv, &[("name", "probe-1"), ("workload", "/tmp/w.sh")]);
//! assert_eq!(v, ["yarn", "jar", "app.jar", "-appname", "probe-1", "/tmp/w.sh"]);
//! ```

use std::sync::Arc;
use std::time::{Duration, Instant};

use yarnsec_harness::cluster::edge::shell_quote;
use yarnsec_harness::cluster::Edge;
use yarnsec_harness::SecureCluster;

use crate::error::ObserveError;

/// The placeholders a submit command may use.
pub const PLACEHOLDERS: [&str; 5] = ["user", "principal", "keytab", "workload", "name"];

/// A command-line submitter and the edge node it runs on.
#[derive(Clone, Debug)]
pub struct CommandSubmitter {
    /// The argv template.
    pub argv: Vec<String>,
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
    /// The application it submitted for `user`, or the error that says it did not.
    pub fn submitted(&self, user: &str) -> Result<String, ObserveError> {
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

/// The application id a submitter's output names: the one on a "Submitted application" line
/// (YARN's client logs it), else the first one anywhere.
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

impl CommandSubmitter {
    /// The command's first three words (`yarn jar /opt/…/client.jar …`), for reports.
    pub fn short(&self) -> String {
        let words: Vec<String> = self.argv.iter().take(3).map(|a| shell_quote(a)).collect();
        format!("{}{}", words.join(" "), if self.argv.len() > 3 { " …" } else { "" })
    }

    /// Runs the command as `user` on the edge node with the workload `script` and application
    /// name `name`; returns once the output or the ResourceManager names the application, or the
    /// command ended, or `wait` passed. The command goes on running in the background.
    pub async fn submit(
        &self,
        cluster: &SecureCluster,
        user: &str,
        ticket: Ticket,
        script: &str,
        name: &str,
        wait: Duration,
    ) -> Result<CommandRun, ObserveError> {
        use base64::Engine as _;
        let node = self.edge.node();
        let failed = |what: &str| ObserveError::cluster(format!("the edge node ({what})"));
        // The workload, in a directory of this submission's own, owned by the user.
        let b64 = base64::engine::general_purpose::STANDARD.encode(script);
        let prepare = format!(
            "set -e; d=$(mktemp -d /tmp/yarnsec-submit-XXXXXX); chmod 755 \"$d\"; echo {b64} | base64 -d > \"$d/workload.sh\"; chmod 755 \"$d/workload.sh\"; echo \"$d\""
        );
        let out = node.exec_as(Some(user), &["sh", "-c", &prepare]).await.map_err(failed("writing the workload"))?;
        if out.code != 0 {
            return Err(ObserveError::Cluster {
                what: format!("the edge node (writing the workload as {user})"),
                source: Box::new(yarnsec_harness::HarnessError::Exec {
                    container: "edge".into(),
                    command: "mktemp …".into(),
                    detail: out.stderr_text(),
                }),
            });
        }
        let dir = out.stdout_text().trim().to_string();
        let principal = format!("{user}@{}", cluster.realm());
        let keytab = Edge::keytab(user);
        let workload = format!("{dir}/workload.sh");
        let argv =
            render(&self.argv, &[("user", user), ("principal", &principal), ("keytab", &keytab), ("workload", &workload), ("name", name)]);
        let command = argv.iter().map(|a| shell_quote(a)).collect::<Vec<_>>().join(" ");
        // As a team debugging Kerberos would run it (C6 sees whether it passes this on).
        let command_line = format!("cd {dir} && HADOOP_JAAS_DEBUG=true {command}");
        let job = match ticket {
            Ticket::Valid => self.edge.with_ticket(user, &command_line),
            Ticket::None => format!("export KRB5CCNAME=FILE:{dir}/no-ticket; {command_line}"),
            Ticket::Expired => format!(
                "export KRB5CCNAME=FILE:{dir}/expired; kinit -l 3s -r 3s -kt {keytab} {principal} || exit 77; sleep 5; {command_line}"
            ),
        };
        let write_job = format!("cat > {dir}/job.sh <<'YARNSEC_JOB'\n{job}\nYARNSEC_JOB\n");
        let start = format!("{write_job}setsid sh -c 'echo $$ > {dir}/pid; sh {dir}/job.sh > {dir}/out 2>&1 < /dev/null; echo $? > {dir}/rc' > /dev/null 2>&1 < /dev/null &");
        let out = node.exec_as(Some(user), &["sh", "-c", &start]).await.map_err(failed("starting the submit command"))?;
        if out.code != 0 {
            return Err(ObserveError::Cluster {
                what: format!("the edge node (starting the submit command as {user})"),
                source: Box::new(yarnsec_harness::HarnessError::Exec {
                    container: "edge".into(),
                    command: command.clone(),
                    detail: out.stderr_text(),
                }),
            });
        }
        let deadline = Instant::now() + wait;
        let mut polls = 0u32;
        loop {
            let read = format!("cat {dir}/out 2>/dev/null; echo; echo '--- yarnsec rc'; cat {dir}/rc 2>/dev/null || true");
            let out = node.exec_as(Some(user), &["sh", "-c", &read]).await.map_err(failed("reading the command's output"))?;
            let text = out.stdout_text();
            let (output, rc) = text.rsplit_once("\n--- yarnsec rc\n").unwrap_or((&text, ""));
            let output = output.strip_suffix('\n').unwrap_or(output).to_string();
            let code = rc.trim().parse::<i64>().ok();
            let mut application_id = application_id_in_output(&output);
            // Every few seconds, and once it ended: the ResourceManager's own word.
            if application_id.is_none() && (code.is_some() || polls % 5 == 4 || Instant::now() >= deadline) {
                application_id = application_named(cluster, user, name).await;
            }
            if application_id.is_some() || code.is_some() || Instant::now() >= deadline {
                return Ok(CommandRun { command, code, output, application_id, waited: wait, dir });
            }
            polls += 1;
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }
}

impl CommandSubmitter {
    /// Stops a command that is still running (its whole process group), e.g. a client that
    /// retries without credentials.
    pub async fn stop(&self, run: &CommandRun) {
        let kill = format!("test -f {dir}/rc || kill -TERM -- -$(cat {dir}/pid) 2>/dev/null; true", dir = run.dir);
        let _ = self.edge.node().exec(&["sh", "-c", &kill]).await;
    }
}

/// The application of `user` named `name` at the ResourceManager (asked as its administrator,
/// who sees every application), if there is exactly one.
async fn application_named(cluster: &SecureCluster, user: &str, name: &str) -> Option<String> {
    let admin = if cluster.profile().kerberos() { Some(cluster.service_credential("rm").ok()?) } else { None };
    let auth = admin.as_ref().map_or(yarnsec_hadoop::http::Auth::Simple("yarn"), yarnsec_hadoop::http::Auth::Kerberos);
    let apps = cluster.resource_manager().apps(auth).await.ok()?;
    let mut named = apps.into_iter().filter(|a| a.name == name && a.user == user);
    match (named.next(), named.next()) {
        (Some(app), None) => Some(app.id),
        _ => None,
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
    fn every_placeholder_is_replaced() {
        let argv: Vec<String> = PLACEHOLDERS.iter().map(|p| format!("--{p}={{{p}}}")).collect();
        let values = [("user", "alice"), ("principal", "alice@R"), ("keytab", "/k"), ("workload", "/w"), ("name", "n")];
        let v = render(&argv, &values);
        assert_eq!(v, ["--user=alice", "--principal=alice@R", "--keytab=/k", "--workload=/w", "--name=n"]);
    }
}
