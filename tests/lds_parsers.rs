//! EF.COM, DG1 and DG13: real reference data (BSI TR-03105-5), ICAO specimens, and the
//! Vietnamese DG13 layout, including malformed inputs.
// Uses the primitives (tlv, crypto, the protocol steps): feature `internals`.
#![cfg(feature = "internals")]

use cccd::lds::mrz::{CheckDigits, Mrz, MrzError, MrzFormat};
use cccd::lds::{DataGroup, Dg1, Dg13, EfCom, LdsErrorKind};
use cccd::tlv::{Tag, TlvErrorKind, Writer};
use serde_json::Value;

fn shared(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../shared/test-data/bsi-tr03105-5/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn dg1_of(mrz: &str) -> Vec<u8> {
    let mut w = Writer::new();
    w.constructed(Tag(0x61), |w| {
        w.put(Tag(0x5F1F), mrz.as_bytes());
    });
    w.into_bytes()
}

#[test]
fn bsi_ef_com() {
    let com = EfCom::parse(&shared("EF_COM.bin")).unwrap();
    assert_eq!(com.lds_version, "0107");
    assert_eq!(com.unicode_version, "040000");
    assert_eq!(
        com.data_groups,
        [
            DataGroup::Dg1,
            DataGroup::Dg2,
            DataGroup::Dg3,
            DataGroup::Dg4,
            DataGroup::Dg14
        ]
    );
    assert!(com.unknown_tags.is_empty());
    assert!(com.contains(DataGroup::Dg14) && !com.contains(DataGroup::Dg15));
}

#[test]
fn bsi_dg1_td3_mustermann() {
    let dg1 = Dg1::parse(&shared("Datagroup1.bin")).unwrap();
    let m = &dg1.mrz;
    assert_eq!(m.format, MrzFormat::Td3);
    assert_eq!(m.document_code, "P");
    assert_eq!(m.issuing_state, "D");
    assert_eq!(m.document_number, "C11T002JM");
    assert_eq!(m.date_of_birth, "960812");
    assert_eq!(m.sex, "F");
    assert_eq!(m.date_of_expiry, "231031");
    assert_eq!(m.nationality, "D");
    assert_eq!(m.primary_identifier, "MUSTERMANN");
    assert_eq!(m.secondary_identifier, "ERIKA");
    assert_eq!(m.optional_data_1, "");
    assert_eq!(m.optional_data_2, "");
    assert_eq!(m.vn_id_number, None);
    assert_eq!(
        m.raw,
        "P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<C11T002JM4D<<9608122F2310314<<<<<<<<<<<<<<<4"
    );
    assert_eq!(
        m.lines(),
        [
            "P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<",
            "C11T002JM4D<<9608122F2310314<<<<<<<<<<<<<<<4"
        ]
    );
    // The personal-number check digit is '<' over an all-filler field: allowed.
    assert_eq!(
        m.check_digits,
        CheckDigits {
            document_number: true,
            date_of_birth: true,
            date_of_expiry: true,
            optional_data: Some(true),
            composite: true,
            vn_id_number: None,
        }
    );
    assert!(m.check_digits_valid);
}

#[test]
fn icao_specimens_as_dg1() {
    let text = std::fs::read_to_string(format!(
        "{}/test-vectors/mrz_specimens.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let json: Value = serde_json::from_str(&text).unwrap();
    for v in json["vectors"].as_array().unwrap() {
        let raw: String = v["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap())
            .collect();
        let m = Dg1::parse(&dg1_of(&raw)).unwrap().mrz;
        let format = match v["format"].as_str().unwrap() {
            "Td1" => MrzFormat::Td1,
            "Td2" => MrzFormat::Td2,
            _ => MrzFormat::Td3,
        };
        assert_eq!(m.format, format);
        let e = &v["expected"];
        let s = |k: &str| e[k].as_str().unwrap().to_owned();
        assert_eq!(m.document_code, s("document_code"));
        assert_eq!(m.issuing_state, s("issuing_state"));
        assert_eq!(m.document_number, s("document_number"));
        assert_eq!(m.date_of_birth, s("date_of_birth"));
        assert_eq!(m.sex, s("sex"));
        assert_eq!(m.date_of_expiry, s("date_of_expiry"));
        assert_eq!(m.nationality, s("nationality"));
        assert_eq!(m.primary_identifier, s("primary_identifier"));
        assert_eq!(m.secondary_identifier, s("secondary_identifier"));
        assert_eq!(m.optional_data_1, s("optional_data_1"));
        assert_eq!(m.optional_data_2, s("optional_data_2"));
        assert_eq!(m.raw, raw);
        assert!(
            m.check_digits_valid,
            "{}: {:?}",
            v["source"], m.check_digits
        );
        assert_eq!(
            m.check_digits.optional_data,
            (format == MrzFormat::Td3).then_some(true)
        );
        // One changed character in the name is not covered by any check digit; in the dates it is.
        let mut bad = raw.clone().into_bytes();
        let dob_at = raw.find("740812").unwrap();
        bad[dob_at + 5] = b'3';
        let m = Mrz::parse_exact(std::str::from_utf8(&bad).unwrap()).unwrap();
        assert!(!m.check_digits.date_of_birth && !m.check_digits.composite);
        assert!(!m.check_digits_valid);
    }
}

#[test]
fn vietnamese_td1_in_dg1() {
    // Synthetic CCCD MRZ; check digits computed independently (Python, ICAO 9303-3 §4.9).
    let raw = "IDVNM2345678900001234567890<<19001011M3001019VNM<<<<<<<<<<<0NGUYEN<<VAN<A<<<<<<<<<<<<<<<<<";
    let m = Dg1::parse(&dg1_of(raw)).unwrap().mrz;
    assert_eq!(m.format, MrzFormat::Td1);
    assert_eq!(m.document_code, "ID");
    assert_eq!(m.issuing_state, "VNM");
    assert_eq!(m.document_number, "234567890");
    assert_eq!(m.vn_id_number.as_deref(), Some("001234567890"));
    assert_eq!(m.optional_data_1, "001234567890<<1");
    assert_eq!(m.check_digits.vn_id_number, Some(true));
    assert_eq!(m.primary_identifier, "NGUYEN");
    assert_eq!(m.secondary_identifier, "VAN A");
    assert!(m.check_digits_valid);
    // The ID's own check digit (last character of line 1) is checked separately.
    let bad = raw.replacen("<<1", "<<2", 1);
    let m = Dg1::parse(&dg1_of(&bad)).unwrap().mrz;
    assert_eq!(m.check_digits.vn_id_number, Some(false));
    assert!(!m.check_digits_valid);
}

#[test]
fn dg1_errors() {
    let good = shared("Datagroup1.bin");
    // Wrong outer tag.
    let mut b = good.clone();
    b[0] = 0x62;
    assert_eq!(
        Dg1::parse(&b).unwrap_err().kind,
        LdsErrorKind::UnexpectedTag {
            expected: 0x61,
            found: 0x62
        }
    );
    // Truncated.
    assert!(matches!(
        Dg1::parse(&good[..good.len() - 1]).unwrap_err().kind,
        LdsErrorKind::Tlv(TlvErrorKind::Truncated { .. })
    ));
    // Trailing byte after the file.
    let mut b = good.clone();
    b.push(0);
    assert!(matches!(
        Dg1::parse(&b).unwrap_err().kind,
        LdsErrorKind::Tlv(TlvErrorKind::TrailingData(1))
    ));
    // MRZ of the wrong length, with a bad character, not UTF-8.
    assert_eq!(
        Dg1::parse(&dg1_of("P<D<<")).unwrap_err().kind,
        LdsErrorKind::Mrz(MrzError::Length(5))
    );
    let raw = String::from_utf8(good[5..].to_vec()).unwrap();
    assert_eq!(
        Dg1::parse(&dg1_of(&raw.replacen("MUSTER", "MUSTEr", 1)))
            .unwrap_err()
            .kind,
        LdsErrorKind::Mrz(MrzError::Character(10))
    );
    let mut b = dg1_of(&raw);
    b[10] = 0xC3;
    assert!(matches!(
        Dg1::parse(&b).unwrap_err().kind,
        LdsErrorKind::Invalid { field: "MRZ", .. }
    ));
    // 5F1F missing.
    assert!(matches!(
        Dg1::parse(&[0x61, 0x00]).unwrap_err().kind,
        LdsErrorKind::Tlv(TlvErrorKind::Missing(0x5F1F))
    ));
}

#[test]
fn ef_com_errors_and_unknown_tags() {
    let com =
        EfCom::parse(&hex::decode("60165F0104303130375F36063034303030305C04616D6E77").unwrap())
            .unwrap();
    assert_eq!(
        com.data_groups,
        [DataGroup::Dg1, DataGroup::Dg13, DataGroup::Dg14]
    );
    assert_eq!(com.unknown_tags, [0x77]);
    // Duplicate tag in the list.
    assert!(matches!(
        EfCom::parse(&hex::decode("60165F0104303130375F36063034303030305C0461616D6E").unwrap())
            .unwrap_err()
            .kind,
        LdsErrorKind::Duplicate { number: 0x61, .. }
    ));
    // LDS version not 4 digits.
    assert_eq!(
        EfCom::parse(
            &hex::decode(
                "60155F0103303130 5F3606303430303030 5C0461756D6E"
                    .replace(' ', "")
                    .as_str()
            )
            .unwrap()
        )
        .unwrap_err()
        .kind,
        LdsErrorKind::Invalid {
            field: "LDS version",
            reason: "not the expected number of ASCII digits"
        }
    );
    // Missing tag list.
    assert!(matches!(
        EfCom::parse(&hex::decode("60105F0104303130375F3606303430303030").unwrap())
            .unwrap_err()
            .kind,
        LdsErrorKind::Tlv(TlvErrorKind::Missing(0x5C))
    ));
}

#[test]
fn data_group_table() {
    let tags = [
        0x61, 0x75, 0x63, 0x76, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6A, 0x6B, 0x6C, 0x6D, 0x6E, 0x6F,
        0x70,
    ];
    for (i, dg) in DataGroup::ALL.into_iter().enumerate() {
        let n = u8::try_from(i + 1).unwrap();
        assert_eq!(dg.number(), n);
        assert_eq!(dg.tag(), tags[i]);
        assert_eq!(DataGroup::from_tag(tags[i]), Some(dg));
        assert_eq!(DataGroup::from_number(n), Some(dg));
        assert_eq!(dg.fid(), 0x0100 + u16::from(n));
        assert_eq!(dg.sfi(), n);
        assert_eq!(dg.to_string(), format!("DG{n}"));
    }
    assert_eq!(DataGroup::Dg13.fid(), 0x010D);
    assert_eq!(DataGroup::from_tag(0x60), None);
    assert_eq!(DataGroup::from_number(0), None);
    assert_eq!(DataGroup::from_number(17), None);
}

// ---- DG13 ----

const OID: [u8; 6] = [0x28, 0xD3, 0x16, 0x01, 0x00, 0x08];

/// A field's value: one string of the given tag, or a SEQUENCE of strings.
enum V<'a> {
    S(u8, &'a [u8]),
    Seq(Vec<(u8, &'a [u8])>),
    Raw(&'a [u8]),
}

fn dg13(fields: &[(u32, V<'_>)]) -> Vec<u8> {
    let mut w = Writer::new();
    w.constructed(Tag(0x6D), |w| {
        w.constructed(Tag(0x30), |w| {
            w.put(Tag(0x02), &[0x01]);
            w.put(Tag(0x06), &OID);
            w.constructed(Tag(0x31), |w| {
                for (n, v) in fields {
                    w.constructed(Tag(0x30), |w| {
                        let nb = n.to_be_bytes();
                        let skip = nb.iter().take_while(|b| **b == 0).count().min(3);
                        let mut int = nb[skip..].to_vec();
                        if int[0] & 0x80 != 0 {
                            int.insert(0, 0);
                        }
                        w.put(Tag(0x02), &int);
                        match v {
                            V::S(t, s) => {
                                w.put(Tag(u32::from(*t)), s);
                            }
                            V::Seq(items) => {
                                w.constructed(Tag(0x30), |w| {
                                    for (t, s) in items {
                                        w.put(Tag(u32::from(*t)), s);
                                    }
                                });
                            }
                            V::Raw(r) => {
                                w.raw(r);
                            }
                        }
                    });
                }
            });
        });
    });
    w.into_bytes()
}

fn u(s: &str) -> V<'_> {
    V::S(0x0C, s.as_bytes())
}

fn full_fields() -> Vec<(u32, V<'static>)> {
    vec![
        (1, u("001234567890")),
        (2, u("Nguyễn Văn An")),
        (3, u("01/01/1990")),
        (4, u("Nam")),
        (5, u("Việt Nam")),
        (6, u("Kinh")),
        (7, u("Không")),
        (8, u("Xã Đông Sơn, Thủy Nguyên, Hải Phòng")),
        (9, u("Số 1 Phố Huế, Hai Bà Trưng, Hà Nội")),
        (10, u("Nốt ruồi C:2cm trên sau mép phải")),
        (11, u("15/06/2021")),
        (12, u("01/01/2030")),
        (
            13,
            V::Seq(vec![
                (0x0C, "Nguyễn Văn Bình".as_bytes()),
                (0x0C, "Trần Thị Cúc".as_bytes()),
            ]),
        ),
        (14, V::Seq(vec![(0x0C, "Lê Thị Dung".as_bytes())])),
        (15, u("123456789")),
        (16, u("0A1B2C3D4E5F6071")),
    ]
}

#[test]
fn dg13_all_sixteen_fields() {
    let d = Dg13::parse(&dg13(&full_fields())).unwrap();
    assert_eq!(d.id_number.as_deref(), Some("001234567890"));
    assert_eq!(d.full_name.as_deref(), Some("Nguyễn Văn An"));
    assert_eq!(d.date_of_birth.as_deref(), Some("01/01/1990"));
    assert_eq!(d.sex.as_deref(), Some("Nam"));
    assert_eq!(d.nationality.as_deref(), Some("Việt Nam"));
    assert_eq!(d.ethnicity.as_deref(), Some("Kinh"));
    assert_eq!(d.religion.as_deref(), Some("Không"));
    assert_eq!(
        d.place_of_origin.as_deref(),
        Some("Xã Đông Sơn, Thủy Nguyên, Hải Phòng")
    );
    assert_eq!(
        d.place_of_residence.as_deref(),
        Some("Số 1 Phố Huế, Hai Bà Trưng, Hà Nội")
    );
    assert_eq!(
        d.identifying_marks.as_deref(),
        Some("Nốt ruồi C:2cm trên sau mép phải")
    );
    assert_eq!(d.date_of_issue.as_deref(), Some("15/06/2021"));
    assert_eq!(d.date_of_expiry.as_deref(), Some("01/01/2030"));
    assert_eq!(d.father_name.as_deref(), Some("Nguyễn Văn Bình"));
    assert_eq!(d.mother_name.as_deref(), Some("Trần Thị Cúc"));
    assert_eq!(d.spouse_name.as_deref(), Some("Lê Thị Dung"));
    assert_eq!(d.old_id_number.as_deref(), Some("123456789"));
    assert_eq!(d.field16.as_deref(), Some("0A1B2C3D4E5F6071"));
    assert!(d.unknown.is_empty());
}

#[test]
fn dg13_absent_fields_unknown_kept_raw_any_order() {
    let mut fields: Vec<(u32, V<'static>)> = full_fields()
        .into_iter()
        .filter(|(n, _)| *n != 14 && *n != 15)
        .collect();
    fields.reverse();
    fields.insert(3, (17, V::S(0x04, &[0xDE, 0xAD])));
    fields.push((300, V::Raw(&[])));
    let d = Dg13::parse(&dg13(&fields)).unwrap();
    assert_eq!(d.spouse_name, None);
    assert_eq!(d.old_id_number, None);
    assert_eq!(d.full_name.as_deref(), Some("Nguyễn Văn An"));
    assert_eq!(d.mother_name.as_deref(), Some("Trần Thị Cúc"));
    assert_eq!(
        d.unknown,
        vec![(17, vec![0x04, 0x02, 0xDE, 0xAD]), (300, vec![])]
    );
}

#[test]
fn dg13_string_types_and_plain_parents() {
    let bmp: Vec<u8> = "Lê Thị Dung"
        .encode_utf16()
        .flat_map(u16::to_be_bytes)
        .collect();
    let fields = vec![
        (1, V::S(0x13, b"001234567890")),
        (2, V::S(0x13, b"NGUYEN VAN AN")),
        (13, u("Nguyễn Văn Bình")),
        (14, V::S(0x1E, &bmp)),
        (15, u("")),
    ];
    let d = Dg13::parse(&dg13(&fields)).unwrap();
    assert_eq!(d.id_number.as_deref(), Some("001234567890"));
    assert_eq!(d.full_name.as_deref(), Some("NGUYEN VAN AN"));
    assert_eq!(d.father_name.as_deref(), Some("Nguyễn Văn Bình"));
    assert_eq!(d.mother_name, None);
    assert_eq!(d.spouse_name.as_deref(), Some("Lê Thị Dung"));
    assert_eq!(d.old_id_number.as_deref(), Some(""));
}

#[test]
fn dg13_diacritics_byte_exact() {
    // Decomposed (NFD) "ễ" = e + U+0302 + U+0303 stays decomposed.
    let nfd = "Nguye\u{0302}\u{0303}n";
    let d = Dg13::parse(&dg13(&[(2, u(nfd))])).unwrap();
    assert_eq!(
        d.full_name.as_deref().map(str::as_bytes),
        Some(nfd.as_bytes())
    );
    assert_ne!(d.full_name.as_deref(), Some("Nguyễn"));
}

#[test]
fn dg13_malformed() {
    let good = dg13(&full_fields());
    // Wrong outer tag.
    let mut b = good.clone();
    b[0] = 0x6E;
    assert_eq!(
        Dg13::parse(&b).unwrap_err().kind,
        LdsErrorKind::UnexpectedTag {
            expected: 0x6D,
            found: 0x6E
        }
    );
    // Every truncation is a typed error.
    for n in 0..good.len() {
        assert!(
            matches!(
                Dg13::parse(&good[..n]).unwrap_err().kind,
                LdsErrorKind::Tlv(_)
            ),
            "{n}"
        );
    }
    // Duplicate field.
    assert_eq!(
        Dg13::parse(&dg13(&[(2, u("A")), (2, u("B"))]))
            .unwrap_err()
            .kind,
        LdsErrorKind::Duplicate {
            field: "DG13 field",
            number: 2
        }
    );
    // Invalid UTF-8, non-ASCII PrintableString, odd BMPString, unpaired surrogate.
    for v in [
        V::S(0x0C, &[0xC3, 0x28]),
        V::S(0x13, &[0xE1]),
        V::S(0x1E, &[0x00]),
        V::S(0x1E, &[0xD8, 0x00]),
    ] {
        assert!(matches!(
            Dg13::parse(&dg13(&[(2, v)])).unwrap_err().kind,
            LdsErrorKind::Invalid {
                field: "DG13 value",
                ..
            }
        ));
    }
    // A value of another type.
    assert_eq!(
        Dg13::parse(&dg13(&[(2, V::S(0x02, &[1]))]))
            .unwrap_err()
            .kind,
        LdsErrorKind::UnexpectedTag {
            expected: 0x0C,
            found: 0x02
        }
    );
    // No value; two values; three parents.
    assert!(matches!(
        Dg13::parse(&dg13(&[(2, V::Raw(&[]))])).unwrap_err().kind,
        LdsErrorKind::Invalid {
            reason: "no value",
            ..
        }
    ));
    assert!(matches!(
        Dg13::parse(&dg13(&[(2, V::Raw(&[0x0C, 0x01, b'A', 0x0C, 0x01, b'B']))]))
            .unwrap_err()
            .kind,
        LdsErrorKind::Invalid {
            reason: "more than one value",
            ..
        }
    ));
    assert!(matches!(
        Dg13::parse(&dg13(&[(
            13,
            V::Seq(vec![(0x0C, b"A"), (0x0C, b"B"), (0x0C, b"C")])
        )]))
        .unwrap_err()
        .kind,
        LdsErrorKind::Invalid {
            field: "DG13 field 13",
            ..
        }
    ));
    // Negative and oversized field numbers.
    let neg = hex::decode("6D16301402010106062".to_owned() + "8D31601000831073005020180" + "0C00")
        .unwrap();
    assert!(matches!(
        Dg13::parse(&neg).unwrap_err().kind,
        LdsErrorKind::Invalid {
            field: "DG13 field number",
            reason: "negative"
        }
    ));
    // Item of the SET that is not a SEQUENCE.
    let not_seq =
        hex::decode("6D12301002010106062".to_owned() + "8D3160100083103" + "0C0141").unwrap();
    assert_eq!(
        Dg13::parse(&not_seq).unwrap_err().kind,
        LdsErrorKind::UnexpectedTag {
            expected: 0x30,
            found: 0x0C
        }
    );
    // Missing OID.
    let no_oid = hex::decode("6D0A3008020101".to_owned() + "3103" + "0C0141").unwrap();
    assert!(matches!(
        Dg13::parse(&no_oid).unwrap_err().kind,
        LdsErrorKind::UnexpectedTag {
            expected: 0x06,
            found: 0x31
        }
    ));
    // Trailing data after the file.
    let mut b = good;
    b.extend_from_slice(&[0x00, 0x00]);
    assert!(matches!(
        Dg13::parse(&b).unwrap_err().kind,
        LdsErrorKind::Tlv(TlvErrorKind::TrailingData(2))
    ));
}

#[cfg(feature = "serde")]
#[test]
fn serde_output() {
    let dg1 = Dg1::parse(&shared("Datagroup1.bin")).unwrap();
    let json = serde_json::to_value(&dg1).unwrap();
    assert_eq!(json["mrz"]["format"], "td3");
    assert_eq!(json["mrz"]["document_number"], "C11T002JM");
    assert_eq!(json["mrz"]["check_digits"]["optional_data"], true);
    let back: Dg1 = serde_json::from_value(json).unwrap();
    assert_eq!(back, dg1);
    let com = EfCom::parse(&shared("EF_COM.bin")).unwrap();
    let json = serde_json::to_value(&com).unwrap();
    assert_eq!(json["data_groups"][4], "DG14");
    let back: EfCom = serde_json::from_value(json).unwrap();
    assert_eq!(back, com);
    let d = Dg13::parse(&dg13(&full_fields())).unwrap();
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(json["mother_name"], "Trần Thị Cúc");
}

/// `Dg1::issuing_state` (what passive authentication binds to the certificates' country) is
/// the full parse's issuing state, and fails exactly where the full parse fails, with the
/// same error: on every specimen, the Vietnamese TD1 and each malformed DG1 of `dg1_errors`.
#[test]
fn dg1_issuing_state_alone_is_the_full_parse_s() {
    let good = shared("Datagroup1.bin");
    let text = std::fs::read_to_string(format!(
        "{}/test-vectors/mrz_specimens.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let json: Value = serde_json::from_str(&text).unwrap();
    let mut inputs: Vec<Vec<u8>> = json["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            let lines = v["lines"].as_array().unwrap();
            dg1_of(
                &lines
                    .iter()
                    .map(|l| l.as_str().unwrap())
                    .collect::<String>(),
            )
        })
        .collect();
    inputs.push(dg1_of("IDVNM2345678900001234567890<<19001011M3001019VNM<<<<<<<<<<<0NGUYEN<<VAN<A<<<<<<<<<<<<<<<<<"));
    inputs.push(good.clone());
    let mut wrong_tag = good.clone();
    wrong_tag[0] = 0x62;
    inputs.push(wrong_tag);
    inputs.push(good[..good.len() - 1].to_vec());
    inputs.push([good.as_slice(), &[0]].concat());
    inputs.push(dg1_of("P<D<<"));
    let raw = String::from_utf8(good[5..].to_vec()).unwrap();
    inputs.push(dg1_of(&raw.replacen("MUSTER", "MUSTEr", 1)));
    let mut not_utf8 = good.clone();
    not_utf8[9] = 0xC3;
    inputs.push(not_utf8);
    let mut ok = 0;
    for input in &inputs {
        let alone = Dg1::issuing_state(input);
        let full = Dg1::parse(input).map(|d| d.mrz.issuing_state);
        assert_eq!(alone, full, "{}", hex::encode(input));
        ok += usize::from(alone.is_ok());
    }
    assert_eq!(
        ok,
        inputs.len() - 6,
        "the six malformed inputs fail, the others parse"
    );
}
