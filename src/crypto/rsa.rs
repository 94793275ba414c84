//! RSA public-key operations (RFC 8017): the RSAVP1 primitive `s^e mod n`, and signature
//! verification over a digest with EMSA-PKCS1-v1_5 (§9.2) and EMSA-PSS (§9.1, any salt length
//! and MGF1 hash). Active Authentication's ISO/IEC 9796-2 recovery needs the bare primitive;
//! passive authentication needs the two encodings.
//!
//! Why not the `rsa` crate's verifier: its key type computes on `BoxedUint` (heap limbs of a
//! run-time size), which made `s^65537 mod n` about 65 µs at 2048 bits, 4× OpenSSL's whole
//! verification. Here moduli up to 4096 bits use our own Montgomery arithmetic on fixed-size
//! `u64` limbs (1024, 1536, 2048, 3072 or 4096 bits, the smallest that holds n:
//! product-scanning multiplication and a dedicated squaring), with `R² mod n` and `-n⁻¹ mod 2⁶⁴` computed once
//! per key; the exponent, public and at most [`MAX_EXPONENT_BITS`] bits, is applied by plain
//! square-and-multiply (16 squarings and one multiplication for 65537). Larger moduli take
//! `crypto-bigint`'s `BoxedUint` path. [`RsaPublicKey::cached`] keeps built keys, so a
//! Document Signer's key that verifies many SODs is built once. The EMSA encodings are
//! written here because the `rsa` crate only offers them behind its own key type (see the
//! `manual` module, which also records the measurements behind the hand-written arithmetic).
//!
//! ```
//! # #[cfg(feature = "internals")] {
//! use cccd::crypto::rsa::{Hash, RsaPublicKey};
//!
//! // The textbook key n = 3233 = 61 · 53, e = 17 is far too small to sign with, but shows
//! // RSAVP1: 65^17 mod 3233 = 2790.
//! let key = RsaPublicKey::with_min_bits(&[0x0C, 0xA1], &[17], 8).unwrap();
//! assert_eq!(key.public_operation(&[0x41]).unwrap(), [0x0A, 0xE6]);
//! assert!(key.verify_pkcs1v15(Hash::Sha256, &[0; 32], &[1]).is_err());
//! # }
//! ```

use crypto_bigint::modular::{BoxedMontyForm, BoxedMontyParams};
use crypto_bigint::{BoxedUint, Odd};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};
use thiserror::Error;

mod mont;

/// How many built keys [`RsaPublicKey::cached`] keeps per process. A bank sees a few hundred
/// Document Signers and CSCAs; past this bound the cache starts afresh (a bound on memory, not
/// on correctness: a key missing from the cache is built again).
pub const KEY_CACHE_CAPACITY: usize = 4096;

/// Built keys by modulus (stripped of leading zeros), each with its exponents.
type KeyCache = RwLock<HashMap<Vec<u8>, Vec<Arc<RsaPublicKey>>>>;

fn key_cache() -> &'static KeyCache {
    static CACHE: OnceLock<KeyCache> = OnceLock::new();
    CACHE.get_or_init(|| RwLock::new(HashMap::new()))
}

/// The smallest modulus accepted by [`RsaPublicKey::new`], in bits (eMRTD keys are 1024 and up;
/// 512 keeps old test keys readable while refusing toys).
pub const MIN_MODULUS_BITS: usize = 512;
/// The largest modulus accepted, in bits (CSCAs go up to 4096; some roots use more).
pub const MAX_MODULUS_BITS: usize = 16_384;
/// The error of a modulus that has no Montgomery form (checked before, so never seen).
const EVEN: RsaError = RsaError::Modulus("even");

/// The largest public exponent accepted, in bits: real keys use 65537 (17 bits); a bound keeps
/// a hostile DG15 or certificate from asking for a huge exponentiation.
pub const MAX_EXPONENT_BITS: u32 = 40;

/// Why an RSA operation failed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum RsaError {
    /// The modulus is even, or smaller or larger than accepted.
    #[error("unsupported RSA modulus: {0}")]
    Modulus(&'static str),
    /// The public exponent is even, below 3 or above [`MAX_EXPONENT_BITS`] bits.
    #[error("unsupported RSA public exponent")]
    Exponent,
    /// A signature representative that is empty, longer than the modulus, or not below n
    /// (RFC 8017 §5.2.2 "signature representative out of range").
    #[error("signature representative out of range")]
    OutOfRange,
    /// A digest whose length is not the hash's.
    #[error("digest of {0} bytes does not match the hash")]
    DigestLength(usize),
    /// The signature does not verify.
    #[error("signature does not verify")]
    Invalid,
}

/// The hash functions of eMRTD signatures, as the EMSA encodings use them.
pub use crate::crypto::hash::HashAlgorithm as Hash;

/// The DER contents of the hash's OBJECT IDENTIFIER (RFC 8017 Appendix B.1).
fn oid_bytes(hash: Hash) -> &'static [u8] {
    match hash {
        Hash::Sha1 => &[0x2B, 0x0E, 0x03, 0x02, 0x1A],
        Hash::Sha224 => &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x04],
        Hash::Sha256 => &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01],
        Hash::Sha384 => &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02],
        Hash::Sha512 => &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03],
    }
}

/// An RSA public key (n, e) with its Montgomery parameters computed once, so that a key
/// verifying many signatures pays for them once.
#[derive(Clone)]
pub struct RsaPublicKey {
    /// Bits of n.
    bits: usize,
    /// Bytes of n: k in RFC 8017.
    len: usize,
    e: u64,
    arith: Arith,
}

/// Montgomery parameters at the smallest fixed size that holds n ([`mont`]), or `BoxedUint`
/// limbs above 4096 bits (the fixed ones boxed too: up to 1 KB each).
#[derive(Clone)]
enum Arith {
    L16(Box<mont::l16::Params>),
    L24(Box<mont::l24::Params>),
    L32(Box<mont::l32::Params>),
    L48(Box<mont::l48::Params>),
    L64(Box<mont::l64::Params>),
    Boxed(BoxedMontyParams),
}

impl core::fmt::Debug for RsaPublicKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "RsaPublicKey({}-bit n, e = {})", self.bits, self.e)
    }
}

impl RsaPublicKey {
    /// A key from its big-endian modulus and public exponent (leading zeros tolerated): n odd
    /// and [`MIN_MODULUS_BITS`]..=[`MAX_MODULUS_BITS`] bits, e odd, at least 3 and at most
    /// [`MAX_EXPONENT_BITS`] bits.
    pub fn new(n: &[u8], e: &[u8]) -> Result<Self, RsaError> {
        Self::with_min_bits(n, e, MIN_MODULUS_BITS)
    }

    /// [`RsaPublicKey::new`] with another lower bound on the modulus size (a caller may want
    /// more than [`MIN_MODULUS_BITS`]; tests and examples less).
    pub fn with_min_bits(n: &[u8], e: &[u8], min_bits: usize) -> Result<Self, RsaError> {
        let n = strip_zeros(n);
        let bits = bit_len(n);
        if bits < min_bits.max(2) {
            return Err(RsaError::Modulus("too small"));
        }
        if bits > MAX_MODULUS_BITS {
            return Err(RsaError::Modulus("too large"));
        }
        if n.last().is_none_or(|b| b & 1 == 0) {
            return Err(RsaError::Modulus("even"));
        }
        let e = exponent_value(e)?;
        let len = n.len();
        let arith = match len.div_ceil(8) {
            0..=16 => Arith::L16(Box::new(mont::l16::Params::new(n).ok_or(EVEN)?)),
            17..=24 => Arith::L24(Box::new(mont::l24::Params::new(n).ok_or(EVEN)?)),
            25..=32 => Arith::L32(Box::new(mont::l32::Params::new(n).ok_or(EVEN)?)),
            33..=48 => Arith::L48(Box::new(mont::l48::Params::new(n).ok_or(EVEN)?)),
            49..=64 => Arith::L64(Box::new(mont::l64::Params::new(n).ok_or(EVEN)?)),
            _ => {
                let precision = u32::try_from(len.div_ceil(8) * 64)
                    .map_err(|_| RsaError::Modulus("too large"))?;
                let v = BoxedUint::from_be_slice(n, precision)
                    .map_err(|_| RsaError::Modulus("too large"))?;
                let odd =
                    Option::<Odd<BoxedUint>>::from(v.to_odd()).ok_or(RsaError::Modulus("even"))?;
                Arith::Boxed(BoxedMontyParams::new_vartime(odd))
            }
        };
        Ok(Self {
            bits,
            len,
            e,
            arith,
        })
    }

    /// [`RsaPublicKey::new`] through a process-wide cache keyed by (n, e): a key that verifies
    /// many signatures (a Document Signer's over many SODs, a CSCA's over many DSCs) pays for
    /// its Montgomery constants once. Holds at most [`KEY_CACHE_CAPACITY`] keys; refusals are
    /// not cached. Thread-safe.
    pub fn cached(n: &[u8], e: &[u8]) -> Result<Arc<Self>, RsaError> {
        let n = strip_zeros(n);
        let find = |map: &HashMap<Vec<u8>, Vec<Arc<Self>>>, e_value: u64| {
            map.get(n)
                .and_then(|keys| keys.iter().find(|k| k.e == e_value).cloned())
        };
        let Ok(e_value) = exponent_value(e) else {
            return Self::new(n, e).map(Arc::new);
        };
        if let Ok(map) = key_cache().read() {
            if let Some(key) = find(&map, e_value) {
                return Ok(key);
            }
        }
        let key = Arc::new(Self::new(n, e)?);
        if let Ok(mut map) = key_cache().write() {
            if map.values().map(Vec::len).sum::<usize>() >= KEY_CACHE_CAPACITY {
                map.clear();
            }
            let keys = map.entry(n.to_vec()).or_default();
            if !keys.iter().any(|k| k.e == e_value) {
                keys.push(Arc::clone(&key));
            }
        }
        Ok(key)
    }

    /// Bits of the modulus.
    pub fn modulus_bits(&self) -> usize {
        self.bits
    }

    /// Bytes of the modulus (k in RFC 8017): the length of signatures and of
    /// [`RsaPublicKey::public_operation`]'s output.
    pub fn modulus_len(&self) -> usize {
        self.len
    }

    /// The public exponent.
    pub fn exponent(&self) -> u64 {
        self.e
    }

    /// RSAVP1 (RFC 8017 §5.2.2): `s^e mod n` as exactly [`RsaPublicKey::modulus_len`] bytes.
    /// `s` is big-endian, 1..=k bytes (issuers that strip leading zero bytes are tolerated:
    /// the integer is the same) and must be below n. Variable time: every input is public.
    pub fn public_operation(&self, s: &[u8]) -> Result<Vec<u8>, RsaError> {
        if s.is_empty() || s.len() > self.len {
            return Err(RsaError::OutOfRange);
        }
        let m = match &self.arith {
            Arith::L16(p) => p.pow(s, self.e),
            Arith::L24(p) => p.pow(s, self.e),
            Arith::L32(p) => p.pow(s, self.e),
            Arith::L48(p) => p.pow(s, self.e),
            Arith::L64(p) => p.pow(s, self.e),
            Arith::Boxed(p) => boxed_pow(p, s, self.e),
        }
        .ok_or(RsaError::OutOfRange)?;
        // m < n, so everything before the last k bytes is zero.
        let start = m.len().checked_sub(self.len).ok_or(RsaError::OutOfRange)?;
        m.get(start..)
            .map(<[u8]>::to_vec)
            .ok_or(RsaError::OutOfRange)
    }

    /// RSASSA-PKCS1-V1_5-VERIFY (RFC 8017 §8.2.2) of a message digest. The encoded message
    /// is rebuilt and compared in full (no parsing of the DigestInfo); a DigestInfo whose
    /// AlgorithmIdentifier omits the NULL parameters is also accepted (RFC 8017 §9.2 note 2:
    /// "implementations ... should accept" both for SHA-2).
    pub fn verify_pkcs1v15(
        &self,
        hash: Hash,
        digest: &[u8],
        signature: &[u8],
    ) -> Result<(), RsaError> {
        if digest.len() != hash.output_len() {
            return Err(RsaError::DigestLength(digest.len()));
        }
        let em = self.public_operation(signature)?;
        for with_null in [true, false] {
            if em == emsa_pkcs1v15(hash, digest, with_null, self.len)? {
                return Ok(());
            }
        }
        Err(RsaError::Invalid)
    }

    /// RSASSA-PSS-VERIFY (RFC 8017 §8.1.2) of a message digest with the given MGF1 hash and
    /// salt length (as an RSASSA-PSS-params AlgorithmIdentifier gives them; trailer field
    /// `BC`).
    pub fn verify_pss(
        &self,
        hash: Hash,
        mgf1_hash: Hash,
        salt_len: usize,
        digest: &[u8],
        signature: &[u8],
    ) -> Result<(), RsaError> {
        if digest.len() != hash.output_len() {
            return Err(RsaError::DigestLength(digest.len()));
        }
        let em = self.public_operation(signature)?;
        emsa_pss_verify(&em, self.bits - 1, hash, mgf1_hash, salt_len, digest)
    }
}

/// `s^e mod n` on boxed limbs (moduli above 4096 bits); `None` when s ≥ n.
fn boxed_pow(params: &BoxedMontyParams, s: &[u8], e: u64) -> Option<Vec<u8>> {
    let n = params.modulus().as_ref();
    let s = BoxedUint::from_be_slice(s, n.bits_precision()).ok()?;
    if s >= *n {
        return None;
    }
    let base = BoxedMontyForm::new(s, params);
    let mut acc = base.clone();
    for bit in (0..63 - e.leading_zeros()).rev() {
        acc = acc.square();
        if (e >> bit) & 1 == 1 {
            acc = acc.mul(&base);
        }
    }
    Some(acc.retrieve().to_be_bytes().to_vec())
}

/// EMSA-PKCS1-v1_5-ENCODE (RFC 8017 §9.2): `00 01 FF..FF 00 || DigestInfo`, `k` bytes.
fn emsa_pkcs1v15(
    hash: Hash,
    digest: &[u8],
    with_null: bool,
    k: usize,
) -> Result<Vec<u8>, RsaError> {
    let oid = oid_bytes(hash);
    let null: &[u8] = if with_null { &[0x05, 0x00] } else { &[] };
    // DigestInfo ::= SEQUENCE { SEQUENCE { OID, NULL? }, OCTET STRING digest }: every length
    // is below 128, so each header is two bytes.
    let alg_len = 2 + 2 + oid.len() + null.len();
    let t_len = 2 + alg_len + 2 + digest.len();
    // RFC 8017 §9.2 step 3: emLen < tLen + 11 is "intended encoded message length too short".
    if k < t_len + 11 {
        return Err(RsaError::Invalid);
    }
    let mut em = Vec::with_capacity(k);
    em.extend_from_slice(&[0x00, 0x01]);
    em.resize(k - t_len - 1, 0xFF);
    em.push(0x00);
    em.extend_from_slice(&[0x30, short_len(alg_len + 2 + digest.len())?]);
    em.extend_from_slice(&[0x30, short_len(oid.len() + 2 + null.len())?]);
    em.extend_from_slice(&[0x06, short_len(oid.len())?]);
    em.extend_from_slice(oid);
    em.extend_from_slice(null);
    em.extend_from_slice(&[0x04, short_len(digest.len())?]);
    em.extend_from_slice(digest);
    Ok(em)
}

fn short_len(len: usize) -> Result<u8, RsaError> {
    u8::try_from(len)
        .ok()
        .filter(|l| *l < 0x80)
        .ok_or(RsaError::Invalid)
}

/// MGF1 (RFC 8017 §B.2.1).
fn mgf1(hash: Hash, seed: &[u8], len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + hash.output_len());
    let mut counter: u32 = 0;
    while out.len() < len {
        out.extend_from_slice(&hash.digest_parts(&[seed, &counter.to_be_bytes()]));
        counter = counter.wrapping_add(1);
    }
    out.truncate(len);
    out
}

/// EMSA-PSS-VERIFY (RFC 8017 §9.1.2) over the k-byte RSAVP1 output, with emBits = modBits−1.
fn emsa_pss_verify(
    em_k: &[u8],
    em_bits: usize,
    hash: Hash,
    mgf1_hash: Hash,
    salt_len: usize,
    m_hash: &[u8],
) -> Result<(), RsaError> {
    let em_len = em_bits.div_ceil(8);
    // RFC 8017 §8.1.2 step 2c: when emLen < k the leading byte of the k bytes must be zero.
    let extra = em_k.len().saturating_sub(em_len);
    if em_k.iter().take(extra).any(|b| *b != 0) {
        return Err(RsaError::Invalid);
    }
    let em = em_k.get(extra..).ok_or(RsaError::Invalid)?;
    let h_len = hash.output_len();
    // Steps 3 and 4.
    let needed = h_len
        .checked_add(salt_len)
        .and_then(|v| v.checked_add(2))
        .ok_or(RsaError::Invalid)?;
    if em_len < needed || em.last() != Some(&0xBC) {
        return Err(RsaError::Invalid);
    }
    // Step 5: maskedDB || H || BC.
    let db_len = em_len - h_len - 1;
    let (masked_db, rest) = em.split_at_checked(db_len).ok_or(RsaError::Invalid)?;
    let h = rest.get(..h_len).ok_or(RsaError::Invalid)?;
    // Step 6: the leftmost 8·emLen − emBits bits of maskedDB must be zero.
    let top_bits = 8 * em_len - em_bits;
    let top_mask = if top_bits == 0 {
        0
    } else {
        0xFFu8 << (8 - top_bits)
    };
    if masked_db.first().is_some_and(|b| b & top_mask != 0) {
        return Err(RsaError::Invalid);
    }
    // Steps 7-9.
    let mask = mgf1(mgf1_hash, h, db_len);
    let mut db: Vec<u8> = masked_db.iter().zip(&mask).map(|(a, b)| a ^ b).collect();
    if let Some(first) = db.first_mut() {
        *first &= !top_mask;
    }
    // Step 10: PS (zeros) || 01 || salt.
    let ps_len = db_len - salt_len - 1;
    if db.iter().take(ps_len).any(|b| *b != 0) || db.get(ps_len) != Some(&0x01) {
        return Err(RsaError::Invalid);
    }
    // Steps 11-14: H' = Hash(00 x8 || mHash || salt).
    let salt = db.get(ps_len + 1..).ok_or(RsaError::Invalid)?;
    if hash.digest_parts(&[&[0u8; 8], m_hash, salt]) == h {
        Ok(())
    } else {
        Err(RsaError::Invalid)
    }
}

/// The public exponent as a number: odd, at least 3, at most [`MAX_EXPONENT_BITS`] bits.
fn exponent_value(e: &[u8]) -> Result<u64, RsaError> {
    let e = strip_zeros(e);
    if bit_len(e) > MAX_EXPONENT_BITS as usize {
        return Err(RsaError::Exponent);
    }
    let e = e.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
    if e < 3 || e & 1 == 0 {
        return Err(RsaError::Exponent);
    }
    Ok(e)
}

fn strip_zeros(v: &[u8]) -> &[u8] {
    let skip = v.iter().take_while(|b| **b == 0).count();
    v.get(skip..).unwrap_or(&[])
}

/// Bits of a big-endian integer without leading zero bytes.
fn bit_len(v: &[u8]) -> usize {
    match v.first() {
        None => 0,
        Some(top) => v.len() * 8 - top.leading_zeros() as usize,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mgf1_rfc8017_shape() {
        // MGF1 output is the concatenation of Hash(seed || counter).
        let out = mgf1(Hash::Sha256, b"seed", 40);
        let mut first = b"seed".to_vec();
        first.extend_from_slice(&[0, 0, 0, 0]);
        assert_eq!(&out[..32], Hash::Sha256.digest(&first).as_slice());
        assert_eq!(out.len(), 40);
    }

    #[test]
    fn exponent_and_modulus_bounds_are_typed() {
        let n = [0xC5u8; 128];
        assert!(RsaPublicKey::new(&n, &[1, 0, 1]).is_ok());
        assert_eq!(
            RsaPublicKey::new(&n, &[1, 0, 0]).unwrap_err(),
            RsaError::Exponent
        );
        assert_eq!(RsaPublicKey::new(&n, &[1]).unwrap_err(), RsaError::Exponent);
        assert_eq!(RsaPublicKey::new(&n, &[]).unwrap_err(), RsaError::Exponent);
        assert_eq!(
            RsaPublicKey::new(&n, &[1, 0, 0, 0, 0, 1]).unwrap_err(),
            RsaError::Exponent
        );
        assert!(RsaPublicKey::new(&n, &[0, 0, 0x80, 0, 0, 0, 1]).is_ok());
        let mut even = n;
        even[127] = 0xC4;
        assert_eq!(
            RsaPublicKey::new(&even, &[3]).unwrap_err(),
            RsaError::Modulus("even")
        );
        assert_eq!(
            RsaPublicKey::new(&[0xC5; 63], &[3]).unwrap_err(),
            RsaError::Modulus("too small")
        );
        assert_eq!(
            RsaPublicKey::new(&[0xC5; 2049], &[3]).unwrap_err(),
            RsaError::Modulus("too large")
        );
    }

    #[test]
    fn representative_at_or_above_n_is_out_of_range() {
        let n = [0xC5u8; 128];
        let key = RsaPublicKey::new(&n, &[3]).unwrap();
        assert_eq!(key.public_operation(&n), Err(RsaError::OutOfRange));
        assert_eq!(
            key.public_operation(&[0xFF; 128]),
            Err(RsaError::OutOfRange)
        );
        assert_eq!(key.public_operation(&[1; 129]), Err(RsaError::OutOfRange));
        assert_eq!(key.public_operation(&[]), Err(RsaError::OutOfRange));
        // 2^3 = 8, at full width.
        let out = key.public_operation(&[2]).unwrap();
        assert_eq!(out.len(), 128);
        assert_eq!(out[127], 8);
        assert!(out[..127].iter().all(|b| *b == 0));
    }

    #[test]
    fn digest_info_prefixes_are_rfc8017_note1() {
        // RFC 8017 §9.2 Note 1 gives T's prefix for each hash.
        let expected = [
            (Hash::Sha1, "3021300906052b0e03021a05000414"),
            (Hash::Sha224, "302d300d06096086480165030402040500041c"),
            (Hash::Sha256, "3031300d060960864801650304020105000420"),
            (Hash::Sha384, "3041300d060960864801650304020205000430"),
            (Hash::Sha512, "3051300d060960864801650304020305000440"),
        ];
        for (hash, prefix) in expected {
            let digest = vec![0xAB; hash.output_len()];
            let em = emsa_pkcs1v15(hash, &digest, true, 256).unwrap();
            let prefix = hex::decode(prefix).unwrap();
            let t_start = 256 - prefix.len() - digest.len();
            assert_eq!(em[..2], [0x00, 0x01]);
            assert!(em[2..t_start - 1].iter().all(|b| *b == 0xFF));
            assert_eq!(em[t_start - 1], 0x00);
            assert_eq!(em[t_start..t_start + prefix.len()], prefix[..], "{hash:?}");
        }
    }
}
