//! The compiled trust-store file: what a [`TrustStore`] holds (CSCAs and link certificates,
//! PKD Document Signers, CRLs), written once by `cccd trust compile` after every master list
//! in it was verified, and loaded by `--trust FILE` without parsing a master list, checking
//! a CMS signature or decoding a certificate that no chain needs.
//!
//! Layout, version 1 (integers big-endian):
//!
//! ```text
//! magic     16 bytes  "CCCD-TRUST-STORE"
//! version   u32       1
//! count     u32       number of records
//! records   count ×   kind u8, length u32, body (length bytes)
//!                     'A' a trust anchor: its SHA-256 (32 bytes), u32 key length, the
//!                         subject's index key (UTF-8), the DER
//!                     'D' a PKD Document Signer: the DER
//!                     'R' a CRL: the DER
//!                     'P' provenance: UTF-8 text (what was loaded and verified, when)
//!                     'U' the file includes master lists used UNVERIFIED (empty body)
//! digest    32 bytes  SHA-256 of everything before it
//! ```
//!
//! What the file vouches for: when it was compiled, each master list's CMS signature, its
//! signer's profile and its chain to a `--ml-signer-root` were verified (the provenance
//! record names them), unless the compiler opted into
//! `--danger-unverified-master-list`, which the file records (`U`) and the loader repeats as
//! a warning. The digest detects a damaged or truncated file; it is not a signature: whoever
//! can write the file chooses the trust anchors, exactly as with a directory of CSCA
//! certificates, so keep it where only its owner can write. A file of another version, with
//! an unknown record kind, a length past its end or a wrong digest is refused
//! ([`TrustError::Compiled`]) and nothing of it is added.

use super::trust::{Bytes, LoadReport, TrustError, TrustStore};
use core::ops::Range;
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// The first bytes of a compiled trust-store file.
pub const MAGIC: &[u8; 16] = b"CCCD-TRUST-STORE";
/// The version this library writes and the only one it reads.
pub const VERSION: u32 = 1;

const ANCHOR: u8 = b'A';
const DOCUMENT_SIGNER: u8 = b'D';
const CRL: u8 = b'R';
const PROVENANCE: u8 = b'P';
const UNVERIFIED: u8 = b'U';

/// Why a compiled trust-store file is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CompiledError {
    /// Not a compiled trust store (no magic).
    #[error("not a compiled trust store")]
    NotCompiled,
    /// A version this library does not read.
    #[error("compiled trust store version {0} is not supported (this library reads {VERSION})")]
    Version(u32),
    /// The SHA-256 at the end does not match: the file is damaged or was changed.
    #[error("compiled trust store digest mismatch: the file is damaged")]
    Digest,
    /// A record runs past the end, or the count does not match.
    #[error("compiled trust store truncated or malformed at byte {0}")]
    Malformed(usize),
    /// A record of a kind this version does not define.
    #[error("compiled trust store: unknown record kind {0:#04x}")]
    UnknownRecord(u8),
}

/// Serialises a store (see the module's layout), with `provenance` as its text record.
pub(crate) fn write(store: &TrustStore, provenance: &str) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_be_bytes());
    let count_at = out.len();
    out.extend_from_slice(&[0; 4]);
    let mut count: u32 = 0;
    let mut record = |out: &mut Vec<u8>, kind: u8, parts: &[&[u8]]| {
        let len: usize = parts.iter().map(|p| p.len()).sum();
        out.push(kind);
        out.extend_from_slice(&u32::try_from(len).unwrap_or(u32::MAX).to_be_bytes());
        for p in parts {
            out.extend_from_slice(p);
        }
        count += 1;
    };
    record(&mut out, PROVENANCE, &[provenance.as_bytes()]);
    if store.includes_unverified_master_lists() {
        record(&mut out, UNVERIFIED, &[]);
    }
    for (digest, key, der) in store.anchors_raw() {
        let key_len = u32::try_from(key.len()).unwrap_or(u32::MAX).to_be_bytes();
        record(&mut out, ANCHOR, &[digest, &key_len, key, der]);
    }
    for c in store.document_signers() {
        record(&mut out, DOCUMENT_SIGNER, &[&c.raw]);
    }
    for c in store.crls() {
        record(&mut out, CRL, &[&c.raw]);
    }
    if let Some(slot) = out.get_mut(count_at..count_at + 4) {
        slot.copy_from_slice(&count.to_be_bytes());
    }
    let digest = Sha256::digest(&out);
    out.extend_from_slice(&digest);
    out
}

/// One record of a checked file (an anchor's key and DER as ranges of the file).
pub(crate) enum Record<'a> {
    Anchor {
        digest: [u8; 32],
        key: Range<usize>,
        der: Range<usize>,
    },
    DocumentSigner(&'a [u8]),
    Crl(&'a [u8]),
    Provenance(&'a str),
    Unverified,
}

/// Checks a file (magic, version, digest, every record's bounds and kind) and returns its
/// records; nothing is returned unless the whole file is sound.
pub(crate) fn read(bytes: &[u8]) -> Result<Vec<Record<'_>>, CompiledError> {
    let body = bytes
        .strip_prefix(MAGIC)
        .ok_or(CompiledError::NotCompiled)?;
    let (version, rest) = take_u32(body, MAGIC.len())?;
    if version != VERSION {
        return Err(CompiledError::Version(version));
    }
    let split = bytes
        .len()
        .checked_sub(32)
        .ok_or(CompiledError::Malformed(bytes.len()))?;
    let (signed, digest) = bytes.split_at_checked(split).ok_or(CompiledError::Digest)?;
    if Sha256::digest(signed).as_slice() != digest {
        return Err(CompiledError::Digest);
    }
    let rest = rest
        .get(..rest.len().saturating_sub(32))
        .ok_or(CompiledError::Malformed(split))?;
    let (count, mut rest) = take_u32(rest, MAGIC.len() + 4)?;
    let mut records = Vec::new();
    for _ in 0..count {
        let at = split - rest.len();
        let (&kind, after) = rest.split_first().ok_or(CompiledError::Malformed(at))?;
        let (len, after) = take_u32(after, at + 1)?;
        let len = usize::try_from(len).map_err(|_| CompiledError::Malformed(at))?;
        let (body, after) = after
            .split_at_checked(len)
            .ok_or(CompiledError::Malformed(at))?;
        rest = after;
        records.push(match kind {
            ANCHOR => {
                let bad = CompiledError::Malformed(at);
                let (digest, tail) = body.split_first_chunk::<32>().ok_or(bad)?;
                let (key_len, tail) = take_u32(tail, at + 37)?;
                let key_len = usize::try_from(key_len).map_err(|_| bad)?;
                let (key, der) = tail.split_at_checked(key_len).ok_or(bad)?;
                core::str::from_utf8(key).map_err(|_| bad)?;
                let key_start = split - (key.len() + der.len() + rest.len());
                let der_start = key_start + key.len();
                Record::Anchor {
                    digest: *digest,
                    key: key_start..der_start,
                    der: der_start..der_start + der.len(),
                }
            }
            DOCUMENT_SIGNER => Record::DocumentSigner(body),
            CRL => Record::Crl(body),
            PROVENANCE => Record::Provenance(
                core::str::from_utf8(body).map_err(|_| CompiledError::Malformed(at))?,
            ),
            UNVERIFIED if body.is_empty() => Record::Unverified,
            other => return Err(CompiledError::UnknownRecord(other)),
        });
    }
    if !rest.is_empty() {
        return Err(CompiledError::Malformed(split - rest.len()));
    }
    Ok(records)
}

fn take_u32(bytes: &[u8], at: usize) -> Result<(u32, &[u8]), CompiledError> {
    let (head, rest) = bytes
        .split_first_chunk::<4>()
        .ok_or(CompiledError::Malformed(at))?;
    Ok((u32::from_be_bytes(*head), rest))
}

impl TrustStore {
    /// The store as a compiled trust-store file ([`crate::verify::compiled`]), with
    /// `provenance` (what was loaded, which master-list signers and roots were verified,
    /// when) as its text record. Load it with [`TrustStore::add_bytes`] or `--trust FILE`.
    pub fn to_compiled(&self, provenance: &str) -> Vec<u8> {
        write(self, provenance)
    }

    /// Adds what a compiled trust-store file holds, after checking all of it (nothing is
    /// added from a file that is refused). Trust anchors are decoded only when a chain
    /// needs them.
    pub fn add_compiled(&mut self, bytes: &[u8]) -> Result<LoadReport, TrustError> {
        self.add_compiled_owned(bytes.to_vec())
    }

    /// [`Self::add_compiled`] of a file already read into memory: the buffer itself is
    /// kept, every anchor pointing into it (no copy of a file of megabytes).
    pub(crate) fn add_compiled_owned(&mut self, bytes: Vec<u8>) -> Result<LoadReport, TrustError> {
        let shared = Arc::new(bytes);
        let records = read(&shared)?;
        let mut report = LoadReport::default();
        for record in records {
            match record {
                Record::Anchor { digest, key, der } => {
                    // The digest is the one recorded at compile time, covered by the file's
                    // digest checked above.
                    let added = self.insert_lazy(
                        Bytes::Shared(Arc::clone(&shared), key),
                        Bytes::Shared(Arc::clone(&shared), der),
                        Some(digest),
                    )?;
                    report.certificates_added += usize::from(added);
                }
                Record::DocumentSigner(der) => {
                    let cert = crate::pki::Certificate::from_der(der)?;
                    report.document_signers_added += usize::from(self.insert_dsc(cert)?);
                }
                Record::Crl(der) => {
                    self.add_crl(der)?;
                    report.crls_added += 1;
                }
                Record::Provenance(text) => {
                    report.provenance.extend(text.lines().map(str::to_string));
                }
                Record::Unverified => {
                    self.note_unverified_master_lists();
                    report
                        .warnings
                        .push(super::Warning::CompiledUnverifiedMasterLists);
                }
            }
        }
        Ok(report)
    }
}
