//! SecurityInfos (EF.CardAccess), DG14 and DG15 on any bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = cccd::lds::security_info::SecurityInfos::parse(data);
    let _ = cccd::lds::dg14::Dg14::parse(data);
    let _ = cccd::lds::dg15::Dg15::parse(data);
});
