//! The RustCrypto curve crates for the five curves they cover: `p256`, `p384`, `p521`, and
//! `bp256`/`bp384` (brainpoolP256r1, the CCCD's PACE curve, and brainpoolP384r1). Their
//! arithmetic is 2-6× faster than the generic code in [`super::point`] (specialised field
//! code, fixed-size limbs) and constant time in the scalar; [`super::Curve`] dispatches here
//! when its parameters are one of these curves, named or given explicitly.
//!
//! Points cross the boundary as affine coordinates at full width, checked on the curve by the
//! crate (`AffineCoordinates::from_coordinates`). Scalars of any length are reduced mod n in
//! constant time by the caller's [`PrimeField`], so `k·P` means what the generic code means
//! (every point of these prime-order curves has order n).

use elliptic_curve::group::{Curve as _, Group as _};
use elliptic_curve::point::AffineCoordinates;
use elliptic_curve::{AffinePoint, CurveArithmetic, FieldBytes, PrimeField as _, ProjectivePoint};
use zeroize::{Zeroize, Zeroizing};

use super::field::{fit, PrimeField};
use super::table::{FixedBase, Prepared};
use super::{EcError, NamedCurve, Point};
use std::sync::OnceLock;

/// A curve with a RustCrypto implementation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fast {
    P256,
    P384,
    P521,
    Bp256,
    Bp384,
}

/// Runs `$f::<C>(args)` for the crate type of `$fast`.
macro_rules! dispatch {
    ($fast:expr, $f:ident($($arg:expr),*)) => {
        match $fast {
            Fast::P256 => $f::<p256::NistP256>($($arg),*),
            Fast::P384 => $f::<p384::NistP384>($($arg),*),
            Fast::P521 => $f::<p521::NistP521>($($arg),*),
            Fast::Bp256 => $f::<bp256::r1::BrainpoolP256r1>($($arg),*),
            Fast::Bp384 => $f::<bp384::r1::BrainpoolP384r1>($($arg),*),
        }
    };
}

impl Fast {
    /// The crate for a named curve, if there is one.
    pub(crate) fn of(curve: NamedCurve) -> Option<Self> {
        match curve {
            NamedCurve::P256 => Some(Self::P256),
            NamedCurve::P384 => Some(Self::P384),
            NamedCurve::P521 => Some(Self::P521),
            NamedCurve::BrainpoolP256r1 => Some(Self::Bp256),
            NamedCurve::BrainpoolP384r1 => Some(Self::Bp384),
            _ => None,
        }
    }

    /// a + b; `None` if a point is not on this curve (it was made by another one).
    pub(crate) fn add(self, a: &Point, b: &Point) -> Option<Point> {
        dispatch!(self, add(a, b))
    }

    /// k·P for a big-endian scalar of any length, constant time in k; `None` if P is not on
    /// this curve.
    pub(crate) fn mul(self, scalars: &PrimeField, k: &[u8], p: &Point) -> Option<Point> {
        dispatch!(self, mul(scalars, k, p))
    }

    /// ECDSA verification (FIPS 186-4 §6.4) by the `ecdsa` crate: r and s big-endian without
    /// leading zeros, the digest of any length (truncated to n's bit length by the crate).
    pub(crate) fn ecdsa_verify(
        self,
        public: &Point,
        digest: &[u8],
        r: &[u8],
        s: &[u8],
    ) -> Result<(), EcError> {
        dispatch!(self, ecdsa_verify(public, digest, r, s))
    }

    /// `public` as the crate's point, checked on the curve, for many verifications
    /// ([`FastKey`]).
    pub(crate) fn prepare(self, public: &Point) -> Result<FastKey, EcError> {
        if public.is_infinity() {
            return Err(EcError::Infinity);
        }
        let bad = || EcError::PointNotOnCurve;
        Ok(match self {
            Fast::P256 => FastKey::P256(Prepared::new(
                to_projective::<p256::NistP256>(public).ok_or_else(bad)?,
            )),
            Fast::P384 => FastKey::P384(Prepared::new(
                to_projective::<p384::NistP384>(public).ok_or_else(bad)?,
            )),
            Fast::P521 => FastKey::P521(Prepared::new(
                to_projective::<p521::NistP521>(public).ok_or_else(bad)?,
            )),
            Fast::Bp256 => FastKey::Bp256(Prepared::new(
                to_projective::<bp256::r1::BrainpoolP256r1>(public).ok_or_else(bad)?,
            )),
            Fast::Bp384 => FastKey::Bp384(Prepared::new(
                to_projective::<bp384::r1::BrainpoolP384r1>(public).ok_or_else(bad)?,
            )),
        })
    }
}

/// A public key prepared for ECDSA verification on a curve crate, with its fixed-base table
/// once it is used twice ([`super::table`]).
pub(crate) enum FastKey {
    P256(Prepared<p256::NistP256>),
    P384(Prepared<p384::NistP384>),
    P521(Prepared<p521::NistP521>),
    Bp256(Prepared<bp256::r1::BrainpoolP256r1>),
    Bp384(Prepared<bp384::r1::BrainpoolP384r1>),
}

impl FastKey {
    /// ECDSA verification of r and s (big-endian, no leading zeros) over `digest`.
    pub(crate) fn ecdsa_verify(&self, digest: &[u8], r: &[u8], s: &[u8]) -> Result<(), EcError> {
        // The generator's table of each curve, built at the first verification that needs it.
        static P256: OnceLock<FixedBase<p256::NistP256>> = OnceLock::new();
        static P384: OnceLock<FixedBase<p384::NistP384>> = OnceLock::new();
        static P521: OnceLock<FixedBase<p521::NistP521>> = OnceLock::new();
        static BP256: OnceLock<FixedBase<bp256::r1::BrainpoolP256r1>> = OnceLock::new();
        static BP384: OnceLock<FixedBase<bp384::r1::BrainpoolP384r1>> = OnceLock::new();
        match self {
            Self::P256(k) => verify_prepared(k, &P256, digest, r, s),
            Self::P384(k) => verify_prepared(k, &P384, digest, r, s),
            Self::P521(k) => verify_prepared(k, &P521, digest, r, s),
            Self::Bp256(k) => verify_prepared(k, &BP256, digest, r, s),
            Self::Bp384(k) => verify_prepared(k, &BP384, digest, r, s),
        }
    }
}

fn verify_prepared<C>(
    key: &Prepared<C>,
    generator: &OnceLock<FixedBase<C>>,
    digest: &[u8],
    r: &[u8],
    s: &[u8],
) -> Result<(), EcError>
where
    C: primeorder::PrimeCurveParams + ecdsa::EcdsaCurve,
{
    let r = field_bytes::<C>(r).ok_or(EcError::SignatureInvalid)?;
    let s = field_bytes::<C>(s).ok_or(EcError::SignatureInvalid)?;
    key.verify(generator, digest, &r, &s)
}

fn field_bytes<C: CurveArithmetic>(v: &[u8]) -> Option<FieldBytes<C>> {
    let width = FieldBytes::<C>::default().len();
    if v.len() > width {
        return None;
    }
    // `v` may be a secret scalar: the padded copy is wiped.
    let padded = Zeroizing::new(fit(v, width));
    FieldBytes::<C>::try_from(padded.as_slice()).ok()
}

fn to_projective<C: CurveArithmetic>(p: &Point) -> Option<ProjectivePoint<C>> {
    match &p.coords {
        None => Some(ProjectivePoint::<C>::identity()),
        Some((x, y)) => {
            let x = field_bytes::<C>(x)?;
            let y = field_bytes::<C>(y)?;
            let affine: Option<AffinePoint<C>> = AffinePoint::<C>::from_coordinates(&x, &y).into();
            affine.map(ProjectivePoint::<C>::from)
        }
    }
}

fn from_projective<C: CurveArithmetic>(p: &ProjectivePoint<C>) -> Point {
    if bool::from(p.is_identity()) {
        return Point::infinity();
    }
    // The point may be a shared secret (ECDH, PACE's H): the crate's copies are wiped.
    let mut a = p.to_affine();
    let (mut x, mut y) = (a.x(), a.y());
    let point = Point {
        coords: Some((x.to_vec(), y.to_vec())),
    };
    x.zeroize();
    y.zeroize();
    a.zeroize();
    point
}

fn add<C: CurveArithmetic>(a: &Point, b: &Point) -> Option<Point> {
    // PACE's mapping adds secret points (s·G + H): every copy is wiped.
    let mut pa = to_projective::<C>(a)?;
    let mut pb = to_projective::<C>(b)?;
    let mut sum = pa + pb;
    let point = from_projective::<C>(&sum);
    pa.zeroize();
    pb.zeroize();
    sum.zeroize();
    Some(point)
}

fn mul<C: CurveArithmetic>(scalars: &PrimeField, k: &[u8], p: &Point) -> Option<Point> {
    let mut p = to_projective::<C>(p)?;
    // k mod n in constant time, then the crate's scalar (always below n, so always some).
    let reduced = scalars.reduce(k);
    let bytes = Zeroizing::new(scalars.to_bytes(&reduced));
    let mut repr = field_bytes::<C>(&bytes)?;
    let scalar: Option<C::Scalar> = C::Scalar::from_repr(repr).into();
    repr.zeroize();
    let mut scalar = scalar?;
    let mut product = p * scalar;
    scalar.zeroize();
    p.zeroize();
    let point = from_projective::<C>(&product);
    product.zeroize();
    Some(point)
}

fn ecdsa_verify<C>(public: &Point, digest: &[u8], r: &[u8], s: &[u8]) -> Result<(), EcError>
where
    C: CurveArithmetic + ecdsa::EcdsaCurve,
{
    if public.is_infinity() {
        return Err(EcError::Infinity);
    }
    let q = to_projective::<C>(public).ok_or(EcError::PointNotOnCurve)?;
    let r = field_bytes::<C>(r).ok_or(EcError::SignatureInvalid)?;
    let s = field_bytes::<C>(s).ok_or(EcError::SignatureInvalid)?;
    // from_scalars refuses r or s of zero or not below n.
    let sig = ecdsa::Signature::<C>::from_scalars(r, s).map_err(|_| EcError::SignatureInvalid)?;
    ecdsa::hazmat::verify_prehashed::<C>(&q, digest, &sig).map_err(|_| EcError::SignatureInvalid)
}
