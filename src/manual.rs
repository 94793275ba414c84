//! # The manual: design decisions and the chip-quirks log
//!
//! ## Layers
//! Bytes flow one way, and each layer imports only layers below it:
//! [`crate::transport`] (a `Transport` moves APDUs) → `apdu`, `tlv`
//! (commands, status words, the bounded BER-TLV reader and the universal tags,
//! `tlv::tags`) → `crypto` (ciphers, MACs, KDF, EC, DH, hashes, the PACE
//! parameter-id table `crypto::domain`) → [`crate::pki`] (OIDs, AlgorithmIdentifier,
//! SubjectPublicKeyInfo, Name, Time, X.509, CRL, CMS, master lists, signatures) →
//! [`crate::lds`] (one parser per file) → [`crate::access`] (BAC, PACE, secure messaging,
//! sans-I/O state machines) → [`crate::verify`] (judgement: passive authentication,
//! EF.CardSecurity, the trust store, CA/AA verdicts) → [`crate::document::Document`] →
//! [`crate::verifier`] (a shared `Send + Sync` verifier for servers and batches) →
//! [`crate::reader`] → the CLI. Only [`crate::reader`] calls a transport, so the same protocol
//! code runs over PC/SC, NFC, the simulator and recorded transcripts. No module imports one
//! above it. Checks: `farm-studio look` reports 0 "arrows that run back up", and
//! `grep -rn "use crate::verify" src/lds src/pki src/crypto` finds nothing.
//!
//! ## The public API
//! What an application, the C ABI, the bindings and the service may use; everything else is
//! `pub(crate)`. The primitives (`tlv`, `apdu`, `crypto`, `files`' read plan, the BAC, PACE,
//! SM, CA and AA protocol steps, the `pki` parsers, `lds::sod`, `verify::active`,
//! `Reader::with_rng`) are public only with the feature `internals`, which exists for this
//! crate's tests, fuzz targets and benches and is not covered by semver. At the root:
//! - `Reader` (over a `Transport`) opens a card with an `AccessKey` into a `Session`;
//! - `Session::read_document` reads, with `ReadOptions` and a `Progress` callback, a `Document`;
//! - `Document` holds every file once (`FileRecord`), the parsed groups (`lds::Dg1`, `Dg2`'s
//!   faces, `Dg11`, `Dg12`, `Dg13`, `Dg14`, `Dg15`, `EfCom`), what CA and AA did
//!   (`ChipAuthRun`, `ActiveAuthRun`) and `parse_failures` (`lds::LdsError`);
//!   `Document::from_files` rebuilds one from a dump;
//! - `Document::verify(&TrustStore, &PaOptions)` gives a `Verification`: the
//!   `PassiveAuthReport`, `ChipAuthVerdict`, `ActiveAuthVerdict`, typed `Finding`s with stable
//!   codes, `data_authentic`, `genuine`;
//! - `verify::Warning`: every deviation a check accepted (passive authentication,
//!   EF.CardSecurity, loading trust sources), typed, with a stable `code()` and a `Display`;
//!   `{"code", "message"}` in JSON. Warnings never change a verdict: what does is a `Finding`;
//! - `TrustStore` (CSCAs from certificates, LDIF, master lists, the built-in VN CSCA) with its
//!   `LoadReport`s; `PaOptions` (date, issuing state, CRLs);
//! - `Transport` (one method, `transmit`), `TransportError`; `transport::pcsc::PcscTransport`
//!   and `transport::trace` (feature `pcsc` for the former);
//! - `Error` (one per read, with a stable `code()`), and in `cccd::error` every error type a
//!   public result nests; `ElementaryFile`, `StatusWord` (named by errors and reports);
//! - `report` and `request` (feature `json`): the JSON contract (`Report`, `Stats`,
//!   `ErrorReport`, exit codes; `ReadRequest`, `VerifyRequest`, `TrustSources`);
//! - `sim` (feature `sim`): the simulated chip, its PKI and a vpcd server;
//! - `verify::verify_card_security` (EF.CardSecurity), `verify::country`, and `pki`'s
//!   certificate, CRL, name, time, key and signature types that the reports carry.
//!
//! ## Reader and simulator are written twice
//! The simulator ([`crate::sim`], feature `sim`) implements BAC, PACE and secure messaging from
//! the card's side with its own code. Only primitives with their own known-answer tests
//! (`crypto`, `tlv`) are shared, so a bug in a protocol step cannot hide
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
//! during PACE and the reader checks it against EF.CardSecurity's key (read right after PACE,
//! in the master file, where its FID 011D is not the application's EF.SOD) or, without that
//! file, against DG14. Active Authentication signs a fresh (or
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
//!   not signed, DG14 repeats its infos under the SOD). EF.CardSecurity, verified like the SOD
//!   ([`crate::verify::verify_card_security`]), is a second source of proven PACEInfos: an
//!   invalid one is `card_security_invalid`, one that lacks a SecurityInfo of EF.CardAccess
//!   `card_security_mismatch` (ICAO 9303-11 §9.2.11). The reader asks for it only when PACE-CAM
//!   ran or EF.CardAccess names a protocol that needs it (PACE-CAM, CAv2/3, TAv2): the real
//!   CCCD (PACE-GM, CAv1, TAv1) gets no extra APDU;
//! - EF.COM against the SOD: a group one lists and the other does not is
//!   `data_group_list_mismatch` (BSI TR-03105-5.1 LDS_H_45, LDS_H_90);
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
//! A card that refuses a read size (`6700`, `6B00` inside the file) moves the session down
//! [`crate::reader::READ_SIZE_LADDER`] for good. A `6Cxx` naming a shorter length is sent once;
//! it becomes the session's size only when it is not simply the bytes left in the file (ISO
//! 7816-4 reads 6Cxx as "xx bytes available"), and never below the ladder's last rung (32):
//! one forged `6C02` would otherwise make every later read fetch 2 bytes. Likewise a file
//! whose answers keep coming back shorter than 32 bytes (and than asked) fails after
//! [`crate::reader::MAX_SHORT_ANSWERS`] of them, instead of costing an APDU per byte. A tag loss or a broken secure-messaging
//! frame re-opens the session with the same key and resumes at the failed offset, at most
//! `max_resumes` times. Secure messaging never outlives an error: after one, the channel is
//! closed and only a new access control opens it again.
//!
//! ## Fuzzing the reader at speed
//! `fuzz/` holds one target per parser and three that run the simulator: `reader_hostile`
//! (a card answering from the fuzzer's bytes), `reader_mitm` (a man in the middle on a
//! genuine card's PACE or BAC session) and `sim_apdu` (command sequences, under a known
//! secure-messaging session, against the chip). A read of the simulated CCCD costs about
//! twenty scalar multiplications (PACE, Chip and Active Authentication, passive
//! authentication): 62 % of `reader_hostile`'s time (`perf record` on the fuzz binary,
//! 2026-11-30), which ran at 14 inputs a second. The cards are built once and reset per
//! input, and both sides draw from seeded generators, so these operations repeat with the
//! same operands from input to input. `crypto::memo` (feature `internals`, off until a fuzz
//! target calls `enable_for_fuzzing`) returns a result already computed for the same curve
//! and operands: scalar multiplication, point addition, ECDSA verification, and the
//! simulator's RSA private operation. Everything around them runs for real (point decoding
//! and checks, MACs, the state machines), and an operand the fuzzer changed is computed. The
//! memo holds private scalars in a process-wide table and answers in variable time, so no
//! build that handles a real card may enable it. The fuzzed cards also carry a 2 KB DG2
//! instead of 18 KB (the BSI specimen's 15 KB JPEG 2000 face under 3DES cost more than the
//! rest of its read). Measured on the loaded 2-core machine: `reader_hostile` 14 → about
//! 6,000 inputs a second, `reader_mitm` about 300 a second (720 per CPU second; the rest is
//! secure messaging, 3DES mostly, and libFuzzer's own bookkeeping of the ~19,000 features a
//! whole read touches).
//!
//! ## Errors
//! [`crate::Error`] says who is to blame: the transport, the card's status word, a card that
//! misbehaved (secure messaging), the caller's key ([`crate::Error::WrongAccessKey`]), or a
//! malformed file (with its byte offset). A file the card lacks (`6A82`) or refuses (`6982`,
//! DG3 without EAC) is recorded in the document, not raised.
//!
//! ## Hand-written cryptography, and why no crate does it
//! - RSA verification (`crypto::rsa`): the `rsa` crate's verifiers and
//!   `hazmat::rsa_encrypt` only take its `RsaPublicKey`, which computes on heap-sized
//!   `BoxedUint` limbs: `s^65537 mod n` cost about 65 µs at 2048 bits and building the key
//!   another 9 µs (issue #11, on the FR RSA-2048 SOD of `../shared/test-data/real-world/sod`),
//!   against 23 µs of CPU for OpenSSL's whole verification; `benches/crypto.rs` measures the
//!   crate's key + public operation (`rsa_public_op_rsa_crate`) at about twice our whole
//!   verification. `crypto-bigint`'s fixed-size `FixedMontyForm` then left us at about 2×
//!   OpenSSL's CPU time, the rest being its portable, constant-time Montgomery loop (no
//!   dedicated squaring, no early exit a public operation may take). So RSAVP1 now runs on
//!   our own variable-time Montgomery arithmetic on fixed `u64` limbs (`crypto/rsa/mont.rs`:
//!   product-scanning (FIPS) multiplication into a 192-bit column accumulator, whose products
//!   do not wait on each other's carries as CIOS's do (36.6 µs for a 2048-bit verification
//!   at load ~11 against OpenSSL's 26 µs), 16, 24, 32, 48 and 64 limbs, `R² mod n` and `n0'`
//!   once per key, keys kept by `RsaPublicKey::cached`), cross-checked against the `rsa` crate
//!   on random moduli of every size (`tests/rsa_kat.rs`); larger moduli keep `BoxedUint`.
//!   Measured with `scripts/bench-pa 2` (2026-11-30, 2 shared cores at load ~9, per CPU
//!   second): the whole BSI TR-03105-5 passive authentication (61 KB hashed, RSA-PSS 2048,
//!   SOD and DSC parsed every time) takes 160 µs, against OpenSSL's 26 µs RSA-2048 verify and
//!   45 µs of SHA-256 in the same window (0.44× that floor). Then (issue #11, session 6) a
//!   dedicated squaring in the same column order (cross products once, the column doubled:
//!   L²/2 + L products plus the L² of the reduction) and a reduction alone to leave
//!   Montgomery form: 1.59 µs per 2048-bit squaring against 1.80 µs per multiplication (best
//!   of 40 runs of 20,000 each, CPU time). A radix-2^60 variant, whose column sums need no
//!   carry handling (products below 2^120), was tried and did no better (2.20 µs per
//!   multiplication, 1.60 µs per squaring): the loop is bound by the multiplier, not by the
//!   carries. `benches/pa_throughput.rs bsi`, alternated 4 × 3 s with the session-5 build
//!   at load ~3 on 2 shared cores: 10,400-11,400 PA/s per CPU second against 7,500-8,700;
//!   `scripts/bench-pa 2` in a busier window: 0.57-0.61× the floor (115 µs against 66-70 µs).
//!   Where the rest goes (perf, same run): SHA-256 37 %, the RSA public operation 41 %
//!   (squarings 33 %), SOD and SignedData parsing 12 %, DG1 1.5 %. EMSA-PKCS1-v1_5 and
//!   EMSA-PSS-VERIFY are written out from RFC 8017 §9.1.2 and §9.2, checked against
//!   OpenSSL-made and Wycheproof signatures (`tests/rsa_kat.rs`).
//! - Elliptic curves (`crypto::ec`): P-256, P-384, P-521, brainpoolP256r1 and
//!   brainpoolP384r1 run on the RustCrypto crates (`p256`, `p384`, `p521`, `bp256`, `bp384`),
//!   also when a certificate gives them as explicit parameters. No crate exists for
//!   brainpoolP192r1/224r1/320r1/512r1 (the Vietnamese CSCA signs with brainpoolP512r1, given
//!   as explicit parameters in its certificate), nor for P-192 and P-224 in the same API, so the
//!   generic short-Weierstrass code stays for those.
//! - ECDSA with a key that verifies many signatures (`crypto::ec::table`): the crates verify
//!   `u1·G + u2·Q` with a doubling per bit of the order, and offer a precomputed table only
//!   for the generator of some curves (none for brainpool). A Document Signer's key verifies
//!   every SOD it signed, so its fixed-base table (`primeorder`'s own `LookupTable`s of
//!   `2^(8i)·Q`, read with its signed radix-16 digits, as its `BasepointTable::mul_vartime`
//!   reads the generator's) is built at the key's second use and kept with the key
//!   (`crypto::ec::VerifyingKey`, cached per process by `pki::ecdsa`): a verification is
//!   then about 4·L point additions (L = bytes of the order) and no doublings. Variable time
//!   (public inputs); the verification equation is FIPS 186-4 §6.4.2 as `ecdsa::hazmat`
//!   computes it, checked against the generic code on valid and invalid signatures on both
//!   paths (`tests/ec_crates.rs`).
//!
//! ## Verification at bank scale
//! A back office verifies millions of uploaded dumps against the same few hundred Document
//! Signers, so what repeats is paid once:
//! - RSA keys: [`crate::crypto::rsa::RsaPublicKey::cached`] keeps each key's Montgomery
//!   constants per process (bounded by `KEY_CACHE_CAPACITY`).
//! - EC keys: `pki::ecdsa` keeps each key decoded and checked on its curve, with its
//!   fixed-base table once it verified twice (keyed by the `ECParameters` DER and the point;
//!   bounded by `EC_KEY_CACHE_CAPACITY`, at most about 29 MB of tables).
//! - Document Signers: [`crate::pki::Certificate::from_der_cached`] decodes a certificate
//!   embedded in an SOD once per process (found by a keyed hash of its length and last bytes,
//!   compared byte for byte on a hit; bounded by `CERT_CACHE_CAPACITY`); `SignedData` and
//!   `Sod` share them as `Arc<Certificate>`, each with its SHA-256 computed once. Refusals are never cached by any of the three.
//! - Chains: [`crate::verify::cache`] remembers each DSC whose chain to a CSCA verified, keyed
//!   by the DSC's SHA-256 and the trust store's content digest, and used only for check and
//!   signing times between the same certificate and CRL dates; failures are never kept.
//! - Trust lists: a master list's CMS signature, its signer's profile and chain are verified
//!   at load as before, but its certificates are only framed (subject read for the index) and
//!   decoded when a chain names them; chain checks find issuers through the subject index
//!   ([`crate::verify::TrustStore::certificates_named`]) instead of scanning. `cccd trust
//!   compile` writes the verified store as one file ([`crate::verify::compiled`], version 2:
//!   a header indexing every anchor by subject key, covered by its own SHA-256, then the
//!   anchors' DER, each covered by its recorded SHA-256) that `--trust FILE` loads without
//!   repeating the master-list signatures (the DE list's signer and root are brainpoolP512r1:
//!   two verifications by the generic curve code at every load otherwise) and without reading
//!   the anchors: each is read and checked against its digest when a chain names it; a
//!   changed one is never used and is counted
//!   ([`crate::verify::TrustStore::damaged_anchors`]). A file given as bytes is checked whole.
//! - One [`crate::verifier::Verifier`] (`Send + Sync`) holds the store, the options and the
//!   cache for every thread; `cccd verify DIR DIR...` uses it on `--jobs` threads.
//!
//! Measured 2026-11-30 on 2 shared cores (`farm-bench --vs`, CPU time, median of 9-15
//! pairs): `cccd verify --sod FR.sod` with the DE and NL master lists and their signer roots
//! costs 10.6× the same with only the French CSCA (37 ms against 3.5 ms: the DE list's
//! brainpoolP512r1 signatures are verified at every load); with the two lists compiled by
//! `cccd trust compile` into one 1 MB file (version 1, read and hashed whole at load), 2.2×
//! (7 ms; `perf stat -r 20`: 8.2 against 3.3 ms task-clock), the rest being reading and
//! hashing the file (page faults and copy in the kernel, SHA-256 of 1 MB, per `perf
//! record`). Version 2, reading the header alone: 1.6-1.7× (`perf stat -r 30`, load ~9.8:
//! 3.26-3.72 against 2.05-2.18 ms task-clock); `scripts/bench-pa` measures it in its run.
//!
//! Resources: a store holds at most `MAX_CERTIFICATES` certificates and `MAX_CRLS` CRLs
//! ([`crate::verify::TrustError::TooMany`]); CRLs and certificates are de-duplicated by their
//! SHA-256 in a hash set (linear time); an LDIF is read line by line, one unfolded line of at
//! most `MAX_LDIF_LINE` bytes held at a time; `cccd verify` refuses a dump file larger than
//! [`crate::files::MAX_FILE_SIZE`] before and while reading it.
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
//!
//! ## Trust: what the trust store vouches for
//! - A CSCA master list is used only when its CMS signature verifies, its signer carries the
//!   extended key usage `id-icao-cscaMasterListSigningKey` (2.23.136.1.1.3) and keyUsage
//!   digitalSignature, was valid when it signed, and chains to a root the caller supplied
//!   through CA certificates with keyCertSign (`pki::master_list`). A country CSCA
//!   given as a root also issues DSCs; without the signer profile one stolen DSC key would
//!   mint trust anchors for every country. Loading a list anyway is the named opt-in
//!   [`crate::verify::TrustStore::danger_accept_unverified_master_lists`] (CLI:
//!   `--danger-unverified-master-list`), never a default.
//! - An issuer in a chain is a CA (basicConstraints cA=TRUE) with keyCertSign; a Document
//!   Signer never issues. `userCertificate` values of an ICAO PKD LDIF are Document Signers:
//!   they are kept apart ([`crate::verify::TrustStore::document_signers`]) and only used to
//!   find the signer of an SOD that does not embed it.
//! - A link certificate (a new CSCA key certified by the old one under the same name) carries
//!   a chain only if it was valid when the DSC was issued.
//! - A CMS signer is never a CA certificate; signed attributes are required (ICAO 9303-10
//!   §4.6.2.2) with exactly one contentType and one messageDigest; every SignerInfo must
//!   verify; a certificate's outer signatureAlgorithm must equal its TBS `signature` field;
//!   SHA-1 signatures verify with a warning. The SignedData itself must be version 3 with
//!   only accepted hashes (never MD5) in `digestAlgorithms`, each SignerInfo's version matching
//!   its `sid` (RFC 5652 §5.1, §5.3). DSA signatures verify through RustCrypto `dsa`.
//! - A Document Signer must meet the ICAO 9303-12 §7.1.1 profile, else the chain fails with
//!   [`crate::verify::DscProfileViolation`]: X.509 v3, UTCTime through 2049, an
//!   authorityKeyIdentifier with its keyIdentifier, a critical keyUsage with digitalSignature.
//!   Every DSC of the real SODs in `../shared/test-data` (AT, DE, FR, NZ, PH, UK, US) meets it;
//!   no real CCCD DSC was available to check (BSI TR-03105-5.1 LDS_H_48..64 fail on each).
//! - Chip Authentication with DH needs the subgroup order q in the key's domain parameters, so
//!   that the chip's key is checked to lie in the subgroup
//!   (`CaError::DhWithoutSubgroupOrder`).
//! - Explicit EC parameters are accepted only when they are a named curve's (the corpus:
//!   every self-signed CSCA of the DE and NL lists verifies on a named curve); parameters of
//!   no named curve are refused (`pki::signature::KeyError::UnnamedCurve`) rather
//!   than proven prime here.
//! - Names compare as RFC 5280 §7.1 says: the same RDNs in the same order, each RDN a set,
//!   values case-folded with insignificant spaces removed (RFC 4518), string types ignored.
//!   When a SignerInfo's `sid` names no embedded certificate by its issuer but has the serial
//!   number of the only embedded certificate, that one is used (Malaysia's SOD lists the
//!   issuer's RDNs in another order): the signature still has to verify with its key. A `sid`
//!   whose serial number or key identifier names no certificate finds none (BSI TR-03105-5.1
//!   LDS_H_28, LDS_H_29).
//! - Validity (`--at`, [`crate::verify::PaOptions::at`]): the Document Signer follows the
//!   shell model (valid at the checked date and at the signing time); the CSCA the chain model
//!   (it must have been able to issue the DSC; an expired CSCA is a warning, since CSCAs
//!   outlive their DSCs by the documents' validity). Dates that do not exist (`2026-02-30`)
//!   are refused.
//!
//! ## The PKI layer on `der` and `x509-cert`, and the hand-written ASN.1 that remains
//! Measured on the real corpus (the DE and NL master lists, every shared SOD and
//! EF.CardSecurity: 1,536 certificates): `x509-cert` decodes every certificate, and `der`'s
//! reader returns the original TBS bytes for all of them. Certificates and CRLs are decoded by
//! `x509-cert` with its `Raw` profile; CMS SignedData by `der` directly (the `cms` crate is only
//! a pre-release for `der` 0.8), DER first and BER when DER fails (New Zealand's EF.SOD uses
//! indefinite lengths, `der`'s `ber` feature reassembles them); names by `x509-cert`; times by
//! `der`; base64 by `base64ct`. What stays hand-written, and the input that needs it:
//! - Signatures are computed over the original bytes, never over a re-encoding: re-encoding is
//!   not byte-faithful for one KZ CSCA (a GeneralizedTime before 2050 becomes UTCTime under the
//!   default profile and its signature then fails), and a DER decoder re-sorts a SET OF. So
//!   [`crate::pki::Certificate`] and [`crate::pki::Crl`] locate the TBS with the bounded TLV
//!   reader, and the signed attributes are kept as encoded.
//! - BasicConstraints with BOOLEAN TRUE encoded as `01` (BER, not DER): two UA CSCAs of the
//!   ICAO master list; `x509-cert` refuses them, a tolerant reader in `pki::cert`
//!   accepts exactly that deviation.
//! - SubjectPublicKeyInfo and the public keys (`pki::spki`): `spki`'s typed key
//!   decoding refuses explicit EC parameters, which 434 of the 441 EC keys of the corpus use
//!   (the VN CSCA among them); one parser serves certificates, DG14 and DG15, with the byte
//!   offset in its errors. Explicit parameters are matched to named curves by
//!   `crypto::ec`.
//! - RSA verification: EMSA-PKCS1-v1_5 and EMSA-PSS over the `rsa` crate's public operation,
//!   behind one function (`pki::signature::verify_rsa`) so a faster public operation can
//!   replace it. The `rsa` crate's own verifiers do not fit: its PKCS#1 v1.5 prefix always
//!   carries NULL parameters (RFC 8017 note 2 lets the DigestInfo omit them), and its PSS
//!   verifier takes MGF1's hash to be the message hash, while an ICAO AlgorithmIdentifier
//!   names each (`RSASSA-PSS-params`, the PH SOD).
//! - The LDS security object, SecurityInfos and the data groups stay on the bounded TLV
//!   reader: their SET OF must keep the chip's order (the raw bytes are what the SOD hashes).

//!
//! ## APDUs stay our own (`iso7816` examined)
//! The `iso7816` crate (0.2.2, trussed) was read for `apdu`:
//! - `Instruction` names 11 instructions; of the eight an eMRTD reader sends it knows SELECT,
//!   READ BINARY and GET RESPONSE. MSE SET AT `22`, EXTERNAL AUTHENTICATE `82`, GET
//!   CHALLENGE `84`, GENERAL AUTHENTICATE `86` (the crate has only `87`) and INTERNAL
//!   AUTHENTICATE `88` would be `Unknown(u8)`: no vocabulary where we need it.
//! - `Command` is built for the card side: a `heapless` buffer of fixed capacity, a serializer
//!   with `unwrap()` and `unreachable!()` on length combinations, and a derived `Debug` that
//!   prints the data field (MSE and GENERAL AUTHENTICATE data, and READ BINARY answers, carry
//!   key material and personal data). `apdu::Command`'s `Debug` prints lengths only.
//! - `Status` maps SW1-SW2 to names without panicking, but unknown words hide in a
//!   `#[doc(hidden)]` variant, and the reader's decisions use a handful of exact words
//!   (`6282`, `6300`, `6982`, `6A82`, `6Cxx`, `6987`/`6988`) that
//!   [`crate::StatusWord`] already names as constants while keeping the exact value for
//!   reports. A dependency for names alone was not worth it.
//!
//! The simulator, which parses commands from the card's side, is where the crate would fit
//! (`../shared/DESIGN.md` §6).
