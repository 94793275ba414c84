//! A whole simulated CCCD read (COM, DG1, DG2 ≈ 18 KB, DG13, DG14, DG15, SOD; PACE with the
//! CAN, Chip and Active Authentication) and the PACE handshake alone: host time per run
//! (divan), plus the APDU count and the over-the-air time of the simulator's link model,
//! printed once per configuration (they do not vary between runs).
//! Run: `cargo bench --all-features --bench read`.

use cccd::access::AccessKey;
use cccd::reader::{ReadOptions, Reader};
use cccd::sim::{Card, Profile, SimTransport};
use cccd::transport::trace::Traced;

fn main() {
    report(false);
    report(true);
    divan::main();
}

const SEED: u64 = 2026;

fn key(card: &Card) -> AccessKey {
    AccessKey::can_from_id(&card.persona().id_number).expect("simulated ID")
}

fn options(extended: bool) -> ReadOptions {
    let mut o = ReadOptions::default();
    o.extended_length = extended;
    o
}

/// APDUs and modelled card time of one read, with the file sizes to check the minimum.
fn report(extended: bool) {
    let card = Card::new(Profile::Cccd, SEED);
    let key = key(&card);
    let mut t = Traced::new(SimTransport::new(card));
    let mut session = Reader::new(&mut t).open(&key).expect("open");
    let handshake = session.transport().stats().apdus;
    let handshake_time = session.transport().inner().modelled_time();
    let doc = session
        .read_document(&options(extended), &mut |_| {})
        .expect("read");
    let sizes: Vec<(String, usize)> = doc
        .files()
        .iter()
        .filter_map(|r| r.raw.as_ref().map(|raw| (r.file.name(), raw.len())))
        .collect();
    eprintln!(
        "{} APDUs: {} total, {} for EF.CardAccess + PACE + SELECT; modelled card time {:.0} ms \
         (handshake {:.0} ms); files {:?}",
        if extended {
            "extended-length"
        } else {
            "short (223)"
        },
        t.stats().apdus,
        handshake,
        t.inner().modelled_time().as_secs_f64() * 1e3,
        handshake_time.as_secs_f64() * 1e3,
        sizes
    );
}

/// Host time of a PACE-GM handshake on brainpoolP256r1 with AES-128 (the real CCCD's
/// EF.CardAccess): EF.CardAccess, MSE:Set AT, 4 GENERAL AUTHENTICATE, SELECT.
#[divan::bench]
fn pace_gm_bp256_handshake(bencher: divan::Bencher) {
    bencher
        .with_inputs(|| {
            let card = Card::new(Profile::Cccd, SEED);
            let key = key(&card);
            (SimTransport::new(card), key)
        })
        .bench_values(|(t, key)| Reader::new(t).open(&key).expect("open"));
}

/// Host time of a whole read with short APDUs.
#[divan::bench(sample_count = 20)]
fn read_document_short(bencher: divan::Bencher) {
    bench_read(bencher, false);
}

/// Host time of a whole read with extended-length APDUs.
#[divan::bench(sample_count = 20)]
fn read_document_extended(bencher: divan::Bencher) {
    bench_read(bencher, true);
}

fn bench_read(bencher: divan::Bencher, extended: bool) {
    let o = options(extended);
    bencher
        .with_inputs(|| {
            let card = Card::new(Profile::Cccd, SEED);
            let key = key(&card);
            (SimTransport::new(card), key)
        })
        .bench_values(|(t, key)| {
            Reader::new(t)
                .open(&key)
                .expect("open")
                .read_document(&o, &mut |_| {})
                .expect("read")
        });
}
