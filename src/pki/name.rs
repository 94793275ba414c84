//! Distinguished names (RFC 5280 §4.1.2.4), decoded by `x509-cert`, kept with their original
//! encoding, and compared as RFC 5280 §7.1 says.

use super::oid;
use const_oid::ObjectIdentifier;
use der::{Decode, Tagged};

/// One attribute of a distinguished name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameAttribute {
    /// The attribute type (`2.5.4.6` = countryName ...).
    pub oid: ObjectIdentifier,
    /// The string tag (`0C` UTF8String, `13` PrintableString, ...).
    pub string_tag: u32,
    /// The value decoded as text (UTF-8; Latin-1 for T61String; UCS-2 for BMPString; UCS-4
    /// for UniversalString).
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
    /// Attributes in RDN order (multi-valued RDNs flattened).
    pub attributes: Vec<NameAttribute>,
    /// How many attributes each RDN holds, in order (sums to `attributes.len()`).
    rdn_sizes: Vec<usize>,
}

/// How two names compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameMatch {
    /// Byte-identical encodings.
    Exact,
    /// The same name by RFC 5280 §7.1: the same RDNs in the same order, each RDN the same set
    /// of attributes, values equal after case folding and whitespace normalisation (RFC 4518),
    /// whatever their string type (PrintableString, UTF8String, ...).
    Normalised,
    /// Different names.
    Different,
}

impl Name {
    /// Decodes one DER `Name` element (exactly `der`, no trailing bytes).
    pub fn from_der(der: &[u8]) -> Result<Self, der::Error> {
        let name = x509_cert::name::Name::from_der(der)?;
        let mut attributes = Vec::new();
        let mut rdn_sizes = Vec::new();
        for rdn in name.iter_rdn() {
            rdn_sizes.push(rdn.len());
            for atv in rdn.iter() {
                attributes.push(NameAttribute {
                    oid: atv.oid,
                    string_tag: atv.value.tag().number().value(),
                    value: decode_string(atv.value.tag().number().value(), atv.value.value()),
                });
            }
        }
        Ok(Self {
            raw: der.to_vec(),
            attributes,
            rdn_sizes,
        })
    }

    /// Compares two names: byte-identical, equal by RFC 5280 §7.1, or different.
    pub fn matches(&self, other: &Name) -> NameMatch {
        if self.raw == other.raw {
            return NameMatch::Exact;
        }
        if self.rdn_sizes != other.rdn_sizes {
            return NameMatch::Different;
        }
        let mut start = 0;
        for size in &self.rdn_sizes {
            let end = start + size;
            let (Some(a), Some(b)) = (
                self.attributes.get(start..end),
                other.attributes.get(start..end),
            ) else {
                return NameMatch::Different;
            };
            // An RDN is a SET: each attribute of one must be in the other (sizes are equal
            // and attribute types within one RDN are distinct in every real name).
            let same = a.iter().all(|x| {
                b.iter()
                    .any(|y| x.oid == y.oid && normalise(&x.value) == normalise(&y.value))
            });
            if !same {
                return NameMatch::Different;
            }
            start = end;
        }
        NameMatch::Normalised
    }

    /// True when the two names are the same name (exactly or by RFC 5280 §7.1).
    pub fn same_as(&self, other: &Name) -> bool {
        self.matches(other) != NameMatch::Different
    }

    /// The countryName value, upper-cased.
    pub fn country(&self) -> Option<String> {
        self.attributes
            .iter()
            .find(|a| a.oid == oid::COUNTRY_NAME)
            .map(|a| a.value.trim().to_ascii_uppercase())
    }
}

/// RFC 4518 in short: case folded, leading and trailing space removed, inner runs of space
/// collapsed to one.
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
        // UniversalString: UCS-4 big endian.
        0x1C => v
            .chunks(4)
            .map(|c| match c {
                [a, b, d, e] => char::from_u32(u32::from_be_bytes([*a, *b, *d, *e]))
                    .unwrap_or(char::REPLACEMENT_CHARACTER),
                _ => char::REPLACEMENT_CHARACTER,
            })
            .collect(),
        // T61String / TeletexString: treated as Latin-1, as most decoders do.
        0x14 => v.iter().map(|b| char::from(*b)).collect(),
        _ => String::from_utf8_lossy(v).into_owned(),
    }
}

/// The attribute types [`Name`]'s `Display` writes with their RFC 4514 short names.
const SHORT_NAMES: [(ObjectIdentifier, &str); 8] = [
    (ObjectIdentifier::new_unwrap("2.5.4.3"), "CN"),
    (ObjectIdentifier::new_unwrap("2.5.4.6"), "C"),
    (ObjectIdentifier::new_unwrap("2.5.4.7"), "L"),
    (ObjectIdentifier::new_unwrap("2.5.4.8"), "ST"),
    (ObjectIdentifier::new_unwrap("2.5.4.10"), "O"),
    (ObjectIdentifier::new_unwrap("2.5.4.11"), "OU"),
    (ObjectIdentifier::new_unwrap("2.5.4.5"), "serialNumber"),
    (
        ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.1"),
        "emailAddress",
    ),
];

impl core::fmt::Display for Name {
    /// `C=VN, O=..., CN=...` in encoding order, short names from RFC 4514 where known.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        for (i, a) in self.attributes.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            // Compared as OIDs: formatting each one to compare strings cost more than the
            // rest of the line (issue #11 profile).
            let label = if let Some(short) = SHORT_NAMES
                .iter()
                .find_map(|(oid, short)| (*oid == a.oid).then_some(*short))
            {
                short
            } else if let Some(name) = const_oid::db::DB.by_oid(&a.oid) {
                name
            } else {
                write!(f, "{}={}", a.oid, a.value)?;
                continue;
            };
            f.write_str(label)?;
            f.write_str("=")?;
            f.write_str(&a.value)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `SEQUENCE { SET { SEQUENCE { OID 2.5.4.6, <tag> "vn" } }, SET { SEQUENCE { OID
    /// 2.5.4.3, <tag> cn } } }` built by hand (RFC 5280 §4.1.2.4 shape).
    fn name(country_tag: u8, country: &str, cn: &str) -> Name {
        use crate::tlv::{encode, tags, Tag};
        let atv = |oid: &[u8], tag: u8, v: &str| {
            let mut body = encode(tags::OID, oid);
            body.extend(encode(Tag(u32::from(tag)), v.as_bytes()));
            encode(tags::SET, &encode(tags::SEQUENCE, &body))
        };
        let mut seq = atv(&[0x55, 0x04, 0x06], country_tag, country);
        seq.extend(atv(&[0x55, 0x04, 0x03], 0x0C, cn));
        Name::from_der(&encode(tags::SEQUENCE, &seq)).unwrap()
    }

    #[test]
    fn rfc5280_7_1() {
        let a = name(0x13, "VN", "CSCA  Viet Nam");
        let b = name(0x0C, "vn", " csca viet nam ");
        assert_eq!(a.matches(&a.clone()), NameMatch::Exact);
        // String type, case and spaces do not matter.
        assert_eq!(a.matches(&b), NameMatch::Normalised);
        assert_eq!(
            a.matches(&name(0x13, "VN", "CSCA Lao")),
            NameMatch::Different
        );
        assert_eq!(a.country().as_deref(), Some("VN"));
        assert_eq!(a.to_string(), "C=VN, CN=CSCA  Viet Nam");
    }
}
