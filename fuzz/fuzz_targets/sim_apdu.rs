//! The simulated card answering any command bytes (it must never panic).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut card = cccd::sim::Card::new(cccd::sim::Profile::Cccd, 1);
    for apdu in data.split(|b| *b == 0xFF) {
        let _ = card.process(apdu);
    }
});
