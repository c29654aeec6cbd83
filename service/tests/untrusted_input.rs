//! Untrusted input to the service's HTTP interface: malformed multipart bodies, bad fields and
//! hostile headers get a 4xx that names the problem, never a panic or a 5xx, and nothing reaches
//! Hadoop (its endpoints here are a closed loopback port: any submission attempt would be a 502).

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use proptest::prelude::*;
use tower::ServiceExt;
use yarnsec_service::cli::build_state;
use yarnsec_service::config::ServiceConfig;
use yarnsec_service::web::router;

fn app() -> axum::Router {
    // Simple auth (no keytab needed); Hadoop at a loopback port nothing listens on.
    let config = ServiceConfig::from_toml(
        "listen = \"127.0.0.1:0\"\nauth = \"simple\"\nrealm = \"R.TEST\"\nprincipal = \"yarnsec/s.test@R.TEST\"\nkeytab = \"/nonexistent\"\n\
         namenode_http = \"http://127.0.0.1:9\"\nnamenode_rpc = \"127.0.0.1:9\"\ntoken_service = \"127.0.0.1:9\"\nresourcemanager_http = \"http://127.0.0.1:9\"\nrm_renewer = \"yarn\"\nmax_script_bytes = 1024\n",
    )
    .unwrap();
    router(Arc::new(build_state(config).unwrap()))
}

fn status_of(request: Request<Body>) -> (StatusCode, String) {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let response = app().oneshot(request).await.unwrap();
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
        (status, String::from_utf8_lossy(&body).into_owned())
    })
}

fn multipart(boundary: &str, parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in parts {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{name}\"\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(value);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    body
}

fn post(path: &str, content_type: &str, body: Vec<u8>) -> Request<Body> {
    Request::post(path).header(header::CONTENT_TYPE, content_type).body(Body::from(body)).unwrap()
}

#[test]
fn anonymous_requests_are_asked_to_authenticate() {
    let (status, body) = status_of(Request::get("/").body(Body::empty()).unwrap());
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
}

#[test]
fn each_bad_field_is_named_and_nothing_is_submitted() {
    for (parts, field) in [
        (vec![("memory_gib", &b"9"[..]), ("script", b"id")], "memory_gib"),
        (vec![("vcores", &b"0"[..]), ("script", b"id")], "vcores"),
        (vec![("queue", &b"prod"[..]), ("script", b"id")], "queue"),
        (vec![("script", &b""[..])], "script"),
        (vec![("script", &[b'x'; 2000][..])], "script"),
        (vec![("evil", &b"1"[..]), ("script", b"id")], "evil"),
        // Long-lived: no keytab, a file that is no keytab, a keytab without the box ticked, and
        // (this service has no Kerberos login of its own) a good one.
        (vec![("long_lived", &b"on"[..]), ("script", b"id")], "keytab"),
        (vec![("long_lived", &b"on"[..]), ("keytab", b"#!/bin/sh"), ("script", b"id")], "keytab"),
        (vec![("keytab", &keytab()[..]), ("script", b"id")], "keytab"),
        (vec![("long_lived", &b"on"[..]), ("keytab", &keytab()[..]), ("script", b"id")], "long_lived"),
    ] {
        let (status, body) = status_of(post("/?user.name=alice", "multipart/form-data; boundary=XyZ", multipart("XyZ", &parts)));
        assert_eq!(status, StatusCode::BAD_REQUEST, "{field}: {body}");
        assert!(body.contains(&format!("\"field\":\"{field}\"")), "{field}: {body}");
    }
}

/// A keytab with one entry, for `alice/h@R.TEST`.
fn keytab() -> Vec<u8> {
    let mut entry = vec![0, 2];
    for part in ["R.TEST", "alice", "h"] {
        entry.extend((part.len() as u16).to_be_bytes());
        entry.extend(part.as_bytes());
    }
    entry.extend([0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 17, 0, 0]);
    let mut k = vec![5, 2];
    k.extend((entry.len() as i32).to_be_bytes());
    k.extend(entry);
    k
}

#[test]
fn a_long_lived_json_submission_names_a_bad_keytab() {
    for (body, field) in [
        (r#"{"script":"id","long_lived":true,"keytab":"not base64!"}"#, "keytab"),
        (r#"{"script":"id","long_lived":true}"#, "keytab"),
        (r#"{"script":"id","long_lived":"yes"}"#, "body"),
    ] {
        let (status, text) = status_of(post("/api/submit?user.name=alice", "application/json", body.as_bytes().to_vec()));
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {text}");
        assert!(text.contains(&format!("\"field\":\"{field}\"")), "{body}: {text}");
    }
}

#[test]
fn oversized_bodies_are_refused_before_reading_them_whole() {
    let (status, _) =
        status_of(post("/?user.name=alice", "multipart/form-data; boundary=XyZ", multipart("XyZ", &[("script", &vec![b'x'; 200_000])])));
    assert!(status.is_client_error(), "{status}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_form_bodies_never_panic_or_5xx(body in proptest::collection::vec(any::<u8>(), 0..600), boundary in "[A-Za-z0-9]{1,20}") {
        let (status, text) = status_of(post("/?user.name=alice", &format!("multipart/form-data; boundary={boundary}"), body));
        prop_assert!(status.is_client_error(), "{} {}", status, text);
    }

    #[test]
    fn arbitrary_json_bodies_never_panic_or_5xx(body in proptest::collection::vec(any::<u8>(), 0..300)) {
        let (status, text) = status_of(post("/api/submit?user.name=alice", "application/json", body));
        prop_assert!(status.is_client_error(), "{} {}", status, text);
    }

    #[test]
    fn hostile_authorization_headers_get_401_or_403(value in "[ -~]{0,200}", user in "[ -~]{0,40}") {
        let mut request = Request::get(format!("/?user.name={}", url::form_urlencoded::byte_serialize(user.as_bytes()).collect::<String>())).body(Body::empty()).unwrap();
        if let Ok(v) = header::HeaderValue::from_str(&value) {
            request.headers_mut().insert(header::AUTHORIZATION, v);
        }
        let (status, text) = status_of(request);
        prop_assert!(status == StatusCode::OK || status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN, "{} {}", status, text);
    }
}
