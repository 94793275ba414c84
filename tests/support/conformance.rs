//! Shared by the `conformance_*` tests: the trust store of a BSI TR-03105-5.1 test chip, the
//! "now" of every run, and the two ways an inspection runs (a dump through
//! `verify_passive`, the chip through `Reader` + `SimTransport` + `Document::verify`).
#![cfg(feature = "sim")]
#![allow(dead_code)]

use cccd::access::AccessKey;
use cccd::document::{Document, Verification};
use cccd::reader::{ReadOptions, Reader};
use cccd::sim::conformance::{case, ConformanceCase};
use cccd::sim::SimTransport;
use cccd::verify::{verify_passive, PaOptions, PassiveAuthReport, Time, TrustStore};

/// Every case runs at the same moment: inside the DSC's validity (2024–2035).
pub fn at() -> PaOptions {
    PaOptions::default().at(Time::from_ymd(2026, 1, 1).expect("a valid date"))
}

/// The CSCA(s), the certificates the inspection system holds, and the CRLs of a case.
pub fn trust(c: &ConformanceCase) -> TrustStore {
    let mut t = TrustStore::new();
    for der in c.trust_anchors.iter().chain(&c.extra_certificates) {
        t.add_certificate_der(der).expect("test certificate loads");
    }
    for crl in &c.crls {
        t.add_crl(crl).expect("test CRL loads");
    }
    t
}

/// The case's chip, built by the simulator.
pub fn build(id: &str) -> ConformanceCase {
    case(id).unwrap_or_else(|e| panic!("{id}: {e}"))
}

/// Passive authentication of the case's dump (SOD and the data groups a reader gets).
pub fn pa(c: &ConformanceCase) -> PassiveAuthReport {
    verify_passive(c.sod().unwrap_or(&[]), &c.data_groups(), &trust(c), &at())
}

/// The whole inspection: PACE with the CAN, read everything EF.COM lists, verify.
pub fn inspect(c: &ConformanceCase) -> (Document, Verification) {
    try_inspect(c).unwrap_or_else(|e| panic!("{}: {e}", c.id))
}

/// [`inspect`], the reader's error kept.
pub fn try_inspect(c: &ConformanceCase) -> Result<(Document, Verification), cccd::Error> {
    let card = c.card();
    let key = AccessKey::can_from_id(&card.persona().id_number).expect("valid CAN");
    let mut session = Reader::new(SimTransport::new(card)).open(&key)?;
    let doc = session.read_document(&ReadOptions::default(), &mut |_| {})?;
    let v = doc.verify(&trust(c), &at());
    Ok((doc, v))
}
