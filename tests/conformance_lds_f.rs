//! BSI TR-03105 Part 5.1 v1.5, unit LDS_F (EF.DG14), on the simulator's test chips: DG14 is
//! malformed but its hash in the SOD is updated, so passive authentication alone holds and
//! the inspection must fail on DG14 itself: DG14 does not parse (the parser's typed error),
//! and Chip Authentication fails with it.
#![cfg(all(feature = "sim", feature = "internals"))]

use crate::conformance_support as support;

use cccd::document::{CaFailure, ChipAuthVerdict, Finding};
use cccd::lds::LdsErrorKind;
use cccd::sim::conformance::Expected;
use cccd::tlv::TlvErrorKind;
use cccd::ElementaryFile;
use support::{build, inspect, pa, try_inspect};

/// The SOD is valid, DG14 does not parse, Chip Authentication fails with DG14's parse error,
/// and the document is not genuine.
fn dg14_refused(id: &str) -> LdsErrorKind {
    let c = build(id);
    assert_eq!(c.expected, Expected::Fail);
    assert!(pa(&c).is_signature_and_chain_valid(), "{id}");
    let (doc, v) = inspect(&c);
    assert!(!v.genuine, "{id}");
    assert!(v.findings.contains(&Finding::FileDoesNotParse {
        file: ElementaryFile::Dg(14)
    }));
    let failure = doc
        .parse_failures
        .iter()
        .find(|f| f.file == ElementaryFile::Dg(14))
        .unwrap_or_else(|| panic!("{id}: DG14 parsed"));
    assert_eq!(
        v.chip_authentication,
        ChipAuthVerdict::Failed {
            failure: CaFailure::Dg14Malformed(failure.clone())
        },
        "{id}"
    );
    failure.kind.clone()
}

/// The TLV fault inside an LDS error (a wrong tag has its own kind, one spelling for every
/// parser).
fn tlv_kind(e: LdsErrorKind) -> TlvErrorKind {
    match e {
        LdsErrorKind::Tlv(kind) => kind,
        LdsErrorKind::UnexpectedTag { expected, found } => {
            TlvErrorKind::UnexpectedTag { expected, found }
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn lds_f_01() {
    assert_eq!(
        tlv_kind(dg14_refused("LDS_F_01")),
        TlvErrorKind::UnexpectedTag {
            expected: 0x6E,
            found: 0x6F
        }
    );
}

#[test]
fn lds_f_02() {
    assert!(matches!(
        tlv_kind(dg14_refused("LDS_F_02")),
        TlvErrorKind::Truncated { .. }
    ));
}

#[test]
fn lds_f_03() {
    let c = build("LDS_F_03");
    assert_eq!(c.expected, Expected::Fail);
    // DG14 claims one byte more than the file holds: reading to the claimed end runs past
    // the end of the file, which the chip refuses (6B00), and the inspection stops there.
    match try_inspect(&c) {
        Err(cccd::Error::Card { command, sw }) => {
            assert_eq!(command, "READ BINARY");
            assert_eq!(sw, cccd::apdu::StatusWord(0x6B00));
        }
        Err(e) => panic!("{e:?}"),
        Ok((_, v)) => panic!("read through: {:?}", support::codes(&v)),
    }
}

/// ChipAuthenticationPublicKeyInfo under 0.4.0.127.0.7.2.2.1.3: an id-PK OID nobody
/// defined. Not an unknown SecurityInfo to skip (it is the chip's only key): DG14 is refused.
#[test]
fn lds_f_04() {
    match dg14_refused("LDS_F_04") {
        LdsErrorKind::UndefinedPublicKeyProtocol { protocol } => {
            assert_eq!(protocol, "0.4.0.127.0.7.2.2.1.3")
        }
        other => panic!("{other:?}"),
    }
}

/// Our reading of "missing chip authentication OID": the key info's protocol OID removed,
/// so its first element is the SubjectPublicKeyInfo.
#[test]
fn lds_f_05() {
    assert_eq!(
        tlv_kind(dg14_refused("LDS_F_05")),
        TlvErrorKind::UnexpectedTag {
            expected: 0x06,
            found: 0x30
        }
    );
}

/// ChipAuthenticationInfo version 10 (defined: 1, 2, 3).
#[test]
fn lds_f_06() {
    match dg14_refused("LDS_F_06") {
        LdsErrorKind::UnsupportedVersion { version } => assert_eq!(version, 10),
        other => panic!("{other:?}"),
    }
}

#[test]
fn lds_f_07() {
    assert_eq!(
        tlv_kind(dg14_refused("LDS_F_07")),
        TlvErrorKind::Missing(0x02)
    );
}
