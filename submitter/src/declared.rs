//! What a submitter declares about its applications (`[features]` in a service file): items about
//! a feature it does not declare are NOT APPLICABLE.

use serde::Deserialize;

/// What a service says it supports; items about a missing feature are NOT_APPLICABLE. In a
/// service file, the `[features]` table (each off unless set).
///
/// ```
/// let f: yarnsec_submitter::declared::Features = toml::from_str("timeline = true\ncontainer_code = \"jvm\"").unwrap();
/// assert!(f.timeline && !f.long_lived);
/// assert_eq!(f.container_code, yarnsec_submitter::declared::ContainerCode::Jvm);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Features {
    /// Its applications publish to the timeline server.
    pub timeline: bool,
    /// Its applications read other HDFS clusters.
    pub remote_filesystems: bool,
    /// It runs long-lived applications with keytabs.
    pub long_lived: bool,
    /// It can take its tokens from `HADOOP_TOKEN_FILE_LOCATION` (Oozie-style launch).
    pub token_file: bool,
    /// What its containers run: `none` (scripts with no Hadoop security code of their own) or
    /// `jvm` (Hadoop client code, for the container-code items K1–K2).
    pub container_code: ContainerCode,
    /// Its applications work with HBase or Hive.
    pub hbase_hive: bool,
}

/// What a service's containers run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ContainerCode {
    /// Scripts or programs with no Hadoop security code of their own.
    #[default]
    None,
    /// Hadoop client code on the JVM (`UserGroupInformation`, `FileSystem`).
    Jvm,
}
