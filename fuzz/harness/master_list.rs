//! CSCA master lists on any bytes: parsing, the signer's check against real roots (the German
//! and Dutch master-list signer roots), and loading into a trust store.

use std::sync::OnceLock;

use cccd::pki::master_list::CscaMasterList;
use cccd::verify::{Certificate, TrustStore};

fn roots() -> &'static [Certificate] {
    static ROOTS: OnceLock<Vec<Certificate>> = OnceLock::new();
    ROOTS.get_or_init(|| {
        [
            &include_bytes!("../../../shared/test-data/real-world/trust/DE_ROOT_CA_CSCA07.cer")[..],
            &include_bytes!("../../../shared/test-data/real-world/trust/NL_ROOT_CA.cer")[..],
        ]
        .iter()
        .map(|der| Certificate::from_der(der).expect("a real root"))
        .collect()
    })
}

/// One input: the whole target (shared by the fuzz target and tests/fuzz_regressions.rs).
pub fn run(data: &[u8]) {
    if let Ok(list) = CscaMasterList::parse(data) {
        assert!(list.certificates.len() + list.skipped.len() == list.entries);
        let _ = list.verify(roots());
    }
    let mut store = TrustStore::new();
    if let Ok(report) = store.add_master_list(data, roots()) {
        // Nothing is trusted from a list whose signer does not chain to a root.
        assert!(report.signature_verified || store.certificates().is_empty());
    }
}
