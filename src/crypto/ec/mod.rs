//! Elliptic-curve arithmetic on short-Weierstrass curves y² = x³ + a·x + b over GF(p), for
//! every PACE standardized curve (ICAO 9303-11 §9.5.1) and for keys with explicit domain
//! parameters (BSI TR-03111 §4.1, RFC 3279 §2.3.5): ECDH, ECDSA, point encoding, and the
//! field operations the PACE Integrated Mapping needs.
//!
//! RustCrypto has no crate for brainpoolP192r1/224r1/320r1/512r1 and none takes explicit
//! parameters, so one implementation serves all curves: [`PrimeField`] on `crypto-bigint`'s
//! Montgomery form, complete projective formulas (Renes–Costello–Batina 2016) and a fixed
//! window with constant-time table reads for scalar multiplication.
//!
//! ```
//! # #[cfg(feature = "internals")] {
//! use cccd::crypto::ec::NamedCurve;
//! use cccd::crypto::rng::SeededRandom;
//!
//! let curve = NamedCurve::BrainpoolP256r1.curve();
//! let mut rng = SeededRandom::new(1);
//! let (sk_a, pk_a) = curve.generate_keypair(&mut rng).unwrap();
//! let (sk_b, pk_b) = curve.generate_keypair(&mut rng).unwrap();
//! assert_eq!(*curve.ecdh(&sk_a, &pk_b).unwrap(), *curve.ecdh(&sk_b, &pk_a).unwrap());
//! let encoded = curve.encode_point(&pk_a);
//! assert_eq!(encoded.len(), 1 + 2 * curve.field_size());
//! assert_eq!(curve.decode_point(&encoded).unwrap(), pk_a);
//! # }
//! ```

#[cfg(test)]
mod constant_time;
mod curves;
mod ecdsa;
mod fast;
pub mod field;
#[cfg(feature = "internals")]
use super::memo;
mod params;
mod point;
mod table;

use std::sync::OnceLock;

use const_oid::ObjectIdentifier;
use thiserror::Error;
use zeroize::{Zeroize, Zeroizing};

use super::rng::RandomSource;
pub use ecdsa::Signature;
use fast::Fast;
use field::{fit, strip_zeros};
pub use field::{FieldElement, PrimeField};
use point::{CurveArith, Proj};

/// Why an elliptic-curve operation failed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum EcError {
    /// A point that does not satisfy the curve equation.
    #[error("point not on the curve")]
    PointNotOnCurve,
    /// Bytes that are not a point / field element / signature encoding.
    #[error("invalid encoding")]
    InvalidEncoding,
    /// The point at infinity where a finite point is needed (or an ECDH result at infinity).
    #[error("point at infinity")]
    Infinity,
    /// A scalar (private key, signature component) out of range.
    #[error("scalar out of range")]
    InvalidScalar,
    /// Domain parameters that are malformed or inconsistent.
    #[error("invalid domain parameters: {0}")]
    InvalidParameters(&'static str),
    /// An ECDSA signature that does not verify.
    #[error("signature invalid")]
    SignatureInvalid,
    /// A field type other than a prime field (characteristic-two curves are not used by
    /// eMRTDs).
    #[error("unsupported field type")]
    UnsupportedField,
    /// A named-curve OID we do not know.
    #[error("unknown named curve {0}")]
    UnknownCurve(ObjectIdentifier),
    /// The random source failed.
    #[error("random source failed")]
    Random,
}

/// The PACE standardized elliptic curves (ICAO 9303-11 §9.5.1, table of standardized domain
/// parameters), by their published names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NamedCurve {
    /// NIST P-192 = secp192r1 = prime192v1 (PACE id 8).
    P192,
    /// NIST P-224 = secp224r1 (PACE id 10).
    P224,
    /// NIST P-256 = secp256r1 = prime256v1 (PACE id 12).
    P256,
    /// NIST P-384 = secp384r1 (PACE id 15).
    P384,
    /// NIST P-521 = secp521r1 (PACE id 18).
    P521,
    /// brainpoolP192r1 (PACE id 9).
    BrainpoolP192r1,
    /// brainpoolP224r1 (PACE id 11).
    BrainpoolP224r1,
    /// brainpoolP256r1 (PACE id 13; the CCCD's PACE curve).
    BrainpoolP256r1,
    /// brainpoolP320r1 (PACE id 14).
    BrainpoolP320r1,
    /// brainpoolP384r1 (PACE id 16).
    BrainpoolP384r1,
    /// brainpoolP512r1 (PACE id 17; the Vietnamese CSCA's curve).
    BrainpoolP512r1,
}

impl NamedCurve {
    /// Every named curve, in PACE id order.
    pub const ALL: [NamedCurve; 11] = [
        NamedCurve::P192,
        NamedCurve::BrainpoolP192r1,
        NamedCurve::P224,
        NamedCurve::BrainpoolP224r1,
        NamedCurve::P256,
        NamedCurve::BrainpoolP256r1,
        NamedCurve::BrainpoolP320r1,
        NamedCurve::P384,
        NamedCurve::BrainpoolP384r1,
        NamedCurve::BrainpoolP512r1,
        NamedCurve::P521,
    ];

    /// The curve with its published parameters (built once, then shared).
    pub fn curve(self) -> &'static Curve {
        static CELLS: [OnceLock<Curve>; 11] = [const { OnceLock::new() }; 11];
        let idx = usize::from(self.pace_id() - 8);
        #[allow(clippy::indexing_slicing)] // pace_id() is 8..=18, so idx < 11.
        CELLS[idx].get_or_init(|| {
            let p = self.params();
            #[allow(clippy::expect_used)]
            // Invariant: the constants in curves.rs are the published parameters, checked by
            // the tests (G on the curve, n·G = O); building them cannot fail.
            Curve::build(p.p, p.a, p.b, p.gx, p.gy, p.n, &[1], Some(self))
                .expect("published curve parameters are valid")
        })
    }

    fn params(self) -> &'static curves::Params {
        match self {
            NamedCurve::P192 => &curves::P192,
            NamedCurve::P224 => &curves::P224,
            NamedCurve::P256 => &curves::P256,
            NamedCurve::P384 => &curves::P384,
            NamedCurve::P521 => &curves::P521,
            NamedCurve::BrainpoolP192r1 => &curves::BRAINPOOLP192R1,
            NamedCurve::BrainpoolP224r1 => &curves::BRAINPOOLP224R1,
            NamedCurve::BrainpoolP256r1 => &curves::BRAINPOOLP256R1,
            NamedCurve::BrainpoolP320r1 => &curves::BRAINPOOLP320R1,
            NamedCurve::BrainpoolP384r1 => &curves::BRAINPOOLP384R1,
            NamedCurve::BrainpoolP512r1 => &curves::BRAINPOOLP512R1,
        }
    }

    /// The curve's OID: ANSI X9.62 / SEC 2 for the NIST curves, RFC 5639 §4.1 for brainpool.
    pub fn oid(self) -> ObjectIdentifier {
        match self {
            NamedCurve::P192 => ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.1"),
            NamedCurve::P224 => ObjectIdentifier::new_unwrap("1.3.132.0.33"),
            NamedCurve::P256 => ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7"),
            NamedCurve::P384 => ObjectIdentifier::new_unwrap("1.3.132.0.34"),
            NamedCurve::P521 => ObjectIdentifier::new_unwrap("1.3.132.0.35"),
            NamedCurve::BrainpoolP192r1 => ObjectIdentifier::new_unwrap("1.3.36.3.3.2.8.1.1.3"),
            NamedCurve::BrainpoolP224r1 => ObjectIdentifier::new_unwrap("1.3.36.3.3.2.8.1.1.5"),
            NamedCurve::BrainpoolP256r1 => ObjectIdentifier::new_unwrap("1.3.36.3.3.2.8.1.1.7"),
            NamedCurve::BrainpoolP320r1 => ObjectIdentifier::new_unwrap("1.3.36.3.3.2.8.1.1.9"),
            NamedCurve::BrainpoolP384r1 => ObjectIdentifier::new_unwrap("1.3.36.3.3.2.8.1.1.11"),
            NamedCurve::BrainpoolP512r1 => ObjectIdentifier::new_unwrap("1.3.36.3.3.2.8.1.1.13"),
        }
    }

    /// The curve named by `oid`, if it is one of ours.
    pub fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.oid() == *oid)
    }

    /// The curve of a PACE standardized domain parameter id (ICAO 9303-11 §9.5.1: 8 = P-192,
    /// 9 = bp192, 10 = P-224, 11 = bp224, 12 = P-256, 13 = bp256, 14 = bp320, 15 = P-384,
    /// 16 = bp384, 17 = bp512, 18 = P-521; 0..=2 are the DH groups, see
    /// [`crate::crypto::dh::DhGroup::from_pace_id`]).
    pub fn from_pace_id(id: u8) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.pace_id() == id)
    }

    /// The PACE standardized domain parameter id (see [`NamedCurve::from_pace_id`]).
    pub fn pace_id(self) -> u8 {
        match self {
            NamedCurve::P192 => 8,
            NamedCurve::BrainpoolP192r1 => 9,
            NamedCurve::P224 => 10,
            NamedCurve::BrainpoolP224r1 => 11,
            NamedCurve::P256 => 12,
            NamedCurve::BrainpoolP256r1 => 13,
            NamedCurve::BrainpoolP320r1 => 14,
            NamedCurve::P384 => 15,
            NamedCurve::BrainpoolP384r1 => 16,
            NamedCurve::BrainpoolP512r1 => 17,
            NamedCurve::P521 => 18,
        }
    }

    /// The name as the standards spell it.
    pub fn name(self) -> &'static str {
        match self {
            NamedCurve::P192 => "P-192",
            NamedCurve::P224 => "P-224",
            NamedCurve::P256 => "P-256",
            NamedCurve::P384 => "P-384",
            NamedCurve::P521 => "P-521",
            NamedCurve::BrainpoolP192r1 => "brainpoolP192r1",
            NamedCurve::BrainpoolP224r1 => "brainpoolP224r1",
            NamedCurve::BrainpoolP256r1 => "brainpoolP256r1",
            NamedCurve::BrainpoolP320r1 => "brainpoolP320r1",
            NamedCurve::BrainpoolP384r1 => "brainpoolP384r1",
            NamedCurve::BrainpoolP512r1 => "brainpoolP512r1",
        }
    }
}

impl core::fmt::Display for NamedCurve {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

/// A point on a curve in affine coordinates (full-width big-endian bytes), or the point at
/// infinity. Only a [`Curve`] makes points; a point belongs to the curve that made it.
/// Zeroized on drop (a point can be a shared secret, e.g. PACE GM's H); `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct Point {
    coords: Option<(Vec<u8>, Vec<u8>)>,
}

impl core::fmt::Debug for Point {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        if self.coords.is_none() {
            f.write_str("Point(infinity)")
        } else {
            f.write_str("Point(***)")
        }
    }
}

impl Drop for Point {
    fn drop(&mut self) {
        if let Some((x, y)) = self.coords.as_mut() {
            x.zeroize();
            y.zeroize();
        }
    }
}

impl Point {
    /// The point at infinity (the group's neutral element).
    pub fn infinity() -> Self {
        Self { coords: None }
    }

    /// Whether this is the point at infinity.
    pub fn is_infinity(&self) -> bool {
        self.coords.is_none()
    }

    /// The x-coordinate at full field width, `None` at infinity.
    pub fn x(&self) -> Option<Vec<u8>> {
        self.coords.as_ref().map(|(x, _)| x.clone())
    }

    /// The y-coordinate at full field width, `None` at infinity.
    pub fn y(&self) -> Option<Vec<u8>> {
        self.coords.as_ref().map(|(_, y)| y.clone())
    }

    /// The point as the fuzzing memo keys and keeps it: empty at infinity, else both
    /// coordinates, each length-prefixed.
    #[cfg(feature = "internals")]
    fn to_memo(&self) -> Vec<u8> {
        match &self.coords {
            None => Vec::new(),
            Some((x, y)) => memo::key(0, &[x, y]),
        }
    }

    /// Without the memo, no key is ever built from a point (an empty `Vec` does not allocate).
    #[cfg(not(feature = "internals"))]
    fn to_memo(&self) -> Vec<u8> {
        Vec::new()
    }

    /// The inverse of [`Self::to_memo`]; `None` for bytes it never writes.
    #[cfg(feature = "internals")]
    fn from_memo(bytes: &[u8]) -> Option<Self> {
        let Some((&0, mut rest)) = bytes.split_first() else {
            return bytes.is_empty().then(Self::infinity);
        };
        let mut coord = || -> Option<Vec<u8>> {
            let (len, tail) = rest.split_first_chunk::<4>()?;
            let n = usize::try_from(u32::from_be_bytes(*len)).ok()?;
            let (c, tail) = tail.split_at_checked(n)?;
            rest = tail;
            Some(c.to_vec())
        };
        let x = coord()?;
        let y = coord()?;
        rest.is_empty().then_some(Self {
            coords: Some((x, y)),
        })
    }
}

/// Elliptic-curve domain parameters (p, a, b, G, n, h) with the arithmetic built for them.
///
/// Named curves come from [`NamedCurve::curve`]; keys with explicit parameters from
/// [`Curve::from_explicit`] or [`Curve::from_ec_parameters_der`], which recognise a named
/// curve given explicitly (as the Vietnamese CSCA's brainpoolP512r1 is).
#[derive(Clone)]
pub struct Curve {
    p: Vec<u8>,
    a: Vec<u8>,
    b: Vec<u8>,
    gx: Vec<u8>,
    gy: Vec<u8>,
    n: Vec<u8>,
    h: Vec<u8>,
    named: Option<NamedCurve>,
    /// The RustCrypto crate for this curve, when there is one (see the module docs).
    fast: Option<Fast>,
    arith: CurveArith,
    scalars: PrimeField,
    order_bits: usize,
}

impl core::fmt::Debug for Curve {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self.named {
            Some(n) => write!(f, "Curve({n})"),
            None => write!(f, "Curve(explicit, {}-bit p)", self.p.len() * 8),
        }
    }
}

impl PartialEq for Curve {
    fn eq(&self, other: &Self) -> bool {
        self.p == other.p
            && self.a == other.a
            && self.b == other.b
            && self.gx == other.gx
            && self.gy == other.gy
            && self.n == other.n
            && self.h == other.h
    }
}

impl Eq for Curve {}

/// The smallest prime we accept for explicit parameters (P-192 is the smallest PACE curve;
/// anything below 160 bits is no longer a security level anyone issues).
const MIN_FIELD_BITS: usize = 160;
/// The largest (P-521 rounded up to whole bytes is 66 bytes).
const MAX_FIELD_BYTES: usize = 66;

/// Operation tags of the fuzzing memo (`crypto::memo`, feature `internals`; the simulator's
/// RSA uses 5).
const MEMO_MUL: u8 = 1;
const MEMO_MUL_VARTIME: u8 = 2;
const MEMO_ADD: u8 = 4;
#[cfg(feature = "internals")]
const MEMO_ECDSA_VERIFY: u8 = 3;

impl Curve {
    /// A curve from explicit parameters (from an `ECParameters`, a DG14 key or a DSC key):
    /// big-endian integers (leading zeros tolerated), `g` as `04 || x || y` (or compressed
    /// `02/03 || x`), cofactor 1 when absent. Validated: p odd and 160..=528 bits, a and b
    /// below p, 4a³ + 27b² ≠ 0, G on the curve, n odd and n·G = O. Returned as the
    /// [`NamedCurve`] when the parameters are the published ones.
    pub fn from_explicit(
        p: &[u8],
        a: &[u8],
        b: &[u8],
        g: &[u8],
        n: &[u8],
        h: Option<&[u8]>,
    ) -> Result<Self, EcError> {
        let p = strip_zeros(p);
        if p.len() * 8 < MIN_FIELD_BITS || p.len() > MAX_FIELD_BYTES {
            return Err(EcError::InvalidParameters("field size"));
        }
        let field = PrimeField::new(p)?;
        let len = field.len();
        let n = strip_zeros(n);
        if n.is_empty() || n.len() > len + 1 {
            return Err(EcError::InvalidParameters("order size"));
        }
        let h = h.map(strip_zeros).unwrap_or(&[1]);
        if h.is_empty() || h.len() > 8 {
            return Err(EcError::InvalidParameters("cofactor"));
        }
        let a_el = field
            .element(a)
            .map_err(|_| EcError::InvalidParameters("a"))?;
        let b_el = field
            .element(b)
            .map_err(|_| EcError::InvalidParameters("b"))?;
        // Discriminant: 4a³ + 27b² ≠ 0.
        let disc = a_el
            .square()
            .mul(&a_el)
            .mul(&field.from_u64(4))
            .add(&b_el.square().mul(&field.from_u64(27)));
        if disc.is_zero() {
            return Err(EcError::InvalidParameters("singular curve"));
        }
        let (gx, gy) = decode_coords(&field, &a_el, &b_el, g)
            .map_err(|_| EcError::InvalidParameters("generator"))?;
        let (a, b) = (field.to_bytes(&a_el), field.to_bytes(&b_el));
        let named = NamedCurve::ALL.into_iter().find(|c| {
            let k = c.params();
            k.p == p && k.a == a && k.b == b && k.gx == gx && k.gy == gy && k.n == n && h == [1]
        });
        if let Some(named) = named {
            return Ok(named.curve().clone());
        }
        let curve = Self::build(p, &a, &b, &gx, &gy, n, h, None)?;
        let g = curve.generator();
        if !curve.mul_vartime(&curve.n, &g).is_infinity() {
            return Err(EcError::InvalidParameters("n·G is not infinity"));
        }
        Ok(curve)
    }

    /// Builds the arithmetic without the (costly) n·G check.
    #[allow(clippy::too_many_arguments)]
    fn build(
        p: &[u8],
        a: &[u8],
        b: &[u8],
        gx: &[u8],
        gy: &[u8],
        n: &[u8],
        h: &[u8],
        named: Option<NamedCurve>,
    ) -> Result<Self, EcError> {
        let field = PrimeField::new(p)?;
        let scalars =
            PrimeField::without_sqrt(n).map_err(|_| EcError::InvalidParameters("order"))?;
        let len = field.len();
        let a_el = field
            .element(a)
            .map_err(|_| EcError::InvalidParameters("a"))?;
        let b_el = field
            .element(b)
            .map_err(|_| EcError::InvalidParameters("b"))?;
        let gx_el = field
            .element(gx)
            .map_err(|_| EcError::InvalidParameters("generator"))?;
        let gy_el = field
            .element(gy)
            .map_err(|_| EcError::InvalidParameters("generator"))?;
        let b3 = b_el.mul(&field.from_u64(3));
        let arith = CurveArith {
            field,
            a: a_el,
            b: b_el,
            b3,
        };
        if !arith.is_on_curve(&gx_el, &gy_el) {
            return Err(EcError::InvalidParameters("generator not on the curve"));
        }
        let n_stripped = strip_zeros(n);
        let order_bits = n_stripped.len() * 8
            - n_stripped
                .first()
                .map_or(0, |b| usize::try_from(b.leading_zeros()).unwrap_or(0));
        Ok(Self {
            p: fit(p, len),
            a: fit(a, len),
            b: fit(b, len),
            gx: fit(gx, len),
            gy: fit(gy, len),
            n: n_stripped.to_vec(),
            h: strip_zeros(h).to_vec(),
            named,
            fast: named.and_then(Fast::of),
            arith,
            scalars,
            order_bits,
        })
    }

    /// The named curve these parameters are, if any.
    pub fn named(&self) -> Option<NamedCurve> {
        self.named
    }

    /// The same curve computed by the generic code only, never by a RustCrypto crate: for
    /// differential tests and the before/after benchmarks, not for production use.
    #[doc(hidden)]
    pub fn generic_arithmetic(&self) -> Self {
        Self {
            fast: None,
            ..self.clone()
        }
    }

    /// Whether a RustCrypto curve crate computes on this curve (P-256, P-384, P-521,
    /// brainpoolP256r1, brainpoolP384r1), rather than the generic code.
    pub fn uses_curve_crate(&self) -> bool {
        self.fast.is_some()
    }

    /// The prime p (full width).
    pub fn p(&self) -> &[u8] {
        &self.p
    }

    /// The coefficient a (full width).
    pub fn a(&self) -> &[u8] {
        &self.a
    }

    /// The coefficient b (full width).
    pub fn b(&self) -> &[u8] {
        &self.b
    }

    /// The order n of the generator (no leading zeros).
    pub fn order(&self) -> &[u8] {
        &self.n
    }

    /// The cofactor h (no leading zeros).
    pub fn cofactor(&self) -> &[u8] {
        &self.h
    }

    /// Bytes of p: every coordinate is encoded at this full width.
    pub fn field_size(&self) -> usize {
        self.p.len()
    }

    /// Bytes of n: the width of private keys and of each half of a plain signature.
    pub fn order_size(&self) -> usize {
        self.n.len()
    }

    /// Bits of n (ECDSA truncates digests to this, FIPS 186-4 §6.4).
    pub fn order_bits(&self) -> usize {
        self.order_bits
    }

    /// The field GF(p), for the PACE Integrated Mapping's arithmetic.
    pub fn field(&self) -> &PrimeField {
        &self.arith.field
    }

    /// The field GF(n) of scalars.
    pub fn scalar_field(&self) -> &PrimeField {
        &self.scalars
    }

    /// The generator G.
    pub fn generator(&self) -> Point {
        Point {
            coords: Some((self.gx.clone(), self.gy.clone())),
        }
    }

    /// Parses `04 || X || Y` (X, Y at full width; compressed `02/03 || X` is also accepted),
    /// checking that the point is on the curve. The point at infinity (`00`) is refused.
    pub fn decode_point(&self, bytes: &[u8]) -> Result<Point, EcError> {
        if bytes == [0x00] {
            return Err(EcError::Infinity);
        }
        let (x, y) = decode_coords(&self.arith.field, &self.arith.a, &self.arith.b, bytes)?;
        Ok(Point {
            coords: Some((x, y)),
        })
    }

    /// A point from affine coordinates (big-endian, leading zeros tolerated), checked on the
    /// curve: for the Integrated Mapping, which computes x and y itself.
    pub fn point_from_affine(&self, x: &[u8], y: &[u8]) -> Result<Point, EcError> {
        let f = &self.arith.field;
        let xe = f.element(x)?;
        let ye = f.element(y)?;
        if !self.arith.is_on_curve(&xe, &ye) {
            return Err(EcError::PointNotOnCurve);
        }
        Ok(Point {
            coords: Some((f.to_bytes(&xe), f.to_bytes(&ye))),
        })
    }

    /// `04 || X || Y` at full width (the point at infinity encodes as `00`).
    pub fn encode_point(&self, p: &Point) -> Vec<u8> {
        match &p.coords {
            None => vec![0x00],
            Some((x, y)) => {
                let len = self.field_size();
                let mut out = Vec::with_capacity(1 + 2 * len);
                out.push(0x04);
                out.extend_from_slice(&fit(x, len));
                out.extend_from_slice(&fit(y, len));
                out
            }
        }
    }

    /// Whether `p` is on this curve (the point at infinity counts as on it).
    pub fn is_on_curve(&self, p: &Point) -> bool {
        match &p.coords {
            None => true,
            Some((x, y)) => match (self.arith.field.element(x), self.arith.field.element(y)) {
                (Ok(x), Ok(y)) => self.arith.is_on_curve(&x, &y),
                _ => false,
            },
        }
    }

    /// a + b.
    pub fn add(&self, a: &Point, b: &Point) -> Point {
        self.memoized(MEMO_ADD, &[&a.to_memo(), &b.to_memo()], || {
            if let Some(sum) = self.fast.and_then(|f| f.add(a, b)) {
                return sum;
            }
            let r = self.arith.add(&self.proj(a), &self.proj(b));
            self.affine(&r)
        })
    }

    /// −P.
    pub fn negate(&self, p: &Point) -> Point {
        self.affine(&self.arith.negate(&self.proj(p)))
    }

    /// k·P for a big-endian scalar of any length (not reduced: k ≥ n works too). Constant
    /// time in the value of k (fixed iteration count for a given `k.len()`, constant-time
    /// table reads, complete formulas): for private keys and PACE nonces.
    pub fn mul(&self, k: &[u8], p: &Point) -> Point {
        self.memoized(MEMO_MUL, &[k, &p.to_memo()], || {
            if let Some(product) = self.fast.and_then(|f| f.mul(&self.scalars, k, p)) {
                return product;
            }
            let r = self.arith.mul(k, &self.proj(p));
            self.affine(&r)
        })
    }

    /// k·P in variable time, for public scalars only (verification, parameter checks).
    pub fn mul_vartime(&self, k: &[u8], p: &Point) -> Point {
        self.memoized(MEMO_MUL_VARTIME, &[k, &p.to_memo()], || {
            if let Some(product) = self.fast.and_then(|f| f.mul(&self.scalars, k, p)) {
                return product;
            }
            let id = self.arith.identity();
            let r = self.arith.mul_add_vartime(k, &self.proj(p), &[0], &id);
            self.affine(&r)
        })
    }

    /// `compute()`, or its result from the fuzzing memo ([`memo`], feature `internals`, off
    /// unless a fuzz target turns it on) when the same operation ran on the same operands
    /// (with this curve's parameters).
    #[cfg(feature = "internals")]
    fn memoized(&self, op: u8, operands: &[&[u8]], compute: impl FnOnce() -> Point) -> Point {
        if !memo::enabled() {
            return compute();
        }
        let mut parts: Vec<&[u8]> = vec![&self.p, &self.a, &self.b, &self.n, &self.h];
        parts.extend_from_slice(operands);
        let key = memo::key(op, &parts);
        if let Some(hit) = memo::get(&key) {
            if let Some(p) = Point::from_memo(&hit) {
                return p;
            }
        }
        let r = compute();
        memo::put(key, r.to_memo());
        r
    }

    #[cfg(not(feature = "internals"))]
    fn memoized(&self, _op: u8, _operands: &[&[u8]], compute: impl FnOnce() -> Point) -> Point {
        compute()
    }

    /// ECDH (BSI TR-03111 §4.3.1 ECKA-DH): the x-coordinate of h·d·Q at full width. Fails if
    /// Q is not on the curve or the result is the point at infinity (invalid-curve and
    /// small-subgroup protection).
    pub fn ecdh(&self, private: &[u8], public: &Point) -> Result<Zeroizing<Vec<u8>>, EcError> {
        if public.is_infinity() {
            return Err(EcError::Infinity);
        }
        if !self.is_on_curve(public) {
            return Err(EcError::PointNotOnCurve);
        }
        let mut s = self.mul(private, public);
        if self.h != [1] {
            s = self.mul(&self.h, &s);
        }
        s.x().map(Zeroizing::new).ok_or(EcError::Infinity)
    }

    /// A fresh key pair: d uniform in [1, n−1] (order_size + 8 random bytes reduced mod n),
    /// Q = d·G. The private key is `order_size` bytes.
    pub fn generate_keypair(
        &self,
        rng: &mut dyn RandomSource,
    ) -> Result<(Zeroizing<Vec<u8>>, Point), EcError> {
        let d = self.random_scalar(rng)?;
        let q = self.mul(&d, &self.generator());
        Ok((d, q))
    }

    /// A uniform nonzero scalar below n, `order_size` bytes.
    fn random_scalar(&self, rng: &mut dyn RandomSource) -> Result<Zeroizing<Vec<u8>>, EcError> {
        for _ in 0..16 {
            let mut buf = Zeroizing::new(vec![0u8; self.order_size() + 8]);
            rng.fill(&mut buf).map_err(|_| EcError::Random)?;
            let d = self.scalars.reduce(&buf);
            if !d.is_zero() {
                return Ok(Zeroizing::new(self.scalars.to_bytes(&d)));
            }
        }
        Err(EcError::Random)
    }

    fn proj(&self, p: &Point) -> Proj {
        match &p.coords {
            None => self.arith.identity(),
            Some((x, y)) => {
                let f = &self.arith.field;
                let x = f.element(x).unwrap_or_else(|_| f.reduce(x));
                let y = f.element(y).unwrap_or_else(|_| f.reduce(y));
                self.arith.lift(x, y)
            }
        }
    }

    fn affine(&self, p: &Proj) -> Point {
        match self.arith.to_affine(p) {
            None => Point::infinity(),
            Some((x, y)) => Point {
                coords: Some((self.arith.field.to_bytes(&x), self.arith.field.to_bytes(&y))),
            },
        }
    }
}

/// A public key decoded and checked on its named curve once, for many ECDSA verifications:
/// a Document Signer's key over every SOD it signed, a CSCA's over every DSC. On the curves of
/// the RustCrypto crates, the key's fixed-base table is built at its second verification
/// (`crypto::ec::table`: about 3× faster than a verification from scratch); on the others the generic
/// code verifies as [`Curve::ecdsa_verify`] does.
pub struct VerifyingKey {
    curve: &'static Curve,
    point: Point,
    fast: Option<fast::FastKey>,
}

impl core::fmt::Debug for VerifyingKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "VerifyingKey({:?}, {:?})", self.curve, self.point)
    }
}

impl VerifyingKey {
    /// The point `encoded` (`04 || X || Y` or compressed) on a named curve, checked on it.
    pub fn new(curve: NamedCurve, encoded: &[u8]) -> Result<Self, EcError> {
        let curve = curve.curve();
        let point = curve.decode_point(encoded)?;
        let fast = curve.fast.map(|f| f.prepare(&point)).transpose()?;
        Ok(Self { curve, point, fast })
    }

    /// The curve.
    pub fn curve(&self) -> &'static Curve {
        self.curve
    }

    /// The point.
    pub fn point(&self) -> &Point {
        &self.point
    }

    /// Verifies an ECDSA signature on a message digest, as [`Curve::ecdsa_verify`] does.
    pub fn verify(&self, digest: &[u8], sig: &Signature) -> Result<(), EcError> {
        match &self.fast {
            Some(key) => key.ecdsa_verify(digest, sig.r(), sig.s()),
            None => self.curve.ecdsa_verify(&self.point, digest, sig),
        }
    }
}

/// Decodes `04 || X || Y` or `02/03 || X` on the curve y² = x³ + ax + b; full-width
/// coordinates.
fn decode_coords(
    field: &PrimeField,
    a: &FieldElement,
    b: &FieldElement,
    bytes: &[u8],
) -> Result<(Vec<u8>, Vec<u8>), EcError> {
    let len = field.len();
    let (&tag, rest) = bytes.split_first().ok_or(EcError::InvalidEncoding)?;
    match tag {
        0x04 => {
            if rest.len() != 2 * len {
                return Err(EcError::InvalidEncoding);
            }
            let (x, y) = rest.split_at_checked(len).ok_or(EcError::InvalidEncoding)?;
            let xe = field.element(x)?;
            let ye = field.element(y)?;
            let rhs = xe.square().add(a).mul(&xe).add(b);
            if !ye.square().ct_eq(&rhs).to_bool() {
                return Err(EcError::PointNotOnCurve);
            }
            Ok((x.to_vec(), y.to_vec()))
        }
        0x02 | 0x03 => {
            if rest.len() != len {
                return Err(EcError::InvalidEncoding);
            }
            let xe = field.element(rest)?;
            let rhs = xe.square().add(a).mul(&xe).add(b);
            let ye = field.sqrt(&rhs).ok_or(EcError::PointNotOnCurve)?;
            let y = field.to_bytes(&ye);
            let odd = y.last().is_some_and(|v| v & 1 == 1);
            let y = if odd == (tag == 0x03) {
                y
            } else {
                field.to_bytes(&ye.neg())
            };
            Ok((rest.to_vec(), y))
        }
        _ => Err(EcError::InvalidEncoding),
    }
}
