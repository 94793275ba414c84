//! DG11, additional personal details (ICAO 9303-10 §4.7.11). Passports carry it; the CCCD does
//! not (it answers `6A82`): its equivalents are in DG13.
//!
//! ```text
//! 6B { 5C tag list,
//!      5F0E full name, A0 { 02 count, 5F0F other name ... }, 5F10 personal number,
//!      5F2B full date of birth (YYYYMMDD), 5F11 place of birth, 5F42 permanent address,
//!      5F12 telephone, 5F13 profession, 5F14 title, 5F15 personal summary,
//!      5F16 proof of citizenship (image), 5F17 other valid TD numbers, 5F18 custody }
//! ```

use super::{outer, Fault, LdsError, LdsErrorKind};
use crate::files::ElementaryFile;
use crate::tlv::{Tag, Tlv};

/// The parsed DG11. Text fields are kept as the chip holds them (`<` as name separator).
///
/// `Debug` shows which fields are present, not their values (personal data).
#[derive(Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct Dg11 {
    /// `5F0E`: full name of the holder (primary and secondary identifiers, `<<` between).
    pub full_name: Option<String>,
    /// `5F0F` in `A0`: other names.
    pub other_names: Vec<String>,
    /// `5F10`: personal number.
    pub personal_number: Option<String>,
    /// `5F2B`: full date of birth, `YYYYMMDD`.
    pub full_date_of_birth: Option<String>,
    /// `5F11`: place of birth.
    pub place_of_birth: Option<String>,
    /// `5F42`: permanent address.
    pub permanent_address: Option<String>,
    /// `5F12`: telephone.
    pub telephone: Option<String>,
    /// `5F13`: profession.
    pub profession: Option<String>,
    /// `5F14`: title.
    pub title: Option<String>,
    /// `5F15`: personal summary.
    pub personal_summary: Option<String>,
    /// `5F16`: proof of citizenship (an image, kept raw).
    #[cfg_attr(feature = "serde", serde(skip))]
    pub proof_of_citizenship: Option<Vec<u8>>,
    /// `5F17`: other valid travel document numbers.
    pub other_td_numbers: Option<String>,
    /// `5F18`: custody information.
    pub custody_information: Option<String>,
}

impl core::fmt::Debug for Dg11 {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Dg11")
            .field("full_name", &self.full_name.is_some())
            .field("other_names", &self.other_names.len())
            .field("full_date_of_birth", &self.full_date_of_birth.is_some())
            .finish_non_exhaustive()
    }
}

impl Dg11 {
    /// Parses DG11 (tag `6B`). Unknown tags are skipped; a field given twice is an error.
    pub fn parse(bytes: &[u8]) -> Result<Self, LdsError> {
        Self::parse_fields(bytes).map_err(|f| f.in_file(ElementaryFile::Dg(11)))
    }

    fn parse_fields(bytes: &[u8]) -> Result<Self, Fault> {
        let dg = outer(bytes, 0x6B)?;
        let mut out = Self::default();
        for item in dg.children() {
            let item = item?;
            let slot = match item.tag.0 {
                0x5C => continue,
                0x5F0E => &mut out.full_name,
                0x5F10 => &mut out.personal_number,
                0x5F2B => &mut out.full_date_of_birth,
                0x5F11 => &mut out.place_of_birth,
                0x5F42 => &mut out.permanent_address,
                0x5F12 => &mut out.telephone,
                0x5F13 => &mut out.profession,
                0x5F14 => &mut out.title,
                0x5F15 => &mut out.personal_summary,
                0x5F17 => &mut out.other_td_numbers,
                0x5F18 => &mut out.custody_information,
                0x5F16 => {
                    if out
                        .proof_of_citizenship
                        .replace(item.value.to_vec())
                        .is_some()
                    {
                        return Err(duplicate(&item));
                    }
                    continue;
                }
                0xA0 => {
                    for name in item.children() {
                        let name = name?;
                        if name.tag == Tag(0x5F0F) {
                            out.other_names.push(text(name.value));
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

/// Latin-1 or UTF-8 text as ICAO 9303-10 allows: UTF-8 when valid, else byte-per-char.
pub(crate) fn text(value: &[u8]) -> String {
    match std::str::from_utf8(value) {
        Ok(s) => s.to_string(),
        Err(_) => value.iter().map(|b| char::from(*b)).collect(),
    }
}

/// A data element given twice.
pub(crate) fn duplicate(item: &Tlv<'_>) -> Fault {
    Fault::new(
        LdsErrorKind::Duplicate {
            field: "data element",
            number: item.tag.0,
        },
        item.offset,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tlv::Writer;

    fn sample() -> Vec<u8> {
        let mut w = Writer::new();
        w.constructed(Tag(0x6B), |w| {
            w.put(Tag(0x5C), &[0x5F, 0x0E, 0x5F, 0x2B, 0x5F, 0x11, 0xA0]);
            w.put(Tag(0x5F0E), b"ERIKSSON<<ANNA<MARIA");
            w.put(Tag(0x5F2B), b"19740812");
            w.put(Tag(0x5F11), b"ZENITH");
            w.constructed(Tag(0xA0), |w| {
                w.put(Tag(0x02), &[0x02]);
                w.put(Tag(0x5F0F), b"SVENSSON<<ANNA");
                w.put(Tag(0x5F0F), b"ANNA<<MARIA");
            });
            w.put(Tag(0x5F50), b"unknown tag, skipped");
        });
        w.into_bytes()
    }

    #[test]
    fn parses_the_icao_layout() {
        let dg = Dg11::parse(&sample()).unwrap();
        assert_eq!(dg.full_name.as_deref(), Some("ERIKSSON<<ANNA<MARIA"));
        assert_eq!(dg.full_date_of_birth.as_deref(), Some("19740812"));
        assert_eq!(dg.place_of_birth.as_deref(), Some("ZENITH"));
        assert_eq!(dg.other_names, vec!["SVENSSON<<ANNA", "ANNA<<MARIA"]);
        assert!(!format!("{dg:?}").contains("ERIKSSON"));
    }

    #[test]
    fn malformed_and_duplicates_are_errors() {
        let mut bytes = sample();
        bytes.truncate(bytes.len() - 3);
        assert!(Dg11::parse(&bytes).is_err());
        let mut w = Writer::new();
        w.constructed(Tag(0x6B), |w| {
            w.put(Tag(0x5F0E), b"A");
            w.put(Tag(0x5F0E), b"B");
        });
        let bytes = w.into_bytes();
        let err = Dg11::parse(&bytes).unwrap_err();
        assert!(matches!(
            err.kind,
            LdsErrorKind::Duplicate { number: 0x5F0E, .. }
        ));
        assert_eq!((err.file, err.offset), (ElementaryFile::Dg(11), 6));
        assert_eq!(
            Dg11::parse(&[0x6C, 0x00]).unwrap_err().kind,
            LdsErrorKind::UnexpectedTag {
                expected: 0x6B,
                found: 0x6C
            }
        );
    }
}
