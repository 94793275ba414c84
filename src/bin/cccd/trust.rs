//! `cccd trust`: what the trust sources yield.

use crate::args::{TrustArgs, TrustCommand};
use crate::Failure;

pub(crate) fn trust(cmd: TrustCommand) -> Result<(), Failure> {
    match cmd {
        TrustCommand::Compile {
            out,
            trust,
            ml_signer_root,
            danger_unverified_master_list,
            crl,
        } => {
            let args = TrustArgs {
                trust: trust.clone(),
                ml_signer_root: ml_signer_root.clone(),
                danger_unverified_master_list,
                crl: crl.clone(),
                at: None,
                issuing_state: None,
            };
            let (store, _) = crate::verify::load_trust(&args, None)?;
            let mut provenance = format!(
                "compiled by cccd {} at {} from:",
                env!("CARGO_PKG_VERSION"),
                cccd::verify::Time::now()
            );
            for path in &trust {
                provenance.push_str(&format!("\n  --trust {}", path.display()));
            }
            for path in &crl {
                provenance.push_str(&format!("\n  --crl {}", path.display()));
            }
            for path in &ml_signer_root {
                provenance.push_str(&format!("\n  --ml-signer-root {}", path.display()));
            }
            provenance.push_str(if store.includes_unverified_master_lists() {
                "\nmaster lists: some used UNVERIFIED (--danger-unverified-master-list)"
            } else {
                "\nmaster lists: every signature, signer profile and chain to a signer root \
                 verified"
            });
            let bytes = store.to_compiled(&provenance);
            std::fs::write(&out, &bytes).map_err(|e| format!("{}: {e}", out.display()))?;
            eprintln!(
                "cccd: {}: {} trust anchors, {} document signers, {} CRLs ({} bytes)",
                out.display(),
                store.anchor_count(),
                store.document_signers().len(),
                store.crls().len(),
                bytes.len()
            );
            Ok(())
        }
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
                issuing_state: None,
            };
            let (store, _) = crate::verify::load_trust(&args, None)?;
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
