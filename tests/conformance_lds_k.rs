//! BSI TR-03105 Part 5.1 v1.5, unit LDS_K (EF.ATR/INFO), on the simulator's test chips. The
//! chips serve EF.ATR/INFO from the master file (FID 2F01, SFI 01).
//!
//! Decision (recorded in docs/conformance/catalogue.json): the reader does not read
//! EF.ATR/INFO. It learns the lengths a chip takes from the chip's own answers (the read-size
//! ladder, `cccd::reader::READ_SIZE_LADDER`), no hash or signature covers the file, and
//! failing a genuine document over it would be a rejection nobody can explain. So LDS_K_01
//! and LDS_K_02 pass as the plan says, and LDS_K_03 and LDS_K_04 (malformed EF.ATR/INFO, the
//! plan says fail) pass too: the tests assert that the file is never asked for.
#![cfg(feature = "sim")]

use crate::conformance_support as support;

use cccd::sim::conformance::Expected;
use support::{build, codes, inspect};

fn genuine_with_atr_info(id: &str, expected: Expected, content_hex: &str) {
    let c = build(id);
    assert_eq!(c.expected, expected, "{id}");
    assert_eq!(
        c.files.get("ATRInfo").map(hex::encode_upper),
        Some(content_hex.to_string())
    );
    // The chip serves it from the master file.
    let mut card = c.card();
    let r = card.process(&hex::decode("00A4020C022F01").expect("hex"));
    assert_eq!(r, [0x90, 0x00], "{id}: SELECT EF.ATR/INFO");
    let (doc, v) = inspect(&c);
    assert!(v.genuine, "{id}: {:?}", codes(&v));
    // Never read: no record of it in the document.
    assert!(doc.files().iter().all(|r| r.file.fid() != 0x2F01));
}

#[test]
fn lds_k_01() {
    genuine_with_atr_info("LDS_K_01", Expected::Pass, "7F66080202078002020780");
}

#[test]
fn lds_k_02() {
    genuine_with_atr_info("LDS_K_02", Expected::Pass, "7F660A020300FFFF020300FFFF");
}

/// The plan expects a failure; decision: EF.ATR/INFO is not read, the inspection passes.
#[test]
fn lds_k_03() {
    genuine_with_atr_info("LDS_K_03", Expected::Fail, "7F660402020780");
}

/// The plan expects a failure; decision: EF.ATR/INFO is not read, the inspection passes.
#[test]
fn lds_k_04() {
    genuine_with_atr_info("LDS_K_04", Expected::Fail, "7F65080202078002020780");
}
