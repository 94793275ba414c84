//! `read --json` and `verify --json` follow the committed JSON Schema
//! (`schema/cccd-document.schema.json`), checked with the `jsonschema` crate.
#![cfg(all(feature = "cli", feature = "sim"))]

use std::process::Command;

fn cccd(args: &[&str]) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_cccd"))
        .args(args)
        .output()
        .expect("run cccd");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{args:?}: not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn validator() -> jsonschema::Validator {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/schema/cccd-document.schema.json"
    );
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::draft202012::new(&schema).expect("the schema is a valid draft 2020-12 schema")
}

fn assert_valid(v: &jsonschema::Validator, what: &str, doc: &serde_json::Value) {
    let errors: Vec<String> = v
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}");
    assert_eq!(doc["schema"], "cccd-document/1", "{what}");
}

#[test]
fn every_json_output_follows_the_schema() {
    let v = validator();
    let p = cccd(&["sim", "show", "--seed", "6", "--json"]);
    let (id, dob, exp) = (
        p["id_number"].as_str().unwrap(),
        p["date_of_birth"].as_str().unwrap(),
        p["date_of_expiry"].as_str().unwrap(),
    );
    let reads: [&[&str]; 6] = [
        &["read", "--sim", "--json"],
        &["read", "--sim=6", "--json", "--stats"],
        &["read", "--sim=6", "--sim-profile", "cccd-clone", "--json"],
        &[
            "read",
            "--sim=6",
            "--sim-option",
            "mitm-6a82=DG13",
            "--json",
        ],
        &[
            "read",
            "--sim=6",
            "--sim-option",
            "tamper=edited-dg13",
            "--json",
        ],
        &["read", "--sim=6", "--no-face", "--json"],
    ];
    for args in reads {
        assert_valid(&v, &format!("{args:?}"), &cccd(args));
    }
    // A passport: DG11 and DG12, every field described.
    let passport = cccd(&[
        "read",
        "--sim=6",
        "--sim-profile",
        "passport",
        "--issuing-state",
        "any",
        "--json",
    ]);
    assert_valid(&v, "passport", &passport);
    assert!(
        passport["dg11"]["full_name"].is_string(),
        "{}",
        passport["dg11"]
    );
    assert!(passport["dg12"].is_object(), "{}", passport["dg12"]);
    let downgrade = cccd(&[
        "read",
        "--sim=6",
        "--id",
        id,
        "--dob",
        dob,
        "--expiry",
        exp,
        "--sim-option",
        "mitm-hide-card-access",
        "--json",
    ]);
    assert_valid(&v, "downgrade", &downgrade);
    assert_eq!(
        downgrade["verification"]["findings"][0]["code"],
        "bac_on_pace_chip"
    );

    // verify: a dump, and a lone real SOD.
    let base = std::env::temp_dir().join(format!("cccd-schema-{}", std::process::id()));
    let csca = base.join("csca.der");
    let dump = base.join("dump");
    std::fs::create_dir_all(&base).unwrap();
    let wrote = Command::new(env!("CARGO_BIN_EXE_cccd"))
        .args(["sim", "csca", "--out", csca.to_str().unwrap()])
        .status()
        .unwrap();
    assert!(wrote.success());
    cccd(&["read", "--sim=6", "--json", "--out", dump.to_str().unwrap()]);
    let written: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dump.join("document.json")).unwrap()).unwrap();
    assert_valid(&v, "document.json", &written);
    let verified = cccd(&[
        "verify",
        dump.to_str().unwrap(),
        "--trust",
        csca.to_str().unwrap(),
        "--json",
    ]);
    assert_valid(&v, "verify DIR", &verified);
    assert_eq!(verified["verification"]["data_authentic"], true);
    // Warnings are typed: a stable code and a sentence. No CRL was given, so revocation was
    // not checked.
    let warnings = &verified["verification"]["passive_authentication"]["warnings"];
    assert!(
        warnings.as_array().unwrap().iter().any(|w| w
            == &serde_json::json!({
                "code": "revocation_not_checked",
                "message": "no CRL signed by the CSCA was available: revocation not checked"
            })),
        "{warnings}"
    );
    let sod = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/test-data/real-world/sod/FR.sod"
    );
    assert_valid(
        &v,
        "verify --sod",
        &cccd(&["verify", "--sod", sod, "--json"]),
    );
    // verify --card-security: typed warnings, the algorithm by name, snake_case SecurityInfos.
    let shared = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/test-data/");
    let card_security = cccd(&[
        "verify",
        "--card-security",
        &format!("{shared}real-world/sod/DE.cardsecurity"),
        "--trust",
        &format!("{shared}real-world/trust/DE_ML_2026-05-28-08-28-45.ml"),
        "--ml-signer-root",
        &format!("{shared}real-world/trust/DE_ROOT_CA_CSCA07.cer"),
        "--json",
    ]);
    assert_valid(&v, "verify --card-security", &card_security);
    let cs = &card_security["card_security"];
    assert!(cs["signature_algorithm"].is_string(), "{cs}");
    let infos = cs["security_infos"]["infos"].as_array().unwrap();
    assert!(infos.iter().any(|i| i.get("pace").is_some()), "{infos:?}");
    assert!(
        infos.iter().all(|i| i
            .as_object()
            .unwrap()
            .keys()
            .all(|k| k.bytes().all(|b| !b.is_ascii_uppercase()))),
        "{infos:?}"
    );
    std::fs::remove_dir_all(&base).unwrap();
}

#[test]
fn the_schema_refuses_what_it_does_not_describe() {
    let v = validator();
    let mut doc = cccd(&["read", "--sim=7", "--json"]);
    assert!(v.is_valid(&doc));
    doc["verification"]["genuine"] = serde_json::json!("yes");
    assert!(!v.is_valid(&doc));
    let mut doc = cccd(&["read", "--sim=7", "--json"]);
    doc["files"][0]["file"] = serde_json::json!("Dg1");
    assert!(!v.is_valid(&doc));
    let mut doc = cccd(&["read", "--sim=7", "--json"]);
    doc["files"][1]["raw"] = serde_json::json!("60ab");
    assert!(!v.is_valid(&doc), "lower-case hex");
    // DG13's unknown fields are objects, no longer `[number, [bytes]]`.
    let mut doc = cccd(&["read", "--sim=7", "--json"]);
    doc["dg13"]["unknown"] = serde_json::json!([{ "number": 17, "value": "0402DEAD" }]);
    assert!(v.is_valid(&doc));
    doc["dg13"]["unknown"] = serde_json::json!([[17, [4, 2, 222, 173]]]);
    assert!(!v.is_valid(&doc), "tuple form");
    let mut doc = cccd(&["read", "--sim=7", "--json"]);
    doc["dg13"]["nickname"] = serde_json::json!("A");
    assert!(!v.is_valid(&doc), "a field DG13 does not have");
    // A warning is `{code, message}` with a known code, no longer a bare string.
    let mut doc = cccd(&["read", "--sim=7", "--json"]);
    let pointer = "/verification/passive_authentication/warnings";
    let mut with = |warnings: serde_json::Value| {
        *doc.pointer_mut(pointer).unwrap() = warnings;
        v.is_valid(&doc)
    };
    assert!(with(
        serde_json::json!([{ "code": "revocation_not_checked", "message": "m" }])
    ));
    assert!(
        !with(serde_json::json!(["revocation not checked"])),
        "a bare string"
    );
    assert!(
        !with(serde_json::json!([{ "code": "something_else", "message": "m" }])),
        "an unknown code"
    );
}
