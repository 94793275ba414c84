//! BSI TR-03105 Part 5.1 v1.5, unit LDS_F (EF.DG14), on the simulator's test chips: DG14 is
//! malformed but its hash in the SOD is updated, so passive authentication alone holds and
//! the inspection must fail on DG14 itself. Cases whose verdict does not match yet
//! (LDS_F_04..06) are listed in docs/conformance.md, not here.
#![cfg(feature = "sim")]

#[path = "support/conformance.rs"]
mod support;

use cccd::files::ElementaryFile;
use cccd::sim::conformance::Expected;
use cccd::verify::chip::ChipAuthResult;
use support::{build, inspect, pa, try_inspect};

/// The SOD is valid, DG14 does not parse, Chip Authentication fails naming DG14's parse
/// error, and the document is not genuine.
fn dg14_refused(id: &str, needle: &str) {
    let c = build(id);
    assert_eq!(c.expected, Expected::Fail);
    assert!(pa(&c).is_signature_and_chain_valid(), "{id}");
    let (doc, v) = inspect(&c);
    assert!(!v.genuine, "{id}");
    let failure = doc
        .parse_failures
        .iter()
        .find(|f| f.file == ElementaryFile::Dg(14))
        .unwrap_or_else(|| panic!("{id}: DG14 parsed"));
    assert!(failure.error.contains(needle), "{id}: {}", failure.error);
    match &v.chip_authentication {
        ChipAuthResult::Failed { reason } => {
            assert!(reason.contains("DG14 does not parse"), "{id}: {reason}")
        }
        other => panic!("{id}: {other:?}"),
    }
}

#[test]
fn lds_f_01() {
    dg14_refused("LDS_F_01", "expected tag 6E, found 6F");
}

#[test]
fn lds_f_02() {
    dg14_refused("LDS_F_02", "data ends early");
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
        Ok((_, v)) => panic!("read through: {:?}", v.notes),
    }
}

#[test]
fn lds_f_07() {
    dg14_refused("LDS_F_07", "missing element 02");
}
