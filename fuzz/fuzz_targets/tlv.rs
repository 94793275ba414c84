//! Walks any bytes as nested BER-TLV.
#![no_main]

use cccd::tlv::{Reader, MAX_DEPTH};
use libfuzzer_sys::fuzz_target;

fn walk(r: Reader<'_>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    for tlv in r.flatten() {
        let _ = tlv.as_uint();
        if tlv.tag.is_constructed() {
            walk(tlv.children(), depth + 1);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    walk(Reader::new(data), 0);
    let _ = cccd::tlv::parse_single(data);
    let _ = cccd::tlv::total_len_from_header(data);
});
