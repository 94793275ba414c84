//! The real PC/SC stack end to end: libpcsclite -> a private pcscd -> vsmartcard vpcd -> TCP
//! -> `cccd::sim::vpcd` -> a trivial card. Skips (loudly) where pcscd cannot run.
#![cfg(all(feature = "pcsc", feature = "sim"))]

#[path = "common/pcscd.rs"]
mod pcscd;

use cccd::sim::vpcd::{SessionEnd, VirtualCard, ATR_EMRTD_EXTENDED_LENGTH, ATR_EMRTD_SHORT_LENGTH};
use cccd::transport::pcsc::PcscTransport;
use cccd::transport::{Transport, TransportError};
use std::time::Duration;

const CARD_TIMEOUT: Duration = Duration::from_secs(10);

/// Answers SELECT with `9000`, GET CHALLENGE with 8 counting bytes, READ BINARY with Le bytes
/// (up to 65536, extended or short), anything else with `6D00`.
struct TrivialCard {
    atr: Vec<u8>,
    powered: bool,
    power_ons: usize,
}

impl TrivialCard {
    fn new(atr: &[u8]) -> Self {
        Self {
            atr: atr.to_vec(),
            powered: false,
            power_ons: 0,
        }
    }
}

impl VirtualCard for TrivialCard {
    fn atr(&self) -> Vec<u8> {
        self.atr.clone()
    }
    fn power_on(&mut self) {
        self.powered = true;
        self.power_ons += 1;
    }
    fn power_off(&mut self) {
        self.powered = false;
    }
    fn reset(&mut self) {}
    fn process(&mut self, apdu: &[u8]) -> Vec<u8> {
        match apdu {
            [0x00, 0xA4, ..] => vec![0x90, 0x00],
            [0x00, 0x84, 0x00, 0x00, 0x08] => {
                let mut r: Vec<u8> = (1..=8).collect();
                r.extend_from_slice(&[0x90, 0x00]);
                r
            }
            // READ BINARY, extended Le (no data): 00 B0 P1 P2 00 Le1 Le2.
            [0x00, 0xB0, _, _, 0x00, hi, lo] => {
                let le = match u16::from_be_bytes([*hi, *lo]) {
                    0 => 65_536,
                    n => usize::from(n),
                };
                let mut r: Vec<u8> = (0..le).map(|i| (i % 251) as u8).collect();
                r.extend_from_slice(&[0x90, 0x00]);
                r
            }
            // READ BINARY, short Le.
            [0x00, 0xB0, _, _, le] => {
                let le = if *le == 0 { 256 } else { usize::from(*le) };
                let mut r: Vec<u8> = (0..le).map(|i| (i % 251) as u8).collect();
                r.extend_from_slice(&[0x90, 0x00]);
                r
            }
            _ => vec![0x6D, 0x00],
        }
    }
}

fn expected_read(le: usize) -> Vec<u8> {
    let mut r: Vec<u8> = (0..le).map(|i| (i % 251) as u8).collect();
    r.extend_from_slice(&[0x90, 0x00]);
    r
}

#[test]
fn reader_appears_and_apdus_round_trip() {
    let Some(pcscd) = pcscd::start("reader_appears_and_apdus_round_trip") else {
        return;
    };
    let readers = PcscTransport::list_readers().unwrap();
    assert!(
        readers.contains(&pcscd.reader_name()),
        "readers: {readers:?}"
    );

    let card = pcscd.insert(TrivialCard::new(&ATR_EMRTD_EXTENDED_LENGTH));
    let mut t = PcscTransport::wait_for_card(Some(&pcscd.reader_name()), CARD_TIMEOUT).unwrap();
    assert_eq!(t.reader_name(), pcscd.reader_name());
    assert_eq!(t.atr(), ATR_EMRTD_EXTENDED_LENGTH);

    // SELECT EF.CardAccess, then GET CHALLENGE.
    assert_eq!(
        t.transmit(&[0x00, 0xA4, 0x02, 0x0C, 0x02, 0x01, 0x1C])
            .unwrap(),
        [0x90, 0x00]
    );
    assert_eq!(
        t.transmit(&[0x00, 0x84, 0x00, 0x00, 0x08]).unwrap(),
        [1, 2, 3, 4, 5, 6, 7, 8, 0x90, 0x00]
    );
    assert_eq!(t.transmit(&[0x00, 0xCA, 0x01, 0x00]).unwrap(), [0x6D, 0x00]);
    drop(t);

    let (card, end) = card.remove();
    assert_eq!(end, Ok(SessionEnd::Stopped));
    assert!(card.power_ons >= 1, "pcscd powered the card");
    assert!(!card.powered, "a removed card is unpowered");
}

#[test]
fn extended_length_follows_the_atr_and_passes_1000_bytes() {
    let Some(pcscd) = pcscd::start("extended_length_follows_the_atr_and_passes_1000_bytes") else {
        return;
    };
    let card = pcscd.insert(TrivialCard::new(&ATR_EMRTD_EXTENDED_LENGTH));
    let mut t = PcscTransport::wait_for_card(Some(&pcscd.reader_name()), CARD_TIMEOUT).unwrap();
    assert!(t.supports_extended_length());
    // READ BINARY with extended Le = 1000 (03E8).
    let response = t
        .transmit(&[0x00, 0xB0, 0x00, 0x00, 0x00, 0x03, 0xE8])
        .unwrap();
    assert_eq!(response.len(), 1002);
    assert_eq!(response, expected_read(1000));
    // The largest response a frame allows: 65533 data bytes + SW.
    let response = t
        .transmit(&[0x00, 0xB0, 0x00, 0x00, 0x00, 0xFF, 0xFD])
        .unwrap();
    assert_eq!(response, expected_read(0xFFFD));
    drop(t);
    assert_eq!(card.remove().1, Ok(SessionEnd::Stopped));
    // Until pcscd polls the slot (every 400 ms) it still reports the old card and its ATR.
    assert!(pcscd.wait_card_state(false, CARD_TIMEOUT));

    let card = pcscd.insert(TrivialCard::new(&ATR_EMRTD_SHORT_LENGTH));
    let mut t = PcscTransport::wait_for_card(Some(&pcscd.reader_name()), CARD_TIMEOUT).unwrap();
    assert_eq!(t.atr(), ATR_EMRTD_SHORT_LENGTH);
    assert!(!t.supports_extended_length());
    assert_eq!(
        t.transmit(&[0x00, 0xB0, 0x00, 0x00, 0x00]).unwrap(),
        expected_read(256)
    );
    drop(t);
    assert_eq!(card.remove().1, Ok(SessionEnd::Stopped));
}

#[test]
fn removal_is_card_removed_and_reinsertion_reconnects() {
    let Some(pcscd) = pcscd::start("removal_is_card_removed_and_reinsertion_reconnects") else {
        return;
    };
    let card = pcscd.insert(TrivialCard::new(&ATR_EMRTD_EXTENDED_LENGTH));
    let mut t = PcscTransport::wait_for_card(Some(&pcscd.reader_name()), CARD_TIMEOUT).unwrap();
    assert_eq!(
        t.transmit(&[0x00, 0xA4, 0x04, 0x0C, 0x00]).unwrap(),
        [0x90, 0x00]
    );

    let (card, end) = card.remove();
    assert_eq!(end, Ok(SessionEnd::Stopped));
    assert!(
        pcscd.wait_card_state(false, CARD_TIMEOUT),
        "pcscd never saw the card leave"
    );
    assert_eq!(
        t.transmit(&[0x00, 0x84, 0x00, 0x00, 0x08]),
        Err(TransportError::CardRemoved)
    );
    // No card: reconnecting cannot succeed yet.
    assert!(t.reconnect().is_err());

    let card = pcscd.insert(card);
    assert!(
        pcscd.wait_card_state(true, CARD_TIMEOUT),
        "pcscd never saw the card come back"
    );
    t.reconnect().unwrap();
    assert_eq!(
        t.transmit(&[0x00, 0x84, 0x00, 0x00, 0x08]).unwrap(),
        [1, 2, 3, 4, 5, 6, 7, 8, 0x90, 0x00]
    );
    drop(t);
    let (card, _) = card.remove();
    assert!(card.power_ons >= 2, "powered again after re-insertion");
}

#[test]
fn card_pulled_during_a_session_is_card_removed_at_once() {
    let Some(pcscd) = pcscd::start("card_pulled_during_a_session_is_card_removed_at_once") else {
        return;
    };
    let card = pcscd.insert(TrivialCard::new(&ATR_EMRTD_EXTENDED_LENGTH));
    let mut t = PcscTransport::wait_for_card(Some(&pcscd.reader_name()), CARD_TIMEOUT).unwrap();
    assert_eq!(
        t.transmit(&[0x00, 0xA4, 0x04, 0x0C, 0x00]).unwrap(),
        [0x90, 0x00]
    );
    // The tag leaves the field between two APDUs, before pcscd's next poll.
    assert_eq!(card.remove().1, Ok(SessionEnd::Stopped));
    assert_eq!(
        t.transmit(&[0x00, 0x84, 0x00, 0x00, 0x08]),
        Err(TransportError::CardRemoved)
    );
}

/// vpcd sends each APDU's 2-byte length and its body in two `send()` calls; if the card's
/// socket delays its ACK (Nagle on vpcd's side + delayed ACK on ours) every APDU stalls for
/// about 40 ms. 17 APDUs (a small read) must take well under the 0.68 s the stall would cost:
/// the target is 0.15 s; the bound leaves room for a loaded machine.
#[test]
fn seventeen_apdus_do_not_stall_on_delayed_acks() {
    let Some(pcscd) = pcscd::start("seventeen_apdus_do_not_stall_on_delayed_acks") else {
        return;
    };
    let card = pcscd.insert(TrivialCard::new(&ATR_EMRTD_EXTENDED_LENGTH));
    let mut t = PcscTransport::wait_for_card(Some(&pcscd.reader_name()), CARD_TIMEOUT).unwrap();
    // Warm up the connection (pcscd's first exchange may include its own probing).
    t.transmit(&[0x00, 0xA4, 0x04, 0x0C, 0x00]).unwrap();
    let start = std::time::Instant::now();
    for i in 0..17u8 {
        let r = if i % 2 == 0 {
            t.transmit(&[0x00, 0x84, 0x00, 0x00, 0x08]).unwrap()
        } else {
            t.transmit(&[0x00, 0xB0, 0x00, i, 0xDF]).unwrap()
        };
        assert_eq!(r[r.len() - 2..], [0x90, 0x00]);
    }
    let elapsed = start.elapsed();
    eprintln!("17 APDUs over pcscd + vpcd: {:.3} s", elapsed.as_secs_f64());
    assert!(
        elapsed < Duration::from_millis(400),
        "17 APDUs took {elapsed:?}: delayed-ACK stall"
    );
    drop(t);
    let _ = card.remove();
}
