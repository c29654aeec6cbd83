//! One file per operation of the protocol (see [`crate::command`]).

pub mod delete;
pub mod initialize;
pub mod launch;
pub mod list;
pub mod setup;
pub mod signal;
