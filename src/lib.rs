//! # cccd
//!
//! Reads and verifies the chip of the Vietnamese citizen ID card (CCCD gắn chip and the 2024
//! thẻ căn cước), and any ICAO 9303 eMRTD.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    warn(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)
)]

pub mod access;
pub mod apdu;
pub mod crypto;
pub mod files;
pub mod lds;
#[cfg(feature = "sim")]
pub mod sim;
pub mod tlv;
pub mod transport;
pub mod verify;
