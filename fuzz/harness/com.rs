//! `EfCom::parse` on EF.COM-like structures built from the fuzzer's bytes (ICAO 9303-10
//! §4.6.1: `60 { 5F01 LDS version, 5F36 Unicode version, 5C tag list }`), so that inputs reach
//! the digit checks, the tag list and the duplicate check instead of dying in the outer TLV.
//!
//! Input: a flags byte, then the fields' bytes. Flags bit 7 set: the rest is parsed as it is
//! (raw EF.COM bytes, as the target took them before). Otherwise the structure is built:
//! - bit 0: the LDS version is a length-prefixed run of raw bytes, else 4 digits;
//! - bit 1: the Unicode version likewise, else 6 digits;
//! - bit 2: the tag list holds raw bytes, else data-group tags (DG1..DG16, maybe repeated);
//! - bit 3: the Unicode version comes before the LDS version;
//! - bit 4: an extra element after the tag list;
//! - bit 5: trailing bytes after the outer TLV;
//! - bit 6: long-form lengths (`81 xx`) inside.
//!
//! Oracle: no panic; a well-formed structure (bits 0-5 clear) parses to exactly the versions
//! and data groups it was built from when its tags are unique, and fails when a data group is
//! listed twice; a misordered, extended or trailing structure never parses.

use cccd::lds::com::DataGroup;
use cccd::lds::EfCom;

/// ICAO 9303-10 Table 35: the tags of DG1..DG16.
const DG_TAGS: [u8; 16] = [
    0x61, 0x75, 0x63, 0x76, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6A, 0x6B, 0x6C, 0x6D, 0x6E, 0x6F, 0x70,
];

struct Bytes<'a>(&'a [u8]);

impl<'a> Bytes<'a> {
    fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                *b
            }
            None => 0,
        }
    }

    fn chunk(&mut self) -> &'a [u8] {
        let n = usize::from(self.byte() % 64);
        let (head, rest) = self.0.split_at(n.min(self.0.len()));
        self.0 = rest;
        head
    }

    fn digits(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| b'0' + self.byte() % 10).collect()
    }
}

fn tlv(tag: &[u8], value: &[u8], long: bool) -> Vec<u8> {
    let mut out = tag.to_vec();
    let n = value.len();
    if n >= 0x80 || long {
        if n > 0xFF {
            out.extend_from_slice(&[0x82, (n >> 8) as u8, n as u8]);
        } else {
            out.extend_from_slice(&[0x81, n as u8]);
        }
    } else {
        out.push(n as u8);
    }
    out.extend_from_slice(value);
    out
}

/// One input: the whole target (shared by the fuzz target and tests/fuzz_regressions.rs).
pub fn run(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    if flags & 0x80 != 0 {
        let _ = EfCom::parse(rest);
        return;
    }
    let mut b = Bytes(rest);
    let long = flags & 0x40 != 0;
    let lds = if flags & 1 != 0 {
        b.chunk().to_vec()
    } else {
        b.digits(4)
    };
    let unicode = if flags & 2 != 0 {
        b.chunk().to_vec()
    } else {
        b.digits(6)
    };
    let count = usize::from(b.byte() % 24);
    let list: Vec<u8> = if flags & 4 != 0 {
        (0..count).map(|_| b.byte()).collect()
    } else {
        (0..count)
            .map(|_| DG_TAGS[usize::from(b.byte() % 16)])
            .collect()
    };
    let lds_tlv = tlv(&[0x5F, 0x01], &lds, long);
    let unicode_tlv = tlv(&[0x5F, 0x36], &unicode, long);
    let mut inner = if flags & 8 != 0 {
        [unicode_tlv, lds_tlv].concat()
    } else {
        [lds_tlv, unicode_tlv].concat()
    };
    inner.extend(tlv(&[0x5C], &list, long));
    if flags & 0x10 != 0 {
        // A one-byte tag (0x41..=0x5E: never a multi-byte tag's first byte).
        let tag = 0x41 + b.byte() % 0x1E;
        inner.extend(tlv(&[tag], b.chunk(), long));
    }
    let mut com = tlv(&[0x60], &inner, long);
    if flags & 0x20 != 0 {
        com.push(b.byte());
        com.extend_from_slice(b.chunk());
    }
    let parsed = EfCom::parse(&com);
    if flags & (0x08 | 0x10 | 0x20) != 0 {
        assert!(
            parsed.is_err(),
            "a misordered, extended or trailing EF.COM parsed"
        );
        return;
    }
    if flags & 0x07 != 0 {
        return;
    }
    let mut unique = list.clone();
    unique.sort_unstable();
    unique.dedup();
    if unique.len() != list.len() {
        assert!(parsed.is_err(), "a data group listed twice parsed");
        return;
    }
    let com = parsed.expect("a well-formed EF.COM parses");
    assert_eq!(com.lds_version.as_bytes(), lds.as_slice());
    assert_eq!(com.unicode_version.as_bytes(), unicode.as_slice());
    let expected: Vec<Option<DataGroup>> = list.iter().map(|&t| DataGroup::from_tag(t)).collect();
    let got: Vec<Option<DataGroup>> = com.data_groups.iter().map(|&d| Some(d)).collect();
    assert_eq!(got, expected);
    assert!(com.unknown_tags.is_empty());
    for dg in &com.data_groups {
        assert!(DG_TAGS.contains(&dg.tag()));
    }
}
