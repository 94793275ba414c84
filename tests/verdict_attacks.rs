//! Regression tests for issue #10: each attack that once ended in `genuine = true`, played
//! against the simulator (or on the files of a genuine read), must now end in a verdict that
//! names what happened.
#![cfg(all(feature = "sim", feature = "internals"))]

use cccd::access::key::MrzKey;
use cccd::access::AccessKey;
use cccd::document::{
    AccessProtocol, Document, DocumentError, FileStatus, Finding, FindingKind, Verification,
};
use cccd::reader::{danger, ReadOptions, Reader};
use cccd::sim::pki::{KeyAlgorithm, PkiConfig, TestPki};
use cccd::sim::{Card, Faults, Profile, SimTransport};
use cccd::verify::{CountryMismatch, CountryVerdict, PaOptions, TrustStore};
use cccd::ElementaryFile;

fn sim_trust() -> TrustStore {
    let mut t = TrustStore::new();
    t.add_certificate_der(cccd::sim::sod::csca_certificate().unwrap())
        .unwrap();
    t
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

fn read(card: Card, key: &AccessKey, faults: Faults) -> Document {
    Reader::new(SimTransport::with_faults(card, faults))
        .open(key)
        .unwrap()
        .read_document(&ReadOptions::default(), &mut |_| {})
        .unwrap()
}

fn read_can(seed: u64, faults: Faults) -> Document {
    let card = Card::new(Profile::Cccd, seed);
    let key = AccessKey::can_from_id(&card.persona().id_number).unwrap();
    read(card, &key, faults)
}

fn codes(v: &Verification) -> Vec<&'static str> {
    v.findings.iter().map(Finding::code).collect()
}

/// The files of a document by name, as a phone would upload them.
fn files_of(doc: &Document) -> Vec<(String, Vec<u8>)> {
    doc.files()
        .iter()
        .filter_map(|r| r.raw.clone().map(|raw| (r.file.name(), raw)))
        .collect()
}

/// #10 item 1: a forged DG13 record before the genuine one. Once the forged copy was shown and
/// the genuine one hashed; now two copies of a file are refused, and the uploaded files of a
/// genuine read rebuild a document whose data is authentic.
#[test]
fn a_second_copy_of_a_file_is_refused() {
    let doc = read_can(11, Faults::none());
    let mut files = files_of(&doc);
    let genuine_dg13 = doc.raw(ElementaryFile::Dg(13)).unwrap().to_vec();
    let mut forged = genuine_dg13.clone();
    *forged.last_mut().unwrap() ^= 0x01;
    files.insert(0, ("DG13".into(), forged));
    assert_eq!(
        Document::from_files(files.clone()).unwrap_err(),
        DocumentError::DuplicateFile(ElementaryFile::Dg(13))
    );

    // Without the forged copy: the server-side document verifies (no chip to check).
    files.remove(0);
    let rebuilt = Document::from_files(files).unwrap();
    assert_eq!(rebuilt.access, AccessProtocol::NotRecorded);
    assert_eq!(rebuilt.raw(ElementaryFile::Dg(13)), Some(&genuine_dg13[..]));
    assert_eq!(rebuilt.dg13, doc.dg13);
    let v = rebuilt.verify(
        &sim_trust(),
        &PaOptions::default().expect_issuing_state("VNM"),
    );
    assert!(v.data_authentic, "{:?}", v.findings);
    assert!(!v.genuine, "no chip was checked");
    assert_eq!(codes(&v), ["chip_not_proven"]);

    // The forged copy alone: its hash fails, naming the group.
    let mut files = files_of(&doc);
    for (name, raw) in &mut files {
        if name == "DG13" {
            *raw.last_mut().unwrap() ^= 0x01;
        }
    }
    let v = Document::from_files(files)
        .unwrap()
        .verify(&sim_trust(), &PaOptions::default());
    assert!(!v.data_authentic);
    assert!(v
        .findings
        .contains(&Finding::DataGroupHashMismatch { dg: 13 }));
}

/// #10 item 2: a man in the middle answers `6A82` to the plain read of EF.CardAccess; with an
/// MRZ key the reader runs BAC. The proven DG14 lists PACE: a downgrade.
#[test]
fn hiding_card_access_to_force_bac_is_a_downgrade() {
    let card = Card::new(Profile::Cccd, 3);
    let key = mrz_key(&card);
    let doc = read(card, &key, Faults::none().hide_card_access());
    assert_eq!(doc.access, AccessProtocol::Bac);
    assert!(matches!(
        doc.status(ElementaryFile::CardAccess),
        Some(FileStatus::NotPresent { protected: false })
    ));
    let v = doc.verify(&sim_trust(), &PaOptions::default());
    assert!(!v.genuine, "{:?}", v.findings);
    assert!(v.data_authentic, "the data itself is the card's");
    assert_eq!(codes(&v), ["bac_on_pace_chip"]);

    // The caller may accept it, by name.
    let accepted = danger::accept_bac_on_pace_chip(PaOptions::default());
    let v = doc.verify(&sim_trust(), &accepted);
    assert!(v.genuine, "{:?}", v.findings);
    assert_eq!(codes(&v), ["bac_on_pace_chip_accepted"]);
    assert_eq!(v.findings[0].kind(), FindingKind::Info);

    // Without the man in the middle the same key gives PACE-MRZ and a clean verdict.
    let card = Card::new(Profile::Cccd, 3);
    let doc = read(card, &key, Faults::none());
    assert!(matches!(doc.access, AccessProtocol::Pace { .. }));
    let v = doc.verify(&sim_trust(), &PaOptions::default());
    assert!(v.genuine && v.findings.is_empty(), "{:?}", v.findings);
}

/// #10 item 2, second half: an EF.CardAccess that differs from the PACEInfos of the proven
/// DG14 (ICAO 9303-11 §9.2) is a finding.
#[test]
fn card_access_that_differs_from_the_proven_dg14_is_a_finding() {
    let doc = read_can(12, Faults::none());
    let mut files = files_of(&doc);
    // The real CCCD's EF.CardAccess without its PACEInfo (TA and CA infos only).
    let stripped = hex::decode(concat!(
        "3120",
        "300d060804007f0007020202020101",
        "300f060a04007f00070202030202020101"
    ))
    .unwrap();
    for (name, raw) in &mut files {
        if name == "CardAccess" {
            *raw = stripped.clone();
        }
    }
    let v = Document::from_files(files.clone())
        .unwrap()
        .verify(&sim_trust(), &PaOptions::default());
    assert!(
        v.findings.contains(&Finding::CardAccessMismatch),
        "{:?}",
        v.findings
    );
    assert!(!v.genuine);

    // Left out altogether: only noted, since an upload may not carry it.
    files.retain(|(name, _)| name != "CardAccess");
    let v = Document::from_files(files)
        .unwrap()
        .verify(&sim_trust(), &PaOptions::default());
    assert!(v.findings.contains(&Finding::CardAccessNotProvided));
    assert!(v.data_authentic);
}

/// Without a MAC only "absent" (`6A82`) and "denied" (`6982`) may stand (they hide a file,
/// never forge one). Any other bare status word to a protected read breaks secure messaging:
/// the reader re-opens and reads again, and when the man in the middle keeps answering it,
/// the read ends with a secure-messaging error: never a record of the chip's "answer".
#[test]
fn only_absent_and_denied_may_come_without_a_mac() {
    for (sw, stands) in [
        (0x6A82, Some(FileStatus::NotPresent { protected: false })),
        (
            0x6982,
            Some(FileStatus::AccessDenied {
                sw: 0x6982,
                protected: false,
            }),
        ),
        (0x6985, None),
        (0x6F00, None),
        (0x6A80, None),
    ] {
        let card = Card::new(Profile::Cccd, 3);
        let key = AccessKey::can_from_id(&card.persona().id_number).unwrap();
        let faults = Faults::none().answer_bare(ElementaryFile::Dg(13), sw);
        let mut session = Reader::new(SimTransport::with_faults(card, faults))
            .open(&key)
            .unwrap();
        let result = session.read_document(&ReadOptions::default(), &mut |_| {});
        match stands {
            Some(status) => {
                let doc = result.unwrap_or_else(|e| panic!("{sw:04X}: {e}"));
                assert_eq!(
                    doc.status(ElementaryFile::Dg(13)),
                    Some(&status),
                    "{sw:04X}"
                );
                assert_eq!(session.resumes(), 0, "{sw:04X}");
            }
            None => {
                assert!(
                    matches!(result, Err(cccd::Error::SecureMessaging(_))),
                    "{sw:04X}: {result:?}"
                );
                assert_eq!(
                    session.resumes(),
                    ReadOptions::default().max_resumes,
                    "{sw:04X}"
                );
            }
        }
    }
}

/// #10 item 3: a man in the middle answers a bare `6A82` to the READ BINARY of DG2 and DG13
/// under secure messaging; the reader records them as absent. Signed and requested: suppressed.
#[test]
fn suppressed_data_groups_are_named() {
    let faults = Faults::none()
        .answer_6a82(ElementaryFile::Dg(2))
        .answer_6a82(ElementaryFile::Dg(13));
    let doc = read_can(3, faults);
    assert!(doc.dg13.is_none() && doc.faces.is_empty());
    for n in [2, 13] {
        assert_eq!(
            doc.status(ElementaryFile::Dg(n)),
            Some(&FileStatus::NotPresent { protected: false }),
            "DG{n}"
        );
    }
    let v = doc.verify(&sim_trust(), &PaOptions::default());
    assert!(!v.genuine && !v.data_authentic);
    let missing: Vec<u8> = v
        .findings
        .iter()
        .filter_map(|f| match f {
            Finding::DataGroupNotRead { dg, .. } => Some(*dg),
            _ => None,
        })
        .collect();
    assert_eq!(missing, [2, 13]);
    // The first finding names the face group (its variant and number, not its wording).
    assert!(
        matches!(
            v.findings.first(),
            Some(Finding::DataGroupNotRead { dg: 2, .. })
        ),
        "{:?}",
        v.findings.first()
    );

    // A caller who did not ask for the face is not misled by its absence.
    let card = Card::new(Profile::Cccd, 3);
    let key = AccessKey::can_from_id(&card.persona().id_number).unwrap();
    let mut options = ReadOptions::default();
    options.skip_face = true;
    let doc = Reader::new(SimTransport::new(card))
        .open(&key)
        .unwrap()
        .read_document(&options, &mut |_| {})
        .unwrap();
    let v = doc.verify(&sim_trust(), &PaOptions::default());
    assert!(v.genuine, "{:?}", v.findings);
}

/// A protected `6A82` (the genuine card without the file) is told apart from a bare one.
#[test]
fn protected_and_bare_status_words_are_told_apart() {
    let mut card = Card::new(Profile::Cccd, 8);
    card.files_mut().remove(0x010D);
    let key = AccessKey::can_from_id(&card.persona().id_number).unwrap();
    let doc = read(card, &key, Faults::none());
    assert_eq!(
        doc.status(ElementaryFile::Dg(13)),
        Some(&FileStatus::NotPresent { protected: true })
    );
    // Still not genuine: the SOD signs DG13.
    let v = doc.verify(&sim_trust(), &PaOptions::default());
    assert!(!v.genuine);
    assert!(matches!(
        v.findings[0],
        Finding::DataGroupNotRead {
            dg: 13,
            status: Some(FileStatus::NotPresent { protected: true })
        }
    ));
}

/// #10 item 6: with two countries' CSCAs trusted, a document claiming to be Vietnamese and
/// signed by the other country's DSC once passed. DG1's issuing state is now bound to the DSC's
/// and the CSCA's country.
#[test]
fn a_document_signed_by_another_country_is_refused() {
    let doc = read_can(13, Faults::none());
    let mut config = PkiConfig::new(
        KeyAlgorithm::Ecdsa {
            curve: cccd::crypto::ec::NamedCurve::P256,
            explicit: false,
        },
        77,
    );
    config.country = "NL".into();
    let nl = TestPki::new(&config).unwrap();
    let mut trust = sim_trust();
    trust.add_certificate_der(nl.csca_certificate()).unwrap();
    let sod = nl.issue_sod(&doc.data_groups()).unwrap();
    let mut files = files_of(&doc);
    for (name, raw) in &mut files {
        if name == "SOD" {
            *raw = sod.clone();
        }
    }
    let forged = Document::from_files(files).unwrap();
    let v = forged.verify(&trust, &PaOptions::default());
    let pa = &v.passive_authentication;
    // Signature, chain and hashes all hold...
    assert!(pa.is_signature_and_chain_valid());
    assert_eq!(pa.issuing_state.as_deref(), Some("VNM"));
    assert_eq!(pa.dsc_country.as_deref(), Some("NL"));
    // ...but the countries do not.
    assert_eq!(
        pa.country,
        CountryVerdict::Mismatch {
            mismatch: CountryMismatch::DscCountry {
                issuing_state: "VNM".into(),
                dsc_country: Some("NL".into())
            }
        }
    );
    assert!(!pa.is_genuine());
    assert!(!v.data_authentic);
    assert_eq!(v.findings[0].code(), "country_mismatch");

    // The genuine SOD with the same two-country store passes, and binds.
    let v = doc.verify(&trust, &PaOptions::default().expect_issuing_state("VNM"));
    assert_eq!(v.passive_authentication.country, CountryVerdict::Consistent);
    assert!(v.genuine, "{:?}", v.findings);
    // Expecting another state refuses it.
    let v = doc.verify(&trust, &PaOptions::default().expect_issuing_state("NLD"));
    assert!(matches!(
        v.passive_authentication.country,
        CountryVerdict::Mismatch {
            mismatch: CountryMismatch::UnexpectedIssuingState { .. }
        }
    ));
    assert!(!v.genuine);
}

/// Mutations (document/verdict.rs, `judge`'s `proven`: `*d == n` to `!=`, `&&` to `||`): a key
/// file is proven by its own hash only. A phone uploads the files of a genuine card with DG14
/// and DG15 altered (a clone's keys would be put there) and claims that Chip and Active
/// Authentication completed: the groups that still match lend no proof to the key files, so
/// neither check is trusted.
#[test]
fn a_key_file_is_proven_by_its_own_hash_only() {
    use cccd::document::{
        ActiveAuthRun, ActiveAuthVerdict, ChipAuthMethod, ChipAuthRun, ChipAuthVerdict,
        UntrustedCheck,
    };
    let doc = read_can(12, Faults::none());
    let genuine = doc.verify(&sim_trust(), &PaOptions::default());
    assert!(genuine.genuine, "{:?}", genuine.findings);
    assert_eq!(genuine.chip_authentication, ChipAuthVerdict::Trusted);
    assert_eq!(genuine.active_authentication, ActiveAuthVerdict::Trusted);
    let mut files = files_of(&doc);
    for (name, raw) in &mut files {
        if name == "DG14" || name == "DG15" {
            *raw.last_mut().unwrap() ^= 0x01;
        }
    }
    let mut forged = Document::from_files(files).unwrap();
    forged.chip_authentication_run = ChipAuthRun::Completed {
        method: ChipAuthMethod::ChipAuthentication,
    };
    forged.active_authentication_run = ActiveAuthRun::Completed;
    let v = forged.verify(&sim_trust(), &PaOptions::default());
    let not_proven = |dg| UntrustedCheck::KeyFileNotProven {
        file: ElementaryFile::Dg(dg),
    };
    assert_eq!(
        v.chip_authentication,
        ChipAuthVerdict::Untrusted {
            reason: not_proven(14)
        }
    );
    assert_eq!(
        v.active_authentication,
        ActiveAuthVerdict::Untrusted {
            reason: not_proven(15)
        }
    );
    assert!(!v.genuine && !v.data_authentic);
    for dg in [14, 15] {
        assert!(v.findings.contains(&Finding::DataGroupHashMismatch { dg }));
    }
}

/// Mutations (document/verdict.rs, `passive_findings`: the `Untrusted` and `Revoked` arms
/// deleted, both then reported as a broken chain): the teller is told which it is, no trusted
/// CSCA (a trust list to update) or a revoked Document Signer (a withdrawn batch of cards).
#[test]
fn an_untrusted_and_a_revoked_chain_are_named_as_such() {
    let doc = read_can(13, Faults::none());
    let untrusted = doc.verify(&TrustStore::new(), &PaOptions::default());
    assert!(codes(&untrusted).contains(&"chain_untrusted"));
    assert!(!codes(&untrusted).contains(&"chain_invalid"));
    let mut revoking = sim_trust();
    revoking
        .add_crl(
            &cccd::sim::sod::country_pki()
                .unwrap()
                .crl_revoking_dsc()
                .unwrap(),
        )
        .unwrap();
    let revoked = doc.verify(&revoking, &PaOptions::default());
    assert!(
        codes(&revoked).contains(&"dsc_revoked"),
        "{:?}",
        codes(&revoked)
    );
    assert!(!codes(&revoked).contains(&"chain_invalid"));
}

/// The files of a genuine read with the SOD re-issued by the simulator's country PKI over
/// the groups `signed` only (so the SOD proves those and lists no other), and only those
/// files kept, without EF.COM (whose list would then differ from the SOD's).
fn resigned(doc: &Document, signed: &[u8]) -> Document {
    let dgs: std::collections::BTreeMap<u8, Vec<u8>> = signed
        .iter()
        .map(|&n| (n, doc.raw(ElementaryFile::Dg(n)).unwrap().to_vec()))
        .collect();
    let sod = cccd::sim::sod::country_pki()
        .unwrap()
        .issue_sod(&dgs)
        .unwrap();
    let mut files: Vec<(String, Vec<u8>)> = dgs
        .iter()
        .map(|(n, raw)| (format!("DG{n}"), raw.clone()))
        .collect();
    files.push(("SOD".into(), sod));
    Document::from_files(files).unwrap()
}

/// Mutations (document/verdict.rs, `judge`'s `must_prove`: each `||` to `&&`): the chip must
/// prove itself when the signed SOD lists DG14 *or* DG15 (a passport with Active
/// Authentication alone lists only DG15), or when a check ran at all. A clone that
/// copies such a card's files and runs no check is "chip not proven", never "the chip offers
/// no clone detection" (an informative finding that leaves the document genuine).
#[test]
fn a_chip_must_prove_itself_when_the_sod_lists_either_key_file_or_a_check_ran() {
    use cccd::document::{ChipAuthMethod, ChipAuthRun};
    let doc = read_can(14, Faults::none());
    let chip_codes = |d: &Document| -> Vec<&'static str> {
        codes(&d.verify(&sim_trust(), &PaOptions::default()))
            .into_iter()
            .filter(|c| *c == "chip_not_proven" || *c == "no_clone_detection")
            .collect()
    };
    // The SOD lists DG15 (not DG14) and nothing ran: data authentic, chip not proven.
    let aa_only = resigned(&doc, &[1, 2, 13, 15]);
    let v = aa_only.verify(&sim_trust(), &PaOptions::default());
    assert!(v.data_authentic, "{:?}", v.findings);
    assert!(!v.genuine);
    assert_eq!(chip_codes(&aa_only), ["chip_not_proven"]);
    // The SOD lists DG14 (not DG15): the same.
    assert_eq!(
        chip_codes(&resigned(&doc, &[1, 2, 13, 14])),
        ["chip_not_proven"]
    );
    // The SOD lists neither: no clone detection is offered (informative; genuine stands).
    let neither = resigned(&doc, &[1, 2, 13]);
    let v = neither.verify(&sim_trust(), &PaOptions::default());
    assert_eq!(codes(&v), ["no_clone_detection"]);
    assert!(v.genuine);
    // ...unless a check ran: Chip Authentication said to have completed, on a DG14 that no
    // signed SOD proves, leaves the chip to prove itself.
    let mut claimed = neither;
    claimed.chip_authentication_run = ChipAuthRun::Completed {
        method: ChipAuthMethod::ChipAuthentication,
    };
    assert_eq!(chip_codes(&claimed), ["chip_not_proven"]);
}

/// Mutation (document/verdict.rs, `judge`'s `trusted`: `||` to `&&`): one trusted check is
/// enough. A chip that proves its DG14 key by Chip Authentication and offers no Active
/// Authentication (or the other way round) is genuine.
#[test]
fn one_trusted_clone_check_is_enough() {
    use cccd::document::{ActiveAuthRun, ChipAuthMethod, ChipAuthRun};
    let doc = read_can(15, Faults::none());
    let completed = ChipAuthRun::Completed {
        method: ChipAuthMethod::ChipAuthentication,
    };
    for (chip, active) in [
        (completed.clone(), ActiveAuthRun::NotSupported),
        (ChipAuthRun::NotSupported, ActiveAuthRun::Completed),
    ] {
        let mut d = resigned(&doc, &[1, 2, 13, 14, 15]);
        d.chip_authentication_run = chip.clone();
        d.active_authentication_run = active.clone();
        let v = d.verify(&sim_trust(), &PaOptions::default());
        assert!(v.genuine, "{chip:?} {active:?}: {:?}", v.findings);
        assert!(v.blocking().next().is_none());
    }
}

/// Mutation (document/verdict.rs, `judge`'s `failed`: `||` to `&&`): a failed check is its
/// own finding, and it is not also reported as "chip not proven" (the teller sees the failure
/// that happened, once), whichever of the two checks failed.
#[test]
fn a_failed_check_is_reported_as_the_failure_alone() {
    use cccd::document::{AaFailure, ActiveAuthRun, CaFailure, ChipAuthRun};
    let doc = read_can(16, Faults::none());
    let chip_failed = ChipAuthRun::Failed {
        failure: CaFailure::CamMismatch,
    };
    let active_failed = ActiveAuthRun::Failed {
        failure: AaFailure::Refused(cccd::StatusWord::INS_NOT_SUPPORTED),
    };
    for (chip, active, expected) in [
        (
            chip_failed,
            ActiveAuthRun::NotAttempted,
            "chip_authentication_failed",
        ),
        (
            ChipAuthRun::NotAttempted,
            active_failed,
            "active_authentication_failed",
        ),
    ] {
        let mut d = resigned(&doc, &[1, 2, 13, 14, 15]);
        d.chip_authentication_run = chip;
        d.active_authentication_run = active;
        let v = d.verify(&sim_trust(), &PaOptions::default());
        let blocking: Vec<&str> = v.blocking().map(Finding::code).collect();
        assert_eq!(blocking, [expected]);
        assert!(!v.genuine && v.data_authentic);
    }
}
