//! Chip Authentication against the simulated chip, driven by a test-only terminal written
//! here (BAC and SM from `support/sim_reader.rs`, the CA steps below; no library protocol
//! code): the CCCD profile (ECDH bp256, AES-128 via MSE:Set AT + GENERAL AUTHENTICATE), the BSI
//! TR-03105-5 specimen with its real key (ECDH brainpoolP224r1 given explicitly, 3DES via
//! MSE:Set KAT), and the clone, whose new session fails on the first command.
#![cfg(all(feature = "sim", feature = "internals"))]

use crate::sim_reader as support;

use cccd::crypto::ec::{Curve, NamedCurve};
use cccd::crypto::kdf::{kdf, ENC, MAC};
use cccd::crypto::rng::SeededRandom;
use cccd::crypto::CipherAlg;
use cccd::sim::fs::{fid_dg, FID_COM};
use cccd::sim::{Card, Profile};
use cccd::tlv::{encode, Tag};
use support::{bac, read_file, send, sw, TestSm, AID};

/// id-PK-ECDH 0.4.0.127.0.7.2.2.1.2.
const ID_PK_ECDH: &str = "04007f000702020102";
/// id-CA-ECDH 0.4.0.127.0.7.2.2.3.2 (then .1 3DES, .2 AES-128).
const ID_CA_ECDH: &str = "04007f000702020302";

fn oid_bytes(spaced: &str) -> Vec<u8> {
    hex::decode(spaced.replace(' ', "")).unwrap()
}

/// What the terminal takes from DG14: the CA protocol OID (DER content), the chip's curve and
/// public key.
struct Dg14 {
    ca_oid: Vec<u8>,
    curve: Curve,
    pk_ic: Vec<u8>,
}

/// DG14 = 6E { SET OF SecurityInfo }; ChipAuthenticationInfo { OID, version [, keyId] },
/// ChipAuthenticationPublicKeyInfo { id-PK-ECDH, SubjectPublicKeyInfo [, keyId] }.
fn parse_dg14(dg14: &[u8]) -> Dg14 {
    let outer = cccd::tlv::parse_single(dg14).unwrap();
    assert_eq!(outer.tag, Tag(0x6E));
    let mut r = outer.children();
    let set = r.read_tag(Tag(0x31)).unwrap();
    let (mut ca_oid, mut key) = (None, None);
    for info in set.children() {
        let info = info.unwrap();
        let mut i = info.children();
        let oid = i.read_tag(Tag(0x06)).unwrap().value;
        let ca_prefix = oid_bytes(ID_CA_ECDH);
        if oid.len() == ca_prefix.len() + 1 && oid.starts_with(&ca_prefix) {
            ca_oid = Some(oid.to_vec());
        }
        if oid == oid_bytes(ID_PK_ECDH) {
            let spki = i.read_tag(Tag(0x30)).unwrap();
            let mut s = spki.children();
            let alg = s.read_tag(Tag(0x30)).unwrap();
            let mut a = alg.children();
            a.read_tag(Tag(0x06)).unwrap();
            let params = a.read().unwrap();
            assert_eq!(params.tag, Tag(0x30), "explicit domain parameters");
            let curve = Curve::from_ec_parameters_der(params.raw).unwrap();
            let bits = s.read_tag(Tag(0x03)).unwrap().value;
            assert_eq!(bits[0], 0);
            key = Some((curve, bits[1..].to_vec()));
        }
    }
    let (curve, pk_ic) = key.expect("ChipAuthenticationPublicKeyInfo");
    Dg14 {
        ca_oid: ca_oid.expect("ChipAuthenticationInfo"),
        curve,
        pk_ic,
    }
}

/// Opens BAC on a card whose MRZ information is `mrz`, reads DG14.
fn open(card: &mut Card, mrz: &str) -> (TestSm, Dg14) {
    assert_eq!(sw(&send(card, AID)), 0x9000);
    let mut sm = bac(card, mrz).unwrap();
    let dg14 = read_file(card, &mut sm, fid_dg(14), 0xE0).unwrap();
    (sm, parse_dg14(&dg14))
}

/// The terminal's side of Chip Authentication; returns the session it derives (the card's
/// replies under the old keys are checked here).
fn chip_authentication(card: &mut Card, sm: &mut TestSm, dg14: &Dg14, seed: u64) -> TestSm {
    let curve = &dg14.curve;
    let (sk_pcd, pk_pcd) = curve
        .generate_keypair(&mut SeededRandom::new(seed))
        .unwrap();
    let pk_pcd = curve.encode_point(&pk_pcd);
    let alg = match dg14.ca_oid.last() {
        Some(1) => {
            // MSE:Set KAT with 91 PK_PCD.
            let apdu = sm.wrap(
                [0x00, 0x22, 0x41, 0xA6],
                &encode(Tag(0x91), &pk_pcd),
                None,
                false,
            );
            let (data, s) = sm.unwrap(&card.process(&apdu));
            assert_eq!((data.len(), s), (0, 0x9000));
            CipherAlg::Tdes
        }
        Some(2) => {
            let apdu = sm.wrap(
                [0x00, 0x22, 0x41, 0xA4],
                &encode(Tag(0x80), &dg14.ca_oid),
                None,
                false,
            );
            let (_, s) = sm.unwrap(&card.process(&apdu));
            assert_eq!(s, 0x9000);
            let ga = encode(Tag(0x7C), &encode(Tag(0x80), &pk_pcd));
            let apdu = sm.wrap([0x00, 0x86, 0x00, 0x00], &ga, Some(256), false);
            let (data, s) = sm.unwrap(&card.process(&apdu));
            assert_eq!((data, s), (vec![0x7C, 0x00], 0x9000));
            CipherAlg::Aes128
        }
        other => panic!("unexpected CA protocol {other:?}"),
    };
    let pk_ic = curve.decode_point(&dg14.pk_ic).unwrap();
    let k = curve.ecdh(&sk_pcd, &pk_ic).unwrap();
    TestSm {
        alg,
        k_enc: kdf(&k, ENC, alg).to_vec(),
        k_mac: kdf(&k, MAC, alg).to_vec(),
        ssc: vec![0; alg.block_size()],
    }
}

#[test]
fn cccd_chip_authentication_aes() {
    let mut card = Card::new(Profile::Cccd, 31);
    let mrz = card.persona().mrz_information().to_string();
    let (mut sm, dg14) = open(&mut card, &mrz);
    assert_eq!(dg14.curve.named(), Some(NamedCurve::BrainpoolP256r1));
    assert_eq!(dg14.ca_oid, oid_bytes("04007f00070202030202"));
    assert_eq!(
        dg14.pk_ic,
        card.chip_authentication_key().encoded_public_key()
    );
    let mut new_sm = chip_authentication(&mut card, &mut sm, &dg14, 1);
    // The rest of the read runs under the new keys.
    let com = read_file(&mut card, &mut new_sm, FID_COM, 0xE0).unwrap();
    assert_eq!(com, card.files().content(FID_COM).unwrap());
    assert_eq!(
        hex::encode_upper(&com[com.len() - 8..]),
        "5C06617563 6D6E6F".replace(' ', "")
    );
    let dg1 = read_file(&mut card, &mut new_sm, fid_dg(1), 0x80).unwrap();
    assert_eq!(dg1, card.files().content(fid_dg(1)).unwrap());
    // The BAC keys are gone: a command under them fails.
    let apdu = sm.wrap([0, 0xB0, 0, 0], &[], Some(4), false);
    assert_eq!(card.process(&apdu), vec![0x69, 0x88]);
}

#[test]
fn bsi_chip_authentication_3des_with_the_specimen_key() {
    let mut card = Card::new(Profile::Bsi, 0);
    let mrz = "C11T002JM496081222310314";
    let (mut sm, dg14) = open(&mut card, mrz);
    assert_eq!(dg14.curve.named(), Some(NamedCurve::BrainpoolP224r1));
    assert_eq!(dg14.ca_oid, oid_bytes("04007f00070202030201"));
    // The key the card uses is the data set's own.
    let pk = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/test-data/bsi-tr03105-5/DG14_pk.bin"
    ))
    .unwrap();
    assert!(pk.ends_with(&dg14.pk_ic));
    assert_eq!(
        dg14.pk_ic,
        card.chip_authentication_key().encoded_public_key()
    );
    let mut new_sm = chip_authentication(&mut card, &mut sm, &dg14, 2);
    let com = read_file(&mut card, &mut new_sm, FID_COM, 0xE0).unwrap();
    assert_eq!(com, card.files().content(FID_COM).unwrap());
    assert_eq!(com[0], 0x60);
}

#[test]
fn clone_chip_authentication_fails_on_the_first_command() {
    let seed = 31;
    let mut genuine = Card::new(Profile::Cccd, seed);
    let mut card = Card::new(Profile::CccdClone, seed);
    // Same files, DG14/DG15 included; other private keys.
    for ef in genuine.files().iter() {
        assert_eq!(card.files().content(ef.fid), Some(ef.content.as_slice()));
    }
    assert_eq!(card.files().iter().count(), genuine.files().iter().count());
    let mrz = card.persona().mrz_information().to_string();
    let (mut sm, dg14) = open(&mut card, &mrz);
    assert_eq!(
        dg14.pk_ic,
        genuine.chip_authentication_key().encoded_public_key()
    );
    assert_ne!(
        dg14.pk_ic,
        card.chip_authentication_key().encoded_public_key()
    );
    // The protocol itself runs (the clone answers 9000 under the BAC keys) ...
    let mut new_sm = chip_authentication(&mut card, &mut sm, &dg14, 1);
    // ... but the keys the terminal derives are not the card's: the MAC check fails.
    let apdu = new_sm.wrap([0, 0xA4, 0x02, 0x0C], &FID_COM.to_be_bytes(), None, false);
    let r = card.process(&apdu);
    assert_eq!(r, vec![0x69, 0x88], "SM failure, not a protected answer");
    assert!(!card.has_session());

    // The same terminal against the genuine card succeeds.
    let mrz = genuine.persona().mrz_information().to_string();
    let (mut sm, dg14) = open(&mut genuine, &mrz);
    let mut new_sm = chip_authentication(&mut genuine, &mut sm, &dg14, 1);
    assert!(read_file(&mut genuine, &mut new_sm, FID_COM, 0xE0).is_ok());
}

#[test]
fn refusals() {
    let mut card = Card::new(Profile::Cccd, 5);
    let mrz = card.persona().mrz_information().to_string();
    let (mut sm, dg14) = open(&mut card, &mrz);
    let curve = &dg14.curve;

    // A public key off the curve: 6A80, and the BAC session goes on.
    let mut bad = dg14.pk_ic.clone();
    *bad.last_mut().unwrap() ^= 1;
    let apdu = sm.wrap(
        [0x00, 0x22, 0x41, 0xA4],
        &encode(Tag(0x80), &dg14.ca_oid),
        None,
        false,
    );
    assert_eq!(sm.unwrap(&card.process(&apdu)).1, 0x9000);
    let ga = encode(Tag(0x7C), &encode(Tag(0x80), &bad));
    let apdu = sm.wrap([0x00, 0x86, 0x00, 0x00], &ga, Some(256), false);
    assert_eq!(sm.unwrap(&card.process(&apdu)).1, 0x6A80);
    // A key of another curve (bp384) is not on bp256 either.
    let other = NamedCurve::BrainpoolP384r1.curve();
    let (_, pk) = other.generate_keypair(&mut SeededRandom::new(9)).unwrap();
    let apdu = sm.wrap(
        [0x00, 0x22, 0x41, 0xA4],
        &encode(Tag(0x80), &dg14.ca_oid),
        None,
        false,
    );
    assert_eq!(sm.unwrap(&card.process(&apdu)).1, 0x9000);
    let ga = encode(Tag(0x7C), &encode(Tag(0x80), &other.encode_point(&pk)));
    let apdu = sm.wrap([0x00, 0x86, 0x00, 0x00], &ga, Some(256), false);
    assert_eq!(sm.unwrap(&card.process(&apdu)).1, 0x6A80);
    // GENERAL AUTHENTICATE without MSE:Set AT first.
    let (_, pk) = curve.generate_keypair(&mut SeededRandom::new(9)).unwrap();
    let ga = encode(Tag(0x7C), &encode(Tag(0x80), &curve.encode_point(&pk)));
    let apdu = sm.wrap([0x00, 0x86, 0x00, 0x00], &ga, Some(256), false);
    assert_ne!(sm.unwrap(&card.process(&apdu)).1, 0x9000);
    // An AES card refuses 3DES (MSE:Set KAT) and protocols it does not list.
    let apdu = sm.wrap(
        [0x00, 0x22, 0x41, 0xA6],
        &encode(Tag(0x91), &curve.encode_point(&pk)),
        None,
        false,
    );
    assert_ne!(sm.unwrap(&card.process(&apdu)).1, 0x9000);
    let apdu = sm.wrap(
        [0x00, 0x22, 0x41, 0xA4],
        &encode(Tag(0x80), &oid_bytes("04007f00070202030204")),
        None,
        false,
    );
    assert_eq!(sm.unwrap(&card.process(&apdu)).1, 0x6A80);
    // A key reference the card does not have.
    let data = [encode(Tag(0x80), &dg14.ca_oid), encode(Tag(0x84), &[0x07])].concat();
    let apdu = sm.wrap([0x00, 0x22, 0x41, 0xA4], &data, None, false);
    assert_eq!(sm.unwrap(&card.process(&apdu)).1, 0x6A88);
    // The BAC session is still the one in use.
    let com = read_file(&mut card, &mut sm, FID_COM, 0xE0).unwrap();
    assert_eq!(com, card.files().content(FID_COM).unwrap());

    // Without secure messaging: 6982 (and the session ends, as for any plain command).
    let mut apdu = vec![0x00, 0x22, 0x41, 0xA4];
    let data = encode(Tag(0x80), &dg14.ca_oid);
    apdu.push(data.len() as u8);
    apdu.extend_from_slice(&data);
    assert_eq!(card.process(&apdu), vec![0x69, 0x87]);
    assert_eq!(card.process(&apdu), vec![0x69, 0x82]);
}

#[test]
fn cards_are_deterministic_per_seed() {
    let a = Card::new(Profile::Cccd, 77);
    let b = Card::new(Profile::Cccd, 77);
    let c = Card::new(Profile::Cccd, 78);
    let pk = |c: &Card| c.chip_authentication_key().encoded_public_key();
    assert_eq!(pk(&a), pk(&b));
    assert_ne!(pk(&a), pk(&c));
    assert_eq!(a.files().content(fid_dg(14)), b.files().content(fid_dg(14)));
}
