//! The simulator's card-side PACE: ICAO 9303-11 Appendices G.1, G.2, H.1, H.2 and I.1 byte for
//! byte, then a test-only terminal (written here, apart from both the simulator and the
//! library's reader) against every configuration, wrong passwords, garbled and out-of-order
//! commands.
#![cfg(all(feature = "sim", feature = "internals"))]

use crate::parallel;
use crate::sim_reader as support;

use cccd::apdu::Command;
use cccd::crypto::cipher::{cbc_decrypt, cbc_encrypt, encrypt_block};
use cccd::crypto::dh::DhGroup;
use cccd::crypto::ec::{Curve, FieldElement, NamedCurve, Point, PrimeField};
use cccd::crypto::kdf::{kdf, ENC, MAC, PACE};
use cccd::crypto::mac::mac8;
use cccd::crypto::padding::{pad, unpad};
use cccd::crypto::rng::{FixedRandom, SeededRandom};
use cccd::crypto::CipherAlg;
use cccd::sim::fs::{FID_CARD_ACCESS, FID_COM};
use cccd::sim::keys::{CardKeys, ChipAuthenticationKey};
use cccd::sim::{Card, CardOptions, Mapping, PaceConfig, PacePassword, Profile};
use crypto_bigint::{BoxedUint, NonZero};
use serde_json::Value;
use sha1::{Digest, Sha1};
use support::{read_file, sw, TestSm};

const AID: [u8; 7] = [0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01];

fn vectors() -> Vec<Value> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/test-vectors/sim-pace-icao9303-11.json"
    );
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    v["vectors"].as_array().unwrap().clone()
}

fn hx(v: &Value, key: &str) -> Vec<u8> {
    hex::decode(v[key].as_str().unwrap()).unwrap()
}

fn config_of(v: &Value) -> PaceConfig {
    let mapping = match v["mapping"].as_str().unwrap() {
        "generic" => Mapping::Generic,
        "integrated" => Mapping::Integrated,
        _ => Mapping::ChipAuthentication,
    };
    let id = u8::try_from(v["parameter_id"].as_u64().unwrap()).unwrap();
    PaceConfig::new(id, mapping, CipherAlg::Aes128).unwrap()
}

/// A card replaying a worked example's chip: its configuration, password and random values.
fn example_card(v: &Value) -> Card {
    let mut options = CardOptions::default();
    options.pace = Some(config_of(v));
    let mut card = Card::with_options(Profile::Cccd, 1, options)
        .with_random(Box::new(FixedRandom::new(hx(v, "chip_random"))));
    if let Some(mrz) = v["mrz_information"].as_str() {
        card = card.with_mrz_information(mrz);
    } else {
        card = card.with_pace_key(PacePassword::Mrz, &hx(v, "k_pi"));
    }
    if v.get("chip_ca_private_key").is_some() {
        let curve = NamedCurve::BrainpoolP256r1.curve();
        let ca =
            ChipAuthenticationKey::from_private(curve, &hx(v, "chip_ca_private_key"), Some(13))
                .unwrap();
        // The derived SK_IC must give the printed PK_IC.
        assert_eq!(
            curve.encode_point(ca.public_key()),
            hx(v, "chip_ca_public_key")
        );
        let keys = CardKeys {
            chip_authentication: ca,
            active_authentication: card.keys().active_authentication.clone(),
        };
        card = card.with_keys(keys);
    }
    card
}

#[test]
fn icao_worked_examples_byte_for_byte() {
    for v in vectors() {
        let name = v["name"].as_str().unwrap();
        // The password data printed with the example (where there is a password).
        if let Some(mrz) = v["mrz_information"].as_str() {
            let k = Sha1::digest(mrz.as_bytes()).to_vec();
            assert_eq!(k, hx(&v, "k"), "{name}: K");
            assert_eq!(
                *kdf(&k, PACE, CipherAlg::Aes128),
                hx(&v, "k_pi"),
                "{name}: K_pi"
            );
        }
        // The example's PACEInfo is what our EF.CardAccess encoder writes for it.
        if v.get("pace_info").is_some() {
            let ca = cccd::sim::card_access::encode(&config_of(&v));
            let info = hx(&v, "pace_info");
            assert!(
                ca.windows(info.len()).any(|w| w == info.as_slice()),
                "{name}: PACEInfo"
            );
        }
        let mut card = example_card(&v);
        for ex in v["exchanges"].as_array().unwrap() {
            let cmd = hex::decode(ex["command"].as_str().unwrap()).unwrap();
            let r = card.process(&cmd);
            assert_eq!(
                hex::encode_upper(r),
                ex["response"].as_str().unwrap(),
                "{name}: {}",
                ex["comment"]
            );
        }
        assert!(card.has_session(), "{name}");
        // The session is the example's: a reader with its printed keys reads EF.COM.
        let mut sm = TestSm {
            alg: CipherAlg::Aes128,
            k_enc: hx(&v, "ks_enc"),
            k_mac: hx(&v, "ks_mac"),
            ssc: vec![0; 16],
        };
        select_applet(&mut card, &mut sm).unwrap();
        let com = read_file(&mut card, &mut sm, FID_COM, 0xDF).unwrap();
        assert_eq!(Some(&com[..]), card.files().content(FID_COM), "{name}");
    }
}

fn select_applet(card: &mut Card, sm: &mut TestSm) -> Result<(), u16> {
    let apdu = sm.wrap([0, 0xA4, 0x04, 0x0C], &AID, None, false);
    match sm.unwrap(&card.process(&apdu)) {
        (_, 0x9000) => Ok(()),
        (_, s) => Err(s),
    }
}

// ---------------------------------------------------------------------------------------------
// A test-only terminal.

/// Domain parameters on the terminal's side.
#[derive(Clone)]
enum TGroup {
    Ec(&'static Curve, Point),
    Dh(DhGroup),
}

impl TGroup {
    fn standard(id: u8) -> Self {
        if id <= 2 {
            TGroup::Dh(DhGroup::from_pace_id(id).unwrap())
        } else {
            let c = NamedCurve::from_pace_id(id).unwrap().curve();
            TGroup::Ec(c, c.generator())
        }
    }

    fn field(&self) -> &PrimeField {
        match self {
            TGroup::Ec(c, _) => c.field(),
            TGroup::Dh(g) => g.field(),
        }
    }

    /// (private, public) with a private key reduced from random bytes (a different method
    /// from the card's rejection sampling).
    fn keypair(&self, rng: &mut SeededRandom) -> (Vec<u8>, Vec<u8>) {
        match self {
            TGroup::Ec(c, g) => {
                let d = c.scalar_field().reduce(&rng.bytes(c.order_size() + 8));
                let d = c.scalar_field().to_bytes(&d);
                let p = c.mul(&d, g);
                (d, c.encode_point(&p))
            }
            TGroup::Dh(g) => {
                let q = g.q().unwrap();
                let qf = PrimeField::new(q).unwrap();
                let x = qf.to_bytes(&qf.reduce(&rng.bytes(q.len() + 8)));
                let y = g.pow_mod(g.g(), &x).unwrap();
                (x, y)
            }
        }
    }

    fn agree(&self, sk: &[u8], peer: &[u8]) -> Vec<u8> {
        match self {
            TGroup::Ec(c, _) => c.ecdh(sk, &c.decode_point(peer).unwrap()).unwrap().to_vec(),
            TGroup::Dh(g) => g.shared_secret(sk, peer).unwrap().to_vec(),
        }
    }

    fn token_tag(&self) -> u8 {
        match self {
            TGroup::Ec(..) => 0x86,
            TGroup::Dh(_) => 0x84,
        }
    }
}

fn tlv(tag: &[u8], value: &[u8]) -> Vec<u8> {
    let mut out = tag.to_vec();
    match value.len() {
        n @ 0..=0x7F => out.push(n as u8),
        n @ 0x80..=0xFF => out.extend_from_slice(&[0x81, n as u8]),
        n => out.extend_from_slice(&[0x82, (n >> 8) as u8, n as u8]),
    }
    out.extend_from_slice(value);
    out
}

/// The value of `tag` inside a `7C` response (panics on anything else: it is a test).
fn field(resp: &[u8], tag: u8) -> Vec<u8> {
    let body = &resp[..resp.len() - 2];
    let outer = cccd::tlv::parse_single(body).unwrap();
    assert_eq!(outer.tag, cccd::tlv::Tag(0x7C));
    let mut r = outer.children();
    while !r.is_empty() {
        let t = r.read().unwrap();
        if t.tag == cccd::tlv::Tag(u32::from(tag)) {
            return t.value.to_vec();
        }
    }
    panic!("no {tag:02X} in response");
}

fn ga(chained: bool, inner: &[u8]) -> Vec<u8> {
    let data = tlv(&[0x7C], inner);
    let extended = data.len() > 255;
    Command::new(if chained { 0x10 } else { 0x00 }, 0x86, 0, 0)
        .with_data(data)
        .with_le(if extended { 65_536 } else { 256 })
        .with_extended(extended)
        .to_bytes()
        .unwrap()
}

fn mse(oid: &[u8], password: u8, id: Option<u8>) -> Vec<u8> {
    let mut data = tlv(&[0x80], oid);
    data.extend_from_slice(&tlv(&[0x83], &[password]));
    if let Some(id) = id {
        data.extend_from_slice(&tlv(&[0x84], &[id]));
    }
    Command::new(0x00, 0x22, 0xC1, 0xA4)
        .with_data(data)
        .to_bytes()
        .unwrap()
}

/// R_p(s, t), ICAO 9303-11 §4.4.3.3.2 (terminal's own version).
fn prf(alg: CipherAlg, s: &[u8], t: &[u8], field: &PrimeField) -> FieldElement {
    let (c0, c1) = match alg {
        CipherAlg::Tdes | CipherAlg::Aes128 => (
            hex::decode("a668892a7c41e3ca739f40b057d85904").unwrap(),
            hex::decode("a4e136ac725f738b01c1f60217c188ad").unwrap(),
        ),
        _ => (
            hex::decode("d463d65234124ef7897054986dca0a174e28df758cbaa03f240616414d5a1676")
                .unwrap(),
            hex::decode("54bd7255f0aaf831bec3423fcf39d69b6cbf066677d0faae5aadd99df8e53517")
                .unwrap(),
        ),
    };
    let p_bits = BoxedUint::from_be_slice_vartime(&field.modulus_bytes()).bit_width() as usize;
    let n = (p_bits + 64).div_ceil(c0.len() * 8);
    let iv = vec![0; alg.block_size()];
    let mut k = cbc_encrypt(alg, t, &iv, s).unwrap();
    let mut out = Vec::new();
    for _ in 0..n {
        k.truncate(alg.key_len());
        out.extend(cbc_encrypt(alg, &k, &iv, &c1).unwrap());
        k = cbc_encrypt(alg, &k, &iv, &c0).unwrap();
    }
    field.reduce(&out)
}

fn big(v: &[u8]) -> BoxedUint {
    BoxedUint::from_be_slice_vartime(&[&[0u8; 8][..], v].concat())
}

/// Integrated Mapping on the terminal's side: f_G by ICAO 9303-11 Appendix B.1 (the
/// high-level description: x from the "simplified SWU" candidates, y = sqrt), f_g = x^((p−1)/q).
fn integrated_map(group: &TGroup, x: &FieldElement) -> TGroup {
    match group {
        TGroup::Ec(c, _) => {
            let f = c.field();
            let a = f.element(c.a()).unwrap();
            let b = f.element(c.b()).unwrap();
            let alpha = x.square().neg();
            let aa = alpha.square().add(&alpha);
            let x2 = b
                .neg()
                .mul(&f.one().add(&aa))
                .mul(&a.mul(&aa).invert().unwrap());
            let x3 = alpha.mul(&x2);
            let h2 = x2.square().mul(&x2).add(&a.mul(&x2)).add(&b);
            // h2 a square: (X2, sqrt(h2)) — the root A·h2 of Appendix B.2 is x^((p+1)/4);
            // otherwise (X3, t³·h2·h2^(−(p+1)/4)).
            let (px, y) = if f.is_square(&h2) {
                (x2.clone(), f.sqrt(&h2).unwrap())
            } else {
                let e = big(&f.modulus_bytes())
                    .wrapping_add(BoxedUint::one())
                    .shr(2)
                    .to_be_bytes();
                let a_ = h2.pow(&e).invert().unwrap();
                (x3, a_.mul(&x.square().mul(x)).mul(&h2))
            };
            let g = c
                .point_from_affine(&f.to_bytes(&px), &f.to_bytes(&y))
                .unwrap();
            TGroup::Ec(c, g)
        }
        TGroup::Dh(g) => {
            let f = g.field();
            let p = big(&f.modulus_bytes());
            let q = Option::<NonZero<BoxedUint>>::from(big(g.q().unwrap()).to_nz()).unwrap();
            let a = p.wrapping_sub(BoxedUint::one()).wrapping_div_vartime(&q);
            let mapped = x.pow(&a.to_be_bytes());
            assert!(mapped != f.one());
            TGroup::Dh(g.with_generator(&f.to_bytes(&mapped)).unwrap())
        }
    }
}

/// Runs PACE as a terminal; returns the SM session, or the failing status word.
fn terminal_pace(
    card: &mut Card,
    config: PaceConfig,
    password: u8,
    key: &[u8],
    rng: &mut SeededRandom,
) -> Result<TestSm, u16> {
    let alg = config.cipher();
    let oid = config.oid();
    let check = |r: &[u8]| if sw(r) == 0x9000 { Ok(()) } else { Err(sw(r)) };
    check(&card.process(&mse(&oid, password, Some(config.parameter_id()))))?;
    // 1. Encrypted nonce.
    let r = card.process(&ga(true, &[]));
    check(&r)?;
    let z = field(&r, 0x80);
    let k_pi = kdf(key, PACE, alg);
    let s = cbc_decrypt(alg, &k_pi, &vec![0; alg.block_size()], &z).unwrap();
    // 2. Mapping.
    let group = TGroup::standard(config.parameter_id());
    let (mapped, pk_map_ic, sk_map_ifd) = match config.mapping() {
        Mapping::Integrated => {
            let t = rng.bytes(alg.key_len());
            let r = card.process(&ga(true, &tlv(&[0x81], &t)));
            check(&r)?;
            assert!(field(&r, 0x82).is_empty());
            let x = prf(alg, &s, &t, group.field());
            (integrated_map(&group, &x), None, None)
        }
        _ => {
            let (sk, pk) = group.keypair(rng);
            let r = card.process(&ga(true, &tlv(&[0x81], &pk)));
            check(&r)?;
            let pk_ic = field(&r, 0x82);
            let mapped = match &group {
                TGroup::Ec(c, g) => {
                    let h = c.mul(&sk, &c.decode_point(&pk_ic).unwrap());
                    TGroup::Ec(c, c.add(&c.mul(&s, g), &h))
                }
                TGroup::Dh(g) => {
                    let h = g.shared_secret(&sk, &pk_ic).unwrap();
                    let gs = g.pow_mod(g.g(), &s).unwrap();
                    TGroup::Dh(g.with_generator(&g.mul_mod(&gs, &h).unwrap()).unwrap())
                }
            };
            (mapped, Some(pk_ic), Some(sk))
        }
    };
    let _ = sk_map_ifd;
    // 3. Key agreement.
    let (sk, pk) = mapped.keypair(rng);
    let r = card.process(&ga(true, &tlv(&[0x83], &pk)));
    check(&r)?;
    let pk_ic = field(&r, 0x84);
    assert_ne!(pk_ic, pk);
    let k = mapped.agree(&sk, &pk_ic);
    let (k_enc, k_mac) = (kdf(&k, ENC, alg).to_vec(), kdf(&k, MAC, alg).to_vec());
    // 4. Tokens.
    let token = |public: &[u8]| {
        let mut body = tlv(&[0x06], &oid);
        body.extend_from_slice(&tlv(&[mapped.token_tag()], public));
        let input = tlv(&[0x7F, 0x49], &body);
        let input = if alg == CipherAlg::Tdes {
            pad(&input, 8)
        } else {
            input
        };
        mac8(alg, &k_mac, &input).unwrap()
    };
    let r = card.process(&ga(false, &tlv(&[0x85], &token(&pk_ic))));
    check(&r)?;
    assert_eq!(field(&r, 0x86), token(&pk), "T_IC");
    if config.mapping() == Mapping::ChipAuthentication {
        let a_ic = field(&r, 0x8A);
        let iv = encrypt_block(alg, &k_enc, &[0xFF; 16]).unwrap();
        let ca = cbc_decrypt(alg, &k_enc, &iv, &a_ic).unwrap();
        let ca = unpad(&ca).unwrap().to_vec();
        let TGroup::Ec(c, _) = &group else { panic!() };
        assert_eq!(ca.len(), c.order_size());
        let key = card.chip_authentication_key();
        // PK_Map,IC = KA(CA_IC, PK_IC) (ICAO 9303-11 §4.4.3.5.2).
        let expected = c.encode_point(&c.mul(&ca, key.public_key()));
        assert_eq!(Some(expected), pk_map_ic, "CAM");
    }
    Ok(TestSm {
        alg,
        k_enc,
        k_mac,
        ssc: vec![0; alg.block_size()],
    })
}

fn card_with(config: PaceConfig, seed: u64) -> Card {
    let mut options = CardOptions::default();
    options.pace = Some(config);
    Card::with_options(Profile::Cccd, seed, options)
}

fn passwords(card: &Card) -> [(u8, Vec<u8>); 2] {
    let mrz = card.persona().mrz_information();
    [
        (0x02, card.persona().can().as_bytes().to_vec()),
        (0x01, Sha1::digest(mrz.as_bytes()).to_vec()),
    ]
}

#[test]
fn every_configuration_with_can_and_mrz_then_ef_com() {
    let configs = PaceConfig::all();
    // ids 0-2: GM, IM × 4 ciphers; ids 8-18: GM, IM, CAM (AES), no IM on P-224.
    assert_eq!(configs.len(), 3 * 8 + 10 * 11 + 7);
    parallel::on_every_core(&configs, |i, &config| {
        let mut rng = SeededRandom::new(9303 + i as u64);
        let mut card = card_with(config, i as u64);
        assert_eq!(card.pace_config(), Some(config));
        // EF.CardAccess announces the configuration.
        let ca = card.files().content(FID_CARD_ACCESS).unwrap().to_vec();
        assert!(ca.windows(10).any(|w| w == config.oid()), "{config}");
        for (password, key) in passwords(&card) {
            // A plain command would only end the previous session (6987): power-cycle.
            card.reset();
            let mut sm = terminal_pace(&mut card, config, password, &key, &mut rng)
                .unwrap_or_else(|e| panic!("{config} password {password}: {e:04X}"));
            select_applet(&mut card, &mut sm).unwrap();
            let com = read_file(&mut card, &mut sm, FID_COM, 0xDF).unwrap();
            assert_eq!(Some(&com[..]), card.files().content(FID_COM), "{config}");
        }
    });
}

#[test]
fn default_card_is_the_real_cccd() {
    let mut card = Card::new(Profile::Cccd, 5);
    assert_eq!(card.pace_config(), Some(PaceConfig::CCCD));
    assert_eq!(
        card.files().content(FID_CARD_ACCESS).unwrap(),
        cccd::sim::files::CCCD_CARD_ACCESS
    );
    assert_eq!(
        cccd::sim::card_access::encode(&PaceConfig::CCCD),
        cccd::sim::files::CCCD_CARD_ACCESS
    );
    let mut rng = SeededRandom::new(1);
    for (password, key) in passwords(&card) {
        card.reset();
        let mut sm = terminal_pace(&mut card, PaceConfig::CCCD, password, &key, &mut rng).unwrap();
        select_applet(&mut card, &mut sm).unwrap();
    }
    // BAC still works on the default card.
    card.reset();
    support::send(&mut card, support::AID);
    let mrz = card.persona().mrz_information();
    assert!(support::bac(&mut card, &mrz).is_ok());
}

#[test]
fn bac_can_be_switched_off() {
    let mut options = CardOptions::default();
    options.bac = false;
    let mut card = Card::with_options(Profile::Cccd, 3, options);
    support::send(&mut card, support::AID);
    let mrz = card.persona().mrz_information();
    assert_eq!(support::bac(&mut card, &mrz).err(), Some(0x6985));
    let mut rng = SeededRandom::new(2);
    let [(pw, key), _] = passwords(&card);
    assert!(terminal_pace(&mut card, PaceConfig::CCCD, pw, &key, &mut rng).is_ok());
}

#[test]
fn no_pace_means_no_card_access() {
    let mut options = CardOptions::default();
    options.pace = None;
    let mut card = Card::with_options(Profile::Cccd, 3, options);
    assert!(card.files().content(FID_CARD_ACCESS).is_none());
    assert_eq!(
        sw(&card.process(&mse(&PaceConfig::CCCD.oid(), 2, None))),
        0x6A80
    );
}

#[test]
fn wrong_passwords_get_6300_and_no_session() {
    let mut rng = SeededRandom::new(7);
    for config in [
        PaceConfig::CCCD,
        PaceConfig::new(0, Mapping::Generic, CipherAlg::Tdes).unwrap(),
        PaceConfig::new(12, Mapping::Integrated, CipherAlg::Aes256).unwrap(),
        PaceConfig::new(17, Mapping::ChipAuthentication, CipherAlg::Aes192).unwrap(),
    ] {
        let mut card = card_with(config, 11);
        let can = card.persona().can().to_string();
        let mut wrong = can.clone().into_bytes();
        wrong[5] = if wrong[5] == b'9' { b'0' } else { wrong[5] + 1 };
        assert_eq!(
            terminal_pace(&mut card, config, 0x02, &wrong, &mut rng).err(),
            Some(0x6300),
            "{config}"
        );
        assert!(!card.has_session());
        // The wrong MRZ: a wrong check digit is a different password.
        let mrz = card.persona().mrz_information();
        let mut bad = mrz.to_string().into_bytes();
        bad[9] = if bad[9] == b'9' { b'0' } else { bad[9] + 1 };
        let k = Sha1::digest(&bad).to_vec();
        assert_eq!(
            terminal_pace(&mut card, config, 0x01, &k, &mut rng).err(),
            Some(0x6300)
        );
        // The run is over: another token is out of order.
        assert_eq!(
            sw(&card.process(&ga(false, &tlv(&[0x85], &[0; 8])))),
            0x6985
        );
        // The right CAN still works afterwards.
        assert!(terminal_pace(&mut card, config, 0x02, can.as_bytes(), &mut rng).is_ok());
    }
}

#[test]
fn out_of_order_steps_get_6985() {
    let mut card = Card::new(Profile::Cccd, 2);
    let oid = PaceConfig::CCCD.oid();
    // No MSE:Set AT.
    assert_eq!(sw(&card.process(&ga(true, &[]))), 0x6985);
    let key_step = tlv(&[0x83], &[0x04; 65]);
    let steps: [Vec<u8>; 4] = [
        ga(true, &[]),
        ga(true, &tlv(&[0x81], &[0x04; 65])),
        ga(true, &key_step),
        ga(false, &tlv(&[0x85], &[0; 8])),
    ];
    for (i, step) in steps.iter().enumerate().skip(1) {
        assert_eq!(sw(&card.process(&mse(&oid, 2, None))), 0x9000);
        assert_eq!(sw(&card.process(step)), 0x6985, "step {} first", i + 1);
    }
    // Step 1 not chained, step 1 twice.
    assert_eq!(sw(&card.process(&mse(&oid, 2, None))), 0x9000);
    assert_eq!(sw(&card.process(&ga(false, &[]))), 0x6985);
    assert_eq!(sw(&card.process(&mse(&oid, 2, None))), 0x9000);
    assert_eq!(sw(&card.process(&steps[0])), 0x9000);
    assert_eq!(sw(&card.process(&steps[0])), 0x6985);
    // Another command in the middle ends the run.
    assert_eq!(sw(&card.process(&mse(&oid, 2, None))), 0x9000);
    assert_eq!(sw(&card.process(&steps[0])), 0x9000);
    support::send(&mut card, support::AID);
    assert_eq!(sw(&card.process(&steps[1])), 0x6985);
    // Chaining on anything else than GENERAL AUTHENTICATE.
    assert_eq!(
        sw(&support::send(&mut card, "10A4040C07A0000002471001")),
        0x6884
    );
}

#[test]
fn mse_set_at_errors() {
    let mut card = Card::new(Profile::Cccd, 2);
    let oid = PaceConfig::CCCD.oid();
    // Another protocol, another parameter id, a PIN, a missing password.
    let im = PaceConfig::new(13, Mapping::Integrated, CipherAlg::Aes128)
        .unwrap()
        .oid();
    assert_eq!(sw(&card.process(&mse(&im, 2, None))), 0x6A80);
    assert_eq!(sw(&card.process(&mse(&oid, 2, Some(12)))), 0x6A80);
    assert_eq!(sw(&card.process(&mse(&oid, 3, None))), 0x6A88);
    assert_eq!(
        sw(&support::send(
            &mut card,
            "0022C1A40C800A04007F00070202040202"
        )),
        0x6A80
    );
    assert_eq!(sw(&support::send(&mut card, "0022C1A403830101")), 0x6A80);
    assert_eq!(sw(&card.process(&mse(&oid, 1, Some(13)))), 0x9000);
    // CAM chips accept Generic Mapping too.
    let cam = PaceConfig::new(13, Mapping::ChipAuthentication, CipherAlg::Aes128).unwrap();
    let mut card = card_with(cam, 2);
    let mut gm = cam.oid();
    gm[8] = 2;
    assert_eq!(sw(&card.process(&mse(&gm, 2, None))), 0x9000);
    let mut rng = SeededRandom::new(3);
    let [(pw, key), _] = passwords(&card);
    let gm_config = PaceConfig::new(13, Mapping::Generic, CipherAlg::Aes128).unwrap();
    assert!(terminal_pace(&mut card, gm_config, pw, &key, &mut rng).is_ok());
}

#[test]
fn bad_terminal_keys_get_6a80() {
    let v = vectors().into_iter().find(|v| v["name"] == "G.1").unwrap();
    let ex = v["exchanges"].as_array().unwrap();
    let cmd = |i: usize| hex::decode(ex[i]["command"].as_str().unwrap()).unwrap();
    let run_to = |n: usize| {
        let mut card = example_card(&v);
        for i in 0..n {
            assert_eq!(sw(&card.process(&cmd(i))), 0x9000);
        }
        card
    };
    // The chip's own ephemeral key sent back as the terminal's.
    let mut card = run_to(3);
    let own = field(
        &hex::decode(ex[3]["response"].as_str().unwrap()).unwrap(),
        0x84,
    );
    assert_eq!(sw(&card.process(&ga(true, &tlv(&[0x83], &own)))), 0x6A80);
    // A point off the curve (y + 1), a compressed point, the wrong length, infinity.
    let mut off = cmd(3);
    let n = off.len();
    off[n - 2] ^= 1;
    for bad in [
        off,
        ga(
            true,
            &tlv(
                &[0x83],
                &own[..33]
                    .iter()
                    .enumerate()
                    .map(|(i, b)| if i == 0 { 0x02 } else { *b })
                    .collect::<Vec<_>>(),
            ),
        ),
        ga(true, &tlv(&[0x83], &own[..64])),
        ga(true, &tlv(&[0x83], &[0x00])),
    ] {
        let mut card = run_to(3);
        assert_eq!(sw(&card.process(&bad)), 0x6A80);
        assert!(!card.has_session());
    }
    // The same at the mapping step.
    let mut off = cmd(2);
    let n = off.len();
    off[n - 2] ^= 1;
    let mut card = run_to(2);
    assert_eq!(sw(&card.process(&off)), 0x6A80);
    // DH: 0, 1, p−1 and a value outside the order-q subgroup.
    let config = PaceConfig::new(0, Mapping::Generic, CipherAlg::Aes128).unwrap();
    let g = DhGroup::from_pace_id(0).unwrap();
    let mut p_minus_1 = g.p();
    *p_minus_1.last_mut().unwrap() -= 1;
    let mut two = vec![0u8; 128];
    two[127] = 2;
    for y in [vec![0u8; 128], vec![1u8], p_minus_1, two, g.p()] {
        let mut card = card_with(config, 4);
        card.process(&mse(&config.oid(), 2, None));
        card.process(&ga(true, &[]));
        assert_eq!(sw(&card.process(&ga(true, &tlv(&[0x81], &y)))), 0x6A80);
    }
}

#[test]
fn garbled_general_authenticate_never_panics() {
    let mut rng = SeededRandom::new(42);
    let configs = [
        PaceConfig::CCCD,
        PaceConfig::new(1, Mapping::Integrated, CipherAlg::Aes192).unwrap(),
        PaceConfig::new(14, Mapping::Integrated, CipherAlg::Tdes).unwrap(),
        PaceConfig::new(18, Mapping::ChipAuthentication, CipherAlg::Aes256).unwrap(),
    ];
    for (c, config) in configs.into_iter().enumerate() {
        let mut card = card_with(config, c as u64);
        let [(pw, key), _] = passwords(&card);
        for i in 0..300u32 {
            let step = i % 4;
            card.process(&mse(&config.oid(), 2, None));
            // Walk correctly up to `step`, then send garbage.
            let mut ok = true;
            if step >= 1 {
                ok &= sw(&card.process(&ga(true, &[]))) == 0x9000;
            }
            let len = (rng.below(300) + 1) as usize;
            let mut junk = rng.bytes(len);
            // Half the time keep a plausible 7C wrapper around random objects.
            if i % 2 == 0 {
                let tag = [0x80u8, 0x81, 0x83, 0x85, 0x8A][rng.below(5) as usize];
                junk = tlv(&[0x7C], &tlv(&[tag], &junk[..len.min(200)]));
            }
            let cla = if rng.below(2) == 0 { 0x10 } else { 0x00 };
            let cmd = Command::new(cla, 0x86, 0, 0)
                .with_data(junk)
                .with_le(256)
                .with_extended(len > 200)
                .to_bytes()
                .unwrap();
            let r = card.process(&cmd);
            assert!(r.len() >= 2);
            let _ = ok;
        }
        // The card still works.
        let mut sm = terminal_pace(&mut card, config, pw, &key, &mut rng).unwrap();
        select_applet(&mut card, &mut sm).unwrap();
    }
    // Raw random APDUs with INS 86 / 22 in every class.
    let mut card = Card::new(Profile::Cccd, 9);
    for _ in 0..2000 {
        let n = (rng.below(80) + 4) as usize;
        let mut apdu = rng.bytes(n);
        apdu[1] = if rng.below(2) == 0 { 0x86 } else { 0x22 };
        let r = card.process(&apdu);
        assert!(r.len() >= 2);
    }
}

#[test]
fn pace_config_names_round_trip() {
    for config in PaceConfig::all() {
        assert_eq!(config.to_string().parse::<PaceConfig>().unwrap(), config);
    }
    assert!("ecdh-gm-aes128-0".parse::<PaceConfig>().is_err());
    assert!("dh-gm-aes128-13".parse::<PaceConfig>().is_err());
    assert!("ecdh-im-aes128-10".parse::<PaceConfig>().is_err());
    assert!("ecdh-gm-aes128".parse::<PaceConfig>().is_err());
}
