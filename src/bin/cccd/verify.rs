//! `cccd verify`: a directory of files (a dump, or what a phone uploaded) rebuilt into a
//! document and judged, or a lone EF.SOD.

use std::collections::BTreeMap;
use std::path::Path;

use cccd::document::Document;
use cccd::request::{RequestError, TrustSources};
use cccd::verify::{verify_passive, PaOptions, TrustStore};

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
