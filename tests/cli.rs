//! The `cccd` binary as a user runs it.
#![cfg(all(feature = "cli", feature = "sim"))]

use std::path::PathBuf;
use std::process::{Command, Output};

fn cccd(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cccd"))
        .args(args)
        .output()
        .expect("run cccd")
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

fn persona(seed: u64) -> serde_json::Value {
    let out = cccd(&["sim", "show", "--seed", &seed.to_string(), "--json"]);
    assert!(out.status.success());
    json(&out)
}

fn shared(rel: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/test-data")
        .join(rel)
        .display()
        .to_string()
}

#[test]
fn read_sim_prints_the_card_as_json() {
    let out = cccd(&["read", "--sim", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc = json(&out);
    let p = persona(1);
    assert_eq!(doc["dg13"]["id_number"], p["id_number"]);
    assert_eq!(doc["dg13"]["full_name"], p["full_name"]);
    // The real card's EF.CardAccess offers PACE (ECDH-GM, AES-128, brainpoolP256r1).
    assert_eq!(doc["access"]["protocol"], "pace");
    assert_eq!(doc["access"]["parameter_id"], 13);
    assert_eq!(doc["verification"]["genuine"], true);
}

#[test]
fn read_sim_with_the_right_key_and_a_wrong_one() {
    let p = persona(42);
    let (id, dob, exp) = (
        p["id_number"].as_str().unwrap(),
        p["date_of_birth"].as_str().unwrap(),
        p["date_of_expiry"].as_str().unwrap(),
    );
    let ok = cccd(&[
        "read", "--sim=42", "--id", id, "--dob", dob, "--expiry", exp, "--json",
    ]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert_eq!(json(&ok)["dg13"]["id_number"], p["id_number"]);
    // The same key against another card: refused like a real card, exit code 3, one line.
    let bad = cccd(&[
        "read", "--sim=43", "--id", id, "--dob", dob, "--expiry", exp,
    ]);
    assert_eq!(bad.status.code(), Some(3));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    // The exit code says why; the message never repeats the key.
    assert!(!err.contains(id) && !err.contains(dob), "{err}");
}

#[test]
fn malformed_keys_are_one_line_errors() {
    for args in [
        vec![
            "read",
            "--sim",
            "--id",
            "12345678901",
            "--dob",
            "900101",
            "--expiry",
            "300101",
        ],
        vec![
            "read",
            "--sim",
            "--id",
            "001090012345",
            "--dob",
            "901301",
            "--expiry",
            "300101",
        ],
        vec!["read", "--sim", "--can", "12345"],
    ] {
        let out = cccd(&args);
        assert!(!out.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("cccd: "), "{err}");
    }
}

#[test]
fn out_dir_holds_every_file_read() {
    let dir = std::env::temp_dir().join(format!("cccd-cli-out-{}", std::process::id()));
    let out = cccd(&["read", "--sim=5", "--out", dir.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for name in [
        "CardAccess.bin",
        "COM.bin",
        "DG1.bin",
        "DG2.bin",
        "DG13.bin",
        "document.json",
    ] {
        assert!(dir.join(name).is_file(), "{name} missing");
    }
    let com = std::fs::read(dir.join("COM.bin")).unwrap();
    assert_eq!(com.first(), Some(&0x60));
    let dg13 = std::fs::read(dir.join("DG13.bin")).unwrap();
    assert_eq!(dg13.first(), Some(&0x6D));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn qr_code_with_derived_expiry_opens_the_card() {
    let p = persona(77);
    // Build the card's QR text from the simulated persona: ID|oldID|name|ddMMyyyy|sex|address|ddMMyyyy.
    let out = cccd(&["read", "--sim=77", "--json"]);
    let doc = json(&out);
    let d = &doc["dg13"];
    let compact = |s: &str| s.replace('/', "");
    let qr = format!(
        "{}|{}|{}|{}|{}|{}|{}",
        d["id_number"].as_str().unwrap(),
        d["old_id_number"].as_str().unwrap_or(""),
        d["full_name"].as_str().unwrap(),
        compact(d["date_of_birth"].as_str().unwrap()),
        d["sex"].as_str().unwrap(),
        d["place_of_residence"].as_str().unwrap(),
        compact(d["date_of_issue"].as_str().unwrap()),
    );
    let out = cccd(&["read", "--sim=77", "--qr", &qr, "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(json(&out)["dg13"]["id_number"], p["id_number"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("derived"));
}

#[test]
fn verify_a_lone_real_sod_against_master_lists() {
    let out = cccd(&[
        "verify",
        "--sod",
        &shared("real-world/sod/FR.sod"),
        "--trust",
        &shared("real-world/trust/"),
        "--ml-signer-root",
        &shared("real-world/trust/DE_ROOT_CA_CSCA07.cer"),
        "--ml-signer-root",
        &shared("real-world/trust/NL_ROOT_CA.cer"),
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = json(&out);
    assert_eq!(r["schema"], "cccd-document/1");
    assert_eq!(
        r["passive_authentication"]["sod_signature"]["status"],
        "valid"
    );
    assert_eq!(r["passive_authentication"]["chain"]["status"], "valid");
    // Without trust the same SOD fails (exit 4).
    let out = cccd(&["verify", "--sod", &shared("real-world/sod/FR.sod")]);
    assert_eq!(out.status.code(), Some(4));
}

#[test]
fn trust_list_shows_the_vn_csca_self_signature_valid() {
    let out = cccd(&[
        "trust",
        "list",
        &shared("real-world/trust/DE_ML_2026-05-28-08-28-45.ml"),
        "--ml-signer-root",
        &shared("real-world/trust/DE_ROOT_CA_CSCA07.cer"),
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list = json(&out);
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 588);
    let vn: Vec<_> = list.iter().filter(|c| c["country"] == "VN").collect();
    assert_eq!(vn.len(), 1);
    assert_eq!(vn[0]["curve"], "brainpoolP512r1");
    assert_eq!(vn[0]["explicit_curve"], true);
    assert_eq!(vn[0]["self_signature_valid"], true);
    // Every self-signed certificate in the list has a valid self-signature.
    assert!(list
        .iter()
        .filter(|c| c["self_signed"] == true)
        .all(|c| c["self_signature_valid"] == true));
}

#[test]
fn verify_a_dump_offline_with_the_simulator_csca() {
    let base = std::env::temp_dir().join(format!("cccd-cli-verify-{}", std::process::id()));
    let csca = base.join("csca.der");
    std::fs::create_dir_all(&base).unwrap();
    assert!(cccd(&["sim", "csca", "--out", csca.to_str().unwrap()])
        .status
        .success());
    let good = base.join("good");
    let out = cccd(&["read", "--sim=8", "--out", good.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ok = cccd(&[
        "verify",
        good.to_str().unwrap(),
        "--trust",
        csca.to_str().unwrap(),
        "--json",
    ]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );
    let v = json(&ok);
    assert_eq!(
        v["verification"]["passive_authentication"]["chain"]["status"],
        "valid"
    );
    assert_eq!(v["verification"]["data_authentic"], true);
    assert_eq!(v["access"]["protocol"], "not_recorded");
    // One byte of DG13 changed on disk: exit 4, DG13 reported as a mismatch.
    let dg13 = good.join("DG13.bin");
    let mut bytes = std::fs::read(&dg13).unwrap();
    *bytes.last_mut().unwrap() ^= 0x20;
    std::fs::write(&dg13, bytes).unwrap();
    let bad = cccd(&[
        "verify",
        good.to_str().unwrap(),
        "--trust",
        csca.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(bad.status.code(), Some(4));
    let report = json(&bad);
    let dg13_verdict = report["verification"]["passive_authentication"]["data_groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["file"] == "DG13")
        .map(|e| e["hash"].clone());
    assert_eq!(dg13_verdict, Some(serde_json::json!("mismatch")));
    assert_eq!(
        report["verification"]["findings"][0]["code"],
        "data_group_hash_mismatch"
    );
    assert_eq!(report["verification"]["findings"][0]["file"], "DG13");
    std::fs::remove_dir_all(&base).unwrap();
}

#[test]
fn clone_and_forgeries_exit_4_with_the_reason() {
    let clone = cccd(&["read", "--sim=3", "--sim-profile", "cccd-clone", "--json"]);
    assert_eq!(clone.status.code(), Some(4));
    let v = json(&clone);
    assert_eq!(
        v["verification"]["passive_authentication"]["chain"]["status"],
        "valid"
    );
    // What ran and what it proves, each under its own name.
    assert_eq!(v["chip_authentication_run"]["status"], "failed");
    assert_eq!(v["verification"]["chip_authentication"]["trust"], "failed");
    assert_eq!(v["verification"]["data_authentic"], true);
    assert_eq!(v["verification"]["genuine"], false);
    let codes: Vec<&str> = v["verification"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["code"].as_str())
        .collect();
    assert!(codes.contains(&"chip_authentication_failed"), "{codes:?}");
    let forged = cccd(&["read", "--sim=3", "--sim-option", "tamper=edited-dg13"]);
    assert_eq!(forged.status.code(), Some(4));
    let genuine = cccd(&["read", "--sim=3", "--stats"]);
    assert!(genuine.status.success());
    let stats = String::from_utf8_lossy(&genuine.stderr);
    assert!(
        stats.contains("access control") && stats.contains("DG2"),
        "{stats}"
    );
}

/// Issue #10's "done means": each man-in-the-middle attack exits 4 naming what happened; the
/// same reads without the attack exit 0.
#[test]
fn man_in_the_middle_attacks_exit_4_with_the_reason() {
    let hidden = cccd(&[
        "read",
        "--sim=3",
        "--sim-option",
        "mitm-6a82=DG13",
        "--json",
    ]);
    assert_eq!(hidden.status.code(), Some(4));
    let err = String::from_utf8_lossy(&hidden.stderr);
    assert!(
        err.contains("DG13") && err.contains("data_group_not_read"),
        "{err}"
    );
    let v = json(&hidden);
    assert_eq!(v["verification"]["genuine"], false);
    assert_eq!(v["verification"]["findings"][0]["file"], "DG13");
    let dg13 = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"] == "DG13")
        .unwrap()
        .clone();
    assert_eq!(dg13["status"], "not_present");
    assert_eq!(dg13["protected"], false);
    assert!(cccd(&["read", "--sim=3", "--json"]).status.success());

    let p = persona(3);
    let (id, dob, exp) = (
        p["id_number"].as_str().unwrap(),
        p["date_of_birth"].as_str().unwrap(),
        p["date_of_expiry"].as_str().unwrap(),
    );
    let key = ["--id", id, "--dob", dob, "--expiry", exp];
    let mut args = vec!["read", "--sim=3"];
    args.extend(key);
    args.extend(["--sim-option", "mitm-hide-card-access", "--json"]);
    let downgraded = cccd(&args);
    assert_eq!(downgraded.status.code(), Some(4));
    let err = String::from_utf8_lossy(&downgraded.stderr);
    // The finding by its stable code, not by its sentence.
    assert!(err.contains("bac_on_pace_chip"), "{err}");
    assert_eq!(json(&downgraded)["access"]["protocol"], "bac");
    let mut args = vec!["read", "--sim=3"];
    args.extend(key);
    args.push("--json");
    let ok = cccd(&args);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert_eq!(json(&ok)["access"]["protocol"], "pace");
}

#[test]
fn human_output_has_no_debug_forms_and_help_lists_exit_codes() {
    for args in [
        vec!["read", "--sim=2"],
        vec!["read", "--sim=2", "--sim-profile", "cccd-clone"],
        vec!["read", "--sim=2", "--sim-option", "mitm-6a82=DG2"],
    ] {
        let out = cccd(&args);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("DOCUMENT:"), "{text}");
        for debug in ["{", "}", "Some(", "Pace", "Untrusted"] {
            assert!(!text.contains(debug), "{args:?} prints {debug:?}:\n{text}");
        }
    }
    let help = cccd(&["--help"]);
    let help = String::from_utf8_lossy(&help.stdout);
    for code in ["0  genuine", "3  wrong access key", "4  not proven genuine"] {
        assert!(help.contains(code), "{help}");
    }
}

#[test]
fn json_stats_are_in_the_json() {
    let out = cccd(&["read", "--sim=4", "--json", "--stats"]);
    assert!(out.status.success());
    let v = json(&out);
    let phases = v["stats"]["phases"].as_array().unwrap();
    assert!(phases.iter().any(|p| p["name"] == "access control"));
    assert!(v["stats"]["total"]["apdus"].as_u64().unwrap() > 10);
    assert!(json(&cccd(&["read", "--sim=4", "--json"]))
        .get("stats")
        .is_none());
}

// ---- #14 item 5: keys kept off the command line ----

/// `cccd ARGS` with `env` added to its environment and `stdin` on its standard input.
fn cccd_with(args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cccd"));
    cmd.args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for name in [
        "CCCD_ID",
        "CCCD_DOB",
        "CCCD_EXPIRY",
        "CCCD_MRZ",
        "CCCD_QR",
        "CCCD_CAN",
    ] {
        cmd.env_remove(name);
    }
    cmd.envs(env.iter().copied());
    let mut child = cmd.spawn().expect("run cccd");
    if let Some(text) = stdin {
        let mut input = child.stdin.take().unwrap();
        match input.write_all(text.as_bytes()) {
            Ok(()) => {}
            // A usage error (e.g. --key-stdin with --can) ends the program before it reads its
            // input: the pipe is closed, and the exit code is what the test checks.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            Err(e) => panic!("writing to cccd: {e}"),
        }
    }
    child.wait_with_output().expect("cccd ends")
}

fn can_of(seed: u64) -> String {
    let id = persona(seed)["id_number"].as_str().unwrap().to_string();
    id[6..].to_string()
}

#[test]
fn can_from_the_environment_opens_the_simulated_card() {
    let p = persona(42);
    let ok = cccd_with(
        &["read", "--sim=42", "--json"],
        &[("CCCD_CAN", &can_of(42))],
        None,
    );
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert_eq!(json(&ok)["dg13"]["id_number"], p["id_number"]);
    assert_eq!(json(&ok)["access"]["password"], "can");
    // The variable is really used: another card's CAN is refused (exit 3), where without
    // any key the simulator would have opened with its own.
    let bad = cccd_with(&["read", "--sim=42"], &[("CCCD_CAN", &can_of(43))], None);
    assert_eq!(
        bad.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
}

#[test]
fn id_and_dates_from_the_environment_and_an_argument_wins_over_it() {
    let p = persona(44);
    let env = [
        ("CCCD_ID", p["id_number"].as_str().unwrap()),
        ("CCCD_DOB", p["date_of_birth"].as_str().unwrap()),
        ("CCCD_EXPIRY", p["date_of_expiry"].as_str().unwrap()),
    ];
    let ok = cccd_with(&["read", "--sim=44", "--json"], &env, None);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert_eq!(json(&ok)["access"]["password"], "mrz");
    // A wrong key in the environment, the right one as an argument: the argument counts.
    let right = can_of(44);
    let ok = cccd_with(
        &["read", "--sim=44", "--can", &right],
        &[("CCCD_CAN", &can_of(45))],
        None,
    );
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
}

#[test]
fn two_kinds_of_key_in_the_environment_are_a_usage_error() {
    let out = cccd_with(
        &["read", "--sim=42"],
        &[("CCCD_CAN", "123456"), ("CCCD_MRZ", "x")],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("CCCD_CAN") && err.contains("CCCD_MRZ"),
        "{err}"
    );
    // Names only: the values are secrets.
    assert!(!err.contains("123456"), "{err}");
    let out = cccd_with(&["read", "--sim=42"], &[("CCCD_DOB", "900101")], None);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn key_from_standard_input() {
    let p = persona(46);
    // The CAN, and `ID DOB EXPIRY`, each on standard input.
    let can = can_of(46);
    let line = format!(
        "{} {} {}\n",
        p["id_number"].as_str().unwrap(),
        p["date_of_birth"].as_str().unwrap(),
        p["date_of_expiry"].as_str().unwrap()
    );
    for (text, password) in [(format!("{can}\n"), "can"), (line, "mrz")] {
        let ok = cccd_with(
            &["read", "--sim=46", "--key-stdin", "--json"],
            &[],
            Some(&text),
        );
        assert!(
            ok.status.success(),
            "{}",
            String::from_utf8_lossy(&ok.stderr)
        );
        assert_eq!(json(&ok)["access"]["password"], password);
        assert_eq!(json(&ok)["dg13"]["id_number"], p["id_number"]);
    }
    // Another card's CAN on standard input is refused: the input is what opened the card.
    let bad = cccd_with(&["read", "--sim=46", "--key-stdin"], &[], Some(&can_of(47)));
    assert_eq!(bad.status.code(), Some(3));
    // --key-stdin wins over the environment, and an empty input is a usage error.
    let bad = cccd_with(
        &["read", "--sim=46", "--key-stdin"],
        &[("CCCD_CAN", &can)],
        Some(""),
    );
    assert_eq!(bad.status.code(), Some(2));
    // And it conflicts with a key argument.
    let out = cccd_with(
        &["read", "--sim=46", "--key-stdin", "--can", &can],
        &[],
        Some(&can),
    );
    assert_eq!(out.status.code(), Some(2));
}

// ---- #14 item 6: files written by --out are the owner's only ----

#[cfg(unix)]
#[test]
fn out_dir_and_files_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let base = std::env::temp_dir().join(format!("cccd-cli-perm-{}", std::process::id()));
    let dir = base.join("dump");
    // A file left over from an earlier run, readable by everyone: narrowed too.
    std::fs::create_dir_all(&base).unwrap();
    let out = cccd_with(
        &["read", "--sim=5", "--out", dir.to_str().unwrap()],
        &[],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&dir), 0o700);
    let stale = dir.join("DG1.bin");
    std::fs::set_permissions(&stale, std::fs::Permissions::from_mode(0o644)).unwrap();
    let face = base.join("face.jpg");
    let out = cccd_with(
        &[
            "read",
            "--sim=5",
            "--out",
            dir.to_str().unwrap(),
            "--face",
            face.to_str().unwrap(),
        ],
        &[],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        assert_eq!(mode(&path), 0o600, "{}", path.display());
        files += 1;
    }
    assert!(files >= 6, "{files} files");
    assert_eq!(mode(&face), 0o600);
    std::fs::remove_dir_all(&base).unwrap();
}
