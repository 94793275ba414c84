//! ECDSA verification glue: the key's `ECParameters` (named curve OID or explicit parameters,
//! BSI TR-03111 §4.1) go to [`crate::crypto::ec`], which matches explicit parameters to the
//! named curves; parameters of no named curve are refused.

use super::oid;
use super::signature::{KeyError, SignatureError};
use super::spki::{EcParameters, PublicKey, SubjectPublicKeyInfo};
use crate::crypto::ec::{Curve, EcError, Signature};

/// The named curve of an EC key (named or explicit parameters).
pub(crate) fn curve_of(key: &SubjectPublicKeyInfo) -> Result<Curve, KeyError> {
    let PublicKey::Ec(ec) = &key.key else {
        return Err(KeyError::NotEc(key.algorithm.oid));
    };
    if key.algorithm.oid != oid::EC_PUBLIC_KEY || ec.parameters == EcParameters::ImplicitlyCa {
        return Err(KeyError::ImplicitlyCa);
    }
    let params = key
        .algorithm
        .parameters
        .as_deref()
        .ok_or(KeyError::ImplicitlyCa)?;
    let curve = Curve::from_ec_parameters_der(params)?;
    if curve.named().is_none() {
        return Err(KeyError::UnnamedCurve);
    }
    Ok(curve)
}

/// Verifies an ECDSA signature (DER `Ecdsa-Sig-Value`, or plain `r || s` when `plain`) over
/// an already computed `digest`.
pub(crate) fn verify(
    key: &SubjectPublicKeyInfo,
    digest: &[u8],
    signature: &[u8],
    plain: bool,
) -> Result<(), SignatureError> {
    let curve = curve_of(key)?;
    let PublicKey::Ec(ec) = &key.key else {
        return Err(KeyError::NotEc(key.algorithm.oid).into());
    };
    let point = curve.decode_point(&ec.point).map_err(KeyError::Ec)?;
    let sig = if plain {
        Signature::from_plain(signature)
    } else {
        Signature::from_der(signature)
    }
    .map_err(|_| SignatureError::Malformed)?;
    match curve.ecdsa_verify(&point, digest, &sig) {
        Ok(()) => Ok(()),
        Err(EcError::SignatureInvalid) => Err(SignatureError::Invalid),
        Err(e) => Err(KeyError::Ec(e).into()),
    }
}

/// The curve's name (`brainpoolP256r1`), or why the key has none usable.
pub(crate) fn curve_name(key: &SubjectPublicKeyInfo) -> Option<String> {
    match curve_of(key) {
        Ok(curve) => curve.named().map(|n| n.name().to_string()),
        Err(KeyError::UnnamedCurve) => Some("unnamed explicit curve".to_string()),
        Err(_) => None,
    }
}
