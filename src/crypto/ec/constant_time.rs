//! The generic curve code performs the same field operations, in the same order, whatever the
//! value of a secret scalar: the check behind the manual's "Constant time in the generic
//! curve code". Each field operation (add, sub, mul, square, neg, inversion, constant-time
//! table selection) is recorded while one `k·P` runs, and the records are compared across
//! scalars of very different value and Hamming weight. (What happens inside one operation is
//! `crypto-bigint`'s constant-time arithmetic and is not visible here.)

use super::field::trace;
use super::{Curve, NamedCurve, Point};

/// The operations of the projective ladder alone (k·P before the conversion to affine).
fn ladder_ops(curve: &Curve, k: &[u8], p: &Point) -> Vec<u8> {
    let proj = curve.proj(p);
    trace::start();
    let _ = curve.arith.mul(k, &proj);
    trace::take()
}

/// The operations of the whole `Curve::mul`, affine conversion included.
fn mul_ops(curve: &Curve, k: &[u8], p: &Point) -> Vec<u8> {
    trace::start();
    let r = curve.mul(k, p);
    let ops = trace::take();
    assert!(curve.is_on_curve(&r));
    ops
}

fn scalars(curve: &Curve) -> Vec<Vec<u8>> {
    let len = curve.order_size();
    let n = curve.order().to_vec();
    let mut n_minus_1 = n.clone();
    if let Some(last) = n_minus_1.last_mut() {
        *last -= 1; // n is odd
    }
    let mut one = vec![0u8; len];
    one[len - 1] = 1;
    let mut top = vec![0u8; len];
    top[0] = 0x80;
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let random: Vec<u8> = (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect();
    vec![
        vec![0u8; len],
        one,
        top,
        vec![0xFF; len],
        vec![0x55; len],
        n_minus_1,
        n,
        random,
    ]
}

#[test]
fn scalar_multiplication_runs_the_same_field_operations_for_every_scalar() {
    for named in NamedCurve::ALL {
        // The generic code for every curve, including those the crates normally compute.
        let curve = named.curve().generic_arithmetic();
        assert!(!curve.uses_curve_crate());
        let g = curve.generator();
        let q = curve.mul(&[0x02, 0x9A], &g);
        let (mut ladder, mut whole): (Option<Vec<u8>>, Option<Vec<u8>>) = (None, None);
        for k in scalars(&curve) {
            for p in [&g, &q] {
                let ops = ladder_ops(&curve, &k, p);
                // 2 nibbles per byte, each: 4 doublings, one lookup of 16 entries, one addition.
                assert!(ops.len() > curve.order_size() * 2 * 16 * 3, "{named}");
                match &ladder {
                    None => ladder = Some(ops),
                    Some(r) => assert!(*r == ops, "{named}: the ladder depends on the scalar"),
                }
                // Whole multiplications whose result is a finite point (k ≠ 0 mod n): the
                // affine conversion of the point at infinity skips two multiplications, which
                // only tells that the result is infinity.
                if k.iter().any(|b| *b != 0) && k != curve.order() {
                    let ops = mul_ops(&curve, &k, p);
                    match &whole {
                        None => whole = Some(ops),
                        Some(r) => assert!(*r == ops, "{named}: k·P depends on the scalar"),
                    }
                }
            }
        }
    }
}

#[test]
fn the_check_sees_a_data_dependent_path() {
    // The variable-time multiplication (public scalars only) must look different: proof that
    // the recording would catch a scalar-dependent branch.
    let curve = NamedCurve::BrainpoolP256r1.curve().generic_arithmetic();
    let g = curve.generator();
    let ks = scalars(&curve);
    trace::start();
    let _ = curve.mul_vartime(&ks[1], &g);
    let light = trace::take();
    trace::start();
    let _ = curve.mul_vartime(&ks[3], &g);
    let heavy = trace::take();
    assert_ne!(light, heavy);
}
