//! The "YARN Application Security" checklist as scenarios.
//!
//! ```text
//! browser.rs    headless Chromium through chromedriver, with a ticket cache of its own (T3)
//! checklist.rs  the 32 items with their exact text (C1–C7, A1–A7, K1–K2, L1–L7, T1–T9)
//! clock.rs      now in epoch milliseconds, and unique names from the clock
//! verdict.rs    Status, Evidence, Verdict, ItemResult: what every report writer reads
//! kinit.rs      MIT kinit into a file cache (a browser's ticket, a ticket that expires on purpose)
//! service.rs    the submission service under test and what it declares
//! service_file.rs  an external service described by a TOML file (`run --service FILE`)
//! command.rs    a command-line submitter run on the edge node as each user (`submit = "command"`)
//! edge_service.rs  a web service run on the edge node (`run_on = "edge"`)
//! context.rs    the cluster, the service, and alice's application run shared by many items
//! facts/        plain facts from the cluster: token files, containers, application runs, what
//!               token issuers logged; items judge these in pure functions
//! error.rs      why an observation could not be made (FAIL when the service is at fault,
//!               SKIPPED when the cluster could not be read)
//! items/        one module per checklist section; `judge(id)` runs an item's scenario
//! ```
//!
//! Scenarios judge by what the cluster shows (token files the NodeManager wrote, launch scripts,
//! the NameNode audit log, HTTP status codes), never by what the service says about itself.

pub mod browser;
pub mod checklist;
pub mod clock;
pub mod command;
pub mod context;
pub mod edge_service;
pub mod error;
pub mod facts;
pub mod items;
pub mod jvm_probe;
pub mod kinit;
pub mod service;
pub mod service_file;
pub mod verdict;
pub mod workload;

pub use checklist::{ChecklistItem, CHECKLIST};
pub use context::Context;
pub use items::judge;
pub use service::ServiceUnderTest;
pub use verdict::{Evidence, ItemResult, Status, Verdict};
