//! Token identifiers: delegation-token identifiers decoded in full (Writable and YARN protobuf forms), other token kinds recognised by name only.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::reader::{Reader, Result, WIRE_LEN, WIRE_VARINT};
use super::writer::{write_pb_bytes_field, write_pb_varint_field, write_text, write_vint, write_vlong};
use super::TokenError;

/// Longest owner/renewer/real-user `Text` accepted in the Writable form:
/// `AbstractDelegationTokenIdentifier.readFields` uses `Text.readFields(in, 1 MiB)`,
/// which rejects lengths of 1 MiB and more.
pub const MAX_WRITABLE_TEXT_LEN: u64 = (1 << 20) - 1;

/// How the identifier of a known token kind is serialized.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KindEncoding {
    /// `AbstractDelegationTokenIdentifier` Writable only (HDFS, WebHDFS, MR, KMS).
    Writable,
    /// `YARNDelegationTokenIdentifierProto`, or the old Writable form (RM, timeline).
    YarnProtobuf,
    /// Some other identifier this module does not decode.
    Opaque,
}

/// Token kinds this module knows, as defined by the Hadoop 3.4 identifier classes.
#[rustfmt::skip]
const KNOWN_KINDS: &[(&str, KindEncoding, &str)] = &[
    ("HDFS_DELEGATION_TOKEN", KindEncoding::Writable, "hdfs namenode delegation token"),
    ("WEBHDFS delegation", KindEncoding::Writable, "webhdfs delegation token"),
    ("SWEBHDFS delegation", KindEncoding::Writable, "swebhdfs delegation token"),
    ("MR_DELEGATION_TOKEN", KindEncoding::Writable, "mapreduce job history delegation token"),
    ("kms-dt", KindEncoding::Writable, "hadoop kms delegation token"),
    ("RM_DELEGATION_TOKEN", KindEncoding::YarnProtobuf, "yarn resourcemanager delegation token"),
    ("TIMELINE_DELEGATION_TOKEN", KindEncoding::YarnProtobuf, "yarn timeline server delegation token"),
    ("YARN_AM_RM_TOKEN", KindEncoding::Opaque, "yarn application master to resourcemanager token"),
    ("ContainerToken", KindEncoding::Opaque, "yarn container token"),
    ("NMToken", KindEncoding::Opaque, "yarn nodemanager token"),
    ("YARN_CLIENT_TOKEN", KindEncoding::Opaque, "yarn client to application master token"),
    ("HDFS_BLOCK_TOKEN", KindEncoding::Opaque, "hdfs block access token"),
    ("Localizer", KindEncoding::Opaque, "yarn nodemanager localizer token"),
    ("DOCKER_CLIENT_CREDENTIAL_TOKEN", KindEncoding::Opaque, "docker registry credentials"),
];

fn kind_encoding(kind: &str) -> Option<KindEncoding> {
    KNOWN_KINDS.iter().find(|(k, ..)| *k == kind).map(|&(_, e, _)| e)
}

/// A short lowercase description of a token kind Hadoop defines, e.g.
/// `"yarn container token"` for `ContainerToken`; `None` for other kinds.
pub fn describe_kind(kind: &str) -> Option<&'static str> {
    KNOWN_KINDS.iter().find(|(k, ..)| *k == kind).map(|&(.., d)| d)
}

/// A decoded token identifier.
///
/// ```
/// use yarnsec_hadoop::token::{DelegationIdentifier, Identifier, IdentifierFormat};
///
/// let id = DelegationIdentifier {
///     kind: "HDFS_DELEGATION_TOKEN".into(),
///     format: IdentifierFormat::Writable,
///     owner: "alice/gw.example.com@EXAMPLE.COM".into(),
///     renewer: "rm".into(),
///     real_user: None,
///     issue_date: 1_700_000_000_000,
///     max_date: 1_700_604_800_000,
///     sequence_number: 3,
///     master_key_id: 7,
/// };
/// let decoded = Identifier::decode("HDFS_DELEGATION_TOKEN", &id.to_writable())?;
/// let Identifier::Delegation(back) = decoded else { panic!("not a delegation token") };
/// assert_eq!(back.owner_short_name(), "alice");
/// assert_eq!(back, id);
///
/// let other = Identifier::decode("ContainerToken", &[1, 2, 3])?;
/// assert_eq!(other, Identifier::Other { kind: "ContainerToken".into(), bytes_len: 3 });
/// # Ok::<(), yarnsec_hadoop::token::TokenError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identifier {
    /// A delegation-token identifier (`AbstractDelegationTokenIdentifier` and subclasses).
    Delegation(DelegationIdentifier),
    /// A kind whose identifier is not decoded here (YARN AM-RM, container, NM,
    /// HDFS block tokens and any unknown kind).
    Other {
        /// The token kind.
        kind: String,
        /// Length of the identifier in bytes.
        bytes_len: usize,
    },
}

impl Identifier {
    /// Decodes the identifier bytes of a token of the given kind.
    ///
    /// * `HDFS_DELEGATION_TOKEN`, `WEBHDFS delegation`, `SWEBHDFS delegation`,
    ///   `MR_DELEGATION_TOKEN` and `kms-dt` use the Writable form only (as in
    ///   Hadoop 3.4; a version byte other than 0 is an error).
    /// * `RM_DELEGATION_TOKEN` and `TIMELINE_DELEGATION_TOKEN` use the protobuf
    ///   form; a first byte of 0 (never valid protobuf) selects the old Writable form.
    /// * Every other kind becomes [`Identifier::Other`] without decoding.
    pub fn decode(kind: &str, bytes: &[u8]) -> Result<Self> {
        let decoded = match kind_encoding(kind) {
            Some(KindEncoding::Writable) => DelegationIdentifier::decode_writable(kind, bytes)?,
            Some(KindEncoding::YarnProtobuf) => DelegationIdentifier::decode_any(kind, bytes)?,
            Some(KindEncoding::Opaque) | None => return Ok(Self::Other { kind: kind.to_owned(), bytes_len: bytes.len() }),
        };
        Ok(Self::Delegation(decoded))
    }

    /// The token kind this identifier belongs to.
    pub fn kind(&self) -> &str {
        match self {
            Self::Delegation(id) => &id.kind,
            Self::Other { kind, .. } => kind,
        }
    }

    /// The delegation-token fields, if this is a delegation token.
    pub fn as_delegation(&self) -> Option<&DelegationIdentifier> {
        match self {
            Self::Delegation(id) => Some(id),
            Self::Other { .. } => None,
        }
    }
}

impl fmt::Display for Identifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Delegation(id) => write!(f, "kind={} {id}", display_field(&id.kind)),
            Self::Other { kind, bytes_len } => {
                write!(f, "kind={} identifier_bytes={bytes_len}", display_field(kind))
            }
        }
    }
}

/// How a delegation-token identifier was (or is to be) serialized.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentifierFormat {
    /// `AbstractDelegationTokenIdentifier.write`: version byte 0, `Text`
    /// owner, renewer and real user, vlong issue and max dates, vint sequence
    /// number and master key id.
    Writable,
    /// `YARNDelegationTokenIdentifierProto` (owner=1, renewer=2, realUser=3,
    /// issueDate=4, maxDate=5, sequenceNumber=6, masterKeyId=7), as YARN writes
    /// RM and timeline delegation tokens.
    Protobuf,
}

/// The fields of a Hadoop delegation-token identifier.
///
/// See [`Identifier`] for an example.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DelegationIdentifier {
    /// The token kind the identifier was decoded for.
    pub kind: String,
    /// The serialization it was decoded from.
    pub format: IdentifierFormat,
    /// Effective user the token acts for (a Kerberos principal or short name).
    pub owner: String,
    /// User allowed to renew the token.
    pub renewer: String,
    /// Real (proxying) user, `None` when empty.
    pub real_user: Option<String>,
    /// Issue time, milliseconds since the Unix epoch.
    pub issue_date: i64,
    /// Time after which the token can no longer be renewed, milliseconds since the Unix epoch.
    pub max_date: i64,
    /// Sequence number assigned by the issuing secret manager.
    pub sequence_number: i32,
    /// Id of the master key the password was derived from.
    pub master_key_id: i32,
}

impl DelegationIdentifier {
    /// Decodes the Writable form (`AbstractDelegationTokenIdentifier.readFields`).
    ///
    /// Bytes after the master key id are ignored, as Hadoop does (subclasses
    /// such as S3A's append fields of their own).
    pub fn decode_writable(kind: &str, bytes: &[u8]) -> Result<Self> {
        let mut r = Reader::new(bytes);
        let version = r.u8("delegation token identifier version")?;
        if version != 0 {
            return Err(TokenError::UnsupportedVersion {
                what: "delegation token identifier",
                offset: 0,
                version,
                supported: "0 (the AbstractDelegationTokenIdentifier writable form)",
            });
        }
        let max = MAX_WRITABLE_TEXT_LEN;
        let owner = r.text_max("identifier owner", max)?.to_owned();
        let renewer = r.text_max("identifier renewer", max)?.to_owned();
        let real_user = r.text_max("identifier real user", max)?;
        Ok(Self {
            kind: kind.to_owned(),
            format: IdentifierFormat::Writable,
            owner,
            renewer,
            real_user: non_empty(real_user),
            issue_date: r.vlong("identifier issue date")?,
            max_date: r.vlong("identifier max date")?,
            sequence_number: r.vint("identifier sequence number")?,
            master_key_id: r.vint("identifier master key id")?,
        })
    }

    /// Decodes a `YARNDelegationTokenIdentifierProto` message filling all of `bytes`.
    ///
    /// Absent fields take protobuf defaults (empty strings, zero); unknown
    /// fields, and known field numbers with an unexpected wire type, are
    /// skipped as protobuf-java does.
    pub fn decode_protobuf(kind: &str, bytes: &[u8]) -> Result<Self> {
        const MSG: &str = "YARNDelegationTokenIdentifierProto";
        let mut r = Reader::new(bytes);
        let mut id = Self {
            kind: kind.to_owned(),
            format: IdentifierFormat::Protobuf,
            owner: String::new(),
            renewer: String::new(),
            real_user: None,
            issue_date: 0,
            max_date: 0,
            sequence_number: 0,
            master_key_id: 0,
        };
        while let Some((field, wire)) = r.pb_key(MSG)? {
            match (field, wire) {
                (1, WIRE_LEN) => id.owner = r.pb_string("identifier owner")?.to_owned(),
                (2, WIRE_LEN) => id.renewer = r.pb_string("identifier renewer")?.to_owned(),
                (3, WIRE_LEN) => id.real_user = non_empty(r.pb_string("identifier real user")?),
                (4, WIRE_VARINT) => id.issue_date = r.pb_varint("identifier issue date")? as i64,
                (5, WIRE_VARINT) => id.max_date = r.pb_varint("identifier max date")? as i64,
                // int32 fields are sign-extended varints; protobuf keeps the low 32 bits.
                (6, WIRE_VARINT) => id.sequence_number = r.pb_varint("identifier sequence number")? as i32,
                (7, WIRE_VARINT) => id.master_key_id = r.pb_varint("identifier master key id")? as i32,
                _ => r.pb_skip(wire, MSG)?,
            }
        }
        Ok(id)
    }

    /// Decodes either form: a first byte of 0 (the Writable version byte,
    /// never a valid protobuf key) means Writable, anything else protobuf.
    /// Empty input is an error.
    pub fn decode_any(kind: &str, bytes: &[u8]) -> Result<Self> {
        match bytes.first() {
            None => Err(TokenError::Truncated { what: "delegation token identifier", offset: 0, needed: 1, available: 0 }),
            Some(0) => Self::decode_writable(kind, bytes),
            Some(_) => Self::decode_protobuf(kind, bytes),
        }
    }

    /// Encodes the Writable form, as `AbstractDelegationTokenIdentifier.write` does.
    pub fn to_writable(&self) -> Vec<u8> {
        let mut out = vec![0];
        write_text(&mut out, &self.owner);
        write_text(&mut out, &self.renewer);
        write_text(&mut out, self.real_user.as_deref().unwrap_or(""));
        write_vlong(&mut out, self.issue_date);
        write_vlong(&mut out, self.max_date);
        write_vint(&mut out, self.sequence_number);
        write_vint(&mut out, self.master_key_id);
        out
    }

    /// Encodes a `YARNDelegationTokenIdentifierProto`, leaving out fields
    /// that hold their default (empty or zero), as YARN's writer does.
    pub fn to_protobuf(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let strings = [(1, self.owner.as_str()), (2, self.renewer.as_str()), (3, self.real_user.as_deref().unwrap_or(""))];
        for (field, value) in strings.into_iter().filter(|(_, v)| !v.is_empty()) {
            write_pb_bytes_field(&mut out, field, value.as_bytes());
        }
        let numbers = [(4, self.issue_date), (5, self.max_date), (6, self.sequence_number.into()), (7, self.master_key_id.into())];
        for (field, value) in numbers.into_iter().filter(|&(_, v)| v != 0) {
            write_pb_varint_field(&mut out, field, value as u64);
        }
        out
    }

    /// Encodes in the given format.
    pub fn encode(&self, format: IdentifierFormat) -> Vec<u8> {
        match format {
            IdentifierFormat::Writable => self.to_writable(),
            IdentifierFormat::Protobuf => self.to_protobuf(),
        }
    }

    /// [`Self::issue_date`] as a [`SystemTime`].
    pub fn issue_time(&self) -> SystemTime {
        millis_to_system_time(self.issue_date)
    }

    /// [`Self::max_date`] as a [`SystemTime`].
    pub fn max_time(&self) -> SystemTime {
        millis_to_system_time(self.max_date)
    }

    /// The owner without `/host` and `@REALM`, e.g. `alice` for
    /// `alice/gw.example.com@EXAMPLE.COM`. (Hadoop maps principals with
    /// `auth_to_local` rules; this is the common default outcome.)
    pub fn owner_short_name(&self) -> &str {
        short_name(&self.owner)
    }
}

impl fmt::Display for DelegationIdentifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "owner={} renewer={} real_user={} issued={} max={} seq={} master_key={}",
            display_field(&self.owner),
            display_field(&self.renewer),
            display_field(self.real_user.as_deref().unwrap_or("")),
            format_millis(self.issue_date),
            format_millis(self.max_date),
            self.sequence_number,
            self.master_key_id,
        )
    }
}

fn non_empty(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_owned())
}

fn short_name(principal: &str) -> &str {
    principal.split(['/', '@']).next().unwrap_or(principal)
}

/// Converts milliseconds since the epoch; values a platform cannot
/// represent (far beyond year 30000 on Windows) come back as the epoch itself.
fn millis_to_system_time(millis: i64) -> SystemTime {
    let span = Duration::from_millis(millis.unsigned_abs());
    let time = if millis >= 0 { UNIX_EPOCH.checked_add(span) } else { UNIX_EPOCH.checked_sub(span) };
    time.unwrap_or(UNIX_EPOCH)
}

/// Formats milliseconds since the epoch as an RFC 3339 UTC timestamp.
fn format_millis(millis: i64) -> String {
    let (secs, milli) = (millis.div_euclid(1000), millis.rem_euclid(1000));
    let (days, day_secs) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    let (hour, minute, second) = (day_secs / 3600, day_secs / 60 % 60, day_secs % 60);
    let frac = if milli == 0 { String::new() } else { format!(".{milli:03}") };
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}{frac}Z")
}

/// Year, month and day of a day count since 1970-01-01 (proleptic Gregorian;
/// Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Formats a value for `key=value` summaries: `-` when empty, quoted when it
/// contains whitespace, quotes, `=` or control characters.
pub(super) fn display_field(value: &str) -> String {
    let plain = |c: char| !(c.is_whitespace() || c.is_control() || c == '"' || c == '=');
    if value.is_empty() {
        "-".to_owned()
    } else if value.chars().all(plain) {
        value.to_owned()
    } else {
        format!("{value:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::fixtures::{hex, HDFS_IDENTIFIER_HEX, RM_IDENTIFIER_HEX};
    use super::*;

    fn hdfs() -> DelegationIdentifier {
        DelegationIdentifier {
            kind: "HDFS_DELEGATION_TOKEN".into(),
            format: IdentifierFormat::Writable,
            owner: "alice@EXAMPLE.COM".into(),
            renewer: "rm".into(),
            real_user: None,
            issue_date: 1_700_000_000_000,
            max_date: 1_700_604_800_000,
            sequence_number: 3,
            master_key_id: 7,
        }
    }

    fn rm() -> DelegationIdentifier {
        DelegationIdentifier {
            kind: "RM_DELEGATION_TOKEN".into(),
            format: IdentifierFormat::Protobuf,
            owner: "bob/gw.example.com@EXAMPLE.COM".into(),
            renewer: "yarn".into(),
            real_user: Some("oozie".into()),
            issue_date: 1_700_000_000_000,
            max_date: 1_700_604_800_000,
            sequence_number: 42,
            master_key_id: -5,
        }
    }

    #[test]
    fn decodes_hand_written_writable_fixture() {
        let bytes = hex(HDFS_IDENTIFIER_HEX);
        let id = Identifier::decode("HDFS_DELEGATION_TOKEN", &bytes).unwrap();
        assert_eq!(id, Identifier::Delegation(hdfs()));
        assert_eq!(hdfs().to_writable(), bytes);
        let web = Identifier::decode("WEBHDFS delegation", &bytes).unwrap();
        assert_eq!(web.as_delegation().unwrap().owner, "alice@EXAMPLE.COM");
    }

    #[test]
    fn decodes_hand_written_yarn_protobuf_fixture() {
        let bytes = hex(RM_IDENTIFIER_HEX);
        let id = Identifier::decode("RM_DELEGATION_TOKEN", &bytes).unwrap();
        assert_eq!(id, Identifier::Delegation(rm()));
        assert_eq!(rm().to_protobuf(), bytes);
        assert_eq!(id.as_delegation().unwrap().owner_short_name(), "bob");
    }

    #[test]
    fn yarn_kinds_also_accept_the_old_writable_form() {
        let mut old = rm();
        old.format = IdentifierFormat::Writable;
        old.kind = "TIMELINE_DELEGATION_TOKEN".into();
        let id = Identifier::decode("TIMELINE_DELEGATION_TOKEN", &old.to_writable()).unwrap();
        assert_eq!(id, Identifier::Delegation(old));
    }

    #[test]
    fn protobuf_skips_unknown_fields_and_defaults_missing_ones() {
        // field 9 varint 1, field 10 fixed32, field 11 fixed64, field 12 bytes, then owner "x".
        let bytes = hex("4801 5501020304 59 0102030405060708 6201ff 0a0178");
        let id = DelegationIdentifier::decode_protobuf("RM_DELEGATION_TOKEN", &bytes).unwrap();
        assert_eq!(id.owner, "x");
        assert_eq!((id.renewer.as_str(), id.real_user.as_deref()), ("", None));
        assert_eq!((id.issue_date, id.master_key_id), (0, 0));
        let err = DelegationIdentifier::decode_protobuf("k", &hex("0a0178 0b")).unwrap_err();
        assert_eq!(err, TokenError::BadProtobufKey { what: "YARNDelegationTokenIdentifierProto", offset: 3, field: 1, wire_type: 3 });
    }

    #[test]
    fn writable_errors_name_offsets() {
        let mut bytes = hex(HDFS_IDENTIFIER_HEX);
        bytes[0] = 1;
        assert_eq!(
            Identifier::decode("HDFS_DELEGATION_TOKEN", &bytes).unwrap_err(),
            TokenError::UnsupportedVersion {
                what: "delegation token identifier",
                offset: 0,
                version: 1,
                supported: "0 (the AbstractDelegationTokenIdentifier writable form)"
            }
        );
        // Invalid UTF-8 in the renewer: 0x02 'r' 0xff at offsets 19..22.
        let mut bytes = hex(HDFS_IDENTIFIER_HEX);
        bytes[21] = 0xff;
        assert_eq!(
            Identifier::decode("HDFS_DELEGATION_TOKEN", &bytes).unwrap_err(),
            TokenError::InvalidUtf8 { what: "identifier renewer", offset: 21 }
        );
        // Owner length of exactly 1 MiB is over Hadoop's limit.
        let huge = hex("00 8d 100000");
        assert!(matches!(
            Identifier::decode("MR_DELEGATION_TOKEN", &huge).unwrap_err(),
            TokenError::LengthTooLarge { offset: 1, len: 0x10_0000, .. }
        ));
        assert!(matches!(Identifier::decode("RM_DELEGATION_TOKEN", &[]).unwrap_err(), TokenError::Truncated { offset: 0, .. }));
    }

    #[test]
    fn other_kinds_are_named_not_decoded() {
        for kind in ["YARN_AM_RM_TOKEN", "ContainerToken", "NMToken", "HDFS_BLOCK_TOKEN"] {
            let id = Identifier::decode(kind, &[0xff; 5]).unwrap();
            assert_eq!(id, Identifier::Other { kind: kind.into(), bytes_len: 5 });
            assert!(describe_kind(kind).is_some());
        }
        assert_eq!(Identifier::decode("HIVE_DELEGATION_TOKEN", &[]).unwrap().kind(), "HIVE_DELEGATION_TOKEN");
        assert_eq!(describe_kind("HIVE_DELEGATION_TOKEN"), None);
    }

    #[test]
    fn times_and_names() {
        let id = hdfs();
        let since = id.issue_time().duration_since(UNIX_EPOCH).unwrap();
        assert_eq!(since.as_millis(), 1_700_000_000_000);
        assert_eq!(id.max_time().duration_since(id.issue_time()).unwrap(), Duration::from_secs(7 * 86_400));
        assert_eq!(millis_to_system_time(-1000), UNIX_EPOCH - Duration::from_secs(1));
        assert_eq!(format_millis(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_millis(951_782_400_123), "2000-02-29T00:00:00.123Z");
        assert_eq!(format_millis(-1), "1969-12-31T23:59:59.999Z");
        format_millis(i64::MIN);
        format_millis(i64::MAX);
        assert_eq!(short_name("alice"), "alice");
        assert_eq!(short_name("nn/host@REALM"), "nn");
        assert_eq!(short_name("bob@REALM"), "bob");
        assert_eq!(display_field("WEBHDFS delegation"), "\"WEBHDFS delegation\"");
    }

    #[test]
    fn display_shows_all_fields() {
        assert_eq!(
            Identifier::Delegation(rm()).to_string(),
            "kind=RM_DELEGATION_TOKEN owner=bob/gw.example.com@EXAMPLE.COM renewer=yarn real_user=oozie \
             issued=2023-11-14T22:13:20Z max=2023-11-21T22:13:20Z seq=42 master_key=-5"
        );
    }
}
