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
use crate::pki::{oid as oids, CertError, Certificate, Crl, Name};
use crate::tlv::{parse_single, tags};
use const_oid::ObjectIdentifier as Oid;
use std::collections::hash_map::RandomState;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, OnceLock};
use thiserror::Error;

use super::cache::ChainCache;
use super::warning::Warning;

/// Largest trust file read from disk (the ICAO PKD LDIF is ~100 MB; master lists ~1 MB).
pub const MAX_TRUST_FILE: u64 = 256 * 1024 * 1024;
/// How deep `add_path` descends into directories.
pub const MAX_DIRECTORY_DEPTH: usize = 4;
/// Most certificates a store holds, trust anchors and PKD Document Signers together (the
/// whole ICAO PKD holds a few tens of thousands).
pub const MAX_CERTIFICATES: usize = 200_000;
/// Most CRLs a store holds (the ICAO PKD holds a few hundred).
pub const MAX_CRLS: usize = 20_000;
/// Longest logical line of an LDIF file (one base64 value after unfolding, e.g. a master
/// list): an LDIF is read line by line, and only one such line is held at a time.
pub const MAX_LDIF_LINE: usize = 32 * 1024 * 1024;

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
    /// A store may not grow past [`MAX_CERTIFICATES`] certificates or [`MAX_CRLS`] CRLs.
    #[error("the trust store holds at most {limit} {what}")]
    TooMany {
        /// `certificates` or `CRLs`.
        what: &'static str,
        /// The cap.
        limit: usize,
    },
    /// A compiled trust-store file that is refused (another version, damaged).
    #[error("{0}")]
    Compiled(#[from] super::compiled::CompiledError),
    /// An LDIF line (after unfolding) longer than [`MAX_LDIF_LINE`].
    #[error("LDIF line {line} is longer than {MAX_LDIF_LINE} bytes")]
    LdifLineTooLong {
        /// Its number (from 1, as the file's lines count).
        line: usize,
    },
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
    /// E.g. [`Warning::MasterListUnverified`], [`Warning::MasterListEntrySkipped`].
    pub warnings: Vec<Warning>,
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
    /// A compiled trust store's provenance record: what it was compiled from, and whether
    /// every master list in it was verified.
    pub provenance: Vec<String>,
    /// Skipped entries and other remarks.
    pub warnings: Vec<Warning>,
}

impl LoadReport {
    fn merge(&mut self, other: LoadReport) {
        self.certificates_added += other.certificates_added;
        self.crls_added += other.crls_added;
        self.document_signers_added += other.document_signers_added;
        self.master_lists.extend(other.master_lists);
        self.provenance.extend(other.provenance);
        self.warnings.extend(other.warnings);
    }
}

/// CSCA certificates (trust anchors and link certificates), Document Signer certificates from
/// an ICAO PKD export (used only to find the signer of an SOD that does not embed it, never as
/// an issuer), and CRLs; trust anchors indexed by subject name and decoded only when a chain
/// needs them, with a cache of verified chains ([`ChainCache`], shared by clones).
#[derive(Debug, Clone, Default)]
pub struct TrustStore {
    anchors: Vec<Anchor>,
    // Every anchor decoded, in order: built on the first call of `certificates()`.
    all: OnceLock<Vec<Certificate>>,
    dscs: Vec<Certificate>,
    // SHA-256 of each certificate's and CRL's DER, so loading a large list stays linear. Trust
    // anchors and Document Signers are kept apart: a certificate first met as a Document Signer
    // (an LDIF `userCertificate`) may later be vouched for as a CSCA by a verified master list.
    seen: Digests,
    dscs_seen: Digests,
    crls_seen: Digests,
    crls: Vec<Crl>,
    // Anchors (positions in `anchors`) by the keyed hash of their subject's index key.
    by_subject: SubjectIndex,
    // The subject index's hash, keyed per store (clones share the key, so their indexes agree).
    subject_hasher: RandomState,
    // A digest over everything added, in order: the chain cache's view of the content.
    content: [u8; 32],
    accept_unverified_master_lists: bool,
    // Some master list was used without its signature verified (the danger option).
    unverified_master_lists: bool,
    chain_cache: Arc<ChainCache>,
    // Compiled trust-store files whose anchors are read on first use.
    compiled_files: Vec<Arc<super::compiled::CompiledFile>>,
}

/// Bytes owned, or a range of a buffer shared by many (a compiled trust-store file's anchors
/// point into the file's one buffer instead of a copy each).
#[derive(Debug, Clone)]
pub(crate) enum Bytes {
    Owned(Vec<u8>),
    Shared(Arc<Vec<u8>>, core::ops::Range<usize>),
    /// A range of a compiled trust-store file's anchors, read (and checked against its
    /// digest) on first use; empty when it cannot be read or does not match.
    File(
        Arc<super::compiled::CompiledFile>,
        core::ops::Range<usize>,
        [u8; 32],
        OnceLock<Vec<u8>>,
    ),
}

impl Bytes {
    /// An anchor's DER in a compiled file, checked against `digest` when read.
    pub(crate) fn file(
        source: Arc<super::compiled::CompiledFile>,
        range: core::ops::Range<usize>,
        digest: [u8; 32],
    ) -> Self {
        Self::File(source, range, digest, OnceLock::new())
    }

    fn as_slice(&self) -> &[u8] {
        match self {
            Self::Owned(v) => v,
            Self::Shared(buf, range) => buf.get(range.clone()).unwrap_or(&[]),
            Self::File(source, range, digest, cell) => {
                cell.get_or_init(|| source.read(range, digest).unwrap_or_default())
            }
        }
    }
}

/// A trust anchor: its DER, subject key and digest at once, the decoded certificate on first
/// use.
#[derive(Debug, Clone)]
struct Anchor {
    /// The DER (empty when the certificate was given decoded: then it is `cert`'s `raw`).
    der: Bytes,
    /// The subject's index key ([`name_key`]).
    key: Bytes,
    /// SHA-256 of the DER.
    digest: [u8; 32],
    /// The decoded certificate; `None` when it does not decode (then it is never used).
    cert: OnceLock<Option<Certificate>>,
}

impl Anchor {
    fn cert(&self) -> Option<&Certificate> {
        self.cert
            .get_or_init(|| Certificate::from_der(self.der.as_slice()).ok())
            .as_ref()
    }

    fn der(&self) -> &[u8] {
        match (self.cert.get(), self.der.as_slice()) {
            (Some(Some(c)), []) => &c.raw,
            (_, der) => der,
        }
    }
}

/// A hasher for keys that are already keyed hashes: the value itself.
#[derive(Default, Clone, Copy)]
struct PassThrough(u64);

impl std::hash::Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes.iter().take(8) {
            self.0 = (self.0 << 8) | u64::from(*b);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

/// Digests of what was added, hashed with SipHash under a key drawn at random (std's
/// `RandomState`), not by their own bytes: whoever writes a trust input (an LDIF's
/// certificates are not signature-checked) can grind certificates whose SHA-256 digests share
/// the bits a table indexes by, and piled into one bucket, 199,999 of them took 483 s to
/// insert instead of 0.04 s.
type Digests = HashSet<[u8; 32], RandomState>;
/// Subject index: keys are already [`TrustStore::subject_hash`] values (keyed, for the same
/// reason: FNV or any fixed hash of a name can be collided by choosing names).
type SubjectIndex = HashMap<u64, Vec<usize>, std::hash::BuildHasherDefault<PassThrough>>;

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

    /// Every trust anchor, in the order added. The first call decodes every certificate not
    /// yet decoded (a chain check decodes only those named like the DSC's issuer:
    /// [`Self::certificates_named`]); certificates that do not decode are left out.
    pub fn certificates(&self) -> &[Certificate] {
        self.all.get_or_init(|| {
            self.anchors
                .iter()
                .filter_map(Anchor::cert)
                .cloned()
                .collect()
        })
    }

    /// How many trust anchors the store holds (without decoding them).
    pub fn anchor_count(&self) -> usize {
        self.anchors.len()
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

    /// True when a master list was loaded without its signature verified (the danger
    /// option), directly or inside a compiled trust store.
    pub fn includes_unverified_master_lists(&self) -> bool {
        self.unverified_master_lists
    }

    pub(crate) fn note_compiled_file(&mut self, file: Arc<super::compiled::CompiledFile>) {
        self.compiled_files.push(file);
    }

    /// How many trust anchors of compiled trust-store files loaded by path could not be read
    /// or did not match their recorded digest when a chain needed them (so far): each is
    /// never used. Non-zero means the file was changed or damaged after it was loaded, or
    /// its anchors were: compile it again.
    pub fn damaged_anchors(&self) -> usize {
        self.compiled_files.iter().map(|f| f.damaged()).sum()
    }

    pub(crate) fn note_unverified_master_lists(&mut self) {
        self.unverified_master_lists = true;
    }

    /// The trust anchors whose subject is `name` (exactly or by RFC 5280 §7.1), through the
    /// subject index, decoding only those: what a chain check needs.
    pub fn certificates_named<'a, 'n>(
        &'a self,
        name: &'n Name,
    ) -> impl Iterator<Item = &'a Certificate> + use<'a, 'n> {
        // An empty index (no anchors) has nothing to find: no key to build.
        let found = if self.by_subject.is_empty() {
            None
        } else {
            self.by_subject
                .get(&self.subject_hash(name_key(name).as_bytes()))
        };
        found
            .into_iter()
            .flatten()
            .filter_map(|i| self.anchors.get(*i))
            .filter_map(Anchor::cert)
            .filter(move |c| c.subject.same_as(name))
    }

    /// The trust anchor at a position of the order added (decoded now if it was not).
    pub(crate) fn anchor(&self, index: usize) -> Option<&Certificate> {
        self.anchors.get(index).and_then(Anchor::cert)
    }

    /// The position of an anchor that this store returned.
    pub(crate) fn anchor_index(&self, cert: &Certificate) -> Option<usize> {
        let key = self.subject_hash(name_key(&cert.subject).as_bytes());
        self.by_subject.get(&key)?.iter().copied().find(|i| {
            self.anchors
                .get(*i)
                .and_then(|a| a.cert.get())
                .and_then(Option::as_ref)
                .is_some_and(|c| core::ptr::eq(c, cert))
        })
    }

    /// Each anchor's digest, subject index key and DER, in order (for the compiled file).
    pub(crate) fn anchors_raw(&self) -> impl Iterator<Item = (&[u8; 32], &[u8], &[u8])> {
        self.anchors
            .iter()
            .map(|a| (&a.digest, a.key.as_slice(), a.der()))
    }

    /// A digest of everything the store holds (certificates, Document Signers, CRLs, in the
    /// order added): equal digests, equal stores. The chain cache keys on it.
    pub fn content_id(&self) -> [u8; 32] {
        self.content
    }

    /// The cache of verified chains (its statistics; [`ChainCache::clear`]).
    pub fn chain_cache(&self) -> &ChainCache {
        &self.chain_cache
    }

    fn insert(&mut self, cert: Certificate) -> bool {
        self.try_insert(cert).unwrap_or(false)
    }

    /// Adds a decoded trust anchor unless present; refuses past [`MAX_CERTIFICATES`].
    fn try_insert(&mut self, cert: Certificate) -> Result<bool, TrustError> {
        let digest = cert.sha256();
        if !self.remember(digest, b'C')? {
            return Ok(false);
        }
        let key = Bytes::Owned(name_key(&cert.subject).into_bytes());
        self.push_anchor(Anchor {
            der: Bytes::Owned(Vec::new()),
            key,
            digest,
            cert: OnceLock::from(Some(cert)),
        });
        Ok(true)
    }

    /// Adds a trust anchor by its DER, subject index key and SHA-256 (`digest`: computed
    /// here when `None`), decoded when first needed; refuses past [`MAX_CERTIFICATES`].
    pub(crate) fn insert_lazy(
        &mut self,
        key: Bytes,
        der: Bytes,
        digest: Option<[u8; 32]>,
    ) -> Result<bool, TrustError> {
        let digest = digest.unwrap_or_else(|| sha256(der.as_slice()));
        if !self.remember(digest, b'C')? {
            return Ok(false);
        }
        self.push_anchor(Anchor {
            der,
            key,
            digest,
            cert: OnceLock::new(),
        });
        Ok(true)
    }

    /// The subject index's hash of an index key.
    fn subject_hash(&self, key: &[u8]) -> u64 {
        use std::hash::BuildHasher;
        self.subject_hasher.hash_one(key)
    }

    fn push_anchor(&mut self, anchor: Anchor) {
        let hash = self.subject_hash(anchor.key.as_slice());
        self.by_subject
            .entry(hash)
            .or_default()
            .push(self.anchors.len());
        self.anchors.push(anchor);
        self.all = OnceLock::new();
    }

    pub(crate) fn insert_dsc(&mut self, cert: Certificate) -> Result<bool, TrustError> {
        if !self.remember(cert.sha256(), b'D')? {
            return Ok(false);
        }
        self.dscs.push(cert);
        Ok(true)
    }

    fn remember(&mut self, id: [u8; 32], kind: u8) -> Result<bool, TrustError> {
        let held = self.seen.len() + self.dscs_seen.len();
        let seen = if kind == b'D' {
            &mut self.dscs_seen
        } else {
            &mut self.seen
        };
        if seen.contains(&id) {
            return Ok(false);
        }
        if held >= MAX_CERTIFICATES {
            return Err(TrustError::TooMany {
                what: "certificates",
                limit: MAX_CERTIFICATES,
            });
        }
        seen.insert(id);
        self.extend_content(kind, &id);
        Ok(true)
    }

    fn extend_content(&mut self, kind: u8, id: &[u8; 32]) {
        use sha2::Digest;
        let mut h = sha2::Sha256::new();
        h.update(self.content);
        h.update([kind]);
        h.update(id);
        self.content = h.finalize().into();
    }

    /// Adds one DER certificate; returns false when it was already there.
    pub fn add_certificate_der(&mut self, der: &[u8]) -> Result<bool, TrustError> {
        self.try_insert(Certificate::from_der(der)?)
    }

    /// Adds an already parsed certificate (false when it was already there, or the store is
    /// full: [`MAX_CERTIFICATES`]).
    pub fn add_certificate(&mut self, cert: Certificate) -> bool {
        self.insert(cert)
    }

    /// Adds one DER CRL (once: a CRL already held is not added again).
    pub fn add_crl(&mut self, der: &[u8]) -> Result<(), TrustError> {
        let crl = Crl::from_der(der)?;
        let id = sha256(&crl.raw);
        if self.crls_seen.contains(&id) {
            return Ok(());
        }
        if self.crls.len() >= MAX_CRLS {
            return Err(TrustError::TooMany {
                what: "CRLs",
                limit: MAX_CRLS,
            });
        }
        self.crls_seen.insert(id);
        self.extend_content(b'R', &id);
        self.crls.push(crl);
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
                other => report.warnings.push(Warning::PemBlockIgnored {
                    label: other.to_string(),
                }),
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
        // The list's SignedData and its signature are checked in full; its certificates
        // are only framed here (their subject read for the index) and decoded when a chain
        // needs them: a list of hundreds of CSCAs is loaded for the few a bank meets.
        let signed_data = SignedData::parse_content_info(bytes)?;
        if signed_data.econtent_type != oids::CSCA_MASTER_LIST {
            return Err(CmsError::WrongContentType(signed_data.econtent_type).into());
        }
        let ranges = master_list_entries(signed_data.econtent.as_deref())?;
        let list = CscaMasterList {
            signed_data,
            certificates: Vec::new(),
            skipped: Vec::new(),
            entries: ranges.len(),
        };
        let mut report = MasterListReport {
            certificates_in_list: ranges.len(),
            ..MasterListReport::default()
        };
        match list.verify(signer_roots) {
            Ok((signer, root)) => {
                report.signer_subject = Some(signer.subject.to_string());
                report.signer_root_subject = Some(root.subject.to_string());
                report.signature_verified = true;
            }
            Err(e) if self.accept_unverified_master_lists => {
                self.unverified_master_lists = true;
                report
                    .warnings
                    .push(Warning::MasterListUnverified { reason: e });
            }
            Err(e) => return Err(TrustError::MasterListUntrusted(e)),
        }
        let content = list.signed_data.econtent.as_deref().unwrap_or(&[]);
        for (index, range) in ranges.into_iter().enumerate() {
            let der = content.get(range).unwrap_or(&[]);
            match subject_key(der) {
                Ok(key) => {
                    let (key, der) = (Bytes::Owned(key.into_bytes()), Bytes::Owned(der.to_vec()));
                    if self.insert_lazy(key, der, None)? {
                        report.certificates_added += 1;
                    }
                }
                Err(e) => {
                    report.certificates_skipped += 1;
                    report.warnings.push(Warning::MasterListEntrySkipped {
                        entry: index + 1,
                        reason: e,
                    });
                }
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
        let mut report = LoadReport::default();
        // Unfold as we go: a line starting with one space continues the previous one. Only
        // the logical line being assembled is held, never a copy of the whole file.
        let mut logical: Vec<u8> = Vec::new();
        let mut started = 0usize;
        for (number, line) in bytes.split(|b| *b == b'\n').enumerate() {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if let Some(rest) = line.strip_prefix(b" ") {
                if logical.len() + rest.len() > MAX_LDIF_LINE {
                    return Err(TrustError::LdifLineTooLong { line: started + 1 });
                }
                logical.extend_from_slice(rest);
                continue;
            }
            self.ldif_line(&logical, signer_roots, &mut report)?;
            logical.clear();
            if line.len() > MAX_LDIF_LINE {
                return Err(TrustError::LdifLineTooLong { line: number + 1 });
            }
            logical.extend_from_slice(line);
            started = number;
        }
        self.ldif_line(&logical, signer_roots, &mut report)?;
        Ok(report)
    }

    /// One unfolded LDIF line: a value the store wants is added, anything else skipped
    /// (a warning when it cannot be used). Only a full store is an error.
    fn ldif_line(
        &mut self,
        line: &[u8],
        signer_roots: &[Certificate],
        report: &mut LoadReport,
    ) -> Result<(), TrustError> {
        let Some(colon) = line.iter().position(|b| *b == b':') else {
            return Ok(());
        };
        let (attr, value) = line.split_at(colon);
        let value = value.get(1..).unwrap_or(&[]);
        let attr = String::from_utf8_lossy(attr).to_ascii_lowercase();
        let base = attr.split(';').next().unwrap_or("");
        let wanted = matches!(
            base,
            "usercertificate"
                | "cacertificate"
                | "certificaterevocationlist"
                | "pkdmasterlistcontent"
        );
        if !wanted {
            return Ok(());
        }
        let Some(b64) = value.strip_prefix(b":") else {
            report.warnings.push(Warning::LdifValueNotBase64 {
                attribute: base.to_string(),
            });
            return Ok(());
        };
        let Some(der) = base64_decode(b64.trim_ascii()) else {
            report.warnings.push(Warning::LdifBadBase64 {
                attribute: base.to_string(),
            });
            return Ok(());
        };
        let result = match base {
            "certificaterevocationlist" => self.add_crl(&der).map(|()| {
                report.crls_added += 1;
            }),
            "pkdmasterlistcontent" => self.add_master_list(&der, signer_roots).map(|r| {
                report.certificates_added += r.certificates_added;
                report.master_lists.push(r);
            }),
            "usercertificate" => Certificate::from_der(&der)
                .map_err(TrustError::from)
                .and_then(|cert| self.insert_dsc(cert))
                .map(|added| report.document_signers_added += usize::from(added)),
            _ => self.add_certificate_der(&der).map(|added| {
                report.certificates_added += usize::from(added);
            }),
        };
        match result {
            Err(e @ TrustError::TooMany { .. }) => Err(e),
            Err(e) => {
                report.warnings.push(Warning::LdifValueSkipped {
                    attribute: base.to_string(),
                    reason: Box::new(e),
                });
                Ok(())
            }
            Ok(()) => Ok(()),
        }
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
        if bytes.starts_with(super::compiled::MAGIC) {
            return self.add_compiled(bytes);
        }
        if start.starts_with(b"-----BEGIN") {
            return self.add_pem(bytes);
        }
        if start.starts_with(b"dn:") || start.starts_with(b"version:") || start.starts_with(b"#") {
            return self.add_ldif_with_roots(bytes, signer_roots);
        }
        let mut report = LoadReport::default();
        if let Ok(cert) = Certificate::from_der(bytes) {
            report.certificates_added += usize::from(self.try_insert(cert)?);
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
                report.warnings.push(Warning::DirectoryTooDeep {
                    path: path.display().to_string(),
                });
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
                    Err(e) => report.warnings.push(Warning::FileSkipped {
                        path: entry.display().to_string(),
                        reason: Box::new(e),
                    }),
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
        // A compiled trust store is read by its header, its anchors when a chain needs them.
        use std::io::Read;
        let mut file = std::fs::File::open(path).map_err(io)?;
        let mut magic = Vec::with_capacity(super::compiled::MAGIC.len());
        file.by_ref()
            .take(super::compiled::MAGIC.len() as u64)
            .read_to_end(&mut magic)
            .map_err(io)?;
        if magic == super::compiled::MAGIC {
            return self.add_compiled_file(path, file, &magic, meta.len());
        }
        let mut bytes = magic;
        file.take(MAX_TRUST_FILE)
            .read_to_end(&mut bytes)
            .map_err(io)?;
        self.add_bytes(&bytes, roots)
    }

    /// One summary per certificate (what `cccd trust list` prints).
    pub fn summaries(&self) -> Vec<CertificateSummary> {
        list_certificates(self.certificates())
    }
}

/// The attribute types of real CSCA and DSC names in their dotted form, which [`name_key`]
/// writes without formatting the OID (what the profile of issue #11 showed it spent).
const DOTTED: [(Oid, &str); 8] = [
    (Oid::new_unwrap("2.5.4.3"), "2.5.4.3"),
    (Oid::new_unwrap("2.5.4.5"), "2.5.4.5"),
    (Oid::new_unwrap("2.5.4.6"), "2.5.4.6"),
    (Oid::new_unwrap("2.5.4.7"), "2.5.4.7"),
    (Oid::new_unwrap("2.5.4.8"), "2.5.4.8"),
    (Oid::new_unwrap("2.5.4.10"), "2.5.4.10"),
    (Oid::new_unwrap("2.5.4.11"), "2.5.4.11"),
    (
        Oid::new_unwrap("1.2.840.113549.1.9.1"),
        "1.2.840.113549.1.9.1",
    ),
];

/// The index key of a name: its attributes' types and values as RFC 5280 §7.1 compares them
/// (case folded, spaces collapsed), sorted, each `OID=value` and separated by NUL. Names that
/// match have equal keys; equal keys are only candidates (the index's users compare the
/// names). Stable across versions: the compiled trust-store file stores it.
pub(crate) fn name_key(name: &Name) -> String {
    use core::fmt::Write;
    let mut parts: Vec<String> = name
        .attributes
        .iter()
        .map(|a| {
            let mut part = String::with_capacity(a.value.len() + 16);
            match DOTTED.iter().find(|(oid, _)| *oid == a.oid) {
                Some((_, dotted)) => part.push_str(dotted),
                // Writing to a String cannot fail.
                None => {
                    let _ = write!(part, "{}", a.oid);
                }
            }
            part.push('=');
            let prefix = part.len();
            for (i, word) in a.value.split_whitespace().enumerate() {
                if i > 0 {
                    part.push(' ');
                }
                part.push_str(word);
            }
            if part.is_ascii() {
                // What `to_lowercase` gives for ASCII, without a second string.
                part.make_ascii_lowercase();
            } else {
                let lower = part
                    .get(prefix..)
                    .map(str::to_lowercase)
                    .unwrap_or_default();
                part.truncate(prefix);
                part.push_str(&lower);
            }
            part
        })
        .collect();
    parts.sort();
    parts.join("\u{0}")
}

/// Where the certificates of a CscaMasterList content are, each as encoded (ICAO 9303-12
/// §9).
///
/// ```text
/// CscaMasterList ::= SEQUENCE { version CscaMasterListVersion, certList SET OF Certificate }
/// ```
fn master_list_entries(content: Option<&[u8]>) -> Result<Vec<core::ops::Range<usize>>, CmsError> {
    let list = parse_single(content.ok_or(CmsError::NoContent)?)?;
    let mut c = list.children();
    c.read_tag(tags::INTEGER)?;
    let set = c.read_tag(tags::SET)?;
    c.finish()?;
    set.children()
        .map(|entry| {
            entry
                .map(|e| e.offset..e.offset + e.raw.len())
                .map_err(CmsError::from)
        })
        .collect()
}

/// The subject index key of a DER certificate, reading only its frame and subject name
/// (RFC 5280 §4.1: tbsCertificate's version, serialNumber, signature, issuer, validity,
/// subject); the rest is decoded when the certificate is first used.
fn subject_key(der: &[u8]) -> Result<String, CertError> {
    let outer = parse_single(der)?;
    if outer.tag != tags::SEQUENCE {
        return Err(crate::pki::asn1::bad(&outer, tags::SEQUENCE).into());
    }
    let tbs = outer.children().read_tag(tags::SEQUENCE)?;
    let mut t = tbs.children();
    t.read_optional(tags::CTX0)?;
    t.read_tag(tags::INTEGER)?;
    t.read_tag(tags::SEQUENCE)?;
    t.read_tag(tags::SEQUENCE)?;
    t.read_tag(tags::SEQUENCE)?;
    let subject = t.read_tag(tags::SEQUENCE)?;
    Ok(name_key(&Name::from_der(subject.raw)?))
}

fn sha256(bytes: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).into()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tlv::{encode, tags, Tag};
    use std::hash::BuildHasher;

    /// MAX_CERTIFICATES bounds trust anchors and Document Signers together: with one place
    /// left, an anchor takes it and then neither kind fits.
    #[test]
    fn the_certificate_bound_counts_anchors_and_document_signers_together() {
        // Distinct digest-like ids.
        let id = |n: u32| {
            let mut d = [0u8; 32];
            d[..8].copy_from_slice(
                &u64::from(n)
                    .wrapping_mul(0x9E37_79B9_7F4A_7C15)
                    .to_be_bytes(),
            );
            d
        };
        let mut t = TrustStore::new();
        let dscs = u32::try_from(MAX_CERTIFICATES - 1).unwrap();
        t.dscs_seen.extend((0..dscs).map(id));
        assert_eq!(t.remember(id(u32::MAX), b'C'), Ok(true));
        for kind in [b'C', b'D'] {
            assert_eq!(
                t.remember(id(u32::MAX - 1), kind),
                Err(TrustError::TooMany {
                    what: "certificates",
                    limit: MAX_CERTIFICATES
                })
            );
        }
        // Already held: a repeat is not a new certificate, so the bound does not apply.
        assert_eq!(t.remember(id(u32::MAX), b'C'), Ok(false));
    }

    /// The digest sets and the subject index are keyed: digests that share their first
    /// bytes (what a table built on the digest's own bytes would index by) hash apart, and
    /// two stores hash the same subject key differently, while a clone keeps its original's
    /// key (its index must still find what the original holds).
    #[test]
    fn the_tables_hash_with_a_secret_key() {
        let t = TrustStore::new();
        let a = [7u8; 32];
        let mut b = a;
        b[31] ^= 1;
        assert_ne!(t.seen.hasher().hash_one(a), t.seen.hasher().hash_one(b));
        let other = TrustStore::new();
        assert_ne!(t.subject_hash(b"c=VN"), other.subject_hash(b"c=VN"));
        assert_eq!(t.subject_hash(b"c=VN"), t.clone().subject_hash(b"c=VN"));
    }

    /// The subject index passes its already keyed hashes through as they are.
    #[test]
    fn already_hashed_keys_pass_through() {
        let build = std::hash::BuildHasherDefault::<PassThrough>::default();
        assert_eq!(build.hash_one(0xdead_beef_u64), 0xdead_beef);
    }

    /// A Name of one attribute per RDN: (OID contents, string tag, value).
    fn name(attributes: &[(&[u8], u8, &str)]) -> Name {
        let mut seq = Vec::new();
        for (oid, tag, value) in attributes {
            let mut atv = encode(tags::OID, oid);
            atv.extend(encode(Tag(u32::from(*tag)), value.as_bytes()));
            seq.extend(encode(tags::SET, &encode(tags::SEQUENCE, &atv)));
        }
        Name::from_der(&encode(tags::SEQUENCE, &seq)).unwrap()
    }

    /// The index key as first defined (and as compiled trust-store files hold it): each
    /// `OID=value` with the value's whitespace runs collapsed and `str::to_lowercase`d.
    fn reference_key(name: &Name) -> String {
        let mut parts: Vec<String> = name
            .attributes
            .iter()
            .map(|a| {
                let words: Vec<&str> = a.value.split_whitespace().collect();
                format!("{}={}", a.oid, words.join(" ").to_lowercase())
            })
            .collect();
        parts.sort();
        parts.join("\u{0}")
    }

    #[test]
    fn dotted_forms_are_the_oids() {
        for (oid, dotted) in DOTTED {
            assert_eq!(oid.to_string(), dotted);
        }
    }

    #[test]
    fn name_key_is_unchanged() {
        const C: &[u8] = &[0x55, 0x04, 0x06];
        const O: &[u8] = &[0x55, 0x04, 0x0A];
        const CN: &[u8] = &[0x55, 0x04, 0x03];
        let names = [
            name(&[(C, 0x13, "VN"), (CN, 0x0C, "CSCA  ePassport\tVietnam ")]),
            name(&[
                (C, 0x13, "DE"),
                (O, 0x13, "bund"),
                (CN, 0x13, "CSCA-GERMANY"),
            ]),
            // Non-ASCII: a word-final capital sigma lowercases to ς, others to σ.
            name(&[(C, 0x13, "GR"), (CN, 0x0C, " ΟΔΥΣΣΕΥΣ  Ἀθῆναι ÉTAT ")]),
            name(&[(CN, 0x0C, "ǅemal İstanbul")]),
        ];
        for n in &names {
            assert_eq!(name_key(n), reference_key(n), "{n}");
        }
        assert_eq!(
            name_key(&names[0]),
            "2.5.4.3=csca epassport vietnam\u{0}2.5.4.6=vn"
        );
    }
}
