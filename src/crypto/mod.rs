//! Cryptographic primitives shared by the reader and the simulator.
//!
//! Only primitives with their own known-answer tests live here (block ciphers in CBC mode,
//! MACs, the ICAO key derivation, padding, randomness). Protocol steps (BAC, PACE, secure
//! messaging) are written twice on purpose: once for the reader in [`crate::access`], once from
//! the card's side in the simulator, so a bug on one side cannot hide the same bug on the other.
//!
//! Note: the `des` crate is table-based and not constant time; every eMRTD reader shares this
//! weakness, and 3DES is only used where the card offers nothing better (BAC).

pub mod cipher;
pub mod dh;
pub mod domain;
pub mod ec;
pub mod hash;
pub mod kdf;
pub mod mac;
#[cfg(feature = "internals")]
pub mod memo;
pub mod padding;
pub mod rng;
pub mod rsa;

pub use cipher::CipherAlg;

use thiserror::Error;

/// A primitive was called with inputs it cannot take.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum CryptoError {
    /// A key of the wrong length for its algorithm.
    #[error("key of {0} bytes has the wrong length")]
    KeyLength(usize),
    /// Data that is not a whole number of cipher blocks.
    #[error("data of {0} bytes is not block aligned")]
    NotBlockAligned(usize),
    /// ISO/IEC 9797-1 padding method 2 is missing or malformed.
    #[error("bad padding")]
    BadPadding,
    /// The operating system's random source failed.
    #[error("random source failed")]
    Random,
    /// A point not on the curve, a value out of range, an unsupported parameter set.
    #[error("invalid input: {0}")]
    Invalid(&'static str),
}
