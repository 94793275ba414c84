//! Chip Authentication known-answer tests.
//!
//! 1. `test-vectors/ca-gmrtd-transcripts.json`: four CA v1 sessions recorded from real
//!    passports (AT, DE with a keyId, MY 3DES through MSE:Set AT, FR 3DES through MSE:Set KAT
//!    with an inferred protocol), as published in gmrtd's chipauth tests. With the recorded
//!    ephemeral key, our commands wrapped by the old session must be the recorded bytes, the
//!    chip's answers must verify, and the session we derive must produce the recorded next
//!    command and accept the chip's answer to it (which only the real chip's K could MAC).
//! 2. The BSI TR-03105-5 data set: its DG14 key pair (bp224r1 explicit parameters). The chip's
//!    half is done here with `crypto::ec` directly; both sides must derive the same keys.
// Uses the primitives (tlv, crypto, the protocol steps): feature `internals`.
#![cfg(feature = "internals")]

use cccd::access::chip_auth::{self as chip, CaError, CaParameters, CaStep, CommandStyle};
use cccd::access::sm::SecureMessaging;
use cccd::apdu::{Command, Response, StatusWord};
use cccd::crypto::ec::Curve;
use cccd::crypto::kdf::{kdf, ENC, MAC};
use cccd::crypto::rng::{FixedRandom, SeededRandom};
use cccd::crypto::CipherAlg;
use cccd::document::{CaFailure, ChipAuthMethod, ChipAuthRun, ChipAuthVerdict};
use cccd::lds::dg14::Dg14;
use cccd::lds::security_info::{ChipAuthenticationProtocol, Cipher, KeyAgreement, PublicKey};
use cccd::tlv::{Reader, Tag};
use const_oid::ObjectIdentifier;
use serde_json::Value;

fn load(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("test-vectors")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).unwrap()
}

fn shared(rel: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/test-data")
        .join(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

fn h(v: &Value, name: &str) -> Vec<u8> {
    hex::decode(v[name].as_str().unwrap_or_else(|| panic!("{name} missing"))).unwrap()
}

fn cipher(name: &str) -> CipherAlg {
    match name {
        "tdes" => CipherAlg::Tdes,
        "aes128" => CipherAlg::Aes128,
        "aes192" => CipherAlg::Aes192,
        "aes256" => CipherAlg::Aes256,
        other => panic!("cipher {other}"),
    }
}

fn resp(bytes: &[u8]) -> Response {
    Response::parse(bytes).unwrap()
}

#[test]
fn gmrtd_real_passport_transcripts() {
    let file = load("ca-gmrtd-transcripts.json");
    let vectors = file["vectors"].as_array().unwrap();
    assert_eq!(vectors.len(), 4);
    for v in vectors {
        let name = v["name"].as_str().unwrap();
        let dg14 = Dg14::parse(&h(v, "dg14")).unwrap();
        let key_id = v["key_id"].as_u64();
        let params = CaParameters::select(&dg14.security_infos, None).unwrap();
        let oid = ObjectIdentifier::new_unwrap(v["protocol"].as_str().unwrap());
        assert_eq!(params.protocol.oid(), oid, "{name}");
        assert_eq!(params.key_id, key_id, "{name}");
        assert_eq!(params.protocol_inferred, name == "TestChipAuthFR", "{name}");

        // The ephemeral private key comes out of the RNG: 8 zero bytes then d, so that
        // (0^8 || d) mod n = d.
        let mut seed = vec![0u8; 8];
        seed.extend(h(v, "ephemeral_private_key"));
        let mut rng = FixedRandom::new(seed);
        let style = match v["style"].as_str().unwrap() {
            "kat" => CommandStyle::SetKat,
            "at_ga" => CommandStyle::SetAtGeneralAuthenticate,
            s => panic!("{s}"),
        };
        let (commands, state) = chip::start(&params, style, &mut rng).unwrap();
        // Auto picks the same form, except for the Malaysian chip (3DES through AT + GA).
        let auto_len = if params.protocol.cipher == Cipher::TripleDesCbcCbc {
            1
        } else {
            2
        };
        assert_eq!(
            commands.len() == auto_len,
            name != "TestChipAuthMY",
            "{name}"
        );

        // PK_IFD as the command carries it.
        let mut pk = vec![0x04];
        pk.extend(h(v, "ephemeral_public_x"));
        pk.extend(h(v, "ephemeral_public_y"));
        let last = commands.last().unwrap();
        assert!(
            last.data.windows(pk.len()).any(|w| w == pk.as_slice()),
            "{name}: PK_IFD"
        );

        let mut old = SecureMessaging::new(
            cipher(v["sm_cipher"].as_str().unwrap()),
            &h(v, "sm_k_enc"),
            &h(v, "sm_k_mac"),
            &h(v, "sm_ssc"),
        )
        .unwrap();
        let exchange = v["exchange"].as_array().unwrap();
        assert_eq!(exchange.len(), commands.len(), "{name}");
        assert_eq!(exchange.len(), state.steps().len());
        let mut answers = Vec::new();
        for (cmd, step) in commands.iter().zip(exchange) {
            let wrapped = old.wrap(cmd).unwrap();
            assert_eq!(
                hex::encode_upper(wrapped.to_bytes().unwrap()),
                step["command"].as_str().unwrap().to_uppercase(),
                "{name}: {}",
                step["step"]
            );
            let answer = old
                .unwrap(&resp(
                    &hex::decode(step["response"].as_str().unwrap()).unwrap(),
                ))
                .unwrap();
            answers.push(answer);
        }
        let mut new = state.handle(&answers).unwrap();
        assert_eq!(new.cipher(), cipher(v["ca_cipher"].as_str().unwrap()));

        // The derived session produces the recorded next command and accepts the chip's MAC.
        let next = Command::parse(&h(v, "next_command_plain")).unwrap();
        let wrapped = new.wrap(&next).unwrap();
        assert_eq!(
            hex::encode_upper(wrapped.to_bytes().unwrap()),
            v["next_command"].as_str().unwrap().to_uppercase(),
            "{name}: next command"
        );
        let answer = new.unwrap(&resp(&h(v, "next_response"))).unwrap();
        assert_eq!(answer.sw, StatusWord::SUCCESS);

        // gmrtd's expected KSenc/KSmac, with SSC 0, give the same protected command.
        let mut expected = SecureMessaging::new(
            new.cipher(),
            &h(v, "ks_enc"),
            &h(v, "ks_mac"),
            &vec![0u8; new.cipher().block_size()],
        )
        .unwrap();
        assert_eq!(expected.wrap(&next).unwrap(), wrapped, "{name}: KS");

        let run = ChipAuthRun::from_exchange(Ok(()), Ok(()));
        assert_eq!(
            run,
            ChipAuthRun::Completed {
                method: ChipAuthMethod::ChipAuthentication
            }
        );
        assert_eq!(ChipAuthVerdict::judge(&run, true), ChipAuthVerdict::Trusted);
    }
}

/// A clone: same DG14, different private key. Its MSE answers still verify under the old
/// session (it knows those keys), but the next response under the new keys cannot.
#[test]
fn gmrtd_transcript_with_wrong_chip_key_fails_at_the_first_new_response() {
    let file = load("ca-gmrtd-transcripts.json");
    let v = &file["vectors"][0];
    let dg14 = Dg14::parse(&h(v, "dg14")).unwrap();
    let params = CaParameters::select(&dg14.security_infos, None).unwrap();
    // Another ephemeral key: the derived K differs from the one the chip MACed with.
    let (_, state) = chip::start(&params, CommandStyle::Auto, &mut SeededRandom::new(99)).unwrap();
    let answers = [
        Response::status(StatusWord::SUCCESS),
        Response::new(vec![0x7C, 0x00], StatusWord::SUCCESS),
    ];
    let mut new = state.handle(&answers).unwrap();
    let next = Command::parse(&h(v, "next_command_plain")).unwrap();
    new.wrap(&next).unwrap();
    let err = new.unwrap(&resp(&h(v, "next_response"))).unwrap_err();
    assert_eq!(err, cccd::access::sm::SmError::MacMismatch);
    let result = ChipAuthRun::from_exchange(Ok(()), Err(&err));
    assert_eq!(
        result,
        ChipAuthRun::Failed {
            failure: CaFailure::FirstResponseRejected(err)
        }
    );
}

/// The BSI data set's DG14 (ECDH, bp224r1 explicit, id-CA-ECDH-3DES-CBC-CBC) and its private
/// key: the chip's half with `crypto::ec` directly.
#[test]
fn bsi_dg14_key_pair_both_sides_agree() {
    let dg14 = Dg14::parse(&shared("bsi-tr03105-5/Datagroup14.bin")).unwrap();
    let params = CaParameters::select(&dg14.security_infos, None).unwrap();
    assert_eq!(
        params.protocol,
        ChipAuthenticationProtocol {
            key_agreement: KeyAgreement::Ecdh,
            cipher: Cipher::TripleDesCbcCbc
        }
    );
    assert_eq!(params.key_id, None);
    assert!(!params.protocol_inferred);
    let PublicKey::Ec(chip_pk) = &params.public_key.key else {
        panic!("not EC")
    };

    // PrivateKeyInfo { 0, AlgorithmIdentifier { id-ecPublicKey, ECParameters },
    //                  OCTET STRING { ECPrivateKey { 1, OCTET STRING d, ... } } }
    let sk = shared("bsi-tr03105-5/DG14_sk.pkcs8");
    let mut r = Reader::new(&sk);
    let pki = r.read_tag(Tag(0x30)).unwrap();
    let mut p = pki.children();
    p.read_tag(Tag(0x02)).unwrap();
    let alg = p.read_tag(Tag(0x30)).unwrap();
    let mut a = alg.children();
    a.read_tag(Tag(0x06)).unwrap();
    let curve_params = a.read().unwrap();
    let curve = Curve::from_ec_parameters_der(curve_params.raw).unwrap();
    let octets = p.read_tag(Tag(0x04)).unwrap();
    let mut e = Reader::new(octets.value);
    let ec_pk = e.read_tag(Tag(0x30)).unwrap();
    let mut ecr = ec_pk.children();
    ecr.read_tag(Tag(0x02)).unwrap();
    let d = ecr.read_tag(Tag(0x04)).unwrap().value.to_vec();
    // The private key belongs to DG14's public key.
    assert_eq!(
        curve.encode_point(&curve.mul(&d, &curve.generator())),
        chip_pk.point
    );

    for seed in 0..4u64 {
        let (commands, state) =
            chip::start(&params, CommandStyle::Auto, &mut SeededRandom::new(seed)).unwrap();
        // 3DES: one MSE:Set KAT 00 22 41 A6 { 91 PK_IFD }, no keyId.
        assert_eq!(state.steps(), [CaStep::MseSetKat]);
        let [kat] = commands.as_slice() else {
            panic!("{commands:?}")
        };
        assert_eq!(
            (kat.cla, kat.ins, kat.p1, kat.p2, kat.le),
            (0x00, 0x22, 0x41, 0xA6, None)
        );
        let (head, pk_ifd) = kat.data.split_at(2);
        assert_eq!(head, [0x91, 0x39]);

        // The chip's half: K = x(d · PK_IFD), KS = KDF(K, 1/2), SSC = 0.
        let pk_ifd = curve.decode_point(pk_ifd).unwrap();
        let k = curve.ecdh(&d, &pk_ifd).unwrap();
        let mut chip_side = SecureMessaging::new(
            CipherAlg::Tdes,
            &kdf(&k, ENC, CipherAlg::Tdes),
            &kdf(&k, MAC, CipherAlg::Tdes),
            &[0; 8],
        )
        .unwrap();
        let mut reader = state
            .handle(&[Response::status(StatusWord::SUCCESS)])
            .unwrap();
        let select = Command::new(0x00, 0xA4, 0x02, 0x0C).with_data(vec![0x01, 0x01]);
        assert_eq!(
            reader.wrap(&select).unwrap(),
            chip_side.wrap(&select).unwrap()
        );

        // A clone with another private key derives other keys.
        let mut clone_d = d.clone();
        clone_d[27] ^= 1;
        let k_clone = curve.ecdh(&clone_d, &pk_ifd).unwrap();
        assert_ne!(*k_clone, *k);
    }
}

/// Key choice by keyId, and the typed refusals.
#[test]
fn key_selection_by_key_id() {
    let file = load("ca-gmrtd-transcripts.json");
    let de = Dg14::parse(&h(&file["vectors"][1], "dg14")).unwrap();
    let p = CaParameters::select(&de.security_infos, Some(195)).unwrap();
    assert_eq!(p.key_id, Some(195));
    assert_eq!(
        CaParameters::select(&de.security_infos, Some(7)),
        Err(CaError::KeyNotFound(Some(7)))
    );
    // A DG14 with PACE info only.
    let no_ca =
        Dg14::parse(&hex::decode("6E1631143012060A04007F0007020204020402010202010D").unwrap())
            .unwrap();
    assert_eq!(
        CaParameters::select(&no_ca.security_infos, None),
        Err(CaError::NoPublicKey)
    );
    // Plain inputs: OID, key id, SPKI.
    let spki = p.public_key.raw.clone();
    let q = CaParameters::new(&p.protocol.oid(), Some(195), &spki).unwrap();
    assert_eq!(q, p);
    assert!(matches!(
        CaParameters::new(
            &ObjectIdentifier::new_unwrap("0.4.0.127.0.7.2.2.1.2"),
            None,
            &spki
        ),
        Err(CaError::Unsupported(_))
    ));
    assert!(matches!(
        CaParameters::new(&p.protocol.oid(), None, &spki[..spki.len() - 1]),
        Err(CaError::InvalidPublicKey(_))
    ));
    // KAT refused for AES.
    assert_eq!(
        chip::start(&p, CommandStyle::SetKat, &mut SeededRandom::new(1)).unwrap_err(),
        CaError::Unsupported("MSE:Set KAT with an AES protocol")
    );
    // With the keyId, MSE:Set AT carries 84 01 C3.
    let (cmds, _) = chip::start(&p, CommandStyle::Auto, &mut SeededRandom::new(1)).unwrap();
    assert_eq!(
        hex::encode_upper(&cmds[0].data),
        "800A04007F0007020203020284 01C3".replace(' ', "")
    );
}
