//! Requests as JSON (feature `json`): what the C ABI, the language bindings and the HTTP service
//! accept, so that every host names the access key, the trust sources and the options the same
//! way. Unknown fields are refused (a misspelt `"id_numbr"` must not silently read nothing).
//!
//! A read request (`schema/cccd-request.schema.json` describes both):
//! ```json
//! { "id_number": "001099012345", "trust": ["csca/", "DE_ML.ml"],
//!   "ml_signer_roots": ["DE_ROOT.cer"], "skip_face": false }
//! ```
//! The access key is exactly one of `id_number` (PACE with the CAN, its last 6 digits),
//! `id_number` + `date_of_birth` + `date_of_expiry` (the MRZ key: PACE-MRZ or BAC), `can`, `mrz`
//! (the printed MRZ) or `qr` (the card's QR text; PACE with the CAN of its ID number).
//!
//! A verification request carries the files a phone read, base64, by name:
//! ```json
//! { "files": { "SOD": "d4IF...", "DG1": "YV8f...", "DG13": "bYIB..." }, "trust": ["csca/"] }
//! ```
//!
//! Errors never echo a value of the request: a key or a date may be in it.
//!
//! ```
//! use cccd::request::ReadRequest;
//! let r = ReadRequest::from_json(r#"{"id_number": "001099012345"}"#)?;
//! assert!(matches!(r.access_key()?, cccd::access::AccessKey::Can(_)));
//! let err = ReadRequest::from_json(r#"{"id_numbr": "001099012345"}"#).unwrap_err();
//! assert_eq!(err.code(), "bad_request");
//! assert!(!err.to_string().contains("001099012345"));
//! # Ok::<(), cccd::request::RequestError>(())
//! ```

use crate::access::key::{KeyError, QrData};
use crate::access::AccessKey;
use crate::document::{Document, DocumentError};
use crate::pki::Time;
use crate::reader::ReadOptions;
use crate::verify::{Certificate, PaOptions, TrustError, TrustStore, Warning};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;
use thiserror::Error;
use zeroize::Zeroizing;

/// Largest request accepted, in bytes: a whole CCCD dump in base64 is about 40 KB, a passport
/// with several images a few hundred.
pub const MAX_REQUEST_BYTES: usize = 8 * 1024 * 1024;

/// Why a request was refused. Never holds a value of the request.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum RequestError {
    /// Not JSON, or not the request's shape (a wrong type, an unknown or missing field).
    #[error("malformed request: {category} error at line {line}, column {column}")]
    Malformed {
        /// `syntax`, `data` (shape), `eof` or `io`.
        category: &'static str,
        /// Where.
        line: usize,
        /// Where.
        column: usize,
    },
    /// Larger than [`MAX_REQUEST_BYTES`].
    #[error("request larger than {MAX_REQUEST_BYTES} bytes")]
    TooLarge,
    /// No access key given.
    #[error("no access key: give id_number, can, mrz or qr")]
    NoKey,
    /// More than one access key given.
    #[error("more than one access key: give exactly one of id_number, can, mrz or qr")]
    ConflictingKeys,
    /// Only one of `date_of_birth` and `date_of_expiry`, or dates without `id_number`.
    #[error("date_of_birth and date_of_expiry go together, with id_number")]
    IncompleteMrzKey,
    /// The key is malformed (which part, not its value).
    #[error("access key: {0}")]
    Key(#[from] KeyError),
    /// A file is not valid base64.
    #[error("files.{0}: not valid base64")]
    Base64(String),
    /// The files do not make a document (an unknown name, a duplicate).
    #[error("files: {0}")]
    Document(#[from] DocumentError),
    /// No SOD among the files.
    #[error("files: no SOD")]
    NoSod,
    /// A trust source could not be used.
    #[error("trust source {path}: {error}")]
    Trust {
        /// The path as given.
        path: String,
        /// Why.
        error: TrustError,
    },
    /// A file named by the request could not be read.
    #[error("{path}: {kind}")]
    Io {
        /// The path as given.
        path: String,
        /// What the system said.
        kind: std::io::ErrorKind,
    },
    /// A master-list signer root is not a certificate.
    #[error("ml_signer_roots {0}: not a certificate")]
    BadRoot(String),
    /// `at` is not a calendar date `YYYY-MM-DD`.
    #[error("at: expected a calendar date YYYY-MM-DD")]
    BadDate,
    /// `issuing_state` is not an ICAO three-letter code or `any`.
    #[error("issuing_state: expected an ICAO three-letter code (VNM) or \"any\"")]
    BadIssuingState,
}

impl RequestError {
    /// A stable code for programs: `bad_request` for the request's own faults, `trust_source`
    /// and `io` for the files it names.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Trust { .. } | Self::BadRoot(_) => "trust_source",
            Self::Io { .. } => "io",
            _ => "bad_request",
        }
    }

    /// The CLI's exit code: 2 for the request's own faults, 1 for the files it names.
    pub fn exit_code(&self) -> i32 {
        match self {
            Self::Trust { .. } | Self::Io { .. } | Self::BadRoot(_) => 1,
            _ => 2,
        }
    }

    fn malformed(e: &serde_json::Error) -> Self {
        use serde_json::error::Category;
        Self::Malformed {
            category: match e.classify() {
                Category::Io => "io",
                Category::Syntax => "syntax",
                Category::Data => "data",
                Category::Eof => "eof",
            },
            line: e.line(),
            column: e.column(),
        }
    }
}

/// Where trust comes from, and how passive authentication judges: the CLI's `--trust`,
/// `--ml-signer-root`, `--crl`, `--at`, `--issuing-state`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct TrustSources {
    /// CSCA sources: certificate files (PEM/DER), directories, master lists, LDIF files.
    #[serde(default)]
    pub trust: Vec<PathBuf>,
    /// Roots that master-list signatures must chain to.
    #[serde(default)]
    pub ml_signer_roots: Vec<PathBuf>,
    /// Certificate revocation lists (DER).
    #[serde(default)]
    pub crls: Vec<PathBuf>,
    /// Validity checked at this date (`YYYY-MM-DD`) instead of today.
    #[serde(default)]
    pub at: Option<String>,
    /// The issuing state DG1 must name (`VNM`), or `any`.
    #[serde(default)]
    pub issuing_state: Option<String>,
    /// DANGER: use master lists whose signature is not verified.
    #[serde(default)]
    pub danger_unverified_master_list: bool,
}

impl TrustSources {
    /// Loads the trust store and the options. `default_state` applies when `issuing_state` is
    /// absent (`VNM` when reading a CCCD). Warnings of the sources are returned beside.
    pub fn load(
        &self,
        default_state: Option<&str>,
    ) -> Result<(TrustStore, PaOptions, Vec<SourceWarning>), RequestError> {
        let mut roots = Vec::new();
        for path in &self.ml_signer_roots {
            let bytes = read(path)?;
            roots.push(
                Certificate::from_der(&bytes)
                    .map_err(|_| RequestError::BadRoot(path.display().to_string()))?,
            );
        }
        let mut store = TrustStore::new();
        if self.danger_unverified_master_list {
            store.danger_accept_unverified_master_lists();
        }
        let mut warnings = Vec::new();
        for path in &self.trust {
            let report =
                store
                    .add_path_with_roots(path, &roots)
                    .map_err(|error| RequestError::Trust {
                        path: path.display().to_string(),
                        error,
                    })?;
            for w in report
                .warnings
                .into_iter()
                .chain(report.master_lists.into_iter().flat_map(|m| m.warnings))
            {
                warnings.push(SourceWarning {
                    source: path.clone(),
                    warning: w,
                });
            }
        }
        for path in &self.crls {
            store
                .add_crl(&read(path)?)
                .map_err(|error| RequestError::Trust {
                    path: path.display().to_string(),
                    error,
                })?;
        }
        Ok((store, self.pa_options(default_state)?, warnings))
    }

    /// The passive-authentication options alone (`at`, `issuing_state`).
    pub fn pa_options(&self, default_state: Option<&str>) -> Result<PaOptions, RequestError> {
        let mut options = PaOptions::default();
        if let Some(at) = &self.at {
            options = options.at(Time::parse_date(at).ok_or(RequestError::BadDate)?);
        }
        match self.issuing_state.as_deref().or(default_state) {
            None => {}
            Some(any) if any.eq_ignore_ascii_case("any") => {}
            Some(state)
                if (1..=3).contains(&state.len())
                    && state.bytes().all(|b| b.is_ascii_alphabetic()) =>
            {
                options = options.expect_issuing_state(state);
            }
            Some(_) => return Err(RequestError::BadIssuingState),
        }
        Ok(options)
    }
}

/// A warning of one trust source ([`TrustSources::load`]); `Display` is `path: warning`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SourceWarning {
    /// The `trust` entry (file or directory) the warning came from.
    pub source: PathBuf,
    /// What.
    pub warning: Warning,
}

impl core::fmt::Display for SourceWarning {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}: {}", self.source.display(), self.warning)
    }
}

fn read(path: &PathBuf) -> Result<Vec<u8>, RequestError> {
    std::fs::read(path).map_err(|e| RequestError::Io {
        path: path.display().to_string(),
        kind: e.kind(),
    })
}

/// Read a card: the access key, the trust sources, what to read.
#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ReadRequest {
    /// The 12-digit ID number: alone, PACE with the CAN; with the two dates, the MRZ key.
    #[serde(default)]
    pub id_number: Option<Zeroizing<String>>,
    /// Date of birth `YYMMDD` (with `id_number` and `date_of_expiry`).
    #[serde(default)]
    pub date_of_birth: Option<Zeroizing<String>>,
    /// Date of expiry `YYMMDD`, `<<<<<<` when the card has none.
    #[serde(default)]
    pub date_of_expiry: Option<Zeroizing<String>>,
    /// A card access number (6 digits).
    #[serde(default)]
    pub can: Option<Zeroizing<String>>,
    /// The MRZ as printed (TD1 or TD3, lines separated by newlines or not).
    #[serde(default)]
    pub mrz: Option<Zeroizing<String>>,
    /// The card's QR code text.
    #[serde(default)]
    pub qr: Option<Zeroizing<String>>,
    /// A PC/SC reader (a substring of its name), for hosts that read through PC/SC.
    #[serde(default)]
    pub reader: Option<String>,
    /// CSCA sources, as [`TrustSources::trust`]; without any, no verdict is computed.
    #[serde(default)]
    pub trust: Vec<PathBuf>,
    /// As [`TrustSources::ml_signer_roots`].
    #[serde(default)]
    pub ml_signer_roots: Vec<PathBuf>,
    /// As [`TrustSources::crls`].
    #[serde(default)]
    pub crls: Vec<PathBuf>,
    /// As [`TrustSources::at`].
    #[serde(default)]
    pub at: Option<String>,
    /// As [`TrustSources::issuing_state`]; default `VNM`.
    #[serde(default)]
    pub issuing_state: Option<String>,
    /// As [`TrustSources::danger_unverified_master_list`].
    #[serde(default)]
    pub danger_unverified_master_list: bool,
    /// Do not read DG2 (the face image).
    #[serde(default)]
    pub skip_face: bool,
    /// Read only these data groups (default: every one EF.COM and the SOD list).
    #[serde(default)]
    pub data_groups: Option<Vec<u8>>,
    /// Include APDU statistics in the output.
    #[serde(default)]
    pub stats: bool,
}

impl core::fmt::Debug for ReadRequest {
    // The key fields are secrets: never printed.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ReadRequest")
            .field("reader", &self.reader)
            .field("trust", &self.trust)
            .field("skip_face", &self.skip_face)
            .field("data_groups", &self.data_groups)
            .finish_non_exhaustive()
    }
}

impl ReadRequest {
    /// Parses a request; refuses unknown fields and anything over [`MAX_REQUEST_BYTES`].
    pub fn from_json(json: &str) -> Result<Self, RequestError> {
        parse(json)
    }

    /// The access key the request names (exactly one).
    pub fn access_key(&self) -> Result<AccessKey, RequestError> {
        let dates = (
            self.date_of_birth.as_deref(),
            self.date_of_expiry.as_deref(),
        );
        let given = [
            self.id_number.is_some(),
            self.can.is_some(),
            self.mrz.is_some(),
            self.qr.is_some(),
        ]
        .iter()
        .filter(|g| **g)
        .count();
        match given {
            0 => return Err(RequestError::NoKey),
            1 => {}
            _ => return Err(RequestError::ConflictingKeys),
        }
        if let Some(id) = &self.id_number {
            return Ok(match dates {
                (Some(dob), Some(exp)) => AccessKey::from_id_and_dates(id, dob, exp)?,
                (None, None) => AccessKey::can_from_id(id)?,
                _ => return Err(RequestError::IncompleteMrzKey),
            });
        }
        if dates != (None, None) {
            return Err(RequestError::IncompleteMrzKey);
        }
        if let Some(can) = &self.can {
            Ok(AccessKey::can(can)?)
        } else if let Some(mrz) = &self.mrz {
            Ok(AccessKey::from_mrz(mrz)?)
        } else if let Some(qr) = &self.qr {
            // The CCCD has PACE: the QR's ID number gives the CAN, no date to derive.
            Ok(QrData::parse(qr)?.can()?)
        } else {
            Err(RequestError::NoKey)
        }
    }

    /// What to read.
    pub fn read_options(&self) -> ReadOptions {
        ReadOptions {
            skip_face: self.skip_face,
            data_groups: self.data_groups.clone(),
            ..ReadOptions::default()
        }
    }

    /// The trust sources, or `None` when the request names none (no verdict is computed).
    pub fn trust_sources(&self) -> Option<TrustSources> {
        (!self.trust.is_empty()).then(|| TrustSources {
            trust: self.trust.clone(),
            ml_signer_roots: self.ml_signer_roots.clone(),
            crls: self.crls.clone(),
            at: self.at.clone(),
            issuing_state: self.issuing_state.clone(),
            danger_unverified_master_list: self.danger_unverified_master_list,
        })
    }
}

/// Verify files read elsewhere (a phone's upload): the files by name, base64.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct VerifyRequest {
    /// `SOD`, `COM`, `DG1`..`DG16`, `CardAccess`, `CardSecurity`: standard base64.
    pub files: BTreeMap<String, String>,
    /// EF.CardSecurity, base64 (the same as `files.CardSecurity`).
    #[serde(default)]
    pub card_security: Option<String>,
    /// As [`TrustSources::trust`].
    #[serde(default)]
    pub trust: Vec<PathBuf>,
    /// As [`TrustSources::ml_signer_roots`].
    #[serde(default)]
    pub ml_signer_roots: Vec<PathBuf>,
    /// As [`TrustSources::crls`].
    #[serde(default)]
    pub crls: Vec<PathBuf>,
    /// As [`TrustSources::at`].
    #[serde(default)]
    pub at: Option<String>,
    /// As [`TrustSources::issuing_state`]; default: DG1's own state is bound.
    #[serde(default)]
    pub issuing_state: Option<String>,
    /// As [`TrustSources::danger_unverified_master_list`].
    #[serde(default)]
    pub danger_unverified_master_list: bool,
}

impl VerifyRequest {
    /// Parses a request; refuses unknown fields and anything over [`MAX_REQUEST_BYTES`].
    pub fn from_json(json: &str) -> Result<Self, RequestError> {
        parse(json)
    }

    /// The document the files make (each file at most once; an SOD is required).
    pub fn document(&self) -> Result<Document, RequestError> {
        use base64ct::{Base64, Encoding};
        let mut files = Vec::with_capacity(self.files.len() + 1);
        let extra = self.card_security.as_ref().map(|b| ("CardSecurity", b));
        for (name, b64) in self.files.iter().map(|(n, b)| (n.as_str(), b)).chain(extra) {
            let bytes = Base64::decode_vec(b64.trim())
                .map_err(|_| RequestError::Base64(short_name(name)))?;
            files.push((name.to_string(), bytes));
        }
        if !files.iter().any(|(n, _)| n == "SOD") {
            return Err(RequestError::NoSod);
        }
        Ok(Document::from_files(files)?)
    }

    /// The trust sources the request names.
    pub fn trust_sources(&self) -> TrustSources {
        TrustSources {
            trust: self.trust.clone(),
            ml_signer_roots: self.ml_signer_roots.clone(),
            crls: self.crls.clone(),
            at: self.at.clone(),
            issuing_state: self.issuing_state.clone(),
            danger_unverified_master_list: self.danger_unverified_master_list,
        }
    }
}

/// A file name for an error message: only the shape of a name, never arbitrary input.
fn short_name(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .take(16)
        .collect()
}

fn parse<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, RequestError> {
    if json.len() > MAX_REQUEST_BYTES {
        return Err(RequestError::TooLarge);
    }
    serde_json::from_str(json).map_err(|e| RequestError::malformed(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_forms() {
        let id = r#""id_number": "001099012345""#;
        let can = |j: &str| ReadRequest::from_json(j).unwrap().access_key();
        assert!(matches!(can(&format!("{{{id}}}")), Ok(AccessKey::Can(_))));
        assert!(matches!(
            can(&format!(
                r#"{{{id}, "date_of_birth": "990115", "date_of_expiry": "390115"}}"#
            )),
            Ok(AccessKey::Mrz(_))
        ));
        assert_eq!(
            can(&format!(r#"{{{id}, "date_of_birth": "990115"}}"#)).unwrap_err(),
            RequestError::IncompleteMrzKey
        );
        assert_eq!(
            can(&format!(r#"{{{id}, "can": "123456"}}"#)).unwrap_err(),
            RequestError::ConflictingKeys
        );
        assert_eq!(can("{}").unwrap_err(), RequestError::NoKey);
        assert!(matches!(
            can(r#"{"can": "12345"}"#),
            Err(RequestError::Key(KeyError::Can))
        ));
        assert!(matches!(
            can(r#"{"qr": "001099012345|123456789|Nguyễn Văn A|15011999|Nam|Hà Nội|01022021"}"#),
            Ok(AccessKey::Can(_))
        ));
    }

    #[test]
    fn malformed_requests_do_not_echo_values() {
        for bad in [
            r#"{"id_number": 1099012345}"#,
            r#"{"id_number": "001099012345", "secret": "001099012345"}"#,
            r#"{"id_number": "001099012345""#,
            "001099012345",
        ] {
            let err = ReadRequest::from_json(bad).err().unwrap();
            assert!(matches!(err, RequestError::Malformed { .. }), "{bad}");
            assert!(!err.to_string().contains("1099012345"), "{err}");
            assert_eq!(err.exit_code(), 2);
        }
        assert_eq!(
            ReadRequest::from_json(&" ".repeat(MAX_REQUEST_BYTES + 1))
                .err()
                .unwrap(),
            RequestError::TooLarge
        );
    }

    #[test]
    fn verify_request_files() {
        let r = VerifyRequest::from_json(r#"{"files": {"DG1": "AAEC"}}"#).unwrap();
        assert_eq!(r.document().unwrap_err(), RequestError::NoSod);
        let r = VerifyRequest::from_json(r#"{"files": {"SOD": "AAEC", "DG1": "A*"}}"#).unwrap();
        assert_eq!(
            r.document().unwrap_err(),
            RequestError::Base64("DG1".into())
        );
        let r = VerifyRequest::from_json(r#"{"files": {"SOD": "AAEC", "DG99": "AAEC"}}"#).unwrap();
        assert!(matches!(
            r.document().unwrap_err(),
            RequestError::Document(DocumentError::UnknownFileName(_))
        ));
        let r = VerifyRequest::from_json(
            r#"{"files": {"SOD": "AAEC", "CardSecurity": "AAEC"}, "card_security": "AAEC"}"#,
        )
        .unwrap();
        assert!(matches!(
            r.document().unwrap_err(),
            RequestError::Document(DocumentError::DuplicateFile(_))
        ));
    }

    #[test]
    fn trust_options() {
        let t = TrustSources {
            at: Some("2026-02-30".into()),
            ..TrustSources::default()
        };
        assert_eq!(t.pa_options(None).unwrap_err(), RequestError::BadDate);
        let t = TrustSources {
            issuing_state: Some("V1M".into()),
            ..TrustSources::default()
        };
        assert_eq!(
            t.pa_options(None).unwrap_err(),
            RequestError::BadIssuingState
        );
        let t = TrustSources {
            trust: vec!["/nonexistent/cccd-trust".into()],
            ..TrustSources::default()
        };
        assert_eq!(t.load(None).unwrap_err().code(), "trust_source");
    }
}
