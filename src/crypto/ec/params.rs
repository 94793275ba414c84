//! DER `ECParameters` (RFC 3279 §2.3.5, BSI TR-03111 §4.1.1, ANSI X9.62): a named-curve OID or
//! explicit parameters, as found in SubjectPublicKeyInfo algorithm parameters of CSCA and DSC
//! certificates and in DG14 / EF.CardAccess keys.
//!
//! ```text
//! ECParameters ::= CHOICE {
//!     ecParameters  SpecifiedECDomain,
//!     namedCurve    OBJECT IDENTIFIER,
//!     implicitlyCA  NULL }
//! SpecifiedECDomain ::= SEQUENCE {
//!     version   INTEGER { ecdpVer1(1), ecdpVer2(2), ecdpVer3(3) },
//!     fieldID   FieldID {{FieldTypes}},   -- SEQUENCE { fieldType OID, parameters ANY }
//!     curve     Curve,                    -- SEQUENCE { a OCTET STRING, b OCTET STRING,
//!                                         --            seed BIT STRING OPTIONAL }
//!     base      ECPoint,                  -- OCTET STRING
//!     order     INTEGER,
//!     cofactor  INTEGER OPTIONAL,
//!     hash      HashAlgorithm OPTIONAL,
//!     ... }
//! prime-field OBJECT IDENTIFIER ::= { 1 2 840 10045 1 1 }   -- parameters: Prime-p INTEGER
//! ```

use const_oid::ObjectIdentifier;

use super::{Curve, EcError, NamedCurve};
use crate::tlv::tags::{BIT_STRING, INTEGER, NULL, OCTET_STRING, OID, SEQUENCE};
use crate::tlv::{Reader, Tlv};

/// id-fieldType prime-field, 1.2.840.10045.1.1.
const PRIME_FIELD: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.1.1");
/// id-fieldType characteristic-two-field, 1.2.840.10045.1.2.
const CHARACTERISTIC_TWO_FIELD: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.10045.1.2");

fn malformed(_: crate::tlv::TlvError) -> EcError {
    EcError::InvalidParameters("malformed ECParameters")
}

impl Curve {
    /// Parses DER `ECParameters` (see the module docs): a named curve, or explicit prime-field
    /// parameters validated by [`Curve::from_explicit`] and matched to a [`NamedCurve`] when
    /// they are the published ones. Leading zeros in INTEGERs and octet strings are tolerated.
    pub fn from_ec_parameters_der(der: &[u8]) -> Result<Self, EcError> {
        let mut outer = Reader::new(der);
        let top = outer.read().map_err(malformed)?;
        outer.finish().map_err(malformed)?;
        match top.tag {
            OID => {
                let oid = parse_oid(&top)?;
                NamedCurve::from_oid(&oid)
                    .map(|c| c.curve().clone())
                    .ok_or(EcError::UnknownCurve(oid))
            }
            SEQUENCE => parse_specified(&top),
            NULL => Err(EcError::InvalidParameters("implicitlyCA")),
            _ => Err(EcError::InvalidParameters("malformed ECParameters")),
        }
    }
}

fn parse_oid(t: &Tlv<'_>) -> Result<ObjectIdentifier, EcError> {
    ObjectIdentifier::from_bytes(t.value).map_err(|_| EcError::InvalidParameters("bad OID"))
}

fn parse_specified(seq: &Tlv<'_>) -> Result<Curve, EcError> {
    let mut r = seq.children();
    let version = r.read_tag(INTEGER).map_err(malformed)?;
    if !matches!(version.as_uint(), Ok(1..=3)) {
        return Err(EcError::InvalidParameters("ECParameters version"));
    }
    // fieldID
    let field_id = r.read_tag(SEQUENCE).map_err(malformed)?;
    let mut f = field_id.children();
    let field_type = parse_oid(&f.read_tag(OID).map_err(malformed)?)?;
    if field_type == CHARACTERISTIC_TWO_FIELD {
        return Err(EcError::UnsupportedField);
    }
    if field_type != PRIME_FIELD {
        return Err(EcError::UnsupportedField);
    }
    let p = f.read_tag(INTEGER).map_err(malformed)?;
    f.finish().map_err(malformed)?;
    // curve
    let curve = r.read_tag(SEQUENCE).map_err(malformed)?;
    let mut c = curve.children();
    let a = c.read_tag(OCTET_STRING).map_err(malformed)?;
    let b = c.read_tag(OCTET_STRING).map_err(malformed)?;
    let _seed = c.read_optional(BIT_STRING).map_err(malformed)?;
    c.finish().map_err(malformed)?;
    let base = r.read_tag(OCTET_STRING).map_err(malformed)?;
    let order = r.read_tag(INTEGER).map_err(malformed)?;
    let cofactor = r.read_optional(INTEGER).map_err(malformed)?;
    // An optional hash AlgorithmIdentifier and future extensions: ignored.
    Curve::from_explicit(
        p.value,
        a.value,
        b.value,
        base.value,
        order.value,
        cofactor.map(|t| t.value),
    )
}
