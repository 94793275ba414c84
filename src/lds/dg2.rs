//! DG2: the encoded face (ICAO 9303-10 §4.7.2), in its CBEFF wrapper (ISO/IEC 7816-11).
//!
//! ```text
//! 75 DG2
//!   7F61 Biometric Information Group Template
//!     02   number of instances
//!     7F60 Biometric Information Template (one per instance)
//!       A1   Biometric Header Template: 80 ICAO header version, 81 biometric type,
//!            82 subtype, 83 creation date, 85 validity period, 86 creator,
//!            87 format owner, 88 format type
//!       5F2E Biometric Data Block: ISO/IEC 19794-5:2005 facial record ("FAC\0" ...)
//!       7F2E Biometric Data Block, constructed: ISO/IEC 39794-5 FaceImageDataBlock
//! ```
//!
//! Every length is read from the data and checked against what remains; no offset is fixed.
//! The encoding of a data block is chosen by its content: `FAC\0` is ISO/IEC 19794-5, anything
//! else is parsed as ISO/IEC 39794-5 (newer documents put it under `7F2E`, some under `5F2E`).
//!
//! ```
//! use cccd::lds::dg2::{Dg2, ImageFormat};
//! let bytes = std::fs::read(concat!(
//!     env!("CARGO_MANIFEST_DIR"),
//!     "/../shared/test-data/bsi-tr03105-5/Datagroup2.bin"
//! )).unwrap();
//! let dg2 = Dg2::parse(&bytes).unwrap();
//! let faces = dg2.face_images();
//! assert_eq!(faces.len(), 1);
//! assert_eq!(faces[0].format, ImageFormat::Jpeg2000);
//! ```

pub mod iso19794_5;
pub mod iso39794_5;

#[cfg(feature = "image")]
pub mod image;

use thiserror::Error;

use crate::files::ElementaryFile;
use crate::lds::{Fault, LdsError, LdsErrorKind};
use crate::tlv::{Reader, Tag, Tlv, TlvError};

pub use iso19794_5::{FaceRecord, FacialInformation, FacialRecord, FeaturePoint, ImageInformation};
pub use iso39794_5::{FaceImageDataBlock, RepresentationBlock, VersionBlock};

#[cfg(feature = "image")]
pub use self::image::{DecodedImage, MAX_IMAGE_DIMENSION};

/// The DG2 file tag.
pub const TAG_DG2: Tag = Tag(0x75);
/// Biometric Information Group Template.
pub const TAG_BIOMETRIC_INFORMATION_GROUP: Tag = Tag(0x7F61);
/// Number of instances, inside the group template.
pub const TAG_BIOMETRIC_INFORMATION_COUNT: Tag = Tag(0x02);
/// Biometric Information Template.
pub const TAG_BIOMETRIC_INFORMATION: Tag = Tag(0x7F60);
/// Biometric Header Template (first, and usual, tag of the context-specific range A1..AF).
pub const TAG_BIOMETRIC_HEADER: Tag = Tag(0xA1);
/// Biometric Data Block, primitive (ISO/IEC 19794-5).
pub const TAG_BIOMETRIC_DATA: Tag = Tag(0x5F2E);
/// Biometric Data Block, constructed (ISO/IEC 39794-5).
pub const TAG_BIOMETRIC_DATA_CONSTRUCTED: Tag = Tag(0x7F2E);
/// Secure Messaging Template (ISO/IEC 7816-11): a protected BIT, which no eMRTD uses.
pub const TAG_SECURE_MESSAGING_TEMPLATE: Tag = Tag(0x7D);

/// A face image that cannot be decoded or re-encoded ([`FaceImage::decode`], feature
/// `image`). Parsing DG2 itself fails with [`LdsError`].
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ImageError {
    /// The image claims more pixels than `MAX_IMAGE_DIMENSION` (4096, feature `image`)
    /// allows in either direction.
    #[error("image of {width}x{height} exceeds the decoding limit")]
    ImageTooLarge {
        /// Claimed width.
        width: u32,
        /// Claimed height.
        height: u32,
    },
    /// The image bytes are not a format we decode (or its feature is off).
    #[error("unsupported image format: {0}")]
    UnsupportedImageFormat(&'static str),
    /// The image decoder or encoder failed (its message; image bytes carry no text we log).
    #[error("image codec error: {0}")]
    Codec(String),
    /// The image decoder panicked on these bytes (a decoder bug, contained: see
    /// [`FaceImage::decode`]); the name of the codec.
    #[error("the {0} decoder failed on malformed data")]
    DecoderPanicked(&'static str),
}

/// DG2, parsed.
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Dg2 {
    /// One entry per Biometric Information Template, in file order.
    pub instances: Vec<BiometricInformation>,
}

impl core::fmt::Debug for Dg2 {
    // Biometric data and the holder's attributes: only the shape of the file.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Dg2")
            .field("instances", &self.instances.len())
            .field("images", &self.face_images())
            .finish()
    }
}

impl Dg2 {
    /// Parses the whole file (tag `75`). Offsets in errors count from the file's first byte.
    pub fn parse(bytes: &[u8]) -> Result<Self, LdsError> {
        Self::parse_fields(bytes).map_err(|f| f.in_file(ElementaryFile::Dg(2)))
    }

    fn parse_fields(bytes: &[u8]) -> Result<Self, Fault> {
        let mut file = Reader::new(bytes);
        let dg = file.read_tag(TAG_DG2)?;
        file.finish()?;
        let mut dg_r = dg.children();
        let group = dg_r.read_tag(TAG_BIOMETRIC_INFORMATION_GROUP)?;
        dg_r.finish()?;
        let mut r = group.children();
        let count_tlv = r.read_tag(TAG_BIOMETRIC_INFORMATION_COUNT)?;
        let declared = count_tlv.as_uint()?;
        let mut instances = Vec::new();
        while !r.is_empty() {
            let bit = r.read_tag(TAG_BIOMETRIC_INFORMATION)?;
            instances.push(BiometricInformation::parse(&bit)?);
        }
        if u64::try_from(instances.len()).ok() != Some(declared) {
            return Err(Fault::new(
                LdsErrorKind::InstanceCount {
                    declared,
                    found: instances.len(),
                },
                count_tlv.offset,
            ));
        }
        Ok(Self { instances })
    }

    /// Every face image, in file order (one record may hold several).
    pub fn face_images(&self) -> Vec<&FaceImage> {
        let mut out = Vec::new();
        for instance in &self.instances {
            match &instance.data {
                BiometricData::Iso19794_5(record) => {
                    out.extend(record.faces.iter().map(|f| &f.image));
                }
                BiometricData::Iso39794_5(block) => {
                    out.extend(
                        block
                            .representations
                            .iter()
                            .filter_map(|r| r.image.as_ref()),
                    );
                }
            }
        }
        out
    }
}

/// One Biometric Information Template (`7F60`): a header and a data block. `Debug` shows the
/// shape only.
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct BiometricInformation {
    /// The Biometric Header Template.
    pub header: BiometricHeader,
    /// The face record.
    pub data: BiometricData,
}

impl core::fmt::Debug for BiometricInformation {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("BiometricInformation")
            .field("header", &self.header)
            .field("data", &self.data)
            .finish()
    }
}

impl BiometricInformation {
    fn parse(bit: &Tlv<'_>) -> Result<Self, Fault> {
        let mut r = bit.children();
        let bht = r.read()?;
        if bht.tag == TAG_SECURE_MESSAGING_TEMPLATE {
            return Err(Fault::new(
                LdsErrorKind::Unsupported {
                    what: "a secure-messaging protected biometric template",
                },
                bht.offset,
            ));
        }
        if !(0xA1..=0xAF).contains(&bht.tag.0) {
            return Err(TlvError {
                kind: crate::tlv::TlvErrorKind::UnexpectedTag {
                    expected: TAG_BIOMETRIC_HEADER.0,
                    found: bht.tag.0,
                },
                offset: bht.offset,
            }
            .into());
        }
        let header = BiometricHeader::parse(&bht)?;
        let bdb = r.read()?;
        r.finish()?;
        let content = if bdb.tag == TAG_BIOMETRIC_DATA || bdb.tag == TAG_BIOMETRIC_DATA_CONSTRUCTED
        {
            bdb.value
        } else {
            return Err(TlvError {
                kind: crate::tlv::TlvErrorKind::UnexpectedTag {
                    expected: TAG_BIOMETRIC_DATA.0,
                    found: bdb.tag.0,
                },
                offset: bdb.offset,
            }
            .into());
        };
        let data = if content.starts_with(iso19794_5::FORMAT_IDENTIFIER) {
            BiometricData::Iso19794_5(FacialRecord::parse(content, bdb.value_offset)?)
        } else {
            BiometricData::Iso39794_5(FaceImageDataBlock::parse(&bdb)?)
        };
        Ok(Self { header, data })
    }
}

/// The data block of one instance, by encoding. `Debug` shows the shape only.
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum BiometricData {
    /// ISO/IEC 19794-5:2005 facial record.
    Iso19794_5(FacialRecord),
    /// ISO/IEC 39794-5 face image data block.
    Iso39794_5(FaceImageDataBlock),
}

impl core::fmt::Debug for BiometricData {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Iso19794_5(record) => f.debug_tuple("Iso19794_5").field(record).finish(),
            Self::Iso39794_5(block) => f.debug_tuple("Iso39794_5").field(block).finish(),
        }
    }
}

/// The Biometric Header Template (ISO/IEC 7816-11 Table 4, ICAO 9303-10 §4.7.2.1), each
/// element raw as the chip stores it. `Debug` names the elements present and the format, not
/// the creation date, validity or creator.
#[derive(Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct BiometricHeader {
    /// `80`: ICAO header version (`01 01`).
    #[cfg_attr(
        feature = "serde",
        serde(serialize_with = "crate::pki::serde_util::opt_hex")
    )]
    pub icao_header_version: Option<Vec<u8>>,
    /// `81`: biometric type (`02` = facial features).
    #[cfg_attr(
        feature = "serde",
        serde(serialize_with = "crate::pki::serde_util::opt_hex")
    )]
    pub biometric_type: Option<Vec<u8>>,
    /// `82`: biometric subtype.
    #[cfg_attr(
        feature = "serde",
        serde(serialize_with = "crate::pki::serde_util::opt_hex")
    )]
    pub biometric_subtype: Option<Vec<u8>>,
    /// `83`: creation date and time (7 bytes BCD-like, as stored).
    #[cfg_attr(
        feature = "serde",
        serde(serialize_with = "crate::pki::serde_util::opt_hex")
    )]
    pub creation_date: Option<Vec<u8>>,
    /// `85`: validity period.
    #[cfg_attr(
        feature = "serde",
        serde(serialize_with = "crate::pki::serde_util::opt_hex")
    )]
    pub validity_period: Option<Vec<u8>>,
    /// `86`: creator of the biometric reference data.
    #[cfg_attr(
        feature = "serde",
        serde(serialize_with = "crate::pki::serde_util::opt_hex")
    )]
    pub creator: Option<Vec<u8>>,
    /// `87`: format owner (`0101` = ISO/IEC JTC 1/SC 37).
    pub format_owner: Option<u16>,
    /// `88`: format type (`0008` = ISO/IEC 19794-5 face image).
    pub format_type: Option<u16>,
}

impl core::fmt::Debug for BiometricHeader {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let present: Vec<&str> = [
            ("icao_header_version", self.icao_header_version.is_some()),
            ("biometric_type", self.biometric_type.is_some()),
            ("biometric_subtype", self.biometric_subtype.is_some()),
            ("creation_date", self.creation_date.is_some()),
            ("validity_period", self.validity_period.is_some()),
            ("creator", self.creator.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, here)| here.then_some(name))
        .collect();
        f.debug_struct("BiometricHeader")
            .field("present", &present)
            .field("format_owner", &self.format_owner)
            .field("format_type", &self.format_type)
            .finish()
    }
}

impl BiometricHeader {
    fn parse(bht: &Tlv<'_>) -> Result<Self, Fault> {
        let mut h = Self::default();
        for el in bht.children() {
            let el = el?;
            let raw = Some(el.value.to_vec());
            match el.tag.0 {
                0x80 => h.icao_header_version = raw,
                0x81 => h.biometric_type = raw,
                0x82 => h.biometric_subtype = raw,
                0x83 => h.creation_date = raw,
                0x85 => h.validity_period = raw,
                0x86 => h.creator = raw,
                0x87 => h.format_owner = Some(u16_value(&el)?),
                0x88 => h.format_type = Some(u16_value(&el)?),
                // Other elements (84 validity, 89 quality, ...) are allowed and ignored.
                _ => {}
            }
        }
        Ok(h)
    }
}

fn u16_value(el: &Tlv<'_>) -> Result<u16, Fault> {
    match el.value {
        [hi, lo] => Ok(u16::from_be_bytes([*hi, *lo])),
        _ => Err(Fault::new(
            LdsErrorKind::InvalidValue {
                what: "a 2-byte value",
            },
            el.value_offset,
        )),
    }
}

/// The compression of a face image, as its record declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum ImageFormat {
    /// JPEG (ISO/IEC 10918).
    Jpeg,
    /// JPEG 2000 (ISO/IEC 15444), lossy or lossless.
    Jpeg2000,
    /// Another code (the number as the record holds it).
    Other(u64),
}

impl core::fmt::Display for ImageFormat {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Jpeg => f.write_str("JPEG"),
            Self::Jpeg2000 => f.write_str("JPEG 2000"),
            Self::Other(n) => write!(f, "image type {n}"),
        }
    }
}

/// One face image: where it is, what it claims to be.
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FaceImage {
    /// The declared compression. Decoding looks at the bytes' signature too, so a mislabelled
    /// image still decodes.
    pub format: ImageFormat,
    /// Width in pixels as the record states it (ISO/IEC 39794-5 may omit it).
    pub width: Option<u32>,
    /// Height in pixels as the record states it.
    pub height: Option<u32>,
    /// The compressed image, exactly as stored (not serialized: write it with the CLI's
    /// `--face FILE`).
    #[cfg_attr(feature = "serde", serde(skip))]
    pub data: Vec<u8>,
    /// Absolute offset of the first image byte in the DG2 file.
    pub offset: usize,
}

impl core::fmt::Debug for FaceImage {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("FaceImage")
            .field("format", &self.format)
            .field("width", &self.width)
            .field("height", &self.height)
            .field("data_len", &self.data.len())
            .field("offset", &self.offset)
            .finish()
    }
}
