//! ECDSA verification glue: the key's `ECParameters` (named curve OID or explicit
//! parameters, BSI TR-03111 §4.1) and point go to [`crate::crypto::ec`].

use super::asn1::oids;
use super::cert::SubjectPublicKeyInfo;
use super::signature::SignatureError;
use crate::crypto::ec::{Curve, EcError, Signature};

/// The curve of an EC key (named or explicit parameters).
fn curve_of(key: &SubjectPublicKeyInfo) -> Result<Curve, SignatureError> {
    if key.algorithm.oid != oids::EC_PUBLIC_KEY {
        return Err(SignatureError::BadKey(format!(
            "{} is not an EC key",
            key.algorithm.oid
        )));
    }
    let params = key.algorithm.parameters.as_deref().ok_or_else(|| {
        SignatureError::BadKey("EC key without domain parameters (implicitlyCA)".into())
    })?;
    Curve::from_ec_parameters_der(params).map_err(|e| SignatureError::BadKey(e.to_string()))
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
    let point = curve
        .decode_point(&key.key)
        .map_err(|e| SignatureError::BadKey(e.to_string()))?;
    let sig = if plain {
        Signature::from_plain(signature)
    } else {
        Signature::from_der(signature)
    }
    .map_err(|_| SignatureError::Malformed)?;
    match curve.ecdsa_verify(&point, digest, &sig) {
        Ok(()) => Ok(()),
        Err(EcError::SignatureInvalid) => Err(SignatureError::Invalid),
        Err(e) => Err(SignatureError::BadKey(e.to_string())),
    }
}

/// The curve's name (`brainpoolP256r1`), `unknown curve` for valid explicit parameters of no
/// published curve, or `None` when the key is not EC or its parameters are invalid.
pub(crate) fn curve_name(key: &SubjectPublicKeyInfo) -> Option<String> {
    let curve = curve_of(key).ok()?;
    Some(match curve.named() {
        Some(n) => n.name().to_string(),
        None => format!("unknown {}-bit curve", curve.field_size() * 8),
    })
}
