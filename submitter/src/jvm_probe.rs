//! The probe of `workload = "jvm"`: a jar whose `YarnsecProbe` class does what the shell and
//! Python probes do, through Hadoop's own `FileSystem` API, as a team's JVM code would.
//!
//! The class (`submitter/probe/YarnsecProbe.java`) is compiled once per run *in the cluster*, on
//! its Hadoop node, against that node's Hadoop jars and with its Java (the JRE's `jdk.compiler`
//! module: no JDK and no Maven needed on the host). Each run's jar then holds the class, a
//! manifest naming it, and `yarnsec-probe.properties` saying what this run does.
//!
//! ```
//! use yarnsec_submitter::jvm_probe::JvmProbe;
//! use yarnsec_submitter::workload::{Before, Run};
//! let probe = JvmProbe::from_class(b"\xca\xfe\xba\xbe".to_vec());
//! let jar = probe.jar(&Run::Probe { marker: "m-1", before: &Before::Nothing });
//! assert_eq!(&jar[..2], b"PK");
//! ```

use std::io::{Cursor, Write};

use yarnsec_harness::SecureCluster;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::error::SubmitError;
use crate::workload::{Before, Run};

/// The probe's Java source.
pub const SOURCE: &str = include_str!("../probe/YarnsecProbe.java");

/// The probe's class name (in the default package), and the jar's `Main-Class`.
pub const MAIN_CLASS: &str = "YarnsecProbe";

/// The resource in the jar that tells the class what to do.
pub const SETTINGS: &str = "yarnsec-probe.properties";

/// The compiled probe class.
#[derive(Clone, Debug)]
pub struct JvmProbe {
    class: Vec<u8>,
}

impl JvmProbe {
    /// Compiles [`SOURCE`] on the cluster's Hadoop node against its `hadoop-common` jar (a JVM of
    /// a few seconds: the serial collector and C1 only).
    pub async fn compile(cluster: &SecureCluster) -> Result<JvmProbe, SubmitError> {
        use base64::Engine as _;
        let node = cluster.hadoop();
        let source = base64::engine::general_purpose::STANDARD.encode(SOURCE);
        let script = format!(
            "set -e; d=$(mktemp -d /tmp/yarnsec-jvm-probe-XXXXXX); cd \"$d\"; echo {source} | base64 -d > {MAIN_CLASS}.java; \
             \"$JAVA_HOME/bin/java\" {short} -m jdk.compiler/com.sun.tools.javac.Main --release 17 -nowarn \
             -cp \"/opt/hadoop/jars/hadoop-common-$HADOOP_VERSION.jar\" -d out {MAIN_CLASS}.java 1>&2; echo \"$d\"",
            short = yarnsec_hadoop::java::SHORT_JVM,
        );
        let failed = |detail: String| {
            let what = "compiling the JVM probe on the Hadoop node with its Java's compiler module";
            SubmitError::command_failed("hadoop", what, "java -m jdk.compiler/com.sun.tools.javac.Main … YarnsecProbe.java", detail)
        };
        let out = node.exec(&["sh", "-c", &script]).await.map_err(|e| failed(e.to_string()))?;
        if out.code != 0 {
            return Err(failed(format!("exit {}: {}", out.code, out.stderr_text().trim())));
        }
        let dir = out.stdout_text().trim().to_string();
        let class = node.read_file(&format!("{dir}/out/{MAIN_CLASS}.class")).await.map_err(|e| failed(e.to_string()));
        // The class is read back; the build directory goes either way.
        let _ = node.exec(&["rm", "-rf", &dir]).await;
        Ok(JvmProbe { class: class? })
    }

    /// A probe from an already compiled class (tests; a class compiled elsewhere).
    pub fn from_class(class: Vec<u8>) -> JvmProbe {
        JvmProbe { class }
    }

    /// The jar of one run: manifest, class and settings.
    pub fn jar(&self, run: &Run<'_>) -> Vec<u8> {
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
        let manifest = format!("Manifest-Version: 1.0\r\nMain-Class: {MAIN_CLASS}\r\n\r\n");
        let settings = settings(run);
        let class_name = format!("{MAIN_CLASS}.class");
        let entries: [(&str, &[u8]); 3] =
            [("META-INF/MANIFEST.MF", manifest.as_bytes()), (&class_name, &self.class), (SETTINGS, settings.as_bytes())];
        for (name, bytes) in entries {
            // Writing to memory cannot fail.
            zip.start_file(name, stored).expect("a zip entry in memory");
            zip.write_all(bytes).expect("a zip entry in memory");
        }
        zip.finish().expect("a zip in memory").into_inner()
    }
}

/// The properties file's text (ISO 8859-1 `key=value` lines: escaped as Java's `Properties`
/// reads them).
pub fn settings(run: &Run<'_>) -> String {
    match run {
        Run::Harmless => "mode=harmless\n".into(),
        Run::Loop { marker, every } => format!("mode=loop\nmarker={}\nevery_s={}\n", property_value(marker), every.as_secs().max(1)),
        Run::Probe { marker, before } => {
            let mut text = format!("mode=probe\nmarker={}\n", property_value(marker));
            match before {
                Before::Nothing => {}
                Before::Sleep(d) => text.push_str(&format!("sleep_s={}\n", d.as_secs())),
                Before::SleepUntil(at) => text.push_str(&format!("sleep_until_s={at}\n")),
                Before::ReadRemote(url) => text.push_str(&format!("remote={}\n", property_value(url))),
            }
            text
        }
    }
}

/// `value` escaped for a `.properties` file: backslashes, line ends, leading blanks and anything
/// outside printable ASCII as Java's own `Properties.store` writes them.
fn property_value(value: &str) -> String {
    let mut out = String::new();
    for (i, c) in value.chars().enumerate() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            ' ' if i == 0 => out.push_str("\\ "),
            c if (' '..='~').contains(&c) => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{u:04x}"));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;
    use std::time::Duration;

    fn entries(jar: &[u8]) -> Vec<(String, Vec<u8>)> {
        let mut zip = zip::ZipArchive::new(Cursor::new(jar)).unwrap();
        (0..zip.len())
            .map(|i| {
                let mut f = zip.by_index(i).unwrap();
                let mut bytes = Vec::new();
                f.read_to_end(&mut bytes).unwrap();
                (f.name().to_string(), bytes)
            })
            .collect()
    }

    #[test]
    fn the_jar_holds_the_manifest_the_class_and_the_runs_settings() {
        let probe = JvmProbe::from_class(vec![0xca, 0xfe, 0xba, 0xbe]);
        let before = Before::Sleep(Duration::from_secs(7));
        let jar = entries(&probe.jar(&Run::Probe { marker: "yarnsec-probe-alice-1", before: &before }));
        let names: Vec<&str> = jar.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["META-INF/MANIFEST.MF", "YarnsecProbe.class", "yarnsec-probe.properties"]);
        assert!(String::from_utf8_lossy(&jar[0].1).contains("Main-Class: YarnsecProbe\r\n"));
        assert_eq!(jar[1].1, [0xca, 0xfe, 0xba, 0xbe]);
        assert_eq!(String::from_utf8_lossy(&jar[2].1), "mode=probe\nmarker=yarnsec-probe-alice-1\nsleep_s=7\n");
        let harmless = entries(&probe.jar(&Run::Harmless));
        assert_eq!(harmless[2].1, b"mode=harmless\n");
    }

    #[test]
    fn property_values_are_escaped_as_java_reads_them() {
        assert_eq!(property_value("hdfs://r:8020/a b"), "hdfs://r:8020/a b");
        assert_eq!(property_value(" x\\y\nz"), "\\ x\\\\y\\nz");
        assert_eq!(property_value("é"), "\\u00e9");
        let run = Run::Probe { marker: "m", before: &Before::ReadRemote("hdfs://r/x\ny".into()) };
        assert!(settings(&run).ends_with("remote=hdfs://r/x\\ny\n"), "{}", settings(&run));
    }

    /// The source names what the jar provides and prints the lines observations read.
    #[test]
    fn the_source_reads_the_settings_and_prints_the_probes_lines() {
        for needle in [
            SETTINGS,
            "class YarnsecProbe",
            "\"mode\"",
            "\"marker\"",
            "\"sleep_s\"",
            "\"remote\"",
            "remote=ok",
            "id=",
            "USER=",
            "HADOOP_USER_NAME=",
            "HADOOP_TOKEN_FILE_LOCATION=",
            "put=ok",
            "should-not-run",
            "probe=in-process",
            "public static void run()",
            "CONTAINER_ID",
        ] {
            assert!(SOURCE.contains(needle), "the JVM probe lacks {needle}");
        }
    }
}
