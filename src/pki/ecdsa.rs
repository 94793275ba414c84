//! ECDSA verification glue: the key's `ECParameters` (named curve OID or explicit parameters,
//! BSI TR-03111 §4.1) go to [`crate::crypto::ec`], which matches explicit parameters to the
//! named curves; parameters of no named curve are refused.

use super::oid;
use super::signature::{KeyError, SignatureError};
use super::spki::{EcParameters, PublicKey, SubjectPublicKeyInfo};
use crate::crypto::ec::{Curve, EcError, Signature, VerifyingKey};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};

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
/// an already computed `digest`, with the key prepared once per process ([`verifying_key`]).
pub(crate) fn verify(
    key: &SubjectPublicKeyInfo,
    digest: &[u8],
    signature: &[u8],
    plain: bool,
) -> Result<(), SignatureError> {
    let prepared = verifying_key(key)?;
    let sig = if plain {
        Signature::from_plain(signature)
    } else {
        Signature::from_der(signature)
    }
    .map_err(|_| SignatureError::Malformed)?;
    match prepared.verify(digest, &sig) {
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

/// How many prepared EC keys [`verifying_key`] keeps per process (each with its tables once it
/// verified twice: about 25 KB on a 256-bit curve, 56 KB on a 384-bit one, so at most about
/// 29 MB). A bank sees a few hundred Document Signers and CSCAs; past the bound the cache
/// starts afresh (a key missing from it is prepared again: a bound on memory, not on
/// correctness).
pub const EC_KEY_CACHE_CAPACITY: usize = 512;

/// Prepared keys by their encoded point, each with the `ECParameters` DER it was decoded
/// under.
type EcKeyMap = HashMap<Vec<u8>, Vec<(Vec<u8>, Arc<VerifyingKey>)>>;
type EcKeyCache = RwLock<EcKeyMap>;

fn ec_key_cache() -> &'static EcKeyCache {
    static CACHE: OnceLock<EcKeyCache> = OnceLock::new();
    CACHE.get_or_init(|| RwLock::new(HashMap::new()))
}

/// The key's point decoded and checked on its named curve, through a process-wide cache keyed
/// by exactly what the result depends on: the `ECParameters` DER and the encoded point.
/// Refusals are not cached. Thread-safe.
fn verifying_key(key: &SubjectPublicKeyInfo) -> Result<Arc<VerifyingKey>, KeyError> {
    let PublicKey::Ec(ec) = &key.key else {
        return Err(KeyError::NotEc(key.algorithm.oid));
    };
    let params = key.algorithm.parameters.as_deref().unwrap_or_default();
    let find = |map: &EcKeyMap| {
        map.get(ec.point.as_slice()).and_then(|keys| {
            keys.iter()
                .find(|(p, _)| p.as_slice() == params)
                .map(|(_, k)| Arc::clone(k))
        })
    };
    if key.algorithm.oid == oid::EC_PUBLIC_KEY && ec.parameters != EcParameters::ImplicitlyCa {
        if let Ok(map) = ec_key_cache().read() {
            if let Some(found) = find(&map) {
                return Ok(found);
            }
        }
    }
    let curve = curve_of(key)?;
    let named = curve.named().ok_or(KeyError::UnnamedCurve)?;
    let prepared = Arc::new(VerifyingKey::new(named, &ec.point)?);
    if let Ok(mut map) = ec_key_cache().write() {
        if map.values().map(Vec::len).sum::<usize>() >= EC_KEY_CACHE_CAPACITY {
            map.clear();
        }
        let keys = map.entry(ec.point.clone()).or_default();
        if !keys.iter().any(|(p, _)| p.as_slice() == params) {
            keys.push((params.to_vec(), Arc::clone(&prepared)));
        }
    }
    Ok(prepared)
}
