//! T3: web browser interaction, in a real browser. Headless Chromium with alice's ticket opens the
//! service's page (200, after SPNEGO), submits the service's own form with a script file, and
//! lands where the service sends it: that page is what the service's user sees, and it must work
//! (2xx; a redirect to a page that does not exist is a FAIL, with the screenshot). The
//! application the submission led to is found at the ResourceManager, whatever the page said; the
//! browser then opens its tracking page through the ResourceManager's web proxy, as a user
//! following a link to it would. A second Chromium, without a ticket, gets 401 from the service
//! and from the ResourceManager. Judged by HTTP statuses and the cluster's word on who runs the
//! application, not by any page's markup. Screenshots of each page are evidence.

use std::path::Path;
use std::time::Duration;

use super::require_kerberos;
use crate::context::{app_evidence, Context};
use crate::verdict::{Evidence, Verdict};
use yarnsec_submitter::browser::{Browser, BrowserError, Launch, Tools};

/// What T3 saw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrowserFacts {
    /// The status of the service's page for alice's browser.
    pub home_as_user: Option<u16>,
    /// Where alice's browser landed after Submit (`Err`: no new page loaded).
    pub landed: Result<String, String>,
    /// The status of that page (`None`: an error page, no HTTP status).
    pub landed_status: Option<u16>,
    /// Whether that page (its address or its text) names the application.
    pub landed_names_app: bool,
    /// The application the submission led to, found at the ResourceManager (`Err`: why none).
    pub app: Result<String, String>,
    /// Whether `app` could not be told from others (then nothing about it is judged).
    pub app_ambiguous: bool,
    /// The application's tracking page alice's browser opened.
    pub tracking: Option<String>,
    /// The status of the tracking page.
    pub tracking_status: Option<u16>,
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

/// T3's judgment: the service's page answers alice's browser 200; after Submit the browser
/// lands on a page that works (2xx); the submission launched an application, whose tracking page
/// at the ResourceManager answers alice 200 and which runs as alice; the browser without a ticket
/// gets 401 from the service and the ResourceManager. An application that cannot be told apart
/// from others leaves its part unjudged (SKIPPED when nothing else failed).
pub fn judge_t3(f: &BrowserFacts) -> Verdict {
    let mut problems = Vec::new();
    if f.home_as_user != Some(200) {
        problems.push(format!("the service's page answered alice's browser {} after SPNEGO, not 200", show(f.home_as_user)));
    }
    match &f.landed {
        Err(e) => problems.push(format!("submitting the service's form led to no new page: {e}")),
        Ok(url) if !f.landed_status.is_some_and(|s| (200..300).contains(&s)) => problems.push(format!(
            "after Submit, alice's browser landed on {url}, which answered {}: the service's user sees no working page",
            show(f.landed_status)
        )),
        Ok(_) => {}
    }
    let mut unjudged = None;
    match (&f.app, f.app_ambiguous) {
        (Err(e), true) => unjudged = Some(e.clone()),
        (Err(e), false) => problems.push(format!("the submission from the browser launched no application: {e}")),
        (Ok(_), _) => {
            match &f.tracking {
                Some(url) if !url.contains(&format!("{}:", f.rm_host)) => {
                    problems.push(format!("the tracking page alice's browser opened is not the ResourceManager's: {url}"));
                }
                Some(_) if f.tracking_status != Some(200) => {
                    problems.push(format!("the application's tracking page answered alice's browser {}", show(f.tracking_status)));
                }
                Some(_) => {}
                None => problems.push("no tracking page of the application was opened".into()),
            }
            match &f.app_user {
                Ok(u) if u == "alice" => {}
                Ok(u) => problems.push(format!("the application submitted from the browser runs as {u}")),
                Err(e) => problems.push(format!("the application submitted from the browser: {e}")),
            }
        }
    }
    if f.stranger.is_empty() {
        problems.push("the browser without a ticket was not tried".into());
    }
    for (what, status) in &f.stranger {
        if *status != Some(401) {
            problems.push(format!("{what} answered the browser without a ticket {}, not 401", show(*status)));
        }
    }
    if !problems.is_empty() {
        return Verdict::fail(problems.join("; "), Vec::new());
    }
    if let Some(why) = unjudged {
        return Verdict::skipped(format!("the pages worked, but which application the browser's submission led to is not known: {why}"));
    }
    Verdict::pass(
        format!(
            "Chromium with alice's ticket was served the service's page (200 after SPNEGO), submitted its form with a script file and landed on a working page ({}{}), and opened the application's tracking page through the ResourceManager proxy (200); the application runs as alice; Chromium without a ticket got 401 from the service and from the ResourceManager",
            f.landed.as_deref().unwrap_or_default(),
            if f.landed_names_app { ", which names the application" } else { ", which does not name the application" }
        ),
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
        landed: Err("not submitted".into()),
        landed_status: None,
        landed_names_app: false,
        app: Err("not submitted".into()),
        app_ambiguous: false,
        tracking: None,
        tracking_status: None,
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
    // Kept fresh as her desktop would keep it: waiting for its turn, the submission can outlast
    // a `fast` cluster's 30 s ticket (Chromium then answered "Ticket expired" and got 401).
    let _fresh = tools.keep_fresh(&format!("alice@{realm}"), &keytab, &ccache);
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
    let nanos = yarnsec_submitter::clock::unique_nanos();
    let workload = ctx.service.workload;
    let form = &ctx.service.form;
    let name = format!("yarnsec-browser-{nanos}");
    let script = alice_dir.join(form.file_name(workload, &name));
    let probe = ctx
        .workload_file(&yarnsec_submitter::workload::Run::Probe { marker: &name, before: &yarnsec_submitter::workload::Before::Nothing })
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
    // The submission takes its turn among the run's web submissions, so that the application it
    // led to can be found even when the service names its applications itself.
    let ledger = yarnsec_submitter::found::ledger(ctx.cluster.id());
    let turns = ledger.turns();
    let turn = turns.turn(&ctx.service.base_url, !turns.names(&ctx.service.base_url)).await;
    let since_ms = yarnsec_submitter::clock::epoch_ms();
    let before = browser.page_id().await?;
    browser.click("[type=submit]").await?;
    let mut named = None;
    match browser.wait_for_new_page(&before, Duration::from_secs(60)).await {
        Ok(url) => {
            facts.landed_status = browser.status().await?;
            let page = browser.source().await.unwrap_or_default();
            named = yarnsec_submitter::service::application_id_in(&url)
                .map(str::to_string)
                .or_else(|| yarnsec_submitter::submission::application_id_in_output(&page));
            facts.landed_names_app = named.is_some();
            shot(ctx, &browser, "2-after-submit.png", "where alice's browser landed after Submit", evidence).await?;
            evidence.push(Evidence::new(
                "http",
                "the page alice's browser landed on after Submit",
                format!("{} {url}", show(facts.landed_status)),
            ));
            facts.landed = Ok(url);
        }
        Err(e) => {
            shot(ctx, &browser, "2-after-submit.png", "after submitting the form", evidence).await?;
            let page: String = browser.source().await.unwrap_or_default().chars().take(300).collect();
            facts.landed = Err(format!("{e}; status {}; page: {page}", show(browser.status().await.unwrap_or(None))));
        }
    }
    // The cluster, not the page, says what launched and who runs it.
    let clues = yarnsec_submitter::found::Clues {
        user: "alice",
        name: &name,
        named: None,
        since_ms,
        only_new: !ctx.service.shared && turn.alone(),
    };
    let deadline = std::time::Instant::now() + ctx.service.answer_wait;
    let search = yarnsec_submitter::found::find(ctx.cluster, &ledger, clues, named.as_deref(), deadline).await;
    drop(turn);
    match search {
        Ok(yarnsec_submitter::found::Search::Found(app, found_by)) => {
            turns.note_naming(&ctx.service.base_url, found_by != yarnsec_submitter::found::FoundBy::OnlyNew);
            evidence.push(Evidence::new(
                "app",
                "the application the browser's submission led to",
                format!("{} ({})", app.id, found_by.describe()),
            ));
            facts.app = Ok(app.id);
        }
        Ok(yarnsec_submitter::found::Search::Several(apps)) => {
            facts.app = Err(format!("several new applications of alice's: {}", yarnsec_submitter::found::listing(&apps).join(", ")));
            facts.app_ambiguous = true;
        }
        Ok(yarnsec_submitter::found::Search::None(notes)) => {
            facts.app = Err(format!(
                "the ResourceManager shows none {} s after the page loaded{}",
                ctx.service.answer_wait.as_secs(),
                notes.iter().map(|n| format!("; {n}")).collect::<String>()
            ));
        }
        // The ResourceManager could not be asked: nothing is known either way (not judged).
        Err(e) => {
            facts.app = Err(format!("the ResourceManager could not be asked: {e}"));
            facts.app_ambiguous = true;
        }
    }
    if let Ok(app_id) = facts.app.clone() {
        // The application's page at the ResourceManager's proxy, as a user following a link to it
        // would open it (where the service's redirect already led there, that page).
        let proxy = format!("{}/proxy/{app_id}/", ctx.cluster.layout().hadoop_url(yarnsec_harness::layout::ports::RM_HTTP));
        let landed_there = facts.landed.as_ref().is_ok_and(|u| u.contains(&format!("{}:", facts.rm_host)) && u.contains(&app_id));
        if !landed_there {
            browser.goto(&proxy).await?;
        }
        facts.tracking_status = browser.status().await?;
        facts.tracking = Some(browser.current_url().await.unwrap_or(proxy));
        shot(ctx, &browser, "3-tracking-page.png", "the application's tracking page", evidence).await?;
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
        facts.app_user = Err("no application was found".into());
    }
    browser.close().await;
    // Closed, the browser has finished its network log.
    let went_wrong = facts.landed.is_err() || !facts.landed_status.is_some_and(|s| (200..300).contains(&s)) || facts.app.is_err();
    if went_wrong && std::fs::copy(&net_log, report.join("netlog-alice.json")).is_ok() {
        evidence.push(Evidence::new(
            "file",
            "Chromium's network log of alice's session (load it in the netlog viewer)",
            "T3/netlog-alice.json",
        ));
    }
    let tracking = facts.tracking.clone();

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
            &format!("{}-no-ticket-{}.png", i + 4, if i == 0 { "service" } else { "tracking" }),
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
            landed: Ok("http://service.yarnsec.test:8080/jobs/application_1_0001".into()),
            landed_status: Some(200),
            landed_names_app: true,
            app: Ok("application_1_0001".into()),
            app_ambiguous: false,
            tracking: Some("http://hadoop.yarnsec.test:8088/proxy/application_1_0001/".into()),
            tracking_status: Some(200),
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
        assert_eq!(judge_t3(&BrowserFacts { landed: Err("no new page".into()), ..good() }).status, Status::Fail);
        assert_eq!(judge_t3(&BrowserFacts { app_user: Ok("yarnsec".into()), ..good() }).status, Status::Fail);
        assert_eq!(judge_t3(&BrowserFacts { stranger: vec![], ..good() }).status, Status::Fail);
        assert_eq!(judge_t3(&BrowserFacts { tracking_status: Some(403), ..good() }).status, Status::Fail);
        let elsewhere = BrowserFacts { tracking: Some("http://evil.example:8088/proxy/application_1_0001/".into()), ..good() };
        assert_eq!(judge_t3(&elsewhere).status, Status::Fail);
        assert_eq!(judge_t3(&BrowserFacts { tracking: None, ..good() }).status, Status::Fail);
    }

    /// The third-party service's redirect to the tracking URL the RM reported as `N/A`: the
    /// application launched, but the user lands on a page that does not exist.
    #[test]
    fn t3_judges_the_page_the_user_lands_on() {
        let na = BrowserFacts {
            landed: Ok("http://service.yarnsec.test:8080/N/A".into()),
            landed_status: Some(404),
            landed_names_app: false,
            ..good()
        };
        let v = judge_t3(&na);
        assert_eq!(v.status, Status::Fail);
        assert!(v.reason.contains("/N/A, which answered 404"), "{}", v.reason);
        // A working page that does not name the application is no fault: the cluster found it.
        let plain = BrowserFacts { landed: Ok("http://service.yarnsec.test:8080/done".into()), landed_names_app: false, ..good() };
        let v = judge_t3(&plain);
        assert_eq!(v.status, Status::Pass, "{}", v.reason);
        assert!(v.reason.contains("does not name the application"), "{}", v.reason);
        // Nothing launched: FAIL; several candidates: that part is not judged.
        assert_eq!(judge_t3(&BrowserFacts { app: Err("none".into()), ..good() }).status, Status::Fail);
        let several = BrowserFacts { app: Err("several".into()), app_ambiguous: true, tracking: None, app_user: Err("x".into()), ..good() };
        assert_eq!(judge_t3(&several).status, Status::Skipped);
        assert_eq!(judge_t3(&BrowserFacts { landed_status: Some(404), ..several }).status, Status::Fail);
    }
}
