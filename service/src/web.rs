//! The service's HTTP interface: the page with its form, the form post, the JSON API and the
//! health check.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, Multipart, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;
use yarnsec_hadoop::Credential;

use crate::auth::{Authenticator, Caller, Refusal};
use crate::config::ServiceConfig;
use crate::error::ServiceError;
use crate::form::RawSubmission;
use crate::submit::Submitter;

/// What the handlers share.
#[derive(Debug)]
pub struct AppState {
    /// The configuration.
    pub config: ServiceConfig,
    /// Authenticates callers.
    pub auth: Authenticator,
    /// Submits applications.
    pub submitter: Submitter,
    /// The service's own Kerberos login (`None` in simple mode).
    pub login: Option<Credential>,
}

/// The routes: `GET /`, `POST /`, `POST /api/submit`, `GET /healthz`.
pub fn router(state: Arc<AppState>) -> Router {
    let limit = state.config.max_script_bytes + 64 * 1024;
    Router::new()
        .route("/", get(page).post(form_submit))
        .route("/api/submit", post(api_submit))
        .route("/healthz", get(healthz))
        .layer(DefaultBodyLimit::max(limit))
        .with_state(state)
}

fn refusal_response(r: Refusal) -> Response {
    let mut response = (r.status, Json(json!({"error": r.reason}))).into_response();
    if let Some(challenge) = r.challenge() {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, challenge);
    }
    response
}

fn error_response(e: ServiceError) -> Response {
    match &e {
        ServiceError::BadField { field, .. } => {
            (StatusCode::BAD_REQUEST, Json(json!({"error": e.to_string(), "field": field}))).into_response()
        }
        ServiceError::Hadoop(inner) => {
            tracing::warn!(error = %inner, "hadoop refused the submission");
            (StatusCode::BAD_GATEWAY, Json(json!({"error": e.to_string()}))).into_response()
        }
        _ => (StatusCode::INTERNAL_SERVER_ERROR, Json(json!({"error": e.to_string()}))).into_response(),
    }
}

async fn authenticate(state: &AppState, headers: &HeaderMap, query: &HashMap<String, String>) -> Result<Caller, Response> {
    state.auth.authenticate(headers, query.get("user.name").map(String::as_str)).await.map_err(refusal_response)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

async fn page(State(state): State<Arc<AppState>>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>) -> Response {
    let caller = match authenticate(&state, &headers, &query).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let who = match &caller {
        Caller::User(u) => escape(u),
        Caller::Anonymous => "anonymous (authentication is OFF)".into(),
    };
    let banner = if state.config.faults.is_empty() {
        String::new()
    } else {
        let list = state.config.faults.iter().map(|f| f.to_string()).collect::<Vec<_>>().join(", ");
        format!("<p id=\"faults\" style=\"background:#c00;color:#fff;padding:8px\">Fault switches on: {}</p>", escape(&list))
    };
    let queues: String = state.config.queues.iter().map(|q| format!("<option>{}</option>", escape(q))).collect();
    let user_param = query.get("user.name").map(|u| format!("?user.name={}", escape(u))).unwrap_or_default();
    Html(format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>yarnsec submission service</title></head><body>\
         {banner}<h1>Run a script on YARN</h1><p>Signed in as <b id=\"user\">{who}</b>.</p>\
         <form method=\"post\" action=\"/{user_param}\" enctype=\"multipart/form-data\">\
         <label>Queue <select name=\"queue\">{queues}</select></label><br>\
         <label>Memory (GiB, 0.5–8) <input name=\"memory_gib\" value=\"1\"></label><br>\
         <label>Vcores (1–4) <input name=\"vcores\" value=\"1\"></label><br>\
         <label>Script <input type=\"file\" name=\"script\"></label><br>\
         <fieldset><legend>Long-lived (runs past the delegation tokens' max lifetime)</legend>\
         <label><input type=\"checkbox\" name=\"long_lived\" value=\"on\"> Keep it running as a YARN service</label><br>\
         <label>Your keytab <input type=\"file\" name=\"keytab\"></label>\
         <p>A long-lived application logs in from your keytab once its tokens expire. It is stored in your HDFS home, \
         readable by you only; it must hold <code>you/host@REALM</code>.</p></fieldset>\
         <button type=\"submit\">Submit</button></form></body></html>"
    ))
    .into_response()
}

async fn read_multipart(mut multipart: Multipart) -> Result<RawSubmission, ServiceError> {
    let bad = |field: &str, message: String| ServiceError::BadField { field: field.into(), message };
    let mut raw = RawSubmission::default();
    while let Some(field) = multipart.next_field().await.map_err(|e| bad("form", format!("malformed multipart body: {e}")))? {
        let name = field.name().unwrap_or_default().to_string();
        let bytes = field.bytes().await.map_err(|e| bad(&name, format!("could not read the field: {e}")))?;
        let text = || String::from_utf8(bytes.to_vec()).map_err(|_| bad(&name, "not UTF-8 text".into()));
        match name.as_str() {
            "queue" => raw.queue = Some(text()?),
            "memory_gib" => raw.memory_gib = Some(text()?),
            "vcores" => raw.vcores = Some(text()?),
            "name" => raw.name = Some(text()?),
            "script" => raw.script = Some(bytes.to_vec()),
            "long_lived" => raw.long_lived = Some(text()?),
            "keytab" => raw.keytab = Some(bytes.to_vec()),
            other => {
                return Err(bad(other, "unknown field; the form has queue, memory_gib, vcores, name, script, long_lived, keytab".into()))
            }
        }
    }
    Ok(raw)
}

async fn form_submit(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let caller = match authenticate(&state, &headers, &query).await {
        Ok(c) => c,
        Err(r) => {
            // Read the upload (within the body limit) before refusing it: a browser sends the
            // whole form before it reads the 401, then sends it again with its Kerberos token
            // on the same connection, which must still be open and in step.
            if let Ok(mut m) = multipart {
                while let Ok(Some(mut field)) = m.next_field().await {
                    while let Ok(Some(_)) = field.chunk().await {}
                }
            }
            return r;
        }
    };
    let multipart = match multipart {
        Ok(m) => m,
        Err(e) => return error_response(ServiceError::BadField { field: "form".into(), message: e.body_text() }),
    };
    let result = async {
        let submission = read_multipart(multipart).await?.validate(&state.config.queues, state.config.max_script_bytes)?;
        submit(&state, &caller, submission).await
    }
    .await;
    match result {
        Ok(submitted) => (StatusCode::SEE_OTHER, [(header::LOCATION, submitted.tracking_url)]).into_response(),
        Err(e) => error_response(e),
    }
}

/// The JSON form of a submission.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ApiSubmission {
    queue: Option<String>,
    memory_gib: Option<f64>,
    vcores: Option<u32>,
    script: String,
    name: Option<String>,
    long_lived: Option<bool>,
    /// The user's keytab, base64.
    keytab: Option<String>,
}

/// A short-lived submission, or a long-lived one with the user's keytab.
async fn submit(
    state: &AppState,
    caller: &Caller,
    mut submission: crate::form::Submission,
) -> Result<crate::submit::Submitted, ServiceError> {
    match submission.long_lived_keytab.take() {
        Some(keytab) => state.submitter.submit_long_lived(caller, submission, keytab).await,
        None => state.submitter.submit(caller, submission).await,
    }
}

async fn api_submit(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
    body: Result<Json<ApiSubmission>, axum::extract::rejection::JsonRejection>,
) -> Response {
    let caller = match authenticate(&state, &headers, &query).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let body = match body {
        Ok(Json(b)) => b,
        Err(e) => return error_response(ServiceError::BadField { field: "body".into(), message: e.body_text() }),
    };
    let raw = RawSubmission {
        queue: body.queue,
        memory_gib: body.memory_gib.map(|m| m.to_string()),
        vcores: body.vcores.map(|v| v.to_string()),
        script: Some(body.script.into_bytes()),
        name: body.name,
        long_lived: body.long_lived.map(|l| l.to_string()),
        keytab: None,
    };
    let result = async {
        use base64::Engine;
        let keytab = body
            .keytab
            .map(|k| base64::engine::general_purpose::STANDARD.decode(k.trim()))
            .transpose()
            .map_err(|e| ServiceError::BadField { field: "keytab".into(), message: format!("not base64: {e}") })?;
        let submission = RawSubmission { keytab, ..raw }.validate(&state.config.queues, state.config.max_script_bytes)?;
        submit(&state, &caller, submission).await
    }
    .await;
    match result {
        Ok(submitted) => (StatusCode::CREATED, Json(submitted)).into_response(),
        Err(e) => error_response(e),
    }
}

async fn healthz(State(state): State<Arc<AppState>>) -> Response {
    let faults: Vec<String> = state.config.faults.iter().map(|f| f.to_string()).collect();
    let Some(login) = state.login.clone() else {
        return Json(json!({"kerberos_login": "not used (simple auth)", "faults": faults})).into_response();
    };
    let remaining = tokio::task::spawn_blocking(move || login.remaining_lifetime()).await;
    match remaining {
        Ok(Ok(left)) if !left.is_zero() => Json(
            json!({"kerberos_login": "valid", "principal": state.config.principal, "ticket_remaining_s": left.as_secs(), "faults": faults}),
        )
        .into_response(),
        Ok(Ok(_)) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({"kerberos_login": "expired", "principal": state.config.principal, "faults": faults})),
        )
            .into_response(),
        Ok(Err(e)) => {
            (StatusCode::SERVICE_UNAVAILABLE, Json(json!({"kerberos_login": "invalid", "error": e.to_string(), "faults": faults})))
                .into_response()
        }
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, Json(json!({"kerberos_login": "unknown", "faults": faults}))).into_response(),
    }
}
