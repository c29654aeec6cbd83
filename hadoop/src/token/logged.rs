//! Delegation-token identifiers as Hadoop's daemons write them in their logs.
//!
//! Every secret manager (NameNode, ResourceManager, timeline server) logs the tokens it creates,
//! renews and cancels, through `AbstractDelegationTokenSecretManager.formatTokenId`:
//!
//! ```text
//! Creating password for identifier: (token for alice: HDFS_DELEGATION_TOKEN owner=alice, renewer=yarn, realUser=, issueDate=1796138460769, maxDate=1796138760769, sequenceNumber=4, masterKeyId=2), currentKey: 2
//! Token cancellation requested for identifier: (TIMELINE_DELEGATION_TOKEN owner=alice, renewer=yarn, realUser=yarnsec, issueDate=1796138460827, maxDate=1796138760827, sequenceNumber=1, masterKeyId=2)
//! ```
//!
//! These lines are what the issuer itself says happened to a token, which is what a verdict
//! about acquiring, renewing or cancelling tokens should rest on.
//!
//! ```
//! use yarnsec_hadoop::token::logged::{parse_event, TokenAction};
//! let line = "2026-12-01 15:21:15,320 INFO delegation.AbstractDelegationTokenSecretManager: Token cancellation requested for identifier: (token for alice: HDFS_DELEGATION_TOKEN owner=alice, renewer=yarn, realUser=, issueDate=1796138460773, maxDate=1796138760773, sequenceNumber=6, masterKeyId=2)";
//! let event = parse_event(line).unwrap();
//! assert_eq!(event.action, TokenAction::Cancelled);
//! assert_eq!((event.id.owner.as_str(), event.id.sequence_number), ("alice", 6));
//! assert_eq!(event.time, "2026-12-01 15:21:15,320");
//! ```

/// The fields of an identifier as a daemon logged it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoggedIdentifier {
    /// Token kind, e.g. `HDFS_DELEGATION_TOKEN`.
    pub kind: String,
    /// The user the token acts for.
    pub owner: String,
    /// The user allowed to renew it.
    pub renewer: String,
    /// The proxying user (empty when none).
    pub real_user: String,
    /// Issue time, milliseconds since the epoch.
    pub issue_date: i64,
    /// Renewal limit, milliseconds since the epoch.
    pub max_date: i64,
    /// The issuer's sequence number.
    pub sequence_number: i32,
    /// The master key id.
    pub master_key_id: i32,
}

/// What a secret manager did to a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenAction {
    /// It issued the token (`Creating password for identifier`).
    Created,
    /// It renewed the token (`Token renewal for identifier`).
    Renewed,
    /// It cancelled the token at someone's request (`Token cancellation requested for identifier`).
    Cancelled,
}

/// One logged event of a token's life.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenEvent {
    /// The log line's time stamp as written (`2026-12-01 15:21:15,320`), empty if the line has
    /// none.
    pub time: String,
    /// What happened.
    pub action: TokenAction,
    /// To which token.
    pub id: LoggedIdentifier,
}

const ACTIONS: [(&str, TokenAction); 3] = [
    ("Creating password for identifier: ", TokenAction::Created),
    ("Token renewal for identifier: ", TokenAction::Renewed),
    (CANCELLATION_MARKER, TokenAction::Cancelled),
];

/// What every line [`parse_event`] reads contains (one of them): a `grep -F` for these in a
/// daemon's log keeps every token event and drops the rest.
///
/// ```
/// use yarnsec_hadoop::token::logged::{parse_event, EVENT_MARKERS};
/// let line = "x: Token renewal for identifier: (TIMELINE_DELEGATION_TOKEN owner=alice, renewer=yarn, realUser=, issueDate=1, maxDate=2, sequenceNumber=3, masterKeyId=4)";
/// assert!(parse_event(line).is_some() && EVENT_MARKERS.iter().any(|m| line.contains(m)));
/// ```
pub const EVENT_MARKERS: [&str; 3] = [ACTIONS[0].0, ACTIONS[1].0, ACTIONS[2].0];

/// What every cancellation line contains (see [`EVENT_MARKERS`]).
pub const CANCELLATION_MARKER: &str = "Token cancellation requested for identifier: ";

/// What every line [`parse_rm_renewal`] reads contains.
pub const RM_RENEWAL_MARKER: &str = "Renewed delegation-token= [";

/// The token event a log line records, if it records one.
pub fn parse_event(line: &str) -> Option<TokenEvent> {
    let (action, rest) = ACTIONS.iter().find_map(|(marker, action)| line.split_once(marker).map(|(_, rest)| (*action, rest)))?;
    let time = line.get(..23).filter(|t| t.as_bytes().get(4) == Some(&b'-') && t.as_bytes().get(10) == Some(&b' ')).unwrap_or("");
    Some(TokenEvent { time: time.to_string(), action, id: parse_identifier(rest)? })
}

/// Parses `(token for alice: KIND owner=…, renewer=…, …, masterKeyId=N)` or
/// `(KIND owner=…, …)`; text after the closing parenthesis is ignored.
pub fn parse_identifier(text: &str) -> Option<LoggedIdentifier> {
    let inner = text.trim_start().strip_prefix('(')?;
    let inner = &inner[..inner.find(')')?];
    // `token for <user>: ` is the HDFS form's prefix.
    let inner = match inner.strip_prefix("token for ") {
        Some(rest) => rest.split_once(": ")?.1,
        None => inner,
    };
    let (kind, fields) = inner.split_once(' ')?;
    let field = |name: &str| -> Option<&str> { fields.split(", ").find_map(|f| f.strip_prefix(name).and_then(|v| v.strip_prefix('='))) };
    Some(LoggedIdentifier {
        kind: kind.to_string(),
        owner: field("owner")?.to_string(),
        renewer: field("renewer")?.to_string(),
        real_user: field("realUser")?.to_string(),
        issue_date: field("issueDate")?.parse().ok()?,
        max_date: field("maxDate")?.parse().ok()?,
        sequence_number: field("sequenceNumber")?.parse().ok()?,
        master_key_id: field("masterKeyId")?.parse().ok()?,
    })
}

/// The ResourceManager's record that it renewed a token on behalf of applications: its
/// `DelegationTokenRenewer` renews every token of a submission once at submission time, so these
/// lines say which tokens each application's launch context holds, as the RM received them.
///
/// `Renewed delegation-token= [Kind: K, Service: S, Ident: (…);exp=…; apps=[application_…]]`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RmRenewal {
    /// The log line's time stamp as written.
    pub time: String,
    /// Token service (`ip:port`).
    pub service: String,
    /// The identifier.
    pub id: LoggedIdentifier,
    /// The applications the RM holds it for.
    pub apps: Vec<String>,
}

/// The RM renewal a log line records, if it records one.
pub fn parse_rm_renewal(line: &str) -> Option<RmRenewal> {
    let rest = line.split_once(RM_RENEWAL_MARKER)?.1;
    let service = rest.split_once("Service: ")?.1.split(',').next()?.trim().to_string();
    let id = parse_identifier(rest.split_once("Ident: ")?.1)?;
    let apps = rest.split_once("apps=[")?.1.split(']').next()?;
    let apps = apps.split(',').map(str::trim).filter(|a| !a.is_empty()).map(str::to_string).collect();
    let time = line.get(..23).filter(|t| t.as_bytes().get(4) == Some(&b'-')).unwrap_or("").to_string();
    Some(RmRenewal { time, service, id, apps })
}

/// A Hadoop log time stamp at the start of a line (`2026-12-01 15:21:15,320`, written in UTC as
/// yarnsec's containers run) in milliseconds since the epoch.
pub fn log_time_ms(line: &str) -> Option<i64> {
    let t = line.get(..23)?;
    let b = t.as_bytes();
    if b[4] != b'-' || b[7] != b'-' || b[10] != b' ' || b[13] != b':' || b[16] != b':' || b[19] != b',' {
        return None;
    }
    let num = |range: std::ops::Range<usize>| t.get(range)?.parse::<i64>().ok();
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second, milli) = (num(11..13)?, num(14..16)?, num(17..19)?, num(20..23)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    // Days since the epoch of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(((days * 24 + hour) * 60 + minute) * 60_000 + second * 1_000 + milli)
}

/// Every token event in a daemon's log, in order.
pub fn events(log: &str) -> Vec<TokenEvent> {
    log.lines().filter_map(parse_event).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const CREATED: &str = "2026-12-01 15:21:00,770 INFO delegation.AbstractDelegationTokenSecretManager: Creating password for identifier: (token for alice: HDFS_DELEGATION_TOKEN owner=alice, renewer=yarn, realUser=, issueDate=1796138460769, maxDate=1796138760769, sequenceNumber=4, masterKeyId=2), currentKey: 2";

    #[test]
    fn both_identifier_forms_are_read() {
        let e = parse_event(CREATED).unwrap();
        assert_eq!(e.action, TokenAction::Created);
        assert_eq!(
            e.id,
            LoggedIdentifier {
                kind: "HDFS_DELEGATION_TOKEN".into(),
                owner: "alice".into(),
                renewer: "yarn".into(),
                real_user: String::new(),
                issue_date: 1796138460769,
                max_date: 1796138760769,
                sequence_number: 4,
                master_key_id: 2,
            }
        );
        let timeline = "x: Token renewal for identifier: (TIMELINE_DELEGATION_TOKEN owner=alice, renewer=yarn, realUser=yarnsec, issueDate=1, maxDate=2, sequenceNumber=3, masterKeyId=4); total currentTokens 9";
        let e = parse_event(timeline).unwrap();
        assert_eq!(
            (e.action, e.id.kind.as_str(), e.id.real_user.as_str(), e.time.as_str()),
            (TokenAction::Renewed, "TIMELINE_DELEGATION_TOKEN", "yarnsec", "")
        );
    }

    #[test]
    fn other_lines_and_damaged_identifiers_are_no_events() {
        assert_eq!(parse_event("2026-12-01 15:21:00,770 INFO namenode.FSNamesystem: Roll Edit Log"), None);
        assert_eq!(parse_event(&CREATED.replace("sequenceNumber=4", "sequenceNumber=x")), None);
        assert_eq!(parse_event(&CREATED.replace("(token for alice", "token for alice")), None);
        assert_eq!(events(&format!("{CREATED}\nnoise\n{CREATED}")).len(), 2);
    }

    #[test]
    fn log_times_are_read_as_utc_milliseconds() {
        assert_eq!(log_time_ms("2026-12-01 15:21:15,320 INFO x"), Some(1_796_138_475_320));
        assert_eq!(log_time_ms("1970-01-01 00:00:00,001"), Some(1));
        assert_eq!(log_time_ms("2024-02-29 12:00:00,000"), Some(1_709_208_000_000));
        assert_eq!(log_time_ms("2026-13-01 15:21:15,320"), None);
        assert_eq!(log_time_ms("x"), None);
    }

    #[test]
    fn the_rm_names_the_service_and_the_applications_of_a_renewed_token() {
        let line = "2026-12-01 15:21:01,680 INFO security.DelegationTokenRenewer: Renewed delegation-token= [Kind: HDFS_DELEGATION_TOKEN, Service: 198.19.169.4:8020, Ident: (token for alice: HDFS_DELEGATION_TOKEN owner=alice, renewer=yarn, realUser=, issueDate=1796138460802, maxDate=1796138760802, sequenceNumber=3, masterKeyId=2);exp=1796138521671; apps=[application_1796138443527_0003, application_1796138443527_0004]]";
        let r = parse_rm_renewal(line).unwrap();
        assert_eq!(r.service, "198.19.169.4:8020");
        assert_eq!(r.id.sequence_number, 3);
        assert_eq!(r.apps, ["application_1796138443527_0003", "application_1796138443527_0004"]);
        assert_eq!(parse_rm_renewal(CREATED), None);
    }

    proptest! {
        #[test]
        fn any_text_parses_without_panicking(text in ".{0,300}") {
            let _ = parse_event(&text);
            let _ = parse_identifier(&text);
            let _ = parse_rm_renewal(&text);
            let _ = log_time_ms(&text);
        }

        #[test]
        fn logged_fields_come_back(owner in "[a-z]{1,8}", renewer in "[a-z]{1,8}", seq in any::<i32>(), issue in any::<i64>()) {
            let line = format!("Creating password for identifier: (token for {owner}: HDFS_DELEGATION_TOKEN owner={owner}, renewer={renewer}, realUser=, issueDate={issue}, maxDate=5, sequenceNumber={seq}, masterKeyId=1), currentKey: 1");
            let e = parse_event(&line).unwrap();
            prop_assert_eq!(e.id.owner, owner);
            prop_assert_eq!(e.id.renewer, renewer);
            prop_assert_eq!(e.id.sequence_number, seq);
            prop_assert_eq!(e.id.issue_date, issue);
        }
    }
}
