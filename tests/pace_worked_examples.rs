//! PACE at the APDU level against the ICAO 9303-11 worked examples (Appendices G, H, I):
//! the spec's random values replayed through `FixedRandom`, the spec's chip responses fed
//! in, every command compared byte for byte. Then every way a card can say no.
// Uses the primitives (tlv, crypto, the protocol steps): feature `internals`.
#![cfg(feature = "internals")]

use cccd::access::pace::{
    self, ExpectAgreementKey, ExpectMappingData, ExpectNonce, ExpectToken, PaceConfig, PaceError,
    PaceOutcome, PacePassword,
};
use cccd::apdu::{Response, StatusWord};
use cccd::crypto::dh::DhError;
use cccd::crypto::ec::{EcError, PrimeField};
use cccd::crypto::rng::{FixedRandom, SeededRandom};
use cccd::crypto::CipherAlg;
use serde_json::Value;

fn doc(name: &str) -> Value {
    let path = format!("{}/test-vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

struct Example {
    sec: Value,
}

impl Example {
    fn new(file: &str, section: &str) -> Self {
        Self {
            sec: doc(file)[section].clone(),
        }
    }

    fn field(&self, name: &str) -> Vec<u8> {
        hex::decode(self.sec["fields"][name]["value"].as_str().unwrap()).unwrap()
    }

    fn config(&self) -> PaceConfig {
        let oid = hex::decode(self.sec["protocol_oid"]["value"].as_str().unwrap()).unwrap();
        let id = u8::try_from(self.sec["parameter_id"].as_u64().unwrap()).unwrap();
        PaceConfig::from_oid_and_parameter_id(
            &const_oid::ObjectIdentifier::from_bytes(&oid).unwrap(),
            id,
        )
        .unwrap()
    }

    fn password(&self) -> (String, Vec<u8>) {
        (
            self.sec["password"]["kind"].as_str().unwrap().to_string(),
            self.sec["password"]["value"]
                .as_str()
                .unwrap()
                .as_bytes()
                .to_vec(),
        )
    }

    /// The terminal's random values in the order the state machine draws them.
    fn rng(&self) -> FixedRandom {
        let mut bytes = Vec::new();
        for name in self.sec["random"].as_array().unwrap() {
            let name = name.as_str().unwrap();
            if name == "sk_dh_ifd mod q" {
                // H.2 prints a 1024-bit exponent; the reader draws below q (same public key).
                let q = cccd::crypto::dh::DhGroup::from_pace_id(0)
                    .unwrap()
                    .q()
                    .unwrap()
                    .to_vec();
                let qf = PrimeField::new(&q).unwrap();
                bytes.extend(qf.to_bytes(&qf.reduce(&self.field("sk_dh_ifd"))));
            } else {
                bytes.extend(self.field(name));
            }
        }
        FixedRandom::new(bytes)
    }

    fn step(&self, i: usize) -> (Vec<u8>, Response) {
        let t = &self.sec["transcript"][i];
        let cmd = hex::decode(t["command"].as_str().unwrap()).unwrap();
        let resp = Response::parse(&hex::decode(t["response"].as_str().unwrap()).unwrap()).unwrap();
        (cmd, resp)
    }
}

/// Runs the example's first `upto` steps with `send_parameter_id` as given, asserting every
/// command; returns the states reached.
struct Run {
    nonce: Option<ExpectNonce>,
    mapping: Option<ExpectMappingData>,
    agreement: Option<ExpectAgreementKey>,
    token: Option<ExpectToken>,
}

fn run_to_token(ex: &Example) -> (ExpectToken, FixedRandom) {
    let r = run(ex, 4);
    (r.token.unwrap(), ex.rng())
}

fn run(ex: &Example, upto: usize) -> Run {
    let cfg = ex.config();
    let (kind, pw) = ex.password();
    let password = if kind == "CAN" {
        PacePassword::Can(&pw)
    } else {
        PacePassword::Mrz(&pw)
    };
    let mut rng = ex.rng();
    let mut out = Run {
        nonce: None,
        mapping: None,
        agreement: None,
        token: None,
    };
    let (mse, st) = pace::start(&cfg, password).unwrap();
    let (cmd, resp) = ex.step(0);
    assert_eq!(
        hex::encode_upper(mse.to_bytes().unwrap()),
        hex::encode_upper(&cmd)
    );
    let (ga1, st) = st.handle(&resp).unwrap();
    let (cmd, resp) = ex.step(1);
    assert_eq!(
        hex::encode_upper(ga1.to_bytes().unwrap()),
        hex::encode_upper(&cmd)
    );
    if upto == 1 {
        out.nonce = Some(st);
        return out;
    }
    let (ga2, st) = st.handle(&resp, &mut rng).unwrap();
    let (cmd, resp) = ex.step(2);
    assert_eq!(
        hex::encode_upper(ga2.to_bytes().unwrap()),
        hex::encode_upper(&cmd)
    );
    if upto == 2 {
        out.mapping = Some(st);
        return out;
    }
    let (ga3, st) = st.handle(&resp, &mut rng).unwrap();
    let (cmd, resp) = ex.step(3);
    assert_eq!(
        hex::encode_upper(ga3.to_bytes().unwrap()),
        hex::encode_upper(&cmd)
    );
    if upto == 3 {
        out.agreement = Some(st);
        return out;
    }
    let (ga4, st) = st.handle(&resp).unwrap();
    let (cmd, _) = ex.step(4);
    assert_eq!(
        hex::encode_upper(ga4.to_bytes().unwrap()),
        hex::encode_upper(&cmd)
    );
    out.token = Some(st);
    out
}

fn complete(ex: &Example) -> PaceOutcome {
    let (st, _) = run_to_token(ex);
    st.handle(&ex.step(4).1).unwrap()
}

const EXAMPLES: [(&str, &str); 5] = [
    ("icao9303-11-appendix-g.json", "G.1"),
    ("icao9303-11-appendix-g.json", "G.2"),
    ("icao9303-11-appendix-h.json", "H.1"),
    ("icao9303-11-appendix-h.json", "H.2"),
    ("icao9303-11-appendix-i.json", "I.1"),
];

#[test]
fn every_worked_example_replays_byte_for_byte() {
    for (file, section) in EXAMPLES {
        let ex = Example::new(file, section);
        let out = complete(&ex);
        assert_eq!(out.sm.cipher(), CipherAlg::Aes128, "{section}");
        assert_eq!(out.config, ex.config());
        let chip_key = ex.field("pk_dh_ic");
        match section {
            // ECDH: ID_PICC is the x-coordinate of the chip's ephemeral key.
            "G.1" | "H.1" | "I.1" => assert_eq!(out.id_picc, chip_key[1..33].to_vec()),
            _ => {
                use sha1::Digest;
                assert_eq!(out.id_picc, sha1::Sha1::digest(&chip_key).to_vec())
            }
        }
        assert_eq!(out.chip_authentication_data.is_some(), section == "I.1");
    }
}

#[test]
fn secure_messaging_starts_with_ssc_zero() {
    // After Appendix I.1, gmrtd (TestDoPace_CAM_ECDH, an independent implementation) selects
    // EF.CardSecurity under the new keys: SSC 0 before, 1 for this first command, 2 for its
    // answer. Our session must produce exactly its bytes and accept its answer.
    let ex = Example::new("icao9303-11-appendix-i.json", "I.1");
    let mut sm = complete(&ex).sm;
    let select = cccd::apdu::Command::new(0x00, 0xA4, 0x02, 0x0C).with_data(vec![0x01, 0x1D]);
    assert_eq!(
        hex::encode_upper(sm.wrap(&select).unwrap().to_bytes().unwrap()),
        "0CA4020C1D8711013824F3CB16CAA40DDFF8459C215CC4988E08158449671FCC718300"
    );
    let answer =
        Response::parse(&hex::decode("990290008E085E007CA87260A77F9000").unwrap()).unwrap();
    assert!(sm.unwrap(&answer).unwrap().sw.is_success());
}

#[test]
fn im_mapping_answer_may_be_7c00_or_empty_or_empty_82() {
    let ex = Example::new("icao9303-11-appendix-h.json", "H.1");
    for answer in ["7C009000", "9000", "7C0282009000"] {
        let r = run(&ex, 2);
        let mut rng = ex.rng();
        // The run above consumed t from its own copy; skip it in ours.
        let mut skip = [0u8; 16];
        cccd::crypto::rng::RandomSource::fill(&mut rng, &mut skip).unwrap();
        let resp = Response::parse(&hex::decode(answer).unwrap()).unwrap();
        let (ga3, _) = r.mapping.unwrap().handle(&resp, &mut rng).unwrap();
        assert_eq!(
            hex::encode_upper(ga3.to_bytes().unwrap()),
            ex.sec["transcript"][3]["command"].as_str().unwrap()
        );
    }
    // But not mapping data for IM.
    let r = run(&ex, 2);
    let mut rng = ex.rng();
    let resp = Response::parse(&hex::decode("7C038201AA9000").unwrap()).unwrap();
    assert_eq!(
        r.mapping.unwrap().handle(&resp, &mut rng).unwrap_err(),
        PaceError::Malformed("IM mapping data not empty")
    );
}

#[test]
fn parameter_id_is_sent_when_asked() {
    let ex = Example::new("icao9303-11-appendix-g.json", "G.1");
    let cfg = ex.config().with_parameter_id_sent(true);
    let (mse, _) = pace::start(&cfg, PacePassword::Can(b"123456")).unwrap();
    assert_eq!(
        hex::encode_upper(mse.to_bytes().unwrap()),
        "0022C1A412800A04007F0007020204020283010284010D"
    );
    assert_eq!(mse.le, None);
}

#[test]
fn dh_token_answer_may_carry_certification_authority_references() {
    let ex = Example::new("icao9303-11-appendix-g.json", "G.2");
    let (st, _) = run_to_token(&ex);
    let mut w = cccd::tlv::Writer::new();
    w.constructed(cccd::tlv::Tag(0x7C), |w| {
        w.put(cccd::tlv::Tag(0x86), &ex.field("t_ic"));
        w.put(cccd::tlv::Tag(0x87), b"DETESTCVCA00003");
        w.put(cccd::tlv::Tag(0x88), b"DETESTCVCA00002");
    });
    assert!(st.handle(&with_data(w.into_bytes())).is_ok());
    // An unknown data object next to the token is refused.
    let (st, _) = run_to_token(&ex);
    let mut w = cccd::tlv::Writer::new();
    w.constructed(cccd::tlv::Tag(0x7C), |w| {
        w.put(cccd::tlv::Tag(0x86), &ex.field("t_ic"));
        w.put(cccd::tlv::Tag(0x99), &[0]);
    });
    assert!(matches!(
        st.handle(&with_data(w.into_bytes())),
        Err(PaceError::Malformed(_))
    ));
}

// ---------------------------------------------------------------- negative paths

#[test]
fn wrong_password_at_the_token_step() {
    let ex = Example::new("icao9303-11-appendix-g.json", "G.1");
    for sw in [0x6300, 0x63C2, 0x63C0] {
        let (st, _) = run_to_token(&ex);
        assert_eq!(
            st.handle(&Response::status(StatusWord(sw))).unwrap_err(),
            PaceError::WrongPassword
        );
    }
    // A flipped token bit.
    let (st, _) = run_to_token(&ex);
    let mut bad = ex.step(4).1;
    let last = bad.data.len() - 1;
    bad.data[last] ^= 1;
    assert_eq!(st.handle(&bad).unwrap_err(), PaceError::WrongPassword);
    // The whole session under another MRZ: the chip's token cannot verify.
    let cfg = ex.config();
    let (_, st) = pace::start(&cfg, PacePassword::Mrz(b"T22000129364081251010319")).unwrap();
    let mut rng = ex.rng();
    let (_, st) = st.handle(&ex.step(0).1).unwrap();
    let (_, st) = st.handle(&ex.step(1).1, &mut rng).unwrap();
    let (_, st) = st.handle(&ex.step(2).1, &mut rng).unwrap();
    let (_, st) = st.handle(&ex.step(3).1).unwrap();
    assert_eq!(
        st.handle(&ex.step(4).1).unwrap_err(),
        PaceError::WrongPassword
    );
}

/// The encrypted nonce z is E(K_π, s) in CBC (9303-11 §4.4.3.3): whole cipher blocks, at
/// least one. G.1 uses AES-128 (16-byte blocks) and a 16-byte z. Anything else is refused
/// before decryption; the bound on its length (64 bytes: four AES blocks, any nonce a
/// mapping needs) is inclusive.
#[test]
fn the_encrypted_nonce_is_whole_blocks_within_the_bound() {
    let ex = Example::new("icao9303-11-appendix-g.json", "G.1");
    for (len, accepted) in [
        (0, false),
        (15, false),
        (17, false),
        (16, true),
        (64, true),
        (80, false),
    ] {
        let r = run(&ex, 1);
        let mut rng = ex.rng();
        let result = r
            .nonce
            .unwrap()
            .handle(&with_data(wrap(0x80, &vec![0x5A; len])), &mut rng);
        if accepted {
            assert!(result.is_ok(), "{len}: {:?}", result.err());
        } else {
            assert!(
                matches!(result, Err(PaceError::Malformed(_))),
                "{len}: {:?}",
                result.err()
            );
        }
    }
}

/// A GENERAL AUTHENTICATE whose data passes 255 bytes is an extended APDU with an extended
/// Le (`0000`): on DH-2048 (parameter id 2, RFC 5114 §2.2) the mapping key alone is 256
/// bytes. Appendix G.2 (DH-1024) checks the short form byte for byte.
#[test]
fn a_dh_2048_mapping_key_goes_out_extended() {
    use cccd::access::pace::{Cipher, KeyAgreement, Mapping, PaceProtocol};
    let protocol = PaceProtocol {
        key_agreement: KeyAgreement::Dh,
        mapping: Mapping::Generic,
        cipher: Cipher::AesCbcCmac128,
    };
    let cfg = PaceConfig::new(protocol, 2).unwrap();
    let (_, st) = pace::start(&cfg, PacePassword::Can(b"123456")).unwrap();
    let (_, st) = st.handle(&Response::status(StatusWord::SUCCESS)).unwrap();
    let mut rng = SeededRandom::new(2048);
    let (cmd, _) = st
        .handle(&with_data(wrap(0x80, &[0x5A; 16])), &mut rng)
        .unwrap();
    // 7C 82 01 04 | 81 82 01 00 | 256 bytes.
    assert_eq!(cmd.data.len(), 264);
    assert_eq!(cmd.le, Some(65_536));
    let bytes = cmd.to_bytes().unwrap();
    assert_eq!(bytes[4..7], [0x00, 0x01, 0x08]);
    assert_eq!(bytes[bytes.len() - 2..], [0x00, 0x00]);
}

#[test]
fn card_errors_name_their_step() {
    let ex = Example::new("icao9303-11-appendix-g.json", "G.1");
    let cfg = ex.config();
    let (_, st) = pace::start(&cfg, PacePassword::Can(b"123456")).unwrap();
    assert_eq!(
        st.handle(&Response::status(StatusWord(0x6A80)))
            .unwrap_err(),
        PaceError::Card {
            step: "MSE:Set AT",
            sw: StatusWord(0x6A80)
        }
    );
    let r = run(&ex, 1);
    let mut rng = ex.rng();
    assert!(matches!(
        r.nonce
            .unwrap()
            .handle(&Response::status(StatusWord(0x6982)), &mut rng),
        Err(PaceError::Card {
            sw: StatusWord(0x6982),
            ..
        })
    ));
    let r = run(&ex, 2);
    assert!(matches!(
        r.mapping
            .unwrap()
            .handle(&Response::status(StatusWord(0x6A80)), &mut rng),
        Err(PaceError::Card {
            sw: StatusWord(0x6A80),
            ..
        })
    ));
    let r = run(&ex, 3);
    assert!(matches!(
        r.agreement
            .unwrap()
            .handle(&Response::status(StatusWord(0x6300))),
        Err(PaceError::Card {
            sw: StatusWord(0x6300),
            ..
        })
    ));
    let (st, _) = run_to_token(&ex);
    assert_eq!(
        st.handle(&Response::status(StatusWord(0x6A80)))
            .unwrap_err(),
        PaceError::Card {
            step: "GENERAL AUTHENTICATE (mutual authentication)",
            sw: StatusWord(0x6A80)
        }
    );
}

fn with_data(data: Vec<u8>) -> Response {
    Response::new(data, StatusWord::SUCCESS)
}

fn wrap(tag: u8, value: &[u8]) -> Vec<u8> {
    let mut w = cccd::tlv::Writer::new();
    w.constructed(cccd::tlv::Tag(0x7C), |w| {
        w.put(cccd::tlv::Tag(u32::from(tag)), value);
    });
    w.into_bytes()
}

#[test]
fn chip_keys_off_the_curve_or_reflected_are_refused() {
    let ex = Example::new("icao9303-11-appendix-g.json", "G.1");
    // Mapping key off the curve.
    let mut off = ex.field("pk_map_ic");
    *off.last_mut().unwrap() ^= 1;
    let r = run(&ex, 2);
    let mut rng = ex.rng();
    assert_eq!(
        r.mapping
            .unwrap()
            .handle(&with_data(wrap(0x82, &off)), &mut rng)
            .unwrap_err(),
        PaceError::Ec(EcError::PointNotOnCurve)
    );
    // Compressed, infinity, truncated encodings.
    for bad in [
        [&[0x02][..], &ex.field("pk_map_ic")[1..33]].concat(),
        vec![0x00],
        ex.field("pk_map_ic")[..64].to_vec(),
    ] {
        let r = run(&ex, 2);
        let mut rng = ex.rng();
        assert!(matches!(
            r.mapping
                .unwrap()
                .handle(&with_data(wrap(0x82, &bad)), &mut rng),
            Err(PaceError::Ec(_))
        ));
    }
    // Our own mapping key sent back.
    let r = run(&ex, 2);
    let mut rng = ex.rng();
    assert_eq!(
        r.mapping
            .unwrap()
            .handle(&with_data(wrap(0x82, &ex.field("pk_map_ifd"))), &mut rng)
            .unwrap_err(),
        PaceError::ReflectedKey
    );
    // Agreement key off the curve, and reflected.
    let mut off = ex.field("pk_dh_ic");
    off[10] ^= 0x40;
    let r = run(&ex, 3);
    assert_eq!(
        r.agreement
            .unwrap()
            .handle(&with_data(wrap(0x84, &off)))
            .unwrap_err(),
        PaceError::Ec(EcError::PointNotOnCurve)
    );
    let r = run(&ex, 3);
    assert_eq!(
        r.agreement
            .unwrap()
            .handle(&with_data(wrap(0x84, &ex.field("pk_dh_ifd"))))
            .unwrap_err(),
        PaceError::ReflectedKey
    );
}

#[test]
fn dh_chip_values_outside_the_subgroup_are_refused() {
    let ex = Example::new("icao9303-11-appendix-g.json", "G.2");
    let p = cccd::crypto::dh::DhGroup::from_pace_id(0).unwrap().p();
    let mut p_minus_1 = p.clone();
    *p_minus_1.last_mut().unwrap() -= 1;
    for bad in [
        vec![1u8],
        vec![2u8],
        p_minus_1.clone(),
        p.clone(),
        vec![0u8],
    ] {
        let r = run(&ex, 2);
        let mut rng = ex.rng();
        assert_eq!(
            r.mapping
                .unwrap()
                .handle(&with_data(wrap(0x82, &bad)), &mut rng)
                .unwrap_err(),
            PaceError::Dh(DhError::InvalidPublicKey),
            "{}",
            hex::encode(&bad)
        );
        let r = run(&ex, 3);
        assert_eq!(
            r.agreement
                .unwrap()
                .handle(&with_data(wrap(0x84, &bad)))
                .unwrap_err(),
            PaceError::Dh(DhError::InvalidPublicKey)
        );
    }
    // Longer than p.
    let r = run(&ex, 3);
    assert!(matches!(
        r.agreement
            .unwrap()
            .handle(&with_data(wrap(0x84, &[p.clone(), vec![0]].concat()))),
        Err(PaceError::Malformed(_))
    ));
}

/// A completed PACE in a log names its protocol, never its keys or the chip's CA data.
#[test]
fn outcomes_print_without_secrets() {
    let ex = Example::new("icao9303-11-appendix-i.json", "I.1");
    let out = complete(&ex);
    let printed = format!("{out:?}");
    assert!(printed.starts_with("PaceOutcome {"), "{printed}");
    assert!(printed.contains("config"), "{printed}");
    assert!(
        printed.contains("chip_authentication_data: true"),
        "{printed}"
    );
    let (_, binding) = out.into_parts();
    let printed_binding = format!("{binding:?}");
    assert!(
        printed_binding.starts_with("PaceBinding {"),
        "{printed_binding}"
    );
    assert!(printed_binding.contains("config"), "{printed_binding}");
    for secret in ["ks_enc", "ks_mac", "ca_data"] {
        let bytes = ex.field(secret);
        for text in [&printed, &printed_binding] {
            assert!(!text.contains(&format!("{bytes:?}")), "{secret}");
            assert!(!text.contains(&hex::encode(&bytes)), "{secret}");
            assert!(!text.contains(&hex::encode_upper(&bytes)), "{secret}");
        }
    }
}

#[test]
fn cam_data_checked() {
    let ex = Example::new("icao9303-11-appendix-i.json", "I.1");
    let out = complete(&ex);
    assert_eq!(
        out.chip_authentication_data.as_deref(),
        Some(&ex.field("ca_data")[..])
    );
    out.verify_chip_authentication_mapping(&ex.field("pk_ic"))
        .unwrap();
    // Another chip's static key.
    assert_eq!(
        out.verify_chip_authentication_mapping(&ex.field("pk_dh_ic"))
            .unwrap_err(),
        PaceError::ChipAuthenticationFailed
    );
    let mut off = ex.field("pk_ic");
    off[40] ^= 1;
    assert_eq!(
        out.verify_chip_authentication_mapping(&off).unwrap_err(),
        PaceError::Ec(EcError::PointNotOnCurve)
    );
    // CAM without 8A.
    let (st, _) = run_to_token(&ex);
    let token_only = wrap(0x86, &ex.field("t_ic"));
    assert_eq!(
        st.handle(&with_data(token_only)).unwrap_err(),
        PaceError::ChipAuthenticationData
    );
    // A tampered 8A (last block: padding breaks).
    let (st, _) = run_to_token(&ex);
    let mut resp = ex.step(4).1;
    let n = resp.data.len();
    resp.data[n - 1] ^= 0x01;
    assert!(matches!(st.handle(&resp), Err(PaceError::Malformed(_))));
    // Two 8A objects: which one the chip meant is unknown, so the answer is refused (a relay
    // could append its own CA data after the chip's).
    let (st, _) = run_to_token(&ex);
    let answer = ex.step(4).1.data;
    // 7C 3C | 86 08 T_IC | 8A 30 A_IC (I.1: 32 bytes of CA data, 48 encrypted).
    assert_eq!(answer[..4], [0x7C, 0x3C, 0x86, 0x08]);
    assert_eq!(answer[12..14], [0x8A, 0x30]);
    let a_ic = &answer[14..];
    let mut w = cccd::tlv::Writer::new();
    w.constructed(cccd::tlv::Tag(0x7C), |w| {
        w.put(cccd::tlv::Tag(0x86), &ex.field("t_ic"));
        w.put(cccd::tlv::Tag(0x8A), a_ic);
        w.put(cccd::tlv::Tag(0x8A), a_ic);
    });
    assert!(matches!(
        st.handle(&with_data(w.into_bytes())),
        Err(PaceError::Malformed(_))
    ));
    // A_IC is exactly CA_IC (32 bytes on brainpoolP256r1) padded to whole AES blocks: 48
    // bytes. Other lengths, whole blocks or not, are refused before decryption.
    for len in [0, 16, 17, 32, 47, 64, 80, 96, 112] {
        let (st, _) = run_to_token(&ex);
        let mut w = cccd::tlv::Writer::new();
        w.constructed(cccd::tlv::Tag(0x7C), |w| {
            w.put(cccd::tlv::Tag(0x86), &ex.field("t_ic"));
            w.put(cccd::tlv::Tag(0x8A), &vec![0x5A; len]);
        });
        assert!(
            matches!(
                st.handle(&with_data(w.into_bytes())),
                Err(PaceError::Malformed(_))
            ),
            "{len}"
        );
    }
    // GM must not carry 8A, and GM outcomes have nothing to verify.
    let g1 = Example::new("icao9303-11-appendix-g.json", "G.1");
    let (st, _) = run_to_token(&g1);
    let mut data = ex.step(4).1.data.clone();
    data.splice(4..12, g1.field("t_ic"));
    assert_eq!(
        st.handle(&with_data(data)).unwrap_err(),
        PaceError::ChipAuthenticationData
    );
    assert_eq!(
        complete(&g1)
            .verify_chip_authentication_mapping(&ex.field("pk_ic"))
            .unwrap_err(),
        PaceError::ChipAuthenticationData
    );
}

#[test]
fn truncated_and_garbled_answers_are_typed_errors() {
    for (file, section) in EXAMPLES {
        let ex = Example::new(file, section);
        for step in 1..=4 {
            let good = ex.step(step).1;
            let mut cases: Vec<Vec<u8>> = (0..good.data.len())
                .map(|n| good.data[..n].to_vec())
                .collect();
            cases.push([good.data.clone(), vec![0]].concat());
            let mut wrong_outer = good.data.clone();
            if let Some(b) = wrong_outer.first_mut() {
                *b = 0x7D;
            }
            cases.push(wrong_outer);
            for data in cases {
                if section.starts_with('H')
                    && step == 2
                    && (data.is_empty() || data == [0x7C, 0x00])
                {
                    continue; // legitimate IM answers
                }
                let resp = with_data(data.clone());
                let r = run(&ex, step);
                let mut rng = ex.rng();
                let err = match step {
                    1 => r.nonce.unwrap().handle(&resp, &mut rng).map(|_| ()),
                    2 => {
                        // Draw the same values the real run did for step 1.
                        let mut rng2 = ex.rng();
                        let skip = first_draw_len(&ex);
                        let mut tmp = vec![0u8; skip];
                        cccd::crypto::rng::RandomSource::fill(&mut rng2, &mut tmp).unwrap();
                        r.mapping.unwrap().handle(&resp, &mut rng2).map(|_| ())
                    }
                    3 => r.agreement.unwrap().handle(&resp).map(|_| ()),
                    _ => r.token.unwrap().handle(&resp).map(|_| ()),
                };
                assert!(
                    err.is_err(),
                    "{section} step {step} accepted {}",
                    hex::encode(&data)
                );
            }
        }
    }
}

fn first_draw_len(ex: &Example) -> usize {
    let name = ex.sec["random"][0].as_str().unwrap();
    ex.field(name).len()
}

#[test]
fn no_panic_on_random_answers() {
    let mut noise = SeededRandom::new(303);
    for (file, section) in EXAMPLES {
        let ex = Example::new(file, section);
        for i in 0..150u64 {
            let step = 1 + (i % 4) as usize;
            let good = ex.step(step).1;
            let data = match i % 3 {
                0 => {
                    let n = noise.below(300) as usize;
                    noise.bytes(n)
                }
                1 => {
                    let mut d = good.data.clone();
                    if !d.is_empty() {
                        let at = noise.below(d.len() as u64) as usize;
                        d[at] ^= 1 << noise.below(8);
                    }
                    d
                }
                _ => {
                    let mut d = good.data.clone();
                    d.truncate(noise.below(d.len() as u64 + 1) as usize);
                    d
                }
            };
            let sw = if i % 5 == 0 {
                StatusWord(noise.below(0x10000) as u16)
            } else {
                StatusWord::SUCCESS
            };
            let resp = Response::new(data, sw);
            let r = run(&ex, step);
            let mut rng = SeededRandom::new(i);
            let _ = match step {
                1 => r.nonce.unwrap().handle(&resp, &mut rng).map(|_| ()),
                2 => r.mapping.unwrap().handle(&resp, &mut rng).map(|_| ()),
                3 => r.agreement.unwrap().handle(&resp).map(|_| ()),
                _ => r.token.unwrap().handle(&resp).map(|_| ()),
            };
        }
    }
}

#[test]
fn debug_output_hides_secrets() {
    let ex = Example::new("icao9303-11-appendix-g.json", "G.1");
    let r = run(&ex, 1);
    let s = format!("{:?}", r.nonce.unwrap());
    assert!(s.starts_with("ExpectNonce(") && s.ends_with("***)"), "{s}");
    let out = complete(&ex);
    let s = format!("{out:?}");
    assert!(
        !s.contains("F5F0E35C") && !s.to_uppercase().contains("F5F0E35C"),
        "{s}"
    );
}
