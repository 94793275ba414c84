//! `cccd read` (and `cccd readers`): a card over PC/SC or a simulated one, then its verdict.

use std::io::IsTerminal;
use std::path::Path;

use cccd::access::AccessKey;
use cccd::document::{Document, Verification};
use cccd::reader::{Progress, ReadOptions, Reader};
use cccd::sim::{Card, SimTransport};
use cccd::transport::Transport;

use crate::args::ReadArgs;
use crate::output::{self, Output, Print, PrintStats, Stats};
use crate::{exit, Failure};

#[cfg(feature = "pcsc")]
pub(crate) fn readers() -> Result<(), Failure> {
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
pub(crate) fn readers() -> Result<(), Failure> {
    Err(Failure {
        code: 1,
        message: "this build has no PC/SC support (feature `pcsc`)".into(),
    })
}

pub(crate) fn read(args: ReadArgs) -> Result<(), Failure> {
    let key = crate::args::key_from_args(&args.key)?;
    let mut options = ReadOptions::default();
    options.skip_face = args.no_face;
    let trust = &args.trust;
    let mut sim_anchor: Option<&[u8]> = None;
    let (document, stats) = if let Some(seed) = args.sim {
        let profile: cccd::sim::Profile = args.sim_profile.parse()?;
        let (card_options, faults) = crate::sim::sim_options(&args.sim_options)?;
        let card = Card::with_options(profile, seed, card_options);
        // The demo path: without a key, use the simulated card's own.
        let key = match key {
            Some(k) => k,
            None => crate::sim::sim_key(&card)?,
        };
        if trust.trust.is_empty() {
            // A simulated card chains to the simulator's own test CSCA, never to a real one.
            sim_anchor = Some(cccd::sim::sod::csca_certificate()?);
        }
        read_with(SimTransport::with_faults(card, faults), &key, &options)?
    } else {
        let key = key.ok_or_else(|| {
            Failure::usage(
                "an access key is needed: CCCD_CAN, CCCD_ID (with CCCD_DOB and CCCD_EXPIRY), \
                 CCCD_MRZ or CCCD_QR in the environment, --key-stdin, or --id/--dob/--expiry, \
                 --mrz, --qr, --can",
            )
        })?;
        read_pcsc(args.reader.as_deref(), &key, &options)?
    };
    if args.stats {
        stats.print();
    }
    if let Some(path) = &args.face {
        write_face(path, &document)?;
    }
    let verification: Option<Verification> = if trust.trust.is_empty() && sim_anchor.is_none() {
        None
    } else {
        let (mut store, options) = crate::verify::load_trust(trust, Some("VNM"))?;
        if let Some(der) = sim_anchor {
            eprintln!("cccd: trusting the simulator's test CSCA (simulated card)");
            store.add_certificate_der(der)?;
        }
        Some(document.verify(&store, &options))
    };
    if let Some(dir) = &args.out {
        write_dump(dir, &document, verification.as_ref())?;
    }
    if args.json {
        Output::document(&document, verification.as_ref())
            .with_stats(args.stats.then_some(stats))
            .print()?;
    } else {
        output::print_document(&document);
        if let Some(v) = &verification {
            output::print_verification(v, true);
        }
    }
    match verification {
        Some(v) if !v.genuine => Err(Failure {
            code: exit::NOT_GENUINE,
            message: format!(
                "the document is not proven genuine: {}",
                output::not_genuine_message(&v)
            ),
        }),
        _ => Ok(()),
    }
}

#[cfg(feature = "pcsc")]
fn read_pcsc(
    reader: Option<&str>,
    key: &AccessKey,
    options: &ReadOptions,
) -> Result<(Document, Stats), Failure> {
    use cccd::transport::pcsc::PcscTransport;
    let t = match reader {
        Some(name) => PcscTransport::connect(name)?,
        None => PcscTransport::wait_for_card(None, std::time::Duration::from_secs(10))?,
    };
    read_with(t, key, options)
}

#[cfg(not(feature = "pcsc"))]
fn read_pcsc(
    _: Option<&str>,
    _: &AccessKey,
    _: &ReadOptions,
) -> Result<(Document, Stats), Failure> {
    Err(Failure {
        code: exit::FAILURE,
        message: "this build has no PC/SC support (feature `pcsc`); use --sim".into(),
    })
}

fn read_with<T: Transport>(
    t: T,
    key: &AccessKey,
    options: &ReadOptions,
) -> Result<(Document, Stats), Failure> {
    let mut bar = ProgressBar::new();
    let mut session = Reader::new(t).open(key).map_err(failure)?;
    let doc = session
        .read_document(options, &mut |p| bar.update(p))
        .map_err(failure)?;
    bar.finish();
    Ok((doc, Stats::new(session.phases(), session.resumes())))
}

fn write_face(path: &Path, doc: &Document) -> Result<(), Failure> {
    let raw = doc
        .raw(cccd::ElementaryFile::Dg(2))
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
    write_private(path, &face.data)?;
    Ok(())
}

#[cfg(feature = "image")]
fn write_png(path: &Path, face: &cccd::lds::dg2::FaceImage) -> Result<(), Failure> {
    write_private(path, &face.to_png()?)?;
    Ok(())
}

#[cfg(not(feature = "image"))]
fn write_png(_: &Path, _: &cccd::lds::dg2::FaceImage) -> Result<(), Failure> {
    Err("PNG output needs the `image` feature".into())
}

fn failure(e: cccd::Error) -> Failure {
    let code = match e {
        cccd::Error::WrongAccessKey => exit::WRONG_KEY,
        _ => exit::FAILURE,
    };
    Failure {
        code,
        message: e.to_string(),
    }
}

/// Every file read as `NAME.bin` (the names `Document::from_files` takes back), and
/// `document.json` as `--json` prints it. The files hold personal data: on unix the directory
/// is created owner-only (0700) and every file is owner-read/write only (0600), also when it
/// existed before.
fn write_dump(dir: &Path, doc: &Document, v: Option<&Verification>) -> Result<(), Failure> {
    create_private_dir(dir)?;
    for rec in doc.files() {
        if let Some(raw) = &rec.raw {
            write_private(&dir.join(format!("{}.bin", rec.file.name())), raw)?;
        }
    }
    write_private(
        &dir.join("document.json"),
        serde_json::to_string_pretty(&Output::document(doc, v))?.as_bytes(),
    )?;
    Ok(())
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

/// Writes `bytes` to a file only its owner can read: created with mode 0600, and an existing
/// file is narrowed to 0600 before anything is written into it.
#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    file.write_all(bytes)
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
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
