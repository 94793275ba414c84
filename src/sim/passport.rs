//! A plain ICAO passport (TD3) for a persona: the `passport` profile. Its files are what a
//! passport chip holds and a CCCD does not: DG1 with a two-line TD3 MRZ, DG11 (additional
//! personal details) and DG12 (additional document details), no DG3 and no DG13; EF.COM lists
//! every data group the chip holds, DG15 included. The simulator's own encoders, written
//! independently of the reader's parsers (`lds::dg1`, `lds::dg11`, `lds::dg12`).
//!
//! ```
//! use cccd::sim::{passport, Card, Profile};
//! let card = Card::new("passport".parse::<Profile>().unwrap(), 8);
//! let mrz = passport::mrz(card.persona());
//! assert!(mrz[0].starts_with("P<VNM") && mrz[0].len() == 44 && mrz[1].len() == 44);
//! // BAC and PACE-MRZ take the passport's document number, not the ID card's.
//! assert_eq!(card.mrz_information(), passport::mrz_information(card.persona()));
//! ```

use super::files::{add_key_files, card_access, dg2, ef_com, CCCD_CARD_ACCESS};
use super::fs::{fid_dg, ElementaryFile, FileSystem, FID_COM};
use super::keys::CardKeys;
use super::persona::{check_digit, mrz_name_field, Date, Persona};
use crate::tlv::{Tag, Writer};
use zeroize::Zeroizing;

/// The data groups a passport chip lists in EF.COM before DG14 and DG15 are added: DG1, DG2,
/// DG11, DG12 (ICAO 9303-10 §4.6.1 tags).
pub const DATA_GROUP_TAGS: [u8; 4] = [0x61, 0x75, 0x6B, 0x6C];

/// The issuing authority DG12 names: Vietnam's Immigration Department.
pub const ISSUING_AUTHORITY: &str = "Cục Quản lý xuất nhập cảnh";

/// Years a Vietnamese ordinary passport is valid from its date of issue.
pub const VALIDITY_YEARS: i32 = 10;

/// The passport number: `C` and seven digits (the format of Vietnamese ordinary passports),
/// taken from the persona's ID number so that it depends on the seed only.
pub fn document_number(p: &Persona) -> String {
    format!("C{}", p.id_number.get(5..).unwrap_or("0000000"))
}

/// The date of expiry: ten years after the date of issue.
pub fn date_of_expiry(p: &Persona) -> Date {
    p.date_of_issue.add_years(VALIDITY_YEARS)
}

/// The two 44-character lines of the TD3 MRZ (ICAO 9303-4 §4.2.2): `P<VNM` and the name; the
/// document number, nationality, dates, sex, the 12-digit ID as the personal number, and the
/// check digits (composite over positions 1-10, 14-20 and 22-43 of line 2).
pub fn mrz(p: &Persona) -> [String; 2] {
    let line1 = format!("P<VNM{}", mrz_name_field(&p.full_name, 39));
    let doc = format!("{:<<9}", document_number(p));
    let birth = p.date_of_birth.yymmdd();
    let expiry = date_of_expiry(p).yymmdd();
    let personal = format!("{:<<14}", p.id_number);
    let mut line2 = format!(
        "{doc}{}VNM{birth}{}{}{expiry}{}{personal}{}",
        check_digit(&doc),
        check_digit(&birth),
        p.sex.mrz(),
        check_digit(&expiry),
        check_digit(&personal),
    );
    let composite: String = [line2.get(0..10), line2.get(13..20), line2.get(21..43)]
        .into_iter()
        .map(|s| s.unwrap_or_default())
        .collect();
    line2.push(check_digit(&composite));
    [line1, line2]
}

/// The MRZ information BAC and PACE-MRZ derive their keys from (ICAO 9303-11 §9.7.2): the
/// passport's document number, date of birth and date of expiry, each with its check digit.
pub fn mrz_information(p: &Persona) -> Zeroizing<String> {
    let doc = format!("{:<<9}", document_number(p));
    let birth = p.date_of_birth.yymmdd();
    let expiry = date_of_expiry(p).yymmdd();
    Zeroizing::new(format!(
        "{doc}{}{birth}{}{expiry}{}",
        check_digit(&doc),
        check_digit(&birth),
        check_digit(&expiry)
    ))
}

/// DG1 (tag `61`): `5F1F` with the 88 characters of the TD3 MRZ.
pub fn dg1(p: &Persona) -> Vec<u8> {
    let mut w = Writer::new();
    w.constructed(Tag(0x61), |w| {
        w.put(Tag(0x5F1F), mrz(p).concat().as_bytes());
    });
    w.into_bytes()
}

/// The full name as DG11 holds it (ICAO 9303-10 §4.7.11): the family name, `<<`, then the
/// given names, in national characters.
pub fn dg11_name(p: &Persona) -> String {
    match p.full_name.split_once(' ') {
        Some((family, given)) => format!("{family}<<{given}"),
        None => p.full_name.clone(),
    }
}

/// DG11 (tag `6B`), additional personal details: the tag list `5C`, the full name `5F0E`, the
/// personal number `5F10` (the 12-digit ID), the full date of birth `5F2B` (`YYYYMMDD`) and the
/// place of birth `5F11`.
pub fn dg11(p: &Persona) -> Vec<u8> {
    let birth = format!(
        "{:04}{:02}{:02}",
        p.date_of_birth.year, p.date_of_birth.month, p.date_of_birth.day
    );
    let mut w = Writer::new();
    w.constructed(Tag(0x6B), |w| {
        w.put(Tag(0x5C), &[0x5F, 0x0E, 0x5F, 0x10, 0x5F, 0x2B, 0x5F, 0x11]);
        w.put(Tag(0x5F0E), dg11_name(p).as_bytes());
        w.put(Tag(0x5F10), p.id_number.as_bytes());
        w.put(Tag(0x5F2B), birth.as_bytes());
        w.put(Tag(0x5F11), p.place_of_origin.as_bytes());
    });
    w.into_bytes()
}

/// DG12 (tag `6C`), additional document details: the tag list `5C`, the issuing authority
/// `5F19` and the date of issue `5F26` (`YYYYMMDD`).
pub fn dg12(p: &Persona) -> Vec<u8> {
    let issue = p.date_of_issue;
    let issued = format!("{:04}{:02}{:02}", issue.year, issue.month, issue.day);
    let mut w = Writer::new();
    w.constructed(Tag(0x6C), |w| {
        w.put(Tag(0x5C), &[0x5F, 0x19, 0x5F, 0x26]);
        w.put(Tag(0x5F19), ISSUING_AUTHORITY.as_bytes());
        w.put(Tag(0x5F26), issued.as_bytes());
    });
    w.into_bytes()
}

/// The passport's files: EF.CardAccess (PACE, as the CCCD's), EF.COM, DG1, DG2, DG11, DG12,
/// and DG14/DG15 for `keys`; EF.COM lists all six data groups. EF.SOD is added by the card.
pub fn file_system(p: &Persona, keys: &CardKeys, dg2_size: usize) -> FileSystem {
    let mut fs = FileSystem::new();
    fs.insert(card_access(&CCCD_CARD_ACCESS));
    fs.insert(ElementaryFile::protected(FID_COM, ef_com(&DATA_GROUP_TAGS)));
    fs.insert(ElementaryFile::protected(fid_dg(1), dg1(p)));
    fs.insert(ElementaryFile::protected(fid_dg(2), dg2(p, dg2_size)));
    fs.insert(ElementaryFile::protected(fid_dg(11), dg11(p)));
    fs.insert(ElementaryFile::protected(fid_dg(12), dg12(p)));
    add_key_files(&mut fs, keys);
    fs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn td3_mrz_of_a_persona() {
        let p = Persona::generate(8);
        let [line1, line2] = mrz(&p);
        assert_eq!((line1.len(), line2.len()), (44, 44));
        assert_eq!(&line2[..8], document_number(&p));
        assert_eq!(&line2[10..13], "VNM");
        assert_eq!(&line2[28..40], p.id_number);
        // The MRZ information is line 2's positions 1-10, 14-20 and 22-28.
        let info = [&line2[0..10], &line2[13..20], &line2[21..28]].concat();
        assert_eq!(mrz_information(&p).as_str(), info);
    }

    #[test]
    fn icao_9303_4_specimen_check_digits() {
        // ICAO 9303-4 Appendix A (TD3 specimen): L898902C3 UTO 7408122 F 1204159 ZE184226B<<<<<1 0.
        let line2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10";
        assert_eq!(check_digit("L898902C3"), '6');
        assert_eq!(check_digit("ZE184226B<<<<<"), '1');
        let composite: String = [&line2[0..10], &line2[13..20], &line2[21..43]].concat();
        assert_eq!(check_digit(&composite), '0');
    }
}
