//! What the token issuers and the ResourceManager say happened to tokens, in their own logs:
//! which tokens each issuer (NameNode, remote NameNode, timeline server) created, renewed and
//! cancelled, who asked for each (the client's address, from the NameNodes' audit logs and the
//! timeline server's request log), and which tokens the ResourceManager holds for which
//! application. A token in a launch context is tied to these lines by its issuer (token service)
//! and sequence number.

use yarnsec_hadoop::token::logged::{self, LoggedIdentifier, RmRenewal, TokenAction, TokenEvent};
use yarnsec_harness::layout::ports;
use yarnsec_harness::SecureCluster;

use crate::error::ObserveError;

/// One issuer's log, read as token events.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Issuer {
    /// `NameNode`, `remote NameNode`, `timeline server`.
    pub name: String,
    /// The token service its tokens name (`ip:port`).
    pub service: String,
    /// Its token events, in log order.
    pub events: Vec<TokenEvent>,
}

/// Who asked an issuer for a token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Requester {
    /// The client at this address.
    Address(String),
    /// Requests from several addresses came in at the same moment: it cannot be told.
    Ambiguous(Vec<String>),
}

/// One thing an issuer did to a token, and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenMoment {
    /// The token's service (its issuer).
    pub service: String,
    /// The token's sequence number.
    pub sequence: i32,
    /// Created, renewed or cancelled.
    pub action: TokenAction,
    /// When the issuer logged it, ms since the epoch.
    pub at_ms: i64,
}

/// Every issuer's token events and the ResourceManager's holdings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IssuedTokens {
    /// The issuers.
    pub issuers: Vec<Issuer>,
    /// The RM's renewals, each naming the applications that hold the token.
    pub rm_holdings: Vec<RmRenewal>,
    /// Who asked for each token, by (token service, sequence number), where the logs tell.
    pub requesters: std::collections::BTreeMap<(String, i32), Requester>,
}

/// What every line [`audit_token_request`] reads contains.
pub const AUDIT_TOKEN_REQUEST: &str = "cmd=getDelegationToken";

/// What every line [`timeline_token_request`] reads contains.
pub const TIMELINE_REQUEST_MARKER: &str = "requests.applicationhistory: ";

/// A NameNode audit line of a delegation-token request: the client's address and the sequence
/// number (`ip=/198.18.7.5 cmd=getDelegationToken src=HDFS_DELEGATION_TOKEN token 13 for alice
/// with renewer yarn`).
pub fn audit_token_request(line: &str) -> Option<(String, i32)> {
    let mut ip = None;
    let mut seq = None;
    let mut is_request = false;
    for field in line.split('\t') {
        if let Some(v) = field.strip_prefix("ip=") {
            ip = Some(v.trim_start_matches('/').to_string());
        } else if field == AUDIT_TOKEN_REQUEST {
            is_request = true;
        } else if let Some(v) = field.strip_prefix("src=") {
            seq = v.split(" token ").nth(1).and_then(|rest| rest.split(' ').next()).and_then(|n| n.parse().ok());
        }
    }
    if is_request {
        Some((ip?, seq?))
    } else {
        None
    }
}

/// A delegation-token request the timeline server answered with a token (status 200), from its
/// request log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenRequest {
    /// When the server received it: the request log's bracketed time, which has whole seconds
    /// only (epoch ms of the start of that second).
    pub received_ms: i64,
    /// When the server logged its answer (epoch ms).
    pub answered_ms: i64,
    /// The client's address.
    pub address: String,
}

/// A timeline server request-log line of a delegation-token request it answered with a token.
/// The first leg of a SPNEGO exchange (401) and refused requests got none and are left out.
///
/// `2026-12-01 16:12:38,852 INFO requests.applicationhistory: 198.18.81.5 - - [01/Dec/2026:16:12:38 +0000] "GET /ws/v1/timeline/?op=GETDELEGATIONTOKEN&renewer=yarn&doAs=alice HTTP/1.1" 200 145 "-" "-"`
pub fn timeline_token_request(line: &str) -> Option<TokenRequest> {
    let rest = line.split_once(TIMELINE_REQUEST_MARKER)?.1;
    let mut quoted = rest.split('"');
    let (head, request, after) = (quoted.next()?, quoted.next()?, quoted.next()?);
    if !is_token_request(request) || after.split_whitespace().next()? != "200" {
        return None;
    }
    let address = head.split(' ').next()?.to_string();
    let received = head.split_once('[')?.1.split_once(']')?.0;
    Some(TokenRequest { received_ms: request_log_time_ms(received)?, answered_ms: logged::log_time_ms(line)?, address })
}

/// Whether a request line (`GET /ws/v1/timeline/?op=GETDELEGATIONTOKEN&… HTTP/1.1`) asks for a
/// delegation token. The server takes `op` in any case and percent-encoded, as the client sent it.
fn is_token_request(request: &str) -> bool {
    let mut parts = request.split(' ');
    let (Some("GET"), Some(target)) = (parts.next(), parts.next()) else { return false };
    let Ok(url) = url::Url::parse(&format!("http://server{target}")) else { return false };
    url.query_pairs().any(|(k, v)| k == "op" && v.eq_ignore_ascii_case("GETDELEGATIONTOKEN"))
}

/// Epoch ms of a request log's `01/Dec/2026:16:12:38 +0000`.
fn request_log_time_ms(t: &str) -> Option<i64> {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let (stamp, zone) = t.split_once(' ')?;
    let (date, time) = stamp.split_once(':')?;
    let mut d = date.split('/');
    let (day, month, year) = (d.next()?, d.next()?, d.next()?);
    let month = MONTHS.iter().position(|m| *m == month)? + 1;
    let utc = logged::log_time_ms(&format!("{year}-{month:02}-{day:0>2} {time},000"))?;
    let sign = match zone.get(..1)? {
        "+" => 1,
        "-" => -1,
        _ => return None,
    };
    let (hours, minutes): (i64, i64) = (zone.get(1..3)?.parse().ok()?, zone.get(3..5)?.parse().ok()?);
    Some(utc - sign * (hours * 60 + minutes) * 60_000)
}

/// Ties each timeline token to the request that got it. The server made the token while the
/// request was in flight: received (to the second) at or before the token's issue time, answered
/// at or after it. Each answered request made exactly one token, so a request that is the only
/// one in flight for a token is that token's and no other's (applied until nothing changes).
/// A token whose requests still in flight come from one address was asked for from there; from
/// several, its requester is ambiguous; with none, it is left out (nobody can be named).
pub fn tie_timeline_requests(created: &[(i32, i64)], requests: &[TokenRequest]) -> Vec<(i32, Requester)> {
    let candidates: Vec<Vec<usize>> = created
        .iter()
        .map(|(_, issued)| {
            (0..requests.len()).filter(|&i| requests[i].received_ms <= *issued && *issued <= requests[i].answered_ms).collect()
        })
        .collect();
    let mut owner: Vec<Option<usize>> = vec![None; requests.len()];
    let open = |owner: &[Option<usize>], token: usize| -> Vec<usize> {
        candidates[token].iter().copied().filter(|&i| owner[i].is_none() || owner[i] == Some(token)).collect()
    };
    loop {
        let mut changed = false;
        for token in 0..created.len() {
            if owner.contains(&Some(token)) {
                continue;
            }
            if let [only] = open(&owner, token)[..] {
                owner[only] = Some(token);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    // A token left with no request although some were in flight means a request line is missing
    // (still in flight when the log was read, or unreadable): elimination then proves nothing,
    // and every token it touched is ambiguous between all its candidates' addresses.
    let incomplete: Vec<usize> = (0..created.len()).filter(|&t| !candidates[t].is_empty() && open(&owner, t).is_empty()).collect();
    let doubtful = |token: usize| incomplete.iter().any(|&t| candidates[t].iter().any(|i| candidates[token].contains(i)));
    created
        .iter()
        .enumerate()
        .filter_map(|(token, (seq, _))| {
            if doubtful(token) {
                let mut addresses: Vec<String> = candidates[token].iter().map(|&i| requests[i].address.clone()).collect();
                addresses.sort();
                addresses.dedup();
                return Some((*seq, Requester::Ambiguous(addresses)));
            }
            let mut addresses: Vec<String> = open(&owner, token).into_iter().map(|i| requests[i].address.clone()).collect();
            addresses.sort();
            addresses.dedup();
            match addresses.len() {
                0 => None,
                1 => Some((*seq, Requester::Address(addresses.remove(0)))),
                _ => Some((*seq, Requester::Ambiguous(addresses))),
            }
        })
        .collect()
}

/// Whether a token owner as an issuer logged it (`alice`, `alice@REALM` over RPC,
/// `alice/host@REALM`) is the user `user`.
///
/// ```
/// use yarnsec_scenarios::facts::issued::same_user;
/// assert!(same_user("alice@C7.YARNSEC.TEST", "alice") && same_user("alice", "alice") && same_user("alice/h@R", "alice"));
/// assert!(!same_user("alicea", "alice") && !same_user("bob@R", "alice"));
/// ```
pub fn same_user(logged: &str, user: &str) -> bool {
    logged.split(['/', '@']).next() == Some(user)
}

/// A token as its issuer logged it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssuedToken<'a> {
    /// Who issued it.
    pub issuer: &'a Issuer,
    /// Its identifier.
    pub id: &'a LoggedIdentifier,
}

impl IssuedTokens {
    /// Reads the logs of every issuer the cluster runs, and the ResourceManager's.
    /// Only the lines these facts come from leave the containers (a `grep` there: on a cluster
    /// that has run many applications the logs hold megabytes, read for every checklist).
    pub async fn observe(cluster: &SecureCluster) -> Result<Self, ObserveError> {
        let evidence = cluster.evidence();
        let log = |daemon: &'static str, needles: &'static [&'static str]| async move {
            evidence.daemon_log_lines(daemon, needles).await.map_err(ObserveError::cluster(format!("the {daemon} log")))
        };
        const TIMELINE_LINES: [&str; 4] =
            [logged::EVENT_MARKERS[0], logged::EVENT_MARKERS[1], logged::EVENT_MARKERS[2], TIMELINE_REQUEST_MARKER];
        let timeline_service = format!("{}:{}", cluster.hadoop().ip(), ports::TIMELINE_HTTP);
        let timeline_log = log("timelineserver", &TIMELINE_LINES).await?;
        let namenode_log = log("namenode", &logged::EVENT_MARKERS).await?;
        let mut issuers = vec![
            Issuer { name: "NameNode".into(), service: cluster.namenode_token_service(), events: logged::events(&namenode_log) },
            Issuer { name: "timeline server".into(), service: timeline_service, events: logged::events(&timeline_log) },
        ];
        if let (Some(remote), Some(service)) = (cluster.remote_evidence(), cluster.remote_token_service()) {
            let text = remote
                .daemon_log_lines("namenode", &logged::EVENT_MARKERS)
                .await
                .map_err(ObserveError::cluster("the remote NameNode's log"))?;
            issuers.push(Issuer { name: "remote NameNode".into(), service, events: logged::events(&text) });
        }
        let rm = log("resourcemanager", &[logged::RM_RENEWAL_MARKER]).await?;
        let mut requesters = std::collections::BTreeMap::new();
        let audit = evidence.audit_log_lines(&[AUDIT_TOKEN_REQUEST]).await.map_err(ObserveError::cluster("the NameNode's audit log"))?;
        for (ip, seq) in audit.lines().filter_map(audit_token_request) {
            requesters.insert((cluster.namenode_token_service(), seq), Requester::Address(ip));
        }
        if let (Some(remote), Some(service)) = (cluster.remote_evidence(), cluster.remote_token_service()) {
            let audit =
                remote.audit_log_lines(&[AUDIT_TOKEN_REQUEST]).await.map_err(ObserveError::cluster("the remote NameNode's audit log"))?;
            for (ip, seq) in audit.lines().filter_map(audit_token_request) {
                requesters.insert((service.clone(), seq), Requester::Address(ip));
            }
        }
        let timeline = &issuers[1];
        let created: Vec<(i32, i64)> =
            timeline.events.iter().filter(|e| e.action == TokenAction::Created).map(|e| (e.id.sequence_number, e.id.issue_date)).collect();
        let requests: Vec<TokenRequest> = timeline_log.lines().filter_map(timeline_token_request).collect();
        for (seq, who) in tie_timeline_requests(&created, &requests) {
            requesters.insert((timeline.service.clone(), seq), who);
        }
        Ok(Self { issuers, rm_holdings: rm.lines().filter_map(logged::parse_rm_renewal).collect(), requesters })
    }

    /// Who asked for the token with this service and sequence number, where the logs tell.
    pub fn requester(&self, service: &str, sequence: i32) -> Option<&Requester> {
        self.requesters.get(&(service.to_string(), sequence))
    }

    /// Tokens created for the user `owner` (in any form an issuer writes it: `alice`,
    /// `alice@REALM`, `alice/host@REALM`) with `renewer`, issued between `from_ms` and `to_ms`
    /// (epoch ms).
    pub fn created_for(&self, owner: &str, renewer: &str, from_ms: i64, to_ms: i64) -> Vec<IssuedToken<'_>> {
        self.created_between(from_ms, to_ms).into_iter().filter(|t| same_user(&t.id.owner, owner) && t.id.renewer == renewer).collect()
    }

    /// Every token created between `from_ms` and `to_ms` (epoch ms), whoever's.
    pub fn created_between(&self, from_ms: i64, to_ms: i64) -> Vec<IssuedToken<'_>> {
        self.issuers
            .iter()
            .flat_map(|issuer| issuer.events.iter().map(move |e| (issuer, e)))
            .filter(|(_, e)| e.action == TokenAction::Created && (from_ms..=to_ms).contains(&e.id.issue_date))
            .map(|(issuer, e)| IssuedToken { issuer, id: &e.id })
            .collect()
    }

    /// The issuer's event of `action` for the token with this service and sequence number.
    pub fn event(&self, service: &str, sequence: i32, action: TokenAction) -> Option<&TokenEvent> {
        self.issuers
            .iter()
            .filter(|i| i.service == service)
            .flat_map(|i| i.events.iter())
            .find(|e| e.action == action && e.id.sequence_number == sequence)
    }

    /// The applications the ResourceManager holds the token with this service and sequence
    /// number for.
    pub fn held_by(&self, service: &str, sequence: i32) -> Vec<&str> {
        let mut apps: Vec<&str> = self
            .rm_holdings
            .iter()
            .filter(|r| r.service == service && r.id.sequence_number == sequence)
            .flat_map(|r| r.apps.iter().map(String::as_str))
            .collect();
        apps.sort();
        apps.dedup();
        apps
    }

    /// What the issuer of `service` did to the token with this sequence number, each with its
    /// log time (ms since the epoch), in log order.
    pub fn moments(&self, service: &str, sequence: i32) -> Vec<TokenMoment> {
        self.issuers
            .iter()
            .filter(|i| i.service == service)
            .flat_map(|i| i.events.iter())
            .filter(|e| e.id.sequence_number == sequence)
            .filter_map(|e| {
                Some(TokenMoment { service: service.to_string(), sequence, action: e.action, at_ms: logged::log_time_ms(&e.time)? })
            })
            .collect()
    }

    /// The issuer whose tokens name `service`.
    pub fn issuer(&self, service: &str) -> Option<&Issuer> {
        self.issuers.iter().find(|i| i.service == service)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tokens obtained over RPC carry the owner's whole principal (`alice@REALM`), those through
    /// WebHDFS with `doas` its short name: both are alice's (C5 counted only the second).
    #[test]
    fn tokens_are_the_users_in_every_form_an_issuer_writes_it() {
        let event = |owner: &str, seq: i32| TokenEvent {
            time: "2026-12-01 16:12:38,774".into(),
            action: TokenAction::Created,
            id: LoggedIdentifier {
                kind: "HDFS_DELEGATION_TOKEN".into(),
                owner: owner.into(),
                renewer: "yarn".into(),
                real_user: String::new(),
                issue_date: 1_000,
                max_date: 300_000,
                sequence_number: seq,
                master_key_id: 1,
            },
        };
        let issued = IssuedTokens {
            issuers: vec![Issuer {
                name: "NameNode".into(),
                service: "198.18.7.3:8020".into(),
                events: vec![event("alice@C7.YARNSEC.TEST", 1), event("alice", 2), event("bob@C7.YARNSEC.TEST", 3)],
            }],
            ..Default::default()
        };
        let seqs: Vec<i32> = issued.created_for("alice", "yarn", 0, 2_000).iter().map(|t| t.id.sequence_number).collect();
        assert_eq!(seqs, [1, 2]);
        assert!(issued.created_for("alice", "yarn", 2_000, 3_000).is_empty());
        assert_eq!(issued.created_between(0, 2_000).len(), 3);
    }

    #[test]
    fn the_namenode_audit_names_who_asked_for_which_token() {
        let line = "2026-12-01 16:12:38,774 allowed=true\tugi=alice (auth:KERBEROS)\tip=/198.18.81.5\tcmd=getDelegationToken\tsrc=HDFS_DELEGATION_TOKEN token 4 for alice with renewer yarn\tdst=null\tperm=null\tproto=webhdfs";
        assert_eq!(audit_token_request(line), Some(("198.18.81.5".into(), 4)));
        assert_eq!(audit_token_request(&line.replace("getDelegationToken", "open")), None);
    }

    #[test]
    fn timeline_token_requests_are_read_with_both_times_and_only_when_answered_with_a_token() {
        let line = "2026-12-01 16:12:38,852 INFO requests.applicationhistory: 198.18.81.5 - - [01/Dec/2026:16:12:38 +0000] \"GET /ws/v1/timeline/?op=GETDELEGATIONTOKEN&renewer=yarn&doAs=alice HTTP/1.1\" 200 145 \"-\" \"-\"";
        let r = timeline_token_request(line).unwrap();
        assert_eq!(r.address, "198.18.81.5");
        assert_eq!(r.answered_ms - r.received_ms, 852);
        assert_eq!(Some(r.answered_ms), logged::log_time_ms(line));
        // SPNEGO's first leg, and a refusal, made no token.
        assert_eq!(timeline_token_request(&line.replace("\" 200 145", "\" 401 300")), None);
        assert_eq!(timeline_token_request(&line.replace("GETDELEGATIONTOKEN", "RENEWDELEGATIONTOKEN")), None);
        // `op` in another case or percent-encoded is the same request; another method is not.
        assert!(timeline_token_request(&line.replace("op=GETDELEGATIONTOKEN", "op=getDelegationToken")).is_some());
        assert!(timeline_token_request(&line.replace("op=GETDELEGATIONTOKEN", "op=GETDELEGATION%54OKEN")).is_some());
        assert_eq!(timeline_token_request(&line.replace("\"GET ", "\"OPTIONS ")), None);
        // Another zone is taken into account.
        let east = timeline_token_request(&line.replace("16:12:38 +0000", "17:12:38 +0100")).unwrap();
        assert_eq!(east.received_ms, r.received_ms);
        assert_eq!(request_log_time_ms("01/Dec/2026:16:12:38 +0000"), Some(logged::log_time_ms("2026-12-01 16:12:38,000").unwrap()));
        assert_eq!(request_log_time_ms("01/Foo/2026:16:12:38 +0000"), None);
    }

    fn request(received_ms: i64, answered_ms: i64, address: &str) -> TokenRequest {
        TokenRequest { received_ms, answered_ms, address: address.into() }
    }

    #[test]
    fn timeline_tokens_are_tied_to_the_request_in_flight_and_ambiguity_is_said() {
        let (a, b) = ("198.18.81.5", "198.18.81.9");
        let address = |s: &str| Requester::Address(s.into());
        // One request each, one after the other.
        let tied = tie_timeline_requests(&[(1, 1_200), (2, 2_300)], &[request(1_000, 1_250, a), request(2_000, 2_310, b)]);
        assert_eq!(tied, vec![(1, address(a)), (2, address(b))]);
        // A slow answer (a loaded server logs seconds later) is still the token's.
        assert_eq!(tie_timeline_requests(&[(1, 1_200)], &[request(1_000, 6_000, a)]), vec![(1, address(a))]);
        // Two requests in flight at once from two addresses, and two tokens: the one that only
        // one of them can have made settles the other.
        let settled = tie_timeline_requests(&[(1, 1_100), (2, 1_400)], &[request(1_000, 1_300, a), request(1_000, 1_500, b)]);
        // Token 2 (at 1.4 s) was made while only b's request was in flight: b's; so token 1 is a's.
        assert_eq!(settled, vec![(1, address(a)), (2, address(b))]);
        // Both in flight for both tokens: who asked for which cannot be told.
        let both = tie_timeline_requests(&[(1, 1_100), (2, 1_200)], &[request(1_000, 1_300, a), request(1_000, 1_310, b)]);
        assert!(both.iter().all(|(_, r)| matches!(r, Requester::Ambiguous(ips) if ips.len() == 2)), "{both:?}");
        // Two requests of one address in flight: that address, whichever request it was.
        assert_eq!(tie_timeline_requests(&[(1, 1_100)], &[request(1_000, 1_300, a), request(1_000, 1_200, a)]), vec![(1, address(a))]);
        // No request in flight when the token was made: nobody is named.
        assert!(tie_timeline_requests(&[(3, 9_000)], &[request(1_000, 1_300, a)]).is_empty());
        // Token 1's own request is not in the log yet; only b's request was in flight for both:
        // neither token is b's for sure, and neither is named.
        let missing = tie_timeline_requests(&[(1, 1_100), (2, 1_200)], &[request(1_000, 1_300, b)]);
        assert_eq!(missing, vec![(1, Requester::Ambiguous(vec![b.into()])), (2, Requester::Ambiguous(vec![b.into()]))]);
        // A request received after the token's issue (its second) did not make it.
        assert!(tie_timeline_requests(&[(3, 1_900)], &[request(2_000, 2_300, a)]).is_empty());
    }
}
