//! Certificate revocation lists (RFC 5280 §5) as CSCAs publish them (ICAO 9303-12 §7.1.4),
//! decoded by `x509-cert` (profile `Raw`) with the original `TBSCertList` bytes kept.

use super::algorithm::AlgorithmIdentifier;
use super::asn1::unsigned;
use super::cert::CertError;
use super::name::Name;
use super::signature::{self, SignatureAlgorithm, SignatureError};
use super::spki::SubjectPublicKeyInfo;
use super::Time;
use crate::tlv::{parse_single, tags};
use core::ops::Range;
use der::Decode;
use x509_cert::certificate::Raw;
use x509_cert::crl::CertificateList;

/// A parsed CRL that keeps its encoding.
///
/// ```text
/// CertificateList ::= SEQUENCE {                   -- RFC 5280 §5.1
///     tbsCertList          TBSCertList,
///     signatureAlgorithm   AlgorithmIdentifier,
///     signatureValue       BIT STRING }
/// TBSCertList ::= SEQUENCE {
///     version              Version OPTIONAL,
///     signature            AlgorithmIdentifier,
///     issuer               Name,
///     thisUpdate           Time,
///     nextUpdate           Time OPTIONAL,
///     revokedCertificates  SEQUENCE OF SEQUENCE {
///          userCertificate         CertificateSerialNumber,
///          revocationDate          Time,
///          crlEntryExtensions      Extensions OPTIONAL } OPTIONAL,
///     crlExtensions        [0] EXPLICIT Extensions OPTIONAL }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crl {
    /// The whole CRL as encoded.
    pub raw: Vec<u8>,
    tbs: Range<usize>,
    /// The issuing CSCA's name.
    pub issuer: Name,
    /// thisUpdate.
    pub this_update: Time,
    /// nextUpdate.
    pub next_update: Option<Time>,
    /// (serial magnitude, revocation date) of each revoked certificate.
    pub revoked: Vec<(Vec<u8>, Time)>,
    /// The signature algorithm.
    pub signature_algorithm: AlgorithmIdentifier,
    /// The signature bits.
    pub signature: Vec<u8>,
}

impl Crl {
    /// Parses one DER CRL.
    pub fn from_der(der: &[u8]) -> Result<Self, CertError> {
        let outer = parse_single(der)?;
        if outer.tag != tags::SEQUENCE {
            return Err(super::asn1::bad(&outer, tags::SEQUENCE).into());
        }
        let tbs_tlv = outer.children().read_tag(tags::SEQUENCE)?;
        let mut t = tbs_tlv.children();
        t.read_optional(tags::INTEGER)?;
        t.read_tag(tags::SEQUENCE)?;
        let issuer_raw = t.read_tag(tags::SEQUENCE)?.raw;

        let crl = CertificateList::<Raw>::from_der(der)?;
        let tbs = &crl.tbs_cert_list;
        let revoked = tbs
            .revoked_certificates
            .iter()
            .flatten()
            .map(|r| {
                (
                    unsigned(r.serial_number.as_bytes()).to_vec(),
                    Time::from(r.revocation_date),
                )
            })
            .collect();
        let signature = crl
            .signature
            .as_bytes()
            .ok_or(der::Error::from(der::Tag::BitString.value_error()))?
            .to_vec();
        Ok(Self {
            raw: der.to_vec(),
            tbs: tbs_tlv.offset..tbs_tlv.offset + tbs_tlv.raw.len(),
            issuer: Name::from_der(issuer_raw)?,
            this_update: tbs.this_update.into(),
            next_update: tbs.next_update.map(Time::from),
            revoked,
            signature_algorithm: AlgorithmIdentifier::from_x509(&crl.signature_algorithm)?,
            signature,
        })
    }

    /// The exact `TBSCertList` bytes the CSCA signed.
    pub fn tbs_cert_list(&self) -> &[u8] {
        self.raw.get(self.tbs.clone()).unwrap_or(&[])
    }

    /// Verifies the CRL's signature with `key` (the issuing CSCA's), over the original bytes.
    pub fn verify_signed_by(&self, key: &SubjectPublicKeyInfo) -> Result<(), SignatureError> {
        let alg = SignatureAlgorithm::from_algorithm_identifier(&self.signature_algorithm, None)?;
        signature::verify(key, alg, self.tbs_cert_list(), &self.signature)
    }

    /// The revocation date of the certificate with this serial (magnitude bytes).
    pub fn revocation_of(&self, serial_magnitude: &[u8]) -> Option<Time> {
        self.revoked
            .iter()
            .find(|(s, _)| s.as_slice() == serial_magnitude)
            .map(|(_, t)| *t)
    }
}
