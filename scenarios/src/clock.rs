//! Wall-clock readings the scenarios share: times to compare with the cluster's own (audit log,
//! token dates) and names no other run picks at the same moment.
//!
//! ```
//! let before = yarnsec_scenarios::clock::epoch_ms();
//! assert!(yarnsec_scenarios::clock::unique_nanos() > before as u128);
//! ```

/// Now, in milliseconds since the epoch.
pub fn epoch_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or_default()
}

/// Now, in nanoseconds since the epoch: a name no other run picks at the same time.
pub fn unique_nanos() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or_default()
}
