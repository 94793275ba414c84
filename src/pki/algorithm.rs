//! `AlgorithmIdentifier` (RFC 5280 §4.1.1.2): one type for signature, digest, key and
//! domain-parameter algorithms, with the parameters kept as encoded.

use const_oid::ObjectIdentifier;
use der::Encode;

use super::asn1::oid_from;
#[cfg(feature = "serde")]
use super::serde_util;
use crate::tlv::{tags, Reader, Tlv, TlvError};

/// ```text
/// AlgorithmIdentifier ::= SEQUENCE {           -- RFC 5280 §4.1.1.2
///     algorithm  OBJECT IDENTIFIER,
///     parameters ANY DEFINED BY algorithm OPTIONAL
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct AlgorithmIdentifier {
    /// The algorithm (`algorithm` in RFC 5280 and in JSON).
    #[cfg_attr(
        feature = "serde",
        serde(rename = "algorithm", serialize_with = "serde_util::oid")
    )]
    pub oid: ObjectIdentifier,
    /// The DER of the parameters element (tag, length, value), absent when omitted.
    #[cfg_attr(feature = "serde", serde(serialize_with = "serde_util::opt_hex"))]
    pub parameters: Option<Vec<u8>>,
}

impl AlgorithmIdentifier {
    /// Parses an already-located `AlgorithmIdentifier` SEQUENCE.
    pub fn parse(seq: &Tlv<'_>) -> Result<Self, TlvError> {
        if seq.tag != tags::SEQUENCE {
            return Err(super::asn1::bad(seq, tags::SEQUENCE));
        }
        let mut r = seq.children();
        let oid = oid_from(&r.read_tag(tags::OID)?)?;
        let parameters = if r.is_empty() {
            None
        } else {
            Some(r.read()?.raw.to_vec())
        };
        r.finish()?;
        Ok(Self { oid, parameters })
    }

    /// Reads the next element of `r` as an `AlgorithmIdentifier`.
    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, TlvError> {
        Self::parse(&r.read()?)
    }

    /// From the type `x509-cert` decodes; the parameters' `ANY` keeps its tag and content, so
    /// its encoding is the original one.
    pub(crate) fn from_x509<P: Encode>(
        alg: &spki::AlgorithmIdentifier<P>,
    ) -> Result<Self, der::Error> {
        Ok(Self {
            oid: alg.oid,
            parameters: alg.parameters.as_ref().map(Encode::to_der).transpose()?,
        })
    }

    /// True when the parameters are absent or NULL.
    pub fn parameters_absent_or_null(&self) -> bool {
        matches!(self.parameters.as_deref(), None | Some([0x05, 0x00]))
    }
}
