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

use crate::access::sm::{SecureMessaging, SmError};
use crate::access::{bac, AccessKey};
use crate::apdu::{Command, Response, StatusWord};
use crate::crypto::rng::{OsRandom, RandomSource};
use crate::document::{AccessProtocol, Document, FileRecord, FileStatus};
use crate::error::Error;
use crate::files::{self, ElementaryFile, ReadPlan};
use crate::lds::com::EfCom;
use crate::transport::Transport;

/// Largest plaintext chunk of one READ BINARY whose protected response still fits a short APDU
/// (256 bytes of response data): 223 bytes pad to 224, plus the DO87/DO99/DO8E overhead.
pub const MAX_SHORT_CHUNK: usize = 223;

/// How often GET RESPONSE (`61xx`) may be chained for one command before we give up.
const MAX_GET_RESPONSE: usize = 64;

/// What to read.
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
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            data_groups: None,
            skip_face: false,
            try_eac_protected: false,
            read_sod: true,
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
}

impl<T: Transport> Reader<T> {
    /// A reader over `transport`, drawing nonces from the operating system.
    pub fn new(transport: T) -> Self {
        Self {
            transport,
            rng: Box::new(OsRandom),
        }
    }

    /// Replaces the random source (tests replaying worked examples).
    pub fn with_rng(mut self, rng: Box<dyn RandomSource>) -> Self {
        self.rng = rng;
        self
    }

    /// Reads EF.CardAccess, selects the eMRTD application and performs access control.
    ///
    /// A key the card refuses is [`Error::WrongAccessKey`].
    pub fn open(self, key: &AccessKey) -> Result<Session<T>, Error> {
        let mut session = Session {
            transport: self.transport,
            rng: self.rng,
            channel: Channel::Plain,
            chunk: MAX_SHORT_CHUNK,
            use_sfi: true,
            card_access: None,
            protocol: AccessProtocol::None,
            bytes_read: 0,
        };
        session.card_access = session.read_card_access()?;
        session.transmit_checked(&files::select_application(), "SELECT application")?;
        match key {
            AccessKey::Mrz(mrz) => session.run_bac(&mrz.mrz_information())?,
            _ => {
                return Err(Error::Unsupported(
                    "a CAN needs PACE, which this build does not do yet",
                ))
            }
        }
        Ok(session)
    }
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
    channel: Channel,
    chunk: usize,
    use_sfi: bool,
    card_access: Option<Vec<u8>>,
    protocol: AccessProtocol,
    bytes_read: usize,
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

    /// Reads the files EF.COM lists (and the options allow), then parses them. Files the card
    /// refuses or lacks are recorded with their status; a transport or secure-messaging failure
    /// ends the read with an error.
    pub fn read_document(
        &mut self,
        options: &ReadOptions,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<Document, Error> {
        let mut records = Vec::new();
        if let Some(raw) = &self.card_access {
            records.push(FileRecord::read(ElementaryFile::CardAccess, raw.clone()));
        } else {
            records.push(FileRecord::status(
                ElementaryFile::CardAccess,
                FileStatus::NotPresent,
            ));
        }
        let com_raw = self.read_file(ElementaryFile::Com, progress)?;
        let listed: Vec<u8> = EfCom::parse(&com_raw)
            .map(|com| com.data_groups.iter().map(|dg| dg.number()).collect())
            .unwrap_or_else(|_| (1..=16).collect());
        records.push(FileRecord::read(ElementaryFile::Com, com_raw));
        let wanted: Vec<u8> = match &options.data_groups {
            Some(list) => list.clone(),
            None => listed.clone(),
        };
        for n in wanted {
            let file = ElementaryFile::Dg(n);
            let status = if options.skip_face && n == 2 {
                Some(FileStatus::Skipped("not requested".into()))
            } else if !options.try_eac_protected && (n == 3 || n == 4) {
                Some(FileStatus::Skipped(
                    "needs EAC terminal authentication".into(),
                ))
            } else {
                None
            };
            if let Some(status) = status {
                records.push(FileRecord::status(file, status));
                continue;
            }
            records.push(self.read_optional(file, progress)?);
        }
        if options.read_sod {
            records.push(self.read_optional(ElementaryFile::Sod, progress)?);
        }
        Ok(Document::from_records(self.protocol.clone(), records))
    }

    /// Reads one file whole. A missing file is `Error::Card` with `6A82`.
    pub fn read_file(
        &mut self,
        file: ElementaryFile,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<Vec<u8>, Error> {
        let mut plan = ReadPlan::new(self.chunk);
        let first_le = plan.next_le().unwrap_or(self.chunk);
        let first = if self.use_sfi {
            self.exchange(&files::read_binary_sfi(file, 0, first_le))?
        } else {
            self.transmit_checked(&files::select_ef(file), "SELECT")?;
            self.exchange(&files::read_binary(0, first_le))?
        };
        let first = match first.sw {
            // The card does not take SFIs in READ BINARY: select, then read by offset.
            StatusWord::INCORRECT_P1P2 | StatusWord::WRONG_P1P2 | StatusWord::INS_NOT_SUPPORTED
                if self.use_sfi =>
            {
                self.use_sfi = false;
                self.transmit_checked(&files::select_ef(file), "SELECT")?;
                self.exchange(&files::read_binary(0, first_le))?
            }
            _ => first,
        };
        self.accept_read(file, &mut plan, first, progress)?;
        while let Some(le) = plan.next_le() {
            let offset = plan.offset();
            let resp = self.exchange(&files::read_binary(offset, le))?;
            let resp = if offset > files::MAX_B0_OFFSET && resp.sw.is_success() {
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
            self.accept_read(file, &mut plan, resp, progress)?;
        }
        Ok(plan.into_data())
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

    fn read_optional(
        &mut self,
        file: ElementaryFile,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<FileRecord, Error> {
        match self.read_file(file, progress) {
            Ok(raw) => Ok(FileRecord::read(file, raw)),
            Err(Error::Card { sw, .. }) if sw == StatusWord::FILE_NOT_FOUND => {
                Ok(FileRecord::status(file, FileStatus::NotPresent))
            }
            Err(Error::Card { sw, .. })
                if sw == StatusWord::SECURITY_STATUS_NOT_SATISFIED
                    || sw == StatusWord::CONDITIONS_NOT_SATISFIED =>
            {
                Ok(FileRecord::status(file, FileStatus::AccessDenied(sw.0)))
            }
            Err(e) => Err(e),
        }
    }

    /// EF.CardAccess, read in the clear before the application is selected. Absent means the
    /// card offers no PACE (BAC only).
    fn read_card_access(&mut self) -> Result<Option<Vec<u8>>, Error> {
        match self.read_file(ElementaryFile::CardAccess, &mut |_| {}) {
            Ok(raw) => Ok(Some(raw)),
            Err(Error::Card { sw, .. })
                if matches!(sw.0, 0x6A82 | 0x6982 | 0x6986 | 0x6A86 | 0x6B00 | 0x6D00) =>
            {
                // SFI reads may be refused at MF level; never let that decide the protocol.
                self.use_sfi = true;
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    fn run_bac(&mut self, mrz_information: &[u8]) -> Result<(), Error> {
        let (cmd, state) = bac::start(mrz_information);
        let resp = self.transmit_plain(&cmd)?;
        let (cmd, state) = state.handle(&resp, self.rng.as_mut())?;
        let resp = self.transmit_plain(&cmd)?;
        let sm = state.handle(&resp)?;
        self.channel = Channel::Secure(sm);
        self.protocol = AccessProtocol::Bac;
        Ok(())
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
                match sm.unwrap(&raw) {
                    Ok(plain) => Ok(plain),
                    // A processing error (6A82 file not found, 6982 on DG3) some chips send
                    // without secure messaging: both sides counted the exchange, the session
                    // goes on. Only 6987/6988 mean the chip dropped its keys.
                    Err(SmError::NotProtected(sw))
                        if sw != StatusWord::SM_DATA_MISSING
                            && sw != StatusWord::SM_DATA_INCORRECT =>
                    {
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
        match resp.sw.correct_le() {
            Some(le) if cmd.le.is_some() => {
                let retry = cmd.clone().with_le(le);
                self.transmit_raw(&retry)
            }
            _ => Ok(resp),
        }
    }

    /// One command on the wire, with `61xx` GET RESPONSE chaining (T=0 readers).
    fn transmit_raw(&mut self, cmd: &Command) -> Result<Response, Error> {
        let bytes = self.transport.transmit(&cmd.to_bytes()?)?;
        let mut resp = Response::parse(&bytes)?;
        let mut rounds = 0;
        while resp.sw.sw1() == 0x61 && rounds < MAX_GET_RESPONSE {
            rounds += 1;
            let le = match resp.sw.sw2() {
                0 => 256,
                n => usize::from(n),
            };
            let more = Command::new(cmd.cla & 0x0C, 0xC0, 0x00, 0x00).with_le(le);
            let next = Response::parse(&self.transport.transmit(&more.to_bytes()?)?)?;
            let mut data = resp.data;
            data.extend_from_slice(&next.data);
            resp = Response::new(data, next.sw);
        }
        Ok(resp)
    }
}
