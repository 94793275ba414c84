//! Message authentication codes of secure messaging (ICAO 9303-11 §9.8.3):
//! ISO/IEC 9797-1 MAC algorithm 3 ("retail MAC", DES) and AES-CMAC truncated to 8 bytes.

use super::cipher::{cbc_encrypt, decrypt_block, encrypt_block};
use super::{CipherAlg, CryptoError};
use aes::cipher::KeyInit;
use cmac::{Cmac, Mac};

/// Retail MAC over data already padded to 8 bytes: single-DES CBC with Ka, then the last block
/// decrypted with Kb and encrypted with Ka. `key` is Ka || Kb (16 bytes).
pub fn retail_mac(key: &[u8], padded: &[u8]) -> Result<[u8; 8], CryptoError> {
    if key.len() != 16 {
        return Err(CryptoError::KeyLength(key.len()));
    }
    if padded.is_empty() || padded.len() % 8 != 0 {
        return Err(CryptoError::NotBlockAligned(padded.len()));
    }
    let (ka, kb) = key.split_at(8);
    // Single DES is 3DES with K1 = K2.
    let mut ka2 = [0u8; 16];
    ka2[..8].copy_from_slice(ka);
    ka2[8..].copy_from_slice(ka);
    let mut kb2 = [0u8; 16];
    kb2[..8].copy_from_slice(kb);
    kb2[8..].copy_from_slice(kb);
    let chain = cbc_encrypt(CipherAlg::Tdes, &ka2, &[0; 8], padded)?;
    let last = chain
        .get(chain.len() - 8..)
        .ok_or(CryptoError::NotBlockAligned(0))?;
    let step = decrypt_block(CipherAlg::Tdes, &kb2, last)?;
    let out = encrypt_block(CipherAlg::Tdes, &ka2, &step)?;
    zeroize::Zeroize::zeroize(&mut ka2);
    zeroize::Zeroize::zeroize(&mut kb2);
    let mut mac = [0u8; 8];
    mac.copy_from_slice(&out);
    Ok(mac)
}

/// Full 16-byte AES-CMAC (NIST SP 800-38B).
pub fn aes_cmac(key: &[u8], data: &[u8]) -> Result<[u8; 16], CryptoError> {
    let tag = match key.len() {
        16 => {
            let mut m = <Cmac<aes::Aes128> as KeyInit>::new_from_slice(key)
                .map_err(|_| CryptoError::KeyLength(key.len()))?;
            m.update(data);
            m.finalize().into_bytes()
        }
        24 => {
            let mut m = <Cmac<aes::Aes192> as KeyInit>::new_from_slice(key)
                .map_err(|_| CryptoError::KeyLength(key.len()))?;
            m.update(data);
            m.finalize().into_bytes()
        }
        32 => {
            let mut m = <Cmac<aes::Aes256> as KeyInit>::new_from_slice(key)
                .map_err(|_| CryptoError::KeyLength(key.len()))?;
            m.update(data);
            m.finalize().into_bytes()
        }
        n => return Err(CryptoError::KeyLength(n)),
    };
    let mut out = [0u8; 16];
    out.copy_from_slice(&tag);
    Ok(out)
}

/// The 8-byte MAC secure messaging and PACE tokens use: retail MAC for 3DES (input must be
/// padded), AES-CMAC truncated to 8 bytes for AES (SM pads its input first; PACE tokens do not).
pub fn mac8(alg: CipherAlg, key: &[u8], data: &[u8]) -> Result<[u8; 8], CryptoError> {
    match alg {
        CipherAlg::Tdes => retail_mac(key, data),
        _ => {
            if key.len() != alg.key_len() {
                return Err(CryptoError::KeyLength(key.len()));
            }
            let full = aes_cmac(key, data)?;
            let mut out = [0u8; 8];
            out.copy_from_slice(&full[..8]);
            Ok(out)
        }
    }
}

/// Constant-time comparison of a received MAC with the expected one.
pub fn verify_mac(expected: &[u8], received: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    expected.len() == received.len() && bool::from(expected.ct_eq(received))
}

#[cfg(test)]
mod tests {
    use super::*;

    // NIST SP 800-38B Appendix D.1, AES-128 examples 1 and 2.
    #[test]
    fn cmac_known_answers() {
        let key = hex::decode("2b7e151628aed2a6abf7158809cf4f3c").unwrap();
        assert_eq!(
            hex::encode(aes_cmac(&key, &[]).unwrap()),
            "bb1d6929e95937287fa37d129b756746"
        );
        let m = hex::decode("6bc1bee22e409f96e93d7e117393172a").unwrap();
        assert_eq!(
            hex::encode(aes_cmac(&key, &m).unwrap()),
            "070a16b46b4d4144f79bdd9dd04a287c"
        );
    }

    #[test]
    fn constant_time_compare() {
        assert!(verify_mac(&[1, 2], &[1, 2]));
        assert!(!verify_mac(&[1, 2], &[1, 3]));
        assert!(!verify_mac(&[1, 2], &[1]));
    }
}
