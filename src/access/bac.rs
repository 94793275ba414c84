//! Basic Access Control, the reader's side (ICAO 9303-11 §4.3, key derivation §9.7.2, worked
//! example Appendix D).
//!
//! ```text
//! IFD                                                    IC
//!  GET CHALLENGE 00 84 00 00 08              ->
//!                                            <-  RND.IC (8)
//!  S = RND.IFD || RND.IC || K.IFD
//!  E.IFD = 3DES-CBC(Kenc, S), M.IFD = MAC(Kmac, E.IFD)
//!  EXTERNAL AUTHENTICATE 00 82 00 00 28
//!      E.IFD || M.IFD 28                     ->
//!                                            <-  E.IC || M.IC, E.IC = 3DES-CBC(Kenc,
//!                                                RND.IC || RND.IFD || K.IC)
//!  KSseed = K.IFD xor K.IC, KSenc/KSmac = KDF(KSseed, 1/2)
//!  SSC = RND.IC[4..8] || RND.IFD[4..8]
//! ```
//!
//! One type per state, each consumed by `handle`: [`start`] → [`ExpectChallenge`] →
//! [`ExpectMutualAuth`] → [`SecureMessaging`]. Nothing here sends bytes; the reader does.
//!
//! ```
//! # #[cfg(feature = "internals")] {
//! use cccd::access::bac;
//! use cccd::apdu::{Response, StatusWord};
//! use cccd::crypto::rng::FixedRandom;
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // ICAO 9303-11 Appendix D: document L898902C<, born 690806, expiring 940623.
//! let (get_challenge, state) = bac::start(b"L898902C<369080619406236");
//! assert_eq!(hex::encode_upper(get_challenge.to_bytes()?), "0084000008");
//!
//! // RND.IFD then K.IFD, as the worked example draws them.
//! let mut rng = FixedRandom::new(hex::decode(
//!     "781723860C06C2260B795240CB7049B01C19B33E32804F0B",
//! )?);
//! let rnd_ic = Response::new(hex::decode("4608F91988702212")?, StatusWord::SUCCESS);
//! let (external_authenticate, state) = state.handle(&rnd_ic, &mut rng)?;
//! assert_eq!(
//!     hex::encode_upper(external_authenticate.to_bytes()?),
//!     "008200002872C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2\
//!      5F1448EEA8AD90A728"
//! );
//!
//! let answer = Response::new(
//!     hex::decode(
//!         "46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F2F2D235D074D7449",
//!     )?,
//!     StatusWord::SUCCESS,
//! );
//! let sm = state.handle(&answer)?;
//! assert_eq!(sm.cipher(), cccd::crypto::CipherAlg::Tdes);
//! # Ok(())
//! # }
//! # }
//! ```

use super::sm::{SecureMessaging, SmError};
use crate::apdu::{Command, Response, StatusWord};
use crate::crypto::cipher::{cbc_decrypt, cbc_encrypt};
use crate::crypto::kdf::{bac_key_seed, kdf, ENC, MAC};
use crate::crypto::mac::{retail_mac, verify_mac};
use crate::crypto::padding::pad;
use crate::crypto::rng::RandomSource;
use crate::crypto::{CipherAlg, CryptoError};
use thiserror::Error;
use zeroize::Zeroizing;

/// INS of GET CHALLENGE.
pub const INS_GET_CHALLENGE: u8 = 0x84;
/// INS of EXTERNAL AUTHENTICATE (the BAC mutual authentication).
pub const INS_EXTERNAL_AUTHENTICATE: u8 = 0x82;
/// Length of RND.IC and RND.IFD.
pub const NONCE_LEN: usize = 8;
/// Length of K.IFD and K.IC.
pub const KEY_MATERIAL_LEN: usize = 16;
/// Length of E.IFD || M.IFD and of E.IC || M.IC (`28`).
pub const CRYPTOGRAM_LEN: usize = 0x28;

/// Length of E.IFD and E.IC.
const E_LEN: usize = 2 * NONCE_LEN + KEY_MATERIAL_LEN;
/// DES CBC IV of BAC: zero.
const ZERO_IV: [u8; 8] = [0; 8];

/// Why BAC failed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum BacError {
    /// SW `6300` / `6982` to EXTERNAL AUTHENTICATE, a bad MAC on the card's cryptogram, or
    /// RND.IFD / RND.IC not echoed: the MRZ key is wrong (or the card is not this document).
    #[error("access denied: wrong MRZ key")]
    AccessDenied,
    /// The card answered with an unexpected status word.
    #[error("card answered {0}")]
    Card(StatusWord),
    /// A response of the wrong shape (what is wrong, never its content).
    #[error("malformed BAC response: {0}")]
    Malformed(&'static str),
    /// A primitive failed (the random source, most likely).
    #[error("cryptographic failure: {0}")]
    Crypto(#[from] CryptoError),
}

/// Starts BAC from the MRZ information: document number (9 characters, `<`-padded) and its
/// check digit, date of birth (YYMMDD) and its check digit, date of expiry (YYMMDD) and its
/// check digit, as ASCII (ICAO 9303-11 §9.7.2). Returns GET CHALLENGE (`0084000008`) and the
/// state that expects its answer.
pub fn start(mrz_information: &[u8]) -> (Command, ExpectChallenge) {
    let seed = bac_key_seed(mrz_information);
    let state = ExpectChallenge {
        k_enc: kdf(&seed, ENC, CipherAlg::Tdes),
        k_mac: kdf(&seed, MAC, CipherAlg::Tdes),
    };
    let cmd = Command::new(0x00, INS_GET_CHALLENGE, 0x00, 0x00).with_le(NONCE_LEN);
    (cmd, state)
}

/// Waiting for RND.IC, the answer to GET CHALLENGE.
pub struct ExpectChallenge {
    k_enc: Zeroizing<Vec<u8>>,
    k_mac: Zeroizing<Vec<u8>>,
}

impl core::fmt::Debug for ExpectChallenge {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("ExpectChallenge(***)")
    }
}

impl ExpectChallenge {
    /// Takes RND.IC, draws RND.IFD (8 bytes) then K.IFD (16 bytes) from `rng`, and builds
    /// EXTERNAL AUTHENTICATE with `E.IFD || M.IFD` and Le `28`.
    pub fn handle(
        self,
        resp: &Response,
        rng: &mut dyn RandomSource,
    ) -> Result<(Command, ExpectMutualAuth), BacError> {
        if !resp.sw.is_success() {
            return Err(BacError::Card(resp.sw));
        }
        let rnd_ic: Zeroizing<[u8; NONCE_LEN]> = Zeroizing::new(
            resp.data
                .as_slice()
                .try_into()
                .map_err(|_| BacError::Malformed("GET CHALLENGE answer is not 8 bytes"))?,
        );
        let mut rnd_ifd = Zeroizing::new([0u8; NONCE_LEN]);
        rng.fill(rnd_ifd.as_mut())?;
        let mut k_ifd = Zeroizing::new([0u8; KEY_MATERIAL_LEN]);
        rng.fill(k_ifd.as_mut())?;

        let mut s = Zeroizing::new(Vec::with_capacity(E_LEN));
        s.extend_from_slice(rnd_ifd.as_ref());
        s.extend_from_slice(rnd_ic.as_ref());
        s.extend_from_slice(k_ifd.as_ref());
        let e_ifd = cbc_encrypt(CipherAlg::Tdes, &self.k_enc, &ZERO_IV, &s)?;
        let m_ifd = retail_mac(&self.k_mac, &pad(&e_ifd, 8))?;

        let mut data = e_ifd;
        data.extend_from_slice(&m_ifd);
        let cmd = Command::new(0x00, INS_EXTERNAL_AUTHENTICATE, 0x00, 0x00)
            .with_data(data)
            .with_le(CRYPTOGRAM_LEN);
        let next = ExpectMutualAuth {
            k_enc: self.k_enc,
            k_mac: self.k_mac,
            rnd_ic,
            rnd_ifd,
            k_ifd,
        };
        Ok((cmd, next))
    }
}

/// Waiting for `E.IC || M.IC`, the answer to EXTERNAL AUTHENTICATE.
pub struct ExpectMutualAuth {
    k_enc: Zeroizing<Vec<u8>>,
    k_mac: Zeroizing<Vec<u8>>,
    rnd_ic: Zeroizing<[u8; NONCE_LEN]>,
    rnd_ifd: Zeroizing<[u8; NONCE_LEN]>,
    k_ifd: Zeroizing<[u8; KEY_MATERIAL_LEN]>,
}

impl core::fmt::Debug for ExpectMutualAuth {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("ExpectMutualAuth(***)")
    }
}

impl ExpectMutualAuth {
    /// Verifies the card's cryptogram (MAC first, in constant time), checks that it echoes
    /// RND.IFD and RND.IC, and derives the session keys and SSC.
    pub fn handle(self, resp: &Response) -> Result<SecureMessaging, BacError> {
        match resp.sw {
            StatusWord::AUTHENTICATION_FAILED | StatusWord::SECURITY_STATUS_NOT_SATISFIED => {
                return Err(BacError::AccessDenied)
            }
            sw if !sw.is_success() => return Err(BacError::Card(sw)),
            _ => {}
        }
        if resp.data.len() != CRYPTOGRAM_LEN {
            return Err(BacError::Malformed(
                "EXTERNAL AUTHENTICATE answer is not 40 bytes",
            ));
        }
        let (e_ic, m_ic) = resp
            .data
            .split_at_checked(E_LEN)
            .ok_or(BacError::Malformed(
                "EXTERNAL AUTHENTICATE answer too short",
            ))?;
        let expected = retail_mac(&self.k_mac, &pad(e_ic, 8))?;
        if !verify_mac(&expected, m_ic) {
            return Err(BacError::AccessDenied);
        }

        // R = RND.IC || RND.IFD || K.IC
        let r = Zeroizing::new(cbc_decrypt(CipherAlg::Tdes, &self.k_enc, &ZERO_IV, e_ic)?);
        let (rnd_ic, rest) = r
            .split_at_checked(NONCE_LEN)
            .ok_or(BacError::Malformed("short cryptogram"))?;
        let (rnd_ifd, k_ic) = rest
            .split_at_checked(NONCE_LEN)
            .ok_or(BacError::Malformed("short cryptogram"))?;
        if !verify_mac(rnd_ifd, self.rnd_ifd.as_ref()) || !verify_mac(rnd_ic, self.rnd_ic.as_ref())
        {
            return Err(BacError::AccessDenied);
        }

        let ks_seed: Zeroizing<Vec<u8>> =
            Zeroizing::new(self.k_ifd.iter().zip(k_ic).map(|(a, b)| a ^ b).collect());
        let ks_enc = kdf(&ks_seed, ENC, CipherAlg::Tdes);
        let ks_mac = kdf(&ks_seed, MAC, CipherAlg::Tdes);
        let mut ssc = Zeroizing::new(Vec::with_capacity(NONCE_LEN));
        ssc.extend_from_slice(self.rnd_ic.get(NONCE_LEN / 2..).unwrap_or_default());
        ssc.extend_from_slice(self.rnd_ifd.get(NONCE_LEN / 2..).unwrap_or_default());
        SecureMessaging::new(CipherAlg::Tdes, &ks_enc, &ks_mac, &ssc).map_err(|e| match e {
            SmError::Crypto(c) => BacError::Crypto(c),
            _ => BacError::Crypto(CryptoError::Invalid("session setup")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rng::FixedRandom;

    const MRZ: &[u8] = b"L898902C<369080619406236";
    const RND_IC: &str = "4608F91988702212";
    const IFD_RANDOM: &str = "781723860C06C2260B795240CB7049B01C19B33E32804F0B";
    const RESP: &str =
        "46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F2F2D235D074D7449";

    fn h(s: &str) -> Vec<u8> {
        hex::decode(s).unwrap()
    }

    fn to_mutual_auth(mrz: &[u8]) -> ExpectMutualAuth {
        let (_, st) = start(mrz);
        let mut rng = FixedRandom::new(h(IFD_RANDOM));
        st.handle(&Response::new(h(RND_IC), StatusWord::SUCCESS), &mut rng)
            .unwrap()
            .1
    }

    #[test]
    fn challenge_errors() {
        let mut rng = FixedRandom::new(h(IFD_RANDOM));
        let (_, st) = start(MRZ);
        assert_eq!(
            st.handle(&Response::status(StatusWord(0x6D00)), &mut rng)
                .unwrap_err(),
            BacError::Card(StatusWord(0x6D00))
        );
        for len in [0, 7, 9] {
            let (_, st) = start(MRZ);
            assert_eq!(
                st.handle(&Response::new(vec![0; len], StatusWord::SUCCESS), &mut rng)
                    .unwrap_err(),
                BacError::Malformed("GET CHALLENGE answer is not 8 bytes")
            );
        }
        // The random source runs dry.
        let (_, st) = start(MRZ);
        let mut empty = FixedRandom::new(vec![0; 10]);
        assert_eq!(
            st.handle(&Response::new(h(RND_IC), StatusWord::SUCCESS), &mut empty)
                .unwrap_err(),
            BacError::Crypto(CryptoError::Random)
        );
    }

    #[test]
    fn wrong_key_is_access_denied() {
        for sw in [0x6300, 0x6982] {
            assert_eq!(
                to_mutual_auth(MRZ)
                    .handle(&Response::status(StatusWord(sw)))
                    .unwrap_err(),
                BacError::AccessDenied
            );
        }
        assert_eq!(
            to_mutual_auth(MRZ)
                .handle(&Response::status(StatusWord(0x6700)))
                .unwrap_err(),
            BacError::Card(StatusWord(0x6700))
        );
        // The card's answer under another document's key: bad MAC.
        assert_eq!(
            to_mutual_auth(b"L898902C<369080619406237")
                .handle(&Response::new(h(RESP), StatusWord::SUCCESS))
                .unwrap_err(),
            BacError::AccessDenied
        );
        // A flipped MAC bit.
        let mut bad = h(RESP);
        bad[39] ^= 1;
        assert_eq!(
            to_mutual_auth(MRZ)
                .handle(&Response::new(bad, StatusWord::SUCCESS))
                .unwrap_err(),
            BacError::AccessDenied
        );
    }

    #[test]
    fn rnd_ifd_not_echoed_is_access_denied() {
        // A well-MACed cryptogram whose RND.IFD differs (a replay from another session).
        let seed = bac_key_seed(MRZ);
        let (k_enc, k_mac) = (
            kdf(&seed, ENC, CipherAlg::Tdes),
            kdf(&seed, MAC, CipherAlg::Tdes),
        );
        for r in [
            // RND.IC || other RND.IFD || K.IC
            "4608F91988702212781723860C06C2270B4F80323EB3191CB04970CB4052790B",
            // other RND.IC || RND.IFD || K.IC
            "4608F91988702213781723860C06C2260B4F80323EB3191CB04970CB4052790B",
        ] {
            let e = cbc_encrypt(CipherAlg::Tdes, &k_enc, &ZERO_IV, &h(r)).unwrap();
            let m = retail_mac(&k_mac, &pad(&e, 8)).unwrap();
            let resp = Response::new([e, m.to_vec()].concat(), StatusWord::SUCCESS);
            assert_eq!(
                to_mutual_auth(MRZ).handle(&resp).unwrap_err(),
                BacError::AccessDenied
            );
        }
    }

    #[test]
    fn malformed_mutual_auth_answers() {
        for len in [0, 8, 32, 39, 41, 255] {
            assert_eq!(
                to_mutual_auth(MRZ)
                    .handle(&Response::new(vec![0x5A; len], StatusWord::SUCCESS))
                    .unwrap_err(),
                BacError::Malformed("EXTERNAL AUTHENTICATE answer is not 40 bytes")
            );
        }
    }

    #[test]
    fn debug_hides_secrets() {
        let (_, st) = start(MRZ);
        assert_eq!(format!("{st:?}"), "ExpectChallenge(***)");
        assert_eq!(
            format!("{:?}", to_mutual_auth(MRZ)),
            "ExpectMutualAuth(***)"
        );
    }

    #[test]
    fn no_panic_on_arbitrary_answers() {
        use crate::crypto::rng::SeededRandom;
        let mut rng = SeededRandom::new(11);
        for i in 0..2000u64 {
            let n = rng.below(if i % 2 == 0 { 48 } else { 300 }) as usize;
            let data = if i % 5 == 0 {
                let mut d = h(RESP);
                let at = rng.below(40) as usize;
                d[at] ^= 0x80;
                d
            } else {
                rng.bytes(n)
            };
            let sw = StatusWord(if i % 3 == 0 {
                0x9000
            } else {
                rng.below(0x10000) as u16
            });
            let resp = Response::new(data, sw);
            let (_, st) = start(MRZ);
            let mut fixed = FixedRandom::new(h(IFD_RANDOM));
            let _ = st.handle(&resp, &mut fixed);
            let _ = to_mutual_auth(MRZ).handle(&resp);
        }
    }
}
