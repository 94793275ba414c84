//! SecurityInfos (EF.CardAccess): the real CCCD file, hand-made infos, errors, mutations.
// Uses the primitives (tlv, crypto, the protocol steps): feature `internals`.
#![cfg(feature = "internals")]

use crate::common;

use cccd::lds::security_info::{
    Cipher, KeyAgreement, Mapping, SecurityInfo, SecurityInfos, StandardizedDomainParameters,
};
use cccd::lds::{LdsError, LdsErrorKind};
use cccd::tlv::TlvErrorKind;
use common::*;

/// EF.CardAccess of the real CCCD must read as exactly: TA v1; CA ECDH AES-128 v1;
/// PACE v2 ECDH-GM AES-128 with parameter id 13 (DESIGN.md §1, test-data README).
#[test]
fn cccd_card_access_exactly() {
    let infos = SecurityInfos::parse(&shared("vn/EF_CardAccess.bin")).unwrap();
    assert_eq!(infos.infos.len(), 3);
    match &infos.infos[0] {
        SecurityInfo::TerminalAuthentication(ta) => {
            assert_eq!(ta.version, 1);
            assert_eq!(ta.ef_cvca, None);
        }
        other => panic!("first info: {other:?}"),
    }
    match &infos.infos[1] {
        SecurityInfo::ChipAuthentication(ca) => {
            assert_eq!(ca.protocol.key_agreement, KeyAgreement::Ecdh);
            assert_eq!(ca.protocol.cipher, Cipher::AesCbcCmac128);
            assert_eq!(ca.version, 1);
            assert_eq!(ca.key_id, None);
            assert_eq!(ca.protocol.oid().to_string(), "0.4.0.127.0.7.2.2.3.2.2");
        }
        other => panic!("second info: {other:?}"),
    }
    match &infos.infos[2] {
        SecurityInfo::Pace(pace) => {
            assert_eq!(pace.protocol.key_agreement, KeyAgreement::Ecdh);
            assert_eq!(pace.protocol.mapping, Mapping::Generic);
            assert_eq!(pace.protocol.cipher, Cipher::AesCbcCmac128);
            assert_eq!(pace.version, 2);
            assert_eq!(pace.parameter_id, Some(13));
            assert_eq!(
                pace.standardized_domain_parameters(),
                Some(StandardizedDomainParameters::BrainpoolP256r1)
            );
            assert_eq!(pace.protocol.oid().to_string(), "0.4.0.127.0.7.2.2.4.2.2");
        }
        other => panic!("third info: {other:?}"),
    }
    assert_eq!(infos.infos[0].protocol().to_string(), "0.4.0.127.0.7.2.2.2");
}

#[test]
fn standardized_parameter_ids_follow_icao_table() {
    use StandardizedDomainParameters as P;
    let expected = [
        (0, P::Modp1024Sub160),
        (1, P::Modp2048Sub224),
        (2, P::Modp2048Sub256),
        (8, P::NistP192),
        (9, P::BrainpoolP192r1),
        (10, P::NistP224),
        (11, P::BrainpoolP224r1),
        (12, P::NistP256),
        (13, P::BrainpoolP256r1),
        (14, P::BrainpoolP320r1),
        (15, P::NistP384),
        (16, P::BrainpoolP384r1),
        (17, P::BrainpoolP512r1),
        (18, P::NistP521),
    ];
    for (id, p) in expected {
        assert_eq!(P::from_id(id), Some(p));
        assert_eq!(u64::from(p.id()), id);
    }
    for reserved in [3, 4, 5, 6, 7, 19, 31, 255] {
        assert_eq!(P::from_id(reserved), None);
    }
    // Ids 0..=2 are the RFC 5114 MODP groups (DH), the rest curves (ECDH).
    assert!(P::Modp2048Sub256.is_modp_group());
    assert!(!P::NistP521.is_modp_group());
    assert_eq!(
        P::NistP521.named_curve(),
        Some(cccd::crypto::ec::NamedCurve::P521)
    );
}

fn set(infos: &[Vec<u8>]) -> Vec<u8> {
    tlv(0x31, &infos.concat())
}

#[test]
fn every_typed_variant_and_order_kept() {
    // Deliberately not in DER SET order: AA first, PACE-IM-DH last.
    let aa = tlv(
        0x30,
        &cat(&[
            oid_tlv("2.23.136.1.1.5"),
            int(1),
            oid_tlv("0.4.0.127.0.7.1.1.4.1.3"),
        ]),
    );
    let ta = tlv(
        0x30,
        &cat(&[
            oid_tlv("0.4.0.127.0.7.2.2.2"),
            int(1),
            tlv(0x30, &cat(&[tlv(0x04, &[0x01, 0x1C]), tlv(0x04, &[0x1C])])),
        ]),
    );
    let pace_dp = tlv(
        0x30,
        &cat(&[
            oid_tlv("0.4.0.127.0.7.2.2.4.4"),
            tlv(
                0x30,
                &cat(&[oid_tlv("0.4.0.127.0.7.1.2"), tlv(0x30, &int(7))]),
            ),
            int(32),
        ]),
    );
    let ca_dp = tlv(
        0x30,
        &cat(&[
            oid_tlv("0.4.0.127.0.7.2.2.3.1"),
            tlv(0x30, &cat(&[oid_tlv("1.2.840.10046.2.1")])),
        ]),
    );
    let ef_dir = tlv(
        0x30,
        &cat(&[oid_tlv("2.23.136.1.1.13"), tlv(0x04, &[0x61, 0x00])]),
    );
    let pace = tlv(0x30, &cat(&[oid_tlv("0.4.0.127.0.7.2.2.4.3.1"), int(2)]));
    let bytes = set(&[aa, ta, pace_dp, ca_dp, ef_dir, pace]);
    let infos = SecurityInfos::parse(&bytes).unwrap();
    let kinds: Vec<&str> = infos
        .infos
        .iter()
        .map(|i| match i {
            SecurityInfo::ActiveAuthentication(a) => {
                assert_eq!(a.version, 1);
                assert_eq!(a.signature_algorithm.to_string(), "0.4.0.127.0.7.1.1.4.1.3");
                "aa"
            }
            SecurityInfo::TerminalAuthentication(t) => {
                let f = t.ef_cvca.unwrap();
                assert_eq!((f.fid, f.sfid), (0x011C, Some(0x1C)));
                "ta"
            }
            SecurityInfo::PaceDomainParameter(p) => {
                assert_eq!(p.key_agreement, KeyAgreement::Ecdh);
                assert_eq!(p.mapping, Mapping::Integrated);
                assert_eq!(p.parameter_id, Some(32));
                assert_eq!(p.domain_parameter.oid.to_string(), "0.4.0.127.0.7.1.2");
                assert_eq!(p.domain_parameter.parameters, Some(tlv(0x30, &int(7))));
                "pace-dp"
            }
            SecurityInfo::ChipAuthenticationDomainParameter(c) => {
                assert_eq!(c.key_agreement, KeyAgreement::Dh);
                assert_eq!(c.domain_parameter.parameters, None);
                "ca-dp"
            }
            SecurityInfo::EfDir(d) => {
                assert_eq!(d.ef_dir, [0x61, 0x00]);
                "ef-dir"
            }
            SecurityInfo::Pace(p) => {
                assert_eq!(p.protocol.key_agreement, KeyAgreement::Dh);
                assert_eq!(p.protocol.mapping, Mapping::Integrated);
                assert_eq!(p.protocol.cipher, Cipher::TripleDesCbcCbc);
                assert_eq!(p.parameter_id, None);
                "pace"
            }
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(kinds, ["aa", "ta", "pace-dp", "ca-dp", "ef-dir", "pace"]);
    assert!(infos.active_authentication().is_some());
    assert_eq!(infos.pace_infos().count(), 1);
}

#[test]
fn unknown_infos_are_kept_raw() {
    // Restricted Identification (id-RI-ECDH-SHA-256), CardInfo, PACE-CAM's CA v3 with 3DES
    // (not defined) and an arc under id-PACE that does not exist.
    let ri = tlv(
        0x30,
        &cat(&[
            oid_tlv("0.4.0.127.0.7.2.2.5.2.3"),
            tlv(0x30, &cat(&[int(1), int(5)])),
            int(8),
        ]),
    );
    let card_info = tlv(
        0x30,
        &cat(&[oid_tlv("0.4.0.127.0.7.2.2.12"), tlv(0x16, b"x")]),
    );
    let cam_3des = tlv(0x30, &cat(&[oid_tlv("0.4.0.127.0.7.2.2.4.6.1"), int(2)]));
    let pace_5 = tlv(0x30, &cat(&[oid_tlv("0.4.0.127.0.7.2.2.4.5"), int(2)]));
    let bytes = set(&[
        ri.clone(),
        card_info.clone(),
        cam_3des.clone(),
        pace_5.clone(),
    ]);
    let infos = SecurityInfos::parse(&bytes).unwrap();
    let raws: Vec<&[u8]> = infos
        .infos
        .iter()
        .map(|i| match i {
            SecurityInfo::Unknown(u) => u.raw.as_slice(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(raws, [&ri[..], &card_info[..], &cam_3des[..], &pace_5[..]]);
    match &infos.infos[0] {
        SecurityInfo::Unknown(u) => {
            assert_eq!(u.protocol.to_string(), "0.4.0.127.0.7.2.2.5.2.3");
            assert_eq!(u.data, cat(&[tlv(0x30, &cat(&[int(1), int(5)])), int(8)]));
        }
        _ => unreachable!(),
    }
}

#[test]
fn malformed_infos_are_typed_errors() {
    // Negative version.
    let bad = set(&[tlv(
        0x30,
        &cat(&[oid_tlv("0.4.0.127.0.7.2.2.2"), tlv(0x02, &[0xFF])]),
    )]);
    assert!(matches!(
        SecurityInfos::parse(&bad),
        Err(LdsError {
            kind: LdsErrorKind::InvalidInteger,
            offset: 16,
            ..
        })
    ));
    // An extra element after PaceInfo's parameterId.
    let extra = set(&[tlv(
        0x30,
        &cat(&[oid_tlv("0.4.0.127.0.7.2.2.4.2.2"), int(2), int(13), int(1)]),
    )]);
    assert!(matches!(
        SecurityInfos::parse(&extra),
        Err(LdsError {
            kind: LdsErrorKind::Tlv(TlvErrorKind::TrailingData(3)),
            ..
        })
    ));
    // Missing version.
    let missing = set(&[tlv(0x30, &oid_tlv("0.4.0.127.0.7.2.2.3.2.2"))]);
    assert!(matches!(
        SecurityInfos::parse(&missing),
        Err(LdsError {
            kind: LdsErrorKind::Tlv(TlvErrorKind::Missing(0x02)),
            ..
        })
    ));
    // An OID that is not valid BER (a continuation byte at the end).
    let bad_oid = set(&[tlv(0x30, &cat(&[tlv(0x06, &[0x04, 0x80]), int(1)]))]);
    assert!(matches!(
        SecurityInfos::parse(&bad_oid),
        Err(LdsError {
            kind: LdsErrorKind::InvalidOid,
            offset: 6,
            ..
        })
    ));
    // A FileID of 3 bytes.
    let bad_fid = set(&[tlv(
        0x30,
        &cat(&[
            oid_tlv("0.4.0.127.0.7.2.2.2"),
            int(1),
            tlv(0x30, &tlv(0x04, &[1, 2, 3])),
        ]),
    )]);
    assert!(matches!(
        SecurityInfos::parse(&bad_fid),
        Err(LdsError {
            kind: LdsErrorKind::InvalidValue { .. },
            ..
        })
    ));
    // Not a SET, a SET followed by garbage, a length past the end, an empty input.
    let good = shared("vn/EF_CardAccess.bin");
    let mut not_set = good.clone();
    not_set[0] = 0x30;
    assert!(SecurityInfos::parse(&not_set).is_err());
    let mut trailing = good.clone();
    trailing.push(0);
    assert!(SecurityInfos::parse(&trailing).is_err());
    let mut long = good.clone();
    long[1] = 0x7F;
    assert!(matches!(
        SecurityInfos::parse(&long),
        Err(LdsError {
            kind: LdsErrorKind::Tlv(TlvErrorKind::Truncated { .. }),
            offset: 2,
            ..
        })
    ));
    for cut in 0..good.len() {
        assert!(SecurityInfos::parse(&good[..cut]).is_err(), "cut at {cut}");
    }
    // An empty SET is valid: no protocols.
    assert_eq!(SecurityInfos::parse(&[0x31, 0x00]).unwrap().infos.len(), 0);
}

#[test]
fn mutations_never_panic() {
    let card_access = shared("vn/EF_CardAccess.bin");
    mutate_and_parse(0xCA, &card_access, card_access.len(), 20_000, |d| {
        let _ = SecurityInfos::parse(d);
    });
    let dg14 = shared("bsi-tr03105-5/Datagroup14.bin");
    mutate_and_parse(0xC5, &dg14[4..], dg14.len(), 20_000, |d| {
        let _ = SecurityInfos::parse(d);
    });
}

#[cfg(feature = "serde")]
#[test]
fn serializes_with_dotted_oids_and_hex() {
    let infos = SecurityInfos::parse(&shared("vn/EF_CardAccess.bin")).unwrap();
    let json = serde_json::to_value(&infos).unwrap();
    assert_eq!(json["infos"][2]["pace"]["parameter_id"], 13);
    assert_eq!(json["infos"][2]["pace"]["protocol"]["mapping"], "generic");
    assert_eq!(
        json["infos"][2]["pace"]["protocol"]["key_agreement"],
        "ecdh"
    );
    assert_eq!(
        json["infos"][2]["pace"]["protocol"]["cipher"],
        "aes_cbc_cmac128"
    );
    let dg15 = cccd::lds::dg15::Dg15::parse(&shared("bsi-tr03105-5/Datagroup15.bin")).unwrap();
    let json = serde_json::to_value(&dg15).unwrap();
    assert_eq!(
        json["public_key_info"]["algorithm"]["algorithm"],
        "1.2.840.113549.1.1.1"
    );
    assert_eq!(
        json["public_key_info"]["key"]["rsa"]["public_exponent"],
        "010001"
    );
}
