//! The library's reader and the `cccd` CLI read a simulated CCCD through a real pcscd with the
//! vsmartcard vpcd driver, exactly as they would read a card on a desk reader.
#![cfg(all(feature = "pcsc", feature = "sim"))]

#[path = "common/pcscd.rs"]
mod pcscd;

use cccd::access::AccessKey;
use cccd::document::FileStatus;
use cccd::reader::{ReadOptions, Reader};
use cccd::sim::{Card, Profile};
use cccd::transport::pcsc::PcscTransport;
use std::time::Duration;

const SEED: u64 = 31;

#[test]
fn library_reads_a_simulated_cccd_through_pcscd() {
    let Some(pcscd) = pcscd::start("library_reads_a_simulated_cccd_through_pcscd") else {
        return;
    };
    let reference = Card::new(Profile::Cccd, SEED);
    let p = reference.persona().clone();
    let inserted = pcscd.insert(Card::new(Profile::Cccd, SEED));
    let transport =
        PcscTransport::wait_for_card(Some(&pcscd.reader_name()), Duration::from_secs(10)).unwrap();
    let key = AccessKey::can_from_id(&p.id_number).unwrap();
    let doc = Reader::new(transport)
        .open(&key)
        .unwrap()
        .read_document(&ReadOptions::default(), &mut |_| {})
        .unwrap();
    for rec in doc.files() {
        if rec.status == FileStatus::Read {
            assert_eq!(
                rec.raw.as_deref(),
                reference.files().content(rec.file.fid()),
                "{}",
                rec.file.name()
            );
        }
    }
    assert_eq!(doc.id_number(), Some(p.id_number.as_str()));
    drop(inserted.remove());
}

#[test]
fn cli_reads_through_pcscd_with_the_id_only() {
    let Some(pcscd) = pcscd::start("cli_reads_through_pcscd_with_the_id_only") else {
        return;
    };
    let p = Card::new(Profile::Cccd, SEED).persona().clone();
    let inserted = pcscd.insert(Card::new(Profile::Cccd, SEED));
    assert!(pcscd.wait_card_state(true, Duration::from_secs(10)));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cccd"))
        .args([
            "read",
            "--reader",
            &pcscd.reader_name(),
            "--id",
            &p.id_number,
            "--json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["dg13"]["id_number"], p.id_number.as_str());
    assert_eq!(doc["access"]["protocol"], "pace");
    drop(inserted.remove());
}

#[test]
fn tag_lost_behind_pcscd_is_resumed_and_still_genuine() {
    let Some(pcscd) = pcscd::start("tag_lost_behind_pcscd_is_resumed_and_still_genuine") else {
        return;
    };
    let reference = Card::new(Profile::Cccd, SEED);
    let id = reference.persona().id_number.clone();
    let mut faults = cccd::sim::Faults::none();
    faults.tag_lost_after_bytes = Some(9_000);
    let inserted = pcscd.insert_reinserting(cccd::sim::FaultyCard::new(
        Card::new(Profile::Cccd, SEED),
        faults,
    ));
    let transport =
        PcscTransport::wait_for_card(Some(&pcscd.reader_name()), Duration::from_secs(10)).unwrap();
    let mut session = Reader::new(transport)
        .open(&AccessKey::can_from_id(&id).unwrap())
        .unwrap();
    let doc = session
        .read_document(&ReadOptions::default(), &mut |_| {})
        .unwrap();
    assert_eq!(session.resumes(), 1);
    for rec in doc.files() {
        if rec.status == FileStatus::Read {
            assert_eq!(
                rec.raw.as_deref(),
                reference.files().content(rec.file.fid()),
                "{}",
                rec.file.name()
            );
        }
    }
    let mut trust = cccd::verify::TrustStore::new();
    trust
        .add_certificate_der(cccd::sim::sod::csca_certificate().unwrap())
        .unwrap();
    assert!(
        doc.verify(&trust, &cccd::verify::PaOptions::default())
            .genuine
    );
    drop(inserted.remove());
}
