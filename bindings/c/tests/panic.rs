//! A panic inside an entry point never crosses the C ABI: `catch_unwind` turns it into
//! `CCCD_FAILURE` with the error code `internal`, the result is still a valid JSON string for
//! the host to free, and the library keeps working afterwards. The panic is forced with the
//! Rust-only hook `cccd_ffi::fault_injection` (no host input reaches one).

use std::ffi::{c_char, CStr, CString};
use std::ptr;

use cccd_ffi::*;

/// Takes a string the library returned, parses it and frees it.
fn take(s: *mut c_char) -> serde_json::Value {
    assert!(!s.is_null(), "the library returned NULL");
    // SAFETY: s is a NUL-terminated string of the library, freed right after.
    let text = unsafe { CStr::from_ptr(s) }.to_str().unwrap().to_owned();
    // SAFETY: s came from the library and is freed once.
    unsafe { cccd_string_free(s) };
    serde_json::from_str(&text).unwrap()
}

fn read(request: &CStr, sim: *mut cccd_sim) -> (i32, serde_json::Value) {
    let mut out = ptr::null_mut();
    // SAFETY: a NUL-terminated request, the simulator's own transmit function with a live
    // simulator as its context, a writable result pointer.
    let rc = unsafe {
        cccd_read(
            request.as_ptr(),
            Some(cccd_sim_transmit),
            sim.cast(),
            &mut out,
        )
    };
    (rc, take(out))
}

#[test]
fn a_panic_inside_cccd_read_is_an_internal_error() {
    let sim = cccd_sim_new(1);
    assert!(!sim.is_null());
    let request = CString::new(r#"{"id_number": "040081519573"}"#).unwrap();

    fault_injection::panic_in_next_call();
    let (rc, answer) = read(&request, sim);
    assert_eq!(rc, CCCD_FAILURE);
    assert_eq!(answer["error"]["code"], "internal", "{answer}");
    assert_eq!(answer["exit_code"], CCCD_FAILURE);
    assert_eq!(answer["schema"], cccd::report::SCHEMA);

    // The hook is one-shot and the library is intact: the same read now succeeds.
    let (rc, doc) = read(&request, sim);
    assert_eq!(rc, CCCD_GENUINE, "{doc}");
    assert_eq!(doc["dg13"]["id_number"], "040081519573");
    // SAFETY: created by cccd_sim_new, freed once, no read running.
    unsafe { cccd_sim_free(sim) };
}

#[test]
fn a_panic_inside_cccd_verify_is_an_internal_error() {
    let request = CString::new(r#"{"files": {}}"#).unwrap();
    let mut out = ptr::null_mut();
    fault_injection::panic_in_next_call();
    // SAFETY: a NUL-terminated request and a writable result pointer.
    let rc = unsafe { cccd_verify(request.as_ptr(), &mut out) };
    assert_eq!(rc, CCCD_FAILURE);
    assert_eq!(take(out)["error"]["code"], "internal");

    // Without the hook the same request fails for its own reason (no SOD), not a panic.
    let mut out = ptr::null_mut();
    // SAFETY: as above.
    let rc = unsafe { cccd_verify(request.as_ptr(), &mut out) };
    assert_eq!(rc, CCCD_USAGE);
    assert_eq!(take(out)["error"]["code"], "bad_request");
}
