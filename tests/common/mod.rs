//! Helpers shared by the LDS tests: DER building and the seeded mutation driver.
#![allow(dead_code)]

use cccd::crypto::rng::SeededRandom;
use cccd::tlv::{encode, Tag};

/// Reads a file of the shared test data (`../shared/test-data/<path>`).
pub fn shared(path: &str) -> Vec<u8> {
    let p = format!("{}/../shared/test-data/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

/// One TLV element.
pub fn tlv(tag: u32, value: &[u8]) -> Vec<u8> {
    encode(Tag(tag), value)
}

/// The concatenation of elements.
pub fn cat(parts: &[Vec<u8>]) -> Vec<u8> {
    parts.concat()
}

/// The DER content bytes of a dotted OID.
pub fn oid(dotted: &str) -> Vec<u8> {
    let arcs: Vec<u64> = dotted.split('.').map(|a| a.parse().unwrap()).collect();
    let mut out = vec![(arcs[0] * 40 + arcs[1]) as u8];
    for &arc in &arcs[2..] {
        let mut stack = vec![(arc & 0x7F) as u8];
        let mut rest = arc >> 7;
        while rest > 0 {
            stack.push(0x80 | (rest & 0x7F) as u8);
            rest >>= 7;
        }
        out.extend(stack.iter().rev());
    }
    out
}

/// An OID element.
pub fn oid_tlv(dotted: &str) -> Vec<u8> {
    tlv(0x06, &oid(dotted))
}

/// An INTEGER element holding a small non-negative number.
pub fn int(n: u64) -> Vec<u8> {
    let mut bytes: Vec<u8> = n.to_be_bytes().to_vec();
    while bytes.len() > 1 && bytes[0] == 0 && bytes[1] < 0x80 {
        bytes.remove(0);
    }
    if bytes[0] >= 0x80 {
        bytes.insert(0, 0);
    }
    tlv(0x02, &bytes)
}

/// Runs `parse` on `count` random mutations of `base` (byte flips, random bytes, truncation,
/// insertion, deletion; half of the edits aimed at the first `hot` bytes, where the
/// structure is). A panic fails the test; errors are expected.
pub fn mutate_and_parse(seed: u64, base: &[u8], hot: usize, count: usize, parse: impl Fn(&[u8])) {
    let mut rng = SeededRandom::new(seed);
    for _ in 0..count {
        let mut data = base.to_vec();
        let edits = 1 + rng.below(4);
        for _ in 0..edits {
            if data.is_empty() {
                break;
            }
            let span = if rng.below(2) == 0 {
                hot.min(data.len())
            } else {
                data.len()
            } as u64;
            let at = rng.below(span) as usize;
            match rng.below(6) {
                0 => data[at] ^= 1 << rng.below(8),
                1 => data[at] = rng.bytes(1)[0],
                2 => data.truncate(at),
                3 => data.insert(at, rng.bytes(1)[0]),
                4 => {
                    data.remove(at);
                }
                _ => data[at] = [0x00, 0x7F, 0x80, 0x81, 0x82, 0x84, 0xFF][rng.below(7) as usize],
            }
        }
        parse(&data);
    }
}
