//! DG12, additional document details (ICAO 9303-10 §4.7.12). Passports carry it; the CCCD
//! does not (its issue date is in DG13).
//!
//! ```text
//! 6C { 5C tag list,
//!      5F19 issuing authority, 5F26 date of issue (YYYYMMDD), A0 { 02 count, 5F1A name ... },
//!      5F1B endorsements and observations, 5F1C tax or exit requirements,
//!      5F1D image of front, 5F1E image of rear, 5F55 personalisation time (YYYYMMDDhhmmss),
//!      5F56 personalisation system serial number }
//! ```

use super::dg11::{duplicate, text};
use super::{outer, Fault, LdsError};
use crate::files::ElementaryFile;
use crate::tlv::Tag;

/// The parsed DG12. `Debug` shows which fields are present, not their values.
#[derive(Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct Dg12 {
    /// `5F19`: issuing authority.
    pub issuing_authority: Option<String>,
    /// `5F26`: date of issue, `YYYYMMDD`.
    pub date_of_issue: Option<String>,
    /// `5F1A` in `A0`: names of other persons.
    pub other_persons: Vec<String>,
    /// `5F1B`: endorsements and observations.
    pub endorsements_and_observations: Option<String>,
    /// `5F1C`: tax or exit requirements.
    pub tax_or_exit_requirements: Option<String>,
    /// `5F1D`: image of the front of the document (kept raw).
    #[cfg_attr(feature = "serde", serde(skip))]
    pub image_of_front: Option<Vec<u8>>,
    /// `5F1E`: image of the rear of the document (kept raw).
    #[cfg_attr(feature = "serde", serde(skip))]
    pub image_of_rear: Option<Vec<u8>>,
    /// `5F55`: date and time of personalisation, `YYYYMMDDhhmmss`.
    pub personalisation_time: Option<String>,
    /// `5F56`: serial number of the personalisation system.
    pub personalisation_system_serial: Option<String>,
}

impl core::fmt::Debug for Dg12 {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Dg12")
            .field("issuing_authority", &self.issuing_authority.is_some())
            .field("date_of_issue", &self.date_of_issue.is_some())
            .field("other_persons", &self.other_persons.len())
            .field(
                "image_of_front",
                &self.image_of_front.as_ref().map(Vec::len),
            )
            .field("image_of_rear", &self.image_of_rear.as_ref().map(Vec::len))
            .finish_non_exhaustive()
    }
}

impl Dg12 {
    /// Parses DG12 (tag `6C`). Unknown tags are skipped; a field given twice is an error.
    pub fn parse(bytes: &[u8]) -> Result<Self, LdsError> {
        Self::parse_fields(bytes).map_err(|f| f.in_file(ElementaryFile::Dg(12)))
    }

    fn parse_fields(bytes: &[u8]) -> Result<Self, Fault> {
        let dg = outer(bytes, 0x6C)?;
        let mut out = Self::default();
        for item in dg.children() {
            let item = item?;
            let slot = match item.tag.0 {
                0x5F19 => &mut out.issuing_authority,
                0x5F26 => &mut out.date_of_issue,
                0x5F1B => &mut out.endorsements_and_observations,
                0x5F1C => &mut out.tax_or_exit_requirements,
                0x5F55 => &mut out.personalisation_time,
                0x5F56 => &mut out.personalisation_system_serial,
                0x5F1D | 0x5F1E => {
                    let image = if item.tag.0 == 0x5F1D {
                        &mut out.image_of_front
                    } else {
                        &mut out.image_of_rear
                    };
                    if image.replace(item.value.to_vec()).is_some() {
                        return Err(duplicate(&item));
                    }
                    continue;
                }
                0xA0 => {
                    for name in item.children() {
                        let name = name?;
                        if name.tag == Tag(0x5F1A) {
                            out.other_persons.push(text(name.value));
                        }
                    }
                    continue;
                }
                _ => continue,
            };
            if slot.replace(text(item.value)).is_some() {
                return Err(duplicate(&item));
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tlv::Writer;

    #[test]
    fn parses_the_icao_layout() {
        let mut w = Writer::new();
        w.constructed(Tag(0x6C), |w| {
            w.put(Tag(0x5C), &[0x5F, 0x19, 0x5F, 0x26, 0x5F, 0x55]);
            w.put(Tag(0x5F19), b"UTOPIA MINISTRY");
            w.put(Tag(0x5F26), b"20240701");
            w.put(Tag(0x5F55), b"20240701093000");
            w.put(Tag(0x5F1D), &[0xFF, 0xD8, 0xFF, 0xD9]);
        });
        let dg = Dg12::parse(&w.into_bytes()).unwrap();
        assert_eq!(dg.issuing_authority.as_deref(), Some("UTOPIA MINISTRY"));
        assert_eq!(dg.date_of_issue.as_deref(), Some("20240701"));
        assert_eq!(dg.personalisation_time.as_deref(), Some("20240701093000"));
        assert_eq!(
            dg.image_of_front.as_deref(),
            Some(&[0xFF, 0xD8, 0xFF, 0xD9][..])
        );
        assert!(Dg12::parse(&[0x6C, 0x05, 0x5F, 0x19, 0x05, 0x41]).is_err());
    }
}
