//! The submission service under test, as scenarios see it: where it listens, what it declares,
//! how to submit a script to it.

use reqwest::Method;
use serde::Deserialize;
use yarnsec_hadoop::http::{Auth, HttpError, HttpResponse};
use yarnsec_hadoop::SpnegoClient;

/// What a service says it supports; items about a missing feature are NOT_APPLICABLE. In a
/// service file, the `[features]` table (each off unless set).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Features {
    /// Its applications publish to the timeline server.
    pub timeline: bool,
    /// Its applications read other HDFS clusters.
    pub remote_filesystems: bool,
    /// It runs long-lived applications with keytabs.
    pub long_lived: bool,
    /// It can take its tokens from `HADOOP_TOKEN_FILE_LOCATION` (Oozie-style launch).
    pub token_file: bool,
    /// What its worker containers run: `none` (scripts with no Hadoop security code of their
    /// own) or `jvm` (Hadoop client code, for the container-code items K1–K2).
    pub container_code: ContainerCode,
    /// Its applications work with HBase or Hive.
    pub hbase_hive: bool,
}

/// What a service's worker containers run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ContainerCode {
    /// Scripts or programs with no Hadoop security code of their own.
    #[default]
    None,
    /// Hadoop client code on the JVM (`UserGroupInformation`, `FileSystem`).
    Jvm,
}

/// How a service takes submissions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SubmitMode {
    /// `POST /api/submit` with `{"script", "name", "memory_gib", "vcores"}`, answered with
    /// `{"application_id", "tracking_url", "user"}` (the reference service's API).
    #[default]
    Json,
    /// The browser form: a multipart `POST` with the fields and the script file that
    /// [`FormContract`] names (the reference form's by default), answered with a redirect whose
    /// `Location` names the application, or a page that names it.
    Form,
    /// A command-line submitter run on the edge node as the user ([`crate::command`]).
    Command,
}

/// How a service's browser form takes a submission (`[form]` in a service file). The defaults
/// are the reference service's form.
///
/// ```
/// let form: yarnsec_scenarios::service::FormContract =
///     toml::from_str("path = \"/jobs/new\"\nscript_field = \"file\"\nfields = { queue = \"default\" }").unwrap();
/// assert_eq!(form.name_field, "name");
/// assert_eq!(form.fields["queue"], "default");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FormContract {
    /// Where the form posts (`/`).
    pub path: String,
    /// The file field that carries the script (`script`).
    pub script_field: String,
    /// The name the script is uploaded as (`{name}` becomes the application name); by default
    /// `script.sh`, or `script.py` for a Python workload ([`FormContract::file_name`]).
    pub script_file_name: Option<String>,
    /// The field for the application name (`name`; empty: the form has none).
    pub name_field: String,
    /// Fixed fields sent with every submission (`memory_gib = "0.5"`, `vcores = "1"`).
    pub fields: std::collections::BTreeMap<String, String>,
    /// Fields that ask for a long-lived application (`long_lived = "on"`), sent besides `fields`.
    pub long_lived_fields: std::collections::BTreeMap<String, String>,
    /// The file field that carries the user's keytab for a long-lived application (`keytab`).
    pub keytab_field: String,
}

impl FormContract {
    /// The name a `workload` script for the application `name` is uploaded as.
    pub fn file_name(&self, workload: crate::workload::Workload, name: &str) -> String {
        let default = format!("script.{}", workload.extension());
        self.script_file_name.as_deref().unwrap_or(&default).replace("{name}", name)
    }
}

impl Default for FormContract {
    fn default() -> Self {
        Self {
            path: "/".into(),
            script_field: "script".into(),
            script_file_name: None,
            name_field: "name".into(),
            fields: [("memory_gib", "0.5"), ("vcores", "1")].into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            long_lived_fields: [("long_lived".to_string(), "on".to_string())].into_iter().collect(),
            keytab_field: "keytab".into(),
        }
    }
}

/// How yarnsec launches a service's client the way Oozie does (C4): a command run in a container
/// of the cluster with the user's tokens in `HADOOP_TOKEN_FILE_LOCATION`. In `argv`, `{user}`,
/// `{script}` and `{name}` become the user, the script's path and the application name; the
/// command prints the service's JSON answer (`application_id`, …) on its standard output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenFileLauncher {
    /// The container (id) the command runs in.
    pub container: String,
    /// The command.
    pub argv: Vec<String>,
}

impl TokenFileLauncher {
    /// The reference service's one-shot client, in the service's container.
    pub fn reference(container: &str) -> Self {
        let argv = [
            "/usr/local/bin/yarnsec-service",
            "--config",
            "/etc/yarnsec/service.toml",
            "submit",
            "--user",
            "{user}",
            "--script",
            "{script}",
            "--name",
            "{name}",
        ];
        Self { container: container.to_string(), argv: argv.iter().map(|a| a.to_string()).collect() }
    }

    /// The command for one launch.
    pub fn command(&self, user: &str, script: &str, name: &str) -> Vec<String> {
        self.argv.iter().map(|a| a.replace("{user}", user).replace("{script}", script).replace("{name}", name)).collect()
    }
}

/// A submission service reachable over HTTP, through its JSON API or its form.
#[derive(Clone, Debug)]
pub struct ServiceUnderTest {
    /// Name in reports.
    pub name: String,
    /// `http://host:port`.
    pub base_url: String,
    /// What it declares.
    pub features: Features,
    /// How it takes submissions.
    pub submit: SubmitMode,
    /// Whether yarnsec started it with `HADOOP_JAAS_DEBUG=true` in its environment (C6).
    pub jaas_debug: bool,
    /// How to launch its client Oozie-style, when yarnsec knows how (C4).
    pub launcher: Option<TokenFileLauncher>,
    /// The submit command, for [`SubmitMode::Command`].
    pub command: Option<crate::command::CommandSubmitter>,
    /// The form's fields, for [`SubmitMode::Form`].
    pub form: FormContract,
    /// The language its applications run scripts in (the probe is written in it).
    pub workload: crate::workload::Workload,
}

/// The service's answer to a submission.
#[derive(Clone, Debug, Deserialize)]
pub struct Submitted {
    /// The application id.
    pub application_id: String,
    /// The tracking URL.
    pub tracking_url: String,
    /// The user it was submitted for.
    pub user: String,
}

impl ServiceUnderTest {
    /// The reference service at `base_url`.
    pub fn reference(base_url: &str) -> Self {
        Self {
            name: "reference".into(),
            base_url: base_url.trim_end_matches('/').to_string(),
            features: Features { timeline: true, remote_filesystems: true, token_file: true, long_lived: true, ..Features::default() },
            submit: SubmitMode::Json,
            jaas_debug: true,
            launcher: None,
            command: None,
            form: FormContract::default(),
            workload: crate::workload::Workload::Sh,
        }
    }

    /// A command-line submitter: `base_url` is empty, the command runs on the edge node.
    pub fn command(name: &str, features: Features, command: crate::command::CommandSubmitter) -> Self {
        Self {
            name: name.to_string(),
            base_url: String::new(),
            features,
            submit: SubmitMode::Command,
            // yarnsec runs the command with HADOOP_JAAS_DEBUG=true (C6).
            jaas_debug: true,
            launcher: None,
            command: Some(command),
            form: FormContract::default(),
            workload: crate::workload::Workload::Sh,
        }
    }

    /// The same service, whose applications run scripts in `workload`'s language.
    pub fn with_workload(mut self, workload: crate::workload::Workload) -> Self {
        self.workload = workload;
        self
    }

    /// Whether it is a command-line submitter (no web pages, no HTTP API).
    pub fn is_command(&self) -> bool {
        self.submit == SubmitMode::Command
    }

    /// The service with its Oozie-style launcher.
    pub fn with_launcher(mut self, launcher: TokenFileLauncher) -> Self {
        self.launcher = Some(launcher);
        self
    }

    /// Submits `script` (the whole script or jar) under the application name `name`, as whoever
    /// `auth` names; any status is returned.
    pub async fn submit_raw(&self, http: &SpnegoClient, auth: Auth<'_>, script: &[u8], name: &str) -> Result<HttpResponse, HttpError> {
        self.submit_with_headers(http, auth, script, name, None).await
    }

    /// [`ServiceUnderTest::submit_raw`] with extra request headers (e.g. a forged
    /// `Authorization`), through the service's own submission contract.
    pub async fn submit_with_headers(
        &self,
        http: &SpnegoClient,
        auth: Auth<'_>,
        script: &[u8],
        name: &str,
        headers: Option<reqwest::header::HeaderMap>,
    ) -> Result<HttpResponse, HttpError> {
        self.send_submission(http, auth, script, name, None, headers).await
    }

    /// Sends one submission; with `keytab`, a long-lived one carrying the user's keytab.
    async fn send_submission(
        &self,
        http: &SpnegoClient,
        auth: Auth<'_>,
        script: &[u8],
        name: &str,
        keytab: Option<&[u8]>,
        headers: Option<reqwest::header::HeaderMap>,
    ) -> Result<HttpResponse, HttpError> {
        match self.submit {
            SubmitMode::Json => {
                let mut json = serde_json::json!({"script": String::from_utf8_lossy(script), "memory_gib": 0.5, "vcores": 1, "name": name});
                if let Some(keytab) = keytab {
                    use base64::Engine;
                    json["long_lived"] = true.into();
                    json["keytab"] = base64::engine::general_purpose::STANDARD.encode(keytab).into();
                }
                let body = serde_json::to_vec(&json).expect("JSON serializes");
                http.send(Method::POST, &format!("{}/api/submit", self.base_url), auth, Some((body, "application/json")), headers).await
            }
            SubmitMode::Form => {
                let (body, content_type) = self.form_body(script, name, keytab);
                http.send(Method::POST, &self.form_url(), auth, Some((body, &content_type)), headers).await
            }
            SubmitMode::Command => Err(HttpError::BadUrl {
                url: self.submit_target(),
                reason: "a command-line submitter takes no HTTP requests (yarnsec runs its command on the edge node)".into(),
            }),
        }
    }

    /// Where submissions go, for reports (`POST http://…/api/submit`).
    pub fn submit_target(&self) -> String {
        match self.submit {
            SubmitMode::Json => format!("POST {}/api/submit", self.base_url),
            SubmitMode::Form => format!("POST {} (the form)", self.form_url()),
            SubmitMode::Command => match &self.command {
                Some(c) => format!("the submit command `{}` on the edge node", c.short()),
                None => "the submit command".into(),
            },
        }
    }

    /// The form's body for one submission (and its content type): the fixed fields, the name,
    /// the script file, and for a long-lived one its fields and the user's keytab.
    fn form_body(&self, script: &[u8], name: &str, keytab: Option<&[u8]>) -> (Vec<u8>, String) {
        let form = &self.form;
        let mut fields: Vec<(&str, &str)> = form.fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        if !form.name_field.is_empty() {
            fields.push((&form.name_field, name));
        }
        if keytab.is_some() {
            fields.extend(form.long_lived_fields.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        }
        let file_name = form.file_name(self.workload, name);
        let mut files = vec![(form.script_field.as_str(), file_name.as_str(), self.workload.media_type(), script)];
        if let Some(keytab) = keytab {
            files.push((form.keytab_field.as_str(), "user.keytab", "application/octet-stream", keytab));
        }
        multipart_form(&fields, &files)
    }

    /// Submits for `user` and expects success.
    pub async fn submit(&self, http: &SpnegoClient, auth: Auth<'_>, user: &str, script: &[u8]) -> Result<Submitted, HttpError> {
        let r = self.submit_raw(http, auth, script, "yarnsec-probe").await?;
        self.answer(r, user)
    }

    /// Submits a long-lived application for `user`, with the user's `keytab` (the service file's
    /// `[form]` names the fields; the JSON API takes `long_lived` and the keytab in base64), and
    /// expects success.
    pub async fn submit_long_lived(
        &self,
        http: &SpnegoClient,
        auth: Auth<'_>,
        user: &str,
        script: &[u8],
        name: &str,
        keytab: &[u8],
    ) -> Result<Submitted, HttpError> {
        let r = self.send_submission(http, auth, script, name, Some(keytab), None).await?;
        self.answer(r, user)
    }

    /// The application a submission's answer names, or the refusal quoted.
    fn answer(&self, r: HttpResponse, user: &str) -> Result<Submitted, HttpError> {
        match self.submit {
            SubmitMode::Json | SubmitMode::Command => r.success("POST")?.json(),
            SubmitMode::Form => {
                let status = r.status.as_u16();
                let location = r.header("location").unwrap_or_default().to_string();
                let redirect = matches!(status, 301..=303 | 307 | 308);
                match form_answer(status, &location, &r.text()) {
                    Some((application_id, tracking_url)) => Ok(Submitted { application_id, tracking_url, user: user.to_string() }),
                    None => Err(HttpError::Status {
                        method: "POST".into(),
                        url: self.form_url(),
                        status,
                        body: format!(
                            "{}; Location: {}; body: {}",
                            if redirect || r.status.is_success() { "the answer names no application id" } else { "the form was refused" },
                            if location.is_empty() { "(none)" } else { &location },
                            r.text().chars().take(400).collect::<String>()
                        ),
                    }),
                }
            }
        }
    }
}

impl ServiceUnderTest {
    /// Where the form posts.
    pub fn form_url(&self) -> String {
        format!("{}{}", self.base_url, self.form.path)
    }
}

/// The application a form's answer names, with its tracking URL: a redirect whose `Location`
/// names it, or a page (2xx) that names it.
pub fn form_answer(status: u16, location: &str, body: &str) -> Option<(String, String)> {
    match status {
        301..=303 | 307 | 308 => application_id_in(location).map(|id| (id.to_string(), location.to_string())),
        200..=299 => crate::command::application_id_in_output(body).map(|id| (id, String::new())),
        _ => None,
    }
}

/// The YARN application id a URL names (a tracking or proxy URL), if any.
pub fn application_id_in(url: &str) -> Option<&str> {
    url.split(['/', '?', '#', '=', '&']).find(|p| p.starts_with("application_"))
}

/// One file of a form: field, file name, media type, content.
type FormFile<'a> = (&'a str, &'a str, &'a str, &'a [u8]);

/// A `multipart/form-data` body with text fields and files; returns it and its content type.
fn multipart_form(fields: &[(&str, &str)], files: &[FormFile<'_>]) -> (Vec<u8>, String) {
    let nanos = crate::clock::unique_nanos();
    let boundary = format!("yarnsec-{nanos:x}");
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").into_bytes());
    }
    for (name, file_name, media_type, content) in files {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: {media_type}\r\n\r\n"
            )
            .into_bytes(),
        );
        // The file's bytes as they are (a jar or a keytab is no text).
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (body, format!("multipart/form-data; boundary={boundary}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_answer_names_the_application_by_redirect_or_page() {
        let id = "application_1795459530178_0001";
        let tracking = format!("http://h:8088/proxy/{id}/");
        assert_eq!(form_answer(303, &tracking, ""), Some((id.to_string(), tracking.clone())));
        assert_eq!(form_answer(200, "", &format!("<p>Submitted <a href='{tracking}'>{id}</a></p>")).map(|a| a.0), Some(id.to_string()));
        // A redirect to nowhere in particular, a refusal that quotes an id, an empty page: none.
        assert_eq!(form_answer(302, "/N/A", ""), None);
        assert_eq!(form_answer(403, "", id), None);
        assert_eq!(form_answer(200, "", "<p>queued</p>"), None);
    }

    /// A jar is uploaded byte for byte (no text conversion on the way).
    #[test]
    fn a_binary_file_is_sent_as_its_bytes() {
        let jar = [b'P', b'K', 3, 4, 0xff, 0xfe, 0, b'\r', b'\n'];
        let (body, content_type) = multipart_form(&[], &[("file", "script.jar", "application/java-archive", &jar)]);
        let boundary = content_type.strip_prefix("multipart/form-data; boundary=").unwrap();
        let head = b"Content-Type: application/java-archive\r\n\r\n";
        let start = body.windows(head.len()).position(|w| w == head).unwrap() + head.len();
        let end = format!("\r\n--{boundary}--\r\n");
        assert_eq!(&body[start..], [&jar[..], end.as_bytes()].concat().as_slice());
    }

    #[test]
    fn the_form_body_carries_the_services_own_fields() {
        let (body, content_type) =
            multipart_form(&[("queue", "default"), ("jobname", "probe")], &[("upload", "probe.py", "text/x-python", b"print(1)")]);
        let body = String::from_utf8(body).unwrap();
        let boundary = content_type.strip_prefix("multipart/form-data; boundary=").unwrap();
        assert!(body.contains("name=\"queue\"\r\n\r\ndefault\r\n") && body.contains("name=\"jobname\"\r\n\r\nprobe\r\n"), "{body}");
        assert!(
            body.contains("name=\"upload\"; filename=\"probe.py\"\r\nContent-Type: text/x-python") && body.contains("print(1)"),
            "{body}"
        );
        assert!(body.ends_with(&format!("--{boundary}--\r\n")));
    }

    /// A long-lived submission through a form adds the service file's long-lived fields and the
    /// keytab, as its bytes, in the field it names; a short-lived one has neither.
    #[test]
    fn a_long_lived_form_submission_carries_its_fields_and_the_keytab() {
        let mut service = ServiceUnderTest::reference("http://s:8080");
        service.form.keytab_field = "principal_keytab".into();
        service.form.long_lived_fields = [("mode".to_string(), "service".to_string())].into_iter().collect();
        let keytab = [5u8, 2, 0, 0, 0, 9, 0xff];
        let (body, _) = service.form_body(b"echo hi", "n", Some(&keytab));
        let text = String::from_utf8_lossy(&body);
        assert!(text.contains("name=\"mode\"\r\n\r\nservice\r\n"), "{text}");
        assert!(text.contains("name=\"principal_keytab\"; filename=\"user.keytab\""), "{text}");
        let head = b"Content-Type: application/octet-stream\r\n\r\n";
        let start = body.windows(head.len()).position(|w| w == head).unwrap() + head.len();
        assert_eq!(&body[start..start + keytab.len() + 2], [&keytab[..], b"\r\n"].concat().as_slice());
        let (short, _) = service.form_body(b"echo hi", "n", None);
        let short = String::from_utf8_lossy(&short);
        assert!(!short.contains("principal_keytab") && !short.contains("name=\"mode\""), "{short}");
    }

    #[test]
    fn application_ids_are_found_in_tracking_and_proxy_urls() {
        let id = "application_1795459530178_0001";
        assert_eq!(application_id_in(&format!("http://h:8088/proxy/{id}/")), Some(id));
        assert_eq!(application_id_in(&format!("http://h:8088/cluster/app/{id}")), Some(id));
        assert_eq!(application_id_in(&format!("http://h:8080/done?app={id}&x=1")), Some(id));
        assert_eq!(application_id_in("http://h:8080/"), None);
    }
}
