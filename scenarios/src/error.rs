//! Why an observation could not be made. Each message says what to check. An error in what the
//! service's application did (it never ended, its user may not see it) makes the item FAIL; a
//! submission that launched nothing leaves the item with nothing to judge (SKIPPED: only the
//! launch item, T1, judges the launch itself); an error in reaching the cluster (an exec, a log
//! that cannot be read, a credential that cannot be had) makes it SKIPPED: nothing was shown
//! either way.

use yarnsec_hadoop::HttpError;
use yarnsec_harness::HarnessError;
use yarnsec_submitter::SubmitError;

use crate::verdict::Verdict;

/// What could not be observed.
#[derive(Debug, thiserror::Error)]
pub enum ObserveError {
    /// A submission led to no application yarnsec can judge (nothing launched, several
    /// candidates, the submitter did not submit in time, the ResourceManager could not be asked).
    #[error(transparent)]
    Submit(#[from] SubmitError),
    /// An application did not reach a final state in time.
    #[error("{app} was still {state} after {waited_s} s\nhint: the ResourceManager's log and the application's container logs (logs/ in the report directory) say where it hangs")]
    NotEnded {
        /// The application.
        app: String,
        /// Its last state.
        state: String,
        /// How long yarnsec waited.
        waited_s: u64,
    },
    /// The ResourceManager did not report on an application.
    #[error("the ResourceManager does not report {app} to its user: {source}\nhint: with yarn.acl.enable the user needs VIEW_APP on the application (its application-acls)")]
    AppReport {
        /// The application.
        app: String,
        /// The exchange that failed.
        #[source]
        source: Box<HttpError>,
    },
    /// The ResourceManager could not be asked (a transport error, a SPNEGO failure of yarnsec's).
    #[error("the ResourceManager could not be asked about {app}: {source}\nhint: check that the cluster's containers run and the ResourceManager's log (logs/resourcemanager.log)")]
    Unreachable {
        /// The application.
        app: String,
        /// The exchange that failed.
        #[source]
        source: Box<HttpError>,
    },
    /// A request yarnsec makes for itself (not the service's) failed at the cluster, e.g. the
    /// user's own tokens for an Oozie-style launch.
    #[error("yarnsec's own request for {what} failed: {source}\nhint: the cluster's daemon logs (logs/ in the report directory) say why")]
    OwnRequest {
        /// What yarnsec asked for.
        what: String,
        /// Why it failed.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// Something the service under test did is not as an item needs it (e.g. a script file
    /// that cannot be written for a browser upload).
    #[error("{what}")]
    Service {
        /// What happened.
        what: String,
    },
    /// The cluster could not be read.
    #[error("could not read {what} from the cluster: {source}\nhint: check that the cluster's containers run (`docker ps --filter label=dev.yarnsec.project`)")]
    Cluster {
        /// What yarnsec tried to read.
        what: String,
        /// Why it could not.
        #[source]
        source: Box<HarnessError>,
    },
    /// A test user's credential could not be had.
    #[error("no Kerberos credential for {user}: {source}\nhint: check the user's keytab in the cluster's state directory and that the KDC answers")]
    Credential {
        /// The user.
        user: String,
        /// Why.
        #[source]
        source: Box<HarnessError>,
    },
}

impl ObserveError {
    /// A cluster read that failed.
    pub fn cluster(what: impl Into<String>) -> impl FnOnce(HarnessError) -> Self {
        let what = what.into();
        move |source| Self::Cluster { what, source: Box::new(source) }
    }

    /// A command in a cluster container that ran and failed: `detail` is its output.
    pub fn command_failed(container: &str, what: impl Into<String>, command: &str, detail: impl Into<String>) -> Self {
        Self::Cluster {
            what: what.into(),
            source: Box::new(HarnessError::Exec { container: container.into(), command: command.into(), detail: detail.into() }),
        }
    }

    /// [`ObserveError::verdict`], its reason led by what was being observed.
    pub fn verdict_of(&self, what: &str) -> Verdict {
        let mut v = self.verdict();
        v.reason = format!("{what}: {}", v.reason);
        v
    }

    /// The verdict of an item whose observation ended with this error.
    pub fn verdict(&self) -> Verdict {
        match self {
            Self::NotEnded { .. } | Self::AppReport { .. } | Self::Service { .. } => Verdict::fail(self.to_string(), Vec::new()),
            Self::Submit(e) if e.nothing_launched() => {
                Verdict::skipped(format!("nothing to judge: the submission launched no application (T1 judges the launch): {self}"))
            }
            Self::Submit(SubmitError::TimedOut { waited_s, .. }) => Verdict::skipped(format!(
                "not judged: the submitter did not submit within {waited_s} s (the run's error, at the top of the report, has its output)"
            )),
            Self::Submit(_) | Self::Cluster { .. } | Self::Credential { .. } | Self::Unreachable { .. } | Self::OwnRequest { .. } => {
                Verdict::skipped(format!("nothing could be observed: {self}"))
            }
        }
    }
}
