//! SubjectPublicKeyInfo and the public keys it carries (RFC 5280 §4.1.2.7): RSA (RFC 8017),
//! EC with named or explicit domain parameters (RFC 3279 §2.3.5, BSI TR-03111 §4.1) and DH
//! (RFC 3279 §2.3.3). The one parser for certificates, DG14 and DG15 keys.
//!
//! Hand-written over the bounded [`crate::tlv`] reader rather than `spki`: `spki`'s typed key
//! decoding refuses explicit EC parameters (434 of the 441 EC keys of the real corpus, see
//! [`crate::manual`]), and the errors here carry the byte offset inside the file.

use const_oid::ObjectIdentifier;
use thiserror::Error;

use super::algorithm::AlgorithmIdentifier;
use super::oid;
#[cfg(feature = "serde")]
use super::serde_util;
use crate::tlv::{self, tags, Reader, Tlv, TlvError};

/// Malformed or unsupported security data (SecurityInfos, DG14, DG15, public keys).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum SecurityInfoError {
    /// The TLV structure is broken.
    #[error(transparent)]
    Tlv(#[from] TlvError),
    /// An OBJECT IDENTIFIER that is not valid BER (or longer than 39 bytes).
    #[error("invalid OBJECT IDENTIFIER at offset {offset}")]
    InvalidOid {
        /// Offset of the OID's value.
        offset: usize,
    },
    /// An INTEGER that is empty, negative, or too large for the field it fills.
    #[error("invalid INTEGER at offset {offset}")]
    InvalidInteger {
        /// Offset of the INTEGER's value.
        offset: usize,
    },
    /// A BIT STRING that is empty or has unused bits where whole bytes are required.
    #[error("invalid BIT STRING at offset {offset}")]
    InvalidBitString {
        /// Offset of the BIT STRING's value.
        offset: usize,
    },
    /// A value of the wrong size or form (a FileID that is not 2 bytes, an EC point that is
    /// not a point encoding, an RSA modulus of zero).
    #[error("invalid value at offset {offset}: {what}")]
    InvalidValue {
        /// Offset of the value.
        offset: usize,
        /// What was expected.
        what: &'static str,
    },
    /// A SecurityInfo version its protocol does not define (a ChipAuthenticationInfo of
    /// version 10).
    #[error("version {version} at offset {offset} is not defined for this SecurityInfo")]
    UnsupportedVersion {
        /// Offset of the version's value.
        offset: usize,
        /// The version.
        version: u64,
    },
    /// An OBJECT IDENTIFIER under the id-PK arc (0.4.0.127.0.7.2.2.1) other than id-PK-DH and
    /// id-PK-ECDH: a public key info of no defined protocol (BSI TR-03110-3 §A.1.1.2 defines
    /// exactly these two).
    #[error("undefined public key protocol {protocol} at offset {offset}")]
    UndefinedPublicKeyProtocol {
        /// Offset of the OID's value.
        offset: usize,
        /// The OID.
        protocol: ObjectIdentifier,
    },
    /// Well-formed, but something we do not handle (an EC field of characteristic two).
    #[error("unsupported at offset {offset}: {what}")]
    Unsupported {
        /// Offset of the element.
        offset: usize,
        /// What is not supported.
        what: &'static str,
    },
}

/// A public key as X.509 carries it, kept raw and interpreted.
///
/// ```text
/// SubjectPublicKeyInfo ::= SEQUENCE {          -- RFC 5280 §4.1.2.7
///     algorithm        AlgorithmIdentifier,
///     subjectPublicKey BIT STRING
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SubjectPublicKeyInfo {
    /// The whole SEQUENCE as on the card (what a verifier or a crypto library takes).
    #[cfg_attr(feature = "serde", serde(serialize_with = "serde_util::hex"))]
    pub raw: Vec<u8>,
    /// The algorithm and its raw parameters.
    pub algorithm: AlgorithmIdentifier,
    /// The BIT STRING's bytes, without the unused-bits byte.
    #[cfg_attr(feature = "serde", serde(serialize_with = "serde_util::hex"))]
    pub subject_public_key: Vec<u8>,
    /// The key, interpreted by algorithm.
    pub key: PublicKey,
}

impl SubjectPublicKeyInfo {
    /// Parses a `SubjectPublicKeyInfo` spanning all of `bytes`.
    pub fn from_der(bytes: &[u8]) -> Result<Self, SecurityInfoError> {
        let mut r = Reader::new(bytes);
        let seq = r.read_tag(tags::SEQUENCE)?;
        r.finish()?;
        Self::parse(&seq)
    }

    /// Parses an already-located `SubjectPublicKeyInfo` SEQUENCE.
    pub fn parse(seq: &Tlv<'_>) -> Result<Self, SecurityInfoError> {
        let mut r = seq.children();
        let alg_tlv = r.read_tag(tags::SEQUENCE)?;
        let algorithm = AlgorithmIdentifier::parse(&alg_tlv).map_err(|e| match e.kind {
            tlv::TlvErrorKind::Missing(0x06) => SecurityInfoError::InvalidOid { offset: e.offset },
            _ => SecurityInfoError::Tlv(e),
        })?;
        let bits = r.read_tag(tags::BIT_STRING)?;
        r.finish()?;
        let subject_public_key = match bits.value {
            [0, rest @ ..] => rest,
            _ => {
                return Err(SecurityInfoError::InvalidBitString {
                    offset: bits.value_offset,
                })
            }
        };
        let key_offset = bits.value_offset.saturating_add(1);
        let key = PublicKey::parse(&alg_tlv, &algorithm, subject_public_key, key_offset)?;
        Ok(Self {
            raw: seq.raw.to_vec(),
            algorithm,
            subject_public_key: subject_public_key.to_vec(),
            key,
        })
    }
}

/// A public key, interpreted by its algorithm OID.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum PublicKey {
    /// `rsaEncryption`.
    Rsa(RsaPublicKey),
    /// `id-ecPublicKey`.
    Ec(EcPublicKey),
    /// `dhpublicnumber`: a DH key (chip authentication with DH).
    Dh(DhPublicKey),
    /// Another algorithm: see [`SubjectPublicKeyInfo::raw`].
    Other,
}

impl PublicKey {
    fn parse(
        alg_tlv: &Tlv<'_>,
        algorithm: &AlgorithmIdentifier,
        key: &[u8],
        key_offset: usize,
    ) -> Result<Self, SecurityInfoError> {
        let mut alg = alg_tlv.children();
        alg.read_tag(tags::OID)?;
        let params = if alg.is_empty() {
            None
        } else {
            Some(alg.read()?)
        };
        if algorithm.oid == oid::RSA_ENCRYPTION || algorithm.oid == oid::RSASSA_PSS {
            let mut r = Reader::new(key);
            let seq = r
                .read_tag(tags::SEQUENCE)
                .map_err(|e| shift(e, key_offset))?;
            r.finish().map_err(|e| shift(e, key_offset))?;
            RsaPublicKey::parse(&seq)
                .map(Self::Rsa)
                .map_err(|e| shift_err(e, key_offset))
        } else if algorithm.oid == oid::EC_PUBLIC_KEY {
            let parameters = match params {
                Some(p) => EcParameters::parse(&p)?,
                None => EcParameters::ImplicitlyCa,
            };
            if !matches!(key.first(), Some(0x02..=0x04)) {
                return Err(SecurityInfoError::InvalidValue {
                    offset: key_offset,
                    what: "an EC point encoding (02, 03 or 04 ...)",
                });
            }
            Ok(Self::Ec(EcPublicKey {
                parameters,
                point: key.to_vec(),
            }))
        } else if algorithm.oid == oid::DH_PUBLIC_NUMBER {
            let mut r = Reader::new(key);
            let y = r
                .read_tag(tags::INTEGER)
                .map_err(|e| shift(e, key_offset))?;
            r.finish().map_err(|e| shift(e, key_offset))?;
            Ok(Self::Dh(DhPublicKey {
                y: magnitude(&y).map_err(|e| shift_err(e, key_offset))?,
            }))
        } else {
            Ok(Self::Other)
        }
    }
}

/// Offsets inside a BIT STRING's content start at 0; make them absolute.
fn shift(mut e: TlvError, by: usize) -> TlvError {
    e.offset = e.offset.saturating_add(by);
    e
}

fn shift_err(e: SecurityInfoError, by: usize) -> SecurityInfoError {
    match e {
        SecurityInfoError::Tlv(t) => SecurityInfoError::Tlv(shift(t, by)),
        SecurityInfoError::InvalidOid { offset } => SecurityInfoError::InvalidOid {
            offset: offset.saturating_add(by),
        },
        SecurityInfoError::InvalidInteger { offset } => SecurityInfoError::InvalidInteger {
            offset: offset.saturating_add(by),
        },
        SecurityInfoError::InvalidBitString { offset } => SecurityInfoError::InvalidBitString {
            offset: offset.saturating_add(by),
        },
        SecurityInfoError::InvalidValue { offset, what } => SecurityInfoError::InvalidValue {
            offset: offset.saturating_add(by),
            what,
        },
        SecurityInfoError::Unsupported { offset, what } => SecurityInfoError::Unsupported {
            offset: offset.saturating_add(by),
            what,
        },
        SecurityInfoError::UnsupportedVersion { offset, version } => {
            SecurityInfoError::UnsupportedVersion {
                offset: offset.saturating_add(by),
                version,
            }
        }
        SecurityInfoError::UndefinedPublicKeyProtocol { offset, protocol } => {
            SecurityInfoError::UndefinedPublicKeyProtocol {
                offset: offset.saturating_add(by),
                protocol,
            }
        }
    }
}

/// ```text
/// RSAPublicKey ::= SEQUENCE {                  -- RFC 8017 Appendix A.1.1
///     modulus        INTEGER, -- n
///     publicExponent INTEGER  -- e
/// }
/// ```
///
/// Both numbers are kept as unsigned big-endian magnitudes without leading zero bytes.
/// Quirk (seen in DG15 of several issuers, and a source of bugs in other readers): INTEGERs
/// with redundant leading `00` bytes, or a modulus without the `00` that makes it positive,
/// are accepted and read as unsigned.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RsaPublicKey {
    /// n, big-endian, no leading zeros.
    #[cfg_attr(feature = "serde", serde(serialize_with = "serde_util::hex"))]
    pub modulus: Vec<u8>,
    /// e, big-endian, no leading zeros.
    #[cfg_attr(feature = "serde", serde(serialize_with = "serde_util::hex"))]
    pub public_exponent: Vec<u8>,
}

impl RsaPublicKey {
    fn parse(seq: &Tlv<'_>) -> Result<Self, SecurityInfoError> {
        let mut r = seq.children();
        let n = r.read_tag(tags::INTEGER)?;
        let e = r.read_tag(tags::INTEGER)?;
        r.finish()?;
        let modulus = magnitude(&n)?;
        let public_exponent = magnitude(&e)?;
        if modulus.is_empty() {
            return Err(SecurityInfoError::InvalidValue {
                offset: n.value_offset,
                what: "a non-zero RSA modulus",
            });
        }
        if public_exponent.is_empty() {
            return Err(SecurityInfoError::InvalidValue {
                offset: e.value_offset,
                what: "a non-zero RSA exponent",
            });
        }
        Ok(Self {
            modulus,
            public_exponent,
        })
    }

    /// The modulus length in bits (1024 for a 1024-bit key).
    pub fn modulus_bits(&self) -> usize {
        bit_len(&self.modulus)
    }

    /// The exponent as a number, when it fits in 64 bits (it is 65537 almost always).
    pub fn exponent_u64(&self) -> Option<u64> {
        if self.public_exponent.len() > 8 {
            return None;
        }
        Some(
            self.public_exponent
                .iter()
                .fold(0u64, |acc, b| (acc << 8) | u64::from(*b)),
        )
    }
}

/// An EC public key: its domain parameters and its point.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct EcPublicKey {
    /// The curve, named or explicit.
    pub parameters: EcParameters,
    /// The point as encoded (`04 || x || y` uncompressed, or `02`/`03 || x`).
    #[cfg_attr(feature = "serde", serde(serialize_with = "serde_util::hex"))]
    pub point: Vec<u8>,
}

/// ```text
/// ECParameters ::= CHOICE {                    -- RFC 3279 §2.3.5, ANSI X9.62
///     ecParameters  ECParameters,              -- explicit (SpecifiedECDomain)
///     namedCurve    OBJECT IDENTIFIER,
///     implicitlyCA  NULL
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum EcParameters {
    /// A named curve.
    Named(
        #[cfg_attr(feature = "serde", serde(serialize_with = "serde_util::oid"))] ObjectIdentifier,
    ),
    /// Explicit parameters (what eMRTD chips and CSCAs usually carry).
    Explicit(ExplicitEcParameters),
    /// `NULL` or absent: inherited from elsewhere.
    ImplicitlyCa,
}

impl EcParameters {
    fn parse(t: &Tlv<'_>) -> Result<Self, SecurityInfoError> {
        match t.tag {
            tags::OID => Ok(Self::Named(oid_value(t)?)),
            tags::NULL => Ok(Self::ImplicitlyCa),
            tags::SEQUENCE => ExplicitEcParameters::parse(t).map(Self::Explicit),
            other => Err(TlvError {
                kind: tlv::TlvErrorKind::UnexpectedTag {
                    expected: tags::SEQUENCE.0,
                    found: other.0,
                },
                offset: t.offset,
            }
            .into()),
        }
    }
}

/// Explicit prime-field curve parameters; big numbers as unsigned magnitudes.
///
/// ```text
/// ECParameters ::= SEQUENCE {                  -- ANSI X9.62, RFC 3279 §2.3.5
///     version  INTEGER { ecpVer1(1) },
///     fieldID  FieldID,          -- SEQUENCE { prime-field, INTEGER p }
///     curve    Curve,            -- SEQUENCE { a OCTET STRING, b OCTET STRING,
///                                --            seed BIT STRING OPTIONAL }
///     base     ECPoint,          -- OCTET STRING
///     order    INTEGER,
///     cofactor INTEGER OPTIONAL
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ExplicitEcParameters {
    /// The DER of the whole SEQUENCE, as on the card.
    #[cfg_attr(feature = "serde", serde(serialize_with = "serde_util::hex"))]
    pub raw: Vec<u8>,
    /// p.
    #[cfg_attr(feature = "serde", serde(serialize_with = "serde_util::hex"))]
    pub prime: Vec<u8>,
    /// a, as encoded (field-element length).
    #[cfg_attr(feature = "serde", serde(serialize_with = "serde_util::hex"))]
    pub a: Vec<u8>,
    /// b, as encoded.
    #[cfg_attr(feature = "serde", serde(serialize_with = "serde_util::hex"))]
    pub b: Vec<u8>,
    /// The generator G, point-encoded.
    #[cfg_attr(feature = "serde", serde(serialize_with = "serde_util::hex"))]
    pub base: Vec<u8>,
    /// n, the order of G.
    #[cfg_attr(feature = "serde", serde(serialize_with = "serde_util::hex"))]
    pub order: Vec<u8>,
    /// h, when present.
    #[cfg_attr(feature = "serde", serde(serialize_with = "serde_util::opt_hex"))]
    pub cofactor: Option<Vec<u8>>,
}

impl ExplicitEcParameters {
    fn parse(seq: &Tlv<'_>) -> Result<Self, SecurityInfoError> {
        let mut r = seq.children();
        let version = r.read_tag(tags::INTEGER)?;
        // ecdpVer1..3 (SEC 1 §C.2); 2 and 3 only add constraints on the seed.
        if !(1..=3).contains(&uint(&version)?) {
            return Err(SecurityInfoError::Unsupported {
                offset: version.value_offset,
                what: "ECParameters version other than 1, 2 or 3",
            });
        }
        let field = r.read_tag(tags::SEQUENCE)?;
        let mut f = field.children();
        let field_type = f.read_tag(tags::OID)?;
        if oid_value(&field_type)? != oid::PRIME_FIELD {
            return Err(SecurityInfoError::Unsupported {
                offset: field_type.offset,
                what: "an EC field other than prime-field",
            });
        }
        let prime = magnitude(&f.read_tag(tags::INTEGER)?)?;
        f.finish()?;
        let curve = r.read_tag(tags::SEQUENCE)?;
        let mut c = curve.children();
        let a = c.read_tag(tags::OCTET_STRING)?.value.to_vec();
        let b = c.read_tag(tags::OCTET_STRING)?.value.to_vec();
        c.read_optional(tags::BIT_STRING)?;
        c.finish()?;
        let base = r.read_tag(tags::OCTET_STRING)?.value.to_vec();
        let order = magnitude(&r.read_tag(tags::INTEGER)?)?;
        let cofactor = r
            .read_optional(tags::INTEGER)?
            .map(|t| magnitude(&t))
            .transpose()?;
        // SEC 1 §C.2: an optional hash AlgorithmIdentifier (ecdpVer2/3) after the cofactor.
        r.read_optional(tags::SEQUENCE)?;
        r.finish()?;
        Ok(Self {
            raw: seq.raw.to_vec(),
            prime,
            a,
            b,
            base,
            order,
            cofactor,
        })
    }

    /// The field size in bits (224 for brainpoolP224r1).
    pub fn field_bits(&self) -> usize {
        bit_len(&self.prime)
    }
}

/// A Diffie-Hellman public value.
///
/// ```text
/// DHPublicKey ::= INTEGER -- public key, y = g^x mod p   (RFC 3279 §2.3.3)
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct DhPublicKey {
    /// y, big-endian, no leading zeros.
    #[cfg_attr(feature = "serde", serde(serialize_with = "serde_util::hex"))]
    pub y: Vec<u8>,
}

/// Reads a BER OBJECT IDENTIFIER.
pub(crate) fn oid_value(t: &Tlv<'_>) -> Result<ObjectIdentifier, SecurityInfoError> {
    ObjectIdentifier::from_bytes(t.value).map_err(|_| SecurityInfoError::InvalidOid {
        offset: t.value_offset,
    })
}

/// Reads a non-negative INTEGER that fits in 64 bits.
pub(crate) fn uint(t: &Tlv<'_>) -> Result<u64, SecurityInfoError> {
    let bad = SecurityInfoError::InvalidInteger {
        offset: t.value_offset,
    };
    match t.value.first() {
        None => return Err(bad),
        Some(b) if *b >= 0x80 => return Err(bad),
        _ => {}
    }
    t.as_uint().map_err(|_| bad)
}

/// Reads an INTEGER as an unsigned big-endian magnitude without leading zero bytes
/// (tolerating redundant zeros and a missing sign byte, see [`RsaPublicKey`]).
pub(crate) fn magnitude(t: &Tlv<'_>) -> Result<Vec<u8>, SecurityInfoError> {
    if t.value.is_empty() {
        return Err(SecurityInfoError::InvalidInteger {
            offset: t.value_offset,
        });
    }
    let skip = t.value.iter().take_while(|b| **b == 0).count();
    Ok(t.value.get(skip..).unwrap_or(&[]).to_vec())
}

/// The bit length of a big-endian magnitude.
fn bit_len(bytes: &[u8]) -> usize {
    let skip = bytes.iter().take_while(|b| **b == 0).count();
    match bytes.get(skip..) {
        Some([first, rest @ ..]) => rest.len() * 8 + (8 - first.leading_zeros() as usize),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tlv;

    #[test]
    fn uint_rejects_negative_and_empty() {
        let t = tlv::parse_single(&[0x02, 0x01, 0x80]).unwrap();
        assert_eq!(
            uint(&t),
            Err(SecurityInfoError::InvalidInteger { offset: 2 })
        );
        let t = tlv::parse_single(&[0x02, 0x00]).unwrap();
        assert!(uint(&t).is_err());
        let t = tlv::parse_single(&[0x02, 0x02, 0x00, 0x80]).unwrap();
        assert_eq!(uint(&t), Ok(128));
    }

    #[test]
    fn bit_lengths() {
        assert_eq!(bit_len(&[0x00, 0x80, 0x00]), 16);
        assert_eq!(bit_len(&[0x01]), 1);
        assert_eq!(bit_len(&[]), 0);
    }
}
