//! The verified-chain cache: a Document Signer whose chain to a CSCA verified is remembered, so
//! that a bank seeing the same few hundred DSCs millions of times pays for the CSCA's
//! signature (milliseconds on brainpoolP512r1) once per DSC, and a repeated DSC costs one
//! SHA-256 of its bytes and one hash-map lookup.
//!
//! What an entry depends on, and so what its key holds:
//! - the DSC: the SHA-256 of its encoding;
//! - the trust store's content: [`super::TrustStore::content_id`], which changes with every
//!   certificate or CRL added (a changed store, a new CRL: a miss);
//! - the time of the check and the SOD's signing time: the chain checks compare them with the
//!   validity of the DSC, of every trust-store certificate named like the DSC's issuer or the
//!   CSCA's issuer (the CSCA and its link certificates), and with the dates of the CSCA's
//!   CRLs. An entry records, for each of the two times, the open interval between the nearest
//!   of those dates, and is used only for times inside it: within it, every comparison the
//!   checks make comes out the same. A time equal to one of those dates is kept exactly.
//!
//! Only chains that verified ([`super::ChainVerdict::Valid`]) are kept, with the CSCA and the
//! warnings the full check gave: a failure is never remembered, let alone as a success, and
//! a forger cannot fill the cache with chains that do not verify. At most
//! [`MAX_CACHED_CHAINS`] entries; the oldest go first. Thread-safe: one lock around the map,
//! held for a lookup or an insertion only, never during a signature check.

use super::chain::ChainResult;
use super::passive::ChainVerdict;
use super::trust::TrustStore;
use super::warning::Warning;
use crate::pki::{Certificate, Time};
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// How many verified chains a cache keeps.
pub const MAX_CACHED_CHAINS: usize = 16_384;

/// A cache of verified DSC → CSCA chains, shared by the clones of a
/// [`super::TrustStore`] (its entries are keyed by the store's content, so a clone that is
/// changed afterwards cannot see the other's entries).
#[derive(Default)]
pub struct ChainCache {
    inner: Mutex<Inner>,
    hits: AtomicU64,
    misses: AtomicU64,
}

/// How a cache has been used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ChainCacheStats {
    /// Chains answered from the cache (no signature checked).
    pub hits: u64,
    /// Chains checked in full.
    pub misses: u64,
    /// Entries held now.
    pub entries: usize,
}

impl core::fmt::Debug for ChainCache {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "ChainCache({:?})", self.stats())
    }
}

#[derive(Default)]
struct Inner {
    map: HashMap<Key, Vec<Entry>>,
    /// Keys in insertion order (one per entry), for eviction.
    order: VecDeque<Key>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Key {
    dsc: [u8; 32],
    trust: [u8; 32],
}

struct Entry {
    now: Window,
    signing: Option<Window>,
    /// The CSCA's position in the store's certificates.
    csca: usize,
    warnings: Vec<Warning>,
}

/// The times for which every comparison with the entry's dates comes out the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Window {
    /// Exactly this time (it equals one of the dates).
    At(Time),
    /// Strictly between the nearest dates below and above (none: unbounded).
    Between(Option<Time>, Option<Time>),
}

impl Window {
    fn around(t: Time, dates: &[Time]) -> Self {
        if dates.contains(&t) {
            return Self::At(t);
        }
        Self::Between(
            dates.iter().copied().filter(|d| *d < t).max(),
            dates.iter().copied().filter(|d| *d > t).min(),
        )
    }

    fn contains(&self, t: Time) -> bool {
        match *self {
            Self::At(at) => t == at,
            Self::Between(lo, hi) => lo.is_none_or(|lo| lo < t) && hi.is_none_or(|hi| t < hi),
        }
    }
}

impl ChainCache {
    /// Hits, misses and entries so far.
    pub fn stats(&self) -> ChainCacheStats {
        ChainCacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            entries: self.inner.lock().map(|i| i.order.len()).unwrap_or(0),
        }
    }

    /// Forgets every entry (the counters stay).
    pub fn clear(&self) {
        if let Ok(mut inner) = self.inner.lock() {
            inner.map.clear();
            inner.order.clear();
        }
    }

    fn lookup(&self, key: &Key, now: Time, signing: Option<Time>) -> Option<(usize, Vec<Warning>)> {
        let inner = self.inner.lock().ok()?;
        inner.map.get(key)?.iter().find_map(|e| {
            let signing_fits = match (e.signing, signing) {
                (None, None) => true,
                (Some(w), Some(t)) => w.contains(t),
                _ => false,
            };
            (e.now.contains(now) && signing_fits).then(|| (e.csca, e.warnings.clone()))
        })
    }

    fn insert(&self, key: Key, entry: Entry) {
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        while inner.order.len() >= MAX_CACHED_CHAINS {
            let Some(old) = inner.order.pop_front() else {
                break;
            };
            if let Some(list) = inner.map.get_mut(&old) {
                if !list.is_empty() {
                    list.remove(0);
                }
                if list.is_empty() {
                    inner.map.remove(&old);
                }
            }
        }
        inner.map.entry(key).or_default().push(entry);
        inner.order.push_back(key);
    }
}

/// [`super::chain::validate_chain`] through the trust store's chain cache.
pub(crate) fn validate_chain_cached<'a>(
    dsc: &Certificate,
    trust: &'a TrustStore,
    signing_time: Option<Time>,
    now: Time,
) -> ChainResult<'a> {
    let cache = trust.chain_cache();
    let key = Key {
        dsc: dsc.sha256(),
        trust: trust.content_id(),
    };
    if let Some((index, warnings)) = cache.lookup(&key, now, signing_time) {
        if let Some(csca) = trust.anchor(index) {
            cache.hits.fetch_add(1, Ordering::Relaxed);
            return ChainResult {
                verdict: ChainVerdict::Valid,
                csca: Some(csca),
                warnings,
            };
        }
    }
    cache.misses.fetch_add(1, Ordering::Relaxed);
    let result = super::chain::validate_chain(dsc, trust, signing_time, now);
    if result.verdict != ChainVerdict::Valid {
        return result;
    }
    let Some(csca) = result.csca else {
        return result;
    };
    let Some(index) = trust.anchor_index(csca) else {
        return result;
    };
    let dates = dates(dsc, csca, trust);
    cache.insert(
        key,
        Entry {
            now: Window::around(now, &dates),
            signing: signing_time.map(|t| Window::around(t, &dates)),
            csca: index,
            warnings: result.warnings.clone(),
        },
    );
    result
}

/// Every date the chain checks may compare a time with: the DSC's validity, the validity of
/// every trusted certificate named like the DSC's or the CSCA's issuer (the CSCA, its link
/// certificates and their issuers), and the dates of every CRL the CSCA may have signed.
fn dates(dsc: &Certificate, csca: &Certificate, trust: &TrustStore) -> Vec<Time> {
    let mut dates = vec![dsc.not_before, dsc.not_after];
    for name in [&dsc.issuer, &csca.issuer, &csca.subject] {
        for c in trust.certificates_named(name) {
            dates.extend([c.not_before, c.not_after]);
        }
    }
    for crl in trust
        .crls()
        .iter()
        .filter(|c| c.issuer.same_as(&csca.subject))
    {
        dates.push(crl.this_update);
        dates.extend(crl.next_update);
    }
    dates
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(year: u16) -> Time {
        Time::from_ymd(year, 1, 1).unwrap()
    }

    #[test]
    fn windows_hold_between_dates_only() {
        let dates = [t(2020), t(2030)];
        let w = Window::around(t(2025), &dates);
        assert_eq!(w, Window::Between(Some(t(2020)), Some(t(2030))));
        assert!(w.contains(t(2021)) && w.contains(t(2029)));
        assert!(!w.contains(t(2020)) && !w.contains(t(2030)) && !w.contains(t(2031)));
        let at = Window::around(t(2030), &dates);
        assert!(at.contains(t(2030)) && !at.contains(t(2029)));
        let after = Window::around(t(2040), &dates);
        assert!(after.contains(t(2100)) && !after.contains(t(2030)));
    }

    fn key(i: usize) -> Key {
        let mut dsc = [0; 32];
        dsc[..8].copy_from_slice(&(i as u64).to_le_bytes());
        Key {
            dsc,
            trust: [7; 32],
        }
    }

    fn entry(csca: usize, signing: Option<Window>) -> Entry {
        Entry {
            now: Window::Between(None, None),
            signing,
            csca,
            warnings: Vec::new(),
        }
    }

    /// The bound of the module's doc: one entry past [`MAX_CACHED_CHAINS`] evicts the oldest
    /// (it is no longer found), keeps the rest, and the map holds no more than the bound.
    #[test]
    fn the_oldest_entry_goes_first_and_the_size_is_bounded() {
        let cache = ChainCache::default();
        for i in 0..=MAX_CACHED_CHAINS {
            cache.insert(key(i), entry(i, None));
        }
        assert!(cache.lookup(&key(0), t(2026), None).is_none());
        for i in [1, MAX_CACHED_CHAINS / 2, MAX_CACHED_CHAINS] {
            assert_eq!(cache.lookup(&key(i), t(2026), None).map(|e| e.0), Some(i));
        }
        let inner = cache.inner.lock().unwrap();
        assert_eq!(inner.order.len(), MAX_CACHED_CHAINS);
        assert_eq!(inner.map.len(), MAX_CACHED_CHAINS);
    }

    /// An entry made without a signing time (a SignerInfo without signed attributes) answers
    /// a lookup without one, and only that; one made with a signing time answers only a
    /// signing time inside its window.
    #[test]
    fn the_signing_time_must_be_absent_on_both_sides_or_inside_the_window() {
        let cache = ChainCache::default();
        cache.insert(key(1), entry(1, None));
        cache.insert(key(2), entry(2, Some(Window::Between(Some(t(2020)), None))));
        assert!(cache.lookup(&key(1), t(2026), None).is_some());
        assert!(cache.lookup(&key(1), t(2026), Some(t(2025))).is_none());
        assert!(cache.lookup(&key(2), t(2026), Some(t(2025))).is_some());
        assert!(cache.lookup(&key(2), t(2026), Some(t(2019))).is_none());
        assert!(cache.lookup(&key(2), t(2026), None).is_none());
    }
}
