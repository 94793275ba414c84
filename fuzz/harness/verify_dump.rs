//! Passive authentication of a genuine simulated dump (the files a phone uploads) against a
//! real trust store, with the fuzzer's mutations: bits flipped, files truncated, spliced,
//! replaced, removed, renamed or added.
//!
//! Oracle: a document reported genuine (or whose passive authentication passed) holds exactly
//! the genuine card's data-group bytes.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use cccd::document::Document;
use cccd::reader::{ReadOptions, Reader};
use cccd::sim::{Card, Profile, SimTransport};
use cccd::verify::{PaOptions, TrustStore};

struct Dump {
    files: Vec<(String, Vec<u8>)>,
    data_groups: BTreeMap<u8, Vec<u8>>,
    trust: TrustStore,
    options: PaOptions,
}

fn dump() -> &'static Dump {
    static DUMP: OnceLock<Dump> = OnceLock::new();
    DUMP.get_or_init(|| {
        let card = Card::new(Profile::Cccd, 5);
        let key = cccd::access::AccessKey::can_from_id(&card.persona().id_number)
            .expect("the persona's ID is valid");
        let document = Reader::new(SimTransport::new(card))
            .open(&key)
            .and_then(|mut s| s.read_document(&ReadOptions::default(), &mut |_| {}))
            .expect("the simulated card reads");
        let mut trust = TrustStore::new();
        trust
            .add_certificate_der(cccd::sim::sod::csca_certificate().expect("test PKI"))
            .expect("the test CSCA loads");
        let options = PaOptions::default().expect_issuing_state("VNM");
        let files: Vec<(String, Vec<u8>)> = document
            .files()
            .iter()
            .filter_map(|r| r.raw.clone().map(|raw| (r.file.name(), raw)))
            .collect();
        let rebuilt = Document::from_files(files.clone()).expect("the dump rebuilds");
        // The positive control: unmutated, the dump is genuine.
        assert!(rebuilt.verify(&trust, &options).data_authentic);
        Dump {
            data_groups: document.data_groups(),
            files,
            trust,
            options,
        }
    })
}

const NAMES: [&str; 20] = [
    "CardAccess",
    "CardSecurity",
    "COM",
    "SOD",
    "DG1",
    "DG2",
    "DG3",
    "DG4",
    "DG5",
    "DG6",
    "DG7",
    "DG11",
    "DG12",
    "DG13",
    "DG14",
    "DG15",
    "DG16",
    "DG8",
    "DG9",
    "DG10",
];

fn u16_at(data: &mut &[u8]) -> usize {
    let v = match data {
        [a, b, rest @ ..] => {
            let v = u16::from_be_bytes([*a, *b]);
            *data = rest;
            v
        }
        _ => 0,
    };
    usize::from(v)
}

fn byte(data: &mut &[u8]) -> u8 {
    match data.split_first() {
        Some((b, rest)) => {
            *data = rest;
            *b
        }
        None => 0,
    }
}

fn chunk<'a>(data: &mut &'a [u8]) -> &'a [u8] {
    let n = usize::from(byte(data)).min(data.len());
    let (head, rest) = data.split_at(n);
    *data = rest;
    head
}

/// One input: the whole target (shared by the fuzz target and tests/fuzz_regressions.rs).
pub fn run(input: &[u8]) {
    let dump = dump();
    let mut files = dump.files.clone();
    let mut data = input;
    let mut ops = 0;
    while !data.is_empty() && ops < 16 {
        ops += 1;
        let op = byte(&mut data);
        if files.is_empty() {
            break;
        }
        let i = usize::from(byte(&mut data)) % files.len();
        let content = &mut files[i].1;
        match op % 9 {
            0 => {
                let at = u16_at(&mut data) % content.len().max(1);
                let bit = byte(&mut data) & 7;
                if let Some(b) = content.get_mut(at) {
                    *b ^= 1 << bit;
                }
            }
            1 => {
                let n = u16_at(&mut data);
                content.truncate(n);
            }
            2 => {
                let at = u16_at(&mut data).min(content.len());
                let patch = chunk(&mut data);
                content.splice(at..at, patch.iter().copied());
            }
            3 => {
                let at = u16_at(&mut data);
                for (k, b) in chunk(&mut data).iter().enumerate() {
                    if let Some(slot) = content.get_mut(at + k) {
                        *slot = *b;
                    }
                }
            }
            4 => *content = chunk(&mut data).to_vec(),
            5 => {
                files.remove(i);
            }
            6 => {
                let name = NAMES[usize::from(byte(&mut data)) % NAMES.len()];
                files[i].0 = name.to_string();
            }
            7 => {
                let j = usize::from(byte(&mut data)) % files.len();
                let moved = files[j].1.clone();
                files[i].1 = moved;
            }
            _ => {
                let name = NAMES[usize::from(byte(&mut data)) % NAMES.len()];
                files.push((name.to_string(), chunk(&mut data).to_vec()));
            }
        }
    }
    let Ok(document) = Document::from_files(files) else {
        return;
    };
    let verdict = document.verify(&dump.trust, &dump.options);
    let pa_genuine = verdict.passive_authentication.is_genuine();
    if verdict.genuine || verdict.data_authentic || pa_genuine {
        for (n, bytes) in document.data_groups() {
            assert_eq!(
                dump.data_groups.get(&n),
                Some(&bytes),
                "DG{n} altered, yet passive authentication passed"
            );
        }
    }
    if verdict.genuine {
        assert_eq!(
            document.data_groups(),
            dump.data_groups,
            "a genuine document lost a group"
        );
    }
}
