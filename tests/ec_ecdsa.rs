//! ECDSA known answers: RFC 6979 Appendix A.2 on P-192..P-521 (verify the published (r, s),
//! reproduce it when signing with the published k, reject flipped bits), plus encodings.
// Uses the primitives (tlv, crypto, the protocol steps): feature `internals`.
#![cfg(feature = "internals")]

use cccd::crypto::ec::{EcError, NamedCurve, Signature};
use cccd::crypto::rng::{FixedRandom, SeededRandom};
use sha2::Digest;

fn unhex(s: &str) -> Vec<u8> {
    let mut clean: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    if clean.len() % 2 == 1 {
        clean.insert(0, '0');
    }
    hex::decode(clean).unwrap()
}

fn fit(v: &[u8], len: usize) -> Vec<u8> {
    let v = &v[v.iter().take_while(|b| **b == 0).count()..];
    let mut out = vec![0; len - v.len()];
    out.extend_from_slice(v);
    out
}

fn hash(name: &str, msg: &[u8]) -> Vec<u8> {
    match name {
        "SHA-1" => sha1::Sha1::digest(msg).to_vec(),
        "SHA-224" => sha2::Sha224::digest(msg).to_vec(),
        "SHA-256" => sha2::Sha256::digest(msg).to_vec(),
        "SHA-384" => sha2::Sha384::digest(msg).to_vec(),
        "SHA-512" => sha2::Sha512::digest(msg).to_vec(),
        _ => panic!("hash {name}"),
    }
}

#[test]
fn rfc6979_vectors_verify_and_sign() {
    let path = format!(
        "{}/test-vectors/ec-ecdsa-rfc6979.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut count = 0;
    for t in v["vectors"].as_array().unwrap() {
        let name = t["curve"].as_str().unwrap();
        let src = t["source"].as_str().unwrap();
        let nc = NamedCurve::ALL
            .into_iter()
            .find(|c| c.name() == name)
            .unwrap();
        let c = nc.curve();
        let x = unhex(t["x"].as_str().unwrap());
        let u = c.mul(&x, &c.generator());
        if let (Some(ux), Some(uy)) = (t["Ux"].as_str(), t["Uy"].as_str()) {
            assert_eq!(u.x().unwrap(), fit(&unhex(ux), c.field_size()), "{src} Ux");
            assert_eq!(u.y().unwrap(), fit(&unhex(uy), c.field_size()), "{src} Uy");
        }
        let digest = hash(
            t["hash"].as_str().unwrap(),
            t["message"].as_str().unwrap().as_bytes(),
        );
        let r = unhex(t["r"].as_str().unwrap());
        let s = unhex(t["s"].as_str().unwrap());
        let sig = Signature::new(&r, &s);
        c.ecdsa_verify(&u, &digest, &sig)
            .unwrap_or_else(|e| panic!("{src} {}: {e}", t["hash"]));

        // A flipped bit anywhere is rejected.
        let mut d2 = digest.clone();
        d2[0] ^= 0x80;
        assert_eq!(
            c.ecdsa_verify(&u, &d2, &sig),
            Err(EcError::SignatureInvalid),
            "{src}"
        );
        let mut s2 = s.clone();
        *s2.last_mut().unwrap() ^= 1;
        assert_eq!(
            c.ecdsa_verify(&u, &digest, &Signature::new(&r, &s2)),
            Err(EcError::SignatureInvalid)
        );
        // The wrong key is rejected.
        let other = c.mul(&[7], &c.generator());
        assert_eq!(
            c.ecdsa_verify(&other, &digest, &sig),
            Err(EcError::SignatureInvalid)
        );

        // Signing with the RFC's k reproduces (r, s): our nonce is (order_size + 8) random
        // bytes reduced mod n, so 8 zero bytes followed by k yield exactly k.
        if let Some(k) = t["k"].as_str() {
            let mut bytes = vec![0u8; 8];
            bytes.extend(fit(&unhex(k), c.order_size()));
            let mut rng = FixedRandom::new(bytes);
            let made = c.ecdsa_sign(&x, &digest, &mut rng).unwrap();
            assert_eq!(made, sig, "{src} {} sign", t["hash"]);
        }
        count += 1;
    }
    assert_eq!(count, 14);
}

#[test]
fn verify_rejects_out_of_range_components() {
    let c = NamedCurve::P256.curve();
    let mut rng = SeededRandom::new(9);
    let (d, q) = c.generate_keypair(&mut rng).unwrap();
    let digest = [0x5a; 32];
    let sig = c.ecdsa_sign(&d, &digest, &mut rng).unwrap();
    c.ecdsa_verify(&q, &digest, &sig).unwrap();
    let n = c.order().to_vec();
    for (r, s) in [
        (vec![0u8], sig.s().to_vec()),
        (sig.r().to_vec(), vec![0u8]),
        (n.clone(), sig.s().to_vec()),
        (sig.r().to_vec(), n.clone()),
        (vec![0xff; 40], sig.s().to_vec()),
    ] {
        assert_eq!(
            c.ecdsa_verify(&q, &digest, &Signature::new(&r, &s)),
            Err(EcError::SignatureInvalid)
        );
    }
}

#[test]
fn sign_verify_round_trip_on_every_curve() {
    let mut rng = SeededRandom::new(42);
    for nc in NamedCurve::ALL {
        let c = nc.curve();
        let (d, q) = c.generate_keypair(&mut rng).unwrap();
        assert_eq!(d.len(), c.order_size());
        for digest in [vec![0x11; 20], vec![0x22; 32], vec![0x33; 64]] {
            let sig = c.ecdsa_sign(&d, &digest, &mut rng).unwrap();
            c.ecdsa_verify(&q, &digest, &sig)
                .unwrap_or_else(|e| panic!("{nc}: {e}"));
            let der = Signature::from_der(&sig.to_der()).unwrap();
            assert_eq!(der, sig);
            let plain = sig.to_plain(c.order_size());
            assert_eq!(plain.len(), 2 * c.order_size());
            assert_eq!(Signature::from_plain(&plain).unwrap(), sig);
        }
    }
}

#[test]
fn signature_encodings() {
    // r = 0x80 needs a sign byte, s = 1 does not.
    let sig = Signature::new(&[0x00, 0x80], &[0x01]);
    assert_eq!(
        sig.to_der(),
        hex::decode("3007020200800201 01".replace(' ', "")).unwrap()
    );
    assert_eq!(sig.to_plain(2), hex::decode("00800001").unwrap());
    // A non-minimal / unsigned encoding is tolerated.
    assert_eq!(
        Signature::from_der(&hex::decode("30060201800201 01".replace(' ', "")).unwrap()).unwrap(),
        sig
    );
    for bad in [
        "",
        "3000",
        "300402000201",
        "3006020180020101ff",
        "3107020200800201 01",
    ] {
        let bad = hex::decode(bad.replace(' ', "")).unwrap();
        assert_eq!(
            Signature::from_der(&bad),
            Err(EcError::InvalidEncoding),
            "{bad:02x?}"
        );
    }
    assert_eq!(
        Signature::from_plain(&[1, 2, 3]),
        Err(EcError::InvalidEncoding)
    );
    assert_eq!(Signature::from_plain(&[]), Err(EcError::InvalidEncoding));
}
