//! EF.SOD parsing and passive authentication on any bytes (BER normaliser included).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = cccd::lds::sod::Sod::parse(data);
    let _ = cccd::verify::verify_passive(
        data,
        &std::collections::BTreeMap::new(),
        &cccd::verify::TrustStore::new(),
        &cccd::verify::PaOptions::default(),
    );
});
