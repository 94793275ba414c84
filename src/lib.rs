//! # cccd
//!
//! Reads and verifies the chip of the Vietnamese citizen ID card (CCCD gắn chip and the 2024
//! thẻ căn cước), and any ICAO 9303 eMRTD: access control (BAC, PACE) and secure messaging, the
//! files of the chip parsed into typed values, and the checks that prove them genuine.
//!
//! Start with [`reader::Reader`]; read [`manual`] for the design.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    warn(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)
)]

pub mod access;
pub mod apdu;
pub mod crypto;
pub mod document;
mod error;
pub mod files;
pub mod lds;
pub mod manual;
pub mod pki;
pub mod reader;
#[cfg(feature = "json")]
pub mod report;
#[cfg(feature = "json")]
pub mod request;
#[cfg(feature = "sim")]
pub mod sim;
pub mod tlv;
pub mod transport;
pub mod verifier;
pub mod verify;

pub use error::Error;

/// README's example compiles (run by `cargo test --doc`).
#[cfg(all(doctest, feature = "pcsc"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
