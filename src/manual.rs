//! # The manual: design decisions and the chip-quirks log
//!
//! ## Layers
//! Bytes flow one way: [`crate::transport`] (a `Transport` moves APDUs) →
//! [`crate::apdu`] (commands, status words) → [`crate::access`] (BAC, PACE, secure messaging,
//! sans-I/O state machines) → [`crate::files`] (SELECT, chunked READ BINARY) →
//! [`crate::lds`] (one parser per file) → [`crate::verify`] → [`crate::document::Document`].
//! Only [`crate::reader`] calls a transport, so the same protocol code runs over PC/SC, NFC,
//! the simulator and recorded transcripts.
//!
//! ## Reader and simulator are written twice
//! The simulator ([`crate::sim`], feature `sim`) implements BAC, PACE and secure messaging from
//! the card's side with its own code. Only primitives with their own known-answer tests
//! ([`crate::crypto`], [`crate::tlv`]) are shared, so a bug in a protocol step cannot hide
//! behind the same bug on the other side.
//!
//! ## Reading files with the fewest APDUs
//! The first READ BINARY of a file uses its short file identifier (it selects and reads in one
//! APDU) and asks for a full chunk: small files arrive whole and large ones announce their
//! size in the TLV header. Then full chunks and an exact last one: a file of `223·k` bytes
//! takes exactly `k` reads. 223 is the largest plaintext whose protected response fits the
//! 256 bytes of a short response (padded to 224, plus DO87 header, DO99 and DO8E).
//!
//! ## Access control policy
//! PACE when EF.CardAccess lists a PACEInfo we implement (the real CCCD: ECDH generic mapping,
//! AES-128, brainpoolP256r1), with the CAN or the MRZ; BAC otherwise. A failed PACE never falls
//! back to BAC on its own: BAC's keys come from low-entropy MRZ data, so a downgrade must be
//! the caller's explicit choice ([`crate::reader::danger::allow_bac_fallback`]). A wrong CAN or
//! MRZ is [`crate::Error::WrongAccessKey`] (the chip answers `6300` at mutual authentication).
//!
//! ## Clone detection: "ran" is not "trusted"
//! DG14 is read first, and Chip Authentication runs right after it, so every later file comes
//! under keys only the genuine chip can derive; the first protected answer under the new keys
//! decides (a clone cannot compute its MAC). With PACE-CAM the chip has already proven its key
//! during PACE and the reader checks it against DG14. Active Authentication signs a fresh (or
//! the caller's) challenge with DG15's key. Both are recorded as they ran in the
//! [`crate::document::Document`]; [`crate::document::Document::verify`] reports them as
//! authenticated only when passive authentication proves DG14 / DG15, since a forger controls
//! an unproven file and its key.
//!
//! ## The verdict
//! [`crate::document::Document`] holds each file once: the bytes shown are the bytes hashed, and
//! [`crate::document::Document::from_files`] (the server side of "the phone reads, the server
//! verifies", and `cccd verify DIR`) refuses a second copy. [`crate::document::Document::verify`]
//! keeps what ran (`ChipAuthRun`, `ActiveAuthRun`) apart from what it proves (`ChipAuthVerdict`,
//! `ActiveAuthVerdict`) and turns every reason into a typed `Finding` with a stable code; `genuine`
//! and `data_authentic` are derived from the findings' kinds in one place. Beyond passive
//! authentication it checks:
//! - completeness: a data group the SOD signs and the caller asked for (by default every one but
//!   the EAC-protected DG3/DG4) that was not read is `data_group_not_read`;
//! - access control: a BAC session with a chip whose SOD-proven DG14 lists a PACEInfo is
//!   `bac_on_pace_chip` (a man in the middle hid EF.CardAccess), unless the caller accepted it
//!   with [`crate::reader::danger::accept_bac_on_pace_chip`]; an EF.CardAccess whose PACEInfos
//!   differ from the proven DG14's is `card_access_mismatch` (ICAO 9303-11 §9.2: EF.CardAccess is
//!   not signed, DG14 repeats its infos under the SOD). EF.CardSecurity is not yet used as a
//!   source of proven infos;
//! - country binding ([`crate::verify::country`]): DG1's issuing state against the DSC's and
//!   the CSCA's `C=`, and against [`crate::verify::PaOptions::expected_issuing_state`].
//!
//! ## Unprotected status words
//! ICAO 9303-11 §9.8 has the chip answer secure-messaging errors (`6987`, `6988`) without
//! secure messaging; some chips do the same for processing errors (`6A82`, `6982`), and JMRTD and
//! gmrtd take such a bare status word as the answer. We keep reading after a bare `6A82`/`6982`
//! (the exchange was counted on both sides), because refusing them would fail those chips, but we
//! never believe them: the file's status records `protected: false`, and a group that the SOD
//! signs and the caller asked for is held against the card whatever the status word said. A bare
//! status word can therefore hide a file only at the cost of the verdict; it can never forge one.
//! Any other bare status word under secure messaging ends the session. The simulator plays the
//! attack: `--sim-option mitm-6a82=DG13`.
//!
//! ## Robustness
//! A card that refuses a read size (`6700`, `6Cxx`, `6B00` inside the file) moves the session
//! down [`crate::reader::READ_SIZE_LADDER`] for good. A tag loss or a broken secure-messaging
//! frame re-opens the session with the same key and resumes at the failed offset, at most
//! `max_resumes` times. Secure messaging never outlives an error: after one, the channel is
//! closed and only a new access control opens it again.
//!
//! ## Errors
//! [`crate::Error`] says who is to blame: the transport, the card's status word, a card that
//! misbehaved (secure messaging), the caller's key ([`crate::Error::WrongAccessKey`]), or a
//! malformed file (with its byte offset). A file the card lacks (`6A82`) or refuses (`6982`,
//! DG3 without EAC) is recorded in the document, not raised.
//!
//! ## Chip quirks log
//! Each tolerance of a real chip, where it was seen, and where the code handles it.
//! - Vietnamese CCCD: `SELECT MF` answers `6D00`; the reader never selects the MF (EF.CardAccess
//!   is read by SFI `1C` before the application is selected). Source: public CCCD readers,
//!   `../shared/DESIGN.md` §1.
//! - Vietnamese CCCD: the BAC document number is the LAST 9 digits of the 12-digit ID;
//!   passing all 12 or the first 9 is the most common bug in other readers.
//! - Vietnamese CCCD: cards of people over 60 may carry no expiry; the MRZ field is then used
//!   as printed (`<<<<<<`).
//! - Cards that refuse READ BINARY by SFI: the reader falls back to SELECT by file identifier
//!   once and keeps that choice for the session.
//! - T=0 readers answer `61xx`: the reader chains GET RESPONSE.
//! - Chips that answer a processing error (`6A82`, `6982`) under secure messaging with a bare
//!   status word: the reader reports the status and keeps the session (the exchange counted on
//!   both sides, as JMRTD assumes); only `6987`/`6988` end it.
