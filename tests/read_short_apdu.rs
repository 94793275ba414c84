//! The reader against every simulator profile over short APDUs only (a card without extended
//! length): each file EF.COM lists is read whole and byte for byte, no response exceeds the 256
//! data bytes a short Le allows, and the number of READ BINARY commands is the minimum,
//! `ceil(size / 223)` per file, with no refused read.
#![cfg(feature = "sim")]

use cccd::access::key::MrzKey;
use cccd::access::AccessKey;
use cccd::document::{ActiveAuthRun, ActiveAuthVerdict, ChipAuthRun, ChipAuthVerdict};
use cccd::document::{Document, FileStatus};
use cccd::reader::{ReadOptions, Reader, MAX_SHORT_CHUNK};
use cccd::sim::{passport, Card, CardOptions, Profile, SimTransport};
use cccd::transport::trace::Traced;
use cccd::verify::{PaOptions, TrustStore};
use cccd::ElementaryFile;

const SEED: u64 = 17;

fn short_only(profile: Profile, pace: bool) -> Card {
    let mut options = CardOptions::default();
    options.extended_length = false;
    if !pace {
        options.pace = None;
    }
    Card::with_options(profile, SEED, options)
}

/// The MRZ key the card's BAC and PACE-MRZ keys come from.
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

/// Reads `card` with default options and checks the limits; returns the document. `extra`:
/// READ BINARY commands beyond the minimum that the card's behaviour justifies.
fn read_short(name: &str, card: Card, key: &AccessKey, extra: usize) -> Document {
    let expected = card.files().clone();
    let mut traced = Traced::new(SimTransport::new(card));
    let doc = Reader::new(&mut traced)
        .open(key)
        .unwrap_or_else(|e| panic!("{name}: open: {e}"))
        .read_document(&ReadOptions::default(), &mut |_| {})
        .unwrap_or_else(|e| panic!("{name}: read: {e}"));

    // Every file EF.COM lists was read, byte for byte (DG3/DG4 need EAC: skipped).
    let com = doc.com.as_ref().unwrap_or_else(|| panic!("{name}: EF.COM"));
    for dg in &com.data_groups {
        let n = dg.number();
        let record = doc
            .files()
            .iter()
            .find(|r| r.file == ElementaryFile::Dg(n))
            .unwrap_or_else(|| panic!("{name}: DG{n} not attempted"));
        if n == 3 || n == 4 {
            assert!(
                matches!(record.status, FileStatus::Skipped { .. }),
                "{name}"
            );
            continue;
        }
        assert_eq!(record.status, FileStatus::Read, "{name}: DG{n}");
    }
    let mut reads = 0;
    for record in doc.files() {
        if let Some(raw) = &record.raw {
            let want = expected.content(record.file.fid());
            assert_eq!(Some(raw.as_slice()), want, "{name}: {}", record.file.name());
            reads += raw.len().div_ceil(MAX_SHORT_CHUNK);
        }
    }
    if expected.content(ElementaryFile::CardAccess.fid()).is_none() {
        // One READ BINARY of EF.CardAccess, answered 6A82.
        reads += 1;
    }

    let entries = traced.entries();
    assert!(
        entries.iter().all(|e| e.response_len <= 256 + 2),
        "{name}: a response longer than a short APDU carries"
    );
    let read_binary: Vec<_> = entries
        .iter()
        .filter(|e| matches!(e.ins, 0xB0 | 0xB1))
        .collect();
    assert_eq!(
        read_binary.len(),
        reads + extra,
        "{name}: READ BINARY count"
    );
    // No read refused for its length; the re-read ones failed secure messaging (6988).
    let failed: Vec<_> = read_binary
        .iter()
        .filter(|e| !matches!(e.sw, Some(0x9000 | 0x6A82)))
        .map(|e| e.sw)
        .collect();
    assert_eq!(failed, vec![Some(0x6988); extra], "{name}: failed reads");
    doc
}

fn sim_trust() -> TrustStore {
    let mut t = TrustStore::new();
    t.add_certificate_der(cccd::sim::sod::csca_certificate().unwrap())
        .unwrap();
    t
}

#[test]
fn every_profile_reads_whole_over_short_apdus() {
    let trust = sim_trust();
    // The clone cannot derive the keys of Chip Authentication: the first read under them fails
    // its MAC, and the reader re-opens the session and reads that chunk again.
    for (name, card, genuine, extra) in [
        ("cccd (PACE)", short_only(Profile::Cccd, true), true, 0),
        ("cccd (BAC)", short_only(Profile::Cccd, false), true, 0),
        ("cccd-clone", short_only(Profile::CccdClone, true), false, 1),
        (
            "passport (PACE)",
            short_only(Profile::Passport, true),
            true,
            0,
        ),
        (
            "passport (BAC)",
            short_only(Profile::Passport, false),
            true,
            0,
        ),
    ] {
        let key = mrz_key(&card);
        let doc = read_short(name, card, &key, extra);
        let v = doc.verify(&trust, &PaOptions::default());
        assert_eq!(v.genuine, genuine, "{name}: {:?}", v.findings);
        assert!(v.passive_authentication.is_genuine(), "{name}");
    }
    // The specimen's CSCA is not here: what ran is reported, unverified.
    let card = short_only(Profile::Bsi, false);
    let key = mrz_key(&card);
    let doc = read_short("bsi", card, &key, 0);
    assert!(doc.raw(ElementaryFile::Dg(15)).is_some());
    assert!(matches!(
        doc.active_authentication_run,
        ActiveAuthRun::Completed
    ));
    assert!(matches!(
        doc.chip_authentication_run,
        ChipAuthRun::Completed { .. }
    ));
}

#[test]
fn passport_profile_lists_and_serves_its_data_groups() {
    let card = short_only(Profile::Passport, true);
    let p = card.persona().clone();
    let key = mrz_key(&card);
    let doc = read_short("passport", card, &key, 0);
    let com = doc.com.as_ref().unwrap();
    let listed: Vec<u8> = com.data_groups.iter().map(|d| d.number()).collect();
    assert_eq!(listed, [1, 2, 11, 12, 14, 15]);
    assert!(doc.dg13.is_none());
    let dg1 = doc.dg1.as_ref().unwrap();
    assert!(dg1.mrz.check_digits_valid);
    assert_eq!(dg1.mrz.document_number, passport::document_number(&p));
    assert_eq!(dg1.mrz.date_of_birth, p.date_of_birth.yymmdd());
    let dg11 = doc.dg11.as_ref().unwrap();
    assert_eq!(dg11.personal_number.as_deref(), Some(p.id_number.as_str()));
    assert_eq!(
        dg11.full_name.as_deref(),
        Some(passport::dg11_name(&p).as_str())
    );
    let dg12 = doc.dg12.as_ref().unwrap();
    assert_eq!(
        dg12.issuing_authority.as_deref(),
        Some(passport::ISSUING_AUTHORITY)
    );
    let v = doc.verify(&sim_trust(), &PaOptions::default());
    assert_eq!(v.chip_authentication, ChipAuthVerdict::Trusted);
    assert_eq!(v.active_authentication, ActiveAuthVerdict::Trusted);
    assert!(v.genuine, "{:?}", v.findings);
}
