//! ECDSA verification with precomputed tables, for keys that verify many signatures (a
//! Document Signer's key over every SOD it signed): a fixed-base table of the generator (built
//! once per process) and one of the public key (built once per key, kept by
//! [`super::VerifyingKey`]), so that `u1·G + u2·Q` costs about 2·(2·L) point additions and four
//! doublings (L = bytes of the order) instead of a doubling per bit of the order.
//!
//! The tables are `primeorder`'s own [`LookupTable`]s (`[P, 2P, ..., 8P]`) of `2^(8i)·P`, read
//! with its signed radix-16 digits ([`Radix16Decomposition`]), exactly as its
//! `BasepointTable::mul_vartime` reads the generator's table; the crate builds such a table
//! only for the generator and its brainpool curves not at all, so the loop is repeated here
//! for any point. Variable time: every input of a verification is public. The verification
//! equation is FIPS 186-4 §6.4.2, as `ecdsa::hazmat::verify_prehashed` computes it (the
//! tests compare both on valid and invalid signatures).

use elliptic_curve::array::typenum::Unsigned;
use elliptic_curve::group::Group as _;
use elliptic_curve::ops::{Invert, Reduce};
use elliptic_curve::point::AffineCoordinates;
use elliptic_curve::scalar::IsHigh as _;
use elliptic_curve::{FieldBytes, FieldBytesSize, Scalar};
use primeorder::{
    LookupTable, PrimeCurveParams, ProjectivePoint, Radix16Decomposition, Radix16Digits,
};

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

use super::EcError;

/// `[P, 2P, ..., 8P]` for `P = 2^(8i)·Q`, i = 0..=L (L = bytes of a field element): enough
/// for any scalar's signed radix-16 digits, two per table.
pub(crate) struct FixedBase<C: PrimeCurveParams> {
    tables: Vec<LookupTable<ProjectivePoint<C>>>,
}

impl<C: PrimeCurveParams> FixedBase<C> {
    /// The tables of `q`: L + 1 tables of 8 points (about 25 KB for a 256-bit curve).
    pub(crate) fn new(q: ProjectivePoint<C>) -> Self {
        let count = FieldBytesSize::<C>::USIZE + 1;
        let mut tables = Vec::with_capacity(count);
        let mut base = q;
        for _ in 0..count {
            tables.push(LookupTable::new(base));
            for _ in 0..8 {
                base = base.double();
            }
        }
        Self { tables }
    }

    /// `k·Q` in variable time (`BasepointTable::mul_vartime`'s loop over these tables).
    pub(crate) fn mul_vartime(&self, k: &Scalar<C>) -> ProjectivePoint<C> {
        let digits = Radix16Decomposition::<Radix16Digits<C>>::new(k);
        let len = FieldBytesSize::<C>::USIZE;
        let identity = ProjectivePoint::<C>::IDENTITY;
        // The top digit (index 2·L) uses the last table; the others two per table.
        let mut acc = self
            .tables
            .get(len)
            .map_or(identity, |t| t.select_vartime(digits[len * 2]));
        let mut acc2 = identity;
        for (i, table) in self.tables.iter().enumerate().take(len).rev() {
            acc2 += &table.select_vartime(digits[i * 2 + 1]);
            acc += &table.select_vartime(digits[i * 2]);
        }
        // Odd digits sit one radix-16 step (4 doublings) above their table's base.
        for _ in 0..4 {
            acc2 = acc2.double();
        }
        acc + acc2
    }
}

/// ECDSA verification (FIPS 186-4 §6.4.2) of `r`, `s` (big-endian field-width bytes) over a
/// digest, with the generator's and the key's tables. The digest is taken as its leftmost
/// `len(n)` bytes (whole bytes: only for curves whose order is a whole number of bytes, which
/// the caller ensures), reduced mod n.
pub(crate) fn ecdsa_verify<C>(
    generator: &FixedBase<C>,
    key: &FixedBase<C>,
    digest: &[u8],
    r: &FieldBytes<C>,
    s: &FieldBytes<C>,
) -> Result<(), EcError>
where
    C: PrimeCurveParams + ecdsa::EcdsaCurve,
{
    // from_scalars refuses r or s of zero or not below n.
    let sig = ecdsa::Signature::<C>::from_scalars(*r, *s).map_err(|_| EcError::SignatureInvalid)?;
    let (r, s) = sig.split_scalars();
    if C::NORMALIZE_S && bool::from(s.is_high()) {
        return Err(EcError::SignatureInvalid);
    }
    let width = FieldBytesSize::<C>::USIZE;
    let head = digest.get(..width.min(digest.len())).unwrap_or(digest);
    let mut z_bytes = FieldBytes::<C>::default();
    let start = width.saturating_sub(head.len());
    if let Some(slot) = z_bytes.get_mut(start..) {
        slot.copy_from_slice(head);
    }
    let z = <Scalar<C> as Reduce<FieldBytes<C>>>::reduce(&z_bytes);
    let s_inv = *s.invert_vartime();
    let u1 = z * s_inv;
    let u2 = *r * s_inv;
    let point = (generator.mul_vartime(&u1) + key.mul_vartime(&u2)).to_affine();
    let x = point.x();
    let v = <Scalar<C> as Reduce<FieldBytes<C>>>::reduce(&x);
    if bool::from(point.is_identity()) || v != *r {
        return Err(EcError::SignatureInvalid);
    }
    Ok(())
}

/// A public key on a curve crate's curve, decoded and checked once, for many verifications.
/// Its table is built at its second verification: a key seen once (a Document Signer that
/// signed one SOD in a batch) costs one plain verification, no table.
pub(crate) struct Prepared<C: PrimeCurveParams> {
    point: ProjectivePoint<C>,
    tables: OnceLock<FixedBase<C>>,
    uses: AtomicU32,
}

impl<C> Prepared<C>
where
    C: PrimeCurveParams + ecdsa::EcdsaCurve,
{
    pub(crate) fn new(point: ProjectivePoint<C>) -> Self {
        Self {
            point,
            tables: OnceLock::new(),
            uses: AtomicU32::new(0),
        }
    }

    /// Verifies `r`, `s` over `digest`: by the `ecdsa` crate at the key's first use, with the
    /// tables (`generator`'s built once per process) from its second on.
    pub(crate) fn verify(
        &self,
        generator: &OnceLock<FixedBase<C>>,
        digest: &[u8],
        r: &FieldBytes<C>,
        s: &FieldBytes<C>,
    ) -> Result<(), EcError> {
        if self.tables.get().is_none() && self.uses.fetch_add(1, Ordering::Relaxed) == 0 {
            let sig = ecdsa::Signature::<C>::from_scalars(*r, *s)
                .map_err(|_| EcError::SignatureInvalid)?;
            return ecdsa::hazmat::verify_prehashed::<C>(&self.point, digest, &sig)
                .map_err(|_| EcError::SignatureInvalid);
        }
        let g = generator.get_or_init(|| FixedBase::new(ProjectivePoint::<C>::GENERATOR));
        let q = self.tables.get_or_init(|| FixedBase::new(self.point));
        ecdsa_verify(g, q, digest, r, s)
    }
}
