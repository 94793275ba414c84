//! What a read produced: one store of file bytes, the only source that is both parsed (the data
//! a teller sees) and hashed (passive authentication), and what the clone-detection protocols
//! did during the read. [`Document::verify`] turns it into a [`Verification`].
//!
//! A file appears at most once: a second record of the same file is
//! [`DocumentError::DuplicateFile`], so the bytes shown can never differ from the bytes proven.

mod verdict;

pub use verdict::{
    AaFailure, ActiveAuthRun, ActiveAuthVerdict, CaFailure, ChipAuthMethod, ChipAuthRun,
    ChipAuthVerdict, Finding, FindingKind, UntrustedCheck, Verification,
};

use crate::files::ElementaryFile;
use crate::lds::com::EfCom;
use crate::lds::dg1::Dg1;
use crate::lds::dg11::Dg11;
use crate::lds::dg12::Dg12;
use crate::lds::dg13::Dg13;
use crate::lds::dg14::Dg14;
use crate::lds::dg15::Dg15;
use crate::lds::dg2::{Dg2, ImageFormat};
use crate::lds::LdsError;
use thiserror::Error;

/// How access control was done.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "protocol", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum AccessProtocol {
    /// No access control (only free files were read).
    None,
    /// Basic Access Control with the MRZ key, 3DES secure messaging.
    Bac,
    /// PACE (ICAO 9303-11 §4.4).
    Pace {
        /// The protocol OID in dotted form.
        oid: String,
        /// Key agreement, mapping and cipher, e.g. `ECDH-GM-AES-128`.
        name: String,
        /// Standardized domain parameter id (13 = brainpoolP256r1).
        parameter_id: u8,
        /// The password PACE ran with.
        password: PacePasswordKind,
    },
    /// The files came without a record of the session (a dump, or files uploaded by a phone):
    /// the session's protocol cannot be judged, only the files.
    NotRecorded,
}

/// Which password opened a PACE session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum PacePasswordKind {
    /// The card access number.
    Can,
    /// The MRZ information (document number, birth and expiry dates).
    Mrz,
}

impl AccessProtocol {
    pub(crate) fn pace(config: &crate::access::pace::PaceConfig, can: bool) -> Self {
        use crate::lds::security_info::{Cipher, KeyAgreement, Mapping};
        let p = config.protocol;
        let ka = match p.key_agreement {
            KeyAgreement::Dh => "DH",
            _ => "ECDH",
        };
        let mapping = match p.mapping {
            Mapping::Generic => "GM",
            Mapping::Integrated => "IM",
            Mapping::ChipAuthentication => "CAM",
        };
        let cipher = match p.cipher {
            Cipher::TripleDesCbcCbc => "3DES",
            Cipher::AesCbcCmac128 => "AES-128",
            Cipher::AesCbcCmac192 => "AES-192",
            _ => "AES-256",
        };
        Self::Pace {
            oid: p.oid().to_string(),
            name: format!("{ka}-{mapping}-{cipher}"),
            parameter_id: config.parameter_id,
            password: if can {
                PacePasswordKind::Can
            } else {
                PacePasswordKind::Mrz
            },
        }
    }
}

impl core::fmt::Display for AccessProtocol {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::None => f.write_str("none"),
            Self::Bac => f.write_str("BAC"),
            Self::Pace {
                name,
                parameter_id,
                password,
                ..
            } => write!(f, "PACE {name}, parameter id {parameter_id}, {password}"),
            Self::NotRecorded => f.write_str("not recorded"),
        }
    }
}

impl core::fmt::Display for PacePasswordKind {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::Can => "CAN",
            Self::Mrz => "MRZ",
        })
    }
}

/// What happened to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "status", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum FileStatus {
    /// Read completely.
    Read,
    /// The card answered "file not found" (`6A82`).
    NotPresent {
        /// Whether the status word came inside a secure-messaging response whose MAC verified.
        /// A bare `6A82` under secure messaging could come from anyone on the link (see
        /// [`crate::manual`], "Unprotected status words").
        protected: bool,
    },
    /// The card refused access (DG3 without EAC answers `6982`).
    AccessDenied {
        /// The status word, as four upper-case hex digits in JSON.
        #[cfg_attr(feature = "serde", serde(serialize_with = "ser_sw"))]
        sw: u16,
        /// Whether the status word came inside a verified secure-messaging response.
        protected: bool,
    },
    /// Not read, by the caller's choice.
    Skipped {
        /// Why.
        reason: SkipReason,
    },
}

/// Why a file was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum SkipReason {
    /// The caller did not ask for it (the face with `skip_face`, a group outside the list).
    NotRequested,
    /// DG3/DG4 need EAC terminal authentication, which this library does not do.
    NeedsTerminalAuthentication,
}

impl core::fmt::Display for FileStatus {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let unprotected = |p: &bool| if *p { "" } else { ", unprotected status word" };
        match self {
            Self::Read => f.write_str("read"),
            Self::NotPresent { protected } => {
                write!(f, "not present (6A82{})", unprotected(protected))
            }
            Self::AccessDenied { sw, protected } => {
                write!(f, "access denied ({sw:04X}{})", unprotected(protected))
            }
            Self::Skipped { reason } => write!(f, "skipped: {reason}"),
        }
    }
}

impl core::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::NotRequested => "not requested",
            Self::NeedsTerminalAuthentication => "needs EAC terminal authentication",
        })
    }
}

/// One file of the document.
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FileRecord {
    /// Which file (`COM`, `SOD`, `DG1`, `CardAccess` in JSON).
    #[cfg_attr(feature = "serde", serde(serialize_with = "ser_file"))]
    pub file: ElementaryFile,
    /// Outcome.
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub status: FileStatus,
    /// Exact bytes as read (upper-case hex in JSON), when read.
    #[cfg_attr(
        feature = "serde",
        serde(
            serialize_with = "ser_hex_opt",
            skip_serializing_if = "Option::is_none"
        )
    )]
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

/// Which data groups the caller asked for: a requested group that the SOD lists and that was
/// not read makes the document not genuine (a man in the middle can hide a file, see
/// [`Finding::DataGroupNotRead`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct DataGroupRequest {
    /// The groups asked for; `None`: every group the SOD lists.
    pub data_groups: Option<Vec<u8>>,
    /// The face (DG2) was not asked for.
    pub skip_face: bool,
    /// DG3/DG4 (EAC-protected fingerprints and iris) were asked for.
    pub eac_protected: bool,
}

impl Default for DataGroupRequest {
    /// Every group the SOD lists except the EAC-protected DG3 and DG4.
    fn default() -> Self {
        Self {
            data_groups: None,
            skip_face: false,
            eac_protected: false,
        }
    }
}

impl DataGroupRequest {
    /// Only these groups (still without DG3/DG4 unless [`Self::eac_protected`] is set).
    pub fn only(data_groups: Vec<u8>) -> Self {
        Self {
            data_groups: Some(data_groups),
            ..Self::default()
        }
    }

    /// Whether data group `n` was asked for.
    pub fn includes(&self, n: u8) -> bool {
        let listed = self.data_groups.as_ref().is_none_or(|l| l.contains(&n));
        let face = !(self.skip_face && n == 2);
        let eac = self.eac_protected || !(n == 3 || n == 4);
        listed && face && eac
    }
}

/// A set of files that cannot make a document.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum DocumentError {
    /// The same file twice: which copy would be shown and which hashed? Refused.
    #[error("{} appears more than once", .0.name())]
    DuplicateFile(ElementaryFile),
    /// A file name that is not `CardAccess`, `CardSecurity`, `COM`, `SOD` or `DG1`..`DG16`.
    #[error("unknown file name {0:?} (expected CardAccess, CardSecurity, COM, SOD, DG1..DG16)")]
    UnknownFileName(String),
    /// A record marked read without bytes, or with bytes but not marked read.
    #[error("{}: the status and the bytes disagree", .0.name())]
    InconsistentRecord(ElementaryFile),
}

/// A document read from a chip, or rebuilt from its files.
#[derive(Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct Document {
    /// How the session was opened.
    pub access: AccessProtocol,
    /// Which data groups the caller asked for (the verdict holds missing ones against the card).
    pub requested: DataGroupRequest,
    /// Every file, each at most once, in the order read, with its raw bytes.
    files: Vec<FileRecord>,
    /// EF.COM (in JSON: its versions and the data groups it lists, as `DG1` ...).
    #[cfg_attr(feature = "serde", serde(serialize_with = "ser_com"))]
    pub com: Option<EfCom>,
    /// DG1: the MRZ.
    pub dg1: Option<Dg1>,
    /// DG11: additional personal details (passports).
    pub dg11: Option<Dg11>,
    /// DG12: additional document details (passports).
    pub dg12: Option<Dg12>,
    /// DG13: the Vietnamese personal data.
    pub dg13: Option<Dg13>,
    /// DG14: the chip's security infos (Chip Authentication keys, PACEInfos). Not in the
    /// JSON (its raw bytes are, in `files`): the parsed form is the library's, not the schema's.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub dg14: Option<Dg14>,
    /// DG15: the Active Authentication public key. Not in the JSON, as DG14.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub dg15: Option<Dg15>,
    /// The face images of DG2 (format and size; the bytes stay in DG2's raw file).
    pub faces: Vec<FaceSummary>,
    /// Chip Authentication (or PACE-CAM) as it ran during the read. What it proves is decided
    /// by [`Document::verify`], once passive authentication has proven DG14.
    pub chip_authentication_run: ChipAuthRun,
    /// Active Authentication as it ran during the read; trusted only once DG15 is proven.
    pub active_authentication_run: ActiveAuthRun,
    /// Files that were read but did not parse: which, why and where (in JSON
    /// `{ "file", "offset", "error": { "code", "message" } }`). The raw bytes stay in
    /// [`Document::files`]; an error never carries a file's content.
    #[cfg_attr(feature = "serde", serde(serialize_with = "ser_parse_failures"))]
    pub parse_failures: Vec<LdsError>,
}

impl zeroize::Zeroize for Document {
    /// Wipes the personal data: every file's raw bytes and the fields parsed from them (the
    /// MRZ, DG11, DG12, DG13), then empties the document. The verdict inputs that hold no
    /// personal data (access protocol, runs, face sizes) are kept.
    fn zeroize(&mut self) {
        for record in &mut self.files {
            if let Some(raw) = record.raw.as_mut() {
                raw.zeroize();
            }
            record.raw = None;
        }
        self.files.clear();
        if let Some(dg1) = self.dg1.as_mut() {
            dg1.mrz.zeroize();
        }
        self.dg1 = None;
        if let Some(dg11) = self.dg11.as_mut() {
            wipe_dg11(dg11);
        }
        self.dg11 = None;
        if let Some(dg12) = self.dg12.as_mut() {
            wipe_dg12(dg12);
        }
        self.dg12 = None;
        if let Some(dg13) = self.dg13.as_mut() {
            wipe_dg13(dg13);
        }
        self.dg13 = None;
        self.com = None;
        self.dg14 = None;
        self.dg15 = None;
        self.faces.clear();
        self.parse_failures.clear();
    }
}

impl Drop for Document {
    /// A document leaves no personal data in freed memory (Vietnam's decree 13/2023 makes ID
    /// data and biometrics sensitive personal data).
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(self);
    }
}

// The wipes name every field (no `..`): a field added to DG11, DG12 or DG13 breaks the build
// here until it is wiped too.

fn wipe_dg11(d: &mut Dg11) {
    use zeroize::Zeroize;
    let Dg11 {
        full_name,
        other_names,
        personal_number,
        full_date_of_birth,
        place_of_birth,
        permanent_address,
        telephone,
        profession,
        title,
        personal_summary,
        proof_of_citizenship,
        other_td_numbers,
        custody_information,
    } = d;
    for s in [
        full_name,
        personal_number,
        full_date_of_birth,
        place_of_birth,
        permanent_address,
        telephone,
        profession,
        title,
        personal_summary,
        other_td_numbers,
        custody_information,
    ] {
        s.zeroize();
    }
    other_names.zeroize();
    proof_of_citizenship.zeroize();
}

fn wipe_dg12(d: &mut Dg12) {
    use zeroize::Zeroize;
    let Dg12 {
        issuing_authority,
        date_of_issue,
        other_persons,
        endorsements_and_observations,
        tax_or_exit_requirements,
        image_of_front,
        image_of_rear,
        personalisation_time,
        personalisation_system_serial,
    } = d;
    for s in [
        issuing_authority,
        date_of_issue,
        endorsements_and_observations,
        tax_or_exit_requirements,
        personalisation_time,
        personalisation_system_serial,
    ] {
        s.zeroize();
    }
    other_persons.zeroize();
    image_of_front.zeroize();
    image_of_rear.zeroize();
}

fn wipe_dg13(d: &mut Dg13) {
    use zeroize::Zeroize;
    let Dg13 {
        id_number,
        full_name,
        date_of_birth,
        sex,
        nationality,
        ethnicity,
        religion,
        place_of_origin,
        place_of_residence,
        identifying_marks,
        date_of_issue,
        date_of_expiry,
        father_name,
        mother_name,
        spouse_name,
        old_id_number,
        field16,
        unknown,
    } = d;
    for s in [
        id_number,
        full_name,
        date_of_birth,
        sex,
        nationality,
        ethnicity,
        religion,
        place_of_origin,
        place_of_residence,
        identifying_marks,
        date_of_issue,
        date_of_expiry,
        father_name,
        mother_name,
        spouse_name,
        old_id_number,
        field16,
    ] {
        s.zeroize();
    }
    for (_, value) in unknown.iter_mut() {
        value.zeroize();
    }
    unknown.clear();
}

/// One face image of DG2, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FaceSummary {
    /// The compression the record declares.
    pub format: ImageFormat,
    /// Width in pixels, as the record states it.
    pub width: Option<u32>,
    /// Height in pixels, as the record states it.
    pub height: Option<u32>,
    /// Size of the compressed image in bytes.
    pub size: usize,
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
    /// Builds a document from what a session read, parsing each file from the one stored copy
    /// of its bytes. A file that fails to parse is listed in `parse_failures`; a file recorded
    /// twice is [`DocumentError::DuplicateFile`].
    pub fn from_records(
        access: AccessProtocol,
        records: Vec<FileRecord>,
    ) -> Result<Self, DocumentError> {
        for (i, r) in records.iter().enumerate() {
            if (r.status == FileStatus::Read) != r.raw.is_some() {
                return Err(DocumentError::InconsistentRecord(r.file));
            }
            if records.iter().take(i).any(|earlier| earlier.file == r.file) {
                return Err(DocumentError::DuplicateFile(r.file));
            }
        }
        let mut doc = Self {
            access,
            requested: DataGroupRequest::default(),
            files: records,
            com: None,
            dg1: None,
            dg11: None,
            dg12: None,
            dg13: None,
            dg14: None,
            dg15: None,
            faces: Vec::new(),
            chip_authentication_run: ChipAuthRun::NotAttempted,
            active_authentication_run: ActiveAuthRun::NotAttempted,
            parse_failures: Vec::new(),
        };
        doc.parse();
        Ok(doc)
    }

    /// Rebuilds a document from its files by name (`CardAccess`, `CardSecurity`, `COM`, `SOD`,
    /// `DG1` .. `DG16`): the server side of "the phone reads, the server verifies", and
    /// `cccd verify DIR`. The session is [`AccessProtocol::NotRecorded`], and the caller asked
    /// for every group the SOD lists except DG3/DG4 (change [`Document::requested`] otherwise).
    ///
    /// ```
    /// use cccd::document::{Document, DocumentError};
    /// use cccd::ElementaryFile;
    /// let doc = Document::from_files([("DG1", vec![0x61, 0x00]), ("SOD", vec![0x77, 0x00])])?;
    /// assert_eq!(doc.raw(ElementaryFile::Dg(1)), Some(&[0x61, 0x00][..]));
    /// // Two copies of one file: which would be shown, which hashed? Refused.
    /// let twice = Document::from_files([("DG13", vec![1]), ("DG13", vec![2])]);
    /// assert_eq!(twice.unwrap_err(), DocumentError::DuplicateFile(ElementaryFile::Dg(13)));
    /// # Ok::<(), DocumentError>(())
    /// ```
    pub fn from_files<I, N>(files: I) -> Result<Self, DocumentError>
    where
        I: IntoIterator<Item = (N, Vec<u8>)>,
        N: AsRef<str>,
    {
        let records = files
            .into_iter()
            .map(|(name, raw)| {
                let name = name.as_ref();
                ElementaryFile::from_name(name)
                    .map(|file| FileRecord::read(file, raw))
                    .ok_or_else(|| DocumentError::UnknownFileName(name.to_string()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Self::from_records(AccessProtocol::NotRecorded, records)
    }

    /// The same document, with the caller's request recorded.
    pub fn with_requested(mut self, requested: DataGroupRequest) -> Self {
        self.requested = requested;
        self
    }

    /// Every file, each at most once, in the order read.
    pub fn files(&self) -> &[FileRecord] {
        &self.files
    }

    /// What happened to `file`, if the read got to it.
    pub fn status(&self, file: ElementaryFile) -> Option<&FileStatus> {
        self.record(file).map(|r| &r.status)
    }

    fn record(&self, file: ElementaryFile) -> Option<&FileRecord> {
        self.files.iter().find(|r| r.file == file)
    }

    fn parse(&mut self) {
        let mut failures = Vec::new();
        fn keep<T>(failures: &mut Vec<LdsError>, r: Result<T, LdsError>) -> Option<T> {
            r.map_err(|e| failures.push(e)).ok()
        }
        let com = self.raw(ElementaryFile::Com).map(EfCom::parse);
        let dg1 = self.raw(ElementaryFile::Dg(1)).map(Dg1::parse);
        let dg2 = self.raw(ElementaryFile::Dg(2)).map(Dg2::parse);
        let dg11 = self.raw(ElementaryFile::Dg(11)).map(Dg11::parse);
        let dg12 = self.raw(ElementaryFile::Dg(12)).map(Dg12::parse);
        let dg13 = self.raw(ElementaryFile::Dg(13)).map(Dg13::parse);
        let dg14 = self.raw(ElementaryFile::Dg(14)).map(Dg14::parse);
        let dg15 = self.raw(ElementaryFile::Dg(15)).map(Dg15::parse);
        self.com = com.and_then(|r| keep(&mut failures, r));
        self.dg1 = dg1.and_then(|r| keep(&mut failures, r));
        let dg2 = dg2.and_then(|r| keep(&mut failures, r));
        self.dg11 = dg11.and_then(|r| keep(&mut failures, r));
        self.dg12 = dg12.and_then(|r| keep(&mut failures, r));
        self.dg13 = dg13.and_then(|r| keep(&mut failures, r));
        self.dg14 = dg14.and_then(|r| keep(&mut failures, r));
        self.dg15 = dg15.and_then(|r| keep(&mut failures, r));
        self.faces = dg2
            .map(|dg2| {
                dg2.face_images()
                    .iter()
                    .map(|f| FaceSummary {
                        format: f.format,
                        width: f.width,
                        height: f.height,
                        size: f.data.len(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        self.parse_failures = failures;
    }

    /// Passive authentication, the completeness of what was read, the access protocol against
    /// the chip's proven PACE support, the country binding, and chip and active authentication
    /// made "trusted" only where passive authentication proved DG14 / DG15: every finding
    /// typed, `genuine` derived from them in one place ([`Verification`]).
    ///
    /// ```
    /// # #[cfg(feature = "sim")] {
    /// use cccd::access::AccessKey;
    /// use cccd::reader::{ReadOptions, Reader};
    /// use cccd::sim::{Card, Profile, SimTransport};
    /// use cccd::verify::{PaOptions, TrustStore};
    /// let card = Card::new(Profile::Cccd, 3);
    /// let key = AccessKey::can_from_id(&card.persona().id_number)?;
    /// let doc = Reader::new(SimTransport::new(card)).open(&key)?
    ///     .read_document(&ReadOptions::default(), &mut |_| {})?;
    /// let mut trust = TrustStore::new();
    /// trust.add_certificate_der(cccd::sim::sod::csca_certificate().unwrap()).unwrap();
    /// let verdict = doc.verify(&trust, &PaOptions::default().expect_issuing_state("VNM"));
    /// assert!(verdict.genuine, "{:?}", verdict.findings);
    /// # }
    /// # Ok::<(), cccd::Error>(())
    /// ```
    pub fn verify(
        &self,
        trust: &crate::verify::TrustStore,
        options: &crate::verify::PaOptions,
    ) -> Verification {
        let pa = self.verify_passive(trust, options);
        let card_security = self
            .raw(ElementaryFile::CardSecurity)
            .map(|raw| crate::verify::verify_card_security(raw, trust, options));
        verdict::judge(self, pa, card_security, options)
    }

    /// The raw bytes of a file, if it was read: the same bytes that were parsed and hashed.
    pub fn raw(&self, file: ElementaryFile) -> Option<&[u8]> {
        self.record(file).and_then(|r| r.raw.as_deref())
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
    /// of `trust`, the hash of every data group read, and the country binding. Without a SOD,
    /// the report says so.
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
pub(crate) fn ser_file<S: serde::Serializer>(f: &ElementaryFile, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&f.name())
}

#[cfg(feature = "serde")]
fn ser_com<S: serde::Serializer>(com: &Option<EfCom>, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeStruct;
    let Some(com) = com else {
        return s.serialize_none();
    };
    let groups: Vec<String> = com
        .data_groups
        .iter()
        .map(|dg| format!("DG{}", dg.number()))
        .collect();
    let unknown: Vec<String> = com
        .unknown_tags
        .iter()
        .map(|t| format!("{t:02X}"))
        .collect();
    let mut st = s.serialize_struct("EfCom", 4)?;
    st.serialize_field("lds_version", &com.lds_version)?;
    st.serialize_field("unicode_version", &com.unicode_version)?;
    st.serialize_field("data_groups", &groups)?;
    st.serialize_field("unknown_tags", &unknown)?;
    st.end()
}

#[cfg(feature = "serde")]
fn ser_sw<S: serde::Serializer>(sw: &u16, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format!("{sw:04X}"))
}

#[cfg(feature = "serde")]
fn ser_parse_failures<S: serde::Serializer>(v: &[LdsError], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::{SerializeSeq, SerializeStruct};
    struct Failure<'a>(&'a LdsError);
    struct Kind<'a>(&'a LdsError);
    impl serde::Serialize for Failure<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut st = s.serialize_struct("ParseFailure", 3)?;
            st.serialize_field("file", &self.0.file.name())?;
            st.serialize_field("offset", &self.0.offset)?;
            st.serialize_field("error", &Kind(self.0))?;
            st.end()
        }
    }
    impl serde::Serialize for Kind<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            verdict::ser_code_message(self.0.code(), &self.0.kind, s)
        }
    }
    let mut seq = s.serialize_seq(Some(v.len()))?;
    for e in v {
        seq.serialize_element(&Failure(e))?;
    }
    seq.end()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests() {
        let all = DataGroupRequest::default();
        assert!(all.includes(1) && all.includes(2) && all.includes(13));
        assert!(!all.includes(3) && !all.includes(4));
        let mut some = DataGroupRequest::only(vec![1, 2, 3]);
        some.skip_face = true;
        assert!(some.includes(1) && !some.includes(2) && !some.includes(3) && !some.includes(13));
        some.eac_protected = true;
        assert!(some.includes(3));
    }

    /// Each wipe leaves every field of its data group empty (what `Drop` relies on before
    /// the memory is freed; tests/wipe_on_drop.rs checks the freed memory itself).
    #[test]
    fn wipes_leave_every_field_empty() {
        let s = || Some("NGUYỄN VĂN A".to_string());
        let mut dg11 = Dg11 {
            full_name: s(),
            other_names: vec!["A".into(), "B".into()],
            personal_number: s(),
            full_date_of_birth: s(),
            place_of_birth: s(),
            permanent_address: s(),
            telephone: s(),
            profession: s(),
            title: s(),
            personal_summary: s(),
            proof_of_citizenship: Some(vec![0xFF; 64]),
            other_td_numbers: s(),
            custody_information: s(),
        };
        wipe_dg11(&mut dg11);
        assert!(dg11 == Dg11::default());
        let mut dg12 = Dg12 {
            issuing_authority: s(),
            date_of_issue: s(),
            other_persons: vec!["C".into()],
            endorsements_and_observations: s(),
            tax_or_exit_requirements: s(),
            image_of_front: Some(vec![0xFF; 64]),
            image_of_rear: Some(vec![0xFF; 64]),
            personalisation_time: s(),
            personalisation_system_serial: s(),
        };
        wipe_dg12(&mut dg12);
        assert!(dg12 == Dg12::default());
        let mut dg13 = Dg13 {
            id_number: s(),
            full_name: s(),
            date_of_birth: s(),
            sex: s(),
            nationality: s(),
            ethnicity: s(),
            religion: s(),
            place_of_origin: s(),
            place_of_residence: s(),
            identifying_marks: s(),
            date_of_issue: s(),
            date_of_expiry: s(),
            father_name: s(),
            mother_name: s(),
            spouse_name: s(),
            old_id_number: s(),
            field16: s(),
            unknown: vec![(20, vec![0xFF; 8])],
        };
        wipe_dg13(&mut dg13);
        assert!(dg13 == Dg13::default());
    }

    #[test]
    fn one_copy_per_file_and_consistent_records() {
        let dg1 = || FileRecord::read(ElementaryFile::Dg(1), vec![0x61, 0x00]);
        assert_eq!(
            Document::from_records(AccessProtocol::Bac, vec![dg1(), dg1()]).unwrap_err(),
            DocumentError::DuplicateFile(ElementaryFile::Dg(1))
        );
        let broken = FileRecord {
            file: ElementaryFile::Sod,
            status: FileStatus::Read,
            raw: None,
        };
        assert_eq!(
            Document::from_records(AccessProtocol::Bac, vec![broken]).unwrap_err(),
            DocumentError::InconsistentRecord(ElementaryFile::Sod)
        );
        assert_eq!(
            Document::from_files([("EF.DG1", vec![])]).unwrap_err(),
            DocumentError::UnknownFileName("EF.DG1".into())
        );
    }

    #[cfg(feature = "sim")]
    #[test]
    fn zeroize_leaves_no_personal_data() {
        use zeroize::Zeroize;
        let card = crate::sim::Card::new(crate::sim::Profile::Cccd, 1);
        let file = |fid: u16| card.files().content(fid).unwrap().to_vec();
        let mut document = Document::from_files([
            ("DG1", file(crate::sim::fs::fid_dg(1))),
            ("DG13", file(crate::sim::fs::fid_dg(13))),
            ("SOD", file(0x011D)),
        ])
        .unwrap();
        let id = &card.persona().id_number;
        assert_eq!(
            document.dg13.as_ref().and_then(|d| d.id_number.as_ref()),
            Some(id)
        );
        assert!(document.dg1.is_some());
        document.zeroize();
        assert!(document.files().is_empty());
        assert!(document.data_groups().is_empty());
        assert!(document.dg1.is_none() && document.dg13.is_none());
        assert!(!format!("{document:?}").contains(id.as_str()));
    }
}
