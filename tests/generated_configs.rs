//! Snapshots of every file a cluster's containers are given, per profile. A change to generated
//! configuration shows up here as a reviewed snapshot diff (`cargo insta review`).

use yarnsec_harness::config::{client_files, container_krb5_conf, hadoop_files, kdc_files, remote_hdfs_files, service_toml};
use yarnsec_harness::{Layout, SecurityProfile, PROFILE_NAMES};

fn layout() -> Layout {
    Layout::new("C042.YARNSEC.TEST", "alice-password", "bob-password")
}

#[test]
fn hadoop_files_per_profile() {
    for name in PROFILE_NAMES {
        let profile: SecurityProfile = name.parse().unwrap();
        for (path, content) in hadoop_files(&profile, &layout(), &[]).iter() {
            let file = path.rsplit('/').next().unwrap();
            insta::assert_snapshot!(format!("{name}__{file}"), content);
        }
    }
}

#[test]
fn client_files_per_profile_hold_no_daemon_secrets() {
    for name in PROFILE_NAMES {
        let profile: SecurityProfile = name.parse().unwrap();
        for (file, content) in client_files(&profile, &layout()).iter() {
            assert!(!content.contains("keytab") && !content.contains("/data/"), "{name} {file} holds a daemon's setting:\n{content}");
            insta::assert_snapshot!(format!("{name}__client__{file}"), content);
        }
    }
}

#[test]
fn kdc_files_for_strict() {
    let profile = SecurityProfile::strict();
    for (path, content) in kdc_files(&profile, &layout()).iter() {
        let file = path.trim_start_matches('/').replace('/', "_");
        insta::assert_snapshot!(format!("strict__kdc__{file}"), content);
    }
    insta::assert_snapshot!("strict__hadoop__krb5.conf", container_krb5_conf(&profile, &layout(), "198.18.42.2:88"));
}

#[test]
fn remote_hdfs_files_for_strict() {
    for (path, content) in remote_hdfs_files(&SecurityProfile::strict(), &layout()).iter() {
        let file = path.rsplit('/').next().unwrap();
        insta::assert_snapshot!(format!("strict__remote__{file}"), content);
    }
}

#[test]
fn service_toml_for_strict_with_a_remote_hdfs() {
    let hadoop = "198.18.42.4".parse().unwrap();
    let remote = "198.18.42.3".parse().unwrap();
    let toml = service_toml(&SecurityProfile::strict(), &layout(), hadoop, Some(remote), &["no-doas".to_string()]);
    insta::assert_snapshot!("strict__service.toml", toml);
}

#[test]
fn overrides_replace_generated_properties() {
    let overrides = [("yarn-site.xml".to_string(), "yarn.resourcemanager.am.max-attempts".to_string(), "2".to_string())];
    let files = hadoop_files(&SecurityProfile::strict(), &layout(), &overrides);
    let yarn = files.get("/opt/hadoop/conf/yarn-site.xml").unwrap();
    assert!(yarn.contains("<name>yarn.resourcemanager.am.max-attempts</name><value>2</value>"), "{yarn}");
    assert_eq!(yarn.matches("yarn.resourcemanager.am.max-attempts").count(), 1);
}

#[test]
fn strict_lifetimes_reach_every_daemon_and_the_kdc() {
    let profile = SecurityProfile::strict();
    let files = hadoop_files(&profile, &layout(), &[]);
    let renew = profile.token_renew_interval().as_millis().to_string();
    let max = profile.token_max_lifetime().as_millis().to_string();
    for (file, prefix) in [
        ("hdfs-site.xml", "dfs.namenode.delegation"),
        ("yarn-site.xml", "yarn.resourcemanager.delegation"),
        ("yarn-site.xml", "yarn.timeline-service.delegation"),
    ] {
        let text = files.get(&format!("/opt/hadoop/conf/{file}")).unwrap();
        assert!(text.contains(&format!("<name>{prefix}.token.renew-interval</name><value>{renew}</value>")), "{prefix}");
        assert!(text.contains(&format!("<name>{prefix}.token.max-lifetime</name><value>{max}</value>")), "{prefix}");
    }
    let kdc = kdc_files(&profile, &layout());
    let life = format!("{}s", profile.ticket_lifetime().as_secs());
    assert!(kdc.get("/etc/krb5kdc/kdc.conf").unwrap().contains(&format!("max_life = {life}")));
    let principals = kdc.get("/yarnsec/principals").unwrap();
    assert!(principals.starts_with(&format!("modprinc -maxlife {life}")), "the krbtgt principal must carry the short lifetime too");
    assert!(principals.lines().filter(|l| l.starts_with("addprinc")).all(|l| l.contains(&format!("-maxlife {life}"))));
    assert!(!principals.contains("carol"), "carol must have no principal");
}

#[test]
fn the_container_executor_configuration_and_the_nodemanagers_keys() {
    use yarnsec_harness::config::container_executor::{helper_cfg, yarn_site_overrides};
    insta::assert_snapshot!("container_executor__cfg", helper_cfg());
    for name in ["strict", "simple"] {
        let profile: SecurityProfile = name.parse().unwrap();
        let site = hadoop_files(&profile, &layout(), &yarn_site_overrides(&profile));
        let yarn = site.iter().find(|(p, _)| p.ends_with("yarn-site.xml")).map(|(_, c)| c.to_string()).unwrap();
        let keys: Vec<&str> = yarn
            .lines()
            .filter(|l| l.contains("container-executor") || l.contains("container-localizer") || l.contains("log-aggregation"))
            .collect();
        insta::assert_snapshot!(format!("{name}__container_executor__yarn_site_keys"), keys.join("\n"));
    }
}
