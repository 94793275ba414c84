//! The ISO/IEC 19794-5:2005 facial record, as ICAO 9303-10 §4.7.2 puts it in DG2 (`5F2E`).
//!
//! ```text
//! Facial Record Header (14 bytes)      -- ISO/IEC 19794-5:2005 §5.4
//!   format identifier  4  "FAC\0"
//!   version number     4  "010\0"
//!   record length      4  the whole record, header included
//!   number of faces    2
//! Facial Record Data, per face
//!   Facial Information (20 bytes)      -- §5.5
//!     block length 4 (this face's whole block), number of feature points 2, gender 1,
//!     eye colour 1, hair colour 1, feature mask 3, expression 2, pose angle 3,
//!     pose angle uncertainty 3
//!   Feature Points, 8 bytes each       -- §5.6
//!     type 1, major/minor code 1, x 2, y 2, reserved 2
//!   Image Information (12 bytes)       -- §5.7
//!     face image type 1, image data type 1 (0 JPEG, 1 JPEG 2000), width 2, height 2,
//!     image colour space 1, source type 1, device type 2, quality 2
//!   Image Data: the rest of the block
//! ```

use super::{FaceImage, ImageFormat};
use crate::lds::{Fault, LdsErrorKind};

/// The record's first four bytes.
pub const FORMAT_IDENTIFIER: &[u8] = b"FAC\0";
/// The only version this parser reads (ISO/IEC 19794-5:2005, what ICAO 9303 requires).
pub const VERSION_2005: &[u8] = b"010\0";
/// The facial record header's size.
pub const RECORD_HEADER_LEN: usize = 14;
/// The facial information block's size, block length included.
pub const FACIAL_INFORMATION_LEN: usize = 20;
/// One feature point's size.
pub const FEATURE_POINT_LEN: usize = 8;
/// The image information block's size.
pub const IMAGE_INFORMATION_LEN: usize = 12;

/// An ISO/IEC 19794-5:2005 facial record (one `5F2E`). `Debug` shows its shape only.
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FacialRecord {
    /// One entry per face, in record order.
    pub faces: Vec<FaceRecord>,
}

impl core::fmt::Debug for FacialRecord {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("FacialRecord")
            .field("faces", &self.faces)
            .finish()
    }
}

impl FacialRecord {
    /// Parses a record that fills all of `data`; `base` is the absolute offset of `data[0]`,
    /// used in errors.
    pub(crate) fn parse(data: &[u8], base: usize) -> Result<Self, Fault> {
        let mut r = Bytes::new(data, base);
        let format = r.take(4)?;
        if format != FORMAT_IDENTIFIER {
            return Err(Fault::new(
                LdsErrorKind::InvalidValue {
                    what: "the format identifier FAC\\0",
                },
                base,
            ));
        }
        let version_at = r.offset();
        if r.take(4)? != VERSION_2005 {
            return Err(Fault::new(
                LdsErrorKind::Unsupported {
                    what: "an ISO/IEC 19794-5 version other than 010",
                },
                version_at,
            ));
        }
        let length_at = r.offset();
        let record_length = r.u32()?;
        if usize::try_from(record_length).ok() != Some(data.len()) {
            return Err(Fault::new(
                LdsErrorKind::LengthMismatch {
                    declared: u64::from(record_length),
                    actual: data.len(),
                },
                length_at,
            ));
        }
        let count = r.u16()?;
        let mut faces = Vec::new();
        for _ in 0..count {
            faces.push(FaceRecord::parse(&mut r)?);
        }
        if !r.rest().is_empty() {
            return Err(Fault::new(
                LdsErrorKind::LengthMismatch {
                    declared: u64::from(record_length),
                    actual: data.len().saturating_sub(r.rest().len()),
                },
                length_at,
            ));
        }
        Ok(Self { faces })
    }
}

/// One face of a facial record. `Debug` shows its shape only (no attribute, no feature point).
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FaceRecord {
    /// Facial Information block.
    pub facial_information: FacialInformation,
    /// Feature points (eye centres, nose tip, ...).
    pub feature_points: Vec<FeaturePoint>,
    /// Image Information block.
    pub image_information: ImageInformation,
    /// The image.
    pub image: FaceImage,
}

impl core::fmt::Debug for FaceRecord {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("FaceRecord")
            .field("facial_information", &self.facial_information)
            .field("feature_points", &self.feature_points.len())
            .field("image_information", &self.image_information)
            .field("image", &self.image)
            .finish()
    }
}

impl FaceRecord {
    fn parse(r: &mut Bytes<'_>) -> Result<Self, Fault> {
        let block_at = r.offset();
        let block_length = r.u32()?;
        let available = r.rest().len().saturating_add(4);
        let block_len = usize::try_from(block_length)
            .ok()
            .filter(|l| *l <= available)
            .ok_or(Fault::new(
                LdsErrorKind::LengthMismatch {
                    declared: u64::from(block_length),
                    actual: available,
                },
                block_at,
            ))?;
        // The rest of this face's block, after its 4-byte length.
        let body_len = block_len.checked_sub(4).ok_or(Fault::new(
            LdsErrorKind::LengthMismatch {
                declared: u64::from(block_length),
                actual: available,
            },
            block_at,
        ))?;
        let body = r.take(body_len)?;
        let mut b = Bytes::new(body, block_at.saturating_add(4));
        let feature_point_count = b.u16()?;
        let facial_information = FacialInformation {
            gender: b.u8()?,
            eye_colour: b.u8()?,
            hair_colour: b.u8()?,
            feature_mask: b.u24()?,
            expression: b.u16()?,
            pose_angle: b.array3()?,
            pose_angle_uncertainty: b.array3()?,
        };
        let fp_needed = usize::from(feature_point_count).saturating_mul(FEATURE_POINT_LEN);
        let fp_bytes = b.take(fp_needed)?;
        let feature_points = fp_bytes
            .chunks_exact(FEATURE_POINT_LEN)
            .map(FeaturePoint::from_chunk)
            .collect();
        let image_information = ImageInformation {
            face_image_type: b.u8()?,
            image_data_type: b.u8()?,
            width: b.u16()?,
            height: b.u16()?,
            image_colour_space: b.u8()?,
            source_type: b.u8()?,
            device_type: b.u16()?,
            quality: b.u16()?,
        };
        let image_at = b.offset();
        let data = b.rest();
        if data.is_empty() {
            return Err(Fault::new(
                LdsErrorKind::Missing { what: "image data" },
                block_at,
            ));
        }
        let format = match image_information.image_data_type {
            0 => ImageFormat::Jpeg,
            1 => ImageFormat::Jpeg2000,
            other => ImageFormat::Other(u64::from(other)),
        };
        Ok(Self {
            facial_information,
            feature_points,
            image: FaceImage {
                format,
                width: Some(u32::from(image_information.width)),
                height: Some(u32::from(image_information.height)),
                data: data.to_vec(),
                offset: image_at,
            },
            image_information,
        })
    }
}

/// The Facial Information block (ISO/IEC 19794-5:2005 §5.5), codes as stored. The holder's
/// attributes (gender, eye and hair colour, features, pose): `Debug` shows none of them.
#[derive(Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FacialInformation {
    /// 0 unspecified, 1 male, 2 female, 0xFF unknown.
    pub gender: u8,
    /// Eye colour code (0 unspecified ... 0xFF unknown).
    pub eye_colour: u8,
    /// Hair colour code.
    pub hair_colour: u8,
    /// Feature mask (24 bits: glasses, moustache, beard, ...).
    pub feature_mask: u32,
    /// Expression code (0 unspecified, 1 neutral, ...).
    pub expression: u16,
    /// Yaw, pitch, roll (encoded angles).
    pub pose_angle: [u8; 3],
    /// Uncertainty of yaw, pitch, roll.
    pub pose_angle_uncertainty: [u8; 3],
}

impl core::fmt::Debug for FacialInformation {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("FacialInformation(***)")
    }
}

/// A feature point (ISO/IEC 19794-5:2005 §5.6.3): a landmark of the holder's face, which
/// `Debug` does not show.
#[derive(Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FeaturePoint {
    /// Feature point type (1 = MPEG-4 2D).
    pub feature_type: u8,
    /// Major code (high nibble) and minor code (low nibble).
    pub code: u8,
    /// Horizontal position in pixels.
    pub x: u16,
    /// Vertical position in pixels.
    pub y: u16,
}

impl core::fmt::Debug for FeaturePoint {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("FeaturePoint(***)")
    }
}

impl FeaturePoint {
    fn from_chunk(c: &[u8]) -> Self {
        let byte = |i: usize| c.get(i).copied().unwrap_or(0);
        Self {
            feature_type: byte(0),
            code: byte(1),
            x: u16::from_be_bytes([byte(2), byte(3)]),
            y: u16::from_be_bytes([byte(4), byte(5)]),
        }
    }
}

/// The Image Information block (ISO/IEC 19794-5:2005 §5.7), codes as stored. `Debug` shows
/// the image's type and size, not the capture device.
#[derive(Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ImageInformation {
    /// 0 basic, 1 full frontal, 2 token frontal.
    pub face_image_type: u8,
    /// 0 JPEG, 1 JPEG 2000.
    pub image_data_type: u8,
    /// Width in pixels.
    pub width: u16,
    /// Height in pixels.
    pub height: u16,
    /// 0 unspecified, 1 24-bit RGB, 2 YUV422, 3 8-bit greyscale, 4 other.
    pub image_colour_space: u8,
    /// 0 unspecified, 1 static photo (unknown source), 2 digital camera, 3 scanner, ...
    pub source_type: u8,
    /// Vendor device type.
    pub device_type: u16,
    /// Quality (0 unspecified).
    pub quality: u16,
}

impl core::fmt::Debug for ImageInformation {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ImageInformation")
            .field("face_image_type", &self.face_image_type)
            .field("image_data_type", &self.image_data_type)
            .field("width", &self.width)
            .field("height", &self.height)
            .finish_non_exhaustive()
    }
}

/// A bounded big-endian cursor; every read is checked and reports its absolute offset.
pub(crate) struct Bytes<'a> {
    data: &'a [u8],
    pos: usize,
    base: usize,
}

impl<'a> Bytes<'a> {
    pub(crate) fn new(data: &'a [u8], base: usize) -> Self {
        Self { data, pos: 0, base }
    }

    pub(crate) fn offset(&self) -> usize {
        self.base.saturating_add(self.pos)
    }

    pub(crate) fn rest(&self) -> &'a [u8] {
        self.data.get(self.pos..).unwrap_or(&[])
    }

    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8], Fault> {
        let rest = self.rest();
        match rest.split_at_checked(n) {
            Some((head, _)) => {
                self.pos = self.pos.saturating_add(n);
                Ok(head)
            }
            None => Err(Fault::new(
                LdsErrorKind::Truncated {
                    needed: n,
                    available: rest.len(),
                },
                self.offset(),
            )),
        }
    }

    fn u8(&mut self) -> Result<u8, Fault> {
        match self.take(1)? {
            [b] => Ok(*b),
            _ => Err(self.short(1)),
        }
    }

    fn u16(&mut self) -> Result<u16, Fault> {
        match self.take(2)? {
            [a, b] => Ok(u16::from_be_bytes([*a, *b])),
            _ => Err(self.short(2)),
        }
    }

    fn u24(&mut self) -> Result<u32, Fault> {
        match self.take(3)? {
            [a, b, c] => Ok(u32::from_be_bytes([0, *a, *b, *c])),
            _ => Err(self.short(3)),
        }
    }

    fn u32(&mut self) -> Result<u32, Fault> {
        match self.take(4)? {
            [a, b, c, d] => Ok(u32::from_be_bytes([*a, *b, *c, *d])),
            _ => Err(self.short(4)),
        }
    }

    fn array3(&mut self) -> Result<[u8; 3], Fault> {
        match self.take(3)? {
            [a, b, c] => Ok([*a, *b, *c]),
            _ => Err(self.short(3)),
        }
    }

    // Unreachable: `take(n)` returns exactly n bytes. Kept as an error, not a panic.
    fn short(&self, n: usize) -> Fault {
        Fault::new(
            LdsErrorKind::Truncated {
                needed: n,
                available: 0,
            },
            self.offset(),
        )
    }
}
