//! PACE, the reader's side (ICAO 9303-11 §4.4; SecurityInfos §9.2; worked examples
//! Appendices G, H and I): every mapping (Generic, Integrated, Chip Authentication), DH and
//! ECDH, 3DES and AES-128/192/256, on every standardized domain parameter set.
//!
//! ```text
//! IFD                                                          IC
//!  MSE:Set AT 00 22 C1 A4 {80 OID, 83 01|02, [84 id]}   ->
//!                                                       <-  9000
//!  GA 10 86 00 00 7C{}                                  ->
//!                                                       <-  7C{80 z},  s = D(Kπ, z)
//!  GA 10 86 00 00 7C{81 PK_Map,IFD | t}                 ->
//!                                                       <-  7C{82 PK_Map,IC | empty}
//!                                       Ĝ = s·G + H (GM, CAM) or f_G(R_p(s, t)) (IM)
//!  GA 10 86 00 00 7C{83 PK_DH,IFD}                      ->
//!                                                       <-  7C{84 PK_DH,IC}
//!                K = KA(SK_DH,IFD, PK_DH,IC), KSenc = KDF(K, 1), KSmac = KDF(K, 2)
//!  GA 00 86 00 00 7C{85 T_IFD = MAC(KSmac, 7F49{06 OID, PK_DH,IC})} ->
//!                                                       <-  7C{86 T_IC, [8A A_IC]}
//! ```
//!
//! One type per state, each consumed by `handle`: [`start`] → [`ExpectMseResult`] →
//! [`ExpectNonce`] → [`ExpectMappingData`] → [`ExpectAgreementKey`] → [`ExpectToken`] →
//! [`PaceOutcome`] (secure messaging with SSC = 0). Nothing here sends bytes: the reader does.
//!
//! ```
//! # #[cfg(feature = "internals")] {
//! use cccd::access::pace::{self, PaceConfig, PacePassword};
//! use cccd::apdu::{Response, StatusWord};
//! use cccd::crypto::rng::FixedRandom;
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // ICAO 9303-11 Appendix G.1: PACE-ECDH-GM-AES-128 on brainpoolP256r1, MRZ password.
//! let oid = const_oid::ObjectIdentifier::new_unwrap("0.4.0.127.0.7.2.2.4.2.2");
//! let config = PaceConfig::from_oid_and_parameter_id(&oid, 13)?;
//! let (mse, state) = pace::start(&config, PacePassword::Mrz(b"T22000129364081251010318"))?;
//! assert_eq!(hex::encode_upper(mse.to_bytes()?), "0022C1A40F800A04007F00070202040202830101");
//!
//! let ok = |data: &str| Response::new(hex::decode(data).unwrap(), StatusWord::SUCCESS);
//! let (_, state) = state.handle(&ok(""))?;
//! // The terminal's two private keys of the example, SK_Map,IFD then SK_DH,IFD.
//! let mut rng = FixedRandom::new(hex::decode(
//!     "7F4EF07B9EA82FD78AD689B38D0BC78CF21F249D953BC46F4C6E19259C010F99\
//!      A73FB703AC1436A18E0CFA5ABB3F7BEC7A070E7A6788486BEE230C4A22762595",
//! )?);
//! let (_, state) = state.handle(&ok("7C12801095A3A016522EE98D01E76CB6B98B42C3"), &mut rng)?;
//! let (_, state) = state.handle(
//!     &ok("7C43824104824FBA91C9CBE26BEF53A0EBE7342A3BF178CEA9F45DE0B70AA601651FBA3F57\
//!          30D8C879AAA9C9F73991E61B58F4D52EB87A0A0C709A49DC63719363CCD13C54"),
//!     &mut rng,
//! )?;
//! let (token, state) = state.handle(&ok(
//!     "7C438441049E880F842905B8B3181F7AF7CAA9F0EFB743847F44A306D2D28C1D9EC65DF6DB\
//!      7764B22277A2EDDC3C265A9F018F9CB852E111B768B326904B59A0193776F094",
//! ))?;
//! assert_eq!(hex::encode_upper(token.to_bytes()?), "008600000C7C0A8508C2B0BD78D94BA86600");
//! let outcome = state.handle(&ok("7C0A86083ABB9674BCE93C08"))?;
//! assert_eq!(outcome.sm.cipher(), cccd::crypto::CipherAlg::Aes128);
//! # Ok(())
//! # }
//! # }
//! ```

mod mapping;
mod protocol;

pub use protocol::{cipher_alg, Cipher, KeyAgreement, Mapping, PaceConfig, PaceInfo, PaceProtocol};

use sha1::{Digest, Sha1};
use thiserror::Error;
use zeroize::Zeroizing;

use self::mapping::{Domain, Mapped};
use super::sm::{SecureMessaging, SmError};
use crate::apdu::{Command, Response, StatusWord};
use crate::crypto::cipher::{cbc_decrypt, encrypt_block};
use crate::crypto::dh::DhError;
use crate::crypto::domain::StandardizedDomainParameters;
use crate::crypto::ec::EcError;
use crate::crypto::kdf::{kdf, pace_mrz_key, ENC, MAC, PACE};
use crate::crypto::mac::{mac8, verify_mac};
use crate::crypto::padding::{pad, unpad};
use crate::crypto::rng::RandomSource;
use crate::crypto::{CipherAlg, CryptoError};
use crate::tlv::{self, Tag, Writer};

/// INS of MANAGE SECURITY ENVIRONMENT.
pub const INS_MSE: u8 = 0x22;
/// P1-P2 of MSE:Set AT for mutual authentication.
pub const P1P2_SET_AT: [u8; 2] = [0xC1, 0xA4];
/// INS of GENERAL AUTHENTICATE.
pub const INS_GENERAL_AUTHENTICATE: u8 = 0x86;
/// CLA of every GENERAL AUTHENTICATE but the last (command chaining, ISO/IEC 7816-4 §5.1.1).
pub const CLA_CHAINING: u8 = 0x10;
/// Password reference `83` value for the MRZ.
pub const PASSWORD_MRZ: u8 = 0x01;
/// Password reference `83` value for the CAN.
pub const PASSWORD_CAN: u8 = 0x02;

/// Dynamic Authentication Data.
const TAG_DYNAMIC: Tag = Tag(0x7C);
const TAG_MECHANISM: Tag = Tag(0x80);
const TAG_PASSWORD_REF: Tag = Tag(0x83);
const TAG_PARAMETER_ID: Tag = Tag(0x84);
const TAG_ENCRYPTED_NONCE: Tag = Tag(0x80);
const TAG_MAPPING_IFD: Tag = Tag(0x81);
const TAG_MAPPING_IC: Tag = Tag(0x82);
const TAG_KEY_IFD: Tag = Tag(0x83);
const TAG_KEY_IC: Tag = Tag(0x84);
const TAG_TOKEN_IFD: Tag = Tag(0x85);
const TAG_TOKEN_IC: Tag = Tag(0x86);
const TAG_CAR: Tag = Tag(0x87);
const TAG_CAR_PREVIOUS: Tag = Tag(0x88);
const TAG_ENCRYPTED_CA_DATA: Tag = Tag(0x8A);

/// Longest encrypted nonce accepted (a chip picks the length; 32 bytes is AES-256's).
const MAX_NONCE_LEN: usize = 64;

/// Why PACE failed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum PaceError {
    /// The CAN or MRZ is wrong: SW `6300`/`63Cx` to the last GENERAL AUTHENTICATE, or a chip
    /// token that does not verify.
    #[error("access denied: wrong PACE password")]
    WrongPassword,
    /// The card answered a step with an unexpected status word.
    #[error("card answered {sw} to {step}")]
    Card {
        /// The command that failed.
        step: &'static str,
        /// Its status word.
        sw: StatusWord,
    },
    /// A response of the wrong shape (what is wrong, never its content).
    #[error("malformed PACE data: {0}")]
    Malformed(&'static str),
    /// An OID that is not a PACE protocol of ICAO 9303-11 Tables 2 and 3.
    #[error("unsupported PACE protocol")]
    UnsupportedProtocol,
    /// A parameter id that is not a standardized set for this protocol.
    #[error("unsupported PACE domain parameter id {0}")]
    UnsupportedParameters(u8),
    /// An empty password, or a CAN with something other than digits.
    #[error("invalid PACE password")]
    InvalidPassword,
    /// The chip's ephemeral public key equals ours (ICAO 9303-11 §4.4.1 3c: a reflection).
    #[error("the chip sent our own ephemeral public key back")]
    ReflectedKey,
    /// PACE-CAM: the Encrypted Chip Authentication Data (`8A`) is missing, or present for
    /// another mapping.
    #[error("chip authentication data missing or unexpected")]
    ChipAuthenticationData,
    /// PACE-CAM: PK_Map,IC ≠ CA_IC · PK_IC, the chip is not the one DG14 names.
    #[error("chip authentication mapping does not verify")]
    ChipAuthenticationFailed,
    /// A primitive failed (the random source, a key length).
    #[error("cryptographic failure: {0}")]
    Crypto(#[from] CryptoError),
    /// An elliptic-curve check failed: a point off the curve, at infinity, badly encoded.
    #[error("elliptic-curve failure: {0}")]
    Ec(#[from] EcError),
    /// A DH check failed: a public value out of range or outside the subgroup.
    #[error("DH failure: {0}")]
    Dh(#[from] DhError),
}

/// The PACE password π (ICAO 9303-11 §9.7.3).
#[derive(Clone, Copy)]
pub enum PacePassword<'a> {
    /// Card Access Number, ASCII digits (the CCCD: the last 6 digits of the ID number).
    Can(&'a [u8]),
    /// MRZ information: document number, date of birth, date of expiry, each with its check
    /// digit, as ASCII (the same string BAC hashes).
    Mrz(&'a [u8]),
}

impl core::fmt::Debug for PacePassword<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Can(_) => f.write_str("Can(***)"),
            Self::Mrz(_) => f.write_str("Mrz(***)"),
        }
    }
}

impl PacePassword<'_> {
    /// K_π = KDF_π(π) = KDF(f(π), 3): f = SHA-1 for the MRZ, the bytes themselves for the CAN.
    fn key(&self, cipher: CipherAlg) -> Result<Zeroizing<Vec<u8>>, PaceError> {
        match self {
            Self::Can(can) => {
                if can.is_empty() || !can.iter().all(u8::is_ascii_digit) {
                    return Err(PaceError::InvalidPassword);
                }
                Ok(kdf(can, PACE, cipher))
            }
            Self::Mrz(mrz) => {
                if mrz.is_empty() {
                    return Err(PaceError::InvalidPassword);
                }
                Ok(kdf(&pace_mrz_key(mrz), PACE, cipher))
            }
        }
    }

    fn reference(&self) -> u8 {
        match self {
            Self::Can(_) => PASSWORD_CAN,
            Self::Mrz(_) => PASSWORD_MRZ,
        }
    }
}

/// Starts PACE: derives K_π and builds MSE:Set AT (`00 22 C1 A4`, no Le) with the protocol
/// OID (`80`), the password reference (`83`: 01 MRZ, 02 CAN) and, when
/// `config.send_parameter_id`, the parameter id (`84`).
pub fn start(
    config: &PaceConfig,
    password: PacePassword<'_>,
) -> Result<(Command, ExpectMseResult), PaceError> {
    let config = PaceConfig::new(config.protocol, config.parameter_id)?
        .with_parameter_id_sent(config.send_parameter_id);
    let domain = Domain::of(&config)?;
    let k_pi = password.key(config.cipher())?;
    let mut w = Writer::new();
    w.put(TAG_MECHANISM, &config.oid_bytes());
    w.put(TAG_PASSWORD_REF, &[password.reference()]);
    if config.send_parameter_id {
        w.put(TAG_PARAMETER_ID, &[config.parameter_id]);
    }
    let [p1, p2] = P1P2_SET_AT;
    let cmd = Command::new(0x00, INS_MSE, p1, p2).with_data(w.into_bytes());
    Ok((
        cmd,
        ExpectMseResult {
            session: Session {
                config,
                domain,
                k_pi,
            },
        },
    ))
}

/// What every state carries.
struct Session {
    config: PaceConfig,
    domain: Domain,
    k_pi: Zeroizing<Vec<u8>>,
}

impl Session {
    fn cipher(&self) -> CipherAlg {
        self.config.cipher()
    }
}

macro_rules! secret_debug {
    ($($t:ident),*) => {$(
        impl core::fmt::Debug for $t {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                write!(f, concat!(stringify!($t), "({:?}, ***)"), self.session.config.protocol)
            }
        }
    )*};
}
secret_debug!(
    ExpectMseResult,
    ExpectNonce,
    ExpectMappingData,
    ExpectAgreementKey,
    ExpectToken
);

/// Waiting for the answer to MSE:Set AT.
pub struct ExpectMseResult {
    session: Session,
}

impl ExpectMseResult {
    /// Takes `9000` and asks for the encrypted nonce: `10 86 00 00 02 7C 00 00`.
    pub fn handle(self, resp: &Response) -> Result<(Command, ExpectNonce), PaceError> {
        expect_success(resp, "MSE:Set AT")?;
        let cmd = general_authenticate(true, &[]);
        Ok((
            cmd,
            ExpectNonce {
                session: self.session,
            },
        ))
    }
}

/// Waiting for the encrypted nonce z (`80`).
pub struct ExpectNonce {
    session: Session,
}

impl ExpectNonce {
    /// Decrypts s = D(K_π, z) (CBC, zero IV), then draws the mapping data from `rng`: the
    /// mapping private key (GM, CAM; `order` bytes wide) or the nonce t (IM; the cipher's key
    /// length), and sends `7C{81 ..}`.
    pub fn handle(
        self,
        resp: &Response,
        rng: &mut dyn RandomSource,
    ) -> Result<(Command, ExpectMappingData), PaceError> {
        const STEP: &str = "GENERAL AUTHENTICATE (encrypted nonce)";
        expect_success(resp, STEP)?;
        let z = single(&resp.data, TAG_ENCRYPTED_NONCE)?;
        let cipher = self.session.cipher();
        if z.is_empty() || z.len() > MAX_NONCE_LEN || z.len() % cipher.block_size() != 0 {
            return Err(PaceError::Malformed("encrypted nonce length"));
        }
        let iv = vec![0u8; cipher.block_size()];
        let s = Zeroizing::new(cbc_decrypt(cipher, &self.session.k_pi, &iv, z)?);
        let (data, map) = match self.session.config.protocol.mapping {
            Mapping::Integrated => {
                let mut t = Zeroizing::new(vec![0u8; mapping::im_nonce_len(cipher)]);
                rng.fill(&mut t)?;
                (t.to_vec(), MapSecret::Nonce(t))
            }
            Mapping::Generic | Mapping::ChipAuthentication => {
                let generator = self.session.domain.static_generator();
                let (sk, pk) = self.session.domain.keypair(&generator, rng)?;
                (pk.clone(), MapSecret::Key { sk, pk })
            }
        };
        let cmd = general_authenticate(true, &tlv::encode(TAG_MAPPING_IFD, &data));
        Ok((
            cmd,
            ExpectMappingData {
                session: self.session,
                s,
                map,
            },
        ))
    }
}

/// The terminal's half of the mapping.
enum MapSecret {
    /// GM and CAM: SK_Map,IFD and PK_Map,IFD.
    Key { sk: Zeroizing<Vec<u8>>, pk: Vec<u8> },
    /// IM: the nonce t.
    Nonce(Zeroizing<Vec<u8>>),
}

/// Waiting for the chip's mapping data (`82`: PK_Map,IC, or empty for IM).
pub struct ExpectMappingData {
    session: Session,
    s: Zeroizing<Vec<u8>>,
    map: MapSecret,
}

impl ExpectMappingData {
    /// Maps the nonce to Ĝ, draws the ephemeral private key from `rng` (`order` bytes wide)
    /// and sends PK_DH,IFD = SK_DH,IFD · Ĝ in `7C{83 ..}`.
    pub fn handle(
        self,
        resp: &Response,
        rng: &mut dyn RandomSource,
    ) -> Result<(Command, ExpectAgreementKey), PaceError> {
        const STEP: &str = "GENERAL AUTHENTICATE (map nonce)";
        expect_success(resp, STEP)?;
        let domain = &self.session.domain;
        let (mapped, chip_mapping_key) = match &self.map {
            MapSecret::Key { sk, pk } => {
                let value = single(&resp.data, TAG_MAPPING_IC)?;
                let chip = domain.chip_public_key(value)?;
                if verify_mac(&chip, pk) {
                    return Err(PaceError::ReflectedKey);
                }
                (domain.generic_map(&self.s, sk, &chip)?, Some(chip))
            }
            MapSecret::Nonce(t) => {
                // §4.4.5.2.2: `82` empty for IM; accept `7C 00` and no data at all too.
                if !resp.data.is_empty() {
                    let mut r = dynamic(&resp.data)?;
                    if let Some(m) = r.read_optional(TAG_MAPPING_IC).map_err(malformed)? {
                        if !m.value.is_empty() {
                            return Err(PaceError::Malformed("IM mapping data not empty"));
                        }
                    }
                    r.finish().map_err(malformed)?;
                }
                let m = domain.integrated_map(self.session.cipher(), &self.s, t)?;
                (m, None)
            }
        };
        let (sk, pk) = domain.keypair(&mapped, rng)?;
        let cmd = general_authenticate(true, &tlv::encode(TAG_KEY_IFD, &pk));
        Ok((
            cmd,
            ExpectAgreementKey {
                session: self.session,
                mapped,
                sk,
                pk,
                chip_mapping_key,
            },
        ))
    }
}

/// Waiting for the chip's ephemeral public key (`84`).
pub struct ExpectAgreementKey {
    session: Session,
    mapped: Mapped,
    sk: Zeroizing<Vec<u8>>,
    pk: Vec<u8>,
    chip_mapping_key: Option<Vec<u8>>,
}

impl ExpectAgreementKey {
    /// Checks PK_DH,IC (on the curve / in the subgroup, different from ours), computes K and
    /// the session keys, and sends T_IFD = MAC(KSmac, 7F49{06 OID, PK_DH,IC}) in the last,
    /// unchained GENERAL AUTHENTICATE.
    pub fn handle(self, resp: &Response) -> Result<(Command, ExpectToken), PaceError> {
        const STEP: &str = "GENERAL AUTHENTICATE (key agreement)";
        expect_success(resp, STEP)?;
        let session = self.session;
        let value = single(&resp.data, TAG_KEY_IC)?;
        let chip = session.domain.chip_public_key(value)?;
        if verify_mac(&chip, &self.pk) {
            return Err(PaceError::ReflectedKey);
        }
        let k = session.domain.agree(&self.mapped, &self.sk, &chip)?;
        let cipher = session.cipher();
        let ks_enc = kdf(&k, ENC, cipher);
        let ks_mac = kdf(&k, MAC, cipher);
        let oid = session.config.oid_bytes();
        let t_ifd = token(
            cipher,
            &ks_mac,
            &session.domain.public_key_data(&oid, &chip),
        )?;
        let t_ic = token(
            cipher,
            &ks_mac,
            &session.domain.public_key_data(&oid, &self.pk),
        )?;
        let cmd = general_authenticate(false, &tlv::encode(TAG_TOKEN_IFD, &t_ifd));
        Ok((
            cmd,
            ExpectToken {
                session,
                ks_enc,
                ks_mac,
                t_ic,
                chip_key: chip,
                chip_mapping_key: self.chip_mapping_key,
            },
        ))
    }
}

/// Waiting for the chip's token (`86`) and, for CAM, its encrypted CA data (`8A`).
pub struct ExpectToken {
    session: Session,
    ks_enc: Zeroizing<Vec<u8>>,
    ks_mac: Zeroizing<Vec<u8>>,
    t_ic: [u8; 8],
    chip_key: Vec<u8>,
    chip_mapping_key: Option<Vec<u8>>,
}

impl ExpectToken {
    /// Verifies T_IC in constant time (SW `6300`/`63Cx` or a bad token is
    /// [`PaceError::WrongPassword`]), decrypts the CAM data, and opens secure messaging with
    /// SSC = 0.
    pub fn handle(self, resp: &Response) -> Result<PaceOutcome, PaceError> {
        const STEP: &str = "GENERAL AUTHENTICATE (mutual authentication)";
        if resp.sw == StatusWord::AUTHENTICATION_FAILED || resp.sw.sw1() == 0x63 {
            return Err(PaceError::WrongPassword);
        }
        expect_success(resp, STEP)?;
        let mut r = dynamic(&resp.data)?;
        let t_ic = r.read_tag(TAG_TOKEN_IC).map_err(malformed)?;
        let mut encrypted_ca = None;
        while !r.is_empty() {
            let e = r.read().map_err(malformed)?;
            match e.tag {
                TAG_CAR | TAG_CAR_PREVIOUS => {}
                TAG_ENCRYPTED_CA_DATA if encrypted_ca.is_none() => encrypted_ca = Some(e.value),
                _ => {
                    return Err(PaceError::Malformed(
                        "unexpected data object with the token",
                    ))
                }
            }
        }
        if !verify_mac(&self.t_ic, t_ic.value) {
            return Err(PaceError::WrongPassword);
        }
        let session = self.session;
        let cipher = session.cipher();
        let is_cam = session.config.protocol.mapping == Mapping::ChipAuthentication;
        let chip_authentication_data = match (is_cam, encrypted_ca) {
            (true, Some(a_ic)) => Some(decrypt_ca_data(
                cipher,
                &self.ks_enc,
                a_ic,
                session.domain.order_size(),
            )?),
            (false, None) => None,
            _ => return Err(PaceError::ChipAuthenticationData),
        };
        let ssc = vec![0u8; cipher.block_size()];
        let sm = SecureMessaging::new(cipher, &self.ks_enc, &self.ks_mac, &ssc).map_err(
            |e| match e {
                SmError::Crypto(c) => PaceError::Crypto(c),
                _ => PaceError::Crypto(CryptoError::Invalid("session setup")),
            },
        )?;
        let id_picc = match session.domain {
            // Comp(PK) for ECDH: the x-coordinate (BSI TR-03110-3 A.2.2.3).
            Domain::Ec(_) => {
                let w = (self.chip_key.len().saturating_sub(1)) / 2;
                self.chip_key.get(1..1 + w).unwrap_or_default().to_vec()
            }
            // Comp(PK) for DH: SHA-1 of the public value (same section).
            Domain::Dh(_) => Sha1::digest(&self.chip_key).to_vec(),
        };
        Ok(PaceOutcome {
            sm,
            config: session.config,
            id_picc,
            chip_authentication_data,
            chip_mapping_key: if is_cam { self.chip_mapping_key } else { None },
        })
    }
}

/// A completed PACE: the secure-messaging session and what later protocols need.
pub struct PaceOutcome {
    /// Secure messaging under KSenc/KSmac, SSC = 0.
    pub sm: SecureMessaging,
    /// The protocol and parameters that ran.
    pub config: PaceConfig,
    /// Comp(PK_DH,IC), the chip's compressed ephemeral public key: its x-coordinate (ECDH) or
    /// SHA-1 of it (DH). Chip Authentication, Active Authentication and Terminal
    /// Authentication bind to it.
    pub id_picc: Vec<u8>,
    /// CAM: CA_IC, the decrypted Chip Authentication Data (`8A`), to check with
    /// [`PaceOutcome::verify_chip_authentication_mapping`] once DG14 is read.
    pub chip_authentication_data: Option<Vec<u8>>,
    /// CAM: PK_Map,IC, the chip's mapping public key.
    chip_mapping_key: Option<Vec<u8>>,
}

impl core::fmt::Debug for PaceOutcome {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("PaceOutcome")
            .field("sm", &self.sm)
            .field("config", &self.config)
            .field(
                "chip_authentication_data",
                &self.chip_authentication_data.is_some(),
            )
            .finish_non_exhaustive()
    }
}

impl PaceOutcome {
    /// CAM (ICAO 9303-11 §4.4.3.5.2): checks PK_Map,IC = CA_IC · PK_IC, PK_IC being the
    /// chip's static Chip Authentication public key (an encoded point on the PACE curve) from
    /// DG14 or EF.CardSecurity. Only meaningful once that file is proven by passive
    /// authentication.
    pub fn verify_chip_authentication_mapping(
        &self,
        dg14_public_key: &[u8],
    ) -> Result<(), PaceError> {
        verify_cam_data(
            &self.config,
            self.chip_authentication_data.as_deref(),
            self.chip_mapping_key.as_deref(),
            dg14_public_key,
        )
    }

    /// Hands the session over and keeps what later checks need (the reader installs the
    /// session, then checks CAM once DG14 is read).
    pub fn into_parts(self) -> (SecureMessaging, PaceBinding) {
        let binding = PaceBinding {
            config: self.config,
            id_picc: self.id_picc,
            chip_authentication_data: self.chip_authentication_data,
            chip_mapping_key: self.chip_mapping_key,
        };
        (self.sm, binding)
    }
}

/// What a completed PACE leaves besides its session: the parameters, ID_PICC, and the CAM data.
#[derive(Clone)]
pub struct PaceBinding {
    /// The protocol and parameters that ran.
    pub config: PaceConfig,
    /// Comp(PK_DH,IC), see [`PaceOutcome::id_picc`].
    pub id_picc: Vec<u8>,
    chip_authentication_data: Option<Vec<u8>>,
    chip_mapping_key: Option<Vec<u8>>,
}

impl core::fmt::Debug for PaceBinding {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("PaceBinding")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl PaceBinding {
    /// Whether the chip sent Chip Authentication Mapping data.
    pub fn has_chip_authentication_data(&self) -> bool {
        self.chip_authentication_data.is_some()
    }

    /// See [`PaceOutcome::verify_chip_authentication_mapping`].
    pub fn verify_chip_authentication_mapping(
        &self,
        dg14_public_key: &[u8],
    ) -> Result<(), PaceError> {
        verify_cam_data(
            &self.config,
            self.chip_authentication_data.as_deref(),
            self.chip_mapping_key.as_deref(),
            dg14_public_key,
        )
    }
}

fn verify_cam_data(
    config: &PaceConfig,
    ca: Option<&[u8]>,
    pk_map: Option<&[u8]>,
    dg14_public_key: &[u8],
) -> Result<(), PaceError> {
    let (Some(ca), Some(pk_map)) = (ca, pk_map) else {
        return Err(PaceError::ChipAuthenticationData);
    };
    let curve = StandardizedDomainParameters::from_id(u64::from(config.parameter_id))
        .and_then(StandardizedDomainParameters::named_curve)
        .ok_or(PaceError::UnsupportedParameters(config.parameter_id))?
        .curve();
    if mapping::verify_cam(curve, ca, dg14_public_key, pk_map)? {
        Ok(())
    } else {
        Err(PaceError::ChipAuthenticationFailed)
    }
}

/// A_IC → CA_IC: AES-CBC with IV = E(KSenc, −1), ISO 9797-1 padding method 2, and the
/// result must be FE2OS-wide (§4.4.3.5.3-4, §4.4.5.6).
fn decrypt_ca_data(
    cipher: CipherAlg,
    ks_enc: &[u8],
    a_ic: &[u8],
    width: usize,
) -> Result<Vec<u8>, PaceError> {
    if cipher == CipherAlg::Tdes {
        return Err(PaceError::UnsupportedProtocol);
    }
    let bs = cipher.block_size();
    // Padding method 2 always adds 1 to `bs` bytes, so a `width`-byte CA_IC encrypts to
    // exactly this many bytes; any other length is refused before decryption.
    if a_ic.len() != (width / bs + 1) * bs {
        return Err(PaceError::Malformed(
            "encrypted chip authentication data length",
        ));
    }
    let iv = encrypt_block(cipher, ks_enc, &vec![0xFF; bs])?;
    let plain = cbc_decrypt(cipher, ks_enc, &iv, a_ic)?;
    let ca = unpad(&plain).map_err(|_| PaceError::Malformed("chip authentication data padding"))?;
    if ca.len() != width {
        return Err(PaceError::Malformed("chip authentication data length"));
    }
    Ok(ca.to_vec())
}

/// An authentication token (§4.4.3.4): retail MAC over the padded object for 3DES, CMAC
/// truncated to 8 bytes for AES.
fn token(cipher: CipherAlg, ks_mac: &[u8], data: &[u8]) -> Result<[u8; 8], PaceError> {
    Ok(match cipher {
        CipherAlg::Tdes => mac8(cipher, ks_mac, &pad(data, 8))?,
        _ => mac8(cipher, ks_mac, data)?,
    })
}

/// GENERAL AUTHENTICATE with `7C{inner}`, Le `00` (extended `0000` when the data needs the
/// extended form: DH-2048 keys), chained (`10`) unless it is the last.
fn general_authenticate(chained: bool, inner: &[u8]) -> Command {
    let data = tlv::encode(TAG_DYNAMIC, inner);
    let le = if data.len() > 255 {
        crate::apdu::MAX_EXTENDED_LE
    } else {
        crate::apdu::MAX_SHORT_LE
    };
    let cla = if chained { CLA_CHAINING } else { 0x00 };
    Command::new(cla, INS_GENERAL_AUTHENTICATE, 0x00, 0x00)
        .with_data(data)
        .with_le(le)
}

fn expect_success(resp: &Response, step: &'static str) -> Result<(), PaceError> {
    if resp.sw.is_success() {
        Ok(())
    } else {
        Err(PaceError::Card { step, sw: resp.sw })
    }
}

fn malformed(_: tlv::TlvError) -> PaceError {
    PaceError::Malformed("dynamic authentication data")
}

/// A reader over the content of `7C`, which must be the whole response.
fn dynamic(data: &[u8]) -> Result<tlv::Reader<'_>, PaceError> {
    let outer = tlv::parse_single(data).map_err(malformed)?;
    if outer.tag != TAG_DYNAMIC {
        return Err(PaceError::Malformed("not dynamic authentication data"));
    }
    Ok(outer.children())
}

/// The value of the only data object `7C{tag ..}` holds.
fn single(data: &[u8], tag: Tag) -> Result<&[u8], PaceError> {
    let mut r = dynamic(data)?;
    let v = r.read_tag(tag).map_err(malformed)?;
    r.finish().map_err(malformed)?;
    Ok(v.value)
}

#[cfg(test)]
mod tests;
