//! TerminalAuthenticationInfo: the chip supports terminal authentication, and where EF.CVCA
//! is (ICAO 9303-11 §9.2.7, BSI TR-03110-3 §A.1.1.3).

use crate::pki::spki::{uint, SecurityInfoError};
use crate::tlv::{tags, Reader, Tlv};

/// ```text
/// TerminalAuthenticationInfo ::= SEQUENCE {    -- ICAO 9303-11 §9.2.7
///     protocol OBJECT IDENTIFIER(id-TA),
///     version  INTEGER, -- MUST be 1 for TAv1 or 2 for TAv2
///     efCVCA   FileID OPTIONAL -- MUST NOT be used for version 2
/// }
/// FileID ::= SEQUENCE {
///     fid  OCTET STRING (SIZE(2)),
///     sfid OCTET STRING (SIZE(1)) OPTIONAL
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct TerminalAuthenticationInfo {
    /// 1 (TAv1) or 2 (TAv2).
    pub version: u64,
    /// Where EF.CVCA is, when not at its default place.
    pub ef_cvca: Option<FileId>,
}

impl TerminalAuthenticationInfo {
    pub(crate) fn parse_rest(r: &mut Reader<'_>) -> Result<Self, SecurityInfoError> {
        let version = uint(&r.read_tag(tags::INTEGER)?)?;
        let ef_cvca = match r.read_optional(tags::SEQUENCE)? {
            Some(seq) => Some(FileId::parse(&seq)?),
            None => None,
        };
        r.clone().finish()?;
        Ok(Self { version, ef_cvca })
    }
}

/// A file identifier and optional short file identifier (`FileID`, BSI TR-03110-3 §A.1.1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FileId {
    /// The 2-byte file identifier.
    pub fid: u16,
    /// The short file identifier.
    pub sfid: Option<u8>,
}

impl FileId {
    fn parse(seq: &Tlv<'_>) -> Result<Self, SecurityInfoError> {
        let mut r = seq.children();
        let fid_tlv = r.read_tag(tags::OCTET_STRING)?;
        let fid = match fid_tlv.value {
            [hi, lo] => u16::from_be_bytes([*hi, *lo]),
            _ => {
                return Err(SecurityInfoError::InvalidValue {
                    offset: fid_tlv.value_offset,
                    what: "a 2-byte file identifier",
                })
            }
        };
        let sfid = match r.read_optional(tags::OCTET_STRING)? {
            Some(t) => Some(t.as_u8()?),
            None => None,
        };
        r.finish()?;
        Ok(Self { fid, sfid })
    }
}
