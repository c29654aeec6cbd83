//! A container's token file as plain facts: each token's alias, kind, service and decoded
//! identifier, or exactly where its bytes stop making sense. Judgments read these; a token that
//! does not decode is a fact of its own, never silently dropped.

use yarnsec_hadoop::token::{Credentials, DelegationIdentifier, Identifier, Token};

use crate::verdict::Evidence;

/// An identifier that does not decode, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Undecodable {
    /// What the decoder said.
    pub detail: String,
    /// Byte offset of the problem inside the identifier.
    pub offset: usize,
}

/// A token in Hadoop's URL-string form, password included: what a client holding the token
/// would present. Never shown (its `Debug` says so).
#[derive(Clone, PartialEq, Eq, Default)]
pub struct SecretToken(pub String);

impl std::fmt::Debug for SecretToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretToken(not shown)")
    }
}

/// One token of a token file (its password only inside [`SecretToken`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileToken {
    /// Its alias in the file.
    pub alias: String,
    /// Its kind, e.g. `HDFS_DELEGATION_TOKEN`.
    pub kind: String,
    /// Its service, e.g. `198.18.7.3:8020`.
    pub service: String,
    /// Its decoded identifier.
    pub identifier: Result<Identifier, Undecodable>,
    /// The one-line summary (no password).
    pub summary: String,
    /// The whole token, to try it the way its holder would.
    pub secret: SecretToken,
}

impl FileToken {
    /// A token as read from a file.
    pub fn from_token(alias: &str, token: &Token) -> Self {
        let identifier = token.identifier().map_err(|e| Undecodable { offset: e.offset(), detail: e.to_string() });
        Self {
            alias: alias.to_string(),
            kind: token.kind.clone(),
            service: token.service.clone(),
            identifier,
            summary: token.summary(),
            secret: SecretToken(token.encode_url_string()),
        }
    }

    /// The delegation-token fields, if it is one and they decode.
    pub fn delegation(&self) -> Option<&DelegationIdentifier> {
        self.identifier.as_ref().ok().and_then(Identifier::as_delegation)
    }

    /// The issuer's sequence number, if it is a delegation token that decodes.
    pub fn sequence(&self) -> Option<i32> {
        self.delegation().map(|d| d.sequence_number)
    }
}

/// A container's token file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum TokenFile {
    /// No token file was found for the container (it never started, or was not kept).
    #[default]
    Missing,
    /// The file is not a token file that decodes.
    Unreadable(Undecodable),
    /// The tokens, in file order.
    Read(Vec<FileToken>),
}

impl TokenFile {
    /// The facts of a token file's bytes (`None`: no file).
    pub fn from_bytes(bytes: Option<&[u8]>) -> Self {
        match bytes.map(Credentials::parse) {
            None => Self::Missing,
            Some(Err(e)) => Self::Unreadable(Undecodable { offset: e.offset(), detail: e.to_string() }),
            Some(Ok(creds)) => Self::Read(creds.tokens.iter().map(|(alias, t)| FileToken::from_token(alias, t)).collect()),
        }
    }

    /// The tokens (none unless the file was read).
    pub fn tokens(&self) -> &[FileToken] {
        match self {
            Self::Read(tokens) => tokens,
            _ => &[],
        }
    }

    /// Whether a file was found and read.
    pub fn is_read(&self) -> bool {
        matches!(self, Self::Read(_))
    }

    /// The tokens of `kind` whose service is `service`.
    pub fn find<'a>(&'a self, kind: &'a str, service: &'a str) -> impl Iterator<Item = &'a FileToken> + 'a {
        self.tokens().iter().filter(move |t| t.kind == kind && t.service == service)
    }

    /// The kinds of its tokens.
    pub fn kinds(&self) -> Vec<&str> {
        self.tokens().iter().map(|t| t.kind.as_str()).collect()
    }

    /// The file as evidence: one line per token, or why there is none.
    pub fn evidence(&self, title: impl Into<String>) -> Evidence {
        let body = match self {
            Self::Missing => "(no token file was found for this container)".to_string(),
            Self::Unreadable(u) => format!("(the token file does not decode at byte {}: {})", u.offset, u.detail),
            Self::Read(tokens) if tokens.is_empty() => "(the token file holds no token)".to_string(),
            Self::Read(tokens) => tokens
                .iter()
                .map(|t| format!("{}: {}", if t.alias.is_empty() { "(no alias)" } else { &t.alias }, t.summary))
                .collect::<Vec<_>>()
                .join("\n"),
        };
        Evidence::new("token", title, body)
    }
}

/// Test fixtures: token files made of tokens with chosen fields.
/// The HDFS delegation tokens for the NameNode whose token service is `namenode` (`ip:port`) in a
/// token file (a token for another filesystem, the remote HDFS, does not count).
pub fn namenode_tokens<'c>(namenode: &str, file: &'c TokenFile) -> Vec<&'c FileToken> {
    file.tokens().iter().filter(|t| t.kind == "HDFS_DELEGATION_TOKEN" && t.service == namenode).collect()
}

#[cfg(test)]
pub(crate) mod fixtures {
    use super::*;
    use yarnsec_hadoop::token::IdentifierFormat;

    /// A delegation token of `kind` for `service`, owned by `owner`, renewable by `renewer`.
    pub fn delegation(kind: &str, service: &str, owner: &str, renewer: &str, seq: i32) -> FileToken {
        let id = DelegationIdentifier {
            kind: kind.into(),
            format: IdentifierFormat::Writable,
            owner: owner.into(),
            renewer: renewer.into(),
            real_user: None,
            issue_date: 1_700_000_000_000,
            max_date: 1_700_000_300_000,
            sequence_number: seq,
            master_key_id: 2,
        };
        let token = Token { kind: kind.into(), service: service.into(), identifier: id.to_writable(), ..Token::default() };
        FileToken::from_token(service, &token)
    }

    /// A token whose identifier bytes are garbage.
    pub fn garbage(kind: &str, service: &str) -> FileToken {
        let token = Token { kind: kind.into(), service: service.into(), identifier: vec![7, 1, 2], ..Token::default() };
        FileToken::from_token(service, &token)
    }

    /// A token of a kind that is not a delegation token (the AM/RM token).
    pub fn opaque(kind: &str) -> FileToken {
        let token = Token { kind: kind.into(), service: "198.18.7.3:8030".into(), identifier: vec![1, 2, 3], ..Token::default() };
        FileToken::from_token("", &token)
    }

    /// A read token file.
    pub fn file(tokens: Vec<FileToken>) -> TokenFile {
        TokenFile::Read(tokens)
    }
}
