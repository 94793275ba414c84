//! Trust sources: PEM, LDIF (folded base64 values, certificates, CRLs, master lists), paths.

use cccd::verify::*;

fn td(p: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../shared/test-data/{p}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn b64(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::new();
    for c in data.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                s.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

/// RFC 2849 folding: 76-column lines, continuations start with one space.
fn fold(line: &str) -> String {
    let mut out = String::new();
    for (i, chunk) in line.as_bytes().chunks(76).enumerate() {
        if i > 0 {
            out.push_str("\n ");
        }
        out.push_str(std::str::from_utf8(chunk).unwrap());
    }
    out
}

#[test]
fn pem_and_ldif() {
    let vn = td("vn/VN_CSCA_ePassport_2022.cer");
    let pem = format!(
        "junk\n-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        b64(&vn)
    );
    let mut t = TrustStore::new();
    assert_eq!(t.add_pem(pem.as_bytes()).unwrap().certificates_added, 1);
    assert_eq!(t.certificates()[0].country().as_deref(), Some("VN"));

    let de_root = td("real-world/trust/DE_ROOT_CA_CSCA07.cer");
    let nl_ml = td("real-world/trust/NL_ML_2026-07-22.ml");
    let ldif = format!(
        "version: 1\n\ndn: cn=x,o=CSCA\nobjectClass: inetOrgPerson\n{}\n\ndn: cn=y\n{}\n\ndn: cn=ml\n{}\n",
        fold(&format!("userCertificate;binary:: {}", b64(&vn))),
        fold(&format!("userCertificate;binary:: {}", b64(&de_root))),
        fold(&format!("pkdMasterListContent:: {}", b64(&nl_ml))),
    );
    let mut t = TrustStore::new();
    let r = t.add_ldif(ldif.as_bytes()).unwrap();
    // userCertificate values are Document Signers: kept apart, never trust anchors.
    assert_eq!(r.document_signers_added, 2);
    assert_eq!(t.document_signers().len(), 2);
    // Without a signer root the master list inside is refused, and named in the warnings.
    assert!(r.master_lists.is_empty());
    assert!(t.certificates().is_empty());
    let no_root = TrustError::MasterListUntrusted(cccd::pki::MasterListError::NoSignerRoot);
    assert!(r.warnings.iter().any(|w| matches!(
        w,
        Warning::LdifValueSkipped { attribute, reason }
            if attribute == "pkdmasterlistcontent" && **reason == no_root
    )));
    // With the NL root, the list inside the LDIF verifies.
    let nl_root = Certificate::from_der(&td("real-world/trust/NL_ROOT_CA.cer")).unwrap();
    let mut t = TrustStore::new();
    let r = t.add_ldif_with_roots(ldif.as_bytes(), &[nl_root]).unwrap();
    assert_eq!(r.master_lists.len(), 1);
    assert_eq!(r.master_lists[0].certificates_in_list, 411);
    assert!(r.master_lists[0].signature_verified);
    assert_eq!(r.certificates_added, t.certificates().len());
    // Every one of the list's 411 certificates is distinct (scripts/self-issued-openssl counts
    // them with OpenSSL alone), and each becomes a trust anchor: the VN CSCA and the DE root,
    // met first as Document Signers above, too.
    assert_eq!(r.certificates_added, 411);
}

#[test]
fn paths_by_content() {
    let dir = format!(
        "{}/../shared/test-data/real-world/trust",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut t = TrustStore::new();
    let r = t.add_path(&dir).unwrap();
    // Two roots; the two master lists are refused (no signer roots given) ...
    assert!(r.master_lists.is_empty());
    assert_eq!(t.certificates().len(), 2);
    assert_eq!(
        r.warnings
            .iter()
            .filter(|w| matches!(
                w,
                Warning::FileSkipped { reason, .. } if **reason
                    == TrustError::MasterListUntrusted(cccd::pki::MasterListError::NoSignerRoot)
            ))
            .count(),
        2
    );
    // ... unless the caller opts into unverified lists by name.
    let mut t = TrustStore::new();
    let r = t
        .danger_accept_unverified_master_lists()
        .add_path(&dir)
        .unwrap();
    assert_eq!(r.master_lists.len(), 2);
    assert!(r.master_lists.iter().all(|m| !m.signature_verified));
    // DE 588 + NL 411 certificates and the two roots, 627 distinct (SHA-256 of the DER,
    // counted with OpenSSL by scripts/self-issued-openssl: the roots are in the lists).
    assert_eq!(t.certificates().len(), 627);
    assert!(matches!(
        t.add_bytes(b"hello", &[]),
        Err(TrustError::UnknownFormat)
    ));
    assert!(matches!(
        t.add_path("/nonexistent/x"),
        Err(TrustError::Io { .. })
    ));
}

/// A fresh directory under the system's temporary directory, removed first if left over.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir =
        std::env::temp_dir().join(format!("cccd-trust-sources-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A directory is read MAX_DIRECTORY_DEPTH levels deep: below that, a subdirectory is named
/// in a warning and not read (a link loop or a whole disk cannot hold the loader).
#[test]
fn directories_are_read_to_a_bounded_depth() {
    let root = scratch("depth");
    let deepest_read = root.join("1").join("2").join("3");
    let too_deep = deepest_read.join("4");
    std::fs::create_dir_all(&too_deep).unwrap();
    std::fs::write(root.join("vn.cer"), td("vn/VN_CSCA_ePassport_2022.cer")).unwrap();
    std::fs::write(
        deepest_read.join("de.cer"),
        td("real-world/trust/DE_ROOT_CA_CSCA07.cer"),
    )
    .unwrap();
    std::fs::write(
        too_deep.join("nl.cer"),
        td("real-world/trust/NL_ROOT_CA.cer"),
    )
    .unwrap();
    assert_eq!(cccd::verify::trust::MAX_DIRECTORY_DEPTH, 4);
    let mut t = TrustStore::new();
    let r = t.add_path(&root).unwrap();
    assert_eq!(r.certificates_added, 2);
    assert_eq!(t.anchor_count(), 2);
    assert_eq!(
        r.warnings,
        [Warning::DirectoryTooDeep {
            path: too_deep.display().to_string()
        }]
    );
    let _ = std::fs::remove_dir_all(&root);
}

/// A file of exactly MAX_TRUST_FILE bytes is read (and here, 256 MiB of zeros, refused by its
/// content); one byte more is refused by its size (`a_master_list_ldif_of_a_megabyte...`).
#[test]
fn a_file_of_exactly_the_size_bound_is_read() {
    let dir = scratch("bound");
    let path = dir.join("zeros.bin");
    std::fs::File::create(&path)
        .unwrap()
        .set_len(cccd::verify::trust::MAX_TRUST_FILE)
        .unwrap();
    assert_eq!(
        TrustStore::new()
            .add_path(&path)
            .map(|r| r.certificates_added),
        Err(TrustError::UnknownFormat)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// An LDIF export's CSCA and CRL entries (`cACertificate;binary`,
/// `certificateRevocationList;binary`, as the ICAO PKD writes them): each counted as what it
/// is; a CSCA listed twice is added once.
#[test]
#[cfg(feature = "sim")] // the simulator's test PKI issues the CRL
fn ldif_csca_and_crl_entries_are_counted_apart() {
    let pki = cccd::sim::sod::country_pki().unwrap();
    let vn = td("vn/VN_CSCA_ePassport_2022.cer");
    let ldif = format!(
        "version: 1\n\ndn: cn=a\n{}\n\ndn: cn=b\n{}\n\ndn: cn=c\n{}\n",
        fold(&format!("cACertificate;binary:: {}", b64(&vn))),
        fold(&format!(
            "certificateRevocationList;binary:: {}",
            b64(&pki.crl(&[]).unwrap())
        )),
        fold(&format!("cACertificate;binary:: {}", b64(&vn))),
    );
    let mut t = TrustStore::new();
    let r = t.add_ldif(ldif.as_bytes()).unwrap();
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert_eq!(r.certificates_added, 1);
    assert_eq!(r.crls_added, 1);
    assert_eq!(t.anchor_count(), 1);
    assert_eq!(t.crls().len(), 1);
}

/// A PEM bundle of a certificate, two CRLs and a block of another kind: each block counted
/// as what it is (RFC 7468 labels), the unknown one named in a warning.
#[test]
#[cfg(feature = "sim")] // the simulator's test PKI issues the CRLs
fn a_pem_bundle_counts_its_certificates_and_crls_apart() {
    let pki = cccd::sim::sod::country_pki().unwrap();
    let block = |label: &str, der: &[u8]| {
        format!(
            "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
            b64(der)
        )
    };
    let vn = td("vn/VN_CSCA_ePassport_2022.cer");
    let pem = [
        block("X509 CRL", &pki.crl(&[]).unwrap()),
        block("CERTIFICATE", &vn),
        block("PRIVATE KEY", &[0x30, 0x00]),
        block("X509 CRL", &pki.crl_revoking_dsc().unwrap()),
    ]
    .concat();
    let mut t = TrustStore::new();
    let r = t.add_pem(pem.as_bytes()).unwrap();
    assert_eq!(r.certificates_added, 1);
    assert_eq!(r.crls_added, 2);
    assert_eq!(t.crls().len(), 2);
    assert_eq!(
        r.warnings,
        [Warning::PemBlockIgnored {
            label: "PRIVATE KEY".into()
        }]
    );
}

#[test]
#[cfg(feature = "sim")] // the simulator's test PKI
fn a_directory_reports_what_each_of_its_files_added() {
    let dir = scratch("sum");
    let vn = td("vn/VN_CSCA_ePassport_2022.cer");
    let de_root = td("real-world/trust/DE_ROOT_CA_CSCA07.cer");
    let nl_root = td("real-world/trust/NL_ROOT_CA.cer");
    let pki = cccd::sim::sod::country_pki().unwrap();
    std::fs::write(dir.join("a-vn.cer"), &vn).unwrap();
    std::fs::write(dir.join("b-de.cer"), &de_root).unwrap();
    std::fs::write(dir.join("c-test.crl"), pki.crl(&[]).unwrap()).unwrap();
    let ldif = format!(
        "version: 1\n\ndn: cn=x\n{}\n\ndn: cn=y\n{}\n",
        fold(&format!("userCertificate;binary:: {}", b64(&nl_root))),
        fold(&format!("userCertificate;binary:: {}", b64(&vn))),
    );
    std::fs::write(dir.join("d-pkd.ldif"), ldif).unwrap();

    let mut t = TrustStore::new();
    let r = t.add_path(&dir).unwrap();
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    // Four files: two anchors, one CRL, two Document Signers.
    assert_eq!(r.certificates_added, 2);
    assert_eq!(r.crls_added, 1);
    assert_eq!(r.document_signers_added, 2);
    assert_eq!(t.anchor_count(), 2);
    assert_eq!(t.crls().len(), 1);
    assert_eq!(t.document_signers().len(), 2);
    let raws: Vec<&[u8]> = t.certificates().iter().map(|c| c.raw.as_slice()).collect();
    assert_eq!(raws, [vn.as_slice(), de_root.as_slice()]);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The DE master list (902,359 bytes, 1.2 MB of base64 on one LDIF line) read from an LDIF
/// file of 1.2 MB: a real PKD-sized value, well within the documented bounds
/// (MAX_TRUST_FILE 256 MiB, MAX_LDIF_LINE 32 MiB).
#[test]
fn a_master_list_ldif_of_a_megabyte_loads_from_a_file() {
    let dir = scratch("ldif");
    let de_ml = td("real-world/trust/DE_ML_2026-05-28-08-28-45.ml");
    let de_root = Certificate::from_der(&td("real-world/trust/DE_ROOT_CA_CSCA07.cer")).unwrap();
    let ldif = format!(
        "version: 1\n\ndn: cn=ml\n{}\n",
        fold(&format!("pkdMasterListContent:: {}", b64(&de_ml)))
    );
    let path = dir.join("de.ldif");
    std::fs::write(&path, &ldif).unwrap();
    assert!(ldif.len() > 1_200_000, "{}", ldif.len());
    let mut t = TrustStore::new();
    let r = t.add_path_with_roots(&path, &[de_root]).unwrap();
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert_eq!(r.master_lists.len(), 1);
    assert!(r.master_lists[0].signature_verified);
    assert_eq!(r.master_lists[0].certificates_in_list, 588);
    assert_eq!(r.certificates_added, t.anchor_count());

    // A file one byte past the bound is refused by its size, before a byte is read (a sparse
    // file: no disk space used).
    let big = dir.join("big.ml");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(cccd::verify::trust::MAX_TRUST_FILE + 1)
        .unwrap();
    assert!(matches!(
        TrustStore::new().add_path(&big),
        Err(TrustError::TooLarge { size, .. }) if size == cccd::verify::trust::MAX_TRUST_FILE + 1
    ));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_vn_csca_store_holds_the_published_certificate() {
    use sha2::Digest;
    let t = TrustStore::new().with_vn_csca();
    assert_eq!(t.anchor_count(), 1);
    let vn = td("vn/VN_CSCA_ePassport_2022.cer");
    assert_eq!(t.certificates()[0].raw, vn);
    assert_eq!(
        hex::encode_upper(sha2::Sha256::digest(&t.certificates()[0].raw)),
        "6B5FA6FE45CC4E855A73760413E08B7A9AC50A27722C702F3909A90FACC991BD"
    );
    assert_eq!(TrustStore::new().anchor_count(), 0);
}

/// Anchors added decoded (`add_certificate`) and as bytes (`add_certificate_der`) both reach
/// a compiled store with their exact DER.
#[test]
fn a_compiled_store_keeps_every_anchor_s_der() {
    let vn = td("vn/VN_CSCA_ePassport_2022.cer");
    let de_root = td("real-world/trust/DE_ROOT_CA_CSCA07.cer");
    let mut t = TrustStore::new();
    assert!(t.add_certificate(Certificate::from_der(&vn).unwrap()));
    assert!(t.add_certificate_der(&de_root).unwrap());
    let compiled = t.to_compiled("test");
    let mut loaded = TrustStore::new();
    let r = loaded.add_bytes(&compiled, &[]).unwrap();
    assert_eq!(r.certificates_added, 2);
    assert_eq!(loaded.content_id(), t.content_id());
    let raws: Vec<Vec<u8>> = loaded
        .certificates()
        .iter()
        .map(|c| c.raw.clone())
        .collect();
    assert_eq!(raws, [vn, de_root]);
}

/// A compiled store loaded by path reads an anchor only when a chain needs it, and checks
/// it against the digest recorded at compile time: an anchor changed on disk after the load
/// is never used, and is counted.
#[test]
#[cfg(feature = "sim")] // the simulator's test PKI
fn a_compiled_file_changed_after_loading_counts_its_damaged_anchor() {
    let pki = cccd::sim::sod::country_pki().unwrap();
    let csca = pki.csca_certificate().to_vec();
    let mut t = TrustStore::new().with_vn_csca();
    t.add_certificate_der(&csca).unwrap();
    let bytes = t.to_compiled("test");
    let dir = scratch("compiled");
    let path = dir.join("store.trust");
    std::fs::write(&path, &bytes).unwrap();

    let dgs = std::collections::BTreeMap::from([(1u8, b"\x61\x03\x5F\x1F\x00".to_vec())]);
    let sod = pki.issue_sod(&dgs).unwrap();
    let at = PaOptions::default().at(Time::from_ymd(2026, 1, 1).unwrap());

    let mut loaded = TrustStore::new();
    assert_eq!(loaded.add_path(&path).unwrap().certificates_added, 2);
    assert!(!loaded.includes_unverified_master_lists());
    assert_eq!(
        verify_passive(&sod, &dgs, &loaded, &at).chain,
        ChainVerdict::Valid
    );
    assert_eq!(loaded.damaged_anchors(), 0);

    let mut loaded = TrustStore::new();
    loaded.add_path(&path).unwrap();
    let at_der = bytes
        .windows(csca.len())
        .position(|w| w == csca.as_slice())
        .unwrap();
    let mut changed = bytes.clone();
    changed[at_der + csca.len() - 1] ^= 0x01;
    std::fs::write(&path, &changed).unwrap();
    assert!(matches!(
        verify_passive(&sod, &dgs, &loaded, &at).chain,
        ChainVerdict::Untrusted { .. }
    ));
    assert_eq!(loaded.damaged_anchors(), 1);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Whether a store holds a master list nobody verified is known to the store, and survives
/// compiling it.
#[test]
fn an_unverified_master_list_is_remembered_through_a_compiled_store() {
    let dir = format!(
        "{}/../shared/test-data/real-world/trust",
        env!("CARGO_MANIFEST_DIR")
    );
    let nl_root = Certificate::from_der(&td("real-world/trust/NL_ROOT_CA.cer")).unwrap();
    let mut verified = TrustStore::new();
    let report = verified
        .add_bytes(&td("real-world/trust/NL_ML_2026-07-22.ml"), &[nl_root])
        .unwrap();
    // A master list given as bytes: its report, and the store's, count its 411 CSCAs.
    assert_eq!(report.master_lists.len(), 1);
    assert_eq!(report.master_lists[0].certificates_added, 411);
    assert_eq!(report.certificates_added, 411);
    assert!(!verified.includes_unverified_master_lists());
    let mut unverified = TrustStore::new();
    unverified
        .danger_accept_unverified_master_lists()
        .add_path(&dir)
        .unwrap();
    assert!(unverified.includes_unverified_master_lists());
    for (store, expected) in [(&verified, false), (&unverified, true)] {
        let mut loaded = TrustStore::new();
        loaded.add_bytes(&store.to_compiled("test"), &[]).unwrap();
        assert_eq!(loaded.includes_unverified_master_lists(), expected);
        assert_eq!(loaded.anchor_count(), store.anchor_count());
    }
}

/// An LDIF of three short lines, then on line 4 a `description` value (not one the store
/// reads, so only the length bound can refuse it) of `total` bytes after unfolding, written
/// on one line or folded (RFC 2849: continuation lines start with one space) into pieces of
/// `piece` bytes.
fn ldif_with_a_long_line(total: usize, piece: Option<usize>) -> Vec<u8> {
    let mut out = b"version: 1\n\ndn: cn=x\n".to_vec();
    let head = b"description: ";
    out.extend_from_slice(head);
    let mut left = total - head.len();
    let first = piece.map_or(left, |p| p - head.len());
    out.resize(out.len() + first, b'a');
    left -= first;
    while left > 0 {
        let n = left.min(piece.unwrap());
        out.push(b'\n');
        out.push(b' ');
        out.resize(out.len() + n, b'a');
        left -= n;
    }
    out.extend_from_slice(b"\n\ndn: cn=y\n");
    out
}

/// MAX_LDIF_LINE bounds a logical line, folded or not: exactly the bound loads, one byte more
/// is refused with the number of the line where the value starts.
#[test]
fn an_ldif_line_is_bounded_after_unfolding_and_named_by_where_it_starts() {
    for piece in [None, Some(1 << 20)] {
        let mut t = TrustStore::new();
        let at_bound = t.add_ldif(&ldif_with_a_long_line(
            cccd::verify::trust::MAX_LDIF_LINE,
            piece,
        ));
        assert_eq!(at_bound.map(|r| r.warnings), Ok(vec![]), "{piece:?}");
        let over = t.add_ldif(&ldif_with_a_long_line(
            cccd::verify::trust::MAX_LDIF_LINE + 1,
            piece,
        ));
        assert_eq!(
            over.map(|r| r.warnings),
            Err(TrustError::LdifLineTooLong { line: 4 }),
            "{piece:?}"
        );
    }
}

/// A master list entry that is not a certificate is skipped and named by its position in
/// the list (1-based); the other entries load.
#[test]
fn a_master_list_entry_that_is_no_certificate_is_skipped_by_its_position() {
    let mut ml = td("real-world/trust/NL_ML_2026-07-22.ml");
    // CscaMasterList ::= SEQUENCE { version INTEGER 0, certList SET OF Certificate }
    // (ICAO 9303-12 §9): the SET's header `31 83 xx xx xx` follows `02 01 00`, and its
    // entries are certificates `30 82 hi lo`, each starting with its tbsCertificate `30`.
    let set = ml
        .windows(5)
        .position(|w| w == [0x02, 0x01, 0x00, 0x31, 0x83])
        .unwrap()
        + 3;
    let first = set + 5;
    let entry_len =
        |ml: &[u8], at: usize| 4 + usize::from(ml[at + 2]) * 256 + usize::from(ml[at + 3]);
    let second = first + entry_len(&ml, first);
    for at in [first, second] {
        assert_eq!(ml[at..at + 2], [0x30, 0x82]);
        assert_eq!(ml[at + 4], 0x30);
        // The tbsCertificate becomes an OCTET STRING of the same length: the list's framing
        // holds, the entry is no certificate (and the list's signature no longer verifies).
        ml[at + 4] = 0x04;
    }
    let mut t = TrustStore::new();
    let r = t
        .danger_accept_unverified_master_lists()
        .add_master_list(&ml, &[])
        .unwrap();
    assert!(!r.signature_verified);
    assert_eq!(r.certificates_in_list, 411);
    assert_eq!(r.certificates_skipped, 2);
    assert_eq!(r.certificates_added, 409);
    assert_eq!(t.anchor_count(), 409);
    let skipped: Vec<usize> = r
        .warnings
        .iter()
        .filter_map(|w| match w {
            Warning::MasterListEntrySkipped { entry, .. } => Some(*entry),
            _ => None,
        })
        .collect();
    assert_eq!(skipped, [1, 2]);
}
