//! ActiveAuthenticationInfo: the signature algorithm of an ECDSA active authentication key
//! (ICAO 9303-11 §9.2.9).

#[cfg(feature = "serde")]
use crate::pki::serde_util;
use const_oid::ObjectIdentifier;

use crate::pki::spki::{oid_value, uint, SecurityInfoError};
use crate::tlv::{tags, Reader};

/// ```text
/// ActiveAuthenticationInfo ::= SEQUENCE {      -- ICAO 9303-11 §9.2.9
///     protocol           id-icao-mrtd-security-aaProtocolObject,
///     version            INTEGER -- MUST be 1
///     signatureAlgorithm OBJECT IDENTIFIER
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ActiveAuthenticationInfo {
    /// Always 1 on conforming chips.
    pub version: u64,
    /// The ECDSA signature algorithm of Active Authentication (e.g. ecdsa-with-SHA256).
    #[cfg_attr(feature = "serde", serde(serialize_with = "serde_util::oid"))]
    pub signature_algorithm: ObjectIdentifier,
}

impl ActiveAuthenticationInfo {
    pub(crate) fn parse_rest(r: &mut Reader<'_>) -> Result<Self, SecurityInfoError> {
        let version = uint(&r.read_tag(tags::INTEGER)?)?;
        let signature_algorithm = oid_value(&r.read_tag(tags::OID)?)?;
        r.clone().finish()?;
        Ok(Self {
            version,
            signature_algorithm,
        })
    }
}
