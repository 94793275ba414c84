//! Elliptic-curve costs that decide the time of PACE, Chip Authentication and passive
//! authentication: one scalar multiplication k·G and one ECDSA verification, on the CCCD's
//! curve (brainpoolP256r1), on P-256 (a RustCrypto curve crate) and on brainpoolP512r1 (the
//! Vietnamese CSCA's curve, the generic code). This was the `timing_printouts` test of
//! tests/ec_field.rs. Run: `cargo bench --bench ec`.

use cccd::crypto::ec::NamedCurve;
use cccd::crypto::rng::SeededRandom;

fn main() {
    divan::main();
}

const CURVES: [NamedCurve; 3] = [
    NamedCurve::BrainpoolP256r1,
    NamedCurve::P256,
    NamedCurve::BrainpoolP512r1,
];

/// k·G with a random k of the order's width (constant-time multiplication).
#[divan::bench(args = CURVES)]
fn scalar_mul_generator(bencher: divan::Bencher, nc: NamedCurve) {
    let c = nc.curve();
    let k = SeededRandom::new(11).bytes(c.order_size());
    let g = c.generator();
    bencher.bench(|| c.mul(divan::black_box(&k), &g));
}

/// One ECDSA verification of a valid signature over a 64-byte digest.
#[divan::bench(args = CURVES)]
fn ecdsa_verify(bencher: divan::Bencher, nc: NamedCurve) {
    let c = nc.curve();
    let mut rng = SeededRandom::new(11);
    let k = rng.bytes(c.order_size());
    let digest = [0x42; 64];
    let sig = c.ecdsa_sign(&k, &digest, &mut rng).expect("sign");
    let q = c.mul(&k, &c.generator());
    assert!(c.ecdsa_verify(&q, &digest, &sig).is_ok());
    bencher.bench(|| c.ecdsa_verify(&q, divan::black_box(&digest), &sig));
}
