//! The foundation against a real cluster: Kerberos, SPNEGO, HDFS, YARN, timeline, tokens and
//! their lifetimes, permissions, and the user without credentials.

mod common;

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use yarnsec_hadoop::http::Auth;
use yarnsec_hadoop::token::Token;
use yarnsec_hadoop::webhdfs::TokenRequest;
use yarnsec_hadoop::{jmx, Credential, Principal};

macro_rules! cluster_or_skip {
    () => {
        match common::cluster().await {
            Some(c) => c,
            None => return,
        }
    };
}

#[tokio::test]
async fn cluster_describes_itself() {
    let Some(d) = common::description() else { return };
    assert!(d.realm.ends_with(".YARNSEC.TEST"), "realm {}", d.realm);
    assert!(d.krb5_conf.is_absolute() && d.krb5_conf.exists());
    assert!(d.hosts.contains_key("hadoop.yarnsec.test") && d.hosts.contains_key("kdc.yarnsec.test"));
    assert!(d.endpoints.resourcemanager_http.starts_with("http://hadoop.yarnsec.test:"));
    let names: Vec<_> = d.users.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(names, ["alice", "bob", "carol"]);
    for u in &d.users[..2] {
        assert!(u.keytab.as_ref().is_some_and(|k| k.is_absolute() && k.exists()), "{u:?}");
    }
    assert!(d.users[2].principal.is_none(), "carol must have no principal");
}

#[tokio::test]
async fn alice_gets_a_ticket_from_her_keytab() {
    let cluster = cluster_or_skip!();
    let alice = cluster.user("alice").unwrap().credential().unwrap();
    let target = Principal::http("hadoop.yarnsec.test", cluster.realm());
    let token = tokio::task::spawn_blocking(move || alice.initiate(&target))
        .await
        .unwrap()
        .expect("a SPNEGO token for the NameNode's HTTP principal");
    assert!(token.len() > 100, "a real Kerberos AP-REQ inside SPNEGO is hundreds of bytes, got {}", token.len());
}

#[tokio::test]
async fn web_and_rest_refuse_anonymous_users_and_accept_alice() {
    let cluster = cluster_or_skip!();
    let alice = cluster.user("alice").unwrap().credential().unwrap();
    let layout = cluster.layout();
    for url in [
        format!("{}/jmx", layout.hadoop_url(9870)),
        format!("{}/webhdfs/v1/user/alice?op=GETFILESTATUS", layout.hadoop_url(9870)),
        format!("{}/ws/v1/cluster/info", layout.hadoop_url(8088)),
        format!("{}/cluster", layout.hadoop_url(8088)),
        format!("{}/ws/v1/timeline/", layout.hadoop_url(8188)),
    ] {
        let anonymous = cluster.http().get(&url, Auth::Anonymous).await.unwrap();
        assert_eq!(anonymous.status, 401, "anonymous GET {url}");
        assert_eq!(anonymous.header("www-authenticate"), Some("Negotiate"), "{url} must ask for SPNEGO");
        let as_alice = cluster.http().get(&url, Auth::Kerberos(&alice)).await.unwrap();
        assert_eq!(as_alice.status, 200, "alice GET {url}: {}", as_alice.text());
    }
}

#[tokio::test]
async fn namenode_reports_security_on_and_a_live_datanode() {
    let cluster = cluster_or_skip!();
    let alice = cluster.user("alice").unwrap().credential().unwrap();
    let nn = cluster.layout().hadoop_url(9870);
    let status = jmx::bean(cluster.http(), &nn, "Hadoop:service=NameNode,name=NameNodeStatus", Auth::Kerberos(&alice)).await.unwrap();
    assert_eq!(status["SecurityEnabled"], true, "{status}");
    let state = jmx::bean(cluster.http(), &nn, "Hadoop:service=NameNode,name=FSNamesystemState", Auth::Kerberos(&alice)).await.unwrap();
    assert!(state["NumLiveDataNodes"].as_u64().unwrap() >= 1, "{state}");
}

#[tokio::test]
async fn resourcemanager_reports_a_running_nodemanager() {
    let cluster = cluster_or_skip!();
    let alice = cluster.user("alice").unwrap().credential().unwrap();
    let nodes = cluster.resource_manager().nodes(Auth::Kerberos(&alice)).await.unwrap();
    assert!(nodes.iter().any(|n| n["state"] == "RUNNING" && n["nodeHostName"] == "hadoop.yarnsec.test"), "{nodes:?}");
}

/// The NameNode's RPC address as a token service (`ip:port`).
fn namenode_service(cluster: &yarnsec_harness::SecureCluster) -> String {
    format!("{}:8020", cluster.hadoop().ip())
}

#[tokio::test]
async fn alice_gets_an_hdfs_token_the_resourcemanager_may_renew() {
    let cluster = cluster_or_skip!();
    let alice = cluster.user("alice").unwrap().credential().unwrap();
    let service = namenode_service(&cluster);
    let request = TokenRequest { renewer: Some("yarn"), kind: Some("HDFS_DELEGATION_TOKEN"), service: Some(&service) };
    let url = cluster.webhdfs().delegation_token(&request, Auth::Kerberos(&alice), None).await.unwrap();
    let token = Token::decode_url_string(&url).unwrap();
    assert_eq!(token.kind, "HDFS_DELEGATION_TOKEN");
    assert_eq!(token.service, service);
    let id = token.identifier().unwrap();
    let d = id.as_delegation().expect("a delegation token identifier");
    assert_eq!(d.owner_short_name(), "alice", "{id}");
    assert_eq!(d.renewer, "yarn", "the ResourceManager (rm/… maps to yarn) must be the renewer: {id}");
    assert_eq!((d.max_date - d.issue_date) as u64, cluster.profile().token_max_lifetime().as_millis() as u64, "{id}");
    // The renewer can renew it: the RM's own credentials.
    let rm = cluster.service_credential("rm").unwrap();
    let expiry = cluster.webhdfs().renew_delegation_token(&url, Auth::Kerberos(&rm)).await.unwrap();
    assert!(expiry <= d.max_date, "renewed to {expiry}, past the max date {}", d.max_date);
    // Anyone else cannot.
    let bob = cluster.user("bob").unwrap().credential().unwrap();
    let refused = cluster.webhdfs().renew_delegation_token(&url, Auth::Kerberos(&bob)).await.unwrap_err();
    assert!(refused.to_string().contains("403") || refused.to_string().contains("renew"), "{refused}");
}

fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() as i64
}

/// Short lifetimes are in force, not only configured: a token renewed as often as allowed still
/// stops working at its max date.
#[tokio::test]
async fn a_delegation_token_is_refused_after_its_max_lifetime() {
    let cluster = cluster_or_skip!();
    let alice = cluster.user("alice").unwrap().credential().unwrap();
    let rm = cluster.service_credential("rm").unwrap();
    let fs = cluster.webhdfs();
    let request = TokenRequest { renewer: Some("yarn"), ..Default::default() };
    let token = fs.delegation_token(&request, Auth::Kerberos(&alice), None).await.unwrap();
    let id = Token::decode_url_string(&token).unwrap().identifier().unwrap();
    let max_date = id.as_delegation().unwrap().max_date;
    let status = fs.status("/user/alice", Auth::Delegation(&token), None).await.expect("the fresh token works");
    assert_eq!(status.owner, "alice");

    // Renew at half the interval until the max date, then expect refusal.
    let renew_every = cluster.profile().token_renew_interval() / 2;
    let mut renewals = 0;
    while now_ms() < max_date - 1_000 {
        let expiry = fs.renew_delegation_token(&token, Auth::Kerberos(&rm)).await.expect("renewal before the max date");
        assert!(expiry <= max_date);
        renewals += 1;
        fs.status("/user/alice", Auth::Delegation(&token), None).await.expect("a renewed token works");
        let left = Duration::from_millis((max_date - now_ms()).max(0) as u64);
        tokio::time::sleep(renew_every.min(left)).await;
    }
    assert!(renewals >= 2, "the token was renewed {renewals} times before its max date");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match fs.status("/user/alice", Auth::Delegation(&token), None).await {
            Err(e) => {
                let text = e.to_string();
                assert!(text.contains("403") || text.contains("401") || text.contains("expired"), "refused for the wrong reason: {text}");
                break;
            }
            Ok(_) if Instant::now() < deadline => tokio::time::sleep(Duration::from_secs(1)).await,
            Ok(_) => panic!("the token still works 30 s after its max date"),
        }
    }
    assert!(fs.renew_delegation_token(&token, Auth::Kerberos(&rm)).await.is_err(), "a token past its max date must not renew");
}

/// A ticket from a single login (no keytab) stops working after the profile's ticket lifetime.
#[tokio::test]
async fn a_ticket_is_refused_after_its_lifetime() {
    let cluster = cluster_or_skip!();
    let once = cluster.user("alice").unwrap().login_once().unwrap();
    let url = format!("{}/ws/v1/cluster/info", cluster.layout().hadoop_url(8088));
    assert_eq!(cluster.http().get(&url, Auth::Kerberos(&once)).await.unwrap().status, 200);
    let lifetime = once.remaining_lifetime().unwrap();
    assert!(lifetime <= cluster.profile().ticket_lifetime(), "ticket lives {lifetime:?}, more than the profile allows");
    tokio::time::sleep(lifetime + Duration::from_secs(2)).await;
    assert_eq!(once.remaining_lifetime().unwrap(), Duration::ZERO);
    // A service it never spoke to: no cached service ticket can stand in.
    let ats = format!("{}/ws/v1/timeline/", cluster.layout().hadoop_url(8188));
    let err = cluster.http().get(&ats, Auth::Kerberos(&once)).await.unwrap_err();
    assert!(err.to_string().to_lowercase().contains("expired"), "{err}");
    // While a keytab login simply gets a new ticket.
    let renewing = cluster.user("alice").unwrap().credential().unwrap();
    assert_eq!(cluster.http().get(&ats, Auth::Kerberos(&renewing)).await.unwrap().status, 200);
}

#[tokio::test]
async fn bob_cannot_read_alices_private_home() {
    let cluster = cluster_or_skip!();
    let fs = cluster.webhdfs();
    let alice = cluster.user("alice").unwrap().credential().unwrap();
    let bob = cluster.user("bob").unwrap().credential().unwrap();
    let home = fs.status("/user/alice", Auth::Kerberos(&alice), None).await.unwrap();
    assert_eq!((home.owner.as_str(), home.permission.as_str()), ("alice", "700"));
    fs.create("/user/alice/secret.txt", b"alice only".to_vec(), true, Auth::Kerberos(&alice), None).await.unwrap();
    assert_eq!(fs.open("/user/alice/secret.txt", Auth::Kerberos(&alice), None).await.unwrap(), b"alice only");
    let denied = fs.open("/user/alice/secret.txt", Auth::Kerberos(&bob), None).await.unwrap_err().to_string();
    assert!(denied.contains("403") && denied.contains("AccessControlException"), "{denied}");
    let audit = cluster.evidence().audit_lines("/user/alice/secret.txt").await.unwrap();
    assert!(audit.iter().any(|l| l.contains("allowed=false") && l.contains("ugi=bob")), "the audit log must show bob refused: {audit:?}");
}

#[tokio::test]
async fn carol_cannot_get_a_ticket() {
    let cluster = cluster_or_skip!();
    let carol = cluster.user("carol").unwrap();
    assert!(carol.principal().is_none());
    let err = carol.credential().unwrap_err().to_string();
    assert!(err.contains("no Kerberos principal"), "{err}");
    // Asking the KDC directly: it does not know her.
    let principal = Principal::user("carol", cluster.realm());
    let err = tokio::task::spawn_blocking(move || Credential::from_password(principal, "guess")).await.unwrap().unwrap_err().to_string();
    assert!(err.contains("not found"), "{err}");
    assert!(err.contains("kadmin.local"), "the error must name the fix: {err}");
    // And without a ticket, the cluster refuses her.
    let url = format!("{}/webhdfs/v1/user/carol?op=GETFILESTATUS", cluster.layout().hadoop_url(9870));
    assert_eq!(cluster.http().get(&url, Auth::Anonymous).await.unwrap().status, 401);
}

#[tokio::test]
async fn the_client_kit_names_every_host_and_a_service_identity_that_works() {
    let Some(d) = common::description() else { return };
    let cluster = cluster_or_skip!();
    assert_eq!(d.cluster_id, cluster.id());
    let hosts = std::fs::read_to_string(&d.hosts_file).unwrap_or_else(|e| panic!("{}: {e}", d.hosts_file.display()));
    for (name, ip) in &d.hosts {
        assert!(hosts.lines().any(|l| l == format!("{ip} {name}")), "{name} ({ip}) is not in {}:\n{hosts}", d.hosts_file.display());
    }
    if !cluster.profile().kerberos() {
        assert!(d.service_identity.is_none());
        return;
    }
    let identity = d.service_identity.clone().expect("a Kerberos cluster names the service identity");
    assert!(identity.proxy_user_for.iter().any(|u| u == "alice"), "{identity:?}");

    // The HTTP principal is in the same keytab and the KDC knows it.
    let http: Principal = identity.http_principal.parse().unwrap();
    let target = Principal::http("hadoop.yarnsec.test", cluster.realm());
    let as_http = Credential::from_keytab(http, &identity.keytab).unwrap();
    tokio::task::spawn_blocking(move || as_http.initiate(&target)).await.unwrap().expect("a ticket as the service's HTTP principal");

    // The proxy-user rights are real: WebHDFS answers the service acting for alice with her home.
    let service = Credential::from_keytab(identity.principal.parse().unwrap(), &identity.keytab).unwrap();
    let url = format!("{}/webhdfs/v1/?op=GETHOMEDIRECTORY&doas=alice", cluster.layout().hadoop_url(9870));
    let answer = cluster.http().get(&url, Auth::Kerberos(&service)).await.unwrap();
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert!(answer.text().contains("/user/alice"), "{}", answer.text());
}

/// Puts a new ticket for alice into `ccache` (as `kinit` does): before each JVM, as a gateway
/// host keeps its users' tickets fresh, so that a run of several JVMs under load never outlives
/// a ticket of the `fast` profile (30 s); this test is about the kit, not about lifetimes.
fn kinit_alice(d: &yarnsec_harness::ClusterDescription, ccache: &std::path::Path) {
    let alice = d.users.iter().find(|u| u.name == "alice").unwrap();
    let kinit = std::process::Command::new("kinit")
        .args(["-k", "-t"])
        .arg(alice.keytab.as_ref().unwrap())
        .arg(alice.principal.as_ref().unwrap())
        .env("KRB5_CONFIG", &d.krb5_conf)
        .env("KRB5CCNAME", format!("FILE:{}", ccache.display()))
        .output()
        .expect("kinit runs (krb5-user)");
    assert!(kinit.status.success(), "kinit: {}", String::from_utf8_lossy(&kinit.stderr));
}

/// Runs a Hadoop client class in a JVM given only the kit: the description's Java options, its
/// client configuration and classpath, and alice's ticket in a file cache (as after `kinit`).
async fn kit_jvm(
    d: &yarnsec_harness::ClusterDescription,
    jars: &str,
    ccache: &std::path::Path,
    class: &str,
    args: &[&str],
) -> (bool, String) {
    kinit_alice(d, ccache);
    let classpath = format!("{}:{jars}", d.hadoop_conf_dir.display());
    let run = tokio::process::Command::new("java")
        .args(&d.java_options)
        .arg("-cp")
        .arg(classpath)
        .arg(class)
        .args(args)
        .env("KRB5CCNAME", format!("FILE:{}", ccache.display()))
        .env_remove("KRB5_CONFIG")
        .env_remove("HADOOP_CONF_DIR")
        .kill_on_drop(true)
        .output();
    let out = tokio::time::timeout(Duration::from_secs(120), run).await.expect("the client ends within 2 minutes").expect("java runs");
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

#[tokio::test]
async fn a_jvm_client_with_only_the_kit_writes_reads_hdfs_and_lists_applications() {
    let Some(d) = common::description() else { return };
    let cluster = cluster_or_skip!();
    if !cluster.profile().kerberos() {
        eprintln!("SKIPPED: the kit's Kerberos client is shown on a Kerberos profile");
        return;
    }
    // The client's own files hold nothing of a daemon's.
    for file in ["core-site.xml", "hdfs-site.xml", "yarn-site.xml"] {
        let text = std::fs::read_to_string(d.hadoop_conf_dir.join(file)).unwrap();
        assert!(!text.contains("keytab"), "{file} names a keytab:\n{text}");
    }
    let dir = tempfile::tempdir().unwrap();
    let ccache = dir.path().join("alice.ccache");
    // The images may come from another host's build: then this host gathers the jars first.
    let jars = match &d.hadoop_classpath {
        Some(jars) => jars.clone(),
        None => yarnsec_harness::images::client_classpath(cluster.hadoop_version(), &yarnsec_harness::progress::Progress::stderr())
            .await
            .expect("Maven gathers Hadoop's jars"),
    };

    let local = dir.path().join("kit.txt");
    std::fs::write(&local, "written through the kit\n").unwrap();
    let remote = format!("/user/alice/kit-probe-{}.txt", std::process::id());
    let local_arg = local.to_string_lossy().into_owned();
    // The cluster's names resolve from the kit's hosts file alone: this host cannot resolve them.
    let (ok, out) = kit_jvm(&d, &jars, &ccache, "org.apache.hadoop.fs.FsShell", &["-put", "-f", &local_arg, &remote]).await;
    assert!(ok, "hdfs dfs -put through the kit failed:\n{out}");
    let (cat_ok, cat_out) = kit_jvm(&d, &jars, &ccache, "org.apache.hadoop.fs.FsShell", &["-cat", &remote]).await;
    let (rm_ok, rm_out) = kit_jvm(&d, &jars, &ccache, "org.apache.hadoop.fs.FsShell", &["-rm", "-skipTrash", &remote]).await;
    assert!(cat_ok && cat_out.contains("written through the kit"), "hdfs dfs -cat through the kit failed:\n{cat_out}");
    assert!(rm_ok, "hdfs dfs -rm through the kit failed:\n{rm_out}");
    let (ok, out) =
        kit_jvm(&d, &jars, &ccache, "org.apache.hadoop.yarn.client.cli.ApplicationCLI", &["application", "-list", "-appStates", "ALL"])
            .await;
    assert!(ok && out.contains("Total number of applications"), "yarn application -list through the kit failed:\n{out}");

    // The service identity logs in from its keytab in a JVM (Hadoop's own UserGroupInformation).
    if let Some(identity) = &d.service_identity {
        let keytab = identity.keytab.to_string_lossy().into_owned();
        let (ok, out) =
            kit_jvm(&d, &jars, &ccache, "org.apache.hadoop.security.UserGroupInformation", &[&identity.principal, &keytab]).await;
        assert!(
            ok && out.contains("Getting UGI from keytab") && out.contains(&identity.principal),
            "the service's keytab login failed:\n{out}"
        );
    }
}

/// The daemons that log in to ZooKeeper (its server, and the ResourceManager for the registry)
/// keep their ZooKeeper login alive past two ticket lifetimes. On `fast`, before ZooKeeper's
/// login was given a 10 s minimum between logins (`config::RELOGIN_JAVA_OPTION`), its refresh
/// thread looped for a ticket's life (millions of "Not attempting to re-login" lines), then
/// logged "Exiting refresh thread" and never logged in again: the services API could no longer
/// clean a destroyed service's registry entries ("error cleaning up registry").
#[tokio::test]
async fn daemons_that_log_in_to_zookeeper_keep_their_login() {
    let cluster = cluster_or_skip!();
    if !cluster.profile().kerberos() {
        eprintln!("SKIPPED: ZooKeeper's Kerberos login is shown on a Kerberos profile");
        return;
    }
    // The cluster is at least this old when the logs are read: ZooKeeper's login thread has
    // refreshed the first ticket (or given up on it) by then.
    tokio::time::sleep(cluster.profile().ticket_lifetime() * 2 + Duration::from_secs(10)).await;
    for daemon in ["resourcemanager", "zookeeper"] {
        let log = format!("{}/{daemon}.log", yarnsec_harness::layout::paths::HADOOP_LOGS);
        let count = async |pattern: &str| -> u64 {
            let out = cluster.hadoop().exec_as(None, &["grep", "-c", pattern, &log]).await.unwrap();
            out.stdout_text().trim().parse().unwrap_or(0)
        };
        let (exits, refusals) = (count("Exiting refresh thread").await, count("Not attempting to re-login").await);
        assert!(
            exits == 0 && refusals <= 1000,
            "{daemon}'s ZooKeeper login: \"Exiting refresh thread\" {exits} times, \"Not attempting to re-login\" {refusals} times\n{}",
            cluster
                .hadoop()
                .exec_as(None, &["sh", "-c", &format!("grep -m3 'zookeeper.Login' {log}; grep 'Exiting refresh thread' {log} | tail -1")])
                .await
                .unwrap()
                .stdout_text()
        );
    }
}

/// `Node::read_glob`: the files of several globs come in one exec, in the globs' order, with
/// names longer than tar's 100-byte field and binary content intact; directories and globs that
/// match nothing give nothing.
#[tokio::test]
async fn files_matching_globs_are_read_in_one_exec() {
    let cluster = cluster_or_skip!();
    let node = cluster.hadoop();
    let dir = format!("/tmp/yarnsec-read-glob-{}", std::process::id());
    let long = format!("{dir}/{}", "container_1796645026052_0001_01_000002/".repeat(3));
    node.sh(&format!(
        "mkdir -p {long} {dir}/empty.log && printf one > {dir}/a.log && printf 'two\\n' > {long}b.log && head -c 100000 /dev/urandom > {dir}/c.bin"
    ))
    .await
    .unwrap();
    let patterns = [format!("{dir}/*.log"), format!("{long}*"), format!("{dir}/none-*"), format!("{dir}/*.bin")];
    let files = node.read_glob(&patterns.iter().map(String::as_str).collect::<Vec<_>>()).await.unwrap();
    let binary = node.exec(&["cat", &format!("{dir}/c.bin")]).await.unwrap().stdout;
    node.sh(&format!("rm -rf {dir}")).await.unwrap();
    let names: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(names, [format!("{dir}/a.log"), format!("{long}b.log"), format!("{dir}/c.bin")]);
    assert_eq!(files[0].1, b"one");
    assert_eq!(files[1].1, b"two\n");
    assert_eq!(files[2].1, binary);
    assert_eq!(binary.len(), 100_000);
}
