//! Card-side Chip Authentication (ICAO 9303-11 §6.2, BSI TR-03110-1 §3.4 version 1), written
//! from the chip's point of view, independently of the reader's.
//!
//! Under the current secure-messaging session the terminal sends its ephemeral public key
//! PK_PCD:
//! - 3DES: `MSE:Set KAT` (`00 22 41 A6`, data `91 PK_PCD [84 keyId]`);
//! - AES: `MSE:Set AT` (`00 22 41 A4`, data `80 OID [84 keyId]`), then `GENERAL AUTHENTICATE`
//!   (`00 86 00 00`, data `7C { 80 PK_PCD }`), answered with an empty `7C 00`.
//!
//! The chip answers under the OLD session keys, then restarts secure messaging with
//! KSenc = KDF(K, 1), KSmac = KDF(K, 2), K = x(SK_IC · PK_PCD), and SSC = 0. The protocols the
//! chip offers are the ChipAuthenticationInfos of its own DG14: a chip does what it advertises.

use const_oid::ObjectIdentifier;

use super::keys::ChipAuthenticationKey;
use super::sm::SmSession;
use crate::apdu::StatusWord;
use crate::crypto::kdf::{kdf, ENC, MAC};
use crate::crypto::CipherAlg;
use crate::tlv::{encode, Reader, Tag};

/// `80`: cryptographic mechanism reference (the CA protocol OID) in MSE:Set AT.
const DO80: Tag = Tag(0x80);
/// `84`: reference of a private key (keyId).
const DO84: Tag = Tag(0x84);
/// `91`: ephemeral public key in MSE:Set KAT.
const DO91: Tag = Tag(0x91);
/// `7C`: dynamic authentication data.
const DO7C: Tag = Tag(0x7C);

/// id-CA-ECDH (0.4.0.127.0.7.2.2.3.2): the Chip Authentication protocols with ECDH; the last
/// arc names the cipher (1 3DES, 2 AES-128, 3 AES-192, 4 AES-256).
const ID_CA_ECDH: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.127.0.7.2.2.3.2");

/// The AES protocol MSE:Set AT selected, waiting for GENERAL AUTHENTICATE.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ExpectEphemeralKey {
    alg: CipherAlg,
}

/// The cipher of a CA protocol OID, if it is an id-CA-ECDH one.
fn cipher_of(oid: &ObjectIdentifier) -> Option<CipherAlg> {
    if oid.parent() != Some(ID_CA_ECDH) {
        return None;
    }
    match oid.arcs().last() {
        Some(1) => Some(CipherAlg::Tdes),
        Some(2) => Some(CipherAlg::Aes128),
        Some(3) => Some(CipherAlg::Aes192),
        Some(4) => Some(CipherAlg::Aes256),
        _ => None,
    }
}

/// The ciphers of the id-CA-ECDH ChipAuthenticationInfos in a DG14 (`6E { SET OF
/// SecurityInfo }`); nothing when the file does not parse.
pub(crate) fn supported_ciphers(dg14: Option<&[u8]>) -> Vec<CipherAlg> {
    let Some(dg14) = dg14 else {
        return Vec::new();
    };
    let Ok(outer) = crate::tlv::parse_single(dg14) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut sets = outer.children();
    let Ok(set) = sets.read_tag(Tag(0x31)) else {
        return out;
    };
    for info in set.children().map_while(Result::ok) {
        let mut r = info.children();
        let Ok(oid) = r.read_tag(Tag(0x06)) else {
            continue;
        };
        if let Some(alg) = ObjectIdentifier::from_bytes(oid.value)
            .ok()
            .as_ref()
            .and_then(cipher_of)
        {
            out.push(alg);
        }
    }
    out
}

/// MSE:Set KAT (3DES): checks the key reference, performs ECDH and returns the new session.
pub(crate) fn set_kat(
    key: &ChipAuthenticationKey,
    supported: &[CipherAlg],
    data: &[u8],
) -> Result<SmSession, StatusWord> {
    if !supported.contains(&CipherAlg::Tdes) {
        return Err(StatusWord::CONDITIONS_NOT_SATISFIED);
    }
    let mut r = Reader::new(data);
    let pk = r.read_tag(DO91).map_err(|_| StatusWord::WRONG_DATA)?;
    let key_ref = r.read_optional(DO84).map_err(|_| StatusWord::WRONG_DATA)?;
    r.finish().map_err(|_| StatusWord::WRONG_DATA)?;
    check_key_reference(key, key_ref.map(|t| t.value))?;
    new_session(key, CipherAlg::Tdes, pk.value)
}

/// MSE:Set AT for CA (AES): the protocol OID must be one the chip advertises.
pub(crate) fn set_at(
    key: &ChipAuthenticationKey,
    supported: &[CipherAlg],
    data: &[u8],
) -> Result<ExpectEphemeralKey, StatusWord> {
    let mut r = Reader::new(data);
    let oid = r.read_tag(DO80).map_err(|_| StatusWord::WRONG_DATA)?;
    let key_ref = r.read_optional(DO84).map_err(|_| StatusWord::WRONG_DATA)?;
    r.finish().map_err(|_| StatusWord::WRONG_DATA)?;
    let oid = ObjectIdentifier::from_bytes(oid.value).map_err(|_| StatusWord::WRONG_DATA)?;
    let alg = cipher_of(&oid)
        .filter(|alg| *alg != CipherAlg::Tdes && supported.contains(alg))
        .ok_or(StatusWord::WRONG_DATA)?;
    check_key_reference(key, key_ref.map(|t| t.value))?;
    Ok(ExpectEphemeralKey { alg })
}

impl ExpectEphemeralKey {
    /// GENERAL AUTHENTICATE `7C { 80 PK_PCD }`: the response `7C 00` and the new session.
    pub(crate) fn general_authenticate(
        self,
        key: &ChipAuthenticationKey,
        data: &[u8],
    ) -> Result<(Vec<u8>, SmSession), StatusWord> {
        let mut r = Reader::new(data);
        let dad = r.read_tag(DO7C).map_err(|_| StatusWord::WRONG_DATA)?;
        r.finish().map_err(|_| StatusWord::WRONG_DATA)?;
        let mut inner = dad.children();
        let pk = inner.read_tag(DO80).map_err(|_| StatusWord::WRONG_DATA)?;
        inner.finish().map_err(|_| StatusWord::WRONG_DATA)?;
        let session = new_session(key, self.alg, pk.value)?;
        Ok((encode(DO7C, &[]), session))
    }
}

/// `84 keyId` must name the chip's key; a chip without a key id takes no reference.
fn check_key_reference(
    key: &ChipAuthenticationKey,
    reference: Option<&[u8]>,
) -> Result<(), StatusWord> {
    let Some(reference) = reference else {
        return Ok(());
    };
    if reference.is_empty() || reference.len() > 4 {
        return Err(StatusWord::WRONG_DATA);
    }
    let id = reference
        .iter()
        .fold(0u32, |acc, b| (acc << 8) | u32::from(*b));
    if key.key_id() == Some(id) {
        Ok(())
    } else {
        Err(StatusWord::REFERENCED_DATA_NOT_FOUND)
    }
}

/// K = ECDH(SK_IC, PK_PCD); the session with KDF(K, 1), KDF(K, 2) and a zero SSC. An invalid
/// public key (not a point on the curve) is `6A80`.
fn new_session(
    key: &ChipAuthenticationKey,
    alg: CipherAlg,
    terminal_public: &[u8],
) -> Result<SmSession, StatusWord> {
    let k = key
        .agree(terminal_public)
        .map_err(|_| StatusWord::WRONG_DATA)?;
    let k_enc = kdf(&k, ENC, alg);
    let k_mac = kdf(&k, MAC, alg);
    let ssc = vec![0u8; alg.block_size()];
    SmSession::new(alg, &k_enc, &k_mac, &ssc).ok_or(StatusWord::UNKNOWN)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::ec::NamedCurve;
    use crate::crypto::rng::SeededRandom;

    fn key(id: Option<u32>) -> ChipAuthenticationKey {
        ChipAuthenticationKey::generate(
            NamedCurve::BrainpoolP256r1.curve(),
            &mut SeededRandom::new(3),
            id,
        )
        .unwrap()
    }

    #[test]
    fn oid_to_cipher() {
        let oid = |s| ObjectIdentifier::new_unwrap(s);
        assert_eq!(
            cipher_of(&oid("0.4.0.127.0.7.2.2.3.2.2")),
            Some(CipherAlg::Aes128)
        );
        assert_eq!(
            cipher_of(&oid("0.4.0.127.0.7.2.2.3.2.1")),
            Some(CipherAlg::Tdes)
        );
        // id-CA-DH-AES-CBC-CMAC-128 is not ECDH; id-PK-ECDH is not a CA protocol.
        assert_eq!(cipher_of(&oid("0.4.0.127.0.7.2.2.3.1.2")), None);
        assert_eq!(cipher_of(&oid("0.4.0.127.0.7.2.2.1.2")), None);
    }

    #[test]
    fn key_references() {
        assert_eq!(check_key_reference(&key(None), None), Ok(()));
        assert_eq!(
            check_key_reference(&key(None), Some(&[1])),
            Err(StatusWord::REFERENCED_DATA_NOT_FOUND)
        );
        assert_eq!(
            check_key_reference(&key(Some(0x0102)), Some(&[1, 2])),
            Ok(())
        );
        assert_eq!(
            check_key_reference(&key(Some(1)), Some(&[])),
            Err(StatusWord::WRONG_DATA)
        );
    }

    #[test]
    fn off_curve_key_is_6a80() {
        let k = key(None);
        let mut pk = k.encoded_public_key();
        if let Some(last) = pk.last_mut() {
            *last ^= 1;
        }
        assert_eq!(
            new_session(&k, CipherAlg::Aes128, &pk).err(),
            Some(StatusWord::WRONG_DATA)
        );
        let set_at_data = encode(
            DO80,
            ObjectIdentifier::new_unwrap("0.4.0.127.0.7.2.2.3.2.2").as_bytes(),
        );
        let pending = set_at(&k, &[CipherAlg::Aes128], &set_at_data).unwrap();
        assert_eq!(
            pending
                .general_authenticate(&k, &encode(DO7C, &encode(DO80, &pk)))
                .err(),
            Some(StatusWord::WRONG_DATA)
        );
        // Not advertised: AES-256, and 3DES through MSE:Set AT.
        let aes256 = encode(
            DO80,
            ObjectIdentifier::new_unwrap("0.4.0.127.0.7.2.2.3.2.4").as_bytes(),
        );
        assert_eq!(
            set_at(&k, &[CipherAlg::Aes128], &aes256).err(),
            Some(StatusWord::WRONG_DATA)
        );
        assert!(set_kat(&k, &[CipherAlg::Aes128], &encode(DO91, &pk)).is_err());
    }
}
