//! One long-lived application, followed past the max lifetime of the delegation tokens it was
//! launched with: what its containers were given when its work began and at the end, the HDFS
//! files localized for them (owner, permissions, whether each is a keytab and whose), and when
//! its work last reached HDFS, as the NameNode says, and the user's logins from the containers'
//! node, as the KDC says. Whatever framework runs it, and whoever launches it (a web service, or
//! a command-line submitter on the edge node): every fact is the cluster's (the ResourceManager's
//! report, the NodeManager's files and logs, HDFS, the KDC's log).

use std::time::Duration;

use yarnsec_hadoop::http::Auth;
use yarnsec_hadoop::kerberos::{as_issues, AsIssue, AS_REQ_MARKER};
use yarnsec_hadoop::yarn::App;
use yarnsec_harness::{SecureCluster, SecurityProfile};

use super::app_run::url_path;
use super::container::ContainerFacts;
use crate::error::ObserveError;
use yarnsec_submitter::Submission;

/// How often the long-lived workload writes the user's HDFS home on a cluster of `profile`:
/// twice per token renew interval, between 12 s and 20 s (20 s on `strict`, 12 s on `fast`). The
/// pause is longer than the 10 s Hadoop's RPC client keeps an idle connection open
/// (`ipc.client.connection.maxidletime`): a connection authenticated with a token stays usable
/// past the token's max date, so writes closer together could carry a dead token on. The JVM
/// probe also opens a new HDFS client for every write; the shell and Python probes run a new
/// `hadoop fs` for each.
///
/// ```
/// use std::time::Duration;
/// use yarnsec_harness::SecurityProfile;
/// use yarnsec_scenarios::facts::long_lived::write_every;
/// assert_eq!(write_every(&SecurityProfile::strict()), Duration::from_secs(20));
/// assert_eq!(write_every(&SecurityProfile::fast()), Duration::from_secs(12));
/// ```
pub fn write_every(profile: &SecurityProfile) -> Duration {
    (profile.token_renew_interval() / 2).clamp(Duration::from_secs(12), Duration::from_secs(20))
}

/// How long one write of the workload may take (a JVM starting and writing HDFS on a busy node).
pub const WRITE_TAKES: Duration = Duration::from_secs(15);

/// How long yarnsec waits past the check time for a write before it says the work stopped: the
/// longest gap seen between two writes of one container before then (`seen`, each container's
/// distinct modification times in ms, in the order seen) and 5 s, but at least one write period
/// and at most one write period and [`WRITE_TAKES`] (also when no gap was seen). A write missed
/// between two looks only makes a gap longer, so the wait errs long.
///
/// ```
/// use std::time::Duration;
/// use yarnsec_scenarios::facts::long_lived::quiet_window;
/// let every = Duration::from_secs(10);
/// // Writes 13 s apart: 18 s without one means the work stopped.
/// assert_eq!(quiet_window(&[vec![0, 13_000, 26_000]], every), Duration::from_secs(18));
/// // One write seen: a period and a write's time.
/// assert_eq!(quiet_window(&[vec![0]], every), Duration::from_secs(25));
/// ```
pub fn quiet_window<'a>(seen: impl IntoIterator<Item = &'a Vec<i64>>, every: Duration) -> Duration {
    let longest = seen.into_iter().flat_map(|times| times.windows(2).map(|w| w[1] - w[0])).filter(|gap| *gap > 0).max();
    let most = every + WRITE_TAKES;
    match longest {
        Some(gap) => (Duration::from_millis(gap as u64) + Duration::from_secs(5)).clamp(every, most),
        None => most,
    }
}

/// Each container's distinct write times as yarnsec's looks at HDFS saw them, for
/// [`quiet_window`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SeenWrites(std::collections::BTreeMap<String, Vec<i64>>);

impl SeenWrites {
    /// Notes one look at the containers' files.
    pub fn note(&mut self, look: &[Written]) {
        for w in look {
            let times = self.0.entry(w.container.clone()).or_default();
            if times.last() != Some(&w.mtime_ms) {
                times.push(w.mtime_ms);
            }
        }
    }

    /// How long to wait past the check time for a write ([`quiet_window`]).
    pub fn quiet_window(&self, every: Duration) -> Duration {
        quiet_window(self.0.values(), every)
    }
}

/// How long the application has to start working (its first write) before yarnsec goes on to
/// watch it anyway.
pub const FIRST_WRITE_WAIT: Duration = Duration::from_secs(240);

/// An HDFS file the NodeManager localized for a container of the application.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalizedFile {
    /// Its HDFS path.
    pub path: String,
    /// Its owner.
    pub owner: String,
    /// Its permission, octal (`400`).
    pub permission: String,
    /// The principals in it, if it is a keytab (`None`: not a keytab).
    pub keytab_principals: Option<Vec<String>>,
    /// The containers it was localized for.
    pub containers: Vec<String>,
    /// Its group.
    pub group: String,
    /// The directories on its path, from its parent up to `/` (empty when they could not be read).
    pub dirs: Vec<PathDir>,
}

/// A directory on the path to a file: who may pass through it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathDir {
    /// Its path.
    pub path: String,
    /// Its owner.
    pub owner: String,
    /// Its group.
    pub group: String,
    /// Its permission, octal (`700`).
    pub permission: String,
}

/// Who besides its owner can read a file, counting every directory on its path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Access {
    /// Only its owner (and HDFS superusers, who read anything).
    OwnerOnly {
        /// The file's own bits allow others to read, but a directory on its path lets them
        /// not reach it: that directory.
        shut_by: Option<String>,
    },
    /// Others can read it.
    Others(String),
    /// Its permissions could not be read.
    Unknown,
}

impl LocalizedFile {
    /// Who besides its owner can read it: the group when the file grants the group read and every
    /// directory on its path lets the group's members pass (`x` for the group where the
    /// directory has the file's group, else for others); anyone when the file grants others read
    /// and every directory lets others pass. ACLs are not read.
    pub fn access(&self) -> Access {
        let Ok(mode) = u32::from_str_radix(&self.permission, 8) else { return Access::Unknown };
        let dirs: Option<Vec<(&PathDir, u32)>> =
            self.dirs.iter().map(|d| u32::from_str_radix(&d.permission, 8).ok().map(|m| (d, m))).collect();
        let Some(dirs) = dirs else { return Access::Unknown };
        if self.dirs.is_empty() && mode & 0o044 != 0 {
            return Access::Unknown;
        }
        let shut = |class_bit: u32, group: bool| {
            dirs.iter().find(|(d, m)| {
                let bit = if group && d.group == self.group { class_bit } else { 0o001 };
                m & bit == 0
            })
        };
        if mode & 0o004 != 0 {
            match shut(0o001, false) {
                None => {
                    return Access::Others(format!(
                        "everyone (permission {}, and every directory on its path lets others through)",
                        self.permission
                    ))
                }
                Some((d, _)) if mode & 0o040 == 0 => {
                    return Access::OwnerOnly { shut_by: Some(format!("{} ({} {})", d.path, d.owner, d.permission)) }
                }
                Some(_) => {}
            }
        }
        if mode & 0o040 != 0 {
            return match shut(0o010, true) {
                None => Access::Others(format!("the group {} (permission {})", self.group, self.permission)),
                Some((d, _)) => Access::OwnerOnly { shut_by: Some(format!("{} ({} {})", d.path, d.owner, d.permission)) },
            };
        }
        Access::OwnerOnly { shut_by: None }
    }
}

/// One long-lived application as yarnsec watched it.
#[derive(Clone, Debug)]
pub struct LongLivedRun {
    /// The user yarnsec launched it as (not what the service answered).
    pub user: String,
    /// The submission: the application found at the ResourceManager, and the answer.
    pub submitted: Submission,
    /// The application when its work began (or yarnsec stopped waiting for it), and at the end.
    pub app_first: App,
    /// The application at the end of the watch.
    pub app_last: App,
    /// Its containers when its work began.
    pub first: Vec<ContainerFacts>,
    /// Every container it had by the end (those of restarts and relaunches included).
    pub last: Vec<ContainerFacts>,
    /// The HDFS files localized for its containers.
    pub localized: Vec<LocalizedFile>,
    /// When the delegation tokens it started with reach their max lifetime (ms since the epoch):
    /// the latest max date of the HDFS tokens its containers were first given.
    pub first_max_ms: i64,
    /// When the watch checked that it still works: `first_max_ms` plus one renew interval.
    pub check_ms: i64,
    /// The HDFS files its work writes, one per container (`…/<marker>-<container>.txt`).
    pub output_path: String,
    /// Each container's file at the end of the watch: when the NameNode last saw it written.
    pub outputs: Vec<Written>,
    /// The user's Kerberos logins the KDC saw from the node the containers run on, from the
    /// application's start to the end of the watch, and the user's other applications of that
    /// time; or why they could not be read.
    pub node_logins: Result<NodeLogins, String>,
    /// The cluster's token max lifetime and renew interval.
    pub max_lifetime: Duration,
    /// The renew interval.
    pub renew_interval: Duration,
    /// The cluster's ticket lifetime.
    pub ticket_lifetime: Duration,
    /// When the watch ended (ms since the epoch).
    pub watch_end_ms: i64,
    /// What the issuers did to the HDFS tokens its containers held (issue, renewals,
    /// cancellation), as their logs say at the end of the watch (empty when they could not be
    /// read).
    pub token_moments: Vec<crate::facts::issued::TokenMoment>,
}

/// Where the long-lived work writes: one file per container, `<dir>/<prefix><container>.txt`.
#[derive(Clone, Debug)]
pub struct Output {
    /// The directory (the user's home).
    pub dir: String,
    /// The files' common start (`<marker>-`).
    pub prefix: String,
}

/// One container's file of the long-lived work.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    /// Its HDFS path.
    pub path: String,
    /// The container that writes it (from its name).
    pub container: String,
    /// When the NameNode last saw it written (ms since the epoch).
    pub mtime_ms: i64,
}

impl Written {
    /// Whether the ApplicationMaster's own container wrote it (the first container of an attempt).
    pub fn by_application_master(&self) -> bool {
        self.container.ends_with("_000001")
    }
}

impl Output {
    /// The containers' files as HDFS has them now (none when the directory cannot be listed).
    pub async fn read(&self, fs: &yarnsec_hadoop::webhdfs::WebHdfs, auth: Auth<'_>) -> Vec<Written> {
        let Ok(entries) = fs.list(&self.dir, auth, None).await else { return Vec::new() };
        entries
            .into_iter()
            .filter_map(|e| {
                let container = e.path_suffix.strip_prefix(&self.prefix)?.strip_suffix(".txt")?.to_string();
                Some(Written { path: format!("{}/{}", self.dir, e.path_suffix), container, mtime_ms: e.modification_time })
            })
            .collect()
    }
}

/// The user's logins from the node where containers run, as the KDC saw them, and the user's other
/// applications that ran meanwhile (whose containers log in from the same node).
#[derive(Clone, Debug, Default)]
pub struct NodeLogins {
    /// The initial tickets issued to a principal of the user for a client on that node.
    pub logins: Vec<AsIssue>,
    /// The user's other applications that ran during the watch.
    pub other_apps: Vec<App>,
}

impl NodeLogins {
    /// The logins at a time no other application of the user ran (5 s either side): those can
    /// only be this application's.
    pub fn attributable(&self) -> Vec<&AsIssue> {
        let slack = 5_000;
        let during = |app: &App, ms: i64| app.started_time - slack <= ms && (app.finished_time == 0 || ms <= app.finished_time + slack);
        self.logins.iter().filter(|l| !self.other_apps.iter().any(|o| during(o, l.authtime * 1000))).collect()
    }
}

impl LongLivedRun {
    /// The ApplicationMaster's container when the work began, or, when it had not started by
    /// then (a busy cluster), the first one seen at the end.
    pub fn am(&self) -> Option<&ContainerFacts> {
        self.first.iter().chain(&self.last).find(|c| c.is_application_master())
    }

    /// The ApplicationMaster's logs by the end (every attempt's AM).
    pub fn am_logs(&self) -> String {
        self.last.iter().filter(|c| c.is_application_master()).map(ContainerFacts::all_logs).collect::<Vec<_>>().join("\n")
    }

    /// The containers the ApplicationMaster launched, by the end.
    pub fn workers(&self) -> impl Iterator<Item = &ContainerFacts> {
        self.last.iter().filter(|c| !c.is_application_master())
    }

    /// The keytabs localized for `container`'s kind: the AM's (`true`) or the workers'.
    pub fn keytabs_for(&self, am: bool) -> Vec<&LocalizedFile> {
        self.localized
            .iter()
            .filter(|f| f.keytab_principals.is_some())
            .filter(|f| f.containers.iter().any(|c| c.ends_with("_000001") == am))
            .collect()
    }

    /// Every `put=ok <s>` / `put=failed <s>` line of the workers: (epoch s, worked).
    pub fn writes(&self) -> Vec<(i64, bool)> {
        let mut out: Vec<(i64, bool)> =
            self.workers().chain(self.last.iter().filter(|c| c.is_application_master())).flat_map(writes_of).collect();
        out.sort();
        out
    }

    /// Whether HDFS saw any container's work write after the check time.
    pub fn wrote_after_check(&self) -> bool {
        self.last_write_ms().is_some_and(|m| m > self.check_ms)
    }

    /// The latest write of any container's work.
    pub fn last_write_ms(&self) -> Option<i64> {
        self.outputs.iter().map(|w| w.mtime_ms).max()
    }

    /// The files the containers the ApplicationMaster launched wrote after the check time (never
    /// a write of the AM's own container).
    pub fn workers_written_after_check(&self) -> Vec<&Written> {
        self.outputs.iter().filter(|w| !w.by_application_master() && w.mtime_ms > self.check_ms).collect()
    }

    /// Whether the probe ran inside the framework's own JVM (`Some(true)`), as a process of its
    /// own (`Some(false)`), or said neither.
    pub fn in_process(&self) -> Option<bool> {
        let logs: Vec<&str> = self.last.iter().flat_map(|c| c.logs.values()).map(String::as_str).collect();
        if logs.iter().any(|t| t.lines().any(|l| l.trim() == "probe=in-process")) {
            Some(true)
        } else if logs.iter().any(|t| t.lines().any(|l| l.trim() == "probe=process")) {
            Some(false)
        } else {
            None
        }
    }
}

/// Every `put=ok <s>` / `put=failed <s>` line of one container's logs: (epoch s, worked), sorted.
pub fn writes_of(container: &ContainerFacts) -> Vec<(i64, bool)> {
    let mut out: Vec<(i64, bool)> = container
        .logs
        .values()
        .flat_map(|text| text.lines())
        .filter_map(|l| {
            let (ok, rest) = match l.trim() {
                l if l.starts_with("put=ok ") => (true, &l[7..]),
                l if l.starts_with("put=failed ") => (false, &l[11..]),
                _ => return None,
            };
            rest.trim().parse::<i64>().ok().map(|s| (s, ok))
        })
        .collect();
    out.sort();
    out
}

/// The initial tickets the KDC issued to a principal of `user` (`user@R`, `user/host@R`) for a
/// client on the node where containers run, since `since_ms` (no daemon of the node logs in as a
/// user: these are logins in containers), and the user's other applications of that time.
pub async fn node_logins(cluster: &SecureCluster, user: &str, auth: Auth<'_>, app_id: &str, since_ms: i64) -> Result<NodeLogins, String> {
    let log = cluster.kdc().grep(yarnsec_harness::layout::paths::KDC_LOG, &[AS_REQ_MARKER]).await.map_err(|e| e.to_string())?;
    let node = cluster.hadoop().ip().to_string();
    let logins = as_issues(&log)
        .into_iter()
        .filter(|a| a.primary() == user && a.client == node && a.server.starts_with("krbtgt/") && a.authtime * 1000 >= since_ms - 1000)
        .collect();
    let apps =
        cluster.resource_manager().apps(auth).await.map_err(|e| format!("the ResourceManager's list of {user}'s applications: {e}"))?;
    let other_apps =
        apps.into_iter().filter(|a| a.user == user && a.id != app_id && (a.finished_time == 0 || a.finished_time >= since_ms)).collect();
    Ok(NodeLogins { logins, other_apps })
}

/// The HDFS files localized for `containers`, read as the HDFS superuser: owner, permission,
/// and, for a keytab, its principals.
pub async fn localized_files(cluster: &SecureCluster, containers: &[ContainerFacts]) -> Result<Vec<LocalizedFile>, ObserveError> {
    let mut files: Vec<LocalizedFile> = Vec::new();
    for c in containers {
        for path in c.localized.iter().filter_map(|u| url_path(u)) {
            match files.iter_mut().find(|f| f.path == path) {
                Some(f) => f.containers.push(c.id.clone()),
                None => files.push(LocalizedFile {
                    path,
                    owner: String::new(),
                    permission: String::new(),
                    keytab_principals: None,
                    containers: vec![c.id.clone()],
                    group: String::new(),
                    dirs: Vec::new(),
                }),
            }
        }
    }
    if files.is_empty() {
        return Ok(files);
    }
    let superuser = cluster.service_credential("nn").map_err(ObserveError::cluster("the HDFS superuser's credential"))?;
    let auth = Auth::Kerberos(&superuser);
    let fs = cluster.webhdfs();
    for f in &mut files {
        // A file gone since (a relaunch's staging removed) keeps empty owner and permission.
        if let Ok(status) = fs.status(&f.path, auth, None).await {
            f.owner = status.owner;
            f.group = status.group;
            f.permission = status.permission;
            if status.length <= 64 * 1024 {
                if let Ok(bytes) = fs.open(&f.path, auth, None).await {
                    f.keytab_principals =
                        yarnsec_hadoop::kerberos::keytab_principals(&bytes).ok().map(|ps| ps.iter().map(|p| p.to_string()).collect());
                }
            }
        }
        // Who can reach a keytab depends on every directory on its path (L3).
        if f.keytab_principals.is_some() {
            let mut dirs = Vec::new();
            let mut path = f.path.as_str();
            while let Some((parent, _)) = path.rsplit_once('/') {
                let parent = if parent.is_empty() { "/" } else { parent };
                match fs.status(parent, auth, None).await {
                    Ok(d) => dirs.push(PathDir { path: parent.to_string(), owner: d.owner, group: d.group, permission: d.permission }),
                    Err(_) => {
                        dirs.clear();
                        break;
                    }
                }
                if parent == "/" {
                    break;
                }
                path = parent;
            }
            f.dirs = dirs;
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::fixtures::{dir, localized};
    use super::*;

    /// The wait past the check time follows the writes seen, never shorter than a period nor
    /// longer than a period and a write's time; a look that saw nothing new adds no gap.
    #[test]
    fn the_quiet_window_follows_the_writes_seen() {
        let every = Duration::from_secs(12);
        let w = |container: &str, mtime_ms: i64| Written { path: String::new(), container: container.into(), mtime_ms };
        let mut seen = SeenWrites::default();
        assert_eq!(seen.quiet_window(every), every + WRITE_TAKES, "nothing seen");
        seen.note(&[w("c_01", 1_000)]);
        seen.note(&[w("c_01", 1_000)]);
        assert_eq!(seen.quiet_window(every), every + WRITE_TAKES, "one write seen twice is no gap");
        seen.note(&[w("c_01", 15_000), w("c_02", 2_000)]);
        assert_eq!(seen.quiet_window(every), Duration::from_secs(19), "14 s apart, and 5 s");
        seen.note(&[w("c_01", 29_000), w("c_02", 20_000)]);
        assert_eq!(seen.quiet_window(every), Duration::from_secs(23), "the slower container sets it");
        seen.note(&[w("c_02", 60_000)]);
        assert_eq!(seen.quiet_window(every), every + WRITE_TAKES, "a missed write errs long, to the bound");
        assert_eq!(quiet_window(&[vec![0, 3_000]], every), every, "never shorter than a period");
    }

    /// A keytab's own bits are half the story: a 644 keytab inside a 700 directory of its owner
    /// is owner-only (Spark stages its keytab so), and a 600 keytab is owner-only anywhere.
    #[test]
    fn access_counts_every_directory_on_the_path() {
        let k = |perm: &str, dirs: Vec<PathDir>| LocalizedFile {
            dirs,
            ..localized("/user/alice/.sparkStaging/app_1/alice.keytab", perm, Some("alice@R"), &[])
        };
        let open = vec![dir("/user/alice/.sparkStaging/app_1", "755"), dir("/user/alice", "755"), dir("/user", "755"), dir("/", "755")];
        let mut shut = open.clone();
        shut[0].permission = "700".into();
        assert!(matches!(k("644", open.clone()).access(), Access::Others(w) if w.starts_with("everyone")));
        assert!(matches!(k("644", shut.clone()).access(), Access::OwnerOnly { shut_by: Some(d) } if d.contains(".sparkStaging/app_1")));
        assert_eq!(k("600", open.clone()).access(), Access::OwnerOnly { shut_by: None });
        assert_eq!(k("400", open.clone()).access(), Access::OwnerOnly { shut_by: None });
        // The group: through directories of its own group that let the group pass.
        assert!(matches!(k("640", open.clone()).access(), Access::Others(w) if w.contains("group supergroup")));
        let mut group_shut = open.clone();
        group_shut[1].permission = "701".into();
        assert!(matches!(k("640", group_shut).access(), Access::OwnerOnly { .. }));
        // A directory of another group lets the file's group through only by its "others" bits.
        let mut other_group = open.clone();
        other_group[0].group = "staff".into();
        other_group[0].permission = "770".into();
        assert!(matches!(k("640", other_group).access(), Access::OwnerOnly { .. }));
        // Unreadable directories, or a bad mode: not known.
        assert_eq!(k("644", vec![]).access(), Access::Unknown);
        assert_eq!(k("600", vec![]).access(), Access::OwnerOnly { shut_by: None });
        assert_eq!(k("x", open).access(), Access::Unknown);
    }
}

#[cfg(test)]
pub(crate) mod fixtures {
    use super::*;
    use crate::facts::app_run::fixtures::{app, container};
    use crate::facts::token_file::fixtures::{delegation, file, opaque};

    /// A long-lived run: an AM and a worker, the worker's writes (epoch s, worked), the HDFS
    /// files localized (path, owner, permission, keytab principals, for the AM/the worker).
    pub fn run(
        am_log: &str,
        writes: &[(i64, bool)],
        files: Vec<LocalizedFile>,
        still_running: bool,
        output_mtime_ms: Option<i64>,
    ) -> LongLivedRun {
        // The worker's file (the probe runs in the workers).
        let outputs = output_mtime_ms
            .map(|ms| Written {
                path: "/user/alice/out-container_1_0001_01_000002.txt".into(),
                container: "container_1_0001_01_000002".into(),
                mtime_ms: ms,
            })
            .into_iter()
            .collect();
        let tokens = file(vec![delegation("HDFS_DELEGATION_TOKEN", "198.18.0.3:8020", "alice", "yarn", 7)]);
        let am_tokens = file(vec![delegation("HDFS_DELEGATION_TOKEN", "198.18.0.3:8020", "alice", "yarn", 6), opaque("YARN_AM_RM_TOKEN")]);
        let am = container("container_1_0001_01_000001", am_tokens, "", &[("serviceam-out.txt", am_log)]);
        let put: String = writes.iter().map(|(s, ok)| format!("put={} {s}\n", if *ok { "ok" } else { "failed" })).collect();
        let worker = container("container_1_0001_01_000002", tokens, "", &[("stdout", &put)]);
        let state = if still_running { "RUNNING" } else { "FINISHED" };
        LongLivedRun {
            user: "alice".into(),
            submitted: crate::facts::app_run::fixtures::submission("application_1_0001"),
            app_first: app("alice", "RUNNING", "UNDEFINED"),
            app_last: app("alice", state, if still_running { "UNDEFINED" } else { "FAILED" }),
            first: vec![am.clone(), worker.clone()],
            last: vec![am, worker],
            localized: files,
            first_max_ms: 1_000_000,
            check_ms: 1_060_000,
            output_path: "/user/alice/out-<container>.txt".into(),
            outputs,
            node_logins: Ok(NodeLogins::default()),
            max_lifetime: Duration::from_secs(300),
            renew_interval: Duration::from_secs(60),
            ticket_lifetime: Duration::from_secs(120),
            watch_end_ms: 1_100_000,
            token_moments: Vec::new(),
        }
    }

    /// A localized HDFS file.
    pub fn localized(path: &str, permission: &str, keytab_of: Option<&str>, containers: &[&str]) -> LocalizedFile {
        LocalizedFile {
            path: path.into(),
            owner: "alice".into(),
            permission: permission.into(),
            keytab_principals: keytab_of.map(|p| vec![p.to_string()]),
            containers: containers.iter().map(|c| c.to_string()).collect(),
            group: "supergroup".into(),
            dirs: vec![dir("/user/alice/.yarnsec", "700"), dir("/user/alice", "755"), dir("/user", "755"), dir("/", "755")],
        }
    }

    /// A directory of alice's (group `supergroup`).
    pub fn dir(path: &str, permission: &str) -> PathDir {
        PathDir { path: path.into(), owner: "alice".into(), group: "supergroup".into(), permission: permission.into() }
    }
}
