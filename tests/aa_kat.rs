//! Active Authentication known-answer and negative tests.
//!
//! Vectors: `test-vectors/aa-iso9796-2.json` (ICAO 9303-11 Appendix F representative, four
//! answers of a real passport with its DG15, a Bouncy Castle ISO 9796-2 vector). The BSI
//! TR-03105-5 DG15 key pair is used with a small ISO 9796-2 signer written here (modular
//! exponentiation with the private exponent), independent of the verifier.
// Uses the primitives (tlv, crypto, the protocol steps): feature `internals`.
#![cfg(feature = "internals")]

use cccd::access::active_auth;
use cccd::apdu::{Response, StatusWord};
use cccd::crypto::ec::field::PrimeField;
use cccd::crypto::ec::NamedCurve;
use cccd::crypto::rng::{RandomSource, SeededRandom};
use cccd::document::{AaFailure, ActiveAuthRun, ActiveAuthVerdict, UntrustedCheck};
use cccd::lds::dg15::Dg15;
use cccd::lds::security_info::{
    ActiveAuthenticationInfo, EcParameters, EcPublicKey, PublicKey, RsaPublicKey,
    SubjectPublicKeyInfo,
};
use cccd::tlv::{Reader, Tag};
use cccd::verify::active::{self, AaError};
use const_oid::ObjectIdentifier;
use serde_json::Value;
use sha1::{Digest, Sha1};
use sha2::Sha256;

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

fn hx(v: &Value) -> Vec<u8> {
    let s = v.get("value").unwrap_or(v).as_str().unwrap();
    hex::decode(s).unwrap()
}

/// F^x mod n (the test's own signer and its own recovery, for M1).
fn modpow(n: &[u8], base: &[u8], exp: &[u8]) -> Vec<u8> {
    let field = PrimeField::new(n).unwrap();
    field.to_bytes(&field.element(base).unwrap().pow(exp))
}

/// The BSI data set's AA key pair: (public key from DG15, d from DG15_sk.pkcs8).
fn bsi_key() -> (PublicKey, Vec<u8>) {
    let dg15 = Dg15::parse(&shared("bsi-tr03105-5/Datagroup15.bin")).unwrap();
    let (n, _, d) = rsa_pk8(&shared("bsi-tr03105-5/DG15_sk.pkcs8"));
    let PublicKey::Rsa(pk) = dg15.public_key() else {
        panic!("BSI DG15 is not RSA")
    };
    assert_eq!(pk.modulus_bits(), 1024);
    assert_eq!(n, pk.modulus);
    (dg15.public_key().clone(), d)
}

fn rsa_of(key: &PublicKey) -> &RsaPublicKey {
    match key {
        PublicKey::Rsa(r) => r,
        _ => panic!("not RSA"),
    }
}

/// ISO/IEC 9796-2 scheme 1 with partial recovery, as a chip does it: F = 6A || M1 || H || T.
fn representative(k: usize, m1_rand: &[u8], challenge: &[u8], sha256: bool) -> Vec<u8> {
    let (hlen, trailer): (usize, &[u8]) = if sha256 {
        (32, &[0x34, 0xCC])
    } else {
        (20, &[0xBC])
    };
    let m1 = &m1_rand[..k - 1 - hlen - trailer.len()];
    let h = if sha256 {
        Sha256::new()
            .chain_update(m1)
            .chain_update(challenge)
            .finalize()
            .to_vec()
    } else {
        Sha1::new()
            .chain_update(m1)
            .chain_update(challenge)
            .finalize()
            .to_vec()
    };
    let mut f = vec![0x6A];
    f.extend_from_slice(m1);
    f.extend(h);
    f.extend_from_slice(trailer);
    assert_eq!(f.len(), k);
    f
}

#[test]
fn icao_appendix_f_representative_signed_with_the_bsi_key() {
    let v = load("aa-iso9796-2.json");
    let ex = &v["icao_worked_example"];
    let (m1, h, f, m2) = (
        hx(&ex["m1"]),
        hx(&ex["h"]),
        hx(&ex["f"]),
        hx(&ex["rnd_ifd"]),
    );
    // The example's arithmetic: sizes, H = SHA-1(M1 || M2), F's layout.
    assert_eq!(m1.len() * 8, 848);
    assert_eq!(
        Sha1::new()
            .chain_update(&m1)
            .chain_update(&m2)
            .finalize()
            .to_vec(),
        h
    );
    let mut built = vec![0x6A];
    built.extend(&m1);
    built.extend(&h);
    built.push(0xBC);
    assert_eq!(built, f);

    // No key pair is given: a chip holding the BSI key would answer s = F^d mod n.
    let (key, d) = bsi_key();
    let s = modpow(&rsa_of(&key).modulus, &f, &d);
    active::verify(&key, None, &m2, &s).unwrap();
    let mut other = m2.clone();
    other[7] ^= 1;
    assert_eq!(
        active::verify(&key, None, &other, &s),
        Err(AaError::SignatureInvalid)
    );
}

#[test]
fn real_passport_answers_verify() {
    let v = load("aa-iso9796-2.json");
    let rp = &v["real_passport"];
    let dg15 = Dg15::parse(&hx(&rp["dg15"])).unwrap();
    let key = dg15.public_key();
    let cases = rp["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 4);
    for c in cases {
        let (challenge, sig, m1) = (hx(&c["challenge"]), hx(&c["signature"]), hx(&c["m1"]));
        active::verify(key, None, &challenge, &sig).unwrap();
        // The recovered M1 is the published one (our own recovery, for the record).
        let f = modpow(&rsa_of(key).modulus, &sig, &rsa_of(key).public_exponent);
        assert_eq!(f[1..1 + m1.len()], m1[..]);
        assert_eq!(f.len(), 1 + m1.len() + 20 + 1);

        // Wrong challenge (a replayed answer), flipped signature bits: refused.
        let mut wrong = challenge.clone();
        wrong[0] ^= 0x80;
        assert_eq!(
            active::verify(key, None, &wrong, &sig),
            Err(AaError::SignatureInvalid)
        );
        for i in [0, sig.len() / 2, sig.len() - 1] {
            let mut bad = sig.clone();
            bad[i] ^= 1;
            let e = active::verify(key, None, &challenge, &bad).unwrap_err();
            assert!(
                matches!(
                    e,
                    AaError::InvalidHeader
                        | AaError::InvalidTrailer
                        | AaError::UnsupportedHashId(_)
                        | AaError::SignatureInvalid
                ),
                "{e:?}"
            );
        }
    }
}

#[test]
fn bouncy_castle_vector() {
    let v = load("aa-iso9796-2.json");
    let bc = &v["bouncy_castle"];
    let spki = SubjectPublicKeyInfo::from_der(&hx(&bc["spki"])).unwrap();
    let (challenge, sig) = (hx(&bc["challenge"]), hx(&bc["signature"]));
    active::verify(&spki.key, None, &challenge, &sig).unwrap();
    let m1 = hx(&bc["m1"]);
    let f = modpow(&rsa_of(&spki.key).modulus, &sig, &[1, 0, 1]);
    assert_eq!(f[1..1 + m1.len()], m1[..]);
    assert_eq!(
        active::verify(&spki.key, None, &[1; 8], &sig),
        Err(AaError::SignatureInvalid)
    );
}

#[test]
fn bsi_key_pair_own_signer() {
    let (key, d) = bsi_key();
    let n = rsa_of(&key).modulus.clone();
    let mut rng = SeededRandom::new(5);
    for round in 0..8 {
        let challenge = active_auth::challenge(&mut rng).unwrap();
        let mut m1 = vec![0u8; 128];
        rng.fill(&mut m1).unwrap();
        let sha256 = round % 2 == 1;
        let f = representative(128, &m1, &challenge, sha256);
        let s = modpow(&n, &f, &d);
        active::verify(&key, None, &challenge, &s).unwrap();
        // ISO 9796-2 lets the signer send n − s: s'^e = n − F, the verifier takes n − that.
        let field = PrimeField::new(&n).unwrap();
        let alt = field.to_bytes(&field.element(&s).unwrap().neg());
        active::verify(&key, None, &challenge, &alt).unwrap();
        // Sent without leading zero bytes: still accepted (left-padded).
        let stripped: Vec<u8> = s.iter().copied().skip_while(|b| *b == 0).collect();
        active::verify(&key, None, &challenge, &stripped).unwrap();
        // The answer as a response APDU.
        let resp = Response::new(s.clone(), StatusWord::SUCCESS);
        assert_eq!(active_auth::signature(&resp).unwrap(), s.as_slice());
        let run = ActiveAuthRun::from_outcome(
            active::verify(&key, None, &challenge, &s)
                .as_ref()
                .map(|_| ()),
        );
        assert_eq!(run, ActiveAuthRun::Completed);
        assert_eq!(
            ActiveAuthVerdict::judge(&run, true),
            ActiveAuthVerdict::Trusted
        );
    }
}

#[test]
fn wrong_trailers_and_headers_are_typed() {
    let (key, d) = bsi_key();
    let n = rsa_of(&key).modulus.clone();
    let challenge = [7u8; 8];
    let f = representative(128, &[0x55; 128], &challenge, false);
    let sign = |f: &[u8]| modpow(&n, f, &d);

    let mut bad = f.clone();
    *bad.last_mut().unwrap() = 0xCC;
    bad[126] = 0x37; // unknown ISO 10118-3 id
    assert_eq!(
        active::verify(&key, None, &challenge, &sign(&bad)),
        Err(AaError::UnsupportedHashId(0x37))
    );

    let mut bad = f.clone();
    bad[0] = 0x4B;
    assert_eq!(
        active::verify(&key, None, &challenge, &sign(&bad)),
        Err(AaError::InvalidHeader)
    );

    // Trailer ends in nibble C but is neither BC nor xx CC.
    let mut bad = f.clone();
    *bad.last_mut().unwrap() = 0xAC;
    assert_eq!(
        active::verify(&key, None, &challenge, &sign(&bad)),
        Err(AaError::InvalidTrailer)
    );

    // H of another message.
    let mut bad = f.clone();
    bad[110] ^= 0xFF;
    assert_eq!(
        active::verify(&key, None, &challenge, &sign(&bad)),
        Err(AaError::SignatureInvalid)
    );

    // M1 altered (the hash no longer matches).
    let mut bad = f.clone();
    bad[5] ^= 1;
    assert_eq!(
        active::verify(&key, None, &challenge, &sign(&bad)),
        Err(AaError::SignatureInvalid)
    );
}

#[test]
fn modulus_and_signature_size_edge_cases() {
    let (key, _) = bsi_key();
    let n = rsa_of(&key).modulus.clone();
    let c = [0u8; 8];
    // Longer than the modulus, empty, equal to n, zero.
    let mut long = vec![0u8];
    long.extend(&n);
    assert_eq!(
        active::verify(&key, None, &c, &long),
        Err(AaError::SignatureLength {
            len: 129,
            modulus_len: 128
        })
    );
    assert_eq!(
        active::verify(&key, None, &c, &[]),
        Err(AaError::SignatureLength {
            len: 0,
            modulus_len: 128
        })
    );
    assert_eq!(
        active::verify(&key, None, &c, &n),
        Err(AaError::SignatureOutOfRange)
    );
    assert_eq!(
        active::verify(&key, None, &c, &[0; 128]),
        Err(AaError::SignatureOutOfRange)
    );
    assert_eq!(
        active::verify(&key, None, &[], &n),
        Err(AaError::InvalidChallenge)
    );

    // Keys outside 1024..=4096 bits, and an even modulus.
    let small = PublicKey::Rsa(RsaPublicKey {
        modulus: n[..64].to_vec(),
        public_exponent: vec![3],
    });
    assert_eq!(
        active::verify(&small, None, &c, &[1]),
        Err(AaError::UnsupportedKey("RSA modulus size"))
    );
    let mut even = n.clone();
    *even.last_mut().unwrap() &= 0xFE;
    let even = PublicKey::Rsa(RsaPublicKey {
        modulus: even,
        public_exponent: vec![3],
    });
    assert_eq!(
        active::verify(&even, None, &c, &[1]),
        Err(AaError::InvalidPublicKey("RSA modulus is even"))
    );
    let huge = PublicKey::Rsa(RsaPublicKey {
        modulus: vec![0xFF; 513],
        public_exponent: vec![3],
    });
    assert_eq!(
        active::verify(&huge, None, &c, &[1]),
        Err(AaError::UnsupportedKey("RSA modulus size"))
    );

    // Moduli of every bit length from 1024 to 1040 with random signatures: typed errors only.
    let mut rng = SeededRandom::new(11);
    for bits in 1024..=1040usize {
        let bytes = bits.div_ceil(8);
        let mut m = vec![0u8; bytes];
        rng.fill(&mut m).unwrap();
        let top = bits - (bytes - 1) * 8;
        m[0] = (m[0] | 0x80) >> (8 - top);
        m[0] |= 1 << (top - 1);
        *m.last_mut().unwrap() |= 1;
        let k = PublicKey::Rsa(RsaPublicKey {
            modulus: m.clone(),
            public_exponent: vec![1, 0, 1],
        });
        for len in [1usize, bytes - 1, bytes] {
            let mut s = vec![0u8; len];
            rng.fill(&mut s).unwrap();
            s[0] &= 0x3F;
            assert!(active::verify(&k, None, &c, &s).is_err());
        }
    }
}

#[test]
fn malformed_responses_and_random_input_never_panic() {
    assert_eq!(
        active_auth::signature(&Response::status(StatusWord(0x6300))),
        Err(AaError::Card(StatusWord(0x6300)))
    );
    assert_eq!(
        active_auth::signature(&Response::status(StatusWord::SUCCESS)),
        Err(AaError::EmptyResponse)
    );
    assert_eq!(
        ActiveAuthRun::from_outcome(Err(&AaError::Card(StatusWord::INS_NOT_SUPPORTED))),
        ActiveAuthRun::NotSupported
    );
    let failed = ActiveAuthRun::from_outcome(Err(&AaError::SignatureInvalid));
    assert_eq!(
        failed,
        ActiveAuthRun::Failed {
            failure: AaFailure::Signature(AaError::SignatureInvalid)
        }
    );
    assert!(matches!(
        ActiveAuthVerdict::judge(&failed, true),
        ActiveAuthVerdict::Failed { .. }
    ));
    assert_eq!(
        ActiveAuthVerdict::judge(&ActiveAuthRun::Completed, false),
        ActiveAuthVerdict::Untrusted {
            reason: UntrustedCheck::KeyFileNotProven {
                file: cccd::ElementaryFile::Dg(15)
            }
        }
    );

    let (key, _) = bsi_key();
    let ec = ec_key(NamedCurve::P256).0;
    let info = aa_info("1.2.840.10045.4.3.2");
    let mut rng = SeededRandom::new(3);
    for i in 0..2000u64 {
        let len = (rng.below(300)) as usize;
        let mut sig = vec![0u8; len];
        rng.fill(&mut sig).unwrap();
        if i % 3 == 0 && !sig.is_empty() {
            sig[0] = 0x30;
        }
        let chal = [i as u8; 8];
        assert!(active::verify(&key, None, &chal, &sig).is_err());
        assert!(active::verify(&ec, Some(&info), &chal, &sig).is_err());
        let resp = Response::new(sig.clone(), StatusWord(0x9000 - (i % 2) as u16 * 0x2D00));
        let _ = active_auth::signature(&resp);
    }
}

fn aa_info(oid: &str) -> ActiveAuthenticationInfo {
    ActiveAuthenticationInfo {
        version: 1,
        signature_algorithm: ObjectIdentifier::new_unwrap(oid),
    }
}

fn ec_key(curve: NamedCurve) -> (PublicKey, zeroize::Zeroizing<Vec<u8>>) {
    let c = curve.curve();
    let (d, q) = c
        .generate_keypair(&mut SeededRandom::new(curve as u64))
        .unwrap();
    let key = PublicKey::Ec(EcPublicKey {
        parameters: EcParameters::Named(curve.oid()),
        point: c.encode_point(&q),
    });
    (key, d)
}

#[test]
fn ecdsa_plain_and_der() {
    let mut rng = SeededRandom::new(9);
    for (curve, oid, sha256) in [
        (NamedCurve::BrainpoolP256r1, "0.4.0.127.0.7.1.1.4.1.3", true),
        (NamedCurve::P256, "1.2.840.10045.4.3.2", true),
        (NamedCurve::P521, "0.4.0.127.0.7.1.1.4.1.1", false),
    ] {
        let (key, d) = ec_key(curve);
        let c = curve.curve();
        let info = aa_info(oid);
        let challenge = active_auth::challenge(&mut rng).unwrap();
        let digest = if sha256 {
            Sha256::digest(challenge).to_vec()
        } else {
            Sha1::digest(challenge).to_vec()
        };
        let sig = c.ecdsa_sign(&d, &digest, &mut rng).unwrap();
        let plain = sig.to_plain(c.order_size());
        active::verify(&key, Some(&info), &challenge, &plain).unwrap();
        active::verify(&key, Some(&info), &challenge, &sig.to_der()).unwrap();
        assert_eq!(
            active::verify(&key, Some(&info), &[0; 8], &plain),
            Err(AaError::SignatureInvalid)
        );
        assert_eq!(
            active::verify(&key, None, &challenge, &plain),
            Err(AaError::MissingSignatureAlgorithm)
        );
        // The hash named by DG14 is the one used: SHA-384 here does not verify.
        let other = aa_info("1.2.840.10045.4.3.3");
        assert_eq!(
            active::verify(&key, Some(&other), &challenge, &plain),
            Err(AaError::SignatureInvalid)
        );
        let unknown = aa_info("1.2.3.4");
        assert_eq!(
            active::verify(&key, Some(&unknown), &challenge, &plain),
            Err(AaError::UnsupportedAlgorithm(ObjectIdentifier::new_unwrap(
                "1.2.3.4"
            )))
        );
        assert_eq!(
            active::verify(&key, Some(&info), &challenge, &plain[1..]),
            Err(AaError::MalformedSignature)
        );
        // Short Le, even for P-521 (a 139-byte DER signature fits a short protected answer).
        let cmd = active_auth::command(&challenge, &key);
        assert_eq!(cmd.le, Some(256));
        assert!(!cmd.is_extended());
    }
}

#[test]
fn le_follows_the_key_size() {
    let (key, _) = bsi_key();
    let c = [1u8; 8];
    let cmd = active_auth::command(&c, &key);
    assert_eq!(
        hex::encode_upper(cmd.to_bytes().unwrap()),
        "00880000080101010101010101 00".replace(' ', "")
    );
    for (bits, extended) in [(1536, false), (2048, true), (3072, true)] {
        let mut m = vec![0xC1; bits / 8];
        *m.last_mut().unwrap() = 0x01;
        let k = PublicKey::Rsa(RsaPublicKey {
            modulus: m,
            public_exponent: vec![3],
        });
        let cmd = active_auth::command(&c, &k);
        assert_eq!(cmd.is_extended(), extended, "{bits}");
        if extended {
            // 00 88 00 00 | 00 00 08 | challenge | 00 00
            let b = cmd.to_bytes().unwrap();
            assert_eq!(&b[..7], [0x00, 0x88, 0x00, 0x00, 0x00, 0x00, 0x08]);
            assert_eq!(&b[b.len() - 2..], [0x00, 0x00]);
        }
    }
}

/// (n, e, d) of an unencrypted PKCS#8 RSA key (`PrivateKeyInfo { 0, AlgorithmIdentifier,
/// OCTET STRING { RSAPrivateKey { 0, n, e, d, .. } } }`), leading zero bytes stripped.
fn rsa_pk8(der: &[u8]) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let mut r = Reader::new(der);
    let pki = r.read_tag(Tag(0x30)).unwrap();
    let mut p = pki.children();
    p.read_tag(Tag(0x02)).unwrap();
    p.read_tag(Tag(0x30)).unwrap();
    let octets = p.read_tag(Tag(0x04)).unwrap();
    let mut o = Reader::new(octets.value);
    let rsa = o.read_tag(Tag(0x30)).unwrap();
    let mut k = rsa.children();
    k.read_tag(Tag(0x02)).unwrap();
    let mut int = || {
        let v = k.read_tag(Tag(0x02)).unwrap().value;
        v.iter()
            .copied()
            .skip_while(|b| *b == 0)
            .collect::<Vec<u8>>()
    };
    let n = int();
    let e = int();
    let d = int();
    (n, e, d)
}

/// A hash function of the test's own (the `sha1` and `sha2` crates).
type HashFn = fn(&[u8]) -> Vec<u8>;

/// ISO/IEC 10118-3's identifiers of dedicated hash functions, the byte before `CC` in an
/// ISO/IEC 9796-2 explicit trailer: 33 SHA-1, 34 SHA-256, 35 SHA-512, 36 SHA-384, 38 SHA-224.
/// A representative made with each (by this test, with the `sha1`/`sha2` crates) and signed
/// with the BSI key verifies; the same representative under any other identifier does not.
#[test]
fn every_iso10118_hash_identifier_in_an_explicit_trailer() {
    use sha2::{Sha224, Sha384, Sha512};
    let (key, d) = bsi_key();
    let n = rsa_of(&key).modulus.clone();
    let challenge = [0x42u8; 8];
    let hashes: [(u8, HashFn); 5] = [
        (0x33, |m| Sha1::digest(m).to_vec()),
        (0x34, |m| Sha256::digest(m).to_vec()),
        (0x35, |m| Sha512::digest(m).to_vec()),
        (0x36, |m| Sha384::digest(m).to_vec()),
        (0x38, |m| Sha224::digest(m).to_vec()),
    ];
    for (id, hash) in hashes {
        let h_len = hash(b"").len();
        let m1: Vec<u8> = (0..128 - 1 - h_len - 2).map(|i| i as u8).collect();
        let h = hash(&[m1.as_slice(), &challenge].concat());
        let f = [&[0x6A][..], &m1, &h, &[id, 0xCC]].concat();
        assert_eq!(f.len(), 128);
        let s = modpow(&n, &f, &d);
        assert_eq!(
            active::verify(&key, None, &challenge, &s),
            Ok(()),
            "hash id {id:02X}"
        );
        for (other, _) in hashes.iter().filter(|(o, _)| *o != id) {
            let mut relabelled = f.clone();
            relabelled[126] = *other;
            let s = modpow(&n, &relabelled, &d);
            assert!(
                active::verify(&key, None, &challenge, &s).is_err(),
                "{id:02X} labelled {other:02X}"
            );
        }
    }
}

/// A modulus of 8m + 1 bits (1025) leaves the ISO/IEC 9796-2 representative one byte shorter
/// than the modulus (ICAO 9303-11 §6.1: F has the modulus' bit length minus one), and a
/// public exponent of five bytes (2^32 + 1) is the largest Active Authentication takes: a
/// signature by such a key (`test-vectors/aa-rsa1025-e2p32p1.pk8`, made by OpenSSL) verifies,
/// and one exponent byte more is refused as a key out of range.
#[test]
fn a_1025_bit_modulus_and_a_five_byte_exponent() {
    let der = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/test-vectors/aa-rsa1025-e2p32p1.pk8"
    ))
    .unwrap();
    let (n, e, d) = rsa_pk8(&der);
    assert_eq!(e, [1, 0, 0, 0, 1]);
    let key = PublicKey::Rsa(RsaPublicKey {
        modulus: n.clone(),
        public_exponent: e.clone(),
    });
    assert_eq!(rsa_of(&key).modulus_bits(), 1025);
    assert_eq!(n.len(), 129);
    let challenge = [9u8; 8];
    for sha256 in [false, true] {
        let f = representative(128, &[0x33; 128], &challenge, sha256);
        let s = modpow(&n, &f, &d);
        assert_eq!(active::verify(&key, None, &challenge, &s), Ok(()));
        assert_eq!(
            active::verify(&key, None, &[8u8; 8], &s),
            Err(AaError::SignatureInvalid)
        );
    }
    let six = PublicKey::Rsa(RsaPublicKey {
        modulus: n,
        public_exponent: [&[1][..], &e].concat(),
    });
    assert_eq!(
        active::verify(&six, None, &challenge, &[1]),
        Err(AaError::InvalidPublicKey(
            "RSA public exponent out of range"
        ))
    );
}
