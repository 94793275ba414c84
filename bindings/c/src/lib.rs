//! # cccd-ffi: the C ABI of `cccd`
//!
//! Teller software (C#, Java, Delphi, C++) and any language with a C foreign-function interface
//! reads and verifies a CCCD / eMRTD chip through a handful of functions: JSON in, JSON out.
//! The request is `schema/cccd-request.schema.json` (the library's [`cccd::request`]), the
//! answer `schema/cccd-document.schema.json` (the library's [`cccd::report`], the same document
//! `cccd read --json` prints) or an error object `{"schema", "error": {"code", "message"},
//! "exit_code"}`. Return codes are the CLI's exit codes ([`cccd::report::exit`]).
//!
//! The header `bindings/c/cccd.h` is generated from this file by cbindgen
//! (`bindings/c/cbindgen.toml`); `tests/header.rs` fails when the committed header is stale.
//!
//! ## Rules every entry point keeps
//! - Every pointer argument is checked for NULL; a NULL or non-UTF-8 request gives an error
//!   JSON, never a crash.
//! - No panic crosses the boundary: each entry point runs under `catch_unwind`, and a caught
//!   panic becomes the error code `internal` (the library is built with `panic = "unwind"`:
//!   `panic = "abort"` would take the host application down with it).
//! - Strings returned through `char **` are owned by the caller and freed with
//!   [`cccd_string_free`]; nothing else is allocated for the caller.
//!
//! ## Threads
//! No entry point keeps global state: concurrent [`cccd_read_ex`] calls on different
//! transports (different readers, different simulators) run in parallel. One transport (one
//! card) serves one read at a time. A [`cccd_sim`] is locked while it answers, so sharing one
//! between threads is memory-safe, but interleaved sessions confuse the card as they would a
//! real one. [`cccd_cancel`] may be called from any thread while a read runs. Callbacks run on
//! the thread that called [`cccd_read_ex`], and must not unwind (a C++ exception, a Java or
//! .NET exception) through it: catch and return an error code instead.
//!
//! This crate is the only place of the project with `unsafe` code (the library itself is
//! `#![forbid(unsafe_code)]`); each `unsafe` block says why it is sound.
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs, clippy::undocumented_unsafe_blocks)]
#![cfg_attr(
    not(test),
    warn(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)
)]
// The C names are the ABI: `cccd_sim`, `cccd_transmit_fn`, as the header spells them.
#![allow(non_camel_case_types)]

use std::cell::Cell;
use std::ffi::{c_char, c_void, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};

use cccd::document::Document;
use cccd::reader::{Progress, ReadOptions, Reader};
use cccd::report::{exit, ErrorReport, Report, Stats};
use cccd::request::{ReadRequest, RequestError, VerifyRequest};
use cccd::sim::{Card, Profile, SimTransport};
use cccd::transport::{Transport, TransportError};
use zeroize::Zeroizing;

/// Read and genuine; `cccd_verify`: the data is authentic. Also: read, no trust source given,
/// so no verdict was computed (the document has no `verification`).
pub const CCCD_GENUINE: i32 = 0;
/// A failure: the card, the reader, a file, the trust sources, a cancelled read.
pub const CCCD_FAILURE: i32 = 1;
/// A malformed request (not UTF-8, not JSON, unknown field, malformed key) or a NULL argument.
pub const CCCD_USAGE: i32 = 2;
/// The card refused the access key (a wrong CAN or MRZ data, or another card).
pub const CCCD_WRONG_KEY: i32 = 3;
/// Read, but not proven genuine: the document's `verification.findings` say why.
pub const CCCD_NOT_GENUINE: i32 = 4;

// The codes are literals so that cbindgen writes them into the header; they are the CLI's.
const _: () = assert!(
    CCCD_GENUINE == exit::GENUINE
        && CCCD_FAILURE == exit::FAILURE
        && CCCD_USAGE == exit::USAGE
        && CCCD_WRONG_KEY == exit::WRONG_KEY
        && CCCD_NOT_GENUINE == exit::NOT_GENUINE
);

/// A transmit callback's answer: the response is in the buffer.
pub const CCCD_TRANSMIT_OK: i32 = 0;
/// A transmit callback's answer: the card left the field or was pulled from the reader.
pub const CCCD_TRANSMIT_CARD_REMOVED: i32 = 1;
/// A transmit callback's answer: the card did not answer in time.
pub const CCCD_TRANSMIT_TIMEOUT: i32 = 2;
/// A transmit callback's answer: the host cancels the read (as [`cccd_cancel`]).
pub const CCCD_TRANSMIT_CANCELLED: i32 = 3;
/// A transmit callback's answer: any other failure (so does every code not listed here).
pub const CCCD_TRANSMIT_FAILED: i32 = 4;

/// `transport_flags` of [`cccd_read_ex`]: the channel carries extended-length APDUs (a contact
/// reader or a phone that does), so large files come in fewer exchanges.
pub const CCCD_TRANSPORT_EXTENDED_LENGTH: u32 = 1;

/// The capacity of the response buffer a transmit callback is given: the largest response
/// APDU (65536 data bytes and the status word).
pub const CCCD_RESPONSE_CAPACITY: usize = 65538;

/// The longest command APDU [`cccd_sim_transmit`] accepts: an extended-length case 4 command
/// (4 header bytes, 3 of Lc, 65535 of data, 2 of Le).
const MAX_COMMAND_APDU: usize = 4 + 3 + 65535 + 2;

/// Sends one command APDU to the card and writes its response (data and SW1 SW2).
///
/// `ctx` is the host's pointer given to [`cccd_read_ex`]; `apdu` holds `apdu_len` bytes, valid
/// during the call; `resp` has room for `resp_cap` bytes ([`CCCD_RESPONSE_CAPACITY`]). The
/// callback writes at most `resp_cap` bytes, sets `*resp_len` and returns [`CCCD_TRANSMIT_OK`],
/// or one of the other `CCCD_TRANSMIT_*` codes. It must not unwind.
///
/// A call with `apdu_len` 0 (no command APDU is 0 bytes long; `apdu` is then not to be read)
/// asks the host to re-establish contact with the card, before the first APDU of each read (a
/// previous read may have left the chip in its secure-messaging session) and after a tag loss
/// or a failed step that left the chip's session broken: power-cycle it (PC/SC `SCardReconnect` with
/// `SCARD_UNPOWER_CARD`, Android `IsoDep` close and connect), set `*resp_len` to 0 and return
/// [`CCCD_TRANSMIT_OK`]; a host that cannot returns [`CCCD_TRANSMIT_FAILED`], and the read then
/// fails where it needed the new session (a cloned chip's failed Chip Authentication needs one
/// to finish the read with its verdict).
pub type cccd_transmit_fn = Option<
    unsafe extern "C" fn(
        ctx: *mut c_void,
        apdu: *const u8,
        apdu_len: usize,
        resp: *mut u8,
        resp_cap: usize,
        resp_len: *mut usize,
    ) -> i32,
>;

/// Progress of a read, for a progress bar: the file being read (`"DG2"`, a NUL-terminated
/// string valid during the call), its bytes read so far, its size once known (`-1` before its
/// header has been read), and the bytes read in the session so far.
pub type cccd_progress_fn = Option<
    unsafe extern "C" fn(
        ctx: *mut c_void,
        file: *const c_char,
        file_read: u64,
        file_total: i64,
        session_read: u64,
    ),
>;

/// A flag a teller's Cancel button sets: the read stops before its next APDU with the error
/// code `cancelled` ([`CCCD_FAILURE`]).
pub struct cccd_cancel_token {
    cancelled: AtomicBool,
}

/// A simulated CCCD chip ([`cccd::sim`]) for a host's own tests: pass [`cccd_sim_transmit`] as
/// the transmit callback and the simulator as its context.
pub struct cccd_sim {
    // Checked by `cccd_sim_transmit`, whose context arrives as `void *`: catches a wrong
    // pointer in a host's test early (a best effort, not a guarantee).
    magic: u64,
    transport: Mutex<SimTransport>,
}

const SIM_MAGIC: u64 = 0x6363_6364_5F73_696D; // "cccd_sim"

/// The library's version, a static NUL-terminated string (`"0.1.0"`).
#[no_mangle]
pub extern "C" fn cccd_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

/// Reads a card: [`cccd_read_ex`] without transport flags, progress or cancellation.
///
/// # Safety
/// As [`cccd_read_ex`].
#[no_mangle]
pub unsafe extern "C" fn cccd_read(
    request_json: *const c_char,
    transmit: cccd_transmit_fn,
    transmit_ctx: *mut c_void,
    result_json: *mut *mut c_char,
) -> i32 {
    // SAFETY: the caller keeps cccd_read_ex's contract for these arguments; the others are
    // NULL, which cccd_read_ex accepts.
    unsafe {
        cccd_read_ex(
            request_json,
            transmit,
            transmit_ctx,
            0,
            None,
            ptr::null_mut(),
            ptr::null(),
            result_json,
        )
    }
}

/// Reads a card and judges it: opens it with the request's access key, reads the files EF.COM
/// and the SOD list, runs Chip and Active Authentication and, when the request names trust
/// sources, passive authentication. Returns a `CCCD_*` code and sets `*result_json` to the
/// document (codes 0 and 4) or an error object (any other code), to be freed with
/// [`cccd_string_free`]. `*result_json` is NULL only when `result_json` itself is NULL.
///
/// `transmit` NULL reads through PC/SC: the request's `"reader"` (a part of its name), or the
/// first reader with a card, waiting up to 10 seconds for one. `transport_flags`:
/// [`CCCD_TRANSPORT_EXTENDED_LENGTH`] or 0. `progress` and `cancel` may be NULL.
///
/// # Safety
/// `request_json` is NULL or a NUL-terminated string; `result_json` is NULL or points to
/// writable storage for a pointer; `transmit`, when not NULL, keeps [`cccd_transmit_fn`]'s
/// contract with `transmit_ctx`, as `progress` does [`cccd_progress_fn`]'s with
/// `progress_ctx`; `cancel` is NULL or a live token of [`cccd_cancel_token_new`]. All stay
/// valid until the call returns.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn cccd_read_ex(
    request_json: *const c_char,
    transmit: cccd_transmit_fn,
    transmit_ctx: *mut c_void,
    transport_flags: u32,
    progress: cccd_progress_fn,
    progress_ctx: *mut c_void,
    cancel: *const cccd_cancel_token,
    result_json: *mut *mut c_char,
) -> i32 {
    // SAFETY: result_json is NULL or writable (the caller's contract).
    let Some(out) = (unsafe { result_json.as_mut() }) else {
        return CCCD_USAGE;
    };
    answer(out, || {
        // SAFETY: request_json is NULL or NUL-terminated (the caller's contract).
        let request = unsafe { request_str(request_json) }?;
        // SAFETY: cancel is NULL or a live token for the whole call.
        let cancel = unsafe { cancel.as_ref() }.map(|t| &t.cancelled);
        let host = Host {
            transmit,
            transmit_ctx,
            extended_length: transport_flags & CCCD_TRANSPORT_EXTENDED_LENGTH != 0,
            progress,
            progress_ctx,
            cancel,
        };
        read(request, &host)
    })
}

/// Verifies files read elsewhere (a phone's upload, a saved dump): the request carries them
/// base64 by name (`{"files": {"SOD": ..., "DG1": ...}, "trust": [...]}`). Returns
/// [`CCCD_GENUINE`] when the data is authentic (files alone cannot prove a chip),
/// [`CCCD_NOT_GENUINE`] when not, another code with an error object otherwise; sets
/// `*result_json` as [`cccd_read_ex`] does.
///
/// # Safety
/// `request_json` is NULL or a NUL-terminated string; `result_json` is NULL or points to
/// writable storage for a pointer.
#[no_mangle]
pub unsafe extern "C" fn cccd_verify(
    request_json: *const c_char,
    result_json: *mut *mut c_char,
) -> i32 {
    // SAFETY: result_json is NULL or writable (the caller's contract).
    let Some(out) = (unsafe { result_json.as_mut() }) else {
        return CCCD_USAGE;
    };
    answer(out, || {
        // SAFETY: request_json is NULL or NUL-terminated (the caller's contract).
        let request = unsafe { request_str(request_json) }?;
        verify(request)
    })
}

/// Frees a string this library returned through a `char **`. NULL is ignored.
///
/// # Safety
/// `s` is NULL or a string from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn cccd_string_free(s: *mut c_char) {
    if s.is_null() {
        return;
    }
    // SAFETY: s came from CString::into_raw in `answer` or `cccd_sim_persona` and is freed
    // once (the caller's contract).
    drop(unsafe { CString::from_raw(s) });
}

/// A new cancellation token, for [`cccd_read_ex`]; NULL only when memory ran out.
#[no_mangle]
pub extern "C" fn cccd_cancel_token_new() -> *mut cccd_cancel_token {
    catch_unwind(|| {
        Box::into_raw(Box::new(cccd_cancel_token {
            cancelled: AtomicBool::new(false),
        }))
    })
    .unwrap_or(ptr::null_mut())
}

/// Cancels the reads that use `token`, from any thread: each stops before its next APDU and
/// returns [`CCCD_FAILURE`] with the error code `cancelled`. A token stays cancelled.
///
/// # Safety
/// `token` is NULL or a live token of [`cccd_cancel_token_new`].
#[no_mangle]
pub unsafe extern "C" fn cccd_cancel(token: *const cccd_cancel_token) {
    // SAFETY: token is NULL or live (the caller's contract); AtomicBool is shared safely.
    if let Some(t) = unsafe { token.as_ref() } {
        t.cancelled.store(true, Ordering::SeqCst);
    }
}

/// Frees a token once no read uses it any more. NULL is ignored.
///
/// # Safety
/// `token` is NULL or a token of [`cccd_cancel_token_new`] not yet freed and used by no
/// running read.
#[no_mangle]
pub unsafe extern "C" fn cccd_cancel_token_free(token: *mut cccd_cancel_token) {
    if !token.is_null() {
        // SAFETY: token came from Box::into_raw in cccd_cancel_token_new and is freed once.
        drop(unsafe { Box::from_raw(token) });
    }
}

/// A simulated Vietnamese CCCD whose card holder (a made-up person with a Vietnamese name) is
/// derived from `seed`. NULL only when memory ran out. Free with [`cccd_sim_free`].
#[no_mangle]
pub extern "C" fn cccd_sim_new(seed: u64) -> *mut cccd_sim {
    catch_unwind(|| new_sim(Profile::Cccd, seed)).unwrap_or(ptr::null_mut())
}

/// A simulated card of another profile: `"cccd"`, `"cccd-clone"` (the same files with other
/// chip keys: Chip Authentication fails, the verdict is [`CCCD_NOT_GENUINE`]), `"bsi"` (the BSI
/// TR-03105-5 specimen passport, BAC) or `"passport"`. NULL for an unknown profile or a NULL or
/// non-UTF-8 name.
///
/// # Safety
/// `profile` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn cccd_sim_new_profile(seed: u64, profile: *const c_char) -> *mut cccd_sim {
    if profile.is_null() {
        return ptr::null_mut();
    }
    // SAFETY: profile is NUL-terminated (the caller's contract) and only read during the call.
    let name = unsafe { CStr::from_ptr(profile) };
    catch_unwind(|| match name.to_str().ok().map(str::parse::<Profile>) {
        Some(Ok(p)) => new_sim(p, seed),
        _ => ptr::null_mut(),
    })
    .unwrap_or(ptr::null_mut())
}

/// The simulated card's holder, as `cccd sim show --json` prints it: `{"seed", "profile",
/// "id_number", "can", "date_of_birth", "date_of_expiry", "full_name"}` (the expected values of
/// a host's test, taken from the simulator and not through the chip). Returns
/// [`CCCD_GENUINE`] (0) and sets `*json` (free with [`cccd_string_free`]), or [`CCCD_USAGE`]
/// for a NULL argument.
///
/// # Safety
/// `sim` is NULL or a live simulator; `json` is NULL or points to writable storage.
#[no_mangle]
pub unsafe extern "C" fn cccd_sim_persona(sim: *const cccd_sim, json: *mut *mut c_char) -> i32 {
    if json.is_null() {
        return CCCD_USAGE;
    }
    // SAFETY: json is writable (checked non-NULL; the caller's contract).
    unsafe { *json = ptr::null_mut() };
    // SAFETY: sim is NULL or live (the caller's contract).
    let Some(sim) = (unsafe { sim.as_ref() }) else {
        return CCCD_USAGE;
    };
    let persona = catch_unwind(AssertUnwindSafe(|| {
        let t = sim.transport.lock().unwrap_or_else(PoisonError::into_inner);
        let card = t.card();
        let p = card.persona();
        let can = p.can();
        serde_json::json!({
            "profile": card.profile().to_string(),
            "id_number": p.id_number,
            "can": can.as_str(),
            "date_of_birth": p.date_of_birth.yymmdd(),
            "date_of_expiry": p.mrz_expiry(),
            "full_name": p.full_name,
        })
        .to_string()
    }));
    match persona.ok().and_then(|s| CString::new(s).ok()) {
        Some(s) => {
            // SAFETY: json is writable (checked above).
            unsafe { *json = s.into_raw() };
            CCCD_GENUINE
        }
        None => CCCD_FAILURE,
    }
}

/// Writes the test CSCA certificate (DER) that every simulated card chains to, so that a
/// host's test can name it in the request's `"trust"`. Never trust it for real cards. Returns 0,
/// [`CCCD_USAGE`] for a NULL or non-UTF-8 path, [`CCCD_FAILURE`] when the file cannot be
/// written.
///
/// # Safety
/// `path` is NULL or a NUL-terminated string (UTF-8, also on Windows).
#[no_mangle]
pub unsafe extern "C" fn cccd_sim_write_csca(path: *const c_char) -> i32 {
    if path.is_null() {
        return CCCD_USAGE;
    }
    // SAFETY: path is NUL-terminated (the caller's contract) and only read during the call.
    let Ok(path) = unsafe { CStr::from_ptr(path) }.to_str() else {
        return CCCD_USAGE;
    };
    catch_unwind(|| match cccd::sim::sod::csca_certificate() {
        Ok(der) if std::fs::write(path, der).is_ok() => CCCD_GENUINE,
        _ => CCCD_FAILURE,
    })
    .unwrap_or(CCCD_FAILURE)
}

/// The simulator's side of a [`cccd_transmit_fn`]: pass this function as `transmit` and the
/// [`cccd_sim`] as its context (`sim` is `void *` so that no cast is needed). Returns
/// [`CCCD_TRANSMIT_OK`], or [`CCCD_TRANSMIT_FAILED`] for a NULL or wrong pointer, an APDU longer
/// than an extended-length command, or a response larger than `resp_cap` (then `*resp_len`
/// holds the size needed). A zero-length APDU power-cycles the simulated card (the reconnect of
/// [`cccd_transmit_fn`]).
///
/// # Safety
/// `sim` is NULL or a live [`cccd_sim`]; `apdu` holds `apdu_len` readable bytes; `resp` has
/// `resp_cap` writable bytes; `resp_len` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cccd_sim_transmit(
    sim: *mut c_void,
    apdu: *const u8,
    apdu_len: usize,
    resp: *mut u8,
    resp_cap: usize,
    resp_len: *mut usize,
) -> i32 {
    if sim.is_null() || resp_len.is_null() || (apdu_len > 0 && (apdu.is_null() || resp.is_null())) {
        return CCCD_TRANSMIT_FAILED;
    }
    if apdu_len > MAX_COMMAND_APDU {
        return CCCD_TRANSMIT_FAILED;
    }
    // SAFETY: sim points to a live cccd_sim (the caller's contract), whose first field is
    // aligned for u64; only the magic is read before it is trusted.
    let sim = unsafe { &*sim.cast::<cccd_sim>() };
    if sim.magic != SIM_MAGIC {
        return CCCD_TRANSMIT_FAILED;
    }
    if apdu_len == 0 {
        // A reconnect (cccd_transmit_fn): the simulated card is power-cycled.
        let done = catch_unwind(AssertUnwindSafe(|| {
            let mut t = sim.transport.lock().unwrap_or_else(PoisonError::into_inner);
            t.reconnect()
        }));
        // SAFETY: resp_len is writable (checked non-NULL; the caller's contract).
        unsafe { *resp_len = 0 };
        return match done {
            Ok(Ok(())) => CCCD_TRANSMIT_OK,
            Ok(Err(TransportError::CardRemoved)) => CCCD_TRANSMIT_CARD_REMOVED,
            _ => CCCD_TRANSMIT_FAILED,
        };
    }
    // SAFETY: apdu holds apdu_len readable bytes (the caller's contract), at most
    // MAX_COMMAND_APDU (checked), so the length fits isize.
    let command = unsafe { std::slice::from_raw_parts(apdu, apdu_len) };
    let response = catch_unwind(AssertUnwindSafe(|| {
        let mut t = sim.transport.lock().unwrap_or_else(PoisonError::into_inner);
        t.transmit(command)
    }));
    let Ok(Ok(response)) = response else {
        return CCCD_TRANSMIT_FAILED;
    };
    // SAFETY: resp_len is writable (checked non-NULL; the caller's contract).
    unsafe { *resp_len = response.len() };
    if response.len() > resp_cap {
        return CCCD_TRANSMIT_FAILED;
    }
    // SAFETY: resp has resp_cap >= response.len() writable bytes (the caller's contract, and
    // checked above); a Rust Vec never overlaps the caller's buffer.
    unsafe { ptr::copy_nonoverlapping(response.as_ptr(), resp, response.len()) };
    CCCD_TRANSMIT_OK
}

/// Frees a simulator. NULL is ignored.
///
/// # Safety
/// `sim` is NULL or a simulator of [`cccd_sim_new`] not yet freed and used by no running read.
#[no_mangle]
pub unsafe extern "C" fn cccd_sim_free(sim: *mut cccd_sim) {
    if !sim.is_null() {
        // SAFETY: sim came from Box::into_raw in new_sim and is freed once.
        drop(unsafe { Box::from_raw(sim) });
    }
}

/// The face image of a DG2 file (the `raw` hex of the document's `DG2` file record, decoded),
/// exactly as the chip stores it: JPEG or JPEG 2000. Returns 0 and sets `*image` and
/// `*image_len` (free with [`cccd_bytes_free`]), [`CCCD_USAGE`] for a NULL argument, or
/// [`CCCD_FAILURE`] when DG2 does not parse or holds no face.
///
/// # Safety
/// `dg2` holds `dg2_len` readable bytes; `image` and `image_len` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cccd_face_image(
    dg2: *const u8,
    dg2_len: usize,
    image: *mut *mut u8,
    image_len: *mut usize,
) -> i32 {
    if dg2.is_null() || image.is_null() || image_len.is_null() || dg2_len > isize::MAX as usize {
        return CCCD_USAGE;
    }
    // SAFETY: image and image_len are writable (checked non-NULL; the caller's contract).
    unsafe {
        *image = ptr::null_mut();
        *image_len = 0;
    }
    // SAFETY: dg2 holds dg2_len readable bytes (the caller's contract); dg2_len fits isize.
    let dg2 = unsafe { std::slice::from_raw_parts(dg2, dg2_len) };
    let face = catch_unwind(|| {
        let parsed = cccd::lds::dg2::Dg2::parse(dg2).ok()?;
        let faces = parsed.face_images();
        faces
            .first()
            .map(|f| f.data.clone().into_boxed_slice())
            .filter(|d| !d.is_empty())
    });
    let Ok(Some(face)) = face else {
        return CCCD_FAILURE;
    };
    let len = face.len();
    // SAFETY: image and image_len are writable (checked above); the box is given to the
    // caller, who returns it to cccd_bytes_free with the same length.
    unsafe {
        *image = Box::into_raw(face).cast::<u8>();
        *image_len = len;
    }
    CCCD_GENUINE
}

/// Frees bytes this library returned ([`cccd_face_image`]) with their length. NULL is ignored.
///
/// # Safety
/// `bytes` is NULL or a buffer from this library not yet freed, and `len` its length.
#[no_mangle]
pub unsafe extern "C" fn cccd_bytes_free(bytes: *mut u8, len: usize) {
    if !bytes.is_null() {
        // SAFETY: bytes and len came from Box<[u8]>::into_raw in cccd_face_image and are freed
        // once (the caller's contract).
        drop(unsafe { Box::from_raw(ptr::slice_from_raw_parts_mut(bytes, len)) });
    }
}

fn new_sim(profile: Profile, seed: u64) -> *mut cccd_sim {
    Box::into_raw(Box::new(cccd_sim {
        magic: SIM_MAGIC,
        transport: Mutex::new(SimTransport::new(Card::new(profile, seed))),
    }))
}

/// What a call answers: a return code and its JSON.
type Answer = (i32, String);

fn error_answer(report: ErrorReport) -> Answer {
    (report.exit_code, report.to_json())
}

/// Runs `f` under `catch_unwind` and hands its JSON to the caller through `out`, which holds
/// NULL until then.
fn answer(out: &mut *mut c_char, f: impl FnOnce() -> Result<Answer, ErrorReport>) -> i32 {
    *out = ptr::null_mut();
    let (code, json) = catch_unwind(AssertUnwindSafe(|| {
        fault_injection::panic_if_armed();
        f().unwrap_or_else(error_answer)
    }))
    .unwrap_or_else(|_| {
        error_answer(ErrorReport::new(
            "internal",
            "internal error: a panic was caught at the C ABI boundary",
            CCCD_FAILURE,
        ))
    });
    // serde_json escapes U+0000, so the JSON has no interior NUL; the fallback is a literal.
    let json = CString::new(json).unwrap_or_else(|_| {
        CString::from(c"{\"schema\":\"cccd-document/1\",\"error\":{\"code\":\"internal\",\"message\":\"unencodable answer\"},\"exit_code\":1}")
    });
    // The string is the caller's, to free with cccd_string_free.
    *out = json.into_raw();
    code
}

/// A panic on demand inside an entry point, so that a test proves `catch_unwind` turns it into
/// the error code `internal` (`tests/panic.rs`): no input from a host reaches a panic, so
/// nothing else can show the boundary works. Rust-only (not in the C ABI or the header), per
/// thread, and one-shot.
#[doc(hidden)]
pub mod fault_injection {
    use std::cell::Cell;

    thread_local! {
        static ARMED: Cell<bool> = const { Cell::new(false) };
    }

    /// Makes the next [`crate::cccd_read_ex`], [`crate::cccd_read`] or [`crate::cccd_verify`]
    /// call on this thread panic inside its `catch_unwind`.
    pub fn panic_in_next_call() {
        ARMED.with(|a| a.set(true));
    }

    pub(crate) fn panic_if_armed() {
        if ARMED.with(|a| a.replace(false)) {
            panic!("fault injection: a panic inside an entry point");
        }
    }
}

/// The request as UTF-8.
///
/// # Safety
/// `request` is NULL or a NUL-terminated string valid for `'a`.
unsafe fn request_str<'a>(request: *const c_char) -> Result<&'a str, ErrorReport> {
    if request.is_null() {
        return Err(ErrorReport::new(
            "bad_request",
            "the request is NULL",
            CCCD_USAGE,
        ));
    }
    // SAFETY: request is NUL-terminated and valid for 'a (the caller's contract).
    unsafe { CStr::from_ptr(request) }.to_str().map_err(|e| {
        ErrorReport::new(
            "bad_request",
            format!(
                "the request is not UTF-8 (invalid byte at offset {})",
                e.valid_up_to()
            ),
            CCCD_USAGE,
        )
    })
}

/// The host's callbacks and flags for one read.
struct Host<'a> {
    transmit: cccd_transmit_fn,
    transmit_ctx: *mut c_void,
    extended_length: bool,
    progress: cccd_progress_fn,
    progress_ctx: *mut c_void,
    cancel: Option<&'a AtomicBool>,
}

impl Host<'_> {
    fn cancelled(&self) -> bool {
        self.cancel.is_some_and(|c| c.load(Ordering::SeqCst))
    }

    fn report_progress(&self, p: &Progress) {
        let Some(f) = self.progress else { return };
        let Ok(name) = CString::new(p.file.name()) else {
            return;
        };
        let total = p
            .file_total
            .and_then(|t| i64::try_from(t).ok())
            .unwrap_or(-1);
        // SAFETY: the callback keeps cccd_progress_fn's contract with progress_ctx (the
        // caller's contract); `name` outlives the call.
        unsafe {
            f(
                self.progress_ctx,
                name.as_ptr(),
                p.file_read as u64,
                total,
                p.session_read as u64,
            )
        }
    }
}

/// The host's transmit callback as a [`Transport`].
struct Callback<'a> {
    transmit:
        unsafe extern "C" fn(*mut c_void, *const u8, usize, *mut u8, usize, *mut usize) -> i32,
    ctx: *mut c_void,
    extended_length: bool,
    cancel: Option<&'a AtomicBool>,
    // Set when the host's callback answered CCCD_TRANSMIT_CANCELLED.
    cancelled_by_host: &'a Cell<bool>,
    // Responses may carry personal data in clear before secure messaging: wiped on drop.
    buffer: Zeroizing<Vec<u8>>,
}

impl Callback<'_> {
    /// One call of the host's callback; `apdu` empty is a reconnect.
    fn transmit_raw(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        if self.cancel.is_some_and(|c| c.load(Ordering::SeqCst)) || self.cancelled_by_host.get() {
            return Err(TransportError::Other("cancelled".into()));
        }
        let mut len = 0usize;
        let cap = self.buffer.len();
        // SAFETY: the callback keeps cccd_transmit_fn's contract with ctx (the caller's
        // contract); apdu and the buffer outlive the call, the buffer holds `cap` bytes.
        let rc = unsafe {
            (self.transmit)(
                self.ctx,
                apdu.as_ptr(),
                apdu.len(),
                self.buffer.as_mut_ptr(),
                cap,
                &mut len,
            )
        };
        match rc {
            CCCD_TRANSMIT_OK => {}
            CCCD_TRANSMIT_CARD_REMOVED => return Err(TransportError::CardRemoved),
            CCCD_TRANSMIT_TIMEOUT => return Err(TransportError::Timeout),
            CCCD_TRANSMIT_CANCELLED => {
                self.cancelled_by_host.set(true);
                return Err(TransportError::Other("cancelled".into()));
            }
            other => {
                return Err(TransportError::Other(format!(
                    "the host's transmit callback failed ({other})"
                )))
            }
        }
        match self.buffer.get(..len) {
            Some(response) => Ok(response.to_vec()),
            None => Err(TransportError::Other(format!(
                "the host's transmit callback reported {len} bytes in a buffer of {cap}"
            ))),
        }
    }
}

impl Transport for Callback<'_> {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        if apdu.is_empty() {
            // The empty call means reconnect to the host: never send it as a command.
            return Err(TransportError::Other("an empty command APDU".into()));
        }
        self.transmit_raw(apdu)
    }

    fn supports_extended_length(&self) -> bool {
        self.extended_length
    }

    /// A zero-length call asks the host to power-cycle the card ([`cccd_transmit_fn`]).
    fn reconnect(&mut self) -> Result<(), TransportError> {
        self.transmit_raw(&[]).map(|_| ())
    }
}

fn read(request: &str, host: &Host<'_>) -> Result<Answer, ErrorReport> {
    let request = ReadRequest::from_json(request).map_err(|e| ErrorReport::from(&e))?;
    let key = request.access_key().map_err(|e| ErrorReport::from(&e))?;
    // Trust sources first: a wrong path fails before the card is touched.
    let trust = request
        .trust_sources()
        .map(|t| t.load(Some("VNM")))
        .transpose()
        .map_err(|e| ErrorReport::from(&e))?;
    let options = request.read_options();
    let cancelled = || ErrorReport::new("cancelled", "the read was cancelled", CCCD_FAILURE);
    if host.cancelled() {
        return Err(cancelled());
    }
    let cancelled_by_host = Cell::new(false);
    let outcome = match host.transmit {
        Some(transmit) => {
            if request.reader.is_some() {
                return Err(ErrorReport::new(
                    "bad_request",
                    "\"reader\" names a PC/SC reader, but a transmit callback was given",
                    CCCD_USAGE,
                ));
            }
            let mut transport = Callback {
                transmit,
                ctx: host.transmit_ctx,
                extended_length: host.extended_length,
                cancel: host.cancel,
                cancelled_by_host: &cancelled_by_host,
                buffer: Zeroizing::new(vec![0; CCCD_RESPONSE_CAPACITY]),
            };
            // Each read starts on a power-cycled card: a previous read on the same card left
            // it in its secure-messaging session, where the plain EF.CardAccess read of a new
            // session is refused (6987/6988). A host that cannot reconnect says so, and the
            // read goes on as the card is.
            let _ = transport.reconnect();
            read_with(transport, &key, &options, host)
        }
        None => read_pcsc(request.reader.as_deref(), &key, &options, host),
    };
    let (document, stats) = match outcome {
        Ok(read) => read,
        Err(_) if host.cancelled() || cancelled_by_host.get() => return Err(cancelled()),
        Err(e) => return Err(e),
    };
    let verification = trust.map(|(store, options, _warnings)| document.verify(&store, &options));
    let report = Report::document(&document, verification.as_ref())
        .with_stats(request.stats.then_some(stats));
    Ok((report.exit_code(false), report.to_json()))
}

fn read_with<T: Transport>(
    transport: T,
    key: &cccd::access::AccessKey,
    options: &ReadOptions,
    host: &Host<'_>,
) -> Result<(Document, Stats), ErrorReport> {
    let failed = |e: cccd::Error| ErrorReport::from(&e);
    let mut session = Reader::new(transport).open(key).map_err(failed)?;
    let document = session
        .read_document(options, &mut |p| host.report_progress(p))
        .map_err(failed)?;
    Ok((document, Stats::new(session.phases(), session.resumes())))
}

#[cfg(feature = "pcsc")]
fn read_pcsc(
    reader: Option<&str>,
    key: &cccd::access::AccessKey,
    options: &ReadOptions,
    host: &Host<'_>,
) -> Result<(Document, Stats), ErrorReport> {
    use cccd::transport::pcsc::PcscTransport;
    use std::time::{Duration, Instant};
    // Waits in short rounds so that a Cancel is seen while no card is there yet.
    let deadline = Instant::now() + Duration::from_secs(10);
    let transport = loop {
        let round = deadline
            .saturating_duration_since(Instant::now())
            .min(Duration::from_millis(250));
        match PcscTransport::wait_for_card(reader, round) {
            Ok(t) => break t,
            Err(
                e @ (TransportError::NoCard
                | TransportError::NoReader(_)
                | TransportError::NoService),
            ) => {
                if host.cancelled() {
                    return Err(ErrorReport::new(
                        "cancelled",
                        "the read was cancelled",
                        CCCD_FAILURE,
                    ));
                }
                if Instant::now() >= deadline {
                    return Err(ErrorReport::from(&cccd::Error::Transport(e)));
                }
            }
            Err(e) => return Err(ErrorReport::from(&cccd::Error::Transport(e))),
        }
    };
    let transport = Cancellable {
        inner: transport,
        cancel: host.cancel,
    };
    read_with(transport, key, options, host)
}

#[cfg(not(feature = "pcsc"))]
fn read_pcsc(
    _: Option<&str>,
    _: &cccd::access::AccessKey,
    _: &ReadOptions,
    _: &Host<'_>,
) -> Result<(Document, Stats), ErrorReport> {
    Err(ErrorReport::new(
        "unsupported",
        "this build has no PC/SC support (feature `pcsc`): pass a transmit callback",
        CCCD_FAILURE,
    ))
}

/// A transport that stops at a Cancel before each APDU.
#[cfg(feature = "pcsc")]
struct Cancellable<'a, T> {
    inner: T,
    cancel: Option<&'a AtomicBool>,
}

#[cfg(feature = "pcsc")]
impl<T: Transport> Transport for Cancellable<'_, T> {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        if self.cancel.is_some_and(|c| c.load(Ordering::SeqCst)) {
            return Err(TransportError::Other("cancelled".into()));
        }
        self.inner.transmit(apdu)
    }

    fn supports_extended_length(&self) -> bool {
        self.inner.supports_extended_length()
    }

    fn reconnect(&mut self) -> Result<(), TransportError> {
        self.inner.reconnect()
    }
}

fn verify(request: &str) -> Result<Answer, ErrorReport> {
    let fail = |e: RequestError| ErrorReport::from(&e);
    let request = VerifyRequest::from_json(request).map_err(fail)?;
    let document = request.document().map_err(fail)?;
    let (store, options, _warnings) = request.trust_sources().load(None).map_err(fail)?;
    let verification = document.verify(&store, &options);
    let report = Report::document(&document, Some(&verification));
    // From files alone no chip can be checked: the data's authenticity is the verdict.
    Ok((report.exit_code(true), report.to_json()))
}
