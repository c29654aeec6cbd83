//! The "YARN Application Security" checklist as scenarios against a real secure cluster.
//!
//! ```text
//! checklist.rs  the 32 items with their exact text (C1–C7, A1–A7, K1–K2, L1–L7, T1–T9)
//! verdict.rs    Status, Evidence, Verdict, ItemResult: what every report writer reads
//! context.rs    the cluster, the submitter under test, and alice's application run shared by
//!               many items; what each item waits for; the run's own errors
//! facts/        plain facts from the cluster: token files, containers, application runs, what
//!               token issuers logged; items judge these in pure functions
//! fixes.rs      for each item, what to change when it FAILs (the API or setting)
//! error.rs      why an observation could not be made (FAIL when the application is at fault,
//!               SKIPPED when nothing could be judged)
//! items/        one module per checklist section; `judge(id)` runs an item's scenario
//! timeline/     pictures of time (T5, A3, A4, L1–L7): an application, its user's tickets and its
//!               tokens on one axis, drawn as SVG
//! ```
//!
//! The submitter under test (a web service or a command, the probe in its language, the browser
//! that drives a form) is `yarnsec-submitter`'s: the checklist asks it to submit, then judges by
//! what the cluster shows (token files the NodeManager wrote, launch scripts, the NameNode audit
//! log, the ResourceManager's reports), never by what the submitter says about itself.

pub mod checklist;
pub mod context;
pub mod error;
pub mod facts;
pub mod fixes;
pub mod items;
pub mod timeline;
pub mod verdict;

pub use checklist::{ChecklistItem, CHECKLIST};
pub use context::Context;
pub use items::judge;
pub use verdict::{Evidence, ItemResult, Status, Verdict};
pub use yarnsec_submitter::ServiceUnderTest;
