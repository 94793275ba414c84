//! Verification: passive authentication (EF.SOD signature, DSC chain to a CSCA, data group
//! hashes), EF.CardSecurity, the CSCA trust store (certificates, master lists with a
//! constrained signer, LDIF, CRLs), the country binding, and the check of an Active
//! Authentication signature (`active`). Judgement only: the exchanges are in
//! [`crate::access`].
//!
//! The X.509, CMS, CRL and signature primitives are in [`crate::pki`]; this layer judges.
//! Signatures are always checked over the exact bytes that were signed (the original signed
//! attributes re-tagged as SET, the original TBSCertificate), never over a re-encoding.

// The Active Authentication signature check is a primitive (feature `internals`): its
// outcome reaches callers as `crate::document::ActiveAuthRun`.
#[cfg(feature = "internals")]
pub mod active;
#[cfg(not(feature = "internals"))]
#[allow(dead_code, unused_imports)] // helpers for the tests, fuzz targets, simulator
pub(crate) mod active;
pub mod cache;
pub mod card_security;
pub(crate) mod chain;
pub mod compiled;
pub mod country;
pub mod passive;
pub mod trust;
pub mod warning;

pub use crate::pki::cms::SignerFailure;
pub use crate::pki::signature::{SignatureAlgorithm, SignatureError};
pub use crate::pki::{Certificate, Crl, Name, Time};
pub use cache::{ChainCache, ChainCacheStats};
pub use card_security::{verify_card_security, CardSecurityReport};
pub use country::{CountryMismatch, CountryVerdict};
pub use passive::{
    verify_passive, ChainFailure, ChainVerdict, DgHashVerdict, DscProfileViolation, PaOptions,
    PassiveAuthReport, SignatureVerdict, UntrustedReason, ValidityVerdict,
};
pub use trust::{
    list_certificates, CertificateSummary, LoadReport, MasterListReport, TrustError, TrustStore,
};
pub use warning::Warning;
