//! Secure messaging seen from the card (ICAO 9303-11 §9.8): unwrap protected commands, wrap
//! responses. Written separately from the reader's `access::sm` on purpose.

use super::card::LeRefusal;
use crate::apdu::{Command, StatusWord};
use crate::crypto::cipher::{cbc_decrypt, cbc_encrypt, encrypt_block};
use crate::crypto::mac::{mac8, verify_mac};
use crate::crypto::padding::{pad, unpad};
use crate::crypto::CipherAlg;
use crate::tlv::{encode, Reader, Tag};
use zeroize::Zeroizing;

const DO85: Tag = Tag(0x85);
const DO87: Tag = Tag(0x87);
const DO8E: Tag = Tag(0x8E);
const DO97: Tag = Tag(0x97);
const DO99: Tag = Tag(0x99);

/// Why a protected command was refused; the card then drops its session keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SmFailure {
    /// `6987`: an expected SM data object (the MAC) is missing.
    Missing,
    /// `6988`: SM data objects are incorrect (bad MAC, bad padding, unknown object).
    Incorrect,
}

impl SmFailure {
    pub(crate) fn sw(self) -> StatusWord {
        match self {
            Self::Missing => StatusWord::SM_DATA_MISSING,
            Self::Incorrect => StatusWord::SM_DATA_INCORRECT,
        }
    }
}

/// The protected data objects of any response: DO'99' (4 bytes) and DO'8E' (10 bytes).
const STATUS_AND_MAC_LEN: usize = 4 + 10;

/// What the card sends back for a protected command, given the outer Le.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Protected {
    /// The protected answer fits the outer Le.
    Answer(Vec<u8>),
    /// The protected answer would not fit (ISO/IEC 7816-4 §5.1: at most Ne bytes come back):
    /// a protected `6700` or `6Cxx` instead, the command's answer dropped.
    Refused(Vec<u8>),
    /// Not even a protected status fits the outer Le: the card answers `6700` in clear and
    /// drops the session.
    NoRoom,
}

/// An open secure-messaging session: the keys and send sequence counter exist only here.
pub(crate) struct SmSession {
    alg: CipherAlg,
    k_enc: Zeroizing<Vec<u8>>,
    k_mac: Zeroizing<Vec<u8>>,
    ssc: Zeroizing<Vec<u8>>,
}

impl core::fmt::Debug for SmSession {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "SmSession({:?}, ***)", self.alg)
    }
}

impl SmSession {
    /// A session, if the key and SSC lengths fit the algorithm (SSC: one block).
    pub(crate) fn new(alg: CipherAlg, k_enc: &[u8], k_mac: &[u8], ssc: &[u8]) -> Option<Self> {
        (k_enc.len() == alg.key_len()
            && k_mac.len() == alg.key_len()
            && ssc.len() == alg.block_size())
        .then(|| Self {
            alg,
            k_enc: Zeroizing::new(k_enc.to_vec()),
            k_mac: Zeroizing::new(k_mac.to_vec()),
            ssc: Zeroizing::new(ssc.to_vec()),
        })
    }

    fn increment_ssc(&mut self) {
        for b in self.ssc.iter_mut().rev() {
            let (v, carry) = b.overflowing_add(1);
            *b = v;
            if !carry {
                break;
            }
        }
    }

    /// 3DES: a zero IV; AES: `E(KSenc, SSC)` (ICAO 9303-11 §9.8.6.1).
    fn iv(&self) -> Result<Vec<u8>, SmFailure> {
        match self.alg {
            CipherAlg::Tdes => Ok(vec![0; 8]),
            _ => encrypt_block(self.alg, &self.k_enc, &self.ssc).map_err(|_| SmFailure::Incorrect),
        }
    }

    fn mac(&self, data: &[u8]) -> Result<[u8; 8], SmFailure> {
        let mut input = Zeroizing::new(self.ssc.to_vec());
        input.extend_from_slice(data);
        let padded = Zeroizing::new(pad(&input, self.alg.block_size()));
        mac8(self.alg, &self.k_mac, &padded).map_err(|_| SmFailure::Incorrect)
    }

    /// Checks and decrypts a protected command (CLA `0C`) into the plain command it carries.
    pub(crate) fn unwrap_command(&mut self, cmd: &Command) -> Result<Command, SmFailure> {
        self.increment_ssc();
        let bs = self.alg.block_size();
        let mut reader = Reader::new(&cmd.data);
        let mut cryptogram = None;
        let mut le_object = None;
        let mut mac_object = None;
        let mut authenticated = Vec::new();
        // The objects come in a fixed order: 85 or 87, then 97, then 8E, nothing after.
        while !reader.is_empty() {
            let tlv = reader.read().map_err(|_| SmFailure::Incorrect)?;
            if mac_object.is_some() {
                return Err(SmFailure::Incorrect);
            }
            match tlv.tag {
                DO85 | DO87 if cryptogram.is_none() && le_object.is_none() => {
                    authenticated.extend_from_slice(tlv.raw);
                    cryptogram = Some(tlv);
                }
                DO97 if le_object.is_none() => {
                    authenticated.extend_from_slice(tlv.raw);
                    le_object = Some(tlv);
                }
                DO8E => mac_object = Some(tlv),
                _ => return Err(SmFailure::Incorrect),
            }
        }
        let mac_object = mac_object.ok_or(SmFailure::Missing)?;

        let mut mac_input = pad(&[cmd.cla, cmd.ins, cmd.p1, cmd.p2], bs);
        if !authenticated.is_empty() {
            mac_input.extend_from_slice(&authenticated);
        }
        let expected = self.mac(&mac_input)?;
        if !verify_mac(&expected, mac_object.value) {
            return Err(SmFailure::Incorrect);
        }

        let data = match cryptogram {
            None => Vec::new(),
            Some(t) => {
                let ciphertext = if t.tag == DO87 {
                    match t.value.split_first() {
                        Some((0x01, rest)) => rest,
                        _ => return Err(SmFailure::Incorrect),
                    }
                } else {
                    t.value
                };
                if ciphertext.is_empty() {
                    return Err(SmFailure::Incorrect);
                }
                let plain = Zeroizing::new(
                    cbc_decrypt(self.alg, &self.k_enc, &self.iv()?, ciphertext)
                        .map_err(|_| SmFailure::Incorrect)?,
                );
                unpad(&plain).map_err(|_| SmFailure::Incorrect)?.to_vec()
            }
        };
        let le = match le_object.map(|t| t.value) {
            None => None,
            Some([0]) => Some(256),
            Some([n]) => Some(usize::from(*n)),
            Some([0, 0]) => Some(65_536),
            Some([a, b]) => Some(usize::from(u16::from_be_bytes([*a, *b]))),
            Some(_) => return Err(SmFailure::Incorrect),
        };
        Ok(Command {
            cla: cmd.cla & !0x0C,
            ins: cmd.ins,
            p1: cmd.p1,
            p2: cmd.p2,
            data,
            le,
            extended: cmd.extended,
        })
    }

    /// The length of the protected response data for `data_len` plain bytes: DO'87' when
    /// there is data (`01` and the padded cryptogram), DO'99', DO'8E'. The status word in
    /// clear is not counted: Ne counts data bytes only (ISO/IEC 7816-4 §5.1).
    pub(crate) fn protected_len(&self, data_len: usize) -> usize {
        if data_len == 0 {
            return STATUS_AND_MAC_LEN;
        }
        let bs = self.alg.block_size();
        let value = 1 + (data_len / bs + 1) * bs;
        let header = match value {
            0..=0x7F => 2,
            0x80..=0xFF => 3,
            0x100..=0xFFFF => 4,
            _ => 5,
        };
        header + value + STATUS_AND_MAC_LEN
    }

    /// The most plain bytes whose protected response fits `ne` bytes: 231 (3DES) or 223 (AES)
    /// for a short Le `00`. `None` when not even a protected status fits.
    pub(crate) fn max_data_within(&self, ne: usize) -> Option<usize> {
        if self.protected_len(0) > ne {
            return None;
        }
        // protected_len is non-decreasing: the largest n with protected_len(n) <= ne.
        let (mut fits, mut too_long) = (0usize, ne.saturating_add(1));
        while too_long - fits > 1 {
            let mid = fits + (too_long - fits) / 2;
            if self.protected_len(mid) <= ne {
                fits = mid;
            } else {
                too_long = mid;
            }
        }
        Some(fits)
    }

    /// Protects `data` and `sw` for a command whose outer Le is `ne`. When the protected answer
    /// would exceed `ne` (a short Le `00` asking for 256 bytes whose protected form takes 283),
    /// the card answers as `refusal` says, protected like any error: `6700`, or `6Cxx` with xx
    /// the plain length that fits; [`Protected::NoRoom`] when not even that fits `ne`.
    pub(crate) fn wrap_response_within(
        &mut self,
        data: &[u8],
        sw: StatusWord,
        ne: usize,
        refusal: LeRefusal,
    ) -> Result<Protected, SmFailure> {
        let Some(fits) = self.max_data_within(ne) else {
            return Ok(Protected::NoRoom);
        };
        if self.protected_len(data.len()) <= ne {
            return self.wrap_response(data, sw).map(Protected::Answer);
        }
        let refused = match (refusal, u8::try_from(fits)) {
            (LeRefusal::CorrectLength, Ok(xx)) if fits > 0 => StatusWord(0x6C00 | u16::from(xx)),
            _ => StatusWord::WRONG_LENGTH,
        };
        self.wrap_response(&[], refused).map(Protected::Refused)
    }

    /// Protects a response: `87 {01 || E(data)}` when there is data, `99 {SW}`, `8E {MAC}`,
    /// then the status word in clear.
    pub(crate) fn wrap_response(
        &mut self,
        data: &[u8],
        sw: StatusWord,
    ) -> Result<Vec<u8>, SmFailure> {
        self.increment_ssc();
        let mut out = Vec::with_capacity(data.len() + 32);
        if !data.is_empty() {
            let padded = Zeroizing::new(pad(data, self.alg.block_size()));
            let ct = cbc_encrypt(self.alg, &self.k_enc, &self.iv()?, &padded)
                .map_err(|_| SmFailure::Incorrect)?;
            let mut value = Vec::with_capacity(ct.len() + 1);
            value.push(0x01);
            value.extend_from_slice(&ct);
            out.extend_from_slice(&encode(DO87, &value));
        }
        out.extend_from_slice(&encode(DO99, &sw.0.to_be_bytes()));
        let mac = self.mac(&out)?;
        out.extend_from_slice(&encode(DO8E, &mac));
        out.extend_from_slice(&sw.0.to_be_bytes());
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssc_carries() {
        let mut s = SmSession::new(
            CipherAlg::Tdes,
            &[0; 16],
            &[0; 16],
            &[0, 0, 0, 0, 0, 0, 0xFF, 0xFF],
        )
        .unwrap();
        s.increment_ssc();
        assert_eq!(&s.ssc[..], &[0, 0, 0, 0, 0, 1, 0, 0]);
    }

    #[test]
    fn protected_lengths_of_short_answers() {
        let tdes = SmSession::new(CipherAlg::Tdes, &[0; 16], &[0; 16], &[0; 8]).unwrap();
        let aes = SmSession::new(CipherAlg::Aes128, &[0; 16], &[0; 16], &[0; 16]).unwrap();
        // 256 plain bytes: 87 82 01 09 01 + 264 (3DES) or 87 82 01 11 01 + 272 (AES), then
        // DO'99' and DO'8E'.
        assert_eq!(tdes.protected_len(256), 283);
        assert_eq!(aes.protected_len(256), 291);
        assert_eq!(tdes.protected_len(0), 14);
        assert_eq!(tdes.max_data_within(256), Some(231));
        assert_eq!(aes.max_data_within(256), Some(223));
        assert_eq!(aes.max_data_within(65_536), Some(65_503));
        assert!(aes.protected_len(65_503) <= 65_536 && aes.protected_len(65_504) > 65_536);
        assert_eq!(tdes.max_data_within(14), Some(0));
        assert_eq!(tdes.max_data_within(13), None);
    }

    #[test]
    fn rejects_wrong_lengths() {
        assert!(SmSession::new(CipherAlg::Aes128, &[0; 16], &[0; 16], &[0; 8]).is_none());
        assert!(SmSession::new(CipherAlg::Tdes, &[0; 24], &[0; 16], &[0; 8]).is_none());
    }
}
