//! The one place the service judges a document.
//!
//! Until the library's shared `Verifier` (Send + Sync: the trust store, the options and a cache
//! of verified chains) lands, this holds an `Arc<(TrustStore, PaOptions)>`; switching is the
//! `Inner` alias and the body of [`Verifier::verify`].

use std::sync::Arc;

use cccd::document::{Document, Verification};
use cccd::verify::{PaOptions, TrustStore};

/// What a [`Verifier`] shares between threads.
type Inner = (TrustStore, PaOptions);

/// A trust store and the default options, cheap to clone and shared by every request.
#[derive(Clone)]
pub(crate) struct Verifier {
    inner: Arc<Inner>,
}

impl Verifier {
    pub fn new(store: TrustStore, options: PaOptions) -> Self {
        Self {
            inner: Arc::new((store, options)),
        }
    }

    /// The verdict on `document`, with `options` instead of the defaults when given (a
    /// request's own `at` or `issuing_state`).
    pub fn verify(&self, document: &Document, options: Option<&PaOptions>) -> Verification {
        let (store, defaults) = &*self.inner;
        document.verify(store, options.unwrap_or(defaults))
    }

    /// How many CSCA certificates the store holds (for health and metrics).
    pub fn certificates(&self) -> usize {
        self.inner.0.certificates().len()
    }
}
