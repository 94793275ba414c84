//! Reads the simulated CCCD through the whole stack (PACE, secure messaging, Chip and Active
//! Authentication, every file), verifies it against the simulator's test CSCA, and, given a
//! directory, saves the files as `NAME.bin` and the CSCA as `csca.der`, the dump
//! `examples/verify_dump.rs` (and `cccd verify DIR`) takes back.
//!
//! `cargo run --example simulator --features sim -- [DIR]`

use cccd::sim::{Card, Profile, SimTransport};
use cccd::{AccessKey, PaOptions, ReadOptions, Reader, TrustStore};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Seed 7: a reproducible person and chip keys.
    let card = Card::new(Profile::Cccd, 7);
    let id_number = card.persona().id_number.clone();

    // PACE with the CAN, the last 6 digits of the ID number printed on the card.
    let key = AccessKey::can_from_id(&id_number)?;
    let mut session = Reader::new(SimTransport::new(card)).open(&key)?;
    let document = session.read_document(&ReadOptions::default(), &mut |p| {
        eprint!("\r{:<12} {:>6} bytes", p.file.name(), p.file_read);
    })?;
    eprintln!();

    // Trust only the simulator's CSCA: a real card would not verify against it.
    let csca = cccd::sim::sod::csca_certificate()?;
    let mut trust = TrustStore::new();
    trust.add_certificate_der(csca)?;
    let verdict = document.verify(&trust, &PaOptions::default().expect_issuing_state("VNM"));

    println!("files read: {}", document.files().len());
    println!("chip authentication: {}", verdict.chip_authentication);
    println!("active authentication: {}", verdict.active_authentication);
    for finding in &verdict.findings {
        println!("finding {}: {finding}", finding.code());
    }
    println!("genuine: {}", verdict.genuine);

    if let Some(dir) = std::env::args_os().nth(1).map(std::path::PathBuf::from) {
        std::fs::create_dir_all(&dir)?;
        for record in document.files() {
            if let Some(raw) = document.raw(record.file) {
                std::fs::write(dir.join(format!("{}.bin", record.file.name())), raw)?;
            }
        }
        std::fs::write(dir.join("csca.der"), csca)?;
        println!("dump written to {}", dir.display());
    }
    if !verdict.genuine {
        std::process::exit(4);
    }
    Ok(())
}
