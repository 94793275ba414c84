//! Every parser of this area over 20 000 deterministic mutations of valid inputs (bit flips,
//! truncations, length bytes set to FF and other hostile values, inserted and deleted bytes):
//! none may panic. The same inputs seed the cargo-fuzz targets in `fuzz/`.
// Uses the primitives (tlv, crypto, the protocol steps): feature `internals`.
#![cfg(feature = "internals")]

use cccd::access::key::{AccessKey, QrData};
use cccd::crypto::rng::SeededRandom;
use cccd::lds::mrz::Mrz;
use cccd::lds::{Dg1, Dg13, EfCom};
use cccd::tlv::{Reader, Tag, Writer, MAX_DEPTH};

const ITERATIONS: u64 = 20_000;

fn shared(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../shared/test-data/bsi-tr03105-5/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn dg13_sample() -> Vec<u8> {
    let mut w = Writer::new();
    w.constructed(Tag(0x6D), |w| {
        w.constructed(Tag(0x30), |w| {
            w.put(Tag(0x02), &[0x01]);
            w.put(Tag(0x06), &[0x28, 0xD3, 0x16, 0x01, 0x00, 0x08]);
            w.constructed(Tag(0x31), |w| {
                for (n, s) in [
                    (1u8, "001234567890"),
                    (2, "Nguyễn Văn An"),
                    (3, "01/01/1990"),
                    (9, "Số 1 Phố Huế, Hà Nội"),
                    (15, "123456789"),
                ] {
                    w.constructed(Tag(0x30), |w| {
                        w.put(Tag(0x02), &[n]);
                        w.put(Tag(0x0C), s.as_bytes());
                    });
                }
                w.constructed(Tag(0x30), |w| {
                    w.put(Tag(0x02), &[13]);
                    w.constructed(Tag(0x30), |w| {
                        w.put(Tag(0x0C), "Nguyễn Văn Bình".as_bytes());
                        w.put(Tag(0x0C), "Trần Thị Cúc".as_bytes());
                    });
                });
                w.constructed(Tag(0x30), |w| {
                    w.put(Tag(0x02), &[17]);
                    w.put(Tag(0x04), &[0xAA; 3]);
                });
            });
        });
    });
    w.into_bytes()
}

/// Offsets of every length byte of `data` (walking constructed elements), so mutations can
/// target them.
fn length_offsets(data: &[u8]) -> Vec<usize> {
    fn walk(r: Reader<'_>, out: &mut Vec<usize>, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        for tlv in r.flatten() {
            let tag_len = tlv.tag.to_bytes().len();
            out.push(tlv.offset + tag_len);
            if tlv.tag.is_constructed() {
                walk(tlv.children(), out, depth + 1);
            }
        }
    }
    let mut out = Vec::new();
    walk(Reader::new(data), &mut out, 0);
    out
}

/// Recursively reads every element, as a generic walker (pretty printer) would.
fn walk_tlv(data: &[u8]) {
    fn go(r: Reader<'_>, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        for tlv in r.flatten() {
            let _ = tlv.as_uint();
            if tlv.tag.is_constructed() {
                go(tlv.children(), depth + 1);
            }
        }
    }
    go(Reader::new(data), 0);
    let _ = cccd::tlv::parse_single(data);
    let _ = cccd::tlv::total_len_from_header(data);
}

fn mutate(rng: &mut SeededRandom, input: &[u8], lengths: &[usize]) -> Vec<u8> {
    let mut out = input.to_vec();
    let rounds = 1 + rng.below(3);
    for _ in 0..rounds {
        let len = out.len() as u64;
        match rng.below(7) {
            // Flip 1 to 8 bits.
            0 if len > 0 => {
                for _ in 0..=rng.below(8) {
                    let i = rng.below(len) as usize;
                    out[i] ^= 1 << rng.below(8);
                }
            }
            // Truncate.
            1 => out.truncate(rng.below(len + 1) as usize),
            // A length byte set to FF or another hostile value.
            2 | 3 if !lengths.is_empty() => {
                let i = lengths[rng.below(lengths.len() as u64) as usize];
                if let Some(b) = out.get_mut(i) {
                    *b = [0xFF, 0x80, 0x84, 0x83, 0x82, 0x00, 0x7F, 0x81][rng.below(8) as usize];
                }
            }
            // Any byte set to FF.
            4 if len > 0 => {
                let i = rng.below(len) as usize;
                out[i] = 0xFF;
            }
            // Insert random bytes.
            5 => {
                let at = rng.below(len + 1) as usize;
                let n = 1 + rng.below(4) as usize;
                let bytes = rng.bytes(n);
                out.splice(at..at, bytes);
            }
            // Delete a range.
            _ if len > 0 => {
                let at = rng.below(len) as usize;
                let n = (1 + rng.below(4) as usize).min(out.len() - at);
                out.drain(at..at + n);
            }
            _ => {}
        }
    }
    out
}

fn run_all(data: &[u8]) {
    walk_tlv(data);
    let _ = EfCom::parse(data);
    let _ = Dg1::parse(data);
    let _ = Dg13::parse(data);
    let text = String::from_utf8_lossy(data);
    let _ = Mrz::parse(&text);
    let _ = AccessKey::from_mrz(&text);
    let _ = QrData::parse(&text).map(|q| (q.can(), q.mrz_key()));
    if let (Some(id), Some(d1), Some(d2)) = (text.get(..12), text.get(..6), text.get(6..12)) {
        let _ = AccessKey::from_id_and_dates(id, d1, d2);
        let _ = AccessKey::can_from_id(id);
    }
}

#[test]
fn parsers_survive_mutations() {
    let td1 = b"IDVNM2345678900001234567890<<19001011M3001019VNM<<<<<<<<<<<0NGUYEN<<VAN<A<<<<<<<<<<<<<<<<<".to_vec();
    let mut dg1_td1 = Writer::new();
    dg1_td1.constructed(Tag(0x61), |w| {
        w.put(Tag(0x5F1F), &td1);
    });
    let seeds: Vec<Vec<u8>> = vec![
        shared("EF_COM.bin"),
        shared("Datagroup1.bin"),
        dg1_td1.into_bytes(),
        dg13_sample(),
        td1.clone(),
        b"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
            .to_vec(),
        "001234567890|123456789|Nguyễn Văn A|01011990|Nam|Hà Nội|15062021|x|"
            .as_bytes()
            .to_vec(),
    ];
    // Every seed parses with at least one parser, so mutations start from valid inputs.
    for s in &seeds {
        let text = String::from_utf8_lossy(s);
        assert!(
            EfCom::parse(s).is_ok()
                || Dg1::parse(s).is_ok()
                || Dg13::parse(s).is_ok()
                || AccessKey::from_mrz(&text).is_ok()
                || QrData::parse(&text).is_ok()
        );
    }
    let lengths: Vec<Vec<usize>> = seeds.iter().map(|s| length_offsets(s)).collect();
    let mut rng = SeededRandom::new(0x0CCC_D000);
    let mut rejected = 0u32;
    for i in 0..ITERATIONS {
        let which = (i % seeds.len() as u64) as usize;
        let input = mutate(&mut rng, &seeds[which], &lengths[which]);
        let result = std::panic::catch_unwind(|| run_all(&input));
        assert!(result.is_ok(), "panic on input {}", hex::encode(&input));
        if EfCom::parse(&input).is_err() && Dg1::parse(&input).is_err() {
            rejected += 1;
        }
    }
    // The mutations do reach the error paths.
    assert!(rejected > ITERATIONS as u32 / 2);
}
