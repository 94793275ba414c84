//! DG13 of the Vietnamese CCCD: the holder's personal data as printed on the card, in a
//! national layout (DESIGN.md §1; ICAO 9303-10 §4.7.13 leaves DG13 to the issuing state).
//!
//! ```text
//! 6D L                                   DG13
//!    30 L                                SEQUENCE
//!       02 01 01                         INTEGER 1 (version)
//!       06 06 28 D3 16 01 00 08          OID 1.0.10646.1.0.8 (ISO/IEC 10646, UTF-8)
//!       31 L                             SET OF
//!          30 L { 02 n, value }          SEQUENCE { INTEGER field number, value }
//!          ...
//! value: UTF8String (0C), sometimes PrintableString (13), or BMPString (1E);
//!        fields 13 and 14 hold a SEQUENCE of such strings (father, mother / spouse).
//! ```
//!
//! Fields are found by number, in any order, any of them absent. Decisions:
//! - a number that appears twice is an error ([`LdsErrorKind::Duplicate`]): the file is signed, and
//!   choosing one of two values silently would hide a forgery attempt or an encoder bug;
//! - numbers other than 1..=16 are kept raw in [`Dg13::unknown`];
//! - strings are kept byte-exact (no Unicode normalisation: the chip's NFC/NFD choice is
//!   preserved); an empty string is `Some("")`;
//! - the version INTEGER and the OID are required to be present but their values are not
//!   enforced (no public specification fixes them).
//!
//! ```
//! use cccd::lds::Dg13;
//! // 6D { 30 { 02 01 01, 06 OID, 31 { 30 { 02 01 02, 0C "NGUYEN VAN" } } } }
//! let bytes = hex::decode(
//!     "6D20301E020101060628D3160100083111300F\
//!      0201020C0A4E475559454E2056414E",
//! ).unwrap();
//! let dg13 = Dg13::parse(&bytes).unwrap();
//! assert_eq!(dg13.full_name.as_deref(), Some("NGUYEN VAN"));
//! assert_eq!(dg13.id_number, None);
//! ```

use super::{outer, Fault, LdsError, LdsErrorKind};
use crate::files::ElementaryFile;
use crate::tlv::{tags, Reader, Tag, Tlv};

/// Tag of DG13.
pub const TAG_DG13: u32 = 0x6D;
/// The OID 1.0.10646.1.0.8 (content octets), which real cards carry.
pub const OID_UTF8: [u8; 6] = [0x28, 0xD3, 0x16, 0x01, 0x00, 0x08];

const TAG_SEQUENCE: u32 = tags::SEQUENCE.0;
const TAG_SET: u32 = tags::SET.0;
const TAG_INTEGER: u32 = tags::INTEGER.0;
const TAG_OID: u32 = tags::OID.0;
const TAG_UTF8_STRING: u32 = tags::UTF8_STRING.0;
const TAG_PRINTABLE_STRING: u32 = tags::PRINTABLE_STRING.0;
const TAG_IA5_STRING: u32 = 0x16;
const TAG_BMP_STRING: u32 = 0x1E;

/// The parsed DG13. Every field is optional: cards omit some (spouse, old ID, religion...).
///
/// `Debug` prints which fields are present, never their values (personal data).
#[derive(Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Dg13 {
    /// 1: the 12-digit personal identification number.
    pub id_number: Option<String>,
    /// 2: full name, with diacritics.
    pub full_name: Option<String>,
    /// 3: date of birth, `dd/MM/yyyy` as stored.
    pub date_of_birth: Option<String>,
    /// 4: sex (`Nam` / `Nữ`).
    pub sex: Option<String>,
    /// 5: nationality (`Việt Nam`).
    pub nationality: Option<String>,
    /// 6: ethnicity.
    pub ethnicity: Option<String>,
    /// 7: religion.
    pub religion: Option<String>,
    /// 8: place of origin (2024 cards: place of birth registration).
    pub place_of_origin: Option<String>,
    /// 9: place of residence.
    pub place_of_residence: Option<String>,
    /// 10: identifying marks.
    pub identifying_marks: Option<String>,
    /// 11: date of issue, `dd/MM/yyyy` as stored.
    pub date_of_issue: Option<String>,
    /// 12: date of expiry, `dd/MM/yyyy` or a text such as `Không thời hạn`.
    pub date_of_expiry: Option<String>,
    /// 13, first string: father's name.
    pub father_name: Option<String>,
    /// 13, second string: mother's name.
    pub mother_name: Option<String>,
    /// 14: spouse's name.
    pub spouse_name: Option<String>,
    /// 15: the old ID (CMND) number.
    pub old_id_number: Option<String>,
    /// 16: meaning unconfirmed (a card serial or an old ID has been seen).
    pub field16: Option<String>,
    /// Fields with other numbers: the number and the encoded elements after the INTEGER,
    /// exactly as stored (in JSON `{ "number", "value" }`, the value in upper-case hex).
    #[cfg_attr(feature = "serde", serde(with = "unknown_fields"))]
    pub unknown: Vec<(u32, Vec<u8>)>,
}

/// JSON form of [`Dg13::unknown`]: objects, so the schema can name their parts.
#[cfg(feature = "serde")]
mod unknown_fields {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    struct Field {
        number: u32,
        value: String,
    }

    pub(super) fn serialize<S: Serializer>(v: &[(u32, Vec<u8>)], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(v.iter().map(|(number, value)| Field {
            number: *number,
            value: hex::encode_upper(value),
        }))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Vec<(u32, Vec<u8>)>, D::Error> {
        Vec::<Field>::deserialize(d)?
            .into_iter()
            .map(|f| {
                hex::decode(&f.value)
                    .map(|v| (f.number, v))
                    .map_err(serde::de::Error::custom)
            })
            .collect()
    }
}

impl Dg13 {
    /// Parses DG13 (see the module documentation for the layout and the decisions taken).
    pub fn parse(bytes: &[u8]) -> Result<Self, LdsError> {
        Self::parse_fields(bytes).map_err(|f| f.in_file(ElementaryFile::Dg(13)))
    }

    fn parse_fields(bytes: &[u8]) -> Result<Self, Fault> {
        let dg13 = outer(bytes, TAG_DG13)?;
        let mut r = dg13.children();
        let seq = read_tag(&mut r, TAG_SEQUENCE)?;
        r.finish()?;
        let mut r = seq.children();
        read_tag(&mut r, TAG_INTEGER)?;
        read_tag(&mut r, TAG_OID)?;
        let set = read_tag(&mut r, TAG_SET)?;
        r.finish()?;

        let mut out = Dg13::default();
        let mut seen: Vec<u32> = Vec::new();
        for item in set.children() {
            let item = item?;
            if item.tag.0 != TAG_SEQUENCE {
                return Err(Fault::new(
                    LdsErrorKind::UnexpectedTag {
                        expected: TAG_SEQUENCE,
                        found: item.tag.0,
                    },
                    item.offset,
                ));
            }
            let mut fields = item.children();
            let number = field_number(&read_tag(&mut fields, TAG_INTEGER)?)?;
            if seen.contains(&number) {
                return Err(Fault::new(
                    LdsErrorKind::Duplicate {
                        field: "DG13 field",
                        number,
                    },
                    item.offset,
                ));
            }
            seen.push(number);
            let rest = fields.remaining();
            if !(1..=16).contains(&number) {
                // Still require well-formed TLV, so a truncated unknown field is reported.
                for tlv in Reader::new(rest) {
                    tlv?;
                }
                out.unknown.push((number, rest.to_vec()));
                continue;
            }
            let strings = strings(fields)?;
            match number {
                13 => {
                    let mut it = strings.into_iter();
                    out.father_name = it.next();
                    out.mother_name = it.next();
                    if it.next().is_some() {
                        return Err(invalid("DG13 field 13", "more than two names", &item));
                    }
                }
                n => {
                    let value = single(strings, &item)?;
                    *out.slot(n) = Some(value);
                }
            }
        }
        Ok(out)
    }

    /// The field with number `n` (1..=16 except 13); field 13's place for others.
    fn slot(&mut self, n: u32) -> &mut Option<String> {
        match n {
            1 => &mut self.id_number,
            2 => &mut self.full_name,
            3 => &mut self.date_of_birth,
            4 => &mut self.sex,
            5 => &mut self.nationality,
            6 => &mut self.ethnicity,
            7 => &mut self.religion,
            8 => &mut self.place_of_origin,
            9 => &mut self.place_of_residence,
            10 => &mut self.identifying_marks,
            11 => &mut self.date_of_issue,
            12 => &mut self.date_of_expiry,
            14 => &mut self.spouse_name,
            15 => &mut self.old_id_number,
            16 => &mut self.field16,
            _ => &mut self.father_name,
        }
    }
}

fn invalid(field: &'static str, reason: &'static str, at: &Tlv<'_>) -> Fault {
    Fault::new(LdsErrorKind::Invalid { field, reason }, at.offset)
}

fn read_tag<'a>(r: &mut Reader<'a>, tag: u32) -> Result<Tlv<'a>, Fault> {
    let tlv = r.read_tag(Tag(tag))?;
    Ok(tlv)
}

/// A non-negative INTEGER of at most 4 bytes.
fn field_number(tlv: &Tlv<'_>) -> Result<u32, Fault> {
    if tlv.value.first().is_some_and(|b| b & 0x80 != 0) {
        return Err(invalid("DG13 field number", "negative", tlv));
    }
    let n = tlv.as_uint()?;
    u32::try_from(n).map_err(|_| invalid("DG13 field number", "too large", tlv))
}

/// The strings after the field number: each a string element, or a SEQUENCE of them (one
/// level, as fields 13 and 14 hold).
fn strings(r: Reader<'_>) -> Result<Vec<String>, Fault> {
    let mut out = Vec::new();
    for tlv in r {
        let tlv = tlv?;
        if tlv.tag.0 == TAG_SEQUENCE {
            for inner in tlv.children() {
                out.push(string(&inner?)?);
            }
        } else {
            out.push(string(&tlv)?);
        }
    }
    Ok(out)
}

fn single(strings: Vec<String>, field: &Tlv<'_>) -> Result<String, Fault> {
    let mut it = strings.into_iter();
    match (it.next(), it.next()) {
        (Some(s), None) => Ok(s),
        (None, _) => Err(invalid("DG13 field", "no value", field)),
        (Some(_), Some(_)) => Err(invalid("DG13 field", "more than one value", field)),
    }
}

/// Decodes one string element (UTF8String, PrintableString, IA5String, BMPString).
fn string(tlv: &Tlv<'_>) -> Result<String, Fault> {
    match tlv.tag.0 {
        TAG_UTF8_STRING => core::str::from_utf8(tlv.value)
            .map(str::to_owned)
            .map_err(|_| invalid("DG13 value", "UTF8String is not UTF-8", tlv)),
        TAG_PRINTABLE_STRING | TAG_IA5_STRING => {
            if tlv.value.is_ascii() {
                Ok(tlv.value.iter().map(|&b| char::from(b)).collect())
            } else {
                Err(invalid("DG13 value", "PrintableString is not ASCII", tlv))
            }
        }
        TAG_BMP_STRING => {
            let pairs = tlv.value.chunks_exact(2);
            if !pairs.remainder().is_empty() {
                return Err(invalid("DG13 value", "BMPString of odd length", tlv));
            }
            char::decode_utf16(
                pairs.map(|p| p.iter().fold(0u16, |acc, b| acc << 8 | u16::from(*b))),
            )
            .collect::<Result<String, _>>()
            .map_err(|_| invalid("DG13 value", "BMPString is not UTF-16", tlv))
        }
        found => Err(Fault::new(
            LdsErrorKind::UnexpectedTag {
                expected: TAG_UTF8_STRING,
                found,
            },
            tlv.offset,
        )),
    }
}

impl core::fmt::Debug for Dg13 {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let present = |v: &Option<String>| if v.is_some() { "***" } else { "-" };
        f.debug_struct("Dg13")
            .field("id_number", &present(&self.id_number))
            .field("full_name", &present(&self.full_name))
            .field("date_of_birth", &present(&self.date_of_birth))
            .field("place_of_residence", &present(&self.place_of_residence))
            .field("unknown_fields", &self.unknown.len())
            .finish_non_exhaustive()
    }
}
