//! BSI TR-03105 Part 5.1 v1.5, unit LDS_H (EF.SOD), played by the simulator's test chips
//! (`cccd::sim::conformance`): each test is named after its ID, checks the plan's expected
//! verdict and that the reason names the defect (a typed variant or a finding code). IDs the
//! plan moved to the ICAO inspection system test specification keep their BSI ID (the ICAO ID
//! is in the doc comment; the definition comes from the title only, see
//! docs/conformance/catalogue.json).
#![cfg(all(feature = "sim", feature = "internals"))]

use crate::conformance_support as support;

use cccd::document::{ChipAuthMethod, ChipAuthRun, ChipAuthVerdict, FileStatus, Finding};
use cccd::files::ElementaryFile;
use cccd::lds::sod::HashAlgorithm::{self, Sha1, Sha224, Sha256, Sha384, Sha512};
use cccd::pki::CmsError;
use cccd::pki::PublicKeyError as KeyError;
use cccd::sim::conformance::Expected;
use cccd::tlv::{TlvError, TlvErrorKind};
use cccd::verify::{
    ChainFailure, ChainVerdict, CountryMismatch, DgHashVerdict, DscProfileViolation,
    PassiveAuthReport, SignatureAlgorithm, SignatureError, SignatureVerdict, SignerFailure,
    UntrustedReason, Warning,
};
use const_oid::ObjectIdentifier;
use support::{build, codes, inspect, pa};

const MD5: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.2.5");
const MD5_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.4");

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

/// [`passes`], under BSI's "deprecated SHA-1" profile: accepted, with a warning.
fn passes_with_sha1_warning(id: &str, sig: SignatureAlgorithm) {
    let r = passes(id, sig, Sha1);
    assert!(
        r.warnings.contains(&Warning::Sha1Signature),
        "{id}: {:?}",
        r.warnings
    );
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

/// The SOD does not parse; nothing is compared.
fn malformed(id: &str) -> CmsError {
    let r = fails(id);
    assert!(r
        .data_groups
        .iter()
        .all(|(_, v)| *v == DgHashVerdict::NotChecked));
    match r.sod_signature {
        SignatureVerdict::Invalid {
            reason: SignerFailure::Malformed(e),
        } => e,
        other => panic!("{id}: {other:?}"),
    }
}

/// The SOD does not parse at the bounded TLV reader's level.
fn malformed_tlv(id: &str) -> TlvErrorKind {
    match malformed(id) {
        CmsError::Malformed(TlvError { kind, .. }) => kind,
        other => panic!("{id}: {other:?}"),
    }
}

/// The SignedData does not decode (`der`): the tag it expected.
fn der_expected_tag(id: &str) -> Option<der::Tag> {
    match malformed(id) {
        CmsError::Der(e) => match e.kind() {
            der::ErrorKind::TagUnexpected { expected, .. } => expected,
            other => panic!("{id}: {other:?}"),
        },
        other => panic!("{id}: {other:?}"),
    }
}

/// The embedded DSC does not decode.
fn dsc_malformed(id: &str) {
    match malformed(id) {
        CmsError::Certificate { index: 0, .. } => {}
        other => panic!("{id}: {other:?}"),
    }
}

fn signature_invalid(id: &str) -> SignerFailure {
    match fails(id).sod_signature {
        SignatureVerdict::Invalid { reason } => reason,
        SignatureVerdict::Valid => panic!("{id}: signature valid"),
        other => panic!("{id}: {other:?}"),
    }
}

/// The SOD's signature holds and the CSCA signed the DSC, but the DSC breaks the profile.
fn dsc_profile(id: &str) -> DscProfileViolation {
    let r = fails(id);
    assert_eq!(r.sod_signature, SignatureVerdict::Valid, "{id}");
    match r.chain {
        ChainVerdict::Invalid {
            reason: ChainFailure::DscProfile(v),
        } => {
            assert!(r.csca_subject.is_some(), "{id}: the CSCA was found");
            v
        }
        other => panic!("{id}: {other:?}"),
    }
}

// ---- The positive algorithm matrix ----

#[test]
fn lds_h_01() {
    passes_with_sha1_warning("LDS_H_01", SignatureAlgorithm::RsaPkcs1v15(Sha1));
}
#[test]
fn lds_h_02() {
    passes_with_sha1_warning("LDS_H_02", pss(Sha1));
}
#[test]
fn lds_h_03() {
    passes("LDS_H_03", pss(Sha256), Sha256);
    // The whole inspection of the default chip: read by PACE, proven by PA and CA.
    let (_, v) = inspect(&build("LDS_H_03"));
    assert!(v.genuine, "{:?}", codes(&v));
    assert_eq!(v.chip_authentication, ChipAuthVerdict::Trusted);
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
    passes_with_sha1_warning("LDS_H_09", SignatureAlgorithm::Ecdsa(Sha1));
}
#[test]
fn lds_h_10() {
    passes_with_sha1_warning("LDS_H_10", SignatureAlgorithm::EcdsaPlain(Sha1));
}
/// DSA throughout, by the RustCrypto `dsa` crate (CSCA L=3072, DSC L=2048, N=256).
#[test]
fn lds_h_08() {
    passes_with_sha1_warning("LDS_H_08", SignatureAlgorithm::Dsa(Sha1));
}
#[test]
fn lds_h_97() {
    let r = passes("LDS_H_97", SignatureAlgorithm::Dsa(Sha224), Sha224);
    assert_eq!(
        r.dsc_signature_algorithm,
        Some(SignatureAlgorithm::Dsa(Sha224))
    );
}
#[test]
fn lds_h_98() {
    passes("LDS_H_98", SignatureAlgorithm::Dsa(Sha256), Sha256);
    let (_, v) = inspect(&build("LDS_H_98"));
    assert!(v.genuine, "{:?}", codes(&v));
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
    assert!(r.warnings.iter().any(|w| matches!(
        w,
        Warning::DscFromTrustStore {
            name_normalised: false
        }
    )));
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
    passes_with_sha1_warning("LDS_H_79", SignatureAlgorithm::RsaPkcs1v15(Sha1));
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
    assert_eq!(
        malformed_tlv("LDS_H_17"),
        TlvErrorKind::UnexpectedTag {
            expected: 0x77,
            found: 0x78
        }
    );
}
/// ICAO-P4 LDS_D_03: the outer length one too small leaves a byte after the element.
#[test]
fn lds_h_18() {
    assert_eq!(malformed_tlv("LDS_H_18"), TlvErrorKind::TrailingData(1));
}
/// ICAO-P4 LDS_D_04: one too big, the element runs past the file.
#[test]
fn lds_h_19() {
    assert!(matches!(
        malformed_tlv("LDS_H_19"),
        TlvErrorKind::Truncated { .. }
    ));
}
/// ICAO-P4 LDS_D_05 (expected result inferred): SignedData version 2.
#[test]
fn lds_h_20() {
    assert_eq!(
        signature_invalid("LDS_H_20"),
        SignerFailure::SignedDataVersion(2)
    );
}
/// ICAO-P4 LDS_D_06.
#[test]
fn lds_h_21() {
    assert_eq!(der_expected_tag("LDS_H_21"), Some(der::Tag::Integer));
}
/// ICAO-P4 LDS_D_07 (expected result inferred): digestAlgorithms lists MD5.
#[test]
fn lds_h_22() {
    assert_eq!(
        signature_invalid("LDS_H_22"),
        SignerFailure::DigestAlgorithmRefused(MD5)
    );
}
/// ICAO-P4 LDS_D_08.
#[test]
fn lds_h_23() {
    assert_eq!(der_expected_tag("LDS_H_23"), Some(der::Tag::Set));
}
/// ICAO-P4 LDS_D_09.
#[test]
fn lds_h_24() {
    assert_eq!(
        signature_invalid("LDS_H_24"),
        SignerFailure::WrongContentType(ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1"))
    );
}
/// ICAO-P4 LDS_D_10.
#[test]
fn lds_h_25() {
    assert_eq!(
        der_expected_tag("LDS_H_25"),
        Some(der::Tag::ObjectIdentifier)
    );
}
/// ICAO-P4 LDS_D_11 (expected result inferred): SignerInfo version 2.
#[test]
fn lds_h_26() {
    assert_eq!(
        signature_invalid("LDS_H_26"),
        SignerFailure::SignerInfoVersion(2)
    );
}
/// ICAO-P4 LDS_D_12.
#[test]
fn lds_h_27() {
    assert_eq!(der_expected_tag("LDS_H_27"), Some(der::Tag::Integer));
}
/// ICAO-P4 LDS_D_13: a serial number no certificate has. The fallback to the only embedded
/// certificate (Malaysia's reordered issuer name) needs the serial number to match.
#[test]
fn lds_h_28() {
    assert_eq!(
        signature_invalid("LDS_H_28"),
        SignerFailure::SignerCertificateNotFound
    );
}
/// ICAO-P4 LDS_D_14: a subjectKeyIdentifier no certificate has.
#[test]
fn lds_h_29() {
    assert_eq!(
        signature_invalid("LDS_H_29"),
        SignerFailure::SignerCertificateNotFound
    );
}
/// ICAO-P4 LDS_D_15: MD5 as the SignerInfo's digest. The SignedData lists it in
/// digestAlgorithms too (RFC 5652 §5.1), and the structure check refuses it there first.
#[test]
fn lds_h_30() {
    assert_eq!(
        signature_invalid("LDS_H_30"),
        SignerFailure::DigestAlgorithmRefused(MD5)
    );
}
/// ICAO-P4 LDS_D_16.
#[test]
fn lds_h_31() {
    assert_eq!(der_expected_tag("LDS_H_31"), Some(der::Tag::Sequence));
}
/// ICAO-P4 LDS_D_17.
#[test]
fn lds_h_32() {
    assert_eq!(
        signature_invalid("LDS_H_32"),
        SignerFailure::MessageDigestMismatch
    );
}
/// ICAO-P4 LDS_D_18: no messageDigest attribute.
#[test]
fn lds_h_33() {
    assert_eq!(
        signature_invalid("LDS_H_33"),
        SignerFailure::MessageDigestCount(0)
    );
}
#[test]
fn lds_h_36() {
    // md5WithRSAEncryption: refused by name even though the MD5 signature is genuine.
    assert_eq!(
        signature_invalid("LDS_H_36"),
        SignerFailure::Signature(SignatureError::UnsupportedAlgorithm(MD5_WITH_RSA))
    );
}
/// ICAO-P4 LDS_D_19.
#[test]
fn lds_h_37() {
    assert_eq!(
        signature_invalid("LDS_H_37"),
        SignerFailure::Signature(SignatureError::Invalid)
    );
}
/// ICAO-P4 LDS_D_20: no signature OCTET STRING.
#[test]
fn lds_h_38() {
    match malformed("LDS_H_38") {
        CmsError::Der(e) => assert!(
            matches!(e.kind(), der::ErrorKind::Incomplete { .. }),
            "{e:?}"
        ),
        other => panic!("{other:?}"),
    }
}
/// ICAO-P4 LDS_D_21.
#[test]
fn lds_h_39() {
    assert_eq!(
        malformed("LDS_H_39"),
        CmsError::UnsupportedContentVersion(2)
    );
}
/// ICAO-P4 LDS_D_22: no version, the hashAlgorithm SEQUENCE where the INTEGER belongs.
#[test]
fn lds_h_40() {
    assert_eq!(
        malformed_tlv("LDS_H_40"),
        TlvErrorKind::UnexpectedTag {
            expected: 0x02,
            found: 0x30
        }
    );
}
/// ICAO-P4 LDS_D_23: the data groups hashed with MD5.
#[test]
fn lds_h_41() {
    assert_eq!(
        signature_invalid("LDS_H_41"),
        SignerFailure::UnsupportedDigest(MD5)
    );
}
/// ICAO-P4 LDS_D_24: no hashAlgorithm, a DataGroupHash where its OID belongs.
#[test]
fn lds_h_42() {
    assert_eq!(
        malformed_tlv("LDS_H_42"),
        TlvErrorKind::UnexpectedTag {
            expected: 0x06,
            found: 0x30
        }
    );
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
/// The SOD hashes a DG10 the chip does not hold: the reader asks for it (the SOD signs it),
/// the chip answers `6A82` under secure messaging, and the verdict names DG10 twice: signed
/// but not read, and listed by the SOD, not by EF.COM.
#[test]
fn lds_h_45() {
    let c = build("LDS_H_45");
    assert_eq!(c.expected, Expected::Fail);
    let (doc, v) = inspect(&c);
    assert!(!v.genuine);
    assert!(v
        .findings
        .iter()
        .any(|f| matches!(f, Finding::DataGroupNotRead { dg: 10, .. })));
    assert!(v.findings.contains(&Finding::DataGroupListMismatch {
        only_in_sod: vec![10],
        only_in_com: vec![]
    }));
    // The chip's 6A82 came under secure messaging with a valid MAC.
    assert_eq!(
        doc.status(ElementaryFile::Dg(10)),
        Some(&FileStatus::NotPresent { protected: true })
    );
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
    assert_eq!(
        malformed_tlv("LDS_H_47"),
        TlvErrorKind::UnexpectedTag {
            expected: 0x02,
            found: 0x04
        }
    );
}

// ---- The DSC ----

/// ICAO 9303-12 §7.1.1: a Document Signer certificate is X.509 v3.
#[test]
fn lds_h_48() {
    assert_eq!(dsc_profile("LDS_H_48"), DscProfileViolation::Version(1));
}
/// No version field: v1 (with extensions, which v1 cannot carry).
#[test]
fn lds_h_49() {
    assert_eq!(dsc_profile("LDS_H_49"), DscProfileViolation::Version(0));
}
#[test]
fn lds_h_50() {
    dsc_malformed("LDS_H_50");
}
/// The TBS signature field differs from the outer signatureAlgorithm (RFC 5280 §4.1.1.2).
#[test]
fn lds_h_51() {
    let r = fails("LDS_H_51");
    assert_eq!(
        r.chain,
        ChainVerdict::Invalid {
            reason: ChainFailure::DscSignatureInvalid(SignatureError::AlgorithmMismatch)
        }
    );
}
#[test]
fn lds_h_52() {
    dsc_malformed("LDS_H_52");
}
/// ICAO-P4 LDS_D_29 (title only): the CSCA, and so the DSC's issuer, named without
/// countryName. The signature and chain verify; the inspection fails on the country binding,
/// since the CSCA names no country for DG1's issuing state.
#[test]
fn lds_h_53() {
    let c = build("LDS_H_53");
    assert_eq!(c.expected, Expected::Fail);
    let (_, v) = inspect(&c);
    assert!(!v.genuine);
    assert_eq!(
        v.passive_authentication.sod_signature,
        SignatureVerdict::Valid
    );
    assert!(
        v.findings.iter().any(|f| matches!(
            f,
            Finding::CountryMismatch(CountryMismatch::CscaCountry {
                csca_country: None,
                ..
            })
        )),
        "{:?}",
        codes(&v)
    );
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
    dsc_malformed("LDS_H_55");
}
/// RFC 5280 §4.1.2.5: UTCTime through 2049. Debatable (the KZ CSCA of the ICAO list does
/// it); decision: the plan's fail, for Document Signers only (CSCAs are not held to it).
#[test]
fn lds_h_56() {
    assert_eq!(
        dsc_profile("LDS_H_56"),
        DscProfileViolation::GeneralizedTimeBefore2050
    );
}
#[test]
fn lds_h_57() {
    dsc_malformed("LDS_H_57");
}
#[test]
fn lds_h_58() {
    // The DSC's key is labelled md5WithRSAEncryption: not an RSA key to the verifier.
    assert_eq!(
        signature_invalid("LDS_H_58"),
        SignerFailure::Signature(SignatureError::BadKey(KeyError::NotRsa(MD5_WITH_RSA)))
    );
}
#[test]
fn lds_h_59() {
    dsc_malformed("LDS_H_59");
}
/// ICAO 9303-12 §7.1.1 requires the authorityKeyIdentifier's keyIdentifier in a DSC.
#[test]
fn lds_h_60() {
    assert_eq!(
        dsc_profile("LDS_H_60"),
        DscProfileViolation::AuthorityKeyIdentifierWithoutKeyId
    );
}
#[test]
fn lds_h_61() {
    assert_eq!(
        dsc_profile("LDS_H_61"),
        DscProfileViolation::AuthorityKeyIdentifierMissing
    );
}
#[test]
fn lds_h_62() {
    assert_eq!(
        dsc_profile("LDS_H_62"),
        DscProfileViolation::KeyUsageNotCritical
    );
}
#[test]
fn lds_h_63() {
    assert_eq!(
        dsc_profile("LDS_H_63"),
        DscProfileViolation::KeyUsageWithoutDigitalSignature
    );
}
#[test]
fn lds_h_64() {
    assert_eq!(
        dsc_profile("LDS_H_64"),
        DscProfileViolation::KeyUsageMissing
    );
    // The whole inspection names the chain.
    let (_, v) = inspect(&build("LDS_H_64"));
    assert!(!v.genuine);
    assert!(codes(&v).contains(&"chain_invalid"), "{:?}", codes(&v));
}
#[test]
fn lds_h_65() {
    let r = fails("LDS_H_65");
    assert_eq!(
        r.chain,
        ChainVerdict::Invalid {
            reason: ChainFailure::DscSignatureInvalid(SignatureError::UnsupportedAlgorithm(
                MD5_WITH_RSA
            ))
        }
    );
}
#[test]
fn lds_h_66() {
    dsc_malformed("LDS_H_66");
}
/// ICAO-P4 LDS_D_30.
#[test]
fn lds_h_67() {
    let r = fails("LDS_H_67");
    assert_eq!(r.sod_signature, SignatureVerdict::Valid);
    assert_eq!(
        r.chain,
        ChainVerdict::Invalid {
            reason: ChainFailure::DscSignatureInvalid(SignatureError::Invalid)
        }
    );
}
/// ICAO-P4 LDS_D_31.
#[test]
fn lds_h_68() {
    dsc_malformed("LDS_H_68");
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
        .findings
        .contains(&Finding::DataGroupHashMismatch { dg: 2 }));
}

// ---- SignerInfo version against the signer identifier (RFC 5652 §5.3) ----

/// Version 3 requires subjectKeyIdentifier.
#[test]
fn lds_h_84() {
    assert_eq!(
        signature_invalid("LDS_H_84"),
        SignerFailure::SignerInfoVersion(3)
    );
}
/// Version 1 requires issuerAndSerialNumber.
#[test]
fn lds_h_85() {
    assert_eq!(
        signature_invalid("LDS_H_85"),
        SignerFailure::SignerInfoVersion(1)
    );
}

// ---- LDS versions (moved to ICAO-P4 LDS_D_35..38; expected results inferred) ----

/// ICAO-P4 LDS_D_36: ldsVersionInfo in a v0 object (ICAO 9303-10 §4.6.2.3: only in v1).
#[test]
fn lds_h_87() {
    assert_eq!(
        malformed("LDS_H_87"),
        CmsError::ContentVersionInfo {
            version: 0,
            version_info: true
        }
    );
}
/// ICAO-P4 LDS_D_37: a v1 object without ldsVersionInfo (v1 requires it).
#[test]
fn lds_h_88() {
    assert_eq!(
        malformed("LDS_H_88"),
        CmsError::ContentVersionInfo {
            version: 1,
            version_info: false
        }
    );
}

// ---- EF.SOD and EF.COM ----

/// The SOD signs a DG3 that EF.COM does not list (PACE base): DG3 needs EAC and is not asked
/// for, so only the comparison of the two lists catches it.
#[test]
fn lds_h_90() {
    let c = build("LDS_H_90");
    assert_eq!(c.expected, Expected::Fail);
    assert!(pa(&c).is_genuine(), "passive authentication alone holds");
    let (_, v) = inspect(&c);
    assert!(!v.genuine);
    assert!(!v.data_authentic);
    assert_eq!(
        v.findings,
        vec![Finding::DataGroupListMismatch {
            only_in_sod: vec![3],
            only_in_com: vec![]
        }]
    );
}
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
    assert!(v.findings.contains(&Finding::DataGroupNotInSod { dg: 2 }));
    assert!(v.findings.contains(&Finding::DataGroupListMismatch {
        only_in_sod: vec![],
        only_in_com: vec![2]
    }));
}
#[test]
fn lds_h_92() {
    let (_, v) = inspect(&build("LDS_H_92"));
    assert!(!v.genuine);
    let dgs = &v.passive_authentication.data_groups;
    assert!(dgs.contains(&(2, DgHashVerdict::NotInSod)));
    assert!(dgs.contains(&(3, DgHashVerdict::NotRead)));
    assert!(v.findings.contains(&Finding::DataGroupListMismatch {
        only_in_sod: vec![3],
        only_in_com: vec![2]
    }));
}
/// A PACE-CAM chip whose EF.CardSecurity's signature does not verify: the reader reads it
/// (PACE-CAM needs it), PACE-CAM matched its key, but nothing proves that key.
#[test]
fn lds_h_93() {
    let c = build("LDS_H_93");
    assert_eq!(c.expected, Expected::Fail);
    let (doc, v) = inspect(&c);
    assert!(doc.raw(ElementaryFile::CardSecurity).is_some());
    assert!(!v.genuine);
    assert!(v.data_authentic, "the SOD still proves the data groups");
    assert!(v.findings.contains(&Finding::CardSecurityInvalid));
    let cs = v.card_security.as_ref().expect("EF.CardSecurity verified");
    assert_eq!(
        cs.signature,
        SignatureVerdict::Invalid {
            reason: SignerFailure::Signature(SignatureError::Invalid)
        }
    );
    assert_eq!(
        doc.chip_authentication_run,
        ChipAuthRun::Completed {
            method: ChipAuthMethod::PaceCamCardSecurity
        }
    );
    assert!(matches!(
        v.chip_authentication,
        ChipAuthVerdict::Untrusted { .. }
    ));
}
