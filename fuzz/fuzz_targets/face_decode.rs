//! Face image decoding (JPEG, PNG, JPEG 2000) on any bytes, alone and inside a DG2.
//!
//! Oracle: no panic escapes `FaceImage::decode` (a panic inside a third-party decoder is
//! contained and comes back as `ImageError::DecoderPanicked`), no allocation beyond the
//! decoding limit (libFuzzer's RSS limit), and a decoded image has the size it reports, within
//! `MAX_IMAGE_DIMENSION`.
//!
//! A panic whose location lies in a dependency's source (the decoders) is expected to be
//! caught by `decode`, so the hook lets it unwind; any other panic aborts as a crash. With
//! `FACE_DECODE_STRICT=1`, every panic aborts, to collect decoder bugs.
#![no_main]

#[path = "../harness/face_decode.rs"]
mod harness;

use std::sync::Once;

fn install_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let strict = std::env::var_os("FACE_DECODE_STRICT").is_some();
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let in_dependency = info
                .location()
                .is_some_and(|l| l.file().contains("/registry/src/"));
            if strict || !in_dependency {
                previous(info);
                std::process::abort();
            }
        }));
    });
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    install_hook();
    harness::run(data)
});
