//! DG2 (face): the BSI TR-03105-5 specimen, hand-made 19794-5 and 39794-5 records, broken
//! lengths, mutations, and (features `image`, `jpeg2000`) bounded decoding.
// Uses the primitives (tlv, crypto, the protocol steps): feature `internals`.
#![cfg(feature = "internals")]

use crate::common;

use cccd::lds::dg2::{BiometricData, Dg2, ImageFormat};
use cccd::lds::LdsErrorKind;
use common::*;

/// The JP2 image header box (ISO/IEC 15444-1 §I.5.3.1): HEIGHT then WIDTH, 4 bytes each.
fn jp2_ihdr_size(jp2: &[u8]) -> (u32, u32) {
    let at = jp2.windows(4).position(|w| w == b"ihdr").unwrap() + 4;
    let h = u32::from_be_bytes(jp2[at..at + 4].try_into().unwrap());
    let w = u32::from_be_bytes(jp2[at + 4..at + 8].try_into().unwrap());
    (w, h)
}

#[test]
fn bsi_specimen_19794_jpeg2000() {
    let bytes = shared("bsi-tr03105-5/Datagroup2.bin");
    let parsed = Dg2::parse(&bytes).unwrap();
    assert_eq!(parsed.instances.len(), 1);
    let header = &parsed.instances[0].header;
    assert_eq!(header.biometric_type.as_deref(), Some(&[0x02][..])); // facial features
    assert_eq!(header.biometric_subtype.as_deref(), Some(&[0x00][..]));
    assert_eq!(header.format_owner, Some(0x0101)); // ISO/IEC JTC 1/SC 37
    assert_eq!(header.format_type, Some(0x0008)); // ISO/IEC 19794-5 face image
    let BiometricData::Iso19794_5(record) = &parsed.instances[0].data else {
        panic!()
    };
    assert_eq!(record.faces.len(), 1);
    let face = &record.faces[0];
    assert!(face.feature_points.is_empty());
    let info = face.image_information;
    assert_eq!(info.face_image_type, 1); // full frontal
    assert_eq!(info.image_data_type, 1); // JPEG 2000
    assert_eq!((info.width, info.height), (337, 449));
    let image = &face.image;
    assert_eq!(image.format, ImageFormat::Jpeg2000);
    assert_eq!((image.width, image.height), (Some(337), Some(449)));
    // Block length 0x3AB7 minus 20 (facial information) minus 12 (image information).
    assert_eq!(image.data.len(), 0x3AB7 - 20 - 12);
    assert_eq!(image.offset, 84);
    assert_eq!(&bytes[84..], &image.data[..]);
    assert!(image
        .data
        .starts_with(&[0, 0, 0, 0x0C, 0x6A, 0x50, 0x20, 0x20]));
    assert!(image.data.ends_with(&[0xFF, 0xD9]));
    assert_eq!(parsed.face_images(), vec![image]);
    // The specimen's JP2 header says 413x531: not what its 19794-5 record says.
    assert_eq!(jp2_ihdr_size(&image.data), (413, 531));
}

#[cfg(feature = "jpeg2000")]
#[test]
fn bsi_specimen_decodes() {
    let parsed = Dg2::parse(&shared("bsi-tr03105-5/Datagroup2.bin")).unwrap();
    let image = parsed.face_images()[0];
    let decoded = image.decode().unwrap();
    // The decoder yields the codestream's own size, read independently from the JP2 header.
    assert_eq!((decoded.width, decoded.height), jp2_ihdr_size(&image.data));
    assert_eq!((decoded.width, decoded.height), (413, 531));
    assert_eq!(decoded.rgb8.len(), 413 * 531 * 3);
    // Not a flat image: a face has more than a handful of distinct values.
    let mut seen = [false; 256];
    decoded.rgb8.iter().for_each(|b| seen[*b as usize] = true);
    assert!(seen.iter().filter(|s| **s).count() > 100);
    let png = image.to_png().unwrap();
    assert!(png.starts_with(&[0x89, b'P', b'N', b'G']));
    let jpeg = image.to_jpeg().unwrap();
    assert!(jpeg.starts_with(&[0xFF, 0xD8, 0xFF]));
}

/// One 19794-5 face: facial information, `points` feature points, image information, image.
fn face_block(data_type: u8, width: u16, height: u16, points: u16, image: &[u8]) -> Vec<u8> {
    let len = 20 + 8 * usize::from(points) + 12 + image.len();
    let mut b = (len as u32).to_be_bytes().to_vec();
    b.extend_from_slice(&points.to_be_bytes());
    b.extend_from_slice(&[1, 2, 3]); // gender, eye colour, hair colour
    b.extend_from_slice(&[0x00, 0x00, 0x01]); // feature mask
    b.extend_from_slice(&[0x00, 0x01]); // expression
    b.extend_from_slice(&[0, 0, 0, 0, 0, 0]); // pose angle, uncertainty
    for i in 0..points {
        b.extend_from_slice(&[1, 0x0C, 0, i as u8, 0, 0x20, 0, 0]);
    }
    b.extend_from_slice(&[1, data_type]);
    b.extend_from_slice(&width.to_be_bytes());
    b.extend_from_slice(&height.to_be_bytes());
    b.extend_from_slice(&[1, 2, 0, 0, 0, 0]);
    b.extend_from_slice(image);
    b
}

fn facial_record(faces: &[Vec<u8>]) -> Vec<u8> {
    let body: Vec<u8> = faces.concat();
    let mut r = b"FAC\x00010\x00".to_vec();
    r.extend_from_slice(&((14 + body.len()) as u32).to_be_bytes());
    r.extend_from_slice(&(faces.len() as u16).to_be_bytes());
    r.extend_from_slice(&body);
    r
}

fn bht() -> Vec<u8> {
    tlv(
        0xA1,
        &cat(&[
            tlv(0x81, &[0x02]),
            tlv(0x87, &[0x01, 0x01]),
            tlv(0x88, &[0x00, 0x08]),
        ]),
    )
}

/// DG2 with one BIT per (BDB tag, content).
fn dg2(bdbs: &[(u32, Vec<u8>)]) -> Vec<u8> {
    let mut group = int(bdbs.len() as u64);
    for (tag, content) in bdbs {
        group.extend(tlv(0x7F60, &cat(&[bht(), tlv(*tag, content)])));
    }
    tlv(0x75, &tlv(0x7F61, &group))
}

#[test]
fn two_faces_in_one_record_and_two_instances() {
    let one = face_block(0, 16, 8, 2, b"\xFF\xD8\xFFimage-one");
    let two = face_block(1, 32, 24, 0, b"image-two!");
    let three = face_block(0, 1, 1, 0, b"3");
    let bytes = dg2(&[
        (0x5F2E, facial_record(&[one, two])),
        (0x5F2E, facial_record(&[three])),
    ]);
    let parsed = Dg2::parse(&bytes).unwrap();
    assert_eq!(parsed.instances.len(), 2);
    let faces = parsed.face_images();
    assert_eq!(faces.len(), 3);
    assert_eq!(faces[0].data, b"\xFF\xD8\xFFimage-one");
    assert_eq!(
        (faces[0].format, faces[0].width, faces[0].height),
        (ImageFormat::Jpeg, Some(16), Some(8))
    );
    assert_eq!(faces[1].data, b"image-two!");
    assert_eq!(faces[1].format, ImageFormat::Jpeg2000);
    assert_eq!(faces[2].data, b"3");
    for f in &faces {
        assert_eq!(&bytes[f.offset..f.offset + f.data.len()], &f.data[..]);
    }
    let BiometricData::Iso19794_5(record) = &parsed.instances[0].data else {
        panic!()
    };
    let fp = &record.faces[0].feature_points;
    assert_eq!(fp.len(), 2);
    assert_eq!(
        (fp[1].feature_type, fp[1].code, fp[1].x, fp[1].y),
        (1, 0x0C, 1, 0x20)
    );
    let fi = record.faces[0].facial_information;
    assert_eq!(
        (
            fi.gender,
            fi.eye_colour,
            fi.hair_colour,
            fi.feature_mask,
            fi.expression
        ),
        (1, 2, 3, 1, 1)
    );
}

#[test]
fn broken_lengths_are_errors() {
    let face = face_block(0, 4, 4, 0, b"jpeg");
    let good = facial_record(&[face]);
    assert!(Dg2::parse(&dg2(&[(0x5F2E, good.clone())])).is_ok());

    // Record length larger than the data block.
    let mut rec = good.clone();
    rec[11] += 1;
    assert!(matches!(
        Dg2::parse(&dg2(&[(0x5F2E, rec)])).map_err(|e| e.kind),
        Err(LdsErrorKind::LengthMismatch { declared, actual, .. }) if declared == actual as u64 + 1
    ));
    // Face block length pointing past the end of the record.
    let mut rec = good.clone();
    rec[14 + 3] += 10;
    assert!(matches!(
        Dg2::parse(&dg2(&[(0x5F2E, rec)])).map_err(|e| e.kind),
        Err(LdsErrorKind::LengthMismatch { .. })
    ));
    // Face block length huge.
    let mut rec = good.clone();
    rec[14..18].copy_from_slice(&[0xFF, 0xFF, 0xFF, 0xFF]);
    assert!(Dg2::parse(&dg2(&[(0x5F2E, rec)])).is_err());
    // Face block too short for its fixed fields (and for its feature points).
    let mut rec = good.clone();
    rec[14..18].copy_from_slice(&10u32.to_be_bytes());
    assert!(Dg2::parse(&dg2(&[(0x5F2E, rec)])).is_err());
    let mut rec = good.clone();
    rec[18..20].copy_from_slice(&[0xFF, 0xFF]);
    assert!(matches!(
        Dg2::parse(&dg2(&[(0x5F2E, rec)])).map_err(|e| e.kind),
        Err(LdsErrorKind::Truncated { .. })
    ));
    // A block that ends right after its image information: no image.
    let empty = face_block(0, 4, 4, 0, b"");
    assert!(matches!(
        Dg2::parse(&dg2(&[(0x5F2E, facial_record(&[empty]))])).map_err(|e| e.kind),
        Err(LdsErrorKind::Missing { .. })
    ));
    // Two faces declared, one present.
    let mut rec = good.clone();
    rec[13] = 2;
    assert!(Dg2::parse(&dg2(&[(0x5F2E, rec)])).is_err());
    // Another 19794-5 version.
    let mut rec = good.clone();
    rec[4..8].copy_from_slice(b"030\0");
    assert!(matches!(
        Dg2::parse(&dg2(&[(0x5F2E, rec)])).map_err(|e| e.kind),
        Err(LdsErrorKind::Unsupported { .. })
    ));
    // Instance count disagrees with the templates.
    let mut bytes = dg2(&[(0x5F2E, good.clone())]);
    let count_at = bytes
        .windows(3)
        .position(|w| w == [0x02, 0x01, 0x01])
        .unwrap()
        + 2;
    bytes[count_at] = 2;
    assert_eq!(
        Dg2::parse(&bytes).map_err(|e| e.kind),
        Err(LdsErrorKind::InstanceCount {
            declared: 2,
            found: 1
        })
    );
    // Every truncation of a valid file is an error.
    let full = dg2(&[(0x5F2E, good)]);
    for cut in 0..full.len() {
        assert!(Dg2::parse(&full[..cut]).is_err(), "cut at {cut}");
    }
    let bsi = shared("bsi-tr03105-5/Datagroup2.bin");
    for cut in (0..bsi.len()).step_by(97) {
        assert!(Dg2::parse(&bsi[..cut]).is_err(), "cut at {cut}");
    }
}

/// An ISO/IEC 39794-5 RepresentationBlock with a 2D image (structure from the standard's
/// ASN.1 module, tagged-binary encoding with automatic tags).
fn representation(id: u64, format_code: u8, size: Option<(u16, u16)>, image: &[u8]) -> Vec<u8> {
    let mut info = vec![tlv(0xA0, &tlv(0x80, &[format_code]))]; // imageDataFormat { code }
    info.push(tlv(0xA1, &tlv(0x80, &[0x00]))); // faceImageKind2D { code mrtd }
    if let Some((w, h)) = size {
        info.push(tlv(
            0xA7,
            &cat(&[tlv(0x80, &w.to_be_bytes()), tlv(0x81, &h.to_be_bytes())]),
        ));
    }
    info.push(tlv(0xA9, &tlv(0x80, &[0x02]))); // imageColourSpace { code rgb24 }
    let block2d = tlv(0xA0, &cat(&[tlv(0x80, image), tlv(0xA1, &info.concat())]));
    tlv(
        0x30,
        &cat(&[
            tlv(0x80, &[id as u8]),
            tlv(0xA1, &tlv(0xA0, &block2d)), // imageRepresentation { base { 2D } }
            tlv(0xA2, &tlv(0x80, &[0x07, 0xE8])), // captureDateTimeBlock (skipped)
        ]),
    )
}

fn face_image_data_block(reps: &[Vec<u8>]) -> Vec<u8> {
    cat(&[
        tlv(0xA0, &cat(&[tlv(0x80, &[0x03]), tlv(0x81, &[0x07, 0xE3])])), // version 3, 2019
        tlv(0xA1, &reps.concat()),
    ])
}

#[test]
fn iso39794_5_images_in_every_wrapping() {
    let reps = [
        representation(1, 2, Some((640, 480)), b"\xFF\xD8\xFFjpeg"),
        representation(2, 3, None, b"jp2-bytes"),
    ];
    let fields = face_image_data_block(&reps);
    let wrappings = [
        (0x7F2E, tlv(0xA1, &tlv(0x65, &fields))),
        (0x7F2E, tlv(0xA1, &fields)),
        (0x7F2E, tlv(0x65, &fields)),
        (0x7F2E, fields.clone()),
        (0x5F2E, tlv(0xA1, &fields)),
    ];
    for (tag, content) in wrappings {
        let bytes = dg2(&[(tag, content)]);
        let parsed = Dg2::parse(&bytes).unwrap();
        let BiometricData::Iso39794_5(block) = &parsed.instances[0].data else {
            panic!()
        };
        assert_eq!((block.version.generation, block.version.year), (3, 2019));
        assert_eq!(block.representations.len(), 2);
        assert_eq!(block.representations[1].representation_id, 2);
        assert_eq!(block.representations[0].image_colour_space, Some(2));
        let faces = parsed.face_images();
        assert_eq!(faces.len(), 2);
        assert_eq!(faces[0].format, ImageFormat::Jpeg);
        assert_eq!((faces[0].width, faces[0].height), (Some(640), Some(480)));
        assert_eq!(faces[0].data, b"\xFF\xD8\xFFjpeg");
        assert_eq!(faces[1].format, ImageFormat::Jpeg2000);
        assert_eq!((faces[1].width, faces[1].height), (None, None));
        assert_eq!(&bytes[faces[1].offset..faces[1].offset + 9], b"jp2-bytes");
    }
    // A 39794-5 block mixed with a 19794-5 record in one DG2.
    let mixed = dg2(&[
        (0x7F2E, tlv(0xA1, &fields)),
        (0x5F2E, facial_record(&[face_block(0, 2, 2, 0, b"x")])),
    ]);
    assert_eq!(Dg2::parse(&mixed).unwrap().face_images().len(), 3);
}

#[test]
fn iso39794_5_errors() {
    let rep = representation(1, 2, Some((1, 1)), b"img");
    // No version block.
    let no_version = tlv(0xA1, &cat(&[tlv(0xA1, &rep), tlv(0xA2, &[])]));
    assert!(matches!(
        Dg2::parse(&dg2(&[(0x7F2E, no_version)])).map_err(|e| e.kind),
        Err(LdsErrorKind::Missing { .. })
    ));
    // Empty representation blocks.
    let empty = face_image_data_block(&[]);
    assert!(Dg2::parse(&dg2(&[(0x7F2E, empty)])).is_err());
    // Negative width.
    let mut bad = face_image_data_block(&[representation(1, 2, Some((0x8000, 1)), b"i")]);
    let at = bad
        .windows(4)
        .position(|w| w == [0x80, 0x02, 0x80, 0x00])
        .unwrap();
    bad[at + 2] = 0xFF;
    assert!(matches!(
        Dg2::parse(&dg2(&[(0x7F2E, bad)])).map_err(|e| e.kind),
        Err(LdsErrorKind::InvalidValue { .. })
    ));
    // An inner length past the end of its parent.
    let mut long = face_image_data_block(&[rep]);
    let at = long.iter().position(|b| *b == 0x30).unwrap();
    long[at + 1] += 5;
    assert!(Dg2::parse(&dg2(&[(0x7F2E, long)])).is_err());
}

#[test]
fn mutations_never_panic() {
    let bsi = shared("bsi-tr03105-5/Datagroup2.bin");
    mutate_and_parse(2, &bsi, 120, 20_000, |d| {
        let _ = Dg2::parse(d);
    });
    let two = dg2(&[(
        0x5F2E,
        facial_record(&[
            face_block(0, 16, 8, 3, b"one"),
            face_block(1, 8, 8, 0, b"two"),
        ]),
    )]);
    mutate_and_parse(22, &two, two.len(), 20_000, |d| {
        let _ = Dg2::parse(d);
    });
    let reps = [
        representation(1, 2, Some((640, 480)), b"jpeg"),
        representation(2, 4, None, b"j2"),
    ];
    let iso39794 = dg2(&[(0x7F2E, tlv(0xA1, &tlv(0x65, &face_image_data_block(&reps))))]);
    mutate_and_parse(39, &iso39794, iso39794.len(), 20_000, |d| {
        let _ = Dg2::parse(d);
    });
}

#[cfg(feature = "image")]
mod decode {
    use super::*;
    use cccd::lds::dg2::MAX_IMAGE_DIMENSION;

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x * 7) as u8, (y * 13) as u8, 0x80])
        });
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
        out.into_inner()
    }

    #[test]
    fn two_jpeg_faces_decode_to_their_sizes() {
        let (a, b) = (jpeg(16, 8), jpeg(24, 40));
        let bytes = dg2(&[(
            0x5F2E,
            facial_record(&[face_block(0, 16, 8, 0, &a), face_block(0, 24, 40, 0, &b)]),
        )]);
        let parsed = Dg2::parse(&bytes).unwrap();
        let faces = parsed.face_images();
        let da = faces[0].decode().unwrap();
        let db = faces[1].decode().unwrap();
        assert_eq!((da.width, da.height, da.rgb8.len()), (16, 8, 16 * 8 * 3));
        assert_eq!((db.width, db.height), (24, 40));
        // A JPEG face is handed out as stored; PNG is lossless.
        assert_eq!(faces[0].to_jpeg().unwrap(), a);
        let png = faces[1].to_png().unwrap();
        let back = image::load_from_memory(&png).unwrap().to_rgb8();
        assert_eq!(back.into_raw(), db.rgb8);
    }

    #[test]
    fn oversized_images_are_refused() {
        // The record claims too much.
        let small = jpeg(4, 4);
        let bytes = dg2(&[(0x5F2E, facial_record(&[face_block(0, 5000, 4, 0, &small)]))]);
        let parsed = Dg2::parse(&bytes).unwrap();
        assert_eq!(
            parsed.face_images()[0].decode(),
            Err(cccd::lds::dg2::ImageError::ImageTooLarge {
                width: 5000,
                height: 4
            })
        );
        // The JPEG's own header claims too much, the record does not.
        let wide = jpeg(MAX_IMAGE_DIMENSION + 1, 1);
        let bytes = dg2(&[(0x5F2E, facial_record(&[face_block(0, 1, 1, 0, &wide)]))]);
        let parsed = Dg2::parse(&bytes).unwrap();
        assert!(parsed.face_images()[0].decode().is_err());
    }

    #[test]
    fn garbage_images_are_errors() {
        let bytes = dg2(&[(
            0x5F2E,
            facial_record(&[face_block(0, 4, 4, 0, b"not an image")]),
        )]);
        let parsed = Dg2::parse(&bytes).unwrap();
        assert!(matches!(
            parsed.face_images()[0].decode(),
            Err(cccd::lds::dg2::ImageError::UnsupportedImageFormat(_))
        ));
        let mut broken = jpeg(8, 8);
        broken.truncate(40);
        let bytes = dg2(&[(0x5F2E, facial_record(&[face_block(0, 8, 8, 0, &broken)]))]);
        let parsed = Dg2::parse(&bytes).unwrap();
        assert!(matches!(
            parsed.face_images()[0].decode(),
            Err(cccd::lds::dg2::ImageError::Codec(_))
        ));
    }
}
