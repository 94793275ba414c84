//! The CSCA master list (ICAO 9303-12 §9): a SignedData whose content is a set of CSCA
//! certificates, signed by a master-list signer that a trusted root certifies. A list is only
//! as good as its signer: the signer must carry the extended key usage
//! `id-icao-cscaMasterListSigningKey`, keyUsage digitalSignature, be valid when it signed,
//! and chain to a caller-supplied root through CA certificates with keyCertSign.

use super::cert::{CertError, Certificate, KeyUsage};
use super::cms::{verify_every_signer, CmsError, SignedData, SignerFailure};
use super::oid;
use super::signature::SignatureError;
use super::Time;
use crate::tlv::{parse_single, tags};
use thiserror::Error;

/// How many intermediates may stand between a master-list signer and its root.
pub const MAX_SIGNER_INTERMEDIATES: usize = 2;

/// A decoded master list (its signature not yet judged).
///
/// ```text
/// CscaMasterList ::= SEQUENCE {                  -- ICAO 9303-12 §9
///     version   CscaMasterListVersion,           -- v0(0)
///     certList  SET OF Certificate }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CscaMasterList {
    /// The SignedData around the list.
    pub signed_data: SignedData,
    /// The certificates that decode, in list order.
    pub certificates: Vec<Certificate>,
    /// The entries that do not decode: (position from 1, why).
    pub skipped: Vec<(usize, CertError)>,
    /// How many entries `certList` holds.
    pub entries: usize,
}

impl CscaMasterList {
    /// Parses a master list file (a ContentInfo, DER or BER).
    pub fn parse(bytes: &[u8]) -> Result<Self, CmsError> {
        let signed_data = SignedData::parse_content_info(bytes)?;
        if signed_data.econtent_type != oid::CSCA_MASTER_LIST {
            return Err(CmsError::WrongContentType(signed_data.econtent_type));
        }
        let content = signed_data.econtent.as_deref().ok_or(CmsError::NoContent)?;
        let list = parse_single(content)?;
        let mut c = list.children();
        c.read_tag(tags::INTEGER)?;
        let set = c.read_tag(tags::SET)?;
        c.finish()?;
        let mut certificates = Vec::new();
        let mut skipped = Vec::new();
        let mut entries = 0;
        for entry in set.children() {
            let entry = entry?;
            entries += 1;
            match Certificate::from_der(entry.raw) {
                Ok(cert) => certificates.push(cert),
                Err(e) => skipped.push((entries, e)),
            }
        }
        Ok(Self {
            signed_data,
            certificates,
            skipped,
            entries,
        })
    }

    /// Verifies the list's signature, its signer's profile and its signer's chain to one of
    /// `roots`; returns the signer and the root.
    pub fn verify<'a>(
        &'a self,
        roots: &'a [Certificate],
    ) -> Result<(&'a Certificate, &'a Certificate), MasterListError> {
        if roots.is_empty() {
            return Err(MasterListError::NoSignerRoot);
        }
        let (signer, _) =
            verify_every_signer(&self.signed_data).map_err(MasterListError::Signature)?;
        let signed_at = self
            .signed_data
            .signer_infos
            .first()
            .and_then(|si| si.signed_attributes.as_ref())
            .and_then(|a| a.signing_time)
            .unwrap_or_else(Time::now);
        check_signer_profile(signer, signed_at)?;
        let root = chain_to_roots(signer, &self.signed_data.certificates, roots, signed_at)?;
        Ok((signer, root))
    }
}

/// Why a master list is not trusted.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum MasterListError {
    /// No signer root was supplied: the list's origin cannot be checked.
    #[error("no master-list signer root supplied")]
    NoSignerRoot,
    /// The CMS signature does not verify.
    #[error("master list signature: {0}")]
    Signature(SignerFailure),
    /// The signer lacks the extended key usage id-icao-cscaMasterListSigningKey.
    #[error("master-list signer lacks extended key usage id-icao-cscaMasterListSigningKey")]
    SignerNotMasterListSigner,
    /// The signer's keyUsage lacks digitalSignature.
    #[error("master-list signer keyUsage lacks digitalSignature")]
    SignerKeyUsage,
    /// The signer was not valid when the list was signed.
    #[error("master-list signer not valid at {0}")]
    SignerNotValid(Time),
    /// The signer does not chain to a supplied root through CA certificates.
    #[error("master-list signer {signer} does not chain to a supplied root")]
    NoChainToRoot {
        /// The signer's subject.
        signer: String,
    },
}

/// The master-list signer profile (ICAO 9303-12 §7.1.1, Table 6 and §9).
fn check_signer_profile(signer: &Certificate, at: Time) -> Result<(), MasterListError> {
    let eku = signer
        .extensions
        .extended_key_usage
        .as_deref()
        .unwrap_or(&[]);
    if !eku.contains(&oid::CSCA_MASTER_LIST_SIGNING_KEY) {
        return Err(MasterListError::SignerNotMasterListSigner);
    }
    if !signer.key_usage_has(KeyUsage::DIGITAL_SIGNATURE) {
        return Err(MasterListError::SignerKeyUsage);
    }
    if !signer.is_valid_at(at) {
        return Err(MasterListError::SignerNotValid(at));
    }
    Ok(())
}

/// An issuer in a chain: a CA certificate allowed to sign certificates (RFC 5280 §4.2.1.9,
/// §4.2.1.3), valid at `at`.
fn may_issue(issuer: &Certificate, at: Time) -> bool {
    issuer.is_ca() && issuer.key_usage_has(KeyUsage::KEY_CERT_SIGN) && issuer.is_valid_at(at)
}

fn issued_by(cert: &Certificate, issuer: &Certificate) -> Result<(), SignatureError> {
    if !cert.issuer.same_as(&issuer.subject) {
        return Err(SignatureError::Invalid);
    }
    cert.verify_signed_by(issuer).map(|_| ())
}

/// A root among `roots` that certifies `cert`, directly or through at most
/// [`MAX_SIGNER_INTERMEDIATES`] CA certificates from `pool`.
fn chain_to_roots<'a>(
    cert: &Certificate,
    pool: &[std::sync::Arc<Certificate>],
    roots: &'a [Certificate],
    at: Time,
) -> Result<&'a Certificate, MasterListError> {
    fn walk<'a>(
        cert: &Certificate,
        pool: &[std::sync::Arc<Certificate>],
        roots: &'a [Certificate],
        at: Time,
        depth: usize,
    ) -> Option<&'a Certificate> {
        if let Some(root) = roots
            .iter()
            .find(|r| may_issue(r, at) && issued_by(cert, r).is_ok())
        {
            return Some(root);
        }
        if depth >= MAX_SIGNER_INTERMEDIATES {
            return None;
        }
        pool.iter()
            .filter(|m| m.raw != cert.raw && may_issue(m, at) && issued_by(cert, m).is_ok())
            .find_map(|m| walk(m, pool, roots, at, depth + 1))
    }
    walk(cert, pool, roots, at, 0).ok_or_else(|| MasterListError::NoChainToRoot {
        signer: cert.subject.to_string(),
    })
}
