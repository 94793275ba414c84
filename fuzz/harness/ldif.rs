//! Trust sources on any bytes: ICAO PKD LDIF exports (folded base64, certificates, CRLs,
//! master lists), PEM, and the by-content loader that picks between them.

use std::sync::OnceLock;

use cccd::verify::{Certificate, TrustStore};

fn roots() -> &'static [Certificate] {
    static ROOTS: OnceLock<Vec<Certificate>> = OnceLock::new();
    ROOTS.get_or_init(|| {
        vec![Certificate::from_der(include_bytes!(
            "../../../shared/test-data/real-world/trust/NL_ROOT_CA.cer"
        ))
        .expect("a real root")]
    })
}

/// One input: the whole target (shared by the fuzz target and tests/fuzz_regressions.rs).
pub fn run(data: &[u8]) {
    let _ = TrustStore::new().add_ldif_with_roots(data, roots());
    let _ = TrustStore::new().add_ldif(data);
    let _ = TrustStore::new().add_pem(data);
    let _ = TrustStore::new().add_bytes(data, roots());
}
