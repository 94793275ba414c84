//! Face image decoding (JPEG, PNG, JPEG 2000) on any bytes, alone and inside a DG2.
//!
//! Oracle: no panic escapes `FaceImage::decode` (a panic inside a third-party decoder is
//! contained and comes back as `ImageError::DecoderPanicked`), no allocation beyond the
//! decoding limit (libFuzzer's RSS limit), and a decoded image has the size it reports, within
//! `MAX_IMAGE_DIMENSION`.

use cccd::lds::dg2::{Dg2, FaceImage, ImageError, ImageFormat, MAX_IMAGE_DIMENSION};

fn check(image: &FaceImage) {
    match image.decode() {
        Ok(decoded) => {
            assert!(decoded.width <= MAX_IMAGE_DIMENSION && decoded.height <= MAX_IMAGE_DIMENSION);
            let expected = u64::from(decoded.width) * u64::from(decoded.height) * 3;
            assert_eq!(decoded.rgb8.len() as u64, expected);
        }
        Err(ImageError::ImageTooLarge { width, height }) => {
            assert!(width > MAX_IMAGE_DIMENSION || height > MAX_IMAGE_DIMENSION);
        }
        Err(_) => {}
    }
}

/// One input: the whole target (shared by the fuzz target and tests/fuzz_regressions.rs).
pub fn run(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    if flags & 0x80 != 0 {
        // A whole DG2 around the image: the path a read takes.
        if let Ok(dg2) = Dg2::parse(rest) {
            for image in dg2.face_images() {
                check(image);
            }
        }
        return;
    }
    // The record's stated size: absent, or a small claim the image may contradict.
    let dim = |bit: u8, v: u8| (flags & bit != 0).then_some(u32::from(v) * 64);
    let image = FaceImage {
        format: if flags & 4 != 0 {
            ImageFormat::Jpeg2000
        } else {
            ImageFormat::Jpeg
        },
        width: dim(1, flags >> 3),
        height: dim(2, flags >> 3),
        data: rest.to_vec(),
        offset: 0,
    };
    check(&image);
}
