//! DG11 and DG12 (passport additional details) on any bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = cccd::lds::dg11::Dg11::parse(data);
    let _ = cccd::lds::dg12::Dg12::parse(data);
});
