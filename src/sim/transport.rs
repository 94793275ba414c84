//! An in-process [`Transport`] to a simulated card, for tests and demos, with fault injection
//! and a link model.

use super::card::Card;
use super::faults::{FaultState, Faults, LinkModel, Verdict};
use crate::transport::{Transport, TransportError};
use std::time::Duration;

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
    faults: FaultState,
    link: LinkModel,
    modelled: Duration,
}

impl SimTransport {
    /// A channel to `card`.
    pub fn new(card: Card) -> Self {
        Self::with_faults(card, Faults::none())
    }

    /// A channel to `card` that misbehaves as `faults` says.
    pub fn with_faults(card: Card, faults: Faults) -> Self {
        Self {
            card,
            apdus: 0,
            faults: FaultState::new(faults),
            link: LinkModel::default(),
            modelled: Duration::ZERO,
        }
    }

    /// Replaces the link model used for [`modelled_time`](Self::modelled_time).
    pub fn with_link_model(mut self, link: LinkModel) -> Self {
        self.link = link;
        self
    }

    /// How many APDUs went through.
    pub fn apdu_count(&self) -> usize {
        self.apdus
    }

    /// Estimated over-the-air time of every exchange so far, by the link model.
    pub fn modelled_time(&self) -> Duration {
        self.modelled
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
        if !self.faults.card_present() {
            return Err(TransportError::CardRemoved);
        }
        let response = self.card.process(apdu);
        self.modelled += self.link.exchange(apdu.len(), response.len());
        match self.faults.deliver(apdu, response) {
            Verdict::Respond(r) => Ok(r),
            Verdict::Lost => {
                // The field is gone: the chip loses power and its session keys.
                self.card.reset();
                Err(TransportError::CardRemoved)
            }
        }
    }

    fn supports_extended_length(&self) -> bool {
        self.card.options().extended_length
    }

    /// A power cycle of the card: the session is lost, as after a real tag loss.
    fn reconnect(&mut self) -> Result<(), TransportError> {
        if !self.faults.reconnect() {
            return Err(TransportError::CardRemoved);
        }
        self.card.reset();
        Ok(())
    }
}
