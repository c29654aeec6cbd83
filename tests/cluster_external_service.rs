//! An external service described by a TOML file, judged like the reference one. The "external"
//! service here is the shared cluster's reference service, reached through its browser form
//! instead of its JSON API: the file's address mapping, submit mode and declared features are
//! what is under test.

mod common;

use yarnsec_scenarios::{judge, Context, Status};
use yarnsec_submitter::service_file::ServiceFile;

#[tokio::test]
async fn a_service_file_drives_the_checklist_through_the_form() {
    let Some(cluster) = common::cluster().await else { return };
    let ip = cluster.hosts()[&cluster.layout().service_host()];
    let text = format!(
        "name = \"team service\"\nurl = \"{}\"\naddress = \"{ip}\"\nsubmit = \"form\"\nauth = \"{}\"\n[features]\ntimeline = false\n",
        cluster.service_url().expect("the shared cluster runs the reference service"),
        if cluster.profile().kerberos() { "kerberos" } else { "simple" },
    );
    let file = ServiceFile::parse(&text, "team.toml").unwrap();
    // The shared cluster's own service: other test processes submit through it as alice at the
    // same time, so its applications are found by name, never as "the only new one".
    let service = file.service().shared();
    let mut hosts = cluster.hosts();
    let (host, addr) = file.host_mapping().unwrap();
    hosts.insert(host, addr);
    let http = yarnsec_hadoop::SpnegoClient::new(cluster.realm(), hosts).unwrap();
    let ctx = Context::with_http(&cluster, &service, http);

    let t2 = judge("T2", &ctx).await;
    assert_eq!(t2.status, Status::Pass, "T2 through the form: {}", t2.reason);
    // The file declares no timeline support: the timeline item does not apply.
    let t7 = judge("T7", &ctx).await;
    assert_eq!(t7.status, Status::NotApplicable, "{}", t7.reason);
}

#[tokio::test]
async fn the_forms_own_fields_are_sent_and_a_refusal_fails_the_launch_quoting_its_status_and_body() {
    let Some(cluster) = common::cluster().await else { return };
    let ip = cluster.hosts()[&cluster.layout().service_host()];
    let file = |form: &str| {
        let text = format!(
            "name = \"team service\"\nurl = \"{}\"\naddress = \"{ip}\"\nsubmit = \"form\"\nauth = \"{}\"\n[form]\n{form}\n",
            cluster.service_url().expect("the shared cluster runs the reference service"),
            if cluster.profile().kerberos() { "kerberos" } else { "simple" },
        );
        ServiceFile::parse(&text, "team.toml").unwrap()
    };
    let http = |file: &ServiceFile| {
        let mut hosts = cluster.hosts();
        let (host, addr) = file.host_mapping().unwrap();
        hosts.insert(host, addr);
        yarnsec_hadoop::SpnegoClient::new(cluster.realm(), hosts).unwrap()
    };

    // The form's own fields (the reference form also takes a queue), the script under the
    // application's name.
    let good = file("script_file_name = \"{name}.sh\"\nfields = { queue = \"default\", memory_gib = \"0.75\", vcores = \"1\" }");
    let service = good.service().shared();
    let ctx = Context::with_http(&cluster, &service, http(&good));
    let t2 = judge("T2", &ctx).await;
    assert_eq!(t2.status, Status::Pass, "T2 through the form's own fields: {}", t2.reason);

    // A field the form does not have: the service refuses it and nothing launches; the launch
    // item quotes the answer, the others have nothing to judge.
    let bad = file("fields = { colour = \"red\" }\n");
    let mut service = bad.service().shared();
    service.answer_wait = std::time::Duration::from_secs(5);
    let ctx = Context::with_http(&cluster, &service, http(&bad));
    let t1 = judge("T1", &ctx).await;
    assert_eq!(t1.status, Status::Fail, "{}", t1.reason);
    assert!(t1.reason.contains("answered 400") && t1.reason.contains("colour"), "{}", t1.reason);
    assert_eq!(judge("T2", &ctx).await.status, Status::Skipped);
}

#[tokio::test]
async fn a_web_service_runs_on_the_edge_node_as_the_service_user_and_is_judged() {
    let Some(cluster) = common::cluster().await else { return };
    if !cluster.profile().kerberos() {
        eprintln!("SKIPPED: the service identity is shown on a Kerberos profile");
        return;
    }
    // A team's directory: its service binary (here the reference service's, under its own name)
    // and its configuration, naming the keytab the edge node gives the service user.
    let team = tempfile::tempdir().unwrap();
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(team.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_yarnsec"), team.path().join("yarnsec-service")).unwrap();
    let config = yarnsec_harness::config::service_toml(cluster.profile(), cluster.layout(), cluster.hadoop().ip(), None, &[])
        .replace("/etc/yarnsec/service.keytab", "/etc/security/keytabs/service.keytab");
    std::fs::write(team.path().join("service.toml"), config).unwrap();
    let text = "name = \"team service on the edge\"\nurl = \"http://service.yarnsec.test:8080\"\nrun_on = \"edge\"\n\
                command = [\"/team/yarnsec-service\", \"--config\", \"/team/service.toml\"]\nready_path = \"/healthz\"\n\
                [features]\ntimeline = true\n";
    let path = team.path().join("service.toml.team");
    std::fs::write(&path, text).unwrap();
    let file = ServiceFile::read(&path).unwrap();
    let running = yarnsec_submitter::edge_service::start(&file, &cluster, None).await.expect("the service answers on the edge node");
    let service = file.service();
    let ctx = Context::with_http(&cluster, &service, running.http.clone());
    for id in ["T2", "C5"] {
        let v = judge(id, &ctx).await;
        assert_eq!(v.status, Status::Pass, "{id} for the service on the edge node: {}\n{}", v.reason, running.log().await);
    }
    // It runs as the service user, with the service identity's keytab.
    let who = running.edge.node().exec(&["sh", "-c", "ps -o user= -C yarnsec-service | sort -u"]).await.unwrap();
    assert_eq!(who.stdout_text().trim(), "yarnsec");
}
