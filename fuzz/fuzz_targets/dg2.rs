//! DG2 (CBEFF, ISO 19794-5 and 39794-5 face records) on any bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = cccd::lds::dg2::Dg2::parse(data);
});
