//! Bounded, zero-copy BER-TLV reader and a small writer (ISO/IEC 7816-4 §5.2, ICAO 9303-10 §4).
//!
//! Every length read from a card or a file is checked against the bytes that remain before it is
//! used, so a hostile length can neither panic nor allocate. Errors carry the absolute byte
//! offset (from the start of the buffer the outermost [`Reader`] was made on).
//!
//! ```
//! # #[cfg(feature = "internals")] {
//! use cccd::tlv::{Reader, Tag};
//! // 61 { 5F1F "ab" }
//! let bytes = hex::decode("61055F1F026162").unwrap();
//! let mut outer = Reader::new(&bytes);
//! let t = outer.read_tag(Tag(0x61)).unwrap();
//! let inner = t.children().read_tag(Tag(0x5F1F)).unwrap();
//! assert_eq!(inner.value, b"ab");
//! outer.finish().unwrap();
//! # }
//! ```

use thiserror::Error;

/// The universal ASN.1 tags (X.680 §8.4) every parser names: defined here once, below every
/// layer that reads DER (`crypto`, `pki`, `lds`).
pub mod tags {
    use super::Tag;
    /// BOOLEAN.
    pub const BOOLEAN: Tag = Tag(0x01);
    /// INTEGER.
    pub const INTEGER: Tag = Tag(0x02);
    /// BIT STRING.
    pub const BIT_STRING: Tag = Tag(0x03);
    /// OCTET STRING.
    pub const OCTET_STRING: Tag = Tag(0x04);
    /// NULL.
    pub const NULL: Tag = Tag(0x05);
    /// OBJECT IDENTIFIER.
    pub const OID: Tag = Tag(0x06);
    /// UTF8String.
    pub const UTF8_STRING: Tag = Tag(0x0C);
    /// PrintableString.
    pub const PRINTABLE_STRING: Tag = Tag(0x13);
    /// UTCTime.
    pub const UTC_TIME: Tag = Tag(0x17);
    /// GeneralizedTime.
    pub const GENERALIZED_TIME: Tag = Tag(0x18);
    /// SEQUENCE / SEQUENCE OF (constructed).
    pub const SEQUENCE: Tag = Tag(0x30);
    /// SET / SET OF (constructed).
    pub const SET: Tag = Tag(0x31);
    /// `[0]` context-specific, constructed.
    pub const CTX0: Tag = Tag(0xA0);
    /// `[1]` context-specific, constructed.
    pub const CTX1: Tag = Tag(0xA1);
    /// `[2]` context-specific, constructed.
    pub const CTX2: Tag = Tag(0xA2);
    /// `[3]` context-specific, constructed.
    pub const CTX3: Tag = Tag(0xA3);
    /// `[0]` context-specific, primitive.
    pub const CTX0_PRIMITIVE: Tag = Tag(0x80);
}
/// The longest tag we accept, in bytes (ISO 7816-4 allows three; ASN.1 needs no more here).
pub const MAX_TAG_BYTES: usize = 4;
/// The longest length field we accept after its `8x` byte: 4 bytes covers every eMRTD file.
pub const MAX_LENGTH_BYTES: usize = 4;
/// How deep recursive walkers (pretty printers, BER normalisers) may nest.
pub const MAX_DEPTH: usize = 32;

/// A BER tag, with all its bytes packed big-endian: `0x5F1F`, `0x7F61`, `0x61`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Tag(pub u32);

impl Tag {
    /// Bit 6 of the first tag byte: the value is itself a sequence of TLVs.
    pub fn is_constructed(self) -> bool {
        self.first_byte() & 0x20 != 0
    }

    fn first_byte(self) -> u8 {
        let bytes = self.0.to_be_bytes();
        bytes.iter().copied().find(|b| *b != 0).unwrap_or(0)
    }

    /// The tag's encoding.
    pub fn to_bytes(self) -> Vec<u8> {
        let bytes = self.0.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count().min(3);
        bytes.get(skip..).unwrap_or(&[0]).to_vec()
    }
}

impl core::fmt::Debug for Tag {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Tag({:02X})", self.0)
    }
}

impl core::fmt::Display for Tag {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{:02X}", self.0)
    }
}

/// Malformed TLV data, with the byte offset where it was found.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("malformed TLV at offset {offset}: {kind}")]
pub struct TlvError {
    /// What is wrong.
    pub kind: TlvErrorKind,
    /// Absolute offset of the offending byte.
    pub offset: usize,
}

/// What is wrong with TLV data.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum TlvErrorKind {
    /// The data ends inside a tag, a length or a value.
    #[error("data ends early (needed {needed} bytes, {available} left)")]
    Truncated {
        /// Bytes the encoding claims.
        needed: usize,
        /// Bytes actually left.
        available: usize,
    },
    /// A tag longer than [`MAX_TAG_BYTES`].
    #[error("tag too long")]
    TagTooLong,
    /// A length field longer than [`MAX_LENGTH_BYTES`], or the reserved `FF`.
    #[error("length field too long")]
    LengthTooLong,
    /// `80`: indefinite length (BER). Only the SOD parser accepts it, through its own path.
    #[error("indefinite length")]
    IndefiniteLength,
    /// A different tag than the one the structure requires.
    #[error("expected tag {expected:02X}, found {found:02X}")]
    UnexpectedTag {
        /// The tag the structure requires.
        expected: u32,
        /// The tag that is there.
        found: u32,
    },
    /// Bytes left over after the last element of a structure.
    #[error("{0} trailing bytes")]
    TrailingData(usize),
    /// A required element is absent.
    #[error("missing element {0:02X}")]
    Missing(u32),
    /// Nesting deeper than [`MAX_DEPTH`].
    #[error("nesting too deep")]
    TooDeep,
}

/// One TLV element borrowed from the input. `Debug` shows the tag, lengths and offsets, not
/// the bytes (they may be personal data).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Tlv<'a> {
    /// The tag.
    pub tag: Tag,
    /// The value bytes.
    pub value: &'a [u8],
    /// The whole element: tag, length and value, exactly as encoded (hashes and signatures
    /// are computed over these bytes, never over a re-encoding).
    pub raw: &'a [u8],
    /// Absolute offset of the first tag byte.
    pub offset: usize,
    /// Absolute offset of the first value byte.
    pub value_offset: usize,
}

impl core::fmt::Debug for Tlv<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Tlv")
            .field("tag", &self.tag)
            .field("len", &self.value.len())
            .field("offset", &self.offset)
            .finish()
    }
}

impl core::fmt::Debug for Reader<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Reader")
            .field("offset", &self.offset())
            .field("remaining", &self.remaining().len())
            .finish()
    }
}

impl<'a> Tlv<'a> {
    /// A reader over the value, for constructed elements.
    pub fn children(&self) -> Reader<'a> {
        Reader {
            data: self.value,
            pos: 0,
            base: self.value_offset,
        }
    }

    /// The value read as a single byte.
    pub fn as_u8(&self) -> Result<u8, TlvError> {
        match self.value {
            [b] => Ok(*b),
            _ => Err(TlvError {
                kind: TlvErrorKind::TrailingData(self.value.len().saturating_sub(1)),
                offset: self.value_offset,
            }),
        }
    }

    /// The value as an unsigned big-endian integer of at most 8 bytes (ASN.1 INTEGER content
    /// with its sign byte is accepted).
    pub fn as_uint(&self) -> Result<u64, TlvError> {
        let v = match self.value {
            [0, rest @ ..] if !rest.is_empty() => rest,
            v => v,
        };
        if v.is_empty() || v.len() > 8 {
            return Err(TlvError {
                kind: TlvErrorKind::LengthTooLong,
                offset: self.value_offset,
            });
        }
        Ok(v.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b)))
    }
}

/// A cursor over a sequence of TLV elements (`Debug` shows positions, not bytes).
#[derive(Clone)]
pub struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    base: usize,
}

impl<'a> Reader<'a> {
    /// A reader over `data`; offsets in errors start at 0.
    pub fn new(data: &'a [u8]) -> Self {
        Self {
            data,
            pos: 0,
            base: 0,
        }
    }

    /// True when every element has been read.
    pub fn is_empty(&self) -> bool {
        self.pos >= self.data.len()
    }

    /// Bytes not yet read.
    pub fn remaining(&self) -> &'a [u8] {
        self.data.get(self.pos..).unwrap_or(&[])
    }

    /// Absolute offset of the next byte.
    pub fn offset(&self) -> usize {
        self.base + self.pos
    }

    fn err(&self, kind: TlvErrorKind, at: usize) -> TlvError {
        TlvError {
            kind,
            offset: self.base + at,
        }
    }

    /// The tag of the next element, without consuming it.
    pub fn peek_tag(&self) -> Result<Option<Tag>, TlvError> {
        if self.is_empty() {
            return Ok(None);
        }
        let mut copy = self.clone();
        copy.read_tag_bytes().map(Some)
    }

    fn next_byte(&mut self) -> Result<u8, TlvError> {
        let b = self.data.get(self.pos).copied().ok_or_else(|| {
            self.err(
                TlvErrorKind::Truncated {
                    needed: 1,
                    available: 0,
                },
                self.pos,
            )
        })?;
        self.pos += 1;
        Ok(b)
    }

    fn read_tag_bytes(&mut self) -> Result<Tag, TlvError> {
        let start = self.pos;
        let first = self.next_byte()?;
        let mut tag = u32::from(first);
        if first & 0x1F == 0x1F {
            loop {
                if self.pos - start >= MAX_TAG_BYTES {
                    return Err(self.err(TlvErrorKind::TagTooLong, start));
                }
                let b = self.next_byte()?;
                tag = (tag << 8) | u32::from(b);
                if b & 0x80 == 0 {
                    break;
                }
            }
        }
        Ok(Tag(tag))
    }

    fn read_length(&mut self) -> Result<usize, TlvError> {
        let start = self.pos;
        let first = self.next_byte()?;
        match first {
            0x00..=0x7F => Ok(usize::from(first)),
            0x80 => Err(self.err(TlvErrorKind::IndefiniteLength, start)),
            _ => {
                let n = usize::from(first & 0x7F);
                if n > MAX_LENGTH_BYTES {
                    return Err(self.err(TlvErrorKind::LengthTooLong, start));
                }
                let mut len: usize = 0;
                for _ in 0..n {
                    len = (len << 8) | usize::from(self.next_byte()?);
                }
                Ok(len)
            }
        }
    }

    /// Reads the next element. Its length is checked against the bytes that remain.
    pub fn read(&mut self) -> Result<Tlv<'a>, TlvError> {
        let start = self.pos;
        let tag = self.read_tag_bytes()?;
        let len = self.read_length()?;
        let value_start = self.pos;
        let available = self.data.len().saturating_sub(value_start);
        if len > available {
            return Err(self.err(
                TlvErrorKind::Truncated {
                    needed: len,
                    available,
                },
                value_start,
            ));
        }
        let end = value_start + len;
        self.pos = end;
        Ok(Tlv {
            tag,
            value: self.data.get(value_start..end).unwrap_or(&[]),
            raw: self.data.get(start..end).unwrap_or(&[]),
            offset: self.base + start,
            value_offset: self.base + value_start,
        })
    }

    /// Reads the next element and requires its tag.
    pub fn read_tag(&mut self, expected: Tag) -> Result<Tlv<'a>, TlvError> {
        let at = self.pos;
        let tlv = self.read().map_err(|e| match e.kind {
            TlvErrorKind::Truncated { available: 0, .. } if at >= self.data.len() => {
                self.err(TlvErrorKind::Missing(expected.0), at)
            }
            _ => e,
        })?;
        if tlv.tag != expected {
            return Err(self.err(
                TlvErrorKind::UnexpectedTag {
                    expected: expected.0,
                    found: tlv.tag.0,
                },
                at,
            ));
        }
        Ok(tlv)
    }

    /// Reads the next element only if it has this tag.
    pub fn read_optional(&mut self, tag: Tag) -> Result<Option<Tlv<'a>>, TlvError> {
        if self.peek_tag()? == Some(tag) {
            self.read().map(Some)
        } else {
            Ok(None)
        }
    }

    /// Requires that nothing is left.
    pub fn finish(self) -> Result<(), TlvError> {
        let left = self.data.len().saturating_sub(self.pos);
        if left == 0 {
            Ok(())
        } else {
            Err(self.err(TlvErrorKind::TrailingData(left), self.pos))
        }
    }
}

impl<'a> Iterator for Reader<'a> {
    type Item = Result<Tlv<'a>, TlvError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.is_empty() {
            return None;
        }
        let item = self.read();
        if item.is_err() {
            // Stop after the first error: the rest cannot be located.
            self.pos = self.data.len();
        }
        Some(item)
    }
}

/// Parses exactly one element spanning all of `data`.
pub fn parse_single(data: &[u8]) -> Result<Tlv<'_>, TlvError> {
    let mut r = Reader::new(data);
    let tlv = r.read()?;
    r.finish()?;
    Ok(tlv)
}

/// From the first bytes of a file, the total size of its outer TLV (header + value), or `None`
/// when `prefix` is too short to hold the whole header. Used to size the chunked read.
pub fn total_len_from_header(prefix: &[u8]) -> Result<Option<usize>, TlvError> {
    let mut r = Reader::new(prefix);
    match r.read_tag_bytes() {
        Ok(_) => {}
        Err(TlvError {
            kind: TlvErrorKind::Truncated { .. },
            ..
        }) => return Ok(None),
        Err(e) => return Err(e),
    }
    match r.read_length() {
        Ok(len) => Ok(Some(r.pos.saturating_add(len))),
        Err(TlvError {
            kind: TlvErrorKind::Truncated { .. },
            ..
        }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Appends the DER/BER definite length of `len`.
pub fn write_len(out: &mut Vec<u8>, len: usize) {
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = (len as u64).to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        let body = bytes.get(skip..).unwrap_or(&[]);
        out.push(0x80 | body.len() as u8);
        out.extend_from_slice(body);
    }
}

/// Encodes one element.
pub fn encode(tag: Tag, value: &[u8]) -> Vec<u8> {
    let mut out = tag.to_bytes();
    write_len(&mut out, value.len());
    out.extend_from_slice(value);
    out
}

/// Builds nested TLV structures.
///
/// ```
/// # #[cfg(feature = "internals")] {
/// use cccd::tlv::{Tag, Writer};
/// let mut w = Writer::new();
/// w.constructed(Tag(0x7C), |w| { w.put(Tag(0x80), &[1, 2]); });
/// assert_eq!(w.into_bytes(), vec![0x7C, 0x04, 0x80, 0x02, 1, 2]);
/// # }
/// ```
#[derive(Debug, Default, Clone)]
pub struct Writer {
    buf: Vec<u8>,
}

impl Writer {
    /// An empty writer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a primitive element.
    pub fn put(&mut self, tag: Tag, value: &[u8]) -> &mut Self {
        self.buf.extend_from_slice(&encode(tag, value));
        self
    }

    /// Appends already-encoded bytes.
    pub fn raw(&mut self, bytes: &[u8]) -> &mut Self {
        self.buf.extend_from_slice(bytes);
        self
    }

    /// Appends a constructed element whose value `f` writes.
    pub fn constructed(&mut self, tag: Tag, f: impl FnOnce(&mut Writer)) -> &mut Self {
        let mut inner = Writer::new();
        f(&mut inner);
        self.put(tag, &inner.buf)
    }

    /// The encoding.
    pub fn into_bytes(self) -> Vec<u8> {
        self.buf
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_byte_tags_and_long_lengths() {
        let value = vec![0xAB; 300];
        let enc = encode(Tag(0x7F61), &value);
        assert_eq!(&enc[..5], &[0x7F, 0x61, 0x82, 0x01, 0x2C]);
        let t = parse_single(&enc).unwrap();
        assert_eq!(t.tag, Tag(0x7F61));
        assert!(t.tag.is_constructed());
        assert_eq!(t.value.len(), 300);
        assert_eq!(t.value_offset, 5);
        assert_eq!(total_len_from_header(&enc[..4]).unwrap(), None);
        assert_eq!(total_len_from_header(&enc[..5]).unwrap(), Some(305));
    }

    #[test]
    fn length_beyond_data_is_truncated_error() {
        let err = parse_single(&[0x61, 0x84, 0xFF, 0xFF, 0xFF, 0xFF, 0x00]).unwrap_err();
        assert_eq!(err.offset, 6);
        assert!(matches!(
            err.kind,
            TlvErrorKind::Truncated {
                needed: 0xFFFF_FFFF,
                available: 1
            }
        ));
    }

    #[test]
    fn trailing_and_unexpected() {
        assert_eq!(
            parse_single(&[0x80, 0x00, 0x00]).unwrap_err().kind,
            TlvErrorKind::TrailingData(1)
        );
        let mut r = Reader::new(&[0x80, 0x00]);
        assert_eq!(
            r.read_tag(Tag(0x81)).unwrap_err().kind,
            TlvErrorKind::UnexpectedTag {
                expected: 0x81,
                found: 0x80
            }
        );
        let mut empty = Reader::new(&[]);
        assert_eq!(
            empty.read_tag(Tag(0x81)).unwrap_err().kind,
            TlvErrorKind::Missing(0x81)
        );
    }

    #[test]
    fn tag_too_long_and_indefinite() {
        assert_eq!(
            parse_single(&[0x5F, 0x81, 0x81, 0x81, 0x01, 0x00])
                .unwrap_err()
                .kind,
            TlvErrorKind::TagTooLong
        );
        assert_eq!(
            parse_single(&[0x30, 0x80, 0, 0]).unwrap_err().kind,
            TlvErrorKind::IndefiniteLength
        );
        assert_eq!(
            parse_single(&[0x30, 0x85, 1, 1, 1, 1, 1]).unwrap_err().kind,
            TlvErrorKind::LengthTooLong
        );
    }

    #[test]
    fn nested_offsets_are_absolute() {
        let bytes = [0x61, 0x04, 0x5F, 0x1F, 0x05, 0x00];
        let outer = parse_single(&bytes).unwrap();
        let err = outer.children().read().unwrap_err();
        assert_eq!(err.offset, 5);
    }
}
