//! yarnsec's libhadoop.so on the shared cluster's Hadoop node: only the NodeManager's JVM is
//! told where it is and loads it (once an application's logs are aggregated), and in a JVM on that node with the node's Hadoop jars it answers every native method it
//! provides, and each one it lacks is one Hadoop never calls (`libhadoop/jvm/NativeChecker.java`
//! asks each class's own guard); SecureIOUtils, checksums, stat/chmod/open and group lookups
//! work through it.

mod common;

const CHECKER: &str = include_str!("../libhadoop/jvm/NativeChecker.java");

#[tokio::test]
async fn only_the_nodemanager_loads_it_and_every_native_method_is_provided_or_never_called() {
    let Some(cluster) = common::cluster().await else { return };
    let node = cluster.hadoop();

    // Only the NodeManager's JVM is told where the library is.
    let paths = node
        .sh("for p in $(pgrep -x java); do tr '\\0' ' ' < /proc/$p/cmdline | grep -o 'yarnsec.daemon=[a-z]*\\|java.library.path=[^ ]*' | tr '\\n' ' '; echo; done")
        .await
        .expect("the daemons' command lines are readable");
    let daemons: Vec<&str> = paths.lines().filter(|l| l.contains("yarnsec.daemon=")).collect();
    assert!(daemons.len() >= 5, "the daemons were not found:\n{paths}");
    for line in daemons {
        let told = line.contains("java.library.path=/opt/yarnsec/native");
        assert_eq!(told, line.contains("yarnsec.daemon=nodemanager"), "{line}\n{paths}");
    }

    // Java loads it when a class first asks for native code: once an application has ended and
    // its logs are aggregated, the NodeManager maps it (and no other daemon does). A process's
    // maps are read as its owner: root in a container may not read another user's.
    let service = common::reference_service(&cluster);
    let run = yarnsec_scenarios::Context::new(&cluster, &service).run_as("alice").await.expect("alice's application runs");
    assert!(run.succeeded(), "{:?}", run.app);
    let script = "for p in $(pgrep -x java); do d=$(tr '\\0' ' ' < /proc/$p/cmdline | grep -o 'yarnsec.daemon=[a-z]*'); \
                  if runuser -u $(stat -c %U /proc/$p) -- grep -q /opt/yarnsec/native/libhadoop.so /proc/$p/maps; then echo \"$d loaded\"; else echo \"$d not\"; fi; done";
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(180);
    let maps = loop {
        let maps = node.sh(script).await.expect("the daemons' maps are readable");
        if maps.lines().any(|l| l == "yarnsec.daemon=nodemanager loaded") {
            break maps;
        }
        assert!(std::time::Instant::now() < deadline, "the NodeManager never loaded it:\n{maps}");
        tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    };
    for line in maps.lines().filter(|l| l.starts_with("yarnsec.daemon=") && !l.contains("=nodemanager ")) {
        assert!(line.ends_with(" not"), "another daemon loaded it: {line}\n{maps}");
    }

    use base64::Engine as _;
    let source = base64::engine::general_purpose::STANDARD.encode(CHECKER);
    let version = cluster.hadoop_version().to_string();
    let opens: Vec<String> = yarnsec_hadoop::java::java17_add_opens().collect();
    let script = format!(
        "set -e; d=$(mktemp -d); echo {source} | base64 -d > $d/NativeChecker.java; chown -R yarn $d; cd $d; \
         runuser -u yarn -- java {opens} -Djava.library.path=/opt/yarnsec/native -cp '/opt/hadoop/conf:/opt/hadoop/jars/*' \
         NativeChecker.java /opt/hadoop/jars/hadoop-common-{version}.jar 2>&1; echo exit=$?; cd /; rm -rf $d",
        opens = opens.join(" ")
    );
    let out = node.exec(&["sh", "-c", &script]).await.expect("the checker runs");
    let text = out.stdout_text();
    let failed: Vec<&str> = text.lines().filter(|l| l.starts_with("FAIL ")).collect();
    assert!(failed.is_empty(), "{} checks failed:\n{}\n\nall output:\n{text}", failed.len(), failed.join("\n"));
    assert!(text.contains("all checks passed") && text.contains("exit=0"), "the checker did not finish:\n{text}{}", out.stderr_text());
    for expected in [
        "ok   libhadoop loaded from /opt/yarnsec/native/libhadoop.so",
        "ok   SecureIOUtils.openForRead refuses another owner",
        "CRC32C a flipped byte is found",
        "provided org.apache.hadoop.io.nativeio.NativeIO$POSIX.fstat",
    ] {
        assert!(text.contains(expected), "no line {expected:?}:\n{text}");
    }
}
