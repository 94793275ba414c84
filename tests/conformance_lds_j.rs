//! BSI TR-03105 Part 5.1 v1.5, unit LDS_J (EF.CardSecurity), on the simulator's test chips.
//! The chips offer PACE-CAM (so EF.CardAccess announces EF.CardSecurity and PACE-CAM needs
//! it): the reader reads the file in the master file right after PACE, PACE-CAM is judged
//! against its key, and the verdict checks it like the SOD and against EF.CardAccess (ICAO
//! 9303-11 §9.2.11: EF.CardSecurity holds every SecurityInfo of EF.CardAccess).
#![cfg(all(feature = "sim", feature = "internals"))]

use crate::conformance_support as support;

use cccd::document::{
    AccessProtocol, ChipAuthMethod, ChipAuthRun, ChipAuthVerdict, Document, FileStatus, Finding,
    Verification,
};
use cccd::files::ElementaryFile;
use cccd::lds::LdsErrorKind;
use cccd::sim::conformance::Expected;
use support::{build, codes, inspect};

/// Reads the case's chip: PACE-CAM ran, EF.CardSecurity was read under it.
fn read(id: &str, expected: Expected) -> (Document, Verification) {
    let c = build(id);
    assert_eq!(c.expected, expected, "{id}");
    assert!(c.files.contains_key("CardSecurity"), "{id}");
    let (doc, v) = inspect(&c);
    assert!(
        matches!(&doc.access, AccessProtocol::Pace { name, .. } if name.contains("CAM")),
        "{id}: {:?}",
        doc.access
    );
    assert_eq!(
        doc.status(ElementaryFile::CardSecurity),
        Some(&FileStatus::Read),
        "{id}"
    );
    assert_eq!(
        doc.raw(ElementaryFile::CardSecurity),
        c.files.get("CardSecurity").map(Vec::as_slice)
    );
    (doc, v)
}

/// EF.CardSecurity holds one SecurityInfo more than EF.CardAccess (a TerminalAuthenticationInfo
/// version 2): allowed, and the chip is proven by PACE-CAM against its key.
#[test]
fn lds_j_01() {
    let (doc, v) = read("LDS_J_01", Expected::Pass);
    assert!(v.genuine, "{:?}", codes(&v));
    assert!(v.card_security.as_ref().is_some_and(|r| r.is_valid()));
    assert_eq!(
        doc.chip_authentication_run,
        ChipAuthRun::Completed {
            method: ChipAuthMethod::PaceCamCardSecurity
        }
    );
    assert_eq!(v.chip_authentication, ChipAuthVerdict::Trusted);
}

/// EF.CardSecurity lacks EF.CardAccess's PACEInfos.
#[test]
fn lds_j_02() {
    let (_, v) = read("LDS_J_02", Expected::Fail);
    assert!(!v.genuine);
    assert!(v.data_authentic, "the SOD still proves the data groups");
    assert!(
        v.findings.contains(&Finding::CardSecurityMismatch),
        "{:?}",
        codes(&v)
    );
}

/// EF.CardSecurity's PACEInfos name other domain parameters (12, EF.CardAccess 13): the
/// signed file and EF.CardAccess disagree, and the proven PACE support is not what
/// EF.CardAccess offered.
#[test]
fn lds_j_03() {
    let (_, v) = read("LDS_J_03", Expected::Fail);
    assert!(!v.genuine);
    assert!(v.findings.contains(&Finding::CardSecurityMismatch));
    assert!(v.findings.contains(&Finding::CardAccessMismatch));
}

/// The ChipAuthenticationPublicKeyInfo lost its protocol OID: EF.CardSecurity's content does
/// not parse, so the file is not valid.
#[test]
fn lds_j_04() {
    let (_, v) = read("LDS_J_04", Expected::Fail);
    assert!(!v.genuine);
    assert!(v.findings.contains(&Finding::CardSecurityInvalid));
    let report = v.card_security.as_ref().expect("verified");
    assert!(report.security_infos.is_none());
    match &report.content_error {
        Some(e) => {
            assert_eq!(e.file, ElementaryFile::CardSecurity);
            assert_eq!(
                e.kind,
                LdsErrorKind::UnexpectedTag {
                    expected: 0x06,
                    found: 0x30
                }
            )
        }
        other => panic!("{other:?}"),
    }
}
