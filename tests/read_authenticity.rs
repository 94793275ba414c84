//! Genuine or clone: PACE + Chip Authentication + Active Authentication + passive
//! authentication through the whole stack, on the simulated CCCD, its clone, and the BSI
//! TR-03105-5 specimen (whose chip keys nobody here generated).
#![cfg(feature = "sim")]

use cccd::access::AccessKey;
use cccd::document::{
    ActiveAuthRun, ActiveAuthVerdict, ChipAuthRun, ChipAuthVerdict, Document, Finding,
    UntrustedCheck,
};
use cccd::reader::{ReadOptions, Reader};
use cccd::sim::keys::{ActiveAuthenticationKind, CardKeys};
use cccd::sim::{Card, Profile, SimTransport};
use cccd::verify::{ChainVerdict, PaOptions, SignatureVerdict, TrustStore};

fn sim_trust() -> TrustStore {
    let mut t = TrustStore::new();
    t.add_certificate_der(cccd::sim::sod::csca_certificate().unwrap())
        .unwrap();
    t
}

fn read_cccd(profile: Profile, seed: u64) -> Document {
    let card = Card::new(profile, seed);
    let key = AccessKey::can_from_id(&card.persona().id_number).unwrap();
    Reader::new(SimTransport::new(card))
        .open(&key)
        .unwrap()
        .read_document(&ReadOptions::default(), &mut |_| {})
        .unwrap()
}

#[test]
fn genuine_cccd_with_pace_ca_aa_and_pa_is_genuine() {
    for seed in [1u64, 2, 3] {
        let doc = read_cccd(Profile::Cccd, seed);
        assert!(doc.dg14.is_some() && doc.dg15.is_some());
        let v = doc.verify(&sim_trust(), &PaOptions::default());
        assert!(
            v.passive_authentication.is_genuine(),
            "{:?}",
            v.passive_authentication
        );
        assert_eq!(v.chip_authentication, ChipAuthVerdict::Trusted);
        assert_eq!(v.active_authentication, ActiveAuthVerdict::Trusted);
        assert!(v.genuine, "{:?}", v.findings);
        assert!(v.findings.is_empty(), "{:?}", v.findings);
    }
}

#[test]
fn clone_passes_passive_authentication_but_fails_chip_authentication() {
    let doc = read_cccd(Profile::CccdClone, 4);
    let v = doc.verify(&sim_trust(), &PaOptions::default());
    // The copied files and SOD are the genuine ones...
    assert_eq!(
        v.passive_authentication.sod_signature,
        SignatureVerdict::Valid
    );
    assert_eq!(v.passive_authentication.chain, ChainVerdict::Valid);
    assert!(v.passive_authentication.is_genuine());
    // ...but the chip does not hold the keys.
    assert!(
        matches!(v.chip_authentication, ChipAuthVerdict::Failed { .. }),
        "{:?}",
        v.chip_authentication
    );
    assert!(
        matches!(v.active_authentication, ActiveAuthVerdict::Failed { .. }),
        "{:?}",
        v.active_authentication
    );
    assert!(!v.genuine);
    // The data is the genuine card's: authentic, but not from the genuine chip.
    assert!(v.data_authentic);
    assert!(v
        .findings
        .iter()
        .any(|f| matches!(f, Finding::ChipAuthenticationFailed(_))));
}

#[test]
fn unproven_dg14_makes_chip_authentication_unverified_not_authenticated() {
    let doc = read_cccd(Profile::Cccd, 5);
    // No CSCA: the chain is untrusted, so the CA key in DG14 is not proven.
    let v = doc.verify(&TrustStore::new(), &PaOptions::default());
    assert_eq!(
        v.chip_authentication,
        ChipAuthVerdict::Untrusted {
            reason: UntrustedCheck::KeyFileNotProven {
                file: cccd::ElementaryFile::Dg(14)
            }
        }
    );
    // Nor the AA key in DG15 (mutation: `ActiveAuthVerdict::judge`'s `dg15_proven` guard
    // taken as true): the chip signed our challenge, but with a key nobody vouches for.
    assert_eq!(doc.active_authentication_run, ActiveAuthRun::Completed);
    assert_eq!(
        v.active_authentication,
        ActiveAuthVerdict::Untrusted {
            reason: UntrustedCheck::KeyFileNotProven {
                file: cccd::ElementaryFile::Dg(15)
            }
        }
    );
    assert!(!v.genuine);
}

fn read_bsi(card: Card) -> Document {
    let info = card.mrz_information();
    let key = AccessKey::Mrz(
        cccd::access::key::MrzKey::new(
            info[0..9].trim_end_matches('<'),
            &info[10..16],
            &info[17..23],
        )
        .unwrap(),
    );
    // What EF.COM lists, DG15 included: Active Authentication runs without asking for it.
    let doc = Reader::new(SimTransport::new(card))
        .open(&key)
        .unwrap()
        .read_document(&ReadOptions::default(), &mut |_| {})
        .unwrap();
    assert!(doc.raw(cccd::ElementaryFile::Dg(15)).is_some());
    doc
}

#[test]
fn bsi_specimen_chip_keys_pass_ca_and_aa_and_a_clone_fails() {
    let doc = read_bsi(Card::new(Profile::Bsi, 0));
    // Its CSCA is not here: what ran is reported, as not trusted.
    assert!(
        matches!(doc.chip_authentication_run, ChipAuthRun::Completed { .. }),
        "{:?}",
        doc.chip_authentication_run
    );
    assert_eq!(doc.active_authentication_run, ActiveAuthRun::Completed);
    let clone_keys = CardKeys::cccd(99, ActiveAuthenticationKind::default(), true).unwrap();
    let doc = read_bsi(Card::new(Profile::Bsi, 0).with_keys(clone_keys));
    assert!(
        matches!(doc.chip_authentication_run, ChipAuthRun::Failed { .. }),
        "{:?}",
        doc.chip_authentication_run
    );
    assert!(matches!(
        doc.active_authentication_run,
        ActiveAuthRun::Failed { .. }
    ));
}

#[test]
fn clone_that_hides_dg14_and_dg15_is_not_genuine() {
    let mut card = Card::new(Profile::CccdClone, 6);
    card.files_mut().remove(0x010E);
    card.files_mut().remove(0x010F);
    let key = AccessKey::can_from_id(&card.persona().id_number).unwrap();
    let doc = Reader::new(SimTransport::new(card))
        .open(&key)
        .unwrap()
        .read_document(&ReadOptions::default(), &mut |_| {})
        .unwrap();
    assert_eq!(doc.chip_authentication_run, ChipAuthRun::NotAttempted);
    let v = doc.verify(&sim_trust(), &PaOptions::default());
    // The signed SOD lists DG14 and DG15: the chip had to prove itself and did not, and the
    // signed groups are missing.
    assert!(v.passive_authentication.is_genuine());
    assert!(!v.genuine, "{:?}", v.findings);
    assert!(v.findings.contains(&Finding::ChipNotProven));
    assert!(v
        .findings
        .iter()
        .any(|f| matches!(f, Finding::DataGroupNotRead { dg: 14, .. })));
}

#[test]
fn duplicate_data_groups_are_read_once() {
    let card = Card::new(Profile::Cccd, 7);
    let key = AccessKey::can_from_id(&card.persona().id_number).unwrap();
    let mut options = ReadOptions::default();
    options.data_groups = Some(vec![13, 1, 13, 14, 13]);
    let doc = Reader::new(SimTransport::new(card))
        .open(&key)
        .unwrap()
        .read_document(&options, &mut |_| {})
        .unwrap();
    let dg13 = doc
        .files()
        .iter()
        .filter(|r| r.file == cccd::ElementaryFile::Dg(13))
        .count();
    assert_eq!(dg13, 1);
}
