//! A client of vsmartcard's `vpcd`, so that a real `pcscd` shows a software card as a reader.
//!
//! `vpcd` is a pcsc-lite reader driver (Debian package `vsmartcard-vpcd`). Inside `pcscd` it
//! listens on TCP (port [`DEFAULT_PORT`] for its first slot, the next port for the second) and
//! treats whoever connects as the card in that reader: connecting is inserting the card,
//! disconnecting is pulling it out. Every PC/SC application on the machine then sees an ordinary
//! contactless reader.
//!
//! The wire protocol (vsmartcard `virtualsmartcard/src/vpcd/vpcd.c`, `sendToVICC` and
//! `recvFromVICC`) is a stream of frames, each a 2-byte big-endian length and that many bytes:
//!
//! | vpcd sends                     | meaning             | the card answers            |
//! |--------------------------------|---------------------|-----------------------------|
//! | `00 01 00`                     | power off           | nothing                     |
//! | `00 01 01`                     | power on            | nothing                     |
//! | `00 01 02`                     | reset               | nothing                     |
//! | `00 01 04`                     | get ATR             | a frame holding the ATR     |
//! | `LL LL` + command APDU         | transmit            | a frame holding the response APDU |
//!
//! vpcd asks for the ATR every time pcscd polls for the card (a few times a second), and reads
//! an empty frame as "card gone", so a response is never empty here.
//!
//! The client knows nothing of the simulator's internals: it drives any [`VirtualCard`].
//!
//! ```
//! use cccd::sim::vpcd::{serve, SessionEnd, VirtualCard, ATR_EMRTD_EXTENDED_LENGTH};
//! use std::io::{Read, Write};
//! use std::net::TcpListener;
//! use std::sync::atomic::AtomicBool;
//!
//! /// Answers every command with `9000`.
//! struct Ok9000;
//! impl VirtualCard for Ok9000 {
//!     fn atr(&self) -> Vec<u8> { ATR_EMRTD_EXTENDED_LENGTH.to_vec() }
//!     fn power_on(&mut self) {}
//!     fn power_off(&mut self) {}
//!     fn reset(&mut self) {}
//!     fn process(&mut self, _apdu: &[u8]) -> Vec<u8> { vec![0x90, 0x00] }
//! }
//!
//! // Play vpcd's part on a local port: power the card on, send one APDU, hang up.
//! let vpcd = TcpListener::bind("127.0.0.1:0")?;
//! let addr = vpcd.local_addr()?.to_string();
//! let reader = std::thread::spawn(move || -> std::io::Result<Vec<u8>> {
//!     let (mut link, _) = vpcd.accept()?;
//!     link.write_all(&[0x00, 0x01, 0x01])?; // power on
//!     link.write_all(&[0x00, 0x05, 0x00, 0x84, 0x00, 0x00, 0x08])?; // GET CHALLENGE
//!     let mut response = [0u8; 4];
//!     link.read_exact(&mut response)?;
//!     Ok(response.to_vec())
//! });
//!
//! let stop = AtomicBool::new(false);
//! let end = serve(&addr, &mut Ok9000, &stop)?;
//! assert_eq!(end, SessionEnd::Disconnected);
//! assert_eq!(reader.join().unwrap()?, vec![0x00, 0x02, 0x90, 0x00]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use thiserror::Error;

/// The port vpcd listens on for its first slot (`0x8C7B`, vsmartcard's `reader.conf`).
pub const DEFAULT_PORT: u16 = 0x8C7B;

/// Where vpcd listens when pcscd runs on this machine with the packaged configuration.
pub const DEFAULT_ADDR: &str = "127.0.0.1:35963";

/// The largest payload of one frame: its length travels in two bytes.
pub const MAX_FRAME_LEN: usize = 0xFFFF;

/// The longest ATR ISO/IEC 7816-3 §8.2.1 allows (pcsc-lite's `MAX_ATR_SIZE`).
pub const MAX_ATR_LEN: usize = 33;

/// The ATR a PC/SC reader synthesises for a contactless ISO 14443-4 eMRTD whose historical
/// bytes advertise extended Lc/Le (PC/SC part 3 §3.1.3.2.3).
///
/// ```text
/// 3B          TS, direct convention
/// 85          T0: TD1 follows, 5 historical bytes
/// 80          TD1: TD2 follows, T=0 (placeholder)
/// 01          TD2: T=1
/// 80          category indicator: compact-TLV objects follow (ISO/IEC 7816-4 §8.1.1.1)
/// 73 94 21 C0 card capabilities, 3 bytes (ISO/IEC 7816-4 §8.1.1.2.7):
///             94: selection by full DF name, by file identifier, short EF identifiers
///             21: data coding byte (one-byte data units)
///             C0: command chaining, extended Lc and Le fields
/// 82          TCK: exclusive-or of T0 .. the last historical byte
/// ```
pub const ATR_EMRTD_EXTENDED_LENGTH: [u8; 10] =
    [0x3B, 0x85, 0x80, 0x01, 0x80, 0x73, 0x94, 0x21, 0xC0, 0x82];

/// The same eMRTD ATR without extended Lc/Le (third capability byte `80`: chaining only), the
/// way many older chips and most phones present themselves.
pub const ATR_EMRTD_SHORT_LENGTH: [u8; 10] =
    [0x3B, 0x85, 0x80, 0x01, 0x80, 0x73, 0x94, 0x21, 0x80, 0xC2];

/// Builds the ATR a PC/SC reader synthesises for an ISO 14443-4 type A card from the
/// historical bytes of its ATS (PC/SC part 3 §3.1.3.2.3.1): `3B 8n 80 01`, the `n` historical
/// bytes, and the check byte TCK.
///
/// ```
/// use cccd::sim::vpcd::{contactless_atr, ATR_EMRTD_EXTENDED_LENGTH};
/// let atr = contactless_atr(&[0x80, 0x73, 0x94, 0x21, 0xC0])?;
/// assert_eq!(atr, ATR_EMRTD_EXTENDED_LENGTH);
/// # Ok::<(), cccd::sim::vpcd::VpcdError>(())
/// ```
pub fn contactless_atr(historical: &[u8]) -> Result<Vec<u8>, VpcdError> {
    // T0 holds the count in its low nibble.
    let count = u8::try_from(historical.len())
        .ok()
        .filter(|n| *n <= 0x0F)
        .ok_or(VpcdError::AtrTooLong {
            len: historical.len().saturating_add(5),
        })?;
    let mut atr = Vec::with_capacity(historical.len() + 5);
    atr.extend_from_slice(&[0x3B, 0x80 | count, 0x80, 0x01]);
    atr.extend_from_slice(historical);
    // TCK: T0 .. TCK exclusive-or to zero (ISO/IEC 7816-3 §8.2.5); TS is not included.
    let tck = atr.iter().skip(1).fold(0u8, |acc, b| acc ^ b);
    atr.push(tck);
    Ok(atr)
}

/// A card as vpcd sees it: an ATR, power and reset events, and APDUs.
///
/// Implemented by the simulated CCCD chip and by test doubles. Methods cannot fail: a card
/// reports trouble with a status word.
pub trait VirtualCard {
    /// The answer to reset, at most [`MAX_ATR_LEN`] bytes.
    fn atr(&self) -> Vec<u8>;
    /// The reader powered the card (a fresh session starts).
    fn power_on(&mut self);
    /// The reader cut the power, or the card left the field: forget session state.
    fn power_off(&mut self);
    /// A warm reset: forget session state, keep power.
    fn reset(&mut self);
    /// Answers one command APDU with a response APDU (data + SW1 SW2, never empty).
    fn process(&mut self, apdu: &[u8]) -> Vec<u8>;
    /// False when the card left the field while answering (a simulated tag loss): the answer
    /// is not sent and the connection drops, so pcscd sees the card removed. [`serve_forever`]
    /// then inserts it again.
    fn in_field(&self) -> bool {
        true
    }
}

/// The simulated CCCD chip in vpcd's reader: its ATR says extended length exactly when the
/// card takes extended APDUs ([`CardOptions::extended_length`](super::CardOptions)); power
/// events are power cycles (selection, challenge and secure-messaging session are lost, as
/// when a real tag leaves the field).
impl VirtualCard for super::Card {
    fn atr(&self) -> Vec<u8> {
        if self.options().extended_length {
            ATR_EMRTD_EXTENDED_LENGTH.to_vec()
        } else {
            ATR_EMRTD_SHORT_LENGTH.to_vec()
        }
    }

    fn power_on(&mut self) {
        super::Card::reset(self);
    }

    fn power_off(&mut self) {
        super::Card::reset(self);
    }

    fn reset(&mut self) {
        super::Card::reset(self);
    }

    fn process(&mut self, apdu: &[u8]) -> Vec<u8> {
        super::Card::process(self, apdu)
    }
}

/// Why talking to vpcd stopped.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum VpcdError {
    /// The address is not `HOST:PORT`, or the host does not resolve.
    #[error("bad vpcd address {addr:?}: {reason}")]
    Address {
        /// The address as given.
        addr: String,
        /// What the resolver said.
        reason: String,
    },
    /// Nothing accepted the connection before the connect timeout (pcscd not running, or vpcd
    /// not configured on that port).
    #[error("vpcd at {addr} not reachable: {reason}")]
    Unreachable {
        /// The address tried.
        addr: String,
        /// The last connection error.
        reason: String,
    },
    /// The card answered with more bytes than a frame can carry.
    #[error("card response of {len} bytes exceeds the vpcd frame limit of 65535")]
    ResponseTooLong {
        /// The response length.
        len: usize,
    },
    /// The card's ATR is longer than ISO/IEC 7816-3 allows; pcscd would reject it.
    #[error("ATR of {len} bytes exceeds the 33 bytes ISO/IEC 7816-3 allows")]
    AtrTooLong {
        /// The ATR length.
        len: usize,
    },
    /// The connection failed in a way that is not a plain hang-up.
    #[error("vpcd connection failed: {0}")]
    Io(String),
}

/// How a [`serve`] session ended (both mean the card has left the reader).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SessionEnd {
    /// The stop flag was raised: the card was pulled out.
    Stopped,
    /// vpcd closed the connection (pcscd stopped or restarted).
    Disconnected,
}

/// Timing of [`serve_with`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServeOptions {
    /// How long to retry while vpcd is not listening yet; `None` retries until stopped.
    pub connect_timeout: Option<Duration>,
    /// How often a waiting read or a connection retry looks at the stop flag.
    pub poll_interval: Duration,
}

impl Default for ServeOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Some(Duration::from_secs(10)),
            poll_interval: Duration::from_millis(50),
        }
    }
}

/// Inserts `card` into the vpcd reader at `addr` and answers vpcd until `stop` is raised
/// (the card is pulled out) or vpcd hangs up. Retries the connection for up to 10 seconds
/// while vpcd is not listening yet.
///
/// Call it again to re-insert the card. The card is powered off when the session ends.
pub fn serve(
    addr: &str,
    card: &mut dyn VirtualCard,
    stop: &AtomicBool,
) -> Result<SessionEnd, VpcdError> {
    serve_with(addr, card, stop, &ServeOptions::default())
}

/// [`serve`] with explicit timing.
pub fn serve_with(
    addr: &str,
    card: &mut dyn VirtualCard,
    stop: &AtomicBool,
    options: &ServeOptions,
) -> Result<SessionEnd, VpcdError> {
    let Some(mut link) = connect(addr, stop, options)? else {
        return Ok(SessionEnd::Stopped);
    };
    let end = answer(&mut link, card, stop);
    // Leaving the reader, for whatever reason, takes the card's power away.
    card.power_off();
    // The peer may already be gone; nothing more to do either way.
    let _ = link.shutdown(std::net::Shutdown::Both);
    end
}

/// Keeps `card` in the vpcd reader at `addr` until `stop` is raised: waits for vpcd to listen,
/// and re-inserts the card each time vpcd hangs up (pcscd restarted). This is what
/// `cccd sim serve --vpcd [HOST:PORT]` runs.
///
/// Returns `Ok(())` once stopped; errors only for a bad address or a misbehaving card.
///
/// ```no_run
/// use cccd::sim::vpcd::{serve_forever, VirtualCard, DEFAULT_ADDR};
/// use std::sync::atomic::AtomicBool;
/// fn run(card: &mut dyn VirtualCard) -> Result<(), cccd::sim::vpcd::VpcdError> {
///     static STOP: AtomicBool = AtomicBool::new(false);
///     serve_forever(DEFAULT_ADDR, card, &STOP)
/// }
/// ```
pub fn serve_forever(
    addr: &str,
    card: &mut dyn VirtualCard,
    stop: &AtomicBool,
) -> Result<(), VpcdError> {
    let options = ServeOptions {
        connect_timeout: None,
        ..ServeOptions::default()
    };
    loop {
        match serve_with(addr, card, stop, &options)? {
            SessionEnd::Stopped => return Ok(()),
            // Do not spin if vpcd accepts and drops us at once.
            SessionEnd::Disconnected => std::thread::sleep(options.poll_interval),
        }
        if stop.load(Ordering::Relaxed) {
            return Ok(());
        }
    }
}

/// vpcd's one-byte control payloads (vsmartcard `vpcd.h`, `VPCD_CTRL_*`).
mod control {
    pub const POWER_OFF: u8 = 0x00;
    pub const POWER_ON: u8 = 0x01;
    pub const RESET: u8 = 0x02;
    pub const ATR: u8 = 0x04;
}

/// The response sent when a card returns nothing: `6F00` "no precise diagnosis"
/// (an empty frame would tell vpcd the card is gone).
const EMPTY_RESPONSE_SUBSTITUTE: [u8; 2] = [0x6F, 0x00];

fn connect(
    addr: &str,
    stop: &AtomicBool,
    options: &ServeOptions,
) -> Result<Option<TcpStream>, VpcdError> {
    let targets: Vec<SocketAddr> = addr
        .to_socket_addrs()
        .map_err(|e| VpcdError::Address {
            addr: addr.to_owned(),
            reason: e.to_string(),
        })?
        .collect();
    if targets.is_empty() {
        return Err(VpcdError::Address {
            addr: addr.to_owned(),
            reason: "no address".into(),
        });
    }
    let deadline = options.connect_timeout.map(|t| Instant::now() + t);
    let attempt_timeout = options.poll_interval.max(Duration::from_millis(200));
    loop {
        let mut last = String::new();
        for target in &targets {
            match TcpStream::connect_timeout(target, attempt_timeout) {
                Ok(link) => {
                    configure(&link, options)?;
                    return Ok(Some(link));
                }
                Err(e) => last = e.to_string(),
            }
        }
        if stop.load(Ordering::Relaxed) {
            return Ok(None);
        }
        if deadline.is_some_and(|d| Instant::now() >= d) {
            return Err(VpcdError::Unreachable {
                addr: addr.to_owned(),
                reason: last,
            });
        }
        std::thread::sleep(options.poll_interval);
    }
}

fn configure(link: &TcpStream, options: &ServeOptions) -> Result<(), VpcdError> {
    // One small request, one small answer: do not let Nagle hold them back (our side; the
    // delayed ACKs vpcd's own Nagle waits for are handled by `quick_ack`).
    link.set_nodelay(true).map_err(io_error)?;
    quick_ack(link);
    link.set_read_timeout(Some(options.poll_interval.max(Duration::from_millis(1))))
        .map_err(io_error)
}

fn answer(
    link: &mut TcpStream,
    card: &mut dyn VirtualCard,
    stop: &AtomicBool,
) -> Result<SessionEnd, VpcdError> {
    loop {
        let payload = match read_frame(link, stop)? {
            Received::Frame(payload) => payload,
            Received::Stopped => return Ok(SessionEnd::Stopped),
            Received::Closed => return Ok(SessionEnd::Disconnected),
        };
        let reply = match payload.as_slice() {
            [control::POWER_OFF] => {
                card.power_off();
                None
            }
            [control::POWER_ON] => {
                card.power_on();
                None
            }
            [control::RESET] => {
                card.reset();
                None
            }
            [control::ATR] => {
                let atr = card.atr();
                if atr.len() > MAX_ATR_LEN {
                    return Err(VpcdError::AtrTooLong { len: atr.len() });
                }
                Some(atr)
            }
            // Other one-byte payloads are not defined and vpcd expects no answer to them;
            // an empty frame carries nothing to do.
            [_] | [] => None,
            apdu => {
                let response = card.process(apdu);
                if !card.in_field() {
                    return Ok(SessionEnd::Disconnected);
                }
                if response.is_empty() {
                    Some(EMPTY_RESPONSE_SUBSTITUTE.to_vec())
                } else {
                    Some(response)
                }
            }
        };
        if let Some(reply) = reply {
            match write_frame(link, &reply)? {
                Sent::Done => {}
                Sent::Closed => return Ok(SessionEnd::Disconnected),
            }
        }
    }
}

enum Received {
    Frame(Vec<u8>),
    Stopped,
    Closed,
}

enum Filled {
    Done,
    Stopped,
    Closed,
}

enum Sent {
    Done,
    Closed,
}

fn read_frame(link: &mut TcpStream, stop: &AtomicBool) -> Result<Received, VpcdError> {
    let mut header = [0u8; 2];
    match fill(link, &mut header, stop)? {
        Filled::Done => {}
        Filled::Stopped => return Ok(Received::Stopped),
        Filled::Closed => return Ok(Received::Closed),
    }
    // At most MAX_FRAME_LEN by construction of the two-byte length.
    let mut payload = vec![0u8; usize::from(u16::from_be_bytes(header))];
    Ok(match fill(link, &mut payload, stop)? {
        Filled::Done => Received::Frame(payload),
        Filled::Stopped => Received::Stopped,
        Filled::Closed => Received::Closed,
    })
}

/// Fills `buf`, looking at `stop` whenever the read timeout expires. A hang-up, even in the
/// middle of a frame, is the card leaving the reader.
fn fill(link: &mut TcpStream, buf: &mut [u8], stop: &AtomicBool) -> Result<Filled, VpcdError> {
    let mut filled = 0;
    while let Some(rest) = buf.get_mut(filled..).filter(|r| !r.is_empty()) {
        quick_ack(link);
        match link.read(rest) {
            Ok(0) => return Ok(Filled::Closed),
            Ok(n) => filled += n,
            Err(e) if is_hang_up(&e) => return Ok(Filled::Closed),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                if stop.load(Ordering::Relaxed) {
                    return Ok(Filled::Stopped);
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(io_error(e)),
        }
    }
    Ok(Filled::Done)
}

/// Asks the kernel to acknowledge the next segment at once. vpcd sends a frame's 2-byte
/// length and its body in two `send()` calls; with Nagle on vpcd's side, the body waits for
/// our ACK of the length, which Linux's delayed ACK holds back for about 40 ms: every APDU
/// stalled that long. Linux drops out of quick-ACK mode on its own, so this is set before
/// every read. A failure only costs speed, so it is ignored.
fn quick_ack(link: &TcpStream) {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        let _ = socket2::SockRef::from(link).set_tcp_quickack(true);
    }
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    let _ = link;
}

fn write_frame(link: &mut TcpStream, payload: &[u8]) -> Result<Sent, VpcdError> {
    let len = u16::try_from(payload.len())
        .map_err(|_| VpcdError::ResponseTooLong { len: payload.len() })?;
    let mut frame = Vec::with_capacity(payload.len() + 2);
    frame.extend_from_slice(&len.to_be_bytes());
    frame.extend_from_slice(payload);
    match link.write_all(&frame).and_then(|()| link.flush()) {
        Ok(()) => Ok(Sent::Done),
        Err(e) if is_hang_up(&e) => Ok(Sent::Closed),
        Err(e) => Err(io_error(e)),
    }
}

fn is_hang_up(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::BrokenPipe
            | io::ErrorKind::UnexpectedEof
            | io::ErrorKind::NotConnected
    )
}

fn io_error(e: io::Error) -> VpcdError {
    VpcdError::Io(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;
    use std::sync::Arc;
    use std::thread;

    /// Records what vpcd asked for.
    #[derive(Default)]
    struct Recorder {
        events: Vec<String>,
        response: Vec<u8>,
        atr: Vec<u8>,
    }

    impl VirtualCard for Recorder {
        fn atr(&self) -> Vec<u8> {
            self.atr.clone()
        }
        fn power_on(&mut self) {
            self.events.push("on".into());
        }
        fn power_off(&mut self) {
            self.events.push("off".into());
        }
        fn reset(&mut self) {
            self.events.push("reset".into());
        }
        fn process(&mut self, apdu: &[u8]) -> Vec<u8> {
            self.events.push(hex::encode_upper(apdu));
            self.response.clone()
        }
    }

    fn recorder() -> Recorder {
        Recorder {
            response: vec![0x90, 0x00],
            atr: ATR_EMRTD_EXTENDED_LENGTH.to_vec(),
            ..Recorder::default()
        }
    }

    fn fast() -> ServeOptions {
        ServeOptions {
            connect_timeout: Some(Duration::from_secs(5)),
            poll_interval: Duration::from_millis(10),
        }
    }

    fn read_reply(link: &mut TcpStream) -> Vec<u8> {
        let mut header = [0u8; 2];
        link.read_exact(&mut header).unwrap();
        let mut body = vec![0u8; usize::from(u16::from_be_bytes(header))];
        link.read_exact(&mut body).unwrap();
        body
    }

    /// Runs `script` as vpcd against `card` served on a fresh local port.
    fn with_vpcd<F>(card: &mut Recorder, stop: &AtomicBool, script: F) -> SessionEnd
    where
        F: FnOnce(TcpStream) + Send + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let vpcd = thread::spawn(move || {
            let (link, _) = listener.accept().unwrap();
            script(link);
        });
        let end = serve_with(&addr, card, stop, &fast()).unwrap();
        vpcd.join().unwrap();
        end
    }

    #[test]
    fn atr_constants_are_what_a_reader_synthesises() {
        assert_eq!(
            contactless_atr(&[0x80, 0x73, 0x94, 0x21, 0xC0]).unwrap(),
            ATR_EMRTD_EXTENDED_LENGTH
        );
        assert_eq!(
            contactless_atr(&[0x80, 0x73, 0x94, 0x21, 0x80]).unwrap(),
            ATR_EMRTD_SHORT_LENGTH
        );
        // The check byte makes T0..TCK exclusive-or to zero.
        for atr in [ATR_EMRTD_EXTENDED_LENGTH, ATR_EMRTD_SHORT_LENGTH] {
            assert_eq!(atr.iter().skip(1).fold(0, |a, b| a ^ b), 0);
        }
        #[cfg(feature = "pcsc")]
        {
            use crate::transport::pcsc::atr_says_extended_length;
            assert!(atr_says_extended_length(&ATR_EMRTD_EXTENDED_LENGTH));
            assert!(!atr_says_extended_length(&ATR_EMRTD_SHORT_LENGTH));
        }
        assert_eq!(
            contactless_atr(&[0; 16]),
            Err(VpcdError::AtrTooLong { len: 21 })
        );
        assert_eq!(
            contactless_atr(&[]).unwrap(),
            vec![0x3B, 0x80, 0x80, 0x01, 0x01]
        );
    }

    #[test]
    fn controls_and_apdus_are_answered_in_order() {
        let mut card = recorder();
        let stop = AtomicBool::new(false);
        let end = with_vpcd(&mut card, &stop, |mut link| {
            link.write_all(&[0x00, 0x01, 0x01]).unwrap(); // power on
            link.write_all(&[0x00, 0x01, 0x04]).unwrap(); // ATR
            assert_eq!(read_reply(&mut link), ATR_EMRTD_EXTENDED_LENGTH);
            link.write_all(&[0x00, 0x01, 0x02]).unwrap(); // reset
                                                          // SELECT sent in two pieces: a frame split across TCP segments.
            link.write_all(&[0x00, 0x07, 0x00, 0xA4]).unwrap();
            link.flush().unwrap();
            thread::sleep(Duration::from_millis(30));
            link.write_all(&[0x02, 0x0C, 0x02, 0x01, 0x1C]).unwrap();
            assert_eq!(read_reply(&mut link), [0x90, 0x00]);
            link.write_all(&[0x00, 0x01, 0x00]).unwrap(); // power off
            link.write_all(&[0x00, 0x01, 0x04]).unwrap(); // ATR once more
            assert_eq!(read_reply(&mut link), ATR_EMRTD_EXTENDED_LENGTH);
        });
        assert_eq!(end, SessionEnd::Disconnected);
        assert_eq!(
            card.events,
            ["on", "reset", "00A4020C02011C", "off", "off"],
            "the final power off is the card leaving the reader"
        );
    }

    #[test]
    fn empty_response_becomes_6f00_and_long_ones_pass() {
        let mut card = recorder();
        card.response = Vec::new();
        let stop = AtomicBool::new(false);
        with_vpcd(&mut card, &stop, |mut link| {
            link.write_all(&[0x00, 0x05, 0x00, 0x84, 0x00, 0x00, 0x08])
                .unwrap();
            assert_eq!(read_reply(&mut link), [0x6F, 0x00]);
        });

        let mut card = recorder();
        card.response = vec![0xAB; MAX_FRAME_LEN];
        with_vpcd(&mut card, &stop, |mut link| {
            link.write_all(&[0x00, 0x05, 0x00, 0xB0, 0x00, 0x00, 0x00])
                .unwrap();
            assert_eq!(read_reply(&mut link).len(), MAX_FRAME_LEN);
        });
    }

    #[test]
    fn oversized_answers_are_errors() {
        let stop = AtomicBool::new(false);
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let vpcd = thread::spawn(move || {
            for frame in [
                &[0x00, 0x05, 0x00, 0xB0, 0x00, 0x00, 0x00][..],
                &[0x00, 0x01, 0x04][..],
            ] {
                let (mut link, _) = listener.accept().unwrap();
                link.write_all(frame).unwrap();
                let mut rest = Vec::new();
                // The client hangs up without answering.
                link.read_to_end(&mut rest).unwrap();
                assert!(rest.is_empty());
            }
        });
        let mut card = recorder();
        card.response = vec![0x00; MAX_FRAME_LEN + 1];
        assert_eq!(
            serve_with(&addr, &mut card, &stop, &fast()),
            Err(VpcdError::ResponseTooLong {
                len: MAX_FRAME_LEN + 1
            })
        );
        let mut card = recorder();
        card.atr = vec![0x3B; MAX_ATR_LEN + 1];
        assert_eq!(
            serve_with(&addr, &mut card, &stop, &fast()),
            Err(VpcdError::AtrTooLong {
                len: MAX_ATR_LEN + 1
            })
        );
        vpcd.join().unwrap();
    }

    #[test]
    fn stop_pulls_the_card_out_and_serve_again_reinserts_it() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let stop = Arc::new(AtomicBool::new(false));
        let raiser = Arc::clone(&stop);
        let vpcd = thread::spawn(move || {
            let (mut link, _) = listener.accept().unwrap();
            link.write_all(&[0x00, 0x01, 0x04]).unwrap();
            assert_eq!(read_reply(&mut link), ATR_EMRTD_EXTENDED_LENGTH);
            raiser.store(true, Ordering::Relaxed);
            // The card leaves: vpcd sees the connection close.
            let mut rest = Vec::new();
            link.read_to_end(&mut rest).unwrap();
            assert!(rest.is_empty());
            // Re-inserted: a new connection.
            let (mut link, _) = listener.accept().unwrap();
            link.write_all(&[0x00, 0x01, 0x01]).unwrap();
            link.write_all(&[0x00, 0x01, 0x04]).unwrap();
            assert_eq!(read_reply(&mut link), ATR_EMRTD_EXTENDED_LENGTH);
        });
        let mut card = recorder();
        assert_eq!(
            serve_with(&addr, &mut card, &stop, &fast()),
            Ok(SessionEnd::Stopped)
        );
        assert_eq!(card.events, ["off"]);
        stop.store(false, Ordering::Relaxed);
        assert_eq!(
            serve_with(&addr, &mut card, &stop, &fast()),
            Ok(SessionEnd::Disconnected)
        );
        assert_eq!(card.events, ["off", "on", "off"]);
        vpcd.join().unwrap();
    }

    #[test]
    fn connection_is_retried_until_vpcd_listens() {
        // Reserve a port, free it, and only listen on it a little later.
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let addr = format!("127.0.0.1:{port}");
        let late = thread::spawn(move || {
            thread::sleep(Duration::from_millis(300));
            let listener = TcpListener::bind(("127.0.0.1", port)).unwrap();
            let (mut link, _) = listener.accept().unwrap();
            link.write_all(&[0x00, 0x01, 0x04]).unwrap();
            read_reply(&mut link)
        });
        let stop = AtomicBool::new(false);
        let mut card = recorder();
        assert_eq!(
            serve_with(&addr, &mut card, &stop, &fast()),
            Ok(SessionEnd::Disconnected)
        );
        assert_eq!(late.join().unwrap(), ATR_EMRTD_EXTENDED_LENGTH);
    }

    #[test]
    fn unreachable_and_bad_addresses_are_typed() {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let stop = AtomicBool::new(false);
        let options = ServeOptions {
            connect_timeout: Some(Duration::from_millis(100)),
            poll_interval: Duration::from_millis(10),
        };
        let mut card = recorder();
        let got = serve_with(&format!("127.0.0.1:{port}"), &mut card, &stop, &options);
        assert!(matches!(got, Err(VpcdError::Unreachable { .. })), "{got:?}");
        let got = serve_with("no port here", &mut card, &stop, &options);
        assert!(matches!(got, Err(VpcdError::Address { .. })), "{got:?}");
        // Raised before vpcd listens: give up waiting without an error.
        stop.store(true, Ordering::Relaxed);
        let forever = ServeOptions {
            connect_timeout: None,
            ..options
        };
        assert_eq!(
            serve_with(&format!("127.0.0.1:{port}"), &mut card, &stop, &forever),
            Ok(SessionEnd::Stopped)
        );
        assert_eq!(
            serve_forever(&format!("127.0.0.1:{port}"), &mut card, &stop),
            Ok(())
        );
    }

    #[test]
    fn simulated_card_atr_follows_its_options_and_power_cycles_end_sessions() {
        use crate::sim::{Card, Profile};
        let mut card = Card::new(Profile::Cccd, 7);
        assert_eq!(VirtualCard::atr(&card), ATR_EMRTD_EXTENDED_LENGTH);
        card.options_mut().extended_length = false;
        assert_eq!(VirtualCard::atr(&card), ATR_EMRTD_SHORT_LENGTH);

        assert!(card.install_session(
            crate::crypto::CipherAlg::Tdes,
            &[0x11; 16],
            &[0x22; 16],
            &[0; 8]
        ));
        VirtualCard::power_off(&mut card);
        assert!(!card.has_session());
        assert!(card.install_session(
            crate::crypto::CipherAlg::Tdes,
            &[0x11; 16],
            &[0x22; 16],
            &[0; 8]
        ));
        VirtualCard::reset(&mut card);
        assert!(!card.has_session());
        // EF.CardAccess by SFI, through the trait.
        let r = VirtualCard::process(&mut card, &[0x00, 0xB0, 0x9C, 0x00, 0x00]);
        assert_eq!(r.get(r.len() - 2..), Some(&[0x90, 0x00][..]));
    }

    #[test]
    fn serve_forever_reinserts_after_vpcd_hangs_up() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let stop = Arc::new(AtomicBool::new(false));
        let raiser = Arc::clone(&stop);
        let vpcd = thread::spawn(move || {
            // pcscd goes away twice; the card comes back each time.
            for _ in 0..2 {
                let (link, _) = listener.accept().unwrap();
                drop(link);
            }
            let (mut link, _) = listener.accept().unwrap();
            link.write_all(&[0x00, 0x01, 0x04]).unwrap();
            let atr = read_reply(&mut link);
            raiser.store(true, Ordering::Relaxed);
            atr
        });
        let mut card = recorder();
        assert_eq!(serve_forever(&addr, &mut card, &stop), Ok(()));
        assert_eq!(vpcd.join().unwrap(), ATR_EMRTD_EXTENDED_LENGTH);
        assert_eq!(
            card.events,
            ["off", "off", "off"],
            "one power loss per session"
        );
    }
}
