//! Readiness, observed: each daemon is ready when a real request shows it, checked until a
//! deadline. A daemon that exits, or a deadline that passes, ends the wait with an error that
//! names the daemon, the condition and the last lines of its log.

use std::future::Future;
use std::time::{Duration, Instant};

use serde::Serialize;
use yarnsec_hadoop::http::Auth;
use yarnsec_hadoop::jmx;
use yarnsec_hadoop::timeline::Timeline;
use yarnsec_hadoop::yarn::ResourceManager;
use yarnsec_hadoop::SpnegoClient;

use crate::error::HarnessError;
use crate::layout::{paths, ports, Layout};
use crate::node::Node;

/// How long each part of a start took (the benchmark reads these).
#[derive(Clone, Debug, Default, Serialize)]
pub struct StartTimings {
    /// Finding or building the images.
    pub images: Duration,
    /// KDC container start until a user got a ticket.
    pub kdc: Duration,
    /// Hadoop container start until the NameNode left safe mode.
    pub namenode: Duration,
    /// Hadoop container start until the NameNode saw a live DataNode.
    pub datanode: Duration,
    /// Hadoop container start until the ResourceManager answered.
    pub resourcemanager: Duration,
    /// Hadoop container start until the ResourceManager saw a running NodeManager.
    pub nodemanager: Duration,
    /// Hadoop container start until the timeline server answered.
    pub timeline: Duration,
    /// Hadoop container start until ZooKeeper (the service registry's store) answered `imok`.
    pub zookeeper: Duration,
    /// Laying out the service registry's paths and ACLs in ZooKeeper.
    pub registry_setup: Duration,
    /// Remote HDFS container start until its NameNode saw a live DataNode (alongside the rest).
    pub remote_hdfs: Duration,
    /// The remote HDFS's whole part of the start, from creating its container (after the main
    /// node is ready) until it is seeded: what a cluster without it starts faster by.
    pub remote_hdfs_total: Duration,
    /// Creating the users' HDFS homes.
    pub hdfs_setup: Duration,
    /// The submission service, from image to healthy.
    pub service: Duration,
    /// The whole start, images included.
    pub total: Duration,
}

/// Calls `check` until it succeeds or `deadline` passes; between tries it waits a little longer
/// each time (0.1 s up to 0.4 s: a start's daemons are ready 2 to 6 s after it, and a pause of a
/// second there was up to a second added to the start). Returns the last failure's text on
/// timeout.
pub(crate) async fn poll<T, F, Fut>(deadline: Instant, mut check: F) -> Result<T, String>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, String>>,
{
    let mut pause = Duration::from_millis(100);
    loop {
        match check().await {
            Ok(v) => return Ok(v),
            Err(e) if Instant::now() >= deadline => return Err(e),
            Err(_) => {
                tokio::time::sleep(pause).await;
                pause = (pause * 3 / 2).min(Duration::from_millis(400));
            }
        }
    }
}

/// The daemons that have exited, with their status, from the start script's `.exit` markers.
pub(crate) async fn exited_daemons(hadoop: &Node) -> Vec<(String, String)> {
    let script =
        format!("for f in {}/*.exit; do [ -e \"$f\" ] && echo \"$(basename \"$f\" .exit) $(cat \"$f\")\"; done; true", paths::HADOOP_LOGS);
    match hadoop.sh(&script).await {
        Ok(out) => out.lines().filter_map(|l| l.split_once(' ')).map(|(a, b)| (a.to_string(), b.to_string())).collect(),
        Err(_) => Vec::new(),
    }
}

/// The error for the first daemon that exited, with its log's last lines, if any did.
async fn first_exit(hadoop: &Node) -> Option<HarnessError> {
    let (name, status) = exited_daemons(hadoop).await.into_iter().next()?;
    let log = format!("{}/{name}.log", paths::HADOOP_LOGS);
    Some(HarnessError::DaemonExited { log_tail: hadoop.tail(&log, 30).await, daemon: name, status })
}

/// The error for a daemon that did not become ready: it exited, or the deadline passed.
pub(crate) async fn not_ready(hadoop: &Node, daemon: &str, condition: &str, waited: Duration, last_error: String) -> HarnessError {
    if let Some(exited) = first_exit(hadoop).await {
        return exited;
    }
    let log = format!("{}/{daemon}.log", paths::HADOOP_LOGS);
    HarnessError::NotReady { daemon: daemon.into(), condition: condition.into(), waited, last_error, log_tail: hadoop.tail(&log, 30).await }
}

/// ZooKeeper's answer to its `ruok` four-letter command, asked from this host at the node's
/// address (a TCP exchange: no process started in the container for each try).
async fn zookeeper_ok(hadoop: &Node) -> Result<(), String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let ask = async {
        let mut stream = tokio::net::TcpStream::connect((hadoop.ip(), ports::ZOOKEEPER)).await?;
        stream.write_all(b"ruok").await?;
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).await?;
        Ok::<_, std::io::Error>(answer)
    };
    match tokio::time::timeout(Duration::from_secs(5), ask).await {
        Err(_) => Err("no answer within 5 s".into()),
        Ok(Err(e)) => Err(format!("no answer: {e}")),
        Ok(Ok(answer)) => match String::from_utf8_lossy(&answer).trim() {
            "imok" => Ok(()),
            "" => Err("no answer: the connection closed".into()),
            other => Err(format!("answered {other:?}")),
        },
    }
}

/// A daemon that did not become ready: its name, the condition, the last failure.
type Unready = (&'static str, &'static str, String);

/// Waits until the NameNode at `nn` (a web URL) left safe mode, then until it sees a live
/// DataNode; returns both times since `started`.
async fn hdfs_ready(
    http: &SpnegoClient,
    nn: &str,
    auth: Auth<'_>,
    started: Instant,
    deadline: Instant,
) -> Result<(Duration, Duration), Unready> {
    let cond = "the NameNode to answer JMX and leave safe mode";
    poll(deadline, || async {
        let bean = jmx::bean(http, nn, "Hadoop:service=NameNode,name=NameNodeInfo", auth).await.map_err(|e| e.to_string())?;
        match bean["Safemode"].as_str() {
            Some("") => Ok(()),
            Some(s) => Err(format!("still in safe mode: {s}")),
            None => Err("no NameNodeInfo bean yet".into()),
        }
    })
    .await
    .map_err(|e| ("namenode", cond, e))?;
    let nn_ready = started.elapsed();
    let cond = "the NameNode to report a live DataNode";
    poll(deadline, || async {
        let bean = jmx::bean(http, nn, "Hadoop:service=NameNode,name=FSNamesystemState", auth).await.map_err(|e| e.to_string())?;
        match bean["NumLiveDataNodes"].as_u64() {
            Some(n) if n >= 1 => Ok(()),
            other => Err(format!("NumLiveDataNodes = {other:?}")),
        }
    })
    .await
    .map_err(|e| ("datanode", cond, e))?;
    Ok((nn_ready, started.elapsed()))
}

/// A watcher that ends a wait as soon as any daemon of `node` exits.
async fn watch_exits(node: &Node) -> HarnessError {
    loop {
        if let Some(exited) = first_exit(node).await {
            return exited;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// Waits for the remote HDFS (NameNode and DataNode of the `remote` container); returns how long
/// it took.
pub(crate) async fn wait_for_remote_hdfs(
    remote: &Node,
    http: &SpnegoClient,
    layout: &Layout,
    auth: Auth<'_>,
    timeout: Duration,
) -> Result<Duration, HarnessError> {
    let started = Instant::now();
    let nn = layout.remote_url(ports::NAMENODE_HTTP);
    let ready = tokio::select! {
        r = hdfs_ready(http, &nn, auth, started, started + timeout) => r,
        e = watch_exits(remote) => return Err(e),
    };
    match ready {
        Ok((_, all)) => Ok(all),
        Err((daemon, cond, last)) => Err(not_ready(remote, daemon, &format!("remote HDFS: {cond}"), started.elapsed(), last).await),
    }
}

/// What to do once a daemon is ready, while the others start: lay out HDFS once the NameNode and
/// DataNode are, and the service registry once ZooKeeper is.
pub(crate) struct OnceReady<H, Z> {
    /// Lays out HDFS (homes, `/tmp`, history).
    pub hdfs: H,
    /// Lays out the service registry in ZooKeeper.
    pub zookeeper: Z,
}

/// How long `layout` took, or its error.
async fn timed(layout: impl Future<Output = Result<(), HarnessError>>) -> Result<Duration, HarnessError> {
    let at = Instant::now();
    layout.await.map(|()| at.elapsed())
}

/// Waits for every Hadoop daemon, each with its own condition, all at once, and runs each of
/// `then`'s layouts as soon as the daemon it needs is ready (on two cores the layouts' requests
/// and JVM fit beside the daemons still starting: one after all of them, they added 1.1 to 1.6 s
/// to every start). Fails early when a daemon exits.
pub(crate) async fn wait_for_hadoop<H, Z>(
    hadoop: &Node,
    http: &SpnegoClient,
    layout: &Layout,
    auth: Auth<'_>,
    timeout: Duration,
    timings: &mut StartTimings,
    then: OnceReady<H, Z>,
) -> Result<(), HarnessError>
where
    H: Future<Output = Result<(), HarnessError>>,
    Z: Future<Output = Result<(), HarnessError>>,
{
    let started = Instant::now();
    let deadline = started + timeout;
    let nn = layout.hadoop_url(ports::NAMENODE_HTTP);
    let rm = ResourceManager::new(http.clone(), &layout.hadoop_url(ports::RM_HTTP));
    let ats = Timeline::new(http.clone(), &layout.hadoop_url(ports::TIMELINE_HTTP));

    // Each layout runs after its daemon's readiness, timed; `None`: the daemon never became ready.
    let hdfs = async {
        let ready = hdfs_ready(http, &nn, auth, started, deadline).await;
        let laid = match ready {
            Ok(_) => Some(timed(then.hdfs).await),
            Err(_) => None,
        };
        (ready, laid)
    };

    let yarn = async {
        let cond = "the ResourceManager REST API to answer";
        poll(deadline, || async {
            let info = rm.cluster_info(auth).await.map_err(|e| e.to_string())?;
            if info["state"] == "STARTED" {
                Ok(())
            } else {
                Err(format!("state {}", info["state"]))
            }
        })
        .await
        .map_err(|e| ("resourcemanager", cond, e))?;
        let rm_ready = started.elapsed();
        let cond = "the ResourceManager to report a RUNNING NodeManager";
        poll(deadline, || async {
            let m = rm.metrics(auth).await.map_err(|e| e.to_string())?;
            if m.active_nodes >= 1 {
                Ok(())
            } else {
                Err("no active NodeManager yet".into())
            }
        })
        .await
        .map_err(|e| ("nodemanager", cond, e))?;
        Ok::<_, Unready>((rm_ready, started.elapsed()))
    };

    let timeline = async {
        let cond = "the timeline server REST API to answer";
        poll(deadline, || async { ats.about(auth).await.map(drop).map_err(|e| e.to_string()) })
            .await
            .map_err(|e| ("timelineserver", cond, e))?;
        Ok::<_, Unready>(started.elapsed())
    };

    let zookeeper = async {
        let cond = "ZooKeeper to answer `ruok` with `imok` on its client port";
        let ready = poll(deadline, || zookeeper_ok(hadoop)).await.map(|()| started.elapsed()).map_err(|e| ("zookeeper", cond, e));
        let laid = match ready {
            Ok(_) => Some(timed(then.zookeeper).await),
            Err(_) => None,
        };
        (ready, laid)
    };

    let all = async { tokio::join!(hdfs, yarn, timeline, zookeeper) };
    let ((hdfs, hdfs_laid), yarn, timeline, (zookeeper, registry_laid)) = tokio::select! {
        r = all => r,
        e = watch_exits(hadoop) => return Err(e),
    };
    let failed = [hdfs.as_ref().err(), yarn.as_ref().err(), timeline.as_ref().err(), zookeeper.as_ref().err()];
    if let Some((daemon, cond, last)) = failed.into_iter().flatten().next() {
        return Err(not_ready(hadoop, daemon, cond, started.elapsed(), last.clone()).await);
    }
    let ((nn, dn), (rmr, nm), tl) = (hdfs.expect("checked"), yarn.expect("checked"), timeline.expect("checked"));
    timings.zookeeper = zookeeper.expect("checked");
    timings.namenode = nn;
    timings.datanode = dn;
    timings.resourcemanager = rmr;
    timings.nodemanager = nm;
    timings.timeline = tl;
    // Both ran: their daemons were ready.
    timings.hdfs_setup = hdfs_laid.expect("HDFS was ready")?;
    timings.registry_setup = registry_laid.expect("ZooKeeper was ready")?;
    Ok(())
}
