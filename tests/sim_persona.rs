//! Personas: valid ID numbers, MRZ check digits, DG13 in UTF-8 with diacritics.
#![cfg(all(feature = "sim", feature = "internals"))]

use cccd::sim::files::{dg1, dg13, ef_com};
use cccd::sim::persona::{CardKind, Persona, Sex, PROVINCE_CODES};
use cccd::tlv::{Reader, Tag};

/// ICAO 9303-3 §4.9, written again here so the test does not trust the code it checks.
fn cd(s: &str) -> u8 {
    let w = [7u32, 3, 1];
    let sum: u32 = s
        .bytes()
        .enumerate()
        .map(|(i, b)| {
            let v = match b {
                b'0'..=b'9' => u32::from(b - b'0'),
                b'A'..=b'Z' => u32::from(b - b'A') + 10,
                b'<' => 0,
                _ => panic!("not an MRZ character: {b}"),
            };
            v * w[i % 3]
        })
        .sum();
    b'0' + (sum % 10) as u8
}

fn dg13_fields(bytes: &[u8]) -> Vec<(u8, Vec<u8>)> {
    let outer = cccd::tlv::parse_single(bytes).unwrap();
    assert_eq!(outer.tag, Tag(0x6D));
    let mut seq = outer.children();
    let body = seq.read_tag(Tag(0x30)).unwrap();
    seq.finish().unwrap();
    let mut r = body.children();
    assert_eq!(r.read_tag(Tag(0x02)).unwrap().value, &[1]);
    assert_eq!(
        r.read_tag(Tag(0x06)).unwrap().value,
        &[0x28, 0xD3, 0x16, 0x01, 0x00, 0x08]
    );
    let set = r.read_tag(Tag(0x31)).unwrap();
    r.finish().unwrap();
    let mut out = Vec::new();
    for item in set.children() {
        let item = item.unwrap();
        assert_eq!(item.tag, Tag(0x30));
        let mut f = item.children();
        let n = f.read_tag(Tag(0x02)).unwrap().as_u8().unwrap();
        let v = f.read().unwrap();
        f.finish().unwrap();
        out.push((n, v.raw.to_vec()));
    }
    out
}

fn utf8_value(raw: &[u8]) -> String {
    let t = cccd::tlv::parse_single(raw).unwrap();
    assert_eq!(t.tag, Tag(0x0C));
    String::from_utf8(t.value.to_vec()).unwrap()
}

#[test]
fn hundred_personas_are_valid() {
    let mut kinds = (0, 0);
    let mut no_expiry = 0;
    let mut spouses = 0;
    let mut old_ids = 0;
    let mut with_diacritics = 0;
    for seed in 0..100u64 {
        let p = Persona::generate(seed);
        assert_eq!(p, Persona::generate(seed), "deterministic");
        let id = &p.id_number;
        assert_eq!(id.len(), 12);
        assert!(id.bytes().all(|b| b.is_ascii_digit()));
        assert!(
            PROVINCE_CODES.iter().any(|(c, _)| *c == &id[..3]),
            "{}",
            &id[..3]
        );
        let century_sex = id.as_bytes()[3] - b'0';
        let expected = match (p.date_of_birth.year >= 2000, p.sex) {
            (false, Sex::Male) => 0,
            (false, Sex::Female) => 1,
            (true, Sex::Male) => 2,
            (true, Sex::Female) => 3,
        };
        assert_eq!(century_sex, expected);
        assert!((1900..2100).contains(&p.date_of_birth.year));
        assert_eq!(id[4..6], format!("{:02}", p.date_of_birth.year % 100));
        assert_eq!(*p.can(), id[6..]);
        assert_eq!(p.document_number(), id[3..]);

        // MRZ.
        let [l1, l2, l3] = p.mrz();
        for l in [&l1, &l2, &l3] {
            assert_eq!(l.len(), 30, "{l}");
            assert!(l
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'<'));
        }
        assert_eq!(&l1[..5], "IDVNM");
        assert_eq!(&l1[5..14], &id[3..]);
        assert_eq!(cd(&l1[5..14]), l1.as_bytes()[14]);
        assert_eq!(&l1[15..27], id.as_str());
        assert_eq!(&l1[27..29], "<<");
        assert_eq!(cd(&l1[15..27]), l1.as_bytes()[29]);
        assert_eq!(&l2[..6], p.date_of_birth.yymmdd());
        assert_eq!(cd(&l2[..6]), l2.as_bytes()[6]);
        assert_eq!(
            l2.as_bytes()[7],
            if p.sex == Sex::Male { b'M' } else { b'F' }
        );
        assert_eq!(cd(&l2[8..14]), l2.as_bytes()[14]);
        match p.date_of_expiry {
            Some(d) => assert_eq!(&l2[8..14], d.yymmdd()),
            None => {
                assert_eq!(&l2[8..14], "<<<<<<");
                no_expiry += 1;
            }
        }
        assert_eq!(&l2[15..18], "VNM");
        let composite = format!("{}{}{}{}", &l1[5..30], &l2[0..7], &l2[8..15], &l2[18..29]);
        assert_eq!(cd(&composite), l2.as_bytes()[29]);
        let surname_ascii = l3.split("<<").next().unwrap();
        assert!(!surname_ascii.is_empty());
        assert_eq!(
            *p.mrz_information(),
            format!("{}{}{}", &l1[5..15], &l2[0..7], &l2[8..15])
        );

        // Expiry after issue, and the holder below 60 at expiry.
        if let Some(e) = p.date_of_expiry {
            assert!(e > p.date_of_issue);
            assert!(e.year - p.date_of_birth.year <= 60);
        }
        match p.kind {
            CardKind::Cccd => kinds.0 += 1,
            _ => kinds.1 += 1,
        }

        // DG1 holds exactly the MRZ.
        let d1 = dg1(&p);
        assert_eq!(&d1[..5], &[0x61, 0x5D, 0x5F, 0x1F, 0x5A]);
        assert_eq!(&d1[5..], format!("{l1}{l2}{l3}").as_bytes());

        // DG13.
        let fields = dg13_fields(&dg13(&p));
        let numbers: Vec<u8> = fields.iter().map(|(n, _)| *n).collect();
        assert!(numbers.windows(2).all(|w| w[0] < w[1]));
        for n in 1..=13 {
            assert!(numbers.contains(&n), "field {n} missing");
        }
        let text = |n: u8| utf8_value(&fields.iter().find(|(k, _)| *k == n).unwrap().1);
        assert_eq!(text(1), *id);
        assert_eq!(text(2), p.full_name);
        with_diacritics += usize::from(!text(2).is_ascii());
        assert!(text(3).len() == 10 && &text(3)[2..3] == "/" && &text(3)[5..6] == "/");
        assert!(text(4) == "Nam" || text(4) == "Nữ");
        assert_eq!(text(5), "Việt Nam");
        assert!(!text(9).is_ascii());
        if p.date_of_expiry.is_none() {
            assert_eq!(text(12), "Không thời hạn");
        }
        assert_eq!(text(16).len(), 16);
        assert!(text(16).bytes().all(|b| b.is_ascii_hexdigit()));
        spouses += usize::from(numbers.contains(&14));
        old_ids += usize::from(numbers.contains(&15));
        assert_eq!(numbers.contains(&14), p.spouse_name.is_some());
        assert_eq!(numbers.contains(&15), p.old_id_number.is_some());
        if let Some(old) = &p.old_id_number {
            assert_eq!(old.len(), 9);
        }
    }
    // The generator actually varies what it is meant to vary.
    assert!(kinds.0 > 0 && kinds.1 > 0, "{kinds:?}");
    assert!(no_expiry > 0, "no persona without expiry");
    // A few names are plain ASCII ("Phan Minh An"), most are not.
    assert!(with_diacritics > 80, "{with_diacritics}");
    assert!(spouses > 0 && spouses < 100);
    assert!(old_ids > 0 && old_ids < 100);
}

#[test]
fn com_lists_dg1_dg2_dg3_dg13() {
    let com = ef_com(&[0x61, 0x75, 0x63, 0x6D]);
    let t = cccd::tlv::parse_single(&com).unwrap();
    assert_eq!(t.tag, Tag(0x60));
    let mut r: Reader<'_> = t.children();
    assert_eq!(r.read_tag(Tag(0x5F01)).unwrap().value, b"0107");
    assert_eq!(r.read_tag(Tag(0x5F36)).unwrap().value, b"040000");
    assert_eq!(
        r.read_tag(Tag(0x5C)).unwrap().value,
        &[0x61, 0x75, 0x63, 0x6D]
    );
    r.finish().unwrap();
}

#[test]
fn dg2_is_a_face_record() {
    let card = cccd::sim::Card::new(cccd::sim::Profile::Cccd, 1);
    let dg2 = card.files().content(0x0102).unwrap();
    assert_eq!(dg2.len(), 18_000);
    let t = cccd::tlv::parse_single(dg2).unwrap();
    let bit_group = t.children().read_tag(Tag(0x7F61)).unwrap();
    let mut g = bit_group.children();
    assert_eq!(g.read_tag(Tag(0x02)).unwrap().value, &[1]);
    let bit = g.read_tag(Tag(0x7F60)).unwrap();
    let mut b = bit.children();
    let bht = b.read_tag(Tag(0xA1)).unwrap();
    assert!(bht.value.windows(3).any(|w| w == [0x81, 0x01, 0x02]));
    let rec = b.read_tag(Tag(0x5F2E)).unwrap().value;
    assert_eq!(&rec[..8], b"FAC\x00010\x00");
    let record_len = u32::from_be_bytes(rec[8..12].try_into().unwrap()) as usize;
    assert_eq!(record_len, rec.len());
    // Image starts after 14 + 20 + 12 bytes and is JPEG framed.
    assert_eq!(&rec[46..48], &[0xFF, 0xD8]);
    assert_eq!(&rec[rec.len() - 2..], &[0xFF, 0xD9]);
}
