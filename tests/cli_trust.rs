//! The trust options of the `cccd` binary (issue #10 items 4, 7, 8, 9): master lists need a
//! signer root or a named opt-in, EF.CardSecurity verifies, `--at` takes real dates only.
#![cfg(feature = "cli")]

use std::path::PathBuf;
use std::process::{Command, Output};

fn cccd(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cccd"))
        .args(args)
        .output()
        .expect("run cccd")
}

fn shared(rel: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/test-data")
        .join(rel)
        .display()
        .to_string()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn item4_master_list_without_signer_root_names_the_opt_in() {
    let sod = shared("real-world/sod/FR.sod");
    let nl_ml = shared("real-world/trust/NL_ML_2026-07-22.ml");
    let out = cccd(&["verify", "--sod", &sod, "--trust", &nl_ml]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("--danger-unverified-master-list"),
        "{}",
        stderr(&out)
    );
    // With the root the list is used (FR's CSCA is in the NL list).
    let out = cccd(&[
        "verify",
        "--sod",
        &sod,
        "--trust",
        &nl_ml,
        "--ml-signer-root",
        &shared("real-world/trust/NL_ROOT_CA.cer"),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    // With the named opt-in it is used too, loudly.
    let out = cccd(&[
        "verify",
        "--sod",
        &sod,
        "--trust",
        &nl_ml,
        "--danger-unverified-master-list",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("DANGER"));
}

#[test]
fn item8_card_security_verifies_against_the_de_master_list() {
    let out = cccd(&[
        "verify",
        "--card-security",
        &shared("real-world/sod/DE.cardsecurity"),
        "--trust",
        &shared("real-world/trust/DE_ML_2026-05-28-08-28-45.ml"),
        "--ml-signer-root",
        &shared("real-world/trust/DE_ROOT_CA_CSCA07.cer"),
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["card_security"]["signature"]["status"], "valid");
    assert_eq!(r["card_security"]["chain"]["status"], "valid");
    // Without trust: exit 4.
    let out = cccd(&[
        "verify",
        "--card-security",
        &shared("real-world/sod/DE.cardsecurity"),
    ]);
    assert_eq!(out.status.code(), Some(4));
}

#[test]
fn item7_trust_list_reports_self_issued_across_string_types() {
    let out = cccd(&[
        "trust",
        "list",
        &shared("real-world/trust/DE_ML_2026-05-28-08-28-45.ml"),
        "--ml-signer-root",
        &shared("real-world/trust/DE_ROOT_CA_CSCA07.cer"),
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // Montenegro's csca-montenegro-2: PrintableString issuer, UTF8String subject.
    let me: Vec<_> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| {
            c["subject"] == "C=ME, O=Montenegro, OU=Ministry of Interior, CN=csca-montenegro-2"
        })
        .collect();
    assert!(!me.is_empty());
    assert!(me.iter().all(|c| c["self_issued"] == true));
}

#[test]
fn item9_at_rejects_impossible_dates() {
    let out = cccd(&[
        "verify",
        "--sod",
        &shared("real-world/sod/FR.sod"),
        "--at",
        "2026-02-30",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("2026-02-30"));
}
