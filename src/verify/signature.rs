//! Signature verification over exact bytes: RSA PKCS#1 v1.5 and RSASSA-PSS (RFC 8017, with
//! every PSS parameter taken from the AlgorithmIdentifier) and ECDSA (X9.62 DER or BSI
//! TR-03111 plain `r || s`) on named or explicit curves through [`crate::crypto::ec`].

use super::asn1::{oids, tags, unsigned, AlgorithmIdentifier};
use super::cert::SubjectPublicKeyInfo;
use crate::crypto::rsa;
use crate::lds::sod::HashAlgorithm;
use crate::tlv::{parse_single, Reader};
use thiserror::Error;

/// Largest RSA modulus accepted, in bits (ICAO CSCAs go up to 4096; some roots use more).
pub const MAX_RSA_BITS: usize = rsa::MAX_MODULUS_BITS;

/// Why a signature did not verify.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum SignatureError {
    /// The algorithm OID or its parameters are not supported.
    #[error("unsupported signature algorithm {0}")]
    UnsupportedAlgorithm(String),
    /// The public key cannot be decoded or does not fit the algorithm.
    #[error("bad public key: {0}")]
    BadKey(String),
    /// The signature value is malformed.
    #[error("malformed signature value")]
    Malformed,
    /// The signature does not match.
    #[error("signature does not verify")]
    Invalid,
}

/// A signature scheme with its hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub enum SignatureAlgorithm {
    /// RSASSA-PKCS1-v1_5 (RFC 8017 §8.2).
    RsaPkcs1v15(HashAlgorithm),
    /// RSASSA-PSS (RFC 8017 §8.1) with its parameters (trailer field 1 = `BC`).
    RsaPss {
        /// Message hash.
        hash: HashAlgorithm,
        /// MGF1's hash.
        mgf1_hash: HashAlgorithm,
        /// Salt length in bytes.
        salt_len: usize,
    },
    /// ECDSA with a DER `Ecdsa-Sig-Value` (X9.62, RFC 5758).
    Ecdsa(HashAlgorithm),
    /// ECDSA with the plain `r || s` format (BSI TR-03111 §5.2.1).
    EcdsaPlain(HashAlgorithm),
}

impl SignatureAlgorithm {
    /// Reads a signature AlgorithmIdentifier. `digest` is the SignerInfo's digestAlgorithm,
    /// used when a signer names only the key type (`rsaEncryption`, `id-ecPublicKey`), as
    /// NZ and US SODs do.
    pub fn from_algorithm_identifier(
        alg: &AlgorithmIdentifier,
        digest: Option<HashAlgorithm>,
    ) -> Result<Self, SignatureError> {
        use HashAlgorithm::*;
        let unsupported = || SignatureError::UnsupportedAlgorithm(alg.oid.to_string());
        Ok(match alg.oid {
            oids::SHA1_WITH_RSA => Self::RsaPkcs1v15(Sha1),
            oids::SHA224_WITH_RSA => Self::RsaPkcs1v15(Sha224),
            oids::SHA256_WITH_RSA => Self::RsaPkcs1v15(Sha256),
            oids::SHA384_WITH_RSA => Self::RsaPkcs1v15(Sha384),
            oids::SHA512_WITH_RSA => Self::RsaPkcs1v15(Sha512),
            oids::RSA_ENCRYPTION => Self::RsaPkcs1v15(digest.ok_or_else(unsupported)?),
            oids::RSASSA_PSS => Self::pss(alg.parameters.as_deref())?,
            oids::ECDSA_WITH_SHA1 => Self::Ecdsa(Sha1),
            oids::ECDSA_WITH_SHA224 => Self::Ecdsa(Sha224),
            oids::ECDSA_WITH_SHA256 => Self::Ecdsa(Sha256),
            oids::ECDSA_WITH_SHA384 => Self::Ecdsa(Sha384),
            oids::ECDSA_WITH_SHA512 => Self::Ecdsa(Sha512),
            oids::EC_PUBLIC_KEY => Self::Ecdsa(digest.ok_or_else(unsupported)?),
            oids::ECDSA_PLAIN_SHA1 => Self::EcdsaPlain(Sha1),
            oids::ECDSA_PLAIN_SHA224 => Self::EcdsaPlain(Sha224),
            oids::ECDSA_PLAIN_SHA256 => Self::EcdsaPlain(Sha256),
            oids::ECDSA_PLAIN_SHA384 => Self::EcdsaPlain(Sha384),
            oids::ECDSA_PLAIN_SHA512 => Self::EcdsaPlain(Sha512),
            _ => return Err(unsupported()),
        })
    }

    /// ```text
    /// RSASSA-PSS-params ::= SEQUENCE {                  -- RFC 8017 §A.2.3
    ///     hashAlgorithm      [0] HashAlgorithm      DEFAULT sha1,
    ///     maskGenAlgorithm   [1] MaskGenAlgorithm   DEFAULT mgf1SHA1,
    ///     saltLength         [2] INTEGER            DEFAULT 20,
    ///     trailerField       [3] TrailerField       DEFAULT trailerFieldBC }
    /// ```
    fn pss(params: Option<&[u8]>) -> Result<Self, SignatureError> {
        let bad = || SignatureError::UnsupportedAlgorithm("RSASSA-PSS parameters".into());
        let mut hash = HashAlgorithm::Sha1;
        let mut mgf1_hash = HashAlgorithm::Sha1;
        let mut salt_len = 20usize;
        if let Some(p) = params.filter(|p| *p != [0x05, 0x00]) {
            let seq = parse_single(p).map_err(|_| bad())?;
            let mut c = seq.children();
            if let Some(h) = c.read_optional(tags::CTX0).map_err(|_| bad())? {
                let a = AlgorithmIdentifier::read(&mut h.children()).map_err(|_| bad())?;
                hash = HashAlgorithm::from_oid(&a.oid).ok_or_else(bad)?;
            }
            if let Some(m) = c.read_optional(tags::CTX1).map_err(|_| bad())? {
                let a = AlgorithmIdentifier::read(&mut m.children()).map_err(|_| bad())?;
                if a.oid != oids::MGF1 {
                    return Err(bad());
                }
                let inner = a.parameters.ok_or_else(bad)?;
                let h = AlgorithmIdentifier::read(&mut Reader::new(&inner)).map_err(|_| bad())?;
                mgf1_hash = HashAlgorithm::from_oid(&h.oid).ok_or_else(bad)?;
            }
            if let Some(s) = c.read_optional(tags::CTX2).map_err(|_| bad())? {
                let int = s.children().read_tag(tags::INTEGER).map_err(|_| bad())?;
                salt_len = usize::try_from(int.as_uint().map_err(|_| bad())?).map_err(|_| bad())?;
                // A salt longer than any supported modulus is nonsense (and would overflow
                // the encoding-length arithmetic).
                if salt_len > 1024 {
                    return Err(bad());
                }
            }
            if let Some(t) = c.read_optional(tags::CTX3).map_err(|_| bad())? {
                let int = t.children().read_tag(tags::INTEGER).map_err(|_| bad())?;
                if int.as_uint().map_err(|_| bad())? != 1 {
                    return Err(bad());
                }
            }
            c.finish().map_err(|_| bad())?;
        }
        Ok(Self::RsaPss {
            hash,
            mgf1_hash,
            salt_len,
        })
    }

    /// The message hash.
    pub fn hash(self) -> HashAlgorithm {
        match self {
            Self::RsaPkcs1v15(h) | Self::Ecdsa(h) | Self::EcdsaPlain(h) => h,
            Self::RsaPss { hash, .. } => hash,
        }
    }
}

impl core::fmt::Display for SignatureAlgorithm {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::RsaPkcs1v15(h) => write!(f, "RSA PKCS#1 v1.5 with {h}"),
            Self::RsaPss {
                hash,
                mgf1_hash,
                salt_len,
            } => write!(f, "RSA-PSS with {hash} (MGF1 {mgf1_hash}, salt {salt_len})"),
            Self::Ecdsa(h) => write!(f, "ECDSA with {h}"),
            Self::EcdsaPlain(h) => write!(f, "ECDSA (plain) with {h}"),
        }
    }
}

/// Verifies `signature` over `message` (hashed here) with the key of `key`.
pub fn verify(
    key: &SubjectPublicKeyInfo,
    algorithm: SignatureAlgorithm,
    message: &[u8],
    signature: &[u8],
) -> Result<(), SignatureError> {
    let digest = algorithm.hash().digest(message);
    match algorithm {
        SignatureAlgorithm::RsaPkcs1v15(hash) => rsa_key(key)?
            .verify_pkcs1v15(rsa_hash(hash), &digest, signature)
            .map_err(rsa_error),
        SignatureAlgorithm::RsaPss {
            mgf1_hash,
            salt_len,
            hash,
        } => rsa_key(key)?
            .verify_pss(
                rsa_hash(hash),
                rsa_hash(mgf1_hash),
                salt_len,
                &digest,
                signature,
            )
            .map_err(rsa_error),
        SignatureAlgorithm::Ecdsa(_) => super::ecdsa::verify(key, &digest, signature, false),
        SignatureAlgorithm::EcdsaPlain(_) => super::ecdsa::verify(key, &digest, signature, true),
    }
}

/// ```text
/// RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }   -- RFC 8017 §A.1.1
/// ```
fn rsa_key(key: &SubjectPublicKeyInfo) -> Result<rsa::RsaPublicKey, SignatureError> {
    if key.algorithm.oid != oids::RSA_ENCRYPTION && key.algorithm.oid != oids::RSASSA_PSS {
        return Err(SignatureError::BadKey(format!(
            "{} is not an RSA key",
            key.algorithm.oid
        )));
    }
    let bad = |what: &str| SignatureError::BadKey(what.to_string());
    let seq = parse_single(&key.key).map_err(|_| bad("malformed RSAPublicKey"))?;
    let mut c = seq.children();
    let n = c
        .read_tag(tags::INTEGER)
        .map_err(|_| bad("malformed modulus"))?;
    let e = c
        .read_tag(tags::INTEGER)
        .map_err(|_| bad("malformed exponent"))?;
    rsa::RsaPublicKey::new(unsigned(n.value), unsigned(e.value)).map_err(|e| bad(&e.to_string()))
}

fn rsa_hash(h: HashAlgorithm) -> rsa::Hash {
    match h {
        HashAlgorithm::Sha1 => rsa::Hash::Sha1,
        HashAlgorithm::Sha224 => rsa::Hash::Sha224,
        HashAlgorithm::Sha256 => rsa::Hash::Sha256,
        HashAlgorithm::Sha384 => rsa::Hash::Sha384,
        HashAlgorithm::Sha512 => rsa::Hash::Sha512,
    }
}

fn rsa_error(e: rsa::RsaError) -> SignatureError {
    match e {
        rsa::RsaError::OutOfRange => SignatureError::Malformed,
        _ => SignatureError::Invalid,
    }
}

/// The RSA modulus size in bits of a key, if it is an RSA key.
pub fn rsa_modulus_bits(key: &SubjectPublicKeyInfo) -> Option<usize> {
    rsa_key(key).ok().map(|k| k.modulus_bits())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pss_default_parameters() {
        let alg = AlgorithmIdentifier {
            oid: oids::RSASSA_PSS,
            parameters: Some(hex::decode("3000").unwrap()),
        };
        assert_eq!(
            SignatureAlgorithm::from_algorithm_identifier(&alg, None).unwrap(),
            SignatureAlgorithm::RsaPss {
                hash: HashAlgorithm::Sha1,
                mgf1_hash: HashAlgorithm::Sha1,
                salt_len: 20
            }
        );
    }
}
