//! `cccd verify`: a directory of files (a dump, or what a phone uploaded) rebuilt into a
//! document and judged, many such directories against one trust store on all cores, or a
//! lone EF.SOD or EF.CardSecurity.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use cccd::request::{RequestError, TrustSources};
use cccd::verifier::Verifier;
use cccd::verify::{verify_passive, PaOptions, TrustStore};
use cccd::MAX_FILE_SIZE;

use crate::args::{TrustArgs, VerifyArgs};
use crate::output::{self, Output, Print};
use crate::{exit, Failure};

/// The trust store and verification options of `--trust`, `--ml-signer-root`, `--crl`, `--at`
/// and `--issuing-state` (`default_state` when not given; `any` for none), built by the
/// library's [`TrustSources`], as the service and the bindings build them.
pub(crate) fn load_trust(
    args: &TrustArgs,
    default_state: Option<&str>,
) -> Result<(TrustStore, PaOptions), Failure> {
    let mut sources = TrustSources::default();
    sources.trust.clone_from(&args.trust);
    sources.ml_signer_roots.clone_from(&args.ml_signer_root);
    sources.crls.clone_from(&args.crl);
    sources.at.clone_from(&args.at);
    sources.issuing_state.clone_from(&args.issuing_state);
    sources.danger_unverified_master_list = args.danger_unverified_master_list;
    if args.danger_unverified_master_list {
        eprintln!("cccd: DANGER: master lists are used even when their signature is not verified");
    }
    let (store, options, warnings) = sources.load(default_state).map_err(|e| {
        // The flag's own words, and the way out of a refused master list.
        let message = match &e {
            RequestError::BadDate => format!(
                "--at {}: expected a calendar date YYYY-MM-DD",
                args.at.as_deref().unwrap_or_default()
            ),
            RequestError::BadIssuingState => format!(
                "--issuing-state {}: expected an ICAO three-letter code (VNM) or `any`",
                args.issuing_state.as_deref().unwrap_or_default()
            ),
            RequestError::Trust {
                error: cccd::verify::TrustError::MasterListUntrusted(_),
                ..
            } => format!(
                "{e} (give the list signer's root with --ml-signer-root, or opt in with \
                 --danger-unverified-master-list)"
            ),
            _ => e.to_string(),
        };
        Failure {
            code: u8::try_from(e.exit_code()).unwrap_or(exit::FAILURE),
            message,
        }
    })?;
    for w in warnings {
        eprintln!("cccd: {w}");
    }
    Ok((store, options))
}

pub(crate) fn verify(args: VerifyArgs) -> Result<(), Failure> {
    let (store, options) = load_trust(&args.trust, None)?;
    if args.trust.trust.is_empty() {
        eprintln!("cccd: no --trust given: the chain cannot be trusted");
    }
    if let Some(path) = &args.card_security {
        let bytes = read_capped(path)?;
        let report = cccd::verify::verify_card_security(&bytes, &store, &options);
        if args.json {
            Output::card_security(&report).print()?;
        } else {
            output::print_card_security(&report);
        }
        return if report.is_valid() {
            Ok(())
        } else {
            Err(Failure {
                code: exit::NOT_GENUINE,
                message: "the EF.CardSecurity signature or chain is not valid".into(),
            })
        };
    }
    if let Some(sod_path) = &args.sod {
        let sod = read_capped(sod_path)?;
        let report = verify_passive(&sod, &BTreeMap::new(), &store, &options);
        if args.json {
            Output::lone_sod(&report).print()?;
        } else {
            output::print_passive(&report);
        }
        return if report.is_signature_and_chain_valid() {
            Ok(())
        } else {
            Err(Failure {
                code: exit::NOT_GENUINE,
                message: "the SOD's signature or chain is not valid".into(),
            })
        };
    }
    let verifier = Verifier::new(store, options);
    match args.dir.as_slice() {
        [] => verify_dir(&verifier, Path::new("."), args.json),
        [dir] => verify_dir(&verifier, dir, args.json),
        dirs => verify_batch(&verifier, dirs, args.jobs, args.json),
    }
}

/// One dump: the document JSON (pretty) or the summary, and its verdict as the exit code.
fn verify_dir(verifier: &Verifier, dir: &Path, json: bool) -> Result<(), Failure> {
    let (document, v) = verifier.verify_files(read_dir(dir)?)?;
    if json {
        Output::document(&document, Some(&v)).print()?;
    } else {
        output::print_verification(&v, false);
    }
    // From files alone no chip can be checked: the data's authenticity is the verdict.
    if v.data_authentic {
        Ok(())
    } else {
        Err(Failure {
            code: exit::NOT_GENUINE,
            message: format!(
                "the data is not proven authentic: {}",
                output::not_genuine_message(&v)
            ),
        })
    }
}

/// Several dumps against one trust store, on `jobs` threads: one line each, in the order
/// given (JSON with its `source`, or `DIR: verdict`). Exit code: a failure to read any dump
/// first, then "not proven authentic" if any is not, else success.
fn verify_batch(
    verifier: &Verifier,
    dirs: &[PathBuf],
    jobs: Option<u16>,
    json: bool,
) -> Result<(), Failure> {
    let jobs = jobs.map_or_else(
        || std::thread::available_parallelism().map_or(1, usize::from),
        usize::from,
    );
    let lines = verifier.map_concurrent(dirs, jobs, |verifier, dir| {
        let source = dir.display().to_string();
        let result = read_dir(dir)
            .map_err(|f| f.message)
            .and_then(|files| verifier.verify_files(files).map_err(|e| e.to_string()));
        let (line, outcome) = match &result {
            Ok((document, v)) => {
                let line: Result<String, crate::Failure> = if json {
                    Ok(Output::document(document, Some(v))
                        .with_source(&source)
                        .to_line())
                } else {
                    Ok(format!(
                        "{source}: {}",
                        if v.data_authentic {
                            "data authentic".to_string()
                        } else {
                            format!("NOT proven authentic: {}", output::not_genuine_message(v))
                        }
                    ))
                };
                (line, Some(v.data_authentic))
            }
            Err(e) => {
                let line: Result<String, crate::Failure> = if json {
                    Ok(Output::error(&source, e).to_line())
                } else {
                    Ok(format!("{source}: ERROR: {e}"))
                };
                (line, None)
            }
        };
        (line, outcome)
    });
    let (mut failed, mut not_authentic) = (0usize, 0usize);
    for (line, outcome) in lines {
        out!("{}", line?);
        match outcome {
            None => failed += 1,
            Some(false) => not_authentic += 1,
            Some(true) => {}
        }
    }
    if failed > 0 {
        return Err(Failure {
            code: exit::FAILURE,
            message: format!("{failed} of {} dumps could not be read", dirs.len()),
        });
    }
    if not_authentic > 0 {
        return Err(Failure {
            code: exit::NOT_GENUINE,
            message: format!(
                "{not_authentic} of {} dumps are not proven authentic",
                dirs.len()
            ),
        });
    }
    Ok(())
}

/// Reads one file of a dump, refusing one larger than [`MAX_FILE_SIZE`] (no file of the
/// document is larger) before and while reading it.
pub(crate) fn read_capped(path: &Path) -> Result<Vec<u8>, Failure> {
    use std::io::Read;
    let io = |e: std::io::Error| Failure::from(format!("{}: {e}", path.display()));
    let file = std::fs::File::open(path).map_err(io)?;
    let limit = MAX_FILE_SIZE as u64;
    if file.metadata().map_err(io)?.len() > limit {
        return Err(format!("{}: larger than {MAX_FILE_SIZE} bytes", path.display()).into());
    }
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(format!("{}: larger than {MAX_FILE_SIZE} bytes", path.display()).into());
    }
    Ok(bytes)
}

/// The `NAME.bin` files of `dir` whose name is a file of the document (`SOD`, `DG1`, ...).
fn read_dir(dir: &Path) -> Result<Vec<(String, Vec<u8>)>, Failure> {
    let mut files = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        let name = match (path.file_stem(), path.extension()) {
            (Some(stem), Some(ext)) if ext == "bin" => stem.to_string_lossy().into_owned(),
            _ => continue,
        };
        if cccd::ElementaryFile::from_name(&name).is_none() {
            eprintln!(
                "cccd: {}: not a file of the document, ignored",
                path.display()
            );
            continue;
        }
        files.push((name, read_capped(&path)?));
    }
    if !files.iter().any(|(name, _)| name == "SOD") {
        return Err(format!("{}: no SOD.bin", dir.display()).into());
    }
    Ok(files)
}
