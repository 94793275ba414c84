//! CSCA master lists on any bytes: parsing, the signer's check against real roots (the German
//! and Dutch master-list signer roots), and loading into a trust store.
#![no_main]

#[path = "../harness/master_list.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::run(data));
