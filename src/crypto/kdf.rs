//! Key derivation (ICAO 9303-11 §9.7.1): `KDF(K, c) = H(K || c)`, c a 32-bit big-endian counter.

use super::CipherAlg;
use sha1::{Digest, Sha1};
use sha2::Sha256;
use zeroize::Zeroizing;

/// Counter for the encryption key.
pub const ENC: u32 = 1;
/// Counter for the MAC key.
pub const MAC: u32 = 2;
/// Counter for the PACE password key K_π.
pub const PACE: u32 = 3;

/// Derives a key of `alg`'s length from the shared secret `k` (3DES and AES-128 take SHA-1,
/// AES-192/256 take SHA-256). 3DES parity bits are left as hashed: DES ignores them.
pub fn kdf(k: &[u8], counter: u32, alg: CipherAlg) -> Zeroizing<Vec<u8>> {
    let digest: Zeroizing<Vec<u8>> = match alg {
        CipherAlg::Tdes | CipherAlg::Aes128 => {
            let mut h = Sha1::new();
            h.update(k);
            h.update(counter.to_be_bytes());
            Zeroizing::new(h.finalize().to_vec())
        }
        CipherAlg::Aes192 | CipherAlg::Aes256 => {
            let mut h = Sha256::new();
            h.update(k);
            h.update(counter.to_be_bytes());
            Zeroizing::new(h.finalize().to_vec())
        }
    };
    Zeroizing::new(digest.get(..alg.key_len()).unwrap_or(&digest).to_vec())
}

/// The BAC key seed (ICAO 9303-11 §9.7.2): the first 16 bytes of SHA-1 of the MRZ information
/// (document number, date of birth and date of expiry, each followed by its check digit).
pub fn bac_key_seed(mrz_information: &[u8]) -> Zeroizing<Vec<u8>> {
    let digest = Sha1::digest(mrz_information);
    Zeroizing::new(digest.get(..16).unwrap_or(&[]).to_vec())
}

/// Adjusts each byte of a DES key to odd parity (cosmetic: DES ignores parity bits, but the
/// ICAO worked examples print adjusted keys).
pub fn des_parity(key: &mut [u8]) {
    for b in key.iter_mut() {
        let ones = (*b & 0xFE).count_ones();
        *b = (*b & 0xFE) | u8::from(ones % 2 == 0);
    }
}
