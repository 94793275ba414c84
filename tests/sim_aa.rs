//! Active Authentication against the simulated chip: INTERNAL AUTHENTICATE under BAC secure
//! messaging, the signature checked by a small verifier written here with the DG15 public key:
//! ISO/IEC 9796-2 scheme 1 for RSA (the BSI specimen's RSA-1024 with SHA-1, the CCCD's optional
//! RSA-2048 with SHA-256), plain ECDSA over SHA-256 for the CCCD's default key. The clone's
//! signatures fail.
#![cfg(all(feature = "sim", feature = "internals"))]

use crate::sim_reader as support;

use cccd::crypto::ec::{Curve, Signature};
use cccd::sim::fs::fid_dg;
use cccd::sim::keys::{ActiveAuthenticationKind, Iso9796Hash};
use cccd::sim::{Card, CardOptions, Profile};
use cccd::tlv::Tag;
use crypto_bigint::modular::{BoxedMontyForm, BoxedMontyParams};
use crypto_bigint::{BoxedUint, Odd};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use support::{bac, read_file, send, sw, TestSm, AID};

/// rsaEncryption 1.2.840.113549.1.1.1.
const RSA_ENCRYPTION: &str = "2a864886f70d010101";
/// id-ecPublicKey 1.2.840.10045.2.1.
const ID_EC_PUBLIC_KEY: &str = "2a8648ce3d0201";

/// DG15's key.
enum AaPublicKey {
    Rsa { n: Vec<u8>, e: Vec<u8> },
    Ec { curve: Box<Curve>, point: Vec<u8> },
}

/// DG15 = 6F { SubjectPublicKeyInfo }.
fn parse_dg15(dg15: &[u8]) -> AaPublicKey {
    let outer = cccd::tlv::parse_single(dg15).unwrap();
    assert_eq!(outer.tag, Tag(0x6F));
    let mut r = outer.children();
    let spki = r.read_tag(Tag(0x30)).unwrap();
    r.finish().unwrap();
    let mut s = spki.children();
    let alg = s.read_tag(Tag(0x30)).unwrap();
    let bits = s.read_tag(Tag(0x03)).unwrap().value;
    assert_eq!(bits[0], 0, "no unused bits");
    let mut a = alg.children();
    let oid = a.read_tag(Tag(0x06)).unwrap().value;
    if oid == hex::decode(RSA_ENCRYPTION).unwrap() {
        // RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }
        let key = cccd::tlv::parse_single(&bits[1..]).unwrap();
        let mut k = key.children();
        let n = k.read_tag(Tag(0x02)).unwrap().value;
        let e = k.read_tag(Tag(0x02)).unwrap().value;
        let strip = |v: &[u8]| v.iter().skip_while(|b| **b == 0).copied().collect();
        AaPublicKey::Rsa {
            n: strip(n),
            e: strip(e),
        }
    } else {
        assert_eq!(oid, hex::decode(ID_EC_PUBLIC_KEY).unwrap());
        let params = a.read().unwrap();
        AaPublicKey::Ec {
            curve: Box::new(Curve::from_ec_parameters_der(params.raw).unwrap()),
            point: bits[1..].to_vec(),
        }
    }
}

/// s^e mod n at the modulus's width.
fn rsa_public(n: &[u8], e: &[u8], s: &[u8]) -> Vec<u8> {
    let bits = (n.len() * 8) as u32;
    let n_int = BoxedUint::from_be_slice(n, bits).unwrap();
    let s_int = BoxedUint::from_be_slice(s, bits).unwrap();
    assert!(s_int < n_int, "signature below the modulus");
    let e_int = BoxedUint::from_be_slice(e, (e.len() * 8).max(8) as u32).unwrap();
    let params = BoxedMontyParams::new(Odd::new(n_int).unwrap());
    let out = BoxedMontyForm::new(s_int, &params).pow(&e_int).retrieve();
    let bytes = out.to_be_bytes();
    bytes[bytes.len() - n.len()..].to_vec()
}

/// ISO/IEC 9796-2 scheme 1 verification (partial recovery): F = s^e mod n must read
/// `6A || M1 || H(M1 || challenge) || trailer`, the hash named by the trailer.
fn verify_iso9796_2(n: &[u8], e: &[u8], challenge: &[u8], sig: &[u8]) -> Result<Vec<u8>, String> {
    if sig.len() != n.len() {
        return Err(format!("signature of {} bytes", sig.len()));
    }
    let f = rsa_public(n, e, sig);
    if f[0] != 0x6A {
        return Err(format!("header {:02X}", f[0]));
    }
    let (digest_len, trailer_len, sha256) = match f[f.len() - 1] {
        0xBC => (20, 1, false),
        0xCC if f[f.len() - 2] == 0x34 => (32, 2, true),
        t => return Err(format!("trailer {t:02X}")),
    };
    let m1 = &f[1..f.len() - trailer_len - digest_len];
    let d = &f[f.len() - trailer_len - digest_len..f.len() - trailer_len];
    let expected = if sha256 {
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
    if expected == d {
        Ok(f)
    } else {
        Err("digest mismatch".into())
    }
}

fn verify(key: &AaPublicKey, challenge: &[u8], sig: &[u8]) -> Result<(), String> {
    match key {
        AaPublicKey::Rsa { n, e } => verify_iso9796_2(n, e, challenge, sig).map(|_| ()),
        AaPublicKey::Ec { curve, point } => {
            let q = curve.decode_point(point).map_err(|e| e.to_string())?;
            if sig.len() != 2 * curve.order_size() {
                return Err(format!("signature of {} bytes", sig.len()));
            }
            let sig = Signature::from_plain(sig).map_err(|e| e.to_string())?;
            curve
                .ecdsa_verify(&q, &Sha256::digest(challenge), &sig)
                .map_err(|e| e.to_string())
        }
    }
}

fn open(card: &mut Card, mrz: &str) -> (TestSm, AaPublicKey) {
    assert_eq!(sw(&send(card, AID)), 0x9000);
    let mut sm = bac(card, mrz).unwrap();
    let dg15 = read_file(card, &mut sm, fid_dg(15), 0xE0).unwrap();
    (sm, parse_dg15(&dg15))
}

fn internal_authenticate(
    card: &mut Card,
    sm: &mut TestSm,
    challenge: &[u8],
    le: usize,
) -> (Vec<u8>, u16) {
    let apdu = sm.wrap([0x00, 0x88, 0x00, 0x00], challenge, Some(le), le > 256);
    sm.unwrap(&card.process(&apdu))
}

#[test]
fn cccd_ecdsa_signature_verifies() {
    let mut card = Card::new(Profile::Cccd, 12);
    let mrz = card.persona().mrz_information().to_string();
    let (mut sm, key) = open(&mut card, &mrz);
    assert!(matches!(key, AaPublicKey::Ec { .. }));
    // DG14 announces ecdsa-plain-SHA256 in an ActiveAuthenticationInfo.
    let dg14 = read_file(&mut card, &mut sm, fid_dg(14), 0xE0).unwrap();
    let aa_info =
        hex::decode("3017 0606 678108010105 020101 060a 04007f00070101040103".replace(' ', ""))
            .unwrap();
    assert!(dg14.windows(aa_info.len()).any(|w| w == aa_info));
    for challenge in [[0u8; 8], *b"\x01\x23\x45\x67\x89\xAB\xCD\xEF"] {
        let (sig, s) = internal_authenticate(&mut card, &mut sm, &challenge, 256);
        assert_eq!(s, 0x9000);
        assert_eq!(sig.len(), 64);
        verify(&key, &challenge, &sig).unwrap();
        // Another challenge, or a flipped bit, does not verify.
        assert!(verify(&key, &[9; 8], &sig).is_err());
        let mut bad = sig.clone();
        bad[40] ^= 1;
        assert!(verify(&key, &challenge, &bad).is_err());
    }
}

#[test]
fn bsi_rsa1024_iso9796_2_sha1() {
    let mut card = Card::new(Profile::Bsi, 0);
    let (mut sm, key) = open(&mut card, "C11T002JM496081222310314");
    let AaPublicKey::Rsa { n, e } = &key else {
        panic!("RSA expected");
    };
    assert_eq!(n.len(), 128, "RSA-1024");
    assert_eq!(e, &[0x01, 0x00, 0x01]);
    let challenge = hex::decode("F173589974BF40C6").unwrap();
    let (sig, s) = internal_authenticate(&mut card, &mut sm, &challenge, 256);
    assert_eq!(s, 0x9000);
    let f = verify_iso9796_2(n, e, &challenge, &sig).unwrap();
    assert_eq!(f[127], 0xBC, "SHA-1 trailer");
    assert_eq!(f.len() - 1 - 20 - 1, 106, "M1 fills the modulus");
    assert!(verify_iso9796_2(n, e, &[0; 8], &sig).is_err());
}

#[test]
fn cccd_rsa2048_sha256_option() {
    let mut options = CardOptions::default();
    options.active_authentication = ActiveAuthenticationKind::Rsa2048(Iso9796Hash::Sha256);
    let mut card = Card::with_options(Profile::Cccd, 3, options.clone());
    let mrz = card.persona().mrz_information().to_string();
    let (mut sm, key) = open(&mut card, &mrz);
    let AaPublicKey::Rsa { n, e } = &key else {
        panic!("RSA expected");
    };
    assert_eq!(n.len(), 256);
    let challenge = [0x5A; 8];
    // The 256-byte signature, protected, takes 283 bytes: an extended Le is needed.
    let (sig, s) = internal_authenticate(&mut card, &mut sm, &challenge, 512);
    assert_eq!(s, 0x9000);
    let f = verify_iso9796_2(n, e, &challenge, &sig).unwrap();
    assert_eq!(&f[254..], &[0x34, 0xCC]);
    verify(&key, &challenge, &sig).unwrap();
    // Le too short for the signature: 6700; a short Le 00, whose protected answer cannot
    // carry it: 6700 too.
    for le in [128, 256] {
        assert_eq!(
            internal_authenticate(&mut card, &mut sm, &challenge, le).1,
            0x6700,
            "Le {le}"
        );
    }

    // The RSA clone: same DG15, other key.
    let mut clone = Card::with_options(Profile::CccdClone, 3, options);
    let (mut sm, clone_key) = open(&mut clone, &mrz);
    let AaPublicKey::Rsa { n: n2, .. } = &clone_key else {
        panic!("RSA expected");
    };
    assert_eq!(n2, n, "the clone serves the genuine DG15");
    let (sig, s) = internal_authenticate(&mut clone, &mut sm, &challenge, 512);
    assert_eq!(s, 0x9000);
    assert!(verify(&key, &challenge, &sig).is_err());
}

#[test]
fn clone_signature_fails() {
    let mut card = Card::new(Profile::CccdClone, 12);
    let genuine = Card::new(Profile::Cccd, 12);
    assert_eq!(
        card.files().content(fid_dg(15)),
        genuine.files().content(fid_dg(15))
    );
    let mrz = card.persona().mrz_information().to_string();
    let (mut sm, key) = open(&mut card, &mrz);
    let challenge = [0x11; 8];
    let (sig, s) = internal_authenticate(&mut card, &mut sm, &challenge, 256);
    assert_eq!(s, 0x9000, "the clone answers");
    assert_eq!(
        verify(&key, &challenge, &sig),
        Err("signature invalid".to_string())
    );
}

#[test]
fn refusals() {
    let mut card = Card::new(Profile::Cccd, 2);
    let mrz = card.persona().mrz_information().to_string();
    let (mut sm, _) = open(&mut card, &mrz);
    // A challenge that is not 8 bytes.
    assert_eq!(
        internal_authenticate(&mut card, &mut sm, &[1; 7], 256).1,
        0x6700
    );
    assert_eq!(
        internal_authenticate(&mut card, &mut sm, &[1; 16], 256).1,
        0x6700
    );
    // Wrong P1-P2.
    let apdu = sm.wrap([0x00, 0x88, 0x01, 0x00], &[1; 8], Some(256), false);
    assert_eq!(sm.unwrap(&card.process(&apdu)).1, 0x6A86);
    // Without secure messaging (after the session ended).
    let plain = hex::decode("00880000080102030405060708 00".replace(' ', "")).unwrap();
    assert_eq!(card.process(&plain), vec![0x69, 0x87]);
    assert_eq!(card.process(&plain), vec![0x69, 0x82]);
}
