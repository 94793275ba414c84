//! Access control: the keys a reader needs (MRZ, CAN), and the protocols that turn them into a
//! secure-messaging session (BAC, PACE), seen from the reader's side.
//!
//! Each protocol is sans-I/O: it builds command APDUs and consumes responses; only
//! [`crate::reader`] talks to a [`crate::transport::Transport`].

pub mod bac;
pub mod key;
pub mod pace;
pub mod sm;

pub use key::AccessKey;
