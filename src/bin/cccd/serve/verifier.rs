//! The one place the service judges a document: the library's shared
//! [`cccd::verifier::Verifier`] (the trust store, the default options and the cache of verified
//! chains, `Send + Sync`) behind an `Arc`, so every request and the SIGHUP reload share it.

use std::sync::Arc;

use cccd::document::{Document, Verification};
use cccd::verify::{PaOptions, TrustStore};

/// A trust store and the default options, cheap to clone and shared by every request.
#[derive(Clone)]
pub(crate) struct Verifier {
    inner: Arc<cccd::verifier::Verifier>,
}

impl Verifier {
    pub fn new(store: TrustStore, options: PaOptions) -> Self {
        Self {
            inner: Arc::new(cccd::verifier::Verifier::new(store, options)),
        }
    }

    /// The verdict on `document`, with `options` instead of the defaults when given (a
    /// request's own `at` or `issuing_state`); the chain cache serves both.
    pub fn verify(&self, document: &Document, options: Option<&PaOptions>) -> Verification {
        match options {
            Some(options) => document.verify(self.inner.trust(), options),
            None => self.inner.verify(document),
        }
    }

    /// How many CSCA certificates the store holds (for health and metrics), without decoding
    /// them.
    pub fn certificates(&self) -> usize {
        self.inner.trust().anchor_count()
    }
}
