//! The eMRTD public-key infrastructure (ICAO 9303-12) as data: OIDs, AlgorithmIdentifier,
//! SubjectPublicKeyInfo and public keys, Name (RFC 5280 §7.1 comparison), Time, X.509
//! certificates and CRLs, CMS SignedData (EF.SOD, EF.CardSecurity, master lists), the CSCA
//! master list, and signature verification.
//!
//! This layer sits below [`crate::lds`] (which parses the content the CMS structures sign) and
//! [`crate::verify`] (which judges chains and verdicts); it only imports `crypto` and
//! `tlv`. Certificates and CRLs are decoded with `x509-cert` (profile `Raw`, so
//! nothing is re-encoded or "fixed" while decoding). Signatures are always checked over the
//! original bytes (the `TBSCertificate` / `TBSCertList` as they were encoded, the signed
//! attributes re-tagged as SET), never over a re-encoding: see [`crate::manual`] for the
//! certificates of the real corpus whose re-encoding differs.

// The parsers are primitives (feature `internals`); the types the trust store and the
// verification reports carry are re-exported below.
#[cfg(feature = "internals")]
pub mod algorithm;
#[cfg(not(feature = "internals"))]
#[allow(dead_code, unused_imports)] // helpers for the tests, fuzz targets, simulator
pub(crate) mod algorithm;
pub(crate) mod asn1;
#[cfg(feature = "internals")]
pub mod cert;
#[cfg(not(feature = "internals"))]
#[allow(dead_code, unused_imports)] // helpers for the tests, fuzz targets, simulator
pub(crate) mod cert;
#[cfg(feature = "internals")]
pub mod cms;
#[cfg(not(feature = "internals"))]
#[allow(dead_code, unused_imports)] // helpers for the tests, fuzz targets, simulator
pub(crate) mod cms;
#[cfg(feature = "internals")]
pub mod crl;
#[cfg(not(feature = "internals"))]
#[allow(dead_code, unused_imports)] // helpers for the tests, fuzz targets, simulator
pub(crate) mod crl;
mod ecdsa;
#[cfg(feature = "internals")]
pub mod master_list;
#[cfg(not(feature = "internals"))]
#[allow(dead_code, unused_imports)] // helpers for the tests, fuzz targets, simulator
pub(crate) mod master_list;
#[cfg(feature = "internals")]
pub mod name;
#[cfg(not(feature = "internals"))]
#[allow(dead_code, unused_imports)] // helpers for the tests, fuzz targets, simulator
pub(crate) mod name;
#[cfg(feature = "internals")]
pub mod oid;
#[cfg(not(feature = "internals"))]
#[allow(dead_code, unused_imports)] // helpers for the tests, fuzz targets, simulator
pub(crate) mod oid;
#[cfg(feature = "internals")]
pub mod pem;
#[cfg(not(feature = "internals"))]
#[allow(dead_code, unused_imports)] // helpers for the tests, fuzz targets, simulator
pub(crate) mod pem;
#[cfg(feature = "serde")]
pub(crate) mod serde_util;
#[cfg(feature = "internals")]
pub mod signature;
#[cfg(not(feature = "internals"))]
#[allow(dead_code, unused_imports)] // helpers for the tests, fuzz targets, simulator
pub(crate) mod signature;
#[cfg(feature = "internals")]
pub mod spki;
#[cfg(not(feature = "internals"))]
#[allow(dead_code, unused_imports)] // helpers for the tests, fuzz targets, simulator
pub(crate) mod spki;
#[cfg(feature = "internals")]
pub mod time;
#[cfg(not(feature = "internals"))]
#[allow(dead_code, unused_imports)] // helpers for the tests, fuzz targets, simulator
pub(crate) mod time;

pub use algorithm::AlgorithmIdentifier;
pub use cert::{CertError, Certificate, Extensions, KeyUsage};
pub use cms::{CmsError, SignerFailure};
pub use crl::Crl;
pub use master_list::MasterListError;
pub use name::{Name, NameAttribute, NameMatch};
pub use signature::{KeyError as PublicKeyError, SignatureAlgorithm, SignatureError};
pub use spki::{
    DhPublicKey, EcParameters, EcPublicKey, ExplicitEcParameters, PublicKey, RsaPublicKey,
    SecurityInfoError, SubjectPublicKeyInfo,
};
pub use time::Time;

#[cfg(feature = "internals")]
pub use cms::SignedData;
#[cfg(feature = "internals")]
pub use master_list::CscaMasterList;
