//! X.509 certificates, CRLs and master lists on any bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = cccd::verify::Certificate::from_der(data);
    let _ = cccd::verify::Crl::from_der(data);
    let _ = cccd::verify::TrustStore::new().add_bytes(data, &[]);
});
