//! Access control: the keys a reader needs (MRZ, CAN), and the protocols that turn them into a
//! secure-messaging session (BAC, PACE), and the clone-detection exchanges that run inside it
//! (Chip Authentication re-keys it, Active Authentication signs a challenge), seen from the
//! reader's side.
//!
//! Each protocol is sans-I/O: it builds command APDUs and consumes responses; only
//! [`crate::reader`] talks to a [`crate::transport::Transport`].

// The protocol state machines are primitives (feature `internals`); their errors are public
// in `crate::error`.
#[cfg(feature = "internals")]
pub mod active_auth;
#[cfg(not(feature = "internals"))]
#[allow(dead_code, unused_imports)] // helpers for the tests, fuzz targets, simulator
pub(crate) mod active_auth;
#[cfg(feature = "internals")]
pub mod bac;
#[cfg(not(feature = "internals"))]
#[allow(dead_code, unused_imports)] // helpers for the tests, fuzz targets, simulator
pub(crate) mod bac;
#[cfg(feature = "internals")]
pub mod chip_auth;
#[cfg(not(feature = "internals"))]
#[allow(dead_code, unused_imports)] // helpers for the tests, fuzz targets, simulator
pub(crate) mod chip_auth;
pub mod key;
#[cfg(feature = "internals")]
pub mod pace;
#[cfg(not(feature = "internals"))]
#[allow(dead_code, unused_imports)] // helpers for the tests, fuzz targets, simulator
pub(crate) mod pace;
#[cfg(feature = "internals")]
pub mod sm;
#[cfg(not(feature = "internals"))]
#[allow(dead_code, unused_imports)] // helpers for the tests, fuzz targets, simulator
pub(crate) mod sm;

pub use key::{AccessKey, KeyError, QrData};
