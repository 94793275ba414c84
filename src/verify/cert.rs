//! X.509 certificates (RFC 5280) as ICAO 9303-12 profiles them, parsed by hand so that the
//! exact `TBSCertificate` bytes are kept for signature checks (a DER decoder that re-sorts
//! SET OF would change them).

use super::asn1::{bad, oids, read_oid, tags, unsigned, AlgorithmIdentifier, Name, Time};
use crate::tlv::{parse_single, Reader, TlvError};
use const_oid::ObjectIdentifier;
use core::ops::Range;
use sha2::{Digest, Sha256};
use thiserror::Error;

/// A certificate could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum CertError {
    /// Malformed DER.
    #[error("malformed certificate: {0}")]
    Malformed(#[from] TlvError),
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
    /// Serial number: the INTEGER content bytes as encoded.
    pub serial: Vec<u8>,
    /// The `signature` field inside the TBSCertificate.
    pub tbs_signature_algorithm: AlgorithmIdentifier,
    /// Issuer name.
    pub issuer: Name,
    /// Start of validity.
    pub not_before: Time,
    /// End of validity.
    pub not_after: Time,
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
}

/// A public key with its algorithm.
///
/// ```text
/// SubjectPublicKeyInfo ::= SEQUENCE {              -- RFC 5280 §4.1.2.7
///     algorithm         AlgorithmIdentifier,
///     subjectPublicKey  BIT STRING }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectPublicKeyInfo {
    /// `rsaEncryption` or `id-ecPublicKey` with its `ECParameters`.
    pub algorithm: AlgorithmIdentifier,
    /// The key bits: `RSAPublicKey` DER, or an EC point `04 || X || Y`.
    pub key: Vec<u8>,
}

/// The extensions that matter for ICAO chains.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extensions {
    /// subjectKeyIdentifier.
    pub subject_key_identifier: Option<Vec<u8>>,
    /// authorityKeyIdentifier's keyIdentifier.
    pub authority_key_identifier: Option<Vec<u8>>,
    /// keyUsage bits, bit 0 (digitalSignature) as the most significant bit of a `u16`'s low
    /// 9 bits turned into flags: see [`KeyUsage`].
    pub key_usage: Option<KeyUsage>,
    /// basicConstraints: (cA, pathLenConstraint).
    pub basic_constraints: Option<(bool, Option<u64>)>,
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

impl Certificate {
    /// Parses one DER certificate (exactly one element, no trailing bytes).
    pub fn from_der(der: &[u8]) -> Result<Self, CertError> {
        let outer = parse_single(der)?;
        if outer.tag != tags::SEQUENCE {
            return Err(bad(&outer, tags::SEQUENCE).into());
        }
        let mut c = outer.children();
        let tbs = c.read_tag(tags::SEQUENCE)?;
        let signature_algorithm = AlgorithmIdentifier::read(&mut c)?;
        let sig = c.read_tag(tags::BIT_STRING)?;
        c.finish()?;
        let signature = sig.value.get(1..).unwrap_or(&[]).to_vec();

        let mut t = tbs.children();
        let version = match t.read_optional(tags::CTX0)? {
            Some(v) => {
                let int = v.children().read_tag(tags::INTEGER)?;
                u8::try_from(int.as_uint()?).unwrap_or(u8::MAX)
            }
            None => 0,
        };
        let serial = t.read_tag(tags::INTEGER)?.value.to_vec();
        let tbs_signature_algorithm = AlgorithmIdentifier::read(&mut t)?;
        let issuer = Name::read(&mut t)?;
        let validity = t.read_tag(tags::SEQUENCE)?;
        let mut v = validity.children();
        let not_before = Time::read(&mut v)?;
        let not_after = Time::read(&mut v)?;
        v.finish()?;
        let subject = Name::read(&mut t)?;
        let spki = t.read_tag(tags::SEQUENCE)?;
        let mut s = spki.children();
        let algorithm = AlgorithmIdentifier::read(&mut s)?;
        let key_bits = s.read_tag(tags::BIT_STRING)?;
        s.finish()?;
        let public_key = SubjectPublicKeyInfo {
            algorithm,
            key: key_bits.value.get(1..).unwrap_or(&[]).to_vec(),
        };
        t.read_optional(crate::tlv::Tag(0x81))?;
        t.read_optional(crate::tlv::Tag(0x82))?;
        let extensions = match t.read_optional(tags::CTX3)? {
            Some(e) => Extensions::parse(e.children().read_tag(tags::SEQUENCE)?.children())?,
            None => Extensions::default(),
        };
        t.finish()?;
        let start = tbs.offset;
        Ok(Self {
            raw: der.to_vec(),
            tbs: start..start + tbs.raw.len(),
            version,
            serial,
            tbs_signature_algorithm,
            issuer,
            not_before,
            not_after,
            subject,
            public_key,
            extensions,
            signature_algorithm,
            signature,
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
        hex::encode_upper(Sha256::digest(&self.raw))
    }

    /// True when issuer and subject are the same name (a root or a self-issued CSCA).
    pub fn is_self_issued(&self) -> bool {
        self.issuer.raw == self.subject.raw
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

    /// The subject's country (ICAO 9303-12 §7.1.1 requires one in every CSCA/DSC).
    pub fn country(&self) -> Option<String> {
        self.subject.country().or_else(|| self.issuer.country())
    }

    /// Whether `time` lies within notBefore..=notAfter.
    pub fn is_valid_at(&self, time: Time) -> bool {
        self.not_before <= time && time <= self.not_after
    }
}

impl Extensions {
    /// ```text
    /// Extension ::= SEQUENCE { extnID OBJECT IDENTIFIER, critical BOOLEAN DEFAULT FALSE,
    ///                          extnValue OCTET STRING }
    /// ```
    fn parse(list: Reader<'_>) -> Result<Self, TlvError> {
        let mut out = Self::default();
        for ext in list {
            let ext = ext?;
            let mut c = ext.children();
            let oid = read_oid(&mut c)?;
            let critical = match c.read_optional(tags::BOOLEAN)? {
                Some(b) => b.value.first().is_some_and(|v| *v != 0),
                None => false,
            };
            let value = c.read_tag(tags::OCTET_STRING)?;
            c.finish()?;
            let mut v = Reader::new(value.value);
            if oid == oids::SUBJECT_KEY_IDENTIFIER {
                out.subject_key_identifier = Some(v.read_tag(tags::OCTET_STRING)?.value.to_vec());
            } else if oid == oids::AUTHORITY_KEY_IDENTIFIER {
                let seq = v.read_tag(tags::SEQUENCE)?;
                out.authority_key_identifier = seq
                    .children()
                    .read_optional(crate::tlv::Tag(0x80))?
                    .map(|k| k.value.to_vec());
            } else if oid == oids::KEY_USAGE {
                let bits = v.read_tag(tags::BIT_STRING)?;
                let b0 = bits.value.get(1).copied().unwrap_or(0);
                let b1 = bits.value.get(2).copied().unwrap_or(0);
                // Named bit n is bit (7 - n) of the first content byte after the unused count.
                let mut flags = 0u16;
                for n in 0..9u16 {
                    let byte = if n < 8 { b0 } else { b1 };
                    if byte & (0x80 >> (n % 8)) != 0 {
                        flags |= 1 << n;
                    }
                }
                out.key_usage = Some(KeyUsage(flags));
            } else if oid == oids::BASIC_CONSTRAINTS {
                let seq = v.read_tag(tags::SEQUENCE)?;
                let mut s = seq.children();
                let ca = s
                    .read_optional(tags::BOOLEAN)?
                    .is_some_and(|b| b.value.first().is_some_and(|v| *v != 0));
                let path = match s.read_optional(tags::INTEGER)? {
                    Some(i) => Some(i.as_uint()?),
                    None => None,
                };
                out.basic_constraints = Some((ca, path));
            } else if critical {
                out.unknown_critical.push(oid);
            }
        }
        Ok(out)
    }
}
