//! Why a submission did not lead to one application yarnsec can judge. Each message says what was
//! seen and where to look. The checklist decides what each means for an item: a submission after
//! which nothing launched fails the launch item (T1) and leaves the others with nothing to judge;
//! everything else here is about what could not be observed (SKIPPED).

use yarnsec_hadoop::HttpError;
use yarnsec_harness::HarnessError;

/// Why a submission has no application to judge.
#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    /// The submitter was asked, and the ResourceManager shows no application from that submission.
    #[error("nothing launched: after {how}, the ResourceManager shows no application of {user}'s from that submission ({watched})\n{detail}\nhint: the submitter's log (logs/service.log or logs/submit-commands.log in the report directory) says why")]
    NothingLaunched {
        /// For whom.
        user: String,
        /// How the submitter ended (`POST … answered 500`, `the submit command exited 1`).
        how: String,
        /// What it said: the answer or the command's last lines, and the service's last log lines.
        detail: String,
        /// How long yarnsec watched the ResourceManager (`watched 30 s after the answer`).
        watched: String,
    },
    /// Several new applications could each be the submission.
    #[error("{user}'s submission cannot be told apart: {} new application(s) of {user}'s appeared at the ResourceManager during it, and neither the service's answer nor the application name tells which is this one: {}\nhint: name the application as the contract asks (`name_field`, `{{name}}`) or answer with its id", candidates.len(), candidates.join(", "))]
    Ambiguous {
        /// For whom.
        user: String,
        /// The candidates (`id (name, user)`).
        candidates: Vec<String>,
    },
    /// The submitter did not submit within the time it is given.
    #[error("the submitter did not submit {user}'s application within {waited_s} s ({target}): it was still running\n--- its output (last lines) ---\n{tail}\nhint: a JVM client that uploads its framework needs minutes on a busy node: raise `submit_wait` in the service file, or lower `parallel_submissions`")]
    TimedOut {
        /// For whom.
        user: String,
        /// What was run.
        target: String,
        /// How long yarnsec waited.
        waited_s: u64,
        /// The last lines of its output.
        tail: String,
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
    /// The ResourceManager could not tell which applications there are.
    #[error("the ResourceManager could not be asked for {what}: {source}\nhint: the ResourceManager's log (logs/resourcemanager.log)")]
    ResourceManager {
        /// What yarnsec asked for.
        what: String,
        /// Why it failed.
        #[source]
        source: Box<HttpError>,
    },
    /// What yarnsec asked of the submitter is not something it declares (e.g. a long-lived launch
    /// without `long_lived_command`), or yarnsec's own preparation for it failed.
    #[error("{what}")]
    Unsupported {
        /// What.
        what: String,
    },
}

impl SubmitError {
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

    /// Whether the submitter was asked and nothing launched (the submitter's doing), as opposed to
    /// what yarnsec could not observe.
    pub fn nothing_launched(&self) -> bool {
        matches!(self, Self::NothingLaunched { .. })
    }
}
