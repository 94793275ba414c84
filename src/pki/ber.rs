//! BER to DER where it matters for parsing: New Zealand's EF.SOD is BER (indefinite lengths,
//! segmented OCTET STRINGs). `der`'s `ber` feature does not join constructed OCTET STRINGs
//! (see [`crate::manual`]), so this small converter stays: it copies every element that needs
//! no change byte for byte, so DER parts (signed attributes, certificates) keep their exact
//! encoding.

use crate::tlv::{tags, write_len, Reader, TlvError, TlvErrorKind, MAX_DEPTH};

/// Converts BER to DER where it matters for parsing: indefinite lengths become definite and
/// constructed OCTET STRINGs (`24`) are joined into one primitive `04`. Elements that need no
/// change are copied byte for byte, so DER parts (signed attributes, certificates) keep their
/// exact encoding. Bounded by [`MAX_DEPTH`] and by the input's length.
pub fn ber_to_der(input: &[u8]) -> Result<Vec<u8>, TlvError> {
    let mut out = Vec::with_capacity(input.len());
    let mut pos = 0;
    while pos < input.len() {
        pos = convert_element(input, pos, 0, &mut out)?;
    }
    Ok(out)
}

struct Header {
    tag_len: usize,
    constructed: bool,
    /// `None` = indefinite.
    len: Option<usize>,
    header_len: usize,
}

fn truncated(at: usize, needed: usize, available: usize) -> TlvError {
    TlvError {
        kind: TlvErrorKind::Truncated { needed, available },
        offset: at,
    }
}

fn read_header(input: &[u8], start: usize) -> Result<Header, TlvError> {
    let byte = |i: usize| input.get(i).copied().ok_or_else(|| truncated(i, 1, 0));
    let first = byte(start)?;
    let mut pos = start + 1;
    if first & 0x1F == 0x1F {
        loop {
            if pos - start >= crate::tlv::MAX_TAG_BYTES {
                return Err(TlvError {
                    kind: TlvErrorKind::TagTooLong,
                    offset: start,
                });
            }
            let b = byte(pos)?;
            pos += 1;
            if b & 0x80 == 0 {
                break;
            }
        }
    }
    let tag_len = pos - start;
    let l = byte(pos)?;
    pos += 1;
    let len = match l {
        0x00..=0x7F => Some(usize::from(l)),
        0x80 => None,
        _ => {
            let n = usize::from(l & 0x7F);
            if n > crate::tlv::MAX_LENGTH_BYTES {
                return Err(TlvError {
                    kind: TlvErrorKind::LengthTooLong,
                    offset: pos - 1,
                });
            }
            let mut v = 0usize;
            for _ in 0..n {
                v = (v << 8) | usize::from(byte(pos)?);
                pos += 1;
            }
            Some(v)
        }
    };
    if len.is_none() && first & 0x20 == 0 {
        return Err(TlvError {
            kind: TlvErrorKind::IndefiniteLength,
            offset: start,
        });
    }
    Ok(Header {
        tag_len,
        constructed: first & 0x20 != 0,
        len,
        header_len: pos - start,
    })
}

/// Converts the element at `start`, appends it to `out`, returns the offset after it.
fn convert_element(
    input: &[u8],
    start: usize,
    depth: usize,
    out: &mut Vec<u8>,
) -> Result<usize, TlvError> {
    if depth > MAX_DEPTH {
        return Err(TlvError {
            kind: TlvErrorKind::TooDeep,
            offset: start,
        });
    }
    let h = read_header(input, start)?;
    let value_start = start + h.header_len;
    let tag_bytes = input.get(start..start + h.tag_len).unwrap_or(&[]);
    let is_segmented_octets = tag_bytes == [0x24];
    if !h.constructed {
        let len = h.len.unwrap_or(0);
        let available = input.len().saturating_sub(value_start);
        if len > available {
            return Err(truncated(value_start, len, available));
        }
        out.extend_from_slice(input.get(start..value_start + len).unwrap_or(&[]));
        return Ok(value_start + len);
    }
    // Constructed: convert the children into a scratch buffer.
    let mut content = Vec::new();
    let end = match h.len {
        Some(len) => {
            let available = input.len().saturating_sub(value_start);
            if len > available {
                return Err(truncated(value_start, len, available));
            }
            let end = value_start + len;
            let mut pos = value_start;
            while pos < end {
                pos = convert_element(
                    input.get(..end).unwrap_or(&[]),
                    pos,
                    depth + 1,
                    &mut content,
                )?;
            }
            end
        }
        None => {
            let mut pos = value_start;
            loop {
                match (input.get(pos), input.get(pos + 1)) {
                    (Some(0), Some(0)) => break pos + 2,
                    (None, _) | (_, None) => return Err(truncated(pos, 2, 0)),
                    _ => pos = convert_element(input, pos, depth + 1, &mut content)?,
                }
            }
        }
    };
    if is_segmented_octets {
        // Join the (already primitive) segments' values.
        let mut joined = Vec::with_capacity(content.len());
        let mut r = Reader::new(&content);
        while !r.is_empty() {
            let seg = r.read_tag(tags::OCTET_STRING)?;
            joined.extend_from_slice(seg.value);
        }
        out.push(0x04);
        write_len(out, joined.len());
        out.extend_from_slice(&joined);
    } else if h.len.is_some() && content.as_slice() == input.get(value_start..end).unwrap_or(&[]) {
        out.extend_from_slice(input.get(start..end).unwrap_or(&[]));
    } else {
        out.extend_from_slice(tag_bytes);
        write_len(out, content.len());
        out.extend_from_slice(&content);
    }
    Ok(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ber_indefinite_and_segments() {
        // 30 80 { 24 80 { 04 01 AA, 04 02 BB CC } 00 00, 02 01 05 } 00 00
        let ber = hex::decode("308024800401AA0402BBCC0000020105".to_string() + "0000").unwrap();
        let der = ber_to_der(&ber).unwrap();
        assert_eq!(hex::encode_upper(der), "30080403AABBCC020105");
    }

    #[test]
    fn der_is_copied_verbatim() {
        // A non-minimal length (81 03) must survive untouched.
        let der = hex::decode("30810302010A").unwrap();
        assert_eq!(ber_to_der(&der).unwrap(), der);
    }

    #[test]
    fn ber_truncated_and_deep() {
        assert!(ber_to_der(&hex::decode("308002").unwrap()).is_err());
        let deep: Vec<u8> = core::iter::repeat_n([0x30u8, 0x80], MAX_DEPTH + 2)
            .flatten()
            .collect();
        assert_eq!(ber_to_der(&deep).unwrap_err().kind, TlvErrorKind::TooDeep);
    }
}
