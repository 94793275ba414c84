//! Passive authentication of simulated cards read through the whole stack: a genuine card
//! passes against the simulator's CSCA, every forgery fails for its own reason.
#![cfg(feature = "sim")]

use cccd::access::AccessKey;
use cccd::document::Document;
use cccd::reader::{ReadOptions, Reader};
use cccd::sim::sod::{csca_certificate, Tamper};
use cccd::sim::{Card, CardOptions, Profile, SimTransport};
use cccd::verify::{
    ChainVerdict, DgHashVerdict, PaOptions, SignatureVerdict, TrustStore, ValidityVerdict,
};

fn read(seed: u64, tamper: Option<Tamper>) -> Document {
    let mut options = CardOptions::default();
    options.tamper = tamper;
    let card = Card::with_options(Profile::Cccd, seed, options);
    let p = card.persona();
    let key =
        AccessKey::from_id_and_dates(&p.id_number, &p.date_of_birth.yymmdd(), &p.mrz_expiry())
            .unwrap();
    Reader::new(SimTransport::new(card))
        .open(&key)
        .unwrap()
        .read_document(&ReadOptions::default(), &mut |_| {})
        .unwrap()
}

fn sim_trust() -> TrustStore {
    let mut t = TrustStore::new();
    assert!(t.add_certificate_der(csca_certificate().unwrap()).unwrap());
    t
}

fn hash_of(report: &cccd::verify::PassiveAuthReport, n: u8) -> DgHashVerdict {
    report
        .data_groups
        .iter()
        .find(|(d, _)| *d == n)
        .map(|(_, v)| *v)
        .unwrap()
}

#[test]
fn genuine_cards_pass() {
    for seed in [1u64, 2, 3, 50] {
        let r = read(seed, None).verify_passive(&sim_trust(), &PaOptions::default());
        assert!(r.is_genuine(), "seed {seed}: {r:?}");
        for n in [1, 2, 13] {
            assert_eq!(hash_of(&r, n), DgHashVerdict::Valid);
        }
        // DG3 is listed but needs EAC: not read, which does not spoil the verdict.
        assert_eq!(hash_of(&r, 3), DgHashVerdict::NotRead);
    }
}

#[test]
fn untrusted_without_the_simulator_csca() {
    let r = read(1, None).verify_passive(&TrustStore::new().with_vn_csca(), &PaOptions::default());
    assert_eq!(r.sod_signature, SignatureVerdict::Valid);
    assert!(
        matches!(r.chain, ChainVerdict::Untrusted { .. }),
        "{:?}",
        r.chain
    );
    assert!(!r.is_genuine());
}

#[test]
fn edited_dg13_is_a_hash_mismatch() {
    let r = read(4, Some(Tamper::EditedDg13)).verify_passive(&sim_trust(), &PaOptions::default());
    assert_eq!(r.sod_signature, SignatureVerdict::Valid);
    assert_eq!(r.chain, ChainVerdict::Valid);
    assert_eq!(hash_of(&r, 13), DgHashVerdict::Mismatch);
    assert_eq!(hash_of(&r, 1), DgHashVerdict::Valid);
    assert!(!r.is_genuine());
}

#[test]
fn sod_of_another_card_mismatches_every_personal_group() {
    let r = read(5, Some(Tamper::ForeignSod)).verify_passive(&sim_trust(), &PaOptions::default());
    assert_eq!(r.sod_signature, SignatureVerdict::Valid);
    assert_eq!(hash_of(&r, 1), DgHashVerdict::Mismatch);
    assert_eq!(hash_of(&r, 13), DgHashVerdict::Mismatch);
    assert!(!r.is_genuine());
}

#[test]
fn expired_dsc_is_reported_as_expired() {
    let r = read(6, Some(Tamper::ExpiredDsc)).verify_passive(&sim_trust(), &PaOptions::default());
    assert_eq!(r.sod_signature, SignatureVerdict::Valid);
    assert!(
        matches!(r.validity_now, ValidityVerdict::Expired { .. }),
        "{:?}",
        r.validity_now
    );
    assert!(!r.is_genuine());
}
