//! Passive authentications per second, as a back office sees them: one `Verifier` (trust store
//! loaded once, chain cache warm) verifying the same kinds of dump over and over, on one
//! thread and on two. Prints one JSON object per figure on stdout; `scripts/bench-pa` runs it
//! beside `openssl speed` and prints the comparison. Run alone:
//! `cargo bench --all-features --bench pa_throughput [SECONDS]`.
//!
//! What one "PA" is here ([`Verifier::verify_passive`], i.e. `verify::verify_passive`):
//! parse the SOD and its embedded DSC, verify the SignerInfo's signature (signed attributes
//! hashed, messageDigest compared), hash every data group given and compare, judge the DSC's
//! validity and its chain to a CSCA, and bind DG1's country.
//! - BSI TR-03105-5 dump: DG1, DG2, DG3, DG4, DG14 (about 63 KB hashed with SHA-256), SOD
//!   signed RSA-PSS 2048 / SHA-256. Its CSCA is not published, so the chain step ends at the
//!   trust-store lookup (no CSCA: "untrusted"), which costs what a cached chain costs: a hash
//!   and a lookup, no signature. The RSA key's Montgomery constants are cached per process.
//! - Simulated CCCD dump (`sim::Card`, profile `cccd`): COM, DG1, DG2, DG13, DG14, DG15 and
//!   the SOD signed ECDSA-SHA256 on brainpoolP256r1 (explicit parameters), its CSCA
//!   (brainpoolP256r1 too) in the trust store. "cached": the chain cache is warm (a repeated
//!   DSC costs one lookup); "uncached": the cache is cleared before every verification, so
//!   the CSCA's signature on the DSC is checked each time.

use cccd::access::AccessKey;
use cccd::reader::{ReadOptions, Reader};
use cccd::sim::{Card, Profile, SimTransport};
use cccd::verifier::Verifier;
use cccd::verify::{PaOptions, TrustStore};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

fn main() {
    let seconds: f64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(1.0);
    let budget = Duration::from_secs_f64(seconds);
    // `bsi` or `cccd` runs that dump alone (for a profiler).
    let only = std::env::args().skip(1).find(|a| a == "bsi" || a == "cccd");
    // `1t`: one thread only (scripts/bench-pa's runs in turns with OpenSSL).
    let threads: &[usize] = if std::env::args().any(|a| a == "1t") {
        &[1]
    } else {
        &[1, 2]
    };
    if only.as_deref() != Some("cccd") {
        bsi(budget, threads);
    }
    if only.as_deref() != Some("bsi") {
        cccd(budget);
    }
}

/// The BSI TR-03105-5 dump's figures.
fn bsi(budget: Duration, threads: &[usize]) {
    let (bsi_sod, bsi_dgs) = bsi_dump();
    let bsi = Verifier::new(TrustStore::new(), PaOptions::default());
    let report = bsi.verify_passive(&bsi_sod, &bsi_dgs);
    assert!(report.sod_signature == cccd::verify::SignatureVerdict::Valid);
    assert!(report
        .data_groups
        .iter()
        .all(|(_, v)| *v == cccd::verify::DgHashVerdict::Valid));
    let hashed: usize = bsi_dgs.values().map(Vec::len).sum();
    emit("bsi_bytes_hashed", hashed as f64);
    for &threads in threads {
        let (rate, per_cpu) = rate(budget, threads, || {
            std::hint::black_box(bsi.verify_passive(&bsi_sod, &bsi_dgs));
        });
        emit(&format!("bsi_pa_per_s_{threads}t"), rate);
        emit(&format!("bsi_pa_per_cpu_s_{threads}t"), per_cpu);
    }
}

/// The simulated CCCD dump's figures.
fn cccd(budget: Duration) {
    let (sod, dgs, csca) = cccd_dump();
    let mut trust = TrustStore::new();
    trust.add_certificate_der(&csca).expect("sim CSCA");
    let cccd = Verifier::new(trust, PaOptions::default());
    let report = cccd.verify_passive(&sod, &dgs);
    assert!(report.is_genuine(), "{report:?}");
    let hashed: usize = dgs.values().map(Vec::len).sum();
    emit("cccd_bytes_hashed", hashed as f64);
    for threads in [1, 2] {
        let (rate, per_cpu) = rate(budget, threads, || {
            std::hint::black_box(cccd.verify_passive(&sod, &dgs));
        });
        emit(&format!("cccd_pa_cached_per_s_{threads}t"), rate);
        emit(&format!("cccd_pa_cached_per_cpu_s_{threads}t"), per_cpu);
    }
    let (rate, per_cpu) = rate(budget, 1, || {
        cccd.trust().chain_cache().clear();
        std::hint::black_box(cccd.verify_passive(&sod, &dgs));
    });
    emit("cccd_pa_uncached_per_s_1t", rate);
    emit("cccd_pa_uncached_per_cpu_s_1t", per_cpu);
    let stats = cccd.chain_cache_stats();
    emit("cccd_chain_cache_hits", stats.hits as f64);
    emit("cccd_chain_cache_misses", stats.misses as f64);
}

fn emit(name: &str, value: f64) {
    println!("{{\"name\": \"{name}\", \"value\": {value}}}");
}

/// Operations per second of `op` run on `threads` threads for about `budget` (after a short
/// warm-up), counted over all threads: per wall-clock second, and per second of CPU time
/// the process used (what `openssl speed` reports without `-elapsed`; on a machine shared
/// with other work it is the steadier figure).
fn rate(budget: Duration, threads: usize, op: impl Fn() + Sync) -> (f64, f64) {
    for _ in 0..20 {
        op();
    }
    let cpu_start = cpu_seconds();
    let start = Instant::now();
    let done: usize = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut n = 0usize;
                    while start.elapsed() < budget {
                        for _ in 0..16 {
                            op();
                        }
                        n += 16;
                    }
                    n
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap_or(0)).sum()
    });
    let wall = start.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu_start;
    (done as f64 / wall, done as f64 / cpu)
}

/// User + system CPU time of this process so far (`/proc/self/stat` fields 14 and 15, in
/// clock ticks of 1/100 s: over a run of seconds, a resolution under 1 %).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").expect("/proc/self/stat");
    // Fields after the command name, which is in parentheses and may hold spaces.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let ticks: Vec<f64> = after
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|f| f.parse().ok())
        .collect();
    ticks.iter().sum::<f64>() / 100.0
}

fn bsi_dump() -> (Vec<u8>, BTreeMap<u8, Vec<u8>>) {
    let dir = format!(
        "{}/../shared/test-data/bsi-tr03105-5",
        env!("CARGO_MANIFEST_DIR")
    );
    let read = |f: &str| std::fs::read(format!("{dir}/{f}")).expect("BSI test data");
    let dgs = [1u8, 2, 3, 4, 14]
        .into_iter()
        .map(|n| (n, read(&format!("Datagroup{n}.bin"))))
        .collect();
    (read("EF_SOD.bin"), dgs)
}

/// A simulated CCCD read once through the reader (PACE, secure messaging), as a phone would
/// upload it: the SOD, the data groups and the simulator's CSCA.
fn cccd_dump() -> (Vec<u8>, BTreeMap<u8, Vec<u8>>, Vec<u8>) {
    let card = Card::new(Profile::Cccd, 2026);
    let key = AccessKey::can_from_id(&card.persona().id_number).expect("simulated ID");
    let document = Reader::new(SimTransport::new(card))
        .open(&key)
        .expect("open")
        .read_document(&ReadOptions::default(), &mut |_| {})
        .expect("read");
    let sod = document
        .raw(cccd::ElementaryFile::Sod)
        .expect("SOD")
        .to_vec();
    let csca = cccd::sim::sod::csca_certificate()
        .expect("sim CSCA")
        .to_vec();
    (sod, document.data_groups(), csca)
}
