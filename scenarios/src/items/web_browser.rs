//! T3: web browser interaction, in a real browser. Headless Chromium with alice's ticket opens the
//! service's page, submits the form with a script file, and follows the service's redirect to the
//! tracking page through the ResourceManager's web proxy; a second Chromium, without a ticket, is
//! refused. Screenshots of each page are evidence.

use std::path::Path;
use std::time::Duration;

use super::require_kerberos;
use crate::browser::{Browser, BrowserError, Launch, Tools};
use crate::context::{app_evidence, probe_script, Context};
use crate::verdict::{Evidence, Verdict};

/// T3: a browser with a ticket submits and reaches the tracking page; one without is refused.
pub async fn t3(ctx: &Context<'_>) -> Verdict {
    or_verdict!(require_kerberos(ctx));
    let tools = match Tools::find() {
        Ok(t) => t,
        Err(e) => return Verdict::skipped(format!("no browser on this machine: {e}")),
    };
    let mut evidence = Vec::new();
    match browse(ctx, &tools, &mut evidence).await {
        Ok(problems) if problems.is_empty() => Verdict::pass(
            "Chromium with alice's ticket showed the service's page signed in as alice, submitted the form with a script file and reached the application's tracking page through the ResourceManager proxy (SPNEGO both ways); Chromium without a ticket was refused",
            evidence,
        ),
        Ok(problems) => Verdict::fail(problems.join("; "), evidence),
        Err(e) => Verdict::fail(format!("the browser session broke: {e}"), evidence),
    }
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

fn page_text(html: &str) -> String {
    html.chars().take(400).collect()
}

async fn browse(ctx: &Context<'_>, tools: &Tools, evidence: &mut Vec<Evidence>) -> Result<Vec<String>, BrowserError> {
    let mut problems = Vec::new();
    let hosts = ctx.http().hosts().clone();
    let home = format!("{}/", ctx.service.base_url);
    let realm = ctx.cluster.realm().to_string();
    let keytab = ctx.cluster.keytab_path("alice");
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
    let launch = Launch { cluster_id, hosts: &hosts, ccache: Some(&ccache), dir: &alice_dir, log: &report.join("chromedriver-alice.log") };
    let browser = Browser::launch(tools, &launch).await?;
    browser.goto(&home).await?;
    let page = browser.source().await?;
    shot(ctx, &browser, "1-form-as-alice.png", "the service's page in Chromium with alice's ticket", evidence).await?;
    if !page.contains("<b id=\"user\">alice</b>") {
        problems.push(format!("the service's page did not show alice signed in: {}", page_text(&page)));
    }

    // Submit the form with a script file, as a user would.
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or_default();
    let script = alice_dir.join("probe.sh");
    std::fs::write(&script, probe_script(&format!("yarnsec-browser-{nanos}"))).map_err(|e| BrowserError::Driver(e.to_string()))?;
    browser.choose_file("input[type=file]", &script).await?;
    browser.click("button[type=submit]").await?;
    let tracking = browser.wait_for_url(Duration::from_secs(60), |u| crate::service::application_id_in(u).is_some()).await;
    let tracking = match tracking {
        Ok(url) => url,
        Err(e) => {
            let page = browser.source().await.unwrap_or_default();
            shot(ctx, &browser, "2-after-submit.png", "after submitting the form", evidence).await?;
            problems.push(format!("the submission did not lead to a tracking page ({e}): {}", page_text(&page)));
            browser.close().await;
            return Ok(problems);
        }
    };
    let tracking_page = browser.source().await?;
    shot(ctx, &browser, "2-tracking-page.png", "the tracking page after the service's redirect", evidence).await?;
    browser.close().await;
    let app_id = crate::service::application_id_in(&tracking).unwrap_or_default().to_string();
    let host = ctx.cluster.layout().hadoop_host();
    if !tracking.contains(&format!("{host}:")) || !tracking_page.contains(&app_id) {
        problems.push(format!("the redirect did not reach the ResourceManager's page of {app_id}: {tracking}"));
    }
    evidence.push(Evidence::new(
        "http",
        "the browser's way after Submit",
        format!("{home} → Submit (POST /, answered 303 to the ResourceManager's web proxy) → {tracking}"),
    ));
    // The cluster, not the page, says who runs it.
    let cred = ctx.credential("alice").map_err(BrowserError::Driver)?;
    let auth = ctx.cluster.auth_for("alice", cred.as_ref());
    match ctx.wait_for_end(&app_id, auth, Duration::from_secs(240)).await {
        Ok(app) => {
            if app.user != "alice" {
                problems.push(format!("the application submitted from the browser runs as {}", app.user));
            }
            evidence.push(app_evidence(&app));
        }
        Err(e) => problems.push(format!("the application submitted from the browser: {e}")),
    }

    // A user who never ran kinit.
    let anon_dir = work.path().join("no-ticket");
    let launch = Launch { cluster_id, hosts: &hosts, ccache: None, dir: &anon_dir, log: &report.join("chromedriver-no-ticket.log") };
    let stranger = Browser::launch(tools, &launch).await?;
    for (i, (url, what)) in [(home.as_str(), "the service's page"), (tracking.as_str(), "the tracking page")].into_iter().enumerate() {
        stranger.goto(url).await?;
        let page = stranger.source().await?;
        shot(
            ctx,
            &stranger,
            &format!("{}-no-ticket-{}.png", i + 3, if i == 0 { "service" } else { "tracking" }),
            &format!("{what} in Chromium without a ticket"),
            evidence,
        )
        .await?;
        // The service's page names its user; the ResourceManager answers 401 "Authentication required".
        let refused = if i == 0 { !page.contains("id=\"user\"") } else { page.contains("401") || page.contains("Authentication required") };
        if !refused {
            problems.push(format!("{what} was shown to a browser without a Kerberos ticket"));
        }
        evidence.push(Evidence::new("http", format!("{what} without a ticket"), page_text(&page)));
    }
    stranger.close().await;
    Ok(problems)
}

/// A private directory under `parent`, removed when dropped.
fn tempfile_in(parent: &Path) -> Result<tempfile::TempDir, BrowserError> {
    std::fs::create_dir_all(parent).map_err(|e| BrowserError::Driver(format!("cannot create {}: {e}", parent.display())))?;
    tempfile::Builder::new()
        .prefix("t3-")
        .tempdir_in(parent)
        .map_err(|e| BrowserError::Driver(format!("cannot create a directory in {}: {e}", parent.display())))
}
