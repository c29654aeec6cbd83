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

/// The `--add-opens` options for [`JAVA17_OPEN_PACKAGES`].
///
/// ```
/// let opens: Vec<String> = yarnsec_hadoop::java::java17_add_opens().collect();
/// assert!(opens.contains(&"--add-opens=java.base/java.lang=ALL-UNNAMED".to_string()));
/// ```
pub fn java17_add_opens() -> impl Iterator<Item = String> {
    JAVA17_OPEN_PACKAGES.iter().map(|p| format!("--add-opens=java.base/{p}=ALL-UNNAMED"))
}
