// yarnsec's probe on the JVM: the same lines the shell and Python probes print, and a write to the
// user's HDFS home through Hadoop's FileSystem API with the container's delegation token. yarnsec
// compiles it in the cluster, against the cluster's own Hadoop jars, and packs it in a jar with
// yarnsec-probe.properties (what this run does: mode, marker, sleep_s, remote).
//
// Run it as a JVM application would run in a container:
//   java -cp "workload.jar:$HADOOP_CONF_DIR:<Hadoop's jars>" YarnsecProbe
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

public final class YarnsecProbe {
    private YarnsecProbe() {}

    public static void main(String[] args) throws Exception {
        Properties run = new Properties();
        try (InputStream in = YarnsecProbe.class.getResourceAsStream("/yarnsec-probe.properties")) {
            if (in == null) {
                System.err.println("yarnsec-probe.properties is missing from the jar: it was not built by yarnsec");
                System.exit(2);
            }
            run.load(in);
        }
        if ("harmless".equals(run.getProperty("mode"))) {
            say("should-not-run");
            return;
        }
        Configuration conf = new Configuration();
        String sleep = run.getProperty("sleep_s", "");
        if (!sleep.isEmpty()) {
            Thread.sleep(Long.parseLong(sleep) * 1000L);
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
        Path out = new Path("/user/" + user + "/" + run.getProperty("marker") + ".txt");
        if ("loop".equals(run.getProperty("mode"))) {
            // A long-lived application's work: a write every every_s seconds, forever.
            long every = Long.parseLong(run.getProperty("every_s", "20"));
            while (true) {
                try {
                    write(conf, out, user);
                    say("put=ok " + System.currentTimeMillis() / 1000L);
                } catch (IOException e) {
                    System.err.println("writing " + out + ": " + e);
                    say("put=failed " + System.currentTimeMillis() / 1000L);
                }
                Thread.sleep(every * 1000L);
            }
        }
        // As the shell probe's `&&`: a failed write throws, and the JVM exits non-zero.
        write(conf, out, user);
        say("put=ok");
    }

    private static void write(Configuration conf, Path out, String user) throws IOException {
        try (OutputStream o = out.getFileSystem(conf).create(out, true)) {
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
