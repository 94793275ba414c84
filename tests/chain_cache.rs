//! The verified-chain cache (`verify::cache`): a repeated DSC is answered from the cache (a hit
//! runs no chain check: no CSCA signature, no CRL signature), and anything the chain verdict
//! depends on, a changed trust store, a new CRL, a check date or signing time outside the
//! entry's window, misses. Failures are never cached. On the simulator's country PKI
//! (CSCA and DSC valid 2020-2040, SOD signed 2025-01-01, its CRLs 2025-06-01 to 2035-06-01).
#![cfg(feature = "sim")]

use cccd::sim::sod::country_pki;
use cccd::verify::{
    trust::VN_CSCA_2022_DER, verify_passive, Certificate, ChainCacheStats, ChainVerdict, PaOptions,
    Time, TrustStore, Warning,
};
use std::collections::BTreeMap;

fn at(year: u16) -> PaOptions {
    PaOptions::default().at(Time::from_ymd(year, 1, 1).unwrap())
}

fn dump(tag: u8) -> (Vec<u8>, BTreeMap<u8, Vec<u8>>) {
    let dgs = BTreeMap::from([(1u8, vec![0x61, 0x01, tag])]);
    (country_pki().unwrap().issue_sod(&dgs).unwrap(), dgs)
}

fn store() -> TrustStore {
    let mut trust = TrustStore::new();
    trust
        .add_certificate_der(country_pki().unwrap().csca_certificate())
        .unwrap();
    trust
}

fn stats(trust: &TrustStore) -> (u64, u64, usize) {
    let ChainCacheStats {
        hits,
        misses,
        entries,
    } = trust.chain_cache().stats();
    (hits, misses, entries)
}

#[test]
fn a_repeated_dsc_is_one_lookup_and_gives_the_same_report() {
    let trust = store();
    let (sod, dgs) = dump(1);
    let first = verify_passive(&sod, &dgs, &trust, &at(2026));
    assert_eq!(first.chain, ChainVerdict::Valid);
    assert_eq!(stats(&trust), (0, 1, 1));
    let second = verify_passive(&sod, &dgs, &trust, &at(2026));
    assert_eq!(stats(&trust), (1, 1, 1));
    // The cached answer is the full check's: verdict, CSCA and warnings.
    assert_eq!(first, second);
    // Another SOD by the same DSC (another card): still a hit, the chain is the DSC's.
    let (other_sod, other_dgs) = dump(2);
    let third = verify_passive(&other_sod, &other_dgs, &trust, &at(2026));
    assert!(third.is_signature_and_chain_valid());
    assert_eq!(third.csca_subject, first.csca_subject);
    assert_eq!(stats(&trust), (2, 1, 1));
    // A date inside the same window (no certificate or CRL date between) hits too.
    verify_passive(&sod, &dgs, &trust, &at(2031));
    assert_eq!(stats(&trust), (3, 1, 1));
}

/// A hit names the CSCA that verified the chain, wherever that CSCA sits in the store (the
/// entry keeps its position: here the second anchor, after the published VN CSCA).
#[test]
fn a_hit_names_the_csca_that_verified_the_chain() {
    let mut trust = TrustStore::new();
    trust.add_certificate_der(VN_CSCA_2022_DER).unwrap();
    let test_csca = country_pki().unwrap().csca_certificate().to_vec();
    trust.add_certificate_der(&test_csca).unwrap();
    let subject = Certificate::from_der(&test_csca)
        .unwrap()
        .subject
        .to_string();
    let published = Certificate::from_der(VN_CSCA_2022_DER)
        .unwrap()
        .subject
        .to_string();
    assert_ne!(subject, published);
    let (sod, dgs) = dump(1);
    let first = verify_passive(&sod, &dgs, &trust, &at(2026));
    let second = verify_passive(&sod, &dgs, &trust, &at(2026));
    assert_eq!(stats(&trust), (1, 1, 1));
    for report in [&first, &second] {
        assert_eq!(report.chain, ChainVerdict::Valid);
        assert_eq!(report.csca_subject.as_deref(), Some(subject.as_str()));
    }
    assert_eq!(first, second);
}

#[test]
fn a_changed_trust_store_misses() {
    let mut trust = store();
    let (sod, dgs) = dump(1);
    verify_passive(&sod, &dgs, &trust, &at(2026));
    let before = trust.content_id();
    // Another anchor (unrelated to this chain) changes the content: the entry is not used.
    trust.add_certificate_der(VN_CSCA_2022_DER).unwrap();
    assert_ne!(trust.content_id(), before);
    let report = verify_passive(&sod, &dgs, &trust, &at(2026));
    assert_eq!(report.chain, ChainVerdict::Valid);
    assert_eq!(stats(&trust), (0, 2, 2));
    // A clone shares the cache, but once changed it cannot see the original's entries.
    let mut clone = trust.clone();
    verify_passive(&sod, &dgs, &clone, &at(2026));
    assert_eq!(stats(&clone), (1, 2, 2));
    clone
        .add_crl(&country_pki().unwrap().crl(&[]).unwrap())
        .unwrap();
    verify_passive(&sod, &dgs, &clone, &at(2026));
    assert_eq!(stats(&clone), (1, 3, 3));
}

#[test]
fn a_new_crl_misses_and_a_revocation_is_never_served_from_the_cache() {
    let mut trust = store();
    let (sod, dgs) = dump(1);
    assert_eq!(
        verify_passive(&sod, &dgs, &trust, &at(2026)).chain,
        ChainVerdict::Valid
    );
    trust
        .add_crl(&country_pki().unwrap().crl_revoking_dsc().unwrap())
        .unwrap();
    let revoked = verify_passive(&sod, &dgs, &trust, &at(2026));
    assert!(matches!(revoked.chain, ChainVerdict::Revoked { .. }));
    let again = verify_passive(&sod, &dgs, &trust, &at(2026));
    assert!(matches!(again.chain, ChainVerdict::Revoked { .. }));
    // Only the first (valid) chain was kept; the revoked ones were checked in full.
    assert_eq!(stats(&trust), (0, 3, 1));
}

#[test]
fn a_date_across_a_crl_or_validity_boundary_misses() {
    let mut trust = store();
    trust
        .add_crl(&country_pki().unwrap().crl(&[]).unwrap())
        .unwrap();
    let (sod, dgs) = dump(1);
    let fresh = verify_passive(&sod, &dgs, &trust, &at(2030));
    assert!(!fresh
        .warnings
        .iter()
        .any(|w| matches!(w, Warning::CrlExpired { .. })));
    assert_eq!(stats(&trust), (0, 1, 1));
    // After the CRL's nextUpdate (2035-06-01) the CRL no longer vouches: a new full check,
    // whose warning the cached entry for 2030 does not have.
    let stale = verify_passive(&sod, &dgs, &trust, &at(2036));
    assert!(stale
        .warnings
        .iter()
        .any(|w| matches!(w, Warning::CrlExpired { .. })));
    assert_eq!(stats(&trust), (0, 2, 2));
    // Each window answers its own dates.
    verify_passive(&sod, &dgs, &trust, &at(2033));
    verify_passive(&sod, &dgs, &trust, &at(2038));
    assert_eq!(stats(&trust), (2, 2, 2));
    // Past the certificates' notAfter (2040): another window again.
    verify_passive(&sod, &dgs, &trust, &at(2041));
    assert_eq!(stats(&trust).1, 3);
}

#[test]
fn failures_are_never_cached() {
    // No CSCA: untrusted, checked in full every time, nothing kept.
    let empty = TrustStore::new();
    let (sod, dgs) = dump(1);
    for _ in 0..3 {
        let r = verify_passive(&sod, &dgs, &empty, &at(2026));
        assert!(matches!(r.chain, ChainVerdict::Untrusted { .. }));
    }
    assert_eq!(stats(&empty), (0, 3, 0));
    // A CSCA of the same name but another key (the RSA test PKI's is another name, so take
    // the VN CSCA as a stranger): still no valid chain, still nothing kept.
    let mut stranger = TrustStore::new();
    stranger.add_certificate_der(VN_CSCA_2022_DER).unwrap();
    for _ in 0..2 {
        let r = verify_passive(&sod, &dgs, &stranger, &at(2026));
        assert_ne!(r.chain, ChainVerdict::Valid);
    }
    assert_eq!(stats(&stranger), (0, 2, 0));
}

/// Mutations (cache.rs, `Window`): a date the chain checks compare with (here the CRL's
/// thisUpdate 2025-06-01 and nextUpdate 2035-06-01) is a window of its own: a check exactly
/// on it is never answered by the entry of the dates around it, nor the other way round, and
/// the entry made on it answers only it. At such an instant an inclusive and an exclusive
/// comparison disagree, so only a full check knows the answer.
#[test]
fn a_boundary_date_is_a_window_of_its_own() {
    let on = |y, m, d| PaOptions::default().at(Time::from_ymd(y, m, d).unwrap());
    let mut trust = store();
    trust
        .add_crl(&country_pki().unwrap().crl(&[]).unwrap())
        .unwrap();
    let (sod, dgs) = dump(1);
    // Between the CRL's dates: one entry, (2025-06-01, 2035-06-01) exclusive.
    verify_passive(&sod, &dgs, &trust, &on(2030, 1, 1));
    assert_eq!(stats(&trust), (0, 1, 1));
    // Exactly on either end of that window: each a miss and an entry of its own.
    verify_passive(&sod, &dgs, &trust, &on(2035, 6, 1));
    assert_eq!(stats(&trust), (0, 2, 2));
    verify_passive(&sod, &dgs, &trust, &on(2025, 6, 1));
    assert_eq!(stats(&trust), (0, 3, 3));
    // The same instant again: its own entry answers.
    verify_passive(&sod, &dgs, &trust, &on(2035, 6, 1));
    assert_eq!(stats(&trust), (1, 3, 3));
    // After nextUpdate the CRL is stale: no entry made before may answer, and the full check
    // says so.
    let stale = verify_passive(&sod, &dgs, &trust, &on(2036, 1, 1));
    assert_eq!(stats(&trust), (1, 4, 4));
    assert!(stale
        .warnings
        .iter()
        .any(|w| matches!(w, Warning::CrlExpired { .. })));
    // Back before a window (a new store, whose only entry is the stale one for
    // (2035-06-01, 2040-01-01)): a miss, and a full check without the stale-CRL warning.
    let mut later = store();
    later
        .add_crl(&country_pki().unwrap().crl(&[]).unwrap())
        .unwrap();
    verify_passive(&sod, &dgs, &later, &on(2036, 1, 1));
    let back = verify_passive(&sod, &dgs, &later, &on(2031, 1, 1));
    assert_eq!(stats(&later), (0, 2, 2));
    assert!(!back
        .warnings
        .iter()
        .any(|w| matches!(w, Warning::CrlExpired { .. })));
}

/// Mutation (cache.rs, `Debug`): the cache prints its counters (for a service's logs), and
/// nothing of what it holds (no DSC digest).
#[test]
fn the_cache_prints_its_counters_only() {
    let trust = store();
    let (sod, dgs) = dump(1);
    verify_passive(&sod, &dgs, &trust, &at(2026));
    verify_passive(&sod, &dgs, &trust, &at(2026));
    let printed = format!("{:?}", trust.chain_cache());
    for counter in ["hits: 1", "misses: 1", "entries: 1"] {
        assert!(printed.contains(counter), "{printed}");
    }
    assert!(printed.len() < 100, "{printed}");
}

/// Mutation (cache.rs, `clear` does nothing): after `clear` every chain is checked in full
/// again (what a service does when its trust list is replaced in place); the counters stay.
#[test]
fn clearing_the_cache_forgets_every_entry() {
    let trust = store();
    let (sod, dgs) = dump(1);
    verify_passive(&sod, &dgs, &trust, &at(2026));
    verify_passive(&sod, &dgs, &trust, &at(2031));
    assert_eq!(stats(&trust), (1, 1, 1));
    trust.chain_cache().clear();
    assert_eq!(stats(&trust), (1, 1, 0));
    let again = verify_passive(&sod, &dgs, &trust, &at(2026));
    assert_eq!(again.chain, ChainVerdict::Valid);
    assert_eq!(stats(&trust), (1, 2, 1));
}
