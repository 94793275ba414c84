//! EF.SOD, the Document Security Object (ICAO 9303-10 §4.6.2): a CMS `SignedData`
//! (RFC 5652 §5) wrapped in application tag `77`, whose encapsulated content is the
//! `LDSSecurityObject` listing one hash per data group.
//!
//! This module holds the LDS security object only; the CMS around it (SignedData, SignerInfo,
//! certificates, BER input) is [`crate::pki::cms`], and its judgement is
//! [`crate::verify::passive`].
//!
//! ```
//! # #[cfg(feature = "internals")] {
//! let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"),
//!     "/../shared/test-data/real-world/sod/FR.sod")).unwrap();
//! let sod = cccd::lds::sod::Sod::parse(&bytes).unwrap();
//! assert_eq!(sod.lds_security_object.hash_algorithm, cccd::lds::sod::HashAlgorithm::Sha256);
//! # }
//! ```

use crate::pki::asn1::bad;
use crate::pki::cms::CmsError;
use crate::pki::{oid, AlgorithmIdentifier, Certificate};
use crate::tlv::{parse_single, tags, Tag, TlvError, TlvErrorKind};
use const_oid::ObjectIdentifier;
use thiserror::Error;

pub use crate::crypto::hash::HashAlgorithm;
pub use crate::pki::cms::{SignedAttributes, SignedData, SignerIdentifier, SignerInfo};

/// Application tag of EF.SOD (ICAO 9303-10 §4.6.2).
pub const SOD_TAG: Tag = Tag(0x77);

/// EF.SOD or a CMS structure inside it could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum SodError {
    /// Malformed BER/DER in the security object.
    #[error("malformed SOD: {0}")]
    Malformed(#[from] TlvError),
    /// The CMS SignedData around it cannot be parsed.
    #[error("{0}")]
    Cms(#[from] CmsError),
    /// The encapsulated content type is not the LDS security object.
    #[error("eContentType {0} is not id-icao-mrtd-security-ldsSecurityObject")]
    WrongContentType(ObjectIdentifier),
    /// There is no encapsulated content (a detached signature).
    #[error("no encapsulated content")]
    NoContent,
    /// A hash algorithm this crate does not implement.
    #[error("unsupported hash algorithm {0}")]
    UnsupportedHash(ObjectIdentifier),
    /// An LDSSecurityObject version other than v0 / v1.
    #[error("unsupported LDSSecurityObject version {0}")]
    UnsupportedVersion(u64),
}

/// The security object EF.SOD signs.
///
/// ```text
/// LDSSecurityObject ::= SEQUENCE {                 -- ICAO 9303-10 §4.6.2.3
///     version                LDSSecurityObjectVersion,   -- v0(0), v1(1)
///     hashAlgorithm          DigestAlgorithmIdentifier,
///     dataGroupHashValues    SEQUENCE SIZE (2..ub-DataGroups) OF DataGroupHash,
///     ldsVersionInfo         LDSVersionInfo OPTIONAL }   -- v1 only
/// DataGroupHash ::= SEQUENCE {
///     dataGroupNumber        DataGroupNumber,            -- INTEGER 1..16
///     dataGroupHashValue     OCTET STRING }
/// LDSVersionInfo ::= SEQUENCE {
///     ldsVersion             PrintableString,
///     unicodeVersion         PrintableString }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LdsSecurityObject {
    /// 0 or 1.
    pub version: u64,
    /// The algorithm of every data group hash.
    pub hash_algorithm: HashAlgorithm,
    /// (data group number, hash) in the order listed.
    pub data_group_hashes: Vec<(u8, Vec<u8>)>,
    /// (ldsVersion, unicodeVersion) of a v1 object.
    pub lds_version_info: Option<(String, String)>,
}

impl LdsSecurityObject {
    /// Parses the DER content of `eContent`.
    pub fn parse(der: &[u8]) -> Result<Self, SodError> {
        let seq = parse_single(der)?;
        if seq.tag != tags::SEQUENCE {
            return Err(bad(&seq, tags::SEQUENCE).into());
        }
        let mut c = seq.children();
        let version = c.read_tag(tags::INTEGER)?.as_uint()?;
        if version > 1 {
            return Err(SodError::UnsupportedVersion(version));
        }
        let alg = AlgorithmIdentifier::read(&mut c)?;
        let hash_algorithm =
            HashAlgorithm::from_oid(&alg.oid).ok_or(SodError::UnsupportedHash(alg.oid))?;
        let mut data_group_hashes = Vec::new();
        for dgh in c.read_tag(tags::SEQUENCE)?.children() {
            let dgh = dgh?;
            if dgh.tag != tags::SEQUENCE {
                return Err(bad(&dgh, tags::SEQUENCE).into());
            }
            let mut d = dgh.children();
            let number_tlv = d.read_tag(tags::INTEGER)?;
            let number = u8::try_from(number_tlv.as_uint()?).map_err(|_| TlvError {
                kind: TlvErrorKind::LengthTooLong,
                offset: number_tlv.value_offset,
            })?;
            let hash = d.read_tag(tags::OCTET_STRING)?.value.to_vec();
            d.finish()?;
            data_group_hashes.push((number, hash));
        }
        let lds_version_info = match c.read_optional(tags::SEQUENCE)? {
            Some(info) => {
                let mut i = info.children();
                let lds = i.read()?;
                let unicode = i.read()?;
                i.finish()?;
                Some((
                    String::from_utf8_lossy(lds.value).into_owned(),
                    String::from_utf8_lossy(unicode.value).into_owned(),
                ))
            }
            None => None,
        };
        c.finish()?;
        // ICAO 9303-10 §4.6.2.3: "if present, version MUST be v1"; "if v1, ldsVersionInfo
        // MUST be present".
        if (version == 1) != lds_version_info.is_some() {
            return Err(SodError::Cms(CmsError::ContentVersionInfo {
                version,
                version_info: lds_version_info.is_some(),
            }));
        }
        Ok(Self {
            version,
            hash_algorithm,
            data_group_hashes,
            lds_version_info,
        })
    }

    /// The stored hash of data group `dg`.
    pub fn hash_of(&self, dg: u8) -> Option<&[u8]> {
        self.data_group_hashes
            .iter()
            .find(|(n, _)| *n == dg)
            .map(|(_, h)| h.as_slice())
    }
}

/// A parsed EF.SOD.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sod {
    /// The file as read (tag 77 included).
    pub raw: Vec<u8>,
    /// The signed security object.
    pub lds_security_object: LdsSecurityObject,
    /// The exact eContent octets (what the messageDigest attribute covers).
    pub econtent: Vec<u8>,
    /// eContentType (id-icao-mrtd-security-ldsSecurityObject, or a legacy OID).
    pub econtent_type: ObjectIdentifier,
    /// The signers (ICAO: exactly one).
    pub signer_infos: Vec<SignerInfo>,
    /// Certificates in the SOD (ICAO: the DSC), shared with the process-wide cache
    /// ([`Certificate::from_der_cached`]).
    pub certificates: Vec<std::sync::Arc<Certificate>>,
    /// SignedData.digestAlgorithms.
    pub digest_algorithms: Vec<AlgorithmIdentifier>,
    /// SignedData.version (3 for an SOD, RFC 5652 §5.1).
    pub version: u64,
}

impl Sod {
    /// Parses EF.SOD as read from the chip: `77 L ContentInfo`, DER or BER.
    pub fn parse(bytes: &[u8]) -> Result<Self, SodError> {
        let outer = parse_single(bytes)?;
        if outer.tag != SOD_TAG {
            return Err(bad(&outer, SOD_TAG).into());
        }
        let sd = SignedData::parse_content_info(outer.value)?;
        if sd.econtent_type != oid::LDS_SECURITY_OBJECT && sd.econtent_type != oid::SDU_LDS_SOD {
            return Err(SodError::WrongContentType(sd.econtent_type));
        }
        let econtent = sd.econtent.ok_or(SodError::NoContent)?;
        let lds_security_object = LdsSecurityObject::parse(&econtent)?;
        Ok(Self {
            raw: bytes.to_vec(),
            lds_security_object,
            econtent,
            econtent_type: sd.econtent_type,
            signer_infos: sd.signer_infos,
            certificates: sd.certificates,
            digest_algorithms: sd.digest_algorithms,
            version: sd.version,
        })
    }
}
