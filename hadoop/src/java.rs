//! What a JVM running Hadoop code needs beyond the classpath.

/// The `java.base` packages Hadoop reaches into by reflection; Java 17 refuses unless opened.
pub const JAVA17_OPEN_PACKAGES: [&str; 13] = [
    "java.io",
    "java.lang",
    "java.lang.reflect",
    "java.math",
    "java.net",
    "java.nio",
    "java.text",
    "java.util",
    "java.util.concurrent",
    "java.util.zip",
    "sun.security.util",
    "sun.security.x509",
    "sun.nio.ch",
];

/// Hadoop's jars in yarnsec's Hadoop image, as a class path entry.
pub const HADOOP_JARS: &str = "/opt/hadoop/jars/*";

/// The class-data-sharing archive of yarnsec's Hadoop image: the classes Hadoop's daemons, the
/// NodeManager's localizer and `hadoop fs` load, dumped at the image's build. A JVM maps them
/// instead of reading and verifying them (about 40 % less CPU to start) when its class path
/// begins with [`HADOOP_JARS`]; with any other class path, or where the file is missing, the JVM
/// runs without any shared classes, its own included, so give it only to such JVMs.
pub const SHARED_ARCHIVE: &str = "/opt/hadoop/classes.jsa";

/// The collector and compiler of a JVM that lives seconds: the serial collector and C1 only (it
/// spends most of its CPU on G1's and C2's threads otherwise). Alone for one whose class path
/// cannot begin with [`HADOOP_JARS`] (MapReduce's and YARN services' ApplicationMasters,
/// `javac`); with the archive in [`short_jvm_options`] otherwise (the edge node's commands add
/// the archive themselves, where the image has it).
pub const SHORT_JVM: &str = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1";

/// The options of a short-lived Hadoop JVM in yarnsec's image (a localizer, `hadoop fs`, an
/// ApplicationMaster, a ZooKeeper client): [`SHORT_JVM`] and the image's shared classes
/// ([`SHARED_ARCHIVE`]: its class path must begin with [`HADOOP_JARS`]).
///
/// ```
/// assert_eq!(
///     yarnsec_hadoop::java::short_jvm_options(),
///     "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:SharedArchiveFile=/opt/hadoop/classes.jsa"
/// );
/// ```
pub fn short_jvm_options() -> String {
    format!("{SHORT_JVM} -XX:SharedArchiveFile={SHARED_ARCHIVE}")
}

/// The `--add-opens` options for [`JAVA17_OPEN_PACKAGES`].
///
/// ```
/// let opens: Vec<String> = yarnsec_hadoop::java::java17_add_opens().collect();
/// assert!(opens.contains(&"--add-opens=java.base/java.lang=ALL-UNNAMED".to_string()));
/// ```
pub fn java17_add_opens() -> impl Iterator<Item = String> {
    JAVA17_OPEN_PACKAGES.iter().map(|p| format!("--add-opens=java.base/{p}=ALL-UNNAMED"))
}
