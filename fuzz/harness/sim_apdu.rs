//! The simulated card answering sequences of commands built from the fuzzer's bytes (it must
//! never panic). The cards are built once (persona, keys, face, SOD signature) and
//! power-cycled for each input with their random numbers as issued (no command writes a
//! file), so the target runs thousands of inputs a second.
//!
//! Input: a setup byte, then commands until the bytes run out (at most [`MAX_COMMANDS`]).
//! Setup:
//! - bits 0-1: the secure-messaging session the card starts in, as a completed BAC or PACE
//!   leaves it: none, AES-128, 3DES, AES-256 (known keys, installed with
//!   `Card::install_session`; the harness holds the same session and protects commands with
//!   it, so the SM-protected paths of every command are reached without a handshake per
//!   input; the plain BAC and PACE commands are still there for the fuzzer to drive);
//! - bit 2: the applet is selected first;
//! - bits 3-4: the card: the CCCD, the plain passport, the BSI specimen (3DES, explicit
//!   brainpoolP224r1, RSA Active Authentication), or a CCCD with a read-size cap of 128
//!   bytes answered `6Cxx`, Le `00` refused and no extended lengths.
//!
//! Each command: a descriptor byte, then what it asks for:
//! - bits 0-3: the instruction: SELECT, READ BINARY (`B0`, `B1`), GET CHALLENGE, EXTERNAL,
//!   INTERNAL and GENERAL AUTHENTICATE, MSE, GET RESPONSE, ENVELOPE, PSO, GET DATA, UPDATE
//!   BINARY, VERIFY, a raw INS byte (follows), or a raw APDU (a length-prefixed run of bytes
//!   sent as it is);
//! - bits 4-5: the class: protected under the session when there is one (else plain), plain
//!   `00` (which ends the session on the card), chaining `10`, or a raw CLA byte (follows);
//! - bits 6-7: Le: absent, short `00`, a short value (follows), an extended value (two bytes
//!   follow);
//! - then P1, P2 and the data (one length byte, or `FF` and two).
//!
//! The harness unwraps every protected answer with its session; an answer that does not
//! verify ends its session, as a reader's would.

use std::sync::{Mutex, OnceLock};

use cccd::access::sm::SecureMessaging;
use cccd::apdu::{Command, Response};
use cccd::crypto::rng::SeededRandom;
use cccd::sim::{Card, CardOptions, CipherAlg, LeRefusal, Profile};

/// Commands per input: enough for a PACE, a Chip Authentication and a few file reads.
const MAX_COMMANDS: usize = 64;

/// The instructions bits 0-3 of a command's descriptor pick (14: a raw INS, 15: a raw APDU).
const INSTRUCTIONS: [u8; 14] = [
    0xA4, 0xB0, 0xB1, 0x84, 0x82, 0x88, 0x86, 0x22, 0xC0, 0xC2, 0x2A, 0xCA, 0xD6, 0x20,
];

fn cards() -> &'static [Mutex<Option<Card>>; 4] {
    static CARDS: OnceLock<[Mutex<Option<Card>>; 4]> = OnceLock::new();
    CARDS.get_or_init(|| {
        // Commands the fuzzer repeats (PACE, Chip Authentication) repeat the card's curve
        // operations: computed once, then looked up (see `cccd::crypto::memo`).
        cccd::crypto::memo::enable_for_fuzzing();
        let mut capped = CardOptions::default();
        capped.max_le = Some(128);
        capped.refusal = LeRefusal::CorrectLength;
        capped.reject_le_zero = true;
        capped.extended_length = false;
        [
            Card::new(Profile::Cccd, 1),
            Card::new(Profile::Passport, 2),
            Card::new(Profile::Bsi, 3),
            Card::with_options(Profile::Cccd, 4, capped),
        ]
        .map(|c| Mutex::new(Some(c)))
    })
}

struct Bytes<'a>(&'a [u8]);

impl<'a> Bytes<'a> {
    fn byte(&mut self) -> Option<u8> {
        let (b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(*b)
    }

    fn take(&mut self, n: usize) -> &'a [u8] {
        let (head, rest) = self.0.split_at(n.min(self.0.len()));
        self.0 = rest;
        head
    }

    /// A length-prefixed run: one length byte, or `FF` and two more.
    fn chunk(&mut self) -> &'a [u8] {
        let n = match self.byte() {
            Some(0xFF) => {
                let hi = self.byte().unwrap_or(0);
                let lo = self.byte().unwrap_or(0);
                usize::from(u16::from_be_bytes([hi, lo]))
            }
            Some(n) => usize::from(n),
            None => 0,
        };
        self.take(n)
    }
}

/// A secure-messaging session installed on the card: cipher, K_Enc, K_MAC, the initial SSC.
type SessionKeys = (CipherAlg, Vec<u8>, Vec<u8>, Vec<u8>);

/// The session keys the card starts with (setup bits 0-1).
fn session(kind: u8) -> Option<SessionKeys> {
    let (alg, key_len, block) = match kind & 3 {
        1 => (CipherAlg::Aes128, 16, 16),
        2 => (CipherAlg::Tdes, 16, 8),
        3 => (CipherAlg::Aes256, 32, 16),
        _ => return None,
    };
    Some((
        alg,
        vec![0x11; key_len],
        vec![0x22; key_len],
        vec![0; block],
    ))
}

/// One input: the whole target (shared by the fuzz target and tests/fuzz_regressions.rs).
pub fn run(data: &[u8]) {
    let Some((&setup, rest)) = data.split_first() else {
        return;
    };
    let slot = &cards()[usize::from((setup >> 3) & 3)];
    let mut slot = slot.lock().unwrap_or_else(|e| e.into_inner());
    let mut card = slot.take().expect("the card is put back after each input");
    card.reset();
    let mut card = card.with_random(Box::new(SeededRandom::new(1)));
    if setup & 4 != 0 {
        let _ = card.process(&[
            0x00, 0xA4, 0x04, 0x0C, 0x07, 0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01,
        ]);
    }
    let mut sm = session(setup).and_then(|(alg, k_enc, k_mac, ssc)| {
        let installed = card.install_session(alg, &k_enc, &k_mac, &ssc);
        assert!(installed, "the card takes a {alg:?} session");
        SecureMessaging::new(alg, &k_enc, &k_mac, &ssc).ok()
    });
    let mut bytes = Bytes(rest);
    for _ in 0..MAX_COMMANDS {
        let Some(descriptor) = bytes.byte() else {
            break;
        };
        let ins = match descriptor & 0x0F {
            15 => {
                // A raw APDU, as it is.
                let apdu = bytes.chunk();
                let _ = card.process(apdu);
                sm = None;
                continue;
            }
            14 => bytes.byte().unwrap_or(0),
            i => INSTRUCTIONS[usize::from(i)],
        };
        let (cla, protect) = match (descriptor >> 4) & 3 {
            0 => (0x00, sm.is_some()),
            1 => (0x00, false),
            2 => (0x10, false),
            _ => (bytes.byte().unwrap_or(0), false),
        };
        let le = match descriptor >> 6 {
            0 => None,
            1 => Some((256, false)),
            2 => Some((usize::from(bytes.byte().unwrap_or(0)).max(1), false)),
            _ => {
                let hi = bytes.byte().unwrap_or(0);
                let lo = bytes.byte().unwrap_or(0);
                Some((usize::from(u16::from_be_bytes([hi, lo])).max(1), true))
            }
        };
        let p1 = bytes.byte().unwrap_or(0);
        let p2 = bytes.byte().unwrap_or(0);
        let data = bytes.chunk().to_vec();
        let mut cmd = Command::new(cla, ins, p1, p2).with_data(data);
        if let Some((le, extended)) = le {
            cmd = cmd.with_le(le).with_extended(extended);
        }
        if !protect {
            // A plain command ends the card's session (ICAO 9303-11 §9.8.4).
            sm = None;
            if let Ok(apdu) = cmd.to_bytes() {
                let _ = card.process(&apdu);
            }
            continue;
        }
        let Some(session) = sm.as_mut() else {
            continue;
        };
        let Some(apdu) = session.wrap(&cmd).ok().and_then(|c| c.to_bytes().ok()) else {
            sm = None;
            continue;
        };
        let answer = card.process(&apdu);
        let ok = Response::parse(&answer)
            .ok()
            .is_some_and(|r| session.unwrap(&r).is_ok());
        if !ok {
            sm = None;
        }
    }
    *slot = Some(card);
}
