//! An MRZ typed or scanned by a user: AccessKey::from_mrz and Mrz::parse on any text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = cccd::lds::mrz::Mrz::parse(&text);
    if let Ok(cccd::access::key::AccessKey::Mrz(key)) =
        cccd::access::key::AccessKey::from_mrz(&text)
    {
        let _ = key.mrz_information();
    }
});
