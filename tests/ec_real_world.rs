//! Real-world data: explicit domain parameters from a CSCA certificate and a DG14, and the
//! Vietnamese CSCA's ECDSA-SHA512 self-signature on brainpoolP512r1 (a real-world ECDSA KAT).
// Uses the primitives (tlv, crypto, the protocol steps): feature `internals`.
#![cfg(feature = "internals")]

use cccd::crypto::ec::{Curve, EcError, NamedCurve, Signature};
use cccd::tlv::{Reader, Tag, Tlv};
use sha2::{Digest, Sha512};

fn shared(rel: &str) -> Vec<u8> {
    let path = format!("{}/../shared/test-data/{rel}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The next element, which must have tag `tag`.
fn next<'a>(r: &mut Reader<'a>, tag: u32) -> Tlv<'a> {
    r.read_tag(Tag(tag)).unwrap()
}

/// SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT
/// STRING }: returns (raw algorithm parameters, public key bytes without the unused-bits byte).
fn spki_parts<'a>(spki: &Tlv<'a>) -> (&'a [u8], &'a [u8]) {
    let mut r = spki.children();
    let alg = next(&mut r, 0x30);
    let mut a = alg.children();
    let oid = next(&mut a, 0x06);
    assert_eq!(
        oid.value,
        hex::decode("2a8648ce3d0201").unwrap(),
        "id-ecPublicKey"
    );
    let params = a.read().unwrap().raw;
    let key = next(&mut r, 0x03);
    assert_eq!(key.value[0], 0, "no unused bits");
    (params, &key.value[1..])
}

#[test]
fn vn_csca_explicit_parameters_are_brainpool_p512r1() {
    let cert = shared("vn/VN_CSCA_ePassport_2022.cer");
    let mut top = Reader::new(&cert);
    let c = next(&mut top, 0x30);
    let mut cr = c.children();
    let tbs = next(&mut cr, 0x30);
    let _sig_alg = next(&mut cr, 0x30);
    let sig_bits = next(&mut cr, 0x03);

    let mut t = tbs.children();
    let _version = next(&mut t, 0xA0);
    let _serial = next(&mut t, 0x02);
    let _alg = next(&mut t, 0x30);
    let _issuer = next(&mut t, 0x30);
    let _validity = next(&mut t, 0x30);
    let _subject = next(&mut t, 0x30);
    let spki = next(&mut t, 0x30);
    let (params, key) = spki_parts(&spki);
    assert_eq!(
        params[0], 0x30,
        "explicit parameters, not a named-curve OID"
    );

    let curve = Curve::from_ec_parameters_der(params).unwrap();
    assert_eq!(curve.named(), Some(NamedCurve::BrainpoolP512r1));
    assert_eq!(&curve, NamedCurve::BrainpoolP512r1.curve());
    let public = curve.decode_point(key).unwrap();

    // ecdsa-with-SHA512 over the exact TBSCertificate bytes.
    let digest = Sha512::digest(tbs.raw);
    assert_eq!(sig_bits.value[0], 0);
    let sig = Signature::from_der(&sig_bits.value[1..]).unwrap();
    assert_eq!(
        sig.to_der(),
        &sig_bits.value[1..],
        "the CSCA's DER is minimal"
    );
    curve.ecdsa_verify(&public, &digest, &sig).unwrap();

    // Any flipped bit in the digest, r or s makes it fail.
    let mut bad = digest.to_vec();
    bad[17] ^= 0x04;
    assert_eq!(
        curve.ecdsa_verify(&public, &bad, &sig),
        Err(EcError::SignatureInvalid)
    );
    let mut r = sig.r().to_vec();
    r[10] ^= 1;
    let bad_sig = Signature::new(&r, sig.s());
    assert_eq!(
        curve.ecdsa_verify(&public, &digest, &bad_sig),
        Err(EcError::SignatureInvalid)
    );
    let plain = sig.to_plain(curve.order_size());
    assert_eq!(plain.len(), 128);
    assert_eq!(Signature::from_plain(&plain).unwrap(), sig);

    // The same curve given only by its OID.
    let named = Curve::from_ec_parameters_der(&hex::decode("06092b240303020801010d").unwrap());
    assert_eq!(named.unwrap().named(), Some(NamedCurve::BrainpoolP512r1));
}

#[test]
fn bsi_dg14_explicit_parameters_and_chip_key_pair() {
    // EF.DG14 = 6E { SET { ChipAuthenticationPublicKeyInfo { OID id-PK-ECDH,
    //                SubjectPublicKeyInfo }, ChipAuthenticationInfo, ... } }
    let dg14 = shared("bsi-tr03105-5/Datagroup14.bin");
    let mut top = Reader::new(&dg14);
    let app = next(&mut top, 0x6E);
    let mut set = app.children();
    let set = next(&mut set, 0x31);
    let mut infos = set.children();
    let pk_info = next(&mut infos, 0x30);
    let mut p = pk_info.children();
    let oid = next(&mut p, 0x06);
    assert_eq!(
        oid.value,
        hex::decode("04007f000702020102").unwrap(),
        "id-PK-ECDH"
    );
    let spki = next(&mut p, 0x30);
    let (params, key) = spki_parts(&spki);

    // The BSI TR-03105-5 specimen's chip key is on brainpoolP224r1, given explicitly.
    let curve = Curve::from_ec_parameters_der(params).unwrap();
    assert_eq!(curve.named(), Some(NamedCurve::BrainpoolP224r1));
    let public = curve.decode_point(key).unwrap();

    // Its private key (DG14_sk.pkcs8: PrivateKeyInfo { 0, algId, OCTET STRING { ECPrivateKey
    // { 1, privateKey OCTET STRING, ... } } }) times G is the published public key: a
    // scalar-multiplication vector on brainpoolP224r1 from data we did not produce.
    let sk = shared("bsi-tr03105-5/DG14_sk.pkcs8");
    let mut r = Reader::new(&sk);
    let pki = next(&mut r, 0x30);
    let mut f = pki.children();
    let _v = next(&mut f, 0x02);
    let _alg = next(&mut f, 0x30);
    let wrapped = next(&mut f, 0x04);
    let mut w = Reader::new(wrapped.value);
    let ec_pk = next(&mut w, 0x30);
    let mut e = ec_pk.children();
    let _one = next(&mut e, 0x02);
    let d = next(&mut e, 0x04);
    assert_eq!(curve.mul(d.value, &curve.generator()), public);
    assert_eq!(curve.mul_vartime(d.value, &curve.generator()), public);

    // DG14_pk.bin is the same key as a bare SubjectPublicKeyInfo.
    let pk = shared("bsi-tr03105-5/DG14_pk.bin");
    let mut r = Reader::new(&pk);
    let spki2 = next(&mut r, 0x30);
    let (params2, key2) = spki_parts(&spki2);
    assert_eq!(params2, params);
    assert_eq!(key2, key);
}

#[test]
fn ec_parameters_rejects_malformed_input() {
    assert!(Curve::from_ec_parameters_der(&[]).is_err());
    assert!(Curve::from_ec_parameters_der(&[0x30, 0x80]).is_err());
    assert_eq!(
        Curve::from_ec_parameters_der(&[0x05, 0x00]),
        Err(EcError::InvalidParameters("implicitlyCA"))
    );
    // secp256k1 is not a PACE curve.
    let k1 = hex::decode("06052b8104000a").unwrap();
    assert!(matches!(
        Curve::from_ec_parameters_der(&k1),
        Err(EcError::UnknownCurve(_))
    ));
}
