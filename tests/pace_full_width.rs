//! Full-width encodings (a missing leading zero breaks about one session in 150 elsewhere):
//! sessions whose chip mapping key, our ephemeral key and the shared secret each start with a
//! zero byte. The chip's answers are computed here from the primitives (curve, DH, KDF, CMAC),
//! not from the PACE module, and the reader must still agree byte for byte.
// Uses the primitives (tlv, crypto, the protocol steps): feature `internals`.
#![cfg(feature = "internals")]

use cccd::access::pace::{
    self, Cipher, KeyAgreement, Mapping, PaceConfig, PacePassword, PaceProtocol,
};
use cccd::apdu::{Response, StatusWord};
use cccd::crypto::cipher::cbc_encrypt;
use cccd::crypto::dh::DhGroup;
use cccd::crypto::ec::{Curve, NamedCurve, Point};
use cccd::crypto::kdf::{kdf, ENC, MAC, PACE};
use cccd::crypto::mac::mac8;
use cccd::crypto::rng::FixedRandom;
use cccd::crypto::CipherAlg;
use cccd::tlv::{Tag, Writer};

const CAN: &[u8] = b"123456";
const S: [u8; 16] = [0x5A; 16];

fn add_one(k: &mut [u8]) {
    for b in k.iter_mut().rev() {
        let (v, carry) = b.overflowing_add(1);
        *b = v;
        if !carry {
            break;
        }
    }
}

/// The first k ≥ `start` whose k·base satisfies `pred` (walking by additions).
fn search(
    curve: &Curve,
    base: &Point,
    start: [u8; 32],
    pred: impl Fn(&[u8]) -> bool,
) -> (Vec<u8>, Point) {
    let mut k = start.to_vec();
    let mut p = curve.mul(&k, base);
    for _ in 0..5000 {
        if pred(&curve.encode_point(&p)) {
            return (k, p);
        }
        add_one(&mut k);
        p = curve.add(&p, base);
    }
    panic!("no leading zero found");
}

fn dyn_data(tag: u32, value: &[u8]) -> Vec<u8> {
    let mut w = Writer::new();
    w.constructed(Tag(0x7C), |w| {
        w.put(Tag(tag), value);
    });
    w.into_bytes()
}

fn token_input(oid: &[u8], tag: u32, pk: &[u8]) -> Vec<u8> {
    let mut w = Writer::new();
    w.constructed(Tag(0x7F49), |w| {
        w.put(Tag(0x06), oid);
        w.put(Tag(tag), pk);
    });
    w.into_bytes()
}

fn ok(data: Vec<u8>) -> Response {
    Response::new(data, StatusWord::SUCCESS)
}

#[test]
fn ecdh_leading_zero_coordinates_and_secret() {
    let protocol = PaceProtocol {
        key_agreement: KeyAgreement::Ecdh,
        mapping: Mapping::Generic,
        cipher: Cipher::AesCbcCmac128,
    };
    let oid = protocol.oid().as_bytes().to_vec();
    let cfg = PaceConfig::new(protocol, 13).unwrap();
    let curve = NamedCurve::BrainpoolP256r1.curve();
    let g = curve.generator();
    let k_pi = kdf(CAN, PACE, CipherAlg::Aes128);
    let z = cbc_encrypt(CipherAlg::Aes128, &k_pi, &[0; 16], &S).unwrap();

    let sk_map_ifd = [0x11u8; 32];
    let pk_map_ifd = curve.mul(&sk_map_ifd, &g);
    // The chip's mapping key has x = 00...
    let (_, pk_map_ic) = search(curve, &g, [0x22; 32], |e| e[1] == 0);
    let h = curve.mul(&sk_map_ifd, &pk_map_ic);
    let g_hat = curve.add(&curve.mul(&S, &g), &h);
    // Our ephemeral key has x = 00...
    let (sk_dh_ifd, pk_dh_ifd) = search(curve, &g_hat, [0x33; 32], |e| e[1] == 0);
    // The shared secret K starts with 00.
    let (sk_dh_ic, shared) = search(curve, &pk_dh_ifd, [0x44; 32], |e| e[1] == 0);
    let pk_dh_ic = curve.mul(&sk_dh_ic, &g_hat);
    let k = shared.x().unwrap();
    assert_eq!((k.len(), k[0]), (32, 0));
    let ks_mac = kdf(&k, MAC, CipherAlg::Aes128);
    let enc = |p: &Point| curve.encode_point(p);
    let t_ifd = mac8(
        CipherAlg::Aes128,
        &ks_mac,
        &token_input(&oid, 0x86, &enc(&pk_dh_ic)),
    )
    .unwrap();
    let t_ic = mac8(
        CipherAlg::Aes128,
        &ks_mac,
        &token_input(&oid, 0x86, &enc(&pk_dh_ifd)),
    )
    .unwrap();

    let (_, st) = pace::start(&cfg, PacePassword::Can(CAN)).unwrap();
    let (_, st) = st.handle(&ok(vec![])).unwrap();
    let mut rng = FixedRandom::new([sk_map_ifd.to_vec(), sk_dh_ifd].concat());
    let (ga2, st) = st.handle(&ok(dyn_data(0x80, &z)), &mut rng).unwrap();
    assert_eq!(ga2.data, dyn_data(0x81, &enc(&pk_map_ifd)));
    let (ga3, st) = st
        .handle(&ok(dyn_data(0x82, &enc(&pk_map_ic))), &mut rng)
        .unwrap();
    // 7C 43 83 41 04 00 ..: 65 bytes, the leading zero of x kept.
    assert_eq!(&ga3.data[..6], &[0x7C, 0x43, 0x83, 0x41, 0x04, 0x00]);
    assert_eq!(ga3.data, dyn_data(0x83, &enc(&pk_dh_ifd)));
    let (ga4, st) = st.handle(&ok(dyn_data(0x84, &enc(&pk_dh_ic)))).unwrap();
    assert_eq!(ga4.data, dyn_data(0x85, &t_ifd));
    let out = st.handle(&ok(dyn_data(0x86, &t_ic))).unwrap();
    assert_eq!(out.id_picc, pk_dh_ic.x().unwrap());
    // KSenc at full width too: the session encrypts as a chip with K = 00.. would.
    let ks_enc = kdf(&k, ENC, CipherAlg::Aes128);
    assert_eq!(ks_enc.len(), 16);
}

#[test]
fn dh_leading_zero_secret() {
    let protocol = PaceProtocol {
        key_agreement: KeyAgreement::Dh,
        mapping: Mapping::Generic,
        cipher: Cipher::AesCbcCmac128,
    };
    let oid = protocol.oid().as_bytes().to_vec();
    let cfg = PaceConfig::new(protocol, 0).unwrap();
    let group = DhGroup::from_pace_id(0).unwrap();
    let k_pi = kdf(CAN, PACE, CipherAlg::Aes128);
    let z = cbc_encrypt(CipherAlg::Aes128, &k_pi, &[0; 16], &S).unwrap();

    let sk_map_ifd = [0x11u8; 20];
    let pk_map_ifd = group.public_key(&sk_map_ifd);
    let sk_map_ic = [0x22u8; 20];
    let pk_map_ic = group.public_key(&sk_map_ic);
    let h = group.shared_secret(&sk_map_ic, &pk_map_ifd).unwrap();
    let g_hat = group
        .mul_mod(&group.pow_mod(group.g(), &S).unwrap(), &h)
        .unwrap();
    let hat = group.with_generator(&g_hat).unwrap();
    let sk_dh_ifd = [0x33u8; 20];
    let pk_dh_ifd = hat.public_key(&sk_dh_ifd);
    // The chip's exponent such that K = pk_dh_ifd^x starts with a zero byte.
    let mut x = [0x44u8; 20].to_vec();
    let mut k = hat.pow_mod(&pk_dh_ifd, &x).unwrap();
    for _ in 0..5000 {
        if k[0] == 0 {
            break;
        }
        add_one(&mut x);
        k = hat.mul_mod(&k, &pk_dh_ifd).unwrap();
    }
    assert_eq!((k.len(), k[0]), (128, 0));
    let pk_dh_ic = hat.public_key(&x);
    let ks_mac = kdf(&k, MAC, CipherAlg::Aes128);
    let t_ifd = mac8(
        CipherAlg::Aes128,
        &ks_mac,
        &token_input(&oid, 0x84, &pk_dh_ic),
    )
    .unwrap();
    let t_ic = mac8(
        CipherAlg::Aes128,
        &ks_mac,
        &token_input(&oid, 0x84, &pk_dh_ifd),
    )
    .unwrap();

    let (_, st) = pace::start(&cfg, PacePassword::Can(CAN)).unwrap();
    let (_, st) = st.handle(&ok(vec![])).unwrap();
    let mut rng = FixedRandom::new([sk_map_ifd, sk_dh_ifd].concat());
    let (ga2, st) = st.handle(&ok(dyn_data(0x80, &z)), &mut rng).unwrap();
    assert_eq!(ga2.data, dyn_data(0x81, &pk_map_ifd));
    let (ga3, st) = st
        .handle(&ok(dyn_data(0x82, &pk_map_ic)), &mut rng)
        .unwrap();
    assert_eq!(ga3.data, dyn_data(0x83, &pk_dh_ifd));
    let (ga4, st) = st.handle(&ok(dyn_data(0x84, &pk_dh_ic))).unwrap();
    assert_eq!(ga4.data, dyn_data(0x85, &t_ifd));
    assert!(st.handle(&ok(dyn_data(0x86, &t_ic))).is_ok());
}

#[test]
fn every_standard_parameter_set_builds_mse() {
    // Every OID of Tables 2 and 3 with every parameter id it admits.
    let mut n = 0;
    for m in [1u8, 2, 3, 4, 6] {
        for c in 1u8..=4 {
            let oid = [0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x04, m, c];
            let Some(protocol) =
                PaceProtocol::from_oid(&const_oid::ObjectIdentifier::from_bytes(&oid).unwrap())
            else {
                continue;
            };
            for id in 0u8..=18 {
                let Ok(cfg) = PaceConfig::new(protocol, id) else {
                    continue;
                };
                let (mse, _) =
                    pace::start(&cfg.with_parameter_id_sent(true), PacePassword::Can(CAN)).unwrap();
                let mut expected = vec![0x00, 0x22, 0xC1, 0xA4, 0x12, 0x80, 0x0A];
                expected.extend_from_slice(&oid);
                expected.extend_from_slice(&[0x83, 0x01, 0x02, 0x84, 0x01, id]);
                assert_eq!(mse.to_bytes().unwrap(), expected);
                n += 1;
            }
        }
    }
    // DH: 8 OIDs x 3 groups; ECDH GM: 4 x 11; IM: 4 x 10 (no P-224); CAM: 3 x 11.
    assert_eq!(n, 24 + 44 + 40 + 33);
}
