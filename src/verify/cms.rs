//! The CMS signer check (RFC 5652 §5.4, §5.6) shared by EF.SOD, EF.CardSecurity and master
//! lists, plus certificate-signature checks.

use super::asn1::NameMatch;
use super::cert::Certificate;
use super::signature::{self, SignatureAlgorithm, SignatureError};
use crate::lds::sod::{HashAlgorithm, SignerIdentifier, SignerInfo};
use const_oid::ObjectIdentifier;
use thiserror::Error;

/// Why a CMS signature is not valid.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub enum SignerFailure {
    /// The file could not be parsed (the parser's message).
    #[error("malformed: {0}")]
    Malformed(String),
    /// The encapsulated content type is not the one this structure requires.
    #[error("wrong eContentType {0}")]
    WrongContentType(String),
    /// No SignerInfo.
    #[error("no SignerInfo")]
    NoSignerInfo,
    /// The signer's certificate is not in the SignedData.
    #[error("signer certificate not found")]
    SignerCertificateNotFound,
    /// The digest algorithm is not supported.
    #[error("unsupported digest algorithm {0}")]
    UnsupportedDigest(String),
    /// The contentType signed attribute differs from eContentType (RFC 5652 §11.1).
    #[error("contentType attribute does not match eContentType")]
    ContentTypeMismatch,
    /// The messageDigest signed attribute is missing.
    #[error("no messageDigest attribute")]
    MissingMessageDigest,
    /// The messageDigest attribute does not match the content.
    #[error("messageDigest does not match the content")]
    MessageDigestMismatch,
    /// The signature check failed.
    #[error("signature: {0}")]
    Signature(String),
}

impl From<SignatureError> for SignerFailure {
    fn from(e: SignatureError) -> Self {
        Self::Signature(e.to_string())
    }
}

/// What a successful signer check found.
#[derive(Debug, Clone)]
pub(crate) struct SignerOk {
    pub algorithm: SignatureAlgorithm,
    pub warnings: Vec<String>,
}

/// The certificate `sid` names among `certificates`.
pub(crate) fn find_signer<'a>(
    sid: &SignerIdentifier,
    certificates: &'a [Certificate],
) -> Option<(&'a Certificate, Option<String>)> {
    match sid {
        SignerIdentifier::IssuerAndSerialNumber { issuer, serial } => {
            let wanted = super::asn1::unsigned(serial);
            for c in certificates {
                if c.serial_magnitude() != wanted {
                    continue;
                }
                match c.issuer.matches(issuer) {
                    NameMatch::Exact => return Some((c, None)),
                    NameMatch::Normalised => {
                        return Some((
                            c,
                            Some("signer issuer name matches only after normalisation".into()),
                        ))
                    }
                    NameMatch::Different => {}
                }
            }
            None
        }
        SignerIdentifier::SubjectKeyIdentifier(ski) => certificates
            .iter()
            .find(|c| c.extensions.subject_key_identifier.as_ref() == Some(ski))
            .map(|c| (c, None)),
    }
}

/// Checks one SignerInfo over `econtent` with `signer`'s key.
pub(crate) fn verify_signer_info(
    si: &SignerInfo,
    econtent_type: &ObjectIdentifier,
    econtent: &[u8],
    signer: &Certificate,
) -> Result<SignerOk, SignerFailure> {
    let digest = HashAlgorithm::from_oid(&si.digest_algorithm.oid)
        .ok_or_else(|| SignerFailure::UnsupportedDigest(si.digest_algorithm.oid.to_string()))?;
    let algorithm =
        SignatureAlgorithm::from_algorithm_identifier(&si.signature_algorithm, Some(digest))?;
    let mut warnings = Vec::new();
    let signed: &[u8] = match &si.signed_attributes {
        Some(attrs) => {
            if let Some(ct) = &attrs.content_type {
                if ct != econtent_type {
                    return Err(SignerFailure::ContentTypeMismatch);
                }
            } else {
                warnings.push("signed attributes lack contentType".into());
            }
            let md = attrs
                .message_digest
                .as_ref()
                .ok_or(SignerFailure::MissingMessageDigest)?;
            if *md != digest.digest(econtent) {
                return Err(SignerFailure::MessageDigestMismatch);
            }
            &attrs.signed_bytes
        }
        None => {
            warnings
                .push("SignerInfo has no signed attributes (ICAO 9303-10 requires them)".into());
            econtent
        }
    };
    signature::verify(&signer.public_key, algorithm, signed, &si.signature)?;
    Ok(SignerOk {
        algorithm,
        warnings,
    })
}

/// Verifies `cert`'s signature with `issuer`'s public key (over the original TBS bytes).
pub fn verify_certificate_signature(
    cert: &Certificate,
    issuer: &Certificate,
) -> Result<SignatureAlgorithm, SignatureError> {
    let alg = SignatureAlgorithm::from_algorithm_identifier(&cert.signature_algorithm, None)?;
    signature::verify(
        &issuer.public_key,
        alg,
        cert.tbs_certificate(),
        &cert.signature,
    )?;
    Ok(alg)
}

/// Verifies the first SignerInfo of any SignedData (EF.CardSecurity, a master list) with the
/// signer certificate it carries; returns that certificate and the algorithm. The signer's
/// chain is not checked here.
pub fn verify_signed_data(
    sd: &crate::lds::sod::SignedData,
) -> Result<(&Certificate, SignatureAlgorithm), SignerFailure> {
    let si = sd.signer_infos.first().ok_or(SignerFailure::NoSignerInfo)?;
    let (signer, _) =
        find_signer(&si.sid, &sd.certificates).ok_or(SignerFailure::SignerCertificateNotFound)?;
    let content = sd.econtent.as_deref().unwrap_or(&[]);
    let ok = verify_signer_info(si, &sd.econtent_type, content, signer)?;
    Ok((signer, ok.algorithm))
}
