//! Regression tests of issue #10's trust-store and chain items (4, 5, 7, 8, 9), each named
//! after its item. Each builds the attack it guards against, from the shared real data where
//! possible, otherwise from certificates and SignedData written here with a small DER writer
//! of its own (independent of the library's parsers) and signed with the BSI specimen's
//! RSA-1024 key (`bsi-tr03105-5/DG15_sk.pkcs8`, RSASSA-PKCS1-v1_5 with SHA-256).
// Uses the primitives (tlv, crypto, the protocol steps): feature `internals`.
#![cfg(feature = "internals")]

use cccd::pki::master_list::MasterListError;
use cccd::pki::signature::{KeyError, SignatureError};
use cccd::pki::{Certificate, SignerFailure};
use cccd::verify::*;
use const_oid::ObjectIdentifier;
use std::collections::BTreeMap;

fn td(p: &str) -> Vec<u8> {
    let path = format!("{}/../shared/test-data/{p}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn cert(p: &str) -> Certificate {
    Certificate::from_der(&td(p)).unwrap()
}

const DE_ML: &str = "real-world/trust/DE_ML_2026-05-28-08-28-45.ml";
const NL_ML: &str = "real-world/trust/NL_ML_2026-07-22.ml";
const DE_ROOT: &str = "real-world/trust/DE_ROOT_CA_CSCA07.cer";
const NL_ROOT: &str = "real-world/trust/NL_ROOT_CA.cer";

fn at(date: &str) -> PaOptions {
    PaOptions::default().at(Time::parse_date(date).unwrap())
}

// ---- a DER writer of this test's own (X.690 definite lengths) ----

fn tlv(tag: u8, value: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let n = value.len();
    if n < 0x80 {
        out.push(n as u8);
    } else if n < 0x100 {
        out.extend([0x81, n as u8]);
    } else {
        out.extend([0x82, (n >> 8) as u8, n as u8]);
    }
    out.extend_from_slice(value);
    out
}

fn seq(parts: &[&[u8]]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

fn set(parts: &[&[u8]]) -> Vec<u8> {
    tlv(0x31, &parts.concat())
}

fn oid_der(s: &str) -> Vec<u8> {
    tlv(0x06, ObjectIdentifier::new_unwrap(s).as_bytes())
}

fn int(v: &[u8]) -> Vec<u8> {
    tlv(0x02, v)
}

fn octets(v: &[u8]) -> Vec<u8> {
    tlv(0x04, v)
}

fn utc(s: &str) -> Vec<u8> {
    tlv(0x17, s.as_bytes())
}

/// `C=<c>, CN=<cn>`, PrintableString values.
fn name(c: &str, cn: &str) -> Vec<u8> {
    seq(&[
        &set(&[&seq(&[&oid_der("2.5.4.6"), &tlv(0x13, c.as_bytes())])]),
        &set(&[&seq(&[&oid_der("2.5.4.3"), &tlv(0x13, cn.as_bytes())])]),
    ])
}

fn sha256_with_rsa() -> Vec<u8> {
    seq(&[&oid_der("1.2.840.113549.1.1.11"), &[0x05, 0x00]])
}

fn sha256() -> Vec<u8> {
    seq(&[&oid_der("2.16.840.1.101.3.4.2.1")])
}

fn key() -> rsa::PrivateKey {
    use rsa::pkcs8::DecodePrivateKey;
    rsa::PrivateKey::from_pkcs8_der(&td("bsi-tr03105-5/DG15_sk.pkcs8")).unwrap()
}

/// RSASSA-PKCS1-v1_5 with SHA-1 (RFC 8017 §8.2.1).
fn sign_sha1(message: &[u8]) -> Vec<u8> {
    use rsa::signature::{SignatureEncoding, Signer};
    let sk = rsa::pkcs1v15::SigningKey::<sha1::Sha1>::new(key());
    sk.sign(message).to_vec()
}

/// RSASSA-PKCS1-v1_5 with SHA-256 (RFC 8017 §8.2.1).
fn sign(message: &[u8]) -> Vec<u8> {
    use rsa::signature::{SignatureEncoding, Signer};
    let sk = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(key());
    sk.sign(message).to_vec()
}

fn digest(data: &[u8]) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(data).to_vec()
}

struct CertSpec<'a> {
    serial: u8,
    issuer: &'a [u8],
    subject: &'a [u8],
    not_before: &'a str,
    not_after: &'a str,
    /// basicConstraints cA.
    ca: bool,
    /// keyUsage: digitalSignature (0x80) and/or keyCertSign (0x04) in the first octet.
    key_usage: u8,
    ski: &'a [u8],
    aki: &'a [u8],
    eku: Option<&'a str>,
}

/// An X.509 v3 certificate (RFC 5280 §4.1) for the specimen's public key.
fn certificate(s: &CertSpec) -> Vec<u8> {
    let spki = td("bsi-tr03105-5/DG15_pk.bin");
    let ext = |id: &str, critical: bool, value: &[u8]| {
        if critical {
            seq(&[&oid_der(id), &[0x01, 0x01, 0xFF], &octets(value)])
        } else {
            seq(&[&oid_der(id), &octets(value)])
        }
    };
    let bc = if s.ca {
        seq(&[&[0x01, 0x01, 0xFF]])
    } else {
        seq(&[])
    };
    let mut exts = vec![
        ext("2.5.29.19", true, &bc),
        ext("2.5.29.15", true, &tlv(0x03, &[0x01, s.key_usage])),
        ext("2.5.29.14", false, &octets(s.ski)),
        ext("2.5.29.35", false, &seq(&[&tlv(0x80, s.aki)])),
    ];
    if let Some(eku) = s.eku {
        exts.push(ext("2.5.29.37", false, &seq(&[&oid_der(eku)])));
    }
    let tbs = seq(&[
        &tlv(0xA0, &int(&[2])),
        &int(&[s.serial]),
        &sha256_with_rsa(),
        s.issuer,
        &seq(&[&utc(s.not_before), &utc(s.not_after)]),
        s.subject,
        &spki,
        &tlv(
            0xA3,
            &seq(&exts.iter().map(Vec::as_slice).collect::<Vec<_>>()),
        ),
    ]);
    let sig = sign(&tbs);
    let mut bits = vec![0];
    bits.extend(sig);
    seq(&[&tbs, &sha256_with_rsa(), &tlv(0x03, &bits)])
}

/// How a test SignerInfo deviates from ICAO 9303-10.
#[derive(Clone, Copy, Default)]
struct Deviation {
    no_signed_attributes: bool,
    two_message_digests: bool,
    second_signer_info_forged: bool,
    /// The (only) SignerInfo's signature has one bit flipped.
    first_signer_info_forged: bool,
    /// signerInfos is an empty SET: nobody signed.
    no_signer_infos: bool,
    /// The signer's certificate is not embedded (found in a PKD set instead).
    omit_certificates: bool,
    /// SHA-1 digest and sha1WithRSAEncryption instead of SHA-256.
    sha1: bool,
}

/// A ContentInfo holding a SignedData over `content` (eContentType `content_type`), signed by
/// the specimen key, naming `signer` by issuer and serial and embedding it.
fn signed_data(
    content_type: &str,
    content: &[u8],
    signer: &[u8],
    extra_certificates: &[&[u8]],
    d: Deviation,
) -> Vec<u8> {
    let c = Certificate::from_der(signer).unwrap();
    let ct = oid_der(content_type);
    let (digest_alg, sig_alg) = if d.sha1 {
        (
            seq(&[&oid_der("1.3.14.3.2.26")]),
            seq(&[&oid_der("1.2.840.113549.1.1.5"), &[0x05, 0x00]]),
        )
    } else {
        (sha256(), sha256_with_rsa())
    };
    let sign = |m: &[u8]| if d.sha1 { sign_sha1(m) } else { sign(m) };
    let md = if d.sha1 {
        use sha1::Digest;
        sha1::Sha1::digest(content).to_vec()
    } else {
        digest(content)
    };
    let mut md_values = octets(&md);
    if d.two_message_digests {
        md_values.extend(octets(&md));
    }
    let attrs = [
        seq(&[&oid_der("1.2.840.113549.1.9.3"), &set(&[&ct])]),
        seq(&[
            &oid_der("1.2.840.113549.1.9.5"),
            &set(&[&utc("250101000000Z")]),
        ]),
        seq(&[&oid_der("1.2.840.113549.1.9.4"), &tlv(0x31, &md_values)]),
    ];
    let signed_attrs = set(&attrs.iter().map(Vec::as_slice).collect::<Vec<_>>());
    let sid = seq(&[&c.issuer.raw, &int(&c.serial)]);
    let signer_info = |signature: &[u8]| {
        if d.no_signed_attributes {
            seq(&[&int(&[1]), &sid, &digest_alg, &sig_alg, &octets(signature)])
        } else {
            let mut a0 = signed_attrs.clone();
            a0[0] = 0xA0;
            seq(&[
                &int(&[1]),
                &sid,
                &digest_alg,
                &a0,
                &sig_alg,
                &octets(signature),
            ])
        }
    };
    let good = if d.no_signed_attributes {
        sign(content)
    } else {
        sign(&signed_attrs)
    };
    let mut infos = if d.first_signer_info_forged {
        let mut forged = good.clone();
        forged[10] ^= 1;
        signer_info(&forged)
    } else {
        signer_info(&good)
    };
    if d.no_signer_infos {
        infos.clear();
    }
    if d.second_signer_info_forged {
        let mut forged = good.clone();
        forged[10] ^= 1;
        infos.extend(signer_info(&forged));
    }
    let certificates = if d.omit_certificates {
        Vec::new()
    } else {
        tlv(0xA0, &[signer, &extra_certificates.concat()].concat())
    };
    let sd = seq(&[
        &int(&[3]),
        &set(&[&digest_alg]),
        &seq(&[&ct, &tlv(0xA0, &octets(content))]),
        &certificates,
        &tlv(0x31, &infos),
    ]);
    seq(&[&oid_der("1.2.840.113549.1.7.2"), &tlv(0xA0, &sd)])
}

/// EF.SOD (tag 77) over DG1 = `dg1`, SHA-256.
fn sod(dg1: &[u8], signer: &[u8], d: Deviation) -> Vec<u8> {
    let lso = seq(&[
        &int(&[0]),
        &sha256(),
        &seq(&[
            &seq(&[&int(&[1]), &octets(&digest(dg1))]),
            &seq(&[&int(&[2]), &octets(&digest(b"DG2"))]),
        ]),
    ]);
    tlv(0x77, &signed_data("2.23.136.1.1.1", &lso, signer, &[], d))
}

/// A test country `ZZ`: a self-signed CSCA (cA, keyCertSign) and a DSC it issued.
fn test_csca() -> Vec<u8> {
    let n = name("ZZ", "Test CSCA");
    certificate(&CertSpec {
        serial: 1,
        issuer: &n,
        subject: &n,
        not_before: "200101000000Z",
        not_after: "400101000000Z",
        ca: true,
        key_usage: 0x06,
        ski: b"csca",
        aki: b"csca",
        eku: None,
    })
}

fn test_dsc(issuer: &[u8], aki: &[u8]) -> Vec<u8> {
    certificate(&CertSpec {
        serial: 2,
        issuer,
        subject: &name("ZZ", "Test DSC"),
        not_before: "240101000000Z",
        not_after: "350101000000Z",
        ca: false,
        key_usage: 0x80,
        ski: b"dsc",
        aki,
        eku: None,
    })
}

fn store_with(certs: &[&[u8]]) -> TrustStore {
    let mut t = TrustStore::new();
    for c in certs {
        t.add_certificate_der(c).unwrap();
    }
    t
}

const DG1: &[u8] = b"DG1 of a test document";

fn verify(sod: &[u8], trust: &TrustStore) -> PassiveAuthReport {
    verify_passive(
        sod,
        &BTreeMap::from([(1, DG1.to_vec())]),
        trust,
        &at("2026-01-01"),
    )
}

#[test]
fn builder_baseline_is_genuine() {
    // The positive control for every forgery below.
    let csca = test_csca();
    let dsc = test_dsc(&name("ZZ", "Test CSCA"), b"csca");
    let r = verify(&sod(DG1, &dsc, Deviation::default()), &store_with(&[&csca]));
    assert_eq!(r.sod_signature, SignatureVerdict::Valid, "{:?}", r.warnings);
    assert_eq!(r.chain, ChainVerdict::Valid);
    assert!(r.is_genuine());
}

// ---- item 4: the master-list signer is constrained ----

/// A master list of `entries`, signed under `signer`.
fn master_list(entries: &[&[u8]], signer: &[u8]) -> Vec<u8> {
    let content = seq(&[&int(&[0]), &set(entries)]);
    signed_data(
        "2.23.136.1.1.2",
        &content,
        signer,
        &[],
        Deviation::default(),
    )
}

#[test]
fn item4_master_list_signer_needs_the_icao_extended_key_usage() {
    let csca = test_csca();
    let csca_name = name("ZZ", "Test CSCA");
    let fake_anchor = certificate(&CertSpec {
        serial: 9,
        issuer: &name("XX", "Anchor injected by a DSC"),
        subject: &name("XX", "Anchor injected by a DSC"),
        not_before: "200101000000Z",
        not_after: "400101000000Z",
        ca: true,
        key_usage: 0x06,
        ski: b"x",
        aki: b"x",
        eku: None,
    });
    // A Document Signer (no EKU) signs a "master list": a country CSCA given as the signer
    // root certifies it, but a DSC key must never mint trust anchors.
    let dsc = test_dsc(&csca_name, b"csca");
    let roots = [Certificate::from_der(&csca).unwrap()];
    let forged = master_list(&[&fake_anchor], &dsc);
    let mut t = TrustStore::new();
    assert_eq!(
        t.add_master_list(&forged, &roots).unwrap_err(),
        TrustError::MasterListUntrusted(MasterListError::SignerNotMasterListSigner)
    );
    assert!(t.certificates().is_empty());

    // The same list signed by a proper master-list signer is used.
    let ml_signer = certificate(&CertSpec {
        serial: 3,
        issuer: &csca_name,
        subject: &name("ZZ", "Master List Signer"),
        not_before: "240101000000Z",
        not_after: "350101000000Z",
        ca: false,
        key_usage: 0x80,
        ski: b"mls",
        aki: b"csca",
        eku: Some("2.23.136.1.1.3"),
    });
    let genuine = master_list(&[&fake_anchor], &ml_signer);
    let report = t.add_master_list(&genuine, &roots).unwrap();
    assert!(report.signature_verified);
    assert_eq!(t.certificates().len(), 1);

    // A signer certified through a non-CA intermediate does not chain.
    let not_a_ca = certificate(&CertSpec {
        serial: 4,
        issuer: &csca_name,
        subject: &name("ZZ", "Not a CA"),
        not_before: "240101000000Z",
        not_after: "350101000000Z",
        ca: false,
        key_usage: 0x84,
        ski: b"nca",
        aki: b"csca",
        eku: None,
    });
    let signer_under_it = certificate(&CertSpec {
        serial: 5,
        issuer: &name("ZZ", "Not a CA"),
        subject: &name("ZZ", "Master List Signer 2"),
        not_before: "240101000000Z",
        not_after: "350101000000Z",
        ca: false,
        key_usage: 0x80,
        ski: b"mls2",
        aki: b"nca",
        eku: Some("2.23.136.1.1.3"),
    });
    let content = seq(&[&int(&[0]), &set(&[&fake_anchor])]);
    let fixed = signed_data(
        "2.23.136.1.1.2",
        &content,
        &signer_under_it,
        &[&not_a_ca],
        Deviation::default(),
    );
    let err = TrustStore::new()
        .add_master_list(&fixed, &roots)
        .unwrap_err();
    assert!(
        matches!(
            err,
            TrustError::MasterListUntrusted(MasterListError::NoChainToRoot { .. })
        ),
        "{err}"
    );
}

#[test]
fn item4_master_list_without_signer_root_needs_the_named_opt_in() {
    let mut t = TrustStore::new();
    assert_eq!(
        t.add_master_list(&td(NL_ML), &[]).unwrap_err(),
        TrustError::MasterListUntrusted(MasterListError::NoSignerRoot)
    );
    assert!(t.certificates().is_empty());
    // Whose signature fails: the DE list's content with one byte changed.
    let mut tampered = td(DE_ML);
    let n = tampered.len();
    tampered[n / 2] ^= 1;
    assert!(TrustStore::new()
        .add_master_list(&tampered, &[cert(DE_ROOT)])
        .is_err());
    // The opt-in is named, and the report says the list was not verified.
    let r = t
        .danger_accept_unverified_master_lists()
        .add_master_list(&td(NL_ML), &[])
        .unwrap();
    assert!(!r.signature_verified);
    assert!(!t.certificates().is_empty());
}

// ---- item 5: issuers are CAs with keyCertSign; PKD DSCs never issue; link validity ----

#[test]
fn item5_issuer_must_be_a_ca_with_key_cert_sign() {
    // A Document Signer certificate in the trust store "issues" a DSC.
    let dsc_as_issuer = test_dsc(&name("ZZ", "Test CSCA"), b"csca");
    let child = certificate(&CertSpec {
        serial: 7,
        issuer: &name("ZZ", "Test DSC"),
        subject: &name("ZZ", "Minted DSC"),
        not_before: "240101000000Z",
        not_after: "350101000000Z",
        ca: false,
        key_usage: 0x80,
        ski: b"minted",
        aki: b"dsc",
        eku: None,
    });
    let r = verify(
        &sod(DG1, &child, Deviation::default()),
        &store_with(&[&dsc_as_issuer]),
    );
    assert_eq!(r.sod_signature, SignatureVerdict::Valid);
    assert_eq!(
        r.chain,
        ChainVerdict::Invalid {
            reason: ChainFailure::IssuerNotCa {
                issuer: "C=ZZ, CN=Test DSC".into()
            }
        }
    );
    assert!(!r.is_genuine());
}

#[test]
fn item5_pkd_document_signers_are_never_issuers() {
    let csca = test_csca();
    let ldif = format!(
        "version: 1\n\ndn: cn=csca-as-usercertificate,o=dsc\nuserCertificate;binary:: {}\n",
        b64(&csca)
    );
    let mut t = TrustStore::new();
    let r = t.add_ldif(ldif.as_bytes()).unwrap();
    assert_eq!(r.document_signers_added, 1);
    assert!(t.certificates().is_empty());
    let dsc = test_dsc(&name("ZZ", "Test CSCA"), b"csca");
    let rep = verify(&sod(DG1, &dsc, Deviation::default()), &t);
    assert!(
        matches!(rep.chain, ChainVerdict::Untrusted { .. }),
        "{:?}",
        rep.chain
    );
    // A PKD DSC does serve to find the signer of an SOD that does not embed it.
    let mut u = TrustStore::new();
    u.add_certificate_der(&csca).unwrap();
    let ldif = format!(
        "version: 1\n\ndn: cn=dsc,o=dsc\nuserCertificate;binary:: {}\n",
        b64(&dsc)
    );
    u.add_ldif(ldif.as_bytes()).unwrap();
    let without_dsc = sod(
        DG1,
        &dsc,
        Deviation {
            omit_certificates: true,
            ..Deviation::default()
        },
    );
    let rep = verify(&without_dsc, &u);
    assert_eq!(rep.sod_signature, SignatureVerdict::Valid);
    assert_eq!(rep.chain, ChainVerdict::Valid);
}

fn b64(data: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn item5_link_certificate_must_be_valid_when_the_dsc_was_issued() {
    let csca = test_csca();
    let csca_name = name("ZZ", "Test CSCA");
    // A link certificate: the same name, a new key identifier, certified by the old key,
    // valid 2020..2023 only.
    let link = certificate(&CertSpec {
        serial: 8,
        issuer: &csca_name,
        subject: &csca_name,
        not_before: "200101000000Z",
        not_after: "230101000000Z",
        ca: true,
        key_usage: 0x06,
        ski: b"link",
        aki: b"csca",
        eku: None,
    });
    // The DSC (issued 2024) names the link's key.
    let dsc = test_dsc(&csca_name, b"link");
    let r = verify(
        &sod(DG1, &dsc, Deviation::default()),
        &store_with(&[&csca, &link]),
    );
    assert_eq!(
        r.chain,
        ChainVerdict::Invalid {
            reason: ChainFailure::LinkCertificateNotValidAtIssuance {
                dsc_issued: Time::parse_date("2024-01-01").unwrap()
            }
        }
    );
    // The same link valid until 2030 carries the chain.
    let link_ok = certificate(&CertSpec {
        serial: 8,
        issuer: &csca_name,
        subject: &csca_name,
        not_before: "200101000000Z",
        not_after: "300101000000Z",
        ca: true,
        key_usage: 0x06,
        ski: b"link",
        aki: b"csca",
        eku: None,
    });
    let r = verify(
        &sod(DG1, &dsc, Deviation::default()),
        &store_with(&[&csca, &link_ok]),
    );
    assert_eq!(r.chain, ChainVerdict::Valid);
}

/// `C=ZZ, CN=Test CSCA`, a CA certificate under that name (issued under the same name) with
/// the given basicConstraints cA, keyUsage and key identifiers, valid 2020 to `not_after`.
fn zz_ca(serial: u8, ca: bool, key_usage: u8, ski: &[u8], aki: &[u8], not_after: &str) -> Vec<u8> {
    let n = name("ZZ", "Test CSCA");
    certificate(&CertSpec {
        serial,
        issuer: &n,
        subject: &n,
        not_before: "200101000000Z",
        not_after,
        ca,
        key_usage,
        ski,
        aki,
        eku: None,
    })
}

/// The chain verdict of a test SOD signed by a DSC under `C=ZZ, CN=Test CSCA` whose
/// authorityKeyIdentifier is `aki`, against a trust store holding `store`.
fn zz_chain(aki: &[u8], store: &[&[u8]]) -> ChainVerdict {
    let dsc = test_dsc(&name("ZZ", "Test CSCA"), aki);
    verify(&sod(DG1, &dsc, Deviation::default()), &store_with(store)).chain
}

/// Mutation (chain.rs, `may_issue`: `&&` to `||`): an issuer needs both basicConstraints
/// cA and keyUsage keyCertSign (RFC 5280 §4.2.1.3, §4.2.1.9); either alone issues nothing.
#[test]
fn item5_an_issuer_needs_both_ca_and_key_cert_sign() {
    let not_ca = ChainVerdict::Invalid {
        reason: ChainFailure::IssuerNotCa {
            issuer: "C=ZZ, CN=Test CSCA".into(),
        },
    };
    // cRLSign without keyCertSign; keyCertSign on a certificate that is not a CA.
    for (ca, key_usage) in [(true, 0x02), (false, 0x06)] {
        let issuer = zz_ca(1, ca, key_usage, b"csca", b"csca", "400101000000Z");
        assert_eq!(
            zz_chain(b"csca", &[&issuer]),
            not_ca,
            "cA {ca}, keyUsage {key_usage:#04x}"
        );
    }
    // Both: the test CSCA itself.
    assert_eq!(zz_chain(b"csca", &[&test_csca()]), ChainVerdict::Valid);
}

/// Mutations (chain.rs, `link_to_anchor`): a link certificate (a new CSCA key certified by
/// the old one under the same name, ICAO 9303-12 §7.1.2) carries a DSC only when its own
/// signature verifies under a certificate of the trust store that may issue, and that one
/// is a self-signed CSCA or a link that reaches one in turn. Every certificate here holds the
/// same test key; the key identifiers tell them apart, as they tell real CSCA keys apart.
#[test]
fn item5_a_link_certificate_must_reach_a_self_signed_csca() {
    let unverified = ChainVerdict::Invalid {
        reason: ChainFailure::LinkCertificateUnverified {
            link: "C=ZZ, CN=Test CSCA".into(),
        },
    };
    let link = zz_ca(8, true, 0x06, b"link", b"csca", "300101000000Z");
    // Beside the self-signed CSCA that certified it, the link carries the chain.
    assert_eq!(
        zz_chain(b"link", &[&test_csca(), &link]),
        ChainVerdict::Valid
    );
    // Alone, nothing vouches for the new key.
    assert_eq!(zz_chain(b"link", &[&link]), unverified);
    // The old key's certificate may not issue: a CA without keyCertSign, or not a CA.
    for (ca, key_usage) in [(true, 0x02), (false, 0x06)] {
        let old = zz_ca(1, ca, key_usage, b"csca", b"csca", "400101000000Z");
        assert_eq!(
            zz_chain(b"link", &[&old, &link]),
            unverified,
            "cA {ca}, keyUsage {key_usage:#04x}"
        );
    }
    // The link's signature is broken (one bit of it flipped); its key still verifies the DSC.
    let mut broken = link.clone();
    *broken.last_mut().unwrap() ^= 1;
    assert_eq!(zz_chain(b"link", &[&test_csca(), &broken]), unverified);
    // Through a second link certified by a key no store holds: the two links vouch for each
    // other, and that is not a chain (the search also stops at its depth limit).
    let middle = zz_ca(9, true, 0x06, b"mid", b"gone", "300101000000Z");
    let via_middle = zz_ca(8, true, 0x06, b"link", b"mid", "300101000000Z");
    assert_eq!(zz_chain(b"link", &[&middle, &via_middle]), unverified);
    // The second link certified by the self-signed CSCA: the chain holds.
    let middle_ok = zz_ca(9, true, 0x06, b"mid", b"csca", "300101000000Z");
    assert_eq!(
        zz_chain(b"link", &[&test_csca(), &middle_ok, &via_middle]),
        ChainVerdict::Valid
    );
}

/// Mutation (chain.rs, the candidates' order): when a DSC verifies under both a self-signed
/// CSCA and a link certificate for the same key (a re-issued CSCA certificate, ICAO
/// 9303-12 §7.1.2), the self-signed CSCA is tried first: a link that had expired when the
/// DSC was issued must not fail a chain that the CSCA itself carries.
#[test]
fn item5_a_self_signed_csca_is_tried_before_a_link_for_the_same_key() {
    let expired_link = zz_ca(8, true, 0x06, b"csca", b"old", "230101000000Z");
    for store in [
        [test_csca(), expired_link.clone()],
        [expired_link.clone(), test_csca()],
    ] {
        assert_eq!(
            zz_chain(b"csca", &[&store[0], &store[1]]),
            ChainVerdict::Valid
        );
    }
    // Alone, the expired link fails the chain: the order above is what kept it out.
    assert_eq!(
        zz_chain(b"csca", &[&expired_link]),
        ChainVerdict::Invalid {
            reason: ChainFailure::LinkCertificateNotValidAtIssuance {
                dsc_issued: Time::parse_date("2024-01-01").unwrap()
            }
        }
    );
}

// ---- item 7: RFC 5280 §7.1 names; the only embedded certificate ----

fn de_trust() -> TrustStore {
    let mut t = TrustStore::new();
    t.add_master_list(&td(DE_ML), &[cert(DE_ROOT)]).unwrap();
    t
}

#[test]
fn item7_sid_with_reordered_rdns_verifies_like_malaysia() {
    // FR's SignerInfo names its DSC by issuerAndSerialNumber; the issuer is
    // C=FR, O=Gouv, CN=CSCA-FRANCE. Reverse the three RDNs of the sid (the signature does
    // not cover the sid): the name no longer matches the embedded DSC's issuer.
    let original = td("real-world/sod/FR.sod");
    let parsed = cccd::lds::sod::Sod::parse(&original).unwrap();
    let cccd::lds::sod::SignerIdentifier::IssuerAndSerialNumber { issuer, .. } =
        &parsed.signer_infos[0].sid
    else {
        panic!("FR's sid is issuerAndSerialNumber");
    };
    let raw = issuer.raw.clone();
    // Split the Name's content into its RDN SETs and reverse them.
    let content = &raw[2..];
    let mut rdns = Vec::new();
    let mut i = 0;
    while i < content.len() {
        let l = 2 + content[i + 1] as usize;
        rdns.push(&content[i..i + l]);
        i += l;
    }
    assert_eq!(rdns.len(), 3);
    rdns.reverse();
    let mut reordered = raw[..2].to_vec();
    reordered.extend(rdns.concat());
    assert_ne!(reordered, raw);
    // The DSC's own issuer (inside its signed TBS) appears first; the sid's copy is the
    // last occurrence.
    let pos = original
        .windows(raw.len())
        .rposition(|w| w == raw.as_slice())
        .unwrap();
    let mut forged_sid = original.clone();
    forged_sid[pos..pos + raw.len()].copy_from_slice(&reordered);

    let r = verify_passive(
        &forged_sid,
        &BTreeMap::new(),
        &de_trust(),
        &PaOptions::default(),
    );
    assert_eq!(r.sod_signature, SignatureVerdict::Valid, "{:?}", r.warnings);
    assert_eq!(r.chain, ChainVerdict::Valid);
    assert!(r.warnings.contains(&Warning::SignerOnlyEmbeddedCertificate));
}

#[test]
fn item7_trust_list_self_issued_ignores_string_types() {
    // Count independently of our Name: decode with x509-cert and compare attribute values
    // as bytes, ignoring the string tag (exact), and ignoring ASCII case too.
    use der::Decode;
    let mut identical = 0;
    let mut type_only = 0;
    let mut case_only = 0;
    let mut ours = 0;
    for (ml, root) in [(DE_ML, DE_ROOT), (NL_ML, NL_ROOT)] {
        let mut t = TrustStore::new();
        t.add_master_list(&td(ml), &[cert(root)]).unwrap();
        ours += t.summaries().iter().filter(|s| s.self_issued).count();
        for c in t.certificates() {
            let x = x509_cert::Certificate::from_der(&c.raw).unwrap();
            let tbs = x.tbs_certificate();
            let flat = |n: &x509_cert::name::Name| -> Vec<(ObjectIdentifier, Vec<u8>)> {
                n.iter()
                    .map(|a| (a.oid, a.value.value().to_vec()))
                    .collect()
            };
            let (i, s) = (flat(tbs.issuer()), flat(tbs.subject()));
            if tbs.issuer() == tbs.subject() {
                identical += 1;
            } else if i == s {
                type_only += 1;
            } else if i.len() == s.len()
                && i.iter()
                    .zip(&s)
                    .all(|(a, b)| a.0 == b.0 && a.1.eq_ignore_ascii_case(&b.1))
            {
                case_only += 1;
            }
        }
    }
    // shared/test-data/README.md: 920 self-issued certificates in both lists.
    assert_eq!(identical + type_only, 920);
    assert_eq!(type_only, 5);
    // RFC 5280 §7.1 (RFC 4518 caseIgnoreMatch) also folds case: "ro"/"RO", "si"/"SI".
    assert_eq!(case_only, 2);
    assert_eq!(ours, identical + type_only + case_only);
}

// ---- item 8: EF.CardSecurity ----

#[test]
fn item8_de_card_security_verifies_against_the_de_master_list() {
    let r = verify_card_security(
        &td("real-world/sod/DE.cardsecurity"),
        &de_trust(),
        &PaOptions::default(),
    );
    assert_eq!(r.signature, SignatureVerdict::Valid, "{:?}", r.warnings);
    assert_eq!(r.chain, ChainVerdict::Valid, "{:?}", r.warnings);
    assert!(r.is_valid(), "{r:?}");
    assert!(r.security_infos.as_ref().unwrap().pace_infos().count() > 0);
    // Its signer is not in an SOD: `verify_passive` refuses the file (tag 30, not 77).
    let p = verify_passive(
        &td("real-world/sod/DE.cardsecurity"),
        &BTreeMap::new(),
        &de_trust(),
        &PaOptions::default(),
    );
    assert_ne!(p.sod_signature, SignatureVerdict::Valid);
}

// ---- item 9: the smaller CMS and key checks ----

fn zz() -> (Vec<u8>, Vec<u8>) {
    (test_csca(), test_dsc(&name("ZZ", "Test CSCA"), b"csca"))
}

/// The test SOD signed by the ZZ DSC with the deviation `d`, verified against the ZZ CSCA.
fn zz_verify(d: Deviation) -> PassiveAuthReport {
    let (csca, dsc) = zz();
    verify(&sod(DG1, &dsc, d), &store_with(&[&csca]))
}

#[test]
fn item9_signed_attributes_are_required() {
    let r = zz_verify(Deviation {
        no_signed_attributes: true,
        ..Deviation::default()
    });
    assert_eq!(
        r.sod_signature,
        SignatureVerdict::Invalid {
            reason: SignerFailure::NoSignedAttributes
        }
    );
}

#[test]
fn item9_exactly_one_message_digest() {
    let r = zz_verify(Deviation {
        two_message_digests: true,
        ..Deviation::default()
    });
    assert_eq!(
        r.sod_signature,
        SignatureVerdict::Invalid {
            reason: SignerFailure::MessageDigestCount(2)
        }
    );
}

#[test]
fn item9_every_signer_info_is_checked() {
    let r = zz_verify(Deviation {
        second_signer_info_forged: true,
        ..Deviation::default()
    });
    assert_eq!(
        r.sod_signature,
        SignatureVerdict::Invalid {
            reason: SignerFailure::Signature(SignatureError::Invalid)
        }
    );
}

/// Mutation (chain.rs, `check_signers`): a SignedData whose signerInfos SET is empty is
/// signed by nobody; with no SignerInfo to fail, the loop over them ends without an error,
/// and only the "no signer found" guard keeps the signature from counting as valid.
#[test]
fn item9_a_sod_signed_by_nobody_is_not_valid() {
    let r = zz_verify(Deviation {
        no_signer_infos: true,
        ..Deviation::default()
    });
    assert_eq!(
        r.sod_signature,
        SignatureVerdict::Invalid {
            reason: SignerFailure::NoSignerInfo
        }
    );
    assert!(!r.is_genuine());
}

/// Mutation (chain.rs, `check_signers`): the report names the algorithm a SignerInfo claims
/// even when its signature does not verify (the teller's screen says "RSA PKCS#1 v1.5 with
/// SHA-256: invalid", not "unknown algorithm").
#[test]
fn item9_a_forged_signature_still_reports_the_claimed_algorithm() {
    use cccd::crypto::hash::HashAlgorithm;
    use cccd::pki::signature::SignatureAlgorithm;
    let r = zz_verify(Deviation {
        first_signer_info_forged: true,
        ..Deviation::default()
    });
    assert_eq!(
        r.sod_signature,
        SignatureVerdict::Invalid {
            reason: SignerFailure::Signature(SignatureError::Invalid)
        }
    );
    assert_eq!(
        r.signature_algorithm,
        Some(SignatureAlgorithm::RsaPkcs1v15(HashAlgorithm::Sha256))
    );
    // The chain is judged apart from the signature: this DSC's chain holds.
    assert_eq!(r.chain, ChainVerdict::Valid);
    assert!(!r.is_genuine());
}

#[test]
fn item9_a_csca_never_signs_a_sod() {
    let (csca, _) = zz();
    let r = verify(
        &sod(DG1, &csca, Deviation::default()),
        &store_with(&[&csca]),
    );
    assert_eq!(
        r.sod_signature,
        SignatureVerdict::Invalid {
            reason: SignerFailure::SignerIsCa
        }
    );
    assert!(!r.is_genuine());
}

#[test]
fn item9_outer_and_inner_signature_algorithms_must_agree() {
    // FR's DSC: sha256WithRSAEncryption inside the TBS and outside. Change the outer one to
    // sha384WithRSAEncryption (…01 0B -> …01 0C): the TBS, and so the CSCA's signature over
    // it, is untouched.
    let mut sod = td("real-world/sod/FR.sod");
    let parsed = cccd::lds::sod::Sod::parse(&sod).unwrap();
    let dsc_raw = parsed.certificates[0].raw.clone();
    let tbs_len = parsed.certificates[0].tbs_certificate().len();
    let start = sod
        .windows(dsc_raw.len())
        .position(|w| w == dsc_raw.as_slice())
        .unwrap();
    let outer_alg = start + 4 + tbs_len;
    let sha256_rsa = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B];
    let k = sod[outer_alg..]
        .windows(9)
        .position(|w| w == sha256_rsa)
        .unwrap();
    assert!(k < 8, "the outer AlgorithmIdentifier follows the TBS");
    sod[outer_alg + k + 8] = 0x0C;
    let r = verify_passive(&sod, &BTreeMap::new(), &de_trust(), &PaOptions::default());
    assert_eq!(
        r.chain,
        ChainVerdict::Invalid {
            reason: ChainFailure::DscSignatureInvalid(SignatureError::AlgorithmMismatch)
        }
    );
}

#[test]
fn item9_explicit_curve_parameters_of_no_named_curve_are_refused() {
    // secp256k1 (SEC 2 §2.4.1) as explicit parameters: a valid curve, but none of the
    // named curves ICAO issuers use.
    let p =
        hex::decode("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F").unwrap();
    let a = [0u8; 32];
    let mut b = [0u8; 32];
    b[31] = 7;
    let g = hex::decode(
        "0479BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798\
         483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8",
    )
    .unwrap();
    let n =
        hex::decode("00FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141").unwrap();
    let params = seq(&[
        &int(&[1]),
        &seq(&[
            &oid_der("1.2.840.10045.1.1"),
            &int(&[&[0u8][..], &p].concat()),
        ]),
        &seq(&[&octets(&a), &octets(&b)]),
        &octets(&g),
        &int(&n),
        &int(&[1]),
    ]);
    let mut bits = vec![0];
    bits.extend(&g);
    let spki = seq(&[
        &seq(&[&oid_der("1.2.840.10045.2.1"), &params]),
        &tlv(0x03, &bits),
    ]);
    let key = cccd::pki::SubjectPublicKeyInfo::from_der(&spki).unwrap();
    let err = cccd::pki::signature::verify(
        &key,
        SignatureAlgorithm::Ecdsa(cccd::crypto::hash::HashAlgorithm::Sha256),
        b"message",
        &hex::decode("3006020101020101").unwrap(),
    )
    .unwrap_err();
    assert_eq!(err, SignatureError::BadKey(KeyError::UnnamedCurve));
}

#[test]
fn item9_sha1_signatures_are_warned_about() {
    let (csca, dsc) = zz();
    let sha1 = Deviation {
        sha1: true,
        ..Deviation::default()
    };
    let r = verify(&sod(DG1, &dsc, sha1), &store_with(&[&csca]));
    assert_eq!(r.sod_signature, SignatureVerdict::Valid);
    assert!(
        r.warnings.contains(&Warning::Sha1Signature),
        "{:?}",
        r.warnings
    );
    // SHA-256 earns no such warning.
    let r = verify(&sod(DG1, &dsc, Deviation::default()), &store_with(&[&csca]));
    assert!(!r.warnings.contains(&Warning::Sha1Signature));
}

#[test]
fn item9_impossible_dates_are_rejected() {
    assert_eq!(Time::parse_date("2026-02-30"), None);
    assert_eq!(Time::parse_date("2026-04-31"), None);
    assert!(Time::parse_date("2028-02-29").is_some());
}

// ---- robustness of the der-based decoders: a verdict or an error, never a panic ----

/// A xorshift stream (deterministic, no dependency).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn mutated_cms_certificates_and_lists_never_panic() {
    let trust = TrustStore::new().with_vn_csca();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for (file, rounds) in [
        ("real-world/sod/NZ.sod", 300),
        ("real-world/sod/DE.sod", 300),
        ("real-world/sod/DE.cardsecurity", 300),
        ("vn/VN_CSCA_ePassport_2022.cer", 300),
    ] {
        let good = td(file);
        for _ in 0..rounds {
            let mut b = good.clone();
            for _ in 0..1 + rng.next() % 4 {
                let i = (rng.next() as usize) % b.len();
                b[i] ^= 1 << (rng.next() % 8);
            }
            if rng.next().is_multiple_of(8) {
                let cut = (rng.next() as usize) % b.len();
                b.truncate(cut);
            }
            let _ = Certificate::from_der(&b);
            let _ = cccd::pki::CscaMasterList::parse(&b);
            let _ = verify_card_security(&b, &trust, &PaOptions::default());
            let r = verify_passive(&b, &BTreeMap::new(), &trust, &PaOptions::default());
            assert!(!r.is_genuine());
        }
    }
}

/// An RSA SubjectPublicKeyInfo (RFC 3279 §2.3.1) for the big-endian `n` and `e`.
fn rsa_spki(n: &[u8], e: &[u8]) -> cccd::pki::SubjectPublicKeyInfo {
    let int_of = |v: &[u8]| {
        let mut v = v.to_vec();
        if v[0] & 0x80 != 0 {
            v.insert(0, 0);
        }
        int(&v)
    };
    let mut bits = vec![0];
    bits.extend(seq(&[&int_of(n), &int_of(e)]));
    let der = seq(&[
        &seq(&[&oid_der("1.2.840.113549.1.1.1"), &[0x05, 0x00]]),
        &tlv(0x03, &bits),
    ]);
    cccd::pki::SubjectPublicKeyInfo::from_der(&der).unwrap()
}

/// Mutation (pki/signature.rs, `rsa_key`: `||` to `&&`): a modulus past `MAX_RSA_BITS` is
/// refused whatever its exponent, and so is an exponent longer than its modulus: a crafted
/// certificate must not make a verifier raise a 16,392-bit number to a huge power.
#[test]
fn item9_rsa_keys_past_the_size_bound_are_refused() {
    use cccd::pki::signature::{verify, MAX_RSA_BITS};
    let sha256 = SignatureAlgorithm::RsaPkcs1v15(cccd::crypto::hash::HashAlgorithm::Sha256);
    let mut huge = vec![0xC5; (MAX_RSA_BITS + 8) / 8];
    *huge.last_mut().unwrap() |= 1;
    assert_eq!(
        verify(
            &rsa_spki(&huge, &[1, 0, 1]),
            sha256,
            b"m",
            &vec![1; huge.len()]
        ),
        Err(SignatureError::BadKey(KeyError::RsaSize(MAX_RSA_BITS + 8)))
    );
    let n = [0xC5; 64];
    assert_eq!(
        verify(&rsa_spki(&n, &[0x7F; 65]), sha256, b"m", &[1; 64]),
        Err(SignatureError::BadKey(KeyError::RsaSize(512)))
    );
}

/// Mutation (pki/signature.rs, `verify_rsa`: the `OutOfRange` arm deleted): a signature
/// representative not below the modulus is malformed (RFC 8017 §5.2.2: "signature
/// representative out of range"), told apart from a well-formed signature that does not
/// verify.
#[test]
fn item9_an_rsa_signature_not_below_the_modulus_is_malformed() {
    use cccd::pki::signature::verify;
    let csca = Certificate::from_der(&test_csca()).unwrap();
    let sha256 = SignatureAlgorithm::RsaPkcs1v15(cccd::crypto::hash::HashAlgorithm::Sha256);
    let len = csca.signature.len();
    assert_eq!(
        verify(&csca.public_key, sha256, b"m", &vec![0xFF; len]),
        Err(SignatureError::Malformed)
    );
    assert_eq!(
        verify(&csca.public_key, sha256, b"m", &vec![0x01; len]),
        Err(SignatureError::Invalid)
    );
}

/// Mutations (pki/signature.rs, `rsa_key`: `>` to `>=`): the bounds are inclusive. A modulus of
/// exactly `MAX_RSA_BITS` bits is a key (a bogus signature is then merely invalid), and an
/// exponent as long as its modulus is not a size error: it is refused as an exponent (above
/// 40 bits, `KeyError::RsaRefused`'s case).
#[test]
fn item9_rsa_keys_at_the_size_bound_are_keys() {
    use cccd::pki::signature::{verify, MAX_RSA_BITS};
    let sha256 = SignatureAlgorithm::RsaPkcs1v15(cccd::crypto::hash::HashAlgorithm::Sha256);
    let mut largest = vec![0xC5; MAX_RSA_BITS / 8];
    *largest.last_mut().unwrap() |= 1;
    assert_eq!(
        verify(
            &rsa_spki(&largest, &[1, 0, 1]),
            sha256,
            b"m",
            &vec![1; largest.len()]
        ),
        Err(SignatureError::Invalid)
    );
    let n = [0xC5; 64];
    let mut e = [0; 64];
    e[0] = 0x01;
    e[63] = 0x01;
    assert_eq!(
        verify(&rsa_spki(&n, &e), sha256, b"m", &[1; 64]),
        Err(SignatureError::BadKey(KeyError::RsaRefused))
    );
}

/// Mutations (pki/signature.rs, `rsa_modulus_bits` and `curve_name`, which `cccd trust list`
/// prints): the summary of an RSA CSCA gives its modulus size and no curve, that of an EC
/// CSCA its curve and no size. The sizes and curve are from OpenSSL's reading of the same
/// files (`openssl pkey`, `openssl x509 -text`: the DE CSCA's explicit prime is RFC 5639
/// §3.7's brainpoolP512r1).
#[test]
fn item9_trust_summaries_give_key_sizes_and_curves() {
    let store = store_with(&[&test_csca(), &td(DE_ROOT)]);
    let summaries = store.summaries();
    let of = |country: &str| {
        summaries
            .iter()
            .find(|s| s.country.as_deref() == Some(country))
            .unwrap()
    };
    assert_eq!(
        (of("ZZ").key_bits, of("ZZ").curve.as_deref()),
        (Some(1024), None)
    );
    assert_eq!(
        (of("DE").key_bits, of("DE").curve.as_deref()),
        (None, Some("brainpoolP512r1"))
    );
}

/// Mutations (trust.rs, `list_certificates`: the key-algorithm arms, `explicit_curve`,
/// `link_certificate`): `cccd trust list` names each key's algorithm, says whether an EC key
/// comes with explicit parameters, and marks link certificates. Facts from
/// `openssl x509 -inform DER -text` on the same files: the VN CSCA is id-ecPublicKey with
/// explicit prime-field parameters, NL's root rsaEncryption; both are self-signed.
#[test]
#[cfg(feature = "sim")] // the simulator's PKI gives a CSCA with a named curve
fn item9_trust_summaries_name_key_algorithms_explicit_curves_and_links() {
    use cccd::crypto::ec::NamedCurve;
    use cccd::sim::pki::{KeyAlgorithm, PkiConfig, TestPki};
    let summary = |der: &[u8]| {
        let mut s = cccd::verify::trust::list_certificates(&[Certificate::from_der(der).unwrap()]);
        s.pop().unwrap()
    };
    let fields = |der: &[u8]| {
        let s = summary(der);
        (
            s.key_algorithm,
            s.explicit_curve,
            s.self_signed,
            s.link_certificate,
        )
    };
    let vn = td("vn/VN_CSCA_ePassport_2022.cer");
    assert_eq!(fields(&vn), ("EC".into(), true, true, false));
    let nl = td(NL_ROOT);
    assert_eq!(fields(&nl), ("RSA".into(), false, true, false));
    let named = TestPki::new(&PkiConfig::new(
        KeyAlgorithm::Ecdsa {
            curve: NamedCurve::BrainpoolP256r1,
            explicit: false,
        },
        3,
    ))
    .unwrap();
    assert_eq!(
        fields(named.csca_certificate()),
        ("EC".into(), false, true, false)
    );
    // The NL key under the RSASSA-PSS OID (RFC 4055 §1.2: id-RSASSA-PSS, 1.2.840.113549.1.1.10,
    // in the SubjectPublicKeyInfo): the same number of bytes, one changed.
    let rsa_encryption = [
        0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01, 0x05, 0x00,
    ];
    let at = nl
        .windows(rsa_encryption.len())
        .position(|w| w == rsa_encryption)
        .unwrap();
    let mut pss = nl.clone();
    pss[at + 10] = 0x0A;
    assert_eq!(summary(&pss).key_algorithm, "RSA-PSS");
    // A CSCA certificate under its own name, signed by another key (authorityKeyIdentifier
    // differs from its subjectKeyIdentifier): a link certificate.
    let link = zz_ca(7, true, 0x06, &[1; 20], &[2; 20], "301231235959Z");
    let s = summary(&link);
    assert!(s.self_issued);
    assert!(!s.self_signed);
    assert!(s.link_certificate);
}
