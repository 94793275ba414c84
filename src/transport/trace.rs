//! An APDU trace and counter around any transport.
//!
//! It records what a benchmark or a support ticket needs (header, lengths, status word, time)
//! and never the data fields: those carry key material and personal data.
//!
//! ```
//! use cccd::transport::{trace::Traced, Transport, TransportError};
//! struct Ok9000;
//! impl Transport for Ok9000 {
//!     fn transmit(&mut self, _: &[u8]) -> Result<Vec<u8>, TransportError> { Ok(vec![0x90, 0]) }
//! }
//! let mut t = Traced::new(Ok9000);
//! t.transmit(&[0x00, 0x84, 0x00, 0x00, 0x08]).unwrap();
//! assert_eq!(t.stats().apdus, 1);
//! assert_eq!(t.entries()[0].ins, 0x84);
//! ```

use super::{Transport, TransportError};
use std::time::{Duration, Instant};

/// One exchange, without its data.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct TraceEntry {
    /// Class byte (`0C` when protected by secure messaging).
    pub cla: u8,
    /// Instruction.
    pub ins: u8,
    /// Parameter 1.
    pub p1: u8,
    /// Parameter 2.
    pub p2: u8,
    /// Bytes sent.
    pub command_len: usize,
    /// Bytes received (including SW), 0 on a transport error.
    pub response_len: usize,
    /// Status word, if a response came.
    pub sw: Option<u16>,
    /// Round-trip time.
    pub duration: Duration,
}

/// Totals over a trace.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct TraceStats {
    /// Number of APDUs exchanged.
    pub apdus: usize,
    /// Bytes sent.
    pub bytes_sent: usize,
    /// Bytes received.
    pub bytes_received: usize,
    /// Time spent inside `transmit`.
    pub time: Duration,
}

/// Wraps a transport and records every exchange.
#[derive(Debug)]
pub struct Traced<T> {
    inner: T,
    entries: Vec<TraceEntry>,
}

impl<T: Transport> Traced<T> {
    /// Starts an empty trace.
    pub fn new(inner: T) -> Self {
        Self {
            inner,
            entries: Vec::new(),
        }
    }

    /// Every exchange so far.
    pub fn entries(&self) -> &[TraceEntry] {
        &self.entries
    }

    /// Totals.
    pub fn stats(&self) -> TraceStats {
        self.entries.iter().fold(TraceStats::default(), |mut s, e| {
            s.apdus += 1;
            s.bytes_sent += e.command_len;
            s.bytes_received += e.response_len;
            s.time += e.duration;
            s
        })
    }

    /// Forgets the recorded exchanges.
    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// The wrapped transport.
    pub fn inner(&self) -> &T {
        &self.inner
    }

    /// The wrapped transport, mutably.
    pub fn inner_mut(&mut self) -> &mut T {
        &mut self.inner
    }

    /// Unwraps.
    pub fn into_inner(self) -> T {
        self.inner
    }
}

impl<T: Transport> Transport for Traced<T> {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        let start = Instant::now();
        let result = self.inner.transmit(apdu);
        let duration = start.elapsed();
        let header = |i: usize| apdu.get(i).copied().unwrap_or(0);
        let (response_len, sw) = match &result {
            Ok(r) => {
                let sw = r
                    .len()
                    .checked_sub(2)
                    .and_then(|i| r.get(i..))
                    .and_then(|s| <[u8; 2]>::try_from(s).ok())
                    .map(u16::from_be_bytes);
                (r.len(), sw)
            }
            Err(_) => (0, None),
        };
        self.entries.push(TraceEntry {
            cla: header(0),
            ins: header(1),
            p1: header(2),
            p2: header(3),
            command_len: apdu.len(),
            response_len,
            sw,
            duration,
        });
        result
    }

    fn supports_extended_length(&self) -> bool {
        self.inner.supports_extended_length()
    }

    fn reconnect(&mut self) -> Result<(), TransportError> {
        self.inner.reconnect()
    }
}
