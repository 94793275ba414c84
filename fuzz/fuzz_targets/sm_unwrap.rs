//! Secure-messaging unwrap of any response bytes (3DES and AES sessions).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    use cccd::access::sm::SecureMessaging;
    use cccd::apdu::Response;
    use cccd::crypto::CipherAlg;
    if let Ok(resp) = Response::parse(data) {
        for (alg, n) in [(CipherAlg::Tdes, 8), (CipherAlg::Aes128, 16)] {
            if let Ok(mut sm) = SecureMessaging::new(alg, &[1; 16], &[2; 16], &vec![0; n]) {
                let _ = sm.unwrap(&resp);
            }
        }
    }
});
