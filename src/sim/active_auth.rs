//! Card-side Active Authentication (ICAO 9303-11 §6.1): INTERNAL AUTHENTICATE (`00 88 00 00`)
//! with the terminal's 8-byte challenge, under secure messaging, signed with the chip's AA key:
//!
//! - RSA: ISO/IEC 9796-2 digital signature scheme 1 with partial message recovery. The message
//!   representative `F = 6A || M1 || H(M1 || M2) || trailer` fills the modulus, M1 random
//!   bytes (the recoverable part), M2 the challenge (known to the terminal); trailer `BC`
//!   for SHA-1 (implicit), `34 CC` for SHA-256; the signature is F^d mod n.
//! - ECDSA: plain `r || s` (BSI TR-03111 §5.2.1) over SHA-256(challenge).
//!
//! A signature longer than Le (RSA above 2048 bits with a short Le) is refused with `6700`: the
//! terminal must ask with an extended Le.

use sha1::Sha1;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::keys::{ActiveAuthenticationKey, Iso9796Hash, KeyError};
use crate::apdu::{Command, StatusWord};
use crate::crypto::rng::RandomSource;
use rsa::traits::PublicKeyParts;

/// The challenge length ICAO 9303-11 §6.1 fixes.
pub const CHALLENGE_LEN: usize = 8;

/// ISO/IEC 9796-2 header for partial message recovery: `01` (start), `1` (partial recovery),
/// `0`, then the `1010` nibble that ends the (empty) padding field.
const ISO9796_HEADER: u8 = 0x6A;

/// Signs `challenge` as the chip does for INTERNAL AUTHENTICATE.
pub fn sign(
    key: &ActiveAuthenticationKey,
    challenge: &[u8],
    rng: &mut dyn RandomSource,
) -> Result<Vec<u8>, KeyError> {
    match key {
        ActiveAuthenticationKey::Ecdsa { curve, private, .. } => {
            let digest = Sha256::digest(challenge);
            let sig = curve.ecdsa_sign(private, &digest, rng)?;
            Ok(sig.to_plain(curve.order_size()))
        }
        ActiveAuthenticationKey::Rsa { key, hash } => {
            let bits = usize::try_from(key.n().as_ref().bit_width()).map_err(|_| KeyError::Rsa)?;
            // F must stay below n: k/8 bytes starting 0x6A for a whole-byte modulus; one byte
            // less otherwise.
            let len = bits / 8;
            let (digest_len, trailer): (usize, &[u8]) = match hash {
                Iso9796Hash::Sha1 => (20, &[0xBC]),
                Iso9796Hash::Sha256 => (32, &[0x34, 0xCC]),
            };
            let m1_len = len
                .checked_sub(1 + digest_len + trailer.len())
                .filter(|n| *n > 0)
                .ok_or(KeyError::MessageTooLong)?;
            let mut m1 = Zeroizing::new(vec![0u8; m1_len]);
            rng.fill(&mut m1).map_err(|_| KeyError::Random)?;
            let digest = match hash {
                Iso9796Hash::Sha1 => {
                    let mut h = Sha1::new();
                    h.update(&*m1);
                    h.update(challenge);
                    h.finalize().to_vec()
                }
                Iso9796Hash::Sha256 => {
                    let mut h = Sha256::new();
                    h.update(&*m1);
                    h.update(challenge);
                    h.finalize().to_vec()
                }
            };
            let mut f = Zeroizing::new(Vec::with_capacity(len));
            f.push(ISO9796_HEADER);
            f.extend_from_slice(&m1);
            f.extend_from_slice(&digest);
            f.extend_from_slice(trailer);
            ActiveAuthenticationKey::rsa_private(key, &f)
        }
    }
}

/// INTERNAL AUTHENTICATE, already unwrapped from secure messaging: the signature, or the
/// status word that refuses it.
pub(crate) fn internal_authenticate(
    key: &ActiveAuthenticationKey,
    cmd: &Command,
    secured: bool,
    rng: &mut dyn RandomSource,
) -> Result<Vec<u8>, StatusWord> {
    if cmd.p1 != 0 || cmd.p2 != 0 {
        return Err(StatusWord::INCORRECT_P1P2);
    }
    if !secured {
        return Err(StatusWord::SECURITY_STATUS_NOT_SATISFIED);
    }
    if cmd.data.len() != CHALLENGE_LEN {
        return Err(StatusWord::WRONG_LENGTH);
    }
    let le = cmd.le.ok_or(StatusWord::WRONG_LENGTH)?;
    let signature = sign(key, &cmd.data, rng).map_err(|_| StatusWord::UNKNOWN)?;
    if signature.len() > le {
        return Err(StatusWord::WRONG_LENGTH);
    }
    Ok(signature)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rng::SeededRandom;
    use crate::sim::keys::{ActiveAuthenticationKind, CardKeys};

    fn cmd(data: &[u8], le: Option<usize>) -> Command {
        let mut c = Command::new(0x00, 0x88, 0x00, 0x00).with_data(data.to_vec());
        c.le = le;
        c
    }

    #[test]
    fn refusals() {
        let keys = CardKeys::cccd(1, ActiveAuthenticationKind::default(), false).unwrap();
        let key = &keys.active_authentication;
        let mut rng = SeededRandom::new(1);
        let ok = internal_authenticate(key, &cmd(&[1; 8], Some(256)), true, &mut rng).unwrap();
        assert_eq!(ok.len(), 64);
        assert_eq!(
            internal_authenticate(key, &cmd(&[1; 8], Some(256)), false, &mut rng),
            Err(StatusWord::SECURITY_STATUS_NOT_SATISFIED)
        );
        assert_eq!(
            internal_authenticate(key, &cmd(&[1; 7], Some(256)), true, &mut rng),
            Err(StatusWord::WRONG_LENGTH)
        );
        assert_eq!(
            internal_authenticate(key, &cmd(&[1; 8], None), true, &mut rng),
            Err(StatusWord::WRONG_LENGTH)
        );
        assert_eq!(
            internal_authenticate(key, &cmd(&[1; 8], Some(63)), true, &mut rng),
            Err(StatusWord::WRONG_LENGTH)
        );
    }

    #[test]
    fn rsa2048_sha256_fills_the_modulus() {
        let keys = CardKeys::cccd(
            1,
            ActiveAuthenticationKind::Rsa2048(Iso9796Hash::Sha256),
            false,
        )
        .unwrap();
        let sig = sign(
            &keys.active_authentication,
            &[2; 8],
            &mut SeededRandom::new(2),
        )
        .unwrap();
        assert_eq!(sig.len(), 256);
    }
}
