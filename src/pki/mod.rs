//! The eMRTD public-key infrastructure (ICAO 9303-12) as data: OIDs, AlgorithmIdentifier,
//! SubjectPublicKeyInfo and public keys, Name (RFC 5280 §7.1 comparison), Time, X.509
//! certificates and CRLs, CMS SignedData (EF.SOD, EF.CardSecurity, master lists), the CSCA
//! master list, and signature verification.
//!
//! This layer sits below [`crate::lds`] (which parses the content the CMS structures sign) and
//! [`crate::verify`] (which judges chains and verdicts); it only imports [`crate::crypto`] and
//! [`crate::tlv`]. Certificates and CRLs are decoded with `x509-cert` (profile `Raw`, so
//! nothing is re-encoded or "fixed" while decoding). Signatures are always checked over the
//! original bytes (the `TBSCertificate` / `TBSCertList` as they were encoded, the signed
//! attributes re-tagged as SET), never over a re-encoding: see [`crate::manual`] for the
//! certificates of the real corpus whose re-encoding differs.

pub mod algorithm;
pub(crate) mod asn1;
pub mod cert;
pub mod cms;
pub mod crl;
mod ecdsa;
pub mod master_list;
pub mod name;
pub mod oid;
pub mod pem;
#[cfg(feature = "serde")]
pub(crate) mod serde_util;
pub mod signature;
pub mod spki;
pub mod time;

pub use algorithm::AlgorithmIdentifier;
pub use cert::{CertError, Certificate};
pub use cms::{CmsError, SignedData, SignerFailure};
pub use crl::Crl;
pub use master_list::CscaMasterList;
pub use name::{Name, NameMatch};
pub use signature::{SignatureAlgorithm, SignatureError};
pub use spki::{PublicKey, SubjectPublicKeyInfo};
pub use time::Time;
