//! The submitter under test: a team's web service or command-line client, driven as its users
//! would drive it, and the application each submission led to, found at the ResourceManager.
//! The checklist (`yarnsec-scenarios`) uses it; it knows nothing of the checklist, so adding a
//! kind of submitter touches no item, and adding an item touches no submitter.
//!
//! ```text
//! service.rs       the submitter as the checklist sees it: what it declares, submitting as a user,
//!                  and the Submission (the application found at the ResourceManager, the answer)
//! submission.rs    what a submission led to: the answer as the user saw it, the application found
//! found.rs         finding a submission's application at the ResourceManager (pure rule + polling)
//! declared.rs      what a submitter declares ([features])
//! web.rs           a web service's contract (JSON API, its own form) and its answer as a user sees it
//! command.rs       a command-line submitter run on the edge node as each user
//! edge_service.rs  a web service run on the edge node (`run_on = "edge"`)
//! service_file.rs  a team's submitter described by a TOML file (`run --service FILE`)
//! workload.rs      the probe every submission runs, in the submitter's workload language
//! jvm_probe.rs     the probe as a jar (`workload = "jvm"`), compiled in the cluster
//! browser.rs       headless Chromium through chromedriver, with a ticket cache of its own
//! kinit.rs         MIT kinit into a file cache (a browser's ticket, a ticket that expires on purpose)
//! progress.rs      what a submission waits for, told to whoever shows progress
//! clock.rs         now in epoch milliseconds, and unique names from the clock
//! error.rs         why a submission has no application to judge
//! ```

pub mod browser;
pub mod clock;
pub mod command;
pub mod declared;
pub mod edge_service;
pub mod error;
pub mod found;
pub mod jvm_probe;
pub mod kinit;
pub mod progress;
pub mod service;
pub mod service_file;
pub mod submission;
pub mod turn;
pub mod web;
pub mod workload;

pub use error::SubmitError;
pub use service::{Request, ServiceUnderTest};
pub use submission::Submission;
