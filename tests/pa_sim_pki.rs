//! The simulator's test PKI issues SODs that pass passive authentication against its CSCA,
//! for every algorithm it offers; and its tampering helpers produce the right verdicts.
#![cfg(all(feature = "sim", feature = "internals"))]

use cccd::crypto::ec::NamedCurve;
use cccd::sim::pki::{KeyAlgorithm, PkiConfig, TestPki};
use cccd::verify::*;
use std::collections::BTreeMap;

fn dgs() -> BTreeMap<u8, Vec<u8>> {
    BTreeMap::from([
        (1u8, b"\x61\x03\x5F\x1F\x00".to_vec()),
        (2, vec![0x75, 0x01, 0xAA]),
        (13, b"\x6D\x00".to_vec()),
    ])
}

fn trust(pki: &TestPki) -> TrustStore {
    let mut t = TrustStore::new();
    t.add_certificate_der(pki.csca_certificate()).unwrap();
    t
}

fn now() -> PaOptions {
    PaOptions::default().at(Time::from_ymd(2026, 1, 1).unwrap())
}

#[test]
fn every_algorithm_passes_pa() {
    let ec = |curve, explicit| KeyAlgorithm::Ecdsa { curve, explicit };
    let algs = [
        ec(NamedCurve::BrainpoolP256r1, true),
        ec(NamedCurve::BrainpoolP256r1, false),
        ec(NamedCurve::BrainpoolP384r1, true),
        ec(NamedCurve::BrainpoolP512r1, true),
        ec(NamedCurve::BrainpoolP512r1, false),
        ec(NamedCurve::P256, false),
        KeyAlgorithm::RsaPkcs1,
        KeyAlgorithm::RsaPss,
    ];
    for alg in algs {
        let pki = TestPki::new(&PkiConfig::new(alg, 42)).unwrap();
        let sod = pki.issue_sod(&dgs()).unwrap();
        let r = verify_passive(&sod, &dgs(), &trust(&pki), &now());
        assert_eq!(r.sod_signature, SignatureVerdict::Valid, "{alg:?}");
        assert_eq!(r.chain, ChainVerdict::Valid, "{alg:?} {:?}", r.warnings);
        assert!(r.is_genuine(), "{alg:?}");
        // The profile matches ICAO: no key-usage or constraint warnings.
        assert!(
            r.warnings.iter().all(|w| matches!(
                w,
                Warning::RevocationNotChecked
                    | Warning::CrlIgnored { .. }
                    | Warning::CrlExpired { .. }
            )),
            "{alg:?} {:?}",
            r.warnings
        );
        let expect_curve = match alg {
            KeyAlgorithm::Ecdsa { curve, .. } => Some(curve.name().to_string()),
            _ => None,
        };
        let csca = Certificate::from_der(pki.csca_certificate()).unwrap();
        assert_eq!(list_certificates(&[csca])[0].curve, expect_curve, "{alg:?}");
    }
    // Mixed: RSA CSCA certifying an ECDSA DSC.
    let mut cfg = PkiConfig::new(KeyAlgorithm::RsaPss, 3);
    cfg.dsc = KeyAlgorithm::Ecdsa {
        curve: NamedCurve::BrainpoolP256r1,
        explicit: true,
    };
    let pki = TestPki::new(&cfg).unwrap();
    let r = verify_passive(
        &pki.issue_sod(&dgs()).unwrap(),
        &dgs(),
        &trust(&pki),
        &now(),
    );
    assert!(r.is_genuine());
}

#[test]
fn deterministic_from_the_seed() {
    let alg = KeyAlgorithm::Ecdsa {
        curve: NamedCurve::BrainpoolP256r1,
        explicit: false,
    };
    let a = TestPki::new(&PkiConfig::new(alg, 9)).unwrap();
    let b = TestPki::new(&PkiConfig::new(alg, 9)).unwrap();
    let c = TestPki::new(&PkiConfig::new(alg, 10)).unwrap();
    assert_eq!(a.issue_sod(&dgs()).unwrap(), b.issue_sod(&dgs()).unwrap());
    assert_ne!(a.csca_certificate(), c.csca_certificate());
}

#[test]
fn revoked_dsc() {
    let pki = TestPki::shared_rsa().unwrap();
    let mut t = trust(pki);
    t.add_crl(&pki.crl_revoking_dsc().unwrap()).unwrap();
    let r = verify_passive(&pki.issue_sod(&dgs()).unwrap(), &dgs(), &t, &now());
    assert_eq!(r.sod_signature, SignatureVerdict::Valid);
    assert_eq!(
        r.chain,
        ChainVerdict::Revoked {
            revocation_date: Time::from_ymd(2025, 6, 1).unwrap()
        }
    );
    assert!(!r.is_genuine());

    // A CRL that lists other serials: valid, and no "revocation not checked" warning.
    let mut t = trust(pki);
    t.add_crl(&pki.crl(&[&[0x12, 0x34]]).unwrap()).unwrap();
    let r = verify_passive(&pki.issue_sod(&dgs()).unwrap(), &dgs(), &t, &now());
    assert_eq!(r.chain, ChainVerdict::Valid);
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);

    // A CRL from another CSCA with the same name is ignored, with a warning.
    let other = TestPki::new(&PkiConfig::new(
        KeyAlgorithm::Ecdsa {
            curve: NamedCurve::P256,
            explicit: false,
        },
        5,
    ))
    .unwrap();
    let mut t = trust(pki);
    t.add_crl(&other.crl(&[pki.dsc_serial()]).unwrap()).unwrap();
    let r = verify_passive(&pki.issue_sod(&dgs()).unwrap(), &dgs(), &t, &now());
    assert_eq!(r.chain, ChainVerdict::Valid);
    assert!(r
        .warnings
        .iter()
        .any(|w| matches!(w, Warning::CrlIgnored { .. })));
}

#[test]
fn expired_dsc() {
    let mut cfg = PkiConfig::new(
        KeyAlgorithm::Ecdsa {
            curve: NamedCurve::BrainpoolP256r1,
            explicit: true,
        },
        4,
    );
    cfg.expired_dsc = true;
    let pki = TestPki::new(&cfg).unwrap();
    let r = verify_passive(
        &pki.issue_sod(&dgs()).unwrap(),
        &dgs(),
        &trust(&pki),
        &now(),
    );
    assert_eq!(r.sod_signature, SignatureVerdict::Valid);
    assert_eq!(r.chain, ChainVerdict::Valid);
    assert_eq!(r.validity_at_signing, ValidityVerdict::Valid);
    assert_eq!(
        r.validity_now,
        ValidityVerdict::Expired {
            not_after: Time::from_ymd(2015, 1, 1).unwrap()
        }
    );
    assert!(!r.is_genuine());
}

#[test]
fn correctly_signed_sod_with_a_wrong_content_type() {
    let pki = TestPki::shared_rsa().unwrap();
    // id-data instead of id-icao-mrtd-security-ldsSecurityObject.
    let id_data = hex::decode("06092A864886F70D010701").unwrap();
    let sod = pki.issue_sod_with_content_type(&dgs(), &id_data).unwrap();
    let r = verify_passive(&sod, &dgs(), &trust(pki), &now());
    assert_eq!(
        r.sod_signature,
        SignatureVerdict::Invalid {
            reason: SignerFailure::WrongContentType(cccd::pki::oid::DATA)
        }
    );
    assert!(!r.is_genuine());
}

#[test]
fn forged_dsc_naming_a_real_csca_is_not_trusted() {
    let real = TestPki::shared_rsa().unwrap();
    let forger = TestPki::new(&PkiConfig::new(
        KeyAlgorithm::Ecdsa {
            curve: NamedCurve::P256,
            explicit: false,
        },
        77,
    ))
    .unwrap();
    // The forger's SOD and DSC, checked against the real CSCA (same names, other key): the
    // DSC's authorityKeyIdentifier names no CSCA we hold.
    let r = verify_passive(
        &forger.issue_sod(&dgs()).unwrap(),
        &dgs(),
        &trust(real),
        &now(),
    );
    assert_eq!(r.sod_signature, SignatureVerdict::Valid);
    assert!(
        matches!(
            r.chain,
            ChainVerdict::Untrusted {
                reason: UntrustedReason::NoCscaFound { .. }
            }
        ),
        "{:?}",
        r.chain
    );
    assert!(!r.is_genuine());
}

#[test]
fn edited_data_group_after_signing() {
    let pki = TestPki::shared_rsa().unwrap();
    let sod = pki.issue_sod(&dgs()).unwrap();
    let mut edited = dgs();
    edited.insert(13, b"\x6D\x01\x00".to_vec());
    let r = verify_passive(&sod, &edited, &trust(pki), &now());
    assert!(r.data_groups.contains(&(13, DgHashVerdict::Mismatch)));
    assert!(!r.is_genuine());
}
