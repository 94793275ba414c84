//! SecurityInfos: the protocols a chip offers, as found in EF.CardAccess, DG14 and the signed
//! content of EF.CardSecurity (ICAO 9303-11 §9.2, BSI TR-03110-3 §A.1).
//!
//! ```text
//! SecurityInfos ::= SET OF SecurityInfo
//!
//! SecurityInfo ::= SEQUENCE {
//!     protocol     OBJECT IDENTIFIER,
//!     requiredData ANY DEFINED BY protocol,
//!     optionalData ANY DEFINED BY protocol OPTIONAL
//! }
//! ```
//!
//! The SET is kept in the order the chip stores it (a DER decoder would re-sort it), so the raw
//! file bytes, the hash in the SOD and this list all describe the same thing. Infos whose
//! protocol we do not know are kept raw ([`UnknownSecurityInfo`]).
//!
//! ```
//! use cccd::lds::security_info::{Cipher, KeyAgreement, Mapping, SecurityInfo, SecurityInfos};
//! // EF.CardAccess of a real CCCD (DESIGN.md §1).
//! let bytes = hex::decode(
//!     "3134300d060804007f0007020202020101300f060a04007f000702020302020201013012060a04007f\
//!      0007020204020202010202010d",
//! ).unwrap();
//! let infos = SecurityInfos::parse(&bytes).unwrap();
//! let pace = infos.pace_infos().next().unwrap();
//! assert_eq!(pace.protocol.key_agreement, KeyAgreement::Ecdh);
//! assert_eq!(pace.protocol.mapping, Mapping::Generic);
//! assert_eq!(pace.protocol.cipher, Cipher::AesCbcCmac128);
//! assert_eq!(pace.parameter_id, Some(13));
//! ```

use const_oid::ObjectIdentifier;
use thiserror::Error;

use crate::tlv::{self, Reader, Tag, Tlv, TlvError};

/// `SET` (universal 17, constructed).
pub const TAG_SET: Tag = Tag(0x31);
/// `SEQUENCE` (universal 16, constructed).
pub const TAG_SEQUENCE: Tag = Tag(0x30);
/// `INTEGER`.
pub const TAG_INTEGER: Tag = Tag(0x02);
/// `BIT STRING`.
pub const TAG_BIT_STRING: Tag = Tag(0x03);
/// `OCTET STRING`.
pub const TAG_OCTET_STRING: Tag = Tag(0x04);
/// `NULL`.
pub const TAG_NULL: Tag = Tag(0x05);
/// `OBJECT IDENTIFIER`.
pub const TAG_OID: Tag = Tag(0x06);

/// The DER content of `bsi-de protocols smartcard` (0.4.0.127.0.7.2.2), the arc under which
/// TR-03110 and ICAO 9303-11 define PACE, CA, TA and their keys.
const BSI_SMARTCARD_PROTOCOLS: &[u8] = &[0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02];

/// `id-CA` (0.4.0.127.0.7.2.2.3).
const ARC_CA: u8 = 0x03;
/// `id-PACE` (0.4.0.127.0.7.2.2.4).
const ARC_PACE: u8 = 0x04;

/// `id-TA` (BSI TR-03110-3 §A.1.1.3, ICAO 9303-11 §9.2.7).
pub const ID_TA: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.127.0.7.2.2.2");
/// `id-PK-DH` (BSI TR-03110-3 §A.1.1.2).
pub const ID_PK_DH: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.127.0.7.2.2.1.1");
/// `id-PK-ECDH` (BSI TR-03110-3 §A.1.1.2).
pub const ID_PK_ECDH: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.127.0.7.2.2.1.2");
/// `id-icao-mrtd-security-aaProtocolObject` (ICAO 9303-11 §9.2.9): Active Authentication.
pub const ID_AA: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.23.136.1.1.5");
/// `id-EFDIR` (ICAO 9303-11 §9.2.11): a copy of EF.DIR.
pub const ID_EF_DIR: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.23.136.1.1.13");
/// `rsaEncryption` (RFC 8017 Appendix C).
pub const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
/// `id-ecPublicKey` (RFC 5480 §2.1.1).
pub const ID_EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
/// `dhpublicnumber` (ANSI X9.42, RFC 3279 §2.3.3): the DH keys of chip authentication.
pub const DH_PUBLIC_NUMBER: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10046.2.1");
/// `prime-field` (ANSI X9.62, RFC 3279 §2.3.5).
pub const PRIME_FIELD: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.1.1");

/// Malformed or unsupported security data (SecurityInfos, DG14, DG15, public keys).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum SecurityInfoError {
    /// The TLV structure is broken.
    #[error(transparent)]
    Tlv(#[from] TlvError),
    /// An OBJECT IDENTIFIER that is not valid BER (or longer than 39 bytes).
    #[error("invalid OBJECT IDENTIFIER at offset {offset}")]
    InvalidOid {
        /// Offset of the OID's value.
        offset: usize,
    },
    /// An INTEGER that is empty, negative, or too large for the field it fills.
    #[error("invalid INTEGER at offset {offset}")]
    InvalidInteger {
        /// Offset of the INTEGER's value.
        offset: usize,
    },
    /// A BIT STRING that is empty or has unused bits where whole bytes are required.
    #[error("invalid BIT STRING at offset {offset}")]
    InvalidBitString {
        /// Offset of the BIT STRING's value.
        offset: usize,
    },
    /// A value of the wrong size or form (a FileID that is not 2 bytes, an EC point that is
    /// not a point encoding, an RSA modulus of zero).
    #[error("invalid value at offset {offset}: {what}")]
    InvalidValue {
        /// Offset of the value.
        offset: usize,
        /// What was expected.
        what: &'static str,
    },
    /// Well-formed, but something we do not handle (an EC field of characteristic two).
    #[error("unsupported at offset {offset}: {what}")]
    Unsupported {
        /// Offset of the element.
        offset: usize,
        /// What is not supported.
        what: &'static str,
    },
}

/// The key agreement of a PACE or chip authentication protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
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

fn pace_family(arc: u8) -> Option<(KeyAgreement, Mapping)> {
    match arc {
        1 => Some((KeyAgreement::Dh, Mapping::Generic)),
        2 => Some((KeyAgreement::Ecdh, Mapping::Generic)),
        3 => Some((KeyAgreement::Dh, Mapping::Integrated)),
        4 => Some((KeyAgreement::Ecdh, Mapping::Integrated)),
        6 => Some((KeyAgreement::Ecdh, Mapping::ChipAuthentication)),
        _ => None,
    }
}

fn pace_family_arc(key_agreement: KeyAgreement, mapping: Mapping) -> u8 {
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

fn key_agreement_from_arc(arc: u8) -> Option<KeyAgreement> {
    match arc {
        1 => Some(KeyAgreement::Dh),
        2 => Some(KeyAgreement::Ecdh),
        _ => None,
    }
}

fn key_agreement_arc(ka: KeyAgreement) -> u8 {
    match ka {
        KeyAgreement::Dh => 1,
        KeyAgreement::Ecdh => 2,
    }
}

/// The arcs after 0.4.0.127.0.7.2.2, when every one is a single-byte arc.
fn bsi_suffix(oid: &ObjectIdentifier) -> Option<&[u8]> {
    let suffix = oid.as_bytes().strip_prefix(BSI_SMARTCARD_PROTOCOLS)?;
    if suffix.iter().any(|b| *b >= 0x80) {
        return None;
    }
    Some(suffix)
}

fn bsi_oid(suffix: &[u8]) -> ObjectIdentifier {
    let mut bytes = BSI_SMARTCARD_PROTOCOLS.to_vec();
    bytes.extend_from_slice(suffix);
    // Every suffix built here is 1..=3 arcs below 128: a valid OID of at most 10 bytes.
    ObjectIdentifier::from_bytes(&bytes).unwrap_or(ID_TA)
}

/// The standardized domain parameters of ICAO 9303-11 §9.5.1 (BSI TR-03110-3 Table 4),
/// named by `parameterId`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
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
    /// The parameters named by `id`; `None` for the reserved ids 3..=7 and 19..=31.
    pub fn from_id(id: u64) -> Option<Self> {
        Some(match id {
            0 => Self::Modp1024Sub160,
            1 => Self::Modp2048Sub224,
            2 => Self::Modp2048Sub256,
            8 => Self::NistP192,
            9 => Self::BrainpoolP192r1,
            10 => Self::NistP224,
            11 => Self::BrainpoolP224r1,
            12 => Self::NistP256,
            13 => Self::BrainpoolP256r1,
            14 => Self::BrainpoolP320r1,
            15 => Self::NistP384,
            16 => Self::BrainpoolP384r1,
            17 => Self::BrainpoolP512r1,
            18 => Self::NistP521,
            _ => return None,
        })
    }

    /// The `parameterId` of these parameters.
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

    /// The key agreement these parameters serve: ids 0..=2 are MODP groups (DH), the rest
    /// elliptic curves (ECDH).
    pub fn key_agreement(self) -> KeyAgreement {
        if self.id() <= 2 {
            KeyAgreement::Dh
        } else {
            KeyAgreement::Ecdh
        }
    }
}

/// The parsed contents of EF.CardAccess, DG14 or EF.CardSecurity's signed content.
///
/// ```text
/// SecurityInfos ::= SET OF SecurityInfo     -- ICAO 9303-11 §9.2
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SecurityInfos {
    /// Every SecurityInfo, in the order the chip stores them.
    pub infos: Vec<SecurityInfo>,
}

impl SecurityInfos {
    /// Parses a DER `SET OF SecurityInfo` spanning all of `bytes` (EF.CardAccess is exactly
    /// this; DG14 wraps it in tag `6E`, see [`crate::lds::dg14`]).
    pub fn parse(bytes: &[u8]) -> Result<Self, SecurityInfoError> {
        let mut outer = Reader::new(bytes);
        let set = outer.read_tag(TAG_SET)?;
        outer.finish()?;
        Self::parse_set(&set)
    }

    /// Parses the elements of an already-located `SET` (used by DG14 to keep offsets
    /// absolute within the file).
    pub fn parse_set(set: &Tlv<'_>) -> Result<Self, SecurityInfoError> {
        let mut infos = Vec::new();
        let mut r = set.children();
        while !r.is_empty() {
            let seq = r.read_tag(TAG_SEQUENCE)?;
            infos.push(SecurityInfo::parse(&seq)?);
        }
        Ok(Self { infos })
    }

    /// Every PaceInfo, in card order.
    pub fn pace_infos(&self) -> impl Iterator<Item = &PaceInfo> {
        self.infos.iter().filter_map(|i| match i {
            SecurityInfo::Pace(p) => Some(p),
            _ => None,
        })
    }

    /// Every ChipAuthenticationInfo, in card order.
    pub fn chip_authentication_infos(&self) -> impl Iterator<Item = &ChipAuthenticationInfo> {
        self.infos.iter().filter_map(|i| match i {
            SecurityInfo::ChipAuthentication(c) => Some(c),
            _ => None,
        })
    }

    /// Every ChipAuthenticationPublicKeyInfo, in card order.
    pub fn chip_authentication_public_keys(
        &self,
    ) -> impl Iterator<Item = &ChipAuthenticationPublicKeyInfo> {
        self.infos.iter().filter_map(|i| match i {
            SecurityInfo::ChipAuthenticationPublicKey(c) => Some(c.as_ref()),
            _ => None,
        })
    }

    /// The ActiveAuthenticationInfo, if the chip names its AA signature algorithm.
    pub fn active_authentication(&self) -> Option<&ActiveAuthenticationInfo> {
        self.infos.iter().find_map(|i| match i {
            SecurityInfo::ActiveAuthentication(a) => Some(a),
            _ => None,
        })
    }
}

/// One SecurityInfo, typed by its protocol OID.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub enum SecurityInfo {
    /// `PACEInfo`.
    Pace(PaceInfo),
    /// `PACEDomainParameterInfo`.
    PaceDomainParameter(PaceDomainParameterInfo),
    /// `ChipAuthenticationInfo`.
    ChipAuthentication(ChipAuthenticationInfo),
    /// `ChipAuthenticationDomainParameterInfo`.
    ChipAuthenticationDomainParameter(ChipAuthenticationDomainParameterInfo),
    /// `ChipAuthenticationPublicKeyInfo` (boxed: a key is much larger than the other infos).
    ChipAuthenticationPublicKey(Box<ChipAuthenticationPublicKeyInfo>),
    /// `TerminalAuthenticationInfo`.
    TerminalAuthentication(TerminalAuthenticationInfo),
    /// `ActiveAuthenticationInfo`.
    ActiveAuthentication(ActiveAuthenticationInfo),
    /// `EFDIRInfo`.
    EfDir(EfDirInfo),
    /// Any other protocol, kept raw.
    Unknown(UnknownSecurityInfo),
}

impl SecurityInfo {
    /// Parses one `SecurityInfo` SEQUENCE.
    pub fn parse(seq: &Tlv<'_>) -> Result<Self, SecurityInfoError> {
        let mut r = seq.children();
        let oid_tlv = r.read_tag(TAG_OID)?;
        let protocol = oid(&oid_tlv)?;
        let info = if let Some(p) = PaceProtocol::from_oid(&protocol) {
            Self::Pace(PaceInfo::parse_rest(p, &mut r)?)
        } else if let Some(p) = ChipAuthenticationProtocol::from_oid(&protocol) {
            Self::ChipAuthentication(ChipAuthenticationInfo::parse_rest(p, &mut r)?)
        } else if let Some([ARC_PACE, family]) = bsi_suffix(&protocol) {
            match pace_family(*family) {
                Some((key_agreement, mapping)) => Self::PaceDomainParameter(
                    PaceDomainParameterInfo::parse_rest(key_agreement, mapping, &mut r)?,
                ),
                None => Self::Unknown(UnknownSecurityInfo::new(protocol, seq, r)),
            }
        } else if let Some([ARC_CA, ka]) = bsi_suffix(&protocol) {
            match key_agreement_from_arc(*ka) {
                Some(key_agreement) => Self::ChipAuthenticationDomainParameter(
                    ChipAuthenticationDomainParameterInfo::parse_rest(key_agreement, &mut r)?,
                ),
                None => Self::Unknown(UnknownSecurityInfo::new(protocol, seq, r)),
            }
        } else if protocol == ID_PK_DH || protocol == ID_PK_ECDH {
            let key_agreement = if protocol == ID_PK_DH {
                KeyAgreement::Dh
            } else {
                KeyAgreement::Ecdh
            };
            Self::ChipAuthenticationPublicKey(Box::new(
                ChipAuthenticationPublicKeyInfo::parse_rest(key_agreement, &mut r)?,
            ))
        } else if protocol == ID_TA {
            Self::TerminalAuthentication(TerminalAuthenticationInfo::parse_rest(&mut r)?)
        } else if protocol == ID_AA {
            Self::ActiveAuthentication(ActiveAuthenticationInfo::parse_rest(&mut r)?)
        } else if protocol == ID_EF_DIR {
            let ef_dir = r.read_tag(TAG_OCTET_STRING)?.value.to_vec();
            r.finish()?;
            Self::EfDir(EfDirInfo { ef_dir })
        } else {
            Self::Unknown(UnknownSecurityInfo::new(protocol, seq, r))
        };
        Ok(info)
    }

    /// The protocol OID, for every variant.
    pub fn protocol(&self) -> ObjectIdentifier {
        match self {
            Self::Pace(p) => p.protocol.oid(),
            Self::PaceDomainParameter(p) => {
                bsi_oid(&[ARC_PACE, pace_family_arc(p.key_agreement, p.mapping)])
            }
            Self::ChipAuthentication(c) => c.protocol.oid(),
            Self::ChipAuthenticationDomainParameter(c) => {
                bsi_oid(&[ARC_CA, key_agreement_arc(c.key_agreement)])
            }
            Self::ChipAuthenticationPublicKey(c) => match c.key_agreement {
                KeyAgreement::Dh => ID_PK_DH,
                KeyAgreement::Ecdh => ID_PK_ECDH,
            },
            Self::TerminalAuthentication(_) => ID_TA,
            Self::ActiveAuthentication(_) => ID_AA,
            Self::EfDir(_) => ID_EF_DIR,
            Self::Unknown(u) => u.protocol,
        }
    }
}

/// ```text
/// PACEInfo ::= SEQUENCE {                      -- ICAO 9303-11 §9.2.1
///     protocol    OBJECT IDENTIFIER(id-PACE-DH-GM-3DES-CBC-CBC | ... ),
///     version     INTEGER, -- SHOULD be 2
///     parameterId INTEGER OPTIONAL
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PaceInfo {
    /// The decomposed protocol OID.
    pub protocol: PaceProtocol,
    /// The PACE version (2 on current chips).
    pub version: u64,
    /// The domain parameters: a standardized id (see
    /// [`PaceInfo::standardized_domain_parameters`]) or a `PACEDomainParameterInfo` id.
    pub parameter_id: Option<u64>,
}

impl PaceInfo {
    fn parse_rest(protocol: PaceProtocol, r: &mut Reader<'_>) -> Result<Self, SecurityInfoError> {
        let version = uint(&r.read_tag(TAG_INTEGER)?)?;
        let parameter_id = r
            .read_optional(TAG_INTEGER)?
            .map(|t| uint(&t))
            .transpose()?;
        r.clone().finish()?;
        Ok(Self {
            protocol,
            version,
            parameter_id,
        })
    }

    /// The named standardized domain parameters, when `parameterId` is one of ICAO 9303-11
    /// §9.5.1's ids (0..=2, 8..=18).
    pub fn standardized_domain_parameters(&self) -> Option<StandardizedDomainParameters> {
        self.parameter_id
            .and_then(StandardizedDomainParameters::from_id)
    }
}

/// ```text
/// PACEDomainParameterInfo ::= SEQUENCE {       -- ICAO 9303-11 §9.2.2
///     protocol        OBJECT IDENTIFIER(id-PACE-DH-GM | id-PACE-ECDH-GM | id-PACE-DH-IM |
///                                       id-PACE-ECDH-IM | id-PACE-ECDH-CAM),
///     domainParameter AlgorithmIdentifier,
///     parameterId     INTEGER OPTIONAL
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PaceDomainParameterInfo {
    /// DH or ECDH.
    pub key_agreement: KeyAgreement,
    /// The mapping.
    pub mapping: Mapping,
    /// The explicit domain parameters.
    pub domain_parameter: AlgorithmIdentifier,
    /// Links this info to a PaceInfo's `parameterId`.
    pub parameter_id: Option<u64>,
}

impl PaceDomainParameterInfo {
    fn parse_rest(
        key_agreement: KeyAgreement,
        mapping: Mapping,
        r: &mut Reader<'_>,
    ) -> Result<Self, SecurityInfoError> {
        let domain_parameter = AlgorithmIdentifier::parse(&r.read_tag(TAG_SEQUENCE)?)?;
        let parameter_id = r
            .read_optional(TAG_INTEGER)?
            .map(|t| uint(&t))
            .transpose()?;
        r.clone().finish()?;
        Ok(Self {
            key_agreement,
            mapping,
            domain_parameter,
            parameter_id,
        })
    }
}

/// ```text
/// ChipAuthenticationInfo ::= SEQUENCE {        -- ICAO 9303-11 §9.2.5
///     protocol OBJECT IDENTIFIER(id-CA-DH-3DES-CBC-CBC | ... | id-CA-ECDH-AES-CBC-CMAC-256),
///     version  INTEGER, -- MUST be 1 for CAv1 or 2 for CAv2
///     keyId    INTEGER OPTIONAL
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ChipAuthenticationInfo {
    /// The decomposed protocol OID.
    pub protocol: ChipAuthenticationProtocol,
    /// 1 (CAv1) or 2 (CAv2).
    pub version: u64,
    /// Which ChipAuthenticationPublicKeyInfo this protocol uses, when the chip has several.
    pub key_id: Option<u64>,
}

impl ChipAuthenticationInfo {
    fn parse_rest(
        protocol: ChipAuthenticationProtocol,
        r: &mut Reader<'_>,
    ) -> Result<Self, SecurityInfoError> {
        let version = uint(&r.read_tag(TAG_INTEGER)?)?;
        let key_id = r
            .read_optional(TAG_INTEGER)?
            .map(|t| uint(&t))
            .transpose()?;
        r.clone().finish()?;
        Ok(Self {
            protocol,
            version,
            key_id,
        })
    }
}

/// ```text
/// ChipAuthenticationDomainParameterInfo ::= SEQUENCE {   -- BSI TR-03110-3 §A.1.1.2
///     protocol        OBJECT IDENTIFIER(id-CA-DH | id-CA-ECDH),
///     domainParameter AlgorithmIdentifier,
///     keyId           INTEGER OPTIONAL
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ChipAuthenticationDomainParameterInfo {
    /// DH or ECDH.
    pub key_agreement: KeyAgreement,
    /// The domain parameters.
    pub domain_parameter: AlgorithmIdentifier,
    /// Which key these parameters belong to.
    pub key_id: Option<u64>,
}

impl ChipAuthenticationDomainParameterInfo {
    fn parse_rest(
        key_agreement: KeyAgreement,
        r: &mut Reader<'_>,
    ) -> Result<Self, SecurityInfoError> {
        let domain_parameter = AlgorithmIdentifier::parse(&r.read_tag(TAG_SEQUENCE)?)?;
        let key_id = r
            .read_optional(TAG_INTEGER)?
            .map(|t| uint(&t))
            .transpose()?;
        r.clone().finish()?;
        Ok(Self {
            key_agreement,
            domain_parameter,
            key_id,
        })
    }
}

/// ```text
/// ChipAuthenticationPublicKeyInfo ::= SEQUENCE {   -- ICAO 9303-11 §9.2.6
///     protocol                   OBJECT IDENTIFIER(id-PK-DH | id-PK-ECDH),
///     chipAuthenticationPublicKey SubjectPublicKeyInfo,
///     keyId                      INTEGER OPTIONAL
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ChipAuthenticationPublicKeyInfo {
    /// `id-PK-DH` or `id-PK-ECDH`.
    pub key_agreement: KeyAgreement,
    /// The chip's static key.
    pub public_key: SubjectPublicKeyInfo,
    /// Links this key to a ChipAuthenticationInfo's `keyId`.
    pub key_id: Option<u64>,
}

impl ChipAuthenticationPublicKeyInfo {
    fn parse_rest(
        key_agreement: KeyAgreement,
        r: &mut Reader<'_>,
    ) -> Result<Self, SecurityInfoError> {
        let public_key = SubjectPublicKeyInfo::parse(&r.read_tag(TAG_SEQUENCE)?)?;
        let key_id = r
            .read_optional(TAG_INTEGER)?
            .map(|t| uint(&t))
            .transpose()?;
        r.clone().finish()?;
        Ok(Self {
            key_agreement,
            public_key,
            key_id,
        })
    }

    /// The `id-PK-*` protocol OID.
    pub fn protocol(&self) -> ObjectIdentifier {
        match self.key_agreement {
            KeyAgreement::Dh => ID_PK_DH,
            KeyAgreement::Ecdh => ID_PK_ECDH,
        }
    }
}

/// ```text
/// TerminalAuthenticationInfo ::= SEQUENCE {    -- ICAO 9303-11 §9.2.7
///     protocol OBJECT IDENTIFIER(id-TA),
///     version  INTEGER, -- MUST be 1 for TAv1 or 2 for TAv2
///     efCVCA   FileID OPTIONAL -- MUST NOT be used for version 2
/// }
/// FileID ::= SEQUENCE {
///     fid  OCTET STRING (SIZE(2)),
///     sfid OCTET STRING (SIZE(1)) OPTIONAL
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct TerminalAuthenticationInfo {
    /// 1 (TAv1) or 2 (TAv2).
    pub version: u64,
    /// Where EF.CVCA is, when not at its default place.
    pub ef_cvca: Option<FileId>,
}

impl TerminalAuthenticationInfo {
    fn parse_rest(r: &mut Reader<'_>) -> Result<Self, SecurityInfoError> {
        let version = uint(&r.read_tag(TAG_INTEGER)?)?;
        let ef_cvca = match r.read_optional(TAG_SEQUENCE)? {
            Some(seq) => Some(FileId::parse(&seq)?),
            None => None,
        };
        r.clone().finish()?;
        Ok(Self { version, ef_cvca })
    }
}

/// A file identifier and optional short file identifier (`FileID`, BSI TR-03110-3 §A.1.1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FileId {
    /// The 2-byte file identifier.
    pub fid: u16,
    /// The short file identifier.
    pub sfid: Option<u8>,
}

impl FileId {
    fn parse(seq: &Tlv<'_>) -> Result<Self, SecurityInfoError> {
        let mut r = seq.children();
        let fid_tlv = r.read_tag(TAG_OCTET_STRING)?;
        let fid = match fid_tlv.value {
            [hi, lo] => u16::from_be_bytes([*hi, *lo]),
            _ => {
                return Err(SecurityInfoError::InvalidValue {
                    offset: fid_tlv.value_offset,
                    what: "a 2-byte file identifier",
                })
            }
        };
        let sfid = match r.read_optional(TAG_OCTET_STRING)? {
            Some(t) => Some(t.as_u8()?),
            None => None,
        };
        r.finish()?;
        Ok(Self { fid, sfid })
    }
}

/// ```text
/// ActiveAuthenticationInfo ::= SEQUENCE {      -- ICAO 9303-11 §9.2.9
///     protocol           id-icao-mrtd-security-aaProtocolObject,
///     version            INTEGER -- MUST be 1
///     signatureAlgorithm OBJECT IDENTIFIER
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ActiveAuthenticationInfo {
    /// Always 1 on conforming chips.
    pub version: u64,
    /// The ECDSA signature algorithm of Active Authentication (e.g. ecdsa-with-SHA256).
    #[cfg_attr(feature = "serde", serde(serialize_with = "serde_util::oid"))]
    pub signature_algorithm: ObjectIdentifier,
}

impl ActiveAuthenticationInfo {
    fn parse_rest(r: &mut Reader<'_>) -> Result<Self, SecurityInfoError> {
        let version = uint(&r.read_tag(TAG_INTEGER)?)?;
        let signature_algorithm = oid(&r.read_tag(TAG_OID)?)?;
        r.clone().finish()?;
        Ok(Self {
            version,
            signature_algorithm,
        })
    }
}

/// ```text
/// EFDIRInfo ::= SEQUENCE {                     -- ICAO 9303-11 §9.2.11
///     protocol OBJECT IDENTIFIER(id-EFDIR),
///     eFDIR    OCTET STRING
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct EfDirInfo {
    /// The contents of EF.DIR, raw.
    #[cfg_attr(feature = "serde", serde(serialize_with = "serde_util::hex"))]
    pub ef_dir: Vec<u8>,
}

/// A SecurityInfo whose protocol we do not interpret (Restricted Identification, CardInfo,
/// PACE-CAM's Chip Authentication v3, ...), kept byte for byte.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct UnknownSecurityInfo {
    /// The protocol OID.
    #[cfg_attr(feature = "serde", serde(serialize_with = "serde_util::oid"))]
    pub protocol: ObjectIdentifier,
    /// The DER of `requiredData` and `optionalData`, as on the card.
    #[cfg_attr(feature = "serde", serde(serialize_with = "serde_util::hex"))]
    pub data: Vec<u8>,
    /// The whole `SecurityInfo` SEQUENCE, as on the card.
    #[cfg_attr(feature = "serde", serde(serialize_with = "serde_util::hex"))]
    pub raw: Vec<u8>,
}

impl UnknownSecurityInfo {
    fn new(protocol: ObjectIdentifier, seq: &Tlv<'_>, rest: Reader<'_>) -> Self {
        Self {
            protocol,
            data: rest.remaining().to_vec(),
            raw: seq.raw.to_vec(),
        }
    }
}

/// ```text
/// AlgorithmIdentifier ::= SEQUENCE {           -- RFC 5280 §4.1.1.2
///     algorithm  OBJECT IDENTIFIER,
///     parameters ANY DEFINED BY algorithm OPTIONAL
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct AlgorithmIdentifier {
    /// The algorithm.
    #[cfg_attr(feature = "serde", serde(serialize_with = "serde_util::oid"))]
    pub algorithm: ObjectIdentifier,
    /// The DER of the parameters element (tag, length, value), absent when omitted.
    #[cfg_attr(feature = "serde", serde(serialize_with = "serde_util::opt_hex"))]
    pub parameters: Option<Vec<u8>>,
}

impl AlgorithmIdentifier {
    /// Parses an `AlgorithmIdentifier` SEQUENCE.
    pub fn parse(seq: &Tlv<'_>) -> Result<Self, SecurityInfoError> {
        let mut r = seq.children();
        let algorithm = oid(&r.read_tag(TAG_OID)?)?;
        let parameters = if r.is_empty() {
            None
        } else {
            Some(r.read()?.raw.to_vec())
        };
        r.finish()?;
        Ok(Self {
            algorithm,
            parameters,
        })
    }
}

/// A public key as X.509 carries it, kept raw and interpreted.
///
/// ```text
/// SubjectPublicKeyInfo ::= SEQUENCE {          -- RFC 5280 §4.1.2.7
///     algorithm        AlgorithmIdentifier,
///     subjectPublicKey BIT STRING
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SubjectPublicKeyInfo {
    /// The whole SEQUENCE as on the card (what a verifier or a crypto library takes).
    #[cfg_attr(feature = "serde", serde(serialize_with = "serde_util::hex"))]
    pub raw: Vec<u8>,
    /// The algorithm and its raw parameters.
    pub algorithm: AlgorithmIdentifier,
    /// The BIT STRING's bytes, without the unused-bits byte.
    #[cfg_attr(feature = "serde", serde(serialize_with = "serde_util::hex"))]
    pub subject_public_key: Vec<u8>,
    /// The key, interpreted by algorithm.
    pub key: PublicKey,
}

impl SubjectPublicKeyInfo {
    /// Parses a `SubjectPublicKeyInfo` spanning all of `bytes`.
    pub fn from_der(bytes: &[u8]) -> Result<Self, SecurityInfoError> {
        let mut r = Reader::new(bytes);
        let seq = r.read_tag(TAG_SEQUENCE)?;
        r.finish()?;
        Self::parse(&seq)
    }

    /// Parses an already-located `SubjectPublicKeyInfo` SEQUENCE.
    pub fn parse(seq: &Tlv<'_>) -> Result<Self, SecurityInfoError> {
        let mut r = seq.children();
        let alg_tlv = r.read_tag(TAG_SEQUENCE)?;
        let algorithm = AlgorithmIdentifier::parse(&alg_tlv)?;
        let bits = r.read_tag(TAG_BIT_STRING)?;
        r.finish()?;
        let subject_public_key = match bits.value {
            [0, rest @ ..] => rest,
            _ => {
                return Err(SecurityInfoError::InvalidBitString {
                    offset: bits.value_offset,
                })
            }
        };
        let key_offset = bits.value_offset.saturating_add(1);
        let key = PublicKey::parse(&alg_tlv, &algorithm, subject_public_key, key_offset)?;
        Ok(Self {
            raw: seq.raw.to_vec(),
            algorithm,
            subject_public_key: subject_public_key.to_vec(),
            key,
        })
    }
}

/// A public key, interpreted by its algorithm OID.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub enum PublicKey {
    /// `rsaEncryption`.
    Rsa(RsaPublicKey),
    /// `id-ecPublicKey`.
    Ec(EcPublicKey),
    /// `dhpublicnumber`: a DH key (chip authentication with DH).
    Dh(DhPublicKey),
    /// Another algorithm: see [`SubjectPublicKeyInfo::raw`].
    Other,
}

impl PublicKey {
    fn parse(
        alg_tlv: &Tlv<'_>,
        algorithm: &AlgorithmIdentifier,
        key: &[u8],
        key_offset: usize,
    ) -> Result<Self, SecurityInfoError> {
        let mut alg = alg_tlv.children();
        alg.read_tag(TAG_OID)?;
        let params = if alg.is_empty() {
            None
        } else {
            Some(alg.read()?)
        };
        if algorithm.algorithm == RSA_ENCRYPTION {
            let mut r = Reader::new(key);
            let seq = r.read_tag(TAG_SEQUENCE).map_err(|e| shift(e, key_offset))?;
            r.finish().map_err(|e| shift(e, key_offset))?;
            RsaPublicKey::parse(&seq)
                .map(Self::Rsa)
                .map_err(|e| shift_err(e, key_offset))
        } else if algorithm.algorithm == ID_EC_PUBLIC_KEY {
            let parameters = match params {
                Some(p) => EcParameters::parse(&p)?,
                None => EcParameters::ImplicitlyCa,
            };
            if !matches!(key.first(), Some(0x02..=0x04)) {
                return Err(SecurityInfoError::InvalidValue {
                    offset: key_offset,
                    what: "an EC point encoding (02, 03 or 04 ...)",
                });
            }
            Ok(Self::Ec(EcPublicKey {
                parameters,
                point: key.to_vec(),
            }))
        } else if algorithm.algorithm == DH_PUBLIC_NUMBER {
            let mut r = Reader::new(key);
            let y = r.read_tag(TAG_INTEGER).map_err(|e| shift(e, key_offset))?;
            r.finish().map_err(|e| shift(e, key_offset))?;
            Ok(Self::Dh(DhPublicKey {
                y: magnitude(&y).map_err(|e| shift_err(e, key_offset))?,
            }))
        } else {
            Ok(Self::Other)
        }
    }
}

/// Offsets inside a BIT STRING's content start at 0; make them absolute.
fn shift(mut e: TlvError, by: usize) -> TlvError {
    e.offset = e.offset.saturating_add(by);
    e
}

fn shift_err(e: SecurityInfoError, by: usize) -> SecurityInfoError {
    match e {
        SecurityInfoError::Tlv(t) => SecurityInfoError::Tlv(shift(t, by)),
        SecurityInfoError::InvalidOid { offset } => SecurityInfoError::InvalidOid {
            offset: offset.saturating_add(by),
        },
        SecurityInfoError::InvalidInteger { offset } => SecurityInfoError::InvalidInteger {
            offset: offset.saturating_add(by),
        },
        SecurityInfoError::InvalidBitString { offset } => SecurityInfoError::InvalidBitString {
            offset: offset.saturating_add(by),
        },
        SecurityInfoError::InvalidValue { offset, what } => SecurityInfoError::InvalidValue {
            offset: offset.saturating_add(by),
            what,
        },
        SecurityInfoError::Unsupported { offset, what } => SecurityInfoError::Unsupported {
            offset: offset.saturating_add(by),
            what,
        },
    }
}

/// ```text
/// RSAPublicKey ::= SEQUENCE {                  -- RFC 8017 Appendix A.1.1
///     modulus        INTEGER, -- n
///     publicExponent INTEGER  -- e
/// }
/// ```
///
/// Both numbers are kept as unsigned big-endian magnitudes without leading zero bytes.
/// Quirk (seen in DG15 of several issuers, and a source of bugs in other readers): INTEGERs
/// with redundant leading `00` bytes, or a modulus without the `00` that makes it positive,
/// are accepted and read as unsigned.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RsaPublicKey {
    /// n, big-endian, no leading zeros.
    #[cfg_attr(feature = "serde", serde(serialize_with = "serde_util::hex"))]
    pub modulus: Vec<u8>,
    /// e, big-endian, no leading zeros.
    #[cfg_attr(feature = "serde", serde(serialize_with = "serde_util::hex"))]
    pub public_exponent: Vec<u8>,
}

impl RsaPublicKey {
    fn parse(seq: &Tlv<'_>) -> Result<Self, SecurityInfoError> {
        let mut r = seq.children();
        let n = r.read_tag(TAG_INTEGER)?;
        let e = r.read_tag(TAG_INTEGER)?;
        r.finish()?;
        let modulus = magnitude(&n)?;
        let public_exponent = magnitude(&e)?;
        if modulus.is_empty() {
            return Err(SecurityInfoError::InvalidValue {
                offset: n.value_offset,
                what: "a non-zero RSA modulus",
            });
        }
        if public_exponent.is_empty() {
            return Err(SecurityInfoError::InvalidValue {
                offset: e.value_offset,
                what: "a non-zero RSA exponent",
            });
        }
        Ok(Self {
            modulus,
            public_exponent,
        })
    }

    /// The modulus length in bits (1024 for a 1024-bit key).
    pub fn modulus_bits(&self) -> usize {
        bit_len(&self.modulus)
    }

    /// The exponent as a number, when it fits in 64 bits (it is 65537 almost always).
    pub fn exponent_u64(&self) -> Option<u64> {
        if self.public_exponent.len() > 8 {
            return None;
        }
        Some(
            self.public_exponent
                .iter()
                .fold(0u64, |acc, b| (acc << 8) | u64::from(*b)),
        )
    }
}

/// An EC public key: its domain parameters and its point.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct EcPublicKey {
    /// The curve, named or explicit.
    pub parameters: EcParameters,
    /// The point as encoded (`04 || x || y` uncompressed, or `02`/`03 || x`).
    #[cfg_attr(feature = "serde", serde(serialize_with = "serde_util::hex"))]
    pub point: Vec<u8>,
}

/// ```text
/// ECParameters ::= CHOICE {                    -- RFC 3279 §2.3.5, ANSI X9.62
///     ecParameters  ECParameters,              -- explicit (SpecifiedECDomain)
///     namedCurve    OBJECT IDENTIFIER,
///     implicitlyCA  NULL
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub enum EcParameters {
    /// A named curve.
    Named(
        #[cfg_attr(feature = "serde", serde(serialize_with = "serde_util::oid"))] ObjectIdentifier,
    ),
    /// Explicit parameters (what eMRTD chips and CSCAs usually carry).
    Explicit(ExplicitEcParameters),
    /// `NULL` or absent: inherited from elsewhere.
    ImplicitlyCa,
}

impl EcParameters {
    fn parse(t: &Tlv<'_>) -> Result<Self, SecurityInfoError> {
        match t.tag {
            TAG_OID => Ok(Self::Named(oid(t)?)),
            TAG_NULL => Ok(Self::ImplicitlyCa),
            TAG_SEQUENCE => ExplicitEcParameters::parse(t).map(Self::Explicit),
            other => Err(TlvError {
                kind: tlv::TlvErrorKind::UnexpectedTag {
                    expected: TAG_SEQUENCE.0,
                    found: other.0,
                },
                offset: t.offset,
            }
            .into()),
        }
    }
}

/// Explicit prime-field curve parameters; big numbers as unsigned magnitudes.
///
/// ```text
/// ECParameters ::= SEQUENCE {                  -- ANSI X9.62, RFC 3279 §2.3.5
///     version  INTEGER { ecpVer1(1) },
///     fieldID  FieldID,          -- SEQUENCE { prime-field, INTEGER p }
///     curve    Curve,            -- SEQUENCE { a OCTET STRING, b OCTET STRING,
///                                --            seed BIT STRING OPTIONAL }
///     base     ECPoint,          -- OCTET STRING
///     order    INTEGER,
///     cofactor INTEGER OPTIONAL
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ExplicitEcParameters {
    /// The DER of the whole SEQUENCE, as on the card.
    #[cfg_attr(feature = "serde", serde(serialize_with = "serde_util::hex"))]
    pub raw: Vec<u8>,
    /// p.
    #[cfg_attr(feature = "serde", serde(serialize_with = "serde_util::hex"))]
    pub prime: Vec<u8>,
    /// a, as encoded (field-element length).
    #[cfg_attr(feature = "serde", serde(serialize_with = "serde_util::hex"))]
    pub a: Vec<u8>,
    /// b, as encoded.
    #[cfg_attr(feature = "serde", serde(serialize_with = "serde_util::hex"))]
    pub b: Vec<u8>,
    /// The generator G, point-encoded.
    #[cfg_attr(feature = "serde", serde(serialize_with = "serde_util::hex"))]
    pub base: Vec<u8>,
    /// n, the order of G.
    #[cfg_attr(feature = "serde", serde(serialize_with = "serde_util::hex"))]
    pub order: Vec<u8>,
    /// h, when present.
    #[cfg_attr(feature = "serde", serde(serialize_with = "serde_util::opt_hex"))]
    pub cofactor: Option<Vec<u8>>,
}

impl ExplicitEcParameters {
    fn parse(seq: &Tlv<'_>) -> Result<Self, SecurityInfoError> {
        let mut r = seq.children();
        let version = r.read_tag(TAG_INTEGER)?;
        if uint(&version)? != 1 {
            return Err(SecurityInfoError::Unsupported {
                offset: version.value_offset,
                what: "ECParameters version other than 1",
            });
        }
        let field = r.read_tag(TAG_SEQUENCE)?;
        let mut f = field.children();
        let field_type = f.read_tag(TAG_OID)?;
        if oid(&field_type)? != PRIME_FIELD {
            return Err(SecurityInfoError::Unsupported {
                offset: field_type.offset,
                what: "an EC field other than prime-field",
            });
        }
        let prime = magnitude(&f.read_tag(TAG_INTEGER)?)?;
        f.finish()?;
        let curve = r.read_tag(TAG_SEQUENCE)?;
        let mut c = curve.children();
        let a = c.read_tag(TAG_OCTET_STRING)?.value.to_vec();
        let b = c.read_tag(TAG_OCTET_STRING)?.value.to_vec();
        c.read_optional(TAG_BIT_STRING)?;
        c.finish()?;
        let base = r.read_tag(TAG_OCTET_STRING)?.value.to_vec();
        let order = magnitude(&r.read_tag(TAG_INTEGER)?)?;
        let cofactor = r
            .read_optional(TAG_INTEGER)?
            .map(|t| magnitude(&t))
            .transpose()?;
        r.finish()?;
        Ok(Self {
            raw: seq.raw.to_vec(),
            prime,
            a,
            b,
            base,
            order,
            cofactor,
        })
    }

    /// The field size in bits (224 for brainpoolP224r1).
    pub fn field_bits(&self) -> usize {
        bit_len(&self.prime)
    }
}

/// A Diffie-Hellman public value.
///
/// ```text
/// DHPublicKey ::= INTEGER -- public key, y = g^x mod p   (RFC 3279 §2.3.3)
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct DhPublicKey {
    /// y, big-endian, no leading zeros.
    #[cfg_attr(feature = "serde", serde(serialize_with = "serde_util::hex"))]
    pub y: Vec<u8>,
}

/// Reads a BER OBJECT IDENTIFIER.
pub(crate) fn oid(t: &Tlv<'_>) -> Result<ObjectIdentifier, SecurityInfoError> {
    ObjectIdentifier::from_bytes(t.value).map_err(|_| SecurityInfoError::InvalidOid {
        offset: t.value_offset,
    })
}

/// Reads a non-negative INTEGER that fits in 64 bits.
pub(crate) fn uint(t: &Tlv<'_>) -> Result<u64, SecurityInfoError> {
    let bad = SecurityInfoError::InvalidInteger {
        offset: t.value_offset,
    };
    match t.value.first() {
        None => return Err(bad),
        Some(b) if *b >= 0x80 => return Err(bad),
        _ => {}
    }
    t.as_uint().map_err(|_| bad)
}

/// Reads an INTEGER as an unsigned big-endian magnitude without leading zero bytes
/// (tolerating redundant zeros and a missing sign byte, see [`RsaPublicKey`]).
pub(crate) fn magnitude(t: &Tlv<'_>) -> Result<Vec<u8>, SecurityInfoError> {
    if t.value.is_empty() {
        return Err(SecurityInfoError::InvalidInteger {
            offset: t.value_offset,
        });
    }
    let skip = t.value.iter().take_while(|b| **b == 0).count();
    Ok(t.value.get(skip..).unwrap_or(&[]).to_vec())
}

/// The bit length of a big-endian magnitude.
fn bit_len(bytes: &[u8]) -> usize {
    let skip = bytes.iter().take_while(|b| **b == 0).count();
    match bytes.get(skip..) {
        Some([first, rest @ ..]) => rest.len() * 8 + (8 - first.leading_zeros() as usize),
        _ => 0,
    }
}

#[cfg(feature = "serde")]
pub(crate) mod serde_util {
    //! Serialization helpers: OIDs in dotted form, bytes in hex.
    use const_oid::ObjectIdentifier;
    use serde::Serializer;

    pub(crate) fn oid<S: Serializer>(oid: &ObjectIdentifier, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(oid)
    }

    pub(crate) fn hex<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&::hex::encode(bytes))
    }

    pub(crate) fn opt_hex<S: Serializer>(bytes: &Option<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
        match bytes {
            Some(b) => s.serialize_some(&::hex::encode(b)),
            None => s.serialize_none(),
        }
    }
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
        assert_eq!(ChipAuthenticationProtocol::from_oid(&ID_PK_ECDH), None);
    }

    #[test]
    fn uint_rejects_negative_and_empty() {
        let t = tlv::parse_single(&[0x02, 0x01, 0x80]).unwrap();
        assert_eq!(
            uint(&t),
            Err(SecurityInfoError::InvalidInteger { offset: 2 })
        );
        let t = tlv::parse_single(&[0x02, 0x00]).unwrap();
        assert!(uint(&t).is_err());
        let t = tlv::parse_single(&[0x02, 0x02, 0x00, 0x80]).unwrap();
        assert_eq!(uint(&t), Ok(128));
    }

    #[test]
    fn bit_lengths() {
        assert_eq!(bit_len(&[0x00, 0x80, 0x00]), 16);
        assert_eq!(bit_len(&[0x01]), 1);
        assert_eq!(bit_len(&[]), 0);
    }
}
