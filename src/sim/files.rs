//! The simulator's own encoders for the files a persona's card holds (ICAO 9303-10 §4), written
//! independently of the reader's parsers so each side checks the other.

use super::fs::{fid_dg, Access, ElementaryFile, FileSystem, Location, FID_CARD_ACCESS, FID_COM};
use super::keys::{der_uint, ActiveAuthenticationKey, CardKeys, ChipAuthenticationKey};
use super::persona::Persona;
use crate::tlv::{encode, Tag, Writer};
use const_oid::ObjectIdentifier;

/// EF.CardAccess exactly as real CCCD cards hold it: TA v1; CA ECDH AES-128 v1; PACE v2
/// ECDH Generic Mapping AES-128 with standardized domain parameters 13 (brainpoolP256r1).
pub const CCCD_CARD_ACCESS: [u8; 54] = [
    0x31, 0x34, 0x30, 0x0D, 0x06, 0x08, 0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x02, 0x02, 0x01,
    0x01, 0x30, 0x0F, 0x06, 0x0A, 0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x03, 0x02, 0x02, 0x02,
    0x01, 0x01, 0x30, 0x12, 0x06, 0x0A, 0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x04, 0x02, 0x02,
    0x02, 0x01, 0x02, 0x02, 0x01, 0x0D,
];

/// The DER encoding of OID 1.0.10646.1.0.8 (ISO/IEC 10646 UTF-8), the DG13 content type.
pub const OID_UTF8: [u8; 6] = [0x28, 0xD3, 0x16, 0x01, 0x00, 0x08];

/// The default DG2 size: about what a real CCCD's face image takes.
pub const DEFAULT_DG2_SIZE: usize = 18_000;

/// EF.COM (tag `60`): LDS version 1.7, Unicode 4.0.0, and the data-group tags the card holds.
pub fn ef_com(dg_tags: &[u8]) -> Vec<u8> {
    let mut w = Writer::new();
    w.constructed(Tag(0x60), |w| {
        w.put(Tag(0x5F01), b"0107");
        w.put(Tag(0x5F36), b"040000");
        w.put(Tag(0x5C), dg_tags);
    });
    w.into_bytes()
}

/// DG1 (tag `61`): `5F1F` with the 90 characters of the TD1 MRZ.
pub fn dg1(persona: &Persona) -> Vec<u8> {
    let mrz: String = persona.mrz().concat();
    encode(Tag(0x61), &encode(Tag(0x5F1F), mrz.as_bytes()))
}

/// DG2 (tag `75`): a biometric information template group (ISO/IEC 7816-11 CBEFF) with one
/// ISO/IEC 19794-5:2005 face record holding a placeholder JPEG-framed payload, `size` bytes in
/// all (as close as the encoding allows; at least the headers).
///
/// ```text
/// 75 { 7F61 { 02 count, 7F60 { A1 { 80 version, 81 type, 87 owner, 88 format },
///                               5F2E { "FAC\0" "010\0" ... image } } } }
/// ```
pub fn dg2(persona: &Persona, size: usize) -> Vec<u8> {
    let gender = match persona.sex {
        super::persona::Sex::Male => 1,
        super::persona::Sex::Female => 2,
    };
    // A real synthetic portrait when the `image` feature is on and it fits `size`; else a
    // placeholder JPEG frame (no pixels) of the right size.
    let portrait = super::face::portrait_jpeg(persona.id_number.as_bytes());
    let build = |image_len: usize| match &portrait {
        Some(jpeg) => match super::face::pad_jpeg(jpeg, image_len) {
            Some(padded) => {
                dg2_with_image(gender, &padded, (super::face::WIDTH, super::face::HEIGHT))
            }
            None => dg2_with_image(gender, &placeholder_jpeg(image_len), (480, 640)),
        },
        None => dg2_with_image(gender, &placeholder_jpeg(image_len), (480, 640)),
    };
    let mut image_len = size.saturating_sub(100);
    let mut out = build(image_len);
    // The TLV lengths depend on the image size: converge in a few steps.
    for _ in 0..4 {
        if out.len() == size {
            break;
        }
        image_len = (image_len + size).saturating_sub(out.len());
        out = build(image_len);
    }
    out
}

fn dg2_with_image(gender: u8, image: &[u8], (width, height): (u16, u16)) -> Vec<u8> {
    // ISO/IEC 19794-5:2005 §5.4-5.7: facial record header (14 bytes), facial information
    // (20 bytes), no feature points, image information (12 bytes), image data.
    let facial_data_len = 20 + 12 + image.len();
    let record_len = 14 + facial_data_len;
    let mut record = Vec::with_capacity(record_len);
    record.extend_from_slice(b"FAC\x00010\x00");
    record.extend_from_slice(&u32::try_from(record_len).unwrap_or(u32::MAX).to_be_bytes());
    record.extend_from_slice(&1u16.to_be_bytes()); // number of faces
    record.extend_from_slice(
        &u32::try_from(facial_data_len)
            .unwrap_or(u32::MAX)
            .to_be_bytes(),
    );
    record.extend_from_slice(&0u16.to_be_bytes()); // feature points
    record.push(gender);
    record.push(0x01); // eye colour: black
    record.push(0x01); // hair colour: black
    record.extend_from_slice(&[0, 0, 0]); // property mask
    record.extend_from_slice(&[0, 0]); // expression unspecified
    record.extend_from_slice(&[0, 0, 0]); // pose angles
    record.extend_from_slice(&[0, 0, 0]); // pose angle uncertainty
    record.push(0x01); // face image type: full frontal
    record.push(0x00); // image data type: JPEG
    record.extend_from_slice(&width.to_be_bytes());
    record.extend_from_slice(&height.to_be_bytes());
    record.push(0x01); // colour space: 24-bit RGB
    record.push(0x02); // source type: digital still camera
    record.extend_from_slice(&[0, 0]); // device type
    record.extend_from_slice(&[0, 0]); // quality
    record.extend_from_slice(image);

    let mut w = Writer::new();
    w.constructed(Tag(0x75), |w| {
        w.constructed(Tag(0x7F61), |w| {
            w.put(Tag(0x02), &[0x01]);
            w.constructed(Tag(0x7F60), |w| {
                w.constructed(Tag(0xA1), |w| {
                    w.put(Tag(0x80), &[0x01, 0x01]); // ICAO header version 1.1
                    w.put(Tag(0x81), &[0x02]); // biometric type: facial features
                    w.put(Tag(0x87), &[0x01, 0x01]); // format owner: ISO/IEC JTC 1/SC 37
                    w.put(Tag(0x88), &[0x00, 0x08]); // format type: face image
                });
                w.put(Tag(0x5F2E), &record);
            });
        });
    });
    w.into_bytes()
}

/// `FF D8`, comment segments of filler, `FF D9`: JPEG framing around no picture (a later
/// issue puts a real JPEG here).
fn placeholder_jpeg(len: usize) -> Vec<u8> {
    let len = len.max(4);
    let mut out = Vec::with_capacity(len);
    out.extend_from_slice(&[0xFF, 0xD8]);
    let mut left = len - 4;
    while left > 0 {
        // A COM segment needs 4 header bytes; pad the tail with a smaller one.
        if left < 4 {
            out.extend(std::iter::repeat_n(0x00, left));
            break;
        }
        let body = (left - 4).min(0xFFFF - 2);
        out.extend_from_slice(&[0xFF, 0xFE]);
        out.extend_from_slice(&u16::try_from(body + 2).unwrap_or(u16::MAX).to_be_bytes());
        out.extend(b"CCCD SIMULATOR PLACEHOLDER ".iter().cycle().take(body));
        left -= body + 4;
    }
    out.extend_from_slice(&[0xFF, 0xD9]);
    out
}

/// DG3 (tag `63`): an empty fingerprint group; the card never lets it be read without EAC.
pub fn dg3() -> Vec<u8> {
    let mut w = Writer::new();
    w.constructed(Tag(0x63), |w| {
        w.constructed(Tag(0x7F61), |w| {
            w.put(Tag(0x02), &[0x00]);
        });
    });
    w.into_bytes()
}

/// DG13 (tag `6D`), the Vietnamese citizen data:
///
/// ```text
/// 6D { SEQUENCE { INTEGER 1, OID 1.0.10646.1.0.8,
///      SET OF SEQUENCE { INTEGER n, value } } }
/// ```
/// Text values are UTF8String; 13 is `SEQUENCE { father, mother }`, 14 `SEQUENCE { spouse }`.
pub fn dg13(p: &Persona) -> Vec<u8> {
    let utf8 = |s: &str| encode(Tag(0x0C), s.as_bytes());
    let expiry = p
        .date_of_expiry
        .map_or_else(|| "Không thời hạn".to_owned(), |d| d.dd_mm_yyyy());
    let mut fields: Vec<(u8, Vec<u8>)> = vec![
        (1, utf8(&p.id_number)),
        (2, utf8(&p.full_name)),
        (3, utf8(&p.date_of_birth.dd_mm_yyyy())),
        (4, utf8(p.sex.vietnamese())),
        (5, utf8(&p.nationality)),
        (6, utf8(&p.ethnicity)),
        (7, utf8(&p.religion)),
        (8, utf8(&p.place_of_origin)),
        (9, utf8(&p.place_of_residence)),
        (10, utf8(&p.identifying_marks)),
        (11, utf8(&p.date_of_issue.dd_mm_yyyy())),
        (12, utf8(&expiry)),
        (
            13,
            encode(
                Tag(0x30),
                &[utf8(&p.father_name), utf8(&p.mother_name)].concat(),
            ),
        ),
    ];
    if let Some(spouse) = &p.spouse_name {
        fields.push((14, encode(Tag(0x30), &utf8(spouse))));
    }
    if let Some(old) = &p.old_id_number {
        fields.push((15, utf8(old)));
    }
    fields.push((16, utf8(&p.card_serial)));

    let set: Vec<u8> = fields
        .iter()
        .flat_map(|(n, value)| {
            encode(
                Tag(0x30),
                &[encode(Tag(0x02), &[*n]), value.clone()].concat(),
            )
        })
        .collect();
    let body = [
        encode(Tag(0x02), &[0x01]),
        encode(Tag(0x06), &OID_UTF8),
        encode(Tag(0x31), &set),
    ]
    .concat();
    encode(Tag(0x6D), &encode(Tag(0x30), &body))
}

/// The CCCD file system for a persona: EF.CardAccess in the master file; EF.COM (free) and
/// DG1, DG2, DG13 (secure messaging), DG3 (never) in the applet.
pub fn cccd_file_system(persona: &Persona, dg2_size: usize) -> FileSystem {
    let mut fs = FileSystem::new();
    fs.insert(card_access(&CCCD_CARD_ACCESS));
    // EF.COM is readable under SM only on ICAO cards with BAC; it carries no personal data,
    // but the card still asks for SM like the other applet files.
    fs.insert(ElementaryFile::protected(
        FID_COM,
        ef_com(&[0x61, 0x75, 0x63, 0x6D]),
    ));
    fs.insert(ElementaryFile::protected(fid_dg(1), dg1(persona)));
    fs.insert(ElementaryFile::protected(fid_dg(2), dg2(persona, dg2_size)));
    let mut dg3 = ElementaryFile::protected(fid_dg(3), dg3());
    dg3.access = Access::Never;
    fs.insert(dg3);
    fs.insert(ElementaryFile::protected(fid_dg(13), dg13(persona)));
    fs
}

/// EF.CardAccess with `content`: in the master file, SFI `1C`, readable by anyone (ICAO 9303-10
/// §3.11.3), as readers read it before access control.
pub fn card_access(content: &[u8]) -> ElementaryFile {
    ElementaryFile {
        fid: FID_CARD_ACCESS,
        sfi: Some(0x1C),
        location: Location::MasterFile,
        access: Access::Free,
        content: content.to_vec(),
    }
}

/// id-PK-ECDH (BSI TR-03110-3 §A.1.1 / ICAO 9303-11 §9.2.6): an ECDH Chip Authentication key.
pub const ID_PK_ECDH: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.127.0.7.2.2.1.2");
/// id-CA-ECDH-3DES-CBC-CBC (ICAO 9303-11 §9.2.5).
pub const ID_CA_ECDH_3DES_CBC_CBC: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("0.4.0.127.0.7.2.2.3.2.1");
/// id-CA-ECDH-AES-CBC-CMAC-128 (ICAO 9303-11 §9.2.5), what the real CCCD lists.
pub const ID_CA_ECDH_AES_CBC_CMAC_128: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("0.4.0.127.0.7.2.2.3.2.2");
/// id-AA (ICAO 9303-11 §9.2.7): ActiveAuthenticationInfo.
pub const ID_AA: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.23.136.1.1.5");
/// ecdsa-plain-SHA256 (BSI TR-03111 §5.2.1): plain `r || s` ECDSA signatures over SHA-256.
pub const ECDSA_PLAIN_SHA256: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("0.4.0.127.0.7.1.1.4.1.3");

/// DG14 (tag `6E`): the chip's SecurityInfos (ICAO 9303-11 §9.2, 9303-10 §4.7.14), encoded by
/// the simulator: the SecurityInfos of `card_access` (the real CCCD's TA and PACE infos and its
/// ChipAuthenticationInfo), the ChipAuthenticationPublicKeyInfo of `ca`, and an
/// ActiveAuthenticationInfo when `aa` is ECDSA. The SET OF is sorted as DER asks.
///
/// ```text
/// SecurityInfos ::= SET OF SecurityInfo
/// ChipAuthenticationInfo ::= SEQUENCE { protocol OBJECT IDENTIFIER, version INTEGER,
///     keyId INTEGER OPTIONAL }
/// ChipAuthenticationPublicKeyInfo ::= SEQUENCE { protocol OBJECT IDENTIFIER (id-PK-ECDH),
///     chipAuthenticationPublicKey SubjectPublicKeyInfo, keyId INTEGER OPTIONAL }
/// ActiveAuthenticationInfo ::= SEQUENCE { protocol OBJECT IDENTIFIER (id-AA),
///     version INTEGER (1), signatureAlgorithm OBJECT IDENTIFIER }
/// ```
pub fn dg14(
    card_access: &[u8],
    ca: &ChipAuthenticationKey,
    aa: &ActiveAuthenticationKey,
) -> Vec<u8> {
    let mut infos = elements(card_access);
    infos.push(chip_authentication_public_key_info(ca));
    if matches!(aa, ActiveAuthenticationKey::Ecdsa { .. }) {
        infos.push(encode(
            Tag(0x30),
            &[
                encode(Tag(0x06), ID_AA.as_bytes()),
                encode(Tag(0x02), &[0x01]),
                encode(Tag(0x06), ECDSA_PLAIN_SHA256.as_bytes()),
            ]
            .concat(),
        ));
    }
    infos.sort();
    encode(Tag(0x6E), &encode(Tag(0x31), &infos.concat()))
}

/// The content EF.CardSecurity signs (ICAO 9303-11 §9.2.11): the SecurityInfos of
/// `card_access` and the ChipAuthenticationPublicKeyInfo of `ca` (the key PACE-CAM proves), as
/// a DER `SET OF SecurityInfo`.
pub fn card_security_infos(card_access: &[u8], ca: &ChipAuthenticationKey) -> Vec<u8> {
    let mut infos = elements(card_access);
    infos.push(chip_authentication_public_key_info(ca));
    infos.sort();
    encode(Tag(0x31), &infos.concat())
}

/// The elements of a `SET OF SecurityInfo`, each as encoded.
fn elements(security_infos: &[u8]) -> Vec<Vec<u8>> {
    crate::tlv::parse_single(security_infos)
        .map(|set| {
            set.children()
                .map_while(Result::ok)
                .map(|t| t.raw.to_vec())
                .collect()
        })
        .unwrap_or_default()
}

/// `ChipAuthenticationPublicKeyInfo ::= SEQUENCE { protocol (id-PK-ECDH),
/// chipAuthenticationPublicKey SubjectPublicKeyInfo, keyId INTEGER OPTIONAL }`.
fn chip_authentication_public_key_info(ca: &ChipAuthenticationKey) -> Vec<u8> {
    let mut pk_info = [
        encode(Tag(0x06), ID_PK_ECDH.as_bytes()),
        ca.subject_public_key_info(),
    ]
    .concat();
    if let Some(id) = ca.key_id() {
        pk_info.extend_from_slice(&der_uint(&id.to_be_bytes()));
    }
    encode(Tag(0x30), &pk_info)
}

/// DG15 (tag `6F`): the Active Authentication public key as a SubjectPublicKeyInfo (ICAO
/// 9303-10 §4.7.15).
pub fn dg15(aa: &ActiveAuthenticationKey) -> Vec<u8> {
    encode(Tag(0x6F), &aa.subject_public_key_info())
}

/// Adds DG14 and DG15 for `keys` (the genuine card's public keys) and lists them in EF.COM
/// after the data groups it already lists: `61 75 63 6D 6E 6F` for the CCCD, as the real card.
pub fn add_key_files(fs: &mut FileSystem, keys: &CardKeys) {
    // A chip without EF.CardAccess has no PACE: its DG14 keeps the real CCCD's other infos
    // but no PACEInfo, or the reader would rightly see a PACE chip opened with BAC.
    let card_access = fs
        .content(FID_CARD_ACCESS)
        .map_or_else(|| without_pace_infos(&CCCD_CARD_ACCESS), <[u8]>::to_vec);
    fs.insert(ElementaryFile::protected(
        fid_dg(14),
        dg14(
            &card_access,
            &keys.chip_authentication,
            &keys.active_authentication,
        ),
    ));
    fs.insert(ElementaryFile::protected(
        fid_dg(15),
        dg15(&keys.active_authentication),
    ));
    let mut tags = fs
        .content(FID_COM)
        .and_then(listed_tags)
        .unwrap_or_else(|| vec![0x61, 0x75, 0x63, 0x6D]);
    for tag in [0x6E, 0x6F] {
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    fs.insert(ElementaryFile::protected(FID_COM, ef_com(&tags)));
}

/// `security_infos` (a SET OF SecurityInfo) without its PACEInfos (protocol OIDs under
/// id-PACE, 0.4.0.127.0.7.2.2.4).
fn without_pace_infos(security_infos: &[u8]) -> Vec<u8> {
    const ID_PACE: [u8; 8] = [0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x04];
    let kept: Vec<u8> = crate::tlv::parse_single(security_infos)
        .map(|set| {
            set.children()
                .map_while(Result::ok)
                .filter(|info| {
                    let oid = info.children().next().and_then(Result::ok);
                    !oid.is_some_and(|o| o.value.starts_with(&ID_PACE))
                })
                .flat_map(|t| t.raw.to_vec())
                .collect()
        })
        .unwrap_or_default();
    encode(Tag(0x31), &kept)
}

/// The data-group tags an EF.COM lists (its `5C`), or `None` when it does not parse.
pub(crate) fn listed_tags(ef_com: &[u8]) -> Option<Vec<u8>> {
    let com = crate::tlv::parse_single(ef_com).ok()?;
    com.children()
        .map_while(Result::ok)
        .find(|t| t.tag == Tag(0x5C))
        .map(|t| t.value.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_oid_encoding() {
        // 1.0 -> 40*1+0 = 0x28; 10646 = 83*128 + 22 -> D3 16; then 1, 0, 8.
        assert_eq!(OID_UTF8, [0x28, 0xD3, 0x16, 0x01, 0x00, 0x08]);
    }

    #[test]
    fn dg2_hits_the_requested_size() {
        let p = Persona::generate(1);
        for size in [300, 1000, 18_000, 70_000] {
            let d = dg2(&p, size);
            assert_eq!(d.len(), size, "size {size}");
            let t = crate::tlv::parse_single(&d).unwrap();
            assert_eq!(t.tag, Tag(0x75));
        }
    }

    #[test]
    fn com_lists_the_data_groups() {
        assert_eq!(
            hex::encode_upper(ef_com(&[0x61, 0x75, 0x63, 0x6D])),
            "6016\
             5F010430313037\
             5F3606303430303030\
             5C046175636D"
        );
    }
}
