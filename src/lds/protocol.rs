//! The protocol vocabulary of PACE and chip authentication: key agreements, mappings,
//! secure-messaging ciphers, and the decomposition of their OIDs under the BSI arc
//! `0.4.0.127.0.7.2.2` (ICAO 9303-11 §9.2, BSI TR-03110-3 §A.1.1). Shared by the LDS parsers
//! (EF.CardAccess, DG14, EF.CardSecurity) and the protocols in [`crate::access`].

use const_oid::ObjectIdentifier;

use crate::pki::oid;

/// The DER content of `bsi-de protocols smartcard` (0.4.0.127.0.7.2.2), the arc under which
/// TR-03110 and ICAO 9303-11 define PACE, CA, TA and their keys.
const BSI_SMARTCARD_PROTOCOLS: &[u8] = &[0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02];

/// `id-PK` (0.4.0.127.0.7.2.2.1): Chip Authentication public keys.
pub(crate) const ARC_PK: u8 = 0x01;
/// `id-CA` (0.4.0.127.0.7.2.2.3).
pub(crate) const ARC_CA: u8 = 0x03;
/// `id-PACE` (0.4.0.127.0.7.2.2.4).
pub(crate) const ARC_PACE: u8 = 0x04;

/// The key agreement of a PACE or chip authentication protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum KeyAgreement {
    /// Diffie-Hellman over a prime field (`-DH-`).
    Dh,
    /// Elliptic-curve Diffie-Hellman (`-ECDH-`).
    Ecdh,
}

/// The nonce mapping of PACE (ICAO 9303-11 §4.4.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Mapping {
    /// Generic Mapping (`-GM-`).
    Generic,
    /// Integrated Mapping (`-IM-`).
    Integrated,
    /// Chip Authentication Mapping (`-CAM-`, ECDH only).
    ChipAuthentication,
}

/// The secure-messaging cipher and MAC a PACE or CA protocol establishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Cipher {
    /// `-3DES-CBC-CBC`: two-key 3DES in CBC mode, retail MAC.
    TripleDesCbcCbc,
    /// `-AES-CBC-CMAC-128`.
    AesCbcCmac128,
    /// `-AES-CBC-CMAC-192`.
    AesCbcCmac192,
    /// `-AES-CBC-CMAC-256`.
    AesCbcCmac256,
}

impl Cipher {
    /// The block cipher of the secure-messaging session this suite establishes (PACE and CA).
    pub fn alg(self) -> crate::crypto::CipherAlg {
        use crate::crypto::CipherAlg;
        match self {
            Cipher::TripleDesCbcCbc => CipherAlg::Tdes,
            Cipher::AesCbcCmac128 => CipherAlg::Aes128,
            Cipher::AesCbcCmac192 => CipherAlg::Aes192,
            Cipher::AesCbcCmac256 => CipherAlg::Aes256,
        }
    }

    fn from_arc(arc: u8) -> Option<Self> {
        match arc {
            1 => Some(Self::TripleDesCbcCbc),
            2 => Some(Self::AesCbcCmac128),
            3 => Some(Self::AesCbcCmac192),
            4 => Some(Self::AesCbcCmac256),
            _ => None,
        }
    }

    fn arc(self) -> u8 {
        match self {
            Self::TripleDesCbcCbc => 1,
            Self::AesCbcCmac128 => 2,
            Self::AesCbcCmac192 => 3,
            Self::AesCbcCmac256 => 4,
        }
    }

    /// The session key length in bytes (16 for two-key 3DES).
    pub fn key_len(self) -> usize {
        match self {
            Self::TripleDesCbcCbc | Self::AesCbcCmac128 => 16,
            Self::AesCbcCmac192 => 24,
            Self::AesCbcCmac256 => 32,
        }
    }
}

/// A PACE protocol OID decomposed: `id-PACE-{DH,ECDH}-{GM,IM,CAM}-{cipher}`
/// (ICAO 9303-11 §9.2.1, 0.4.0.127.0.7.2.2.4.{1,2,3,4,6}.{1..4}).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PaceProtocol {
    /// DH or ECDH.
    pub key_agreement: KeyAgreement,
    /// GM, IM or CAM.
    pub mapping: Mapping,
    /// The secure-messaging cipher.
    pub cipher: Cipher,
}

impl PaceProtocol {
    /// Decomposes an `id-PACE-*` OID; `None` for any other OID, including CAM with 3DES,
    /// which the specification does not define.
    pub fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
        match bsi_suffix(oid)? {
            [ARC_PACE, family, cipher] => {
                let (key_agreement, mapping) = pace_family(*family)?;
                let cipher = Cipher::from_arc(*cipher)?;
                if mapping == Mapping::ChipAuthentication && cipher == Cipher::TripleDesCbcCbc {
                    return None;
                }
                Some(Self {
                    key_agreement,
                    mapping,
                    cipher,
                })
            }
            _ => None,
        }
    }

    /// The protocol's OID.
    pub fn oid(&self) -> ObjectIdentifier {
        bsi_oid(&[
            ARC_PACE,
            pace_family_arc(self.key_agreement, self.mapping),
            self.cipher.arc(),
        ])
    }
}

pub(crate) fn pace_family(arc: u8) -> Option<(KeyAgreement, Mapping)> {
    match arc {
        1 => Some((KeyAgreement::Dh, Mapping::Generic)),
        2 => Some((KeyAgreement::Ecdh, Mapping::Generic)),
        3 => Some((KeyAgreement::Dh, Mapping::Integrated)),
        4 => Some((KeyAgreement::Ecdh, Mapping::Integrated)),
        6 => Some((KeyAgreement::Ecdh, Mapping::ChipAuthentication)),
        _ => None,
    }
}

pub(crate) fn pace_family_arc(key_agreement: KeyAgreement, mapping: Mapping) -> u8 {
    match (key_agreement, mapping) {
        (KeyAgreement::Dh, Mapping::Generic) => 1,
        (KeyAgreement::Ecdh, Mapping::Generic) => 2,
        (KeyAgreement::Dh, Mapping::Integrated) => 3,
        (KeyAgreement::Ecdh, Mapping::Integrated) => 4,
        // CAM exists for ECDH only; `from_oid` never builds DH-CAM.
        (_, Mapping::ChipAuthentication) => 6,
    }
}

/// A chip authentication protocol OID decomposed: `id-CA-{DH,ECDH}-{cipher}`
/// (BSI TR-03110-3 §A.1.1.2, ICAO 9303-11 §9.2.5, 0.4.0.127.0.7.2.2.3.{1,2}.{1..4}).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ChipAuthenticationProtocol {
    /// DH or ECDH.
    pub key_agreement: KeyAgreement,
    /// The secure-messaging cipher after chip authentication.
    pub cipher: Cipher,
}

impl ChipAuthenticationProtocol {
    /// Decomposes an `id-CA-*` OID; `None` for any other OID.
    pub fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
        match bsi_suffix(oid)? {
            [ARC_CA, ka, cipher] => Some(Self {
                key_agreement: key_agreement_from_arc(*ka)?,
                cipher: Cipher::from_arc(*cipher)?,
            }),
            _ => None,
        }
    }

    /// The protocol's OID.
    pub fn oid(&self) -> ObjectIdentifier {
        bsi_oid(&[
            ARC_CA,
            key_agreement_arc(self.key_agreement),
            self.cipher.arc(),
        ])
    }
}

pub(crate) fn key_agreement_from_arc(arc: u8) -> Option<KeyAgreement> {
    match arc {
        1 => Some(KeyAgreement::Dh),
        2 => Some(KeyAgreement::Ecdh),
        _ => None,
    }
}

pub(crate) fn key_agreement_arc(ka: KeyAgreement) -> u8 {
    match ka {
        KeyAgreement::Dh => 1,
        KeyAgreement::Ecdh => 2,
    }
}

/// The arcs after 0.4.0.127.0.7.2.2, when every one is a single-byte arc.
pub(crate) fn bsi_suffix(oid: &ObjectIdentifier) -> Option<&[u8]> {
    let suffix = oid.as_bytes().strip_prefix(BSI_SMARTCARD_PROTOCOLS)?;
    if suffix.iter().any(|b| *b >= 0x80) {
        return None;
    }
    Some(suffix)
}

pub(crate) fn bsi_oid(suffix: &[u8]) -> ObjectIdentifier {
    let mut bytes = BSI_SMARTCARD_PROTOCOLS.to_vec();
    bytes.extend_from_slice(suffix);
    // Every suffix built here is 1..=3 arcs below 128: a valid OID of at most 10 bytes.
    ObjectIdentifier::from_bytes(&bytes).unwrap_or(oid::ID_TA)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pace_oids_round_trip() {
        for family in [1u8, 2, 3, 4, 6] {
            for cipher in 1u8..=4 {
                let o = bsi_oid(&[ARC_PACE, family, cipher]);
                match PaceProtocol::from_oid(&o) {
                    Some(p) => assert_eq!(p.oid(), o),
                    None => assert_eq!((family, cipher), (6, 1)),
                }
            }
        }
        let p = PaceProtocol::from_oid(&ObjectIdentifier::new_unwrap("0.4.0.127.0.7.2.2.4.6.4"));
        assert_eq!(
            p,
            Some(PaceProtocol {
                key_agreement: KeyAgreement::Ecdh,
                mapping: Mapping::ChipAuthentication,
                cipher: Cipher::AesCbcCmac256
            })
        );
        assert_eq!(
            PaceProtocol::from_oid(&ObjectIdentifier::new_unwrap("0.4.0.127.0.7.2.2.4.5.2")),
            None
        );
    }

    #[test]
    fn ca_oids_round_trip() {
        let o = ObjectIdentifier::new_unwrap("0.4.0.127.0.7.2.2.3.1.1");
        let p = ChipAuthenticationProtocol::from_oid(&o).unwrap();
        assert_eq!(p.key_agreement, KeyAgreement::Dh);
        assert_eq!(p.cipher, Cipher::TripleDesCbcCbc);
        assert_eq!(p.oid(), o);
        assert_eq!(ChipAuthenticationProtocol::from_oid(&oid::ID_PK_ECDH), None);
    }
}
