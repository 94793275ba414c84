//! EF.CardSecurity on any bytes: SecurityInfos inside a CMS SignedData, verified like EF.SOD
//! against a real trust store (the German master list, which anchors the real
//! EF.CardSecurity of the seed corpus).

use std::sync::OnceLock;

use cccd::verify::{verify_card_security, Certificate, PaOptions, TrustStore};

fn trust() -> &'static TrustStore {
    static TRUST: OnceLock<TrustStore> = OnceLock::new();
    TRUST.get_or_init(|| {
        let root = Certificate::from_der(include_bytes!(
            "../../../shared/test-data/real-world/trust/DE_ROOT_CA_CSCA07.cer"
        ))
        .expect("a real root");
        let mut trust = TrustStore::new();
        trust
            .add_master_list(
                include_bytes!(
                    "../../../shared/test-data/real-world/trust/DE_ML_2026-05-28-08-28-45.ml"
                ),
                &[root],
            )
            .expect("the German master list verifies");
        trust
    })
}

/// One input: the whole target (shared by the fuzz target and tests/fuzz_regressions.rs).
pub fn run(data: &[u8]) {
    let report = verify_card_security(data, trust(), &PaOptions::default());
    if report.is_valid() {
        // Valid means signed: the SecurityInfos it vouches for parse.
        assert!(report.security_infos.is_some());
    }
    let _ = cccd::lds::security_info::SecurityInfos::parse(data);
}
