//! The command line: commands, their arguments, and the access key they name.

use std::path::PathBuf;

use cccd::access::key::QrData;
use cccd::access::AccessKey;
use clap::{Args, Parser, Subcommand};
use zeroize::Zeroizing;

use crate::Failure;

#[derive(Parser)]
#[command(
    name = "cccd",
    version,
    about = "Read and verify Vietnamese citizen ID cards (CCCD) and ICAO 9303 eMRTDs",
    after_help = EXIT_CODES
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The exit codes, for `--help` (the values of `crate::exit`).
const EXIT_CODES: &str = "Exit codes:
  0  genuine (`verify`: the data is authentic)
  1  failure: card, reader, files or trust sources
  2  bad arguments
  3  wrong access key: the card refused it
  4  not proven genuine (`verify`: the data is not proven authentic); the findings say why";

#[derive(Subcommand)]
pub(crate) enum Command {
    /// List PC/SC readers.
    Readers,
    /// Read a card (or a simulated one).
    Read(Box<ReadArgs>),
    /// Passive authentication of a dump written by `read --out`, or of a lone SOD.
    Verify(VerifyArgs),
    /// Trust sources (CSCA certificates, master lists, LDIF).
    Trust {
        #[command(subcommand)]
        command: TrustCommand,
    },
    /// The simulated card.
    Sim {
        #[command(subcommand)]
        command: SimCommand,
    },
    /// The check-in desk service and the verification API over HTTP (feature `serve`).
    #[cfg(feature = "serve")]
    Serve(Box<crate::serve::ServeArgs>),
}

#[derive(Subcommand)]
pub(crate) enum TrustCommand {
    /// Load trust sources once (master-list signatures verified against --ml-signer-root)
    /// and write them as one compiled trust-store file that `--trust OUT` loads quickly.
    Compile {
        /// The compiled trust-store file to write.
        out: PathBuf,
        /// Certificate files (PEM/DER), directories, master lists (.ml), LDIF files.
        #[arg(long, required = true)]
        trust: Vec<PathBuf>,
        /// Roots that master-list signatures must chain to.
        #[arg(long = "ml-signer-root")]
        ml_signer_root: Vec<PathBuf>,
        /// DANGER: include master lists whose signature is not verified (recorded in the
        /// file, and repeated as a warning whenever it is loaded).
        #[arg(long = "danger-unverified-master-list")]
        danger_unverified_master_list: bool,
        /// Certificate revocation lists (DER) to include.
        #[arg(long)]
        crl: Vec<PathBuf>,
    },
    /// Print every certificate the sources yield.
    List {
        /// Certificate files (PEM/DER), directories, master lists (.ml), LDIF files.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Roots that master-list signatures must chain to.
        #[arg(long = "ml-signer-root")]
        ml_signer_root: Vec<PathBuf>,
        /// DANGER: use master lists whose signature is not verified (no --ml-signer-root, or
        /// a signer that fails its checks).
        #[arg(long = "danger-unverified-master-list")]
        danger_unverified_master_list: bool,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
pub(crate) struct TrustArgs {
    /// CSCA sources: certificate files (PEM/DER), directories, master lists, LDIF files.
    #[arg(long)]
    pub trust: Vec<PathBuf>,
    /// Roots that master-list signatures must chain to. A master list is used only when its
    /// signer (extended key usage id-icao-cscaMasterListSigningKey) chains to one of them.
    #[arg(long = "ml-signer-root")]
    pub ml_signer_root: Vec<PathBuf>,
    /// DANGER: use master lists whose signature is not verified (no --ml-signer-root, or a
    /// signer that fails its checks): whoever supplies the file chooses what is trusted.
    #[arg(long = "danger-unverified-master-list")]
    pub danger_unverified_master_list: bool,
    /// Certificate revocation lists (DER).
    #[arg(long)]
    pub crl: Vec<PathBuf>,
    /// Check validity at this date (YYYY-MM-DD, a real calendar date) instead of today. The
    /// Document Signer must be valid at this date and at the signing time (shell model); the
    /// CSCA must have been able to issue it (chain model: a link certificate valid when the
    /// DSC was issued; an expired CSCA is only a warning).
    #[arg(long)]
    pub at: Option<String>,
    /// The issuing state DG1 must name (ICAO three-letter code), bound to the DSC's and CSCA's
    /// country; `any` binds DG1's own state. Default: `VNM` for `read`, `any` for `verify`.
    #[arg(long = "issuing-state")]
    pub issuing_state: Option<String>,
}

#[derive(Args)]
pub(crate) struct VerifyArgs {
    /// Directories of files by name (SOD.bin, DG1.bin, CardAccess.bin, ...), as `cccd read
    /// --out` writes them or a phone uploads them; each file at most once, each at most 1 MiB.
    /// With several, the trust store is loaded once, the dumps are verified on --jobs
    /// threads, and each gets one line (with --json: one JSON document per line, in the
    /// order given, its directory in `source`).
    #[arg(required_unless_present_any = ["sod", "card_security"])]
    pub dir: Vec<PathBuf>,
    /// Threads for several directories (default: every core; 1 for single-core
    /// measurements).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// Verify a lone EF.SOD file instead (signature and chain; hashes not read).
    #[arg(long, conflicts_with = "dir")]
    pub sod: Option<PathBuf>,
    /// Verify an EF.CardSecurity file (signature and chain of its SecurityInfos).
    #[arg(long = "card-security", conflicts_with_all = ["dir", "sod"])]
    pub card_security: Option<PathBuf>,
    #[command(flatten)]
    pub trust: TrustArgs,
    /// JSON output.
    #[arg(long)]
    pub json: bool,
}

#[derive(Subcommand)]
pub(crate) enum SimCommand {
    /// Write the simulator's test CSCA certificate (DER), the trust anchor of every simulated
    /// card, for `verify --trust`.
    Csca {
        /// Output file.
        #[arg(long)]
        out: PathBuf,
    },
    /// Put a simulated card into pcscd's virtual reader (vsmartcard vpcd) until stopped, so
    /// any PC/SC application sees it as a real card ("Virtual PCD 00 00").
    Serve {
        /// vpcd's address (pcscd's vpcd driver listens there).
        #[arg(long, num_args = 0..=1, default_missing_value = cccd::sim::vpcd::DEFAULT_ADDR, required = true)]
        vpcd: Option<String>,
        /// Persona seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Card profile.
        #[arg(long = "sim-profile", default_value = "cccd")]
        profile: String,
        /// Card behaviour and faults (see `read --help`); a tag loss drops the card from the
        /// reader and inserts it again.
        #[arg(long = "sim-option")]
        sim_options: Vec<String>,
    },
    /// Print a simulated card's persona and keys.
    Show {
        /// Persona seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Card profile.
        #[arg(long = "sim-profile", default_value = "cccd")]
        profile: String,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
pub(crate) struct ReadArgs {
    /// PC/SC reader (substring of its name); default: the first reader holding a card.
    #[arg(long, conflicts_with = "sim")]
    pub reader: Option<String>,
    /// Read a simulated card instead, with this persona seed (default 1).
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "1")]
    pub sim: Option<u64>,
    /// Simulated card profile.
    #[arg(long = "sim-profile", default_value = "cccd", requires = "sim")]
    pub sim_profile: String,
    /// Simulated card behaviour, repeatable: max-le=N, le-hint (refuse with 6Cxx, not 6700),
    /// reject-le-zero, no-extended, bac-only, pace-cam (PACE-CAM, with EF.CardSecurity),
    /// dg2-size=N, tag-lost-after=BYTES,
    /// removed-at=APDU, corrupt-mac-at=APDU, delay-ms=N, tamper=edited-dg13|foreign-sod|expired-dsc,
    /// refuse-aa=SW (INTERNAL AUTHENTICATE answered with status word SW, hex: 6D00, 6982);
    /// a man in the middle: mitm-hide-card-access (bare 6A82 to EF.CardAccess),
    /// mitm-6a82=DGn (bare 6A82 to that file's reads under secure messaging).
    #[arg(long = "sim-option", requires = "sim")]
    pub sim_options: Vec<String>,
    #[command(flatten)]
    pub key: KeyArgs,
    #[command(flatten)]
    pub trust: TrustArgs,
    /// Write every file read (COM.bin, DG1.bin, ..., SOD.bin) and document.json into DIR.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print JSON instead of a summary.
    #[arg(long)]
    pub json: bool,
    /// Do not read DG2 (the face image).
    #[arg(long)]
    pub no_face: bool,
    /// Write the (first) face image to FILE: PNG when FILE ends in .png (needs the `image`
    /// feature), else the image bytes as stored (JPEG or JPEG 2000).
    #[arg(long)]
    pub face: Option<PathBuf>,
    /// APDUs, bytes and time per phase: on stderr, and in the JSON with --json.
    #[arg(long)]
    pub stats: bool,
}

/// The access key. Arguments are visible to every local user in the process list and stay in
/// the shell history: prefer the environment (`CCCD_CAN`, `CCCD_ID` with `CCCD_DOB` and
/// `CCCD_EXPIRY`, `CCCD_MRZ`, `CCCD_QR`) or `--key-stdin`.
#[derive(Args)]
pub(crate) struct KeyArgs {
    /// 12-digit ID number: alone, PACE with the CAN (its last 6 digits); with --dob and
    /// --expiry, the MRZ key (PACE-MRZ, or BAC on cards without PACE). Environment: CCCD_ID.
    #[arg(long)]
    pub id: Option<String>,
    /// Date of birth, YYMMDD. Environment: CCCD_DOB.
    #[arg(long, requires_all = ["id", "expiry"])]
    pub dob: Option<String>,
    /// Date of expiry, YYMMDD (`<<<<<<` when the card has none). Environment: CCCD_EXPIRY.
    #[arg(long, requires_all = ["id", "dob"])]
    pub expiry: Option<String>,
    /// The MRZ as printed on the card (TD1, 3 lines) or passport (TD3). Environment: CCCD_MRZ.
    #[arg(long, conflicts_with_all = ["id", "qr", "can"])]
    pub mrz: Option<String>,
    /// The card's QR code text. Environment: CCCD_QR.
    #[arg(long, conflicts_with_all = ["id", "mrz", "can"])]
    pub qr: Option<String>,
    /// Card access number (6 digits). Environment: CCCD_CAN.
    #[arg(long, conflicts_with_all = ["id", "mrz", "qr"])]
    pub can: Option<String>,
    /// Read the access key from standard input (at most 4 KiB): a 6-digit CAN, a 12-digit ID,
    /// `ID DOB EXPIRY`, the QR code text, or the MRZ lines.
    #[arg(long, conflicts_with_all = ["id", "mrz", "qr", "can"])]
    pub key_stdin: bool,
}

/// The largest key text `--key-stdin` takes (a TD3 MRZ is 89 bytes, a QR code text ~200).
const MAX_KEY_TEXT: usize = 4096;

/// The parts of an access key as text, wiped on drop wherever they came from.
#[derive(Default)]
struct KeyText {
    id: Option<Zeroizing<String>>,
    dob: Option<Zeroizing<String>>,
    expiry: Option<Zeroizing<String>>,
    mrz: Option<Zeroizing<String>>,
    qr: Option<Zeroizing<String>>,
    can: Option<Zeroizing<String>>,
}

/// The access key the arguments name, else the one on standard input (`--key-stdin`), else
/// the one in the environment; `None` when there is none.
pub(crate) fn key_from_args(k: &KeyArgs) -> Result<Option<AccessKey>, Failure> {
    let copy = |v: &Option<String>| v.clone().map(Zeroizing::new);
    let from_args = KeyText {
        id: copy(&k.id),
        dob: copy(&k.dob),
        expiry: copy(&k.expiry),
        mrz: copy(&k.mrz),
        qr: copy(&k.qr),
        can: copy(&k.can),
    };
    if let Some(key) = key_from_text(&from_args)? {
        return Ok(Some(key));
    }
    if k.key_stdin {
        let text = read_key_text(std::io::stdin().lock())?;
        return key_from_text(&classify(&text)?).and_then(|key| {
            key.map(Some)
                .ok_or_else(|| Failure::usage("--key-stdin: standard input holds no access key"))
        });
    }
    key_from_text(&key_from_environment()?)
}

/// Standard input, at most [`MAX_KEY_TEXT`] bytes, in one buffer reserved up front (no copy
/// of the key is left behind by a reallocation).
fn read_key_text(input: impl std::io::Read) -> Result<Zeroizing<String>, Failure> {
    use std::io::Read;
    let mut bytes = Zeroizing::new(Vec::with_capacity(2 * MAX_KEY_TEXT));
    input
        .take(MAX_KEY_TEXT as u64 + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() > MAX_KEY_TEXT {
        return Err(Failure::usage(format!(
            "--key-stdin: more than {MAX_KEY_TEXT} bytes on standard input"
        )));
    }
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| Failure::usage("--key-stdin: standard input is not UTF-8 text"))?;
    Ok(Zeroizing::new(text.trim().to_owned()))
}

/// What kind of key a text is: QR code text (`|`-separated), a CAN (6 digits), an ID (12
/// digits), `ID DOB EXPIRY`, else MRZ lines.
fn classify(text: &str) -> Result<KeyText, Failure> {
    let own = |s: &str| Some(Zeroizing::new(s.to_owned()));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = text.split_whitespace().collect();
    let mut key = KeyText::default();
    if text.is_empty() {
        return Err(Failure::usage("--key-stdin: standard input is empty"));
    } else if text.contains('|') {
        key.qr = own(text);
    } else if digits(text) && text.len() == 6 {
        key.can = own(text);
    } else if digits(text) && text.len() == 12 {
        key.id = own(text);
    } else if let [id, dob, expiry] = parts.as_slice() {
        key.id = own(id);
        key.dob = own(dob);
        key.expiry = own(expiry);
    } else {
        key.mrz = own(text);
    }
    Ok(key)
}

/// The key in `CCCD_*` variables; two kinds of key at once is a usage error.
fn key_from_environment() -> Result<KeyText, Failure> {
    let var = |name: &str| std::env::var(name).ok().map(Zeroizing::new);
    let key = KeyText {
        id: var("CCCD_ID"),
        dob: var("CCCD_DOB"),
        expiry: var("CCCD_EXPIRY"),
        mrz: var("CCCD_MRZ"),
        qr: var("CCCD_QR"),
        can: var("CCCD_CAN"),
    };
    let kinds: Vec<&str> = [
        ("CCCD_ID", key.id.is_some()),
        ("CCCD_MRZ", key.mrz.is_some()),
        ("CCCD_QR", key.qr.is_some()),
        ("CCCD_CAN", key.can.is_some()),
    ]
    .iter()
    .filter(|(_, set)| *set)
    .map(|(name, _)| *name)
    .collect();
    if kinds.len() > 1 {
        return Err(Failure::usage(format!(
            "several access keys in the environment: {}",
            kinds.join(", ")
        )));
    }
    if (key.dob.is_some() || key.expiry.is_some())
        && !(key.id.is_some() && key.dob.is_some() && key.expiry.is_some())
    {
        return Err(Failure::usage(
            "CCCD_DOB and CCCD_EXPIRY go together, with CCCD_ID",
        ));
    }
    Ok(key)
}

fn key_from_text(k: &KeyText) -> Result<Option<AccessKey>, Failure> {
    Ok(
        if let (Some(id), Some(dob), Some(exp)) = (&k.id, &k.dob, &k.expiry) {
            Some(AccessKey::from_id_and_dates(id, dob, exp)?)
        } else if let Some(id) = &k.id {
            Some(AccessKey::can_from_id(id)?)
        } else if let Some(mrz) = &k.mrz {
            Some(AccessKey::from_mrz(mrz)?)
        } else if let Some(qr) = &k.qr {
            let qr = QrData::parse(qr)?;
            let (key, derived) = qr.mrz_key()?;
            let how = match derived {
                cccd::access::key::DerivedExpiry::Until { age, .. } => {
                    format!("the {age}th birthday, by the card-validity rule")
                }
                _ => "none (issued from age 58: valid for life)".to_string(),
            };
            // The date itself is part of the access key: not printed.
            eprintln!(
                "cccd: the QR code has no expiry; derived from the birth and issue dates: {how}"
            );
            Some(key)
        } else if let Some(can) = &k.can {
            Some(AccessKey::can(can)?)
        } else {
            None
        },
    )
}
