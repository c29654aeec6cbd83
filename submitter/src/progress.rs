//! What a submission waits for, told to whoever shows progress (the runner's line for the item
//! under way), without the submitter knowing who that is: a task-local callback that
//! [`scope`] sets around a piece of work and [`waiting`] calls, when set.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! use std::sync::{Arc, Mutex};
//! use std::time::Instant;
//! let seen = Arc::new(Mutex::new(Vec::new()));
//! let sink = seen.clone();
//! let tell: yarnsec_submitter::progress::Tell = Arc::new(move |what: &str, _until: Instant| sink.lock().unwrap().push(what.to_string()));
//! yarnsec_submitter::progress::scope(tell, async { yarnsec_submitter::progress::waiting("the client to submit", Instant::now()) }).await;
//! yarnsec_submitter::progress::waiting("told nobody", Instant::now());
//! assert_eq!(*seen.lock().unwrap(), ["the client to submit"]);
//! # }
//! ```

use std::future::Future;
use std::sync::Arc;
use std::time::Instant;

/// Told what is waited for, and until when.
pub type Tell = Arc<dyn Fn(&str, Instant) + Send + Sync>;

tokio::task_local! {
    static TELL: Tell;
}

/// Runs `work` with `tell` told of every wait inside it.
pub async fn scope<F: Future>(tell: Tell, work: F) -> F::Output {
    TELL.scope(tell, work).await
}

/// Says that the work under way now waits for `what` until `until` (nobody hears it outside a
/// [`scope`]).
pub fn waiting(what: &str, until: Instant) {
    let _ = TELL.try_with(|tell| tell(what, until));
}

/// Says that the work under way waits for nothing any more.
pub fn done() {
    waiting("", Instant::now());
}
