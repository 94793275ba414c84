//! `cccd verify`: a directory of files (a dump, or what a phone uploaded) rebuilt into a
//! document and judged, or a lone EF.SOD.

use std::collections::BTreeMap;
use std::path::Path;

use cccd::document::Document;
use cccd::verify::{verify_passive, Certificate, PaOptions, Time, TrustStore};

use crate::args::{TrustArgs, VerifyArgs};
use crate::output::{self, Output, Print};
use crate::{exit, Failure};

/// The trust store and verification options of `--trust`, `--ml-signer-root`, `--crl`, `--at`
/// and `--issuing-state` (`default_state` when not given; `any` for none).
pub(crate) fn load_trust(
    args: &TrustArgs,
    default_state: Option<&str>,
) -> Result<(TrustStore, PaOptions), Failure> {
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
        let time = Time::parse_date(at).ok_or_else(|| {
            Failure::usage(format!("--at {at}: expected a calendar date YYYY-MM-DD"))
        })?;
        options = options.at(time);
    }
    match args.issuing_state.as_deref().or(default_state) {
        None => {}
        Some(any) if any.eq_ignore_ascii_case("any") => {}
        Some(state)
            if (1..=3).contains(&state.len()) && state.bytes().all(|b| b.is_ascii_alphabetic()) =>
        {
            options = options.expect_issuing_state(state);
        }
        Some(other) => {
            return Err(Failure::usage(format!(
                "--issuing-state {other}: expected an ICAO three-letter code (VNM) or `any`"
            )))
        }
    }
    Ok((store, options))
}

pub(crate) fn verify(args: VerifyArgs) -> Result<(), Failure> {
    let (store, options) = load_trust(&args.trust, None)?;
    if args.trust.trust.is_empty() {
        eprintln!("cccd: no --trust given: the chain cannot be trusted");
    }
    if let Some(path) = &args.card_security {
        let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
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
        let sod = std::fs::read(sod_path).map_err(|e| format!("{}: {e}", sod_path.display()))?;
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
    let dir = args.dir.as_deref().unwrap_or(Path::new("."));
    let document = Document::from_files(read_dir(dir)?)?;
    let v = document.verify(&store, &options);
    if args.json {
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
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        files.push((name, bytes));
    }
    if !files.iter().any(|(name, _)| name == "SOD") {
        return Err(format!("{}: no SOD.bin", dir.display()).into());
    }
    Ok(files)
}
