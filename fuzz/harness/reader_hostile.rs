//! The reader against a hostile card: `Reader::open` + `read_document` + `Document::verify`.
//! Two fuzz targets share this harness; each input starts with a `flags` byte (the read
//! options, short or extended APDUs) and a `choice` byte (the card and the key):
//! - `reader_hostile` ([`run_scripted`]): a scripted card: every answer (and every reconnect)
//!   comes from the fuzzer's bytes, in every state of the session (EF.CardAccess, PACE, BAC,
//!   secure messaging, file reads, Chip and Active Authentication, re-opens);
//! - `reader_mitm` ([`run_mitm`]): a man in the middle between the reader and a genuine
//!   simulated card (real PACE or BAC and secure messaging): for each exchange one action byte
//!   passes, replaces, splices, truncates, unprotects, flips, replays or drops the answer,
//!   alters the command, loses the tag, or swaps a file on the card.
//!
//! Oracle: no panic, no hang (libFuzzer's timeout), a bounded number of APDUs and reconnects,
//! every command APDU of a legal length, and a document reported genuine carries exactly the
//! genuine card's data-group bytes, was read with PACE where the card offers it, and comes
//! from a chip holding the genuine keys (a clone never passes).
//!
//! Speed: the cards, their keys and SODs are built once per process and reset for each input;
//! the reader and the card draw from seeded generators, so the elliptic-curve results of a
//! session repeat from input to input and come from the library's fuzzing memo
//! (`cccd::crypto::memo`, feature `internals`) after the first time. The protocol code
//! around them, every check on a point or a MAC, and any operand the fuzzer changed run for
//! real.
#![allow(dead_code)] // each target uses half of the harness

use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock};

use cccd::access::key::MrzKey;
use cccd::access::AccessKey;
use cccd::crypto::rng::SeededRandom;
use cccd::document::AccessProtocol;
use cccd::reader::{ReadOptions, Reader};
use cccd::sim::fs::FileSystem;
use cccd::sim::{Card, CardOptions, Profile};
use cccd::transport::{Transport, TransportError};
use cccd::verify::{PaOptions, TrustStore};

/// Far more APDUs than a full read with every resume needs (a CCCD read with short APDUs
/// and three re-opens stays below 300).
const MAX_APDUS: usize = 2_000;
/// Reconnects a read may ask for: one per resume, plus the CA/AA re-runs.
const MAX_RECONNECTS: usize = 16;
/// The longest legal command APDU: extended Lc (3 bytes), 65535 data bytes, extended Le.
const MAX_COMMAND_LEN: usize = 4 + 3 + 65_535 + 2;

struct Genuine {
    card: Option<Card>,
    files: FileSystem,
    can: Option<AccessKey>,
    mrz: AccessKey,
    data_groups: BTreeMap<u8, Vec<u8>>,
    offers_pace: bool,
    clone: bool,
}

/// DG2's size on the fuzzed cards. The issued 18 KB face costs 81 protected short reads on
/// each side, which made up most of a read once the elliptic-curve results were memoized;
/// 2 KB still takes ten chunks (resumes and the read-size ladder inside one file).
const FUZZ_DG2_SIZE: usize = 2_000;

impl Genuine {
    fn new(profile: Profile, seed: u64) -> Self {
        let mut card_options = CardOptions::default();
        card_options.dg2_size = FUZZ_DG2_SIZE;
        let mut card = Card::with_options(profile, seed, card_options);
        if profile == Profile::Bsi {
            // The specimen's 15 KB JPEG 2000 DG2 under 3DES secure messaging cost more than
            // the rest of the read; a small face instead. The specimen's SOD no longer
            // matches it, which changes no verdict: its signer is not in the trust store.
            let small = cccd::sim::files::dg2(card.persona(), FUZZ_DG2_SIZE);
            if let Some(ef) = card.files_mut().get_mut(cccd::sim::fs::fid_dg(2)) {
                ef.content = small;
            }
        }
        let info = card.mrz_information();
        let mrz = AccessKey::Mrz(
            MrzKey::new(
                info.get(0..9).unwrap_or_default().trim_end_matches('<'),
                info.get(10..16).unwrap_or_default(),
                info.get(17..23).unwrap_or_default(),
            )
            .expect("the simulator's MRZ information is valid"),
        );
        let can = AccessKey::can_from_id(&card.persona().id_number).ok();
        let data_groups = (1..=16u8)
            .filter_map(|n| {
                card.files()
                    .content(cccd::sim::fs::fid_dg(n))
                    .map(|c| (n, c.to_vec()))
            })
            .collect();
        Self {
            files: card.files().clone(),
            offers_pace: card.pace_config().is_some() && profile != Profile::Bsi,
            clone: profile == Profile::CccdClone,
            card: Some(card),
            can,
            mrz,
            data_groups,
        }
    }

    /// The card as issued: its files, no session, the same random numbers every time.
    fn fresh_card(&mut self) -> Card {
        let mut card = self
            .card
            .take()
            .expect("the card is put back after each input");
        *card.files_mut() = self.files.clone();
        card.reset();
        card.with_random(Box::new(SeededRandom::new(7)))
    }
}

struct World {
    cards: Vec<Mutex<Genuine>>,
    /// Each card's data groups as issued, readable without taking a card's lock.
    issued: Vec<BTreeMap<u8, Vec<u8>>>,
    trust: TrustStore,
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        // Both sides draw from seeded generators reset per input, so nearly every scalar
        // multiplication and signature check repeats: computed once, then looked up.
        cccd::crypto::memo::enable_for_fuzzing();
        let mut trust = TrustStore::new();
        trust
            .add_certificate_der(cccd::sim::sod::csca_certificate().expect("test PKI"))
            .expect("the test CSCA loads");
        let cards: Vec<Genuine> = [
            (Profile::Cccd, 1),
            (Profile::Passport, 2),
            (Profile::Bsi, 3),
            (Profile::CccdClone, 1),
        ]
        .into_iter()
        .map(|(p, s)| Genuine::new(p, s))
        .collect();
        World {
            issued: cards.iter().map(|c| c.data_groups.clone()).collect(),
            cards: cards.into_iter().map(Mutex::new).collect(),
            trust,
        }
    })
}

/// The fuzzer's bytes, consumed front to back; empty once used up.
struct Bytes<'a>(&'a [u8]);

impl<'a> Bytes<'a> {
    fn byte(&mut self) -> Option<u8> {
        let (b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(*b)
    }

    fn take(&mut self, n: usize) -> &'a [u8] {
        let (head, rest) = self.0.split_at(n.min(self.0.len()));
        self.0 = rest;
        head
    }

    /// A length-prefixed run: one length byte, or `FF` and two more.
    fn chunk(&mut self) -> &'a [u8] {
        let n = match self.byte() {
            Some(0xFF) => {
                let hi = self.byte().unwrap_or(0);
                let lo = self.byte().unwrap_or(0);
                usize::from(u16::from_be_bytes([hi, lo]))
            }
            Some(n) => usize::from(n),
            None => 0,
        };
        self.take(n)
    }
}

/// What every transport here checks and counts.
#[derive(Default)]
struct Counters {
    apdus: usize,
    reconnects: usize,
}

impl Counters {
    fn command(&mut self, apdu: &[u8]) {
        self.apdus += 1;
        assert!(self.apdus <= MAX_APDUS, "unbounded APDUs");
        assert!(
            (4..=MAX_COMMAND_LEN).contains(&apdu.len()),
            "command APDU of {} bytes",
            apdu.len()
        );
    }

    fn reconnect(&mut self) {
        self.reconnects += 1;
        assert!(self.reconnects <= MAX_RECONNECTS, "unbounded reconnects");
    }
}

/// A card whose every answer is the fuzzer's.
struct Scripted<'a> {
    bytes: Bytes<'a>,
    extended: bool,
    counters: Counters,
}

impl Transport for Scripted<'_> {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        self.counters.command(apdu);
        match self.bytes.byte() {
            None | Some(0xFE) => Err(TransportError::CardRemoved),
            Some(0xFD) => Err(TransportError::Other("reader fault".into())),
            Some(_) => Ok(self.bytes.chunk().to_vec()),
        }
    }

    fn supports_extended_length(&self) -> bool {
        self.extended
    }

    fn reconnect(&mut self) -> Result<(), TransportError> {
        self.counters.reconnect();
        match self.bytes.byte() {
            Some(b) if b & 1 == 1 => Ok(()),
            _ => Err(TransportError::CardRemoved),
        }
    }
}

/// A man in the middle between the reader and a genuine card.
struct Mitm<'a> {
    card: Card,
    bytes: Bytes<'a>,
    extended: bool,
    counters: Counters,
    previous: Vec<Vec<u8>>,
}

impl Mitm<'_> {
    fn forward(&mut self, apdu: &[u8]) -> Vec<u8> {
        let response = self.card.process(apdu);
        if self.previous.len() < 64 {
            self.previous.push(response.clone());
        }
        response
    }
}

impl Transport for Mitm<'_> {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        self.counters.command(apdu);
        let Some(action) = self.bytes.byte() else {
            return Ok(self.forward(apdu));
        };
        if action < 0x80 {
            return Ok(self.forward(apdu));
        }
        let mut response = match action & 0x0F {
            // The command altered on its way to the card.
            0x0 => {
                let mut command = apdu.to_vec();
                let at = usize::from(self.bytes.byte().unwrap_or(0)) % command.len().max(1);
                let bit = self.bytes.byte().unwrap_or(0) & 7;
                if let Some(b) = command.get_mut(at) {
                    *b ^= 1 << bit;
                }
                return Ok(self.forward(&command));
            }
            // The command never reaches the card; the answer is the fuzzer's.
            0x1 => return Ok(self.bytes.chunk().to_vec()),
            // The card answers, the reader gets the fuzzer's answer instead.
            0x2 => {
                self.forward(apdu);
                return Ok(self.bytes.chunk().to_vec());
            }
            // The tag leaves the field.
            0x3 => {
                self.card.reset();
                return Err(TransportError::CardRemoved);
            }
            // An earlier answer of this session, replayed.
            0x4 => {
                self.forward(apdu);
                let n = usize::from(self.bytes.byte().unwrap_or(0));
                let len = self.previous.len();
                return Ok(if len == 0 {
                    vec![0x90, 0x00]
                } else {
                    self.previous[n % len].clone()
                });
            }
            // A file on the card swapped for the fuzzer's bytes (a forged or cloned file).
            0x5 => {
                let n = self.bytes.byte().unwrap_or(1) % 17;
                let content = self.bytes.chunk().to_vec();
                let fid = if n == 0 {
                    0x011D // EF.SOD
                } else {
                    cccd::sim::fs::fid_dg(n)
                };
                if let Some(ef) = self.card.files_mut().get_mut(fid) {
                    ef.content = content;
                }
                self.forward(apdu)
            }
            _ => self.forward(apdu),
        };
        match action & 0x0F {
            // Truncated.
            0x6 => {
                let n = usize::from(self.bytes.byte().unwrap_or(0));
                response.truncate(n);
            }
            // Unprotected: the bare status word (or the fuzzer's), no MAC.
            0x7 => {
                let sw = if self.bytes.byte().unwrap_or(0) & 1 == 0 {
                    response
                        .get(response.len().saturating_sub(2)..)
                        .unwrap_or_default()
                        .to_vec()
                } else {
                    self.bytes.take(2).to_vec()
                };
                response = sw;
            }
            // Spliced: bytes written over the answer at an offset.
            0x8 => {
                let at = usize::from(self.bytes.byte().unwrap_or(0));
                let patch = self.bytes.chunk();
                for (i, b) in patch.iter().enumerate() {
                    if let Some(slot) = response.get_mut(at + i) {
                        *slot = *b;
                    } else {
                        response.push(*b);
                    }
                }
            }
            // One bit flipped.
            0x9 => {
                let hi = self.bytes.byte().unwrap_or(0);
                let lo = self.bytes.byte().unwrap_or(0);
                let at = usize::from(u16::from_be_bytes([hi, lo])) % response.len().max(1);
                let bit = self.bytes.byte().unwrap_or(0) & 7;
                if let Some(b) = response.get_mut(at) {
                    *b ^= 1 << bit;
                }
            }
            // The status word replaced, the data kept.
            0xA => {
                let len = response.len().saturating_sub(2);
                response.truncate(len);
                response.extend_from_slice(self.bytes.take(2));
            }
            // Bytes appended.
            0xB => response.extend_from_slice(self.bytes.chunk()),
            _ => {}
        }
        Ok(response)
    }

    fn supports_extended_length(&self) -> bool {
        self.extended
    }

    fn reconnect(&mut self) -> Result<(), TransportError> {
        self.counters.reconnect();
        self.card.reset();
        Ok(())
    }
}

fn options(flags: u8) -> ReadOptions {
    let mut o = ReadOptions::default();
    o.chip_authentication = flags & 0x04 == 0;
    o.active_authentication = flags & 0x08 == 0;
    o.skip_face = flags & 0x10 != 0;
    o.max_resumes = usize::from((flags >> 6) & 3);
    o.extended_length = true;
    o.active_authentication_challenge = Some([0x5A; 8]);
    o
}

/// One input, the adversary chosen by the low bit of the first byte (0: the scripted card,
/// 1: the man in the middle), as the single `reader_hostile` target of old took it: replays
/// inputs saved before the two targets were split.
pub fn run(data: &[u8]) {
    match data.first() {
        Some(flags) if flags & 1 == 1 => run_mitm(data),
        _ => run_scripted(data),
    }
}

/// The key the input's `choice` byte picks for the card it picks: the CAN where the card has
/// one and bit 2 is clear, else the MRZ key.
fn key_for(genuine: &Genuine, choice: u8) -> AccessKey {
    match (choice & 4 == 0, &genuine.can) {
        (true, Some(can)) => can.clone(),
        _ => genuine.mrz.clone(),
    }
}

/// One input of the `reader_hostile` target: the card answers from the fuzzer's bytes
/// (`flags`, `choice`, then the script; the low bit of `flags` is ignored).
pub fn run_scripted(data: &[u8]) {
    let [flags, choice, rest @ ..] = data else {
        return;
    };
    let world = world();
    let options = options(*flags);
    let extended = flags & 0x02 != 0;
    let key = {
        let genuine = world.cards[usize::from(choice & 3)]
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        key_for(&genuine, *choice)
    };
    let Some((document, genuine_verdict)) = scripted_read(world, &key, &options, extended, rest)
    else {
        return;
    };
    // Nothing a scripted card says can carry the test CSCA's signature over data it does not
    // know: a document reported genuine holds data groups exactly as one of the genuine cards
    // was issued with (the script may replay any card's session, whatever `choice` says).
    if genuine_verdict {
        let read = document.data_groups();
        assert!(
            world
                .issued
                .iter()
                .any(|issued| read.iter().all(|(n, bytes)| issued.get(n) == Some(bytes))),
            "a scripted card's DGs {:?} reported genuine",
            read.keys().collect::<Vec<_>>()
        );
    }
}

/// One input of the `reader_mitm` target: a man in the middle between the reader and a
/// genuine card (`flags`, `choice`, then one action per exchange; the low bit of `flags` is
/// ignored).
pub fn run_mitm(data: &[u8]) {
    let [flags, choice, rest @ ..] = data else {
        return;
    };
    let (flags, choice) = (*flags, *choice);
    let world = world();
    let options = options(flags);
    let extended = flags & 0x02 != 0;
    let mut genuine = world.cards[usize::from(choice & 3)]
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    let key = key_for(&genuine, choice);
    let rng = || Box::new(SeededRandom::new(11));
    let pa = PaOptions::default();
    let card = genuine.fresh_card();
    let mut mitm = Mitm {
        card,
        bytes: Bytes(rest),
        extended,
        counters: Counters::default(),
        previous: Vec::new(),
    };
    let read = Reader::new(&mut mitm)
        .with_rng(rng())
        .open(&key)
        .and_then(|mut s| s.read_document(&options, &mut |_| {}));
    genuine.card = Some(mitm.card);
    let Ok(document) = read else {
        return;
    };
    let verdict = document.verify(&world.trust, &pa);
    if !verdict.genuine {
        return;
    }
    assert!(!genuine.clone, "a clone passed: {:?}", verdict.findings);
    for (n, bytes) in document.data_groups() {
        assert_eq!(
            genuine.data_groups.get(&n),
            Some(&bytes),
            "DG{n} reported genuine but differs from the card's"
        );
    }
    if genuine.offers_pace {
        assert!(
            matches!(document.access, AccessProtocol::Pace { .. }),
            "a PACE card read with {} reported genuine",
            document.access
        );
    }
}

/// The read and verification of a scripted card answering from `script`: the document and
/// whether it was reported genuine, or `None` when the read failed.
fn scripted_read(
    world: &World,
    key: &AccessKey,
    options: &ReadOptions,
    extended: bool,
    script: &[u8],
) -> Option<(cccd::document::Document, bool)> {
    let mut card = Scripted {
        bytes: Bytes(script),
        extended,
        counters: Counters::default(),
    };
    let mut session = Reader::new(&mut card)
        .with_rng(Box::new(SeededRandom::new(11)))
        .open(key)
        .ok()?;
    let document = session.read_document(options, &mut |_| {}).ok()?;
    let genuine = document.verify(&world.trust, &PaOptions::default()).genuine;
    Some((document, genuine))
}

/// Whether a whole input for the scripted card (as [`scripted_seed`] writes) reads to a
/// document reported genuine (for the seed's own test).
#[allow(dead_code)]
pub fn scripted_is_genuine(data: &[u8]) -> bool {
    let [flags, choice, script @ ..] = data else {
        return false;
    };
    let world = world();
    let key = {
        let genuine = world.cards[usize::from(choice & 3)]
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        key_for(&genuine, *choice)
    };
    scripted_read(world, &key, &options(*flags), flags & 0x02 != 0, script)
        .is_some_and(|(_, genuine)| genuine)
}

/// Records the answers a transport gives, in the scripted card's input format.
struct Recorder<'a, T> {
    inner: &'a mut T,
    out: Vec<u8>,
}

impl<T: Transport> Transport for Recorder<'_, T> {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        let r = self.inner.transmit(apdu);
        match &r {
            Ok(bytes) => {
                self.out.push(0x01);
                match u8::try_from(bytes.len()) {
                    Ok(n) if n < 0xFF => self.out.push(n),
                    _ => {
                        self.out.push(0xFF);
                        let n = u16::try_from(bytes.len()).unwrap_or(u16::MAX);
                        self.out.extend_from_slice(&n.to_be_bytes());
                    }
                }
                self.out.extend_from_slice(bytes);
            }
            Err(_) => self.out.push(0xFE),
        }
        r
    }

    fn supports_extended_length(&self) -> bool {
        self.inner.supports_extended_length()
    }

    fn reconnect(&mut self) -> Result<(), TransportError> {
        let r = self.inner.reconnect();
        self.out.push(if r.is_ok() { 0x01 } else { 0x00 });
        r
    }
}

/// A seed for the scripted card: the answers of the genuine card `choice` to a read with the
/// options of `flags`, recorded through the man in the middle letting everything pass. With
/// the same random numbers on both sides, the scripted card replays a whole genuine session
/// (PACE, secure messaging, CA, AA), so the fuzzer starts from every state of it.
#[allow(dead_code)]
pub fn scripted_seed(flags: u8, choice: u8) -> Vec<u8> {
    let world = world();
    let options = options(flags);
    let mut genuine = world.cards[usize::from(choice & 3)]
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    let key = key_for(&genuine, choice);
    let mut mitm = Mitm {
        card: genuine.fresh_card(),
        bytes: Bytes(&[]),
        extended: flags & 0x02 != 0,
        counters: Counters::default(),
        previous: Vec::new(),
    };
    let mut recorder = Recorder {
        inner: &mut mitm,
        out: vec![flags & !1, choice],
    };
    let _ = Reader::new(&mut recorder)
        .with_rng(Box::new(SeededRandom::new(11)))
        .open(&key)
        .and_then(|mut s| s.read_document(&options, &mut |_| {}));
    let out = recorder.out;
    genuine.card = Some(mitm.card);
    out
}
