//! The machine readable zone (ICAO 9303-3 §4, 9303-4, 9303-5, 9303-6): check digits and the
//! three layouts TD1 (3 × 30, ID cards such as the CCCD), TD2 (2 × 36) and TD3 (2 × 44,
//! passports).
//!
//! Shared by [`crate::lds::dg1`] (the MRZ as the chip holds it) and [`crate::access::key`] (an
//! MRZ typed or scanned by a teller).
//!
//! ```
//! use cccd::lds::mrz::{check_digit, Mrz, MrzFormat};
//! // ICAO 9303-3 §4.9, first worked example.
//! assert_eq!(check_digit("520727"), Some(3));
//! // The TD1 specimen of ICAO 9303-5.
//! let mrz = Mrz::parse(
//!     "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<",
//! ).unwrap();
//! assert_eq!(mrz.format, MrzFormat::Td1);
//! assert_eq!(mrz.document_number, "D23145890");
//! assert!(mrz.check_digits_valid);
//! ```

use thiserror::Error;
use zeroize::{Zeroize, Zeroizing};

/// Characters in a TD1 MRZ (3 lines of 30).
pub const TD1_LEN: usize = 90;
/// Characters in a TD2 MRZ (2 lines of 36).
pub const TD2_LEN: usize = 72;
/// Characters in a TD3 MRZ (2 lines of 44).
pub const TD3_LEN: usize = 88;
/// The filler character.
pub const FILLER: u8 = b'<';

/// Weights of the check-digit computation, repeated over the input (ICAO 9303-3 §4.9).
const WEIGHTS: [u32; 3] = [7, 3, 1];

/// The numerical value of an MRZ character (ICAO 9303-3 §4.9): digits are themselves, `A`..`Z`
/// are 10..35, the filler `<` is 0. Anything else is not an MRZ character.
pub fn char_value(c: u8) -> Option<u32> {
    match c {
        b'0'..=b'9' => Some(u32::from(c - b'0')),
        b'A'..=b'Z' => Some(u32::from(c - b'A') + 10),
        FILLER => Some(0),
        _ => None,
    }
}

/// The check digit of `data` (ICAO 9303-3 §4.9): the weighted sum (7, 3, 1, 7, ...) of the
/// character values, modulo 10. `None` when `data` holds a character outside `0-9 A-Z <`.
pub fn check_digit(data: &str) -> Option<u8> {
    let mut sum: u32 = 0;
    for (c, w) in data.bytes().zip(WEIGHTS.iter().cycle()) {
        sum = (sum + char_value(c)? * w) % 10;
    }
    u8::try_from(sum).ok()
}

/// True when `digit` (the character printed in a check-digit position) is the check digit of
/// `data`. A filler `<` is accepted in place of `0` only when `data` is all fillers (an unused
/// optional-data field, or the expiry of a card without one): ICAO 9303-4 §4.2.2 allows it for
/// the personal number.
pub fn verify_check_digit(data: &str, digit: u8) -> bool {
    let Some(expected) = check_digit(data) else {
        return false;
    };
    match digit {
        b'0'..=b'9' => digit - b'0' == expected,
        FILLER => data.bytes().all(|c| c == FILLER),
        _ => false,
    }
}

/// True when `s` is a calendar date written `YYMMDD` (29 February only in years divisible by
/// 4: the century is unknown, and 2000 was a leap year).
pub fn is_valid_yymmdd(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 6 || !b.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let num = |i: usize| -> u16 {
        let hi = b.get(i).map_or(0, |c| u16::from(c - b'0'));
        let lo = b.get(i + 1).map_or(0, |c| u16::from(c - b'0'));
        hi * 10 + lo
    };
    let (yy, mm, dd) = (num(0), num(2), num(4));
    let Ok(mm) = u8::try_from(mm) else {
        return false;
    };
    (1..=12).contains(&mm) && dd >= 1 && dd <= u16::from(days_in_month(2000 + yy, mm))
}

/// Days in `month` (1..=12) of the Gregorian `year`; 0 for a month out of range.
pub fn days_in_month(year: u16, month: u8) -> u8 {
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    }
}

/// An MRZ that cannot be split into fields. Carries lengths and positions only, never the
/// characters (they are personal data).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum MrzError {
    /// Not 90 (TD1), 72 (TD2) or 88 (TD3) characters once line breaks and spaces are removed.
    #[error("an MRZ has 90 (TD1), 72 (TD2) or 88 (TD3) characters, not {0}")]
    Length(usize),
    /// A character outside `0-9 A-Z <` (0-based position, line breaks removed).
    #[error("character at position {0} is not 0-9, A-Z or '<'")]
    Character(usize),
}

/// The three MRZ layouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum MrzFormat {
    /// ICAO 9303-5: 3 lines of 30 characters (ID cards, the CCCD).
    Td1,
    /// ICAO 9303-6: 2 lines of 36 characters.
    Td2,
    /// ICAO 9303-4: 2 lines of 44 characters (passports).
    Td3,
}

/// Which check digits of an MRZ hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CheckDigits {
    /// Over the (possibly extended) document number.
    pub document_number: bool,
    /// Over the date of birth.
    pub date_of_birth: bool,
    /// Over the date of expiry.
    pub date_of_expiry: bool,
    /// TD3 only: over the personal number / optional data (positions 29-42 of line 2).
    pub optional_data: Option<bool>,
    /// The composite check digit over the upper/middle line fields.
    pub composite: bool,
    /// CCCD TD1 only: the last character of line 1, over the 12-digit ID number.
    pub vn_id_number: Option<bool>,
}

impl CheckDigits {
    /// True when every present check digit holds.
    pub fn all_valid(&self) -> bool {
        self.document_number
            && self.date_of_birth
            && self.date_of_expiry
            && self.optional_data.unwrap_or(true)
            && self.composite
            && self.vn_id_number.unwrap_or(true)
    }
}

/// An MRZ split into its fields. Fillers are removed from the ends of the fields and `<`
/// inside names becomes a space; dates stay as the 6 printed characters.
///
/// Implements [`Zeroize`] so that a copy parsed only to make a key can be wiped. `Debug`
/// prints the format and the check-digit verdicts only (the rest is personal data).
#[derive(Clone, PartialEq, Eq, Zeroize)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Mrz {
    /// The layout.
    #[zeroize(skip)]
    pub format: MrzFormat,
    /// `P` (passport), `I`, `ID`, `AC`... (the first two characters without fillers).
    pub document_code: String,
    /// Issuing state or organisation, three-letter code without fillers (`D` for Germany).
    pub issuing_state: String,
    /// The document number, completed from the optional data when longer than 9 characters
    /// (ICAO 9303-5 §4.2.2 note j). For a CCCD: the last 9 digits of the 12-digit ID.
    pub document_number: String,
    /// Date of birth, `YYMMDD` exactly as printed (may hold `<` for unknown parts).
    pub date_of_birth: String,
    /// `M`, `F` or `<` (unspecified).
    pub sex: String,
    /// Date of expiry, `YYMMDD` exactly as printed; `<<<<<<` for a document without expiry.
    pub date_of_expiry: String,
    /// Nationality, three-letter code without fillers.
    pub nationality: String,
    /// The primary identifier (surname), fillers turned to spaces.
    pub primary_identifier: String,
    /// The secondary identifier (given names), fillers turned to spaces.
    pub secondary_identifier: String,
    /// TD1: line 1 positions 16-30 (after a long document number's tail); TD2: line 2
    /// positions 29-35; TD3: the personal number (line 2 positions 29-42). Trailing fillers
    /// removed.
    pub optional_data_1: String,
    /// TD1 only: line 2 positions 19-29; empty for TD2 and TD3.
    pub optional_data_2: String,
    /// All characters, line breaks removed.
    pub raw: String,
    /// True when every check digit holds (see [`Mrz::check_digits`] for which).
    pub check_digits_valid: bool,
    /// Each check digit's result.
    #[zeroize(skip)]
    pub check_digits: CheckDigits,
    /// CCCD: the 12-digit ID from the TD1 optional data (`IDVNM` + doc9 + check + ID12 + `<<`
    /// + check), when the issuing state is `VNM` and the optional data starts with 12 digits.
    pub vn_id_number: Option<String>,
}

impl Mrz {
    /// Parses an MRZ as printed: line breaks, spaces and tabs anywhere are ignored; the
    /// format follows from the number of characters. Check digits are verified and reported,
    /// not enforced (see [`Mrz::check_digits_valid`]).
    pub fn parse(text: &str) -> Result<Self, MrzError> {
        // Sized once: a growing buffer would leave unwiped copies of the MRZ on the heap.
        let mut raw = Zeroizing::new(String::with_capacity(text.len()));
        raw.extend(text.chars().filter(|c| !c.is_whitespace()));
        Self::parse_exact(&raw)
    }

    /// Parses an MRZ given without any separator (as DG1 holds it).
    pub fn parse_exact(raw: &str) -> Result<Self, MrzError> {
        // From here on `raw` is ASCII, so byte ranges are char boundaries.
        Ok(match Self::format_of(raw)? {
            MrzFormat::Td1 => Self::parse_td1(raw),
            MrzFormat::Td2 => Self::parse_td2_td3(raw, MrzFormat::Td2, 36),
            MrzFormat::Td3 => Self::parse_td2_td3(raw, MrzFormat::Td3, 44),
        })
    }

    /// The issuing state alone (characters 3-5 in every format, fillers trimmed), for the
    /// same inputs as [`Mrz::parse_exact`] (the other fields are neither split out nor copied:
    /// passive authentication needs only this one).
    pub fn issuing_state_exact(raw: &str) -> Result<String, MrzError> {
        Self::format_of(raw)?;
        Ok(trim_fillers(field(raw, 2, 5)))
    }

    /// The format of an MRZ given without separators: every character `0-9 A-Z <`, and the
    /// length of one of the three formats.
    fn format_of(raw: &str) -> Result<MrzFormat, MrzError> {
        if let Some(pos) = raw.bytes().position(|c| char_value(c).is_none()) {
            return Err(MrzError::Character(pos));
        }
        match raw.len() {
            TD1_LEN => Ok(MrzFormat::Td1),
            TD2_LEN => Ok(MrzFormat::Td2),
            TD3_LEN => Ok(MrzFormat::Td3),
            n => Err(MrzError::Length(n)),
        }
    }

    /// The lines of the MRZ (3 for TD1, 2 otherwise).
    pub fn lines(&self) -> Vec<&str> {
        let width = match self.format {
            MrzFormat::Td1 => 30,
            MrzFormat::Td2 => 36,
            MrzFormat::Td3 => 44,
        };
        let mut out = Vec::new();
        let mut rest = self.raw.as_str();
        while let Some((line, tail)) = rest.split_at_checked(width) {
            out.push(line);
            rest = tail;
        }
        out
    }

    /// ICAO 9303-5 §4.2.2:
    /// ```text
    /// line 1: 1-2 code, 3-5 state, 6-14 doc number, 15 check, 16-30 optional data
    /// line 2: 1-6 birth, 7 check, 8 sex, 9-14 expiry, 15 check, 16-18 nationality,
    ///         19-29 optional data, 30 composite check (over 1:6-30, 2:1-7, 2:9-15, 2:19-29)
    /// line 3: name
    /// ```
    fn parse_td1(raw: &str) -> Self {
        let f = |from: usize, to: usize| field(raw, from, to);
        let issuing_state = trim_fillers(f(2, 5));
        let (document_number, doc_cd_ok, optional_data_1) =
            split_document_number(f(5, 14), byte(raw, 14), f(15, 30));
        let composite_input = concat_wiped(&[f(5, 30), f(30, 37), f(38, 45), f(48, 59)]);
        let (vn_id_number, vn_cd) = if issuing_state == "VNM" {
            vn_id_from_optional_data(f(15, 30))
        } else {
            (None, None)
        };
        let check_digits = CheckDigits {
            document_number: doc_cd_ok,
            date_of_birth: verify_check_digit(f(30, 36), byte(raw, 36)),
            date_of_expiry: verify_check_digit(f(38, 44), byte(raw, 44)),
            optional_data: None,
            composite: verify_check_digit(&composite_input, byte(raw, 59)),
            vn_id_number: vn_cd,
        };
        let (primary_identifier, secondary_identifier) = split_name(f(60, 90));
        Self {
            format: MrzFormat::Td1,
            document_code: trim_fillers(f(0, 2)),
            issuing_state,
            document_number,
            date_of_birth: f(30, 36).to_owned(),
            sex: f(37, 38).to_owned(),
            date_of_expiry: f(38, 44).to_owned(),
            nationality: trim_fillers(f(45, 48)),
            primary_identifier,
            secondary_identifier,
            optional_data_1,
            optional_data_2: trim_fillers(f(48, 59)),
            raw: raw.to_owned(),
            check_digits_valid: check_digits.all_valid(),
            check_digits,
            vn_id_number,
        }
    }

    /// ICAO 9303-6 §4.2.2 (TD2, w = 36) and 9303-4 §4.2.2 (TD3, w = 44):
    /// ```text
    /// line 1: 1-2 code, 3-5 state, 6-w name
    /// line 2: 1-9 doc number, 10 check, 11-13 nationality, 14-19 birth, 20 check, 21 sex,
    ///         22-27 expiry, 28 check, 29-(w-1) optional data (TD3: 29-42 personal number,
    ///         43 its check), w composite check (over 1-10, 14-20, 22-(w-1))
    /// ```
    fn parse_td2_td3(raw: &str, format: MrzFormat, w: usize) -> Self {
        let f = |from: usize, to: usize| field(raw, from, to);
        let l2 = w;
        let (optional, optional_data) = match format {
            MrzFormat::Td3 => (
                f(l2 + 28, l2 + 42),
                Some(verify_check_digit(f(l2 + 28, l2 + 42), byte(raw, l2 + 42))),
            ),
            _ => (f(l2 + 28, l2 + 35), None),
        };
        let (document_number, doc_cd_ok, optional_data_1) = match format {
            // Only TD2 has the long-document-number convention (ICAO 9303-6 §4.2.2.2).
            MrzFormat::Td2 => split_document_number(f(l2, l2 + 9), byte(raw, l2 + 9), optional),
            _ => (
                trim_fillers(f(l2, l2 + 9)),
                verify_check_digit(f(l2, l2 + 9), byte(raw, l2 + 9)),
                trim_fillers(optional),
            ),
        };
        let composite_input =
            concat_wiped(&[f(l2, l2 + 10), f(l2 + 13, l2 + 20), f(l2 + 21, 2 * w - 1)]);
        let check_digits = CheckDigits {
            document_number: doc_cd_ok,
            date_of_birth: verify_check_digit(f(l2 + 13, l2 + 19), byte(raw, l2 + 19)),
            date_of_expiry: verify_check_digit(f(l2 + 21, l2 + 27), byte(raw, l2 + 27)),
            optional_data,
            composite: verify_check_digit(&composite_input, byte(raw, 2 * w - 1)),
            vn_id_number: None,
        };
        let (primary_identifier, secondary_identifier) = split_name(f(5, w));
        Self {
            format,
            document_code: trim_fillers(f(0, 2)),
            issuing_state: trim_fillers(f(2, 5)),
            document_number,
            date_of_birth: f(l2 + 13, l2 + 19).to_owned(),
            sex: f(l2 + 20, l2 + 21).to_owned(),
            date_of_expiry: f(l2 + 21, l2 + 27).to_owned(),
            nationality: trim_fillers(f(l2 + 10, l2 + 13)),
            primary_identifier,
            secondary_identifier,
            optional_data_1,
            optional_data_2: String::new(),
            raw: raw.to_owned(),
            check_digits_valid: check_digits.all_valid(),
            check_digits,
            vn_id_number: None,
        }
    }
}

/// The concatenation of `parts` in one buffer sized up front and wiped on drop (the MRZ
/// information is key material: no reallocation may leave a copy behind).
fn concat_wiped(parts: &[&str]) -> Zeroizing<String> {
    let mut out = Zeroizing::new(String::with_capacity(parts.iter().map(|p| p.len()).sum()));
    for part in parts {
        out.push_str(part);
    }
    out
}

/// `raw[from..to]`, or "" when out of range (callers only pass ranges inside the checked
/// length).
fn field(raw: &str, from: usize, to: usize) -> &str {
    raw.get(from..to).unwrap_or("")
}

fn byte(raw: &str, at: usize) -> u8 {
    raw.as_bytes().get(at).copied().unwrap_or(0)
}

fn trim_fillers(s: &str) -> String {
    s.trim_end_matches(FILLER as char).to_owned()
}

/// The document number, whether its check digit holds, and the optional data left over.
///
/// A number longer than 9 characters (ICAO 9303-5 §4.2.2 note j, 9303-6 §4.2.2.2): the check
/// digit position holds `<`, the number continues in the optional data and ends with its
/// check digit, followed by a filler.
fn split_document_number(number: &str, cd: u8, optional: &str) -> (String, bool, String) {
    if cd != FILLER || number.bytes().any(|c| c == FILLER) {
        return (
            trim_fillers(number),
            verify_check_digit(number, cd),
            trim_fillers(optional),
        );
    }
    let tail_len = optional.find(FILLER as char).unwrap_or(optional.len());
    let tail = field(optional, 0, tail_len);
    let rest = optional.get(tail_len..).unwrap_or("");
    match tail.split_at_checked(tail.len().saturating_sub(1)) {
        Some((more, last)) if !last.is_empty() => {
            let mut full = String::with_capacity(number.len() + more.len());
            full.push_str(number);
            full.push_str(more);
            let ok = verify_check_digit(&full, last.as_bytes().first().copied().unwrap_or(0));
            (
                full,
                ok,
                trim_fillers(rest.trim_start_matches(FILLER as char)),
            )
        }
        _ => (number.to_owned(), false, trim_fillers(optional)),
    }
}

/// CCCD TD1 optional data: ID12 + `<<` + check digit over the ID12.
fn vn_id_from_optional_data(optional: &str) -> (Option<String>, Option<bool>) {
    let Some(id) = optional.get(..12) else {
        return (None, None);
    };
    if !id.bytes().all(|c| c.is_ascii_digit()) {
        return (None, None);
    }
    let ok = verify_check_digit(field(optional, 0, 14), byte(optional, 14));
    (Some(id.to_owned()), Some(ok))
}

/// Splits the name field at the first `<<` (ICAO 9303-3 §4.6).
fn split_name(name: &str) -> (String, String) {
    let name = name.trim_end_matches(FILLER as char);
    let (primary, secondary) = name.split_once("<<").unwrap_or((name, ""));
    let clean = |s: &str| {
        s.split(FILLER as char)
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    (clean(primary), clean(secondary))
}

impl core::fmt::Debug for Mrz {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Mrz")
            .field("format", &self.format)
            .field("check_digits_valid", &self.check_digits_valid)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_td1_document_number() {
        // ICAO 9303-5 §4.2.2 note j: a 12-character number continues in the optional data.
        let number = "D23145890123";
        let cd = check_digit(number).unwrap();
        let line1 = format!("I<UTOD23145890<123{cd}<<<<<<<<<<<");
        assert_eq!(line1.len(), 30);
        let line2_wo = "7408122F1204159UTO<<<<<<<<<<<";
        let composite = check_digit(&format!(
            "{}{}{}{}",
            &line1[5..30],
            &line2_wo[0..7],
            &line2_wo[8..15],
            &line2_wo[18..29]
        ))
        .unwrap();
        let mrz = Mrz::parse(&format!(
            "{line1}{line2_wo}{composite}ERIKSSON<<ANNA<MARIA<<<<<<<<<<"
        ))
        .unwrap();
        assert_eq!(mrz.document_number, number);
        assert!(mrz.check_digits.document_number);
        assert_eq!(mrz.optional_data_1, "");
        assert!(mrz.check_digits_valid);
    }

    #[test]
    fn dates() {
        assert!(is_valid_yymmdd("740812"));
        assert!(is_valid_yymmdd("000229"));
        assert!(!is_valid_yymmdd("010229"));
        assert!(!is_valid_yymmdd("741312"));
        assert!(!is_valid_yymmdd("740800"));
        assert!(!is_valid_yymmdd("740431"));
        assert!(!is_valid_yymmdd("74081"));
        assert!(!is_valid_yymmdd("<<<<<<"));
    }
}
