//! T9: the application reads the remote HDFS (a second NameNode, own namespace, same realm) with
//! a delegation token the client got for it at launch: alice's shared run reads her file there
//! before its write ([`Context::alice_run`]).

use super::require_kerberos;
use crate::context::Context;
use crate::facts::app_run::AppRun;
use crate::verdict::{Evidence, Verdict};

/// What T9 saw.
#[derive(Clone, Debug)]
pub struct RemoteFacts {
    /// The run that read the remote file.
    pub run: AppRun,
    /// The remote NameNode's token service.
    pub remote_service: String,
    /// The URL read.
    pub url: String,
    /// The remote NameNode's audit lines opening the file.
    pub opened: Vec<String>,
}

/// T9: alice's application reads a file only she may read on the remote HDFS.
pub async fn t9(ctx: &Context<'_>) -> Verdict {
    or_verdict!(require_kerberos(ctx));
    if !ctx.service.features.remote_filesystems {
        return Verdict::not_applicable("the service declares that its applications use no other HDFS cluster");
    }
    // (With Kerberos and the service's remote filesystems, alice's run reads `url` exactly when
    // the cluster has its remote HDFS.)
    let (Some(remote_service), Some(remote), Some(url)) =
        (ctx.cluster.remote_token_service(), ctx.cluster.remote_evidence(), ctx.remote_read_url())
    else {
        return Verdict::skipped(
            "this cluster was started without its remote HDFS (`remote_hdfs(false)`), so there is no remote cluster to read",
        );
    };
    // alice's shared run read the file before its write.
    let run = or_verdict!(ctx.alice().await).clone();
    let audit = or_verdict!(remote
        .audit_lines(yarnsec_harness::REMOTE_FILE)
        .await
        .map_err(|e| crate::error::ObserveError::cluster("the remote NameNode's audit log")(e).verdict()));
    // This run's reads only: the file's earlier readers say nothing about this application.
    let since = run.submitted_at_ms - 1_000;
    let opened = audit
        .into_iter()
        .filter(|l| l.contains("cmd=open") && yarnsec_hadoop::token::logged::log_time_ms(l).is_some_and(|t| t >= since))
        .collect();
    judge_t9(&RemoteFacts { run, remote_service, url, opened })
}

/// T9's judgment: the launch context holds a token for the remote NameNode, the application
/// printed the remote file, and the remote NameNode saw alice open it.
pub fn judge_t9(f: &RemoteFacts) -> Verdict {
    let run = &f.run;
    let has_remote_token = run.am_tokens().find("HDFS_DELEGATION_TOKEN", &f.remote_service).next().is_some();
    let output = run.probe_output();
    let read = output.contains(yarnsec_harness::REMOTE_FILE_TEXT) && output.lines().any(|l| l.trim() == "remote=ok");
    let by_user = f.opened.iter().any(|l| super::testing::audit_user(l) == Some(run.user.as_str()));
    let evidence = vec![
        run.app_evidence(),
        run.am_tokens().evidence("ApplicationMaster token file (the launch context)"),
        Evidence::new("log", "the application's output", last_lines(&output, 30)),
        Evidence::new("audit_log", format!("remote NameNode audit: {}", yarnsec_harness::REMOTE_FILE), f.opened.join("\n")),
    ];
    let mut problems = Vec::new();
    if !has_remote_token {
        problems.push(format!(
            "the launch context holds no HDFS delegation token for the remote NameNode ({}): the client did not get one at launch",
            f.remote_service
        ));
    }
    if !read {
        problems.push(format!("the application could not read {}", f.url));
    }
    if read && !by_user {
        problems.push(format!("the remote NameNode's audit log shows no read by ugi={}", run.user));
    }
    Verdict::check(
        problems.is_empty(),
        format!(
            "alice's application read {} as alice, with the remote HDFS delegation token the client put in the launch context ({})",
            f.url, f.remote_service
        ),
        problems.join("; "),
        evidence,
    )
}

fn last_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::app_run::fixtures::run;
    use crate::facts::token_file::fixtures::{delegation, file};
    use crate::facts::token_file::TokenFile;
    use crate::verdict::Status;

    const REMOTE: &str = "198.18.7.4:8020";

    fn facts(token_service: &str, output: &str, opener: &str) -> RemoteFacts {
        RemoteFacts {
            run: run(
                file(vec![delegation("HDFS_DELEGATION_TOKEN", token_service, "alice", "yarn", 3)]),
                TokenFile::Missing,
                "",
                "",
                output,
            ),
            remote_service: REMOTE.into(),
            url: "hdfs://remote.yarnsec.test:8020/shared/for-alice.txt".into(),
            opened: vec![format!("allowed=true\tugi={opener} (auth:TOKEN)\tcmd=open\tsrc=/shared/for-alice.txt")],
        }
    }

    #[test]
    fn t9_table() {
        let read = format!("id=alice\n{}\nremote=ok\n", yarnsec_harness::REMOTE_FILE_TEXT);
        assert_eq!(judge_t9(&facts(REMOTE, &read, "alice")).status, Status::Pass);
        assert_eq!(judge_t9(&facts("198.18.7.3:8020", &read, "alice")).status, Status::Fail);
        assert_eq!(judge_t9(&facts(REMOTE, "id=alice\ncat: AccessControlException\n", "alice")).status, Status::Fail);
        assert_eq!(judge_t9(&facts(REMOTE, &read, "yarn")).status, Status::Fail);
    }
}
