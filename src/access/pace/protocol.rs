//! Which PACE variant to run: the protocol (key agreement, mapping, cipher: one OID table,
//! in [`crate::lds::security_info`]) and the standardized domain parameter id (ICAO 9303-11
//! §9.5.1 Table 12).

use const_oid::ObjectIdentifier;

use super::PaceError;
use crate::crypto::domain::StandardizedDomainParameters;
use crate::crypto::ec::NamedCurve;
use crate::crypto::CipherAlg;
pub use crate::lds::security_info::{Cipher, KeyAgreement, Mapping, PaceInfo, PaceProtocol};

/// The block cipher of a PACE cipher suite.
pub fn cipher_alg(cipher: Cipher) -> CipherAlg {
    cipher.alg()
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
        let protocol = PaceProtocol::from_oid(oid).ok_or(PaceError::UnsupportedProtocol)?;
        Self::new(protocol, id)
    }

    /// The configuration a parsed `PACEInfo` describes (a `PACEInfo` without a parameter id,
    /// or with a proprietary one, is [`PaceError::UnsupportedParameters`]).
    pub fn from_pace_info(info: &PaceInfo) -> Result<Self, PaceError> {
        let id = info
            .parameter_id
            .and_then(|id| u8::try_from(id).ok())
            .ok_or(PaceError::UnsupportedParameters(u8::MAX))?;
        Self::new(info.protocol, id)
    }

    /// The same from an already typed protocol.
    pub fn new(protocol: PaceProtocol, parameter_id: u8) -> Result<Self, PaceError> {
        let ok = match protocol.key_agreement {
            KeyAgreement::Dh => {
                protocol.mapping != Mapping::ChipAuthentication
                    && StandardizedDomainParameters::from_id(u64::from(parameter_id))
                        .is_some_and(StandardizedDomainParameters::is_modp_group)
            }
            KeyAgreement::Ecdh => {
                match StandardizedDomainParameters::from_id(u64::from(parameter_id))
                    .and_then(StandardizedDomainParameters::named_curve)
                {
                    Some(NamedCurve::P224) => protocol.mapping != Mapping::Integrated,
                    Some(_) => true,
                    None => false,
                }
            }
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

    /// The block cipher of the nonce, the tokens and secure messaging.
    pub fn cipher(&self) -> CipherAlg {
        cipher_alg(self.protocol.cipher)
    }

    /// The protocol OID's content bytes (MSE:Set AT `80`, the tokens' `06`).
    pub fn oid_bytes(&self) -> Vec<u8> {
        self.protocol.oid().as_bytes().to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID_PACE: [u8; 8] = [0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x04];

    fn oid(m: u8, c: u8) -> ObjectIdentifier {
        ObjectIdentifier::from_bytes(&[&ID_PACE[..], &[m, c]].concat()).unwrap()
    }

    #[test]
    fn every_protocol_with_every_id() {
        let mut n = 0;
        for m in 0..=8u8 {
            for c in 0..=5u8 {
                for id in 0..=20u8 {
                    if let Ok(cfg) = PaceConfig::from_oid_and_parameter_id(&oid(m, c), id) {
                        assert_eq!(cfg.oid_bytes(), [&ID_PACE[..], &[m, c]].concat());
                        n += 1;
                    }
                }
            }
        }
        // DH: 8 OIDs x 3 groups; ECDH GM: 4 x 11; IM: 4 x 10 (no P-224); CAM: 3 x 11.
        assert_eq!(n, 24 + 44 + 40 + 33);
    }

    #[test]
    fn rejects_other_oids_and_ids() {
        assert_eq!(
            PaceConfig::from_oid_and_parameter_id(&oid(6, 1), 13),
            Err(PaceError::UnsupportedProtocol)
        );
        assert_eq!(
            PaceConfig::from_oid_and_parameter_id(&oid(5, 2), 13),
            Err(PaceError::UnsupportedProtocol)
        );
        for id in [0, 2, 3, 7, 19, 255] {
            assert_eq!(
                PaceConfig::from_oid_and_parameter_id(&oid(2, 2), id),
                Err(PaceError::UnsupportedParameters(id))
            );
        }
        for id in [3, 8, 13] {
            assert_eq!(
                PaceConfig::from_oid_and_parameter_id(&oid(1, 2), id),
                Err(PaceError::UnsupportedParameters(id))
            );
        }
        assert_eq!(
            PaceConfig::from_oid_and_parameter_id(&oid(4, 2), 10),
            Err(PaceError::UnsupportedParameters(10))
        );
    }

    #[test]
    fn from_the_cccd_card_access() {
        // The real CCCD's EF.CardAccess (../shared/DESIGN.md): PACE v2 ECDH-GM AES-128, id 13.
        let bytes = hex::decode(
            "3134300d060804007f0007020202020101300f060a04007f000702020302020201013012060a04007f0007020204020202010202010d",
        )
        .unwrap();
        let infos = crate::lds::security_info::SecurityInfos::parse(&bytes).unwrap();
        let info = infos.pace_infos().next().unwrap();
        let cfg = PaceConfig::from_pace_info(info).unwrap();
        assert_eq!(cfg.parameter_id, 13);
        assert_eq!(cfg.cipher(), CipherAlg::Aes128);
        assert_eq!(cfg.protocol.mapping, Mapping::Generic);
    }
}
