//! The trust store at scale (#11 items 3 and 5, #14 item 7): master-list certificates decoded
//! only when a chain needs them, the compiled trust-store file (written once after the lists
//! were verified, refused when damaged or of another version), `cccd verify DIR DIR...` with
//! one JSON line per dump on several threads, and the resource caps.
#![cfg(all(feature = "cli", feature = "internals"))]

use cccd::verify::compiled::{CompiledError, MAGIC};
use cccd::verify::{verify_passive, Certificate, ChainVerdict, PaOptions, TrustError, TrustStore};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Command, Output};

fn shared(rel: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/test-data")
        .join(rel)
        .display()
        .to_string()
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(shared(rel)).unwrap()
}

const DE_ML: &str = "real-world/trust/DE_ML_2026-05-28-08-28-45.ml";
const NL_ML: &str = "real-world/trust/NL_ML_2026-07-22.ml";
const DE_ROOT: &str = "real-world/trust/DE_ROOT_CA_CSCA07.cer";
const NL_ROOT: &str = "real-world/trust/NL_ROOT_CA.cer";
const COUNTRIES: [&str; 7] = ["AT", "DE", "FR", "NZ", "PH", "UK", "US"];

fn roots() -> Vec<Certificate> {
    [DE_ROOT, NL_ROOT]
        .iter()
        .map(|r| Certificate::from_der(&read(r)).unwrap())
        .collect()
}

fn lists() -> TrustStore {
    let mut t = TrustStore::new();
    t.add_master_list(&read(DE_ML), &roots()).unwrap();
    t.add_master_list(&read(NL_ML), &roots()).unwrap();
    t
}

fn chains(trust: &TrustStore) -> Vec<ChainVerdict> {
    COUNTRIES
        .iter()
        .map(|c| {
            let sod = read(&format!("real-world/sod/{c}.sod"));
            verify_passive(&sod, &BTreeMap::new(), trust, &PaOptions::default()).chain
        })
        .collect()
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cccd-trust-scale-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn cccd(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cccd"))
        .args(args)
        .output()
        .expect("run cccd")
}

#[test]
fn lazily_decoded_lists_verify_every_real_sod_as_before() {
    let trust = lists();
    assert!(chains(&trust).iter().all(|c| *c == ChainVerdict::Valid));
    // Every anchor still decodes on demand, and `certificates()` gives exactly what the
    // eager master-list parser finds in the two lists (duplicates counted once).
    let mut eager: Vec<Vec<u8>> = [DE_ML, NL_ML]
        .iter()
        .flat_map(|l| {
            cccd::pki::master_list::CscaMasterList::parse(&read(l))
                .unwrap()
                .certificates
        })
        .map(|c| c.raw.to_vec())
        .collect();
    eager.sort();
    eager.dedup();
    assert!(eager.len() > 100, "{}", eager.len());
    assert_eq!(trust.anchor_count(), eager.len());
    let mut lazy: Vec<Vec<u8>> = trust
        .certificates()
        .iter()
        .map(|c| c.raw.to_vec())
        .collect();
    lazy.sort();
    assert_eq!(lazy, eager);
}

#[test]
fn compiled_store_round_trips_and_verifies_the_same() {
    let trust = lists();
    let bytes = trust.to_compiled("test\nverified");
    assert!(bytes.starts_with(MAGIC));
    let mut loaded = TrustStore::new();
    let report = loaded.add_bytes(&bytes, &[]).unwrap();
    assert_eq!(report.certificates_added, trust.anchor_count());
    assert_eq!(report.provenance, ["test", "verified"]);
    assert_eq!(loaded.content_id(), trust.content_id());
    assert!(!loaded.includes_unverified_master_lists());
    assert_eq!(chains(&loaded), chains(&trust));
    // Loading it again adds nothing (duplicates by content).
    assert_eq!(loaded.add_compiled(&bytes).unwrap().certificates_added, 0);
}

#[test]
fn a_damaged_or_unknown_compiled_store_is_refused_whole() {
    let mut small = TrustStore::new().with_vn_csca();
    small
        .add_certificate_der(&read("vn/VN_CSCA_ePassport_2022.cer"))
        .unwrap();
    let bytes = small.to_compiled("p");
    let refused = |b: &[u8]| {
        let mut t = TrustStore::new();
        let e = t.add_compiled(b).unwrap_err();
        assert_eq!(t.anchor_count(), 0);
        e
    };
    let header_len = u32::from_be_bytes(bytes[20..24].try_into().unwrap()) as usize;
    let head_end = 24 + header_len + 32;
    assert!(
        head_end < bytes.len() / 2,
        "the anchor's DER is the second half"
    );
    // One flipped bit anywhere but the header length: the header's or the anchor's digest.
    for at in [24, 40, head_end - 1, bytes.len() / 2, bytes.len() - 1] {
        let mut b = bytes.clone();
        b[at] ^= 1;
        assert_eq!(
            refused(&b),
            TrustError::Compiled(CompiledError::Digest),
            "{at}"
        );
    }
    // The header length changed: the header no longer ends where its digest says.
    let mut b = bytes.clone();
    b[23] ^= 1;
    assert!(matches!(refused(&b), TrustError::Compiled(_)));
    // Truncated, or a byte more: refused where the file and its header part ways.
    assert_eq!(
        refused(&bytes[..bytes.len() - 40]),
        TrustError::Compiled(CompiledError::Malformed(bytes.len() - 40))
    );
    assert!(matches!(refused(&bytes[..18]), TrustError::Compiled(_)));
    let mut longer = bytes.clone();
    longer.push(0);
    assert_eq!(
        refused(&longer),
        TrustError::Compiled(CompiledError::Malformed(bytes.len()))
    );
    // Another version (version 1 of earlier releases among them), whatever follows.
    for version in [1u8, 3] {
        let mut other = bytes.clone();
        other[19] = version;
        assert_eq!(
            refused(&other),
            TrustError::Compiled(CompiledError::Version(u32::from(version)))
        );
    }
    // A record kind this version does not know, the header's digest recomputed.
    let mut header = bytes[24..24 + header_len].to_vec();
    let count = u32::from_be_bytes(header[0..4].try_into().unwrap());
    header[0..4].copy_from_slice(&(count + 1).to_be_bytes());
    header.extend_from_slice(&[b'Z', 0, 0, 0, 0]);
    let mut unknown = bytes[..20].to_vec();
    unknown.extend_from_slice(&(header.len() as u32).to_be_bytes());
    unknown.extend_from_slice(&header);
    let digest = cccd::crypto::hash::HashAlgorithm::Sha256.digest(&unknown);
    unknown.extend_from_slice(&digest);
    unknown.extend_from_slice(&bytes[head_end..]);
    assert_eq!(
        refused(&unknown),
        TrustError::Compiled(CompiledError::UnknownRecord(b'Z'))
    );
}

/// A compiled file loaded by path reads its header at load and each anchor when a chain needs
/// it: the chains are those of the lists; a changed anchor is never used and is counted; a
/// changed header refuses the file.
#[test]
fn a_compiled_file_by_path_reads_anchors_when_needed_and_checks_them() {
    let trust = lists();
    let bytes = trust.to_compiled("test");
    let path = tmp("lazy.trust");
    std::fs::write(&path, &bytes).unwrap();
    let mut loaded = TrustStore::new();
    let report = loaded.add_path(&path).unwrap();
    assert_eq!(report.certificates_added, trust.anchor_count());
    assert_eq!(loaded.content_id(), trust.content_id());
    assert_eq!(chains(&loaded), chains(&trust));
    assert_eq!(loaded.damaged_anchors(), 0);

    // Change the last byte of the file (the last anchor's DER) and of every anchor named like
    // the French DSC's issuer: FR's chain can no longer be built, the others still can.
    let fr = read("real-world/sod/FR.sod");
    let fr_csca_subjects: Vec<Vec<u8>> = trust
        .certificates()
        .iter()
        .filter(|c| c.subject.to_string().contains("CSCA-FRANCE"))
        .map(|c| c.raw.to_vec())
        .collect();
    assert!(!fr_csca_subjects.is_empty());
    let mut damaged = bytes.clone();
    for der in &fr_csca_subjects {
        let at = damaged
            .windows(der.len())
            .position(|w| w == der.as_slice())
            .unwrap();
        damaged[at + der.len() - 1] ^= 0x01;
    }
    let path = tmp("lazy-damaged.trust");
    std::fs::write(&path, &damaged).unwrap();
    let mut loaded = TrustStore::new();
    loaded.add_path(&path).unwrap();
    let report = verify_passive(&fr, &BTreeMap::new(), &loaded, &PaOptions::default());
    assert!(
        matches!(report.chain, ChainVerdict::Untrusted { .. }),
        "{:?}",
        report.chain
    );
    assert!(loaded.damaged_anchors() >= 1);
    let at = read("real-world/sod/AT.sod");
    let report = verify_passive(&at, &BTreeMap::new(), &loaded, &PaOptions::default());
    assert_eq!(report.chain, ChainVerdict::Valid);

    // A changed header byte: refused at load, nothing added.
    let mut header_changed = bytes.clone();
    header_changed[30] ^= 0x01;
    std::fs::write(&path, &header_changed).unwrap();
    let mut refused = TrustStore::new();
    assert_eq!(
        refused.add_path(&path).unwrap_err(),
        TrustError::Compiled(CompiledError::Digest)
    );
    assert_eq!(refused.anchor_count(), 0);
    // Truncated on disk: refused.
    std::fs::write(&path, &bytes[..bytes.len() - 1]).unwrap();
    assert!(matches!(
        TrustStore::new().add_path(&path).unwrap_err(),
        TrustError::Compiled(CompiledError::Malformed(_))
    ));
}

#[test]
fn cli_compile_then_verify_with_the_compiled_file() {
    let out_file = tmp("de-nl.trust");
    let out = cccd(&[
        "trust",
        "compile",
        out_file.to_str().unwrap(),
        "--trust",
        &shared(DE_ML),
        "--trust",
        &shared(NL_ML),
        "--ml-signer-root",
        &shared(DE_ROOT),
        "--ml-signer-root",
        &shared(NL_ROOT),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for c in COUNTRIES {
        let out = cccd(&[
            "verify",
            "--sod",
            &shared(&format!("real-world/sod/{c}.sod")),
            "--trust",
            out_file.to_str().unwrap(),
        ]);
        assert!(
            out.status.success(),
            "{c}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // Without a signer root the lists are refused at compile time, as at load time.
    let out = cccd(&[
        "trust",
        "compile",
        tmp("refused.trust").to_str().unwrap(),
        "--trust",
        &shared(NL_ML),
    ]);
    assert!(!out.status.success());
    assert!(!tmp("refused.trust").exists());
}

/// A dump directory of the BSI specimen (its CSCA is not published: not authentic) and a
/// broken one; `verify` prints one JSON document per line, in order, with its source.
#[test]
fn cli_batch_prints_one_json_line_per_dump_in_order() {
    let bsi = tmp("bsi");
    std::fs::create_dir_all(&bsi).unwrap();
    for (from, to) in [
        ("EF_SOD.bin", "SOD.bin"),
        ("Datagroup1.bin", "DG1.bin"),
        ("Datagroup14.bin", "DG14.bin"),
    ] {
        std::fs::copy(shared(&format!("bsi-tr03105-5/{from}")), bsi.join(to)).unwrap();
    }
    let broken = tmp("broken");
    std::fs::create_dir_all(&broken).unwrap();
    std::fs::write(broken.join("DG1.bin"), [0x61, 0x00]).unwrap();
    let big = tmp("big");
    std::fs::create_dir_all(&big).unwrap();
    std::fs::write(
        big.join("SOD.bin"),
        vec![0u8; cccd::files::MAX_FILE_SIZE + 1],
    )
    .unwrap();
    let dirs = [&bsi, &broken, &bsi, &big, &bsi];
    let mut args = vec!["verify", "--json", "--jobs", "2"];
    args.extend(dirs.iter().map(|d| d.to_str().unwrap()));
    let out = cccd(&args);
    // A dump that cannot be read is a failure (exit 1), reported on its own line.
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), dirs.len());
    for (line, dir) in lines.iter().zip(dirs) {
        assert_eq!(line["source"], dir.to_str().unwrap());
        assert_eq!(line["schema"], "cccd-document/1");
    }
    assert!(lines[1]["error"].as_str().unwrap().contains("no SOD.bin"));
    assert!(lines[3]["error"].as_str().unwrap().contains("larger than"));
    for i in [0, 2, 4] {
        assert!(lines[i].get("error").is_none());
        assert_eq!(lines[i]["verification"]["data_authentic"], false);
        assert_eq!(lines[i]["dg1"], lines[0]["dg1"]);
    }
    // Without the broken dumps: not authentic (exit 4), one plain line each with --jobs 1.
    let out = cccd(&[
        "verify",
        "--jobs",
        "1",
        bsi.to_str().unwrap(),
        bsi.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(4));
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 2);
}

#[test]
fn crls_are_deduplicated_by_content_and_ldif_lines_are_bounded() {
    let crl = cccd::sim::sod::country_pki().unwrap().crl(&[]).unwrap();
    let mut t = TrustStore::new();
    t.add_crl(&crl).unwrap();
    let id = t.content_id();
    t.add_crl(&crl).unwrap();
    assert_eq!(t.crls().len(), 1);
    assert_eq!(t.content_id(), id);
    let pem_free_ldif = b"dn: x\ncertificateRevocationList;binary:: AAAA\n".to_vec();
    let report = t.add_ldif(&pem_free_ldif).unwrap();
    assert_eq!(report.crls_added, 0);
    assert_eq!(report.warnings.len(), 1);
    assert!(
        matches!(
            &report.warnings[0],
            cccd::verify::Warning::LdifValueSkipped { attribute, .. }
                if attribute == "certificaterevocationlist"
        ),
        "{:?}",
        report.warnings
    );
    // A folded value longer than the cap is refused, naming its first line.
    let mut long = b"dn: x\nuserCertificate;binary:: ".to_vec();
    let chunk = vec![b'A'; 1 << 20];
    for _ in 0..=cccd::verify::trust::MAX_LDIF_LINE >> 20 {
        long.extend_from_slice(b"\n ");
        long.extend_from_slice(&chunk);
    }
    assert_eq!(
        t.add_ldif(&long).unwrap_err(),
        TrustError::LdifLineTooLong { line: 2 }
    );
}

/// A compiled file of version 2 whose header is `header` (count and records), sealed with its
/// digest, followed by `anchors`: the layout of `cccd::verify::compiled`, written here by hand.
fn sealed(header: &[u8], anchors: &[u8]) -> Vec<u8> {
    let mut file = MAGIC.to_vec();
    file.extend_from_slice(&2u32.to_be_bytes());
    file.extend_from_slice(&(header.len() as u32).to_be_bytes());
    file.extend_from_slice(header);
    let digest = cccd::crypto::hash::HashAlgorithm::Sha256.digest(&file);
    file.extend_from_slice(&digest);
    file.extend_from_slice(anchors);
    file
}

/// A malformed compiled file is refused at the exact byte where it goes wrong (the header
/// starts at byte 24: magic 16, version 4, header length 4; its first record at 28, after the
/// count), and a `U` (unverified) record must be empty.
#[test]
fn a_malformed_compiled_header_is_refused_at_its_byte() {
    let refused = |b: &[u8]| {
        let mut t = TrustStore::new();
        let e = t.add_compiled(b).unwrap_err();
        assert_eq!(t.anchor_count(), 0);
        e
    };
    let malformed = |at| TrustError::Compiled(CompiledError::Malformed(at));
    // Shorter than magic, version and header length: byte 0.
    let mut short = MAGIC.to_vec();
    short.extend_from_slice(&2u32.to_be_bytes());
    short.extend_from_slice(&[0, 0]);
    assert_eq!(refused(&short), malformed(0));
    // One record announced, its length cut short after the kind: byte 28 + 1.
    assert_eq!(
        refused(&sealed(&[0, 0, 0, 1, b'P', 0, 0], &[])),
        malformed(29)
    );
    // A second record whose length is cut short: at its start (28 + 5 + 2) + 1.
    let two = [
        &[0, 0, 0, 2][..],
        &[b'P', 0, 0, 0, 2, b'o', b'k'],
        &[b'P', 0],
    ]
    .concat();
    assert_eq!(refused(&sealed(&two, &[])), malformed(36));
    // An anchor record too short for its key length: after the kind, length and digest.
    let mut anchor = vec![0, 0, 0, 1, b'A', 0, 0, 0, 34];
    anchor.extend_from_slice(&[0x11; 32]);
    anchor.extend_from_slice(&[0, 0]);
    assert_eq!(refused(&sealed(&anchor, &[])), malformed(28 + 37));
    // Bytes left after the records the count announced.
    assert_eq!(
        refused(&sealed(&[0, 0, 0, 0, b'P', 0, 0, 0, 0], &[])),
        malformed(28)
    );
    // The unverified marker carries nothing.
    assert_eq!(
        refused(&sealed(&[0, 0, 0, 1, b'U', 0, 0, 0, 1, 0], &[])),
        TrustError::Compiled(CompiledError::UnknownRecord(b'U'))
    );
    // The same records well formed load.
    let mut t = TrustStore::new();
    t.add_compiled(&sealed(&[0, 0, 0, 1, b'U', 0, 0, 0, 0], &[]))
        .unwrap();
}

/// A compiled file loaded by path whose header length runs past the file is refused before
/// any buffer of that length is allocated (a 4 GB header length in a 40-byte file), and one
/// whose header fills it exactly is read (and then refused for its digest).
#[test]
fn a_compiled_file_whose_header_runs_past_its_end_is_refused_before_reading() {
    let mut file = MAGIC.to_vec();
    file.extend_from_slice(&2u32.to_be_bytes());
    file.extend_from_slice(&0xFFFF_FF00u32.to_be_bytes());
    file.resize(40, 0);
    let path = tmp("header-past-end.trust");
    std::fs::write(&path, &file).unwrap();
    assert_eq!(
        TrustStore::new().add_path(&path).unwrap_err(),
        TrustError::Compiled(CompiledError::Malformed(24))
    );
    // A header of 0 bytes and its 32-byte digest fill 56 bytes exactly.
    file[20..24].copy_from_slice(&0u32.to_be_bytes());
    file.resize(56, 0);
    std::fs::write(&path, &file).unwrap();
    assert_eq!(
        TrustStore::new().add_path(&path).unwrap_err(),
        TrustError::Compiled(CompiledError::Digest)
    );
}

/// A compiled store keeps the PKD Document Signers and CRLs it was compiled with, and its
/// load report counts them; a store loaded by path names its file when printed (`Debug`).
#[test]
fn a_compiled_store_carries_document_signers_and_crls() {
    use base64ct::{Base64, Encoding};
    let dsc = read(DE_ROOT);
    let ldif = format!(
        "dn: cn=dsc\nuserCertificate;binary:: {}\n",
        Base64::encode_string(&dsc)
    );
    let crl = cccd::sim::sod::country_pki().unwrap().crl(&[]).unwrap();
    let mut t = TrustStore::new().with_vn_csca();
    assert_eq!(
        t.add_ldif(ldif.as_bytes()).unwrap().document_signers_added,
        1
    );
    t.add_crl(&crl).unwrap();
    let bytes = t.to_compiled("p");

    let mut loaded = TrustStore::new();
    let report = loaded.add_compiled(&bytes).unwrap();
    assert_eq!(report.certificates_added, 1);
    assert_eq!(report.document_signers_added, 1);
    assert_eq!(report.crls_added, 1);
    assert_eq!(loaded.document_signers()[0].raw.to_vec(), dsc);
    assert_eq!(loaded.crls().len(), 1);
    assert_eq!(loaded.content_id(), t.content_id());

    let path = tmp("dscs-and-crls.trust");
    std::fs::write(&path, &bytes).unwrap();
    let mut by_path = TrustStore::new();
    let report = by_path.add_path(&path).unwrap();
    assert_eq!((report.document_signers_added, report.crls_added), (1, 1));
    let printed = format!("{by_path:?}");
    assert!(printed.contains(&path.display().to_string()), "{printed}");
}
