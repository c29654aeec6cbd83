//! Long-lived application items (L1–L7), all judged on one long-lived application the service
//! launches for alice with her keytab ([`crate::facts::long_lived`]), watched until the tokens
//! it started with have passed their max lifetime by one renew interval. Each judgment reads
//! only what the cluster shows: HDFS, the NodeManager's token files, localized files and logs,
//! the ResourceManager's report and the KDC's log.

use crate::context::Context;
#[cfg(test)]
use crate::facts::long_lived::NodeLogins;
use crate::facts::long_lived::{LocalizedFile, LongLivedRun};
use crate::verdict::{Evidence, Verdict};

/// L1–L7 for services that launch long-lived applications.
pub async fn l(id: &str, ctx: &Context<'_>) -> Verdict {
    if !ctx.service.features.long_lived {
        return Verdict::not_applicable(format!(
            "the service `{}` declares no long-lived (keytab) mode; its applications live on delegation tokens the ResourceManager renews",
            ctx.service.name
        ));
    }
    or_verdict!(super::require_kerberos(ctx));
    if ctx.service.command.as_ref().is_some_and(|c| c.long_lived_argv.is_empty()) {
        return Verdict::skipped(
            "not judged: the command-line submitter declares long-lived applications but no `long_lived_command` (how it launches one with the user's keytab)",
        );
    }
    let run = or_verdict!(super::long_lived_run::shared(ctx).await);
    let namenode = ctx.cluster.namenode_token_service();
    let mut v = match id {
        "L1" => judge_l1(run),
        "L2" => judge_l2(run),
        "L3" => judge_l3(run),
        "L4" => judge_l4(run, &namenode),
        "L5" => judge_l5(run),
        "L6" => judge_l6(run),
        _ => judge_l7(run),
    };
    // The same picture for every item: the report shows it once, under the first.
    let picture = crate::timeline::long_lived::long_lived(run);
    v.evidence.insert(0, Evidence::new("picture", picture.title.clone(), picture.to_svg()));
    v
}

/// `HH:MM:SS UTC` of a time in ms since the epoch.
fn clock(ms: i64) -> String {
    let s = ms.max(0) / 1000 % 86_400;
    format!("{:02}:{:02}:{:02} UTC", s / 3600, s / 60 % 60, s % 60)
}

/// The watch's times and the workers' writes, as evidence.
fn timeline(run: &LongLivedRun) -> Evidence {
    let writes: String =
        run.writes().iter().map(|(s, ok)| format!("  {} {}\n", clock(s * 1000), if *ok { "put=ok" } else { "put=failed" })).collect();
    Evidence::new(
        "timeline",
        format!("{} watched past its first tokens' max lifetime", run.submitted.application_id),
        format!(
            "first tokens' max date {} (max lifetime {} s)\nchecked after {} (+ one renew interval, {} s)\n{}: {}\nthe probe ran {}\nstate at the end: {} {}\nwrites its work reported:\n{}",
            clock(run.first_max_ms),
            run.max_lifetime.as_secs(),
            clock(run.check_ms),
            run.renew_interval.as_secs(),
            run.output_path,
            if run.outputs.is_empty() {
                "never written".to_string()
            } else {
                run.outputs.iter().map(|w| format!("{} last written {}", w.container, clock(w.mtime_ms))).collect::<Vec<_>>().join(", ")
            },
            match run.in_process() {
                Some(true) => "inside the framework's own JVM (YarnsecProbe.run)",
                Some(false) => "as a process of its own (it reads the launch token file)",
                None => "(it did not say how)",
            },
            run.app_last.state,
            run.app_last.diagnostics.as_deref().unwrap_or("").trim(),
            if writes.is_empty() { "  (none)\n".to_string() } else { writes }
        ),
    )
}

fn files_evidence(files: &[LocalizedFile]) -> Evidence {
    let body: String = files
        .iter()
        .map(|f| {
            format!(
                "{} owner={} permission={} {} for {}\n",
                f.path,
                f.owner,
                f.permission,
                f.keytab_principals.as_ref().map(|p| format!("keytab of {}", p.join(", "))).unwrap_or_else(|| "(not a keytab)".into()),
                f.containers.join(", ")
            )
        })
        .collect();
    Evidence::new("hdfs", "HDFS files the NodeManager localized for the application", if body.is_empty() { "(none)".into() } else { body })
}

/// The last lines of the workers' logs (where a failed write says why).
fn workers_tail(run: &LongLivedRun) -> Evidence {
    let text: String = run.workers().map(|c| format!("--- {} ---\n{}", c.id, c.all_logs())).collect::<Vec<_>>().join("\n");
    let tail: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let tail = tail[tail.len().saturating_sub(40)..].join("\n");
    Evidence::new("log", "the workers' logs (last lines)", tail)
}

/// The HDFS delegation tokens of every worker when the work began and at the end (a new
/// sequence number or max date at the end means the workers were given fresh tokens).
fn tokens_before_after(run: &LongLivedRun) -> Evidence {
    let list = |containers: &[crate::facts::container::ContainerFacts]| -> String {
        let lines: Vec<String> = containers
            .iter()
            .filter(|c| !c.is_application_master())
            .flat_map(|c| {
                c.tokens.tokens().iter().filter(|t| t.kind == "HDFS_DELEGATION_TOKEN").map(move |t| match t.delegation() {
                    Some(d) => format!("  {} {}: seq={} max date {}", c.id, t.service, d.sequence_number, clock(d.max_date)),
                    None => format!("  {} {}: (does not decode)", c.id, t.service),
                })
            })
            .collect();
        if lines.is_empty() {
            "  (none)".to_string()
        } else {
            lines.join("\n")
        }
    };
    Evidence::new(
        "token",
        "the workers' HDFS delegation tokens, when the work began and at the end",
        format!("when the work began:\n{}\nat the end:\n{}", list(&run.first), list(&run.last)),
    )
}

/// Whether a keytab holds a principal of `user` (`user@R` or `user/host@R`).
fn holds_user(file: &LocalizedFile, user: &str) -> bool {
    file.keytab_principals.as_ref().is_some_and(|ps| ps.iter().any(|p| p.split(['/', '@']).next() == Some(user)))
}

/// L1: the strategy as a whole: the application still runs, and its work still reaches HDFS,
/// after the tokens it started with have passed their max lifetime by one renew interval.
pub fn judge_l1(run: &LongLivedRun) -> Verdict {
    let logins = keytab_logins(&run.am_logs(), &run.user).join("\n");
    let login = Evidence::new("log", "the ApplicationMaster's keytab logins", if logins.is_empty() { "(none)".into() } else { logins });
    let evidence = vec![timeline(run), tokens_before_after(run), login, workers_tail(run)];
    if run.app_last.is_final() {
        let diagnostics: String = run.app_last.diagnostics.as_deref().unwrap_or("").trim().chars().take(300).collect();
        return Verdict::fail(
            format!(
                "{} ended {} ({}) before its first tokens' max lifetime ({} s) had passed by one renew interval: the service has no strategy that keeps it alive{}",
                run.submitted.application_id,
                run.app_last.state,
                run.app_last.final_status,
                run.max_lifetime.as_secs(),
                if diagnostics.is_empty() { String::new() } else { format!(" (the ResourceManager's diagnostics: {diagnostics})") }
            ),
            evidence,
        );
    }
    if run.wrote_after_check() {
        Verdict::pass(
            format!(
                "{} outlived its first tokens' max lifetime ({} s) and one renew interval ({} s): still RUNNING, and its work wrote {} at {}, after the first tokens could no longer be used",
                run.submitted.application_id,
                run.max_lifetime.as_secs(),
                run.renew_interval.as_secs(),
                run.output_path,
                run.last_write_ms().map(clock).unwrap_or_default()
            ),
            evidence,
        )
    } else {
        let failed_after = run.writes().iter().filter(|(s, ok)| !ok && s * 1000 > run.first_max_ms).count();
        Verdict::fail(
            format!(
                "{} still runs, but its work stopped reaching HDFS: {} was last written at {}, not after {} (its first tokens' max lifetime, {} s, plus one renew interval); {failed_after} write(s) failed after the first tokens' max date. The application kept no credential its work could use past the max lifetime",
                run.submitted.application_id,
                run.output_path,
                run.last_write_ms().map(clock).unwrap_or_else(|| "never".into()),
                clock(run.check_ms),
                run.max_lifetime.as_secs()
            ),
            evidence,
        )
    }
}

/// L2: the keytab is in HDFS and was localized into the ApplicationMaster's container.
pub fn judge_l2(run: &LongLivedRun) -> Verdict {
    let evidence = vec![files_evidence(&run.localized)];
    match run.keytabs_for(true).into_iter().find(|f| holds_user(f, &run.user)) {
        Some(k) => Verdict::pass(
            format!(
                "{}'s keytab {} ({}) is in HDFS and the NodeManager localized it into the ApplicationMaster's container",
                run.user,
                k.path,
                k.keytab_principals.as_deref().unwrap_or_default().join(", ")
            ),
            evidence,
        ),
        None => Verdict::fail(
            format!(
                "no keytab of {} was localized into the ApplicationMaster's container: the AM has nothing to log in from once its tokens reach their max lifetime ({} HDFS file(s) localized, none a keytab of {}; a keytab installed on every node would not show here, and this cluster's nodes hold none for users)",
                run.user,
                run.localized.len(),
                run.user
            ),
            evidence,
        ),
    }
}

/// L3: a keytab in HDFS is the user's and no other user can read it, counting the permissions of
/// every directory on its path (a 644 keytab inside a 700 directory of the user is owner-only).
/// A keytab others can read that the application was launched with means the launch did not
/// check, or checked and went on.
pub fn judge_l3(run: &LongLivedRun) -> Verdict {
    use crate::facts::long_lived::Access;
    let keytabs: Vec<&LocalizedFile> = run.localized.iter().filter(|f| f.keytab_principals.is_some()).collect();
    if keytabs.is_empty() {
        return Verdict::not_applicable(format!(
            "no keytab in HDFS reached {}: there is no keytab permission to check",
            run.submitted.application_id
        ));
    }
    let evidence = vec![files_evidence(&run.localized)];
    let mut exposed = Vec::new();
    let mut unknown = Vec::new();
    let mut safe = Vec::new();
    for k in &keytabs {
        match (k.owner == run.user, k.access()) {
            (false, _) => exposed.push(format!("{} is owned by {}, not {}", k.path, k.owner, run.user)),
            (true, Access::Others(who)) => exposed.push(format!("{} can be read by {who}", k.path)),
            (true, Access::Unknown) => unknown.push(format!("{} (permission {:?}, its directories unread)", k.path, k.permission)),
            (true, Access::OwnerOnly { shut_by: None }) => safe.push(format!("{} ({})", k.path, k.permission)),
            (true, Access::OwnerOnly { shut_by: Some(dir) }) => safe.push(format!(
                "{} ({}, but no other user can reach it: the directory {dir} lets nobody else through)",
                k.path, k.permission
            )),
        }
    }
    if !exposed.is_empty() {
        return Verdict::fail(
            format!(
                "a keytab other users can read was launched with: {}; the submitter launched anyway, where it should have checked the keytab's permissions and refused (`hdfs dfs -chmod 400` the keytab, or keep it in a directory only the user can enter)",
                exposed.join("; ")
            ),
            evidence,
        );
    }
    if !unknown.is_empty() {
        return Verdict::skipped_with(
            format!("who can read the keytab is not known: the permissions on its path could not be read: {}", unknown.join("; ")),
            evidence,
        );
    }
    Verdict::pass(format!("the keytab(s) in HDFS are {}'s and no other user can read them: {}", run.user, safe.join(", ")), evidence)
}

/// The verdict when no ApplicationMaster container of the application was found on the node:
/// what it was given cannot be seen (SKIPPED; an application that never launched one is L1's).
fn no_am_container(run: &LongLivedRun) -> Verdict {
    Verdict::skipped_with(
        format!(
            "no ApplicationMaster container of {} was found on the NodeManager's node (it ended {} before one was seen, or its files were not kept), so what it was given cannot be seen",
            run.submitted.application_id, run.app_last.state
        ),
        vec![timeline(run)],
    )
}

/// L4: the ApplicationMaster's launch context carried an HDFS delegation token.
pub fn judge_l4(run: &LongLivedRun, namenode: &str) -> Verdict {
    let Some(am) = run.am() else { return no_am_container(run) };
    let evidence = vec![am.tokens.evidence(format!("{}'s token file (its launch context's tokens)", am.id))];
    if !am.tokens.is_read() {
        return Verdict::skipped_with(
            format!("the token file of {} could not be read, so its launch context cannot be seen", am.id),
            evidence,
        );
    }
    let found = am.tokens.tokens().iter().any(|t| t.kind == "HDFS_DELEGATION_TOKEN" && t.service == namenode);
    Verdict::check(
        found,
        format!("the ApplicationMaster's launch context carried an HDFS delegation token for {namenode}"),
        format!("the ApplicationMaster's launch context carried no HDFS delegation token for {namenode}: the NodeManager could not localize its files"),
        evidence,
    )
}

/// The AM's log lines of a keytab login as `user`.
fn keytab_logins<'a>(logs: &'a str, user: &str) -> Vec<&'a str> {
    logs.lines()
        .filter(|l| l.contains("Login successful for user ") && l.contains("using keytab file"))
        .filter(|l| {
            l.split("Login successful for user ").nth(1).and_then(|r| r.split_whitespace().next()).and_then(|p| p.split(['/', '@']).next())
                == Some(user)
        })
        .collect()
}

/// L5: the ApplicationMaster logged in from the keytab (`loginUserFromKeytab`). Two witnesses:
/// the AM's own log (UGI's `Login successful … using keytab file` line, at INFO), and the KDC's
/// (the initial tickets it issued to the user's principals for the node where containers run),
/// which speaks for the AM when only the AM's container had a keytab of the user and no other
/// application of the user ran at the time of the login.
pub fn judge_l5(run: &LongLivedRun) -> Verdict {
    let logs = run.am_logs();
    let logins = keytab_logins(&logs, &run.user);
    let lines: Vec<&str> =
        logs.lines().filter(|l| l.contains("keytab") || l.contains("Login successful") || l.contains("UserGroupInformation")).collect();
    let kdc_body = match &run.node_logins {
        Ok(n) if n.logins.is_empty() => "(none)".to_string(),
        Ok(n) => {
            let others: Vec<String> = n.other_apps.iter().map(|a| format!("{} ({})", a.id, a.state)).collect();
            format!(
                "{}\n{}'s other applications meanwhile: {}",
                n.logins.iter().map(|a| a.line.as_str()).collect::<Vec<_>>().join("\n"),
                run.user,
                if others.is_empty() { "none".into() } else { others.join(", ") }
            )
        }
        Err(e) => format!("(could not be read: {e})"),
    };
    let evidence = vec![
        Evidence::new(
            "log",
            "the ApplicationMaster's log lines about its login",
            if lines.is_empty() { "(none)".into() } else { lines.join("\n") },
        ),
        Evidence::new(
            "log",
            format!(
                "the KDC: initial tickets for {}'s principals to the node where containers run, since the application started",
                run.user
            ),
            kdc_body,
        ),
    ];
    if let Some(line) = logins.first() {
        return Verdict::pass(format!("the ApplicationMaster logged in from a keytab as {}: `{}`", run.user, line.trim()), evidence);
    }
    let no_line = format!(
        "the ApplicationMaster's logs show no login from a keytab as {} (Hadoop's UserGroupInformation logs `Login successful for user … using keytab file …` at INFO)",
        run.user
    );
    let kdc = match &run.node_logins {
        Ok(n) => n,
        // The AM's log is silent and the other witness cannot be read: nothing is shown either way.
        Err(e) => return Verdict::skipped_with(format!("{no_line}; the KDC, the other witness, could not be consulted ({e})"), evidence),
    };
    if kdc.logins.is_empty() {
        return Verdict::fail(
            format!("{no_line}, and the KDC issued no ticket to {} for the node where containers run after the application started: the AM runs on its launch tokens only", run.user),
            evidence,
        );
    }
    let attributable = kdc.attributable();
    let only_am = !run.keytabs_for(true).is_empty() && run.keytabs_for(false).is_empty();
    match attributable.first() {
        Some(first) if only_am => Verdict::pass(
            format!(
                "the ApplicationMaster logged in from its keytab: the KDC issued {} initial ticket(s) to {} for the node where containers run while no other application of {} ran (first at {}), and only the AM's container had a keytab of {} (its own log does not say so: UGI's login line is at INFO)",
                attributable.len(),
                first.principal,
                run.user,
                clock(first.authtime * 1000),
                run.user
            ),
            evidence,
        ),
        _ => Verdict::fail(
            format!(
                "{no_line}; the KDC's {} login(s) of {} from the node where containers run cannot be told to be the AM's: {}",
                kdc.logins.len(),
                run.user,
                if attributable.is_empty() {
                    format!("each came while another application of {} ran there", run.user)
                } else if run.keytabs_for(true).is_empty() {
                    "no keytab was localized into the AM's container (one on the nodes could be anyone's)".to_string()
                } else {
                    "the workers had a keytab of the user too, and log in from the same node".to_string()
                }
            ),
            evidence,
        ),
    }
}

/// L6: the ApplicationMaster got its AM/RM token from its token file and registered with it.
pub fn judge_l6(run: &LongLivedRun) -> Verdict {
    let Some(am) = run.am() else { return no_am_container(run) };
    if !am.tokens.is_read() {
        return Verdict::skipped(format!("the token file of {} could not be read, so its AM/RM token cannot be seen", am.id));
    }
    let evidence = vec![
        am.tokens.evidence(format!("{}'s token file (HADOOP_TOKEN_FILE_LOCATION)", am.id)),
        crate::context::app_evidence(&run.app_first),
    ];
    let has = am.tokens.tokens().iter().any(|t| t.kind == "YARN_AM_RM_TOKEN");
    let registered = run.app_first.state == "RUNNING" || run.app_last.state == "RUNNING";
    match (has, registered) {
        (true, true) => Verdict::pass(
            "the ApplicationMaster's token file held its AM/RM token, and it registered with the ResourceManager (the application RUNNING)",
            evidence,
        ),
        (false, _) => Verdict::fail("the ApplicationMaster's token file held no AM/RM token (YARN_AM_RM_TOKEN)", evidence),
        (true, false) => Verdict::fail(
            format!(
                "the ApplicationMaster had its AM/RM token but never registered: the application was {} and ended {}",
                run.app_first.state, run.app_last.state
            ),
            evidence,
        ),
    }
}

/// L7: the containers the AM launched got the keytab, or fresh delegation tokens, so that they
/// still work past the first tokens' max lifetime.
pub fn judge_l7(run: &LongLivedRun) -> Verdict {
    let workers: Vec<_> = run.workers().collect();
    if workers.is_empty() && run.app_last.is_final() {
        return Verdict::skipped(format!(
            "nothing to judge: {} ended {} before its ApplicationMaster launched a container",
            run.submitted.application_id, run.app_last.state
        ));
    }
    if workers.is_empty() {
        return Verdict::not_applicable(format!(
            "{} launched no container besides its ApplicationMaster: the AM's own credentials (L5) are all there is",
            run.submitted.application_id
        ));
    }
    let tokens: Vec<Evidence> = workers.iter().map(|c| c.tokens.evidence(format!("{}'s token file", c.id))).collect();
    if let Some(k) = run.keytabs_for(false).into_iter().find(|f| holds_user(f, &run.user)) {
        let mut evidence = vec![files_evidence(&run.localized)];
        evidence.extend(tokens);
        return Verdict::pass(
            format!("the keytab is propagated: {} was localized into the launched containers, which log in from it", k.path),
            evidence,
        );
    }
    let mut evidence = vec![timeline(run), workers_tail(run)];
    evidence.extend(tokens);
    let written = run.workers_written_after_check();
    if !written.is_empty() && !run.app_last.is_final() {
        Verdict::pass(
            format!(
                "the launched containers' credentials still work: {} wrote HDFS after the first tokens' max lifetime and one renew interval ({})",
                written.iter().map(|w| format!("{} at {}", w.container, clock(w.mtime_ms))).collect::<Vec<_>>().join(", "),
                match run.in_process() {
                    Some(true) => "the probe ran inside the framework's JVM, with the credentials it keeps fresh",
                    _ => "the probe ran as a process of its own, with the tokens of the container's launch context",
                }
            ),
            evidence,
        )
    } else {
        Verdict::fail(
            format!(
                "the launched containers got neither the keytab nor fresh delegation tokens: with the tokens they were launched with (max date {}), their work no longer reached HDFS after {}",
                clock(run.first_max_ms),
                clock(run.check_ms)
            ),
            evidence,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::long_lived::fixtures::{localized, run};
    use crate::verdict::Status::{Fail, NotApplicable, Pass};

    const AM: &str = "container_1_0001_01_000001";
    const WORKER: &str = "container_1_0001_01_000002";
    const LOGIN: &str = "2026-12-02 INFO security.UserGroupInformation: Login successful for user alice/hadoop.yarnsec.test@R.TEST using keytab file alice.keytab. Keytab auto renewal enabled : true";

    fn keytab(permission: &str, to: &[&str]) -> LocalizedFile {
        localized("/user/alice/.yarnsec/services/s/alice.keytab", permission, Some("alice/hadoop.yarnsec.test@R.TEST"), to)
    }

    #[test]
    fn l1_passes_only_when_the_work_reaches_hdfs_after_the_check() {
        assert_eq!(judge_l1(&run(LOGIN, &[(1_070, true)], vec![], true, Some(1_070_000))).status, Pass);
        let stopped = judge_l1(&run(LOGIN, &[(990, true), (1_010, false), (1_030, false)], vec![], true, Some(990_000)));
        assert_eq!(stopped.status, Fail);
        assert!(stopped.reason.contains("2 write(s) failed"), "{}", stopped.reason);
        assert_eq!(judge_l1(&run(LOGIN, &[], vec![], false, Some(1_070_000))).status, Fail);
        // The evidence shows the workers' tokens before and after, and the AM's keytab login.
        let bodies: String = stopped.evidence.iter().map(|e| e.body.as_str()).collect();
        assert!(bodies.contains("seq=7") && bodies.contains("at the end:") && bodies.contains("using keytab file"), "{bodies}");
    }

    #[test]
    fn l2_and_l3_read_the_keytab_in_hdfs() {
        let good = run(LOGIN, &[], vec![keytab("400", &[AM])], true, None);
        assert_eq!(judge_l2(&good).status, Pass);
        assert_eq!(judge_l3(&good).status, Pass);
        let mut exposed = run(LOGIN, &[], vec![keytab("644", &[AM])], true, None);
        exposed.localized[0].dirs[0].permission = "755".into();
        assert_eq!(judge_l2(&exposed).status, Pass);
        let l3 = judge_l3(&exposed);
        assert_eq!(l3.status, Fail);
        assert!(l3.reason.contains("644") && l3.reason.contains("launched anyway"), "{}", l3.reason);
        // The same 644 keytab inside the user's 700 directory: no other user can reach it.
        let shut = run(LOGIN, &[], vec![keytab("644", &[AM])], true, None);
        let l3 = judge_l3(&shut);
        assert_eq!(l3.status, Pass, "{}", l3.reason);
        assert!(l3.reason.contains("lets nobody else through"), "{}", l3.reason);
        // Someone else's keytab, or one whose path could not be read.
        let mut bobs = shut.clone();
        bobs.localized[0].owner = "bob".into();
        assert_eq!(judge_l3(&bobs).status, Fail);
        let mut unread = exposed.clone();
        unread.localized[0].dirs.clear();
        assert_eq!(judge_l3(&unread).status, crate::verdict::Status::Skipped);
        let none = run(LOGIN, &[], vec![localized("/user/alice/s/script.sh", "644", None, &[WORKER])], true, None);
        assert_eq!(judge_l2(&none).status, Fail);
        assert_eq!(judge_l3(&none).status, NotApplicable);
        // bob's keytab is not alice's.
        let bobs = run(LOGIN, &[], vec![localized("/user/alice/bob.keytab", "400", Some("bob/h@R.TEST"), &[AM])], true, None);
        assert_eq!(judge_l2(&bobs).status, Fail);
    }

    #[test]
    fn l4_and_l6_read_the_ams_token_file() {
        let r = run(LOGIN, &[], vec![], true, None);
        assert_eq!(judge_l4(&r, "198.18.0.3:8020").status, Pass);
        assert_eq!(judge_l4(&r, "198.18.0.9:8020").status, Fail);
        let l6 = judge_l6(&r);
        assert_eq!(l6.status, Pass, "{}", l6.reason);
        let mut died = r.clone();
        (died.app_first.state, died.app_last.state) = ("FAILED".into(), "FAILED".into());
        assert_eq!(judge_l6(&died).status, Fail);
        let mut no_amrm = r.clone();
        no_amrm.first[0].tokens = crate::facts::token_file::fixtures::file(vec![]);
        assert_eq!(judge_l6(&no_amrm).status, Fail);
        // An AM that had not started when yarnsec stopped waiting for the work is read at the end.
        let mut late = r.clone();
        late.first.retain(|c| !c.is_application_master());
        assert_eq!(judge_l4(&late, "198.18.0.3:8020").status, Pass);
        assert_eq!(judge_l6(&late).status, Pass);
        late.last.retain(|c| !c.is_application_master());
        let v = judge_l4(&late, "198.18.0.3:8020");
        assert_eq!(v.status, crate::verdict::Status::Skipped);
        assert!(v.reason.contains("no ApplicationMaster container"), "{}", v.reason);
        assert_eq!(judge_l6(&late).status, crate::verdict::Status::Skipped);
        // A token file that could not be read shows nothing either way.
        let mut unread = r.clone();
        unread.first[0].tokens = crate::facts::token_file::TokenFile::Missing;
        assert_eq!(judge_l4(&unread, "198.18.0.3:8020").status, crate::verdict::Status::Skipped);
        assert_eq!(judge_l6(&unread).status, crate::verdict::Status::Skipped);
    }

    #[test]
    fn l5_needs_a_keytab_login_of_the_user() {
        assert_eq!(judge_l5(&run(LOGIN, &[], vec![], true, None)).status, Pass);
        assert_eq!(judge_l5(&run(&LOGIN.replace("alice/", "bob/"), &[], vec![], true, None)).status, Fail);
        let silent = judge_l5(&run("INFO ServiceMaster: started", &[], vec![], true, None));
        assert_eq!(silent.status, Fail);
        assert!(silent.reason.contains("the KDC issued no ticket"), "{}", silent.reason);
    }

    /// An AM that logs nothing at INFO: the KDC's initial tickets for the node speak for it, when
    /// only the AM's container had the user's keytab and no other application of the user ran;
    /// else the log's silence stands.
    #[test]
    fn l5_takes_the_kdcs_word_when_only_this_am_can_have_logged_in() {
        let issued = yarnsec_hadoop::kerberos::AsIssue {
            authtime: 1_000,
            client: "198.18.0.3".into(),
            principal: "alice/hadoop.yarnsec.test@R.TEST".into(),
            server: "krbtgt/R.TEST@R.TEST".into(),
            line: "AS_REQ … ISSUE: authtime 1000 …, alice/hadoop.yarnsec.test@R.TEST for krbtgt/R.TEST@R.TEST".into(),
        };
        let mut quiet = run("WARN ServiceMaster: quiet", &[], vec![keytab("400", &[AM])], true, None);
        quiet.node_logins = Ok(NodeLogins { logins: vec![issued], other_apps: vec![] });
        let v = judge_l5(&quiet);
        assert_eq!(v.status, Pass, "{}", v.reason);
        assert!(v.reason.contains("the KDC issued 1 initial ticket(s) to alice/hadoop.yarnsec.test@R.TEST"), "{}", v.reason);
        assert!(v.evidence.iter().any(|e| e.body.contains("AS_REQ")), "{:#?}", v.evidence);
        // The workers had the keytab too: anyone's login.
        let mut shared = quiet.clone();
        shared.localized = vec![keytab("400", &[AM, WORKER])];
        assert_eq!(judge_l5(&shared).status, Fail);
        // Another application of alice ran when the login came (ended 3 s after it): hers, maybe.
        let mut crowded = quiet.clone();
        let mut other = crate::facts::app_run::fixtures::app("alice", "FINISHED", "SUCCEEDED");
        (other.id, other.started_time, other.finished_time) = ("application_1_0009".into(), 900_000, 1_003_000);
        crowded.node_logins.as_mut().unwrap().other_apps = vec![other.clone()];
        let v = judge_l5(&crowded);
        assert_eq!(v.status, Fail);
        assert!(v.reason.contains("another application of alice ran there"), "{}", v.reason);
        // One that ended well before does not count.
        other.finished_time = 990_000;
        crowded.node_logins.as_mut().unwrap().other_apps = vec![other];
        assert_eq!(judge_l5(&crowded).status, Pass);
        let mut unreadable = quiet.clone();
        unreadable.node_logins = Err("no such file".into());
        assert_eq!(judge_l5(&unreadable).status, crate::verdict::Status::Skipped);
    }

    #[test]
    fn l7_passes_with_a_propagated_keytab_or_fresh_tokens() {
        assert_eq!(judge_l7(&run(LOGIN, &[], vec![keytab("400", &[AM, WORKER])], true, None)).status, Pass);
        assert_eq!(judge_l7(&run(LOGIN, &[(1_070, true)], vec![keytab("400", &[AM])], true, Some(1_070_000))).status, Pass);
        let stale = judge_l7(&run(LOGIN, &[(990, true), (1_010, false)], vec![keytab("400", &[AM])], true, Some(990_000)));
        assert_eq!(stale.status, Fail);
        assert!(stale.reason.contains("neither the keytab nor fresh"), "{}", stale.reason);
        // The AM's own write after the check time keeps L1 but is no worker's: L7 FAILs.
        let mut am_only = run(LOGIN, &[(990, true), (1_010, false)], vec![keytab("400", &[AM])], true, None);
        am_only.outputs = vec![crate::facts::long_lived::Written {
            path: format!("/user/alice/out-{AM}.txt"),
            container: AM.into(),
            mtime_ms: 1_070_000,
        }];
        assert_eq!(judge_l1(&am_only).status, Pass);
        let v = judge_l7(&am_only);
        assert_eq!(v.status, Fail, "{}", v.reason);
        // The worker's own file written after the check: PASS, saying how the probe ran.
        let mut worker = am_only.clone();
        worker.outputs.push(crate::facts::long_lived::Written {
            path: format!("/user/alice/out-{WORKER}.txt"),
            container: WORKER.into(),
            mtime_ms: 1_071_000,
        });
        worker.last[1].logs.insert("stdout".into(), "probe=in-process\nput=ok 1071\n".into());
        let v = judge_l7(&worker);
        assert_eq!(v.status, Pass, "{}", v.reason);
        assert!(v.reason.contains(WORKER) && v.reason.contains("inside the framework's JVM"), "{}", v.reason);
        // No worker: nothing to judge when the application died first, else the AM is all there is.
        let mut alone = run(LOGIN, &[], vec![], true, None);
        alone.last.retain(|c| c.is_application_master());
        assert_eq!(judge_l7(&alone).status, NotApplicable);
        alone.app_last.state = "FAILED".into();
        assert_eq!(judge_l7(&alone).status, crate::verdict::Status::Skipped);
    }
}
