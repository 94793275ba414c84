//! SecurityInfos: the protocols a chip offers, as found in EF.CardAccess, DG14 and the signed
//! content of EF.CardSecurity (ICAO 9303-11 §9.2, BSI TR-03110-3 §A.1).
//!
//! ```text
//! SecurityInfos ::= SET OF SecurityInfo
//!
//! SecurityInfo ::= SEQUENCE {
//!     protocol     OBJECT IDENTIFIER,
//!     requiredData ANY DEFINED BY protocol,
//!     optionalData ANY DEFINED BY protocol OPTIONAL
//! }
//! ```
//!
//! The SET is kept in the order the chip stores it (a DER decoder would re-sort it), so the raw
//! file bytes, the hash in the SOD and this list all describe the same thing. Infos whose
//! protocol we do not know are kept raw ([`UnknownSecurityInfo`]). Each kind of info has its own
//! module ([`crate::lds::pace_info`], [`crate::lds::chip_authentication_info`], ...); they are
//! re-exported here so the older paths keep working.
//!
//! ```
//! use cccd::lds::security_info::{Cipher, KeyAgreement, Mapping, SecurityInfo, SecurityInfos};
//! // EF.CardAccess of a real CCCD (DESIGN.md §1).
//! let bytes = hex::decode(
//!     "3134300d060804007f0007020202020101300f060a04007f000702020302020201013012060a04007f\
//!      0007020204020202010202010d",
//! ).unwrap();
//! let infos = SecurityInfos::parse(&bytes).unwrap();
//! let pace = infos.pace_infos().next().unwrap();
//! assert_eq!(pace.protocol.key_agreement, KeyAgreement::Ecdh);
//! assert_eq!(pace.protocol.mapping, Mapping::Generic);
//! assert_eq!(pace.protocol.cipher, Cipher::AesCbcCmac128);
//! assert_eq!(pace.parameter_id, Some(13));
//! ```

#[cfg(feature = "serde")]
use crate::pki::serde_util;
use const_oid::ObjectIdentifier;

use crate::files::ElementaryFile;
use crate::lds::{Fault, LdsError};
use crate::pki::oid;
use crate::pki::spki::oid_value;
use crate::tlv::{tags, Reader, Tlv};

pub use crate::crypto::domain::StandardizedDomainParameters;
pub use crate::lds::active_authentication_info::ActiveAuthenticationInfo;
pub use crate::lds::chip_authentication_info::{
    ChipAuthenticationDomainParameterInfo, ChipAuthenticationInfo, ChipAuthenticationPublicKeyInfo,
};
pub use crate::lds::pace_info::{PaceDomainParameterInfo, PaceInfo};
pub use crate::lds::protocol::{
    ChipAuthenticationProtocol, Cipher, KeyAgreement, Mapping, PaceProtocol,
};
pub use crate::lds::terminal_authentication_info::{FileId, TerminalAuthenticationInfo};
pub use crate::pki::algorithm::AlgorithmIdentifier;
use crate::pki::spki::SecurityInfoError;
pub use crate::pki::spki::{
    DhPublicKey, EcParameters, EcPublicKey, ExplicitEcParameters, PublicKey, RsaPublicKey,
    SubjectPublicKeyInfo,
};

use crate::lds::protocol::{
    bsi_oid, bsi_suffix, key_agreement_arc, key_agreement_from_arc, pace_family, pace_family_arc,
    ARC_CA, ARC_PACE, ARC_PK,
};

/// The parsed contents of EF.CardAccess, DG14 or EF.CardSecurity's signed content.
///
/// ```text
/// SecurityInfos ::= SET OF SecurityInfo     -- ICAO 9303-11 §9.2
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SecurityInfos {
    /// Every SecurityInfo, in the order the chip stores them.
    pub infos: Vec<SecurityInfo>,
}

impl SecurityInfos {
    /// Parses a DER `SET OF SecurityInfo` spanning all of `bytes`: EF.CardAccess is exactly
    /// this, and errors name it (DG14 wraps the SET in tag `6E`, see [`crate::lds::dg14`]).
    pub fn parse(bytes: &[u8]) -> Result<Self, LdsError> {
        Self::parse_in(ElementaryFile::CardAccess, bytes)
    }

    /// [`Self::parse`] for a SET held by `file` (EF.CardSecurity's signed content).
    pub(crate) fn parse_in(file: ElementaryFile, bytes: &[u8]) -> Result<Self, LdsError> {
        let parse = || -> Result<Self, SecurityInfoError> {
            let mut outer = Reader::new(bytes);
            let set = outer.read_tag(tags::SET)?;
            outer.finish()?;
            Self::parse_set(&set)
        };
        parse().map_err(|e| Fault::from(e).in_file(file))
    }

    /// Parses the elements of an already-located `SET` (used by DG14 to keep offsets
    /// absolute within the file).
    pub(crate) fn parse_set(set: &Tlv<'_>) -> Result<Self, SecurityInfoError> {
        let mut infos = Vec::new();
        let mut r = set.children();
        while !r.is_empty() {
            let seq = r.read_tag(tags::SEQUENCE)?;
            infos.push(SecurityInfo::parse(&seq)?);
        }
        Ok(Self { infos })
    }

    /// Every PaceInfo, in card order.
    pub fn pace_infos(&self) -> impl Iterator<Item = &PaceInfo> {
        self.infos.iter().filter_map(|i| match i {
            SecurityInfo::Pace(p) => Some(p),
            _ => None,
        })
    }

    /// Every ChipAuthenticationInfo, in card order.
    pub fn chip_authentication_infos(&self) -> impl Iterator<Item = &ChipAuthenticationInfo> {
        self.infos.iter().filter_map(|i| match i {
            SecurityInfo::ChipAuthentication(c) => Some(c),
            _ => None,
        })
    }

    /// Every ChipAuthenticationPublicKeyInfo, in card order.
    pub fn chip_authentication_public_keys(
        &self,
    ) -> impl Iterator<Item = &ChipAuthenticationPublicKeyInfo> {
        self.infos.iter().filter_map(|i| match i {
            SecurityInfo::ChipAuthenticationPublicKey(c) => Some(c.as_ref()),
            _ => None,
        })
    }

    /// The ActiveAuthenticationInfo, if the chip names its AA signature algorithm.
    pub fn active_authentication(&self) -> Option<&ActiveAuthenticationInfo> {
        self.infos.iter().find_map(|i| match i {
            SecurityInfo::ActiveAuthentication(a) => Some(a),
            _ => None,
        })
    }
}

/// One SecurityInfo, typed by its protocol OID.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum SecurityInfo {
    /// `PACEInfo`.
    Pace(PaceInfo),
    /// `PACEDomainParameterInfo`.
    PaceDomainParameter(PaceDomainParameterInfo),
    /// `ChipAuthenticationInfo`.
    ChipAuthentication(ChipAuthenticationInfo),
    /// `ChipAuthenticationDomainParameterInfo`.
    ChipAuthenticationDomainParameter(ChipAuthenticationDomainParameterInfo),
    /// `ChipAuthenticationPublicKeyInfo` (boxed: a key is much larger than the other infos).
    ChipAuthenticationPublicKey(Box<ChipAuthenticationPublicKeyInfo>),
    /// `TerminalAuthenticationInfo`.
    TerminalAuthentication(TerminalAuthenticationInfo),
    /// `ActiveAuthenticationInfo`.
    ActiveAuthentication(ActiveAuthenticationInfo),
    /// `EFDIRInfo`.
    EfDir(EfDirInfo),
    /// Any other protocol, kept raw.
    Unknown(UnknownSecurityInfo),
}

impl SecurityInfo {
    /// Parses one `SecurityInfo` SEQUENCE.
    pub(crate) fn parse(seq: &Tlv<'_>) -> Result<Self, SecurityInfoError> {
        let mut r = seq.children();
        let oid_tlv = r.read_tag(tags::OID)?;
        let protocol = oid_value(&oid_tlv)?;
        let info = if let Some(p) = PaceProtocol::from_oid(&protocol) {
            Self::Pace(PaceInfo::parse_rest(p, &mut r)?)
        } else if let Some(p) = ChipAuthenticationProtocol::from_oid(&protocol) {
            Self::ChipAuthentication(ChipAuthenticationInfo::parse_rest(p, &mut r)?)
        } else if let Some([ARC_PACE, family]) = bsi_suffix(&protocol) {
            match pace_family(*family) {
                Some((key_agreement, mapping)) => Self::PaceDomainParameter(
                    PaceDomainParameterInfo::parse_rest(key_agreement, mapping, &mut r)?,
                ),
                None => Self::Unknown(UnknownSecurityInfo::new(protocol, seq, r)),
            }
        } else if let Some([ARC_CA, ka]) = bsi_suffix(&protocol) {
            match key_agreement_from_arc(*ka) {
                Some(key_agreement) => Self::ChipAuthenticationDomainParameter(
                    ChipAuthenticationDomainParameterInfo::parse_rest(key_agreement, &mut r)?,
                ),
                None => Self::Unknown(UnknownSecurityInfo::new(protocol, seq, r)),
            }
        } else if protocol == oid::ID_PK_DH || protocol == oid::ID_PK_ECDH {
            let key_agreement = if protocol == oid::ID_PK_DH {
                KeyAgreement::Dh
            } else {
                KeyAgreement::Ecdh
            };
            Self::ChipAuthenticationPublicKey(Box::new(
                ChipAuthenticationPublicKeyInfo::parse_rest(key_agreement, &mut r)?,
            ))
        } else if let Some([ARC_PK, _]) = bsi_suffix(&protocol) {
            // A key info under id-PK of no defined protocol: not an unknown SecurityInfo to
            // skip, but the chip's key in a form nobody defined (BSI TR-03105-5.1 LDS_F_04).
            return Err(SecurityInfoError::UndefinedPublicKeyProtocol {
                offset: oid_tlv.value_offset,
                protocol,
            });
        } else if protocol == oid::ID_TA {
            Self::TerminalAuthentication(TerminalAuthenticationInfo::parse_rest(&mut r)?)
        } else if protocol == oid::ID_AA {
            Self::ActiveAuthentication(ActiveAuthenticationInfo::parse_rest(&mut r)?)
        } else if protocol == oid::ID_EF_DIR {
            let ef_dir = r.read_tag(tags::OCTET_STRING)?.value.to_vec();
            r.finish()?;
            Self::EfDir(EfDirInfo { ef_dir })
        } else {
            Self::Unknown(UnknownSecurityInfo::new(protocol, seq, r))
        };
        Ok(info)
    }

    /// The protocol OID, for every variant.
    pub fn protocol(&self) -> ObjectIdentifier {
        match self {
            Self::Pace(p) => p.protocol.oid(),
            Self::PaceDomainParameter(p) => {
                bsi_oid(&[ARC_PACE, pace_family_arc(p.key_agreement, p.mapping)])
            }
            Self::ChipAuthentication(c) => c.protocol.oid(),
            Self::ChipAuthenticationDomainParameter(c) => {
                bsi_oid(&[ARC_CA, key_agreement_arc(c.key_agreement)])
            }
            Self::ChipAuthenticationPublicKey(c) => match c.key_agreement {
                KeyAgreement::Dh => oid::ID_PK_DH,
                KeyAgreement::Ecdh => oid::ID_PK_ECDH,
            },
            Self::TerminalAuthentication(_) => oid::ID_TA,
            Self::ActiveAuthentication(_) => oid::ID_AA,
            Self::EfDir(_) => oid::ID_EF_DIR,
            Self::Unknown(u) => u.protocol,
        }
    }
}

/// ```text
/// EFDIRInfo ::= SEQUENCE {                     -- ICAO 9303-11 §9.2.11
///     protocol OBJECT IDENTIFIER(id-EFDIR),
///     eFDIR    OCTET STRING
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct EfDirInfo {
    /// The contents of EF.DIR, raw.
    #[cfg_attr(feature = "serde", serde(serialize_with = "serde_util::hex"))]
    pub ef_dir: Vec<u8>,
}

/// A SecurityInfo whose protocol we do not interpret (Restricted Identification, CardInfo,
/// PACE-CAM's Chip Authentication v3, ...), kept byte for byte.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct UnknownSecurityInfo {
    /// The protocol OID.
    #[cfg_attr(feature = "serde", serde(serialize_with = "serde_util::oid"))]
    pub protocol: ObjectIdentifier,
    /// The DER of `requiredData` and `optionalData`, as on the card.
    #[cfg_attr(feature = "serde", serde(serialize_with = "serde_util::hex"))]
    pub data: Vec<u8>,
    /// The whole `SecurityInfo` SEQUENCE, as on the card.
    #[cfg_attr(feature = "serde", serde(serialize_with = "serde_util::hex"))]
    pub raw: Vec<u8>,
}

impl UnknownSecurityInfo {
    fn new(protocol: ObjectIdentifier, seq: &Tlv<'_>, rest: Reader<'_>) -> Self {
        Self {
            protocol,
            data: rest.remaining().to_vec(),
            raw: seq.raw.to_vec(),
        }
    }
}
