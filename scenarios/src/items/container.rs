//! Container-code items (K1–K2): about Hadoop client code running inside the application's
//! containers, judged for services that declare it (`container_code = "jvm"`) on the JVM where
//! that code runs ([`crate::facts::container_jvm`]): the classes it loaded (K1: Hadoop security
//! set up, its RPC client speaking SASL) and its threads after one token renew interval (K2: a
//! thread that renews tokens). The probe must run inside the team's JVM (`YarnsecProbe.run()`
//! called from its container code) for these to be about the team's code.

use super::require_kerberos;
use crate::context::Context;
use crate::facts::container_jvm::ContainerJvm;
use crate::facts::thread_dump::{renews_tokens, threads};
use crate::verdict::{Evidence, Verdict};
use yarnsec_submitter::service::ContainerCode;
use yarnsec_submitter::workload::Workload;

/// K1, K2.
pub async fn k(id: &str, ctx: &Context<'_>) -> Verdict {
    match ctx.service.features.container_code {
        ContainerCode::None => {
            return Verdict::not_applicable(format!(
                "the service `{}` declares that its containers run no Hadoop client code of their own (`container_code`), so there is no security setup or renewer to look for inside them; their HDFS access through delegation tokens is judged by A5",
                ctx.service.name
            ))
        }
        ContainerCode::Jvm => {}
    }
    or_verdict!(require_kerberos(ctx));
    if ctx.service.workload != Workload::Jvm {
        return Verdict::skipped(format!(
            "the service declares JVM container code but its workload is `{}`: set `workload = \"jvm\"` and call `YarnsecProbe.run()` from the container code, so that yarnsec's probe runs inside that JVM",
            ctx.service.workload.name()
        ));
    }
    let jvm = or_verdict!(super::container_run::shared(ctx).await);
    match id {
        "K1" => judge_k1(jvm),
        _ => judge_k2(jvm),
    }
}

/// Why a probe run as a JVM of its own shows nothing of the team's code.
fn own_jvm(jvm: &ContainerJvm) -> Verdict {
    Verdict::skipped(format!(
        "the probe ran in {} as a JVM of its own (`probe=process`): that JVM runs yarnsec's code only, so nothing of the team's container code can be seen; call `YarnsecProbe.run()` from the container code (the jar on its class path) to have K1–K2 judge it",
        jvm.container
    ))
}

fn where_(jvm: &ContainerJvm) -> String {
    format!(
        "{} ({})",
        jvm.container,
        if jvm.application_master { "the ApplicationMaster's own container" } else { "a container the AM launched" }
    )
}

/// The classes of Hadoop's that tell security was set up: UserGroupInformation (Hadoop's
/// security entry point), and the RPC client's SASL layer, which it only uses with security on.
const UGI: &str = "org.apache.hadoop.security.UserGroupInformation";
const SASL: &str = "org.apache.hadoop.security.SaslRpcClient";

/// K1's judgment: the container's JVM set up Hadoop's security (UserGroupInformation loaded) and
/// runs with it on (its RPC client speaks SASL).
pub fn judge_k1(jvm: &ContainerJvm) -> Verdict {
    if !jvm.in_process {
        return own_jvm(jvm);
    }
    let classes = match &jvm.classes {
        Ok(c) => c,
        Err(e) => return Verdict::skipped(format!("the classes {} loaded could not be listed: {e}", where_(jvm))),
    };
    // `VM.class_hierarchy` lines: `|  |--org.apache.hadoop.security.SaslRpcClient/0x…` (the
    // class, then its loader).
    let loaded: Vec<&str> = classes
        .lines()
        .filter_map(|l| l.trim_start_matches(['|', '-', ' ']).split_whitespace().next())
        .map(|c| c.split('/').next().unwrap_or(c))
        .collect();
    let has = |class: &str| loaded.contains(&class);
    let mut hadoop: Vec<&str> = loaded.iter().copied().filter(|c| c.starts_with("org.apache.hadoop.security.")).collect();
    hadoop.sort();
    hadoop.dedup();
    let evidence = vec![Evidence::new(
        "jvm",
        format!("Hadoop security classes loaded in {}, after {} s", where_(jvm), jvm.lived.as_secs()),
        if hadoop.is_empty() { "(none)".to_string() } else { hadoop.join("\n") },
    )];
    match (has(UGI), has(SASL)) {
        (true, true) => Verdict::pass(
            format!(
                "the container code's JVM in {} set up Hadoop security: UserGroupInformation is initialised and its RPC client speaks SASL (security on){}",
                where_(jvm),
                if jvm.wrote { ", and its write to HDFS worked" } else { "" }
            ),
            evidence,
        ),
        (true, false) => Verdict::fail(
            format!(
                "the container code's JVM in {} loaded UserGroupInformation but its RPC client never spoke SASL: Hadoop security is off in that JVM (its configuration lacks hadoop.security.authentication=kerberos, or UserGroupInformation was set up before the cluster's configuration was loaded){}",
                where_(jvm),
                if jvm.wrote { "" } else { "; its write to HDFS did not work" }
            ),
            evidence,
        ),
        (false, _) => Verdict::fail(
            format!(
                "the container code's JVM in {} never set up Hadoop security: UserGroupInformation is not loaded after {} s (call UserGroupInformation.isSecurityEnabled() with the cluster's configuration to trigger it)",
                where_(jvm),
                jvm.lived.as_secs()
            ),
            evidence,
        ),
    }
}

/// K2's judgment: the container code's JVM runs a thread that renews tokens (as A3 reads the
/// AM's), after one renew interval of its life.
pub fn judge_k2(jvm: &ContainerJvm) -> Verdict {
    if !jvm.in_process {
        return own_jvm(jvm);
    }
    let dump = match &jvm.dump {
        Ok(d) => d,
        Err(e) => return Verdict::skipped(format!("no thread dump of {} could be taken: {e}", where_(jvm))),
    };
    let all = threads(dump);
    if all.is_empty() {
        return Verdict::skipped(format!("the thread dump of {} holds no thread", where_(jvm)));
    }
    let names: Vec<&str> = all.iter().filter_map(|t| t.lines().next()).map(|h| h.split('"').nth(1).unwrap_or(h)).collect();
    let mut evidence = vec![Evidence::new(
        "thread_dump",
        format!("the {} threads of {} after it ran {} s", all.len(), where_(jvm), jvm.lived.as_secs()),
        names.join("\n"),
    )];
    let renewers: Vec<&String> = all.iter().filter(|t| renews_tokens(t)).collect();
    if renewers.is_empty() {
        return Verdict::fail(
            format!(
                "the container code's JVM in {} runs no thread that renews tokens ({} threads after {} s, none renewing): its tokens live only as long as the ResourceManager renews them, and not past their max lifetime",
                where_(jvm),
                all.len(),
                jvm.lived.as_secs()
            ),
            evidence,
        );
    }
    evidence.push(Evidence::new(
        "thread_dump",
        "threads that renew tokens",
        renewers.iter().map(|t| t.as_str()).collect::<Vec<_>>().join("\n\n"),
    ));
    Verdict::pass(format!("the container code's JVM in {} runs {} token-renewing thread(s)", where_(jvm), renewers.len()), evidence)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verdict::Status;
    use std::time::Duration;

    fn jvm(classes: &str, dump: &str) -> ContainerJvm {
        ContainerJvm {
            app_id: "application_1_0001".into(),
            container: "container_1_0001_01_000002".into(),
            application_master: false,
            in_process: true,
            classes: Ok(classes.into()),
            dump: Ok(dump.into()),
            lived: Duration::from_secs(66),
            wrote: true,
        }
    }

    const SECURE: &str = "java.lang.Object/null\n|--org.apache.hadoop.security.UserGroupInformation/0x0000000800c0b8a8\n|  |--org.apache.hadoop.security.SaslRpcClient/0x0000000800c0b8a8\n";
    const DUMP: &str = "Full thread dump\n\n\"Executor task launch worker for task 0.0\" #40\n   at YarnsecProbe.probe\n";

    #[test]
    fn k1_needs_security_set_up_in_the_containers_jvm() {
        assert_eq!(judge_k1(&jvm(SECURE, DUMP)).status, Status::Pass);
        let off = jvm("java.lang.Object/null\n|--org.apache.hadoop.security.UserGroupInformation/0x01\n", DUMP);
        let v = judge_k1(&off);
        assert_eq!(v.status, Status::Fail);
        assert!(v.reason.contains("never spoke SASL"), "{}", v.reason);
        let v = judge_k1(&jvm("java.lang.Object/null\n", DUMP));
        assert_eq!(v.status, Status::Fail);
        assert!(v.reason.contains("isSecurityEnabled"), "{}", v.reason);
        assert_eq!(judge_k1(&ContainerJvm { classes: Err("attach refused".into()), ..jvm(SECURE, DUMP) }).status, Status::Skipped);
        // yarnsec's probe as a JVM of its own is not the team's code.
        assert_eq!(judge_k1(&ContainerJvm { in_process: false, ..jvm(SECURE, DUMP) }).status, Status::Skipped);
    }

    #[test]
    fn k2_needs_a_renewing_thread() {
        let v = judge_k2(&jvm(SECURE, DUMP));
        assert_eq!(v.status, Status::Fail);
        assert!(v.reason.contains("no thread that renews tokens"), "{}", v.reason);
        let renewing =
            format!("{DUMP}\n\"Credential Renewal Thread\" #41 daemon\n   at java.util.concurrent.locks.LockSupport.parkNanos\n");
        assert_eq!(judge_k2(&jvm(SECURE, &renewing)).status, Status::Pass);
        assert_eq!(judge_k2(&ContainerJvm { dump: Err("no JVM".into()), ..jvm(SECURE, DUMP) }).status, Status::Skipped);
        assert_eq!(judge_k2(&ContainerJvm { in_process: false, ..jvm(SECURE, DUMP) }).status, Status::Skipped);
    }
}
