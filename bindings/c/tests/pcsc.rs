//! `cccd_read` with a NULL transmit callback reads through PC/SC: here a real pcscd with the
//! vsmartcard vpcd reader serving the simulated card (the library's own harness,
//! `tests/common/pcscd.rs`), as teller software reads a card on a desk reader.
#![deny(clippy::undocumented_unsafe_blocks)]
#![cfg(feature = "pcsc")]

#[path = "../../../tests/common/pcscd.rs"]
mod pcscd;

use std::ffi::{CStr, CString};
use std::ptr;
use std::time::{Duration, Instant};

use cccd::sim::{Card, Profile};
use cccd_ffi::*;
use serde_json::Value;

const SEED: u64 = 41;

fn read(request: &Value, cancel: *const cccd_cancel_token) -> (i32, Value) {
    let req = CString::new(request.to_string()).unwrap();
    let mut out = ptr::null_mut();
    // SAFETY: a valid request, no callbacks (PC/SC), a live token or NULL, a writable pointer.
    let rc = unsafe {
        cccd_read_ex(
            req.as_ptr(),
            None,
            ptr::null_mut(),
            0,
            None,
            ptr::null_mut(),
            cancel,
            &mut out,
        )
    };
    // SAFETY: the library's string, read then freed once.
    let json = unsafe { CStr::from_ptr(out) }.to_str().unwrap().to_owned();
    // SAFETY: as above.
    unsafe { cccd_string_free(out) };
    (rc, serde_json::from_str(&json).unwrap())
}

#[test]
fn cccd_read_without_a_callback_reads_through_pcscd() {
    let Some(pcscd) = pcscd::start("cccd_read_without_a_callback_reads_through_pcscd") else {
        return;
    };
    let p = Card::new(Profile::Cccd, SEED).persona().clone();

    // No card yet, and the teller presses Cancel (from another thread) while the read waits
    // for one (up to 10 s): the wait ends with `cancelled` within a few hundred milliseconds.
    let token = cccd_cancel_token_new();
    let address = token as usize;
    let canceller = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(500));
        // SAFETY: the token outlives this thread (joined before it is freed).
        unsafe { cccd_cancel(address as *const cccd_cancel_token) };
    });
    let started = Instant::now();
    let (rc, v) = read(
        &serde_json::json!({ "id_number": p.id_number, "reader": pcscd.reader_name() }),
        token,
    );
    canceller.join().unwrap();
    assert_eq!(
        (rc, v["error"]["code"].as_str()),
        (CCCD_FAILURE, Some("cancelled")),
        "{v}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    // SAFETY: no read uses it any more.
    unsafe { cccd_cancel_token_free(token) };

    let inserted = pcscd.insert(Card::new(Profile::Cccd, SEED));
    let (rc, doc) = read(
        &serde_json::json!({ "id_number": p.id_number, "reader": pcscd.reader_name() }),
        ptr::null(),
    );
    assert_eq!(rc, CCCD_GENUINE, "{doc}");
    assert_eq!(doc["dg13"]["id_number"], p.id_number.as_str());
    assert_eq!(doc["dg13"]["full_name"], p.full_name.as_str());
    assert_eq!(doc["access"]["protocol"], "pace");
    drop(inserted.remove());
}
