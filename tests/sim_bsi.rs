//! The `bsi` simulator profile serves the BSI TR-03105-5 reference data set byte for byte
//! (compared with ../shared/test-data/bsi-tr03105-5/), by BAC with the MRZ of its own DG1;
//! DG3 and DG4 need EAC (`6982`); there is no EF.CardAccess. One change: its EF.COM also lists
//! DG15, which the data set holds but its EF.COM leaves out.
#![cfg(all(feature = "sim", feature = "internals"))]

use crate::sim_reader as support;

use cccd::sim::fs::{fid_dg, FID_CARD_ACCESS, FID_COM, FID_SOD};
use cccd::sim::{bsi, Card, Profile};
use support::{bac, read_file, send, sw, AID};

fn shared(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../shared/test-data/bsi-tr03105-5/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The MRZ information of the shared DG1's TD3 MRZ (line 2: document number + check, birth
/// date + check, expiry date + check), extracted here on its own.
fn mrz_information_of_shared_dg1() -> String {
    let dg1 = shared("Datagroup1.bin");
    // 61 5B 5F1F 58 <88 characters>
    assert_eq!(&dg1[..5], &[0x61, 0x5B, 0x5F, 0x1F, 0x58]);
    let line2 = std::str::from_utf8(&dg1[5 + 44..]).unwrap();
    [&line2[0..10], &line2[13..20], &line2[21..28]].concat()
}

const FILES: [(u16, &str); 5] = [
    (0x0101, "Datagroup1.bin"),
    (0x0102, "Datagroup2.bin"),
    (0x010E, "Datagroup14.bin"),
    (0x010F, "Datagroup15.bin"),
    (FID_SOD, "EF_SOD.bin"),
];

#[test]
fn profile_name() {
    let p: Profile = "bsi".parse().unwrap();
    assert_eq!(p, Profile::Bsi);
    assert_eq!(p.to_string(), "bsi");
    assert_eq!("cccd-clone".parse::<Profile>().unwrap(), Profile::CccdClone);
    assert_eq!(Profile::CccdClone.to_string(), "cccd-clone");
    assert!("bs1".parse::<Profile>().is_err());
    assert_eq!("passport".parse::<Profile>().unwrap(), Profile::Passport);
    assert_eq!(Profile::Passport.to_string(), "passport");
}

#[test]
fn compiled_in_copies_equal_the_shared_files() {
    for (name, bytes) in [
        ("EF_COM.bin", bsi::EF_COM),
        ("Datagroup1.bin", bsi::DG1),
        ("Datagroup2.bin", bsi::DG2),
        ("Datagroup3.bin", bsi::DG3),
        ("Datagroup4.bin", bsi::DG4),
        ("Datagroup14.bin", bsi::DG14),
        ("Datagroup15.bin", bsi::DG15),
        ("EF_SOD.bin", bsi::EF_SOD),
    ] {
        assert_eq!(bytes, shared(name).as_slice(), "{name}");
    }
    for name in [
        "DG14_pk.bin",
        "DG14_sk.pkcs8",
        "DG15_pk.bin",
        "DG15_sk.pkcs8",
    ] {
        let copy = std::fs::read(format!(
            "{}/test-vectors/bsi-tr03105-5/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        assert_eq!(copy, shared(name), "{name}");
    }
}

#[test]
fn serves_every_file_byte_identical() {
    let mrz = mrz_information_of_shared_dg1();
    assert_eq!(mrz, "C11T002JM496081222310314");
    assert_eq!(bsi::mrz_information().unwrap().as_str(), mrz);

    let mut card = Card::new(Profile::Bsi, 0);
    // BAC only: no EF.CardAccess.
    assert_eq!(
        card.process(&[0x00, 0xB0, 0x9C, 0x00, 0x00]),
        vec![0x6A, 0x82]
    );
    assert!(card.files().get(FID_CARD_ACCESS).is_none());
    assert_eq!(sw(&send(&mut card, AID)), 0x9000);
    let mut sm = bac(&mut card, &mrz).unwrap();
    for chunk in [0x20, 0xDF, 0x400] {
        for (fid, name) in FILES {
            let read = read_file(&mut card, &mut sm, fid, chunk).unwrap();
            assert_eq!(read, shared(name), "{name} in {chunk}-byte reads");
        }
    }
    // EF.COM lists DG1, DG2, DG3, DG4, DG14 and DG15; its other bytes are the data set's.
    let com = read_file(&mut card, &mut sm, FID_COM, 0xE0).unwrap();
    let specimen = shared("EF_COM.bin");
    assert!(specimen.ends_with(&[0x5C, 0x05, 0x61, 0x75, 0x63, 0x76, 0x6E]));
    assert_eq!(
        com,
        [
            &[0x60, specimen[1] + 1][..],
            &specimen[2..specimen.len() - 7],
            &[0x5C, 0x06, 0x61, 0x75, 0x63, 0x76, 0x6E, 0x6F],
        ]
        .concat()
    );
    // DG3 and DG4 need EAC.
    for n in [3, 4] {
        assert_eq!(
            read_file(&mut card, &mut sm, fid_dg(n), 0xE0),
            Err(0x6982),
            "DG{n}"
        );
    }
    // The session survives the refusals.
    assert!(read_file(&mut card, &mut sm, fid_dg(1), 0xE0).is_ok());
}

#[test]
fn wrong_mrz_is_refused() {
    let mut card = Card::new(Profile::Bsi, 0);
    assert_eq!(sw(&send(&mut card, AID)), 0x9000);
    // The persona of seed 0 is not the specimen: its MRZ opens nothing.
    let persona_mrz = card.persona().mrz_information().to_string();
    assert_eq!(bac(&mut card, &persona_mrz).err(), Some(0x6300));
}

#[test]
fn the_card_tells_its_own_bac_key() {
    let card = Card::new(Profile::Bsi, 0);
    assert_eq!(
        card.mrz_information().as_str(),
        mrz_information_of_shared_dg1()
    );
    let cccd = Card::new(Profile::Cccd, 4);
    assert_eq!(cccd.mrz_information(), cccd.persona().mrz_information());
}
