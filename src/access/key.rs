//! The keys that open a chip: the MRZ key (BAC, PACE with the MRZ password) and the CAN
//! (PACE), built from what a teller has at hand — the 12-digit ID number and two dates, a
//! scanned MRZ, the card's QR code.
//!
//! For the CCCD the MRZ document number is the **last 9** digits of the 12-digit ID (the
//! full ID sits in the TD1 optional data) and the CAN is its last 6 digits; passing 12 digits
//! or the first 9 is the most common bug in other readers.
//!
//! ```
//! use cccd::access::key::AccessKey;
//! let key = AccessKey::from_id_and_dates("001234567890", "900101", "300101").unwrap();
//! let AccessKey::Mrz(mrz) = &key else { unreachable!() };
//! assert_eq!(mrz.document_number(), "234567890");
//! assert_eq!(format!("{key:?}"), "AccessKey::Mrz(***)");
//! ```
//!
//! Values here are secrets: they live in [`Zeroizing`] buffers, `Debug` prints `***`, and no
//! error message repeats the input.

use crate::lds::mrz::{self, check_digit, is_valid_yymmdd, Mrz, MrzError};
use thiserror::Error;
use zeroize::Zeroizing;

/// Length of a CCCD personal identification number.
pub const ID_LEN: usize = 12;
/// Length of a CAN.
pub const CAN_LEN: usize = 6;
/// The MRZ document number field width; shorter numbers are padded with `<`.
pub const DOC_NUMBER_FIELD: usize = 9;
/// The longest document number accepted: 9 in the field plus the 13 a TD1 optional data can
/// carry (ICAO 9303-5 §4.2.2 note j).
pub const MAX_DOC_NUMBER: usize = 22;
/// The printed expiry of a document without expiry date.
pub const NO_EXPIRY: &str = "<<<<<<";
/// The MRZ information besides the document number: its check digit, and two dates of 6
/// characters with a check digit each.
const MRZ_INFORMATION_EXTRA: usize = 1 + 7 + 7;
/// Cards issued from this date follow Luật Căn cước 2023 (renewal also at 14).
pub const LAW_2023_FROM: (u16, u8, u8) = (2024, 7, 1);

/// Input that cannot make a key. Messages name the field, never its value.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The 12-digit ID number is malformed.
    #[error("ID number: {0}")]
    IdNumber(IdNumberError),
    /// A date that is not `YYMMDD` (or `ddMMyyyy` in a QR code) of a real calendar day.
    #[error("{field} is not a valid date")]
    Date {
        /// Which date.
        field: &'static str,
    },
    /// A check digit of a pasted MRZ does not match its field.
    #[error("check digit of the {field} does not match")]
    CheckDigit {
        /// Which field (`document number`, `date of birth`, `date of expiry`, `composite`).
        field: &'static str,
    },
    /// The text is not an MRZ.
    #[error("MRZ: {0}")]
    MrzFormat(MrzError),
    /// A document number that is empty, longer than [`MAX_DOC_NUMBER`], or holds characters
    /// outside `0-9 A-Z <`.
    #[error("document number must be 1 to 22 characters 0-9, A-Z or '<'")]
    DocumentNumber,
    /// A CAN that is not exactly 6 digits.
    #[error("a CAN is exactly 6 digits")]
    Can,
    /// The QR code text is malformed.
    #[error("QR code: {0}")]
    Qr(QrError),
}

impl From<MrzError> for KeyError {
    fn from(e: MrzError) -> Self {
        Self::MrzFormat(e)
    }
}

/// What is wrong with a 12-digit ID number.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum IdNumberError {
    /// Not 12 characters.
    #[error("expected 12 digits, got {found} characters")]
    Length {
        /// Characters given.
        found: usize,
    },
    /// A character that is not a digit (0-based position).
    #[error("character {position} is not a digit")]
    NonDigit {
        /// Where.
        position: usize,
    },
}

/// What is wrong with a QR code's text.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum QrError {
    /// Fewer than the 7 `|`-separated fields of the 2016 layout.
    #[error("expected at least 7 fields separated by '|', got {found}")]
    FieldCount {
        /// Fields found.
        found: usize,
    },
    /// A required field is empty or malformed.
    #[error("field {field} is empty or malformed")]
    Field {
        /// Which field.
        field: &'static str,
    },
}

/// A key that opens the chip.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AccessKey {
    /// Document number, date of birth, date of expiry: BAC, or PACE with the MRZ password.
    Mrz(MrzKey),
    /// Card access number: PACE with the CAN password.
    Can(Can),
}

impl core::fmt::Debug for AccessKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Mrz(_) => f.write_str("AccessKey::Mrz(***)"),
            Self::Can(_) => f.write_str("AccessKey::Can(***)"),
        }
    }
}

impl AccessKey {
    /// The MRZ key of a CCCD from its 12-digit ID number, date of birth `YYMMDD` and date of
    /// expiry `YYMMDD` (or `<<<<<<` when the card has none). The document number is the
    /// LAST 9 digits of the ID.
    ///
    /// ```
    /// use cccd::access::key::{AccessKey, IdNumberError, KeyError};
    /// assert!(AccessKey::from_id_and_dates("001234567890", "900101", "<<<<<<").is_ok());
    /// assert_eq!(
    ///     AccessKey::from_id_and_dates("00123456789", "900101", "300101").unwrap_err(),
    ///     KeyError::IdNumber(IdNumberError::Length { found: 11 })
    /// );
    /// ```
    pub fn from_id_and_dates(
        id12: &str,
        date_of_birth: &str,
        date_of_expiry: &str,
    ) -> Result<Self, KeyError> {
        let doc9 = document_number_of_id(id12)?;
        Ok(Self::Mrz(MrzKey::new(doc9, date_of_birth, date_of_expiry)?))
    }

    /// The MRZ key from a full TD1 (3 × 30), TD2 (2 × 36) or TD3 (2 × 44) MRZ as printed: line
    /// breaks and spaces are ignored, lower case is taken as upper case. The check digits of
    /// the document number, both dates and the composite must hold. For a Vietnamese TD1 the
    /// document number is the 9 digits in positions 6-14.
    ///
    /// ```
    /// use cccd::access::key::{AccessKey, KeyError};
    /// // ICAO 9303-4 TD3 specimen.
    /// let text = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<
    ///             L898902C36UTO7408122F1204159ZE184226B<<<<<10";
    /// let AccessKey::Mrz(key) = AccessKey::from_mrz(text).unwrap() else { unreachable!() };
    /// assert_eq!(key.document_number(), "L898902C3");
    /// assert_eq!(
    ///     AccessKey::from_mrz(&text.replace("7408122", "7408123")).unwrap_err(),
    ///     KeyError::CheckDigit { field: "date of birth" }
    /// );
    /// ```
    pub fn from_mrz(text: &str) -> Result<Self, KeyError> {
        let upper = Zeroizing::new(text.to_ascii_uppercase());
        // The parsed copy holds the key's inputs: wiped on drop.
        let parsed = Zeroizing::new(Mrz::parse(&upper)?);
        let cd = parsed.check_digits;
        let failed = [
            (cd.document_number, "document number"),
            (cd.date_of_birth, "date of birth"),
            (cd.date_of_expiry, "date of expiry"),
            (cd.composite, "composite"),
        ]
        .into_iter()
        .find(|(ok, _)| !ok);
        if let Some((_, field)) = failed {
            return Err(KeyError::CheckDigit { field });
        }
        Ok(Self::Mrz(MrzKey::new(
            &parsed.document_number,
            &parsed.date_of_birth,
            &parsed.date_of_expiry,
        )?))
    }

    /// A CAN: exactly 6 digits.
    ///
    /// ```
    /// use cccd::access::key::{AccessKey, KeyError};
    /// assert!(AccessKey::can("123456").is_ok());
    /// assert_eq!(AccessKey::can("12345").unwrap_err(), KeyError::Can);
    /// ```
    pub fn can(can: &str) -> Result<Self, KeyError> {
        Can::new(can).map(Self::Can)
    }

    /// The CAN of a CCCD: the last 6 digits of its 12-digit ID number (no CAN is printed on
    /// the card).
    ///
    /// ```
    /// use cccd::access::key::AccessKey;
    /// let AccessKey::Can(can) = AccessKey::can_from_id("001234567890").unwrap() else {
    ///     unreachable!()
    /// };
    /// assert_eq!(can.as_bytes(), b"567890");
    /// ```
    pub fn can_from_id(id12: &str) -> Result<Self, KeyError> {
        let id = validate_id(id12)?;
        let last6 = id.get(ID_LEN - CAN_LEN..).ok_or(KeyError::Can)?;
        Self::can(last6)
    }
}

/// Checks a 12-digit ID number.
fn validate_id(id12: &str) -> Result<&str, KeyError> {
    let found = id12.chars().count();
    if found != ID_LEN {
        return Err(KeyError::IdNumber(IdNumberError::Length { found }));
    }
    if let Some(position) = id12.chars().position(|c| !c.is_ascii_digit()) {
        return Err(KeyError::IdNumber(IdNumberError::NonDigit { position }));
    }
    Ok(id12)
}

/// The MRZ document number of a CCCD: the last 9 digits of the 12-digit ID.
pub fn document_number_of_id(id12: &str) -> Result<&str, KeyError> {
    let id = validate_id(id12)?;
    id.get(ID_LEN - DOC_NUMBER_FIELD..)
        .ok_or(KeyError::IdNumber(IdNumberError::Length {
            found: id.len(),
        }))
}

/// The three MRZ fields that BAC and PACE-MRZ derive their key from.
#[derive(Clone, PartialEq, Eq)]
pub struct MrzKey {
    document_number: Zeroizing<String>,
    date_of_birth: Zeroizing<String>,
    date_of_expiry: Zeroizing<String>,
}

impl core::fmt::Debug for MrzKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("MrzKey(***)")
    }
}

impl MrzKey {
    /// A key from the document number (trailing `<` fillers ignored, lower case taken as
    /// upper case), the date of birth `YYMMDD` and the date of expiry `YYMMDD` or `<<<<<<`.
    ///
    /// ```
    /// use cccd::access::key::{KeyError, MrzKey};
    /// assert!(MrzKey::new("L898902C", "690806", "940623").is_ok());
    /// assert_eq!(
    ///     MrzKey::new("L898902C", "691306", "940623").unwrap_err(),
    ///     KeyError::Date { field: "date of birth" }
    /// );
    /// ```
    pub fn new(
        document_number: &str,
        date_of_birth: &str,
        date_of_expiry: &str,
    ) -> Result<Self, KeyError> {
        let mut doc = Zeroizing::new(document_number.to_ascii_uppercase());
        let len = doc.trim_end_matches('<').len();
        doc.truncate(len);
        if doc.is_empty()
            || doc.len() > MAX_DOC_NUMBER
            || !doc.bytes().all(|c| mrz::char_value(c).is_some())
        {
            return Err(KeyError::DocumentNumber);
        }
        if !is_valid_yymmdd(date_of_birth) {
            return Err(KeyError::Date {
                field: "date of birth",
            });
        }
        if date_of_expiry != NO_EXPIRY && !is_valid_yymmdd(date_of_expiry) {
            return Err(KeyError::Date {
                field: "date of expiry",
            });
        }
        Ok(Self {
            document_number: doc,
            date_of_birth: Zeroizing::new(date_of_birth.to_owned()),
            date_of_expiry: Zeroizing::new(date_of_expiry.to_owned()),
        })
    }

    /// The document number, without filler.
    pub fn document_number(&self) -> &str {
        &self.document_number
    }

    /// The date of birth, `YYMMDD`.
    pub fn date_of_birth(&self) -> &str {
        &self.date_of_birth
    }

    /// The date of expiry, `YYMMDD` or `<<<<<<`.
    pub fn date_of_expiry(&self) -> &str {
        &self.date_of_expiry
    }

    /// The "MRZ information" (ICAO 9303-11 §9.7.2 for BAC, §4.4.1 for the PACE MRZ password):
    /// document number (padded with `<` to 9 characters; a longer number in full) + its check
    /// digit + date of birth + check digit + date of expiry + check digit.
    ///
    /// ```
    /// use cccd::access::key::MrzKey;
    /// // ICAO 9303-11 Appendix D.2 (BAC worked example).
    /// let key = MrzKey::new("L898902C", "690806", "940623").unwrap();
    /// assert_eq!(&key.mrz_information()[..], b"L898902C<369080619406236");
    /// ```
    pub fn mrz_information(&self) -> Zeroizing<Vec<u8>> {
        // Sized once: growing a buffer would leave the old copy unwiped on the heap.
        let width = self.document_number.len().max(DOC_NUMBER_FIELD);
        let mut doc = Zeroizing::new(String::with_capacity(width));
        doc.push_str(&self.document_number);
        while doc.len() < width {
            doc.push('<');
        }
        let mut out = Zeroizing::new(Vec::with_capacity(width + MRZ_INFORMATION_EXTRA));
        for field in [doc.as_str(), &self.date_of_birth, &self.date_of_expiry] {
            out.extend_from_slice(field.as_bytes());
            // Validated at construction: every character has a value.
            out.push(b'0' + check_digit(field).unwrap_or(0));
        }
        out
    }
}

/// A card access number: 6 digits.
#[derive(Clone, PartialEq, Eq)]
pub struct Can(Zeroizing<String>);

impl core::fmt::Debug for Can {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Can(***)")
    }
}

impl Can {
    /// A CAN from exactly 6 ASCII digits.
    pub fn new(can: &str) -> Result<Self, KeyError> {
        if can.len() != CAN_LEN || !can.bytes().all(|c| c.is_ascii_digit()) {
            return Err(KeyError::Can);
        }
        Ok(Self(Zeroizing::new(can.to_owned())))
    }

    /// The PACE password bytes (ICAO 9303-11 §4.4.1: the CAN's characters).
    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

/// The text of the QR code printed on a CCCD:
/// `ID12|oldID|name|ddMMyyyy birth|sex|address|ddMMyyyy issue`. Cards of 2024 add fields
/// after these seven; they are kept in [`QrData::extra_fields`] as printed.
///
/// Personal data and key material (the ID gives the CAN, with the dates the MRZ key): every
/// field is wiped on drop ([`Zeroizing`]), and `Debug` prints `***`.
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct QrData {
    /// The 12-digit personal identification number.
    pub id_number: Zeroizing<String>,
    /// The old 9-digit (CMND) number, when printed.
    pub old_id_number: Option<Zeroizing<String>>,
    /// Full name, as printed (with diacritics).
    pub full_name: Zeroizing<String>,
    /// Date of birth, `ddMMyyyy` as printed.
    pub date_of_birth: Zeroizing<String>,
    /// Sex, as printed (`Nam` / `Nữ`).
    pub sex: Zeroizing<String>,
    /// Place of residence, as printed.
    pub address: Zeroizing<String>,
    /// Date of issue, `ddMMyyyy` as printed.
    pub date_of_issue: Zeroizing<String>,
    /// Fields after the seventh, raw.
    pub extra_fields: Zeroizing<Vec<String>>,
}

impl core::fmt::Debug for QrData {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("QrData(***)")
    }
}

impl QrData {
    /// Parses the QR text. Tolerated: a byte-order mark, surrounding white space and line
    /// breaks, one trailing `|`, fields beyond the seventh. Checked: the ID is 12 digits, both
    /// dates are real `ddMMyyyy` days, the name is not empty.
    ///
    /// ```
    /// use cccd::access::key::QrData;
    /// let qr = QrData::parse("001234567890|123456789|Nguyễn Văn A|01011990|Nam|Hà Nội|15062021").unwrap();
    /// assert_eq!(qr.full_name.as_str(), "Nguyễn Văn A");
    /// assert_eq!(qr.old_id_number.as_ref().map(|s| s.as_str()), Some("123456789"));
    /// ```
    pub fn parse(qr: &str) -> Result<Self, KeyError> {
        let text = qr
            .trim_start_matches('\u{FEFF}')
            .trim_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');
        let text = text.strip_suffix('|').unwrap_or(text);
        let mut fields = text.split('|').map(|f| f.trim_matches(['\r', '\n']));
        let found = text.split('|').count();
        let mut next = |field: &'static str| {
            fields
                .next()
                .map(|f| Zeroizing::new(f.to_owned()))
                .ok_or(KeyError::Qr(QrError::Field { field }))
        };
        if found < 7 {
            return Err(KeyError::Qr(QrError::FieldCount { found }));
        }
        let id_number = next("ID number")?;
        validate_id(&id_number)?;
        let old = next("old ID number")?;
        let full_name = next("full name")?;
        let date_of_birth = next("date of birth")?;
        let sex = next("sex")?;
        let address = next("address")?;
        let date_of_issue = next("date of issue")?;
        // Sized once (a growing vector would move the strings without wiping the old buffer).
        let mut extra_fields = Zeroizing::new(Vec::with_capacity(found.saturating_sub(7)));
        extra_fields.extend(fields.map(str::to_owned));
        if full_name.trim().is_empty() {
            return Err(KeyError::Qr(QrError::Field { field: "full name" }));
        }
        parse_ddmmyyyy(&date_of_birth).ok_or(KeyError::Date {
            field: "date of birth",
        })?;
        parse_ddmmyyyy(&date_of_issue).ok_or(KeyError::Date {
            field: "date of issue",
        })?;
        Ok(Self {
            id_number,
            old_id_number: (!old.is_empty()).then_some(old),
            full_name,
            date_of_birth,
            sex,
            address,
            date_of_issue,
            extra_fields,
        })
    }

    /// The CAN: the last 6 digits of the ID number. Enough for PACE on every CCCD.
    pub fn can(&self) -> Result<AccessKey, KeyError> {
        AccessKey::can_from_id(&self.id_number)
    }

    /// The MRZ key, with the date of expiry derived from the dates of birth and issue by the
    /// validity rule ([`derive_expiry`]); `<<<<<<` when the rule says the card has none. The
    /// derivation can be wrong for a card re-issued for another reason: prefer
    /// [`QrData::can`], and report [`DerivedExpiry`] to the user.
    ///
    /// ```
    /// use cccd::access::key::{DerivedExpiry, QrData};
    /// use zeroize::Zeroizing;
    /// let qr = QrData::parse("001234567890||Nguyễn Văn A|01011990|Nam|Hà Nội|15062021").unwrap();
    /// let (_key, how) = qr.mrz_key().unwrap();
    /// assert_eq!(how, DerivedExpiry::Until { yymmdd: Zeroizing::new("300101".into()), age: 40 });
    /// assert_eq!(format!("{how:?}"), "DerivedExpiry::Until { yymmdd: ***, age: 40 }");
    /// ```
    pub fn mrz_key(&self) -> Result<(AccessKey, DerivedExpiry), KeyError> {
        let dob = parse_ddmmyyyy(&self.date_of_birth).ok_or(KeyError::Date {
            field: "date of birth",
        })?;
        let doi = parse_ddmmyyyy(&self.date_of_issue).ok_or(KeyError::Date {
            field: "date of issue",
        })?;
        let derived = derive_expiry(dob, doi);
        let expiry = match &derived {
            DerivedExpiry::Until { yymmdd, .. } => yymmdd.as_str(),
            DerivedExpiry::NoExpiry => NO_EXPIRY,
        };
        let birth = Zeroizing::new(yymmdd(dob));
        let key = AccessKey::from_id_and_dates(&self.id_number, &birth, expiry)?;
        Ok((key, derived))
    }
}

/// `ddMMyyyy` to (year, month, day), checking it is a real day.
fn parse_ddmmyyyy(s: &str) -> Option<(u16, u8, u8)> {
    if s.len() != 8 || !s.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let day: u8 = s.get(0..2)?.parse().ok()?;
    let month: u8 = s.get(2..4)?.parse().ok()?;
    let year: u16 = s.get(4..8)?.parse().ok()?;
    let max = mrz::days_in_month(year, month);
    (max > 0 && (1..=max).contains(&day)).then_some((year, month, day))
}

fn yymmdd((y, m, d): (u16, u8, u8)) -> String {
    format!("{:02}{:02}{:02}", y % 100, m, d)
}

/// How [`derive_expiry`] found a card's expiry. The date is part of the MRZ key: wiped on
/// drop, and `Debug` shows only which rule applied.
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum DerivedExpiry {
    /// Valid until the holder's birthday at `age`.
    Until {
        /// The expiry as the MRZ prints it.
        yymmdd: Zeroizing<String>,
        /// The renewal age.
        age: u8,
    },
    /// Valid for life (issued from age 58).
    NoExpiry,
}

impl core::fmt::Debug for DerivedExpiry {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Until { age, .. } => {
                write!(f, "DerivedExpiry::Until {{ yymmdd: ***, age: {age} }}")
            }
            Self::NoExpiry => f.write_str("DerivedExpiry::NoExpiry"),
        }
    }
}

/// The expiry date of a CCCD from the dates of birth and issue, (year, month, day) each.
///
/// - Luật Căn cước công dân 2014, art. 21: the card is renewed at 25, 40 and 60; a card issued
///   within the 2 years before one of these ages stays valid to the next one. So: issued
///   before 23 → 25th birthday; from 23 to before 38 → 40th; from 38 to before 58 → 60th; from
///   58 → no expiry.
/// - Luật Căn cước 2023, art. 21, for cards issued from 2024-07-01: renewal also at 14, with the
///   same 2-year rule. So issued before 12 → 14th birthday; from 12 → 25th, and on as above.
///
/// The expiry is the birthday at that age; for someone born on 29 February it is 28 February
/// in a common year (assumption: no public source found). The window is inclusive: a card
/// issued on the 23rd birthday is valid to 40.
///
/// ```
/// use cccd::access::key::{derive_expiry, DerivedExpiry};
/// use zeroize::Zeroizing;
/// assert_eq!(
///     derive_expiry((1990, 1, 1), (2012, 12, 31)),
///     DerivedExpiry::Until { yymmdd: Zeroizing::new("150101".into()), age: 25 }
/// );
/// assert_eq!(derive_expiry((1960, 5, 2), (2018, 5, 2)), DerivedExpiry::NoExpiry);
/// ```
pub fn derive_expiry(date_of_birth: (u16, u8, u8), date_of_issue: (u16, u8, u8)) -> DerivedExpiry {
    let ages: &[u8] = if date_of_issue >= LAW_2023_FROM {
        &[14, 25, 40, 60]
    } else {
        &[25, 40, 60]
    };
    for &age in ages {
        if date_of_issue < birthday(date_of_birth, age.saturating_sub(2)) {
            return DerivedExpiry::Until {
                yymmdd: Zeroizing::new(yymmdd(birthday(date_of_birth, age))),
                age,
            };
        }
    }
    DerivedExpiry::NoExpiry
}

/// The birthday at `age` (29 February becomes 28 February in a common year).
fn birthday((y, m, d): (u16, u8, u8), age: u8) -> (u16, u8, u8) {
    let year = y.saturating_add(u16::from(age));
    let last = mrz::days_in_month(year, m);
    (year, m, d.min(last))
}
