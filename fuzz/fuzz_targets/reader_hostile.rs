//! The reader against a hostile card: `Reader::open` + `read_document` + `Document::verify`.
//!
//! The first byte picks the card and the read options. Its low bit picks the adversary:
//! - a scripted card: every answer (and every reconnect) comes from the fuzzer's bytes, in
//!   every state of the session (EF.CardAccess, PACE, BAC, secure messaging, file reads,
//!   Chip and Active Authentication, re-opens);
//! - a man in the middle between the reader and a genuine simulated card (real PACE or BAC and
//!   secure messaging): for each exchange one action byte passes, replaces, splices, truncates,
//!   unprotects, flips, replays or drops the answer, alters the command, loses the tag, or
//!   swaps a file on the card.
//!
//! Oracle: no panic, no hang (libFuzzer's timeout), a bounded number of APDUs and reconnects,
//! every command APDU of a legal length, and a document reported genuine carries exactly the
//! genuine card's data-group bytes, was read with PACE where the card offers it, and comes
//! from a chip holding the genuine keys (a clone never passes).
//!
//! The cards are built once per process and reset for each input.
#![no_main]

#[path = "../harness/reader_hostile.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::run(data));
