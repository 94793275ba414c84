//! Serialization helpers: OIDs in dotted form, bytes in upper-case hex (as everywhere in the
//! JSON), errors by their `Display`.
use const_oid::ObjectIdentifier;
use serde::Serializer;

pub(crate) fn oid<S: Serializer>(oid: &ObjectIdentifier, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(oid)
}

pub(crate) fn hex<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&::hex::encode_upper(bytes))
}

pub(crate) fn opt_hex<S: Serializer>(bytes: &Option<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
    match bytes {
        Some(b) => s.serialize_some(&::hex::encode_upper(b)),
        None => s.serialize_none(),
    }
}

pub(crate) fn display<T: core::fmt::Display, S: Serializer>(
    v: &T,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

pub(crate) fn opt_display<T: core::fmt::Display, S: Serializer>(
    v: &Option<T>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => s.collect_str(v),
        None => s.serialize_none(),
    }
}
