//! The committed `bindings/c/cccd.h` must be what cbindgen generates from `src/lib.rs` today:
//! hosts compile against the committed file, so a stale one would declare a wrong ABI.
//! `CCCD_BLESS_HEADER=1 cargo test -p cccd-ffi --test header` rewrites it.

use std::path::Path;

#[test]
fn committed_header_equals_a_fresh_generation() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(dir.join("cbindgen.toml")).expect("cbindgen.toml");
    let mut fresh = Vec::new();
    cbindgen::Builder::new()
        .with_config(config)
        .with_src(dir.join("src/lib.rs"))
        .generate()
        .expect("cbindgen generates the header")
        .write(&mut fresh);
    let fresh = String::from_utf8(fresh).expect("UTF-8 header");
    let path = dir.join("cccd.h");
    if std::env::var_os("CCCD_BLESS_HEADER").is_some() {
        std::fs::write(&path, &fresh).expect("write cccd.h");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "bindings/c/cccd.h differs from a fresh generation: regenerate it with \
         CCCD_BLESS_HEADER=1 cargo test -p cccd-ffi --test header, and commit it"
    );
    // The entry points hosts rely on are in it.
    for name in [
        "cccd_read(",
        "cccd_read_ex(",
        "cccd_verify(",
        "cccd_string_free(",
        "cccd_sim_new(",
        "cccd_sim_transmit(",
        "cccd_sim_free(",
        "cccd_cancel(",
        "typedef int32_t (*cccd_transmit_fn)",
    ] {
        assert!(fresh.contains(name), "{name} missing from the header");
    }
}
