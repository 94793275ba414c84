//! The simulated card answering any command bytes (it must never panic). The card is built
//! once (persona, keys, face, SOD signature) and power-cycled for each input, with its files
//! and random numbers as issued, so the target runs thousands of inputs a second.

use std::sync::{Mutex, OnceLock};

use cccd::crypto::rng::SeededRandom;
use cccd::sim::fs::FileSystem;
use cccd::sim::{Card, Profile};

fn card() -> &'static Mutex<Option<(Card, FileSystem)>> {
    static CARD: OnceLock<Mutex<Option<(Card, FileSystem)>>> = OnceLock::new();
    CARD.get_or_init(|| {
        let card = Card::new(Profile::Cccd, 1);
        let files = card.files().clone();
        Mutex::new(Some((card, files)))
    })
}

/// One input: the whole target (shared by the fuzz target and tests/fuzz_regressions.rs).
pub fn run(data: &[u8]) {
    let mut slot = card().lock().unwrap_or_else(|e| e.into_inner());
    let (mut card, files) = slot.take().expect("the card is put back after each input");
    card.reset();
    let mut card = card.with_random(Box::new(SeededRandom::new(1)));
    for apdu in data.split(|b| *b == 0xFF) {
        let _ = card.process(apdu);
    }
    *card.files_mut() = files.clone();
    *slot = Some((card, files));
}
