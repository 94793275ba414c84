//! BSI TR-03105 Part 5.1 v1.5, unit LDS_K (EF.ATR/INFO), on the simulator's test chips: a
//! valid EF.ATR/INFO in the master file must not disturb the inspection. LDS_K_03 and
//! LDS_K_04 (malformed EF.ATR/INFO, expected to fail) are listed in docs/conformance.md.
#![cfg(feature = "sim")]

#[path = "support/conformance.rs"]
mod support;

use cccd::sim::conformance::Expected;
use support::{build, inspect};

fn genuine_with_atr_info(id: &str, content_hex: &str) {
    let c = build(id);
    assert_eq!(c.expected, Expected::Pass, "{id}");
    assert_eq!(
        c.files.get("ATRInfo").map(hex::encode_upper),
        Some(content_hex.to_string())
    );
    // The chip serves it from the master file.
    let mut card = c.card();
    let r = card.process(&hex::decode("00A4020C022F01").expect("hex"));
    assert_eq!(r, [0x90, 0x00], "{id}: SELECT EF.ATR/INFO");
    let (_, v) = inspect(&c);
    assert!(v.genuine, "{id}: {:?}", v.notes);
}

#[test]
fn lds_k_01() {
    genuine_with_atr_info("LDS_K_01", "7F66080202078002020780");
}

#[test]
fn lds_k_02() {
    genuine_with_atr_info("LDS_K_02", "7F660A020300FFFF020300FFFF");
}
