//! Signature verification over exact bytes: RSA PKCS#1 v1.5 and RSASSA-PSS (RFC 8017, with
//! every PSS parameter taken from the AlgorithmIdentifier) and ECDSA (X9.62 DER or BSI
//! TR-03111 plain `r || s`) on named or explicit curves through [`crate::crypto::ec`].

use super::algorithm::AlgorithmIdentifier;
use super::oid as oids;
use super::spki::{PublicKey, RsaPublicKey, SubjectPublicKeyInfo};
use crate::crypto::ec::EcError;
use crate::crypto::hash::HashAlgorithm;
use crate::crypto::rsa;
use crate::tlv::{parse_single, tags, Reader};
use const_oid::ObjectIdentifier;
use thiserror::Error;

/// Largest RSA modulus accepted, in bits (ICAO CSCAs go up to 4096; some roots use more).
pub const MAX_RSA_BITS: usize = 16_384;

/// Why a signature did not verify.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum SignatureError {
    /// The algorithm OID is not supported.
    #[error("unsupported signature algorithm {0}")]
    UnsupportedAlgorithm(ObjectIdentifier),
    /// RSASSA-PSS parameters that are malformed or not supported (RFC 8017 §A.2.3).
    #[error("unsupported RSASSA-PSS parameters")]
    UnsupportedPssParameters,
    /// The public key cannot be used for this signature.
    #[error("bad public key: {0}")]
    BadKey(#[from] KeyError),
    /// A certificate whose outer `signatureAlgorithm` differs from the `signature` field of
    /// its TBSCertificate (RFC 5280 §4.1.1.2 requires them equal).
    #[error("signatureAlgorithm differs from the TBSCertificate's signature field")]
    AlgorithmMismatch,
    /// The signature value is malformed.
    #[error("malformed signature value")]
    Malformed,
    /// The signature does not match.
    #[error("signature does not verify")]
    Invalid,
}

/// Why a public key cannot verify a signature.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The signature is RSA but the key is of another algorithm.
    #[error("{0} is not an RSA key")]
    NotRsa(ObjectIdentifier),
    /// The signature is ECDSA but the key is of another algorithm.
    #[error("{0} is not an EC key")]
    NotEc(ObjectIdentifier),
    /// An EC key without domain parameters (`implicitlyCA`).
    #[error("EC key without domain parameters (implicitlyCA)")]
    ImplicitlyCa,
    /// Explicit EC parameters that are valid but no named curve (ICAO 9303 issuers use the
    /// named curves; an unknown curve could be weak, so it is refused).
    #[error("explicit EC parameters of no named curve")]
    UnnamedCurve,
    /// The EC parameters or point are invalid.
    #[error("EC key: {0}")]
    Ec(#[from] EcError),
    /// An RSA modulus outside 512..=[`MAX_RSA_BITS`] bits, or an exponent larger than it.
    #[error("RSA key of {0} bits out of range")]
    RsaSize(usize),
    /// The key is unusable for RSA (even modulus; exponent even, below 3 or above 40 bits).
    #[error("RSA key refused")]
    RsaRefused,
    /// The signature is DSA but the key is of another algorithm.
    #[error("{0} is not a DSA key")]
    NotDsa(ObjectIdentifier),
    /// A DSA key the `dsa` crate refuses: domain parameters of no FIPS 186-4 size, missing
    /// (inherited) parameters, or a y not of order q.
    #[error("DSA key refused")]
    DsaRefused,
}

/// A signature scheme with its hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
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
    /// DSA (FIPS 186-4 §4) with a DER `Dss-Sig-Value` (RFC 3279 §2.2.2), as ICAO 9303-12
    /// still lists it (BSI TR-03105-5.1 LDS_H_08, LDS_H_97, LDS_H_98).
    Dsa(HashAlgorithm),
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
        let unsupported = || SignatureError::UnsupportedAlgorithm(alg.oid);
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
            oids::DSA_WITH_SHA1 => Self::Dsa(Sha1),
            oids::DSA_WITH_SHA224 => Self::Dsa(Sha224),
            oids::DSA_WITH_SHA256 => Self::Dsa(Sha256),
            oids::DSA_WITH_SHA384 => Self::Dsa(Sha384),
            oids::DSA_WITH_SHA512 => Self::Dsa(Sha512),
            oids::DSA => Self::Dsa(digest.ok_or_else(unsupported)?),
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
        let bad = || SignatureError::UnsupportedPssParameters;
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
            Self::RsaPkcs1v15(h) | Self::Ecdsa(h) | Self::EcdsaPlain(h) | Self::Dsa(h) => h,
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
            Self::Dsa(h) => write!(f, "DSA with {h}"),
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
        SignatureAlgorithm::RsaPkcs1v15(_) | SignatureAlgorithm::RsaPss { .. } => {
            let PublicKey::Rsa(rsa) = &key.key else {
                return Err(KeyError::NotRsa(key.algorithm.oid).into());
            };
            verify_rsa(rsa, algorithm, &digest, signature)
        }
        SignatureAlgorithm::Ecdsa(_) => super::ecdsa::verify(key, &digest, signature, false),
        SignatureAlgorithm::EcdsaPlain(_) => super::ecdsa::verify(key, &digest, signature, true),
        SignatureAlgorithm::Dsa(_) => verify_dsa(key, &digest, signature),
    }
}

/// DSA over a computed `digest`, by the RustCrypto `dsa` crate: the key's domain parameters
/// must be one of FIPS 186-4's sizes (1024/160, 2048/224, 2048/256, 3072/256) and y of order q
/// (the crate checks both); the signature is a DER `Dss-Sig-Value`.
fn verify_dsa(
    key: &SubjectPublicKeyInfo,
    digest: &[u8],
    signature: &[u8],
) -> Result<(), SignatureError> {
    use dsa::pkcs8::DecodePublicKey;
    use dsa::signature::hazmat::PrehashVerifier;
    if key.algorithm.oid != oids::DSA {
        return Err(KeyError::NotDsa(key.algorithm.oid).into());
    }
    let vk = dsa::VerifyingKey::from_public_key_der(&key.raw).map_err(|_| KeyError::DsaRefused)?;
    let sig = dsa::Signature::try_from(signature).map_err(|_| SignatureError::Malformed)?;
    vk.verify_prehash(digest, &sig)
        .map_err(|_| SignatureError::Invalid)
}

/// RSA signature verification over a computed `digest`: the one place RSA is verified
/// ([`crate::crypto::rsa`]: RSAVP1, then EMSA-PKCS1-v1_5 or EMSA-PSS as `algorithm` says).
pub(crate) fn verify_rsa(
    key: &RsaPublicKey,
    algorithm: SignatureAlgorithm,
    digest: &[u8],
    signature: &[u8],
) -> Result<(), SignatureError> {
    let pk = rsa_key(key)?;
    let result = match algorithm {
        SignatureAlgorithm::RsaPkcs1v15(hash) => pk.verify_pkcs1v15(hash, digest, signature),
        SignatureAlgorithm::RsaPss {
            hash,
            mgf1_hash,
            salt_len,
        } => pk.verify_pss(hash, mgf1_hash, salt_len, digest, signature),
        SignatureAlgorithm::Ecdsa(_)
        | SignatureAlgorithm::EcdsaPlain(_)
        | SignatureAlgorithm::Dsa(_) => return Err(SignatureError::Invalid),
    };
    result.map_err(|e| match e {
        rsa::RsaError::OutOfRange => SignatureError::Malformed,
        _ => SignatureError::Invalid,
    })
}

/// The key with its Montgomery parameters, for the sizes ICAO PKIs use (512..=16384 bits),
/// built once per process ([`rsa::RsaPublicKey::cached`]).
fn rsa_key(key: &RsaPublicKey) -> Result<std::sync::Arc<rsa::RsaPublicKey>, KeyError> {
    let bits = key.modulus_bits();
    if bits > MAX_RSA_BITS || key.public_exponent.len() > key.modulus.len() {
        return Err(KeyError::RsaSize(bits));
    }
    rsa::RsaPublicKey::cached(&key.modulus, &key.public_exponent).map_err(|_| KeyError::RsaRefused)
}

/// The RSA modulus size in bits of a key, if it is an RSA key.
pub fn rsa_modulus_bits(key: &SubjectPublicKeyInfo) -> Option<usize> {
    match &key.key {
        PublicKey::Rsa(rsa) => Some(rsa.modulus_bits()),
        _ => None,
    }
}

/// The EC curve's name of a key (`brainpoolP512r1`, explicit parameters matched to their
/// name), `unnamed explicit curve`, or `None` for a key that is not EC or is unusable.
pub(crate) fn curve_name(key: &SubjectPublicKeyInfo) -> Option<String> {
    super::ecdsa::curve_name(key)
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
