//! The card's static key pairs: the Chip Authentication ECDH key (DG14) and the Active
//! Authentication signing key (DG15), deterministic from the card seed or loaded from a data
//! set, plus their DER encodings (SubjectPublicKeyInfo with explicit domain parameters, as real
//! chips write them).
//!
//! Choices (documented here because the reader side must cope with them):
//! - CCCD Chip Authentication: ECDH on brainpoolP256r1, no key id (the real card's
//!   EF.CardAccess lists a single `id-CA-ECDH-AES-CBC-CMAC-128` without one).
//! - CCCD Active Authentication: ECDSA on brainpoolP256r1 by default (key generation is fast in
//!   debug builds), signatures in the plain `r || s` format over SHA-256 of the challenge, and
//!   DG14 then lists an `ActiveAuthenticationInfo` with `ecdsa-plain-SHA256` (BSI TR-03111
//!   §5.2.1, OID 0.4.0.127.0.7.1.1.4.1.3). Optionally RSA-2048 from a fixed test key in
//!   `test-vectors/` (ISO/IEC 9796-2 scheme 1, SHA-1 or SHA-256), with no
//!   `ActiveAuthenticationInfo` (ICAO 9303-11 §6.1: it is only required for ECDSA).
//! - The clone's keys come from a different seed label: same public files, other private keys.
//!
//! ```
//! use cccd::sim::{Card, Profile};
//! let genuine = Card::new(Profile::Cccd, 5);
//! let clone = Card::new(Profile::CccdClone, 5);
//! let ca = genuine.chip_authentication_key();
//! assert_eq!(ca.encoded_public_key().len(), 65); // 04 || X || Y on brainpoolP256r1
//! // The clone serves the genuine DG14 but holds another private key.
//! assert_eq!(genuine.files().content(0x010E), clone.files().content(0x010E));
//! assert_ne!(ca.encoded_public_key(), clone.chip_authentication_key().encoded_public_key());
//! ```

use const_oid::ObjectIdentifier;
use rsa::pkcs8::DecodePrivateKey;
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use rsa::{BoxedUint, PrivateKey as RsaPrivateKey};
use thiserror::Error;
use zeroize::Zeroizing;

use crate::crypto::ec::{Curve, EcError, NamedCurve, Point};
use crate::crypto::rng::{RandomSource, SeededRandom};
use crate::tlv::{encode, Reader, Tag, Tlv};

const SEQUENCE: Tag = Tag(0x30);
const INTEGER: Tag = Tag(0x02);
const OCTET_STRING: Tag = Tag(0x04);
const BIT_STRING: Tag = Tag(0x03);
const OID: Tag = Tag(0x06);
const NULL: Tag = Tag(0x05);
const CONTEXT_0: Tag = Tag(0xA0);
const CONTEXT_1: Tag = Tag(0xA1);

/// id-ecPublicKey (ANSI X9.62, RFC 5480 §2.1.1).
pub const ID_EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
/// prime-field (ANSI X9.62).
pub const PRIME_FIELD: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.1.1");
/// rsaEncryption (PKCS #1, RFC 8017 Appendix C).
pub const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");

/// The genuine CCCD's RSA-2048 Active Authentication test key (PKCS#8 DER).
const RSA2048_GENUINE: &[u8] = include_bytes!("../../test-vectors/sim-aa-rsa2048.pk8");
/// The clone's RSA-2048 Active Authentication test key (PKCS#8 DER).
const RSA2048_CLONE: &[u8] = include_bytes!("../../test-vectors/sim-aa-rsa2048-clone.pk8");

/// Why a key could not be loaded or used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The DER is not the structure expected (PKCS#8 PrivateKeyInfo, ECPrivateKey).
    #[error("malformed key encoding: {0}")]
    Malformed(&'static str),
    /// An algorithm this simulator does not hold keys for.
    #[error("unsupported key algorithm")]
    Unsupported,
    /// Elliptic-curve failure (bad point, scalar, parameters).
    #[error("elliptic curve: {0}")]
    Ec(#[from] EcError),
    /// The RSA key was refused by the `rsa` crate (bad sizes, inconsistent components).
    #[error("invalid RSA key")]
    Rsa,
    /// A message that does not fit the RSA modulus.
    #[error("message does not fit the modulus")]
    MessageTooLong,
    /// The random source failed.
    #[error("random source failed")]
    Random,
}

/// The chip's static Chip Authentication key pair (ECDH), as listed in DG14's
/// `ChipAuthenticationPublicKeyInfo`.
#[derive(Clone)]
pub struct ChipAuthenticationKey {
    curve: Curve,
    private: Zeroizing<Vec<u8>>,
    public: Point,
    key_id: Option<u32>,
}

impl core::fmt::Debug for ChipAuthenticationKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ChipAuthenticationKey")
            .field("curve", &self.curve.named())
            .field("key_id", &self.key_id)
            .field("private", &"***")
            .finish()
    }
}

impl ChipAuthenticationKey {
    /// A fresh key pair on `curve` from `rng`.
    pub fn generate(
        curve: &Curve,
        rng: &mut dyn RandomSource,
        key_id: Option<u32>,
    ) -> Result<Self, KeyError> {
        let (private, public) = curve.generate_keypair(rng)?;
        Ok(Self {
            curve: curve.clone(),
            private,
            public,
            key_id,
        })
    }

    /// A key pair from its private scalar (big-endian), the public key computed as d·G.
    pub fn from_private(
        curve: &Curve,
        private: &[u8],
        key_id: Option<u32>,
    ) -> Result<Self, KeyError> {
        let d = strip(private);
        if d.is_empty() || d.len() > curve.order_size() {
            return Err(EcError::InvalidScalar.into());
        }
        let public = curve.mul(d, &curve.generator());
        if public.is_infinity() {
            return Err(EcError::InvalidScalar.into());
        }
        let mut full = Zeroizing::new(vec![0u8; curve.order_size() - d.len()]);
        full.extend_from_slice(d);
        Ok(Self {
            curve: curve.clone(),
            private: full,
            public,
            key_id,
        })
    }

    /// An EC key from a PKCS#8 `PrivateKeyInfo` (RFC 5208) holding an `ECPrivateKey`
    /// (RFC 5915), with named or explicit domain parameters (the BSI specimen's
    /// `DG14_sk.pkcs8`). A public key inside must equal d·G.
    ///
    /// ```text
    /// PrivateKeyInfo ::= SEQUENCE { version INTEGER (0), privateKeyAlgorithm
    ///     AlgorithmIdentifier { id-ecPublicKey, ECParameters }, privateKey OCTET STRING }
    /// ECPrivateKey ::= SEQUENCE { version INTEGER (1), privateKey OCTET STRING,
    ///     parameters [0] ECParameters OPTIONAL, publicKey [1] BIT STRING OPTIONAL }
    /// ```
    pub fn from_pkcs8_der(der: &[u8], key_id: Option<u32>) -> Result<Self, KeyError> {
        let (alg_oid, params, private_key) = private_key_info(der)?;
        if alg_oid != ID_EC_PUBLIC_KEY {
            return Err(KeyError::Unsupported);
        }
        let params = params.ok_or(KeyError::Malformed("EC key without parameters"))?;
        let curve = Curve::from_ec_parameters_der(params)?;
        let mut top = Reader::new(private_key);
        let ec = top.read_tag(SEQUENCE).map_err(|_| bad("ECPrivateKey"))?;
        top.finish().map_err(|_| bad("ECPrivateKey"))?;
        let mut r = ec.children();
        let version = r
            .read_tag(INTEGER)
            .map_err(|_| bad("ECPrivateKey version"))?;
        if version.as_uint() != Ok(1) {
            return Err(bad("ECPrivateKey version"));
        }
        let d = r
            .read_tag(OCTET_STRING)
            .map_err(|_| bad("ECPrivateKey privateKey"))?;
        let _params = r
            .read_optional(CONTEXT_0)
            .map_err(|_| bad("ECPrivateKey parameters"))?;
        let public = r
            .read_optional(CONTEXT_1)
            .map_err(|_| bad("ECPrivateKey publicKey"))?;
        r.finish().map_err(|_| bad("ECPrivateKey"))?;
        let key = Self::from_private(&curve, d.value, key_id)?;
        if let Some(public) = public {
            let mut pr = public.children();
            let bits = pr.read_tag(BIT_STRING).map_err(|_| bad("publicKey"))?;
            pr.finish().map_err(|_| bad("publicKey"))?;
            let point = match bits.value.split_first() {
                Some((0, point)) => curve.decode_point(point)?,
                _ => return Err(bad("publicKey")),
            };
            if point != key.public {
                return Err(bad("publicKey is not d·G"));
            }
        }
        Ok(key)
    }

    /// The domain parameters.
    pub fn curve(&self) -> &Curve {
        &self.curve
    }

    /// The public key PK_IC.
    pub fn public_key(&self) -> &Point {
        &self.public
    }

    /// The public key encoded `04 || X || Y`.
    pub fn encoded_public_key(&self) -> Vec<u8> {
        self.curve.encode_point(&self.public)
    }

    /// The private key SK_IC, big-endian at the order's width. A secret: the simulator's
    /// PACE-CAM (which needs SK_IC) is its only other user.
    pub fn private_key(&self) -> &[u8] {
        &self.private
    }

    /// The key id (`keyId` in DG14), when the chip has several keys.
    pub fn key_id(&self) -> Option<u32> {
        self.key_id
    }

    /// ECDH (BSI TR-03111 §4.3.1): the shared secret K = x(SK_IC · PK_PCD) for the terminal's
    /// ephemeral public key `04 || X || Y`. A point off the curve is refused.
    pub fn agree(&self, terminal_public: &[u8]) -> Result<Zeroizing<Vec<u8>>, KeyError> {
        let pk = self.curve.decode_point(terminal_public)?;
        Ok(self.curve.ecdh(&self.private, &pk)?)
    }

    /// The `SubjectPublicKeyInfo` with explicit domain parameters (as in DG14).
    pub fn subject_public_key_info(&self) -> Vec<u8> {
        ec_subject_public_key_info(&self.curve, &self.public)
    }
}

/// The hash in an ISO/IEC 9796-2 RSA signature, named by its trailer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Iso9796Hash {
    /// SHA-1 with the implicit trailer `BC` (ICAO 9303-11 §6.1).
    Sha1,
    /// SHA-256 with the explicit trailer `34 CC` (ISO/IEC 10118-3 hash identifier 34).
    Sha256,
}

/// Which Active Authentication key a simulated CCCD holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum ActiveAuthenticationKind {
    /// ECDSA on brainpoolP256r1, plain signature over SHA-256 (the default).
    #[default]
    EcdsaBrainpoolP256r1,
    /// RSA-2048 from a fixed test key, ISO/IEC 9796-2 scheme 1 with this hash.
    Rsa2048(Iso9796Hash),
}

/// The chip's Active Authentication private key (DG15 holds the public half).
#[derive(Clone)]
pub enum ActiveAuthenticationKey {
    /// ECDSA (BSI TR-03111 §4.2.1): signatures `r || s` over SHA-256 of the challenge.
    Ecdsa {
        /// Domain parameters.
        curve: Box<Curve>,
        /// The private scalar (secret).
        private: Zeroizing<Vec<u8>>,
        /// The public key.
        public: Point,
    },
    /// RSA with ISO/IEC 9796-2 signature scheme 1 (partial message recovery).
    Rsa {
        /// The key (zeroized on drop by the `rsa` crate).
        key: Box<RsaPrivateKey>,
        /// Hash and trailer.
        hash: Iso9796Hash,
    },
}

impl core::fmt::Debug for ActiveAuthenticationKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Ecdsa { curve, .. } => write!(
                f,
                "ActiveAuthenticationKey::Ecdsa({:?}, ***)",
                curve.named()
            ),
            Self::Rsa { key, hash } => write!(
                f,
                "ActiveAuthenticationKey::Rsa({} bits, {hash:?}, ***)",
                key.n().as_ref().bit_width()
            ),
        }
    }
}

impl ActiveAuthenticationKey {
    /// A fresh ECDSA key pair on `curve`.
    pub fn generate_ecdsa(curve: &Curve, rng: &mut dyn RandomSource) -> Result<Self, KeyError> {
        let (private, public) = curve.generate_keypair(rng)?;
        Ok(Self::Ecdsa {
            curve: Box::new(curve.clone()),
            private,
            public,
        })
    }

    /// An RSA key from a PKCS#8 `PrivateKeyInfo` (the BSI specimen's `DG15_sk.pkcs8`).
    pub fn rsa_from_pkcs8_der(der: &[u8], hash: Iso9796Hash) -> Result<Self, KeyError> {
        let key = RsaPrivateKey::from_pkcs8_der(der).map_err(|_| KeyError::Rsa)?;
        Ok(Self::Rsa {
            key: Box::new(key),
            hash,
        })
    }

    /// The `SubjectPublicKeyInfo` (DG15's content): RSA `{ rsaEncryption, NULL }` with an
    /// `RSAPublicKey`, EC with explicit domain parameters.
    ///
    /// ```text
    /// RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }  -- RFC 8017 A.1.1
    /// ```
    pub fn subject_public_key_info(&self) -> Vec<u8> {
        match self {
            Self::Ecdsa { curve, public, .. } => ec_subject_public_key_info(curve, public),
            Self::Rsa { key, .. } => {
                let rsa_public_key = encode(
                    SEQUENCE,
                    &[
                        der_uint(&key.n().as_ref().to_be_bytes()),
                        der_uint(&key.e().to_be_bytes()),
                    ]
                    .concat(),
                );
                let alg = encode(
                    SEQUENCE,
                    &[encode(OID, RSA_ENCRYPTION.as_bytes()), encode(NULL, &[])].concat(),
                );
                encode(
                    SEQUENCE,
                    &[
                        alg,
                        encode(BIT_STRING, &[&[0u8][..], &rsa_public_key].concat()),
                    ]
                    .concat(),
                )
            }
        }
    }

    /// Raw RSA private operation m^d mod n (RSASP1, RFC 8017 §5.2.1) on a big-endian
    /// representative below n; the result at the modulus's full width.
    pub(crate) fn rsa_private(key: &RsaPrivateKey, m: &[u8]) -> Result<Vec<u8>, KeyError> {
        #[cfg(feature = "internals")]
        if crate::crypto::memo::enabled() {
            // The fuzzing memo (`crypto::memo`): the same key on the same representative.
            let memo_key = crate::crypto::memo::key(
                5,
                &[&key.n().as_ref().to_be_bytes(), &key.d().to_be_bytes(), m],
            );
            if let Some(hit) = crate::crypto::memo::get(&memo_key) {
                return Ok(hit);
            }
            let s = Self::rsa_private_computed(key, m)?;
            crate::crypto::memo::put(memo_key, s.clone());
            return Ok(s);
        }
        Self::rsa_private_computed(key, m)
    }

    fn rsa_private_computed(key: &RsaPrivateKey, m: &[u8]) -> Result<Vec<u8>, KeyError> {
        let n = key.n();
        let precision = n.as_ref().bits_precision();
        let m = Zeroizing::new(
            BoxedUint::from_be_slice(m, precision).map_err(|_| KeyError::MessageTooLong)?,
        );
        if *m >= *n.as_ref() {
            return Err(KeyError::MessageTooLong);
        }
        let form = crypto_bigint::modular::BoxedMontyForm::new((*m).clone(), key.n_params());
        let s = form.pow(key.d()).retrieve();
        let bytes = s.to_be_bytes();
        let k = key.size();
        // Full width k bytes: the BoxedUint may be wider (limb multiple).
        let start = bytes.len().saturating_sub(k);
        Ok(bytes.get(start..).unwrap_or(&bytes).to_vec())
    }
}

/// The two key pairs a chip holds.
#[derive(Debug, Clone)]
pub struct CardKeys {
    /// Chip Authentication (DG14).
    pub chip_authentication: ChipAuthenticationKey,
    /// Active Authentication (DG15).
    pub active_authentication: ActiveAuthenticationKey,
}

impl CardKeys {
    /// The keys of the simulated CCCD of `seed`: deterministic, brainpoolP256r1. `clone`
    /// selects the clone's keys (another seed label, another RSA test key).
    pub fn cccd(seed: u64, aa: ActiveAuthenticationKind, clone: bool) -> Result<Self, KeyError> {
        let label: &[u8] = if clone {
            b"cccd-clone-keys"
        } else {
            b"cccd-card-keys"
        };
        let mut rng = SeededRandom::from_bytes(&[label, &seed.to_be_bytes()].concat());
        let curve = NamedCurve::BrainpoolP256r1.curve();
        let chip_authentication = ChipAuthenticationKey::generate(curve, &mut rng, None)?;
        let active_authentication = match aa {
            ActiveAuthenticationKind::EcdsaBrainpoolP256r1 => {
                ActiveAuthenticationKey::generate_ecdsa(curve, &mut rng)?
            }
            ActiveAuthenticationKind::Rsa2048(hash) => ActiveAuthenticationKey::rsa_from_pkcs8_der(
                if clone {
                    RSA2048_CLONE
                } else {
                    RSA2048_GENUINE
                },
                hash,
            )?,
        };
        Ok(Self {
            chip_authentication,
            active_authentication,
        })
    }
}

/// `SubjectPublicKeyInfo { { id-ecPublicKey, SpecifiedECDomain }, BIT STRING 04||X||Y }`,
/// explicit parameters as BSI TR-03111 §4.1.1 / ANSI X9.62 write them:
///
/// ```text
/// SpecifiedECDomain ::= SEQUENCE { version INTEGER (1), fieldID SEQUENCE { prime-field,
///     p INTEGER }, curve SEQUENCE { a OCTET STRING, b OCTET STRING }, base OCTET STRING,
///     order INTEGER, cofactor INTEGER }
/// ```
pub fn ec_subject_public_key_info(curve: &Curve, public: &Point) -> Vec<u8> {
    let params = encode(
        SEQUENCE,
        &[
            encode(INTEGER, &[0x01]),
            encode(
                SEQUENCE,
                &[encode(OID, PRIME_FIELD.as_bytes()), der_uint(curve.p())].concat(),
            ),
            encode(
                SEQUENCE,
                &[
                    encode(OCTET_STRING, curve.a()),
                    encode(OCTET_STRING, curve.b()),
                ]
                .concat(),
            ),
            encode(OCTET_STRING, &curve.encode_point(&curve.generator())),
            der_uint(curve.order()),
            der_uint(curve.cofactor()),
        ]
        .concat(),
    );
    let alg = encode(
        SEQUENCE,
        &[encode(OID, ID_EC_PUBLIC_KEY.as_bytes()), params].concat(),
    );
    let key = [&[0u8][..], &curve.encode_point(public)].concat();
    encode(SEQUENCE, &[alg, encode(BIT_STRING, &key)].concat())
}

/// A DER INTEGER for a non-negative big-endian value (minimal, with a leading zero when the
/// top bit is set).
pub(crate) fn der_uint(v: &[u8]) -> Vec<u8> {
    let v = strip(v);
    let mut content = Vec::with_capacity(v.len() + 1);
    if v.first().is_none_or(|b| b & 0x80 != 0) {
        content.push(0);
    }
    content.extend_from_slice(v);
    encode(INTEGER, &content)
}

fn strip(v: &[u8]) -> &[u8] {
    let zeros = v.iter().take_while(|b| **b == 0).count();
    v.get(zeros..).unwrap_or(&[])
}

fn bad(what: &'static str) -> KeyError {
    KeyError::Malformed(what)
}

/// PrivateKeyInfo: (algorithm OID, raw algorithm parameters, privateKey contents).
/// The parts of a PKCS#8 PrivateKeyInfo: (algorithm OID, raw algorithm parameters, contents of
/// privateKey).
type PrivateKeyInfo<'a> = (ObjectIdentifier, Option<&'a [u8]>, &'a [u8]);

fn private_key_info(der: &[u8]) -> Result<PrivateKeyInfo<'_>, KeyError> {
    let mut top = Reader::new(der);
    let pki = top.read_tag(SEQUENCE).map_err(|_| bad("PrivateKeyInfo"))?;
    top.finish().map_err(|_| bad("PrivateKeyInfo"))?;
    let mut r = pki.children();
    let version = r
        .read_tag(INTEGER)
        .map_err(|_| bad("PrivateKeyInfo version"))?;
    if version.as_uint() != Ok(0) {
        return Err(bad("PrivateKeyInfo version"));
    }
    let alg = r
        .read_tag(SEQUENCE)
        .map_err(|_| bad("AlgorithmIdentifier"))?;
    let private_key = r
        .read_tag(OCTET_STRING)
        .map_err(|_| bad("PrivateKeyInfo privateKey"))?;
    // Optional attributes [0] and public key [1] (RFC 5958) are ignored.
    let mut a = alg.children();
    let oid: Tlv<'_> = a.read_tag(OID).map_err(|_| bad("AlgorithmIdentifier"))?;
    let oid = ObjectIdentifier::from_bytes(oid.value).map_err(|_| bad("algorithm OID"))?;
    let params = if a.is_empty() {
        None
    } else {
        Some(a.read().map_err(|_| bad("AlgorithmIdentifier"))?.raw)
    };
    a.finish().map_err(|_| bad("AlgorithmIdentifier"))?;
    Ok((oid, params, private_key.value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn der_uint_is_minimal() {
        assert_eq!(der_uint(&[0, 0, 0x7F]), vec![0x02, 0x01, 0x7F]);
        assert_eq!(der_uint(&[0x80]), vec![0x02, 0x02, 0x00, 0x80]);
        assert_eq!(der_uint(&[0, 0]), vec![0x02, 0x01, 0x00]);
    }

    #[test]
    fn cccd_keys_are_deterministic_and_clone_differs() {
        let aa = ActiveAuthenticationKind::default();
        let a = CardKeys::cccd(7, aa, false).unwrap();
        let b = CardKeys::cccd(7, aa, false).unwrap();
        let c = CardKeys::cccd(7, aa, true).unwrap();
        assert_eq!(
            a.chip_authentication.encoded_public_key(),
            b.chip_authentication.encoded_public_key()
        );
        assert_ne!(
            a.chip_authentication.encoded_public_key(),
            c.chip_authentication.encoded_public_key()
        );
        assert_eq!(
            a.chip_authentication.curve().named(),
            Some(NamedCurve::BrainpoolP256r1)
        );
    }

    #[test]
    fn explicit_spki_parses_back_to_the_named_curve() {
        let keys = CardKeys::cccd(1, ActiveAuthenticationKind::default(), false).unwrap();
        let spki = keys.chip_authentication.subject_public_key_info();
        let t = crate::tlv::parse_single(&spki).unwrap();
        let mut r = t.children();
        let alg = r.read_tag(SEQUENCE).unwrap();
        let mut a = alg.children();
        a.read_tag(OID).unwrap();
        let params = a.read().unwrap();
        let curve = Curve::from_ec_parameters_der(params.raw).unwrap();
        assert_eq!(curve.named(), Some(NamedCurve::BrainpoolP256r1));
    }

    #[test]
    fn malformed_pkcs8_is_an_error() {
        assert!(matches!(
            ChipAuthenticationKey::from_pkcs8_der(&[0x30, 0x03, 0x02, 0x01], None),
            Err(KeyError::Malformed(_))
        ));
        assert_eq!(
            ActiveAuthenticationKey::rsa_from_pkcs8_der(&[0x30, 0x00], Iso9796Hash::Sha1)
                .unwrap_err(),
            KeyError::Rsa
        );
    }
}
