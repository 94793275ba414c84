//! The guards of a service on the clerk's own machine.
//!
//! A card reader on localhost is reachable by every web page the clerk opens: a page of
//! `evil.example` can send requests to `http://127.0.0.1:8570` (its `Origin` header says where
//! it comes from), or rebind its own host name to 127.0.0.1 so that the browser treats the
//! service as same-origin (its `Host` header then still names `evil.example`). So:
//! - `Host` must be the listen address, `localhost` on a loopback listener, an IP literal on a
//!   wildcard listener, or an `--allow-host` name, with the listen port (else 403);
//! - `Origin`, when present, must be the service's own page (`http://` + the checked `Host`)
//!   or an `--allow-origin` entry (else 403); without `Origin`, a browser's
//!   `Sec-Fetch-Site: cross-site` or `same-site` (an `<img>` or a navigation from another
//!   site) is refused too. Programs without these headers (curl, a back end) pass;
//! - allowed origins get CORS answers (and Private Network Access preflights), no one else.

use std::collections::BTreeSet;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;

use super::error::ApiError;
use super::App;
use crate::Failure;

/// Who may call the service.
pub(crate) struct Policy {
    listen: SocketAddr,
    hosts: BTreeSet<String>,
    origins: Vec<HeaderValue>,
}

impl Policy {
    pub fn new(
        listen: SocketAddr,
        allow_host: &[String],
        allow_origin: &[String],
    ) -> Result<Self, Failure> {
        let mut origins = Vec::new();
        for o in allow_origin {
            let o = o.trim_end_matches('/');
            let well_formed = (o.starts_with("http://") || o.starts_with("https://"))
                && !o.contains(['*', ' ', '?', '#'])
                && o.split("://")
                    .nth(1)
                    .is_some_and(|rest| !rest.contains('/'));
            if !well_formed {
                return Err(Failure::usage(format!(
                    "--allow-origin {o}: expected scheme://host[:port], e.g. https://app.example"
                )));
            }
            origins.push(HeaderValue::from_str(o).map_err(|_| {
                Failure::usage(format!("--allow-origin {o}: not a valid header value"))
            })?);
        }
        Ok(Self {
            listen,
            hosts: allow_host.iter().map(|h| h.to_ascii_lowercase()).collect(),
            origins,
        })
    }

    /// Whether a `Host` header names this service.
    pub fn host_allowed(&self, host: &str) -> bool {
        let Some((name, port)) = split_host(host) else {
            return false;
        };
        if port != self.listen.port() {
            return false;
        }
        let name = name.to_ascii_lowercase();
        if self.hosts.contains(&name) {
            return true;
        }
        let listen_ip = self.listen.ip();
        match name.parse::<IpAddr>() {
            // An IP literal cannot be rebound: the browser connected to that very address.
            Ok(ip) if listen_ip.is_unspecified() => !ip.is_unspecified(),
            Ok(ip) if listen_ip.is_loopback() => ip.is_loopback(),
            Ok(ip) => ip == listen_ip,
            Err(_) => name == "localhost" && listen_ip.is_loopback(),
        }
    }

    /// Whether a request from `origin` may read the answer (its `Host` already checked).
    pub fn origin_allowed(&self, origin: &[u8], host: &str) -> bool {
        let own = origin
            .strip_prefix(b"http://")
            .is_some_and(|rest| rest.eq_ignore_ascii_case(host.as_bytes()));
        own || self.origins.iter().any(|o| o.as_bytes() == origin)
    }

    /// CORS for the `--allow-origin` entries only.
    pub fn cors(&self) -> CorsLayer {
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(self.origins.clone()))
            .allow_methods([Method::GET, Method::POST])
            .allow_headers([header::CONTENT_TYPE])
            .allow_private_network(true)
    }
}

/// `name[:port]` or `[v6][:port]`; the port defaults to 80.
fn split_host(host: &str) -> Option<(&str, u16)> {
    let (name, port) = if let Some(rest) = host.strip_prefix('[') {
        let (v6, after) = rest.split_once(']')?;
        match after {
            "" => (v6, None),
            p => (v6, Some(p.strip_prefix(':')?)),
        }
    } else {
        match host.rsplit_once(':') {
            Some((n, p)) => (n, Some(p)),
            None => (host, None),
        }
    };
    let port = match port {
        Some(p) => p.parse().ok()?,
        None => 80,
    };
    (!name.is_empty()).then_some((name, port))
}

/// The middleware: `Host`, then `Origin` / `Sec-Fetch-Site`.
pub(crate) async fn check(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let headers = request.headers();
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_owned)
        .or_else(|| request.uri().authority().map(|a| a.as_str().to_owned()));
    let Some(host) = host.filter(|h| app.guard.host_allowed(h)) else {
        return ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden_host",
            "the Host header does not name this service (DNS rebinding is refused); \
             see --allow-host",
        )
        .into_response();
    };
    if let Some(origin) = headers.get(header::ORIGIN) {
        if !app.guard.origin_allowed(origin.as_bytes(), &host) {
            return forbidden_origin();
        }
    } else if let Some(site) = headers.get(HeaderName::from_static("sec-fetch-site")) {
        let site = site.as_bytes();
        if site != b"same-origin" && site != b"none" {
            return forbidden_origin();
        }
    }
    next.run(request).await
}

fn forbidden_origin() -> Response {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "forbidden_origin",
        "requests from other web sites are refused; see --allow-origin",
    )
    .into_response()
}

/// Headers on every answer: nothing cached (answers hold personal data), no sniffing, no
/// framing, no referrer, and a content security policy that allows nothing (the page's own
/// answer sets its own).
pub(crate) fn with_headers<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    let set = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    router
        .layer(set(header::CACHE_CONTROL, "no-store"))
        .layer(set(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(set(header::X_FRAME_OPTIONS, "DENY"))
        .layer(set(header::REFERRER_POLICY, "no-referrer"))
        .layer(set(
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; frame-ancestors 'none'",
        ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(listen: &str) -> Policy {
        Policy::new(
            listen.parse().unwrap(),
            &["desk.local".into()],
            &["https://his.example".into()],
        )
        .unwrap()
    }

    #[test]
    fn hosts() {
        let p = policy("127.0.0.1:8570");
        for ok in [
            "127.0.0.1:8570",
            "localhost:8570",
            "LOCALHOST:8570",
            "[::1]:8570",
            "desk.local:8570",
        ] {
            assert!(p.host_allowed(ok), "{ok}");
        }
        for bad in [
            "evil.example:8570",
            "127.0.0.1:8571",
            "127.0.0.1",
            "localhost.evil.example:8570",
            "192.168.1.5:8570",
            "",
            ":8570",
            "[::1:8570",
            "127.0.0.1:85700",
        ] {
            assert!(!p.host_allowed(bad), "{bad}");
        }
        let wildcard = policy("0.0.0.0:80");
        assert!(wildcard.host_allowed("10.0.0.7"));
        assert!(!wildcard.host_allowed("localhost"));
        assert!(!wildcard.host_allowed("intranet.example"));
        let fixed = policy("10.0.0.7:8570");
        assert!(fixed.host_allowed("10.0.0.7:8570"));
        assert!(!fixed.host_allowed("10.0.0.8:8570"));
    }

    #[test]
    fn origins() {
        let p = policy("127.0.0.1:8570");
        assert!(p.origin_allowed(b"http://127.0.0.1:8570", "127.0.0.1:8570"));
        assert!(p.origin_allowed(b"https://his.example", "127.0.0.1:8570"));
        assert!(!p.origin_allowed(b"http://evil.example", "127.0.0.1:8570"));
        assert!(!p.origin_allowed(b"null", "127.0.0.1:8570"));
        // The own page's origin follows the Host the page was loaded from.
        assert!(!p.origin_allowed(b"http://localhost:8570", "127.0.0.1:8570"));
        assert!(!p.origin_allowed(b"https://127.0.0.1:8570", "127.0.0.1:8570"));
        assert!(Policy::new(
            "127.0.0.1:1".parse().unwrap(),
            &[],
            &["https://*.example".into()]
        )
        .is_err());
    }
}
