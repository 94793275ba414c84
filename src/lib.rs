//! # cccd
//!
//! Reads and verifies the chip of the Vietnamese citizen ID card (CCCD gắn chip and the 2024
//! thẻ căn cước), and any ICAO 9303 eMRTD: access control (BAC, PACE) and secure messaging, the
//! files of the chip parsed into typed values, and the checks that prove them genuine.
//!
//! ## The API in one example
//!
//! A [`Reader`] over a [`Transport`] opens the card with an [`AccessKey`] into a [`Session`];
//! the session reads a [`Document`] (every file's bytes, the parsed data groups, what the
//! clone-detection protocols did); [`Document::verify`] judges it against a [`TrustStore`] and
//! gives a [`Verification`] (passive authentication, chip and active authentication, typed
//! findings, `genuine`). Failures are one [`Error`] with a stable [`Error::code`].
//!
//! ```
//! # #[cfg(feature = "sim")] {
//! use cccd::{AccessKey, PaOptions, ReadOptions, Reader, TrustStore};
//! // Any channel to the chip implements `Transport`: PC/SC (`transport::pcsc::PcscTransport`),
//! // a phone's NFC, or here the simulated CCCD.
//! let card = cccd::sim::Card::new(cccd::sim::Profile::Cccd, 7);
//! let id_number = card.persona().id_number.clone();
//! let transport = cccd::sim::SimTransport::new(card);
//!
//! // PACE with the CAN: the last 6 digits of the 12-digit ID number.
//! let key = AccessKey::can_from_id(&id_number)?;
//! let mut session = Reader::new(transport).open(&key)?;
//! let document = session.read_document(&ReadOptions::default(), &mut |_progress| {})?;
//! assert_eq!(document.id_number(), Some(id_number.as_str()));
//!
//! // Trust: the CSCAs that may sign documents (here the simulator's test CSCA; for real cards
//! // `TrustStore::new().with_vn_csca()` and `add_path` for master lists and certificates).
//! let mut trust = TrustStore::new();
//! trust.add_certificate_der(cccd::sim::sod::csca_certificate()?)?;
//! let verdict = document.verify(&trust, &PaOptions::default().expect_issuing_state("VNM"));
//! assert!(verdict.genuine, "{:?}", verdict.findings);
//! for finding in &verdict.findings {
//!     println!("{} [{}]", finding, finding.code()); // typed, without personal data
//! }
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## What is public
//!
//! - [`reader`]: [`Reader`], [`Session`], [`ReadOptions`], [`Progress`], the risky options in
//!   [`reader::danger`];
//! - [`access`]: [`AccessKey`] from a CAN, the ID number and dates, a printed MRZ or the QR code;
//! - [`transport`]: the [`Transport`] trait a host implements, PC/SC, a tracing wrapper;
//! - [`document`]: [`Document`], its [`document::FileRecord`]s and the [`Verification`] model
//!   (what ran kept apart from what it proves, [`document::Finding`]s with stable codes);
//! - [`lds`]: the parsed files ([`lds::Dg1`], [`lds::Dg13`], DG2's faces, DG11, DG12, DG14, DG15,
//!   EF.COM) and their one error, [`lds::LdsError`];
//! - [`verify`]: [`TrustStore`], [`PaOptions`], passive authentication's report, EF.CardSecurity,
//!   the trust sources' reports;
//! - [`pki`]: the certificate, CRL, name, time and signature types those reports carry;
//! - [`report`], [`request`] (feature `json`): the JSON contract shared by the CLI, the C ABI,
//!   the bindings and the service;
//! - [`sim`] (feature `sim`): the simulated chip;
//! - [`error`]: [`Error`] and every error type nested in a public result.
//!
//! The primitives (BER-TLV, APDUs, ciphers and curves, the secure-messaging and PACE state
//! machines, the file-read plan) are `pub(crate)`. The feature `internals` makes them public for
//! the crate's own tests, fuzz targets and benches: they are NOT part of the stable API and may
//! change in any release. [`manual`] lists the public API and explains the design.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    warn(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)
)]

pub mod access;
#[cfg(feature = "internals")]
pub mod apdu;
#[cfg(not(feature = "internals"))]
#[allow(dead_code, unused_imports)] // helpers for the tests, fuzz targets, simulator
pub(crate) mod apdu;
#[cfg(feature = "internals")]
pub mod crypto;
#[cfg(not(feature = "internals"))]
#[allow(dead_code, unused_imports)] // helpers for the tests, fuzz targets, simulator
pub(crate) mod crypto;
pub mod document;
pub mod error;
#[cfg(feature = "internals")]
pub mod files;
#[cfg(not(feature = "internals"))]
#[allow(dead_code, unused_imports)] // helpers for the tests, fuzz targets, simulator
pub(crate) mod files;
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
#[cfg(feature = "internals")]
pub mod tlv;
#[cfg(not(feature = "internals"))]
#[allow(dead_code, unused_imports)] // helpers for the tests, fuzz targets, simulator
pub(crate) mod tlv;
pub mod transport;
pub mod verifier;
pub mod verify;

pub use access::AccessKey;
pub use apdu::StatusWord;
pub use document::{Document, Verification};
pub use error::Error;
pub use files::{ElementaryFile, MAX_FILE_SIZE};
pub use reader::{Progress, ReadOptions, Reader, Session};
pub use transport::{Transport, TransportError};
pub use verify::{PaOptions, TrustStore};

/// README's example compiles (run by `cargo test --doc`).
#[cfg(all(doctest, feature = "pcsc"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
