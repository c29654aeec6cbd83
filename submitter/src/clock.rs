//! Wall-clock readings the submitter and the checklist share: times to compare with the cluster's own (audit log,
//! token dates) and names no other run picks at the same moment.
//!
//! ```
//! let ms = yarnsec_submitter::clock::epoch_ms();
//! let name = format!("yarnsec-probe-{}", yarnsec_submitter::clock::unique_nanos());
//! // Read later, the nanoseconds are not behind the milliseconds.
//! assert!(name["yarnsec-probe-".len()..].parse::<u128>().unwrap() / 1_000_000 >= ms as u128);
//! ```

/// Now, in milliseconds since the epoch.
pub fn epoch_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or_default()
}

/// Now, in nanoseconds since the epoch: a name no other run picks at the same time.
pub fn unique_nanos() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or_default()
}
