//! The five curves computed by RustCrypto crates (P-256, P-384, P-521, brainpoolP256r1,
//! brainpoolP384r1) agree with the generic code on every operation the protocols use, and
//! refuse what it refuses. The generic code has its own known answers (RFC 5639, RFC 6979,
//! RFC 7027, ICAO 9303-11 worked examples), so agreement ties the crate path to them too.
// Uses the primitives (tlv, crypto, the protocol steps): feature `internals`.
#![cfg(feature = "internals")]

use cccd::crypto::ec::{Curve, EcError, NamedCurve, Signature};
use cccd::crypto::rng::SeededRandom;

const CRATE_CURVES: [NamedCurve; 5] = [
    NamedCurve::P256,
    NamedCurve::P384,
    NamedCurve::P521,
    NamedCurve::BrainpoolP256r1,
    NamedCurve::BrainpoolP384r1,
];

fn pair(named: NamedCurve) -> (&'static Curve, Curve) {
    let fast = named.curve();
    let generic = fast.generic_arithmetic();
    assert!(fast.uses_curve_crate(), "{named}");
    assert!(!generic.uses_curve_crate());
    (fast, generic)
}

#[test]
fn only_the_five_curves_use_a_crate() {
    for named in NamedCurve::ALL {
        assert_eq!(
            named.curve().uses_curve_crate(),
            CRATE_CURVES.contains(&named),
            "{named}"
        );
    }
}

#[test]
fn scalar_multiplication_addition_and_ecdh_agree() {
    let mut rng = SeededRandom::new(11);
    for named in CRATE_CURVES {
        let (fast, generic) = pair(named);
        let g = fast.generator();
        for round in 0..3 {
            let (d, q) = fast.generate_keypair(&mut rng).unwrap();
            assert_eq!(generic.mul(&d, &g), q, "{named} d·G");
            // Scalars longer than n and at or above n reduce the same way.
            let mut long = vec![0xA5u8; fast.order_size() + 3];
            long[round] ^= 0x5A;
            assert_eq!(
                fast.mul(&long, &q),
                generic.mul(&long, &q),
                "{named} long k"
            );
            assert_eq!(
                fast.mul(fast.order(), &q),
                cccd::crypto::ec::Point::infinity(),
                "{named} n·Q"
            );
            assert_eq!(fast.mul_vartime(&d, &q), generic.mul_vartime(&d, &q));
            // PACE Generic Mapping: G' = s·G + H.
            let (e, h) = fast.generate_keypair(&mut rng).unwrap();
            let mapped = fast.add(&fast.mul(&e, &g), &h);
            assert_eq!(mapped, generic.add(&generic.mul(&e, &g), &h), "{named} GM");
            assert_eq!(
                fast.add(&q, &fast.negate(&q)),
                cccd::crypto::ec::Point::infinity()
            );
            assert_eq!(fast.add(&q, &q), generic.mul(&[2], &q), "{named} doubling");
            assert_eq!(
                fast.add(&q, &cccd::crypto::ec::Point::infinity()),
                q,
                "{named} Q + O"
            );
            // ECDH both ways and across implementations.
            let s1 = fast.ecdh(&d, &h).unwrap();
            let s2 = generic.ecdh(&e, &q).unwrap();
            assert_eq!(*s1, *s2, "{named} ECDH");
            assert_eq!(s1.len(), fast.field_size());
        }
    }
}

#[test]
fn ecdsa_signatures_cross_verify_and_bad_ones_fail() {
    let mut rng = SeededRandom::new(12);
    for named in CRATE_CURVES {
        let (fast, generic) = pair(named);
        let (d, q) = fast.generate_keypair(&mut rng).unwrap();
        for digest_len in [20usize, 32, 48, 64] {
            let digest: Vec<u8> = (0..digest_len).map(|i| (i * 37 + 5) as u8).collect();
            let by_generic = generic.ecdsa_sign(&d, &digest, &mut rng).unwrap();
            let by_fast = fast.ecdsa_sign(&d, &digest, &mut rng).unwrap();
            for sig in [&by_generic, &by_fast] {
                assert_eq!(fast.ecdsa_verify(&q, &digest, sig), Ok(()), "{named}");
                assert_eq!(generic.ecdsa_verify(&q, &digest, sig), Ok(()), "{named}");
                let mut other = digest.clone();
                other[0] ^= 0x80;
                assert_eq!(
                    fast.ecdsa_verify(&q, &other, sig),
                    Err(EcError::SignatureInvalid),
                    "{named}"
                );
            }
            // r = 0, s = n, r longer than n: refused like the generic code does.
            let n = fast.order().to_vec();
            for bad in [
                Signature::new(&[0], by_fast.s()),
                Signature::new(by_fast.r(), &n),
                Signature::new(&[1; 80], by_fast.s()),
            ] {
                assert_eq!(
                    fast.ecdsa_verify(&q, &digest, &bad),
                    Err(EcError::SignatureInvalid)
                );
                assert_eq!(
                    generic.ecdsa_verify(&q, &digest, &bad),
                    Err(EcError::SignatureInvalid)
                );
            }
        }
        assert_eq!(
            fast.ecdsa_verify(
                &cccd::crypto::ec::Point::infinity(),
                &[1; 32],
                &Signature::new(&[1], &[1])
            ),
            Err(EcError::Infinity)
        );
    }
}

#[test]
fn points_of_another_curve_are_refused_in_ecdh() {
    let mut rng = SeededRandom::new(13);
    let bp = NamedCurve::BrainpoolP256r1.curve();
    let p256 = NamedCurve::P256.curve();
    let (_, foreign) = p256.generate_keypair(&mut rng).unwrap();
    let (d, _) = bp.generate_keypair(&mut rng).unwrap();
    // Same width, other curve: an invalid-curve point must not reach the multiplication.
    let encoded = p256.encode_point(&foreign);
    assert!(bp.decode_point(&encoded).is_err());
    assert_eq!(bp.ecdh(&d, &foreign), Err(EcError::PointNotOnCurve));
}

#[test]
fn explicit_parameters_of_a_crate_curve_use_the_crate() {
    let named = NamedCurve::BrainpoolP256r1.curve();
    let g = named.encode_point(&named.generator());
    let explicit =
        Curve::from_explicit(named.p(), named.a(), named.b(), &g, named.order(), None).unwrap();
    assert_eq!(explicit.named(), Some(NamedCurve::BrainpoolP256r1));
    assert!(explicit.uses_curve_crate());
}

/// A prepared key (`VerifyingKey`) verifies by the crate at its first use and with its
/// fixed-base tables from the second on: both paths give the generic code's verdict on valid
/// signatures (digests shorter and longer than the order, s and n − s), on a changed digest,
/// on a signature of another key, and on r or s of 0, n or more.
#[test]
fn prepared_keys_agree_with_the_generic_code_on_both_paths() {
    use cccd::crypto::ec::VerifyingKey;
    let mut rng = SeededRandom::new(13);
    for named in CRATE_CURVES {
        let (fast, generic) = pair(named);
        let (d, q) = fast.generate_keypair(&mut rng).unwrap();
        let (d2, _) = fast.generate_keypair(&mut rng).unwrap();
        let n = fast.order().to_vec();
        for digest_len in [20usize, 32, 48, 64] {
            let digest: Vec<u8> = (0..digest_len).map(|i| (i * 53 + 7) as u8).collect();
            let sig = fast.ecdsa_sign(&d, &digest, &mut rng).unwrap();
            let foreign = fast.ecdsa_sign(&d2, &digest, &mut rng).unwrap();
            // s' = n − s is as valid (these curves do not normalise s).
            let s_neg = sub(&n, sig.s());
            let mut other = digest.clone();
            other[digest_len - 1] ^= 0x01;
            let one_more_than_n = add_one(&n);
            let cases: Vec<(Vec<u8>, Signature)> = vec![
                (digest.clone(), sig.clone()),
                (digest.clone(), Signature::new(sig.r(), &s_neg)),
                (other, sig.clone()),
                (digest.clone(), foreign),
                (digest.clone(), Signature::new(&[0], sig.s())),
                (digest.clone(), Signature::new(sig.r(), &[0])),
                (digest.clone(), Signature::new(&n, sig.s())),
                (digest.clone(), Signature::new(sig.r(), &one_more_than_n)),
                (digest.clone(), Signature::new(sig.s(), sig.r())),
            ];
            for (i, (dg, s)) in cases.iter().enumerate() {
                let expected = generic.ecdsa_verify(&q, dg, s);
                // A fresh key: the crate's path, then the tables' path twice.
                let key = VerifyingKey::new(named, &fast.encode_point(&q)).unwrap();
                for round in 0..3 {
                    assert_eq!(
                        key.verify(dg, s),
                        expected,
                        "{named} digest {digest_len} case {i} round {round}"
                    );
                }
            }
            assert_eq!(
                generic.ecdsa_verify(&q, &digest, &sig),
                Ok(()),
                "{named} the valid case is valid"
            );
        }
        // A point not on the curve, and the point at infinity, are refused when preparing.
        let mut bad_point = fast.encode_point(&q);
        let last = bad_point.len() - 1;
        bad_point[last] ^= 0x01;
        assert!(VerifyingKey::new(named, &bad_point).is_err(), "{named}");
        assert!(VerifyingKey::new(named, &[0x00]).is_err(), "{named}");
    }
}

/// Big-endian a − b for a ≥ b (a at full width).
fn sub(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut out = a.to_vec();
    let mut borrow = 0i16;
    for i in 0..out.len() {
        let bi = if i < b.len() { b[b.len() - 1 - i] } else { 0 };
        let j = out.len() - 1 - i;
        let mut v = out[j] as i16 - bi as i16 - borrow;
        borrow = if v < 0 { 1 } else { 0 };
        if v < 0 {
            v += 256;
        }
        out[j] = v as u8;
    }
    out
}

/// Big-endian a + 1.
fn add_one(a: &[u8]) -> Vec<u8> {
    let mut out = a.to_vec();
    for b in out.iter_mut().rev() {
        let (v, carry) = b.overflowing_add(1);
        *b = v;
        if !carry {
            break;
        }
    }
    out
}
