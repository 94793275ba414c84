//! Montgomery arithmetic on fixed-size little-endian `u64` limbs for RSA's public operation:
//! multiplication by product scanning with interleaved reduction (the FIPS method of Koç,
//! Acar, Kaliski, "Analyzing and comparing Montgomery multiplication algorithms", IEEE Micro
//! 1996, §5: each column's products summed into a 192-bit accumulator, independent of each
//! other, where CIOS chains every product through the previous carry; about 10 % faster than
//! CIOS with a separate SOS squaring on the BSI dump), a dedicated squaring in the same
//! column order that takes each cross product once (L²/2 + L products and the L² of the
//! reduction, against 2·L² for a multiplication: 16 of the 18 steps of `s^65537` are
//! squarings), a reduction alone to leave Montgomery form, and `R² mod n` from a few
//! doublings and squarings. Variable time: every input of a public-key
//! operation is public.
//!
//! One module per size (16, 24, 32, 48 and 64 limbs: 1024 to 4096-bit moduli), stamped out
//! by a macro so that every loop bound is a constant the compiler unrolls and checks.
//! Why this is hand-written, with the measurements: [`crate::manual`].

/// `(lo, hi) += a·b`: a 192-bit column accumulator (`hi` holds the carries out of `lo`).
#[inline(always)]
fn acc(lo: &mut u128, hi: &mut u64, a: u64, b: u64) {
    let (sum, carry) = lo.overflowing_add(u128::from(a) * u128::from(b));
    *lo = sum;
    *hi += u64::from(carry);
}

/// `(lo, hi) += (x_lo, x_hi)`, the same 192-bit accumulator.
#[inline(always)]
fn add(lo: &mut u128, hi: &mut u64, x_lo: u128, x_hi: u64) {
    let (sum, carry) = lo.overflowing_add(x_lo);
    *lo = sum;
    *hi += x_hi + u64::from(carry);
}

/// `(lo, hi) *= 2`: a column of cross products of a square counted twice. The sum of at most
/// L/2 products below 2^128 each stays far below 2^191, so nothing is shifted out.
#[inline(always)]
fn double(lo: &mut u128, hi: &mut u64) {
    *hi = (*hi << 1) | u64::try_from(*lo >> 127).unwrap_or(0);
    *lo <<= 1;
}

/// `-n⁻¹ mod 2⁶⁴` for an odd `n0` (Newton's iteration doubles the correct bits each step:
/// 1 → 2 → 4 → ... → 64, starting from `n0` itself, which is its own inverse mod 8).
fn neg_inverse(n0: u64) -> u64 {
    let mut inv = n0;
    for _ in 0..5 {
        inv = inv.wrapping_mul(2u64.wrapping_sub(n0.wrapping_mul(inv)));
    }
    inv.wrapping_neg()
}

macro_rules! fixed_size {
    ($(#[$doc:meta])* $module:ident, $limbs:expr) => {
        $(#[$doc])*
        // Every index below is a loop variable bounded by the constants L and W of arrays of
        // exactly those lengths: none depends on input, and the compiler checks them once.
        #[allow(clippy::indexing_slicing)]
        pub(crate) mod $module {
            use super::{acc, add, double, neg_inverse};

            /// Limbs of the modulus.
            pub(crate) const L: usize = $limbs;
            const W: usize = 2 * L;
            type Limbs = [u64; L];

            /// The modulus with its Montgomery constants (R = 2^(64·L)).
            #[derive(Clone)]
            pub(crate) struct Params {
                n: Limbs,
                /// `-n⁻¹ mod 2⁶⁴`.
                n0: u64,
                /// `R² mod n`.
                r2: Limbs,
            }

            impl Params {
                /// Constants for an odd big-endian `n` of at most 8·L bytes (leading zeros
                /// stripped); `None` for an even or empty `n`.
                pub(crate) fn new(n_be: &[u8]) -> Option<Self> {
                    let n = from_be(n_be)?;
                    if n[0] & 1 == 0 {
                        return None;
                    }
                    let bits = bit_len(&n);
                    if bits < 2 {
                        return None;
                    }
                    let n0 = neg_inverse(n[0]);
                    // 2^bits mod n = 2^bits − n (n ≥ 2^(bits−1), so it is already reduced).
                    let mut x = [0u64; L];
                    if bits < 64 * L {
                        x[bits / 64] = 1 << (bits % 64);
                    }
                    sub_assign(&mut x, &n);
                    // 64·L = m·2^k with m odd: double up to 2^(64·L + m) mod n, the
                    // Montgomery form of 2^m, then k squarings give the form of 2^(64·L) = R,
                    // which is R² mod n.
                    let k = (64 * L).trailing_zeros() as usize;
                    let m = (64 * L) >> k;
                    for _ in 0..(64 * L - bits + m) {
                        double_mod(&mut x, &n);
                    }
                    let mut p = Self { n, n0, r2: [0; L] };
                    for _ in 0..k {
                        x = p.sqr(&x);
                    }
                    p.r2 = x;
                    Some(p)
                }

                /// `s^e mod n` as 8·L big-endian bytes; `None` when `s ≥ n` or `s` has more
                /// than 8·L bytes. `e` must be at least 1.
                pub(crate) fn pow(&self, s_be: &[u8], e: u64) -> Option<Vec<u8>> {
                    let s = from_be(s_be)?;
                    if !less(&s, &self.n) || e == 0 {
                        return None;
                    }
                    let base = self.mul(&s, &self.r2);
                    let mut acc = base;
                    for bit in (0..63 - e.leading_zeros()).rev() {
                        acc = self.sqr(&acc);
                        if (e >> bit) & 1 == 1 {
                            acc = self.mul(&acc, &base);
                        }
                    }
                    Some(to_be(&self.redc(&acc)))
                }

                /// `a·b·R⁻¹ mod n` for `a, b < n`: product scanning with interleaved
                /// reduction (the FIPS method of the same paper, §5), column by column into a
                /// three-limb accumulator, so the multiplications of a column are independent
                /// of each other (CIOS chains every one through the previous carry).
                #[inline]
                pub(crate) fn mul(&self, a: &Limbs, b: &Limbs) -> Limbs {
                    let n = &self.n;
                    let mut m = [0u64; L];
                    let mut lo: u128 = 0;
                    let mut hi: u64 = 0;
                    for i in 0..L {
                        for j in 0..i {
                            acc(&mut lo, &mut hi, a[j], b[i - j]);
                            acc(&mut lo, &mut hi, m[j], n[i - j]);
                        }
                        acc(&mut lo, &mut hi, a[i], b[0]);
                        #[allow(clippy::cast_possible_truncation)] // The low limb, on purpose.
                        let mi = (lo as u64).wrapping_mul(self.n0);
                        m[i] = mi;
                        acc(&mut lo, &mut hi, mi, n[0]);
                        lo = (lo >> 64) | (u128::from(hi) << 64);
                        hi = 0;
                    }
                    let mut out = [0u64; L];
                    for i in L..W - 1 {
                        for j in i - L + 1..L {
                            acc(&mut lo, &mut hi, a[j], b[i - j]);
                            acc(&mut lo, &mut hi, m[j], n[i - j]);
                        }
                        #[allow(clippy::cast_possible_truncation)] // The low limb, on purpose.
                        {
                            out[i - L] = lo as u64;
                        }
                        lo = (lo >> 64) | (u128::from(hi) << 64);
                        hi = 0;
                    }
                    #[allow(clippy::cast_possible_truncation)] // The low limb, on purpose.
                    {
                        out[L - 1] = lo as u64;
                    }
                    if (lo >> 64) != 0 || !less(&out, n) {
                        sub_assign(&mut out, n);
                    }
                    out
                }

                /// `a²·R⁻¹ mod n` for `a < n`: [`Params::mul`]'s column scanning, but each
                /// cross product `a[j]·a[i−j]` (j < i−j) is taken once and the column's sum of
                /// them doubled, then the square `a[i/2]²` added (Menezes, van Oorschot,
                /// Vanstone, Handbook of Applied Cryptography, Algorithm 14.16): L²/2 + L
                /// products instead of L², the L² of the reduction unchanged.
                #[inline]
                pub(crate) fn sqr(&self, a: &Limbs) -> Limbs {
                    let n = &self.n;
                    let mut m = [0u64; L];
                    let mut lo: u128 = 0;
                    let mut hi: u64 = 0;
                    for i in 0..L {
                        let (mut cross_lo, mut cross_hi) = (0u128, 0u64);
                        for j in 0..i.div_ceil(2) {
                            acc(&mut cross_lo, &mut cross_hi, a[j], a[i - j]);
                        }
                        double(&mut cross_lo, &mut cross_hi);
                        if i % 2 == 0 {
                            acc(&mut cross_lo, &mut cross_hi, a[i / 2], a[i / 2]);
                        }
                        add(&mut lo, &mut hi, cross_lo, cross_hi);
                        for j in 0..i {
                            acc(&mut lo, &mut hi, m[j], n[i - j]);
                        }
                        #[allow(clippy::cast_possible_truncation)] // The low limb, on purpose.
                        let mi = (lo as u64).wrapping_mul(self.n0);
                        m[i] = mi;
                        acc(&mut lo, &mut hi, mi, n[0]);
                        lo = (lo >> 64) | (u128::from(hi) << 64);
                        hi = 0;
                    }
                    let mut out = [0u64; L];
                    for i in L..W - 1 {
                        let (mut cross_lo, mut cross_hi) = (0u128, 0u64);
                        for j in i - L + 1..i.div_ceil(2) {
                            acc(&mut cross_lo, &mut cross_hi, a[j], a[i - j]);
                        }
                        double(&mut cross_lo, &mut cross_hi);
                        if i % 2 == 0 {
                            acc(&mut cross_lo, &mut cross_hi, a[i / 2], a[i / 2]);
                        }
                        add(&mut lo, &mut hi, cross_lo, cross_hi);
                        for j in i - L + 1..L {
                            acc(&mut lo, &mut hi, m[j], n[i - j]);
                        }
                        #[allow(clippy::cast_possible_truncation)] // The low limb, on purpose.
                        {
                            out[i - L] = lo as u64;
                        }
                        lo = (lo >> 64) | (u128::from(hi) << 64);
                        hi = 0;
                    }
                    #[allow(clippy::cast_possible_truncation)] // The low limb, on purpose.
                    {
                        out[L - 1] = lo as u64;
                    }
                    if (lo >> 64) != 0 || !less(&out, n) {
                        sub_assign(&mut out, n);
                    }
                    out
                }

                /// `a·R⁻¹ mod n` for `a < n` (out of Montgomery form): [`Params::mul`] by 1
                /// without the L² products by the zero limbs of 1.
                pub(crate) fn redc(&self, a: &Limbs) -> Limbs {
                    let n = &self.n;
                    let mut m = [0u64; L];
                    let mut lo: u128 = 0;
                    let mut hi: u64 = 0;
                    for i in 0..L {
                        for j in 0..i {
                            acc(&mut lo, &mut hi, m[j], n[i - j]);
                        }
                        add(&mut lo, &mut hi, u128::from(a[i]), 0);
                        #[allow(clippy::cast_possible_truncation)] // The low limb, on purpose.
                        let mi = (lo as u64).wrapping_mul(self.n0);
                        m[i] = mi;
                        acc(&mut lo, &mut hi, mi, n[0]);
                        lo = (lo >> 64) | (u128::from(hi) << 64);
                        hi = 0;
                    }
                    let mut out = [0u64; L];
                    for i in L..W - 1 {
                        for j in i - L + 1..L {
                            acc(&mut lo, &mut hi, m[j], n[i - j]);
                        }
                        #[allow(clippy::cast_possible_truncation)] // The low limb, on purpose.
                        {
                            out[i - L] = lo as u64;
                        }
                        lo = (lo >> 64) | (u128::from(hi) << 64);
                        hi = 0;
                    }
                    #[allow(clippy::cast_possible_truncation)] // The low limb, on purpose.
                    {
                        out[L - 1] = lo as u64;
                    }
                    if (lo >> 64) != 0 || !less(&out, n) {
                        sub_assign(&mut out, n);
                    }
                    out
                }

            }

            /// Little-endian limbs of a big-endian integer of at most 8·L bytes.
            fn from_be(be: &[u8]) -> Option<Limbs> {
                if be.len() > 8 * L {
                    return None;
                }
                let mut out = [0u64; L];
                for (i, byte) in be.iter().rev().enumerate() {
                    out[i / 8] |= u64::from(*byte) << (8 * (i % 8));
                }
                Some(out)
            }

            fn to_be(limbs: &Limbs) -> Vec<u8> {
                limbs.iter().rev().flat_map(|l| l.to_be_bytes()).collect()
            }

            fn bit_len(v: &Limbs) -> usize {
                for i in (0..L).rev() {
                    if v[i] != 0 {
                        return 64 * i + 64 - v[i].leading_zeros() as usize;
                    }
                }
                0
            }

            /// `a < b`.
            fn less(a: &Limbs, b: &Limbs) -> bool {
                for i in (0..L).rev() {
                    if a[i] != b[i] {
                        return a[i] < b[i];
                    }
                }
                false
            }

            /// `a −= b` modulo 2^(64·L).
            fn sub_assign(a: &mut Limbs, b: &Limbs) {
                let mut borrow = false;
                for i in 0..L {
                    let (d, b1) = a[i].overflowing_sub(b[i]);
                    let (d, b2) = d.overflowing_sub(u64::from(borrow));
                    a[i] = d;
                    borrow = b1 || b2;
                }
            }

            /// `x = 2x mod n` for `x < n`.
            fn double_mod(x: &mut Limbs, n: &Limbs) {
                let mut top = 0u64;
                for limb in x.iter_mut() {
                    let v = *limb;
                    *limb = (v << 1) | top;
                    top = v >> 63;
                }
                if top != 0 || !less(x, n) {
                    sub_assign(x, n);
                }
            }
        }
    };
}

fixed_size!(
    /// 1024-bit moduli (and smaller).
    l16, 16
);
fixed_size!(
    /// 1536-bit moduli.
    l24, 24
);
fixed_size!(
    /// 2048-bit moduli.
    l32, 32
);
fixed_size!(
    /// 3072-bit moduli.
    l48, 48
);
fixed_size!(
    /// 4096-bit moduli.
    l64, 64
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neg_inverse_is_the_montgomery_constant() {
        for n0 in [1u64, 3, 0xFFFF_FFFF_FFFF_FFFF, 0x1234_5678_9ABC_DEF1] {
            assert_eq!(n0.wrapping_mul(neg_inverse(n0)), u64::MAX, "{n0:x}");
        }
    }

    #[test]
    fn textbook_key_and_small_moduli() {
        // 65^17 mod 3233 = 2790 (the textbook key n = 61·53).
        let p = l16::Params::new(&[0x0C, 0xA1]).unwrap();
        let out = p.pow(&[0x41], 17).unwrap();
        assert_eq!(out[126..], [0x0A, 0xE6]);
        assert!(out[..126].iter().all(|b| *b == 0));
        // 2^10 mod 1000003 = 1024; 3^5 mod 7 = 5; even or tiny moduli are refused.
        let p = l16::Params::new(&1_000_003u32.to_be_bytes()).unwrap();
        assert_eq!(p.pow(&[2], 10).unwrap()[126..], [0x04, 0x00]);
        assert_eq!(
            l16::Params::new(&[7]).unwrap().pow(&[3], 5).unwrap()[127],
            5
        );
        assert!(l16::Params::new(&[8]).is_none());
        assert!(l16::Params::new(&[1]).is_none());
        assert!(l16::Params::new(&[]).is_none());
    }

    /// A xorshift64 stream: test inputs, not keys.
    fn xorshift(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    macro_rules! squaring_matches_multiplication {
        ($name:ident, $module:ident) => {
            #[test]
            fn $name() {
                use $module::L;
                let mut seed = 0x9E37_79B9_7F4A_7C15u64;
                for round in 0..50 {
                    // A full-width odd modulus, and one a limb shorter (leading zero limb).
                    let mut n = [0u64; L];
                    n.iter_mut().for_each(|l| *l = xorshift(&mut seed));
                    n[0] |= 1;
                    n[L - 1] |= 1 << 63;
                    if round % 2 == 1 {
                        n[L - 1] = 0;
                        n[L - 2] |= 1 << 63;
                    }
                    let n_be: Vec<u8> = n.iter().rev().flat_map(|l| l.to_be_bytes()).collect();
                    let p = $module::Params::new(&n_be).unwrap();
                    // a < n: random below the top limb, then n − 1 (every limb at its largest).
                    let mut a = [0u64; L];
                    a.iter_mut().for_each(|l| *l = xorshift(&mut seed));
                    a[L - 1] = n[L - 1] >> 1;
                    if n[L - 1] == 0 {
                        a[L - 2] = n[L - 2] >> 1;
                    }
                    if round == 0 {
                        a = n;
                        a[0] -= 1;
                    }
                    let mut one = [0u64; L];
                    one[0] = 1;
                    assert_eq!(p.sqr(&a), p.mul(&a, &a), "round {round}");
                    assert_eq!(p.redc(&a), p.mul(&a, &one), "round {round}");
                }
            }
        };
    }
    squaring_matches_multiplication!(squaring_matches_multiplication_l16, l16);
    squaring_matches_multiplication!(squaring_matches_multiplication_l24, l24);
    squaring_matches_multiplication!(squaring_matches_multiplication_l32, l32);
    squaring_matches_multiplication!(squaring_matches_multiplication_l48, l48);
    squaring_matches_multiplication!(squaring_matches_multiplication_l64, l64);

    #[test]
    fn full_width_modulus_and_out_of_range() {
        // n = 2^2048 − 159 fills all 32 limbs; (n − 1)^2 = 1, (n−1)^3 = n − 1.
        let mut n = vec![0xFFu8; 256];
        n[255] = 0x61;
        let p = l32::Params::new(&n).unwrap();
        let mut n1 = n.clone();
        n1[255] -= 1;
        let mut one = vec![0u8; 256];
        one[255] = 1;
        assert_eq!(p.pow(&n1, 2).unwrap(), one);
        assert_eq!(p.pow(&n1, 3).unwrap(), n1);
        assert!(p.pow(&n, 3).is_none());
        assert!(p.pow(&[1; 257], 3).is_none());
    }
}
