//! A real browser for the web items: headless Chromium driven through WebDriver (`chromedriver`,
//! both Debian packages), with a Kerberos ticket cache of its own and SPNEGO allowed for the
//! cluster's hosts only.
//!
//! Chromium resolves the cluster's host names to their container addresses and every other name
//! to nothing, and its background services (updates, sync, metrics) are off: it sends no traffic
//! beyond the cluster.
//!
//! No browser outlives its session: `chromedriver` runs in a process group of its own, killed
//! when the [`Browser`] is dropped or yarnsec dies; Chromium is started through `setpriv
//! --pdeathsig`, so it dies with its driver even when the driver is killed (its own children exit
//! with it); and both carry the cluster's id in their environment, so that removing the cluster
//! kills whatever is left (see `yarnsec_harness::process`).
//!
//! ```no_run
//! # async fn demo(hosts: std::collections::BTreeMap<String, std::net::IpAddr>) -> Result<(), yarnsec_submitter::browser::BrowserError> {
//! use yarnsec_submitter::browser::{Browser, Launch, Tools};
//! let tools = Tools::find()?;
//! let dir = std::path::Path::new("target/yarnsec/browser");
//! let launch = Launch { cluster_id: "yarnsec-042-beef", hosts: &hosts, ccache: Some(&dir.join("alice.ccache")), dir, log: &dir.join("chromedriver.log"), net_log: None };
//! let browser = Browser::launch(&tools, &launch).await?;
//! browser.goto("http://service.yarnsec.test:8080/").await?;
//! std::fs::write(dir.join("page.png"), browser.screenshot().await?).unwrap();
//! browser.close().await;
//! # Ok(()) }
//! ```

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder, Locator};
use tokio::process::Command;

use yarnsec_harness::process::GroupChild;

/// Why the browser could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum BrowserError {
    /// A program is missing from this machine.
    #[error("{program} is not installed (PATH has no `{program}`); install it with `apt-get install -y {package}`")]
    NotInstalled {
        /// The program looked for.
        program: &'static str,
        /// The Debian package that has it.
        package: &'static str,
    },
    /// `kinit` could not put the user's ticket in the browser's cache.
    #[error(transparent)]
    Kinit(#[from] crate::kinit::KinitError),
    /// `chromedriver` did not start or answer.
    #[error("chromedriver: {0}")]
    Driver(String),
    /// A WebDriver command failed.
    #[error("WebDriver: {0}")]
    WebDriver(String),
}

fn webdriver(e: impl std::fmt::Display) -> BrowserError {
    BrowserError::WebDriver(e.to_string())
}

/// The programs a browser session needs, found on `PATH`.
#[derive(Clone, Debug)]
pub struct Tools {
    /// `chromium`.
    pub chromium: PathBuf,
    /// `chromedriver`.
    pub chromedriver: PathBuf,
    /// `kinit` (MIT Kerberos).
    pub kinit: PathBuf,
}

impl Tools {
    /// Finds Chromium, its driver and `kinit`, or says which is missing and how to install it.
    pub fn find() -> Result<Self, BrowserError> {
        Ok(Self {
            // Debian's package, or Google Chrome where Chromium is a snap (Ubuntu runners).
            chromium: ["chromium", "google-chrome", "google-chrome-stable", "chrome"]
                .into_iter()
                .find_map(on_path)
                .ok_or(BrowserError::NotInstalled { program: "chromium", package: "chromium" })?,
            chromedriver: on_path("chromedriver")
                .ok_or(BrowserError::NotInstalled { program: "chromedriver", package: "chromium-driver" })?,
            kinit: on_path("kinit").ok_or(BrowserError::NotInstalled { program: "kinit", package: "krb5-user" })?,
        })
    }

    /// Logs `principal` in from `keytab` into the file cache `ccache` (what a user's `kinit` does
    /// before opening a browser).
    pub async fn kinit(&self, principal: &str, keytab: &Path, ccache: &Path) -> Result<(), BrowserError> {
        crate::kinit::kinit(&self.kinit, principal, keytab, ccache, None).await.map_err(BrowserError::Kinit)
    }

    /// Keeps the ticket in `ccache` fresh while the returned guard lives: a new one from
    /// `keytab` every [`TICKET_REFRESH`](yarnsec_harness::cluster::edge::TICKET_REFRESH), as the
    /// edge node does for its commands and a user's desktop does for the browser.
    pub fn keep_fresh(&self, principal: &str, keytab: &Path, ccache: &Path) -> crate::kinit::FreshTicket {
        crate::kinit::FreshTicket::keep(&self.kinit, principal, keytab, ccache, yarnsec_harness::cluster::edge::TICKET_REFRESH)
    }
}

fn on_path(program: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?).map(|dir| dir.join(program)).find(|p| p.is_file())
}

/// Chromium's command line: headless, SPNEGO for `*.yarnsec.test` only, the cluster's names
/// mapped to their addresses and every other name to nothing, no background traffic.
pub fn chromium_args(hosts: &BTreeMap<String, IpAddr>, profile_dir: &Path) -> Vec<String> {
    let mut rules: Vec<String> = hosts.iter().map(|(name, ip)| format!("MAP {name} {ip}")).collect();
    rules.push("MAP * ~NOTFOUND".into());
    let domain = yarnsec_harness::layout::DOMAIN;
    [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--disable-extensions",
        "--disable-domain-reliability",
        "--disable-client-side-phishing-detection",
        "--metrics-recording-only",
        "--no-pings",
        "--no-proxy-server",
        "--disable-features=OptimizationHints,MediaRouter,Translate,AutofillServerCommunication",
        "--disable-auth-negotiate-cname-lookup",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain([
        format!("--auth-server-allowlist=*.{domain}"),
        format!("--host-resolver-rules={}", rules.join(", ")),
        format!("--user-data-dir={}", profile_dir.display()),
    ])
    .collect()
}

/// Where and for whom a browser session runs.
#[derive(Clone, Copy, Debug)]
pub struct Launch<'a> {
    /// The cluster the browser works for (its processes carry this id).
    pub cluster_id: &'a str,
    /// Host name → address: the only names the browser resolves.
    pub hosts: &'a BTreeMap<String, IpAddr>,
    /// The Kerberos file cache the browser uses (`None`: one with no ticket, as for a user who
    /// never ran `kinit`).
    pub ccache: Option<&'a Path>,
    /// A private working directory: the browser's profile, the empty cache. Keep it out of
    /// reports (the cluster's state directory is removed with the cluster).
    pub dir: &'a Path,
    /// Where the driver's log goes.
    pub log: &'a Path,
    /// Where the browser writes its network log (what each HTTP exchange looked like on the
    /// wire, to explain a page that failed to load), if anywhere.
    pub net_log: Option<&'a Path>,
}

/// One headless Chromium session.
pub struct Browser {
    driver: GroupChild,
    client: Option<Client>,
    cluster_id: String,
    profile: PathBuf,
}

impl Browser {
    /// Starts `chromedriver` and a Chromium session (see [`Launch`]).
    pub async fn launch(tools: &Tools, launch: &Launch<'_>) -> Result<Self, BrowserError> {
        let dir = launch.dir;
        std::fs::create_dir_all(dir).map_err(|e| BrowserError::Driver(format!("cannot create {}: {e}", dir.display())))?;
        let port = free_port().map_err(|e| BrowserError::Driver(format!("no free local port: {e}")))?;
        let empty = dir.join("no-ticket.ccache");
        let ccache = launch.ccache.unwrap_or(&empty);
        let log =
            std::fs::File::create(launch.log).map_err(|e| BrowserError::Driver(format!("cannot create {}: {e}", launch.log.display())))?;
        let mut command = Command::new(&tools.chromedriver);
        command
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .env("KRB5CCNAME", format!("FILE:{}", ccache.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::from(log.try_clone().map_err(|e| BrowserError::Driver(e.to_string()))?))
            .stderr(Stdio::from(log));
        let driver = GroupChild::spawn(command, launch.cluster_id, libc::SIGKILL)
            .map_err(|e| BrowserError::Driver(format!("cannot start {}: {e}", tools.chromedriver.display())))?;
        let profile = dir.join("profile");
        let mut browser = Self { driver, client: None, cluster_id: launch.cluster_id.to_string(), profile: profile.clone() };
        let url = format!("http://127.0.0.1:{port}");
        browser.wait_for_driver(&url).await?;

        seed_local_state(&profile).map_err(|e| BrowserError::Driver(format!("cannot write the browser profile: {e}")))?;
        let binary = dying_with_driver(&tools.chromium, dir)
            .map_err(|e| BrowserError::Driver(format!("cannot write the browser's launcher: {e}")))?;
        let mut caps = Capabilities::new();
        let mut args = chromium_args(launch.hosts, &profile);
        if let Some(net_log) = launch.net_log {
            args.push(format!("--log-net-log={}", net_log.display()));
        }
        let options = serde_json::json!({ "binary": binary, "args": args });
        caps.insert("goog:chromeOptions".into(), options);
        // The driver listens on loopback only: plain HTTP, no TLS stack needed.
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&url)
            .await
            .map_err(|e| BrowserError::Driver(format!("no Chromium session: {e}")))?;
        browser.client = Some(client);
        Ok(browser)
    }

    async fn wait_for_driver(&mut self, url: &str) -> Result<(), BrowserError> {
        let status = format!("{url}/status");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(Some(exit)) = self.driver.try_wait() {
                return Err(BrowserError::Driver(format!("exited with {exit} before answering")));
            }
            if let Ok(r) = reqwest::get(&status).await {
                if r.status().is_success() {
                    return Ok(());
                }
            }
            if Instant::now() > deadline {
                return Err(BrowserError::Driver(format!("{status} did not answer within 20 s")));
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    fn client(&self) -> &Client {
        self.client.as_ref().expect("a launched browser has a session")
    }

    /// Opens `url` and waits for the page to load.
    pub async fn goto(&self, url: &str) -> Result<(), BrowserError> {
        self.client().goto(url).await.map_err(webdriver)
    }

    /// The address of the page shown now.
    pub async fn current_url(&self) -> Result<String, BrowserError> {
        self.client().current_url().await.map(|u| u.to_string()).map_err(webdriver)
    }

    /// The HTTP status the page shown now was served with (the browser's Navigation Timing
    /// entry; `None` where the browser does not tell, e.g. an error page).
    pub async fn status(&self) -> Result<Option<u16>, BrowserError> {
        let script = "const e = performance.getEntriesByType('navigation')[0]; return e && e.responseStatus ? e.responseStatus : null;";
        let value = self.client().execute(script, Vec::new()).await.map_err(webdriver)?;
        Ok(value.as_u64().and_then(|s| u16::try_from(s).ok()))
    }

    /// The page's HTML.
    pub async fn source(&self) -> Result<String, BrowserError> {
        self.client().source().await.map_err(webdriver)
    }

    /// A PNG of the window.
    pub async fn screenshot(&self) -> Result<Vec<u8>, BrowserError> {
        self.client().screenshot().await.map_err(webdriver)
    }

    /// Chooses `file` in the file input matching `css`.
    pub async fn choose_file(&self, css: &str, file: &Path) -> Result<(), BrowserError> {
        let input = self.client().find(Locator::Css(css)).await.map_err(webdriver)?;
        input.send_keys(&file.display().to_string()).await.map_err(webdriver)
    }

    /// Types `text` into the text input matching `css`, in place of what it held; `false` when
    /// the page has no such input, or it is not one a user types into (a hidden field, a select).
    pub async fn fill(&self, css: &str, text: &str) -> Result<bool, BrowserError> {
        let Ok(input) = self.client().find(Locator::Css(css)).await else { return Ok(false) };
        let tag = input.tag_name().await.map_err(webdriver)?;
        let kind = input.attr("type").await.map_err(webdriver)?.unwrap_or_default();
        let typed = tag.eq_ignore_ascii_case("textarea")
            || (tag.eq_ignore_ascii_case("input")
                && ["", "text", "search", "number", "email"].contains(&kind.to_ascii_lowercase().as_str()));
        if !typed || !input.is_displayed().await.map_err(webdriver)? {
            return Ok(false);
        }
        input.clear().await.map_err(webdriver)?;
        input.send_keys(text).await.map_err(webdriver)?;
        Ok(true)
    }

    /// Clicks the element matching `css`.
    pub async fn click(&self, css: &str) -> Result<(), BrowserError> {
        self.client().find(Locator::Css(css)).await.map_err(webdriver)?.click().await.map_err(webdriver)
    }

    /// Waits until the page's address satisfies `done`, up to `timeout`; returns that address.
    pub async fn wait_for_url(&self, timeout: Duration, done: impl Fn(&str) -> bool) -> Result<String, BrowserError> {
        let deadline = Instant::now() + timeout;
        loop {
            let url = self.current_url().await?;
            if done(&url) {
                return Ok(url);
            }
            if Instant::now() > deadline {
                return Err(BrowserError::WebDriver(format!("still at {url} after {} s", timeout.as_secs())));
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    }

    /// An identity of the document shown now (its time origin): a new page, even at the same
    /// address, has another.
    pub async fn page_id(&self) -> Result<String, BrowserError> {
        let value = self.client().execute("return String(performance.timeOrigin);", Vec::new()).await.map_err(webdriver)?;
        Ok(value.as_str().unwrap_or_default().to_string())
    }

    /// Waits, up to `timeout`, until the browser shows a page other than `before` ([`page_id`])
    /// and that page has loaded; returns its address.
    ///
    /// [`page_id`]: Browser::page_id
    pub async fn wait_for_new_page(&self, before: &str, timeout: Duration) -> Result<String, BrowserError> {
        let deadline = Instant::now() + timeout;
        loop {
            // While the browser navigates, a script may find no document to run in: ask again.
            let page = self.page_id().await.unwrap_or_else(|_| before.to_string());
            if page != before {
                let ready = self.client().execute("return document.readyState;", Vec::new()).await.map_err(webdriver)?;
                if ready.as_str() == Some("complete") {
                    return self.current_url().await;
                }
            }
            if Instant::now() > deadline {
                let url = self.current_url().await.unwrap_or_default();
                return Err(BrowserError::WebDriver(format!(
                    "no new page had loaded {} s after the click (still at {url})",
                    timeout.as_secs()
                )));
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    }

    /// The driver's process id (tests kill it to check that the browser goes too).
    pub fn driver_pid(&self) -> Option<u32> {
        self.driver.id()
    }

    /// Ends the session and the driver.
    pub async fn close(mut self) {
        if let Some(client) = self.client.take() {
            let _ = client.close().await;
        }
        self.stop();
    }

    /// Kills the driver's group and every process of this session's browser that is left.
    fn stop(&mut self) {
        self.driver.stop();
        kill_browser(&self.cluster_id, &self.profile);
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Kills the processes of the cluster's helpers whose command line names this profile: a
/// browser that outlived its driver (the other sessions of the cluster are left alone).
fn kill_browser(cluster_id: &str, profile: &Path) {
    let marker = format!("--user-data-dir={}", profile.display());
    for pid in yarnsec_harness::process::labelled(cluster_id) {
        let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        if cmdline.split(|b| *b == 0).any(|arg| arg == marker.as_bytes()) {
            // SAFETY: kill(2) with a pid read from /proc; no memory is involved.
            unsafe {
                libc::kill(pid as libc::pid_t, libc::SIGKILL);
            }
        }
    }
}

/// A launcher for `chromium` that makes the kernel kill it when its parent (the driver) dies:
/// `setpriv --pdeathsig KILL` from util-linux, else Chromium itself.
fn dying_with_driver(chromium: &Path, dir: &Path) -> std::io::Result<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let Some(setpriv) = on_path("setpriv") else { return Ok(chromium.to_path_buf()) };
    let launcher = dir.join("chromium-launcher");
    let script = format!("#!/bin/sh\nexec '{}' --pdeathsig KILL -- '{}' \"$@\"\n", setpriv.display(), chromium.display());
    std::fs::write(&launcher, script)?;
    std::fs::set_permissions(&launcher, std::fs::Permissions::from_mode(0o755))?;
    Ok(launcher)
}

/// Chromium on Linux loads the GSSAPI library only in a profile that has seen a Negotiate
/// challenge before (its network service then runs outside the sandbox, from the next start on),
/// and by default names the service by the address its host resolves to. A fresh profile is told
/// both: it has seen Negotiate, and it must use the host name (`HTTP@<host>`) and only for the
/// cluster's domain.
fn seed_local_state(profile: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(profile)?;
    let state = serde_json::json!({
        "net": {"received_http_auth_negotiate_header": true, "received_http_auth_negotiate_headers": true},
        "auth": {
            "disable_negotiate_cname_lookup": true,
            "server_allowlist": format!("*.{}", yarnsec_harness::layout::DOMAIN),
        },
    });
    std::fs::write(profile.join("Local State"), state.to_string())
}

fn free_port() -> std::io::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chromium_resolves_the_cluster_only_and_negotiates_with_it_only() {
        let hosts = BTreeMap::from([("service.yarnsec.test".to_string(), "198.18.7.5".parse().unwrap())]);
        let args = chromium_args(&hosts, Path::new("/tmp/p"));
        assert!(args.contains(&"--host-resolver-rules=MAP service.yarnsec.test 198.18.7.5, MAP * ~NOTFOUND".to_string()));
        assert!(args.contains(&"--auth-server-allowlist=*.yarnsec.test".to_string()));
        assert!(args.contains(&"--disable-background-networking".to_string()));
    }
}
