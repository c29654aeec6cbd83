// A team's Spark application, as small as it can be and still show what Spark does with
// credentials: its driver and one executor task call yarnsec's probe inside their own JVMs
// (YarnsecProbe.run(), from the workload jar on the job's class path), so the probe writes the
// user's HDFS home with the credentials Spark keeps in those JVMs. A one-off run ends when both
// have written; a long-lived run (the probe's loop mode) writes for ever, from the driver (the
// ApplicationMaster's container in cluster mode) and from the executor.
import java.util.Collections;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

public final class YarnsecSparkApp {
    private YarnsecSparkApp() {}

    public static void main(String[] args) throws Exception {
        try (JavaSparkContext sc = new JavaSparkContext(new SparkConf())) {
            // A probe that fails in the driver fails the application, as a failed write should.
            AtomicReference<Exception> failed = new AtomicReference<>();
            Thread driver = new Thread(() -> {
                try {
                    YarnsecProbe.run();
                } catch (Exception e) {
                    failed.set(e);
                }
            }, "yarnsec probe in the driver");
            driver.setDaemon(true);
            driver.start();
            // A one-off probe is done in seconds (the two never write the same file at once); a
            // long-lived one never is, and the executor's writes a file of its own beside it.
            driver.join(60_000);
            sc.parallelize(Collections.singletonList(1), 1).foreach(x -> YarnsecProbe.run());
            driver.join();
            if (failed.get() != null) {
                throw failed.get();
            }
        }
    }
}
