//! Passive-authentication verifications per second on real SODs (signature + chain to the
//! CSCA, no data groups): FR (RSA-2048 PKCS#1 v1.5, SHA-256; its CSCA is RSA) and AT (ECDSA
//! on brainpoolP256r1 given as explicit parameters, SHA-256; its CSCA is ECDSA too).
//! Run: `cargo bench --all-features --bench pa`.

use cccd::verify::{verify_passive, Certificate, ChainVerdict, PaOptions, TrustStore};
use std::collections::BTreeMap;

fn main() {
    divan::main();
}

fn td(p: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../shared/test-data/{p}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// The CSCAs of one country from the DE master list.
fn trust_for(country: &str) -> TrustStore {
    let mut all = TrustStore::new();
    all.add_master_list(
        &td("real-world/trust/DE_ML_2026-05-28-08-28-45.ml"),
        &[Certificate::from_der(&td("real-world/trust/DE_ROOT_CA_CSCA07.cer")).unwrap()],
    )
    .unwrap();
    let mut t = TrustStore::new();
    for c in all.certificates() {
        if c.country().as_deref() == Some(country) {
            t.add_certificate(c.clone());
        }
    }
    t
}

fn bench_sod(bencher: divan::Bencher, file: &str, country: &str) {
    let sod = td(&format!("real-world/sod/{file}.sod"));
    let trust = trust_for(country);
    let dgs = BTreeMap::new();
    let options = PaOptions::default();
    assert_eq!(
        verify_passive(&sod, &dgs, &trust, &options).chain,
        ChainVerdict::Valid
    );
    bencher.bench(|| verify_passive(divan::black_box(&sod), &dgs, &trust, &options));
}

/// RSA-2048 SOD (FR): signature + DSC chain.
#[divan::bench]
fn pa_rsa2048_fr(bencher: divan::Bencher) {
    bench_sod(bencher, "FR", "FR");
}

/// ECDSA brainpoolP256r1 SOD (AT): signature + DSC chain.
#[divan::bench]
fn pa_ecdsa_bp256_at(bencher: divan::Bencher) {
    bench_sod(bencher, "AT", "AT");
}

/// Parsing only (no signature), for comparison.
#[divan::bench]
fn parse_sod_fr(bencher: divan::Bencher) {
    let sod = td("real-world/sod/FR.sod");
    bencher.bench(|| cccd::lds::sod::Sod::parse(divan::black_box(&sod)));
}

/// One RSA-2048 signature check alone (the FR DSC over the SOD's signed attributes).
#[divan::bench]
fn cert_parse_fr_dsc(bencher: divan::Bencher) {
    let sod = cccd::lds::sod::Sod::parse(&td("real-world/sod/FR.sod")).unwrap();
    let der = sod.certificates[0].raw.clone();
    bencher.bench(|| Certificate::from_der(divan::black_box(&der)));
}
