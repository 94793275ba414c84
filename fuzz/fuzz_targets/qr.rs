//! The card's QR text: QrData::parse, then both keys from it.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(qr) = cccd::access::key::QrData::parse(&text) {
        let _ = qr.can();
        let _ = qr.mrz_key();
    }
});
