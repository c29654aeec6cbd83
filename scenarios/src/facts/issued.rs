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
        } else if field == "cmd=getDelegationToken" {
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

/// A timeline server request-log line of a delegation-token request: its log time (epoch ms)
/// and the client's address.
pub fn timeline_token_request(line: &str) -> Option<(i64, String)> {
    let rest = line.split_once("requests.applicationhistory: ")?.1;
    if !rest.contains("op=GETDELEGATIONTOKEN") {
        return None;
    }
    let ip = rest.split(' ').next()?.to_string();
    Some((logged::log_time_ms(line)?, ip))
}

/// Ties each timeline token to the request that got it: the first token request the server
/// logged at or after the token's issue time (within half a second: a token request takes a few
/// milliseconds) and not yet tied to another token. When requests from other addresses were
/// logged within that half second, the token's requester is ambiguous.
pub fn tie_timeline_requests(created: &[(i32, i64)], requests: &[(i64, String)]) -> Vec<(i32, Requester)> {
    let mut created = created.to_vec();
    created.sort_by_key(|(_, t)| *t);
    let mut requests = requests.to_vec();
    requests.sort_by_key(|(t, _)| *t);
    let mut used = vec![false; requests.len()];
    let mut out = Vec::new();
    for (seq, issued) in created {
        let window = issued..=issued + 500;
        let Some(i) = (0..requests.len()).find(|&i| !used[i] && window.contains(&requests[i].0)) else { continue };
        used[i] = true;
        let ip = requests[i].1.clone();
        let mut addresses: Vec<String> = requests.iter().filter(|(t, _)| window.contains(t)).map(|(_, a)| a.clone()).collect();
        addresses.sort();
        addresses.dedup();
        out.push((seq, if addresses.len() == 1 { Requester::Address(ip) } else { Requester::Ambiguous(addresses) }));
    }
    out
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
    pub async fn observe(cluster: &SecureCluster) -> Result<Self, ObserveError> {
        let evidence = cluster.evidence();
        let log = |daemon: &'static str| async move {
            evidence.daemon_log(daemon).await.map_err(ObserveError::cluster(format!("the {daemon} log")))
        };
        let timeline_service = format!("{}:{}", cluster.hadoop().ip(), ports::TIMELINE_HTTP);
        let timeline_log = log("timelineserver").await?;
        let mut issuers = vec![
            Issuer { name: "NameNode".into(), service: cluster.namenode_token_service(), events: logged::events(&log("namenode").await?) },
            Issuer { name: "timeline server".into(), service: timeline_service, events: logged::events(&timeline_log) },
        ];
        if let (Some(remote), Some(service)) = (cluster.remote_evidence(), cluster.remote_token_service()) {
            let text = remote.daemon_log("namenode").await.map_err(ObserveError::cluster("the remote NameNode's log"))?;
            issuers.push(Issuer { name: "remote NameNode".into(), service, events: logged::events(&text) });
        }
        let rm = log("resourcemanager").await?;
        let mut requesters = std::collections::BTreeMap::new();
        let audit = evidence.audit_log().await.map_err(ObserveError::cluster("the NameNode's audit log"))?;
        for (ip, seq) in audit.lines().filter_map(audit_token_request) {
            requesters.insert((cluster.namenode_token_service(), seq), Requester::Address(ip));
        }
        if let (Some(remote), Some(service)) = (cluster.remote_evidence(), cluster.remote_token_service()) {
            let audit = remote.audit_log().await.map_err(ObserveError::cluster("the remote NameNode's audit log"))?;
            for (ip, seq) in audit.lines().filter_map(audit_token_request) {
                requesters.insert((service.clone(), seq), Requester::Address(ip));
            }
        }
        let timeline = &issuers[1];
        let created: Vec<(i32, i64)> =
            timeline.events.iter().filter(|e| e.action == TokenAction::Created).map(|e| (e.id.sequence_number, e.id.issue_date)).collect();
        let requests: Vec<(i64, String)> = timeline_log.lines().filter_map(timeline_token_request).collect();
        for (seq, who) in tie_timeline_requests(&created, &requests) {
            requesters.insert((timeline.service.clone(), seq), who);
        }
        Ok(Self { issuers, rm_holdings: rm.lines().filter_map(logged::parse_rm_renewal).collect(), requesters })
    }

    /// Who asked for the token with this service and sequence number, where the logs tell.
    pub fn requester(&self, service: &str, sequence: i32) -> Option<&Requester> {
        self.requesters.get(&(service.to_string(), sequence))
    }

    /// Tokens created for `owner` with `renewer`, issued between `from_ms` and `to_ms` (epoch ms).
    pub fn created_for(&self, owner: &str, renewer: &str, from_ms: i64, to_ms: i64) -> Vec<IssuedToken<'_>> {
        self.issuers
            .iter()
            .flat_map(|issuer| issuer.events.iter().map(move |e| (issuer, e)))
            .filter(|(_, e)| e.action == TokenAction::Created)
            .filter(|(_, e)| e.id.owner == owner && e.id.renewer == renewer && (from_ms..=to_ms).contains(&e.id.issue_date))
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

    /// The issuer whose tokens name `service`.
    pub fn issuer(&self, service: &str) -> Option<&Issuer> {
        self.issuers.iter().find(|i| i.service == service)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_namenode_audit_names_who_asked_for_which_token() {
        let line = "2026-12-01 16:12:38,774 allowed=true\tugi=alice (auth:KERBEROS)\tip=/198.18.81.5\tcmd=getDelegationToken\tsrc=HDFS_DELEGATION_TOKEN token 4 for alice with renewer yarn\tdst=null\tperm=null\tproto=webhdfs";
        assert_eq!(audit_token_request(line), Some(("198.18.81.5".into(), 4)));
        assert_eq!(audit_token_request(&line.replace("getDelegationToken", "open")), None);
    }

    #[test]
    fn timeline_tokens_are_tied_to_the_next_request_and_ambiguity_is_said() {
        let line = "2026-12-01 16:12:38,852 INFO requests.applicationhistory: 198.18.81.5 - - [01/Dec/2026:16:12:38 +0000] \"GET /ws/v1/timeline/?op=GETDELEGATIONTOKEN&renewer=yarn&doAs=alice HTTP/1.1\" 200 145 \"-\" \"-\"";
        let (t, ip) = timeline_token_request(line).unwrap();
        assert_eq!(ip, "198.18.81.5");
        let tied = tie_timeline_requests(&[(1, t - 15), (2, t - 13)], &[(t, ip.clone()), (t + 1, ip.clone())]);
        assert_eq!(tied, vec![(1, Requester::Address(ip.clone())), (2, Requester::Address(ip.clone()))]);
        let mixed = tie_timeline_requests(&[(1, t - 15), (2, t - 14)], &[(t, "198.18.81.9".into()), (t + 1, ip.clone())]);
        assert!(matches!(&mixed[1].1, Requester::Ambiguous(ips) if ips.len() == 2), "{mixed:?}");
        // Another address logged just before the tied request counts too (not only between).
        let early = tie_timeline_requests(&[(1, t - 20), (2, t - 19)], &[(t - 2, "198.18.81.9".into()), (t, ip.clone())]);
        assert!(early.iter().all(|(_, r)| matches!(r, Requester::Ambiguous(_))), "{early:?}");
        assert!(tie_timeline_requests(&[(3, t + 5_000)], &[(t, ip)]).is_empty());
    }
}
