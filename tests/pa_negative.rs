//! Negative passive-authentication tests on real files, each asserting the exact reason.
// Uses the primitives (tlv, crypto, the protocol steps): feature `internals`.
#![cfg(feature = "internals")]

use cccd::lds::sod::Sod;
use cccd::verify::*;
use std::collections::BTreeMap;

fn td(p: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../shared/test-data/{p}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn find(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len())
        .position(|w| w == needle)
        .expect("needle present")
}

/// The French CSCA only (from the DE master list).
fn fr_trust() -> TrustStore {
    let mut all = TrustStore::new();
    all.add_master_list(
        &td("real-world/trust/DE_ML_2026-05-28-08-28-45.ml"),
        &[Certificate::from_der(&td("real-world/trust/DE_ROOT_CA_CSCA07.cer")).unwrap()],
    )
    .unwrap();
    let mut t = TrustStore::new();
    for c in all.certificates() {
        if c.country().as_deref() == Some("FR") {
            t.add_certificate(c.clone());
        }
    }
    t
}

fn bsi_dgs() -> BTreeMap<u8, Vec<u8>> {
    let mut dgs = BTreeMap::new();
    for (n, f) in [
        (1u8, "Datagroup1.bin"),
        (2, "Datagroup2.bin"),
        (14, "Datagroup14.bin"),
    ] {
        dgs.insert(n, td(&format!("bsi-tr03105-5/{f}")));
    }
    dgs
}

#[test]
fn baseline_fr_is_valid() {
    let r = verify_passive(
        &td("real-world/sod/FR.sod"),
        &BTreeMap::new(),
        &fr_trust(),
        &PaOptions::default(),
    );
    assert_eq!(r.sod_signature, SignatureVerdict::Valid);
    assert_eq!(r.chain, ChainVerdict::Valid);
}

#[test]
fn one_flipped_bit_in_a_data_group() {
    let sod = td("bsi-tr03105-5/EF_SOD.bin");
    let mut dgs = bsi_dgs();
    let dg2 = dgs.get_mut(&2).unwrap();
    let mid = dg2.len() / 2;
    dg2[mid] ^= 0x01;
    let r = verify_passive(&sod, &dgs, &TrustStore::new(), &PaOptions::default());
    assert_eq!(
        r.data_groups,
        vec![
            (1, DgHashVerdict::Valid),
            (2, DgHashVerdict::Mismatch),
            (3, DgHashVerdict::NotRead),
            (4, DgHashVerdict::NotRead),
            (14, DgHashVerdict::Valid)
        ]
    );
    assert_eq!(r.sod_signature, SignatureVerdict::Valid);
    assert!(!r.is_genuine());
}

#[test]
fn one_flipped_bit_in_the_sod_signature() {
    let mut bytes = td("real-world/sod/FR.sod");
    let sod = Sod::parse(&bytes).unwrap();
    let sig = &sod.signer_infos[0].signature;
    let at = find(&bytes, sig) + sig.len() / 2;
    bytes[at] ^= 0x10;
    let r = verify_passive(&bytes, &BTreeMap::new(), &fr_trust(), &PaOptions::default());
    assert_eq!(
        r.sod_signature,
        SignatureVerdict::Invalid {
            reason: SignerFailure::Signature(SignatureError::Invalid)
        }
    );
    // The DSC itself is untouched: its chain still holds.
    assert_eq!(r.chain, ChainVerdict::Valid);
    assert!(!r.is_genuine());
}

#[test]
fn one_flipped_bit_in_the_signed_content() {
    // A DG hash inside the LDS security object: the messageDigest no longer matches.
    let mut bytes = td("real-world/sod/FR.sod");
    let sod = Sod::parse(&bytes).unwrap();
    let h = &sod.lds_security_object.data_group_hashes[0].1;
    let at = find(&bytes, h);
    bytes[at] ^= 0x80;
    let r = verify_passive(&bytes, &BTreeMap::new(), &fr_trust(), &PaOptions::default());
    assert_eq!(
        r.sod_signature,
        SignatureVerdict::Invalid {
            reason: SignerFailure::MessageDigestMismatch
        }
    );
}

#[test]
fn one_flipped_bit_in_the_dsc_tbs() {
    let mut bytes = td("real-world/sod/FR.sod");
    // Subject CN "HSM-DS2" -> "hSM-DS2": the DSC's TBSCertificate changes, its key does not.
    let at = find(&bytes, b"HSM-DS2");
    bytes[at] ^= 0x20;
    let r = verify_passive(&bytes, &BTreeMap::new(), &fr_trust(), &PaOptions::default());
    assert_eq!(r.sod_signature, SignatureVerdict::Valid);
    assert_eq!(
        r.chain,
        ChainVerdict::Invalid {
            reason: ChainFailure::DscSignatureInvalid(SignatureError::Invalid)
        }
    );
    assert_eq!(r.csca_subject, None);
}

#[test]
fn dsc_checked_against_another_countrys_csca_only() {
    let mut all = TrustStore::new();
    all.add_master_list(
        &td("real-world/trust/DE_ML_2026-05-28-08-28-45.ml"),
        &[Certificate::from_der(&td("real-world/trust/DE_ROOT_CA_CSCA07.cer")).unwrap()],
    )
    .unwrap();
    let mut t = TrustStore::new();
    for c in all.certificates() {
        if c.country().as_deref() == Some("AT") {
            t.add_certificate(c.clone());
        }
    }
    assert!(!t.certificates().is_empty());
    let r = verify_passive(
        &td("real-world/sod/FR.sod"),
        &BTreeMap::new(),
        &t,
        &PaOptions::default(),
    );
    assert_eq!(r.sod_signature, SignatureVerdict::Valid);
    assert_eq!(
        r.chain,
        ChainVerdict::Untrusted {
            reason: UntrustedReason::NoCscaFound {
                issuer: "C=FR, O=Gouv, CN=CSCA-FRANCE".into()
            }
        }
    );
}

#[test]
fn wrong_econtent_type() {
    let mut bytes = td("real-world/sod/FR.sod");
    // eContentType 2.23.136.1.1.1 -> 2.23.136.1.1.2 (its first occurrence is eContentType).
    let at = find(&bytes, &[0x06, 0x06, 0x67, 0x81, 0x08, 0x01, 0x01, 0x01]);
    bytes[at + 7] = 0x02;
    let r = verify_passive(&bytes, &BTreeMap::new(), &fr_trust(), &PaOptions::default());
    assert_eq!(
        r.sod_signature,
        SignatureVerdict::Invalid {
            reason: SignerFailure::WrongContentType(cccd::pki::oid::CSCA_MASTER_LIST)
        }
    );
    assert_eq!(
        r.chain,
        ChainVerdict::Invalid {
            reason: ChainFailure::NoDsc
        }
    );
    assert!(!r.is_genuine());
}

#[test]
fn garbage_never_panics() {
    let good = td("real-world/sod/NZ.sod");
    for cut in [0, 1, 4, 10, 100, good.len() / 2, good.len() - 1] {
        let r = verify_passive(
            &good[..cut],
            &BTreeMap::new(),
            &TrustStore::new(),
            &PaOptions::default(),
        );
        assert!(
            matches!(
                r.sod_signature,
                SignatureVerdict::Invalid {
                    reason: SignerFailure::Malformed(_)
                }
            ),
            "{cut}"
        );
    }
    // Every single-byte change of the header region: a verdict, never a panic.
    for i in 0..64 {
        let mut b = good.clone();
        b[i] ^= 0xFF;
        let r = verify_passive(
            &b,
            &BTreeMap::new(),
            &TrustStore::new(),
            &PaOptions::default(),
        );
        assert!(!r.is_genuine());
    }
}

#[test]
fn validity_at_a_given_date() {
    let t = fr_trust();
    let at = Time::from_ymd(2017, 9, 6).unwrap();
    let r = verify_passive(
        &td("real-world/sod/FR.sod"),
        &BTreeMap::new(),
        &t,
        &PaOptions::default().at(at),
    );
    assert_eq!(r.validity_now, ValidityVerdict::Valid);
    assert_eq!(r.validity_at_signing, ValidityVerdict::Valid);
    let early = Time::from_ymd(2000, 1, 1).unwrap();
    let r = verify_passive(
        &td("real-world/sod/FR.sod"),
        &BTreeMap::new(),
        &t,
        &PaOptions::default().at(early),
    );
    assert!(matches!(
        r.validity_now,
        ValidityVerdict::NotYetValid { .. }
    ));
}
