//! A web service's side of a submission: the request in its own contract (the JSON API, or its
//! browser form with its own field names), and its answer as the user saw it. The answer may name
//! the application (a redirect, a page, JSON) or not; either way the application is found at the
//! ResourceManager ([`crate::found`]), and only the browser item judges the answer's shape.

use std::collections::BTreeMap;

use serde::Deserialize;
use yarnsec_hadoop::http::{HttpError, HttpResponse};

use crate::submission::{application_id_in, application_id_in_output, Answer};
use crate::workload::Workload;

/// How a service's browser form takes a submission (`[form]` in a service file). The defaults
/// are the reference service's form.
///
/// ```
/// let form: yarnsec_submitter::web::FormContract =
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
    pub fields: BTreeMap<String, String>,
    /// Fields that ask for a long-lived application (`long_lived = "on"`), sent besides `fields`.
    pub long_lived_fields: BTreeMap<String, String>,
    /// The file field that carries the user's keytab for a long-lived application (`keytab`).
    pub keytab_field: String,
}

impl FormContract {
    /// The name a `workload` script for the application `name` is uploaded as.
    pub fn file_name(&self, workload: Workload, name: &str) -> String {
        let default = format!("script.{}", workload.extension());
        self.script_file_name.as_deref().unwrap_or(&default).replace("{name}", name)
    }

    /// The form's body for one submission (and its content type): the fixed fields, the name,
    /// the script file, and for a long-lived one its fields and the user's keytab.
    pub fn body(&self, workload: Workload, script: &[u8], name: &str, keytab: Option<&[u8]>) -> (Vec<u8>, String) {
        let mut fields: Vec<(&str, &str)> = self.fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        if !self.name_field.is_empty() {
            fields.push((&self.name_field, name));
        }
        if keytab.is_some() {
            fields.extend(self.long_lived_fields.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        }
        let file_name = self.file_name(workload, name);
        let mut files = vec![(self.script_field.as_str(), file_name.as_str(), workload.media_type(), script)];
        if let Some(keytab) = keytab {
            files.push((self.keytab_field.as_str(), "user.keytab", "application/octet-stream", keytab));
        }
        multipart_form(&fields, &files)
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

/// The JSON API's body (`{"script", "name", "memory_gib", "vcores"}`, and for a long-lived
/// submission `long_lived` and the keytab in base64).
pub fn json_body(script: &[u8], name: &str, keytab: Option<&[u8]>) -> Vec<u8> {
    let mut json = serde_json::json!({"script": String::from_utf8_lossy(script), "memory_gib": 0.5, "vcores": 1, "name": name});
    if let Some(keytab) = keytab {
        use base64::Engine;
        json["long_lived"] = true.into();
        json["keytab"] = base64::engine::general_purpose::STANDARD.encode(keytab).into();
    }
    serde_json::to_vec(&json).expect("JSON serializes")
}

/// A web service's answer to a submission (or why none came): the id it names is the one in a
/// redirect's `Location`, else the first in the body.
///
/// ```
/// use yarnsec_submitter::web::answer_of;
/// let a = answer_of(&Ok((302, "N/A".to_string(), String::new())));
/// assert_eq!((a.said.as_str(), a.named), ("302, Location: N/A", None));
/// let a = answer_of(&Ok((200, String::new(), "{\"application_id\": \"application_17_0002\"}".to_string())));
/// assert_eq!(a.named.as_deref(), Some("application_17_0002"));
/// ```
pub fn answer_of(r: &Result<(u16, String, String), String>) -> Answer {
    match r {
        Ok((status, location, body)) => {
            let said = if location.is_empty() { status.to_string() } else { format!("{status}, Location: {location}") };
            let named = application_id_in(location).map(str::to_string).or_else(|| application_id_in_output(body));
            Answer { said, body: body.chars().take(400).collect(), named }
        }
        Err(e) => Answer { said: format!("the request failed: {e}"), body: String::new(), named: None },
    }
}

/// [`answer_of`] for what the HTTP client returned.
pub fn answer_of_http(r: &Result<HttpResponse, HttpError>) -> Answer {
    let plain = match r {
        Ok(r) => Ok((r.status.as_u16(), r.header("location").unwrap_or_default().to_string(), r.text())),
        Err(e) => Err(e.to_string()),
    };
    answer_of(&plain)
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
    fn an_answer_names_the_application_by_redirect_or_page_or_not_at_all() {
        let id = "application_1795459530178_0001";
        let tracking = format!("http://h:8088/proxy/{id}/");
        let a = answer_of(&Ok((303, tracking.clone(), String::new())));
        assert_eq!(a.named.as_deref(), Some(id));
        let page = answer_of(&Ok((200, String::new(), format!("<p>Submitted <a href='{tracking}'>{id}</a></p>"))));
        assert_eq!(page.named.as_deref(), Some(id));
        // The third-party service's redirect to the tracking URL the RM reports as N/A.
        let na = answer_of(&Ok((302, "N/A".into(), String::new())));
        assert_eq!(na.named, None);
        assert_eq!(na.describe(), "302, Location: N/A");
        // A refusal that quotes an id names it too: the ResourceManager says whether it is real.
        assert_eq!(answer_of(&Ok((500, String::new(), format!("failed: {id}")))).named.as_deref(), Some(id));
        let failed = answer_of(&Err("connection refused".into()));
        assert_eq!((failed.said.as_str(), failed.named), ("the request failed: connection refused", None));
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
        let form = FormContract {
            keytab_field: "principal_keytab".into(),
            long_lived_fields: [("mode".to_string(), "service".to_string())].into_iter().collect(),
            ..Default::default()
        };
        let keytab = [5u8, 2, 0, 0, 0, 9, 0xff];
        let (body, _) = form.body(Workload::Sh, b"echo hi", "n", Some(&keytab));
        let text = String::from_utf8_lossy(&body);
        assert!(text.contains("name=\"mode\"\r\n\r\nservice\r\n"), "{text}");
        assert!(text.contains("name=\"principal_keytab\"; filename=\"user.keytab\""), "{text}");
        let head = b"Content-Type: application/octet-stream\r\n\r\n";
        let start = body.windows(head.len()).position(|w| w == head).unwrap() + head.len();
        assert_eq!(&body[start..start + keytab.len() + 2], [&keytab[..], b"\r\n"].concat().as_slice());
        let (short, _) = form.body(Workload::Sh, b"echo hi", "n", None);
        let short = String::from_utf8_lossy(&short);
        assert!(!short.contains("principal_keytab") && !short.contains("name=\"mode\""), "{short}");
    }

    #[test]
    fn the_json_body_carries_the_keytab_in_base64_only_when_long_lived() {
        let short: serde_json::Value = serde_json::from_slice(&json_body(b"echo hi", "n", None)).unwrap();
        assert_eq!((short["name"].as_str(), short.get("keytab")), (Some("n"), None));
        let long: serde_json::Value = serde_json::from_slice(&json_body(b"echo hi", "n", Some(&[5, 2]))).unwrap();
        assert_eq!((long["long_lived"].as_bool(), long["keytab"].as_str()), (Some(true), Some("BQI=")));
    }

    proptest::proptest! {
        /// Whatever a service answers, reading it never panics, and an id it names is in the
        /// answer and well formed.
        #[test]
        fn any_answer_is_read(status in 100u16..600, location in "(?s).{0,80}", body in "(?s).{0,300}") {
            let a = answer_of(&Ok((status, location.clone(), body.clone())));
            if let Some(id) = a.named {
                proptest::prop_assert!(location.contains(&id) || body.contains(&id));
                proptest::prop_assert!(id.starts_with("application_"));
            }
        }
    }
}
