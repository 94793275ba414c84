//! ECDSA (FIPS 186-4 §6.4, BSI TR-03111 §4.2.1) over any [`Curve`], and the two signature
//! encodings eMRTDs use: DER `ECDSA-Sig-Value` (X.509, CMS) and plain `r || s` (BSI TR-03111
//! §5.2.1: active authentication, CV certificates).

use zeroize::Zeroizing;

use super::field::{fit, strip_zeros};
use super::{Curve, EcError, Point};
use crate::crypto::rng::RandomSource;
use crate::tlv::{Reader, Tag};

const SEQUENCE: Tag = Tag(0x30);
const INTEGER: Tag = Tag(0x02);

/// An ECDSA signature (r, s), kept as unsigned big-endian integers without leading zeros.
///
/// ```text
/// ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }   -- RFC 3279 §2.2.3
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    r: Vec<u8>,
    s: Vec<u8>,
}

impl Signature {
    /// A signature from its two components (big-endian, leading zeros allowed).
    pub fn new(r: &[u8], s: &[u8]) -> Self {
        Self {
            r: strip_zeros(r).to_vec(),
            s: strip_zeros(s).to_vec(),
        }
    }

    /// r, without leading zeros.
    pub fn r(&self) -> &[u8] {
        &self.r
    }

    /// s, without leading zeros.
    pub fn s(&self) -> &[u8] {
        &self.s
    }

    /// Parses a DER `ECDSA-Sig-Value`. Tolerant of non-minimal INTEGERs and of a missing sign
    /// byte (some signers emit both); strict about structure and trailing bytes.
    pub fn from_der(der: &[u8]) -> Result<Self, EcError> {
        let mut outer = Reader::new(der);
        let seq = outer
            .read_tag(SEQUENCE)
            .map_err(|_| EcError::InvalidEncoding)?;
        outer.finish().map_err(|_| EcError::InvalidEncoding)?;
        let mut inner = seq.children();
        let r = inner
            .read_tag(INTEGER)
            .map_err(|_| EcError::InvalidEncoding)?;
        let s = inner
            .read_tag(INTEGER)
            .map_err(|_| EcError::InvalidEncoding)?;
        inner.finish().map_err(|_| EcError::InvalidEncoding)?;
        if r.value.is_empty() || s.value.is_empty() {
            return Err(EcError::InvalidEncoding);
        }
        Ok(Self::new(r.value, s.value))
    }

    /// Plain `r || s`, each half the input (BSI TR-03111 §5.2.1).
    pub fn from_plain(bytes: &[u8]) -> Result<Self, EcError> {
        if bytes.is_empty() || !bytes.len().is_multiple_of(2) {
            return Err(EcError::InvalidEncoding);
        }
        let (r, s) = bytes
            .split_at_checked(bytes.len() / 2)
            .ok_or(EcError::InvalidEncoding)?;
        Ok(Self::new(r, s))
    }

    /// DER `ECDSA-Sig-Value`, minimal INTEGERs.
    pub fn to_der(&self) -> Vec<u8> {
        let mut body = der_integer(&self.r);
        body.extend_from_slice(&der_integer(&self.s));
        crate::tlv::encode(SEQUENCE, &body)
    }

    /// Plain `r || s`, each left-padded to `order_size` bytes (a component longer than that,
    /// which no valid signature has, is kept whole).
    pub fn to_plain(&self, order_size: usize) -> Vec<u8> {
        let w = order_size.max(self.r.len()).max(self.s.len());
        let mut out = fit(&self.r, w);
        out.extend_from_slice(&fit(&self.s, w));
        out
    }
}

fn der_integer(v: &[u8]) -> Vec<u8> {
    let v = strip_zeros(v);
    let mut content = Vec::with_capacity(v.len() + 1);
    if v.first().is_none_or(|b| b & 0x80 != 0) {
        content.push(0);
    }
    content.extend_from_slice(v);
    crate::tlv::encode(INTEGER, &content)
}

impl Curve {
    /// The digest as an integer mod n: its leftmost `order_bits` bits (FIPS 186-4 §6.4,
    /// e.g. SHA-512 on P-256 keeps the first 256 bits), reduced mod n.
    fn digest_scalar(&self, digest: &[u8]) -> super::FieldElement {
        let bits = self.order_bits();
        if digest.len() * 8 <= bits {
            return self.scalars.reduce(digest);
        }
        let keep = bits.div_ceil(8);
        let head = digest.get(..keep).unwrap_or(digest);
        let excess = (head.len() * 8).saturating_sub(bits);
        // Shift the kept bytes right by `excess` bits (< 8).
        let mut shifted = Vec::with_capacity(head.len());
        let mut carry = 0u8;
        for byte in head {
            let v = if excess == 0 {
                *byte
            } else {
                (byte >> excess) | carry
            };
            carry = if excess == 0 { 0 } else { byte << (8 - excess) };
            shifted.push(v);
        }
        self.scalars.reduce(&shifted)
    }

    /// A scalar in [1, n−1] from big-endian bytes.
    fn nonzero_scalar(&self, v: &[u8]) -> Result<super::FieldElement, EcError> {
        let e = self
            .scalars
            .element(v)
            .map_err(|_| EcError::InvalidScalar)?;
        if e.is_zero() {
            return Err(EcError::InvalidScalar);
        }
        Ok(e)
    }

    /// Verifies an ECDSA signature on a message digest (any hash: SHA-1..SHA-512; truncated
    /// to the order's bit length) with public key `public`, which is checked on the curve.
    pub fn ecdsa_verify(
        &self,
        public: &Point,
        digest: &[u8],
        sig: &Signature,
    ) -> Result<(), EcError> {
        #[cfg(feature = "internals")]
        if super::memo::enabled() {
            return self.ecdsa_verify_memoized(public, digest, sig);
        }
        self.ecdsa_verify_computed(public, digest, sig)
    }

    /// [`Self::ecdsa_verify`] through the fuzzing memo ([`super::memo`]): a verdict already
    /// reached on the same key, digest and signature is not computed again.
    #[cfg(feature = "internals")]
    fn ecdsa_verify_memoized(
        &self,
        public: &Point,
        digest: &[u8],
        sig: &Signature,
    ) -> Result<(), EcError> {
        let key = super::memo::key(
            super::MEMO_ECDSA_VERIFY,
            &[
                &self.p,
                &self.a,
                &self.b,
                &self.gx,
                &self.gy,
                &self.n,
                &self.h,
                &public.to_memo(),
                digest,
                &sig.r,
                &sig.s,
            ],
        );
        // The verdict as one byte: 0 valid, else the error's code.
        let code = |r: &Result<(), EcError>| match r {
            Ok(()) => Some(0),
            Err(EcError::SignatureInvalid) => Some(1),
            Err(EcError::PointNotOnCurve) => Some(2),
            Err(EcError::Infinity) => Some(3),
            Err(EcError::InvalidScalar) => Some(4),
            Err(EcError::InvalidEncoding) => Some(5),
            Err(_) => None,
        };
        match super::memo::get(&key).as_deref() {
            Some([0]) => return Ok(()),
            Some([1]) => return Err(EcError::SignatureInvalid),
            Some([2]) => return Err(EcError::PointNotOnCurve),
            Some([3]) => return Err(EcError::Infinity),
            Some([4]) => return Err(EcError::InvalidScalar),
            Some([5]) => return Err(EcError::InvalidEncoding),
            _ => {}
        }
        let r = self.ecdsa_verify_computed(public, digest, sig);
        if let Some(c) = code(&r) {
            super::memo::put(key, vec![c]);
        }
        r
    }

    fn ecdsa_verify_computed(
        &self,
        public: &Point,
        digest: &[u8],
        sig: &Signature,
    ) -> Result<(), EcError> {
        if let Some(fast) = self.fast {
            return fast.ecdsa_verify(public, digest, &sig.r, &sig.s);
        }
        if public.is_infinity() {
            return Err(EcError::Infinity);
        }
        if !self.is_on_curve(public) {
            return Err(EcError::PointNotOnCurve);
        }
        let r = self
            .nonzero_scalar(&sig.r)
            .map_err(|_| EcError::SignatureInvalid)?;
        let s = self
            .nonzero_scalar(&sig.s)
            .map_err(|_| EcError::SignatureInvalid)?;
        let e = self.digest_scalar(digest);
        let w = s.invert().ok_or(EcError::SignatureInvalid)?;
        let u1 = self.scalars.to_bytes(&e.mul(&w));
        let u2 = self.scalars.to_bytes(&r.mul(&w));
        let g = self.proj(&self.generator());
        let q = self.proj(public);
        let rp = self.arith.mul_add_vartime(&u1, &g, &u2, &q);
        let (x, _) = self.arith.to_affine(&rp).ok_or(EcError::SignatureInvalid)?;
        let v = self.scalars.reduce(&self.arith.field.to_bytes(&x));
        if v.ct_eq(&r).to_bool() {
            Ok(())
        } else {
            Err(EcError::SignatureInvalid)
        }
    }

    /// Signs a message digest with private key d (BSI TR-03111 §4.2.1.1): k uniform from
    /// `rng`, r = (k·G).x mod n, s = k⁻¹(e + r·d) mod n.
    pub fn ecdsa_sign(
        &self,
        private: &[u8],
        digest: &[u8],
        rng: &mut dyn RandomSource,
    ) -> Result<Signature, EcError> {
        let d = self.nonzero_scalar(private)?;
        let e = self.digest_scalar(digest);
        for _ in 0..16 {
            let k_bytes: Zeroizing<Vec<u8>> = self.random_scalar(rng)?;
            let k = self.nonzero_scalar(&k_bytes)?;
            let kg = self.mul(&k_bytes, &self.generator());
            let Some(x) = kg.coords.as_ref().map(|(x, _)| x) else {
                continue;
            };
            let r = self.scalars.reduce(x);
            if r.is_zero() {
                continue;
            }
            let Some(kinv) = k.invert() else {
                continue;
            };
            let s = kinv.mul(&e.add(&r.mul(&d)));
            if s.is_zero() {
                continue;
            }
            return Ok(Signature::new(
                &self.scalars.to_bytes(&r),
                &self.scalars.to_bytes(&s),
            ));
        }
        Err(EcError::Random)
    }
}
