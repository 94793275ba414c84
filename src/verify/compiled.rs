//! The compiled trust-store file: what a [`TrustStore`] holds (CSCAs and link certificates,
//! PKD Document Signers, CRLs), written once by `cccd trust compile` after every master list
//! in it was verified, and loaded by `--trust FILE` without parsing a master list, checking
//! a CMS signature or decoding a certificate that no chain needs.
//!
//! Layout, version 2 (integers big-endian): a header that indexes everything, then the
//! trust anchors' DER, so that a loader reads the header alone and each anchor only when a
//! chain names its subject.
//!
//! ```text
//! magic       16 bytes  "CCCD-TRUST-STORE"
//! version     u32       2
//! header_len  u32       bytes of `header`
//! header      count u32, then count records: kind u8, length u32, body (length bytes)
//!                 'A' a trust anchor: its SHA-256 (32 bytes), u32 key length, the subject's
//!                     index key (UTF-8), u32 length of its DER (the DER is in `anchors`)
//!                 'D' a PKD Document Signer: the DER
//!                 'R' a CRL: the DER
//!                 'P' provenance: UTF-8 text (what was loaded and verified, when)
//!                 'U' the file includes master lists used UNVERIFIED (empty body)
//! digest      32 bytes  SHA-256 of everything before it (magic, version, header_len, header)
//! anchors     the DER of every 'A' record, in record order, nothing between or after
//! ```
//!
//! Integrity: the header digest covers every byte before `anchors`, and each anchor's recorded
//! SHA-256 covers its DER, and the anchors fill the rest of the file exactly: one changed bit
//! anywhere is found. A file given as bytes ([`TrustStore::add_compiled`]) is checked whole at
//! load (every anchor's digest: the same hashing as one digest over the file). A file loaded
//! by path (`--trust FILE`, [`TrustStore::add_path`]) is checked the same way except that an
//! anchor's DER is read, and its digest checked, when a chain first needs it: a changed anchor
//! is then never used (as a certificate that does not decode), and the store reports it
//! ([`TrustStore::damaged_anchors`]). Reading 1 MB and hashing it at every start was most of
//! the cost of loading the DE and NL lists this way (issue #11).
//!
//! What the file vouches for: when it was compiled, each master list's CMS signature, its
//! signer's profile and its chain to a `--ml-signer-root` were verified (the provenance
//! record names them), unless the compiler opted into
//! `--danger-unverified-master-list`, which the file records (`U`) and the loader repeats as
//! a warning. The digests detect a damaged or truncated file; they are not a signature:
//! whoever can write the file chooses the trust anchors, exactly as with a directory of CSCA
//! certificates, so keep it where only its owner can write. A file of another version (the
//! version 1 files of earlier releases: compile them again), with an unknown record kind, a
//! length past its end or a wrong digest is refused ([`TrustError::Compiled`]) and nothing of
//! it is added.

use super::trust::{Bytes, LoadReport, TrustError, TrustStore};
use core::ops::Range;
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// The first bytes of a compiled trust-store file.
pub const MAGIC: &[u8; 16] = b"CCCD-TRUST-STORE";
/// The version this library writes and the only one it reads.
pub const VERSION: u32 = 2;

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
    let mut header = Vec::new();
    let mut anchors = Vec::new();
    let mut count: u32 = 0;
    let mut record = |header: &mut Vec<u8>, kind: u8, parts: &[&[u8]]| {
        let len: usize = parts.iter().map(|p| p.len()).sum();
        header.push(kind);
        header.extend_from_slice(&u32_of(len));
        for p in parts {
            header.extend_from_slice(p);
        }
        count += 1;
    };
    record(&mut header, PROVENANCE, &[provenance.as_bytes()]);
    if store.includes_unverified_master_lists() {
        record(&mut header, UNVERIFIED, &[]);
    }
    for (digest, key, der) in store.anchors_raw() {
        record(
            &mut header,
            ANCHOR,
            &[digest, &u32_of(key.len()), key, &u32_of(der.len())],
        );
        anchors.extend_from_slice(der);
    }
    for c in store.document_signers() {
        record(&mut header, DOCUMENT_SIGNER, &[&c.raw]);
    }
    for c in store.crls() {
        record(&mut header, CRL, &[&c.raw]);
    }
    let mut out = Vec::with_capacity(PREFIX + 4 + header.len() + 32 + anchors.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_be_bytes());
    out.extend_from_slice(&u32_of(4 + header.len()));
    out.extend_from_slice(&count.to_be_bytes());
    out.extend_from_slice(&header);
    let digest = Sha256::digest(&out);
    out.extend_from_slice(&digest);
    out.extend_from_slice(&anchors);
    out
}

fn u32_of(len: usize) -> [u8; 4] {
    u32::try_from(len).unwrap_or(u32::MAX).to_be_bytes()
}

/// Magic, version and header length: what a loader reads first.
pub(crate) const PREFIX: usize = 16 + 4 + 4;

/// One record of a checked header (an anchor's key as a range of the header, its DER as a
/// range of the anchors that follow the header digest).
pub(crate) enum Record<'a> {
    Anchor {
        digest: [u8; 32],
        /// The subject's index key, as a range of the header bytes given to [`read_header`].
        key: Range<usize>,
        /// The DER, as a range of the anchors after the header.
        der: Range<usize>,
    },
    DocumentSigner(&'a [u8]),
    Crl(&'a [u8]),
    Provenance(&'a str),
    Unverified,
}

/// The length of the header and its digest that follow the prefix (magic, version, header
/// length), from the prefix; refuses another magic or version.
pub(crate) fn header_len(prefix: &[u8]) -> Result<usize, CompiledError> {
    let body = prefix
        .strip_prefix(MAGIC)
        .ok_or(CompiledError::NotCompiled)?;
    let (version, rest) = take_u32(body, MAGIC.len())?;
    if version != VERSION {
        return Err(CompiledError::Version(version));
    }
    let (len, _) = take_u32(rest, MAGIC.len() + 4)?;
    usize::try_from(len)
        .ok()
        .and_then(|l| l.checked_add(32))
        .ok_or(CompiledError::Malformed(MAGIC.len() + 4))
}

/// Checks the prefix and header of a file (`head`: from its first byte through the header
/// digest): magic, version, digest, every record's bounds and kind. Returns the records and
/// the total length of the anchors' DER that must follow; nothing is returned unless the
/// whole header is sound.
pub(crate) fn read_header(head: &[u8]) -> Result<(Vec<Record<'_>>, usize), CompiledError> {
    let len = header_len(head)?;
    let end = PREFIX
        .checked_add(len)
        .ok_or(CompiledError::Malformed(PREFIX))?;
    if head.len() != end {
        return Err(CompiledError::Malformed(head.len().min(end)));
    }
    let split = end - 32;
    let (signed, digest) = head.split_at_checked(split).ok_or(CompiledError::Digest)?;
    if Sha256::digest(signed).as_slice() != digest {
        return Err(CompiledError::Digest);
    }
    let header = signed
        .get(PREFIX..)
        .ok_or(CompiledError::Malformed(PREFIX))?;
    let (count, mut rest) = take_u32(header, PREFIX)?;
    let mut records = Vec::new();
    let mut anchors_len = 0usize;
    for _ in 0..count {
        let at = split - rest.len();
        let bad = CompiledError::Malformed(at);
        let (&kind, after) = rest.split_first().ok_or(bad)?;
        let (len, after) = take_u32(after, at + 1)?;
        let len = usize::try_from(len).map_err(|_| bad)?;
        let (body, after) = after.split_at_checked(len).ok_or(bad)?;
        rest = after;
        records.push(match kind {
            ANCHOR => {
                let (digest, tail) = body.split_first_chunk::<32>().ok_or(bad)?;
                let (key_len, tail) = take_u32(tail, at + 37)?;
                let key_len = usize::try_from(key_len).map_err(|_| bad)?;
                // `tail` and then `rest` run to the end of the header.
                let key_start = split - (tail.len() + rest.len());
                let (key, tail) = tail.split_at_checked(key_len).ok_or(bad)?;
                core::str::from_utf8(key).map_err(|_| bad)?;
                let (der_len, tail) = take_u32(tail, at)?;
                if !tail.is_empty() {
                    return Err(bad);
                }
                let der_len = usize::try_from(der_len).map_err(|_| bad)?;
                let der_end = anchors_len.checked_add(der_len).ok_or(bad)?;
                let der = anchors_len..der_end;
                anchors_len = der_end;
                Record::Anchor {
                    digest: *digest,
                    key: key_start..key_start + key_len,
                    der,
                }
            }
            DOCUMENT_SIGNER => Record::DocumentSigner(body),
            CRL => Record::Crl(body),
            PROVENANCE => Record::Provenance(core::str::from_utf8(body).map_err(|_| bad)?),
            UNVERIFIED if body.is_empty() => Record::Unverified,
            other => return Err(CompiledError::UnknownRecord(other)),
        });
    }
    if !rest.is_empty() {
        return Err(CompiledError::Malformed(split - rest.len()));
    }
    Ok((records, anchors_len))
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

    /// Adds what a compiled trust-store file holds, after checking all of it (its header's
    /// digest and every anchor's: nothing is added from a file that is refused). Trust
    /// anchors are decoded only when a chain needs them.
    pub fn add_compiled(&mut self, bytes: &[u8]) -> Result<LoadReport, TrustError> {
        self.add_compiled_owned(bytes.to_vec())
    }

    /// [`Self::add_compiled`] of a file already read into memory: the buffer itself is
    /// kept, every anchor pointing into it (no copy of a file of megabytes).
    pub(crate) fn add_compiled_owned(&mut self, bytes: Vec<u8>) -> Result<LoadReport, TrustError> {
        let shared = Arc::new(bytes);
        let prefix = shared.get(..PREFIX).ok_or(CompiledError::Malformed(0))?;
        let head_end = PREFIX
            .checked_add(header_len(prefix)?)
            .ok_or(CompiledError::Malformed(PREFIX))?;
        let head = shared
            .get(..head_end)
            .ok_or(CompiledError::Malformed(shared.len()))?;
        let (records, anchors_len) = read_header(head)?;
        if shared.len() - head_end != anchors_len {
            return Err(CompiledError::Malformed(shared.len().min(head_end + anchors_len)).into());
        }
        // Every anchor's DER against its recorded digest, before anything is added.
        for record in &records {
            if let Record::Anchor { digest, der, .. } = record {
                let bytes = shared
                    .get(head_end + der.start..head_end + der.end)
                    .ok_or(CompiledError::Malformed(head_end))?;
                if Sha256::digest(bytes).as_slice() != digest {
                    return Err(CompiledError::Digest.into());
                }
            }
        }
        self.add_records(records, |key, der, _| {
            (
                Bytes::Shared(Arc::clone(&shared), key),
                Bytes::Shared(
                    Arc::clone(&shared),
                    head_end + der.start..head_end + der.end,
                ),
            )
        })
    }

    /// Adds a compiled trust-store file by reading its header alone (checked whole, as
    /// [`Self::add_compiled`] does); each anchor's DER is read, and checked against its
    /// recorded digest, when a chain first needs it. `file` is positioned after the magic,
    /// which the caller read (`magic`).
    pub(crate) fn add_compiled_file(
        &mut self,
        path: &std::path::Path,
        mut file: std::fs::File,
        magic: &[u8],
        file_len: u64,
    ) -> Result<LoadReport, TrustError> {
        use std::io::Read;
        let io = |e: std::io::Error| TrustError::Io {
            path: path.display().to_string(),
            kind: e.kind(),
        };
        let mut prefix = [0u8; PREFIX];
        let (head, tail) = prefix.split_at_mut(magic.len().min(PREFIX));
        head.copy_from_slice(magic.get(..head.len()).unwrap_or_default());
        file.read_exact(tail).map_err(io)?;
        let len = header_len(&prefix)?;
        let head_end = PREFIX
            .checked_add(len)
            .ok_or(CompiledError::Malformed(PREFIX))?;
        // The header is bounded by the file (itself bounded by MAX_TRUST_FILE) before any
        // allocation of its size.
        if u64::try_from(head_end).map_or(true, |end| end > file_len) {
            return Err(CompiledError::Malformed(PREFIX).into());
        }
        let mut head = Vec::with_capacity(head_end);
        head.extend_from_slice(&prefix);
        head.resize(head_end, 0);
        file.read_exact(head.get_mut(PREFIX..).unwrap_or_default())
            .map_err(io)?;
        let (records, anchors_len) = read_header(&head)?;
        if u64::try_from(head_end + anchors_len).ok() != Some(file_len) {
            return Err(CompiledError::Malformed(head_end).into());
        }
        let source = Arc::new(CompiledFile::new(path, file, head_end as u64));
        self.note_compiled_file(Arc::clone(&source));
        self.add_records(records, |key, der, digest| {
            (
                Bytes::Owned(head.get(key).unwrap_or_default().to_vec()),
                Bytes::file(Arc::clone(&source), der, digest),
            )
        })
    }

    /// Adds the records of a checked header; `place` gives an anchor's key and DER bytes.
    fn add_records(
        &mut self,
        records: Vec<Record<'_>>,
        mut place: impl FnMut(Range<usize>, Range<usize>, [u8; 32]) -> (Bytes, Bytes),
    ) -> Result<LoadReport, TrustError> {
        let mut report = LoadReport::default();
        for record in records {
            match record {
                Record::Anchor { digest, key, der } => {
                    // The digest is the one recorded at compile time, covered by the header's
                    // digest checked above; the DER is checked against it (above, or when read).
                    let (key, der) = place(key, der, digest);
                    let added = self.insert_lazy(key, der, Some(digest))?;
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

/// A compiled trust-store file whose anchors are read when a chain needs them.
pub(crate) struct CompiledFile {
    path: String,
    file: std::sync::Mutex<std::fs::File>,
    /// Where the anchors' DER starts.
    base: u64,
    /// Anchors whose DER could not be read or did not match its digest.
    damaged: std::sync::atomic::AtomicUsize,
}

impl core::fmt::Debug for CompiledFile {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "CompiledFile({})", self.path)
    }
}

impl CompiledFile {
    fn new(path: &std::path::Path, file: std::fs::File, base: u64) -> Self {
        Self {
            path: path.display().to_string(),
            file: std::sync::Mutex::new(file),
            base,
            damaged: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// The DER at `range` of the anchors, if it reads and matches `digest`; a failure is
    /// counted ([`Self::damaged`]).
    pub(crate) fn read(&self, range: &Range<usize>, digest: &[u8; 32]) -> Option<Vec<u8>> {
        use std::io::{Read, Seek, SeekFrom};
        let read = || -> Option<Vec<u8>> {
            let start = self.base.checked_add(u64::try_from(range.start).ok()?)?;
            let mut file = self.file.lock().ok()?;
            file.seek(SeekFrom::Start(start)).ok()?;
            // The length comes from the checked header, and the file was as long as the
            // header said when it was opened.
            let mut der = vec![0u8; range.len()];
            file.read_exact(&mut der).ok()?;
            (Sha256::digest(&der).as_slice() == digest).then_some(der)
        };
        let der = read();
        if der.is_none() {
            self.damaged
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        der
    }

    /// How many anchors failed to read or to match their digest so far.
    pub(crate) fn damaged(&self) -> usize {
        self.damaged.load(std::sync::atomic::Ordering::Relaxed)
    }
}
