//! Primitives, ours beside what they replaced: RSA verification (PKCS#1 v1.5 over a digest,
//! key built from n and e each time, as a certificate check does) against the `rsa` crate's
//! public operation; ECDSA verification and ECDH k·Q per curve, the curve crates against the
//! generic code. `scripts/bench-crypto` prints these beside `openssl speed` in one run.
//! Run: `cargo bench --features internals --bench crypto`.

use cccd::crypto::ec::{Curve, NamedCurve, Point, Signature};
use cccd::crypto::rng::SeededRandom;
use cccd::crypto::rsa::{Hash, RsaPublicKey};
use divan::black_box;
use serde_json::Value;

fn main() {
    divan::main();
}

/// (n, e, hash, digest, signature) of the OpenSSL-made PKCS#1 v1.5 vector of this size.
fn rsa_vector(bits: u64) -> (Vec<u8>, Vec<u8>, Hash, Vec<u8>, Vec<u8>) {
    let path = format!(
        "{}/test-vectors/rsa-openssl.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let v = doc["signatures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["bits"] == bits && v["scheme"] == "pkcs1")
        .unwrap();
    let h = |k: &str| hex::decode(v[k].as_str().unwrap()).unwrap();
    let hash = match v["hash"].as_str().unwrap() {
        "sha1" => Hash::Sha1,
        "sha224" => Hash::Sha224,
        "sha256" => Hash::Sha256,
        "sha384" => Hash::Sha384,
        _ => Hash::Sha512,
    };
    let digest = hash.digest_parts(&[&h("msg")]);
    (h("n"), h("e"), hash, digest, h("sig"))
}

/// RSA PKCS#1 v1.5 verification of a digest, the key built from (n, e) each time.
#[divan::bench(args = [1024, 2048, 3072, 4096])]
fn rsa_verify(bencher: divan::Bencher, bits: u64) {
    let (n, e, hash, digest, sig) = rsa_vector(bits);
    bencher.bench(|| {
        RsaPublicKey::new(black_box(&n), &e)
            .unwrap()
            .verify_pkcs1v15(hash, black_box(&digest), black_box(&sig))
            .unwrap()
    });
}

/// The same with the key built once (as OpenSSL's `speed` does: its Montgomery context is
/// cached in the key), and the key building alone.
#[divan::bench(args = [1024, 2048, 3072, 4096])]
fn rsa_verify_prebuilt_key(bencher: divan::Bencher, bits: u64) {
    let (n, e, hash, digest, sig) = rsa_vector(bits);
    let key = RsaPublicKey::new(&n, &e).unwrap();
    bencher.bench(|| {
        key.verify_pkcs1v15(hash, black_box(&digest), black_box(&sig))
            .unwrap()
    });
}

/// SHA-256 of 16 KB (the block size `openssl speed -bytes 16384` reports), through the same
/// call passive authentication hashes a data group with.
#[divan::bench(counter = divan::counter::BytesCount::new(16_384usize))]
fn sha256_16k(bencher: divan::Bencher) {
    let data = vec![0x5Au8; 16_384];
    bencher.bench(|| cccd::crypto::hash::HashAlgorithm::Sha256.digest(black_box(&data)));
}

/// Building the key alone: parameter checks and the Montgomery constants.
#[divan::bench(args = [1024, 2048, 3072, 4096])]
fn rsa_key_build(bencher: divan::Bencher, bits: u64) {
    let (n, e, _, _, _) = rsa_vector(bits);
    bencher.bench(|| RsaPublicKey::new(black_box(&n), &e).unwrap());
}

/// Before: the `rsa` crate's key and `hazmat::rsa_encrypt` (s^e mod n alone, no padding check).
#[divan::bench(args = [1024, 2048, 3072, 4096])]
fn rsa_public_op_rsa_crate(bencher: divan::Bencher, bits: u64) {
    let (n, e, _, _, sig) = rsa_vector(bits);
    bencher.bench(|| {
        let key = rsa::PublicKey::new_with_size_limits(
            rsa::BoxedUint::from_be_slice_vartime(black_box(&n)),
            rsa::BoxedUint::from_be_slice_vartime(&e),
            512..=16384,
        )
        .unwrap();
        let s = rsa::BoxedUint::from_be_slice(black_box(&sig), key_precision(&key)).unwrap();
        rsa::hazmat::rsa_encrypt(&key, &s).unwrap()
    });
}

fn key_precision(key: &rsa::PublicKey) -> u32 {
    use rsa::traits::PublicKeyParts;
    key.n().bits_precision()
}

const CURVES: [NamedCurve; 6] = [
    NamedCurve::P256,
    NamedCurve::P384,
    NamedCurve::P521,
    NamedCurve::BrainpoolP256r1,
    NamedCurve::BrainpoolP384r1,
    NamedCurve::BrainpoolP512r1,
];

fn ecdsa_setup(curve: &Curve) -> (Point, Vec<u8>, Signature) {
    let mut rng = SeededRandom::new(5);
    let (d, q) = curve.generate_keypair(&mut rng).unwrap();
    let digest = vec![0x5Au8; 32];
    let sig = curve.ecdsa_sign(&d, &digest, &mut rng).unwrap();
    (q, digest, sig)
}

/// ECDSA verification of a SHA-256 digest: the curve crate where there is one.
#[divan::bench(args = CURVES)]
fn ecdsa_verify(bencher: divan::Bencher, named: NamedCurve) {
    let curve = named.curve();
    let (q, digest, sig) = ecdsa_setup(curve);
    bencher.bench(|| {
        curve
            .ecdsa_verify(black_box(&q), black_box(&digest), &sig)
            .unwrap()
    });
}

/// Before: the generic code on the same curve.
#[divan::bench(args = CURVES)]
fn ecdsa_verify_generic(bencher: divan::Bencher, named: NamedCurve) {
    let curve = named.curve().generic_arithmetic();
    let (q, digest, sig) = ecdsa_setup(&curve);
    bencher.bench(|| {
        curve
            .ecdsa_verify(black_box(&q), black_box(&digest), &sig)
            .unwrap()
    });
}

/// ECDH: the x-coordinate of d·Q (constant time in d).
#[divan::bench(args = CURVES)]
fn ecdh(bencher: divan::Bencher, named: NamedCurve) {
    let curve = named.curve();
    let mut rng = SeededRandom::new(6);
    let (d, _) = curve.generate_keypair(&mut rng).unwrap();
    let (_, q) = curve.generate_keypair(&mut rng).unwrap();
    bencher.bench(|| curve.ecdh(black_box(&d), black_box(&q)).unwrap());
}

/// Before: ECDH by the generic code.
#[divan::bench(args = CURVES)]
fn ecdh_generic(bencher: divan::Bencher, named: NamedCurve) {
    let curve = named.curve().generic_arithmetic();
    let mut rng = SeededRandom::new(6);
    let (d, _) = curve.generate_keypair(&mut rng).unwrap();
    let (_, q) = curve.generate_keypair(&mut rng).unwrap();
    bencher.bench(|| curve.ecdh(black_box(&d), black_box(&q)).unwrap());
}
