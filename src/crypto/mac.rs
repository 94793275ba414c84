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
    if padded.is_empty() || !padded.len().is_multiple_of(8) {
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

    // ICAO 9303-11 Appendix D.3: M.IFD and M.IC, retail MAC over the padded cryptograms.
    #[test]
    fn retail_mac_icao_appendix_d3() {
        let k_mac = hex::decode("7962D9ECE03D1ACD4C76089DCE131543").unwrap();
        let e_ifd = hex::decode("72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2")
            .unwrap();
        let e_ic = hex::decode("46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F")
            .unwrap();
        let padded = |d: &[u8]| super::super::padding::pad(d, 8);
        assert_eq!(
            hex::encode_upper(retail_mac(&k_mac, &padded(&e_ifd)).unwrap()),
            "5F1448EEA8AD90A7"
        );
        assert_eq!(
            hex::encode_upper(mac8(CipherAlg::Tdes, &k_mac, &padded(&e_ic)).unwrap()),
            "2F2D235D074D7449"
        );
        assert_eq!(
            retail_mac(&k_mac, &e_ifd[..31]),
            Err(CryptoError::NotBlockAligned(31))
        );
        assert_eq!(
            retail_mac(&k_mac[..8], &e_ifd),
            Err(CryptoError::KeyLength(8))
        );
    }

    // ICAO 9303-11 Appendix G.1: PACE authentication tokens, AES-CMAC truncated to 8 bytes
    // over the unpadded public-key data object.
    #[test]
    fn cmac8_icao_appendix_g1_tokens() {
        let ks_mac = hex::decode("FE251C7858B356B24514B3BD5F4297D1").unwrap();
        let t_ifd_input = hex::decode(
            "7F494F060A04007F000702020402028641049E880F842905B8B3181F7AF7CAA9F0EFB743847F44A3\
             06D2D28C1D9EC65DF6DB7764B22277A2EDDC3C265A9F018F9CB852E111B768B326904B59A0193776F094",
        )
        .unwrap();
        let t_ic_input = hex::decode(
            "7F494F060A04007F000702020402028641042DB7A64C0355044EC9DF190514C625CBA2CEA4875488\
             7122F3A5EF0D5EDD301C3556F3B3B186DF10B857B58F6A7EB80F20BA5DC7BE1D43D9BF850149FBB36462",
        )
        .unwrap();
        assert_eq!(
            hex::encode_upper(mac8(CipherAlg::Aes128, &ks_mac, &t_ifd_input).unwrap()),
            "C2B0BD78D94BA866"
        );
        assert_eq!(
            hex::encode_upper(mac8(CipherAlg::Aes128, &ks_mac, &t_ic_input).unwrap()),
            "3ABB9674BCE93C08"
        );
    }

    #[test]
    fn constant_time_compare() {
        assert!(verify_mac(&[1, 2], &[1, 2]));
        assert!(!verify_mac(&[1, 2], &[1, 3]));
        assert!(!verify_mac(&[1, 2], &[1]));
    }
}
