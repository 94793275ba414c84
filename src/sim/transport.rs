//! An in-process [`Transport`] to a simulated card, for tests and demos.

use super::card::Card;
use crate::transport::{Transport, TransportError};

/// Passes APDUs straight to a [`Card`] and counts them.
///
/// ```
/// use cccd::sim::{Card, Profile, SimTransport};
/// use cccd::transport::Transport;
/// let mut t = SimTransport::new(Card::new(Profile::Cccd, 1));
/// let r = t.transmit(&hex::decode("00A4040C07A0000002471001").unwrap()).unwrap();
/// assert_eq!(r, vec![0x90, 0x00]);
/// assert_eq!(t.apdu_count(), 1);
/// ```
#[derive(Debug)]
pub struct SimTransport {
    card: Card,
    apdus: usize,
}

impl SimTransport {
    /// A channel to `card`.
    pub fn new(card: Card) -> Self {
        Self { card, apdus: 0 }
    }

    /// How many APDUs went through.
    pub fn apdu_count(&self) -> usize {
        self.apdus
    }

    /// The card.
    pub fn card(&self) -> &Card {
        &self.card
    }

    /// The card, to change options or files between commands.
    pub fn card_mut(&mut self) -> &mut Card {
        &mut self.card
    }

    /// Gives the card back.
    pub fn into_card(self) -> Card {
        self.card
    }
}

impl Transport for SimTransport {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        self.apdus = self.apdus.saturating_add(1);
        Ok(self.card.process(apdu))
    }

    fn supports_extended_length(&self) -> bool {
        self.card.options().extended_length
    }

    /// A power cycle of the card: the session is lost, as after a real tag loss.
    fn reconnect(&mut self) -> Result<(), TransportError> {
        self.card.reset();
        Ok(())
    }
}
