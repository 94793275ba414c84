//! The reader against a scripted hostile card: `Reader::open` + `read_document` +
//! `Document::verify` where every answer (and every reconnect) comes from the fuzzer's bytes,
//! in every state of the session (EF.CardAccess, PACE, BAC, secure messaging, file reads, Chip
//! and Active Authentication, re-opens). The man in the middle on a genuine card is
//! `reader_mitm`. See `fuzz/harness/reader_hostile.rs` for the input format and the oracle.
#![no_main]

#[path = "../harness/reader_hostile.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::run_scripted(data));
