//! `cccd trust`: what the trust sources yield.

use crate::args::{TrustArgs, TrustCommand};
use crate::Failure;

pub(crate) fn trust(cmd: TrustCommand) -> Result<(), Failure> {
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
