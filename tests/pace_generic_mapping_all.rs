//! Generic Mapping on every standardized parameter set with every cipher (ICAO 9303-11
//! Tables 2 and 3): the chip's half is computed here from the primitives (curve / DH group,
//! KDF, MACs, CBC), so widths (P-521's 66-byte coordinates, 2048-bit DH values in extended
//! APDUs), 3DES retail-MAC tokens and AES-192/256 keys are all exercised. (The integrator's
//! simulator adds the Integrated Mapping and CAM on the card side.)
// Uses the primitives (tlv, crypto, the protocol steps): feature `internals`.
#![cfg(feature = "internals")]

use cccd::access::pace::{
    self, cipher_alg, Cipher, KeyAgreement, Mapping, PaceConfig, PacePassword, PaceProtocol,
};
use cccd::apdu::{Response, StatusWord};
use cccd::crypto::cipher::cbc_encrypt;
use cccd::crypto::dh::DhGroup;
use cccd::crypto::ec::NamedCurve;
use cccd::crypto::kdf::{kdf, MAC, PACE};
use cccd::crypto::mac::mac8;
use cccd::crypto::padding::pad;
use cccd::crypto::rng::FixedRandom;
use cccd::crypto::CipherAlg;
use cccd::tlv::{Tag, Writer};

const CIPHERS: [Cipher; 4] = [
    Cipher::TripleDesCbcCbc,
    Cipher::AesCbcCmac128,
    Cipher::AesCbcCmac192,
    Cipher::AesCbcCmac256,
];

fn dyn_data(tag: u32, value: &[u8]) -> Vec<u8> {
    let mut w = Writer::new();
    w.constructed(Tag(0x7C), |w| {
        w.put(Tag(tag), value);
    });
    w.into_bytes()
}

fn token(cipher: CipherAlg, key: &[u8], oid: &[u8], tag: u32, pk: &[u8]) -> [u8; 8] {
    let mut w = Writer::new();
    w.constructed(Tag(0x7F49), |w| {
        w.put(Tag(0x06), oid);
        w.put(Tag(tag), pk);
    });
    let data = w.into_bytes();
    match cipher {
        CipherAlg::Tdes => mac8(cipher, key, &pad(&data, 8)).unwrap(),
        _ => mac8(cipher, key, &data).unwrap(),
    }
}

fn ok(data: Vec<u8>) -> Response {
    Response::new(data, StatusWord::SUCCESS)
}

/// The chip's values of one GM session: (mapping key, agreement key, shared secret).
struct Chip {
    pk_map: Vec<u8>,
    pk_dh: Vec<u8>,
    k: Vec<u8>,
    pk_dh_ifd: Vec<u8>,
    pk_map_ifd: Vec<u8>,
}

fn chip_ec(id: u8, s: &[u8], ours: (&[u8], &[u8])) -> Chip {
    let curve = NamedCurve::from_pace_id(id).unwrap().curve();
    let g = curve.generator();
    let n = curve.order_size();
    let (sk_map_ic, sk_dh_ic) = (vec![0x03; n], vec![0x04; n]);
    let pk_map_ifd = curve.mul(ours.0, &g);
    let pk_map = curve.mul(&sk_map_ic, &g);
    let h = curve.mul(&sk_map_ic, &pk_map_ifd);
    let g_hat = curve.add(&curve.mul(s, &g), &h);
    let pk_dh_ifd = curve.mul(ours.1, &g_hat);
    let pk_dh = curve.mul(&sk_dh_ic, &g_hat);
    let k = curve.mul(&sk_dh_ic, &pk_dh_ifd).x().unwrap();
    Chip {
        pk_map: curve.encode_point(&pk_map),
        pk_dh: curve.encode_point(&pk_dh),
        k,
        pk_dh_ifd: curve.encode_point(&pk_dh_ifd),
        pk_map_ifd: curve.encode_point(&pk_map_ifd),
    }
}

fn chip_dh(id: u8, s: &[u8], ours: (&[u8], &[u8])) -> Chip {
    let group = DhGroup::from_pace_id(id).unwrap();
    let q = group.q().unwrap().len();
    let (sk_map_ic, sk_dh_ic) = (vec![0x03; q], vec![0x04; q]);
    let pk_map_ifd = group.public_key(ours.0);
    let pk_map = group.public_key(&sk_map_ic);
    let h = group.shared_secret(&sk_map_ic, &pk_map_ifd).unwrap();
    let g_hat = group
        .mul_mod(&group.pow_mod(group.g(), s).unwrap(), &h)
        .unwrap();
    let hat = group.with_generator(&g_hat).unwrap();
    let pk_dh_ifd = hat.public_key(ours.1);
    let pk_dh = hat.public_key(&sk_dh_ic);
    let k = hat.shared_secret(&sk_dh_ic, &pk_dh_ifd).unwrap().to_vec();
    Chip {
        pk_map,
        pk_dh,
        k,
        pk_dh_ifd,
        pk_map_ifd,
    }
}

fn session(protocol: PaceProtocol, id: u8) {
    let cipher = cipher_alg(protocol.cipher);
    let cfg = PaceConfig::new(protocol, id).unwrap();
    let oid = protocol.oid().as_bytes().to_vec();
    let s = vec![
        0x5A;
        if cipher == CipherAlg::Aes256 || cipher == CipherAlg::Aes192 {
            32
        } else {
            16
        }
    ];
    let k_pi = kdf(b"123456", PACE, cipher);
    let z = cbc_encrypt(cipher, &k_pi, &vec![0; cipher.block_size()], &s).unwrap();
    let width = match protocol.key_agreement {
        KeyAgreement::Ecdh => NamedCurve::from_pace_id(id).unwrap().curve().order_size(),
        _ => DhGroup::from_pace_id(id).unwrap().q().unwrap().len(),
    };
    // Both below every order, P-521's 0x01FF.. included (its top byte is masked to 1 bit).
    let sk_map = vec![0x01; width];
    let sk_dh = [vec![0x01], vec![0x02; width - 1]].concat();
    let chip = match protocol.key_agreement {
        KeyAgreement::Ecdh => chip_ec(id, &s, (&sk_map, &sk_dh)),
        _ => chip_dh(id, &s, (&sk_map, &sk_dh)),
    };
    let ks_mac = kdf(&chip.k, MAC, cipher);
    let tag = if protocol.key_agreement == KeyAgreement::Ecdh {
        0x86
    } else {
        0x84
    };
    let t_ifd = token(cipher, &ks_mac, &oid, tag, &chip.pk_dh);
    let t_ic = token(cipher, &ks_mac, &oid, tag, &chip.pk_dh_ifd);

    let (_, st) = pace::start(&cfg, PacePassword::Can(b"123456")).unwrap();
    let (_, st) = st.handle(&ok(vec![])).unwrap();
    let mut rng = FixedRandom::new([sk_map, sk_dh].concat());
    let (ga2, st) = st.handle(&ok(dyn_data(0x80, &z)), &mut rng).unwrap();
    assert_eq!(ga2.data, dyn_data(0x81, &chip.pk_map_ifd));
    // The encoding round-trips (extended length for DH-2048).
    let bytes = ga2.to_bytes().unwrap();
    assert_eq!(
        cccd::apdu::Command::parse(&bytes)
            .unwrap()
            .to_bytes()
            .unwrap(),
        bytes
    );
    assert_eq!(cccd::apdu::Command::parse(&bytes).unwrap().data, ga2.data);
    let (ga3, st) = st
        .handle(&ok(dyn_data(0x82, &chip.pk_map)), &mut rng)
        .unwrap();
    assert_eq!(ga3.data, dyn_data(0x83, &chip.pk_dh_ifd));
    let (ga4, st) = st.handle(&ok(dyn_data(0x84, &chip.pk_dh))).unwrap();
    assert_eq!(ga4.data, dyn_data(0x85, &t_ifd), "{protocol:?} id {id}");
    let out = st.handle(&ok(dyn_data(0x86, &t_ic))).unwrap();
    assert_eq!(out.sm.cipher(), cipher);
}

#[test]
fn ecdh_generic_mapping_every_curve_every_cipher() {
    for id in 8..=18 {
        for cipher in CIPHERS {
            session(
                PaceProtocol {
                    key_agreement: KeyAgreement::Ecdh,
                    mapping: Mapping::Generic,
                    cipher,
                },
                id,
            );
        }
    }
}

#[test]
fn dh_generic_mapping_every_group_every_cipher() {
    for id in 0..=2 {
        for cipher in CIPHERS {
            session(
                PaceProtocol {
                    key_agreement: KeyAgreement::Dh,
                    mapping: Mapping::Generic,
                    cipher,
                },
                id,
            );
        }
    }
}
