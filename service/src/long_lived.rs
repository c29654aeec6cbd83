//! Long-lived applications: a YARN service (Hadoop's framework for long-running applications)
//! launched for the user through the ResourceManager's services API, whose ApplicationMaster
//! logs in from the user's own keytab. The service stores that keytab in the user's HDFS home,
//! readable by the user only, beside the user's script, which the service's one component runs.

use reqwest::Method;
use serde_json::{json, Value};
use yarnsec_hadoop::webhdfs::WebHdfs;
use yarnsec_hadoop::Principal;

use crate::auth::Caller;
use crate::config::AuthMode;
use crate::error::ServiceError;
use crate::faults::Fault;
use crate::form::Submission;
use crate::submit::{Submitted, Submitter};

/// What one long-lived launch needs, all of it validated or staged already.
#[derive(Clone, Debug)]
pub struct ServicePlan {
    /// The YARN service's name (unique, DNS-like: the registry and the RM know it by it).
    pub name: String,
    /// Queue.
    pub queue: String,
    /// Memory of the component's container, MiB.
    pub memory_mb: u32,
    /// Its vcores.
    pub vcores: u32,
    /// `hdfs://…` of the staged script.
    pub script_url: String,
    /// `hdfs://…` of the user's keytab and the principal in it the AM logs in as (`None`: the
    /// application lives on its delegation tokens alone).
    pub login: Option<(String, String)>,
}

/// The file name the component's script is localized as.
pub const SCRIPT_FILE: &str = "script.sh";

/// The JSON body of `POST /app/v1/services`: one component running the user's script, which
/// YARN services localizes into its working directory, restarted if it exits.
pub fn service_spec(plan: &ServicePlan) -> Value {
    let mut spec = json!({
        "name": plan.name,
        "version": "1.0",
        "queue": plan.queue,
        "components": [{
            "name": "main",
            "number_of_containers": 1,
            "launch_command": format!("bash {SCRIPT_FILE}"),
            "resource": {"cpus": plan.vcores, "memory": plan.memory_mb.to_string()},
            "configuration": {"files": [{"type": "STATIC", "dest_file": SCRIPT_FILE, "src_file": plan.script_url}]}
        }]
    });
    if let Some((keytab, principal)) = &plan.login {
        spec["kerberos_principal"] = json!({"principal_name": principal, "keytab": keytab});
    }
    spec
}

/// The principal of `user` in a keytab that the ApplicationMaster logs in as: YARN services
/// wants one with a host (`user/host@REALM`).
pub fn principal_for(user: &str, principals: &[Principal]) -> Result<String, ServiceError> {
    principals.iter().find(|p| p.primary() == user && p.instance().is_some()).map(Principal::to_string).ok_or_else(|| {
        let held = principals.iter().map(Principal::to_string).collect::<Vec<_>>().join(", ");
        ServiceError::BadField {
            field: "keytab".into(),
            message: format!(
                "the keytab holds no principal of {user} with a host ({user}/<host>@REALM), which YARN services logs in as; it holds: {}",
                if held.is_empty() { "nothing" } else { &held }
            ),
        }
    })
}

/// A YARN service name from an application name: lower-case letters, digits and `-`, starting
/// with a letter, made unique with `unique`.
///
/// ```
/// assert_eq!(yarnsec_service::long_lived::service_name("My Probe_1", 35), "my-probe-1-z");
/// assert_eq!(yarnsec_service::long_lived::service_name("42", 1), "svc-42-1");
/// ```
pub fn service_name(name: &str, unique: u64) -> String {
    let mut base: String = name.to_ascii_lowercase().chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    base = base.split('-').filter(|p| !p.is_empty()).collect::<Vec<_>>().join("-");
    if !base.starts_with(|c: char| c.is_ascii_lowercase()) {
        base = format!("svc-{base}").trim_end_matches('-').to_string();
    }
    base.truncate(40);
    format!("{}-{}", base.trim_end_matches('-'), base36(unique))
}

fn base36(mut n: u64) -> String {
    let digits = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    loop {
        out.push(digits[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII")
}

/// The application id in the services API's answer (`"diagnostics": "Application ID: …"`).
pub fn application_id_in(answer: &str) -> Option<String> {
    let at = answer.find("application_")?;
    let id: String = answer[at..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    (id.matches('_').count() == 2).then_some(id)
}

impl Submitter {
    /// Launches `submission` as a long-lived application for `caller`, logging in from `keytab`.
    pub async fn submit_long_lived(&self, caller: &Caller, submission: Submission, keytab: Vec<u8>) -> Result<Submitted, ServiceError> {
        let cfg = self.config();
        let refuse = |message: &str| ServiceError::BadField { field: "long_lived".into(), message: message.into() };
        if !cfg.long_lived {
            return Err(refuse("this service launches no long-lived applications (`long_lived = false` in its configuration)"));
        }
        if cfg.auth != AuthMode::Kerberos || self.has_token_file() {
            return Err(refuse("long-lived applications need the service's own Kerberos login, which it does not have here"));
        }
        let user = self.user_for(caller);
        let do_as = (user != self.service_user()).then_some(user.as_str());
        let auth = self.auth();
        let principals = yarnsec_hadoop::kerberos::keytab_principals(&keytab)
            .map_err(|e| ServiceError::BadField { field: "keytab".into(), message: e.to_string() })?;
        let principal = principal_for(&user, &principals)?;

        let unique = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or_default();
        let name = service_name(&submission.name, unique);
        let fs = WebHdfs::new(self.http().clone(), &cfg.namenode_http);
        let exposed = cfg.fault(Fault::WorldReadableKeytabInHdfs);
        // The mistake is real only where other users can reach the file: the user's home is
        // theirs alone (700), so the faulty service stages in a shared directory, as a service
        // that keeps its users' files in one place of its own would.
        let dir = if exposed { format!("/tmp/yarnsec-services-{user}/{name}") } else { format!("/user/{user}/.yarnsec/services/{name}") };
        fs.mkdirs(&dir, Some(if exposed { "755" } else { "700" }), auth, do_as).await?;
        let script_path = format!("{dir}/{SCRIPT_FILE}");
        fs.create(&script_path, submission.script.clone(), true, auth, do_as).await?;
        let login = if cfg.fault(Fault::NoKeytab) {
            None
        } else {
            // Written into a directory only the user may enter, then made owner-only (the checklist's
            // rule for a keytab in HDFS), before anything is launched with it.
            let keytab_path = format!("{dir}/{user}.keytab");
            fs.create(&keytab_path, keytab, true, auth, do_as).await?;
            fs.set_permission(&keytab_path, if exposed { "644" } else { "400" }, auth, do_as).await?;
            Some((format!("hdfs://{}{keytab_path}", cfg.namenode_rpc), principal))
        };
        let plan = ServicePlan {
            name: name.clone(),
            queue: submission.queue.clone(),
            memory_mb: submission.memory_mb,
            vcores: submission.vcores,
            script_url: format!("hdfs://{}{script_path}", cfg.namenode_rpc),
            login,
        };
        let mut url = cfg.services_api();
        if let Some(u) = do_as {
            url = format!("{url}?doAs={u}");
        }
        let body = serde_json::to_vec(&service_spec(&plan)).expect("JSON serializes");
        let answer = self.http().send(Method::POST, &url, auth, Some((body, "application/json")), None).await?.success("POST")?;
        let text = answer.text();
        let application_id = application_id_in(&text).ok_or_else(|| {
            ServiceError::Hadoop(yarnsec_hadoop::HttpError::Status {
                method: "POST".into(),
                url: url.clone(),
                status: answer.status.as_u16(),
                body: format!("the services API named no application: {}", text.chars().take(400).collect::<String>()),
            })
        })?;
        let tracking_url = format!("{}/proxy/{application_id}/", cfg.resourcemanager_http.trim_end_matches('/'));
        tracing::info!(%user, application = %application_id, service = %name, keytab = plan.login.is_some(), "launched a long-lived service");
        Ok(Submitted { application_id, tracking_url, user, token_kinds: Vec::new() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spec_runs_the_script_and_logs_in_from_the_keytab() {
        let plan = ServicePlan {
            name: "yarnsec-probe-1".into(),
            queue: "default".into(),
            memory_mb: 512,
            vcores: 1,
            script_url: "hdfs://hadoop.yarnsec.test:8020/user/alice/.yarnsec/services/yarnsec-probe-1/script.sh".into(),
            login: Some((
                "hdfs://hadoop.yarnsec.test:8020/user/alice/.yarnsec/services/yarnsec-probe-1/alice.keytab".into(),
                "alice/hadoop.yarnsec.test@YARNSEC.TEST".into(),
            )),
        };
        insta::assert_json_snapshot!(service_spec(&plan));
        let without = service_spec(&ServicePlan { login: None, ..plan });
        assert!(without.get("kerberos_principal").is_none());
    }

    #[test]
    fn the_principal_is_the_users_with_a_host() {
        let p = |s: &str| s.parse::<Principal>().unwrap();
        assert_eq!(principal_for("alice", &[p("alice@R"), p("alice/h@R")]).unwrap(), "alice/h@R");
        let e = principal_for("alice", &[p("alice@R"), p("bob/h@R")]).unwrap_err().to_string();
        assert!(e.contains("alice/<host>@REALM") && e.contains("bob/h@R"), "{e}");
    }

    #[test]
    fn the_answer_names_the_application() {
        let answer = r#"{"uri":"/v1/services/x","diagnostics":"Application ID: application_1764000000000_0007","state":"ACCEPTED"}"#;
        assert_eq!(application_id_in(answer).as_deref(), Some("application_1764000000000_0007"));
        assert_eq!(application_id_in(r#"{"diagnostics":"Service x is being launched"}"#), None);
    }

    proptest::proptest! {
        #[test]
        fn service_names_are_dns_labels(name in ".{0,80}", unique in proptest::num::u64::ANY) {
            let n = service_name(&name, unique);
            proptest::prop_assert!(n.len() <= 63 && n.starts_with(|c: char| c.is_ascii_lowercase()));
            proptest::prop_assert!(n.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'));
            proptest::prop_assert!(!n.contains("--"));
        }
    }
}
