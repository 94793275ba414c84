//! Deviations that a check accepted leniently, or that limit what it could say, without
//! changing its verdict: one typed [`Warning`] each, with a stable [`code`](Warning::code) for
//! programs and a sentence ([`Display`](core::fmt::Display)) for people. The JSON form is
//! `{"code": ..., "message": ...}`.

use const_oid::ObjectIdentifier;

use super::trust::TrustError;
use crate::pki::{MasterListError, Time};

/// One warning of passive authentication, EF.CardSecurity, or loading a trust source.
/// Certificate and CRL names are issuers' names (no personal data).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Warning {
    /// The signature or its digest uses SHA-1 (BSI TR-03105-5.1 accepts it as deprecated;
    /// collisions are practical).
    #[error("signature uses SHA-1 (collisions are practical; re-issue advised)")]
    Sha1Signature,
    /// The SignerInfo's `sid` issuer matches the signer certificate's issuer only by RFC 5280
    /// §7.1 name comparison (case, spaces, string type), not byte for byte.
    #[error("signer issuer name matches only by RFC 5280 name comparison")]
    SignerIssuerNameNormalised,
    /// The SignerInfo's `sid` issuer names no embedded certificate; the only embedded one, of
    /// the `sid`'s serial number, was used (seen on Malaysia's SOD).
    #[error(
        "SignerInfo sid's issuer names no embedded certificate; the only embedded certificate, \
         of the sid's serial number, was used"
    )]
    SignerOnlyEmbeddedCertificate,
    /// The SOD embeds no Document Signer certificate; the one the `sid` names was taken from
    /// the trust store's PKD Document Signers (ICAO 9303-11 §5.1: the DSC may be absent).
    #[error("DSC not in the SOD; taken from the trust store{}", by_name_comparison(.name_normalised))]
    DscFromTrustStore {
        /// The `sid` matched the certificate only by RFC 5280 name comparison.
        name_normalised: bool,
    },
    /// The Document Signer certificate has a critical extension this library does not know.
    #[error("DSC has unknown critical extension {oid}")]
    DscUnknownCriticalExtension {
        /// The extension's OID.
        oid: ObjectIdentifier,
    },
    /// The DSC's issuer and the CSCA's subject match only by RFC 5280 §7.1 name comparison.
    #[error(
        "DSC issuer and CSCA subject match only by RFC 5280 name comparison (case, spaces, \
         string type)"
    )]
    CscaNameNormalised,
    /// The CSCA was reached through a link certificate (ICAO 9303-12 §5.2.2).
    #[error("CSCA reached through a link certificate")]
    LinkCertificate,
    /// The CSCA certificate has a critical extension this library does not know.
    #[error("CSCA has unknown critical extension {oid}")]
    CscaUnknownCriticalExtension {
        /// The extension's OID.
        oid: ObjectIdentifier,
    },
    /// The CSCA certificate was not valid at the SOD's signingTime.
    #[error("CSCA not valid at signing time {signing_time}")]
    CscaNotValidAtSigning {
        /// The signingTime.
        signing_time: Time,
    },
    /// The CSCA certificate is not valid now (or at [`super::PaOptions::at`]); the DSC it
    /// issued may still be (ICAO 9303-12 §5.3: CSCA validity covers its DSCs' issuance).
    #[error("CSCA not valid at {at}")]
    CscaNotValidNow {
        /// The moment checked.
        at: Time,
    },
    /// A CRL issued in the CSCA's name does not verify with the CSCA's key: ignored.
    #[error("CRL from {issuer} ignored: {reason}")]
    CrlIgnored {
        /// The CRL's issuer.
        issuer: String,
        /// Why its signature failed.
        reason: crate::pki::SignatureError,
    },
    /// The CRL's nextUpdate has passed: a revocation it lists counts, its silence does not.
    #[error("CRL from {issuer} expired: its absence of revocation is not trusted")]
    CrlExpired {
        /// The CRL's issuer.
        issuer: String,
    },
    /// No current CRL signed by the CSCA was available: revocation was not checked.
    #[error("no CRL signed by the CSCA was available: revocation not checked")]
    RevocationNotChecked,
    /// The SOD's eContentType is not `id-icao-ldsSecurityObject` (an older OID some issuers
    /// used); accepted.
    #[error("legacy eContentType {oid} accepted")]
    LegacyEContentType {
        /// The eContentType.
        oid: ObjectIdentifier,
    },
    /// A PEM block that is neither a certificate nor a CRL.
    #[error("PEM block {label} ignored")]
    PemBlockIgnored {
        /// The block's label (`-----BEGIN label-----`).
        label: String,
    },
    /// A master list whose signature or signer chain did not verify was used all the same,
    /// as the store's danger option allows.
    #[error("master list used UNVERIFIED (danger option): {reason}")]
    MasterListUnverified {
        /// Why it did not verify.
        reason: MasterListError,
    },
    /// A master list entry that does not parse as a certificate: skipped.
    #[error("entry {entry} skipped: {reason}")]
    MasterListEntrySkipped {
        /// Its position in the list, from 1.
        entry: usize,
        /// Why.
        reason: crate::pki::CertError,
    },
    /// An LDIF attribute the store wants whose value is not base64 (`attr::`): skipped.
    #[error("{attribute}: value not base64, skipped")]
    LdifValueNotBase64 {
        /// The attribute, lower case.
        attribute: String,
    },
    /// An LDIF value that does not decode as base64: skipped.
    #[error("{attribute}: bad base64, skipped")]
    LdifBadBase64 {
        /// The attribute, lower case.
        attribute: String,
    },
    /// An LDIF value that the store could not use (a certificate, CRL or master list that
    /// does not parse or verify): skipped.
    #[error("{attribute}: {reason}")]
    LdifValueSkipped {
        /// The attribute, lower case.
        attribute: String,
        /// Why.
        reason: Box<TrustError>,
    },
    /// A directory nested deeper than the trust store reads: skipped.
    #[error("{path}: too deep, skipped")]
    DirectoryTooDeep {
        /// The directory.
        path: String,
    },
    /// A file of a trust directory that could not be used: skipped.
    #[error("{path}: {reason}")]
    FileSkipped {
        /// The file.
        path: String,
        /// Why.
        reason: Box<TrustError>,
    },
    /// A compiled trust store holds master lists that were used unverified when it was
    /// compiled.
    #[error(
        "compiled trust store includes master lists used UNVERIFIED (danger option at compile \
         time)"
    )]
    CompiledUnverifiedMasterLists,
}

fn by_name_comparison(normalised: &bool) -> &'static str {
    if *normalised {
        " by RFC 5280 name comparison"
    } else {
        ""
    }
}

impl Warning {
    /// A stable code for programs (JSON `code`).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Sha1Signature => "sha1_signature",
            Self::SignerIssuerNameNormalised => "signer_issuer_name_normalised",
            Self::SignerOnlyEmbeddedCertificate => "signer_only_embedded_certificate",
            Self::DscFromTrustStore { .. } => "dsc_from_trust_store",
            Self::DscUnknownCriticalExtension { .. } => "dsc_unknown_critical_extension",
            Self::CscaNameNormalised => "csca_name_normalised",
            Self::LinkCertificate => "link_certificate",
            Self::CscaUnknownCriticalExtension { .. } => "csca_unknown_critical_extension",
            Self::CscaNotValidAtSigning { .. } => "csca_not_valid_at_signing",
            Self::CscaNotValidNow { .. } => "csca_not_valid_now",
            Self::CrlIgnored { .. } => "crl_ignored",
            Self::CrlExpired { .. } => "crl_expired",
            Self::RevocationNotChecked => "revocation_not_checked",
            Self::LegacyEContentType { .. } => "legacy_econtent_type",
            Self::PemBlockIgnored { .. } => "pem_block_ignored",
            Self::MasterListUnverified { .. } => "master_list_unverified",
            Self::MasterListEntrySkipped { .. } => "master_list_entry_skipped",
            Self::LdifValueNotBase64 { .. } => "ldif_value_not_base64",
            Self::LdifBadBase64 { .. } => "ldif_bad_base64",
            Self::LdifValueSkipped { .. } => "ldif_value_skipped",
            Self::DirectoryTooDeep { .. } => "directory_too_deep",
            Self::FileSkipped { .. } => "file_skipped",
            Self::CompiledUnverifiedMasterLists => "compiled_unverified_master_lists",
        }
    }
}

impl From<crate::pki::cms::SignerWarning> for Warning {
    fn from(w: crate::pki::cms::SignerWarning) -> Self {
        use crate::pki::cms::SignerWarning;
        match w {
            SignerWarning::Sha1 => Self::Sha1Signature,
            SignerWarning::IssuerNameNormalised => Self::SignerIssuerNameNormalised,
            SignerWarning::OnlyEmbeddedCertificate => Self::SignerOnlyEmbeddedCertificate,
        }
    }
}

/// `{"code": ..., "message": ...}`.
#[cfg(feature = "serde")]
impl serde::Serialize for Warning {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Warning", 2)?;
        st.serialize_field("code", self.code())?;
        st.serialize_field("message", &self.to_string())?;
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One of each variant.
    fn every_warning() -> Vec<Warning> {
        let oid = ObjectIdentifier::new_unwrap("2.5.29.99");
        let time = Time::parse_date("2026-11-30").unwrap();
        let path = "trust/x.der".to_string();
        vec![
            Warning::Sha1Signature,
            Warning::SignerIssuerNameNormalised,
            Warning::SignerOnlyEmbeddedCertificate,
            Warning::DscFromTrustStore {
                name_normalised: true,
            },
            Warning::DscUnknownCriticalExtension { oid },
            Warning::CscaNameNormalised,
            Warning::LinkCertificate,
            Warning::CscaUnknownCriticalExtension { oid },
            Warning::CscaNotValidAtSigning { signing_time: time },
            Warning::CscaNotValidNow { at: time },
            Warning::CrlIgnored {
                issuer: "C=XX".into(),
                reason: crate::pki::SignatureError::Invalid,
            },
            Warning::CrlExpired {
                issuer: "C=XX".into(),
            },
            Warning::RevocationNotChecked,
            Warning::LegacyEContentType { oid },
            Warning::PemBlockIgnored {
                label: "PRIVATE KEY".into(),
            },
            Warning::MasterListUnverified {
                reason: MasterListError::NoSignerRoot,
            },
            Warning::MasterListEntrySkipped {
                entry: 3,
                reason: crate::pki::Certificate::from_der(&[]).unwrap_err(),
            },
            Warning::LdifValueNotBase64 {
                attribute: "cacertificate".into(),
            },
            Warning::LdifBadBase64 {
                attribute: "cacertificate".into(),
            },
            Warning::LdifValueSkipped {
                attribute: "cacertificate".into(),
                reason: Box::new(TrustError::UnknownFormat),
            },
            Warning::DirectoryTooDeep { path: path.clone() },
            Warning::FileSkipped {
                path,
                reason: Box::new(TrustError::UnknownFormat),
            },
            Warning::CompiledUnverifiedMasterLists,
        ]
    }

    #[test]
    fn codes_are_snake_case_and_distinct() {
        let all = every_warning();
        let codes: std::collections::BTreeSet<_> = all.iter().map(Warning::code).collect();
        assert_eq!(codes.len(), all.len());
        assert!(codes.iter().all(|c| c
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b == b'_' || b.is_ascii_digit())));
    }

    /// The JSON schema lists exactly the codes there are.
    #[cfg(feature = "serde")]
    #[test]
    fn the_schema_lists_every_code() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/schema/cccd-document.schema.json"
        );
        let schema: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let listed: std::collections::BTreeSet<&str> = schema["$defs"]["warning"]["properties"]
            ["code"]["enum"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        let codes: std::collections::BTreeSet<&str> =
            every_warning().iter().map(Warning::code).collect();
        assert_eq!(listed, codes);
    }

    #[test]
    fn messages_name_what_happened() {
        assert_eq!(
            Warning::DscFromTrustStore {
                name_normalised: true
            }
            .to_string(),
            "DSC not in the SOD; taken from the trust store by RFC 5280 name comparison"
        );
        assert_eq!(
            Warning::DscFromTrustStore {
                name_normalised: false
            }
            .to_string(),
            "DSC not in the SOD; taken from the trust store"
        );
        assert_eq!(
            Warning::PemBlockIgnored {
                label: "PRIVATE KEY".into()
            }
            .to_string(),
            "PEM block PRIVATE KEY ignored"
        );
    }

    #[cfg(feature = "serde")]
    #[test]
    fn serializes_as_code_and_message() {
        let json = serde_json::to_value(Warning::RevocationNotChecked).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "code": "revocation_not_checked",
                "message": "no CRL signed by the CSCA was available: revocation not checked"
            })
        );
    }
}
