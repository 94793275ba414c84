//! The check-in page, embedded in the binary: one HTML file, its script, its style and an
//! icon. No external resource, so the page works on a desk without internet, and a content
//! security policy that allows only the service itself.

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

const INDEX: &str = include_str!("assets/index.html");
const SCRIPT: &str = include_str!("assets/app.js");
const STYLE: &str = include_str!("assets/app.css");
const ICON: &str = include_str!("assets/favicon.svg");

/// The page's own policy: its script, style, images (the face comes from `/api/v1/face` as a
/// blob URL) and API calls, all from this service; nothing inline, no frame.
const PAGE_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
                        img-src 'self' blob:; connect-src 'self'; form-action 'none'; \
                        base-uri 'none'; frame-ancestors 'none'";

fn asset(body: &'static str, mime: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(mime)),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(PAGE_CSP),
            ),
        ],
        body,
    )
        .into_response()
}

/// `GET /`.
pub(crate) async fn index() -> Response {
    asset(INDEX, "text/html; charset=utf-8")
}

/// `GET /app.js`.
pub(crate) async fn script() -> Response {
    asset(SCRIPT, "text/javascript; charset=utf-8")
}

/// `GET /app.css`.
pub(crate) async fn style() -> Response {
    asset(STYLE, "text/css; charset=utf-8")
}

/// `GET /favicon.svg`.
pub(crate) async fn icon() -> Response {
    asset(ICON, "image/svg+xml")
}
