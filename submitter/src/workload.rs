//! The probe every scenario runs inside the application, in the language the service runs its
//! users' code in (`workload = "sh"`, `"python"` or `"jvm"` in a service file).
//!
//! Whatever the language, the probe does the same things and prints the same lines, which the
//! observations read from the container's logs: first what the scenario asks for ([`Before`]),
//! then `id=` (the OS user), `USER=`, `HADOOP_USER_NAME=`, `HADOOP_TOKEN_FILE_LOCATION=`, and a
//! write to the user's HDFS home with the container's delegation token (`put=ok` when it
//! succeeded). The shell and Python probes are scripts; the JVM probe is a jar
//! ([`crate::jvm_probe`]), whose class only a cluster compiles.
//!
//! ```
//! use std::time::Duration;
//! use yarnsec_submitter::workload::{Before, Run, Workload};
//! let sleep = Before::Sleep(Duration::from_secs(5));
//! let py = Workload::Python.text(&Run::Probe { marker: "yarnsec-probe-1", before: &sleep }).unwrap();
//! assert!(py.starts_with("#!/usr/bin/env python3") && py.contains("time.sleep(5)"));
//! assert_eq!(Workload::Python.file_name(), "workload.py");
//! assert_eq!(Workload::Jvm.text(&Run::Harmless), None);
//! ```

use std::time::Duration;

use serde::Deserialize;

/// The command line of Hadoop's `FsShell` (`hadoop fs`) in a container of the cluster: a short
/// JVM (the serial collector, C1 only) that maps the image's shared classes
/// ([`yarnsec_hadoop::java::SHARED_ARCHIVE`]; its class path begins with the jars for that).
pub const FS_SHELL: &str = "\"$JAVA_HOME/bin/java\" -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:SharedArchiveFile=/opt/hadoop/classes.jsa --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/sun.security.util=ALL-UNNAMED -cp '/opt/hadoop/jars/*:/opt/hadoop/conf' org.apache.hadoop.fs.FsShell";

/// The language of the probe.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Workload {
    /// A POSIX shell script.
    #[default]
    Sh,
    /// A Python 3 script (the cluster's nodes get `python3`).
    Python,
    /// A jar whose `YarnsecProbe` class uses Hadoop's Java API (the nodes' Java runs it).
    Jvm,
}

/// What one probe file does.
#[derive(Clone, Copy, Debug)]
pub enum Run<'a> {
    /// The probe: `before`, then report and write `/user/$USER/<marker>.txt`.
    Probe {
        /// The output file's name, without `.txt`.
        marker: &'a str,
        /// What it does first.
        before: &'a Before,
    },
    /// Only prints `should-not-run` (for submissions that must be refused).
    Harmless,
    /// A long-lived application's work: reports as the probe does, then writes
    /// `/user/$USER/<marker>-<container id>.txt` (a file of each container's own: `CONTAINER_ID`,
    /// which the NodeManager sets) every `every`, forever, printing `put=ok <epoch s>` or
    /// `put=failed <epoch s>` after each write.
    Loop {
        /// The output file's name, without `.txt`.
        marker: &'a str,
        /// The pause between writes.
        every: Duration,
    },
}

/// What the probe does before it reports and writes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Before {
    /// Nothing.
    #[default]
    Nothing,
    /// Sleeps this long (the application outlives a ticket or a token).
    Sleep(Duration),
    /// Sleeps until this time, in seconds since the epoch, unless it has passed: a wait measured
    /// from the submission, so that a container that starts late on a busy node does not push
    /// what follows late too (past the tokens' max lifetime on `fast`).
    SleepUntil(i64),
    /// Reads this `hdfs://` URL and prints `remote=ok` if it could.
    ReadRemote(String),
}

impl Workload {
    /// Every language, as service files name them.
    pub const ALL: [Workload; 3] = [Workload::Sh, Workload::Python, Workload::Jvm];

    /// A script's text (`None` for the JVM, whose probe is a jar: [`crate::jvm_probe::JvmProbe::jar`]).
    pub fn text(self, run: &Run<'_>) -> Option<String> {
        match (self, run) {
            (Workload::Sh, Run::Probe { marker, before }) => Some(sh_probe(marker, before)),
            (Workload::Python, Run::Probe { marker, before }) => Some(python_probe(marker, before)),
            (Workload::Sh, Run::Loop { marker, every }) => Some(sh_loop(marker, *every)),
            (Workload::Python, Run::Loop { marker, every }) => Some(python_loop(marker, *every)),
            (Workload::Sh, Run::Harmless) => Some("echo should-not-run\n".into()),
            (Workload::Python, Run::Harmless) => Some("print('should-not-run')\n".into()),
            (Workload::Jvm, _) => None,
        }
    }

    /// The file name the probe goes by (`workload.sh`, `workload.py`, `workload.jar`).
    pub fn file_name(self) -> &'static str {
        match self {
            Workload::Sh => "workload.sh",
            Workload::Python => "workload.py",
            Workload::Jvm => "workload.jar",
        }
    }

    /// Its files' extension (`sh`, `py`, `jar`).
    pub fn extension(self) -> &'static str {
        match self {
            Workload::Sh => "sh",
            Workload::Python => "py",
            Workload::Jvm => "jar",
        }
    }

    /// The media type of its files, for an upload.
    pub fn media_type(self) -> &'static str {
        match self {
            Workload::Sh => "text/x-shellscript",
            Workload::Python => "text/x-python",
            Workload::Jvm => "application/java-archive",
        }
    }

    /// The Debian package the nodes need to run it, beyond the Hadoop image's (which has Java).
    pub fn package(self) -> Option<&'static str> {
        match self {
            Workload::Sh | Workload::Jvm => None,
            Workload::Python => Some("python3"),
        }
    }

    /// Its name in service files and reports.
    pub fn name(self) -> &'static str {
        match self {
            Workload::Sh => "sh",
            Workload::Python => "python",
            Workload::Jvm => "jvm",
        }
    }
}

fn sh_probe(marker: &str, before: &Before) -> String {
    let before = match before {
        Before::Nothing => String::new(),
        Before::Sleep(d) => format!("sleep {}\n", d.as_secs()),
        Before::SleepUntil(at) => format!("left=$(({at} - $(date +%s))); if [ \"$left\" -gt 0 ]; then sleep \"$left\"; fi\n"),
        Before::ReadRemote(url) => format!("{FS_SHELL} -cat {url} && echo remote=ok\n"),
    };
    format!(
        "{before}{SH_REPORT}echo \"written by $USER in a YARN container\" > out.txt\n\
         {FS_SHELL} -put -f out.txt \"/user/$USER/{marker}.txt\" && echo put=ok\n"
    )
}

/// The lines every probe prints first.
const SH_REPORT: &str = "echo probe=process\necho \"id=$(id -un)\"\necho \"USER=$USER\"\necho \"HADOOP_USER_NAME=${HADOOP_USER_NAME:-}\"\necho \"HADOOP_TOKEN_FILE_LOCATION=${HADOOP_TOKEN_FILE_LOCATION:-}\"\n";

fn sh_loop(marker: &str, every: Duration) -> String {
    format!(
        "{SH_REPORT}while true; do\n\
         \x20 echo \"written by $USER in a YARN container at $(date +%s)\" > out.txt\n\
         \x20 if {FS_SHELL} -put -f out.txt \"/user/$USER/{marker}-${{CONTAINER_ID:-$(hostname)-$$}}.txt\"; then echo \"put=ok $(date +%s)\"; else echo \"put=failed $(date +%s)\"; fi\n\
         \x20 sleep {}\n\
         done\n",
        every.as_secs().max(1)
    )
}

fn python_loop(marker: &str, every: Duration) -> String {
    let probe = python_probe(marker, &Before::Nothing);
    let head = probe.split("with open('out.txt'").next().unwrap_or_default();
    format!(
        "{head}container = os.environ.get('CONTAINER_ID') or '%s-%d' % (os.uname().nodename, os.getpid())\n\
         while True:\n\
         \x20   with open('out.txt', 'w') as out:\n\
         \x20       out.write('written by %s in a YARN container at %d\\n' % (user, time.time()))\n\
         \x20   ok = fs('-put -f out.txt ' + shlex.quote('/user/%s/{marker}-%s.txt' % (user, container)))\n\
         \x20   say('put=%s %d' % ('ok' if ok else 'failed', time.time()))\n\
         \x20   time.sleep({})\n",
        every.as_secs().max(1),
        marker = marker.replace(['\'', '\\', '\n'], "_"),
    )
}

fn python_probe(marker: &str, before: &Before) -> String {
    let before = match before {
        Before::Nothing => String::new(),
        Before::Sleep(d) => format!("time.sleep({})\n", d.as_secs()),
        Before::SleepUntil(at) => format!("time.sleep(max(0, {at} - time.time()))\n"),
        Before::ReadRemote(url) => format!("if fs('-cat ' + shlex.quote({})):\n    say('remote=ok')\n", py_str(url)),
    };
    format!(
        "#!/usr/bin/env python3\n\
         # yarnsec's probe, in Python: who it runs as, and a write to the user's HDFS home.\n\
         import os, pwd, shlex, subprocess, sys, time\n\
         FS_SHELL = {fs}\n\
         def say(line):\n    print(line, flush=True)\n\
         def fs(args):\n    return subprocess.run(FS_SHELL + ' ' + args, shell=True).returncode == 0\n\
         {before}\
         user = os.environ.get('USER', '')\n\
         try:\n    me = pwd.getpwuid(os.geteuid()).pw_name\nexcept KeyError:\n    me = ''\n\
         say('probe=process')\n\
         say('id=' + me)\n\
         say('USER=' + user)\n\
         say('HADOOP_USER_NAME=' + os.environ.get('HADOOP_USER_NAME', ''))\n\
         say('HADOOP_TOKEN_FILE_LOCATION=' + os.environ.get('HADOOP_TOKEN_FILE_LOCATION', ''))\n\
         with open('out.txt', 'w') as out:\n    out.write('written by %s in a YARN container\\n' % user)\n\
         # As the shell probe's `&&`: a failed write fails the script, and the application with it.\n\
         if not fs('-put -f out.txt ' + shlex.quote('/user/%s/{marker}.txt' % user)):\n    sys.exit(1)\n\
         say('put=ok')\n",
        fs = py_str(FS_SHELL),
        marker = marker.replace(['\'', '\\', '\n'], "_"),
    )
}

/// A Python string literal holding `s`.
fn py_str(s: &str) -> String {
    let mut out = String::from("'");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hadoop_fs_maps_the_images_shared_classes_with_the_jars_first() {
        assert!(FS_SHELL.contains(&yarnsec_hadoop::java::short_jvm_options()), "{FS_SHELL}");
        assert!(FS_SHELL.contains(&format!("-cp '{}:", yarnsec_hadoop::java::HADOOP_JARS)), "{FS_SHELL}");
    }

    #[test]
    fn both_probes_print_the_lines_observations_read() {
        for w in [Workload::Sh, Workload::Python] {
            let p = w.text(&Run::Probe { marker: "m", before: &Before::Nothing }).unwrap();
            for line in ["id=", "USER=", "HADOOP_USER_NAME=", "HADOOP_TOKEN_FILE_LOCATION=", "put=ok", "/user/", "m.txt"] {
                assert!(p.contains(line), "{w:?} lacks {line}:\n{p}");
            }
        }
    }

    #[test]
    fn what_comes_before_comes_first() {
        let sh = sh_probe("m", &Before::Sleep(Duration::from_secs(7)));
        assert!(sh.starts_with("sleep 7\n"), "{sh}");
        let sh = sh_probe("m", &Before::SleepUntil(1_800_000_000));
        assert!(sh.starts_with("left=$((1800000000 - $(date +%s))); if [ \"$left\" -gt 0 ]; then sleep \"$left\"; fi\n"), "{sh}");
        let py = python_probe("m", &Before::ReadRemote("hdfs://r:8020/f".into()));
        assert!(py.find("remote=ok").unwrap() < py.find("say('id='").unwrap(), "{py}");
    }

    /// Both fail when the write fails, as a script that could not do its job should.
    #[test]
    fn a_failed_write_fails_either_probe() {
        let sh = sh_probe("m", &Before::Nothing);
        assert!(sh.trim_end().ends_with("&& echo put=ok"), "{sh}");
        let py = python_probe("m", &Before::Nothing);
        assert!(py.contains("):\n    sys.exit(1)\nsay('put=ok')\n"), "{py}");
    }

    /// The tests that run the generated Python need a python3 on the host: `./yarnsec test`
    /// installs it (setup/prerequisites). Without one they fail and say so, rather than pass
    /// having run nothing.
    fn python3_at_hand() {
        let found = std::process::Command::new("python3").arg("--version").output().is_ok_and(|o| o.status.success());
        assert!(found, "no python3 on this host: `./yarnsec test` installs it (setup/prerequisites), or `apt-get install python3`");
    }

    /// The long-lived loop, run for a few writes (6 s: a loaded machine starts Python slowly)
    /// with stand-ins for FsShell: it reports first, then says after each write whether it
    /// worked, and goes on either way.
    #[test]
    fn the_loops_write_again_and_say_how_each_write_went() {
        python3_at_hand();
        let dir = tempfile::tempdir().unwrap();
        let run = Run::Loop { marker: "m", every: Duration::from_secs(1) };
        for (w, interpreter) in [(Workload::Sh, "sh"), (Workload::Python, "python3")] {
            let text = w.text(&run).unwrap();
            // A file of each container's own.
            assert!(
                text.contains("/user/") && text.contains("{marker}-".replace("{marker}", "m").as_str()) && text.contains("CONTAINER_ID"),
                "{text}"
            );
            for (stand_in, said) in [("true", "put=ok "), ("false", "put=failed ")] {
                let fs = if w == Workload::Sh { FS_SHELL.to_string() } else { py_str(FS_SHELL) };
                let script = text.replace(&fs, &if w == Workload::Sh { stand_in.to_string() } else { py_str(stand_in) });
                let path = dir.path().join("loop");
                std::fs::write(&path, script).unwrap();
                let out = std::process::Command::new("timeout")
                    .args(["6", interpreter])
                    .arg(&path)
                    .current_dir(dir.path())
                    .env("USER", "alice")
                    .output()
                    .expect("`timeout` (coreutils) runs");
                let out = String::from_utf8_lossy(&out.stdout);
                assert!(out.starts_with("probe=process\nid=") && out.contains("USER=alice\n"), "{w:?}: {out}");
                assert!(out.matches(said).count() >= 2, "{w:?} with {stand_in}: {out}");
            }
        }
    }

    #[test]
    fn python_literals_escape_quotes_and_backslashes() {
        assert_eq!(py_str(r#"a'b\c"d"#), r#"'a\'b\\c"d'"#);
        assert_eq!(py_str("x\ny"), "'x\\ny'");
    }

    /// Run with a stand-in for Hadoop's FsShell (`true`, `false`): the probe prints what the
    /// shell probe prints, and fails when its write fails.
    #[test]
    fn the_python_probe_behaves_like_the_shell_probe() {
        python3_at_hand();
        let dir = tempfile::tempdir().unwrap();
        for (fs_shell, code, wrote) in [("true", 0, true), ("false", 1, false)] {
            let probe = python_probe("m", &Before::Nothing).replace(&py_str(FS_SHELL), &py_str(fs_shell));
            let path = dir.path().join("p.py");
            std::fs::write(&path, probe).unwrap();
            let out = std::process::Command::new("python3").arg(&path).current_dir(dir.path()).env("USER", "alice").output().unwrap();
            let text = String::from_utf8_lossy(&out.stdout);
            assert_eq!(out.status.code(), Some(code), "{text}{}", String::from_utf8_lossy(&out.stderr));
            assert!(text.lines().any(|l| l.starts_with("id=") && l.len() > 3) && text.contains("USER=alice\n"), "{text}");
            assert_eq!(text.contains("put=ok"), wrote, "{text}");
        }
    }

    /// The generated Python compiles (the cluster's nodes run it).
    #[test]
    fn the_python_probe_is_valid_python() {
        python3_at_hand();
        let dir = tempfile::tempdir().unwrap();
        for before in
            [Before::Nothing, Before::Sleep(Duration::from_secs(1)), Before::SleepUntil(1), Before::ReadRemote("hdfs://h:8020/it's".into())]
        {
            let path = dir.path().join("p.py");
            std::fs::write(&path, python_probe("m", &before)).unwrap();
            let out = std::process::Command::new("python3").args(["-m", "py_compile"]).arg(&path).output().unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        }
    }
}
