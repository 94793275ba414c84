//! CRLs on any bytes: parsing, the signature check against the issuing CSCA's key, revocation
//! look-ups, and loading into a trust store used for passive authentication.

use std::sync::OnceLock;

use cccd::verify::{Certificate, Crl, TrustStore};

struct Pki {
    csca: Certificate,
    dsc: Certificate,
}

fn pki() -> &'static Pki {
    static PKI: OnceLock<Pki> = OnceLock::new();
    PKI.get_or_init(|| {
        let pki = cccd::sim::sod::country_pki().expect("test PKI");
        Pki {
            csca: Certificate::from_der(pki.csca_certificate()).expect("test CSCA"),
            dsc: Certificate::from_der(pki.dsc_certificate()).expect("test DSC"),
        }
    })
}

/// One input: the whole target (shared by the fuzz target and tests/fuzz_regressions.rs).
pub fn run(data: &[u8]) {
    let pki = pki();
    if let Ok(crl) = Crl::from_der(data) {
        let _ = crl.tbs_cert_list();
        let _ = crl.verify_signed_by(&pki.csca.public_key);
        let _ = crl.revocation_of(pki.dsc.serial_magnitude());
    }
    let mut store = TrustStore::new();
    store.add_certificate(pki.csca.clone());
    let _ = store.add_crl(data);
}
