//! BSI TR-03105 Part 5.1 v1.5, units LDS_J (EF.CardSecurity) and LDS_K (EF.ATR/INFO), on the
//! simulator's test chips. Only the cases the plan expects to pass are here: the reader does
//! not read EF.CardSecurity or EF.ATR/INFO yet, so the cases expecting a failure (LDS_J_02..04,
//! LDS_K_03, LDS_K_04) are listed in docs/conformance.md as not passing.
#![cfg(feature = "sim")]

#[path = "support/conformance.rs"]
mod support;

use cccd::sim::conformance::Expected;
use support::{build, inspect};

/// The chip with the extra file is read and verified as genuine.
fn genuine_with(id: &str, file: &str) {
    let c = build(id);
    assert_eq!(c.expected, Expected::Pass, "{id}");
    assert!(c.files.contains_key(file), "{id}: no {file}");
    let (_, v) = inspect(&c);
    assert!(v.genuine, "{id}: {:?}", v.notes);
}

/// EF.CardSecurity holds one SecurityInfo more than EF.CardAccess.
#[test]
fn lds_j_01() {
    genuine_with("LDS_J_01", "CardSecurity");
}
