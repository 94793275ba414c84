//! The C ABI called as a C host calls it: raw pointers, callbacks, NULLs, bad bytes, threads.
//! Expected values come from the simulator's persona (`cccd_sim_persona`), not through the
//! chip; the verdict from the simulator's test CSCA given as a trust source.
#![deny(clippy::undocumented_unsafe_blocks)]

use std::ffi::{c_char, c_void, CStr, CString};
use std::path::PathBuf;
use std::ptr;
use std::sync::{Mutex, OnceLock};

use cccd_ffi::*;
use serde_json::Value;

/// Takes a string the library returned, and frees it.
fn take(s: *mut c_char) -> String {
    assert!(!s.is_null(), "the library returned NULL");
    // SAFETY: s is a NUL-terminated string of the library, freed right after.
    let owned = unsafe { CStr::from_ptr(s) }.to_str().unwrap().to_owned();
    // SAFETY: s came from the library and is freed once.
    unsafe { cccd_string_free(s) };
    owned
}

fn json(s: *mut c_char) -> Value {
    serde_json::from_str(&take(s)).unwrap()
}

struct Sim(*mut cccd_sim);

impl Sim {
    fn new(seed: u64) -> Self {
        let sim = cccd_sim_new(seed);
        assert!(!sim.is_null());
        Self(sim)
    }

    fn profile(seed: u64, profile: &str) -> Self {
        let name = CString::new(profile).unwrap();
        // SAFETY: a NUL-terminated name.
        let sim = unsafe { cccd_sim_new_profile(seed, name.as_ptr()) };
        assert!(!sim.is_null(), "{profile}");
        Self(sim)
    }

    fn persona(&self) -> Value {
        let mut out = ptr::null_mut();
        // SAFETY: a live simulator and a writable pointer.
        assert_eq!(unsafe { cccd_sim_persona(self.0, &mut out) }, CCCD_GENUINE);
        json(out)
    }

    fn ctx(&self) -> *mut c_void {
        self.0.cast()
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        // SAFETY: created by cccd_sim_new*, freed once, no read running.
        unsafe { cccd_sim_free(self.0) }
    }
}

/// The simulator's test CSCA, written once for all tests.
fn csca() -> &'static str {
    static PATH: OnceLock<String> = OnceLock::new();
    PATH.get_or_init(|| {
        let path: PathBuf =
            std::env::temp_dir().join(format!("cccd-ffi-test-csca-{}.der", std::process::id()));
        let s = path.to_str().unwrap().to_owned();
        let c = CString::new(s.clone()).unwrap();
        // SAFETY: a NUL-terminated path.
        assert_eq!(unsafe { cccd_sim_write_csca(c.as_ptr()) }, CCCD_GENUINE);
        s
    })
}

fn request(key: (&str, &str)) -> String {
    serde_json::json!({ key.0: key.1, "trust": [csca()] }).to_string()
}

/// cccd_read_ex over `transmit` with `ctx`.
fn read_with(
    request: &str,
    transmit: cccd_transmit_fn,
    ctx: *mut c_void,
    progress: cccd_progress_fn,
    progress_ctx: *mut c_void,
    cancel: *const cccd_cancel_token,
) -> (i32, Value) {
    let req = CString::new(request).unwrap();
    let mut out = ptr::null_mut();
    // SAFETY: valid strings, callbacks and contexts that outlive the call.
    let rc = unsafe {
        cccd_read_ex(
            req.as_ptr(),
            transmit,
            ctx,
            CCCD_TRANSPORT_EXTENDED_LENGTH,
            progress,
            progress_ctx,
            cancel,
            &mut out,
        )
    };
    (rc, json(out))
}

fn read(request: &str, sim: &Sim) -> (i32, Value) {
    read_with(
        request,
        Some(cccd_sim_transmit),
        sim.ctx(),
        None,
        ptr::null_mut(),
        ptr::null(),
    )
}

fn error_code(v: &Value) -> &str {
    v["error"]["code"].as_str().unwrap_or("")
}

#[test]
fn reads_the_simulator_through_the_transmit_callback() {
    let sim = Sim::new(1);
    let p = sim.persona();
    let id = p["id_number"].as_str().unwrap();
    let (rc, doc) = read(&request(("id_number", id)), &sim);
    assert_eq!(rc, CCCD_GENUINE, "{doc}");
    assert_eq!(doc["schema"], "cccd-document/1");
    assert_eq!(doc["dg13"]["id_number"], p["id_number"]);
    assert_eq!(doc["dg13"]["full_name"], p["full_name"]);
    // The name keeps its diacritics (not ASCII, not escaped away).
    assert!(!doc["dg13"]["full_name"].as_str().unwrap().is_ascii());
    assert_eq!(doc["verification"]["genuine"], true);
    assert_eq!(doc["access"]["protocol"], "pace");
}

#[test]
fn the_same_read_with_cccd_read_and_an_mrz_key() {
    let sim = Sim::new(2);
    let p = sim.persona();
    let req = serde_json::json!({
        "id_number": p["id_number"], "date_of_birth": p["date_of_birth"],
        "date_of_expiry": p["date_of_expiry"], "stats": true,
    })
    .to_string();
    let req = CString::new(req).unwrap();
    let mut out = ptr::null_mut();
    // SAFETY: a valid request, the simulator's transmit with its context, a writable pointer.
    let rc = unsafe { cccd_read(req.as_ptr(), Some(cccd_sim_transmit), sim.ctx(), &mut out) };
    let doc = json(out);
    // No trust source: no verdict, and the read itself succeeded.
    assert_eq!(rc, CCCD_GENUINE, "{doc}");
    assert!(doc.get("verification").is_none());
    assert_eq!(doc["dg13"]["id_number"], p["id_number"]);
    assert!(doc["stats"]["total"]["apdus"].as_u64().unwrap() > 5);
}

#[test]
fn a_wrong_key_is_code_3_with_an_error_json() {
    let sim = Sim::new(3);
    let can = sim.persona()["can"].as_str().unwrap().to_owned();
    let wrong: String = can
        .chars()
        .map(|c| if c == '9' { '0' } else { (c as u8 + 1) as char })
        .collect();
    let (rc, v) = read(&request(("can", &wrong)), &sim);
    assert_eq!(rc, CCCD_WRONG_KEY, "{v}");
    assert_eq!(error_code(&v), "wrong_access_key");
    assert_eq!(v["exit_code"], 3);
    assert!(!v.to_string().contains(&wrong), "the key is never echoed");
}

#[test]
fn reads_one_after_another_on_the_same_card() {
    // The first read leaves the chip in its secure-messaging session; each read starts by
    // asking the host to power-cycle the card (a zero-length transmit), so the next one works.
    let sim = Sim::new(11);
    let p = sim.persona();
    let id = p["id_number"].as_str().unwrap().to_owned();
    let (rc, doc) = read(&request(("id_number", &id)), &sim);
    assert_eq!(rc, CCCD_GENUINE, "{doc}");
    assert_ne!(p["can"], "000000");
    let (rc, v) = read(&request(("can", "000000")), &sim);
    assert_eq!(
        (rc, error_code(&v)),
        (CCCD_WRONG_KEY, "wrong_access_key"),
        "{v}"
    );
    let (rc, doc) = read(&request(("id_number", &id)), &sim);
    assert_eq!(rc, CCCD_GENUINE, "{doc}");
    assert_eq!(doc["dg13"]["full_name"], p["full_name"]);
}

#[test]
fn a_clone_is_code_4() {
    let sim = Sim::profile(4, "cccd-clone");
    let id = sim.persona()["id_number"].as_str().unwrap().to_owned();
    let (rc, doc) = read(&request(("id_number", &id)), &sim);
    assert_eq!(rc, CCCD_NOT_GENUINE, "{doc}");
    assert_eq!(doc["verification"]["genuine"], false);
    assert_eq!(doc["verification"]["data_authentic"], true);
}

#[test]
fn null_and_non_utf8_requests_are_errors() {
    let sim = Sim::new(5);
    let mut out = ptr::null_mut();
    // SAFETY: NULL is allowed for the request.
    let rc = unsafe { cccd_read(ptr::null(), Some(cccd_sim_transmit), sim.ctx(), &mut out) };
    assert_eq!(rc, CCCD_USAGE);
    assert_eq!(error_code(&json(out)), "bad_request");

    let bad = b"{\"can\": \"12\xff456\"}\0";
    // SAFETY: a NUL-terminated byte string.
    let rc = unsafe {
        cccd_read(
            bad.as_ptr().cast(),
            Some(cccd_sim_transmit),
            sim.ctx(),
            &mut out,
        )
    };
    assert_eq!(rc, CCCD_USAGE);
    let v = json(out);
    assert_eq!(error_code(&v), "bad_request");
    assert!(v["error"]["message"].as_str().unwrap().contains("UTF-8"));

    // SAFETY: NULL is allowed for the result pointer: nothing can be returned.
    let rc = unsafe {
        cccd_read(
            c"{}".as_ptr(),
            Some(cccd_sim_transmit),
            sim.ctx(),
            ptr::null_mut(),
        )
    };
    assert_eq!(rc, CCCD_USAGE);
    // SAFETY: as above.
    let rc = unsafe { cccd_verify(ptr::null(), ptr::null_mut()) };
    assert_eq!(rc, CCCD_USAGE);
    // SAFETY: NULL request, writable result.
    assert_eq!(unsafe { cccd_verify(ptr::null(), &mut out) }, CCCD_USAGE);
    assert_eq!(error_code(&json(out)), "bad_request");

    for (req, code) in [
        ("not json", "bad_request"),
        (r#"{"id_numbr": "001099012345"}"#, "bad_request"),
        (r#"{"can": "123"}"#, "bad_request"),
        (
            r#"{"can": "123456", "trust": ["/nonexistent/cccd"]}"#,
            "trust_source",
        ),
        (r#"{"can": "123456", "reader": "ACS"}"#, "bad_request"),
    ] {
        let (rc, v) = read(req, &sim);
        assert_eq!(error_code(&v), code, "{req}: {v}");
        assert_eq!(v["exit_code"], rc);
        assert_ne!(rc, CCCD_GENUINE);
    }

    // The simulator's own entry points refuse NULLs.
    let mut len = 0usize;
    let mut buf = [0u8; 8];
    // SAFETY: NULL simulator, valid buffers.
    let rc = unsafe {
        cccd_sim_transmit(
            ptr::null_mut(),
            buf.as_ptr(),
            4,
            buf.as_mut_ptr(),
            8,
            &mut len,
        )
    };
    assert_eq!(rc, CCCD_TRANSMIT_FAILED);
    // SAFETY: NULLs everywhere.
    unsafe {
        assert!(cccd_sim_new_profile(1, ptr::null()).is_null());
        assert!(cccd_sim_new_profile(1, c"nope".as_ptr()).is_null());
        assert_eq!(cccd_sim_persona(ptr::null(), &mut out), CCCD_USAGE);
        assert!(out.is_null());
        assert_eq!(cccd_sim_write_csca(ptr::null()), CCCD_USAGE);
        cccd_sim_free(ptr::null_mut());
        cccd_string_free(ptr::null_mut());
        cccd_cancel(ptr::null());
        cccd_cancel_token_free(ptr::null_mut());
        cccd_bytes_free(ptr::null_mut(), 0);
    }
}

#[test]
fn a_small_response_buffer_is_refused_with_the_size_needed() {
    let sim = Sim::new(6);
    // READ BINARY of EF.CardAccess by SFI 1C, before the applet: a plain answer.
    let apdu = [0x00, 0xB0, 0x9C, 0x00, 0x00];
    let mut resp = [0u8; 4];
    let mut len = 0usize;
    // SAFETY: a live simulator and buffers of the stated sizes.
    let rc = unsafe {
        cccd_sim_transmit(
            sim.ctx(),
            apdu.as_ptr(),
            apdu.len(),
            resp.as_mut_ptr(),
            4,
            &mut len,
        )
    };
    assert_eq!(rc, CCCD_TRANSMIT_FAILED);
    assert!(len > 4, "the size needed: {len}");
    let mut big = vec![0u8; len];
    // SAFETY: as above, with room for the answer.
    let rc = unsafe {
        cccd_sim_transmit(
            sim.ctx(),
            apdu.as_ptr(),
            apdu.len(),
            big.as_mut_ptr(),
            len,
            &mut len,
        )
    };
    assert_eq!(rc, CCCD_TRANSMIT_OK);
    assert_eq!(&big[len - 2..], &[0x90, 0x00]);
}

/// A transport over the simulator that misbehaves as its mode says.
struct Faulty {
    sim: *mut cccd_sim,
    apdus: usize,
    mode: Mode,
}

#[derive(Clone, Copy)]
enum Mode {
    /// Answers CCCD_TRANSMIT_CARD_REMOVED from this APDU on.
    RemovedAt(usize),
    /// Answers CCCD_TRANSMIT_CANCELLED from this APDU on.
    CancelledAt(usize),
    /// Claims more bytes than the buffer holds.
    Overlong,
}

unsafe extern "C" fn faulty_transmit(
    ctx: *mut c_void,
    apdu: *const u8,
    apdu_len: usize,
    resp: *mut u8,
    resp_cap: usize,
    resp_len: *mut usize,
) -> i32 {
    // SAFETY: ctx is the test's Faulty, alive during the read.
    let f = unsafe { &mut *ctx.cast::<Faulty>() };
    f.apdus += 1;
    match f.mode {
        Mode::RemovedAt(n) if f.apdus >= n => return CCCD_TRANSMIT_CARD_REMOVED,
        Mode::CancelledAt(n) if f.apdus >= n => return CCCD_TRANSMIT_CANCELLED,
        Mode::Overlong => {
            // SAFETY: resp_len is writable (the library's contract).
            unsafe { *resp_len = resp_cap + 1 };
            return CCCD_TRANSMIT_OK;
        }
        _ => {}
    }
    // SAFETY: forwarded as received.
    unsafe { cccd_sim_transmit(f.sim.cast(), apdu, apdu_len, resp, resp_cap, resp_len) }
}

fn faulty_read(mode: Mode) -> (i32, Value, usize) {
    let sim = Sim::new(7);
    let id = sim.persona()["id_number"].as_str().unwrap().to_owned();
    let mut f = Faulty {
        sim: sim.0,
        apdus: 0,
        mode,
    };
    let (rc, v) = read_with(
        &request(("id_number", &id)),
        Some(faulty_transmit),
        (&mut f as *mut Faulty).cast(),
        None,
        ptr::null_mut(),
        ptr::null(),
    );
    (rc, v, f.apdus)
}

#[test]
fn transport_failures_are_typed_errors() {
    let (rc, v, _) = faulty_read(Mode::RemovedAt(12));
    assert_eq!((rc, error_code(&v)), (CCCD_FAILURE, "transport"), "{v}");
    assert!(v["error"]["message"]
        .as_str()
        .unwrap()
        .contains("card removed"));
    let (rc, v, _) = faulty_read(Mode::Overlong);
    assert_eq!((rc, error_code(&v)), (CCCD_FAILURE, "transport"), "{v}");
    // A clean read's APDU count, then a cancel half-way through it.
    let (rc, _, total) = faulty_read(Mode::RemovedAt(usize::MAX));
    assert_eq!(rc, CCCD_GENUINE);
    let half = total / 2;
    assert!(half > 5, "{total} APDUs");
    let (rc, v, apdus) = faulty_read(Mode::CancelledAt(half));
    assert_eq!((rc, error_code(&v)), (CCCD_FAILURE, "cancelled"), "{v}");
    assert_eq!(apdus, half, "no APDU after the host cancelled");
}

#[derive(Default)]
struct Seen {
    events: Vec<(String, u64, i64)>,
    cancel_at: Option<&'static str>,
    token: usize,
}

unsafe extern "C" fn on_progress(
    ctx: *mut c_void,
    file: *const c_char,
    file_read: u64,
    file_total: i64,
    _session_read: u64,
) {
    // SAFETY: ctx is the test's Mutex<Seen>; file is a NUL-terminated name.
    let seen = unsafe { &*ctx.cast::<Mutex<Seen>>() };
    // SAFETY: as above.
    let name = unsafe { CStr::from_ptr(file) }.to_str().unwrap().to_owned();
    let mut seen = seen.lock().unwrap();
    if seen.cancel_at == Some(name.as_str()) {
        // SAFETY: the token outlives the read.
        unsafe { cccd_cancel(seen.token as *const cccd_cancel_token) };
    }
    seen.events.push((name, file_read, file_total));
}

#[test]
fn progress_is_reported_and_cancel_stops_the_read() {
    let sim = Sim::new(8);
    let id = sim.persona()["id_number"].as_str().unwrap().to_owned();
    let seen = Mutex::new(Seen::default());
    let (rc, _) = read_with(
        &request(("id_number", &id)),
        Some(cccd_sim_transmit),
        sim.ctx(),
        Some(on_progress),
        (&seen as *const Mutex<Seen>).cast_mut().cast(),
        ptr::null(),
    );
    assert_eq!(rc, CCCD_GENUINE);
    let events = std::mem::take(&mut seen.lock().unwrap().events);
    let dg2: Vec<_> = events.iter().filter(|e| e.0 == "DG2").collect();
    let last = dg2.last().expect("DG2 progress");
    assert!(last.2 > 1000 && last.1 == last.2 as u64, "{last:?}");
    assert!(dg2.iter().all(|e| e.2 == -1 || e.2 == last.2));

    // A teller presses Cancel during the face image (from the progress callback here; any
    // thread may call cccd_cancel).
    let token = cccd_cancel_token_new();
    {
        let mut s = seen.lock().unwrap();
        s.cancel_at = Some("DG2");
        s.token = token as usize;
    }
    let sim = Sim::new(8);
    let (rc, v) = read_with(
        &request(("id_number", &id)),
        Some(cccd_sim_transmit),
        sim.ctx(),
        Some(on_progress),
        (&seen as *const Mutex<Seen>).cast_mut().cast(),
        token,
    );
    assert_eq!((rc, error_code(&v)), (CCCD_FAILURE, "cancelled"), "{v}");
    // A cancelled token stays cancelled: the next read stops before its first APDU.
    let (rc, v) = read_with(
        &request(("id_number", &id)),
        Some(cccd_sim_transmit),
        sim.ctx(),
        None,
        ptr::null_mut(),
        token,
    );
    assert_eq!((rc, error_code(&v)), (CCCD_FAILURE, "cancelled"));
    // SAFETY: no read uses the token any more.
    unsafe { cccd_cancel_token_free(token) };
}

#[test]
fn concurrent_reads_on_different_simulators() {
    let threads: Vec<_> = (0..4u64)
        .map(|i| {
            std::thread::spawn(move || {
                let sim = Sim::new(100 + i);
                let p = sim.persona();
                let id = p["id_number"].as_str().unwrap().to_owned();
                let (rc, doc) = read(&request(("id_number", &id)), &sim);
                assert_eq!(rc, CCCD_GENUINE, "{doc}");
                assert_eq!(doc["dg13"]["full_name"], p["full_name"]);
                id
            })
        })
        .collect();
    let ids: Vec<String> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 4, "four different cards: {ids:?}");
}

/// The files of a read document, base64 by name, as a phone would upload them.
fn files_of(doc: &Value) -> serde_json::Map<String, Value> {
    use base64ct::{Base64, Encoding};
    let mut files = serde_json::Map::new();
    for f in doc["files"].as_array().unwrap() {
        if let Some(raw) = f["raw"].as_str() {
            let bytes = hex::decode(raw).unwrap();
            files.insert(
                f["file"].as_str().unwrap().into(),
                Base64::encode_string(&bytes).into(),
            );
        }
    }
    files
}

fn verify(req: &Value) -> (i32, Value) {
    let req = CString::new(req.to_string()).unwrap();
    let mut out = ptr::null_mut();
    // SAFETY: a valid request and a writable pointer.
    let rc = unsafe { cccd_verify(req.as_ptr(), &mut out) };
    (rc, json(out))
}

#[test]
fn verifies_a_dump_and_refuses_a_changed_file() {
    let sim = Sim::new(9);
    let id = sim.persona()["id_number"].as_str().unwrap().to_owned();
    let (rc, doc) = read(&request(("id_number", &id)), &sim);
    assert_eq!(rc, CCCD_GENUINE);
    let mut files = files_of(&doc);
    let (rc, v) = verify(&serde_json::json!({ "files": files, "trust": [csca()] }));
    assert_eq!(rc, CCCD_GENUINE, "{v}");
    assert_eq!(v["verification"]["data_authentic"], true);
    assert_eq!(v["dg13"]["id_number"], id.as_str());

    // One byte of DG13 changed (the name, say): the hash no longer matches.
    use base64ct::{Base64, Encoding};
    let mut dg13 = Base64::decode_vec(files["DG13"].as_str().unwrap()).unwrap();
    let last = dg13.len() - 1;
    dg13[last] ^= 1;
    files.insert("DG13".into(), Base64::encode_string(&dg13).into());
    let (rc, v) = verify(&serde_json::json!({ "files": files, "trust": [csca()] }));
    assert_eq!(rc, CCCD_NOT_GENUINE, "{v}");
    let codes: Vec<&str> = v["verification"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["code"].as_str())
        .collect();
    assert!(codes.contains(&"data_group_hash_mismatch"), "{codes:?}");

    let (rc, v) = verify(&serde_json::json!({ "files": { "DG1": "AAEC" } }));
    assert_eq!((rc, error_code(&v)), (CCCD_USAGE, "bad_request"));
}

#[test]
fn the_face_image_of_dg2() {
    let sim = Sim::new(10);
    let id = sim.persona()["id_number"].as_str().unwrap().to_owned();
    let (_, doc) = read(&request(("id_number", &id)), &sim);
    let dg2 = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"] == "DG2")
        .and_then(|f| f["raw"].as_str())
        .map(|h| hex::decode(h).unwrap())
        .unwrap();
    let (mut image, mut len) = (ptr::null_mut(), 0usize);
    // SAFETY: dg2 holds dg2.len() bytes; writable outputs.
    let rc = unsafe { cccd_face_image(dg2.as_ptr(), dg2.len(), &mut image, &mut len) };
    assert_eq!(rc, CCCD_GENUINE);
    // SAFETY: the library's buffer of len bytes.
    let face = unsafe { std::slice::from_raw_parts(image, len) }.to_vec();
    // SAFETY: freed once with its length.
    unsafe { cccd_bytes_free(image, len) };
    // JPEG: SOI then a marker (ISO/IEC 10918-1 B.2.1).
    assert_eq!(&face[..3], &[0xFF, 0xD8, 0xFF]);
    assert_eq!(doc["faces"][0]["size"].as_u64(), Some(len as u64));
    // A truncated DG2 is refused, not a crash.
    // SAFETY: as above with a shorter length.
    let rc = unsafe { cccd_face_image(dg2.as_ptr(), 40, &mut image, &mut len) };
    assert_eq!(rc, CCCD_FAILURE);
    assert!(image.is_null());
}

#[test]
fn version_is_the_crate_version() {
    // SAFETY: a static NUL-terminated string.
    let v = unsafe { CStr::from_ptr(cccd_version()) };
    assert_eq!(v.to_str().unwrap(), env!("CARGO_PKG_VERSION"));
}
