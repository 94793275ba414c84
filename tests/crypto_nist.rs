//! Outside anchors for the primitives the reader and the simulator share: AES-192/256 (and
//! AES-128) from FIPS 197 and NIST SP 800-38A, AES-CMAC from NIST SP 800-38B / RFC 4493, the
//! ICAO key derivation for 192- and 256-bit keys from gmrtd, and the brainpool curves without
//! an RFC 7027 vector from RFC 5639, the BSI TR-03105-5 data set and Project Wycheproof. Each
//! vector file names its source; none of these values came from this code.
// Uses the primitives (tlv, crypto, the protocol steps): feature `internals`.
#![cfg(feature = "internals")]

use cccd::crypto::cipher::{cbc_decrypt, cbc_encrypt, decrypt_block, encrypt_block};
use cccd::crypto::ec::{Curve, EcError, NamedCurve};
use cccd::crypto::kdf::kdf;
use cccd::crypto::mac::{aes_cmac, mac8};
use cccd::crypto::CipherAlg;
use serde_json::Value;

fn vectors(name: &str) -> Value {
    let path = format!("{}/test-vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn h(v: &Value) -> Vec<u8> {
    hex::decode(v.as_str().unwrap()).unwrap()
}

fn cipher(name: &str) -> CipherAlg {
    match name {
        "AES-128" => CipherAlg::Aes128,
        "AES-192" => CipherAlg::Aes192,
        "AES-256" => CipherAlg::Aes256,
        other => panic!("unknown cipher {other}"),
    }
}

#[test]
fn aes_fips_197_and_sp_800_38a_cbc() {
    let file = vectors("aes-fips197-sp800-38a.json");
    let list = file["vectors"].as_array().unwrap();
    assert_eq!(list.len(), 6);
    for v in list {
        let name = v["name"].as_str().unwrap();
        let alg = cipher(v["cipher"].as_str().unwrap());
        let (key, iv, pt, ct) = (
            h(&v["key"]),
            h(&v["iv"]),
            h(&v["plaintext"]),
            h(&v["ciphertext"]),
        );
        assert_eq!(key.len(), alg.key_len(), "{name}");
        assert_eq!(cbc_encrypt(alg, &key, &iv, &pt).unwrap(), ct, "{name}");
        assert_eq!(cbc_decrypt(alg, &key, &iv, &ct).unwrap(), pt, "{name}");
        if pt.len() == 16 && iv.iter().all(|b| *b == 0) {
            // One block with a zero IV: the cipher itself (FIPS 197 Appendix C).
            assert_eq!(encrypt_block(alg, &key, &pt).unwrap(), ct, "{name}");
            assert_eq!(decrypt_block(alg, &key, &ct).unwrap(), pt, "{name}");
        }
        // Another key length for the same bytes is refused, not truncated.
        let other = if alg == CipherAlg::Aes256 {
            CipherAlg::Aes128
        } else {
            CipherAlg::Aes256
        };
        assert!(cbc_encrypt(other, &key, &iv, &pt).is_err(), "{name}");
    }
}

#[test]
fn aes_cmac_sp_800_38b_for_every_key_size() {
    let file = vectors("cmac-sp800-38b.json");
    let list = file["vectors"].as_array().unwrap();
    assert_eq!(list.len(), 12);
    for v in list {
        let name = v["name"].as_str().unwrap();
        let (key, msg, tag) = (h(&v["key"]), h(&v["message"]), h(&v["tag"]));
        assert_eq!(aes_cmac(&key, &msg).unwrap().to_vec(), tag, "{name}");
        // Secure messaging and PACE tokens keep the first 8 bytes.
        let alg = match key.len() {
            16 => CipherAlg::Aes128,
            24 => CipherAlg::Aes192,
            _ => CipherAlg::Aes256,
        };
        assert_eq!(mac8(alg, &key, &msg).unwrap().to_vec(), tag[..8], "{name}");
    }
}

#[test]
fn kdf_for_192_and_256_bit_keys() {
    let file = vectors("kdf-aes192-aes256-gmrtd.json");
    let list = file["vectors"].as_array().unwrap();
    assert_eq!(list.len(), 3);
    for v in list {
        let name = v["name"].as_str().unwrap();
        let alg = cipher(v["cipher"].as_str().unwrap());
        let counter = u32::try_from(v["counter"].as_u64().unwrap()).unwrap();
        let key = kdf(&h(&v["k"]), counter, alg);
        assert_eq!(key.len(), alg.key_len(), "{name}");
        assert_eq!(key.as_slice(), h(&v["key"]), "{name}");
    }
}

fn curve(name: &str) -> &'static Curve {
    NamedCurve::ALL
        .into_iter()
        .find(|c| c.name() == name)
        .unwrap_or_else(|| panic!("no curve {name}"))
        .curve()
}

#[test]
fn brainpool_rfc_5639_parameters_points_and_products() {
    let file = vectors("ec-brainpool-rfc5639-wycheproof.json");
    let curves = file["curves"].as_array().unwrap();
    assert_eq!(curves.len(), 3);
    let (mut pairs, mut cases) = (0, 0);
    for v in curves {
        let name = v["curve"].as_str().unwrap();
        let c = curve(name);
        // Our parameters are RFC 5639's.
        assert_eq!(c.p(), h(&v["p"]), "{name} p");
        assert_eq!(c.a(), h(&v["a"]), "{name} a");
        assert_eq!(c.b(), h(&v["b"]), "{name} b");
        assert_eq!(c.order(), h(&v["q"]), "{name} q");
        assert_eq!(c.cofactor(), [1], "{name}");
        let g = c.point_from_affine(&h(&v["gx"]), &h(&v["gy"])).unwrap();
        assert!(c.is_on_curve(&g), "{name}");
        assert_eq!(g, c.generator(), "{name}");
        assert!(c.mul(c.order(), &g).is_infinity(), "{name}: q*G");
        // G with y off by one is not on the curve.
        let mut gy = h(&v["gy"]);
        *gy.last_mut().unwrap() ^= 1;
        assert_eq!(
            c.point_from_affine(&h(&v["gx"]), &gy),
            Err(EcError::PointNotOnCurve),
            "{name}"
        );

        for pair in v["key_pairs"].as_array().unwrap() {
            let q = c.decode_point(&h(&pair["Q"])).unwrap();
            assert_eq!(c.mul(&h(&pair["d"]), &g), q, "{name}: d*G");
            assert_eq!(c.mul_vartime(&h(&pair["d"]), &g), q, "{name}: d*G");
            pairs += 1;
        }
        for case in v["ecdh"].as_array().unwrap() {
            let q = c.decode_point(&h(&case["Q"])).unwrap();
            assert!(c.is_on_curve(&q), "{name}");
            let shared = c.ecdh(&h(&case["d"]), &q).unwrap();
            assert_eq!(
                shared.as_slice(),
                h(&case["shared"]),
                "{name}: {}",
                case["provenance"]
            );
            cases += 1;
        }
    }
    assert_eq!((pairs, cases), (1, 5));
}
