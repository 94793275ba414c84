//! DG15: the Active Authentication public key (ICAO 9303-10 §4.7.15, ICAO 9303-11 §6.1).
//!
//! ```text
//! DG15 ::= [APPLICATION 15] SubjectPublicKeyInfo   -- tag 6F
//! ```
//!
//! RSA keys are read with their INTEGERs as unsigned magnitudes (redundant leading `00`
//! bytes and a missing sign byte are tolerated: both are seen on issued chips and have broken
//! other readers); EC keys keep their parameters whether named or explicit.
//!
//! ```
//! use cccd::lds::dg15::Dg15;
//! use cccd::lds::security_info::PublicKey;
//! // 6F { SPKI { { rsaEncryption, NULL }, BIT STRING { { n = 00 00 C5, e = 3 } } } }
//! let bytes = hex::decode("6f1e301c300d06092a864886f70d0101010500030b00300802030000c5020103")
//!     .unwrap();
//! let dg15 = Dg15::parse(&bytes).unwrap();
//! let PublicKey::Rsa(rsa) = dg15.public_key() else { panic!("not RSA") };
//! assert_eq!(rsa.modulus, [0xC5]); // redundant leading zeros dropped
//! assert_eq!(rsa.modulus_bits(), 8);
//! assert_eq!(rsa.exponent_u64(), Some(3));
//! ```

use crate::files::ElementaryFile;
use crate::lds::{Fault, LdsError};
use crate::pki::spki::{PublicKey, SubjectPublicKeyInfo};
use crate::tlv::tags::SEQUENCE as TAG_SEQUENCE;
use crate::tlv::{Reader, Tag};

/// The DG15 file tag.
pub const TAG_DG15: Tag = Tag(0x6F);

/// DG15, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Dg15 {
    /// The Active Authentication public key, raw and interpreted.
    pub public_key_info: SubjectPublicKeyInfo,
}

impl Dg15 {
    /// Parses the whole file (tag `6F`). Offsets in errors count from the file's first byte.
    pub fn parse(bytes: &[u8]) -> Result<Self, LdsError> {
        Self::parse_fields(bytes).map_err(|f| f.in_file(ElementaryFile::Dg(15)))
    }

    fn parse_fields(bytes: &[u8]) -> Result<Self, Fault> {
        let mut file = Reader::new(bytes);
        let dg = file.read_tag(TAG_DG15)?;
        file.finish()?;
        let mut inner = dg.children();
        let spki = inner.read_tag(TAG_SEQUENCE)?;
        inner.finish()?;
        Ok(Self {
            public_key_info: SubjectPublicKeyInfo::parse(&spki)?,
        })
    }

    /// The interpreted key (RSA, EC, ...).
    pub fn public_key(&self) -> &PublicKey {
        &self.public_key_info.key
    }
}
