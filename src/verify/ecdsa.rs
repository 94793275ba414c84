//! ECDSA verification glue: the key's `ECParameters` (named curve OID or explicit
//! parameters, BSI TR-03111 §4.1) and point go to [`crate::crypto::ec`].

use super::asn1::oids;
use super::cert::SubjectPublicKeyInfo;
use super::signature::SignatureError;

/// Verifies an ECDSA signature (DER `Ecdsa-Sig-Value`, or plain `r || s` when `plain`) over
/// an already computed `digest`.
pub(crate) fn verify(
    key: &SubjectPublicKeyInfo,
    digest: &[u8],
    signature: &[u8],
    plain: bool,
) -> Result<(), SignatureError> {
    if key.algorithm.oid != oids::EC_PUBLIC_KEY {
        return Err(SignatureError::BadKey(format!(
            "{} is not an EC key",
            key.algorithm.oid
        )));
    }
    let _ = (digest, signature, plain);
    // Never report an unverified signature as valid.
    Err(SignatureError::UnsupportedAlgorithm(
        "ECDSA (curve arithmetic not available yet)".into(),
    ))
}

/// The curve's name (`brainpoolP256r1`), or `None` when the key is not EC or the parameters
/// match no known curve.
pub(crate) fn curve_name(key: &SubjectPublicKeyInfo) -> Option<String> {
    let _ = key;
    None
}
