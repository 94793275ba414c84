//! Active Authentication, the exchange (ICAO 9303-11 §6.1): the challenge, INTERNAL
//! AUTHENTICATE, and the signature taken out of the chip's (unwrapped) answer. Sans-I/O, beside
//! BAC and PACE; [`crate::verify::active::verify`] judges the signature.

use const_oid::ObjectIdentifier;
use thiserror::Error;

use crate::access::sm::SecureMessaging;
use crate::apdu::{Command, Response, StatusWord, MAX_EXTENDED_LE, MAX_SHORT_LE};
use crate::crypto::ec::NamedCurve;
use crate::crypto::rng::RandomSource;
use crate::crypto::CryptoError;
use crate::lds::security_info::{EcParameters, PublicKey};

/// INS of INTERNAL AUTHENTICATE.
pub const INS_INTERNAL_AUTHENTICATE: u8 = 0x88;
/// Length of RND.IFD (ICAO 9303-11 §6.1).
pub const CHALLENGE_LEN: usize = 8;
/// Why Active Authentication failed or could not run.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum AaError {
    /// The random source failed.
    #[error("cryptographic failure: {0}")]
    Crypto(#[from] CryptoError),
    /// The chip answered INTERNAL AUTHENTICATE with this status word.
    #[error("card answered {0}")]
    Card(StatusWord),
    /// The chip answered success with no signature.
    #[error("empty INTERNAL AUTHENTICATE answer")]
    EmptyResponse,
    /// DG15 holds a key type or size we do not verify (DSA, RSA under 1024 or over 4096 bits,
    /// an unknown or implicit curve).
    #[error("unsupported Active Authentication key: {0}")]
    UnsupportedKey(&'static str),
    /// DG15's key is malformed (even modulus, point not on the curve, bad parameters).
    #[error("invalid Active Authentication public key: {0}")]
    InvalidPublicKey(&'static str),
    /// An ECDSA key, but DG14 has no ActiveAuthenticationInfo to name the hash.
    #[error("ECDSA Active Authentication needs DG14's ActiveAuthenticationInfo")]
    MissingSignatureAlgorithm,
    /// The ActiveAuthenticationInfo names a signature algorithm we do not know.
    #[error("unsupported Active Authentication signature algorithm {0}")]
    UnsupportedAlgorithm(ObjectIdentifier),
    /// An ISO/IEC 9796-2 trailer with a hash identifier we do not implement.
    #[error("unsupported ISO/IEC 9796-2 hash identifier {0:02X}")]
    UnsupportedHashId(u8),
    /// An empty challenge.
    #[error("empty challenge")]
    InvalidChallenge,
    /// An RSA signature longer than the modulus, or empty.
    #[error("signature of {len} bytes for a {modulus_len}-byte modulus")]
    SignatureLength {
        /// Bytes received.
        len: usize,
        /// Bytes of the modulus.
        modulus_len: usize,
    },
    /// An RSA signature not below the modulus (or zero).
    #[error("signature value out of range")]
    SignatureOutOfRange,
    /// The recovered representative does not end in `BC` or `xx CC`.
    #[error("ISO/IEC 9796-2 trailer invalid")]
    InvalidTrailer,
    /// The recovered representative does not start with `6A` (partial recovery header).
    #[error("ISO/IEC 9796-2 header invalid")]
    InvalidHeader,
    /// An ECDSA signature that is neither plain `r || s` of the curve's size nor DER.
    #[error("malformed ECDSA signature")]
    MalformedSignature,
    /// The signature does not verify: wrong key (a clone), wrong challenge (a replay), or a
    /// tampered answer.
    #[error("signature invalid")]
    SignatureInvalid,
}

/// An 8-byte random challenge RND.IFD.
pub fn challenge(rng: &mut dyn RandomSource) -> Result<[u8; CHALLENGE_LEN], AaError> {
    let mut c = [0u8; CHALLENGE_LEN];
    rng.fill(&mut c)?;
    Ok(c)
}

/// INTERNAL AUTHENTICATE `00 88 00 00 08 challenge Le` for the AA key of DG15.
///
/// Le is `00` when the chip's largest possible signature still fits a short protected response
/// (at most [`SecureMessaging::MAX_SHORT_READ`] plain bytes), else extended `0000`: RSA keys of
/// 2048 bits and more (a 256-byte signature grows past 256 bytes once wrapped in secure
/// messaging). ECDSA signatures, even on P-521, fit a short response.
pub fn command(challenge: &[u8; CHALLENGE_LEN], key: &PublicKey) -> Command {
    let le = if max_signature_len(key) > SecureMessaging::MAX_SHORT_READ {
        MAX_EXTENDED_LE
    } else {
        MAX_SHORT_LE
    };
    Command::new(0x00, INS_INTERNAL_AUTHENTICATE, 0x00, 0x00)
        .with_data(challenge.to_vec())
        .with_le(le)
}

/// The longest signature `key` can produce, in bytes: the modulus length for RSA, a DER
/// `ECDSA-Sig-Value` for EC (the larger of the two encodings). 256 for unknown keys.
pub fn max_signature_len(key: &PublicKey) -> usize {
    match key {
        PublicKey::Rsa(rsa) => rsa.modulus.len(),
        PublicKey::Ec(ec) => {
            let f = match &ec.parameters {
                EcParameters::Explicit(e) => e.prime.len(),
                EcParameters::Named(oid) => NamedCurve::from_oid(oid)
                    .map(|c| c.curve().field_size())
                    .unwrap_or(66),
                _ => 66,
            };
            // SEQUENCE (up to 3 header bytes) of two INTEGERs (2 header bytes, a sign byte).
            2 * (f + 3) + 3
        }
        _ => MAX_SHORT_LE,
    }
}

/// The signature in the chip's (unwrapped) answer.
pub fn signature(resp: &Response) -> Result<&[u8], AaError> {
    if !resp.sw.is_success() {
        return Err(AaError::Card(resp.sw));
    }
    if resp.data.is_empty() {
        return Err(AaError::EmptyResponse);
    }
    Ok(&resp.data)
}
