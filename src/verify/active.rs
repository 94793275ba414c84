//! Active Authentication, the reader's side (ICAO 9303-11 §6.1): the chip signs a fresh
//! challenge with the private key of DG15, so a copy of the files (a clone) is detected.
//!
//! ```text
//! IFD                                                           IC  (under secure messaging)
//!  INTERNAL AUTHENTICATE 00 88 00 00 08 RND.IFD 00 (or 0000)  ->
//!                                                            <-  signature, 9000
//! RSA, ISO/IEC 9796-2 digital signature scheme 1, partial message recovery:
//!   F = s^e mod n  (or n − that, whichever ends in nibble C)
//!   F = 6A || M1 || H || BC          (SHA-1, implicit trailer)
//!     | 6A || M1 || H || hashId CC   (hashId per ISO/IEC 10118-3: 33 SHA-1, 34 SHA-256,
//!                                     35 SHA-512, 36 SHA-384, 38 SHA-224)
//!   valid iff H = Hash(M1 || RND.IFD)
//! ECDSA: signature on Hash(RND.IFD), hash from DG14's ActiveAuthenticationInfo, plain r || s
//!   (BSI TR-03111) or DER.
//! ```
//!
//! The exchange is in [`crate::access::active_auth`] ([`challenge`](crate::access::active_auth::challenge),
//! [`command`](crate::access::active_auth::command), [`signature`](crate::access::active_auth::signature));
//! this module only judges the answer: [`verify`] checks it. A valid signature proves a genuine chip only
//! if DG15 itself is genuine (covered by a valid SOD):
//! [`crate::document::ActiveAuthVerdict::judge`].
//!
//! ```
//! # #[cfg(feature = "internals")] {
//! use cccd::lds::dg15::Dg15;
//! use cccd::access::active_auth;
//! use cccd::verify::active;
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // A real passport's DG15 and one of its AA answers (ZeroPass pymrtd tests).
//! let dg15 = Dg15::parse(&hex::decode(
//!     "6F81A230819F300D06092A864886F70D010101050003818D0030818902818100BD8620D45693E1CD8678639F\
//!      22E9553F09E3AFD87BD26000113CE2798B7A02A2E0AB6B7525D09072109D938D6708167E8FAFAF83F17BFBA3\
//!      6CECCE26058C7ED9AE29516755B19F78CE0E73DA02340B117B8AB2ECA007F1390E93E896016335EB5C1E330B\
//!      961C03E253D17874F7ABEE8D4962C49FFE578D46954FF23B26F5E5550203010001",
//! )?)?;
//! let challenge: [u8; 8] = hex::decode("47E4EE7F211F7326")?.try_into().unwrap();
//! let cmd = active_auth::command(&challenge, dg15.public_key());
//! assert_eq!(hex::encode_upper(cmd.to_bytes()?), "008800000847E4EE7F211F732600");
//! let sig = hex::decode(
//!     "8AECE4E0AB1A6B9E06B31ACBA51AE316D0B7B48E2F5FE13E575060F6B9DC27A2F9D03DCF67A141F466EEC753\
//!      879106BE0992F46F5EAAD075EB1886D2ACE90D60C2EDA69880780CE4FA36EF27AB01C47527BD23B178EC8F21\
//!      3307281572C219487FC11B2C3D9C144DC98D96D1A79A7478449D692D3D14E8C044F81B3ADF0047E0",
//! )?;
//! active::verify(dg15.public_key(), None, &challenge, &sig)?;
//! assert!(active::verify(dg15.public_key(), None, b"01234567", &sig).is_err());
//! # Ok(())
//! # }
//! # }
//! ```

use const_oid::ObjectIdentifier;

pub use crate::access::active_auth::AaError;
use crate::crypto::ec::field::PrimeField;
use crate::crypto::ec::{Curve, NamedCurve, Signature};
use crate::crypto::mac::verify_mac;
use crate::lds::security_info::{
    ActiveAuthenticationInfo, EcParameters, EcPublicKey, PublicKey, RsaPublicKey,
};

/// ISO/IEC 9796-2 header of a partial-recovery representative F.
pub const HEADER_PARTIAL_RECOVERY: u8 = 0x6A;
/// ISO/IEC 9796-2 implicit trailer (SHA-1).
pub const TRAILER_IMPLICIT: u8 = 0xBC;
/// ISO/IEC 9796-2 explicit trailer's last byte, after the hash identifier.
pub const TRAILER_EXPLICIT: u8 = 0xCC;
/// Smallest RSA modulus accepted (ICAO 9303-11 §6.1 keys are 1024 bits or more).
pub const MIN_RSA_BITS: usize = 1024;
/// Largest RSA modulus accepted (the bound of our modular arithmetic).
pub const MAX_RSA_BITS: usize = 4096;

/// Verifies an Active Authentication signature on `challenge` with DG15's key.
///
/// RSA: ISO/IEC 9796-2 scheme 1 as in the module docs (`aa_info` is ignored). ECDSA: the hash
/// comes from `aa_info` (DG14's ActiveAuthenticationInfo; required), the signature may be
/// plain `r || s` or DER. Digests are compared in constant time.
pub fn verify(
    key: &PublicKey,
    aa_info: Option<&ActiveAuthenticationInfo>,
    challenge: &[u8],
    signature: &[u8],
) -> Result<(), AaError> {
    if challenge.is_empty() {
        return Err(AaError::InvalidChallenge);
    }
    match key {
        PublicKey::Rsa(rsa) => verify_rsa(rsa, challenge, signature),
        PublicKey::Ec(ec) => {
            let info = aa_info.ok_or(AaError::MissingSignatureAlgorithm)?;
            verify_ecdsa(ec, &info.signature_algorithm, challenge, signature)
        }
        _ => Err(AaError::UnsupportedKey("neither RSA nor EC")),
    }
}

/// Length of RND.IFD (ICAO 9303-11 §6.1).
pub use crate::access::active_auth::CHALLENGE_LEN;

/// The hash functions of ISO/IEC 9796-2 trailers and ECDSA AA: the LDS hash algorithms.
pub type AaHash = crate::lds::sod::HashAlgorithm;

/// The hash of an ISO/IEC 10118-3 hash-function identifier (the byte before `CC` in an
/// ISO/IEC 9796-2 trailer).
pub fn hash_from_iso10118_id(id: u8) -> Option<AaHash> {
    match id {
        0x33 => Some(AaHash::Sha1),
        0x34 => Some(AaHash::Sha256),
        0x35 => Some(AaHash::Sha512),
        0x36 => Some(AaHash::Sha384),
        0x38 => Some(AaHash::Sha224),
        _ => None,
    }
}

/// The hash of an ECDSA signature algorithm OID: `ecdsa-with-SHA*` (ANSI X9.62, RFC 5758) or
/// BSI `ecdsa-plain-SHA*` (TR-03111 §5.2.1, 0.4.0.127.0.7.1.1.4.1.*).
pub fn hash_from_signature_oid(oid: &ObjectIdentifier) -> Option<AaHash> {
    ECDSA_OIDS.iter().find(|(o, _)| o == oid).map(|(_, h)| *h)
}

/// Hash of the concatenation of `parts`.
fn digest_parts(hash: AaHash, parts: &[&[u8]]) -> Vec<u8> {
    hash.digest(&parts.concat())
}

const ECDSA_OIDS: [(ObjectIdentifier, AaHash); 10] = [
    (
        ObjectIdentifier::new_unwrap("1.2.840.10045.4.1"),
        AaHash::Sha1,
    ),
    (
        ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.1"),
        AaHash::Sha224,
    ),
    (
        ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2"),
        AaHash::Sha256,
    ),
    (
        ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.3"),
        AaHash::Sha384,
    ),
    (
        ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.4"),
        AaHash::Sha512,
    ),
    (
        ObjectIdentifier::new_unwrap("0.4.0.127.0.7.1.1.4.1.1"),
        AaHash::Sha1,
    ),
    (
        ObjectIdentifier::new_unwrap("0.4.0.127.0.7.1.1.4.1.2"),
        AaHash::Sha224,
    ),
    (
        ObjectIdentifier::new_unwrap("0.4.0.127.0.7.1.1.4.1.3"),
        AaHash::Sha256,
    ),
    (
        ObjectIdentifier::new_unwrap("0.4.0.127.0.7.1.1.4.1.4"),
        AaHash::Sha384,
    ),
    (
        ObjectIdentifier::new_unwrap("0.4.0.127.0.7.1.1.4.1.5"),
        AaHash::Sha512,
    ),
];

fn verify_rsa(key: &RsaPublicKey, challenge: &[u8], sig: &[u8]) -> Result<(), AaError> {
    let bits = key.modulus_bits();
    if !(MIN_RSA_BITS..=MAX_RSA_BITS).contains(&bits) {
        return Err(AaError::UnsupportedKey("RSA modulus size"));
    }
    let k = key.modulus.len();
    if sig.is_empty() || sig.len() > k {
        return Err(AaError::SignatureLength {
            len: sig.len(),
            modulus_len: k,
        });
    }
    // Bounded exponent: a DG15 could otherwise ask for a modular exponentiation by a
    // megabyte-long exponent. Real AA keys use 65537 (the rsa crate's limit is 2^33 - 1).
    let e = &key.public_exponent;
    let e_significant = e.iter().skip_while(|b| **b == 0).count();
    if e_significant == 0 || e_significant > 5 || e.last().is_none_or(|b| b & 1 == 0) {
        return Err(AaError::InvalidPublicKey(
            "RSA public exponent out of range",
        ));
    }
    let field = PrimeField::without_sqrt(&key.modulus)
        .map_err(|_| AaError::InvalidPublicKey("RSA modulus is even"))?;
    let s = field
        .element(sig)
        .map_err(|_| AaError::SignatureOutOfRange)?;
    if s.is_zero() {
        return Err(AaError::SignatureOutOfRange);
    }
    let mut j = s.pow(&key.public_exponent);
    if field.to_bytes(&j).last().map(|b| b & 0x0F) != Some(0x0C) {
        j = j.neg();
    }
    let full = field.to_bytes(&j);
    if full.last().map(|b| b & 0x0F) != Some(0x0C) {
        return Err(AaError::InvalidTrailer);
    }
    // A modulus of 8m+1 bits leaves the representative one byte short (top byte zero).
    let f = if bits % 8 == 1 {
        match full.split_first() {
            Some((0, rest)) => rest,
            _ => return Err(AaError::InvalidHeader),
        }
    } else {
        full.as_slice()
    };
    recover_and_check(f, challenge)
}

/// Checks an ISO/IEC 9796-2 scheme 1 representative `F = 6A || M1 || H || trailer` against
/// `M2 = challenge`: H = Hash(M1 || M2), in constant time.
fn recover_and_check(f: &[u8], challenge: &[u8]) -> Result<(), AaError> {
    let (&first, _) = f.split_first().ok_or(AaError::InvalidHeader)?;
    let (hash, t) = match f {
        [.., TRAILER_IMPLICIT] => (AaHash::Sha1, 1),
        [.., id, TRAILER_EXPLICIT] => (
            hash_from_iso10118_id(*id).ok_or(AaError::UnsupportedHashId(*id))?,
            2,
        ),
        _ => return Err(AaError::InvalidTrailer),
    };
    if first != HEADER_PARTIAL_RECOVERY {
        return Err(AaError::InvalidHeader);
    }
    let body_end = f
        .len()
        .checked_sub(t)
        .filter(|e| *e > hash.output_len())
        .ok_or(AaError::InvalidTrailer)?;
    let m1_end = body_end - hash.output_len();
    let m1 = f.get(1..m1_end).ok_or(AaError::InvalidHeader)?;
    let h = f.get(m1_end..body_end).ok_or(AaError::InvalidTrailer)?;
    let d = digest_parts(hash, &[m1, challenge]);
    if verify_mac(&d, h) {
        Ok(())
    } else {
        Err(AaError::SignatureInvalid)
    }
}

fn verify_ecdsa(
    key: &EcPublicKey,
    algorithm: &ObjectIdentifier,
    challenge: &[u8],
    sig: &[u8],
) -> Result<(), AaError> {
    let hash =
        hash_from_signature_oid(algorithm).ok_or(AaError::UnsupportedAlgorithm(*algorithm))?;
    let curve = match &key.parameters {
        EcParameters::Named(oid) => NamedCurve::from_oid(oid)
            .map(|c| c.curve().clone())
            .ok_or(AaError::UnsupportedKey("unknown named curve"))?,
        EcParameters::Explicit(e) => Curve::from_ec_parameters_der(&e.raw)
            .map_err(|_| AaError::InvalidPublicKey("invalid explicit curve parameters"))?,
        _ => return Err(AaError::UnsupportedKey("implicitlyCA curve parameters")),
    };
    let point = curve
        .decode_point(&key.point)
        .map_err(|_| AaError::InvalidPublicKey("EC point not on the curve"))?;
    let digest = hash.digest(challenge);
    let plain = (sig.len() == 2 * curve.order_size())
        .then(|| Signature::from_plain(sig).ok())
        .flatten();
    let der = Signature::from_der(sig).ok();
    if plain.is_none() && der.is_none() {
        return Err(AaError::MalformedSignature);
    }
    let ok = [plain, der]
        .iter()
        .flatten()
        .any(|s| curve.ecdsa_verify(&point, &digest, s).is_ok());
    if ok {
        Ok(())
    } else {
        Err(AaError::SignatureInvalid)
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn absurd_rsa_exponents_are_refused_before_any_arithmetic() {
        let modulus = [&[0xC3u8][..], &[0x55; 126], &[0x01]].concat();
        for e in [vec![0x00], vec![0x01, 0x00, 0x00], vec![0xFF; 100_000]] {
            let key = RsaPublicKey {
                modulus: modulus.clone(),
                public_exponent: e,
            };
            assert_eq!(
                verify_rsa(&key, &[1; 8], &[0x42; 128]),
                Err(AaError::InvalidPublicKey(
                    "RSA public exponent out of range"
                ))
            );
        }
    }

    use super::*;

    #[test]
    fn hash_ids_and_oids() {
        assert_eq!(hash_from_iso10118_id(0x34), Some(AaHash::Sha256));
        assert_eq!(hash_from_iso10118_id(0x37), None);
        assert_eq!(hash_from_iso10118_id(0x31), None);
        for (oid, h) in ECDSA_OIDS {
            assert_eq!(hash_from_signature_oid(&oid), Some(h));
            assert_eq!(h.digest(b"abc").len(), h.output_len());
        }
    }

    #[test]
    fn representative_edge_cases() {
        let c = b"12345678";
        assert_eq!(recover_and_check(&[], c), Err(AaError::InvalidHeader));
        assert_eq!(recover_and_check(&[0xBC], c), Err(AaError::InvalidHeader));
        assert_eq!(
            recover_and_check(&[0x6A, 0xBC], c),
            Err(AaError::InvalidTrailer)
        );
        assert_eq!(
            recover_and_check(&[0x6A, 0x37, 0xCC], c),
            Err(AaError::UnsupportedHashId(0x37))
        );
        // Exactly header + SHA-1 + trailer: M1 empty, H must be SHA-1(challenge).
        let mut f = vec![0x6A];
        f.extend(AaHash::Sha1.digest(c));
        f.push(0xBC);
        assert_eq!(recover_and_check(&f, c), Ok(()));
        f[0] = 0x4A;
        assert_eq!(recover_and_check(&f, c), Err(AaError::InvalidHeader));
    }
}
