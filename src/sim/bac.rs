//! Basic Access Control seen from the card (ICAO 9303-11 §4.3): answer EXTERNAL AUTHENTICATE
//! and open a 3DES secure-messaging session. Written separately from the reader's
//! `access::bac` on purpose.

use super::sm::SmSession;
use crate::crypto::cipher::{cbc_decrypt, cbc_encrypt};
use crate::crypto::kdf::{bac_key_seed, kdf, ENC, MAC};
use crate::crypto::mac::{mac8, verify_mac};
use crate::crypto::padding::pad;
use crate::crypto::rng::RandomSource;
use crate::crypto::CipherAlg;
use zeroize::Zeroizing;

/// The document basic access keys K_Enc and K_MAC, derived from the MRZ information.
pub(crate) struct BacKeys {
    k_enc: Zeroizing<Vec<u8>>,
    k_mac: Zeroizing<Vec<u8>>,
}

impl core::fmt::Debug for BacKeys {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("BacKeys(***)")
    }
}

impl BacKeys {
    /// ICAO 9303-11 §9.7.2: K_seed = SHA-1(MRZ information)[0..16], then the KDF.
    pub(crate) fn from_mrz_information(mrz_information: &str) -> Self {
        let seed = bac_key_seed(mrz_information.as_bytes());
        Self {
            k_enc: kdf(&seed, ENC, CipherAlg::Tdes),
            k_mac: kdf(&seed, MAC, CipherAlg::Tdes),
        }
    }
}

/// Why EXTERNAL AUTHENTICATE failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BacFailure {
    /// `6700`: the command data is not E.IFD (32 bytes) || M.IFD (8 bytes).
    WrongLength,
    /// `6300`: M.IFD does not verify or RND.IC does not match: wrong MRZ key.
    Authentication,
    /// `6F00`: the card could not draw K.IC.
    Random,
}

/// Checks `E.IFD || M.IFD` against the challenge RND.IC, draws K.IC, and returns the response
/// `E.IC || M.IC` with the session it opens (SSC = RND.IC[4..8] || RND.IFD[4..8]).
pub(crate) fn external_authenticate(
    keys: &BacKeys,
    rnd_ic: &[u8; 8],
    data: &[u8],
    rng: &mut dyn RandomSource,
) -> Result<(Vec<u8>, SmSession), BacFailure> {
    let (e_ifd, m_ifd) = data.split_at_checked(32).ok_or(BacFailure::WrongLength)?;
    if m_ifd.len() != 8 {
        return Err(BacFailure::WrongLength);
    }
    let expected = mac8(CipherAlg::Tdes, &keys.k_mac, &pad(e_ifd, 8))
        .map_err(|_| BacFailure::Authentication)?;
    if !verify_mac(&expected, m_ifd) {
        return Err(BacFailure::Authentication);
    }
    // S = RND.IFD || RND.IC || K.IFD
    let s = Zeroizing::new(
        cbc_decrypt(CipherAlg::Tdes, &keys.k_enc, &[0; 8], e_ifd)
            .map_err(|_| BacFailure::Authentication)?,
    );
    let (rnd_ifd, rest) = s.split_at_checked(8).ok_or(BacFailure::Authentication)?;
    let (echoed, k_ifd) = rest.split_at_checked(8).ok_or(BacFailure::Authentication)?;
    if !verify_mac(rnd_ic, echoed) {
        return Err(BacFailure::Authentication);
    }

    let mut k_ic = Zeroizing::new([0u8; 16]);
    rng.fill(&mut k_ic[..]).map_err(|_| BacFailure::Random)?;
    // R = RND.IC || RND.IFD || K.IC
    let mut r = Zeroizing::new(Vec::with_capacity(32));
    r.extend_from_slice(rnd_ic);
    r.extend_from_slice(rnd_ifd);
    r.extend_from_slice(&k_ic[..]);
    let e_ic = cbc_encrypt(CipherAlg::Tdes, &keys.k_enc, &[0; 8], &r)
        .map_err(|_| BacFailure::Authentication)?;
    let m_ic = mac8(CipherAlg::Tdes, &keys.k_mac, &pad(&e_ic, 8))
        .map_err(|_| BacFailure::Authentication)?;

    let seed: Zeroizing<Vec<u8>> =
        Zeroizing::new(k_ifd.iter().zip(k_ic.iter()).map(|(a, b)| a ^ b).collect());
    let ks_enc = kdf(&seed, ENC, CipherAlg::Tdes);
    let ks_mac = kdf(&seed, MAC, CipherAlg::Tdes);
    let mut ssc = Zeroizing::new(Vec::with_capacity(8));
    ssc.extend_from_slice(rnd_ic.get(4..).unwrap_or_default());
    ssc.extend_from_slice(rnd_ifd.get(4..).unwrap_or_default());
    let session = SmSession::new(CipherAlg::Tdes, &ks_enc, &ks_mac, &ssc)
        .ok_or(BacFailure::Authentication)?;

    let mut response = e_ic;
    response.extend_from_slice(&m_ic);
    Ok((response, session))
}
