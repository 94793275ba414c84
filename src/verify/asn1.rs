//! Small DER building blocks shared by the SOD, certificate, CRL and master-list parsers:
//! object identifiers, `AlgorithmIdentifier`, `Name`, `Time`, and a base64 decoder for PEM and
//! LDIF. Everything works on borrowed [`crate::tlv`] elements so the original bytes of every
//! signed structure stay available.

use crate::tlv::{Reader, Tag, Tlv, TlvError, TlvErrorKind};
use const_oid::ObjectIdentifier;

/// Universal tags used by the parsers.
pub(crate) mod tags {
    use crate::tlv::Tag;
    pub const BOOLEAN: Tag = Tag(0x01);
    pub const INTEGER: Tag = Tag(0x02);
    pub const BIT_STRING: Tag = Tag(0x03);
    pub const OCTET_STRING: Tag = Tag(0x04);
    pub const OID: Tag = Tag(0x06);
    pub const UTC_TIME: Tag = Tag(0x17);
    pub const GENERALIZED_TIME: Tag = Tag(0x18);
    pub const SEQUENCE: Tag = Tag(0x30);
    pub const SET: Tag = Tag(0x31);
    pub const CTX0: Tag = Tag(0xA0);
    pub const CTX1: Tag = Tag(0xA1);
    pub const CTX2: Tag = Tag(0xA2);
    pub const CTX3: Tag = Tag(0xA3);
}

/// Object identifiers named in ICAO 9303, RFC 5652, RFC 5280, RFC 4055 and BSI TR-03111.
pub mod oids {
    use const_oid::ObjectIdentifier as Oid;
    /// id-signedData (RFC 5652 §5.1).
    pub const SIGNED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.2");
    /// id-data (RFC 5652 §4).
    pub const DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.1");
    /// id-icao-mrtd-security-ldsSecurityObject (ICAO 9303-10 §4.6.2.3).
    pub const LDS_SECURITY_OBJECT: Oid = Oid::new_unwrap("2.23.136.1.1.1");
    /// id-icao-cscaMasterList (ICAO 9303-12 §9).
    pub const CSCA_MASTER_LIST: Oid = Oid::new_unwrap("2.23.136.1.1.2");
    /// id-SecurityObject of EF.CardSecurity (BSI TR-03110-3 §A.1.2.5).
    pub const SECURITY_OBJECT: Oid = Oid::new_unwrap("0.4.0.127.0.7.3.2.1");
    /// Legacy LDS security object content type used by early SDU (NL) SODs, as listed by
    /// JMRTD's `SODFile` (`SDU_LDS_SOD_OID`).
    pub const SDU_LDS_SOD: Oid = Oid::new_unwrap("1.2.528.1.1006.1.20.1");
    /// contentType attribute (RFC 5652 §11.1).
    pub const CONTENT_TYPE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.3");
    /// messageDigest attribute (RFC 5652 §11.2).
    pub const MESSAGE_DIGEST: Oid = Oid::new_unwrap("1.2.840.113549.1.9.4");
    /// signingTime attribute (RFC 5652 §11.3).
    pub const SIGNING_TIME: Oid = Oid::new_unwrap("1.2.840.113549.1.9.5");

    /// id-sha1 (RFC 3279).
    pub const SHA1: Oid = Oid::new_unwrap("1.3.14.3.2.26");
    /// id-sha224 (RFC 4055).
    pub const SHA224: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.4");
    /// id-sha256 (RFC 4055).
    pub const SHA256: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.1");
    /// id-sha384 (RFC 4055).
    pub const SHA384: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.2");
    /// id-sha512 (RFC 4055).
    pub const SHA512: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.3");

    /// rsaEncryption (RFC 8017 §A.1).
    pub const RSA_ENCRYPTION: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
    /// id-mgf1 (RFC 8017 §A.2.1).
    pub const MGF1: Oid = Oid::new_unwrap("1.2.840.113549.1.1.8");
    /// id-RSASSA-PSS (RFC 8017 §A.2.3).
    pub const RSASSA_PSS: Oid = Oid::new_unwrap("1.2.840.113549.1.1.10");
    /// sha1WithRSAEncryption.
    pub const SHA1_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.5");
    /// sha224WithRSAEncryption.
    pub const SHA224_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.14");
    /// sha256WithRSAEncryption.
    pub const SHA256_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.11");
    /// sha384WithRSAEncryption.
    pub const SHA384_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.12");
    /// sha512WithRSAEncryption.
    pub const SHA512_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.13");

    /// id-ecPublicKey (RFC 5480 §2.1.1).
    pub const EC_PUBLIC_KEY: Oid = Oid::new_unwrap("1.2.840.10045.2.1");
    /// ecdsa-with-SHA1 (RFC 3279).
    pub const ECDSA_WITH_SHA1: Oid = Oid::new_unwrap("1.2.840.10045.4.1");
    /// ecdsa-with-SHA224 (RFC 5758).
    pub const ECDSA_WITH_SHA224: Oid = Oid::new_unwrap("1.2.840.10045.4.3.1");
    /// ecdsa-with-SHA256 (RFC 5758).
    pub const ECDSA_WITH_SHA256: Oid = Oid::new_unwrap("1.2.840.10045.4.3.2");
    /// ecdsa-with-SHA384 (RFC 5758).
    pub const ECDSA_WITH_SHA384: Oid = Oid::new_unwrap("1.2.840.10045.4.3.3");
    /// ecdsa-with-SHA512 (RFC 5758).
    pub const ECDSA_WITH_SHA512: Oid = Oid::new_unwrap("1.2.840.10045.4.3.4");
    /// ecdsa-plain-SHA1 (BSI TR-03111 §5.2.1).
    pub const ECDSA_PLAIN_SHA1: Oid = Oid::new_unwrap("0.4.0.127.0.7.1.1.4.1.1");
    /// ecdsa-plain-SHA224 (BSI TR-03111 §5.2.1).
    pub const ECDSA_PLAIN_SHA224: Oid = Oid::new_unwrap("0.4.0.127.0.7.1.1.4.1.2");
    /// ecdsa-plain-SHA256 (BSI TR-03111 §5.2.1).
    pub const ECDSA_PLAIN_SHA256: Oid = Oid::new_unwrap("0.4.0.127.0.7.1.1.4.1.3");
    /// ecdsa-plain-SHA384 (BSI TR-03111 §5.2.1).
    pub const ECDSA_PLAIN_SHA384: Oid = Oid::new_unwrap("0.4.0.127.0.7.1.1.4.1.4");
    /// ecdsa-plain-SHA512 (BSI TR-03111 §5.2.1).
    pub const ECDSA_PLAIN_SHA512: Oid = Oid::new_unwrap("0.4.0.127.0.7.1.1.4.1.5");

    /// id-ce-subjectKeyIdentifier (RFC 5280 §4.2.1.2).
    pub const SUBJECT_KEY_IDENTIFIER: Oid = Oid::new_unwrap("2.5.29.14");
    /// id-ce-keyUsage (RFC 5280 §4.2.1.3).
    pub const KEY_USAGE: Oid = Oid::new_unwrap("2.5.29.15");
    /// id-ce-basicConstraints (RFC 5280 §4.2.1.9).
    pub const BASIC_CONSTRAINTS: Oid = Oid::new_unwrap("2.5.29.19");
    /// id-ce-authorityKeyIdentifier (RFC 5280 §4.2.1.1).
    pub const AUTHORITY_KEY_IDENTIFIER: Oid = Oid::new_unwrap("2.5.29.35");
    /// id-at-countryName (X.520).
    pub const COUNTRY_NAME: Oid = Oid::new_unwrap("2.5.4.6");
}

/// Reads an OBJECT IDENTIFIER element.
pub(crate) fn read_oid(r: &mut Reader<'_>) -> Result<ObjectIdentifier, TlvError> {
    let t = r.read_tag(tags::OID)?;
    oid_from(&t)
}

/// Decodes the value of an OBJECT IDENTIFIER element.
pub(crate) fn oid_from(t: &Tlv<'_>) -> Result<ObjectIdentifier, TlvError> {
    ObjectIdentifier::from_bytes(t.value).map_err(|_| TlvError {
        kind: TlvErrorKind::Missing(tags::OID.0),
        offset: t.value_offset,
    })
}

/// An error at the offset of `t`, for values that are well-formed TLV but wrong ASN.1.
pub(crate) fn bad(t: &Tlv<'_>, expected: Tag) -> TlvError {
    TlvError {
        kind: TlvErrorKind::UnexpectedTag {
            expected: expected.0,
            found: t.tag.0,
        },
        offset: t.offset,
    }
}

/// The content of an INTEGER without its leading sign bytes (an unsigned magnitude).
pub(crate) fn unsigned(value: &[u8]) -> &[u8] {
    let skip = value
        .iter()
        .take_while(|b| **b == 0)
        .count()
        .min(value.len().saturating_sub(1));
    value.get(skip..).unwrap_or(value)
}

/// An `AlgorithmIdentifier`.
///
/// ```text
/// AlgorithmIdentifier ::= SEQUENCE {            -- RFC 5280 §4.1.1.2
///     algorithm   OBJECT IDENTIFIER,
///     parameters  ANY DEFINED BY algorithm OPTIONAL }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlgorithmIdentifier {
    /// The algorithm.
    pub oid: ObjectIdentifier,
    /// The parameters element, whole TLV as encoded (`None` when absent).
    pub parameters: Option<Vec<u8>>,
}

impl AlgorithmIdentifier {
    /// Parses one `AlgorithmIdentifier` element.
    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, TlvError> {
        let seq = r.read_tag(tags::SEQUENCE)?;
        let mut c = seq.children();
        let oid = read_oid(&mut c)?;
        let parameters = if c.is_empty() {
            None
        } else {
            Some(c.read()?.raw.to_vec())
        };
        c.finish()?;
        Ok(Self { oid, parameters })
    }

    /// True when the parameters are absent or NULL.
    pub fn parameters_absent_or_null(&self) -> bool {
        matches!(self.parameters.as_deref(), None | Some([0x05, 0x00]))
    }
}

/// A UTC date and time, from an ASN.1 `UTCTime` or `GeneralizedTime` (RFC 5280 §4.1.2.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time {
    /// Year, e.g. 2023.
    pub year: u16,
    /// Month 1..=12.
    pub month: u8,
    /// Day 1..=31.
    pub day: u8,
    /// Hour 0..=23.
    pub hour: u8,
    /// Minute 0..=59.
    pub minute: u8,
    /// Second 0..=60.
    pub second: u8,
}

impl Time {
    /// Midnight UTC of a calendar date; `None` when the date is impossible.
    pub fn from_ymd(year: u16, month: u8, day: u8) -> Option<Self> {
        let t = Self {
            year,
            month,
            day,
            hour: 0,
            minute: 0,
            second: 0,
        };
        t.is_plausible().then_some(t)
    }

    /// Parses `YYYY-MM-DD` (the CLI's `--at`).
    pub fn parse_date(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
            return None;
        }
        let year = digits(b.get(0..4)?)?;
        let month = digits(b.get(5..7)?)?;
        let day = digits(b.get(8..10)?)?;
        Self::from_ymd(
            u16::try_from(year).ok()?,
            u8::try_from(month).ok()?,
            u8::try_from(day).ok()?,
        )
    }

    /// The current time from the system clock.
    pub fn now() -> Self {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        Self::from_unix(secs)
    }

    /// Converts seconds since 1970-01-01T00:00:00Z (civil-from-days, H. Hinnant).
    pub fn from_unix(secs: u64) -> Self {
        let days = i64::try_from(secs / 86_400).unwrap_or(0);
        let rem = secs % 86_400;
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Self {
            year: u16::try_from(year).unwrap_or(u16::MAX),
            month: u8::try_from(month).unwrap_or(1),
            day: u8::try_from(day).unwrap_or(1),
            hour: u8::try_from(rem / 3600).unwrap_or(0),
            minute: u8::try_from(rem % 3600 / 60).unwrap_or(0),
            second: u8::try_from(rem % 60).unwrap_or(0),
        }
    }

    fn is_plausible(&self) -> bool {
        (1..=12).contains(&self.month)
            && (1..=31).contains(&self.day)
            && self.hour < 24
            && self.minute < 60
            && self.second <= 60
    }

    /// Parses a `UTCTime` (tag 17, `YYMMDDHHMM[SS]Z`, years 50..99 are 19xx) or a
    /// `GeneralizedTime` (tag 18, `YYYYMMDDHHMMSS[.f]Z`). Offsets other than `Z` are rejected.
    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, TlvError> {
        let t = r.read()?;
        Self::from_tlv(&t)
    }

    pub(crate) fn from_tlv(t: &Tlv<'_>) -> Result<Self, TlvError> {
        let fail = || TlvError {
            kind: TlvErrorKind::Missing(tags::UTC_TIME.0),
            offset: t.value_offset,
        };
        let v = t.value;
        let (year, rest) = if t.tag == tags::UTC_TIME {
            let yy = digits(v.get(0..2).ok_or_else(fail)?).ok_or_else(fail)?;
            (
                if yy >= 50 { 1900 + yy } else { 2000 + yy },
                v.get(2..).ok_or_else(fail)?,
            )
        } else if t.tag == tags::GENERALIZED_TIME {
            (
                digits(v.get(0..4).ok_or_else(fail)?).ok_or_else(fail)?,
                v.get(4..).ok_or_else(fail)?,
            )
        } else {
            return Err(bad(t, tags::UTC_TIME));
        };
        let rest = rest.strip_suffix(b"Z").ok_or_else(fail)?;
        // Drop fractional seconds of a GeneralizedTime.
        let rest = match rest.iter().position(|b| *b == b'.') {
            Some(p) => rest.get(..p).ok_or_else(fail)?,
            None => rest,
        };
        if rest.len() != 8 && rest.len() != 10 {
            return Err(fail());
        }
        let field = |i: usize| -> Result<u8, TlvError> {
            match rest.get(i..i + 2) {
                Some(d) => digits(d)
                    .and_then(|n| u8::try_from(n).ok())
                    .ok_or_else(fail),
                None => Ok(0),
            }
        };
        let time = Self {
            year: u16::try_from(year).map_err(|_| fail())?,
            month: field(0)?,
            day: field(2)?,
            hour: field(4)?,
            minute: field(6)?,
            second: field(8)?,
        };
        if time.is_plausible() {
            Ok(time)
        } else {
            Err(fail())
        }
    }
}

fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0')))
}

impl core::fmt::Display for Time {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Time {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// One attribute of a distinguished name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameAttribute {
    /// The attribute type (`2.5.4.6` = countryName ...).
    pub oid: ObjectIdentifier,
    /// The string tag (`0C` UTF8String, `13` PrintableString, ...).
    pub string_tag: u32,
    /// The value decoded as text (UTF-8, Latin-1 for T61String, UCS-2 for BMPString).
    pub value: String,
}

/// A distinguished name, kept with its exact encoding.
///
/// ```text
/// Name ::= CHOICE { rdnSequence RDNSequence }            -- RFC 5280 §4.1.2.4
/// RDNSequence ::= SEQUENCE OF RelativeDistinguishedName
/// RelativeDistinguishedName ::= SET SIZE (1..MAX) OF AttributeTypeAndValue
/// AttributeTypeAndValue ::= SEQUENCE { type OBJECT IDENTIFIER, value ANY }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    /// The whole `Name` element as encoded.
    pub raw: Vec<u8>,
    /// Attributes in encoding order (multi-valued RDNs flattened).
    pub attributes: Vec<NameAttribute>,
}

/// How two names compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameMatch {
    /// Byte-identical encodings.
    Exact,
    /// Same attributes and values once case, whitespace and string type are ignored
    /// (RFC 5280 §7.1 in spirit); accepted with a warning.
    Normalised,
    /// Different names.
    Different,
}

impl Name {
    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, TlvError> {
        let seq = r.read_tag(tags::SEQUENCE)?;
        let mut attributes = Vec::new();
        for rdn in seq.children() {
            let rdn = rdn?;
            if rdn.tag != tags::SET {
                return Err(bad(&rdn, tags::SET));
            }
            for atv in rdn.children() {
                let atv = atv?;
                if atv.tag != tags::SEQUENCE {
                    return Err(bad(&atv, tags::SEQUENCE));
                }
                let mut c = atv.children();
                let oid = read_oid(&mut c)?;
                let v = c.read()?;
                c.finish()?;
                attributes.push(NameAttribute {
                    oid,
                    string_tag: v.tag.0,
                    value: decode_string(v.tag.0, v.value),
                });
            }
        }
        Ok(Self {
            raw: seq.raw.to_vec(),
            attributes,
        })
    }

    /// Compares two names: exact bytes, or equal after normalisation.
    pub fn matches(&self, other: &Name) -> NameMatch {
        if self.raw == other.raw {
            return NameMatch::Exact;
        }
        let same = self.attributes.len() == other.attributes.len()
            && self
                .attributes
                .iter()
                .zip(&other.attributes)
                .all(|(a, b)| a.oid == b.oid && normalise(&a.value) == normalise(&b.value));
        if same {
            NameMatch::Normalised
        } else {
            NameMatch::Different
        }
    }

    /// The countryName value, upper-cased.
    pub fn country(&self) -> Option<String> {
        self.attributes
            .iter()
            .find(|a| a.oid == oids::COUNTRY_NAME)
            .map(|a| a.value.trim().to_ascii_uppercase())
    }
}

fn normalise(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn decode_string(tag: u32, v: &[u8]) -> String {
    match tag {
        // BMPString: UCS-2 big endian.
        0x1E => {
            let units: Vec<u16> = v
                .chunks(2)
                .map(|c| match c {
                    [a, b] => u16::from_be_bytes([*a, *b]),
                    _ => 0xFFFD,
                })
                .collect();
            String::from_utf16_lossy(&units)
        }
        // T61String / TeletexString: treated as Latin-1, as most decoders do.
        0x14 => v.iter().map(|b| char::from(*b)).collect(),
        _ => String::from_utf8_lossy(v).into_owned(),
    }
}

impl core::fmt::Display for Name {
    /// `C=VN, O=..., CN=...` in encoding order, short names from RFC 4514 where known.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        for (i, a) in self.attributes.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            let label = match a.oid.to_string().as_str() {
                "2.5.4.3" => "CN".to_string(),
                "2.5.4.6" => "C".to_string(),
                "2.5.4.7" => "L".to_string(),
                "2.5.4.8" => "ST".to_string(),
                "2.5.4.10" => "O".to_string(),
                "2.5.4.11" => "OU".to_string(),
                "2.5.4.5" => "serialNumber".to_string(),
                "1.2.840.113549.1.9.1" => "emailAddress".to_string(),
                other => const_oid::db::DB
                    .by_oid(&a.oid)
                    .map(str::to_string)
                    .unwrap_or_else(|| other.to_string()),
            };
            write!(f, "{label}={}", a.value)?;
        }
        Ok(())
    }
}

/// Decodes standard base64 (RFC 4648 §4), ignoring ASCII whitespace; `None` on any other
/// character or bad padding. Used for PEM (RFC 7468) and LDIF (RFC 2849) values.
pub fn base64_decode(text: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    let mut padding = 0usize;
    for &c in text {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => {
                padding += 1;
                continue;
            }
            b' ' | b'\t' | b'\r' | b'\n' => continue,
            _ => return None,
        };
        if padding > 0 {
            return None;
        }
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xFF) as u8);
        }
    }
    if padding > 2 {
        return None;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        let utc = crate::tlv::encode(tags::UTC_TIME, b"230317134018Z");
        let t = Time::read(&mut Reader::new(&utc)).unwrap();
        assert_eq!(t.to_string(), "2023-03-17T13:40:18Z");
        let gen = crate::tlv::encode(tags::GENERALIZED_TIME, b"20500101000000Z");
        assert_eq!(
            Time::read(&mut Reader::new(&gen)).unwrap().to_string(),
            "2050-01-01T00:00:00Z"
        );
        let old = crate::tlv::encode(tags::UTC_TIME, b"991231235959Z");
        assert_eq!(Time::read(&mut Reader::new(&old)).unwrap().year, 1999);
        let bad_month = crate::tlv::encode(tags::UTC_TIME, b"231317134018Z");
        assert!(Time::read(&mut Reader::new(&bad_month)).is_err());
        // 2000-03-01 = 951868800 s since the epoch.
        assert_eq!(
            Time::from_unix(951_868_800).to_string(),
            "2000-03-01T00:00:00Z"
        );
        assert_eq!(Time::parse_date("2026-05-28"), Time::from_ymd(2026, 5, 28));
        assert_eq!(Time::parse_date("2026-13-28"), None);
    }

    #[test]
    fn base64() {
        // RFC 4648 §10 test vectors.
        assert_eq!(base64_decode(b"Zm9vYmFy").unwrap(), b"foobar");
        assert_eq!(base64_decode(b"Zm9vYg==").unwrap(), b"foob");
        assert_eq!(base64_decode(b"Zm9v\n YmE=").unwrap(), b"fooba");
        assert!(base64_decode(b"Zm9v*").is_none());
    }
}
