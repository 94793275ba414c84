//! The Logical Data Structure (ICAO 9303-10): one module per file, each a plain struct with
//! `parse(&[u8]) -> Result<Self, LdsError>`.

pub mod active_authentication_info;
pub mod chip_authentication_info;
pub mod com;
pub mod dg1;
pub mod dg11;
pub mod dg12;
pub mod dg13;
pub mod dg14;
pub mod dg15;
pub mod dg2;
pub mod mrz;
pub mod pace_info;
pub mod protocol;
pub mod security_info;
// EF.SOD is parsed for passive authentication (`crate::verify::verify_passive`), which
// reports on it; the parser is a primitive (feature `internals`).
#[cfg(feature = "internals")]
pub mod sod;
#[cfg(not(feature = "internals"))]
#[allow(dead_code, unused_imports)] // helpers for the tests, fuzz targets, simulator
pub(crate) mod sod;
pub mod terminal_authentication_info;

pub use com::{DataGroup, EfCom};
pub use dg1::Dg1;
pub use dg11::Dg11;
pub use dg12::Dg12;
pub use dg13::Dg13;
pub use dg14::Dg14;
pub use dg15::Dg15;
pub use dg2::Dg2;
pub use mrz::{Mrz, MrzError, MrzFormat};

use crate::files::ElementaryFile;
use crate::pki::spki::SecurityInfoError;
use crate::tlv::{TlvError, TlvErrorKind};
use thiserror::Error;

/// A file of the LDS that does not parse: which file, what is wrong with it, and where (the
/// byte offset from the file's first byte). Every parser of this module returns it, so a
/// caller meets one error type whatever the file. Never carries the file's content (personal
/// data).
///
/// ```
/// use cccd::lds::{Dg13, LdsErrorKind};
/// use cccd::ElementaryFile;
/// // 6D { 31 ... }: DG13 must hold a SEQUENCE.
/// let err = Dg13::parse(&[0x6D, 0x02, 0x31, 0x00]).unwrap_err();
/// assert_eq!(err.file, ElementaryFile::Dg(13));
/// assert_eq!(err.kind, LdsErrorKind::UnexpectedTag { expected: 0x30, found: 0x31 });
/// assert_eq!((err.offset, err.code()), (2, "unexpected_tag"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{} does not parse: {kind} (at byte {offset})", file.name())]
#[non_exhaustive]
pub struct LdsError {
    /// The file.
    pub file: ElementaryFile,
    /// What is wrong.
    pub kind: LdsErrorKind,
    /// Offset of the offending element from the file's first byte.
    pub offset: usize,
}

impl LdsError {
    /// A stable code for the kind of fault, for programs and JSON (`tlv`, `unexpected_tag`,
    /// `invalid`, ...): the variant, never its details.
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }
}

/// What is wrong with a file of the LDS ([`LdsError::kind`]).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum LdsErrorKind {
    /// Malformed BER-TLV (a length past the end, trailing bytes, a missing element).
    #[error("malformed TLV: {0}")]
    Tlv(TlvErrorKind),
    /// An element has another tag than the structure requires.
    #[error("expected tag {expected:02X}, found {found:02X}")]
    UnexpectedTag {
        /// The tag the structure requires.
        expected: u32,
        /// The tag that is there.
        found: u32,
    },
    /// A value that is well-formed TLV but not what the specification allows.
    #[error("invalid {field}: {reason}")]
    Invalid {
        /// The element (specification name).
        field: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The MRZ in DG1 cannot be split into fields.
    #[error("MRZ: {0}")]
    Mrz(mrz::MrzError),
    /// The same field appears twice where the specification allows it once.
    #[error("duplicate {field} (number {number:X})")]
    Duplicate {
        /// The element (specification name).
        field: &'static str,
        /// Its number or tag.
        number: u32,
    },
    /// An OBJECT IDENTIFIER that is not valid BER (or longer than 39 bytes).
    #[error("invalid OBJECT IDENTIFIER")]
    InvalidOid,
    /// An INTEGER that is empty, negative, or too large for the field it fills.
    #[error("invalid INTEGER")]
    InvalidInteger,
    /// A BIT STRING that is empty or has unused bits where whole bytes are required.
    #[error("invalid BIT STRING")]
    InvalidBitString,
    /// A value of the wrong size or form (a FileID that is not 2 bytes, an EC point that is
    /// not a point encoding, a bad image format identifier).
    #[error("invalid value: {what}")]
    InvalidValue {
        /// What was expected.
        what: &'static str,
    },
    /// Well-formed, but not handled (an EC field of characteristic two, another ISO 19794-5
    /// version, a protected biometric template).
    #[error("unsupported: {what}")]
    Unsupported {
        /// What is not supported.
        what: &'static str,
    },
    /// DG2: the number of biometric instances differs from the templates found.
    #[error("{declared} biometric instances declared, {found} found")]
    InstanceCount {
        /// What `02` says.
        declared: u64,
        /// How many `7F60` follow.
        found: usize,
    },
    /// A binary (non-TLV) record ends before a field it must hold (ISO 19794-5).
    #[error("data ends early: needed {needed} bytes, {available} left")]
    Truncated {
        /// Bytes the field needs.
        needed: usize,
        /// Bytes left.
        available: usize,
    },
    /// A length field disagrees with the data around it.
    #[error("a length says {declared}, the data allows {actual}")]
    LengthMismatch {
        /// The length claimed.
        declared: u64,
        /// The length the enclosing structure allows.
        actual: usize,
    },
    /// A required element is absent.
    #[error("missing {what}")]
    Missing {
        /// What is missing.
        what: &'static str,
    },
    /// A SecurityInfo version its protocol does not define (a ChipAuthenticationInfo of
    /// version 10).
    #[error("version {version} is not defined for this SecurityInfo")]
    UnsupportedVersion {
        /// The version.
        version: u64,
    },
    /// A public key info under the id-PK arc of no defined protocol (BSI TR-03110-3 §A.1.1.2
    /// defines id-PK-DH and id-PK-ECDH only).
    #[error("undefined public key protocol {protocol}")]
    UndefinedPublicKeyProtocol {
        /// The OBJECT IDENTIFIER, dotted.
        protocol: String,
    },
}

impl LdsErrorKind {
    /// A stable code for programs and JSON: the variant's name in snake_case.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Tlv(_) => "tlv",
            Self::UnexpectedTag { .. } => "unexpected_tag",
            Self::Invalid { .. } => "invalid",
            Self::Mrz(_) => "mrz",
            Self::Duplicate { .. } => "duplicate",
            Self::InvalidOid => "invalid_oid",
            Self::InvalidInteger => "invalid_integer",
            Self::InvalidBitString => "invalid_bit_string",
            Self::InvalidValue { .. } => "invalid_value",
            Self::Unsupported { .. } => "unsupported",
            Self::InstanceCount { .. } => "instance_count",
            Self::Truncated { .. } => "truncated",
            Self::LengthMismatch { .. } => "length_mismatch",
            Self::Missing { .. } => "missing",
            Self::UnsupportedVersion { .. } => "unsupported_version",
            Self::UndefinedPublicKeyProtocol { .. } => "undefined_public_key_protocol",
        }
    }
}

/// A fault found inside a file, before the parser that owns the file names it
/// ([`Fault::in_file`]): what the helpers shared by several files return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fault {
    pub(crate) kind: LdsErrorKind,
    pub(crate) offset: usize,
}

impl Fault {
    pub(crate) fn new(kind: LdsErrorKind, offset: usize) -> Self {
        Self { kind, offset }
    }

    /// The error of `file`.
    pub(crate) fn in_file(self, file: ElementaryFile) -> LdsError {
        LdsError {
            file,
            kind: self.kind,
            offset: self.offset,
        }
    }
}

impl From<TlvError> for Fault {
    fn from(e: TlvError) -> Self {
        let kind = match e.kind {
            // One spelling for a wrong tag, whichever reader found it.
            TlvErrorKind::UnexpectedTag { expected, found } => {
                LdsErrorKind::UnexpectedTag { expected, found }
            }
            kind => LdsErrorKind::Tlv(kind),
        };
        Self::new(kind, e.offset)
    }
}

impl From<SecurityInfoError> for Fault {
    fn from(e: SecurityInfoError) -> Self {
        match e {
            SecurityInfoError::Tlv(t) => t.into(),
            SecurityInfoError::InvalidOid { offset } => Self::new(LdsErrorKind::InvalidOid, offset),
            SecurityInfoError::InvalidInteger { offset } => {
                Self::new(LdsErrorKind::InvalidInteger, offset)
            }
            SecurityInfoError::InvalidBitString { offset } => {
                Self::new(LdsErrorKind::InvalidBitString, offset)
            }
            SecurityInfoError::InvalidValue { offset, what } => {
                Self::new(LdsErrorKind::InvalidValue { what }, offset)
            }
            SecurityInfoError::Unsupported { offset, what } => {
                Self::new(LdsErrorKind::Unsupported { what }, offset)
            }
            SecurityInfoError::UnsupportedVersion { offset, version } => {
                Self::new(LdsErrorKind::UnsupportedVersion { version }, offset)
            }
            SecurityInfoError::UndefinedPublicKeyProtocol { offset, protocol } => Self::new(
                LdsErrorKind::UndefinedPublicKeyProtocol {
                    protocol: protocol.to_string(),
                },
                offset,
            ),
        }
    }
}

/// Reads the single outer element of a file, requiring its tag (`UnexpectedTag` when another
/// tag is there) and that nothing follows it.
pub(crate) fn outer(bytes: &[u8], tag: u32) -> Result<crate::tlv::Tlv<'_>, Fault> {
    let mut r = crate::tlv::Reader::new(bytes);
    let tlv = r.read()?;
    if tlv.tag.0 != tag {
        return Err(Fault::new(
            LdsErrorKind::UnexpectedTag {
                expected: tag,
                found: tlv.tag.0,
            },
            tlv.offset,
        ));
    }
    r.finish()?;
    Ok(tlv)
}
