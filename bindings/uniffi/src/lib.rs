//! # cccd-uniffi: `cccd` for Kotlin, Swift and Python
//!
//! Mobile eKYC apps own the NFC session (Android `IsoDep.transceive`, iOS
//! `NFCISO7816Tag.sendCommand`); back offices script in Python. This crate gives them the
//! library's small public API through [UniFFI](https://mozilla.github.io/uniffi-rs/) (proc-macro
//! mode, namespace `cccd`):
//!
//! - [`CardTransport`], implemented by the host: one APDU in, its response out, and a
//!   power-cycle ([`CardTransport::reconnect`]);
//! - [`read_card`] opens the card with an [`AccessKey`], reads it and judges it into a typed
//!   [`Document`] (with the face image bytes and, when trust sources are given, the
//!   [`Verification`]); [`ReadProgress`] and [`CancelHandle`] for a teller's progress bar and
//!   Cancel button;
//! - [`verify_dump`] verifies files read elsewhere (a phone's upload, a saved dump);
//! - [`SimulatedCard`], the library's simulated chip, for hosts' own tests;
//! - every failure is a [`CccdError`] variant (an exception in Kotlin, Swift and Python) with the
//!   library's stable code; a card that was read but is not genuine is a `Document` whose
//!   verdict says why, never an exception.
//!
//! The generated Kotlin, Swift and Python sources are committed under `generated/`;
//! `tests/generated.rs` fails when they are stale
//! (`CCCD_BLESS_GENERATED=1 cargo test -p cccd-uniffi --test generated` rewrites them).
//!
//! Secrets: the access key's text is wiped when the [`AccessKey`] is dropped and never appears
//! in an error; no type here prints personal data through `Debug`.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    warn(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)
)]

use std::collections::HashMap;
use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use cccd::document::{ChipAuthVerdict, FindingKind as LibFindingKind};
use cccd::reader::{Progress, Reader};
use cccd::report::Report;
use cccd::request::{RequestError, SourceWarning, TrustSources};
use cccd::sim::{Card, Profile, SimTransport};
use cccd::verify::{ChainVerdict, DgHashVerdict, SignatureVerdict};
use cccd::{Transport, TransportError};
use zeroize::Zeroizing;

uniffi::setup_scaffolding!("cccd");

/// Every failure of a read or a verification, by blame. `code` is the library's stable code
/// (`wrong_access_key`, `transport`, `bad_request`, ...), `reason` a sentence without personal
/// data or key material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum CccdError {
    /// The card refused the access key: a wrong CAN or MRZ data, or another card.
    #[error("{code}: {reason}")]
    WrongAccessKey {
        /// The stable code.
        code: String,
        /// Why, in words.
        reason: String,
    },
    /// The card left the field or was pulled from the reader during the read.
    #[error("{code}: {reason}")]
    CardLost {
        /// The stable code.
        code: String,
        /// Why, in words.
        reason: String,
    },
    /// The host's transport failed (a timeout, an I/O error, an exception in `transceive`).
    #[error("{code}: {reason}")]
    Transport {
        /// The stable code.
        code: String,
        /// Why, in words.
        reason: String,
    },
    /// The read was cancelled ([`CancelHandle::cancel`], or the transport answered
    /// [`TransportFailure::Cancelled`]).
    #[error("{code}: {reason}")]
    Cancelled {
        /// The stable code.
        code: String,
        /// Why, in words.
        reason: String,
    },
    /// A malformed argument: an access key, a file name, a date, a simulator profile.
    #[error("{code}: {reason}")]
    InvalidInput {
        /// The stable code.
        code: String,
        /// Why, in words.
        reason: String,
    },
    /// A trust source (a CSCA file, a master list, a CRL) could not be read or used.
    #[error("{code}: {reason}")]
    TrustSource {
        /// The stable code.
        code: String,
        /// Why, in words.
        reason: String,
    },
    /// The card misbehaved or refused a step: a status word, a broken secure-messaging MAC,
    /// a PACE or BAC failure, an unsupported protocol.
    #[error("{code}: {reason}")]
    Card {
        /// The stable code.
        code: String,
        /// Why, in words.
        reason: String,
    },
    /// A bug caught at the boundary (a panic): report it.
    #[error("{code}: {reason}")]
    Internal {
        /// The stable code.
        code: String,
        /// Why, in words.
        reason: String,
    },
}

/// Methods every variant has (Kotlin and Swift: on the base type; Python: on every exception).
#[uniffi::export]
impl CccdError {
    /// The exit code the CLI and the C ABI return for this failure (`cccd::report::exit`): 3 for
    /// a wrong key, 2 for a malformed input, 1 otherwise. A host that already speaks the C ABI's
    /// codes (a teller application's logs, a script) keeps them.
    pub fn exit_code(&self) -> i32 {
        use cccd::report::exit;
        match self {
            Self::WrongAccessKey { .. } => exit::WRONG_KEY,
            Self::InvalidInput { .. } => exit::USAGE,
            _ => exit::FAILURE,
        }
    }

    /// The error as the JSON the CLI (`cccd read --json`) and the C ABI print:
    /// `{"schema", "error": {"code", "message"}, "exit_code"}`, so a host forwards one format
    /// whichever binding produced it.
    pub fn to_json(&self) -> String {
        let (code, reason) = self.parts();
        cccd::report::ErrorReport::new(code, reason, self.exit_code()).to_json()
    }
}

impl CccdError {
    fn parts(&self) -> (&str, &str) {
        match self {
            Self::WrongAccessKey { code, reason }
            | Self::CardLost { code, reason }
            | Self::Transport { code, reason }
            | Self::Cancelled { code, reason }
            | Self::InvalidInput { code, reason }
            | Self::TrustSource { code, reason }
            | Self::Card { code, reason }
            | Self::Internal { code, reason } => (code, reason),
        }
    }

    fn cancelled() -> Self {
        Self::Cancelled {
            code: "cancelled".into(),
            reason: "the read was cancelled".into(),
        }
    }

    fn internal() -> Self {
        Self::Internal {
            code: "internal".into(),
            reason: "internal error: a panic was caught at the binding's boundary".into(),
        }
    }

    fn invalid(code: &str, reason: impl ToString) -> Self {
        Self::InvalidInput {
            code: code.into(),
            reason: reason.to_string(),
        }
    }
}

impl From<&cccd::Error> for CccdError {
    fn from(e: &cccd::Error) -> Self {
        let code = e.code().to_string();
        let reason = e.to_string();
        match e {
            cccd::Error::WrongAccessKey => Self::WrongAccessKey { code, reason },
            cccd::Error::Transport(TransportError::CardRemoved) => Self::CardLost { code, reason },
            cccd::Error::Transport(_) => Self::Transport { code, reason },
            cccd::Error::Key(_) => Self::InvalidInput { code, reason },
            _ => Self::Card { code, reason },
        }
    }
}

impl From<&RequestError> for CccdError {
    fn from(e: &RequestError) -> Self {
        let code = e.code().to_string();
        let reason = e.to_string();
        match e.code() {
            "trust_source" | "io" => Self::TrustSource { code, reason },
            _ => Self::InvalidInput { code, reason },
        }
    }
}

/// How a host's transport failed, returned from [`CardTransport`]'s methods.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum TransportFailure {
    /// The card left the field (Android `TagLostException`, iOS tag connection lost, PC/SC
    /// `SCARD_W_REMOVED_CARD`): the read resumes after a reconnect, or ends with
    /// [`CccdError::CardLost`].
    #[error("card removed: {reason}")]
    CardRemoved {
        /// Why, in words (no APDU content).
        reason: String,
    },
    /// The card did not answer in time.
    #[error("timed out: {reason}")]
    Timeout {
        /// Why, in words.
        reason: String,
    },
    /// The host cancels the read.
    #[error("cancelled")]
    Cancelled,
    /// Any other failure; also what an unexpected exception in the host's method becomes.
    #[error("transport failure: {reason}")]
    Failed {
        /// Why, in words.
        reason: String,
    },
}

impl From<uniffi::UnexpectedUniFFICallbackError> for TransportFailure {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        Self::Failed {
            reason: format!("unexpected error in the host's transport: {}", e.reason),
        }
    }
}

/// The card's channel, implemented by the host: Android `IsoDep`, iOS `NFCISO7816Tag`, a
/// PC/SC reader (Python `pyscard`), or [`SimulatedCard`] in tests. Calls come from the thread
/// that called [`read_card`], one at a time.
#[uniffi::export(foreign)]
pub trait CardTransport: Send + Sync {
    /// Sends one command APDU and returns the response: its data and SW1 SW2.
    fn transceive(&self, apdu: Vec<u8>) -> Result<Vec<u8>, TransportFailure>;

    /// Re-establishes contact with the card: power-cycle it (PC/SC `SCardReconnect` with
    /// `SCARD_UNPOWER_CARD`; Android `IsoDep.close()` then `connect()`; iOS: restart polling
    /// and connect to the tag again). Called before the first APDU of each read (a previous
    /// read may have left the chip in its secure-messaging session) and after a tag loss, to
    /// resume the read where it stopped. A host that cannot returns
    /// [`TransportFailure::Failed`]: the read then goes on as the card is.
    fn reconnect(&self) -> Result<(), TransportFailure>;
}

/// Progress of a read, for a progress bar; called on the reading thread between APDUs.
#[uniffi::export(foreign)]
pub trait ReadProgress: Send + Sync {
    /// `file` is being read (`"DG2"`): `file_read` bytes so far of `file_total` (unknown until
    /// its header is read), `session_read` bytes in the whole read.
    fn on_progress(&self, file: String, file_read: u64, file_total: Option<u64>, session_read: u64);
}

/// A teller's Cancel button: [`CancelHandle::cancel`] from any thread stops the read before
/// its next APDU with [`CccdError::Cancelled`].
#[derive(uniffi::Object, Default)]
pub struct CancelHandle {
    cancelled: AtomicBool,
}

#[uniffi::export]
impl CancelHandle {
    /// A handle not yet cancelled.
    #[uniffi::constructor]
    pub fn new() -> Self {
        Self::default()
    }

    /// Cancels the reads that use this handle; it stays cancelled.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::SeqCst);
    }

    /// Whether [`CancelHandle::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::SeqCst)
    }
}

/// The key that opens the chip. The CCCD has no printed CAN: its CAN is the last 6 digits of
/// the 12-digit ID number ([`AccessKey::from_id_number`]). Its text is wiped on drop.
#[derive(uniffi::Object)]
pub struct AccessKey {
    key: cccd::AccessKey,
}

#[uniffi::export]
impl AccessKey {
    /// PACE with the CAN of a 12-digit CCCD ID number (its last 6 digits).
    #[uniffi::constructor]
    pub fn from_id_number(id_number: String) -> Result<Self, CccdError> {
        let id = Zeroizing::new(id_number);
        key(cccd::AccessKey::can_from_id(&id))
    }

    /// The MRZ key (PACE-MRZ or BAC) from the 12-digit ID number and the dates `YYMMDD` as
    /// printed (`date_of_expiry` `<<<<<<` when the card has none).
    #[uniffi::constructor]
    pub fn from_id_and_dates(
        id_number: String,
        date_of_birth: String,
        date_of_expiry: String,
    ) -> Result<Self, CccdError> {
        let (id, dob, doe) = (
            Zeroizing::new(id_number),
            Zeroizing::new(date_of_birth),
            Zeroizing::new(date_of_expiry),
        );
        key(cccd::AccessKey::from_id_and_dates(&id, &dob, &doe))
    }

    /// A card access number (6 digits).
    #[uniffi::constructor]
    pub fn from_can(can: String) -> Result<Self, CccdError> {
        let can = Zeroizing::new(can);
        key(cccd::AccessKey::can(&can))
    }

    /// The MRZ as printed (TD1 or TD3), lines separated by newlines or not.
    #[uniffi::constructor]
    pub fn from_mrz(mrz: String) -> Result<Self, CccdError> {
        let mrz = Zeroizing::new(mrz);
        key(cccd::AccessKey::from_mrz(&mrz))
    }

    /// The text of the card's QR code: PACE with the CAN of its ID number.
    #[uniffi::constructor]
    pub fn from_qr(qr: String) -> Result<Self, CccdError> {
        let qr = Zeroizing::new(qr);
        key(cccd::access::key::QrData::parse(&qr).and_then(|q| q.can()))
    }
}

fn key(k: Result<cccd::AccessKey, cccd::access::key::KeyError>) -> Result<AccessKey, CccdError> {
    k.map(|key| AccessKey { key })
        .map_err(|e| CccdError::invalid("access_key", format!("access key: {e}")))
}

/// Where trust comes from (the CLI's `--trust`, `--ml-signer-root`, `--crl`, `--at`,
/// `--issuing-state`): files and directories on the host.
#[derive(uniffi::Record, Clone, Default)]
pub struct TrustOptions {
    /// CSCA certificates, directories of them, LDIF files and ICAO master lists. Without any,
    /// a read computes no verdict.
    #[uniffi(default)]
    pub trust: Vec<String>,
    /// Roots that must have signed a master list's signer.
    #[uniffi(default)]
    pub ml_signer_roots: Vec<String>,
    /// CRLs to check the Document Signer against.
    #[uniffi(default)]
    pub crls: Vec<String>,
    /// The date to judge validity at, `YYYY-MM-DD` (default: now).
    #[uniffi(default)]
    pub at: Option<String>,
    /// The issuing state to bind (ICAO three-letter code, or `any`); default: `VNM` for a read,
    /// DG1's own state for a dump.
    #[uniffi(default)]
    pub issuing_state: Option<String>,
}

impl TrustOptions {
    fn sources(&self) -> TrustSources {
        let paths = |v: &[String]| v.iter().map(PathBuf::from).collect::<Vec<_>>();
        let mut t = TrustSources::default();
        t.trust = paths(&self.trust);
        t.ml_signer_roots = paths(&self.ml_signer_roots);
        t.crls = paths(&self.crls);
        t.at.clone_from(&self.at);
        t.issuing_state.clone_from(&self.issuing_state);
        t
    }
}

/// What to read, and how to judge it.
#[derive(uniffi::Record, Clone, Default)]
pub struct ReadOptions {
    /// Trust sources; with none, the document has no verdict.
    #[uniffi(default)]
    pub trust: TrustOptions,
    /// Do not read DG2 (the face image): a faster read when the photo is not needed.
    #[uniffi(default)]
    pub skip_face: bool,
    /// Read only these data groups (default: every one EF.COM and the SOD list).
    #[uniffi(default)]
    pub data_groups: Option<Vec<u8>>,
    /// The transport carries extended-length APDUs (Android:
    /// `IsoDep.isExtendedLengthApduSupported()`), so large files come in fewer exchanges.
    #[uniffi(default)]
    pub extended_length: bool,
}

/// One reason for a verdict, or one warning: a stable code and a sentence.
#[derive(uniffi::Record, Clone, PartialEq, Eq)]
pub struct Issue {
    /// A stable code for programs (`data_group_hash_mismatch`, `chip_authentication_failed`).
    pub code: String,
    /// The reason in words, without personal data.
    pub message: String,
}

/// What a finding puts in doubt.
#[derive(uniffi::Enum, Clone, Copy, PartialEq, Eq, Debug)]
pub enum FindingKind {
    /// Worth knowing; the verdict stands.
    Info,
    /// The chip or the session is not proven (a clone, a downgraded session).
    Chip,
    /// The data is not proven authentic and complete.
    Data,
}

/// One reason the verdict is what it is.
#[derive(uniffi::Record, Clone, PartialEq, Eq)]
pub struct Finding {
    /// A stable code (`data_group_hash_mismatch`, `chip_authentication_failed`, ...).
    pub code: String,
    /// What it puts in doubt.
    pub kind: FindingKind,
    /// The reason in words.
    pub message: String,
}

/// One data group's hash against the SOD.
#[derive(uniffi::Record, Clone, PartialEq, Eq)]
pub struct DataGroupHash {
    /// `DG1`, `DG2`, ...
    pub file: String,
    /// `valid`, `MISMATCH`, `not read`, `NOT IN SOD`, `not checked`.
    pub verdict: String,
    /// The hash was compared and matches.
    pub valid: bool,
}

/// The verdict on a document, with its parts kept apart: the SOD's signature, the chain to a
/// trusted CSCA, the data-group hashes, and what the chip proved.
#[derive(uniffi::Record, Clone)]
pub struct Verification {
    /// The data is authentic and complete and the chip proved itself in a session that was not
    /// downgraded. From a dump (no chip) this is never true: see `data_authentic`.
    pub genuine: bool,
    /// Every requested data group the SOD signs was read and is proven, by a trusted signer of
    /// the right country.
    pub data_authentic: bool,
    /// The SOD's signature verifies.
    pub signature_valid: bool,
    /// The Document Signer chains to a trusted CSCA.
    pub chain_valid: bool,
    /// Every data group read is listed by the SOD and its hash matches (at least one).
    pub hashes_valid: bool,
    /// The SOD signature's verdict in words.
    pub signature: String,
    /// The chain's verdict in words.
    pub chain: String,
    /// Each data group's hash verdict.
    pub data_groups: Vec<DataGroupHash>,
    /// Chip Authentication proved the chip holds the key of a proven DG14 (clone detection).
    pub chip_authenticated: bool,
    /// What Chip Authentication proves, in words.
    pub chip_authentication: String,
    /// What Active Authentication proves, in words.
    pub active_authentication: String,
    /// The Document Signer's subject.
    pub dsc_subject: Option<String>,
    /// The CSCA that signed the Document Signer.
    pub csca_subject: Option<String>,
    /// Every reason for the verdict, most serious first.
    pub findings: Vec<Finding>,
    /// Deviations accepted leniently (passive authentication, EF.CardSecurity, the trust
    /// sources): they never change the verdict.
    pub warnings: Vec<Issue>,
}

/// The machine-readable zone (DG1), as the chip holds it. Printed, it shows only its shape
/// (see [`Document`]).
#[derive(uniffi::Record, Clone)]
#[uniffi::export(Debug, Display)]
pub struct Mrz {
    /// `ID`, `P<`, `I<` ...
    pub document_code: String,
    /// ICAO three-letter code (`VNM`).
    pub issuing_state: String,
    /// The document number (a CCCD: the last 9 digits of the ID number).
    pub document_number: String,
    /// `YYMMDD`.
    pub date_of_birth: String,
    /// `M`, `F` or `<`.
    pub sex: String,
    /// `YYMMDD`, `<<<<<<` when the card has none.
    pub date_of_expiry: String,
    /// ICAO three-letter code.
    pub nationality: String,
    /// Surname, as the MRZ spells it (no diacritics).
    pub primary_identifier: String,
    /// Given names, as the MRZ spells them.
    pub secondary_identifier: String,
    /// The CCCD's 12-digit ID number from the optional data, when present.
    pub vn_id_number: Option<String>,
    /// The check digits are all right.
    pub check_digits_valid: bool,
    /// The MRZ text.
    pub raw: String,
}

/// DG13: the Vietnamese personal data, with diacritics, dates as the chip holds them
/// (`dd/MM/yyyy`). Printed, it shows only which fields are present (see [`Document`]).
#[derive(uniffi::Record, Clone, Default)]
#[uniffi::export(Debug, Display)]
pub struct PersonalData {
    /// Field 1: the 12-digit ID number.
    pub id_number: Option<String>,
    /// Field 2: the full name (`Trần Quang Đức Khoa`).
    pub full_name: Option<String>,
    /// Field 3: `dd/MM/yyyy`.
    pub date_of_birth: Option<String>,
    /// Field 4: `Nam` or `Nữ`.
    pub sex: Option<String>,
    /// Field 5.
    pub nationality: Option<String>,
    /// Field 6.
    pub ethnicity: Option<String>,
    /// Field 7.
    pub religion: Option<String>,
    /// Field 8: place of origin (2024 cards: place of birth registration).
    pub place_of_origin: Option<String>,
    /// Field 9.
    pub place_of_residence: Option<String>,
    /// Field 10.
    pub identifying_marks: Option<String>,
    /// Field 11: `dd/MM/yyyy`.
    pub date_of_issue: Option<String>,
    /// Field 12: `dd/MM/yyyy`, or text ("Không thời hạn").
    pub date_of_expiry: Option<String>,
    /// Field 13.
    pub father_name: Option<String>,
    /// Field 13.
    pub mother_name: Option<String>,
    /// Field 14.
    pub spouse_name: Option<String>,
    /// Field 15: the old (CMND) ID number.
    pub old_id_number: Option<String>,
    /// Field 16, meaning unconfirmed (a card serial or an old ID).
    pub field16: Option<String>,
}

/// A document read from a chip or rebuilt from a dump.
///
/// Printed (Kotlin `toString()`, Swift `description`/`debugDescription`, Python `str()`/`repr()`),
/// it shows its shape only: the access, the file names and sizes, the face's format, the
/// verdict, never a name, a number, a date or an address. A host's log line `"read $doc"` then
/// leaks no citizen's data (decree 13/2023); the fields themselves are there to be used.
#[derive(uniffi::Record, Clone)]
#[uniffi::export(Debug, Display)]
pub struct Document {
    /// The 12-digit ID number (DG13, else the MRZ's optional data).
    pub id_number: Option<String>,
    /// The full name with its diacritics (DG13), else the MRZ's names.
    pub full_name: Option<String>,
    /// Date of birth: DG13's `dd/MM/yyyy`, else the MRZ's `YYMMDD`.
    pub date_of_birth: Option<String>,
    /// DG13's `Nam` / `Nữ`, else the MRZ's `M` / `F`.
    pub sex: Option<String>,
    /// DG13, when the chip has it.
    pub personal_data: Option<PersonalData>,
    /// DG1, when read.
    pub mrz: Option<Mrz>,
    /// The first face image of DG2, exactly as stored (JPEG or JPEG 2000).
    pub face_image: Option<Vec<u8>>,
    /// `JPEG`, `JPEG 2000`, ... of `face_image`.
    pub face_format: Option<String>,
    /// How the session was opened (`PACE ...`, `BAC`), empty for a dump.
    pub access: String,
    /// The verdict, when trust sources were given (always for [`verify_dump`]).
    pub verification: Option<Verification>,
    /// Every file read, raw, by name (`SOD`, `DG1`, ...): save them for [`verify_dump`].
    pub files: HashMap<String, Vec<u8>>,
    /// Files that were read but did not parse.
    pub parse_failures: Vec<Issue>,
    /// The whole document as the library's JSON (`schema/cccd-document.schema.json`, the same
    /// as `cccd read --json`).
    pub json: String,
}

// Personal data never leaves through Debug or Display: only the shape of each record.
impl fmt::Debug for Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut files: Vec<(&str, usize)> = self
            .files
            .iter()
            .map(|(n, b)| (n.as_str(), b.len()))
            .collect();
        files.sort_unstable();
        f.debug_struct("Document")
            .field("access", &self.access)
            .field("files", &files)
            .field("face_format", &self.face_format)
            .field("face_bytes", &self.face_image.as_ref().map(Vec::len))
            .field("genuine", &self.verification.as_ref().map(|v| v.genuine))
            .field(
                "data_authentic",
                &self.verification.as_ref().map(|v| v.data_authentic),
            )
            .field("parse_failures", &self.parse_failures.len())
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for PersonalData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let present = [
            &self.id_number,
            &self.full_name,
            &self.date_of_birth,
            &self.sex,
            &self.nationality,
            &self.ethnicity,
            &self.religion,
            &self.place_of_origin,
            &self.place_of_residence,
            &self.identifying_marks,
            &self.date_of_issue,
            &self.date_of_expiry,
            &self.father_name,
            &self.mother_name,
            &self.spouse_name,
            &self.old_id_number,
            &self.field16,
        ]
        .iter()
        .filter(|v| v.is_some())
        .count();
        f.debug_struct("PersonalData")
            .field("fields_present", &present)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for Mrz {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mrz")
            .field("document_code", &self.document_code)
            .field("issuing_state", &self.issuing_state)
            .field("check_digits_valid", &self.check_digits_valid)
            .finish_non_exhaustive()
    }
}

/// Display is Debug for the records above: both only show the shape.
macro_rules! display_as_debug {
    ($($t:ty),*) => {$(
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(self, f)
            }
        }
    )*};
}
display_as_debug!(Document, PersonalData, Mrz);

/// Reads a card through the host's `transport` and judges it: opens it with `key`, reads the
/// files EF.COM and the SOD list, runs Chip and Active Authentication and, when
/// `options.trust` names trust sources, passive authentication. Blocks until done: call it off
/// the UI thread. A card that is read but not genuine is a `Document` whose `verification`
/// says why.
#[uniffi::export]
pub fn read_card(
    transport: Arc<dyn CardTransport>,
    key: Arc<AccessKey>,
    options: ReadOptions,
    progress: Option<Arc<dyn ReadProgress>>,
    cancel: Option<Arc<CancelHandle>>,
) -> Result<Document, CccdError> {
    guard(|| read(transport, &key, &options, progress, cancel))
}

/// Verifies files read elsewhere (a phone's upload, a saved dump): `files` by name (`SOD`,
/// `COM`, `DG1`..`DG16`, `CardAccess`, `CardSecurity`). The returned document's
/// `verification` is always present; files alone cannot prove a chip, so judge
/// `data_authentic`.
#[uniffi::export]
pub fn verify_dump(
    files: HashMap<String, Vec<u8>>,
    trust: TrustOptions,
) -> Result<Document, CccdError> {
    guard(|| verify(files, &trust))
}

/// The library's version (`0.1.0`).
#[uniffi::export]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Runs `f`, turning a panic into [`CccdError::Internal`].
fn guard<T>(f: impl FnOnce() -> Result<T, CccdError>) -> Result<T, CccdError> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| Err(CccdError::internal()))
}

/// The host's transport as the library's [`Transport`].
struct HostTransport {
    inner: Arc<dyn CardTransport>,
    extended_length: bool,
    cancel: Option<Arc<CancelHandle>>,
    cancelled: bool,
}

impl HostTransport {
    fn check_cancel(&self) -> Result<(), TransportError> {
        if self.cancelled || self.cancel.as_ref().is_some_and(|c| c.is_cancelled()) {
            return Err(TransportError::Other("cancelled".into()));
        }
        Ok(())
    }

    fn failure(&mut self, f: TransportFailure) -> TransportError {
        match f {
            TransportFailure::CardRemoved { .. } => TransportError::CardRemoved,
            TransportFailure::Timeout { .. } => TransportError::Timeout,
            TransportFailure::Cancelled => {
                self.cancelled = true;
                TransportError::Other("cancelled".into())
            }
            TransportFailure::Failed { reason } => TransportError::Other(reason),
        }
    }
}

impl Transport for HostTransport {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        self.check_cancel()?;
        self.inner
            .transceive(apdu.to_vec())
            .map_err(|f| self.failure(f))
    }

    fn supports_extended_length(&self) -> bool {
        self.extended_length
    }

    fn reconnect(&mut self) -> Result<(), TransportError> {
        self.check_cancel()?;
        self.inner.reconnect().map_err(|f| self.failure(f))
    }
}

fn read(
    transport: Arc<dyn CardTransport>,
    key: &AccessKey,
    options: &ReadOptions,
    progress: Option<Arc<dyn ReadProgress>>,
    cancel: Option<Arc<CancelHandle>>,
) -> Result<Document, CccdError> {
    // Trust sources first: a wrong path fails before the card is touched.
    let trust = if options.trust.trust.is_empty() {
        None
    } else {
        Some(
            options
                .trust
                .sources()
                .load(Some("VNM"))
                .map_err(|e| CccdError::from(&e))?,
        )
    };
    let is_cancelled = |c: &Option<Arc<CancelHandle>>| c.as_ref().is_some_and(|c| c.is_cancelled());
    if is_cancelled(&cancel) {
        return Err(CccdError::cancelled());
    }
    let mut read_options = cccd::ReadOptions::default();
    read_options.skip_face = options.skip_face;
    read_options.data_groups.clone_from(&options.data_groups);
    let mut host = HostTransport {
        inner: transport,
        extended_length: options.extended_length,
        cancel: cancel.clone(),
        cancelled: false,
    };
    // Each read starts on a power-cycled card (a previous read left the chip in its secure
    // messaging session); a host that cannot reconnect says so and the read goes on.
    let _ = host.reconnect();
    let outcome = Reader::new(host).open(&key.key).and_then(|mut session| {
        session.read_document(&read_options, &mut |p: &Progress| {
            if let Some(progress) = &progress {
                progress.on_progress(
                    p.file.name(),
                    p.file_read as u64,
                    p.file_total.map(|t| t as u64),
                    p.session_read as u64,
                );
            }
        })
    });
    let document = match outcome {
        Ok(d) => d,
        Err(cccd::Error::Transport(TransportError::Other(why)))
            if why == "cancelled" || is_cancelled(&cancel) =>
        {
            return Err(CccdError::cancelled())
        }
        Err(e) => return Err(CccdError::from(&e)),
    };
    let verification = trust
        .as_ref()
        .map(|(store, pa, warnings)| (document.verify(store, pa), warnings.as_slice()));
    Ok(document_record(&document, verification))
}

fn verify(files: HashMap<String, Vec<u8>>, trust: &TrustOptions) -> Result<Document, CccdError> {
    if !files.contains_key("SOD") {
        return Err(CccdError::invalid("bad_request", "files: no SOD"));
    }
    let document = cccd::Document::from_files(files)
        .map_err(|e| CccdError::invalid("document", format!("files: {e}")))?;
    let (store, pa, warnings) = trust
        .sources()
        .load(None)
        .map_err(|e| CccdError::from(&e))?;
    let verification = document.verify(&store, &pa);
    Ok(document_record(
        &document,
        Some((verification, warnings.as_slice())),
    ))
}

fn document_record(
    doc: &cccd::Document,
    verification: Option<(cccd::Verification, &[SourceWarning])>,
) -> Document {
    let json = Report::document(doc, verification.as_ref().map(|(v, _)| v)).to_json();
    let personal_data = doc.dg13.as_ref().map(|d| PersonalData {
        id_number: d.id_number.clone(),
        full_name: d.full_name.clone(),
        date_of_birth: d.date_of_birth.clone(),
        sex: d.sex.clone(),
        nationality: d.nationality.clone(),
        ethnicity: d.ethnicity.clone(),
        religion: d.religion.clone(),
        place_of_origin: d.place_of_origin.clone(),
        place_of_residence: d.place_of_residence.clone(),
        identifying_marks: d.identifying_marks.clone(),
        date_of_issue: d.date_of_issue.clone(),
        date_of_expiry: d.date_of_expiry.clone(),
        father_name: d.father_name.clone(),
        mother_name: d.mother_name.clone(),
        spouse_name: d.spouse_name.clone(),
        old_id_number: d.old_id_number.clone(),
        field16: d.field16.clone(),
    });
    let mrz = doc.dg1.as_ref().map(|d| {
        let m = &d.mrz;
        Mrz {
            document_code: m.document_code.clone(),
            issuing_state: m.issuing_state.clone(),
            document_number: m.document_number.clone(),
            date_of_birth: m.date_of_birth.clone(),
            sex: m.sex.clone(),
            date_of_expiry: m.date_of_expiry.clone(),
            nationality: m.nationality.clone(),
            primary_identifier: m.primary_identifier.clone(),
            secondary_identifier: m.secondary_identifier.clone(),
            vn_id_number: m.vn_id_number.clone(),
            check_digits_valid: m.check_digits_valid,
            raw: m.raw.clone(),
        }
    });
    let pd = personal_data.as_ref();
    let mrz_name = mrz.as_ref().map(|m| {
        format!("{} {}", m.primary_identifier, m.secondary_identifier)
            .trim()
            .to_string()
    });
    let face = doc
        .raw(cccd::ElementaryFile::Dg(2))
        .and_then(|raw| cccd::lds::dg2::Dg2::parse(raw).ok())
        .and_then(|dg2| {
            dg2.face_images()
                .first()
                .map(|f| (f.data.clone(), f.format.to_string()))
        })
        .filter(|(data, _)| !data.is_empty());
    let files = doc
        .files()
        .iter()
        .filter_map(|f| f.raw.as_ref().map(|raw| (f.file.name(), raw.clone())))
        .collect();
    Document {
        id_number: doc.id_number().map(str::to_string),
        full_name: pd.and_then(|p| p.full_name.clone()).or(mrz_name),
        date_of_birth: pd
            .and_then(|p| p.date_of_birth.clone())
            .or_else(|| mrz.as_ref().map(|m| m.date_of_birth.clone())),
        sex: pd
            .and_then(|p| p.sex.clone())
            .or_else(|| mrz.as_ref().map(|m| m.sex.clone())),
        personal_data,
        mrz,
        face_format: face.as_ref().map(|(_, f)| f.clone()),
        face_image: face.map(|(d, _)| d),
        access: doc.access.to_string(),
        verification: verification.map(|(v, w)| verification_record(&v, w)),
        files,
        parse_failures: doc
            .parse_failures
            .iter()
            .map(|e| Issue {
                code: e.code().to_string(),
                message: e.to_string(),
            })
            .collect(),
        json,
    }
}

fn verification_record(v: &cccd::Verification, sources: &[SourceWarning]) -> Verification {
    let pa = &v.passive_authentication;
    let data_groups: Vec<DataGroupHash> = pa
        .data_groups
        .iter()
        .map(|(n, h)| DataGroupHash {
            file: format!("DG{n}"),
            verdict: h.to_string(),
            valid: matches!(h, DgHashVerdict::Valid),
        })
        .collect();
    let hashes_valid = data_groups.iter().any(|d| d.valid)
        && pa
            .data_groups
            .iter()
            .all(|(_, h)| matches!(h, DgHashVerdict::Valid | DgHashVerdict::NotRead));
    let issue = |w: &cccd::verify::Warning| Issue {
        code: w.code().to_string(),
        message: w.to_string(),
    };
    let warnings = pa
        .warnings
        .iter()
        .chain(v.card_security.iter().flat_map(|c| c.warnings.iter()))
        .map(issue)
        .chain(sources.iter().map(|s| Issue {
            code: s.warning.code().to_string(),
            message: s.to_string(),
        }))
        .collect();
    Verification {
        genuine: v.genuine,
        data_authentic: v.data_authentic,
        signature_valid: matches!(pa.sod_signature, SignatureVerdict::Valid),
        chain_valid: matches!(pa.chain, ChainVerdict::Valid),
        hashes_valid,
        signature: pa.sod_signature.to_string(),
        chain: pa.chain.to_string(),
        data_groups,
        chip_authenticated: matches!(v.chip_authentication, ChipAuthVerdict::Trusted),
        chip_authentication: v.chip_authentication.to_string(),
        active_authentication: v.active_authentication.to_string(),
        dsc_subject: pa.dsc_subject.clone(),
        csca_subject: pa.csca_subject.clone(),
        findings: v
            .findings
            .iter()
            .map(|f| Finding {
                code: f.code().to_string(),
                kind: match f.kind() {
                    LibFindingKind::Chip => FindingKind::Chip,
                    LibFindingKind::Data => FindingKind::Data,
                    _ => FindingKind::Info,
                },
                message: f.to_string(),
            })
            .collect(),
        warnings,
    }
}

/// The holder of a [`SimulatedCard`], taken from the simulator (not through the chip): the
/// expected values of a host's test.
#[derive(uniffi::Record, Clone)]
pub struct SimulatedPersona {
    /// `cccd`, `cccd-clone`, `bsi`, `passport`.
    pub profile: String,
    /// The 12-digit ID number.
    pub id_number: String,
    /// The CAN (the ID number's last 6 digits on a CCCD).
    pub can: String,
    /// `YYMMDD`.
    pub date_of_birth: String,
    /// `YYMMDD` as the MRZ holds it.
    pub date_of_expiry: String,
    /// The full name with diacritics.
    pub full_name: String,
}

/// A simulated chip (the library's simulator, its own protocol code) for hosts' own tests:
/// wrap it in a [`CardTransport`] of the host's language, the same path as a phone's NFC.
#[derive(uniffi::Object)]
pub struct SimulatedCard {
    transport: Mutex<SimTransport>,
}

#[uniffi::export]
impl SimulatedCard {
    /// A simulated Vietnamese CCCD whose holder (a made-up person) is derived from `seed`.
    #[uniffi::constructor]
    pub fn new(seed: u64) -> Self {
        Self::of(Profile::Cccd, seed)
    }

    /// A simulated card of another profile: `cccd`, `cccd-clone` (the same files with other
    /// chip keys: not genuine), `bsi` (the BSI TR-03105-5 specimen passport, BAC), `passport`.
    #[uniffi::constructor]
    pub fn with_profile(seed: u64, profile: String) -> Result<Self, CccdError> {
        let profile = profile
            .parse::<Profile>()
            .map_err(|_| CccdError::invalid("bad_request", "unknown simulator profile"))?;
        Ok(Self::of(profile, seed))
    }

    /// Answers one command APDU, as a chip would.
    pub fn transceive(&self, apdu: Vec<u8>) -> Result<Vec<u8>, TransportFailure> {
        let mut t = self
            .transport
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        t.transmit(&apdu).map_err(sim_failure)
    }

    /// Power-cycles the simulated chip (ends its session).
    pub fn reconnect(&self) -> Result<(), TransportFailure> {
        let mut t = self
            .transport
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        t.reconnect().map_err(sim_failure)
    }

    /// The card's holder: the expected values of a test.
    pub fn persona(&self) -> SimulatedPersona {
        let t = self
            .transport
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let card = t.card();
        let p = card.persona();
        SimulatedPersona {
            profile: card.profile().to_string(),
            id_number: p.id_number.clone(),
            can: p.can().to_string(),
            date_of_birth: p.date_of_birth.yymmdd(),
            date_of_expiry: p.mrz_expiry(),
            full_name: p.full_name.clone(),
        }
    }
}

impl SimulatedCard {
    fn of(profile: Profile, seed: u64) -> Self {
        Self {
            transport: Mutex::new(SimTransport::new(Card::new(profile, seed))),
        }
    }
}

fn sim_failure(e: TransportError) -> TransportFailure {
    match e {
        TransportError::CardRemoved => TransportFailure::CardRemoved {
            reason: e.to_string(),
        },
        other => TransportFailure::Failed {
            reason: other.to_string(),
        },
    }
}

/// The test CSCA certificate (DER) every simulated card chains to, for a test's trust
/// sources. Never trust it for real cards.
#[uniffi::export]
pub fn simulator_csca_certificate() -> Result<Vec<u8>, CccdError> {
    cccd::sim::sod::csca_certificate()
        .map(<[u8]>::to_vec)
        .map_err(|e| CccdError::Internal {
            code: "internal".into(),
            reason: format!("the simulator's CSCA: {e}"),
        })
}
