//! The application a submission led to, found at the ResourceManager. Whatever the submitter
//! answered (a redirect, a page, JSON, a command's output), the cluster says what launched: the
//! answer's word is used when it names an application the ResourceManager knows, and otherwise
//! the application is the one that carries the name yarnsec asked for, or, for a submitter that
//! names its applications itself, the only new application of the user during the submission.
//!
//! Observation and judgment are apart: [`find`] polls the ResourceManager; [`decide`] is the pure
//! rule, table-tested.
//!
//! ```
//! use std::collections::HashSet;
//! use yarnsec_hadoop::yarn::App;
//! use yarnsec_submitter::found::{decide, Clues, Decision, FoundBy};
//! let app = |id: &str, name: &str, started: i64| App {
//!     id: id.into(), user: "alice".into(), name: name.into(), queue: "default".into(), state: "RUNNING".into(),
//!     final_status: "UNDEFINED".into(), tracking_url: None, diagnostics: None, started_time: started, finished_time: 0,
//! };
//! let clues = Clues { user: "alice", name: "yarnsec-probe-1", named: None, since_ms: 10_000, only_new: true };
//! // The service named the application itself ("nightly-report"): the only new one of alice's is it.
//! let apps = [app("application_1_0001", "older", 500), app("application_1_0002", "nightly-report", 10_200)];
//! assert!(matches!(decide(&clues, &apps, &HashSet::new()), Decision::Found(a, FoundBy::OnlyNew) if a.id == "application_1_0002"));
//! ```

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde::Serialize;
use yarnsec_hadoop::http::Auth;
use yarnsec_hadoop::yarn::App;
use yarnsec_hadoop::HttpError;
use yarnsec_harness::SecureCluster;

use crate::error::SubmitError;

/// How a submission's application was found at the ResourceManager.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FoundBy {
    /// The submitter's answer named it (a redirect, a page, JSON, a command's output), and the
    /// ResourceManager knows it.
    Answer,
    /// It carries the application name yarnsec asked for.
    Name,
    /// It is the only new application of the user during the submission (the submitter names
    /// its applications itself, and its answer named none).
    OnlyNew,
}

impl FoundBy {
    /// How it was found, in words.
    pub fn describe(self) -> &'static str {
        match self {
            FoundBy::Answer => "the application the submitter's answer named, as the ResourceManager reports it",
            FoundBy::Name => "the application carrying the name yarnsec asked for, at the ResourceManager",
            FoundBy::OnlyNew => "the only new application of the user at the ResourceManager during the submission",
        }
    }
}

/// What is known about a submission when its application is looked for.
#[derive(Clone, Copy, Debug)]
pub struct Clues<'a> {
    /// The user it was made for.
    pub user: &'a str,
    /// The application name yarnsec asked for.
    pub name: &'a str,
    /// The application the answer named, when the ResourceManager knows it.
    pub named: Option<&'a App>,
    /// When the submission began (ms since the epoch).
    pub since_ms: i64,
    /// Whether a new application of the user with another name may be the submission (a web
    /// service that names its applications itself). Not for command-line submitters: they must
    /// pass the name, and their submissions overlap.
    pub only_new: bool,
}

/// The rule's answer.
#[derive(Clone, Debug, PartialEq)]
pub enum Decision {
    /// This is the submission's application.
    Found(App, FoundBy),
    /// These could each be it.
    Several(Vec<App>),
    /// None yet.
    NotYet,
}

/// How much earlier than the submission's start the ResourceManager may list an application it
/// is asked for (the query's own margin; the clocks are the same kernel's).
const SLACK_MS: i64 = 1_000;

/// Whether an application the answer named can be this submission's: started since the
/// submission began (give or take [`SLACK_MS`]) and claimed by no other submission (a page that
/// lists a user's earlier jobs names one of theirs).
pub fn may_be_named(app: &App, since_ms: i64, claimed: &HashSet<String>) -> bool {
    app.started_time >= since_ms - SLACK_MS && !claimed.contains(&app.id)
}

/// Which of the ResourceManager's `apps` is the submission's: the one the answer named; else the
/// one carrying the name (several: ambiguous); else, when `only_new`, the only new application of
/// the user since the submission began that no other submission claimed.
pub fn decide(clues: &Clues<'_>, apps: &[App], claimed: &HashSet<String>) -> Decision {
    if let Some(app) = clues.named {
        return Decision::Found(app.clone(), FoundBy::Answer);
    }
    let free = |a: &&App| !claimed.contains(&a.id);
    let by_name: Vec<&App> = apps.iter().filter(|a| !clues.name.is_empty() && a.name == clues.name).filter(free).collect();
    match by_name.as_slice() {
        [one] => return Decision::Found((*one).clone(), FoundBy::Name),
        [] => {}
        several => return Decision::Several(several.iter().map(|a| (*a).clone()).collect()),
    }
    if !clues.only_new {
        return Decision::NotYet;
    }
    // Only what the ResourceManager started after the submission began (the same clock): an
    // earlier submission's late application is not this one's.
    let new: Vec<&App> = apps.iter().filter(|a| a.user == clues.user && a.started_time >= clues.since_ms).filter(free).collect();
    match new.as_slice() {
        [] => Decision::NotYet,
        [one] => Decision::Found((*one).clone(), FoundBy::OnlyNew),
        several => Decision::Several(several.iter().map(|a| (*a).clone()).collect()),
    }
}

/// What one process knows of the submissions to a cluster: the applications already found to be
/// some submission's, and the turns that keep submissions whose applications may have to be
/// found by time from overlapping ([`crate::turn`]).
#[derive(Debug, Default)]
pub struct Ledger {
    turns: crate::turn::Turns,
    claimed: Mutex<HashSet<String>>,
}

impl Ledger {
    /// The turns of this process's web submissions to the cluster.
    pub fn turns(&self) -> &crate::turn::Turns {
        &self.turns
    }

    /// Marks an application as a submission's (it is no other submission's).
    pub fn claim(&self, id: &str) {
        if let Ok(mut c) = self.claimed.lock() {
            c.insert(id.to_string());
        }
    }

    /// The applications found to be submissions' so far.
    pub fn claimed(&self) -> HashSet<String> {
        self.claimed.lock().map(|c| c.clone()).unwrap_or_default()
    }
}

/// The ledger of the cluster `cluster_id` in this process.
pub fn ledger(cluster_id: &str) -> Arc<Ledger> {
    static LEDGERS: OnceLock<Mutex<HashMap<String, Arc<Ledger>>>> = OnceLock::new();
    let map = LEDGERS.get_or_init(Default::default);
    let mut map = map.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    map.entry(cluster_id.to_string()).or_default().clone()
}

/// The ResourceManager's administrator, who sees every application (on a cluster without
/// Kerberos: the user `yarn`).
pub fn rm_admin(cluster: &SecureCluster) -> Result<Option<yarnsec_hadoop::Credential>, SubmitError> {
    if !cluster.profile().kerberos() {
        return Ok(None);
    }
    cluster.service_credential("rm").map(Some).map_err(SubmitError::cluster("the ResourceManager administrator's credential"))
}

/// How a search at the ResourceManager ended.
#[derive(Clone, Debug)]
pub enum Search {
    /// The submission's application.
    Found(App, FoundBy),
    /// Several could be it.
    Several(Vec<App>),
    /// None by the deadline; what was noted on the way (an id the answer named that the
    /// ResourceManager does not know).
    None(Vec<String>),
}

/// The application the ResourceManager knows by `id`, if it knows it (`Ok(None)`: it answers 404).
pub async fn known(cluster: &SecureCluster, id: &str) -> Result<Option<App>, SubmitError> {
    let admin = rm_admin(cluster)?;
    let auth = admin.as_ref().map_or(Auth::Simple("yarn"), Auth::Kerberos);
    match cluster.resource_manager().app(id, auth).await {
        Ok(app) => Ok(Some(app)),
        Err(HttpError::Status { status: 404, .. }) => Ok(None),
        Err(source) => Err(SubmitError::ResourceManager { what: format!("its report of {id}"), source: Box::new(source) }),
    }
}

/// The applications the ResourceManager started since `since_ms` (all users').
pub async fn started_since(cluster: &SecureCluster, since_ms: i64) -> Result<Vec<App>, SubmitError> {
    let admin = rm_admin(cluster)?;
    let auth = admin.as_ref().map_or(Auth::Simple("yarn"), Auth::Kerberos);
    cluster.resource_manager().apps_since(since_ms - SLACK_MS, auth).await.map_err(|source| SubmitError::ResourceManager {
        what: "the applications started since the submission".into(),
        source: Box::new(source),
    })
}

/// Polls the ResourceManager until the submission's application shows ([`decide`]) or `deadline`
/// passes; `named` is the id the answer named, if any. A found application is claimed in the
/// ledger. An error of the ResourceManager is retried until the deadline.
pub async fn find(
    cluster: &SecureCluster,
    ledger: &Ledger,
    clues: Clues<'_>,
    named: Option<&str>,
    deadline: Instant,
) -> Result<Search, SubmitError> {
    let mut notes = Vec::new();
    let mut named_app: Option<App> = None;
    let mut named_checked = named.is_none();
    // "The only new one" counts once it was the only one on two polls in a row (or at the end).
    let mut only_new_before: Option<String> = None;
    loop {
        let attempt = async {
            if !named_checked {
                if let Some(id) = named {
                    named_checked = true;
                    match known(cluster, id).await? {
                        None => notes.push(format!("the answer named {id}, which the ResourceManager does not know")),
                        Some(app) if !may_be_named(&app, clues.since_ms, &ledger.claimed()) => notes.push(format!(
                            "the answer named {id}, an application that was started before this submission or is another's ({}, user {})",
                            app.name, app.user
                        )),
                        Some(app) => named_app = Some(app),
                    }
                }
            }
            let apps = if named_app.is_some() { Vec::new() } else { started_since(cluster, clues.since_ms).await? };
            Ok::<_, SubmitError>(decide(&Clues { named: named_app.as_ref(), ..clues }, &apps, &ledger.claimed()))
        };
        let last_chance = Instant::now() >= deadline;
        match attempt.await {
            Ok(Decision::Found(app, FoundBy::OnlyNew)) if !last_chance && only_new_before.as_deref() != Some(&app.id) => {
                only_new_before = Some(app.id);
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            Ok(Decision::Found(app, by)) => {
                ledger.claim(&app.id);
                return Ok(Search::Found(app, by));
            }
            Ok(Decision::Several(apps)) => return Ok(Search::Several(apps)),
            Ok(Decision::NotYet) if last_chance => return Ok(Search::None(notes)),
            Err(e) if last_chance => return Err(e),
            Ok(Decision::NotYet) | Err(_) => tokio::time::sleep(Duration::from_secs(1)).await,
        }
    }
}

/// `id (name, user)` of each, for reports.
pub fn listing(apps: &[App]) -> Vec<String> {
    apps.iter().map(|a| format!("{} ({}, user {})", a.id, a.name, a.user)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app(id: &str, user: &str, name: &str, started: i64) -> App {
        App {
            id: id.into(),
            user: user.into(),
            name: name.into(),
            queue: "default".into(),
            state: "ACCEPTED".into(),
            final_status: "UNDEFINED".into(),
            tracking_url: None,
            diagnostics: None,
            started_time: started,
            finished_time: 0,
        }
    }

    fn clues<'a>(named: Option<&'a App>, only_new: bool) -> Clues<'a> {
        Clues { user: "alice", name: "yarnsec-probe-7", named, since_ms: 10_000, only_new }
    }

    #[test]
    fn the_answer_the_name_then_the_only_new_one() {
        let none = HashSet::new();
        let mine = app("application_1_0003", "alice", "yarnsec-probe-7", 10_500);
        // The answer's word wins, whoever's it is (T2 judges the user).
        let theirs = app("application_1_0009", "yarnsec", "yarnsec-probe-7", 10_200);
        assert_eq!(
            decide(&clues(Some(&theirs), true), std::slice::from_ref(&mine), &none),
            Decision::Found(theirs.clone(), FoundBy::Answer)
        );
        // The name, of any user.
        assert_eq!(decide(&clues(None, true), std::slice::from_ref(&theirs), &none), Decision::Found(theirs.clone(), FoundBy::Name));
        assert_eq!(decide(&clues(None, false), std::slice::from_ref(&mine), &none), Decision::Found(mine.clone(), FoundBy::Name));
        // A service that names its applications itself: the only new one of alice's.
        let own_name = app("application_1_0004", "alice", "report-job", 10_100);
        let old = app("application_1_0001", "alice", "report-job", 8_000);
        let bobs = app("application_1_0005", "bob", "report-job", 10_300);
        let apps = [old.clone(), own_name.clone(), bobs.clone()];
        assert_eq!(decide(&clues(None, true), &apps, &none), Decision::Found(own_name.clone(), FoundBy::OnlyNew));
        // Not for a command-line submitter (its submissions overlap; it must pass the name).
        assert_eq!(decide(&clues(None, false), &apps, &none), Decision::NotYet);
        // Claimed by another submission: not this one's.
        let claimed: HashSet<String> = [own_name.id.clone()].into_iter().collect();
        assert_eq!(decide(&clues(None, true), &apps, &claimed), Decision::NotYet);
        assert_eq!(decide(&clues(None, true), &[], &none), Decision::NotYet);
    }

    #[test]
    fn two_that_cannot_be_told_apart_are_several() {
        let none = HashSet::new();
        let a = app("application_1_0004", "alice", "report-job", 10_100);
        let b = app("application_1_0005", "alice", "report-job", 10_900);
        assert_eq!(decide(&clues(None, true), &[a.clone(), b.clone()], &none), Decision::Several(vec![a.clone(), b.clone()]));
        let named_twice =
            [app("application_1_0006", "alice", "yarnsec-probe-7", 10_100), app("application_1_0007", "alice", "yarnsec-probe-7", 10_200)];
        assert!(matches!(decide(&clues(None, false), &named_twice, &none), Decision::Several(v) if v.len() == 2));
        // An application that is older than the submission is not new.
        assert_eq!(decide(&clues(None, true), &[app("application_1_0002", "alice", "x", 8_999)], &none), Decision::NotYet);
        assert_eq!(listing(std::slice::from_ref(&a)), ["application_1_0004 (report-job, user alice)"]);
        // An application the answer names counts only if it is new and nobody's yet.
        assert!(may_be_named(&a, 10_000, &none));
        assert!(!may_be_named(&app("application_1_0001", "alice", "old", 5_000), 10_000, &none));
        let claimed: HashSet<String> = [a.id.clone()].into_iter().collect();
        assert!(!may_be_named(&a, 10_000, &claimed));
    }

    #[test]
    fn the_ledger_is_one_per_cluster() {
        let one = ledger("yarnsec-test-ledger-1");
        one.claim("application_1_0001");
        assert!(ledger("yarnsec-test-ledger-1").claimed().contains("application_1_0001"));
        assert!(ledger("yarnsec-test-ledger-2").claimed().is_empty());
    }
}
