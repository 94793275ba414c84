//! Verifies a saved dump offline: the server side of "the phone reads, the server verifies".
//! Takes a directory of `NAME.bin` files (`SOD.bin`, `DG1.bin`, ..., as written by
//! `cccd read --out DIR` or `examples/simulator.rs`) and one or more trust sources
//! (certificates, directories of them, LDIF; master lists need their signer's root, see
//! `TrustStore::add_path_with_roots`). Exit code 0 when the data is proven authentic.
//!
//! `cargo run --example verify_dump -- DIR TRUST...`
//! (`cargo run --example verify_dump -- /tmp/dump /tmp/dump/csca.der` after the simulator.)

use cccd::document::Document;
use cccd::{ElementaryFile, PaOptions, TrustStore};
use std::path::Path;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args_os().skip(1);
    let dir = args.next().ok_or("usage: verify_dump DIR TRUST...")?;

    // Every `NAME.bin` whose NAME is a file of the document; anything else is not ours.
    let mut files = Vec::new();
    for entry in std::fs::read_dir(Path::new(&dir))? {
        let path = entry?.path();
        let Some(name) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        if path.extension().is_some_and(|e| e == "bin") && ElementaryFile::from_name(name).is_some()
        {
            files.push((name.to_string(), std::fs::read(&path)?));
        }
    }
    let document = Document::from_files(files)?;

    let mut trust = TrustStore::new();
    for source in args {
        let report = trust.add_path(&source)?;
        eprintln!(
            "{}: {} certificates, {} master lists",
            Path::new(&source).display(),
            report.certificates_added,
            report.master_lists.len()
        );
    }

    // A dump has no live chip: chip and active authentication cannot be judged here, passive
    // authentication (signature, chain, every data-group hash) can.
    let verdict = document.verify(&trust, &PaOptions::default());
    for finding in &verdict.findings {
        println!("finding {}: {finding}", finding.code());
    }
    for failure in &document.parse_failures {
        println!("parse failure {}: {failure}", failure.code());
    }
    println!("data authentic: {}", verdict.data_authentic);
    if !verdict.data_authentic {
        std::process::exit(4);
    }
    Ok(())
}
