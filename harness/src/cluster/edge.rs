//! The edge node: a gateway host on the cluster network, where a team's submitter (a
//! command-line client, or a service) runs the way it would beside a production cluster. It
//! resolves the cluster's host names, holds the client's kit (the client-only configuration in
//! [`CONF_DIR`], krb5.conf, Hadoop's jars) and the users' keytabs, and has `hadoop`, `hdfs`,
//! `yarn` and `mapred` commands. Its host name is the service host, whose `HTTP/` principal is in
//! the service keytab.
//!
//! ```no_run
//! # async fn f(cluster: &yarnsec_harness::SecureCluster) -> Result<(), yarnsec_harness::HarnessError> {
//! use yarnsec_harness::cluster::EdgeOptions;
//! let edge = cluster.start_edge(EdgeOptions::default().with_mount("/home/team/submitter")).await?;
//! let out = edge.run_as("alice", &["yarn", "application", "-list"]).await?;
//! println!("{}", out.stdout_text());
//! # Ok(()) }
//! ```

use std::path::{Path, PathBuf};

use testcontainers::core::Mount;

use super::kinds::container::{ContainerSpec, Network};
use super::SecureCluster;
use crate::config::{client_files, container_krb5_conf, ConfigFiles};
use crate::docker;
use crate::error::HarnessError;
use crate::layout::ports;
use crate::node::{ExecOutput, Node, OutputStream};

/// The role label of edge nodes.
pub const EDGE_ROLE: &str = "edge";
/// The client-only Hadoop configuration on the edge node (`HADOOP_CONF_DIR`).
pub const CONF_DIR: &str = "/etc/hadoop/conf";
/// Where the users' keytabs are on the edge node, each owned by its user: `<user>.keytab`, and
/// the service identity's `service.keytab` (owned by `yarnsec`).
pub const KEYTAB_DIR: &str = "/etc/security/keytabs";
/// Where [`EdgeOptions::with_mount`]'s directory appears (read-only).
pub const MOUNT_DIR: &str = "/team";

/// The stand-in for Hadoop's launcher scripts, installed as each of [`COMMANDS`].
const HADOOP_COMMAND: &str = include_str!("../../../docker/edge/hadoop-command");
/// `HADOOP_CLIENT_OPTS` on the edge node, which its [`COMMANDS`] pass to Java before a caller's
/// `HADOOP_OPTS`: the serial collector and C1 only, for JVMs that live seconds (a submission, an
/// `hdfs dfs`), as a gateway's `hadoop-env.sh` may set them; a team's command that sets the
/// variable itself replaces them.
pub const CLIENT_OPTS: &str = yarnsec_hadoop::java::SHORT_JVM;
/// The commands the edge node has.
pub const COMMANDS: [&str; 4] = ["hadoop", "hdfs", "yarn", "mapred"];

/// How to start an edge node.
#[derive(Clone, Debug, Default)]
pub struct EdgeOptions {
    mount: Option<PathBuf>,
    python: Option<PathBuf>,
}

/// Where [`EdgeOptions::with_python`]'s directory appears (read-only), on Python's path.
pub const PYTHON_DIR: &str = "/opt/yarnsec/python";

impl EdgeOptions {
    /// Mounts a directory of unpacked Python packages (`images::python_site`) read-only at
    /// [`PYTHON_DIR`] and puts it on the path of the node's Python (`python3` comes from the
    /// service file's `packages`).
    pub fn with_python(mut self, site: impl Into<PathBuf>) -> Self {
        self.python = Some(site.into());
        self
    }

    /// Mounts a host directory (the team's submitter) read-only at [`MOUNT_DIR`].
    pub fn with_mount(mut self, dir: impl Into<PathBuf>) -> Self {
        self.mount = Some(dir.into());
        self
    }
}

/// A running edge node, removed when dropped (or with its cluster).
#[derive(Debug)]
pub struct Edge {
    node: Node,
    realm: String,
    kerberos: bool,
}

impl Edge {
    /// The container.
    pub fn node(&self) -> &Node {
        &self.node
    }

    /// Its address on the cluster network: where its requests reach the daemons from.
    pub fn ip(&self) -> std::net::IpAddr {
        self.node.ip()
    }

    /// The keytab of `user` on the edge node.
    pub fn keytab(user: &str) -> String {
        format!("{KEYTAB_DIR}/{user}.keytab")
    }

    /// Runs `cmd` as the OS user `user` with that user's Kerberos ticket (from the keytab, in a
    /// ticket cache of this call's own, removed afterwards), or with `HADOOP_USER_NAME` on a
    /// cluster without Kerberos.
    pub async fn run_as(&self, user: &str, cmd: &[&str]) -> Result<ExecOutput, HarnessError> {
        let quoted: Vec<String> = cmd.iter().map(|a| shell_quote(a)).collect();
        let script = self.with_ticket(user, &quoted.join(" "));
        self.node.exec_as(Some(user), &["sh", "-c", &script]).await
    }

    /// As [`Edge::run_as`], handing each piece of output to `each` as it comes (`yarnsec exec`
    /// shows a long command's progress while it runs); returns the exit code.
    pub async fn stream_as(&self, user: &str, cmd: &[&str], each: impl FnMut(OutputStream, &[u8])) -> Result<i64, HarnessError> {
        let quoted: Vec<String> = cmd.iter().map(|a| shell_quote(a)).collect();
        let script = self.with_ticket(user, &quoted.join(" "));
        self.node.exec_streaming(Some(user), &["sh", "-c", &script], each).await
    }

    /// A shell command line that gets `user`'s ticket into a cache of its own, runs `command`
    /// with it and removes the cache; its exit code is the command's, or 77 with a line
    /// `yarnsec edge: no ticket for …` naming the principal and keytab when kinit failed.
    ///
    /// While `command` runs, the cache is kept fresh as a gateway host keeps its users' tickets
    /// (`k5start`): every [`TICKET_REFRESH`] a new ticket from the keytab replaces the cache in
    /// one rename, so a client that takes longer than a ticket lives (a JVM uploading its
    /// framework) finds a valid one when Hadoop's client logs in again from the cache. Without
    /// it, Hadoop's own renewal (`kinit -R` on the cache) carries a JVM only to the ticket's
    /// renewable lifetime, and a submission longer than that fails mid-way ("Failed to find any
    /// Kerberos tgt"): [`Edge::with_single_ticket`] is that user.
    pub fn with_ticket(&self, user: &str, command: &str) -> String {
        self.ticket_script(user, command, true)
    }

    /// As [`Edge::with_ticket`] with one ticket for the whole command, never refreshed: a user
    /// who ran `kinit` once.
    pub fn with_single_ticket(&self, user: &str, command: &str) -> String {
        self.ticket_script(user, command, false)
    }

    fn ticket_script(&self, user: &str, command: &str, refresh: bool) -> String {
        if !self.kerberos {
            return format!("export HADOOP_USER_NAME={user}; {command}");
        }
        let principal = format!("{user}@{}", self.realm);
        let keytab = Self::keytab(user);
        // The refresher ends with the shell that started it ($$ in a subshell is the shell's),
        // or when killed with it; its output goes nowhere so that it never holds the exec open.
        let (refresher, stop) = if refresh {
            let start = format!(
                "cache=${{KRB5CCNAME#FILE:}}; \
                 (while sleep {every} && kill -0 $$ 2>/dev/null; do \
                 kinit -kt {keytab} -c \"FILE:$cache.new\" {principal} && mv -f \"$cache.new\" \"$cache\"; \
                 done) >/dev/null 2>&1 </dev/null & refresher=$!; ",
                every = TICKET_REFRESH.as_secs()
            );
            (start, "kill $refresher 2>/dev/null; rm -f \"$cache.new\"; ")
        } else {
            (String::new(), "")
        };
        format!(
            "export KRB5CCNAME=FILE:$(mktemp /tmp/krb5cc_{user}_XXXXXX) && \
             if ! kinit -kt {keytab} {principal} 2>/tmp/kinit.$$; then echo \"yarnsec edge: no ticket for {principal} from {keytab}: $(cat /tmp/kinit.$$)\" >&2; exit 77; fi; \
             {refresher}{command}; rc=$?; {stop}kdestroy -q 2>/dev/null; exit $rc"
        )
    }
}

/// How often [`Edge::with_ticket`] replaces a running command's ticket: a third of the shortest
/// ticket lifetime a profile may have (30 s, `SecurityProfile::validate`).
pub const TICKET_REFRESH: std::time::Duration = std::time::Duration::from_secs(10);

impl Edge {
    /// Leaves the container running when this value goes (a cluster `yarnsec up` keeps); it is
    /// removed with its cluster.
    pub fn keep(mut self) {
        self.node.forget_handle();
    }

    /// The running edge node of a cluster, found by its labels: of cluster `cluster_id`, or of
    /// the one cluster that has an edge node (its oldest, if it has several).
    pub async fn find(docker: &bollard::Docker, cluster_id: Option<&str>) -> Result<Edge, HarnessError> {
        let mut labels = vec![format!("{}={EDGE_ROLE}", docker::ROLE_LABEL)];
        if let Some(id) = cluster_id {
            labels.push(format!("{}={id}", docker::CLUSTER_LABEL));
        }
        let list = docker::running_with_labels(docker, &labels).await?;
        let no_edge = |detail: String| HarnessError::ContainerStart { role: EDGE_ROLE.into(), detail };
        let mut clusters: Vec<String> = list.iter().filter_map(|c| c.labels.as_ref()?.get(docker::CLUSTER_LABEL).cloned()).collect();
        clusters.sort();
        clusters.dedup();
        if clusters.len() > 1 {
            return Err(no_edge(format!("several clusters have an edge node ({}); choose one with `--cluster ID`", clusters.join(", "))));
        }
        // Of one cluster's edge nodes (a test may start more beside `up --edge`'s), the oldest.
        let Some(found) = list.iter().min_by_key(|c| c.created.unwrap_or_default()) else {
            return Err(no_edge(match cluster_id {
                Some(id) => format!("cluster {id} has no running edge node; start one with `yarnsec up --edge`"),
                None => "no cluster has a running edge node; start one with `yarnsec up --edge`".into(),
            }));
        };
        let labels = found.labels.clone().unwrap_or_default();
        let realm = labels.get(docker::REALM_LABEL).cloned().unwrap_or_default();
        let id = found.id.clone().unwrap_or_default();
        let cluster = labels.get(docker::CLUSTER_LABEL).cloned().unwrap_or_default();
        let ip = found
            .network_settings
            .as_ref()
            .and_then(|n| n.networks.as_ref()?.get(&cluster)?.ip_address.clone())
            .and_then(|ip| ip.parse().ok())
            .unwrap_or(std::net::IpAddr::from([0, 0, 0, 0]));
        let node = Node::attached(EDGE_ROLE, &id, &format!("service.{}", crate::layout::DOMAIN), ip, docker.clone());
        // A cluster without Kerberos has no keytabs on its edge node.
        let kerberos = node.exec(&["test", "-d", KEYTAB_DIR]).await?.code == 0;
        Ok(Edge { node, realm, kerberos })
    }
}

/// A program started in the background on the edge node ([`Edge::spawn`]): its output and exit
/// code go to files in a directory of its own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Job {
    /// The directory (`out`, `rc`, `pid`).
    pub dir: String,
}

/// What a [`Job`] has done so far.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JobState {
    /// Its standard output and error, interleaved.
    pub output: String,
    /// Its exit code, once it ended.
    pub code: Option<i64>,
}

impl Edge {
    /// Starts `argv` in the background as the OS user `user`, in `cwd`, with `env` added, in a
    /// session of its own (so that [`Edge::stop`] ends everything it started).
    pub async fn spawn(&self, user: &str, cwd: &str, env: &[(&str, &str)], argv: &[String]) -> Result<Job, HarnessError> {
        let dir = self
            .node
            .sh(&format!("d=$(mktemp -d /tmp/yarnsec-job-XXXXXX) && chown {user} \"$d\" && echo \"$d\""))
            .await?
            .trim()
            .to_string();
        let exports: String = env.iter().map(|(k, v)| format!("export {k}={}; ", shell_quote(v))).collect();
        let command: Vec<String> = argv.iter().map(|a| shell_quote(a)).collect();
        let job = format!("{exports}cd {} && exec {}", shell_quote(cwd), command.join(" "));
        self.start_job(user, &dir, &job).await
    }

    /// Starts the shell script `script` in the background as `user`, with `dir` (which `user`
    /// can write) for its files: [`Edge::job_state`] and [`Edge::stop`] follow it.
    pub async fn start_job(&self, user: &str, dir: &str, script: &str) -> Result<Job, HarnessError> {
        // The script travels base64-encoded: no argument can end it early.
        use base64::Engine as _;
        let job64 = base64::engine::general_purpose::STANDARD.encode(script);
        let start = format!(
            "echo {job64} | base64 -d > {dir}/job.sh && setsid sh -c 'echo $$ > {dir}/pid; sh {dir}/job.sh > {dir}/out 2>&1 < /dev/null; echo $? > {dir}/rc' > /dev/null 2>&1 < /dev/null &"
        );
        let out = self.node.exec_as(Some(user), &["sh", "-c", &start]).await?;
        if out.code != 0 {
            return Err(HarnessError::Exec { container: EDGE_ROLE.into(), command: format!("sh {dir}/job.sh"), detail: out.stderr_text() });
        }
        Ok(Job { dir: dir.to_string() })
    }

    /// A job's output and exit code so far.
    pub async fn job_state(&self, job: &Job) -> Result<JobState, HarnessError> {
        let read = format!("cat {0}/out 2>/dev/null; echo; echo '--- yarnsec rc'; cat {0}/rc 2>/dev/null || true", job.dir);
        let text = self.node.exec(&["sh", "-c", &read]).await?.stdout_text();
        let (output, rc) = text.rsplit_once("\n--- yarnsec rc\n").unwrap_or((&text, ""));
        Ok(JobState { output: output.strip_suffix('\n').unwrap_or(output).to_string(), code: rc.trim().parse().ok() })
    }

    /// Stops a job that is still running: its whole session.
    pub async fn stop(&self, job: &Job) {
        let kill = format!("test -f {0}/rc || kill -TERM -- -$(cat {0}/pid) 2>/dev/null; true", job.dir);
        let _ = self.node.exec(&["sh", "-c", &kill]).await;
    }
}

/// `arg` quoted for `sh`.
pub fn shell_quote(arg: &str) -> String {
    if !arg.is_empty() && arg.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:=@,+%{}".contains(c)) {
        return arg.to_string();
    }
    format!("'{}'", arg.replace('\'', "'\\''"))
}

impl SecureCluster {
    /// Starts an edge node on this cluster's network.
    pub async fn start_edge(&self, options: EdgeOptions) -> Result<Edge, HarnessError> {
        // The image the Hadoop node runs (with the packages the cluster was started with).
        let image = self
            .docker
            .inspect_container(self.hadoop.id(), None::<bollard::query_parameters::InspectContainerOptions>)
            .await
            .ok()
            .and_then(|c| c.config?.image)
            .ok_or_else(|| HarnessError::ContainerStart {
                role: EDGE_ROLE.into(),
                detail: format!("the Hadoop node's image cannot be read (container {})", self.hadoop.id()),
            })?;
        let labels = self.labels_for_new_containers();
        let kdc = format!("{}:{}", self.kdc.ip(), ports::KDC);
        let mut files = ConfigFiles::default();
        files.insert("/etc/krb5.conf", container_krb5_conf(&self.profile, &self.layout, &kdc));
        let client = client_files(&self.profile, &self.layout);
        let conf: Vec<(String, Vec<u8>, u32)> =
            client.iter().map(|(name, text)| (format!("{CONF_DIR}/{name}"), text.as_bytes().to_vec(), 0o644)).collect();
        let mut keytabs = Vec::new();
        // Without Kerberos there are no keytabs, and no KEYTAB_DIR ([`Edge::find`] tells by it).
        if self.profile.kerberos() {
            let users = self.layout.users.iter().filter(|u| u.password.is_some()).map(|u| u.name.clone());
            for name in users.chain(["service".to_string()]) {
                let path = self.keytab_path(&name);
                keytabs.push((Edge::keytab(&name), std::fs::read(&path).map_err(HarnessError::io(path))?));
            }
        }
        let mut spec = ContainerSpec::new(EDGE_ROLE, &image, &self.layout.service_host())
            .with_files(files)
            .with_keytabs(keytabs.clone())
            .with_env("HADOOP_CONF_DIR", CONF_DIR)
            .with_env("YARNSEC_JAVA_OPENS", yarnsec_hadoop::java::java17_add_opens().collect::<Vec<_>>().join(" "))
            // The gateway's `hadoop-env.sh`: Hadoop's commands are short JVMs (see CLIENT_OPTS).
            .with_env("HADOOP_CLIENT_OPTS", CLIENT_OPTS)
            .with_cmd(vec!["sleep".into(), "infinity".into()]);
        for (path, content, mode) in conf {
            spec = spec.with_file(path, content, mode);
        }
        for command in COMMANDS {
            spec = spec.with_file(format!("/usr/local/bin/{command}"), HADOOP_COMMAND.as_bytes().to_vec(), 0o755);
        }
        if let Some(dir) = &options.mount {
            let dir = std::path::absolute(dir).map_err(HarnessError::io(dir))?;
            if !dir.is_dir() {
                return Err(HarnessError::ContainerStart {
                    role: EDGE_ROLE.into(),
                    detail: format!("the directory to mount at {MOUNT_DIR}, {}, does not exist", dir.display()),
                });
            }
            // Commands on the edge node run as the test users and the service user, not root.
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&dir).map_err(HarnessError::io(&dir))?.permissions().mode();
            if mode & 0o005 != 0o005 {
                return Err(HarnessError::ContainerStart {
                    role: EDGE_ROLE.into(),
                    detail: format!(
                        "the directory to mount at {MOUNT_DIR}, {}, has mode {:o}: commands on the edge node run as alice, bob or the service user, who cannot read it; `chmod o+rx` it",
                        dir.display(),
                        mode & 0o777
                    ),
                });
            }
            spec = spec.with_mount(
                Mount::bind_mount(dir.display().to_string(), MOUNT_DIR).with_access_mode(testcontainers::core::AccessMode::ReadOnly),
            );
        }
        if let Some(site) = &options.python {
            spec = spec.with_mount(
                Mount::bind_mount(site.display().to_string(), PYTHON_DIR).with_access_mode(testcontainers::core::AccessMode::ReadOnly),
            );
        }
        let mount = options.mount.clone();
        let network = Network { docker: &self.docker, name: &self.id, labels: &labels };
        let node = spec.start(&network).await.map_err(|e| engine_cannot_see(e, mount.as_deref()))?;
        // The cluster's names, as a gateway host's resolver would know them; each keytab to
        // its user.
        // Not the service host: that is the edge node itself here (Docker names it).
        let mut others = self.hosts();
        others.remove(&self.layout.service_host());
        let hosts = super::description::hosts_file_text(&others);
        let mut setup = format!("cat >> /etc/hosts <<'EOF'\n{hosts}EOF\n");
        for (path, _) in &keytabs {
            let owner = path.rsplit('/').next().and_then(|f| f.strip_suffix(".keytab")).unwrap_or("root");
            let owner = if owner == "service" { crate::layout::SERVICE_USER } else { owner };
            setup.push_str(&format!("chown {owner} {path}\n"));
        }
        if options.python.is_some() {
            // Debian's Python reads every .pth file in its dist-packages.
            setup.push_str(&format!(
                "if [ -d /usr/lib/python3/dist-packages ]; then echo {PYTHON_DIR} > /usr/lib/python3/dist-packages/yarnsec-pip.pth; else echo 'pip packages need python3: add it to `packages`' >&2; exit 3; fi\n"
            ));
        }
        node.sh(&setup).await?;
        Ok(Edge { node, realm: self.layout.realm.clone(), kerberos: self.profile.kerberos() })
    }
}

/// The engine's refusal of a directory this process sees but the engine's host does not (yarnsec
/// in a container that shares another host's Docker socket), said with the way out.
fn engine_cannot_see(e: HarnessError, mount: Option<&Path>) -> HarnessError {
    match (e, mount) {
        (HarnessError::ContainerStart { role, detail }, Some(dir)) if detail.contains("bind source path does not exist") => {
            HarnessError::ContainerStart {
                role,
                detail: format!(
                    "the Docker engine cannot see {}, the directory to mount at {MOUNT_DIR}: it exists here but not on the engine's host (is yarnsec running in a container that uses another host's Docker socket? Put the directory at the same path in both) ({detail})",
                    dir.display()
                ),
            }
        }
        (e, _) => e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mount_the_engine_cannot_see_is_said_so() {
        let refused = || HarnessError::ContainerStart {
            role: EDGE_ROLE.into(),
            detail:
                "Docker responded with status code 400: invalid mount config for type \"bind\": bind source path does not exist: /tmp/x"
                    .into(),
        };
        let said = engine_cannot_see(refused(), Some(Path::new("/tmp/x"))).to_string();
        assert!(said.contains("cannot see /tmp/x") && said.contains("same path"), "{said}");
        // Other failures pass through as they are.
        assert_eq!(engine_cannot_see(refused(), None).to_string(), refused().to_string());
    }

    #[test]
    fn arguments_are_quoted_for_the_shell() {
        assert_eq!(shell_quote("-appname"), "-appname");
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
        assert_eq!(shell_quote(""), "''");
        assert_eq!(shell_quote("$HOME"), "'$HOME'");
    }

    /// The commands' JVMs map the image's class archive only when their class path begins with
    /// the jars it was dumped from; with the configuration dir first they shared no class.
    #[test]
    fn the_commands_class_path_begins_with_the_jars_the_archive_was_dumped_from() {
        let classpath = HADOOP_COMMAND.lines().find(|l| l.starts_with("classpath=")).expect("the script sets its class path");
        assert!(classpath.starts_with(&format!("classpath=\"{}:", yarnsec_hadoop::java::HADOOP_JARS)), "{classpath}");
        assert!(
            HADOOP_COMMAND.contains(&format!("archive={}\n", yarnsec_hadoop::java::SHARED_ARCHIVE)),
            "the script maps the image's archive"
        );
        let exec = HADOOP_COMMAND.lines().find(|l| l.starts_with("exec ")).expect("the script runs Java");
        // Before the gateway's and the caller's options, so that theirs win.
        let (shared, client) = (exec.find(" $shared "), exec.find("HADOOP_CLIENT_OPTS"));
        assert!(shared.is_some() && shared < client, "{exec}");
    }
}
