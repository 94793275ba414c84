//! The file-only conformance cases as dump directories (`ConformanceCase::write_dump`),
//! verified offline by the `cccd verify DIR` a back office runs: the exit code and the finding
//! code match the case's expectation, as in the in-process tests (tests/conformance_lds_*.rs).
#![cfg(all(feature = "cli", feature = "sim"))]

use std::path::Path;
use std::process::{Command, Output};

use cccd::sim::conformance::{case, Expected};

fn verify(dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cccd"))
        .args([
            "verify",
            dir.to_str().expect("UTF-8 path"),
            "--trust",
            dir.join("csca-0.cer").to_str().expect("UTF-8 path"),
            "--at",
            "2026-01-01",
            "--json",
        ])
        .output()
        .expect("run cccd")
}

fn codes(out: &Output) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)));
    v["verification"]["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|f| f["code"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn dumps_of_file_only_cases_verify_as_the_plan_expects() {
    let base = std::env::temp_dir().join(format!("cccd-conformance-dumps-{}", std::process::id()));
    // (ID, the finding code a failing case must carry)
    let cases = [
        ("LDS_H_01", None),                             // RSA PKCS#1 v1.5 SHA-1
        ("LDS_H_08", None),                             // DSA
        ("LDS_H_22", Some("sod_signature_invalid")),    // MD5 in digestAlgorithms
        ("LDS_H_45", Some("data_group_list_mismatch")), // a hash for an absent DG10
        ("LDS_H_64", Some("chain_invalid")),            // DSC without keyUsage
    ];
    for (id, code) in cases {
        let c = case(id).unwrap_or_else(|e| panic!("{id}: {e}"));
        let dir = base.join(id);
        c.write_dump(&dir).unwrap();
        let out = verify(&dir);
        let found = codes(&out);
        match c.expected {
            Expected::Pass => {
                assert_eq!(out.status.code(), Some(0), "{id}: {found:?}");
                assert!(code.is_none());
            }
            _ => {
                assert_eq!(out.status.code(), Some(4), "{id}: {found:?}");
                let code = code.unwrap_or_else(|| panic!("{id}: no code to expect"));
                assert!(found.iter().any(|f| f == code), "{id}: {found:?}");
            }
        }
    }
    std::fs::remove_dir_all(&base).unwrap();
}
