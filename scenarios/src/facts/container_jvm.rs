//! The JVM where a user's container code runs, seen while it works: the container-code items
//! (K1–K2) judge it. yarnsec submits its JVM probe in the long-lived mode (it writes the user's
//! HDFS home every few seconds and never returns), finds the container whose log shows the probe
//! (a container the ApplicationMaster launched, else the AM's own), and after one token renew
//! interval of that JVM's life takes the classes it has loaded (`jcmd VM.class_hierarchy`) and a
//! thread dump; then the application is killed. Only a probe that ran inside the framework's own
//! JVM (`YarnsecProbe.run()`, `probe=in-process`) shows the team's container code: a probe run as
//! a program of its own is yarnsec's code alone, and that is said.

use std::time::Duration;

use crate::facts::container::ContainerFacts;

/// The JVM of one container, as yarnsec saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContainerJvm {
    /// The application.
    pub app_id: String,
    /// The container.
    pub container: String,
    /// Whether it is the ApplicationMaster's own container.
    pub application_master: bool,
    /// Whether the probe ran inside this JVM (`YarnsecProbe.run()`), not as a JVM of its own.
    pub in_process: bool,
    /// The classes it had loaded (`jcmd VM.class_hierarchy`), or why they could not be had.
    pub classes: Result<String, String>,
    /// Its thread dump, or why none could be taken.
    pub dump: Result<String, String>,
    /// How long the JVM had lived when both were taken.
    pub lived: Duration,
    /// Whether the probe's write to HDFS had worked in it by then (`put=ok`).
    pub wrote: bool,
}

/// The container whose logs show the probe: one the AM launched first, else the AM's own.
pub fn probe_container(containers: &[ContainerFacts]) -> Option<&ContainerFacts> {
    let shows = |c: &&ContainerFacts| c.logs.values().any(|t| t.lines().any(|l| l.trim().starts_with("probe=")));
    containers.iter().filter(|c| !c.is_application_master()).find(shows).or_else(|| containers.iter().find(shows))
}
