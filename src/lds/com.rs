//! EF.COM (ICAO 9303-10 §4.6.1): the LDS version, the Unicode version and the list of data
//! groups present.
//!
//! ```text
//! ICAO 9303-10 §4.6.1, Table 34
//! 60 L                 EF.COM
//!    5F01 04 "0107"    LDS version "aabb": version aa, update bb
//!    5F36 06 "040000"  Unicode version "aabbcc"
//!    5C L  61 75 ...   tag list: the tags of the data groups present
//! ```
//!
//! ```
//! use cccd::lds::{DataGroup, EfCom};
//! let bytes = hex::decode("60165F0104303130375F36063034303030305C0461756D6E").unwrap();
//! let com = EfCom::parse(&bytes).unwrap();
//! assert_eq!(com.lds_version, "0107");
//! assert_eq!(com.data_groups, [DataGroup::Dg1, DataGroup::Dg2, DataGroup::Dg13, DataGroup::Dg14]);
//! ```

use super::{outer, Fault, LdsError, LdsErrorKind};
use crate::files::ElementaryFile;
use crate::tlv::{Tag, Tlv};

/// Tag of EF.COM.
pub const TAG_COM: u32 = 0x60;
/// LDS version number, `aabb`.
pub const TAG_LDS_VERSION: u32 = 0x5F01;
/// Unicode version number, `aabbcc`.
pub const TAG_UNICODE_VERSION: u32 = 0x5F36;
/// The list of data-group tags.
pub const TAG_TAG_LIST: u32 = 0x5C;

/// The parsed EF.COM.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct EfCom {
    /// `aabb`, e.g. `0107` for LDS 1.7 (four digits, as stored).
    pub lds_version: String,
    /// `aabbcc`, e.g. `040000` for Unicode 4.0.0 (six digits, as stored).
    pub unicode_version: String,
    /// The data groups the tag list names, in its order. Tags that are not DG1..DG16 are kept
    /// in [`EfCom::unknown_tags`].
    pub data_groups: Vec<DataGroup>,
    /// Tags in the tag list that name no data group (kept, not an error: a chip's quirk must
    /// not stop the read).
    pub unknown_tags: Vec<u8>,
}

impl EfCom {
    /// Parses EF.COM. The LDS version must be 4 digits and the Unicode version 6 digits; the
    /// tag list may be empty; unknown elements after the tag list are an error (trailing
    /// data).
    pub fn parse(bytes: &[u8]) -> Result<Self, LdsError> {
        Self::parse_fields(bytes).map_err(|f| f.in_file(ElementaryFile::Com))
    }

    fn parse_fields(bytes: &[u8]) -> Result<Self, Fault> {
        let com = outer(bytes, TAG_COM)?;
        let mut r = com.children();
        let lds = r.read_tag(Tag(TAG_LDS_VERSION))?;
        let unicode = r.read_tag(Tag(TAG_UNICODE_VERSION))?;
        let list = r.read_tag(Tag(TAG_TAG_LIST))?;
        r.finish()?;
        let lds_version = digits(&lds, 4, "LDS version")?;
        let unicode_version = digits(&unicode, 6, "Unicode version")?;
        let mut data_groups = Vec::new();
        let mut unknown_tags = Vec::new();
        for (i, &t) in list.value.iter().enumerate() {
            match DataGroup::from_tag(t) {
                Some(dg) if data_groups.contains(&dg) => {
                    return Err(Fault::new(
                        LdsErrorKind::Duplicate {
                            field: "tag list entry",
                            number: u32::from(t),
                        },
                        list.value_offset + i,
                    ))
                }
                Some(dg) => data_groups.push(dg),
                None => unknown_tags.push(t),
            }
        }
        Ok(Self {
            lds_version,
            unicode_version,
            data_groups,
            unknown_tags,
        })
    }

    /// True when the tag list names `dg`.
    pub fn contains(&self, dg: DataGroup) -> bool {
        self.data_groups.contains(&dg)
    }
}

fn digits(tlv: &Tlv<'_>, len: usize, field: &'static str) -> Result<String, Fault> {
    let value = tlv.value;
    if value.len() != len || !value.iter().all(u8::is_ascii_digit) {
        return Err(Fault::new(
            LdsErrorKind::Invalid {
                field,
                reason: "not the expected number of ASCII digits",
            },
            tlv.value_offset,
        ));
    }
    Ok(value.iter().map(|&b| char::from(b)).collect())
}

/// The sixteen data groups (ICAO 9303-10 §4.6, Table 35 for tags, §3.10 for FIDs and SFIs).
/// In JSON (feature `serde`) as the specification names them: `DG1` .. `DG16`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[allow(missing_docs)] // DG1..DG16: the names are the documentation.
pub enum DataGroup {
    #[cfg_attr(feature = "serde", serde(rename = "DG1"))]
    Dg1,
    #[cfg_attr(feature = "serde", serde(rename = "DG2"))]
    Dg2,
    #[cfg_attr(feature = "serde", serde(rename = "DG3"))]
    Dg3,
    #[cfg_attr(feature = "serde", serde(rename = "DG4"))]
    Dg4,
    #[cfg_attr(feature = "serde", serde(rename = "DG5"))]
    Dg5,
    #[cfg_attr(feature = "serde", serde(rename = "DG6"))]
    Dg6,
    #[cfg_attr(feature = "serde", serde(rename = "DG7"))]
    Dg7,
    #[cfg_attr(feature = "serde", serde(rename = "DG8"))]
    Dg8,
    #[cfg_attr(feature = "serde", serde(rename = "DG9"))]
    Dg9,
    #[cfg_attr(feature = "serde", serde(rename = "DG10"))]
    Dg10,
    #[cfg_attr(feature = "serde", serde(rename = "DG11"))]
    Dg11,
    #[cfg_attr(feature = "serde", serde(rename = "DG12"))]
    Dg12,
    #[cfg_attr(feature = "serde", serde(rename = "DG13"))]
    Dg13,
    #[cfg_attr(feature = "serde", serde(rename = "DG14"))]
    Dg14,
    #[cfg_attr(feature = "serde", serde(rename = "DG15"))]
    Dg15,
    #[cfg_attr(feature = "serde", serde(rename = "DG16"))]
    Dg16,
}

impl DataGroup {
    /// All sixteen, in order.
    pub const ALL: [DataGroup; 16] = [
        Self::Dg1,
        Self::Dg2,
        Self::Dg3,
        Self::Dg4,
        Self::Dg5,
        Self::Dg6,
        Self::Dg7,
        Self::Dg8,
        Self::Dg9,
        Self::Dg10,
        Self::Dg11,
        Self::Dg12,
        Self::Dg13,
        Self::Dg14,
        Self::Dg15,
        Self::Dg16,
    ];

    /// The data group number, 1..=16.
    pub fn number(self) -> u8 {
        match self {
            Self::Dg1 => 1,
            Self::Dg2 => 2,
            Self::Dg3 => 3,
            Self::Dg4 => 4,
            Self::Dg5 => 5,
            Self::Dg6 => 6,
            Self::Dg7 => 7,
            Self::Dg8 => 8,
            Self::Dg9 => 9,
            Self::Dg10 => 10,
            Self::Dg11 => 11,
            Self::Dg12 => 12,
            Self::Dg13 => 13,
            Self::Dg14 => 14,
            Self::Dg15 => 15,
            Self::Dg16 => 16,
        }
    }

    /// The data group with this number.
    pub fn from_number(n: u8) -> Option<Self> {
        Self::ALL.get(usize::from(n).checked_sub(1)?).copied()
    }

    /// The file's outer tag: 61 75 63 76 65 66 67 68 69 6A 6B 6C 6D 6E 6F 70.
    pub fn tag(self) -> u8 {
        match self {
            Self::Dg1 => 0x61,
            Self::Dg2 => 0x75,
            Self::Dg3 => 0x63,
            Self::Dg4 => 0x76,
            Self::Dg5 => 0x65,
            Self::Dg6 => 0x66,
            Self::Dg7 => 0x67,
            Self::Dg8 => 0x68,
            Self::Dg9 => 0x69,
            Self::Dg10 => 0x6A,
            Self::Dg11 => 0x6B,
            Self::Dg12 => 0x6C,
            Self::Dg13 => 0x6D,
            Self::Dg14 => 0x6E,
            Self::Dg15 => 0x6F,
            Self::Dg16 => 0x70,
        }
    }

    /// The data group whose file has this outer tag.
    pub fn from_tag(tag: u8) -> Option<Self> {
        Self::ALL.into_iter().find(|dg| dg.tag() == tag)
    }

    /// The file identifier, `01nn` with nn the number (`0101`..`0110`).
    pub fn fid(self) -> u16 {
        0x0100 | u16::from(self.number())
    }

    /// The short file identifier: the number (`01`..`10`).
    pub fn sfi(self) -> u8 {
        self.number()
    }
}

impl core::fmt::Display for DataGroup {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "DG{}", self.number())
    }
}
