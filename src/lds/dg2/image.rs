//! Face image decoding (feature `image`; JPEG 2000 also needs feature `jpeg2000`).
//!
//! Decoding is bounded: an image whose record or own header claims more than
//! [`MAX_IMAGE_DIMENSION`] pixels in either direction is refused before any pixel buffer is
//! allocated. The format is taken from the bytes' signature, not only from the record, so a
//! mislabelled image still decodes.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat as CodecFormat, ImageReader, Limits, RgbImage};

use super::{FaceImage, ImageError};

/// The largest width or height we decode. ICAO portraits are a few hundred pixels wide.
pub const MAX_IMAGE_DIMENSION: u32 = 4096;
/// The largest pixel buffer a decoder may allocate (RGBA at the largest size).
const MAX_ALLOC_BYTES: u64 = (MAX_IMAGE_DIMENSION as u64) * (MAX_IMAGE_DIMENSION as u64) * 4;
/// JPEG quality used when a non-JPEG face must be re-encoded as JPEG.
pub const JPEG_QUALITY: u8 = 90;

/// A decoded face: 8-bit RGB pixels, row by row.
#[derive(Clone, PartialEq, Eq)]
pub struct DecodedImage {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width * height * 3` bytes, R G B per pixel, rows top to bottom.
    pub rgb8: Vec<u8>,
}

impl core::fmt::Debug for DecodedImage {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("DecodedImage")
            .field("width", &self.width)
            .field("height", &self.height)
            .field("rgb8_len", &self.rgb8.len())
            .finish()
    }
}

/// What the bytes say they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Signature {
    Jpeg,
    Jp2,
    J2kCodestream,
    Png,
}

fn signature(data: &[u8]) -> Option<Signature> {
    if data.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(Signature::Jpeg)
    } else if data.starts_with(&[0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20]) {
        Some(Signature::Jp2)
    } else if data.starts_with(&[0xFF, 0x4F, 0xFF, 0x51]) {
        Some(Signature::J2kCodestream)
    } else if data.starts_with(&[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some(Signature::Png)
    } else {
        None
    }
}

fn check_size(width: u32, height: u32) -> Result<(), ImageError> {
    if width > MAX_IMAGE_DIMENSION || height > MAX_IMAGE_DIMENSION {
        return Err(ImageError::ImageTooLarge { width, height });
    }
    Ok(())
}

fn codec(e: impl core::fmt::Display) -> ImageError {
    ImageError::Codec(e.to_string())
}

/// One codec's decoder, called inside the panic boundary of [`FaceImage::decode`].
type Decoder = fn(&[u8]) -> Result<DynamicImage, ImageError>;

impl FaceImage {
    /// Decodes the image to 8-bit RGB.
    ///
    /// The size is the image's own; it may differ from what the record states (the BSI
    /// TR-03105-5 specimen's record says 337x449 for a 413x531 image).
    pub fn decode(&self) -> Result<DecodedImage, ImageError> {
        check_size(self.width.unwrap_or(0), self.height.unwrap_or(0))?;
        let (codec_name, decode): (&'static str, Decoder) = match signature(&self.data) {
            Some(Signature::Jpeg) => ("JPEG", |d| decode_with_image(d, CodecFormat::Jpeg)),
            Some(Signature::Png) => ("PNG", |d| decode_with_image(d, CodecFormat::Png)),
            Some(Signature::Jp2 | Signature::J2kCodestream) => ("JPEG 2000", decode_jpeg2000),
            None => {
                return Err(ImageError::UnsupportedImageFormat(
                    "no JPEG, JPEG 2000 or PNG signature",
                ))
            }
        };
        // The decoders are third-party code fed with the card's bytes (hayro-jpeg2000 is
        // young): a panic inside one is contained here and becomes an error, so a hostile
        // image cannot end the read. Only the decoder's own state, dropped on unwind, is
        // touched inside, hence `AssertUnwindSafe`.
        let rgb = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            decode(&self.data).map(|image| image.to_rgb8())
        }))
        .map_err(|_| ImageError::DecoderPanicked(codec_name))??;
        Ok(DecodedImage {
            width: rgb.width(),
            height: rgb.height(),
            rgb8: rgb.into_raw(),
        })
    }

    /// The face as PNG bytes (decoded, then losslessly re-encoded).
    pub fn to_png(&self) -> Result<Vec<u8>, ImageError> {
        self.decode()?.to_png()
    }

    /// The face as JPEG bytes: a JPEG face is returned byte for byte as stored (no second
    /// lossy pass); any other format is decoded and encoded at [`JPEG_QUALITY`].
    pub fn to_jpeg(&self) -> Result<Vec<u8>, ImageError> {
        if signature(&self.data) == Some(Signature::Jpeg) {
            return Ok(self.data.clone());
        }
        self.decode()?.to_jpeg(JPEG_QUALITY)
    }
}

impl DecodedImage {
    fn to_rgb_image(&self) -> Result<RgbImage, ImageError> {
        RgbImage::from_raw(self.width, self.height, self.rgb8.clone()).ok_or(ImageError::Codec(
            "pixel buffer does not match the size".into(),
        ))
    }

    /// PNG encoding of the pixels.
    pub fn to_png(&self) -> Result<Vec<u8>, ImageError> {
        let mut out = Cursor::new(Vec::new());
        DynamicImage::ImageRgb8(self.to_rgb_image()?)
            .write_to(&mut out, CodecFormat::Png)
            .map_err(codec)?;
        Ok(out.into_inner())
    }

    /// JPEG encoding of the pixels at `quality` (1..=100).
    pub fn to_jpeg(&self, quality: u8) -> Result<Vec<u8>, ImageError> {
        let mut out = Vec::new();
        let encoder =
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality.clamp(1, 100));
        DynamicImage::ImageRgb8(self.to_rgb_image()?)
            .write_with_encoder(encoder)
            .map_err(codec)?;
        Ok(out)
    }
}

fn decode_with_image(data: &[u8], format: CodecFormat) -> Result<DynamicImage, ImageError> {
    let mut reader = ImageReader::with_format(Cursor::new(data), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_IMAGE_DIMENSION);
    limits.max_image_height = Some(MAX_IMAGE_DIMENSION);
    limits.max_alloc = Some(MAX_ALLOC_BYTES);
    reader.limits(limits);
    // Read the header first, so the refusal names the claimed size.
    let (width, height) = reader.into_dimensions().map_err(codec)?;
    check_size(width, height)?;
    let mut reader = ImageReader::with_format(Cursor::new(data), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_IMAGE_DIMENSION);
    limits.max_image_height = Some(MAX_IMAGE_DIMENSION);
    limits.max_alloc = Some(MAX_ALLOC_BYTES);
    reader.limits(limits);
    reader.decode().map_err(codec)
}

#[cfg(feature = "jpeg2000")]
fn decode_jpeg2000(data: &[u8]) -> Result<DynamicImage, ImageError> {
    let image = hayro_jpeg2000::Image::new(data, &hayro_jpeg2000::DecodeSettings::default())
        .map_err(codec)?;
    check_size(image.width(), image.height())?;
    DynamicImage::from_decoder(image).map_err(codec)
}

#[cfg(not(feature = "jpeg2000"))]
fn decode_jpeg2000(_data: &[u8]) -> Result<DynamicImage, ImageError> {
    Err(ImageError::UnsupportedImageFormat(
        "JPEG 2000 needs the jpeg2000 feature",
    ))
}
