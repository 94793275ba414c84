//! Every intermediate of the ICAO 9303-11 worked examples (Appendices G, H, I), byte for byte,
//! through the module's internal steps. The APDU-level replays are in `tests/pace_*.rs`.

use super::mapping::{pseudo_random, verify_cam, Domain, Mapped};
use super::*;
use crate::crypto::rng::FixedRandom;
use serde_json::Value;

const G: &str = include_str!("../../../test-vectors/icao9303-11-appendix-g.json");
const H: &str = include_str!("../../../test-vectors/icao9303-11-appendix-h.json");
const I: &str = include_str!("../../../test-vectors/icao9303-11-appendix-i.json");

fn section(doc: &str, name: &str) -> Value {
    let v: Value = serde_json::from_str(doc).unwrap();
    v[name].clone()
}

fn field(sec: &Value, name: &str) -> Vec<u8> {
    hex::decode(sec["fields"][name]["value"].as_str().unwrap()).unwrap()
}

fn config(sec: &Value) -> PaceConfig {
    let oid = hex::decode(sec["protocol_oid"]["value"].as_str().unwrap()).unwrap();
    let id = u8::try_from(sec["parameter_id"].as_u64().unwrap()).unwrap();
    PaceConfig::from_oid_and_parameter_id(
        &const_oid::ObjectIdentifier::from_bytes(&oid).unwrap(),
        id,
    )
    .unwrap()
}

fn password(sec: &Value) -> (String, String) {
    (
        sec["password"]["kind"].as_str().unwrap().to_string(),
        sec["password"]["value"].as_str().unwrap().to_string(),
    )
}

fn k_pi(sec: &Value, cipher: CipherAlg) -> Zeroizing<Vec<u8>> {
    let (kind, value) = password(sec);
    match kind.as_str() {
        "CAN" => PacePassword::Can(value.as_bytes()).key(cipher).unwrap(),
        _ => PacePassword::Mrz(value.as_bytes()).key(cipher).unwrap(),
    }
}

fn mapped_bytes(domain: &Domain, m: &Mapped) -> Vec<u8> {
    match (domain, m) {
        (Domain::Ec(c), Mapped::Ec(p)) => c.encode_point(p),
        (Domain::Dh(_), Mapped::Dh(g)) => g.g().to_vec(),
        _ => panic!("mismatch"),
    }
}

fn keypair(domain: &Domain, on: &Mapped, sk: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let mut rng = FixedRandom::new(sk.to_vec());
    let (sk, pk) = domain.keypair(on, &mut rng).unwrap();
    (sk.to_vec(), pk)
}

fn nonce(sec: &Value, cipher: CipherAlg) -> Vec<u8> {
    let k_pi = k_pi(sec, cipher);
    let iv = vec![0u8; cipher.block_size()];
    cbc_decrypt(cipher, &k_pi, &iv, &field(sec, "encrypted_nonce")).unwrap()
}

/// Session keys and both tokens from K, checked against the section.
fn check_keys_and_tokens(sec: &Value, domain: &Domain, k: &[u8], pk_ifd: &[u8], pk_ic: &[u8]) {
    let cfg = config(sec);
    let cipher = cfg.cipher();
    let ks_enc = kdf(k, ENC, cipher);
    let ks_mac = kdf(k, MAC, cipher);
    assert_eq!(ks_enc.to_vec(), field(sec, "ks_enc"));
    assert_eq!(ks_mac.to_vec(), field(sec, "ks_mac"));
    let oid = cfg.oid_bytes();
    let t_ifd = token(cipher, &ks_mac, &domain.public_key_data(&oid, pk_ic)).unwrap();
    let t_ic = token(cipher, &ks_mac, &domain.public_key_data(&oid, pk_ifd)).unwrap();
    assert_eq!(t_ifd.to_vec(), field(sec, "t_ifd"));
    assert_eq!(t_ic.to_vec(), field(sec, "t_ic"));
}

#[test]
fn appendix_g1_ecdh_generic_mapping() {
    let sec = section(G, "G.1");
    let cfg = config(&sec);
    let cipher = cfg.cipher();
    assert_eq!(cipher, CipherAlg::Aes128);
    let (_, mrz) = password(&sec);
    assert_eq!(Sha1::digest(mrz.as_bytes()).to_vec(), field(&sec, "k"));
    assert_eq!(k_pi(&sec, cipher).to_vec(), field(&sec, "k_pi"));
    let s = nonce(&sec, cipher);
    assert_eq!(s, field(&sec, "nonce"));

    let domain = Domain::of(&cfg).unwrap();
    let Domain::Ec(curve) = &domain else { panic!() };
    let (sk_map, pk_map) = keypair(
        &domain,
        &domain.static_generator(),
        &field(&sec, "sk_map_ifd"),
    );
    assert_eq!(sk_map, field(&sec, "sk_map_ifd"));
    assert_eq!(pk_map, field(&sec, "pk_map_ifd"));
    let chip_map = curve.decode_point(&field(&sec, "pk_map_ic")).unwrap();
    assert_eq!(
        curve.encode_point(&curve.mul(&sk_map, &chip_map)),
        field(&sec, "h")
    );
    // The chip's side of H, from the example's chip key.
    let ours = curve.decode_point(&pk_map).unwrap();
    assert_eq!(
        curve.encode_point(&curve.mul(&field(&sec, "sk_map_ic"), &ours)),
        field(&sec, "h")
    );
    let mapped = domain
        .generic_map(&s, &sk_map, &field(&sec, "pk_map_ic"))
        .unwrap();
    assert_eq!(
        mapped_bytes(&domain, &mapped),
        field(&sec, "mapped_generator")
    );

    let (sk, pk) = keypair(&domain, &mapped, &field(&sec, "sk_dh_ifd"));
    assert_eq!(pk, field(&sec, "pk_dh_ifd"));
    let k = domain
        .agree(&mapped, &sk, &field(&sec, "pk_dh_ic"))
        .unwrap();
    assert_eq!(k.to_vec(), field(&sec, "shared_secret"));
    assert_eq!(
        domain.public_key_data(&cfg.oid_bytes(), &field(&sec, "pk_dh_ic")),
        field(&sec, "token_input_ifd")
    );
    check_keys_and_tokens(&sec, &domain, &k, &pk, &field(&sec, "pk_dh_ic"));
}

#[test]
fn appendix_g2_dh_generic_mapping() {
    let sec = section(G, "G.2");
    let cfg = config(&sec);
    let cipher = cfg.cipher();
    let s = nonce(&sec, cipher);
    assert_eq!(s, field(&sec, "nonce"));
    let domain = Domain::of(&cfg).unwrap();
    let (sk_map, pk_map) = keypair(
        &domain,
        &domain.static_generator(),
        &field(&sec, "sk_map_ifd"),
    );
    assert_eq!(pk_map, field(&sec, "pk_map_ifd"));
    let mapped = domain
        .generic_map(&s, &sk_map, &field(&sec, "pk_map_ic"))
        .unwrap();
    assert_eq!(
        mapped_bytes(&domain, &mapped),
        field(&sec, "mapped_generator")
    );
    let (sk, pk) = keypair(&domain, &mapped, &field(&sec, "sk_dh_ifd"));
    assert_eq!(pk, field(&sec, "pk_dh_ifd"));
    let k = domain
        .agree(&mapped, &sk, &field(&sec, "pk_dh_ic"))
        .unwrap();
    assert_eq!(k.to_vec(), field(&sec, "shared_secret"));
    check_keys_and_tokens(&sec, &domain, &k, &pk, &field(&sec, "pk_dh_ic"));
}

#[test]
fn appendix_h1_ecdh_integrated_mapping() {
    let sec = section(H, "H.1");
    let cfg = config(&sec);
    let cipher = cfg.cipher();
    assert_eq!(k_pi(&sec, cipher).to_vec(), field(&sec, "k_pi"));
    let s = nonce(&sec, cipher);
    assert_eq!(s, field(&sec, "nonce"));
    let t = field(&sec, "t");
    assert_eq!(t.len(), mapping::im_nonce_len(cipher));
    let domain = Domain::of(&cfg).unwrap();
    let Domain::Ec(curve) = &domain else { panic!() };
    let r = pseudo_random(cipher, &s, &t, 256).unwrap();
    assert_eq!(r.to_vec(), field(&sec, "r"));
    assert_eq!(
        curve.field().to_bytes(&curve.field().reduce(&r)),
        field(&sec, "r_p")
    );
    let mapped = domain.integrated_map(cipher, &s, &t).unwrap();
    assert_eq!(
        mapped_bytes(&domain, &mapped),
        field(&sec, "mapped_generator")
    );
    let (sk, pk) = keypair(&domain, &mapped, &field(&sec, "sk_dh_ifd"));
    assert_eq!(pk, field(&sec, "pk_dh_ifd"));
    let k = domain
        .agree(&mapped, &sk, &field(&sec, "pk_dh_ic"))
        .unwrap();
    assert_eq!(k.to_vec(), field(&sec, "shared_secret"));
    check_keys_and_tokens(&sec, &domain, &k, &pk, &field(&sec, "pk_dh_ic"));
}

#[test]
fn appendix_h2_dh_integrated_mapping() {
    let sec = section(H, "H.2");
    let cfg = config(&sec);
    let cipher = cfg.cipher();
    let s = nonce(&sec, cipher);
    assert_eq!(s, field(&sec, "nonce"));
    let t = field(&sec, "t");
    let domain = Domain::of(&cfg).unwrap();
    let Domain::Dh(group) = &domain else { panic!() };
    let r = pseudo_random(cipher, &s, &t, 1024).unwrap();
    assert_eq!(r.to_vec(), field(&sec, "r"));
    assert_eq!(
        group.field().to_bytes(&group.field().reduce(&r)),
        field(&sec, "r_p")
    );
    let mapped = domain.integrated_map(cipher, &s, &t).unwrap();
    assert_eq!(
        mapped_bytes(&domain, &mapped),
        field(&sec, "mapped_generator")
    );
    // The printed exponent is 1024 bits; ĝ has order q, so x mod q gives the same key.
    let printed = field(&sec, "sk_dh_ifd");
    let Mapped::Dh(hat) = &mapped else { panic!() };
    assert_eq!(
        hat.pow_mod(hat.g(), &printed).unwrap(),
        field(&sec, "pk_dh_ifd")
    );
    let qf = crate::crypto::ec::PrimeField::new(group.q().unwrap()).unwrap();
    let reduced = qf.to_bytes(&qf.reduce(&printed));
    let (sk, pk) = keypair(&domain, &mapped, &reduced);
    assert_eq!(pk, field(&sec, "pk_dh_ifd"));
    let k = domain
        .agree(&mapped, &sk, &field(&sec, "pk_dh_ic"))
        .unwrap();
    assert_eq!(k.to_vec(), field(&sec, "shared_secret"));
    check_keys_and_tokens(&sec, &domain, &k, &pk, &field(&sec, "pk_dh_ic"));
}

#[test]
fn appendix_i1_chip_authentication_mapping() {
    let sec = section(I, "I.1");
    let cfg = config(&sec);
    let cipher = cfg.cipher();
    let s = nonce(&sec, cipher);
    assert_eq!(s, field(&sec, "nonce"));
    let domain = Domain::of(&cfg).unwrap();
    let Domain::Ec(curve) = &domain else { panic!() };
    let (sk_map, pk_map) = keypair(
        &domain,
        &domain.static_generator(),
        &field(&sec, "sk_map_ifd"),
    );
    assert_eq!(pk_map, field(&sec, "pk_map_ifd"));
    // The chip's mapping key pair is consistent.
    assert_eq!(
        curve.encode_point(&curve.mul(&field(&sec, "sk_map_ic"), &curve.generator())),
        field(&sec, "pk_map_ic")
    );
    let mapped = domain
        .generic_map(&s, &sk_map, &field(&sec, "pk_map_ic"))
        .unwrap();
    assert_eq!(
        mapped_bytes(&domain, &mapped),
        field(&sec, "mapped_generator")
    );
    let (sk, pk) = keypair(&domain, &mapped, &field(&sec, "sk_dh_ifd"));
    assert_eq!(pk, field(&sec, "pk_dh_ifd"));
    let k = domain
        .agree(&mapped, &sk, &field(&sec, "pk_dh_ic"))
        .unwrap();
    check_keys_and_tokens(&sec, &domain, &k, &pk, &field(&sec, "pk_dh_ic"));

    let ks_enc = field(&sec, "ks_enc");
    assert_eq!(
        encrypt_block(cipher, &ks_enc, &[0xFF; 16]).unwrap(),
        field(&sec, "ca_iv")
    );
    let ca = decrypt_ca_data(cipher, &ks_enc, &field(&sec, "encrypted_ca_data"), 32).unwrap();
    assert_eq!(ca, field(&sec, "ca_data"));
    assert!(verify_cam(curve, &ca, &field(&sec, "pk_ic"), &field(&sec, "pk_map_ic")).unwrap());
    // Another static key (the chip's own mapping key) does not verify.
    assert!(!verify_cam(
        curve,
        &ca,
        &field(&sec, "pk_map_ic"),
        &field(&sec, "pk_map_ic")
    )
    .unwrap());
    // A wrong width is refused.
    assert_eq!(
        decrypt_ca_data(cipher, &ks_enc, &field(&sec, "encrypted_ca_data"), 33),
        Err(PaceError::Malformed("chip authentication data length"))
    );
}

#[test]
fn password_keys() {
    assert_eq!(
        PacePassword::Can(b"12a456").key(CipherAlg::Aes128),
        Err(PaceError::InvalidPassword)
    );
    assert_eq!(
        PacePassword::Can(b"").key(CipherAlg::Aes128),
        Err(PaceError::InvalidPassword)
    );
    assert_eq!(
        PacePassword::Mrz(b"").key(CipherAlg::Aes128),
        Err(PaceError::InvalidPassword)
    );
    assert_eq!(format!("{:?}", PacePassword::Can(b"123456")), "Can(***)");
    assert_eq!(format!("{:?}", PacePassword::Mrz(b"T22000129")), "Mrz(***)");
}
