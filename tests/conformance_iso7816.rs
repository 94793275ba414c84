//! BSI TR-03105 Part 5.1 v1.5 layer-6 cases on the simulator's test chips: ISO7816_G_36 (an
//! invalid PACE-CAM OID next to a valid PACE-GM one) and ISO7816_B_10 (passive authentication
//! with a revocation list, moved to ICAO-P4 LDS_D_32; definition from the title only).
#![cfg(feature = "sim")]

use crate::conformance_support as support;

use cccd::document::AccessProtocol;
use cccd::sim::conformance::Expected;
use cccd::verify::{ChainVerdict, Time};
use support::{build, codes, inspect, pa};

#[test]
fn iso7816_g_36() {
    let c = build("ISO7816_G_36");
    assert_eq!(c.expected, Expected::Pass);
    // EF.CardAccess really offers the undefined DH-CAM OID 0.4.0.127.0.7.2.2.4.5.2.
    let card_access = c.files.get("CardAccess").expect("EF.CardAccess");
    assert!(hex::encode_upper(card_access).contains("04007F00070202040502"));
    let (doc, v) = inspect(&c);
    assert!(
        matches!(doc.access, AccessProtocol::Pace { .. }),
        "{:?}",
        doc.access
    );
    assert!(v.genuine, "{:?}", codes(&v));
}

/// ICAO-P4 LDS_D_32 (title only): the CSCA's CRL lists the DSC.
#[test]
fn iso7816_b_10() {
    let c = build("ISO7816_B_10");
    assert_eq!(c.expected, Expected::Fail);
    let r = pa(&c);
    assert!(!r.is_genuine());
    assert_eq!(
        r.chain,
        ChainVerdict::Revoked {
            revocation_date: Time::from_ymd(2025, 6, 1).expect("date")
        }
    );
    // Without the CRL the same chip passes: the CRL is what fails it.
    let mut without = c.clone();
    without.crls.clear();
    assert!(pa(&without).is_genuine());
}
