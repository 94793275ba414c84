//! Prometheus metrics (`GET /metrics`, text format 0.0.4): request counts and latencies by
//! route, verdicts, reads by outcome, trust reloads. Labels come from fixed sets (the route
//! template, the method, the status, a verdict word): no personal data, no request value.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::{prometheus_text, EncodeLabelSet};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

use super::App;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct HttpLabels {
    route: String,
    method: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabel {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Outcome {
    outcome: &'static str,
}

type Histograms<L> = Family<L, Histogram, fn() -> Histogram>;

/// Latency buckets from 100 µs to about 26 s.
fn latency() -> Histogram {
    Histogram::new(exponential_buckets(0.0001, 2.0, 19))
}

/// Every metric, and the registry that encodes them.
pub(crate) struct Metrics {
    registry: Registry,
    requests: Family<HttpLabels, Counter>,
    request_seconds: Histograms<RouteLabel>,
    verifications: Family<Outcome, Counter>,
    verify_seconds: Histogram,
    reads: Family<Outcome, Counter>,
    read_seconds: Histogram,
    // Counted by the SIGHUP reload, which exists on Unix only (Windows has no SIGHUP).
    #[cfg_attr(not(unix), allow(dead_code))]
    reloads: Family<Outcome, Counter>,
    certificates: Gauge,
    in_flight: Gauge,
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("cccd");
        let requests = Family::<HttpLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests by route template, method and status",
            requests.clone(),
        );
        let request_seconds: Histograms<RouteLabel> = Family::new_with_constructor(latency);
        registry.register(
            "http_request_duration_seconds",
            "Time from request to response headers, by route template",
            request_seconds.clone(),
        );
        let verifications = Family::<Outcome, Counter>::default();
        registry.register(
            "verifications",
            "POST /api/v1/verify verdicts: authentic (data_authentic) or not_authentic",
            verifications.clone(),
        );
        let verify_seconds = latency();
        registry.register(
            "verify_duration_seconds",
            "Parsing and judging one verification request, without queueing",
            verify_seconds.clone(),
        );
        let reads = Family::<Outcome, Counter>::default();
        registry.register(
            "reads",
            "Desk reads by outcome: genuine, not_genuine, wrong_access_key, no_card, failed",
            reads.clone(),
        );
        let read_seconds = latency();
        registry.register(
            "read_duration_seconds",
            "One desk read, access control to verdict",
            read_seconds.clone(),
        );
        let reloads = Family::<Outcome, Counter>::default();
        registry.register(
            "trust_reloads",
            "Trust store reloads on SIGHUP: ok or failed",
            reloads.clone(),
        );
        let certificates = Gauge::default();
        registry.register(
            "trust_certificates",
            "CSCA certificates in the trust store in force",
            certificates.clone(),
        );
        let in_flight = Gauge::default();
        registry.register(
            "verifications_in_flight",
            "Verification requests being parsed or judged now",
            in_flight.clone(),
        );
        Self {
            registry,
            requests,
            request_seconds,
            verifications,
            verify_seconds,
            reads,
            read_seconds,
            reloads,
            certificates,
            in_flight,
        }
    }

    pub fn set_trust_certificates(&self, n: usize) {
        self.certificates.set(i64::try_from(n).unwrap_or(i64::MAX));
    }

    #[cfg_attr(not(unix), allow(dead_code))]
    pub fn trust_reloaded(&self, ok: bool, certificates: usize) {
        let outcome = if ok { "ok" } else { "failed" };
        self.reloads.get_or_create(&Outcome { outcome }).inc();
        self.set_trust_certificates(certificates);
    }

    /// One verification judged: its verdict and the time it took.
    pub fn verified(&self, authentic: bool, seconds: f64) {
        let outcome = if authentic {
            "authentic"
        } else {
            "not_authentic"
        };
        self.verifications.get_or_create(&Outcome { outcome }).inc();
        self.verify_seconds.observe(seconds);
    }

    /// One desk read ended.
    pub fn read(&self, outcome: &'static str, seconds: f64) {
        self.reads.get_or_create(&Outcome { outcome }).inc();
        self.read_seconds.observe(seconds);
    }

    /// Counts a verification in flight until the returned guard is dropped.
    pub fn in_flight(&self) -> InFlight {
        self.in_flight.inc();
        InFlight(self.in_flight.clone())
    }

    fn encode(&self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_text::encode(&mut out, &self.registry);
        out
    }
}

/// See [`Metrics::in_flight`].
pub(crate) struct InFlight(Gauge);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.dec();
    }
}

/// `GET /metrics`.
pub(crate) async fn scrape(State(app): State<Arc<App>>) -> Response {
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static(prometheus_text::CONTENT_TYPE),
        )],
        app.metrics.encode(),
    )
        .into_response()
}

/// The middleware: counts every request by its route template (never the raw path) and
/// optionally logs it the same way.
pub(crate) async fn track(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let start = Instant::now();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
        .to_owned();
    // A fixed set: a client must not grow the label space with made-up methods.
    let method = match request.method().as_str() {
        m @ ("GET" | "POST" | "HEAD" | "OPTIONS") => m,
        _ => "other",
    }
    .to_owned();
    let response = next.run(request).await;
    let seconds = start.elapsed().as_secs_f64();
    let status = response.status().as_u16();
    if app.log_requests {
        eprintln!(
            "cccd serve: {method} {route} {status} {:.1} ms",
            seconds * 1e3
        );
    }
    app.metrics
        .request_seconds
        .get_or_create(&RouteLabel {
            route: route.clone(),
        })
        .observe(seconds);
    app.metrics
        .requests
        .get_or_create(&HttpLabels {
            route,
            method,
            status,
        })
        .inc();
    response
}
