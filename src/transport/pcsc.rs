//! PC/SC transport on the `pcsc` crate: the desk reader of a bank teller or a hospital counter.
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
    reader: String,
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
        E::ReaderUnavailable
        | E::UnknownReader
        | E::NoService
        | E::ServiceStopped
        | E::Shutdown => TransportError::ReaderUnavailable,
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

    /// Connects to the first reader that holds a card.
    pub fn connect_first_with_card() -> Result<Self, TransportError> {
        let ctx = context()?;
        let names = reader_names(&ctx)?;
        if names.is_empty() {
            return Err(TransportError::NoReader(String::new()));
        }
        let mut last = TransportError::NoCard;
        for reader in names {
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
    pub fn wait_for_card(name: Option<&str>, timeout: Duration) -> Result<Self, TransportError> {
        let ctx = context()?;
        let deadline = Instant::now() + timeout;
        loop {
            let names = reader_names(&ctx)?;
            let wanted: Vec<CString> = names
                .into_iter()
                .filter(|n| {
                    name.is_none_or(|w| {
                        n.to_string_lossy()
                            .to_lowercase()
                            .contains(&w.to_lowercase())
                    })
                })
                .collect();
            let mut states: Vec<ReaderState> = wanted
                .iter()
                .map(|n| ReaderState::new(n.clone(), State::UNAWARE))
                .collect();
            if !states.is_empty() {
                ctx.get_status_change(Duration::ZERO, &mut states)
                    .or_else(|e| {
                        if e == pcsc::Error::Timeout {
                            Ok(())
                        } else {
                            Err(e)
                        }
                    })
                    .map_err(map_err)?;
                if let Some(rs) = states
                    .iter()
                    .find(|s| s.event_state().contains(State::PRESENT))
                {
                    let reader = rs.name().to_owned();
                    let card = ctx
                        .connect(&reader, ShareMode::Shared, Protocols::ANY)
                        .map_err(map_err)?;
                    return Self::from_card(ctx, card, reader);
                }
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(if wanted.is_empty() {
                    TransportError::NoReader(String::new())
                } else {
                    TransportError::NoCard
                });
            }
            let wait = (deadline - now).min(Duration::from_millis(500));
            if states.is_empty() {
                std::thread::sleep(wait);
            } else {
                for s in &mut states {
                    s.sync_current_state();
                }
                match ctx.get_status_change(wait, &mut states) {
                    Ok(()) | Err(pcsc::Error::Timeout) => {}
                    Err(e) => return Err(map_err(e)),
                }
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
                    // The handle may not survive a removal: connect afresh by name.
                    let reader = CString::new(self.reader.clone())
                        .map_err(|_| pcsc::Error::UnknownReader)?;
                    let card = self
                        ._context
                        .connect(&reader, ShareMode::Shared, Protocols::ANY)?;
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
}
