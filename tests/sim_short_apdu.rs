//! The simulated chip at the limits of short APDUs under secure messaging, checked with the
//! test-side secure messaging of `support/sim_reader.rs` (neither the simulator's nor the
//! library reader's): a protected answer never exceeds the outer Le (ISO/IEC 7816-4 §5.1: at
//! most Ne bytes come back), and a protected command without an outer Le is refused
//! (ICAO 9303-11 §9.8.4: its Le is `00`, or `0000` when extended).
#![cfg(all(feature = "sim", feature = "internals"))]

use crate::sim_reader as support;

use cccd::crypto::CipherAlg;
use cccd::sim::{Card, CardOptions, LeRefusal, Profile};
use support::{bac, send, sw, TestSm, AID};

/// DG2 by its short file identifier (P1 = 80 | 02): 256 bytes from offset 0.
const READ_DG2_SFI: [u8; 4] = [0x00, 0xB0, 0x82, 0x00];

/// A CCCD with the applet selected and a BAC session (3DES) open on both sides.
fn bac_card(options: CardOptions) -> (Card, TestSm) {
    let mut card = Card::with_options(Profile::Cccd, 31, options);
    let mrz = card.persona().mrz_information().to_string();
    assert_eq!(sw(&send(&mut card, AID)), 0x9000);
    let sm = bac(&mut card, &mrz).unwrap();
    (card, sm)
}

/// The same card with an AES-128 session installed directly (keys and SSC of our choosing).
fn aes_card(options: CardOptions) -> (Card, TestSm) {
    let mut card = Card::with_options(Profile::Cccd, 31, options);
    assert_eq!(sw(&send(&mut card, AID)), 0x9000);
    let sm = TestSm {
        alg: CipherAlg::Aes128,
        k_enc: (0u8..16).collect(),
        k_mac: (16u8..32).collect(),
        ssc: vec![0; 16],
    };
    assert!(card.install_session(sm.alg, &sm.k_enc, &sm.k_mac, &sm.ssc));
    (card, sm)
}

fn dg2(card: &Card) -> Vec<u8> {
    card.files().content(0x0102).unwrap().to_vec()
}

#[test]
fn short_read_of_256_bytes_gets_a_protected_6700() {
    for (name, (mut card, mut sm)) in [
        ("3DES", bac_card(CardOptions::default())),
        ("AES-128", aes_card(CardOptions::default())),
    ] {
        // Le 00 inside (DO'97' = 00: 256 bytes) and outside: the protected answer would take
        // 283 (3DES) or 291 (AES) bytes, more than a short response can carry.
        let apdu = sm.wrap(READ_DG2_SFI, &[], Some(256), false);
        assert_eq!(apdu.last(), Some(&0x00), "{name}: outer Le 00");
        let resp = card.process(&apdu);
        // DO'99' (4) + DO'8E' (10) + SW: an error protected as a chip protects one.
        assert_eq!(resp.len(), 16, "{name}");
        assert_eq!(sw(&resp), 0x6700, "{name}");
        assert_eq!(sm.unwrap(&resp), (vec![], 0x6700), "{name}");
        assert!(card.has_session(), "{name}: the session goes on");
    }
}

#[test]
fn the_largest_short_read_is_231_bytes_with_3des_and_223_with_aes() {
    for (name, (mut card, mut sm), fits) in [
        ("3DES", bac_card(CardOptions::default()), 231usize),
        ("AES-128", aes_card(CardOptions::default()), 223),
    ] {
        let file = dg2(&card);
        let apdu = sm.wrap(READ_DG2_SFI, &[], Some(fits), false);
        let resp = card.process(&apdu);
        assert!(resp.len() <= 256 + 2, "{name}: {} bytes", resp.len());
        assert_eq!(sm.unwrap(&resp), (file[..fits].to_vec(), 0x9000), "{name}");
        // One byte more no longer fits.
        let apdu = sm.wrap(READ_DG2_SFI, &[], Some(fits + 1), false);
        assert_eq!(sm.unwrap(&card.process(&apdu)), (vec![], 0x6700), "{name}");
        // Extended, the same 256 bytes come whole.
        let apdu = sm.wrap(READ_DG2_SFI, &[], Some(256), true);
        let resp = card.process(&apdu);
        assert!(resp.len() > 258, "{name}");
        assert_eq!(sm.unwrap(&resp), (file[..256].to_vec(), 0x9000), "{name}");
    }
}

#[test]
fn a_chip_that_names_the_length_answers_6cxx_protected() {
    let mut options = CardOptions::default();
    options.refusal = LeRefusal::CorrectLength;
    for (name, (mut card, mut sm), hint) in [
        ("3DES", bac_card(options.clone()), 0x6CE7u16),
        ("AES-128", aes_card(options.clone()), 0x6CDF),
    ] {
        let apdu = sm.wrap(READ_DG2_SFI, &[], Some(256), false);
        let resp = card.process(&apdu);
        assert_eq!(sw(&resp), hint, "{name}");
        assert_eq!(sm.unwrap(&resp), (vec![], hint), "{name}");
        // The hinted length then works.
        let le = usize::from(hint as u8);
        let apdu = sm.wrap(READ_DG2_SFI, &[], Some(le), false);
        let (data, status) = sm.unwrap(&card.process(&apdu));
        assert_eq!((data.len(), status), (le, 0x9000), "{name}");
    }
    // An answer that cannot be shortened (a 256-byte RSA signature) gets 6700, not a hint.
    use cccd::sim::keys::{ActiveAuthenticationKind, Iso9796Hash};
    options.active_authentication = ActiveAuthenticationKind::Rsa2048(Iso9796Hash::Sha256);
    let (mut card, mut sm) = bac_card(options);
    let apdu = sm.wrap([0x00, 0x88, 0x00, 0x00], &[0x5A; 8], Some(256), false);
    assert_eq!(sm.unwrap(&card.process(&apdu)), (vec![], 0x6700));
}

#[test]
fn outer_le_smaller_than_the_protected_answer() {
    let (mut card, mut sm) = bac_card(CardOptions::default());
    // Four plain bytes take 2 + 1 + 8 (DO'87') + 14 = 25 protected bytes: Le 18 is one short.
    let mut apdu = sm.wrap(READ_DG2_SFI, &[], Some(4), false);
    *apdu.last_mut().unwrap() = 0x18;
    let resp = card.process(&apdu);
    assert_eq!(sm.unwrap(&resp), (vec![], 0x6700));
    let mut apdu = sm.wrap(READ_DG2_SFI, &[], Some(4), false);
    *apdu.last_mut().unwrap() = 0x19;
    let (data, status) = sm.unwrap(&card.process(&apdu));
    assert_eq!((data, status), (dg2(&card)[..4].to_vec(), 0x9000));
    // Below 14 bytes not even a protected status fits: 6700 in clear, the session is gone.
    let mut apdu = sm.wrap(READ_DG2_SFI, &[], Some(4), false);
    *apdu.last_mut().unwrap() = 0x0D;
    assert_eq!(card.process(&apdu), vec![0x67, 0x00]);
    assert!(!card.has_session());
}

#[test]
fn protected_command_without_outer_le_is_refused_in_clear() {
    let (mut card, mut sm) = bac_card(CardOptions::default());
    // SELECT EF.COM, protected, then the outer Le byte removed (a case 3 command).
    let mut apdu = sm.wrap([0x00, 0xA4, 0x02, 0x0C], &[0x01, 0x1E], None, false);
    assert_eq!(apdu.pop(), Some(0x00));
    assert_eq!(card.process(&apdu), vec![0x67, 0x00]);
    assert!(!card.has_session());
    // Nothing protected is accepted afterwards.
    let apdu = sm.wrap(READ_DG2_SFI, &[], Some(4), false);
    assert_eq!(card.process(&apdu), vec![0x69, 0x88]);
}

#[test]
fn rsa_2048_active_authentication_needs_an_extended_le() {
    use cccd::sim::keys::{ActiveAuthenticationKind, Iso9796Hash};
    let mut options = CardOptions::default();
    options.active_authentication = ActiveAuthenticationKind::Rsa2048(Iso9796Hash::Sha256);
    let (mut card, mut sm) = bac_card(options);
    let challenge = [0x5A; 8];
    // A 256-byte signature protected takes 283 bytes: not over a short APDU.
    let apdu = sm.wrap([0x00, 0x88, 0x00, 0x00], &challenge, Some(256), false);
    assert_eq!(sm.unwrap(&card.process(&apdu)), (vec![], 0x6700));
    let apdu = sm.wrap([0x00, 0x88, 0x00, 0x00], &challenge, Some(256), true);
    let (signature, status) = sm.unwrap(&card.process(&apdu));
    assert_eq!((signature.len(), status), (256, 0x9000));
}

/// A reader that knows nothing of the card asks for 256 bytes at a time and steps down on
/// `6700`: the chip takes it through the whole of DG2 in 231-byte reads.
#[test]
fn a_naive_reader_steps_down_and_reads_dg2_whole() {
    let (mut card, mut sm) = bac_card(CardOptions::default());
    let file = dg2(&card);
    let apdu = sm.wrap([0x00, 0xA4, 0x02, 0x0C], &[0x01, 0x02], None, false);
    assert_eq!(sm.unwrap(&card.process(&apdu)).1, 0x9000);
    let mut out = Vec::new();
    let mut le = 256usize;
    let mut refusals = 0;
    while out.len() < file.len() {
        let offset = out.len();
        let want = le.min(file.len() - offset);
        let apdu = sm.wrap(
            [0x00, 0xB0, (offset >> 8) as u8, offset as u8],
            &[],
            Some(want),
            false,
        );
        let resp = card.process(&apdu);
        assert!(resp.len() <= 258);
        match sm.unwrap(&resp) {
            (data, 0x9000) => out.extend_from_slice(&data),
            (_, 0x6700) if le > 231 => {
                refusals += 1;
                le = 231;
            }
            (_, other) => panic!("{other:04X} at {offset}"),
        }
    }
    assert_eq!(out, file);
    assert_eq!(refusals, 1);
}
