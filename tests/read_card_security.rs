//! EF.CardSecurity end to end (issue #10 items 2 and 8): a PACE-CAM chip serves it from the
//! master file (FID 011D, SFI 1D, as EF.SOD in the application), the reader reads it right
//! after PACE and judges PACE-CAM against its key, the document carries it, the verdict
//! verifies it like the SOD, and its proven PACEInfos join DG14's in the downgrade check. A
//! chip that neither needs nor announces it (the real CCCD) is never asked for it.
#![cfg(all(feature = "sim", feature = "internals"))]

use cccd::access::key::MrzKey;
use cccd::access::AccessKey;
use cccd::document::{
    AccessProtocol, ChipAuthMethod, ChipAuthRun, ChipAuthVerdict, Document, FileRecord, FileStatus,
    Finding, Verification,
};
use cccd::files::ElementaryFile;
use cccd::reader::{ReadOptions, Reader};
use cccd::sim::{Card, CardOptions, Faults, Mapping, PaceConfig, Profile, SimTransport};
use cccd::verify::{verify_card_security, PaOptions, TrustStore};

fn trust() -> TrustStore {
    let mut t = TrustStore::new();
    t.add_certificate_der(cccd::sim::sod::csca_certificate().unwrap())
        .unwrap();
    t
}

fn pace_cam() -> PaceConfig {
    PaceConfig::new(
        13,
        Mapping::ChipAuthentication,
        cccd::crypto::CipherAlg::Aes128,
    )
    .unwrap()
}

fn cam_card(seed: u64) -> Card {
    let mut options = CardOptions::default();
    options.pace = Some(pace_cam());
    Card::with_options(Profile::Cccd, seed, options)
}

fn mrz_key(card: &Card) -> AccessKey {
    let info = card.mrz_information();
    AccessKey::Mrz(
        MrzKey::new(
            info[0..9].trim_end_matches('<'),
            &info[10..16],
            &info[17..23],
        )
        .unwrap(),
    )
}

fn codes(v: &Verification) -> Vec<&'static str> {
    v.findings.iter().map(Finding::code).collect()
}

/// Reads `card` and returns the document and the names of the session's phases.
fn read(card: Card, key: &AccessKey, faults: Faults) -> (Document, Vec<String>) {
    let mut session = Reader::new(SimTransport::with_faults(card, faults))
        .open(key)
        .unwrap();
    let doc = session
        .read_document(&ReadOptions::default(), &mut |_| {})
        .unwrap();
    let phases = session.phases().iter().map(|p| p.name.clone()).collect();
    (doc, phases)
}

#[test]
fn the_simulator_tells_the_master_file_from_the_application() {
    let card = cam_card(21);
    let files = card.files();
    let cs = files
        .get_in(cccd::sim::fs::Location::MasterFile, 0x011D)
        .expect("EF.CardSecurity in the MF");
    let sod = files
        .get_in(cccd::sim::fs::Location::Applet, 0x011D)
        .expect("EF.SOD in the application");
    assert_eq!(cs.sfi, Some(0x1D));
    assert_eq!(sod.sfi, Some(0x1D));
    // EF.CardSecurity is a ContentInfo (tag 30), EF.SOD is wrapped in tag 77.
    assert_eq!(cs.content.first(), Some(&0x30));
    assert_eq!(sod.content.first(), Some(&0x77));
    // And it verifies on its own against the simulator's CSCA.
    let report = verify_card_security(&cs.content, &trust(), &PaOptions::default());
    assert!(report.is_valid(), "{report:?}");
    // The default CCCD (PACE Generic Mapping) has none.
    let cccd = Card::new(Profile::Cccd, 21);
    assert!(cccd
        .files()
        .get_in(cccd::sim::fs::Location::MasterFile, 0x011D)
        .is_none());
}

#[test]
fn pace_cam_reads_card_security_and_proves_the_chip_with_its_key() {
    let card = cam_card(22);
    let expected = card
        .files()
        .content_in(cccd::sim::fs::Location::MasterFile, 0x011D)
        .unwrap()
        .to_vec();
    let key = AccessKey::can_from_id(&card.persona().id_number).unwrap();
    let (doc, phases) = read(card, &key, Faults::none());
    assert!(
        matches!(&doc.access, AccessProtocol::Pace { name, .. } if name == "ECDH-CAM-AES-128"),
        "{:?}",
        doc.access
    );
    // Read once, in the master file, before the application's EF.SOD (same FID and SFI).
    assert_eq!(
        doc.raw(ElementaryFile::CardSecurity),
        Some(expected.as_slice())
    );
    assert_ne!(
        doc.raw(ElementaryFile::CardSecurity),
        doc.raw(ElementaryFile::Sod)
    );
    assert_eq!(phases.iter().filter(|p| *p == "CardSecurity").count(), 1);
    assert_eq!(
        doc.chip_authentication_run,
        ChipAuthRun::Completed {
            method: ChipAuthMethod::PaceCamCardSecurity
        }
    );
    // No separate Chip Authentication: PACE-CAM already proved the key.
    assert!(!phases.iter().any(|p| p == "Chip Authentication"));
    let v = doc.verify(&trust(), &PaOptions::default());
    assert!(v.genuine, "{:?}", codes(&v));
    assert_eq!(v.chip_authentication, ChipAuthVerdict::Trusted);
    assert!(v.card_security.as_ref().is_some_and(|r| r.is_valid()));
}

#[test]
fn a_chip_that_does_not_announce_card_security_gets_no_extra_apdu() {
    // The real CCCD's EF.CardAccess: TA v1, CA v1 (both for the eMRTD application), PACE-GM.
    let card = Card::new(Profile::Cccd, 23);
    let key = AccessKey::can_from_id(&card.persona().id_number).unwrap();
    let (doc, phases) = read(card, &key, Faults::none());
    assert!(!phases.iter().any(|p| p == "CardSecurity"), "{phases:?}");
    assert_eq!(doc.status(ElementaryFile::CardSecurity), None);
    let v = doc.verify(&trust(), &PaOptions::default());
    assert!(v.genuine, "{:?}", codes(&v));
    assert!(v.card_security.is_none());
}

/// A man in the middle hides EF.CardAccess of the PACE-CAM chip: the reader, holding the MRZ,
/// runs BAC, cannot read EF.CardSecurity (PACE only), and the proven DG14's PACEInfos make the
/// session a downgrade.
#[test]
fn hiding_card_access_of_a_pace_cam_chip_is_a_downgrade() {
    let card = cam_card(24);
    let key = mrz_key(&card);
    let (doc, phases) = read(card, &key, Faults::none().hide_card_access());
    assert_eq!(doc.access, AccessProtocol::Bac);
    assert!(!phases.iter().any(|p| p == "CardSecurity"));
    let v = doc.verify(&trust(), &PaOptions::default());
    assert!(!v.genuine);
    assert!(v.data_authentic, "the data is still proven by the SOD");
    assert!(
        v.findings.contains(&Finding::BacOnPaceChip),
        "{:?}",
        codes(&v)
    );
    // Without the man in the middle: PACE-CAM, genuine.
    let card = cam_card(24);
    let key = mrz_key(&card);
    let (doc, _) = read(card, &key, Faults::none());
    assert!(doc.verify(&trust(), &PaOptions::default()).genuine);
}

/// The files of a PACE-CAM chip whose DG14 lists no PACEInfo (re-signed by the simulator's
/// Document Signer): only the proven EF.CardSecurity says the chip does PACE, and it must be
/// enough to catch a BAC session and an EF.CardAccess that hides PACE-CAM.
#[test]
fn card_security_pace_infos_join_dg14_in_the_downgrade_check() {
    let card = cam_card(25);
    let key = AccessKey::can_from_id(&card.persona().id_number).unwrap();
    let keys = card.keys().clone();
    let (doc, _) = read(card, &key, Faults::none());
    let card_access = doc.raw(ElementaryFile::CardAccess).unwrap().to_vec();
    // DG14 without PACEInfos: TA and CA infos only, the chip's keys.
    let set = cccd::tlv::parse_single(&card_access).unwrap();
    let no_pace: Vec<u8> = set
        .children()
        .map(Result::unwrap)
        .filter(|info| {
            let oid = info.children().next().unwrap().unwrap();
            !oid.value
                .starts_with(&[0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x04])
        })
        .flat_map(|t| t.raw.to_vec())
        .collect();
    let no_pace = cccd::tlv::encode(cccd::tlv::Tag(0x31), &no_pace);
    let dg14 = cccd::sim::files::dg14(
        &no_pace,
        &keys.chip_authentication,
        &keys.active_authentication,
    );
    let mut groups = doc.data_groups();
    groups.insert(14, dg14.clone());
    let sod = cccd::sim::sod::country_pki()
        .unwrap()
        .issue_sod(&groups)
        .unwrap();
    // EF.COM lists exactly the re-signed groups (the chip's also lists groups this read
    // left unread, which the re-signed SOD no longer signs).
    let tags: Vec<u8> = groups
        .values()
        .filter_map(|raw| raw.first().copied())
        .collect();
    let com = cccd::sim::files::ef_com(&tags);
    let records = |card_access: Vec<u8>| -> Vec<FileRecord> {
        let mut out = vec![
            FileRecord::read(ElementaryFile::CardAccess, card_access),
            FileRecord::read(
                ElementaryFile::CardSecurity,
                doc.raw(ElementaryFile::CardSecurity).unwrap().to_vec(),
            ),
            FileRecord::read(ElementaryFile::Com, com.clone()),
            FileRecord::read(ElementaryFile::Sod, sod.clone()),
        ];
        for (n, raw) in &groups {
            out.push(FileRecord::read(ElementaryFile::Dg(*n), raw.clone()));
        }
        out
    };
    let verify = |access: AccessProtocol, card_access: Vec<u8>| {
        let mut d = Document::from_records(access, records(card_access)).unwrap();
        d.chip_authentication_run = doc.chip_authentication_run.clone();
        d.verify(&trust(), &PaOptions::default())
    };
    // As read: genuine, DG14 proves no PACE but EF.CardSecurity does.
    let pace = doc.access.clone();
    let v = verify(pace.clone(), card_access.clone());
    assert!(v.genuine, "{:?}", codes(&v));
    // A BAC session on this chip is a downgrade, on EF.CardSecurity's word alone.
    let v = verify(AccessProtocol::Bac, card_access.clone());
    assert!(
        v.findings.contains(&Finding::BacOnPaceChip),
        "{:?}",
        codes(&v)
    );
    // An EF.CardAccess without its PACE-CAM PACEInfo (forcing Generic Mapping) is caught.
    let gm_only = cccd::sim::card_access::encode(&PaceConfig::CCCD);
    let v = verify(pace, gm_only);
    assert!(
        v.findings.contains(&Finding::CardAccessMismatch),
        "{:?}",
        codes(&v)
    );
    // EF.CardSecurity still holds everything this EF.CardAccess lists.
    assert!(!v.findings.contains(&Finding::CardSecurityMismatch));
    assert_eq!(
        doc.status(ElementaryFile::CardSecurity),
        Some(&FileStatus::Read)
    );
}

/// The same through the CLI: `--sim-option pace-cam` is a PACE-CAM chip with EF.CardSecurity;
/// read with the CAN it is genuine and its EF.CardSecurity valid; a man in the middle hiding
/// EF.CardAccess (the MRZ given) is a downgrade, exit 4.
#[cfg(feature = "cli")]
#[test]
fn the_cli_reads_a_pace_cam_chip_and_catches_the_hidden_card_access() {
    let cccd = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_cccd"))
            .args(args)
            .output()
            .expect("run cccd")
    };
    let json = |out: &std::process::Output| -> serde_json::Value {
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
    };
    let ok = cccd(&["read", "--sim=26", "--sim-option", "pace-cam", "--json"]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let v = json(&ok);
    assert_eq!(v["verification"]["genuine"], true);
    assert_eq!(v["access"]["protocol"], "pace");
    assert!(v["verification"]["card_security"].is_object(), "{v}");

    let p = json(&cccd(&["sim", "show", "--seed", "26", "--json"]));
    let key = [
        "--id",
        p["id_number"].as_str().unwrap(),
        "--dob",
        p["date_of_birth"].as_str().unwrap(),
        "--expiry",
        p["date_of_expiry"].as_str().unwrap(),
    ];
    let mut args = vec!["read", "--sim=26", "--sim-option", "pace-cam"];
    args.extend(key);
    args.extend(["--sim-option", "mitm-hide-card-access", "--json"]);
    let downgraded = cccd(&args);
    assert_eq!(downgraded.status.code(), Some(4));
    let v = json(&downgraded);
    assert_eq!(v["access"]["protocol"], "bac");
    let codes: Vec<&str> = v["verification"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["code"].as_str())
        .collect();
    assert!(codes.contains(&"bac_on_pace_chip"), "{codes:?}");
}

/// Mutations: `wants_card_security`'s `cam || announced` as `cam && announced`;
/// `announces_card_security` as `false`, or without one of its three arms.
/// An EF.CardAccess that announces a protocol of the master file (BSI TR-03110-3 §A.1.2:
/// Terminal Authentication version 2, Chip Authentication version 2, or a PACE-CAM PACEInfo
/// even when the reader does not run it) makes the reader ask for EF.CardSecurity after PACE
/// with the generic mapping; this chip has none, and the document says so.
#[test]
fn a_chip_that_announces_card_security_is_asked_for_it_without_pace_cam() {
    // The real CCCD's EF.CardAccess: TA v1, CA v1 (ECDH, AES-128), PACE-ECDH-GM-AES-128 on
    // brainpoolP256r1 (13).
    let ta_v1 = "300d060804007f0007020202020101";
    let ca_v1 = "300f060a04007f00070202030202020101";
    let pace_gm = "3012060a04007f0007020204020202010202010d";
    // PACE-ECDH-CAM-AES-128 on the 1024-bit MODP group (parameter 0): CAM needs a curve, so
    // the reader cannot run it and runs the generic mapping.
    let pace_cam_dh = "3012060a04007f00070202040602020102020100";
    let variants = [
        (
            "TA v2",
            ["300d060804007f0007020202020102", ca_v1, pace_gm].concat(),
        ),
        (
            "CA v2",
            [ta_v1, "300f060a04007f00070202030202020102", pace_gm].concat(),
        ),
        (
            "PACE-CAM offered",
            [ta_v1, ca_v1, pace_gm, pace_cam_dh].concat(),
        ),
    ];
    for (what, infos) in variants {
        let infos = hex::decode(infos).unwrap();
        let mut card_access = vec![0x31, u8::try_from(infos.len()).unwrap()];
        card_access.extend_from_slice(&infos);
        let card = Card::new(Profile::Cccd, 24).with_card_access(&card_access);
        let key = AccessKey::can_from_id(&card.persona().id_number).unwrap();
        let (doc, phases) = read(card, &key, Faults::none());
        assert!(
            phases.iter().any(|p| p == "CardSecurity"),
            "{what}: {phases:?}"
        );
        assert_eq!(
            doc.status(ElementaryFile::CardSecurity),
            Some(&FileStatus::NotPresent { protected: true }),
            "{what}"
        );
    }
}
