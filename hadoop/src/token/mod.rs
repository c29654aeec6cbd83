//! Decoding and encoding of Apache Hadoop security tokens: `Token` (Writable
//! form and `Token.encodeToUrlString` strings), delegation-token identifiers
//! (Writable and YARN protobuf forms) and `Credentials` token storage files
//! (`HDTS` versions 0 and 1). Decoders never panic on malformed input; every
//! [`TokenError`] names the byte offset of the problem, and summaries never
//! show passwords or secrets.

mod credentials;
mod error;
mod identifier;
pub mod logged;
pub mod reader;
#[cfg(test)]
mod tests;
#[allow(clippy::module_inception)]
mod token;
pub mod writer;

pub use credentials::{Credentials, MAGIC};
pub use error::TokenError;
pub use identifier::{describe_kind, DelegationIdentifier, Identifier, IdentifierFormat, MAX_WRITABLE_TEXT_LEN};
pub use reader::Reader;
pub use token::Token;
