//! Key derivation (ICAO 9303-11 §9.7.1): `KDF(K, c) = H(K || c)`, c a 32-bit big-endian counter.
//!
//! The inputs (BAC key seed, PACE password hash, shared secrets) and outputs are keys: the hash
//! states are wiped on drop (the `zeroize` features of `sha1` and `sha2`), and every digest is
//! written straight into a [`Zeroizing`] buffer, never left in a temporary.

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

/// SHA-1 output length (the MRZ password hash f(π)).
const SHA1_LEN: usize = 20;
/// The longest digest used here (SHA-256).
const MAX_DIGEST_LEN: usize = 32;

/// The first `len` bytes of `D(parts...)`, as an exactly sized buffer wiped on drop; the
/// digest is written straight into a wiped buffer, never returned by value.
fn truncated_hash<D: Digest>(parts: &[&[u8]], len: usize) -> Zeroizing<Vec<u8>> {
    let mut h = D::new();
    for part in parts {
        h.update(part);
    }
    let n = <D as Digest>::output_size();
    let mut full = Zeroizing::new([0u8; MAX_DIGEST_LEN]);
    // Invariant: n <= MAX_DIGEST_LEN for SHA-1 and SHA-256; otherwise nothing is returned.
    match full
        .get_mut(..n)
        .and_then(|s| <&mut sha1::digest::Output<D>>::try_from(s).ok())
    {
        Some(out) => h.finalize_into(out),
        None => return Zeroizing::new(Vec::new()),
    }
    Zeroizing::new(full.get(..len.min(n)).unwrap_or_default().to_vec())
}

/// Derives a key of `alg`'s length from the shared secret `k` (3DES and AES-128 take SHA-1,
/// AES-192/256 take SHA-256). 3DES parity bits are left as hashed: DES ignores them.
pub fn kdf(k: &[u8], counter: u32, alg: CipherAlg) -> Zeroizing<Vec<u8>> {
    let c = counter.to_be_bytes();
    match alg {
        CipherAlg::Tdes | CipherAlg::Aes128 => truncated_hash::<Sha1>(&[k, &c], alg.key_len()),
        CipherAlg::Aes192 | CipherAlg::Aes256 => truncated_hash::<Sha256>(&[k, &c], alg.key_len()),
    }
}

/// The BAC key seed (ICAO 9303-11 §9.7.2): the first 16 bytes of SHA-1 of the MRZ information
/// (document number, date of birth and date of expiry, each followed by its check digit).
pub fn bac_key_seed(mrz_information: &[u8]) -> Zeroizing<Vec<u8>> {
    truncated_hash::<Sha1>(&[mrz_information], 16)
}

/// `f(π)` for the PACE MRZ password (ICAO 9303-11 §4.4.1): SHA-1 of the MRZ information, the
/// 20 bytes K_π is then derived from with [`kdf`] and counter [`PACE`].
pub fn pace_mrz_key(mrz_information: &[u8]) -> Zeroizing<Vec<u8>> {
    truncated_hash::<Sha1>(&[mrz_information], SHA1_LEN)
}

/// Adjusts each byte of a DES key to odd parity (cosmetic: DES ignores parity bits, but the
/// ICAO worked examples print adjusted keys).
pub fn des_parity(key: &mut [u8]) {
    for b in key.iter_mut() {
        let ones = (*b & 0xFE).count_ones();
        *b = (*b & 0xFE) | u8::from(ones % 2 == 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(s: &str) -> Vec<u8> {
        hex::decode(s).unwrap()
    }

    // ICAO 9303-11 Appendix D.1 (3DES; the specification prints parity-adjusted keys) and D.2.
    #[test]
    fn icao_appendix_d_bac_keys() {
        let seed = bac_key_seed(b"L898902C<369080619406236");
        assert_eq!(seed.as_slice(), h("239AB9CB282DAF66231DC5A4DF6BFBAE"));
        let k_enc = kdf(&seed, ENC, CipherAlg::Tdes);
        assert_eq!(k_enc.as_slice(), h("AB94FCEDF2664EDFB9B291F85D7F77F2"));
        let mut adjusted = k_enc.to_vec();
        des_parity(&mut adjusted);
        assert_eq!(adjusted, h("AB94FDECF2674FDFB9B391F85D7F76F2"));
        let mut k_mac = kdf(&seed, MAC, CipherAlg::Tdes).to_vec();
        assert_eq!(k_mac, h("7862D9ECE03C1BCD4D77089DCF131442"));
        des_parity(&mut k_mac);
        assert_eq!(k_mac, h("7962D9ECE03D1ACD4C76089DCE131543"));
    }

    // ICAO 9303-11 Appendix G (introduction): K = SHA-1(MRZ information), K_pi = KDF(K, 3).
    #[test]
    fn icao_appendix_g_pace_password_key() {
        let k = h("7E2D2A41C74EA0B38CD36F863939BFA8E9032AAD");
        assert_eq!(pace_mrz_key(b"T22000129364081251010318").as_slice(), k);
        assert_eq!(
            kdf(&k, PACE, CipherAlg::Aes128).as_slice(),
            h("89DED1B26624EC1E634C1989302849DD")
        );
    }

    // ICAO 9303-11 Appendix G.1: AES-128 session keys from the ECDH shared secret.
    #[test]
    fn icao_appendix_g1_aes_session_keys() {
        let s = h("28768D20701247DAE81804C9E780EDE582A9996DB4A315020B2733197DB84925");
        assert_eq!(
            kdf(&s, ENC, CipherAlg::Aes128).as_slice(),
            h("F5F0E35C0D7161EE6724EE513A0D9A7F")
        );
        assert_eq!(
            kdf(&s, MAC, CipherAlg::Aes128).as_slice(),
            h("FE251C7858B356B24514B3BD5F4297D1")
        );
    }

    #[test]
    fn des_parity_is_odd_and_idempotent() {
        let mut k: Vec<u8> = (0..=255).collect();
        des_parity(&mut k);
        assert!(k.iter().all(|b| b.count_ones() % 2 == 1));
        let again = {
            let mut c = k.clone();
            des_parity(&mut c);
            c
        };
        assert_eq!(k, again);
    }
}
