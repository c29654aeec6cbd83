//! The KDC: an MIT krb5kdc whose realm, principals and keytabs its start script makes from
//! generated files. Ready when alice gets a ticket from it (a real AS exchange, from this host).

use std::path::Path;
use std::time::{Duration, Instant};

use testcontainers::core::WaitFor;
use yarnsec_hadoop::kerberos::{Krb5Conf, RealmEntry};
use yarnsec_hadoop::{Credential, KerberosError, Principal};

use super::container::{ContainerSpec, Network};
use super::write_private;
use crate::cluster::readiness::poll;
use crate::config::kdc_files;
use crate::error::HarnessError;
use crate::layout::paths::KDC_LOG;
use crate::layout::{ports, Layout};
use crate::node::Node;
use crate::SecurityProfile;

/// The keytabs the KDC exports, by file stem.
pub(crate) const KEYTABS: [&str; 9] = ["hdfs", "yarn", "http", "zookeeper", "remote-hdfs", "remote-http", "service", "alice", "bob"];

/// How long the KDC may take to answer a first ticket request (it usually takes a second or two).
const READY_LIMIT: Duration = Duration::from_secs(30);

/// A KDC to start.
pub(crate) struct KdcNode<'a> {
    image: &'a str,
    profile: &'a SecurityProfile,
    layout: &'a Layout,
    extra_files: Vec<(String, String)>,
    ready_timeout: Duration,
}

impl<'a> KdcNode<'a> {
    /// The cluster's KDC, from `image`.
    pub fn new(image: &'a str, profile: &'a SecurityProfile, layout: &'a Layout) -> Self {
        Self { image, profile, layout, extra_files: Vec::new(), ready_timeout: READY_LIMIT }
    }

    /// Files added to its generated ones (`{realm}` becomes the realm): a test's broken start
    /// script, say.
    pub fn with_files(mut self, files: &[(String, String)]) -> Self {
        self.extra_files = files.to_vec();
        self
    }

    /// How long it may take to answer (at most [`READY_LIMIT`]).
    pub fn with_ready_timeout(mut self, limit: Duration) -> Self {
        self.ready_timeout = limit.min(READY_LIMIT);
        self
    }

    /// Starts it; registers its realm in `registry` (this process's `krb5.conf`), writes the
    /// host's `krb5.conf` and the exported keytabs under `state_dir`, and waits until it answers.
    pub async fn start(self, net: &Network<'_>, state_dir: &Path, registry: &Path) -> Result<Node, HarnessError> {
        let layout = self.layout;
        let mut files = kdc_files(self.profile, layout);
        for (path, content) in &self.extra_files {
            files.insert(path.clone(), content.replace("{realm}", &layout.realm));
        }
        let kdc = ContainerSpec::new("kdc", self.image, &layout.kdc_host())
            .with_files(files)
            .ready_when(WaitFor::message_on_stdout("yarnsec: kdc starting"))
            .start(net)
            .await?;
        let kdc_addr = format!("{}:{}", kdc.ip(), ports::KDC);
        Krb5Conf::register_realm(registry, RealmEntry { name: layout.realm.clone(), kdc: kdc_addr.clone() })?;
        std::fs::create_dir_all(state_dir.join("keytabs")).map_err(HarnessError::io(state_dir))?;
        let host_conf =
            Krb5Conf::new(vec![RealmEntry { name: layout.realm.clone(), kdc: kdc_addr.clone() }]).with_default_realm(layout.realm.clone());
        write_private(&state_dir.join("krb5.conf"), host_conf.render().as_bytes(), 0o644)?;
        for (name, bytes) in exported_keytabs(&kdc).await? {
            write_private(&state_dir.join("keytabs").join(format!("{name}.keytab")), &bytes, 0o600)?;
        }
        let alice = layout.users.iter().find(|u| u.name == "alice").and_then(|u| u.password.clone()).unwrap_or_default();
        let principal = Principal::user("alice", &layout.realm);
        let answered = poll(Instant::now() + self.ready_timeout, || {
            let (principal, alice) = (principal.clone(), alice.clone());
            async move {
                tokio::task::spawn_blocking(move || Credential::from_password(principal, &alice))
                    .await
                    .expect("the GSSAPI call does not panic")
                    .map(drop)
                    .map_err(|e: KerberosError| e.to_string())
            }
        })
        .await;
        if let Err(last_error) = answered {
            let log_tail = format!("{}--- {KDC_LOG} ---\n{}", kdc.log_tail(30).await, kdc.tail(KDC_LOG, 30).await);
            return Err(HarnessError::NotReady {
                daemon: "kdc".into(),
                condition: format!("a ticket for alice@{} from the KDC at {kdc_addr} (TCP)", layout.realm),
                waited: self.ready_timeout,
                last_error,
                log_tail,
            });
        }
        Ok(kdc)
    }
}

/// The keytabs the KDC exported ([`KEYTABS`]), read in one archive (one exec instead of one per
/// keytab, on the start's critical path), each by its file stem.
async fn exported_keytabs(kdc: &Node) -> Result<Vec<(&'static str, Vec<u8>)>, HarnessError> {
    let bytes = kdc.read_dir_archive("/keytabs").await?;
    let failed = |detail: String| HarnessError::Exec { container: "kdc".into(), command: "tar -C /keytabs -cf - .".into(), detail };
    let mut found = std::collections::HashMap::new();
    let mut archive = tar::Archive::new(bytes.as_slice());
    for entry in archive.entries().map_err(|e| failed(e.to_string()))? {
        let mut entry = entry.map_err(|e| failed(e.to_string()))?;
        let path = entry.path().map_err(|e| failed(e.to_string()))?.into_owned();
        let Some(stem) = path.file_name().and_then(|n| n.to_str()).and_then(|n| n.strip_suffix(".keytab")).map(str::to_string) else {
            continue;
        };
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).map_err(|e| failed(e.to_string()))?;
        found.insert(stem, bytes);
    }
    KEYTABS
        .iter()
        .map(|name| {
            found.remove(*name).map(|bytes| (*name, bytes)).ok_or_else(|| failed(format!("/keytabs/{name}.keytab was not exported")))
        })
        .collect()
}
