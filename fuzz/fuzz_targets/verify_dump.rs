//! Passive authentication of a genuine simulated dump (the files a phone uploads) against a
//! real trust store, with the fuzzer's mutations: bits flipped, files truncated, spliced,
//! replaced, removed, renamed or added.
//!
//! Oracle: a document reported genuine (or whose passive authentication passed) holds exactly
//! the genuine card's data-group bytes.
#![no_main]

#[path = "../harness/verify_dump.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::run(data));
