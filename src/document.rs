//! What a read produced: every file's raw bytes (passive authentication hashes them) and the
//! parsed data groups.

use crate::files::ElementaryFile;
use crate::lds::com::EfCom;
use crate::lds::dg1::Dg1;
use crate::lds::dg11::Dg11;
use crate::lds::dg12::Dg12;
use crate::lds::dg13::Dg13;
use crate::lds::dg14::Dg14;
use crate::lds::dg15::Dg15;
use crate::lds::dg2::Dg2;
use crate::verify::active::ActiveAuthResult;
use crate::verify::chip::ChipAuthResult;
use crate::verify::{DgHashVerdict, PassiveAuthReport};

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
    /// PACE (ICAO 9303-11 §4.4).
    Pace {
        /// The protocol OID in dotted form.
        oid: String,
        /// Key agreement, mapping and cipher, e.g. `ECDH-GM-AES-128`.
        name: String,
        /// Standardized domain parameter id (13 = brainpoolP256r1).
        parameter_id: u8,
        /// `CAN` or `MRZ`.
        password: String,
    },
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
            password: if can { "CAN" } else { "MRZ" }.into(),
        }
    }
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
    /// DG11: additional personal details (passports).
    pub dg11: Option<Dg11>,
    /// DG12: additional document details (passports).
    pub dg12: Option<Dg12>,
    /// DG13: the Vietnamese personal data.
    pub dg13: Option<Dg13>,
    /// DG14: the chip's security infos (Chip Authentication keys).
    pub dg14: Option<Dg14>,
    /// DG15: the Active Authentication public key.
    pub dg15: Option<Dg15>,
    /// The face images of DG2 (format and size; the bytes stay in DG2's raw file).
    pub faces: Vec<FaceSummary>,
    /// Chip Authentication as it ran: a chip that proved its key is `Unverified` until
    /// [`Document::verify`] finds DG14 proven by passive authentication.
    pub chip_authentication: ChipAuthResult,
    /// Active Authentication as it ran: `Unverified` at best, until [`Document::verify`] finds
    /// DG15 proven by passive authentication.
    pub active_authentication: ActiveAuthResult,
    /// Files that were read but did not parse.
    pub parse_failures: Vec<ParseFailure>,
}

/// One face image of DG2, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FaceSummary {
    /// `JPEG` or `JPEG 2000` (as the record declares it).
    pub format: String,
    /// Width in pixels, as the record states it.
    pub width: Option<u32>,
    /// Height in pixels, as the record states it.
    pub height: Option<u32>,
    /// Size of the compressed image in bytes.
    pub size: usize,
}

/// The verdict on a document: passive authentication plus clone detection, each "trusted"
/// only when the file holding its key (DG14, DG15) is proven by passive authentication.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct Verification {
    /// SOD signature, DSC chain, data-group hashes.
    pub passive_authentication: PassiveAuthReport,
    /// Chip Authentication (or PACE-CAM), with DG14's proof taken into account.
    pub chip_authentication: ChipAuthResult,
    /// Active Authentication, with DG15's proof taken into account.
    pub active_authentication: ActiveAuthResult,
    /// Passive authentication holds, no clone-detection check failed, and at least one of
    /// them proved the chip (when the chip supports either).
    pub genuine: bool,
    /// Why it is not genuine, or what could not be checked, in words.
    pub notes: Vec<String>,
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
            dg11: None,
            dg12: None,
            dg13: None,
            dg14: None,
            dg15: None,
            faces: Vec::new(),
            chip_authentication: ChipAuthResult::NotAttempted,
            active_authentication: ActiveAuthResult::NotAttempted,
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
        if let Some(raw) = doc.raw(ElementaryFile::Dg(11)) {
            let r = Dg11::parse(raw);
            note(
                ElementaryFile::Dg(11),
                r.as_ref().map(|_| ()).map_err(|e| e.to_string()),
            );
            doc.dg11 = r.ok();
        }
        if let Some(raw) = doc.raw(ElementaryFile::Dg(12)) {
            let r = Dg12::parse(raw);
            note(
                ElementaryFile::Dg(12),
                r.as_ref().map(|_| ()).map_err(|e| e.to_string()),
            );
            doc.dg12 = r.ok();
        }
        if let Some(raw) = doc.raw(ElementaryFile::Dg(14)) {
            let r = Dg14::parse(raw);
            note(
                ElementaryFile::Dg(14),
                r.as_ref().map(|_| ()).map_err(|e| e.to_string()),
            );
            doc.dg14 = r.ok();
        }
        if let Some(raw) = doc.raw(ElementaryFile::Dg(15)) {
            let r = Dg15::parse(raw);
            note(
                ElementaryFile::Dg(15),
                r.as_ref().map(|_| ()).map_err(|e| e.to_string()),
            );
            doc.dg15 = r.ok();
        }
        if let Some(raw) = doc.raw(ElementaryFile::Dg(2)) {
            match Dg2::parse(raw) {
                Ok(dg2) => {
                    doc.faces = dg2
                        .face_images()
                        .iter()
                        .map(|f| FaceSummary {
                            format: format!("{:?}", f.format),
                            width: f.width,
                            height: f.height,
                            size: f.data.len(),
                        })
                        .collect();
                }
                Err(e) => note(ElementaryFile::Dg(2), Err(e.to_string())),
            }
        }
        doc.parse_failures = failures;
        doc
    }

    /// Passive authentication, then chip and active authentication made "trusted" only
    /// where passive authentication proved DG14 / DG15.
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
    /// let verdict = doc.verify(&trust, &PaOptions::default());
    /// assert!(verdict.genuine, "{:?}", verdict.notes);
    /// # }
    /// # Ok::<(), cccd::Error>(())
    /// ```
    pub fn verify(
        &self,
        trust: &crate::verify::TrustStore,
        options: &crate::verify::PaOptions,
    ) -> Verification {
        let pa = self.verify_passive(trust, options);
        let proven = |n: u8| {
            pa.is_signature_and_chain_valid()
                && pa
                    .data_groups
                    .iter()
                    .any(|(d, v)| *d == n && *v == DgHashVerdict::Valid)
        };
        // What ran is `Unverified` until passive authentication proves the key's file.
        let chip = match &self.chip_authentication {
            ChipAuthResult::Unverified { .. } if proven(14) => ChipAuthResult::Authenticated,
            other => other.clone(),
        };
        let active = match &self.active_authentication {
            ActiveAuthResult::Unverified { .. } if proven(15) => ActiveAuthResult::Authenticated,
            other => other.clone(),
        };
        let mut notes = Vec::new();
        if !pa.is_genuine() {
            notes.push("passive authentication failed".to_string());
        }
        let chip_failed = matches!(chip, ChipAuthResult::Failed { .. });
        let active_failed = matches!(active, ActiveAuthResult::Failed { .. });
        if chip_failed {
            notes.push(
                "chip authentication FAILED: the chip does not hold DG14's key (clone?)".into(),
            );
        }
        if active_failed {
            notes.push(
                "active authentication FAILED: the chip does not hold DG15's key (clone?)".into(),
            );
        }
        let chip_ok = chip == ChipAuthResult::Authenticated;
        let active_ok = active == ActiveAuthResult::Authenticated;
        // What the signed SOD lists decides whether the chip must prove itself, not what ran:
        // a clone that hides DG14 and DG15 must not pass.
        let listed = |n: u8| {
            pa.data_groups.iter().any(|(d, v)| {
                *d == n && !matches!(v, DgHashVerdict::NotInSod | DgHashVerdict::NotChecked)
            })
        };
        let ran = |c: bool, a: bool| c || a;
        let must_prove_chip = listed(14)
            || listed(15)
            || ran(
                !matches!(
                    chip,
                    ChipAuthResult::NotSupported | ChipAuthResult::NotAttempted
                ),
                !matches!(
                    active,
                    ActiveAuthResult::NotSupported | ActiveAuthResult::NotAttempted
                ),
            );
        if !must_prove_chip {
            notes.push("no clone detection available: a copied chip could pass".into());
        } else if !(chip_ok || active_ok || chip_failed || active_failed) {
            notes.push(
                "clone detection did not prove the chip (not run, or its key not proven)".into(),
            );
        }
        let genuine = pa.is_genuine()
            && !chip_failed
            && !active_failed
            && (!must_prove_chip || chip_ok || active_ok);
        Verification {
            passive_authentication: pa,
            chip_authentication: chip,
            active_authentication: active,
            genuine,
            notes,
        }
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
