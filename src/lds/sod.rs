//! EF.SOD, the Document Security Object (ICAO 9303-10 §4.6.2): a CMS `SignedData`
//! (RFC 5652 §5) wrapped in application tag `77`, whose encapsulated content is the
//! `LDSSecurityObject` listing one hash per data group.
//!
//! Parsed by hand over [`crate::tlv`] so the signed bytes (the signed attributes, the
//! certificates' `TBSCertificate`) are kept exactly as encoded. BER input (indefinite lengths,
//! segmented OCTET STRINGs, seen in New Zealand passports) is first normalised to DER by
//! [`ber_to_der`]; the signed attributes of a BER SOD are DER already (RFC 5652 §5.4).
//!
//! ```
//! let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"),
//!     "/../shared/test-data/real-world/sod/FR.sod")).unwrap();
//! let sod = cccd::lds::sod::Sod::parse(&bytes).unwrap();
//! assert_eq!(sod.lds_security_object.hash_algorithm, cccd::lds::sod::HashAlgorithm::Sha256);
//! ```

use crate::tlv::{parse_single, write_len, Reader, Tag, TlvError, TlvErrorKind, MAX_DEPTH};
use crate::verify::asn1::{bad, oids, read_oid, tags, AlgorithmIdentifier, Name, Time};
use crate::verify::cert::{CertError, Certificate};
use const_oid::ObjectIdentifier;
use sha1::Sha1;
use sha2::{Digest, Sha224, Sha256, Sha384, Sha512};
use thiserror::Error;

/// Application tag of EF.SOD (ICAO 9303-10 §4.6.2).
pub const SOD_TAG: Tag = Tag(0x77);

/// EF.SOD or a CMS structure inside it could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum SodError {
    /// Malformed BER/DER.
    #[error("malformed SOD: {0}")]
    Malformed(#[from] TlvError),
    /// The outer ContentInfo is not id-signedData.
    #[error("content type {0} is not id-signedData")]
    NotSignedData(String),
    /// The encapsulated content type is not the LDS security object.
    #[error("eContentType {0} is not id-icao-mrtd-security-ldsSecurityObject")]
    WrongContentType(String),
    /// There is no encapsulated content (a detached signature).
    #[error("no encapsulated content")]
    NoContent,
    /// A hash algorithm this crate does not implement.
    #[error("unsupported hash algorithm {0}")]
    UnsupportedHash(String),
    /// An LDSSecurityObject version other than v0 / v1.
    #[error("unsupported LDSSecurityObject version {0}")]
    UnsupportedVersion(u64),
    /// A certificate inside the SignedData is malformed.
    #[error("certificate {index}: {error}")]
    Certificate {
        /// Position in the `certificates` set.
        index: usize,
        /// What is wrong.
        error: CertError,
    },
}

/// The hash algorithms ICAO 9303-10 §4.6.2.2 allows for data group hashes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub enum HashAlgorithm {
    /// SHA-1 (FIPS 180-4).
    Sha1,
    /// SHA-224.
    Sha224,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl HashAlgorithm {
    /// The algorithm for a digest OID.
    pub fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
        Some(match *oid {
            oids::SHA1 => Self::Sha1,
            oids::SHA224 => Self::Sha224,
            oids::SHA256 => Self::Sha256,
            oids::SHA384 => Self::Sha384,
            oids::SHA512 => Self::Sha512,
            _ => return None,
        })
    }

    /// The digest OID.
    pub fn oid(self) -> ObjectIdentifier {
        match self {
            Self::Sha1 => oids::SHA1,
            Self::Sha224 => oids::SHA224,
            Self::Sha256 => oids::SHA256,
            Self::Sha384 => oids::SHA384,
            Self::Sha512 => oids::SHA512,
        }
    }

    /// Digest length in bytes.
    pub fn output_len(self) -> usize {
        match self {
            Self::Sha1 => 20,
            Self::Sha224 => 28,
            Self::Sha256 => 32,
            Self::Sha384 => 48,
            Self::Sha512 => 64,
        }
    }

    /// Hashes `data`.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Self::Sha1 => Sha1::digest(data).to_vec(),
            Self::Sha224 => Sha224::digest(data).to_vec(),
            Self::Sha256 => Sha256::digest(data).to_vec(),
            Self::Sha384 => Sha384::digest(data).to_vec(),
            Self::Sha512 => Sha512::digest(data).to_vec(),
        }
    }

    /// The usual name, `SHA-256`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Sha1 => "SHA-1",
            Self::Sha224 => "SHA-224",
            Self::Sha256 => "SHA-256",
            Self::Sha384 => "SHA-384",
            Self::Sha512 => "SHA-512",
        }
    }

    fn from_algorithm_identifier(alg: &AlgorithmIdentifier) -> Result<Self, SodError> {
        Self::from_oid(&alg.oid).ok_or_else(|| SodError::UnsupportedHash(alg.oid.to_string()))
    }
}

impl core::fmt::Display for HashAlgorithm {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
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
        let hash_algorithm =
            HashAlgorithm::from_algorithm_identifier(&AlgorithmIdentifier::read(&mut c)?)?;
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

/// How a SignerInfo names its certificate.
///
/// ```text
/// SignerIdentifier ::= CHOICE {                     -- RFC 5652 §5.3
///     issuerAndSerialNumber IssuerAndSerialNumber,
///     subjectKeyIdentifier [0] SubjectKeyIdentifier }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignerIdentifier {
    /// Issuer name and serial number (INTEGER content bytes).
    IssuerAndSerialNumber {
        /// The certificate's issuer.
        issuer: Name,
        /// The certificate's serial number.
        serial: Vec<u8>,
    },
    /// The certificate's subjectKeyIdentifier.
    SubjectKeyIdentifier(Vec<u8>),
}

/// The signed attributes of a SignerInfo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedAttributes {
    /// The exact bytes the signature covers: the original `[0] IMPLICIT` encoding re-tagged as
    /// `SET` (`31`), RFC 5652 §5.4.
    pub signed_bytes: Vec<u8>,
    /// contentType attribute.
    pub content_type: Option<ObjectIdentifier>,
    /// messageDigest attribute.
    pub message_digest: Option<Vec<u8>>,
    /// signingTime attribute.
    pub signing_time: Option<Time>,
}

/// One signer.
///
/// ```text
/// SignerInfo ::= SEQUENCE {                         -- RFC 5652 §5.3
///     version CMSVersion,
///     sid SignerIdentifier,
///     digestAlgorithm DigestAlgorithmIdentifier,
///     signedAttrs [0] IMPLICIT SignedAttributes OPTIONAL,
///     signatureAlgorithm SignatureAlgorithmIdentifier,
///     signature SignatureValue,
///     unsignedAttrs [1] IMPLICIT UnsignedAttributes OPTIONAL }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignerInfo {
    /// 1 (issuerAndSerialNumber) or 3 (subjectKeyIdentifier).
    pub version: u64,
    /// The signer's certificate reference.
    pub sid: SignerIdentifier,
    /// Digest of the content and of the signed attributes.
    pub digest_algorithm: AlgorithmIdentifier,
    /// Signed attributes (ICAO requires them).
    pub signed_attributes: Option<SignedAttributes>,
    /// The signature algorithm (sometimes just `rsaEncryption` / `id-ecPublicKey`).
    pub signature_algorithm: AlgorithmIdentifier,
    /// The signature value.
    pub signature: Vec<u8>,
}

/// A CMS SignedData (used for EF.SOD, EF.CardSecurity and CSCA master lists).
///
/// ```text
/// ContentInfo ::= SEQUENCE { contentType ContentType, content [0] EXPLICIT ANY }
/// SignedData ::= SEQUENCE {                         -- RFC 5652 §5.1
///     version CMSVersion,
///     digestAlgorithms DigestAlgorithmIdentifiers,
///     encapContentInfo EncapsulatedContentInfo,
///     certificates [0] IMPLICIT CertificateSet OPTIONAL,
///     crls [1] IMPLICIT RevocationInfoChoices OPTIONAL,
///     signerInfos SignerInfos }
/// EncapsulatedContentInfo ::= SEQUENCE {
///     eContentType ContentType,
///     eContent [0] EXPLICIT OCTET STRING OPTIONAL }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedData {
    /// CMSVersion.
    pub version: u64,
    /// digestAlgorithms.
    pub digest_algorithms: Vec<AlgorithmIdentifier>,
    /// eContentType.
    pub econtent_type: ObjectIdentifier,
    /// The eContent octets (segments joined).
    pub econtent: Option<Vec<u8>>,
    /// Certificates carried along (the DSC of an SOD, the signer of a master list).
    pub certificates: Vec<Certificate>,
    /// CRLs carried along, DER.
    pub crls: Vec<Vec<u8>>,
    /// The signers.
    pub signer_infos: Vec<SignerInfo>,
}

impl SignedData {
    /// Parses a `ContentInfo` holding a SignedData, DER or BER.
    pub fn parse_content_info(bytes: &[u8]) -> Result<Self, SodError> {
        let der = ber_to_der(bytes)?;
        let ci = parse_single(&der)?;
        if ci.tag != tags::SEQUENCE {
            return Err(bad(&ci, tags::SEQUENCE).into());
        }
        let mut c = ci.children();
        let content_type = read_oid(&mut c)?;
        if content_type != oids::SIGNED_DATA {
            return Err(SodError::NotSignedData(content_type.to_string()));
        }
        let content = c.read_tag(tags::CTX0)?;
        c.finish()?;
        let mut inner = content.children();
        let sd = inner.read_tag(tags::SEQUENCE)?;
        inner.finish()?;
        Self::parse_signed_data(sd.children())
    }

    fn parse_signed_data(mut c: Reader<'_>) -> Result<Self, SodError> {
        let version = c.read_tag(tags::INTEGER)?.as_uint()?;
        let mut digest_algorithms = Vec::new();
        let mut algs = c.read_tag(tags::SET)?.children();
        while !algs.is_empty() {
            digest_algorithms.push(AlgorithmIdentifier::read(&mut algs)?);
        }
        let eci = c.read_tag(tags::SEQUENCE)?;
        let mut e = eci.children();
        let econtent_type = read_oid(&mut e)?;
        let econtent = match e.read_optional(tags::CTX0)? {
            Some(wrapper) => {
                let mut w = wrapper.children();
                let octets = w.read_tag(tags::OCTET_STRING)?;
                w.finish()?;
                Some(octets.value.to_vec())
            }
            None => None,
        };
        e.finish()?;
        let mut certificates = Vec::new();
        if let Some(set) = c.read_optional(tags::CTX0)? {
            for (index, cert) in set.children().enumerate() {
                let cert = cert?;
                // Other CertificateChoices (attribute certificates, [1]..[3]) are skipped.
                if cert.tag != tags::SEQUENCE {
                    continue;
                }
                certificates.push(
                    Certificate::from_der(cert.raw)
                        .map_err(|error| SodError::Certificate { index, error })?,
                );
            }
        }
        let mut crls = Vec::new();
        if let Some(set) = c.read_optional(tags::CTX1)? {
            for crl in set.children() {
                crls.push(crl?.raw.to_vec());
            }
        }
        let mut signer_infos = Vec::new();
        for si in c.read_tag(tags::SET)?.children() {
            signer_infos.push(SignerInfo::parse(&si?)?);
        }
        c.finish()?;
        Ok(Self {
            version,
            digest_algorithms,
            econtent_type,
            econtent,
            certificates,
            crls,
            signer_infos,
        })
    }
}

impl SignerInfo {
    fn parse(si: &crate::tlv::Tlv<'_>) -> Result<Self, SodError> {
        if si.tag != tags::SEQUENCE {
            return Err(bad(si, tags::SEQUENCE).into());
        }
        let mut c = si.children();
        let version = c.read_tag(tags::INTEGER)?.as_uint()?;
        let sid = match c.peek_tag()? {
            Some(tags::SEQUENCE) => {
                let ias = c.read()?;
                let mut i = ias.children();
                let issuer = Name::read(&mut i)?;
                let serial = i.read_tag(tags::INTEGER)?.value.to_vec();
                i.finish()?;
                SignerIdentifier::IssuerAndSerialNumber { issuer, serial }
            }
            _ => SignerIdentifier::SubjectKeyIdentifier(c.read_tag(Tag(0x80))?.value.to_vec()),
        };
        let digest_algorithm = AlgorithmIdentifier::read(&mut c)?;
        let signed_attributes = match c.read_optional(tags::CTX0)? {
            Some(attrs) => Some(SignedAttributes::parse(&attrs)?),
            None => None,
        };
        let signature_algorithm = AlgorithmIdentifier::read(&mut c)?;
        let signature = c.read_tag(tags::OCTET_STRING)?.value.to_vec();
        let _unsigned = c.read_optional(tags::CTX1)?;
        c.finish()?;
        Ok(Self {
            version,
            sid,
            digest_algorithm,
            signed_attributes,
            signature_algorithm,
            signature,
        })
    }
}

impl SignedAttributes {
    /// ```text
    /// Attribute ::= SEQUENCE { attrType OBJECT IDENTIFIER, attrValues SET OF AttributeValue }
    /// ```
    fn parse(attrs: &crate::tlv::Tlv<'_>) -> Result<Self, SodError> {
        let mut signed_bytes = attrs.raw.to_vec();
        if let Some(first) = signed_bytes.first_mut() {
            *first = tags::SET.0 as u8;
        }
        let mut out = Self {
            signed_bytes,
            content_type: None,
            message_digest: None,
            signing_time: None,
        };
        for attr in attrs.children() {
            let attr = attr?;
            let mut a = attr.children();
            let oid = read_oid(&mut a)?;
            let values = a.read_tag(tags::SET)?;
            a.finish()?;
            let mut v = values.children();
            if oid == oids::CONTENT_TYPE {
                out.content_type = Some(read_oid(&mut v)?);
            } else if oid == oids::MESSAGE_DIGEST {
                out.message_digest = Some(v.read_tag(tags::OCTET_STRING)?.value.to_vec());
            } else if oid == oids::SIGNING_TIME {
                out.signing_time = Some(Time::read(&mut v)?);
            }
        }
        Ok(out)
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
    /// Certificates in the SOD (ICAO: the DSC).
    pub certificates: Vec<Certificate>,
    /// SignedData.digestAlgorithms.
    pub digest_algorithms: Vec<AlgorithmIdentifier>,
}

impl Sod {
    /// Parses EF.SOD as read from the chip: `77 L ContentInfo`, DER or BER.
    pub fn parse(bytes: &[u8]) -> Result<Self, SodError> {
        let der = ber_to_der(bytes)?;
        let outer = parse_single(&der)?;
        if outer.tag != SOD_TAG {
            return Err(bad(&outer, SOD_TAG).into());
        }
        let sd = SignedData::parse_content_info(outer.value)?;
        if sd.econtent_type != oids::LDS_SECURITY_OBJECT && sd.econtent_type != oids::SDU_LDS_SOD {
            return Err(SodError::WrongContentType(sd.econtent_type.to_string()));
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
        })
    }
}

/// Converts BER to DER where it matters for parsing: indefinite lengths become definite and
/// constructed OCTET STRINGs (`24`) are joined into one primitive `04`. Elements that need no
/// change are copied byte for byte, so DER parts (signed attributes, certificates) keep their
/// exact encoding. Bounded by [`MAX_DEPTH`] and by the input's length.
pub fn ber_to_der(input: &[u8]) -> Result<Vec<u8>, TlvError> {
    let mut out = Vec::with_capacity(input.len());
    let mut pos = 0;
    while pos < input.len() {
        pos = convert_element(input, pos, 0, &mut out)?;
    }
    Ok(out)
}

struct Header {
    tag_len: usize,
    constructed: bool,
    /// `None` = indefinite.
    len: Option<usize>,
    header_len: usize,
}

fn truncated(at: usize, needed: usize, available: usize) -> TlvError {
    TlvError {
        kind: TlvErrorKind::Truncated { needed, available },
        offset: at,
    }
}

fn read_header(input: &[u8], start: usize) -> Result<Header, TlvError> {
    let byte = |i: usize| input.get(i).copied().ok_or_else(|| truncated(i, 1, 0));
    let first = byte(start)?;
    let mut pos = start + 1;
    if first & 0x1F == 0x1F {
        loop {
            if pos - start >= crate::tlv::MAX_TAG_BYTES {
                return Err(TlvError {
                    kind: TlvErrorKind::TagTooLong,
                    offset: start,
                });
            }
            let b = byte(pos)?;
            pos += 1;
            if b & 0x80 == 0 {
                break;
            }
        }
    }
    let tag_len = pos - start;
    let l = byte(pos)?;
    pos += 1;
    let len = match l {
        0x00..=0x7F => Some(usize::from(l)),
        0x80 => None,
        _ => {
            let n = usize::from(l & 0x7F);
            if n > crate::tlv::MAX_LENGTH_BYTES {
                return Err(TlvError {
                    kind: TlvErrorKind::LengthTooLong,
                    offset: pos - 1,
                });
            }
            let mut v = 0usize;
            for _ in 0..n {
                v = (v << 8) | usize::from(byte(pos)?);
                pos += 1;
            }
            Some(v)
        }
    };
    if len.is_none() && first & 0x20 == 0 {
        return Err(TlvError {
            kind: TlvErrorKind::IndefiniteLength,
            offset: start,
        });
    }
    Ok(Header {
        tag_len,
        constructed: first & 0x20 != 0,
        len,
        header_len: pos - start,
    })
}

/// Converts the element at `start`, appends it to `out`, returns the offset after it.
fn convert_element(
    input: &[u8],
    start: usize,
    depth: usize,
    out: &mut Vec<u8>,
) -> Result<usize, TlvError> {
    if depth > MAX_DEPTH {
        return Err(TlvError {
            kind: TlvErrorKind::TooDeep,
            offset: start,
        });
    }
    let h = read_header(input, start)?;
    let value_start = start + h.header_len;
    let tag_bytes = input.get(start..start + h.tag_len).unwrap_or(&[]);
    let is_segmented_octets = tag_bytes == [0x24];
    if !h.constructed {
        let len = h.len.unwrap_or(0);
        let available = input.len().saturating_sub(value_start);
        if len > available {
            return Err(truncated(value_start, len, available));
        }
        out.extend_from_slice(input.get(start..value_start + len).unwrap_or(&[]));
        return Ok(value_start + len);
    }
    // Constructed: convert the children into a scratch buffer.
    let mut content = Vec::new();
    let end = match h.len {
        Some(len) => {
            let available = input.len().saturating_sub(value_start);
            if len > available {
                return Err(truncated(value_start, len, available));
            }
            let end = value_start + len;
            let mut pos = value_start;
            while pos < end {
                pos = convert_element(
                    input.get(..end).unwrap_or(&[]),
                    pos,
                    depth + 1,
                    &mut content,
                )?;
            }
            end
        }
        None => {
            let mut pos = value_start;
            loop {
                match (input.get(pos), input.get(pos + 1)) {
                    (Some(0), Some(0)) => break pos + 2,
                    (None, _) | (_, None) => return Err(truncated(pos, 2, 0)),
                    _ => pos = convert_element(input, pos, depth + 1, &mut content)?,
                }
            }
        }
    };
    if is_segmented_octets {
        // Join the (already primitive) segments' values.
        let mut joined = Vec::with_capacity(content.len());
        let mut r = Reader::new(&content);
        while !r.is_empty() {
            let seg = r.read_tag(tags::OCTET_STRING)?;
            joined.extend_from_slice(seg.value);
        }
        out.push(0x04);
        write_len(out, joined.len());
        out.extend_from_slice(&joined);
    } else if h.len.is_some() && content.as_slice() == input.get(value_start..end).unwrap_or(&[]) {
        out.extend_from_slice(input.get(start..end).unwrap_or(&[]));
    } else {
        out.extend_from_slice(tag_bytes);
        write_len(out, content.len());
        out.extend_from_slice(&content);
    }
    Ok(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ber_indefinite_and_segments() {
        // 30 80 { 24 80 { 04 01 AA, 04 02 BB CC } 00 00, 02 01 05 } 00 00
        let ber = hex::decode("308024800401AA0402BBCC0000020105".to_string() + "0000").unwrap();
        let der = ber_to_der(&ber).unwrap();
        assert_eq!(hex::encode_upper(der), "30080403AABBCC020105");
    }

    #[test]
    fn der_is_copied_verbatim() {
        // A non-minimal length (81 03) must survive untouched.
        let der = hex::decode("30810302010A").unwrap();
        assert_eq!(ber_to_der(&der).unwrap(), der);
    }

    #[test]
    fn ber_truncated_and_deep() {
        assert!(ber_to_der(&hex::decode("308002").unwrap()).is_err());
        let deep: Vec<u8> = core::iter::repeat_n([0x30u8, 0x80], MAX_DEPTH + 2)
            .flatten()
            .collect();
        assert_eq!(ber_to_der(&deep).unwrap_err().kind, TlvErrorKind::TooDeep);
    }
}
