//! An external service described by a TOML file, judged like the reference one. The "external"
//! service here is the shared cluster's reference service, reached through its browser form
//! instead of its JSON API: the file's address mapping, submit mode and declared features are
//! what is under test.

mod common;

use yarnsec_scenarios::service_file::ServiceFile;
use yarnsec_scenarios::{judge, Context, Status};

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
    let service = file.service();
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
async fn the_forms_own_fields_are_sent_and_a_refusal_is_quoted_with_its_status_and_body() {
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
    let service = good.service();
    let ctx = Context::with_http(&cluster, &service, http(&good));
    let t2 = judge("T2", &ctx).await;
    assert_eq!(t2.status, Status::Pass, "T2 through the form's own fields: {}", t2.reason);

    // A field the form does not have: the service refuses it, and the item quotes why.
    let bad = file("fields = { colour = \"red\" }");
    let service = bad.service();
    let ctx = Context::with_http(&cluster, &service, http(&bad));
    let t2 = judge("T2", &ctx).await;
    assert_eq!(t2.status, Status::Fail, "{}", t2.reason);
    assert!(t2.reason.contains("400") && t2.reason.contains("colour") && t2.reason.contains("Location"), "{}", t2.reason);
}
