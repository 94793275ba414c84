//! What a read produced: every file's raw bytes (passive authentication hashes them) and the
//! parsed data groups.

use crate::files::ElementaryFile;
use crate::lds::com::EfCom;
use crate::lds::dg1::Dg1;
use crate::lds::dg13::Dg13;

/// How access control was done.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "protocol"))]
#[non_exhaustive]
pub enum AccessProtocol {
    /// No access control (only free files were read).
    None,
    /// Basic Access Control with the MRZ key, 3DES secure messaging.
    Bac,
}

/// What happened to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(
    feature = "serde",
    serde(tag = "status", content = "detail", rename_all = "snake_case")
)]
#[non_exhaustive]
pub enum FileStatus {
    /// Read completely.
    Read,
    /// The card has no such file (`6A82`).
    NotPresent,
    /// The card refused access, with its status word (DG3 without EAC answers `6982`).
    AccessDenied(u16),
    /// Not read, and why.
    Skipped(String),
}

/// One file of the document.
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FileRecord {
    /// Which file.
    #[cfg_attr(feature = "serde", serde(serialize_with = "ser_file"))]
    pub file: ElementaryFile,
    /// Outcome.
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub status: FileStatus,
    /// Exact bytes as read (hex in JSON), when read.
    #[cfg_attr(feature = "serde", serde(serialize_with = "ser_hex_opt"))]
    pub raw: Option<Vec<u8>>,
}

impl core::fmt::Debug for FileRecord {
    // File contents are personal data: never in Debug output.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("FileRecord")
            .field("file", &self.file)
            .field("status", &self.status)
            .field("len", &self.raw.as_ref().map(Vec::len))
            .finish()
    }
}

impl FileRecord {
    /// A file read completely.
    pub fn read(file: ElementaryFile, raw: Vec<u8>) -> Self {
        Self {
            file,
            status: FileStatus::Read,
            raw: Some(raw),
        }
    }

    /// A file not read.
    pub fn status(file: ElementaryFile, status: FileStatus) -> Self {
        Self {
            file,
            status,
            raw: None,
        }
    }
}

/// A parse failure of one file (the raw bytes are still in [`Document::files`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ParseFailure {
    /// The file.
    #[cfg_attr(feature = "serde", serde(serialize_with = "ser_file"))]
    pub file: ElementaryFile,
    /// The parser's error.
    pub error: String,
}

/// A document read from a chip.
#[derive(Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct Document {
    /// How the session was opened.
    pub access: AccessProtocol,
    /// Every file, in the order read, with its raw bytes.
    pub files: Vec<FileRecord>,
    /// EF.COM.
    pub com: Option<EfCom>,
    /// DG1: the MRZ.
    pub dg1: Option<Dg1>,
    /// DG13: the Vietnamese personal data.
    pub dg13: Option<Dg13>,
    /// Files that were read but did not parse.
    pub parse_failures: Vec<ParseFailure>,
}

impl core::fmt::Debug for Document {
    // Personal data: only the shape.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Document")
            .field("access", &self.access)
            .field("files", &self.files)
            .field("parse_failures", &self.parse_failures)
            .finish_non_exhaustive()
    }
}

impl Document {
    /// Parses what was read. A file that fails to parse is listed in `parse_failures`.
    pub fn from_records(access: AccessProtocol, files: Vec<FileRecord>) -> Self {
        let mut doc = Self {
            access,
            files,
            com: None,
            dg1: None,
            dg13: None,
            parse_failures: Vec::new(),
        };
        let mut failures = Vec::new();
        let mut note = |file, r: Result<(), String>| {
            if let Err(error) = r {
                failures.push(ParseFailure { file, error });
            }
        };
        if let Some(raw) = doc.raw(ElementaryFile::Com) {
            let r = EfCom::parse(raw);
            note(
                ElementaryFile::Com,
                r.as_ref().map(|_| ()).map_err(|e| e.to_string()),
            );
            doc.com = r.ok();
        }
        if let Some(raw) = doc.raw(ElementaryFile::Dg(1)) {
            let r = Dg1::parse(raw);
            note(
                ElementaryFile::Dg(1),
                r.as_ref().map(|_| ()).map_err(|e| e.to_string()),
            );
            doc.dg1 = r.ok();
        }
        if let Some(raw) = doc.raw(ElementaryFile::Dg(13)) {
            let r = Dg13::parse(raw);
            note(
                ElementaryFile::Dg(13),
                r.as_ref().map(|_| ()).map_err(|e| e.to_string()),
            );
            doc.dg13 = r.ok();
        }
        doc.parse_failures = failures;
        doc
    }

    /// The raw bytes of a file, if it was read.
    pub fn raw(&self, file: ElementaryFile) -> Option<&[u8]> {
        self.files
            .iter()
            .find(|r| r.file == file)
            .and_then(|r| r.raw.as_deref())
    }

    /// The data groups read, by number, as passive authentication hashes them.
    pub fn data_groups(&self) -> std::collections::BTreeMap<u8, Vec<u8>> {
        self.files
            .iter()
            .filter_map(|r| match (r.file, &r.raw) {
                (ElementaryFile::Dg(n), Some(raw)) => Some((n, raw.clone())),
                _ => None,
            })
            .collect()
    }

    /// Passive authentication of what was read: the SOD's signature, its DSC's chain to a CSCA
    /// of `trust`, and the hash of every data group read. Without a SOD, the report says so.
    ///
    /// ```
    /// # #[cfg(feature = "sim")] {
    /// use cccd::access::AccessKey;
    /// use cccd::reader::{ReadOptions, Reader};
    /// use cccd::sim::{Card, Profile, SimTransport};
    /// use cccd::verify::{PaOptions, TrustStore};
    /// let card = Card::new(Profile::Cccd, 1);
    /// let p = card.persona();
    /// let key = AccessKey::from_id_and_dates(&p.id_number, &p.date_of_birth.yymmdd(), &p.mrz_expiry())?;
    /// let doc = Reader::new(SimTransport::new(card)).open(&key)?.read_document(&ReadOptions::default(), &mut |_| {})?;
    /// // An empty trust store: whatever the signature, the chain cannot be trusted.
    /// let report = doc.verify_passive(&TrustStore::new(), &PaOptions::default());
    /// assert!(!report.is_genuine());
    /// # }
    /// # Ok::<(), cccd::Error>(())
    /// ```
    pub fn verify_passive(
        &self,
        trust: &crate::verify::TrustStore,
        options: &crate::verify::PaOptions,
    ) -> crate::verify::PassiveAuthReport {
        let sod = self.raw(ElementaryFile::Sod).unwrap_or(&[]);
        crate::verify::verify_passive(sod, &self.data_groups(), trust, options)
    }

    /// The 12-digit ID number: from DG13, else from the DG1 optional data.
    pub fn id_number(&self) -> Option<&str> {
        self.dg13
            .as_ref()
            .and_then(|d| d.id_number.as_deref())
            .or_else(|| {
                self.dg1
                    .as_ref()
                    .and_then(|d| d.mrz.vn_id_number.as_deref())
            })
    }
}

#[cfg(feature = "serde")]
fn ser_hex_opt<S: serde::Serializer>(v: &Option<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(bytes) => s.serialize_some(&hex::encode_upper(bytes)),
        None => s.serialize_none(),
    }
}

#[cfg(feature = "serde")]
fn ser_file<S: serde::Serializer>(f: &ElementaryFile, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&f.name())
}
