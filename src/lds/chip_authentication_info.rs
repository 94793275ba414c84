//! The chip authentication infos of a SecurityInfos set: protocol, domain parameters and the
//! chip's static public key (ICAO 9303-11 §9.2.5, §9.2.6; BSI TR-03110-3 §A.1.1.2).

use const_oid::ObjectIdentifier;

use crate::lds::protocol::{ChipAuthenticationProtocol, KeyAgreement};
use crate::pki::algorithm::AlgorithmIdentifier;
use crate::pki::oid;
use crate::pki::spki::{uint, SecurityInfoError, SubjectPublicKeyInfo};
use crate::tlv::{tags, Reader};

/// ```text
/// ChipAuthenticationInfo ::= SEQUENCE {        -- ICAO 9303-11 §9.2.5
///     protocol OBJECT IDENTIFIER(id-CA-DH-3DES-CBC-CBC | ... | id-CA-ECDH-AES-CBC-CMAC-256),
///     version  INTEGER, -- MUST be 1 for CAv1 or 2 for CAv2
///     keyId    INTEGER OPTIONAL
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ChipAuthenticationInfo {
    /// The decomposed protocol OID.
    pub protocol: ChipAuthenticationProtocol,
    /// 1 (CAv1), 2 (CAv2) or 3 (CAv3); other versions are refused.
    pub version: u64,
    /// Which ChipAuthenticationPublicKeyInfo this protocol uses, when the chip has several.
    pub key_id: Option<u64>,
}

impl ChipAuthenticationInfo {
    pub(crate) fn parse_rest(
        protocol: ChipAuthenticationProtocol,
        r: &mut Reader<'_>,
    ) -> Result<Self, SecurityInfoError> {
        let version_tlv = r.read_tag(tags::INTEGER)?;
        let version = uint(&version_tlv)?;
        // CAv1 (ICAO 9303-11 §9.2.5), CAv2 and CAv3 (BSI TR-03110-3 §A.1.1.2); any other
        // version names a protocol nobody defined (BSI TR-03105-5.1 LDS_F_06).
        if !(1..=3).contains(&version) {
            return Err(SecurityInfoError::UnsupportedVersion {
                offset: version_tlv.value_offset,
                version,
            });
        }
        let key_id = r
            .read_optional(tags::INTEGER)?
            .map(|t| uint(&t))
            .transpose()?;
        r.clone().finish()?;
        Ok(Self {
            protocol,
            version,
            key_id,
        })
    }
}

/// ```text
/// ChipAuthenticationDomainParameterInfo ::= SEQUENCE {   -- BSI TR-03110-3 §A.1.1.2
///     protocol        OBJECT IDENTIFIER(id-CA-DH | id-CA-ECDH),
///     domainParameter AlgorithmIdentifier,
///     keyId           INTEGER OPTIONAL
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ChipAuthenticationDomainParameterInfo {
    /// DH or ECDH.
    pub key_agreement: KeyAgreement,
    /// The domain parameters.
    pub domain_parameter: AlgorithmIdentifier,
    /// Which key these parameters belong to.
    pub key_id: Option<u64>,
}

impl ChipAuthenticationDomainParameterInfo {
    pub(crate) fn parse_rest(
        key_agreement: KeyAgreement,
        r: &mut Reader<'_>,
    ) -> Result<Self, SecurityInfoError> {
        let domain_parameter = AlgorithmIdentifier::parse(&r.read_tag(tags::SEQUENCE)?)?;
        let key_id = r
            .read_optional(tags::INTEGER)?
            .map(|t| uint(&t))
            .transpose()?;
        r.clone().finish()?;
        Ok(Self {
            key_agreement,
            domain_parameter,
            key_id,
        })
    }
}

/// ```text
/// ChipAuthenticationPublicKeyInfo ::= SEQUENCE {   -- ICAO 9303-11 §9.2.6
///     protocol                   OBJECT IDENTIFIER(id-PK-DH | id-PK-ECDH),
///     chipAuthenticationPublicKey SubjectPublicKeyInfo,
///     keyId                      INTEGER OPTIONAL
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ChipAuthenticationPublicKeyInfo {
    /// `id-PK-DH` or `id-PK-ECDH`.
    pub key_agreement: KeyAgreement,
    /// The chip's static key.
    pub public_key: SubjectPublicKeyInfo,
    /// Links this key to a ChipAuthenticationInfo's `keyId`.
    pub key_id: Option<u64>,
}

impl ChipAuthenticationPublicKeyInfo {
    pub(crate) fn parse_rest(
        key_agreement: KeyAgreement,
        r: &mut Reader<'_>,
    ) -> Result<Self, SecurityInfoError> {
        let public_key = SubjectPublicKeyInfo::parse(&r.read_tag(tags::SEQUENCE)?)?;
        let key_id = r
            .read_optional(tags::INTEGER)?
            .map(|t| uint(&t))
            .transpose()?;
        r.clone().finish()?;
        Ok(Self {
            key_agreement,
            public_key,
            key_id,
        })
    }

    /// The `id-PK-*` protocol OID.
    pub fn protocol(&self) -> ObjectIdentifier {
        match self.key_agreement {
            KeyAgreement::Dh => oid::ID_PK_DH,
            KeyAgreement::Ecdh => oid::ID_PK_ECDH,
        }
    }
}
