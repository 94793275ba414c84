//! Most integration tests, as modules of one test binary: one link instead of sixty per
//! feature set, and cargo runs one binary's tests on every core where it runs binaries one
//! after another. Each file still reads as its own test file (its `#![cfg]` gates the module).
//! Run one file's tests with `cargo test --all-features --test suite FILE::`.
//!
//! Kept as their own binaries (Cargo.toml): the tests that start a pcscd, a `cccd serve` or the
//! `cccd` command line, and the trust-store scale test, which measure wall time or share a
//! system resource; and fuzz_regressions, whose fuzz harnesses turn on the process-wide
//! memo of `crypto::memo` (fuzzing only), which no other test may run under.

// Helpers shared by several files, compiled once (each gated like the files that use it).
#[cfg(feature = "internals")]
#[path = "common/mod.rs"]
mod common;
#[cfg(feature = "sim")]
#[path = "support/conformance.rs"]
mod conformance_support;
#[cfg(any(feature = "sim", feature = "internals"))]
#[path = "support/parallel.rs"]
mod parallel;
#[cfg(all(feature = "sim", feature = "internals"))]
#[path = "support/sim_reader.rs"]
mod sim_reader;

mod aa_kat;
mod access_key;
mod bac_appendix_d;
mod ca_kat;
mod ca_negative;
mod chain_cache;
mod conformance_dumps;
mod conformance_iso7816;
mod conformance_lds_f;
mod conformance_lds_h;
mod conformance_lds_i;
mod conformance_lds_j;
mod conformance_lds_k;
mod conformance_report;
mod crypto_nist;
mod ec_crates;
mod ec_curves;
mod ec_dh;
mod ec_ecdsa;
mod ec_field;
mod ec_real_world;
mod json_schema;
mod lds_debug;
mod lds_dg14_15;
mod lds_dg2;
mod lds_mutations;
mod lds_parsers;
mod lds_security_info;
mod pa_negative;
mod pa_real_world;
mod pa_sim_card;
mod pa_sim_pki;
mod pa_trust_sources;
mod pace_full_width;
mod pace_generic_mapping_all;
mod pace_worked_examples;
mod pki_dsa;
mod pki_hardening;
mod read_authenticity;
mod read_card_security;
mod read_face;
mod read_faults;
mod read_pace;
mod read_short_apdu;
mod read_sim;
mod request_schema;
mod rsa_kat;
mod security_rules;
mod sim_aa;
mod sim_bac;
mod sim_bsi;
mod sim_ca;
mod sim_pace;
mod sim_persona;
mod sim_robustness;
mod sim_short_apdu;
mod verdict_attacks;
mod wipe_on_drop;
