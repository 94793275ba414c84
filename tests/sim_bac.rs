//! The simulator's card-side BAC and secure messaging against ICAO 9303-11 Appendix D, byte
//! for byte, and the SM error behaviour (the card drops its keys).
#![cfg(all(feature = "sim", feature = "internals"))]

use crate::sim_reader as support;

use cccd::crypto::rng::FixedRandom;
use cccd::crypto::CipherAlg;
use cccd::sim::fs::FID_COM;
use cccd::sim::{Card, Profile};
use serde_json::Value;
use support::{bac, send, sw, TestSm, AID};

fn vectors() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/test-vectors/sim-icao9303-11-appendix-d.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn hexv(v: &Value, key: &str) -> Vec<u8> {
    hex::decode(v[key]["hex"].as_str().unwrap()).unwrap()
}

/// A card replaying the Appendix D chip: its RND.IC and K.IC, the specimen MRZ key, and the
/// example's EF.COM.
fn appendix_d_card(v: &Value) -> Card {
    let random = [hexv(v, "rnd_ic"), hexv(v, "k_ic")].concat();
    let mut card = Card::new(Profile::Cccd, 0)
        .with_random(Box::new(FixedRandom::new(random)))
        .with_mrz_information(v["mrz_information"]["value"].as_str().unwrap());
    card.files_mut().get_mut(FID_COM).unwrap().content = hexv(v, "ef_com");
    card
}

#[test]
fn appendix_d_byte_for_byte() {
    let v = vectors();
    let mut card = appendix_d_card(&v);
    assert_eq!(send(&mut card, AID), vec![0x90, 0x00]);

    let r = send(&mut card, "0084000008");
    assert_eq!(r, [hexv(&v, "rnd_ic"), vec![0x90, 0x00]].concat());

    let mut ea = hex::decode("0082000028").unwrap();
    ea.extend_from_slice(&hexv(&v, "external_authenticate_data"));
    ea.push(0x28);
    let r = card.process(&ea);
    assert_eq!(
        hex::encode_upper(&r),
        hex::encode_upper([hexv(&v, "external_authenticate_response"), vec![0x90, 0x00]].concat())
    );
    assert!(card.has_session());

    for ex in v["protected_exchanges"].as_array().unwrap() {
        let r = send(&mut card, ex["command"].as_str().unwrap());
        assert_eq!(
            hex::encode_upper(r),
            ex["response"].as_str().unwrap(),
            "{}",
            ex["comment"]
        );
    }
}

#[test]
fn wrong_mrz_key_gives_6300_and_no_session() {
    let v = vectors();
    let mut card = appendix_d_card(&v).with_mrz_information("L898902C<369080619406237");
    send(&mut card, AID);
    send(&mut card, "0084000008");
    let mut ea = hex::decode("0082000028").unwrap();
    ea.extend_from_slice(&hexv(&v, "external_authenticate_data"));
    ea.push(0x28);
    assert_eq!(card.process(&ea), vec![0x63, 0x00]);
    assert!(!card.has_session());
    // The challenge was used up: a replay is refused.
    assert_eq!(sw(&card.process(&ea)), 0x6985);
    // Protected commands without a session are refused.
    let r = send(
        &mut card,
        "0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800",
    );
    assert_eq!(r, vec![0x69, 0x88]);
}

#[test]
fn bac_with_the_persona_key_reads_dg1() {
    let mut card = Card::new(Profile::Cccd, 5);
    let mrz = card.persona().mrz_information();
    send(&mut card, AID);
    let mut sm = bac(&mut card, &mrz).unwrap();
    let dg1 = support::read_file(&mut card, &mut sm, 0x0101, 0xDF).unwrap();
    assert_eq!(dg1, card.files().content(0x0101).unwrap());
    let expected: String = card.persona().mrz().concat();
    assert_eq!(&dg1[5..], expected.as_bytes());
}

/// After an SM error the card has forgotten its keys: even a correct next command fails.
fn assert_session_dropped(card: &mut Card, sm: &mut TestSm) {
    assert!(!card.has_session());
    let apdu = sm.wrap([0, 0xA4, 0x02, 0x0C], &[0x01, 0x1E], None, false);
    assert_eq!(card.process(&apdu), vec![0x69, 0x88]);
}

fn open(seed: u64) -> (Card, TestSm) {
    let mut card = Card::new(Profile::Cccd, seed);
    let mrz = card.persona().mrz_information();
    send(&mut card, AID);
    let sm = bac(&mut card, &mrz).unwrap();
    (card, sm)
}

#[test]
fn bad_mac_gives_6988_and_drops_the_keys() {
    let (mut card, mut sm) = open(11);
    let mut apdu = sm.wrap([0, 0xA4, 0x02, 0x0C], &[0x01, 0x1E], None, false);
    let n = apdu.len();
    apdu[n - 2] ^= 0x01; // last MAC byte
    assert_eq!(card.process(&apdu), vec![0x69, 0x88]);
    assert_session_dropped(&mut card, &mut sm);
}

#[test]
fn missing_mac_gives_6987_and_drops_the_keys() {
    let (mut card, mut sm) = open(12);
    // DO97 only, no DO8E.
    assert_eq!(send(&mut card, "0CB000000397010400"), vec![0x69, 0x87]);
    assert_session_dropped(&mut card, &mut sm);
}

#[test]
fn plain_command_during_session_gives_6987_and_drops_the_keys() {
    let (mut card, mut sm) = open(13);
    assert_eq!(send(&mut card, "00A4020C02011E"), vec![0x69, 0x87]);
    assert_session_dropped(&mut card, &mut sm);
}

#[test]
fn replayed_command_fails_the_mac() {
    let (mut card, mut sm) = open(14);
    let apdu = sm.wrap([0, 0xA4, 0x02, 0x0C], &[0x01, 0x1E], None, false);
    let r = card.process(&apdu);
    assert_eq!(sm.unwrap(&r).1, 0x9000);
    assert_eq!(card.process(&apdu), vec![0x69, 0x88]);
}

#[test]
fn errors_under_sm_are_protected() {
    let (mut card, mut sm) = open(15);
    // DG3 needs EAC: 6982 inside a protected response.
    let apdu = sm.wrap([0, 0xA4, 0x02, 0x0C], &[0x01, 0x03], None, false);
    assert_eq!(sm.unwrap(&card.process(&apdu)).1, 0x9000);
    let apdu = sm.wrap([0, 0xB0, 0, 0], &[], Some(4), false);
    let r = card.process(&apdu);
    assert_eq!(sw(&r), 0x6982);
    assert_eq!(sm.unwrap(&r), (vec![], 0x6982));
    // DG11 is absent.
    let apdu = sm.wrap([0, 0xA4, 0x02, 0x0C], &[0x01, 0x0B], None, false);
    assert_eq!(sm.unwrap(&card.process(&apdu)).1, 0x6A82);
    assert!(card.has_session());
}

#[test]
fn aes_session_with_extended_reads() {
    let mut card = Card::new(Profile::Cccd, 21);
    let k_enc = hex::decode("F5F0E35C0D7161EE6724EE513A0D9A7F").unwrap();
    let k_mac = hex::decode("FE251C7858B356B24514B3BD5F4297D1").unwrap();
    send(&mut card, AID);
    assert!(card.install_session(CipherAlg::Aes128, &k_enc, &k_mac, &[0; 16]));
    let mut sm = TestSm {
        alg: CipherAlg::Aes128,
        k_enc,
        k_mac,
        ssc: vec![0; 16],
    };
    let dg2 = support::read_file(&mut card, &mut sm, 0x0102, 0x1000).unwrap();
    assert_eq!(dg2, card.files().content(0x0102).unwrap());
    // 223 bytes: the most a short response carries under AES (224 would need 258 bytes).
    let dg13 = support::read_file(&mut card, &mut sm, 0x010D, 0xDF).unwrap();
    assert_eq!(dg13, card.files().content(0x010D).unwrap());
    assert_eq!(
        support::read_file(&mut card, &mut sm, 0x010D, 0xE0),
        Err(0x6700)
    );
    // Wrong SSC length for AES is refused.
    assert!(!card.install_session(CipherAlg::Aes128, &[0; 16], &[0; 16], &[0; 8]));
}

#[test]
fn large_dg2_needs_odd_read_binary() {
    let mut options = cccd::sim::CardOptions::default();
    options.dg2_size = 40_000;
    let mut card = Card::with_options(Profile::Cccd, 22, options);
    let mrz = card.persona().mrz_information();
    send(&mut card, AID);
    let mut sm = bac(&mut card, &mrz).unwrap();
    let dg2 = support::read_file(&mut card, &mut sm, 0x0102, 0xE0).unwrap();
    assert_eq!(dg2.len(), 40_000);
    assert_eq!(dg2, card.files().content(0x0102).unwrap());
}
