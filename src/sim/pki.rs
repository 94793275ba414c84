//! The simulator's own test PKI: a CSCA that certifies a Document Signer, which signs EF.SOD
//! over given data groups (ICAO 9303-10 §4.6.2, 9303-12 §7), plus CRLs.
//!
//! Built with hand-written DER ([`crate::tlv`]) and the shared primitives only (EC math from
//! [`crate::crypto::ec`], raw RSA from the `rsa` crate): it does not use the verifier's code,
//! so a bug in one cannot hide the same bug in the other. Deterministic from a seed: EC keys
//! and ECDSA nonces come from [`SeededRandom`]; RSA keys are fixed test keys generated once
//! with OpenSSL (`test-vectors/sim-pki/`, see its README) because RSA key generation is slow.
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
use rsa::pkcs8::DecodePrivateKey;
use rsa::traits::PublicKeyParts;
use rsa::{BoxedUint, PrivateKey as RsaPrivateKey};
use sha2::{Digest, Sha256, Sha384, Sha512};
use std::collections::BTreeMap;
use std::sync::OnceLock;
use thiserror::Error;
use zeroize::Zeroizing;

/// A fixed 3072-bit RSA CSCA test key (PKCS#8 DER, generated once with OpenSSL).
const RSA_CSCA_PKCS8: &[u8] = include_bytes!("../../test-vectors/sim-pki/rsa3072-csca.pk8");
/// A fixed 2048-bit RSA DSC test key (PKCS#8 DER, generated once with OpenSSL).
const RSA_DSC_PKCS8: &[u8] = include_bytes!("../../test-vectors/sim-pki/rsa2048-dsc.pk8");

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

enum PrivateKey {
    Ec {
        curve: NamedCurve,
        explicit: bool,
        d: Zeroizing<Vec<u8>>,
        public: Vec<u8>,
    },
    Rsa {
        key: Box<RsaPrivateKey>,
        pss: bool,
    },
}

/// A CSCA → DSC pair able to sign SODs and CRLs.
pub struct TestPki {
    config: PkiConfig,
    csca_key: PrivateKey,
    dsc_key: PrivateKey,
    csca_name: Vec<u8>,
    csca_certificate: Vec<u8>,
    dsc_certificate: Vec<u8>,
    dsc_serial: Vec<u8>,
}

impl core::fmt::Debug for TestPki {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("TestPki")
            .field("config", &self.config)
            .field("keys", &"***")
            .finish()
    }
}

// ---- OIDs (written out here on purpose, independent of the verifier) ----
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

fn name(country: &str, o: &str, cn: &str) -> Vec<u8> {
    let atv = |t: &str, tag: u32, v: &str| tlv(0x31, &seq(&[&oid(t), &tlv(tag, v.as_bytes())]));
    seq(&[
        &atv("2.5.4.6", 0x13, country),
        &atv("2.5.4.10", 0x0C, o),
        &atv("2.5.4.3", 0x0C, cn),
    ])
}

#[derive(Clone, Copy)]
enum Hash {
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    fn digest(self, m: &[u8]) -> Vec<u8> {
        match self {
            Self::Sha256 => Sha256::digest(m).to_vec(),
            Self::Sha384 => Sha384::digest(m).to_vec(),
            Self::Sha512 => Sha512::digest(m).to_vec(),
        }
    }
    fn oid(self) -> Vec<u8> {
        oid(match self {
            Self::Sha256 => "2.16.840.1.101.3.4.2.1",
            Self::Sha384 => "2.16.840.1.101.3.4.2.2",
            Self::Sha512 => "2.16.840.1.101.3.4.2.3",
        })
    }
}

impl PrivateKey {
    fn generate(
        alg: KeyAlgorithm,
        rsa_der: &[u8],
        rng: &mut SeededRandom,
    ) -> Result<Self, PkiError> {
        match alg {
            KeyAlgorithm::Ecdsa { curve, explicit } => {
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
            KeyAlgorithm::RsaPkcs1 | KeyAlgorithm::RsaPss => Ok(Self::Rsa {
                key: Box::new(rsa_key(rsa_der)?),
                pss: alg == KeyAlgorithm::RsaPss,
            }),
        }
    }

    fn hash(&self) -> Hash {
        match self {
            Self::Ec { curve, .. } => match curve.curve().field_size() {
                0..=32 => Hash::Sha256,
                33..=48 => Hash::Sha384,
                _ => Hash::Sha512,
            },
            Self::Rsa { .. } => Hash::Sha256,
        }
    }

    /// The AlgorithmIdentifier of signatures made with this key.
    fn signature_algorithm(&self) -> Vec<u8> {
        match self {
            Self::Ec { .. } => seq(&[&oid(match self.hash() {
                Hash::Sha256 => "1.2.840.10045.4.3.2",
                Hash::Sha384 => "1.2.840.10045.4.3.3",
                Hash::Sha512 => "1.2.840.10045.4.3.4",
            })]),
            Self::Rsa { pss: false, .. } => seq(&[&oid("1.2.840.113549.1.1.11"), &NULL]),
            Self::Rsa { pss: true, .. } => {
                let sha256 = seq(&[&oid("2.16.840.1.101.3.4.2.1"), &NULL]);
                let mgf = seq(&[&oid("1.2.840.113549.1.1.8"), &sha256]);
                let params = seq(&[
                    &tlv(0xA0, &sha256),
                    &tlv(0xA1, &mgf),
                    &tlv(0xA2, &int(&[32])),
                ]);
                seq(&[&oid("1.2.840.113549.1.1.10"), &params])
            }
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
            Self::Rsa { key, .. } => {
                let pk = seq(&[&int(&key.n().to_be_bytes()), &int(&key.e().to_be_bytes())]);
                seq(&[&seq(&[&oid("1.2.840.113549.1.1.1"), &NULL]), &bits(&pk)])
            }
        }
    }

    fn key_bits(&self) -> Vec<u8> {
        match self {
            Self::Ec { public, .. } => public.clone(),
            Self::Rsa { key, .. } => key.n().to_be_bytes().to_vec(),
        }
    }

    fn sign(&self, message: &[u8], nonce_seed: &[u8]) -> Result<Vec<u8>, PkiError> {
        let hash = self.hash();
        let digest = hash.digest(message);
        let mut rng = SeededRandom::from_bytes(&[nonce_seed, &digest].concat());
        match self {
            Self::Ec { curve, d, .. } => curve
                .curve()
                .ecdsa_sign(d, &digest, &mut rng)
                .map(|s| s.to_der())
                .map_err(|e| PkiError::Ec(e.to_string())),
            Self::Rsa { key, pss } => {
                let k = key.size();
                let em = if *pss {
                    let mod_bits = usize::try_from(key.n().bit_width()).unwrap_or(0);
                    let mut em = pss_encode(&digest, mod_bits.saturating_sub(1), &rng.bytes(32));
                    while em.len() < k {
                        em.insert(0, 0);
                    }
                    em
                } else {
                    // EMSA-PKCS1-v1_5 (RFC 8017 §9.2) with the SHA-256 DigestInfo.
                    let t = seq(&[&seq(&[&hash.oid(), &NULL]), &octets(&digest)]);
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
        }
    }
}

fn rsa_key(der: &[u8]) -> Result<RsaPrivateKey, PkiError> {
    RsaPrivateKey::from_pkcs8_der(der).map_err(|e| PkiError::Rsa(e.to_string()))
}

/// EMSA-PSS-ENCODE (RFC 8017 §9.1.1) with SHA-256 / MGF1-SHA-256.
fn pss_encode(m_hash: &[u8], em_bits: usize, salt: &[u8]) -> Vec<u8> {
    let em_len = em_bits.div_ceil(8);
    let mut m_prime = vec![0u8; 8];
    m_prime.extend_from_slice(m_hash);
    m_prime.extend_from_slice(salt);
    let h = Sha256::digest(&m_prime).to_vec();
    let db_len = em_len.saturating_sub(h.len() + 1);
    let mut db = vec![0u8; db_len.saturating_sub(salt.len() + 1)];
    db.push(0x01);
    db.extend_from_slice(salt);
    let mut mask = Vec::new();
    let mut counter = 0u32;
    while mask.len() < db_len {
        mask.extend_from_slice(&Sha256::digest(
            [h.as_slice(), &counter.to_be_bytes()].concat(),
        ));
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

fn certificate(
    spec: &CertSpec<'_>,
    subject_key: &PrivateKey,
    issuer_key: &PrivateKey,
    seed: &[u8],
) -> Result<Vec<u8>, PkiError> {
    let sig_alg = issuer_key.signature_algorithm();
    let ext = |id: &str, critical: bool, value: &[u8]| {
        if critical {
            seq(&[&oid(id), &[0x01, 0x01, 0xFF], &octets(value)])
        } else {
            seq(&[&oid(id), &octets(value)])
        }
    };
    let key_usage = if spec.ca {
        // keyCertSign (5) + cRLSign (6): 0000 0110, one unused bit.
        tlv(0x03, &[0x01, 0x06])
    } else {
        // digitalSignature (0): 1000 0000, seven unused bits.
        tlv(0x03, &[0x07, 0x80])
    };
    let mut exts = vec![
        ext("2.5.29.15", true, &key_usage),
        ext("2.5.29.14", false, &octets(spec.ski)),
        ext("2.5.29.35", false, &seq(&[&tlv(0x80, spec.aki)])),
    ];
    if spec.ca {
        exts.push(ext(
            "2.5.29.19",
            true,
            &seq(&[&[0x01, 0x01, 0xFF], &int(&[0])]),
        ));
    }
    let tbs = seq(&[
        &tlv(0xA0, &int(&[2])),
        &int(spec.serial),
        &sig_alg,
        spec.issuer,
        &seq(&[&utc(spec.not_before), &utc(spec.not_after)]),
        spec.subject,
        &subject_key.spki(),
        &tlv(0xA3, &seq(&[&exts.concat()])),
    ]);
    let sig = issuer_key.sign(&tbs, seed)?;
    Ok(seq(&[&tbs, &sig_alg, &bits(&sig)]))
}

impl TestPki {
    /// Builds the CSCA and DSC certificates.
    pub fn new(config: &PkiConfig) -> Result<Self, PkiError> {
        let mut rng = SeededRandom::from_bytes(
            &[b"cccd-sim-pki".as_slice(), &config.seed.to_be_bytes()].concat(),
        );
        let csca_key = PrivateKey::generate(config.csca, RSA_CSCA_PKCS8, &mut rng)?;
        let dsc_key = PrivateKey::generate(config.dsc, RSA_DSC_PKCS8, &mut rng)?;
        let csca_name = name(&config.country, "cccd test PKI", "cccd test CSCA");
        let dsc_name = name(
            &config.country,
            "cccd test PKI",
            "cccd test Document Signer",
        );
        let csca_ski = key_id(&csca_key.key_bits());
        let dsc_ski = key_id(&dsc_key.key_bits());
        let seed = config.seed.to_be_bytes();
        let csca_certificate = certificate(
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
            &csca_key,
            &seed,
        )?;
        let dsc_serial = rng.bytes(8);
        let (nb, na) = if config.expired_dsc {
            ("100101000000Z", "150101000000Z")
        } else {
            ("240101000000Z", "350101000000Z")
        };
        let dsc_certificate = certificate(
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
            &csca_key,
            &seed,
        )?;
        Ok(Self {
            config: config.clone(),
            csca_key,
            dsc_key,
            csca_name,
            csca_certificate,
            dsc_certificate,
            dsc_serial,
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
        let sha256 = seq(&[&oid("2.16.840.1.101.3.4.2.1")]);
        let hashes: Vec<u8> = data_groups
            .iter()
            .map(|(n, b)| seq(&[&int(&[*n]), &octets(&Sha256::digest(b))]))
            .collect::<Vec<_>>()
            .concat();
        let lso = seq(&[&int(&[0]), &sha256, &tlv(0x30, &hashes)]);
        let signing_time = if self.config.expired_dsc {
            "120101000000Z"
        } else {
            "250101000000Z"
        };
        let dsc_hash = self.dsc_key.hash();
        let attrs = vec![
            seq(&[
                &oid("1.2.840.113549.1.9.3"),
                &tlv(0x31, content_type_oid_der),
            ]),
            seq(&[&oid("1.2.840.113549.1.9.5"), &tlv(0x31, &utc(signing_time))]),
            seq(&[
                &oid("1.2.840.113549.1.9.4"),
                &tlv(0x31, &octets(&dsc_hash.digest(&lso))),
            ]),
        ];
        let signed_attrs = set_sorted(attrs);
        let signature = self
            .dsc_key
            .sign(&signed_attrs, &self.config.seed.to_be_bytes())?;
        let mut attrs_a0 = signed_attrs.clone();
        if let Some(first) = attrs_a0.first_mut() {
            *first = 0xA0;
        }
        let digest_alg = seq(&[&dsc_hash.oid()]);
        let signer_info = seq(&[
            &int(&[1]),
            &seq(&[&self.csca_name, &int(&self.dsc_serial)]),
            &digest_alg,
            &attrs_a0,
            &self.dsc_key.signature_algorithm(),
            &octets(&signature),
        ]);
        let signed_data = seq(&[
            &int(&[3]),
            &tlv(0x31, &digest_alg),
            &seq(&[content_type_oid_der, &tlv(0xA0, &octets(&lso))]),
            &tlv(0xA0, &self.dsc_certificate),
            &tlv(0x31, &signer_info),
        ]);
        let content_info = seq(&[&oid("1.2.840.113549.1.7.2"), &tlv(0xA0, &signed_data)]);
        Ok(tlv(0x77, &content_info))
    }

    /// A CRL signed by the CSCA listing `revoked` serials (magnitudes), revoked 2025-06-01.
    pub fn crl(&self, revoked: &[&[u8]]) -> Result<Vec<u8>, PkiError> {
        let sig_alg = self.csca_key.signature_algorithm();
        let entries: Vec<u8> = revoked
            .iter()
            .map(|s| seq(&[&int(s), &utc("250601000000Z")]))
            .collect::<Vec<_>>()
            .concat();
        let mut tbs_parts: Vec<Vec<u8>> = vec![
            int(&[1]),
            sig_alg.clone(),
            self.csca_name.clone(),
            utc("250601000000Z"),
            utc("350601000000Z"),
        ];
        if !revoked.is_empty() {
            tbs_parts.push(tlv(0x30, &entries));
        }
        let tbs = tlv(0x30, &tbs_parts.concat());
        let sig = self.csca_key.sign(&tbs, b"crl")?;
        Ok(seq(&[&tbs, &sig_alg, &bits(&sig)]))
    }

    /// Tampering helper: a CRL that revokes this PKI's DSC.
    pub fn crl_revoking_dsc(&self) -> Result<Vec<u8>, PkiError> {
        self.crl(&[&self.dsc_serial])
    }
}
