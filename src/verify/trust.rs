//! The CSCA trust store: certificates from DER/PEM files and directories, ICAO CSCA master
//! lists (ICAO 9303-12 §9), ICAO PKD LDIF exports, and CRLs. Nothing is trusted by default.
//!
//! ```
//! use cccd::verify::TrustStore;
//! let mut trust = TrustStore::new().with_vn_csca();
//! assert_eq!(trust.certificates().len(), 1);
//! assert_eq!(trust.certificates()[0].country().as_deref(), Some("VN"));
//! ```

use crate::pki::cms::{verify_certificate_signature, CmsError, SignedData};
use crate::pki::master_list::{CscaMasterList, MasterListError};
use crate::pki::pem::base64_decode;
use crate::pki::signature::rsa_modulus_bits;
use crate::pki::spki::PublicKey;
use crate::pki::{oid as oids, CertError, Certificate, Crl};
use std::path::Path;
use thiserror::Error;

/// Largest trust file read from disk (the ICAO PKD LDIF is ~100 MB; master lists ~1 MB).
pub const MAX_TRUST_FILE: u64 = 256 * 1024 * 1024;
/// How deep `add_path` descends into directories.
pub const MAX_DIRECTORY_DEPTH: usize = 4;

/// The VN CSCA (`C=VN, O=Vietnam Government Information Security Commission, CN=CSCA
/// ePassport Vietnam`, 2022-06-29 .. 2037-10-01, ECDSA-SHA512 on brainpoolP512r1 given as
/// explicit parameters). Provenance: the ICAO / German CSCA master list, copied from
/// `shared/test-data/vn/VN_CSCA_ePassport_2022.cer`; SHA-256 fingerprint
/// 6B5FA6FE45CC4E855A73760413E08B7A9AC50A27722C702F3909A90FACC991BD.
pub const VN_CSCA_2022_DER: &[u8] = include_bytes!("data/VN_CSCA_ePassport_2022.cer");

/// A trust source could not be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum TrustError {
    /// Reading a file failed.
    #[error("cannot read {path}: {kind}")]
    Io {
        /// The path.
        path: String,
        /// The OS error's kind.
        kind: std::io::ErrorKind,
    },
    /// A file larger than [`MAX_TRUST_FILE`].
    #[error("{path}: {size} bytes is larger than any trust file")]
    TooLarge {
        /// The path.
        path: String,
        /// Its size.
        size: u64,
    },
    /// A certificate or CRL is malformed.
    #[error("{0}")]
    Certificate(#[from] CertError),
    /// A master list is malformed.
    #[error("master list: {0}")]
    MasterListMalformed(#[from] CmsError),
    /// A master list is not used: no signer root was given, its signature fails, or its
    /// signer's profile or chain does not hold. Loading it anyway is an explicit opt-in:
    /// [`TrustStore::danger_accept_unverified_master_lists`].
    #[error("master list not used: {0}")]
    MasterListUntrusted(MasterListError),
    /// The content is not a certificate, CRL, master list, PEM or LDIF.
    #[error("unrecognised trust source format")]
    UnknownFormat,
}

/// What loading a master list did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct MasterListReport {
    /// The list signer's subject.
    pub signer_subject: Option<String>,
    /// The root that certifies the list signer (when roots were given and it verified).
    pub signer_root_subject: Option<String>,
    /// True only when the list's CMS signature and the signer's chain to a supplied root
    /// were verified.
    pub signature_verified: bool,
    /// Certificates added (duplicates not counted).
    pub certificates_added: usize,
    /// Certificates in the list.
    pub certificates_in_list: usize,
    /// Entries that could not be parsed.
    pub certificates_skipped: usize,
    /// E.g. "master list signature not verified".
    pub warnings: Vec<String>,
}

/// What loading a file, a directory or an LDIF did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct LoadReport {
    /// Certificates added.
    pub certificates_added: usize,
    /// CRLs added.
    pub crls_added: usize,
    /// Document Signer certificates added from an LDIF (`userCertificate`), kept apart from
    /// the trust anchors.
    pub document_signers_added: usize,
    /// One report per master list met.
    pub master_lists: Vec<MasterListReport>,
    /// Skipped entries and other remarks.
    pub warnings: Vec<String>,
}

impl LoadReport {
    fn merge(&mut self, other: LoadReport) {
        self.certificates_added += other.certificates_added;
        self.crls_added += other.crls_added;
        self.document_signers_added += other.document_signers_added;
        self.master_lists.extend(other.master_lists);
        self.warnings.extend(other.warnings);
    }
}

/// CSCA certificates (trust anchors and link certificates), Document Signer certificates from
/// an ICAO PKD export (used only to find the signer of an SOD that does not embed it, never as
/// an issuer), and CRLs.
#[derive(Debug, Clone, Default)]
pub struct TrustStore {
    certificates: Vec<Certificate>,
    dscs: Vec<Certificate>,
    // SHA-256 of each certificate's DER, so loading a large list stays linear.
    seen: std::collections::HashSet<[u8; 32]>,
    crls: Vec<Crl>,
    accept_unverified_master_lists: bool,
}

impl TrustStore {
    /// An empty store: nothing is trusted by default.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the VN CSCA ([`VN_CSCA_2022_DER`]).
    pub fn with_vn_csca(mut self) -> Self {
        if let Ok(c) = Certificate::from_der(VN_CSCA_2022_DER) {
            self.insert(c);
        }
        self
    }

    /// Every certificate, in the order added.
    pub fn certificates(&self) -> &[Certificate] {
        &self.certificates
    }

    /// Document Signer certificates from an ICAO PKD export (`userCertificate` values): only
    /// used to find an SOD's signer, never as an issuer.
    pub fn document_signers(&self) -> &[Certificate] {
        &self.dscs
    }

    /// Every CRL.
    pub fn crls(&self) -> &[Crl] {
        &self.crls
    }

    /// DANGER: master lists whose signature is not verified (no signer root given, a failing
    /// signature, a signer without the master-list profile) are loaded anyway, with a warning
    /// in their report, instead of being refused with [`TrustError::MasterListUntrusted`].
    /// Anyone who can hand such a list to the application chooses the trust anchors; use it
    /// only for lists obtained over an authenticated channel. The CLI's
    /// `--danger-unverified-master-list`.
    pub fn danger_accept_unverified_master_lists(&mut self) -> &mut Self {
        self.accept_unverified_master_lists = true;
        self
    }

    fn insert(&mut self, cert: Certificate) -> bool {
        if !self.remember(&cert) {
            return false;
        }
        self.certificates.push(cert);
        true
    }

    fn insert_dsc(&mut self, cert: Certificate) -> bool {
        if !self.remember(&cert) {
            return false;
        }
        self.dscs.push(cert);
        true
    }

    fn remember(&mut self, cert: &Certificate) -> bool {
        use sha2::Digest;
        let mut id = [0u8; 32];
        id.copy_from_slice(&sha2::Sha256::digest(&cert.raw));
        self.seen.insert(id)
    }

    /// Adds one DER certificate; returns false when it was already there.
    pub fn add_certificate_der(&mut self, der: &[u8]) -> Result<bool, TrustError> {
        Ok(self.insert(Certificate::from_der(der)?))
    }

    /// Adds an already parsed certificate.
    pub fn add_certificate(&mut self, cert: Certificate) -> bool {
        self.insert(cert)
    }

    /// Adds one DER CRL.
    pub fn add_crl(&mut self, der: &[u8]) -> Result<(), TrustError> {
        let crl = Crl::from_der(der)?;
        if !self.crls.iter().any(|c| c.raw == crl.raw) {
            self.crls.push(crl);
        }
        Ok(())
    }

    /// Adds every `CERTIFICATE` and `X509 CRL` block of a PEM text (RFC 7468).
    pub fn add_pem(&mut self, text: &[u8]) -> Result<LoadReport, TrustError> {
        let text = String::from_utf8_lossy(text);
        let mut report = LoadReport::default();
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            let Some(label) = line
                .trim()
                .strip_prefix("-----BEGIN ")
                .and_then(|l| l.strip_suffix("-----"))
            else {
                continue;
            };
            let end = format!("-----END {label}-----");
            let mut body = String::new();
            for l in lines.by_ref() {
                if l.trim() == end {
                    break;
                }
                body.push_str(l.trim());
            }
            let der = base64_decode(body.as_bytes()).ok_or(TrustError::UnknownFormat)?;
            match label {
                "CERTIFICATE" | "TRUSTED CERTIFICATE" | "X509 CERTIFICATE" => {
                    if self.add_certificate_der(&der)? {
                        report.certificates_added += 1;
                    }
                }
                "X509 CRL" => {
                    self.add_crl(&der)?;
                    report.crls_added += 1;
                }
                other => report.warnings.push(format!("PEM block {other} ignored")),
            }
        }
        Ok(report)
    }

    /// Adds the certificates of an ICAO CSCA master list.
    ///
    /// The list's CMS signature must verify, its signer must have the master-list signer
    /// profile (extended key usage `id-icao-cscaMasterListSigningKey`, keyUsage
    /// digitalSignature, valid when it signed) and chain to one of `signer_roots` through CA
    /// certificates with keyCertSign; otherwise nothing is added and the error says why
    /// ([`TrustError::MasterListUntrusted`]), unless the store opted into
    /// [`Self::danger_accept_unverified_master_lists`].
    pub fn add_master_list(
        &mut self,
        bytes: &[u8],
        signer_roots: &[Certificate],
    ) -> Result<MasterListReport, TrustError> {
        let list = CscaMasterList::parse(bytes)?;
        let mut report = MasterListReport {
            certificates_in_list: list.entries,
            certificates_skipped: list.skipped.len(),
            ..MasterListReport::default()
        };
        match list.verify(signer_roots) {
            Ok((signer, root)) => {
                report.signer_subject = Some(signer.subject.to_string());
                report.signer_root_subject = Some(root.subject.to_string());
                report.signature_verified = true;
            }
            Err(e) if self.accept_unverified_master_lists => {
                report
                    .warnings
                    .push(format!("master list used UNVERIFIED (danger option): {e}"));
            }
            Err(e) => return Err(TrustError::MasterListUntrusted(e)),
        }
        for (index, e) in &list.skipped {
            report.warnings.push(format!("entry {index} skipped: {e}"));
        }
        for cert in list.certificates {
            if self.insert(cert) {
                report.certificates_added += 1;
            }
        }
        Ok(report)
    }

    /// Adds the contents of an ICAO PKD LDIF export (RFC 2849): `userCertificate;binary`,
    /// `cACertificate;binary`, `certificateRevocationList;binary` and `pkdMasterListContent`
    /// values (base64, folded lines). Master lists inside are checked against `signer_roots`
    /// as in [`Self::add_master_list`].
    pub fn add_ldif_with_roots(
        &mut self,
        bytes: &[u8],
        signer_roots: &[Certificate],
    ) -> Result<LoadReport, TrustError> {
        let text = String::from_utf8_lossy(bytes);
        let mut report = LoadReport::default();
        // Unfold: a line starting with one space continues the previous one.
        let mut logical: Vec<String> = Vec::new();
        for line in text.lines() {
            let line = line.strip_suffix('\r').unwrap_or(line);
            match (line.strip_prefix(' '), logical.last_mut()) {
                (Some(rest), Some(prev)) => prev.push_str(rest),
                _ => logical.push(line.to_string()),
            }
        }
        for line in &logical {
            let Some((attr, value)) = line.split_once(':') else {
                continue;
            };
            let attr = attr.to_ascii_lowercase();
            let base = attr.split(';').next().unwrap_or("");
            let wanted = matches!(
                base,
                "usercertificate"
                    | "cacertificate"
                    | "certificaterevocationlist"
                    | "pkdmasterlistcontent"
            );
            if !wanted {
                continue;
            }
            let Some(b64) = value.strip_prefix(':') else {
                report
                    .warnings
                    .push(format!("{base}: value not base64, skipped"));
                continue;
            };
            let Some(der) = base64_decode(b64.trim().as_bytes()) else {
                report.warnings.push(format!("{base}: bad base64, skipped"));
                continue;
            };
            let result = match base {
                "certificaterevocationlist" => self.add_crl(&der).map(|()| {
                    report.crls_added += 1;
                }),
                "pkdmasterlistcontent" => self.add_master_list(&der, signer_roots).map(|r| {
                    report.certificates_added += r.certificates_added;
                    report.master_lists.push(r);
                }),
                "usercertificate" => {
                    Certificate::from_der(&der)
                        .map_err(TrustError::from)
                        .map(|cert| {
                            report.document_signers_added += usize::from(self.insert_dsc(cert));
                        })
                }
                _ => self.add_certificate_der(&der).map(|added| {
                    report.certificates_added += usize::from(added);
                }),
            };
            if let Err(e) = result {
                report.warnings.push(format!("{base}: {e}"));
            }
        }
        Ok(report)
    }

    /// [`Self::add_ldif_with_roots`] without roots: master lists inside are refused (each
    /// named in the warnings) unless the store accepts unverified lists.
    pub fn add_ldif(&mut self, bytes: &[u8]) -> Result<LoadReport, TrustError> {
        self.add_ldif_with_roots(bytes, &[])
    }

    /// Adds whatever `bytes` hold, recognised by content: PEM, LDIF, a master list, a DER
    /// certificate or a DER CRL.
    pub fn add_bytes(
        &mut self,
        bytes: &[u8],
        signer_roots: &[Certificate],
    ) -> Result<LoadReport, TrustError> {
        let start = bytes
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .and_then(|p| bytes.get(p..))
            .unwrap_or(&[]);
        if start.starts_with(b"-----BEGIN") {
            return self.add_pem(bytes);
        }
        if start.starts_with(b"dn:") || start.starts_with(b"version:") || start.starts_with(b"#") {
            return self.add_ldif_with_roots(bytes, signer_roots);
        }
        let mut report = LoadReport::default();
        if let Ok(cert) = Certificate::from_der(bytes) {
            report.certificates_added += usize::from(self.insert(cert));
            return Ok(report);
        }
        if self.add_crl(bytes).is_ok() {
            report.crls_added += 1;
            return Ok(report);
        }
        match SignedData::parse_content_info(bytes) {
            Ok(_) => {
                let ml = self.add_master_list(bytes, signer_roots)?;
                report.certificates_added += ml.certificates_added;
                report.master_lists.push(ml);
                Ok(report)
            }
            Err(_) => Err(TrustError::UnknownFormat),
        }
    }

    /// Adds a file (by content, see [`Self::add_bytes`]) or every file of a directory,
    /// without master-list signer roots: a master list is refused (an error for a file, a
    /// warning inside a directory) unless the store accepts unverified lists; see
    /// [`Self::add_path_with_roots`].
    pub fn add_path(&mut self, path: impl AsRef<Path>) -> Result<LoadReport, TrustError> {
        self.add_path_with_roots(path, &[])
    }

    /// [`Self::add_path`] with roots that master-list signatures must chain to.
    pub fn add_path_with_roots(
        &mut self,
        path: impl AsRef<Path>,
        signer_roots: &[Certificate],
    ) -> Result<LoadReport, TrustError> {
        self.add_path_inner(path.as_ref(), signer_roots, 0)
    }

    fn add_path_inner(
        &mut self,
        path: &Path,
        roots: &[Certificate],
        depth: usize,
    ) -> Result<LoadReport, TrustError> {
        let io = |e: std::io::Error| TrustError::Io {
            path: path.display().to_string(),
            kind: e.kind(),
        };
        let meta = std::fs::metadata(path).map_err(io)?;
        if meta.is_dir() {
            let mut report = LoadReport::default();
            if depth >= MAX_DIRECTORY_DEPTH {
                report
                    .warnings
                    .push(format!("{}: too deep, skipped", path.display()));
                return Ok(report);
            }
            let mut entries: Vec<_> = std::fs::read_dir(path)
                .map_err(io)?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .collect();
            entries.sort();
            for entry in entries {
                match self.add_path_inner(&entry, roots, depth + 1) {
                    Ok(r) => report.merge(r),
                    Err(e) => report.warnings.push(format!("{}: {e}", entry.display())),
                }
            }
            return Ok(report);
        }
        if meta.len() > MAX_TRUST_FILE {
            return Err(TrustError::TooLarge {
                path: path.display().to_string(),
                size: meta.len(),
            });
        }
        let bytes = std::fs::read(path).map_err(io)?;
        self.add_bytes(&bytes, roots)
    }

    /// One summary per certificate (what `cccd trust list` prints).
    pub fn summaries(&self) -> Vec<CertificateSummary> {
        list_certificates(&self.certificates)
    }
}

/// One certificate as `cccd trust list` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CertificateSummary {
    /// Subject country.
    pub country: Option<String>,
    /// Subject DN.
    pub subject: String,
    /// Issuer DN.
    pub issuer: String,
    /// Serial number, hex.
    pub serial: String,
    /// notBefore.
    pub not_before: crate::pki::Time,
    /// notAfter.
    pub not_after: crate::pki::Time,
    /// `RSA`, `RSA-PSS` or `EC`.
    pub key_algorithm: String,
    /// RSA modulus bits.
    pub key_bits: Option<usize>,
    /// The EC curve (`brainpoolP512r1`), explicit parameters matched to their name.
    pub curve: Option<String>,
    /// Whether the EC parameters are given explicitly.
    pub explicit_curve: bool,
    /// True when issuer and subject are the same name by RFC 5280 §7.1, string types
    /// ignored (self-signed roots and same-name link certificates).
    pub self_issued: bool,
    /// True for a self-signed certificate (see [`Certificate::is_self_signed`]).
    pub self_signed: bool,
    /// True for a link certificate (signed by another CSCA key).
    pub link_certificate: bool,
    /// For a self-signed certificate: does its self-signature verify? (`None` otherwise.)
    pub self_signature_valid: Option<bool>,
    /// Why the self-signature did not verify.
    #[cfg_attr(
        feature = "serde",
        serde(serialize_with = "crate::pki::serde_util::opt_display")
    )]
    pub self_signature_error: Option<crate::pki::SignatureError>,
    /// SHA-256 fingerprint.
    pub fingerprint_sha256: String,
}

/// Summaries of `certificates`, checking each self-issued certificate's self-signature.
pub fn list_certificates(certificates: &[Certificate]) -> Vec<CertificateSummary> {
    certificates
        .iter()
        .map(|c| {
            let key_oid = c.public_key.algorithm.oid;
            let key_algorithm = match (&c.public_key.key, key_oid) {
                (PublicKey::Rsa(_), oids::RSASSA_PSS) => "RSA-PSS",
                (PublicKey::Rsa(_), _) => "RSA",
                (PublicKey::Ec(_), _) => "EC",
                _ => "unknown",
            };
            let self_issued = c.is_self_issued();
            let self_signed = c.is_self_signed();
            let check = self_signed.then(|| verify_certificate_signature(c, c));
            CertificateSummary {
                country: c.country(),
                subject: c.subject.to_string(),
                issuer: c.issuer.to_string(),
                serial: c.serial_hex(),
                not_before: c.not_before,
                not_after: c.not_after,
                key_algorithm: if key_algorithm == "unknown" {
                    key_oid.to_string()
                } else {
                    key_algorithm.to_string()
                },
                key_bits: rsa_modulus_bits(&c.public_key),
                curve: crate::pki::signature::curve_name(&c.public_key),
                explicit_curve: key_oid == oids::EC_PUBLIC_KEY
                    && c.public_key
                        .algorithm
                        .parameters
                        .as_ref()
                        .is_some_and(|p| p.first() == Some(&0x30)),
                self_issued,
                self_signed,
                link_certificate: !self_signed,
                self_signature_valid: check.as_ref().map(Result::is_ok),
                self_signature_error: check.and_then(|r| r.err()),
                fingerprint_sha256: c.fingerprint_sha256(),
            }
        })
        .collect()
}
