//! Named-curve parameters and scalar multiplication: structural checks on every curve, and the
//! RFC 5114 Appendix A ECDH known answers for the NIST curves.
// Uses the primitives (tlv, crypto, the protocol steps): feature `internals`.
#![cfg(feature = "internals")]

use cccd::crypto::ec::{Curve, EcError, NamedCurve, Point};
use const_oid::ObjectIdentifier;

fn unhex(s: &str) -> Vec<u8> {
    let clean: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    hex::decode(clean).unwrap()
}

fn vectors(name: &str) -> serde_json::Value {
    let path = format!("{}/test-vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn curve_by_name(name: &str) -> &'static Curve {
    NamedCurve::ALL
        .into_iter()
        .find(|c| c.name() == name)
        .unwrap_or_else(|| panic!("unknown curve {name}"))
        .curve()
}

/// n−1 as big-endian bytes.
fn minus_one(n: &[u8]) -> Vec<u8> {
    let mut v = n.to_vec();
    for b in v.iter_mut().rev() {
        if *b == 0 {
            *b = 0xff;
        } else {
            *b -= 1;
            break;
        }
    }
    v
}

#[test]
fn every_curve_generator_has_order_n() {
    for nc in NamedCurve::ALL {
        let c = nc.curve();
        let g = c.generator();
        assert!(c.is_on_curve(&g), "{nc}: G not on the curve");
        assert!(c.mul(c.order(), &g).is_infinity(), "{nc}: n·G ≠ O");
        assert!(
            c.mul_vartime(c.order(), &g).is_infinity(),
            "{nc}: n·G ≠ O (vartime)"
        );
        let nm1 = c.mul(&minus_one(c.order()), &g);
        assert_eq!(nm1, c.negate(&g), "{nc}: (n−1)·G ≠ −G");
        assert_ne!(nm1, g);
        assert_eq!(c.cofactor(), [1]);
        assert_eq!(c.named(), Some(nc));
        assert_eq!(c.encode_point(&g).len(), 1 + 2 * c.field_size());
    }
}

#[test]
fn small_multiples_match_repeated_addition() {
    for nc in NamedCurve::ALL {
        let c = nc.curve();
        let g = c.generator();
        let mut acc = Point::infinity();
        for k in 0u16..=40 {
            assert_eq!(c.mul(&k.to_be_bytes(), &g), acc, "{nc}: {k}·G");
            assert_eq!(
                c.mul_vartime(&k.to_be_bytes(), &g),
                acc,
                "{nc}: {k}·G vartime"
            );
            acc = c.add(&acc, &g);
        }
        // Doubling through add(P, P) and the inverse: P + (−P) = O.
        let p5 = c.mul(&[5], &g);
        assert_eq!(c.add(&p5, &p5), c.mul(&[10], &g));
        assert!(c.add(&p5, &c.negate(&p5)).is_infinity());
    }
}

#[test]
fn oids_and_pace_ids() {
    let table = [
        (NamedCurve::P192, "1.2.840.10045.3.1.1", 8),
        (NamedCurve::BrainpoolP192r1, "1.3.36.3.3.2.8.1.1.3", 9),
        (NamedCurve::P224, "1.3.132.0.33", 10),
        (NamedCurve::BrainpoolP224r1, "1.3.36.3.3.2.8.1.1.5", 11),
        (NamedCurve::P256, "1.2.840.10045.3.1.7", 12),
        (NamedCurve::BrainpoolP256r1, "1.3.36.3.3.2.8.1.1.7", 13),
        (NamedCurve::BrainpoolP320r1, "1.3.36.3.3.2.8.1.1.9", 14),
        (NamedCurve::P384, "1.3.132.0.34", 15),
        (NamedCurve::BrainpoolP384r1, "1.3.36.3.3.2.8.1.1.11", 16),
        (NamedCurve::BrainpoolP512r1, "1.3.36.3.3.2.8.1.1.13", 17),
        (NamedCurve::P521, "1.3.132.0.35", 18),
    ];
    for (c, oid, id) in table {
        let oid = ObjectIdentifier::new(oid).unwrap();
        assert_eq!(c.oid(), oid);
        assert_eq!(NamedCurve::from_oid(&oid), Some(c));
        assert_eq!(c.pace_id(), id);
        assert_eq!(NamedCurve::from_pace_id(id), Some(c));
    }
    for id in (0..8).chain(19..=255) {
        assert_eq!(NamedCurve::from_pace_id(id), None);
    }
}

#[test]
fn rfc5114_ecdh_known_answers() {
    assert_eq!(ecdh_vectors("ec-ecdh-rfc5114.json"), 5);
}

#[test]
fn rfc7027_brainpool_ecdh_known_answers() {
    assert_eq!(ecdh_vectors("ec-ecdh-rfc7027.json"), 3);
}

/// Runs a file of ECDH vectors (dA, QA, dB, QB, Z); returns how many ran.
fn ecdh_vectors(file: &str) -> usize {
    let v = vectors(file);
    let mut count = 0;
    for t in v["vectors"].as_array().unwrap() {
        let c = curve_by_name(t["curve"].as_str().unwrap());
        let field = |k: &str| unhex(t[k].as_str().unwrap());
        let point = |x: &str, y: &str| {
            let mut enc = vec![0x04];
            enc.extend(field(x));
            enc.extend(field(y));
            c.decode_point(&enc).unwrap()
        };
        let qa = point("x_qA", "y_qA");
        let qb = point("x_qB", "y_qB");
        assert_eq!(c.mul(&field("dA"), &c.generator()), qa, "{}", t["source"]);
        assert_eq!(c.mul(&field("dB"), &c.generator()), qb, "{}", t["source"]);
        let z = point("x_Z", "y_Z");
        assert_eq!(c.mul(&field("dA"), &qb), z);
        assert_eq!(*c.ecdh(&field("dA"), &qb).unwrap(), field("x_Z"));
        assert_eq!(*c.ecdh(&field("dB"), &qa).unwrap(), field("x_Z"));
        count += 1;
    }
    count
}

#[test]
fn decode_point_rejects_bad_input() {
    let c = NamedCurve::BrainpoolP256r1.curve();
    let g = c.encode_point(&c.generator());
    let mut off = g.clone();
    *off.last_mut().unwrap() ^= 1;
    assert_eq!(c.decode_point(&off), Err(EcError::PointNotOnCurve));
    assert_eq!(
        c.decode_point(&g[..g.len() - 1]),
        Err(EcError::InvalidEncoding)
    );
    assert_eq!(c.decode_point(&[]), Err(EcError::InvalidEncoding));
    assert_eq!(c.decode_point(&[0x00]), Err(EcError::Infinity));
    let mut bad_tag = g.clone();
    bad_tag[0] = 0x05;
    assert_eq!(c.decode_point(&bad_tag), Err(EcError::InvalidEncoding));
    // x = p is not a field element.
    let mut big = vec![0x04];
    big.extend_from_slice(c.p());
    big.extend_from_slice(&g[33..]);
    assert_eq!(c.decode_point(&big), Err(EcError::InvalidEncoding));
    // Compressed form round trip.
    for k in 1u8..6 {
        let p = c.mul(&[k], &c.generator());
        let y = p.y().unwrap();
        let mut comp = vec![0x02 | (y[y.len() - 1] & 1)];
        comp.extend(p.x().unwrap());
        assert_eq!(c.decode_point(&comp).unwrap(), p);
    }
}

#[test]
fn ecdh_rejects_invalid_public_keys() {
    let c = NamedCurve::P256.curve();
    assert_eq!(
        c.ecdh(&[1, 2, 3], &Point::infinity()),
        Err(EcError::Infinity)
    );
    // A point of another curve is not on this one.
    let other = NamedCurve::BrainpoolP256r1.curve().generator();
    assert_eq!(c.ecdh(&[1, 2, 3], &other), Err(EcError::PointNotOnCurve));
    // A zero private key gives infinity.
    assert_eq!(c.ecdh(&[0; 32], &c.generator()), Err(EcError::Infinity));
}

/// ICAO 9303-11 Appendix G.1: the bp256r1 Generic Mapping example, every scalar·point pair.
#[test]
fn icao_appendix_g1_generic_mapping() {
    let t = vectors("ec-pace-icao-g1.json");
    let f = |k: &str| unhex(t[k].as_str().unwrap());
    let c = curve_by_name(t["curve"].as_str().unwrap());
    let g = c.generator();
    let pt = |k: &str| c.decode_point(&f(k)).unwrap();
    assert_eq!(c.mul(&f("mapping_sk_ifd"), &g), pt("mapping_pk_ifd"));
    assert_eq!(c.mul(&f("mapping_sk_ic"), &g), pt("mapping_pk_ic"));
    let h = c.mul(&f("mapping_sk_ifd"), &pt("mapping_pk_ic"));
    assert_eq!(h, pt("h"));
    assert_eq!(c.mul(&f("mapping_sk_ic"), &pt("mapping_pk_ifd")), h);
    // Ĝ = s·G + H.
    let g_hat = c.add(&c.mul(&f("nonce_s"), &g), &h);
    assert_eq!(g_hat, pt("g_hat"));
    assert_eq!(c.mul(&f("ka_sk_ifd"), &g_hat), pt("ka_pk_ifd"));
    assert_eq!(c.mul(&f("ka_sk_ic"), &g_hat), pt("ka_pk_ic"));
    assert_eq!(*c.ecdh(&f("ka_sk_ifd"), &pt("ka_pk_ic")).unwrap(), f("k"));
    assert_eq!(*c.ecdh(&f("ka_sk_ic"), &pt("ka_pk_ifd")).unwrap(), f("k"));
}
