//! BSI TR-03105 Part 5.1 v1.5, unit LDS_I (EF.DG15), on the simulator's test chips: DG15 is
//! malformed, its hash in the SOD updated; the inspection must fail on DG15.
#![cfg(feature = "sim")]

#[path = "support/conformance.rs"]
mod support;

use cccd::files::ElementaryFile;
use cccd::sim::conformance::Expected;
use cccd::verify::active::ActiveAuthResult;
use support::{build, inspect, pa, try_inspect};

fn dg15_refused(id: &str, needle: &str) {
    let c = build(id);
    assert_eq!(c.expected, Expected::Fail);
    assert!(pa(&c).is_signature_and_chain_valid(), "{id}");
    let (doc, v) = inspect(&c);
    assert!(!v.genuine, "{id}");
    assert!(doc
        .parse_failures
        .iter()
        .any(|f| f.file == ElementaryFile::Dg(15) && f.error.contains(needle)));
    match &v.active_authentication {
        ActiveAuthResult::Failed { reason } => {
            assert!(reason.contains("DG15 does not parse"), "{id}: {reason}")
        }
        other => panic!("{id}: {other:?}"),
    }
}

#[test]
fn lds_i_01() {
    dg15_refused("LDS_I_01", "expected tag 6F, found 70");
}

#[test]
fn lds_i_02() {
    dg15_refused("LDS_I_02", "data ends early");
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
        Ok((_, v)) => panic!("read through: {:?}", v.notes),
    }
}
