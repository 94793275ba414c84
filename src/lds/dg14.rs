//! DG14: the SecurityInfos for chip authentication, PACE and Active Authentication's
//! algorithm (ICAO 9303-10 §4.7.14, ICAO 9303-11 §9.2).
//!
//! ```text
//! DG14 ::= [APPLICATION 14] SecurityInfos      -- tag 6E, ICAO 9303-10 §4.7.14
//! ```
//!
//! ```
//! use cccd::lds::dg14::Dg14;
//! use cccd::lds::security_info::SecurityInfo;
//! // 6E { 31 { 30 { OID id-TA, INTEGER 1 } } }
//! let dg14 = Dg14::parse(&hex::decode("6e11310f300d060804007f0007020202020101").unwrap())
//!     .unwrap();
//! match &dg14.security_infos.infos[..] {
//!     [SecurityInfo::TerminalAuthentication(ta)] => assert_eq!(ta.version, 1),
//!     other => panic!("{other:?}"),
//! }
//! // A length pointing past the end is an error, never a panic.
//! assert!(Dg14::parse(&hex::decode("6e12310f300d060804007f0007020202020101").unwrap()).is_err());
//! ```

use crate::files::ElementaryFile;
use crate::lds::security_info::SecurityInfos;
use crate::lds::{Fault, LdsError};
use crate::tlv::tags::SET as TAG_SET;
use crate::tlv::{Reader, Tag};

/// The DG14 file tag.
pub const TAG_DG14: Tag = Tag(0x6E);

/// DG14, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Dg14 {
    /// The SecurityInfos, in the order the chip stores them.
    pub security_infos: SecurityInfos,
}

impl Dg14 {
    /// Parses the whole file (tag `6E`). Offsets in errors count from the file's first byte.
    pub fn parse(bytes: &[u8]) -> Result<Self, LdsError> {
        Self::parse_fields(bytes).map_err(|f| f.in_file(ElementaryFile::Dg(14)))
    }

    fn parse_fields(bytes: &[u8]) -> Result<Self, Fault> {
        let mut file = Reader::new(bytes);
        let dg = file.read_tag(TAG_DG14)?;
        file.finish()?;
        let mut inner = dg.children();
        let set = inner.read_tag(TAG_SET)?;
        inner.finish()?;
        Ok(Self {
            security_infos: SecurityInfos::parse_set(&set)?,
        })
    }
}
