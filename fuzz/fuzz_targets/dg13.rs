//! Dg13::parse on any bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = cccd::lds::Dg13::parse(data);
});
