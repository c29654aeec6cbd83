//! C4: launched the way Oozie launches a client, with `HADOOP_TOKEN_FILE_LOCATION` naming a file
//! of the user's tokens, the client takes every token of the launch context from that file.
//!
//! yarnsec prepares the file as a workflow engine would: alice's own HDFS, timeline (and remote
//! HDFS) delegation tokens renewable by the ResourceManager, and an RM delegation token for the
//! client's own calls. It runs the service's client with it (its declared launcher), then
//! compares the ApplicationMaster's token file with the prepared one, token by token (issuer
//! service and sequence number).

use std::time::Duration;

use yarnsec_hadoop::http::Auth;
use yarnsec_hadoop::token::{Credentials, Token};
use yarnsec_hadoop::webhdfs::{TokenRequest, WebHdfs};
use yarnsec_harness::layout::ports;

use super::require_kerberos;
use crate::context::{Context, Launched};
use crate::error::ObserveError;
use crate::facts::app_run::AppRun;
use crate::verdict::{Evidence, Verdict};

/// A token of the prepared file: its kind, service and sequence number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prepared {
    /// Kind.
    pub kind: String,
    /// Service (`ip:port`).
    pub service: String,
    /// The issuer's sequence number.
    pub sequence: i32,
}

/// C4: prepare, launch, observe, judge.
pub async fn c4(ctx: &Context<'_>) -> Verdict {
    if !ctx.service.features.token_file {
        return Verdict::not_applicable("the service declares no launch from HADOOP_TOKEN_FILE_LOCATION (Oozie-style)");
    }
    or_verdict!(require_kerberos(ctx));
    let Some(launcher) = ctx.service.launcher.clone() else {
        return Verdict::skipped(
            "the service declares an Oozie-style launch, but yarnsec was not told how to start its client with a token file",
        );
    };
    let (prepared, bytes) = or_verdict!(prepare(ctx).await.map_err(|e| e.verdict()));
    let run = or_verdict!(launch(ctx, &launcher, &bytes).await.map_err(|e| e.verdict()));
    judge_c4(&run, &prepared)
}

/// alice's tokens, as a workflow engine would hand them to the client it launches.
async fn prepare(ctx: &Context<'_>) -> Result<(Vec<Prepared>, Vec<u8>), ObserveError> {
    let cred = ctx.credential("alice")?.ok_or_else(|| ObserveError::OwnRequest {
        what: "alice's Kerberos credential".into(),
        source: "this profile has no Kerberos".into(),
    })?;
    let alice = Auth::Kerberos(&cred);
    let renewer = ctx.cluster.layout().rm_renewer();
    let cluster = ctx.cluster;
    let failed = |what: &str| {
        let what = format!("alice's {what} (for the token file)");
        move |source: yarnsec_hadoop::HttpError| ObserveError::OwnRequest { what, source: Box::new(source) }
    };
    let mut tokens: Vec<Token> = Vec::new();
    let namenode = cluster.namenode_token_service();
    let request = TokenRequest { renewer: Some(renewer), kind: Some("HDFS_DELEGATION_TOKEN"), service: Some(&namenode) };
    tokens.push(decode(&cluster.webhdfs().delegation_token(&request, alice, None).await.map_err(failed("HDFS delegation token"))?)?);
    if let (Some(service), Some(_)) = (cluster.remote_token_service(), cluster.remote()) {
        if ctx.service.features.remote_filesystems {
            let remote = WebHdfs::new(cluster.http().clone(), &cluster.layout().remote_url(ports::NAMENODE_HTTP));
            let request = TokenRequest { renewer: Some(renewer), kind: Some("HDFS_DELEGATION_TOKEN"), service: Some(&service) };
            tokens.push(decode(&remote.delegation_token(&request, alice, None).await.map_err(failed("remote HDFS delegation token"))?)?);
        }
    }
    if ctx.service.features.timeline {
        let mut t = decode(&cluster.timeline().delegation_token(renewer, alice, None).await.map_err(failed("timeline delegation token"))?)?;
        // The timeline server leaves the service empty; applications find it by address.
        t.service = format!("{}:{}", cluster.hadoop().ip(), ports::TIMELINE_HTTP);
        tokens.push(t);
    }
    let mut rm =
        decode(&cluster.resource_manager().delegation_token(renewer, alice).await.map_err(failed("ResourceManager delegation token"))?)?;
    rm.service = format!("{}:{}", cluster.hadoop().ip(), ports::RM_RPC);
    tokens.push(rm);
    // Every token of the file, the RM's included: a client may pass that one on too.
    let prepared = tokens
        .iter()
        .filter_map(|t| {
            let seq = t.identifier().ok()?.as_delegation()?.sequence_number;
            Some(Prepared { kind: t.kind.clone(), service: t.service.clone(), sequence: seq })
        })
        .collect();
    let creds = Credentials { tokens: tokens.into_iter().map(|t| (t.service.clone(), t)).collect(), secrets: Vec::new() };
    Ok((prepared, creds.to_bytes_v0()))
}

fn decode(url_string: &str) -> Result<Token, ObserveError> {
    Token::decode_url_string(url_string)
        .map_err(|e| ObserveError::Service { what: format!("a token the cluster issued does not decode: {e}") })
}

/// Puts the token file and the probe in the launcher's container and runs the client there.
async fn launch(
    ctx: &Context<'_>,
    launcher: &yarnsec_submitter::service::TokenFileLauncher,
    token_file: &[u8],
) -> Result<AppRun, ObserveError> {
    use base64::Engine as _;
    let nanos = yarnsec_submitter::clock::unique_nanos();
    let marker = format!("yarnsec-probe-alice-{nanos}");
    let (tokens_path, script_path) = (format!("/tmp/yarnsec-c4-{nanos}.tokens"), format!("/tmp/yarnsec-c4-{nanos}.sh"));
    let b64 = base64::engine::general_purpose::STANDARD;
    let put = format!(
        "umask 077 && echo {} | base64 -d > {tokens_path} && echo {} | base64 -d > {script_path}",
        b64.encode(token_file),
        b64.encode(crate::context::probe_script(&marker))
    );
    let exec = |cmd: Vec<String>| async move {
        let refs: Vec<&str> = cmd.iter().map(String::as_str).collect();
        ctx.cluster.exec_in(&launcher.container, &refs).await.map_err(ObserveError::cluster("the service's container"))
    };
    let out = exec(vec!["sh".into(), "-c".into(), put]).await?;
    if out.code != 0 {
        return Err(ObserveError::Service {
            what: format!("the token file could not be written in the service's container: {}", out.stderr_text()),
        });
    }
    let name = format!("yarnsec-c4-{nanos}");
    let mut cmd = vec!["env".to_string(), format!("HADOOP_TOKEN_FILE_LOCATION={tokens_path}")];
    cmd.extend(launcher.command("alice", &script_path, &name));
    let started = std::time::Instant::now();
    let submitted_at_ms = yarnsec_submitter::clock::epoch_ms();
    let out = exec(cmd.clone()).await;
    // alice's tokens do not stay in the service's container, whatever happened.
    let _ = exec(vec!["rm".into(), "-f".into(), tokens_path.clone(), script_path.clone()]).await;
    let out = out?;
    if out.code != 0 {
        return Err(ObserveError::Service {
            what: format!(
                "the service's client, launched with HADOOP_TOKEN_FILE_LOCATION, exited {}: {}{}",
                out.code,
                out.stderr_text().trim(),
                out.stdout_text().trim()
            ),
        });
    }
    // The client prints the service's answer; the ResourceManager says what it launched.
    let answer = yarnsec_submitter::web::answer_of(&Ok((0, String::new(), out.stdout_text())));
    let ledger = yarnsec_submitter::found::ledger(ctx.cluster.id());
    let clues = yarnsec_submitter::found::Clues { user: "alice", name: &name, named: None, since_ms: submitted_at_ms, only_new: false };
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    let submission = match yarnsec_submitter::found::find(ctx.cluster, &ledger, clues, answer.named.as_deref(), deadline).await {
        Ok(yarnsec_submitter::found::Search::Found(app, found_by)) => yarnsec_submitter::Submission {
            user: "alice".into(),
            name: name.clone(),
            application_id: app.id,
            app_name: app.name,
            found_by,
            answer,
        },
        Ok(_) => {
            return Err(ObserveError::Service {
                what: format!("the client launched with HADOOP_TOKEN_FILE_LOCATION led to no application of its own at the ResourceManager; it printed: {}", answer.describe()),
            })
        }
        Err(e) => return Err(ObserveError::Submit(e)),
    };
    let launched =
        Launched { user: "alice".into(), submission, output_path: format!("/user/alice/{marker}.txt"), started, submitted_at_ms };
    let cred = ctx.credential("alice")?;
    let watch = ctx.cluster.auth_for("alice", cred.as_ref());
    ctx.finish(launched, watch, Duration::from_secs(240)).await
}

/// C4's judgment: the launch context holds every token of the prepared file (but the RM's, which
/// is for the client's own calls) and no delegation token from anywhere else.
pub fn judge_c4(run: &AppRun, prepared: &[Prepared]) -> Verdict {
    let file = run.am_tokens();
    let evidence = vec![
        Evidence::new(
            "token",
            "the token file yarnsec prepared (alice's tokens)",
            prepared.iter().map(|p| format!("{} {} sequenceNumber={}", p.kind, p.service, p.sequence)).collect::<Vec<_>>().join("\n"),
        ),
        file.evidence("ApplicationMaster token file (the launch context)"),
        run.app_evidence(),
    ];
    if !file.is_read() {
        // What the launch context held cannot be seen: nothing shown either way.
        return Verdict::skipped_with(
            format!(
                "the ApplicationMaster's token file could not be read, so its launch context cannot be compared: {}",
                file.evidence("").body
            ),
            evidence,
        );
    }
    let missing: Vec<String> = prepared
        .iter()
        .filter(|p| p.kind != "RM_DELEGATION_TOKEN")
        .filter(|p| !file.tokens().iter().any(|t| t.service == p.service && t.sequence() == Some(p.sequence)))
        .map(|p| format!("{} for {}", p.kind, p.service))
        .collect();
    let foreign: Vec<String> = file
        .tokens()
        .iter()
        .filter(|t| t.kind.ends_with("DELEGATION_TOKEN"))
        .filter(|t| !prepared.iter().any(|p| t.service == p.service && t.sequence() == Some(p.sequence)))
        .map(|t| format!("{} for {} (sequenceNumber {})", t.kind, t.service, t.sequence().map_or("?".to_string(), |s| s.to_string())))
        .collect();
    let mut problems = Vec::new();
    if !foreign.is_empty() {
        problems.push(format!(
            "the launch context holds tokens that are not the user's from the file: {} (the client got tokens of its own)",
            foreign.join(", ")
        ));
    }
    if !missing.is_empty() {
        problems.push(format!("the launch context lacks the file's {}", missing.join(", ")));
    }
    Verdict::check(
        problems.is_empty(),
        format!(
            "launched with HADOOP_TOKEN_FILE_LOCATION, the client set the user's {} tokens from the file on the launch context, and got none of its own",
            prepared.iter().filter(|p| p.kind != "RM_DELEGATION_TOKEN").count()
        ),
        problems.join("; "),
        evidence,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::app_run::fixtures::run;
    use crate::facts::token_file::fixtures::{delegation, file, opaque};
    use crate::facts::token_file::TokenFile;
    use crate::verdict::Status;

    const NN: &str = "198.18.7.3:8020";
    const TL: &str = "198.18.7.3:8188";

    fn prepared() -> Vec<Prepared> {
        vec![
            Prepared { kind: "HDFS_DELEGATION_TOKEN".into(), service: NN.into(), sequence: 40 },
            Prepared { kind: "TIMELINE_DELEGATION_TOKEN".into(), service: TL.into(), sequence: 7 },
            Prepared { kind: "RM_DELEGATION_TOKEN".into(), service: "198.18.7.3:8032".into(), sequence: 5 },
        ]
    }

    #[test]
    fn c4_table() {
        let from_file = file(vec![
            opaque("YARN_AM_RM_TOKEN"),
            delegation("HDFS_DELEGATION_TOKEN", NN, "alice", "yarn", 40),
            delegation("TIMELINE_DELEGATION_TOKEN", TL, "alice", "yarn", 7),
        ]);
        assert_eq!(judge_c4(&run(from_file, TokenFile::Missing, "", "", ""), &prepared()).status, Status::Pass);
        // Fresh tokens of the client's own instead of the file's.
        let fresh = file(vec![
            delegation("HDFS_DELEGATION_TOKEN", NN, "alice", "yarn", 41),
            delegation("TIMELINE_DELEGATION_TOKEN", TL, "alice", "yarn", 8),
        ]);
        let v = judge_c4(&run(fresh, TokenFile::Missing, "", "", ""), &prepared());
        assert_eq!(v.status, Status::Fail);
        assert!(v.reason.contains("got tokens of its own"), "{}", v.reason);
        // The whole file passed on, the RM's token included: all from the file.
        let whole = file(vec![
            delegation("HDFS_DELEGATION_TOKEN", NN, "alice", "yarn", 40),
            delegation("TIMELINE_DELEGATION_TOKEN", TL, "alice", "yarn", 7),
            delegation("RM_DELEGATION_TOKEN", "198.18.7.3:8032", "alice", "yarn", 5),
        ]);
        assert_eq!(judge_c4(&run(whole, TokenFile::Missing, "", "", ""), &prepared()).status, Status::Pass);
        // One of the file's left out.
        let partial = file(vec![delegation("HDFS_DELEGATION_TOKEN", NN, "alice", "yarn", 40)]);
        assert!(judge_c4(&run(partial, TokenFile::Missing, "", "", ""), &prepared())
            .reason
            .contains("lacks the file's TIMELINE_DELEGATION_TOKEN"));
        // A token file that could not be read shows nothing either way.
        assert_eq!(judge_c4(&run(TokenFile::Missing, TokenFile::Missing, "", "", ""), &prepared()).status, Status::Skipped);
    }
}
