//! `cccd sim`, and the simulated card's options and key for `cccd read --sim`.

use cccd::access::AccessKey;
use cccd::sim::{Card, CardOptions, CipherAlg, Faults, Mapping, PaceConfig, Profile};
use cccd::ElementaryFile;

use crate::args::SimCommand;
use crate::Failure;

pub(crate) fn sim_key(card: &Card) -> Result<AccessKey, Failure> {
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
pub(crate) fn sim_options(list: &[String]) -> Result<(CardOptions, Faults), Failure> {
    let mut card = CardOptions::default();
    let mut faults = Faults::none();
    let bad = |o: &str| Failure::usage(format!("--sim-option {o}: see `cccd read --help`"));
    for o in list {
        let (k, v) = o.split_once('=').unwrap_or((o.as_str(), ""));
        let n = || v.parse::<usize>().map_err(|_| bad(o));
        match k {
            "max-le" => card.max_le = Some(n()?),
            "no-extended" => card.extended_length = false,
            "le-hint" => card.refusal = cccd::sim::LeRefusal::CorrectLength,
            "reject-le-zero" => card.reject_le_zero = true,
            "bac-only" => card.pace = None,
            // PACE-CAM (ECDH, brainpoolP256r1, AES-128): the chip serves EF.CardSecurity.
            "pace-cam" if v.is_empty() => {
                card.pace = Some(
                    PaceConfig::new(13, Mapping::ChipAuthentication, CipherAlg::Aes128)
                        .map_err(|_| bad(o))?,
                )
            }
            "dg2-size" => card.dg2_size = n()?,
            "tag-lost-after" => faults.tag_lost_after_bytes = Some(n()?),
            "removed-at" => faults.removed_at_apdu = Some(n()?),
            "corrupt-mac-at" => faults.corrupt_mac_at_apdu = Some(n()?),
            "delay-ms" => {
                faults.delay_per_apdu = Some(std::time::Duration::from_millis(n()? as u64))
            }
            "tamper" => card.tamper = Some(v.parse().map_err(Failure::usage)?),
            // A chip that will not run Active Authentication although DG15 holds its key.
            "refuse-aa" => {
                card.refuse_internal_authenticate = Some(cccd::StatusWord(
                    u16::from_str_radix(v, 16).map_err(|_| bad(o))?,
                ))
            }
            "mitm-hide-card-access" if v.is_empty() => faults.mitm_hide_card_access = true,
            "mitm-6a82" => faults
                .mitm_6a82
                .push(ElementaryFile::from_name(v).ok_or_else(|| bad(o))?),
            _ => return Err(bad(o)),
        }
    }
    Ok((card, faults))
}

pub(crate) fn sim(cmd: SimCommand) -> Result<(), Failure> {
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
