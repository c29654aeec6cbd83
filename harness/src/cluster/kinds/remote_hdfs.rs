//! The remote HDFS: a second NameNode and DataNode (own namespace, same realm) that alice's
//! applications read from (T9). Seeded with a file only alice may read.

use std::path::Path;
use std::time::Duration;

use testcontainers::core::WaitFor;
use yarnsec_hadoop::http::Auth;
use yarnsec_hadoop::SpnegoClient;

use super::container::{ContainerSpec, Network};
use super::{keytab, keytab_login, password};
use crate::cluster::readiness::wait_for_remote_hdfs;
use crate::config::{container_krb5_conf, remote_hdfs_files};
use crate::error::HarnessError;
use crate::layout::{paths, ports, Layout};
use crate::node::Node;
use crate::SecurityProfile;

/// The role label of the remote HDFS container.
pub const REMOTE_ROLE: &str = "remote-hdfs";

/// The file alice's applications read from the remote HDFS (T9), and what it holds.
pub const REMOTE_FILE: &str = "/shared/for-alice.txt";
/// The first line of [`REMOTE_FILE`].
pub const REMOTE_FILE_TEXT: &str = "yarnsec remote data: read by alice through a token from launch";

/// The remote HDFS node to start.
pub(crate) struct RemoteHdfsNode<'a> {
    image: &'a str,
    profile: &'a SecurityProfile,
    layout: &'a Layout,
    kdc: &'a Node,
}

impl<'a> RemoteHdfsNode<'a> {
    /// The remote HDFS of the cluster whose KDC is `kdc`, from the Hadoop `image`.
    pub fn new(image: &'a str, profile: &'a SecurityProfile, layout: &'a Layout, kdc: &'a Node) -> Self {
        Self { image, profile, layout, kdc }
    }

    /// Starts its container (its daemons come up afterwards: [`wait_and_seed`]).
    pub async fn start(self, net: &Network<'_>, state_dir: &Path) -> Result<Node, HarnessError> {
        let layout = self.layout;
        let mut files = remote_hdfs_files(self.profile, layout);
        let kdc_addr = format!("{}:{}", self.kdc.ip(), ports::KDC);
        files.insert("/etc/krb5.conf", container_krb5_conf(self.profile, layout, &kdc_addr));
        files.insert(paths::HTTP_SECRET, password());
        let keytabs = vec![
            (format!("{}/hdfs.keytab", paths::KEYTABS), keytab(state_dir, "remote-hdfs")?),
            (format!("{}/http.keytab", paths::KEYTABS), keytab(state_dir, "remote-http")?),
        ];
        ContainerSpec::new(REMOTE_ROLE, self.image, &layout.remote_host())
            .with_files(files)
            .with_keytabs(keytabs)
            .with_env("YARNSEC_DAEMONS", "namenode datanode")
            // A second filesystem, with ids of its own: formatted at its start, not copied from
            // the image's formatted NameNode as the main node's is.
            .with_env("YARNSEC_FORMAT_NAMENODE", "1")
            .ready_when(WaitFor::message_on_stdout("yarnsec: started"))
            .start(net)
            .await
    }
}

/// Waits for the remote NameNode and DataNode (asking as `user`), then seeds [`REMOTE_FILE`];
/// returns how long the daemons took.
pub(crate) async fn wait_and_seed(
    node: &Node,
    http: &SpnegoClient,
    user: Auth<'_>,
    profile: &SecurityProfile,
    layout: &Layout,
    state_dir: &Path,
    timeout: Duration,
) -> Result<Duration, HarnessError> {
    let took = wait_for_remote_hdfs(node, http, layout, user, timeout).await?;
    let superuser = keytab_login(profile, &layout.remote_principal("nn"), &state_dir.join("keytabs/remote-hdfs.keytab"))?;
    let admin = superuser.as_ref().map_or(Auth::Simple("hdfs"), Auth::Kerberos);
    let fs = yarnsec_hadoop::webhdfs::WebHdfs::new(http.clone(), &layout.remote_url(ports::NAMENODE_HTTP));
    seed(&fs, admin).await?;
    Ok(took)
}

/// `/shared/for-alice.txt` on the remote HDFS, owned by alice and readable by her only: reading it
/// takes alice's identity at the remote NameNode.
async fn seed(fs: &yarnsec_hadoop::webhdfs::WebHdfs, admin: Auth<'_>) -> Result<(), HarnessError> {
    fs.mkdirs("/shared", Some("755"), admin, None).await?;
    fs.set_permission("/shared", "755", admin, None).await?;
    fs.create(REMOTE_FILE, format!("{REMOTE_FILE_TEXT}\n").into_bytes(), true, admin, None).await?;
    fs.set_owner(REMOTE_FILE, "alice", "alice", admin).await?;
    fs.set_permission(REMOTE_FILE, "600", admin, None).await?;
    Ok(())
}
