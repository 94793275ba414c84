//! The BSI TR-03105-5 reference data set (a German specimen passport, "MUSTERMANN ERIKA") as a
//! simulated document: its files byte for byte, its Chip Authentication key (ECDH on
//! brainpoolP224r1 given as explicit parameters, 3DES as its DG14 says) and its Active
//! Authentication key (RSA-1024, ISO/IEC 9796-2 with SHA-1), so that CA and AA run against keys
//! no one here generated. Access by BAC only (the data set has no EF.CardAccess), with the MRZ
//! of its own DG1. DG3 and DG4 need EAC terminal authentication and answer `6982`.
//!
//! ```
//! use cccd::sim::{Card, Profile};
//! let card = Card::new("bsi".parse::<Profile>().unwrap(), 0);
//! // The key to open it with: document number, birth and expiry dates with check digits.
//! assert_eq!(card.mrz_information().as_str(), "C11T002JM496081222310314");
//! // EF.COM lists DG15, which the data set holds but its EF.COM leaves out.
//! assert_eq!(card.files().content(0x011E), Some(cccd::sim::bsi::ef_com().as_slice()));
//! ```

use zeroize::Zeroizing;

use super::fs::{fid_dg, Access, ElementaryFile, FileSystem, FID_COM, FID_SOD};
use super::keys::{
    ActiveAuthenticationKey, CardKeys, ChipAuthenticationKey, Iso9796Hash, KeyError,
};
use crate::tlv::{Reader, Tag, Writer};

/// EF.COM of the data set (lists DG1, DG2, DG3, DG4, DG14). The simulated chip serves
/// [`ef_com`] instead.
pub const EF_COM: &[u8] = include_bytes!("../../test-vectors/bsi-tr03105-5/EF_COM.bin");
/// DG1: the TD3 MRZ.
pub const DG1: &[u8] = include_bytes!("../../test-vectors/bsi-tr03105-5/Datagroup1.bin");
/// DG2: the face (ISO/IEC 19794-5, JPEG 2000).
pub const DG2: &[u8] = include_bytes!("../../test-vectors/bsi-tr03105-5/Datagroup2.bin");
/// DG3: fingerprints (EAC-protected).
pub const DG3: &[u8] = include_bytes!("../../test-vectors/bsi-tr03105-5/Datagroup3.bin");
/// DG4: iris (EAC-protected).
pub const DG4: &[u8] = include_bytes!("../../test-vectors/bsi-tr03105-5/Datagroup4.bin");
/// DG14: Chip Authentication SecurityInfos.
pub const DG14: &[u8] = include_bytes!("../../test-vectors/bsi-tr03105-5/Datagroup14.bin");
/// DG15: the Active Authentication public key (RSA-1024).
pub const DG15: &[u8] = include_bytes!("../../test-vectors/bsi-tr03105-5/Datagroup15.bin");
/// EF.SOD (RSA-PSS, SHA-256; DG15 is not covered).
pub const EF_SOD: &[u8] = include_bytes!("../../test-vectors/bsi-tr03105-5/EF_SOD.bin");
/// The chip's Chip Authentication private key (PKCS#8, explicit brainpoolP224r1).
const DG14_SK: &[u8] = include_bytes!("../../test-vectors/bsi-tr03105-5/DG14_sk.pkcs8");
/// The chip's Active Authentication private key (PKCS#8, RSA-1024).
const DG15_SK: &[u8] = include_bytes!("../../test-vectors/bsi-tr03105-5/DG15_sk.pkcs8");

/// The EF.COM the simulated specimen serves: [`EF_COM`] with DG15 (`6F`) added to its tag
/// list, its other bytes unchanged. The data set holds DG15 and the Active Authentication key,
/// but its EF.COM omits DG15, so a reader that reads what EF.COM lists (ICAO 9303-10 §4.6.1)
/// would never run Active Authentication on it. (EF.COM is not covered by EF.SOD.)
pub fn ef_com() -> Vec<u8> {
    let Ok(com) = crate::tlv::parse_single(EF_COM) else {
        return EF_COM.to_vec();
    };
    let mut w = Writer::new();
    w.constructed(com.tag, |w| {
        for element in com.children().map_while(Result::ok) {
            if element.tag == Tag(0x5C) && !element.value.contains(&0x6F) {
                w.put(Tag(0x5C), &[element.value, &[0x6F]].concat());
            } else {
                w.raw(element.raw);
            }
        }
    });
    w.into_bytes()
}

/// The specimen's files, each protected by secure messaging; DG3 and DG4 never readable.
/// EF.COM is [`ef_com`].
pub fn file_system() -> FileSystem {
    let mut fs = FileSystem::new();
    fs.insert(ElementaryFile::protected(FID_COM, ef_com()));
    fs.insert(ElementaryFile::protected(FID_SOD, EF_SOD.to_vec()));
    for (n, content) in [(1, DG1), (2, DG2), (14, DG14), (15, DG15)] {
        fs.insert(ElementaryFile::protected(fid_dg(n), content.to_vec()));
    }
    for (n, content) in [(3, DG3), (4, DG4)] {
        let mut ef = ElementaryFile::protected(fid_dg(n), content.to_vec());
        ef.access = Access::Never;
        fs.insert(ef);
    }
    fs
}

/// The specimen chip's key pairs from the data set.
pub fn keys() -> Result<CardKeys, KeyError> {
    Ok(CardKeys {
        chip_authentication: ChipAuthenticationKey::from_pkcs8_der(DG14_SK, None)?,
        active_authentication: ActiveAuthenticationKey::rsa_from_pkcs8_der(
            DG15_SK,
            Iso9796Hash::Sha1,
        )?,
    })
}

/// The BAC MRZ information (document number, birth date, expiry date, each with its check
/// digit) taken from the specimen's DG1.
pub fn mrz_information() -> Option<Zeroizing<String>> {
    mrz_information_from_dg1(DG1)
}

/// The MRZ information of a DG1 (`61 { 5F1F mrz }`) holding a TD3 (88 characters) or TD1
/// (90 characters) MRZ (ICAO 9303-4 §4.2.2, 9303-5 §4.2.2): the simulator's own small
/// extraction, independent of the reader's `lds::dg1`.
pub fn mrz_information_from_dg1(dg1: &[u8]) -> Option<Zeroizing<String>> {
    let mut top = Reader::new(dg1);
    let outer = top.read_tag(Tag(0x61)).ok()?;
    top.finish().ok()?;
    let mut r = outer.children();
    let mrz = r.read_tag(Tag(0x5F1F)).ok()?;
    r.finish().ok()?;
    let mrz = core::str::from_utf8(mrz.value).ok()?;
    if !mrz.is_ascii() {
        return None;
    }
    let field = |range: core::ops::Range<usize>| mrz.get(range);
    let info = match mrz.len() {
        // TD3: line 2 is characters 44..88.
        88 => [field(44..54)?, field(57..64)?, field(65..72)?].concat(),
        // TD1: document number in line 1, dates in line 2 (characters 30..60).
        90 => [field(5..15)?, field(30..37)?, field(38..45)?].concat(),
        _ => return None,
    };
    Some(Zeroizing::new(info))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specimen_mrz_information() {
        // DG1 line 2: "C11T002JM4D<<9608122F2310314...": document number C11T002JM, check 4;
        // born 96-08-12, check 2; expires 23-10-31, check 4.
        assert_eq!(
            mrz_information().unwrap().as_str(),
            "C11T002JM496081222310314"
        );
    }

    #[test]
    fn served_ef_com_adds_dg15_and_keeps_the_rest() {
        let com = ef_com();
        // 60 17 -> 60 18; 5C 05 61 75 63 76 6E -> 5C 06 ... 6F; the version fields unchanged.
        assert_eq!(com.len(), EF_COM.len() + 1);
        assert_eq!(&com[..2], &[0x60, 0x18]);
        assert_eq!(&com[2..18], &EF_COM[2..18]);
        assert_eq!(
            &com[18..],
            &[0x5C, 0x06, 0x61, 0x75, 0x63, 0x76, 0x6E, 0x6F]
        );
    }

    #[test]
    fn bad_dg1_is_none() {
        assert!(mrz_information_from_dg1(&[0x61, 0x03, 0x5F, 0x1F, 0x00]).is_none());
        assert!(mrz_information_from_dg1(&[]).is_none());
    }
}
