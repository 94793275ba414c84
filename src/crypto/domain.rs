//! The standardized domain parameters of ICAO 9303-11 §9.5.1 (BSI TR-03110-3 Table 4): the one
//! table from a `parameterId` to its group or curve, used by the LDS parsers (PACEInfo), PACE
//! and chip authentication.

use super::ec::NamedCurve;

/// The standardized domain parameters of ICAO 9303-11 §9.5.1 (BSI TR-03110-3 Table 4),
/// named by `parameterId`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum StandardizedDomainParameters {
    /// 0: 1024-bit MODP group with 160-bit prime order subgroup (RFC 5114 §2.1).
    Modp1024Sub160,
    /// 1: 2048-bit MODP group with 224-bit prime order subgroup (RFC 5114 §2.2).
    Modp2048Sub224,
    /// 2: 2048-bit MODP group with 256-bit prime order subgroup (RFC 5114 §2.3).
    Modp2048Sub256,
    /// 8: NIST P-192 (secp192r1).
    NistP192,
    /// 9: brainpoolP192r1.
    BrainpoolP192r1,
    /// 10: NIST P-224 (secp224r1).
    NistP224,
    /// 11: brainpoolP224r1.
    BrainpoolP224r1,
    /// 12: NIST P-256 (secp256r1).
    NistP256,
    /// 13: brainpoolP256r1.
    BrainpoolP256r1,
    /// 14: brainpoolP320r1.
    BrainpoolP320r1,
    /// 15: NIST P-384 (secp384r1).
    NistP384,
    /// 16: brainpoolP384r1.
    BrainpoolP384r1,
    /// 17: brainpoolP512r1.
    BrainpoolP512r1,
    /// 18: NIST P-521 (secp521r1).
    NistP521,
}

impl StandardizedDomainParameters {
    /// Every standardized set, in `parameterId` order.
    pub const ALL: [Self; 14] = [
        Self::Modp1024Sub160,
        Self::Modp2048Sub224,
        Self::Modp2048Sub256,
        Self::NistP192,
        Self::BrainpoolP192r1,
        Self::NistP224,
        Self::BrainpoolP224r1,
        Self::NistP256,
        Self::BrainpoolP256r1,
        Self::BrainpoolP320r1,
        Self::NistP384,
        Self::BrainpoolP384r1,
        Self::BrainpoolP512r1,
        Self::NistP521,
    ];

    /// The parameters named by `id`; `None` for the reserved ids 3..=7 and 19..=31.
    pub fn from_id(id: u64) -> Option<Self> {
        Self::ALL.into_iter().find(|p| u64::from(p.id()) == id)
    }

    /// The `parameterId` of these parameters: the table of ICAO 9303-11 §9.5.1.
    pub fn id(self) -> u8 {
        match self {
            Self::Modp1024Sub160 => 0,
            Self::Modp2048Sub224 => 1,
            Self::Modp2048Sub256 => 2,
            Self::NistP192 => 8,
            Self::BrainpoolP192r1 => 9,
            Self::NistP224 => 10,
            Self::BrainpoolP224r1 => 11,
            Self::NistP256 => 12,
            Self::BrainpoolP256r1 => 13,
            Self::BrainpoolP320r1 => 14,
            Self::NistP384 => 15,
            Self::BrainpoolP384r1 => 16,
            Self::BrainpoolP512r1 => 17,
            Self::NistP521 => 18,
        }
    }

    /// True for the RFC 5114 MODP groups (ids 0..=2, Diffie-Hellman); false for the curves.
    pub fn is_modp_group(self) -> bool {
        self.named_curve().is_none()
    }

    /// The elliptic curve of these parameters (`None` for a MODP group).
    pub fn named_curve(self) -> Option<NamedCurve> {
        Some(match self {
            Self::Modp1024Sub160 | Self::Modp2048Sub224 | Self::Modp2048Sub256 => return None,
            Self::NistP192 => NamedCurve::P192,
            Self::BrainpoolP192r1 => NamedCurve::BrainpoolP192r1,
            Self::NistP224 => NamedCurve::P224,
            Self::BrainpoolP224r1 => NamedCurve::BrainpoolP224r1,
            Self::NistP256 => NamedCurve::P256,
            Self::BrainpoolP256r1 => NamedCurve::BrainpoolP256r1,
            Self::BrainpoolP320r1 => NamedCurve::BrainpoolP320r1,
            Self::NistP384 => NamedCurve::P384,
            Self::BrainpoolP384r1 => NamedCurve::BrainpoolP384r1,
            Self::BrainpoolP512r1 => NamedCurve::BrainpoolP512r1,
            Self::NistP521 => NamedCurve::P521,
        })
    }

    /// The MODP group of these parameters (`None` for a curve).
    pub fn dh_group(self) -> Option<super::dh::DhGroup> {
        if self.is_modp_group() {
            super::dh::DhGroup::from_pace_id(self.id())
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Until `crypto::ec` and `crypto::dh` take their ids from this table, they must agree
    /// with it (ICAO 9303-11 §9.5.1: 8 = P-192 ... 18 = P-521; 0..=2 = RFC 5114 groups).
    #[test]
    fn curve_and_group_ids_agree() {
        for p in StandardizedDomainParameters::ALL {
            match p.named_curve() {
                Some(c) => {
                    assert_eq!(c.pace_id(), p.id());
                    assert_eq!(NamedCurve::from_pace_id(p.id()), Some(c));
                }
                None => assert!(p.dh_group().is_some()),
            }
        }
        assert_eq!(StandardizedDomainParameters::from_id(3), None);
        assert_eq!(StandardizedDomainParameters::from_id(19), None);
    }
}
