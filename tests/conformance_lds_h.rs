//! BSI TR-03105 Part 5.1 v1.5, unit LDS_H (EF.SOD), played by the simulator's test chips
//! (`cccd::sim::conformance`): each test is named after its ID, checks the plan's expected
//! verdict and that the reason names the defect. IDs the plan moved to the ICAO inspection
//! system test specification keep their BSI ID (the ICAO ID is in the doc comment; the
//! definition comes from the title only, see docs/conformance/catalogue.json). Cases whose
//! verdict does not match yet are listed in docs/conformance.md, not here.
#![cfg(feature = "sim")]

#[path = "support/conformance.rs"]
mod support;

use cccd::lds::sod::HashAlgorithm::{self, Sha1, Sha224, Sha256, Sha384, Sha512};
use cccd::sim::conformance::Expected;
use cccd::verify::{
    ChainFailure, ChainVerdict, DgHashVerdict, PassiveAuthReport, SignatureAlgorithm,
    SignatureVerdict, SignerFailure, UntrustedReason,
};
use support::{build, inspect, pa};

/// Passive authentication holds, with the algorithms the case was built with.
fn passes(id: &str, sig: SignatureAlgorithm, hash: HashAlgorithm) -> PassiveAuthReport {
    let c = build(id);
    assert_eq!(c.expected, Expected::Pass, "{id}");
    let r = pa(&c);
    assert!(r.is_genuine(), "{id}: {r:?}");
    assert_eq!(r.signature_algorithm, Some(sig), "{id}");
    assert_eq!(r.hash_algorithm, Some(hash), "{id}");
    r
}

/// Passive authentication fails.
fn fails(id: &str) -> PassiveAuthReport {
    let c = build(id);
    assert_eq!(c.expected, Expected::Fail, "{id}");
    let r = pa(&c);
    assert!(!r.is_genuine(), "{id}: {r:?}");
    r
}

fn pss(h: HashAlgorithm) -> SignatureAlgorithm {
    let salt_len = match h {
        Sha1 => 20,
        Sha224 => 28,
        Sha256 => 32,
        Sha384 => 48,
        _ => 64,
    };
    SignatureAlgorithm::RsaPss {
        hash: h,
        mgf1_hash: h,
        salt_len,
    }
}

/// The SOD does not parse, and the parser's message names what is wrong.
fn malformed(id: &str, needle: &str) {
    let r = fails(id);
    match &r.sod_signature {
        SignatureVerdict::Invalid {
            reason: SignerFailure::Malformed(m),
        } => assert!(m.contains(needle), "{id}: {m}"),
        other => panic!("{id}: {other:?}"),
    }
    assert!(r
        .data_groups
        .iter()
        .all(|(_, v)| *v == DgHashVerdict::NotChecked));
}

fn signature_invalid(id: &str) -> SignerFailure {
    match fails(id).sod_signature {
        SignatureVerdict::Invalid { reason } => reason,
        SignatureVerdict::Valid => panic!("{id}: signature valid"),
        other => panic!("{id}: {other:?}"),
    }
}

// ---- The positive algorithm matrix ----

#[test]
fn lds_h_01() {
    passes("LDS_H_01", SignatureAlgorithm::RsaPkcs1v15(Sha1), Sha1);
}
#[test]
fn lds_h_02() {
    passes("LDS_H_02", pss(Sha1), Sha1);
}
#[test]
fn lds_h_03() {
    passes("LDS_H_03", pss(Sha256), Sha256);
    // The whole inspection of the default chip: read by PACE, proven by PA and CA.
    let (_, v) = inspect(&build("LDS_H_03"));
    assert!(v.genuine, "{:?}", v.notes);
}
#[test]
fn lds_h_04() {
    passes("LDS_H_04", SignatureAlgorithm::RsaPkcs1v15(Sha224), Sha224);
}
#[test]
fn lds_h_05() {
    passes("LDS_H_05", SignatureAlgorithm::RsaPkcs1v15(Sha256), Sha256);
}
#[test]
fn lds_h_06() {
    passes("LDS_H_06", SignatureAlgorithm::RsaPkcs1v15(Sha384), Sha384);
}
#[test]
fn lds_h_07() {
    passes("LDS_H_07", SignatureAlgorithm::RsaPkcs1v15(Sha512), Sha512);
}
#[test]
fn lds_h_09() {
    passes("LDS_H_09", SignatureAlgorithm::Ecdsa(Sha1), Sha1);
}
#[test]
fn lds_h_10() {
    passes("LDS_H_10", SignatureAlgorithm::EcdsaPlain(Sha1), Sha1);
}
#[test]
fn lds_h_11() {
    passes("LDS_H_11", SignatureAlgorithm::EcdsaPlain(Sha224), Sha224);
}
#[test]
fn lds_h_12() {
    passes("LDS_H_12", SignatureAlgorithm::EcdsaPlain(Sha256), Sha256);
}
#[test]
fn lds_h_13() {
    passes("LDS_H_13", SignatureAlgorithm::EcdsaPlain(Sha384), Sha384);
}
#[test]
fn lds_h_14() {
    passes("LDS_H_14", SignatureAlgorithm::EcdsaPlain(Sha512), Sha512);
}
#[test]
fn lds_h_15() {
    let r = passes("LDS_H_15", SignatureAlgorithm::RsaPkcs1v15(Sha256), Sha256);
    assert!(r.warnings.iter().any(|w| w.contains("DSC not in the SOD")));
    // Without the DSC installed, the signer cannot be found.
    let mut c = build("LDS_H_15");
    c.extra_certificates.clear();
    assert_eq!(
        support::pa(&c).sod_signature,
        SignatureVerdict::Invalid {
            reason: SignerFailure::SignerCertificateNotFound
        }
    );
}
#[test]
fn lds_h_70() {
    passes("LDS_H_70", SignatureAlgorithm::Ecdsa(Sha224), Sha224);
}
#[test]
fn lds_h_71() {
    passes("LDS_H_71", SignatureAlgorithm::Ecdsa(Sha256), Sha256);
}
#[test]
fn lds_h_72() {
    passes("LDS_H_72", SignatureAlgorithm::Ecdsa(Sha384), Sha384);
}
#[test]
fn lds_h_73() {
    passes("LDS_H_73", SignatureAlgorithm::Ecdsa(Sha512), Sha512);
}
#[test]
fn lds_h_74() {
    // Data groups hashed with SHA-224, the SOD's messageDigest with SHA-256.
    passes("LDS_H_74", pss(Sha256), Sha224);
}
#[test]
fn lds_h_75() {
    passes("LDS_H_75", pss(Sha256), Sha224);
}
#[test]
fn lds_h_76() {
    let r = passes("LDS_H_76", SignatureAlgorithm::RsaPkcs1v15(Sha256), Sha224);
    assert_eq!(
        r.dsc_signature_algorithm,
        Some(SignatureAlgorithm::Ecdsa(Sha224))
    );
}
#[test]
fn lds_h_77() {
    let r = passes("LDS_H_77", pss(Sha256), Sha256);
    assert_eq!(r.dsc_signature_algorithm, Some(pss(Sha224)));
}
#[test]
fn lds_h_78() {
    let r = passes("LDS_H_78", pss(Sha256), Sha256);
    assert_eq!(
        r.dsc_signature_algorithm,
        Some(SignatureAlgorithm::RsaPkcs1v15(Sha256))
    );
}
#[test]
fn lds_h_79() {
    passes("LDS_H_79", SignatureAlgorithm::RsaPkcs1v15(Sha1), Sha1);
}
#[test]
fn lds_h_80() {
    passes("LDS_H_80", SignatureAlgorithm::RsaPkcs1v15(Sha224), Sha224);
}
#[test]
fn lds_h_81() {
    passes("LDS_H_81", SignatureAlgorithm::RsaPkcs1v15(Sha256), Sha256);
}
#[test]
fn lds_h_82() {
    passes("LDS_H_82", SignatureAlgorithm::RsaPkcs1v15(Sha384), Sha384);
}
#[test]
fn lds_h_83() {
    passes("LDS_H_83", SignatureAlgorithm::RsaPkcs1v15(Sha512), Sha512);
}
/// ICAO-P4 LDS_D_35 (title only): a v1 security object with LDS 1.8 version info.
#[test]
fn lds_h_86() {
    passes("LDS_H_86", pss(Sha256), Sha256);
}
/// ICAO-P4 LDS_D_38 (title only): LDS 1.9 announced; expected pass inferred.
#[test]
fn lds_h_89() {
    passes("LDS_H_89", pss(Sha256), Sha256);
}
#[test]
fn lds_h_94() {
    passes("LDS_H_94", pss(Sha224), Sha224);
}
#[test]
fn lds_h_95() {
    passes("LDS_H_95", pss(Sha384), Sha384);
}
#[test]
fn lds_h_96() {
    passes("LDS_H_96", pss(Sha512), Sha512);
}

// ---- The SOD's structure (moved to ICAO-P4 LDS_D; definitions from the titles) ----

/// ICAO-P4 LDS_D_02.
#[test]
fn lds_h_17() {
    malformed("LDS_H_17", "expected tag 77, found 78");
}
/// ICAO-P4 LDS_D_03.
#[test]
fn lds_h_18() {
    malformed("LDS_H_18", "data ends early");
}
/// ICAO-P4 LDS_D_04.
#[test]
fn lds_h_19() {
    malformed("LDS_H_19", "data ends early");
}
/// ICAO-P4 LDS_D_06.
#[test]
fn lds_h_21() {
    malformed("LDS_H_21", "expected tag 02");
}
/// ICAO-P4 LDS_D_08.
#[test]
fn lds_h_23() {
    malformed("LDS_H_23", "expected tag 31");
}
/// ICAO-P4 LDS_D_09.
#[test]
fn lds_h_24() {
    assert_eq!(
        signature_invalid("LDS_H_24"),
        SignerFailure::WrongContentType("1.2.840.113549.1.7.1".into())
    );
}
/// ICAO-P4 LDS_D_10.
#[test]
fn lds_h_25() {
    malformed("LDS_H_25", "expected tag 06");
}
/// ICAO-P4 LDS_D_12.
#[test]
fn lds_h_27() {
    malformed("LDS_H_27", "expected tag 02");
}
/// ICAO-P4 LDS_D_13.
#[test]
fn lds_h_28() {
    assert_eq!(
        signature_invalid("LDS_H_28"),
        SignerFailure::SignerCertificateNotFound
    );
}
/// ICAO-P4 LDS_D_14.
#[test]
fn lds_h_29() {
    assert_eq!(
        signature_invalid("LDS_H_29"),
        SignerFailure::SignerCertificateNotFound
    );
}
/// ICAO-P4 LDS_D_15: MD5 as the SignerInfo's digest.
#[test]
fn lds_h_30() {
    assert_eq!(
        signature_invalid("LDS_H_30"),
        SignerFailure::UnsupportedDigest("1.2.840.113549.2.5".into())
    );
}
/// ICAO-P4 LDS_D_16.
#[test]
fn lds_h_31() {
    malformed("LDS_H_31", "expected tag 30");
}
/// ICAO-P4 LDS_D_17.
#[test]
fn lds_h_32() {
    assert_eq!(
        signature_invalid("LDS_H_32"),
        SignerFailure::MessageDigestMismatch
    );
}
/// ICAO-P4 LDS_D_18.
#[test]
fn lds_h_33() {
    assert_eq!(
        signature_invalid("LDS_H_33"),
        SignerFailure::MissingMessageDigest
    );
}
#[test]
fn lds_h_36() {
    // md5WithRSAEncryption: refused by name even though the MD5 signature is genuine.
    match signature_invalid("LDS_H_36") {
        SignerFailure::Signature(m) => assert!(m.contains("1.2.840.113549.1.1.4"), "{m}"),
        other => panic!("{other:?}"),
    }
}
/// ICAO-P4 LDS_D_19.
#[test]
fn lds_h_37() {
    match signature_invalid("LDS_H_37") {
        SignerFailure::Signature(m) => assert!(m.contains("does not verify"), "{m}"),
        other => panic!("{other:?}"),
    }
}
/// ICAO-P4 LDS_D_20.
#[test]
fn lds_h_38() {
    malformed("LDS_H_38", "missing element 04");
}
/// ICAO-P4 LDS_D_21.
#[test]
fn lds_h_39() {
    malformed("LDS_H_39", "LDSSecurityObject version 2");
}
/// ICAO-P4 LDS_D_22.
#[test]
fn lds_h_40() {
    malformed("LDS_H_40", "expected tag 02");
}
/// ICAO-P4 LDS_D_23: the data groups hashed with MD5.
#[test]
fn lds_h_41() {
    malformed("LDS_H_41", "unsupported hash algorithm 1.2.840.113549.2.5");
}
/// ICAO-P4 LDS_D_24.
#[test]
fn lds_h_42() {
    malformed("LDS_H_42", "expected tag 06");
}
/// ICAO-P4 LDS_D_25.
#[test]
fn lds_h_43() {
    let r = fails("LDS_H_43");
    assert_eq!(r.sod_signature, SignatureVerdict::Valid);
    assert!(r.data_groups.contains(&(2, DgHashVerdict::Mismatch)));
}
/// ICAO-P4 LDS_D_27 in the plan's text (LDS_D_26 by its numbering).
#[test]
fn lds_h_44() {
    let r = fails("LDS_H_44");
    assert!(r.data_groups.contains(&(1, DgHashVerdict::NotInSod)));
}
#[test]
fn lds_h_46() {
    // DG1's number is 'FF': DG1 is read but not covered, a group 255 is listed.
    let r = fails("LDS_H_46");
    assert_eq!(r.sod_signature, SignatureVerdict::Valid);
    assert!(r.data_groups.contains(&(1, DgHashVerdict::NotInSod)));
}
#[test]
fn lds_h_47() {
    malformed("LDS_H_47", "expected tag 02, found 04");
}

// ---- The DSC ----

#[test]
fn lds_h_50() {
    malformed("LDS_H_50", "certificate 0");
}
#[test]
fn lds_h_52() {
    malformed("LDS_H_52", "certificate 0");
}
#[test]
fn lds_h_54() {
    let r = fails("LDS_H_54");
    assert_eq!(r.sod_signature, SignatureVerdict::Valid);
    match r.chain {
        ChainVerdict::Untrusted {
            reason: UntrustedReason::NoCscaFound { issuer },
        } => assert!(issuer.contains("another CSCA"), "{issuer}"),
        other => panic!("{other:?}"),
    }
}
#[test]
fn lds_h_55() {
    malformed("LDS_H_55", "certificate 0");
}
#[test]
fn lds_h_57() {
    malformed("LDS_H_57", "certificate 0");
}
#[test]
fn lds_h_58() {
    // The DSC's key is labelled md5WithRSAEncryption: not an RSA key to the verifier.
    match signature_invalid("LDS_H_58") {
        SignerFailure::Signature(m) => assert!(m.contains("1.2.840.113549.1.1.4"), "{m}"),
        other => panic!("{other:?}"),
    }
}
#[test]
fn lds_h_59() {
    malformed("LDS_H_59", "certificate 0");
}
#[test]
fn lds_h_65() {
    let r = fails("LDS_H_65");
    match r.chain {
        ChainVerdict::Invalid {
            reason: ChainFailure::DscSignatureInvalid(m),
        } => assert!(m.contains("1.2.840.113549.1.1.4"), "{m}"),
        other => panic!("{other:?}"),
    }
}
#[test]
fn lds_h_66() {
    malformed("LDS_H_66", "certificate 0");
}
/// ICAO-P4 LDS_D_30.
#[test]
fn lds_h_67() {
    let r = fails("LDS_H_67");
    assert_eq!(r.sod_signature, SignatureVerdict::Valid);
    assert_eq!(
        r.chain,
        ChainVerdict::Invalid {
            reason: ChainFailure::DscSignatureInvalid("signature does not verify".into())
        }
    );
}
/// ICAO-P4 LDS_D_31.
#[test]
fn lds_h_68() {
    malformed("LDS_H_68", "certificate 0");
}
#[test]
fn lds_h_69() {
    // A valid SOD, DG2 changed on the chip: the verdict names DG2, and the document is not
    // declared genuine although every signature holds.
    let r = fails("LDS_H_69");
    assert!(r.is_signature_and_chain_valid());
    assert!(r.data_groups.contains(&(2, DgHashVerdict::Mismatch)));
    let (_, v) = inspect(&build("LDS_H_69"));
    assert!(!v.genuine);
    assert!(v
        .passive_authentication
        .data_groups
        .contains(&(2, DgHashVerdict::Mismatch)));
}

// ---- EF.SOD and EF.COM ----

#[test]
fn lds_h_91() {
    let c = build("LDS_H_91");
    let (doc, v) = inspect(&c);
    assert!(!v.genuine);
    // EF.COM lists DG2, the chip gives it, the SOD does not cover it.
    assert!(doc
        .com
        .as_ref()
        .is_some_and(|com| com.data_groups.iter().any(|d| d.number() == 2)));
    assert!(v
        .passive_authentication
        .data_groups
        .contains(&(2, DgHashVerdict::NotInSod)));
}
#[test]
fn lds_h_92() {
    let (_, v) = inspect(&build("LDS_H_92"));
    assert!(!v.genuine);
    let dgs = &v.passive_authentication.data_groups;
    assert!(dgs.contains(&(2, DgHashVerdict::NotInSod)));
    assert!(dgs.contains(&(3, DgHashVerdict::NotRead)));
}
