//! Test-only reader side for the simulator tests: a minimal BAC and secure messaging written
//! here, independently of both the simulator and the library's reader, so the card side is
//! checked against a third implementation (and against the ICAO worked example).
#![cfg(feature = "sim")]
#![allow(dead_code)]

use cccd::crypto::cipher::{cbc_decrypt, cbc_encrypt, encrypt_block};
use cccd::crypto::kdf::{bac_key_seed, kdf, ENC, MAC};
use cccd::crypto::mac::mac8;
use cccd::crypto::padding::{pad, unpad};
use cccd::crypto::CipherAlg;
use cccd::sim::Card;

pub const AID: &str = "00A4040C07A0000002471001";

pub fn sw(resp: &[u8]) -> u16 {
    let n = resp.len();
    assert!(n >= 2, "response without status word");
    u16::from_be_bytes([resp[n - 2], resp[n - 1]])
}

pub fn send(card: &mut Card, hex_apdu: &str) -> Vec<u8> {
    card.process(&hex::decode(hex_apdu.replace(' ', "")).unwrap())
}

/// Reader-side secure messaging.
pub struct TestSm {
    pub alg: CipherAlg,
    pub k_enc: Vec<u8>,
    pub k_mac: Vec<u8>,
    pub ssc: Vec<u8>,
}

fn tlv(tag: u8, value: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    match value.len() {
        n @ 0..=0x7F => out.push(n as u8),
        n @ 0x80..=0xFF => out.extend_from_slice(&[0x81, n as u8]),
        n => out.extend_from_slice(&[0x82, (n >> 8) as u8, n as u8]),
    }
    out.extend_from_slice(value);
    out
}

impl TestSm {
    fn inc(&mut self) {
        for b in self.ssc.iter_mut().rev() {
            *b = b.wrapping_add(1);
            if *b != 0 {
                break;
            }
        }
    }

    fn iv(&self) -> Vec<u8> {
        match self.alg {
            CipherAlg::Tdes => vec![0; 8],
            _ => encrypt_block(self.alg, &self.k_enc, &self.ssc).unwrap(),
        }
    }

    fn mac(&self, m: &[u8]) -> [u8; 8] {
        let mut n = self.ssc.clone();
        n.extend_from_slice(m);
        mac8(self.alg, &self.k_mac, &pad(&n, self.alg.block_size())).unwrap()
    }

    /// Protects a command; `extended` forces extended Lc/Le.
    pub fn wrap(
        &mut self,
        header: [u8; 4],
        data: &[u8],
        le: Option<usize>,
        extended: bool,
    ) -> Vec<u8> {
        self.inc();
        let bs = self.alg.block_size();
        let cla = header[0] | 0x0C;
        let mut dos = Vec::new();
        if !data.is_empty() {
            let ct = cbc_encrypt(self.alg, &self.k_enc, &self.iv(), &pad(data, bs)).unwrap();
            let mut v = vec![1];
            v.extend_from_slice(&ct);
            dos.extend_from_slice(&tlv(0x87, &v));
        }
        if let Some(le) = le {
            let v = if extended || le > 256 {
                vec![(le >> 8) as u8, le as u8]
            } else {
                vec![le as u8]
            };
            dos.extend_from_slice(&tlv(0x97, &v));
        }
        let mut m = pad(&[cla, header[1], header[2], header[3]], bs);
        m.extend_from_slice(&dos);
        let mac = self.mac(&m);
        dos.extend_from_slice(&tlv(0x8E, &mac));
        let mut apdu = vec![cla, header[1], header[2], header[3]];
        if extended {
            apdu.extend_from_slice(&[0, (dos.len() >> 8) as u8, dos.len() as u8]);
            apdu.extend_from_slice(&dos);
            apdu.extend_from_slice(&[0, 0]);
        } else {
            apdu.push(dos.len() as u8);
            apdu.extend_from_slice(&dos);
            apdu.push(0);
        }
        apdu
    }

    /// Checks and decrypts a protected response; returns (data, SW from DO99).
    pub fn unwrap(&mut self, resp: &[u8]) -> (Vec<u8>, u16) {
        self.inc();
        let body = &resp[..resp.len() - 2];
        let mut i = 0;
        let mut data = Vec::new();
        let mut sw = None;
        let mut authenticated = Vec::new();
        while i < body.len() {
            let tag = body[i];
            let (len, hdr) = match body[i + 1] {
                n @ 0..=0x7F => (n as usize, 2),
                0x81 => (body[i + 2] as usize, 3),
                0x82 => (((body[i + 2] as usize) << 8) | body[i + 3] as usize, 4),
                _ => panic!("bad length"),
            };
            let value = &body[i + hdr..i + hdr + len];
            let raw = &body[i..i + hdr + len];
            match tag {
                0x87 => {
                    authenticated.extend_from_slice(raw);
                    assert_eq!(value[0], 1);
                    let plain =
                        cbc_decrypt(self.alg, &self.k_enc, &self.iv(), &value[1..]).unwrap();
                    data = unpad(&plain).unwrap().to_vec();
                }
                0x99 => {
                    authenticated.extend_from_slice(raw);
                    sw = Some(u16::from_be_bytes([value[0], value[1]]));
                }
                0x8E => assert_eq!(value, self.mac(&authenticated), "response MAC"),
                t => panic!("unexpected DO {t:02X}"),
            }
            i += hdr + len;
        }
        (data, sw.expect("DO99"))
    }
}

/// Reader-side BAC against `card` (applet already selected) with a fixed RND.IFD and K.IFD.
pub fn bac(card: &mut Card, mrz_information: &str) -> Result<TestSm, u16> {
    let seed = bac_key_seed(mrz_information.as_bytes());
    let k_enc = kdf(&seed, ENC, CipherAlg::Tdes);
    let k_mac = kdf(&seed, MAC, CipherAlg::Tdes);
    let r = card.process(&[0x00, 0x84, 0x00, 0x00, 0x08]);
    if sw(&r) != 0x9000 {
        return Err(sw(&r));
    }
    let rnd_ic = r[..8].to_vec();
    let rnd_ifd = hex::decode("0123456789ABCDEF").unwrap();
    let k_ifd = hex::decode("00112233445566778899AABBCCDDEEFF").unwrap();
    let s = [rnd_ifd.clone(), rnd_ic.clone(), k_ifd.clone()].concat();
    let e = cbc_encrypt(CipherAlg::Tdes, &k_enc, &[0; 8], &s).unwrap();
    let m = mac8(CipherAlg::Tdes, &k_mac, &pad(&e, 8)).unwrap();
    let mut apdu = vec![0x00, 0x82, 0x00, 0x00, 0x28];
    apdu.extend_from_slice(&e);
    apdu.extend_from_slice(&m);
    apdu.push(0x28);
    let r = card.process(&apdu);
    if sw(&r) != 0x9000 {
        return Err(sw(&r));
    }
    let (e_ic, m_ic) = r[..40].split_at(32);
    assert_eq!(mac8(CipherAlg::Tdes, &k_mac, &pad(e_ic, 8)).unwrap(), m_ic);
    let rr = cbc_decrypt(CipherAlg::Tdes, &k_enc, &[0; 8], e_ic).unwrap();
    assert_eq!(&rr[..8], &rnd_ic[..]);
    assert_eq!(&rr[8..16], &rnd_ifd[..]);
    let seed: Vec<u8> = k_ifd.iter().zip(&rr[16..32]).map(|(a, b)| a ^ b).collect();
    Ok(TestSm {
        alg: CipherAlg::Tdes,
        k_enc: kdf(&seed, ENC, CipherAlg::Tdes).to_vec(),
        k_mac: kdf(&seed, MAC, CipherAlg::Tdes).to_vec(),
        ssc: [&rnd_ic[4..], &rnd_ifd[4..]].concat(),
    })
}

/// Reads a whole file through SM by SELECT + READ BINARY in `chunk`-byte steps.
pub fn read_file(card: &mut Card, sm: &mut TestSm, fid: u16, chunk: usize) -> Result<Vec<u8>, u16> {
    let apdu = sm.wrap([0, 0xA4, 0x02, 0x0C], &fid.to_be_bytes(), None, false);
    let (_, s) = sm.unwrap(&card.process(&apdu));
    if s != 0x9000 {
        return Err(s);
    }
    let mut out = Vec::new();
    let mut total = None;
    loop {
        let offset = out.len();
        if total.is_some_and(|t| offset >= t) {
            break;
        }
        let want = total.map_or(chunk, |t: usize| chunk.min(t - offset));
        let apdu = if offset > 0x7FFF {
            let off = [(offset >> 16) as u8, (offset >> 8) as u8, offset as u8];
            let data = tlv(0x54, &off);
            sm.wrap([0, 0xB1, 0, 0], &data, Some(want), want > 256)
        } else {
            sm.wrap(
                [0, 0xB0, (offset >> 8) as u8, offset as u8],
                &[],
                Some(want),
                want > 256,
            )
        };
        let (data, s) = sm.unwrap(&card.process(&apdu));
        if s != 0x9000 {
            return Err(s);
        }
        let data = if offset > 0x7FFF {
            // DO53 wrapper.
            let (len, hdr) = match data[1] {
                n @ 0..=0x7F => (n as usize, 2),
                0x81 => (data[2] as usize, 3),
                _ => (((data[2] as usize) << 8) | data[3] as usize, 4),
            };
            assert_eq!(data[0], 0x53);
            data[hdr..hdr + len].to_vec()
        } else {
            data
        };
        assert!(!data.is_empty());
        out.extend_from_slice(&data);
        if total.is_none() {
            total = Some(cccd::tlv::total_len_from_header(&out).unwrap().unwrap());
        }
    }
    Ok(out)
}
