//! The application submission context the service posts to the ResourceManager REST API:
//! Hadoop's DistributedShell ApplicationMaster, running the user's script in one container.

use serde_json::{json, Value};

/// Everything one submission needs (all of it already validated or obtained).
#[derive(Clone, Debug)]
pub struct LaunchPlan {
    /// The application id from `new-application`.
    pub app_id: String,
    /// Application name.
    pub name: String,
    /// Queue.
    pub queue: String,
    /// Memory of the script's container, MiB.
    pub memory_mb: u32,
    /// Vcores of the script's container.
    pub vcores: u32,
    /// `hdfs://host:port/path` of the staged script, under `<home>/yarnsec/<app id>/`.
    pub script_url: String,
    /// Its length in bytes.
    pub script_len: u64,
    /// Its HDFS modification time (the NodeManager checks it when localizing).
    pub script_timestamp: i64,
    /// Delegation tokens by alias, in URL-safe string form.
    pub tokens: Vec<(String, String)>,
    /// Extra environment for the ApplicationMaster (HADOOP_USER_NAME, HADOOP_JAAS_DEBUG).
    pub env: Vec<(String, String)>,
    /// The user the application runs as (its ACLs name only this user).
    pub user: String,
    /// The user's HDFS home; DistributedShell removes `<home>/yarnsec/<app id>` when it ends.
    pub home: String,
    /// Environment the ApplicationMaster passes on to the worker container (`--shell_env`).
    pub worker_env: Vec<(String, String)>,
    /// Whether the ResourceManager cancels the application's tokens when it completes.
    pub cancel_tokens: bool,
}

/// Where the Hadoop jars and configuration are on every node (the NodeManager's own classpath):
/// nothing needs to be localized for the ApplicationMaster. The jars come first: the image's
/// shared classes map only then ([`yarnsec_hadoop::java::SHARED_ARCHIVE`]).
pub const NODE_CLASSPATH: &str = "/opt/hadoop/jars/*:/opt/hadoop/conf";

/// The `--add-opens` flags Hadoop needs on Java 17.
pub fn java17_opens() -> String {
    yarnsec_hadoop::java::java17_add_opens().collect::<Vec<_>>().join(" ")
}

fn entries(pairs: &[(String, String)]) -> Value {
    Value::Array(pairs.iter().map(|(k, v)| json!({"key": k, "value": v})).collect())
}

/// The JSON body of `POST /ws/v1/cluster/apps`.
pub fn submission_context(plan: &LaunchPlan) -> Value {
    let mut env = vec![
        ("CLASSPATH".to_string(), NODE_CLASSPATH.to_string()),
        ("DISTRIBUTEDSHELLSCRIPTLOCATION".to_string(), plan.script_url.clone()),
        ("DISTRIBUTEDSHELLSCRIPTTIMESTAMP".to_string(), plan.script_timestamp.to_string()),
        ("DISTRIBUTEDSHELLSCRIPTLEN".to_string(), plan.script_len.to_string()),
    ];
    env.extend(plan.env.iter().cloned());
    let command = format!(
        "{{{{JAVA_HOME}}}}/bin/java -Xmx256m -XX:+IgnoreUnrecognizedVMOptions {short} {opens} \
         org.apache.hadoop.yarn.applications.distributedshell.ApplicationMaster \
         --container_memory {mem} --container_vcores {vcores} --num_containers 1 --priority 0 \
         --appname yarnsec --homedir {home}{shell_env} \
         1><LOG_DIR>/AppMaster.stdout 2><LOG_DIR>/AppMaster.stderr",
        short = yarnsec_hadoop::java::short_jvm_options(),
        opens = java17_opens(),
        mem = plan.memory_mb,
        vcores = plan.vcores,
        home = plan.home,
        shell_env = plan.worker_env.iter().map(|(k, v)| format!(" --shell_env {k}={v}")).collect::<String>(),
    );
    json!({
        "application-id": plan.app_id,
        "application-name": plan.name,
        "queue": plan.queue,
        "application-type": "YARNSEC-DISTRIBUTED-SHELL",
        "priority": 0,
        "unmanaged-AM": false,
        // One attempt: a second would run a script that may not be idempotent.
        "max-app-attempts": 1,
        // The RM cancels the application's tokens when it ends (the checklist recommends it).
        "cancel-tokens-when-complete": plan.cancel_tokens,
        "keep-containers-across-application-attempts": false,
        "resource": {"memory": 512, "vCores": 1},
        "am-container-spec": {
            "local-resources": {"entry": []},
            "environment": {"entry": entries(&env)},
            "commands": {"command": command},
            "credentials": {
                "tokens": {"entry": entries(&plan.tokens)},
                "secrets": {"entry": []}
            },
            "application-acls": {"entry": entries(&[("VIEW_APP".to_string(), plan.user.clone()), ("MODIFY_APP".to_string(), plan.user.clone())])}
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_context_carries_tokens_script_and_environment() {
        let plan = LaunchPlan {
            app_id: "application_1_0001".into(),
            name: "n".into(),
            queue: "default".into(),
            memory_mb: 1024,
            vcores: 2,
            script_url: "hdfs://hadoop.yarnsec.test:8020/user/alice/.yarnsec/application_1_0001/ExecScript.sh".into(),
            script_len: 12,
            script_timestamp: 1700000000000,
            tokens: vec![("198.18.0.3:8020".into(), "TOKEN".into())],
            env: vec![("HADOOP_USER_NAME".into(), "alice".into())],
            user: "alice".into(),
            home: "/user/alice".into(),
            worker_env: vec![("HADOOP_USER_NAME".into(), "alice".into())],
            cancel_tokens: true,
        };
        insta::assert_json_snapshot!(submission_context(&plan));
    }
}
