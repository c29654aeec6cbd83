//! HTTP to Hadoop daemons with SPNEGO, reaching container addresses while naming their hosts.

mod client;
mod error;

pub use client::{Auth, HttpResponse, SpnegoClient};
pub use error::HttpError;
