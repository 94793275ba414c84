//! DSA verification (BSI TR-03105-5.1 LDS_H_08/97/98) on hostile input: the DSA CSCA key and
//! its signature on the DSC from the simulator's conformance PKI, then single-byte changes of
//! the key's encoding (all of its header, a sample of its numbers) and random signatures: a
//! typed error, never a panic, and only the untouched pair verifies.
#![cfg(all(feature = "sim", feature = "internals"))]

use cccd::crypto::rng::{RandomSource, SeededRandom};
use cccd::lds::sod::HashAlgorithm;
use cccd::pki::signature::KeyError;
use cccd::pki::{Certificate, SignatureAlgorithm, SignatureError, SubjectPublicKeyInfo};
use cccd::sim::pki::{ChainSpec, DigestAlgorithm, KeySpec, Scheme, TestPki};

#[test]
fn dsa_keys_and_signatures_mutated_never_panic() {
    let pki = TestPki::with_chain(
        &ChainSpec {
            csca_key: KeySpec::Dsa,
            chain_scheme: Scheme::Dsa(DigestAlgorithm::Sha256),
            dsc_key: KeySpec::Dsa,
            dsc_scheme: Scheme::Dsa(DigestAlgorithm::Sha256),
            seed: 7,
        },
        |_| {},
    )
    .unwrap();
    // The CSCA signed the DSC: the DSC's TBS, signature and the CSCA's key.
    let csca = Certificate::from_der(pki.csca_certificate()).unwrap();
    let dsc = Certificate::from_der(pki.dsc_certificate()).unwrap();
    let alg =
        SignatureAlgorithm::from_algorithm_identifier(&dsc.signature_algorithm, None).unwrap();
    assert_eq!(alg, SignatureAlgorithm::Dsa(HashAlgorithm::Sha256));
    let check = |key: &SubjectPublicKeyInfo, sig: &[u8]| {
        cccd::pki::signature::verify(key, alg, dsc.tbs_certificate(), sig)
    };
    assert_eq!(check(&csca.public_key, &dsc.signature), Ok(()));
    // The DSC's own key (same domain sizes, another y) does not verify the CSCA's signature.
    assert_eq!(
        check(&dsc.public_key, &dsc.signature),
        Err(SignatureError::Invalid)
    );
    let raw = csca.public_key.raw.clone();
    // Every header byte, then every 16th (each check is a 3072-bit exponentiation).
    for i in (0..raw.len()).filter(|i| *i < 40 || i % 16 == 0) {
        let mut bad = raw.clone();
        bad[i] ^= 0x01;
        if let Ok(key) = SubjectPublicKeyInfo::from_der(&bad) {
            // A changed p, q, g or y either is refused as a key or fails the signature.
            assert!(check(&key, &dsc.signature).is_err(), "byte {i}");
        }
    }
    let mut rng = SeededRandom::new(3);
    for len in [0usize, 1, 8, 40, 70, 72, 200] {
        let mut sig = vec![0u8; len];
        rng.fill(&mut sig).unwrap();
        assert!(check(&csca.public_key, &sig).is_err());
    }
    // An RSA key under a DSA signature algorithm: a typed key error.
    let rsa = TestPki::shared_rsa().unwrap();
    let rsa_key = Certificate::from_der(rsa.csca_certificate())
        .unwrap()
        .public_key;
    assert!(matches!(
        check(&rsa_key, &dsc.signature),
        Err(SignatureError::BadKey(KeyError::NotDsa(_)))
    ));
}
