//! The Hadoop container's configuration: `core-site.xml`, `hdfs-site.xml`, `yarn-site.xml`,
//! `mapred-site.xml`, `capacity-scheduler.xml` and `log4j.properties`.

use std::time::Duration;

use yarnsec_hadoop::config::SiteXml;

use super::ConfigFiles;
use crate::layout::{paths, ports, Layout, SERVICE_USER};
use crate::SecurityProfile;

fn ms(d: Duration) -> String {
    d.as_millis().to_string()
}

/// A property set by the user over the generated ones: (file name such as `hdfs-site.xml`,
/// property name, value).
pub type PropertyOverride = (String, String, String);

/// Every file of `/opt/hadoop/conf` for this profile and layout, with `overrides` applied last.
pub fn hadoop_files(profile: &SecurityProfile, layout: &Layout, overrides: &[PropertyOverride]) -> ConfigFiles {
    let mut files = ConfigFiles::default();
    let conf = |name: &str| format!("{}/{name}", paths::HADOOP_CONF);
    for (name, mut site) in [
        ("core-site.xml", core_site(profile, layout)),
        ("hdfs-site.xml", hdfs_site(profile, layout)),
        ("yarn-site.xml", yarn_site(profile, layout)),
        ("mapred-site.xml", mapred_site()),
    ] {
        for (_, key, value) in overrides.iter().filter(|(file, _, _)| file == name) {
            site.set(key.clone(), value);
        }
        files.insert(conf(name), site.to_xml());
    }
    files.insert(conf("capacity-scheduler.xml"), capacity_scheduler().to_xml());
    files.insert(conf("log4j.properties"), LOG4J.to_string());
    for (path, content) in super::zookeeper_files(profile, layout).iter() {
        files.insert(path, content);
    }
    files
}

/// Every file of `/opt/hadoop/conf` for the remote HDFS container: the same security settings as
/// the main node, its own NameNode and namespace at the remote host.
pub fn remote_hdfs_files(profile: &SecurityProfile, layout: &Layout) -> ConfigFiles {
    let mut files = ConfigFiles::default();
    let conf = |name: &str| format!("{}/{name}", paths::HADOOP_CONF);
    let host = layout.remote_host();
    let mut core = core_site(profile, layout);
    core.set("fs.defaultFS", format!("hdfs://{host}:{}", ports::NAMENODE_RPC));
    files.insert(conf("core-site.xml"), core.to_xml());
    files.insert(conf("hdfs-site.xml"), hdfs_site_on(profile, layout, &host).to_xml());
    files.insert(conf("log4j.properties"), LOG4J.to_string());
    files
}

fn keytab(name: &str) -> String {
    format!("{}/{name}.keytab", paths::KEYTABS)
}

/// `core-site.xml`: authentication, RPC protection, principal mapping, web SPNEGO, proxy users.
pub fn core_site(profile: &SecurityProfile, layout: &Layout) -> SiteXml {
    let mut x = SiteXml::new();
    x.set("fs.defaultFS", format!("hdfs://{}:{}", layout.hadoop_host(), ports::NAMENODE_RPC));
    // The submission service may act for the test users from any host (the service container's
    // address is not known when this file is written).
    x.set(format!("hadoop.proxyuser.{SERVICE_USER}.hosts"), "*");
    x.set(format!("hadoop.proxyuser.{SERVICE_USER}.users"), layout.users.iter().map(|u| u.name.as_str()).collect::<Vec<_>>().join(","));
    // The ResourceManager's services API launches a YARN service as the user who asked (a proxy
    // user of the RM's own login, whose short name is yarn), from the RM's host only.
    x.set("hadoop.proxyuser.yarn.hosts", layout.hadoop_host());
    x.set("hadoop.proxyuser.yarn.users", layout.users.iter().map(|u| u.name.as_str()).collect::<Vec<_>>().join(","));
    // Hadoop's service registry, in the node's ZooKeeper; secured with Kerberos when the
    // cluster is (see config/zookeeper.rs for the ids and ACLs).
    x.set("hadoop.registry.zk.quorum", format!("{}:{}", layout.hadoop_host(), ports::ZOOKEEPER));
    x.set("hadoop.registry.zk.root", super::REGISTRY_ROOT);
    x.set("hadoop.registry.secure", profile.kerberos().to_string());
    if profile.kerberos() {
        // Without it a registry client (the ResourceManager's services API cleaning a destroyed
        // service up) connects anonymously, and ZooKeeper closes its session.
        x.set("hadoop.registry.client.auth", "kerberos");
    }
    x.set("hadoop.registry.system.accounts", super::SYSTEM_ACCOUNTS.map(|a| format!("sasl:{a}")).join(","));
    // The daemons start side by side: a DataNode or NodeManager that calls before its NameNode
    // or ResourceManager listens calls again after this pause (Hadoop's default, 1 s, was waited
    // out on every start), as many times as make the same 10 s in all.
    x.set("ipc.client.connect.retry.interval", 100);
    x.set("ipc.client.connect.max.retries", 100);
    x.set("hadoop.http.authentication.simple.anonymous.allowed", "false");
    x.set("hadoop.http.authentication.signature.secret.file", paths::HTTP_SECRET);
    // The web cookie lives no longer than a ticket, so browsers must re-authenticate as often.
    x.set("hadoop.http.authentication.token.validity", profile.ticket_lifetime().as_secs());
    x.set("hadoop.http.filter.initializers", "org.apache.hadoop.security.AuthenticationFilterInitializer");
    if profile.kerberos() {
        x.set("hadoop.security.authentication", "kerberos");
        x.set("hadoop.security.authorization", "true");
        x.set("hadoop.rpc.protection", profile.rpc_protection());
        // Service principals map to the OS users that run the daemons: nn and dn to hdfs, rm, nm
        // and tl to yarn. The RM's short name, yarn, is therefore the renewer of app tokens.
        x.set(
            "hadoop.security.auth_to_local",
            "RULE:[2:$1@$0](nn@.*)s/.*/hdfs/\nRULE:[2:$1@$0](dn@.*)s/.*/hdfs/\nRULE:[2:$1@$0](rm@.*)s/.*/yarn/\nRULE:[2:$1@$0](nm@.*)s/.*/yarn/\nRULE:[2:$1@$0](tl@.*)s/.*/yarn/\nDEFAULT",
        );
        // Tickets live minutes: let daemons re-login from their keytabs soon and on their own.
        x.set("hadoop.kerberos.min.seconds.before.relogin", 10);
        x.set("hadoop.kerberos.keytab.login.autorenewal.enabled", "true");
        x.set("hadoop.http.authentication.type", "kerberos");
        x.set("hadoop.http.authentication.kerberos.principal", layout.host_principal("HTTP"));
        x.set("hadoop.http.authentication.kerberos.keytab", keytab("http"));
        // AES for block data (see `hdfs_site`) through the JCE only: Hadoop tries OpenSSL first,
        // through a native library no client here has, and prints the failure with its stack
        // trace into every client's output (the probes' included).
        if profile.data_transfer_protection() == Some(crate::profile::Protection::Privacy) {
            x.set("hadoop.security.crypto.codec.classes.aes.ctr.nopadding", "org.apache.hadoop.crypto.JceAesCtrCryptoCodec");
        }
    } else {
        x.set("hadoop.security.authentication", "simple");
        x.set("hadoop.security.authorization", "false");
        x.set("hadoop.http.authentication.type", "simple");
    }
    x
}

/// `hdfs-site.xml`: one NameNode, one DataNode, block tokens, SASL data transfer, short tokens.
pub fn hdfs_site(profile: &SecurityProfile, layout: &Layout) -> SiteXml {
    hdfs_site_on(profile, layout, &layout.hadoop_host())
}

/// `hdfs-site.xml` for a NameNode and DataNode on `host`.
fn hdfs_site_on(profile: &SecurityProfile, layout: &Layout, host: &str) -> SiteXml {
    let mut x = SiteXml::new();
    x.set("dfs.replication", 1);
    x.set("dfs.namenode.name.dir", "/data/hdfs/nn");
    x.set("dfs.datanode.data.dir", "/data/hdfs/dn");
    x.set("dfs.namenode.rpc-address", format!("{host}:{}", ports::NAMENODE_RPC));
    x.set("dfs.namenode.http-address", format!("{host}:{}", ports::NAMENODE_HTTP));
    x.set("dfs.namenode.rpc-bind-host", "0.0.0.0");
    x.set("dfs.namenode.http-bind-host", "0.0.0.0");
    x.set("dfs.datanode.address", format!("0.0.0.0:{}", ports::DATANODE_DATA));
    x.set("dfs.datanode.http.address", format!("0.0.0.0:{}", ports::DATANODE_HTTP));
    x.set("dfs.datanode.ipc.address", format!("0.0.0.0:{}", ports::DATANODE_IPC));
    x.set("dfs.datanode.hostname", host);
    x.set("dfs.namenode.datanode.registration.ip-hostname-check", "false");
    // Fast registration and no waiting in safe mode: readiness is observed, so these only save time.
    x.set("dfs.heartbeat.interval", 1);
    x.set("dfs.namenode.safemode.extension", 0);
    x.set("dfs.namenode.safemode.min.datanodes", 1);
    x.set("dfs.permissions.enabled", "true");
    x.set("dfs.namenode.acls.enabled", "true");
    x.set("dfs.permissions.superusergroup", "supergroup");
    x.set("dfs.webhdfs.enabled", "true");
    x.set("dfs.namenode.delegation.token.renew-interval", ms(profile.token_renew_interval()));
    x.set("dfs.namenode.delegation.token.max-lifetime", ms(profile.token_max_lifetime()));
    // Master keys must outlive the tokens they sign; roll them as often as tokens renew.
    x.set("dfs.namenode.delegation.key.update-interval", ms(profile.token_renew_interval()));
    if profile.kerberos() {
        x.set("dfs.block.access.token.enable", "true");
        if let Some(p) = profile.data_transfer_protection() {
            x.set("dfs.data.transfer.protection", p);
            if p == crate::profile::Protection::Privacy {
                // Once SASL has authenticated both ends, the block data is encrypted with AES
                // (AES-NI through the JCE) instead of DIGEST-MD5's own 3DES: 14 MB/s and 70
                // CPU-ms per MB on each side here, which made every Spark submission's 300 MB of
                // jars and every YARN service's 94 MB take minutes of CPU. What a cluster with
                // wire encryption sets (Hadoop's SecureMode guide); DIGEST-MD5 still carries the
                // key exchange. AES-CTR has no MAC, unlike SASL's wrap (HDFS's packet checksums
                // remain). A client without the key falls back to DIGEST-MD5's cipher.
                x.set("dfs.encrypt.data.transfer.cipher.suites", "AES/CTR/NoPadding");
            }
        }
        // SASL on the data transfer port instead of privileged ports and jsvc (test clusters only).
        x.set("ignore.secure.ports.for.testing", "true");
        x.set("dfs.namenode.kerberos.principal", layout.host_principal("nn"));
        x.set("dfs.namenode.keytab.file", keytab("hdfs"));
        x.set("dfs.datanode.kerberos.principal", layout.host_principal("dn"));
        x.set("dfs.datanode.keytab.file", keytab("hdfs"));
        x.set("dfs.web.authentication.kerberos.principal", layout.host_principal("HTTP"));
        x.set("dfs.web.authentication.kerberos.keytab", keytab("http"));
        x.set("dfs.namenode.kerberos.internal.spnego.principal", layout.host_principal("HTTP"));
    }
    x
}

/// `yarn-site.xml`: RM with its web proxy, one NodeManager, the v1 timeline server, ACLs, short
/// tokens, and container directories kept for evidence.
pub fn yarn_site(profile: &SecurityProfile, layout: &Layout) -> SiteXml {
    let mut x = SiteXml::new();
    let host = layout.hadoop_host();
    x.set("yarn.resourcemanager.hostname", &host);
    x.set("yarn.resourcemanager.address", format!("{host}:{}", ports::RM_RPC));
    x.set("yarn.resourcemanager.webapp.address", format!("{host}:{}", ports::RM_HTTP));
    x.set("yarn.resourcemanager.bind-host", "0.0.0.0");
    x.set("yarn.nodemanager.hostname", &host);
    x.set("yarn.nodemanager.address", format!("{host}:{}", ports::NM_RPC));
    x.set("yarn.nodemanager.webapp.address", format!("{host}:{}", ports::NM_HTTP));
    x.set("yarn.nodemanager.bind-host", "0.0.0.0");
    x.set("yarn.nodemanager.local-dirs", paths::NM_LOCAL);
    x.set("yarn.nodemanager.log-dirs", paths::NM_LOGS);
    // Keep each container's directory (launch_container.sh, container_tokens) for ten minutes
    // after it ends: scenarios read them as evidence.
    x.set("yarn.nodemanager.delete.debug-delay-sec", 600);
    // Scheduling room, not memory: containers are small JVMs and scripts (pmem checks are off), and
    // many run at once when several checklists share one cluster (the fault matrix).
    x.set("yarn.nodemanager.resource.memory-mb", 32768);
    x.set("yarn.nodemanager.resource.cpu-vcores", 32);
    x.set("yarn.scheduler.minimum-allocation-mb", 128);
    x.set("yarn.scheduler.maximum-allocation-mb", 8192);
    x.set("yarn.scheduler.maximum-allocation-vcores", 4);
    x.set("yarn.nodemanager.vmem-check-enabled", "false");
    x.set("yarn.nodemanager.pmem-check-enabled", "false");
    // A nearly full disk must not turn the only NodeManager unhealthy.
    x.set("yarn.nodemanager.disk-health-checker.max-disk-utilization-per-disk-percentage", "99.9");
    x.set("yarn.nodemanager.disk-health-checker.min-free-space-per-disk-mb", 0);
    x.set("yarn.resourcemanager.am.max-attempts", 1);
    x.set("yarn.application.classpath", format!("{},/opt/hadoop/jars/*", paths::HADOOP_CONF));
    x.set("yarn.nodemanager.env-whitelist", "JAVA_HOME,HADOOP_CONF_DIR,PATH,LANG,TZ");
    // YARN services: the ResourceManager's services API (/app/v1/services), and the
    // ServiceMaster run from the nodes' own jars (as the MapReduce AM is), so that a launch
    // uploads no dependency tarball.
    x.set("yarn.webapp.api-service.enable", "true");
    x.set("yarn.service.classpath", "/opt/hadoop/jars/*");
    // A service's ApplicationMaster writes the registry through ZooKeeper's Kerberos login
    // (RELOGIN_JAVA_OPTION); without -Xmx its heap stays Hadoop's default. It mostly waits: the
    // serial collector and C1 only, as the cluster's other ApplicationMasters.
    x.set("yarn.service.am.java.opts", format!("{} {}", super::RELOGIN_JAVA_OPTION, yarnsec_hadoop::java::SHORT_JVM));
    // Log aggregation, as production has it: when an application ends, the NodeManager copies
    // its containers' logs to HDFS (as the application's user, with its tokens), where `yarn
    // logs` reads them. On a Kerberos cluster it opens each log through SecureIOUtils, which
    // needs libhadoop (the NodeManager loads yarnsec's own: `crate::native`) and refuses a log
    // its application's user does not own: so it is switched on with LinuxContainerExecutor
    // (`container_executor::yarn_site_overrides`, the default), under which containers write
    // their logs as their users. The local copies stay for `debug-delay-sec` (above): yarnsec
    // reads them as evidence too.
    x.set("yarn.log-aggregation-enable", "false");
    // With log aggregation on, the ResourceManager keeps an ended application's tokens for the
    // NodeManagers' uploads until a NodeManager would count as lost (Hadoop's default: 10
    // minutes, then a thread that wakes every 30 s cancels them). A single node that heartbeats
    // every second: lost after a minute (a third of the tokens' max lifetime when that is
    // shorter, at least 30 s: `fast`'s tokens die after 90 s), the tokens cancelled within 5 s of
    // that (A4 waits as long, and once more for a NodeManager still uploading that keeps them
    // alive: read from this file, `evidence::token_hold_after_end`).
    let nm_expiry = (profile.token_max_lifetime() / 3).clamp(Duration::from_secs(30), Duration::from_secs(60));
    x.set("yarn.nm.liveness-monitor.expiry-interval-ms", ms(nm_expiry));
    x.set("yarn.resourcemanager.delayed.delegation-token.removal-interval-ms", 5_000);
    x.set("yarn.nodemanager.remote-app-log-dir", REMOTE_APP_LOG_DIR);
    // MapReduce's shuffle, as every cluster that runs MapReduce has it: reducers fetch map output
    // from the NodeManager, authenticated with the job's token.
    x.set("yarn.nodemanager.aux-services", "mapreduce_shuffle");
    x.set("yarn.nodemanager.aux-services.mapreduce_shuffle.class", "org.apache.hadoop.mapred.ShuffleHandler");
    x.set("yarn.acl.enable", "true");
    x.set("yarn.admin.acl", "yarn");
    x.set("yarn.resourcemanager.delegation.token.renew-interval", ms(profile.token_renew_interval()));
    x.set("yarn.resourcemanager.delegation.token.max-lifetime", ms(profile.token_max_lifetime()));
    x.set("yarn.resourcemanager.delegation.key.update-interval", ms(profile.token_renew_interval()));
    // Timeline server v1 with its leveldb store.
    x.set("yarn.timeline-service.enabled", "true");
    x.set("yarn.timeline-service.version", "1.0");
    x.set("yarn.timeline-service.hostname", &host);
    x.set("yarn.timeline-service.address", format!("{host}:{}", ports::TIMELINE_RPC));
    x.set("yarn.timeline-service.webapp.address", format!("{host}:{}", ports::TIMELINE_HTTP));
    x.set("yarn.timeline-service.bind-host", "0.0.0.0");
    x.set("yarn.timeline-service.leveldb-timeline-store.path", paths::TIMELINE_STORE);
    x.set("yarn.timeline-service.generic-application-history.enabled", "false");
    x.set("yarn.system-metrics-publisher.enabled", "true");
    x.set("yarn.timeline-service.delegation.token.renew-interval", ms(profile.token_renew_interval()));
    x.set("yarn.timeline-service.delegation.token.max-lifetime", ms(profile.token_max_lifetime()));
    x.set("yarn.timeline-service.delegation.key.update-interval", ms(profile.token_renew_interval()));
    x.set("yarn.timeline-service.http-authentication.simple.anonymous.allowed", "false");
    if profile.kerberos() {
        x.set("yarn.resourcemanager.principal", layout.host_principal("rm"));
        x.set("yarn.resourcemanager.keytab", keytab("yarn"));
        x.set("yarn.resourcemanager.webapp.spnego-principal", layout.host_principal("HTTP"));
        x.set("yarn.resourcemanager.webapp.spnego-keytab-file", keytab("http"));
        x.set("yarn.nodemanager.principal", layout.host_principal("nm"));
        x.set("yarn.nodemanager.keytab", keytab("yarn"));
        x.set("yarn.nodemanager.webapp.spnego-principal", layout.host_principal("HTTP"));
        x.set("yarn.nodemanager.webapp.spnego-keytab-file", keytab("http"));
        x.set("yarn.timeline-service.principal", layout.host_principal("tl"));
        x.set("yarn.timeline-service.keytab", keytab("yarn"));
        x.set("yarn.timeline-service.http-authentication.type", "kerberos");
        x.set("yarn.timeline-service.http-authentication.kerberos.principal", layout.host_principal("HTTP"));
        x.set("yarn.timeline-service.http-authentication.kerberos.keytab", keytab("http"));
    } else {
        x.set("yarn.timeline-service.http-authentication.type", "simple");
    }
    x
}

/// Where MapReduce's ApplicationMasters write job history for a history server to collect
/// (created world-writable and sticky when the cluster starts, as `/tmp` is).
pub const MR_HISTORY_INTERMEDIATE: &str = "/mr-history/intermediate";

/// Where NodeManagers aggregate container logs in HDFS (Hadoop's default), one directory per user.
pub const REMOTE_APP_LOG_DIR: &str = "/tmp/logs";

/// `mapred-site.xml`: MapReduce on YARN with the image's jars. Jobs stage in the user's HDFS home
/// (`/user/<user>/.staging`, which MapReduce keeps owner-only), not under a shared `/tmp`
/// directory that the first user would own. No job history server runs. (An empty value here
/// would not say so: Hadoop ignores empty `<value>`s. A client that must not wait for a history
/// server sets `-D mapreduce.jobhistory.address=` on its command line, as the MapReduce reference
/// does; it then reads a finished job's state from the ResourceManager.)
pub fn mapred_site() -> SiteXml {
    let mut x = SiteXml::new();
    x.set("mapreduce.framework.name", "yarn");
    x.set("mapreduce.application.classpath", format!("{},/opt/hadoop/jars/*", paths::HADOOP_CONF));
    x.set("yarn.app.mapreduce.am.staging-dir", "/user");
    x.set("mapreduce.jobhistory.intermediate-done-dir", MR_HISTORY_INTERMEDIATE);
    // The ApplicationMaster and the tasks live seconds: the serial collector and C1 only, as the
    // cluster's other short JVMs (G1's and C2's threads took most of their CPU otherwise). The
    // AM keeps Hadoop's default heap; a task's is derived from its container's memory, as with
    // no options at all.
    let short = yarnsec_hadoop::java::SHORT_JVM;
    x.set("yarn.app.mapreduce.am.command-opts", format!("-Xmx1024m {short}"));
    x.set("mapreduce.map.java.opts", short);
    x.set("mapreduce.reduce.java.opts", short);
    x
}

/// `capacity-scheduler.xml`: one queue, `default`, that everyone may submit to.
pub fn capacity_scheduler() -> SiteXml {
    let mut x = SiteXml::new();
    x.set("yarn.scheduler.capacity.root.queues", "default");
    x.set("yarn.scheduler.capacity.root.default.capacity", 100);
    x.set("yarn.scheduler.capacity.root.default.maximum-capacity", 100);
    x.set("yarn.scheduler.capacity.maximum-am-resource-percent", "0.5");
    x.set("yarn.scheduler.capacity.root.acl_submit_applications", " ");
    x.set("yarn.scheduler.capacity.root.acl_administer_queue", "yarn");
    x.set("yarn.scheduler.capacity.root.default.acl_submit_applications", "*");
    x.set("yarn.scheduler.capacity.root.default.acl_administer_queue", "yarn");
    x
}

/// Daemon output to stdout (the start script sends it to `<daemon>.log`), and the NameNode audit
/// log to `hdfs-audit.log`, which scenarios read as evidence of who did what.
const LOG4J: &str = "\
# Generated by yarnsec; do not edit.
log4j.rootLogger=INFO,console
log4j.appender.console=org.apache.log4j.ConsoleAppender
log4j.appender.console.target=System.out
log4j.appender.console.layout=org.apache.log4j.PatternLayout
log4j.appender.console.layout.ConversionPattern=%d{ISO8601} %p %c{2}: %m%n
hdfs.audit.logger=INFO,NullAppender
log4j.appender.NullAppender=org.apache.log4j.varia.NullAppender
log4j.logger.org.apache.hadoop.hdfs.server.namenode.FSNamesystem.audit=${hdfs.audit.logger}
log4j.additivity.org.apache.hadoop.hdfs.server.namenode.FSNamesystem.audit=false
log4j.appender.RFAAUDIT=org.apache.log4j.FileAppender
log4j.appender.RFAAUDIT.File=${hadoop.log.dir}/hdfs-audit.log
log4j.appender.RFAAUDIT.layout=org.apache.log4j.PatternLayout
log4j.appender.RFAAUDIT.layout.ConversionPattern=%d{ISO8601} %m%n
log4j.logger.org.apache.hadoop.yarn.server.resourcemanager.security.DelegationTokenRenewer=DEBUG
log4j.logger.org.eclipse.jetty=WARN
log4j.logger.org.apache.hadoop.util.NativeCodeLoader=ERROR
";
