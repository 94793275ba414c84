//! DG1: the MRZ as the chip holds it (ICAO 9303-10 §4.7.1).
//!
//! ```text
//! ICAO 9303-10 §4.7.1, Table 37
//! 61 L          DG1
//!    5F1F L     MRZ data elements: 90 (TD1), 72 (TD2) or 88 (TD3) characters, no line breaks
//! ```
//!
//! ```
//! use cccd::lds::{Dg1, MrzFormat};
//! // ICAO 9303-5 TD1 specimen wrapped as DG1.
//! let mrz = "I<UTOD231458907<<<<<<<<<<<<<<<7408122F1204159UTO<<<<<<<<<<<6ERIKSSON<<ANNA<MARIA<<<<<<<<<<";
//! let mut bytes = vec![0x61, 0x5D, 0x5F, 0x1F, 0x5A];
//! bytes.extend_from_slice(mrz.as_bytes());
//! let dg1 = Dg1::parse(&bytes).unwrap();
//! assert_eq!(dg1.mrz.format, MrzFormat::Td1);
//! assert_eq!(dg1.mrz.primary_identifier, "ERIKSSON");
//! ```

use super::mrz::{Mrz, MrzError};
use super::{outer, Fault, LdsError, LdsErrorKind};
use crate::files::ElementaryFile;
use crate::tlv::Tag;

/// Tag of DG1.
pub const TAG_DG1: u32 = 0x61;
/// Tag of the MRZ data elements.
pub const TAG_MRZ: u32 = 0x5F1F;

/// The parsed DG1.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Dg1 {
    /// The MRZ split into fields. Its check digits are reported in
    /// [`Mrz::check_digits_valid`], not enforced: the chip's data is authenticated by the SOD
    /// hash, and a report should show a printing error rather than refuse the document.
    pub mrz: Mrz,
}

impl Dg1 {
    /// Parses DG1. Errors: not tag 61, no 5F1F, data after it, an MRZ of the wrong length or
    /// with characters outside `0-9 A-Z <`.
    pub fn parse(bytes: &[u8]) -> Result<Self, LdsError> {
        Self::with_mrz(bytes, Mrz::parse_exact)
            .map(|mrz| Self { mrz })
            .map_err(|f| f.in_file(ElementaryFile::Dg(1)))
    }

    /// DG1's issuing state, for the same inputs as [`Dg1::parse`] (passive authentication
    /// binds it to the certificates' country and needs no other field).
    pub fn issuing_state(bytes: &[u8]) -> Result<String, LdsError> {
        Self::with_mrz(bytes, Mrz::issuing_state_exact)
            .map_err(|f| f.in_file(ElementaryFile::Dg(1)))
    }

    /// `read` applied to the MRZ text of DG1, with DG1's framing checked first.
    fn with_mrz<T>(
        bytes: &[u8],
        read: impl FnOnce(&str) -> Result<T, MrzError>,
    ) -> Result<T, Fault> {
        let dg1 = outer(bytes, TAG_DG1)?;
        let mut r = dg1.children();
        let mrz = r.read_tag(Tag(TAG_MRZ))?;
        r.finish()?;
        let at = mrz.value_offset;
        let text = core::str::from_utf8(mrz.value).map_err(|e| {
            Fault::new(
                LdsErrorKind::Invalid {
                    field: "MRZ",
                    reason: "not ASCII",
                },
                at + e.valid_up_to(),
            )
        })?;
        read(text).map_err(|e| {
            // A bad character is located within the MRZ; a bad length is the MRZ's.
            let offset = match e {
                MrzError::Character(pos) => at + pos,
                _ => at,
            };
            Fault::new(LdsErrorKind::Mrz(e), offset)
        })
    }
}
