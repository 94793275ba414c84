//! Access keys: check digits (ICAO 9303-3), MRZ keys from an ID, from a pasted MRZ, from the
//! QR code, the CAN, and the CCCD validity rule.
// Uses the primitives (tlv, crypto, the protocol steps): feature `internals`.
#![cfg(feature = "internals")]

use cccd::access::key::{
    derive_expiry, AccessKey, Can, DerivedExpiry, IdNumberError, KeyError, MrzKey, QrData, QrError,
};
use cccd::lds::mrz::{check_digit, MrzError};
use serde_json::Value;
use zeroize::Zeroizing;

fn vectors(name: &str) -> Vec<Value> {
    let path = format!("{}/test-vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    let json: Value = serde_json::from_str(&text).unwrap();
    json["vectors"].as_array().unwrap().clone()
}

fn mrz_key(key: &AccessKey) -> &MrzKey {
    match key {
        AccessKey::Mrz(k) => k,
        other => panic!("not an MRZ key: {other:?}"),
    }
}

// A synthetic CCCD TD1 (ID 001234567890, born 1990-01-01, expires 2030-01-01); its check
// digits were computed independently of this crate (Python one-liner of ICAO 9303-3 §4.9).
const VN_TD1: &str = "IDVNM2345678900001234567890<<1\n9001011M3001019VNM<<<<<<<<<<<0\nNGUYEN<<VAN<A<<<<<<<<<<<<<<<<<";
// Same, without expiry (holder over 58 at issue): expiry `<<<<<<` with check digit 0.
const VN_TD1_NO_EXPIRY: &str = "IDVNM0560012349079056001234<<9\n5606153F<<<<<<0VNM<<<<<<<<<<<0\nTRAN<<THI<B<<<<<<<<<<<<<<<<<<<";

#[test]
fn icao_check_digit_examples() {
    let vs = vectors("mrz_check_digits.json");
    assert!(vs.len() >= 10);
    for v in vs {
        let input = v["input"].as_str().unwrap();
        let expected = v["check_digit"].as_u64().unwrap();
        assert_eq!(
            check_digit(input).map(u64::from),
            Some(expected),
            "{}",
            v["source"]
        );
    }
    assert_eq!(
        check_digit("ab2134"),
        None,
        "lower case is not an MRZ character"
    );
    assert_eq!(check_digit("12 34"), None);
}

#[test]
fn bac_mrz_information_and_key_seed() {
    for v in vectors("bac_mrz_information.json") {
        let key = MrzKey::new(
            v["document_number"].as_str().unwrap(),
            v["date_of_birth"].as_str().unwrap(),
            v["date_of_expiry"].as_str().unwrap(),
        )
        .unwrap();
        let info = key.mrz_information();
        assert_eq!(
            std::str::from_utf8(&info).unwrap(),
            v["mrz_information"].as_str().unwrap()
        );
        let seed = cccd::crypto::kdf::bac_key_seed(&info);
        assert_eq!(hex::encode_upper(&*seed), v["k_seed"].as_str().unwrap());
    }
}

#[test]
fn specimen_mrzs_give_keys() {
    for v in vectors("mrz_specimens.json") {
        let lines: Vec<&str> = v["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap())
            .collect();
        let key = AccessKey::from_mrz(&lines.join("\n")).unwrap();
        let k = mrz_key(&key);
        let e = &v["expected"];
        assert_eq!(k.document_number(), e["document_number"].as_str().unwrap());
        assert_eq!(k.date_of_birth(), e["date_of_birth"].as_str().unwrap());
        assert_eq!(k.date_of_expiry(), e["date_of_expiry"].as_str().unwrap());
        // Also pasted on one line with spaces, and in lower case.
        let one_line = lines.join(" ").to_lowercase();
        assert_eq!(AccessKey::from_mrz(&one_line).unwrap(), key);
    }
}

#[test]
fn td3_specimen_mrz_information() {
    // The document number L898902C3 fills the 9 positions; its check digit 6 is printed.
    let key = AccessKey::from_mrz(
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10",
    )
    .unwrap();
    assert_eq!(
        &mrz_key(&key).mrz_information()[..],
        b"L898902C3674081221204159"
    );
}

#[test]
fn vietnamese_td1_uses_the_last_nine_digits() {
    let key = AccessKey::from_mrz(VN_TD1).unwrap();
    let k = mrz_key(&key);
    assert_eq!(k.document_number(), "234567890");
    assert_eq!(&k.mrz_information()[..], b"234567890090010113001019");
    // The same key from the ID number and the dates.
    let from_id = AccessKey::from_id_and_dates("001234567890", "900101", "300101").unwrap();
    assert_eq!(from_id, key);
    // Neither the first 9 nor all 12 digits.
    assert_ne!(
        from_id,
        AccessKey::Mrz(MrzKey::new("001234567", "900101", "300101").unwrap())
    );
    assert_ne!(
        from_id,
        AccessKey::Mrz(MrzKey::new("001234567890", "900101", "300101").unwrap())
    );
}

#[test]
fn no_expiry_is_accepted() {
    let key = AccessKey::from_mrz(VN_TD1_NO_EXPIRY).unwrap();
    let k = mrz_key(&key);
    assert_eq!(k.date_of_expiry(), "<<<<<<");
    assert_eq!(&k.mrz_information()[..], b"05600123495606153<<<<<<0");
    let from_id = AccessKey::from_id_and_dates("079056001234", "560615", "<<<<<<").unwrap();
    assert_eq!(from_id, key);
    // Partial fillers are not a date.
    assert_eq!(
        AccessKey::from_id_and_dates("079056001234", "560615", "<<<<<1").unwrap_err(),
        KeyError::Date {
            field: "date of expiry"
        }
    );
}

#[test]
fn bad_check_digits_are_reported_by_field() {
    let td1 = "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<";
    let cases = [
        ("D231458907", "D231458908", "document number"),
        ("7408122F", "7408123F", "date of birth"),
        ("1204159UTO", "1204158UTO", "date of expiry"),
        ("<<<<6\n", "<<<<7\n", "composite"),
    ];
    for (from, to, field) in cases {
        let bad = td1.replace(from, to);
        assert_ne!(bad, td1);
        assert_eq!(
            AccessKey::from_mrz(&bad).unwrap_err(),
            KeyError::CheckDigit { field },
            "{field}"
        );
    }
    // A wrong digit in a checked field, not in the check digit.
    let td3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";
    assert_eq!(
        AccessKey::from_mrz(&td3.replace("L898902C3", "L898902C4")).unwrap_err(),
        KeyError::CheckDigit {
            field: "document number"
        }
    );
}

#[test]
fn malformed_mrz_text() {
    assert_eq!(
        AccessKey::from_mrz("P<UTOERIKSSON").unwrap_err(),
        KeyError::MrzFormat(MrzError::Length(13))
    );
    let td1 = "I<UTOD231458907<<<<<<<<<<<<<<<7408122F1204159UTO<<<<<<<<<<<6ERIKSSON<<ANNA<MARIA<<<<<<<<<<";
    assert_eq!(
        AccessKey::from_mrz(&td1.replacen('<', "-", 1)).unwrap_err(),
        KeyError::MrzFormat(MrzError::Character(1))
    );
    // Valid check digits over a month 13 still make no key.
    let dob = "741312";
    let dob_cd = check_digit(dob).unwrap();
    let line2_wo = format!("{dob}{dob_cd}F1204159UTO<<<<<<<<<<<");
    let composite = check_digit(&format!(
        "D231458907<<<<<<<<<<<<<<<{}{}{}",
        &line2_wo[0..7],
        &line2_wo[8..15],
        &line2_wo[18..29]
    ))
    .unwrap();
    let text = format!(
        "I<UTOD231458907<<<<<<<<<<<<<<<{line2_wo}{composite}ERIKSSON<<ANNA<MARIA<<<<<<<<<<"
    );
    assert_eq!(
        AccessKey::from_mrz(&text).unwrap_err(),
        KeyError::Date {
            field: "date of birth"
        }
    );
}

#[test]
fn id_number_errors_say_which() {
    assert_eq!(
        AccessKey::from_id_and_dates("00123456789", "900101", "300101").unwrap_err(),
        KeyError::IdNumber(IdNumberError::Length { found: 11 })
    );
    assert_eq!(
        AccessKey::from_id_and_dates("0012345678901", "900101", "300101").unwrap_err(),
        KeyError::IdNumber(IdNumberError::Length { found: 13 })
    );
    assert_eq!(
        AccessKey::from_id_and_dates("00123456789O", "900101", "300101").unwrap_err(),
        KeyError::IdNumber(IdNumberError::NonDigit { position: 11 })
    );
    assert_eq!(
        AccessKey::can_from_id("0012345 7890").unwrap_err(),
        KeyError::IdNumber(IdNumberError::NonDigit { position: 7 })
    );
}

#[test]
fn bad_dates() {
    for (dob, exp, field) in [
        ("901301", "300101", "date of birth"),
        ("900132", "300101", "date of birth"),
        ("900230", "300101", "date of birth"),
        ("90011", "300101", "date of birth"),
        ("900101", "301301", "date of expiry"),
        ("900101", "", "date of expiry"),
    ] {
        assert_eq!(
            AccessKey::from_id_and_dates("001234567890", dob, exp).unwrap_err(),
            KeyError::Date { field },
            "{dob} {exp}"
        );
    }
    // 29 February only in leap years.
    assert!(AccessKey::from_id_and_dates("001234567890", "000229", "300101").is_ok());
    assert!(AccessKey::from_id_and_dates("001234567890", "010229", "300101").is_err());
}

#[test]
fn document_number_rules() {
    assert_eq!(
        MrzKey::new("", "900101", "300101").unwrap_err(),
        KeyError::DocumentNumber
    );
    assert_eq!(
        MrzKey::new("AB-123", "900101", "300101").unwrap_err(),
        KeyError::DocumentNumber
    );
    assert_eq!(
        MrzKey::new(&"1".repeat(23), "900101", "300101").unwrap_err(),
        KeyError::DocumentNumber
    );
    // A number longer than 9 characters is used in full with its own check digit.
    let long = MrzKey::new("D23145890123", "740812", "120415").unwrap();
    let cd = check_digit("D23145890123").unwrap();
    assert_eq!(
        long.mrz_information().to_vec(),
        format!("D23145890123{cd}74081221204159").into_bytes()
    );
    // Trailing fillers are the same number.
    assert_eq!(
        MrzKey::new("L898902C<", "690806", "940623").unwrap(),
        MrzKey::new("L898902C", "690806", "940623").unwrap()
    );
}

#[test]
fn can_rules() {
    let AccessKey::Can(can) = AccessKey::can("012345").unwrap() else {
        panic!()
    };
    assert_eq!(can.as_bytes(), b"012345");
    for bad in ["", "12345", "1234567", "12345a", "12 345", "١٢٣٤٥٦"] {
        assert_eq!(AccessKey::can(bad).unwrap_err(), KeyError::Can, "{bad}");
    }
    let AccessKey::Can(from_id) = AccessKey::can_from_id("001234567890").unwrap() else {
        panic!()
    };
    assert_eq!(from_id.as_bytes(), b"567890");
    assert_eq!(Can::new("567890").unwrap(), from_id);
}

#[test]
fn secrets_and_personal_data_stay_out_of_debug_and_errors() {
    let key = AccessKey::from_id_and_dates("001234567890", "900101", "300101").unwrap();
    let dbg = format!("{key:?} {:?}", mrz_key(&key));
    assert!(
        !dbg.contains("234567890") && !dbg.contains("900101"),
        "{dbg}"
    );
    assert!(dbg.contains("***"));
    let can = AccessKey::can("567890").unwrap();
    assert_eq!(format!("{can:?}"), "AccessKey::Can(***)");

    let qr = QrData::parse("001234567890||Nguyễn Văn A|01011990|Nam|Hà Nội|15062021").unwrap();
    let dbg = format!("{qr:?}");
    assert!(
        !dbg.contains("Nguyễn") && !dbg.contains("001234567890"),
        "{dbg}"
    );

    let errors = [
        AccessKey::from_id_and_dates("98765432101", "900101", "300101").unwrap_err(),
        AccessKey::from_id_and_dates("987654321012", "901399", "300101").unwrap_err(),
        AccessKey::from_mrz(&VN_TD1.replace("9001011M", "9001012M")).unwrap_err(),
        AccessKey::can("98765").unwrap_err(),
        QrData::parse("987654321012|Nguyễn Văn A").unwrap_err(),
        QrData::parse("987654321012||Nguyễn Văn A|99991990|Nam|Hà Nội|15062021").unwrap_err(),
    ];
    for e in errors {
        let msg = format!("{e} {e:?}");
        for secret in ["98765", "901399", "Nguyễn", "9999", "234567890"] {
            assert!(!msg.contains(secret), "{msg}");
        }
    }
}

const QR_2016: &str =
    "001234567890|123456789|Nguyễn Văn A|01011990|Nam|Số 1 Phố Huế, Hai Bà Trưng, Hà Nội|15062021";

#[test]
fn qr_2016_layout() {
    let qr = QrData::parse(QR_2016).unwrap();
    assert_eq!(qr.id_number.as_str(), "001234567890");
    assert_eq!(
        qr.old_id_number.as_ref().map(|s| s.as_str()),
        Some("123456789")
    );
    assert_eq!(qr.full_name.as_str(), "Nguyễn Văn A");
    assert_eq!(qr.date_of_birth.as_str(), "01011990");
    assert_eq!(qr.sex.as_str(), "Nam");
    assert_eq!(qr.address.as_str(), "Số 1 Phố Huế, Hai Bà Trưng, Hà Nội");
    assert_eq!(qr.date_of_issue.as_str(), "15062021");
    assert!(qr.extra_fields.is_empty());

    // BOM, trailing '|', CR/LF: the same data.
    let noisy = format!("\u{FEFF}{QR_2016}|\r\n");
    assert_eq!(QrData::parse(&noisy).unwrap(), qr);

    let AccessKey::Can(can) = qr.can().unwrap() else {
        panic!()
    };
    assert_eq!(can.as_bytes(), b"567890");

    // Issued 2021 at 31: valid to 40.
    let (key, how) = qr.mrz_key().unwrap();
    assert_eq!(
        how,
        DerivedExpiry::Until {
            yymmdd: Zeroizing::new("300101".into()),
            age: 40
        }
    );
    assert_eq!(
        key,
        AccessKey::from_id_and_dates("001234567890", "900101", "300101").unwrap()
    );
}

#[test]
fn qr_data_and_derived_expiry_debug_show_no_value() {
    let qr = QrData::parse(QR_2016).unwrap();
    let (_, how) = qr.mrz_key().unwrap();
    let shown = format!("{qr:?} {how:?} {:?}", DerivedExpiry::NoExpiry);
    for value in [
        "001234567890",
        "123456789",
        "Nguyễn",
        "01011990",
        "15062021",
        "Phố Huế",
        "300101",
    ] {
        assert!(!shown.contains(value), "{value} in {shown}");
    }
    assert_eq!(
        shown,
        "QrData(***) DerivedExpiry::Until { yymmdd: ***, age: 40 } DerivedExpiry::NoExpiry"
    );
}

#[test]
fn qr_2024_layout_keeps_extra_fields() {
    let text = "079212001234||Trần Thị B|12032012|Nữ|Phường Bến Nghé, Quận 1, TP Hồ Chí Minh|01082024|Trần Văn C|Lê Thị D|";
    let qr = QrData::parse(text).unwrap();
    assert_eq!(qr.old_id_number, None);
    assert_eq!(qr.sex.as_str(), "Nữ");
    assert_eq!(qr.date_of_issue.as_str(), "01082024");
    assert_eq!(*qr.extra_fields, ["Trần Văn C", "Lê Thị D"]);
    // Issued 2024-08-01 at 12 (within 2 years before 14): valid to 25.
    let (key, how) = qr.mrz_key().unwrap();
    assert_eq!(
        how,
        DerivedExpiry::Until {
            yymmdd: Zeroizing::new("370312".into()),
            age: 25
        }
    );
    assert_eq!(mrz_key(&key).document_number(), "212001234");
    assert_eq!(mrz_key(&key).date_of_birth(), "120312");
}

#[test]
fn qr_errors() {
    assert_eq!(
        QrData::parse("001234567890|123456789|Nguyễn Văn A|01011990|Nam|Hà Nội").unwrap_err(),
        KeyError::Qr(QrError::FieldCount { found: 6 })
    );
    assert_eq!(
        QrData::parse("").unwrap_err(),
        KeyError::Qr(QrError::FieldCount { found: 1 })
    );
    assert_eq!(
        QrData::parse("00123456789||Nguyễn Văn A|01011990|Nam|Hà Nội|15062021").unwrap_err(),
        KeyError::IdNumber(IdNumberError::Length { found: 11 })
    );
    assert_eq!(
        QrData::parse("001234567890|||01011990|Nam|Hà Nội|15062021").unwrap_err(),
        KeyError::Qr(QrError::Field { field: "full name" })
    );
    assert_eq!(
        QrData::parse("001234567890||A|30021990|Nam|Hà Nội|15062021").unwrap_err(),
        KeyError::Date {
            field: "date of birth"
        }
    );
    assert_eq!(
        QrData::parse("001234567890||A|01011990|Nam|Hà Nội|1506202").unwrap_err(),
        KeyError::Date {
            field: "date of issue"
        }
    );
}

fn until(yymmdd: &str, age: u8) -> DerivedExpiry {
    DerivedExpiry::Until {
        yymmdd: Zeroizing::new(yymmdd.into()),
        age,
    }
}

#[test]
fn validity_rule_2014_law() {
    let dob = (1997, 7, 10);
    // Issued before 23: the 25th birthday.
    assert_eq!(derive_expiry(dob, (2016, 1, 4)), until("220710", 25));
    assert_eq!(derive_expiry(dob, (2020, 7, 9)), until("220710", 25));
    // From the 23rd birthday (2 years before 25), inclusive: the 40th.
    assert_eq!(derive_expiry(dob, (2020, 7, 10)), until("370710", 40));
    // 23 years 11 months, and 24: the 40th.
    assert_eq!(derive_expiry(dob, (2021, 6, 10)), until("370710", 40));
    assert_eq!(derive_expiry(dob, (2021, 7, 10)), until("370710", 40));
    // Renewed at 25: the 40th.
    assert_eq!(derive_expiry(dob, (2022, 7, 10)), until("370710", 40));

    let dob = (1966, 3, 1);
    // Before 38: 40th; from 38: the 60th.
    assert_eq!(
        derive_expiry((1983, 3, 1), (2021, 2, 28)),
        until("230301", 40)
    );
    assert_eq!(
        derive_expiry((1983, 3, 1), (2021, 3, 1)),
        until("430301", 60)
    );
    // 57 years 364 days: the 60th; from 58: no expiry.
    assert_eq!(derive_expiry(dob, (2024, 2, 29)), until("260301", 60));
    assert_eq!(derive_expiry(dob, (2024, 3, 1)), DerivedExpiry::NoExpiry);
    assert_eq!(
        derive_expiry((1950, 1, 1), (2021, 1, 1)),
        DerivedExpiry::NoExpiry
    );
}

#[test]
fn validity_rule_2023_law_adds_14() {
    let dob = (2012, 9, 20);
    // The law changes on 2024-07-01: at 11 on 30 June 2024 the old rule (25); a day later 14.
    assert_eq!(derive_expiry(dob, (2024, 6, 30)), until("370920", 25));
    assert_eq!(derive_expiry(dob, (2024, 7, 1)), until("260920", 14));
    // Within 2 years before 14 (from the 12th birthday): valid to 25.
    assert_eq!(derive_expiry(dob, (2024, 9, 19)), until("260920", 14));
    assert_eq!(derive_expiry(dob, (2024, 9, 20)), until("370920", 25));
    assert_eq!(derive_expiry(dob, (2025, 9, 20)), until("370920", 25));
    // At 14 and after: 25, then the 2014 ages.
    assert_eq!(derive_expiry(dob, (2026, 9, 20)), until("370920", 25));
    assert_eq!(
        derive_expiry((2001, 1, 5), (2024, 7, 1)),
        until("410105", 40)
    );
    assert_eq!(
        derive_expiry((1966, 7, 1), (2024, 7, 1)),
        DerivedExpiry::NoExpiry
    );
    assert_eq!(
        derive_expiry((1966, 7, 2), (2024, 7, 1)),
        until("260702", 60)
    );
    // A baby's card: 14.
    assert_eq!(
        derive_expiry((2024, 5, 1), (2024, 8, 1)),
        until("380501", 14)
    );
}

#[test]
fn validity_rule_leap_day_birthday() {
    // Born 29 February: the birthday in a common year is taken as 28 February.
    assert_eq!(
        derive_expiry((2004, 2, 29), (2024, 8, 1)),
        until("290228", 25)
    );
    assert_eq!(
        derive_expiry((2000, 2, 29), (2024, 8, 1)),
        until("400229", 40)
    );
}
