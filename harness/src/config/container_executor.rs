//! The NodeManager with yarnsec's `container-executor`: the helper's configuration file and the
//! `yarn-site.xml` keys that make the NodeManager run each container as its user.

use super::hadoop::PropertyOverride;
use crate::layout::paths;
use crate::SecurityProfile;

/// Where the helper is installed in the image.
pub const HELPER: &str = "/opt/hadoop/bin/container-executor";

/// The group the NodeManager runs in and the helper belongs to.
pub const NM_GROUP: &str = "hadoop";

/// `container-executor.cfg`: the daemons' accounts and system accounts never run containers.
pub fn helper_cfg() -> String {
    format!(
        "# yarnsec's container-executor (root-owned; see docs/container-executor.md)\n\
         yarn.nodemanager.linux-container-executor.group={NM_GROUP}\n\
         banned.users=hdfs,yarn,mapred,bin,zookeeper\n\
         min.user.id=1000\n\
         allowed.system.users=\n\
         yarn.nodemanager.local-dirs={}\n\
         yarn.nodemanager.log-dirs={}\n",
        paths::NM_LOCAL,
        paths::NM_LOGS
    )
}

/// The `yarn-site.xml` keys for `LinuxContainerExecutor` with the helper on a cluster of `profile`.
pub fn yarn_site_overrides(profile: &SecurityProfile) -> Vec<PropertyOverride> {
    let opens: String = yarnsec_hadoop::java::java17_add_opens().map(|o| format!(" {o}")).collect();
    let mut keys = vec![
        ("yarn.nodemanager.container-executor.class", "org.apache.hadoop.yarn.server.nodemanager.LinuxContainerExecutor".to_string()),
        ("yarn.nodemanager.linux-container-executor.path", HELPER.to_string()),
        ("yarn.nodemanager.linux-container-executor.group", NM_GROUP.to_string()),
        // The localizer is a JVM the helper starts as the user to fetch a container's files:
        // Java 17 needs the daemons' opens; a short JVM's options (the localizers were an eighth
        // of a run's CPU). It gets the NodeManager's class path, jars first, so the image's
        // shared classes map.
        (
            "yarn.nodemanager.container-localizer.admin.java.opts",
            format!("-XX:+IgnoreUnrecognizedVMOptions {}{opens}", yarnsec_hadoop::java::short_jvm_options()),
        ),
        // Each container's logs now belong to its user, as SecureIOUtils demands on a Kerberos
        // cluster: the NodeManager aggregates them to HDFS when the application ends.
        ("yarn.log-aggregation-enable", "true".to_string()),
    ];
    if !profile.kerberos() {
        // Without Kerberos, run as the submitting user too (not as `nobody`); with Kerberos the
        // NodeManager always does, and this key would only add a warning to its log.
        keys.push(("yarn.nodemanager.linux-container-executor.nonsecure-mode.limit-users", "false".to_string()));
    }
    keys.into_iter().map(|(k, v)| ("yarn-site.xml".to_string(), k.to_string(), v)).collect()
}
