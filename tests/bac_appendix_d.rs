//! ICAO 9303-11 Appendix D (BAC worked example) reproduced byte for byte through the public API,
//! plus a published AES-256 secure messaging transcript.
//!
//! Vectors: `test-vectors/icao9303-11-appendix-d.json` (every value of Appendix D, with its
//! section) and `test-vectors/sm-aes256-gmrtd-transcript.json`. The session keys and SSC are
//! private to `SecureMessaging`; they are checked through what they determine: the worked
//! example's N/K inputs and MACs (recomputed with the primitives from the printed SSC) and the
//! exact protected APDUs our API produces and accepts.
// Uses the primitives (tlv, crypto, the protocol steps): feature `internals`.
#![cfg(feature = "internals")]

use cccd::access::bac;
use cccd::access::sm::{SecureMessaging, SmError};
use cccd::apdu::{Command, Response, StatusWord};
use cccd::crypto::cipher::{cbc_decrypt, cbc_encrypt};
use cccd::crypto::kdf::{bac_key_seed, des_parity, kdf, ENC, MAC};
use cccd::crypto::mac::{mac8, retail_mac};
use cccd::crypto::padding::pad;
use cccd::crypto::rng::{FixedRandom, SeededRandom};
use cccd::crypto::CipherAlg;
use serde_json::Value;
use sha1::{Digest, Sha1};

fn load(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("test-vectors")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).unwrap()
}

fn appendix_d() -> Value {
    load("icao9303-11-appendix-d.json")
}

/// The `value` of a field as text.
fn text<'a>(fields: &'a Value, name: &str) -> &'a str {
    fields[name]["value"]
        .as_str()
        .unwrap_or_else(|| panic!("field {name} missing"))
}

/// The `value` of a field as bytes (hex).
fn bytes(fields: &Value, name: &str) -> Vec<u8> {
    hex::decode(text(fields, name)).unwrap_or_else(|e| panic!("field {name}: {e}"))
}

fn parity_adjusted(key: &[u8]) -> Vec<u8> {
    let mut k = key.to_vec();
    des_parity(&mut k);
    k
}

fn xor(a: &[u8], b: &[u8]) -> Vec<u8> {
    a.iter().zip(b).map(|(x, y)| x ^ y).collect()
}

fn increment(ssc: &[u8]) -> Vec<u8> {
    let mut out = ssc.to_vec();
    for b in out.iter_mut().rev() {
        let (n, carry) = b.overflowing_add(1);
        *b = n;
        if !carry {
            break;
        }
    }
    out
}

#[test]
fn d1_keys_from_key_seed() {
    let v = appendix_d();
    let d1 = &v["D.1"]["fields"];
    let seed = bytes(d1, "k_seed");
    for (counter, suffix) in [(ENC, "enc"), (MAC, "mac")] {
        let d = bytes(d1, &format!("d_{suffix}"));
        assert_eq!(d, [&seed[..], &counter.to_be_bytes()].concat());
        let h = bytes(d1, &format!("h_{suffix}"));
        assert_eq!(Sha1::digest(&d).as_slice(), h.as_slice());
        let raw = kdf(&seed, counter, CipherAlg::Tdes);
        let ka_raw = bytes(d1, &format!("ka_{suffix}_raw"));
        let kb_raw = bytes(d1, &format!("kb_{suffix}_raw"));
        assert_eq!(raw.as_slice(), [&ka_raw[..], &kb_raw[..]].concat());
        assert_eq!(&h[..16], raw.as_slice());
        assert_eq!(parity_adjusted(&ka_raw), bytes(d1, &format!("ka_{suffix}")));
        assert_eq!(parity_adjusted(&kb_raw), bytes(d1, &format!("kb_{suffix}")));
    }
}

#[test]
fn d2_basic_access_keys_from_mrz() {
    let v = appendix_d();
    let d2 = &v["D.2"]["fields"];
    let info = [
        "document_number",
        "document_number_check_digit",
        "date_of_birth",
        "date_of_birth_check_digit",
        "date_of_expiry",
        "date_of_expiry_check_digit",
    ]
    .iter()
    .map(|f| text(d2, f))
    .collect::<String>();
    assert_eq!(info, text(d2, "mrz_information"));
    // The same fields sit at their TD2 positions in the lower MRZ line.
    let line2 = text(d2, "mrz_td2_line2");
    assert_eq!(
        [&line2[0..10], &line2[13..20], &line2[21..28]].concat(),
        info
    );

    let h = bytes(d2, "h_mrz_information");
    assert_eq!(Sha1::digest(info.as_bytes()).as_slice(), h.as_slice());
    let seed = bac_key_seed(info.as_bytes());
    assert_eq!(seed.as_slice(), bytes(d2, "k_seed"));
    assert_eq!(&h[..16], seed.as_slice());
    assert_eq!(
        parity_adjusted(&kdf(&seed, ENC, CipherAlg::Tdes)),
        bytes(d2, "k_enc")
    );
    assert_eq!(
        parity_adjusted(&kdf(&seed, MAC, CipherAlg::Tdes)),
        bytes(d2, "k_mac")
    );
    // D.1 and D.2 agree on the key seed.
    assert_eq!(bytes(&v["D.1"]["fields"], "k_seed"), bytes(d2, "k_seed"));
}

/// Runs D.3 through `bac::{start, ExpectChallenge, ExpectMutualAuth}` and returns the session.
fn run_d3(v: &Value) -> SecureMessaging {
    let d2 = &v["D.2"]["fields"];
    let d3 = &v["D.3"]["fields"];
    let ok = StatusWord::SUCCESS;

    let (get_challenge, state) = bac::start(text(d2, "mrz_information").as_bytes());
    assert_eq!(
        get_challenge.to_bytes().unwrap(),
        bytes(d3, "get_challenge")
    );

    // RND.IFD then K.IFD, drawn in this order.
    let mut rng = FixedRandom::new([bytes(d3, "rnd_ifd"), bytes(d3, "k_ifd")].concat());
    let (ext_auth, state) = state
        .handle(&Response::new(bytes(d3, "rnd_ic"), ok), &mut rng)
        .unwrap();
    assert_eq!(
        ext_auth.to_bytes().unwrap(),
        bytes(d3, "external_authenticate")
    );
    assert_eq!(ext_auth.data, bytes(d3, "cmd_data"));
    assert_eq!(
        ext_auth.data,
        [bytes(d3, "e_ifd"), bytes(d3, "m_ifd")].concat()
    );
    assert_eq!(ext_auth.le, Some(0x28));

    let resp_sw = StatusWord(u16::from_str_radix(text(d3, "resp_sw"), 16).unwrap());
    state
        .handle(&Response::new(bytes(d3, "resp_data"), resp_sw))
        .unwrap()
}

#[test]
fn d3_authentication_and_session_keys() {
    let v = appendix_d();
    let d2 = &v["D.2"]["fields"];
    let d3 = &v["D.3"]["fields"];
    let (k_enc, k_mac) = (bytes(d2, "k_enc"), bytes(d2, "k_mac"));

    // The printed intermediates are consistent with each other and with the primitives.
    let s = bytes(d3, "s");
    assert_eq!(
        s,
        [
            bytes(d3, "rnd_ifd"),
            bytes(d3, "rnd_ic"),
            bytes(d3, "k_ifd")
        ]
        .concat()
    );
    assert_eq!(
        cbc_encrypt(CipherAlg::Tdes, &k_enc, &[0; 8], &s).unwrap(),
        bytes(d3, "e_ifd")
    );
    assert_eq!(
        retail_mac(&k_mac, &pad(&bytes(d3, "e_ifd"), 8))
            .unwrap()
            .to_vec(),
        bytes(d3, "m_ifd")
    );
    let r = bytes(d3, "r");
    assert_eq!(
        r,
        [bytes(d3, "rnd_ic"), bytes(d3, "rnd_ifd"), bytes(d3, "k_ic")].concat()
    );
    assert_eq!(
        cbc_decrypt(CipherAlg::Tdes, &k_enc, &[0; 8], &bytes(d3, "e_ic")).unwrap(),
        r
    );
    assert_eq!(
        retail_mac(&k_mac, &pad(&bytes(d3, "e_ic"), 8))
            .unwrap()
            .to_vec(),
        bytes(d3, "m_ic")
    );
    assert_eq!(
        bytes(d3, "resp_data"),
        [bytes(d3, "e_ic"), bytes(d3, "m_ic")].concat()
    );
    let ks_seed = xor(&bytes(d3, "k_ifd"), &bytes(d3, "k_ic"));
    assert_eq!(ks_seed, bytes(d3, "ks_seed"));
    assert_eq!(
        parity_adjusted(&kdf(&ks_seed, ENC, CipherAlg::Tdes)),
        bytes(d3, "ks_enc")
    );
    assert_eq!(
        parity_adjusted(&kdf(&ks_seed, MAC, CipherAlg::Tdes)),
        bytes(d3, "ks_mac")
    );
    let (rnd_ic, rnd_ifd) = (bytes(d3, "rnd_ic"), bytes(d3, "rnd_ifd"));
    assert_eq!([&rnd_ic[4..], &rnd_ifd[4..]].concat(), bytes(d3, "ssc"));
    // D.4 starts from D.3's keys and SSC.
    let d4 = &v["D.4"];
    assert_eq!(bytes(d4, "ks_enc"), bytes(d3, "ks_enc"));
    assert_eq!(bytes(d4, "ks_mac"), bytes(d3, "ks_mac"));
    assert_eq!(bytes(d4, "ssc_initial"), bytes(d3, "ssc"));

    // And the public API reproduces the exchange: the session it returns is exactly the one
    // D.4 uses (same KSEnc, KSMAC and SSC), or the D.4 transcript would not match.
    let mut sm = run_d3(&v);
    assert_eq!(sm.cipher(), CipherAlg::Tdes);
    run_d4(&v, &mut sm);
}

/// Runs the three D.4 steps through `sm`, checking every printed value.
fn run_d4(v: &Value, sm: &mut SecureMessaging) {
    let d4 = &v["D.4"];
    let ks_enc = bytes(d4, "ks_enc");
    let ks_mac = bytes(d4, "ks_mac");
    let mut ssc = bytes(d4, "ssc_initial");
    let mut ef_com = Vec::new();

    for step in d4["steps"].as_array().unwrap() {
        let f = &step["fields"];
        let section = step["section"].as_str().unwrap();
        let plain = Command::parse(&bytes(f, "plain_command")).unwrap();

        // Command: the printed derivation, recomputed from the printed SSC.
        ssc = increment(&ssc);
        assert_eq!(ssc, bytes(f, "ssc_command"), "{section}");
        let header = bytes(f, "cmd_header");
        assert_eq!(
            header,
            pad(&[plain.cla | 0x0C, plain.ins, plain.p1, plain.p2], 8),
            "{section}"
        );
        let do87 = match f.get("do87") {
            Some(_) => {
                let padded = bytes(f, "padded_data");
                assert_eq!(padded, pad(&plain.data, 8), "{section}");
                let enc = bytes(f, "encrypted_data");
                assert_eq!(
                    cbc_encrypt(CipherAlg::Tdes, &ks_enc, &[0; 8], &padded).unwrap(),
                    enc,
                    "{section}"
                );
                let do87 = bytes(f, "do87");
                assert_eq!(do87, [&[0x87, 0x09, 0x01][..], &enc].concat(), "{section}");
                do87
            }
            None => Vec::new(),
        };
        let do97 = bytes(f, "do97");
        let m = bytes(f, "m");
        assert_eq!(m, [&header[..], &do87, &do97].concat(), "{section}");
        let n = bytes(f, "n");
        assert_eq!(n, pad(&[&ssc[..], &m].concat(), 8), "{section}");
        let cc = bytes(f, "cc");
        assert_eq!(
            mac8(CipherAlg::Tdes, &ks_mac, &n).unwrap().to_vec(),
            cc,
            "{section}"
        );
        let do8e = bytes(f, "do8e");
        assert_eq!(do8e, [&[0x8E, 0x08][..], &cc].concat(), "{section}");

        // ... and the API produces exactly the protected APDU.
        let protected = sm.wrap(&plain).unwrap();
        assert_eq!(
            protected.to_bytes().unwrap(),
            bytes(f, "protected_command"),
            "{section}"
        );
        assert_eq!(
            protected.data,
            [&do87[..], &do97, &do8e].concat(),
            "{section}"
        );

        // Response: the printed K and CC', recomputed from the printed SSC.
        ssc = increment(&ssc);
        assert_eq!(ssc, bytes(f, "ssc_response"), "{section}");
        let rapdu = Response::parse(&bytes(f, "protected_response")).unwrap();
        let mac_at = rapdu.data.len() - 10;
        let k = bytes(f, "k");
        let covered = [&ssc[..], &rapdu.data[..mac_at]].concat();
        // Step 3 prints K unpadded (see the vector's description); the others padded.
        assert!(k == covered || k == pad(&covered, 8), "{section}: K");
        let cc_response = bytes(f, "cc_response");
        assert_eq!(
            mac8(CipherAlg::Tdes, &ks_mac, &pad(&covered, 8))
                .unwrap()
                .to_vec(),
            cc_response,
            "{section}"
        );
        assert_eq!(&rapdu.data[mac_at + 2..], &cc_response[..], "{section}");

        // ... and the API accepts it and returns the plain response.
        let plain_resp = sm.unwrap(&rapdu).unwrap();
        assert_eq!(
            plain_resp.to_bytes(),
            bytes(f, "plain_response"),
            "{section}"
        );
        if f.get("decrypted_data").is_some() {
            assert_eq!(plain_resp.data, bytes(f, "decrypted_data"), "{section}");
        }
        if let Some(len) = f.get("structure_length") {
            let total = cccd::tlv::total_len_from_header(&plain_resp.data)
                .unwrap()
                .unwrap();
            assert_eq!(total as u64, len["value"].as_u64().unwrap(), "{section}");
        }
        ef_com.extend_from_slice(&plain_resp.data);
        assert_eq!(ssc, bytes(f, "ssc_after"), "{section}");
    }
    assert_eq!(ef_com, bytes(d4, "ef_com"));
}

#[test]
fn d4_secure_messaging_from_printed_keys() {
    let v = appendix_d();
    let d4 = &v["D.4"];
    let mut sm = SecureMessaging::new(
        CipherAlg::Tdes,
        &bytes(d4, "ks_enc"),
        &bytes(d4, "ks_mac"),
        &bytes(d4, "ssc_initial"),
    )
    .unwrap();
    run_d4(&v, &mut sm);
}

#[test]
fn d4_replayed_or_reordered_responses_fail() {
    // With the SSC one step behind or ahead, every printed response must be refused.
    let v = appendix_d();
    let d4 = &v["D.4"];
    let steps = d4["steps"].as_array().unwrap();
    for (i, step) in steps.iter().enumerate() {
        let rapdu = Response::parse(&bytes(&step["fields"], "protected_response")).unwrap();
        for skew in [-2i64, 2] {
            let ssc0 = bytes(d4, "ssc_initial");
            let mut counter = u64::from_be_bytes(ssc0.try_into().unwrap());
            counter = counter.wrapping_add_signed(2 * i as i64 + skew);
            let mut sm = SecureMessaging::new(
                CipherAlg::Tdes,
                &bytes(d4, "ks_enc"),
                &bytes(d4, "ks_mac"),
                &counter.to_be_bytes(),
            )
            .unwrap();
            // wrap (+1) then unwrap (+1) lands on the response SSC only without skew.
            sm.wrap(&Command::new(0, 0xB0, 0, 0).with_le(1)).unwrap();
            assert_eq!(sm.unwrap(&rapdu), Err(SmError::MacMismatch), "step {i}");
        }
    }
}

#[test]
fn bac_with_a_wrong_mrz_is_access_denied() {
    let v = appendix_d();
    let d3 = &v["D.3"]["fields"];
    // Document number off by one character: the card's cryptogram does not verify.
    let (_, state) = bac::start(b"L898902D<369080619406236");
    let mut rng = FixedRandom::new([bytes(d3, "rnd_ifd"), bytes(d3, "k_ifd")].concat());
    let (_, state) = state
        .handle(
            &Response::new(bytes(d3, "rnd_ic"), StatusWord::SUCCESS),
            &mut rng,
        )
        .unwrap();
    assert_eq!(
        state
            .handle(&Response::new(bytes(d3, "resp_data"), StatusWord::SUCCESS))
            .unwrap_err(),
        bac::BacError::AccessDenied
    );
}

#[test]
fn aes256_transcript_gmrtd() {
    let v = load("sm-aes256-gmrtd-transcript.json");
    assert_eq!(text(&v, "cipher"), "AES-256");
    let mut sm = SecureMessaging::new(
        CipherAlg::Aes256,
        &bytes(&v, "ks_enc"),
        &bytes(&v, "ks_mac"),
        &bytes(&v, "ssc_initial"),
    )
    .unwrap();
    let mut ef_com = Vec::new();
    for (i, step) in v["steps"].as_array().unwrap().iter().enumerate() {
        let f = &step["fields"];
        let plain = Command::parse(&bytes(f, "plain_command")).unwrap();
        let protected = sm.wrap(&plain).unwrap();
        assert_eq!(
            protected.to_bytes().unwrap(),
            bytes(f, "protected_command"),
            "step {i}"
        );
        let rapdu = Response::parse(&bytes(f, "protected_response")).unwrap();
        let plain_resp = sm.unwrap(&rapdu).unwrap();
        assert_eq!(
            plain_resp.to_bytes(),
            bytes(f, "plain_response"),
            "step {i}"
        );
        ef_com.extend_from_slice(&plain_resp.data);
    }
    assert_eq!(ef_com, bytes(&v, "ef_com"));

    // A one-bit change anywhere in a protected response is refused, never a panic.
    let last = &v["steps"][2]["fields"];
    let good = bytes(last, "protected_response");
    for at in 0..good.len() - 2 {
        let mut bad = good.clone();
        bad[at] ^= 0x01;
        let mut sm = SecureMessaging::new(
            CipherAlg::Aes256,
            &bytes(&v, "ks_enc"),
            &bytes(&v, "ks_mac"),
            &hex::decode("00000000000000000000000000000024").unwrap(),
        )
        .unwrap();
        sm.wrap(&Command::parse(&bytes(last, "plain_command")).unwrap())
            .unwrap();
        assert!(
            sm.unwrap(&Response::parse(&bad).unwrap()).is_err(),
            "byte {at}"
        );
    }
}

#[test]
fn no_panic_on_random_or_truncated_responses_through_bac_and_sm() {
    let v = appendix_d();
    let d3 = &v["D.3"]["fields"];
    let steps = v["D.4"]["steps"].as_array().unwrap();
    let mut rng = SeededRandom::new(0x9303);
    for i in 0..3000u64 {
        // Truncations and bit flips of every printed response, and random bytes.
        let source = match i % 5 {
            0 => bytes(d3, "resp_data"),
            1..=3 => bytes(&steps[(i % 3) as usize]["fields"], "protected_response"),
            _ => {
                let n = rng.below(64) as usize;
                rng.bytes(n)
            }
        };
        let mut data = source.clone();
        if !data.is_empty() {
            let cut = rng.below(data.len() as u64 + 1) as usize;
            data.truncate(cut);
            if i % 2 == 0 && !data.is_empty() {
                let at = rng.below(data.len() as u64) as usize;
                data[at] ^= 1 << rng.below(8);
            }
        }
        let _ = Response::parse(&data).map(|r| {
            let mut sm = run_d3(&v);
            let _ = sm.unwrap(&r);
        });
        let resp = Response::new(data, StatusWord::SUCCESS);
        let (_, state) = bac::start(b"L898902C<369080619406236");
        let mut fixed = FixedRandom::new([bytes(d3, "rnd_ifd"), bytes(d3, "k_ifd")].concat());
        if let Ok((_, state)) = state.handle(
            &Response::new(bytes(d3, "rnd_ic"), StatusWord::SUCCESS),
            &mut fixed,
        ) {
            let _ = state.handle(&resp);
        }
    }
}
