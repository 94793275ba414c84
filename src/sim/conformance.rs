//! The test chips and dumps of BSI TR-03105 Part 5.1 v1.5 ("Test plan for ICAO compliant
//! Inspection Systems"): for each test ID the simulator can play, the files of a simulated
//! CCCD changed as the plan's configuration says, signed by a test PKI of the plan's
//! algorithms ([`super::pki`]), with the CSCA to trust. `docs/conformance/catalogue.json`
//! lists every ID of the plan, what each checks and what it expects; this module builds the
//! applicable ones.
//!
//! The plan's configurations modify a German specimen passport (`CFG.DFLT.EAC`: DG1, DG2,
//! DG3, DG4, DG14; `CFG.DFLT.EACAA` adds DG15; `CFG.DFLT.PACE`: DG1, DG2, DG14). Here the base
//! is the simulated CCCD of [`SEED`] (DG1, DG2, DG3, DG13, DG14, DG15) cut to the same shape:
//! [`Base::Eac`] leaves out DG15, [`Base::EacAa`] keeps it, [`Base::Pace`] leaves out DG3 and
//! DG15. Everything is rebuilt from the seed on each call, deterministically, with the
//! simulator's own encoders: no reader code is involved.
//!
//! ```
//! use cccd::sim::conformance::{case, Expected};
//! let c = case("LDS_H_63").unwrap();
//! assert_eq!(c.expected, Expected::Fail);
//! assert!(c.sod().is_some());
//! assert!(!c.trust_anchors.is_empty());
//! ```

use super::card::{Card, CardOptions, Profile};
use super::files::{dg14, ef_com, CCCD_CARD_ACCESS};
use super::fs::{fid_dg, Access, ElementaryFile, FileSystem, Location, FID_CARD_ACCESS};
use super::fs::{FID_CARD_SECURITY, FID_COM, FID_SOD};
use super::pace::{Mapping, PaceConfig};
use super::pki::{
    validity, CertParts, ChainSpec, DigestAlgorithm, KeySpec, PkiError, Scheme, SodParts, SodSpec,
    TestPki,
};
use crate::crypto::ec::NamedCurve;
use crate::crypto::CipherAlg;
use crate::tlv::{encode, Tag};
use std::collections::BTreeMap;
use std::path::Path;
use thiserror::Error;

/// The persona and card keys every conformance chip is built from.
pub const SEED: u64 = 0x0003_1055;

/// FID of EF.ATR/INFO (ISO/IEC 7816-4 §8.2.1.1, ICAO 9303-10 §3.11.1), in the master file.
pub const FID_ATR_INFO: u16 = 0x2F01;

/// What the plan expects the inspection system to say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Expected {
    /// "MRTD inspection procedure successful".
    Pass,
    /// "MRTD inspection procedure failed".
    Fail,
}

/// The plan's base configuration a case changes, mapped onto the simulated CCCD.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Base {
    /// `CFG.DFLT.EAC`: no DG15 (no Active Authentication).
    Eac,
    /// `CFG.DFLT.EACAA`: with DG15.
    EacAa,
    /// `CFG.DFLT.PACE`: no DG3, no DG15.
    Pace,
}

/// A case that cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ConformanceError {
    /// No such test ID, or one the simulator does not build (see the catalogue).
    #[error("no simulated case for {0}")]
    UnknownCase(String),
    /// The test PKI failed.
    #[error(transparent)]
    Pki(#[from] PkiError),
}

/// One test chip: its files by dump name (`COM`, `SOD`, `DG1`, ..., `CardAccess`,
/// `CardSecurity`, `ATRInfo`), the certificates to trust, and what the plan expects.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConformanceCase {
    /// The plan's test ID, `LDS_H_01`.
    pub id: &'static str,
    /// The plan's expectation.
    pub expected: Expected,
    /// What is special or wrong in this chip, in a few words.
    pub defect: &'static str,
    /// The plan's base configuration.
    pub base: Base,
    /// Every file the chip holds, by dump name.
    pub files: BTreeMap<String, Vec<u8>>,
    /// Data groups the chip refuses to give without EAC (DG3).
    pub never_readable: Vec<u8>,
    /// CSCA certificates (DER) to trust.
    pub trust_anchors: Vec<Vec<u8>>,
    /// Other certificates an inspection system holds (the DSC when the SOD leaves it out).
    pub extra_certificates: Vec<Vec<u8>>,
    /// CRLs (DER) to load.
    pub crls: Vec<Vec<u8>>,
    /// The PACE the chip runs (its EF.CardAccess offers it): the CCCD's Generic Mapping, or
    /// PACE-CAM for the chips with EF.CardSecurity.
    pub pace: PaceConfig,
}

/// PACE-CAM on brainpoolP256r1 with AES-128: the chips that carry EF.CardSecurity (LDS_J,
/// LDS_H_93) offer it, so EF.CardAccess announces the file and PACE-CAM needs it.
fn pace_cam() -> PaceConfig {
    PaceConfig::new(13, Mapping::ChipAuthentication, CipherAlg::Aes128).unwrap_or(PaceConfig::CCCD)
}

impl ConformanceCase {
    /// EF.SOD.
    pub fn sod(&self) -> Option<&[u8]> {
        self.files.get("SOD").map(Vec::as_slice)
    }

    /// The data groups a reader without EAC can read, by number (what passive authentication
    /// of a dump sees).
    pub fn data_groups(&self) -> BTreeMap<u8, Vec<u8>> {
        (1..=16u8)
            .filter(|n| !self.never_readable.contains(n))
            .filter_map(|n| self.files.get(&format!("DG{n}")).map(|b| (n, b.clone())))
            .collect()
    }

    /// The in-process chip: the simulated CCCD of [`SEED`] holding exactly these files (its
    /// keys are the CCCD's, so Chip and Active Authentication hold for the genuine DG14/DG15),
    /// running [`Self::pace`]. EF.CardSecurity lives in the master file, EF.SOD in the
    /// application, both FID `011D`.
    pub fn card(&self) -> Card {
        let mut card = Card::with_options(Profile::Cccd, SEED, case_options(self.pace));
        let fs = card.files_mut();
        for n in 1..=16u8 {
            fs.remove(fid_dg(n));
        }
        fs.remove_in(Location::MasterFile, FID_CARD_SECURITY);
        for (name, content) in &self.files {
            let ef = match name.as_str() {
                "COM" => ElementaryFile::protected(FID_COM, content.clone()),
                "SOD" => ElementaryFile::protected(FID_SOD, content.clone()),
                "CardAccess" => ElementaryFile {
                    fid: FID_CARD_ACCESS,
                    sfi: Some(0x1C),
                    location: Location::MasterFile,
                    access: Access::Free,
                    content: content.clone(),
                },
                "CardSecurity" => ElementaryFile {
                    fid: FID_CARD_SECURITY,
                    sfi: Some(0x1D),
                    location: Location::MasterFile,
                    access: Access::SecureMessaging,
                    content: content.clone(),
                },
                "ATRInfo" => ElementaryFile {
                    fid: FID_ATR_INFO,
                    sfi: Some(0x01),
                    location: Location::MasterFile,
                    access: Access::Free,
                    content: content.clone(),
                },
                dg => match dg.strip_prefix("DG").and_then(|n| n.parse::<u8>().ok()) {
                    Some(n) => {
                        let mut ef = ElementaryFile::protected(fid_dg(n), content.clone());
                        if self.never_readable.contains(&n) {
                            ef.access = Access::Never;
                        }
                        ef
                    }
                    None => continue,
                },
            };
            fs.insert(ef);
        }
        card
    }

    /// Writes the dump: `NAME.bin` per file (the names `cccd read --out` uses), the trust
    /// anchors as `csca-N.cer`, other certificates as `cert-N.cer`, CRLs as `crl-N.crl`.
    pub fn write_dump(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        for (name, content) in &self.files {
            let n = name.strip_prefix("DG").and_then(|n| n.parse::<u8>().ok());
            if n.is_some_and(|n| self.never_readable.contains(&n)) {
                continue;
            }
            std::fs::write(dir.join(format!("{name}.bin")), content)?;
        }
        for (i, c) in self.trust_anchors.iter().enumerate() {
            std::fs::write(dir.join(format!("csca-{i}.cer")), c)?;
        }
        for (i, c) in self.extra_certificates.iter().enumerate() {
            std::fs::write(dir.join(format!("cert-{i}.cer")), c)?;
        }
        for (i, c) in self.crls.iter().enumerate() {
            std::fs::write(dir.join(format!("crl-{i}.crl")), c)?;
        }
        Ok(())
    }
}

/// Every test ID this module builds, in the plan's order.
pub const IDS: &[&str] = &[
    "ISO7816_B_10",
    "ISO7816_G_36",
    "LDS_F_01",
    "LDS_F_02",
    "LDS_F_03",
    "LDS_F_04",
    "LDS_F_05",
    "LDS_F_06",
    "LDS_F_07",
    "LDS_H_01",
    "LDS_H_02",
    "LDS_H_03",
    "LDS_H_04",
    "LDS_H_05",
    "LDS_H_06",
    "LDS_H_07",
    "LDS_H_08",
    "LDS_H_09",
    "LDS_H_10",
    "LDS_H_11",
    "LDS_H_12",
    "LDS_H_13",
    "LDS_H_14",
    "LDS_H_15",
    "LDS_H_17",
    "LDS_H_18",
    "LDS_H_19",
    "LDS_H_20",
    "LDS_H_21",
    "LDS_H_22",
    "LDS_H_23",
    "LDS_H_24",
    "LDS_H_25",
    "LDS_H_26",
    "LDS_H_27",
    "LDS_H_28",
    "LDS_H_29",
    "LDS_H_30",
    "LDS_H_31",
    "LDS_H_32",
    "LDS_H_33",
    "LDS_H_36",
    "LDS_H_37",
    "LDS_H_38",
    "LDS_H_39",
    "LDS_H_40",
    "LDS_H_41",
    "LDS_H_42",
    "LDS_H_43",
    "LDS_H_44",
    "LDS_H_45",
    "LDS_H_46",
    "LDS_H_47",
    "LDS_H_48",
    "LDS_H_49",
    "LDS_H_50",
    "LDS_H_51",
    "LDS_H_52",
    "LDS_H_53",
    "LDS_H_54",
    "LDS_H_55",
    "LDS_H_56",
    "LDS_H_57",
    "LDS_H_58",
    "LDS_H_59",
    "LDS_H_60",
    "LDS_H_61",
    "LDS_H_62",
    "LDS_H_63",
    "LDS_H_64",
    "LDS_H_65",
    "LDS_H_66",
    "LDS_H_67",
    "LDS_H_68",
    "LDS_H_69",
    "LDS_H_70",
    "LDS_H_71",
    "LDS_H_72",
    "LDS_H_73",
    "LDS_H_74",
    "LDS_H_75",
    "LDS_H_76",
    "LDS_H_77",
    "LDS_H_78",
    "LDS_H_79",
    "LDS_H_80",
    "LDS_H_81",
    "LDS_H_82",
    "LDS_H_83",
    "LDS_H_84",
    "LDS_H_85",
    "LDS_H_86",
    "LDS_H_87",
    "LDS_H_88",
    "LDS_H_89",
    "LDS_H_90",
    "LDS_H_91",
    "LDS_H_92",
    "LDS_H_93",
    "LDS_H_94",
    "LDS_H_95",
    "LDS_H_96",
    "LDS_H_97",
    "LDS_H_98",
    "LDS_I_01",
    "LDS_I_02",
    "LDS_I_03",
    "LDS_J_01",
    "LDS_J_02",
    "LDS_J_03",
    "LDS_J_04",
    "LDS_K_01",
    "LDS_K_02",
    "LDS_K_03",
    "LDS_K_04",
];

use DigestAlgorithm::{Md5, Sha1, Sha224, Sha256, Sha384, Sha512};

const RSA: KeySpec = KeySpec::Rsa;
const DSA: KeySpec = KeySpec::Dsa;
const fn ec(curve: NamedCurve) -> KeySpec {
    KeySpec::Ec {
        curve,
        explicit: false,
    }
}
const EC224: KeySpec = ec(NamedCurve::BrainpoolP224r1);
const EC256: KeySpec = ec(NamedCurve::BrainpoolP256r1);
const EC384: KeySpec = ec(NamedCurve::BrainpoolP384r1);
const EC512: KeySpec = ec(NamedCurve::BrainpoolP512r1);

/// The plan's default chain: RSA 3072 CSCA, RSA 2048 DSC, RSASSA-PSS with SHA-256 throughout.
const DEFAULT_CHAIN: ChainSpec = chain(RSA, Scheme::RsaPss(Sha256), RSA, Scheme::RsaPss(Sha256));

const fn chain(csca: KeySpec, chain_scheme: Scheme, dsc: KeySpec, dsc_scheme: Scheme) -> ChainSpec {
    ChainSpec {
        csca_key: csca,
        chain_scheme,
        dsc_key: dsc,
        dsc_scheme,
        seed: SEED,
    }
}

/// One algorithm and one hash throughout (the plan's positive matrix).
const fn uniform(csca: KeySpec, dsc: KeySpec, scheme: Scheme) -> ChainSpec {
    chain(csca, scheme, dsc, scheme)
}

const fn sod_spec(lds: DigestAlgorithm, signer: DigestAlgorithm, scheme: Scheme) -> SodSpec {
    SodSpec {
        lds_digest: lds,
        signer_digest: signer,
        scheme,
        include_dsc: true,
        sid_by_key_identifier: false,
    }
}

/// The default SOD: SHA-256 data-group hashes and messageDigest, RSASSA-PSS with SHA-256.
const DEFAULT_SOD: SodSpec = sod_spec(Sha256, Sha256, Scheme::RsaPss(Sha256));

fn int(v: &[u8]) -> Vec<u8> {
    encode(Tag(0x02), v)
}
fn seq(parts: &[&[u8]]) -> Vec<u8> {
    encode(Tag(0x30), &parts.concat())
}
fn oid(dotted: &str) -> Vec<u8> {
    let o = const_oid::ObjectIdentifier::new(dotted)
        .unwrap_or(const_oid::ObjectIdentifier::new_unwrap("0.0"));
    encode(Tag(0x06), o.as_bytes())
}

/// The simulated CCCD's options for a case chip running `pace`.
fn case_options(pace: PaceConfig) -> CardOptions {
    CardOptions {
        pace: Some(pace),
        ..CardOptions::default()
    }
}

/// The simulated CCCD's files (running `pace`) cut to `base`, without EF.SOD and
/// EF.CardSecurity (each case signs its own).
fn base_files(base: Base, pace: PaceConfig) -> FileSystem {
    let card = Card::with_options(Profile::Cccd, SEED, case_options(pace));
    let mut fs = card.files().clone();
    fs.remove_in(Location::Applet, FID_SOD);
    fs.remove_in(Location::MasterFile, FID_CARD_SECURITY);
    let (drop, com): (&[u8], &[u8]) = match base {
        Base::Eac => (&[15], &[0x61, 0x75, 0x63, 0x6D, 0x6E]),
        Base::EacAa => (&[], &[0x61, 0x75, 0x63, 0x6D, 0x6E, 0x6F]),
        Base::Pace => (&[3, 15], &[0x61, 0x75, 0x6D, 0x6E]),
    };
    for n in drop {
        fs.remove(fid_dg(*n));
    }
    fs.insert(ElementaryFile::protected(FID_COM, ef_com(com)));
    fs
}

fn data_groups_of(fs: &FileSystem) -> BTreeMap<u8, Vec<u8>> {
    (1..=16u8)
        .filter_map(|n| fs.content(fid_dg(n)).map(|c| (n, c.to_vec())))
        .collect()
}

/// A case under construction: the files, then the SOD signed over the data groups.
struct Builder {
    id: &'static str,
    expected: Expected,
    defect: &'static str,
    base: Base,
    fs: FileSystem,
    extra_files: BTreeMap<String, Vec<u8>>,
    extra_certificates: Vec<Vec<u8>>,
    crls: Vec<Vec<u8>>,
    pace: PaceConfig,
}

impl Builder {
    fn new(id: &'static str, expected: Expected, defect: &'static str, base: Base) -> Self {
        Self::with_pace(id, expected, defect, base, PaceConfig::CCCD)
    }

    /// A chip whose EF.CardAccess (and DG14) offer `pace`.
    fn with_pace(
        id: &'static str,
        expected: Expected,
        defect: &'static str,
        base: Base,
        pace: PaceConfig,
    ) -> Self {
        Self {
            id,
            expected,
            defect,
            base,
            fs: base_files(base, pace),
            extra_files: BTreeMap::new(),
            extra_certificates: Vec::new(),
            crls: Vec::new(),
            pace,
        }
    }

    fn set_dg(&mut self, n: u8, content: Vec<u8>) {
        self.fs
            .insert(ElementaryFile::protected(fid_dg(n), content));
    }

    /// Signs the SOD over the current data groups (`hashed`, when given, replaces them for
    /// the hashes only), then applies `after` to the chip's files (changes made after
    /// signing).
    fn finish(
        self,
        pki: &TestPki,
        spec: &SodSpec,
        hashed: Option<BTreeMap<u8, Vec<u8>>>,
        hook: impl FnOnce(&mut SodParts),
    ) -> Result<ConformanceCase, ConformanceError> {
        let groups = hashed.unwrap_or_else(|| data_groups_of(&self.fs));
        let sod = pki.issue_sod_with(&groups, spec, hook)?;
        Ok(self.into_case(pki, sod))
    }

    fn into_case(self, pki: &TestPki, sod: Vec<u8>) -> ConformanceCase {
        let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        let mut never_readable = Vec::new();
        for ef in self.fs.iter() {
            let name = match (ef.location, ef.fid) {
                (Location::MasterFile, FID_CARD_ACCESS) => "CardAccess".to_string(),
                (Location::MasterFile, FID_ATR_INFO) => "ATRInfo".to_string(),
                (Location::MasterFile, _) => continue,
                (_, FID_COM) => "COM".to_string(),
                (_, FID_SOD) => continue,
                (_, fid) if fid & 0xFF00 == 0x0100 && (1..=16).contains(&(fid & 0xFF)) => {
                    let n = u8::try_from(fid & 0xFF).unwrap_or(0);
                    if ef.access == Access::Never {
                        never_readable.push(n);
                    }
                    format!("DG{n}")
                }
                _ => continue,
            };
            files.insert(name, ef.content.clone());
        }
        files.insert("SOD".into(), sod);
        files.extend(self.extra_files);
        ConformanceCase {
            id: self.id,
            expected: self.expected,
            defect: self.defect,
            base: self.base,
            files,
            never_readable,
            trust_anchors: vec![pki.csca_certificate().to_vec()],
            extra_certificates: self.extra_certificates,
            crls: self.crls,
            pace: self.pace,
        }
    }
}

/// Builds the chip of test `id` (a BSI TR-03105-5.1 v1.5 ID; the cases it moved to the ICAO
/// test specification keep their BSI ID here, see the catalogue).
pub fn case(id: &str) -> Result<ConformanceCase, ConformanceError> {
    let id: &'static str = IDS
        .iter()
        .copied()
        .find(|k| *k == id)
        .ok_or_else(|| ConformanceError::UnknownCase(id.to_owned()))?;
    use Expected::{Fail, Pass};
    let default = || TestPki::with_chain(&DEFAULT_CHAIN, |_| {});
    // A positive algorithm case: one chain, one SOD spec, no defect.
    let algo = |defect, chain: ChainSpec, spec: SodSpec| -> Result<_, ConformanceError> {
        let pki = TestPki::with_chain(&chain, |_| {})?;
        Builder::new(id, Pass, defect, Base::Eac).finish(&pki, &spec, None, |_| {})
    };
    let same = |scheme: Scheme| sod_spec(scheme.digest(), scheme.digest(), scheme);
    // A defect in the DSC, the SOD otherwise the default.
    let dsc_defect = |defect, hook: &dyn Fn(&mut CertParts)| -> Result<_, ConformanceError> {
        let pki = TestPki::with_chain(&DEFAULT_CHAIN, hook)?;
        Builder::new(id, Fail, defect, Base::Eac).finish(&pki, &DEFAULT_SOD, None, |_| {})
    };
    // A defect in the SOD, the chain the default.
    let sod_defect = |defect, hook: &dyn Fn(&mut SodParts)| -> Result<_, ConformanceError> {
        let pki = default()?;
        Builder::new(id, Fail, defect, Base::Eac).finish(&pki, &DEFAULT_SOD, None, hook)
    };
    match id {
        // ---- LDS_H: the positive algorithm matrix ----
        "LDS_H_01" => algo(
            "RSASSA-PKCS1-v1_5 with SHA-1 throughout (deprecated SHA-1 profile)",
            uniform(RSA, RSA, Scheme::RsaPkcs1(Sha1)),
            same(Scheme::RsaPkcs1(Sha1)),
        ),
        "LDS_H_02" => algo(
            "RSASSA-PSS with SHA-1 throughout (deprecated SHA-1 profile)",
            uniform(RSA, RSA, Scheme::RsaPss(Sha1)),
            same(Scheme::RsaPss(Sha1)),
        ),
        "LDS_H_03" => algo(
            "RSASSA-PSS with SHA-256 throughout (the default chip)",
            DEFAULT_CHAIN,
            DEFAULT_SOD,
        ),
        "LDS_H_04" | "LDS_H_05" | "LDS_H_06" | "LDS_H_07" => {
            let h = match id {
                "LDS_H_04" => Sha224,
                "LDS_H_05" => Sha256,
                "LDS_H_06" => Sha384,
                _ => Sha512,
            };
            algo(
                "RSASSA-PKCS1-v1_5 throughout, one SHA-2 hash",
                uniform(RSA, RSA, Scheme::RsaPkcs1(h)),
                same(Scheme::RsaPkcs1(h)),
            )
        }
        "LDS_H_08" | "LDS_H_97" | "LDS_H_98" => {
            let h = match id {
                "LDS_H_08" => Sha1,
                "LDS_H_97" => Sha224,
                _ => Sha256,
            };
            algo(
                "DSA throughout (CSCA L=3072, DSC L=2048)",
                uniform(DSA, DSA, Scheme::Dsa(h)),
                same(Scheme::Dsa(h)),
            )
        }
        "LDS_H_09" => algo(
            "ECDSA with SHA-1, ANSI X9.62 OID (CSCA 256-bit, DSC 224-bit curve)",
            uniform(EC256, EC224, Scheme::Ecdsa(Sha1)),
            same(Scheme::Ecdsa(Sha1)),
        ),
        "LDS_H_10" | "LDS_H_11" | "LDS_H_12" | "LDS_H_13" | "LDS_H_14" => {
            let (h, csca, dsc) = match id {
                "LDS_H_10" => (Sha1, EC256, EC224),
                "LDS_H_11" => (Sha224, EC256, EC224),
                "LDS_H_12" => (Sha256, EC256, EC256),
                "LDS_H_13" => (Sha384, EC384, EC384),
                _ => (Sha512, EC512, EC512),
            };
            algo(
                "ECDSA with a BSI TR-03111 plain-signature OID throughout",
                uniform(csca, dsc, Scheme::EcdsaPlain(h)),
                same(Scheme::EcdsaPlain(h)),
            )
        }
        "LDS_H_70" | "LDS_H_71" | "LDS_H_72" | "LDS_H_73" => {
            let (h, csca, dsc) = match id {
                "LDS_H_70" => (Sha224, EC256, EC224),
                "LDS_H_71" => (Sha256, EC256, EC256),
                "LDS_H_72" => (Sha384, EC384, EC384),
                _ => (Sha512, EC512, EC512),
            };
            algo(
                "ECDSA with an ANSI X9.62 OID throughout",
                uniform(csca, dsc, Scheme::Ecdsa(h)),
                same(Scheme::Ecdsa(h)),
            )
        }
        "LDS_H_79" | "LDS_H_80" | "LDS_H_81" | "LDS_H_82" | "LDS_H_83" => {
            let h = match id {
                "LDS_H_79" => Sha1,
                "LDS_H_80" => Sha224,
                "LDS_H_81" => Sha256,
                "LDS_H_82" => Sha384,
                _ => Sha512,
            };
            algo(
                "SignerInfo signatureAlgorithm is rsaEncryption (PKCS#1 v1.5, hash from digestAlgorithm)",
                chain(RSA, Scheme::RsaPkcs1(h), RSA, Scheme::RsaPkcs1(h)),
                same(Scheme::RsaPkcs1RsaEncryption(h)),
            )
        }
        "LDS_H_94" | "LDS_H_95" | "LDS_H_96" => {
            let h = match id {
                "LDS_H_94" => Sha224,
                "LDS_H_95" => Sha384,
                _ => Sha512,
            };
            algo(
                "RSASSA-PSS throughout, one SHA-2 hash",
                uniform(RSA, RSA, Scheme::RsaPss(h)),
                same(Scheme::RsaPss(h)),
            )
        }
        "LDS_H_74" => algo(
            "LDS security object hashed with SHA-224, SignerInfo digest SHA-256",
            DEFAULT_CHAIN,
            sod_spec(Sha224, Sha256, Scheme::RsaPss(Sha256)),
        ),
        "LDS_H_75" => algo(
            "SHA-224 data-group hashes and messageDigest, SOD signed RSASSA-PSS-SHA-256",
            DEFAULT_CHAIN,
            sod_spec(Sha224, Sha224, Scheme::RsaPss(Sha256)),
        ),
        "LDS_H_76" => algo(
            "ECDSA CSCA (ECDSA-SHA-224 chain) certifying an RSA DSC that signs PKCS#1-SHA-256",
            chain(EC256, Scheme::Ecdsa(Sha224), RSA, Scheme::RsaPkcs1(Sha256)),
            sod_spec(Sha224, Sha224, Scheme::RsaPkcs1(Sha256)),
        ),
        "LDS_H_77" => algo(
            "chain RSASSA-PSS-SHA-224, SOD RSASSA-PSS-SHA-256",
            chain(RSA, Scheme::RsaPss(Sha224), RSA, Scheme::RsaPss(Sha256)),
            DEFAULT_SOD,
        ),
        "LDS_H_78" => algo(
            "chain RSASSA-PKCS1-v1_5-SHA-256, SOD RSASSA-PSS-SHA-256",
            chain(RSA, Scheme::RsaPkcs1(Sha256), RSA, Scheme::RsaPss(Sha256)),
            DEFAULT_SOD,
        ),
        "LDS_H_15" => {
            let pki = TestPki::with_chain(&uniform(RSA, RSA, Scheme::RsaPkcs1(Sha256)), |_| {})?;
            let mut b = Builder::new(
                id,
                Pass,
                "the SOD carries no DSC; the inspection system holds it",
                Base::Eac,
            );
            b.extra_certificates.push(pki.dsc_certificate().to_vec());
            let spec = SodSpec {
                include_dsc: false,
                ..same(Scheme::RsaPkcs1(Sha256))
            };
            b.finish(&pki, &spec, None, |_| {})
        }
        // ---- LDS_H: the SOD's structure (moved to ICAO-P4 LDS_D_02..24) ----
        "LDS_H_17" => sod_defect("EF.SOD tag 78 instead of 77", &|p| p.outer_tag = 0x78),
        "LDS_H_18" | "LDS_H_19" => {
            let pki = default()?;
            let b = Builder::new(
                id,
                Fail,
                "EF.SOD's outer length one too small or too big",
                Base::Eac,
            );
            let groups = data_groups_of(&b.fs);
            let mut sod = pki.issue_sod_with(&groups, &DEFAULT_SOD, |_| {})?;
            adjust_outer_length(&mut sod, if id == "LDS_H_18" { -1 } else { 1 });
            Ok(b.into_case(&pki, sod))
        }
        "LDS_H_20" => sod_defect("SignedData version 2 instead of 3", &|p| {
            p.signed_data_version = Some(int(&[2]))
        }),
        "LDS_H_21" => sod_defect("SignedData without version", &|p| {
            p.signed_data_version = None
        }),
        "LDS_H_22" => sod_defect("SignedData digestAlgorithms lists MD5", &|p| {
            p.digest_algorithms = Some(encode(Tag(0x31), &Md5.algorithm_identifier()))
        }),
        "LDS_H_23" => sod_defect("SignedData without digestAlgorithms", &|p| {
            p.digest_algorithms = None
        }),
        "LDS_H_24" => sod_defect(
            "eContentType id-data instead of the LDS security object (contentType attribute too)",
            &|p| {
                let id_data = oid("1.2.840.113549.1.7.1");
                p.econtent_type = Some(id_data.clone());
                if let Some(i) = p.find_attribute(SodParts::CONTENT_TYPE) {
                    if let Some(a) = p.signed_attributes.get_mut(i) {
                        *a = seq(&[&oid(SodParts::CONTENT_TYPE), &encode(Tag(0x31), &id_data)]);
                    }
                }
            },
        ),
        "LDS_H_25" => sod_defect("EncapsulatedContentInfo without eContentType", &|p| {
            p.econtent_type = None
        }),
        "LDS_H_26" => sod_defect("SignerInfo version 2 (neither 1 nor 3)", &|p| {
            p.signer_version = Some(int(&[2]))
        }),
        "LDS_H_27" => sod_defect("SignerInfo without version", &|p| p.signer_version = None),
        "LDS_H_28" => {
            let pki = default()?;
            let mut serial = pki.dsc_serial().to_vec();
            if let Some(last) = serial.last_mut() {
                *last ^= 0x01;
            }
            let sid = seq(&[pki.csca_name(), &der_uint(&serial)]);
            Builder::new(
                id,
                Fail,
                "SignerInfo v1 names a serial number no certificate has",
                Base::Eac,
            )
            .finish(&pki, &DEFAULT_SOD, None, |p| p.sid = Some(sid))
        }
        "LDS_H_29" => {
            let pki = default()?;
            let spec = SodSpec {
                sid_by_key_identifier: true,
                ..DEFAULT_SOD
            };
            let mut ski = pki.dsc_key_identifier().to_vec();
            if let Some(b) = ski.first_mut() {
                *b ^= 0xFF;
            }
            Builder::new(
                id,
                Fail,
                "SignerInfo v3 names a subjectKeyIdentifier no certificate has",
                Base::Eac,
            )
            .finish(&pki, &spec, None, |p| p.sid = Some(encode(Tag(0x80), &ski)))
        }
        "LDS_H_30" => {
            let pki = default()?;
            Builder::new(
                id,
                Fail,
                "SignerInfo digestAlgorithm MD5 (messageDigest computed with MD5)",
                Base::Eac,
            )
            .finish(
                &pki,
                &sod_spec(Sha256, Md5, Scheme::RsaPss(Sha256)),
                None,
                |_| {},
            )
        }
        "LDS_H_31" => sod_defect("SignerInfo without digestAlgorithm", &|p| {
            p.signer_digest_algorithm = None
        }),
        "LDS_H_32" => sod_defect("messageDigest attribute does not match the content", &|p| {
            if let Some(i) = p.find_attribute(SodParts::MESSAGE_DIGEST) {
                if let Some(a) = p.signed_attributes.get_mut(i) {
                    if let Some(b) = a.last_mut() {
                        *b ^= 0x01;
                    }
                }
            }
        }),
        "LDS_H_33" => sod_defect("signed attributes without messageDigest", &|p| {
            if let Some(i) = p.find_attribute(SodParts::MESSAGE_DIGEST) {
                p.signed_attributes.remove(i);
            }
        }),
        "LDS_H_36" => sod_defect(
            "SignerInfo signatureAlgorithm md5WithRSAEncryption (a real MD5 signature)",
            &|p| {
                p.scheme = Scheme::RsaPkcs1(Md5);
                p.signature_algorithm = Some(Scheme::RsaPkcs1(Md5).algorithm_identifier());
            },
        ),
        "LDS_H_37" => {
            let pki = default()?;
            let b = Builder::new(id, Fail, "SOD signature value corrupted", Base::Eac);
            let groups = data_groups_of(&b.fs);
            // The signature OCTET STRING ends the SignerInfo, which ends the SOD.
            let mut sod = pki.issue_sod_with(&groups, &DEFAULT_SOD, |_| {})?;
            if let Some(last) = sod.last_mut() {
                *last ^= 0x01;
            }
            Ok(b.into_case(&pki, sod))
        }
        "LDS_H_38" => sod_defect("SignerInfo without signature", &|p| {
            p.signature_value = false
        }),
        "LDS_H_39" => sod_defect("LDSSecurityObject version 2", &|p| {
            p.lso_version = Some(int(&[2]));
            p.refresh_message_digest();
        }),
        "LDS_H_40" => sod_defect("LDSSecurityObject without version", &|p| {
            p.lso_version = None;
            p.refresh_message_digest();
        }),
        "LDS_H_41" => {
            let pki = default()?;
            Builder::new(
                id,
                Fail,
                "LDSSecurityObject hashAlgorithm MD5 (data groups hashed with MD5)",
                Base::Eac,
            )
            .finish(
                &pki,
                &sod_spec(Md5, Sha256, Scheme::RsaPss(Sha256)),
                None,
                |_| {},
            )
        }
        "LDS_H_42" => sod_defect("LDSSecurityObject without hashAlgorithm", &|p| {
            p.lso_hash_algorithm = None;
            p.refresh_message_digest();
        }),
        "LDS_H_43" => {
            let pki = default()?;
            let b = Builder::new(id, Fail, "the SOD's DG2 hash is wrong", Base::Eac);
            let mut groups = data_groups_of(&b.fs);
            if let Some(dg2) = groups.get_mut(&2) {
                dg2.push(0x00);
            }
            b.finish(&pki, &DEFAULT_SOD, Some(groups), |_| {})
        }
        "LDS_H_44" => {
            let pki = default()?;
            let b = Builder::new(id, Fail, "the SOD has no hash for DG1", Base::Eac);
            let mut groups = data_groups_of(&b.fs);
            groups.remove(&1);
            b.finish(&pki, &DEFAULT_SOD, Some(groups), |_| {})
        }
        "LDS_H_45" => sod_defect("the SOD hashes a DG10 the chip does not hold", &|p| {
            p.data_group_hashes
                .push(SodParts::data_group_hash(10, &Sha256.digest(b"DG10")));
            p.data_group_hashes.sort();
            p.refresh_message_digest();
        }),
        "LDS_H_46" => sod_defect("DataGroupNumber of DG1 encoded as 'FF'", &|p| {
            if let Some(first) = p.data_group_hashes.first_mut() {
                // 30 len 02 01 01 ...: the number's value byte is at offset 4.
                if first.get(4) == Some(&0x01) {
                    if let Some(b) = first.get_mut(4) {
                        *b = 0xFF;
                    }
                }
            }
            p.refresh_message_digest();
        }),
        "LDS_H_47" => sod_defect("the DG2 DataGroupHash has no DataGroupNumber", &|p| {
            for h in p.data_group_hashes.iter_mut() {
                if h.get(2..5) == Some(&[0x02, 0x01, 0x02]) {
                    let rest = h.get(5..).unwrap_or(&[]).to_vec();
                    *h = encode(Tag(0x30), &rest);
                }
            }
            p.refresh_message_digest();
        }),
        "LDS_H_84" => sod_defect("SignerInfo version 3 with issuerAndSerialNumber", &|p| {
            p.signer_version = Some(int(&[3]))
        }),
        "LDS_H_85" => {
            let pki = default()?;
            let spec = SodSpec {
                sid_by_key_identifier: true,
                ..DEFAULT_SOD
            };
            Builder::new(
                id,
                Fail,
                "SignerInfo version 1 with subjectKeyIdentifier",
                Base::Eac,
            )
            .finish(&pki, &spec, None, |p| p.signer_version = Some(int(&[1])))
        }
        "LDS_H_86" | "LDS_H_87" | "LDS_H_88" | "LDS_H_89" => {
            let (version, info, expected, defect): (u8, Option<&str>, Expected, &'static str) =
                match id {
                    "LDS_H_86" => (1, Some("0108"), Pass, "LDSSecurityObject v1 with LDS 1.8"),
                    "LDS_H_87" => (0, Some("0108"), Fail, "LDS 1.8 version info in a v0 object"),
                    "LDS_H_88" => (
                        1,
                        None,
                        Fail,
                        "v1 object without LDS version info (LDS 1.7)",
                    ),
                    _ => (
                        1,
                        Some("0109"),
                        Pass,
                        "LDSSecurityObject v1 announcing LDS 1.9",
                    ),
                };
            let pki = default()?;
            Builder::new(id, expected, defect, Base::Eac).finish(&pki, &DEFAULT_SOD, None, |p| {
                p.lso_version = Some(int(&[version]));
                p.lds_version_info = info.map(|v| {
                    seq(&[
                        &encode(Tag(0x13), v.as_bytes()),
                        &encode(Tag(0x13), b"040000"),
                    ])
                });
                p.refresh_message_digest();
            })
        }
        // ---- LDS_H: the DSC ----
        "LDS_H_48" => dsc_defect("DSC version v2 instead of v3", &|c| {
            c.version = Some(encode(Tag(0xA0), &int(&[1])))
        }),
        "LDS_H_49" => dsc_defect("DSC without version (v1 with extensions)", &|c| {
            c.version = None
        }),
        "LDS_H_50" => dsc_defect("DSC without serialNumber", &|c| c.serial = None),
        "LDS_H_51" => dsc_defect(
            "DSC's TBS signature field (PKCS#1-SHA-256) differs from signatureAlgorithm (PSS)",
            &|c| c.tbs_signature_algorithm = Some(Scheme::RsaPkcs1(Sha256).algorithm_identifier()),
        ),
        "LDS_H_52" => dsc_defect("DSC's TBS has no signature field", &|c| {
            c.tbs_signature_algorithm = None
        }),
        "LDS_H_53" => {
            // ICAO 9303-12 §7.1.1: the issuer (the CSCA's name) carries countryName. A CSCA
            // named O and CN only, its certificate and the DSC otherwise valid and signed.
            let atv = |t: &str, v: &str| {
                encode(
                    Tag(0x31),
                    &seq(&[&oid(t), &encode(Tag(0x0C), v.as_bytes())]),
                )
            };
            let csca_name = seq(&[
                &atv("2.5.4.10", "cccd test PKI"),
                &atv("2.5.4.3", "cccd test CSCA"),
            ]);
            let pki = TestPki::with_chain_csca_name(&DEFAULT_CHAIN, csca_name, |_| {})?;
            Builder::new(
                id,
                Fail,
                "DSC issuer (the CSCA's name) without countryName",
                Base::Eac,
            )
            .finish(&pki, &DEFAULT_SOD, None, |_| {})
        }
        "LDS_H_54" => {
            let issuer = super::pki::name("VN", "cccd test PKI", "another CSCA");
            issuer_defect(id, "DSC issuer is not the CSCA's subject", issuer)
        }
        "LDS_H_55" => {
            let pki = TestPki::with_chain(&DEFAULT_CHAIN, |c| c.issuer = None)?;
            let spec = SodSpec {
                sid_by_key_identifier: true,
                ..DEFAULT_SOD
            };
            Builder::new(id, Fail, "DSC without issuer", Base::Eac).finish(
                &pki,
                &spec,
                None,
                |_| {},
            )
        }
        "LDS_H_56" => dsc_defect(
            "DSC validity in GeneralizedTime for dates before 2050",
            &|c| c.validity = Some(validity("20240101000000Z", "20350101000000Z")),
        ),
        "LDS_H_57" => dsc_defect("DSC without validity", &|c| c.validity = None),
        "LDS_H_58" => dsc_defect(
            "DSC subjectPublicKeyInfo algorithm md5WithRSAEncryption",
            &|c| {
                if let Some(spki) = &c.spki {
                    c.spki = Some(respki_md5(spki));
                }
            },
        ),
        "LDS_H_59" => dsc_defect("DSC without subjectPublicKeyInfo", &|c| c.spki = None),
        "LDS_H_60" => dsc_defect(
            "DSC authorityKeyIdentifier without keyIdentifier (issuer and serial only)",
            &|c| {
                if let Some(i) = c.find_extension("2.5.29.35") {
                    let issuer = super::pki::name("VN", "cccd test PKI", "cccd test CSCA");
                    let aki = seq(&[
                        &encode(Tag(0xA1), &encode(Tag(0xA4), &issuer)),
                        &encode(Tag(0x82), &[0x01]),
                    ]);
                    if let Some(e) = c.extensions.get_mut(i) {
                        *e = CertParts::extension("2.5.29.35", false, &aki);
                    }
                }
            },
        ),
        "LDS_H_61" => dsc_defect("DSC without authorityKeyIdentifier", &|c| {
            if let Some(i) = c.find_extension("2.5.29.35") {
                c.extensions.remove(i);
            }
        }),
        "LDS_H_62" => dsc_defect("DSC keyUsage not marked critical", &|c| {
            if let Some(i) = c.find_extension("2.5.29.15") {
                if let Some(e) = c.extensions.get_mut(i) {
                    *e = CertParts::extension("2.5.29.15", false, &[0x03, 0x02, 0x07, 0x80]);
                }
            }
        }),
        "LDS_H_63" => dsc_defect(
            "DSC keyUsage without digitalSignature (nonRepudiation only)",
            &|c| {
                if let Some(i) = c.find_extension("2.5.29.15") {
                    if let Some(e) = c.extensions.get_mut(i) {
                        *e = CertParts::extension("2.5.29.15", true, &[0x03, 0x02, 0x06, 0x40]);
                    }
                }
            },
        ),
        "LDS_H_64" => dsc_defect("DSC without keyUsage", &|c| {
            if let Some(i) = c.find_extension("2.5.29.15") {
                c.extensions.remove(i);
            }
        }),
        "LDS_H_65" => {
            let md5 = Scheme::RsaPkcs1(Md5);
            let pki = TestPki::with_chain(&uniform(RSA, RSA, md5), |_| {})?;
            Builder::new(
                id,
                Fail,
                "md5WithRSAEncryption in the whole chain (real MD5 signatures)",
                Base::Eac,
            )
            .finish(&pki, &sod_spec(Sha256, Sha256, md5), None, |_| {})
        }
        "LDS_H_66" => dsc_defect("DSC without the outer signatureAlgorithm", &|c| {
            c.signature_algorithm = None
        }),
        "LDS_H_67" => dsc_defect("DSC signatureValue does not verify", &|c| {
            // A PSS signature of other bytes: well-formed, not of this TBS.
            c.signature = Some(vec![0x5A; 384]);
        }),
        "LDS_H_68" => dsc_defect("DSC without signatureValue", &|c| c.signature_value = false),
        "LDS_H_69" => {
            let pki = default()?;
            let mut b = Builder::new(
                id,
                Fail,
                "valid SOD, DG2's last byte changed on the chip",
                Base::Eac,
            );
            let groups = data_groups_of(&b.fs);
            let mut dg2 = groups.get(&2).cloned().unwrap_or_default();
            if let Some(last) = dg2.last_mut() {
                *last ^= 0x01;
            }
            b.set_dg(2, dg2);
            b.finish(&pki, &DEFAULT_SOD, Some(groups), |_| {})
        }
        // ---- LDS_H: EF.SOD and EF.COM disagree ----
        "LDS_H_90" => {
            // PACE base (no DG3 in EF.COM); the SOD also hashes a DG3 of 'FF' bytes.
            let pki = default()?;
            let b = Builder::new(id, Fail, "the SOD lists DG3, EF.COM does not", Base::Pace);
            let mut groups = data_groups_of(&b.fs);
            groups.insert(3, vec![0xFF; 32]);
            b.finish(&pki, &DEFAULT_SOD, Some(groups), |_| {})
        }
        "LDS_H_91" => {
            let pki = default()?;
            let b = Builder::new(id, Fail, "EF.COM lists DG2, the SOD does not", Base::Eac);
            let mut groups = data_groups_of(&b.fs);
            groups.remove(&2);
            b.finish(&pki, &DEFAULT_SOD, Some(groups), |_| {})
        }
        "LDS_H_92" => {
            let pki = default()?;
            let b = Builder::new(
                id,
                Fail,
                "the SOD lists DG3 in place of DG2 (same count, other groups than EF.COM)",
                Base::Pace,
            );
            let mut groups = data_groups_of(&b.fs);
            if let Some(dg2) = groups.remove(&2) {
                groups.insert(3, dg2);
            }
            b.finish(&pki, &DEFAULT_SOD, Some(groups), |_| {})
        }
        "LDS_H_93" => {
            let pki = default()?;
            let mut b = Builder::with_pace(
                id,
                Fail,
                "EF.CardSecurity whose signature does not verify (a PACE-CAM chip)",
                Base::Pace,
                pace_cam(),
            );
            let cs = card_security(&pki, &card_security_infos(&b, None), true)?;
            b.extra_files.insert("CardSecurity".into(), cs);
            b.finish(&pki, &DEFAULT_SOD, None, |_| {})
        }
        "ISO7816_B_10" => {
            let pki = default()?;
            let mut b = Builder::new(
                id,
                Fail,
                "a CRL signed by the CSCA revokes the DSC",
                Base::Eac,
            );
            b.crls.push(pki.crl_revoking_dsc()?);
            b.finish(&pki, &DEFAULT_SOD, None, |_| {})
        }
        // ---- LDS_F: DG14, its hash in the SOD updated ----
        "LDS_F_01" | "LDS_F_02" | "LDS_F_03" | "LDS_F_04" | "LDS_F_05" | "LDS_F_06"
        | "LDS_F_07" => {
            let pki = default()?;
            let mut b = Builder::new(id, Fail, "", Base::Eac);
            let dg14 = b.fs.content(fid_dg(14)).unwrap_or(&[]).to_vec();
            let (defect, changed): (&'static str, Vec<u8>) = match id {
                "LDS_F_01" => ("DG14 tag 6F instead of 6E", retag(&dg14, 0x6F)),
                "LDS_F_02" => ("DG14's length one too small", {
                    let mut d = dg14.clone();
                    adjust_outer_length(&mut d, -1);
                    d
                }),
                "LDS_F_03" => ("DG14's length one too big", {
                    let mut d = dg14.clone();
                    adjust_outer_length(&mut d, 1);
                    d
                }),
                "LDS_F_04" => (
                    "ChipAuthenticationPublicKeyInfo protocol 0.4.0.127.0.7.2.2.1.3 (not allowed)",
                    dg14_edit(&dg14, Dg14Edit::PublicKeyOid),
                ),
                "LDS_F_05" => (
                    "ChipAuthenticationPublicKeyInfo without its protocol OID",
                    dg14_edit(&dg14, Dg14Edit::PublicKeyNoOid),
                ),
                "LDS_F_06" => (
                    "ChipAuthenticationInfo version 10",
                    dg14_edit(&dg14, Dg14Edit::CaVersion(Some(10))),
                ),
                _ => (
                    "ChipAuthenticationInfo without version",
                    dg14_edit(&dg14, Dg14Edit::CaVersion(None)),
                ),
            };
            b.defect = defect;
            b.set_dg(14, changed);
            b.finish(&pki, &DEFAULT_SOD, None, |_| {})
        }
        // ---- LDS_I: DG15, its hash in the SOD updated ----
        "LDS_I_01" | "LDS_I_02" | "LDS_I_03" => {
            let pki = default()?;
            let mut b = Builder::new(id, Fail, "", Base::EacAa);
            let dg15 = b.fs.content(fid_dg(15)).unwrap_or(&[]).to_vec();
            let (defect, changed) = match id {
                "LDS_I_01" => ("DG15 tag 70 instead of 6F", retag(&dg15, 0x70)),
                "LDS_I_02" => ("DG15's length one too small", {
                    let mut d = dg15.clone();
                    adjust_outer_length(&mut d, -1);
                    d
                }),
                _ => ("DG15's length one too big", {
                    let mut d = dg15.clone();
                    adjust_outer_length(&mut d, 1);
                    d
                }),
            };
            b.defect = defect;
            b.set_dg(15, changed);
            b.finish(&pki, &DEFAULT_SOD, None, |_| {})
        }
        // ---- LDS_J: EF.CardSecurity against EF.CardAccess ----
        "LDS_J_01" | "LDS_J_02" | "LDS_J_03" | "LDS_J_04" => {
            let pki = default()?;
            let (expected, defect, base, edit) = match id {
                "LDS_J_01" => (
                    Pass,
                    "EF.CardSecurity holds one SecurityInfo more than EF.CardAccess",
                    Base::Eac,
                    CardSecurityEdit::Extra,
                ),
                "LDS_J_02" => (
                    Fail,
                    "EF.CardSecurity lacks EF.CardAccess's PACEInfo",
                    Base::Eac,
                    CardSecurityEdit::DropPace,
                ),
                "LDS_J_03" => (
                    Fail,
                    "EF.CardSecurity's PACEInfo names other domain parameters (12, not 13)",
                    Base::Eac,
                    CardSecurityEdit::OtherParameters,
                ),
                _ => (
                    Fail,
                    "EF.CardSecurity's ChipAuthenticationPublicKeyInfo without its protocol OID",
                    Base::Pace,
                    CardSecurityEdit::PublicKeyNoOid,
                ),
            };
            let mut b = Builder::with_pace(id, expected, defect, base, pace_cam());
            let cs = card_security(&pki, &card_security_infos(&b, Some(edit)), false)?;
            b.extra_files.insert("CardSecurity".into(), cs);
            b.finish(&pki, &DEFAULT_SOD, None, |_| {})
        }
        // ---- LDS_K: EF.ATR/INFO ----
        "LDS_K_01" | "LDS_K_02" | "LDS_K_03" | "LDS_K_04" => {
            let (expected, defect, content): (Expected, &'static str, &[u8]) = match id {
                "LDS_K_01" => (
                    Pass,
                    "EF.ATR/INFO 7F66 with two-byte command and response lengths",
                    &[
                        0x7F, 0x66, 0x08, 0x02, 0x02, 0x07, 0x80, 0x02, 0x02, 0x07, 0x80,
                    ],
                ),
                "LDS_K_02" => (
                    Pass,
                    "EF.ATR/INFO 7F66 with three-byte lengths (65535)",
                    &[
                        0x7F, 0x66, 0x0A, 0x02, 0x03, 0x00, 0xFF, 0xFF, 0x02, 0x03, 0x00, 0xFF,
                        0xFF,
                    ],
                ),
                "LDS_K_03" => (
                    Fail,
                    "EF.ATR/INFO 7F66 with the command length only",
                    &[0x7F, 0x66, 0x04, 0x02, 0x02, 0x07, 0x80],
                ),
                _ => (
                    Fail,
                    "EF.ATR/INFO with 7F65 and no 7F66",
                    &[
                        0x7F, 0x65, 0x08, 0x02, 0x02, 0x07, 0x80, 0x02, 0x02, 0x07, 0x80,
                    ],
                ),
            };
            let pki = default()?;
            let mut b = Builder::new(id, expected, defect, Base::Eac);
            b.fs.insert(ElementaryFile {
                fid: FID_ATR_INFO,
                sfi: Some(0x01),
                location: Location::MasterFile,
                access: Access::Free,
                content: content.to_vec(),
            });
            b.finish(&pki, &DEFAULT_SOD, None, |_| {})
        }
        // ---- ISO7816_G_36: an invalid PACE-CAM OID next to a valid PACE-GM one ----
        "ISO7816_G_36" => {
            let pki = default()?;
            let mut b = Builder::new(
                id,
                Pass,
                "EF.CardAccess adds a PACEInfo with an undefined DH-CAM OID; PACE-GM must run",
                Base::Pace,
            );
            let mut infos = security_infos(&CCCD_CARD_ACCESS);
            infos.push(seq(&[
                &oid("0.4.0.127.0.7.2.2.4.5.2"),
                &int(&[2]),
                &int(&[13]),
            ]));
            infos.sort();
            let card_access = encode(Tag(0x31), &infos.concat());
            let card = Card::with_options(Profile::Cccd, SEED, CardOptions::default());
            let keys = card.keys();
            b.set_dg(
                14,
                dg14(
                    &card_access,
                    &keys.chip_authentication,
                    &keys.active_authentication,
                ),
            );
            b.fs.insert(ElementaryFile {
                fid: FID_CARD_ACCESS,
                sfi: Some(0x1C),
                location: Location::MasterFile,
                access: Access::Free,
                content: card_access,
            });
            b.finish(&pki, &DEFAULT_SOD, None, |_| {})
        }
        _ => Err(ConformanceError::UnknownCase(id.to_owned())),
    }
}

/// A DSC whose issuer is `issuer`; the SignerInfo names the DSC by that issuer so the signer
/// is still found and only the chain breaks.
fn issuer_defect(
    id: &'static str,
    defect: &'static str,
    issuer: Vec<u8>,
) -> Result<ConformanceCase, ConformanceError> {
    let wrong = issuer.clone();
    let pki = TestPki::with_chain(&DEFAULT_CHAIN, move |c| c.issuer = Some(wrong))?;
    let sid = seq(&[&issuer, &der_uint(pki.dsc_serial())]);
    Builder::new(id, Expected::Fail, defect, Base::Eac)
        .finish(&pki, &DEFAULT_SOD, None, |p| p.sid = Some(sid))
}

fn der_uint(magnitude: &[u8]) -> Vec<u8> {
    super::keys::der_uint(magnitude)
}

/// Changes the outer length of a TLV with a 1-, 2- or 3-byte long-form length by `delta`,
/// leaving the content as it was.
fn adjust_outer_length(bytes: &mut [u8], delta: i32) {
    let Some(&first_len) = bytes.get(1) else {
        return;
    };
    let (start, n) = match first_len {
        0x81 => (2, 1),
        0x82 => (2, 2),
        0x83 => (2, 3),
        _ => (1, 1),
    };
    let Some(field) = bytes.get_mut(start..start + n) else {
        return;
    };
    let value = field.iter().fold(0i64, |a, b| (a << 8) | i64::from(*b)) + i64::from(delta);
    for (i, b) in field.iter_mut().rev().enumerate() {
        *b = u8::try_from((value >> (8 * i)) & 0xFF).unwrap_or(0);
    }
}

/// The same TLV under another one-byte tag.
fn retag(bytes: &[u8], tag: u8) -> Vec<u8> {
    let mut out = bytes.to_vec();
    if let Some(t) = out.first_mut() {
        *t = tag;
    }
    out
}

/// The SecurityInfo elements of a `SET OF SecurityInfo` (EF.CardAccess).
fn security_infos(set: &[u8]) -> Vec<Vec<u8>> {
    crate::tlv::parse_single(set)
        .map(|s| {
            s.children()
                .map_while(Result::ok)
                .map(|t| t.raw.to_vec())
                .collect()
        })
        .unwrap_or_default()
}

enum Dg14Edit {
    PublicKeyOid,
    PublicKeyNoOid,
    CaVersion(Option<u8>),
}

const ID_PK_ECDH: &str = "0.4.0.127.0.7.2.2.1.2";
const ID_CA_PREFIX: [u8; 9] = [0x06, 0x0A, 0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02];

/// DG14 with one SecurityInfo changed (its SET re-sorted, as DER wants).
fn dg14_edit(dg14: &[u8], edit: Dg14Edit) -> Vec<u8> {
    let inner = crate::tlv::parse_single(dg14)
        .ok()
        .map(|t| t.value.to_vec())
        .unwrap_or_default();
    let pk_oid = oid(ID_PK_ECDH);
    let mut infos: Vec<Vec<u8>> = security_infos(&inner)
        .into_iter()
        .map(|info| {
            let Some((the_oid, rest)) = split_info(&info) else {
                return info;
            };
            let is_pk = the_oid == pk_oid;
            // ChipAuthenticationInfo: OID 0.4.0.127.0.7.2.2.3.x.y (two arcs below id-CA).
            let is_ca = the_oid.len() == 12
                && the_oid.get(..9) == Some(&ID_CA_PREFIX[..])
                && the_oid.get(9) == Some(&0x03);
            match (&edit, is_pk, is_ca) {
                (Dg14Edit::PublicKeyOid, true, _) => seq(&[&oid("0.4.0.127.0.7.2.2.1.3"), &rest]),
                (Dg14Edit::PublicKeyNoOid, true, _) => seq(&[&rest]),
                (Dg14Edit::CaVersion(v), _, true) => {
                    // Skip the version INTEGER, keep what follows (keyId).
                    let after_version = crate::tlv::Reader::new(&rest)
                        .read()
                        .ok()
                        .and_then(|t| rest.get(t.raw.len()..))
                        .unwrap_or(&[])
                        .to_vec();
                    match v {
                        Some(v) => seq(&[&the_oid, &int(&[*v]), &after_version]),
                        None => seq(&[&the_oid, &after_version]),
                    }
                }
                _ => info,
            }
        })
        .collect();
    infos.sort();
    encode(Tag(0x6E), &encode(Tag(0x31), &infos.concat()))
}

#[derive(Clone, Copy)]
enum CardSecurityEdit {
    Extra,
    DropPace,
    OtherParameters,
    PublicKeyNoOid,
}

/// The protocol OID of a `SecurityInfo` SEQUENCE and the encoding of the rest.
fn split_info(info: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let seq = crate::tlv::parse_single(info).ok()?;
    let mut children = seq.children();
    let first = children.next()?.ok()?;
    if first.tag != Tag(0x06) {
        return None;
    }
    Some((first.raw.to_vec(), children.remaining().to_vec()))
}

/// EF.CardSecurity's SecurityInfos: the chip's EF.CardAccess's, plus its
/// ChipAuthenticationPublicKeyInfo (ICAO 9303-11 §9.2.11), changed as `edit` says.
fn card_security_infos(b: &Builder, edit: Option<CardSecurityEdit>) -> Vec<u8> {
    let card = Card::with_options(Profile::Cccd, SEED, case_options(b.pace));
    let card_access = b.fs.content(FID_CARD_ACCESS).unwrap_or(&[]).to_vec();
    let spki = card.chip_authentication_key().subject_public_key_info();
    let pk = seq(&[&oid(ID_PK_ECDH), &spki]);
    let mut infos = security_infos(&card_access);
    let pace_oid_prefix = [0x06, 0x0A, 0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x04];
    let is_pace = |i: &Vec<u8>| split_info(i).is_some_and(|(o, _)| o.starts_with(&pace_oid_prefix));
    match edit {
        // "Remove protocol and corresponding OID in ChipAuthenticationPublicKeyInfo".
        Some(CardSecurityEdit::PublicKeyNoOid) => infos.push(seq(&[&spki])),
        _ => infos.push(pk),
    }
    match edit {
        Some(CardSecurityEdit::Extra) => {
            // A TerminalAuthenticationInfo version 2 besides EF.CardAccess's version 1.
            infos.push(seq(&[&oid("0.4.0.127.0.7.2.2.2"), &int(&[2])]));
        }
        Some(CardSecurityEdit::DropPace) => infos.retain(|i| !is_pace(i)),
        Some(CardSecurityEdit::OtherParameters) => {
            for i in infos.iter_mut().filter(|i| is_pace(i)) {
                if let Some(last) = i.last_mut() {
                    *last = 12;
                }
            }
        }
        _ => {}
    }
    infos.sort();
    encode(Tag(0x31), &infos.concat())
}

/// EF.CardSecurity (ICAO 9303-11 §9.2.11, BSI TR-03110-3 §A.1.2.2) over `infos`, signed by
/// the DSC like the default SOD; `bad_signature` replaces the signature by other bytes.
fn card_security(
    pki: &TestPki,
    infos: &[u8],
    bad_signature: bool,
) -> Result<Vec<u8>, ConformanceError> {
    Ok(pki.issue_card_security_with(infos, &DEFAULT_SOD, |p| {
        if bad_signature {
            p.signature = Some(vec![0x5A; 256]);
        }
    })?)
}

/// A SubjectPublicKeyInfo whose algorithm OID is md5WithRSAEncryption (the key bits kept).
fn respki_md5(spki: &[u8]) -> Vec<u8> {
    let bits = crate::tlv::parse_single(spki)
        .ok()
        .and_then(|t| {
            t.children()
                .map_while(Result::ok)
                .nth(1)
                .map(|b| b.raw.to_vec())
        })
        .unwrap_or_default();
    seq(&[&Scheme::RsaPkcs1(Md5).algorithm_identifier(), &bits])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_builds_and_is_deterministic() {
        for id in ["LDS_H_03", "LDS_H_46", "LDS_F_06", "LDS_K_03"] {
            let a = case(id).unwrap();
            let b = case(id).unwrap();
            assert_eq!(a, b, "{id}");
            assert!(a.sod().is_some(), "{id}");
        }
        assert!(matches!(
            case("LDS_E_01"),
            Err(ConformanceError::UnknownCase(_))
        ));
    }

    #[test]
    fn outer_length_changes_by_one() {
        let mut t = vec![0x6E, 0x82, 0x01, 0x4A, 0x00];
        adjust_outer_length(&mut t, -1);
        assert_eq!(t, [0x6E, 0x82, 0x01, 0x49, 0x00]);
        adjust_outer_length(&mut t, 2);
        assert_eq!(t, [0x6E, 0x82, 0x01, 0x4B, 0x00]);
    }
}
