//! The client-only Hadoop configuration of a cluster: what a program that submits applications,
//! reads HDFS or asks for tokens needs (addresses, principals, protection levels), taken from
//! the daemons' own files so that the two cannot drift apart, and none of what only a daemon
//! needs (keytab paths, local directories, bind addresses, lifetimes it enforces).

use yarnsec_hadoop::config::SiteXml;

use super::hadoop::{core_site, hdfs_site, yarn_site};
use super::ConfigFiles;
use crate::{Layout, SecurityProfile};

/// The keys a client reads, per file.
const CLIENT_KEYS: [(&str, &[&str]); 3] = [
    ("core-site.xml", &["fs.defaultFS", "hadoop.security.authentication", "hadoop.rpc.protection", "hadoop.security.auth_to_local"]),
    (
        "hdfs-site.xml",
        &[
            "dfs.namenode.rpc-address",
            "dfs.namenode.http-address",
            "dfs.namenode.kerberos.principal",
            "dfs.datanode.kerberos.principal",
            "dfs.data.transfer.protection",
            "dfs.webhdfs.enabled",
        ],
    ),
    (
        "yarn-site.xml",
        &[
            "yarn.resourcemanager.hostname",
            "yarn.resourcemanager.address",
            "yarn.resourcemanager.webapp.address",
            "yarn.resourcemanager.principal",
            "yarn.application.classpath",
            "yarn.timeline-service.enabled",
            "yarn.timeline-service.version",
            "yarn.timeline-service.hostname",
            "yarn.timeline-service.webapp.address",
            "yarn.timeline-service.principal",
            "yarn.timeline-service.http-authentication.type",
        ],
    ),
];

/// `core-site.xml`, `hdfs-site.xml` and `yarn-site.xml` for a client of the cluster, by file name.
///
/// ```
/// use yarnsec_harness::{config::client_files, Layout, SecurityProfile};
/// let files = client_files(&SecurityProfile::strict(), &Layout::new("C001.YARNSEC.TEST", "a", "b"));
/// let core = files.get("core-site.xml").unwrap();
/// assert!(core.contains("hadoop.rpc.protection") && !core.contains("keytab"));
/// ```
pub fn client_files(profile: &SecurityProfile, layout: &Layout) -> ConfigFiles {
    let mut files = ConfigFiles::default();
    for (name, daemon) in [
        ("core-site.xml", core_site(profile, layout)),
        ("hdfs-site.xml", hdfs_site(profile, layout)),
        ("yarn-site.xml", yarn_site(profile, layout)),
    ] {
        let keys = CLIENT_KEYS.iter().find(|(file, _)| *file == name).map(|(_, keys)| *keys).unwrap_or_default();
        let mut client = SiteXml::new();
        for key in keys {
            if let Some(value) = daemon.get(key) {
                client.set(*key, value);
            }
        }
        files.insert(name, client.to_xml());
    }
    files
}
