//! A verifier for servers and batch jobs: the trust store, the options and the cache of
//! verified chains, built once and shared by every thread (`Arc<Verifier>`; it is `Send +
//! Sync`), verifying [`Document`]s or the files a phone uploaded concurrently.
//!
//! It sits above [`crate::document`] (it judges documents) and below [`crate::reader`]. A
//! new trust list or new options mean a new `Verifier`: build it beside the old one and swap
//! the `Arc` (e.g. behind an `RwLock<Arc<Verifier>>`); requests in flight finish on the old
//! one, and the new one starts with an empty chain cache (its trust store is new).
//!
//! ```
//! use cccd::verifier::Verifier;
//! use cccd::verify::{PaOptions, TrustStore};
//! use std::sync::Arc;
//!
//! let verifier = Arc::new(Verifier::new(TrustStore::new().with_vn_csca(), PaOptions::default()));
//! let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/test-data/bsi-tr03105-5/");
//! let files = vec![
//!     ("SOD".to_string(), std::fs::read(format!("{dir}EF_SOD.bin")).unwrap()),
//!     ("DG1".to_string(), std::fs::read(format!("{dir}Datagroup1.bin")).unwrap()),
//! ];
//! let shared = Arc::clone(&verifier);
//! let (_, verification) = std::thread::spawn(move || shared.verify_files(files))
//!     .join()
//!     .unwrap()
//!     .unwrap();
//! // The BSI specimen's CSCA is not the VN CSCA: its data is not proven authentic.
//! assert!(!verification.data_authentic);
//! ```

use crate::document::{Document, DocumentError, Verification};
use crate::verify::{ChainCacheStats, PaOptions, PassiveAuthReport, TrustStore};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// The trust store, the options and the chain cache of a verification service.
#[derive(Debug, Clone)]
pub struct Verifier {
    trust: TrustStore,
    options: PaOptions,
}

impl Verifier {
    /// A verifier over `trust` (loaded once: master lists verified, CRLs added) with
    /// `options` (the check date, the expected issuing state).
    pub fn new(trust: TrustStore, options: PaOptions) -> Self {
        Self { trust, options }
    }

    /// The trust store.
    pub fn trust(&self) -> &TrustStore {
        &self.trust
    }

    /// The options.
    pub fn options(&self) -> &PaOptions {
        &self.options
    }

    /// How the cache of verified chains has served so far.
    pub fn chain_cache_stats(&self) -> ChainCacheStats {
        self.trust.chain_cache().stats()
    }

    /// The verdict on a document: [`Document::verify`] with this verifier's store and
    /// options.
    pub fn verify(&self, document: &Document) -> Verification {
        document.verify(&self.trust, &self.options)
    }

    /// Builds a document from files by name (`SOD`, `DG1`, ..., as a phone uploads them:
    /// [`Document::from_files`]) and judges it.
    pub fn verify_files<I, N>(&self, files: I) -> Result<(Document, Verification), DocumentError>
    where
        I: IntoIterator<Item = (N, Vec<u8>)>,
        N: AsRef<str>,
    {
        let document = Document::from_files(files)?;
        let verification = self.verify(&document);
        Ok((document, verification))
    }

    /// Passive authentication alone of an EF.SOD and data groups by number
    /// ([`crate::verify::verify_passive`]).
    pub fn verify_passive(
        &self,
        sod: &[u8],
        data_groups: &BTreeMap<u8, Vec<u8>>,
    ) -> PassiveAuthReport {
        crate::verify::verify_passive(sod, data_groups, &self.trust, &self.options)
    }

    /// Verdicts on many documents on `jobs` threads (at least one), in their order.
    pub fn verify_many(&self, documents: &[Document], jobs: usize) -> Vec<Verification> {
        self.map_concurrent(documents, jobs, |v, d| v.verify(d))
    }

    /// `f(self, item)` for every item on `jobs` threads (at least one; each thread takes the
    /// next item when it is done with one), the results in the items' order: the batch path
    /// of `cccd verify DIR...`, where `f` reads a directory and verifies it.
    pub fn map_concurrent<T, R, F>(&self, items: &[T], jobs: usize, f: F) -> Vec<R>
    where
        T: Sync,
        R: Send,
        F: Fn(&Self, &T) -> R + Sync,
    {
        let jobs = jobs.clamp(1, items.len().max(1));
        if jobs == 1 {
            return items.iter().map(|item| f(self, item)).collect();
        }
        let next = AtomicUsize::new(0);
        let results: Mutex<Vec<(usize, R)>> = Mutex::new(Vec::with_capacity(items.len()));
        std::thread::scope(|scope| {
            for _ in 0..jobs {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else {
                            break;
                        };
                        mine.push((i, f(self, item)));
                    }
                    if let Ok(mut all) = results.lock() {
                        all.extend(mine);
                    }
                });
            }
        });
        let mut all = results
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        all.sort_by_key(|(i, _)| *i);
        all.into_iter().map(|(_, r)| r).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verifier_is_send_and_sync() {
        fn shared<T: Send + Sync>() {}
        shared::<Verifier>();
        shared::<std::sync::Arc<Verifier>>();
    }

    #[test]
    fn map_concurrent_keeps_the_order() {
        let v = Verifier::new(TrustStore::new(), PaOptions::default());
        let items: Vec<usize> = (0..100).collect();
        for jobs in [0, 1, 2, 7, 200] {
            let out = v.map_concurrent(&items, jobs, |_, i| i * 2);
            assert_eq!(
                out,
                items.iter().map(|i| i * 2).collect::<Vec<_>>(),
                "{jobs}"
            );
        }
        assert!(v.map_concurrent(&[] as &[u8], 4, |_, b| *b).is_empty());
    }
}
