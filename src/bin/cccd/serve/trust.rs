//! The trust store: loaded once at start, reloaded on SIGHUP, swapped atomically so a request
//! sees either the old store or the new one, never a half-loaded one. A reload that fails
//! keeps the store in use.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Instant;

use cccd::request::{RequestError, TrustSources};
use cccd::verify::PaOptions;

use super::verifier::Verifier;
use super::{App, ServeArgs};
use crate::Failure;

/// Where trust comes from: the command line's sources, or a default anchor.
pub(crate) struct Config {
    sources: TrustSources,
    anchor: DefaultAnchor,
}

/// The anchor used when no `--trust` is given.
#[derive(Clone, Copy, PartialEq, Eq)]
enum DefaultAnchor {
    /// Sources were given: nothing else is trusted.
    None,
    /// `--sim`: the simulator's test CSCA (its private key is in the source code: a demo only).
    Simulator,
    /// A desk with a real reader: the Vietnamese CSCA the library carries.
    VietnamCsca,
}

impl Config {
    pub fn from_args(args: &ServeArgs) -> Self {
        let mut sources = TrustSources::default();
        sources.trust = args.trust.clone();
        sources.ml_signer_roots = args.ml_signer_root.clone();
        sources.crls = args.crl.clone();
        sources.at = args.at.clone();
        sources.issuing_state = args.issuing_state.clone();
        sources.danger_unverified_master_list = args.danger_unverified_master_list;
        let anchor = match (args.trust.is_empty(), args.sim.is_some()) {
            (false, _) => DefaultAnchor::None,
            (true, true) => DefaultAnchor::Simulator,
            (true, false) => DefaultAnchor::VietnamCsca,
        };
        Self { sources, anchor }
    }
}

/// What one load produced.
struct Loaded {
    verifier: Verifier,
    /// Desk reads bind the issuing state to `VNM` unless `--issuing-state` says otherwise.
    desk_options: PaOptions,
    at: Instant,
}

/// The trust in force, and how it got there.
pub(crate) struct Trust {
    config: Config,
    current: RwLock<Arc<Loaded>>,
    reloads: AtomicU64,
    failed_reloads: AtomicU64,
}

impl Trust {
    /// Loads the sources given on the command line; a failure stops the service from starting.
    pub fn load(config: Config) -> Result<Self, Failure> {
        let loaded = load(&config).map_err(|e| Failure {
            code: crate::exit::USAGE,
            message: e.to_string(),
        })?;
        Ok(Self {
            config,
            current: RwLock::new(Arc::new(loaded)),
            reloads: AtomicU64::new(0),
            failed_reloads: AtomicU64::new(0),
        })
    }

    fn current(&self) -> Arc<Loaded> {
        // A poisoned lock only means a writer panicked between two complete values.
        Arc::clone(&self.current.read().unwrap_or_else(|p| p.into_inner()))
    }

    /// The verifier in force.
    pub fn verifier(&self) -> Verifier {
        self.current().verifier.clone()
    }

    /// The verifier and the options of a desk read.
    pub fn desk(&self) -> (Verifier, PaOptions) {
        let c = self.current();
        (c.verifier.clone(), c.desk_options.clone())
    }

    /// The options of a verification request that names its own `at` or `issuing_state`
    /// (the command line's values stand for what it leaves out).
    pub fn request_options(
        &self,
        at: Option<&String>,
        issuing_state: Option<&String>,
    ) -> Result<PaOptions, RequestError> {
        let mut s = TrustSources::default();
        s.at = at.or(self.config.sources.at.as_ref()).cloned();
        s.issuing_state = issuing_state
            .or(self.config.sources.issuing_state.as_ref())
            .cloned();
        s.pa_options(None)
    }

    pub fn certificates(&self) -> usize {
        self.current().verifier.certificates()
    }

    pub fn seconds_since_load(&self) -> u64 {
        self.current().at.elapsed().as_secs()
    }

    pub fn reloads(&self) -> (u64, u64) {
        (
            self.reloads.load(Ordering::Relaxed),
            self.failed_reloads.load(Ordering::Relaxed),
        )
    }

    /// Loads the sources again and swaps the store in; on failure the old store stays. Called on
    /// SIGHUP, so Unix only.
    #[cfg_attr(not(unix), allow(dead_code))]
    fn reload(&self) -> Result<usize, RequestError> {
        match load(&self.config) {
            Ok(loaded) => {
                let n = loaded.verifier.certificates();
                *self.current.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(loaded);
                self.reloads.fetch_add(1, Ordering::Relaxed);
                Ok(n)
            }
            Err(e) => {
                self.failed_reloads.fetch_add(1, Ordering::Relaxed);
                Err(e)
            }
        }
    }
}

fn load(config: &Config) -> Result<Loaded, RequestError> {
    let (mut store, options, warnings) = config.sources.load(None)?;
    for w in warnings {
        eprintln!("cccd serve: trust: {w}");
    }
    let desk_options = config.sources.pa_options(Some("VNM"))?;
    match config.anchor {
        DefaultAnchor::None => {}
        DefaultAnchor::Simulator => {
            eprintln!(
                "cccd serve: trusting the simulator's test CSCA only (--sim without --trust): a \
                 demo, never a production setting"
            );
            if let Ok(der) = cccd::sim::sod::csca_certificate() {
                // The simulator's own certificate always parses; a failure leaves the store
                // empty, and every verdict then says the chain is untrusted.
                let _ = store.add_certificate_der(der);
            }
        }
        DefaultAnchor::VietnamCsca => {
            eprintln!("cccd serve: no --trust given: trusting the built-in Vietnamese CSCA");
            store = store.with_vn_csca();
        }
    }
    Ok(Loaded {
        verifier: Verifier::new(store, options),
        desk_options,
        at: Instant::now(),
    })
}

/// SIGHUP, watched from now on: taken before the server says it is listening, so a reload
/// signal sent as soon as it answers never meets the default action (ending the process).
#[cfg(unix)]
pub(crate) type Hangup = tokio::signal::unix::Signal;
/// No SIGHUP outside Unix.
#[cfg(not(unix))]
pub(crate) type Hangup = ();

/// Starts watching SIGHUP (inside the runtime); `None` when it cannot be watched.
pub(crate) fn watch_sighup() -> Option<Hangup> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let hup = signal(SignalKind::hangup()).ok();
        if hup.is_none() {
            eprintln!("cccd serve: cannot watch SIGHUP: the trust store will not be reloaded");
        }
        hup
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// Reloads the trust store each time the process receives SIGHUP, until it stops.
pub(crate) async fn reload_on_sighup(app: Arc<App>, hup: Option<Hangup>) {
    #[cfg(unix)]
    {
        let Some(mut hup) = hup else {
            return;
        };
        let mut stop = app.shutdown.clone();
        loop {
            tokio::select! {
                got = hup.recv() => if got.is_none() { return },
                _ = stop.changed() => return,
            }
            let worker = Arc::clone(&app);
            let outcome = tokio::task::spawn_blocking(move || worker.trust.reload()).await;
            match outcome {
                Ok(Ok(n)) => {
                    app.metrics.trust_reloaded(true, n);
                    eprintln!("cccd serve: SIGHUP: trust store reloaded ({n} certificates)");
                }
                Ok(Err(e)) => {
                    app.metrics.trust_reloaded(false, app.trust.certificates());
                    eprintln!("cccd serve: SIGHUP: reload failed, the previous store stays: {e}");
                }
                Err(_) => {
                    app.metrics.trust_reloaded(false, app.trust.certificates());
                    eprintln!("cccd serve: SIGHUP: reload failed, the previous store stays");
                }
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (app, hup);
    }
}
