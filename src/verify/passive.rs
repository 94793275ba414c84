//! Passive authentication (ICAO 9303-11 §5.1): the SOD's signature by the Document Signer,
//! the DSC's chain to a trusted CSCA (with CRLs), and each data group's hash. Every check gets
//! its own verdict; [`PassiveAuthReport::is_genuine`] holds only when all of them do.

use super::asn1::{NameMatch, Time};
use super::cert::{Certificate, KeyUsage};
use super::cms::{find_signer, verify_certificate_signature, verify_signer_info, SignerFailure};
use super::country::CountryVerdict;
use super::signature::{self, SignatureAlgorithm};
use super::trust::TrustStore;
use crate::lds::sod::{HashAlgorithm, Sod, SodError};
use std::collections::BTreeMap;

/// How deep a link-certificate chain (CSCA signed by an older CSCA) may go.
pub const MAX_LINK_DEPTH: usize = 4;

/// Options of a verification: passive authentication and the document's verdict.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PaOptions {
    /// The time "now" is checked at (default: the system clock). The CLI's `--at`.
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
    DscSignatureInvalid(String),
    /// The CSCA found is a link certificate that no trusted CSCA certifies.
    LinkCertificateUnverified(String),
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
    fn of(cert: &Certificate, at: Time) -> Self {
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
            Self::Invalid { reason } => match reason {
                ChainFailure::NoDsc => f.write_str("INVALID: no Document Signer certificate"),
                ChainFailure::DscSignatureInvalid(why) => {
                    write!(f, "INVALID: the CSCA's signature on the DSC fails ({why})")
                }
                ChainFailure::LinkCertificateUnverified(why) => {
                    write!(f, "INVALID: link certificate not verified ({why})")
                }
            },
            Self::Revoked { revocation_date } => write!(f, "REVOKED on {revocation_date}"),
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
    /// Deviations accepted leniently, each named.
    pub warnings: Vec<String>,
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
            .and_then(|dg1| crate::lds::Dg1::parse(dg1).ok())
            .map(|dg1| dg1.mrz.issuing_state),
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
                other => SignerFailure::Malformed(other.to_string()),
            };
            report.sod_signature = SignatureVerdict::Invalid { reason };
            return report;
        }
    };
    report.hash_algorithm = Some(sod.lds_security_object.hash_algorithm);
    report.data_groups = data_group_verdicts(&sod, data_groups);
    if sod.econtent_type != super::asn1::oids::LDS_SECURITY_OBJECT {
        report.warnings.push(format!(
            "legacy eContentType {} accepted",
            sod.econtent_type
        ));
    }

    let Some(si) = sod.signer_infos.first() else {
        return report;
    };
    if sod.signer_infos.len() > 1 {
        report
            .warnings
            .push("more than one SignerInfo; only the first is checked".into());
    }
    report.signing_time = si.signed_attributes.as_ref().and_then(|a| a.signing_time);
    let found = find_signer(&si.sid, &sod.certificates).or_else(|| {
        find_signer(&si.sid, trust.certificates()).map(|(c, w)| {
            report
                .warnings
                .push("DSC not in the SOD; taken from the trust store".into());
            (c, w)
        })
    });
    let Some((dsc, name_warning)) = found else {
        report.sod_signature = SignatureVerdict::Invalid {
            reason: SignerFailure::SignerCertificateNotFound,
        };
        return report;
    };
    report.warnings.extend(name_warning);
    report.dsc_subject = Some(dsc.subject.to_string());
    report.dsc_issuer = Some(dsc.issuer.to_string());
    report.dsc_country = dsc.subject.country();
    report.dsc_serial = Some(dsc.serial_hex());
    report.signature_algorithm = SignatureAlgorithm::from_algorithm_identifier(
        &si.signature_algorithm,
        HashAlgorithm::from_oid(&si.digest_algorithm.oid),
    )
    .ok();
    report.sod_signature = match verify_signer_info(si, &sod.econtent_type, &sod.econtent, dsc) {
        Ok(ok) => {
            report.warnings.extend(ok.warnings);
            report.signature_algorithm = Some(ok.algorithm);
            SignatureVerdict::Valid
        }
        Err(reason) => SignatureVerdict::Invalid { reason },
    };
    report.validity_now = ValidityVerdict::of(dsc, now);
    report.validity_at_signing = match report.signing_time {
        Some(t) => ValidityVerdict::of(dsc, t),
        None => ValidityVerdict::Unknown,
    };
    report.dsc_signature_algorithm =
        SignatureAlgorithm::from_algorithm_identifier(&dsc.signature_algorithm, None).ok();
    let chain = validate_chain(dsc, trust, report.signing_time, now);
    report.chain = chain.verdict;
    report.csca_subject = chain.csca.map(|c| c.subject.to_string());
    report.csca_country = chain.csca.and_then(|c| c.subject.country());
    report.warnings.extend(chain.warnings);
    report.country = super::country::bind(
        options.expected_issuing_state.as_deref(),
        report.issuing_state.as_deref(),
        Some(report.dsc_country.as_deref()),
        chain.csca.map(|_| report.csca_country.as_deref()),
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

/// What the chain check found.
pub(crate) struct ChainResult<'a> {
    pub verdict: ChainVerdict,
    pub csca: Option<&'a Certificate>,
    pub warnings: Vec<String>,
}

/// DSC → CSCA (ICAO 9303-12 §7, 9303-11 §5.1.1): name and key-identifier match, the DSC's
/// signature by the CSCA key, link certificates, CRLs, key usage and basic constraints.
pub(crate) fn validate_chain<'a>(
    dsc: &Certificate,
    trust: &'a TrustStore,
    signing_time: Option<Time>,
    now: Time,
) -> ChainResult<'a> {
    let mut warnings = Vec::new();
    check_dsc_profile(dsc, &mut warnings);
    let mut candidates: Vec<(&Certificate, NameMatch)> = trust
        .certificates()
        .iter()
        .filter_map(|c| match c.subject.matches(&dsc.issuer) {
            NameMatch::Different => None,
            m => Some((c, m)),
        })
        .filter(|(c, _)| {
            match (
                &dsc.extensions.authority_key_identifier,
                &c.extensions.subject_key_identifier,
            ) {
                (Some(aki), Some(ski)) => aki == ski,
                _ => true,
            }
        })
        .collect();
    // Self-signed CSCAs first, then link certificates.
    candidates.sort_by_key(|(c, _)| !c.is_self_signed());
    if candidates.is_empty() {
        return ChainResult {
            verdict: ChainVerdict::Untrusted {
                reason: UntrustedReason::NoCscaFound {
                    issuer: dsc.issuer.to_string(),
                },
            },
            csca: None,
            warnings,
        };
    }
    let mut last_error = String::new();
    let mut found = None;
    for (c, m) in &candidates {
        match verify_certificate_signature(dsc, c) {
            Ok(_) => {
                found = Some((*c, *m));
                break;
            }
            Err(e) => last_error = e.to_string(),
        }
    }
    let Some((csca, name_match)) = found else {
        return ChainResult {
            verdict: ChainVerdict::Invalid {
                reason: ChainFailure::DscSignatureInvalid(last_error),
            },
            csca: None,
            warnings,
        };
    };
    if name_match == NameMatch::Normalised {
        warnings.push(
            "DSC issuer and CSCA subject match only after normalisation (case, spaces, string type)"
                .into(),
        );
    }
    if !csca.is_self_signed() {
        if let Err(e) = link_to_anchor(csca, trust, 0) {
            return ChainResult {
                verdict: ChainVerdict::Invalid {
                    reason: ChainFailure::LinkCertificateUnverified(e),
                },
                csca: Some(csca),
                warnings,
            };
        }
        warnings.push("CSCA reached through a link certificate".into());
    }
    check_csca_profile(csca, &mut warnings);
    if let Some(t) = signing_time {
        if !csca.is_valid_at(t) {
            warnings.push(format!("CSCA not valid at signing time {t}"));
        }
    }
    if !csca.is_valid_at(now) {
        warnings.push(format!("CSCA not valid at {now}"));
    }
    let verdict = match revocation(dsc, csca, trust, now, &mut warnings) {
        Some(revocation_date) => ChainVerdict::Revoked { revocation_date },
        None => ChainVerdict::Valid,
    };
    ChainResult {
        verdict,
        csca: Some(csca),
        warnings,
    }
}

/// A link certificate must verify under another trusted CSCA, up to a self-issued one.
fn link_to_anchor(link: &Certificate, trust: &TrustStore, depth: usize) -> Result<(), String> {
    if depth >= MAX_LINK_DEPTH {
        return Err("link chain too long".into());
    }
    for issuer in trust
        .certificates()
        .iter()
        .filter(|c| c.raw != link.raw && c.subject.matches(&link.issuer) != NameMatch::Different)
    {
        if verify_certificate_signature(link, issuer).is_ok() {
            if issuer.is_self_signed() {
                return Ok(());
            }
            if link_to_anchor(issuer, trust, depth + 1).is_ok() {
                return Ok(());
            }
        }
    }
    Err(format!("no trusted CSCA certifies {}", link.subject))
}

fn check_dsc_profile(dsc: &Certificate, warnings: &mut Vec<String>) {
    match dsc.extensions.key_usage {
        None => warnings.push("DSC has no keyUsage extension".into()),
        Some(ku) if !ku.has(KeyUsage::DIGITAL_SIGNATURE) => {
            warnings.push("DSC keyUsage lacks digitalSignature".into())
        }
        Some(_) => {}
    }
    if matches!(dsc.extensions.basic_constraints, Some((true, _))) {
        warnings.push("DSC has basicConstraints cA=TRUE".into());
    }
    for oid in &dsc.extensions.unknown_critical {
        warnings.push(format!("DSC has unknown critical extension {oid}"));
    }
}

fn check_csca_profile(csca: &Certificate, warnings: &mut Vec<String>) {
    match csca.extensions.key_usage {
        None => warnings.push("CSCA has no keyUsage extension".into()),
        Some(ku) if !ku.has(KeyUsage::KEY_CERT_SIGN) => {
            warnings.push("CSCA keyUsage lacks keyCertSign".into())
        }
        Some(_) => {}
    }
    match csca.extensions.basic_constraints {
        Some((true, _)) => {}
        Some((false, _)) => warnings.push("CSCA has basicConstraints cA=FALSE".into()),
        None => warnings.push("CSCA has no basicConstraints extension".into()),
    }
    for oid in &csca.extensions.unknown_critical {
        warnings.push(format!("CSCA has unknown critical extension {oid}"));
    }
}

/// The DSC's revocation date from a CRL that the CSCA signed, if any.
fn revocation(
    dsc: &Certificate,
    csca: &Certificate,
    trust: &TrustStore,
    now: Time,
    warnings: &mut Vec<String>,
) -> Option<Time> {
    let mut checked = false;
    let mut revoked = None;
    for crl in trust
        .crls()
        .iter()
        .filter(|c| c.issuer.matches(&csca.subject) != NameMatch::Different)
    {
        let verified =
            SignatureAlgorithm::from_algorithm_identifier(&crl.signature_algorithm, None).and_then(
                |alg| signature::verify(&csca.public_key, alg, crl.tbs_cert_list(), &crl.signature),
            );
        if let Err(e) = verified {
            warnings.push(format!("CRL from {} ignored: {e}", crl.issuer));
            continue;
        }
        // A revocation listed is a revocation whatever the CRL's age; but an expired CRL
        // cannot vouch that a DSC is NOT revoked.
        if crl.next_update.is_none_or(|next| next >= now) {
            checked = true;
        } else {
            warnings.push(format!(
                "CRL from {} expired: its absence of revocation is not trusted",
                crl.issuer
            ));
        }
        if let Some(date) = crl.revocation_of(dsc.serial_magnitude()) {
            revoked = Some(date);
        }
    }
    if !checked {
        warnings.push("no CRL signed by the CSCA was available: revocation not checked".into());
    }
    revoked
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
