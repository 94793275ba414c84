//! EF.CardSecurity on any bytes: SecurityInfos inside a CMS SignedData, verified like EF.SOD
//! against a real trust store (the German master list, which anchors the real
//! EF.CardSecurity of the seed corpus).
#![no_main]

#[path = "../harness/card_security.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::run(data));
