//! Field helpers for the PACE Integrated Mapping (sqrt, inverse, pow, is_square) on every
//! curve's field (P-224's p ≡ 1 mod 4 takes Tonelli–Shanks). Timings: `cargo bench --bench ec`.
// Uses the primitives (tlv, crypto, the protocol steps): feature `internals`.
#![cfg(feature = "internals")]

use cccd::crypto::ec::NamedCurve;
use cccd::crypto::rng::SeededRandom;

#[test]
fn sqrt_inverse_and_squares_on_every_field() {
    let mut rng = SeededRandom::new(5);
    for nc in NamedCurve::ALL {
        let f = nc.curve().field();
        let mut non_squares = 0;
        for _ in 0..12 {
            let a = f.reduce(&rng.bytes(f.len() + 8));
            let sq = a.square();
            assert!(f.is_square(&sq), "{nc}");
            let r = f
                .sqrt(&sq)
                .unwrap_or_else(|| panic!("{nc}: no sqrt of a square"));
            assert!(r == a || r == a.neg(), "{nc}: wrong root");
            // Half the elements are non-squares; sqrt must say so.
            if !f.is_square(&a) {
                non_squares += 1;
                assert!(f.sqrt(&a).is_none(), "{nc}");
            }
            if !a.is_zero() {
                let inv = a.invert().unwrap();
                assert_eq!(f.to_bytes(&a.mul(&inv)), f.to_bytes(&f.one()));
            }
            // Fermat: a^(p-1) = 1.
            let mut pm1 = f.modulus_bytes();
            *pm1.last_mut().unwrap() -= 1;
            assert_eq!(a.pow(&pm1), f.one());
        }
        assert!(
            non_squares > 0,
            "{nc}: twelve squares in a row is implausible"
        );
        assert!(f.zero().invert().is_none());
        assert!(
            f.element(&f.modulus_bytes()).is_err(),
            "p itself is not a field element"
        );
        assert_eq!(f.sqrt(&f.zero()), Some(f.zero()));
    }
}
