//! The high-level API a teller application calls: open the card with an access key, read the
//! files EF.COM lists, get a [`Document`].
//!
//! This is the only module that talks to a [`Transport`]; the protocols it drives (BAC, secure
//! messaging) are sans-I/O.
//!
//! ```
//! # #[cfg(feature = "sim")] {
//! use cccd::access::AccessKey;
//! use cccd::reader::{ReadOptions, Reader};
//! use cccd::sim::{Card, Profile, SimTransport};
//!
//! let card = Card::new(Profile::Cccd, 7);
//! let p = card.persona();
//! let key = AccessKey::from_id_and_dates(&p.id_number, &p.date_of_birth.yymmdd(), &p.mrz_expiry())?;
//! let mut session = Reader::new(SimTransport::new(card)).open(&key)?;
//! let document = session.read_document(&ReadOptions::default(), &mut |_| {})?;
//! assert_eq!(document.dg13.as_ref().and_then(|d| d.id_number.clone()).map(|s| s.len()), Some(12));
//! # }
//! # Ok::<(), cccd::Error>(())
//! ```

use crate::access::pace::PaceBinding;
use crate::access::sm::{SecureMessaging, SmError};
use crate::access::AccessKey;
use crate::apdu::{Command, Response, StatusWord};
use crate::crypto::rng::{OsRandom, RandomSource};
use crate::document::{
    AccessProtocol, ActiveAuthRun, ChipAuthRun, DataGroupRequest, Document, FileRecord, FileStatus,
    SkipReason,
};
use crate::error::Error;
use crate::files::{self, ElementaryFile, ReadPlan};
use crate::lds::com::EfCom;
use crate::lds::sod::Sod;
use crate::transport::{Transport, TransportError};

mod access;
mod authenticity;
pub mod danger;

/// Largest plaintext chunk of one READ BINARY whose protected response still fits a short APDU
/// (256 bytes of response data): 223 bytes pad to 224, plus the DO87/DO99/DO8E overhead.
pub const MAX_SHORT_CHUNK: usize = 223;

/// Largest chunk asked for with extended-length APDUs: its protected response (padding, DO87
/// header, DO99, DO8E) stays below the 65536 bytes an extended Le can announce.
pub const MAX_EXTENDED_CHUNK: usize = 0xFF00;

/// The read sizes tried, largest first, when a card refuses a length (`6700`, `6Cxx`, `6B00`
/// inside the file): field reports name chips capped at 231, 192 and 128 bytes.
pub const READ_SIZE_LADDER: [usize; 6] = [MAX_EXTENDED_CHUNK, MAX_SHORT_CHUNK, 192, 128, 64, 32];

pub use crate::files::{MAX_SHORT_ANSWERS, SHORT_ANSWER};

/// The smallest read size the reader learns for a session (the ladder's last rung).
const SMALLEST_READ: usize = match READ_SIZE_LADDER.last() {
    Some(n) => *n,
    None => 1,
};

// A read size the session learns is never one the plan would count as a short answer.
const _: () = assert!(SMALLEST_READ == SHORT_ANSWER);

/// What a refused READ BINARY leads to.
enum Retry {
    /// The card named the length it takes here (`6Cxx`): sent once, then weighed.
    Named(usize),
    /// The next rung of [`READ_SIZE_LADDER`], kept for the session.
    Ladder(usize),
}

/// How often GET RESPONSE (`61xx`, a T=0 link) may be chained for one command before the
/// command fails with the last `61xx`: 64 × 256 bytes covers the largest extended answer.
pub const MAX_GET_RESPONSE: usize = 64;

/// What to read, and how hard to try.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReadOptions {
    /// Data groups to read; `None` reads every one EF.COM lists.
    pub data_groups: Option<Vec<u8>>,
    /// Skip DG2 (the face image, the longest read) when the caller only needs the data.
    pub skip_face: bool,
    /// Also try DG3/DG4 (fingerprints, iris). They need EAC terminal authentication, which this
    /// library does not do, so by default they are recorded as skipped without an APDU.
    pub try_eac_protected: bool,
    /// Read EF.SOD (needed for passive authentication).
    pub read_sod: bool,
    /// How many times one read may re-open the session after a tag loss or a
    /// secure-messaging failure, resuming at the failed offset.
    pub max_resumes: usize,
    /// Use extended-length READ BINARY when the transport says the card takes it.
    pub extended_length: bool,
    /// Run Chip Authentication right after DG14 (clone detection; the rest of the read then
    /// runs under the chip's keys).
    pub chip_authentication: bool,
    /// Run Active Authentication after DG15 (clone detection).
    pub active_authentication: bool,
    /// The Active Authentication challenge, for callers that bind it to a transaction or a
    /// relay check; random when `None`.
    pub active_authentication_challenge: Option<[u8; 8]>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            data_groups: None,
            skip_face: false,
            try_eac_protected: false,
            read_sod: true,
            max_resumes: 3,
            extended_length: true,
            chip_authentication: true,
            active_authentication: true,
            active_authentication_challenge: None,
        }
    }
}

/// Progress of a read, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// The file being read.
    pub file: ElementaryFile,
    /// Bytes of this file read so far.
    pub file_read: usize,
    /// This file's size, once its header has been read.
    pub file_total: Option<usize>,
    /// Bytes read in this session, all files together.
    pub session_read: usize,
}

/// A card before access control.
pub struct Reader<T> {
    transport: T,
    rng: Box<dyn RandomSource>,
    allow_bac_fallback: bool,
}

impl<T: Transport> Reader<T> {
    /// A reader over `transport`, drawing nonces from the operating system.
    pub fn new(transport: T) -> Self {
        Self {
            transport,
            rng: Box::new(OsRandom),
            allow_bac_fallback: false,
        }
    }

    /// Replaces the random source (tests replaying worked examples; feature `internals`, so
    /// an application cannot weaken its nonces by accident).
    #[cfg(feature = "internals")]
    pub fn with_rng(mut self, rng: Box<dyn RandomSource>) -> Self {
        self.rng = rng;
        self
    }

    /// Reads EF.CardAccess, performs access control (PACE when EF.CardAccess offers it, BAC
    /// otherwise) and selects the eMRTD application under secure messaging.
    ///
    /// A key the card refuses is [`Error::WrongAccessKey`]. A failed PACE never falls back to
    /// BAC unless the caller opted in with [`danger::allow_bac_fallback`].
    pub fn open(self, key: &AccessKey) -> Result<Session<T>, Error> {
        let mut session = Session {
            transport: self.transport,
            rng: self.rng,
            key: key.clone(),
            channel: Channel::Plain,
            chunk: MAX_SHORT_CHUNK,
            use_sfi: true,
            card_access: None,
            protocol: AccessProtocol::None,
            bytes_read: 0,
            max_resumes: ReadOptions::default().max_resumes,
            resumes: 0,
            size_learned: false,
            allow_bac_fallback: self.allow_bac_fallback,
            pace: None,
            ca: authenticity::CaState::Idle,
            ca_second_chance: true,
            epoch: 0,
            aa_epoch: None,
            phases: Vec::new(),
            unprotected_status: false,
            card_security: None,
            cam_by_card_security: false,
        };
        session.card_access = session.read_card_access()?;
        session.begin_phase("access control");
        session.authenticate()?;
        Ok(session)
    }
}

/// APDUs and bytes of one phase of a session (access control, each file).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PhaseStats {
    /// What the phase did: `access control`, `COM`, `DG2`, ...
    pub name: String,
    /// Command APDUs sent.
    pub apdus: usize,
    /// Bytes sent.
    pub bytes_sent: usize,
    /// Bytes received.
    pub bytes_received: usize,
    /// Host time spent in the transport.
    pub time: std::time::Duration,
}

enum Channel {
    /// Before access control.
    Plain,
    /// Under secure messaging.
    Secure(SecureMessaging),
    /// Secure messaging failed: the card has dropped its keys.
    Closed,
}

/// An open card: access control done, secure messaging on.
pub struct Session<T> {
    transport: T,
    rng: Box<dyn RandomSource>,
    // Kept to re-open the session after a tag loss; zeroized on drop.
    key: AccessKey,
    channel: Channel,
    chunk: usize,
    use_sfi: bool,
    card_access: Option<Vec<u8>>,
    protocol: AccessProtocol,
    bytes_read: usize,
    max_resumes: usize,
    resumes: usize,
    // Set once the card refused a read size: the ladder never climbs back.
    size_learned: bool,
    // Opt-in through `danger::allow_bac_fallback`.
    allow_bac_fallback: bool,
    // What PACE left for later checks (CAM, and the ID_PICC binding).
    pace: Option<PaceBinding>,
    ca: authenticity::CaState,
    // One re-run of Chip Authentication after a rejected first answer (a corrupted frame).
    ca_second_chance: bool,
    // Incremented at each re-open: clone detection must hold in the last session.
    epoch: u32,
    // The session in which Active Authentication last ran.
    aa_epoch: Option<u32>,
    phases: Vec<PhaseStats>,
    // The last answer under secure messaging was a bare status word (no MAC).
    unprotected_status: bool,
    // EF.CardSecurity as the first PACE session found it (read once, in the master file).
    card_security: Option<FileRecord>,
    // PACE-CAM was judged against EF.CardSecurity's key in this session: DG14 does not redo it.
    cam_by_card_security: bool,
}

impl<T> core::fmt::Debug for Session<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Session")
            .field("protocol", &self.protocol)
            .field("chunk", &self.chunk)
            .finish_non_exhaustive()
    }
}

impl<T: Transport> Session<T> {
    /// The access-control protocol that opened this session.
    pub fn protocol(&self) -> &AccessProtocol {
        &self.protocol
    }

    /// The transport.
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// Gives the transport back.
    pub fn into_transport(self) -> T {
        self.transport
    }

    /// Reads the files EF.COM lists (and the options allow), then EF.SOD and any group the SOD
    /// signs that EF.COM left out (EF.COM is not signed), then parses them. Files the card
    /// refuses or lacks are recorded with their status; a transport or secure-messaging failure
    /// ends the read with an error.
    pub fn read_document(
        &mut self,
        options: &ReadOptions,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<Document, Error> {
        self.max_resumes = options.max_resumes;
        if self.size_learned {
            // The card already refused a larger read: keep what it takes.
        } else if options.extended_length && self.transport.supports_extended_length() {
            self.chunk = self.chunk.max(MAX_EXTENDED_CHUNK);
        } else {
            self.chunk = self.chunk.min(MAX_SHORT_CHUNK);
        }
        let requested = DataGroupRequest {
            data_groups: options.data_groups.clone(),
            skip_face: options.skip_face,
            eac_protected: options.try_eac_protected,
        };
        let mut records = Vec::new();
        if let Some(raw) = &self.card_access {
            records.push(FileRecord::read(ElementaryFile::CardAccess, raw.clone()));
        } else {
            records.push(FileRecord::status(
                ElementaryFile::CardAccess,
                FileStatus::NotPresent { protected: false },
            ));
        }
        if let Some(record) = &self.card_security {
            records.push(record.clone());
        }
        let com_raw = self.read_file(ElementaryFile::Com, progress)?;
        let listed: Vec<u8> = EfCom::parse(&com_raw)
            .map(|com| com.data_groups.iter().map(|dg| dg.number()).collect())
            .unwrap_or_else(|_| (1..=16).collect());
        records.push(FileRecord::read(ElementaryFile::Com, com_raw));
        let wanted: Vec<u8> = match &options.data_groups {
            Some(list) => list.clone(),
            None => listed,
        };
        let mut active_authentication = ActiveAuthRun::NotAttempted;
        self.read_groups(
            wanted,
            &requested,
            options,
            &mut records,
            &mut active_authentication,
            progress,
        )?;
        if options.read_sod {
            let sod = self.read_optional(ElementaryFile::Sod, progress)?;
            // The SOD signs the list that counts: read what it lists and EF.COM did not.
            let signed: Vec<u8> = sod
                .raw
                .as_deref()
                .and_then(|raw| Sod::parse(raw).ok())
                .map(|sod| {
                    sod.lds_security_object
                        .data_group_hashes
                        .iter()
                        .map(|(n, _)| *n)
                        .filter(|n| requested.includes(*n))
                        .collect()
                })
                .unwrap_or_default();
            records.push(sod);
            self.read_groups(
                signed,
                &requested,
                options,
                &mut records,
                &mut active_authentication,
                progress,
            )?;
        }
        // Clone detection must hold for the chip in the field at the end: after a re-open,
        // Chip and Active Authentication run again.
        for _ in 0..=self.max_resumes {
            let epoch = self.epoch;
            if options.chip_authentication && self.ca.needs_retry() {
                if let Some(dg14) = raw_of(&records, 14) {
                    self.chip_authentication(&dg14);
                    if self.ca.needs_retry() && self.resumes < self.max_resumes {
                        // The link failed during Chip Authentication itself, and no file read
                        // is left to re-open the session: re-open it here, then run CA again.
                        self.resumes += 1;
                        self.reopen()?;
                        continue;
                    }
                    self.confirm_chip_authentication()?;
                }
            }
            if options.active_authentication && self.aa_epoch.is_some_and(|e| e != self.epoch) {
                if let Some(dg15) = raw_of(&records, 15) {
                    let dg14 = raw_of(&records, 14);
                    active_authentication =
                        self.run_active_authentication(&dg15, dg14.as_deref(), options)?;
                }
            }
            if epoch == self.epoch && !self.ca.needs_retry() {
                break;
            }
        }
        let chip_authentication = if options.chip_authentication {
            self.chip_authentication_result()
        } else {
            ChipAuthRun::NotAttempted
        };
        let mut doc =
            Document::from_records(self.protocol.clone(), records)?.with_requested(requested);
        doc.chip_authentication_run = chip_authentication;
        doc.active_authentication_run = active_authentication;
        Ok(doc)
    }

    /// Reads the groups of `wanted` not yet attempted: DG14 first, so Chip Authentication
    /// protects the rest of the read, DG15 next; each group once, so passive authentication
    /// sees the bytes the document shows.
    fn read_groups(
        &mut self,
        mut wanted: Vec<u8>,
        requested: &DataGroupRequest,
        options: &ReadOptions,
        records: &mut Vec<FileRecord>,
        active_authentication: &mut ActiveAuthRun,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<(), Error> {
        wanted.sort_by_key(|n| {
            (
                match n {
                    14 => 0,
                    15 => 1,
                    _ => 2,
                },
                *n,
            )
        });
        wanted.dedup();
        for n in wanted {
            let file = ElementaryFile::Dg(n);
            if records.iter().any(|r| r.file == file) {
                continue;
            }
            let status = if requested.skip_face && n == 2 {
                Some(SkipReason::NotRequested)
            } else if !requested.eac_protected && (n == 3 || n == 4) {
                Some(SkipReason::NeedsTerminalAuthentication)
            } else {
                None
            };
            if let Some(reason) = status {
                records.push(FileRecord::status(file, FileStatus::Skipped { reason }));
                continue;
            }
            let record = self.read_optional(file, progress)?;
            if self.ca.needs_retry() {
                if let Some(dg14) = raw_of(records, 14) {
                    self.chip_authentication(&dg14);
                }
            }
            if let Some(raw) = &record.raw {
                if n == 14 && options.chip_authentication {
                    self.chip_authentication(raw);
                }
                if n == 15 && options.active_authentication {
                    let dg14 = raw_of(records, 14);
                    *active_authentication =
                        self.run_active_authentication(raw, dg14.as_deref(), options)?;
                }
            }
            records.push(record);
        }
        Ok(())
    }

    /// Reads one file whole. A missing file is `Error::Card` with `6A82`.
    ///
    /// A refused read size moves down [`READ_SIZE_LADDER`] (or to the length a `6Cxx` names,
    /// when that is the card's limit and not the end of the file) and stays there for the
    /// session; a
    /// tag loss or a secure-messaging failure re-opens the session with the same key and
    /// resumes at the failed offset, at most `max_resumes` times per session.
    pub fn read_file(
        &mut self,
        file: ElementaryFile,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<Vec<u8>, Error> {
        self.begin_phase(&file.name());
        let mut plan = ReadPlan::new(self.chunk);
        loop {
            match self.read_into(file, &mut plan, progress) {
                Ok(()) => return Ok(plan.into_data()),
                Err(e) if is_recoverable(&e) && self.resumes < self.max_resumes => {
                    self.resumes += 1;
                    self.reopen()?;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Reads `file` from `plan.offset()` to its end.
    fn read_into(
        &mut self,
        file: ElementaryFile,
        plan: &mut ReadPlan,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<(), Error> {
        let mut selected = false;
        // A length the card named (`6Cxx`), sent once at this offset.
        let mut named: Option<usize> = None;
        while let Some(planned) = plan.next_le() {
            let once = named.take();
            let le = once.map_or(planned, |n| n.min(planned));
            let offset = plan.offset();
            let resp = if selected {
                self.exchange(&files::read_binary(offset, le))?
            } else if self.use_sfi && offset <= 0xFF {
                let first = self.exchange(&files::read_binary_sfi(file, offset as u8, le))?;
                if matches!(
                    first.sw,
                    StatusWord::INCORRECT_P1P2 | StatusWord::INS_NOT_SUPPORTED
                ) {
                    // The card does not take SFIs in READ BINARY: select, then read by offset.
                    self.use_sfi = false;
                    continue;
                }
                first
            } else {
                self.transmit_checked(&files::select_ef(file), "SELECT")?;
                self.exchange(&files::read_binary(offset, le))?
            };
            // A refused READ BINARY by SFI may not have selected the file: start over.
            match self.refused_read(&resp, le, plan) {
                Some(Retry::Named(n)) => {
                    named = Some(n);
                    continue;
                }
                Some(Retry::Ladder(smaller)) => {
                    self.learn_read_size(smaller, plan);
                    continue;
                }
                None => {}
            }
            selected = true;
            // A `B1` answer carries its bytes in DO'53' (with 9000, or 6282 at the end of the
            // file); an answer without data is a status alone.
            let resp = if files::is_odd_read(offset) && !resp.data.is_empty() {
                let inner = files::unwrap_odd_response(&resp.data)
                    .map_err(|e| Error::File {
                        file,
                        reason: files::PlanError::Header(e),
                    })?
                    .to_vec();
                Response::new(inner, resp.sw)
            } else {
                resp
            };
            self.accept_read(file, plan, resp, progress)?;
            if let Some(n) = once {
                self.learn_named_length(n, offset, plan)?;
            }
        }
        Ok(())
    }

    /// After a read of the `n` bytes a `6Cxx` named at `offset`: what the hint meant.
    ///
    /// ISO 7816-4 §5.1.3 reads 6Cxx as "xx bytes are available", which at the end of a file is
    /// its remaining length, not a limit of the card: learning it for the session would read
    /// DG2 in the few bytes EF.COM had left. A named length that differs from what remained
    /// is the card's limit, learned like a rung of the ladder, but never one below the
    /// ladder's last rung: a chip does not cap reads below that, while a `6C02` from a man in
    /// the middle would otherwise make every later read fetch 2 bytes (thousands of APDUs).
    fn learn_named_length(
        &mut self,
        n: usize,
        offset: usize,
        plan: &mut ReadPlan,
    ) -> Result<(), Error> {
        let Some(total) = plan.total() else {
            // The header is not whole yet: nothing to learn from.
            return Ok(());
        };
        if n == total.saturating_sub(offset) {
            // The rest of the file: an end-of-file answer.
            Ok(())
        } else if n >= SMALLEST_READ {
            self.learn_read_size(n, plan);
            Ok(())
        } else {
            Err(Error::Card {
                command: "READ BINARY",
                sw: StatusWord(0x6C00 | (n & 0xFF) as u16),
            })
        }
    }

    /// The card takes reads of `n` bytes at most: for this file and the rest of the session.
    fn learn_read_size(&mut self, n: usize, plan: &mut ReadPlan) {
        self.chunk = n;
        self.size_learned = true;
        plan.set_chunk(n);
    }

    /// When the card refused `le` as a length, the next read size to try.
    fn refused_read(&self, resp: &Response, le: usize, plan: &ReadPlan) -> Option<Retry> {
        let refused = match resp.sw {
            StatusWord::WRONG_LENGTH => true,
            // 6B00 inside the file (not past its end) is a length the card does not like.
            StatusWord::WRONG_P1P2 => plan.total().is_none_or(|t| plan.offset() < t),
            sw => sw.correct_le().is_some(),
        };
        if !refused {
            return None;
        }
        // 6Cxx names the length the card takes; otherwise the next rung of the ladder.
        let hinted = resp.sw.correct_le().filter(|n| *n < le && *n > 0);
        hinted.map(Retry::Named).or_else(|| {
            READ_SIZE_LADDER
                .iter()
                .copied()
                .find(|n| *n < le)
                .map(Retry::Ladder)
        })
    }

    fn accept_read(
        &mut self,
        file: ElementaryFile,
        plan: &mut ReadPlan,
        resp: Response,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<(), Error> {
        // 6282: end of file reached before Le bytes, data still valid (ISO 7816-4 §11.2.3).
        if !(resp.sw.is_success() || resp.sw == StatusWord::END_OF_FILE) {
            return Err(Error::Card {
                command: "READ BINARY",
                sw: resp.sw,
            });
        }
        plan.push(&resp.data)
            .map_err(|reason| Error::File { file, reason })?;
        self.bytes_read += resp.data.len();
        progress(&Progress {
            file,
            file_read: plan.offset(),
            file_total: plan.total(),
            session_read: self.bytes_read,
        });
        Ok(())
    }

    /// Re-establishes contact and access control after a tag loss (same key, same protocol).
    fn reopen(&mut self) -> Result<(), Error> {
        self.channel = Channel::Plain;
        self.epoch += 1;
        // The chip in the field now may not be the one that proved its key (a tag loss, or a
        // swap): Chip Authentication runs again in the new session before the read ends.
        if self.ca.must_rerun_after_reopen() {
            self.ca = authenticity::CaState::Retry;
        }
        let result = self
            .transport
            .reconnect()
            .map_err(Error::from)
            .and_then(|()| self.authenticate());
        if result.is_err() {
            // Never leave a half-opened session usable in the clear.
            self.channel = Channel::Closed;
        }
        result
    }

    /// How many times this session was re-opened after a tag loss or an SM failure.
    pub fn resumes(&self) -> usize {
        self.resumes
    }

    /// APDUs, bytes and time per phase so far.
    pub fn phases(&self) -> &[PhaseStats] {
        &self.phases
    }

    fn begin_phase(&mut self, name: &str) {
        self.phases.push(PhaseStats {
            name: name.to_string(),
            ..PhaseStats::default()
        });
    }

    fn read_optional(
        &mut self,
        file: ElementaryFile,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<FileRecord, Error> {
        self.unprotected_status = false;
        let result = self.read_file(file, progress);
        // Before secure messaging nothing is protected; under it, a bare status word is not.
        let protected = matches!(self.channel, Channel::Secure(_)) && !self.unprotected_status;
        match result {
            Ok(raw) => Ok(FileRecord::read(file, raw)),
            Err(Error::Card { sw, .. }) if sw == StatusWord::FILE_NOT_FOUND => Ok(
                FileRecord::status(file, FileStatus::NotPresent { protected }),
            ),
            Err(Error::Card { sw, .. })
                if sw == StatusWord::SECURITY_STATUS_NOT_SATISFIED
                    || sw == StatusWord::CONDITIONS_NOT_SATISFIED =>
            {
                Ok(FileRecord::status(
                    file,
                    FileStatus::AccessDenied {
                        sw: sw.0,
                        protected,
                    },
                ))
            }
            Err(e) => Err(e),
        }
    }

    /// EF.CardAccess, read in the clear before the application is selected. Absent means the
    /// card offers no PACE (BAC only).
    fn read_card_access(&mut self) -> Result<Option<Vec<u8>>, Error> {
        // Before access control there is no session to re-open: a loss here is the caller's
        // to retry.
        let max_resumes = std::mem::replace(&mut self.max_resumes, 0);
        let mut received = 0;
        let result = self.read_file(ElementaryFile::CardAccess, &mut |p| {
            received = p.file_read;
        });
        self.max_resumes = max_resumes;
        match result {
            Ok(raw) => Ok(Some(raw)),
            // Only a refusal before any byte means "no EF.CardAccess". A file that stops short
            // of the length its header announced is a broken file, never a reason for BAC.
            Err(Error::Card { sw, .. })
                if received == 0
                    && matches!(sw.0, 0x6A82 | 0x6982 | 0x6986 | 0x6A86 | 0x6B00 | 0x6D00) =>
            {
                // SFI reads may be refused at MF level; never let that decide the protocol.
                self.use_sfi = true;
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// Sends a command (protected when a session is open) and returns the plain response.
    fn exchange(&mut self, cmd: &Command) -> Result<Response, Error> {
        match &mut self.channel {
            Channel::Plain => self.transmit_plain(cmd),
            Channel::Closed => Err(Error::SessionClosed),
            Channel::Secure(sm) => {
                let wrapped = match sm.wrap(cmd) {
                    Ok(w) => w,
                    Err(e) => {
                        self.channel = Channel::Closed;
                        return Err(e.into());
                    }
                };
                let raw = match self.transmit_raw(&wrapped) {
                    Ok(r) => r,
                    Err(e) => {
                        // The card may or may not have seen the command: SSCs can no longer be
                        // trusted to agree.
                        self.channel = Channel::Closed;
                        return Err(e);
                    }
                };
                let Channel::Secure(sm) = &mut self.channel else {
                    return Err(Error::SessionClosed);
                };
                let unwrapped = sm.unwrap(&raw);
                let confirming = self.ca.awaiting_first_response();
                self.settle_chip_authentication(unwrapped.as_ref().map(|_| ()));
                match unwrapped {
                    Ok(plain) => Ok(plain),
                    // A processing error (6A82 file not found, 6982 on DG3) some chips send
                    // without secure messaging: both sides counted the exchange, the session
                    // goes on. Only "absent" and "denied" are taken without a MAC (they can
                    // hide a file, never forge one), never as the answer confirming new keys,
                    // and the file's status records that nothing vouched for them: the verdict
                    // holds a signed group that was not read against the card (see the manual,
                    // "Unprotected status words").
                    Err(SmError::NotProtected(sw))
                        if !confirming
                            && (sw == StatusWord::FILE_NOT_FOUND
                                || sw == StatusWord::SECURITY_STATUS_NOT_SATISFIED) =>
                    {
                        self.unprotected_status = true;
                        Ok(Response::status(sw))
                    }
                    Err(e) => {
                        self.channel = Channel::Closed;
                        Err(e.into())
                    }
                }
            }
        }
    }

    fn transmit_checked(&mut self, cmd: &Command, what: &'static str) -> Result<Response, Error> {
        let resp = self.exchange(cmd)?;
        if resp.sw.is_success() {
            Ok(resp)
        } else {
            Err(Error::Card {
                command: what,
                sw: resp.sw,
            })
        }
    }

    fn transmit_plain(&mut self, cmd: &Command) -> Result<Response, Error> {
        let resp = self.transmit_raw(cmd)?;
        // 6Cxx: the card wants another Le; only meaningful for plain commands.
        // READ BINARY weighs 6Cxx itself (`read_into`: the end of a file, or the card's limit).
        let is_read = matches!(cmd.ins, 0xB0 | 0xB1);
        match resp.sw.correct_le() {
            Some(le) if cmd.le.is_some() && !is_read => {
                let retry = cmd.clone().with_le(le);
                self.transmit_raw(&retry)
            }
            _ => Ok(resp),
        }
    }

    /// One command on the wire, with `61xx` GET RESPONSE chaining (T=0 readers).
    fn transmit_raw(&mut self, cmd: &Command) -> Result<Response, Error> {
        let mut resp = self.wire(cmd)?;
        let mut rounds = 0;
        while resp.sw.sw1() == 0x61 && rounds < MAX_GET_RESPONSE {
            rounds += 1;
            let le = match resp.sw.sw2() {
                0 => 256,
                n => usize::from(n),
            };
            let more = Command::new(cmd.cla & 0x0C, 0xC0, 0x00, 0x00).with_le(le);
            let next = self.wire(&more)?;
            let mut data = resp.data;
            data.extend_from_slice(&next.data);
            resp = Response::new(data, next.sw);
        }
        Ok(resp)
    }

    /// Sends bytes and counts them in the current phase.
    fn wire(&mut self, cmd: &Command) -> Result<Response, Error> {
        let bytes = cmd.to_bytes()?;
        let start = std::time::Instant::now();
        let result = self.transport.transmit(&bytes);
        if let Some(phase) = self.phases.last_mut() {
            phase.apdus += 1;
            phase.bytes_sent += bytes.len();
            phase.bytes_received += result.as_ref().map_or(0, Vec::len);
            phase.time += start.elapsed();
        }
        Ok(Response::parse(&result?)?)
    }
}

/// Errors after which re-opening the session can help: the tag left the field, the reader
/// timed out, or secure messaging broke (a corrupted frame).
fn is_recoverable(e: &Error) -> bool {
    matches!(
        e,
        Error::Transport(TransportError::CardRemoved | TransportError::Timeout)
            | Error::SecureMessaging(_)
            | Error::SessionClosed
    )
}

/// The bytes of data group `n`, when read.
fn raw_of(records: &[FileRecord], n: u8) -> Option<Vec<u8>> {
    records
        .iter()
        .find(|r| r.file == ElementaryFile::Dg(n))
        .and_then(|r| r.raw.clone())
}
