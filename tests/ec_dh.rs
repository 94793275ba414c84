//! Finite-field DH: the RFC 5114 groups (PACE ids 0..=2) and their Appendix A test data.
// Uses the primitives (tlv, crypto, the protocol steps): feature `internals`.
#![cfg(feature = "internals")]

use cccd::crypto::dh::{DhError, DhGroup};

fn unhex(s: &str) -> Vec<u8> {
    let clean: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    hex::decode(clean).unwrap()
}

fn vectors() -> serde_json::Value {
    let path = format!(
        "{}/test-vectors/dh-rfc5114.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn fit(v: &[u8], len: usize) -> Vec<u8> {
    let mut out = vec![0; len - v.len()];
    out.extend_from_slice(v);
    out
}

#[test]
fn rfc5114_groups_and_known_answers() {
    let v = vectors();
    let groups = v["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 3);
    for t in groups {
        let f = |k: &str| unhex(t[k].as_str().unwrap());
        let id = u8::try_from(t["pace_id"].as_u64().unwrap()).unwrap();
        let g = DhGroup::from_pace_id(id).unwrap();
        let len = g.modulus_size();
        assert_eq!(g.p(), f("p"));
        assert_eq!(g.g(), f("g"));
        assert_eq!(g.q().unwrap(), f("q"));
        // g^q = 1 mod p, g^(q-1) ≠ 1.
        let one = fit(&[1], len);
        assert_eq!(g.pow_mod(g.g(), &f("q")).unwrap(), one);
        let mut qm1 = f("q");
        *qm1.last_mut().unwrap() -= 1;
        assert_ne!(g.pow_mod(g.g(), &qm1).unwrap(), one);
        // Appendix A: public values and the shared secret.
        assert_eq!(
            g.public_key(&f("xA")),
            fit(&f("yA"), len),
            "{}",
            t["source"]
        );
        assert_eq!(g.public_key(&f("xB")), fit(&f("yB"), len));
        assert_eq!(
            *g.shared_secret(&f("xA"), &f("yB")).unwrap(),
            fit(&f("Z"), len)
        );
        assert_eq!(
            *g.shared_secret(&f("xB"), &f("yA")).unwrap(),
            fit(&f("Z"), len)
        );
        // The same group from explicit parameters.
        let explicit = DhGroup::from_params(&f("p"), &f("g"), Some(&f("q"))).unwrap();
        assert_eq!(explicit, g);
    }
    for id in 3..=255 {
        assert!(DhGroup::from_pace_id(id).is_none());
    }
}

#[test]
fn shared_secret_rejects_bad_public_values() {
    let g = DhGroup::from_pace_id(0).unwrap();
    let p = g.p();
    let mut p_minus_1 = p.clone();
    *p_minus_1.last_mut().unwrap() -= 1;
    let x = [0x42; 20];
    for bad in [
        vec![0u8],
        vec![1u8],
        p_minus_1.clone(),
        p.clone(),
        vec![0xff; 129],
    ] {
        assert_eq!(g.shared_secret(&x, &bad), Err(DhError::InvalidPublicKey));
    }
    // 2 is not in the order-q subgroup of this group.
    assert_eq!(g.shared_secret(&x, &[2]), Err(DhError::InvalidPublicKey));
    assert_eq!(
        g.shared_secret(&[0, 0], g.g()),
        Err(DhError::InvalidPrivateKey)
    );
}

#[test]
fn generic_mapping_generator_and_keypairs() {
    use cccd::crypto::rng::SeededRandom;
    let g = DhGroup::from_pace_id(2).unwrap();
    let mut rng = SeededRandom::new(3);
    // ĝ = g^s · h stays in the subgroup.
    let s = [0x11; 16];
    let h = g.public_key(&[0x22; 32]);
    let g_hat = g.mul_mod(&g.pow_mod(g.g(), &s).unwrap(), &h).unwrap();
    let mapped = g.with_generator(&g_hat).unwrap();
    assert_eq!(mapped.g(), g_hat);
    let (xa, ya) = mapped.generate_keypair(&mut rng).unwrap();
    let (xb, yb) = mapped.generate_keypair(&mut rng).unwrap();
    assert_ne!(ya, yb);
    assert_eq!(
        *mapped.shared_secret(&xa, &yb).unwrap(),
        *mapped.shared_secret(&xb, &ya).unwrap()
    );
    // A generator outside the subgroup is refused.
    assert!(g.with_generator(&[2]).is_err());
    assert!(
        DhGroup::from_params(&[0x0f; 64], &[2], None).is_err(),
        "512-bit p is too small"
    );
}
