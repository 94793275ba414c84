//! Which PACE variant to run: the protocol OID (key agreement, mapping, cipher) and the
//! standardized domain parameter id (ICAO 9303-11 §4.4.3 Tables 2 and 3, §9.5.1 Table 12).

use const_oid::ObjectIdentifier;

use super::PaceError;
use crate::crypto::dh::DhGroup;
use crate::crypto::ec::NamedCurve;
use crate::crypto::CipherAlg;

/// `id-PACE` = 0.4.0.127.0.7.2.2.4 (BSI TR-03110-3 A.1.1, ICAO 9303-11 §9.2.3): every PACE
/// protocol OID is this prefix, a mapping arc, then a cipher arc.
pub const ID_PACE: [u8; 8] = [0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x04];

/// The key agreement PACE runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyAgreement {
    /// Diffie-Hellman over a MODP group (parameter ids 0..=2).
    Dh,
    /// Elliptic-curve Diffie-Hellman (parameter ids 8..=18).
    Ecdh,
}

/// How the nonce becomes the ephemeral generator (ICAO 9303-11 §4.4.3.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mapping {
    /// Generic Mapping: Ĝ = s·G + H, H from an anonymous DH on the mapping keys.
    Generic,
    /// Integrated Mapping: Ĝ = f_G(R_p(s, t)), t a second nonce sent in clear.
    Integrated,
    /// Chip Authentication Mapping: Generic Mapping plus encrypted Chip Authentication Data.
    ChipAuthentication,
}

/// A PACE protocol: the triple a PACE OID names.
///
/// ```text
/// id-PACE-DH-GM   ::= id-PACE 1      id-PACE-ECDH-GM  ::= id-PACE 2
/// id-PACE-DH-IM   ::= id-PACE 3      id-PACE-ECDH-IM  ::= id-PACE 4
/// id-PACE-ECDH-CAM ::= id-PACE 6
/// ...-3DES-CBC-CBC ::= 1, ...-AES-CBC-CMAC-128 ::= 2, -192 ::= 3, -256 ::= 4
/// ```
/// (ICAO 9303-11 §9.2.3; BSI TR-03110-3 A.1.1.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PaceProtocol {
    /// DH or ECDH.
    pub key_agreement: KeyAgreement,
    /// GM, IM or CAM.
    pub mapping: Mapping,
    /// The block cipher of the nonce, the tokens and secure messaging.
    pub cipher: CipherAlg,
}

impl PaceProtocol {
    /// The protocol named by an OID's content bytes (`04 00 7F 00 07 02 02 04 m c`). CAM exists
    /// only with ECDH and AES (Table 3).
    pub fn from_oid_bytes(oid: &[u8]) -> Result<Self, PaceError> {
        let (prefix, rest) = oid
            .split_at_checked(ID_PACE.len())
            .ok_or(PaceError::UnsupportedProtocol)?;
        let &[m, c] = rest else {
            return Err(PaceError::UnsupportedProtocol);
        };
        if prefix != ID_PACE {
            return Err(PaceError::UnsupportedProtocol);
        }
        let (key_agreement, mapping) = match m {
            1 => (KeyAgreement::Dh, Mapping::Generic),
            2 => (KeyAgreement::Ecdh, Mapping::Generic),
            3 => (KeyAgreement::Dh, Mapping::Integrated),
            4 => (KeyAgreement::Ecdh, Mapping::Integrated),
            6 => (KeyAgreement::Ecdh, Mapping::ChipAuthentication),
            _ => return Err(PaceError::UnsupportedProtocol),
        };
        let cipher = match c {
            1 if mapping != Mapping::ChipAuthentication => CipherAlg::Tdes,
            2 => CipherAlg::Aes128,
            3 => CipherAlg::Aes192,
            4 => CipherAlg::Aes256,
            _ => return Err(PaceError::UnsupportedProtocol),
        };
        Ok(Self {
            key_agreement,
            mapping,
            cipher,
        })
    }

    /// The protocol named by `oid`.
    pub fn from_oid(oid: &ObjectIdentifier) -> Result<Self, PaceError> {
        Self::from_oid_bytes(oid.as_bytes())
    }

    /// The OID's content bytes (what MSE:Set AT sends in `80`, and what the tokens MAC in
    /// `06`).
    pub fn oid_bytes(&self) -> [u8; 10] {
        let m = match (self.key_agreement, self.mapping) {
            (KeyAgreement::Dh, Mapping::Generic) => 1,
            (KeyAgreement::Ecdh, Mapping::Generic) => 2,
            (KeyAgreement::Dh, Mapping::Integrated) => 3,
            (KeyAgreement::Ecdh, Mapping::Integrated) => 4,
            // DH-CAM does not exist; `PaceConfig` refuses it before it gets here.
            (_, Mapping::ChipAuthentication) => 6,
        };
        let c = match self.cipher {
            CipherAlg::Tdes => 1,
            CipherAlg::Aes128 => 2,
            CipherAlg::Aes192 => 3,
            CipherAlg::Aes256 => 4,
        };
        let mut out = [0u8; 10];
        let (head, tail) = out.split_at_mut(ID_PACE.len());
        head.copy_from_slice(&ID_PACE);
        tail.copy_from_slice(&[m, c]);
        out
    }

    /// The OID.
    pub fn oid(&self) -> ObjectIdentifier {
        // The bytes above are a valid BER OID encoding by construction.
        ObjectIdentifier::from_bytes(&self.oid_bytes())
            .unwrap_or(ObjectIdentifier::new_unwrap("0.4.0.127.0.7.2.2.4"))
    }
}

/// The PACE variant a reader runs: what EF.CardAccess offers (a `PACEInfo`) and the choice to
/// send the parameter id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PaceConfig {
    /// Key agreement, mapping and cipher.
    pub protocol: PaceProtocol,
    /// The standardized domain parameter id (ICAO 9303-11 §9.5.1 Table 12): 0..=2 MODP
    /// groups, 8..=18 curves.
    pub parameter_id: u8,
    /// Send the id in MSE:Set AT (`84`): required when the card lists more than one
    /// parameter set for PACE (ICAO 9303-11 §4.4.4.1).
    pub send_parameter_id: bool,
}

impl PaceConfig {
    /// A configuration from a `PACEInfo`'s protocol OID and parameter id, checked: the id must
    /// be a standardized one of the OID's key agreement, and the Integrated Mapping's point
    /// encoding (ICAO 9303-11 Appendix B) needs p ≡ 3 (mod 4), which NIST P-224 (id 10) is
    /// not. `send_parameter_id` starts false.
    pub fn from_oid_and_parameter_id(oid: &ObjectIdentifier, id: u8) -> Result<Self, PaceError> {
        Self::new(PaceProtocol::from_oid(oid)?, id)
    }

    /// The same from an already typed protocol.
    pub fn new(protocol: PaceProtocol, parameter_id: u8) -> Result<Self, PaceError> {
        let ok = match protocol.key_agreement {
            KeyAgreement::Dh => DhGroup::from_pace_id(parameter_id).is_some(),
            KeyAgreement::Ecdh => match NamedCurve::from_pace_id(parameter_id) {
                Some(NamedCurve::P224) => protocol.mapping != Mapping::Integrated,
                Some(_) => true,
                None => false,
            },
        };
        if !ok {
            return Err(PaceError::UnsupportedParameters(parameter_id));
        }
        Ok(Self {
            protocol,
            parameter_id,
            send_parameter_id: false,
        })
    }

    /// Sets whether MSE:Set AT carries the parameter id (`84`).
    pub fn with_parameter_id_sent(mut self, send: bool) -> Self {
        self.send_parameter_id = send;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_oid_round_trips() {
        let mut n = 0;
        for m in 0..=8u8 {
            for c in 0..=5u8 {
                let mut bytes = ID_PACE.to_vec();
                bytes.extend_from_slice(&[m, c]);
                if let Ok(p) = PaceProtocol::from_oid_bytes(&bytes) {
                    assert_eq!(p.oid_bytes().to_vec(), bytes);
                    assert_eq!(p.oid().as_bytes(), bytes.as_slice());
                    n += 1;
                }
            }
        }
        // Table 2 (8 DH) + Table 3 (11 ECDH).
        assert_eq!(n, 19);
    }

    #[test]
    fn rejects_other_oids_and_ids() {
        for bad in [
            &[][..],
            &ID_PACE[..],
            &[0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x03, 0x02, 0x02][..],
            &[0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x04, 0x06, 0x01][..],
            &[
                0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x04, 0x02, 0x02, 0x00,
            ][..],
        ] {
            assert_eq!(
                PaceProtocol::from_oid_bytes(bad),
                Err(PaceError::UnsupportedProtocol)
            );
        }
        let ecdh_gm = ObjectIdentifier::new_unwrap("0.4.0.127.0.7.2.2.4.2.2");
        let dh_gm = ObjectIdentifier::new_unwrap("0.4.0.127.0.7.2.2.4.1.2");
        let ecdh_im = ObjectIdentifier::new_unwrap("0.4.0.127.0.7.2.2.4.4.2");
        assert!(PaceConfig::from_oid_and_parameter_id(&ecdh_gm, 13).is_ok());
        for id in [0, 2, 3, 7, 19, 255] {
            assert_eq!(
                PaceConfig::from_oid_and_parameter_id(&ecdh_gm, id),
                Err(PaceError::UnsupportedParameters(id))
            );
        }
        for id in [3, 8, 13] {
            assert_eq!(
                PaceConfig::from_oid_and_parameter_id(&dh_gm, id),
                Err(PaceError::UnsupportedParameters(id))
            );
        }
        assert_eq!(
            PaceConfig::from_oid_and_parameter_id(&ecdh_im, 10),
            Err(PaceError::UnsupportedParameters(10))
        );
    }
}
