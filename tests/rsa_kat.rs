//! `crypto::rsa` against signatures made by independent implementations: OpenSSL
//! (`test-vectors/rsa-openssl.json`, PKCS#1 v1.5 and PSS at 1024..4160 bits, e = 3 and 65537,
//! every SHA, several salt lengths and MGF1 hashes, and raw RSAVP1) and Project Wycheproof
//! (`test-vectors/rsa-wycheproof.json`). Plus the `rsa` crate's public operation as a
//! cross-check on random representatives, and tampering that must fail.
// Uses the primitives (tlv, crypto, the protocol steps): feature `internals`.
#![cfg(feature = "internals")]

use cccd::crypto::rsa::{Hash, RsaError, RsaPublicKey};
use serde_json::Value;

fn load(name: &str) -> Value {
    let path = format!("{}/test-vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn hx(v: &Value) -> Vec<u8> {
    hex::decode(v.as_str().unwrap()).unwrap()
}

fn hash(name: &str) -> Hash {
    match name {
        "sha1" => Hash::Sha1,
        "sha224" => Hash::Sha224,
        "sha256" => Hash::Sha256,
        "sha384" => Hash::Sha384,
        "sha512" => Hash::Sha512,
        other => panic!("hash {other}"),
    }
}

fn verify(key: &RsaPublicKey, v: &Value, msg: &[u8], sig: &[u8]) -> Result<(), RsaError> {
    let h = hash(v["hash"].as_str().unwrap());
    let digest = h.digest_parts(&[msg]);
    match v["scheme"].as_str().unwrap() {
        "pkcs1" => key.verify_pkcs1v15(h, &digest, sig),
        "pss" => key.verify_pss(
            h,
            hash(v["mgf1_hash"].as_str().unwrap()),
            v["salt_len"].as_u64().unwrap() as usize,
            &digest,
            sig,
        ),
        other => panic!("scheme {other}"),
    }
}

#[test]
fn openssl_signatures_verify_and_tampered_ones_do_not() {
    let doc = load("rsa-openssl.json");
    let vectors = doc["signatures"].as_array().unwrap();
    assert_eq!(vectors.len(), 17);
    for v in vectors {
        let key = RsaPublicKey::new(&hx(&v["n"]), &hx(&v["e"])).unwrap();
        assert_eq!(key.modulus_bits() as u64, v["bits"].as_u64().unwrap());
        let msg = hx(&v["msg"]);
        let sig = hx(&v["sig"]);
        let what = format!("{} bits {} {}", v["bits"], v["scheme"], v["hash"]);
        assert_eq!(verify(&key, v, &msg, &sig), Ok(()), "{what}");
        // Another message.
        let mut other = msg.clone();
        other[0] ^= 1;
        assert_eq!(
            verify(&key, v, &other, &sig),
            Err(RsaError::Invalid),
            "{what}"
        );
        // A flipped bit in the signature (still below n: the top byte is left alone).
        let mut bad = sig.clone();
        let last = bad.len() - 1;
        bad[last] ^= 0x40;
        assert_eq!(
            verify(&key, v, &msg, &bad),
            Err(RsaError::Invalid),
            "{what}"
        );
    }
}

#[test]
fn pss_parameters_other_than_the_signers_fail() {
    let doc = load("rsa-openssl.json");
    let v = doc["signatures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["scheme"] == "pss" && v["bits"] == 2048 && v["salt_len"] == 64)
        .unwrap();
    let key = RsaPublicKey::new(&hx(&v["n"]), &hx(&v["e"])).unwrap();
    let (msg, sig) = (hx(&v["msg"]), hx(&v["sig"]));
    let digest = Hash::Sha512.digest_parts(&[&msg]);
    assert_eq!(
        key.verify_pss(Hash::Sha512, Hash::Sha256, 64, &digest, &sig),
        Ok(())
    );
    for (mgf, salt) in [
        (Hash::Sha512, 64),
        (Hash::Sha256, 63),
        (Hash::Sha256, 65),
        (Hash::Sha256, 0),
    ] {
        assert_eq!(
            key.verify_pss(Hash::Sha512, mgf, salt, &digest, &sig),
            Err(RsaError::Invalid),
            "{mgf:?} {salt}"
        );
    }
    // The same signature is no PKCS#1 v1.5 signature.
    assert_eq!(
        key.verify_pkcs1v15(Hash::Sha512, &digest, &sig),
        Err(RsaError::Invalid)
    );
    // A digest of the wrong length is typed.
    assert_eq!(
        key.verify_pss(Hash::Sha512, Hash::Sha256, 64, &digest[..32], &sig),
        Err(RsaError::DigestLength(32))
    );
}

#[test]
fn openssl_raw_rsavp1_recovers_the_message() {
    let doc = load("rsa-openssl.json");
    let raw = doc["raw"].as_array().unwrap();
    assert_eq!(raw.len(), 6);
    for v in raw {
        let key = RsaPublicKey::new(&hx(&v["n"]), &hx(&v["e"])).unwrap();
        let m = hx(&v["m"]);
        assert_eq!(
            key.public_operation(&hx(&v["s"])).unwrap(),
            m,
            "{}",
            v["bits"]
        );
        // Leading zero bytes stripped from s are tolerated (the integer is the same).
        let s = hx(&v["s"]);
        let skip = s.iter().take_while(|b| **b == 0).count();
        assert_eq!(key.public_operation(&s[skip..]).unwrap(), m);
        // s = n and s > n are out of range (RFC 8017 §5.2.2 step 1).
        let n = hx(&v["n"]);
        assert_eq!(key.public_operation(&n), Err(RsaError::OutOfRange));
        let mut above = n.clone();
        *above.last_mut().unwrap() = 0xFF;
        assert_eq!(key.public_operation(&above), Err(RsaError::OutOfRange));
    }
}

#[test]
fn wycheproof_rsa_2048_sha256_group() {
    let doc = load("rsa-wycheproof.json");
    let key = RsaPublicKey::new(&hx(&doc["n"]), &hx(&doc["e"])).unwrap();
    let tests = doc["tests"].as_array().unwrap();
    assert_eq!(tests.len(), 5);
    for t in tests {
        let digest = Hash::Sha256.digest_parts(&[&hx(&t["msg"])]);
        let got = key.verify_pkcs1v15(Hash::Sha256, &digest, &hx(&t["sig"]));
        match t["result"].as_str().unwrap() {
            "valid" | "acceptable" => assert_eq!(got, Ok(()), "tcId {}", t["tcId"]),
            _ => assert_eq!(got, Err(RsaError::Invalid), "tcId {}", t["tcId"]),
        }
    }
}

/// The `rsa` crate (an independent implementation on `BoxedUint`) computes the same
/// `s^e mod n` for pseudo-random representatives at every fixed size and above.
#[test]
fn public_operation_matches_the_rsa_crate() {
    use rsa::traits::PublicKeyParts;
    let doc = load("rsa-openssl.json");
    let mut state = 0x1234_5678_9abc_def0u64;
    for v in doc["raw"].as_array().unwrap() {
        let (n, e) = (hx(&v["n"]), hx(&v["e"]));
        let ours = RsaPublicKey::new(&n, &e).unwrap();
        let theirs = rsa::PublicKey::new_with_size_limits(
            rsa::BoxedUint::from_be_slice_vartime(&n),
            rsa::BoxedUint::from_be_slice_vartime(&e),
            512..=16384,
        )
        .unwrap();
        for _ in 0..4 {
            let mut s: Vec<u8> = (0..n.len())
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    state as u8
                })
                .collect();
            s[0] = n[0] / 2; // below n
            let sb = rsa::BoxedUint::from_be_slice(&s, theirs.n().bits_precision()).unwrap();
            let m = rsa::hazmat::rsa_encrypt(&theirs, &sb)
                .unwrap()
                .to_be_bytes();
            let m = &m[m.len() - n.len()..];
            assert_eq!(ours.public_operation(&s).unwrap(), m, "{} bits", v["bits"]);
        }
    }
}

/// Our fixed-size Montgomery arithmetic against the `rsa` crate's public operation on random
/// odd moduli of every limb size (16, 24, 32, 48, 64 limbs and the `BoxedUint` path above),
/// full-width and shorter than their limbs (the top limb partly empty), with e = 3, 65537 and
/// random odd 32-bit exponents (the rsa crate takes at most 33 bits), random representatives
/// below n, and the edges 1 and n − 1. [`RsaPublicKey::cached`] gives the same answers.
#[test]
fn random_moduli_of_every_size_match_the_rsa_crate() {
    use rsa::traits::PublicKeyParts;
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let sizes: [usize; 22] = [
        512, 520, 1000, 1023, 1024, 1025, 1500, 1536, 1537, 2040, 2047, 2048, 2049, 3000, 3071,
        3072, 3073, 4000, 4095, 4096, 4097, 4160,
    ];
    for bits in sizes {
        for round in 0..3 {
            let len = bits.div_ceil(8);
            let mut n: Vec<u8> = (0..len).map(|_| next() as u8).collect();
            let top_bits = bits - 8 * (len - 1);
            n[0] &= (0xFFu16 >> (8 - top_bits)) as u8;
            n[0] |= 1 << (top_bits - 1);
            n[len - 1] |= 1;
            let e: Vec<u8> = match round {
                0 => vec![1, 0, 1],
                1 => vec![3],
                _ => {
                    // The rsa crate refuses exponents of more than 33 bits.
                    let v = (next() & 0xFFFF_FFFF) | 0x8000_0001;
                    v.to_be_bytes()[4..].to_vec()
                }
            };
            let ours = RsaPublicKey::new(&n, &e).unwrap();
            let cached = RsaPublicKey::cached(&n, &e).unwrap();
            assert_eq!(ours.modulus_bits(), bits);
            let theirs = rsa::PublicKey::new_with_size_limits(
                rsa::BoxedUint::from_be_slice_vartime(&n),
                rsa::BoxedUint::from_be_slice_vartime(&e),
                512..=16384,
            )
            .unwrap_or_else(|err| panic!("rsa crate refused {bits} bits e={e:?}: {err}"));
            let mut one = vec![0u8; len];
            one[len - 1] = 1;
            let mut n_minus_1 = n.clone();
            n_minus_1[len - 1] -= 1;
            let mut inputs = vec![one, n_minus_1];
            for _ in 0..3 {
                let mut s: Vec<u8> = (0..len).map(|_| next() as u8).collect();
                s[0] = n[0] / 2;
                inputs.push(s);
            }
            for s in inputs {
                let sb = rsa::BoxedUint::from_be_slice(&s, theirs.n().bits_precision()).unwrap();
                let m = rsa::hazmat::rsa_encrypt(&theirs, &sb)
                    .unwrap()
                    .to_be_bytes();
                let m = &m[m.len() - len..];
                assert_eq!(ours.public_operation(&s).unwrap(), m, "{bits} bits e={e:?}");
                assert_eq!(
                    cached.public_operation(&s).unwrap(),
                    m,
                    "{bits} bits cached"
                );
            }
        }
    }
}
