//! The JSON contract: what a read or a verification produces, as `cccd read --json`, the C ABI,
//! the language bindings and the HTTP service all print it (feature `json`).
//!
//! Its shape is `schema/cccd-document.schema.json`; every output names the schema version in
//! its `schema` field, and a field that changes meaning or disappears raises the version. A
//! failure is an [`ErrorReport`]: a stable [`code`](crate::Error::code), a message without
//! personal data, and the [exit code](exit) the CLI would end with.
//!
//! ```
//! # #[cfg(feature = "sim")] {
//! use cccd::access::AccessKey;
//! use cccd::reader::{ReadOptions, Reader};
//! use cccd::report::Report;
//! use cccd::sim::{Card, Profile, SimTransport};
//! let card = Card::new(Profile::Cccd, 3);
//! let key = AccessKey::can_from_id(&card.persona().id_number)?;
//! let doc = Reader::new(SimTransport::new(card)).open(&key)?
//!     .read_document(&ReadOptions::default(), &mut |_| {})?;
//! let json: serde_json::Value = serde_json::from_str(&Report::document(&doc, None).to_json())?;
//! assert_eq!(json["schema"], cccd::report::SCHEMA);
//! assert_eq!(json["dg13"]["id_number"].as_str().map(str::len), Some(12));
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::document::{Document, Verification};
use crate::reader::PhaseStats;
use crate::verify::{CardSecurityReport, PassiveAuthReport};
use serde::Serialize;

/// The schema version of every output: the last segment of the `$id` of
/// `schema/cccd-document.schema.json`.
pub const SCHEMA: &str = "cccd-document/1";

/// The schema itself, for hosts that validate what they receive.
pub const SCHEMA_JSON: &str = include_str!("../schema/cccd-document.schema.json");

/// Exit codes of the CLI, and the return codes of the C ABI: one meaning everywhere.
pub mod exit {
    /// Read and genuine (`verify`: the data is authentic).
    pub const GENUINE: i32 = 0;
    /// A failure: the card, the reader, a file, the trust sources.
    pub const FAILURE: i32 = 1;
    /// Bad arguments or a malformed request.
    pub const USAGE: i32 = 2;
    /// The card refused the access key.
    pub const WRONG_KEY: i32 = 3;
    /// Not proven genuine (`verify`: the data is not proven authentic); the findings say why.
    pub const NOT_GENUINE: i32 = 4;
}

/// One output: a document with its verdict, a lone SOD's or EF.CardSecurity's verification,
/// and the read's statistics when asked for.
#[derive(Serialize)]
pub struct Report<'a> {
    schema: &'static str,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    document: Option<&'a Document>,
    #[serde(skip_serializing_if = "Option::is_none")]
    verification: Option<&'a Verification>,
    #[serde(skip_serializing_if = "Option::is_none")]
    passive_authentication: Option<&'a PassiveAuthReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    card_security: Option<&'a CardSecurityReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stats: Option<Stats>,
    /// The directory of a dump in a batch (`verify DIR DIR...`), so each line names its input.
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    /// Why a dump of a batch could not be verified.
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
}

impl<'a> Report<'a> {
    /// A document as read, with its verdict when one was computed.
    pub fn document(document: &'a Document, verification: Option<&'a Verification>) -> Self {
        Self {
            document: Some(document),
            verification,
            ..Self::empty()
        }
    }

    /// A lone SOD's passive authentication (signature and chain; no data groups).
    pub fn lone_sod(report: &'a PassiveAuthReport) -> Self {
        Self {
            passive_authentication: Some(report),
            ..Self::empty()
        }
    }

    /// A lone EF.CardSecurity's verification.
    pub fn card_security(report: &'a CardSecurityReport) -> Self {
        Self {
            card_security: Some(report),
            ..Self::empty()
        }
    }

    /// A dump of a batch that could not be verified: its directory and why.
    pub fn error(source: &'a str, error: &'a str) -> Self {
        Self {
            source: Some(source),
            error: Some(error),
            ..Self::empty()
        }
    }

    fn empty() -> Self {
        Self {
            schema: SCHEMA,
            document: None,
            verification: None,
            passive_authentication: None,
            card_security: None,
            stats: None,
            source: None,
            error: None,
        }
    }

    /// Names the dump's directory, for a line of a batch.
    pub fn with_source(mut self, source: &'a str) -> Self {
        self.source = Some(source);
        self
    }

    /// Adds the read's statistics.
    pub fn with_stats(mut self, stats: Option<Stats>) -> Self {
        self.stats = stats;
        self
    }

    /// The exit code this output stands for: [`exit::GENUINE`] or [`exit::NOT_GENUINE`] when a
    /// verdict is present (a document's `genuine`, or with `data_only` its `data_authentic`:
    /// files alone cannot prove a chip), [`exit::GENUINE`] otherwise.
    pub fn exit_code(&self, data_only: bool) -> i32 {
        let ok = match (
            self.verification,
            self.passive_authentication,
            self.card_security,
        ) {
            (Some(v), _, _) if data_only => v.data_authentic,
            (Some(v), _, _) => v.genuine,
            (None, Some(pa), _) => pa.is_signature_and_chain_valid(),
            (None, None, Some(cs)) => cs.is_valid(),
            (None, None, None) => true,
        };
        if ok {
            exit::GENUINE
        } else {
            exit::NOT_GENUINE
        }
    }

    /// One line of JSON (a batch prints one line per dump).
    pub fn to_line(&self) -> String {
        // Cannot fail, as for `to_json`.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Pretty-printed JSON.
    pub fn to_json(&self) -> String {
        // Serializing these types cannot fail: every map key is a string and no Serialize
        // implementation returns an error.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// APDUs, bytes and host time per phase of a read (access control, each file).
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct Stats {
    /// Each phase in order.
    pub phases: Vec<Phase>,
    /// All phases together.
    pub total: Phase,
    /// How often the session was re-opened after a tag loss or a broken frame.
    pub resumes: usize,
}

/// One phase of [`Stats`].
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct Phase {
    /// `access control`, `COM`, `DG2`, ...
    pub name: String,
    /// Command APDUs sent.
    pub apdus: usize,
    /// Bytes sent.
    pub bytes_sent: usize,
    /// Bytes received.
    pub bytes_received: usize,
    /// Host time spent in the transport, in milliseconds.
    pub host_ms: f64,
}

impl Stats {
    /// From a session's [`crate::reader::Session::phases`] and
    /// [`crate::reader::Session::resumes`].
    pub fn new(phases: &[PhaseStats], resumes: usize) -> Self {
        let phase = |p: &PhaseStats| Phase {
            name: p.name.clone(),
            apdus: p.apdus,
            bytes_sent: p.bytes_sent,
            bytes_received: p.bytes_received,
            host_ms: p.time.as_secs_f64() * 1e3,
        };
        let mut total = Phase {
            name: "total".into(),
            apdus: 0,
            bytes_sent: 0,
            bytes_received: 0,
            host_ms: 0.0,
        };
        for p in phases {
            total.apdus += p.apdus;
            total.bytes_sent += p.bytes_sent;
            total.bytes_received += p.bytes_received;
            total.host_ms += p.time.as_secs_f64() * 1e3;
        }
        Self {
            phases: phases.iter().map(phase).collect(),
            total,
            resumes,
        }
    }
}

/// A failure, as JSON: `{"schema": ..., "error": {"code": ..., "message": ...}, "exit_code": n}`.
/// The message never holds personal data or a key.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
pub struct ErrorReport {
    schema: &'static str,
    /// What failed.
    pub error: ErrorBody,
    /// The exit code the CLI ends with ([`exit`]).
    pub exit_code: i32,
}

/// The `error` object of an [`ErrorReport`].
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
pub struct ErrorBody {
    /// A stable code for programs: `wrong_access_key`, `transport`, `bad_request`, ...
    pub code: String,
    /// The reason in words.
    pub message: String,
}

impl ErrorReport {
    /// A report with an explicit code.
    pub fn new(code: &str, message: impl Into<String>, exit_code: i32) -> Self {
        Self {
            schema: SCHEMA,
            error: ErrorBody {
                code: code.to_string(),
                message: message.into(),
            },
            exit_code,
        }
    }

    /// Pretty-printed JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

impl From<&crate::Error> for ErrorReport {
    fn from(e: &crate::Error) -> Self {
        Self::new(e.code(), e.to_string(), e.exit_code())
    }
}

impl From<&crate::request::RequestError> for ErrorReport {
    fn from(e: &crate::request::RequestError) -> Self {
        Self::new(e.code(), e.to_string(), e.exit_code())
    }
}
