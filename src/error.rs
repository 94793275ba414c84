//! The error a caller of [`crate::reader`] sees, by blame: the transport, the card's status, the
//! card misbehaving (secure messaging), the caller's key, malformed files, unsupported features.
//!
//! Also every error type that a public result nests (inside [`enum@Error`], a
//! [`crate::document::CaFailure`], an [`crate::lds::LdsError`], ...), so that each can be named
//! and matched although the protocol modules that raise them are private.

use crate::access::key::KeyError;
use thiserror::Error;

pub use crate::access::active_auth::AaError;
pub use crate::access::bac::BacError;
pub use crate::access::chip_auth::CaError;
pub use crate::access::pace::PaceError;
pub use crate::access::sm::SmError;
pub use crate::apdu::ApduError;
pub use crate::crypto::dh::DhError;
pub use crate::crypto::ec::EcError;
pub use crate::crypto::CryptoError;
pub use crate::files::PlanError;
pub use crate::tlv::{TlvError, TlvErrorKind};

use crate::apdu::StatusWord;
use crate::files::ElementaryFile;
use crate::transport::TransportError;

/// Everything that can stop a read.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum Error {
    /// The channel to the card failed (card removed, reader gone, timeout).
    #[error("transport: {0}")]
    Transport(#[from] TransportError),
    /// The card sent bytes that are not an APDU, or a command could not be encoded.
    #[error("APDU: {0}")]
    Apdu(#[from] ApduError),
    /// The card refused the access key at mutual authentication (BAC `6300`, PACE `6300`, or a
    /// cryptogram that does not verify): wrong CAN, wrong MRZ data, or another card.
    #[error("access denied: the access key does not match this card")]
    WrongAccessKey,
    /// The card answered a command with an error status word.
    #[error("{command} failed with status {sw}")]
    Card {
        /// The command.
        command: &'static str,
        /// The card's status word.
        sw: StatusWord,
    },
    /// Secure messaging failed (bad MAC, missing data objects): the session is over.
    #[error("secure messaging: {0}")]
    SecureMessaging(SmError),
    /// A command was attempted after the secure-messaging session ended.
    #[error("the secure-messaging session has ended; open the card again")]
    SessionClosed,
    /// PACE failed for a reason other than a wrong password.
    #[error("PACE: {0}")]
    Pace(PaceError),
    /// BAC failed for a reason other than a wrong key.
    #[error("BAC: {0}")]
    Bac(BacError),
    /// The access key given by the caller is malformed.
    #[error("access key: {0}")]
    Key(#[from] KeyError),
    /// A file could not be read to its end.
    #[error("reading {}: {reason}", file.name())]
    File {
        /// The file.
        file: ElementaryFile,
        /// Why.
        reason: PlanError,
    },
    /// A cryptographic primitive failed (random source, key length).
    #[error("crypto: {0}")]
    Crypto(#[from] CryptoError),
    /// The files read cannot make a document (a file recorded twice).
    #[error("document: {0}")]
    Document(#[from] crate::document::DocumentError),
    /// The card or the key needs something this library does not do.
    #[error("unsupported: {0}")]
    Unsupported(&'static str),
}

impl From<BacError> for Error {
    fn from(e: BacError) -> Self {
        match e {
            BacError::AccessDenied => Error::WrongAccessKey,
            other => Error::Bac(other),
        }
    }
}

impl From<SmError> for Error {
    fn from(e: SmError) -> Self {
        Error::SecureMessaging(e)
    }
}

impl Error {
    /// A stable code for programs and JSON (`wrong_access_key`, `transport`, ...): the variant,
    /// never its details, so it can be matched on across versions.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Transport(_) => "transport",
            Error::Apdu(_) => "apdu",
            Error::WrongAccessKey => "wrong_access_key",
            Error::Card { .. } => "card_status",
            Error::SecureMessaging(_) => "secure_messaging",
            Error::SessionClosed => "session_closed",
            Error::Pace(_) => "pace",
            Error::Bac(_) => "bac",
            Error::Key(_) => "access_key",
            Error::File { .. } => "file",
            Error::Crypto(_) => "crypto",
            Error::Document(_) => "document",
            Error::Unsupported(_) => "unsupported",
        }
    }

    /// The CLI's exit code for this error (3 for a refused key, 2 for a malformed key, 1 for
    /// every other failure), also the C ABI's return code.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::WrongAccessKey => 3,
            Error::Key(_) => 2,
            _ => 1,
        }
    }
}
