//! The reader against the simulated chip over BAC, through the whole stack: EF.CardAccess,
//! SELECT, BAC, secure messaging, chunked reads, parsing. The two sides share no protocol code.
//! (The same card with PACE: tests/read_pace.rs.)
#![cfg(feature = "sim")]

use crate::parallel;

use cccd::access::AccessKey;
use cccd::document::FileStatus;
use cccd::reader::{ReadOptions, Reader};
use cccd::sim::{Card, CardOptions, Profile, SimTransport};
use cccd::transport::trace::Traced;
use cccd::ElementaryFile;
use cccd::Error;

/// A simulated CCCD that offers BAC only (no EF.CardAccess, like older chips).
fn bac_card(seed: u64) -> Card {
    bac_card_with(seed, CardOptions::default())
}

fn bac_card_with(seed: u64, mut options: CardOptions) -> Card {
    options.pace = None;
    Card::with_options(Profile::Cccd, seed, options)
}

/// APDUs besides the file reads: EF.CardAccess (absent: one READ BINARY answered 6A82),
/// SELECT application, GET CHALLENGE and EXTERNAL AUTHENTICATE (BAC); then Chip
/// Authentication after DG14 (MSE:Set AT + GENERAL AUTHENTICATE, AES) and Active
/// Authentication after DG15 (INTERNAL AUTHENTICATE).
const HANDSHAKE: usize = 1 + 1 + 2;
const CLONE_DETECTION: usize = 2 + 1;

fn key_of(card: &Card) -> AccessKey {
    let p = card.persona();
    AccessKey::from_id_and_dates(&p.id_number, &p.date_of_birth.yymmdd(), &p.mrz_expiry()).unwrap()
}

fn file_len(card: &Card, file: ElementaryFile) -> Option<usize> {
    card.files().content(file.fid()).map(<[u8]>::len)
}

#[test]
fn hundred_personas_read_identically() {
    let seeds: Vec<u64> = (0..100).collect();
    parallel::on_every_core(&seeds, |_, &seed| {
        let card = bac_card(seed);
        let key = key_of(&card);
        let expected = bac_card(seed);
        let mut session = Reader::new(SimTransport::new(card)).open(&key).unwrap();
        let mut last_progress = None;
        let doc = session
            .read_document(&ReadOptions::default(), &mut |p| last_progress = Some(*p))
            .unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        // Every file the card lists was read byte for byte.
        for rec in doc.files() {
            if let FileStatus::Read = rec.status {
                let want = expected.files().content(rec.file.fid());
                assert_eq!(rec.raw.as_deref(), want, "seed {seed}: {}", rec.file.name());
            }
        }
        assert!(
            doc.parse_failures.is_empty(),
            "seed {seed}: {:?}",
            doc.parse_failures
        );
        let p = expected.persona();
        let dg13 = doc.dg13.as_ref().unwrap();
        assert_eq!(dg13.id_number.as_deref(), Some(p.id_number.as_str()));
        assert_eq!(dg13.full_name.as_deref(), Some(p.full_name.as_str()));
        assert_eq!(
            dg13.place_of_residence.as_deref(),
            Some(p.place_of_residence.as_str())
        );
        assert_eq!(dg13.father_name.as_deref(), Some(p.father_name.as_str()));
        assert_eq!(dg13.spouse_name, p.spouse_name);
        assert_eq!(dg13.old_id_number, p.old_id_number);
        let dg1 = doc.dg1.as_ref().unwrap();
        assert_eq!(dg1.mrz.vn_id_number.as_deref(), Some(p.id_number.as_str()));
        assert_eq!(dg1.mrz.document_number, p.id_number[3..]);
        assert_eq!(dg1.mrz.date_of_expiry, p.mrz_expiry());
        assert!(dg1.mrz.check_digits_valid);
        assert_eq!(doc.id_number(), Some(p.id_number.as_str()));
        // DG3 needs EAC: skipped without an APDU.
        let dg3 = doc
            .files()
            .iter()
            .find(|r| r.file == ElementaryFile::Dg(3))
            .unwrap();
        assert!(matches!(dg3.status, FileStatus::Skipped { .. }));
        assert!(last_progress.is_some());
    });
}

#[test]
fn apdu_count_is_the_minimum() {
    let card = bac_card(5);
    let key = key_of(&card);
    let sizes: Vec<(ElementaryFile, usize)> = [
        ElementaryFile::Com,
        ElementaryFile::Dg(1),
        ElementaryFile::Dg(2),
        ElementaryFile::Dg(13),
        ElementaryFile::Dg(14),
        ElementaryFile::Dg(15),
        ElementaryFile::Sod,
    ]
    .into_iter()
    .map(|f| (f, file_len(&card, f).expect("the CCCD has it")))
    .collect();
    assert_eq!(file_len(&card, ElementaryFile::CardAccess), None);
    for (extended, chunk) in [(false, 223usize), (true, cccd::reader::MAX_EXTENDED_CHUNK)] {
        let card = bac_card(5);
        let mut options = ReadOptions::default();
        options.extended_length = extended;
        let mut traced = Traced::new(SimTransport::new(card));
        let doc = Reader::new(&mut traced)
            .open(&key)
            .unwrap()
            .read_document(&options, &mut |_| {})
            .unwrap();
        assert!(doc
            .files()
            .iter()
            .all(|r| !matches!(r.status, FileStatus::NotPresent { .. })
                || r.file == ElementaryFile::CardAccess));
        let reads: usize = sizes.iter().map(|(_, n)| n.div_ceil(chunk)).sum();
        assert_eq!(
            traced.stats().apdus,
            HANDSHAKE + CLONE_DETECTION + reads,
            "extended {extended}, sizes {sizes:?}"
        );
    }
}

#[test]
fn file_of_exact_multiple_of_223_takes_k_reads() {
    for k in [1usize, 2, 40, 81] {
        let mut options = CardOptions::default();
        options.dg2_size = 223 * k;
        let card = bac_card_with(9, options);
        assert_eq!(file_len(&card, ElementaryFile::Dg(2)), Some(223 * k));
        let key = key_of(&card);
        let mut traced = Traced::new(SimTransport::new(card));
        let mut session = Reader::new(&mut traced).open(&key).unwrap();
        let before = session.transport().stats().apdus;
        let dg2 = session
            .read_file(ElementaryFile::Dg(2), &mut |_| {})
            .unwrap();
        let after = session.transport().stats().apdus;
        assert_eq!(dg2.len(), 223 * k);
        assert_eq!(after - before, k, "k = {k}");
    }
}

#[test]
fn wrong_key_is_access_denied() {
    let card = bac_card(3);
    let p = card.persona().clone();
    // Same person, birth date off by a few days: the card must refuse, cleanly.
    let mut dob = p.date_of_birth.yymmdd();
    dob.replace_range(4..6, if &dob[4..6] == "01" { "02" } else { "01" });
    let key = AccessKey::from_id_and_dates(&p.id_number, &dob, &p.mrz_expiry()).unwrap();
    let err = Reader::new(SimTransport::new(card)).open(&key).unwrap_err();
    assert_eq!(err, Error::WrongAccessKey);
}

#[test]
fn first_nine_digits_is_the_classic_bug_and_fails() {
    let card = bac_card(4);
    let p = card.persona().clone();
    // Build the MRZ key from the FIRST 9 digits, as buggy readers do.
    let wrong = format!("{}000", &p.id_number[..9]);
    let key =
        AccessKey::from_id_and_dates(&wrong, &p.date_of_birth.yymmdd(), &p.mrz_expiry()).unwrap();
    let err = Reader::new(SimTransport::new(card)).open(&key).unwrap_err();
    assert_eq!(err, Error::WrongAccessKey);
}

#[test]
fn skip_face_reads_no_dg2() {
    let card = bac_card(11);
    let key = key_of(&card);
    let mut options = ReadOptions::default();
    options.skip_face = true;
    let doc = Reader::new(SimTransport::new(card))
        .open(&key)
        .unwrap()
        .read_document(&options, &mut |_| {})
        .unwrap();
    assert!(doc.raw(ElementaryFile::Dg(2)).is_none());
    assert!(doc.dg13.is_some());
}

/// A DG2 past 32,767 bytes: the reads beyond that offset use the odd READ BINARY (`B1`,
/// offset in DO'54', data in DO'53'), over extended APDUs (reads of 65,280 bytes: a DG2 of
/// 70,000 needs a second one) and short ones alike, and the file comes out byte for byte.
#[test]
fn a_face_past_32_kilobytes_is_read_with_the_odd_instruction() {
    for (extended, size) in [(true, 70_000), (false, 40_000)] {
        let mut card_options = CardOptions::default();
        card_options.dg2_size = size;
        let card = Card::with_options(Profile::Cccd, 7, card_options);
        let want = card
            .files()
            .content(ElementaryFile::Dg(2).fid())
            .unwrap()
            .to_vec();
        assert!(want.len() > 32_767 + 223, "{}", want.len());
        let key = key_of(&card);
        let mut traced = Traced::new(SimTransport::new(card));
        let mut options = ReadOptions::default();
        options.extended_length = extended;
        let doc = Reader::new(&mut traced)
            .open(&key)
            .unwrap()
            .read_document(&options, &mut |_| {})
            .unwrap();
        let dg2 = doc
            .files()
            .iter()
            .find(|r| r.file == ElementaryFile::Dg(2))
            .unwrap();
        assert_eq!(
            dg2.raw.as_deref(),
            Some(want.as_slice()),
            "extended {extended}"
        );
        assert!(
            traced.entries().iter().any(|e| e.ins == 0xB1),
            "extended {extended}: no B1"
        );
    }
}

/// What a chip answers to the read of a data group decides its record: `6A82` absent,
/// `6982`/`6985` access denied (status word kept), both protected under secure messaging;
/// any other refusal ends the read with a typed error naming the status word.
#[test]
fn a_refused_data_group_is_recorded_by_what_the_chip_answered() {
    use cccd::StatusWord;
    for (sw, want) in [
        (0x6A82, Some(FileStatus::NotPresent { protected: true })),
        (
            0x6982,
            Some(FileStatus::AccessDenied {
                sw: 0x6982,
                protected: true,
            }),
        ),
        (
            0x6985,
            Some(FileStatus::AccessDenied {
                sw: 0x6985,
                protected: true,
            }),
        ),
        (0x6F00, None),
        (0x6A80, None),
    ] {
        let mut options = CardOptions::default();
        options.refuse_reads = vec![(ElementaryFile::Dg(13), StatusWord(sw))];
        let card = bac_card_with(3, options);
        let key = key_of(&card);
        let result = Reader::new(SimTransport::new(card))
            .open(&key)
            .unwrap()
            .read_document(&ReadOptions::default(), &mut |_| {});
        match want {
            Some(status) => {
                let doc = result.unwrap_or_else(|e| panic!("{sw:04X}: {e}"));
                let dg13 = doc
                    .files()
                    .iter()
                    .find(|r| r.file == ElementaryFile::Dg(13))
                    .unwrap();
                assert_eq!(dg13.status, status, "{sw:04X}");
                assert!(dg13.raw.is_none());
            }
            None => assert!(
                matches!(result, Err(Error::Card { sw: got, .. }) if got == StatusWord(sw)),
                "{sw:04X}: {result:?}"
            ),
        }
    }
}

/// Progress counts every byte once: for each file, up to its size; for the session, the sum
/// of the files read after access control (EF.CardAccess comes before it).
#[test]
fn progress_adds_up_to_the_files_read() {
    let card = bac_card(5);
    let key = key_of(&card);
    let mut seen = Vec::new();
    let doc = Reader::new(SimTransport::new(card))
        .open(&key)
        .unwrap()
        .read_document(&ReadOptions::default(), &mut |p| {
            seen.push((p.file, p.file_read, p.file_total, p.session_read))
        })
        .unwrap();
    let read: usize = doc
        .files()
        .iter()
        .filter(|r| r.file != ElementaryFile::CardAccess)
        .filter_map(|r| r.raw.as_ref().map(Vec::len))
        .sum();
    assert_eq!(seen.last().unwrap().3, read);
    assert!(seen.windows(2).all(|w| w[0].3 < w[1].3));
    for r in doc.files() {
        if let (Some(raw), Some(last)) = (&r.raw, seen.iter().rev().find(|s| s.0 == r.file)) {
            assert_eq!(
                (last.1, last.2),
                (raw.len(), Some(raw.len())),
                "{:?}",
                r.file
            );
        }
    }
}
