//! Trust sources on any bytes: ICAO PKD LDIF exports (folded base64, certificates, CRLs,
//! master lists), PEM, and the by-content loader that picks between them.
#![no_main]

#[path = "../harness/ldif.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::run(data));
