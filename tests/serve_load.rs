//! The baseline of the service's load test (`scripts/serve-load.sh`): the same work as one
//! `POST /api/v1/verify` (parse the request JSON, decode base64, parse the files, verify,
//! write the report JSON) done in-process on every core, without HTTP. Ignored by a plain
//! `cargo test`: a measurement, not a check.
#![cfg(feature = "serve")]

mod serve;

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use cccd::report::Report;
use cccd::request::{TrustSources, VerifyRequest};

#[test]
#[ignore = "a measurement: run by scripts/serve-load.sh"]
fn in_process_batch() {
    let body = serve::bsi_request();
    // The trust `cccd serve --verify-only` uses without --trust.
    let (store, options, _) = TrustSources::default().load(None).unwrap();
    let store = store.with_vn_csca();
    let seconds: f64 = std::env::var("CCCD_LOAD_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5.0);
    let threads = std::thread::available_parallelism().map_or(2, usize::from);
    let done = AtomicU64::new(0);
    let start = Instant::now();
    let deadline = start + Duration::from_secs_f64(seconds);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                while Instant::now() < deadline {
                    let request = VerifyRequest::from_json(&body).unwrap();
                    let document = request.document().unwrap();
                    let verification = document.verify(&store, &options);
                    let json = Report::document(&document, Some(&verification)).to_json();
                    assert!(json.contains("\"verification\""));
                    done.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
    });
    let elapsed = start.elapsed().as_secs_f64();
    let n = done.load(Ordering::Relaxed);
    assert!(n > 0);
    println!(
        "in-process: {:.1}/s ({n} verifications in {elapsed:.2} s on {threads} threads)",
        n as f64 / elapsed
    );
}
