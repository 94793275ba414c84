//! Small helpers over the bounded [`crate::tlv`] reader for the structures read element by
//! element (the outer frames of certificates and CRLs, the LDS objects): OBJECT IDENTIFIER,
//! unsigned INTEGER magnitudes and a typed "wrong tag" error.

use crate::tlv::{tags, Tag, Tlv, TlvError, TlvErrorKind};
use const_oid::ObjectIdentifier;

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

/// The content of an INTEGER without its leading zero bytes (an unsigned magnitude).
pub(crate) fn unsigned(value: &[u8]) -> &[u8] {
    let skip = value
        .iter()
        .take_while(|b| **b == 0)
        .count()
        .min(value.len().saturating_sub(1));
    value.get(skip..).unwrap_or(value)
}
