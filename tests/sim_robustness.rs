//! The simulated card never panics and always answers with a status word, and every error
//! status it can give is reached by a test.
#![cfg(all(feature = "sim", feature = "internals"))]

use crate::sim_reader as support;

use cccd::crypto::rng::SeededRandom;
use cccd::sim::{Card, CardOptions, Profile};
use support::{bac, send, sw, AID};

/// Valid commands to garble.
const TEMPLATES: &[&str] = &[
    "00A4040C07A0000002471001",
    "00A4020C02011C",
    "00A4020C02011E",
    "00B09C0000",
    "00B0000004",
    "00B0810000",
    "00B1000003540100FF",
    "0084000008",
    "0082000028000000000000000000000000000000000000000000000000000000000000000000000000000028",
    "0CB000000D9701048E08ED6705417E96BA5500",
    "0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800",
    "00B0000000FFFF",
];

#[test]
fn ten_thousand_garbled_apdus_never_panic() {
    let mut rng = SeededRandom::new(0x5EED);
    let mut card = Card::new(Profile::Cccd, 99);
    let mrz = card.persona().mrz_information();
    let mut statuses = std::collections::BTreeSet::new();
    for i in 0..10_000u32 {
        // Every 500 APDUs, open a real session so the SM paths see garbage too.
        if i % 500 == 0 {
            card.reset();
            send(&mut card, AID);
            let _ = bac(&mut card, &mrz);
        }
        let apdu = match rng.below(3) {
            0 => {
                let len = rng.below(300) as usize;
                rng.bytes(len)
            }
            _ => {
                let t = TEMPLATES[rng.below(TEMPLATES.len() as u64) as usize];
                let mut a = hex::decode(t).unwrap();
                for _ in 0..=rng.below(3) {
                    match rng.below(4) {
                        0 if !a.is_empty() => {
                            let at = rng.below(a.len() as u64) as usize;
                            a[at] ^= 1 << rng.below(8);
                        }
                        1 if !a.is_empty() => {
                            let at = rng.below(a.len() as u64) as usize;
                            a.truncate(at);
                        }
                        2 => {
                            let n = rng.below(8) as usize;
                            a.extend(rng.bytes(n));
                        }
                        _ => {
                            if a.len() > 4 {
                                let at = 4 + rng.below(a.len() as u64 - 4) as usize;
                                a[at] = rng.bytes(1)[0];
                            }
                        }
                    }
                }
                a
            }
        };
        let r = card.process(&apdu);
        assert!(r.len() >= 2, "APDU {} got {:02X?}", hex::encode(&apdu), r);
        statuses.insert(sw(&r));
    }
    // The garbage reached deep into the dispatcher, not just the parser.
    for expected in [0x9000, 0x6700, 0x6A86, 0x6D00, 0x6E00, 0x6988] {
        assert!(statuses.contains(&expected), "{expected:04X} never seen");
    }
}

#[test]
fn every_error_status() {
    let mut card = Card::new(Profile::Cccd, 3);
    // 6700: malformed APDU, bad lengths.
    assert_eq!(send(&mut card, "00A4"), vec![0x67, 0x00]);
    assert_eq!(send(&mut card, "00A4040C07A00000"), vec![0x67, 0x00]);
    assert_eq!(send(&mut card, "0084000004"), vec![0x67, 0x00]);
    assert_eq!(send(&mut card, "00A4020C03011E00"), vec![0x67, 0x00]);
    assert_eq!(send(&mut card, "00B09C00"), vec![0x67, 0x00]);
    // 6D00: SELECT MF like the real card, unknown INS.
    assert_eq!(send(&mut card, "00A4000C023F00"), vec![0x6D, 0x00]);
    // (MSE `22` is implemented since Chip Authentication: ERASE BINARY `0E` is not.)
    assert_eq!(send(&mut card, "000E0000"), vec![0x6D, 0x00]);
    // 6E00: class not supported.
    assert_eq!(send(&mut card, "80CA9F7F00"), vec![0x6E, 0x00]);
    // 6A86: P1-P2.
    assert_eq!(send(&mut card, "00A4010C023F00"), vec![0x6A, 0x86]);
    assert_eq!(send(&mut card, "0084010008"), vec![0x6A, 0x86]);
    assert_eq!(send(&mut card, "00B0E00000"), vec![0x6A, 0x86]);
    // 6A82: unknown AID, unknown FID, DG1 before the applet, unknown SFI.
    assert_eq!(
        send(&mut card, "00A4040C07A0000002471002"),
        vec![0x6A, 0x82]
    );
    assert_eq!(send(&mut card, "00A4020C020101"), vec![0x6A, 0x82]);
    assert_eq!(send(&mut card, "00B0810000"), vec![0x6A, 0x82]);
    // 6986: READ BINARY with no current EF.
    assert_eq!(send(&mut card, "00B0000004"), vec![0x69, 0x86]);
    // 6985: EXTERNAL AUTHENTICATE without the applet / without a challenge.
    let ea = format!("0082000028{}28", "00".repeat(40));
    assert_eq!(send(&mut card, &ea), vec![0x69, 0x85]);
    assert_eq!(send(&mut card, AID), vec![0x90, 0x00]);
    assert_eq!(send(&mut card, &ea), vec![0x69, 0x85]);
    // 6300: wrong key.
    assert_eq!(sw(&send(&mut card, "0084000008")), 0x9000);
    assert_eq!(send(&mut card, &ea), vec![0x63, 0x00]);
    // 6982: DG1 without SM, DG3 never.
    assert_eq!(send(&mut card, "00B0810000"), vec![0x69, 0x82]);
    assert_eq!(send(&mut card, "00B0830000"), vec![0x69, 0x82]);
    // EF.CardAccess is free: SFI read, then 6B00 past its end, 9000 with what remains.
    let r = send(&mut card, "00B09C0000");
    assert_eq!(r.len(), 54 + 2);
    assert_eq!(send(&mut card, "00B0003600"), vec![0x6B, 0x00]);
    let r = send(&mut card, "00B0003000");
    assert_eq!(r.len(), 6 + 2);
    assert_eq!(sw(&r), 0x9000);
    // 6A80: odd READ BINARY with a malformed offset object.
    assert_eq!(send(&mut card, "00B10000035501000A"), vec![0x6A, 0x80]);
    let r = send(&mut card, "00B100000354010A08");
    assert_eq!(
        r,
        [vec![0x53, 0x08], r[2..10].to_vec(), vec![0x90, 0x00]].concat()
    );
    // 6988: protected command without a session; 6987 and 6988 with one: see sim_bac.rs.
    assert_eq!(
        send(&mut card, "0CB000000D9701048E08ED6705417E96BA5500"),
        vec![0x69, 0x88]
    );
}

#[test]
fn ef_card_access_before_the_applet() {
    let mut card = Card::new(Profile::Cccd, 8);
    let real = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/test-data/vn/EF_CardAccess.bin"
    ))
    .unwrap();
    let r = send(&mut card, "00B09C0000");
    assert_eq!(&r[..r.len() - 2], &real[..]);
    // And by SELECT + READ BINARY.
    assert_eq!(send(&mut card, "00A4020C02011C"), vec![0x90, 0x00]);
    let r = send(&mut card, "00B0000000");
    assert_eq!(&r[..r.len() - 2], &real[..]);
    // COM is not in the master file.
    assert_eq!(send(&mut card, "00A4020C02011E"), vec![0x6A, 0x82]);
}

#[test]
fn le_limits() {
    let mut options = CardOptions::default();
    options.max_le = Some(0xDF);
    options.extended_length = false;
    let mut card = Card::with_options(Profile::Cccd, 4, options);
    assert_eq!(send(&mut card, "00B09C00E0"), vec![0x67, 0x00]);
    assert_eq!(sw(&send(&mut card, "00B09C00DF")), 0x9000);
    assert_eq!(send(&mut card, "00B09C00000100"), vec![0x67, 0x00]);

    let mut card = Card::new(Profile::Cccd, 4);
    // Extended Le 0000 = 65536: the whole rest of the file.
    let r = send(&mut card, "00B09C00000000");
    assert_eq!(r.len(), 54 + 2);
    // Short Le 00 = 256.
    let r = send(&mut card, "00B09C0000");
    assert_eq!(r.len(), 54 + 2);
}

#[test]
fn sim_transport_counts_and_reconnects() {
    use cccd::sim::SimTransport;
    use cccd::transport::Transport;
    let mut card = Card::new(Profile::Cccd, 6);
    let mrz = card.persona().mrz_information();
    send(&mut card, AID);
    bac(&mut card, &mrz).unwrap();
    let mut t = SimTransport::new(card);
    assert!(t.card().has_session());
    t.reconnect().unwrap();
    assert!(!t.card().has_session());
    assert_eq!(
        t.transmit(&hex::decode("00B0810000").unwrap()).unwrap(),
        vec![0x6A, 0x82]
    );
    assert_eq!(t.apdu_count(), 1);
    assert!(t.supports_extended_length());
}

#[test]
fn card_and_transport_are_send() {
    fn assert_send<T: Send>() {}
    assert_send::<Card>();
    assert_send::<cccd::sim::SimTransport>();
}
