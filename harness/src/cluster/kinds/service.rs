//! The reference submission service: its binary (built on the host) in an image of its own, with
//! its configuration and the service keytab. Ready when `/healthz` answers 200.

use std::net::IpAddr;
use std::path::Path;
use std::time::{Duration, Instant};

use yarnsec_hadoop::http::Auth;
use yarnsec_hadoop::SpnegoClient;

use super::container::{ContainerSpec, Network};
use crate::cluster::readiness::poll;
use crate::cluster::ServiceOptions;
use crate::config::{container_krb5_conf, service_toml, ConfigFiles};
use crate::error::HarnessError;
use crate::layout::{ports, Layout};
use crate::node::Node;
use crate::progress::Progress;
use crate::SecurityProfile;

/// How long the service may take to answer `/healthz`.
const READY_LIMIT: Duration = Duration::from_secs(30);

/// A reference-service container to start.
pub(crate) struct ServiceNode<'a> {
    role: &'a str,
    base_image: &'a str,
    profile: &'a SecurityProfile,
    layout: &'a Layout,
    kdc_ip: IpAddr,
    hadoop_ip: IpAddr,
    remote_ip: Option<IpAddr>,
}

impl<'a> ServiceNode<'a> {
    /// The cluster's service (role `service`), from an image built on `base_image`, for a cluster
    /// whose KDC and Hadoop node answer at these addresses.
    pub fn new(base_image: &'a str, profile: &'a SecurityProfile, layout: &'a Layout, kdc_ip: IpAddr, hadoop_ip: IpAddr) -> Self {
        Self { role: "service", base_image, profile, layout, kdc_ip, hadoop_ip, remote_ip: None }
    }

    /// Another service on a running cluster: `service-extra` (attaching finds the cluster's main
    /// one by its role).
    pub fn with_role(mut self, role: &'a str) -> Self {
        self.role = role;
        self
    }

    /// The remote HDFS its applications read (T9), if the cluster has one.
    pub fn with_remote(mut self, remote_ip: Option<IpAddr>) -> Self {
        self.remote_ip = remote_ip;
        self
    }

    /// Starts it and waits until `/healthz` answers 200. Returns the node and an HTTP client that
    /// reaches the service's host name at this container.
    pub async fn start(
        self,
        net: &Network<'_>,
        state_dir: &Path,
        options: &ServiceOptions,
        progress: &Progress,
    ) -> Result<(Node, SpnegoClient), HarnessError> {
        let started = Instant::now();
        let layout = self.layout;
        let image = crate::images::ensure_service_image(net.docker, self.base_image, &options.binary, progress).await?;
        let kdc_addr = format!("{}:{}", self.kdc_ip, ports::KDC);
        let mut files = ConfigFiles::default();
        files.insert("/etc/yarnsec/service.toml", service_toml(self.profile, layout, self.hadoop_ip, self.remote_ip, &options.faults));
        files.insert("/etc/krb5.conf", container_krb5_conf(self.profile, layout, &kdc_addr));
        let keytab = std::fs::read(state_dir.join("keytabs/service.keytab")).map_err(HarnessError::io(state_dir))?;
        let service = ContainerSpec::new(self.role, &image, &layout.service_host())
            .with_files(files)
            .with_keytabs(vec![("/etc/yarnsec/service.keytab".to_string(), keytab)])
            // As a team debugging Kerberos would run it: the checklist then sees whether the
            // service passes it to its applications (C6, A7).
            .with_env("HADOOP_JAAS_DEBUG", "true")
            .start(net)
            .await?;
        let mut hosts =
            vec![(layout.kdc_host(), self.kdc_ip), (layout.hadoop_host(), self.hadoop_ip), (layout.service_host(), service.ip())];
        hosts.extend(self.remote_ip.map(|ip| (layout.remote_host(), ip)));
        let http = SpnegoClient::new(&layout.realm, hosts)?;
        let health = format!("http://{}:{}/healthz", layout.service_host(), ports::SERVICE_HTTP);
        let ready = poll(Instant::now() + READY_LIMIT, || async {
            let r = http.get(&health, Auth::Anonymous).await.map_err(|e| e.to_string())?;
            if r.status.is_success() {
                Ok(())
            } else {
                Err(format!("{} {}", r.status, r.text()))
            }
        })
        .await;
        if let Err(last_error) = ready {
            return Err(HarnessError::NotReady {
                daemon: "service".into(),
                condition: format!("{health} to answer 200"),
                waited: started.elapsed(),
                last_error,
                log_tail: service.log_tail(30).await,
            });
        }
        Ok((service, http))
    }
}
