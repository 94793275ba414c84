//! Randomness, injectable so protocol tests can replay the worked examples' nonces.

use super::CryptoError;
use sha2::{Digest, Sha256};

/// A source of random bytes.
pub trait RandomSource {
    /// Fills `out` with random bytes.
    fn fill(&mut self, out: &mut [u8]) -> Result<(), CryptoError>;
}

/// The operating system's generator (what production code uses).
#[derive(Debug, Default, Clone, Copy)]
pub struct OsRandom;

impl RandomSource for OsRandom {
    fn fill(&mut self, out: &mut [u8]) -> Result<(), CryptoError> {
        getrandom::fill(out).map_err(|_| CryptoError::Random)
    }
}

/// A deterministic generator (SHA-256 in counter mode over a seed), for the simulator and
/// tests only: reproducible, NOT secret.
#[derive(Debug, Clone)]
pub struct SeededRandom {
    seed: [u8; 32],
    counter: u64,
    buf: Vec<u8>,
}

impl SeededRandom {
    /// A generator whose output depends only on `seed`.
    pub fn new(seed: u64) -> Self {
        Self::from_bytes(&seed.to_be_bytes())
    }

    /// A generator whose output depends only on `seed`.
    pub fn from_bytes(seed: &[u8]) -> Self {
        let mut s = [0u8; 32];
        s.copy_from_slice(&Sha256::digest(seed));
        Self {
            seed: s,
            counter: 0,
            buf: Vec::new(),
        }
    }

    /// The next `n` bytes.
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        let mut out = vec![0; n];
        self.fill_infallible(&mut out);
        out
    }

    /// A uniform-enough number below `bound` (bound > 0), for persona choices.
    pub fn below(&mut self, bound: u64) -> u64 {
        let mut b = [0u8; 8];
        self.fill_infallible(&mut b);
        u64::from_be_bytes(b) % bound.max(1)
    }

    fn fill_infallible(&mut self, out: &mut [u8]) {
        for byte in out.iter_mut() {
            if self.buf.is_empty() {
                let mut h = Sha256::new();
                h.update(self.seed);
                h.update(self.counter.to_be_bytes());
                self.counter = self.counter.wrapping_add(1);
                self.buf = h.finalize().to_vec();
                self.buf.reverse();
            }
            *byte = self.buf.pop().unwrap_or(0);
        }
    }
}

impl RandomSource for SeededRandom {
    fn fill(&mut self, out: &mut [u8]) -> Result<(), CryptoError> {
        self.fill_infallible(out);
        Ok(())
    }
}

/// Replays fixed bytes (a worked example's nonces), then fails.
#[derive(Debug, Clone)]
pub struct FixedRandom {
    bytes: Vec<u8>,
}

impl FixedRandom {
    /// Yields `bytes` in order.
    pub fn new(bytes: Vec<u8>) -> Self {
        Self { bytes }
    }
}

impl RandomSource for FixedRandom {
    fn fill(&mut self, out: &mut [u8]) -> Result<(), CryptoError> {
        if out.len() > self.bytes.len() {
            return Err(CryptoError::Random);
        }
        let rest = self.bytes.split_off(out.len());
        out.copy_from_slice(&self.bytes);
        self.bytes = rest;
        Ok(())
    }
}
