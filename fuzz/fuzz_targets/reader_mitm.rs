//! The reader against a man in the middle on a genuine simulated card's session (real PACE or
//! BAC, secure messaging, Chip and Active Authentication): for each exchange one action byte
//! passes, replaces, splices, truncates, unprotects, flips, replays or drops the answer, alters
//! the command, loses the tag, or swaps a file on the card. See `fuzz/harness/reader_hostile.rs`
//! for the input format and the oracle.
#![no_main]

#[path = "../harness/reader_hostile.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::run_mitm(data));
