//! Finite-field Diffie-Hellman over MODP groups: the three PACE standardized DH groups
//! (ICAO 9303-11 §9.5.1, ids 0..=2 = RFC 5114 §2.1-2.3) and groups given explicitly (DG14
//! `DHParameter`, a PACE Generic Mapping's ĝ = g^s · h).
//!
//! ```
//! # #[cfg(feature = "internals")] {
//! use cccd::crypto::dh::DhGroup;
//! use cccd::crypto::rng::SeededRandom;
//!
//! let group = DhGroup::from_pace_id(0).unwrap(); // 1024-bit MODP, 160-bit subgroup
//! let mut rng = SeededRandom::new(7);
//! let (xa, ya) = group.generate_keypair(&mut rng).unwrap();
//! let (xb, yb) = group.generate_keypair(&mut rng).unwrap();
//! assert_eq!(ya.len(), group.modulus_size());
//! assert_eq!(*group.shared_secret(&xa, &yb).unwrap(), *group.shared_secret(&xb, &ya).unwrap());
//! # }
//! ```

use thiserror::Error;
use zeroize::{Zeroize, Zeroizing};

use super::ec::field::{FieldElement, PrimeField};
use super::rng::RandomSource;

/// Why a DH operation failed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum DhError {
    /// Group parameters that are malformed (even or tiny modulus, generator out of range).
    #[error("invalid DH parameters: {0}")]
    InvalidParameters(&'static str),
    /// A public value outside 1 < y < p−1, or not in the order-q subgroup.
    #[error("invalid DH public value")]
    InvalidPublicKey,
    /// A private exponent that is zero or empty.
    #[error("invalid DH private value")]
    InvalidPrivateKey,
    /// The random source failed.
    #[error("random source failed")]
    Random,
}

/// The smallest modulus accepted (1024 bits: the smallest PACE group).
const MIN_MODULUS_BYTES: usize = 128;
/// The largest modulus accepted (4096 bits).
const MAX_MODULUS_BYTES: usize = 512;

/// A MODP group: prime p, generator g, and optionally the prime order q of g.
///
/// The generator is wiped on drop: after a PACE mapping it is ĝ = g^s · h, derived from the
/// nonce and the mapping's shared secret.
#[derive(Clone, PartialEq, Eq)]
pub struct DhGroup {
    field: PrimeField,
    g: Vec<u8>,
    q: Option<Vec<u8>>,
}

impl core::fmt::Debug for DhGroup {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "DhGroup({}-bit p, q {})",
            self.field.len() * 8,
            if self.q.is_some() { "known" } else { "unknown" }
        )
    }
}

impl Drop for DhGroup {
    fn drop(&mut self) {
        self.g.zeroize();
    }
}

impl DhGroup {
    /// The PACE standardized DH group with id 0, 1 or 2 (ICAO 9303-11 §9.5.1): RFC 5114 §2.1
    /// (1024-bit MODP, 160-bit q), §2.2 (2048/224), §2.3 (2048/256).
    pub fn from_pace_id(id: u8) -> Option<Self> {
        let (p, g, q) = match id {
            0 => (RFC5114_1024_160.0, RFC5114_1024_160.1, RFC5114_1024_160.2),
            1 => (RFC5114_2048_224.0, RFC5114_2048_224.1, RFC5114_2048_224.2),
            2 => (RFC5114_2048_256.0, RFC5114_2048_256.1, RFC5114_2048_256.2),
            _ => return None,
        };
        let p = hex::decode(p).ok()?;
        let g = hex::decode(g).ok()?;
        let q = hex::decode(q).ok()?;
        Self::from_params(&p, &g, Some(&q)).ok()
    }

    /// A group from explicit parameters (big-endian, leading zeros tolerated): p odd and
    /// 1024..=4096 bits, 1 < g < p−1, q (when given) nonzero and g^q = 1.
    pub fn from_params(p: &[u8], g: &[u8], q: Option<&[u8]>) -> Result<Self, DhError> {
        let p = strip(p);
        if p.len() < MIN_MODULUS_BYTES || p.len() > MAX_MODULUS_BYTES {
            return Err(DhError::InvalidParameters("modulus size"));
        }
        let field =
            PrimeField::without_sqrt(p).map_err(|_| DhError::InvalidParameters("modulus"))?;
        let q = match q.map(strip) {
            Some([]) => return Err(DhError::InvalidParameters("order")),
            Some(q) if q.len() > p.len() => return Err(DhError::InvalidParameters("order")),
            Some(q) => Some(q.to_vec()),
            None => None,
        };
        let mut group = Self {
            g: Vec::new(),
            field,
            q,
        };
        let g = group
            .checked_element(g)
            .map_err(|_| DhError::InvalidParameters("generator"))?;
        if let Some(q) = &group.q {
            if g.pow(q) != group.field.one() {
                return Err(DhError::InvalidParameters("g^q ≠ 1"));
            }
        }
        group.g = group.field.to_bytes(&g);
        Ok(group)
    }

    /// The same group with another generator (PACE Generic Mapping: ĝ = g^s · h, ICAO
    /// 9303-11 §4.4.3.3.1); q is kept, and ĝ^q = 1 is checked when q is known.
    pub fn with_generator(&self, g: &[u8]) -> Result<Self, DhError> {
        let q = self.q.as_deref();
        let p = self.field.modulus_bytes();
        Self::from_params(&p, g, q)
    }

    /// Bytes of p: public values and shared secrets have this full width.
    pub fn modulus_size(&self) -> usize {
        self.field.len()
    }

    /// p at full width.
    pub fn p(&self) -> Vec<u8> {
        self.field.modulus_bytes()
    }

    /// g at full width.
    pub fn g(&self) -> &[u8] {
        &self.g
    }

    /// q without leading zeros, when known.
    pub fn q(&self) -> Option<&[u8]> {
        self.q.as_deref()
    }

    /// The field GF(p), for the mappings' arithmetic.
    pub fn field(&self) -> &PrimeField {
        &self.field
    }

    /// g^x mod p at full width (constant time in x).
    pub fn public_key(&self, private: &[u8]) -> Vec<u8> {
        self.pow_mod(&self.g, private)
            .unwrap_or_else(|_| vec![0; self.modulus_size()])
    }

    /// base^exp mod p at full width; base must be below p. Constant time in `exp`, whose
    /// temporaries are wiped; the result is the caller's to wipe when it is secret (PACE
    /// callers hold it in `Zeroizing`).
    pub fn pow_mod(&self, base: &[u8], exp: &[u8]) -> Result<Vec<u8>, DhError> {
        let b = self
            .field
            .element(base)
            .map_err(|_| DhError::InvalidPublicKey)?;
        Ok(self.field.to_bytes(&b.pow(exp)))
    }

    /// a · b mod p at full width; both below p.
    pub fn mul_mod(&self, a: &[u8], b: &[u8]) -> Result<Vec<u8>, DhError> {
        let a = self
            .field
            .element(a)
            .map_err(|_| DhError::InvalidPublicKey)?;
        let b = self
            .field
            .element(b)
            .map_err(|_| DhError::InvalidPublicKey)?;
        Ok(self.field.to_bytes(&a.mul(&b)))
    }

    /// The shared secret y^x mod p at full width, after checking the peer's value: 1 < y <
    /// p−1, and y^q = 1 when q is known (small-subgroup protection, BSI TR-03110-3 A.3.4).
    pub fn shared_secret(
        &self,
        private: &[u8],
        public: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>, DhError> {
        if strip(private).is_empty() {
            return Err(DhError::InvalidPrivateKey);
        }
        let y = self
            .checked_element(public)
            .map_err(|_| DhError::InvalidPublicKey)?;
        if let Some(q) = &self.q {
            if y.pow(q) != self.field.one() {
                return Err(DhError::InvalidPublicKey);
            }
        }
        let k = y.pow(private);
        if k == self.field.one() {
            return Err(DhError::InvalidPublicKey);
        }
        Ok(Zeroizing::new(self.field.to_bytes(&k)))
    }

    /// A fresh key pair: x uniform in [1, q−1] when q is known (q's size + 8 random bytes
    /// reduced mod q), else a 256-bit random x; y = g^x.
    pub fn generate_keypair(
        &self,
        rng: &mut dyn RandomSource,
    ) -> Result<(Zeroizing<Vec<u8>>, Vec<u8>), DhError> {
        for _ in 0..16 {
            let x = match &self.q {
                Some(q) => {
                    let qf =
                        PrimeField::without_sqrt(q).map_err(|_| DhError::InvalidParameters("q"))?;
                    let mut buf = Zeroizing::new(vec![0u8; q.len() + 8]);
                    rng.fill(&mut buf).map_err(|_| DhError::Random)?;
                    let x = qf.reduce(&buf);
                    if x.is_zero() {
                        continue;
                    }
                    Zeroizing::new(qf.to_bytes(&x))
                }
                None => {
                    let mut buf = Zeroizing::new(vec![0u8; 32]);
                    rng.fill(&mut buf).map_err(|_| DhError::Random)?;
                    if strip(&buf).is_empty() {
                        continue;
                    }
                    buf
                }
            };
            let y = self.public_key(&x);
            return Ok((x, y));
        }
        Err(DhError::Random)
    }

    /// An element with 1 < v < p−1.
    fn checked_element(&self, v: &[u8]) -> Result<FieldElement, DhError> {
        let e = self
            .field
            .element(v)
            .map_err(|_| DhError::InvalidPublicKey)?;
        let one = self.field.one();
        if e.is_zero() || e == one || e == one.neg() {
            return Err(DhError::InvalidPublicKey);
        }
        Ok(e)
    }
}

fn strip(v: &[u8]) -> &[u8] {
    let skip = v.iter().take_while(|b| **b == 0).count();
    v.get(skip..).unwrap_or(&[])
}

/// RFC 5114 §2.1: 1024-bit MODP Group with 160-bit Prime Order Subgroup (p, g, q).
const RFC5114_1024_160: (&str, &str, &str) = (
    "B10B8F96A080E01DDE92DE5EAE5D54EC52C99FBCFB06A3C69A6A9DCA52D23B616073E28675A23D189838EF1E2EE652C013ECB4AEA906112324975C3CD49B83BFACCBDD7D90C4BD7098488E9C219A73724EFFD6FAE5644738FAA31A4FF55BCCC0A151AF5F0DC8B4BD45BF37DF365C1A65E68CFDA76D4DA708DF1FB2BC2E4A4371",
    "A4D1CBD5C3FD34126765A442EFB99905F8104DD258AC507FD6406CFF14266D31266FEA1E5C41564B777E690F5504F213160217B4B01B886A5E91547F9E2749F4D7FBD7D3B9A92EE1909D0D2263F80A76A6A24C087A091F531DBF0A0169B6A28AD662A4D18E73AFA32D779D5918D08BC8858F4DCEF97C2A24855E6EEB22B3B2E5",
    "F518AA8781A8DF278ABA4E7D64B7CB9D49462353",
);

/// RFC 5114 §2.2: 2048-bit MODP Group with 224-bit Prime Order Subgroup (p, g, q).
const RFC5114_2048_224: (&str, &str, &str) = (
    "AD107E1E9123A9D0D660FAA79559C51FA20D64E5683B9FD1B54B1597B61D0A75E6FA141DF95A56DBAF9A3C407BA1DF15EB3D688A309C180E1DE6B85A1274A0A66D3F8152AD6AC2129037C9EDEFDA4DF8D91E8FEF55B7394B7AD5B7D0B6C12207C9F98D11ED34DBF6C6BA0B2C8BBC27BE6A00E0A0B9C49708B3BF8A317091883681286130BC8985DB1602E714415D9330278273C7DE31EFDC7310F7121FD5A07415987D9ADC0A486DCDF93ACC44328387315D75E198C641A480CD86A1B9E587E8BE60E69CC928B2B9C52172E413042E9B23F10B0E16E79763C9B53DCF4BA80A29E3FB73C16B8E75B97EF363E2FFA31F71CF9DE5384E71B81C0AC4DFFE0C10E64F",
    "AC4032EF4F2D9AE39DF30B5C8FFDAC506CDEBE7B89998CAF74866A08CFE4FFE3A6824A4E10B9A6F0DD921F01A70C4AFAAB739D7700C29F52C57DB17C620A8652BE5E9001A8D66AD7C17669101999024AF4D027275AC1348BB8A762D0521BC98AE247150422EA1ED409939D54DA7460CDB5F6C6B250717CBEF180EB34118E98D119529A45D6F834566E3025E316A330EFBB77A86F0C1AB15B051AE3D428C8F8ACB70A8137150B8EEB10E183EDD19963DDD9E263E4770589EF6AA21E7F5F2FF381B539CCE3409D13CD566AFBB48D6C019181E1BCFE94B30269EDFE72FE9B6AA4BD7B5A0F1C71CFFF4C19C418E1F6EC017981BC087F2A7065B384B890D3191F2BFA",
    "801C0D34C58D93FE997177101F80535A4738CEBCBF389A99B36371EB",
);

/// RFC 5114 §2.3: 2048-bit MODP Group with 256-bit Prime Order Subgroup (p, g, q).
const RFC5114_2048_256: (&str, &str, &str) = (
    "87A8E61DB4B6663CFFBBD19C651959998CEEF608660DD0F25D2CEED4435E3B00E00DF8F1D61957D4FAF7DF4561B2AA3016C3D91134096FAA3BF4296D830E9A7C209E0C6497517ABD5A8A9D306BCF67ED91F9E6725B4758C022E0B1EF4275BF7B6C5BFC11D45F9088B941F54EB1E59BB8BC39A0BF12307F5C4FDB70C581B23F76B63ACAE1CAA6B7902D52526735488A0EF13C6D9A51BFA4AB3AD8347796524D8EF6A167B5A41825D967E144E5140564251CCACB83E6B486F6B3CA3F7971506026C0B857F689962856DED4010ABD0BE621C3A3960A54E710C375F26375D7014103A4B54330C198AF126116D2276E11715F693877FAD7EF09CADB094AE91E1A1597",
    "3FB32C9B73134D0B2E77506660EDBD484CA7B18F21EF205407F4793A1A0BA12510DBC15077BE463FFF4FED4AAC0BB555BE3A6C1B0C6B47B1BC3773BF7E8C6F62901228F8C28CBB18A55AE31341000A650196F931C77A57F2DDF463E5E9EC144B777DE62AAAB8A8628AC376D282D6ED3864E67982428EBC831D14348F6F2F9193B5045AF2767164E1DFC967C1FB3F2E55A4BD1BFFE83B9C80D052B985D182EA0ADB2A3B7313D3FE14C8484B1E052588B9B7D2BBD2DF016199ECD06E1557CD0915B3353BBB64E0EC377FD028370DF92B52C7891428CDC67EB6184B523D1DB246C32F63078490F00EF8D647D148D47954515E2327CFEF98C582664B4C0F6CC41659",
    "8CF83642A709A097B447997640129DA299B1A47D1EB3750BA308B0FE64F5FBD3",
);
