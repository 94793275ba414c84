//! The simulated chip: its state and the command dispatcher (ISO/IEC 7816-4, ICAO 9303-10).

use super::bac::{external_authenticate, BacFailure, BacKeys};
use super::chip_auth;
use super::files::{add_key_files, cccd_file_system, DEFAULT_DG2_SIZE};
use super::fs::{Access, FileSystem, Location, EMRTD_AID};
use super::keys::{ActiveAuthenticationKind, CardKeys, ChipAuthenticationKey};
use super::pace::{prepare, Mapping, PaceChip, PaceConfig, PacePassword};

use super::persona::Persona;
use super::sm::{Protected, SmSession};
use crate::apdu::{Command, Response, StatusWord};
use crate::crypto::rng::{RandomSource, SeededRandom};
use crate::crypto::CipherAlg;
use crate::tlv::{encode, Reader, Tag};
use thiserror::Error;
use zeroize::Zeroizing;

const INS_SELECT: u8 = 0xA4;
const INS_READ_BINARY: u8 = 0xB0;
const INS_READ_BINARY_ODD: u8 = 0xB1;
const INS_GET_CHALLENGE: u8 = 0x84;
const INS_EXTERNAL_AUTHENTICATE: u8 = 0x82;
const INS_INTERNAL_AUTHENTICATE: u8 = 0x88;
const INS_MSE: u8 = 0x22;
const INS_GENERAL_AUTHENTICATE: u8 = 0x86;

/// Which real card the simulator imitates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Profile {
    /// The Vietnamese chip citizen ID card (CCCD / thẻ căn cước).
    #[default]
    Cccd,
    /// A clone of the CCCD of the same seed: the same files (DG14 and DG15 with the genuine
    /// public keys) but other private keys, so Chip and Active Authentication fail.
    CccdClone,
    /// The BSI TR-03105-5 specimen passport (MUSTERMANN ERIKA), BAC only, with its own Chip
    /// Authentication (brainpoolP224r1, 3DES) and Active Authentication (RSA-1024) keys.
    Bsi,
    /// A plain ICAO passport (TD3) of the persona ([`super::passport`]): DG1, DG2, DG11, DG12,
    /// DG14, DG15 and EF.SOD, no DG13; PACE (the passport's MRZ, or the persona's CAN) and BAC.
    Passport,
}

/// A profile name that [`Profile::from_str`](core::str::FromStr) does not know.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("unknown simulator profile {0:?} (known: cccd, cccd-clone, bsi, passport)")]
pub struct UnknownProfile(pub String);

impl core::str::FromStr for Profile {
    type Err = UnknownProfile;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "cccd" => Ok(Self::Cccd),
            "cccd-clone" => Ok(Self::CccdClone),
            "bsi" => Ok(Self::Bsi),
            "passport" => Ok(Self::Passport),
            _ => Err(UnknownProfile(s.to_owned())),
        }
    }
}

impl core::fmt::Display for Profile {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::Cccd => "cccd",
            Self::CccdClone => "cccd-clone",
            Self::Bsi => "bsi",
            Self::Passport => "passport",
        })
    }
}

/// How the simulated card behaves beyond its profile (sizes, limits, injected faults).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CardOptions {
    /// Total size of DG2 in bytes.
    pub dg2_size: usize,
    /// The largest Le READ BINARY accepts; a larger one is refused as `refusal` says (some
    /// chips and phones cap the read size: 231, 192, 128 bytes are reported).
    pub max_le: Option<usize>,
    /// `max_le` applies to reads at or beyond this offset only (0: every read): a chip that
    /// refuses a length in the middle of a file, after reads of that length went through.
    pub max_le_from: usize,
    /// How a READ BINARY above `max_le` is refused, and how any protected command is when
    /// its protected answer would exceed the outer Le (a short Le `00` allows 256 bytes: 231
    /// plain bytes under 3DES, 223 under AES).
    pub refusal: LeRefusal,
    /// Refuse READ BINARY with Le `00` (256) with `6B00`, as some chips do.
    pub reject_le_zero: bool,
    /// Whether the card (and the simulated channel) accepts extended-length APDUs; when not,
    /// an extended APDU gets `6700`.
    pub extended_length: bool,
    /// A forgery applied to the document (passive authentication must catch it).
    pub tamper: Option<super::sod::Tamper>,
    /// The CCCD's Active Authentication key type (ECDSA by default; RSA-2048 as an option).
    pub active_authentication: ActiveAuthenticationKind,
    /// The PACE parameters offered ([`PaceConfig::CCCD`] by default, with the real card's
    /// EF.CardAccess; another configuration gets a matching EF.CardAccess); `None`: BAC only,
    /// no EF.CardAccess. Profiles without EF.CardAccess ignore it.
    pub pace: Option<PaceConfig>,
    /// Whether BAC is still accepted (the real CCCD accepts it); when not, EXTERNAL
    /// AUTHENTICATE gets `6985`.
    pub bac: bool,
    /// Answer INTERNAL AUTHENTICATE with this status word instead of signing, although DG15
    /// holds an Active Authentication key: `6D00` (instruction not supported) or `6982`
    /// (security status not satisfied), what a clone without the private key answers.
    pub refuse_internal_authenticate: Option<StatusWord>,
    /// Answer every READ BINARY of these files (by file identifier, in whatever way the file
    /// is addressed) with this status word, protected like any other answer: a chip that
    /// denies a file (`6982`, `6985`), lacks it (`6A82`) or fails (`6F00`).
    pub refuse_reads: Vec<(crate::files::ElementaryFile, StatusWord)>,
    /// Answer a READ BINARY (`B0`) that asks for more bytes than the file holds from its
    /// offset with `6Cxx` naming the bytes left (ISO 7816-4 §5.1.3 read strictly: "xx bytes
    /// available"), instead of those bytes with `9000`, when fewer than 256 are left.
    pub name_bytes_left: bool,
}

/// How a chip refuses a READ BINARY longer than it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum LeRefusal {
    /// `6700`: wrong length, no hint.
    WrongLength,
    /// `6Cxx`: wrong Le, xx = the length it takes (ISO 7816-4 §5.1.3); under secure
    /// messaging, the plain length whose protected answer fits the outer Le (READ BINARY
    /// only: any other answer that does not fit gets `6700`).
    CorrectLength,
    /// `6Cxx` naming this length whatever was asked, as a faulty chip might: zero, the refused
    /// length itself or a larger one. A reader must not follow such a hint (it would ask for
    /// the same refused length for ever).
    Names(u8),
    /// `6B00` (wrong parameters), which some chips answer to a length they do not take.
    WrongParameters,
}

impl Default for CardOptions {
    fn default() -> Self {
        Self {
            dg2_size: DEFAULT_DG2_SIZE,
            max_le: None,
            max_le_from: 0,
            refusal: LeRefusal::WrongLength,
            reject_le_zero: false,
            extended_length: true,
            tamper: None,
            active_authentication: ActiveAuthenticationKind::default(),
            pace: Some(PaceConfig::CCCD),
            bac: true,
            refuse_internal_authenticate: None,
            refuse_reads: Vec::new(),
            name_bytes_left: false,
        }
    }
}

/// What has been selected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Selection {
    applet: bool,
    /// The current EF, by DF and FID (EF.CardSecurity and EF.SOD share `011D`).
    ef: Option<(Location, u16)>,
}

/// A simulated contactless eMRTD chip holding a [`Persona`]'s data.
///
/// ```
/// use cccd::sim::{Card, Profile};
/// let mut card = Card::new(Profile::Cccd, 42);
/// // EF.CardAccess is readable before the applet is selected (READ BINARY with SFI 1C).
/// let r = card.process(&[0x00, 0xB0, 0x9C, 0x00, 0x00]);
/// assert_eq!(&r[r.len() - 2..], &[0x90, 0x00]);
/// // DG1 needs secure messaging.
/// card.process(&hex::decode("00A4040C07A0000002471001").unwrap());
/// assert_eq!(card.process(&[0x00, 0xB0, 0x81, 0x00, 0x00]), vec![0x69, 0x82]);
/// ```
pub struct Card {
    profile: Profile,
    options: CardOptions,
    persona: Persona,
    files: FileSystem,
    bac_keys: BacKeys,
    mrz_information: Zeroizing<String>,
    rng: Box<dyn RandomSource + Send>,
    selection: Selection,
    challenge: Option<Zeroizing<[u8; 8]>>,
    session: Option<SmSession>,
    keys: CardKeys,
    /// Chip Authentication (AES) between MSE:Set AT and GENERAL AUTHENTICATE.
    chip_auth: Option<chip_auth::ExpectEphemeralKey>,
    /// The session Chip Authentication opens once its response left under the old keys.
    next_session: Option<SmSession>,
    pace: PaceChip,
    /// The keys of the chip found in the field after the next power cycle
    /// ([`Card::swap_keys_at_reset`]).
    keys_after_reset: Option<CardKeys>,
}

impl core::fmt::Debug for Card {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Card")
            .field("profile", &self.profile)
            .field("options", &self.options)
            .field("selection", &self.selection)
            .field("session", &self.session)
            .finish_non_exhaustive()
    }
}

impl Card {
    /// A card of `profile` for the persona of `seed`, with default options.
    pub fn new(profile: Profile, seed: u64) -> Self {
        Self::with_options(profile, seed, CardOptions::default())
    }

    /// A card of `profile` for the persona of `seed`. Its random numbers (RND.IC, K.IC) come
    /// from a generator seeded from `seed` too, so whole sessions replay; see
    /// [`Card::with_random`].
    pub fn with_options(profile: Profile, seed: u64, options: CardOptions) -> Self {
        let persona = Persona::generate(seed);
        let (files, keys, mrz_information, pace_config) =
            profile_contents(profile, seed, &persona, &options);
        let pace = PaceChip::new(pace_config, &mrz_information, &persona.can());
        let bac_keys = BacKeys::from_mrz_information(&mrz_information);
        let rng =
            SeededRandom::from_bytes(&[b"cccd-card".as_slice(), &seed.to_be_bytes()].concat());
        Self {
            profile,
            options,
            persona,
            files,
            bac_keys,
            mrz_information,
            rng: Box::new(rng),
            selection: Selection {
                applet: false,
                ef: None,
            },
            challenge: None,
            session: None,
            keys,
            chip_auth: None,
            next_session: None,
            pace,
            keys_after_reset: None,
        }
    }

    /// Replaces the card's random source (to replay a worked example's RND.IC and K.IC).
    pub fn with_random(mut self, rng: Box<dyn RandomSource + Send>) -> Self {
        self.rng = rng;
        self
    }

    /// Makes the card derive its BAC keys from other MRZ information (document number, birth
    /// and expiry dates with check digits), e.g. the ICAO 9303-11 Appendix D specimen's.
    pub fn with_mrz_information(mut self, mrz_information: &str) -> Self {
        self.bac_keys = BacKeys::from_mrz_information(mrz_information);
        self.mrz_information = Zeroizing::new(mrz_information.to_owned());
        self.pace.set_mrz_information(mrz_information);
        self
    }

    /// Makes the card use `k_pi` as the PACE key K_π for `password` instead of deriving it
    /// from the password: ICAO 9303-11 Appendix H prints a K_π whose password it does not give.
    pub fn with_pace_key(mut self, password: PacePassword, k_pi: &[u8]) -> Self {
        self.pace.set_k_pi(password, k_pi);
        self
    }

    /// The PACE configuration the card offers (`None`: BAC only).
    pub fn pace_config(&self) -> Option<PaceConfig> {
        self.pace.config()
    }

    /// The profile.
    pub fn profile(&self) -> Profile {
        self.profile
    }

    /// The options.
    pub fn options(&self) -> &CardOptions {
        &self.options
    }

    /// The options, to change limits or faults between commands.
    pub fn options_mut(&mut self) -> &mut CardOptions {
        &mut self.options
    }

    /// The card holder.
    pub fn persona(&self) -> &Persona {
        &self.persona
    }

    /// The MRZ information the card's BAC keys come from (document number, birth date,
    /// expiry date, each with its check digit: 24 characters for TD1/TD3). For the `bsi`
    /// profile it is the specimen's (from its DG1), not the persona's: the key to open it with.
    pub fn mrz_information(&self) -> Zeroizing<String> {
        self.mrz_information.clone()
    }

    /// The Chip Authentication key pair (DG14's public key; SK_IC for PACE-CAM).
    pub fn chip_authentication_key(&self) -> &ChipAuthenticationKey {
        &self.keys.chip_authentication
    }

    /// Both static key pairs (Chip and Active Authentication).
    pub fn keys(&self) -> &CardKeys {
        &self.keys
    }

    /// Replaces the card's private keys, leaving its files alone (a clone of any profile).
    pub fn with_keys(mut self, keys: CardKeys) -> Self {
        self.keys = keys;
        self
    }

    /// At the next power cycle ([`Card::reset`]: a tag loss, a reconnect) the chip in the
    /// field holds `keys` instead: a clone with the same files slipped in after a tag loss. A
    /// reader that re-opens the session must run Chip and Active Authentication again and see
    /// the clone fail them.
    pub fn swap_keys_at_reset(mut self, keys: CardKeys) -> Self {
        self.keys_after_reset = Some(keys);
        self
    }

    /// Serves `content` as EF.CardAccess (master file, SFI `1C`) instead of the file the
    /// profile and [`CardOptions::pace`] made: a malformed file, or one that offers only PACE
    /// a reader cannot run. The chip's own PACE stays as configured.
    pub fn with_card_access(mut self, content: &[u8]) -> Self {
        self.files.insert(super::files::card_access(content));
        self
    }

    /// The files the card holds, to compare with what a reader read.
    pub fn files(&self) -> &FileSystem {
        &self.files
    }

    /// The files, to replace or corrupt some.
    pub fn files_mut(&mut self) -> &mut FileSystem {
        &mut self.files
    }

    /// Whether a secure-messaging session is open.
    pub fn has_session(&self) -> bool {
        self.session.is_some()
    }

    /// Opens a secure-messaging session with these keys and send sequence counter (PACE and
    /// Chip Authentication end here). Returns `false`, opening nothing, when the key or SSC
    /// lengths do not fit `alg` (the SSC is one cipher block: 8 bytes for 3DES, 16 for AES).
    pub fn install_session(
        &mut self,
        alg: CipherAlg,
        k_enc: &[u8],
        k_mac: &[u8],
        ssc: &[u8],
    ) -> bool {
        self.session = SmSession::new(alg, k_enc, k_mac, ssc);
        self.session.is_some()
    }

    /// A power cycle (the card left the field): selection, challenge and session are gone.
    pub fn reset(&mut self) {
        self.selection = Selection {
            applet: false,
            ef: None,
        };
        self.challenge = None;
        self.session = None;
        self.chip_auth = None;
        self.next_session = None;
        self.pace.abort();
        if let Some(keys) = self.keys_after_reset.take() {
            self.keys = keys;
        }
    }

    /// Processes one command APDU and returns the response APDU (data and SW1 SW2). Never
    /// panics, whatever the bytes.
    pub fn process(&mut self, apdu: &[u8]) -> Vec<u8> {
        self.respond(apdu)
    }

    fn respond(&mut self, apdu: &[u8]) -> Vec<u8> {
        let Ok(cmd) = Command::parse(apdu) else {
            return sw(StatusWord::WRONG_LENGTH);
        };
        if cmd.extended && !self.options.extended_length {
            return sw(StatusWord::WRONG_LENGTH);
        }
        match cmd.cla {
            // 10: command chaining, for PACE's GENERAL AUTHENTICATE only.
            0x00 | 0x10 => {
                self.chip_auth = None;
                if self.session.take().is_some() {
                    // A plain command ends the session (ICAO 9303-11 §9.8.4).
                    return sw(StatusWord::SM_DATA_MISSING);
                }
                self.execute(&cmd, false).to_bytes()
            }
            0x0C => {
                let Some(session) = self.session.as_mut() else {
                    return sw(StatusWord::SM_DATA_INCORRECT);
                };
                let inner = match session.unwrap_command(&cmd) {
                    Ok(inner) => inner,
                    Err(e) => {
                        self.session = None;
                        return sw(e.sw());
                    }
                };
                // The outer Le is '00' or '0000' (ICAO 9303-11 §9.8.4): without one the card
                // cannot send DO'99' and DO'8E' back, so it answers in clear and drops SM.
                let Some(ne) = cmd.le else {
                    self.session = None;
                    return sw(StatusWord::WRONG_LENGTH);
                };
                let response = self.execute(&inner, true);
                // Error statuses are protected too, with the same status outside; an answer
                // longer than the outer Le allows is refused, protected, as `refusal` says
                // (a length hint only for READ BINARY: other answers cannot be shortened).
                let refusal = if matches!(inner.ins, INS_READ_BINARY | INS_READ_BINARY_ODD) {
                    self.options.refusal
                } else {
                    LeRefusal::WrongLength
                };
                let wrapped = self
                    .session
                    .as_mut()
                    .map(|s| s.wrap_response_within(&response.data, response.sw, ne, refusal));
                // Chip Authentication answers under the old keys, then switches.
                let next = self.next_session.take();
                match wrapped {
                    Some(Ok(Protected::Answer(bytes))) => {
                        if next.is_some() {
                            self.session = next;
                        }
                        bytes
                    }
                    // The answer that would confirm new keys never left: keep the old ones.
                    Some(Ok(Protected::Refused(bytes))) => bytes,
                    Some(Ok(Protected::NoRoom)) => {
                        self.session = None;
                        sw(StatusWord::WRONG_LENGTH)
                    }
                    _ => {
                        self.session = None;
                        sw(StatusWord::UNKNOWN)
                    }
                }
            }
            _ => sw(StatusWord::CLA_NOT_SUPPORTED),
        }
    }

    /// Runs a plain (or unwrapped) command.
    fn execute(&mut self, cmd: &Command, secured: bool) -> Response {
        // The read-size cap of some chips applies to READ BINARY (field reports: 231, 192,
        // 128 bytes); protocol answers stay short anyway.
        let is_read = matches!(cmd.ins, INS_READ_BINARY | INS_READ_BINARY_ODD);
        if is_read && self.options.reject_le_zero && cmd.le == Some(256) && !cmd.extended {
            return Response::status(StatusWord::WRONG_P1P2);
        }
        if let (true, Some(le)) = (is_read, cmd.le) {
            if let Some(refused) = self.le_refusal(le, None) {
                return Response::status(refused);
            }
        }
        // PACE: only its own commands continue a run; chaining only for GENERAL AUTHENTICATE.
        if cmd.ins != INS_GENERAL_AUTHENTICATE {
            self.pace.abort();
            if cmd.cla & 0x10 != 0 {
                return Response::status(StatusWord(0x6884));
            }
        }
        let result = match cmd.ins {
            INS_MSE if (cmd.p1, cmd.p2) == (0xC1, 0xA4) && !secured => {
                self.pace.set_at(&cmd.data).map(|()| Vec::new())
            }
            INS_GENERAL_AUTHENTICATE if !secured => self.pace_general_authenticate(cmd),
            INS_SELECT => self.select(cmd).map(|()| Vec::new()),
            INS_READ_BINARY => self.read_binary(cmd, secured),
            INS_READ_BINARY_ODD => self.read_binary_odd(cmd, secured),
            INS_GET_CHALLENGE => self.get_challenge(cmd),
            INS_EXTERNAL_AUTHENTICATE => self.external_authenticate(cmd, secured),
            INS_MSE if cmd.p1 == 0x41 => self.chip_authentication_mse(cmd, secured),
            INS_GENERAL_AUTHENTICATE if self.chip_auth.is_some() => {
                self.chip_authentication_general_authenticate(cmd, secured)
            }
            INS_INTERNAL_AUTHENTICATE => match self.options.refuse_internal_authenticate {
                Some(sw) => Err(sw),
                None => super::active_auth::internal_authenticate(
                    &self.keys.active_authentication,
                    cmd,
                    secured,
                    self.rng.as_mut(),
                ),
            },
            _ => Err(StatusWord::INS_NOT_SUPPORTED),
        };
        match result {
            Ok(data) => Response::new(data, StatusWord::SUCCESS),
            Err(sw) => Response::status(sw),
        }
    }

    fn select(&mut self, cmd: &Command) -> Result<(), StatusWord> {
        match (cmd.p1, cmd.p2) {
            // SELECT by DF name.
            (0x04, 0x00 | 0x0C) => {
                if cmd.data.is_empty() {
                    return Err(StatusWord::WRONG_LENGTH);
                }
                if cmd.data != EMRTD_AID {
                    return Err(StatusWord::FILE_NOT_FOUND);
                }
                self.selection = Selection {
                    applet: true,
                    ef: None,
                };
                Ok(())
            }
            // SELECT EF under the current DF, no response data.
            (0x02, 0x0C) => {
                let &[hi, lo] = cmd.data.as_slice() else {
                    return Err(StatusWord::WRONG_LENGTH);
                };
                let fid = u16::from_be_bytes([hi, lo]);
                let ef = self
                    .files
                    .find_fid(fid, self.selection.applet)
                    .ok_or(StatusWord::FILE_NOT_FOUND)?;
                self.selection.ef = Some((ef.location, ef.fid));
                Ok(())
            }
            // The real card answers SELECT MF (P1 00) with "instruction not supported".
            (0x00, _) => Err(StatusWord::INS_NOT_SUPPORTED),
            _ => Err(StatusWord::INCORRECT_P1P2),
        }
    }

    /// The readable content of `fid` under the access rules.
    fn readable(
        &self,
        (location, fid): (Location, u16),
        secured: bool,
    ) -> Result<&[u8], StatusWord> {
        if let Some((_, sw)) = self
            .options
            .refuse_reads
            .iter()
            .find(|(file, _)| file.fid() == fid)
        {
            return Err(*sw);
        }
        let ef = self
            .files
            .get_in(location, fid)
            .ok_or(StatusWord::FILE_NOT_FOUND)?;
        match ef.access {
            Access::Free => Ok(&ef.content),
            Access::SecureMessaging if secured => Ok(&ef.content),
            _ => Err(StatusWord::SECURITY_STATUS_NOT_SATISFIED),
        }
    }

    fn select_sfi(&mut self, sfi: u8) -> Result<(Location, u16), StatusWord> {
        let key = self
            .files
            .find_sfi(sfi, self.selection.applet)
            .map(|f| (f.location, f.fid))
            .ok_or(StatusWord::FILE_NOT_FOUND)?;
        self.selection.ef = Some(key);
        Ok(key)
    }

    /// The status word refusing a READ BINARY of `le` bytes, if the options cap it: every
    /// read when `max_le_from` is 0 (checked before the command runs: `offset` is `None`),
    /// else the reads at or beyond `max_le_from` (checked by the read, which knows its offset).
    fn le_refusal(&self, le: usize, offset: Option<usize>) -> Option<StatusWord> {
        let max = self.options.max_le.filter(|max| le > *max)?;
        let from = self.options.max_le_from;
        let applies = match offset {
            None => from == 0,
            Some(offset) => from > 0 && offset >= from,
        };
        applies.then_some(match self.options.refusal {
            LeRefusal::WrongLength => StatusWord::WRONG_LENGTH,
            LeRefusal::CorrectLength => StatusWord(0x6C00 | (max.min(256) % 256) as u16),
            LeRefusal::Names(xx) => StatusWord(0x6C00 | u16::from(xx)),
            LeRefusal::WrongParameters => StatusWord::WRONG_P1P2,
        })
    }

    /// READ BINARY `B0`: offset in P1-P2 (15 bits), or SFI in P1 bits 1-5 (bit 8 set) with the
    /// offset in P2. Returns what remains up to Le, with `9000` (no `6282`), as ICAO cards do
    /// (or `6Cxx` naming the bytes left, with [`CardOptions::name_bytes_left`]).
    fn read_binary(&mut self, cmd: &Command, secured: bool) -> Result<Vec<u8>, StatusWord> {
        if !cmd.data.is_empty() {
            return Err(StatusWord::WRONG_LENGTH);
        }
        let le = cmd.le.ok_or(StatusWord::WRONG_LENGTH)?;
        let (fid, offset) = if cmd.p1 & 0x80 != 0 {
            let sfi = cmd.p1 & 0x1F;
            if cmd.p1 & 0x60 != 0 || sfi == 0 || sfi == 0x1F {
                return Err(StatusWord::INCORRECT_P1P2);
            }
            (self.select_sfi(sfi)?, usize::from(cmd.p2))
        } else {
            let fid = self.selection.ef.ok_or(StatusWord::COMMAND_NOT_ALLOWED)?;
            (fid, usize::from(u16::from_be_bytes([cmd.p1, cmd.p2])))
        };
        if let Some(refused) = self.le_refusal(le, Some(offset)) {
            return Err(refused);
        }
        let content = self.readable(fid, secured)?;
        let rest = content
            .get(offset..)
            .filter(|r| !r.is_empty())
            .ok_or(StatusWord::WRONG_P1P2)?;
        if self.options.name_bytes_left && le > rest.len() {
            if let Ok(left) = u8::try_from(rest.len()) {
                return Err(StatusWord(0x6C00 | u16::from(left)));
            }
        }
        Ok(rest.get(..le).unwrap_or(rest).to_vec())
    }

    /// READ BINARY `B1` (odd INS, for offsets above 32767): P1-P2 `0000` for the current EF,
    /// `00 sfi` for a short file identifier, otherwise a FID; the offset in data object `54`;
    /// up to Le bytes of data come back in data object `53` (the object's header on top of Le, as
    /// readers ask for the bytes they want, not for the bytes of the wrapper).
    fn read_binary_odd(&mut self, cmd: &Command, secured: bool) -> Result<Vec<u8>, StatusWord> {
        let le = cmd.le.ok_or(StatusWord::WRONG_LENGTH)?;
        let fid = match (cmd.p1, cmd.p2) {
            (0, 0) => self.selection.ef.ok_or(StatusWord::COMMAND_NOT_ALLOWED)?,
            (0, sfi @ 1..=0x1E) => self.select_sfi(sfi)?,
            (0, _) => return Err(StatusWord::INCORRECT_P1P2),
            (hi, lo) => {
                let fid = u16::from_be_bytes([hi, lo]);
                let ef = self
                    .files
                    .find_fid(fid, self.selection.applet)
                    .ok_or(StatusWord::FILE_NOT_FOUND)?;
                let key = (ef.location, ef.fid);
                self.selection.ef = Some(key);
                key
            }
        };
        let offset = offset_do54(&cmd.data)?;
        if let Some(refused) = self.le_refusal(le, Some(offset)) {
            return Err(refused);
        }
        let content = self.readable(fid, secured)?;
        let rest = content
            .get(offset..)
            .filter(|r| !r.is_empty())
            .ok_or(StatusWord::WRONG_P1P2)?;
        Ok(encode(Tag(0x53), rest.get(..le).unwrap_or(rest)))
    }

    fn get_challenge(&mut self, cmd: &Command) -> Result<Vec<u8>, StatusWord> {
        if cmd.p1 != 0 || cmd.p2 != 0 {
            return Err(StatusWord::INCORRECT_P1P2);
        }
        if !cmd.data.is_empty() || cmd.le != Some(8) {
            return Err(StatusWord::WRONG_LENGTH);
        }
        let mut rnd = Zeroizing::new([0u8; 8]);
        self.rng
            .fill(&mut rnd[..])
            .map_err(|_| StatusWord::UNKNOWN)?;
        let out = rnd.to_vec();
        self.challenge = Some(rnd);
        Ok(out)
    }

    /// EXTERNAL AUTHENTICATE for BAC: plain, after GET CHALLENGE, with the applet selected.
    fn external_authenticate(
        &mut self,
        cmd: &Command,
        secured: bool,
    ) -> Result<Vec<u8>, StatusWord> {
        if cmd.p1 != 0 || cmd.p2 != 0 {
            return Err(StatusWord::INCORRECT_P1P2);
        }
        // Terminal Authentication (under SM) is not simulated yet.
        if secured || !self.selection.applet || !self.options.bac {
            return Err(StatusWord::CONDITIONS_NOT_SATISFIED);
        }
        let challenge = self
            .challenge
            .take()
            .ok_or(StatusWord::CONDITIONS_NOT_SATISFIED)?;
        if cmd.data.len() != 40 || cmd.le.is_some_and(|le| le < 40) {
            return Err(StatusWord::WRONG_LENGTH);
        }
        match external_authenticate(&self.bac_keys, &challenge, &cmd.data, self.rng.as_mut()) {
            Ok((response, session)) => {
                self.session = Some(session);
                Ok(response)
            }
            Err(BacFailure::WrongLength) => Err(StatusWord::WRONG_LENGTH),
            Err(BacFailure::Authentication) => Err(StatusWord::AUTHENTICATION_FAILED),
            Err(BacFailure::Random) => Err(StatusWord::UNKNOWN),
        }
    }
}

/// Mixed into the seed of the passport profile's chip keys.
const PASSPORT_KEY_SEED: u64 = 0x5041_5353_504F_5254;

/// The files, keys and BAC MRZ information of a profile. The clone holds the genuine card's
/// files (with the genuine public keys in DG14/DG15) and its own private keys.
/// The files, chip keys and MRZ information of `profile`, with EF.CardAccess, DG14 and the
/// SOD consistent with the PACE configuration the card offers (returned too): DG14 lists the
/// PACEInfos EF.CardAccess offers, and the SOD signs that DG14.
fn profile_contents(
    profile: Profile,
    seed: u64,
    persona: &Persona,
    options: &CardOptions,
) -> (FileSystem, CardKeys, Zeroizing<String>, Option<PaceConfig>) {
    let key_rng = |label: &[u8]| SeededRandom::from_bytes(&[label, &seed.to_be_bytes()].concat());
    #[allow(clippy::expect_used)]
    // Invariant: CCCD keys come from a seeded generator that never fails and from test keys
    // compiled in and checked by tests; the BSI data set is compiled in and checked by tests.
    let built = || -> Result<_, super::keys::KeyError> {
        let aa = options.active_authentication;
        Ok(match profile {
            Profile::Cccd | Profile::CccdClone => {
                let mut genuine = CardKeys::cccd(seed, aa, false)?;
                let mut files = cccd_file_system(persona, options.dg2_size);
                let pace = prepare(
                    options.pace,
                    &mut files,
                    &mut genuine,
                    &mut key_rng(b"cccd-pace-cam"),
                );
                add_key_files(&mut files, &genuine);
                let foreign = || {
                    let other = Persona::generate(seed.wrapping_add(1));
                    let mut fs = cccd_file_system(&other, options.dg2_size);
                    if let Ok(keys) = CardKeys::cccd(seed.wrapping_add(1), aa, false) {
                        add_key_files(&mut fs, &keys);
                    }
                    fs
                };
                // The simulator's PKI is built from fixed inputs; should it ever fail, a card
                // without an SOD is still a card, and passive authentication says so.
                let _ = super::sod::attach_sod(&mut files, options.tamper, foreign);
                if pace.is_some_and(|p| p.mapping() == Mapping::ChipAuthentication) {
                    // PACE-CAM proves the key EF.CardSecurity signs (ICAO 9303-11 §9.2.11).
                    let _ = super::sod::attach_card_security(&mut files, &genuine);
                }
                let keys = if profile == Profile::CccdClone {
                    // The clone's own keys, on the curve the offered PACE-CAM needs (from
                    // another generator: a clone cannot derive the genuine chip's key).
                    let mut clone = CardKeys::cccd(seed, aa, true)?;
                    let mut scratch = files.clone();
                    prepare(
                        options.pace,
                        &mut scratch,
                        &mut clone,
                        &mut key_rng(b"cccd-clone-pace-cam"),
                    );
                    clone
                } else {
                    genuine
                };
                (files, keys, persona.mrz_information(), pace)
            }
            Profile::Passport => {
                // Its own chip keys: not the ones of the same person's ID card.
                let mut keys = CardKeys::cccd(seed ^ PASSPORT_KEY_SEED, aa, false)?;
                let mut files = super::passport::file_system(persona, &keys, options.dg2_size);
                let pace = prepare(
                    options.pace,
                    &mut files,
                    &mut keys,
                    &mut key_rng(b"passport-pace-cam"),
                );
                add_key_files(&mut files, &keys);
                let foreign = || {
                    let other = Persona::generate(seed.wrapping_add(1));
                    super::passport::file_system(&other, &keys, options.dg2_size)
                };
                let _ = super::sod::attach_sod(&mut files, options.tamper, foreign);
                if pace.is_some_and(|p| p.mapping() == Mapping::ChipAuthentication) {
                    let _ = super::sod::attach_card_security(&mut files, &keys);
                }
                (files, keys, super::passport::mrz_information(persona), pace)
            }
            Profile::Bsi => {
                let mut files = super::bsi::file_system();
                let mut keys = super::bsi::keys()?;
                // The specimen has no EF.CardAccess: BAC only, whatever is asked.
                let pace = prepare(options.pace, &mut files, &mut keys, &mut key_rng(b"bsi"));
                (
                    files,
                    keys,
                    super::bsi::mrz_information().ok_or(super::keys::KeyError::Malformed("DG1"))?,
                    pace,
                )
            }
        })
    };
    #[allow(clippy::expect_used)]
    built().expect("built-in keys and data sets are valid")
}

impl Card {
    /// MSE with P1 `41` (set for internal authentication, i.e. Chip Authentication): P2 `A6`
    /// (Set KAT, 3DES) or `A4` (Set AT, AES). Only under secure messaging.
    fn chip_authentication_mse(
        &mut self,
        cmd: &Command,
        secured: bool,
    ) -> Result<Vec<u8>, StatusWord> {
        self.chip_auth = None;
        if !secured || !self.selection.applet {
            return Err(StatusWord::SECURITY_STATUS_NOT_SATISFIED);
        }
        let supported = chip_auth::supported_ciphers(self.files.content(super::fs::fid_dg(14)));
        let key = &self.keys.chip_authentication;
        match cmd.p2 {
            0xA6 => {
                self.next_session = Some(chip_auth::set_kat(key, &supported, &cmd.data)?);
            }
            0xA4 => self.chip_auth = Some(chip_auth::set_at(key, &supported, &cmd.data)?),
            _ => return Err(StatusWord::INCORRECT_P1P2),
        }
        Ok(Vec::new())
    }

    /// GENERAL AUTHENTICATE completing Chip Authentication with AES.
    fn chip_authentication_general_authenticate(
        &mut self,
        cmd: &Command,
        secured: bool,
    ) -> Result<Vec<u8>, StatusWord> {
        let pending = self
            .chip_auth
            .take()
            .ok_or(StatusWord::CONDITIONS_NOT_SATISFIED)?;
        if !secured {
            return Err(StatusWord::SECURITY_STATUS_NOT_SATISFIED);
        }
        if cmd.p1 != 0 || cmd.p2 != 0 {
            return Err(StatusWord::INCORRECT_P1P2);
        }
        let (response, session) =
            pending.general_authenticate(&self.keys.chip_authentication, &cmd.data)?;
        self.next_session = Some(session);
        Ok(response)
    }

    /// A PACE GENERAL AUTHENTICATE step; the last one opens secure messaging (SSC zero).
    fn pace_general_authenticate(&mut self, cmd: &Command) -> Result<Vec<u8>, StatusWord> {
        let (data, keys) = self.pace.general_authenticate(
            cmd,
            self.rng.as_mut(),
            &self.keys.chip_authentication,
        )?;
        if let Some(k) = keys {
            let ssc = vec![0u8; k.alg.block_size()];
            if !self.install_session(k.alg, &k.k_enc, &k.k_mac, &ssc) {
                return Err(StatusWord::UNKNOWN);
            }
        }
        Ok(data)
    }
}

fn sw(sw: StatusWord) -> Vec<u8> {
    sw.0.to_be_bytes().to_vec()
}

/// The offset in data object `54` (one to three bytes).
fn offset_do54(data: &[u8]) -> Result<usize, StatusWord> {
    let mut r = Reader::new(data);
    let t = r.read_tag(Tag(0x54)).map_err(|_| StatusWord::WRONG_DATA)?;
    r.finish().map_err(|_| StatusWord::WRONG_DATA)?;
    if t.value.is_empty() || t.value.len() > 3 {
        return Err(StatusWord::WRONG_DATA);
    }
    Ok(t.value
        .iter()
        .fold(0usize, |acc, b| (acc << 8) | usize::from(*b)))
}
