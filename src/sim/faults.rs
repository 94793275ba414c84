//! Faults of real chips, readers and phones, injected between the reader and the simulated
//! card, plus a link model that estimates how long the exchange would take over the air.
//!
//! Card properties (largest Le, extended length) live in [`super::CardOptions`]; what happens
//! on the way (a tag lost mid-read, a card pulled out, a corrupted MAC, a slow card) lives here,
//! so the same faults can be put behind pcscd.
//!
//! A man in the middle is a fault too: [`Faults::mitm_hide_card_access`] and
//! [`Faults::mitm_6a82`] sit on the link, see only what an attacker there sees (headers of
//! protected commands, never their keys), pass each command to the card and replace its answer
//! with a bare `6A82`, so the card's and the reader's secure-messaging counters stay in step.

use crate::files::ElementaryFile;
use std::time::Duration;

/// Faults to inject, each at most once unless said otherwise.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Faults {
    /// The tag leaves the field once this many response bytes have been sent (the classic
    /// failure of a long DG2 read on a phone): that APDU and every later one fails until the
    /// reader reconnects, and the card has lost its session (power cycle).
    pub tag_lost_after_bytes: Option<usize>,
    /// The card is pulled out for good at this APDU (1-based): every APDU from then on fails,
    /// reconnecting too.
    pub removed_at_apdu: Option<usize>,
    /// One bit of the MAC of this response (1-based APDU number) is flipped, once.
    pub corrupt_mac_at_apdu: Option<usize>,
    /// Real time to wait per APDU (a slow card), for timeout tests and demos.
    pub delay_per_apdu: Option<Duration>,
    /// Man in the middle: a bare `6A82` to the plain read of EF.CardAccess (READ BINARY with
    /// SFI `1C`, or its SELECT), so the reader sees no PACE and may run BAC: the downgrade of
    /// issue #10.
    pub mitm_hide_card_access: bool,
    /// Man in the middle: a bare `6A82` (no secure messaging) to the first READ BINARY of each
    /// of these files under secure messaging (recognised by the SFI in its clear header), so a
    /// signed data group looks absent: the suppression of issue #10.
    pub mitm_6a82: Vec<ElementaryFile>,
    /// Man in the middle: this bare status word (no secure messaging) to the reads of these
    /// files by SFI under secure messaging, like [`Self::mitm_6a82`] with any status word:
    /// only `6A82` and `6982` may stand without a MAC (they can hide a file, never forge one).
    pub mitm_bare_status: Vec<(ElementaryFile, u16)>,
}

impl Faults {
    /// No faults.
    pub fn none() -> Self {
        Self::default()
    }

    /// Adds a man in the middle that hides EF.CardAccess.
    pub fn hide_card_access(mut self) -> Self {
        self.mitm_hide_card_access = true;
        self
    }

    /// Adds a man in the middle that answers a bare `6A82` to reads of `file` under secure
    /// messaging.
    pub fn answer_6a82(mut self, file: ElementaryFile) -> Self {
        self.mitm_6a82.push(file);
        self
    }

    /// Adds a man in the middle that answers the bare status word `sw` to reads of `file`
    /// under secure messaging.
    pub fn answer_bare(mut self, file: ElementaryFile, sw: u16) -> Self {
        self.mitm_bare_status.push((file, sw));
        self
    }
}

/// ISO/IEC 7816-4 `6A82`, file not found, without secure messaging.
const BARE_6A82: [u8; 2] = [0x6A, 0x82];

/// What the man in the middle does with one exchange: `Some` replaces the card's answer.
fn intercept(faults: &Faults, command: &[u8]) -> Option<Vec<u8>> {
    let (&cla, rest) = command.split_first()?;
    let (&ins, rest) = rest.split_first()?;
    let (&p1, rest) = rest.split_first()?;
    let protected = cla & 0x0C != 0;
    let sfi_read = |file: ElementaryFile| ins == 0xB0 && p1 == 0x80 | file.sfi();
    if faults.mitm_hide_card_access && !protected {
        // READ BINARY by SFI, or SELECT by file identifier (`00 A4 02 0C 02 01 1C`).
        let select = ins == 0xA4 && rest.get(2..4) == Some(&[0x01, 0x1C][..]);
        if sfi_read(ElementaryFile::CardAccess) || select {
            return Some(BARE_6A82.to_vec());
        }
    }
    if protected && faults.mitm_6a82.iter().any(|f| sfi_read(*f)) {
        return Some(BARE_6A82.to_vec());
    }
    if protected {
        if let Some((_, sw)) = faults.mitm_bare_status.iter().find(|(f, _)| sfi_read(*f)) {
            return Some(sw.to_be_bytes().to_vec());
        }
    }
    None
}

/// What the fault layer decided for one exchange.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Pass the response on (possibly altered).
    Respond(Vec<u8>),
    /// The card is gone: no response.
    Lost,
}

/// The running state of [`Faults`] over a session.
#[derive(Debug, Clone, Default)]
pub(crate) struct FaultState {
    faults: Faults,
    apdus: usize,
    bytes_out: usize,
    lost: bool,
    tag_loss_done: bool,
    mac_done: bool,
}

impl FaultState {
    pub(crate) fn new(faults: Faults) -> Self {
        Self {
            faults,
            ..Self::default()
        }
    }

    /// Before the card sees the command: is it there at all?
    pub(crate) fn card_present(&mut self) -> bool {
        self.apdus = self.apdus.saturating_add(1);
        if let Some(d) = self.faults.delay_per_apdu {
            std::thread::sleep(d);
        }
        if self.faults.removed_at_apdu.is_some_and(|n| self.apdus >= n) {
            self.lost = true;
        }
        !self.lost
    }

    /// After the card answered `command`: deliver, alter or lose the response.
    pub(crate) fn deliver(&mut self, command: &[u8], response: Vec<u8>) -> Verdict {
        let mut response = intercept(&self.faults, command).unwrap_or(response);
        self.bytes_out = self.bytes_out.saturating_add(response.len());
        if let Some(limit) = self.faults.tag_lost_after_bytes {
            if !self.tag_loss_done && self.bytes_out >= limit {
                self.tag_loss_done = true;
                self.lost = true;
                return Verdict::Lost;
            }
        }
        if self.faults.corrupt_mac_at_apdu == Some(self.apdus) && !self.mac_done {
            self.mac_done = true;
            // The MAC (DO8E) is the last data object before SW1 SW2.
            if let Some(i) = response.len().checked_sub(3) {
                if let Some(b) = response.get_mut(i) {
                    *b ^= 0x01;
                }
            }
        }
        Verdict::Respond(response)
    }

    /// The reader reconnected (a new field / power cycle). False while the card is removed.
    pub(crate) fn reconnect(&mut self) -> bool {
        if self.faults.removed_at_apdu.is_some_and(|n| self.apdus >= n) {
            return false;
        }
        self.lost = false;
        true
    }
}

/// Over-the-air time of APDUs, for benchmarks: what the card costs, not what this host costs.
///
/// Defaults model an ISO/IEC 14443-4 link at 424 kbit/s with a typical reader's frame overhead
/// and an eMRTD chip's per-command processing time (secure-messaging crypto and EEPROM reads).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinkModel {
    /// Bit rate of the contactless link, bits per second.
    pub bit_rate: f64,
    /// Bytes of framing per APDU and direction (PCB, CID, CRC, I-block chaining headers).
    pub frame_overhead_bytes: usize,
    /// Round-trip latency per APDU (reader firmware, frame waiting time), seconds.
    pub latency_per_apdu: f64,
    /// Card processing per APDU, seconds.
    pub card_time_per_apdu: f64,
    /// Card processing per response byte (reading and encrypting), seconds.
    pub card_time_per_byte: f64,
}

impl Default for LinkModel {
    fn default() -> Self {
        Self {
            bit_rate: 424_000.0,
            frame_overhead_bytes: 5,
            latency_per_apdu: 0.002,
            card_time_per_apdu: 0.008,
            card_time_per_byte: 0.000_02,
        }
    }
}

impl LinkModel {
    /// Modelled time of one exchange.
    pub fn exchange(&self, command_len: usize, response_len: usize) -> Duration {
        // ISO 14443 sends 10 bits per byte (start, 8 data, stop) on type B; use 9 (parity) for A.
        let bits = 9.0 * (command_len + response_len + 2 * self.frame_overhead_bytes) as f64;
        let secs = bits / self.bit_rate
            + self.latency_per_apdu
            + self.card_time_per_apdu
            + self.card_time_per_byte * response_len as f64;
        Duration::from_secs_f64(secs.max(0.0))
    }
}

/// A simulated card behind pcscd that misbehaves as [`Faults`] say: what `cccd sim serve`
/// puts into vpcd's reader. A tag loss drops the connection (pcscd reports the card removed)
/// and the card comes back at the next insertion, powered off in between.
pub struct FaultyCard {
    card: super::Card,
    faults: FaultState,
    in_field: bool,
}

impl FaultyCard {
    /// `card` with `faults`.
    pub fn new(card: super::Card, faults: Faults) -> Self {
        Self {
            card,
            faults: FaultState::new(faults),
            in_field: true,
        }
    }
}

impl super::vpcd::VirtualCard for FaultyCard {
    fn atr(&self) -> Vec<u8> {
        super::vpcd::VirtualCard::atr(&self.card)
    }

    fn power_on(&mut self) {
        self.in_field = self.faults.reconnect();
        self.card.reset();
    }

    fn power_off(&mut self) {
        // Out of the field: the next insertion or power-up starts afresh.
        self.in_field = self.faults.reconnect();
        self.card.reset();
    }

    fn reset(&mut self) {
        self.in_field = self.faults.reconnect();
        self.card.reset();
    }

    fn process(&mut self, apdu: &[u8]) -> Vec<u8> {
        if !self.faults.card_present() {
            self.in_field = false;
            return Vec::new();
        }
        let response = self.card.process(apdu);
        match self.faults.deliver(apdu, response) {
            Verdict::Respond(r) => r,
            Verdict::Lost => {
                self.card.reset();
                self.in_field = false;
                Vec::new()
            }
        }
    }

    fn in_field(&self) -> bool {
        self.in_field
    }
}
