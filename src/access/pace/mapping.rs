//! The group arithmetic of PACE, seen from the terminal: ephemeral keys, the Generic and
//! Integrated Mappings (ICAO 9303-11 §4.4.3.3, Appendix B), key agreement (§9.6), the public
//! key data objects the tokens cover (§9.4.4/§9.4.5) and the CAM check (§4.4.3.5.2).

use crypto_bigint::BoxedUint;
use subtle::ConditionallySelectable;
use zeroize::Zeroizing;

use super::protocol::{KeyAgreement, PaceConfig};
use super::PaceError;
use crate::crypto::cipher::cbc_encrypt;
use crate::crypto::dh::DhGroup;
use crate::crypto::domain::StandardizedDomainParameters;
use crate::crypto::ec::{Curve, EcError, Point};
use crate::crypto::mac::verify_mac;
use crate::crypto::rng::RandomSource;
use crate::crypto::CipherAlg;
use crate::tlv::{Tag, Writer};

/// Tag of the public key data object (ICAO 9303-11 §9.4.4).
pub(super) const TAG_PUBLIC_KEY: Tag = Tag(0x7F49);
/// Tag of the OID inside it.
const TAG_OID: Tag = crate::tlv::tags::OID;
/// DH public value `y` (§9.4.5).
const TAG_DH_PUBLIC: Tag = Tag(0x84);
/// EC public point (§9.4.5).
const TAG_EC_POINT: Tag = Tag(0x86);

/// Attempts at drawing a scalar below the group order before giving up (each succeeds with
/// probability above 1/2, so reaching this means the random source is broken).
const MAX_DRAWS: usize = 64;

/// The static domain parameters D_IC of a standardized parameter id.
#[derive(Clone)]
pub(super) enum Domain {
    /// A curve, generator G.
    Ec(&'static Curve),
    /// A MODP group, generator g, order q.
    Dh(DhGroup),
}

/// The ephemeral generator D̃ after the mapping.
pub(super) enum Mapped {
    /// Ĝ on the static curve.
    Ec(Point),
    /// The static group with generator ĝ.
    Dh(DhGroup),
}

impl Domain {
    /// The domain parameters of `config.parameter_id` (checked by [`PaceConfig::new`]).
    pub(super) fn of(config: &PaceConfig) -> Result<Self, PaceError> {
        let id = config.parameter_id;
        match config.protocol.key_agreement {
            KeyAgreement::Ecdh => StandardizedDomainParameters::from_id(u64::from(id))
                .and_then(StandardizedDomainParameters::named_curve)
                .map(|c| Self::Ec(c.curve()))
                .ok_or(PaceError::UnsupportedParameters(id)),
            KeyAgreement::Dh => StandardizedDomainParameters::from_id(u64::from(id))
                .and_then(StandardizedDomainParameters::dh_group)
                .map(Self::Dh)
                .ok_or(PaceError::UnsupportedParameters(id)),
        }
    }

    /// The static generator as a mapping target (for drawing the mapping key pair).
    pub(super) fn static_generator(&self) -> Mapped {
        match self {
            Self::Ec(c) => Mapped::Ec(c.generator()),
            Self::Dh(g) => Mapped::Dh(g.clone()),
        }
    }

    /// A fresh key pair on `generator`: the private key uniform in [1, order − 1], drawn as
    /// exactly `order`'s width in bytes (top bits masked, out-of-range draws rejected), so a
    /// replayed random source reproduces a worked example's private key byte for byte. The
    /// public key is encoded at full width (`04 X Y`, or y as wide as p).
    pub(super) fn keypair(
        &self,
        generator: &Mapped,
        rng: &mut dyn RandomSource,
    ) -> Result<(Zeroizing<Vec<u8>>, Vec<u8>), PaceError> {
        match (self, generator) {
            (Self::Ec(curve), Mapped::Ec(g)) => {
                let sk = draw_below(rng, curve.order())?;
                let pk = curve.mul(&sk, g);
                if pk.is_infinity() {
                    return Err(EcError::Infinity.into());
                }
                Ok((sk, curve.encode_point(&pk)))
            }
            (Self::Dh(_), Mapped::Dh(group)) => {
                let q = group
                    .q()
                    .ok_or(PaceError::Malformed("DH group without order"))?;
                let sk = draw_below(rng, q)?;
                let pk = group.pow_mod(group.g(), &sk)?;
                Ok((sk, pk))
            }
            _ => Err(PaceError::Malformed("domain and generator disagree")),
        }
    }

    /// Checks and normalizes the chip's public key to the encoding our own keys have (the
    /// full-width form the tokens MAC): ECDH takes only uncompressed points on the curve
    /// (§4.4.3.2); a DH value shorter than p is left-padded (a chip may drop leading zeros),
    /// and its range and subgroup are checked by the key agreement that uses it.
    pub(super) fn chip_public_key(&self, bytes: &[u8]) -> Result<Vec<u8>, PaceError> {
        match self {
            Self::Ec(curve) => {
                if bytes.first() != Some(&0x04) {
                    return Err(EcError::InvalidEncoding.into());
                }
                let p = curve.decode_point(bytes)?;
                Ok(curve.encode_point(&p))
            }
            Self::Dh(group) => {
                let width = group.modulus_size();
                if bytes.is_empty() || bytes.len() > width {
                    return Err(PaceError::Malformed("DH public value of the wrong size"));
                }
                let mut out = vec![0u8; width - bytes.len()];
                out.extend_from_slice(bytes);
                Ok(out)
            }
        }
    }

    /// Generic Mapping (§4.4.3.3.1): Ĝ = s·G + H with H = SK_Map,IFD · PK_Map,IC, or
    /// ĝ = g^s · h mod p with h = PK_Map,IC ^ SK_Map,IFD (checked in the order-q subgroup).
    pub(super) fn generic_map(
        &self,
        s: &[u8],
        sk_map: &[u8],
        pk_map_chip: &[u8],
    ) -> Result<Mapped, PaceError> {
        match self {
            Self::Ec(curve) => {
                let chip = curve.decode_point(pk_map_chip)?;
                let mut h = curve.mul(sk_map, &chip);
                if curve.cofactor() != [1] {
                    h = curve.mul(curve.cofactor(), &h);
                }
                if h.is_infinity() {
                    return Err(EcError::Infinity.into());
                }
                let g_hat = curve.add(&curve.mul(s, &curve.generator()), &h);
                if g_hat.is_infinity() {
                    return Err(EcError::Infinity.into());
                }
                Ok(Mapped::Ec(g_hat))
            }
            Self::Dh(group) => {
                let h = group.shared_secret(sk_map, pk_map_chip)?;
                let gs = Zeroizing::new(group.pow_mod(group.g(), s)?);
                let g_hat = Zeroizing::new(group.mul_mod(&gs, &h)?);
                Ok(Mapped::Dh(group.with_generator(&g_hat)?))
            }
        }
    }

    /// Integrated Mapping (§4.4.3.3.2): Ĝ = f_G(R_p(s, t)) (Appendix B.2's affine point
    /// encoding, p ≡ 3 mod 4), or ĝ = R_p(s, t)^((p−1)/q) mod p, checked ≠ 1.
    pub(super) fn integrated_map(
        &self,
        cipher: CipherAlg,
        s: &[u8],
        t: &[u8],
    ) -> Result<Mapped, PaceError> {
        match self {
            Self::Ec(curve) => {
                let p = curve.p();
                let r = pseudo_random(cipher, s, t, bit_length(p))?;
                Ok(Mapped::Ec(point_encode(curve, &r)?))
            }
            Self::Dh(group) => {
                let p = group.p();
                let q = group
                    .q()
                    .ok_or(PaceError::Malformed("DH group without order"))?;
                let r = pseudo_random(cipher, s, t, bit_length(&p))?;
                let field = group.field();
                let x = Zeroizing::new(field.to_bytes(&field.reduce(&r)));
                let g_hat = Zeroizing::new(group.pow_mod(&x, &cofactor_exponent(&p, q)?)?);
                Ok(Mapped::Dh(group.with_generator(&g_hat)?))
            }
        }
    }

    /// Anonymous key agreement on the mapped generator (§9.6): the x-coordinate of
    /// SK · PK_IC (ECKA-DH, full width), or PK_IC^SK mod p (full width, subgroup-checked).
    pub(super) fn agree(
        &self,
        mapped: &Mapped,
        sk: &[u8],
        pk_chip: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>, PaceError> {
        match (self, mapped) {
            (Self::Ec(curve), Mapped::Ec(_)) => {
                let chip = curve.decode_point(pk_chip)?;
                Ok(curve.ecdh(sk, &chip)?)
            }
            (Self::Dh(_), Mapped::Dh(group)) => Ok(group.shared_secret(sk, pk_chip)?),
            _ => Err(PaceError::Malformed("domain and generator disagree")),
        }
    }

    /// The public key data object a token covers (§4.4.3.4, §9.4.5): `7F49 { 06 OID,
    /// 86 point }` (ECDH) or `7F49 { 06 OID, 84 y }` (DH).
    pub(super) fn public_key_data(&self, oid: &[u8], pk: &[u8]) -> Vec<u8> {
        let tag = match self {
            Self::Ec(_) => TAG_EC_POINT,
            Self::Dh(_) => TAG_DH_PUBLIC,
        };
        let mut w = Writer::new();
        w.constructed(TAG_PUBLIC_KEY, |w| {
            w.put(TAG_OID, oid);
            w.put(tag, pk);
        });
        w.into_bytes()
    }

    /// Width of the Chip Authentication Data (FE2OS at the group order's size, §4.4.5.6).
    pub(super) fn order_size(&self) -> usize {
        match self {
            Self::Ec(curve) => curve.order_size(),
            Self::Dh(group) => group.q().map_or(0, <[u8]>::len),
        }
    }
}

/// A scalar uniform in [1, order − 1], exactly `order.len()` bytes wide.
fn draw_below(rng: &mut dyn RandomSource, order: &[u8]) -> Result<Zeroizing<Vec<u8>>, PaceError> {
    let top = order.first().copied().unwrap_or(0);
    if top == 0 {
        return Err(PaceError::Malformed("group order"));
    }
    let mask = u8::MAX >> top.leading_zeros();
    for _ in 0..MAX_DRAWS {
        let mut k = Zeroizing::new(vec![0u8; order.len()]);
        rng.fill(&mut k)?;
        if let Some(first) = k.first_mut() {
            *first &= mask;
        }
        let nonzero = k.iter().fold(0u8, |acc, b| acc | b) != 0;
        if nonzero && less_than(&k, order) {
            return Ok(k);
        }
    }
    Err(crate::crypto::CryptoError::Random.into())
}

/// `a < b` for big-endian values of equal width, without early exit.
fn less_than(a: &[u8], b: &[u8]) -> bool {
    let mut borrow = 0u16;
    for (x, y) in a.iter().rev().zip(b.iter().rev()) {
        let d = u16::from(*x)
            .wrapping_sub(u16::from(*y))
            .wrapping_sub(borrow);
        borrow = (d >> 15) & 1;
    }
    borrow == 1
}

/// Bits of a big-endian value.
fn bit_length(v: &[u8]) -> usize {
    let skip = v.iter().take_while(|b| **b == 0).count();
    match v.get(skip) {
        Some(top) => (v.len() - skip) * 8 - top.leading_zeros() as usize,
        None => 0,
    }
}

/// c0 and c1 of R_p for l = 128 (3DES, AES-128), §4.4.3.3.2.
const C0_128: [u8; 16] = [
    0xa6, 0x68, 0x89, 0x2a, 0x7c, 0x41, 0xe3, 0xca, 0x73, 0x9f, 0x40, 0xb0, 0x57, 0xd8, 0x59, 0x04,
];
const C1_128: [u8; 16] = [
    0xa4, 0xe1, 0x36, 0xac, 0x72, 0x5f, 0x73, 0x8b, 0x01, 0xc1, 0xf6, 0x02, 0x17, 0xc1, 0x88, 0xad,
];
/// c0 and c1 of R_p for l = 256 (AES-192, AES-256).
const C0_256: [u8; 32] = [
    0xd4, 0x63, 0xd6, 0x52, 0x34, 0x12, 0x4e, 0xf7, 0x89, 0x70, 0x54, 0x98, 0x6d, 0xca, 0x0a, 0x17,
    0x4e, 0x28, 0xdf, 0x75, 0x8c, 0xba, 0xa0, 0x3f, 0x24, 0x06, 0x16, 0x41, 0x4d, 0x5a, 0x16, 0x76,
];
const C1_256: [u8; 32] = [
    0x54, 0xbd, 0x72, 0x55, 0xf0, 0xaa, 0xf8, 0x31, 0xbe, 0xc3, 0x42, 0x3f, 0xcf, 0x39, 0xd6, 0x9b,
    0x6c, 0xbf, 0x06, 0x66, 0x77, 0xd0, 0xfa, 0xae, 0x5a, 0xad, 0xd9, 0x9d, 0xf8, 0xe5, 0x35, 0x17,
];

/// The nonce length t of the Integrated Mapping: the cipher's key size k (3DES counts as
/// 128 bits, §4.4.3.3.2 note).
pub(super) fn im_nonce_len(cipher: CipherAlg) -> usize {
    cipher.key_len()
}

/// R(s, t) before the reduction mod p (§4.4.3.3.2 Figure 2): k_0 = E(t, s); then
/// x_i = E(k_i, c1) and k_{i+1} = E(k_i, c0), each key truncated to k bits, CBC with a zero
/// IV, n blocks with n·l ≥ log2 p + 64.
pub(super) fn pseudo_random(
    cipher: CipherAlg,
    s: &[u8],
    t: &[u8],
    p_bits: usize,
) -> Result<Zeroizing<Vec<u8>>, PaceError> {
    let k = cipher.key_len();
    let (c0, c1): (&[u8], &[u8]) = match cipher {
        CipherAlg::Tdes | CipherAlg::Aes128 => (&C0_128, &C1_128),
        CipherAlg::Aes192 | CipherAlg::Aes256 => (&C0_256, &C1_256),
    };
    let l_bits = c1.len() * 8;
    let n = (p_bits + 64).div_ceil(l_bits);
    let iv = vec![0u8; cipher.block_size()];
    let mut key = Zeroizing::new(cbc_encrypt(cipher, t, &iv, s)?);
    let mut out = Zeroizing::new(Vec::with_capacity(n * c1.len()));
    for _ in 0..n {
        let ki = key
            .get(..k)
            .ok_or(PaceError::Malformed("nonce shorter than the key size"))?;
        out.extend_from_slice(&Zeroizing::new(cbc_encrypt(cipher, ki, &iv, c1)?));
        let next = Zeroizing::new(cbc_encrypt(cipher, ki, &iv, c0)?);
        key = next;
    }
    Ok(out)
}

/// (p − 1) / q, the exponent of f_g (§4.4.3.3.2, DH).
fn cofactor_exponent(p: &[u8], q: &[u8]) -> Result<Vec<u8>, PaceError> {
    let p = BoxedUint::from_be_slice_vartime(p);
    let one = BoxedUint::one_with_precision(p.bits_precision());
    let q = BoxedUint::from_be_slice_vartime(q);
    let q = Option::from(q.to_nz()).ok_or(PaceError::Malformed("DH group order"))?;
    Ok(p.wrapping_sub(&one)
        .wrapping_div_vartime(&q)
        .to_be_bytes()
        .to_vec())
}

/// f_G: ICAO 9303-11 Appendix B.2 (Icart / simplified SWU, affine coordinates) for
/// p ≡ 3 (mod 4). `r` is R(s, t) before reduction.
fn point_encode(curve: &Curve, r: &[u8]) -> Result<Point, PaceError> {
    let f = curve.field();
    let p = curve.p();
    if p.last().is_none_or(|b| b & 3 != 3) {
        return Err(PaceError::Malformed("point encoding needs p = 3 mod 4"));
    }
    let a = f.element(curve.a())?;
    let b = f.element(curve.b())?;
    let t = f.reduce(r);
    let p_minus_2 = sub_small(p, 2);
    // p − 1 − (p + 1)/4
    let exp_a = {
        let pp = BoxedUint::from_be_slice_vartime(p);
        let one = BoxedUint::one_with_precision(pp.bits_precision());
        let quarter = pp
            .wrapping_add(&one)
            .shr_vartime(2)
            .unwrap_or_else(|| one.clone());
        pp.wrapping_sub(&one)
            .wrapping_sub(&quarter)
            .to_be_bytes()
            .to_vec()
    };
    // 1. α = −t²
    let alpha = t.square().neg();
    // 2. X2 = −b (1 + α + α²) (a (α + α²))^(p−2)
    let aa = alpha.add(&alpha.square());
    let x2 = b
        .neg()
        .mul(&f.one().add(&aa))
        .mul(&a.mul(&aa).pow(&p_minus_2));
    // 3. X3 = α X2
    let x3 = alpha.mul(&x2);
    // 4. h2 = X2³ + a X2 + b
    let h2 = x2.square().mul(&x2).add(&a.mul(&x2)).add(&b);
    // 6. U = t³ h2
    let u = t.square().mul(&t).mul(&h2);
    // 7. A = h2^(p − 1 − (p + 1)/4)
    let big_a = h2.pow(&exp_a);
    // 8. A² h2 = 1 ? (X2, A h2) : (X3, A U), chosen without branching on the secret.
    let square = big_a.square().mul(&h2).ct_eq(&f.one());
    let xa = Zeroizing::new(f.to_bytes(&x2));
    let ya = Zeroizing::new(f.to_bytes(&big_a.mul(&h2)));
    let xb = Zeroizing::new(f.to_bytes(&x3));
    let yb = Zeroizing::new(f.to_bytes(&big_a.mul(&u)));
    let choice = subtle::Choice::from(u8::from(square.to_bool()));
    let x = Zeroizing::new(select(&xb, &xa, choice));
    let y = Zeroizing::new(select(&yb, &ya, choice));
    let mut point = curve.point_from_affine(&x, &y)?;
    if curve.cofactor() != [1] {
        point = curve.mul(curve.cofactor(), &point);
    }
    if point.is_infinity() {
        return Err(EcError::Infinity.into());
    }
    Ok(point)
}

/// `if choice { a } else { b }` byte by byte (equal widths).
fn select(b: &[u8], a: &[u8], choice: subtle::Choice) -> Vec<u8> {
    b.iter()
        .zip(a)
        .map(|(x, y)| u8::conditional_select(x, y, choice))
        .collect()
}

/// v − k for a big-endian v > k.
fn sub_small(v: &[u8], k: u8) -> Vec<u8> {
    let mut out = v.to_vec();
    let mut borrow = u16::from(k);
    for b in out.iter_mut().rev() {
        let d = u16::from(*b).wrapping_sub(borrow);
        *b = (d & 0xFF) as u8;
        borrow = (d >> 15) & 1;
        if borrow == 0 {
            break;
        }
    }
    out
}

/// CAM (§4.4.3.5.2): PK_Map,IC = CA_IC · PK_IC on the static curve, compared in constant
/// time (all public values).
pub(super) fn verify_cam(
    curve: &Curve,
    ca: &[u8],
    pk_ic: &[u8],
    pk_map_ic: &[u8],
) -> Result<bool, PaceError> {
    let pk = curve.decode_point(pk_ic)?;
    let q = curve.mul_vartime(ca, &pk);
    if q.is_infinity() {
        return Ok(false);
    }
    Ok(verify_mac(&curve.encode_point(&q), pk_map_ic))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert!(less_than(&[0, 1], &[0, 2]));
        assert!(!less_than(&[0, 2], &[0, 2]));
        assert!(!less_than(&[1, 0], &[0, 0xFF]));
        assert!(less_than(&[0, 0xFF], &[1, 0]));
        assert_eq!(bit_length(&[0, 0x01, 0]), 9);
        assert_eq!(bit_length(&[]), 0);
        assert_eq!(sub_small(&[1, 0, 1], 2), vec![0, 0xFF, 0xFF]);
        assert_eq!(
            cofactor_exponent(&[0, 101], &[5]).unwrap().last(),
            Some(&20)
        );
    }

    #[test]
    fn draws_are_below_the_order_and_replay_exactly() {
        use crate::crypto::rng::FixedRandom;
        let order = [0x0A, 0xFF];
        // 0x0F?? masked to 0x0F?? (4 bits) is above 0x0AFF: redrawn; 0 is redrawn too.
        let mut rng = FixedRandom::new(vec![0x0F, 0x00, 0x00, 0x00, 0x0A, 0xFE]);
        assert_eq!(
            draw_below(&mut rng, &order).unwrap().as_slice(),
            &[0x0A, 0xFE]
        );
        let mut dry = FixedRandom::new(vec![0x0F; 10]);
        assert!(draw_below(&mut dry, &order).is_err());
    }
}
