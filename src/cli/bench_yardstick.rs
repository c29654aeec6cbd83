//! The machine's own yardstick in `yarnsec bench`: the CPU time of a Hadoop client JVM's start,
//! so that tables of different days and machines compare.
//!
//! Nearly all of yarnsec's CPU goes to JVMs that live seconds (localizers, ApplicationMasters,
//! `hadoop fs`), and the same commit cost twice the CPU on the project's machine on two days of
//! 2026-12-07 (a `fast` run 79 and 182 CPU-s busy, 100 `docker exec`s 6.5 and 13.8 CPU-s): a
//! number read without the machine's speed beside it says little. This measures one such JVM, as
//! the tests' clients run it (the image's class archive, the serial collector, C1), on the
//! cluster's Hadoop node: user plus system CPU, the median of [`RUNS`].

use yarnsec_harness::node::Node;

/// How many starts are measured; the median is reported.
pub const RUNS: usize = 5;

/// The bash script that starts the JVM [`RUNS`] times and prints each start's user and system CPU
/// seconds on a line of its own (`TIMEFORMAT='%3U %3S'`).
pub fn script() -> String {
    let options = yarnsec_hadoop::java::short_jvm_options();
    let jars = yarnsec_hadoop::java::HADOOP_JARS;
    format!(
        "TIMEFORMAT='%3U %3S'; for i in $(seq {RUNS}); do \
         {{ time \"$JAVA_HOME/bin/java\" {options} -cp '{jars}' org.apache.hadoop.util.VersionInfo >/dev/null 2>&1; }} 2>&1; done"
    )
}

/// The median CPU seconds (user + system) of the lines `script` printed; `None` when a line is not
/// two numbers or there is none: `"0.500 0.100\n0.400 0.100\n0.900 0.200\n"` gives `Some(0.6)`.
pub fn median_cpu_s(output: &str) -> Option<f64> {
    let mut runs = Vec::new();
    for line in output.lines().filter(|l| !l.trim().is_empty()) {
        let mut fields = line.split_whitespace().map(|f| f.parse::<f64>());
        match (fields.next(), fields.next(), fields.next()) {
            (Some(Ok(user)), Some(Ok(system)), None) if user >= 0.0 && system >= 0.0 => runs.push(user + system),
            _ => return None,
        }
    }
    if runs.is_empty() {
        return None;
    }
    runs.sort_by(f64::total_cmp);
    Some((super::soak::median(&runs) * 1000.0).round() / 1000.0)
}

/// The yardstick measured on `node` (the cluster's Hadoop node), as the table shows it.
pub async fn measure(node: &Node) -> String {
    match node.exec(&["bash", "-c", &script()]).await {
        Ok(out) if out.code == 0 => match median_cpu_s(&out.stdout_text()) {
            Some(s) => format!("{s:.2} CPU-s"),
            None => format!("not measured: unexpected output {:?}", out.stdout_text().trim()),
        },
        Ok(out) => format!("not measured: exit code {}: {}", out.code, out.stderr_text().trim()),
        Err(e) => format!("not measured: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_is_of_user_plus_system() {
        assert_eq!(median_cpu_s("0.500 0.100\n0.400 0.100\n0.900 0.200\n"), Some(0.6));
        assert_eq!(median_cpu_s("bash: java: not found\n"), None);
    }

    #[test]
    fn the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        assert_eq!(median_cpu_s("0.1 0.0\n0.3 0.0\n0.2 0.0\n0.4 0.0\n"), Some(0.25));
    }

    #[test]
    fn anything_but_two_non_negative_numbers_a_line_is_no_measurement() {
        assert_eq!(median_cpu_s(""), None);
        assert_eq!(median_cpu_s("0.1 0.2 0.3\n"), None);
        assert_eq!(median_cpu_s("0.1\n"), None);
        assert_eq!(median_cpu_s("-0.1 0.2\n"), None);
        assert_eq!(median_cpu_s("0.1 0.2\nreal 0.3\n"), None);
    }

    #[test]
    fn the_script_runs_the_jvm_as_the_tests_clients_do() {
        let s = script();
        assert!(s.contains("-XX:SharedArchiveFile=/opt/hadoop/classes.jsa"), "{s}");
        assert!(s.contains("-cp '/opt/hadoop/jars/*' org.apache.hadoop.util.VersionInfo"), "{s}");
        assert!(s.contains(&format!("seq {RUNS}")), "{s}");
    }
}
