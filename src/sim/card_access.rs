//! The simulator's own encoder of EF.CardAccess (ICAO 9303-11 §9.2.11) for non-default PACE
//! configurations: the real CCCD's Terminal and Chip Authentication infos, then the PACEInfos
//! of the configuration, as a DER `SET OF` (sorted encodings).
//!
//! ```text
//! CardAccess ::= SecurityInfos                       -- ICAO 9303-11 §9.2.11
//! SecurityInfos ::= SET OF SecurityInfo              -- §9.2
//! PACEInfo ::= SEQUENCE {                            -- §9.2.1
//!     protocol    OBJECT IDENTIFIER (id-PACE-...),
//!     version     INTEGER,                           -- MUST be 2
//!     parameterId INTEGER OPTIONAL }
//! TerminalAuthenticationInfo ::= SEQUENCE {          -- §9.2.8
//!     protocol OBJECT IDENTIFIER (id-TA), version INTEGER }
//! ChipAuthenticationInfo ::= SEQUENCE {              -- §9.2.5
//!     protocol OBJECT IDENTIFIER (id-CA-...), version INTEGER, keyId INTEGER OPTIONAL }
//! ```
//!
//! ```
//! use cccd::sim::card_access::encode;
//! use cccd::sim::files::CCCD_CARD_ACCESS;
//! use cccd::sim::PaceConfig;
//! // The encoder reproduces the real card's bytes for the real card's configuration.
//! assert_eq!(encode(&PaceConfig::CCCD), CCCD_CARD_ACCESS);
//! ```

use super::pace::PaceConfig;
use crate::tlv::{encode as tlv, Tag};

const SEQUENCE: Tag = Tag(0x30);
const SET: Tag = Tag(0x31);
const OID: Tag = Tag(0x06);
const INTEGER: Tag = Tag(0x02);

/// id-TA (0.4.0.127.0.7.2.2.2), as the real CCCD lists it (version 1).
const ID_TA: [u8; 8] = [0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x02];
/// id-CA-ECDH-AES-CBC-CMAC-128 (0.4.0.127.0.7.2.2.3.2.2), as the real CCCD lists it.
const ID_CA_ECDH_AES128: [u8; 10] = [0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x03, 0x02, 0x02];

/// EF.CardAccess for `config`: TA v1, CA ECDH AES-128 v1, and one PACEInfo v2 per OID the
/// chip accepts (PACE-CAM chips also offer Generic Mapping, ICAO 9303-11 §4.4).
pub fn encode(config: &PaceConfig) -> Vec<u8> {
    let mut infos = vec![info(&ID_TA, &[1]), info(&ID_CA_ECDH_AES128, &[1])];
    for oid in config.accepted_oids() {
        infos.push(info(&oid, &[2, config.parameter_id()]));
    }
    // DER SET OF: elements in ascending order of their encodings (X.690 §11.6).
    infos.sort();
    tlv(SET, &infos.concat())
}

/// `SEQUENCE { OID, INTEGER... }` with small non-negative integers.
fn info(oid: &[u8], integers: &[u8]) -> Vec<u8> {
    let mut body = tlv(OID, oid);
    for &i in integers {
        // A positive INTEGER whose top bit is set needs a leading zero octet.
        if i & 0x80 != 0 {
            body.extend_from_slice(&tlv(INTEGER, &[0x00, i]));
        } else {
            body.extend_from_slice(&tlv(INTEGER, &[i]));
        }
    }
    tlv(SEQUENCE, &body)
}

/// Whether `config` is the real CCCD's (whose EF.CardAccess is kept byte for byte).
pub(crate) fn is_cccd(config: &PaceConfig) -> bool {
    *config == PaceConfig::CCCD
}
