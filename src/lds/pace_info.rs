//! The PACE infos of a SecurityInfos set: which PACE protocol and domain parameters a chip
//! offers (ICAO 9303-11 §9.2.1, §9.2.2).

use crate::crypto::domain::StandardizedDomainParameters;
use crate::lds::protocol::{KeyAgreement, Mapping, PaceProtocol};
use crate::pki::algorithm::AlgorithmIdentifier;
use crate::pki::spki::{uint, SecurityInfoError};
use crate::tlv::{tags, Reader};

/// ```text
/// PACEInfo ::= SEQUENCE {                      -- ICAO 9303-11 §9.2.1
///     protocol    OBJECT IDENTIFIER(id-PACE-DH-GM-3DES-CBC-CBC | ... ),
///     version     INTEGER, -- SHOULD be 2
///     parameterId INTEGER OPTIONAL
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PaceInfo {
    /// The decomposed protocol OID.
    pub protocol: PaceProtocol,
    /// The PACE version (2 on current chips).
    pub version: u64,
    /// The domain parameters: a standardized id (see
    /// [`PaceInfo::standardized_domain_parameters`]) or a `PACEDomainParameterInfo` id.
    pub parameter_id: Option<u64>,
}

impl PaceInfo {
    pub(crate) fn parse_rest(
        protocol: PaceProtocol,
        r: &mut Reader<'_>,
    ) -> Result<Self, SecurityInfoError> {
        let version = uint(&r.read_tag(tags::INTEGER)?)?;
        let parameter_id = r
            .read_optional(tags::INTEGER)?
            .map(|t| uint(&t))
            .transpose()?;
        r.clone().finish()?;
        Ok(Self {
            protocol,
            version,
            parameter_id,
        })
    }

    /// The named standardized domain parameters, when `parameterId` is one of ICAO 9303-11
    /// §9.5.1's ids (0..=2, 8..=18).
    pub fn standardized_domain_parameters(&self) -> Option<StandardizedDomainParameters> {
        self.parameter_id
            .and_then(StandardizedDomainParameters::from_id)
    }
}

/// ```text
/// PACEDomainParameterInfo ::= SEQUENCE {       -- ICAO 9303-11 §9.2.2
///     protocol        OBJECT IDENTIFIER(id-PACE-DH-GM | id-PACE-ECDH-GM | id-PACE-DH-IM |
///                                       id-PACE-ECDH-IM | id-PACE-ECDH-CAM),
///     domainParameter AlgorithmIdentifier,
///     parameterId     INTEGER OPTIONAL
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PaceDomainParameterInfo {
    /// DH or ECDH.
    pub key_agreement: KeyAgreement,
    /// The mapping.
    pub mapping: Mapping,
    /// The explicit domain parameters.
    pub domain_parameter: AlgorithmIdentifier,
    /// Links this info to a PaceInfo's `parameterId`.
    pub parameter_id: Option<u64>,
}

impl PaceDomainParameterInfo {
    pub(crate) fn parse_rest(
        key_agreement: KeyAgreement,
        mapping: Mapping,
        r: &mut Reader<'_>,
    ) -> Result<Self, SecurityInfoError> {
        let domain_parameter = AlgorithmIdentifier::parse(&r.read_tag(tags::SEQUENCE)?)?;
        let parameter_id = r
            .read_optional(tags::INTEGER)?
            .map(|t| uint(&t))
            .transpose()?;
        r.clone().finish()?;
        Ok(Self {
            key_agreement,
            mapping,
            domain_parameter,
            parameter_id,
        })
    }
}
