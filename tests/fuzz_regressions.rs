//! The fuzz targets' findings and seeds, replayed as tests on the stable toolchain.
//!
//! Each harnessed target's code lives in `fuzz/harness/TARGET.rs`, compiled both into the fuzz
//! target and here. Every input a target once crashed on is kept in
//! `fuzz/regressions/TARGET/` and must now pass; the committed seed corpora
//! (`fuzz/seeds/TARGET/`) run too, so a harness broken by an API change fails here first.
//!
//! `cargo test --all-features --test fuzz_regressions -- --ignored write_seeds` rewrites the
//! seeds made from simulated cards and `../shared/test-data`.
#![cfg(all(feature = "sim", feature = "jpeg2000"))]
#![allow(dead_code)]

use std::path::{Path, PathBuf};

#[path = "../fuzz/harness/card_security.rs"]
mod card_security;
#[path = "../fuzz/harness/com.rs"]
mod com;
#[path = "../fuzz/harness/crl.rs"]
mod crl;
#[path = "../fuzz/harness/face_decode.rs"]
mod face_decode;
#[path = "../fuzz/harness/ldif.rs"]
mod ldif;
#[path = "../fuzz/harness/master_list.rs"]
mod master_list;
#[path = "../fuzz/harness/reader_hostile.rs"]
mod reader_hostile;
#[path = "../fuzz/harness/sim_apdu.rs"]
mod sim_apdu;
#[path = "../fuzz/harness/verify_dump.rs"]
mod verify_dump;

fn fuzz_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// Every file of `fuzz/regressions/TARGET` and `fuzz/seeds/TARGET`.
fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for kind in ["regressions", "seeds"] {
        let dir = fuzz_dir().join(kind).join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
        paths.sort();
        for p in paths {
            if p.is_file() {
                let data = std::fs::read(&p).unwrap();
                out.push((p, data));
            }
        }
    }
    out
}

fn replay(target: &str, run: fn(&[u8])) -> usize {
    let inputs = inputs(target);
    for (path, data) in &inputs {
        let outcome = std::panic::catch_unwind(|| run(data));
        assert!(outcome.is_ok(), "{target}: {} fails", path.display());
    }
    inputs.len()
}

#[test]
fn reader_hostile_inputs() {
    assert!(replay("reader_hostile", reader_hostile::run_scripted) > 0);
}

#[test]
fn reader_mitm_inputs() {
    assert!(replay("reader_mitm", reader_hostile::run_mitm) > 0);
}

/// The harness turns on the library's elliptic-curve memo (`cccd::crypto::memo`): a result
/// looked up is the result computed. Both sides' ECDH agree, the second time from the memo,
/// and a signature checked twice gets the same verdict, a forged one is refused twice.
#[test]
fn the_fuzzing_memo_returns_what_the_curve_computes() {
    use cccd::crypto::ec::NamedCurve;
    use cccd::crypto::rng::SeededRandom;
    reader_hostile::run_mitm(&[0x11, 0x00]);
    for named in [NamedCurve::BrainpoolP256r1, NamedCurve::BrainpoolP224r1] {
        let curve = named.curve();
        let mut rng = SeededRandom::new(5);
        let (sk_a, pk_a) = curve.generate_keypair(&mut rng).unwrap();
        let (sk_b, pk_b) = curve.generate_keypair(&mut rng).unwrap();
        for _ in 0..2 {
            assert_eq!(
                *curve.ecdh(&sk_a, &pk_b).unwrap(),
                *curve.ecdh(&sk_b, &pk_a).unwrap()
            );
            assert_eq!(curve.mul(&sk_a, &curve.generator()), pk_a);
        }
        let digest = [0x42; 32];
        let sig = curve.ecdsa_sign(&sk_a, &digest, &mut rng).unwrap();
        let other = [0x43; 32];
        for _ in 0..2 {
            assert!(curve.ecdsa_verify(&pk_a, &digest, &sig).is_ok());
            assert!(curve.ecdsa_verify(&pk_b, &digest, &sig).is_err());
            assert!(curve.ecdsa_verify(&pk_a, &other, &sig).is_err());
        }
    }
}

#[test]
fn verify_dump_inputs() {
    assert!(replay("verify_dump", verify_dump::run) > 0);
}

#[test]
fn face_decode_inputs() {
    assert!(replay("face_decode", face_decode::run) > 0);
}

#[test]
fn master_list_inputs() {
    assert!(replay("master_list", master_list::run) > 0);
}

#[test]
fn ldif_inputs() {
    assert!(replay("ldif", ldif::run) > 0);
}

#[test]
fn crl_inputs() {
    assert!(replay("crl", crl::run) > 0);
}

#[test]
fn card_security_inputs() {
    assert!(replay("card_security", card_security::run) > 0);
}

#[test]
fn sim_apdu_inputs() {
    assert!(replay("sim_apdu", sim_apdu::run) > 0);
}

#[test]
fn com_inputs() {
    assert!(replay("com", com::run) > 0);
}

/// The structured EF.COM inputs mean what the harness says: the seed structure is the
/// CCCD's EF.COM (the harness asserts the round trip), and the duplicate one lists DG1 twice,
/// which must not parse.
#[test]
fn the_com_structures_encode_what_they_say() {
    // LDS 0107, Unicode 040000, DG1 DG2 DG3 DG13 DG14 DG15.
    com::run(&[0x00, 0, 1, 0, 7, 0, 4, 0, 0, 0, 0, 6, 0, 1, 2, 12, 13, 14]);
    let built = hex::decode("60185F0104303130375F36063034303030305C066175636D6E6F").unwrap();
    let parsed = cccd::lds::EfCom::parse(&built).unwrap();
    assert_eq!(parsed.lds_version, "0107");
    assert_eq!(parsed.data_groups.len(), 6);
    com::run(&[0x00, 0, 1, 0, 7, 0, 4, 0, 0, 0, 0, 3, 0, 1, 0]);
    let duplicate = hex::decode("60155F0104303130375F36063034303030305C03617561").unwrap();
    assert!(cccd::lds::EfCom::parse(&duplicate).is_err());
}

/// The scripted card replaying a recorded genuine session reads the whole document and is
/// reported genuine: the seeds reach every state of a session, and the harness's oracle holds
/// on a genuine read. A session of the clone (keys it does not hold) is not genuine.
#[test]
fn a_recorded_session_replays_to_a_genuine_document() {
    for (flags, choice) in [(0x00, 0x00), (0x12, 0x04), (0x10, 0x01)] {
        let seed = reader_hostile::scripted_seed(flags, choice);
        assert!(seed.len() > 1000, "{} bytes", seed.len());
        assert!(
            reader_hostile::scripted_is_genuine(&seed),
            "flags {flags:02x} choice {choice:02x}"
        );
        reader_hostile::run(&seed);
        // One answer cut short: the replay no longer completes as genuine.
        let mut cut = seed.clone();
        cut.truncate(seed.len() / 2);
        assert!(!reader_hostile::scripted_is_genuine(&cut));
    }
    let clone = reader_hostile::scripted_seed(0x00, 0x03);
    assert!(!reader_hostile::scripted_is_genuine(&clone));
}

// ---- seeds ----

fn shared(rel: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/test-data")
            .join(rel),
    )
    .unwrap()
}

fn write(target: &str, name: &str, data: &[u8]) {
    let dir = fuzz_dir().join("seeds").join(target);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), data).unwrap();
}

fn tlv(tag: &[u8], value: &[u8]) -> Vec<u8> {
    let mut out = tag.to_vec();
    let n = value.len();
    if n < 0x80 {
        out.push(n as u8);
    } else if n < 0x100 {
        out.extend_from_slice(&[0x81, n as u8]);
    } else {
        out.extend_from_slice(&[0x82, (n >> 8) as u8, n as u8]);
    }
    out.extend_from_slice(value);
    out
}

fn oid(dotted: &str) -> Vec<u8> {
    let arcs: Vec<u64> = dotted.split('.').map(|a| a.parse().unwrap()).collect();
    let mut body = vec![(arcs[0] * 40 + arcs[1]) as u8];
    for &arc in &arcs[2..] {
        let mut bytes = vec![(arc & 0x7F) as u8];
        let mut v = arc >> 7;
        while v > 0 {
            bytes.push((v & 0x7F) as u8 | 0x80);
            v >>= 7;
        }
        bytes.reverse();
        body.extend(bytes);
    }
    tlv(&[0x06], &body)
}

/// A small CSCA master list around `certs`, "signed" by `signer` with a wrong signature: the
/// structure of a real list (ICAO 9303-12 §9), small enough to fuzz.
fn small_master_list(certs: &[&[u8]], signer: &[u8]) -> Vec<u8> {
    let cert = cccd::verify::Certificate::from_der(signer).unwrap();
    let sha256 = tlv(&[0x30], &oid("2.16.840.1.101.3.4.2.1"));
    let content = tlv(
        &[0x30],
        &[tlv(&[0x02], &[0]), tlv(&[0x31], &certs.concat())].concat(),
    );
    let encap = tlv(
        &[0x30],
        &[oid("2.23.136.1.1.2"), tlv(&[0xA0], &tlv(&[0x04], &content))].concat(),
    );
    let attrs = [
        tlv(
            &[0x30],
            &[
                oid("1.2.840.113549.1.9.3"),
                tlv(&[0x31], &oid("2.23.136.1.1.2")),
            ]
            .concat(),
        ),
        tlv(
            &[0x30],
            &[
                oid("1.2.840.113549.1.9.4"),
                tlv(&[0x31], &tlv(&[0x04], &[0x11; 32])),
            ]
            .concat(),
        ),
    ]
    .concat();
    let sid = tlv(
        &[0x30],
        &[cert.issuer.raw.clone(), tlv(&[0x02], &cert.serial)].concat(),
    );
    let signer_info = tlv(
        &[0x30],
        &[
            tlv(&[0x02], &[1]),
            sid,
            sha256.clone(),
            tlv(&[0xA0], &attrs),
            tlv(&[0x30], &oid("1.2.840.10045.4.3.2")),
            tlv(
                &[0x04],
                &tlv(&[0x30], &[tlv(&[0x02], &[1]), tlv(&[0x02], &[1])].concat()),
            ),
        ]
        .concat(),
    );
    let signed_data = tlv(
        &[0x30],
        &[
            tlv(&[0x02], &[3]),
            tlv(&[0x31], &sha256),
            encap,
            tlv(&[0xA0], signer),
            tlv(&[0x31], &signer_info),
        ]
        .concat(),
    );
    tlv(
        &[0x30],
        &[oid("1.2.840.113549.1.7.2"), tlv(&[0xA0], &signed_data)].concat(),
    )
}

fn base64(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// An LDIF value, folded at 76 columns as the ICAO PKD exports are (RFC 2849).
fn ldif_value(attr: &str, der: &[u8]) -> String {
    let line = format!("{attr}:: {}", base64(der));
    let mut out = String::new();
    for (i, chunk) in line.as_bytes().chunks(76).enumerate() {
        if i > 0 {
            out.push_str("\n ");
        }
        out.push_str(std::str::from_utf8(chunk).unwrap());
    }
    out.push('\n');
    out
}

#[test]
#[ignore = "writes fuzz/seeds; run by hand after a change of the simulator or the harnesses"]
fn write_seeds() {
    use cccd::sim::fs::fid_dg;
    use cccd::sim::{Card, Profile};
    let cccd_card = Card::new(Profile::Cccd, 1);
    let passport = Card::new(Profile::Passport, 2);
    let file = |card: &Card, fid: u16| card.files().content(fid).unwrap().to_vec();
    let sod = file(&cccd_card, 0x011D);
    let dg2 = file(&cccd_card, fid_dg(2));

    // reader_mitm: the man in the middle letting everything pass (every card, both keys,
    // short and extended APDUs); reader_hostile: recorded sessions for the scripted card.
    for (flags, choice) in [
        (0x01, 0x00),
        (0x01, 0x04),
        (0x03, 0x01),
        (0x01, 0x02),
        (0x11, 0x03),
    ] {
        write(
            "reader_mitm",
            &format!("mitm-{flags:02x}-{choice:02x}"),
            &[flags, choice],
        );
    }
    for (flags, choice) in [(0x10, 0x00), (0x12, 0x04), (0x10, 0x02)] {
        write(
            "reader_hostile",
            &format!("scripted-{flags:02x}-{choice:02x}"),
            &reader_hostile::scripted_seed(flags, choice),
        );
    }
    // verify_dump: the genuine dump, one bit of DG13 flipped, the SOD truncated.
    write("verify_dump", "genuine", &[]);
    write("verify_dump", "flip", &[0, 4, 0, 20, 1]);
    write("verify_dump", "truncate", &[1, 3, 0, 100]);

    // face_decode: JPEG (simulator), JPEG 2000 (BSI specimen), PNG, and whole DG2s.
    let bsi_dg2 = shared("bsi-tr03105-5/Datagroup2.bin");
    let jpeg = cccd::lds::dg2::Dg2::parse(&dg2).unwrap().face_images()[0]
        .data
        .clone();
    let j2k = cccd::lds::dg2::Dg2::parse(&bsi_dg2).unwrap().face_images()[0]
        .data
        .clone();
    write("face_decode", "jpeg", &[[0x00].as_slice(), &jpeg].concat());
    write(
        "face_decode",
        "jpeg2000",
        &[[0x04].as_slice(), &j2k].concat(),
    );
    let small = cccd::lds::dg2::DecodedImage {
        width: 4,
        height: 3,
        rgb8: (0..36).collect(),
    };
    write(
        "face_decode",
        "png",
        &[[0x00].as_slice(), &small.to_png().unwrap()].concat(),
    );
    write(
        "face_decode",
        "dg2-sim",
        &[[0x80].as_slice(), &dg2].concat(),
    );
    write(
        "face_decode",
        "dg2-bsi",
        &[[0x80].as_slice(), &bsi_dg2].concat(),
    );

    // master_list: small lists of real CSCAs, in the real lists' structure.
    let de_root = shared("real-world/trust/DE_ROOT_CA_CSCA07.cer");
    let nl_root = shared("real-world/trust/NL_ROOT_CA.cer");
    let vn = shared("vn/VN_CSCA_ePassport_2022.cer");
    let ml = small_master_list(&[&vn, &nl_root], &de_root);
    write("master_list", "small", &ml);

    // crl: the simulator's CRLs, empty and revoking its DSC.
    let pki = cccd::sim::sod::country_pki().unwrap();
    let crl_empty = pki.crl(&[]).unwrap();
    let crl_dsc = pki.crl_revoking_dsc().unwrap();
    write("crl", "empty", &crl_empty);
    write("crl", "revoking-dsc", &crl_dsc);

    // ldif: an ICAO PKD export with a certificate, a CRL and a master list; PEM.
    let ldif = format!(
        "version: 1\n\ndn: cn=a,c=VN\n{}\ndn: cn=b,c=VN\n{}\ndn: cn=c,c=DE\n{}",
        ldif_value("userCertificate;binary", &vn),
        ldif_value("certificateRevocationList;binary", &crl_empty),
        ldif_value("pkdMasterListContent", &ml),
    );
    write("ldif", "pkd", ldif.as_bytes());
    let pem = format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        base64(pki.csca_certificate())
    );
    write("ldif", "pem", pem.as_bytes());

    // card_security: the real German EF.CardSecurity.
    write(
        "card_security",
        "DE",
        &shared("real-world/sod/DE.cardsecurity"),
    );

    // sim_apdu: structured command sequences (fuzz/harness/sim_apdu.rs): the opening of a
    // read on the plain CCCD and passport; protected reads, INTERNAL AUTHENTICATE and Chip
    // Authentication's MSE under an AES session; 3DES reads on the BSI specimen; the
    // read-size cap of the capped CCCD.
    let aid = hex::decode("A0000002471001").unwrap();
    let opening = [
        vec![0x00, 0x51, 0x9C, 0x00, 0x00, 0x10, 0x04, 0x0C, 0x07],
        aid.clone(),
        vec![0x93, 0x08, 0x00, 0x00, 0x00, 0x17, 0xC1, 0xA4, 0x0F],
        hex::decode("800A04007F00070202040202830102").unwrap(),
        vec![0x66, 0x00, 0x00, 0x02, 0x7C, 0x00],
    ]
    .concat();
    write("sim_apdu", "opening", &opening);
    let mut passport_opening = opening.clone();
    passport_opening[0] = 0x08;
    write("sim_apdu", "plain-passport", &passport_opening);
    let sm_aes = [
        vec![
            0x05, 0x41, 0x81, 0x00, 0x00, 0x00, 0x02, 0x0C, 0x02, 0x01, 0x1D,
        ],
        vec![0x81, 0x80, 0x00, 0x00, 0x00],
        vec![0x42, 0x00, 0x00, 0x04, 0x54, 0x02, 0x00, 0x00],
        vec![0x45, 0x00, 0x00, 0x08, 1, 2, 3, 4, 5, 6, 7, 8],
        vec![0x07, 0x41, 0xA4, 0x0C],
        hex::decode("800A04007F00070202030202").unwrap(),
        vec![0x46, 0x00, 0x00, 0x02, 0x7C, 0x00],
    ]
    .concat();
    write("sim_apdu", "sm-aes-cccd", &sm_aes);
    write(
        "sim_apdu",
        "sm-3des-bsi",
        &[
            0x16, 0x41, 0x8E, 0x00, 0x00, 0x41, 0x8F, 0x00, 0x00, 0x45, 0x00, 0x00, 0x08, 1, 2, 3,
            4, 5, 6, 7, 8, 0xC1, 0x00, 0x00, 0x81, 0x1D, 0x00, 0x00,
        ],
    );
    write(
        "sim_apdu",
        "capped-cccd",
        &[
            0x1D, 0x41, 0x82, 0x00, 0x00, 0x81, 0xE0, 0x82, 0x00, 0x00, 0x81, 0x80, 0x82, 0x00,
            0x00,
        ],
    );

    // The older targets.
    let dg13 = file(&cccd_card, fid_dg(13));
    write("tlv", "dg13", &dg13);
    write("tlv", "sod", &sod);
    // com: raw EF.COMs (flags 80), and structures (fuzz/harness/com.rs).
    write(
        "com",
        "cccd",
        &[[0x80].as_slice(), &file(&cccd_card, 0x011E)].concat(),
    );
    write(
        "com",
        "bsi",
        &[[0x80].as_slice(), &shared("bsi-tr03105-5/EF_COM.bin")].concat(),
    );
    let structured = [0x00, 0, 1, 0, 7, 0, 4, 0, 0, 0, 0, 6, 0, 1, 2, 12, 13, 14];
    write("com", "structured", &structured);
    let mut long = structured;
    long[0] = 0x40;
    write("com", "structured-long", &long);
    write(
        "com",
        "duplicate",
        &[0x00, 0, 1, 0, 7, 0, 4, 0, 0, 0, 0, 3, 0, 1, 0],
    );
    write("dg1", "cccd", &file(&cccd_card, fid_dg(1)));
    write("dg1", "bsi", &shared("bsi-tr03105-5/Datagroup1.bin"));
    write("dg13", "cccd", &dg13);
    write("dg2", "sim", &dg2);
    write("dg2", "bsi", &bsi_dg2);
    write("dg11_dg12", "dg11", &file(&passport, fid_dg(11)));
    write("dg11_dg12", "dg12", &file(&passport, fid_dg(12)));
    write("sod", "sim", &sod);
    for c in ["AT", "DE", "NZ", "PH"] {
        write("sod", c, &shared(&format!("real-world/sod/{c}.sod")));
    }
    write(
        "security_infos",
        "card-access",
        &shared("vn/EF_CardAccess.bin"),
    );
    write(
        "security_infos",
        "dg14-bsi",
        &shared("bsi-tr03105-5/Datagroup14.bin"),
    );
    write("security_infos", "dg14-sim", &file(&cccd_card, fid_dg(14)));
    write(
        "security_infos",
        "dg15-bsi",
        &shared("bsi-tr03105-5/Datagroup15.bin"),
    );
    write("certificate", "vn-csca", &vn);
    write("certificate", "de-root", &de_root);
    write("certificate", "crl", &crl_dsc);
    let p = cccd_card.persona();
    write(
        "access_key_mrz",
        "td1",
        b"IDVNM0790110001079011000123<<7\n7901011M2901014VNM<<<<<<<<<<<6\nNGUYEN<<VAN<A<<<<<<<<<<<<<<<<<",
    );
    write(
        "qr",
        "cccd",
        format!(
            "{}|123456789|NGUYEN VAN A|01011979|Nam|Ha Noi|01012021",
            p.id_number
        )
        .as_bytes(),
    );
    write(
        "sm_unwrap",
        "protected",
        &hex::decode("990290008E08000102030405060790 00".replace(' ', "")).unwrap(),
    );
}
