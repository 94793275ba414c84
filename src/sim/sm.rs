//! Secure messaging seen from the card (ICAO 9303-11 §9.8): unwrap protected commands, wrap
//! responses. Written separately from the reader's `access::sm` on purpose.

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
    fn rejects_wrong_lengths() {
        assert!(SmSession::new(CipherAlg::Aes128, &[0; 16], &[0; 16], &[0; 8]).is_none());
        assert!(SmSession::new(CipherAlg::Tdes, &[0; 24], &[0; 16], &[0; 8]).is_none());
    }
}
