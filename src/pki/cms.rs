//! CMS `SignedData` (RFC 5652 §5) as ICAO uses it for EF.SOD, EF.CardSecurity and CSCA master
//! lists, and the signer check (RFC 5652 §5.4, §5.6; ICAO 9303-10 §4.6.2, 9303-11 §5.1).
//!
//! Decoded with `der` directly (the `cms` crate is only a pre-release for `der` 0.8): DER, or
//! BER for the SODs that use it. Certificates inside are decoded by `x509-cert`
//! ([`Certificate::from_der`]), the signer's name too. The signed attributes are kept exactly as
//! encoded (re-tagged as SET), since a DER decoder re-sorts a SET OF and the signature is over
//! the original bytes.

use super::cert::{CertError, Certificate};
use super::name::{Name, NameMatch};
use super::oid;
use super::signature::{self, SignatureAlgorithm, SignatureError};
use super::{AlgorithmIdentifier, Time};
use crate::crypto::hash::HashAlgorithm;
use crate::tlv::TlvError;
use const_oid::ObjectIdentifier;
use core::borrow::Borrow;
use der::{Encode, EncodingRules, Reader, SliceReader, Tagged};
use std::sync::Arc;
use thiserror::Error;

/// A CMS structure that cannot be parsed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum CmsError {
    /// Malformed BER/DER, with the byte offset (from the bounded TLV reader).
    #[error("malformed: {0}")]
    Malformed(#[from] TlvError),
    /// Malformed BER/DER, as `der` reports it (kind and position).
    #[error("malformed: {0}")]
    Der(#[from] der::Error),
    /// The outer ContentInfo is not id-signedData.
    #[error("content type {0} is not id-signedData")]
    NotSignedData(ObjectIdentifier),
    /// The encapsulated content type is not the one the structure requires.
    #[error("wrong eContentType {0}")]
    WrongContentType(ObjectIdentifier),
    /// There is no encapsulated content (a detached signature).
    #[error("no encapsulated content")]
    NoContent,
    /// A digest algorithm this crate does not implement.
    #[error("unsupported hash algorithm {0}")]
    UnsupportedHash(ObjectIdentifier),
    /// The signed content has a version this crate does not know (an LDSSecurityObject
    /// other than v0/v1).
    #[error("unsupported content version {0}")]
    UnsupportedContentVersion(u64),
    /// An LDSSecurityObject whose version and ldsVersionInfo disagree (ICAO 9303-10 §4.6.2.3:
    /// v1 carries ldsVersionInfo, v0 does not).
    #[error(
        "LDSSecurityObject version {version} {} ldsVersionInfo",
        if *version_info { "with" } else { "without" }
    )]
    ContentVersionInfo {
        /// The object's version.
        version: u64,
        /// Whether ldsVersionInfo is present.
        version_info: bool,
    },
    /// A certificate inside the SignedData is malformed.
    #[error("certificate {index}: {error}")]
    Certificate {
        /// Position in the `certificates` set.
        index: usize,
        /// What is wrong.
        error: CertError,
    },
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
    /// contentType attribute (the first value, when there is one).
    pub content_type: Option<ObjectIdentifier>,
    /// messageDigest attribute (the first value, when there is one).
    pub message_digest: Option<Vec<u8>>,
    /// How many contentType values the attributes hold (RFC 5652 §11.1: exactly one).
    pub content_type_count: usize,
    /// How many messageDigest values the attributes hold (RFC 5652 §11.2: exactly one).
    pub message_digest_count: usize,
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
    /// Certificates carried along (the DSC of an SOD, the signer of a master list), decoded
    /// through [`Certificate::from_der_cached`] (shared: a Document Signer that signed many
    /// SODs is decoded once).
    pub certificates: Vec<Arc<Certificate>>,
    /// CRLs carried along, DER.
    pub crls: Vec<Vec<u8>>,
    /// The signers.
    pub signer_infos: Vec<SignerInfo>,
}

impl SignedData {
    /// Parses a `ContentInfo` holding a SignedData: DER, or BER when DER fails (New Zealand's
    /// EF.SOD uses indefinite lengths and a segmented eContent; `der`'s BER rules decode both).
    pub fn parse_content_info(bytes: &[u8]) -> Result<Self, CmsError> {
        match Self::decode(bytes, EncodingRules::Der) {
            Ok(sd) => Ok(sd),
            Err(CmsError::Der(first)) => {
                Self::decode(bytes, EncodingRules::Ber).map_err(|e| match e {
                    // Report the strict decoder's error when BER does not help either.
                    CmsError::Der(_) => CmsError::Der(first),
                    other => other,
                })
            }
            Err(other) => Err(other),
        }
    }

    fn decode(bytes: &[u8], rules: EncodingRules) -> Result<Self, CmsError> {
        // ContentInfo ::= SEQUENCE { contentType ContentType, content [0] EXPLICIT ANY }, the
        // content decoded in place as a SignedData once the type says it is one. Borrowed all
        // the way down (`AnyRef`, slices of `bytes`): nothing is copied or re-encoded to be
        // decoded again, only what the result keeps.
        let mut r = SliceReader::new_with_encoding_rules(bytes, rules)?;
        let sd = r.sequence(|r| {
            let content_type: ObjectIdentifier = r.decode()?;
            if content_type != oid::SIGNED_DATA {
                return Err(CmsError::NotSignedData(content_type));
            }
            let content: der::asn1::ContextSpecific<asn1::SignedData> = r.decode()?;
            if content.tag_number != der::TagNumber(0) {
                return Err(CmsError::Der(
                    der::Tag::ContextSpecific {
                        constructed: true,
                        number: content.tag_number,
                    }
                    .unexpected_error(None)
                    .into(),
                ));
            }
            Ok(content.value)
        })?;
        r.finish()?;
        let mut certificates = Vec::new();
        for (index, cert) in sd.certificates.iter().flat_map(|s| s.iter()).enumerate() {
            // Other CertificateChoices (attribute certificates, [1]..[3]) are skipped.
            if cert.tag() != der::Tag::Sequence {
                continue;
            }
            let raw = cert.to_der()?;
            certificates.push(
                Certificate::from_der_cached(&raw)
                    .map_err(|error| CmsError::Certificate { index, error })?,
            );
        }
        let crls = sd
            .crls
            .iter()
            .flat_map(|s| s.iter())
            .map(Encode::to_der)
            .collect::<Result<Vec<_>, _>>()?;
        let signer_infos = sd
            .signer_infos
            .iter()
            .map(|si| SignerInfo::from_asn1(si.decode_as_encoding(rules)?, &certificates))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            version: u64::from(sd.version),
            digest_algorithms: sd
                .digest_algorithms
                .iter()
                .map(AlgorithmIdentifier::from_x509)
                .collect::<Result<Vec<_>, _>>()?,
            econtent_type: sd.encap_content_info.e_content_type,
            econtent: sd
                .encap_content_info
                .e_content
                .map(|o| o.as_bytes().to_vec()),
            certificates,
            crls,
            signer_infos,
        })
    }
}

impl SignerInfo {
    /// `certificates`: those the SignedData carries, already decoded. The sid's issuer is
    /// normally their issuer, byte for byte: its decoding is then taken from there
    /// (the same bytes decode to the same `Name`) instead of being decoded again.
    fn from_asn1(
        si: asn1::SignerInfo,
        certificates: &[Arc<Certificate>],
    ) -> Result<Self, CmsError> {
        let sid = if si.sid.tag() == der::Tag::Sequence {
            let ias: asn1::IssuerAndSerialNumber = si.sid.decode_as()?;
            let issuer_raw = ias.issuer.to_der()?;
            let issuer = match certificates.iter().find(|c| c.issuer.raw == issuer_raw) {
                Some(c) => c.issuer.clone(),
                None => Name::from_der(&issuer_raw)?,
            };
            SignerIdentifier::IssuerAndSerialNumber {
                issuer,
                serial: ias.serial_number.as_bytes().to_vec(),
            }
        } else if si.sid.tag()
            == (der::Tag::ContextSpecific {
                constructed: false,
                number: der::TagNumber(0),
            })
        {
            SignerIdentifier::SubjectKeyIdentifier(si.sid.value().to_vec())
        } else {
            return Err(CmsError::Der(
                si.sid
                    .tag()
                    .unexpected_error(Some(der::Tag::Sequence))
                    .into(),
            ));
        };
        Ok(Self {
            version: u64::from(si.version),
            sid,
            digest_algorithm: AlgorithmIdentifier::from_x509(&si.digest_algorithm)?,
            signed_attributes: si
                .signed_attrs
                .map(|a| SignedAttributes::parse(a.0))
                .transpose()?,
            signature_algorithm: AlgorithmIdentifier::from_x509(&si.signature_algorithm)?,
            signature: si.signature.as_bytes().to_vec(),
        })
    }
}

impl SignedAttributes {
    /// Reads the attributes from the content of `signedAttrs` as encoded; the signature
    /// covers that content under a `SET` tag (RFC 5652 §5.4).
    ///
    /// ```text
    /// Attribute ::= SEQUENCE { attrType OBJECT IDENTIFIER, attrValues SET OF AttributeValue }
    /// ```
    fn parse(content: &[u8]) -> Result<Self, CmsError> {
        let mut signed_bytes = vec![0x31];
        crate::tlv::write_len(&mut signed_bytes, content.len());
        signed_bytes.extend_from_slice(content);
        let mut out = Self {
            signed_bytes,
            content_type: None,
            message_digest: None,
            content_type_count: 0,
            message_digest_count: 0,
            signing_time: None,
        };
        let mut r = SliceReader::new(content)?;
        while !r.is_finished() {
            let attr: x509_cert::attr::Attribute = r.decode()?;
            for value in attr.values.iter() {
                if attr.oid == oid::CONTENT_TYPE {
                    let ct: ObjectIdentifier = value.decode_as()?;
                    out.content_type.get_or_insert(ct);
                    out.content_type_count += 1;
                } else if attr.oid == oid::MESSAGE_DIGEST {
                    let md: der::asn1::OctetString = value.decode_as()?;
                    out.message_digest.get_or_insert(md.as_bytes().to_vec());
                    out.message_digest_count += 1;
                } else if attr.oid == oid::SIGNING_TIME {
                    let t: x509_cert::time::Time = value.decode_as()?;
                    out.signing_time = Some(t.into());
                }
            }
        }
        Ok(out)
    }
}

/// The CMS structures as `der` decodes them (RFC 5652), before they become the types above.
mod asn1 {
    use der::asn1::{AnyRef, ObjectIdentifier, OctetString, SetOfVec};
    use der::{
        DecodeValue, EncodeValue, FixedTag, Header, Length, Reader, Sequence, Tag, TagNumber,
        Writer,
    };
    use spki::AlgorithmIdentifierRef;
    use x509_cert::serial_number::SerialNumber;

    /// ```text
    /// SignedData ::= SEQUENCE {
    ///     version CMSVersion,
    ///     digestAlgorithms SET OF DigestAlgorithmIdentifier,
    ///     encapContentInfo EncapsulatedContentInfo,
    ///     certificates [0] IMPLICIT CertificateSet OPTIONAL,
    ///     crls [1] IMPLICIT RevocationInfoChoices OPTIONAL,
    ///     signerInfos SET OF SignerInfo }
    /// ```
    #[derive(Sequence)]
    pub(super) struct SignedData<'a> {
        pub version: u8,
        pub digest_algorithms: SetOfVec<AlgorithmIdentifierRef<'a>>,
        pub encap_content_info: EncapsulatedContentInfo,
        #[asn1(
            context_specific = "0",
            tag_mode = "IMPLICIT",
            constructed = "true",
            optional = "true"
        )]
        pub certificates: Option<SetOfVec<AnyRef<'a>>>,
        #[asn1(
            context_specific = "1",
            tag_mode = "IMPLICIT",
            constructed = "true",
            optional = "true"
        )]
        pub crls: Option<SetOfVec<AnyRef<'a>>>,
        pub signer_infos: SetOfVec<AnyRef<'a>>,
    }

    /// ```text
    /// EncapsulatedContentInfo ::= SEQUENCE {
    ///     eContentType ContentType,
    ///     eContent [0] EXPLICIT OCTET STRING OPTIONAL }
    /// ```
    #[derive(Sequence)]
    pub(super) struct EncapsulatedContentInfo {
        pub e_content_type: ObjectIdentifier,
        #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
        pub e_content: Option<OctetString>,
    }

    /// ```text
    /// SignerInfo ::= SEQUENCE {
    ///     version CMSVersion,
    ///     sid SignerIdentifier,
    ///     digestAlgorithm DigestAlgorithmIdentifier,
    ///     signedAttrs [0] IMPLICIT SignedAttributes OPTIONAL,
    ///     signatureAlgorithm SignatureAlgorithmIdentifier,
    ///     signature SignatureValue,
    ///     unsignedAttrs [1] IMPLICIT UnsignedAttributes OPTIONAL }
    /// ```
    #[derive(Sequence)]
    pub(super) struct SignerInfo<'a> {
        pub version: u8,
        pub sid: AnyRef<'a>,
        pub digest_algorithm: AlgorithmIdentifierRef<'a>,
        #[asn1(optional = "true")]
        pub signed_attrs: Option<Implicit<'a, 0>>,
        pub signature_algorithm: AlgorithmIdentifierRef<'a>,
        pub signature: OctetString,
        #[asn1(optional = "true")]
        pub unsigned_attrs: Option<Implicit<'a, 1>>,
    }

    /// ```text
    /// IssuerAndSerialNumber ::= SEQUENCE { issuer Name, serialNumber CertificateSerialNumber }
    /// ```
    #[derive(Sequence)]
    pub(super) struct IssuerAndSerialNumber<'a> {
        pub issuer: AnyRef<'a>,
        pub serial_number: SerialNumber<x509_cert::certificate::Raw>,
    }

    /// The content of a constructed `[N] IMPLICIT` element, kept as encoded (the signed
    /// attributes are signed as they were encoded, never as a decoder re-sorts them).
    pub(super) struct Implicit<'a, const N: u32>(pub &'a [u8]);

    impl<'a, const N: u32> DecodeValue<'a> for Implicit<'a, N> {
        type Error = der::Error;
        fn decode_value<R: Reader<'a>>(reader: &mut R, header: Header) -> der::Result<Self> {
            Ok(Self(reader.read_slice(header.length())?))
        }
    }

    impl<const N: u32> EncodeValue for Implicit<'_, N> {
        fn value_len(&self) -> der::Result<Length> {
            Length::try_from(self.0.len())
        }
        fn encode_value(&self, writer: &mut impl Writer) -> der::Result<()> {
            writer.write(self.0)
        }
    }

    impl<const N: u32> FixedTag for Implicit<'_, N> {
        const TAG: Tag = Tag::ContextSpecific {
            constructed: true,
            number: TagNumber(N),
        };
    }
}

/// Why a CMS signature is not valid.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum SignerFailure {
    /// The file could not be parsed.
    #[error("malformed: {0}")]
    Malformed(
        #[cfg_attr(
            feature = "serde",
            serde(serialize_with = "super::serde_util::display")
        )]
        CmsError,
    ),
    /// The encapsulated content type is not the one this structure requires.
    #[error("wrong eContentType {0}")]
    WrongContentType(
        #[cfg_attr(feature = "serde", serde(serialize_with = "super::serde_util::oid"))]
        ObjectIdentifier,
    ),
    /// No SignerInfo.
    #[error("no SignerInfo")]
    NoSignerInfo,
    /// The signer's certificate is not in the SignedData.
    #[error("signer certificate not found")]
    SignerCertificateNotFound,
    /// The signer's certificate is a CA certificate (basicConstraints cA=TRUE): a CSCA never
    /// signs a document directly (ICAO 9303-12 §7.1).
    #[error("the signer certificate is a CA certificate")]
    SignerIsCa,
    /// The digest algorithm is not supported.
    #[error("unsupported digest algorithm {0}")]
    UnsupportedDigest(
        #[cfg_attr(feature = "serde", serde(serialize_with = "super::serde_util::oid"))]
        ObjectIdentifier,
    ),
    /// The SignerInfo has no signed attributes (ICAO 9303-10 §4.6.2.2 requires them).
    #[error("no signed attributes")]
    NoSignedAttributes,
    /// Not exactly one contentType value in the signed attributes (RFC 5652 §11.1).
    #[error("{0} contentType values (exactly one required)")]
    ContentTypeCount(usize),
    /// The contentType signed attribute differs from eContentType (RFC 5652 §11.1).
    #[error("contentType attribute does not match eContentType")]
    ContentTypeMismatch,
    /// Not exactly one messageDigest value in the signed attributes (RFC 5652 §11.2).
    #[error("{0} messageDigest values (exactly one required)")]
    MessageDigestCount(usize),
    /// The messageDigest attribute does not match the content.
    #[error("messageDigest does not match the content")]
    MessageDigestMismatch,
    /// A SignedData version other than 3 (RFC 5652 §5.1: 3 whenever eContentType is not
    /// id-data, as for EF.SOD and EF.CardSecurity; ICAO 9303-10 §4.6.2.2).
    #[error("SignedData version {0} (3 required)")]
    SignedDataVersion(u64),
    /// A SignerInfo whose version does not match its `sid` (RFC 5652 §5.3: 1 with
    /// issuerAndSerialNumber, 3 with subjectKeyIdentifier).
    #[error("SignerInfo version {0} does not match its signer identifier")]
    SignerInfoVersion(u64),
    /// `digestAlgorithms` names a digest this verifier refuses or does not know (MD5).
    #[error("digestAlgorithms lists {0}, not an accepted hash")]
    DigestAlgorithmRefused(
        #[cfg_attr(feature = "serde", serde(serialize_with = "super::serde_util::oid"))]
        ObjectIdentifier,
    ),
    /// The signature check failed.
    #[error("signature: {0}")]
    Signature(
        #[cfg_attr(
            feature = "serde",
            serde(serialize_with = "super::serde_util::display")
        )]
        #[from]
        SignatureError,
    ),
}

/// The structure rules of a SignedData that ICAO signs documents with (EF.SOD,
/// EF.CardSecurity), before any signature is checked: version 3 (RFC 5652 §5.1), only accepted
/// hashes in `digestAlgorithms` (no MD5), and each SignerInfo's version matching its `sid`
/// (RFC 5652 §5.3).
pub(crate) fn check_structure(
    version: u64,
    digest_algorithms: &[AlgorithmIdentifier],
    signer_infos: &[SignerInfo],
) -> Result<(), SignerFailure> {
    if version != 3 {
        return Err(SignerFailure::SignedDataVersion(version));
    }
    if let Some(refused) = digest_algorithms
        .iter()
        .find(|a| HashAlgorithm::from_oid(&a.oid).is_none())
    {
        return Err(SignerFailure::DigestAlgorithmRefused(refused.oid));
    }
    for si in signer_infos {
        let expected = match si.sid {
            SignerIdentifier::IssuerAndSerialNumber { .. } => 1,
            SignerIdentifier::SubjectKeyIdentifier(_) => 3,
        };
        if si.version != expected {
            return Err(SignerFailure::SignerInfoVersion(si.version));
        }
    }
    Ok(())
}

/// What a successful signer check found.
#[derive(Debug, Clone)]
pub(crate) struct SignerOk {
    pub algorithm: SignatureAlgorithm,
    pub warnings: Vec<SignerWarning>,
}

/// A deviation a signer check accepted; [`crate::verify::Warning`] names it for callers (this
/// layer cannot see verify's type).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SignerWarning {
    /// The signature or its digest uses SHA-1.
    Sha1,
    /// The `sid` issuer matches the signer's issuer only by RFC 5280 §7.1 name comparison.
    IssuerNameNormalised,
    /// The `sid` issuer names no embedded certificate; the only embedded one was used.
    OnlyEmbeddedCertificate,
}

/// How the signer's certificate was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SignerMatch {
    /// The `sid` names it exactly, or by RFC 5280 §7.1 name matching.
    Named(NameMatch),
    /// The `sid`'s issuer name matches no certificate, and the SignedData embeds exactly one,
    /// of the `sid`'s serial number: that one was used (Malaysia's SOD names the issuer's RDNs
    /// in another order); the signature still has to verify with its key.
    OnlyEmbedded,
}

/// The certificate `sid` names among `certificates`.
pub(crate) fn find_signer<'a, C: Borrow<Certificate>>(
    sid: &SignerIdentifier,
    certificates: &'a [C],
) -> Option<(&'a Certificate, NameMatch)> {
    match sid {
        SignerIdentifier::IssuerAndSerialNumber { issuer, serial } => {
            let wanted = super::asn1::unsigned(serial);
            certificates
                .iter()
                .map(Borrow::borrow)
                .find_map(|c: &Certificate| {
                    if c.serial_magnitude() != wanted {
                        return None;
                    }
                    match c.issuer.matches(issuer) {
                        NameMatch::Different => None,
                        m => Some((c, m)),
                    }
                })
        }
        SignerIdentifier::SubjectKeyIdentifier(ski) => certificates
            .iter()
            .map(Borrow::borrow)
            .find(|c: &&Certificate| c.extensions.subject_key_identifier.as_ref() == Some(ski))
            .map(|c| (c, NameMatch::Exact)),
    }
}

/// The signer among the embedded certificates: the one `sid` names, or else the only one when
/// the `sid` has its serial number and only the issuer's name fails to match (Malaysia's SOD
/// lists the issuer's RDNs in another order). A serial number or key identifier that names no
/// certificate finds none (BSI TR-03105-5.1 LDS_H_28, LDS_H_29).
pub(crate) fn embedded_signer<'a>(
    sid: &SignerIdentifier,
    certificates: &'a [Arc<Certificate>],
) -> Option<(&'a Certificate, SignerMatch)> {
    match find_signer(sid, certificates) {
        Some((c, m)) => Some((c, SignerMatch::Named(m))),
        None => match (sid, certificates) {
            (SignerIdentifier::IssuerAndSerialNumber { serial, .. }, [only])
                if only.serial_magnitude() == super::asn1::unsigned(serial) =>
            {
                Some((&**only, SignerMatch::OnlyEmbedded))
            }
            _ => None,
        },
    }
}

impl SignerMatch {
    /// The warning this way of finding the signer deserves, if any.
    pub(crate) fn warning(self) -> Option<SignerWarning> {
        match self {
            Self::Named(NameMatch::Exact) => None,
            Self::Named(_) => Some(SignerWarning::IssuerNameNormalised),
            Self::OnlyEmbedded => Some(SignerWarning::OnlyEmbeddedCertificate),
        }
    }
}

/// Checks one SignerInfo over `econtent` with `signer`'s key: signed attributes present,
/// exactly one contentType equal to `econtent_type`, exactly one messageDigest equal to the
/// content's digest, a signer that is not a CA, and the signature over the original signed
/// attributes.
pub(crate) fn verify_signer_info(
    si: &SignerInfo,
    econtent_type: &ObjectIdentifier,
    econtent: &[u8],
    signer: &Certificate,
) -> Result<SignerOk, SignerFailure> {
    if signer.is_ca() {
        return Err(SignerFailure::SignerIsCa);
    }
    let digest = HashAlgorithm::from_oid(&si.digest_algorithm.oid)
        .ok_or(SignerFailure::UnsupportedDigest(si.digest_algorithm.oid))?;
    let algorithm =
        SignatureAlgorithm::from_algorithm_identifier(&si.signature_algorithm, Some(digest))?;
    let attrs = si
        .signed_attributes
        .as_ref()
        .ok_or(SignerFailure::NoSignedAttributes)?;
    if attrs.content_type_count != 1 {
        return Err(SignerFailure::ContentTypeCount(attrs.content_type_count));
    }
    if attrs.content_type.as_ref() != Some(econtent_type) {
        return Err(SignerFailure::ContentTypeMismatch);
    }
    if attrs.message_digest_count != 1 {
        return Err(SignerFailure::MessageDigestCount(
            attrs.message_digest_count,
        ));
    }
    if attrs.message_digest.as_deref() != Some(digest.digest(econtent).as_slice()) {
        return Err(SignerFailure::MessageDigestMismatch);
    }
    signature::verify(
        &signer.public_key,
        algorithm,
        &attrs.signed_bytes,
        &si.signature,
    )?;
    let mut warnings = Vec::new();
    if digest == HashAlgorithm::Sha1 || algorithm.hash() == HashAlgorithm::Sha1 {
        warnings.push(SignerWarning::Sha1);
    }
    Ok(SignerOk {
        algorithm,
        warnings,
    })
}

/// Verifies `cert`'s signature with `issuer`'s public key (over the original TBS bytes).
pub fn verify_certificate_signature(
    cert: &Certificate,
    issuer: &Certificate,
) -> Result<SignatureAlgorithm, SignatureError> {
    cert.verify_signed_by(issuer)
}

/// Verifies every SignerInfo of a SignedData (EF.CardSecurity, a master list) with the
/// certificates it carries; returns the first signer's certificate and algorithm. The signer's
/// chain is not checked here.
pub fn verify_signed_data(
    sd: &SignedData,
) -> Result<(&Certificate, SignatureAlgorithm), SignerFailure> {
    verify_every_signer(sd).map(|(c, ok)| (c, ok.algorithm))
}

/// [`verify_signed_data`] with the warnings.
pub(crate) fn verify_every_signer(
    sd: &SignedData,
) -> Result<(&Certificate, SignerOk), SignerFailure> {
    let content = sd
        .econtent
        .as_deref()
        .ok_or(SignerFailure::Malformed(CmsError::NoContent))?;
    let mut first = None;
    for si in &sd.signer_infos {
        let (signer, how) = embedded_signer(&si.sid, &sd.certificates)
            .ok_or(SignerFailure::SignerCertificateNotFound)?;
        let mut ok = verify_signer_info(si, &sd.econtent_type, content, signer)?;
        ok.warnings.extend(how.warning());
        first.get_or_insert((signer, ok));
    }
    first.ok_or(SignerFailure::NoSignerInfo)
}
