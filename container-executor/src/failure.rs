//! A refusal or failure of the helper: the exit code the NodeManager sees and the line it logs.

use crate::exit::Exit;

/// Why the helper stopped without doing what it was asked.
#[derive(Debug, PartialEq, Eq)]
pub struct Refused {
    /// The exit code.
    pub exit: Exit,
    /// What to tell the NodeManager's log (the helper's stderr).
    pub message: String,
}

impl Refused {
    /// A refusal with `exit` and `message`.
    pub fn new(exit: Exit, message: impl Into<String>) -> Refused {
        Refused { exit, message: message.into() }
    }

    /// A refusal with `exit` whose message is `what` and the cause.
    pub fn because(exit: Exit, what: impl std::fmt::Display, cause: impl std::fmt::Display) -> Refused {
        Refused { exit, message: format!("{what}: {cause}") }
    }
}
