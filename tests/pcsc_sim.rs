//! The simulated CCCD chip behind a real pcscd (vsmartcard vpcd): EF.CardAccess, BAC and
//! secure messaging by hand-made APDUs through libpcsclite, as a PC/SC application sees it.
//! Skips (loudly) where pcscd cannot run.
#![cfg(all(feature = "pcsc", feature = "sim", feature = "internals"))]

#[path = "common/pcscd.rs"]
mod pcscd;
#[path = "support/sim_reader.rs"]
mod support;

use cccd::crypto::cipher::{cbc_decrypt, cbc_encrypt};
use cccd::crypto::kdf::{bac_key_seed, kdf, ENC, MAC};
use cccd::crypto::mac::mac8;
use cccd::crypto::padding::pad;
use cccd::crypto::CipherAlg;
use cccd::sim::fs::{fid_dg, FID_CARD_ACCESS, FID_COM};
use cccd::sim::vpcd::{SessionEnd, ATR_EMRTD_EXTENDED_LENGTH, ATR_EMRTD_SHORT_LENGTH};
use cccd::sim::{Card, Profile};
use cccd::transport::pcsc::PcscTransport;
use cccd::transport::{Transport, TransportError};
use std::time::Duration;
use support::{sw, TestSm, AID};

const CARD_TIMEOUT: Duration = Duration::from_secs(10);

/// EF.CardAccess of real CCCDs (DESIGN.md §1): TA v1, CA ECDH AES-128 v1, PACE v2 ECDH-GM
/// AES-128 on parameter id 13 (brainpoolP256r1).
const REAL_CARD_ACCESS: &str = "3134300d060804007f0007020202020101300f060a04007f000702020302020201013012060a04007f0007020204020202010202010d";

fn transmit_hex(t: &mut PcscTransport, apdu: &str) -> Vec<u8> {
    t.transmit(&hex::decode(apdu).unwrap()).unwrap()
}

/// Reader-side BAC (ICAO 9303-11 §4.3) over PC/SC with a fixed RND.IFD and K.IFD; the
/// secure messaging afterwards is the simulator tests' independent [`TestSm`].
fn bac(t: &mut PcscTransport, mrz_information: &str) -> Result<TestSm, u16> {
    let seed = bac_key_seed(mrz_information.as_bytes());
    let k_enc = kdf(&seed, ENC, CipherAlg::Tdes);
    let k_mac = kdf(&seed, MAC, CipherAlg::Tdes);
    let r = t.transmit(&[0x00, 0x84, 0x00, 0x00, 0x08]).unwrap();
    if sw(&r) != 0x9000 {
        return Err(sw(&r));
    }
    let rnd_ic = r[..8].to_vec();
    let rnd_ifd = hex::decode("0123456789ABCDEF").unwrap();
    let k_ifd = hex::decode("00112233445566778899AABBCCDDEEFF").unwrap();
    let s = [rnd_ifd.clone(), rnd_ic.clone(), k_ifd.clone()].concat();
    let e_ifd = cbc_encrypt(CipherAlg::Tdes, &k_enc, &[0; 8], &s).unwrap();
    let m_ifd = mac8(CipherAlg::Tdes, &k_mac, &pad(&e_ifd, 8)).unwrap();
    let mut apdu = vec![0x00, 0x82, 0x00, 0x00, 0x28];
    apdu.extend_from_slice(&e_ifd);
    apdu.extend_from_slice(&m_ifd);
    apdu.push(0x28);
    let r = t.transmit(&apdu).unwrap();
    if sw(&r) != 0x9000 {
        return Err(sw(&r));
    }
    assert_eq!(r.len(), 42, "E.IC || M.IC || SW");
    let (e_ic, m_ic) = r[..40].split_at(32);
    assert_eq!(mac8(CipherAlg::Tdes, &k_mac, &pad(e_ic, 8)).unwrap(), m_ic);
    let plain = cbc_decrypt(CipherAlg::Tdes, &k_enc, &[0; 8], e_ic).unwrap();
    assert_eq!(&plain[..8], &rnd_ic[..], "RND.IC echoed");
    assert_eq!(&plain[8..16], &rnd_ifd[..], "RND.IFD echoed");
    let seed: Vec<u8> = k_ifd
        .iter()
        .zip(&plain[16..32])
        .map(|(a, b)| a ^ b)
        .collect();
    Ok(TestSm {
        alg: CipherAlg::Tdes,
        k_enc: kdf(&seed, ENC, CipherAlg::Tdes).to_vec(),
        k_mac: kdf(&seed, MAC, CipherAlg::Tdes).to_vec(),
        ssc: [&rnd_ic[4..], &rnd_ifd[4..]].concat(),
    })
}

/// SM-protected SELECT EF + READ BINARY from offset 0 in `chunk`-byte steps (extended APDUs
/// above 256), `limit` bytes at most.
fn read_protected(
    t: &mut PcscTransport,
    sm: &mut TestSm,
    fid: u16,
    chunk: usize,
    limit: usize,
) -> Vec<u8> {
    let apdu = sm.wrap([0x00, 0xA4, 0x02, 0x0C], &fid.to_be_bytes(), None, false);
    let (_, s) = sm.unwrap(&t.transmit(&apdu).unwrap());
    assert_eq!(s, 0x9000, "SELECT {fid:04X}");
    let mut out = Vec::new();
    let mut total = limit;
    while out.len() < total {
        let offset = out.len();
        let want = chunk.min(total - offset);
        let apdu = sm.wrap(
            [0x00, 0xB0, (offset >> 8) as u8, offset as u8],
            &[],
            Some(want),
            want > 256,
        );
        let (data, s) = sm.unwrap(&t.transmit(&apdu).unwrap());
        assert_eq!(s, 0x9000, "READ BINARY {fid:04X} at {offset}");
        assert!(!data.is_empty());
        out.extend_from_slice(&data);
        if offset == 0 {
            let len = cccd::tlv::total_len_from_header(&out).unwrap().unwrap();
            total = total.min(len);
        }
    }
    out
}

#[test]
fn card_access_and_bac_through_pcscd() {
    let Some(pcscd) = pcscd::start("card_access_and_bac_through_pcscd") else {
        return;
    };
    let card = Card::new(Profile::Cccd, 2024);
    let mrz_information = card.persona().mrz_information().to_string();
    let com = card.files().content(FID_COM).unwrap().to_vec();
    let dg1 = card.files().content(fid_dg(1)).unwrap().to_vec();
    let dg2 = card.files().content(fid_dg(2)).unwrap().to_vec();
    let inserted = pcscd.insert(card);

    let mut t = PcscTransport::wait_for_card(Some(&pcscd.reader_name()), CARD_TIMEOUT).unwrap();
    assert_eq!(t.atr(), ATR_EMRTD_EXTENDED_LENGTH);
    assert!(t.supports_extended_length());

    // EF.CardAccess before the applet, both ways a reader tries: READ BINARY with SFI 1C, and
    // SELECT by file identifier + READ BINARY.
    let r = transmit_hex(&mut t, "00B09C0000");
    assert_eq!(hex::encode(&r[..r.len() - 2]), REAL_CARD_ACCESS);
    assert_eq!(sw(&r), 0x9000);
    assert_eq!(
        transmit_hex(&mut t, &format!("00A4020C02{FID_CARD_ACCESS:04X}")),
        [0x90, 0x00]
    );
    let r = transmit_hex(&mut t, "00B0000000");
    assert_eq!(hex::encode(&r[..r.len() - 2]), REAL_CARD_ACCESS);

    // The applet, then BAC with a wrong key: 6300 (ICAO 9303-11 §4.3.4.1 fails at EXTERNAL
    // AUTHENTICATE).
    assert_eq!(transmit_hex(&mut t, AID), [0x90, 0x00]);
    assert_eq!(
        bac(&mut t, "000000000<0000000000000000").err(),
        Some(0x6300)
    );

    // The right key: a session; EF.COM (short reads), DG1, and DG2 with extended reads.
    let mut sm = bac(&mut t, &mrz_information).unwrap();
    assert_eq!(
        read_protected(&mut t, &mut sm, FID_COM, 0xDF, usize::MAX),
        com
    );
    assert_eq!(
        read_protected(&mut t, &mut sm, fid_dg(1), 0xDF, usize::MAX),
        dg1
    );
    let head = read_protected(&mut t, &mut sm, fid_dg(2), 0x1000, 0x7FFF);
    assert_eq!(head, dg2[..head.len()]);
    assert!(head.len() >= 0x1000, "several extended reads");

    // Unprotected DG1 is refused once the session is there (and the session ends).
    let r = transmit_hex(&mut t, "00B0810000");
    assert_ne!(sw(&r), 0x9000);
    drop(t);
    let (_card, end) = inserted.remove();
    assert_eq!(end, Ok(SessionEnd::Stopped));
}

#[test]
fn session_is_lost_with_the_card_and_reconnect_starts_afresh() {
    let Some(pcscd) = pcscd::start("session_is_lost_with_the_card_and_reconnect_starts_afresh")
    else {
        return;
    };
    let card = Card::new(Profile::Cccd, 7);
    let mrz_information = card.persona().mrz_information().to_string();
    let com = card.files().content(FID_COM).unwrap().to_vec();
    let inserted = pcscd.insert(card);
    let mut t = PcscTransport::wait_for_card(Some(&pcscd.reader_name()), CARD_TIMEOUT).unwrap();
    assert_eq!(transmit_hex(&mut t, AID), [0x90, 0x00]);
    let mut sm = bac(&mut t, &mrz_information).unwrap();
    assert_eq!(
        read_protected(&mut t, &mut sm, FID_COM, 0xDF, usize::MAX),
        com
    );

    // The tag leaves the field mid-session.
    let (card, _) = inserted.remove();
    assert!(!card.has_session(), "leaving the reader ends the session");
    let apdu = sm.wrap(
        [0x00, 0xA4, 0x02, 0x0C],
        &fid_dg(1).to_be_bytes(),
        None,
        false,
    );
    assert_eq!(t.transmit(&apdu), Err(TransportError::CardRemoved));
    assert!(pcscd.wait_card_state(false, CARD_TIMEOUT));

    // Back in the field: reconnect, the old keys no longer work, a new BAC does.
    let inserted = pcscd.insert(card);
    assert!(pcscd.wait_card_state(true, CARD_TIMEOUT));
    t.reconnect().unwrap();
    assert_eq!(transmit_hex(&mut t, AID), [0x90, 0x00]);
    let apdu = sm.wrap(
        [0x00, 0xA4, 0x02, 0x0C],
        &fid_dg(1).to_be_bytes(),
        None,
        false,
    );
    let r = t.transmit(&apdu).unwrap();
    assert_ne!(sw(&r), 0x9000, "no session survives the power cycle");
    let mut sm = bac(&mut t, &mrz_information).unwrap();
    assert_eq!(
        read_protected(&mut t, &mut sm, FID_COM, 0xDF, usize::MAX),
        com
    );
    drop(t);
    assert_eq!(inserted.remove().1, Ok(SessionEnd::Stopped));
}

#[test]
fn card_without_extended_length_shows_it_in_its_atr() {
    let Some(pcscd) = pcscd::start("card_without_extended_length_shows_it_in_its_atr") else {
        return;
    };
    let mut card = Card::new(Profile::Cccd, 3);
    card.options_mut().extended_length = false;
    let inserted = pcscd.insert(card);
    let mut t = PcscTransport::wait_for_card(Some(&pcscd.reader_name()), CARD_TIMEOUT).unwrap();
    assert_eq!(t.atr(), ATR_EMRTD_SHORT_LENGTH);
    assert!(!t.supports_extended_length());
    // An extended READ BINARY of EF.CardAccess is refused with 6700.
    assert_eq!(transmit_hex(&mut t, "00B09C00000100"), [0x67, 0x00]);
    drop(t);
    assert_eq!(inserted.remove().1, Ok(SessionEnd::Stopped));
}
