//! Turns among one process's web submissions to a cluster.
//!
//! A web submission's application is found at the ResourceManager by what the answer names, by
//! the name yarnsec asked for, or, for a service that does neither, as the only new application
//! of the user while the submission was under way ([`crate::found`]). That last rule holds only
//! if no other submission of the process was under way meanwhile; and the checklist's T6 ties
//! what appeared during a refused attempt (applications, tokens, staged files from the service's
//! address) to that attempt, which holds only if the same service submitted nothing else
//! meanwhile.
//!
//! So a service's submissions never overlap each other, and a submission that may have to be
//! found by time alone ([`Turns::turn`] with `alone`) overlaps nothing; the others overlap
//! those of other services. A run against one service is thus one submission at a time; the
//! fault matrix's dozen services, each seen to name its applications, submit side by side.
//!
//! ```
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! use yarnsec_submitter::turn::Turns;
//! let turns = Turns::default();
//! let a = turns.turn("http://a:8080", false).await;
//! // Another service's submission overlaps it; one of a's own would wait.
//! let b = turns.turn("http://b:8080", false).await;
//! assert!(!a.alone() && !b.alone());
//! assert!(turns.try_turn("http://a:8080", false).is_none());
//! drop((a, b));
//! assert!(turns.try_turn("http://a:8080", true).is_some_and(|t| t.alone()));
//! # });
//! ```

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use tokio::sync::{Mutex as AsyncMutex, OwnedMutexGuard, OwnedRwLockReadGuard, OwnedRwLockWriteGuard, RwLock};

/// The turns of one process's submissions to one cluster.
#[derive(Debug, Default)]
pub struct Turns {
    /// Held exclusively by a submission that must be alone, shared by the others.
    all: Arc<RwLock<()>>,
    /// Each service's own turn, by its address.
    services: Mutex<HashMap<String, Arc<AsyncMutex<()>>>>,
    /// The services seen to name their applications (in their answer, or as asked).
    naming: Mutex<HashSet<String>>,
}

/// A submission's turn: the others it must not overlap wait until it is dropped.
#[derive(Debug)]
pub struct Turn {
    _service: OwnedMutexGuard<()>,
    all: AllGuard,
}

#[derive(Debug)]
enum AllGuard {
    Alone(#[allow(dead_code)] OwnedRwLockWriteGuard<()>),
    Beside(#[allow(dead_code)] OwnedRwLockReadGuard<()>),
}

impl Turn {
    /// Whether no other submission of the process is under way while it is held (a submission
    /// may then be found as the only new application of its user).
    pub fn alone(&self) -> bool {
        matches!(self.all, AllGuard::Alone(_))
    }
}

impl Turns {
    fn service(&self, service: &str) -> Arc<AsyncMutex<()>> {
        let mut services = self.services.lock().unwrap_or_else(|p| p.into_inner());
        services.entry(service.to_string()).or_default().clone()
    }

    /// Waits for the turn of a submission to the service at `service` (its base URL): after the
    /// service's other submissions, and, when `alone`, until no other submission is under way
    /// (while it waits, no new one starts).
    pub async fn turn(&self, service: &str, alone: bool) -> Turn {
        let own = self.service(service).lock_owned().await;
        let all = if alone {
            AllGuard::Alone(self.all.clone().write_owned().await)
        } else {
            AllGuard::Beside(self.all.clone().read_owned().await)
        };
        Turn { _service: own, all }
    }

    /// The turn, if it is free now.
    pub fn try_turn(&self, service: &str, alone: bool) -> Option<Turn> {
        let own = self.service(service).try_lock_owned().ok()?;
        let all = if alone {
            AllGuard::Alone(self.all.clone().try_write_owned().ok()?)
        } else {
            AllGuard::Beside(self.all.clone().try_read_owned().ok()?)
        };
        Some(Turn { _service: own, all })
    }

    /// Notes whether a submission to `service` was found by what its answer named or by the
    /// name yarnsec asked for (`false`: it was not, or could not be found).
    pub fn note_naming(&self, service: &str, named: bool) {
        let mut naming = self.naming.lock().unwrap_or_else(|p| p.into_inner());
        if named {
            naming.insert(service.to_string());
        } else {
            naming.remove(service);
        }
    }

    /// Whether a submission to `service` was found by what its answer named or by the name asked
    /// for: its next ones need not be alone.
    pub fn names(&self, service: &str) -> bool {
        self.naming.lock().unwrap_or_else(|p| p.into_inner()).contains(service)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn a_turn_alone_waits_for_every_other_and_holds_off_new_ones() {
        let turns = Arc::new(Turns::default());
        let beside = turns.turn("http://a", false).await;
        // An alone turn of another service waits for a's.
        let waiting = {
            let turns = turns.clone();
            tokio::spawn(async move { turns.turn("http://b", true).await.alone() })
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!waiting.is_finished());
        // While it waits, a third service's turn does not slip in before it.
        assert!(turns.try_turn("http://c", false).is_none());
        drop(beside);
        assert!(waiting.await.unwrap());
        assert!(turns.try_turn("http://c", false).is_some());
    }

    #[test]
    fn services_seen_naming_are_remembered_by_address_until_one_does_not() {
        let turns = Turns::default();
        assert!(!turns.names("http://a"));
        turns.note_naming("http://a", true);
        assert!(turns.names("http://a") && !turns.names("http://b"));
        turns.note_naming("http://a", false);
        assert!(!turns.names("http://a"));
    }
}
