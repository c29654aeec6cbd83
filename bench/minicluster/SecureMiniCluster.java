// The anchor of `yarnsec bench`: a Kerberos-secured HDFS and YARN in one JVM, the way Hadoop
// projects write secure tests today (MiniKdc, MiniDFSCluster, MiniYARNCluster, Hadoop 3.4.2),
// set as close to yarnsec's `strict` profile as they allow. It starts them, waits until an
// application could run (DataNode live, NodeManager registered), prints one JSON line with the
// times and its memory, and stops.
//
//   java -cp <classes>:<mvn dependency:build-classpath> SecureMiniCluster WORK_DIR
//
// Written for yarnsec from Hadoop's documentation and the public API of these classes.

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.minikdc.MiniKdc;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;

public final class SecureMiniCluster {
    private SecureMiniCluster() {}

    private static double since(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** The JVM's resident memory, MiB, from /proc/self/status. */
    private static long rssMib() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }

    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        File work = new File(args.length > 0 ? args[0] : "target/minicluster");
        work.mkdirs();

        // Kerberos: strict's ticket lifetime, 120 s (Kerby reads it in seconds, whatever MiniKdc's
        // documentation says). The renewable lifetime is not passed to Kerby at all: it stays 48 h.
        Properties kdcConf = MiniKdc.createConf();
        kdcConf.setProperty(MiniKdc.MAX_TICKET_LIFETIME, "120");
        kdcConf.setProperty(MiniKdc.MAX_RENEWABLE_LIFETIME, "300");
        MiniKdc kdc = new MiniKdc(kdcConf, new File(work, "kdc"));
        kdc.start();
        String realm = kdc.getRealm();
        File keytab = new File(work, "services.keytab");
        kdc.createPrincipal(keytab, "hdfs/localhost", "HTTP/localhost");
        double kdcReady = since(start);

        // One service principal for every daemon: the whole JVM has one login user (the
        // NameNode's), and MiniYARNCluster skips the ResourceManager's and NodeManager's logins.
        String hdfs = "hdfs/localhost@" + realm;
        String yarn = hdfs;
        String http = "HTTP/localhost@" + realm;
        String kt = keytab.getAbsolutePath();
        Configuration conf = new YarnConfiguration();
        conf.set("hadoop.security.authentication", "kerberos");
        conf.setBoolean("hadoop.security.authorization", true);
        conf.set("hadoop.rpc.protection", "privacy");
        // SPNEGO on the daemons' HTTP endpoints.
        conf.set("hadoop.http.authentication.type", "kerberos");
        conf.set("hadoop.http.authentication.kerberos.principal", http);
        conf.set("hadoop.http.authentication.kerberos.keytab", kt);
        conf.set("hadoop.http.filter.initializers", "org.apache.hadoop.security.AuthenticationFilterInitializer");
        // HDFS: Kerberos, block tokens, SASL on data transfer with privacy, strict's token lifetimes.
        conf.set("dfs.namenode.kerberos.principal", hdfs);
        conf.set("dfs.namenode.keytab.file", kt);
        conf.set("dfs.datanode.kerberos.principal", hdfs);
        conf.set("dfs.datanode.keytab.file", kt);
        conf.set("dfs.web.authentication.kerberos.principal", http);
        conf.set("dfs.web.authentication.kerberos.keytab", kt);
        conf.setBoolean("dfs.block.access.token.enable", true);
        conf.set("dfs.data.transfer.protection", "privacy");
        // SASL data transfer wants HTTPS_ONLY or privileged ports: as in yarnsec's own cluster, neither.
        conf.setBoolean("ignore.secure.ports.for.testing", true);
        conf.setLong("dfs.namenode.delegation.token.renew-interval", 60_000);
        conf.setLong("dfs.namenode.delegation.token.max-lifetime", 300_000);
        // YARN: Kerberos daemons, SPNEGO on the web UIs, strict's token lifetimes.
        conf.set("yarn.resourcemanager.principal", yarn);
        conf.set("yarn.resourcemanager.keytab", kt);
        conf.set("yarn.nodemanager.principal", yarn);
        conf.set("yarn.nodemanager.keytab", kt);
        conf.set("yarn.resourcemanager.webapp.spnego-principal", http);
        conf.set("yarn.resourcemanager.webapp.spnego-keytab-file", kt);
        conf.set("yarn.nodemanager.webapp.spnego-principal", http);
        conf.set("yarn.nodemanager.webapp.spnego-keytab-file", kt);
        conf.setLong("yarn.resourcemanager.delegation.token.renew-interval", 60_000);
        conf.setLong("yarn.resourcemanager.delegation.token.max-lifetime", 300_000);

        System.setProperty("sun.security.krb5.rcache", "none");
        UserGroupInformation.setConfiguration(conf);
        UserGroupInformation.loginUserFromKeytab(hdfs, kt);

        // The NameNode rewrites its configuration's HTTP filters: YARN gets a copy made before.
        Configuration yarnConf = new YarnConfiguration(conf);
        long t = System.nanoTime();
        MiniDFSCluster dfs = new MiniDFSCluster.Builder(conf, new File(work, "dfs"))
                .numDataNodes(1)
                .checkDataNodeHostConfig(true)
                .build();
        dfs.waitActive();
        double hdfsReady = since(t);

        t = System.nanoTime();
        MiniYARNCluster yarnCluster = new MiniYARNCluster("yarnsec-anchor", 1, 1, 1);
        yarnConf.set("fs.defaultFS", dfs.getFileSystem().getUri().toString());
        yarnCluster.init(yarnConf);
        yarnCluster.start();
        if (!yarnCluster.waitForNodeManagersToConnect(120_000)) {
            throw new IllegalStateException("the NodeManager did not register within 120 s");
        }
        double yarnReady = since(t);
        double ready = since(start);
        long rss = rssMib();
        System.out.printf(
                Locale.ROOT,
                "{\"kdc_s\":%.2f,\"hdfs_s\":%.2f,\"yarn_s\":%.2f,\"ready_s\":%.2f,\"rss_mib\":%d,\"realm\":\"%s\","
                        + "\"rpc_protection\":\"%s\",\"data_transfer_protection\":\"%s\"}%n",
                kdcReady, hdfsReady, yarnReady, ready, rss, realm,
                conf.get("hadoop.rpc.protection"), conf.get("dfs.data.transfer.protection"));
        System.out.flush();
        long stop = System.nanoTime();
        yarnCluster.stop();
        dfs.shutdown();
        kdc.stop();
        System.err.printf(Locale.ROOT, "stopped in %.2f s%n", since(stop));
        // Some threads the mini clusters leave are not daemon threads: leave now.
        System.exit(0);
    }
}
