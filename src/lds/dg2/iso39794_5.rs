//! The ISO/IEC 39794-5 face image data block (tagged-binary encoding), as ICAO 9303-10 and
//! the ICAO "ISO/IEC 39794-5 Application Profile for eMRTDs" put it under `7F2E`.
//!
//! Parsed far enough to find each image: its bytes, its format and its size. Unknown and
//! extension elements are skipped (every SEQUENCE here ends with an extension marker).
//!
//! ```text
//! FaceImageDataBlock ::= [APPLICATION 5] SEQUENCE {        -- AUTOMATIC TAGS
//!     versionBlock         [0] VersionBlock,               -- SEQUENCE { generation [0]
//!                                                          --   INTEGER, year [1] INTEGER }
//!     representationBlocks [1] SEQUENCE OF RepresentationBlock, ... }
//! RepresentationBlock ::= SEQUENCE {
//!     representationId     [0] INTEGER (0..MAX),
//!     imageRepresentation  [1] CHOICE { base [0] CHOICE {
//!                               imageRepresentation2DBlock [0] ImageRepresentation2DBlock },
//!                               extensionBlock [1] ... },
//!     captureDateTimeBlock [2] ... OPTIONAL, qualityBlocks [3] ... OPTIONAL, ... }
//! ImageRepresentation2DBlock ::= SEQUENCE {
//!     representationData2D    [0] OCTET STRING,            -- the image
//!     imageInformation2DBlock [1] ImageInformation2DBlock,
//!     captureDevice2DBlock    [2] ... OPTIONAL, ... }
//! ImageInformation2DBlock ::= SEQUENCE {
//!     imageDataFormat  [0] CHOICE { code [0] ENUMERATED { unknown(0), other(1), jpeg(2),
//!                                   jpeg2000Lossy(3), jpeg2000Lossless(4), ... },
//!                                   extensionBlock [1] ... },
//!     ... [1]..[6] OPTIONAL,
//!     imageSizeBlock   [7] SEQUENCE { width [0] INTEGER, height [1] INTEGER } OPTIONAL,
//!     ... [8] OPTIONAL,
//!     imageColourSpace [9] CHOICE { code [0] ENUMERATED, ... } OPTIONAL, ... }
//! ```
//!
//! Under `7F2E` the block appears as `A1 { 65 { A0 .., A1 .. } }` (JMRTD's encoder), as
//! `A1 { A0 .., A1 .. }`, as `65 { .. }` or as the bare `A0 .., A1 ..`: all four are accepted.

use super::{FaceImage, ImageFormat};
use crate::lds::{Fault, LdsErrorKind};
use crate::pki::spki::uint;
use crate::tlv::{Reader, Tlv};

/// `[APPLICATION 5]`, constructed: the FaceImageDataBlock's own tag.
const TAG_APPLICATION_5: u32 = 0x65;
/// Constructed context-specific `[1]`: the profile's wrapper, and `representationBlocks`.
const TAG_CONTEXT_1_CONSTRUCTED: u32 = 0xA1;
/// How many wrappers (`A1`, `65`) may enclose the block's fields.
const MAX_WRAPPERS: usize = 2;

/// An ISO/IEC 39794-5 face image data block. `Debug` shows its shape only.
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FaceImageDataBlock {
    /// The version of ISO/IEC 39794-5 used.
    pub version: VersionBlock,
    /// The representations (images), in record order.
    pub representations: Vec<RepresentationBlock>,
}

impl core::fmt::Debug for FaceImageDataBlock {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("FaceImageDataBlock")
            .field("version", &self.version)
            .field("representations", &self.representations)
            .finish()
    }
}

/// `VersionBlock ::= SEQUENCE { generation [0] INTEGER, year [1] INTEGER }`.
#[derive(Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct VersionBlock {
    /// Generation (3 for the 2019 edition of the 39794 series).
    pub generation: u64,
    /// Year of the edition.
    pub year: u64,
}

impl core::fmt::Debug for VersionBlock {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "VersionBlock({}, {})", self.generation, self.year)
    }
}

/// One representation: an identifier and, for 2D images, the image. `Debug` shows the image's
/// shape only.
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RepresentationBlock {
    /// `representationId`.
    pub representation_id: u64,
    /// The 2D image; `None` for an extension (for example 3D) representation.
    pub image: Option<FaceImage>,
    /// The `imageColourSpace` code, when given.
    pub image_colour_space: Option<u64>,
}

impl core::fmt::Debug for RepresentationBlock {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("RepresentationBlock")
            .field("representation_id", &self.representation_id)
            .field("image", &self.image)
            .finish_non_exhaustive()
    }
}

impl FaceImageDataBlock {
    /// Parses the block inside a Biometric Data Block element (`7F2E` or `5F2E`).
    pub(crate) fn parse(bdb: &Tlv<'_>) -> Result<Self, Fault> {
        // 5F2E is a primitive tag even when it holds this structure: read its value as TLVs.
        let mut fields = children(bdb)?;
        let mut container_offset = bdb.offset;
        for _ in 0..MAX_WRAPPERS {
            match fields.as_slice() {
                [only]
                    if only.tag.0 == TAG_CONTEXT_1_CONSTRUCTED
                        || only.tag.0 == TAG_APPLICATION_5 =>
                {
                    container_offset = only.offset;
                    fields = self::fields(only)?;
                }
                _ => break,
            }
        }
        let version = find(&fields, 0).ok_or(Fault::new(
            LdsErrorKind::Missing {
                what: "versionBlock [0]",
            },
            container_offset,
        ))?;
        let v = self::fields(version)?;
        let version = VersionBlock {
            generation: required_uint(&v, 0, version, "generation [0]")?,
            year: required_uint(&v, 1, version, "year [1]")?,
        };
        let blocks = find(&fields, 1).ok_or(Fault::new(
            LdsErrorKind::Missing {
                what: "representationBlocks [1]",
            },
            container_offset,
        ))?;
        let items = self::fields(blocks)?;
        let mut representations = Vec::new();
        if items.iter().all(|t| t.tag.0 == 0x30) {
            for item in &items {
                representations.push(RepresentationBlock::parse(item)?);
            }
        } else {
            // A single block written without its SEQUENCE (JMRTD accepts this form too).
            representations.push(RepresentationBlock::parse(blocks)?);
        }
        if representations.is_empty() {
            return Err(Fault::new(
                LdsErrorKind::Missing {
                    what: "a representation block",
                },
                blocks.offset,
            ));
        }
        Ok(Self {
            version,
            representations,
        })
    }
}

impl RepresentationBlock {
    fn parse(block: &Tlv<'_>) -> Result<Self, Fault> {
        let f = fields(block)?;
        let representation_id = required_uint(&f, 0, block, "representationId [0]")?;
        let rep = find(&f, 1).ok_or(Fault::new(
            LdsErrorKind::Missing {
                what: "imageRepresentation [1]",
            },
            block.offset,
        ))?;
        let mut image = None;
        let mut image_colour_space = None;
        // imageRepresentation [1] -> base [0] -> imageRepresentation2DBlock [0]
        let choice = fields(rep)?;
        if let Some(base) = find(&choice, 0) {
            let base_choice = fields(base)?;
            if let Some(block2d) = find(&base_choice, 0) {
                let (img, colour) = parse_2d(block2d)?;
                image = Some(img);
                image_colour_space = colour;
            }
        }
        Ok(Self {
            representation_id,
            image,
            image_colour_space,
        })
    }
}

fn parse_2d(block: &Tlv<'_>) -> Result<(FaceImage, Option<u64>), Fault> {
    let f = fields(block)?;
    let data = find(&f, 0).ok_or(Fault::new(
        LdsErrorKind::Missing {
            what: "representationData2D [0]",
        },
        block.offset,
    ))?;
    if data.tag.is_constructed() {
        return Err(Fault::new(
            LdsErrorKind::InvalidValue {
                what: "a primitive OCTET STRING for representationData2D",
            },
            data.offset,
        ));
    }
    if data.value.is_empty() {
        return Err(Fault::new(
            LdsErrorKind::Missing { what: "image data" },
            data.offset,
        ));
    }
    let info = find(&f, 1).ok_or(Fault::new(
        LdsErrorKind::Missing {
            what: "imageInformation2DBlock [1]",
        },
        block.offset,
    ))?;
    let i = fields(info)?;
    let format_el = find(&i, 0).ok_or(Fault::new(
        LdsErrorKind::Missing {
            what: "imageDataFormat [0]",
        },
        info.offset,
    ))?;
    let format = match choice_code(format_el)? {
        Some(2) => ImageFormat::Jpeg,
        Some(3 | 4) => ImageFormat::Jpeg2000,
        Some(code) => ImageFormat::Other(code),
        // The extension alternative: no code we know.
        None => ImageFormat::Other(u64::MAX),
    };
    let (mut width, mut height) = (None, None);
    if let Some(size) = find(&i, 7) {
        let s = fields(size)?;
        width = Some(to_u32(required_uint(&s, 0, size, "width [0]")?, size)?);
        height = Some(to_u32(required_uint(&s, 1, size, "height [1]")?, size)?);
    }
    let colour = match find(&i, 9) {
        Some(c) => choice_code(c)?,
        None => None,
    };
    Ok((
        FaceImage {
            format,
            width,
            height,
            data: data.value.to_vec(),
            offset: data.value_offset,
        },
        colour,
    ))
}

/// A `CHOICE { code [0] ENUMERATED, extensionBlock [1] ... }` under an explicit tag: the code,
/// or `None` for the extension alternative. A primitive element is read as the code itself
/// (an encoder that tagged the choice implicitly).
fn choice_code(el: &Tlv<'_>) -> Result<Option<u64>, Fault> {
    if !el.tag.is_constructed() {
        return context_uint(el).map(Some);
    }
    let f = fields(el)?;
    match find(&f, 0) {
        Some(code) => context_uint(code).map(Some),
        None => Ok(None),
    }
}

fn to_u32(v: u64, at: &Tlv<'_>) -> Result<u32, Fault> {
    u32::try_from(v).map_err(|_| {
        Fault::new(
            LdsErrorKind::InvalidValue {
                what: "an image size below 2^32",
            },
            at.value_offset,
        )
    })
}

/// The elements of a constructed element, each checked.
fn fields<'a>(t: &Tlv<'a>) -> Result<Vec<Tlv<'a>>, Fault> {
    if !t.tag.is_constructed() {
        return Err(Fault::new(
            LdsErrorKind::InvalidValue {
                what: "a constructed element",
            },
            t.offset,
        ));
    }
    children(t)
}

fn children<'a>(t: &Tlv<'a>) -> Result<Vec<Tlv<'a>>, Fault> {
    let mut out = Vec::new();
    let mut r: Reader<'a> = t.children();
    while !r.is_empty() {
        out.push(r.read()?);
    }
    Ok(out)
}

/// The first context-specific element `[n]` (single-byte tags 80+n or A0+n).
fn find<'b, 'a>(fields: &'b [Tlv<'a>], n: u32) -> Option<&'b Tlv<'a>> {
    fields
        .iter()
        .find(|t| t.tag.0 == 0x80 + n || t.tag.0 == 0xA0 + n)
}

fn context_uint(t: &Tlv<'_>) -> Result<u64, Fault> {
    if t.tag.is_constructed() {
        return Err(Fault::new(
            LdsErrorKind::InvalidValue {
                what: "a primitive INTEGER",
            },
            t.offset,
        ));
    }
    uint(t).map_err(|_| {
        Fault::new(
            LdsErrorKind::InvalidValue {
                what: "a non-negative INTEGER below 2^64",
            },
            t.value_offset,
        )
    })
}

fn required_uint(
    fields: &[Tlv<'_>],
    n: u32,
    parent: &Tlv<'_>,
    what: &'static str,
) -> Result<u64, Fault> {
    let t = find(fields, n).ok_or(Fault::new(LdsErrorKind::Missing { what }, parent.offset))?;
    context_uint(t)
}
