//! `cccd serve`: the check-in desk service and the verification API over HTTP (feature `serve`).
//!
//! Front ends are web pages, which cannot talk to PC/SC, and back ends want an HTTP endpoint,
//! not a CLI. One process serves both, on axum over tokio:
//! - the desk API ([`desk`]): the readers of this machine (or the simulator), Server-Sent
//!   Events, a read with an access key, the face image, the last result cleared when the card
//!   leaves the reader;
//! - the verification API ([`verify_api`]): files a phone read, judged against the trust store
//!   loaded at start and reloaded on SIGHUP ([`trust`]); health and Prometheus metrics
//!   ([`metrics`]);
//! - the check-in page at `/` ([`assets`], embedded in the binary);
//! - the guards of a local service ([`guard`]): the `Host` header against DNS rebinding, the
//!   `Origin` against other web sites in the clerk's browser, security headers.
//!
//! Bodies speak the library's JSON contract: [`cccd::request`] in, [`cccd::report`] out.
//! Nothing is written to disk; no key, body or personal data reaches the log.

mod assets;
mod desk;
mod error;
mod guard;
mod metrics;
#[cfg(feature = "pcsc")]
mod pcsc_watch;
mod trust;
mod verifier;
mod verify_api;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use clap::Args;
use tokio::sync::{watch, Semaphore};

use crate::Failure;

/// The default listen address: loopback, so only this machine's browser and programs reach it.
pub(crate) const DEFAULT_LISTEN: &str = "127.0.0.1:8570";

/// Largest body of a desk read request: an access key and a few options.
const MAX_READ_BODY: usize = 16 * 1024;

#[derive(Args)]
pub(crate) struct ServeArgs {
    /// Address to listen on (port 0: any free port, printed at start). Loopback by default;
    /// another address exposes the service to the network and is only used when given here.
    #[arg(long, default_value = DEFAULT_LISTEN)]
    pub listen: SocketAddr,
    /// PC/SC reader for the desk (a substring of its name); default: the first reader holding
    /// a card.
    #[arg(long, conflicts_with_all = ["sim", "verify_only"])]
    pub reader: Option<String>,
    /// Serve a simulated card at the desk instead of a PC/SC reader, with this persona seed
    /// (default 1; `cccd sim show` prints its ID number). Adds the test-only endpoint
    /// `POST /api/v1/sim/card {"present": false}` that pulls the card out and puts it back.
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "1")]
    pub sim: Option<u64>,
    /// Simulated card profile (cccd, cccd-clone, bsi, passport).
    #[arg(long = "sim-profile", default_value = "cccd", requires = "sim")]
    pub sim_profile: String,
    /// Simulated card behaviour (see `cccd read --help`), e.g. delay-ms=20 for a slow card.
    #[arg(long = "sim-option", requires = "sim")]
    pub sim_options: Vec<String>,
    /// Only the verification API: no desk, no PC/SC (a back office).
    #[arg(long = "verify-only", conflicts_with = "sim")]
    pub verify_only: bool,
    /// CSCA sources: certificate files (PEM/DER), directories, master lists, LDIF files;
    /// loaded at start and again on SIGHUP. Default: the simulator's test CSCA with `--sim`,
    /// else the Vietnamese CSCA built into the library.
    #[arg(long)]
    pub trust: Vec<PathBuf>,
    /// Roots that master-list signatures must chain to.
    #[arg(long = "ml-signer-root")]
    pub ml_signer_root: Vec<PathBuf>,
    /// Certificate revocation lists (DER).
    #[arg(long)]
    pub crl: Vec<PathBuf>,
    /// DANGER: use master lists whose signature is not verified.
    #[arg(long = "danger-unverified-master-list")]
    pub danger_unverified_master_list: bool,
    /// Check validity at this date (YYYY-MM-DD) instead of today.
    #[arg(long)]
    pub at: Option<String>,
    /// The issuing state DG1 must name. Default: `VNM` for desk reads; for the verification
    /// API, DG1's own state (a request may name another with `issuing_state`).
    #[arg(long = "issuing-state")]
    pub issuing_state: Option<String>,
    /// A web origin besides the service's own page allowed to call the API (CORS), e.g.
    /// `https://his.hospital.example`; repeatable. Any other origin is refused (403).
    #[arg(long = "allow-origin")]
    pub allow_origin: Vec<String>,
    /// A host name the service may be reached by besides its address and `localhost`
    /// (the `Host` header is checked against DNS rebinding); repeatable.
    #[arg(long = "allow-host")]
    pub allow_host: Vec<String>,
    /// Largest verification request, in bytes (413 above it).
    #[arg(long = "max-body", default_value_t = cccd::request::MAX_REQUEST_BYTES)]
    pub max_body: usize,
    /// Log every request: method, route, status and time (never a body, a header or a path
    /// parameter).
    #[arg(long = "log-requests")]
    pub log_requests: bool,
}

/// What every handler shares.
pub(crate) struct App {
    pub trust: trust::Trust,
    pub desk: Option<Arc<desk::Desk>>,
    pub metrics: metrics::Metrics,
    /// One permit per core: verifications and reads run on the blocking pool, at most this
    /// many at once, so a burst queues instead of oversubscribing the CPU.
    pub cpu: Arc<Semaphore>,
    pub guard: guard::Policy,
    pub shutdown: watch::Receiver<bool>,
    pub log_requests: bool,
}

pub(crate) fn serve(args: ServeArgs) -> Result<(), Failure> {
    let cores = std::thread::available_parallelism().map_or(2, usize::from);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cores)
        .enable_all()
        .build()?;
    runtime.block_on(run(args, cores))
}

async fn run(args: ServeArgs, cores: usize) -> Result<(), Failure> {
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    let local = listener.local_addr()?;
    if !local.ip().is_loopback() {
        eprintln!(
            "cccd serve: WARNING: listening on {local}, reachable from other machines: anyone \
             who reaches it can use the desk's card reader and the verification API; prefer \
             127.0.0.1 behind a reverse proxy with TLS and authentication"
        );
    }
    let guard = guard::Policy::new(local, &args.allow_host, &args.allow_origin)?;

    let sim = args.sim.is_some();
    let trust = trust::Trust::load(trust::Config::from_args(&args))?;
    let (stop_tx, stop_rx) = watch::channel(false);
    let desk = if args.verify_only {
        None
    } else {
        Some(Arc::new(desk::Desk::new(&args)?))
    };
    let app = Arc::new(App {
        trust,
        desk: desk.clone(),
        metrics: metrics::Metrics::new(),
        cpu: Arc::new(Semaphore::new(cores)),
        guard,
        shutdown: stop_rx,
        log_requests: args.log_requests,
    });
    app.metrics.set_trust_certificates(app.trust.certificates());

    let router = router(&app, sim, args.max_body);
    #[cfg(feature = "pcsc")]
    let watcher = desk
        .as_ref()
        .filter(|d| !d.is_sim())
        .map(|d| pcsc_watch::spawn(Arc::clone(d)));
    #[cfg(not(feature = "pcsc"))]
    if desk.as_ref().is_some_and(|d| !d.is_sim()) {
        eprintln!("cccd serve: this build has no PC/SC support (feature `pcsc`): no reader");
    }
    let hup = trust::watch_sighup();
    tokio::spawn(trust::reload_on_sighup(Arc::clone(&app), hup));

    let mode = match (&desk, sim) {
        (None, _) => "verification API only".to_string(),
        (Some(_), true) => format!("simulated card (seed {})", args.sim.unwrap_or(1)),
        (Some(_), false) => match &args.reader {
            Some(r) => format!("PC/SC reader matching {r:?}"),
            None => "the first PC/SC reader holding a card".to_string(),
        },
    };
    eprintln!("cccd serve: listening on http://{local} ({mode}); Ctrl-C to stop");

    let shutdown = async move {
        wait_for_stop().await;
        eprintln!("cccd serve: stopping");
        let _ = stop_tx.send(true);
    };
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await?;
    #[cfg(feature = "pcsc")]
    if let Some(w) = watcher {
        w.stop();
    }
    Ok(())
}

/// The routes, with the guards and the metrics around them.
fn router(app: &Arc<App>, sim: bool, max_body: usize) -> Router {
    let mut api = Router::new()
        .route("/api/v1/health", get(verify_api::health))
        .route("/metrics", get(metrics::scrape))
        .route(
            "/api/v1/verify",
            post(verify_api::verify).layer(DefaultBodyLimit::max(max_body)),
        );
    if app.desk.is_some() {
        api = api
            .route("/api/v1/readers", get(desk::readers))
            .route("/api/v1/events", get(desk::events))
            .route(
                "/api/v1/read",
                post(desk::read).layer(DefaultBodyLimit::max(MAX_READ_BODY)),
            )
            .route("/api/v1/result", get(desk::result))
            .route("/api/v1/face", get(desk::face))
            .route(
                "/api/v1/clear",
                post(desk::clear).layer(DefaultBodyLimit::max(MAX_READ_BODY)),
            );
        if sim {
            api = api.route(
                "/api/v1/sim/card",
                post(desk::sim_card).layer(DefaultBodyLimit::max(MAX_READ_BODY)),
            );
        }
        api = api
            .route("/", get(assets::index))
            .route("/app.js", get(assets::script))
            .route("/app.css", get(assets::style))
            .route("/favicon.svg", get(assets::icon));
    }
    let cors = app.guard.cors();
    let routed = api
        .fallback(error::not_found)
        .method_not_allowed_fallback(error::method_not_allowed)
        .layer(cors)
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(app),
            guard::check,
        ))
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(app),
            metrics::track,
        ));
    guard::with_headers(routed).with_state(Arc::clone(app))
}

/// Ctrl-C or SIGTERM.
async fn wait_for_stop() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = interrupt => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = interrupt.await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}
