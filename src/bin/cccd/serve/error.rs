//! Every refusal as the library's error JSON ([`cccd::report::ErrorReport`]) with an HTTP
//! status: a client always gets a typed answer, never an empty body or a panic's 500. No
//! message holds a value of the request.

use axum::extract::rejection::BytesRejection;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use cccd::report::{exit, ErrorReport};
use cccd::request::RequestError;

/// A failed request: its status and the error JSON.
#[derive(Debug)]
pub(crate) struct ApiError {
    pub status: StatusCode,
    pub report: ErrorReport,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        let exit_code = match status {
            s if s.is_server_error() => exit::FAILURE,
            _ => exit::USAGE,
        };
        Self {
            status,
            report: ErrorReport::new(code, message, exit_code),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    /// The body could not be had: too large (413), or the connection failed (400).
    pub fn from_body(rejection: BytesRejection) -> Self {
        let status = rejection.status();
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            Self::new(
                status,
                "payload_too_large",
                "request body larger than the service accepts",
            )
        } else {
            Self::new(
                StatusCode::BAD_REQUEST,
                "bad_request",
                "request body could not be read",
            )
        }
    }

    /// A request the library's parser refused (400), keeping its code and message.
    pub fn from_request(e: &RequestError) -> Self {
        let status = match e {
            RequestError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            _ => StatusCode::BAD_REQUEST,
        };
        Self {
            status,
            report: ErrorReport::from(e),
        }
    }

    /// A read that failed, by whose fault: the key (422), the card's absence (409), the card or
    /// the link (502).
    pub fn from_read(e: &cccd::Error) -> Self {
        use cccd::transport::TransportError as T;
        let status = match e {
            cccd::Error::WrongAccessKey => StatusCode::UNPROCESSABLE_ENTITY,
            cccd::Error::Transport(T::NoCard | T::CardRemoved) => StatusCode::CONFLICT,
            cccd::Error::Transport(T::NoReader(_) | T::NoService | T::ReaderUnavailable) => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            _ => StatusCode::BAD_GATEWAY,
        };
        let mut report = ErrorReport::from(e);
        if let cccd::Error::Transport(T::NoCard | T::CardRemoved) = e {
            report.error.code = "no_card".into();
        }
        Self { status, report }
    }

    /// A request that needs `Content-Type: application/json`.
    pub fn check_json(headers: &HeaderMap) -> Result<(), Self> {
        let is_json = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"));
        if is_json {
            Ok(())
        } else {
            Err(Self::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the request as Content-Type: application/json",
            ))
        }
    }

    /// A task that ended without an answer (a panic in the library: a bug, reported as such).
    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error; see the service's log",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        json_response(self.status, self.report.to_json())
    }
}

/// A JSON body with its status.
pub(crate) fn json_response(status: StatusCode, body: String) -> Response {
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response()
}

/// Any path the service does not have.
pub(crate) async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such endpoint")
}

/// A path the service has, with another method.
pub(crate) async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this endpoint does not take that method",
    )
}
