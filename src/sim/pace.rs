//! PACE seen from the chip (ICAO 9303-11 §4.4): MSE:Set AT, then the four GENERAL AUTHENTICATE
//! steps (encrypted nonce, mapping, key agreement, tokens) with Generic, Integrated and Chip
//! Authentication Mapping, on every standardized DH group (ids 0-2) and curve (ids 8-18).
//!
//! Written from the card's side, apart from the reader's `access::pace`; only primitives are
//! shared ([`crate::crypto`], [`crate::tlv`], [`crate::apdu`]). Any failure aborts the run: the
//! terminal starts again with MSE:Set AT.

use super::keys::ChipAuthenticationKey;
use crate::apdu::{Command, StatusWord};
use crate::crypto::cipher::{cbc_encrypt, encrypt_block};
use crate::crypto::dh::DhGroup;
use crate::crypto::ec::{Curve, FieldElement, NamedCurve, Point, PrimeField};
use crate::crypto::kdf::{kdf, pace_mrz_key, ENC, MAC, PACE};
use crate::crypto::mac::{mac8, verify_mac};
use crate::crypto::padding::pad;
use crate::crypto::rng::RandomSource;
use crate::crypto::CipherAlg;
use crate::tlv::{encode, Reader, Tag, Writer};
use crypto_bigint::{BoxedUint, NonZero};
use thiserror::Error;
use zeroize::Zeroizing;

/// The PACE mapping (ICAO 9303-11 §4.4.3.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Mapping {
    /// Generic Mapping: Ĝ = s·G + H, H from an anonymous (EC)DH (§4.4.3.3.1).
    Generic,
    /// Integrated Mapping: Ĝ = f_G(R_p(s, t)) with the terminal's nonce t (§4.4.3.3.2).
    Integrated,
    /// Chip Authentication Mapping: Generic Mapping plus the chip's encrypted CA data
    /// (§4.4.3.3.3, §4.4.3.5); ECDH and AES only.
    ChipAuthentication,
}

/// The PACE password a terminal names in MSE:Set AT (data object `83`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PacePassword {
    /// `01`: the MRZ information (document number, birth and expiry dates with check digits).
    Mrz,
    /// `02`: the Card Access Number (on a CCCD: the last 6 digits of the ID number).
    Can,
}

/// The PACE parameters a simulated chip offers: standardized domain parameters, mapping and
/// cipher. [`PaceConfig::CCCD`] is the real card's (ECDH, Generic Mapping, AES-128,
/// brainpoolP256r1).
///
/// ```
/// # #[cfg(feature = "internals")] {
/// use cccd::sim::{Mapping, PaceConfig};
/// use cccd::crypto::CipherAlg;
/// let im = PaceConfig::new(0, Mapping::Integrated, CipherAlg::Tdes).unwrap();
/// assert_eq!(im.to_string(), "dh-im-3des-0");
/// assert_eq!("dh-im-3des-0".parse::<PaceConfig>().unwrap(), im);
/// // CAM exists only with ECDH and AES (ICAO 9303-11 §4.4.3, note 1).
/// assert!(PaceConfig::new(13, Mapping::ChipAuthentication, CipherAlg::Tdes).is_err());
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PaceConfig {
    parameter_id: u8,
    mapping: Mapping,
    cipher: CipherAlg,
}

/// A PACE configuration the standard does not define (or the simulator cannot run).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum UnsupportedPace {
    /// Not a standardized domain parameter id (0-2 DH, 8-18 ECDH).
    #[error("no standardized PACE domain parameters with id {0}")]
    ParameterId(u8),
    /// Chip Authentication Mapping with DH or 3DES.
    #[error("Chip Authentication Mapping needs ECDH and AES")]
    ChipAuthenticationMapping,
    /// Integrated Mapping on a curve with p ≢ 3 (mod 4) (P-224, id 10): the point encoding of
    /// ICAO 9303-11 Appendix B takes square roots as x^((p+1)/4).
    #[error("Integrated Mapping needs p = 3 (mod 4)")]
    IntegratedMapping,
    /// A name [`PaceConfig::from_str`](core::str::FromStr) does not understand.
    #[error("cannot parse PACE configuration {0:?} (e.g. ecdh-gm-aes128-13)")]
    Name(String),
}

/// id-PACE (0.4.0.127.0.7.2.2.4), DER content octets.
const ID_PACE: [u8; 8] = [0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x04];

impl PaceConfig {
    /// The real CCCD: id-PACE-ECDH-GM-AES-CBC-CMAC-128 on brainpoolP256r1 (id 13).
    pub const CCCD: Self = Self {
        parameter_id: 13,
        mapping: Mapping::Generic,
        cipher: CipherAlg::Aes128,
    };

    /// A configuration, if ICAO 9303-11 §4.4.3 defines it (Tables 2 and 3).
    pub fn new(
        parameter_id: u8,
        mapping: Mapping,
        cipher: CipherAlg,
    ) -> Result<Self, UnsupportedPace> {
        let ecdh = match parameter_id {
            0..=2 => false,
            8..=18 => true,
            id => return Err(UnsupportedPace::ParameterId(id)),
        };
        if mapping == Mapping::ChipAuthentication && (!ecdh || cipher == CipherAlg::Tdes) {
            return Err(UnsupportedPace::ChipAuthenticationMapping);
        }
        if mapping == Mapping::Integrated && ecdh {
            let curve = NamedCurve::from_pace_id(parameter_id)
                .ok_or(UnsupportedPace::ParameterId(parameter_id))?
                .curve();
            if curve.p().last().is_none_or(|b| b & 3 != 3) {
                return Err(UnsupportedPace::IntegratedMapping);
            }
        }
        Ok(Self {
            parameter_id,
            mapping,
            cipher,
        })
    }

    /// Every configuration the simulator runs: ids 0-2 and 8-18 × GM, IM, CAM × 3DES and
    /// AES-128/192/256, where the standard defines the combination.
    pub fn all() -> Vec<Self> {
        let ciphers = [
            CipherAlg::Tdes,
            CipherAlg::Aes128,
            CipherAlg::Aes192,
            CipherAlg::Aes256,
        ];
        let mappings = [
            Mapping::Generic,
            Mapping::Integrated,
            Mapping::ChipAuthentication,
        ];
        (0..=18u8)
            .flat_map(|id| mappings.into_iter().map(move |m| (id, m)))
            .flat_map(|(id, m)| ciphers.into_iter().map(move |c| (id, m, c)))
            .filter_map(|(id, m, c)| Self::new(id, m, c).ok())
            .collect()
    }

    /// The standardized domain parameter id.
    pub fn parameter_id(&self) -> u8 {
        self.parameter_id
    }

    /// The mapping.
    pub fn mapping(&self) -> Mapping {
        self.mapping
    }

    /// The cipher of the nonce, the tokens and secure messaging.
    pub fn cipher(&self) -> CipherAlg {
        self.cipher
    }

    /// Whether the domain parameters are an elliptic curve (ids 8-18).
    pub fn is_ecdh(&self) -> bool {
        self.parameter_id >= 8
    }

    /// The PACE protocol OID's content octets (ICAO 9303-11 §9.2.3), e.g.
    /// id-PACE-ECDH-GM-AES-CBC-CMAC-128 = `04 00 7F 00 07 02 02 04 02 02`.
    pub fn oid(&self) -> [u8; 10] {
        let kind = match (self.is_ecdh(), self.mapping) {
            (false, Mapping::Generic) => 1,
            (true, Mapping::Generic) => 2,
            (false, _) => 3,
            (true, Mapping::Integrated) => 4,
            (true, Mapping::ChipAuthentication) => 6,
        };
        let cipher = match self.cipher {
            CipherAlg::Tdes => 1,
            CipherAlg::Aes128 => 2,
            CipherAlg::Aes192 => 3,
            CipherAlg::Aes256 => 4,
        };
        let mut oid = [0u8; 10];
        oid[..8].copy_from_slice(&ID_PACE);
        oid[8] = kind;
        oid[9] = cipher;
        oid
    }

    /// The OIDs the chip accepts in MSE:Set AT: its own, plus Generic Mapping's for a CAM chip
    /// (a chip offering CAM must offer GM or IM too, ICAO 9303-11 §4.4).
    pub fn accepted_oids(&self) -> Vec<[u8; 10]> {
        let mut oids = vec![self.oid()];
        if self.mapping == Mapping::ChipAuthentication {
            oids.push(
                Self {
                    mapping: Mapping::Generic,
                    ..*self
                }
                .oid(),
            );
        }
        oids
    }

    /// The configuration that `oid` selects on this chip.
    fn select(&self, oid: &[u8]) -> Option<Self> {
        self.accepted_oids()
            .into_iter()
            .position(|o| o == oid)
            .map(|i| {
                if i == 0 {
                    *self
                } else {
                    Self {
                        mapping: Mapping::Generic,
                        ..*self
                    }
                }
            })
    }

    /// Bytes of the nonce s: the smallest multiple of the block size not below the key size
    /// (3DES counting as 128 bits), ICAO 9303-11 §4.4.3.3.
    fn nonce_len(&self) -> usize {
        match self.cipher {
            CipherAlg::Tdes | CipherAlg::Aes128 => 16,
            CipherAlg::Aes192 | CipherAlg::Aes256 => 32,
        }
    }
}

impl core::fmt::Display for PaceConfig {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let kind = if self.is_ecdh() { "ecdh" } else { "dh" };
        let mapping = match self.mapping {
            Mapping::Generic => "gm",
            Mapping::Integrated => "im",
            Mapping::ChipAuthentication => "cam",
        };
        let cipher = match self.cipher {
            CipherAlg::Tdes => "3des",
            CipherAlg::Aes128 => "aes128",
            CipherAlg::Aes192 => "aes192",
            CipherAlg::Aes256 => "aes256",
        };
        write!(f, "{kind}-{mapping}-{cipher}-{}", self.parameter_id)
    }
}

impl core::str::FromStr for PaceConfig {
    type Err = UnsupportedPace;

    /// Parses `ecdh-gm-aes128-13`, `dh-im-3des-0`, `ecdh-cam-aes256-17`, ...
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || UnsupportedPace::Name(s.to_owned());
        let lower = s.to_ascii_lowercase();
        let mut parts = lower.split('-');
        let (Some(kind), Some(mapping), Some(cipher), Some(id), None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return Err(bad());
        };
        let mapping = match mapping {
            "gm" => Mapping::Generic,
            "im" => Mapping::Integrated,
            "cam" => Mapping::ChipAuthentication,
            _ => return Err(bad()),
        };
        let cipher = match cipher {
            "3des" => CipherAlg::Tdes,
            "aes128" => CipherAlg::Aes128,
            "aes192" => CipherAlg::Aes192,
            "aes256" => CipherAlg::Aes256,
            _ => return Err(bad()),
        };
        let id: u8 = id.parse().map_err(|_| bad())?;
        let config = Self::new(id, mapping, cipher)?;
        if (kind == "ecdh") != config.is_ecdh() || !matches!(kind, "ecdh" | "dh") {
            return Err(bad());
        }
        Ok(config)
    }
}

/// Session keys PACE ends with; the card opens secure messaging with them (SSC zero).
pub(crate) struct SessionKeys {
    pub(crate) alg: CipherAlg,
    pub(crate) k_enc: Zeroizing<Vec<u8>>,
    pub(crate) k_mac: Zeroizing<Vec<u8>>,
}

/// The chip's PACE side: its passwords, its configuration and the run in progress.
pub(crate) struct PaceChip {
    config: Option<PaceConfig>,
    /// K for the MRZ password: SHA-1 of the MRZ information (ICAO 9303-11 §9.7.3).
    mrz_key: Zeroizing<Vec<u8>>,
    /// K for the CAN: its ASCII digits.
    can_key: Zeroizing<Vec<u8>>,
    /// K_π given directly (worked examples whose password is not published).
    k_pi_override: Option<(PacePassword, Zeroizing<Vec<u8>>)>,
    run: Option<Run>,
}

impl core::fmt::Debug for PaceChip {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("PaceChip")
            .field("config", &self.config)
            .field("in_progress", &self.run.is_some())
            .finish_non_exhaustive()
    }
}

impl PaceChip {
    /// A chip offering `config` (none: BAC only) with these passwords.
    pub(crate) fn new(config: Option<PaceConfig>, mrz_information: &str, can: &str) -> Self {
        Self {
            config,
            mrz_key: mrz_key(mrz_information),
            can_key: Zeroizing::new(can.as_bytes().to_vec()),
            k_pi_override: None,
            run: None,
        }
    }

    /// The configuration offered, if any.
    pub(crate) fn config(&self) -> Option<PaceConfig> {
        self.config
    }

    /// Replaces the MRZ password.
    pub(crate) fn set_mrz_information(&mut self, mrz_information: &str) {
        self.mrz_key = mrz_key(mrz_information);
    }

    /// Uses `k_pi` as K_π for `password` instead of deriving it.
    pub(crate) fn set_k_pi(&mut self, password: PacePassword, k_pi: &[u8]) {
        self.k_pi_override = Some((password, Zeroizing::new(k_pi.to_vec())));
    }

    /// Forgets the run in progress (power cycle, or a plain command that is not PACE's).
    pub(crate) fn abort(&mut self) {
        self.run = None;
    }

    /// MSE:Set AT for PACE (`00 22 C1 A4`): `80` protocol OID, `83` password reference,
    /// optional `84` parameter id; other objects (`7F4C` CHAT) are ignored (§4.4.4.1 note 2).
    pub(crate) fn set_at(&mut self, data: &[u8]) -> Result<(), StatusWord> {
        self.run = None;
        let config = self.config.ok_or(StatusWord::WRONG_DATA)?;
        let mut r = Reader::new(data);
        let (mut oid, mut password, mut parameter) = (None, None, None);
        while !r.is_empty() {
            let t = r.read().map_err(|_| StatusWord::WRONG_DATA)?;
            match t.tag {
                Tag(0x80) => oid = Some(t.value),
                Tag(0x83) => password = Some(t.value),
                Tag(0x84) => parameter = Some(t.value),
                _ => {}
            }
        }
        let selected = config
            .select(oid.ok_or(StatusWord::WRONG_DATA)?)
            .ok_or(StatusWord::WRONG_DATA)?;
        if parameter.is_some_and(|p| p != [config.parameter_id]) {
            return Err(StatusWord::WRONG_DATA);
        }
        let password = match password.ok_or(StatusWord::WRONG_DATA)? {
            [0x01] => PacePassword::Mrz,
            [0x02] => PacePassword::Can,
            _ => return Err(StatusWord::REFERENCED_DATA_NOT_FOUND),
        };
        let k_pi = match &self.k_pi_override {
            Some((p, k)) if *p == password => k.clone(),
            _ => {
                let k = match password {
                    PacePassword::Mrz => &self.mrz_key,
                    PacePassword::Can => &self.can_key,
                };
                kdf(k, PACE, selected.cipher)
            }
        };
        let group = Group::standard(selected.parameter_id).ok_or(StatusWord::WRONG_DATA)?;
        self.run = Some(Run {
            config: selected,
            group,
            step: Step::Start { k_pi },
        });
        Ok(())
    }

    /// One GENERAL AUTHENTICATE (`x0 86 00 00`) of a PACE run. Returns the response data and,
    /// after the last step, the session keys.
    pub(crate) fn general_authenticate(
        &mut self,
        cmd: &Command,
        rng: &mut dyn RandomSource,
        ca_key: &ChipAuthenticationKey,
    ) -> Result<(Vec<u8>, Option<SessionKeys>), StatusWord> {
        let run = self
            .run
            .take()
            .ok_or(StatusWord::CONDITIONS_NOT_SATISFIED)?;
        if cmd.p1 != 0 || cmd.p2 != 0 {
            return Err(StatusWord::INCORRECT_P1P2);
        }
        let (tag, value) = dynamic_authentication_data(&cmd.data)?;
        let chained = cmd.cla & 0x10 != 0;
        let (data, next, keys) = run.step(tag, value, chained, rng, ca_key)?;
        self.run = next;
        Ok((data, keys))
    }
}

fn mrz_key(mrz_information: &str) -> Zeroizing<Vec<u8>> {
    pace_mrz_key(mrz_information.as_bytes())
}

/// The one object inside `7C` (none for step 1), checked to fill the data field exactly.
fn dynamic_authentication_data(data: &[u8]) -> Result<(Option<Tag>, &[u8]), StatusWord> {
    let mut outer = Reader::new(data);
    let t = outer
        .read_tag(Tag(0x7C))
        .map_err(|_| StatusWord::WRONG_DATA)?;
    outer.finish().map_err(|_| StatusWord::WRONG_DATA)?;
    let mut inner = t.children();
    if inner.is_empty() {
        return Ok((None, &[]));
    }
    let o = inner.read().map_err(|_| StatusWord::WRONG_DATA)?;
    inner.finish().map_err(|_| StatusWord::WRONG_DATA)?;
    Ok((Some(o.tag), o.value))
}

/// A PACE run after MSE:Set AT.
struct Run {
    config: PaceConfig,
    /// The static domain parameters D_IC.
    group: Group,
    step: Step,
}

/// What the chip waits for next; each holds exactly the secrets that step needs.
enum Step {
    /// Step 1 (empty `7C`): send z = E(K_π, s).
    Start { k_pi: Zeroizing<Vec<u8>> },
    /// Step 2 (`81`): the terminal's mapping key (GM, CAM) or nonce t (IM).
    Nonce { s: Zeroizing<Vec<u8>> },
    /// Step 3 (`83`): the terminal's ephemeral public key on the mapped group.
    Mapped {
        mapped: Group,
        sk_map: Option<Zeroizing<Vec<u8>>>,
    },
    /// Step 4 (`85`): the terminal's token.
    Agreed {
        keys: SessionKeys,
        pk_ic: Vec<u8>,
        pk_ifd: Vec<u8>,
        sk_map: Option<Zeroizing<Vec<u8>>>,
    },
}

type StepResult = Result<(Vec<u8>, Option<Run>, Option<SessionKeys>), StatusWord>;

impl Run {
    fn step(
        self,
        tag: Option<Tag>,
        value: &[u8],
        chained: bool,
        rng: &mut dyn RandomSource,
        ca_key: &ChipAuthenticationKey,
    ) -> StepResult {
        let Run {
            config,
            group,
            step,
        } = self;
        let expected = match step {
            Step::Start { .. } => None,
            Step::Nonce { .. } => Some(Tag(0x81)),
            Step::Mapped { .. } => Some(Tag(0x83)),
            Step::Agreed { .. } => Some(Tag(0x85)),
        };
        // Steps 1-3 are chained (CLA 10), the last is not (ICAO 9303-11 §4.4.4.3).
        let last = expected == Some(Tag(0x85));
        if tag != expected || chained == last {
            return Err(StatusWord::CONDITIONS_NOT_SATISFIED);
        }
        let bad = StatusWord::WRONG_DATA;
        let alg = config.cipher;
        match step {
            Step::Start { k_pi } => {
                let mut s = Zeroizing::new(vec![0u8; config.nonce_len()]);
                rng.fill(&mut s).map_err(|_| StatusWord::UNKNOWN)?;
                let z = cbc_encrypt(alg, &k_pi, &vec![0; alg.block_size()], &s).map_err(|_| bad)?;
                let next = Run {
                    config,
                    group,
                    step: Step::Nonce { s },
                };
                Ok((encode(Tag(0x7C), &encode(Tag(0x80), &z)), Some(next), None))
            }
            Step::Nonce { s } => {
                let (mapped, sk_map, response) = match config.mapping {
                    Mapping::Integrated => {
                        if value.len() != alg.key_len() {
                            return Err(bad);
                        }
                        let x = pseudo_random(alg, &s, value, group.field())?;
                        (group.integrated_map(&x)?, None, Vec::new())
                    }
                    Mapping::Generic | Mapping::ChipAuthentication => {
                        let (sk, pk) = group.keypair(rng)?;
                        if pk == value {
                            return Err(bad);
                        }
                        let mapped = group.generic_map(&s, &sk, value)?;
                        (mapped, Some(sk), pk)
                    }
                };
                let next = Run {
                    config,
                    group,
                    step: Step::Mapped { mapped, sk_map },
                };
                Ok((
                    encode(Tag(0x7C), &encode(Tag(0x82), &response)),
                    Some(next),
                    None,
                ))
            }
            Step::Mapped { mapped, sk_map } => {
                let pk_ifd = mapped.public_full_width(value)?;
                let (sk, pk_ic) = mapped.keypair(rng)?;
                // ICAO 9303-11 §4.4.1 3(c): the two ephemeral public keys must differ.
                if pk_ic == pk_ifd {
                    return Err(bad);
                }
                let k = mapped.agree(&sk, &pk_ifd)?;
                let keys = SessionKeys {
                    alg,
                    k_enc: kdf(&k, ENC, alg),
                    k_mac: kdf(&k, MAC, alg),
                };
                let response = encode(Tag(0x7C), &encode(Tag(0x84), &pk_ic));
                let next = Run {
                    config,
                    group,
                    step: Step::Agreed {
                        keys,
                        pk_ic,
                        pk_ifd,
                        sk_map,
                    },
                };
                Ok((response, Some(next), None))
            }
            Step::Agreed {
                keys,
                pk_ic,
                pk_ifd,
                sk_map,
            } => {
                let oid = config.oid();
                let expected = token(&keys, &oid, group.token_tag(), &pk_ic)?;
                if !verify_mac(&expected, value) {
                    return Err(StatusWord::AUTHENTICATION_FAILED);
                }
                let t_ic = token(&keys, &oid, group.token_tag(), &pk_ifd)?;
                let mut w = Writer::new();
                w.put(Tag(0x86), &t_ic);
                if config.mapping == Mapping::ChipAuthentication {
                    let sk_map = sk_map.ok_or(StatusWord::UNKNOWN)?;
                    w.put(
                        Tag(0x8A),
                        &chip_authentication_data(&keys, &group, ca_key, &sk_map)?,
                    );
                }
                Ok((encode(Tag(0x7C), &w.into_bytes()), None, Some(keys)))
            }
        }
    }
}

/// T = MAC(KS_MAC, 7F49 { 06 OID, 86 point | 84 y }) (ICAO 9303-11 §4.4.3.4): retail MAC with
/// padding method 2 for 3DES, CMAC (no application padding) for AES.
fn token(keys: &SessionKeys, oid: &[u8], tag: Tag, public: &[u8]) -> Result<[u8; 8], StatusWord> {
    let mut w = Writer::new();
    w.constructed(Tag(0x7F49), |w| {
        w.put(Tag(0x06), oid);
        w.put(tag, public);
    });
    let input = w.into_bytes();
    let input = match keys.alg {
        CipherAlg::Tdes => pad(&input, 8),
        _ => input,
    };
    mac8(keys.alg, &keys.k_mac, &input).map_err(|_| StatusWord::UNKNOWN)
}

/// A_IC = E(KS_Enc, CA_IC) with CA_IC = SK_IC⁻¹ · SK_Map,IC mod n at the order's width, padded
/// (method 2), AES-CBC with IV = E(KS_Enc, -1) (ICAO 9303-11 §4.4.3.5).
fn chip_authentication_data(
    keys: &SessionKeys,
    group: &Group,
    ca_key: &ChipAuthenticationKey,
    sk_map: &[u8],
) -> Result<Vec<u8>, StatusWord> {
    let Group::Ec { curve, .. } = group else {
        return Err(StatusWord::UNKNOWN);
    };
    if ca_key.curve() != *curve {
        return Err(StatusWord::CONDITIONS_NOT_SATISFIED);
    }
    let n = curve.scalar_field();
    let sk_ic = n
        .element(ca_key.private_key())
        .map_err(|_| StatusWord::UNKNOWN)?;
    let sk_map = n.element(sk_map).map_err(|_| StatusWord::UNKNOWN)?;
    let ca = sk_ic.invert().ok_or(StatusWord::UNKNOWN)?.mul(&sk_map);
    let ca = Zeroizing::new(fit(&n.to_bytes(&ca), curve.order_size()));
    let bs = keys.alg.block_size();
    let iv =
        encrypt_block(keys.alg, &keys.k_enc, &vec![0xFF; bs]).map_err(|_| StatusWord::UNKNOWN)?;
    let padded = Zeroizing::new(pad(&ca, bs));
    cbc_encrypt(keys.alg, &keys.k_enc, &iv, &padded).map_err(|_| StatusWord::UNKNOWN)
}

/// Left-pads (or strips leading zeros of) `v` to `len` bytes.
fn fit(v: &[u8], len: usize) -> Vec<u8> {
    let skip = v.iter().take_while(|b| **b == 0).count();
    let v = v.get(skip..).unwrap_or(&[]);
    let mut out = vec![0u8; len.saturating_sub(v.len())];
    out.extend_from_slice(v);
    out
}

/// The IM constants c0, c1 for l = 128 (3DES, AES-128) and l = 256 (AES-192/256),
/// ICAO 9303-11 §4.4.3.3.2.
const C0_128: [u8; 16] = [
    0xa6, 0x68, 0x89, 0x2a, 0x7c, 0x41, 0xe3, 0xca, 0x73, 0x9f, 0x40, 0xb0, 0x57, 0xd8, 0x59, 0x04,
];
const C1_128: [u8; 16] = [
    0xa4, 0xe1, 0x36, 0xac, 0x72, 0x5f, 0x73, 0x8b, 0x01, 0xc1, 0xf6, 0x02, 0x17, 0xc1, 0x88, 0xad,
];
const C0_256: [u8; 32] = [
    0xd4, 0x63, 0xd6, 0x52, 0x34, 0x12, 0x4e, 0xf7, 0x89, 0x70, 0x54, 0x98, 0x6d, 0xca, 0x0a, 0x17,
    0x4e, 0x28, 0xdf, 0x75, 0x8c, 0xba, 0xa0, 0x3f, 0x24, 0x06, 0x16, 0x41, 0x4d, 0x5a, 0x16, 0x76,
];
const C1_256: [u8; 32] = [
    0x54, 0xbd, 0x72, 0x55, 0xf0, 0xaa, 0xf8, 0x31, 0xbe, 0xc3, 0x42, 0x3f, 0xcf, 0x39, 0xd6, 0x9b,
    0x6c, 0xbf, 0x06, 0x66, 0x77, 0xd0, 0xfa, 0xae, 0x5a, 0xad, 0xd9, 0x9d, 0xf8, 0xe5, 0x35, 0x17,
];

/// R_p(s, t) (ICAO 9303-11 §4.4.3.3.2, Figure 2): k0 = E(t, s); k_{i+1} = E(k_i, c0),
/// x_i = E(k_i, c1) (CBC, IV 0, keys truncated to the key size), n blocks with n·l ≥
/// log2 p + 64; the result int(x_1 || ... || x_n) mod p.
pub(crate) fn pseudo_random(
    alg: CipherAlg,
    s: &[u8],
    t: &[u8],
    field: &PrimeField,
) -> Result<FieldElement, StatusWord> {
    let bad = |_| StatusWord::WRONG_DATA;
    let (c0, c1): (&[u8], &[u8]) = match alg {
        CipherAlg::Tdes | CipherAlg::Aes128 => (&C0_128, &C1_128),
        CipherAlg::Aes192 | CipherAlg::Aes256 => (&C0_256, &C1_256),
    };
    let l_bits = c0.len() * 8;
    let p_bits = bit_length(&field.modulus_bytes());
    let n = (p_bits + 64).div_ceil(l_bits);
    let iv = vec![0u8; alg.block_size()];
    let mut k = Zeroizing::new(cbc_encrypt(alg, t, &iv, s).map_err(bad)?);
    let mut x = Zeroizing::new(Vec::with_capacity(n * c0.len()));
    for _ in 0..n {
        let key = Zeroizing::new(
            k.get(..alg.key_len())
                .ok_or(StatusWord::WRONG_DATA)?
                .to_vec(),
        );
        x.extend_from_slice(&cbc_encrypt(alg, &key, &iv, c1).map_err(bad)?);
        k = Zeroizing::new(cbc_encrypt(alg, &key, &iv, c0).map_err(bad)?);
    }
    Ok(field.reduce(&x))
}

fn bit_length(v: &[u8]) -> usize {
    let skip = v.iter().take_while(|b| **b == 0).count();
    v.get(skip..).map_or(0, |rest| {
        rest.first().map_or(0, |b| {
            rest.len() * 8 - usize::try_from(b.leading_zeros()).unwrap_or(0)
        })
    })
}

/// Domain parameters: a curve with a generator (the static G or the mapped Ĝ), or a MODP group.
#[derive(Clone)]
enum Group {
    Ec { curve: &'static Curve, g: Point },
    Dh(DhGroup),
}

impl Group {
    /// The standardized domain parameters `id` (ICAO 9303-11 §9.5.1).
    fn standard(id: u8) -> Option<Self> {
        match id {
            0..=2 => DhGroup::from_pace_id(id).map(Self::Dh),
            _ => NamedCurve::from_pace_id(id).map(|c| {
                let curve = c.curve();
                Self::Ec {
                    curve,
                    g: curve.generator(),
                }
            }),
        }
    }

    fn field(&self) -> &PrimeField {
        match self {
            Self::Ec { curve, .. } => curve.field(),
            Self::Dh(g) => g.field(),
        }
    }

    /// `86` (EC point) or `84` (DH public value) in the token's public key object (§9.4.5).
    fn token_tag(&self) -> Tag {
        match self {
            Self::Ec { .. } => Tag(0x86),
            Self::Dh(_) => Tag(0x84),
        }
    }

    /// A key pair on this generator: the private key uniform in [1, n−1] (or [1, q−1]) by
    /// rejection (order-size random bytes with the excess top bits cleared, so a worked
    /// example's private key replays as is); the public key encoded at full width.
    fn keypair(
        &self,
        rng: &mut dyn RandomSource,
    ) -> Result<(Zeroizing<Vec<u8>>, Vec<u8>), StatusWord> {
        let order = match self {
            Self::Ec { curve, .. } => curve.order(),
            Self::Dh(g) => g.q().ok_or(StatusWord::UNKNOWN)?,
        };
        let excess = order.first().map_or(0, |b| b.leading_zeros());
        for _ in 0..256 {
            let mut d = Zeroizing::new(vec![0u8; order.len()]);
            rng.fill(&mut d).map_err(|_| StatusWord::UNKNOWN)?;
            if let Some(b) = d.first_mut() {
                *b &= 0xFF >> excess;
            }
            if d.iter().all(|b| *b == 0) || d.as_slice() >= order {
                continue;
            }
            let public = match self {
                Self::Ec { curve, g } => curve.encode_point(&curve.mul(&d, g)),
                Self::Dh(g) => g.public_key(&d),
            };
            return Ok((d, public));
        }
        Err(StatusWord::UNKNOWN)
    }

    /// The terminal's public key, validated (on the curve and finite / 1 < y < p−1 in the
    /// order-q subgroup) and encoded at full width.
    fn public_full_width(&self, bytes: &[u8]) -> Result<Vec<u8>, StatusWord> {
        match self {
            Self::Ec { curve, .. } => {
                // Uncompressed points only (ICAO 9303-11 §4.4.3.2).
                if bytes.first() != Some(&0x04) {
                    return Err(StatusWord::WRONG_DATA);
                }
                let p = curve
                    .decode_point(bytes)
                    .map_err(|_| StatusWord::WRONG_DATA)?;
                Ok(curve.encode_point(&p))
            }
            Self::Dh(g) => {
                let len = g.modulus_size();
                let y = fit(bytes, len);
                if y.len() != len {
                    return Err(StatusWord::WRONG_DATA);
                }
                // y^q = 1 and the range checks; the exponent only has to be nonzero here.
                g.shared_secret(&[1], &y)
                    .map_err(|_| StatusWord::WRONG_DATA)?;
                Ok(y)
            }
        }
    }

    /// The key agreement's shared secret: ECDH's x-coordinate or y^x mod p, full width.
    fn agree(&self, sk: &[u8], peer: &[u8]) -> Result<Zeroizing<Vec<u8>>, StatusWord> {
        match self {
            Self::Ec { curve, .. } => {
                let p = curve
                    .decode_point(peer)
                    .map_err(|_| StatusWord::WRONG_DATA)?;
                curve.ecdh(sk, &p).map_err(|_| StatusWord::WRONG_DATA)
            }
            Self::Dh(g) => g
                .shared_secret(sk, peer)
                .map_err(|_| StatusWord::WRONG_DATA),
        }
    }

    /// Generic Mapping (§4.4.3.3.1): Ĝ = s·G + H with H = SK_Map,IC · PK_Map,IFD, or
    /// ĝ = g^s · h with h = PK_Map,IFD ^ SK_Map,IC.
    fn generic_map(&self, s: &[u8], sk_map: &[u8], pk_ifd: &[u8]) -> Result<Self, StatusWord> {
        let bad = StatusWord::WRONG_DATA;
        match self {
            Self::Ec { curve, g } => {
                if pk_ifd.first() != Some(&0x04) {
                    return Err(bad);
                }
                let pk = curve.decode_point(pk_ifd).map_err(|_| bad)?;
                let h = curve.mul(sk_map, &pk);
                if h.is_infinity() {
                    return Err(bad);
                }
                let mapped = curve.add(&curve.mul(s, g), &h);
                if mapped.is_infinity() {
                    return Err(bad);
                }
                Ok(Self::Ec { curve, g: mapped })
            }
            Self::Dh(group) => {
                let y = fit(pk_ifd, group.modulus_size());
                let h = group.shared_secret(sk_map, &y).map_err(|_| bad)?;
                let gs = group.pow_mod(group.g(), s).map_err(|_| bad)?;
                let mapped = group.mul_mod(&gs, &h).map_err(|_| bad)?;
                group.with_generator(&mapped).map(Self::Dh).map_err(|_| bad)
            }
        }
    }

    /// Integrated Mapping (§4.4.3.3.2): Ĝ = f_G(x) (Appendix B point encoding), or
    /// ĝ = x^((p−1)/q) mod p, which must not be 1.
    fn integrated_map(&self, x: &FieldElement) -> Result<Self, StatusWord> {
        let bad = StatusWord::WRONG_DATA;
        match self {
            Self::Ec { curve, .. } => {
                let g = point_encoding(curve, x)?;
                Ok(Self::Ec { curve, g })
            }
            Self::Dh(group) => {
                let field = group.field();
                let p = field.modulus_bytes();
                let q = group.q().ok_or(bad)?;
                let cofactor = cofactor(&p, q).ok_or(bad)?;
                let mapped = x.pow(&cofactor);
                if mapped == field.one() || mapped.is_zero() {
                    return Err(bad);
                }
                group
                    .with_generator(&field.to_bytes(&mapped))
                    .map(Self::Dh)
                    .map_err(|_| bad)
            }
        }
    }
}

/// (p − 1) / q, big-endian.
fn cofactor(p: &[u8], q: &[u8]) -> Option<Vec<u8>> {
    let p = BoxedUint::from_be_slice_vartime(p);
    let q = BoxedUint::from_be_slice_vartime(q);
    let q = Option::<NonZero<BoxedUint>>::from(q.to_nz())?;
    let one = BoxedUint::one();
    Some(
        p.wrapping_sub(&one)
            .wrapping_div_vartime(&q)
            .to_be_bytes()
            .to_vec(),
    )
}

/// (p + 1) / 4, big-endian (p odd).
fn sqrt_exponent(p: &[u8]) -> Vec<u8> {
    let wide = BoxedUint::from_be_slice_vartime(&[&[0u8][..], p].concat());
    wide.wrapping_add(BoxedUint::one())
        .shr(2)
        .to_be_bytes()
        .to_vec()
}

/// f_G(t), ICAO 9303-11 Appendix B.2 (affine coordinates), for p ≡ 3 (mod 4) and cofactor 1:
/// α = −t², X2 = −b(1 + α + α²)·(a(α + α²))⁻¹, X3 = α·X2, h2 = X2³ + a·X2 + b, U = t³·h2,
/// A = h2^(p − 1 − (p+1)/4); (X2, A·h2) if A²·h2 = 1, else (X3, A·U).
fn point_encoding(curve: &Curve, t: &FieldElement) -> Result<Point, StatusWord> {
    let bad = StatusWord::WRONG_DATA;
    let f = curve.field();
    let a = f.element(curve.a()).map_err(|_| bad)?;
    let b = f.element(curve.b()).map_err(|_| bad)?;
    let one = f.one();
    let alpha = t.square().neg();
    let alpha2 = alpha.add(&alpha.square());
    let denominator = a.mul(&alpha2).invert().ok_or(bad)?;
    let x2 = b.neg().mul(&one.add(&alpha2)).mul(&denominator);
    let x3 = alpha.mul(&x2);
    let h2 = x2.square().mul(&x2).add(&a.mul(&x2)).add(&b);
    let u = t.square().mul(t).mul(&h2);
    // A = h2^(p−1−(p+1)/4) = (h2^((p+1)/4))⁻¹ for h2 ≠ 0.
    let a_ = h2
        .pow(&sqrt_exponent(&f.modulus_bytes()))
        .invert()
        .ok_or(bad)?;
    let (x, y) = if a_.square().mul(&h2) == one {
        (x2, a_.mul(&h2))
    } else {
        (x3, a_.mul(&u))
    };
    if curve.cofactor() != [1] {
        return Err(bad);
    }
    curve
        .point_from_affine(&f.to_bytes(&x), &f.to_bytes(&y))
        .map_err(|_| bad)
}

/// Sets up a new card's PACE side: the effective configuration (none for a profile without
/// EF.CardAccess), EF.CardAccess for a non-default configuration, and for PACE-CAM on another
/// curve than the Chip Authentication key's, a CA key on the PACE curve. The caller then writes
/// DG14 (which lists these PACEInfos and that key) and signs the SOD.
pub(crate) fn prepare(
    offered: Option<PaceConfig>,
    files: &mut super::fs::FileSystem,
    keys: &mut super::keys::CardKeys,
    rng: &mut dyn RandomSource,
) -> Option<PaceConfig> {
    use super::fs::FID_CARD_ACCESS;
    let Some(config) = offered else {
        files.remove(FID_CARD_ACCESS);
        return None;
    };
    // A profile without EF.CardAccess (the BSI specimen) is BAC only.
    let ef = files.get_mut(FID_CARD_ACCESS)?;
    if super::card_access::is_cccd(&config) {
        return Some(config);
    }
    ef.content = super::card_access::encode(&config);
    if config.mapping == Mapping::ChipAuthentication {
        if let Some(Group::Ec { curve, .. }) = Group::standard(config.parameter_id) {
            if keys.chip_authentication.curve() != curve {
                let id = keys.chip_authentication.key_id();
                if let Ok(k) = ChipAuthenticationKey::generate(curve, rng, id) {
                    keys.chip_authentication = k;
                }
            }
        }
    }
    Some(config)
}
