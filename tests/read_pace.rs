//! The reader's PACE against the simulator's PACE (two independent implementations): every
//! standardized parameter set × mapping × cipher, with the CAN and with the MRZ, then secure
//! messaging; wrong passwords are refused with a typed error.
#![cfg(feature = "sim")]

use crate::parallel;

use cccd::access::AccessKey;
use cccd::document::AccessProtocol;
use cccd::reader::Reader;
use cccd::sim::{Card, CardOptions, PaceConfig, Profile, SimTransport};
use cccd::ElementaryFile;
use cccd::Error;

fn card(seed: u64, pace: Option<PaceConfig>) -> Card {
    let mut options = CardOptions::default();
    options.pace = pace;
    options.dg2_size = 2_000;
    Card::with_options(Profile::Cccd, seed, options)
}

fn mrz_key(card: &Card) -> AccessKey {
    let p = card.persona();
    AccessKey::from_id_and_dates(&p.id_number, &p.date_of_birth.yymmdd(), &p.mrz_expiry()).unwrap()
}

fn can_key(card: &Card) -> AccessKey {
    AccessKey::can_from_id(&card.persona().id_number).unwrap()
}

#[test]
fn every_parameter_set_mapping_and_cipher_with_can_and_mrz() {
    let configs = PaceConfig::all();
    // ICAO 9303-11 §4.4.3 and §9.5.1 (standardized domain parameters 0-2 and 8-18), each with
    // 3DES, AES-128, AES-192 and AES-256:
    // - the 3 MODP groups (0-2) with the Generic and the Integrated Mapping: 3 × 2 × 4 = 24;
    // - the 11 curves (8-18) with the Generic Mapping: 11 × 4 = 44;
    // - the Integrated Mapping's point encoding needs p ≡ 3 (mod 4), which every curve's
    //   prime is but NIST P-224's (2^224 − 2^96 + 1 ≡ 1): 10 × 4 = 40;
    // - Chip Authentication Mapping: ECDH with AES only: 11 × 3 = 33.
    assert_eq!(
        configs.len(),
        24 + 44 + 40 + 33,
        "{} configurations",
        configs.len()
    );
    parallel::on_every_core(&configs, |i, config| {
        for use_can in [true, false] {
            let card = card(i as u64, Some(*config));
            let key = if use_can {
                can_key(&card)
            } else {
                mrz_key(&card)
            };
            let com = card
                .files()
                .content(ElementaryFile::Com.fid())
                .unwrap()
                .to_vec();
            let mut session = Reader::new(SimTransport::new(card))
                .open(&key)
                .unwrap_or_else(|e| panic!("{config} can={use_can}: {e}"));
            let AccessProtocol::Pace {
                oid,
                name,
                parameter_id,
                password,
            } = session.protocol().clone()
            else {
                panic!("{config}: not PACE: {:?}", session.protocol());
            };
            // The protocol's OID is id-PACE (0.4.0.127.0.7.2.2.4) . {1 DH-GM, 2 ECDH-GM,
            // 3 DH-IM, 4 ECDH-IM, 6 ECDH-CAM} . {1 3DES, 2 AES-128, 3 AES-192, 4 AES-256}
            // (BSI TR-03110-3 A.1.1.1, ICAO 9303-11 §9.2.x); its name says the same, and is the
            // protocol the simulated chip was given.
            let arcs: Vec<&str> = oid.rsplitn(3, '.').collect();
            assert_eq!(arcs[2], "0.4.0.127.0.7.2.2.4", "{config}");
            let family = match arcs[1] {
                "1" => "DH-GM",
                "2" => "ECDH-GM",
                "3" => "DH-IM",
                "4" => "ECDH-IM",
                "6" => "ECDH-CAM",
                other => panic!("{config}: mapping arc {other}"),
            };
            let cipher = match arcs[0] {
                "1" => "3DES",
                "2" => "AES-128",
                "3" => "AES-192",
                "4" => "AES-256",
                other => panic!("{config}: cipher arc {other}"),
            };
            assert_eq!(name, format!("{family}-{cipher}"), "{config}");
            let given = config.to_string();
            let given = given.rsplit_once('-').unwrap().0;
            assert_eq!(name.to_lowercase().replace("aes-", "aes"), given);
            assert_eq!(parameter_id, config.parameter_id());
            let kind = if use_can { "CAN" } else { "MRZ" };
            assert_eq!(password.to_string(), kind);
            // What a log or the CLI prints of the protocol names all three.
            let printed = session.protocol().to_string();
            for part in [name.as_str(), &parameter_id.to_string(), kind] {
                assert!(printed.contains(part), "{printed}: {part}");
            }
            // Secure messaging under the PACE keys works.
            let read = session.read_file(ElementaryFile::Com, &mut |_| {}).unwrap();
            assert_eq!(read, com, "{config}");
        }
    });
}

#[test]
fn wrong_can_and_wrong_mrz_are_wrong_access_key() {
    for config in [
        PaceConfig::CCCD,
        "dh-gm-aes128-0".parse().unwrap(),
        "ecdh-im-aes256-17".parse().unwrap(),
    ] {
        let c = card(7, Some(config));
        let mut can = c.persona().id_number.clone();
        let last = can.pop().unwrap();
        can.push(if last == '0' { '1' } else { '0' });
        let key = AccessKey::can_from_id(&can).unwrap();
        assert_eq!(
            Reader::new(SimTransport::new(c)).open(&key).unwrap_err(),
            Error::WrongAccessKey,
            "{config}"
        );
        let c = card(8, Some(config));
        let other = card(9, None);
        let key = mrz_key(&other);
        assert_eq!(
            Reader::new(SimTransport::new(c)).open(&key).unwrap_err(),
            Error::WrongAccessKey,
            "{config}"
        );
    }
}

#[test]
fn card_without_pace_is_read_with_bac_and_refuses_a_can() {
    let c = card(10, None);
    let key = mrz_key(&c);
    let session = Reader::new(SimTransport::new(c)).open(&key).unwrap();
    assert_eq!(session.protocol(), &AccessProtocol::Bac);
    let c = card(10, None);
    let key = can_key(&c);
    assert!(matches!(
        Reader::new(SimTransport::new(c)).open(&key).unwrap_err(),
        Error::Unsupported(_)
    ));
}

#[test]
fn real_cccd_profile_is_opened_with_the_id_number_alone() {
    let c = Card::new(Profile::Cccd, 11);
    let id = c.persona().id_number.clone();
    let session = Reader::new(SimTransport::new(c))
        .open(&AccessKey::can_from_id(&id).unwrap())
        .unwrap();
    match session.protocol() {
        AccessProtocol::Pace {
            name, parameter_id, ..
        } => {
            assert_eq!(name, "ECDH-GM-AES-128");
            assert_eq!(*parameter_id, 13);
        }
        other => panic!("{other:?}"),
    }
}
