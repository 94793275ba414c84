//! A synthetic passport-style portrait for the simulated DG2: a real JPEG that decodes (head,
//! hair, eyes, mouth, shoulders on an ICAO-white background), different for every seed. No
//! real person's face is used.

use crate::crypto::rng::SeededRandom;

/// Width and height of the portrait (ICAO 9303-3 asks for at least 240 pixels across the
/// face's eye line region in a token image; this is the full image).
pub const WIDTH: u16 = 240;
/// Height of the portrait.
pub const HEIGHT: u16 = 320;

/// The portrait of `seed`, JPEG-encoded, or `None` when the `image` feature is off.
pub fn portrait_jpeg(seed: &[u8]) -> Option<Vec<u8>> {
    encode(seed)
}

#[cfg(feature = "image")]
fn encode(seed: &[u8]) -> Option<Vec<u8>> {
    let mut rng = SeededRandom::from_bytes(&[b"cccd-face".as_slice(), seed].concat());
    let pick = |rng: &mut SeededRandom, lo: u8, hi: u8| {
        lo.saturating_add(rng.below(u64::from(hi - lo) + 1) as u8)
    };
    let skin = [
        pick(&mut rng, 190, 235),
        pick(&mut rng, 150, 190),
        pick(&mut rng, 120, 160),
    ];
    let hair_shade = pick(&mut rng, 10, 60);
    let hair = [
        hair_shade,
        hair_shade.saturating_sub(5),
        hair_shade.saturating_sub(8),
    ];
    let shirt = [
        pick(&mut rng, 20, 200),
        pick(&mut rng, 20, 200),
        pick(&mut rng, 60, 220),
    ];
    let head_rx = f32::from(pick(&mut rng, 56, 66));
    let head_ry = f32::from(pick(&mut rng, 76, 86));
    let long_hair = rng.below(2) == 1;
    let grain = rng.bytes(usize::from(WIDTH) * usize::from(HEIGHT));

    let (w, h) = (u32::from(WIDTH), u32::from(HEIGHT));
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        let (fx, fy) = (x as f32, y as f32);
        let inside = |cx: f32, cy: f32, rx: f32, ry: f32| {
            let (dx, dy) = ((fx - cx) / rx, (fy - cy) / ry);
            dx * dx + dy * dy <= 1.0
        };
        let mut c = [236u8, 238, 242];
        if fy > 250.0 && (fx - 120.0).abs() < (fy - 250.0) * 1.6 + 55.0 {
            c = shirt;
        }
        if long_hair && inside(120.0, 150.0, head_rx + 14.0, head_ry + 30.0) && fy > 120.0 {
            c = hair;
        }
        if (fx - 120.0).abs() < 22.0 && (200.0..262.0).contains(&fy) {
            c = skin;
        }
        if inside(120.0, 145.0, head_rx, head_ry) {
            c = skin;
            if inside(120.0, 112.0, head_rx + 6.0, head_ry - 18.0) && fy < 110.0 {
                c = hair;
            }
            for ex in [97.0, 143.0] {
                if inside(ex, 142.0, 11.0, 5.5) {
                    c = [245, 245, 245];
                }
                if inside(ex, 142.0, 4.5, 4.5) {
                    c = [40, 30, 25];
                }
                if inside(ex, 128.0, 13.0, 2.5) {
                    c = hair;
                }
            }
            if (fx - 120.0).abs() < 3.0 && (145.0..172.0).contains(&fy) {
                c = [skin[0] - 30, skin[1] - 30, skin[2] - 30];
            }
            if inside(120.0, 195.0, 19.0, 5.0) {
                c = [170, 70, 70];
            }
        }
        // Sensor grain, so the JPEG looks like a photo rather than a drawing.
        let idx = (y * w + x) as usize;
        let g = grain.get(idx).map_or(0, |b| (b % 9) as i16 - 4);
        image::Rgb(c.map(|v| (i16::from(v) + g).clamp(0, 255) as u8))
    });
    let mut out = Vec::new();
    let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80);
    encoder.encode_image(&img).ok()?;
    Some(out)
}

#[cfg(not(feature = "image"))]
fn encode(_: &[u8]) -> Option<Vec<u8>> {
    None
}

/// Pads a JPEG to exactly `len` bytes with comment (COM) segments right after SOI, which
/// decoders skip; `None` if the image is already longer.
pub fn pad_jpeg(jpeg: &[u8], len: usize) -> Option<Vec<u8>> {
    let rest = jpeg.strip_prefix(&[0xFF, 0xD8])?;
    let mut fill = len.checked_sub(jpeg.len())?;
    let mut out = Vec::with_capacity(len);
    out.extend_from_slice(&[0xFF, 0xD8]);
    while fill > 0 {
        if fill < 4 {
            // Too short for a segment: put the spare bytes after EOI instead (ignored).
            break;
        }
        let body = (fill - 4).min(0xFFFF - 2);
        out.extend_from_slice(&[0xFF, 0xFE]);
        out.extend_from_slice(&u16::try_from(body + 2).ok()?.to_be_bytes());
        out.extend(b"cccd simulator ".iter().cycle().take(body));
        fill -= body + 4;
    }
    out.extend_from_slice(rest);
    out.extend(std::iter::repeat_n(0x00, fill));
    Some(out)
}
