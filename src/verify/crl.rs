//! Certificate revocation lists (RFC 5280 §5) as CSCAs publish them (ICAO 9303-12 §7.1.4).

use super::asn1::{bad, tags, unsigned, AlgorithmIdentifier, Name, Time};
use super::cert::CertError;
use crate::tlv::parse_single;
use core::ops::Range;

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
            return Err(bad(&outer, tags::SEQUENCE).into());
        }
        let mut c = outer.children();
        let tbs = c.read_tag(tags::SEQUENCE)?;
        let signature_algorithm = AlgorithmIdentifier::read(&mut c)?;
        let sig = c.read_tag(tags::BIT_STRING)?;
        c.finish()?;
        let mut t = tbs.children();
        t.read_optional(tags::INTEGER)?;
        AlgorithmIdentifier::read(&mut t)?;
        let issuer = Name::read(&mut t)?;
        let this_update = Time::read(&mut t)?;
        let next_update = match t.peek_tag()? {
            Some(tags::UTC_TIME) | Some(tags::GENERALIZED_TIME) => Some(Time::read(&mut t)?),
            _ => None,
        };
        let mut revoked = Vec::new();
        if let Some(list) = t.read_optional(tags::SEQUENCE)? {
            for entry in list.children() {
                let entry = entry?;
                let mut e = entry.children();
                let serial = e.read_tag(tags::INTEGER)?;
                let date = Time::read(&mut e)?;
                revoked.push((unsigned(serial.value).to_vec(), date));
            }
        }
        t.read_optional(tags::CTX0)?;
        t.finish()?;
        Ok(Self {
            raw: der.to_vec(),
            tbs: tbs.offset..tbs.offset + tbs.raw.len(),
            issuer,
            this_update,
            next_update,
            revoked,
            signature_algorithm,
            signature: sig.value.get(1..).unwrap_or(&[]).to_vec(),
        })
    }

    /// The exact `TBSCertList` bytes the CSCA signed.
    pub fn tbs_cert_list(&self) -> &[u8] {
        self.raw.get(self.tbs.clone()).unwrap_or(&[])
    }

    /// The revocation date of the certificate with this serial (magnitude bytes).
    pub fn revocation_of(&self, serial_magnitude: &[u8]) -> Option<Time> {
        self.revoked
            .iter()
            .find(|(s, _)| s.as_slice() == serial_magnitude)
            .map(|(_, t)| *t)
    }
}
