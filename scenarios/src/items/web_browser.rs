//! T3: web browser interaction, in a real browser. Headless Chromium with alice's ticket opens the
//! service's page (200, after SPNEGO), submits the service's own form with a script file, and
//! opens the application's tracking page through the ResourceManager's web proxy (where the
//! service's redirect leads, or, when the service shows a page of its own that names the
//! application, the proxy's address for it); a second Chromium, without a ticket, gets 401 from
//! the service and from the ResourceManager. Judged by HTTP statuses and the cluster's word on who
//! runs the application, not by any page's markup. Screenshots of each page are evidence.

use std::path::Path;
use std::time::Duration;

use super::require_kerberos;
use crate::browser::{Browser, BrowserError, Launch, Tools};
use crate::context::{app_evidence, Context};
use crate::verdict::{Evidence, Verdict};

/// What T3 saw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrowserFacts {
    /// The status of the service's page for alice's browser.
    pub home_as_user: Option<u16>,
    /// Where the form's submission led (`Err`: it led nowhere that names an application).
    pub after_submit: Result<String, String>,
    /// The application's tracking page alice's browser opened: where the submission led, if that
    /// is the ResourceManager's, else the ResourceManager proxy's page of the named application.
    pub tracking: Option<String>,
    /// The status of the tracking page.
    pub after_submit_status: Option<u16>,
    /// The ResourceManager's host name (the tracking page must be its).
    pub rm_host: String,
    /// Who the ResourceManager runs the submitted application as (`Err`: why unknown).
    pub app_user: Result<String, String>,
    /// The statuses the browser without a ticket got: the service's page, the tracking page.
    pub stranger: Vec<(String, Option<u16>)>,
}

/// T3: two browser sessions, then the judgment.
pub async fn t3(ctx: &Context<'_>) -> Verdict {
    or_verdict!(require_kerberos(ctx));
    if ctx.service.is_command() {
        return Verdict::not_applicable("the submitter is a command-line client: it has no web pages to sign in to");
    }
    let tools = match Tools::find() {
        Ok(t) => t,
        Err(e) => return Verdict::skipped(format!("no browser on this machine: {e}")),
    };
    let mut evidence = Vec::new();
    match browse(ctx, &tools, &mut evidence).await {
        Ok(facts) => {
            let mut v = judge_t3(&facts);
            v.evidence.extend(evidence);
            v
        }
        Err(e) => Verdict {
            status: crate::verdict::Status::Skipped,
            reason: format!("the browser session broke, so nothing was shown: {e}"),
            evidence,
        },
    }
}

/// T3's judgment.
pub fn judge_t3(f: &BrowserFacts) -> Verdict {
    let mut problems = Vec::new();
    if f.home_as_user != Some(200) {
        problems.push(format!("the service's page answered alice's browser {} after SPNEGO, not 200", show(f.home_as_user)));
    }
    match &f.after_submit {
        Err(e) => problems.push(format!("submitting the service's form did not lead to the application: {e}")),
        Ok(_) => match &f.tracking {
            Some(url) if !url.contains(&format!("{}:", f.rm_host)) => {
                problems.push(format!("the tracking page alice's browser opened is not the ResourceManager's: {url}"));
            }
            Some(_) if f.after_submit_status != Some(200) => {
                problems.push(format!("the tracking page answered alice's browser {}", show(f.after_submit_status)));
            }
            Some(_) => {}
            None => problems.push("no tracking page of the application was opened".into()),
        },
    }
    match &f.app_user {
        Ok(u) if u == "alice" => {}
        Ok(u) => problems.push(format!("the application submitted from the browser runs as {u}")),
        Err(e) => problems.push(format!("the application submitted from the browser: {e}")),
    }
    if f.stranger.is_empty() {
        problems.push("the browser without a ticket was not tried".into());
    }
    for (what, status) in &f.stranger {
        if *status != Some(401) {
            problems.push(format!("{what} answered the browser without a ticket {}, not 401", show(*status)));
        }
    }
    Verdict::check(
        problems.is_empty(),
        "Chromium with alice's ticket was served the service's page (200 after SPNEGO), submitted its form with a script file, which led to a page naming the application, and opened the application's tracking page through the ResourceManager proxy (200), and the application runs as alice; Chromium without a ticket got 401 from the service and from the ResourceManager",
        problems.join("; "),
        Vec::new(),
    )
}

fn show(status: Option<u16>) -> String {
    status.map_or("no HTTP status (an error page)".to_string(), |s| s.to_string())
}

/// Saves a screenshot under the artifacts directory and cites it.
async fn shot(ctx: &Context<'_>, browser: &Browser, name: &str, title: &str, evidence: &mut Vec<Evidence>) -> Result<(), BrowserError> {
    let png = browser.screenshot().await?;
    let path = ctx.artifacts().join("T3").join(name);
    std::fs::write(&path, png).map_err(|e| BrowserError::WebDriver(format!("cannot save {}: {e}", path.display())))?;
    let url = browser.current_url().await.unwrap_or_default();
    evidence.push(Evidence::new("screenshot", format!("{title} ({url})"), format!("T3/{name}")));
    Ok(())
}

async fn browse(ctx: &Context<'_>, tools: &Tools, evidence: &mut Vec<Evidence>) -> Result<BrowserFacts, BrowserError> {
    let hosts = ctx.http().hosts().clone();
    let home = format!("{}/", ctx.service.base_url);
    let realm = ctx.cluster.realm().to_string();
    let keytab = ctx.cluster.keytab_path("alice");
    let mut facts = BrowserFacts {
        home_as_user: None,
        after_submit: Err("not submitted".into()),
        tracking: None,
        after_submit_status: None,
        rm_host: ctx.cluster.layout().hadoop_host(),
        app_user: Err("not submitted".into()),
        stranger: Vec::new(),
    };
    // Ticket caches and browser profiles stay in the cluster's state directory (removed with the
    // cluster, never in a report); screenshots and driver logs go to the report.
    let work = tempfile_in(&ctx.cluster.state_dir().join("browser"))?;
    let report = ctx.artifacts().join("T3");
    std::fs::create_dir_all(&report).map_err(|e| BrowserError::Driver(format!("cannot create {}: {e}", report.display())))?;
    let cluster_id = ctx.cluster.id();

    // alice, after `kinit`.
    let alice_dir = work.path().join("alice");
    std::fs::create_dir_all(&alice_dir).map_err(|e| BrowserError::Driver(e.to_string()))?;
    let ccache = alice_dir.join("krb5cc");
    tools.kinit(&format!("alice@{realm}"), &keytab, &ccache).await?;
    // The browser's own network log, kept in the report only if the submission goes wrong.
    let net_log = alice_dir.join("netlog.json");
    let launch = Launch {
        cluster_id,
        hosts: &hosts,
        ccache: Some(&ccache),
        dir: &alice_dir,
        log: &report.join("chromedriver-alice.log"),
        net_log: Some(&net_log),
    };
    let browser = Browser::launch(tools, &launch).await?;
    browser.goto(&home).await?;
    facts.home_as_user = browser.status().await?;
    shot(ctx, &browser, "1-form-as-alice.png", "the service's page in Chromium with alice's ticket", evidence).await?;

    // Submit the service's form as a user would: its own name field and fixed fields (where the
    // page has them as text inputs: a form may require them) and a script file, named as its
    // contract says.
    let nanos = crate::clock::unique_nanos();
    let workload = ctx.service.workload;
    let form = &ctx.service.form;
    let name = format!("yarnsec-browser-{nanos}");
    let script = alice_dir.join(form.file_name(workload, &name));
    let probe = ctx
        .workload_file(&crate::workload::Run::Probe { marker: &name, before: &crate::workload::Before::Nothing })
        .await
        .map_err(|e| BrowserError::Driver(e.to_string()))?;
    std::fs::write(&script, probe).map_err(|e| BrowserError::Driver(e.to_string()))?;
    if !form.name_field.is_empty() {
        browser.fill(&format!("form [name=\"{}\"]", form.name_field), &name).await?;
    }
    for (field, value) in &form.fields {
        browser.fill(&format!("form [name=\"{field}\"]"), value).await?;
    }
    browser.choose_file("input[type=file]", &script).await?;
    browser.click("[type=submit]").await?;
    match browser.wait_for_url(Duration::from_secs(60), |u| crate::service::application_id_in(u).is_some()).await {
        Ok(url) => {
            // The service may show a page of its own that names the application: the browser
            // then goes to the application's page at the ResourceManager's proxy, as a user
            // following the service's link would.
            let tracking = if url.contains(&format!("{}:", facts.rm_host)) {
                url.clone()
            } else {
                let app_id = crate::service::application_id_in(&url).unwrap_or_default();
                shot(ctx, &browser, "2-service-page.png", "the service's page after Submit", evidence).await?;
                let proxy = format!("{}/proxy/{app_id}/", ctx.cluster.layout().hadoop_url(yarnsec_harness::layout::ports::RM_HTTP));
                browser.goto(&proxy).await?;
                proxy
            };
            facts.after_submit_status = browser.status().await?;
            shot(ctx, &browser, "2-tracking-page.png", "the application's tracking page", evidence).await?;
            facts.after_submit = Ok(url);
            facts.tracking = Some(tracking);
        }
        Err(e) => {
            shot(ctx, &browser, "2-after-submit.png", "after submitting the form", evidence).await?;

            let page: String = browser.source().await.unwrap_or_default().chars().take(300).collect();
            facts.after_submit = Err(format!("{e}; status {}; page: {page}", show(browser.status().await.unwrap_or(None))));
        }
    }
    browser.close().await;
    // Closed, the browser has finished its network log.
    if facts.after_submit.is_err() && std::fs::copy(&net_log, report.join("netlog-alice.json")).is_ok() {
        evidence.push(Evidence::new(
            "file",
            "Chromium's network log of alice's session (load it in the netlog viewer)",
            "T3/netlog-alice.json",
        ));
    }
    let tracking = facts.tracking.clone();
    if let (Ok(led_to), Some(url)) = (&facts.after_submit, &tracking) {
        let way = if led_to == url { format!("{home} → Submit → {url}") } else { format!("{home} → Submit → {led_to} → {url}") };
        evidence.push(Evidence::new("http", "the browser's way after Submit", way));
        let app_id = crate::service::application_id_in(url).unwrap_or_default().to_string();
        // The cluster, not the page, says who runs it.
        let cred = ctx.credential("alice").map_err(|e| BrowserError::Driver(e.to_string()))?;
        let auth = ctx.cluster.auth_for("alice", cred.as_ref());
        facts.app_user = match ctx.wait_for_end(&app_id, auth, Duration::from_secs(240)).await {
            Ok(app) => {
                evidence.push(app_evidence(&app));
                Ok(app.user)
            }
            Err(e) => Err(e.to_string()),
        };
    } else {
        facts.app_user = Err("no application was submitted".into());
    }

    // A user who never ran kinit.
    let anon_dir = work.path().join("no-ticket");
    let launch =
        Launch { cluster_id, hosts: &hosts, ccache: None, dir: &anon_dir, log: &report.join("chromedriver-no-ticket.log"), net_log: None };
    let stranger = Browser::launch(tools, &launch).await?;
    let mut pages = vec![(home.clone(), "the service's page")];
    pages.extend(tracking.iter().map(|u| (u.clone(), "the tracking page")));
    for (i, (url, what)) in pages.into_iter().enumerate() {
        stranger.goto(&url).await?;
        let status = stranger.status().await?;
        shot(
            ctx,
            &stranger,
            &format!("{}-no-ticket-{}.png", i + 3, if i == 0 { "service" } else { "tracking" }),
            &format!("{what} in Chromium without a ticket"),
            evidence,
        )
        .await?;
        evidence.push(Evidence::new("http", format!("{what} without a ticket"), format!("{} {url}", show(status))));
        facts.stranger.push((what.to_string(), status));
    }
    stranger.close().await;
    Ok(facts)
}

/// A private directory under `parent`, removed when dropped.
fn tempfile_in(parent: &Path) -> Result<tempfile::TempDir, BrowserError> {
    std::fs::create_dir_all(parent).map_err(|e| BrowserError::Driver(format!("cannot create {}: {e}", parent.display())))?;
    tempfile::Builder::new()
        .prefix("t3-")
        .tempdir_in(parent)
        .map_err(|e| BrowserError::Driver(format!("cannot create a directory in {}: {e}", parent.display())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verdict::Status;

    fn good() -> BrowserFacts {
        BrowserFacts {
            home_as_user: Some(200),
            after_submit: Ok("http://service.yarnsec.test:8080/jobs/application_1_0001".into()),
            tracking: Some("http://hadoop.yarnsec.test:8088/proxy/application_1_0001/".into()),
            after_submit_status: Some(200),
            rm_host: "hadoop.yarnsec.test".into(),
            app_user: Ok("alice".into()),
            stranger: vec![("the service's page".into(), Some(401)), ("the tracking page".into(), Some(401))],
        }
    }

    #[test]
    fn t3_table() {
        assert_eq!(judge_t3(&good()).status, Status::Pass);
        // A 500 or a Chromium error page is no refusal: only 401 is.
        let error_page =
            BrowserFacts { stranger: vec![("the service's page".into(), None), ("the tracking page".into(), Some(401))], ..good() };
        assert_eq!(judge_t3(&error_page).status, Status::Fail);
        let five_hundred =
            BrowserFacts { stranger: vec![("the service's page".into(), Some(500)), ("the tracking page".into(), Some(401))], ..good() };
        assert_eq!(judge_t3(&five_hundred).status, Status::Fail);
        assert_eq!(judge_t3(&BrowserFacts { home_as_user: Some(401), ..good() }).status, Status::Fail);
        assert_eq!(judge_t3(&BrowserFacts { after_submit: Err("still at /".into()), ..good() }).status, Status::Fail);
        assert_eq!(judge_t3(&BrowserFacts { app_user: Ok("yarnsec".into()), ..good() }).status, Status::Fail);
        assert_eq!(judge_t3(&BrowserFacts { stranger: vec![], ..good() }).status, Status::Fail);
        assert_eq!(judge_t3(&BrowserFacts { after_submit_status: Some(403), ..good() }).status, Status::Fail);
        let elsewhere = BrowserFacts { tracking: Some("http://evil.example:8088/proxy/application_1_0001/".into()), ..good() };
        assert_eq!(judge_t3(&elsewhere).status, Status::Fail);
        assert_eq!(judge_t3(&BrowserFacts { tracking: None, ..good() }).status, Status::Fail);
    }
}
