//! `EfCom::parse` on EF.COM-like structures built from the fuzzer's bytes, or on raw bytes
//! (see `fuzz/harness/com.rs` for the format and the round-trip oracle).
#![no_main]

#[path = "../harness/com.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::run(data));
