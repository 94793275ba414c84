//! Passive authentication (ICAO 9303-11 §5.1): the SOD's signature by the Document Signer,
//! the DSC's chain to a trusted CSCA (with CRLs), and each data group's hash. Every check gets
//! its own verdict; [`PassiveAuthReport::is_genuine`] holds only when all of them do.

use super::chain::{check_signed_object, SignedObject};
use super::country::CountryVerdict;
use super::trust::TrustStore;
use crate::crypto::hash::HashAlgorithm;
use crate::lds::sod::{Sod, SodError};
use crate::pki::cms::{CmsError, SignerFailure};
use crate::pki::{oid, Certificate, SignatureAlgorithm, SignatureError, Time};
use std::collections::BTreeMap;

pub use super::chain::MAX_LINK_DEPTH;

/// Options of a verification: passive authentication and the document's verdict.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PaOptions {
    /// The time "now" is checked at (default: the system clock). The CLI's `--at`.
    ///
    /// Validity model: the Document Signer certificate follows the shell model (it must be
    /// valid at `at`, and at the SOD's signingTime when that is present:
    /// [`PassiveAuthReport::validity_now`], [`PassiveAuthReport::validity_at_signing`]); the
    /// CSCA follows the chain model (it must have been able to issue the DSC: a link
    /// certificate must be valid when the DSC was issued; an expired CSCA only earns a
    /// warning, since ICAO CSCAs outlive their DSCs by the documents' validity). CRLs are
    /// judged at `at` (an expired CRL cannot vouch that a DSC is not revoked).
    pub at: Option<Time>,
    /// The issuing state (ICAO three-letter code, `VNM` for a CCCD) the document must carry in
    /// DG1; its DSC and CSCA must then be of that country ([`super::country`]). `None`: DG1's
    /// own issuing state is bound to the certificates, whatever it is.
    pub expected_issuing_state: Option<String>,
    /// Set only through [`crate::reader::danger::accept_bac_on_pace_chip`].
    pub(crate) accept_bac_on_pace_chip: bool,
}

impl PaOptions {
    /// Checks "now" validity at `time` instead of the system clock.
    pub fn at(mut self, time: Time) -> Self {
        self.at = Some(time);
        self
    }

    /// Requires DG1's issuing state to be `icao_code` (e.g. `VNM`) and binds it to the DSC's
    /// and CSCA's country.
    pub fn expect_issuing_state(mut self, icao_code: &str) -> Self {
        self.expected_issuing_state = Some(icao_code.to_ascii_uppercase());
        self
    }

    /// Whether the caller accepted a BAC session on a chip that proves PACE support.
    pub fn accepts_bac_on_pace_chip(&self) -> bool {
        self.accept_bac_on_pace_chip
    }
}

/// The SOD signature verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "status", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum SignatureVerdict {
    /// The SignerInfo's signature over the signed attributes verifies with the DSC's key and
    /// the messageDigest matches the LDS security object.
    Valid,
    /// Not valid, with the reason.
    Invalid {
        /// Why (a sentence in JSON).
        #[cfg_attr(feature = "serde", serde(serialize_with = "ser_display"))]
        reason: SignerFailure,
    },
}

/// Why a chain is untrusted.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum UntrustedReason {
    /// No certificate in the trust store has the DSC's issuer as subject (with a matching
    /// key identifier).
    NoCscaFound {
        /// The DSC's issuer.
        issuer: String,
    },
}

/// Why a chain is invalid.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(
    feature = "serde",
    serde(tag = "kind", content = "detail", rename_all = "snake_case")
)]
#[non_exhaustive]
pub enum ChainFailure {
    /// There is no DSC to check (the SOD did not parse or carries no signer certificate).
    NoDsc,
    /// A CSCA with the issuer's name exists but the DSC's signature does not verify with its
    /// key (a tampered DSC, or a forged one).
    DscSignatureInvalid(
        #[cfg_attr(
            feature = "serde",
            serde(serialize_with = "crate::pki::serde_util::display")
        )]
        SignatureError,
    ),
    /// The only certificates with the DSC's issuer name are not CA certificates with
    /// keyCertSign (a DSC, or a PKD Document Signer, cannot issue a DSC).
    IssuerNotCa {
        /// The DSC's issuer.
        issuer: String,
    },
    /// The CSCA found is a link certificate that no trusted CSCA certifies.
    LinkCertificateUnverified {
        /// The link certificate's subject.
        link: String,
    },
    /// The CSCA found is a link certificate that was not valid when the DSC was issued.
    LinkCertificateNotValidAtIssuance {
        /// The DSC's notBefore.
        dsc_issued: Time,
    },
    /// The CSCA signed the DSC, but the DSC breaks the Document Signer profile.
    DscProfile(DscProfileViolation),
}

/// How a Document Signer certificate breaks the profile of ICAO 9303-12 §7.1.1 (and RFC 5280),
/// though its signature verifies: BSI TR-03105-5.1 LDS_H_48..64 fail each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum DscProfileViolation {
    /// Not an X.509 v3 certificate (the encoded version number: 0 = v1, 1 = v2).
    Version(u8),
    /// A validity date before 2050 encoded as GeneralizedTime (RFC 5280 §4.1.2.5).
    GeneralizedTimeBefore2050,
    /// No authorityKeyIdentifier extension.
    AuthorityKeyIdentifierMissing,
    /// An authorityKeyIdentifier without its keyIdentifier (issuer and serial only).
    AuthorityKeyIdentifierWithoutKeyId,
    /// No keyUsage extension.
    KeyUsageMissing,
    /// keyUsage not marked critical.
    KeyUsageNotCritical,
    /// keyUsage without digitalSignature.
    KeyUsageWithoutDigitalSignature,
}

impl core::fmt::Display for DscProfileViolation {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Version(v) => write!(f, "version v{} (v3 required)", u16::from(*v) + 1),
            Self::GeneralizedTimeBefore2050 => {
                f.write_str("a validity date before 2050 encoded as GeneralizedTime")
            }
            Self::AuthorityKeyIdentifierMissing => f.write_str("no authorityKeyIdentifier"),
            Self::AuthorityKeyIdentifierWithoutKeyId => {
                f.write_str("authorityKeyIdentifier without keyIdentifier")
            }
            Self::KeyUsageMissing => f.write_str("no keyUsage"),
            Self::KeyUsageNotCritical => f.write_str("keyUsage not critical"),
            Self::KeyUsageWithoutDigitalSignature => {
                f.write_str("keyUsage without digitalSignature")
            }
        }
    }
}

/// The DSC → CSCA chain verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "status", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum ChainVerdict {
    /// The DSC is signed by a trusted CSCA and not revoked by any CRL we hold.
    Valid,
    /// No trust anchor for this DSC.
    Untrusted {
        /// Why.
        reason: UntrustedReason,
    },
    /// The chain is broken.
    Invalid {
        /// Why.
        reason: ChainFailure,
    },
    /// A CRL signed by the CSCA lists the DSC.
    Revoked {
        /// revocationDate from the CRL.
        revocation_date: Time,
    },
}

/// One data group's hash verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum DgHashVerdict {
    /// The data group was read and its hash matches the SOD.
    Valid,
    /// The data group was read and its hash differs from the SOD's.
    Mismatch,
    /// The SOD lists it but it was not read.
    NotRead,
    /// It was read but the SOD does not list it: not covered by the signature.
    NotInSod,
    /// The SOD could not be parsed, so nothing could be compared.
    NotChecked,
}

/// A certificate's validity at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "status", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum ValidityVerdict {
    /// Within notBefore..notAfter.
    Valid,
    /// Before notBefore.
    NotYetValid {
        /// notBefore.
        not_before: Time,
    },
    /// After notAfter.
    Expired {
        /// notAfter.
        not_after: Time,
    },
    /// Not known (no DSC, or no signingTime attribute).
    Unknown,
}

impl ValidityVerdict {
    pub(crate) fn of(cert: &Certificate, at: Time) -> Self {
        if at < cert.not_before {
            Self::NotYetValid {
                not_before: cert.not_before,
            }
        } else if at > cert.not_after {
            Self::Expired {
                not_after: cert.not_after,
            }
        } else {
            Self::Valid
        }
    }
}

impl core::fmt::Display for SignatureVerdict {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Valid => f.write_str("valid"),
            Self::Invalid { reason } => write!(f, "INVALID: {reason}"),
        }
    }
}

impl core::fmt::Display for ChainVerdict {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Valid => f.write_str("valid"),
            Self::Untrusted {
                reason: UntrustedReason::NoCscaFound { issuer },
            } => write!(f, "untrusted: no trusted CSCA named {issuer}"),
            Self::Invalid { reason } => write!(f, "INVALID: {reason}"),
            Self::Revoked { revocation_date } => write!(f, "REVOKED on {revocation_date}"),
        }
    }
}

impl core::fmt::Display for ChainFailure {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::NoDsc => f.write_str("no Document Signer certificate"),
            Self::DscSignatureInvalid(why) => {
                write!(f, "the CSCA's signature on the DSC fails ({why})")
            }
            Self::IssuerNotCa { issuer } => write!(
                f,
                "the DSC's issuer {issuer} is not a CA certificate with keyCertSign"
            ),
            Self::LinkCertificateUnverified { link } => {
                write!(f, "no trusted CSCA certifies the link certificate {link}")
            }
            Self::LinkCertificateNotValidAtIssuance { dsc_issued } => write!(
                f,
                "the link certificate was not valid when the DSC was issued ({dsc_issued})"
            ),
            Self::DscProfile(v) => write!(f, "the DSC breaks the Document Signer profile: {v}"),
        }
    }
}

impl core::fmt::Display for ValidityVerdict {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Valid => f.write_str("valid"),
            Self::NotYetValid { not_before } => write!(f, "NOT YET VALID (from {not_before})"),
            Self::Expired { not_after } => write!(f, "EXPIRED (on {not_after})"),
            Self::Unknown => f.write_str("unknown"),
        }
    }
}

impl core::fmt::Display for DgHashVerdict {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::Valid => "valid",
            Self::Mismatch => "MISMATCH",
            Self::NotRead => "not read",
            Self::NotInSod => "NOT IN SOD",
            Self::NotChecked => "not checked",
        })
    }
}

/// Everything passive authentication found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PassiveAuthReport {
    /// The SOD signature.
    pub sod_signature: SignatureVerdict,
    /// The DSC → CSCA chain.
    pub chain: ChainVerdict,
    /// Each data group listed by the SOD or read, by number (in JSON:
    /// `[{ "file": "DG1", "hash": "valid" }, ...]`).
    #[cfg_attr(feature = "serde", serde(serialize_with = "ser_data_groups"))]
    pub data_groups: Vec<(u8, DgHashVerdict)>,
    /// The Document Signer's subject.
    pub dsc_subject: Option<String>,
    /// The DSC's issuer.
    pub dsc_issuer: Option<String>,
    /// The DSC's country (subject C).
    pub dsc_country: Option<String>,
    /// The DSC's serial number, hex.
    pub dsc_serial: Option<String>,
    /// The CSCA that signed the DSC.
    pub csca_subject: Option<String>,
    /// The CSCA's country (subject C).
    pub csca_country: Option<String>,
    /// DG1's issuing state (ICAO three-letter code), when DG1 was given and parses.
    pub issuing_state: Option<String>,
    /// DG1's issuing state against the DSC's and the CSCA's country (and the expected state).
    pub country: CountryVerdict,
    /// The SOD's signature algorithm.
    #[cfg_attr(feature = "serde", serde(serialize_with = "ser_display_opt"))]
    pub signature_algorithm: Option<SignatureAlgorithm>,
    /// The algorithm the CSCA signed the DSC with.
    #[cfg_attr(feature = "serde", serde(serialize_with = "ser_display_opt"))]
    pub dsc_signature_algorithm: Option<SignatureAlgorithm>,
    /// The data-group hash algorithm.
    #[cfg_attr(feature = "serde", serde(serialize_with = "ser_display_opt"))]
    pub hash_algorithm: Option<HashAlgorithm>,
    /// The SOD's signingTime attribute.
    pub signing_time: Option<Time>,
    /// DSC validity at the signing time.
    pub validity_at_signing: ValidityVerdict,
    /// DSC validity now (or at [`PaOptions::at`]).
    pub validity_now: ValidityVerdict,
    /// The moment used for `validity_now`.
    pub checked_at: Time,
    /// Deviations accepted leniently, each typed.
    pub warnings: Vec<super::Warning>,
}

impl PassiveAuthReport {
    /// True only when the signature and the chain are valid, the DSC is valid now and (when
    /// known) at signing time, the countries agree, at least one data group was read, and
    /// every data group that was read is listed and matches.
    pub fn is_genuine(&self) -> bool {
        self.sod_signature == SignatureVerdict::Valid
            && !matches!(self.country, CountryVerdict::Mismatch { .. })
            && self.chain == ChainVerdict::Valid
            && self.validity_now == ValidityVerdict::Valid
            && matches!(
                self.validity_at_signing,
                ValidityVerdict::Valid | ValidityVerdict::Unknown
            )
            && self
                .data_groups
                .iter()
                .all(|(_, v)| matches!(v, DgHashVerdict::Valid | DgHashVerdict::NotRead))
            // Nothing read, nothing proven: a lone SOD is never "genuine" data.
            && self
                .data_groups
                .iter()
                .any(|(_, v)| *v == DgHashVerdict::Valid)
    }

    /// True when the SOD signature and the chain hold (what `cccd verify --sod` requires).
    pub fn is_signature_and_chain_valid(&self) -> bool {
        self.sod_signature == SignatureVerdict::Valid && self.chain == ChainVerdict::Valid
    }
}

/// Runs passive authentication. Never panics; a parse failure becomes a verdict.
///
/// `data_groups` maps a data group number to the file's bytes as read.
///
/// ```
/// use cccd::verify::{verify_passive, PaOptions, TrustStore, ChainVerdict, DgHashVerdict};
/// use std::collections::BTreeMap;
/// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/test-data/bsi-tr03105-5/");
/// let sod = std::fs::read(format!("{dir}EF_SOD.bin")).unwrap();
/// let dg1 = std::fs::read(format!("{dir}Datagroup1.bin")).unwrap();
/// let report = verify_passive(&sod, &BTreeMap::from([(1, dg1)]), &TrustStore::new(),
///     &PaOptions::default());
/// assert_eq!(report.data_groups[0], (1, DgHashVerdict::Valid));
/// assert!(matches!(report.chain, ChainVerdict::Untrusted { .. }));
/// assert!(!report.is_genuine());
/// ```
pub fn verify_passive(
    sod_bytes: &[u8],
    data_groups: &BTreeMap<u8, Vec<u8>>,
    trust: &TrustStore,
    options: &PaOptions,
) -> PassiveAuthReport {
    let now = options.at.unwrap_or_else(Time::now);
    let mut report = PassiveAuthReport {
        sod_signature: SignatureVerdict::Invalid {
            reason: SignerFailure::NoSignerInfo,
        },
        chain: ChainVerdict::Invalid {
            reason: ChainFailure::NoDsc,
        },
        data_groups: data_groups
            .keys()
            .map(|n| (*n, DgHashVerdict::NotChecked))
            .collect(),
        dsc_subject: None,
        dsc_issuer: None,
        dsc_country: None,
        dsc_serial: None,
        csca_subject: None,
        csca_country: None,
        issuing_state: data_groups
            .get(&1)
            .and_then(|dg1| crate::lds::Dg1::issuing_state(dg1).ok()),
        country: CountryVerdict::NotChecked,
        signature_algorithm: None,
        dsc_signature_algorithm: None,
        hash_algorithm: None,
        signing_time: None,
        validity_at_signing: ValidityVerdict::Unknown,
        validity_now: ValidityVerdict::Unknown,
        checked_at: now,
        warnings: Vec::new(),
    };
    let sod = match Sod::parse(sod_bytes) {
        Ok(sod) => sod,
        Err(e) => {
            let reason = match e {
                SodError::WrongContentType(oid) => SignerFailure::WrongContentType(oid),
                SodError::UnsupportedHash(oid) => SignerFailure::UnsupportedDigest(oid),
                SodError::Cms(cms) => SignerFailure::Malformed(cms),
                SodError::Malformed(t) => SignerFailure::Malformed(CmsError::Malformed(t)),
                SodError::NoContent => SignerFailure::Malformed(CmsError::NoContent),
                SodError::UnsupportedVersion(v) => {
                    SignerFailure::Malformed(CmsError::UnsupportedContentVersion(v))
                }
            };
            report.sod_signature = SignatureVerdict::Invalid { reason };
            return report;
        }
    };
    report.hash_algorithm = Some(sod.lds_security_object.hash_algorithm);
    report.data_groups = data_group_verdicts(&sod, data_groups);
    if sod.econtent_type != oid::LDS_SECURITY_OBJECT {
        report.warnings.push(super::Warning::LegacyEContentType {
            oid: sod.econtent_type,
        });
    }
    let check = check_signed_object(
        SignedObject {
            version: sod.version,
            digest_algorithms: &sod.digest_algorithms,
            econtent_type: &sod.econtent_type,
            econtent: &sod.econtent,
            signer_infos: &sod.signer_infos,
            certificates: &sod.certificates,
        },
        trust,
        now,
    );
    report.sod_signature = check.signature;
    report.chain = check.chain;
    if let Some(dsc) = check.dsc {
        report.dsc_subject = Some(dsc.subject.to_string());
        report.dsc_issuer = Some(dsc.issuer.to_string());
        report.dsc_country = dsc.subject.country();
        report.dsc_serial = Some(dsc.serial_hex());
    }
    report.csca_subject = check.csca.map(|c| c.subject.to_string());
    report.signature_algorithm = check.signature_algorithm;
    report.dsc_signature_algorithm = check.dsc_signature_algorithm;
    report.signing_time = check.signing_time;
    report.validity_at_signing = check.validity_at_signing;
    report.validity_now = check.validity_now;
    report.warnings.extend(check.warnings);
    report.csca_country = check.csca.and_then(|c| c.subject.country());
    report.country = super::country::bind(
        options.expected_issuing_state.as_deref(),
        report.issuing_state.as_deref(),
        check.dsc.map(|_| report.dsc_country.as_deref()),
        check.csca.map(|_| report.csca_country.as_deref()),
    );
    report
}

fn data_group_verdicts(sod: &Sod, data_groups: &BTreeMap<u8, Vec<u8>>) -> Vec<(u8, DgHashVerdict)> {
    let lso = &sod.lds_security_object;
    let mut out: BTreeMap<u8, DgHashVerdict> = BTreeMap::new();
    for (n, expected) in &lso.data_group_hashes {
        let verdict = match data_groups.get(n) {
            Some(bytes) if lso.hash_algorithm.digest(bytes) == *expected => DgHashVerdict::Valid,
            Some(_) => DgHashVerdict::Mismatch,
            None => DgHashVerdict::NotRead,
        };
        out.insert(*n, verdict);
    }
    for n in data_groups.keys() {
        out.entry(*n).or_insert(DgHashVerdict::NotInSod);
    }
    out.into_iter().collect()
}

#[cfg(feature = "serde")]
fn ser_display<T: core::fmt::Display, S: serde::Serializer>(
    v: &T,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

#[cfg(feature = "serde")]
fn ser_display_opt<T: core::fmt::Display, S: serde::Serializer>(
    v: &Option<T>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => s.collect_str(v),
        None => s.serialize_none(),
    }
}

#[cfg(feature = "serde")]
fn ser_data_groups<S: serde::Serializer>(
    v: &[(u8, DgHashVerdict)],
    s: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::{SerializeSeq, SerializeStruct};
    struct Entry<'a>(&'a (u8, DgHashVerdict));
    impl serde::Serialize for Entry<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut st = s.serialize_struct("DataGroupHash", 2)?;
            st.serialize_field("file", &format!("DG{}", self.0 .0))?;
            st.serialize_field("hash", &self.0 .1)?;
            st.end()
        }
    }
    let mut seq = s.serialize_seq(Some(v.len()))?;
    for e in v {
        seq.serialize_element(&Entry(e))?;
    }
    seq.end()
}
