//! The signer and chain checks shared by EF.SOD and EF.CardSecurity (ICAO 9303-11 §5.1,
//! 9303-12 §7): find the Document Signer, check its SignerInfo, then DSC → CSCA with issuer
//! constraints, link certificates and CRLs.

use super::passive::{
    ChainFailure, ChainVerdict, DscProfileViolation, SignatureVerdict, UntrustedReason,
    ValidityVerdict,
};
use super::trust::TrustStore;
use super::warning::Warning;
use crate::crypto::hash::HashAlgorithm;
use crate::pki::cert::KeyUsage;
use crate::pki::cms::{
    check_structure, embedded_signer, find_signer, verify_signer_info, SignerFailure, SignerInfo,
};
use crate::pki::name::NameMatch;
use crate::pki::AlgorithmIdentifier;
use crate::pki::{Certificate, SignatureAlgorithm, Time};

/// How deep a link-certificate chain (CSCA signed by an older CSCA) may go.
pub const MAX_LINK_DEPTH: usize = 4;

/// What the signer and chain checks of one signed object found.
pub(crate) struct SignedObjectCheck<'a> {
    pub signature: SignatureVerdict,
    pub chain: ChainVerdict,
    pub dsc: Option<&'a Certificate>,
    pub csca: Option<&'a Certificate>,
    pub signature_algorithm: Option<SignatureAlgorithm>,
    pub dsc_signature_algorithm: Option<SignatureAlgorithm>,
    pub signing_time: Option<Time>,
    pub validity_at_signing: ValidityVerdict,
    pub validity_now: ValidityVerdict,
    pub warnings: Vec<Warning>,
}

/// The SignedData around a signed object, as far as the signer and chain checks need it.
pub(crate) struct SignedObject<'a> {
    /// SignedData.version.
    pub version: u64,
    /// SignedData.digestAlgorithms.
    pub digest_algorithms: &'a [AlgorithmIdentifier],
    /// eContentType.
    pub econtent_type: &'a const_oid::ObjectIdentifier,
    /// The eContent octets.
    pub econtent: &'a [u8],
    /// The signers.
    pub signer_infos: &'a [SignerInfo],
    /// The certificates carried along.
    pub certificates: &'a [std::sync::Arc<Certificate>],
}

/// Checks the SignedData's structure ([`check_structure`]) and every SignerInfo of a signed
/// object over its eContent, then the first signer's chain. The signer is the certificate the
/// `sid` names among the embedded certificates (or the only one embedded), else a Document
/// Signer from the trust store's PKD set.
pub(crate) fn check_signed_object<'a>(
    object: SignedObject<'a>,
    trust: &'a TrustStore,
    now: Time,
) -> SignedObjectCheck<'a> {
    let structure = check_structure(
        object.version,
        object.digest_algorithms,
        object.signer_infos,
    );
    let mut out = check_signers(
        object.econtent_type,
        object.econtent,
        object.signer_infos,
        object.certificates,
        trust,
        now,
    );
    if let Err(reason) = structure {
        // A broken structure is named first; the chain is still judged on its own.
        out.signature = SignatureVerdict::Invalid { reason };
    }
    out
}

fn check_signers<'a>(
    econtent_type: &const_oid::ObjectIdentifier,
    econtent: &[u8],
    signer_infos: &'a [SignerInfo],
    certificates: &'a [std::sync::Arc<Certificate>],
    trust: &'a TrustStore,
    now: Time,
) -> SignedObjectCheck<'a> {
    let mut out = SignedObjectCheck {
        signature: SignatureVerdict::Invalid {
            reason: SignerFailure::NoSignerInfo,
        },
        chain: ChainVerdict::Invalid {
            reason: ChainFailure::NoDsc,
        },
        dsc: None,
        csca: None,
        signature_algorithm: None,
        dsc_signature_algorithm: None,
        signing_time: None,
        validity_at_signing: ValidityVerdict::Unknown,
        validity_now: ValidityVerdict::Unknown,
        warnings: Vec::new(),
    };
    let mut first_dsc = None;
    let mut verdict = Ok(());
    for (i, si) in signer_infos.iter().enumerate() {
        let found = embedded_signer(&si.sid, certificates)
            .map(|(c, how)| (c, how.warning().map(Warning::from)))
            .or_else(|| {
                find_signer(&si.sid, trust.document_signers()).map(|(c, m)| {
                    (
                        c,
                        Some(Warning::DscFromTrustStore {
                            name_normalised: m != NameMatch::Exact,
                        }),
                    )
                })
            });
        let Some((dsc, warning)) = found else {
            verdict = Err(SignerFailure::SignerCertificateNotFound);
            break;
        };
        out.warnings.extend(warning);
        if i == 0 {
            out.signing_time = si.signed_attributes.as_ref().and_then(|a| a.signing_time);
            first_dsc = Some(dsc);
        }
        match verify_signer_info(si, econtent_type, econtent, dsc) {
            Ok(ok) => {
                out.warnings
                    .extend(ok.warnings.into_iter().map(Warning::from));
                if i == 0 {
                    out.signature_algorithm = Some(ok.algorithm);
                }
            }
            Err(reason) => {
                if i == 0 {
                    // What the signer claims, though its signature did not verify (a
                    // verified one reports the algorithm the check used, above).
                    out.signature_algorithm = SignatureAlgorithm::from_algorithm_identifier(
                        &si.signature_algorithm,
                        HashAlgorithm::from_oid(&si.digest_algorithm.oid),
                    )
                    .ok();
                }
                verdict = Err(reason);
                break;
            }
        }
    }
    out.signature = match verdict {
        Ok(()) if first_dsc.is_some() => SignatureVerdict::Valid,
        Ok(()) => SignatureVerdict::Invalid {
            reason: SignerFailure::NoSignerInfo,
        },
        Err(reason) => SignatureVerdict::Invalid { reason },
    };
    // The chain is judged on its own, whatever the signature: a report says separately
    // "signature valid" and "chain valid".
    let Some(dsc) = first_dsc else {
        return out;
    };
    out.dsc = Some(dsc);
    out.validity_now = ValidityVerdict::of(dsc, now);
    out.validity_at_signing = match out.signing_time {
        Some(t) => ValidityVerdict::of(dsc, t),
        None => ValidityVerdict::Unknown,
    };
    out.dsc_signature_algorithm =
        SignatureAlgorithm::from_algorithm_identifier(&dsc.signature_algorithm, None).ok();
    let chain = super::cache::validate_chain_cached(dsc, trust, out.signing_time, now);
    out.chain = chain.verdict;
    out.csca = chain.csca;
    out.warnings.extend(chain.warnings);
    out
}

/// What the chain check found.
pub(crate) struct ChainResult<'a> {
    pub verdict: ChainVerdict,
    pub csca: Option<&'a Certificate>,
    pub warnings: Vec<Warning>,
}

/// May `c` issue certificates: a CA (basicConstraints cA=TRUE) with keyCertSign.
fn may_issue(c: &Certificate) -> bool {
    c.is_ca() && c.key_usage_has(KeyUsage::KEY_CERT_SIGN)
}

/// DSC → CSCA (ICAO 9303-12 §7, 9303-11 §5.1.1): name (RFC 5280 §7.1) and key-identifier
/// match, the issuer a CA with keyCertSign, the DSC's signature by its key, link
/// certificates valid when the DSC was issued, CRLs.
pub(crate) fn validate_chain<'a>(
    dsc: &Certificate,
    trust: &'a TrustStore,
    signing_time: Option<Time>,
    now: Time,
) -> ChainResult<'a> {
    let mut warnings = Vec::new();
    for oid in &dsc.extensions.unknown_critical {
        warnings.push(Warning::DscUnknownCriticalExtension { oid: *oid });
    }
    let named: Vec<(&Certificate, NameMatch)> = trust
        .certificates_named(&dsc.issuer)
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
    let invalid = |reason, csca, warnings| ChainResult {
        verdict: ChainVerdict::Invalid { reason },
        csca,
        warnings,
    };
    if named.is_empty() {
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
    let mut candidates: Vec<_> = named.iter().filter(|(c, _)| may_issue(c)).collect();
    if candidates.is_empty() {
        return invalid(
            ChainFailure::IssuerNotCa {
                issuer: dsc.issuer.to_string(),
            },
            None,
            warnings,
        );
    }
    // Self-signed CSCAs first, then link certificates.
    candidates.sort_by_key(|(c, _)| !c.is_self_signed());
    let mut last_error = None;
    let mut found = None;
    for (c, m) in candidates {
        match dsc.verify_signed_by(c) {
            Ok(_) => {
                found = Some((*c, *m));
                break;
            }
            Err(e) => last_error = Some(e),
        }
    }
    let Some((csca, name_match)) = found else {
        let reason = match last_error {
            Some(e) => ChainFailure::DscSignatureInvalid(e),
            None => ChainFailure::NoDsc,
        };
        return invalid(reason, None, warnings);
    };
    if name_match == NameMatch::Normalised {
        warnings.push(Warning::CscaNameNormalised);
    }
    if !csca.is_self_signed() {
        // A link certificate vouches for the new CSCA key only while it is valid: it must
        // have been valid when the DSC was issued.
        if !csca.is_valid_at(dsc.not_before) {
            return invalid(
                ChainFailure::LinkCertificateNotValidAtIssuance {
                    dsc_issued: dsc.not_before,
                },
                Some(csca),
                warnings,
            );
        }
        if !link_to_anchor(csca, trust, dsc.not_before, 0) {
            return invalid(
                ChainFailure::LinkCertificateUnverified {
                    link: csca.subject.to_string(),
                },
                Some(csca),
                warnings,
            );
        }
        warnings.push(Warning::LinkCertificate);
    }
    // The CSCA vouches for the DSC's key; the DSC must still be a Document Signer
    // certificate as ICAO profiles it.
    if let Err(violation) = check_dsc_profile(dsc) {
        return invalid(ChainFailure::DscProfile(violation), Some(csca), warnings);
    }
    for oid in &csca.extensions.unknown_critical {
        warnings.push(Warning::CscaUnknownCriticalExtension { oid: *oid });
    }
    if let Some(t) = signing_time {
        if !csca.is_valid_at(t) {
            warnings.push(Warning::CscaNotValidAtSigning { signing_time: t });
        }
    }
    if !csca.is_valid_at(now) {
        warnings.push(Warning::CscaNotValidNow { at: now });
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

/// A link certificate must verify under another trusted CSCA that may issue certificates,
/// up to a self-signed one; each link valid at `issued` (when the DSC was issued).
fn link_to_anchor(link: &Certificate, trust: &TrustStore, issued: Time, depth: usize) -> bool {
    if depth >= MAX_LINK_DEPTH {
        return false;
    }
    trust
        .certificates_named(&link.issuer)
        .filter(|c| c.raw != link.raw && c.subject.same_as(&link.issuer) && may_issue(c))
        .any(|issuer| {
            link.verify_signed_by(issuer).is_ok()
                && (issuer.is_self_signed()
                    || (issuer.is_valid_at(issued)
                        && link_to_anchor(issuer, trust, issued, depth + 1)))
        })
}

/// The Document Signer profile of ICAO 9303-12 §7.1.1 (Table 6) and RFC 5280: X.509 v3,
/// UTCTime through 2049, an authorityKeyIdentifier with its keyIdentifier, a critical
/// keyUsage with digitalSignature. Measured on the real SODs of `../shared/test-data` (AT, DE,
/// FR, NZ, PH, UK, US) and the BSI specimen: every DSC meets it.
fn check_dsc_profile(dsc: &Certificate) -> Result<(), DscProfileViolation> {
    let ext = &dsc.extensions;
    if dsc.version != 2 {
        return Err(DscProfileViolation::Version(dsc.version));
    }
    if dsc.generalized_time_before_2050 {
        return Err(DscProfileViolation::GeneralizedTimeBefore2050);
    }
    if !ext.authority_key_identifier_present {
        return Err(DscProfileViolation::AuthorityKeyIdentifierMissing);
    }
    if ext.authority_key_identifier.is_none() {
        return Err(DscProfileViolation::AuthorityKeyIdentifierWithoutKeyId);
    }
    match ext.key_usage {
        None => Err(DscProfileViolation::KeyUsageMissing),
        Some(_) if !ext.key_usage_critical => Err(DscProfileViolation::KeyUsageNotCritical),
        Some(ku) if !ku.has(KeyUsage::DIGITAL_SIGNATURE) => {
            Err(DscProfileViolation::KeyUsageWithoutDigitalSignature)
        }
        Some(_) => Ok(()),
    }
}

/// The DSC's revocation date from a CRL that the CSCA signed, if any.
fn revocation(
    dsc: &Certificate,
    csca: &Certificate,
    trust: &TrustStore,
    now: Time,
    warnings: &mut Vec<Warning>,
) -> Option<Time> {
    let mut checked = false;
    let mut revoked = None;
    for crl in trust
        .crls()
        .iter()
        .filter(|c| c.issuer.same_as(&csca.subject))
    {
        if let Err(e) = crl.verify_signed_by(&csca.public_key) {
            warnings.push(Warning::CrlIgnored {
                issuer: crl.issuer.to_string(),
                reason: e,
            });
            continue;
        }
        // A revocation listed is a revocation whatever the CRL's age; but an expired CRL
        // cannot vouch that a DSC is NOT revoked.
        if crl.next_update.is_none_or(|next| next >= now) {
            checked = true;
        } else {
            warnings.push(Warning::CrlExpired {
                issuer: crl.issuer.to_string(),
            });
        }
        if let Some(date) = crl.revocation_of(dsc.serial_magnitude()) {
            revoked = Some(date);
        }
    }
    if !checked {
        warnings.push(Warning::RevocationNotChecked);
    }
    revoked
}
