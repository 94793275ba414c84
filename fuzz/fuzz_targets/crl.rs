//! CRLs on any bytes: parsing, the signature check against the issuing CSCA's key, revocation
//! look-ups, and loading into a trust store used for passive authentication.
#![no_main]

#[path = "../harness/crl.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::run(data));
