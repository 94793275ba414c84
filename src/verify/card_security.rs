//! EF.CardSecurity (BSI TR-03110-3 §A.1.2, ICAO 9303-11 §9.2): a CMS SignedData (tag `30`, no
//! application wrapper) over the chip's SecurityInfos, signed by a Document Signer like the
//! SOD. It proves the PACE, CA and PACE-CAM infos a chip offers.
//!
//! ```
//! use cccd::verify::{verify_card_security, ChainVerdict, PaOptions, TrustStore};
//! let td = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/test-data/real-world/");
//! let bytes = std::fs::read(format!("{td}sod/DE.cardsecurity")).unwrap();
//! let report = verify_card_security(&bytes, &TrustStore::new(), &PaOptions::default());
//! assert!(report.security_infos.is_some());
//! assert!(matches!(report.chain, ChainVerdict::Untrusted { .. }));
//! ```

use super::chain::{check_signed_object, SignedObject};
use super::passive::{ChainVerdict, PaOptions, SignatureVerdict, ValidityVerdict};
use super::trust::TrustStore;
use crate::lds::security_info::SecurityInfos;
use crate::pki::cms::{SignedData, SignerFailure};
use crate::pki::{oid, SignatureAlgorithm, Time};

/// Everything the EF.CardSecurity check found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct CardSecurityReport {
    /// The SignerInfo's signature (every SignerInfo is checked).
    pub signature: SignatureVerdict,
    /// The Document Signer → CSCA chain.
    pub chain: ChainVerdict,
    /// The signed SecurityInfos (`None` when the content does not parse).
    pub security_infos: Option<SecurityInfos>,
    /// Why the signed content does not parse as SecurityInfos, when it does not.
    #[cfg_attr(
        feature = "serde",
        serde(
            serialize_with = "crate::pki::serde_util::opt_display",
            skip_serializing_if = "Option::is_none"
        )
    )]
    pub content_error: Option<crate::lds::LdsError>,
    /// The Document Signer's subject.
    pub dsc_subject: Option<String>,
    /// The CSCA that signed the Document Signer.
    pub csca_subject: Option<String>,
    /// The signature algorithm (in JSON its name, as in [`super::PassiveAuthReport`]).
    #[cfg_attr(
        feature = "serde",
        serde(serialize_with = "crate::pki::serde_util::opt_display")
    )]
    pub signature_algorithm: Option<SignatureAlgorithm>,
    /// The signingTime attribute.
    pub signing_time: Option<Time>,
    /// Document Signer validity at the signing time.
    pub validity_at_signing: ValidityVerdict,
    /// Document Signer validity now (or at [`PaOptions::at`]).
    pub validity_now: ValidityVerdict,
    /// The moment used for `validity_now`.
    pub checked_at: Time,
    /// Deviations accepted leniently, each typed.
    pub warnings: Vec<super::Warning>,
}

impl CardSecurityReport {
    /// True when the signature, the chain and the signer's validity hold and the content is
    /// SecurityInfos: the infos can then be compared with EF.CardAccess.
    pub fn is_valid(&self) -> bool {
        self.signature == SignatureVerdict::Valid
            && self.chain == ChainVerdict::Valid
            && self.validity_now == ValidityVerdict::Valid
            && matches!(
                self.validity_at_signing,
                ValidityVerdict::Valid | ValidityVerdict::Unknown
            )
            && self.security_infos.is_some()
    }
}

/// Verifies EF.CardSecurity like passive authentication verifies EF.SOD. Never panics; a
/// parse failure becomes a verdict.
pub fn verify_card_security(
    bytes: &[u8],
    trust: &TrustStore,
    options: &PaOptions,
) -> CardSecurityReport {
    let now = options.at.unwrap_or_else(Time::now);
    let mut report = CardSecurityReport {
        signature: SignatureVerdict::Invalid {
            reason: SignerFailure::NoSignerInfo,
        },
        chain: ChainVerdict::Invalid {
            reason: super::passive::ChainFailure::NoDsc,
        },
        security_infos: None,
        content_error: None,
        dsc_subject: None,
        csca_subject: None,
        signature_algorithm: None,
        signing_time: None,
        validity_at_signing: ValidityVerdict::Unknown,
        validity_now: ValidityVerdict::Unknown,
        checked_at: now,
        warnings: Vec::new(),
    };
    let sd = match SignedData::parse_content_info(bytes) {
        Ok(sd) => sd,
        Err(e) => {
            report.signature = SignatureVerdict::Invalid {
                reason: SignerFailure::Malformed(e),
            };
            return report;
        }
    };
    if sd.econtent_type != oid::SECURITY_OBJECT {
        report.signature = SignatureVerdict::Invalid {
            reason: SignerFailure::WrongContentType(sd.econtent_type),
        };
        return report;
    }
    let Some(content) = sd.econtent.as_deref() else {
        report.signature = SignatureVerdict::Invalid {
            reason: SignerFailure::Malformed(crate::pki::CmsError::NoContent),
        };
        return report;
    };
    match SecurityInfos::parse_in(crate::files::ElementaryFile::CardSecurity, content) {
        Ok(infos) => report.security_infos = Some(infos),
        Err(e) => report.content_error = Some(e),
    }
    let check = check_signed_object(
        SignedObject {
            version: sd.version,
            digest_algorithms: &sd.digest_algorithms,
            econtent_type: &sd.econtent_type,
            econtent: content,
            signer_infos: &sd.signer_infos,
            certificates: &sd.certificates,
        },
        trust,
        now,
    );
    report.signature = check.signature;
    report.chain = check.chain;
    report.dsc_subject = check.dsc.map(|c| c.subject.to_string());
    report.csca_subject = check.csca.map(|c| c.subject.to_string());
    report.signature_algorithm = check.signature_algorithm;
    report.signing_time = check.signing_time;
    report.validity_at_signing = check.validity_at_signing;
    report.validity_now = check.validity_now;
    report.warnings = check.warnings;
    report
}
