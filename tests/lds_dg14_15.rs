//! DG14 and DG15: the BSI TR-03105-5 specimen, hand-made RSA/EC keys, mutations.
// Uses the primitives (tlv, crypto, the protocol steps): feature `internals`.
#![cfg(feature = "internals")]

use crate::common;

use cccd::lds::dg14::Dg14;
use cccd::lds::dg15::Dg15;
use cccd::lds::security_info::{
    Cipher, EcParameters, KeyAgreement, PublicKey, SecurityInfo, SubjectPublicKeyInfo,
};
use cccd::lds::{LdsError, LdsErrorKind};
use common::*;

/// brainpoolP224r1 p, A, B, G, q (RFC 5639 §3.2): the curve of the specimen's CA key.
const BP224_P: &str = "D7C134AA264366862A18302575D1D787B09F075797DA89F57EC8C0FF";
const BP224_A: &str = "68A5E62CA9CE6C1C299803A6C1530B514E182AD8B0042A59CAD29F43";
const BP224_B: &str = "2580F63CCFE44138870713B1A92369E33E2135D266DBB372386C400B";
const BP224_G: &str = "040D9029AD2C7E5CF4340823B2A87DC68C9E4CE3174C1E6EFDEE12C07D58AA56F7\
                       72C0726F24C6B89E4ECDAC24354B9E99CAA3F6D3761402CD";
const BP224_Q: &str = "D7C134AA264366862A18302575D0FB98D116BC4B6DDEBCA3A5A7939F";

#[test]
fn bsi_dg14_chip_authentication_key() {
    let dg14 = Dg14::parse(&shared("bsi-tr03105-5/Datagroup14.bin")).unwrap();
    let infos = &dg14.security_infos.infos;
    assert_eq!(infos.len(), 3);
    // 1. ChipAuthenticationPublicKeyInfo: id-PK-ECDH, explicit brainpoolP224r1, no keyId.
    let SecurityInfo::ChipAuthenticationPublicKey(pk) = &infos[0] else {
        panic!("first: {:?}", infos[0])
    };
    assert_eq!(pk.protocol().to_string(), "0.4.0.127.0.7.2.2.1.2");
    assert_eq!(pk.key_agreement, KeyAgreement::Ecdh);
    assert_eq!(pk.key_id, None);
    assert_eq!(pk.public_key.algorithm.oid.to_string(), "1.2.840.10045.2.1");
    // The SPKI is byte for byte the chip's key pair file.
    assert_eq!(pk.public_key.raw, shared("bsi-tr03105-5/DG14_pk.bin"));
    let PublicKey::Ec(ec) = &pk.public_key.key else {
        panic!("not EC")
    };
    let EcParameters::Explicit(params) = &ec.parameters else {
        panic!("not explicit")
    };
    assert_eq!(hex::encode_upper(&params.prime), BP224_P);
    assert_eq!(hex::encode_upper(&params.a), BP224_A);
    assert_eq!(hex::encode_upper(&params.b), BP224_B);
    assert_eq!(hex::encode_upper(&params.base), BP224_G);
    assert_eq!(hex::encode_upper(&params.order), BP224_Q);
    assert_eq!(params.cofactor, Some(vec![1]));
    assert_eq!(params.field_bits(), 224);
    assert_eq!(ec.point.len(), 1 + 2 * 28);
    assert_eq!(ec.point[0], 0x04);
    assert_eq!(pk.public_key.subject_public_key, ec.point);
    // 2. ChipAuthenticationInfo: id-CA-ECDH-3DES-CBC-CBC, version 1.
    let SecurityInfo::ChipAuthentication(ca) = &infos[1] else {
        panic!("second: {:?}", infos[1])
    };
    assert_eq!(ca.protocol.oid().to_string(), "0.4.0.127.0.7.2.2.3.2.1");
    assert_eq!(ca.protocol.key_agreement, KeyAgreement::Ecdh);
    assert_eq!(ca.protocol.cipher, Cipher::TripleDesCbcCbc);
    assert_eq!((ca.version, ca.key_id), (1, None));
    // 3. TerminalAuthenticationInfo v1.
    let SecurityInfo::TerminalAuthentication(ta) = &infos[2] else {
        panic!("third")
    };
    assert_eq!((ta.version, ta.ef_cvca), (1, None));
}

#[test]
fn bsi_dg15_rsa_1024() {
    let dg15 = Dg15::parse(&shared("bsi-tr03105-5/Datagroup15.bin")).unwrap();
    assert_eq!(
        dg15.public_key_info.raw,
        shared("bsi-tr03105-5/DG15_pk.bin")
    );
    assert_eq!(
        dg15.public_key_info.algorithm.oid.to_string(),
        "1.2.840.113549.1.1.1"
    );
    assert_eq!(
        dg15.public_key_info.algorithm.parameters,
        Some(vec![0x05, 0x00])
    );
    let PublicKey::Rsa(rsa) = dg15.public_key() else {
        panic!("not RSA")
    };
    assert_eq!(rsa.modulus_bits(), 1024);
    assert_eq!(rsa.modulus.len(), 128);
    assert_eq!(&rsa.modulus[..4], &[0x81, 0x30, 0xE1, 0x20]);
    assert_eq!(rsa.exponent_u64(), Some(65537));
}

fn rsa_dg15(n: &[u8], e: &[u8]) -> Vec<u8> {
    let key = tlv(0x30, &cat(&[tlv(0x02, n), tlv(0x02, e)]));
    let mut bits = vec![0u8];
    bits.extend_from_slice(&key);
    let alg = tlv(
        0x30,
        &cat(&[oid_tlv("1.2.840.113549.1.1.1"), vec![0x05, 0x00]]),
    );
    tlv(0x6F, &tlv(0x30, &cat(&[alg, tlv(0x03, &bits)])))
}

#[test]
fn rsa_integers_with_odd_leading_bytes() {
    let mut n = vec![0xC0; 128];
    n[127] = 0x01;
    // Minimal DER (one 00), redundant zeros, and no sign byte at all: the same key.
    let variants = [
        [&[0x00][..], &n].concat(),
        [&[0x00, 0x00, 0x00][..], &n].concat(),
        n.clone(),
    ];
    for v in variants {
        let dg15 = Dg15::parse(&rsa_dg15(&v, &[0x00, 0x01, 0x00, 0x01])).unwrap();
        let PublicKey::Rsa(rsa) = dg15.public_key() else {
            panic!()
        };
        assert_eq!(rsa.modulus, n);
        assert_eq!(rsa.modulus_bits(), 1024);
        assert_eq!(rsa.exponent_u64(), Some(65537));
    }
    // A zero modulus and an empty exponent are errors.
    assert!(matches!(
        Dg15::parse(&rsa_dg15(&[0x00, 0x00], &[0x03])),
        Err(LdsError {
            kind: LdsErrorKind::InvalidValue { .. },
            ..
        })
    ));
    assert!(matches!(
        Dg15::parse(&rsa_dg15(&[0x01], &[])),
        Err(LdsError {
            kind: LdsErrorKind::InvalidInteger,
            ..
        })
    ));
}

fn ec_dg15(params: Vec<u8>, point: &[u8]) -> Vec<u8> {
    let alg = tlv(0x30, &cat(&[oid_tlv("1.2.840.10045.2.1"), params]));
    let mut bits = vec![0u8];
    bits.extend_from_slice(point);
    tlv(0x6F, &tlv(0x30, &cat(&[alg, tlv(0x03, &bits)])))
}

#[test]
fn ec_keys_named_and_explicit() {
    let point = [&[0x04][..], &[0x11; 64]].concat();
    // Named curve: brainpoolP256r1 (RFC 5639 §4.1).
    let named = Dg15::parse(&ec_dg15(oid_tlv("1.3.36.3.3.2.8.1.1.7"), &point)).unwrap();
    let PublicKey::Ec(ec) = named.public_key() else {
        panic!()
    };
    assert!(
        matches!(&ec.parameters, EcParameters::Named(o) if o.to_string() == "1.3.36.3.3.2.8.1.1.7")
    );
    assert_eq!(ec.point, point);
    // Explicit parameters: those of the BSI CA key, moved into a DG15.
    let dg14_key = SubjectPublicKeyInfo::from_der(&shared("bsi-tr03105-5/DG14_pk.bin")).unwrap();
    let params = dg14_key.algorithm.parameters.clone().unwrap();
    let explicit = Dg15::parse(&ec_dg15(params.clone(), &point)).unwrap();
    let PublicKey::Ec(ec) = explicit.public_key() else {
        panic!()
    };
    let EcParameters::Explicit(p) = &ec.parameters else {
        panic!()
    };
    assert_eq!(p.raw, params);
    assert_eq!(hex::encode_upper(&p.prime), BP224_P);
    // implicitlyCA (NULL) and absent parameters.
    let implicit = Dg15::parse(&ec_dg15(vec![0x05, 0x00], &point)).unwrap();
    assert!(
        matches!(implicit.public_key(), PublicKey::Ec(e) if e.parameters == EcParameters::ImplicitlyCa)
    );
    // Not a point encoding.
    assert!(matches!(
        Dg15::parse(&ec_dg15(vec![0x05, 0x00], &[0x05, 1, 2])),
        Err(LdsError {
            kind: LdsErrorKind::InvalidValue { .. },
            ..
        })
    ));
    // A characteristic-two field is refused, not misread.
    let char2 = tlv(
        0x30,
        &cat(&[
            int(1),
            tlv(0x30, &cat(&[oid_tlv("1.2.840.10045.1.2"), int(3)])),
        ]),
    );
    assert!(matches!(
        Dg15::parse(&ec_dg15(char2, &point)),
        Err(LdsError {
            kind: LdsErrorKind::Unsupported { .. },
            ..
        })
    ));
    // Unused bits in the BIT STRING.
    let mut bad_bits = ec_dg15(vec![0x05, 0x00], &point);
    let at = bad_bits.len() - point.len() - 1;
    bad_bits[at] = 0x01;
    assert!(matches!(
        Dg15::parse(&bad_bits),
        Err(LdsError {
            kind: LdsErrorKind::InvalidBitString,
            ..
        })
    ));
}

#[test]
fn wrong_tags_and_truncations() {
    let dg15 = shared("bsi-tr03105-5/Datagroup15.bin");
    let dg14 = shared("bsi-tr03105-5/Datagroup14.bin");
    assert!(Dg14::parse(&dg15).is_err());
    assert!(Dg15::parse(&dg14).is_err());
    for cut in 0..dg15.len() {
        assert!(Dg15::parse(&dg15[..cut]).is_err());
    }
    for cut in 0..dg14.len() {
        assert!(Dg14::parse(&dg14[..cut]).is_err());
    }
}

#[test]
fn mutations_never_panic() {
    let dg14 = shared("bsi-tr03105-5/Datagroup14.bin");
    mutate_and_parse(14, &dg14, dg14.len(), 20_000, |d| {
        let _ = Dg14::parse(d);
    });
    let dg15 = shared("bsi-tr03105-5/Datagroup15.bin");
    mutate_and_parse(15, &dg15, 40, 20_000, |d| {
        let _ = Dg15::parse(d);
    });
}
