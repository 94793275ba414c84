//! The simulated card's EF.SOD: every data group hashed and signed by the simulator's own
//! country PKI (one test CSCA for all simulated cards, like a real country), plus the
//! tampering a forger would try, so passive authentication can be seen to catch each one.

use super::fs::{
    fid_dg, Access, ElementaryFile, FileSystem, Location, FID_CARD_ACCESS, FID_CARD_SECURITY,
    FID_SOD,
};
use super::keys::CardKeys;
use super::pki::{KeyAlgorithm, PkiConfig, PkiError, TestPki};
use crate::crypto::ec::NamedCurve;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Seed of the simulator's country PKI: fixed, so `cccd sim csca` gives the anchor that every
/// simulated card chains to.
const COUNTRY_SEED: u64 = 0x0084_0000_0704;

/// A forgery or a lapse applied to the simulated document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Tamper {
    /// DG13 edited after the SOD was signed (a changed name or address).
    EditedDg13,
    /// The SOD of another card (another seed) copied onto this one.
    ForeignSod,
    /// Signed by a DSC whose validity ended (signed in 2012, expired in 2015).
    ExpiredDsc,
}

impl core::str::FromStr for Tamper {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "edited-dg13" => Ok(Self::EditedDg13),
            "foreign-sod" => Ok(Self::ForeignSod),
            "expired-dsc" => Ok(Self::ExpiredDsc),
            other => Err(format!(
                "unknown tampering {other:?} (edited-dg13, foreign-sod, expired-dsc)"
            )),
        }
    }
}

fn country_config() -> PkiConfig {
    PkiConfig::new(
        KeyAlgorithm::Ecdsa {
            curve: NamedCurve::BrainpoolP256r1,
            explicit: true,
        },
        COUNTRY_SEED,
    )
}

/// The simulator's country PKI (CSCA and DSC, ECDSA on brainpoolP256r1 with explicit
/// parameters, as many ICAO CSCAs are).
pub fn country_pki() -> Result<&'static TestPki, PkiError> {
    static PKI: OnceLock<Result<TestPki, PkiError>> = OnceLock::new();
    PKI.get_or_init(|| TestPki::new(&country_config()))
        .as_ref()
        .map_err(Clone::clone)
}

fn expired_pki() -> Result<&'static TestPki, PkiError> {
    static PKI: OnceLock<Result<TestPki, PkiError>> = OnceLock::new();
    PKI.get_or_init(|| {
        let mut config = country_config();
        config.expired_dsc = true;
        TestPki::new(&config)
    })
    .as_ref()
    .map_err(Clone::clone)
}

/// The test CSCA certificate (DER) every simulated card chains to.
pub fn csca_certificate() -> Result<&'static [u8], PkiError> {
    country_pki().map(TestPki::csca_certificate)
}

fn data_groups(fs: &FileSystem) -> BTreeMap<u8, Vec<u8>> {
    (1..=16u8)
        .filter_map(|n| fs.content(fid_dg(n)).map(|c| (n, c.to_vec())))
        .collect()
}

/// Signs the data groups of `fs` into an EF.SOD and adds it, applying `tamper`. `foreign`
/// builds the file system of another card, for [`Tamper::ForeignSod`].
pub(crate) fn attach_sod(
    fs: &mut FileSystem,
    tamper: Option<Tamper>,
    foreign: impl FnOnce() -> FileSystem,
) -> Result<(), PkiError> {
    let (pki, groups) = match tamper {
        Some(Tamper::ExpiredDsc) => (expired_pki()?, data_groups(fs)),
        Some(Tamper::ForeignSod) => (country_pki()?, data_groups(&foreign())),
        _ => (country_pki()?, data_groups(fs)),
    };
    let sod = pki.issue_sod(&groups)?;
    fs.insert(ElementaryFile::protected(FID_SOD, sod));
    if tamper == Some(Tamper::EditedDg13) {
        if let Some(dg13) = fs.get_mut(fid_dg(13)) {
            // Change one letter of the value bytes (the last byte is inside the last field).
            if let Some(b) = dg13.content.last_mut() {
                *b ^= 0x01;
            }
        }
    }
    Ok(())
}

/// EF.CardSecurity in the master file (FID `011D`, SFI `1D`, read under PACE's secure
/// messaging), signed by the country's Document Signer over EF.CardAccess's SecurityInfos and
/// the chip's Chip Authentication public key: the file PACE-CAM needs (ICAO 9303-11 §9.2.11,
/// §4.4.3.5.2).
pub(crate) fn attach_card_security(fs: &mut FileSystem, keys: &CardKeys) -> Result<(), PkiError> {
    let card_access = fs
        .content_in(Location::MasterFile, FID_CARD_ACCESS)
        .unwrap_or(&[])
        .to_vec();
    let infos = super::files::card_security_infos(&card_access, &keys.chip_authentication);
    let content = country_pki()?.issue_card_security(&infos)?;
    fs.insert(ElementaryFile {
        fid: FID_CARD_SECURITY,
        sfi: Some(0x1D),
        location: Location::MasterFile,
        access: Access::SecureMessaging,
        content,
    });
    Ok(())
}
