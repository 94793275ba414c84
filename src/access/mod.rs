//! Access control: the keys a reader needs (MRZ, CAN), and the protocols that turn them into a
//! secure-messaging session (BAC, PACE), and the clone-detection exchanges that run inside it
//! (Chip Authentication re-keys it, Active Authentication signs a challenge), seen from the
//! reader's side.
//!
//! Each protocol is sans-I/O: it builds command APDUs and consumes responses; only
//! [`crate::reader`] talks to a [`crate::transport::Transport`].

pub mod active_auth;
pub mod bac;
pub mod chip_auth;
pub mod key;
pub mod pace;
pub mod sm;

pub use key::AccessKey;
