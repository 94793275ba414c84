//! BSI TR-03105 Part 5.1 v1.5, unit LDS_I (EF.DG15), on the simulator's test chips: DG15 is
//! malformed, its hash in the SOD updated; the inspection must fail on DG15: it does not
//! parse, and Active Authentication fails with that error.
#![cfg(all(feature = "sim", feature = "internals"))]

use crate::conformance_support as support;

use cccd::document::{AaFailure, ActiveAuthVerdict, Finding};
use cccd::lds::LdsErrorKind;
use cccd::sim::conformance::Expected;
use cccd::tlv::TlvErrorKind;
use cccd::ElementaryFile;
use support::{build, inspect, pa, try_inspect};

fn dg15_refused(id: &str) -> LdsErrorKind {
    let c = build(id);
    assert_eq!(c.expected, Expected::Fail);
    assert!(pa(&c).is_signature_and_chain_valid(), "{id}");
    let (doc, v) = inspect(&c);
    assert!(!v.genuine, "{id}");
    assert!(v.findings.contains(&Finding::FileDoesNotParse {
        file: ElementaryFile::Dg(15)
    }));
    let failure = doc
        .parse_failures
        .iter()
        .find(|f| f.file == ElementaryFile::Dg(15))
        .unwrap_or_else(|| panic!("{id}: DG15 parsed"));
    assert_eq!(
        v.active_authentication,
        ActiveAuthVerdict::Failed {
            failure: AaFailure::Dg15Malformed(failure.clone())
        },
        "{id}"
    );
    failure.kind.clone()
}

#[test]
fn lds_i_01() {
    assert_eq!(
        dg15_refused("LDS_I_01"),
        LdsErrorKind::UnexpectedTag {
            expected: 0x6F,
            found: 0x70
        }
    );
}

#[test]
fn lds_i_02() {
    assert!(matches!(
        dg15_refused("LDS_I_02"),
        LdsErrorKind::Tlv(TlvErrorKind::Truncated { .. })
    ));
}

#[test]
fn lds_i_03() {
    let c = build("LDS_I_03");
    assert_eq!(c.expected, Expected::Fail);
    // DG15 claims one byte more than the file holds: reading to the claimed end runs past
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
