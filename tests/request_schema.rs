//! `schema/cccd-request.schema.json` and `cccd::request` agree: every request the schema
//! accepts parses and yields a key (or a document), every request it refuses is refused by
//! the parser, with a typed error that never echoes a value.
#![cfg(feature = "json")]

use cccd::request::{ReadRequest, RequestError, VerifyRequest};

fn validator() -> jsonschema::Validator {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/schema/cccd-request.schema.json"
    );
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::draft202012::new(&schema).expect("a valid draft 2020-12 schema")
}

const READS_OK: &[&str] = &[
    r#"{"id_number": "001099012345"}"#,
    r#"{"id_number": "001099012345", "date_of_birth": "990115", "date_of_expiry": "390115"}"#,
    r#"{"id_number": "001099012345", "date_of_birth": "400115", "date_of_expiry": "<<<<<<"}"#,
    r#"{"can": "123456", "skip_face": true, "data_groups": [1, 13], "stats": true}"#,
    r#"{"qr": "001099012345|123456789|Nguyễn Văn A|15011999|Nam|Hà Nội|01022021"}"#,
    r#"{"id_number": "001099012345", "trust": ["csca/"], "ml_signer_roots": ["r.cer"],
        "crls": [], "at": "2026-01-31", "issuing_state": "VNM", "reader": "ACS"}"#,
];

const READS_BAD: &[&str] = &[
    r#"{}"#,
    r#"{"id_number": "001099012345", "can": "123456"}"#,
    r#"{"id_number": "001099012345", "date_of_birth": "990115"}"#,
    r#"{"can": "123456", "date_of_birth": "990115", "date_of_expiry": "390115"}"#,
    r#"{"id_numbr": "001099012345"}"#,
    r#"{"id_number": 1099012345}"#,
    r#"{"can": "12345"}"#,
    r#"{"id_number": "00109901234"}"#,
];

#[test]
fn read_requests_schema_and_parser_agree() {
    let v = validator();
    for ok in READS_OK {
        let json: serde_json::Value = serde_json::from_str(ok).unwrap();
        assert!(v.is_valid(&json), "schema refuses {ok}");
        let r = ReadRequest::from_json(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
        r.access_key().unwrap_or_else(|e| panic!("{ok}: {e}"));
    }
    for bad in READS_BAD {
        let json: serde_json::Value = serde_json::from_str(bad).unwrap();
        assert!(!v.is_valid(&json), "schema accepts {bad}");
        let err = ReadRequest::from_json(bad)
            .and_then(|r| r.access_key().map(|_| ()))
            .expect_err(bad);
        assert_eq!(err.exit_code(), 2, "{bad}: {err}");
        assert!(!err.to_string().contains("1099012345"), "{err}");
    }
}

#[test]
fn verify_requests_schema_and_parser_agree() {
    let v = validator();
    let ok = r#"{"files": {"SOD": "dwA=", "DG1": "YQA=", "CardAccess": "MQA="}, "trust": ["x"]}"#;
    assert!(v.is_valid(&serde_json::from_str(ok).unwrap()));
    let r = VerifyRequest::from_json(ok).unwrap();
    let doc = r.document().unwrap();
    assert_eq!(doc.raw(cccd::ElementaryFile::Dg(1)), Some(&[0x61, 0][..]));
    type Expect = fn(&RequestError) -> bool;
    let refused: [(&str, Expect); 3] = [
        (r#"{"files": {"DG1": "YQA="}}"#, |e| {
            *e == RequestError::NoSod
        }),
        (r#"{"files": {"SOD": "dwA=", "DG17": "YQA="}}"#, |e| {
            matches!(e, RequestError::Document(_))
        }),
        (r#"{"files": {"SOD": "dwA=", "DG1": "Y*A="}}"#, |e| {
            *e == RequestError::Base64("DG1".into())
        }),
    ];
    for (bad, expected) in refused {
        let json: serde_json::Value = serde_json::from_str(bad).unwrap();
        assert!(!v.is_valid(&json), "schema accepts {bad}");
        let err = VerifyRequest::from_json(bad)
            .and_then(|r| r.document().map(|_| ()))
            .expect_err(bad);
        assert!(expected(&err), "{bad}: {err:?}");
    }
}
