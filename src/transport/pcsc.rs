//! PC/SC transport on the `pcsc` crate: the desk reader of a bank teller or a hospital counter.
//!
//! The same code runs on pcsc-lite (Linux, macOS) and on Windows' WinSCard. What differs on a
//! teller's Windows PC is handled here (docs/windows.md): the Smart Card service runs only while
//! a reader is plugged in ([`TransportError::NoService`], and [`PcscTransport::wait_for_card`]
//! waits through it), plug events come from the `\\?PnP?\Notification` pseudo-reader, reader
//! names differ by OS and driver, and a dual reader's SAM slot must not be taken for the card
//! ([`candidate_rank`]).
//!
//! ```no_run
//! use cccd::transport::pcsc::PcscTransport;
//! for name in PcscTransport::list_readers()? {
//!     println!("{name}");
//! }
//! let card = PcscTransport::connect_first_with_card()?;
//! # Ok::<(), cccd::transport::TransportError>(())
//! ```

use super::{Transport, TransportError};
use pcsc::{Card, Context, Protocols, ReaderState, Scope, ShareMode, State};
use std::ffi::CString;
use std::time::{Duration, Instant};

/// The receive buffer: the largest extended response (65536 data bytes + SW) plus the 10 bytes
/// of slack pcsc-lite expects (`MAX_BUFFER_SIZE_EXTENDED` = 65548).
pub const RECEIVE_BUFFER_SIZE: usize = 65_548;

/// A card in a PC/SC reader.
pub struct PcscTransport {
    // Kept alive for as long as the card handle is used.
    _context: Context,
    card: Card,
    /// The name for display (lossy UTF-8).
    reader: String,
    /// The name exactly as the service listed it, to connect again: Windows lists names in the
    /// ANSI code page, which need not be UTF-8.
    reader_raw: CString,
    atr: Vec<u8>,
    buffer: Vec<u8>,
}

impl core::fmt::Debug for PcscTransport {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("PcscTransport")
            .field("reader", &self.reader)
            .field("atr", &hex::encode_upper(&self.atr))
            .finish()
    }
}

fn map_err(e: pcsc::Error) -> TransportError {
    use pcsc::Error as E;
    match e {
        E::RemovedCard | E::ResetCard | E::NoSmartcard | E::UnpoweredCard => {
            TransportError::CardRemoved
        }
        // Windows stops its Smart Card service when the last reader is unplugged: a context
        // made before then answers SCARD_E_SERVICE_STOPPED, a new one SCARD_E_NO_SERVICE until
        // a reader arrives (Microsoft, "What's New in Smart Cards", Windows 8 / Server 2012).
        E::NoService | E::ServiceStopped => TransportError::NoService,
        E::ReaderUnavailable | E::UnknownReader | E::Shutdown => TransportError::ReaderUnavailable,
        E::NoReadersAvailable => TransportError::NoReader(String::new()),
        E::Timeout => TransportError::Timeout,
        // A contactless tag that leaves the field mid-exchange surfaces as a failed exchange
        // before pcscd's next presence poll (every 400 ms) reports it gone: pcscd answers
        // SCARD_E_NOT_TRANSACTED when the driver reports IFD_COMMUNICATION_ERROR (seen with
        // vsmartcard vpcd, tests/pcsc_vpcd.rs). The caller's remedy is the same: reconnect.
        E::UnresponsiveCard | E::CommError | E::CommDataLost | E::NotTransacted => {
            TransportError::CardRemoved
        }
        other => TransportError::Other(other.to_string()),
    }
}

fn context() -> Result<Context, TransportError> {
    Context::establish(Scope::User).map_err(map_err)
}

fn reader_names(ctx: &Context) -> Result<Vec<CString>, TransportError> {
    match ctx.list_readers_owned() {
        Ok(names) => Ok(names),
        Err(pcsc::Error::NoReadersAvailable) => Ok(Vec::new()),
        Err(e) => Err(map_err(e)),
    }
}

impl PcscTransport {
    /// Names of the connected readers.
    pub fn list_readers() -> Result<Vec<String>, TransportError> {
        let ctx = context()?;
        Ok(reader_names(&ctx)?
            .iter()
            .map(|n| n.to_string_lossy().into_owned())
            .collect())
    }

    /// Connects to the reader whose name contains `name` (case-insensitive).
    pub fn connect(name: &str) -> Result<Self, TransportError> {
        let ctx = context()?;
        let wanted = name.to_lowercase();
        let reader = reader_names(&ctx)?
            .into_iter()
            .find(|n| n.to_string_lossy().to_lowercase().contains(&wanted))
            .ok_or_else(|| TransportError::NoReader(format!(" matching {name:?}")))?;
        Self::connect_to(ctx, reader)
    }

    /// Connects to the first reader that holds a card. Readers whose card answers like a
    /// contactless chip go first and SAM slots last (see [`candidate_rank`]), so the SAM of a
    /// dual-slot desk reader is not taken for the ID card.
    pub fn connect_first_with_card() -> Result<Self, TransportError> {
        let ctx = context()?;
        let names = reader_names(&ctx)?;
        if names.is_empty() {
            return Err(TransportError::NoReader(String::new()));
        }
        let mut states: Vec<ReaderState> = names
            .into_iter()
            .map(|n| ReaderState::new(n, State::UNAWARE))
            .collect();
        // Only orders the attempts: without the ATRs the listing order stays.
        let _ = ctx.get_status_change(Duration::ZERO, &mut states);
        let mut last = TransportError::NoCard;
        for reader in ranked(&states, false) {
            match ctx.connect(&reader, ShareMode::Shared, Protocols::ANY) {
                Ok(card) => return Self::from_card(ctx, card, reader),
                Err(e) => {
                    let mapped = map_err(e);
                    last = if mapped == TransportError::CardRemoved {
                        TransportError::NoCard
                    } else {
                        mapped
                    };
                }
            }
        }
        Err(last)
    }

    /// Waits up to `timeout` for a card in the reader whose name contains `name` (or any reader
    /// when `name` is `None`), then connects.
    ///
    /// Made for a teller's desk, where the reader may be plugged in only after the wait began:
    /// the wait also watches the PC/SC plug-and-play pseudo-reader (`\\?PnP?\Notification`) so
    /// a new reader is seen at once, and when the smart-card service is not running (Windows
    /// runs it only while a reader is plugged in) or stops, it establishes a new context and
    /// keeps waiting. At the deadline the error says what was missing: the service
    /// ([`TransportError::NoService`]), a reader ([`TransportError::NoReader`]) or a card
    /// ([`TransportError::NoCard`]).
    pub fn wait_for_card(name: Option<&str>, timeout: Duration) -> Result<Self, TransportError> {
        let deadline = Instant::now() + timeout;
        let wanted = name.map(str::to_lowercase);
        let mut held: Option<Context> = None;
        let mut pnp = true;
        let mut missing;
        loop {
            let ctx = match held.take() {
                Some(ctx) => Ok(ctx),
                None => context(),
            };
            match ctx {
                Ok(ctx) => match wait_round(&ctx, wanted.as_deref(), deadline, &mut pnp) {
                    Ok(Round::Card(reader, card)) => return Self::from_card(ctx, card, reader),
                    Ok(Round::NoReader) => {
                        missing = TransportError::NoReader(
                            name.map_or_else(String::new, |n| format!(" matching {n:?}")),
                        );
                        held = Some(ctx);
                    }
                    Ok(Round::NoCard) => {
                        missing = TransportError::NoCard;
                        held = Some(ctx);
                    }
                    // The service stopped under this context (Windows: the last reader was
                    // unplugged; pcsc-lite: pcscd went away, SCARD_F_COMM_ERROR): only a new
                    // context sees it again.
                    Err(
                        pcsc::Error::NoService
                        | pcsc::Error::ServiceStopped
                        | pcsc::Error::InvalidHandle
                        | pcsc::Error::CommError,
                    ) => {
                        missing = TransportError::NoService;
                        pause_until(deadline, RETRY);
                    }
                    Err(e) => return Err(map_err(e)),
                },
                Err(TransportError::NoService) => {
                    missing = TransportError::NoService;
                    pause_until(deadline, POLL);
                }
                Err(e) => return Err(e),
            }
            if Instant::now() >= deadline {
                return Err(missing);
            }
        }
    }

    fn connect_to(ctx: Context, reader: CString) -> Result<Self, TransportError> {
        let card = ctx
            .connect(&reader, ShareMode::Shared, Protocols::ANY)
            .map_err(|e| match map_err(e) {
                TransportError::CardRemoved => TransportError::NoCard,
                other => other,
            })?;
        Self::from_card(ctx, card, reader)
    }

    fn from_card(ctx: Context, card: Card, reader: CString) -> Result<Self, TransportError> {
        let atr = card
            .status2_owned()
            .map(|s| s.atr().to_vec())
            .unwrap_or_default();
        Ok(Self {
            _context: ctx,
            card,
            reader: reader.to_string_lossy().into_owned(),
            reader_raw: reader,
            atr,
            buffer: vec![0; RECEIVE_BUFFER_SIZE],
        })
    }

    /// The reader's name.
    pub fn reader_name(&self) -> &str {
        &self.reader
    }

    /// The card's answer to reset (contactless readers synthesise one per PC/SC part 3).
    pub fn atr(&self) -> &[u8] {
        &self.atr
    }
}

impl Transport for PcscTransport {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        let response = self
            .card
            .transmit(apdu, &mut self.buffer)
            .map_err(map_err)?;
        if response.len() < 2 {
            // No status word: the card went away mid-answer (seen with vpcd when the virtual
            // card leaves the field; contactless readers do it on a tag loss).
            return Err(TransportError::CardRemoved);
        }
        Ok(response.to_vec())
    }

    fn supports_extended_length(&self) -> bool {
        // PC/SC readers pass extended APDUs through when the card's ATR says it takes them
        // (ISO 7816-4 §8.1.1.2.7, third software function table, bit 7 of its third byte).
        atr_says_extended_length(&self.atr)
    }

    /// Waits up to [`RECONNECT_WAIT`] for the card to be back in the field (a tag lost
    /// mid-read is usually presented again at once), then reconnects with a reset.
    fn reconnect(&mut self) -> Result<(), TransportError> {
        let deadline = Instant::now() + RECONNECT_WAIT;
        loop {
            let attempt = self
                .card
                .reconnect(
                    ShareMode::Shared,
                    Protocols::ANY,
                    pcsc::Disposition::ResetCard,
                )
                .or_else(|_| {
                    // The handle may not survive a removal: connect afresh by name (the name
                    // as listed, not its lossy UTF-8 rendering).
                    let card = self._context.connect(
                        &self.reader_raw,
                        ShareMode::Shared,
                        Protocols::ANY,
                    )?;
                    self.card = card;
                    Ok::<(), pcsc::Error>(())
                });
            match attempt.map_err(map_err) {
                Ok(()) => break,
                Err(TransportError::CardRemoved | TransportError::NoCard)
                    if Instant::now() < deadline =>
                {
                    std::thread::sleep(Duration::from_millis(100));
                }
                Err(e) => return Err(e),
            }
        }
        if let Ok(s) = self.card.status2_owned() {
            self.atr = s.atr().to_vec();
        }
        Ok(())
    }
}

/// How long [`PcscTransport`]'s reconnect waits for a lost card to come back.
pub const RECONNECT_WAIT: Duration = Duration::from_secs(5);

/// The longest single wait for a status change in [`PcscTransport::wait_for_card`] before the
/// reader list and the deadline are looked at again.
const POLL: Duration = Duration::from_millis(500);

/// The pause before [`PcscTransport::wait_for_card`] tries a new context after the service
/// went away under the old one.
const RETRY: Duration = Duration::from_millis(100);

/// Sleeps for `most`, or until `deadline` if that comes first.
fn pause_until(deadline: Instant, most: Duration) {
    let now = Instant::now();
    if now < deadline {
        std::thread::sleep((deadline - now).min(most));
    }
}

/// What one round of [`PcscTransport::wait_for_card`] found.
enum Round {
    Card(CString, Card),
    NoReader,
    NoCard,
}

/// Lists the readers matching `wanted`, connects to the best one holding a card, or else waits
/// for a change (a card, a reader plugged in or out) until `deadline` or [`POLL`].
fn wait_round(
    ctx: &Context,
    wanted: Option<&str>,
    deadline: Instant,
    pnp: &mut bool,
) -> Result<Round, pcsc::Error> {
    let names = match ctx.list_readers_owned() {
        Ok(names) => names,
        Err(pcsc::Error::NoReadersAvailable) => Vec::new(),
        Err(e) => return Err(e),
    };
    let mut states: Vec<ReaderState> = names
        .into_iter()
        .filter(|n| wanted.is_none_or(|w| n.to_string_lossy().to_lowercase().contains(w)))
        .map(|n| ReaderState::new(n, State::UNAWARE))
        .collect();
    let readers = states.len();
    if *pnp {
        states.push(ReaderState::new(pcsc::PNP_NOTIFICATION(), State::UNAWARE));
    }
    status_change(ctx, Duration::ZERO, &mut states, readers, pnp)?;
    for reader in ranked(states.get(..readers).unwrap_or_default(), true) {
        match ctx.connect(&reader, ShareMode::Shared, Protocols::ANY) {
            Ok(card) => return Ok(Round::Card(reader, card)),
            // Gone between the status and the connect (a tag leaving the field): wait on.
            Err(
                pcsc::Error::RemovedCard
                | pcsc::Error::NoSmartcard
                | pcsc::Error::UnresponsiveCard
                | pcsc::Error::UnpoweredCard
                | pcsc::Error::ResetCard,
            ) => {}
            Err(e) => return Err(e),
        }
    }
    let idle = if readers == 0 {
        Round::NoReader
    } else {
        Round::NoCard
    };
    let now = Instant::now();
    if now >= deadline {
        return Ok(idle);
    }
    let wait = (deadline - now).min(POLL);
    if states.is_empty() {
        std::thread::sleep(wait);
    } else {
        for s in &mut states {
            s.sync_current_state();
        }
        status_change(ctx, wait, &mut states, readers, pnp)?;
    }
    Ok(idle)
}

/// `SCardGetStatusChange` for the readers `states[..readers]` and, when `*pnp`, the
/// plug-and-play pseudo-reader after them. A timeout is no error. A service without the
/// pseudo-reader (it reports it UNKNOWN, or refuses the name) gets no more of it: the wait then
/// falls back to looking at the reader list every [`POLL`].
fn status_change(
    ctx: &Context,
    timeout: Duration,
    states: &mut [ReaderState],
    readers: usize,
    pnp: &mut bool,
) -> Result<(), pcsc::Error> {
    if states.is_empty() {
        return Ok(());
    }
    match ctx.get_status_change(timeout, states) {
        Ok(()) | Err(pcsc::Error::Timeout) => {}
        Err(pcsc::Error::UnknownReader) if *pnp => {
            *pnp = false;
            return Ok(());
        }
        Err(e) => return Err(e),
    }
    if *pnp
        && states
            .get(readers)
            .is_some_and(|s| s.event_state().contains(State::UNKNOWN))
    {
        *pnp = false;
    }
    Ok(())
}

/// The readers of `states` to try, best first (a stable sort by [`candidate_rank`]); with
/// `present_only`, only those reporting a card.
fn ranked(states: &[ReaderState], present_only: bool) -> Vec<CString> {
    let mut candidates: Vec<(u8, CString)> = states
        .iter()
        .filter(|s| !present_only || s.event_state().contains(State::PRESENT))
        .map(|s| {
            let name = s.name();
            (
                candidate_rank(&name.to_string_lossy(), s.atr()),
                name.to_owned(),
            )
        })
        .collect();
    candidates.sort_by_key(|(rank, _)| *rank);
    candidates.into_iter().map(|(_, name)| name).collect()
}

/// Where a reader holding a card stands when the caller named no reader: 0 first.
///
/// - 0: the card answers with a contactless ATR ([`is_contactless_atr`]): an ID card or
///   passport on the antenna.
/// - 1: anything else.
/// - 2: the reader's name has the word "SAM": the secure-module slot of a dual reader, which
///   holds a card all day.
///
/// Reader names depend on the platform and the driver, so the ATR decides first. Seen: ACS's
/// own driver names the two slots of an ACR1252U `ACS ACR1252 1S CL Reader(1)` and `(2)`, the
/// system's CCID driver `ACS ACR1252 1S CL Reader PICC 0` (acshk/acsccid issue 10), and a
/// MIFARE SAM sat in slot `(2)` (pokusew/nfc-pcsc issue 56); pcsc-lite's CCID driver numbers
/// slots `ACS ACR1281 1S Dual Reader 00 00` .. `00 02`, the last one the SAM (acshk/acsccid
/// issue 4). Windows names a reader `<vendor> <product> <n>` with `n` counting identical
/// readers from 0, pcsc-lite `<name> <reader> <slot>` with two hex digits each.
pub fn candidate_rank(reader: &str, atr: &[u8]) -> u8 {
    if is_contactless_atr(atr) {
        0
    } else if reader
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|word| word.eq_ignore_ascii_case("SAM"))
    {
        2
    } else {
        1
    }
}

/// Whether an ATR is the one a PC/SC reader synthesises for a contactless card (PC/SC Part 3
/// §3.1.3.2.3: `3B 8n 80 01`, then the n historical bytes and TCK): an ISO 14443-4 chip such
/// as an eMRTD, or a storage card. Contact cards (a SAM) answer with their own ATR.
pub fn is_contactless_atr(atr: &[u8]) -> bool {
    matches!(atr, [0x3B, t0, 0x80, 0x01, ..] if t0 & 0xF0 == 0x80)
}

/// Reads the "extended Lc and Le fields" bit from the card capabilities (tag `73`, or
/// compact-TLV `7x` in the historical bytes) of an ATR.
pub fn atr_says_extended_length(atr: &[u8]) -> bool {
    historical_bytes(atr)
        .and_then(card_capabilities)
        .is_some_and(|caps| caps.get(2).is_some_and(|b| b & 0x40 != 0))
}

fn historical_bytes(atr: &[u8]) -> Option<&[u8]> {
    let t0 = *atr.get(1)?;
    let k = usize::from(t0 & 0x0F);
    let mut pos = 2;
    let mut y = t0 >> 4;
    loop {
        let count = (y & 1) + ((y >> 1) & 1) + ((y >> 2) & 1);
        let has_td = y & 0x08 != 0;
        pos += usize::from(count);
        if has_td {
            let td = *atr.get(pos)?;
            pos += 1;
            y = td >> 4;
        } else {
            break;
        }
    }
    atr.get(pos..pos.checked_add(k)?)
}

fn card_capabilities(hist: &[u8]) -> Option<&[u8]> {
    // Category indicator 80: compact-TLV objects follow.
    let (cat, mut rest) = hist.split_first()?;
    if *cat != 0x80 {
        return None;
    }
    while let Some((tl, tail)) = rest.split_first() {
        let len = usize::from(tl & 0x0F);
        let value = tail.get(..len)?;
        if tl >> 4 == 0x7 {
            return Some(value);
        }
        rest = tail.get(len..)?;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extended_length_bit_from_historical_bytes() {
        // 3B 8x 80 01 | historical: 80 73 C8 21 40 (category 80, card capabilities 3 bytes,
        // third byte 40 = extended Lc/Le) | TCK.
        let atr = hex::decode("3B85800180 73C82140 00".replace(' ', "")).unwrap();
        assert!(atr_says_extended_length(&atr));
        let atr = hex::decode("3B858001807300210000").unwrap();
        assert!(!atr_says_extended_length(&atr));
        assert!(!atr_says_extended_length(&[0x3B]));
    }

    /// A MIFARE Classic 1K on a PC/SC contactless reader: the storage-card ATR of PC/SC Part 3
    /// (`3B 8F 80 01`, RID A0 00 00 03 06, standard 03, card name 00 01).
    const ATR_MIFARE_1K: &str = "3B8F8001804F0CA000000306030001000000006A";
    /// A MIFARE Plus SAM in the SAM slot of an ACR1252U under Windows (pokusew/nfc-pcsc
    /// issue 56): a contact card's own ATR.
    const ATR_SAM_AV2: &str = "3BDF18FF81F1FE43003F03834D494641524520506C75732053414D3B";

    #[test]
    fn contactless_atr_is_recognised_from_its_pcsc_part3_prefix() {
        let mifare = hex::decode(ATR_MIFARE_1K).unwrap();
        let sam = hex::decode(ATR_SAM_AV2).unwrap();
        assert!(is_contactless_atr(&mifare));
        assert!(!is_contactless_atr(&sam));
        // Same prefix check for an ISO 14443-4 chip (3B 8n 80 01 + historical bytes + TCK).
        assert!(is_contactless_atr(&[0x3B, 0x81, 0x80, 0x01, 0x80, 0x80]));
        // T0 must announce TD1 and no TA1/TB1/TC1; TD1 = 80, TD2 = 01.
        assert!(!is_contactless_atr(&[0x3B, 0x9F, 0x80, 0x01]));
        assert!(!is_contactless_atr(&[0x3B, 0x8F, 0x81, 0x01]));
        assert!(!is_contactless_atr(&[0x3B, 0x8F, 0x80]));
        assert!(!is_contactless_atr(&[]));
    }

    #[test]
    fn the_card_on_the_antenna_goes_before_the_sam_slot() {
        let sam = hex::decode(ATR_SAM_AV2).unwrap();
        let chip = hex::decode(ATR_MIFARE_1K).unwrap();
        // ACS's own driver: the slots differ only by number (acshk/acsccid issue 10,
        // pokusew/nfc-pcsc issue 56 with the SAM above in slot 2).
        assert_eq!(candidate_rank("ACS ACR1252 1S CL Reader(2)", &sam), 1);
        assert_eq!(candidate_rank("ACS ACR1252 1S CL Reader(1)", &chip), 0);
        // The system's CCID driver names the slot (acshk/acsccid issue 10).
        assert_eq!(candidate_rank("ACS ACR1252 1S CL Reader PICC 0", &chip), 0);
        assert_eq!(candidate_rank("ACS ACR1252 1S CL Reader SAM 0", &sam), 2);
        // pcsc-lite's CCID driver: slot numbers only (acsccid issue 4: slot 02 is the SAM).
        assert_eq!(candidate_rank("ACS ACR1281 1S Dual Reader 00 02", &sam), 1);
        // "SAM" only as a word.
        assert_eq!(candidate_rank("Samsung Reader 0", &[]), 1);
        assert_eq!(candidate_rank("Reader [SAM] 00 01", &[]), 2);
        // Without ATRs (no status yet), names alone order the attempts, stably.
        let states = [
            ReaderState::new(c"ACS ACR1252 1S CL Reader SAM 0", State::UNAWARE),
            ReaderState::new(c"ACS ACR1252 1S CL Reader PICC 0", State::UNAWARE),
            ReaderState::new(c"Generic Reader 0", State::UNAWARE),
        ];
        assert_eq!(
            ranked(&states, false),
            [
                c"ACS ACR1252 1S CL Reader PICC 0".to_owned(),
                c"Generic Reader 0".to_owned(),
                c"ACS ACR1252 1S CL Reader SAM 0".to_owned(),
            ]
        );
        // None reports a card.
        assert!(ranked(&states, true).is_empty());
    }
}
