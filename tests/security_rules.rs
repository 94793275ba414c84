//! One test per security rule that the mutation audit of issue #17 found unguarded: each
//! fails when its rule is broken in the code (the mutation named in its doc comment) and
//! passes as the code stands. `docs/mutation.md` keeps the table (mutation, place, test).
#![cfg(all(feature = "sim", feature = "internals"))]

use cccd::access::AccessKey;
use cccd::document::{
    AaFailure, AccessProtocol, ActiveAuthRun, ActiveAuthVerdict, CaFailure, ChipAuthMethod,
    ChipAuthRun, ChipAuthVerdict, Document, Finding,
};
use cccd::pki::{AlgorithmIdentifier, SignatureAlgorithm, SignatureError};
use cccd::reader::{danger, ReadOptions, Reader};
use cccd::sim::keys::{ActiveAuthenticationKind, CardKeys};
use cccd::sim::pki::{DigestAlgorithm, SodSpec, TestPki};
use cccd::sim::{Card, CardOptions, Faults, Mapping, PaceConfig, Profile, SimTransport};
use cccd::verify::{
    verify_passive, ChainVerdict, DgHashVerdict, PaOptions, SignatureVerdict, Time, TrustStore,
    ValidityVerdict, Warning,
};
use cccd::{Error, StatusWord};
use std::collections::BTreeMap;

// ---------------------------------------------------------------------------------------------
// Passive authentication (src/verify/passive.rs, src/verify/chain.rs, src/pki/signature.rs)
// ---------------------------------------------------------------------------------------------

fn dgs() -> BTreeMap<u8, Vec<u8>> {
    BTreeMap::from([
        (1u8, b"\x61\x03\x5F\x1F\x00".to_vec()),
        (2, vec![0x75, 0x01, 0xAA]),
        (13, b"\x6D\x00".to_vec()),
    ])
}

fn pki_trust(pki: &TestPki) -> TrustStore {
    let mut t = TrustStore::new();
    t.add_certificate_der(pki.csca_certificate()).unwrap();
    t
}

/// 2026-01-01: the test PKI's DSC is valid (2024-01-01 .. 2035-01-01), its SODs were signed
/// 2025-01-01.
fn in_2026() -> PaOptions {
    PaOptions::default().at(Time::from_ymd(2026, 1, 1).unwrap())
}

/// Everything but the property under test holds: the SOD signature, the chain, the DSC now.
fn assert_signature_chain_and_now_valid(r: &cccd::verify::PassiveAuthReport) {
    assert_eq!(r.sod_signature, SignatureVerdict::Valid);
    assert_eq!(r.chain, ChainVerdict::Valid);
    assert_eq!(r.validity_now, ValidityVerdict::Valid);
}

/// Mutation: `is_genuine` accepts `DgHashVerdict::NotInSod` like `NotRead`.
/// A group the SOD does not sign is not covered by the signature: never genuine data.
#[test]
fn pa_a_data_group_the_sod_does_not_list_is_never_genuine() {
    let pki = TestPki::shared_rsa().unwrap();
    let sod = pki.issue_sod(&dgs()).unwrap();
    let baseline = verify_passive(&sod, &dgs(), &pki_trust(pki), &in_2026());
    assert!(baseline.is_genuine(), "{baseline:?}");
    let mut read = dgs();
    read.insert(11, b"\x6B\x00".to_vec());
    let r = verify_passive(&sod, &read, &pki_trust(pki), &in_2026());
    assert_signature_chain_and_now_valid(&r);
    assert!(r.data_groups.contains(&(11, DgHashVerdict::NotInSod)));
    assert!(!r.is_genuine());
}

/// Mutation: `is_genuine` drops "at least one data group Valid".
/// A validly signed SOD alone, every group `NotRead`, proves no data.
#[test]
fn pa_a_lone_sod_with_nothing_read_is_never_genuine() {
    let pki = TestPki::shared_rsa().unwrap();
    let sod = pki.issue_sod(&dgs()).unwrap();
    let r = verify_passive(&sod, &BTreeMap::new(), &pki_trust(pki), &in_2026());
    assert_signature_chain_and_now_valid(&r);
    assert_eq!(
        r.data_groups,
        vec![
            (1, DgHashVerdict::NotRead),
            (2, DgHashVerdict::NotRead),
            (13, DgHashVerdict::NotRead)
        ]
    );
    assert!(r.is_signature_and_chain_valid());
    assert!(!r.is_genuine());
}

/// Mutations: `is_signature_and_chain_valid` always true, or `||` for its `&&`.
/// `cccd verify --sod` and a lone SOD's verdict rest on it: a good signature without a
/// trusted CSCA, or a trusted chain under a broken signature, is not a valid SOD.
#[test]
fn pa_a_sod_is_valid_only_when_signature_and_chain_both_hold() {
    let pki = TestPki::shared_rsa().unwrap();
    let sod = pki.issue_sod(&dgs()).unwrap();
    let r = verify_passive(&sod, &dgs(), &pki_trust(pki), &in_2026());
    assert!(r.is_signature_and_chain_valid());
    // No CSCA in the store: the signature holds, the chain does not.
    let r = verify_passive(&sod, &dgs(), &TrustStore::new(), &in_2026());
    assert_eq!(r.sod_signature, SignatureVerdict::Valid);
    assert!(
        matches!(r.chain, ChainVerdict::Untrusted { .. }),
        "{:?}",
        r.chain
    );
    assert!(!r.is_signature_and_chain_valid());
    // The signature value's last byte (the SOD's last byte) changed: the chain holds, the
    // signature does not.
    let mut broken = sod.clone();
    *broken.last_mut().unwrap() ^= 1;
    let r = verify_passive(&broken, &dgs(), &pki_trust(pki), &in_2026());
    assert!(matches!(r.sod_signature, SignatureVerdict::Invalid { .. }));
    assert_eq!(r.chain, ChainVerdict::Valid);
    assert!(!r.is_signature_and_chain_valid());
}

/// The test PKI's SOD with its signingTime attribute replaced by `utc_time` (13 bytes,
/// `YYMMDDhhmmssZ`), signed after the change.
fn sod_signed_at(pki: &TestPki, utc_time: &str) -> Vec<u8> {
    let spec = SodSpec {
        lds_digest: DigestAlgorithm::Sha256,
        signer_digest: pki.dsc_scheme().digest(),
        scheme: pki.dsc_scheme(),
        include_dsc: true,
        sid_by_key_identifier: false,
    };
    // Attribute ::= SEQUENCE { 06 09 signingTime (1.2.840.113549.1.9.5), SET { UTCTime } }
    // (RFC 5652 §11.3).
    let mut attr = hex::decode("301C06092A864886F70D010905310F170D").unwrap();
    attr.extend_from_slice(utc_time.as_bytes());
    assert_eq!(attr.len(), 30);
    pki.issue_sod_with(&dgs(), &spec, |p| {
        let i = p.find_attribute("1.2.840.113549.1.9.5").unwrap();
        p.signed_attributes[i] = attr.clone();
    })
    .unwrap()
}

/// Mutation: `is_genuine` ignores `validity_at_signing`.
/// Shell model: a DSC that was not valid when it signed cannot vouch for the SOD, even if it
/// is valid now.
#[test]
fn pa_a_dsc_not_valid_at_the_signing_time_is_never_genuine() {
    let pki = TestPki::shared_rsa().unwrap();
    let on_time = sod_signed_at(pki, "250601000000Z");
    let r = verify_passive(&on_time, &dgs(), &pki_trust(pki), &in_2026());
    assert_eq!(r.validity_at_signing, ValidityVerdict::Valid);
    assert!(r.is_genuine(), "{r:?}");
    // Signed half a year before the DSC's notBefore (2024-01-01).
    let early = sod_signed_at(pki, "230601000000Z");
    let r = verify_passive(&early, &dgs(), &pki_trust(pki), &in_2026());
    assert_signature_chain_and_now_valid(&r);
    assert_eq!(
        r.validity_at_signing,
        ValidityVerdict::NotYetValid {
            not_before: Time::from_ymd(2024, 1, 1).unwrap()
        }
    );
    assert!(!r.is_genuine());
    // Signed after the DSC's notAfter (2035-01-01), checked at a date it was still valid.
    let late = sod_signed_at(pki, "350601000000Z");
    let r = verify_passive(&late, &dgs(), &pki_trust(pki), &in_2026());
    assert_signature_chain_and_now_valid(&r);
    assert_eq!(
        r.validity_at_signing,
        ValidityVerdict::Expired {
            not_after: Time::from_ymd(2035, 1, 1).unwrap()
        }
    );
    assert!(!r.is_genuine());
}

/// Mutations: `ValidityVerdict::of` with `<=` for `<` (notBefore) or `>=` for `>` (notAfter).
/// RFC 5280 §4.1.2.5: the validity period runs "from notBefore through notAfter, inclusive";
/// the second before it and the second after it are outside.
#[test]
fn pa_validity_includes_its_first_and_last_second() {
    let pki = TestPki::shared_rsa().unwrap();
    let at_signing = |utc_time: &str| {
        let sod = sod_signed_at(pki, utc_time);
        verify_passive(&sod, &dgs(), &pki_trust(pki), &in_2026()).validity_at_signing
    };
    // The DSC's notBefore is 2024-01-01 00:00:00, its notAfter 2035-01-01 00:00:00.
    let not_before = Time::from_ymd(2024, 1, 1).unwrap();
    let not_after = Time::from_ymd(2035, 1, 1).unwrap();
    assert_eq!(at_signing("240101000000Z"), ValidityVerdict::Valid);
    assert_eq!(at_signing("350101000000Z"), ValidityVerdict::Valid);
    assert_eq!(
        at_signing("231231235959Z"),
        ValidityVerdict::NotYetValid { not_before }
    );
    assert_eq!(
        at_signing("350101000001Z"),
        ValidityVerdict::Expired { not_after }
    );
}

/// Mutations: the `Display` of a verdict (`SignatureVerdict`, `ChainVerdict`, `ChainFailure`,
/// `ValidityVerdict`, `DgHashVerdict`, `DscProfileViolation`) writes nothing.
/// What happened to each file is printed per file by the CLI and the desk service: every
/// status and skip reason says something of its own, an unprotected status word says so,
/// and a record's Debug output gives the file's length, never its bytes (personal data).
#[test]
fn every_file_status_prints_something_of_its_own_and_records_hide_their_bytes() {
    use cccd::document::{FileRecord, FileStatus as S, SkipReason as R};
    use cccd::files::ElementaryFile;
    let statuses = [
        S::Read,
        S::NotPresent { protected: true },
        S::NotPresent { protected: false },
        S::AccessDenied {
            sw: 0x6982,
            protected: true,
        },
        S::AccessDenied {
            sw: 0x6982,
            protected: false,
        },
        S::AccessDenied {
            sw: 0x6985,
            protected: true,
        },
        S::Skipped {
            reason: R::NotRequested,
        },
        S::Skipped {
            reason: R::NeedsTerminalAuthentication,
        },
    ];
    let texts: std::collections::BTreeSet<String> =
        statuses.iter().map(|s| s.to_string()).collect();
    assert_eq!(texts.len(), statuses.len(), "{texts:?}");
    assert!(texts.iter().all(|t| t.len() >= 4), "{texts:?}");
    assert!(S::AccessDenied {
        sw: 0x6985,
        protected: true
    }
    .to_string()
    .contains("6985"));
    let reasons = [R::NotRequested, R::NeedsTerminalAuthentication];
    for r in reasons {
        assert!(r.to_string().len() >= 5, "{r:?}");
        assert!(S::Skipped { reason: r }
            .to_string()
            .contains(&r.to_string()));
    }
    assert_ne!(reasons[0].to_string(), reasons[1].to_string());

    let secret = b"NGUYEN VAN A 001099012345".to_vec();
    let record = FileRecord::read(ElementaryFile::Dg(13), secret.clone());
    let printed = format!("{record:?}");
    assert!(printed.starts_with("FileRecord"), "{printed}");
    assert!(printed.contains(&secret.len().to_string()), "{printed}");
    assert!(printed.contains("Read"), "{printed}");
    assert!(!printed.contains("NGUYEN"), "{printed}");
    assert!(
        !printed.contains(&format!("{:?}", &secret[..4])),
        "{printed}"
    );
    assert!(!printed.contains("4E4755"), "{printed}");
    // A whole document prints its shape (access protocol, files), never a file's bytes.
    let doc =
        cccd::document::Document::from_records(cccd::document::AccessProtocol::Bac, vec![record])
            .unwrap();
    let printed = format!("{doc:?}");
    assert!(printed.starts_with("Document"), "{printed}");
    assert!(
        printed.contains("Bac") && printed.contains("FileRecord"),
        "{printed}"
    );
    assert!(!printed.contains("NGUYEN"), "{printed}");
}

/// Each is shown to the teller and written into the verdict's messages: every variant must
/// say something, and something different from the other variants of its type.
#[test]
fn every_verdict_variant_prints_something_of_its_own() {
    use cccd::verify::{ChainFailure as F, DscProfileViolation as P, UntrustedReason};
    fn distinct<T: std::fmt::Display>(what: &str, all: &[T]) {
        let texts: std::collections::BTreeSet<String> = all.iter().map(|v| v.to_string()).collect();
        assert_eq!(texts.len(), all.len(), "{what}: {texts:?}");
        assert!(texts.iter().all(|t| t.len() >= 5), "{what}: {texts:?}");
    }
    let day = Time::from_ymd(2030, 6, 1).unwrap();
    let profile = [
        P::Version(0),
        P::Version(1),
        P::GeneralizedTimeBefore2050,
        P::AuthorityKeyIdentifierMissing,
        P::AuthorityKeyIdentifierWithoutKeyId,
        P::KeyUsageMissing,
        P::KeyUsageNotCritical,
        P::KeyUsageWithoutDigitalSignature,
    ];
    distinct("DscProfileViolation", &profile);
    let failures = [
        F::NoDsc,
        F::DscSignatureInvalid(SignatureError::UnsupportedPssParameters),
        F::IssuerNotCa {
            issuer: "C=VN".into(),
        },
        F::LinkCertificateUnverified {
            link: "C=VN".into(),
        },
        F::LinkCertificateNotValidAtIssuance { dsc_issued: day },
        F::DscProfile(P::KeyUsageMissing),
    ];
    distinct("ChainFailure", &failures);
    distinct(
        "ChainVerdict",
        &[
            ChainVerdict::Valid,
            ChainVerdict::Untrusted {
                reason: UntrustedReason::NoCscaFound {
                    issuer: "C=VN".into(),
                },
            },
            ChainVerdict::Invalid { reason: F::NoDsc },
            ChainVerdict::Revoked {
                revocation_date: day,
            },
        ],
    );
    distinct(
        "SignatureVerdict",
        &[
            SignatureVerdict::Valid,
            SignatureVerdict::Invalid {
                reason: cccd::pki::SignerFailure::NoSignerInfo,
            },
        ],
    );
    distinct(
        "ValidityVerdict",
        &[
            ValidityVerdict::Valid,
            ValidityVerdict::NotYetValid { not_before: day },
            ValidityVerdict::Expired { not_after: day },
            ValidityVerdict::Unknown,
        ],
    );
    distinct(
        "DgHashVerdict",
        &[
            DgHashVerdict::Valid,
            DgHashVerdict::Mismatch,
            DgHashVerdict::NotRead,
            DgHashVerdict::NotInSod,
            DgHashVerdict::NotChecked,
        ],
    );
}

/// Mutation: `chain::revocation` sets `checked` for a CRL past its nextUpdate.
/// An expired CRL cannot vouch that the DSC is not revoked (RFC 5280 §6.3.3 (a)); a revocation
/// it lists still counts.
#[test]
fn pa_an_expired_crl_does_not_count_as_a_revocation_check() {
    let pki = TestPki::shared_rsa().unwrap();
    let sod = pki.issue_sod(&dgs()).unwrap();
    let with_crl = |crl: Vec<u8>| {
        let mut t = pki_trust(pki);
        t.add_crl(&crl).unwrap();
        verify_passive(&sod, &dgs(), &t, &in_2026())
    };
    let expired_crl = |w: &Warning| matches!(w, Warning::CrlExpired { .. });
    let unchecked = |w: &Warning| matches!(w, Warning::RevocationNotChecked);
    // Current CRL (2025-06-01 .. 2026-06-01): checked, no warning.
    let fresh = with_crl(
        pki.crl_dated(&[], "250601000000Z", "260601000000Z")
            .unwrap(),
    );
    assert_eq!(fresh.chain, ChainVerdict::Valid);
    assert!(
        !fresh.warnings.iter().any(expired_crl),
        "{:?}",
        fresh.warnings
    );
    assert!(
        !fresh.warnings.iter().any(unchecked),
        "{:?}",
        fresh.warnings
    );
    // Expired on 2025-12-01: the chain holds, but revocation was not checked.
    let stale = with_crl(
        pki.crl_dated(&[], "250601000000Z", "251201000000Z")
            .unwrap(),
    );
    assert_eq!(stale.chain, ChainVerdict::Valid);
    assert!(
        stale.warnings.iter().any(expired_crl),
        "{:?}",
        stale.warnings
    );
    assert!(stale.warnings.iter().any(unchecked), "{:?}", stale.warnings);
    // The same expired CRL listing the DSC: revoked all the same.
    let revoked = with_crl(
        pki.crl_dated(&[pki.dsc_serial()], "250601000000Z", "251201000000Z")
            .unwrap(),
    );
    assert!(
        matches!(revoked.chain, ChainVerdict::Revoked { .. }),
        "{:?}",
        revoked.chain
    );
    assert!(!revoked.is_genuine());
}

/// `RSASSA-PSS-params` (RFC 8017 §A.2.3) with SHA-256, MGF1-SHA-256 and saltLength `salt`.
fn pss_params(salt: u32) -> AlgorithmIdentifier {
    pss_params_with_trailer(salt, None)
}

/// [`pss_params`] with an explicit trailerField `[3] INTEGER` when `trailer` is given.
fn pss_params_with_trailer(salt: u32, trailer: Option<u8>) -> AlgorithmIdentifier {
    let sha256 = hex::decode("300D06096086480165030402010500").unwrap();
    let mgf1 = [
        hex::decode("301A06092A864886F70D010108").unwrap(),
        sha256.clone(),
    ]
    .concat();
    // A DER INTEGER: minimal big-endian bytes, a leading 00 when the top bit is set.
    let mut int: Vec<u8> = salt
        .to_be_bytes()
        .into_iter()
        .skip_while(|b| *b == 0)
        .collect();
    if int.first().is_none_or(|b| b & 0x80 != 0) {
        int.insert(0, 0);
    }
    let tlv = |tag: u8, v: &[u8]| [&[tag, v.len() as u8][..], v].concat();
    let params = tlv(
        0x30,
        &[
            tlv(0xA0, &sha256),
            tlv(0xA1, &mgf1),
            tlv(0xA2, &tlv(0x02, &int)),
            trailer.map_or(Vec::new(), |t| tlv(0xA3, &tlv(0x02, &[t]))),
        ]
        .concat(),
    );
    AlgorithmIdentifier {
        oid: cccd::pki::oid::RSASSA_PSS,
        parameters: Some(params),
    }
}

/// Mutation: the `salt_len > 1024` bound in `SignatureAlgorithm::pss` removed (or moved).
/// No supported modulus (at most 8192 bits = 1024 bytes) has room for a longer salt.
#[test]
fn pss_salt_longer_than_any_supported_modulus_is_refused() {
    let alg = |salt| SignatureAlgorithm::from_algorithm_identifier(&pss_params(salt), None);
    assert_eq!(
        alg(32),
        Ok(SignatureAlgorithm::RsaPss {
            hash: cccd::crypto::hash::HashAlgorithm::Sha256,
            mgf1_hash: cccd::crypto::hash::HashAlgorithm::Sha256,
            salt_len: 32
        })
    );
    assert!(matches!(
        alg(1024),
        Ok(SignatureAlgorithm::RsaPss { salt_len: 1024, .. })
    ));
    assert_eq!(alg(1025), Err(SignatureError::UnsupportedPssParameters));
    assert_eq!(alg(0xFFFF), Err(SignatureError::UnsupportedPssParameters));
    assert_eq!(alg(u32::MAX), Err(SignatureError::UnsupportedPssParameters));
}

/// Mutation (pki/signature.rs, `pss`: the trailerField check `!= 1` to `== 1`): RFC 8017
/// §A.2.3 defines trailerField 1 (`0xBC`) only. Written out, 1 is the default; anything else
/// is refused.
#[test]
fn pss_trailer_field_other_than_one_is_refused() {
    let alg = |trailer| {
        SignatureAlgorithm::from_algorithm_identifier(&pss_params_with_trailer(32, trailer), None)
    };
    assert_eq!(alg(Some(1)), alg(None));
    assert!(alg(None).is_ok());
    for other in [0, 2, 0x7F] {
        assert_eq!(
            alg(Some(other)),
            Err(SignatureError::UnsupportedPssParameters),
            "trailerField {other}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The reader (src/reader/access.rs, authenticity.rs, mod.rs) against the simulator
// ---------------------------------------------------------------------------------------------

fn sim_trust() -> TrustStore {
    let mut t = TrustStore::new();
    t.add_certificate_der(cccd::sim::sod::csca_certificate().unwrap())
        .unwrap();
    t
}

fn mrz_key(card: &Card) -> AccessKey {
    let p = card.persona();
    AccessKey::from_id_and_dates(&p.id_number, &p.date_of_birth.yymmdd(), &p.mrz_expiry()).unwrap()
}

fn can_key(card: &Card) -> AccessKey {
    AccessKey::can_from_id(&card.persona().id_number).unwrap()
}

fn read(reader: Reader<SimTransport>, key: &AccessKey, options: &ReadOptions) -> Document {
    reader
        .open(key)
        .unwrap()
        .read_document(options, &mut |_| {})
        .unwrap()
}

fn codes(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(Finding::code).collect()
}

/// EF.CardAccess that offers PACE in forms the reader cannot run, each on its own:
/// - a PACEInfo without its version INTEGER (well framed, does not parse);
/// - id-PACE-ECDH-GM-AES-CBC-CMAC-128 (0.4.0.127.0.7.2.2.4.2.2) with parameterId 31, which
///   no standardized domain parameters have (BSI TR-03110-3 Table 4: 0..18 are assigned);
/// - a PACEInfo under id-PACE with a mapping arc no specification defines (4.9.2).
fn unrunnable_card_access() -> [(&'static str, Vec<u8>); 3] {
    [
        (
            "malformed",
            hex::decode("310E300C060A04007F00070202040202").unwrap(),
        ),
        (
            "unsupported parameter id",
            hex::decode("31143012060A04007F0007020204020202010202011F").unwrap(),
        ),
        (
            "unknown id-PACE mapping",
            hex::decode("31143012060A04007F0007020204090202010202010D").unwrap(),
        ),
    ]
}

/// Mutation: `pace_config`'s `downgrade` returns `Ok(None)` without the danger option (an
/// unparsable EF.CardAccess, or one offering only PACE we do not run, read with BAC).
#[test]
fn unrunnable_card_access_is_an_error_never_a_silent_bac() {
    for (what, bytes) in unrunnable_card_access() {
        let parsed = cccd::lds::security_info::SecurityInfos::parse(&bytes);
        match what {
            "malformed" => assert!(parsed.is_err(), "{what}"),
            _ => assert!(parsed.is_ok(), "{what}: {parsed:?}"),
        }
        let card = Card::new(Profile::Cccd, 31).with_card_access(&bytes);
        let key = mrz_key(&card);
        let t = SimTransport::new(card);
        match Reader::new(t).open(&key) {
            Err(Error::Unsupported(_)) => {}
            Err(e) => panic!("{what}: {e:?}"),
            Ok(s) => panic!("{what}: opened with {:?}", s.protocol()),
        }
    }
}

/// Mutation: `pace_config`'s `several` (`listed.len() > 1`) as `== 1` or `>= 1`.
/// ICAO 9303-11 §4.4.4.1: MSE:Set AT names the domain parameters (`84`) when EF.CardAccess
/// offers more than one set, and the CCCD's single PACEInfo is run without it. Seen from the
/// length of MSE:Set AT: `84 01 0D` is 3 bytes.
#[test]
fn mse_set_at_names_the_parameters_only_when_the_card_offers_several() {
    use cccd::transport::trace::Traced;
    // The real CCCD's EF.CardAccess (TA, CA, PACE-ECDH-GM-AES-128 on parameter 13), and the
    // same with a second PACEInfo after it (parameter 12, NIST P-256): the reader runs the
    // first (no CAM offered), the simulator's own.
    let one = hex::decode(concat!(
        "3134300d060804007f000702020202010130",
        "0f060a04007f0007020203020202010130",
        "12060a04007f0007020204020202010202010d"
    ))
    .unwrap();
    let mut two = hex::decode("3148").unwrap();
    two.extend_from_slice(&one[2..]);
    two.extend(hex::decode("3012060a04007f0007020204020202010202010c").unwrap());
    let mse_set_at_len = |card_access: &[u8]| {
        let card = Card::new(Profile::Cccd, 33).with_card_access(card_access);
        let key = can_key(&card);
        let session = Reader::new(Traced::new(SimTransport::new(card)))
            .open(&key)
            .unwrap();
        assert!(matches!(session.protocol(), AccessProtocol::Pace { .. }));
        let mse: Vec<_> = session
            .transport()
            .entries()
            .iter()
            .filter(|e| (e.ins, e.p1, e.p2) == (0x22, 0xC1, 0xA4))
            .map(|e| e.command_len)
            .collect();
        assert_eq!(mse.len(), 1, "{mse:?}");
        mse[0]
    };
    assert_eq!(mse_set_at_len(&two), mse_set_at_len(&one) + 3);
}

/// `danger::allow_bac_fallback` on: the same cards are read with BAC, and the verdict says
/// so (`bac_on_pace_chip`: DG14, proven by the SOD, lists PACE), unless the caller also
/// accepted that with `danger::accept_bac_on_pace_chip`.
#[test]
fn allow_bac_fallback_reads_with_bac_and_the_verdict_records_it() {
    for (what, bytes) in unrunnable_card_access() {
        let card = Card::new(Profile::Cccd, 32).with_card_access(&bytes);
        let key = mrz_key(&card);
        let reader = danger::allow_bac_fallback(Reader::new(SimTransport::new(card)));
        let doc = read(reader, &key, &ReadOptions::default());
        assert_eq!(doc.access, AccessProtocol::Bac, "{what}");
        let v = doc.verify(&sim_trust(), &PaOptions::default());
        assert!(v.passive_authentication.is_genuine(), "{what}");
        assert!(v.findings.contains(&Finding::BacOnPaceChip), "{what}");
        assert!(!v.genuine, "{what}");
        let accepted = doc.verify(
            &sim_trust(),
            &danger::accept_bac_on_pace_chip(PaOptions::default()),
        );
        assert!(
            accepted.findings.contains(&Finding::BacOnPaceChipAccepted),
            "{what}: {:?}",
            codes(&accepted.findings)
        );
        assert!(!accepted.findings.contains(&Finding::BacOnPaceChip));
    }
}

/// Mutation: `read_card_access` takes a refusal after part of the file as "no EF.CardAccess".
/// A file whose header announces more than the card then serves (here 2 bytes short) is
/// broken: a typed error with or without the danger option, never BAC.
#[test]
fn truncated_card_access_is_an_error_never_bac() {
    // The real CCCD's file with the SET's length raised by 2 (0x34 -> 0x36).
    let mut bytes = hex::decode(concat!(
        "3134300d06080400",
        "7f000702020202010130",
        "0f060a04007f0007020203020202010130",
        "12060a04007f0007020204020202010202010d"
    ))
    .unwrap();
    bytes[1] = 0x36;
    for allow in [false, true] {
        let card = Card::new(Profile::Cccd, 30).with_card_access(&bytes);
        let key = mrz_key(&card);
        let mut reader = Reader::new(SimTransport::new(card));
        if allow {
            reader = danger::allow_bac_fallback(reader);
        }
        match reader.open(&key) {
            Err(Error::Card { .. }) => {}
            Err(e) => panic!("allow {allow}: {e:?}"),
            Ok(s) => panic!("allow {allow}: opened with {:?}", s.protocol()),
        }
    }
}

/// A PACE run that fails (EF.CardAccess offers parameters the chip does not take) with an MRZ
/// key: an error by default, BAC only with the danger option.
#[test]
fn failed_pace_falls_back_to_bac_only_when_allowed() {
    // id-PACE-ECDH-GM-AES-128 on parameter id 12 (NIST P-256); the chip runs id 13.
    let offer = hex::decode("31143012060A04007F0007020204020202010202010C").unwrap();
    let card = || Card::new(Profile::Cccd, 33).with_card_access(&offer);
    let key = mrz_key(&card());
    match Reader::new(SimTransport::new(card())).open(&key) {
        Err(Error::WrongAccessKey) => panic!("a refused PACE is not a wrong key"),
        Err(_) => {}
        Ok(s) => panic!("opened with {:?}", s.protocol()),
    }
    let reader = danger::allow_bac_fallback(Reader::new(SimTransport::new(card())));
    let session = reader.open(&key).unwrap();
    assert_eq!(session.protocol(), &AccessProtocol::Bac);
}

/// Mutation: `active_authentication` reports a refused INTERNAL AUTHENTICATE as
/// `ActiveAuthRun::NotSupported` (or leaves it to `from_outcome`, where `6D00` is
/// "not supported"). DG15 says the chip holds an AA key: refusing to use it is what a clone
/// without the private key does.
#[test]
fn a_chip_that_refuses_active_authentication_fails_it() {
    for sw in [0x6D00u16, 0x6982] {
        let mut options = CardOptions::default();
        options.refuse_internal_authenticate = Some(StatusWord(sw));
        let card = Card::with_options(Profile::Cccd, 34, options);
        let key = can_key(&card);
        let doc = read(
            Reader::new(SimTransport::new(card)),
            &key,
            &ReadOptions::default(),
        );
        assert_eq!(
            doc.active_authentication_run,
            ActiveAuthRun::Failed {
                failure: AaFailure::Refused(StatusWord(sw))
            },
            "{sw:04X}"
        );
        let v = doc.verify(&sim_trust(), &PaOptions::default());
        // Chip Authentication proved the chip: only the refusal fails the verdict.
        assert_eq!(v.chip_authentication, ChipAuthVerdict::Trusted);
        assert!(matches!(
            v.active_authentication,
            ActiveAuthVerdict::Failed {
                failure: AaFailure::Refused(_)
            }
        ));
        assert!(!v.genuine, "{sw:04X}");
    }
}

fn cam_card(seed: u64) -> Card {
    let mut options = CardOptions::default();
    options.pace = Some(
        PaceConfig::new(
            13,
            Mapping::ChipAuthentication,
            cccd::crypto::CipherAlg::Aes128,
        )
        .unwrap(),
    );
    Card::with_options(Profile::Cccd, seed, options)
}

/// The genuine card's Active Authentication key with a clone's Chip Authentication key: the
/// chip's PACE-CAM proves a key that its files (DG14, EF.CardSecurity) do not hold.
fn foreign_ca_key(seed: u64) -> CardKeys {
    let genuine = CardKeys::cccd(seed, ActiveAuthenticationKind::default(), false).unwrap();
    let clone = CardKeys::cccd(seed, ActiveAuthenticationKind::default(), true).unwrap();
    CardKeys {
        chip_authentication: clone.chip_authentication,
        active_authentication: genuine.active_authentication,
    }
}

/// Mutation: `check_cam_with_card_security` (`matched`) or the PACE-CAM branch of
/// `chip_authentication` (DG14) accepts whatever key the chip proved.
/// PACE-CAM must match the chip's key to EF.CardSecurity's, or without that file to DG14's.
#[test]
fn pace_cam_with_a_key_the_files_do_not_hold_is_a_failed_chip_authentication() {
    for with_card_security in [true, false] {
        for genuine in [true, false] {
            let seed = 35;
            let mut card = cam_card(seed);
            if !genuine {
                card = card.with_keys(foreign_ca_key(seed));
            }
            if !with_card_security {
                card.files_mut()
                    .remove_in(cccd::sim::fs::Location::MasterFile, 0x011D)
                    .unwrap();
            }
            let key = can_key(&card);
            let doc = read(
                Reader::new(SimTransport::new(card)),
                &key,
                &ReadOptions::default(),
            );
            let case = format!("EF.CardSecurity {with_card_security}, genuine {genuine}");
            let method = if with_card_security {
                ChipAuthMethod::PaceCamCardSecurity
            } else {
                ChipAuthMethod::PaceCam
            };
            let v = doc.verify(&sim_trust(), &PaOptions::default());
            // Active Authentication holds either way: the CAM check alone decides.
            assert_eq!(
                v.active_authentication,
                ActiveAuthVerdict::Trusted,
                "{case}"
            );
            if genuine {
                assert_eq!(
                    doc.chip_authentication_run,
                    ChipAuthRun::Completed { method },
                    "{case}"
                );
                assert_eq!(v.chip_authentication, ChipAuthVerdict::Trusted, "{case}");
                assert!(v.genuine, "{case}: {:?}", codes(&v.findings));
            } else {
                assert_eq!(
                    doc.chip_authentication_run,
                    ChipAuthRun::Failed {
                        failure: CaFailure::CamMismatch
                    },
                    "{case}"
                );
                assert!(
                    matches!(v.chip_authentication, ChipAuthVerdict::Failed { .. }),
                    "{case}"
                );
                assert!(!v.genuine, "{case}");
            }
        }
    }
}

fn short_reads() -> ReadOptions {
    let mut o = ReadOptions::default();
    o.extended_length = false;
    o
}

/// A tag lost during the last file, on a read without Active Authentication: Chip
/// Authentication runs again in the new session and nothing is left to read, so one more
/// protected command must carry the first answer under its keys; without it the run stays
/// unsettled ("incomplete") and a genuine chip is reported as failing.
#[test]
fn chip_authentication_rerun_after_the_last_file_is_settled() {
    use cccd::transport::trace::Traced;
    let mut options = short_reads();
    options.active_authentication = false;
    let clean = {
        let card = Card::new(Profile::Cccd, 37);
        let key = can_key(&card);
        let mut session = Reader::new(Traced::new(SimTransport::new(card)))
            .open(&key)
            .unwrap();
        let doc = session.read_document(&options, &mut |_| {}).unwrap();
        assert_eq!(
            doc.chip_authentication_run,
            ChipAuthRun::Completed {
                method: ChipAuthMethod::ChipAuthentication
            }
        );
        session.transport().stats().bytes_received
    };
    let card = Card::new(Profile::Cccd, 37);
    let key = can_key(&card);
    let mut faults = Faults::none();
    faults.tag_lost_after_bytes = Some(clean - 40);
    let mut session = Reader::new(Traced::new(SimTransport::with_faults(card, faults)))
        .open(&key)
        .unwrap();
    let doc = session.read_document(&options, &mut |_| {}).unwrap();
    assert_eq!(session.resumes(), 1);
    assert_eq!(
        doc.chip_authentication_run,
        ChipAuthRun::Completed {
            method: ChipAuthMethod::ChipAuthentication
        }
    );
    // The last exchange is that one command: one byte of EF.COM (READ BINARY, SFI 1E).
    let entries = session.transport().entries();
    let last = entries.last().unwrap();
    assert_eq!(
        (last.cla, last.ins, last.p1, last.p2),
        (0x0C, 0xB0, 0x9E, 0x00)
    );
    // Mutation: its retry guard (`is_recoverable(&e) && resumes < max_resumes`) as `true`.
    // The same read with that answer's MAC corrupted and the one re-open allowed already
    // spent on the loss: an error, not a second re-open.
    let confirm_apdu = entries.len();
    // The loss above, and that answer's MAC corrupted: the document (or error) and the
    // re-opens taken, with `max_resumes` re-opens allowed.
    let corrupted_confirmation = |max_resumes: usize| {
        let card = Card::new(Profile::Cccd, 37);
        let key = can_key(&card);
        let mut faults = Faults::none();
        faults.tag_lost_after_bytes = Some(clean - 40);
        faults.corrupt_mac_at_apdu = Some(confirm_apdu);
        let mut limited = options.clone();
        limited.max_resumes = max_resumes;
        let mut session = Reader::new(SimTransport::with_faults(card, faults))
            .open(&key)
            .unwrap();
        let doc = session.read_document(&limited, &mut |_| {});
        (doc, session.resumes())
    };
    let (doc, resumes) = corrupted_confirmation(1);
    assert_eq!(resumes, 1);
    assert!(
        matches!(doc, Err(Error::SecureMessaging(_))),
        "{:?}",
        doc.map(|d| d.chip_authentication_run.clone())
    );
    // With a second re-open allowed, it is taken and counted (`resumes += 1` as `*=` would
    // leave 1), and the corrupted frame's second chance settles Chip Authentication.
    let (doc, resumes) = corrupted_confirmation(2);
    let doc = doc.unwrap();
    assert_eq!(resumes, 2);
    assert_eq!(
        doc.chip_authentication_run,
        ChipAuthRun::Completed {
            method: ChipAuthMethod::ChipAuthentication
        }
    );
}

/// Mutation: `CaState::must_rerun_after_reopen` forgets `AwaitingFirstResponse`.
/// The tag is lost on the first answer after Chip Authentication, before any answer under
/// its keys: the run proved nothing, so the new session runs it again. Were the pending run
/// carried over, the first answer of the new session (under PACE keys) would settle it, and a
/// clone put in the field at that moment would pass.
#[test]
fn a_tag_loss_before_chip_authentication_is_confirmed_reruns_it() {
    use cccd::transport::trace::Traced;
    let seed = 38;
    let mut options = short_reads();
    options.active_authentication = false;
    // Bytes received up to the end of Chip Authentication (its GENERAL AUTHENTICATE under
    // secure messaging) in a clean read.
    let through_ca = {
        let card = Card::new(Profile::Cccd, seed);
        let key = can_key(&card);
        let mut session = Reader::new(Traced::new(SimTransport::new(card)))
            .open(&key)
            .unwrap();
        session.read_document(&options, &mut |_| {}).unwrap();
        let entries = session.transport().entries();
        let ga = entries
            .iter()
            .position(|e| (e.cla, e.ins) == (0x0C, 0x86))
            .unwrap();
        entries[..=ga].iter().map(|e| e.response_len).sum::<usize>()
    };
    let clone_keys = CardKeys::cccd(seed, ActiveAuthenticationKind::default(), true).unwrap();
    for swap in [false, true] {
        let mut card = Card::new(Profile::Cccd, seed);
        if swap {
            card = card.swap_keys_at_reset(clone_keys.clone());
        }
        let key = can_key(&card);
        let mut faults = Faults::none();
        faults.tag_lost_after_bytes = Some(through_ca + 1);
        let mut session = Reader::new(Traced::new(SimTransport::with_faults(card, faults)))
            .open(&key)
            .unwrap();
        let doc = session.read_document(&options, &mut |_| {}).unwrap();
        let ca_runs = session
            .transport()
            .entries()
            .iter()
            .filter(|e| (e.cla, e.ins) == (0x0C, 0x86))
            .count();
        // The genuine chip: one re-open (the loss), Chip Authentication twice. The clone: the
        // re-run's first answer is refused, which closes the session and earns one more try
        // (a corrupted frame looks the same), refused again: three re-opens, three runs.
        let expected = if swap { (3, 3) } else { (1, 2) };
        assert_eq!((session.resumes(), ca_runs), expected, "swap {swap}");
        if swap {
            assert!(
                matches!(doc.chip_authentication_run, ChipAuthRun::Failed { .. }),
                "{:?}",
                doc.chip_authentication_run
            );
        } else {
            assert_eq!(
                doc.chip_authentication_run,
                ChipAuthRun::Completed {
                    method: ChipAuthMethod::ChipAuthentication
                }
            );
        }
    }
}

/// Mutations: `run_active_authentication`'s retry guard (`is_recoverable(&e) && resumes <
/// max_resumes`) as `true`, with `||`, with `<=`, or its count (`resumes += 1`) as `*=`.
/// A tag lost on the answer to INTERNAL AUTHENTICATE re-opens the session once, counted, and
/// Active Authentication completes; a corrupted answer with no re-open left is an error,
/// never one re-open more.
#[test]
fn active_authentication_retries_once_per_loss_and_never_past_the_limit() {
    use cccd::transport::trace::Traced;
    let seed = 39;
    // In a clean read: the 1-based number of INTERNAL AUTHENTICATE, and the bytes received
    // before its answer.
    let (ia_apdu, bytes_before) = {
        let card = Card::new(Profile::Cccd, seed);
        let key = can_key(&card);
        let mut session = Reader::new(Traced::new(SimTransport::new(card)))
            .open(&key)
            .unwrap();
        session.read_document(&short_reads(), &mut |_| {}).unwrap();
        let entries = session.transport().entries();
        let ia = entries.iter().position(|e| e.ins == 0x88).unwrap();
        let before: usize = entries[..ia].iter().map(|e| e.response_len).sum();
        (ia + 1, before)
    };
    let read = |faults: Faults, options: &ReadOptions| {
        let card = Card::new(Profile::Cccd, seed);
        let key = can_key(&card);
        let mut session = Reader::new(SimTransport::with_faults(card, faults))
            .open(&key)
            .unwrap();
        let doc = session.read_document(options, &mut |_| {});
        (doc, session.resumes())
    };
    let mut lost = Faults::none();
    lost.tag_lost_after_bytes = Some(bytes_before + 1);
    let (doc, resumes) = read(lost, &short_reads());
    assert_eq!(resumes, 1);
    assert_eq!(
        doc.unwrap().active_authentication_run,
        ActiveAuthRun::Completed
    );
    let mut corrupt = Faults::none();
    corrupt.corrupt_mac_at_apdu = Some(ia_apdu);
    let mut no_resume = short_reads();
    no_resume.max_resumes = 0;
    let (doc, resumes) = read(corrupt, &no_resume);
    assert_eq!(resumes, 0);
    assert!(
        matches!(doc, Err(Error::SecureMessaging(_))),
        "{:?}",
        doc.map(|d| d.active_authentication_run.clone())
    );
}

/// Mutation: `reopen` no longer marks a finished Chip Authentication for a re-run, or
/// `read_document` no longer re-runs Active Authentication in the last session.
/// The tag is lost during DG2 (after CA and AA passed) and a clone with the same files but
/// its own keys comes back into the field: the re-opened session must run CA and AA again,
/// and both fail.
#[test]
fn a_clone_swapped_in_after_a_tag_loss_fails_the_rerun_ca_and_aa() {
    let seed = 36;
    let clone_keys = CardKeys::cccd(seed, ActiveAuthenticationKind::default(), true).unwrap();
    for swap in [false, true] {
        let mut card = Card::new(Profile::Cccd, seed);
        if swap {
            card = card.swap_keys_at_reset(clone_keys.clone());
        }
        let key = can_key(&card);
        let mut faults = Faults::none();
        faults.tag_lost_after_bytes = Some(5_000);
        let mut session = Reader::new(SimTransport::with_faults(card, faults))
            .open(&key)
            .unwrap();
        let doc = session.read_document(&short_reads(), &mut |_| {}).unwrap();
        assert!(
            session.resumes() >= 1,
            "swap {swap}: the tag loss re-opened"
        );
        let v = doc.verify(&sim_trust(), &PaOptions::default());
        assert!(v.passive_authentication.is_genuine(), "swap {swap}");
        if swap {
            assert!(
                matches!(doc.chip_authentication_run, ChipAuthRun::Failed { .. }),
                "{:?}",
                doc.chip_authentication_run
            );
            assert!(
                matches!(doc.active_authentication_run, ActiveAuthRun::Failed { .. }),
                "{:?}",
                doc.active_authentication_run
            );
            assert!(!v.genuine);
        } else {
            assert_eq!(
                doc.chip_authentication_run,
                ChipAuthRun::Completed {
                    method: ChipAuthMethod::ChipAuthentication
                }
            );
            assert_eq!(doc.active_authentication_run, ActiveAuthRun::Completed);
            assert!(v.genuine, "{:?}", codes(&v.findings));
        }
    }
}

/// Mutations (document/verdict.rs): `CaFailure::code` and `AaFailure::code` return one constant;
/// `Finding::file` returns `None` or loses an arm; the `Display` of `ChipAuthRun`,
/// `ActiveAuthRun`, `FindingKind`, `UntrustedCheck`, `ChipAuthVerdict`, `ActiveAuthVerdict` and
/// `Finding` writes nothing. Codes are what programs match on (JSON `code`, the desk service's
/// list of blocking findings), and finding codes are an enum of the committed JSON Schema: each
/// is its own, snake_case, and (for findings) listed there; each text says something of its own.
#[test]
fn every_finding_and_failure_has_a_code_a_text_and_a_file_of_its_own() {
    use cccd::access::chip_auth::CaError;
    use cccd::access::sm::SmError;
    use cccd::document::{FileStatus, FindingKind, UntrustedCheck};
    use cccd::verify::active::AaError;
    use cccd::verify::CountryMismatch;
    use cccd::ElementaryFile as Ef;
    use std::collections::BTreeSet;
    fn distinct<T: std::fmt::Display>(what: &str, all: &[T]) {
        let texts: BTreeSet<String> = all.iter().map(|v| v.to_string()).collect();
        assert_eq!(texts.len(), all.len(), "{what}: {texts:?}");
        assert!(texts.iter().all(|t| t.len() >= 4), "{what}: {texts:?}");
    }
    fn codes(what: &str, all: &[&'static str]) -> BTreeSet<&'static str> {
        let set: BTreeSet<_> = all.iter().copied().collect();
        assert_eq!(set.len(), all.len(), "{what}: {all:?}");
        for c in all {
            assert!(
                c.len() >= 4
                    && c.starts_with(|ch: char| ch.is_ascii_lowercase())
                    && c.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                "{what}: {c:?}"
            );
        }
        set
    }
    let lds_error = cccd::lds::Dg15::parse(&[0x00]).unwrap_err();
    let ca = [
        CaFailure::Dg14Malformed(lds_error.clone()),
        CaFailure::Exchange(CaError::NoPublicKey),
        CaFailure::FirstResponseRejected(SmError::MacMismatch),
        CaFailure::CamMismatch,
        CaFailure::Incomplete,
    ];
    codes(
        "CaFailure",
        &ca.iter().map(CaFailure::code).collect::<Vec<_>>(),
    );
    let aa = [
        AaFailure::Dg15Malformed(lds_error),
        AaFailure::Refused(StatusWord::INS_NOT_SUPPORTED),
        AaFailure::Signature(AaError::SignatureInvalid),
    ];
    codes(
        "AaFailure",
        &aa.iter().map(AaFailure::code).collect::<Vec<_>>(),
    );
    let chip_runs = [
        ChipAuthRun::Completed {
            method: ChipAuthMethod::ChipAuthentication,
        },
        ChipAuthRun::Completed {
            method: ChipAuthMethod::PaceCam,
        },
        ChipAuthRun::Completed {
            method: ChipAuthMethod::PaceCamCardSecurity,
        },
        ChipAuthRun::Failed {
            failure: ca[3].clone(),
        },
        ChipAuthRun::NotSupported,
        ChipAuthRun::NotAttempted,
    ];
    distinct("ChipAuthRun", &chip_runs);
    let aa_runs = [
        ActiveAuthRun::Completed,
        ActiveAuthRun::Failed {
            failure: aa[1].clone(),
        },
        ActiveAuthRun::NotSupported,
        ActiveAuthRun::NotAttempted,
    ];
    distinct("ActiveAuthRun", &aa_runs);
    distinct(
        "FindingKind",
        &[FindingKind::Info, FindingKind::Chip, FindingKind::Data],
    );
    let untrusted = [
        UntrustedCheck::KeyFileNotProven { file: Ef::Dg(14) },
        UntrustedCheck::NotSupported,
        UntrustedCheck::NotRun,
    ];
    distinct("UntrustedCheck", &untrusted);
    distinct(
        "ChipAuthVerdict",
        &[
            ChipAuthVerdict::Trusted,
            ChipAuthVerdict::Untrusted {
                reason: untrusted[0],
            },
            ChipAuthVerdict::Failed {
                failure: ca[3].clone(),
            },
        ],
    );
    distinct(
        "ActiveAuthVerdict",
        &[
            ActiveAuthVerdict::Trusted,
            ActiveAuthVerdict::Untrusted {
                reason: untrusted[1],
            },
            ActiveAuthVerdict::Failed {
                failure: aa[1].clone(),
            },
        ],
    );
    // Every finding, with the file it names (or none).
    let findings = [
        (Finding::SodSignatureInvalid, None),
        (Finding::ChainUntrusted, None),
        (Finding::ChainInvalid, None),
        (Finding::DscRevoked, None),
        (Finding::DscNotValidNow, None),
        (Finding::DscNotValidAtSigning, None),
        (Finding::DataGroupHashMismatch { dg: 2 }, Some(Ef::Dg(2))),
        (Finding::DataGroupNotInSod { dg: 3 }, Some(Ef::Dg(3))),
        (Finding::NoDataGroupProven, None),
        (Finding::PassiveAuthenticationFailed, None),
        (
            Finding::CountryMismatch(CountryMismatch::UnknownIssuingState {
                issuing_state: "ZZZ".into(),
            }),
            None,
        ),
        (
            Finding::DataGroupNotRead {
                dg: 13,
                status: Some(FileStatus::NotPresent { protected: false }),
            },
            Some(Ef::Dg(13)),
        ),
        (Finding::BacOnPaceChip, None),
        (Finding::BacOnPaceChipAccepted, None),
        (Finding::CardAccessMismatch, Some(Ef::CardAccess)),
        (Finding::CardSecurityMismatch, Some(Ef::CardSecurity)),
        (Finding::CardSecurityInvalid, Some(Ef::CardSecurity)),
        (
            Finding::DataGroupListMismatch {
                only_in_sod: vec![3],
                only_in_com: vec![],
            },
            None,
        ),
        (Finding::CardAccessNotProvided, Some(Ef::CardAccess)),
        (Finding::ChipAuthenticationFailed(ca[0].clone()), None),
        (Finding::ActiveAuthenticationFailed(aa[2].clone()), None),
        (Finding::ChipNotProven, None),
        (Finding::NoCloneDetection, None),
        (
            Finding::FileDoesNotParse { file: Ef::Dg(11) },
            Some(Ef::Dg(11)),
        ),
    ];
    for (f, file) in &findings {
        assert_eq!(f.file(), *file, "{f:?}");
    }
    let all: Vec<Finding> = findings.iter().map(|(f, _)| f.clone()).collect();
    distinct("Finding", &all);
    let finding_codes = codes(
        "Finding",
        &all.iter().map(Finding::code).collect::<Vec<_>>(),
    );
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/schema/cccd-document.schema.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let listed: BTreeSet<&str> = schema["$defs"]["finding"]["properties"]["code"]["enum"]
        .as_array()
        .expect("the schema lists the finding codes")
        .iter()
        .filter_map(|c| c.as_str())
        .collect();
    assert_eq!(finding_codes, listed);
}

/// Mutation (document/verdict.rs, `Verification::blocking`: `!=` to `==`): the findings that
/// make a document not genuine are the chip and data ones, never the informative ones; the
/// desk service lists exactly these to the teller.
#[test]
fn the_blocking_findings_are_the_chip_and_data_ones() {
    use cccd::document::Verification;
    let pa = || {
        verify_passive(
            &[],
            &BTreeMap::new(),
            &TrustStore::new(),
            &PaOptions::default(),
        )
    };
    let v = Verification::from_parts(
        pa(),
        ChipAuthVerdict::Trusted,
        ActiveAuthVerdict::Trusted,
        vec![
            Finding::NoCloneDetection,
            Finding::ChipNotProven,
            Finding::ChainUntrusted,
        ],
    );
    let blocking: Vec<&str> = v.blocking().map(Finding::code).collect();
    assert_eq!(blocking, ["chain_untrusted", "chip_not_proven"]);
    assert!(!v.genuine && !v.data_authentic);
    let info_only = Verification::from_parts(
        pa(),
        ChipAuthVerdict::Trusted,
        ActiveAuthVerdict::Trusted,
        vec![Finding::NoCloneDetection, Finding::BacOnPaceChipAccepted],
    );
    assert_eq!(info_only.blocking().count(), 0);
    assert!(info_only.genuine);
}

/// Mutations (pki/signature.rs, `from_algorithm_identifier`: each arm deleted): every signature
/// algorithm of ICAO 9303-12 §4.1 and BSI TR-03111 §5.2.1 is read as itself from its registered
/// OID, written here from the documents that register it (RFC 8017 App. C and RFC 4055 §5 for
/// RSA, RFC 5758 §3.2 and X9.62 for ECDSA, BSI TR-03111 §5.2.1 for plain ECDSA, RFC 3279 §2.2.2
/// and NIST's CSOR for DSA), not copied from the crate's table. A bare key-type OID
/// (rsaEncryption, id-ecPublicKey, id-dsa) takes the SignerInfo's digest, and without one it is
/// refused.
#[test]
fn every_signature_algorithm_oid_is_read_as_itself() {
    use cccd::lds::sod::HashAlgorithm::{Sha1, Sha224, Sha256, Sha384, Sha512};
    use SignatureAlgorithm as S;
    let alg = |oid: &str| AlgorithmIdentifier {
        oid: const_oid::ObjectIdentifier::new_unwrap(oid),
        parameters: None,
    };
    let named = [
        ("1.2.840.113549.1.1.5", S::RsaPkcs1v15(Sha1)),
        ("1.2.840.113549.1.1.14", S::RsaPkcs1v15(Sha224)),
        ("1.2.840.113549.1.1.11", S::RsaPkcs1v15(Sha256)),
        ("1.2.840.113549.1.1.12", S::RsaPkcs1v15(Sha384)),
        ("1.2.840.113549.1.1.13", S::RsaPkcs1v15(Sha512)),
        ("1.2.840.10045.4.1", S::Ecdsa(Sha1)),
        ("1.2.840.10045.4.3.1", S::Ecdsa(Sha224)),
        ("1.2.840.10045.4.3.2", S::Ecdsa(Sha256)),
        ("1.2.840.10045.4.3.3", S::Ecdsa(Sha384)),
        ("1.2.840.10045.4.3.4", S::Ecdsa(Sha512)),
        ("0.4.0.127.0.7.1.1.4.1.1", S::EcdsaPlain(Sha1)),
        ("0.4.0.127.0.7.1.1.4.1.2", S::EcdsaPlain(Sha224)),
        ("0.4.0.127.0.7.1.1.4.1.3", S::EcdsaPlain(Sha256)),
        ("0.4.0.127.0.7.1.1.4.1.4", S::EcdsaPlain(Sha384)),
        ("0.4.0.127.0.7.1.1.4.1.5", S::EcdsaPlain(Sha512)),
        ("1.2.840.10040.4.3", S::Dsa(Sha1)),
        ("2.16.840.1.101.3.4.3.1", S::Dsa(Sha224)),
        ("2.16.840.1.101.3.4.3.2", S::Dsa(Sha256)),
        ("2.16.840.1.101.3.4.3.3", S::Dsa(Sha384)),
        ("2.16.840.1.101.3.4.3.4", S::Dsa(Sha512)),
    ];
    for (oid, expected) in named {
        // The SignerInfo's digest never overrides an algorithm that names its own hash.
        for digest in [None, Some(Sha512), Some(Sha1)] {
            assert_eq!(
                SignatureAlgorithm::from_algorithm_identifier(&alg(oid), digest),
                Ok(expected),
                "{oid} with {digest:?}"
            );
        }
    }
    let key_types = [
        ("1.2.840.113549.1.1.1", S::RsaPkcs1v15 as fn(_) -> _),
        ("1.2.840.10045.2.1", S::Ecdsa),
        ("1.2.840.10040.4.1", S::Dsa),
    ];
    for (oid, with) in key_types {
        for digest in [Sha1, Sha256, Sha384] {
            assert_eq!(
                SignatureAlgorithm::from_algorithm_identifier(&alg(oid), Some(digest)),
                Ok(with(digest)),
                "{oid} with {digest:?}"
            );
        }
        assert_eq!(
            SignatureAlgorithm::from_algorithm_identifier(&alg(oid), None),
            Err(SignatureError::UnsupportedAlgorithm(
                const_oid::ObjectIdentifier::new_unwrap(oid)
            )),
            "{oid} without a digest"
        );
    }
    // Each is named in reports in words of its own (pki/signature.rs's `Display`).
    let mut texts: Vec<String> = named.iter().map(|(_, a)| a.to_string()).collect();
    texts.push(
        SignatureAlgorithm::from_algorithm_identifier(&pss_params(32), None)
            .unwrap()
            .to_string(),
    );
    let distinct: std::collections::BTreeSet<&String> = texts.iter().collect();
    assert_eq!(distinct.len(), texts.len(), "{texts:?}");
    assert!(texts.iter().all(|t| t.contains("SHA")), "{texts:?}");
    // md5WithRSAEncryption (RFC 8017 App. C): not an ICAO algorithm.
    assert!(matches!(
        SignatureAlgorithm::from_algorithm_identifier(&alg("1.2.840.113549.1.1.4"), Some(Sha256)),
        Err(SignatureError::UnsupportedAlgorithm(_))
    ));
}

/// The ID number a bank keys its customer on: DG13's when DG13 was read, else the one in DG1's
/// optional data (the CCCD's MRZ), and none without either.
#[test]
fn the_id_number_comes_from_dg13_else_from_dg1() {
    use cccd::files::ElementaryFile;
    let card = Card::new(Profile::Cccd, 5);
    let id = card.persona().id_number.clone();
    let content = |file: ElementaryFile| card.files().content(file.fid()).unwrap().to_vec();
    let dg1 = content(ElementaryFile::Dg(1));
    let mut dg13 = content(ElementaryFile::Dg(13));
    let at = dg13
        .windows(id.len())
        .position(|w| w == id.as_bytes())
        .unwrap();
    dg13[at..at + id.len()].copy_from_slice(b"098765432109");
    let both = Document::from_files([("DG1", dg1.clone()), ("DG13", dg13)]).unwrap();
    assert_eq!(both.id_number(), Some("098765432109"));
    let dg1_only = Document::from_files([("DG1", dg1)]).unwrap();
    assert_eq!(dg1_only.id_number(), Some(id.as_str()));
    let neither = Document::from_files([("COM", content(ElementaryFile::Com))]).unwrap();
    assert_eq!(neither.id_number(), None);
}

/// A session printed in a log names its protocol, never the access key it was opened with.
#[test]
fn a_session_prints_its_protocol_never_its_access_key() {
    let card = Card::new(Profile::Cccd, 11);
    let id = card.persona().id_number.clone();
    let key = AccessKey::can_from_id(&id).unwrap();
    let session = Reader::new(SimTransport::new(card)).open(&key).unwrap();
    let printed = format!("{session:?}");
    assert!(printed.starts_with("Session"), "{printed}");
    assert!(printed.contains("Pace"), "{printed}");
    assert!(!printed.contains(&id[id.len() - 6..]), "{printed}");
}
