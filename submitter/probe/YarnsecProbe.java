// yarnsec's probe on the JVM: the same lines the shell and Python probes print, and a write to the
// user's HDFS home through Hadoop's FileSystem API with the credentials of the JVM it runs in.
// yarnsec compiles it in the cluster, against the cluster's own Hadoop jars, and packs it in a jar
// with yarnsec-probe.properties (what this run does: mode, marker, sleep_s, sleep_until_s, remote,
// every_s).
//
// Two ways to run it:
//   - as a program of its own in a container (it reads the launch token file, as any JVM does):
//       java -cp "workload.jar:$HADOOP_CONF_DIR:<Hadoop's jars>" YarnsecProbe
//   - inside a framework's own JVM, where the framework keeps the credentials fresh (Spark's
//     driver and executors, Flink's task managers): the team's code calls
//       YarnsecProbe.run();
//     in a task (the jar on the job's class path, e.g. `spark-submit --jars workload.jar`). In a
//     long-lived run (mode=loop) it writes for ever and does not return.
// It says which it was (`probe=process` or `probe=in-process`), and in a long-lived run each
// container writes a file of its own (`<marker>-<container id>.txt`), so that what each
// container's credentials can still do is told apart.
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

public final class YarnsecProbe {
    private YarnsecProbe() {}

    public static void main(String[] args) throws Exception {
        probe(false);
    }

    /**
     * Runs the probe inside the calling JVM, with the Hadoop credentials of the current user: what
     * the team's own code in that JVM could do with them.
     */
    public static void run() throws Exception {
        probe(true);
    }

    private static void probe(boolean inProcess) throws Exception {
        Properties run = new Properties();
        try (InputStream in = YarnsecProbe.class.getResourceAsStream("/yarnsec-probe.properties")) {
            if (in == null) {
                throw new IllegalStateException("yarnsec-probe.properties is missing from the jar: it was not built by yarnsec");
            }
            run.load(in);
        }
        if ("harmless".equals(run.getProperty("mode"))) {
            say("should-not-run");
            return;
        }
        // First: which JVM this is (its container is found by this line while it still runs).
        say("probe=" + (inProcess ? "in-process" : "process"));
        Configuration conf = new Configuration();
        String sleep = run.getProperty("sleep_s", "");
        if (!sleep.isEmpty()) {
            Thread.sleep(Long.parseLong(sleep) * 1000L);
        }
        String until = run.getProperty("sleep_until_s", "");
        if (!until.isEmpty()) {
            Thread.sleep(Math.max(0L, Long.parseLong(until) * 1000L - System.currentTimeMillis()));
        }
        String remote = run.getProperty("remote", "");
        if (!remote.isEmpty()) {
            Path path = new Path(remote);
            try (InputStream in = path.getFileSystem(conf).open(path)) {
                in.transferTo(System.out);
                say("remote=ok");
            } catch (IOException e) {
                System.err.println("reading " + remote + ": " + e);
            }
        }
        String user = env("USER");
        say("id=" + System.getProperty("user.name"));
        say("USER=" + user);
        say("HADOOP_USER_NAME=" + env("HADOOP_USER_NAME"));
        say("HADOOP_TOKEN_FILE_LOCATION=" + env("HADOOP_TOKEN_FILE_LOCATION"));
        String marker = run.getProperty("marker");
        if ("loop".equals(run.getProperty("mode"))) {
            // A long-lived application's work: a write every every_s seconds, for ever, to a file
            // of this container's own.
            Path out = new Path("/user/" + user + "/" + marker + "-" + container() + ".txt");
            long every = Long.parseLong(run.getProperty("every_s", "20"));
            while (true) {
                // A new client for every write, closed after it, as the shell probe's `hadoop fs`:
                // an RPC connection kept open between writes would carry the token it was opened
                // with past that token's max date.
                try (FileSystem fs = FileSystem.newInstance(out.toUri(), conf)) {
                    write(fs, out, user);
                    say("put=ok " + System.currentTimeMillis() / 1000L);
                } catch (IOException e) {
                    System.err.println("writing " + out + ": " + e);
                    say("put=failed " + System.currentTimeMillis() / 1000L);
                }
                Thread.sleep(every * 1000L);
            }
        }
        // As the shell probe's `&&`: a failed write throws, and the JVM exits non-zero.
        Path once = new Path("/user/" + user + "/" + marker + ".txt");
        write(once.getFileSystem(conf), once, user);
        say("put=ok");
    }

    /** The YARN container this runs in (the NodeManager's CONTAINER_ID), else the JVM's name. */
    private static String container() {
        String id = env("CONTAINER_ID");
        return id.isEmpty() ? ManagementFactory.getRuntimeMXBean().getName().replace('@', '-') : id;
    }

    private static void write(FileSystem fs, Path out, String user) throws IOException {
        try (OutputStream o = fs.create(out, true)) {
            o.write(("written by " + user + " in a YARN container\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String env(String name) {
        String value = System.getenv(name);
        return value == null ? "" : value;
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
