//! How APDUs reach a card: the [`Transport`] trait a host app implements (Android/iOS NFC, a
//! relay, a recorded transcript), the PC/SC implementation, and a tracing wrapper.

#[cfg(feature = "pcsc")]
pub mod pcsc;
pub mod trace;

use thiserror::Error;

/// A failure to exchange bytes with the card (nothing is known about the command's effect).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum TransportError {
    /// The card left the field or was pulled from the reader.
    #[error("card removed")]
    CardRemoved,
    /// The reader disappeared (unplugged, or the service went away under an open connection).
    #[error("reader unavailable")]
    ReaderUnavailable,
    /// The smart-card service is not running (PC/SC `SCARD_E_NO_SERVICE`,
    /// `SCARD_E_SERVICE_STOPPED`). Windows 8 and later stop the "Smart Card" service (SCardSvr)
    /// when the last reader is unplugged, so on a teller's PC this usually means "no reader".
    #[error(
        "the smart-card service is not running: plug in the reader (Windows starts its Smart Card \
         service when a reader arrives) or start the service (Windows: SCardSvr; Linux: pcscd)"
    )]
    NoService,
    /// No reader matched, or none is connected.
    #[error("no reader found{0}")]
    NoReader(String),
    /// No card was presented before the timeout.
    #[error("no card present")]
    NoCard,
    /// The card did not answer in time.
    #[error("timed out")]
    Timeout,
    /// Any other transport failure, with the layer's message. Displayed as the message alone:
    /// [`crate::Error::Transport`] already says "transport: ".
    #[error("{0}")]
    Other(String),
}

/// Sends one command APDU and returns the response APDU (data + SW1 SW2).
///
/// Implement this for any channel to the chip. The library never calls it concurrently.
///
/// ```
/// use cccd::transport::{Transport, TransportError};
/// struct Echo;
/// impl Transport for Echo {
///     fn transmit(&mut self, _apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
///         Ok(vec![0x90, 0x00])
///     }
/// }
/// assert_eq!(Echo.transmit(&[0, 0x84, 0, 0, 8]).unwrap(), vec![0x90, 0x00]);
/// ```
pub trait Transport {
    /// Exchanges one APDU.
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError>;

    /// Whether the channel carries extended-length APDUs (readers and phones differ).
    fn supports_extended_length(&self) -> bool {
        false
    }

    /// Asks the channel to re-establish contact with the card (after a tag loss). The default
    /// cannot, and says so.
    fn reconnect(&mut self) -> Result<(), TransportError> {
        Err(TransportError::Other("reconnect not supported".into()))
    }
}

impl<T: Transport + ?Sized> Transport for &mut T {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        (**self).transmit(apdu)
    }
    fn supports_extended_length(&self) -> bool {
        (**self).supports_extended_length()
    }
    fn reconnect(&mut self) -> Result<(), TransportError> {
        (**self).reconnect()
    }
}

impl<T: Transport + ?Sized> Transport for Box<T> {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        (**self).transmit(apdu)
    }
    fn supports_extended_length(&self) -> bool {
        (**self).supports_extended_length()
    }
    fn reconnect(&mut self) -> Result<(), TransportError> {
        (**self).reconnect()
    }
}
