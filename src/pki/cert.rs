//! X.509 certificates (RFC 5280) as ICAO 9303-12 profiles them, decoded by `x509-cert` with
//! its `Raw` profile (nothing re-encoded, no serial-number limits), keeping the exact
//! `TBSCertificate` bytes for signature checks: a re-encoding is not byte-faithful on the real
//! corpus (see [`crate::manual`]).

use super::algorithm::AlgorithmIdentifier;
use super::asn1::unsigned;
use super::name::Name;
use super::signature::{self, SignatureAlgorithm, SignatureError};
use super::spki::{SecurityInfoError, SubjectPublicKeyInfo};
use super::Time;
use crate::tlv::{parse_single, tags, TlvError};
use const_oid::{AssociatedOid, ObjectIdentifier};
use core::ops::Range;
use der::Decode;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use thiserror::Error;
use x509_cert::certificate::{CertificateInner, Raw};
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage as X509KeyUsage,
    SubjectKeyIdentifier,
};

/// A certificate could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum CertError {
    /// Not one well-formed TLV element (the outer frame our bounded reader checks first).
    #[error("malformed certificate: {0}")]
    Malformed(#[from] TlvError),
    /// `x509-cert` cannot decode it.
    #[error("malformed certificate: {0}")]
    Der(#[from] der::Error),
    /// The SubjectPublicKeyInfo cannot be interpreted.
    #[error("malformed public key: {0}")]
    PublicKey(#[from] SecurityInfoError),
}

/// A parsed certificate that keeps its encoding.
///
/// ```text
/// Certificate ::= SEQUENCE {                       -- RFC 5280 §4.1
///     tbsCertificate       TBSCertificate,
///     signatureAlgorithm   AlgorithmIdentifier,
///     signatureValue       BIT STRING }
/// TBSCertificate ::= SEQUENCE {
///     version         [0] EXPLICIT Version DEFAULT v1,
///     serialNumber         CertificateSerialNumber,
///     signature            AlgorithmIdentifier,
///     issuer               Name,
///     validity             Validity,
///     subject              Name,
///     subjectPublicKeyInfo SubjectPublicKeyInfo,
///     issuerUniqueID  [1] IMPLICIT UniqueIdentifier OPTIONAL,
///     subjectUniqueID [2] IMPLICIT UniqueIdentifier OPTIONAL,
///     extensions      [3] EXPLICIT Extensions OPTIONAL }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    /// The whole certificate as encoded.
    pub raw: Vec<u8>,
    tbs: Range<usize>,
    /// Version number as encoded (0 = v1, 2 = v3).
    pub version: u8,
    /// Serial number: the INTEGER content bytes.
    pub serial: Vec<u8>,
    /// The `signature` field inside the TBSCertificate.
    pub tbs_signature_algorithm: AlgorithmIdentifier,
    /// Issuer name.
    pub issuer: Name,
    /// Start of validity.
    pub not_before: Time,
    /// End of validity.
    pub not_after: Time,
    /// A validity date before 2050 is encoded as GeneralizedTime (RFC 5280 §4.1.2.5 requires
    /// UTCTime through 2049; the KZ CSCA of the ICAO list does it, BSI TR-03105-5.1 LDS_H_56
    /// fails a DSC that does).
    pub generalized_time_before_2050: bool,
    /// Subject name.
    pub subject: Name,
    /// The subject's public key.
    pub public_key: SubjectPublicKeyInfo,
    /// The extensions ICAO 9303-12 §7.1 relies on.
    pub extensions: Extensions,
    /// The outer `signatureAlgorithm`.
    pub signature_algorithm: AlgorithmIdentifier,
    /// The signature bits (unused-bits byte removed).
    pub signature: Vec<u8>,
    /// SHA-256 of `raw`, computed once: the certificate cache keys by it and the chain cache
    /// needs it again for every document the certificate signed.
    digest: Sha256OfRaw,
}

/// The SHA-256 of a certificate's `raw`, computed when first asked. It is a function of
/// `raw`, so it never makes two certificates differ: equality is the fields' equality.
#[derive(Clone, Default)]
struct Sha256OfRaw(std::sync::OnceLock<[u8; 32]>);

impl PartialEq for Sha256OfRaw {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Sha256OfRaw {}

impl core::fmt::Debug for Sha256OfRaw {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Sha256OfRaw")
    }
}

/// The extensions that matter for ICAO chains.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extensions {
    /// subjectKeyIdentifier.
    pub subject_key_identifier: Option<Vec<u8>>,
    /// authorityKeyIdentifier's keyIdentifier.
    pub authority_key_identifier: Option<Vec<u8>>,
    /// Whether the authorityKeyIdentifier extension is present (with or without its
    /// keyIdentifier: ICAO 9303-12 §7.1.1 requires both in a Document Signer certificate).
    pub authority_key_identifier_present: bool,
    /// keyUsage bits: see [`KeyUsage`].
    pub key_usage: Option<KeyUsage>,
    /// Whether keyUsage is marked critical (ICAO 9303-12 §7.1.1 requires it).
    pub key_usage_critical: bool,
    /// basicConstraints: (cA, pathLenConstraint).
    pub basic_constraints: Option<(bool, Option<u64>)>,
    /// extendedKeyUsage purposes (a master-list signer needs
    /// [`super::oid::CSCA_MASTER_LIST_SIGNING_KEY`]).
    pub extended_key_usage: Option<Vec<ObjectIdentifier>>,
    /// Critical extensions this parser does not know (RFC 5280 says reject; reported).
    pub unknown_critical: Vec<ObjectIdentifier>,
}

/// The keyUsage bit string (RFC 5280 §4.2.1.3), bit n of the named list = `1 << n`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyUsage(pub u16);

impl KeyUsage {
    /// digitalSignature (0).
    pub const DIGITAL_SIGNATURE: u16 = 1 << 0;
    /// keyCertSign (5).
    pub const KEY_CERT_SIGN: u16 = 1 << 5;
    /// cRLSign (6).
    pub const CRL_SIGN: u16 = 1 << 6;

    /// Whether bit `flag` is set.
    pub fn has(self, flag: u16) -> bool {
        self.0 & flag != 0
    }
}

/// How many decoded certificates [`Certificate::from_der_cached`] keeps per process (a few KB
/// each). A bank sees a few hundred Document Signers; past the bound the cache starts afresh
/// (a certificate missing from it is decoded again: a bound on memory, not on correctness).
pub const CERT_CACHE_CAPACITY: usize = 1024;

/// Decoded certificates, found by a keyed hash of their length and last 64 bytes (inside the
/// signature, which no two certificates share; hashing the whole DER cost a SHA-256 of the
/// Document Signer on every passive authentication) and compared byte for byte on a hit.
/// The key is randomised per process, and a crafted set of certificates with one key costs at
/// most [`CERT_CACHE_CAPACITY`] comparisons.
struct CertCache {
    keys: std::hash::RandomState,
    map: std::sync::RwLock<CacheMap>,
}

/// The certificates under each key, and how many there are in all.
type CacheMap = (std::collections::HashMap<u64, Vec<Arc<Certificate>>>, usize);

impl CertCache {
    fn key(&self, der: &[u8]) -> u64 {
        use std::hash::{BuildHasher, Hash, Hasher};
        let mut h = self.keys.build_hasher();
        der.len().hash(&mut h);
        der.get(der.len().saturating_sub(64)..).hash(&mut h);
        h.finish()
    }
}

fn cert_cache() -> &'static CertCache {
    static CACHE: std::sync::OnceLock<CertCache> = std::sync::OnceLock::new();
    CACHE.get_or_init(|| CertCache {
        keys: std::hash::RandomState::new(),
        map: Default::default(),
    })
}

impl Certificate {
    /// [`Certificate::from_der`] through a process-wide cache (found by a hash of `der`,
    /// then compared byte for byte with it): the Document Signer embedded in every SOD it
    /// signed is decoded once. Refusals are not cached; at most [`CERT_CACHE_CAPACITY`]
    /// certificates are kept. Thread-safe.
    pub fn from_der_cached(der: &[u8]) -> Result<Arc<Self>, CertError> {
        let cache = cert_cache();
        let key = cache.key(der);
        if let Ok(map) = cache.map.read() {
            let hit = map
                .0
                .get(&key)
                .and_then(|v| v.iter().find(|c| c.raw == der));
            if let Some(cert) = hit {
                return Ok(Arc::clone(cert));
            }
        }
        let cert = Arc::new(Self::from_der(der)?);
        if let Ok(mut map) = cache.map.write() {
            if map.1 >= CERT_CACHE_CAPACITY {
                *map = Default::default();
            }
            map.0.entry(key).or_default().push(Arc::clone(&cert));
            map.1 += 1;
        }
        Ok(cert)
    }

    /// Parses one DER certificate (exactly one element, no trailing bytes).
    pub fn from_der(der: &[u8]) -> Result<Self, CertError> {
        // The bounded reader locates the original TBSCertificate bytes (signatures are over
        // them); `x509-cert` decodes the fields.
        let outer = parse_single(der)?;
        if outer.tag != tags::SEQUENCE {
            return Err(super::asn1::bad(&outer, tags::SEQUENCE).into());
        }
        let tbs_tlv = outer.children().read_tag(tags::SEQUENCE)?;
        let mut t = tbs_tlv.children();
        t.read_optional(tags::CTX0)?;
        t.read_tag(tags::INTEGER)?;
        t.read_tag(tags::SEQUENCE)?;
        let issuer_raw = t.read_tag(tags::SEQUENCE)?.raw;
        t.read_tag(tags::SEQUENCE)?;
        let subject_raw = t.read_tag(tags::SEQUENCE)?.raw;
        let spki_raw = t.read_tag(tags::SEQUENCE)?.raw;

        let cert = CertificateInner::<Raw>::from_der(der)?;
        let tbs = cert.tbs_certificate();
        let validity = tbs.validity();
        let generalized_before_2050 = |t: &x509_cert::time::Time| {
            matches!(t, x509_cert::time::Time::GeneralTime(_)) && Time::from(*t).year < 2050
        };
        let signature = cert
            .signature()
            .as_bytes()
            .ok_or(der::Error::from(der::Tag::BitString.value_error()))?
            .to_vec();
        let start = tbs_tlv.offset;
        Ok(Self {
            raw: der.to_vec(),
            tbs: start..start + tbs_tlv.raw.len(),
            version: tbs.version() as u8,
            serial: tbs.serial_number().as_bytes().to_vec(),
            tbs_signature_algorithm: AlgorithmIdentifier::from_x509(tbs.signature())?,
            issuer: Name::from_der(issuer_raw)?,
            not_before: validity.not_before.into(),
            not_after: validity.not_after.into(),
            generalized_time_before_2050: generalized_before_2050(&validity.not_before)
                || generalized_before_2050(&validity.not_after),
            subject: Name::from_der(subject_raw)?,
            public_key: SubjectPublicKeyInfo::from_der(spki_raw)?,
            extensions: Extensions::from_x509(tbs.extensions())?,
            signature_algorithm: AlgorithmIdentifier::from_x509(cert.signature_algorithm())?,
            signature,
            digest: Sha256OfRaw::default(),
        })
    }

    /// The exact `TBSCertificate` bytes the issuer signed.
    pub fn tbs_certificate(&self) -> &[u8] {
        self.raw.get(self.tbs.clone()).unwrap_or(&[])
    }

    /// The serial number as an unsigned magnitude (leading zero bytes removed).
    pub fn serial_magnitude(&self) -> &[u8] {
        unsigned(&self.serial)
    }

    /// The serial number in upper-case hex.
    pub fn serial_hex(&self) -> String {
        hex::encode_upper(&self.serial)
    }

    /// SHA-256 of the whole certificate, upper-case hex (the usual fingerprint).
    pub fn fingerprint_sha256(&self) -> String {
        hex::encode_upper(self.sha256())
    }

    /// SHA-256 of the whole certificate (computed once per decoded certificate).
    pub fn sha256(&self) -> [u8; 32] {
        *self
            .digest
            .0
            .get_or_init(|| Sha256::digest(&self.raw).into())
    }

    /// True when issuer and subject are the same name by RFC 5280 §7.1 (a root, a
    /// self-signed CSCA or a link certificate), whatever the string types.
    pub fn is_self_issued(&self) -> bool {
        self.issuer.same_as(&self.subject)
    }

    /// True when the certificate claims to be signed by its own key: self-issued and, when
    /// both key identifiers are present, authorityKeyIdentifier == subjectKeyIdentifier.
    /// A self-issued certificate whose identifiers differ is a link certificate (a new CSCA
    /// key certified by the old one under the same name, ICAO 9303-12 §7.1.2).
    pub fn is_self_signed(&self) -> bool {
        self.is_self_issued()
            && match (
                &self.extensions.authority_key_identifier,
                &self.extensions.subject_key_identifier,
            ) {
                (Some(aki), Some(ski)) => aki == ski,
                _ => true,
            }
    }

    /// True for a CA certificate: basicConstraints cA=TRUE (RFC 5280 §4.2.1.9).
    pub fn is_ca(&self) -> bool {
        matches!(self.extensions.basic_constraints, Some((true, _)))
    }

    /// True when the keyUsage extension is present and has `flag` set.
    pub fn key_usage_has(&self, flag: u16) -> bool {
        self.extensions.key_usage.is_some_and(|k| k.has(flag))
    }

    /// The subject's country (ICAO 9303-12 §7.1.1 requires one in every CSCA/DSC).
    pub fn country(&self) -> Option<String> {
        self.subject.country().or_else(|| self.issuer.country())
    }

    /// Whether `time` lies within notBefore..=notAfter.
    pub fn is_valid_at(&self, time: Time) -> bool {
        self.not_before <= time && time <= self.not_after
    }

    /// Verifies this certificate's signature with `issuer`'s public key, over the original
    /// TBS bytes. The outer `signatureAlgorithm` must equal the TBS `signature` field.
    pub fn verify_signed_by(
        &self,
        issuer: &Certificate,
    ) -> Result<SignatureAlgorithm, SignatureError> {
        if self.signature_algorithm != self.tbs_signature_algorithm {
            return Err(SignatureError::AlgorithmMismatch);
        }
        let alg = SignatureAlgorithm::from_algorithm_identifier(&self.signature_algorithm, None)?;
        signature::verify(
            &issuer.public_key,
            alg,
            self.tbs_certificate(),
            &self.signature,
        )?;
        Ok(alg)
    }
}

impl Extensions {
    fn from_x509(list: Option<&x509_cert::ext::Extensions>) -> Result<Self, der::Error> {
        let mut out = Self::default();
        for ext in list.into_iter().flatten() {
            let value = ext.extn_value.as_bytes();
            let oid = ext.extn_id;
            if oid == SubjectKeyIdentifier::OID {
                out.subject_key_identifier =
                    Some(SubjectKeyIdentifier::from_der(value)?.0.as_bytes().to_vec());
            } else if oid == AuthorityKeyIdentifier::OID {
                out.authority_key_identifier_present = true;
                out.authority_key_identifier = AuthorityKeyIdentifier::from_der(value)?
                    .key_identifier
                    .map(|k| k.as_bytes().to_vec());
            } else if oid == X509KeyUsage::OID {
                let ku = X509KeyUsage::from_der(value)?;
                out.key_usage = Some(KeyUsage(ku.0.bits()));
                out.key_usage_critical = ext.critical;
            } else if oid == BasicConstraints::OID {
                out.basic_constraints = Some(match BasicConstraints::from_der(value) {
                    Ok(bc) => (bc.ca, bc.path_len_constraint.map(u64::from)),
                    Err(e) => tolerant_basic_constraints(value).ok_or(e)?,
                });
            } else if oid == ExtendedKeyUsage::OID {
                out.extended_key_usage = Some(ExtendedKeyUsage::from_der(value)?.0);
            } else if ext.critical {
                out.unknown_critical.push(oid);
            }
        }
        Ok(out)
    }
}

/// `BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER
/// (0..MAX) OPTIONAL }` read with BER's BOOLEAN (any non-zero octet is TRUE): two UA CSCAs of
/// the ICAO list encode TRUE as `01`, which DER (and `x509-cert`) refuse. Named in
/// [`crate::manual`].
fn tolerant_basic_constraints(value: &[u8]) -> Option<(bool, Option<u64>)> {
    let seq = parse_single(value).ok()?;
    if seq.tag != tags::SEQUENCE {
        return None;
    }
    let mut s = seq.children();
    let ca = match s.read_optional(tags::BOOLEAN).ok()? {
        Some(b) => match b.value {
            [v] => *v != 0,
            _ => return None,
        },
        None => false,
    };
    let path = match s.read_optional(tags::INTEGER).ok()? {
        Some(i) => Some(i.as_uint().ok()?),
        None => None,
    };
    s.finish().ok()?;
    Some((ca, path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ber_boolean_in_basic_constraints() {
        // SEQUENCE { BOOLEAN 01 } — TRUE in BER, refused by DER.
        let value = [0x30, 0x03, 0x01, 0x01, 0x01];
        assert!(BasicConstraints::from_der(&value).is_err());
        assert_eq!(tolerant_basic_constraints(&value), Some((true, None)));
        // SEQUENCE { BOOLEAN FF, INTEGER 0 } is plain DER.
        let der = [0x30, 0x06, 0x01, 0x01, 0xFF, 0x02, 0x01, 0x00];
        assert_eq!(tolerant_basic_constraints(&der), Some((true, Some(0))));
    }

    #[test]
    fn cache_returns_the_same_certificate_and_tells_apart_two_with_one_tail() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/test-data/real-world/trust/DE_ROOT_CA_CSCA07.cer"
        );
        let der = std::fs::read(path).unwrap();
        let first = Certificate::from_der_cached(&der).unwrap();
        assert!(Arc::ptr_eq(
            &first,
            &Certificate::from_der_cached(&der).unwrap()
        ));
        assert_eq!(first.sha256().as_slice(), Sha256::digest(&der).as_slice());
        // Same length, same last 64 bytes (the cache's key), one letter of the issuer changed:
        // another certificate, never the cached one.
        let at = der.windows(7).position(|w| w == b"germany").unwrap();
        let mut other = der.clone();
        other[at] = b'G';
        let second = Certificate::from_der_cached(&other).unwrap();
        assert!(!Arc::ptr_eq(&first, &second));
        assert_eq!(second.raw, other);
        assert_ne!(first.issuer, second.issuer);
        assert_eq!(
            second.sha256().as_slice(),
            Sha256::digest(&other).as_slice()
        );
        assert!(Arc::ptr_eq(
            &first,
            &Certificate::from_der_cached(&der).unwrap()
        ));
    }
}
