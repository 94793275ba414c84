//! 3DES (two-key EDE) and AES in CBC and ECB mode, as ICAO 9303-11 §9.8 uses them.

use super::CryptoError;
use aes::cipher::{array::Array, BlockCipherDecrypt, BlockCipherEncrypt, KeyInit};
use aes::{Aes128, Aes192, Aes256};
use des::TdesEde2;

/// The block cipher of a secure-messaging session or a PACE nonce encryption.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum CipherAlg {
    /// Two-key 3DES (BAC, PACE `..-3DES-..`), 16-byte keys.
    Tdes,
    /// AES-128.
    Aes128,
    /// AES-192.
    Aes192,
    /// AES-256.
    Aes256,
}

impl CipherAlg {
    /// Block size in bytes.
    pub fn block_size(self) -> usize {
        match self {
            Self::Tdes => 8,
            _ => 16,
        }
    }

    /// Key length in bytes.
    pub fn key_len(self) -> usize {
        match self {
            Self::Tdes | Self::Aes128 => 16,
            Self::Aes192 => 24,
            Self::Aes256 => 32,
        }
    }
}

enum Keyed {
    Tdes(TdesEde2),
    Aes128(Aes128),
    Aes192(Aes192),
    Aes256(Aes256),
}

fn keyed(alg: CipherAlg, key: &[u8]) -> Result<Keyed, CryptoError> {
    if key.len() != alg.key_len() {
        return Err(CryptoError::KeyLength(key.len()));
    }
    let bad = |_| CryptoError::KeyLength(key.len());
    Ok(match alg {
        CipherAlg::Tdes => Keyed::Tdes(TdesEde2::new_from_slice(key).map_err(bad)?),
        CipherAlg::Aes128 => Keyed::Aes128(Aes128::new_from_slice(key).map_err(bad)?),
        CipherAlg::Aes192 => Keyed::Aes192(Aes192::new_from_slice(key).map_err(bad)?),
        CipherAlg::Aes256 => Keyed::Aes256(Aes256::new_from_slice(key).map_err(bad)?),
    })
}

macro_rules! with_block {
    ($k:expr, $blk:expr, $method:ident) => {{
        match $k {
            Keyed::Tdes(c) => {
                let mut b = Array::try_from(&$blk[..])
                    .map_err(|_| CryptoError::NotBlockAligned($blk.len()))?;
                c.$method(&mut b);
                $blk.copy_from_slice(&b);
            }
            Keyed::Aes128(c) => {
                let mut b = Array::try_from(&$blk[..])
                    .map_err(|_| CryptoError::NotBlockAligned($blk.len()))?;
                c.$method(&mut b);
                $blk.copy_from_slice(&b);
            }
            Keyed::Aes192(c) => {
                let mut b = Array::try_from(&$blk[..])
                    .map_err(|_| CryptoError::NotBlockAligned($blk.len()))?;
                c.$method(&mut b);
                $blk.copy_from_slice(&b);
            }
            Keyed::Aes256(c) => {
                let mut b = Array::try_from(&$blk[..])
                    .map_err(|_| CryptoError::NotBlockAligned($blk.len()))?;
                c.$method(&mut b);
                $blk.copy_from_slice(&b);
            }
        }
    }};
}

fn check(alg: CipherAlg, iv: &[u8], data: &[u8]) -> Result<(), CryptoError> {
    let bs = alg.block_size();
    if iv.len() != bs {
        return Err(CryptoError::Invalid("IV length"));
    }
    if !data.len().is_multiple_of(bs) {
        return Err(CryptoError::NotBlockAligned(data.len()));
    }
    Ok(())
}

/// CBC encryption of block-aligned data (no padding added).
pub fn cbc_encrypt(
    alg: CipherAlg,
    key: &[u8],
    iv: &[u8],
    data: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    check(alg, iv, data)?;
    let k = keyed(alg, key)?;
    let mut out = Vec::with_capacity(data.len());
    let mut prev = iv.to_vec();
    for chunk in data.chunks(alg.block_size()) {
        let mut blk: Vec<u8> = chunk.iter().zip(&prev).map(|(a, b)| a ^ b).collect();
        with_block!(&k, blk, encrypt_block);
        out.extend_from_slice(&blk);
        prev = blk;
    }
    Ok(out)
}

/// CBC decryption of block-aligned data (padding left in place).
pub fn cbc_decrypt(
    alg: CipherAlg,
    key: &[u8],
    iv: &[u8],
    data: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    check(alg, iv, data)?;
    let k = keyed(alg, key)?;
    let mut out = Vec::with_capacity(data.len());
    let mut prev = iv.to_vec();
    for chunk in data.chunks(alg.block_size()) {
        let mut blk = chunk.to_vec();
        with_block!(&k, blk, decrypt_block);
        out.extend(blk.iter().zip(&prev).map(|(a, b)| a ^ b));
        prev = chunk.to_vec();
    }
    Ok(out)
}

/// Encrypts one block (ECB), e.g. the AES secure-messaging IV `E(KSenc, SSC)`.
pub fn encrypt_block(alg: CipherAlg, key: &[u8], block: &[u8]) -> Result<Vec<u8>, CryptoError> {
    if block.len() != alg.block_size() {
        return Err(CryptoError::NotBlockAligned(block.len()));
    }
    let k = keyed(alg, key)?;
    let mut blk = block.to_vec();
    with_block!(&k, blk, encrypt_block);
    Ok(blk)
}

/// Decrypts one block (ECB).
pub fn decrypt_block(alg: CipherAlg, key: &[u8], block: &[u8]) -> Result<Vec<u8>, CryptoError> {
    if block.len() != alg.block_size() {
        return Err(CryptoError::NotBlockAligned(block.len()));
    }
    let k = keyed(alg, key)?;
    let mut blk = block.to_vec();
    with_block!(&k, blk, decrypt_block);
    Ok(blk)
}

#[cfg(test)]
mod tests {
    use super::*;

    // FIPS 197 Appendix C.1 (AES-128) and NIST SP 800-38A F.2.1 (AES-128 CBC).
    #[test]
    fn aes_known_answers() {
        let key = hex::decode("000102030405060708090a0b0c0d0e0f").unwrap();
        let pt = hex::decode("00112233445566778899aabbccddeeff").unwrap();
        assert_eq!(
            hex::encode(encrypt_block(CipherAlg::Aes128, &key, &pt).unwrap()),
            "69c4e0d86a7b0430d8cdb78070b4c55a"
        );
        let key = hex::decode("2b7e151628aed2a6abf7158809cf4f3c").unwrap();
        let iv = hex::decode("000102030405060708090a0b0c0d0e0f").unwrap();
        let pt = hex::decode("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51")
            .unwrap();
        let ct = cbc_encrypt(CipherAlg::Aes128, &key, &iv, &pt).unwrap();
        assert_eq!(
            hex::encode(&ct),
            "7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2"
        );
        assert_eq!(cbc_decrypt(CipherAlg::Aes128, &key, &iv, &ct).unwrap(), pt);
    }

    #[test]
    fn rejects_bad_lengths() {
        assert_eq!(
            cbc_encrypt(CipherAlg::Tdes, &[0; 15], &[0; 8], &[0; 8]),
            Err(CryptoError::KeyLength(15))
        );
        assert_eq!(
            cbc_encrypt(CipherAlg::Tdes, &[0; 16], &[0; 8], &[0; 9]),
            Err(CryptoError::NotBlockAligned(9))
        );
    }
}
