//! Verification: passive authentication (EF.SOD signature, DSC chain to a CSCA, data group
//! hashes), the CSCA trust store (certificates, master lists, LDIF, CRLs), the country binding,
//! and the check of an Active Authentication signature ([`active`]). Judgement only: the
//! exchanges are in [`crate::access`].
//!
//! Signatures are always checked over the exact bytes that were signed (the original signed
//! attributes re-tagged as SET, the original TBSCertificate), never over a re-encoding.

pub mod active;
pub mod asn1;
pub mod cert;
pub mod cms;
pub mod country;
pub mod crl;
mod ecdsa;
pub mod passive;
pub mod signature;
pub mod trust;

pub use asn1::{Name, Time};
pub use cert::Certificate;
pub use cms::SignerFailure;
pub use country::{CountryMismatch, CountryVerdict};
pub use crl::Crl;
pub use passive::{
    verify_passive, ChainFailure, ChainVerdict, DgHashVerdict, PaOptions, PassiveAuthReport,
    SignatureVerdict, UntrustedReason, ValidityVerdict,
};
pub use signature::{SignatureAlgorithm, SignatureError};
pub use trust::{
    list_certificates, CertificateSummary, LoadReport, MasterListReport, TrustError, TrustStore,
};
