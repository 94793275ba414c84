//! `cccd`: read and verify Vietnamese ID cards and eMRTDs from the command line.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use cccd::access::key::QrData;
use cccd::access::AccessKey;
use cccd::document::{Document, FileStatus};
use cccd::reader::{Progress, ReadOptions, Reader};
use cccd::sim::{Card, CardOptions, Faults, Profile, SimTransport};
use cccd::transport::Transport;
use cccd::verify::{verify_passive, Certificate, PaOptions, PassiveAuthReport, Time, TrustStore};
use clap::{Args, Parser, Subcommand};
use std::collections::BTreeMap;

/// `println!` that ends the program quietly when stdout is closed (`cccd trust list | head`)
/// instead of panicking.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if writeln!(std::io::stdout(), $($arg)*).is_err() {
            std::process::exit(0);
        }
    }};
}

#[derive(Parser)]
#[command(
    name = "cccd",
    version,
    about = "Read and verify Vietnamese citizen ID cards (CCCD) and ICAO 9303 eMRTDs"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
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
}

#[derive(Subcommand)]
enum TrustCommand {
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
struct TrustArgs {
    /// CSCA sources: certificate files (PEM/DER), directories, master lists, LDIF files.
    #[arg(long)]
    trust: Vec<PathBuf>,
    /// Roots that master-list signatures must chain to. A master list is used only when its
    /// signer (extended key usage id-icao-cscaMasterListSigningKey) chains to one of them.
    #[arg(long = "ml-signer-root")]
    ml_signer_root: Vec<PathBuf>,
    /// DANGER: use master lists whose signature is not verified (no --ml-signer-root, or a
    /// signer that fails its checks): whoever supplies the file chooses what is trusted.
    #[arg(long = "danger-unverified-master-list")]
    danger_unverified_master_list: bool,
    /// Certificate revocation lists (DER).
    #[arg(long)]
    crl: Vec<PathBuf>,
    /// Check validity at this date (YYYY-MM-DD, a real calendar date) instead of today. The
    /// Document Signer must be valid at this date and at the signing time (shell model); the
    /// CSCA must have been able to issue it (chain model: a link certificate valid when the
    /// DSC was issued; an expired CSCA is only a warning).
    #[arg(long)]
    at: Option<String>,
}

#[derive(Args)]
struct VerifyArgs {
    /// A directory written by `cccd read --out` (SOD.bin, DG1.bin, ...).
    #[arg(required_unless_present_any = ["sod", "card_security"])]
    dir: Option<PathBuf>,
    /// Verify a lone EF.SOD file instead (signature and chain; hashes not read).
    #[arg(long, conflicts_with = "dir")]
    sod: Option<PathBuf>,
    /// Verify an EF.CardSecurity file (signature and chain of its SecurityInfos).
    #[arg(long = "card-security", conflicts_with_all = ["dir", "sod"])]
    card_security: Option<PathBuf>,
    #[command(flatten)]
    trust: TrustArgs,
    /// JSON output.
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
enum SimCommand {
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
struct ReadArgs {
    /// PC/SC reader (substring of its name); default: the first reader holding a card.
    #[arg(long, conflicts_with = "sim")]
    reader: Option<String>,
    /// Read a simulated card instead, with this persona seed (default 1).
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "1")]
    sim: Option<u64>,
    /// Simulated card profile.
    #[arg(long = "sim-profile", default_value = "cccd", requires = "sim")]
    sim_profile: String,
    /// Simulated card behaviour, repeatable: max-le=N, le-hint (refuse with 6Cxx, not 6700),
    /// reject-le-zero, no-extended, bac-only, dg2-size=N, tag-lost-after=BYTES,
    /// removed-at=APDU, corrupt-mac-at=APDU, delay-ms=N, tamper=edited-dg13|foreign-sod|expired-dsc.
    #[arg(long = "sim-option", requires = "sim")]
    sim_options: Vec<String>,
    #[command(flatten)]
    key: KeyArgs,
    #[command(flatten)]
    trust: TrustArgs,
    /// Write every file read (COM.bin, DG1.bin, ..., SOD.bin) and document.json into DIR.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Print JSON instead of a summary.
    #[arg(long)]
    json: bool,
    /// Do not read DG2 (the face image).
    #[arg(long)]
    no_face: bool,
    /// Write the (first) face image to FILE: PNG when FILE ends in .png (needs the `image`
    /// feature), else the image bytes as stored (JPEG or JPEG 2000).
    #[arg(long)]
    face: Option<PathBuf>,
    /// Print APDUs, bytes and time per phase on stderr.
    #[arg(long)]
    stats: bool,
}

#[derive(Args)]
struct KeyArgs {
    /// 12-digit ID number: alone, PACE with the CAN (its last 6 digits); with --dob and
    /// --expiry, the MRZ key (PACE-MRZ, or BAC on cards without PACE).
    #[arg(long)]
    id: Option<String>,
    /// Date of birth, YYMMDD.
    #[arg(long, requires_all = ["id", "expiry"])]
    dob: Option<String>,
    /// Date of expiry, YYMMDD (`<<<<<<` when the card has none).
    #[arg(long, requires_all = ["id", "dob"])]
    expiry: Option<String>,
    /// The MRZ as printed on the card (TD1, 3 lines) or passport (TD3).
    #[arg(long, conflicts_with_all = ["id", "qr", "can"])]
    mrz: Option<String>,
    /// The card's QR code text.
    #[arg(long, conflicts_with_all = ["id", "mrz", "can"])]
    qr: Option<String>,
    /// Card access number (6 digits).
    #[arg(long, conflicts_with_all = ["id", "mrz", "qr"])]
    can: Option<String>,
}

/// A failure with its exit code.
struct Failure {
    code: u8,
    message: String,
}

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure {
            code: 1,
            message: e.to_string(),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Readers => readers(),
        Command::Read(args) => read(*args),
        Command::Verify(args) => verify(args),
        Command::Trust { command } => trust(command),
        Command::Sim { command } => sim(command),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("cccd: {}", f.message.replace('\n', " "));
            ExitCode::from(f.code)
        }
    }
}

#[cfg(feature = "pcsc")]
fn readers() -> Result<(), Failure> {
    let names = cccd::transport::pcsc::PcscTransport::list_readers()?;
    if names.is_empty() {
        return Err(Failure {
            code: 1,
            message: "no PC/SC reader found".into(),
        });
    }
    for n in names {
        out!("{n}");
    }
    Ok(())
}

#[cfg(not(feature = "pcsc"))]
fn readers() -> Result<(), Failure> {
    Err(Failure {
        code: 1,
        message: "this build has no PC/SC support (feature `pcsc`)".into(),
    })
}

fn key_from_args(k: &KeyArgs) -> Result<Option<AccessKey>, Failure> {
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

fn read(args: ReadArgs) -> Result<(), Failure> {
    let key = key_from_args(&args.key)?;
    let mut options = ReadOptions::default();
    options.skip_face = args.no_face;
    let trust = args.trust;
    let mut sim_anchor: Option<&[u8]> = None;
    let document = if let Some(seed) = args.sim {
        let profile: Profile = args.sim_profile.parse()?;
        let (card_options, faults) = sim_options(&args.sim_options)?;
        let card = Card::with_options(profile, seed, card_options);
        // The demo path: without a key, use the simulated card's own.
        let key = match key {
            Some(k) => k,
            None => sim_key(&card)?,
        };
        if trust.trust.is_empty() {
            // A simulated card chains to the simulator's own test CSCA, never to a real one.
            sim_anchor = Some(cccd::sim::sod::csca_certificate()?);
        }
        read_with(
            SimTransport::with_faults(card, faults),
            &key,
            &options,
            args.stats,
        )?
    } else {
        let key = key.ok_or_else(|| Failure {
            code: 2,
            message: "an access key is needed: --id/--dob/--expiry, --mrz, --qr or --can".into(),
        })?;
        read_pcsc(args.reader.as_deref(), &key, &options, args.stats)?
    };
    if let Some(path) = &args.face {
        write_face(path, &document)?;
    }
    if let Some(dir) = &args.out {
        write_dump(dir, &document)?;
    }
    let verification = if trust.trust.is_empty() && sim_anchor.is_none() {
        None
    } else {
        let (mut store, options) = load_trust(&trust)?;
        if let Some(der) = sim_anchor {
            eprintln!("cccd: trusting the simulator's test CSCA (simulated card)");
            store.add_certificate_der(der)?;
        }
        Some(document.verify(&store, &options))
    };
    if args.json {
        let mut value = serde_json::to_value(&document)?;
        if let (Some(v), Some(obj)) = (&verification, value.as_object_mut()) {
            obj.insert("verification".into(), serde_json::to_value(v)?);
        }
        out!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        print_summary(&document);
        if let Some(v) = &verification {
            print_pa(&v.passive_authentication);
            out!("Chip authentication:  {:?}", v.chip_authentication);
            out!("Active authentication: {:?}", v.active_authentication);
            for note in &v.notes {
                out!("  note: {note}");
            }
            out!(
                "DOCUMENT: {}",
                if v.genuine {
                    "GENUINE"
                } else {
                    "NOT PROVEN GENUINE"
                }
            );
        }
    }
    match verification {
        Some(v) if !v.genuine => Err(Failure {
            code: 4,
            message: format!("the document is not proven genuine: {}", v.notes.join("; ")),
        }),
        _ => Ok(()),
    }
}

fn load_trust(args: &TrustArgs) -> Result<(TrustStore, PaOptions), Failure> {
    let mut roots = Vec::new();
    for path in &args.ml_signer_root {
        let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        roots.push(Certificate::from_der(&bytes).map_err(|e| format!("{}: {e}", path.display()))?);
    }
    let mut store = TrustStore::new();
    if args.danger_unverified_master_list {
        store.danger_accept_unverified_master_lists();
        eprintln!("cccd: DANGER: master lists are used even when their signature is not verified");
    }
    for path in &args.trust {
        let report = store.add_path_with_roots(path, &roots).map_err(|e| {
            let hint = match &e {
                cccd::verify::TrustError::MasterListUntrusted(_) => {
                    " (give the list signer's root with --ml-signer-root, or opt in with \
                     --danger-unverified-master-list)"
                }
                _ => "",
            };
            format!("{}: {e}{hint}", path.display())
        })?;
        for w in report
            .warnings
            .iter()
            .chain(report.master_lists.iter().flat_map(|m| m.warnings.iter()))
        {
            eprintln!("cccd: {}: {w}", path.display());
        }
    }
    for path in &args.crl {
        let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        store
            .add_crl(&bytes)
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let mut options = PaOptions::default();
    if let Some(at) = &args.at {
        let time = Time::parse_date(at).ok_or_else(|| Failure {
            code: 2,
            message: format!("--at {at}: expected a calendar date YYYY-MM-DD"),
        })?;
        options = options.at(time);
    }
    Ok((store, options))
}

fn verify(args: VerifyArgs) -> Result<(), Failure> {
    let (store, options) = load_trust(&args.trust)?;
    if args.trust.trust.is_empty() {
        eprintln!("cccd: no --trust given: the chain cannot be trusted");
    }
    if let Some(path) = &args.card_security {
        let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let report = cccd::verify::verify_card_security(&bytes, &store, &options);
        if args.json {
            out!("{}", serde_json::to_string_pretty(&report)?);
        } else {
            print_card_security(&report);
        }
        return if report.is_valid() {
            Ok(())
        } else {
            Err(Failure {
                code: 4,
                message: "the EF.CardSecurity signature or chain is not valid".into(),
            })
        };
    }
    let (report, ok) = if let Some(sod_path) = &args.sod {
        let sod = std::fs::read(sod_path).map_err(|e| format!("{}: {e}", sod_path.display()))?;
        let report = verify_passive(&sod, &BTreeMap::new(), &store, &options);
        let ok = report.is_signature_and_chain_valid();
        (report, ok)
    } else {
        let dir = args.dir.as_deref().unwrap_or(Path::new("."));
        let sod_path = dir.join("SOD.bin");
        let sod = std::fs::read(&sod_path).map_err(|e| format!("{}: {e}", sod_path.display()))?;
        let mut dgs = BTreeMap::new();
        for n in 1..=16u8 {
            let path = dir.join(format!("DG{n}.bin"));
            match std::fs::read(&path) {
                Ok(bytes) => {
                    dgs.insert(n, bytes);
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(format!("{}: {e}", path.display()).into()),
            }
        }
        let report = verify_passive(&sod, &dgs, &store, &options);
        let ok = report.is_genuine();
        (report, ok)
    };
    if args.json {
        out!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_pa(&report);
    }
    if ok {
        Ok(())
    } else {
        Err(Failure {
            code: 4,
            message: if args.sod.is_some() {
                "the SOD's signature or chain is not valid".into()
            } else {
                "passive authentication failed: the data is not proven genuine".into()
            },
        })
    }
}

fn print_pa(r: &PassiveAuthReport) {
    out!("Passive authentication:");
    out!("  SOD signature:      {:?}", r.sod_signature);
    out!("  DSC chain:          {:?}", r.chain);
    if let Some(s) = &r.dsc_subject {
        out!("  DSC:                {s}");
    }
    if let Some(s) = &r.csca_subject {
        out!("  CSCA:               {s}");
    }
    out!("  DSC valid at signing: {:?}", r.validity_at_signing);
    out!("  DSC valid now:      {:?}", r.validity_now);
    for (n, v) in &r.data_groups {
        out!("  DG{n:<3} hash:         {v:?}");
    }
    for w in &r.warnings {
        out!("  warning: {w}");
    }
    let verdict = if r.is_genuine() {
        "GENUINE"
    } else if r.is_signature_and_chain_valid() {
        "signature and chain valid; data not proven (no data group read, or a check failed)"
    } else {
        "NOT PROVEN GENUINE"
    };
    out!("  Verdict:            {verdict}");
}

fn print_card_security(r: &cccd::verify::CardSecurityReport) {
    out!("EF.CardSecurity:");
    out!("  Signature:          {:?}", r.signature);
    out!("  DSC chain:          {:?}", r.chain);
    if let Some(s) = &r.dsc_subject {
        out!("  Signer:             {s}");
    }
    if let Some(s) = &r.csca_subject {
        out!("  CSCA:               {s}");
    }
    out!("  Signer valid at signing: {:?}", r.validity_at_signing);
    out!("  Signer valid now:   {:?}", r.validity_now);
    if let Some(infos) = &r.security_infos {
        for i in &infos.infos {
            out!("  SecurityInfo:       {}", i.protocol());
        }
    }
    for w in &r.warnings {
        out!("  warning: {w}");
    }
    let verdict = if r.is_valid() { "VALID" } else { "NOT VALID" };
    out!("  Verdict:            {verdict}");
}

fn trust(cmd: TrustCommand) -> Result<(), Failure> {
    match cmd {
        TrustCommand::List {
            paths,
            ml_signer_root,
            danger_unverified_master_list,
            json,
        } => {
            let args = TrustArgs {
                trust: paths,
                ml_signer_root,
                danger_unverified_master_list,
                crl: Vec::new(),
                at: None,
            };
            let (store, _) = load_trust(&args)?;
            let list = store.summaries();
            if json {
                out!("{}", serde_json::to_string_pretty(&list)?);
            } else {
                for c in &list {
                    let key = match (&c.curve, c.key_bits) {
                        (Some(curve), _) => format!(
                            "{} {curve}{}",
                            c.key_algorithm,
                            if c.explicit_curve { " (explicit)" } else { "" }
                        ),
                        (None, Some(bits)) => format!("{} {bits}", c.key_algorithm),
                        _ => c.key_algorithm.clone(),
                    };
                    let selfsig = match c.self_signature_valid {
                        Some(true) => "self-signature valid",
                        Some(false) => "self-signature INVALID",
                        None if c.link_certificate => "link certificate",
                        None => "not self-signed",
                    };
                    out!(
                        "{:<3} {} | {} .. {} | {key} | {selfsig}",
                        c.country.as_deref().unwrap_or("??"),
                        c.subject,
                        c.not_before,
                        c.not_after
                    );
                }
                eprintln!("cccd: {} certificates", list.len());
            }
            Ok(())
        }
    }
}

#[cfg(feature = "pcsc")]
fn read_pcsc(
    reader: Option<&str>,
    key: &AccessKey,
    options: &ReadOptions,
    stats: bool,
) -> Result<Document, Failure> {
    use cccd::transport::pcsc::PcscTransport;
    let t = match reader {
        Some(name) => PcscTransport::connect(name)?,
        None => PcscTransport::wait_for_card(None, std::time::Duration::from_secs(10))?,
    };
    read_with(t, key, options, stats)
}

#[cfg(not(feature = "pcsc"))]
fn read_pcsc(
    _: Option<&str>,
    _: &AccessKey,
    _: &ReadOptions,
    _: bool,
) -> Result<Document, Failure> {
    Err(Failure {
        code: 1,
        message: "this build has no PC/SC support (feature `pcsc`); use --sim".into(),
    })
}

fn read_with<T: Transport>(
    t: T,
    key: &AccessKey,
    options: &ReadOptions,
    stats: bool,
) -> Result<Document, Failure> {
    let mut bar = ProgressBar::new();
    let mut session = Reader::new(t).open(key).map_err(failure)?;
    let doc = session
        .read_document(options, &mut |p| bar.update(p))
        .map_err(failure)?;
    bar.finish();
    if stats {
        print_stats(session.phases(), session.resumes());
    }
    Ok(doc)
}

fn print_stats(phases: &[cccd::reader::PhaseStats], resumes: usize) {
    let mut total = cccd::reader::PhaseStats::default();
    eprintln!(
        "{:<24} {:>6} {:>9} {:>9} {:>10}",
        "phase", "APDUs", "sent", "received", "host ms"
    );
    for p in phases {
        eprintln!(
            "{:<24} {:>6} {:>9} {:>9} {:>10.1}",
            p.name,
            p.apdus,
            p.bytes_sent,
            p.bytes_received,
            p.time.as_secs_f64() * 1e3
        );
        total.apdus += p.apdus;
        total.bytes_sent += p.bytes_sent;
        total.bytes_received += p.bytes_received;
        total.time += p.time;
    }
    eprintln!(
        "{:<24} {:>6} {:>9} {:>9} {:>10.1}   (re-opened {resumes} times)",
        "total",
        total.apdus,
        total.bytes_sent,
        total.bytes_received,
        total.time.as_secs_f64() * 1e3,
    );
}

fn write_face(path: &Path, doc: &Document) -> Result<(), Failure> {
    let raw = doc
        .raw(cccd::files::ElementaryFile::Dg(2))
        .ok_or("no DG2 was read")?;
    let dg2 = cccd::lds::dg2::Dg2::parse(raw)?;
    let faces = dg2.face_images();
    let face = faces.first().ok_or("DG2 holds no face image")?;
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("png"))
    {
        return write_png(path, face);
    }
    std::fs::write(path, &face.data)?;
    Ok(())
}

#[cfg(feature = "image")]
fn write_png(path: &Path, face: &cccd::lds::dg2::FaceImage) -> Result<(), Failure> {
    std::fs::write(path, face.to_png()?)?;
    Ok(())
}

#[cfg(not(feature = "image"))]
fn write_png(_: &Path, _: &cccd::lds::dg2::FaceImage) -> Result<(), Failure> {
    Err("PNG output needs the `image` feature".into())
}

fn failure(e: cccd::Error) -> Failure {
    let code = match e {
        cccd::Error::WrongAccessKey => 3,
        _ => 1,
    };
    Failure {
        code,
        message: e.to_string(),
    }
}

fn write_dump(dir: &Path, doc: &Document) -> Result<(), Failure> {
    std::fs::create_dir_all(dir)?;
    for rec in &doc.files {
        if let Some(raw) = &rec.raw {
            std::fs::write(dir.join(format!("{}.bin", rec.file.name())), raw)?;
        }
    }
    std::fs::write(
        dir.join("document.json"),
        serde_json::to_string_pretty(doc)?,
    )?;
    Ok(())
}

fn print_summary(doc: &Document) {
    out!("Access control: {:?}", doc.access);
    if let Some(d) = &doc.dg13 {
        let show = |label: &str, v: &Option<String>| {
            if let Some(v) = v {
                out!("{label:<22}{v}");
            }
        };
        show("ID number:", &d.id_number);
        show("Full name:", &d.full_name);
        show("Date of birth:", &d.date_of_birth);
        show("Sex:", &d.sex);
        show("Nationality:", &d.nationality);
        show("Ethnicity:", &d.ethnicity);
        show("Religion:", &d.religion);
        show("Place of origin:", &d.place_of_origin);
        show("Place of residence:", &d.place_of_residence);
        show("Identifying marks:", &d.identifying_marks);
        show("Date of issue:", &d.date_of_issue);
        show("Date of expiry:", &d.date_of_expiry);
        show("Father:", &d.father_name);
        show("Mother:", &d.mother_name);
        show("Spouse:", &d.spouse_name);
        show("Old ID number:", &d.old_id_number);
    } else if let Some(d) = &doc.dg1 {
        out!("Document number:      {}", d.mrz.document_number);
        out!(
            "Name:                 {} {}",
            d.mrz.primary_identifier,
            d.mrz.secondary_identifier
        );
    }
    out!("Files:");
    for rec in &doc.files {
        let status = match &rec.status {
            FileStatus::Read => format!("read, {} bytes", rec.raw.as_ref().map_or(0, Vec::len)),
            FileStatus::NotPresent => "not present".into(),
            FileStatus::AccessDenied(sw) => format!("access denied ({sw:04X})"),
            FileStatus::Skipped(why) => format!("skipped: {why}"),
            other => format!("{other:?}"),
        };
        out!("  {:<11} {status}", rec.file.name());
    }
    for f in &doc.parse_failures {
        out!("  {} did not parse: {}", f.file.name(), f.error);
    }
}

/// A one-line progress bar on stderr, drawn only when stderr is a terminal.
struct ProgressBar {
    on: bool,
}

impl ProgressBar {
    fn new() -> Self {
        Self {
            on: std::io::stderr().is_terminal(),
        }
    }

    fn update(&mut self, p: &Progress) {
        if !self.on {
            return;
        }
        let (done, total) = (p.file_read, p.file_total.unwrap_or(p.file_read).max(1));
        let width = 30;
        let filled = (done * width / total).min(width);
        eprint!(
            "\r{:<10} [{}{}] {done:>6}/{total:<6}",
            p.file.name(),
            "#".repeat(filled),
            " ".repeat(width - filled)
        );
    }

    fn finish(&mut self) {
        if self.on {
            eprint!("\r{:60}\r", "");
        }
    }
}

fn sim_key(card: &Card) -> Result<AccessKey, Failure> {
    // The card's own MRZ information: document number (9), check digit, birth date, check
    // digit, expiry, check digit (the BSI specimen's is not the persona's).
    let info = card.mrz_information();
    let field = |a: usize, b: usize| info.get(a..b).ok_or("simulated MRZ information too short");
    Ok(AccessKey::Mrz(cccd::access::key::MrzKey::new(
        field(0, 9)?.trim_end_matches('<'),
        field(10, 16)?,
        field(17, 23)?,
    )?))
}

/// Parses `--sim-option` values into card options and link faults.
fn sim_options(list: &[String]) -> Result<(CardOptions, Faults), Failure> {
    let mut card = CardOptions::default();
    let mut faults = Faults::none();
    let bad = |o: &str| Failure {
        code: 2,
        message: format!("--sim-option {o}: see `cccd read --help`"),
    };
    for o in list {
        let (k, v) = o.split_once('=').unwrap_or((o.as_str(), ""));
        let n = || v.parse::<usize>().map_err(|_| bad(o));
        match k {
            "max-le" => card.max_le = Some(n()?),
            "no-extended" => card.extended_length = false,
            "le-hint" => card.refusal = cccd::sim::LeRefusal::CorrectLength,
            "reject-le-zero" => card.reject_le_zero = true,
            "bac-only" => card.pace = None,
            "dg2-size" => card.dg2_size = n()?,
            "tag-lost-after" => faults.tag_lost_after_bytes = Some(n()?),
            "removed-at" => faults.removed_at_apdu = Some(n()?),
            "corrupt-mac-at" => faults.corrupt_mac_at_apdu = Some(n()?),
            "delay-ms" => {
                faults.delay_per_apdu = Some(std::time::Duration::from_millis(n()? as u64))
            }
            "tamper" => {
                card.tamper = Some(v.parse().map_err(|e: String| Failure {
                    code: 2,
                    message: e,
                })?)
            }
            _ => return Err(bad(o)),
        }
    }
    Ok((card, faults))
}

fn sim(cmd: SimCommand) -> Result<(), Failure> {
    match cmd {
        SimCommand::Serve {
            vpcd,
            seed,
            profile,
            sim_options: opts,
        } => {
            let profile: Profile = profile.parse()?;
            let (options, faults) = sim_options(&opts)?;
            let mut card =
                cccd::sim::FaultyCard::new(Card::with_options(profile, seed, options), faults);
            let addr = vpcd.unwrap_or_else(|| cccd::sim::vpcd::DEFAULT_ADDR.to_string());
            eprintln!(
                "cccd: simulated card (seed {seed}) inserted into vpcd at {addr}; Ctrl-C to stop"
            );
            let stop = std::sync::atomic::AtomicBool::new(false);
            cccd::sim::vpcd::serve_forever(&addr, &mut card, &stop)?;
            Ok(())
        }
        SimCommand::Csca { out } => {
            std::fs::write(&out, cccd::sim::sod::csca_certificate()?)?;
            eprintln!("cccd: wrote the simulator's test CSCA to {}", out.display());
            Ok(())
        }
        SimCommand::Show {
            seed,
            profile,
            json,
        } => {
            let profile: Profile = profile.parse()?;
            let card = Card::new(profile, seed);
            let p = card.persona();
            let dob = p.date_of_birth.yymmdd();
            let exp = p.mrz_expiry();
            if json {
                let v = serde_json::json!({
                    "seed": seed,
                    "profile": profile.to_string(),
                    "id_number": p.id_number,
                    "can": p.can().as_str(),
                    "date_of_birth": dob,
                    "date_of_expiry": exp,
                    "full_name": p.full_name,
                });
                out!("{}", serde_json::to_string_pretty(&v)?);
            } else {
                out!("ID number:      {}", p.id_number);
                out!("CAN:            {}", p.can().as_str());
                out!("Date of birth:  {dob} (YYMMDD)");
                out!("Date of expiry: {exp} (YYMMDD)");
                out!("Full name:      {}", p.full_name);
            }
            Ok(())
        }
    }
}
