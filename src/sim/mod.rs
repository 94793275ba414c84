//! The simulated CCCD chip, written from the card's point of view with its own protocol code
//! (only primitives are shared with the reader: [`crate::tlv`], [`crate::apdu`],
//! [`crate::crypto`]), so that a bug on one side cannot hide the same bug on the other.
//!
//! - [`persona`]: the made-up card holder, deterministic from a seed;
//! - [`files`]: the simulator's own encoders of EF.CardAccess, EF.COM, DG1, DG2, DG3, DG13;
//! - [`fs`]: the file system with access conditions;
//! - [`Card`]: the command dispatcher with card-side BAC and secure messaging (3DES and AES);
//! - [`keys`]: the chip's Chip and Active Authentication key pairs (DG14, DG15);
//! - [`bsi`]: the BSI TR-03105-5 specimen as a second simulated document;
//! - [`passport`]: a plain TD3 passport of the same persona (DG11, DG12, no DG13);
//! - [`pki`], [`sod`]: the simulator's test PKI and each card's EF.SOD (with tampering);
//! - [`conformance`]: the test chips of BSI TR-03105 Part 5.1 (one per test ID);
//! - [`faults`]: tag loss, removal, corrupted MACs, slow cards, and a link model;
//! - [`SimTransport`]: an in-process [`crate::transport::Transport`];
//! - [`vpcd`]: the card behind a real pcscd, through vsmartcard's virtual reader.
//!
//! ```
//! use cccd::sim::{Card, Profile, SimTransport};
//! let card = Card::new("cccd".parse::<Profile>().unwrap(), 2024);
//! let can = card.persona().can();
//! assert_eq!(can.len(), 6);
//! let transport = SimTransport::new(card);
//! assert!(cccd::transport::Transport::supports_extended_length(&transport));
//! ```

mod active_auth;
mod bac;
pub mod bsi;
mod card;
pub mod card_access;
mod chip_auth;
pub mod conformance;
pub mod face;
pub mod faults;
pub mod files;
pub mod fs;
pub mod keys;
mod pace;
pub mod passport;
pub mod persona;
pub mod pki;
mod sm;
pub mod sod;
mod transport;
pub mod vpcd;

/// The cipher of a simulated PACE configuration ([`PaceConfig::new`]).
pub use crate::crypto::CipherAlg;
pub use card::{Card, CardOptions, LeRefusal, Profile, UnknownProfile};
pub use faults::{Faults, FaultyCard, LinkModel};
pub use pace::{Mapping, PaceConfig, PacePassword, UnsupportedPace};
pub use persona::Persona;
pub use transport::SimTransport;
