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
//! ## Hand-written cryptography, and why no crate does it
//! - RSA verification ([`crate::crypto::rsa`]): the `rsa` crate's verifiers and
//!   `hazmat::rsa_encrypt` only take its `RsaPublicKey`, which computes on heap-sized
//!   `BoxedUint` limbs: `s^65537 mod n` cost about 65 µs at 2048 bits and building the key
//!   another 9 µs (issue #11, on the FR RSA-2048 SOD of `../shared/test-data/real-world/sod`),
//!   against 23 µs of CPU for OpenSSL's whole verification; `benches/crypto.rs` measures the
//!   crate's key + public operation (`rsa_public_op_rsa_crate`) at about twice our whole
//!   verification. So RSAVP1 runs on `crypto-bigint`'s fixed-size `FixedMontyForm`
//!   (square-and-multiply over the public exponent), and EMSA-PKCS1-v1_5 and EMSA-PSS-VERIFY are
//!   written out from RFC 8017 §9.1.2 and §9.2, checked against OpenSSL-made and Wycheproof
//!   signatures (`tests/rsa_kat.rs`). What remains of the gap to OpenSSL is the multiplication
//!   itself: `crypto-bigint`'s portable Montgomery loop against OpenSSL's MULX/ADX assembly.
//! - Elliptic curves ([`crate::crypto::ec`]): P-256, P-384, P-521, brainpoolP256r1 and
//!   brainpoolP384r1 run on the RustCrypto crates (`p256`, `p384`, `p521`, `bp256`, `bp384`),
//!   also when a certificate gives them as explicit parameters. No crate exists for
//!   brainpoolP192r1/224r1/320r1/512r1 (the Vietnamese CSCA signs with brainpoolP512r1, given
//!   as explicit parameters in its certificate), nor for P-192 and P-224 in the same API, so the
//!   generic short-Weierstrass code stays for those.
//!
//! ## Constant time in the generic curve code
//! Scalar multiplication with a secret scalar (PACE, ECDH, key generation, ECDSA signing in
//! the simulator) takes the same path whatever the scalar's value: a fixed 4-bit window whose
//! loop count depends only on the scalar's byte length, a 16-entry table read in full with
//! constant-time selection, the complete addition and doubling formulas of Renes, Costello and
//! Batina (no branch on the point at infinity or on equal inputs), field arithmetic on
//! `crypto-bigint`'s constant-time Montgomery form, and inversion by its safegcd. The crates
//! used for the five curves above are constant time by their own design.
//! How it is checked: the unit tests in `src/crypto/ec/constant_time.rs` record every field
//! operation (add, sub, mul, square, neg, inversion, table selection) that one scalar
//! multiplication performs and assert that the sequence is identical for scalars of very
//! different value and Hamming weight (zero, one, n−1, n, all ones, random) on all eleven
//! curves' generic code; a second test shows the recording does see the variable-time path's
//! scalar-dependent branches. A record cannot see timing differences inside one field
//! operation; those rest on `crypto-bigint`'s constant-time guarantees.
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
