//! Chip Authentication, the reader's side (ICAO 9303-11 §6.2, BSI TR-03110-1 §3.4 and
//! TR-03110-3 §B.2 for the commands): proves that the chip holds the private key of the
//! ChipAuthenticationPublicKeyInfo in DG14, so a copy of the files (a clone) is detected.
//!
//! ```text
//! IFD                                                   IC  (under the CURRENT secure messaging)
//!  (SK_IFD, PK_IFD) on the chip's domain parameters D_IC
//!  3DES:  MSE:Set KAT  0C 22 41 A6  { 91 PK_IFD [84 keyId] }         ->
//!                                                                   <-  9000
//!  or     MSE:Set AT   0C 22 41 A4  { 80 CA OID [84 keyId] }         ->
//!                                                                   <-  9000
//!         GENERAL AUTHENTICATE 0C 86 00 00 { 7C { 80 PK_IFD } } 00  ->
//!                                                                   <-  7C 00, 9000
//!  K = KA(SK_IFD, PK_IC, D_IC)   (ECDH: x-coordinate; DH: y^x mod p, full width)
//!  KSenc = KDF(K, 1), KSmac = KDF(K, 2) with the cipher of the CA OID; SSC = 0
//! ```
//!
//! MSE:Set KAT exists only for 3DES; MSE:Set AT + GENERAL AUTHENTICATE is mandatory for AES and
//! allowed for 3DES (TR-03110-3 §B.2). [`CommandStyle::Auto`] takes KAT for 3DES and AT for AES;
//! some 3DES chips are seen answering only the AT form (a Malaysian passport in gmrtd's tests),
//! hence [`CommandStyle::SetAtGeneralAuthenticate`].
//!
//! Sans-I/O, like [`crate::access::bac`], beside it in `access` because it re-keys secure
//! messaging (the verdict on what it proves is [`crate::document::ChipAuthVerdict`]): [`start`] builds the commands and the state
//! [`ExpectCaResult`] that turns the chip's (already unwrapped) answers into the new
//! [`SecureMessaging`]. The reader wraps each command with the current session, stops at the
//! first error status, hands the plain responses to [`ExpectCaResult::handle`] and continues the
//! read with the session it returns.
//!
//! **When is the chip authenticated?** A successful `handle` only means the chip accepted our
//! key. Proof that it holds the private key comes when the first response under the new keys
//! verifies (its MAC needs K), and it proves anything only if DG14 itself is genuine, i.e.
//! covered by a valid SOD (passive authentication).
//! [`ChipAuthRun::from_exchange`](crate::document::ChipAuthRun::from_exchange) records the first
//! two as what ran; [`crate::document::ChipAuthVerdict::judge`] adds the third.
//!
//! ```
//! # #[cfg(feature = "internals")] {
//! use cccd::apdu::{Response, StatusWord};
//! use cccd::crypto::rng::SeededRandom;
//! use cccd::lds::dg14::Dg14;
//! use cccd::access::chip_auth::{self as chip, CaParameters, CommandStyle};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // DG14 of an Austrian passport (gmrtd chipauth tests): id-CA-ECDH-AES-CBC-CMAC-128 and a
//! // brainpoolP256r1 key with explicit parameters.
//! # let dg14 = hex::decode("6E82017E3182017A300D060804007F0007020202020101300F060A04007F000702020302020201013012060A04007F0007020204020202010202010D30820142060904007F000702020102308201333081EC06072A8648CE3D02013081E0020101302C06072A8648CE3D0101022100A9FB57DBA1EEA9BC3E660A909D838D726E3BF623D52620282013481D1F6E5377304404207D5A0975FC2C3057EEF67530417AFFE7FB8055C126DC5C6CE94A4B44F330B5D9042026DC5C6CE94A4B44F330B5D9BBD77CBF958416295CF7E1CE6BCCDC18FF8C07B60441048BD2AEB9CB7E57CB2C4B482FFC81B7AFB9DE27E1E3BD23C23A4453BD9ACE3262547EF835C3DAC4FD97F8461A14611DC9C27745132DED8E545C1D54C72F046997022100A9FB57DBA1EEA9BC3E660A909D838D718C397AA3B561A6F7901E0E82974856A7020101034200041983917269AC877C0B61544C2C022000D2A5ABA723E2D80141E648B40911DC3459761F27480E4B57181A53D8FE1190EA86C939AC14363178CAFFC621F0F905C3")?;
//! let dg14 = Dg14::parse(&dg14)?;
//! let params = CaParameters::select(&dg14.security_infos, None)?;
//! let (commands, state) = chip::start(&params, CommandStyle::Auto, &mut SeededRandom::new(1))?;
//! // MSE:Set AT with the protocol OID, then GENERAL AUTHENTICATE with our ephemeral key.
//! assert_eq!(hex::encode_upper(commands[0].to_bytes()?), "002241A40C800A04007F00070202030202");
//! assert_eq!(commands[1].data[..5], [0x7C, 0x43, 0x80, 0x41, 0x04]);
//! // (each command goes out through the current SecureMessaging; these are the plain answers)
//! let answers = [Response::status(StatusWord::SUCCESS), Response::new(vec![0x7C, 0x00], StatusWord::SUCCESS)];
//! let new_session = state.handle(&answers)?;
//! assert_eq!(new_session.cipher(), cccd::crypto::CipherAlg::Aes128);
//! # Ok(())
//! # }
//! # }
//! ```

use const_oid::ObjectIdentifier;
use thiserror::Error;
use zeroize::Zeroizing;

use crate::access::sm::{SecureMessaging, SmError};
use crate::apdu::{Command, Response, StatusWord};
use crate::crypto::dh::{DhError, DhGroup};
use crate::crypto::ec::{Curve, EcError, NamedCurve};
use crate::crypto::kdf::{kdf, ENC, MAC};
use crate::crypto::rng::RandomSource;
use crate::crypto::{CipherAlg, CryptoError};
use crate::lds::security_info::{
    ChipAuthenticationProtocol, Cipher, EcParameters, KeyAgreement, PublicKey, SecurityInfos,
    SubjectPublicKeyInfo,
};
use crate::tlv::{Reader, Tag, Writer};

/// INS of MANAGE SECURITY ENVIRONMENT.
pub const INS_MSE: u8 = 0x22;
/// P1 of MSE: set, for computation / internal authentication (`41`).
pub const P1_SET_COMPUTATION: u8 = 0x41;
/// P2 of MSE:Set KAT: Key Agreement Template (`A6`).
pub const P2_KAT: u8 = 0xA6;
/// P2 of MSE:Set AT: Authentication Template (`A4`).
pub const P2_AT: u8 = 0xA4;
/// INS of GENERAL AUTHENTICATE.
pub const INS_GENERAL_AUTHENTICATE: u8 = 0x86;
/// MSE:Set KAT: the ephemeral public key (`91`).
pub const TAG_EPHEMERAL_KEY_KAT: Tag = Tag(0x91);
/// MSE: the private key reference, i.e. the keyId of DG14 (`84`).
pub const TAG_KEY_ID: Tag = Tag(0x84);
/// MSE:Set AT: the cryptographic mechanism reference, i.e. the CA OID's value (`80`).
pub const TAG_PROTOCOL: Tag = Tag(0x80);
/// GENERAL AUTHENTICATE: Dynamic Authentication Data (`7C`).
pub const TAG_DYNAMIC_AUTHENTICATION_DATA: Tag = Tag(0x7C);
/// GENERAL AUTHENTICATE: the ephemeral public key inside `7C` (`80`).
pub const TAG_EPHEMERAL_KEY_GA: Tag = Tag(0x80);

/// Why chip authentication could not run or did not complete.
///
/// None of these carries key material; a chip's answer is described, never quoted.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum CaError {
    /// DG14 offers no ChipAuthenticationPublicKeyInfo.
    #[error("DG14 has no chip authentication public key")]
    NoPublicKey,
    /// The keyId asked for (or named by a ChipAuthenticationInfo) has no public key in DG14.
    #[error("no chip authentication public key with key id {0:?}")]
    KeyNotFound(Option<u64>),
    /// Several public keys fit and no keyId tells them apart.
    #[error("several chip authentication public keys and no key id to choose")]
    AmbiguousKey,
    /// An OID, key type or parameter form this reader does not implement.
    #[error("unsupported chip authentication: {0}")]
    Unsupported(&'static str),
    /// The chip's static public key (or its domain parameters) is invalid.
    #[error("invalid chip authentication public key: {0}")]
    InvalidPublicKey(&'static str),
    /// EC arithmetic refused an input (the ephemeral key could not be made or agreed).
    #[error("elliptic curve failure: {0}")]
    Ec(#[from] EcError),
    /// DH arithmetic refused an input.
    #[error("Diffie-Hellman failure: {0}")]
    Dh(#[from] DhError),
    /// DH domain parameters without the subgroup order q (a PKCS #3 `DHParameter`, or an X9.42
    /// `DomainParameters` cut short): without q the chip's public value cannot be checked to
    /// lie in the prime-order subgroup, so a small-subgroup key would pass (issue #10 item 9).
    #[error("DH domain parameters without the subgroup order q")]
    DhWithoutSubgroupOrder,
    /// The random source failed.
    #[error("cryptographic failure: {0}")]
    Crypto(#[from] CryptoError),
    /// The chip refused a step (MSE or GENERAL AUTHENTICATE) with this status word.
    #[error("card answered {sw} to {step}")]
    Card {
        /// The command refused.
        step: CaStep,
        /// Its status word.
        sw: StatusWord,
    },
    /// A response of the wrong shape (fewer answers than commands, a GENERAL AUTHENTICATE
    /// answer that is not `7C ..`).
    #[error("malformed chip authentication response: {0}")]
    Malformed(&'static str),
    /// The new secure-messaging session could not be built.
    #[error("secure messaging: {0}")]
    Sm(#[from] SmError),
}

/// A command of the chip authentication exchange, to say which one a chip refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum CaStep {
    /// MSE:Set KAT (3DES form).
    MseSetKat,
    /// MSE:Set AT.
    MseSetAt,
    /// GENERAL AUTHENTICATE.
    GeneralAuthenticate,
}

impl core::fmt::Display for CaStep {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::MseSetKat => "MSE:Set KAT",
            Self::MseSetAt => "MSE:Set AT",
            Self::GeneralAuthenticate => "GENERAL AUTHENTICATE",
        })
    }
}

/// Which command sequence carries the ephemeral key (BSI TR-03110-3 §B.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum CommandStyle {
    /// MSE:Set KAT for 3DES, MSE:Set AT + GENERAL AUTHENTICATE for AES (ICAO 9303-11 §6.2.4).
    #[default]
    Auto,
    /// MSE:Set KAT (3DES only: refused for an AES protocol).
    SetKat,
    /// MSE:Set AT + GENERAL AUTHENTICATE, for any cipher (some 3DES chips want this form).
    SetAtGeneralAuthenticate,
}

/// What chip authentication runs with: the protocol, the chip's static key and its keyId.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaParameters {
    /// Key agreement and the secure-messaging cipher that follows.
    pub protocol: ChipAuthenticationProtocol,
    /// The keyId to name in MSE (present when DG14 gives one).
    pub key_id: Option<u64>,
    /// The chip's static public key with its domain parameters.
    pub public_key: SubjectPublicKeyInfo,
    /// True when DG14 had no ChipAuthenticationInfo and the protocol was inferred as
    /// `id-CA-{EC}DH-3DES-CBC-CBC` from the key (older chips; ICAO 9303-11 §9.2.5 made the
    /// info mandatory later; seen on French passports in gmrtd's tests).
    pub protocol_inferred: bool,
}

impl CaParameters {
    /// Chooses protocol and key from DG14's SecurityInfos.
    ///
    /// With `key_id` the key of that id is used (and a ChipAuthenticationInfo naming it, if
    /// any). Otherwise each ChipAuthenticationInfo (strongest cipher first) is matched to its
    /// public key by keyId, or to the only key of its key agreement when it has no keyId. Without
    /// any ChipAuthenticationInfo, a single public key is used with 3DES, as older chips expect.
    pub fn select(infos: &SecurityInfos, key_id: Option<u64>) -> Result<Self, CaError> {
        let keys: Vec<_> = infos.chip_authentication_public_keys().collect();
        if keys.is_empty() {
            return Err(CaError::NoPublicKey);
        }
        let mut cas: Vec<_> = infos
            .chip_authentication_infos()
            .filter(|i| key_id.is_none() || i.key_id.is_none() || i.key_id == key_id)
            .collect();
        // Strongest first; stable, so card order breaks ties.
        cas.sort_by_key(|i| core::cmp::Reverse(cipher_rank(i.protocol.cipher)));

        let find_key = |ka: KeyAgreement, id: Option<u64>| -> Result<_, CaError> {
            match id {
                Some(id) => keys
                    .iter()
                    .find(|k| k.key_id == Some(id) && k.key_agreement == ka)
                    .copied()
                    .ok_or(CaError::KeyNotFound(Some(id))),
                None => {
                    let mut fitting = keys.iter().filter(|k| k.key_agreement == ka);
                    match (fitting.next(), fitting.next()) {
                        (Some(k), None) => Ok(*k),
                        (None, _) => Err(CaError::KeyNotFound(None)),
                        (Some(_), Some(_)) => Err(CaError::AmbiguousKey),
                    }
                }
            }
        };

        let mut first_error = None;
        for ca in &cas {
            match find_key(ca.protocol.key_agreement, ca.key_id.or(key_id)) {
                Ok(key) => {
                    return Ok(Self {
                        protocol: ca.protocol,
                        key_id: key.key_id,
                        public_key: key.public_key.clone(),
                        protocol_inferred: false,
                    })
                }
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        if let Some(e) = first_error {
            return Err(e);
        }
        // No ChipAuthenticationInfo: infer 3DES from the key.
        let key = match key_id {
            Some(id) => keys
                .iter()
                .find(|k| k.key_id == Some(id))
                .copied()
                .ok_or(CaError::KeyNotFound(Some(id)))?,
            None => match keys.as_slice() {
                [only] => *only,
                _ => return Err(CaError::AmbiguousKey),
            },
        };
        Ok(Self {
            protocol: ChipAuthenticationProtocol {
                key_agreement: key.key_agreement,
                cipher: Cipher::TripleDesCbcCbc,
            },
            key_id: key.key_id,
            public_key: key.public_key.clone(),
            protocol_inferred: true,
        })
    }

    /// From plain inputs: an `id-CA-*` protocol OID, an optional keyId and the chip's key as
    /// DER `SubjectPublicKeyInfo` (EC named or explicit, or `dhpublicnumber`).
    pub fn new(
        protocol: &ObjectIdentifier,
        key_id: Option<u64>,
        public_key_der: &[u8],
    ) -> Result<Self, CaError> {
        let protocol = ChipAuthenticationProtocol::from_oid(protocol)
            .ok_or(CaError::Unsupported("not an id-CA protocol OID"))?;
        let public_key = SubjectPublicKeyInfo::from_der(public_key_der)
            .map_err(|_| CaError::InvalidPublicKey("malformed SubjectPublicKeyInfo"))?;
        Ok(Self {
            protocol,
            key_id,
            public_key,
            protocol_inferred: false,
        })
    }
}

fn cipher_rank(c: Cipher) -> u8 {
    match c {
        Cipher::TripleDesCbcCbc => 0,
        Cipher::AesCbcCmac128 => 1,
        Cipher::AesCbcCmac192 => 2,
        Cipher::AesCbcCmac256 => 3,
    }
}

/// The session cipher a CA protocol establishes.
pub fn cipher_alg(cipher: Cipher) -> CipherAlg {
    cipher.alg()
}

/// Starts chip authentication: draws an ephemeral key pair on the chip's domain parameters
/// from `rng`, agrees K with the chip's static key, and returns the plain commands to send (in
/// order, each through the current secure messaging) and the state that expects their answers.
///
/// EC: the private key is `order_size + 8` random bytes reduced mod n; DH: `q_size + 8` bytes
/// reduced mod q (DH parameters without q are refused). The chip's key is checked (on the
/// curve / in the subgroup) before any command is built.
pub fn start(
    params: &CaParameters,
    style: CommandStyle,
    rng: &mut dyn RandomSource,
) -> Result<(Vec<Command>, ExpectCaResult), CaError> {
    if params.protocol.key_agreement != key_agreement_of(&params.public_key.key)? {
        return Err(CaError::InvalidPublicKey(
            "key type differs from the protocol's key agreement",
        ));
    }
    let (ephemeral_public, shared) = agree(&params.public_key, rng)?;
    let cipher = cipher_alg(params.protocol.cipher);
    let use_kat = match style {
        CommandStyle::Auto => cipher == CipherAlg::Tdes,
        CommandStyle::SetKat if cipher != CipherAlg::Tdes => {
            return Err(CaError::Unsupported("MSE:Set KAT with an AES protocol"))
        }
        CommandStyle::SetKat => true,
        CommandStyle::SetAtGeneralAuthenticate => false,
    };
    let key_id = params.key_id.map(key_id_bytes);

    let (commands, steps) = if use_kat {
        let mut w = Writer::new();
        w.put(TAG_EPHEMERAL_KEY_KAT, &ephemeral_public);
        if let Some(id) = &key_id {
            w.put(TAG_KEY_ID, id);
        }
        let kat = Command::new(0x00, INS_MSE, P1_SET_COMPUTATION, P2_KAT).with_data(w.into_bytes());
        (vec![kat], vec![CaStep::MseSetKat])
    } else {
        let mut w = Writer::new();
        w.put(TAG_PROTOCOL, params.protocol.oid().as_bytes());
        if let Some(id) = &key_id {
            w.put(TAG_KEY_ID, id);
        }
        let at = Command::new(0x00, INS_MSE, P1_SET_COMPUTATION, P2_AT).with_data(w.into_bytes());
        let mut g = Writer::new();
        g.constructed(TAG_DYNAMIC_AUTHENTICATION_DATA, |w| {
            w.put(TAG_EPHEMERAL_KEY_GA, &ephemeral_public);
        });
        let ga = Command::new(0x00, INS_GENERAL_AUTHENTICATE, 0x00, 0x00)
            .with_data(g.into_bytes())
            .with_le(256);
        (
            vec![at, ga],
            vec![CaStep::MseSetAt, CaStep::GeneralAuthenticate],
        )
    };
    Ok((
        commands,
        ExpectCaResult {
            cipher,
            shared,
            steps,
        },
    ))
}

/// The keyId as the shortest unsigned big-endian bytes (at least one byte), as chips expect
/// in `84` (gmrtd's German passport transcript: keyId 195 goes as `84 01 C3`).
fn key_id_bytes(id: u64) -> Vec<u8> {
    let bytes = id.to_be_bytes();
    let skip = bytes.iter().take_while(|b| **b == 0).count().min(7);
    bytes.get(skip..).unwrap_or(&[0]).to_vec()
}

fn key_agreement_of(key: &PublicKey) -> Result<KeyAgreement, CaError> {
    match key {
        PublicKey::Ec(_) => Ok(KeyAgreement::Ecdh),
        PublicKey::Dh(_) => Ok(KeyAgreement::Dh),
        _ => Err(CaError::Unsupported("chip key is neither EC nor DH")),
    }
}

/// The chip's curve from its key's parameters (named or explicit).
pub(crate) fn curve_of(parameters: &EcParameters) -> Result<Curve, CaError> {
    match parameters {
        EcParameters::Named(oid) => NamedCurve::from_oid(oid)
            .map(|c| c.curve().clone())
            .ok_or(CaError::Unsupported("unknown named curve")),
        EcParameters::Explicit(e) => Curve::from_ec_parameters_der(&e.raw)
            .map_err(|_| CaError::InvalidPublicKey("invalid explicit curve parameters")),
        _ => Err(CaError::Unsupported("implicitlyCA curve parameters")),
    }
}

/// Ephemeral key pair and key agreement: (PK_IFD encoded for the chip, K).
fn agree(
    spki: &SubjectPublicKeyInfo,
    rng: &mut dyn RandomSource,
) -> Result<(Vec<u8>, Zeroizing<Vec<u8>>), CaError> {
    match &spki.key {
        PublicKey::Ec(ec) => {
            let curve = curve_of(&ec.parameters)?;
            let chip = curve
                .decode_point(&ec.point)
                .map_err(|_| CaError::InvalidPublicKey("EC point not on the curve"))?;
            let (sk, pk) = curve.generate_keypair(rng)?;
            let shared = curve.ecdh(&sk, &chip)?;
            Ok((curve.encode_point(&pk), shared))
        }
        PublicKey::Dh(dh) => {
            let params = spki
                .algorithm
                .parameters
                .as_deref()
                .ok_or(CaError::InvalidPublicKey(
                    "DH key without domain parameters",
                ))?;
            let group = dh_group(params)?;
            let (x, y) = group.generate_keypair(rng)?;
            let shared = group
                .shared_secret(&x, &dh.y)
                .map_err(|_| CaError::InvalidPublicKey("DH public value out of range"))?;
            Ok((y, shared))
        }
        _ => Err(CaError::Unsupported("chip key is neither EC nor DH")),
    }
}

/// DH domain parameters: X9.42 `DomainParameters ::= SEQUENCE { p, g, q, j OPTIONAL,
/// validationParms OPTIONAL }` (RFC 3279 §2.3.3, `dhpublicnumber`), q required so that the
/// chip's key is checked to lie in the subgroup (y^q = 1); a PKCS #3 `DHParameter ::=
/// SEQUENCE { prime, base, privateValueLength OPTIONAL }` has no q and is refused.
fn dh_group(der: &[u8]) -> Result<DhGroup, CaError> {
    let bad = |_| CaError::InvalidPublicKey("malformed DH domain parameters");
    let mut outer = Reader::new(der);
    let seq = outer.read_tag(Tag(0x30)).map_err(bad)?;
    outer.finish().map_err(bad)?;
    let mut r = seq.children();
    let p = r.read_tag(Tag(0x02)).map_err(bad)?;
    let g = r.read_tag(Tag(0x02)).map_err(bad)?;
    let q = r.read_optional(Tag(0x02)).map_err(bad)?;
    // A PKCS #3 privateValueLength is small: not a subgroup order.
    let q = q
        .filter(|q| q.value.len() > 8)
        .ok_or(CaError::DhWithoutSubgroupOrder)?;
    DhGroup::from_params(p.value, g.value, Some(q.value))
        .map_err(|_| CaError::InvalidPublicKey("invalid DH domain parameters"))
}

/// Waiting for the answers to the chip authentication commands. Holds K until then.
pub struct ExpectCaResult {
    cipher: CipherAlg,
    shared: Zeroizing<Vec<u8>>,
    steps: Vec<CaStep>,
}

impl core::fmt::Debug for ExpectCaResult {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "ExpectCaResult({:?}, {:?}, ***)",
            self.cipher, self.steps
        )
    }
}

impl ExpectCaResult {
    /// The commands this state expects answers to, in order.
    pub fn steps(&self) -> &[CaStep] {
        &self.steps
    }

    /// Takes the unwrapped answers, in command order (the reader may stop sending at the first
    /// error status and pass what it has), and returns the new session: KSenc = KDF(K, 1),
    /// KSmac = KDF(K, 2), SSC = 0. The caller must use it for every following command, and
    /// report success only once the first response under it verifies
    /// ([`crate::document::ChipAuthRun::from_exchange`]).
    pub fn handle(self, responses: &[Response]) -> Result<SecureMessaging, CaError> {
        for (i, step) in self.steps.iter().enumerate() {
            let resp = responses
                .get(i)
                .ok_or(CaError::Malformed("fewer responses than commands"))?;
            if !resp.sw.is_success() {
                return Err(CaError::Card {
                    step: *step,
                    sw: resp.sw,
                });
            }
            if *step == CaStep::GeneralAuthenticate {
                check_dynamic_authentication_data(&resp.data)?;
            } else if !resp.data.is_empty() {
                return Err(CaError::Malformed("data in the answer to MSE"));
            }
        }
        if responses.len() > self.steps.len() {
            return Err(CaError::Malformed("more responses than commands"));
        }
        let k_enc = kdf(&self.shared, ENC, self.cipher);
        let k_mac = kdf(&self.shared, MAC, self.cipher);
        let ssc = vec![0u8; self.cipher.block_size()];
        Ok(SecureMessaging::new(self.cipher, &k_enc, &k_mac, &ssc)?)
    }
}

/// The answer to GENERAL AUTHENTICATE in CA version 1 is an empty `7C 00`; an empty data
/// field is tolerated, as is content inside `7C` (CA version 2 puts a nonce and token there,
/// which version 1 ignores). Anything else is malformed.
fn check_dynamic_authentication_data(data: &[u8]) -> Result<(), CaError> {
    if data.is_empty() {
        return Ok(());
    }
    let mut r = Reader::new(data);
    let t = r
        .read_tag(TAG_DYNAMIC_AUTHENTICATION_DATA)
        .map_err(|_| CaError::Malformed("GENERAL AUTHENTICATE answer is not 7C"))?;
    r.finish()
        .map_err(|_| CaError::Malformed("bytes after the 7C template"))?;
    let mut inner = t.children();
    while !inner.is_empty() {
        inner
            .read()
            .map_err(|_| CaError::Malformed("broken TLV inside 7C"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_id_encoding() {
        assert_eq!(key_id_bytes(0), [0x00]);
        assert_eq!(key_id_bytes(0xC3), [0xC3]);
        assert_eq!(key_id_bytes(0x0100), [0x01, 0x00]);
        assert_eq!(key_id_bytes(u64::MAX), [0xFF; 8]);
    }

    #[test]
    fn dynamic_authentication_data_forms() {
        assert!(check_dynamic_authentication_data(&[]).is_ok());
        assert!(check_dynamic_authentication_data(&[0x7C, 0x00]).is_ok());
        assert!(check_dynamic_authentication_data(&[0x7C, 0x02, 0x81, 0x00]).is_ok());
        assert_eq!(
            check_dynamic_authentication_data(&[0x7D, 0x00]),
            Err(CaError::Malformed("GENERAL AUTHENTICATE answer is not 7C"))
        );
        assert!(check_dynamic_authentication_data(&[0x7C, 0x00, 0x00]).is_err());
        assert!(check_dynamic_authentication_data(&[0x7C, 0x02, 0x81, 0x05]).is_err());
    }
}
