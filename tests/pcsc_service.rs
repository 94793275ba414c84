//! The smart-card service coming and going under a waiting teller app, through the real PC/SC
//! stack (libpcsclite -> a private pcscd -> vsmartcard vpcd). Windows runs its Smart Card
//! service only while a reader is plugged in and stops it when the last one leaves (Microsoft,
//! "What's New in Smart Cards", Windows 8 / Server 2012); stopping and starting pcscd plays
//! that here. Skips (loudly) where pcscd cannot run.
#![cfg(all(feature = "pcsc", feature = "sim"))]

#[path = "common/pcscd.rs"]
mod pcscd;

use cccd::sim::vpcd::{VirtualCard, ATR_EMRTD_SHORT_LENGTH};
use cccd::transport::pcsc::PcscTransport;
use cccd::transport::{Transport, TransportError};
use std::thread;
use std::time::{Duration, Instant};

/// SELECT answers `9000`, anything else `6D00`.
struct SelectCard;

impl VirtualCard for SelectCard {
    fn atr(&self) -> Vec<u8> {
        ATR_EMRTD_SHORT_LENGTH.to_vec()
    }
    fn power_on(&mut self) {}
    fn power_off(&mut self) {}
    fn reset(&mut self) {}
    fn process(&mut self, apdu: &[u8]) -> Vec<u8> {
        match apdu {
            [0x00, 0xA4, ..] => vec![0x90, 0x00],
            _ => vec![0x6D, 0x00],
        }
    }
}

/// SELECT of the eMRTD application (ICAO 9303-10).
const SELECT_EMRTD: [u8; 13] = [
    0x00, 0xA4, 0x04, 0x0C, 0x07, 0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01, 0x00,
];

/// One test, in order: libpcsclite reads its socket name once per process, and every step
/// needs the service at that one socket up or down (tests of one binary run in parallel).
#[test]
fn wait_for_card_outlives_the_service_coming_and_going() {
    const TEST: &str = "wait_for_card_outlives_the_service_coming_and_going";
    // Start and stop a private pcscd: the client library now knows its socket, where nothing
    // listens any more.
    let Some(first) = pcscd::start(TEST) else {
        return;
    };
    let reader = first.reader_name();
    drop(first);

    // No service: a typed error, at once where nothing waits.
    assert_eq!(
        PcscTransport::list_readers(),
        Err(TransportError::NoService)
    );
    assert!(matches!(
        PcscTransport::connect_first_with_card(),
        Err(TransportError::NoService)
    ));
    assert!(matches!(
        PcscTransport::connect(&reader),
        Err(TransportError::NoService)
    ));
    // A wait keeps trying until its deadline, then names what was missing.
    let started = Instant::now();
    let waited = PcscTransport::wait_for_card(None, Duration::from_millis(800));
    assert!(
        matches!(waited, Err(TransportError::NoService)),
        "{waited:?}"
    );
    assert!(started.elapsed() >= Duration::from_millis(800));

    // The service starts while the teller app waits (the reader is plugged in): the wait
    // establishes a new context and finds the card.
    let name = reader.clone();
    let waiter =
        thread::spawn(move || PcscTransport::wait_for_card(Some(&name), Duration::from_secs(30)));
    thread::sleep(Duration::from_millis(700));
    let second = pcscd::start(TEST).expect("pcscd started once already");
    let card = second.insert(SelectCard);
    let mut t = waiter
        .join()
        .expect("waiter thread")
        .expect("the card, once the service is up");
    assert_eq!(t.reader_name(), reader);
    assert_eq!(t.transmit(&SELECT_EMRTD), Ok(vec![0x90, 0x00]));
    drop(t);
    let _ = card.remove();
    assert!(second.wait_card_state(false, Duration::from_secs(10)));

    // The service stops under a waiting app (the last reader unplugged) and comes back.
    let name = reader.clone();
    let waiter =
        thread::spawn(move || PcscTransport::wait_for_card(Some(&name), Duration::from_secs(30)));
    thread::sleep(Duration::from_millis(700));
    drop(second);
    thread::sleep(Duration::from_millis(700));
    if waiter.is_finished() {
        panic!(
            "the wait gave up when the service stopped: {:?}",
            waiter.join()
        );
    }
    let third = pcscd::start(TEST).expect("pcscd started twice already");
    let card = third.insert(SelectCard);
    let mut t = waiter
        .join()
        .expect("waiter thread")
        .expect("the card, once the service is back");
    assert_eq!(t.transmit(&SELECT_EMRTD), Ok(vec![0x90, 0x00]));
    drop(t);
    let _ = card.remove();
    assert!(third.wait_card_state(false, Duration::from_secs(10)));

    // At the deadline the error names what was missing: no reader matched ...
    let started = Instant::now();
    let waited = PcscTransport::wait_for_card(Some("no such reader"), Duration::from_millis(600));
    assert!(
        matches!(&waited, Err(TransportError::NoReader(m)) if m.contains("no such reader")),
        "{waited:?}"
    );
    assert!(started.elapsed() >= Duration::from_millis(600));
    // ... or the reader holds no card.
    let waited = PcscTransport::wait_for_card(Some(&reader), Duration::from_millis(600));
    assert!(matches!(waited, Err(TransportError::NoCard)), "{waited:?}");
    drop(third);
}
