//! The simulator's own test PKI: a CSCA that certifies a Document Signer, which signs EF.SOD
//! over given data groups (ICAO 9303-10 §4.6.2, 9303-12 §7), plus CRLs.
//!
//! Built with hand-written DER ([`crate::tlv`]) and the shared primitives only (EC math from
//! [`crate::crypto::ec`], raw RSA from the `rsa` crate, DSA from the `dsa` crate): it does not
//! use the verifier's code, so a bug in one cannot hide the same bug in the other.
//! Deterministic from a seed: EC keys and ECDSA nonces come from [`SeededRandom`], DSA nonces
//! from RFC 6979; RSA and DSA keys are fixed test keys generated once with OpenSSL
//! (`test-vectors/sim-pki/`, see its README) because their generation is slow.
//!
//! Two ways in:
//! - [`TestPki::new`] with a [`PkiConfig`]: the simulated country's everyday PKI (one
//!   algorithm per key, SHA-256 and friends);
//! - [`TestPki::with_chain`] with a [`ChainSpec`], then [`TestPki::issue_sod_with`] with a
//!   [`SodSpec`]: every hash and signature scheme of BSI TR-03105 Part 5.1 §7.1 (and the
//!   deprecated ones, MD5 included, to build the cases a verifier must refuse), with a hook on
//!   the DSC's fields ([`CertParts`]) and on the SOD's ([`SodParts`]) to break exactly one
//!   thing while everything else stays validly signed.
//!
//! ```
//! # #[cfg(feature = "internals")] {
//! use cccd::sim::pki::{KeyAlgorithm, PkiConfig, TestPki};
//! use cccd::crypto::ec::NamedCurve;
//! let pki = TestPki::new(&PkiConfig::new(KeyAlgorithm::Ecdsa {
//!     curve: NamedCurve::BrainpoolP256r1, explicit: true }, 7)).unwrap();
//! let dgs = std::collections::BTreeMap::from([(1u8, b"dg1".to_vec()), (2, b"dg2".to_vec())]);
//! let sod = pki.issue_sod(&dgs).unwrap();
//! assert_eq!(sod[0], 0x77);
//! # }
//! ```

use crate::crypto::ec::{Curve, NamedCurve};
use crate::crypto::rng::SeededRandom;
use crate::tlv::{encode, Tag};
use const_oid::ObjectIdentifier;
use dsa::signature::hazmat::PrehashSigner;
use rsa::pkcs8::DecodePrivateKey;
use rsa::traits::PublicKeyParts;
use rsa::{BoxedUint, PrivateKey as RsaPrivateKey};
use sha1::Sha1;
use sha2::{Digest, Sha224, Sha256, Sha384, Sha512};
use std::collections::BTreeMap;
use std::sync::OnceLock;
use thiserror::Error;
use zeroize::Zeroizing;

/// A fixed 3072-bit RSA CSCA test key (PKCS#8 DER, generated once with OpenSSL).
const RSA_CSCA_PKCS8: &[u8] = include_bytes!("../../test-vectors/sim-pki/rsa3072-csca.pk8");
/// A fixed 2048-bit RSA DSC test key (PKCS#8 DER, generated once with OpenSSL).
const RSA_DSC_PKCS8: &[u8] = include_bytes!("../../test-vectors/sim-pki/rsa2048-dsc.pk8");
/// A fixed DSA (L = 3072, N = 256) CSCA test key (PKCS#8 DER, generated once with OpenSSL).
const DSA_CSCA_PKCS8: &[u8] = include_bytes!("../../test-vectors/sim-pki/dsa3072-csca.pk8");
/// A fixed DSA (L = 2048, N = 256) DSC test key (PKCS#8 DER, generated once with OpenSSL).
const DSA_DSC_PKCS8: &[u8] = include_bytes!("../../test-vectors/sim-pki/dsa2048-dsc.pk8");

/// The test PKI could not build something.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum PkiError {
    /// EC arithmetic failed.
    #[error("EC: {0}")]
    Ec(String),
    /// RSA failed.
    #[error("RSA: {0}")]
    Rsa(String),
    /// DSA failed.
    #[error("DSA: {0}")]
    Dsa(String),
    /// The signature scheme does not fit the key (ECDSA with an RSA key...).
    #[error("scheme {0:?} does not fit the key")]
    SchemeMismatch(Scheme),
}

/// A signature algorithm family for the CSCA or the DSC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyAlgorithm {
    /// ECDSA on a curve, parameters given by OID (`explicit: false`) or explicitly (as ICAO
    /// CSCAs often do). SHA-256 for ≤ 256-bit curves, SHA-384 up to 384 bits, else SHA-512.
    Ecdsa {
        /// The curve.
        curve: NamedCurve,
        /// Explicit `SpecifiedECDomain` parameters instead of the OID.
        explicit: bool,
    },
    /// RSA PKCS#1 v1.5 with SHA-256.
    RsaPkcs1,
    /// RSASSA-PSS, SHA-256, MGF1-SHA-256, salt 32.
    RsaPss,
}

/// What to build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PkiConfig {
    /// The CSCA's key.
    pub csca: KeyAlgorithm,
    /// The DSC's key.
    pub dsc: KeyAlgorithm,
    /// Seed for keys and nonces.
    pub seed: u64,
    /// Country code in both names.
    pub country: String,
    /// Tampering: the DSC's validity ended in 2015 (and the SOD was signed in 2012).
    pub expired_dsc: bool,
}

impl PkiConfig {
    /// CSCA and DSC with the same algorithm, country `VN`.
    pub fn new(alg: KeyAlgorithm, seed: u64) -> Self {
        Self {
            csca: alg,
            dsc: alg,
            seed,
            country: "VN".into(),
            expired_dsc: false,
        }
    }
}

/// A digest algorithm the test PKI hashes with, MD5 and SHA-1 included so that the cases a
/// verifier must refuse (or accept only under the deprecated-SHA-1 profile) can be built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DigestAlgorithm {
    /// MD5 (RFC 1321): never allowed by ICAO; for negative cases only.
    Md5,
    /// SHA-1: ICAO 9303 6th edition; BSI TR-03105-5.1's "DPRCTD-SHA1" profile.
    Sha1,
    /// SHA-224.
    Sha224,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl DigestAlgorithm {
    /// Hashes `m`.
    pub fn digest(self, m: &[u8]) -> Vec<u8> {
        match self {
            Self::Md5 => md5::Md5::digest(m).to_vec(),
            Self::Sha1 => Sha1::digest(m).to_vec(),
            Self::Sha224 => Sha224::digest(m).to_vec(),
            Self::Sha256 => Sha256::digest(m).to_vec(),
            Self::Sha384 => Sha384::digest(m).to_vec(),
            Self::Sha512 => Sha512::digest(m).to_vec(),
        }
    }

    /// Output length in bytes.
    pub fn output_len(self) -> usize {
        match self {
            Self::Md5 => 16,
            Self::Sha1 => 20,
            Self::Sha224 => 28,
            Self::Sha256 => 32,
            Self::Sha384 => 48,
            Self::Sha512 => 64,
        }
    }

    /// The digest's OBJECT IDENTIFIER in dotted form (RFC 1321, RFC 3279, RFC 5754).
    pub fn oid(self) -> &'static str {
        match self {
            Self::Md5 => "1.2.840.113549.2.5",
            Self::Sha1 => "1.3.14.3.2.26",
            Self::Sha224 => "2.16.840.1.101.3.4.2.4",
            Self::Sha256 => "2.16.840.1.101.3.4.2.1",
            Self::Sha384 => "2.16.840.1.101.3.4.2.2",
            Self::Sha512 => "2.16.840.1.101.3.4.2.3",
        }
    }

    /// `AlgorithmIdentifier { oid }` without parameters, as ICAO SODs usually write it.
    pub fn algorithm_identifier(self) -> Vec<u8> {
        seq(&[&oid(self.oid())])
    }

    fn index(self) -> usize {
        match self {
            Self::Md5 => 0,
            Self::Sha1 => 1,
            Self::Sha224 => 2,
            Self::Sha256 => 3,
            Self::Sha384 => 4,
            Self::Sha512 => 5,
        }
    }
}

/// How a signature is made and how its AlgorithmIdentifier names it (BSI TR-03105-5.1 §7.1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Scheme {
    /// RSASSA-PKCS1-v1_5 named by its `xxxWithRSAEncryption` OID (RFC 8017 App. C).
    RsaPkcs1(DigestAlgorithm),
    /// RSASSA-PKCS1-v1_5 named by the bare `rsaEncryption` OID with NULL parameters, the hash
    /// being the SignerInfo's digestAlgorithm (seen in NZ and US SODs; LDS_H_79..83).
    RsaPkcs1RsaEncryption(DigestAlgorithm),
    /// RSASSA-PSS with MGF1 over the same hash and a salt as long as the hash (RFC 4055).
    RsaPss(DigestAlgorithm),
    /// ECDSA with the ANSI X9.62 OIDs and a DER `Ecdsa-Sig-Value`.
    Ecdsa(DigestAlgorithm),
    /// ECDSA with the BSI TR-03111 `ecdsa-plain-*` OIDs and a plain `r || s` signature.
    EcdsaPlain(DigestAlgorithm),
    /// DSA (FIPS 186-4) with `id-dsa-with-sha1` / `id-dsa-with-sha224/256` and a DER
    /// `Dss-Sig-Value`.
    Dsa(DigestAlgorithm),
}

impl Scheme {
    /// The hash the signature is computed over.
    pub fn digest(self) -> DigestAlgorithm {
        match self {
            Self::RsaPkcs1(d)
            | Self::RsaPkcs1RsaEncryption(d)
            | Self::RsaPss(d)
            | Self::Ecdsa(d)
            | Self::EcdsaPlain(d)
            | Self::Dsa(d) => d,
        }
    }

    /// The signature AlgorithmIdentifier (DER).
    pub fn algorithm_identifier(self) -> Vec<u8> {
        use DigestAlgorithm::*;
        let i = self.digest().index();
        let named =
            |table: [&'static str; 6]| -> &'static str { table.get(i).copied().unwrap_or("0.0") };
        match self {
            Self::RsaPkcs1(_) => seq(&[
                &oid(named([
                    "1.2.840.113549.1.1.4",
                    "1.2.840.113549.1.1.5",
                    "1.2.840.113549.1.1.14",
                    "1.2.840.113549.1.1.11",
                    "1.2.840.113549.1.1.12",
                    "1.2.840.113549.1.1.13",
                ])),
                &NULL,
            ]),
            Self::RsaPkcs1RsaEncryption(_) => seq(&[&oid(RSA_ENCRYPTION), &NULL]),
            Self::RsaPss(d) => {
                // RSASSA-PSS-params (RFC 4055 §3.1): DER leaves out the SHA-1 defaults.
                let params = if d == Sha1 {
                    seq(&[])
                } else {
                    let hash = seq(&[&oid(d.oid()), &NULL]);
                    let mgf = seq(&[&oid("1.2.840.113549.1.1.8"), &hash]);
                    let salt = u8::try_from(d.output_len()).unwrap_or(32);
                    seq(&[
                        &tlv(0xA0, &hash),
                        &tlv(0xA1, &mgf),
                        &tlv(0xA2, &int(&[salt])),
                    ])
                };
                seq(&[&oid("1.2.840.113549.1.1.10"), &params])
            }
            Self::Ecdsa(_) => seq(&[&oid(named([
                "1.2.840.113549.2.5.0",
                "1.2.840.10045.4.1",
                "1.2.840.10045.4.3.1",
                "1.2.840.10045.4.3.2",
                "1.2.840.10045.4.3.3",
                "1.2.840.10045.4.3.4",
            ]))]),
            Self::EcdsaPlain(_) => seq(&[&oid(named([
                "0.4.0.127.0.7.1.1.4.1.0",
                "0.4.0.127.0.7.1.1.4.1.1",
                "0.4.0.127.0.7.1.1.4.1.2",
                "0.4.0.127.0.7.1.1.4.1.3",
                "0.4.0.127.0.7.1.1.4.1.4",
                "0.4.0.127.0.7.1.1.4.1.5",
            ]))]),
            Self::Dsa(_) => seq(&[&oid(named([
                "1.2.840.10040.4.3.0",
                "1.2.840.10040.4.3",
                "2.16.840.1.101.3.4.3.1",
                "2.16.840.1.101.3.4.3.2",
                "2.16.840.1.101.3.4.3.3",
                "2.16.840.1.101.3.4.3.4",
            ]))]),
        }
    }
}

/// Which key a certificate holder has. RSA and DSA keys are the fixed test keys (3072 bits for
/// a CSCA, 2048 for a DSC, as BSI TR-03105-5.1 §4 sizes them); EC keys come from the seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeySpec {
    /// RSA (3072 bits for the CSCA, 2048 for the DSC).
    Rsa,
    /// DSA (L = 3072 for the CSCA, 2048 for the DSC; N = 256).
    Dsa,
    /// EC on `curve`, parameters by OID or explicit.
    Ec {
        /// The curve.
        curve: NamedCurve,
        /// Explicit `SpecifiedECDomain` parameters instead of the OID.
        explicit: bool,
    },
}

/// A CSCA → DSC chain for [`TestPki::with_chain`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChainSpec {
    /// The CSCA's key.
    pub csca_key: KeySpec,
    /// How the CSCA signs (its own certificate and the DSC's).
    pub chain_scheme: Scheme,
    /// The DSC's key.
    pub dsc_key: KeySpec,
    /// How the DSC signs by default ([`TestPki::issue_sod`]).
    pub dsc_scheme: Scheme,
    /// Seed for EC keys and nonces.
    pub seed: u64,
}

/// The fields of a DSC's TBSCertificate and its outer structure, DER each, before assembly:
/// a hook may replace or drop any of them ([`TestPki::with_chain`]). A `None` field is left
/// out of the encoding. The TBSCertificate is signed after the hook ran, so what it changed is
/// signed by the CSCA unless `signature` is set.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CertParts {
    /// `[0] EXPLICIT Version` (v3: `A0 03 02 01 02`).
    pub version: Option<Vec<u8>>,
    /// `serialNumber INTEGER`.
    pub serial: Option<Vec<u8>>,
    /// The TBSCertificate's `signature` AlgorithmIdentifier.
    pub tbs_signature_algorithm: Option<Vec<u8>>,
    /// `issuer Name`.
    pub issuer: Option<Vec<u8>>,
    /// `validity SEQUENCE { notBefore, notAfter }`.
    pub validity: Option<Vec<u8>>,
    /// `subject Name`.
    pub subject: Option<Vec<u8>>,
    /// `subjectPublicKeyInfo`.
    pub spki: Option<Vec<u8>>,
    /// Each `Extension` SEQUENCE (keyUsage, subjectKeyIdentifier, authorityKeyIdentifier, and
    /// basicConstraints for a CA), in order; wrapped in `[3] { SEQUENCE }` when not empty.
    pub extensions: Vec<Vec<u8>>,
    /// The outer `signatureAlgorithm`.
    pub signature_algorithm: Option<Vec<u8>>,
    /// How the issuer signs the TBSCertificate.
    pub scheme: Scheme,
    /// The signature value instead of a computed one (`Some(empty)` with `signature_value:
    /// false` drops the BIT STRING).
    pub signature: Option<Vec<u8>>,
    /// Whether the `signatureValue` BIT STRING is present.
    pub signature_value: bool,
}

impl CertParts {
    /// `Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue }`.
    pub fn extension(oid_dotted: &str, critical: bool, value: &[u8]) -> Vec<u8> {
        if critical {
            seq(&[&oid(oid_dotted), &[0x01, 0x01, 0xFF], &octets(value)])
        } else {
            seq(&[&oid(oid_dotted), &octets(value)])
        }
    }

    /// Index of the extension whose extnID is `oid_dotted`.
    pub fn find_extension(&self, oid_dotted: &str) -> Option<usize> {
        let wanted = oid(oid_dotted);
        self.extensions.iter().position(|e| {
            e.get(2..2 + wanted.len())
                .is_some_and(|s| s == wanted.as_slice())
        })
    }
}

/// The parts of an EF.SOD before assembly, DER each ([`TestPki::issue_sod_with`]). `None`
/// leaves the element out. The signed attributes are signed after the hook ran; a hook that
/// changes the LDS security object should call [`SodParts::refresh_message_digest`] unless the
/// messageDigest is the defect.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SodParts {
    /// LDSSecurityObject `version` (INTEGER).
    pub lso_version: Option<Vec<u8>>,
    /// LDSSecurityObject `hashAlgorithm`.
    pub lso_hash_algorithm: Option<Vec<u8>>,
    /// Each `DataGroupHash` SEQUENCE.
    pub data_group_hashes: Vec<Vec<u8>>,
    /// LDSSecurityObject `ldsVersionInfo` (v1, LDS 1.8).
    pub lds_version_info: Option<Vec<u8>>,
    /// An eContent other than the LDSSecurityObject (EF.CardSecurity's SecurityInfos).
    pub econtent: Option<Vec<u8>>,
    /// SignedData `version`.
    pub signed_data_version: Option<Vec<u8>>,
    /// SignedData `digestAlgorithms` (the SET).
    pub digest_algorithms: Option<Vec<u8>>,
    /// `eContentType` (OID).
    pub econtent_type: Option<Vec<u8>>,
    /// `certificates [0]` content: each certificate.
    pub certificates: Vec<Vec<u8>>,
    /// SignerInfo `version`.
    pub signer_version: Option<Vec<u8>>,
    /// SignerInfo `sid` (issuerAndSerialNumber SEQUENCE or `[0]` subjectKeyIdentifier).
    pub sid: Option<Vec<u8>>,
    /// SignerInfo `digestAlgorithm`.
    pub signer_digest_algorithm: Option<Vec<u8>>,
    /// The hash of the messageDigest attribute (SignerInfo's digestAlgorithm normally).
    pub message_digest_hash: DigestAlgorithm,
    /// Each signed `Attribute` SEQUENCE (contentType, signingTime, messageDigest).
    pub signed_attributes: Vec<Vec<u8>>,
    /// SignerInfo `signatureAlgorithm`.
    pub signature_algorithm: Option<Vec<u8>>,
    /// How the DSC signs the signed attributes.
    pub scheme: Scheme,
    /// The signature value instead of a computed one.
    pub signature: Option<Vec<u8>>,
    /// Whether the `signature` OCTET STRING is present.
    pub signature_value: bool,
    /// The outer application tag (`77`).
    pub outer_tag: u32,
}

const ATTR_CONTENT_TYPE: &str = "1.2.840.113549.1.9.3";
const ATTR_MESSAGE_DIGEST: &str = "1.2.840.113549.1.9.4";
const ATTR_SIGNING_TIME: &str = "1.2.840.113549.1.9.5";
const RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";

impl SodParts {
    /// The eContent as currently described: the LDSSecurityObject DER, or [`Self::econtent`].
    pub fn lds_security_object(&self) -> Vec<u8> {
        if let Some(e) = &self.econtent {
            return e.clone();
        }
        let mut body = Vec::new();
        if let Some(v) = &self.lso_version {
            body.extend_from_slice(v);
        }
        if let Some(h) = &self.lso_hash_algorithm {
            body.extend_from_slice(h);
        }
        body.extend_from_slice(&tlv(0x30, &self.data_group_hashes.concat()));
        if let Some(v) = &self.lds_version_info {
            body.extend_from_slice(v);
        }
        tlv(0x30, &body)
    }

    /// `DataGroupHash ::= SEQUENCE { dataGroupNumber, dataGroupHashValue }` (ICAO 9303-10
    /// §4.6.2.3).
    pub fn data_group_hash(number: u8, hash: &[u8]) -> Vec<u8> {
        seq(&[&int(&[number]), &octets(hash)])
    }

    /// Index of the signed attribute of type `oid_dotted`.
    pub fn find_attribute(&self, oid_dotted: &str) -> Option<usize> {
        let wanted = oid(oid_dotted);
        self.signed_attributes.iter().position(|a| {
            a.get(2..2 + wanted.len())
                .is_some_and(|s| s == wanted.as_slice())
        })
    }

    /// Sets the messageDigest attribute to the hash of the current LDSSecurityObject.
    pub fn refresh_message_digest(&mut self) {
        let md = self.message_digest_hash.digest(&self.lds_security_object());
        let attr = seq(&[&oid(ATTR_MESSAGE_DIGEST), &tlv(0x31, &octets(&md))]);
        match self.find_attribute(ATTR_MESSAGE_DIGEST) {
            Some(i) => {
                if let Some(slot) = self.signed_attributes.get_mut(i) {
                    *slot = attr;
                }
            }
            None => self.signed_attributes.push(attr),
        }
    }

    /// The OID of the messageDigest attribute, for hooks that drop or change it.
    pub const MESSAGE_DIGEST: &'static str = ATTR_MESSAGE_DIGEST;
    /// The OID of the contentType attribute.
    pub const CONTENT_TYPE: &'static str = ATTR_CONTENT_TYPE;
}

/// What an SOD is made of ([`TestPki::issue_sod_with`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SodSpec {
    /// The LDSSecurityObject's hashAlgorithm (data group hashes).
    pub lds_digest: DigestAlgorithm,
    /// The SignerInfo's digestAlgorithm (and SignedData's digestAlgorithms): messageDigest.
    pub signer_digest: DigestAlgorithm,
    /// The SignerInfo's signature scheme.
    pub scheme: Scheme,
    /// Carry the DSC in `certificates` (ICAO 9303-10 says it should).
    pub include_dsc: bool,
    /// Name the signer by subjectKeyIdentifier (SignerInfo v3) instead of issuer and serial
    /// number (v1).
    pub sid_by_key_identifier: bool,
}

enum PrivateKey {
    Ec {
        curve: NamedCurve,
        explicit: bool,
        d: Zeroizing<Vec<u8>>,
        public: Vec<u8>,
    },
    Rsa {
        key: Box<RsaPrivateKey>,
    },
    Dsa {
        key: Box<dsa::SigningKey>,
    },
}

/// A CSCA → DSC pair able to sign SODs and CRLs.
pub struct TestPki {
    config: PkiConfig,
    csca_key: PrivateKey,
    dsc_key: PrivateKey,
    csca_scheme: Scheme,
    dsc_scheme: Scheme,
    csca_name: Vec<u8>,
    csca_certificate: Vec<u8>,
    dsc_certificate: Vec<u8>,
    dsc_serial: Vec<u8>,
    dsc_ski: Vec<u8>,
}

impl core::fmt::Debug for TestPki {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("TestPki")
            .field("config", &self.config)
            .field("csca_scheme", &self.csca_scheme)
            .field("dsc_scheme", &self.dsc_scheme)
            .field("keys", &"***")
            .finish()
    }
}

// ---- DER helpers (written out here on purpose, independent of the verifier) ----
fn oid(s: &str) -> Vec<u8> {
    let o = ObjectIdentifier::new(s).unwrap_or(ObjectIdentifier::new_unwrap("0.0"));
    encode(Tag(0x06), o.as_bytes())
}
const NULL: [u8; 2] = [0x05, 0x00];

fn tlv(tag: u32, v: &[u8]) -> Vec<u8> {
    encode(Tag(tag), v)
}
fn seq(parts: &[&[u8]]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}
fn set_sorted(mut parts: Vec<Vec<u8>>) -> Vec<u8> {
    parts.sort();
    tlv(0x31, &parts.concat())
}
fn int(magnitude: &[u8]) -> Vec<u8> {
    let skip = magnitude.iter().take_while(|b| **b == 0).count();
    let m = magnitude.get(skip..).unwrap_or(&[]);
    let mut v = Vec::with_capacity(m.len() + 1);
    if m.first().is_none_or(|b| *b & 0x80 != 0) {
        v.push(0);
    }
    v.extend_from_slice(m);
    tlv(0x02, &v)
}
fn octets(v: &[u8]) -> Vec<u8> {
    tlv(0x04, v)
}
fn bits(v: &[u8]) -> Vec<u8> {
    let mut b = vec![0u8];
    b.extend_from_slice(v);
    tlv(0x03, &b)
}
fn utc(s: &str) -> Vec<u8> {
    tlv(0x17, s.as_bytes())
}

/// `Name` with C, O and CN (RFC 5280 §4.1.2.4; ICAO 9303-12 §7.1.1 asks for C).
pub fn name(country: &str, o: &str, cn: &str) -> Vec<u8> {
    let atv = |t: &str, tag: u32, v: &str| tlv(0x31, &seq(&[&oid(t), &tlv(tag, v.as_bytes())]));
    seq(&[
        &atv("2.5.4.6", 0x13, country),
        &atv("2.5.4.10", 0x0C, o),
        &atv("2.5.4.3", 0x0C, cn),
    ])
}

/// `Validity` from two times, UTCTime (`YYMMDDHHMMSSZ`, 13 characters) or GeneralizedTime
/// (`YYYYMMDDHHMMSSZ`, 15), chosen by length as RFC 5280 §4.1.2.5 encodes them.
pub fn validity(not_before: &str, not_after: &str) -> Vec<u8> {
    let time = |s: &str| {
        if s.len() == 15 {
            tlv(0x18, s.as_bytes())
        } else {
            utc(s)
        }
    };
    seq(&[&time(not_before), &time(not_after)])
}

impl PrivateKey {
    fn generate(
        alg: KeyAlgorithm,
        rsa_der: &[u8],
        rng: &mut SeededRandom,
    ) -> Result<Self, PkiError> {
        match alg {
            KeyAlgorithm::Ecdsa { curve, explicit } => Self::ec(curve, explicit, rng),
            KeyAlgorithm::RsaPkcs1 | KeyAlgorithm::RsaPss => Ok(Self::Rsa {
                key: Box::new(rsa_key(rsa_der)?),
            }),
        }
    }

    fn from_spec(spec: KeySpec, csca: bool, rng: &mut SeededRandom) -> Result<Self, PkiError> {
        match spec {
            KeySpec::Ec { curve, explicit } => Self::ec(curve, explicit, rng),
            KeySpec::Rsa => Ok(Self::Rsa {
                key: Box::new(rsa_key(if csca { RSA_CSCA_PKCS8 } else { RSA_DSC_PKCS8 })?),
            }),
            KeySpec::Dsa => {
                let der = if csca { DSA_CSCA_PKCS8 } else { DSA_DSC_PKCS8 };
                let key = <dsa::SigningKey as dsa::pkcs8::DecodePrivateKey>::from_pkcs8_der(der)
                    .map_err(|e| PkiError::Dsa(e.to_string()))?;
                Ok(Self::Dsa { key: Box::new(key) })
            }
        }
    }

    fn ec(curve: NamedCurve, explicit: bool, rng: &mut SeededRandom) -> Result<Self, PkiError> {
        let c = curve.curve();
        let (d, q) = c
            .generate_keypair(rng)
            .map_err(|e| PkiError::Ec(e.to_string()))?;
        Ok(Self::Ec {
            curve,
            explicit,
            d,
            public: c.encode_point(&q),
        })
    }

    /// The scheme [`KeyAlgorithm`] names for this key: SHA-256 for RSA, the curve's size for
    /// ECDSA.
    fn legacy_scheme(&self, alg: KeyAlgorithm) -> Scheme {
        let hash = match self {
            Self::Ec { curve, .. } => match curve.curve().field_size() {
                0..=32 => DigestAlgorithm::Sha256,
                33..=48 => DigestAlgorithm::Sha384,
                _ => DigestAlgorithm::Sha512,
            },
            _ => DigestAlgorithm::Sha256,
        };
        match alg {
            KeyAlgorithm::Ecdsa { .. } => Scheme::Ecdsa(hash),
            KeyAlgorithm::RsaPkcs1 => Scheme::RsaPkcs1(hash),
            KeyAlgorithm::RsaPss => Scheme::RsaPss(hash),
        }
    }

    fn spki(&self) -> Vec<u8> {
        match self {
            Self::Ec {
                curve,
                explicit,
                public,
                ..
            } => {
                let params = if *explicit {
                    explicit_parameters(curve.curve())
                } else {
                    encode(Tag(0x06), curve.oid().as_bytes())
                };
                seq(&[&seq(&[&oid("1.2.840.10045.2.1"), &params]), &bits(public)])
            }
            Self::Rsa { key } => {
                let pk = seq(&[&int(&key.n().to_be_bytes()), &int(&key.e().to_be_bytes())]);
                seq(&[&seq(&[&oid(RSA_ENCRYPTION), &NULL]), &bits(&pk)])
            }
            Self::Dsa { key } => {
                // RFC 3279 §2.3.2: Dss-Parms in the AlgorithmIdentifier, the key an INTEGER.
                let vk = key.verifying_key();
                let c = vk.components();
                let params = seq(&[
                    &int(&c.p().to_be_bytes()),
                    &int(&c.q().to_be_bytes()),
                    &int(&c.g().to_be_bytes()),
                ]);
                seq(&[
                    &seq(&[&oid("1.2.840.10040.4.1"), &params]),
                    &bits(&int(&vk.y().to_be_bytes())),
                ])
            }
        }
    }

    fn key_bits(&self) -> Vec<u8> {
        match self {
            Self::Ec { public, .. } => public.clone(),
            Self::Rsa { key } => key.n().to_be_bytes().to_vec(),
            Self::Dsa { key } => key.verifying_key().y().to_be_bytes().to_vec(),
        }
    }

    fn sign(&self, scheme: Scheme, message: &[u8], nonce_seed: &[u8]) -> Result<Vec<u8>, PkiError> {
        let hash = scheme.digest();
        let digest = hash.digest(message);
        let mut rng = SeededRandom::from_bytes(&[nonce_seed, &digest].concat());
        match (self, scheme) {
            (Self::Ec { curve, d, .. }, Scheme::Ecdsa(_) | Scheme::EcdsaPlain(_)) => {
                let c = curve.curve();
                let s = c
                    .ecdsa_sign(d, &digest, &mut rng)
                    .map_err(|e| PkiError::Ec(e.to_string()))?;
                Ok(match scheme {
                    Scheme::EcdsaPlain(_) => s.to_plain(c.order_size()),
                    _ => s.to_der(),
                })
            }
            (
                Self::Rsa { key },
                Scheme::RsaPkcs1(_) | Scheme::RsaPkcs1RsaEncryption(_) | Scheme::RsaPss(_),
            ) => {
                let k = key.size();
                let em = if let Scheme::RsaPss(_) = scheme {
                    let mod_bits = usize::try_from(key.n().bit_width()).unwrap_or(0);
                    let salt = rng.bytes(hash.output_len());
                    let mut em = pss_encode(hash, &digest, mod_bits.saturating_sub(1), &salt);
                    while em.len() < k {
                        em.insert(0, 0);
                    }
                    em
                } else {
                    // EMSA-PKCS1-v1_5 (RFC 8017 §9.2) with the hash's DigestInfo.
                    let t = seq(&[&seq(&[&oid(hash.oid()), &NULL]), &octets(&digest)]);
                    let mut em = vec![0x00, 0x01];
                    em.resize(k.saturating_sub(t.len() + 1), 0xFF);
                    em.push(0x00);
                    em.extend_from_slice(&t);
                    em
                };
                let m = BoxedUint::from_be_slice(&em, key.n().bits_precision())
                    .map_err(|e| PkiError::Rsa(e.to_string()))?;
                let s = rsa::hazmat::rsa_decrypt(None::<&mut getrandom::SysRng>, key.as_ref(), &m)
                    .map_err(|e| PkiError::Rsa(e.to_string()))?;
                let bytes = s.to_be_bytes();
                let mut out = vec![0u8; k];
                let body = bytes.get(bytes.len().saturating_sub(k)..).unwrap_or(&[]);
                let start = k.saturating_sub(body.len());
                if let Some(dst) = out.get_mut(start..) {
                    dst.copy_from_slice(body);
                }
                Ok(out)
            }
            (Self::Dsa { key }, Scheme::Dsa(_)) => {
                // RFC 6979 nonces: deterministic like the rest of the PKI.
                let sig: dsa::Signature = key
                    .sign_prehash(&digest)
                    .map_err(|e| PkiError::Dsa(e.to_string()))?;
                Ok(seq(&[
                    &int(&sig.r().to_be_bytes()),
                    &int(&sig.s().to_be_bytes()),
                ]))
            }
            _ => Err(PkiError::SchemeMismatch(scheme)),
        }
    }
}

fn rsa_key(der: &[u8]) -> Result<RsaPrivateKey, PkiError> {
    RsaPrivateKey::from_pkcs8_der(der).map_err(|e| PkiError::Rsa(e.to_string()))
}

/// EMSA-PSS-ENCODE (RFC 8017 §9.1.1) with MGF1 over the same hash.
fn pss_encode(hash: DigestAlgorithm, m_hash: &[u8], em_bits: usize, salt: &[u8]) -> Vec<u8> {
    let em_len = em_bits.div_ceil(8);
    let mut m_prime = vec![0u8; 8];
    m_prime.extend_from_slice(m_hash);
    m_prime.extend_from_slice(salt);
    let h = hash.digest(&m_prime);
    let db_len = em_len.saturating_sub(h.len() + 1);
    let mut db = vec![0u8; db_len.saturating_sub(salt.len() + 1)];
    db.push(0x01);
    db.extend_from_slice(salt);
    let mut mask = Vec::new();
    let mut counter = 0u32;
    while mask.len() < db_len {
        mask.extend_from_slice(&hash.digest(&[h.as_slice(), &counter.to_be_bytes()].concat()));
        counter += 1;
    }
    let mut em: Vec<u8> = db.iter().zip(&mask).map(|(a, b)| a ^ b).collect();
    let top = 8 * em_len - em_bits;
    if let Some(first) = em.first_mut() {
        *first &= 0xFFu8
            .checked_shr(u32::try_from(top).unwrap_or(8))
            .unwrap_or(0);
    }
    em.extend_from_slice(&h);
    em.push(0xBC);
    em
}

/// `SpecifiedECDomain` (BSI TR-03111 §4.1.1 / RFC 3279) for a curve.
fn explicit_parameters(c: &Curve) -> Vec<u8> {
    let field = seq(&[&oid("1.2.840.10045.1.1"), &int(c.p())]);
    let curve = seq(&[&octets(c.a()), &octets(c.b())]);
    seq(&[
        &int(&[1]),
        &field,
        &curve,
        &octets(&c.encode_point(&c.generator())),
        &int(c.order()),
        &int(c.cofactor()),
    ])
}

fn key_id(key_bits: &[u8]) -> Vec<u8> {
    Sha256::digest(key_bits).get(..20).unwrap_or(&[]).to_vec()
}

struct CertSpec<'a> {
    serial: &'a [u8],
    issuer: &'a [u8],
    subject: &'a [u8],
    not_before: &'a str,
    not_after: &'a str,
    ca: bool,
    ski: &'a [u8],
    aki: &'a [u8],
}

/// The fields of a well-formed ICAO certificate (9303-12 §7.1) before assembly.
fn cert_parts(spec: &CertSpec<'_>, subject_key: &PrivateKey, scheme: Scheme) -> CertParts {
    let key_usage = if spec.ca {
        // keyCertSign (5) + cRLSign (6): 0000 0110, one unused bit.
        tlv(0x03, &[0x01, 0x06])
    } else {
        // digitalSignature (0): 1000 0000, seven unused bits.
        tlv(0x03, &[0x07, 0x80])
    };
    let mut extensions = vec![
        CertParts::extension("2.5.29.15", true, &key_usage),
        CertParts::extension("2.5.29.14", false, &octets(spec.ski)),
        CertParts::extension("2.5.29.35", false, &seq(&[&tlv(0x80, spec.aki)])),
    ];
    if spec.ca {
        extensions.push(CertParts::extension(
            "2.5.29.19",
            true,
            &seq(&[&[0x01, 0x01, 0xFF], &int(&[0])]),
        ));
    }
    let sig_alg = scheme.algorithm_identifier();
    CertParts {
        version: Some(tlv(0xA0, &int(&[2]))),
        serial: Some(int(spec.serial)),
        tbs_signature_algorithm: Some(sig_alg.clone()),
        issuer: Some(spec.issuer.to_vec()),
        validity: Some(validity(spec.not_before, spec.not_after)),
        subject: Some(spec.subject.to_vec()),
        spki: Some(subject_key.spki()),
        extensions,
        signature_algorithm: Some(sig_alg),
        scheme,
        signature: None,
        signature_value: true,
    }
}

fn assemble_certificate(
    parts: &CertParts,
    issuer_key: &PrivateKey,
    seed: &[u8],
) -> Result<Vec<u8>, PkiError> {
    let mut tbs_body = Vec::new();
    for part in [
        &parts.version,
        &parts.serial,
        &parts.tbs_signature_algorithm,
        &parts.issuer,
        &parts.validity,
        &parts.subject,
        &parts.spki,
    ]
    .into_iter()
    .flatten()
    {
        tbs_body.extend_from_slice(part);
    }
    if !parts.extensions.is_empty() {
        tbs_body.extend_from_slice(&tlv(0xA3, &seq(&[&parts.extensions.concat()])));
    }
    let tbs = tlv(0x30, &tbs_body);
    let sig = match &parts.signature {
        Some(s) => s.clone(),
        None => issuer_key.sign(parts.scheme, &tbs, seed)?,
    };
    let mut outer = tbs;
    if let Some(alg) = &parts.signature_algorithm {
        outer.extend_from_slice(alg);
    }
    if parts.signature_value {
        outer.extend_from_slice(&bits(&sig));
    }
    Ok(tlv(0x30, &outer))
}

impl TestPki {
    /// Builds the CSCA and DSC certificates.
    pub fn new(config: &PkiConfig) -> Result<Self, PkiError> {
        let mut rng = SeededRandom::from_bytes(
            &[b"cccd-sim-pki".as_slice(), &config.seed.to_be_bytes()].concat(),
        );
        let csca_key = PrivateKey::generate(config.csca, RSA_CSCA_PKCS8, &mut rng)?;
        let dsc_key = PrivateKey::generate(config.dsc, RSA_DSC_PKCS8, &mut rng)?;
        let csca_scheme = csca_key.legacy_scheme(config.csca);
        let dsc_scheme = dsc_key.legacy_scheme(config.dsc);
        Self::build(
            config.clone(),
            None,
            (csca_key, csca_scheme),
            (dsc_key, dsc_scheme),
            &mut rng,
            |_| {},
        )
    }

    /// A chain as `spec` describes, the DSC's fields passed through `dsc_hook` before the CSCA
    /// signs them (to build a DSC with exactly one defect). Country `VN`, DSC valid 2024–2035.
    ///
    /// ```
    /// use cccd::sim::pki::{ChainSpec, DigestAlgorithm, KeySpec, Scheme, TestPki};
    /// let pki = TestPki::with_chain(&ChainSpec {
    ///     csca_key: KeySpec::Rsa, chain_scheme: Scheme::RsaPkcs1(DigestAlgorithm::Sha224),
    ///     dsc_key: KeySpec::Rsa, dsc_scheme: Scheme::RsaPkcs1(DigestAlgorithm::Sha224),
    ///     seed: 1,
    /// }, |dsc| dsc.serial = None).unwrap();
    /// assert_eq!(pki.dsc_certificate()[0], 0x30);
    /// ```
    pub fn with_chain(
        spec: &ChainSpec,
        dsc_hook: impl FnOnce(&mut CertParts),
    ) -> Result<Self, PkiError> {
        Self::chain(spec, None, dsc_hook)
    }

    /// [`TestPki::with_chain`] with the CSCA named `csca_name` (its subject and issuer, and the
    /// DSC's issuer): a CSCA whose name breaks ICAO 9303-12's naming rules (no `C=`, BSI
    /// TR-03105-5.1 LDS_H_53).
    pub fn with_chain_csca_name(
        spec: &ChainSpec,
        csca_name: Vec<u8>,
        dsc_hook: impl FnOnce(&mut CertParts),
    ) -> Result<Self, PkiError> {
        Self::chain(spec, Some(csca_name), dsc_hook)
    }

    fn chain(
        spec: &ChainSpec,
        csca_name: Option<Vec<u8>>,
        dsc_hook: impl FnOnce(&mut CertParts),
    ) -> Result<Self, PkiError> {
        let mut rng = SeededRandom::from_bytes(
            &[
                b"cccd-sim-conformance-pki".as_slice(),
                &spec.seed.to_be_bytes(),
            ]
            .concat(),
        );
        let csca_key = PrivateKey::from_spec(spec.csca_key, true, &mut rng)?;
        let dsc_key = PrivateKey::from_spec(spec.dsc_key, false, &mut rng)?;
        let config = PkiConfig::new(KeyAlgorithm::RsaPkcs1, spec.seed);
        Self::build(
            config,
            csca_name,
            (csca_key, spec.chain_scheme),
            (dsc_key, spec.dsc_scheme),
            &mut rng,
            dsc_hook,
        )
    }

    fn build(
        config: PkiConfig,
        csca_name: Option<Vec<u8>>,
        (csca_key, csca_scheme): (PrivateKey, Scheme),
        (dsc_key, dsc_scheme): (PrivateKey, Scheme),
        rng: &mut SeededRandom,
        dsc_hook: impl FnOnce(&mut CertParts),
    ) -> Result<Self, PkiError> {
        let csca_name =
            csca_name.unwrap_or_else(|| name(&config.country, "cccd test PKI", "cccd test CSCA"));
        let dsc_name = name(
            &config.country,
            "cccd test PKI",
            "cccd test Document Signer",
        );
        let csca_ski = key_id(&csca_key.key_bits());
        let dsc_ski = key_id(&dsc_key.key_bits());
        let seed = config.seed.to_be_bytes();
        let csca_parts = cert_parts(
            &CertSpec {
                serial: &[0x01],
                issuer: &csca_name,
                subject: &csca_name,
                not_before: "200101000000Z",
                not_after: "400101000000Z",
                ca: true,
                ski: &csca_ski,
                aki: &csca_ski,
            },
            &csca_key,
            csca_scheme,
        );
        let csca_certificate = assemble_certificate(&csca_parts, &csca_key, &seed)?;
        let dsc_serial = rng.bytes(8);
        let (nb, na) = if config.expired_dsc {
            ("100101000000Z", "150101000000Z")
        } else {
            ("240101000000Z", "350101000000Z")
        };
        let mut dsc_parts = cert_parts(
            &CertSpec {
                serial: &dsc_serial,
                issuer: &csca_name,
                subject: &dsc_name,
                not_before: nb,
                not_after: na,
                ca: false,
                ski: &dsc_ski,
                aki: &csca_ski,
            },
            &dsc_key,
            csca_scheme,
        );
        dsc_hook(&mut dsc_parts);
        let dsc_certificate = assemble_certificate(&dsc_parts, &csca_key, &seed)?;
        Ok(Self {
            config,
            csca_key,
            dsc_key,
            csca_scheme,
            dsc_scheme,
            csca_name,
            csca_certificate,
            dsc_certificate,
            dsc_serial,
            dsc_ski,
        })
    }

    /// A shared instance per configuration would need interior caching; this helper keeps
    /// one RSA PKCS#1 PKI per process for tests that just need "some valid SOD".
    pub fn shared_rsa() -> Result<&'static TestPki, PkiError> {
        static PKI: OnceLock<Result<TestPki, PkiError>> = OnceLock::new();
        PKI.get_or_init(|| TestPki::new(&PkiConfig::new(KeyAlgorithm::RsaPkcs1, 1)))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The CSCA certificate (DER).
    pub fn csca_certificate(&self) -> &[u8] {
        &self.csca_certificate
    }

    /// The DSC certificate (DER).
    pub fn dsc_certificate(&self) -> &[u8] {
        &self.dsc_certificate
    }

    /// The DSC's serial number (INTEGER magnitude).
    pub fn dsc_serial(&self) -> &[u8] {
        &self.dsc_serial
    }

    /// The CSCA's subject Name (DER): the DSC's issuer.
    pub fn csca_name(&self) -> &[u8] {
        &self.csca_name
    }

    /// The DSC's subjectKeyIdentifier.
    pub fn dsc_key_identifier(&self) -> &[u8] {
        &self.dsc_ski
    }

    /// How the DSC signs by default.
    pub fn dsc_scheme(&self) -> Scheme {
        self.dsc_scheme
    }

    /// EF.SOD (DER, tag 77) over `data_groups` (number → file bytes), hashed with SHA-256 and
    /// signed by the DSC; signingTime 2025-01-01 (2012-01-01 for an expired DSC).
    pub fn issue_sod(&self, data_groups: &BTreeMap<u8, Vec<u8>>) -> Result<Vec<u8>, PkiError> {
        let lds_oid = oid("2.23.136.1.1.1");
        self.issue_sod_with_content_type(data_groups, &lds_oid)
    }

    /// [`Self::issue_sod`] with another eContentType (and matching contentType attribute):
    /// a correctly signed SOD whose content type is wrong.
    pub fn issue_sod_with_content_type(
        &self,
        data_groups: &BTreeMap<u8, Vec<u8>>,
        content_type_oid_der: &[u8],
    ) -> Result<Vec<u8>, PkiError> {
        let spec = SodSpec {
            lds_digest: DigestAlgorithm::Sha256,
            signer_digest: self.dsc_scheme.digest(),
            scheme: self.dsc_scheme,
            include_dsc: true,
            sid_by_key_identifier: false,
        };
        let ct = content_type_oid_der.to_vec();
        self.issue_sod_with(data_groups, &spec, |p| {
            p.econtent_type = Some(ct.clone());
            if let Some(i) = p.find_attribute(ATTR_CONTENT_TYPE) {
                if let Some(slot) = p.signed_attributes.get_mut(i) {
                    *slot = seq(&[&oid(ATTR_CONTENT_TYPE), &tlv(0x31, &ct)]);
                }
            }
        })
    }

    /// The parts of a well-formed SOD over `data_groups` as `spec` says (ICAO 9303-10 §4.6.2).
    pub fn sod_parts(&self, data_groups: &BTreeMap<u8, Vec<u8>>, spec: &SodSpec) -> SodParts {
        let signing_time = if self.config.expired_dsc {
            "120101000000Z"
        } else {
            "250101000000Z"
        };
        let mut parts = SodParts {
            lso_version: Some(int(&[0])),
            lso_hash_algorithm: Some(spec.lds_digest.algorithm_identifier()),
            data_group_hashes: data_groups
                .iter()
                .map(|(n, b)| SodParts::data_group_hash(*n, &spec.lds_digest.digest(b)))
                .collect(),
            lds_version_info: None,
            econtent: None,
            signed_data_version: Some(int(&[3])),
            digest_algorithms: Some(tlv(0x31, &spec.signer_digest.algorithm_identifier())),
            econtent_type: Some(oid("2.23.136.1.1.1")),
            certificates: if spec.include_dsc {
                vec![self.dsc_certificate.clone()]
            } else {
                Vec::new()
            },
            signer_version: Some(int(&[if spec.sid_by_key_identifier { 3 } else { 1 }])),
            sid: Some(if spec.sid_by_key_identifier {
                tlv(0x80, &self.dsc_ski)
            } else {
                seq(&[&self.csca_name, &int(&self.dsc_serial)])
            }),
            signer_digest_algorithm: Some(spec.signer_digest.algorithm_identifier()),
            message_digest_hash: spec.signer_digest,
            signed_attributes: vec![
                seq(&[&oid(ATTR_CONTENT_TYPE), &tlv(0x31, &oid("2.23.136.1.1.1"))]),
                seq(&[&oid(ATTR_SIGNING_TIME), &tlv(0x31, &utc(signing_time))]),
            ],
            signature_algorithm: Some(spec.scheme.algorithm_identifier()),
            scheme: spec.scheme,
            signature: None,
            signature_value: true,
            outer_tag: 0x77,
        };
        parts.refresh_message_digest();
        parts
    }

    /// EF.SOD as `spec` says, its parts passed through `hook` before the DSC signs the signed
    /// attributes: a validly signed SOD with exactly the defect the hook put in.
    pub fn issue_sod_with(
        &self,
        data_groups: &BTreeMap<u8, Vec<u8>>,
        spec: &SodSpec,
        hook: impl FnOnce(&mut SodParts),
    ) -> Result<Vec<u8>, PkiError> {
        let mut p = self.sod_parts(data_groups, spec);
        hook(&mut p);
        let lso = p.lds_security_object();
        let signed_attrs = set_sorted(p.signed_attributes.clone());
        let signature = match &p.signature {
            Some(s) => s.clone(),
            None => self
                .dsc_key
                .sign(p.scheme, &signed_attrs, &self.config.seed.to_be_bytes())?,
        };
        let mut attrs_a0 = signed_attrs;
        if let Some(first) = attrs_a0.first_mut() {
            *first = 0xA0;
        }
        let mut si = Vec::new();
        for part in [&p.signer_version, &p.sid, &p.signer_digest_algorithm]
            .into_iter()
            .flatten()
        {
            si.extend_from_slice(part);
        }
        si.extend_from_slice(&attrs_a0);
        if let Some(a) = &p.signature_algorithm {
            si.extend_from_slice(a);
        }
        if p.signature_value {
            si.extend_from_slice(&octets(&signature));
        }
        let mut encap = Vec::new();
        if let Some(t) = &p.econtent_type {
            encap.extend_from_slice(t);
        }
        encap.extend_from_slice(&tlv(0xA0, &octets(&lso)));
        let mut sd = Vec::new();
        for part in [&p.signed_data_version, &p.digest_algorithms]
            .into_iter()
            .flatten()
        {
            sd.extend_from_slice(part);
        }
        sd.extend_from_slice(&tlv(0x30, &encap));
        if !p.certificates.is_empty() {
            sd.extend_from_slice(&tlv(0xA0, &p.certificates.concat()));
        }
        sd.extend_from_slice(&tlv(0x31, &tlv(0x30, &si)));
        let content_info = seq(&[&oid("1.2.840.113549.1.7.2"), &tlv(0xA0, &tlv(0x30, &sd))]);
        Ok(tlv(p.outer_tag, &content_info))
    }

    /// EF.CardSecurity (ICAO 9303-11 §9.2.11, BSI TR-03110-3 §A.1.2.2): a ContentInfo (no
    /// application tag) whose SignedData signs `security_infos` (a DER `SET OF SecurityInfo`)
    /// under eContentType id-SecurityObject, made like the SOD of `spec`; `hook` may break one
    /// thing, as for [`Self::issue_sod_with`].
    pub fn issue_card_security_with(
        &self,
        security_infos: &[u8],
        spec: &SodSpec,
        hook: impl FnOnce(&mut SodParts),
    ) -> Result<Vec<u8>, PkiError> {
        let sec_object = oid("0.4.0.127.0.7.3.2.1");
        let wrapped = self.issue_sod_with(&BTreeMap::new(), spec, |p| {
            p.econtent = Some(security_infos.to_vec());
            p.econtent_type = Some(sec_object.clone());
            // Any outer tag: it is taken off below.
            p.outer_tag = 0x30;
            if let Some(i) = p.find_attribute(ATTR_CONTENT_TYPE) {
                if let Some(slot) = p.signed_attributes.get_mut(i) {
                    *slot = seq(&[&oid(ATTR_CONTENT_TYPE), &tlv(0x31, &sec_object)]);
                }
            }
            p.refresh_message_digest();
            hook(p);
        })?;
        Ok(crate::tlv::parse_single(&wrapped)
            .map(|t| t.value.to_vec())
            .unwrap_or(wrapped))
    }

    /// [`Self::issue_card_security_with`] with this PKI's own scheme and SHA-256, unchanged.
    pub fn issue_card_security(&self, security_infos: &[u8]) -> Result<Vec<u8>, PkiError> {
        let spec = SodSpec {
            lds_digest: DigestAlgorithm::Sha256,
            signer_digest: self.dsc_scheme.digest(),
            scheme: self.dsc_scheme,
            include_dsc: true,
            sid_by_key_identifier: false,
        };
        self.issue_card_security_with(security_infos, &spec, |_| {})
    }

    /// A CRL signed by the CSCA listing `revoked` serials (magnitudes), revoked 2025-06-01;
    /// thisUpdate 2025-06-01, nextUpdate 2035-06-01.
    pub fn crl(&self, revoked: &[&[u8]]) -> Result<Vec<u8>, PkiError> {
        self.crl_dated(revoked, "250601000000Z", "350601000000Z")
    }

    /// [`Self::crl`] with other thisUpdate and nextUpdate dates (UTCTime, `YYMMDDhhmmssZ`):
    /// an expired CRL, for instance.
    pub fn crl_dated(
        &self,
        revoked: &[&[u8]],
        this_update: &str,
        next_update: &str,
    ) -> Result<Vec<u8>, PkiError> {
        let sig_alg = self.csca_scheme.algorithm_identifier();
        let entries: Vec<u8> = revoked
            .iter()
            .map(|s| seq(&[&int(s), &utc("250601000000Z")]))
            .collect::<Vec<_>>()
            .concat();
        let mut tbs_parts: Vec<Vec<u8>> = vec![
            int(&[1]),
            sig_alg.clone(),
            self.csca_name.clone(),
            utc(this_update),
            utc(next_update),
        ];
        if !revoked.is_empty() {
            tbs_parts.push(tlv(0x30, &entries));
        }
        let tbs = tlv(0x30, &tbs_parts.concat());
        let sig = self.csca_key.sign(self.csca_scheme, &tbs, b"crl")?;
        Ok(seq(&[&tbs, &sig_alg, &bits(&sig)]))
    }

    /// Tampering helper: a CRL that revokes this PKI's DSC.
    pub fn crl_revoking_dsc(&self) -> Result<Vec<u8>, PkiError> {
        self.crl(&[&self.dsc_serial])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_lengths_match_the_hash_outputs() {
        use DigestAlgorithm::*;
        for d in [Md5, Sha1, Sha224, Sha256, Sha384, Sha512] {
            assert_eq!(d.digest(b"abc").len(), d.output_len(), "{d:?}");
        }
        // RFC 1321 A.5: MD5("abc").
        assert_eq!(
            hex::encode(Md5.digest(b"abc")),
            "900150983cd24fb0d6963f7d28e17f72"
        );
    }

    #[test]
    fn scheme_oids_are_the_published_ones() {
        use DigestAlgorithm::*;
        // 06 08 2A 86 48 CE 3D 04 03 01 = 1.2.840.10045.4.3.1 (ecdsa-with-SHA224, RFC 5758).
        assert_eq!(
            hex::encode(Scheme::Ecdsa(Sha224).algorithm_identifier()),
            "300a06082a8648ce3d040301"
        );
        // 0.4.0.127.0.7.1.1.4.1.3 = ecdsa-plain-SHA256 (BSI TR-03111 §5.2.1).
        assert_eq!(
            hex::encode(Scheme::EcdsaPlain(Sha256).algorithm_identifier()),
            "300c060a04007f00070101040103"
        );
        // 2.16.840.1.101.3.4.3.2 = id-dsa-with-sha256 (RFC 5758 §3.1).
        assert_eq!(
            hex::encode(Scheme::Dsa(Sha256).algorithm_identifier()),
            "300b0609608648016503040302"
        );
        // md5WithRSAEncryption, NULL parameters.
        assert_eq!(
            hex::encode(Scheme::RsaPkcs1(Md5).algorithm_identifier()),
            "300d06092a864886f70d0101040500"
        );
    }
}
