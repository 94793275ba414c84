//! The simulated card answering any command bytes (it must never panic). The card is built
//! once (persona, keys, face, SOD signature) and power-cycled for each input, with its files
//! and random numbers as issued, so the target runs thousands of inputs a second.
#![no_main]

#[path = "../harness/sim_apdu.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::run(data));
