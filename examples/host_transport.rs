//! Reading through a host-supplied channel: the shape of a phone app, where the platform owns
//! the NFC tag (Android `IsoDep.transceive`, iOS `NFCISO7816Tag.sendCommand`) and the library
//! only needs "send these bytes, give me the answer". Here the host is the simulator, so the
//! example runs anywhere.
//!
//! `cargo run --example host_transport --features sim`

use cccd::{AccessKey, ReadOptions, Reader, Transport, TransportError};

/// The host's send function: command APDU in, response APDU (data + SW1 SW2) out.
type HostTransceive = Box<dyn FnMut(&[u8]) -> Result<Vec<u8>, String>>;

/// A [`Transport`] whose every exchange is a call into the host.
struct HostTransport {
    transceive: HostTransceive,
    /// Android reports `IsoDep.isExtendedLengthApduSupported()`; iOS supports them.
    extended_length: bool,
}

impl Transport for HostTransport {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        // A host error (tag lost, I/O timeout) becomes a transport error; the reader maps it
        // to `cccd::Error::Transport` with a stable code.
        (self.transceive)(apdu).map_err(|_| TransportError::CardRemoved)
    }

    fn supports_extended_length(&self) -> bool {
        self.extended_length
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Stand-in for the platform: a simulated card behind a closure.
    let card = cccd::sim::Card::new(cccd::sim::Profile::Cccd, 3);
    let id_number = card.persona().id_number.clone();
    let mut sim = cccd::sim::SimTransport::new(card);
    let transport = HostTransport {
        transceive: Box::new(move |apdu| sim.transmit(apdu).map_err(|e| e.to_string())),
        extended_length: false,
    };

    let key = AccessKey::can_from_id(&id_number)?;
    let mut session = Reader::new(transport).open(&key)?;
    let document = session.read_document(&ReadOptions::default(), &mut |_| {})?;
    // The app shows the data now and sends `document.files()` to its server, which verifies
    // them against the CSCA trust list (examples/verify_dump.rs).
    println!("read {} files", document.files().len());
    println!(
        "ID number matches: {}",
        document.id_number() == Some(id_number.as_str())
    );
    println!(
        "chip authentication ran: {}",
        document.chip_authentication_run
    );
    Ok(())
}
