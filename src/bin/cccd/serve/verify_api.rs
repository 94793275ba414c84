//! The verification API: a phone read the chip, the back end judges the files.
//!
//! `POST /api/v1/verify` takes the library's [`VerifyRequest`] (`{"files": {"SOD": base64, ...}}`)
//! and answers the document and its verdict as `cccd verify --json` prints them. The trust
//! sources are the service's own: a request that names files on the server is refused.

use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use cccd::report::Report;
use cccd::request::VerifyRequest;
use zeroize::Zeroize;

use super::error::{json_response, ApiError};
use super::App;

/// `POST /api/v1/verify`.
pub(crate) async fn verify(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    ApiError::check_json(&headers)?;
    let body = body.map_err(ApiError::from_body)?;
    let permit = Arc::clone(&app.cpu)
        .acquire_owned()
        .await
        .map_err(|_| ApiError::internal())?;
    let worker = Arc::clone(&app);
    let judged = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let _counted = worker.metrics.in_flight();
        let start = Instant::now();
        let outcome = judge(&worker, &body);
        wipe(body);
        if let Ok((_, authentic)) = &outcome {
            worker
                .metrics
                .verified(*authentic, start.elapsed().as_secs_f64());
        }
        outcome
    })
    .await
    .map_err(|_| ApiError::internal())?;
    let (json, _) = judged?;
    Ok(json_response(StatusCode::OK, json))
}

/// Parses and judges one request: the report JSON and whether the data is authentic.
fn judge(app: &App, body: &[u8]) -> Result<(String, bool), ApiError> {
    let text = std::str::from_utf8(body)
        .map_err(|_| ApiError::bad_request("malformed request: not UTF-8"))?;
    let request = VerifyRequest::from_json(text).map_err(|e| ApiError::from_request(&e))?;
    if !request.trust.is_empty()
        || !request.ml_signer_roots.is_empty()
        || !request.crls.is_empty()
        || request.danger_unverified_master_list
    {
        return Err(ApiError::bad_request(
            "trust, ml_signer_roots, crls and danger_unverified_master_list are the service's \
             own (cccd serve --trust ...); a request cannot name them",
        ));
    }
    let options = if request.at.is_some() || request.issuing_state.is_some() {
        Some(
            app.trust
                .request_options(request.at.as_ref(), request.issuing_state.as_ref())
                .map_err(|e| ApiError::from_request(&e))?,
        )
    } else {
        None
    };
    let document = request.document().map_err(|e| ApiError::from_request(&e))?;
    let verification = app.trust.verifier().verify(&document, options.as_ref());
    let json = Report::document(&document, Some(&verification)).to_json();
    Ok((json, verification.data_authentic))
}

/// Wipes a request body once parsed, when this handler holds its only reference (a read
/// request carries the access key). Best effort: the HTTP stack's own buffers are not ours.
pub(crate) fn wipe(body: Bytes) {
    if let Ok(mut owned) = body.try_into_mut() {
        owned.as_mut().zeroize();
    }
}

/// `GET /api/v1/health`: up, what it serves, and the trust store in force.
pub(crate) async fn health(State(app): State<Arc<App>>) -> Response {
    let (reloads, failed) = app.trust.reloads();
    let mode = match &app.desk {
        None => "verify_only",
        Some(d) if d.is_sim() => "sim",
        Some(_) => "pcsc",
    };
    let body = serde_json::json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "schema": cccd::report::SCHEMA,
        "mode": mode,
        "trust": {
            "certificates": app.trust.certificates(),
            "seconds_since_load": app.trust.seconds_since_load(),
            "reloads": reloads,
            "failed_reloads": failed,
        },
    });
    json_response(StatusCode::OK, body.to_string())
}
