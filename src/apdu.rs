//! Command and response APDUs (ISO/IEC 7816-4 §5.1) and status words.
//!
//! ```
//! # #[cfg(feature = "internals")] {
//! use cccd::apdu::Command;
//! // SELECT the eMRTD applet (ICAO 9303-10 §3.6.2): no Le.
//! let select = Command::new(0x00, 0xA4, 0x04, 0x0C).with_data(hex::decode("A0000002471001").unwrap());
//! assert_eq!(hex::encode_upper(select.to_bytes().unwrap()), "00A4040C07A0000002471001");
//! # }
//! ```

use thiserror::Error;

/// The largest Le an extended APDU can ask for (`00 00` means 65536).
pub const MAX_EXTENDED_LE: usize = 65_536;
/// The largest Le a short APDU can ask for (`00` means 256).
pub const MAX_SHORT_LE: usize = 256;

/// A status word (SW1 SW2).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct StatusWord(pub u16);

impl StatusWord {
    /// `9000`: normal processing.
    pub const SUCCESS: Self = Self(0x9000);
    /// `6282`: end of file reached before Le bytes.
    pub const END_OF_FILE: Self = Self(0x6282);
    /// `6300`: verification failed (PACE/BAC mutual authentication with a wrong key).
    pub const AUTHENTICATION_FAILED: Self = Self(0x6300);
    /// `6700`: wrong length.
    pub const WRONG_LENGTH: Self = Self(0x6700);
    /// `6882`: secure messaging not supported.
    pub const SM_NOT_SUPPORTED: Self = Self(0x6882);
    /// `6982`: security status not satisfied.
    pub const SECURITY_STATUS_NOT_SATISFIED: Self = Self(0x6982);
    /// `6983`: authentication method blocked.
    pub const AUTHENTICATION_BLOCKED: Self = Self(0x6983);
    /// `6985`: conditions of use not satisfied.
    pub const CONDITIONS_NOT_SATISFIED: Self = Self(0x6985);
    /// `6986`: command not allowed (no current EF).
    pub const COMMAND_NOT_ALLOWED: Self = Self(0x6986);
    /// `6987`: expected SM data objects missing.
    pub const SM_DATA_MISSING: Self = Self(0x6987);
    /// `6988`: SM data objects incorrect (bad MAC).
    pub const SM_DATA_INCORRECT: Self = Self(0x6988);
    /// `6A80`: incorrect parameters in the data field.
    pub const WRONG_DATA: Self = Self(0x6A80);
    /// `6A82`: file or application not found.
    pub const FILE_NOT_FOUND: Self = Self(0x6A82);
    /// `6A86`: incorrect P1-P2.
    pub const INCORRECT_P1P2: Self = Self(0x6A86);
    /// `6A88`: referenced data not found.
    pub const REFERENCED_DATA_NOT_FOUND: Self = Self(0x6A88);
    /// `6B00`: wrong parameters P1-P2 (offset outside the EF).
    pub const WRONG_P1P2: Self = Self(0x6B00);
    /// `6D00`: instruction not supported.
    pub const INS_NOT_SUPPORTED: Self = Self(0x6D00);
    /// `6E00`: class not supported.
    pub const CLA_NOT_SUPPORTED: Self = Self(0x6E00);
    /// `6F00`: no precise diagnosis.
    pub const UNKNOWN: Self = Self(0x6F00);

    /// SW1.
    pub fn sw1(self) -> u8 {
        (self.0 >> 8) as u8
    }

    /// SW2.
    pub fn sw2(self) -> u8 {
        (self.0 & 0xFF) as u8
    }

    /// `9000`.
    pub fn is_success(self) -> bool {
        self == Self::SUCCESS
    }

    /// `6Cxx`: wrong Le, the card says the right one in SW2 (0 meaning 256).
    pub fn correct_le(self) -> Option<usize> {
        (self.sw1() == 0x6C).then(|| match self.sw2() {
            0 => 256,
            n => usize::from(n),
        })
    }
}

impl core::fmt::Debug for StatusWord {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "StatusWord({:04X})", self.0)
    }
}

impl core::fmt::Display for StatusWord {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{:04X}", self.0)
    }
}

/// A malformed APDU.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ApduError {
    /// A response shorter than its two status bytes.
    #[error("response of {0} bytes has no status word")]
    ResponseTooShort(usize),
    /// A command shorter than its four header bytes, or whose body does not match a case.
    #[error("malformed command APDU")]
    MalformedCommand,
    /// A data field longer than 65535 bytes or an Le above 65536.
    #[error("data or Le too large for an APDU")]
    TooLarge,
}

/// A command APDU.
#[derive(Clone, PartialEq, Eq)]
pub struct Command {
    /// Class byte (`0C` under secure messaging).
    pub cla: u8,
    /// Instruction.
    pub ins: u8,
    /// Parameter 1.
    pub p1: u8,
    /// Parameter 2.
    pub p2: u8,
    /// Command data (Lc is its length).
    pub data: Vec<u8>,
    /// Expected response length; `Some(256)` is short `00`, `Some(65536)` extended `0000`.
    pub le: Option<usize>,
    /// Force the extended encoding even when short would do.
    pub extended: bool,
}

impl core::fmt::Debug for Command {
    // Data may hold secrets (MSE, GENERAL AUTHENTICATE); print its length only.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "Command({:02X} {:02X} {:02X} {:02X}, {} data bytes, le {:?})",
            self.cla,
            self.ins,
            self.p1,
            self.p2,
            self.data.len(),
            self.le
        )
    }
}

impl Command {
    /// A command with no data and no Le (case 1).
    pub fn new(cla: u8, ins: u8, p1: u8, p2: u8) -> Self {
        Self {
            cla,
            ins,
            p1,
            p2,
            data: Vec::new(),
            le: None,
            extended: false,
        }
    }

    /// Sets the data field.
    pub fn with_data(mut self, data: Vec<u8>) -> Self {
        self.data = data;
        self
    }

    /// Sets Le.
    pub fn with_le(mut self, le: usize) -> Self {
        self.le = Some(le);
        self
    }

    /// Forces extended length encoding.
    pub fn with_extended(mut self, extended: bool) -> Self {
        self.extended = extended;
        self
    }

    /// Whether this command needs (or was asked for) the extended encoding.
    pub fn is_extended(&self) -> bool {
        self.extended || self.data.len() > 255 || self.le.is_some_and(|le| le > MAX_SHORT_LE)
    }

    /// The bytes sent to the card.
    pub fn to_bytes(&self) -> Result<Vec<u8>, ApduError> {
        if self.data.len() > 65_535 || self.le.is_some_and(|le| le > MAX_EXTENDED_LE) {
            return Err(ApduError::TooLarge);
        }
        let ext = self.is_extended();
        let mut out = Vec::with_capacity(self.data.len() + 9);
        out.extend_from_slice(&[self.cla, self.ins, self.p1, self.p2]);
        if !self.data.is_empty() {
            if ext {
                out.push(0);
                out.extend_from_slice(&(self.data.len() as u16).to_be_bytes());
            } else {
                out.push(self.data.len() as u8);
            }
            out.extend_from_slice(&self.data);
        }
        if let Some(le) = self.le {
            if ext {
                if self.data.is_empty() {
                    out.push(0);
                }
                out.extend_from_slice(&((le % MAX_EXTENDED_LE) as u16).to_be_bytes());
            } else {
                out.push((le % MAX_SHORT_LE) as u8);
            }
        }
        Ok(out)
    }

    /// Parses a command APDU (the card side: the simulator).
    pub fn parse(bytes: &[u8]) -> Result<Self, ApduError> {
        let (header, body) = bytes
            .split_at_checked(4)
            .ok_or(ApduError::MalformedCommand)?;
        let &[cla, ins, p1, p2] = header else {
            return Err(ApduError::MalformedCommand);
        };
        let mut cmd = Self::new(cla, ins, p1, p2);
        match body {
            [] => {}
            [le] => cmd.le = Some(if *le == 0 { 256 } else { usize::from(*le) }),
            [0, hi, lo, after @ ..] => {
                cmd.extended = true;
                let n = usize::from(u16::from_be_bytes([*hi, *lo]));
                if after.is_empty() {
                    // Case 2E: 00 Le1 Le2.
                    cmd.le = Some(if n == 0 { 65_536 } else { n });
                } else {
                    let data = after.get(..n).ok_or(ApduError::MalformedCommand)?;
                    if n == 0 {
                        return Err(ApduError::MalformedCommand);
                    }
                    cmd.data = data.to_vec();
                    match after.get(n..) {
                        Some([]) => {}
                        Some([a, b]) => {
                            let le = usize::from(u16::from_be_bytes([*a, *b]));
                            cmd.le = Some(if le == 0 { 65_536 } else { le });
                        }
                        _ => return Err(ApduError::MalformedCommand),
                    }
                }
            }
            [lc, rest @ ..] => {
                let n = usize::from(*lc);
                let data = rest.get(..n).ok_or(ApduError::MalformedCommand)?;
                cmd.data = data.to_vec();
                match rest.get(n..) {
                    Some([]) => {}
                    Some([le]) => cmd.le = Some(if *le == 0 { 256 } else { usize::from(*le) }),
                    _ => return Err(ApduError::MalformedCommand),
                }
            }
        }
        Ok(cmd)
    }
}

/// A response APDU.
#[derive(Clone, PartialEq, Eq)]
pub struct Response {
    /// Response data.
    pub data: Vec<u8>,
    /// Status word.
    pub sw: StatusWord,
}

impl core::fmt::Debug for Response {
    // Response data is card data (personal, or key material): length only.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Response({} data bytes, {})", self.data.len(), self.sw)
    }
}

impl Response {
    /// A response with data and a status word.
    pub fn new(data: Vec<u8>, sw: StatusWord) -> Self {
        Self { data, sw }
    }

    /// A bare status word.
    pub fn status(sw: StatusWord) -> Self {
        Self::new(Vec::new(), sw)
    }

    /// Splits the bytes received from the card.
    pub fn parse(bytes: &[u8]) -> Result<Self, ApduError> {
        let split = bytes
            .len()
            .checked_sub(2)
            .ok_or(ApduError::ResponseTooShort(bytes.len()))?;
        let (data, sw) = bytes.split_at(split);
        let sw = match sw {
            [a, b] => StatusWord(u16::from_be_bytes([*a, *b])),
            _ => return Err(ApduError::ResponseTooShort(bytes.len())),
        };
        Ok(Self::new(data.to_vec(), sw))
    }

    /// The bytes the card sends.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = self.data.clone();
        out.extend_from_slice(&self.sw.0.to_be_bytes());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_extended_encodings_roundtrip() {
        let cases = [
            Command::new(0, 0x84, 0, 0).with_le(8),
            Command::new(0, 0xB0, 0, 0).with_le(256),
            Command::new(0, 0xB0, 0x81, 0).with_le(0x4000),
            Command::new(0, 0xB0, 0, 0).with_le(65_536),
            Command::new(0x0C, 0xA4, 2, 0x0C)
                .with_data(vec![1; 300])
                .with_le(256),
            Command::new(0, 0x2A, 0, 0xBE)
                .with_data(vec![2; 3])
                .with_extended(true),
        ];
        for c in cases {
            let b = c.to_bytes().unwrap();
            let p = Command::parse(&b).unwrap();
            assert_eq!(p.data, c.data);
            assert_eq!(p.le, c.le);
            assert_eq!(p.is_extended(), c.is_extended());
        }
        assert_eq!(
            Command::new(0, 0xB0, 0, 0)
                .with_le(65_536)
                .to_bytes()
                .unwrap(),
            vec![0, 0xB0, 0, 0, 0, 0, 0]
        );
        assert_eq!(
            Command::new(0, 0xB0, 0, 0).with_le(256).to_bytes().unwrap(),
            vec![0, 0xB0, 0, 0, 0]
        );
    }

    #[test]
    fn malformed() {
        assert_eq!(
            Command::parse(&[0, 0xA4, 0]),
            Err(ApduError::MalformedCommand)
        );
        assert_eq!(
            Command::parse(&[0, 0xA4, 0, 0, 5, 1]),
            Err(ApduError::MalformedCommand)
        );
        assert_eq!(
            Response::parse(&[0x90]),
            Err(ApduError::ResponseTooShort(1))
        );
        let r = Response::parse(&[1, 2, 0x6C, 0x10]).unwrap();
        assert_eq!(r.data, vec![1, 2]);
        assert_eq!(r.sw.correct_le(), Some(16));
    }
}
