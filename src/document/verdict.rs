//! The verdict model. What ran during the read ([`ChipAuthRun`], [`ActiveAuthRun`]: completed,
//! failed, not supported, not attempted) is kept apart from what it proves once passive
//! authentication has judged the files that hold the keys ([`ChipAuthVerdict`],
//! [`ActiveAuthVerdict`]: trusted, untrusted, failed). Every reason a document is not genuine is
//! a typed [`Finding`] with a stable code; [`Verification::genuine`] and
//! [`Verification::data_authentic`] are derived from the findings in one place
//! ([`Verification::from_parts`]).

use super::{AccessProtocol, Document, FileStatus};
use crate::access::active_auth::AaError;
use crate::access::chip_auth::CaError;
use crate::access::sm::SmError;
use crate::apdu::StatusWord;
use crate::files::ElementaryFile;
use crate::lds::security_info::{PaceInfo, SecurityInfos};
use crate::lds::LdsError;
use crate::verify::{
    CardSecurityReport, ChainVerdict, CountryMismatch, CountryVerdict, DgHashVerdict, PaOptions,
    PassiveAuthReport, SignatureVerdict, ValidityVerdict,
};

/// How the chip proved its Chip Authentication key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum ChipAuthMethod {
    /// Chip Authentication (ICAO 9303-11 §6.2): the first response under the new keys verified.
    ChipAuthentication,
    /// PACE with Chip Authentication Mapping (ICAO 9303-11 §4.4.3.5): the chip's PACE data
    /// matched DG14's key.
    PaceCam,
    /// PACE with Chip Authentication Mapping whose chip key is EF.CardSecurity's (ICAO 9303-11
    /// §4.4.3.5.2: the terminal checks the mapping against the key EF.CardSecurity signs).
    PaceCamCardSecurity,
}

impl ChipAuthMethod {
    /// The file whose key the chip proved: DG14, or EF.CardSecurity for PACE-CAM.
    pub fn key_file(self) -> ElementaryFile {
        match self {
            Self::PaceCamCardSecurity => ElementaryFile::CardSecurity,
            Self::ChipAuthentication | Self::PaceCam => ElementaryFile::Dg(14),
        }
    }
}

/// Chip Authentication as it ran during the read: what happened, not what it proves.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "status", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum ChipAuthRun {
    /// The chip proved it holds the private key of the DG14 read (whether DG14 is genuine is
    /// for passive authentication to say).
    Completed {
        /// How.
        method: ChipAuthMethod,
    },
    /// It ran and did not prove the key (a clone answers like this).
    Failed {
        /// Why.
        failure: CaFailure,
    },
    /// The chip offers no Chip Authentication this library runs (no DG14 key, unknown OID).
    NotSupported,
    /// Not run (not asked for, no DG14, or the read stopped before it).
    NotAttempted,
}

/// Why Chip Authentication did not prove the chip's key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CaFailure {
    /// DG14 does not parse.
    #[error("{0}")]
    Dg14Malformed(LdsError),
    /// The exchange failed: the chip refused a step, or its key or answer is unusable.
    #[error("chip authentication failed: {0}")]
    Exchange(CaError),
    /// The first response under the new session keys did not verify: the chip could not
    /// derive them, so it does not hold DG14's private key.
    #[error("first response under the new session keys rejected: {0}")]
    FirstResponseRejected(SmError),
    /// PACE-CAM's chip authentication data does not match any DG14 key.
    #[error("PACE-CAM data does not match DG14's chip key")]
    CamMismatch,
    /// The session ended before the chip answered under the new keys, in the last session.
    #[error("chip authentication could not be completed in the last session")]
    Incomplete,
}

impl CaFailure {
    /// A stable code for logs and JSON.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Dg14Malformed(_) => "dg14_malformed",
            Self::Exchange(_) => "exchange_failed",
            Self::FirstResponseRejected(_) => "first_response_rejected",
            Self::CamMismatch => "cam_mismatch",
            Self::Incomplete => "incomplete",
        }
    }
}

impl ChipAuthRun {
    /// The run from its two facts: the exchange (`start` and `handle` of
    /// [`crate::access::chip_auth`]) and the first response under the new keys. An unsupported
    /// protocol is `NotSupported`; a failed exchange or a rejected first response is `Failed`.
    pub fn from_exchange(
        exchange: Result<(), &CaError>,
        first_response_under_new_keys: Result<(), &SmError>,
    ) -> Self {
        match exchange {
            Err(CaError::NoPublicKey | CaError::Unsupported(_) | CaError::KeyNotFound(_)) => {
                Self::NotSupported
            }
            Err(e) => Self::Failed {
                failure: CaFailure::Exchange(e.clone()),
            },
            Ok(()) => match first_response_under_new_keys {
                Err(e) => Self::Failed {
                    failure: CaFailure::FirstResponseRejected(e.clone()),
                },
                Ok(()) => Self::Completed {
                    method: ChipAuthMethod::ChipAuthentication,
                },
            },
        }
    }
}

/// Active Authentication as it ran during the read.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "status", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum ActiveAuthRun {
    /// The chip signed our challenge with the key of the DG15 read.
    Completed,
    /// The signature did not verify, or the chip refused.
    Failed {
        /// Why.
        failure: AaFailure,
    },
    /// No key or algorithm this library verifies.
    NotSupported,
    /// Not run.
    NotAttempted,
}

/// Why Active Authentication did not prove the chip's key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AaFailure {
    /// DG15 does not parse.
    #[error("{0}")]
    Dg15Malformed(LdsError),
    /// DG15 says the chip has an AA key, and the chip refused INTERNAL AUTHENTICATE.
    #[error("the chip refused INTERNAL AUTHENTICATE ({0})")]
    Refused(StatusWord),
    /// The answer is not a valid signature of our challenge with DG15's key.
    #[error("active authentication failed: {0}")]
    Signature(AaError),
}

impl AaFailure {
    /// A stable code for logs and JSON.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Dg15Malformed(_) => "dg15_malformed",
            Self::Refused(_) => "refused",
            Self::Signature(_) => "signature_invalid",
        }
    }
}

impl ActiveAuthRun {
    /// The run from the verification of the chip's answer: unsupported keys, algorithms and a
    /// chip that does not know INTERNAL AUTHENTICATE (`6D00`) are `NotSupported`.
    pub fn from_outcome(outcome: Result<(), &AaError>) -> Self {
        match outcome {
            Ok(()) => Self::Completed,
            Err(
                AaError::UnsupportedKey(_)
                | AaError::UnsupportedAlgorithm(_)
                | AaError::UnsupportedHashId(_)
                | AaError::MissingSignatureAlgorithm
                | AaError::Card(StatusWord::INS_NOT_SUPPORTED),
            ) => Self::NotSupported,
            Err(AaError::Card(sw)) => Self::Failed {
                failure: AaFailure::Refused(*sw),
            },
            Err(e) => Self::Failed {
                failure: AaFailure::Signature(e.clone()),
            },
        }
    }
}

impl core::fmt::Display for ChipAuthRun {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Completed {
                method: ChipAuthMethod::ChipAuthentication,
            } => f.write_str("completed"),
            Self::Completed {
                method: ChipAuthMethod::PaceCam,
            } => f.write_str("completed (PACE-CAM)"),
            Self::Completed {
                method: ChipAuthMethod::PaceCamCardSecurity,
            } => f.write_str("completed (PACE-CAM, EF.CardSecurity's key)"),
            Self::Failed { failure } => write!(f, "failed: {failure}"),
            Self::NotSupported => f.write_str("not supported by the chip"),
            Self::NotAttempted => f.write_str("not attempted"),
        }
    }
}

impl core::fmt::Display for ActiveAuthRun {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Completed => f.write_str("completed"),
            Self::Failed { failure } => write!(f, "failed: {failure}"),
            Self::NotSupported => f.write_str("not supported by the chip"),
            Self::NotAttempted => f.write_str("not attempted"),
        }
    }
}

impl core::fmt::Display for FindingKind {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::Info => "info",
            Self::Chip => "chip",
            Self::Data => "data",
        })
    }
}

/// Why a clone-detection check is not trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "reason", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum UntrustedCheck {
    /// It completed, but the file holding the key is not proven by passive authentication: a
    /// forger controls an unproven file and its key.
    KeyFileNotProven {
        /// DG14 or DG15.
        #[cfg_attr(feature = "serde", serde(serialize_with = "super::ser_file"))]
        file: ElementaryFile,
    },
    /// The chip offers none this library runs.
    NotSupported,
    /// It did not run.
    NotRun,
}

impl core::fmt::Display for UntrustedCheck {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::KeyFileNotProven { file } => {
                write!(f, "{} is not proven by passive authentication", file.name())
            }
            Self::NotSupported => f.write_str("not supported by the chip"),
            Self::NotRun => f.write_str("not run"),
        }
    }
}

/// What Chip Authentication proves, after passive authentication.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "trust", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum ChipAuthVerdict {
    /// The chip holds the private key of a DG14 that passive authentication proved.
    Trusted,
    /// Nothing proven either way.
    Untrusted {
        /// Why.
        #[cfg_attr(feature = "serde", serde(flatten))]
        reason: UntrustedCheck,
    },
    /// The chip failed to prove the key: a clone, or a chip that misbehaves.
    Failed {
        /// Why.
        failure: CaFailure,
    },
}

impl ChipAuthVerdict {
    /// Judges a run once passive authentication has (or has not) proven DG14.
    pub fn judge(run: &ChipAuthRun, dg14_proven: bool) -> Self {
        Self::judge_key_file(run, |file| file == ElementaryFile::Dg(14) && dg14_proven)
    }

    /// Judges a run by whether the file holding the key it proved (DG14, or EF.CardSecurity
    /// for [`ChipAuthMethod::PaceCamCardSecurity`]) is proven.
    pub fn judge_key_file(run: &ChipAuthRun, proven: impl Fn(ElementaryFile) -> bool) -> Self {
        match run {
            ChipAuthRun::Completed { method } if proven(method.key_file()) => Self::Trusted,
            ChipAuthRun::Completed { method } => Self::Untrusted {
                reason: UntrustedCheck::KeyFileNotProven {
                    file: method.key_file(),
                },
            },
            ChipAuthRun::Failed { failure } => Self::Failed {
                failure: failure.clone(),
            },
            ChipAuthRun::NotSupported => Self::Untrusted {
                reason: UntrustedCheck::NotSupported,
            },
            ChipAuthRun::NotAttempted => Self::Untrusted {
                reason: UntrustedCheck::NotRun,
            },
        }
    }
}

/// What Active Authentication proves, after passive authentication.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "trust", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum ActiveAuthVerdict {
    /// The chip signed with the key of a DG15 that passive authentication proved.
    Trusted,
    /// Nothing proven either way.
    Untrusted {
        /// Why.
        #[cfg_attr(feature = "serde", serde(flatten))]
        reason: UntrustedCheck,
    },
    /// The chip failed to prove the key.
    Failed {
        /// Why.
        failure: AaFailure,
    },
}

impl ActiveAuthVerdict {
    /// Judges a run once passive authentication has (or has not) proven DG15.
    pub fn judge(run: &ActiveAuthRun, dg15_proven: bool) -> Self {
        match run {
            ActiveAuthRun::Completed if dg15_proven => Self::Trusted,
            ActiveAuthRun::Completed => Self::Untrusted {
                reason: UntrustedCheck::KeyFileNotProven {
                    file: ElementaryFile::Dg(15),
                },
            },
            ActiveAuthRun::Failed { failure } => Self::Failed {
                failure: failure.clone(),
            },
            ActiveAuthRun::NotSupported => Self::Untrusted {
                reason: UntrustedCheck::NotSupported,
            },
            ActiveAuthRun::NotAttempted => Self::Untrusted {
                reason: UntrustedCheck::NotRun,
            },
        }
    }
}

impl core::fmt::Display for ChipAuthVerdict {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Trusted => f.write_str("trusted"),
            Self::Untrusted { reason } => write!(f, "not trusted: {reason}"),
            Self::Failed { failure } => write!(f, "FAILED: {failure}"),
        }
    }
}

impl core::fmt::Display for ActiveAuthVerdict {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Trusted => f.write_str("trusted"),
            Self::Untrusted { reason } => write!(f, "not trusted: {reason}"),
            Self::Failed { failure } => write!(f, "FAILED: {failure}"),
        }
    }
}

/// What a finding puts in doubt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum FindingKind {
    /// Worth knowing; the verdict stands.
    Info,
    /// The chip or the session is not proven (clone detection, a downgraded session): the
    /// document is not genuine, though its data may be authentic.
    Chip,
    /// The data is not proven authentic and complete.
    Data,
}

/// One reason the verdict is what it is. Each has a stable [`code`](Finding::code) and a
/// sentence ([`Display`](core::fmt::Display)) without personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Finding {
    /// The SOD's signature does not verify (or there is no SOD).
    SodSignatureInvalid,
    /// No trusted CSCA issued the Document Signer.
    ChainUntrusted,
    /// The chain to the CSCA is broken.
    ChainInvalid,
    /// A CRL revokes the Document Signer.
    DscRevoked,
    /// The Document Signer certificate is not valid now (or at the `--at` date).
    DscNotValidNow,
    /// The Document Signer certificate was not valid when the SOD was signed.
    DscNotValidAtSigning,
    /// A data group's bytes differ from the hash the SOD signs.
    DataGroupHashMismatch {
        /// The group.
        dg: u8,
    },
    /// A data group was read that the SOD does not sign.
    DataGroupNotInSod {
        /// The group.
        dg: u8,
    },
    /// No data group is proven (nothing read, or nothing matched).
    NoDataGroupProven,
    /// Passive authentication failed for a reason no other finding names.
    PassiveAuthenticationFailed,
    /// DG1's issuing state, the DSC's and the CSCA's countries disagree.
    CountryMismatch(CountryMismatch),
    /// A data group the SOD signs and the caller asked for was not read: suppressed (a man in
    /// the middle answering `6A82`), refused, or missing.
    DataGroupNotRead {
        /// The group.
        dg: u8,
        /// What the card (or the link) answered, when the read got to it.
        status: Option<FileStatus>,
    },
    /// The session used BAC although the chip's proven DG14 lists PACE: a downgrade (a man in
    /// the middle hiding EF.CardAccess), unless the caller accepted it.
    BacOnPaceChip,
    /// As [`Finding::BacOnPaceChip`], accepted by the caller through
    /// [`crate::reader::danger::accept_bac_on_pace_chip`].
    BacOnPaceChipAccepted,
    /// EF.CardAccess (unsigned) does not offer the PACE protocols the proven DG14 and
    /// EF.CardSecurity list (ICAO 9303-11 §9.2): altered on the way, or a misissued chip.
    CardAccessMismatch,
    /// EF.CardAccess lists a SecurityInfo that the signed EF.CardSecurity does not hold (ICAO
    /// 9303-11 §9.2.11: EF.CardSecurity holds every SecurityInfo of EF.CardAccess).
    CardSecurityMismatch,
    /// The chip's EF.CardSecurity is not valid: its signature, its signer's chain or validity,
    /// or its content fails (BSI TR-03105-5.1 LDS_H_93, LDS_J_04).
    CardSecurityInvalid,
    /// EF.COM and the SOD list different data groups (BSI TR-03105-5.1 LDS_H_90..92).
    DataGroupListMismatch {
        /// Groups the SOD signs that EF.COM does not list.
        only_in_sod: Vec<u8>,
        /// Groups EF.COM lists that the SOD does not sign.
        only_in_com: Vec<u8>,
    },
    /// The files came without EF.CardAccess although the proven DG14 lists PACE: the session's
    /// access control cannot be checked.
    CardAccessNotProvided,
    /// Chip Authentication failed.
    ChipAuthenticationFailed(CaFailure),
    /// Active Authentication failed.
    ActiveAuthenticationFailed(AaFailure),
    /// The chip must prove itself (the SOD lists DG14 or DG15, or a check ran) and no check
    /// is trusted: not run, or its key file not proven.
    ChipNotProven,
    /// The chip offers no clone detection: a copy of its files would pass.
    NoCloneDetection,
    /// A file was read but does not parse (its data is not shown).
    FileDoesNotParse {
        /// The file.
        file: ElementaryFile,
    },
}

impl Finding {
    /// A stable code for programs (JSON `code`).
    pub fn code(&self) -> &'static str {
        match self {
            Self::SodSignatureInvalid => "sod_signature_invalid",
            Self::ChainUntrusted => "chain_untrusted",
            Self::ChainInvalid => "chain_invalid",
            Self::DscRevoked => "dsc_revoked",
            Self::DscNotValidNow => "dsc_not_valid_now",
            Self::DscNotValidAtSigning => "dsc_not_valid_at_signing",
            Self::DataGroupHashMismatch { .. } => "data_group_hash_mismatch",
            Self::DataGroupNotInSod { .. } => "data_group_not_in_sod",
            Self::NoDataGroupProven => "no_data_group_proven",
            Self::PassiveAuthenticationFailed => "passive_authentication_failed",
            Self::CountryMismatch(_) => "country_mismatch",
            Self::DataGroupNotRead { .. } => "data_group_not_read",
            Self::BacOnPaceChip => "bac_on_pace_chip",
            Self::BacOnPaceChipAccepted => "bac_on_pace_chip_accepted",
            Self::CardAccessMismatch => "card_access_mismatch",
            Self::CardSecurityMismatch => "card_security_mismatch",
            Self::CardSecurityInvalid => "card_security_invalid",
            Self::DataGroupListMismatch { .. } => "data_group_list_mismatch",
            Self::CardAccessNotProvided => "card_access_not_provided",
            Self::ChipAuthenticationFailed(_) => "chip_authentication_failed",
            Self::ActiveAuthenticationFailed(_) => "active_authentication_failed",
            Self::ChipNotProven => "chip_not_proven",
            Self::NoCloneDetection => "no_clone_detection",
            Self::FileDoesNotParse { .. } => "file_does_not_parse",
        }
    }

    /// What the finding puts in doubt.
    pub fn kind(&self) -> FindingKind {
        match self {
            Self::SodSignatureInvalid
            | Self::ChainUntrusted
            | Self::ChainInvalid
            | Self::DscRevoked
            | Self::DscNotValidNow
            | Self::DscNotValidAtSigning
            | Self::DataGroupHashMismatch { .. }
            | Self::DataGroupNotInSod { .. }
            | Self::NoDataGroupProven
            | Self::PassiveAuthenticationFailed
            | Self::CountryMismatch(_)
            | Self::DataGroupNotRead { .. }
            | Self::DataGroupListMismatch { .. } => FindingKind::Data,
            Self::BacOnPaceChip
            | Self::CardAccessMismatch
            | Self::CardSecurityMismatch
            | Self::CardSecurityInvalid
            | Self::ChipAuthenticationFailed(_)
            | Self::ActiveAuthenticationFailed(_)
            | Self::ChipNotProven => FindingKind::Chip,
            Self::BacOnPaceChipAccepted
            | Self::CardAccessNotProvided
            | Self::NoCloneDetection
            | Self::FileDoesNotParse { .. } => FindingKind::Info,
        }
    }

    /// The file the finding is about, if one.
    pub fn file(&self) -> Option<ElementaryFile> {
        match self {
            Self::DataGroupHashMismatch { dg }
            | Self::DataGroupNotInSod { dg }
            | Self::DataGroupNotRead { dg, .. } => Some(ElementaryFile::Dg(*dg)),
            Self::CardAccessMismatch | Self::CardAccessNotProvided => {
                Some(ElementaryFile::CardAccess)
            }
            Self::CardSecurityMismatch | Self::CardSecurityInvalid => {
                Some(ElementaryFile::CardSecurity)
            }
            Self::FileDoesNotParse { file } => Some(*file),
            _ => None,
        }
    }
}

impl core::fmt::Display for Finding {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::SodSignatureInvalid => f.write_str("the SOD's signature is not valid"),
            Self::ChainUntrusted => {
                f.write_str("no trusted CSCA issued the Document Signer certificate")
            }
            Self::ChainInvalid => f.write_str("the Document Signer's chain to its CSCA is broken"),
            Self::DscRevoked => f.write_str("the Document Signer certificate is revoked"),
            Self::DscNotValidNow => f.write_str("the Document Signer certificate is not valid now"),
            Self::DscNotValidAtSigning => f.write_str(
                "the Document Signer certificate was not valid when the SOD was signed",
            ),
            Self::DataGroupHashMismatch { dg } => {
                write!(f, "DG{dg} differs from the hash the SOD signs (altered data)")
            }
            Self::DataGroupNotInSod { dg } => {
                write!(f, "DG{dg} was read but the SOD does not sign it")
            }
            Self::NoDataGroupProven => f.write_str("no data group is proven by the SOD"),
            Self::PassiveAuthenticationFailed => f.write_str("passive authentication failed"),
            Self::CountryMismatch(m) => write!(f, "country binding failed: {m}"),
            Self::DataGroupNotRead { dg, status } => match status {
                Some(status) => write!(
                    f,
                    "DG{dg} is signed by the SOD but was not read ({status}): suppressed data"
                ),
                None => write!(f, "DG{dg} is signed by the SOD but was not read: suppressed data"),
            },
            Self::BacOnPaceChip => f.write_str(
                "downgrade: the session used BAC although the chip's proven DG14 lists PACE",
            ),
            Self::BacOnPaceChipAccepted => f.write_str(
                "the session used BAC although the chip's proven DG14 lists PACE (accepted by the caller)",
            ),
            Self::CardAccessMismatch => f.write_str(
                "EF.CardAccess does not offer the PACE protocols the proven DG14 and \
                 EF.CardSecurity list",
            ),
            Self::CardSecurityMismatch => f.write_str(
                "EF.CardAccess lists a SecurityInfo that the signed EF.CardSecurity does not hold",
            ),
            Self::CardSecurityInvalid => f.write_str(
                "EF.CardSecurity is not valid (signature, signer or content): a forged chip file",
            ),
            Self::DataGroupListMismatch {
                only_in_sod,
                only_in_com,
            } => {
                let list = |l: &[u8]| {
                    if l.is_empty() {
                        "none".to_string()
                    } else {
                        l.iter().map(|n| format!("DG{n}")).collect::<Vec<_>>().join(", ")
                    }
                };
                write!(
                    f,
                    "EF.COM and the SOD list different data groups (only in the SOD: {}; only \
                     in EF.COM: {})",
                    list(only_in_sod),
                    list(only_in_com)
                )
            }
            Self::CardAccessNotProvided => f.write_str(
                "EF.CardAccess was not provided, so the session's access control is not checked",
            ),
            Self::ChipAuthenticationFailed(e) => {
                write!(f, "chip authentication FAILED (clone?): {e}")
            }
            Self::ActiveAuthenticationFailed(e) => {
                write!(f, "active authentication FAILED (clone?): {e}")
            }
            Self::ChipNotProven => f.write_str(
                "clone detection did not prove the chip (not run, or its key file not proven)",
            ),
            Self::NoCloneDetection => {
                f.write_str("no clone detection available: a copied chip could pass")
            }
            Self::FileDoesNotParse { file } => write!(f, "{} does not parse", file.name()),
        }
    }
}

/// The verdict on a document.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct Verification {
    /// SOD signature, DSC chain, data-group hashes, country binding.
    pub passive_authentication: PassiveAuthReport,
    /// What Chip Authentication proves.
    pub chip_authentication: ChipAuthVerdict,
    /// What Active Authentication proves.
    pub active_authentication: ActiveAuthVerdict,
    /// EF.CardSecurity's verification, when the chip (or the dump) has the file.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub card_security: Option<CardSecurityReport>,
    /// Every reason for the verdict, most serious first.
    pub findings: Vec<Finding>,
    /// No [`FindingKind::Data`] finding: every requested data group the SOD signs was read and
    /// is proven, by a trusted signer of the right country.
    pub data_authentic: bool,
    /// No [`FindingKind::Data`] or [`FindingKind::Chip`] finding: the data is authentic and
    /// complete, and the chip proved itself in a session that was not downgraded.
    pub genuine: bool,
}

impl Verification {
    /// The one place `genuine` and `data_authentic` are derived.
    pub fn from_parts(
        passive_authentication: PassiveAuthReport,
        chip_authentication: ChipAuthVerdict,
        active_authentication: ActiveAuthVerdict,
        mut findings: Vec<Finding>,
    ) -> Self {
        findings.sort_by_key(|f| core::cmp::Reverse(f.kind()));
        let data_authentic = !findings.iter().any(|f| f.kind() == FindingKind::Data);
        let genuine = data_authentic && !findings.iter().any(|f| f.kind() == FindingKind::Chip);
        Self {
            passive_authentication,
            chip_authentication,
            active_authentication,
            card_security: None,
            findings,
            data_authentic,
            genuine,
        }
    }

    /// The findings that make the document not genuine.
    pub fn blocking(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.kind() != FindingKind::Info)
    }
}

/// Passive authentication's findings, from its report.
fn passive_findings(pa: &PassiveAuthReport) -> Vec<Finding> {
    let mut out = Vec::new();
    if pa.sod_signature != SignatureVerdict::Valid {
        out.push(Finding::SodSignatureInvalid);
    }
    match pa.chain {
        ChainVerdict::Valid => {}
        ChainVerdict::Untrusted { .. } => out.push(Finding::ChainUntrusted),
        ChainVerdict::Revoked { .. } => out.push(Finding::DscRevoked),
        _ => out.push(Finding::ChainInvalid),
    }
    if pa.validity_now != ValidityVerdict::Valid {
        out.push(Finding::DscNotValidNow);
    }
    if !matches!(
        pa.validity_at_signing,
        ValidityVerdict::Valid | ValidityVerdict::Unknown
    ) {
        out.push(Finding::DscNotValidAtSigning);
    }
    if let CountryVerdict::Mismatch { mismatch } = &pa.country {
        out.push(Finding::CountryMismatch(mismatch.clone()));
    }
    for (dg, v) in &pa.data_groups {
        match v {
            DgHashVerdict::Mismatch => out.push(Finding::DataGroupHashMismatch { dg: *dg }),
            DgHashVerdict::NotInSod => out.push(Finding::DataGroupNotInSod { dg: *dg }),
            _ => {}
        }
    }
    if !pa
        .data_groups
        .iter()
        .any(|(_, v)| *v == DgHashVerdict::Valid)
    {
        out.push(Finding::NoDataGroupProven);
    }
    // Rules passive authentication adds later still count, under a generic finding.
    if !pa.is_genuine() && out.is_empty() {
        out.push(Finding::PassiveAuthenticationFailed);
    }
    out
}

/// The verdict on `doc` given its passive-authentication report and, when the document has
/// EF.CardSecurity, that file's verification.
pub(super) fn judge(
    doc: &Document,
    pa: PassiveAuthReport,
    card_security: Option<CardSecurityReport>,
    options: &PaOptions,
) -> Verification {
    let proven = |n: u8| {
        pa.is_signature_and_chain_valid()
            && pa
                .data_groups
                .iter()
                .any(|(d, v)| *d == n && *v == DgHashVerdict::Valid)
    };
    // What the signed SOD lists (not what EF.COM or the card's answers say).
    let signed = |n: u8| {
        pa.data_groups.iter().any(|(d, v)| {
            *d == n && !matches!(v, DgHashVerdict::NotInSod | DgHashVerdict::NotChecked)
        })
    };
    let mut findings = passive_findings(&pa);

    // Completeness: a requested group the SOD signs must have been read.
    for (dg, verdict) in &pa.data_groups {
        if *verdict == DgHashVerdict::NotRead && doc.requested.includes(*dg) {
            findings.push(Finding::DataGroupNotRead {
                dg: *dg,
                status: doc.status(ElementaryFile::Dg(*dg)).cloned(),
            });
        }
    }

    // EF.COM (unsigned) and the SOD must list the same groups.
    if let Some(com) = &doc.com {
        if pa
            .data_groups
            .iter()
            .all(|(_, v)| *v != DgHashVerdict::NotChecked)
        {
            let listed: Vec<u8> = com.data_groups.iter().map(|d| d.number()).collect();
            let only_in_sod: Vec<u8> = pa
                .data_groups
                .iter()
                .map(|(d, _)| *d)
                .filter(|d| signed(*d) && !listed.contains(d))
                .collect();
            let mut only_in_com: Vec<u8> = listed.iter().copied().filter(|d| !signed(*d)).collect();
            only_in_com.sort_unstable();
            only_in_com.dedup();
            if !only_in_sod.is_empty() || !only_in_com.is_empty() {
                findings.push(Finding::DataGroupListMismatch {
                    only_in_sod,
                    only_in_com,
                });
            }
        }
    }

    // EF.CardSecurity: signed like the SOD; when valid, its infos are proven too.
    let card_security_infos = match &card_security {
        Some(report) if report.is_valid() => report.security_infos.as_ref(),
        Some(_) => {
            findings.push(Finding::CardSecurityInvalid);
            None
        }
        None => None,
    };
    let card_access = doc
        .raw(ElementaryFile::CardAccess)
        .map(|raw| SecurityInfos::parse(raw).ok());
    if let (Some(signed_infos), Some(offered)) = (card_security_infos, &card_access) {
        // ICAO 9303-11 §9.2.11: EF.CardSecurity holds every SecurityInfo of EF.CardAccess.
        let held = offered
            .as_ref()
            .is_some_and(|o| o.infos.iter().all(|i| signed_infos.infos.contains(i)));
        if !held {
            findings.push(Finding::CardSecurityMismatch);
        }
    }

    // Access control against the chip's proven PACE support (ICAO 9303-11 §9.2): DG14's and
    // EF.CardSecurity's PACEInfos.
    let mut proven_pace: Vec<PaceInfo> = match (&doc.dg14, proven(14)) {
        (Some(dg14), true) => dg14.security_infos.pace_infos().cloned().collect(),
        _ => Vec::new(),
    };
    for info in card_security_infos.iter().flat_map(|i| i.pace_infos()) {
        if !proven_pace.contains(info) {
            proven_pace.push(info.clone());
        }
    }
    if !proven_pace.is_empty() {
        if doc.access == AccessProtocol::Bac {
            findings.push(if options.accepts_bac_on_pace_chip() {
                Finding::BacOnPaceChipAccepted
            } else {
                Finding::BacOnPaceChip
            });
        }
        match &card_access {
            Some(parsed) => {
                let offered: Vec<PaceInfo> = parsed
                    .as_ref()
                    .map(|infos| infos.pace_infos().cloned().collect())
                    .unwrap_or_default();
                let same = offered.iter().all(|i| proven_pace.contains(i))
                    && proven_pace.iter().all(|i| offered.contains(i));
                if !same {
                    findings.push(Finding::CardAccessMismatch);
                }
            }
            // A BAC session already says it; a dump or an upload may lack the file.
            None if doc.access == AccessProtocol::NotRecorded => {
                findings.push(Finding::CardAccessNotProvided)
            }
            None => {}
        }
    }

    // Clone detection: trusted only where passive authentication proved the key's file.
    let chip = ChipAuthVerdict::judge_key_file(&doc.chip_authentication_run, |file| match file {
        ElementaryFile::Dg(14) => proven(14),
        ElementaryFile::CardSecurity => card_security_infos.is_some(),
        _ => false,
    });
    let active = ActiveAuthVerdict::judge(&doc.active_authentication_run, proven(15));
    if let ChipAuthVerdict::Failed { failure } = &chip {
        findings.push(Finding::ChipAuthenticationFailed(failure.clone()));
    }
    if let ActiveAuthVerdict::Failed { failure } = &active {
        findings.push(Finding::ActiveAuthenticationFailed(failure.clone()));
    }
    let failed = matches!(chip, ChipAuthVerdict::Failed { .. })
        || matches!(active, ActiveAuthVerdict::Failed { .. });
    let trusted = chip == ChipAuthVerdict::Trusted || active == ActiveAuthVerdict::Trusted;
    let ran = |untrusted_reason: Option<UntrustedCheck>| {
        !matches!(
            untrusted_reason,
            Some(UntrustedCheck::NotRun | UntrustedCheck::NotSupported)
        )
    };
    let reason = |v: &ChipAuthVerdict| match v {
        ChipAuthVerdict::Untrusted { reason } => Some(*reason),
        _ => None,
    };
    let active_reason = match &active {
        ActiveAuthVerdict::Untrusted { reason } => Some(*reason),
        _ => None,
    };
    // A clone that hides DG14 and DG15 must not pass: the signed SOD decides whether the chip
    // must prove itself, not what ran.
    let must_prove = signed(14) || signed(15) || ran(reason(&chip)) || ran(active_reason);
    if !must_prove {
        findings.push(Finding::NoCloneDetection);
    } else if !trusted && !failed {
        findings.push(Finding::ChipNotProven);
    }

    for failure in &doc.parse_failures {
        findings.push(Finding::FileDoesNotParse { file: failure.file });
    }
    let mut verification = Verification::from_parts(pa, chip, active, findings);
    verification.card_security = card_security;
    verification
}

/// `{ "code": ..., "message": ... }` for a typed error in JSON.
#[cfg(feature = "serde")]
pub(crate) fn ser_code_message<S: serde::Serializer>(
    code: &str,
    message: &dyn core::fmt::Display,
    s: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeStruct;
    let mut st = s.serialize_struct("Error", 2)?;
    st.serialize_field("code", code)?;
    st.serialize_field("message", &message.to_string())?;
    st.end()
}

#[cfg(feature = "serde")]
impl serde::Serialize for CaFailure {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        ser_code_message(self.code(), self, s)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for AaFailure {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        ser_code_message(self.code(), self, s)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Finding {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Finding", 4)?;
        st.serialize_field("code", self.code())?;
        st.serialize_field("kind", &self.kind())?;
        st.serialize_field("message", &self.to_string())?;
        match self.file() {
            Some(file) => st.serialize_field("file", &file.name())?,
            None => st.skip_field("file")?,
        }
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn genuine_is_derived_from_the_findings_kinds() {
        let pa = crate::verify::verify_passive(
            &[],
            &Default::default(),
            &crate::verify::TrustStore::new(),
            &PaOptions::default(),
        );
        let v = |findings| {
            Verification::from_parts(
                pa.clone(),
                ChipAuthVerdict::Trusted,
                ActiveAuthVerdict::Trusted,
                findings,
            )
        };
        let clean = v(vec![Finding::NoCloneDetection]);
        assert!(clean.genuine && clean.data_authentic);
        let chip = v(vec![Finding::BacOnPaceChip, Finding::NoCloneDetection]);
        assert!(!chip.genuine && chip.data_authentic);
        let data = v(vec![
            Finding::NoCloneDetection,
            Finding::DataGroupNotRead {
                dg: 13,
                status: None,
            },
        ]);
        assert!(!data.genuine && !data.data_authentic);
        // Most serious first.
        assert_eq!(data.findings[0].code(), "data_group_not_read");
        assert_eq!(data.blocking().count(), 1);
    }

    #[test]
    fn runs_are_judged_by_the_proof_of_their_key_file() {
        let done = ChipAuthRun::Completed {
            method: ChipAuthMethod::ChipAuthentication,
        };
        assert_eq!(
            ChipAuthVerdict::judge(&done, true),
            ChipAuthVerdict::Trusted
        );
        assert_eq!(
            ChipAuthVerdict::judge(&done, false),
            ChipAuthVerdict::Untrusted {
                reason: UntrustedCheck::KeyFileNotProven {
                    file: ElementaryFile::Dg(14)
                }
            }
        );
        assert_eq!(
            ActiveAuthVerdict::judge(&ActiveAuthRun::NotAttempted, true),
            ActiveAuthVerdict::Untrusted {
                reason: UntrustedCheck::NotRun
            }
        );
        assert_eq!(
            ActiveAuthRun::from_outcome(Err(&AaError::Card(StatusWord(0x6982)))),
            ActiveAuthRun::Failed {
                failure: AaFailure::Refused(StatusWord(0x6982))
            }
        );
    }
}
