//! Chip Authentication: DH key agreement (chip side done here with `crypto::dh`), refusals by
//! the chip, malformed answers and random input: typed errors, never a panic.
// Uses the primitives (tlv, crypto, the protocol steps): feature `internals`.
#![cfg(feature = "internals")]

use crate::parallel;

use cccd::access::chip_auth::{self as chip, CaError, CaParameters, CaStep, CommandStyle};
use cccd::access::sm::SecureMessaging;
use cccd::apdu::{Command, Response, StatusWord};
use cccd::crypto::dh::DhGroup;
use cccd::crypto::kdf::{kdf, ENC, MAC};
use cccd::crypto::rng::{RandomSource, SeededRandom};
use cccd::crypto::CipherAlg;
use cccd::document::{CaFailure, ChipAuthMethod, ChipAuthRun, ChipAuthVerdict, UntrustedCheck};
use cccd::tlv::{Tag, Writer};
use const_oid::ObjectIdentifier;

const ID_CA_DH_3DES: &str = "0.4.0.127.0.7.2.2.3.1.1";
const ID_CA_DH_AES256: &str = "0.4.0.127.0.7.2.2.3.1.4";
const ID_CA_ECDH_AES128: &str = "0.4.0.127.0.7.2.2.3.2.2";

fn integer(v: &[u8]) -> Vec<u8> {
    let mut val = vec![0];
    val.extend_from_slice(v);
    let mut w = Writer::new();
    w.put(Tag(0x02), &val);
    w.into_bytes()
}

/// SubjectPublicKeyInfo { { dhpublicnumber, DomainParameters { p, g, q } }, BIT STRING { y } }
fn dh_spki(group: &DhGroup, y: &[u8]) -> Vec<u8> {
    let mut params = integer(&group.p());
    params.extend(integer(group.g()));
    params.extend(integer(group.q().unwrap()));
    dh_spki_with(&params, y)
}

/// The same SubjectPublicKeyInfo with the domain parameters' contents as given.
fn dh_spki_with(params: &[u8], y: &[u8]) -> Vec<u8> {
    let mut bits = vec![0u8];
    bits.extend(integer(y));
    let mut w = Writer::new();
    w.constructed(Tag(0x30), |w| {
        w.constructed(Tag(0x30), |w| {
            w.put(
                Tag(0x06),
                ObjectIdentifier::new_unwrap("1.2.840.10046.2.1").as_bytes(),
            );
            w.put(Tag(0x30), params);
        });
        w.put(Tag(0x03), &bits);
    });
    w.into_bytes()
}

#[test]
fn dh_both_sides_agree_kat_and_general_authenticate() {
    let group = DhGroup::from_pace_id(2).unwrap(); // RFC 5114 2048/256
    let mut rng = SeededRandom::new(21);
    let (x_chip, y_chip) = group.generate_keypair(&mut rng).unwrap();
    let spki = dh_spki(&group, &y_chip);
    for (oid, style, alg) in [
        (ID_CA_DH_3DES, CommandStyle::Auto, CipherAlg::Tdes),
        (ID_CA_DH_AES256, CommandStyle::Auto, CipherAlg::Aes256),
    ] {
        let params = CaParameters::new(&ObjectIdentifier::new_unwrap(oid), Some(1), &spki).unwrap();
        let (cmds, state) = chip::start(&params, style, &mut rng).unwrap();
        let y_ifd = if alg == CipherAlg::Tdes {
            // 91 82 01 00 y (256 bytes), 84 01 01
            assert_eq!(cmds.len(), 1);
            let d = &cmds[0].data;
            assert_eq!(&d[..4], [0x91, 0x82, 0x01, 0x00]);
            assert_eq!(&d[d.len() - 3..], [0x84, 0x01, 0x01]);
            d[4..260].to_vec()
        } else {
            // 7C 82 01 04 80 82 01 00 y
            assert_eq!(cmds.len(), 2);
            let d = &cmds[1].data;
            assert_eq!(&d[..8], [0x7C, 0x82, 0x01, 0x04, 0x80, 0x82, 0x01, 0x00]);
            d[8..].to_vec()
        };
        assert_eq!(y_ifd.len(), group.modulus_size());
        let k = group.shared_secret(&x_chip, &y_ifd).unwrap();
        let mut chip_side = SecureMessaging::new(
            alg,
            &kdf(&k, ENC, alg),
            &kdf(&k, MAC, alg),
            &vec![0; alg.block_size()],
        )
        .unwrap();
        let answers: Vec<Response> = state
            .steps()
            .iter()
            .map(|s| match s {
                CaStep::GeneralAuthenticate => Response::new(vec![0x7C, 0x00], StatusWord::SUCCESS),
                _ => Response::status(StatusWord::SUCCESS),
            })
            .collect();
        let mut reader = state.handle(&answers).unwrap();
        let cmd = Command::new(0x00, 0xB0, 0x00, 0x00).with_le(4);
        assert_eq!(reader.wrap(&cmd).unwrap(), chip_side.wrap(&cmd).unwrap());
    }
}

fn ec_params() -> CaParameters {
    // The Austrian DG14 key of the gmrtd transcripts (brainpoolP256r1, explicit).
    let spki = hex::decode("308201333081EC06072A8648CE3D02013081E0020101302C06072A8648CE3D0101022100A9FB57DBA1EEA9BC3E660A909D838D726E3BF623D52620282013481D1F6E5377304404207D5A0975FC2C3057EEF67530417AFFE7FB8055C126DC5C6CE94A4B44F330B5D9042026DC5C6CE94A4B44F330B5D9BBD77CBF958416295CF7E1CE6BCCDC18FF8C07B60441048BD2AEB9CB7E57CB2C4B482FFC81B7AFB9DE27E1E3BD23C23A4453BD9ACE3262547EF835C3DAC4FD97F8461A14611DC9C27745132DED8E545C1D54C72F046997022100A9FB57DBA1EEA9BC3E660A909D838D718C397AA3B561A6F7901E0E82974856A7020101034200041983917269AC877C0B61544C2C022000D2A5ABA723E2D80141E648B40911DC3459761F27480E4B57181A53D8FE1190EA86C939AC14363178CAFFC621F0F905C3").unwrap();
    CaParameters::new(
        &ObjectIdentifier::new_unwrap(ID_CA_ECDH_AES128),
        None,
        &spki,
    )
    .unwrap()
}

#[test]
fn chip_refusals_and_malformed_answers() {
    let params = ec_params();
    let ok = Response::status(StatusWord::SUCCESS);
    let ga_ok = Response::new(vec![0x7C, 0x00], StatusWord::SUCCESS);
    let start = || {
        chip::start(&params, CommandStyle::Auto, &mut SeededRandom::new(1))
            .unwrap()
            .1
    };

    assert_eq!(
        start()
            .handle(&[Response::status(StatusWord(0x6A80))])
            .unwrap_err(),
        CaError::Card {
            step: CaStep::MseSetAt,
            sw: StatusWord(0x6A80)
        }
    );
    assert_eq!(
        start()
            .handle(&[ok.clone(), Response::status(StatusWord(0x6300))])
            .unwrap_err(),
        CaError::Card {
            step: CaStep::GeneralAuthenticate,
            sw: StatusWord(0x6300)
        }
    );
    assert_eq!(
        start().handle(std::slice::from_ref(&ok)).unwrap_err(),
        CaError::Malformed("fewer responses than commands")
    );
    assert_eq!(
        start()
            .handle(&[ok.clone(), ga_ok.clone(), ok.clone()])
            .unwrap_err(),
        CaError::Malformed("more responses than commands")
    );
    assert_eq!(
        start()
            .handle(&[
                ok.clone(),
                Response::new(vec![0x80, 0x00], StatusWord::SUCCESS)
            ])
            .unwrap_err(),
        CaError::Malformed("GENERAL AUTHENTICATE answer is not 7C")
    );
    assert_eq!(
        start()
            .handle(&[Response::new(vec![1], StatusWord::SUCCESS), ga_ok.clone()])
            .unwrap_err(),
        CaError::Malformed("data in the answer to MSE")
    );
    // Empty GA data is tolerated (some chips omit 7C 00).
    assert!(start()
        .handle(&[ok.clone(), Response::status(StatusWord::SUCCESS)])
        .is_ok());

    // Results for the report.
    let e = CaError::Card {
        step: CaStep::MseSetAt,
        sw: StatusWord(0x6A80),
    };
    let failed = ChipAuthRun::from_exchange(Err(&e), Ok(()));
    assert_eq!(
        failed,
        ChipAuthRun::Failed {
            failure: CaFailure::Exchange(e.clone())
        }
    );
    assert_eq!(
        ChipAuthRun::from_exchange(Err(&CaError::NoPublicKey), Ok(())),
        ChipAuthRun::NotSupported
    );
    let completed = ChipAuthRun::Completed {
        method: ChipAuthMethod::ChipAuthentication,
    };
    assert_eq!(
        ChipAuthVerdict::judge(&completed, false),
        ChipAuthVerdict::Untrusted {
            reason: UntrustedCheck::KeyFileNotProven {
                file: cccd::ElementaryFile::Dg(14)
            }
        }
    );
    // The reason names the step and status, nothing secret.
    let ChipAuthVerdict::Failed { failure } = ChipAuthVerdict::judge(&failed, true) else {
        panic!()
    };
    assert_eq!(failure.code(), "exchange_failed");
    assert_eq!(
        failure.to_string(),
        "chip authentication failed: card answered 6A80 to MSE:Set AT"
    );
}

#[test]
fn invalid_chip_keys_are_refused_before_any_command() {
    let good = ec_params();
    // The point moved off the curve.
    let mut raw = good.public_key.raw.clone();
    let last = raw.len() - 1;
    raw[last] ^= 1;
    let oid = good.protocol.oid();
    let p = CaParameters::new(&oid, None, &raw).unwrap();
    assert_eq!(
        chip::start(&p, CommandStyle::Auto, &mut SeededRandom::new(1)).unwrap_err(),
        CaError::InvalidPublicKey("EC point not on the curve")
    );
    // An EC key under a DH protocol.
    let p = CaParameters::new(
        &ObjectIdentifier::new_unwrap(ID_CA_DH_3DES),
        None,
        &good.public_key.raw,
    )
    .unwrap();
    assert!(matches!(
        chip::start(&p, CommandStyle::Auto, &mut SeededRandom::new(1)),
        Err(CaError::InvalidPublicKey(_))
    ));
    // DH public value 1 (small subgroup) and out of range.
    let group = DhGroup::from_pace_id(0).unwrap();
    for y in [vec![1u8], group.p()] {
        let p = CaParameters::new(
            &ObjectIdentifier::new_unwrap(ID_CA_DH_3DES),
            None,
            &dh_spki(&group, &y),
        );
        if let Ok(p) = p {
            assert!(chip::start(&p, CommandStyle::Auto, &mut SeededRandom::new(1)).is_err());
        }
    }
    // A random source that fails.
    struct Broken;
    impl RandomSource for Broken {
        fn fill(&mut self, _: &mut [u8]) -> Result<(), cccd::crypto::CryptoError> {
            Err(cccd::crypto::CryptoError::Random)
        }
    }
    assert!(chip::start(&good, CommandStyle::Auto, &mut Broken).is_err());
}

#[test]
fn random_answers_and_keys_never_panic() {
    let params = ec_params();
    let cases: Vec<u64> = (0..2000).collect();
    parallel::on_every_core(&cases, |_, &i| {
        let mut rng = SeededRandom::new(77 + (i << 16));
        let (_, state) =
            chip::start(&params, CommandStyle::Auto, &mut SeededRandom::new(i % 4)).unwrap();
        let n = rng.below(4) as usize;
        let answers: Vec<Response> = (0..n)
            .map(|_| {
                let mut d = vec![0u8; rng.below(12) as usize];
                rng.fill(&mut d).unwrap();
                if rng.below(2) == 0 {
                    if let Some(b) = d.first_mut() {
                        *b = 0x7C;
                    }
                }
                let sw = if rng.below(3) == 0 { 0x6A80 } else { 0x9000 };
                Response::new(d, StatusWord(sw))
            })
            .collect();
        let _ = state.handle(&answers);

        // Random SPKI bytes (mutations of a valid one) through the plain-input constructor.
        let mut raw = params.public_key.raw.clone();
        let at = rng.below(raw.len() as u64) as usize;
        raw[at] ^= (rng.below(255) + 1) as u8;
        if let Ok(p) = CaParameters::new(&params.protocol.oid(), None, &raw) {
            let _ = chip::start(&p, CommandStyle::Auto, &mut SeededRandom::new(i));
        }
    });
}

/// Issue #10 item 9: DH domain parameters without q are refused before any command, since the
/// chip's public value could then not be checked to lie in the prime-order subgroup: p and g
/// alone (X9.42 cut short) and a PKCS #3 DHParameter with its privateValueLength.
#[test]
fn dh_parameters_without_q_are_refused() {
    let group = DhGroup::from_pace_id(2).unwrap(); // RFC 5114 2048/256
    let (_, y) = group.generate_keypair(&mut SeededRandom::new(5)).unwrap();
    let mut p_g = integer(&group.p());
    p_g.extend(integer(group.g()));
    let mut pkcs3 = p_g.clone();
    pkcs3.extend(integer(&[0x01, 0x00])); // privateValueLength 256
    for params in [p_g, pkcs3] {
        let p = CaParameters::new(
            &ObjectIdentifier::new_unwrap(ID_CA_DH_AES256),
            Some(1),
            &dh_spki_with(&params, &y),
        )
        .unwrap();
        assert_eq!(
            chip::start(&p, CommandStyle::Auto, &mut SeededRandom::new(1)).unwrap_err(),
            CaError::DhWithoutSubgroupOrder
        );
    }
    // The same key with q runs.
    let p = CaParameters::new(
        &ObjectIdentifier::new_unwrap(ID_CA_DH_AES256),
        Some(1),
        &dh_spki(&group, &y),
    )
    .unwrap();
    assert!(chip::start(&p, CommandStyle::Auto, &mut SeededRandom::new(1)).is_ok());
}
