//! Reading a card on a PC/SC reader (a teller's desk): waits for a card, opens it with PACE and
//! the CAN, reads it, verifies it against the Vietnamese CSCA and any extra trust sources.
//!
//! `cargo run --example pcsc_read -- ID_NUMBER [TRUST...]` (needs a reader and pcscd).

use cccd::transport::pcsc::PcscTransport;
use cccd::{AccessKey, PaOptions, ReadOptions, Reader, TrustStore};
use std::time::Duration;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let id_number = args.next().ok_or("usage: pcsc_read ID_NUMBER [TRUST...]")?;
    // PACE with the CAN: the last 6 digits of the 12-digit ID number.
    let key = AccessKey::can_from_id(&id_number)?;

    let card = PcscTransport::wait_for_card(None, Duration::from_secs(30))?;
    let mut session = Reader::new(card).open(&key)?;
    let document = session.read_document(&ReadOptions::default(), &mut |p| {
        eprint!("\r{:<12} {:>6} bytes", p.file.name(), p.file_read);
    })?;
    eprintln!();

    let mut trust = TrustStore::new().with_vn_csca();
    for source in args {
        trust.add_path(&source)?;
    }
    let verdict = document.verify(&trust, &PaOptions::default().expect_issuing_state("VNM"));
    for finding in &verdict.findings {
        println!("finding {}: {finding}", finding.code()); // typed, no personal data
    }
    println!("genuine: {}", verdict.genuine);
    Ok(())
}
