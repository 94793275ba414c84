//! Shared by the `conformance_*` tests: the trust store of a BSI TR-03105-5.1 test chip, the
//! "now" of every run, and the two ways an inspection runs (a dump through
//! `verify_passive`, the chip through `Reader` + `SimTransport` + `Document::verify`).
#![cfg(feature = "sim")]
#![allow(dead_code)]

use base64ct::{Base64, Encoding};
use cccd::access::AccessKey;
use cccd::document::{Document, Finding, Verification};
use cccd::reader::{ReadOptions, Reader};
use cccd::sim::conformance::{case, ConformanceCase};
use cccd::sim::SimTransport;
use cccd::verify::{verify_passive, PaOptions, PassiveAuthReport, Time, TrustStore};

/// Every case runs at the same moment: inside the DSC's validity (2024–2035).
pub fn at() -> PaOptions {
    PaOptions::default().at(Time::from_ymd(2026, 1, 1).expect("a valid date"))
}

/// The CSCA(s), the Document Signers the inspection system holds (as an ICAO PKD LDIF's
/// `userCertificate` values: signers only, never issuers), and the CRLs of a case.
pub fn trust(c: &ConformanceCase) -> TrustStore {
    let mut t = TrustStore::new();
    for der in &c.trust_anchors {
        t.add_certificate_der(der).expect("test certificate loads");
    }
    if !c.extra_certificates.is_empty() {
        let ldif: String = c
            .extra_certificates
            .iter()
            .map(|der| {
                format!(
                    "userCertificate;binary:: {}\n\n",
                    Base64::encode_string(der)
                )
            })
            .collect();
        let report = t.add_ldif(ldif.as_bytes()).expect("LDIF loads");
        assert_eq!(report.document_signers_added, c.extra_certificates.len());
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

/// The stable codes of a verdict's findings, most serious first.
pub fn codes(v: &Verification) -> Vec<&'static str> {
    v.findings.iter().map(Finding::code).collect()
}
