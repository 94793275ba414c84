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
pub mod sod;
pub mod terminal_authentication_info;

pub use com::{DataGroup, EfCom};
pub use dg1::Dg1;
pub use dg13::Dg13;
pub use mrz::{Mrz, MrzFormat};

use crate::tlv::TlvError;
use thiserror::Error;

/// A file of the LDS that cannot be parsed. Never carries the file's content (personal data).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum LdsError {
    /// Malformed BER-TLV, with the byte offset.
    #[error(transparent)]
    Tlv(#[from] TlvError),
    /// The file or an element starts with another tag than the structure requires.
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
    Mrz(#[from] mrz::MrzError),
    /// The same field appears twice where the specification allows it once.
    #[error("duplicate {field} (number {number})")]
    Duplicate {
        /// The element (specification name).
        field: &'static str,
        /// Its number or tag.
        number: u32,
    },
}

/// Reads the single outer element of a file, requiring its tag (`UnexpectedTag` when another
/// tag is there) and that nothing follows it.
pub(crate) fn outer(bytes: &[u8], tag: u32) -> Result<crate::tlv::Tlv<'_>, LdsError> {
    let mut r = crate::tlv::Reader::new(bytes);
    let tlv = r.read()?;
    if tlv.tag.0 != tag {
        return Err(LdsError::UnexpectedTag {
            expected: tag,
            found: tlv.tag.0,
        });
    }
    r.finish()?;
    Ok(tlv)
}
