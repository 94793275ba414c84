//! Prime-field arithmetic GF(p) for run-time moduli (192..=521-bit curve primes, 1024/2048-bit
//! MODP primes, and curve orders), on `crypto-bigint`'s Montgomery form.
//!
//! The PACE Integrated Mapping (ICAO 9303-11 §4.4.3.3.2, Appendix H) computes on field elements
//! directly, so this is public: [`PrimeField`] is the modulus, [`FieldElement`] a value.
//! Every operation on values is constant time except where a method says `vartime`.

use crypto_bigint::modular::{BoxedMontyForm, BoxedMontyParams};
use crypto_bigint::{BoxedUint, Choice, CtAssign, CtEq, CtLt, NonZero, Odd, Resize};
use zeroize::Zeroize;

use super::EcError;

/// The largest modulus we accept, in bits (DH groups up to 4096 bits).
pub const MAX_MODULUS_BITS: u32 = 4096;

/// The prime field GF(p) for an odd modulus `p` (primality is the caller's business: curves
/// are matched against the published parameters, DH groups come from RFC 5114).
#[derive(Clone)]
pub struct PrimeField {
    params: BoxedMontyParams,
    /// Bits of precision of every value (whole limbs).
    precision: u32,
    /// Bytes of `p`: every encoded element has exactly this width.
    len: usize,
    sqrt: SqrtMethod,
    /// (p - 1) / 2, Euler's criterion.
    euler: BoxedUint,
}

#[derive(Clone)]
enum SqrtMethod {
    /// Not prepared: fields made with [`PrimeField::without_sqrt`] (RSA and DH moduli, curve
    /// orders), where finding a non-residue would be wasted work an input could inflate.
    Unavailable,
    /// p ≡ 3 (mod 4): sqrt(x) = x^((p+1)/4).
    ThreeModFour(BoxedUint),
    /// Constant-time Tonelli–Shanks (RFC 9380 Appendix I.4), for p ≡ 1 (mod 4) (P-224).
    TonelliShanks {
        /// c1: the 2-adicity of p - 1.
        c1: u32,
        /// c3 = (c2 - 1) / 2 where p - 1 = c2 · 2^c1.
        c3: BoxedUint,
        /// c5 = z^c2 for a non-square z.
        c5: BoxedMontyForm,
    },
}

impl core::fmt::Debug for PrimeField {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "PrimeField({} bytes)", self.len)
    }
}

impl PartialEq for PrimeField {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.modulus_bytes() == other.modulus_bytes()
    }
}

impl Eq for PrimeField {}

impl PrimeField {
    /// The field of integers modulo `p` (big-endian, leading zeros allowed). `p` must be odd,
    /// greater than 3 and at most [`MAX_MODULUS_BITS`] bits.
    pub fn new(p: &[u8]) -> Result<Self, EcError> {
        Self::build(p, true)
    }

    /// [`PrimeField::new`] without square roots ([`PrimeField::sqrt`] answers `None`): for RSA
    /// and DH moduli and group orders, which need only arithmetic.
    pub fn without_sqrt(p: &[u8]) -> Result<Self, EcError> {
        Self::build(p, false)
    }

    fn build(p: &[u8], with_sqrt: bool) -> Result<Self, EcError> {
        let p = strip_zeros(p);
        if p.is_empty() || p.len() * 8 > MAX_MODULUS_BITS as usize {
            return Err(EcError::InvalidParameters("modulus size"));
        }
        let len = p.len();
        let precision = bits_for(len);
        let modulus = BoxedUint::from_be_slice(p, precision)
            .map_err(|_| EcError::InvalidParameters("modulus size"))?;
        let three = BoxedUint::from_be_slice(&[3], precision)
            .map_err(|_| EcError::InvalidParameters("modulus size"))?;
        if modulus.cmp_vartime(&three) != core::cmp::Ordering::Greater {
            return Err(EcError::InvalidParameters("modulus too small"));
        }
        let odd: Option<Odd<BoxedUint>> = modulus.to_odd().into();
        let odd = odd.ok_or(EcError::InvalidParameters("even modulus"))?;
        let params = BoxedMontyParams::new_vartime(odd);
        let one = BoxedUint::one_with_precision(precision);
        let p_minus_1 = modulus.wrapping_sub(&one);
        let euler = p_minus_1.shr_vartime(1).unwrap_or_else(|| one.clone());

        let low = p.last().copied().unwrap_or(0);
        let sqrt = if !with_sqrt {
            SqrtMethod::Unavailable
        } else if low & 3 == 3 {
            // (p + 1) / 4 = (p >> 2) + 1 when p ≡ 3 (mod 4).
            let e = modulus
                .shr_vartime(2)
                .unwrap_or_else(|| one.clone())
                .wrapping_add(&one);
            SqrtMethod::ThreeModFour(e)
        } else {
            let mut c1 = 0u32;
            let mut c2 = p_minus_1.clone();
            while !c2.is_zero().to_bool() && !c2.bit(0).to_bool() {
                c2 = c2.shr_vartime(1).unwrap_or_else(|| one.clone());
                c1 += 1;
            }
            let c3 = c2.shr_vartime(1).unwrap_or_else(|| one.clone());
            // The smallest non-square z ≥ 2 (public, so a vartime search is fine).
            let mut z = 2u64;
            let c5 = loop {
                let zf = BoxedMontyForm::new(
                    BoxedUint::from_be_slice(&z.to_be_bytes(), precision)
                        .map_err(|_| EcError::InvalidParameters("modulus size"))?,
                    &params,
                );
                let e = zf.pow(&euler);
                if !e.retrieve().is_one().to_bool() {
                    break zf.pow(&c2);
                }
                z += 1;
                if z > 1000 {
                    return Err(EcError::InvalidParameters("no quadratic non-residue"));
                }
            };
            SqrtMethod::TonelliShanks { c1, c3, c5 }
        };
        Ok(Self {
            params,
            precision,
            len,
            sqrt,
            euler,
        })
    }

    /// Bytes of `p`: the width of every encoded element.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Always false: a field has at least 5 elements (present for clippy's `len` convention).
    pub fn is_empty(&self) -> bool {
        false
    }

    /// `p`, big-endian at full width.
    pub fn modulus_bytes(&self) -> Vec<u8> {
        fit(&self.params.modulus().to_be_bytes(), self.len)
    }

    /// The element with value `bytes` (big-endian, any width with leading zeros); an error if
    /// the value is not below `p`. Constant time in the value.
    pub fn element(&self, bytes: &[u8]) -> Result<FieldElement, EcError> {
        let v = self.uint(bytes).ok_or(EcError::InvalidEncoding)?;
        let lt = v.ct_lt(self.params.modulus().as_ref());
        if !lt.to_bool() {
            return Err(EcError::InvalidEncoding);
        }
        Ok(FieldElement(BoxedMontyForm::new(v, &self.params)))
    }

    /// `bytes` (big-endian, any length) reduced modulo `p`: for hash outputs and nonces that
    /// the mappings turn into field elements.
    pub fn reduce(&self, bytes: &[u8]) -> FieldElement {
        let wide_bits = bits_for(bytes.len()).max(self.precision);
        // The input may be a secret (a nonce, a random scalar): every temporary is wiped.
        let mut wide = BoxedUint::from_be_slice_truncated(bytes, wide_bits);
        let m = self
            .params
            .modulus()
            .as_ref()
            .clone()
            .resize_unchecked(wide_bits);
        let mut r = match Option::<NonZero<BoxedUint>>::from(m.to_nz()) {
            Some(nz) => wide.rem(&nz),
            None => BoxedUint::zero_with_precision(wide_bits),
        };
        wide.zeroize();
        // r < p fits the field's precision.
        let words = usize::try_from(self.precision / crypto_bigint::Limb::BITS).unwrap_or(0);
        let narrow = BoxedUint::from_words_with_precision(
            r.as_words().iter().copied().take(words),
            self.precision,
        );
        r.zeroize();
        FieldElement(BoxedMontyForm::new(narrow, &self.params))
    }

    /// Zero.
    pub fn zero(&self) -> FieldElement {
        FieldElement(BoxedMontyForm::zero(&self.params))
    }

    /// One.
    pub fn one(&self) -> FieldElement {
        FieldElement(BoxedMontyForm::one(&self.params))
    }

    /// A small constant.
    // A constructor on the field (it needs the modulus); clippy judges the name only when the
    // module is crate-private (without feature `internals`).
    #[allow(clippy::wrong_self_convention)]
    pub fn from_u64(&self, v: u64) -> FieldElement {
        self.reduce(&v.to_be_bytes())
    }

    /// The element as big-endian bytes at full width ([`PrimeField::len`]).
    pub fn to_bytes(&self, e: &FieldElement) -> Vec<u8> {
        // The value may be a secret (a private key, a shared secret): the temporaries are
        // wiped; the returned bytes are the caller's to wipe.
        let mut v = e.0.retrieve();
        let mut bytes = v.to_be_bytes();
        v.zeroize();
        let out = fit(&bytes, self.len);
        bytes.zeroize();
        out
    }

    /// Whether `e` is a square (zero counts as a square): Euler's criterion.
    pub fn is_square(&self, e: &FieldElement) -> bool {
        let t = FieldElement(e.0.pow(&self.euler));
        (t.0.is_zero() | t.0.ct_eq(&BoxedMontyForm::one(&self.params))).to_bool()
    }

    /// A square root of `e`, if `e` is a square. Constant time in `e` apart from the answer
    /// being `None`.
    pub fn sqrt(&self, e: &FieldElement) -> Option<FieldElement> {
        // Every temporary is a FieldElement, so it is wiped when dropped.
        let root = match &self.sqrt {
            SqrtMethod::Unavailable => return None,
            SqrtMethod::ThreeModFour(exp) => FieldElement(e.0.pow(exp)),
            SqrtMethod::TonelliShanks { c1, c3, c5 } => {
                // RFC 9380 Appendix I.4 sqrt_ct.
                let mut z = FieldElement(e.0.pow(c3));
                let mut t = z.square().mul(e);
                z = z.mul(e);
                let mut b = t.clone();
                let mut c = FieldElement(c5.clone());
                let one = self.one();
                let mut i = *c1;
                while i >= 2 {
                    for _ in 1..=(i - 2) {
                        b = b.square();
                    }
                    let is_one = b.ct_eq(&one);
                    // z = is_one ? z : z·c
                    let mut nz = z.mul(&c);
                    Self::select(&mut nz, &z, is_one);
                    z = nz;
                    c = c.square();
                    let mut nt = t.mul(&c);
                    Self::select(&mut nt, &t, is_one);
                    t = nt;
                    b = t.clone();
                    i -= 1;
                }
                z
            }
        };
        let check = FieldElement(root.0.square());
        if check.0.ct_eq(&e.0).to_bool() {
            Some(root)
        } else {
            None
        }
    }

    /// `bytes` as an integer at this field's precision; None if wider than `p`'s width (after
    /// leading zeros). Constant time in the value (only the length is public).
    fn uint(&self, bytes: &[u8]) -> Option<BoxedUint> {
        let max = (self.precision / 8) as usize;
        let (head, tail) = if bytes.len() > max {
            bytes.split_at_checked(bytes.len() - max)?
        } else {
            (&[][..], bytes)
        };
        let nonzero = head.iter().fold(0u8, |acc, b| acc | b);
        if nonzero != 0 {
            return None;
        }
        BoxedUint::from_be_slice(tail, self.precision).ok()
    }

    /// a = choice ? b : a, in constant time (same field).
    pub(crate) fn select(a: &mut FieldElement, b: &FieldElement, choice: Choice) {
        #[cfg(test)]
        trace::record(b'?');
        a.0.as_montgomery_mut()
            .ct_assign(b.0.as_montgomery(), choice);
    }
}

/// An element of a [`PrimeField`] (it carries its field). Zeroized on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct FieldElement(pub(crate) BoxedMontyForm);

impl core::fmt::Debug for FieldElement {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("FieldElement(***)")
    }
}

impl Drop for FieldElement {
    fn drop(&mut self) {
        self.0.as_montgomery_mut().zeroize();
    }
}

impl FieldElement {
    /// self + rhs.
    pub fn add(&self, rhs: &Self) -> Self {
        #[cfg(test)]
        trace::record(b'+');
        Self(self.0.add(&rhs.0))
    }

    /// self − rhs.
    pub fn sub(&self, rhs: &Self) -> Self {
        #[cfg(test)]
        trace::record(b'-');
        Self(self.0.sub(&rhs.0))
    }

    /// self · rhs.
    pub fn mul(&self, rhs: &Self) -> Self {
        #[cfg(test)]
        trace::record(b'*');
        Self(self.0.mul(&rhs.0))
    }

    /// self².
    pub fn square(&self) -> Self {
        #[cfg(test)]
        trace::record(b's');
        Self(self.0.square())
    }

    /// −self.
    pub fn neg(&self) -> Self {
        #[cfg(test)]
        trace::record(b'n');
        Self(self.0.neg())
    }

    /// self⁻¹, `None` for zero. Constant time (safegcd).
    pub fn invert(&self) -> Option<Self> {
        #[cfg(test)]
        trace::record(b'i');
        let r = self.0.invert();
        let ok = r.is_some().to_bool();
        let v = r.unwrap_or(BoxedMontyForm::zero(self.0.params()));
        if ok {
            Some(Self(v))
        } else {
            None
        }
    }

    /// self^exp for a big-endian exponent of any length (constant time in the exponent's
    /// value; its length is public).
    pub fn pow(&self, exp: &[u8]) -> Self {
        // The exponent may be secret (a DH private key, a mapping nonce): wiped after use.
        let mut e = BoxedUint::from_be_slice_truncated(exp, bits_for(exp.len()));
        let r = Self(self.0.pow(&e));
        e.zeroize();
        r
    }

    /// Whether this is zero.
    pub fn is_zero(&self) -> bool {
        self.0.is_zero().to_bool()
    }

    pub(crate) fn ct_eq(&self, other: &Self) -> Choice {
        self.0.as_montgomery().ct_eq(other.0.as_montgomery())
    }
}

/// Bits of precision for `len` bytes, in whole 64-bit limbs (at least one limb).
fn bits_for(len: usize) -> u32 {
    let bits = u32::try_from(len.max(1).saturating_mul(8)).unwrap_or(u32::MAX);
    bits.div_ceil(64).saturating_mul(64)
}

/// `bytes` without leading zero bytes (public values only).
pub(crate) fn strip_zeros(bytes: &[u8]) -> &[u8] {
    let skip = bytes.iter().take_while(|b| **b == 0).count();
    bytes.get(skip..).unwrap_or(&[])
}

/// Big-endian `bytes` left-trimmed or left-padded to exactly `len` bytes (the trimmed bytes
/// are zero whenever the value fits).
pub(crate) fn fit(bytes: &[u8], len: usize) -> Vec<u8> {
    if bytes.len() >= len {
        bytes.get(bytes.len() - len..).unwrap_or(&[]).to_vec()
    } else {
        let mut out = vec![0u8; len - bytes.len()];
        out.extend_from_slice(bytes);
        out
    }
}

/// A per-thread record of the field operations performed, for the constant-time check in
/// `crypto::ec::constant_time` (tests only: nothing is recorded in a normal build).
#[cfg(test)]
pub(crate) mod trace {
    use std::cell::RefCell;

    thread_local! {
        static OPS: RefCell<Option<Vec<u8>>> = const { RefCell::new(None) };
    }

    /// Appends one operation code while recording.
    pub fn record(op: u8) {
        OPS.with(|o| {
            if let Some(v) = o.borrow_mut().as_mut() {
                v.push(op);
            }
        });
    }

    /// Starts recording on this thread.
    pub fn start() {
        OPS.with(|o| *o.borrow_mut() = Some(Vec::new()));
    }

    /// Stops recording and returns the operations since [`start`].
    pub fn take() -> Vec<u8> {
        OPS.with(|o| o.borrow_mut().take().unwrap_or_default())
    }
}
