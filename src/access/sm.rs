//! Secure messaging, the reader's side (ICAO 9303-11 §9.8, ISO/IEC 7816-4 §10).
//!
//! After BAC or PACE every command is encrypted and MACed, and every response is verified and
//! decrypted, by one [`SecureMessaging`] value. The session keys and the send sequence counter
//! (SSC) live only inside it and are wiped when it is dropped.
//!
//! ```text
//! command:  CLA|0C INS P1 P2  Lc  [DO87 | DO85]  [DO97]  DO8E  Le
//!   DO87 = 87 L 01 || E(KSenc, pad(data))     (even INS; 01 = "padded with 80 00..")
//!   DO85 = 85 L E(KSenc, pad(data))           (odd INS: the plain data is BER-TLV)
//!   DO97 = 97 L Le                            (1 byte, or 2 bytes for an extended Le)
//!   DO8E = 8E 08 MAC(KSmac, pad(SSC || pad(header) || DO87 || DO97))
//! response: [DO87 | DO85]  DO99  DO8E  SW1 SW2
//!   DO99 = 99 02 SW1 SW2                      (the status word, under the MAC)
//!   DO8E = 8E 08 MAC(KSmac, pad(SSC || DO87 || DO99))
//! ```
//!
//! The SSC is incremented before each command and before each response. With 3DES the IV is
//! zero and the MAC is the ISO/IEC 9797-1 retail MAC; with AES the IV is `E(KSenc, SSC)` and
//! the MAC is AES-CMAC over the padded input, truncated to 8 bytes (ICAO 9303-11 §9.8.6.1).

use crate::apdu::{Command, Response, StatusWord, MAX_EXTENDED_LE, MAX_SHORT_LE};
use crate::crypto::cipher::{cbc_decrypt, cbc_encrypt, encrypt_block};
use crate::crypto::mac::{mac8, verify_mac};
use crate::crypto::padding::{pad, unpad};
use crate::crypto::{CipherAlg, CryptoError};
use crate::tlv::{encode, Reader, Tag, TlvError};
use thiserror::Error;
use zeroize::Zeroizing;

/// DO'85': cryptogram of BER-TLV plain data (commands with an odd INS, e.g. READ BINARY `B1`).
pub const TAG_CRYPTOGRAM_TLV: u8 = 0x85;
/// DO'87': padding-content indicator followed by the cryptogram.
pub const TAG_CRYPTOGRAM: u8 = 0x87;
/// DO'8E': cryptographic checksum (the MAC).
pub const TAG_MAC: u8 = 0x8E;
/// DO'97': the protected Le.
pub const TAG_LE: u8 = 0x97;
/// DO'99': the protected status word.
pub const TAG_STATUS: u8 = 0x99;
/// Padding-content indicator `01`: ISO/IEC 9797-1 padding method 2.
pub const PADDING_INDICATOR: u8 = 0x01;
/// CLA bits b4 b3 = `11`: secure messaging, command header authenticated.
pub const CLA_SM: u8 = 0x0C;

/// A failure to protect a command or to verify a protected response.
///
/// Every error is final: the SSC of the two sides no longer agree, so the session must be
/// discarded (and, for a response error, the card may have been tampered with).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum SmError {
    /// A primitive refused its input (a key of the wrong length, for instance).
    #[error("cryptographic failure: {0}")]
    Crypto(#[from] CryptoError),
    /// The response's DO'8E' does not match the MAC we computed.
    #[error("secure messaging MAC mismatch")]
    MacMismatch,
    /// A required data object (tag given) is absent from the response.
    #[error("secure messaging data object {0:02X} missing")]
    MissingDataObject(u8),
    /// The response is not a valid sequence of data objects.
    #[error("malformed secure messaging response: {0}")]
    Malformed(#[from] TlvError),
    /// The decrypted data does not end with ISO/IEC 9797-1 method 2 padding.
    #[error("bad padding in decrypted data")]
    BadPadding,
    /// The status word under the MAC (DO'99') differs from the one outside.
    #[error("protected status {inner} differs from the response status {outer}")]
    StatusMismatch {
        /// SW1 SW2 of the response APDU.
        outer: StatusWord,
        /// SW1 SW2 in DO'99'.
        inner: StatusWord,
    },
    /// The card answered without secure messaging (typically `6987`/`6988`: it dropped the
    /// session, e.g. after a MAC error on its side).
    #[error("card answered {0} without secure messaging")]
    NotProtected(StatusWord),
    /// A data object not allowed here (unknown tag, repeated, or out of order).
    #[error("unexpected secure messaging data object {0:02X}")]
    UnexpectedDataObject(u32),
    /// A data object whose value the specification does not allow (a DO'87' without the
    /// `01` indicator, a DO'99' that is not 2 bytes, a cryptogram not block aligned).
    #[error("invalid secure messaging data object {0:02X}")]
    InvalidDataObject(u8),
    /// The command is already protected (its CLA has the secure messaging bits set).
    #[error("command is already protected")]
    AlreadyProtected,
    /// The protected command would not fit an extended APDU.
    #[error("command too large to protect")]
    CommandTooLarge,
}

/// An established secure-messaging session: cipher, session keys and SSC.
///
/// Made by [`crate::access::bac`] or PACE at the end of their key agreement; the reader then
/// passes every command through [`wrap`](Self::wrap) and every response through
/// [`unwrap`](Self::unwrap), in order.
///
/// ```
/// # #[cfg(feature = "internals")] {
/// use cccd::access::sm::SecureMessaging;
/// use cccd::apdu::{Command, Response};
/// use cccd::crypto::CipherAlg;
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// // ICAO 9303-11 Appendix D.4: session keys and SSC from the BAC worked example.
/// let mut sm = SecureMessaging::new(
///     CipherAlg::Tdes,
///     &hex::decode("979EC13B1CBFE9DCD01AB0FED307EAE5")?,
///     &hex::decode("F1CB1F1FB5ADF208806B89DC579DC1F8")?,
///     &hex::decode("887022120C06C226")?,
/// )?;
/// let select = Command::new(0x00, 0xA4, 0x02, 0x0C).with_data(vec![0x01, 0x1E]);
/// let protected = sm.wrap(&select)?;
/// assert_eq!(
///     hex::encode_upper(protected.to_bytes()?),
///     "0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800"
/// );
/// let answer = Response::parse(&hex::decode("990290008E08FA855A5D4C50A8ED9000")?)?;
/// assert!(sm.unwrap(&answer)?.sw.is_success());
/// # Ok(())
/// # }
/// # }
/// ```
pub struct SecureMessaging {
    alg: CipherAlg,
    k_enc: Zeroizing<Vec<u8>>,
    k_mac: Zeroizing<Vec<u8>>,
    ssc: Zeroizing<Vec<u8>>,
}

impl core::fmt::Debug for SecureMessaging {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "SecureMessaging({:?}, ***)", self.alg)
    }
}

impl SecureMessaging {
    /// Largest plaintext Le for a READ BINARY whose protected response fits a short APDU:
    /// 223 bytes pad to 224 (a whole number of 3DES and AES blocks), and DO'87' (228 bytes),
    /// DO'99' and DO'8E' then take 242 of the 256 bytes a short response can hold.
    pub const MAX_SHORT_READ: usize = 223;

    /// A session with cipher `alg`, keys `k_enc` and `k_mac` (each `alg.key_len()` bytes) and
    /// the initial send sequence counter. `ssc.len()` must equal the block size (8 for 3DES,
    /// 16 for AES).
    pub fn new(alg: CipherAlg, k_enc: &[u8], k_mac: &[u8], ssc: &[u8]) -> Result<Self, SmError> {
        for key in [k_enc, k_mac] {
            if key.len() != alg.key_len() {
                return Err(CryptoError::KeyLength(key.len()).into());
            }
        }
        if ssc.len() != alg.block_size() {
            return Err(CryptoError::Invalid("SSC length differs from the block size").into());
        }
        Ok(Self {
            alg,
            k_enc: Zeroizing::new(k_enc.to_vec()),
            k_mac: Zeroizing::new(k_mac.to_vec()),
            ssc: Zeroizing::new(ssc.to_vec()),
        })
    }

    /// The session's block cipher.
    pub fn cipher(&self) -> CipherAlg {
        self.alg
    }

    /// Protects a plain command: CLA|`0C`, DO'87' (or DO'85' for an odd INS), DO'97', DO'8E';
    /// Le `00` (short) or `0000` (extended, when the command is extended or the protected data
    /// exceed 255 bytes). Increments the SSC; a command it refuses (or fails to protect)
    /// leaves the SSC as it was, since that command never reaches the card.
    pub fn wrap(&mut self, cmd: &Command) -> Result<Command, SmError> {
        let before = self.ssc.clone();
        let result = self.protect(cmd);
        if result.is_err() {
            self.ssc = before;
        }
        result
    }

    /// [`Self::wrap`]'s work; on an error the SSC may have moved.
    fn protect(&mut self, cmd: &Command) -> Result<Command, SmError> {
        if cmd.cla & CLA_SM != 0 {
            return Err(SmError::AlreadyProtected);
        }
        if cmd.le.is_some_and(|le| le > MAX_EXTENDED_LE) || cmd.data.len() > u16::MAX.into() {
            return Err(SmError::CommandTooLarge);
        }
        self.increment_ssc();
        let bs = self.alg.block_size();
        let cla = cmd.cla | CLA_SM;

        let mut body = Vec::with_capacity(cmd.data.len() + 2 * bs + 16);
        if !cmd.data.is_empty() {
            let padded = Zeroizing::new(pad(&cmd.data, bs));
            let cryptogram = cbc_encrypt(self.alg, &self.k_enc, &self.iv()?, &padded)?;
            if cmd.ins & 1 == 1 {
                body.extend_from_slice(&encode(Tag(TAG_CRYPTOGRAM_TLV.into()), &cryptogram));
            } else {
                let mut value = Vec::with_capacity(cryptogram.len() + 1);
                value.push(PADDING_INDICATOR);
                value.extend_from_slice(&cryptogram);
                body.extend_from_slice(&encode(Tag(TAG_CRYPTOGRAM.into()), &value));
            }
        }
        if let Some(le) = cmd.le {
            body.extend_from_slice(&encode(Tag(TAG_LE.into()), &le_value(le)));
        }

        let mut n = Zeroizing::new(self.ssc.to_vec());
        n.extend_from_slice(&pad(&[cla, cmd.ins, cmd.p1, cmd.p2], bs));
        n.extend_from_slice(&body);
        let cc = mac8(self.alg, &self.k_mac, &Zeroizing::new(pad(&n, bs)))?;
        body.extend_from_slice(&encode(Tag(TAG_MAC.into()), &cc));

        if body.len() > u16::MAX.into() {
            return Err(SmError::CommandTooLarge);
        }
        let extended = cmd.is_extended() || body.len() > 255;
        Ok(Command {
            cla,
            ins: cmd.ins,
            p1: cmd.p1,
            p2: cmd.p2,
            data: body,
            le: Some(if extended {
                MAX_EXTENDED_LE
            } else {
                MAX_SHORT_LE
            }),
            extended,
        })
    }

    /// Verifies and strips the protection of a response. Increments the SSC.
    ///
    /// The MAC is checked in constant time before anything is decrypted, then DO'99' must
    /// equal the outer status word. Returns the plain data with the DO'99' status word. A
    /// response with no data objects and an error status (`6987`, `6988`: the card dropped
    /// secure messaging) is [`SmError::NotProtected`]. Any error is final: discard the session.
    pub fn unwrap(&mut self, resp: &Response) -> Result<Response, SmError> {
        self.increment_ssc();
        if resp.data.is_empty() && !resp.sw.is_success() {
            return Err(SmError::NotProtected(resp.sw));
        }

        // Locate the data objects: [DO85 | DO87] DO99 DO8E, in this order, nothing after.
        let mut reader = Reader::new(&resp.data);
        let mut cryptogram = None;
        let mut status = None;
        let mut mac = None;
        while !reader.is_empty() {
            let tlv = reader.read()?;
            match tlv.tag.0 {
                0x85 | 0x87 if cryptogram.is_none() && status.is_none() => cryptogram = Some(tlv),
                0x99 if status.is_none() => status = Some(tlv),
                0x8E => {
                    mac = Some(tlv);
                    break;
                }
                other => return Err(SmError::UnexpectedDataObject(other)),
            }
        }
        let mac = mac.ok_or(SmError::MissingDataObject(TAG_MAC))?;
        reader.finish()?;

        // MAC over SSC || every data object before DO8E, compared in constant time.
        let covered = resp
            .data
            .get(..mac.offset)
            .ok_or(SmError::MissingDataObject(TAG_MAC))?;
        let bs = self.alg.block_size();
        let mut k = Zeroizing::new(self.ssc.to_vec());
        k.extend_from_slice(covered);
        let expected = mac8(self.alg, &self.k_mac, &Zeroizing::new(pad(&k, bs)))?;
        if !verify_mac(&expected, mac.value) {
            return Err(SmError::MacMismatch);
        }

        let status = status.ok_or(SmError::MissingDataObject(TAG_STATUS))?;
        let inner = match status.value {
            [sw1, sw2] => StatusWord(u16::from_be_bytes([*sw1, *sw2])),
            _ => return Err(SmError::InvalidDataObject(TAG_STATUS)),
        };
        if inner != resp.sw {
            return Err(SmError::StatusMismatch {
                outer: resp.sw,
                inner,
            });
        }

        let data = match cryptogram {
            None => Vec::new(),
            Some(tlv) => {
                let (tag, encrypted) = match (tlv.tag.0, tlv.value) {
                    (0x87, [PADDING_INDICATOR, rest @ ..]) => (TAG_CRYPTOGRAM, rest),
                    (0x87, _) => return Err(SmError::InvalidDataObject(TAG_CRYPTOGRAM)),
                    (_, value) => (TAG_CRYPTOGRAM_TLV, value),
                };
                if encrypted.is_empty() || encrypted.len() % bs != 0 {
                    return Err(SmError::InvalidDataObject(tag));
                }
                let padded =
                    Zeroizing::new(cbc_decrypt(self.alg, &self.k_enc, &self.iv()?, encrypted)?);
                unpad(&padded).map_err(|_| SmError::BadPadding)?.to_vec()
            }
        };
        Ok(Response::new(data, inner))
    }

    /// The CBC IV of the current message: zero for 3DES, `E(KSenc, SSC)` for AES
    /// (ICAO 9303-11 §9.8.6.1).
    fn iv(&self) -> Result<Zeroizing<Vec<u8>>, SmError> {
        Ok(Zeroizing::new(match self.alg {
            CipherAlg::Tdes => vec![0; self.alg.block_size()],
            _ => encrypt_block(self.alg, &self.k_enc, &self.ssc)?,
        }))
    }

    /// Big-endian increment, wrapping (2^64 messages are out of reach of any chip).
    fn increment_ssc(&mut self) {
        for byte in self.ssc.iter_mut().rev() {
            let (next, carry) = byte.overflowing_add(1);
            *byte = next;
            if !carry {
                break;
            }
        }
    }
}

/// The value of DO'97': one byte for a short Le (`00` meaning 256), two for an extended one
/// (`0000` meaning 65536).
fn le_value(le: usize) -> Vec<u8> {
    if le > MAX_SHORT_LE {
        u16::try_from(le % MAX_EXTENDED_LE)
            .unwrap_or(0)
            .to_be_bytes()
            .to_vec()
    } else {
        vec![u8::try_from(le % MAX_SHORT_LE).unwrap_or(0)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KS_ENC: &str = "979EC13B1CBFE9DCD01AB0FED307EAE5";
    const KS_MAC: &str = "F1CB1F1FB5ADF208806B89DC579DC1F8";

    fn h(s: &str) -> Vec<u8> {
        hex::decode(s.replace(' ', "")).unwrap()
    }

    /// ICAO 9303-11 Appendix D.4 session, SSC as after D.3.
    fn d4_session() -> SecureMessaging {
        SecureMessaging::new(
            CipherAlg::Tdes,
            &h(KS_ENC),
            &h(KS_MAC),
            &h("887022120C06C226"),
        )
        .unwrap()
    }

    /// The simulator's side, written here independently for round trips: wraps a response
    /// the way a card does (SSC already at the response value).
    fn card_wrap(
        alg: CipherAlg,
        k_enc: &[u8],
        k_mac: &[u8],
        ssc: &[u8],
        data: &[u8],
        sw: u16,
        odd: bool,
    ) -> Response {
        let bs = alg.block_size();
        let mut body = Vec::new();
        if !data.is_empty() {
            let iv = match alg {
                CipherAlg::Tdes => vec![0; 8],
                _ => encrypt_block(alg, k_enc, ssc).unwrap(),
            };
            let c = cbc_encrypt(alg, k_enc, &iv, &pad(data, bs)).unwrap();
            if odd {
                body.extend(encode(Tag(0x85), &c));
            } else {
                body.extend(encode(Tag(0x87), &[&[1u8][..], &c].concat()));
            }
        }
        body.extend(encode(Tag(0x99), &sw.to_be_bytes()));
        let k = [ssc, &body].concat();
        let cc = mac8(alg, k_mac, &pad(&k, bs)).unwrap();
        body.extend(encode(Tag(0x8E), &cc));
        Response::new(body, StatusWord(sw))
    }

    #[test]
    fn debug_hides_keys() {
        let s = format!("{:?}", d4_session());
        assert_eq!(s, "SecureMessaging(Tdes, ***)");
        assert!(!s.contains("979E"));
    }

    #[test]
    fn rejects_bad_key_and_ssc_lengths() {
        assert_eq!(
            SecureMessaging::new(CipherAlg::Tdes, &[0; 15], &[0; 16], &[0; 8]).unwrap_err(),
            SmError::Crypto(CryptoError::KeyLength(15))
        );
        assert!(matches!(
            SecureMessaging::new(CipherAlg::Aes128, &[0; 16], &[0; 16], &[0; 8]),
            Err(SmError::Crypto(CryptoError::Invalid(_)))
        ));
        assert!(SecureMessaging::new(CipherAlg::Aes256, &[0; 32], &[0; 32], &[0; 16]).is_ok());
    }

    #[test]
    fn ssc_increment_carries() {
        let mut sm =
            SecureMessaging::new(CipherAlg::Tdes, &[1; 16], &[2; 16], &h("00000000000000FF"))
                .unwrap();
        sm.increment_ssc();
        assert_eq!(sm.ssc.as_slice(), h("0000000000000100").as_slice());
        let mut sm = SecureMessaging::new(CipherAlg::Tdes, &[1; 16], &[2; 16], &[0xFF; 8]).unwrap();
        sm.increment_ssc();
        assert_eq!(sm.ssc.as_slice(), &[0; 8]);
    }

    #[test]
    fn wrong_mac_is_mac_mismatch() {
        let mut sm = d4_session();
        sm.wrap(&Command::new(0, 0xA4, 2, 0x0C).with_data(vec![1, 0x1E]))
            .unwrap();
        // D.4.1's response with the last MAC byte flipped.
        let resp = Response::parse(&h("990290008E08FA855A5D4C50A8EC9000")).unwrap();
        assert_eq!(sm.unwrap(&resp), Err(SmError::MacMismatch));
    }

    #[test]
    fn mac_checked_before_anything_else() {
        // A DO99 that disagrees with the outer SW, under a wrong MAC: the MAC error wins.
        let mut sm = d4_session();
        sm.wrap(&Command::new(0, 0xB0, 0, 0).with_le(4)).unwrap();
        let resp = Response::new(h("990290008E080000000000000000"), StatusWord(0x6282));
        assert_eq!(sm.unwrap(&resp), Err(SmError::MacMismatch));
        // A short DO8E is a mismatch too, not a panic.
        let mut sm = d4_session();
        let resp = Response::new(h("990290008E03000000"), StatusWord(0x9000));
        assert_eq!(sm.unwrap(&resp), Err(SmError::MacMismatch));
    }

    #[test]
    fn do99_mismatch() {
        let (k_enc, k_mac) = (h(KS_ENC), h(KS_MAC));
        let mut sm = d4_session();
        sm.wrap(&Command::new(0, 0xB0, 0, 0).with_le(4)).unwrap();
        // Correctly MACed DO99 = 9000, but the outer SW claims 6282.
        let mut resp = card_wrap(
            CipherAlg::Tdes,
            &k_enc,
            &k_mac,
            &h("887022120C06C228"),
            &[1, 2, 3, 4],
            0x9000,
            false,
        );
        resp.sw = StatusWord(0x6282);
        assert_eq!(
            sm.unwrap(&resp),
            Err(SmError::StatusMismatch {
                outer: StatusWord(0x6282),
                inner: StatusWord(0x9000)
            })
        );
    }

    #[test]
    fn protected_error_status_is_returned_plain() {
        let (k_enc, k_mac) = (h(KS_ENC), h(KS_MAC));
        let mut sm = d4_session();
        sm.wrap(&Command::new(0, 0xA4, 2, 0x0C).with_data(vec![1, 7]))
            .unwrap();
        let resp = card_wrap(
            CipherAlg::Tdes,
            &k_enc,
            &k_mac,
            &h("887022120C06C228"),
            &[],
            0x6A82,
            false,
        );
        assert_eq!(
            sm.unwrap(&resp).unwrap(),
            Response::status(StatusWord(0x6A82))
        );
    }

    #[test]
    fn unprotected_answers() {
        let mut sm = d4_session();
        assert_eq!(
            sm.unwrap(&Response::status(StatusWord(0x6987))),
            Err(SmError::NotProtected(StatusWord(0x6987)))
        );
        let mut sm = d4_session();
        assert_eq!(
            sm.unwrap(&Response::status(StatusWord(0x6988))),
            Err(SmError::NotProtected(StatusWord(0x6988)))
        );
        let mut sm = d4_session();
        assert_eq!(
            sm.unwrap(&Response::status(StatusWord::SUCCESS)),
            Err(SmError::MissingDataObject(TAG_MAC))
        );
        // Plain data where DOs are expected.
        let mut sm = d4_session();
        assert_eq!(
            sm.unwrap(&Response::new(h("60025F01"), StatusWord::SUCCESS)),
            Err(SmError::UnexpectedDataObject(0x60))
        );
    }

    #[test]
    fn truncated_and_garbled_tlv() {
        let full = h("8709019FF0EC34F9922651990290008E08AD55CC17140B2DED");
        // Cut inside DO8E's value.
        let mut sm = d4_session();
        let err = sm
            .unwrap(&Response::new(
                full[..full.len() - 1].to_vec(),
                StatusWord(0x9000),
            ))
            .unwrap_err();
        assert!(matches!(err, SmError::Malformed(_)), "{err:?}");
        // DO87 claims more bytes than there are.
        let mut sm = d4_session();
        let err = sm
            .unwrap(&Response::new(h("87FF01"), StatusWord(0x9000)))
            .unwrap_err();
        assert!(matches!(err, SmError::Malformed(_)), "{err:?}");
        // Bytes after DO8E.
        let mut sm = d4_session();
        let mut trailing = full.clone();
        trailing.push(0);
        let err = sm
            .unwrap(&Response::new(trailing, StatusWord(0x9000)))
            .unwrap_err();
        assert!(matches!(err, SmError::Malformed(_)), "{err:?}");
        // No DO8E at all.
        let mut sm = d4_session();
        assert_eq!(
            sm.unwrap(&Response::new(h("99029000"), StatusWord(0x9000))),
            Err(SmError::MissingDataObject(TAG_MAC))
        );
        // DO99 twice, DO87 after DO99.
        let mut sm = d4_session();
        assert_eq!(
            sm.unwrap(&Response::new(h("9902900099029000"), StatusWord(0x9000))),
            Err(SmError::UnexpectedDataObject(0x99))
        );
        let mut sm = d4_session();
        assert_eq!(
            sm.unwrap(&Response::new(h("990290008701010000"), StatusWord(0x9000))),
            Err(SmError::UnexpectedDataObject(0x87))
        );
    }

    #[test]
    fn invalid_objects_under_a_valid_mac() {
        let (k_enc, k_mac) = (h(KS_ENC), h(KS_MAC));
        let ssc = h("887022120C06C228");
        let macked = |body: &[u8]| {
            let cc = mac8(CipherAlg::Tdes, &k_mac, &pad(&[&ssc[..], body].concat(), 8)).unwrap();
            Response::new([body, &encode(Tag(0x8E), &cc)].concat(), StatusWord(0x9000))
        };
        let cases = [
            // DO87 with padding indicator 02.
            (
                format!("870902{}99029000", "00".repeat(8)),
                SmError::InvalidDataObject(0x87),
            ),
            // DO87 cryptogram not block aligned.
            (
                "87040100000099029000".into(),
                SmError::InvalidDataObject(0x87),
            ),
            // DO87 with the indicator only.
            ("87010199029000".into(), SmError::InvalidDataObject(0x87)),
            // DO99 of 3 bytes.
            ("9903900000".into(), SmError::InvalidDataObject(0x99)),
            // No DO99.
            (String::new(), SmError::MissingDataObject(0x99)),
        ];
        for (body, want) in cases {
            let mut sm = d4_session();
            sm.wrap(&Command::new(0, 0xB0, 0, 0).with_le(4)).unwrap();
            assert_eq!(sm.unwrap(&macked(&h(&body))), Err(want), "{body}");
        }
        // A well-formed cryptogram whose plaintext has no 80 padding.
        let c = cbc_encrypt(CipherAlg::Tdes, &k_enc, &[0; 8], &[0x11; 8]).unwrap();
        let body = [
            &encode(Tag(0x87), &[&[1u8][..], &c].concat())[..],
            &h("99029000"),
        ]
        .concat();
        let mut sm = d4_session();
        sm.wrap(&Command::new(0, 0xB0, 0, 0).with_le(4)).unwrap();
        assert_eq!(sm.unwrap(&macked(&body)), Err(SmError::BadPadding));
    }

    #[test]
    fn odd_ins_uses_do85() {
        let (k_enc, k_mac) = (h(KS_ENC), h(KS_MAC));
        let mut sm = d4_session();
        // READ BINARY B1 with offset DO54 = 0100 (ISO 7816-4 §11.2.3), Le 0x20.
        let cmd = Command::new(0, 0xB1, 0x01, 0x1E)
            .with_data(h("54020100"))
            .with_le(0x20);
        let p = sm.wrap(&cmd).unwrap();
        assert_eq!((p.cla, p.ins, p.p1, p.p2), (0x0C, 0xB1, 0x01, 0x1E));
        assert_eq!(p.data[0], 0x85);
        assert_eq!(p.data[1], 8, "DO85 holds the bare cryptogram, no indicator");
        let crypt = &p.data[2..10];
        let plain = cbc_decrypt(CipherAlg::Tdes, &k_enc, &[0; 8], crypt).unwrap();
        assert_eq!(plain, h("5402010080000000"));
        assert_eq!(&p.data[10..13], &[0x97, 0x01, 0x20]);
        // The MAC covers SSC || padded header || DO85 || DO97.
        let n = [
            &h("887022120C06C227")[..],
            &h("0CB1011E80000000"),
            &p.data[..13],
        ]
        .concat();
        let cc = mac8(CipherAlg::Tdes, &k_mac, &pad(&n, 8)).unwrap();
        assert_eq!(&p.data[13..], &[&[0x8E, 0x08][..], &cc].concat()[..]);
        assert_eq!(p.le, Some(256));
        assert!(!p.is_extended());

        // The response comes back in DO85 as well.
        let resp = card_wrap(
            CipherAlg::Tdes,
            &k_enc,
            &k_mac,
            &h("887022120C06C228"),
            &h("53035F0102"),
            0x9000,
            true,
        );
        assert_eq!(resp.data[0], 0x85);
        assert_eq!(sm.unwrap(&resp).unwrap().data, h("53035F0102"));
    }

    #[test]
    fn extended_le() {
        let mut sm = d4_session();
        let p = sm
            .wrap(&Command::new(0, 0xB0, 0x00, 0x00).with_le(0x0400))
            .unwrap();
        assert_eq!(&p.data[..4], &[0x97, 0x02, 0x04, 0x00]);
        assert!(p.is_extended());
        assert_eq!(p.le, Some(65_536));
        let bytes = p.to_bytes().unwrap();
        // 0C B0 00 00 | 00 00 0E | 97 02 0400 8E 08 .. | 00 00
        assert_eq!(&bytes[..7], &[0x0C, 0xB0, 0, 0, 0, 0, 0x0E]);
        assert_eq!(&bytes[bytes.len() - 2..], &[0, 0]);

        // Le 65536 is DO97 = 0000.
        let p = sm
            .wrap(&Command::new(0, 0xB0, 0, 0).with_le(65_536))
            .unwrap();
        assert_eq!(&p.data[..4], &[0x97, 0x02, 0x00, 0x00]);
        // Le 256 stays short: DO97 = 00.
        let p = sm.wrap(&Command::new(0, 0xB0, 0, 0).with_le(256)).unwrap();
        assert_eq!(&p.data[..3], &[0x97, 0x01, 0x00]);
        assert!(!p.is_extended());
        // A short command whose protected data exceed 255 bytes becomes extended.
        let p = sm
            .wrap(&Command::new(0, 0xD6, 0, 0).with_data(vec![0xAB; 240]))
            .unwrap();
        assert!(p.data.len() > 255);
        assert!(p.is_extended());
        assert_eq!(p.le, Some(65_536));
        // A forced-extended command stays extended.
        let p = sm
            .wrap(
                &Command::new(0, 0x2A, 0, 0xBE)
                    .with_data(vec![1; 4])
                    .with_extended(true),
            )
            .unwrap();
        assert!(p.is_extended());
    }

    #[test]
    fn refuses_double_wrap_and_oversize() {
        let mut sm = d4_session();
        assert_eq!(
            sm.wrap(&Command::new(0x0C, 0xB0, 0, 0).with_le(4)),
            Err(SmError::AlreadyProtected)
        );
        assert_eq!(
            sm.wrap(&Command::new(0, 0xB0, 0, 0).with_le(65_537)),
            Err(SmError::CommandTooLarge)
        );
        assert_eq!(
            sm.wrap(&Command::new(0, 0xD6, 0, 0).with_data(vec![0; 65_530])),
            Err(SmError::CommandTooLarge)
        );
    }

    /// ICAO 9303-11 §9.8.5 layout with 3DES, no Le: DO'87' = 87 82 LL LL 01 || cryptogram
    /// (4 + 1 + padded bytes), DO'8E' = 10 bytes. The padded data of a 65,519-byte command
    /// is 65,520 bytes, so the protected body is 65,535 bytes, the most an extended Lc holds;
    /// one byte more pads to 65,528 and cannot be sent.
    #[test]
    fn the_largest_command_that_fits_is_wrapped_and_a_refusal_leaves_the_ssc_alone() {
        let mut sm = d4_session();
        for len in [65_520, 65_535, 65_536] {
            let cmd = Command::new(0, 0xD6, 0, 0).with_data(vec![0; len]);
            assert_eq!(sm.wrap(&cmd), Err(SmError::CommandTooLarge), "{len}");
        }
        assert_eq!(
            sm.wrap(&Command::new(0x0C, 0xB0, 0, 0).with_le(4)),
            Err(SmError::AlreadyProtected)
        );
        // The SSC is still D.3's: D.4.1's protected SELECT comes out byte for byte.
        let select = Command::new(0x00, 0xA4, 0x02, 0x0C).with_data(vec![0x01, 0x1E]);
        assert_eq!(
            sm.wrap(&select).unwrap().to_bytes().unwrap(),
            h("0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800")
        );

        let mut sm = d4_session();
        let p = sm
            .wrap(&Command::new(0, 0xD6, 0, 0).with_data(vec![0; 65_519]))
            .unwrap();
        assert_eq!(p.data.len(), 65_535);
        assert_eq!(&p.data[..5], &[0x87, 0x82, 0xFF, 0xF1, 0x01]);
        assert!(p.is_extended());
        assert_eq!(p.to_bytes().unwrap().len(), 7 + 65_535 + 2);
    }

    #[test]
    fn max_short_read_fits_a_short_response() {
        for alg in [CipherAlg::Tdes, CipherAlg::Aes128] {
            let resp = card_wrap(
                alg,
                &[1; 16],
                &[2; 16],
                &vec![3; alg.block_size()],
                &[0x5A; SecureMessaging::MAX_SHORT_READ],
                0x9000,
                false,
            );
            assert!(resp.data.len() <= 256, "{alg:?}: {}", resp.data.len());
        }
    }

    #[test]
    fn aes_roundtrip_with_card_side() {
        for alg in [CipherAlg::Aes128, CipherAlg::Aes192, CipherAlg::Aes256] {
            let k_enc: Vec<u8> = (0..alg.key_len() as u8).collect();
            let k_mac: Vec<u8> = (0..alg.key_len() as u8).map(|b| b ^ 0xA5).collect();
            let mut ssc = vec![0u8; 16];
            let mut sm = SecureMessaging::new(alg, &k_enc, &k_mac, &ssc).unwrap();
            let cmd = Command::new(0, 0xA4, 2, 0x0C).with_data(vec![1, 0x1E]);
            let p = sm.wrap(&cmd).unwrap();
            // DO87 = 87 11 01 || one AES block encrypted under IV = E(KSenc, SSC=1).
            ssc[15] = 1;
            let iv = encrypt_block(alg, &k_enc, &ssc).unwrap();
            assert_eq!(&p.data[..3], &[0x87, 0x11, 0x01]);
            let plain = cbc_decrypt(alg, &k_enc, &iv, &p.data[3..19]).unwrap();
            assert_eq!(plain, pad(&[1, 0x1E], 16));
            // MAC = CMAC over pad(SSC || pad(header) || DO87), 16-byte padding.
            let n = [&ssc[..], &pad(&[0x0C, 0xA4, 2, 0x0C], 16), &p.data[..19]].concat();
            let cc = mac8(alg, &k_mac, &pad(&n, 16)).unwrap();
            assert_eq!(&p.data[19..], &[&[0x8E, 0x08][..], &cc].concat()[..]);

            ssc[15] = 2;
            let resp = card_wrap(alg, &k_enc, &k_mac, &ssc, b"hello world", 0x9000, false);
            let plain = sm.unwrap(&resp).unwrap();
            assert_eq!(plain.data, b"hello world");
            assert_eq!(plain.sw, StatusWord::SUCCESS);
            // Replaying the same response fails: the SSC moved on.
            assert_eq!(sm.unwrap(&resp), Err(SmError::MacMismatch));
        }
    }

    #[test]
    fn no_panic_on_arbitrary_responses() {
        use crate::crypto::rng::SeededRandom;
        let mut rng = SeededRandom::new(9303);
        let real = h(
            "871901FB9235F4E4037F2327DCC8964F1F9B8C30F42C8E2FFF224A990290008E08C8B2787EAEA07D74",
        );
        for i in 0..4000u64 {
            let mut data = match i % 4 {
                0 => {
                    let n = rng.below(300) as usize;
                    rng.bytes(n)
                }
                1 => real[..rng.below(real.len() as u64 + 1) as usize].to_vec(),
                2 => {
                    let mut d = real.clone();
                    let at = rng.below(d.len() as u64) as usize;
                    d[at] ^= 1 << rng.below(8);
                    d
                }
                _ => {
                    // Plausible DO shapes with random lengths.
                    let mut d = vec![[0x85, 0x87, 0x99, 0x8E][rng.below(4) as usize]];
                    let n = 1 + rng.below(40) as usize;
                    d.extend(rng.bytes(n));
                    d
                }
            };
            if i % 7 == 0 {
                let n = rng.below(4) as usize;
                data.extend(rng.bytes(n));
            }
            let sw = StatusWord(if i % 3 == 0 {
                0x9000
            } else {
                rng.below(0x10000) as u16
            });
            for alg in [CipherAlg::Tdes, CipherAlg::Aes128] {
                let mut sm = SecureMessaging::new(
                    alg,
                    &vec![7; alg.key_len()],
                    &vec![8; alg.key_len()],
                    &vec![0; alg.block_size()],
                )
                .unwrap();
                let _ = sm.unwrap(&Response::new(data.clone(), sw));
            }
            let mut sm = d4_session();
            sm.wrap(&Command::new(0, 0xB0, 0, 4).with_le(0x12)).unwrap();
            let _ = sm.unwrap(&Response::new(data, sw));
        }
    }
}
